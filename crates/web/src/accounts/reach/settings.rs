//! The compound's mail relay and group bots (page and API); secrets are written, never shown.

use super::super::chrome::chrome;
use super::super::viewer::Viewer;
use super::refused_page_status;
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Json, Path, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::accounts::reach::{BotKind, ReachRefusal, Relay, Tls, Webhook};
use gongzhi_core::kit::Refused;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub struct BotRow {
    pub name: String,
    pub kind: String,
    /// Scheme, host and path: the query (which carries the key) is never shown.
    pub place: String,
    pub secret_set: bool,
}

/// A bot's address without its query, which carries its key.
fn place(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or("").to_string()
}

fn kind_label(t: &Tr, k: BotKind) -> String {
    match k {
        BotKind::WeCom => t.kind_wecom(),
        BotKind::DingTalk => t.kind_dingtalk(),
        BotKind::Json => t.kind_json(),
    }
    .to_string()
}

#[derive(Template)]
#[template(path = "accounts/reach_settings.html")]
pub struct ReachSettingsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub has_relay: bool,
    pub host: String,
    pub port: String,
    pub tls: String,
    pub username: String,
    pub password_set: bool,
    pub mail_from: String,
    pub bots: Vec<BotRow>,
    pub bot_name: String,
    pub bot_kind: String,
    pub bot_url: String,
    pub saved: bool,
    pub error: String,
}

async fn reach_page(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    relay_form: Option<&RelayForm>,
    bot_form: Option<&BotForm>,
    saved: bool,
    error: String,
) -> Result<ReachSettingsPage, AppError> {
    let t = p.t();
    let relay = state.store.mail_relay(v.compound()).await?;
    let bots = state
        .store
        .webhooks(v.compound())
        .await?
        .into_iter()
        .map(|w| BotRow {
            kind: kind_label(&t, w.kind),
            place: place(&w.url),
            secret_set: w.secret.is_some(),
            name: w.name,
        })
        .collect();
    let (host, port, tls, username, mail_from) = match (relay_form, &relay) {
        (Some(f), _) => (f.host.clone(), f.port.clone(), f.tls.clone(), f.username.clone(), f.mail_from.clone()),
        (None, Some(r)) => (
            r.host.clone(),
            r.port.to_string(),
            r.tls.as_str().to_string(),
            r.username.clone().unwrap_or_default(),
            r.mail_from.clone(),
        ),
        (None, None) => (String::new(), "587".into(), "starttls".into(), String::new(), String::new()),
    };
    Ok(ReachSettingsPage {
        c: chrome(state, p, Some(v), "/settings/reaching").await,
        has_relay: relay.is_some(),
        password_set: relay.as_ref().is_some_and(|r| r.password.is_some()),
        host,
        port,
        tls,
        username,
        mail_from,
        bots,
        bot_name: bot_form.map(|b| b.name.clone()).unwrap_or_default(),
        bot_kind: bot_form.map(|b| b.kind.clone()).unwrap_or_else(|| "wecom".into()),
        bot_url: bot_form.map(|b| b.url.clone()).unwrap_or_default(),
        saved,
        error,
        t,
    })
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(crate) async fn reach_settings_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<SavedQuery>,
) -> Answer {
    v.require(AccountsAction::ManageChannels, Subject::Compound)?;
    Ok(html(render(&reach_page(&state, &p, &v, None, None, q.saved.is_some(), String::new()).await?)))
}

#[derive(Deserialize)]
pub(crate) struct RelayForm {
    csrf: String,
    #[serde(default)]
    host: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    tls: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    mail_from: String,
    #[serde(default)]
    clear: Option<String>,
}

fn relay_of(host: &str, port: &str, tls: &str, username: &str, password: &str, from: &str) -> Result<Relay, Refused> {
    let bad =
        |field: &str, detail: &str| ReachRefusal::RelayInvalid { field: field.into(), detail: detail.into() }.refused();
    Relay {
        host: host.into(),
        port: port.trim().parse::<u16>().map_err(|_| bad("port", "give a port between 1 and 65535"))?,
        tls: Tls::parse(tls).ok_or_else(|| bad("tls", "choose none, starttls or tls"))?,
        username: Some(username.to_string()),
        password: Some(password.to_string()).filter(|p| !p.is_empty()),
        mail_from: from.into(),
    }
    .checked()
}

pub(crate) async fn relay_save(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<RelayForm>) -> Answer {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, Some(&f.csrf))?;
    let relay = if f.clear.is_some() {
        Ok(None)
    } else {
        relay_of(&f.host, &f.port, &f.tls, &f.username, &f.password, &f.mail_from).map(Some)
    };
    let result = match relay {
        Ok(r) => state.store.set_mail_relay(v.compound(), r, v.actor()).await.map_err(AppError::from),
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(()) => Ok(see_other("/settings/reaching?saved=1")),
        Err(AppError::Refused(r)) => {
            let page = reach_page(&state, &p, &v, Some(&f), None, false, r.say(p.lang)).await?;
            Ok(refused_page_status(html(render(&page)), &r))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct BotForm {
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
}

fn bot_of(name: &str, kind: &str, url: &str, secret: Option<&str>) -> Result<Webhook, Refused> {
    let kind = BotKind::parse(kind).ok_or_else(|| {
        ReachRefusal::WebhookInvalid { field: "kind".into(), detail: "choose wecom, dingtalk or json".into() }.refused()
    })?;
    Webhook { name: name.into(), kind, url: url.into(), secret: secret.map(String::from) }.checked()
}

pub(crate) async fn bot_add(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<BotForm>) -> Answer {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, Some(&f.csrf))?;
    let result = match bot_of(&f.name, &f.kind, &f.url, Some(&f.secret)) {
        Ok(w) => state.store.add_webhook(v.compound(), w, v.actor()).await.map(|_| ()).map_err(AppError::from),
        Err(r) => Err(r.into()),
    };
    match result {
        Ok(()) => Ok(see_other("/settings/reaching?saved=1")),
        Err(AppError::Refused(r)) => {
            let page = reach_page(&state, &p, &v, None, Some(&f), false, r.say(p.lang)).await?;
            Ok(refused_page_status(html(render(&page)), &r))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(crate) struct BotRemoveForm {
    csrf: String,
    name: String,
}

pub(crate) async fn bot_remove(State(state): State<AppState>, v: Viewer, Form(f): Form<BotRemoveForm>) -> Answer {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, Some(&f.csrf))?;
    state.store.remove_webhook(v.compound(), &f.name, v.actor()).await?;
    Ok(see_other("/settings/reaching?saved=1"))
}

/// The compound's mail relay, without its password.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct RelayJson {
    host: String,
    #[schema(minimum = 1, maximum = 65535)]
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    port: u16,
    /// `none` (plain, a local relay only), `starttls` or `tls`.
    tls: String,
    #[serde(default)]
    username: Option<String>,
    /// Write only: left out, the saved one is kept.
    #[serde(default, skip_serializing)]
    password: Option<String>,
    /// Whether a password is saved (read only).
    #[serde(default)]
    password_set: bool,
    mail_from: String,
}

/// The compound's own relay, or `null` when the server's is used.
#[derive(Serialize, ToSchema)]
pub struct RelaySettingJson {
    relay: Option<RelayJson>,
}

/// The compound's mail relay (the director and staff).
#[utoipa::path(get, path = "/api/v1/settings/mail-relay", tag = "settings",
    responses((status = 200, body = RelaySettingJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_relay(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<RelaySettingJson>, AppError> {
    v.require(AccountsAction::ManageChannels, Subject::Compound)?;
    let relay = state.store.mail_relay(v.compound()).await?.map(|r| RelayJson {
        host: r.host,
        port: r.port,
        tls: r.tls.as_str().into(),
        username: r.username,
        password: None,
        password_set: r.password.is_some(),
        mail_from: r.mail_from,
    });
    Ok(axum::Json(RelaySettingJson { relay }))
}

/// Set the compound's mail relay.
#[utoipa::path(put, path = "/api/v1/settings/mail-relay", tag = "settings", request_body = RelayJson,
    responses((status = 200, body = RelaySettingJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn put_relay(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<RelayJson>,
) -> Result<axum::Json<RelaySettingJson>, AppError> {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, csrf(&h))?;
    let r = relay_of(
        &b.host,
        &b.port.to_string(),
        &b.tls,
        b.username.as_deref().unwrap_or(""),
        b.password.as_deref().unwrap_or(""),
        &b.mail_from,
    )?;
    state.store.set_mail_relay(v.compound(), Some(r), v.actor()).await?;
    get_relay(State(state), v).await
}

/// Stop using the compound's own relay (the server's is used).
#[utoipa::path(delete, path = "/api/v1/settings/mail-relay", tag = "settings",
    responses((status = 204, description = "removed"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn delete_relay(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
) -> Result<StatusCode, AppError> {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, csrf(&h))?;
    state.store.set_mail_relay(v.compound(), None, v.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A group bot. Its address's query and its secret are never answered back.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct BotJson {
    name: String,
    /// `wecom`, `dingtalk` or `json`.
    kind: String,
    /// Write: the whole address. Read: scheme, host and path only.
    url: String,
    /// Write only (DingTalk signing; required for `json`).
    #[serde(default, skip_serializing)]
    secret: Option<String>,
    #[serde(default)]
    secret_set: bool,
}

fn bot_json(w: Webhook) -> BotJson {
    BotJson {
        kind: w.kind.as_str().into(),
        url: place(&w.url),
        secret: None,
        secret_set: w.secret.is_some(),
        name: w.name,
    }
}

/// The compound's group bots.
#[utoipa::path(get, path = "/api/v1/settings/webhooks", tag = "settings",
    responses((status = 200, body = Vec<BotJson>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn get_bots(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<BotJson>>, AppError> {
    v.require(AccountsAction::ManageChannels, Subject::Compound)?;
    Ok(axum::Json(state.store.webhooks(v.compound()).await?.into_iter().map(bot_json).collect()))
}

/// Add a group bot.
#[utoipa::path(post, path = "/api/v1/settings/webhooks", tag = "settings", request_body = BotJson,
    responses((status = 201, body = BotJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn post_bot(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<BotJson>,
) -> Result<Response, AppError> {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, csrf(&h))?;
    let w = bot_of(&b.name, &b.kind, &b.url, b.secret.as_deref())?;
    let w = state.store.add_webhook(v.compound(), w, v.actor()).await?;
    Ok((StatusCode::CREATED, axum::Json(bot_json(w))).into_response())
}

/// Remove a group bot.
#[utoipa::path(delete, path = "/api/v1/settings/webhooks/{name}", tag = "settings",
    params(("name" = String, Path, description = "the bot's name")),
    responses((status = 204, description = "removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(crate) async fn delete_bot(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(name): Path<String>,
) -> Result<StatusCode, AppError> {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, csrf(&h))?;
    state.store.remove_webhook(v.compound(), &name, v.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
