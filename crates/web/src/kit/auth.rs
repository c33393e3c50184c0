//! Who is asking: the session from the cookie or the bearer token, the viewer's preferences, the
//! policy checks, and the CSRF check for cookie-authenticated writes.

use crate::AppState;
use crate::kit::error::AppError;
use crate::kit::i18n::Tr;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use gongzhi_core::accounts::policy::{Act, Subject, allows, could, require};
use gongzhi_core::accounts::{AccountsRefusal, Member};
use gongzhi_core::kit::Lang;
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

/// A signed-in person, acting in one compound. As an extractor it refuses with
/// [`AccountsRefusal::LoginRequired`], which a page answers with the login page.
#[derive(Clone, Debug)]
pub struct Viewer {
    pub account: Account,
    pub csrf: String,
    /// Signed in by cookie (so writes need the CSRF token), not by bearer token.
    pub by_cookie: bool,
    pub token: String,
    /// Signed in with a temporary password that must be replaced before anything else.
    pub must_change_password: bool,
}

impl Viewer {
    pub fn compound(&self) -> &str {
        &self.account.compound_id
    }

    pub fn member(&self) -> &Member {
        &self.account.member
    }

    /// Whether the viewer may take `action` on `subject` (a policy table's rule).
    pub fn may<A: Act>(&self, action: A, subject: Subject<'_>) -> bool {
        allows(self.member(), action, subject)
    }

    /// Whether the viewer may take `action` on some subject (to show a link or button).
    pub fn could<A: Act>(&self, action: A) -> bool {
        could(&self.member().roles, action)
    }

    pub fn require<A: Act>(&self, action: A, subject: Subject<'_>) -> Result<(), AppError> {
        Ok(require(self.member(), action, subject)?)
    }

    /// A write: allowed by the policy, and (for a cookie session) carrying the form's CSRF token.
    pub fn acting<A: Act>(&self, action: A, subject: Subject<'_>, csrf: Option<&str>) -> Result<(), AppError> {
        self.require(action, subject)?;
        self.check_csrf(csrf)
    }

    pub fn actor(&self) -> gongzhi_store::Actor<'_> {
        gongzhi_store::Actor { id: &self.account.id, login: &self.account.login }
    }

    /// For a write: a cookie session must present its CSRF token (form field or header).
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), AppError> {
        if !self.by_cookie || presented.is_some_and(|p| constant_eq(p, &self.csrf)) {
            Ok(())
        } else {
            Err(AccountsRefusal::FormExpired.refused().into())
        }
    }
}

pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where a request came from, when the server knows (served with connect info).
pub struct Source(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ci = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(Source(ci.map(|c| c.0.ip())))
    }
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
    let Some((s, account, must_change_password)) = state.store.session_account(token).await? else {
        return Ok(None);
    };
    Ok(Some(Viewer { account, csrf: s.csrf, by_cookie, token: token.to_string(), must_change_password }))
}

impl FromRequestParts<AppState> for MaybeViewer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(load(parts, state).await?))
    }
}

/// Paths a person with a temporary password may still use: changing it, and leaving.
const BEFORE_PASSWORD_CHANGE: &[&str] = &["/password", "/logout", "/prefs", "/api/v1/password", "/api/v1/session"];

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let v = load(parts, state).await?.ok_or_else(|| AppError::from(AccountsRefusal::LoginRequired.refused()))?;
        if v.must_change_password && !BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path()) {
            return Err(AccountsRefusal::PasswordChangeFirst.refused().into());
        }
        Ok(v)
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

pub fn clear_session_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}
