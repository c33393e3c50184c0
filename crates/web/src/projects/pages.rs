//! Building projects: the compound board, each project's page (stages, consultation, costs,
//! shares), and the documents to print.

use super::actions::{self, load};
use super::views::*;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome;
use crate::kit::forms::Path;
use crate::kit::forms::{Fields, read_multipart};
use crate::kit::i18n::{Lang, Tr};
use crate::kit::views::qr_svg;
use crate::kit::{Answer, AppError, Prefs, now_ms, render};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongzhi_core::accounts::Role;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::kit::{KitRefusal, Say};
use gongzhi_core::projects::sharing::{Basis, parse_rate};
use gongzhi_core::projects::{
    ProjectKind, ProjectsAction, ProjectsRefusal, REASONS, Stage, Stance, check_move, support_by_floor,
};
use gongzhi_core::voting::VotingRefusal;
use gongzhi_core::{Money, Scope, UnitNo, time};
use gongzhi_store::StoreError;
use gongzhi_store::projects::{Costing, Milestone, NewProject, Project};
use std::collections::{BTreeMap, HashSet};

pub fn stage_label(t: Tr, s: Stage) -> &'static str {
    if t.0 == Lang::Zh { s.name_zh() } else { s.name_en() }
}

fn kind_label(t: Tr, k: ProjectKind) -> &'static str {
    match k {
        ProjectKind::LiftRetrofit => t.kind_lift(),
        ProjectKind::CorridorRenovation => t.kind_corridor(),
        ProjectKind::PathsAndGates => t.kind_paths(),
        ProjectKind::Other => t.kind_other(),
    }
}

fn stance_label(t: Tr, s: Stance) -> &'static str {
    match s {
        Stance::Support => t.stance_support(),
        Stance::Oppose => t.stance_oppose(),
        Stance::Undecided => t.stance_undecided(),
        Stance::Conditional => t.stance_conditional(),
    }
}

pub(super) async fn chrome(state: &AppState, p: &Prefs, v: &Viewer, path: &str) -> crate::kit::Chrome {
    chrome::chrome(state, p, Some(v), path).await
}

pub(super) async fn board(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    let t = p.t();
    let projects = state.store.projects(v.compound()).await?;
    let reg = state.store.registry(v.compound()).await?;
    // per building, the lift project furthest along
    let mut by_building: BTreeMap<String, &Project> = BTreeMap::new();
    let mut others = Vec::new();
    for pr in &projects {
        match (&pr.scope, pr.kind) {
            (Scope::Building(b), ProjectKind::LiftRetrofit) => {
                let e = by_building.entry(b.to_string()).or_insert(pr);
                if pr.stage > e.stage {
                    *e = pr;
                }
            }
            _ => others.push((pr.id.clone(), pr.title.clone(), stage_label(t, pr.stage))),
        }
    }
    let cells = reg
        .buildings()
        .into_iter()
        .map(|(b, _)| match by_building.get(b.as_str()) {
            Some(pr) => BoardCell {
                building: format!("{b}"),
                stage: pr.stage.as_str().into(),
                stage_label: stage_label(t, pr.stage),
                project_id: pr.id.clone(),
                planned_start: pr.planned_start.clone(),
            },
            None => BoardCell {
                building: format!("{b}"),
                stage: "none".into(),
                stage_label: t.no_project(),
                project_id: String::new(),
                planned_start: String::new(),
            },
        })
        .collect();
    let page = BoardPage {
        t,
        c: chrome(&state, &p, &v, "/projects").await,
        cells,
        others,
        can_edit: v.may(ProjectsAction::EditProjects, Subject::Compound),
    };
    Ok(Html(render(&page)).into_response())
}

pub(super) async fn new_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    v.require(ProjectsAction::EditProjects, Subject::Compound)?;
    let reg = state.store.registry(v.compound()).await?;
    let page = ProjectNewPage {
        t: p.t(),
        c: chrome(&state, &p, &v, "/projects/new").await,
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
    };
    Ok(Html(render(&page)).into_response())
}

/// A write to a project: signed in, the form's CSRF token, and the right to edit this project.
pub(super) async fn editing(state: &AppState, v: &Viewer, id: &str, body: &str) -> Result<(Fields, Project), AppError> {
    let f = Fields::parse(body);
    v.check_csrf(f.get("csrf"))?;
    let (pr, _) = load(state, v, id, ProjectsAction::EditProjects).await?;
    Ok((f, pr))
}

fn money(field: &str, s: &str) -> Result<Money, AppError> {
    Money::parse(s).map_err(|_| ProjectsRefusal::BadAmount { field: field.into(), value: s.into() }.refused().into())
}

fn back(id: &str) -> Response {
    Redirect::to(&format!("/projects/{id}")).into_response()
}

pub(super) async fn create(State(state): State<AppState>, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let kind = f.one("kind");
    let np = NewProject {
        title: f.one("title").into(),
        kind: Some(
            ProjectKind::parse(kind).ok_or_else(|| ProjectsRefusal::UnknownKind { value: kind.into() }.refused())?,
        ),
        scope: Some(
            Scope::parse(f.one("scope"))
                .ok_or_else(|| ProjectsRefusal::BadScope { value: f.one("scope").into() }.refused())?,
        ),
        note: f.one("note").into(),
    };
    let pr = actions::create_project(&state, &v, f.get("csrf"), &np).await?;
    Ok(back(&pr.id))
}

/// What a stage still needs, in the viewer's language.
fn missing_text(t: Tr, ms: &[gongzhi_core::projects::Missing]) -> Vec<String> {
    ms.iter().map(|m| m.say(t.0)).collect()
}

/// The role a visitor logged visits in, the most senior first.
const VISITOR_ROLES: [Role; 4] = [Role::CommitteeDirector, Role::CommitteeMember, Role::RcStaff, Role::BuildingLeader];

fn visitor_role(t: Tr, roles: &[Role]) -> String {
    match VISITOR_ROLES.iter().find(|r| roles.contains(r)) {
        Some(r) if t.0 == Lang::Zh => format!("（{}）", r.name_zh()),
        Some(r) => format!(" ({})", r.name_en()),
        None => String::new(),
    }
}

/// The project page; `?unit=` picks the household in the visit form (else the next unvisited),
/// `?saved=` confirms the visit just recorded.
pub(super) async fn project_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Answer {
    let shown = Shown {
        unit: q.get("unit").cloned().unwrap_or_default(),
        saved: q.get("saved").and_then(|u| UnitNo::parse(u)).map(|u| u.to_string()).unwrap_or_default(),
    };
    Ok(project_view_with(&state, &p, &v, &id, Vec::new(), shown).await?.into_response())
}

/// What the visit form shows: the household picked, and the visit just saved.
#[derive(Default)]
struct Shown {
    unit: String,
    saved: String,
}

/// The project page; `refused` says why a stage move was just refused, at the top of the page.
async fn project_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    refused: Vec<String>,
) -> Result<Html<String>, AppError> {
    project_view_with(state, p, v, id, refused, Shown::default()).await
}

async fn project_view_with(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    refused: Vec<String>,
    shown: Shown,
) -> Result<Html<String>, AppError> {
    let path = format!("/projects/{id}");
    let t = p.t();
    let (pr, a) = load(state, v, id, ProjectsAction::ReadProjects).await?;
    let compound = v.compound();
    let units = state.store.project_units(compound, &pr).await?;
    let visits = state.store.visits(compound, id).await?;
    // the latest stance of each household
    let mut latest: BTreeMap<&str, Stance> = BTreeMap::new();
    for x in &visits {
        latest.insert(x.unit.as_str(), x.stance);
    }
    let households: Vec<(i32, Option<Stance>)> =
        units.iter().map(|u| (u.floor, latest.get(u.no.as_str()).copied())).collect();
    let floors = support_by_floor(&households)
        .into_iter()
        .rev()
        .map(|(floor, counts)| {
            let all: usize = counts.iter().sum();
            FloorRow {
                floor,
                counts,
                support_pct: ((counts[0] + counts[3]) * 100).checked_div(all).unwrap_or(0) as u32,
            }
        })
        .collect();
    let to_visit: Vec<String> =
        units.iter().filter(|u| !latest.contains_key(u.no.as_str())).map(|u| u.no.to_string()).collect();
    // the household the visit form starts on: the one asked for, else the next unvisited
    let visit_unit = if units.iter().any(|u| u.no.as_str() == shown.unit) {
        shown.unit.clone()
    } else {
        to_visit.first().cloned().unwrap_or_default()
    };
    let facts = state.store.project_facts(compound, &pr).await?;
    let next = Stage::ALL.get(pr.stage as usize + 1).copied();
    let missing = match next {
        Some(n) => check_move(
            pr.stage,
            n,
            &facts,
            &state.store.project_settings(compound).await?,
            &state.store.rest_days(compound).await?,
        )
        .err()
        .map(|ms| missing_text(t, &ms)),
        None => None,
    }
    .unwrap_or_default();
    let costs = state.store.cost_items(compound, id).await?;
    let sum = |f: &dyn Fn(&gongzhi_store::projects::CostItem) -> Money| {
        Money::from_fen(costs.iter().map(|c| f(c).fen()).sum())
    };
    let mine: HashSet<&UnitNo> = v.account.units().iter().map(|u| &u.unit).collect();
    let mut my_words: BTreeMap<String, String> = BTreeMap::new();
    let (shares, subsidy, residents_total, share_error) = match state.store.share_plan(compound, &pr).await {
        Ok(plan) => (
            {
                let wanted: Vec<&UnitNo> = mine.iter().copied().collect();
                for (u, _, w) in state.store.shares_in_words(compound, &pr, &plan, &wanted).await? {
                    my_words.insert(u.to_string(), p.lang.pick(&w.zh, &w.en).to_string());
                }
                plan.shares
                    .iter()
                    .map(|s| ShareRow {
                        unit: s.unit.to_string(),
                        floor: s.floor,
                        share: s.share.readable(),
                        mine: mine.contains(&s.unit),
                        running: String::new(),
                    })
                    .collect::<Vec<_>>()
            },
            plan.subsidy.readable(),
            plan.residents_total.readable(),
            String::new(),
        ),
        Err(StoreError::Refused(r)) => (vec![], String::new(), String::new(), r.say(t.0)),
        Err(e) => return Err(e.into()),
    };
    let running: BTreeMap<String, String> = match state.store.running_shares(compound, &pr).await {
        Ok(r) => r.into_iter().map(|s| (s.unit.to_string(), s.share.readable())).collect(),
        Err(_) => BTreeMap::new(),
    };
    let shares: Vec<ShareRow> = shares
        .into_iter()
        .map(|s| ShareRow { running: running.get(&s.unit).cloned().unwrap_or_default(), ..s })
        .collect();
    let my_shares = shares
        .iter()
        .filter(|s| s.mine)
        .map(|s| {
            (s.unit.clone(), s.share.clone(), my_words.get(&s.unit).cloned().unwrap_or_default(), s.running.clone())
        })
        .collect();
    let history = state
        .store
        .project_history(compound, id)
        .await?
        .into_iter()
        .map(|(s, at, actor)| {
            let who = if actor == "system" { t.visitor_system().to_string() } else { actor };
            (stage_label(t, s), time::date(at), who)
        })
        .collect();
    let documents = state.store.project_documents(compound, id).await?;
    let related = crate::kit::views::related(state, t, compound, &format!("project:{id}")).await?;
    let page = ProjectPage {
        related,
        t,
        documents,
        c: chrome(state, p, v, &path).await,
        id: id.to_string(),
        title: pr.title.clone(),
        kind_label: kind_label(t, pr.kind),
        scope_label: if t.0 == Lang::Zh { pr.scope.name_zh() } else { pr.scope.name_en() },
        stage: pr.stage.as_str(),
        stage_label: stage_label(t, pr.stage),
        planned_start: pr.planned_start.clone(),
        note: pr.note.clone(),
        steps: Stage::ALL
            .iter()
            .map(|s| StageStep { label: stage_label(t, *s), done: *s < pr.stage, current: *s == pr.stage })
            .collect(),
        history,
        next_stage: next.map(|n| n.as_str().to_string()).unwrap_or_default(),
        next_label: next.map(|n| stage_label(t, n)).unwrap_or(""),
        missing,
        refused,
        can_edit: a.edit,
        see_shares: a.shares,
        see_consultation: a.consultation,
        scheme_notice_date: pr.scheme_notice_at.map(time::date).unwrap_or_default(),
        milestones: vec![
            ("planning_approved", t.ms_planning(), pr.planning_approved),
            ("start_report_filed", t.ms_start_report(), pr.start_report_filed),
            ("owner_representatives_invited", t.ms_owner_reps(), pr.owner_representatives_invited),
            ("completion_accepted", t.ms_completion(), pr.completion_accepted),
        ],
        floors,
        to_visit,
        visit_unit,
        saved_visit: shown.saved,
        visits: visits
            .iter()
            .rev()
            .map(|x| VisitView {
                date: time::date(x.visited_at),
                unit: x.unit.clone(),
                visitor: if x.visitor_name.is_empty() {
                    t.visitor_system().to_string()
                } else {
                    x.visitor_name.clone()
                },
                role: visitor_role(t, &x.visitor_roles),
                stance: stance_label(t, x.stance),
                reasons: x
                    .reasons
                    .iter()
                    .map(|r| {
                        REASONS
                            .iter()
                            .find(|q| q.0 == r)
                            .map(|q| if t.0 == Lang::Zh { q.1 } else { q.2 })
                            .unwrap_or(r.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join(if t.0 == Lang::Zh { "、" } else { ", " }),
                note: x.note.clone(),
                answer: x.answer.clone(),
            })
            .collect(),
        reasons: REASONS.iter().map(|r| (r.0, if t.0 == Lang::Zh { r.1 } else { r.2 })).collect(),
        units: units.iter().map(|u| u.no.to_string()).collect(),
        costs: costs
            .iter()
            .map(|c| CostRow {
                id: c.id.clone(),
                label: c.label.clone(),
                quoted: c.quoted.readable(),
                agreed: c.agreed.map(|a| a.readable()).unwrap_or_default(),
                saving: c.saving().readable(),
                negotiated_by: c.negotiated_by.clone(),
                paid: c.paid.readable(),
            })
            .collect(),
        budget: sum(&|c| c.budget()).readable(),
        saved: sum(&|c| c.saving()).readable(),
        paid: sum(&|c| c.paid).readable(),
        cost: pr.construction_cost.to_string(),
        rate: rate_text(pr.subsidy_rate_ppm),
        cap: pr.subsidy_cap.to_string(),
        other: pr.other_sources.to_string(),
        weights: pr.weights.clone(),
        basis_area: pr.basis == Basis::Area,
        running_cost: pr.running_cost.to_string(),
        running_weights: pr.running_weights.clone(),
        subsidy,
        residents_total,
        shares,
        my_shares,
        share_error,
        matter_id: pr.matter_id.clone().unwrap_or_default(),
    };
    Ok(Html(render(&page)))
}

pub(super) async fn move_stage(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let stage = f.one("stage");
    let to = Stage::parse(stage).ok_or_else(|| ProjectsRefusal::UnknownStage { value: stage.into() }.refused())?;
    match actions::move_stage(&state, &v, f.get("csrf"), &id, to).await {
        Ok(_) => Ok(back(&id)),
        // refused: the project page again, saying at the top what the stage still needs
        Err(AppError::Refused(r)) if r.kind() == gongzhi_core::kit::Kind::Conflict => {
            let refused = match r.downcast::<ProjectsRefusal>() {
                Some(ProjectsRefusal::StageBlocked { missing, .. }) => missing_text(p.t(), missing),
                _ => vec![r.say(p.lang)],
            };
            let page = project_view(&state, &p, &v, &id, refused).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn facts(State(state): State<AppState>, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let (f, pr) = editing(&state, &v, &id, &body).await?;
    let c = v.compound();
    if f.one("planned_start") != pr.planned_start {
        state.store.set_planned_start(c, &id, f.one("planned_start"), v.actor()).await?;
    }
    for (key, was) in [
        ("planning_approved", pr.planning_approved),
        ("start_report_filed", pr.start_report_filed),
        ("owner_representatives_invited", pr.owner_representatives_invited),
        ("completion_accepted", pr.completion_accepted),
    ] {
        let now = f.one(key) == "1";
        if now != was {
            let m = Milestone::parse(key).expect("a known milestone");
            state.store.set_milestone(c, &id, m, now, v.actor()).await?;
        }
    }
    Ok(back(&id))
}

pub(super) async fn visit(State(state): State<AppState>, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let (f, _) = editing(&state, &v, &id, &body).await?;
    let unit = UnitNo::parse(f.one("unit"))
        .ok_or_else(|| VotingRefusal::BadUnit { field: "unit".into(), value: f.one("unit").into() }.refused())?;
    let stance = Stance::parse(f.one("stance"))
        .ok_or_else(|| ProjectsRefusal::UnknownStance { value: f.one("stance").into() }.refused())?;
    let reasons: Vec<String> = f.all("reason").iter().filter(|r| REASONS.iter().any(|q| q.0 == *r)).cloned().collect();
    state
        .store
        .record_visit(v.compound(), &id, &unit, stance, &reasons, f.one("note"), f.one("answer"), now_ms(), v.actor())
        .await?;
    Ok(Redirect::to(&format!("/projects/{id}?saved={unit}#visit-form")).into_response())
}

pub(super) async fn add_cost(State(state): State<AppState>, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let (f, _) = editing(&state, &v, &id, &body).await?;
    let quoted = money("quoted", f.one("quoted"))?;
    state.store.add_cost_item(v.compound(), &id, f.one("label"), quoted, v.actor()).await?;
    Ok(back(&id))
}

/// The cost item must belong to this project.
pub(super) async fn own_item(state: &AppState, v: &Viewer, id: &str, item: &str) -> Result<(), AppError> {
    state.store.cost_item(v.compound(), id, item).await?;
    Ok(())
}

pub(super) async fn negotiate(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let (f, _) = editing(&state, &v, &id, &body).await?;
    own_item(&state, &v, &id, f.one("item")).await?;
    let agreed = money("agreed", f.one("agreed"))?;
    state.store.negotiate(v.compound(), f.one("item"), agreed, f.one("by"), f.one("note"), v.actor()).await?;
    Ok(back(&id))
}

pub(super) async fn pay(State(state): State<AppState>, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let (f, _) = editing(&state, &v, &id, &body).await?;
    own_item(&state, &v, &id, f.one("item")).await?;
    let amount = money("amount", f.one("amount"))?;
    state.store.add_payment(v.compound(), f.one("item"), amount, f.one("paid_on"), "", v.actor()).await?;
    Ok(back(&id))
}

pub(super) async fn costing(State(state): State<AppState>, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let (f, _) = editing(&state, &v, &id, &body).await?;
    let c = Costing {
        construction_cost: money("cost", f.one("cost"))?,
        subsidy_rate_ppm: parse_rate(f.one("rate")).map_err(gongzhi_core::kit::Refused::from)?,
        subsidy_cap: money("cap", f.one("cap"))?,
        other_sources: if f.one("other").is_empty() { Money::ZERO } else { money("other", f.one("other"))? },
        weights: f.one("weights").into(),
        basis: Basis::parse(f.one("basis")).unwrap_or(Basis::Area),
        running_cost: if f.one("running_cost").is_empty() {
            Money::ZERO
        } else {
            money("running_cost", f.one("running_cost"))?
        },
        running_weights: f.one("running_weights").into(),
    };
    state.store.set_costing(v.compound(), &id, &c, v.actor()).await?;
    Ok(back(&id))
}

/// `400000` ppm → `0.4`, exactly.
fn rate_text(ppm: i64) -> String {
    let frac = format!("{:06}", ppm % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{}", ppm / 1_000_000) } else { format!("{}.{frac}", ppm / 1_000_000) }
}

/// Records the posting of the scheme notice: the day from the paper and a photo of it as posted.
/// A refusal shows the project page again with what is wrong at its top.
pub(super) async fn post_scheme_notice(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> Answer {
    let (fields, files) = read_multipart(mp).await?;
    v.check_csrf(fields.get("csrf").map(String::as_str))?;
    load(&state, &v, &id, ProjectsAction::EditProjects).await?;
    let date = fields.get("scheme_notice_date").map(|s| s.trim()).unwrap_or("");
    let recorded = async {
        let at = time::parse_date(date).ok_or_else(|| {
            ProjectsRefusal::BadDate { field: "scheme_notice_date".into(), value: date.into() }.refused()
        })?;
        let (_, name, ct, bytes) = files
            .iter()
            .find(|f| f.0 == "photo" && !f.3.is_empty())
            .ok_or_else(|| ProjectsRefusal::SchemeNoticePhotoMissing.refused())?;
        state.store.set_scheme_notice(v.compound(), &id, at, (name, ct, bytes), v.actor()).await?;
        Ok::<_, AppError>(())
    };
    match recorded.await {
        Ok(()) => Ok(back(&id)),
        Err(AppError::Refused(r)) => {
            let status = crate::kit::error::status_of(r.kind());
            let page = project_view(&state, &p, &v, &id, vec![r.say(p.lang)]).await?;
            Ok((status, page).into_response())
        }
        Err(e) => Err(e),
    }
}

pub(super) async fn upload_document(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> Answer {
    let (fields, files) = read_multipart(mp).await?;
    v.check_csrf(fields.get("csrf").map(String::as_str))?;
    load(&state, &v, &id, ProjectsAction::EditProjects).await?;
    if files.is_empty() {
        return KitRefusal::FileMissing { field: "file".into() }.err();
    }
    for (_, name, ct, bytes) in files {
        state.store.attach_to_project(v.compound(), &id, &name, &ct, &bytes, v.actor()).await?;
    }
    Ok(back(&id))
}

async fn doc(state: &AppState, p: &Prefs, v: &Viewer, id: &str, ballot: bool) -> Answer {
    let t = p.t();
    let (pr, _) = load(state, v, id, ProjectsAction::ReadShares).await?;
    let plan = state.store.share_plan(v.compound(), &pr).await?;
    let url = state.public_url(&format!("/projects/{id}"));
    let page = ProjectDoc {
        t,
        c: chrome(state, p, v, &format!("/projects/{id}")).await,
        heading: if ballot { t.ballot_doc() } else { t.scheme_notice_doc() },
        title: pr.title.clone(),
        scope_label: if t.0 == Lang::Zh { pr.scope.name_zh() } else { pr.scope.name_en() },
        note: pr.note.clone(),
        date: time::date(pr.scheme_notice_at.unwrap_or_else(now_ms)),
        ballot,
        cost: plan.cost.to_string(),
        subsidy: plan.subsidy.readable(),
        residents_total: plan.residents_total.readable(),
        weights: pr.weights.clone(),
        shares: plan
            .shares
            .iter()
            .map(|s| ShareRow {
                unit: s.unit.to_string(),
                floor: s.floor,
                share: s.share.readable(),
                mine: false,
                running: String::new(),
            })
            .collect(),
        qr_svg: qr_svg(&url),
        url,
        back: format!("/projects/{id}"),
    };
    Ok(Html(render(&page)).into_response())
}

pub(super) async fn scheme_notice(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
) -> Answer {
    doc(&state, &p, &v, &id, false).await
}

pub(super) async fn ballot_doc(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>) -> Answer {
    doc(&state, &p, &v, &id, true).await
}
