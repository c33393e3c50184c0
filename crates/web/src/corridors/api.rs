//! Corridor renovation's JSON API (issue 13): rounds, plans, marks, the recommendation, the
//! decision and its posting, progress and actual costs, on the writes [`super`] serves the pages
//! with too.

use super::{
    CriterionBody, DecisionBody, MarksBody, PlanBody, ProgressBody, RecommendBody, RoundBody, actual, building, decide,
    open_round, posted, progress, recommend, schedules, score, submit,
};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Json, Path, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::corridors::Score;
use gongzhi_store::corridors::RoundRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_rounds, post_round))
        .routes(routes!(get_round))
        .routes(routes!(put_plan))
        .routes(routes!(put_marks))
        .routes(routes!(post_recommendation))
        .routes(routes!(post_decision))
        .routes(routes!(post_posted))
        .routes(routes!(put_progress))
        .routes(routes!(put_actual))
}

#[derive(Serialize, ToSchema)]
pub struct RoundSummaryJson {
    id: String,
    title: String,
    /// call, recommended, adopted, returned.
    stage: String,
}

/// The compound's corridor rounds, newest first (every member of the compound).
#[utoipa::path(get, path = "/api/v1/corridors", tag = "corridors",
    responses((status = 200, body = Vec<RoundSummaryJson>), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn get_rounds(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<RoundSummaryJson>>, AppError> {
    let rs = state.store.corridor_rounds(v.compound()).await?;
    Ok(axum::Json(
        rs.into_iter().map(|(id, title, s)| RoundSummaryJson { id, title, stage: s.as_str().into() }).collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CreatedJson {
    id: String,
}

/// Open a call for plans (the residents' committee).
#[utoipa::path(post, path = "/api/v1/corridors", tag = "corridors", request_body = RoundBody,
    responses((status = 201, body = CreatedJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_round(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<RoundBody>) -> Answer {
    let id = open_round(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedJson { id })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ReviewerJson {
    reviewer: String,
    /// Per criterion, in the rubric's order.
    marks: Vec<String>,
    /// This reviewer's weighted mean.
    score: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanJson {
    building: String,
    works: Vec<String>,
    description: String,
    cost: String,
    signatures: u32,
    households: u32,
    late: bool,
    revised: bool,
    /// The weighted mean over the reviewers (null until marked).
    score: Option<String>,
    reviewers: Vec<ReviewerJson>,
    /// not-started, under-way, done, accepted.
    progress: String,
    /// The adopted schedule's phase (null: unscheduled, or nothing adopted yet).
    phase: Option<u32>,
    /// Photos of the plan and of the accepted work: `{id, name, kind, url}`.
    #[schema(value_type = Vec<Object>)]
    photos: Vec<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundPhaseJson {
    phase: u32,
    label: String,
    budget: String,
    capacity: u32,
    actual: Option<String>,
}

/// A round: its call, plans with every reviewer's marks, both schedules exactly as `gongzhi plan
/// corridors --format json` prints them, the recommendation and the decision.
#[derive(Serialize, ToSchema)]
pub struct RoundJson {
    id: String,
    title: String,
    notice: String,
    deadline: String,
    stage: String,
    phases: Vec<RoundPhaseJson>,
    criteria: Vec<CriterionBody>,
    plans: Vec<PlanJson>,
    /// `{"strict": {...}, "best-value": {...}}`, each `{"policy","phases","unscheduled","objective","explanations"}`.
    #[schema(value_type = Object)]
    schedules: serde_json::Value,
    recommended: Option<String>,
    recommendation: String,
    adopted_on: Option<String>,
    posted_on: Option<String>,
    return_reason: String,
}

pub(crate) fn round_json(r: &RoundRecord, photos: &[gongzhi_store::corridors::PhotoRecord]) -> RoundJson {
    let scored = r.scored();
    let plans = r
        .plans
        .iter()
        .zip(&scored)
        .map(|(p, (_, s))| PlanJson {
            building: p.building.to_string(),
            works: p.works.iter().map(|w| w.as_str().into()).collect(),
            description: p.description.clone(),
            cost: p.cost.to_string(),
            signatures: p.signatures,
            households: p.households,
            late: p.late,
            revised: p.revised,
            score: s.map(|s| s.to_string()),
            reviewers: r
                .marks
                .iter()
                .filter(|m| m.building == p.building)
                .map(|m| ReviewerJson {
                    reviewer: m.marks.reviewer.clone(),
                    marks: m.marks.marks.iter().map(|v| Score::from_hundredths(*v).to_string()).collect(),
                    score: gongzhi_core::corridors::review::reviewer_score(&r.criteria, &m.marks)
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            progress: p.progress.as_str().into(),
            phase: r.adopted.iter().find(|(b, _)| *b == p.building).and_then(|(_, ph)| *ph),
            photos: photos
                .iter()
                .filter(|x| x.building == p.building)
                .map(|x| serde_json::json!({"id": x.id, "name": x.name, "kind": x.kind, "url": format!("/corridors/{}/photos/{}", r.id, x.id)}))
                .collect(),
        })
        .collect();
    let schedules = match schedules(r) {
        Some((s, b)) => serde_json::json!({"strict": s, "best-value": b}),
        None => serde_json::Value::Null,
    };
    RoundJson {
        id: r.id.clone(),
        title: r.title.clone(),
        notice: r.notice.clone(),
        deadline: r.deadline.to_string(),
        stage: r.stage.as_str().into(),
        phases: r
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| RoundPhaseJson {
                phase: i as u32 + 1,
                label: p.label.clone(),
                budget: p.budget.to_string(),
                capacity: p.capacity,
                actual: p.actual.map(|a| a.to_string()),
            })
            .collect(),
        criteria: r.criteria.iter().map(|c| CriterionBody { name: c.name.clone(), weight: c.weight }).collect(),
        plans,
        schedules,
        recommended: r.recommended.map(|p| p.as_str().into()),
        recommendation: r.recommendation.clone(),
        adopted_on: r.adopted_on.map(|d| d.to_string()),
        posted_on: r.posted_on.map(|d| d.to_string()),
        return_reason: r.return_reason.clone(),
    }
}

/// A round (every member of the compound).
#[utoipa::path(get, path = "/api/v1/corridors/{id}", tag = "corridors", params(("id" = String, Path)),
    responses((status = 200, body = RoundJson), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_round(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<RoundJson>, AppError> {
    let photos = state.store.corridor_photos(v.compound(), &id).await?;
    Ok(axum::Json(round_json(&state.store.corridor_round(v.compound(), &id).await?, &photos)))
}

/// Submit or revise a building's plan (its building leader).
#[utoipa::path(put, path = "/api/v1/corridors/{id}/plans/{building}", tag = "corridors", params(("id" = String, Path), ("building" = String, Path)), request_body = PlanBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_plan(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path((id, b)): Path<(String, String)>,
    Json(p): Json<PlanBody>,
) -> Answer {
    submit(&state, &v, csrf(&h), &id, &building(&b)?, &p).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Score a building's plan (a reviewer; abstaining on their own building's).
#[utoipa::path(put, path = "/api/v1/corridors/{id}/plans/{building}/marks", tag = "corridors", params(("id" = String, Path), ("building" = String, Path)), request_body = MarksBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_marks(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path((id, b)): Path<(String, String)>,
    Json(m): Json<MarksBody>,
) -> Answer {
    score(&state, &v, csrf(&h), &id, &building(&b)?, &m).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Recommend a policy's schedule to the owners' committee (the residents' committee).
#[utoipa::path(post, path = "/api/v1/corridors/{id}/recommendation", tag = "corridors", params(("id" = String, Path)), request_body = RecommendBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_recommendation(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<RecommendBody>,
) -> Answer {
    recommend(&state, &v, csrf(&h), &id, &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Adopt the recommended schedule or return it with a reason (the committee's director).
#[utoipa::path(post, path = "/api/v1/corridors/{id}/decision", tag = "corridors", params(("id" = String, Path)), request_body = DecisionBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_decision(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<DecisionBody>,
) -> Answer {
    decide(&state, &v, csrf(&h), &id, &b).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct DayBody {
    /// YYYY-MM-DD, not in the future.
    on: String,
}

/// Record the day the adopted schedule was posted.
#[utoipa::path(post, path = "/api/v1/corridors/{id}/posted", tag = "corridors", params(("id" = String, Path)), request_body = DayBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_posted(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<DayBody>,
) -> Answer {
    posted(&state, &v, csrf(&h), &id, &b.on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Record a building's progress (accepted: its building leader).
#[utoipa::path(put, path = "/api/v1/corridors/{id}/progress/{building}", tag = "corridors", params(("id" = String, Path), ("building" = String, Path)), request_body = ProgressBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_progress(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path((id, b)): Path<(String, String)>,
    Json(p): Json<ProgressBody>,
) -> Answer {
    progress(&state, &v, csrf(&h), &id, &building(&b)?, &p).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ActualBody {
    /// Yuan, a decimal string.
    actual: String,
}

/// Record a phase's actual cost.
#[utoipa::path(put, path = "/api/v1/corridors/{id}/phases/{phase}/actual", tag = "corridors", params(("id" = String, Path), ("phase" = u32, Path)), request_body = ActualBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn put_actual(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path((id, phase)): Path<(String, u32)>,
    Json(b): Json<ActualBody>,
) -> Answer {
    actual(&state, &v, csrf(&h), &id, phase, &b.actual).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
