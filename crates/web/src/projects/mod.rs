//! Building projects on the web: the board, each project's page, documents to print, downloads,
//! and the JSON API.

pub mod actions;
pub mod api;
pub(crate) mod files;
mod pages;
pub mod views;

pub use files::served_type;
pub use pages::stage_label;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route("/projects", get(board).post(create))
        .route("/projects/new", get(new_page))
        .route("/projects/{id}", get(project_page))
        .route("/projects/{id}/stage", post(move_stage))
        .route("/projects/{id}/facts", post(facts))
        .route("/projects/{id}/visits", post(visit))
        .route("/projects/{id}/costs", post(add_cost))
        .route("/projects/{id}/negotiate", post(negotiate))
        .route("/projects/{id}/pay", post(pay))
        .route("/projects/{id}/costing", post(costing))
        .route("/projects/{id}/documents", post(upload_document))
        .route("/projects/{id}/scheme-notice", get(scheme_notice).post(post_scheme_notice))
        .route("/projects/{id}/ballot", get(ballot_doc))
        .route("/attachments/{id}", get(files::attachment))
}

pub fn api() -> OpenApiRouter<AppState> {
    use api::*;
    OpenApiRouter::new()
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(move_project))
        .routes(routes!(add_visit))
        .routes(routes!(get_shares))
}
