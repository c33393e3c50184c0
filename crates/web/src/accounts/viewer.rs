//! Who is asking: the session from the cookie or the bearer token, the policy checks, and the CSRF
//! check for cookie-authenticated writes.

use crate::AppState;
use crate::kit::AppError;
use crate::kit::auth::{SESSION_COOKIE, constant_eq, cookie};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use gongzhi_core::accounts::policy::{Act, Subject, allows, could, require};
use gongzhi_core::accounts::{AccountsRefusal, Member};
use gongzhi_core::kit::KitRefusal;
use gongzhi_store::accounts::Account;

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
            // a page goes to the password form; an API client is told what to do first
            return Err(if parts.uri.path().starts_with("/api/") {
                AccountsRefusal::PasswordChangeFirst.refused().into()
            } else {
                KitRefusal::GoTo { to: "/password".into() }.refused().into()
            });
        }
        Ok(v)
    }
}
