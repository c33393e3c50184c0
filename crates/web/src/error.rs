//! Errors and how they answer. The rule: a person's fixable input is 400/422 with the store's
//! message (it names the row, unit or field); refusals are 401/403/409 with a plain reason;
//! anything else is a 500 whose detail goes to the log, never to the response.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongzhi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("login required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    BadInput(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooMany(String),
    #[error("the form has expired; reload the page and try again")]
    Csrf,
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadInput(_) | StoreError::Rows(_) | StoreError::Tally(_) => AppError::BadInput(e.to_string()),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::NotFound(_) => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadInput(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn public_message(&self) -> String {
        if let AppError::Internal(detail) = self {
            // the detail may hold SQL or values: log it, answer plainly
            eprintln!("internal error: {detail}");
        }
        self.to_string()
    }
}

/// An error from a JSON API route: `{"error": "…"}`.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        (status, Json(serde_json::json!({ "error": self.0.public_message() }))).into_response()
    }
}

/// An error from a page: a small HTML page in the viewer's language (the message through
/// [`crate::messages::localise`]; the JSON API keeps the English).
pub struct PageError {
    pub err: AppError,
    pub lang: crate::i18n::Lang,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.err, AppError::Unauthorized) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let t = crate::i18n::Tr(self.lang);
        let msg = match &self.err {
            AppError::Forbidden(_) => t.forbidden().to_string(),
            AppError::NotFound => t.not_found().to_string(),
            // the public message only: an internal error's detail never reaches the page
            e => crate::messages::localise(self.lang, &e.public_message()),
        };
        let page = crate::views::ErrorPage { t, lang: self.lang, message: msg };
        (self.err.status(), Html(crate::views::render(&page))).into_response()
    }
}
