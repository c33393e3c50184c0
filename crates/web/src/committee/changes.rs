//! Changes during the term on the web: members leaving (alternates take their seats in order,
//! and what follows is said: a by-election or an early change of term), a new holder for an
//! office whose holder left, and the change-of-term group's members with every composition rule
//! it does not meet. The director and the residents' committee record them.

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::error::Problem;
use crate::kit::forms::{Fields, Json, csrf};
use crate::kit::{Answer, AppError, Prefs, see_other};
use axum::extract::State;
use axum::http::HeaderMap;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::committee::policy::CommitteeAction;
use gongzhi_core::committee::term::{GroupMember, Office, check_group};
use gongzhi_core::committee::vacancies::Action;
use gongzhi_core::kit::KitRefusal;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_store::committee::departures::parse_side;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

crate::kit::i18n::messages! {
    departures => "离任委员", "Members who left";
    record_departure => "记录委员离任", "Record a member leaving";
    departure_hint => "候补委员按顺序递补；递补后仍有空缺时：在任委员过半的补选，不足半数的提前换届。", "Alternates take the seats in order; seats still vacant then mean a by-election while more than half remain, an early change of term when fewer do.";
    left_on => "离任日期", "Left on";
    left_reason => "原因", "Reason";
    who_left => "离任的委员", "Who left";
    next_none => "席位齐全。", "Every seat is held.";
    next_by_election => "需要补选委员，空缺席位：", "A by-election is due; vacant seats:";
    next_early => "在任委员不足，须提前换届。", "Too few members remain: an early change of term is due.";
    set_office => "选任职务", "Fill an office";
    office_field => "职务", "Office";
    group_title => "换届改选小组", "The change-of-term group";
    group_hint => "每行一人：姓名, 身份（owner-representative 业主代表 / subdistrict-office 街道办事处 / residents-committee 居委会）, 组长写 leader。小组人数为单数，业主代表不少于半数，组长由街道办事处人员担任。",
        "One per line: name, side (owner-representative / subdistrict-office / residents-committee), and leader for the leader. The group has an odd size, owner representatives at least half, and its leader from the sub-district office.";
    group_ok => "小组组成符合规定。", "The group meets the rules.";
}

fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

/// The next step after departures, in words.
pub fn next_step(t: &crate::kit::i18n::Tr, a: Action) -> String {
    match a {
        Action::None => t.next_none().into(),
        Action::ByElection { seats } => format!("{} {seats}", t.next_by_election()),
        Action::EarlyChangeOfTerm => t.next_early().into(),
    }
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct DepartureBody {
    names: Vec<String>,
    /// YYYY-MM-DD, not in the future.
    on: String,
    #[serde(default)]
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReplacementJson {
    alternate: String,
    replaces: String,
}

#[derive(Serialize, ToSchema)]
pub struct AfterJson {
    replacements: Vec<ReplacementJson>,
    vacant: u32,
    /// director, vice-director: whose holder left.
    offices_vacant: Vec<String>,
    /// `{"action": "none"}`, `{"action": "by-election", "seats"}` or `{"action": "early-change-of-term"}`.
    #[schema(value_type = Object)]
    next: serde_json::Value,
}

pub async fn depart(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    b: &DepartureBody,
) -> Result<AfterJson, AppError> {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, csrf)?;
    let today = day_of(crate::now_ms());
    let on = parse_day(b.on.trim())
        .filter(|d| *d <= today)
        .ok_or_else(|| bad(format!("on: {:?} is not a date on or before {today}", b.on)))?;
    if b.names.is_empty() {
        return Err(bad("names: name who left".into()));
    }
    let a = state.store.record_departures(v.compound(), &b.names, on, &b.reason, v.actor()).await?;
    Ok(AfterJson {
        replacements: a
            .replacements
            .iter()
            .map(|r| ReplacementJson { alternate: r.alternate.clone(), replaces: r.replaces.clone() })
            .collect(),
        vacant: a.vacant,
        offices_vacant: a.offices_vacant.iter().map(|o| office_key(*o).into()).collect(),
        next: serde_json::to_value(a.action).unwrap_or_default(),
    })
}

fn office_key(o: Office) -> &'static str {
    match o {
        Office::Director => "director",
        Office::ViceDirector => "vice-director",
        Office::Member => "member",
    }
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct OfficeBody {
    name: String,
    /// director, vice-director or member.
    office: String,
}

pub async fn office(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &OfficeBody) -> Result<(), AppError> {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, csrf)?;
    let o = [Office::Director, Office::ViceDirector, Office::Member]
        .into_iter()
        .find(|o| office_key(*o) == b.office.trim())
        .ok_or_else(|| bad(format!("office: {:?} is not director, vice-director or member", b.office)))?;
    Ok(state.store.set_office(v.compound(), b.name.trim(), o, v.actor()).await?)
}

#[derive(Clone, Debug, Deserialize, Serialize, ToSchema)]
pub struct GroupMemberJson {
    name: String,
    /// owner-representative, subdistrict-office or residents-committee.
    side: String,
    #[serde(default)]
    leader: bool,
}

#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct GroupBody {
    members: Vec<GroupMemberJson>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupJson {
    members: Vec<GroupMemberJson>,
    /// Each composition rule not met: `{code, zh, en, values}`.
    #[schema(value_type = Vec<Object>)]
    findings: Vec<serde_json::Value>,
}

pub fn group_json(g: &[GroupMember]) -> GroupJson {
    GroupJson {
        members: g
            .iter()
            .map(|m| GroupMemberJson {
                name: m.name.clone(),
                side: gongzhi_store::committee::departures::side_key(m.side).into(),
                leader: m.leader,
            })
            .collect(),
        findings: if g.is_empty() {
            vec![]
        } else {
            check_group(g).iter().filter_map(|f| serde_json::to_value(f).ok()).collect()
        },
    }
}

pub async fn group(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &GroupBody) -> Result<GroupJson, AppError> {
    v.acting(CommitteeAction::RecordChangeOfTerm, Subject::Compound, csrf)?;
    let mut g = Vec::new();
    for (i, m) in b.members.iter().enumerate() {
        let side = parse_side(&m.side).ok_or_else(|| {
            bad(format!(
                "members[{i}].side: {:?} is not owner-representative, subdistrict-office or residents-committee",
                m.side
            ))
        })?;
        g.push(GroupMember { name: m.name.trim().into(), side, leader: m.leader });
    }
    state.store.set_change_group(v.compound(), &g, v.actor()).await?;
    Ok(group_json(&state.store.change_group(v.compound()).await?))
}

/// The group form's lines: `name, side[, leader]`.
fn group_lines(text: &str) -> Result<GroupBody, AppError> {
    let mut members = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.split([',', '，']).map(str::trim).collect();
        match parts.as_slice() {
            [name, side] => {
                members.push(GroupMemberJson { name: name.to_string(), side: side.to_string(), leader: false })
            }
            [name, side, "leader"] | [name, side, "组长"] => {
                members.push(GroupMemberJson { name: name.to_string(), side: side.to_string(), leader: true })
            }
            _ => return Err(bad(format!("group line {}: {line:?} is not name, side[, leader]", i + 1))),
        }
    }
    Ok(GroupBody { members })
}

/// Answers a page form: back to the committee page, or the page with the refusal.
async fn back(state: &AppState, p: &Prefs, v: &Viewer, r: Result<(), AppError>, anchor: &str) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(()) => Ok(see_other(&format!("/committee?saved=1#{anchor}"))),
        Err(x) => super::refused_page(state, p, v, &x).await,
    }
}

pub(super) async fn departure_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = DepartureBody { names: f.all("name").to_vec(), on: f.one("on").into(), reason: f.one("reason").into() };
    let r = depart(&state, &v, Some(f.one("csrf")), &b).await.map(|_| ());
    back(&state, &p, &v, r, "departures").await
}

pub(super) async fn office_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = OfficeBody { name: f.one("name").into(), office: f.one("office").into() };
    let r = office(&state, &v, Some(f.one("csrf")), &b).await;
    back(&state, &p, &v, r, "members").await
}

pub(super) async fn group_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let r = match group_lines(f.get("members").unwrap_or("")) {
        Ok(b) => group(&state, &v, Some(f.one("csrf")), &b).await.map(|_| ()),
        Err(e) => Err(e),
    };
    back(&state, &p, &v, r, "group").await
}

/// Record members leaving; alternates take their seats in order.
#[utoipa::path(post, path = "/api/v1/committee/departures", tag = "committee", request_body = DepartureBody,
    responses((status = 200, body = AfterJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_departures(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<DepartureBody>,
) -> Result<axum::Json<AfterJson>, AppError> {
    Ok(axum::Json(depart(&state, &v, csrf(&h), &b).await?))
}

/// Give a member an office (the earlier holder becomes a member).
#[utoipa::path(post, path = "/api/v1/committee/offices", tag = "committee", request_body = OfficeBody,
    responses((status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn post_office(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<OfficeBody>,
) -> Result<axum::http::StatusCode, AppError> {
    office(&state, &v, csrf(&h), &b).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Set the change-of-term group's members; the answer names every rule it does not meet.
#[utoipa::path(put, path = "/api/v1/committee/group", tag = "committee", request_body = GroupBody,
    responses((status = 200, body = GroupJson),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub(super) async fn put_group(
    State(state): State<AppState>,
    v: Viewer,
    h: HeaderMap,
    Json(b): Json<GroupBody>,
) -> Result<axum::Json<GroupJson>, AppError> {
    Ok(axum::Json(group(&state, &v, csrf(&h), &b).await?))
}
