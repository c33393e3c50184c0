//! The voting API under /api/v1: matters, their notices, ballots, turnout and the tally. Routes
//! and their OpenAPI entries are registered together in [`super::api`].

use super::actions;
use super::pages::parse_new_matter;
use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::Path;
use crate::kit::forms::{Json, csrf};
use crate::kit::{Answer, AppError};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::voting::{Marks, VotingAction, VotingRefusal};
use gongzhi_core::{Choice, MatterStatus, UnitNo};
use gongzhi_store::Matter;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use utoipa::ToSchema;

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
    /// The end first announced, when the window has since been extended (UTC ms).
    first_window_end: Option<i64>,
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
            first_window_end: m.first_window_end,
            notice_at: m.notice_at,
            opened_at: m.opened_at,
            closed_at: m.closed_at,
        }
    }
}

/// The compound's matters (drafts only for the committee).
#[utoipa::path(get, path = "/api/v1/matters", tag = "matters",
    responses((status = 200, body = Vec<MatterJson>), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn list_matters(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<MatterJson>>, AppError> {
    let ms = state.store.matters(v.compound()).await?;
    Ok(axum::Json(
        ms.iter()
            .filter(|m| m.status != MatterStatus::Draft || v.may(VotingAction::PrepareMatter, Subject::Compound))
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
    responses((status = 201, body = MatterJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn create_matter(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(r): Json<NewMatterRequest>,
) -> Answer {
    v.require(VotingAction::PrepareMatter, Subject::Compound)?;
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
    let m = actions::create_matter(&state, &v, csrf(&h), &nm, vec![]).await?;
    Ok((StatusCode::CREATED, axum::Json(MatterJson::from(&m))).into_response())
}

/// One matter.
#[utoipa::path(get, path = "/api/v1/matters/{id}", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_matter(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<MatterJson>, AppError> {
    Ok(axum::Json(MatterJson::from(&actions::visible_matter(&state, &v, &id).await?)))
}

/// Post the matter's public notice (committee).
#[utoipa::path(post, path = "/api/v1/matters/{id}/notice", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_notice(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::Json<MatterJson>, AppError> {
    let m = actions::post_notice(&state, &v, csrf(&h), &id).await?;
    Ok(axum::Json(MatterJson::from(&m)))
}

/// Open voting once the notice has stood its days; freezes and publishes the roll (committee).
#[utoipa::path(post, path = "/api/v1/matters/{id}/open", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, body = MatterJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn open_voting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::Json<MatterJson>, AppError> {
    let m = actions::open_voting(&state, &v, csrf(&h), &id).await?;
    Ok(axum::Json(MatterJson::from(&m)))
}

/// Close voting and publish the tally (committee director); answers the tally.
#[utoipa::path(post, path = "/api/v1/matters/{id}/close", tag = "matters", params(("id" = String, Path)),
    responses((status = 200, description = "the tally, as `gongzhi tally` prints it"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn close_voting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::Json<gongzhi_core::Tally>, AppError> {
    Ok(axum::Json(actions::close_voting(&state, &v, csrf(&h), &id).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct WindowRequest {
    /// The window's new last day, `YYYY-MM-DD` (Shanghai); voting runs to 24:00 of it.
    window_end: String,
}

/// Set or extend a matter's voting window (committee director). Once the notice is posted the
/// window is a promise to the owners: it may be extended, never shortened.
#[utoipa::path(post, path = "/api/v1/matters/{id}/window", tag = "matters", params(("id" = String, Path)), request_body = WindowRequest,
    responses((status = 200, body = MatterJson), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn extend_window(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(r): Json<WindowRequest>,
) -> Result<axum::Json<MatterJson>, AppError> {
    Ok(axum::Json(MatterJson::from(&actions::extend_window(&state, &v, csrf(&h), &id, &r.window_end).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct BallotRequest {
    /// `13-701`
    unit: String,
    /// `approve`, `oppose` or `abstain` (a matter given a choice)
    #[serde(default)]
    choice: Option<String>,
    /// On a slate matter (an election): the names approved, at most the matter's
    /// `slate_places` (empty: a blank ballot)
    #[serde(default)]
    approve: Option<Vec<String>>,
}

/// A ballot's marks from the API: `approve` on a slate matter, else `choice`.
pub(super) fn marks(choice: &Option<String>, approve: &Option<Vec<String>>) -> Result<Marks, AppError> {
    match (approve, choice) {
        (Some(names), _) => Ok(Marks::Names(names.clone())),
        (None, Some(c)) => {
            Ok(Marks::Choice(Choice::parse(c).ok_or_else(|| VotingRefusal::BadChoice { value: c.clone() }.refused())?))
        }
        (None, None) => VotingRefusal::BadChoice { value: String::new() }.err(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReceiptResponse {
    receipt: String,
}

/// Cast the ballot of a unit this account votes for.
#[utoipa::path(post, path = "/api/v1/matters/{id}/ballots", tag = "ballots", params(("id" = String, Path)), request_body = BallotRequest,
    responses((status = 201, body = ReceiptResponse), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn cast_ballot(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<BallotRequest>,
) -> Answer {
    let unit = UnitNo::parse(&b.unit)
        .ok_or_else(|| VotingRefusal::BadUnit { field: "unit".into(), value: b.unit.clone() }.refused())?;
    let receipt = actions::cast_ballot(&state, &v, csrf(&h), &id, &unit, marks(&b.choice, &b.approve)?).await?;
    Ok((StatusCode::CREATED, axum::Json(ReceiptResponse { receipt })).into_response())
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
    responses((status = 200, body = TurnoutJson), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_turnout(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<TurnoutJson>, AppError> {
    let m = actions::visible_matter(&state, &v, &id).await?;
    if !matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        return VotingRefusal::NotYetOpened.err();
    }
    let roll = state.store.roll(v.compound(), &id).await?;
    let voted: Vec<UnitNo> =
        state.store.voted_units(v.compound(), &id).await?.iter().filter_map(|u| UnitNo::parse(u)).collect();
    let set: HashSet<&UnitNo> = voted.iter().collect();
    let t = gongzhi_core::voting::turnout::turnout(&roll, &set);
    let c = |owners, area: gongzhi_core::Area| CountJson { owners, area: area.to_string() };
    Ok(axum::Json(TurnoutJson {
        eligible: c(t.eligible_owners, t.eligible_area),
        participating: c(t.participating_owners, t.participating_area),
        needed: c(t.needed_owners, t.needed_area),
        missing: c(t.missing_owners, t.missing_area),
        met: t.met,
        to_visit: v.could(VotingAction::FollowUpTurnout).then(|| {
            t.to_visit
                .iter()
                .filter(|x| v.may(VotingAction::FollowUpTurnout, Subject::Building(&x.building)))
                .flat_map(|x| x.units.iter().map(|u| u.to_string()))
                .collect()
        }),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RemindersQueued {
    /// Reminders queued: one to each voter on the roll who has not voted.
    queued: usize,
}

/// Queue a reminder now to each voter on the roll who has not voted (the committee and staff);
/// each is delivered once, and one not yet sent is cancelled when its unit votes.
#[utoipa::path(post, path = "/api/v1/matters/{id}/reminders", tag = "ballots", params(("id" = String, Path)),
    responses((status = 200, body = RemindersQueued), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn remind_voters(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::Json<RemindersQueued>, AppError> {
    Ok(axum::Json(RemindersQueued { queued: actions::remind_voters(&state, &v, csrf(&h), &id).await? }))
}

/// A unit on the roll that has not voted and that no channel reaches.
#[derive(Serialize, ToSchema)]
pub struct UnreachedJson {
    unit: String,
    building: String,
    /// The voter's name, or the register's owner when nobody votes for it with an account.
    name: String,
    /// Whether someone votes for it with an account (who chose no channel).
    has_account: bool,
}

/// The units on the roll that have not voted and that no channel reaches (no account, or no
/// channel chosen): for a paper notice or a building leader's visit. A building leader sees
/// their own building's.
#[utoipa::path(get, path = "/api/v1/matters/{id}/unreached", tag = "ballots", params(("id" = String, Path)),
    responses((status = 200, body = Vec<UnreachedJson>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_unreached(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<Vec<UnreachedJson>>, AppError> {
    Ok(axum::Json(
        actions::unreached(&state, &v, &id)
            .await?
            .into_iter()
            .map(|u| UnreachedJson { unit: u.unit, building: u.building, name: u.name, has_account: u.has_account })
            .collect(),
    ))
}

/// The tally, exactly as `gongzhi tally` prints it; published when voting closes.
#[utoipa::path(get, path = "/api/v1/matters/{id}/tally", tag = "ballots", params(("id" = String, Path)),
    responses((status = 200, description = "the tally, as `gongzhi tally` prints it"), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_tally(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<gongzhi_core::Tally>, AppError> {
    let m = actions::visible_matter(&state, &v, &id).await?;
    if m.status != MatterStatus::Closed {
        return VotingRefusal::ResultsAfterClose.err();
    }
    Ok(axum::Json(state.store.tally(v.compound(), &id).await?))
}
