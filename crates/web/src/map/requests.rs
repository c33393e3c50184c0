//! Residents' requests on the web: submit one on a phone (with a photo), follow it, and — for
//! the body it is routed to — accept, answer, group, put on a meeting's agenda, tie to the vote
//! or project that answers it and close it with what was done. A request taken up in the open
//! (on an agenda, a vote, a project) reads, without its text, photo or submitter, to everyone in
//! the compound: "12 households: the bin room is too far — closed: the shortcut is built".

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::error::{on_the_page, status_of};
use crate::kit::forms::{Fields, Path, read_multipart};
use crate::kit::i18n::Tr;
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::funds::{Account, Link};
use gongzhi_core::kit::Money;
use gongzhi_core::map::requests::{Category, ResponseTimes, Status, nearness, response_times, subject};
use gongzhi_core::map::{MapAction, MapRefusal as R};
use gongzhi_store::map::requests::{NewRequest, RequestEvent, RequestLinks, RequestRecord};

crate::kit::i18n::messages! {
    q_hint => "反映小区里的问题：选类别、写清楚、可以拍张照片。诉求会按类别交给业委会、物业或居委会办理，办理进展会通知您。", "Raise a problem in the compound: pick a category, say what it is, add a photo if you like. It goes to the owners' committee, the property company or the residents' committee by its category, and you are told how it goes.";
    q_new => "提交诉求", "Submit a request";
    q_category => "类别", "Category";
    q_title => "标题", "Title";
    q_text => "具体情况", "Details";
    q_place => "所在楼栋", "Building";
    q_node => "地图上的位置（可不填）", "Place on the map (optional)";
    q_tap_map => "在地图上点一下位置，即选中最近的地点", "Tap the map to choose the nearest place";
    q_no_place => "不指定", "not given";
    q_photo => "照片（可不传）", "Photo (optional)";
    q_submit => "提交", "Submit";
    q_mine => "我的诉求", "My requests";
    q_none => "还没有诉求。", "No requests yet.";
    q_no => "编号", "No.";
    q_status => "状态", "Status";
    q_handler => "办理方", "Handled by";
    q_submitted => "提交时间", "Submitted";
    q_groups => "待办与已办（同类诉求合并）", "Requests, alike ones grouped";
    q_households => "户", "households";
    q_taken_up => "已列入议程或表决的诉求", "Requests taken up in the open";
    q_history => "办理经过", "How it went";
    q_links => "跟进", "Followed up";
    q_meeting => "会议", "Meeting";
    q_matter => "表决事项", "Vote";
    q_project => "项目", "Project";
    q_outcome => "办理结果", "Outcome";
    q_spent => "公共收益支出", "Paid from income from common property";
    q_scenario => "地图测算", "Map what-if";
    q_move => "办理", "Move on";
    q_move_to => "改为", "To";
    q_reply => "答复（提交人可见；不予受理须写明理由）", "Reply (the submitter sees it; declining needs a reason)";
    q_keep => "仅答复，状态不变", "reply only, status as it is";
    q_link => "列入议程或关联", "Put on an agenda or tie to";
    q_group => "合并到", "Group under";
    q_ungroup => "移出分组", "Take out of its group";
    q_near_both => "同类·同一地点", "alike, same place";
    q_near_category => "同类", "alike";
    q_near_place => "同一地点", "same place";
    q_members => "同组诉求", "Grouped with it";
    q_stats => "办理时效", "Response times";
    q_stats_hint => "从提交到办理方第一次回应（受理、答复、列入议程等）的时间，以及到办结（关闭或不予受理）的时间，按办理方和类别统计（中位数，小时）。", "From submission to the handler's first response (accepting, answering, putting on an agenda…) and to its closing (closed or declined), per handler and category (median, hours).";
    q_closed_count => "已办结", "Closed";
    q_median_close => "办结用时中位数（小时）", "Median to close (hours)";
    q_requests => "诉求数", "Requests";
    q_waiting => "未回应", "Waiting";
    q_median => "中位数（小时）", "Median (hours)";
    q_slowest => "最长（小时）", "Slowest (hours)";
    q_all => "全部类别", "all categories";
    q_routing => "诉求分派", "Routing";
    q_routing_hint => "每行一个类别：类别 = 办理方（owners-committee 业委会、property-company 物业公司、residents-committee 居委会）。已提交的诉求不受影响。", "One category a line: category = handler (owners-committee, property-company, residents-committee). Requests already submitted keep theirs.";
    q_save => "保存", "Save";
    q_saved => "已保存。", "Saved.";
    q_public_note => "此诉求已公开办理；提交人的姓名、门牌和具体内容只有提交人和办理方可见。", "This request is followed in the open; who raised it and what they wrote is seen only by them and its handler.";
}

/// A request as this viewer may read it: all of it, or (taken up in the open) its public face.
pub struct Seen {
    pub r: RequestRecord,
    pub full: bool,
    pub may_handle: bool,
}

fn opened(r: &RequestRecord) -> bool {
    r.meeting.is_some() || r.matter.is_some() || r.project.is_some()
}

/// Reads a request: its submitter, those who read its building's requests and its handlers see
/// all of it; everyone else in the compound its public face once it is taken up in the open.
pub async fn seen(state: &AppState, v: &Viewer, id: &str) -> Result<Seen, AppError> {
    let r = state.store.request(v.compound(), id).await?;
    let s = subject(r.building.as_deref());
    let may_handle = v.may(r.handler.action(), s);
    let full = r.submitted_by == v.account.id || may_handle || v.may(MapAction::ReadRequests, s);
    if !full {
        if !opened(&r) {
            // not taken up in the open: as if it were not there, to anyone but its readers
            return Err(gongzhi_core::kit::KitRefusal::NotFound.refused().into());
        }
        v.require(MapAction::ReadMap, Subject::Compound)?;
    }
    Ok(Seen { r, full, may_handle })
}

/// A request as a form or the API sends it.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SubmitBody {
    /// bin-room, paths, repairs, greening, parking, safety, lift, neighbours or other
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// The building it is about, e.g. "13".
    #[serde(default)]
    pub building: Option<String>,
    /// A node of the walking map it is about, e.g. "bin-south".
    #[serde(default)]
    pub node: Option<String>,
}

fn some(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

pub async fn submit(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &SubmitBody,
    photo: Option<(String, Vec<u8>)>,
) -> Result<RequestRecord, AppError> {
    v.acting(MapAction::SubmitRequests, Subject::Compound, csrf)?;
    let category = Category::parse(&b.category)
        .ok_or_else(|| R::RequestBadChoice { field: "category".into(), value: b.category.clone() }.refused())?;
    let n = NewRequest {
        category: Some(category),
        title: b.title.clone(),
        text: b.text.clone(),
        building: some(&b.building),
        node: some(&b.node),
        unit: v.member().units.first().map(|u| u.unit.to_string()),
        photo,
    };
    Ok(state.store.submit_request(v.compound(), &n, v.actor(), &v.account.name).await?)
}

pub async fn move_on(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    to: &str,
    note: &str,
) -> Result<RequestRecord, AppError> {
    let s = seen(state, v, id).await?;
    v.acting(s.r.handler.action(), subject(s.r.building.as_deref()), csrf)?;
    let to = match to.trim() {
        "" => s.r.status,
        x => {
            Status::parse(x).ok_or_else(|| R::RequestBadChoice { field: "status".into(), value: x.into() }.refused())?
        }
    };
    Ok(state.store.move_request(v.compound(), id, to, note, v.actor(), &v.account.name).await?)
}

pub async fn link(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    l: &LinkBody,
) -> Result<RequestRecord, AppError> {
    let s = seen(state, v, id).await?;
    v.acting(s.r.handler.action(), subject(s.r.building.as_deref()), csrf)?;
    let links = RequestLinks { meeting: some(&l.meeting), matter: some(&l.matter), project: some(&l.project) };
    Ok(state.store.link_request(v.compound(), id, &links, v.actor(), &v.account.name).await?)
}

pub async fn regroup(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    into: Option<&str>,
) -> Result<RequestRecord, AppError> {
    let s = seen(state, v, id).await?;
    v.acting(s.r.handler.action(), subject(s.r.building.as_deref()), csrf)?;
    Ok(state.store.group_request(v.compound(), id, into.map(str::trim).filter(|x| !x.is_empty()), v.actor()).await?)
}

/// What to tie a request to; each left out stays as it is.
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct LinkBody {
    /// A meeting's id: the request goes on its agenda.
    #[serde(default)]
    pub meeting: Option<String>,
    /// The matter put to the owners that answers it.
    #[serde(default)]
    pub matter: Option<String>,
    /// The project that answers it.
    #[serde(default)]
    pub project: Option<String>,
}

pub async fn set_routing(state: &AppState, v: &Viewer, csrf: Option<&str>, text: &str) -> Result<String, AppError> {
    v.acting(MapAction::RouteRequests, Subject::Compound, csrf)?;
    Ok(state.store.set_request_routing(v.compound(), text, v.actor()).await?.to_text())
}

/// The requests this viewer sees in full: their own and those they read or handle.
pub async fn visible(state: &AppState, v: &Viewer) -> Result<Vec<RequestRecord>, AppError> {
    Ok(state
        .store
        .requests(v.compound())
        .await?
        .into_iter()
        .filter(|r| {
            let s = subject(r.building.as_deref());
            r.submitted_by == v.account.id || v.may(r.handler.action(), s) || v.may(MapAction::ReadRequests, s)
        })
        .collect())
}

/// Spending from public revenue booked against a matter.
pub async fn spent_on(state: &AppState, compound: &str, matter: &str) -> Result<Money, AppError> {
    let ledger = state.store.funds_ledger(compound).await?;
    let link = Link::Matter { matter: matter.into() };
    let fen = ledger
        .transactions()
        .iter()
        .filter(|t| t.link.as_ref() == Some(&link))
        .flat_map(|t| t.postings.iter().filter(|p| p.account == Account::Spending))
        .map(|p| p.amount.fen())
        .sum();
    Ok(Money::from_fen(fen))
}

/// Households behind a group: distinct units (or submitters without one).
pub fn households(group: &[RequestRecord]) -> usize {
    let mut u: Vec<String> = group.iter().map(|m| m.unit.clone().unwrap_or_else(|| m.submitted_by.clone())).collect();
    u.sort();
    u.dedup();
    u.len()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/requests", get(list_page).post(submit_save))
        .route("/requests/stats", get(stats_page))
        .route("/requests/routing", post(routing_save))
        .route("/requests/{id}", get(request_page))
        .route("/requests/{id}/photo", get(photo))
        .route("/requests/{id}/moves", post(move_save))
        .route("/requests/{id}/links", post(link_save))
        .route("/requests/{id}/group", post(group_save))
}

fn day(ms: i64) -> String {
    gongzhi_core::time::datetime(ms)
}

fn lang_of(t: Tr, zh: &'static str, en: &'static str) -> &'static str {
    match t.0 {
        crate::kit::i18n::Lang::Zh => zh,
        crate::kit::i18n::Lang::En => en,
    }
}

fn status_label(t: Tr, s: Status) -> &'static str {
    lang_of(t, s.zh(), s.en())
}

#[derive(Template)]
#[template(path = "map/requests.html")]
pub struct ListPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub may_submit: bool,
    /// (value, label)
    pub categories: Vec<(String, String)>,
    pub titles: Vec<String>,
    pub buildings: Vec<String>,
    pub own_building: String,
    pub places: Vec<String>,
    /// The map to tap a place on (empty without a map or a form).
    pub svg: String,
    /// [id, no, title, status key, status label, submitted]
    pub mine: Vec<[String; 6]>,
    /// [lead id, title, category, handler, status key, status label, households, submitted]
    pub groups: Vec<[String; 8]>,
    /// [lead id, title, households, status key, status label, outcome]
    pub public: Vec<[String; 6]>,
    pub may_stats: bool,
    pub error: String,
    pub form: SubmitBody,
}

async fn list_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    form: SubmitBody,
    error: String,
    status: StatusCode,
) -> Answer {
    let t = p.t();
    let may_submit = v.may(MapAction::SubmitRequests, Subject::Compound);
    if !may_submit {
        v.require(MapAction::ReadMap, Subject::Compound)?;
    }
    let c = v.compound();
    let all = state.store.requests(c).await?;
    let mine = all
        .iter()
        .filter(|r| r.submitted_by == v.account.id)
        .map(|r| {
            [
                r.id.clone(),
                r.no.to_string(),
                r.title.clone(),
                r.status.to_string(),
                status_label(t, r.status).into(),
                day(r.submitted_at),
            ]
        })
        .collect();
    let seen_all = visible(state, v).await?;
    let reader = seen_all.iter().any(|r| r.submitted_by != v.account.id);
    let mut groups = Vec::new();
    if reader {
        for lead in seen_all.iter().filter(|r| r.group_of.is_none()) {
            let members: Vec<RequestRecord> = all.iter().filter(|m| m.lead() == lead.id).cloned().collect();
            groups.push([
                lead.id.clone(),
                lead.title.clone(),
                lang_of(t, lead.category.zh(), lead.category.en()).into(),
                lang_of(t, lead.handler.zh(), lead.handler.en()).into(),
                lead.status.to_string(),
                status_label(t, lead.status).into(),
                households(&members).to_string(),
                day(lead.submitted_at),
            ]);
        }
    }
    let public = all
        .iter()
        .filter(|r| r.group_of.is_none() && opened(r))
        .map(|lead| {
            let members: Vec<RequestRecord> = all.iter().filter(|m| m.lead() == lead.id).cloned().collect();
            [
                lead.id.clone(),
                lead.title.clone(),
                households(&members).to_string(),
                lead.status.to_string(),
                status_label(t, lead.status).into(),
                lead.outcome.clone(),
            ]
        })
        .collect();
    let mut buildings: Vec<String> = Vec::new();
    for u in state.store.registry(c).await?.units {
        let b = u.no.building().to_string();
        if !buildings.contains(&b) {
            buildings.push(b);
        }
    }
    let stored = state.store.walk_map(c).await?;
    let places = match &stored {
        Some(m) => m
            .map
            .nodes
            .iter()
            .filter(|n| !matches!(n.place, gongzhi_core::map::Place::Junction) || !n.id.starts_with('j'))
            .map(|n| n.id.clone())
            .collect(),
        None => Vec::new(),
    };
    // a tap on the map picks the nearest place (static/map-pick.js); the selects work without it
    let svg = match &stored {
        Some(m) if may_submit => super::svg::draw(
            &super::svg::Drawing {
                map: &m.map,
                after: None,
                comparison: None,
                plan: m.plan.as_ref(),
                editing: false,
                picking: true,
            },
            t,
            t.q_tap_map(),
        ),
        _ => String::new(),
    };
    let cat = Category::parse(&form.category).unwrap_or(Category::BinRoom);
    let page = ListPage {
        may_submit,
        categories: Category::ALL.iter().map(|c| (c.to_string(), lang_of(t, c.zh(), c.en()).to_string())).collect(),
        titles: Category::ALL.iter().flat_map(|c| c.usual_titles().iter().map(|s| s.to_string())).collect(),
        own_building: v.member().units.first().map(|u| u.unit.building().to_string()).unwrap_or_default(),
        buildings,
        places,
        svg,
        mine,
        groups,
        public,
        may_stats: v.may(MapAction::ReadRequests, Subject::Compound),
        error,
        form: SubmitBody { category: cat.to_string(), ..form },
        c: chrome(state, p, Some(v), "/requests").await,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn list_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    list_view(&state, &p, &v, SubmitBody::default(), String::new(), StatusCode::OK).await
}

async fn submit_save(State(state): State<AppState>, p: Prefs, v: Viewer, mp: Multipart) -> Answer {
    let (fields, files) = read_multipart(mp).await?;
    let f = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let b = SubmitBody {
        category: f("category"),
        title: f("title"),
        text: f("text"),
        building: Some(f("building")),
        node: Some(f("node")),
    };
    let photo = files.into_iter().find(|x| x.0 == "photo").map(|x| (x.1, x.3));
    match on_the_page(submit(&state, &v, fields.get("csrf").map(String::as_str), &b, photo).await)? {
        Ok(r) => Ok(see_other(&format!("/requests/{}", r.id))),
        Err(x) => list_view(&state, &p, &v, b, x.say(p.lang), status_of(x.kind())).await,
    }
}

#[derive(Template)]
#[template(path = "map/request.html")]
pub struct RequestPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub id: String,
    pub no: i64,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub category: String,
    pub handler: String,
    pub submitted: String,
    pub building: String,
    pub node: String,
    pub households: usize,
    pub full: bool,
    pub text: String,
    pub submitter: String,
    pub has_photo: bool,
    /// [when, by, status label, note]
    pub events: Vec<[String; 4]>,
    /// (href, title)
    pub meeting: Option<(String, String)>,
    pub matter: Option<(String, String)>,
    pub project: Option<(String, String)>,
    pub scenarios: Vec<(String, String)>,
    pub spent: String,
    pub outcome: String,
    pub may_handle: bool,
    /// (value, label) of the statuses it may go to.
    pub moves: Vec<(String, String)>,
    pub meetings: Vec<(String, String)>,
    pub matters: Vec<(String, String)>,
    pub projects: Vec<(String, String)>,
    /// (id, "#no title · how alike") of open groups to join, the nearest concerns first.
    pub leads: Vec<(String, String)>,
    pub grouped: bool,
    /// [id, no, unit, submitted] of the others in its group.
    pub members: Vec<[String; 4]>,
    pub error: String,
}

async fn request_view(state: &AppState, p: &Prefs, v: &Viewer, id: &str, error: String, status: StatusCode) -> Answer {
    let t = p.t();
    let c = v.compound();
    let s = seen(state, v, id).await?;
    let r = &s.r;
    let group = state.store.request_group(c, id).await?;
    let events: Vec<RequestEvent> = state.store.request_events(c, id).await?;
    let meeting = match &r.meeting {
        Some(m) => Some((format!("/meetings/{m}"), state.store.compound_meeting(c, m).await?.title)),
        None => None,
    };
    let matter = match &r.matter {
        Some(m) => Some((format!("/matters/{m}"), state.store.matter(c, m).await?.title)),
        None => None,
    };
    let project = match &r.project {
        Some(x) => Some((format!("/projects/{x}"), state.store.project(c, x).await?.title)),
        None => None,
    };
    let scenarios = match &r.matter {
        Some(m) => state
            .store
            .scenarios(c)
            .await?
            .into_iter()
            .filter(|x| x.matter.as_deref() == Some(m.as_str()))
            .map(|x| (format!("/map/scenarios/{}", x.id), x.title))
            .collect(),
        None => Vec::new(),
    };
    let spent = match &r.matter {
        Some(m) => {
            let x = spent_on(state, c, m).await?;
            if x.fen() > 0 { x.readable() } else { String::new() }
        }
        None => String::new(),
    };
    let lead = group.first().cloned().unwrap_or_else(|| r.clone());
    let (mut meetings, mut matters, mut projects, mut leads) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut moves = Vec::new();
    if s.may_handle {
        moves = Status::ALL
            .iter()
            .filter(|x| lead.status.may_become(**x))
            .map(|x| (x.to_string(), status_label(t, *x).to_string()))
            .collect();
        meetings = state.store.compound_meetings(c).await?.into_iter().map(|m| (m.id, m.title)).collect();
        matters = state.store.matters(c).await?.into_iter().map(|m| (m.id, m.title)).collect();
        projects = state.store.projects(c).await?.into_iter().map(|x| (x.id, x.title)).collect();
        // the nearest concerns first: the same category at the same place, then the same category
        let mut open: Vec<(u8, RequestRecord)> = state
            .store
            .requests(c)
            .await?
            .into_iter()
            .filter(|x| x.group_of.is_none() && x.id != lead.id && !x.status.is_final() && x.handler == r.handler)
            .map(|x| (nearness(r.concern(), x.concern()), x))
            .collect();
        open.sort_by_key(|(n, x)| (*n, x.no));
        leads = open
            .into_iter()
            .map(|(n, x)| {
                let near = [t.q_near_both(), t.q_near_category(), t.q_near_place(), ""][usize::from(n.min(3))];
                let near = if near.is_empty() { String::new() } else { format!(" · {near}") };
                (x.id, format!("#{} {}{near}", x.no, x.title))
            })
            .collect();
    }
    let page = RequestPage {
        id: r.id.clone(),
        no: r.no,
        title: r.title.clone(),
        status: r.status.to_string(),
        status_label: status_label(t, r.status).into(),
        category: lang_of(t, r.category.zh(), r.category.en()).into(),
        handler: lang_of(t, r.handler.zh(), r.handler.en()).into(),
        submitted: day(r.submitted_at),
        building: if s.full { r.building.clone().unwrap_or_default() } else { String::new() },
        node: if s.full { r.node.clone().unwrap_or_default() } else { String::new() },
        households: households(&group),
        full: s.full,
        text: if s.full { r.text.clone() } else { String::new() },
        submitter: if s.full {
            format!("{}{}", r.submitter_name, r.unit.as_deref().map(|u| format!(" · {u}")).unwrap_or_default())
        } else {
            String::new()
        },
        has_photo: s.full && r.has_photo,
        events: events
            .iter()
            .filter(|e| s.full || e.seq > 1)
            .map(|e| {
                [
                    day(e.at),
                    if s.full || e.seq > 1 { e.by.clone() } else { String::new() },
                    status_label(t, e.status).into(),
                    e.note.clone(),
                ]
            })
            .collect(),
        meeting,
        matter,
        project,
        scenarios,
        spent,
        outcome: r.outcome.clone(),
        may_handle: s.may_handle && !lead.status.is_final(),
        moves,
        meetings,
        matters,
        projects,
        leads,
        grouped: r.group_of.is_some(),
        members: if s.full && s.may_handle {
            group
                .iter()
                .filter(|m| m.id != r.id)
                .map(|m| [m.id.clone(), m.no.to_string(), m.unit.clone().unwrap_or_default(), day(m.submitted_at)])
                .collect()
        } else {
            Vec::new()
        },
        error,
        c: chrome(state, p, Some(v), &format!("/requests/{id}")).await,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn request_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    request_view(&state, &p, &v, &id, String::new(), StatusCode::OK).await
}

async fn photo(State(state): State<AppState>, v: Viewer, Path(id): Path<String>) -> Answer {
    let s = seen(&state, &v, &id).await?;
    if !s.full {
        return Err(gongzhi_core::kit::KitRefusal::NotFound.refused().into());
    }
    let (ct, bytes) = state
        .store
        .request_photo(v.compound(), &id)
        .await?
        .ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
    Ok(super::pages::image(&ct, bytes))
}

async fn move_save(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let f = Fields::parse(&body);
    match on_the_page(move_on(&state, &v, Some(f.one("csrf")), &id, f.one("status"), f.one("note")).await)? {
        Ok(_) => Ok(see_other(&format!("/requests/{id}"))),
        Err(x) => request_view(&state, &p, &v, &id, x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn link_save(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = LinkBody {
        meeting: f.get("meeting").map(String::from),
        matter: f.get("matter").map(String::from),
        project: f.get("project").map(String::from),
    };
    match on_the_page(link(&state, &v, Some(f.one("csrf")), &id, &b).await)? {
        Ok(_) => Ok(see_other(&format!("/requests/{id}"))),
        Err(x) => request_view(&state, &p, &v, &id, x.say(p.lang), status_of(x.kind())).await,
    }
}

async fn group_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let into = if f.get("ungroup").is_some() { None } else { Some(f.one("into")) };
    match on_the_page(regroup(&state, &v, Some(f.one("csrf")), &id, into).await)? {
        Ok(_) => Ok(see_other(&format!("/requests/{id}"))),
        Err(x) => request_view(&state, &p, &v, &id, x.say(p.lang), status_of(x.kind())).await,
    }
}

#[derive(Template)]
#[template(path = "map/stats.html")]
pub struct StatsPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    /// [handler, category, requests, waiting, median, slowest, closed, median to close, is-total]
    pub rows: Vec<[String; 9]>,
    pub chart: String,
    pub routing: String,
    pub may_route: bool,
    pub saved: bool,
    pub error: String,
}

/// A bar chart of the median response per handler and category, in hours.
fn chart(t: Tr, times: &[ResponseTimes]) -> String {
    use std::fmt::Write;
    let rows: Vec<&ResponseTimes> = times.iter().filter(|x| x.category.is_some()).collect();
    let max = rows.iter().filter_map(|x| x.median_hours).max().unwrap_or(1).max(1);
    let (bar_h, label_w, width) = (22.0, 300.0, 720.0);
    let height = rows.len() as f64 * bar_h + 30.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" aria-labelledby="rt-title"><title id="rt-title">{}</title>"#,
        t.q_stats()
    );
    for (i, x) in rows.iter().enumerate() {
        let y = 10.0 + i as f64 * bar_h;
        let label = format!(
            "{} · {}",
            lang_of(t, x.handler.zh(), x.handler.en()),
            x.category.map(|c| lang_of(t, c.zh(), c.en())).unwrap_or_default()
        );
        let w = x.median_hours.map_or(0.0, |h| (width - label_w - 60.0) * h as f64 / max as f64);
        let v = x.median_hours.map_or("—".to_string(), |h| format!("{h} h"));
        let _ = write!(
            s,
            r##"<text x="{:.0}" y="{:.0}" font-size="12" text-anchor="end" fill="#24292f">{}</text><rect x="{label_w}" y="{:.0}" width="{w:.1}" height="{:.0}" fill="#0969da"/><text x="{:.1}" y="{:.0}" font-size="12" fill="#24292f">{v}</text>"##,
            label_w - 6.0,
            y + 15.0,
            label.replace('&', "&amp;").replace('<', "&lt;"),
            y + 3.0,
            bar_h - 6.0,
            label_w + w + 4.0,
            y + 15.0,
        );
    }
    s.push_str("</svg>");
    s
}

async fn stats_view(state: &AppState, p: &Prefs, v: &Viewer, saved: bool, error: String, status: StatusCode) -> Answer {
    v.require(MapAction::ReadRequests, Subject::Compound)?;
    let t = p.t();
    let times = response_times(&state.store.request_timings(v.compound()).await?);
    let opt = |h: Option<i64>| h.map(|h| h.to_string()).unwrap_or_else(|| "—".into());
    let page = StatsPage {
        rows: times
            .iter()
            .map(|x| {
                [
                    lang_of(t, x.handler.zh(), x.handler.en()).into(),
                    x.category.map(|c| lang_of(t, c.zh(), c.en())).unwrap_or(t.q_all()).into(),
                    x.requests.to_string(),
                    x.waiting.to_string(),
                    opt(x.median_hours),
                    opt(x.slowest_hours),
                    x.closed.to_string(),
                    opt(x.median_close_hours),
                    if x.category.is_none() { "1".into() } else { String::new() },
                ]
            })
            .collect(),
        chart: chart(t, &times),
        routing: state.store.request_routing(v.compound()).await?.to_text(),
        may_route: v.may(MapAction::RouteRequests, Subject::Compound),
        saved,
        error,
        c: chrome(state, p, Some(v), "/requests/stats").await,
        t,
    };
    let mut a = html(render(&page));
    *a.status_mut() = status;
    Ok(a)
}

async fn stats_page(State(state): State<AppState>, p: Prefs, v: Viewer, RawQuery(q): RawQuery) -> Answer {
    stats_view(&state, &p, &v, q.is_some_and(|q| q.contains("saved")), String::new(), StatusCode::OK).await
}

async fn routing_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    match on_the_page(set_routing(&state, &v, Some(f.one("csrf")), f.one("routing")).await)? {
        Ok(_) => Ok(see_other("/requests/stats?saved=1")),
        Err(x) => stats_view(&state, &p, &v, false, x.say(p.lang), status_of(x.kind())).await,
    }
}
