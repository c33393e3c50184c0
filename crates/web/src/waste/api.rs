//! Waste sorting duty's JSON API (issue 14): the stations, the roster, a volunteer's shifts and
//! offers, check-in, no-shows and swaps, on the writes [`super`] serves the pages with too; covers,
//! setup and records list their routes here.

use super::{RosterBody, ShiftBody, SwapBody, answer, bad, build, check_in, current, me, no_show, offer};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Json, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::waste::{WasteRefusal, gaps};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_stations))
        .routes(routes!(get_roster, post_roster))
        .routes(routes!(get_me))
        .routes(routes!(post_checkin))
        .routes(routes!(post_no_show))
        .routes(routes!(post_swap))
        .routes(routes!(post_answer))
        .routes(routes!(super::covers::get_covers, super::covers::post_cover))
        .routes(routes!(super::covers::post_take))
        .routes(routes!(super::setup::put_station))
        .routes(routes!(super::setup::post_change))
        .routes(routes!(super::setup::get_volunteers))
        .routes(routes!(super::setup::put_volunteer))
        .routes(routes!(super::setup::put_me))
        .routes(routes!(super::records::get_records, super::records::post_record))
        .routes(routes!(super::records::get_summary))
}

#[derive(Serialize, ToSchema)]
pub struct StationJson {
    id: String,
    name: String,
    building_group: String,
    place: String,
    /// recyclable, hazardous, wet, dry
    bins: Vec<String>,
    /// `07:00-09:00`
    windows: Vec<String>,
    late_point: bool,
    households: u32,
}

/// The drop-off stations, their windows and bins (every member of the compound).
#[utoipa::path(get, path = "/api/v1/waste/stations", tag = "waste",
    responses((status = 200, body = Vec<StationJson>), (status = 401, body = Problem, content_type = "application/problem+json")))]
async fn get_stations(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<Vec<StationJson>>, AppError> {
    Ok(axum::Json(state.store.stations(v.compound()).await?.into_iter().map(station_json).collect()))
}

pub(super) fn station_json((s, place): (gongzhi_core::waste::Station, String)) -> StationJson {
    StationJson {
        id: s.id.to_string(),
        name: s.name,
        building_group: s.building_group,
        place,
        bins: s
            .bins
            .iter()
            .map(|b| serde_json::to_value(b).ok().and_then(|x| x.as_str().map(String::from)).unwrap_or_default())
            .collect(),
        windows: s.windows.iter().map(|w| format!("{}-{}", w.start, w.end)).collect(),
        late_point: s.late_point,
        households: s.households,
    }
}

/// The current roster: `{"period", "first_day", "days", "assignments":{shift:[volunteer]}, "uncovered":{shift:n},
/// "load":{volunteer:n}, "max_load", "covered", "places"}` as `gongzhi roster` prints it, with
/// the gaps and who could fill them.
#[derive(Serialize, ToSchema)]
pub struct RosterJson {
    period: String,
    first_day: String,
    days: u32,
    #[schema(value_type = Object)]
    assignments: serde_json::Value,
    #[schema(value_type = Object)]
    uncovered: serde_json::Value,
    #[schema(value_type = Object)]
    load: serde_json::Value,
    max_load: u32,
    covered: u32,
    places: u32,
    /// `[{shift, missing, could_fill: [volunteer]}]`
    #[schema(value_type = Vec<Object>)]
    gaps: Vec<serde_json::Value>,
}

async fn roster_json(state: &AppState, v: &Viewer) -> Result<RosterJson, AppError> {
    let p = current(state, v).await?;
    let pb = state.store.waste_problem(v.compound(), p.first_day, p.days, p.need).await?;
    let gs = gaps(&pb, &p.assignment);
    let mut load: std::collections::BTreeMap<String, u32> =
        pb.volunteers().iter().map(|x| (x.id.to_string(), 0)).collect();
    for vs in p.assignment.on.values() {
        for x in vs {
            *load.entry(x.to_string()).or_default() += 1;
        }
    }
    let assignments: serde_json::Map<String, serde_json::Value> = p
        .assignment
        .on
        .iter()
        .filter(|(_, vs)| !vs.is_empty())
        .map(|(s, vs)| (s.to_string(), serde_json::json!(vs.iter().map(|x| x.to_string()).collect::<Vec<_>>())))
        .collect();
    let uncovered: serde_json::Map<String, serde_json::Value> =
        gs.iter().map(|g| (g.shift.to_string(), serde_json::json!(g.missing))).collect();
    let covered: u32 = p.assignment.on.values().map(|vs| vs.len() as u32).sum();
    Ok(RosterJson {
        period: p.id.clone(),
        first_day: p.first_day.to_string(),
        days: p.days,
        assignments: serde_json::Value::Object(assignments),
        uncovered: serde_json::Value::Object(uncovered),
        max_load: load.values().copied().max().unwrap_or(0),
        load: serde_json::json!(load),
        covered,
        places: pb.places(),
        gaps: gs
            .iter()
            .map(|g| serde_json::json!({"shift": g.shift.to_string(), "missing": g.missing, "could_fill": g.could_fill.iter().map(|x| x.to_string()).collect::<Vec<_>>()}))
            .collect(),
    })
}

/// The current roster (every member of the compound).
#[utoipa::path(get, path = "/api/v1/waste/roster", tag = "waste",
    responses((status = 200, body = RosterJson), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_roster(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<RosterJson>, AppError> {
    Ok(axum::Json(roster_json(&state, &v).await?))
}

/// Build a period's roster (the organisers): every station window each day, exact and fair.
#[utoipa::path(post, path = "/api/v1/waste/roster", tag = "waste", request_body = RosterBody,
    responses((status = 201, body = RosterJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_roster(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<RosterBody>) -> Answer {
    build(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(roster_json(&state, &v).await?)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct MeJson {
    volunteer: String,
    name: String,
    /// `[{shift, status}]`, status `checked-in`, `no-show` or empty
    #[schema(value_type = Vec<Object>)]
    shifts: Vec<serde_json::Value>,
    /// Offers to take a shift: `[{id, from, shift}]`
    #[schema(value_type = Vec<Object>)]
    offers: Vec<serde_json::Value>,
}

/// My shifts and the offers addressed to me (a volunteer).
#[utoipa::path(get, path = "/api/v1/waste/me", tag = "waste",
    responses((status = 200, body = MeJson), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_me(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<MeJson>, AppError> {
    let me = me(&state, &v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    let p = current(&state, &v).await?;
    let id = me.volunteer.id.clone();
    Ok(axum::Json(MeJson {
        volunteer: id.to_string(),
        name: me.volunteer.name,
        shifts: p
            .assignment
            .on
            .iter()
            .filter(|(_, vs)| vs.contains(&id))
            .map(|(s, _)| {
                let st =
                    p.checkins.iter().find(|(x, who, _)| x == s && who == &id).map(|c| c.2.clone()).unwrap_or_default();
                serde_json::json!({"shift": s.to_string(), "status": st})
            })
            .collect(),
        offers: p
            .swaps
            .iter()
            .filter(|s| s.status == "offered" && s.swap.to == id)
            .map(
                |s| serde_json::json!({"id": s.id, "from": s.swap.from.to_string(), "shift": s.swap.shift.to_string()}),
            )
            .collect(),
    }))
}

/// Check in at my shift (on its day).
#[utoipa::path(post, path = "/api/v1/waste/checkins", tag = "waste", request_body = ShiftBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn post_checkin(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<ShiftBody>) -> Answer {
    check_in(&state, &v, csrf(&h), &b.shift).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Mark a volunteer's no-show (the organisers).
#[utoipa::path(post, path = "/api/v1/waste/no-shows", tag = "waste", request_body = ShiftBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn post_no_show(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<ShiftBody>) -> Answer {
    no_show(&state, &v, csrf(&h), &b.shift, b.volunteer.as_deref().unwrap_or("")).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize, ToSchema)]
pub struct SwapJson {
    id: String,
}

/// Offer my shift to another volunteer (checked against every rule now and when accepted).
#[utoipa::path(post, path = "/api/v1/waste/swaps", tag = "waste", request_body = SwapBody,
    responses((status = 201, body = SwapJson), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn post_swap(State(state): State<AppState>, v: Viewer, h: HeaderMap, Json(b): Json<SwapBody>) -> Answer {
    let id = offer(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(SwapJson { id })).into_response())
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// accept or decline
    answer: String,
}

/// Answer an offer addressed to me: accept (the roster changes) or decline.
#[utoipa::path(post, path = "/api/v1/waste/swaps/{id}", tag = "waste", params(("id" = String, Path)), request_body = AnswerBody,
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
async fn post_answer(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    Json(b): Json<AnswerBody>,
) -> Answer {
    let accept = match b.answer.as_str() {
        "accept" => true,
        "decline" => false,
        other => return Err(bad(format!("answer: {other:?} is not accept or decline"))),
    };
    answer(&state, &v, csrf(&h), &id, accept).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
