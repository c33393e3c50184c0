//! gongzhi-web: the pages and the JSON API. [`app`] is the one constructor that the server,
//! the tests and the CLI use.

pub mod accounts;
pub mod api;
pub mod auth;
pub mod error;
mod export;
pub mod i18n;
pub mod messages;
pub mod pages;
pub mod password;
pub mod projects;
pub mod views;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use error::AppError;
use gongzhi_store::Store;
use gongzhi_store::accounts::{Account, LOGIN_MAX_FAILURES};

/// Everything a request needs; nothing here that a second server would need to share.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router().split_for_parts();
    let spec = serde_json::to_string_pretty(&openapi).expect("the OpenAPI document serialises");
    Router::new()
        .merge(pages::routes())
        .merge(accounts::routes())
        .merge(projects::routes())
        .merge(api)
        .route("/api/v1/openapi.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], spec) }))
        .route("/static/htmx.min.js", get(|| async { asset("text/javascript", include_str!("../static/htmx.min.js")) }))
        .route("/static/app.css", get(|| async { asset("text/css", include_str!("../static/app.css")) }))
        .route("/healthz", get(|| async { "ok" }))
        .layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(from_fn(security_headers))
        .with_state(state)
}

/// The OpenAPI document, for the snapshot test.
pub fn openapi_json() -> String {
    let (_, openapi) = api::router().split_for_parts();
    serde_json::to_string_pretty(&openapi).expect("the OpenAPI document serialises")
}

fn asset(ct: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    r
}

/// Checks a login and password; counts failures per login in the database (shared by every
/// server) and refuses after too many.
pub async fn authenticate(state: &AppState, login: &str, password: &str) -> Result<Account, AppError> {
    let login = login.trim();
    if state.store.login_failures(login).await? >= LOGIN_MAX_FAILURES {
        return Err(AppError::TooMany("too many failed logins; try again in 15 minutes".into()));
    }
    let found = state.store.account_for_login(login).await?;
    let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(|| password::decoy().to_string());
    let pw = password.to_string();
    let ok = password::run_limited(move || password::verify(&pw, &hash)).await.unwrap_or(false);
    match found {
        Some((account, _)) if ok => Ok(account),
        _ => {
            state.store.record_login_failure(login).await?;
            Err(AppError::Unauthorized)
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        error::ApiError(self).into_response()
    }
}
