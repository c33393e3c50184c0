//! The building-projects API under /api/v1: the board, a project, its stage, visits and shares.

use super::actions::{self, load};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::Path;
use crate::kit::forms::{Json, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::UnitNo;
use gongzhi_core::projects::{ProjectsAction, ProjectsRefusal, REASONS, Stage, Stance};
use gongzhi_core::voting::VotingRefusal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ProjectJson {
    id: String,
    title: String,
    /// `lift-retrofit`, `corridor-renovation`, `paths-and-gates` or `other`
    kind: String,
    scope: String,
    /// `intent`, `consultation`, `scheme-notice`, `vote`, `approvals`, `construction`, `acceptance`, `in-operation`
    stage: String,
    planned_start: String,
    matter_id: Option<String>,
}

impl From<&gongzhi_store::projects::Project> for ProjectJson {
    fn from(p: &gongzhi_store::projects::Project) -> Self {
        ProjectJson {
            id: p.id.clone(),
            title: p.title.clone(),
            kind: p.kind.as_str().into(),
            scope: p.scope.to_string(),
            stage: p.stage.as_str().into(),
            planned_start: p.planned_start.clone(),
            matter_id: p.matter_id.clone(),
        }
    }
}

/// The board: every project's stage (any account of the compound).
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", responses((status = 200, body = Vec<ProjectJson>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn list_projects(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<ProjectJson>>, AppError> {
    v.require(ProjectsAction::ReadProjects, gongzhi_core::accounts::policy::Subject::Compound)?;
    Ok(axum::Json(state.store.projects(v.compound()).await?.iter().map(ProjectJson::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewProjectRequest {
    title: String,
    kind: String,
    /// `building:B`, `stairwell:B/S` or `compound`
    scope: String,
    #[serde(default)]
    note: String,
}

/// Start a project (committee, staff, or the building's leader).
#[utoipa::path(post, path = "/api/v1/projects", tag = "projects", request_body = NewProjectRequest,
    responses((status = 201, body = ProjectJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn create_project(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(r): Json<NewProjectRequest>,
) -> Answer {
    let np = gongzhi_store::projects::NewProject {
        title: r.title,
        kind: Some(
            gongzhi_core::projects::ProjectKind::parse(&r.kind)
                .ok_or_else(|| ProjectsRefusal::UnknownKind { value: r.kind.clone() }.refused())?,
        ),
        scope: Some(
            gongzhi_core::Scope::parse(&r.scope)
                .ok_or_else(|| ProjectsRefusal::BadScope { value: r.scope.clone() }.refused())?,
        ),
        note: r.note,
    };
    let p = actions::create_project(&state, &v, csrf(&h), &np).await?;
    Ok((StatusCode::CREATED, axum::Json(ProjectJson::from(&p))).into_response())
}

/// One project (the building's owners, its leader, the committee).
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path)),
    responses((status = 200, body = ProjectJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_project(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<ProjectJson>, AppError> {
    Ok(axum::Json(ProjectJson::from(&load(&state, &v, &id, ProjectsAction::ReadProjects).await?.0)))
}

#[derive(Deserialize, ToSchema)]
pub struct StageRequest {
    stage: String,
}

/// Move a project to a stage; 409 says what the stage still needs.
#[utoipa::path(post, path = "/api/v1/projects/{id}/stage", tag = "projects", params(("id" = String, Path)), request_body = StageRequest,
    responses((status = 200, body = ProjectJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn move_project(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<StageRequest>,
) -> Result<axum::Json<ProjectJson>, AppError> {
    let to =
        Stage::parse(&r.stage).ok_or_else(|| ProjectsRefusal::UnknownStage { value: r.stage.clone() }.refused())?;
    let p = actions::move_stage(&state, &v, csrf(&h), &id, to).await?;
    Ok(axum::Json(ProjectJson::from(&p)))
}

#[derive(Deserialize, ToSchema)]
pub struct VisitRequest {
    unit: String,
    /// `support`, `oppose`, `undecided` or `conditional`
    stance: String,
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    answer: String,
}

/// Log a door-to-door visit.
#[utoipa::path(post, path = "/api/v1/projects/{id}/visits", tag = "projects", params(("id" = String, Path)), request_body = VisitRequest,
    responses((status = 201), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn add_visit(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<VisitRequest>,
) -> Result<StatusCode, AppError> {
    v.check_csrf(csrf(&h))?;
    load(&state, &v, &id, ProjectsAction::EditProjects).await?;
    let unit = UnitNo::parse(&r.unit)
        .ok_or_else(|| VotingRefusal::BadUnit { field: "unit".into(), value: r.unit.clone() }.refused())?;
    let stance =
        Stance::parse(&r.stance).ok_or_else(|| ProjectsRefusal::UnknownStance { value: r.stance.clone() }.refused())?;
    if let Some(bad) = r.reasons.iter().find(|x| !REASONS.iter().any(|q| q.0 == x.as_str())) {
        return ProjectsRefusal::UnknownReason { value: bad.clone() }.err();
    }
    let now = crate::kit::now_ms();
    state.store.record_visit(v.compound(), &id, &unit, stance, &r.reasons, &r.note, &r.answer, now, v.actor()).await?;
    Ok(StatusCode::CREATED)
}

/// Each household's share, as `gongzhi share` prints it.
#[utoipa::path(get, path = "/api/v1/projects/{id}/shares", tag = "projects", params(("id" = String, Path)),
    responses((status = 200, description = "`{cost, subsidy, residents_total, shares: [{unit, floor, share}]}`"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_shares(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<gongzhi_core::projects::sharing::SharePlan>, AppError> {
    let (p, _) = load(&state, &v, &id, ProjectsAction::ReadShares).await?;
    Ok(axum::Json(state.store.share_plan(v.compound(), &p).await?))
}
