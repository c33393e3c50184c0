//! Downloading an attached file: a matter's documents, a project's, a proxy's written
//! authorisation, each to those who may see it. Always a download, never shown inline, with a
//! content type the server chooses from the file's name: an upload is never served as active
//! content.

use super::actions;
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::Answer;
use crate::kit::forms::Path;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::projects::ProjectsAction;
use gongzhi_core::voting::VotingAction;

/// The content types files are served with, by extension; anything else is a plain download.
const TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("heic", "image/heic"),
    ("doc", "application/msword"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xls", "application/vnd.ms-excel"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt", "application/vnd.ms-powerpoint"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
];

/// The type to serve a file named `name` with.
pub fn served_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    TYPES.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t).unwrap_or("application/octet-stream")
}

pub(super) async fn attachment(State(state): State<AppState>, v: Viewer, Path(id): Path<String>) -> Answer {
    let a = state.store.attachment(v.compound(), &id).await?;
    match (&a.matter_id, &a.project_id) {
        // a matter's documents are public to the compound, unless the matter is still a draft
        (Some(m), _) => {
            crate::voting::actions::visible_matter(&state, &v, m).await?;
        }
        // a project's: to those who read the project
        (None, Some(project)) => {
            actions::load(&state, &v, project, ProjectsAction::ReadProjects).await?;
        }
        // a proxy's authorisation: only those who enter ballots
        (None, None) => v.require(VotingAction::EnterBallots, Subject::Compound)?,
    }
    let mut r = a.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(served_type(&a.name)));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    h.insert("content-security-policy", HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::served_type;

    #[test]
    fn only_allowed_types_are_served_as_themselves() {
        assert_eq!(served_type("scheme.PDF"), "application/pdf");
        assert_eq!(served_type("photo.jpeg"), "image/jpeg");
        assert_eq!(served_type("evil.html"), "application/octet-stream");
        assert_eq!(served_type("evil.svg"), "application/octet-stream");
        assert_eq!(served_type("noextension"), "application/octet-stream");
    }
}
