//! Cover requests on the web (issue 14 §3): a volunteer who cannot make a shift, or an organiser
//! with an open place, asks every volunteer free for it at once; the first to take it gets it.

use super::{bad, current, me};
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, csrf};
use crate::kit::{Answer, AppError, Prefs};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::waste::policy::WasteAction;
use gongzhi_core::waste::{ShiftId, WasteRefusal, cover_candidates};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    ask_cover => "找人代班", "Ask for cover";
    ask_cover_hint => "发给所有这时有空的志愿者，先到先得。", "Sent to every volunteer free then; the first to answer takes it.";
    covers_for_me => "可以接的代班", "Shifts you could cover";
    take_cover => "我来接班", "I'll take it";
    cover_asked => "已发出代班请求", "Cover asked";
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct CoverBody {
    /// The shift: one of mine to give up, or (an organiser) one with an open place.
    shift: String,
}

#[derive(Serialize, ToSchema)]
pub struct CoverAsked {
    id: String,
    /// How many volunteers were asked.
    asked: usize,
}

/// Asks for cover: for my own shift, or, as an organiser, for an open place.
pub async fn ask(state: &AppState, v: &Viewer, csrf: Option<&str>, shift: &str) -> Result<(String, usize), AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let shift = ShiftId(shift.trim().into());
    if shift.as_str().is_empty() {
        return Err(bad("shift: which shift?".into()));
    }
    let p = current(state, v).await?;
    let mine = me(state, v).await?.filter(|m| p.assignment.is_on(&shift, &m.volunteer.id));
    let from = match mine {
        Some(m) => Some(m.volunteer.id),
        None => {
            v.acting(WasteAction::Organise, Subject::Compound, csrf)?;
            None
        }
    };
    Ok(state.store.ask_cover(v.compound(), &p, &shift, from.as_ref(), v.actor()).await?)
}

pub async fn take(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<(), AppError> {
    v.acting(WasteAction::TakeShifts, Subject::Compound, csrf)?;
    let me = me(state, v).await?.ok_or_else(|| AppError::from(WasteRefusal::NotAVolunteer.refused()))?;
    let p = current(state, v).await?;
    Ok(state.store.take_cover(v.compound(), &p, id, &me.volunteer.id, v.actor()).await?)
}

/// The open cover requests the viewer could take now: (id, shift).
pub(super) async fn open_for_me(
    state: &AppState,
    v: &Viewer,
    p: &gongzhi_store::waste::PeriodRecord,
    pb: &gongzhi_core::waste::Problem,
) -> Result<Vec<(String, String)>, AppError> {
    let Some(me) = me(state, v).await? else { return Ok(vec![]) };
    Ok(state
        .store
        .covers(v.compound(), p)
        .await?
        .into_iter()
        .filter(|c| c.status == "open")
        .filter(|c| cover_candidates(pb, &p.assignment, &c.shift).is_ok_and(|cs| cs.contains(&me.volunteer.id)))
        .map(|c| (c.id, c.shift.to_string()))
        .collect())
}

pub(super) async fn ask_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = ask(&state, &v, Some(f.one("csrf")), f.one("shift")).await.map(|_| ());
    super::back(&state, &p, &v, r).await
}

pub(super) async fn take_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = take(&state, &v, Some(f.one("csrf")), &id).await;
    super::back(&state, &p, &v, r).await
}

#[derive(Serialize, ToSchema)]
pub struct CoverJson {
    id: String,
    shift: String,
    /// The volunteer giving it up; absent for an open place.
    from: Option<String>,
    /// open, taken or withdrawn
    status: String,
    taken_by: Option<String>,
    asked: u32,
    /// Whether I could take it now.
    for_me: bool,
}

/// The current roster's cover requests (every member of the compound).
#[utoipa::path(get, path = "/api/v1/waste/covers", tag = "waste",
    responses((status = 200, body = Vec<CoverJson>), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_covers(State(state): State<AppState>, v: Viewer) -> Answer {
    let p = current(&state, &v).await?;
    let pb = state.store.waste_problem(v.compound(), p.first_day, p.days, p.need).await?;
    let mine: Vec<String> = open_for_me(&state, &v, &p, &pb).await?.into_iter().map(|(id, _)| id).collect();
    let out: Vec<CoverJson> = state
        .store
        .covers(v.compound(), &p)
        .await?
        .into_iter()
        .map(|c| CoverJson {
            for_me: mine.contains(&c.id),
            id: c.id,
            shift: c.shift.to_string(),
            from: c.from.map(|f| f.to_string()),
            status: c.status,
            taken_by: c.taken_by.map(|t| t.to_string()),
            asked: c.asked,
        })
        .collect();
    Ok(axum::Json(out).into_response())
}

/// Ask for cover: for one of my shifts, or (an organiser) for a shift with an open place. Sent to
/// every volunteer free, available and under their maxima for it.
#[utoipa::path(post, path = "/api/v1/waste/covers", tag = "waste", request_body = CoverBody,
    responses((status = 201, body = CoverAsked), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_cover(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<CoverBody>,
) -> Answer {
    let (id, asked) = ask(&state, &v, csrf(&h), &b.shift).await?;
    Ok((StatusCode::CREATED, axum::Json(CoverAsked { id, asked })).into_response())
}

/// Take an open cover request (a volunteer); checked again against every rule.
#[utoipa::path(post, path = "/api/v1/waste/covers/{id}", tag = "waste", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_take(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    crate::kit::forms::Path(id): crate::kit::forms::Path<String>,
) -> Answer {
    take(&state, &v, csrf(&h), &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
