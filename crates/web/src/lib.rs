//! gongzhi-web: the pages and the JSON API. [`app`] is the one constructor that the server,
//! the tests and the CLI use.
//!
//! One folder per process (`accounts/`, `voting/`, `projects/`), each with `routes()` for its
//! pages and `api()` for its JSON API, over a shared [`kit`]. A handler reads in a few lines: it
//! takes the signed-in [`kit::Viewer`], calls the process's action (which checks the policy), and
//! returns; its error is rendered by one layer as a page or as problem+json.

pub mod kit;

pub mod accounts;

pub mod voting;

pub mod projects;

pub mod committee;
pub mod corridors;
pub mod funds;
pub mod map;
pub mod waste;

mod api;
mod home;
mod record;

pub use kit::now_ms;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongzhi_store::Store;
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// Everything a request needs; nothing here that a second server would need to share.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` and send HSTS (behind HTTPS).
    pub secure_cookies: bool,
    /// The address owners reach the compound at (`https://gongzhi.example.org`), for printed
    /// notices and QR codes; never taken from a request's Host header.
    pub public_base: String,
}

impl AppState {
    pub fn new(store: Store) -> AppState {
        AppState { store, secure_cookies: false, public_base: "http://127.0.0.1:8080".into() }
    }

    /// The public address of a path (for a printed notice or a QR code).
    pub fn public_url(&self, path: &str) -> String {
        format!("{}{path}", self.public_base.trim_end_matches('/'))
    }
}

/// How the server delivers what the outbox holds: its plain-SMTP relay, how long a claim holds,
/// and every process's messages whose text is written as they are sent.
pub fn delivery(smtp_relay: Option<String>, lease_ms: i64) -> accounts::outbox::Delivery {
    accounts::outbox::Delivery { smtp_relay, lease_ms, rewrites: voting::rewrites() }
}

/// Whether the general meeting may decide a matter of this kind today, as every later process
/// says (the composition root asks them, so voting need not know them): while the change-of-term
/// group exists, the committee's process refuses the restricted matters (Shanghai Provisions
/// Art. 28).
pub(crate) async fn matter_allowed(
    state: &AppState,
    compound: &str,
    kind: gongzhi_core::MatterKind,
) -> Result<(), kit::AppError> {
    committee::matter_allowed(state, compound, kind).await
}

/// The events of every later process for a person's calendar feed in one compound (the
/// composition root asks them, so the feed in accounts need not know them): the compound's
/// meetings their roles are expected at, and their waste-duty shifts.
pub(crate) async fn calendar_events(
    state: &AppState,
    compound: &str,
    compound_name: &str,
    person: &str,
    roles: &[gongzhi_core::accounts::Role],
) -> Result<Vec<gongzhi_core::kit::ical::Event>, kit::AppError> {
    let mut events = committee::compound_meetings::calendar_events(state, compound, compound_name, roles).await?;
    events.extend(waste::calendar_events(state, compound, compound_name, person).await?);
    Ok(events)
}

/// How long a request may take, and how long its body may take to arrive.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, spec) = api::router().split_for_parts();
    let spec = serde_json::to_string_pretty(&api::document(spec)).expect("the OpenAPI document serialises");
    let secure = state.secure_cookies;
    Router::new()
        .route("/", get(home::home))
        .route("/audit", get(record::audit_page))
        .merge(accounts::routes())
        .merge(voting::routes())
        .merge(projects::routes())
        .merge(committee::routes())
        .merge(corridors::routes())
        .merge(waste::routes())
        .merge(funds::routes())
        .merge(map::pages::routes())
        .merge(api)
        .route("/api/v1/openapi.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], spec) }))
        .route("/api/v1/problems", get(api::problems))
        .route("/static/htmx.min.js", get(|| async { asset("text/javascript", include_str!("../static/htmx.min.js")) }))
        .route("/static/map-edit.js", get(|| async { asset("text/javascript", include_str!("../static/map-edit.js")) }))
        .route("/static/map-pick.js", get(|| async { asset("text/javascript", include_str!("../static/map-pick.js")) }))
        .route("/static/app.css", get(|| async { asset("text/css", include_str!("../static/app.css")) }))
        .route("/healthz", get(healthz))
        .fallback(|| async {
            kit::AppError::from(gongzhi_core::kit::Refused::new(gongzhi_core::kit::KitRefusal::NotFound))
        })
        .layer(axum::extract::DefaultBodyLimit::max(12 * 1024 * 1024))
        .layer(from_fn(kit::error::answer_failures))
        .layer(from_fn(move |req, next| security_headers(req, next, secure)))
        .layer(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
                    // the path only: a query may hold a search for a person's name or phone
                    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The OpenAPI document, for the snapshot test.
pub fn openapi_json() -> String {
    let (_, spec) = api::router().split_for_parts();
    serde_json::to_string_pretty(&api::document(spec)).expect("the OpenAPI document serialises")
}

/// Up, with the database answering.
async fn healthz(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.store.pool).await {
        Ok(_) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

fn asset(ct: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, ct), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

async fn security_headers(req: Request, next: Next, secure: bool) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key("content-security-policy") {
        h.insert(
            "content-security-policy",
            HeaderValue::from_static(
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
            ),
        );
    }
    if secure {
        h.insert("strict-transport-security", HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    r
}
