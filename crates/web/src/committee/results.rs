//! The committee's election on the web, after [`super::elections`] drafted it: its page with the
//! result notice (each candidate's counts, elected, tied, short of the threshold), the seating of
//! those elected as the new term, and the API for both.

use super::elections::{ElectionBody, draft};
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, Path, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use gongzhi_core::MatterStatus;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::election::{ElectionResult, Outcome};
use gongzhi_core::committee::policy::CommitteeAction;
use serde::Serialize;
use utoipa::ToSchema;

pub struct CountRow {
    pub name: String,
    pub owners: u64,
    pub area: String,
    pub majority: bool,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "committee/election.html")]
pub struct ElectionPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub id: String,
    pub title: String,
    pub status: String,
    pub open: bool,
    pub seats: u32,
    pub alternates: u32,
    pub slate: Vec<String>,
    pub counted: bool,
    pub eligible: String,
    pub participating: String,
    pub participation_met: bool,
    pub counts: Vec<CountRow>,
    pub elected: String,
    pub alternates_named: String,
    pub tie: String,
    pub open_seats: u32,
    pub void: String,
    pub explanation: String,
    /// The elected may be recorded as the incoming committee.
    pub can_seat: bool,
}

fn outcome_label(t: &Tr, r: &ElectionResult, name: &str) -> String {
    match r.outcome(name) {
        Outcome::Elected => t.outcome_elected().into(),
        Outcome::Alternate(k) => format!("{} {k}", t.outcome_alternate()),
        Outcome::Tie => t.outcome_tie().into(),
        Outcome::AlternateTie => t.outcome_alternate_tie().into(),
        Outcome::NotElected => "—".into(),
    }
}

fn list(v: &[String]) -> String {
    if v.is_empty() { "—".into() } else { v.join("、") }
}

pub(super) async fn election_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
) -> Answer {
    let t = p.t();
    let seats = state.store.election_seats(v.compound(), &id).await?;
    let m = crate::voting::actions::visible_matter(&state, &v, &id).await?;
    let slate = state.store.slate(v.compound(), &id).await?;
    let result = match m.status {
        MatterStatus::Closed => Some(state.store.election_result(v.compound(), &id).await?),
        _ => None,
    };
    let mut page = ElectionPage {
        c: chrome(&state, &p, Some(&v), &format!("/committee/elections/{id}")).await,
        id: id.clone(),
        title: m.title.clone(),
        status: crate::voting::pages::status_label(t, m.status).to_string(),
        open: m.status == MatterStatus::Open,
        seats: seats.seats,
        alternates: seats.alternates,
        slate,
        counted: result.is_some(),
        eligible: String::new(),
        participating: String::new(),
        participation_met: false,
        counts: vec![],
        elected: String::new(),
        alternates_named: String::new(),
        tie: String::new(),
        open_seats: 0,
        void: String::new(),
        explanation: String::new(),
        can_seat: false,
        t,
    };
    if let Some(r) = result {
        page.eligible = format!("{} {} · {} m²", r.eligible.owners, t.owners_word(), r.eligible.area);
        page.participating = format!("{} {} · {} m²", r.participating.owners, t.owners_word(), r.participating.area);
        page.participation_met = r.participation_met;
        page.counts = r
            .candidates
            .iter()
            .map(|c| CountRow {
                name: c.name.clone(),
                owners: c.owners,
                area: c.area.to_string(),
                majority: c.majority,
                outcome: outcome_label(&t, &r, &c.name),
            })
            .collect();
        page.elected = list(&r.elected);
        page.alternates_named = list(&r.alternates);
        page.tie = list(&r.tie);
        page.open_seats = r.open_seats;
        page.void = list(&r.void.iter().map(|u| u.to_string()).collect::<Vec<_>>());
        page.explanation = p.lang.pick(&r.explanation.zh, &r.explanation.en).to_string();
        page.can_seat = !r.elected.is_empty()
            && v.may(CommitteeAction::RecordChangeOfTerm, Subject::Compound)
            && state.store.incoming_term(v.compound()).await?.is_none();
    }
    Ok(html(render(&page)))
}

/// An election: its seats, slate and, once voting has closed, the count exactly as
/// `gongzhi elect --format json` prints it.
#[derive(Serialize, ToSchema)]
pub struct ElectionJson {
    matter_id: String,
    title: String,
    /// draft, notice, open, closed.
    status: String,
    seats: u32,
    alternates: u32,
    slate: Vec<String>,
    /// `{"seats","alternates_wanted","eligible":{"owners","area"},"participating":{…},
    /// "participation_met","candidates":[{"name","owners","area","majority"}],"elected","alternates",
    /// "tie","open_seats","void"}`; null until voting has closed.
    #[schema(value_type = Option<Object>)]
    result: Option<serde_json::Value>,
    /// The result and the rule in words (null until closed).
    #[schema(value_type = Option<Object>)]
    explanation: Option<gongzhi_core::kit::Both>,
}

async fn election_json(state: &AppState, v: &Viewer, id: &str) -> Result<ElectionJson, AppError> {
    let seats = state.store.election_seats(v.compound(), id).await?;
    let m = crate::voting::actions::visible_matter(state, v, id).await?;
    let result = match m.status {
        MatterStatus::Closed => Some(state.store.election_result(v.compound(), id).await?),
        _ => None,
    };
    Ok(ElectionJson {
        matter_id: m.id,
        title: m.title,
        status: m.status.as_str().into(),
        seats: seats.seats,
        alternates: seats.alternates,
        slate: state.store.slate(v.compound(), id).await?,
        explanation: result.as_ref().map(|r| r.explanation.clone()),
        result: result.and_then(|r| serde_json::to_value(r).ok()),
    })
}

/// Draft the committee's election: a `committee-election` matter whose slate is the given
/// (eligible) candidates; each ballot approves up to seats + alternates names.
#[utoipa::path(post, path = "/api/v1/committee/elections", tag = "committee", request_body = ElectionBody,
    responses((status = 201, body = ElectionJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_election(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<ElectionBody>,
) -> Answer {
    let m = draft(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(election_json(&state, &v, &m.id).await?)).into_response())
}

/// An election and, once closed, its count.
#[utoipa::path(get, path = "/api/v1/committee/elections/{id}", tag = "committee", params(("id" = String, Path)),
    responses((status = 200, body = ElectionJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_election(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<ElectionJson>, AppError> {
    Ok(axum::Json(election_json(&state, &v, &id).await?))
}

/// Records the elected as the incoming committee (one action for the page and the API).
pub async fn seat(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<String, AppError> {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, csrf)?;
    Ok(state.store.seat_elected(v.compound(), id, v.actor()).await?)
}

pub(super) async fn seat_save(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    seat(&state, &v, Some(f.one("csrf")), &id).await?;
    Ok(see_other("/committee?saved=1#incoming"))
}

#[derive(Serialize, ToSchema)]
pub struct SeatedJson {
    term_id: String,
}

/// Record the elected as the incoming committee (it takes office when the change of term is
/// filed), and the election step on the day the vote closed.
#[utoipa::path(post, path = "/api/v1/committee/elections/{id}/seat", tag = "committee", params(("id" = String, Path)),
    responses((status = 201, body = SeatedJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_seat(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    let term_id = seat(&state, &v, csrf(&h), &id).await?;
    Ok((StatusCode::CREATED, axum::Json(SeatedJson { term_id })).into_response())
}
