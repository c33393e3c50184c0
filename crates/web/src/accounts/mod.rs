//! Accounts on the web: signing in and out, signing up and binding with a code, moving between
//! one's compounds, the staff's accounts pages and binding codes, the audit log, and the session
//! API.

pub mod api;
pub mod chrome;
mod codes;
mod login;
mod manage;
mod notices;
pub mod outbox;
mod reach;
mod settings;
pub mod signin;
pub mod viewer;
pub mod views;

pub use manage::role_label;
pub use viewer::{MaybeViewer, Viewer};

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout))
        .route("/prefs", get(login::prefs))
        .route("/register", get(login::register_page).post(login::register_submit))
        .route("/bind", get(login::bind_page).post(login::bind_submit))
        .route("/compounds", get(login::compounds_page).post(login::switch_compound))
        .route("/codes", get(codes::codes_page).post(codes::codes_submit))
        .route("/accounts", get(manage::list).post(manage::create))
        .route("/accounts/{id}", get(manage::show))
        .route("/accounts/{id}/units", post(manage::link))
        .route("/accounts/{id}/unlink", post(manage::unlink))
        .route("/accounts/{id}/voter", post(manage::voter))
        .route("/accounts/{id}/roles", post(manage::roles))
        .route("/accounts/{id}/password", post(manage::reset_password))
        .route("/accounts/{id}/unlock", post(manage::unlock))
        .route("/password", get(manage::password_page).post(manage::change_password))
        .route("/settings/calendar", get(settings::calendar_page).post(settings::calendar_save))
        .route("/notices", get(notices::notices_page))
        .route("/me/channels", get(reach::channels::channels_page).post(reach::channels::channels_save))
        .route("/me/calendar", post(reach::channels::calendar_new))
        .route("/me/calendar/revoke", post(reach::channels::calendar_revoke))
        .route("/settings/reaching", get(reach::settings::reach_settings_page))
        .route("/settings/reaching/relay", post(reach::settings::relay_save))
        .route("/settings/reaching/webhooks", post(reach::settings::bot_add))
        .route("/settings/reaching/webhooks/remove", post(reach::settings::bot_remove))
        .route("/deliveries", get(reach::deliveries::deliveries_page))
        .route("/deliveries/{id}/retry", post(reach::deliveries::retry_page))
}

pub fn api() -> OpenApiRouter<AppState> {
    use api::*;
    OpenApiRouter::new()
        .routes(routes!(create_session, end_session))
        .routes(routes!(change_password))
        .routes(routes!(settings::get_year, settings::put_year))
        .routes(routes!(notices::get_notices))
        .routes(routes!(reach::channels::get_channels, reach::channels::put_channels))
        .routes(routes!(reach::channels::post_calendar, reach::channels::delete_calendar))
        .routes(routes!(reach::channels::calendar_feed))
        .routes(routes!(reach::settings::get_relay, reach::settings::put_relay, reach::settings::delete_relay))
        .routes(routes!(reach::settings::get_bots, reach::settings::post_bot))
        .routes(routes!(reach::settings::delete_bot))
        .routes(routes!(reach::deliveries::get_deliveries))
        .routes(routes!(reach::deliveries::get_delivery))
        .routes(routes!(reach::deliveries::post_retry))
}
