//! A person's channels, quiet hours and calendar feed (page and API).

use super::super::chrome::chrome;
use super::super::viewer::Viewer;
use super::{CsrfForm, refused_page_status};
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongzhi_core::accounts::reach::{Channels, QuietHours, ReachRefusal};
use gongzhi_core::kit::Refused;
use gongzhi_core::kit::ical::{self, Event, When};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Template)]
#[template(path = "accounts/channels.html")]
pub struct ChannelsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub email: String,
    pub in_app: bool,
    pub by_email: bool,
    pub quiet_from: String,
    pub quiet_to: String,
    pub has_feed: bool,
    /// The feed's address, only in the answer that made it.
    pub feed_url: String,
    pub revoked: bool,
    pub saved: bool,
    pub error: String,
}

#[derive(Deserialize)]
pub(crate) struct ChannelsQuery {
    #[serde(default)]
    saved: Option<String>,
    #[serde(default)]
    revoked: Option<String>,
}

async fn channels_page_with(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    form: Option<&ChannelsForm>,
    feed_url: String,
    flags: (bool, bool),
    error: String,
) -> Result<ChannelsPage, AppError> {
    let ch = state.store.channels(&v.account.id).await?;
    let (email, in_app, by_email, quiet_from, quiet_to) = match form {
        Some(f) => {
            (f.email.clone(), f.in_app.is_some(), f.by_email.is_some(), f.quiet_from.clone(), f.quiet_to.clone())
        }
        None => (
            ch.email.clone().unwrap_or_default(),
            ch.in_app,
            ch.by_email,
            ch.quiet.map(|q| q.from_text()).unwrap_or_default(),
            ch.quiet.map(|q| q.to_text()).unwrap_or_default(),
        ),
    };
    Ok(ChannelsPage {
        t: p.t(),
        c: chrome(state, p, Some(v), "/me/channels").await,
        email,
        in_app,
        by_email,
        quiet_from,
        quiet_to,
        has_feed: state.store.has_calendar(&v.account.id).await?,
        feed_url,
        saved: flags.0,
        revoked: flags.1,
        error,
    })
}

pub(crate) async fn channels_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<ChannelsQuery>,
) -> Answer {
    let page = channels_page_with(
        &state,
        &p,
        &v,
        None,
        String::new(),
        (q.saved.is_some(), q.revoked.is_some()),
        String::new(),
    )
    .await?;
    Ok(html(render(&page)))
}

#[derive(Deserialize)]
pub(crate) struct ChannelsForm {
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    in_app: Option<String>,
    #[serde(default)]
    by_email: Option<String>,
    #[serde(default)]
    quiet_from: String,
    #[serde(default)]
    quiet_to: String,
}

fn channels_of(email: &str, in_app: bool, by_email: bool, from: &str, to: &str) -> Result<Channels, Refused> {
    Channels {
        email: Some(email.to_string()).filter(|e| !e.trim().is_empty()),
        in_app,
        by_email,
        quiet: QuietHours::parse(from, to)?,
    }
    .checked()
}

pub(crate) async fn channels_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<ChannelsForm>,
) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
    let result = match channels_of(&f.email, f.in_app.is_some(), f.by_email.is_some(), &f.quiet_from, &f.quiet_to) {
        Ok(c) => state.store.set_channels(v.compound(), &v.account.id, c, v.actor()).await.map_err(AppError::from),
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(_) => Ok(see_other("/me/channels?saved=1")),
        Err(AppError::Refused(r)) => {
            let page =
                channels_page_with(&state, &p, &v, Some(&f), String::new(), (false, false), r.say(p.lang)).await?;
            Ok(refused_page_status(html(render(&page)), &r))
        }
        Err(e) => Err(e),
    }
}

fn feed_url(state: &AppState, token: &str) -> String {
    state.public_url(&format!("/calendar.ics?key={token}"))
}

/// Makes a new feed address and shows it once.
pub(crate) async fn calendar_new(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Form(f): Form<CsrfForm>,
) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
    let token = state.store.new_calendar_token(&v.account.id).await?;
    let page =
        channels_page_with(&state, &p, &v, None, feed_url(&state, &token), (false, false), String::new()).await?;
    let mut r = html(render(&page));
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(r)
}

pub(crate) async fn calendar_revoke(State(state): State<AppState>, v: Viewer, Form(f): Form<CsrfForm>) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
    state.store.revoke_calendar(&v.account.id).await?;
    Ok(see_other("/me/channels?revoked=1"))
}

/// How I am reached.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ChannelsJson {
    /// My email address (needed for `by_email`).
    #[serde(default)]
    email: Option<String>,
    /// Notices on this site (the list behind the count on every page).
    in_app: bool,
    /// Email to `email`.
    by_email: bool,
    /// Quiet hours' start, Shanghai time, `HH:MM` (with `quiet_to`, or neither).
    #[serde(default)]
    quiet_from: Option<String>,
    #[serde(default)]
    quiet_to: Option<String>,
    /// Whether I have a calendar feed address (read only).
    #[serde(default)]
    calendar: bool,
}

async fn channels_json(state: &AppState, person: &str) -> Result<ChannelsJson, AppError> {
    let c = state.store.channels(person).await?;
    Ok(ChannelsJson {
        email: c.email,
        in_app: c.in_app,
        by_email: c.by_email,
        quiet_from: c.quiet.map(|q| q.from_text()),
        quiet_to: c.quiet.map(|q| q.to_text()),
        calendar: state.store.has_calendar(person).await?,
    })
}

/// How I am reached.
#[utoipa::path(get, path = "/api/v1/me/channels", tag = "notices",
    responses((status = 200, body = ChannelsJson),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_channels(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<ChannelsJson>, AppError> {
    Ok(axum::Json(channels_json(&state, &v.account.id).await?))
}

/// Change how I am reached.
#[utoipa::path(put, path = "/api/v1/me/channels", tag = "notices", request_body = ChannelsJson,
    responses((status = 200, body = ChannelsJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn put_channels(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<ChannelsJson>,
) -> Result<axum::Json<ChannelsJson>, AppError> {
    v.check_csrf(csrf(&h))?;
    let c = channels_of(
        b.email.as_deref().unwrap_or(""),
        b.in_app,
        b.by_email,
        b.quiet_from.as_deref().unwrap_or(""),
        b.quiet_to.as_deref().unwrap_or(""),
    )?;
    state.store.set_channels(v.compound(), &v.account.id, c, v.actor()).await?;
    get_channels(State(state), v).await
}

/// My calendar feed's new address.
#[derive(Serialize, ToSchema)]
pub struct FeedJson {
    /// Secret: whoever has it reads my calendar. Shown only in this answer.
    url: String,
}

/// Make a new calendar feed address (the old one stops working).
#[utoipa::path(post, path = "/api/v1/me/calendar", tag = "notices",
    responses((status = 201, body = FeedJson),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn post_calendar(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
) -> Result<Response, AppError> {
    v.check_csrf(csrf(&h))?;
    let token = state.store.new_calendar_token(&v.account.id).await?;
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(FeedJson { url: feed_url(&state, &token) }),
    )
        .into_response())
}

/// Revoke my calendar feed address.
#[utoipa::path(delete, path = "/api/v1/me/calendar", tag = "notices",
    responses((status = 204, description = "revoked"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn delete_calendar(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
) -> Result<StatusCode, AppError> {
    v.check_csrf(csrf(&h))?;
    state.store.revoke_calendar(&v.account.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub(crate) struct FeedQuery {
    /// The feed's secret.
    #[serde(default)]
    key: String,
}

/// A person's calendar: the vote windows of every compound they belong to (matters on notice,
/// open, or closed within the last 90 days); meetings and duty shifts join as their processes
/// come. No session: the secret in the address is the key; a revoked one is not found.
#[utoipa::path(get, path = "/calendar.ics", tag = "notices", params(FeedQuery),
    responses((status = 200, description = "an iCalendar feed (RFC 5545)", content_type = "text/calendar"),
        (status = 404, description = "no such address, or revoked (a page)", content_type = "text/html")))]
pub(crate) async fn calendar_feed(
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
) -> Result<Response, AppError> {
    if q.key.is_empty() || q.key.len() > 200 {
        return Err(ReachRefusal::CalendarUnknown.refused().into());
    }
    let person = state.store.calendar_person(&q.key).await?;
    let now = crate::now_ms();
    let mut events = Vec::new();
    for (compound, name) in state.store.memberships(&person).await? {
        let roles = state.store.account(&compound, &person).await?.member.roles;
        events.extend(crate::calendar_events(&state, &compound, &name, &person, &roles).await?);
        for m in state.store.matters(&compound).await? {
            let (Some(start), Some(end)) = (m.window_start, m.window_end) else { continue };
            let recent = m.closed_at.is_none_or(|c| now - c < 90 * 86_400_000);
            let shown = matches!(
                m.status,
                gongzhi_core::MatterStatus::Notice
                    | gongzhi_core::MatterStatus::Open
                    | gongzhi_core::MatterStatus::Closed
            );
            if !shown || !recent {
                continue;
            }
            events.push(Event {
                uid: format!("vote-{}@gongzhi", m.id),
                when: When::Days { first: ical::day(start), last: ical::day(end) },
                summary: format!("投票：{}", m.title),
                description: format!("{name}。投票期限到 {} 24:00。", gongzhi_core::time::date(end)),
                location: Some(name.clone()),
                url: Some(state.public_url(&format!("/matters/{}", m.id))),
            });
        }
    }
    let body = ical::feed("共治 gongzhi", &events, now);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
            (header::CONTENT_DISPOSITION, "inline; filename=\"gongzhi.ics\""),
        ],
        body,
    )
        .into_response())
}
