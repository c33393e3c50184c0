//! Signing in and out, the language and text-size switches, signing up with a binding code,
//! binding a unit with a code, and moving between one's compounds.

use super::signin::{authenticate, first_membership};
use super::views::{BindPage, CompoundsPage, Login, RegisterPage};
use crate::AppState;
use crate::accounts::chrome::chrome;
use crate::accounts::{MaybeViewer, Viewer};
use crate::kit::auth::{
    PRE_CSRF_COOKIE, SESSION_TTL_MS, Source, clear_session_cookie, constant_eq, cookie, session_cookie,
};
use crate::kit::forms::Form;
use crate::kit::views::Message;
use crate::kit::{Answer, AppError, Prefs, html, render};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongzhi_core::accounts::{AccountsRefusal, Relation};
use gongzhi_core::kit::{Lang, Refused};
use gongzhi_store::accounts::random_token;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

#[derive(Deserialize)]
pub(super) struct NextQuery {
    next: Option<String>,
}

/// A local path to go back to: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

pub(super) async fn login_page(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    login_form(&state, &p, &headers, String::new(), String::new(), safe_next(q.next.as_deref()), StatusCode::OK).await
}

fn pre_csrf(headers: &HeaderMap) -> String {
    cookie(headers, PRE_CSRF_COOKIE).map(String::from).unwrap_or_else(random_token)
}

fn with_pre_csrf(mut r: Response, pre: &str) -> Response {
    let c = format!("{PRE_CSRF_COOKIE}={pre}; Path=/; HttpOnly; SameSite=Strict");
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    r
}

fn with_session(mut r: Response, token: &str, secure: bool) -> Response {
    let c = session_cookie(token, secure);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    r
}

pub(super) async fn login_form(
    state: &AppState,
    p: &Prefs,
    headers: &HeaderMap,
    error: String,
    login: String,
    next: String,
    status: StatusCode,
) -> Response {
    let pre = pre_csrf(headers);
    let page = Login { t: p.t(), c: chrome(state, p, None, "/login").await, pre_csrf: pre.clone(), error, login, next };
    with_pre_csrf((status, Html(render(&page))).into_response(), &pre)
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    csrf: String,
    login: String,
    password: String,
    next: Option<String>,
}

pub(super) async fn login_submit(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Source(addr): Source,
    Form(f): Form<LoginForm>,
) -> Answer {
    let next = safe_next(f.next.as_deref());
    if !cookie(&headers, PRE_CSRF_COOKIE).is_some_and(|c| constant_eq(c, &f.csrf)) {
        return AccountsRefusal::FormExpired.err();
    }
    let person = match authenticate(&state, &f.login, &f.password, addr).await {
        Ok(person) => person,
        Err(AppError::Refused(r)) if r.kind() != gongzhi_core::kit::Kind::Forbidden => {
            let status = crate::kit::error::status_of(r.kind());
            return Ok(login_form(&state, &p, &headers, r.say(p.lang), f.login, next, status).await);
        }
        Err(e) => return Err(e),
    };
    let account = first_membership(&state, &person).await?;
    let (token, _) = state.store.create_session(&account, SESSION_TTL_MS).await?;
    // a temporary password from staff is replaced before anything else
    let to = if state.store.must_change_password(&person).await? { "/password".to_string() } else { next };
    Ok(with_session(Redirect::to(&to).into_response(), &token, state.secure_cookies))
}

pub(super) async fn logout(State(state): State<AppState>, v: MaybeViewer, Form(f): Form<CsrfForm>) -> Answer {
    if let Some(v) = v.0 {
        v.check_csrf(Some(&f.csrf))?;
        state.store.end_session(&v.token).await?;
    }
    let mut r = Redirect::to("/").into_response();
    let clear = clear_session_cookie(state.secure_cookies);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&clear).expect("ascii cookie"));
    Ok(r)
}

#[derive(Deserialize)]
pub(super) struct PrefsQuery {
    lang: Option<String>,
    large: Option<String>,
    next: Option<String>,
}

pub(super) async fn prefs(Query(q): Query<PrefsQuery>) -> Response {
    let mut r = Redirect::to(&safe_next(q.next.as_deref())).into_response();
    if let Some(l) = q.lang.as_deref().and_then(Lang::parse) {
        let c = format!("gz_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", l.short());
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    }
    if let Some(large) = q.large.as_deref() {
        let c = format!("gz_large={}; Path=/; Max-Age=31536000; SameSite=Lax", if large == "1" { "1" } else { "0" });
        r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    }
    r
}

/// The sign-up page; `?code=` (from a slip's QR code) fills the binding code in.
pub(super) async fn register_page(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let code: String = q.get("code").map(|c| c.trim().chars().take(64).collect()).unwrap_or_default();
    let f = RegisterForm { code, ..RegisterForm::default() };
    register_form(&state, &p, &headers, String::new(), &f, StatusCode::OK).await
}

pub(super) async fn register_form(
    state: &AppState,
    p: &Prefs,
    headers: &HeaderMap,
    error: String,
    f: &RegisterForm,
    status: StatusCode,
) -> Response {
    let pre = pre_csrf(headers);
    let page = RegisterPage {
        t: p.t(),
        c: chrome(state, p, None, "/register").await,
        pre_csrf: pre.clone(),
        error,
        code: f.code.clone(),
        name: f.name.clone(),
        login: f.login.clone(),
        phone: f.phone.clone(),
    };
    with_pre_csrf((status, Html(render(&page))).into_response(), &pre)
}

#[derive(Deserialize, Default)]
pub(super) struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
}

pub(super) async fn register_submit(
    State(state): State<AppState>,
    p: Prefs,
    headers: HeaderMap,
    Form(f): Form<RegisterForm>,
) -> Answer {
    if !cookie(&headers, PRE_CSRF_COOKIE).is_some_and(|c| constant_eq(c, &f.csrf)) {
        return AccountsRefusal::FormExpired.err();
    }
    if f.password.chars().count() < 8 {
        let msg = AccountsRefusal::PasswordShort.refused().say(p.lang);
        return Ok(register_form(&state, &p, &headers, msg, &f, StatusCode::UNPROCESSABLE_ENTITY).await);
    }
    let pw = f.password.clone();
    let hash = crate::kit::password::run_limited(move || crate::kit::password::hash(&pw)).await.unwrap_or_default();
    let account = gongzhi_store::accounts::NewAccount {
        login: f.login.clone(),
        phone: Some(f.phone.clone()),
        name: f.name.clone(),
        password_hash: hash,
        roles: vec![],
        units: vec![],
    };
    match state.store.register_with_code(&f.code, &account).await {
        Ok((a, redeemed)) => {
            let (token, _) = state.store.create_session(&a, SESSION_TTL_MS).await?;
            // a name the register does not give binds as a resident: say so, and that staff check
            let to = if redeemed.relation == Relation::Owner { "/" } else { "/bind?as=resident" };
            Ok(with_session(Redirect::to(to).into_response(), &token, state.secure_cookies))
        }
        Err(gongzhi_store::StoreError::Refused(r)) => {
            Ok(register_form(&state, &p, &headers, r.say(p.lang), &f, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct BindQuery {
    #[serde(rename = "as")]
    bound_as: Option<String>,
}

pub(super) async fn bind_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Query(q): Query<BindQuery>,
) -> Answer {
    let c = chrome(&state, &p, Some(&v), "/bind").await;
    let resident = q.bound_as.as_deref() == Some("resident");
    Ok(html(render(&BindPage { t: p.t(), c, error: String::new(), resident })))
}

#[derive(Deserialize)]
pub(super) struct BindForm {
    csrf: String,
    code: String,
}

pub(super) async fn bind_submit(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<BindForm>) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
    match state.store.redeem_binding_code(&v.account, &f.code).await {
        Ok(r) => {
            let t = p.t();
            let text = match r.relation {
                Relation::Owner => r.unit.to_string(),
                Relation::Resident => format!("{} · {}", r.unit, t.bound_as_resident()),
            };
            let c = chrome(&state, &p, Some(&v), "/bind").await;
            Ok(html(render(&Message { t, c, heading: t.bound().into(), text, back: "/".into() })))
        }
        Err(gongzhi_store::StoreError::Refused(r)) if r.kind().is_bad_input() => {
            let c = chrome(&state, &p, Some(&v), "/bind").await;
            let page = BindPage { t: p.t(), c, error: r.say(p.lang), resident: false };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(render(&page))).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// The compounds a person belongs to, to move between them.
pub(super) async fn compounds_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    let compounds = state.store.memberships(&v.account.id).await?;
    let c = chrome(&state, &p, Some(&v), "/compounds").await;
    Ok(html(render(&CompoundsPage { t: p.t(), c, current: v.compound().to_string(), compounds })))
}

#[derive(Deserialize)]
pub(super) struct SwitchForm {
    csrf: String,
    compound: String,
}

pub(super) async fn switch_compound(State(state): State<AppState>, v: Viewer, Form(f): Form<SwitchForm>) -> Answer {
    v.check_csrf(Some(&f.csrf))?;
    if !state.store.switch_compound(&v.token, &f.compound).await? {
        return Err(AppError::from(Refused::from(gongzhi_core::kit::KitRefusal::NotFound)));
    }
    Ok(Redirect::to("/").into_response())
}
