//! What a request carries besides its body: cookies, the viewer's preferences (language, text
//! size), where it came from, and the session cookie's form.

use crate::kit::i18n::Tr;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use gongzhi_core::kit::Lang;

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
