//! The staff's delivery log and dead letters (page and API).

use super::super::chrome::chrome;
use super::super::viewer::Viewer;
use super::CsrfForm;
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Path, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::kit::KitRefusal;
use gongzhi_store::kit::outbox::{Message, Status};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn status_label(t: &Tr, s: Status) -> String {
    match s {
        Status::Queued => t.st_queued(),
        Status::Sending => t.st_sending(),
        Status::Sent => t.st_sent(),
        Status::Dead => t.st_dead(),
        Status::Cancelled => t.st_cancelled(),
    }
    .to_string()
}

pub struct DeliveryRow {
    pub id: String,
    pub at: String,
    pub channel: String,
    pub to: String,
    pub subject: String,
    pub status: String,
    pub dead: bool,
    pub attempts: i64,
    pub answer: String,
}

#[derive(Template)]
#[template(path = "accounts/deliveries.html")]
pub struct DeliveriesPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    /// (status key, label, count)
    pub counts: Vec<(String, String, i64)>,
    pub filter: String,
    pub rows: Vec<DeliveryRow>,
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct DeliveriesQuery {
    /// Only messages in this status: queued, sending, sent, dead, cancelled.
    #[serde(default)]
    status: Option<String>,
}

fn status_filter(q: &DeliveriesQuery) -> Result<Option<Status>, AppError> {
    match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Status::parse(s).map(Some).ok_or_else(|| {
            KitRefusal::FormInvalid { detail: format!("status: {s:?} is not queued, sending, sent, dead or cancelled") }
                .refused()
                .into()
        }),
    }
}

fn channel_label(t: &Tr, m: &Message) -> String {
    match m.channel {
        gongzhi_store::kit::outbox::Channel::InApp => t.ch_in_app(),
        gongzhi_store::kit::outbox::Channel::Email => t.ch_email(),
        gongzhi_store::kit::outbox::Channel::Webhook => t.ch_webhook(),
    }
    .to_string()
}

pub(crate) async fn deliveries_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<DeliveriesQuery>,
) -> Answer {
    v.require(AccountsAction::SeeDeliveries, Subject::Compound)?;
    let t = p.t();
    let filter = status_filter(&q)?;
    let names = state.store.account_names(v.compound()).await?;
    let rows = state
        .store
        .delivery_log(v.compound(), filter, 500)
        .await?
        .into_iter()
        .map(|m| DeliveryRow {
            at: gongzhi_core::time::datetime(m.sent_at.unwrap_or(m.due_at)),
            channel: channel_label(&t, &m),
            to: match m.channel {
                gongzhi_store::kit::outbox::Channel::InApp => {
                    names.get(&m.recipient).cloned().unwrap_or(m.recipient.clone())
                }
                _ => m.recipient.clone(),
            },
            subject: m.subject.clone(),
            status: status_label(&t, m.status),
            dead: m.status == Status::Dead,
            attempts: m.attempts,
            answer: m.last_error.clone().unwrap_or_default(),
            id: m.id,
        })
        .collect();
    let counts = state
        .store
        .delivery_counts(v.compound())
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), status_label(&t, s), n))
        .collect();
    let page = DeliveriesPage {
        c: chrome(&state, &p, Some(&v), "/deliveries").await,
        counts,
        filter: filter.map(|s| s.as_str().to_string()).unwrap_or_default(),
        rows,
        t,
    };
    Ok(html(render(&page)))
}

pub(crate) async fn retry_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    v.acting(AccountsAction::SeeDeliveries, Subject::Compound, Some(&f.csrf))?;
    state.store.retry_message(v.compound(), &id, v.actor(), crate::now_ms()).await?;
    Ok(see_other("/deliveries?status=dead"))
}

/// One attempt to send.
#[derive(Serialize, ToSchema)]
pub struct AttemptJson {
    seq: i64,
    /// UTC ms.
    at: i64,
    worker: String,
    ok: bool,
    /// What the other side answered (an SMTP reply, an HTTP status), or why it failed.
    answer: String,
}

/// A message in the outbox.
#[derive(Serialize, ToSchema)]
pub struct DeliveryJson {
    /// Also its Message-ID (`<id@gongzhi>`) and webhook `Idempotency-Key`.
    id: String,
    /// `in-app`, `email` or `webhook`.
    channel: String,
    /// A person's id (in-app), an address (email), a bot's name (webhook).
    recipient: String,
    kind: String,
    subject: String,
    /// queued, sending, sent, dead, cancelled.
    status: String,
    attempts: i64,
    due_at: i64,
    created_at: i64,
    sent_at: Option<i64>,
    last_error: Option<String>,
    /// Every attempt (in `GET /api/v1/deliveries/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    tries: Option<Vec<AttemptJson>>,
}

fn delivery_json(m: Message) -> DeliveryJson {
    DeliveryJson {
        id: m.id,
        channel: m.channel.as_str().into(),
        recipient: m.recipient,
        kind: m.kind,
        subject: m.subject,
        status: m.status.as_str().into(),
        attempts: m.attempts,
        due_at: m.due_at,
        created_at: m.created_at,
        sent_at: m.sent_at,
        last_error: m.last_error,
        tries: None,
    }
}

/// The delivery log.
#[derive(Serialize, ToSchema)]
pub struct DeliveriesJson {
    /// How many messages are in each status.
    counts: std::collections::BTreeMap<String, i64>,
    /// The newest 500, in the status asked for or all.
    messages: Vec<DeliveryJson>,
}

/// The compound's delivery log: every message, its status and attempts; `?status=dead` for the
/// dead letters.
#[utoipa::path(get, path = "/api/v1/deliveries", tag = "notices", params(DeliveriesQuery),
    responses((status = 200, body = DeliveriesJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_deliveries(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<DeliveriesQuery>,
) -> Result<axum::Json<DeliveriesJson>, AppError> {
    v.require(AccountsAction::SeeDeliveries, Subject::Compound)?;
    let filter = status_filter(&q)?;
    let messages = state.store.delivery_log(v.compound(), filter, 500).await?.into_iter().map(delivery_json).collect();
    let counts = state
        .store
        .delivery_counts(v.compound())
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_string(), n))
        .collect();
    Ok(axum::Json(DeliveriesJson { counts, messages }))
}

/// One message with every attempt.
#[utoipa::path(get, path = "/api/v1/deliveries/{id}", tag = "notices",
    params(("id" = String, Path, description = "the message's id")),
    responses((status = 200, body = DeliveryJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_delivery(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<DeliveryJson>, AppError> {
    v.require(AccountsAction::SeeDeliveries, Subject::Compound)?;
    let m =
        state.store.message(v.compound(), &id).await?.ok_or_else(|| AppError::from(KitRefusal::NotFound.refused()))?;
    let tries = state
        .store
        .message_attempts(v.compound(), &id)
        .await?
        .into_iter()
        .map(|a| AttemptJson { seq: a.seq, at: a.at, worker: a.worker, ok: a.ok, answer: a.answer })
        .collect();
    Ok(axum::Json(DeliveryJson { tries: Some(tries), ..delivery_json(m) }))
}

/// Send a dead letter again.
#[utoipa::path(post, path = "/api/v1/deliveries/{id}/retry", tag = "notices",
    params(("id" = String, Path, description = "the dead letter's id")),
    responses((status = 204, description = "queued again"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn post_retry(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    v.acting(AccountsAction::SeeDeliveries, Subject::Compound, csrf(&h))?;
    state.store.retry_message(v.compound(), &id, v.actor(), crate::now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
