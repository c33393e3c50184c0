//! The compound's other meetings on the web: every member of the compound reads the meetings,
//! their minutes and where each resolution stands; those who keep them schedule a meeting, write
//! its attendance and minutes, lock them, and record and follow up resolutions; an attendee
//! corrects the draft minutes. Page and API handlers share one action per write.

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
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::minutes::{MeetingKind, MinutesStatus, ResolutionStatus, resolution_deadline};
use gongzhi_core::committee::policy::CommitteeAction;
use gongzhi_core::kit::period::{day_of, parse_day, start_of};
use gongzhi_core::kit::{KitRefusal, Lang};
use gongzhi_store::committee::compound_meetings::{CompoundMeeting, NewCompoundMeeting, Resolution};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    compound_meetings => "小区会议与决议", "The compound's meetings and resolutions";
    compound_meetings_hint => "楼组长会议、业主代表会议、党组织牵头的月度联席会议和业主接待日：议程、出席、纪要（草稿→出席者更正→定稿）和决议事项的落实情况，所有业主都能看到。",
        "Building leaders' and owner representatives' meetings, the monthly joint meeting led by the party organisation, and the reception day: agenda, attendance, minutes (draft → corrected by attendees → final) and how each resolution was carried out, for every owner to read.";
    no_compound_meetings => "还没有会议。", "No meetings yet.";
    open_resolutions => "待落实的决议", "Resolutions still open";
    none_open => "没有待落实的决议。", "No open resolutions.";
    schedule_meeting => "安排会议", "Schedule a meeting";
    meeting_kind => "会议类型", "Kind";
    meeting_title => "会议名称", "Title";
    meeting_starts => "开始时间", "Starts";
    meeting_ends => "结束时间", "Ends";
    meeting_place => "地点", "Place";
    agenda => "议程", "Agenda";
    attendance => "出席", "Attendance";
    attendees_hint => "每行一人（或用顿号、分号分隔）", "One per line (or separated by 、 or ;)";
    minutes_word => "会议纪要", "Minutes";
    minutes_state => "纪要状态", "Minutes";
    write_minutes => "记录出席和纪要", "Record attendance and minutes";
    corrections => "出席者的更正", "Corrections by attendees";
    correct_minutes => "提出更正", "Suggest a correction";
    correct_as => "以出席者身份更正：", "Correcting as the attendee:";
    lock_minutes => "定稿（之后不能再修改）", "Make final (nothing changes after)";
    resolutions => "决议事项", "Resolutions";
    resolution_body => "决议内容", "What was resolved";
    assignee => "负责人", "Who does it";
    due_by => "完成期限", "By";
    led_to_matter => "形成表决事项", "Led to the matter";
    led_to_project => "形成项目", "Led to the project";
    add_resolution => "记录决议", "Record a resolution";
    follow_up => "记录进展", "Record progress";
    update_note => "说明", "Note";
    res_status => "状态", "Status";
    matter_id_field => "表决事项编号（可选）", "Matter id (optional)";
    project_id_field => "项目编号（可选）", "Project id (optional)";
    meeting_saved => "已保存。", "Saved.";
    res_open => "进行中", "open";
    res_done => "已完成", "done";
    res_dropped => "已撤销", "dropped";
}

// ---------------------------------------------------------------------------------------------
// The writes, once for the page and the API.

fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

/// `YYYY-MM-DDTHH:MM` (a form's datetime-local, Shanghai) or `YYYY-MM-DD HH:MM` as UTC ms.
fn parse_local(field: &str, s: &str) -> Result<i64, AppError> {
    let s = s.trim();
    let (d, t) = s.split_once(['T', ' ']).unwrap_or((s, "00:00"));
    let day =
        parse_day(d).ok_or_else(|| bad(format!("{field}: {s:?} is not a date and time like 2026-12-20T19:00")))?;
    let (h, m) = t.split_once(':').unwrap_or((t, "0"));
    let (h, m): (i64, i64) = match (h.parse(), m.get(..2).unwrap_or(m).parse()) {
        (Ok(h), Ok(m)) if (0..24).contains(&h) && (0..60).contains(&m) => (h, m),
        _ => return Err(bad(format!("{field}: {s:?} is not a time of day like 19:00"))),
    };
    Ok(start_of(day) + (h * 60 + m) * 60_000)
}

fn names(s: &str) -> Vec<String> {
    s.split(['\n', ';', '；', '、', ',', '，']).map(str::trim).filter(|n| !n.is_empty()).map(String::from).collect()
}

fn links<'a>(matter: &'a Option<String>, project: &'a Option<String>) -> (Option<&'a str>, Option<&'a str>) {
    (matter.as_deref().map(str::trim), project.as_deref().map(str::trim))
}

/// A meeting to schedule.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ScheduleBody {
    /// building-leaders, owner-representatives, joint, reception-day, other.
    kind: String,
    title: String,
    /// Shanghai time, `2026-12-20T19:00`.
    starts_at: String,
    ends_at: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    agenda: String,
}

pub async fn schedule(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &ScheduleBody,
) -> Result<CompoundMeeting, AppError> {
    v.acting(CommitteeAction::KeepCompoundMeetings, Subject::Compound, csrf)?;
    let kind = MeetingKind::parse(&b.kind).ok_or_else(|| {
        bad(format!("kind: {:?} is not building-leaders, owner-representatives, joint, reception-day or other", b.kind))
    })?;
    let m = NewCompoundMeeting {
        kind,
        title: b.title.clone(),
        starts_at: parse_local("starts_at", &b.starts_at)?,
        ends_at: parse_local("ends_at", &b.ends_at)?,
        place: b.place.clone(),
        agenda: b.agenda.clone(),
    };
    Ok(state.store.schedule_compound_meeting(v.compound(), &m, v.actor()).await?)
}

/// Attendance and minutes.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct MinutesBody {
    attendees: Vec<String>,
    minutes: String,
}

pub async fn write(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &MinutesBody,
) -> Result<CompoundMeeting, AppError> {
    v.acting(CommitteeAction::KeepCompoundMeetings, Subject::Compound, csrf)?;
    Ok(state.store.write_minutes(v.compound(), id, &b.attendees, &b.minutes, v.actor()).await?)
}

/// A correction, made as the attendee whose name the account carries.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct CorrectionBody {
    body: String,
}

pub async fn correct(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &CorrectionBody,
) -> Result<CompoundMeeting, AppError> {
    v.acting(CommitteeAction::CorrectMinutes, Subject::Compound, csrf)?;
    Ok(state.store.correct_minutes(v.compound(), id, &v.account.name, &b.body, v.actor()).await?)
}

pub async fn lock(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str) -> Result<CompoundMeeting, AppError> {
    v.acting(CommitteeAction::KeepCompoundMeetings, Subject::Compound, csrf)?;
    Ok(state.store.lock_minutes(v.compound(), id, v.actor()).await?)
}

/// A resolution.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ResolutionBody {
    body: String,
    assignee: String,
    /// YYYY-MM-DD
    due: String,
    #[serde(default)]
    matter_id: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
}

pub async fn resolve(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    meeting: &str,
    b: &ResolutionBody,
) -> Result<Resolution, AppError> {
    v.acting(CommitteeAction::KeepCompoundMeetings, Subject::Compound, csrf)?;
    let due = parse_day(b.due.trim()).ok_or_else(|| bad(format!("due: {:?} is not a date (YYYY-MM-DD)", b.due)))?;
    Ok(state
        .store
        .add_resolution(v.compound(), meeting, &b.body, &b.assignee, due, links(&b.matter_id, &b.project_id), v.actor())
        .await?)
}

/// A resolution's progress.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct UpdateBody {
    /// open, done, dropped.
    status: String,
    note: String,
    #[serde(default)]
    matter_id: Option<String>,
    #[serde(default)]
    project_id: Option<String>,
}

pub async fn follow_up(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &UpdateBody,
) -> Result<Resolution, AppError> {
    v.acting(CommitteeAction::KeepCompoundMeetings, Subject::Compound, csrf)?;
    let status = ResolutionStatus::parse(&b.status)
        .ok_or_else(|| bad(format!("status: {:?} is not open, done or dropped", b.status)))?;
    Ok(state
        .store
        .update_resolution(
            v.compound(),
            id,
            status,
            &b.note,
            &v.account.name,
            links(&b.matter_id, &b.project_id),
            v.actor(),
        )
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Pages.

pub struct ResolutionRow {
    pub id: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub body: String,
    pub assignee: String,
    pub due: String,
    pub status: String,
    pub deadline: String,
    pub late: bool,
    pub matter_id: String,
    pub project_id: String,
    pub updates: Vec<String>,
}

pub struct MeetingRow {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub when: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "committee/compound_meetings.html")]
pub struct ListPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub meetings: Vec<MeetingRow>,
    pub open: Vec<ResolutionRow>,
    pub can_keep: bool,
    pub kinds: Vec<(String, String)>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "committee/compound_meeting.html")]
pub struct MeetingPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub m: MeetingRow,
    pub agenda: String,
    pub attendees: Vec<String>,
    pub attendees_text: String,
    pub minutes: String,
    pub minutes_status: String,
    pub locked: bool,
    pub written: bool,
    pub corrections: Vec<(String, String, String)>,
    pub resolutions: Vec<ResolutionRow>,
    pub related: Vec<crate::kit::views::RelatedLink>,
    pub can_keep: bool,
    pub can_correct: bool,
    pub my_name: String,
    pub saved: bool,
    pub error: String,
}

fn when(m: &CompoundMeeting) -> String {
    let end = gongzhi_core::time::datetime(m.ends_at);
    let end = end.split_once(' ').map(|(_, t)| t.to_string()).unwrap_or(end);
    format!("{}–{end}", gongzhi_core::time::datetime(m.starts_at))
}

fn meeting_row(lang: Lang, m: &CompoundMeeting) -> MeetingRow {
    MeetingRow {
        id: m.id.clone(),
        kind: lang.pick(m.kind.zh(), m.kind.en()).into(),
        title: m.title.clone(),
        when: when(m),
        place: m.place.clone(),
    }
}

fn resolution_row(lang: Lang, m: &CompoundMeeting, r: &Resolution) -> ResolutionRow {
    let today = day_of(crate::now_ms());
    let status = resolution_deadline(r.due, r.status, r.closed_on(), today);
    ResolutionRow {
        id: r.id.clone(),
        meeting_id: m.id.clone(),
        meeting_title: m.title.clone(),
        body: r.body.clone(),
        assignee: r.assignee.clone(),
        due: r.due.to_string(),
        status: lang.pick(r.status.zh(), r.status.en()).into(),
        deadline: if lang == Lang::Zh { status.zh() } else { status.en() },
        late: r.status == ResolutionStatus::Open && status.is_late(),
        matter_id: r.matter_id.clone().unwrap_or_default(),
        project_id: r.project_id.clone().unwrap_or_default(),
        updates: r
            .updates
            .iter()
            .map(|u| format!("{} · {} · {}：{}", u.on, u.by, lang.pick(u.status.zh(), u.status.en()), u.note))
            .collect(),
    }
}

async fn list_view(state: &AppState, p: &Prefs, v: &Viewer, error: String) -> Answer {
    let ms = state.store.compound_meetings(v.compound()).await?;
    let open = ms
        .iter()
        .flat_map(|m| m.resolutions.iter().filter(|r| r.status == ResolutionStatus::Open).map(move |r| (m, r)))
        .map(|(m, r)| resolution_row(p.lang, m, r))
        .collect();
    let page = ListPage {
        t: p.t(),
        c: chrome(state, p, Some(v), "/meetings").await,
        meetings: ms.iter().map(|m| meeting_row(p.lang, m)).collect(),
        open,
        can_keep: v.may(CommitteeAction::KeepCompoundMeetings, Subject::Compound),
        kinds: MeetingKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), p.lang.pick(k.zh(), k.en()).to_string()))
            .collect(),
        error,
    };
    respond(render(&page), &page.error)
}

fn respond(body: String, error: &str) -> Answer {
    let mut answer = html(body);
    if !error.is_empty() {
        *answer.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(answer)
}

async fn meeting_view(state: &AppState, p: &Prefs, v: &Viewer, id: &str, saved: bool, error: String) -> Answer {
    let m = state.store.compound_meeting(v.compound(), id).await?;
    let related = crate::kit::views::related(state, p.t(), v.compound(), &format!("meeting:{id}")).await?;
    let page = MeetingPage {
        related,
        t: p.t(),
        c: chrome(state, p, Some(v), &format!("/meetings/{id}")).await,
        m: meeting_row(p.lang, &m),
        agenda: m.agenda.clone(),
        attendees_text: m.attendees.join("\n"),
        minutes: m.minutes.clone(),
        minutes_status: p.lang.pick(m.minutes_status.zh(), m.minutes_status.en()).into(),
        locked: m.minutes_status == MinutesStatus::Locked,
        written: m.minutes_status != MinutesStatus::None,
        corrections: m
            .corrections
            .iter()
            .map(|c| (gongzhi_core::time::datetime(c.at), c.by.clone(), c.body.clone()))
            .collect(),
        resolutions: m.resolutions.iter().map(|r| resolution_row(p.lang, &m, r)).collect(),
        can_keep: v.may(CommitteeAction::KeepCompoundMeetings, Subject::Compound),
        can_correct: v.may(CommitteeAction::CorrectMinutes, Subject::Compound) && m.attendees.contains(&v.account.name),
        my_name: v.account.name.clone(),
        attendees: m.attendees,
        saved,
        error,
    };
    respond(render(&page), &page.error)
}

pub(super) async fn list_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    list_view(&state, &p, &v, String::new()).await
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn meeting_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    meeting_view(&state, &p, &v, &id, q.saved.is_some(), String::new()).await
}

pub(super) async fn schedule_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = ScheduleBody {
        kind: f.one("kind").into(),
        title: f.one("title").into(),
        starts_at: f.one("starts_at").into(),
        ends_at: f.one("ends_at").into(),
        place: f.one("place").into(),
        agenda: f.one("agenda").into(),
    };
    match crate::kit::error::on_the_page(schedule(&state, &v, Some(f.one("csrf")), &b).await)? {
        Ok(m) => Ok(see_other(&format!("/meetings/{}", m.id))),
        Err(x) => list_view(&state, &p, &v, x.say(p.lang)).await,
    }
}

/// Runs a write on the meeting page: back to it saved, or the page again with the refusal.
async fn on_meeting(state: &AppState, p: &Prefs, v: &Viewer, id: &str, r: Result<(), AppError>) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(()) => Ok(see_other(&format!("/meetings/{id}?saved=1"))),
        Err(x) => meeting_view(state, p, v, id, false, x.say(p.lang)).await,
    }
}

pub(super) async fn minutes_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = MinutesBody { attendees: names(f.one("attendees")), minutes: f.one("minutes").into() };
    let r = write(&state, &v, Some(f.one("csrf")), &id, &b).await.map(|_| ());
    on_meeting(&state, &p, &v, &id, r).await
}

pub(super) async fn correction_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r =
        correct(&state, &v, Some(f.one("csrf")), &id, &CorrectionBody { body: f.one("body").into() }).await.map(|_| ());
    on_meeting(&state, &p, &v, &id, r).await
}

pub(super) async fn lock_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = lock(&state, &v, Some(f.one("csrf")), &id).await.map(|_| ());
    on_meeting(&state, &p, &v, &id, r).await
}

fn opt(f: &Fields, k: &str) -> Option<String> {
    Some(f.one(k).to_string()).filter(|s| !s.is_empty())
}

pub(super) async fn resolution_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = ResolutionBody {
        body: f.one("body").into(),
        assignee: f.one("assignee").into(),
        due: f.one("due").into(),
        matter_id: opt(&f, "matter_id"),
        project_id: opt(&f, "project_id"),
    };
    let r = resolve(&state, &v, Some(f.one("csrf")), &id, &b).await.map(|_| ());
    on_meeting(&state, &p, &v, &id, r).await
}

pub(super) async fn update_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = UpdateBody {
        status: f.one("status").into(),
        note: f.one("note").into(),
        matter_id: opt(&f, "matter_id"),
        project_id: opt(&f, "project_id"),
    };
    let meeting = state.store.resolution(v.compound(), &id).await?.meeting_id;
    let r = follow_up(&state, &v, Some(f.one("csrf")), &id, &b).await.map(|_| ());
    on_meeting(&state, &p, &v, &meeting, r).await
}

// ---------------------------------------------------------------------------------------------
// The API.

#[derive(Serialize, ToSchema)]
pub struct UpdateJson {
    /// open, done, dropped.
    status: String,
    note: String,
    by: String,
    on: String,
}

#[derive(Serialize, ToSchema)]
pub struct ResolutionJson {
    id: String,
    meeting_id: String,
    body: String,
    assignee: String,
    due: String,
    /// open, done, dropped.
    status: String,
    /// `{"status": "done"|"due"|"overdue", …}` as for the change of term's steps.
    #[schema(value_type = Object)]
    deadline: serde_json::Value,
    matter_id: Option<String>,
    project_id: Option<String>,
    updates: Vec<UpdateJson>,
}

#[derive(Serialize, ToSchema)]
pub struct CorrectionJson {
    by: String,
    body: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CompoundMeetingJson {
    id: String,
    /// building-leaders, owner-representatives, joint, reception-day, other.
    kind: String,
    title: String,
    /// RFC 3339, UTC.
    starts_at: String,
    ends_at: String,
    place: String,
    agenda: String,
    attendees: Vec<String>,
    minutes: String,
    /// none, draft, corrected, locked.
    minutes_status: String,
    corrections: Vec<CorrectionJson>,
    resolutions: Vec<ResolutionJson>,
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default()
}

fn resolution_json(r: &Resolution) -> ResolutionJson {
    let today = day_of(crate::now_ms());
    ResolutionJson {
        id: r.id.clone(),
        meeting_id: r.meeting_id.clone(),
        body: r.body.clone(),
        assignee: r.assignee.clone(),
        due: r.due.to_string(),
        status: r.status.as_str().into(),
        deadline: serde_json::to_value(resolution_deadline(r.due, r.status, r.closed_on(), today)).unwrap_or_default(),
        matter_id: r.matter_id.clone(),
        project_id: r.project_id.clone(),
        updates: r
            .updates
            .iter()
            .map(|u| UpdateJson {
                status: u.status.as_str().into(),
                note: u.note.clone(),
                by: u.by.clone(),
                on: u.on.to_string(),
            })
            .collect(),
    }
}

fn meeting_json(m: &CompoundMeeting) -> CompoundMeetingJson {
    CompoundMeetingJson {
        id: m.id.clone(),
        kind: m.kind.as_str().into(),
        title: m.title.clone(),
        starts_at: rfc3339(m.starts_at),
        ends_at: rfc3339(m.ends_at),
        place: m.place.clone(),
        agenda: m.agenda.clone(),
        attendees: m.attendees.clone(),
        minutes: m.minutes.clone(),
        minutes_status: m.minutes_status.as_str().into(),
        corrections: m
            .corrections
            .iter()
            .map(|c| CorrectionJson { by: c.by.clone(), body: c.body.clone(), at: rfc3339(c.at) })
            .collect(),
        resolutions: m.resolutions.iter().map(resolution_json).collect(),
    }
}

/// The compound's meetings with their minutes and resolutions (every member of the compound).
#[utoipa::path(get, path = "/api/v1/meetings", tag = "committee",
    responses((status = 200, body = Vec<CompoundMeetingJson>),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_meetings(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<axum::Json<Vec<CompoundMeetingJson>>, AppError> {
    Ok(axum::Json(state.store.compound_meetings(v.compound()).await?.iter().map(meeting_json).collect()))
}

/// Schedule a meeting.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "committee", request_body = ScheduleBody,
    responses((status = 201, body = CompoundMeetingJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_meeting(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<ScheduleBody>,
) -> Answer {
    let m = schedule(&state, &v, csrf(&h), &b).await?;
    Ok((StatusCode::CREATED, axum::Json(meeting_json(&m))).into_response())
}

/// One meeting.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "committee", params(("id" = String, Path)),
    responses((status = 200, body = CompoundMeetingJson),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn get_meeting(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<axum::Json<CompoundMeetingJson>, AppError> {
    Ok(axum::Json(meeting_json(&state.store.compound_meeting(v.compound(), &id).await?)))
}

/// Record the attendance and the minutes' draft (refused once final).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/minutes", tag = "committee", params(("id" = String, Path)), request_body = MinutesBody,
    responses((status = 200, body = CompoundMeetingJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_minutes(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<MinutesBody>,
) -> Result<axum::Json<CompoundMeetingJson>, AppError> {
    Ok(axum::Json(meeting_json(&write(&state, &v, csrf(&h), &id, &b).await?)))
}

/// Correct the draft minutes, as an attendee (the account's name must be on the attendance list).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/corrections", tag = "committee", params(("id" = String, Path)), request_body = CorrectionBody,
    responses((status = 200, body = CompoundMeetingJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_correction(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<CorrectionBody>,
) -> Result<axum::Json<CompoundMeetingJson>, AppError> {
    Ok(axum::Json(meeting_json(&correct(&state, &v, csrf(&h), &id, &b).await?)))
}

/// Make the minutes final.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/lock", tag = "committee", params(("id" = String, Path)),
    responses((status = 200, body = CompoundMeetingJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_lock(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
) -> Result<axum::Json<CompoundMeetingJson>, AppError> {
    Ok(axum::Json(meeting_json(&lock(&state, &v, csrf(&h), &id).await?)))
}

/// Record a resolution of the meeting: what, who, by when, and what it led to.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/resolutions", tag = "committee", params(("id" = String, Path)), request_body = ResolutionBody,
    responses((status = 201, body = ResolutionJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_resolution(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<ResolutionBody>,
) -> Answer {
    let r = resolve(&state, &v, csrf(&h), &id, &b).await?;
    Ok((StatusCode::CREATED, axum::Json(resolution_json(&r))).into_response())
}

/// Follow a resolution up: its status, a note, and what it led to.
#[utoipa::path(post, path = "/api/v1/resolutions/{id}/updates", tag = "committee", params(("id" = String, Path)), request_body = UpdateBody,
    responses((status = 200, body = ResolutionJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_update(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Path(id): Path<String>,
    Json(b): Json<UpdateBody>,
) -> Result<axum::Json<ResolutionJson>, AppError> {
    Ok(axum::Json(resolution_json(&follow_up(&state, &v, csrf(&h), &id, &b).await?)))
}

/// The person's meetings for their calendar feed: those their roles are expected at, from 90 days
/// ago on.
pub(crate) async fn calendar_events(
    state: &AppState,
    compound: &str,
    compound_name: &str,
    roles: &[gongzhi_core::accounts::Role],
) -> Result<Vec<gongzhi_core::kit::ical::Event>, AppError> {
    use gongzhi_core::kit::ical::{Event, When};
    let since = crate::now_ms() - 90 * 86_400_000;
    Ok(state
        .store
        .compound_meetings(compound)
        .await?
        .into_iter()
        .filter(|m| m.ends_at >= since && m.kind.expects(roles))
        .map(|m| Event {
            uid: format!("meeting-{}@gongzhi", m.id),
            when: When::Span { start: m.starts_at, end: m.ends_at },
            summary: format!("{}：{}", m.kind.zh(), m.title),
            description: if m.agenda.is_empty() {
                compound_name.to_string()
            } else {
                format!("{compound_name}。议程：{}", m.agenda)
            },
            location: Some(if m.place.is_empty() { compound_name.to_string() } else { m.place.clone() }),
            url: Some(state.public_url(&format!("/meetings/{}", m.id))),
        })
        .collect())
}
