//! Reaching people (issue 11), as pages and API: my channels and quiet hours, my calendar feed
//! (a secret address I can revoke), the compound's mail relay and group bots, and the staff's
//! delivery log with its dead letters. The messages themselves are queued by each process in the
//! outbox and sent by [`crate::accounts::outbox`]'s worker.

use super::chrome::chrome;
use super::viewer::Viewer;
use crate::AppState;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Json, Path, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::accounts::reach::{BotKind, Channels, QuietHours, ReachRefusal, Relay, Tls, Webhook};
use gongzhi_core::kit::ical::{self, Event, When};
use gongzhi_core::kit::{KitRefusal, Refused};
use gongzhi_store::kit::outbox::{Message, Status};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

crate::kit::i18n::messages! {
    my_channels => "接收通知的方式", "How I am reached";
    channels_hint => "投票提醒、会议通知、值班安排都按这里的选择发给您。都不选的，由楼组长上门或张贴书面通知。",
        "Reminders to vote, meetings and duty shifts reach you as you choose here. If you choose none, your building leader visits or a paper notice is posted.";
    in_app_label => "在本平台的“通知”里", "In the notices on this site";
    by_email_label => "发电子邮件给我", "By email";
    email_label => "电子邮箱", "Email address";
    quiet_label => "免打扰时段（北京时间，例如 22:00 到 07:00；这段时间里的邮件推迟到结束时发送）",
        "Quiet hours (Shanghai time, e.g. 22:00 to 07:00; an email due then waits until they end)";
    quiet_from_label => "从", "From";
    quiet_to_label => "到", "To";
    calendar_feed => "我的日历", "My calendar";
    calendar_feed_hint => "把这个地址添加到手机日历（订阅日历），投票期限、会议和值班会自动出现。地址是保密的：不要转发；泄露了就重新生成，旧地址立即作废。",
        "Add this address to your phone's calendar (subscribe): vote windows, meetings and duty shifts appear by themselves. The address is secret: do not forward it; if it leaks, make a new one and the old one stops working.";
    calendar_new => "生成日历地址", "Make a calendar address";
    calendar_again => "重新生成（旧地址作废）", "Make a new address (the old one stops working)";
    calendar_revoke => "停用日历地址", "Revoke the calendar address";
    calendar_shown_once => "请现在复制：为了安全，这个地址只显示这一次。", "Copy it now: for safety it is shown only this once.";
    calendar_active => "您有一个有效的日历地址。", "You have a calendar address in use.";
    calendar_revoked => "日历地址已停用。", "The calendar address was revoked.";
    reach_settings => "邮件服务器和群机器人", "Mail relay and group bots";
    reach_settings_hint => "密码和机器人的密钥保存后不再显示，也不会写进日志。", "Passwords and bots' secrets are never shown again once saved, and never logged.";
    relay => "邮件服务器（SMTP）", "Mail relay (SMTP)";
    relay_none => "本小区没有设置自己的邮件服务器：使用服务器启动时指定的本地转发（--smtp-relay）。", "This compound has no relay of its own: the server's local relay (--smtp-relay) is used.";
    relay_host => "服务器地址", "Host";
    relay_port => "端口", "Port";
    relay_tls => "加密方式", "Encryption";
    tls_none => "不加密（仅限本机或内网的转发）", "None (only a relay on this machine or network)";
    tls_starttls => "STARTTLS（通常是 587 端口）", "STARTTLS (usually port 587)";
    tls_tls => "TLS（通常是 465 端口）", "TLS (usually port 465)";
    relay_user => "用户名", "User name";
    relay_password => "密码（留空则保留原密码）", "Password (leave empty to keep the one saved)";
    relay_from => "发件人地址", "Sender address";
    relay_clear => "不再使用本小区的邮件服务器", "Stop using this compound's relay";
    password_saved => "已保存密码", "a password is saved";
    bots => "群机器人", "Group bots";
    bots_hint => "企业微信和钉钉群机器人收到投票提醒时，只说明各楼还有多少户没有投票，不列出门牌号。JSON 机器人用密钥对内容签名（HMAC-SHA256），供街道的系统核验。",
        "WeChat Work and DingTalk group bots get, with each reminder to vote, only how many households in each building have not voted, never unit numbers. A JSON webhook signs what it sends with its secret (HMAC-SHA256) for the district's systems to check.";
    bot_name => "名称", "Name";
    bot_kind => "类型", "Kind";
    bot_url => "机器人地址（Webhook）", "Bot address (webhook)";
    bot_secret => "密钥（钉钉加签、JSON 必填）", "Secret (DingTalk signing; required for JSON)";
    bot_add => "添加机器人", "Add a bot";
    bot_remove => "删除", "Remove";
    no_bots => "还没有群机器人。", "No group bots yet.";
    kind_wecom => "企业微信群机器人", "WeChat Work group bot";
    kind_dingtalk => "钉钉群机器人", "DingTalk group bot";
    kind_json => "JSON（HMAC 签名）", "JSON (HMAC-signed)";
    secret_saved => "已保存密钥", "a secret is saved";
    deliveries => "通知投递记录", "Delivery log";
    deliveries_hint => "每条通知都先写进发件箱，再由投递程序发送；失败的按 1 分钟、2 分钟……最长 6 小时的间隔重试，8 次仍失败的成为“无法投递”，在这里重新发送。",
        "Every message is written to the outbox first, then sent by the delivery worker; a failure is retried after 1 minute, 2 minutes and so on up to 6 hours, and after 8 failures it is a dead letter, sent again from here.";
    all_statuses => "全部", "All";
    st_queued => "待发送", "queued";
    st_sending => "发送中", "sending";
    st_sent => "已送达", "sent";
    st_dead => "无法投递", "dead letter";
    st_cancelled => "已取消（不再需要）", "cancelled (no longer needed)";
    col_when => "时间", "When";
    col_channel => "渠道", "Channel";
    col_to => "收件人", "To";
    col_subject => "标题", "Subject";
    col_status => "状态", "Status";
    col_attempts => "尝试次数", "Attempts";
    col_answer => "对方的回答", "Answer";
    retry => "重新发送", "Send again";
    ch_in_app => "站内通知", "in-app";
    ch_email => "电子邮件", "email";
    ch_webhook => "群机器人", "bot";
    no_deliveries => "没有记录。", "Nothing here.";
    saved_note => "已保存。", "Saved.";
    unreached_title => "需要书面通知或上门的住户", "Households to reach on paper or at the door";
    unreached_hint => "这些住户还没有投票，平台无法提醒他们：没有账户，或者没有选择任何接收方式。请张贴或送达书面通知，或由楼组长上门。",
        "These households have not voted and the platform cannot remind them: no account, or no way of being reached chosen. Post or deliver a paper notice, or the building leader visits.";
    no_account => "没有账户", "no account";
}

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

fn refused_page_status(mut r: Response, refusal: &Refused) -> Response {
    *r.status_mut() = crate::kit::error::status_of(refusal.kind());
    r
}

// ----- my channels -----

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
pub(super) struct ChannelsQuery {
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

pub(super) async fn channels_page(
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
pub(super) struct ChannelsForm {
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

pub(super) async fn channels_save(
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

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

fn feed_url(state: &AppState, token: &str) -> String {
    state.public_url(&format!("/calendar.ics?key={token}"))
}

/// Makes a new feed address and shows it once.
pub(super) async fn calendar_new(
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

pub(super) async fn calendar_revoke(State(state): State<AppState>, v: Viewer, Form(f): Form<CsrfForm>) -> Answer {
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
pub(super) async fn get_channels(
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
pub(super) async fn put_channels(
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
pub(super) async fn post_calendar(
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
pub(super) async fn delete_calendar(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
) -> Result<StatusCode, AppError> {
    v.check_csrf(csrf(&h))?;
    state.store.revoke_calendar(&v.account.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub(super) struct FeedQuery {
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
pub(super) async fn calendar_feed(
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

// ----- the compound's relay and bots -----

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
pub(super) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn reach_settings_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<SavedQuery>,
) -> Answer {
    v.require(AccountsAction::ManageChannels, Subject::Compound)?;
    Ok(html(render(&reach_page(&state, &p, &v, None, None, q.saved.is_some(), String::new()).await?)))
}

#[derive(Deserialize)]
pub(super) struct RelayForm {
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

pub(super) async fn relay_save(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<RelayForm>) -> Answer {
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
pub(super) struct BotForm {
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

pub(super) async fn bot_add(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<BotForm>) -> Answer {
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
pub(super) struct BotRemoveForm {
    csrf: String,
    name: String,
}

pub(super) async fn bot_remove(State(state): State<AppState>, v: Viewer, Form(f): Form<BotRemoveForm>) -> Answer {
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
pub(super) async fn get_relay(
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
pub(super) async fn put_relay(
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
pub(super) async fn delete_relay(
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
pub(super) async fn get_bots(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<BotJson>>, AppError> {
    v.require(AccountsAction::ManageChannels, Subject::Compound)?;
    Ok(axum::Json(state.store.webhooks(v.compound()).await?.into_iter().map(bot_json).collect()))
}

/// Add a group bot.
#[utoipa::path(post, path = "/api/v1/settings/webhooks", tag = "settings", request_body = BotJson,
    responses((status = 201, body = BotJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_bot(
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
pub(super) async fn delete_bot(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(name): Path<String>,
) -> Result<StatusCode, AppError> {
    v.acting(AccountsAction::ManageChannels, Subject::Compound, csrf(&h))?;
    state.store.remove_webhook(v.compound(), &name, v.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ----- the delivery log -----

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
pub(super) struct DeliveriesQuery {
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

pub(super) async fn deliveries_page(
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

pub(super) async fn retry_page(
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
pub(super) async fn get_deliveries(
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
pub(super) async fn get_delivery(
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
pub(super) async fn post_retry(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    v.acting(AccountsAction::SeeDeliveries, Subject::Compound, csrf(&h))?;
    state.store.retry_message(v.compound(), &id, v.actor(), crate::now_ms()).await?;
    Ok(StatusCode::NO_CONTENT)
}
