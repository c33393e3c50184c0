//! The JSON API under /api/v1: each process registers its routes with their OpenAPI entries
//! (so they cannot drift), merged here into one document. `Authorization: Bearer TOKEN` (from
//! POST /api/v1/session) or the session cookie with an `X-CSRF-Token` header for writes. Every
//! refusal is RFC 9457 `application/problem+json` with a stable `code` (listed at
//! /api/v1/problems).

use crate::AppState;
use crate::kit::error::{Problem, status_of};
use axum::Json;
use gongzhi_core::kit::refusal::{Entry, title_of};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongzhi API",
        description = "共治: a residential compound's owners decide together (Civil Code Art. 278). Every refusal is \
                       application/problem+json with a stable `code`; the codes are listed at /api/v1/problems."
    ),
    components(schemas(Problem))
)]
struct ApiDoc;

/// The document with the refusals every operation can answer, so a client (and schemathesis)
/// finds each status it can meet: 400 for a body or path that cannot be read, 401 without a
/// session, 404 for an id that is not there, 413 for a body over the limit, 429 when a limit is
/// reached. Each is `application/problem+json`.
pub fn document(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    let problem = |what: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(what)
                .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for (i, op) in ops.into_iter().enumerate() {
            let Some(op) = op else { continue };
            let get = i == 0;
            let r = &mut op.responses.responses;
            let mut add = |code: &str, what: &str| {
                r.entry(code.to_string()).or_insert_with(|| problem(what));
            };
            if !get || path.contains('{') {
                add("400", "The body or the path cannot be read (kit.body-invalid, kit.form-invalid)");
            }
            if path != "/api/v1/session" {
                add("401", "No session, or it has ended (accounts.login-required)");
            }
            if path.contains('{') {
                add("404", "Nothing with that id in the viewer's compound");
            }
            if !get {
                add("413", "The body is larger than the limit");
            }
            if op.request_body.is_some() {
                add("422", "A field the body names is refused: the problem's `code` and `values` say which");
            }
            add("429", "Too many attempts; wait and try again");
        }
    }
    doc
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::accounts::api())
        .merge(crate::voting::api())
        .merge(crate::projects::api())
        .merge(crate::committee::api())
        .merge(crate::corridors::api::api())
        .merge(crate::waste::api::api())
        .merge(crate::funds::api::api())
        .merge(crate::map::api::api())
}

/// Every refusal any route can answer, with its code, status and both wordings' templates.
fn catalogue() -> Vec<&'static Entry> {
    use gongzhi_core::{accounts, committee, kit, projects, registry, voting};
    [
        kit::KitRefusal::CATALOGUE,
        kit::CellProblem::CATALOGUE,
        kit::area::AreaError::CATALOGUE,
        kit::money::MoneyError::CATALOGUE,
        registry::RegistryRefusal::CATALOGUE,
        registry::RowProblem::CATALOGUE,
        accounts::AccountsRefusal::CATALOGUE,
        accounts::reach::ReachRefusal::CATALOGUE,
        voting::VotingRefusal::CATALOGUE,
        voting::TallyError::CATALOGUE,
        projects::ProjectsRefusal::CATALOGUE,
        projects::ShareError::CATALOGUE,
        committee::CommitteeRefusal::CATALOGUE,
        committee::Finding::CATALOGUE,
        gongzhi_core::corridors::CorridorRefusal::CATALOGUE,
        gongzhi_core::waste::WasteRefusal::CATALOGUE,
        gongzhi_core::funds::FundsRefusal::CATALOGUE,
        gongzhi_core::map::MapRefusal::CATALOGUE,
        gongzhi_store::kit::audit::Break::CATALOGUE,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The problem types: `[{code, status, title, zh, en}]`.
pub async fn problems() -> Json<serde_json::Value> {
    Json(serde_json::Value::Array(
        catalogue()
            .into_iter()
            .map(|e| {
                serde_json::json!({
                    "code": e.code,
                    "status": status_of(e.kind).as_u16(),
                    "title": title_of(e.code),
                    "zh": e.zh,
                    "en": e.en,
                })
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_code_is_unique_and_names_its_process() {
        let mut seen = std::collections::HashSet::new();
        for e in super::catalogue() {
            assert!(seen.insert(e.code), "{} twice", e.code);
            let process = e.code.split_once('.').map(|(p, _)| p).unwrap_or("");
            assert!(
                ["kit", "audit"].contains(&process) || gongzhi_core::kit::processes::ORDER.contains(&process),
                "{} names no process",
                e.code
            );
        }
    }
}
