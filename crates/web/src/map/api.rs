//! The map's and requests' JSON API. Walks answer in `gongzhi walk`'s JSON (metres with one
//! decimal), with each building's figures beside; requests as records with their history.

use super::requests::{LinkBody, SubmitBody, households, seen, spent_on, visible};
use super::{EditBody, SaveBody, WhatIfBody};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Json, Path, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::map::requests::response_times;
use gongzhi_core::map::{MapAction, WalkOutput, by_building};
use gongzhi_store::map::ScenarioRecord;
use gongzhi_store::map::requests::RequestRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_map, put_map))
        .routes(routes!(post_edit))
        .routes(routes!(post_walk))
        .routes(routes!(get_scenarios, post_scenario))
        .routes(routes!(get_scenario))
        .routes(routes!(get_requests, post_request))
        .routes(routes!(get_request))
        .routes(routes!(put_photo))
        .routes(routes!(post_move))
        .routes(routes!(post_links))
        .routes(routes!(post_group))
        .routes(routes!(get_stats))
        .routes(routes!(get_routing, put_routing))
}

const PROBLEM: &str = "application/problem+json";

/// The walking map as GeoJSON: a FeatureCollection of Point nodes (`id`, `kind`, and for
/// entrances `building`, `households`; for bin rooms `hours`) and LineString paths (`from`,
/// `to`, `length` in metres, `closed`).
#[utoipa::path(get, path = "/api/v1/map", tag = "map",
    responses((status = 200, description = "GeoJSON FeatureCollection", content_type = "application/geo+json", body = Object),
        (status = 403, body = Problem, content_type = PROBLEM), (status = 404, body = Problem, content_type = PROBLEM)))]
async fn get_map(State(state): State<AppState>, v: Viewer) -> Answer {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let map = state.store.walk_map_or_refuse(v.compound()).await?;
    let mut r = gongzhi_core::map::geojson::export_string(&map).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
    Ok(r)
}

#[derive(Serialize, ToSchema)]
pub struct MapSize {
    nodes: usize,
    edges: usize,
}

/// Replaces the map with a GeoJSON FeatureCollection (WGS84); refused whole, naming each bad
/// feature, if any is bad.
#[utoipa::path(put, path = "/api/v1/map", tag = "map", request_body(content = Object, content_type = "application/json", description = "GeoJSON FeatureCollection"),
    responses((status = 200, body = MapSize), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn put_map(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<serde_json::Value>) -> Answer {
    let map = super::import(&state, &v, csrf(&h), &b.to_string()).await?;
    Ok(axum::Json(MapSize { nodes: map.nodes.len(), edges: map.edges.len() }).into_response())
}

/// One edit of the drawn map: place (add or move) a node, remove one, connect or disconnect two.
#[utoipa::path(post, path = "/api/v1/map/edits", tag = "map", request_body = EditBody,
    responses((status = 200, body = MapSize), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_edit(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<EditBody>) -> Answer {
    let map = super::edit(&state, &v, csrf(&h), &b).await?;
    Ok(axum::Json(MapSize { nodes: map.nodes.len(), edges: map.edges.len() }).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct BuildingJson {
    building: String,
    households: u64,
    households_gaining: u64,
    /// Households-weighted mean walks in metres (one decimal); null when none reaches a bin room.
    #[schema(value_type = Option<f64>)]
    mean_before: Option<gongzhi_core::map::Decimetres>,
    #[schema(value_type = Option<f64>)]
    mean_after: Option<gongzhi_core::map::Decimetres>,
}

/// `gongzhi walk`'s JSON (`entrances`, `households_gaining`, `mean_before`, `mean_after`), the
/// changes as `gongzhi walk` options, and each building's figures.
#[derive(Serialize, ToSchema)]
pub struct WalkJson {
    #[schema(value_type = Object)]
    #[serde(flatten)]
    walk: WalkOutput,
    changes: Vec<String>,
    buildings: Vec<BuildingJson>,
    /// The day asked for, YYYY-MM-DD; null: the stations' usual windows.
    day: Option<String>,
    /// The bin rooms whose station opens otherwise that day.
    station_changes: Vec<StationDayJson>,
}

/// A bin room whose waste station opens otherwise on the day asked for.
#[derive(Serialize, ToSchema)]
pub struct StationDayJson {
    bin: String,
    /// That day's windows, `HH:MM-HH:MM`; none: closed all day.
    hours: Vec<String>,
    note: String,
}

fn walk_json(w: super::Walked) -> WalkJson {
    let station_changes = w
        .day_changes
        .iter()
        .map(|(bin, note)| {
            let hours = match w.map.find(bin).map(|ix| &w.map.nodes[ix].place) {
                Some(gongzhi_core::map::Place::Bin { hours, .. }) => {
                    hours.iter().filter(|h| !h.is_closed()).map(|h| h.to_string()).collect()
                }
                _ => Vec::new(),
            };
            StationDayJson { bin: bin.clone(), hours, note: note.clone() }
        })
        .collect();
    let day = w.day.map(|d| d.to_string());
    let changes: Vec<String> = w.scenario.changes.iter().map(|c| c.to_string()).collect();
    let buildings = by_building(&w.comparison)
        .into_iter()
        .map(|b| BuildingJson {
            building: b.building,
            households: b.households,
            households_gaining: b.households_gaining,
            mean_before: b.mean_before.map(Into::into),
            mean_after: b.mean_after.map(Into::into),
        })
        .collect();
    WalkJson { walk: WalkOutput::new(w.comparison, changes.clone()), changes, buildings, day, station_changes }
}

/// Walks to the nearest bin room before and after a what-if (no changes: the map as it is).
#[utoipa::path(post, path = "/api/v1/map/walks", tag = "map", request_body = WhatIfBody,
    responses((status = 200, body = WalkJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_walk(
    State(state): State<AppState>,
    v: Viewer,
    Json(b): Json<WhatIfBody>,
) -> Result<axum::Json<WalkJson>, AppError> {
    Ok(axum::Json(walk_json(super::walk(&state, &v, &b).await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ScenarioJson {
    id: String,
    title: String,
    changes: Vec<String>,
    /// HH:MM: only bin rooms open then count; null: every bin room.
    at: Option<String>,
    matter: Option<String>,
    project: Option<String>,
    created_at: i64,
}

fn scenario_json(s: &ScenarioRecord) -> ScenarioJson {
    ScenarioJson {
        id: s.id.clone(),
        title: s.title.clone(),
        changes: s.scenario.changes.iter().map(|c| c.to_string()).collect(),
        at: s.minute.map(|m| format!("{:02}:{:02}", m / 60, m % 60)),
        matter: s.matter.clone(),
        project: s.project.clone(),
        created_at: s.created_at,
    }
}

/// The saved what-ifs, newest first.
#[utoipa::path(get, path = "/api/v1/map/scenarios", tag = "map",
    responses((status = 200, body = Vec<ScenarioJson>), (status = 403, body = Problem, content_type = PROBLEM)))]
async fn get_scenarios(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<ScenarioJson>>, AppError> {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    Ok(axum::Json(state.store.scenarios(v.compound()).await?.iter().map(scenario_json).collect()))
}

/// Saves a what-if, attached to a matter or a project if given (its page then links to it).
#[utoipa::path(post, path = "/api/v1/map/scenarios", tag = "map", request_body = SaveBody,
    responses((status = 201, body = ScenarioJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM), (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_scenario(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<SaveBody>) -> Answer {
    let s = super::save(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(scenario_json(&s))).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ScenarioWalkJson {
    scenario: ScenarioJson,
    walk: WalkJson,
}

/// A saved what-if and its walks on today's map.
#[utoipa::path(get, path = "/api/v1/map/scenarios/{id}", tag = "map", params(("id" = String, Path)),
    responses((status = 200, body = ScenarioWalkJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM)))]
async fn get_scenario(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<ScenarioWalkJson>, AppError> {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let s = state.store.scenario(v.compound(), &id).await?;
    let w = super::walk(&state, &v, &WhatIfBody::of(&s.scenario, s.minute)).await?;
    Ok(axum::Json(ScenarioWalkJson { scenario: scenario_json(&s), walk: walk_json(w) }))
}

#[derive(Serialize, ToSchema)]
pub struct EventJson {
    at: i64,
    by: String,
    status: String,
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct RequestJson {
    id: String,
    no: i64,
    title: String,
    category: String,
    handler: String,
    /// received, accepted, in-progress, answered, closed or declined
    status: String,
    /// Households behind its group.
    households: usize,
    /// The request that leads its group, if not itself.
    group_of: Option<String>,
    meeting: Option<String>,
    matter: Option<String>,
    project: Option<String>,
    outcome: String,
    submitted_at: i64,
    first_response_at: Option<i64>,
    closed_at: Option<i64>,
    /// Seen by its submitter and handlers only (null otherwise): what was written, where, by whom.
    text: Option<String>,
    building: Option<String>,
    node: Option<String>,
    unit: Option<String>,
    has_photo: bool,
    /// Spending from public revenue booked against its matter, in yuan.
    spent: Option<String>,
    events: Vec<EventJson>,
}

async fn request_json(
    state: &AppState,
    v: &Viewer,
    r: RequestRecord,
    full: bool,
    events: bool,
) -> Result<RequestJson, AppError> {
    let c = v.compound();
    let group = state.store.request_group(c, &r.id).await?;
    let evs = if events { state.store.request_events(c, &r.id).await? } else { Vec::new() };
    let spent = match &r.matter {
        Some(m) => Some(spent_on(state, c, m).await?).filter(|x| x.fen() > 0).map(|x| x.to_string()),
        None => None,
    };
    Ok(RequestJson {
        households: households(&group),
        events: evs
            .into_iter()
            .filter(|e| full || e.seq > 1)
            .map(|e| EventJson { at: e.at, by: e.by, status: e.status.to_string(), note: e.note })
            .collect(),
        id: r.id,
        no: r.no,
        title: r.title,
        category: r.category.to_string(),
        handler: r.handler.to_string(),
        status: r.status.to_string(),
        group_of: r.group_of,
        meeting: r.meeting,
        matter: r.matter,
        project: r.project,
        outcome: r.outcome,
        submitted_at: r.submitted_at,
        first_response_at: r.first_response_at,
        closed_at: r.closed_at,
        text: full.then_some(r.text),
        building: if full { r.building } else { None },
        node: if full { r.node } else { None },
        unit: if full { r.unit } else { None },
        has_photo: full && r.has_photo,
        spent,
    })
}

/// The requests the viewer sees in full: their own, and those they read or handle; newest first.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests",
    responses((status = 200, body = Vec<RequestJson>), (status = 403, body = Problem, content_type = PROBLEM)))]
async fn get_requests(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<RequestJson>>, AppError> {
    v.require(MapAction::ReadMap, Subject::Compound)?;
    let mut out = Vec::new();
    for r in visible(&state, &v).await? {
        out.push(request_json(&state, &v, r, true, false).await?);
    }
    Ok(axum::Json(out))
}

/// Submits a request; it is routed by its category and grouped with an open one alike. A photo
/// may follow with PUT /api/v1/requests/{id}/photo.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = SubmitBody,
    responses((status = 201, body = RequestJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_request(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<SubmitBody>) -> Answer {
    let r = super::requests::submit(&state, &v, csrf(&h), &b, None).await?;
    Ok((StatusCode::CREATED, axum::Json(request_json(&state, &v, r, true, true).await?)).into_response())
}

/// One request with its history, as the viewer may read it.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 200, body = RequestJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM)))]
async fn get_request(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<RequestJson>, AppError> {
    let s = seen(&state, &v, &id).await?;
    Ok(axum::Json(request_json(&state, &v, s.r, s.full, true).await?))
}

/// The photo of one's own request (PNG, JPEG, GIF or WebP, as the raw body), once.
#[utoipa::path(put, path = "/api/v1/requests/{id}/photo", tag = "requests", params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 204), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM), (status = 422, body = Problem, content_type = PROBLEM)))]
async fn put_photo(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Answer {
    v.acting(MapAction::SubmitRequests, Subject::Compound, csrf(&h))?;
    state.store.add_request_photo(v.compound(), &id, "photo", &body, v.actor()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct MoveBody {
    /// The new status; empty or absent: a reply that leaves it as it is.
    #[serde(default)]
    status: String,
    /// The reply the submitter sees (the reason, to decline; what was done, to close).
    #[serde(default)]
    note: String,
}

/// The handler moves a request (and its group) on, with a reply.
#[utoipa::path(post, path = "/api/v1/requests/{id}/moves", tag = "requests", params(("id" = String, Path)), request_body = MoveBody,
    responses((status = 200, body = RequestJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM), (status = 409, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_move(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<MoveBody>,
) -> Answer {
    let r = super::requests::move_on(&state, &v, csrf(&h), &id, &b.status, &b.note).await?;
    Ok(axum::Json(request_json(&state, &v, r, true, true).await?).into_response())
}

/// Puts a request's group on a meeting's agenda or ties it to a matter or project.
#[utoipa::path(post, path = "/api/v1/requests/{id}/links", tag = "requests", params(("id" = String, Path)), request_body = LinkBody,
    responses((status = 200, body = RequestJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM), (status = 409, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_links(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<LinkBody>,
) -> Answer {
    let r = super::requests::link(&state, &v, csrf(&h), &id, &b).await?;
    Ok(axum::Json(request_json(&state, &v, r, true, true).await?).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct RequestGroupBody {
    /// The request whose group to join; null: take it out of its group.
    #[serde(default)]
    into: Option<String>,
}

/// Groups a request with alike ones, or takes it out of its group.
#[utoipa::path(post, path = "/api/v1/requests/{id}/group", tag = "requests", params(("id" = String, Path)), request_body = RequestGroupBody,
    responses((status = 200, body = RequestJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 404, body = Problem, content_type = PROBLEM), (status = 409, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn post_group(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<RequestGroupBody>,
) -> Answer {
    let r = super::requests::regroup(&state, &v, csrf(&h), &id, b.into.as_deref()).await?;
    Ok(axum::Json(request_json(&state, &v, r, true, true).await?).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ResponseTimesJson {
    handler: String,
    /// null: all the handler's categories
    category: Option<String>,
    requests: usize,
    waiting: usize,
    median_hours: Option<i64>,
    slowest_hours: Option<i64>,
    /// Closed or declined, and the median time from submission to that (whole hours).
    closed: usize,
    median_close_hours: Option<i64>,
}

/// Response times per handler and category: first response and time to close, in whole hours.
#[utoipa::path(get, path = "/api/v1/requests/stats", tag = "requests",
    responses((status = 200, body = Vec<ResponseTimesJson>), (status = 403, body = Problem, content_type = PROBLEM)))]
async fn get_stats(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<ResponseTimesJson>>, AppError> {
    v.require(MapAction::ReadRequests, Subject::Compound)?;
    let times = response_times(&state.store.request_timings(v.compound()).await?);
    Ok(axum::Json(
        times
            .into_iter()
            .map(|x| ResponseTimesJson {
                handler: x.handler.to_string(),
                category: x.category.map(|c| c.to_string()),
                requests: x.requests,
                waiting: x.waiting,
                median_hours: x.median_hours,
                slowest_hours: x.slowest_hours,
                closed: x.closed,
                median_close_hours: x.median_close_hours,
            })
            .collect(),
    ))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RoutingJson {
    /// One line per category: `bin-room = owners-committee`.
    routing: String,
}

/// Which body each category of request goes to.
#[utoipa::path(get, path = "/api/v1/requests/routing", tag = "requests",
    responses((status = 200, body = RoutingJson), (status = 403, body = Problem, content_type = PROBLEM)))]
async fn get_routing(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<RoutingJson>, AppError> {
    v.require(MapAction::ReadRequests, Subject::Compound)?;
    Ok(axum::Json(RoutingJson { routing: state.store.request_routing(v.compound()).await?.to_text() }))
}

/// Sets the routing (requests already submitted keep their handler).
#[utoipa::path(put, path = "/api/v1/requests/routing", tag = "requests", request_body = RoutingJson,
    responses((status = 200, body = RoutingJson), (status = 403, body = Problem, content_type = PROBLEM),
        (status = 422, body = Problem, content_type = PROBLEM)))]
async fn put_routing(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<RoutingJson>,
) -> Result<axum::Json<RoutingJson>, AppError> {
    Ok(axum::Json(RoutingJson { routing: super::requests::set_routing(&state, &v, csrf(&h), &b.routing).await? }))
}
