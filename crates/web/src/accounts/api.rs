//! The session API: sign in for a bearer token, sign out, change the password.

use super::signin::{authenticate, check_current_password, first_membership};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::auth::{SESSION_TTL_MS, Source, session_cookie};
use crate::kit::error::Problem;
use crate::kit::forms::{Json, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use gongzhi_core::accounts::AccountsRefusal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    /// Login name or phone number.
    login: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    /// The password is temporary: change it (POST /api/v1/password) before anything else.
    must_change_password: bool,
}

/// Log in; answers a bearer token and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn create_session(
    State(state): State<AppState>,
    Source(addr): Source,
    Json(req): Json<LoginRequest>,
) -> Answer {
    let person = authenticate(&state, &req.login, &req.password, addr).await?;
    let account = first_membership(&state, &person).await?;
    let (token, _) = state.store.create_session(&account, SESSION_TTL_MS).await?;
    let must_change_password = state.store.must_change_password(&person).await?;
    let mut r = axum::Json(TokenResponse { token: token.clone(), must_change_password }).into_response();
    let c = session_cookie(&token, state.secure_cookies);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    Ok(r)
}

/// Log out: ends the session the token opened.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn end_session(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
) -> Result<StatusCode, AppError> {
    v.check_csrf(csrf(&h))?;
    state.store.end_session(&v.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct PasswordRequest {
    current: String,
    /// At least 8 characters.
    new: String,
}

/// Change one's own password (a temporary one must be changed before any other use); other
/// sessions end, this one stays.
#[utoipa::path(post, path = "/api/v1/password", tag = "session", request_body = PasswordRequest,
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn change_password(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(r): Json<PasswordRequest>,
) -> Result<StatusCode, AppError> {
    v.check_csrf(csrf(&h))?;
    if r.new.chars().count() < 8 {
        return AccountsRefusal::PasswordShort.err();
    }
    check_current_password(&state, &v.account.id, &r.current).await?;
    let new = r.new.clone();
    let hash = crate::kit::password::run_limited(move || crate::kit::password::hash(&new)).await.unwrap_or_default();
    state.store.change_password(v.compound(), &v.account.id, &hash, &v.token).await?;
    Ok(StatusCode::NO_CONTENT)
}
