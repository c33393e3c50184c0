//! The owners' committee on the web (issue 12, begun): the committee and its term for every
//! member of the compound, what of it breaks today's rules (an even number of seats is flagged and
//! explained, never silently fixed), and the change of term as a timeline of deadlines, each step
//! recorded by the director or the residents' committee on the day it happened.

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::Problem;
use crate::kit::forms::{Form, Json, csrf};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::policy::CommitteeAction;
use gongzhi_core::committee::term::{Office, Step, StepKind, timeline};
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::kit::{KitRefusal, Lang};
use gongzhi_store::committee::TermRecord;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

crate::kit::i18n::messages! {
    committee => "业主委员会", "The owners' committee";
    no_committee => "本小区还没有记录业主委员会。", "No owners' committee is recorded for this compound.";
    term => "任期", "Term";
    term_years => "年", "years";
    seats => "委员名额", "Seats";
    members => "委员", "Members";
    alternates => "候补委员", "Alternates";
    office_director => "主任", "director";
    office_vice => "副主任", "vice-director";
    office_member => "委员", "member";
    party => "中共党员", "party member";
    undertaking => "已签履职承诺书", "undertaking signed";
    trained => "培训", "trained";
    findings => "不符合现行规定之处", "What today's rules do not allow";
    no_findings => "符合现行规定。", "It meets today's rules.";
    change_of_term => "换届进程", "Change of term";
    change_hint => "期限从任期届满日起算；已完成的步骤记下完成日期。带“暂定”的期限取决于尚未完成的上一步。",
        "Deadlines count from the term's last day; a step done is recorded with its day. A deadline marked provisional depends on an earlier step not yet done.";
    col_due => "期限", "Due";
    provisional => "暂定", "provisional";
    record_step => "记录完成日期", "Record the day";
    incoming_title => "新一届业委会（待备案后就任）", "The new committee (takes office once filed)";
    incoming_hint => "选举产生的新一届委员和候补委员；换届备案记录后就任，本届委员会同时卸任。", "The members and alternates elected; they take office when the change of term's filing is recorded, and this committee's term ends.";
    step_recorded => "已记录。", "Recorded.";
}

mod changes;
pub(crate) mod compound_meetings;
mod elections;
mod meetings;
mod results;
mod settings;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/committee", get(committee_page))
        .route("/committee/steps", post(step_save))
        .route("/committee/meetings", get(meetings::meetings_page).post(meetings::meeting_save))
        .route("/committee/meetings/{id}/decisions", post(meetings::decision_save))
        .route("/committee/decisions/{id}/posted", post(meetings::posted_save))
        .route("/committee/candidates", get(elections::candidates_page).post(elections::nominate_save))
        .route("/committee/candidates/notice", get(elections::notice_page))
        .route("/committee/candidates/{id}/withdraw", post(elections::withdraw_save))
        .route("/committee/elections", post(elections::election_save))
        .route("/committee/elections/{id}", get(results::election_page))
        .route("/committee/elections/{id}/seat", post(results::seat_save))
        .route("/committee/departures", post(changes::departure_save))
        .route("/committee/demands", post(meetings::demand_save))
        .route("/committee/offices", post(changes::office_save))
        .route("/committee/group", post(changes::group_save))
        .route("/committee/settings", get(settings::settings_page).post(settings::settings_save))
        .route("/meetings", get(compound_meetings::list_page).post(compound_meetings::schedule_save))
        .route("/meetings/{id}", get(compound_meetings::meeting_page))
        .route("/meetings/{id}/minutes", post(compound_meetings::minutes_save))
        .route("/meetings/{id}/corrections", post(compound_meetings::correction_save))
        .route("/meetings/{id}/lock", post(compound_meetings::lock_save))
        .route("/meetings/{id}/resolutions", post(compound_meetings::resolution_save))
        .route("/resolutions/{id}/updates", post(compound_meetings::update_save))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_committee))
        .routes(routes!(post_step))
        .routes(routes!(meetings::get_meetings, meetings::post_meeting))
        .routes(routes!(meetings::post_decision))
        .routes(routes!(meetings::post_posted))
        .routes(routes!(elections::get_candidates, elections::post_candidate))
        .routes(routes!(elections::delete_candidate))
        .routes(routes!(results::post_election))
        .routes(routes!(results::get_election))
        .routes(routes!(results::post_seat))
        .routes(routes!(settings::get_settings, settings::put_settings))
        .routes(routes!(changes::post_departures))
        .routes(routes!(meetings::post_demand))
        .routes(routes!(changes::post_office))
        .routes(routes!(changes::put_group))
        .routes(routes!(compound_meetings::get_meetings, compound_meetings::post_meeting))
        .routes(routes!(compound_meetings::get_meeting))
        .routes(routes!(compound_meetings::put_minutes))
        .routes(routes!(compound_meetings::post_correction))
        .routes(routes!(compound_meetings::post_lock))
        .routes(routes!(compound_meetings::post_resolution))
        .routes(routes!(compound_meetings::post_update))
}

pub struct MemberRow {
    pub name: String,
    pub unit: String,
    pub office: String,
    pub notes: String,
}

pub struct StepRow {
    pub key: String,
    pub what: String,
    pub due: String,
    pub provisional: bool,
    pub status: String,
    pub late: bool,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "committee/committee.html")]
pub struct CommitteePage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub has: bool,
    pub term: String,
    pub seats: u32,
    pub members: Vec<MemberRow>,
    pub alternates: Vec<MemberRow>,
    pub findings: Vec<String>,
    pub steps: Vec<StepRow>,
    pub can_record: bool,
    pub today: String,
    pub saved: bool,
    pub error: String,
    /// The compound's elections: (matter id, title, status).
    pub elections: Vec<(String, String, String)>,
    pub can_settings: bool,
    /// (name, day, reason)
    pub departures: Vec<(String, String, String)>,
    /// What the seats held call for now.
    pub next: String,
    /// The change-of-term group: (name, side, leader), and what it breaks.
    pub group: Vec<(String, String, bool)>,
    pub group_text: String,
    pub group_findings: Vec<String>,
    /// The committee elected at this change of term, in office once it is filed.
    pub incoming: Vec<MemberRow>,
    pub incoming_alternates: Vec<MemberRow>,
}

/// The term, its findings and its timeline as of today.
async fn current(
    state: &AppState,
    compound: &str,
) -> Result<Option<(TermRecord, Vec<gongzhi_core::committee::Finding>, Vec<Step>)>, AppError> {
    let Some(rec) = state.store.committee_term(compound).await? else { return Ok(None) };
    let settings = state.store.committee_settings(compound).await?;
    let area = state.store.registry(compound).await?.total_area();
    let findings = rec.committee.check(area, &settings.term);
    let rest = state.store.rest_days(compound).await?;
    let today = day_of(crate::now_ms());
    let steps = timeline(rec.committee.term_end(), &rec.change, today, settings.periods, &rest);
    Ok(Some((rec, findings, steps)))
}

/// Refuses a matter the general meeting may not decide while the change-of-term group exists.
pub(crate) async fn matter_allowed(
    state: &AppState,
    compound: &str,
    kind: gongzhi_core::MatterKind,
) -> Result<(), AppError> {
    let Some(rec) = state.store.committee_term(compound).await? else { return Ok(()) };
    let today = day_of(crate::now_ms());
    gongzhi_core::committee::term::check_matter(kind, false, &rec.change, today)?;
    Ok(())
}

fn rows(t: &Tr, rec: &TermRecord, ms: &[gongzhi_core::committee::term::Member]) -> Vec<MemberRow> {
    ms.iter()
        .map(|m| {
            let mut notes = Vec::new();
            if m.party_member {
                notes.push(t.party().to_string());
            }
            if m.undertaking_signed.is_some() {
                notes.push(t.undertaking().to_string());
            }
            if let Some(d) = m.trained {
                notes.push(format!("{} {d}", t.trained()));
            }
            MemberRow {
                unit: rec.units.iter().find(|(n, _)| *n == m.name).and_then(|(_, u)| u.clone()).unwrap_or_default(),
                office: match m.office {
                    Office::Director => t.office_director(),
                    Office::ViceDirector => t.office_vice(),
                    Office::Member => t.office_member(),
                }
                .to_string(),
                notes: notes.join(" · "),
                name: m.name.clone(),
            }
        })
        .collect()
}

fn step_key(s: StepKind) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

async fn page(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String) -> Result<CommitteePage, AppError> {
    let t = p.t();
    let cur = current(state, v.compound()).await?;
    let mut page = CommitteePage {
        c: chrome(state, p, Some(v), "/committee").await,
        has: cur.is_some(),
        term: String::new(),
        seats: 0,
        members: vec![],
        alternates: vec![],
        findings: vec![],
        steps: vec![],
        can_record: v.may(CommitteeAction::RecordChangeOfTerm, Subject::Compound),
        today: day_of(crate::now_ms()).to_string(),
        saved,
        error,
        elections: vec![],
        can_settings: v.may(CommitteeAction::ChangeCommitteeSettings, Subject::Compound),
        departures: state
            .store
            .departures(v.compound())
            .await?
            .into_iter()
            .map(|d| (d.name, d.on.to_string(), d.reason))
            .collect(),
        next: String::new(),
        group: vec![],
        group_text: String::new(),
        group_findings: vec![],
        incoming: vec![],
        incoming_alternates: vec![],
        t,
    };
    if let Some(inc) = state.store.incoming_term(v.compound()).await? {
        page.incoming = rows(&t, &inc, &inc.committee.members);
        page.incoming_alternates = rows(&t, &inc, &inc.committee.alternates);
    }
    let g = state.store.change_group(v.compound()).await?;
    page.group_text = g
        .iter()
        .map(|m| {
            let side = gongzhi_store::committee::departures::side_key(m.side);
            if m.leader { format!("{}, {side}, leader", m.name) } else { format!("{}, {side}", m.name) }
        })
        .collect::<Vec<_>>()
        .join("\n");
    if !g.is_empty() {
        page.group_findings =
            gongzhi_core::committee::term::check_group(&g).into_iter().map(|f| f.refused().say(p.lang)).collect();
    }
    page.group = g
        .into_iter()
        .map(|m| (m.name, gongzhi_store::committee::departures::side_key(m.side).to_string(), m.leader))
        .collect();
    for id in state.store.elections(v.compound()).await? {
        let m = state.store.matter(v.compound(), &id).await?;
        if m.status != gongzhi_core::MatterStatus::Draft
            || v.may(gongzhi_core::voting::VotingAction::PrepareMatter, Subject::Compound)
        {
            page.elections.push((m.id, m.title, crate::voting::pages::status_label(t, m.status).to_string()));
        }
    }
    if let Some((rec, findings, steps)) = cur {
        let c = &rec.committee;
        page.term = format!(
            "{} – {}（{} {}）",
            c.term_start.tomorrow().unwrap_or(c.term_start),
            c.term_end(),
            c.term_years,
            t.term_years()
        );
        page.seats = c.seats;
        let exactly_half = state.store.committee_settings(v.compound()).await?.exactly_half;
        if let Ok(a) = gongzhi_core::committee::vacancies::after_departures(c, &[], exactly_half) {
            page.next = changes::next_step(&t, a.action);
        }
        page.members = rows(&t, &rec, &c.members);
        page.alternates = rows(&t, &rec, &c.alternates);
        page.findings = findings.into_iter().map(|f| f.refused().say(p.lang)).collect();
        page.steps = steps
            .iter()
            .map(|s| StepRow {
                key: step_key(s.step),
                what: if p.lang == Lang::Zh { s.step.zh() } else { s.step.en() }.to_string(),
                due: s.due.to_string(),
                provisional: s.provisional,
                status: if p.lang == Lang::Zh { s.status.zh() } else { s.status.en() },
                late: s.status.is_late(),
                done: s.done.is_some(),
            })
            .collect();
    }
    Ok(page)
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

async fn committee_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    Ok(html(render(&page(&state, &p, &v, q.saved.is_some(), String::new()).await?)))
}

fn parse_step(s: &str) -> Result<StepKind, AppError> {
    StepKind::ALL.into_iter().find(|k| step_key(*k) == s).ok_or_else(|| {
        KitRefusal::FormInvalid {
            detail: format!("step: {s:?} is not report, group, handover, election, list-posted or filing"),
        }
        .refused()
        .into()
    })
}

/// Records a step's day, checked: a date, not in the future.
async fn record(state: &AppState, v: &Viewer, step: &str, on: &str) -> Result<(), AppError> {
    let step = parse_step(step)?;
    let today = day_of(crate::now_ms());
    let on = match on.trim() {
        "" => None,
        s => Some(parse_day(s).filter(|d| *d <= today).ok_or_else(|| {
            AppError::from(
                KitRefusal::FormInvalid { detail: format!("on: {s:?} is not a date on or before {today}") }.refused(),
            )
        })?),
    };
    let rec = state
        .store
        .committee_term(v.compound())
        .await?
        .ok_or_else(|| AppError::from(KitRefusal::NotFound.refused()))?;
    state.store.record_step(v.compound(), &rec.id, step, on, v.actor()).await?;
    Ok(())
}

#[derive(Deserialize)]
pub(crate) struct StepForm {
    csrf: String,
    step: String,
    #[serde(default)]
    on: String,
}

async fn step_save(State(state): State<AppState>, p: Prefs, v: Viewer, Form(f): Form<StepForm>) -> Answer {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, Some(&f.csrf))?;
    match record(&state, &v, &f.step, &f.on).await {
        Ok(()) => Ok(see_other("/committee?saved=1#change-of-term")),
        Err(AppError::Refused(r)) => refused_page(&state, &p, &v, &r).await,
        Err(e) => Err(e),
    }
}

/// The committee page again with a refusal, answered with the refusal's status.
pub(super) async fn refused_page(state: &AppState, p: &Prefs, v: &Viewer, r: &gongzhi_core::kit::Refused) -> Answer {
    let mut answer = html(render(&page(state, p, v, false, r.say(p.lang)).await?));
    *answer.status_mut() = crate::kit::error::status_of(r.kind());
    Ok(answer)
}

/// A member or alternate.
#[derive(Serialize, ToSchema)]
pub struct MemberJson {
    name: String,
    unit: Option<String>,
    /// `director`, `vice-director` or `member`.
    office: String,
    party_member: bool,
    undertaking_signed: Option<String>,
    trained: Option<String>,
}

/// A step of the change of term.
#[derive(Serialize, ToSchema)]
pub struct StepJson {
    /// report, group, handover, election, list-posted, filing.
    step: String,
    due: String,
    done: Option<String>,
    provisional: bool,
    /// `{"status": "done", "on", "late_days"}`, `{"status": "due", "days_left"}` or
    /// `{"status": "overdue", "days"}`.
    #[schema(value_type = Object)]
    status: serde_json::Value,
}

/// The committee, its findings and its change of term.
#[derive(Serialize, ToSchema)]
pub struct CommitteeJson {
    seats: u32,
    term_start: String,
    term_end: String,
    term_years: u32,
    members: Vec<MemberJson>,
    alternates: Vec<MemberJson>,
    /// Each rule not met: `{code, zh, en, values}`.
    #[schema(value_type = Vec<Object>)]
    findings: Vec<serde_json::Value>,
    timeline: Vec<StepJson>,
    /// What the seats held call for: `{"action": "none"}`, `{"action": "by-election", "seats"}` or
    /// `{"action": "early-change-of-term"}`.
    #[schema(value_type = Object)]
    next: serde_json::Value,
    /// Members who left this term: `{name, on, reason}`.
    #[schema(value_type = Vec<Object>)]
    departures: Vec<serde_json::Value>,
    group: changes::GroupJson,
    /// The committee elected at this change of term, in office once it is filed (null if none).
    incoming: Option<IncomingJson>,
}

#[derive(Serialize, ToSchema)]
pub struct IncomingJson {
    seats: u32,
    term_start: String,
    members: Vec<MemberJson>,
    alternates: Vec<MemberJson>,
}

fn members_json(rec: &TermRecord, ms: &[gongzhi_core::committee::term::Member]) -> Vec<MemberJson> {
    ms.iter()
        .map(|m| MemberJson {
            unit: rec.units.iter().find(|(n, _)| *n == m.name).and_then(|(_, u)| u.clone()),
            office: serde_json::to_value(m.office).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
            party_member: m.party_member,
            undertaking_signed: m.undertaking_signed.map(|d| d.to_string()),
            trained: m.trained.map(|d| d.to_string()),
            name: m.name.clone(),
        })
        .collect()
}

/// The compound's owners' committee (every member of the compound).
#[utoipa::path(get, path = "/api/v1/committee", tag = "committee",
    responses((status = 200, body = CommitteeJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_committee(State(state): State<AppState>, v: Viewer) -> Result<axum::Json<CommitteeJson>, AppError> {
    let (rec, findings, steps) =
        current(&state, v.compound()).await?.ok_or_else(|| AppError::from(KitRefusal::NotFound.refused()))?;
    let c = &rec.committee;
    let exactly_half = state.store.committee_settings(v.compound()).await?.exactly_half;
    let next = gongzhi_core::committee::vacancies::after_departures(c, &[], exactly_half)
        .map(|a| serde_json::to_value(a.action).unwrap_or_default())
        .unwrap_or_default();
    let departures = state
        .store
        .departures(v.compound())
        .await?
        .into_iter()
        .map(|d| serde_json::json!({"name": d.name, "on": d.on.to_string(), "reason": d.reason}))
        .collect();
    let group = changes::group_json(&state.store.change_group(v.compound()).await?);
    let incoming = state.store.incoming_term(v.compound()).await?.map(|inc| IncomingJson {
        seats: inc.committee.seats,
        term_start: inc.committee.term_start.to_string(),
        members: members_json(&inc, &inc.committee.members),
        alternates: members_json(&inc, &inc.committee.alternates),
    });
    Ok(axum::Json(CommitteeJson {
        incoming,
        next,
        departures,
        group,
        seats: c.seats,
        term_start: c.term_start.to_string(),
        term_end: c.term_end().to_string(),
        term_years: c.term_years,
        members: members_json(&rec, &c.members),
        alternates: members_json(&rec, &c.alternates),
        findings: findings.iter().filter_map(|f| serde_json::to_value(f).ok()).collect(),
        timeline: steps
            .iter()
            .map(|s| StepJson {
                step: step_key(s.step),
                due: s.due.to_string(),
                done: s.done.map(|d| d.to_string()),
                provisional: s.provisional,
                status: serde_json::to_value(s.status).unwrap_or_default(),
            })
            .collect(),
    }))
}

/// A step's day.
#[derive(Deserialize, ToSchema)]
pub struct StepBody {
    /// report, group, handover, election, list-posted, filing.
    step: String,
    /// The day it happened (YYYY-MM-DD, not in the future); null or empty clears it.
    #[serde(default)]
    on: Option<String>,
}

/// Record the day a step of the change of term happened (the director, the residents' committee).
#[utoipa::path(post, path = "/api/v1/committee/steps", tag = "committee", request_body = StepBody,
    responses((status = 200, body = CommitteeJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn post_step(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<StepBody>,
) -> Result<axum::Json<CommitteeJson>, AppError> {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, csrf(&h))?;
    record(&state, &v, &b.step, b.on.as_deref().unwrap_or("")).await?;
    get_committee(State(state), v).await
}
