//! The voting pages: a matter with its notice, ballot form, turnout and result; drafting and
//! moving a matter through notice, voting and closing; the follow-up list, the roll, receipts,
//! ballots and the Excel export.

use super::actions;
use super::views::*;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Path;
use crate::kit::forms::{Fields, Form, read_multipart};
use crate::kit::i18n::{Lang, Tr};
use crate::kit::{Answer, AppError, Prefs, html, render, see_other};
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::voting::turnout::{Turnout, turnout};
use gongzhi_core::voting::{Marks, VotingAction, VotingRefusal};
use gongzhi_core::{Channel, Choice, MatterKind, MatterStatus, Scope, Threshold, UnitNo, time};
use gongzhi_store::{Matter, NewMatter};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

pub fn status_label(t: Tr, s: MatterStatus) -> &'static str {
    match s {
        MatterStatus::Draft => t.status_draft(),
        MatterStatus::Notice => t.status_notice(),
        MatterStatus::Open => t.status_open(),
        MatterStatus::Closed => t.status_closed(),
    }
}

pub(crate) fn kind_label(t: Tr, k: MatterKind) -> &'static str {
    if t.0 == Lang::Zh { k.name_zh() } else { k.name_en() }
}

pub(crate) fn scope_label(t: Tr, s: &Scope) -> String {
    if t.0 == Lang::Zh { s.name_zh() } else { s.name_en() }
}

pub(crate) fn threshold_label(t: Tr, th: Threshold) -> &'static str {
    match (t.0, th) {
        (Lang::Zh, Threshold::ThreeQuarters) => {
            "参与表决的面积和人数均达三分之二以上；同意的面积和人数均达参与部分的四分之三以上"
        }
        (Lang::Zh, Threshold::MoreThanHalf) => {
            "参与表决的面积和人数均达三分之二以上；同意的面积和人数均超过参与部分的一半"
        }
        (Lang::En, Threshold::ThreeQuarters) => {
            "two thirds of the area and owners take part; three quarters of the participating area and owners approve"
        }
        (Lang::En, Threshold::MoreThanHalf) => {
            "two thirds of the area and owners take part; more than half of the participating area and owners approve"
        }
    }
}

pub(crate) fn matter_row(t: Tr, m: &Matter) -> MatterRow {
    MatterRow {
        id: m.id.clone(),
        title: m.title.clone(),
        status: m.status.as_str().into(),
        status_label: status_label(t, m.status),
        kind_label: kind_label(t, m.kind),
        scope_label: scope_label(t, &m.scope),
        ballots_cast: m.ballots_cast,
    }
}

/// The voting window as the notice states it, with any extension said in full.
pub(crate) fn window(t: Tr, m: &Matter) -> String {
    let w = match (m.window_start, m.window_end) {
        (Some(a), Some(b)) => format!("{} – {}", time::date(a), time::date(b)),
        (Some(a), None) => format!("{} –", time::date(a)),
        (None, Some(b)) => format!("– {}", time::date(b)),
        (None, None) => String::new(),
    };
    match (m.first_window_end, m.window_extended_at) {
        (Some(first), Some(at)) => {
            format!("{w}（{} {}，{} {}）", t.first_announced_end(), time::date(first), t.extended_on(), time::date(at))
        }
        _ => w,
    }
}

fn pct(part: i64, whole: i64) -> (String, u32) {
    if whole <= 0 {
        return ("0.00".into(), 0);
    }
    let v = (part as i128 * 10_000 + whole as i128 / 2) / whole as i128;
    (format!("{}.{:02}", v / 100, v % 100), (v / 100).clamp(0, 100) as u32)
}

pub(crate) fn gauges(t: Tr, tu: &Turnout) -> Vec<Gauge> {
    let (ap, aw) = pct(tu.participating_area.e4(), tu.eligible_area.e4());
    let (hp, hw) = pct(tu.participating_owners as i64, tu.eligible_owners as i64);
    vec![
        Gauge {
            label: t.by_area(),
            reached: format!("{} {}", tu.participating_area.readable(), t.sqm()),
            // what is still needed is rounded up: reaching the figure shown is enough
            needed: format!("{} {}", tu.needed_area.readable_up(), t.sqm()),
            total: format!("{} {}", tu.eligible_area.readable(), t.sqm()),
            missing: if tu.missing_area.e4() == 0 {
                "0".into()
            } else {
                format!("{} {}", tu.missing_area.readable_up(), t.sqm())
            },
            percent: ap,
            width: aw,
        },
        Gauge {
            label: t.by_headcount(),
            reached: format!("{} {}", tu.participating_owners, t.owners_unit()),
            needed: format!("{} {}", tu.needed_owners, t.owners_unit()),
            total: format!("{} {}", tu.eligible_owners, t.owners_unit()),
            missing: if tu.missing_owners == 0 {
                "0".into()
            } else {
                format!("{} {}", tu.missing_owners, t.owners_unit())
            },
            percent: hp,
            width: hw,
        },
    ]
}

/// A matter the viewer may see: drafts only to those who prepare matters.
pub(crate) async fn live_turnout(
    state: &AppState,
    compound: &str,
    m: &Matter,
) -> Result<(std::sync::Arc<Vec<gongzhi_core::Unit>>, Turnout), AppError> {
    let roll = state.store.roll(compound, &m.id).await?;
    let voted = state.store.voted_units(compound, &m.id).await?;
    let voted: Vec<UnitNo> = voted.iter().filter_map(|u| UnitNo::parse(u)).collect();
    let set: HashSet<&UnitNo> = voted.iter().collect();
    let tu = turnout(&roll, &set);
    Ok((roll, tu))
}

fn explanation(t: Tr, e: &gongzhi_core::voting::tally::Explanation) -> String {
    if t.0 == Lang::Zh { e.zh.clone() } else { e.en.clone() }
}

pub(super) async fn matter_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    let path = format!("/matters/{id}");
    let t = p.t();
    let m = actions::visible_matter(&state, &v, &id).await?;
    let compound = v.compound();
    let attachments = state.store.attachments(compound, &id).await?;
    let (mut gauges_v, mut met, mut vote_units) = (vec![], false, vec![]);
    if matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        let (roll, tu) = live_turnout(&state, compound, &m).await?;
        gauges_v = gauges(t, &tu);
        met = tu.met;
        if m.status == MatterStatus::Open {
            let on_roll: HashSet<&UnitNo> = roll.iter().map(|u| &u.no).collect();
            for u in v.account.units().iter().filter(|u| v.account.votes_for(&u.unit) && on_roll.contains(&u.unit)) {
                let receipt = state.store.receipt_for(compound, &id, &u.unit).await?;
                vote_units.push(VoteUnit {
                    unit: u.unit.to_string(),
                    can_vote: receipt.is_none() || m.allow_change,
                    receipt: receipt.unwrap_or_default(),
                });
            }
        }
    }
    let slate = if m.slate_places > 0 { state.store.slate(compound, &id).await? } else { vec![] };
    let (passed, expl) = if m.status == MatterStatus::Closed && slate.is_empty() {
        let tally = state.store.tally(compound, &id).await?;
        (Some(tally.passed), explanation(t, &tally.explanation))
    } else {
        (None, String::new())
    };
    let (project_id, my_shares) = match state.store.project_for_matter(compound, &id).await? {
        Some(pr) => {
            let mine: HashSet<&UnitNo> = v.account.units().iter().map(|u| &u.unit).collect();
            let mine: Vec<&UnitNo> = mine.into_iter().collect();
            let running: std::collections::HashMap<String, String> =
                match state.store.running_shares(compound, &pr).await {
                    Ok(r) => r.into_iter().map(|s| (s.unit.to_string(), s.share.readable())).collect(),
                    Err(_) => Default::default(),
                };
            let shares = match state.store.share_plan(compound, &pr).await {
                Ok(plan) => state
                    .store
                    .shares_in_words(compound, &pr, &plan, &mine)
                    .await?
                    .into_iter()
                    .map(|(u, s, w)| {
                        let r = running.get(u.as_str()).cloned().unwrap_or_default();
                        (u.to_string(), s.readable(), p.lang.pick(&w.zh, &w.en).to_string(), r)
                    })
                    .collect(),
                Err(_) => vec![],
            };
            (pr.id, shares)
        }
        None => (String::new(), vec![]),
    };
    let period = state.store.notice_period(compound, &m).await?;
    let notice_ends = period.as_ref().map(|p| format!("{} 24:00", p.last_day)).unwrap_or_default();
    let notice_run = period.as_ref().is_some_and(|p| p.has_run(crate::now_ms()));
    let related = crate::kit::views::related(&state, t, compound, &format!("matter:{}", m.id)).await?;
    let page = MatterPage {
        related,
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        project_id,
        my_shares,
        m: matter_row(t, &m),
        body: m.body.clone(),
        threshold_label: threshold_label(t, m.kind.threshold()),
        window: window(t, &m),
        window_end_value: m.window_end.map(time::date).unwrap_or_default(),
        window_ended: m.window_end.is_some_and(|e| e < crate::now_ms()),
        notice_at: m.notice_at.map(time::date).unwrap_or_default(),
        notice_ends,
        notice_run,
        opened_at: m.opened_at.map(time::datetime).unwrap_or_default(),
        closed_at: m.closed_at.map(time::datetime).unwrap_or_default(),
        deemed_clause: m.deemed_clause,
        allow_change: m.allow_change,
        attachments,
        vote_units,
        gauges: gauges_v,
        participation_met: met,
        passed,
        explanation: expl,
        deemed_explained: m.deemed_clause,
        can_prepare: v.may(VotingAction::PrepareMatter, Subject::Compound),
        can_close: v.may(VotingAction::CloseVoting, Subject::Compound),
        can_enter: v.may(VotingAction::EnterBallots, Subject::Compound),
        can_follow_up: v.may(VotingAction::FollowUpTurnout, Subject::Compound),
        slate,
        slate_places: m.slate_places,
    };
    Ok(html(render(&page)))
}

pub(crate) fn parse_unit(s: &str) -> Result<UnitNo, AppError> {
    UnitNo::parse(s).ok_or_else(|| VotingRefusal::BadUnit { field: "unit".into(), value: s.into() }.refused().into())
}

pub(crate) fn parse_choice(s: &str) -> Result<Choice, AppError> {
    Choice::parse(s).ok_or_else(|| VotingRefusal::BadChoice { value: s.into() }.refused().into())
}

/// A ballot form's marks: the checked names of a slate (`slate=1`, each `approve` a name), else
/// its `choice`.
pub(crate) fn parse_marks(slate: bool, choice: &str, names: &[String]) -> Result<Marks, AppError> {
    if slate { Ok(Marks::Names(names.to_vec())) } else { Ok(Marks::Choice(parse_choice(choice)?)) }
}

/// A ballot form (a vote, a paper entry, its review): csrf, unit, and the marks.
pub(crate) struct BallotFields {
    pub csrf: String,
    pub unit: UnitNo,
    pub marks: Marks,
}

impl BallotFields {
    pub fn parse(body: &str) -> Result<BallotFields, AppError> {
        let f = Fields::parse(body);
        Ok(BallotFields {
            csrf: f.one("csrf").to_string(),
            unit: parse_unit(f.one("unit"))?,
            marks: parse_marks(f.one("slate") == "1", f.one("choice"), f.all("approve"))?,
        })
    }
}

pub(super) async fn vote(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let BallotFields { csrf, unit, marks } = BallotFields::parse(&body)?;
    let receipt = actions::cast_ballot(&state, &v, Some(&csrf), &id, &unit, marks).await?;
    let m = actions::visible_matter(&state, &v, &id).await?;
    let page = Voted {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &format!("/matters/{id}")).await,
        matter_id: id,
        title: m.title,
        unit: unit.to_string(),
        receipt,
    };
    Ok(html(render(&page)))
}

pub(super) async fn new_matter(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    v.require(VotingAction::PrepareMatter, Subject::Compound)?;
    let form =
        MatterForm { kind: MatterKind::ProcedureRules.as_str().into(), scope: "compound".into(), ..Default::default() };
    matter_form(&state, &p, &v, None, form, None, false).await
}

/// The matter form: new (`id` None) or a draft's, with what was typed and why it was refused.
async fn matter_form(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: Option<&str>,
    form: MatterForm,
    refused: Option<&gongzhi_core::kit::Refused>,
    files_lost: bool,
) -> Answer {
    let t = p.t();
    let reg = state.store.registry(v.compound()).await?;
    let action = id.map_or("/matters".to_string(), |id| format!("/matters/{id}/edit"));
    let page = NewMatterPage {
        t,
        c: chrome(state, p, Some(v), if id.is_some() { &action } else { "/matters/new" }).await,
        kinds: MatterKind::ALL.iter().map(|k| (k.as_str(), kind_label(t, *k))).collect(),
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
        action,
        editing: id.is_some(),
        form,
        error: refused.map(|r| r.say(p.lang)).unwrap_or_default(),
        error_field: refused.map(field_of).unwrap_or_default().to_string(),
        files_lost,
    };
    let status = refused.map_or(axum::http::StatusCode::OK, |r| crate::kit::error::status_of(r.kind()));
    Ok((status, html(render(&page))).into_response())
}

/// The form field a matter's refusal is about, by its code (never by its wording).
fn field_of(r: &gongzhi_core::kit::Refused) -> &'static str {
    match r.code() {
        "voting.title-missing" => "title",
        "voting.bad-kind" => "kind",
        "voting.bad-scope" | "registry.scope-not-in-compound" => "scope",
        "voting.window-order" | "voting.window-not-later" => "window_end",
        "voting.bad-date" if r.values().get("field").and_then(|f| f.as_str()) == Some("window_start") => "window_start",
        "voting.bad-date" => "window_end",
        _ => "",
    }
}

fn typed(f: &HashMap<String, String>) -> MatterForm {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    MatterForm {
        title: get("title"),
        body: get("body"),
        kind: get("kind"),
        scope: get("scope"),
        window_start: get("window_start"),
        window_end: get("window_end"),
        deemed_clause: get("deemed_clause") == "1",
        allow_change: get("allow_change") == "1",
    }
}

/// A draft's form as it stands.
fn draft_form(m: &Matter) -> MatterForm {
    MatterForm {
        title: m.title.clone(),
        body: m.body.clone(),
        kind: m.kind.as_str().into(),
        scope: m.scope.to_string(),
        window_start: m.window_start.map(time::date).unwrap_or_default(),
        window_end: m.window_end.map(time::date).unwrap_or_default(),
        deemed_clause: m.deemed_clause,
        allow_change: m.allow_change,
    }
}

pub(super) async fn edit_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    v.require(VotingAction::PrepareMatter, Subject::Compound)?;
    let m = actions::visible_matter(&state, &v, &id).await?;
    if m.status != MatterStatus::Draft {
        return VotingRefusal::OnlyDraftsChange { matter: m.title, status: m.status }.err();
    }
    matter_form(&state, &p, &v, Some(&id), draft_form(&m), None, false).await
}

pub(super) async fn edit_submit(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    mp: Multipart,
) -> Answer {
    v.require(VotingAction::PrepareMatter, Subject::Compound)?;
    let (fields, files) = read_multipart(mp).await?;
    let had_files = !files.is_empty();
    let done = async {
        let nm = parse_new_matter(&fields)?;
        actions::edit_draft(&state, &v, fields.get("csrf").map(String::as_str), &id, &nm, files).await
    };
    match done.await {
        Ok(m) => Ok(see_other(&format!("/matters/{}", m.id))),
        Err(AppError::Refused(r)) if r.kind() == gongzhi_core::kit::Kind::BadInput => {
            matter_form(&state, &p, &v, Some(&id), typed(&fields), Some(&r), had_files).await
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn delete_draft(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    actions::delete_draft(&state, &v, Some(&f.csrf), &id).await?;
    Ok(see_other("/"))
}

pub(crate) fn parse_new_matter(f: &HashMap<String, String>) -> Result<NewMatter, AppError> {
    let get = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or("");
    let kind =
        MatterKind::parse(get("kind")).ok_or_else(|| VotingRefusal::BadKind { value: get("kind").into() }.refused())?;
    let scope =
        Scope::parse(get("scope")).ok_or_else(|| VotingRefusal::BadScope { value: get("scope").into() }.refused())?;
    let date = |k: &str| -> Result<Option<i64>, AppError> {
        match get(k) {
            "" => Ok(None),
            s => time::parse_date(s)
                .map(Some)
                .ok_or_else(|| VotingRefusal::BadDate { field: k.into(), value: s.into() }.refused().into()),
        }
    };
    Ok(NewMatter {
        title: get("title").to_string(),
        body: get("body").to_string(),
        kind,
        scope,
        deemed_clause: get("deemed_clause") == "1",
        allow_change: get("allow_change") == "1",
        window_start: date("window_start")?,
        // the window ends at the end of its last day
        window_end: date("window_end")?.map(|d| d + 86_400_000 - 1),
    })
}

pub(super) async fn create_matter(State(state): State<AppState>, p: Prefs, v: Viewer, mp: Multipart) -> Answer {
    v.require(VotingAction::PrepareMatter, Subject::Compound)?;
    let (fields, files) = read_multipart(mp).await?;
    let had_files = !files.is_empty();
    let done = async {
        let nm = parse_new_matter(&fields)?;
        actions::create_matter(&state, &v, fields.get("csrf").map(String::as_str), &nm, files).await
    };
    match done.await {
        Ok(m) => Ok(see_other(&format!("/matters/{}", m.id))),
        // refused: the form again, with what was typed and the field marked
        Err(AppError::Refused(r)) if r.kind() == gongzhi_core::kit::Kind::BadInput => {
            matter_form(&state, &p, &v, None, typed(&fields), Some(&r), had_files).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

pub(super) async fn post_notice(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    actions::post_notice(&state, &v, Some(&f.csrf), &id).await?;
    Ok(see_other(&format!("/matters/{id}")))
}

#[derive(Deserialize)]
pub(super) struct WindowForm {
    csrf: String,
    window_end: String,
}

pub(super) async fn extend_window(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<WindowForm>,
) -> Answer {
    actions::extend_window(&state, &v, Some(&f.csrf), &id, &f.window_end).await?;
    Ok(see_other(&format!("/matters/{id}")))
}

pub(super) async fn open_voting(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    actions::open_voting(&state, &v, Some(&f.csrf), &id).await?;
    Ok(see_other(&format!("/matters/{id}")))
}

pub(super) async fn close_voting(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    actions::close_voting(&state, &v, Some(&f.csrf), &id).await?;
    let m = state.store.matter(v.compound(), &id).await?;
    // a slate matter's result is its election's count, on the committee's result notice
    if m.slate_places > 0 {
        return Ok(see_other(&format!("/committee/elections/{id}")));
    }
    Ok(see_other(&format!("/matters/{id}/notice")))
}

#[derive(Deserialize)]
pub(super) struct RemindedQuery {
    reminded: Option<usize>,
}

pub(super) async fn remind_voters(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Answer {
    let n = actions::remind_voters(&state, &v, Some(&f.csrf), &id).await?;
    Ok(see_other(&format!("/matters/{id}/turnout?reminded={n}")))
}

pub(super) async fn turnout_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<RemindedQuery>,
) -> Answer {
    let path = format!("/matters/{id}/turnout");
    // a building leader follows up their own building's owners; the committee and staff everyone
    if !v.could(VotingAction::FollowUpTurnout) {
        v.require(VotingAction::FollowUpTurnout, Subject::Compound)?;
    }
    let t = p.t();
    let m = actions::visible_matter(&state, &v, &id).await?;
    if !matches!(m.status, MatterStatus::Open | MatterStatus::Closed) {
        return VotingRefusal::NotYetOpened.err();
    }
    let (_, tu) = live_turnout(&state, v.compound(), &m).await?;
    let names: HashMap<String, String> = state.store.roll_names(v.compound(), &id).await?.into_iter().collect();
    let rows = tu
        .to_visit
        .iter()
        .filter(|x| v.may(VotingAction::FollowUpTurnout, Subject::Building(&x.building)))
        .map(|x| VisitRow {
            priority: x.priority,
            within: x.priority <= tu.visits_to_threshold,
            building: x.building.clone(),
            floor: x.floor,
            units: x.units.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(" "),
            owner: names.get(x.units[0].as_str()).cloned().unwrap_or_default(),
            area: x.area.readable(),
        })
        .collect();
    let unreached = if m.status == MatterStatus::Open {
        actions::unreached(&state, &v, &id).await?.into_iter().map(|u| (u.unit, u.name, u.has_account)).collect()
    } else {
        vec![]
    };
    let page = TurnoutPage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        gauges: gauges(t, &tu),
        visits_needed: tu.visits_to_threshold,
        rows,
        printed: time::datetime(crate::now_ms()),
        can_remind: v.may(VotingAction::RemindVoters, Subject::Compound) && m.status == MatterStatus::Open,
        reminded: q.reminded.map(|n| n.to_string()).unwrap_or_default(),
        unreached,
    };
    Ok(html(render(&page)))
}

pub(super) fn choice_label(t: Tr, c: Choice) -> &'static str {
    match c {
        Choice::Approve => t.approve(),
        Choice::Oppose => t.oppose(),
        Choice::Abstain => t.abstain(),
    }
}

pub(super) fn channel_label(t: Tr, c: Channel) -> &'static str {
    match c {
        Channel::Online => t.channel_online(),
        Channel::Paper => t.channel_paper(),
        Channel::Proxy => t.channel_proxy(),
    }
}

pub(super) async fn ballots_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    let path = format!("/matters/{id}/ballots");
    let t = p.t();
    let m = actions::visible_matter(&state, &v, &id).await?;
    if m.status != MatterStatus::Closed {
        return VotingRefusal::ResultsAfterClose.err();
    }
    let (all, mine) = choices_shown(&state, &v).await?;
    let rows = state
        .store
        .ballots(v.compound(), &id)
        .await?
        .into_iter()
        .map(|(b, ch, _)| BallotRow {
            unit: b.unit.to_string(),
            choice: if all || mine.contains(b.unit.as_str()) { choice_label(t, b.choice) } else { "" },
            channel: channel_label(t, ch),
        })
        .collect();
    let page = BallotsPage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        rows,
        choices_shown: all,
    };
    Ok(html(render(&page)))
}

pub(super) async fn receipts_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
) -> Answer {
    let path = format!("/matters/{id}/receipts");
    let m = actions::visible_matter(&state, &v, &id).await?;
    let receipts = state.store.receipts(v.compound(), &id).await?;
    let page = ReceiptsPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        receipts,
    };
    Ok(html(render(&page)))
}

pub(super) async fn roll_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    let path = format!("/matters/{id}/roll");
    let m = actions::visible_matter(&state, &v, &id).await?;
    let (roll, tu) = live_turnout(&state, v.compound(), &m).await?;
    let rows = roll
        .iter()
        .map(|u| RollRow {
            unit: u.no.to_string(),
            building: u.building.to_string(),
            stairwell: u.stairwell.to_string(),
            floor: u.floor,
            area: u.area.readable(),
        })
        .collect();
    let page = RollPage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &path).await,
        matter_id: id,
        title: m.title,
        owners: tu.eligible_owners,
        area: tu.eligible_area.readable(),
        rows,
    };
    Ok(html(render(&page)))
}

pub(super) async fn notice_page(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    let path = format!("/matters/{id}/notice");
    let t = p.t();
    let m = actions::visible_matter(&state, &v, &id).await?;
    if m.status == MatterStatus::Draft {
        return VotingRefusal::DraftHasNoNotice.err();
    }
    if m.status == MatterStatus::Closed && m.slate_places > 0 {
        return Ok(see_other(&format!("/committee/elections/{id}")));
    }
    let (passed, expl, date) = if m.status == MatterStatus::Closed {
        let tally = state.store.tally(v.compound(), &id).await?;
        (Some(tally.passed), explanation(t, &tally.explanation), m.closed_at)
    } else {
        (None, String::new(), m.notice_at)
    };
    let anchor = if m.status == MatterStatus::Closed {
        state.store.close_anchor(v.compound(), &id).await?.unwrap_or_default()
    } else {
        String::new()
    };
    let url = state.public_url(&format!("/matters/{id}"));
    let attachments = state.store.attachments(v.compound(), &id).await?.into_iter().map(|(_, name)| name).collect();
    let page = NoticePage {
        t,
        c: chrome(&state, &p, Some(&v), &path).await,
        heading: if passed.is_some() { t.result_notice() } else { t.vote_notice() },
        title: m.title.clone(),
        kind_label: kind_label(t, m.kind),
        scope_label: scope_label(t, &m.scope),
        threshold_label: threshold_label(t, m.kind.threshold()),
        body: m.body.clone(),
        window: window(t, &m),
        passed,
        explanation: expl,
        date: date.map(time::date).unwrap_or_default(),
        how_to_vote: passed.is_none(),
        url_qr: crate::kit::views::qr_svg(&url),
        url,
        attachments,
        anchor_qr: if anchor.is_empty() { String::new() } else { crate::kit::views::qr_svg(&anchor) },
        anchor,
        back: format!("/matters/{id}"),
    };
    Ok(html(render(&page)))
}

/// Whose choices in a closed vote this viewer sees: every unit's (the committee, or everyone where
/// the rules of procedure publish choices), else only their own units'. Every owner sees that each
/// unit took part and by which channel.
async fn choices_shown(state: &AppState, v: &Viewer) -> Result<(bool, HashSet<String>), AppError> {
    let published = state.store.voting_settings(v.compound()).await?.publish_choices;
    let all = published || v.may(VotingAction::SeeChoices, Subject::Compound);
    let mine: HashSet<String> = v.account.units().iter().map(|u| u.unit.to_string()).collect();
    Ok((all, mine))
}

pub(super) async fn export_xlsx(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    let t = p.t();
    let m = actions::visible_matter(&state, &v, &id).await?;
    if m.status != MatterStatus::Closed {
        return VotingRefusal::ResultsAfterClose.err();
    }
    let tally = state.store.tally(v.compound(), &id).await?;
    let ballots = state.store.ballots(v.compound(), &id).await?;
    let (all, mine) = choices_shown(&state, &v).await?;
    let shown = |u: &UnitNo| all || mine.contains(u.as_str());
    let bytes = super::export::result_workbook(t, &m, &tally, &ballots, &shown)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"result.xlsx\""));
    Ok(r)
}
