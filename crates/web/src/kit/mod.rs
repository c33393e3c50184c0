//! The web kit every process's pages and API use: who is asking and what they may do ([`auth`]),
//! errors answered as pages or problem+json ([`error`]), forms and bodies ([`forms`]), the two
//! languages ([`i18n`]), passwords, and rendering ([`views`]).

pub mod auth;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod password;
pub mod views;

pub use auth::Prefs;
pub use error::AppError;
pub use i18n::Tr;
pub use views::{Chrome, render};

use axum::response::{Html, IntoResponse, Redirect, Response};

/// The result of a page or API handler; its error is rendered by [`error::answer_failures`].
pub type Answer = Result<Response, AppError>;

pub fn html(s: String) -> Response {
    Html(s).into_response()
}

pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
