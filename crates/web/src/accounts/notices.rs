//! A person's in-app notices: the list behind the unread count on every page, and its API.
//! Delivered through the outbox ([`gongzhi_store::kit::outbox`]) by [`crate::accounts::outbox`]'s worker.

use super::chrome::chrome;
use super::viewer::Viewer;
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render};
use askama::Template;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    notices => "通知", "Notices";
    no_notices => "还没有通知。", "No notices yet.";
    unread_mark => "未读", "unread";
}

pub struct NoticeRow {
    pub subject: String,
    pub body: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "accounts/notices.html")]
pub struct NoticesPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub rows: Vec<NoticeRow>,
}

/// The list, newest first; opening it marks every notice read.
pub(super) async fn notices_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    let (list, _) = state.store.notices(v.compound(), &v.account.id, 200).await?;
    state.store.read_notices(v.compound(), &v.account.id, crate::now_ms()).await?;
    let rows = list
        .into_iter()
        .map(|m| NoticeRow {
            subject: m.subject,
            body: m.body,
            at: m.sent_at.map(gongzhi_core::time::datetime).unwrap_or_default(),
            unread: m.read_at.is_none(),
        })
        .collect();
    let c = chrome(&state, &p, Some(&v), "/notices").await;
    Ok(html(render(&NoticesPage { t: p.t(), c, rows })))
}

/// One in-app notice.
#[derive(Serialize, ToSchema)]
pub struct NoticeJson {
    id: String,
    /// What caused it, e.g. `vote.reminder`.
    kind: String,
    subject: String,
    body: String,
    /// When it was delivered (UTC ms).
    sent_at: Option<i64>,
    read: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NoticesJson {
    unread: i64,
    notices: Vec<NoticeJson>,
}

/// My in-app notices, newest first (reading them here does not mark them read).
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices",
    responses((status = 200, body = NoticesJson),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_notices(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<NoticesJson>, AppError> {
    let (list, unread) = state.store.notices(v.compound(), &v.account.id, 200).await?;
    let notices = list
        .into_iter()
        .map(|m| NoticeJson {
            read: m.read_at.is_some(),
            id: m.id,
            kind: m.kind,
            subject: m.subject,
            body: m.body,
            sent_at: m.sent_at,
        })
        .collect();
    Ok(axum::Json(NoticesJson { unread, notices }))
}
