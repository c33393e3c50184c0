//! Errors and how they answer. The rule: a refusal is typed by its process (core's `refusal.rs`)
//! and carried as [`AppError::Refused`]; anything else is [`AppError::Internal`], logged with the
//! request id and never shown. A handler just returns its error; one layer ([`answer_failures`])
//! then renders it for whoever asked: a page in the viewer's language (or the login page when
//! they must sign in first), or RFC 9457 `application/problem+json` with the refusal's stable
//! `code` and named values for the API.

use crate::kit::auth::Prefs;
use crate::kit::views::{ErrorPage, render};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongzhi_core::kit::{Kind, Lang, Refused};
use gongzhi_store::StoreError;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Refused(Refused),
    #[error("internal error")]
    Internal(String),
}

impl From<Refused> for AppError {
    fn from(r: Refused) -> Self {
        AppError::Refused(r)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(r) => AppError::Refused(r),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Refused(r) => status_of(r.kind()),
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The refusal's code, if this is one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            AppError::Refused(r) => Some(r.code()),
            AppError::Internal(_) => None,
        }
    }

    /// The refusal, if this is one.
    pub fn refused(&self) -> Option<&Refused> {
        match self {
            AppError::Refused(r) => Some(r),
            AppError::Internal(_) => None,
        }
    }
}

/// Splits a page form's outcome: a refusal the person can correct on the page (anything but a
/// denial) comes back to be shown there, with [`status_of`] its kind; a denial or a failure stays
/// an error, answered by the error page.
pub fn on_the_page<T>(r: Result<T, AppError>) -> Result<Result<T, Refused>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(AppError::Refused(x)) if x.kind() != Kind::Forbidden => Ok(Err(x)),
        Err(e) => Err(e),
    }
}

/// The HTTP status of each kind of refusal.
pub fn status_of(kind: Kind) -> StatusCode {
    match kind {
        Kind::BadInput => StatusCode::UNPROCESSABLE_ENTITY,
        Kind::Conflict => StatusCode::CONFLICT,
        Kind::NotFound => StatusCode::NOT_FOUND,
        Kind::Unauthenticated => StatusCode::UNAUTHORIZED,
        Kind::Forbidden => StatusCode::FORBIDDEN,
        Kind::TooMany => StatusCode::TOO_MANY_REQUESTS,
        Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Kind::Malformed => StatusCode::BAD_REQUEST,
        Kind::Redirect => StatusCode::SEE_OTHER,
    }
}

/// RFC 9457 problem details, as every API refusal is answered (`application/problem+json`).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `/api/v1/problems#CODE`
    #[serde(rename = "type")]
    pub kind: String,
    /// The same for every occurrence of the code.
    pub title: String,
    pub status: u16,
    /// This occurrence, in English (or Chinese when `Accept-Language` asks for it first).
    pub detail: String,
    /// Stable: `process.what-happened`. Act on it, never on `detail`.
    pub code: String,
    /// The named values: the unit, the matter, the status, the days left, what is missing…
    #[schema(value_type = Object)]
    pub values: serde_json::Value,
}

/// An error on its way to [`answer_failures`], which renders it for the request.
#[derive(Clone)]
pub struct Failure(pub Arc<AppError>);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(Failure(Arc::new(self)));
        r
    }
}

/// The id of the request being answered (set by the request-id layer), for logs and error pages.
fn request_id(req: &Request) -> String {
    req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string()
}

/// Renders every failure a handler returned: problem+json under `/api/`, a page elsewhere.
pub async fn answer_failures(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let get = req.method() == axum::http::Method::GET;
    let prefs = Prefs::from_headers(req.headers());
    let api_lang = api_lang(req.headers());
    let id = request_id(&req);
    let response = next.run(req).await;
    let Some(Failure(err)) = response.extensions().get::<Failure>().cloned() else {
        return response;
    };
    if let AppError::Internal(detail) = &*err {
        // the detail may hold SQL or values: it goes to the log, never to the response
        tracing::error!(request_id = %id, %detail, "internal error");
    }
    if api { problem(&err, api_lang, &id) } else { page(&err, prefs, &path, get, &id) }
}

/// The language of an API client's `detail`: Chinese if its Accept-Language asks first for it.
fn api_lang(h: &axum::http::HeaderMap) -> Lang {
    let first = h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("").split(',').next();
    if first.is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh")) { Lang::Zh } else { Lang::En }
}

/// RFC 9457 problem details.
fn problem(err: &AppError, lang: Lang, id: &str) -> Response {
    let status = err.status();
    let body = match err {
        AppError::Refused(r) => serde_json::json!({
            "type": format!("/api/v1/problems#{}", r.code()),
            "title": r.title(),
            "status": status.as_u16(),
            "detail": r.say(lang),
            "code": r.code(),
            "values": r.values(),
        }),
        AppError::Internal(_) => serde_json::json!({
            "type": "/api/v1/problems#kit.internal-error",
            "title": "Internal error",
            "status": status.as_u16(),
            "detail": format!("internal error; quote request {id} when reporting it"),
            "code": "kit.internal-error",
            "values": { "request_id": id },
        }),
    };
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    r
}

/// A page in the viewer's language; one who must sign in first goes to the login page and back,
/// one who must go elsewhere first (to replace a temporary password) goes there.
fn page(err: &AppError, prefs: Prefs, path: &str, get: bool, id: &str) -> Response {
    if let AppError::Refused(r) = err {
        match r.kind() {
            Kind::Unauthenticated => {
                let next = if get { path } else { "/" };
                return Redirect::to(&format!("/login?next={}", crate::kit::views::encode(next))).into_response();
            }
            Kind::Redirect => {
                let to = r.values().get("to").and_then(|v| v.as_str()).unwrap_or("/").to_string();
                return Redirect::to(&to).into_response();
            }
            _ => {}
        }
    }
    let t = prefs.t();
    let message = match err {
        AppError::Refused(r) => r.say(prefs.lang),
        AppError::Internal(_) => format!("{} ({} {id})", t.internal_error(), t.request_id()),
    };
    let page = ErrorPage { t, lang: prefs.lang, message, code: err.code().unwrap_or("kit.internal-error").into() };
    (err.status(), Html(render(&page))).into_response()
}
