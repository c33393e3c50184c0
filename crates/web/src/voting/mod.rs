//! Voting on the web: pages for owners and the committee, and the JSON API.

pub mod actions;
pub mod api;
mod export;
pub mod pages;
mod paper;
pub mod settings;
pub mod views;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    use pages::*;
    Router::new()
        .route("/matters", post(create_matter))
        .route("/matters/new", get(new_matter))
        .route("/matters/{id}", get(matter_page))
        .route("/matters/{id}/edit", get(edit_page).post(edit_submit))
        .route("/matters/{id}/delete", post(delete_draft))
        .route("/matters/{id}/vote", post(vote))
        .route("/matters/{id}/notice", get(notice_page).post(post_notice))
        .route("/matters/{id}/open", post(open_voting))
        .route("/matters/{id}/close", post(close_voting))
        .route("/matters/{id}/window", post(extend_window))
        .route("/matters/{id}/turnout", get(turnout_page))
        .route("/matters/{id}/reminders", post(remind_voters))
        .route("/matters/{id}/ballots", get(ballots_page))
        .route("/matters/{id}/receipts", get(receipts_page))
        .route("/matters/{id}/roll", get(roll_page))
        .route("/matters/{id}/export.xlsx", get(export_xlsx))
        .route("/matters/{id}/paper", get(paper::paper_page).post(paper::paper_submit))
        .route("/matters/{id}/paper/resolve", post(paper::paper_resolve))
        .route("/matters/{id}/proxy", post(paper::proxy_submit))
        .route("/settings/voting", get(settings::settings_page).post(settings::settings_save))
}

pub fn api() -> OpenApiRouter<AppState> {
    use api::*;
    OpenApiRouter::new()
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter))
        .routes(routes!(post_notice))
        .routes(routes!(open_voting))
        .routes(routes!(close_voting))
        .routes(routes!(extend_window))
        .routes(routes!(cast_ballot))
        .routes(routes!(get_turnout))
        .routes(routes!(get_tally))
        .routes(routes!(remind_voters))
        .routes(routes!(get_unreached))
        .routes(routes!(settings::get_settings, settings::put_settings))
}

/// Voting's messages written as they are sent: the committee's digest of a vote's turnout, each
/// building leader's households to visit, and the groups' count of households yet to vote.
pub fn rewrites() -> Vec<(&'static str, crate::accounts::outbox::Rewrite)> {
    fn digest(
        store: gongzhi_store::Store,
        m: gongzhi_store::kit::outbox::Message,
    ) -> crate::accounts::outbox::Rewritten {
        Box::pin(async move {
            let matter = m.about?;
            store.vote_digest(&m.compound, &matter).await.ok()
        })
    }
    fn leader(
        store: gongzhi_store::Store,
        m: gongzhi_store::kit::outbox::Message,
    ) -> crate::accounts::outbox::Rewritten {
        Box::pin(async move {
            let (matter, person) = (m.about?, m.person?);
            store.leader_visits(&m.compound, &matter, &person).await.ok()
        })
    }
    fn bot(store: gongzhi_store::Store, m: gongzhi_store::kit::outbox::Message) -> crate::accounts::outbox::Rewritten {
        Box::pin(async move {
            let matter = m.about?;
            store.bot_message(&m.compound, &matter).await.ok()
        })
    }
    use gongzhi_store::voting::reminders::{VOTE_BOT, VOTE_DIGEST, VOTE_LEADER};
    vec![(VOTE_DIGEST, digest), (VOTE_LEADER, leader), (VOTE_BOT, bot)]
}
