//! The JSON API under /api/v1: routes and the OpenAPI document are registered together, so they
//! cannot drift. `Authorization: Bearer TOKEN` (from POST /api/v1/session) or the session cookie
//! with an `X-CSRF-Token` header for writes.

use crate::auth::{Viewer, session_cookie};
use crate::error::{ApiError, AppError};
use crate::pages::parse_new_matter;
use crate::{AppState, authenticate};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongzhi_core::roles::Action;
use gongzhi_core::{Channel, Choice, UnitNo};
use gongzhi_store::{Matter, MatterStatus};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gongzhi API",
        description = "共治: a residential compound's owners decide together (Civil Code Art. 278)."
    ),
    components(schemas(
        LoginRequest,
        TokenResponse,
        MatterJson,
        NewMatterRequest,
        BallotRequest,
        ReceiptResponse,
        TurnoutJson,
        CountJson,
        ErrorJson
    ))
)]
struct ApiDoc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(create_session, end_session))
        .routes(routes!(list_matters, create_matter))
        .routes(routes!(get_matter))
        .routes(routes!(post_notice))
        .routes(routes!(open_voting))
        .routes(routes!(close_voting))
        .routes(routes!(cast_ballot))
        .routes(routes!(get_turnout))
        .routes(routes!(get_tally))
        .merge(project_routes())
}

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
}

#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    error: String,
}

#[derive(Serialize, ToSchema)]
pub struct MatterJson {
    id: String,
    title: String,
    text: String,
    /// One of the nine kinds of Civil Code Art. 278(1).
    matter: String,
    /// `compound`, `building:B` or `stairwell:B/S`.
    scope: String,
    /// `draft`, `notice`, `open` or `closed`.
    status: String,
    /// `more-than-half` or `three-quarters`.
    threshold: String,
    deemed_clause: bool,
    allow_change: bool,
    ballots_cast: i64,
    window_start: Option<i64>,
    window_end: Option<i64>,
    notice_at: Option<i64>,
    opened_at: Option<i64>,
    closed_at: Option<i64>,
}

impl From<&Matter> for MatterJson {
    fn from(m: &Matter) -> Self {
        MatterJson {
            id: m.id.clone(),
            title: m.title.clone(),
            text: m.body.clone(),
            matter: m.kind.as_str().into(),
            scope: m.scope.to_string(),
            status: m.status.as_str().into(),
            threshold: match m.kind.threshold() {
                gongzhi_core::Threshold::ThreeQuarters => "three-quarters".into(),
                gongzhi_core::Threshold::MoreThanHalf => "more-than-half".into(),
            },
            deemed_clause: m.deemed_clause,
            allow_change: m.allow_change,
            ballots_cast: m.ballots_cast,
            window_start: m.window_start,
            window_end: m.window_end,
            notice_at: m.notice_at,
            opened_at: m.opened_at,
            closed_at: m.closed_at,
        }
    }
}

fn csrf(v: &Viewer, h: &HeaderMap) -> Result<(), AppError> {
    v.check_csrf(h.get("x-csrf-token").and_then(|x| x.to_str().ok()))
}

async fn visible(state: &AppState, v: &Viewer, id: &str) -> Result<Matter, AppError> {
    let m = state.store.matter(v.compound(), id).await?;
    if m.status == MatterStatus::Draft && !v.may(Action::PrepareMatter) {
        return Err(AppError::NotFound);
    }
    Ok(m)
}

/// Log in; answers a bearer token and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorJson), (status = 429, body = ErrorJson)))]
async fn create_session(State(state): State<AppState>, Json(req): Json<LoginRequest>) -> Result<Response, ApiError> {
    let account = authenticate(&state, &req.login, &req.password).await?;
    let (token, _) = state.store.create_session(&account, crate::auth::SESSION_TTL_MS).await?;
    let mut r = Json(TokenResponse { token: token.clone() }).into_response();
    let c = session_cookie(&token, state.secure_cookies);
    r.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("ascii cookie"));
    Ok(r)
}

/// Log out: ends the session the token opened.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204), (status = 401, body = ErrorJson)))]
async fn end_session(State(state): State<AppState>, v: Viewer, h: HeaderMap) -> Result<StatusCode, ApiError> {
    csrf(&v, &h)?;
    state.store.end_session(&v.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The compound's matters (drafts only for the committee).
#[utoipa::path(get, path = "/api/v1/matters", tag = "matters",
    responses((status = 200, body = Vec<MatterJson>), (status = 401, body = ErrorJson)))]
async fn list_matters(State(state): State<AppState>, v: Viewer) -> Result<Json<Vec<MatterJson>>, ApiError> {
    let ms = state.store.matters(v.compound()).await?;
    Ok(Json(
        ms.iter()
            .filter(|m| m.status != MatterStatus::Draft || v.may(Action::PrepareMatter))
            .map(MatterJson::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewMatterRequest {
    title: String,
    #[serde(default)]
    text: String,
    matter: String,
    scope: String,
    #[serde(default)]
    deemed_clause: bool,
    #[serde(default)]
    allow_change: bool,
    /// `YYYY-MM-DD`, Shanghai time.
    window_start: Option<String>,
    window_end: Option<String>,
}

/// Draft a matter (committee).
#[utoipa::path(post, path = "/api/v1/matters", tag = "matters", request_body = NewMatterRequest,
    responses((status = 201, body = MatterJson), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn create_matter(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(r): Json<NewMatterRequest>,
) -> Result<Response, ApiError> {
    v.require(Action::PrepareMatter)?;
    csrf(&v, &h)?;
    let fields = [
        ("title", r.title),
        ("body", r.text),
        ("kind", r.matter),
        ("scope", r.scope),
        ("deemed_clause", if r.deemed_clause { "1".into() } else { String::new() }),
        ("allow_change", if r.allow_change { "1".into() } else { String::new() }),
        ("window_start", r.window_start.unwrap_or_default()),
        ("window_end", r.window_end.unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let nm = parse_new_matter(&fields)?;
    let m = state.store.create_matter(v.compound(), &nm, v.actor()).await?;
    Ok((StatusCode::CREATED, Json(MatterJson::from(&m))).into_response())
}

/// One matter.
#[utoipa::path(get, path = "/api/v1/matters/{id}", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 401, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn get_matter(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<MatterJson>, ApiError> {
    Ok(Json(MatterJson::from(&visible(&state, &v, &id).await?)))
}

/// Post the matter's public notice (committee).
#[utoipa::path(post, path = "/api/v1/matters/{id}/notice", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn post_notice(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<MatterJson>, ApiError> {
    v.require(Action::PrepareMatter)?;
    csrf(&v, &h)?;
    let m = state.store.post_notice(v.compound(), &id, v.actor(), crate::now_ms()).await?;
    Ok(Json(MatterJson::from(&m)))
}

/// Open voting once the notice has stood its days; freezes and publishes the roll (committee).
#[utoipa::path(post, path = "/api/v1/matters/{id}/open", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn open_voting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<MatterJson>, ApiError> {
    v.require(Action::PrepareMatter)?;
    csrf(&v, &h)?;
    let m = state.store.open_matter(v.compound(), &id, v.actor()).await?;
    Ok(Json(MatterJson::from(&m)))
}

/// Close voting and publish the tally (committee director); answers the tally.
#[utoipa::path(post, path = "/api/v1/matters/{id}/close", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, description = "the tally, as `gongzhi tally` prints it"), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn close_voting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<gongzhi_core::Tally>, ApiError> {
    v.require(Action::CloseVoting)?;
    csrf(&v, &h)?;
    Ok(Json(state.store.close_matter(v.compound(), &id, v.actor()).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct BallotRequest {
    /// `13-701`
    unit: String,
    /// `approve`, `oppose` or `abstain`
    choice: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptResponse {
    receipt: String,
}

/// Cast the ballot of a unit this account votes for.
#[utoipa::path(post, path = "/api/v1/matters/{id}/ballots", tag = "ballots", params(("id" = String, Path)), request_body = BallotRequest,
    responses((status = 201, body = ReceiptResponse), (status = 401, body = ErrorJson), (status = 403, body = ErrorJson),
        (status = 404, body = ErrorJson), (status = 409, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn cast_ballot(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<BallotRequest>,
) -> Result<Response, ApiError> {
    csrf(&v, &h)?;
    let unit = UnitNo::parse(&b.unit)
        .ok_or_else(|| AppError::BadInput(format!("unit: '{}' is not a unit number like 13-701", b.unit)))?;
    let choice = Choice::parse(&b.choice)
        .ok_or_else(|| AppError::BadInput(format!("choice: '{}' is not approve, oppose or abstain", b.choice)))?;
    // no separate look-up of the matter: the store refuses one that is not open (a draft included)
    // and answers 404 for another compound's
    if !v.account.votes_for(&unit) {
        return Err(AppError::Forbidden(format!("this account does not vote for unit {unit}")).into());
    }
    let receipt = state.store.cast_ballot(v.compound(), &id, &unit, choice, Channel::Online, v.actor()).await?;
    Ok((StatusCode::CREATED, Json(ReceiptResponse { receipt })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct CountJson {
    owners: u64,
    /// m², as an exact decimal string
    area: String,
}

#[derive(Serialize, ToSchema)]
pub struct TurnoutJson {
    eligible: CountJson,
    participating: CountJson,
    /// the least that meets two thirds
    needed: CountJson,
    missing: CountJson,
    met: bool,
    /// units without a ballot, in visiting order (only for those who follow up turnout)
    to_visit: Option<Vec<String>>,
}

/// Participation so far, without any choice.
#[utoipa::path(get, path = "/api/v1/matters/{id}/turnout", tag = "ballots", params(("id" = String, Path)),
    responses((status = 200, body = TurnoutJson), (status = 401, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn get_turnout(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<TurnoutJson>, ApiError> {
    let m = visible(&state, &v, &id).await?;
    if !matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        return Err(AppError::Conflict("voting has not opened".into()).into());
    }
    let roll = state.store.roll(v.compound(), &id).await?;
    let voted: Vec<UnitNo> =
        state.store.voted_units(v.compound(), &id).await?.iter().filter_map(|u| UnitNo::parse(u)).collect();
    let set: HashSet<&UnitNo> = voted.iter().collect();
    let t = gongzhi_core::turnout::turnout(&roll, &set);
    let c = |owners, area: gongzhi_core::Area| CountJson { owners, area: area.to_string() };
    Ok(Json(TurnoutJson {
        eligible: c(t.eligible_owners, t.eligible_area),
        participating: c(t.participating_owners, t.participating_area),
        needed: c(t.needed_owners, t.needed_area),
        missing: c(t.missing_owners, t.missing_area),
        met: t.met,
        to_visit: v
            .may(Action::FollowUpTurnout)
            .then(|| t.to_visit.iter().flat_map(|x| x.units.iter().map(|u| u.to_string())).collect()),
    }))
}

/// The tally, exactly as `gongzhi tally` prints it; published when voting closes.
#[utoipa::path(get, path = "/api/v1/matters/{id}/tally", tag = "ballots", params(("id" = String, Path)),
    responses((status = 200, description = "the tally, as `gongzhi tally` prints it"), (status = 401, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn get_tally(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<gongzhi_core::Tally>, ApiError> {
    let m = visible(&state, &v, &id).await?;
    if m.status != MatterStatus::Closed {
        return Err(
            AppError::Conflict("results are published when voting closes; see /turnout meanwhile".into()).into()
        );
    }
    Ok(Json(state.store.tally(v.compound(), &id).await?))
}

// ------------------------------------------------------------------------------------------------
// Building projects

pub fn project_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_projects, create_project))
        .routes(routes!(get_project))
        .routes(routes!(move_project))
        .routes(routes!(add_visit))
        .routes(routes!(get_shares))
}

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
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects", responses((status = 200, body = Vec<ProjectJson>), (status = 401, body = ErrorJson)))]
async fn list_projects(State(state): State<AppState>, v: Viewer) -> Result<Json<Vec<ProjectJson>>, ApiError> {
    Ok(Json(state.store.projects(v.compound()).await?.iter().map(ProjectJson::from).collect()))
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
    responses((status = 201, body = ProjectJson), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn create_project(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(r): Json<NewProjectRequest>,
) -> Result<Response, ApiError> {
    v.require(Action::EditProjects)?;
    csrf(&v, &h)?;
    let np = gongzhi_store::projects::NewProject {
        title: r.title,
        kind: Some(
            gongzhi_core::projects::ProjectKind::parse(&r.kind)
                .ok_or_else(|| AppError::BadInput(format!("kind: unknown kind '{}'", r.kind)))?,
        ),
        scope: Some(
            gongzhi_core::Scope::parse(&r.scope)
                .ok_or_else(|| AppError::BadInput(format!("scope: '{}' is not a scope", r.scope)))?,
        ),
        note: r.note,
    };
    let scope = np.scope.clone().unwrap_or(gongzhi_core::Scope::Compound);
    if !crate::projects::access(&state, &v, &scope).await?.edit {
        return Err(AppError::Forbidden("a building leader starts projects only for their own building".into()).into());
    }
    let p = state.store.create_project(v.compound(), &np, v.actor()).await?;
    Ok((StatusCode::CREATED, Json(ProjectJson::from(&p))).into_response())
}

async fn project_for(
    state: &AppState,
    v: &Viewer,
    id: &str,
    edit: bool,
) -> Result<gongzhi_store::projects::Project, AppError> {
    let p = state.store.project(v.compound(), id).await?;
    let a = crate::projects::access(state, v, &p.scope).await?;
    if (edit && !a.edit) || !a.full {
        return Err(AppError::Forbidden(
            "only the committee, this building's leader and its owners see this project in full".into(),
        ));
    }
    Ok(p)
}

/// One project (the building's owners, its leader, the committee).
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "projects", params(("id" = String, Path)),
    responses((status = 200, body = ProjectJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
async fn get_project(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ProjectJson>, ApiError> {
    Ok(Json(ProjectJson::from(&project_for(&state, &v, &id, false).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct StageRequest {
    stage: String,
}

/// Move a project to a stage; 409 says what the stage still needs.
#[utoipa::path(post, path = "/api/v1/projects/{id}/stage", tag = "projects", params(("id" = String, Path)), request_body = StageRequest,
    responses((status = 200, body = ProjectJson), (status = 403, body = ErrorJson), (status = 409, body = ErrorJson)))]
async fn move_project(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<StageRequest>,
) -> Result<Json<ProjectJson>, ApiError> {
    csrf(&v, &h)?;
    project_for(&state, &v, &id, true).await?;
    let to = gongzhi_core::projects::Stage::parse(&r.stage)
        .ok_or_else(|| AppError::BadInput(format!("stage: unknown stage '{}'", r.stage)))?;
    let p = state
        .store
        .move_project(v.compound(), &id, to, gongzhi_core::projects::NoticeRule::default(), v.actor())
        .await?;
    Ok(Json(ProjectJson::from(&p)))
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
    responses((status = 201), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn add_visit(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<VisitRequest>,
) -> Result<StatusCode, ApiError> {
    csrf(&v, &h)?;
    project_for(&state, &v, &id, true).await?;
    let unit = UnitNo::parse(&r.unit)
        .ok_or_else(|| AppError::BadInput(format!("unit: '{}' is not a unit number like 13-701", r.unit)))?;
    let stance = gongzhi_core::projects::Stance::parse(&r.stance)
        .ok_or_else(|| AppError::BadInput(format!("stance: unknown stance '{}'", r.stance)))?;
    if let Some(bad) = r.reasons.iter().find(|x| !gongzhi_core::projects::REASONS.iter().any(|q| q.0 == x.as_str())) {
        return Err(AppError::BadInput(format!("reasons: unknown reason '{bad}'")).into());
    }
    state
        .store
        .record_visit(v.compound(), &id, &unit, stance, &r.reasons, &r.note, &r.answer, crate::now_ms(), v.actor())
        .await?;
    Ok(StatusCode::CREATED)
}

/// Each household's share, as `gongzhi share` prints it.
#[utoipa::path(get, path = "/api/v1/projects/{id}/shares", tag = "projects", params(("id" = String, Path)),
    responses((status = 200, description = "`{cost, subsidy, residents_total, shares: [{unit, floor, share}]}`"), (status = 403, body = ErrorJson), (status = 422, body = ErrorJson)))]
async fn get_shares(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<gongzhi_core::sharing::SharePlan>, ApiError> {
    let p = project_for(&state, &v, &id, false).await?;
    Ok(Json(state.store.share_plan(v.compound(), &p).await?))
}
