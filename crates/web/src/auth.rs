//! Who is asking: the session from the cookie or the bearer token, the viewer's preferences,
//! and the CSRF check for cookie-authenticated writes.

use crate::AppState;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use gongzhi_core::roles::{Action, may};
use gongzhi_store::accounts::Account;

pub const SESSION_COOKIE: &str = "gz_session";
pub const PRE_CSRF_COOKIE: &str = "gz_pre";
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Language and text size: from the cookies the switch links set; Chinese by default.
#[derive(Clone, Copy, Debug)]
pub struct Prefs {
    pub lang: Lang,
    pub large: bool,
}

impl Prefs {
    pub fn from_headers(h: &HeaderMap) -> Prefs {
        Prefs {
            lang: cookie(h, "gz_lang").and_then(Lang::parse).unwrap_or(Lang::Zh),
            large: cookie(h, "gz_large") == Some("1"),
        }
    }

    pub fn t(&self) -> Tr {
        Tr(self.lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Prefs {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Prefs::from_headers(&parts.headers))
    }
}

/// A signed-in account.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub account: Account,
    pub csrf: String,
    /// Signed in by cookie (so writes need the CSRF token), not by bearer token.
    pub by_cookie: bool,
    pub token: String,
}

impl Viewer {
    pub fn compound(&self) -> &str {
        &self.account.compound_id
    }

    pub fn may(&self, action: Action) -> bool {
        may(&self.account.roles, action)
    }

    pub fn require(&self, action: Action) -> Result<(), AppError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!("{action:?} is not allowed for this account")))
        }
    }

    pub fn actor(&self) -> gongzhi_store::Actor<'_> {
        gongzhi_store::Actor { id: &self.account.id, login: &self.account.login }
    }

    /// For a write: a cookie session must present its CSRF token (form field or header).
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), AppError> {
        if !self.by_cookie || presented.is_some_and(|p| constant_eq(p, &self.csrf)) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }
}

pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The viewer if signed in.
pub struct MaybeViewer(pub Option<Viewer>);

async fn load(parts: &Parts, state: &AppState) -> Result<Option<Viewer>, AppError> {
    let bearer = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let (token, by_cookie) = match bearer {
        Some(t) => (t, false),
        None => match cookie(&parts.headers, SESSION_COOKIE) {
            Some(t) => (t, true),
            None => return Ok(None),
        },
    };
    let Some((s, account)) = state.store.session_account(token).await? else { return Ok(None) };
    Ok(Some(Viewer { account, csrf: s.csrf, by_cookie, token: token.to_string() }))
}

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(load(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        load(parts, state).await?.ok_or(AppError::Unauthorized)
    }
}

/// `Set-Cookie` for the session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_TTL_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}
