//! The committee's meetings on the web: each meeting with who attended in person and whether it
//! had its quorum, its decisions with who signed and whether more than half of all members did,
//! and each decision's public notice due within 3 days, flagged when late. A meeting without its
//! quorum is recorded and cannot decide.

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
use axum::response::{IntoResponse, Response};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::Finding;
use gongzhi_core::committee::meetings::{posting, posting_finding, regularity};
use gongzhi_core::committee::policy::CommitteeAction;
use gongzhi_core::kit::KitRefusal;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_store::committee::meetings::Meeting;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    meetings => "业委会会议", "Committee meetings";
    meetings_hint => "业委会至少每两个月开一次会；过半数委员亲自出席才能作出决定（不得委托）；决定须经全体委员过半数签字同意，并在三日内公告。",
        "The committee meets at least every two months; it can decide only with more than half of all members present in person (no proxies); a decision needs more than half of all members signing in agreement, and is posted within 3 days.";
    no_meetings => "还没有会议记录。", "No meetings recorded yet.";
    held_on => "日期", "Date";
    extraordinary => "临时会议", "extraordinary meeting";
    regular => "定期会议", "regular meeting";
    rc_invited => "已邀请居委会列席", "residents' committee invited";
    present => "出席", "present";
    has_quorum => "达到法定人数，可以作出决定", "quorate: it can decide";
    no_quorum => "未达到法定人数，不能作出决定", "not quorate: it cannot decide";
    decision_adopted => "通过", "adopted";
    decision_rejected => "未通过", "not adopted";
    signed_by => "签字同意", "signed in agreement";
    posting_due => "公告期限", "Post by";
    posted_on => "已公告", "posted";
    record_meeting => "记录一次会议", "Record a meeting";
    attendees => "亲自出席的委员", "Members present in person";
    attendance_title => "本年度出席情况", "This year's attendance";
    demands_title => "提议召开临时会议", "Demands for an extraordinary meeting";
    demand_hint => "三分之一以上委员提议时，应当召开业委会临时会议。", "When a third of the members or more demand it, the committee holds an extraordinary meeting.";
    demanders => "提议的委员", "Members demanding";
    demand_reason => "事由", "Reason";
    record_demand => "记录提议", "Record the demand";
    record_decision => "记录决定", "Record a decision";
    decision_title => "决定事项", "Decision";
    decision_body => "内容", "Text";
    signers => "签字同意的委员", "Members who signed in agreement";
    mark_posted => "记录公告日期", "Record the day it was posted";
}

pub struct DecisionRow {
    pub id: String,
    pub title: String,
    pub body: String,
    pub counted: String,
    pub adopted: bool,
    pub signed: String,
    pub due: String,
    pub status: String,
    pub late: bool,
    pub posted: bool,
}

pub struct MeetingRow {
    pub id: String,
    pub held_on: String,
    pub kind: String,
    pub rc_invited: bool,
    pub present: String,
    pub quorate: bool,
    pub attendees: Vec<String>,
    pub decisions: Vec<DecisionRow>,
}

#[derive(Template)]
#[template(path = "committee/meetings.html")]
pub struct MeetingsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub findings: Vec<String>,
    pub meetings: Vec<MeetingRow>,
    pub members: Vec<String>,
    pub can_keep: bool,
    pub today: String,
    pub error: String,
    /// This year's attendance findings: members who missed more than half, meetings without the
    /// residents' committee.
    pub attendance: Vec<String>,
    /// Demands for an extraordinary meeting: (day, demanders, reason).
    pub demands: Vec<(String, String, String)>,
}

/// This year's attendance findings (the current members over the meetings held this year).
async fn attendance_of(meetings: &[Meeting], members: &[String]) -> Vec<Finding> {
    let held: Vec<gongzhi_core::committee::meetings::HeldMeeting> = meetings
        .iter()
        .map(|m| gongzhi_core::committee::meetings::HeldMeeting {
            held_on: m.held_on,
            members: members.to_vec(),
            attendees: m.attendees.clone(),
            residents_committee_invited: m.rc_invited,
        })
        .collect();
    gongzhi_core::committee::meetings::year_findings(&held, day_of(crate::now_ms()).year())
}

/// Meetings with each decision's posting, and the findings, as of today.
async fn state_of(state: &AppState, compound: &str) -> Result<(Vec<Meeting>, Vec<Finding>, Vec<String>), AppError> {
    let meetings = state.store.meetings(compound).await?;
    let members = state
        .store
        .committee_term(compound)
        .await?
        .map(|r| r.committee.members.iter().map(|m| m.name.clone()).collect())
        .unwrap_or_default();
    let rule = state.store.committee_settings(compound).await?.periods;
    let rest = state.store.rest_days(compound).await?;
    let today = day_of(crate::now_ms());
    let mut findings = regularity(meetings.first().map(|m| m.held_on), today, rule, &rest);
    for m in &meetings {
        for d in m.decisions.iter().filter(|d| d.decision.adopted) {
            findings.extend(posting_finding(&d.title, &posting(m.held_on, d.posted_on, today, rule, &rest)));
        }
    }
    Ok((meetings, findings, members))
}

async fn page(state: &AppState, p: &Prefs, v: &Viewer, error: String) -> Result<MeetingsPage, AppError> {
    let t = p.t();
    let (meetings, findings, members) = state_of(state, v.compound()).await?;
    let rule = state.store.committee_settings(v.compound()).await?.periods;
    let rest = state.store.rest_days(v.compound()).await?;
    let today = day_of(crate::now_ms());
    let all = members
        .len()
        .max(state.store.committee_term(v.compound()).await?.map(|r| r.committee.seats as usize).unwrap_or(0));
    let zh = p.lang == gongzhi_core::kit::Lang::Zh;
    let rows = meetings
        .iter()
        .map(|m| MeetingRow {
            id: m.id.clone(),
            held_on: m.held_on.to_string(),
            kind: if m.extraordinary { t.extraordinary() } else { t.regular() }.to_string(),
            rc_invited: m.rc_invited,
            present: format!("{}/{all}", m.attendees.len()),
            quorate: 2 * m.attendees.len() > all,
            attendees: m.attendees.clone(),
            decisions: m
                .decisions
                .iter()
                .map(|d| {
                    let post = posting(m.held_on, d.posted_on, today, rule, &rest);
                    DecisionRow {
                        id: d.id.clone(),
                        title: d.title.clone(),
                        body: d.body.clone(),
                        counted: format!("{}/{}", d.decision.agreed, d.decision.all),
                        adopted: d.decision.adopted,
                        signed: d.signed.join("、"),
                        due: post.due.to_string(),
                        status: if zh { post.status.zh() } else { post.status.en() },
                        late: post.status.is_late(),
                        posted: d.posted_on.is_some(),
                    }
                })
                .collect(),
        })
        .collect();
    let attendance = attendance_of(&meetings, &members).await.into_iter().map(|f| f.refused().say(p.lang)).collect();
    let demands = state
        .store
        .demands(v.compound())
        .await?
        .into_iter()
        .map(|d| (d.on.to_string(), d.demanders.join("、"), d.reason))
        .collect();
    Ok(MeetingsPage {
        c: chrome(state, p, Some(v), "/committee/meetings").await,
        findings: findings.into_iter().map(|f| f.refused().say(p.lang)).collect(),
        meetings: rows,
        members,
        attendance,
        demands,
        can_keep: v.may(CommitteeAction::KeepMinutes, Subject::Compound),
        today: today.to_string(),
        error,
        t,
    })
}

pub(super) async fn meetings_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    Ok(html(render(&page(&state, &p, &v, String::new()).await?)))
}

fn day_field(name: &str, value: &str) -> Result<jiff::civil::Date, AppError> {
    let today = day_of(crate::now_ms());
    parse_day(value.trim()).filter(|d| *d <= today).ok_or_else(|| {
        KitRefusal::FormInvalid { detail: format!("{name}: {value:?} is not a date on or before {today}") }
            .refused()
            .into()
    })
}

/// Shows the page again with the refusal, or goes back to the list.
async fn answered(state: &AppState, p: &Prefs, v: &Viewer, r: Result<(), AppError>) -> Answer {
    match r {
        Ok(()) => Ok(see_other("/committee/meetings")),
        Err(AppError::Refused(r)) => {
            let mut answer = html(render(&page(state, p, v, r.say(p.lang)).await?));
            *answer.status_mut() = crate::kit::error::status_of(r.kind());
            Ok(answer)
        }
        Err(e) => Err(e),
    }
}

// One action per write, called by the page and the API alike (each checks the policy first).

/// Records a meeting held on `held_on`; answers its id.
async fn hold(
    state: &AppState,
    v: &Viewer,
    held_on: &str,
    extraordinary: bool,
    rc_invited: bool,
    attendees: &[String],
) -> Result<String, AppError> {
    let held = day_field("held_on", held_on)?;
    Ok(state.store.record_meeting(v.compound(), held, extraordinary, rc_invited, attendees, v.actor()).await?)
}

/// Records a meeting's decision; answers its id.
async fn decide(
    state: &AppState,
    v: &Viewer,
    meeting: &str,
    title: &str,
    body: &str,
    signed: &[String],
) -> Result<String, AppError> {
    Ok(state.store.record_decision(v.compound(), meeting, title, body, signed, v.actor()).await?.id)
}

/// Records the day a decision was posted.
async fn posted(state: &AppState, v: &Viewer, decision: &str, posted_on: &str) -> Result<(), AppError> {
    let on = day_field("posted_on", posted_on)?;
    Ok(state.store.post_decision(v.compound(), decision, on, v.actor()).await?)
}

pub(super) async fn meeting_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, f.get("csrf"))?;
    let extraordinary = f.get("extraordinary").is_some();
    let r = hold(&state, &v, f.one("held_on"), extraordinary, f.get("rc_invited").is_some(), f.all("attendee")).await;
    answered(&state, &p, &v, r.map(|_| ())).await
}

pub(super) async fn decision_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, f.get("csrf"))?;
    let r = decide(&state, &v, &id, f.one("title"), f.one("body"), f.all("signed")).await;
    answered(&state, &p, &v, r.map(|_| ())).await
}

pub(super) async fn posted_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, f.get("csrf"))?;
    let r = posted(&state, &v, &id, f.one("posted_on")).await;
    answered(&state, &p, &v, r).await
}

/// A decision and its notice.
#[derive(Serialize, ToSchema)]
pub struct DecisionJson {
    id: String,
    title: String,
    body: String,
    signed: Vec<String>,
    agreed: u32,
    /// "All members" (the seats, the stricter reading).
    all: u32,
    adopted: bool,
    posting_due: String,
    posted_on: Option<String>,
    #[schema(value_type = Object)]
    posting_status: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingJson {
    id: String,
    held_on: String,
    extraordinary: bool,
    rc_invited: bool,
    attendees: Vec<String>,
    quorate: bool,
    decisions: Vec<DecisionJson>,
}

/// The meetings, newest first, and what is late.
#[derive(Serialize, ToSchema)]
pub struct MeetingsJson {
    /// Each rule not met: `{code, zh, en, values}` (a meeting overdue, a decision not posted).
    #[schema(value_type = Vec<Object>)]
    findings: Vec<serde_json::Value>,
    meetings: Vec<MeetingJson>,
    /// This year's attendance: each member who missed more than half of the meetings, each meeting
    /// the residents' committee was not invited to (`{code, zh, en, values}`).
    #[schema(value_type = Vec<Object>)]
    attendance: Vec<serde_json::Value>,
    /// Demands for an extraordinary meeting: `{id, on, demanders, reason}`.
    #[schema(value_type = Vec<Object>)]
    demands: Vec<serde_json::Value>,
}

/// The committee's meetings and decisions (every member of the compound).
#[utoipa::path(get, path = "/api/v1/committee/meetings", tag = "committee",
    responses((status = 200, body = MeetingsJson),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_meetings(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<MeetingsJson>, AppError> {
    let (meetings, findings, members) = state_of(&state, v.compound()).await?;
    let all = state.store.committee_term(v.compound()).await?.map(|r| r.committee.seats as usize).unwrap_or(0);
    let all = all.max(members.len());
    let rule = state.store.committee_settings(v.compound()).await?.periods;
    let rest = state.store.rest_days(v.compound()).await?;
    let today = day_of(crate::now_ms());
    let attendance = attendance_of(&meetings, &members).await;
    let demands = state
        .store
        .demands(v.compound())
        .await?
        .into_iter()
        .map(|d| serde_json::json!({"id": d.id, "on": d.on.to_string(), "demanders": d.demanders, "reason": d.reason}))
        .collect();
    Ok(axum::Json(MeetingsJson {
        attendance: attendance.iter().filter_map(|f| serde_json::to_value(f).ok()).collect(),
        demands,
        findings: findings.iter().filter_map(|f| serde_json::to_value(f).ok()).collect(),
        meetings: meetings
            .iter()
            .map(|m| MeetingJson {
                id: m.id.clone(),
                held_on: m.held_on.to_string(),
                extraordinary: m.extraordinary,
                rc_invited: m.rc_invited,
                attendees: m.attendees.clone(),
                quorate: 2 * m.attendees.len() > all,
                decisions: m
                    .decisions
                    .iter()
                    .map(|d| {
                        let post = posting(m.held_on, d.posted_on, today, rule, &rest);
                        DecisionJson {
                            id: d.id.clone(),
                            title: d.title.clone(),
                            body: d.body.clone(),
                            signed: d.signed.clone(),
                            agreed: d.decision.agreed,
                            all: d.decision.all,
                            adopted: d.decision.adopted,
                            posting_due: post.due.to_string(),
                            posted_on: d.posted_on.map(|x| x.to_string()),
                            posting_status: serde_json::to_value(post.status).unwrap_or_default(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// A meeting held.
#[derive(Deserialize, ToSchema)]
pub struct NewMeeting {
    /// YYYY-MM-DD, not in the future.
    held_on: String,
    #[serde(default)]
    extraordinary: bool,
    #[serde(default)]
    rc_invited: bool,
    /// Members present in person, by name.
    #[serde(default)]
    attendees: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    id: String,
}

/// Record a meeting (the director, members, the residents' committee).
#[utoipa::path(post, path = "/api/v1/committee/meetings", tag = "committee", request_body = NewMeeting,
    responses((status = 201, body = Created),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_meeting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<NewMeeting>,
) -> Result<Response, AppError> {
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, csrf(&h))?;
    let id = hold(&state, &v, &b.held_on, b.extraordinary, b.rc_invited, &b.attendees).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })).into_response())
}

/// A decision taken.
#[derive(Deserialize, ToSchema)]
pub struct NewDecision {
    title: String,
    #[serde(default)]
    body: String,
    /// Members who signed in agreement (each present), by name.
    #[serde(default)]
    signed: Vec<String>,
}

/// Record a decision of a meeting: refused without a quorum (`committee.no-quorum`) or with a
/// signature of someone absent; adopted when more than half of all members signed.
#[utoipa::path(post, path = "/api/v1/committee/meetings/{id}/decisions", tag = "committee", request_body = NewDecision,
    params(("id" = String, Path, description = "the meeting")),
    responses((status = 201, body = Created),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_decision(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<NewDecision>,
) -> Result<Response, AppError> {
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, csrf(&h))?;
    let id = decide(&state, &v, &id, &b.title, &b.body, &b.signed).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })).into_response())
}

/// The day a decision was posted.
#[derive(Deserialize, ToSchema)]
pub struct Posted {
    /// YYYY-MM-DD, not in the future.
    posted_on: String,
}

/// Record the day a decision was posted.
#[utoipa::path(post, path = "/api/v1/committee/decisions/{id}/posted", tag = "committee", request_body = Posted,
    params(("id" = String, Path, description = "the decision")),
    responses((status = 204, description = "recorded"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_posted(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<Posted>,
) -> Result<StatusCode, AppError> {
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, csrf(&h))?;
    posted(&state, &v, &id, &b.posted_on).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A demand for an extraordinary meeting (a third of all members at least).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct DemandBody {
    demanders: Vec<String>,
    reason: String,
}

/// Records the demand; one action for the page and the API.
pub async fn demand(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &DemandBody,
) -> Result<gongzhi_store::committee::departures::Demand, AppError> {
    v.acting(CommitteeAction::KeepMinutes, Subject::Compound, csrf)?;
    let today = day_of(crate::now_ms());
    Ok(state.store.demand_meeting(v.compound(), &b.demanders, &b.reason, today, v.actor()).await?)
}

pub(super) async fn demand_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = DemandBody { demanders: f.all("demander").to_vec(), reason: f.one("reason").into() };
    match crate::kit::error::on_the_page(demand(&state, &v, Some(f.one("csrf")), &b).await)? {
        Ok(_) => Ok(see_other("/committee/meetings#demands")),
        Err(r) => {
            let mut answer = html(render(&page(&state, &p, &v, r.say(p.lang)).await?));
            *answer.status_mut() = crate::kit::error::status_of(r.kind());
            Ok(answer)
        }
    }
}

/// Record members' demand for an extraordinary meeting; refused below a third of all members.
#[utoipa::path(post, path = "/api/v1/committee/demands", tag = "committee", request_body = DemandBody,
    responses((status = 201),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_demand(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<DemandBody>,
) -> Result<StatusCode, AppError> {
    demand(&state, &v, csrf(&h), &b).await?;
    Ok(StatusCode::CREATED)
}
