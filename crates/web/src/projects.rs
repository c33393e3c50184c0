//! Building projects: the compound board, each project's page (stages, consultation, costs,
//! shares), and the documents to print.

use crate::auth::{MaybeViewer, Prefs, Viewer};
use crate::error::{AppError, PageError};
use crate::i18n::{Lang, Tr};
use crate::views::*;
use crate::{AppState, now_ms};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Router, routing::get, routing::post};
use gongzhi_core::projects::{Missing, NoticeRule, ProjectKind, REASONS, Stage, Stance, check_move, support_by_floor};
use gongzhi_core::roles::{Action, Role};
use gongzhi_core::sharing::{Basis, parse_rate};
use gongzhi_core::{Money, Scope, UnitNo, time};
use gongzhi_store::StoreError;
use gongzhi_store::projects::{Costing, Milestone, NewProject, Project};
use std::collections::{BTreeMap, HashSet};

type PageResult = Result<Response, PageError>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/projects", get(board).post(create))
        .route("/projects/new", get(new_page))
        .route("/projects/{id}", get(project_page))
        .route("/projects/{id}/stage", post(move_stage))
        .route("/projects/{id}/facts", post(facts))
        .route("/projects/{id}/visits", post(visit))
        .route("/projects/{id}/costs", post(add_cost))
        .route("/projects/{id}/negotiate", post(negotiate))
        .route("/projects/{id}/pay", post(pay))
        .route("/projects/{id}/costing", post(costing))
        .route("/projects/{id}/documents", post(upload_document))
        .route("/projects/{id}/scheme-notice", get(scheme_notice))
        .route("/projects/{id}/ballot", get(ballot_doc))
}

fn err(p: &Prefs) -> impl Fn(AppError) -> PageError + '_ {
    move |e| PageError { err: e, lang: p.lang }
}

fn pe<E: Into<AppError>>(p: &Prefs) -> impl Fn(E) -> PageError + '_ {
    move |e| PageError { err: e.into(), lang: p.lang }
}

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

/// Who sees and who edits a project: the committee and residents'-committee staff everywhere;
/// a building leader edits, and an owner sees in full, only their own building's projects.
pub struct Access {
    pub in_building: bool,
    pub full: bool,
    pub edit: bool,
}

pub async fn access(state: &AppState, v: &Viewer, scope: &Scope) -> Result<Access, AppError> {
    let units: HashSet<UnitNo> =
        state.store.scope_units(v.compound(), scope).await?.into_iter().map(|u| u.no).collect();
    let in_building = v.account.units.iter().any(|u| units.contains(&u.unit));
    let staff = [Role::CommitteeMember, Role::CommitteeDirector, Role::RcStaff].iter().any(|r| v.account.has(*r));
    let edit = v.may(Action::EditProjects) && (staff || in_building);
    Ok(Access { in_building, full: edit || staff || in_building || v.may(Action::ReadAudit), edit })
}

async fn load(state: &AppState, v: &Viewer, id: &str, need_edit: bool) -> Result<(Project, Access), AppError> {
    let p = state.store.project(v.compound(), id).await?;
    let a = access(state, v, &p.scope).await?;
    if need_edit && !a.edit {
        return Err(AppError::Forbidden("only the committee and this building's leader edit a project".into()));
    }
    if !a.full {
        return Err(AppError::Forbidden("only the building's owners see the project in full".into()));
    }
    Ok((p, a))
}

fn viewer(v: MaybeViewer, p: &Prefs, path: &str) -> Result<Viewer, Redirect> {
    crate::pages::need_viewer(v, p, path)
}

async fn chrome(state: &AppState, p: &Prefs, v: &Viewer, path: &str) -> Chrome {
    crate::pages::chrome(state, p, Some(v), path).await
}

async fn board(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match viewer(v, &p, "/projects") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    let t = p.t();
    let projects = state.store.projects(v.compound()).await.map_err(pe(&p))?;
    let reg = state.store.registry(v.compound()).await.map_err(pe(&p))?;
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
        can_edit: v.may(Action::EditProjects),
    };
    Ok(Html(render(&page)).into_response())
}

async fn new_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> PageResult {
    let v = match viewer(v, &p, "/projects/new") {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    v.require(Action::EditProjects).map_err(err(&p))?;
    let reg = state.store.registry(v.compound()).await.map_err(pe(&p))?;
    let page = ProjectNewPage {
        t: p.t(),
        c: chrome(&state, &p, &v, "/projects/new").await,
        buildings: reg.buildings().into_iter().map(|(b, _)| b.to_string()).collect(),
    };
    Ok(Html(render(&page)).into_response())
}

type FormMap = BTreeMap<String, Vec<String>>;

/// A urlencoded body with repeated keys (checkbox groups).
fn parse_form(body: &str) -> FormMap {
    let mut m: FormMap = BTreeMap::new();
    for pair in body.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        m.entry(decode(k)).or_default().push(decode(v));
    }
    m
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn one<'a>(f: &'a FormMap, k: &str) -> &'a str {
    f.get(k).and_then(|v| v.first()).map(|s| s.trim()).unwrap_or("")
}

fn csrf_ok(v: &Viewer, f: &FormMap) -> Result<(), AppError> {
    v.check_csrf(Some(one(f, "csrf")))
}

/// A write to a project: signed in, the form's CSRF token, and the right to edit this project.
async fn editing(
    state: &AppState,
    p: &Prefs,
    v: MaybeViewer,
    id: &str,
    body: &str,
) -> Result<(Viewer, FormMap, Project), PageError> {
    let v = v.0.ok_or(AppError::Unauthorized).map_err(err(p))?;
    let f = parse_form(body);
    csrf_ok(&v, &f).map_err(err(p))?;
    let (pr, _) = load(state, &v, id, true).await.map_err(err(p))?;
    Ok((v, f, pr))
}

fn money(field: &str, s: &str) -> Result<Money, AppError> {
    Money::parse(s).map_err(|e| AppError::BadInput(format!("{field}: {e}")))
}

fn back(id: &str) -> Response {
    Redirect::to(&format!("/projects/{id}")).into_response()
}

async fn create(State(state): State<AppState>, p: Prefs, v: MaybeViewer, body: String) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).map_err(err(&p))?;
    v.require(Action::EditProjects).map_err(err(&p))?;
    let f = parse_form(&body);
    csrf_ok(&v, &f).map_err(err(&p))?;
    let np = NewProject {
        title: one(&f, "title").into(),
        kind: Some(
            ProjectKind::parse(one(&f, "kind"))
                .ok_or_else(|| AppError::BadInput(format!("kind: unknown kind '{}'", one(&f, "kind"))))
                .map_err(err(&p))?,
        ),
        scope: Some(
            Scope::parse(one(&f, "scope"))
                .ok_or_else(|| AppError::BadInput("scope: choose a building".into()))
                .map_err(err(&p))?,
        ),
        note: one(&f, "note").into(),
    };
    let scope = np.scope.clone().unwrap_or(Scope::Compound);
    if !access(&state, &v, &scope).await.map_err(err(&p))?.edit {
        return Err(err(&p)(AppError::Forbidden(
            "a building leader starts projects only for their own building".into(),
        )));
    }
    let pr = state.store.create_project(v.compound(), &np, v.actor()).await.map_err(pe(&p))?;
    Ok(back(&pr.id))
}

/// What a stage still needs, in the viewer's language.
fn missing_text(t: Tr, ms: Vec<Missing>) -> Vec<String> {
    ms.into_iter().map(|m| if t.0 == Lang::Zh { m.zh } else { m.en }).collect()
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

async fn project_page(State(state): State<AppState>, p: Prefs, v: MaybeViewer, Path(id): Path<String>) -> PageResult {
    let v = match viewer(v, &p, &format!("/projects/{id}")) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    Ok(project_view(&state, &p, &v, &id, Vec::new()).await?.into_response())
}

/// The project page; `refused` says why a stage move was just refused, at the top of the page.
async fn project_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    refused: Vec<String>,
) -> Result<Html<String>, PageError> {
    let path = format!("/projects/{id}");
    let t = p.t();
    let (pr, a) = load(state, v, id, false).await.map_err(err(p))?;
    let compound = v.compound();
    let units = state.store.project_units(compound, &pr).await.map_err(pe(p))?;
    let visits = state.store.visits(compound, id).await.map_err(pe(p))?;
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
    let to_visit = units.iter().filter(|u| !latest.contains_key(u.no.as_str())).map(|u| u.no.to_string()).collect();
    let facts = state.store.project_facts(compound, &pr).await.map_err(pe(p))?;
    let next = Stage::ALL.get(pr.stage as usize + 1).copied();
    let missing = match next {
        Some(n) => check_move(pr.stage, n, &facts, NoticeRule::default()).err().map(|ms| missing_text(t, ms)),
        None => None,
    }
    .unwrap_or_default();
    let costs = state.store.cost_items(compound, id).await.map_err(pe(p))?;
    let sum = |f: &dyn Fn(&gongzhi_store::projects::CostItem) -> Money| {
        Money::from_fen(costs.iter().map(|c| f(c).fen()).sum())
    };
    let mine: HashSet<&UnitNo> = v.account.units.iter().map(|u| &u.unit).collect();
    let (shares, subsidy, residents_total, share_error) = match state.store.share_plan(compound, &pr).await {
        Ok(plan) => (
            plan.shares
                .iter()
                .map(|s| ShareRow {
                    unit: s.unit.to_string(),
                    floor: s.floor,
                    share: s.share.to_string(),
                    mine: mine.contains(&s.unit),
                    running: String::new(),
                })
                .collect::<Vec<_>>(),
            plan.subsidy.to_string(),
            plan.residents_total.to_string(),
            String::new(),
        ),
        Err(e) => (vec![], String::new(), String::new(), crate::messages::localise(t.0, &e.to_string())),
    };
    let running: BTreeMap<String, String> = match state.store.running_shares(compound, &pr).await {
        Ok(r) => r.into_iter().map(|s| (s.unit.to_string(), s.share.to_string())).collect(),
        Err(_) => BTreeMap::new(),
    };
    let shares: Vec<ShareRow> = shares
        .into_iter()
        .map(|s| ShareRow { running: running.get(&s.unit).cloned().unwrap_or_default(), ..s })
        .collect();
    let my_shares = shares.iter().filter(|s| s.mine).map(|s| (s.unit.clone(), s.share.clone())).collect();
    let history = state
        .store
        .project_history(compound, id)
        .await
        .map_err(pe(p))?
        .into_iter()
        .map(|(s, at, actor)| {
            let who = if actor == "system" { t.visitor_system().to_string() } else { actor };
            (stage_label(t, s), time::date(at), who)
        })
        .collect();
    let documents = state.store.project_documents(compound, id).await.map_err(pe(p))?;
    let page = ProjectPage {
        t,
        documents,
        c: chrome(state, p, v, &path).await,
        id: id.to_string(),
        title: pr.title.clone(),
        kind_label: kind_label(t, pr.kind),
        scope_label: if t.0 == Lang::Zh { pr.scope.name_zh() } else { pr.scope.name_en() },
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
        scheme_notice_date: pr.scheme_notice_at.map(time::date).unwrap_or_default(),
        milestones: vec![
            ("planning_approved", t.ms_planning(), pr.planning_approved),
            ("start_report_filed", t.ms_start_report(), pr.start_report_filed),
            ("owner_representatives_invited", t.ms_owner_reps(), pr.owner_representatives_invited),
            ("completion_accepted", t.ms_completion(), pr.completion_accepted),
        ],
        floors,
        to_visit,
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
                quoted: c.quoted.to_string(),
                agreed: c.agreed.map(|a| a.to_string()).unwrap_or_default(),
                saving: c.saving().to_string(),
                negotiated_by: c.negotiated_by.clone(),
                paid: c.paid.to_string(),
            })
            .collect(),
        budget: sum(&|c| c.budget()).to_string(),
        saved: sum(&|c| c.saving()).to_string(),
        paid: sum(&|c| c.paid).to_string(),
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

async fn move_stage(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    let to = Stage::parse(one(&f, "stage"))
        .ok_or_else(|| AppError::BadInput("stage: unknown stage".into()))
        .map_err(err(&p))?;
    let rule = NoticeRule::default();
    match state.store.move_project(v.compound(), &id, to, rule, v.actor()).await {
        Ok(_) => Ok(back(&id)),
        // refused: the project page again, saying at the top what the stage still needs
        Err(StoreError::Conflict(_)) => {
            let pr = state.store.project(v.compound(), &id).await.map_err(pe(&p))?;
            let facts = state.store.project_facts(v.compound(), &pr).await.map_err(pe(&p))?;
            let refused = match check_move(pr.stage, to, &facts, rule) {
                Err(ms) => missing_text(p.t(), ms),
                Ok(()) => vec![p.t().changed_meanwhile().to_string()],
            };
            let page = project_view(&state, &p, &v, &id, refused).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(pe(&p)(e)),
    }
}

async fn facts(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, pr) = editing(&state, &p, v, &id, &body).await?;
    let c = v.compound();
    let date = one(&f, "scheme_notice_date");
    if !date.is_empty() {
        let at = time::parse_date(date)
            .ok_or_else(|| AppError::BadInput(format!("scheme_notice_date: '{date}' is not a date")))
            .map_err(err(&p))?;
        if at > now_ms() {
            return Err(err(&p)(AppError::BadInput(
                "scheme_notice_date: the notice cannot be posted in the future".into(),
            )));
        }
        if pr.scheme_notice_at.map(time::date).as_deref() != Some(date) {
            state.store.set_scheme_notice(c, &id, at, v.actor()).await.map_err(pe(&p))?;
        }
    }
    if one(&f, "planned_start") != pr.planned_start {
        state.store.set_planned_start(c, &id, one(&f, "planned_start"), v.actor()).await.map_err(pe(&p))?;
    }
    for (key, was) in [
        ("planning_approved", pr.planning_approved),
        ("start_report_filed", pr.start_report_filed),
        ("owner_representatives_invited", pr.owner_representatives_invited),
        ("completion_accepted", pr.completion_accepted),
    ] {
        let now = one(&f, key) == "1";
        if now != was {
            let m = Milestone::parse(key).expect("a known milestone");
            state.store.set_milestone(c, &id, m, now, v.actor()).await.map_err(pe(&p))?;
        }
    }
    Ok(back(&id))
}

async fn visit(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    let unit = UnitNo::parse(one(&f, "unit"))
        .ok_or_else(|| AppError::BadInput(format!("unit: '{}' is not a unit number", one(&f, "unit"))))
        .map_err(err(&p))?;
    let stance = Stance::parse(one(&f, "stance"))
        .ok_or_else(|| AppError::BadInput("stance: choose support, oppose, undecided or conditional".into()))
        .map_err(err(&p))?;
    let reasons: Vec<String> =
        f.get("reason").cloned().unwrap_or_default().into_iter().filter(|r| REASONS.iter().any(|q| q.0 == r)).collect();
    state
        .store
        .record_visit(
            v.compound(),
            &id,
            &unit,
            stance,
            &reasons,
            one(&f, "note"),
            one(&f, "answer"),
            now_ms(),
            v.actor(),
        )
        .await
        .map_err(pe(&p))?;
    Ok(back(&id))
}

async fn add_cost(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    let quoted = money("quoted", one(&f, "quoted")).map_err(err(&p))?;
    state.store.add_cost_item(v.compound(), &id, one(&f, "label"), quoted, v.actor()).await.map_err(pe(&p))?;
    Ok(back(&id))
}

/// The cost item must belong to this project.
async fn own_item(state: &AppState, v: &Viewer, id: &str, item: &str) -> Result<(), AppError> {
    state.store.cost_item(v.compound(), id, item).await?;
    Ok(())
}

async fn negotiate(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    own_item(&state, &v, &id, one(&f, "item")).await.map_err(err(&p))?;
    let agreed = money("agreed", one(&f, "agreed")).map_err(err(&p))?;
    state
        .store
        .negotiate(v.compound(), one(&f, "item"), agreed, one(&f, "by"), one(&f, "note"), v.actor())
        .await
        .map_err(pe(&p))?;
    Ok(back(&id))
}

async fn pay(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    own_item(&state, &v, &id, one(&f, "item")).await.map_err(err(&p))?;
    let amount = money("amount", one(&f, "amount")).map_err(err(&p))?;
    state
        .store
        .add_payment(v.compound(), one(&f, "item"), amount, one(&f, "paid_on"), "", v.actor())
        .await
        .map_err(pe(&p))?;
    Ok(back(&id))
}

async fn costing(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    body: String,
) -> PageResult {
    let (v, f, _) = editing(&state, &p, v, &id, &body).await?;
    let c = Costing {
        construction_cost: money("cost", one(&f, "cost")).map_err(err(&p))?,
        subsidy_rate_ppm: parse_rate(one(&f, "rate")).map_err(|e| err(&p)(AppError::BadInput(e.to_string())))?,
        subsidy_cap: money("cap", one(&f, "cap")).map_err(err(&p))?,
        other_sources: if one(&f, "other").is_empty() {
            Money::ZERO
        } else {
            money("other", one(&f, "other")).map_err(err(&p))?
        },
        weights: one(&f, "weights").into(),
        basis: Basis::parse(one(&f, "basis")).unwrap_or(Basis::Area),
        running_cost: if one(&f, "running_cost").is_empty() {
            Money::ZERO
        } else {
            money("running_cost", one(&f, "running_cost")).map_err(err(&p))?
        },
        running_weights: one(&f, "running_weights").into(),
    };
    state.store.set_costing(v.compound(), &id, &c, v.actor()).await.map_err(pe(&p))?;
    Ok(back(&id))
}

/// `400000` ppm → `0.4`, exactly.
fn rate_text(ppm: i64) -> String {
    let frac = format!("{:06}", ppm % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() { format!("{}", ppm / 1_000_000) } else { format!("{}.{frac}", ppm / 1_000_000) }
}

async fn upload_document(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> PageResult {
    let v = v.0.ok_or(AppError::Unauthorized).map_err(err(&p))?;
    let (fields, files) = crate::pages::read_multipart(mp).await.map_err(err(&p))?;
    v.check_csrf(fields.get("csrf").map(String::as_str)).map_err(err(&p))?;
    load(&state, &v, &id, true).await.map_err(err(&p))?;
    if files.is_empty() {
        return Err(err(&p)(AppError::BadInput("file: choose a file to upload".into())));
    }
    for (_, name, ct, bytes) in files {
        state.store.attach_to_project(v.compound(), &id, &name, &ct, &bytes, v.actor()).await.map_err(pe(&p))?;
    }
    Ok(back(&id))
}

fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

async fn doc(state: &AppState, p: &Prefs, v: &Viewer, headers: &HeaderMap, id: &str, ballot: bool) -> PageResult {
    let t = p.t();
    let (pr, _) = load(state, v, id, false).await.map_err(err(p))?;
    let plan = state.store.share_plan(v.compound(), &pr).await.map_err(pe(p))?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let url = format!("http://{host}/projects/{id}");
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
        subsidy: plan.subsidy.to_string(),
        residents_total: plan.residents_total.to_string(),
        weights: pr.weights.clone(),
        shares: plan
            .shares
            .iter()
            .map(|s| ShareRow {
                unit: s.unit.to_string(),
                floor: s.floor,
                share: s.share.to_string(),
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

async fn scheme_notice(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let v = match viewer(v, &p, &format!("/projects/{id}/scheme-notice")) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    doc(&state, &p, &v, &headers, &id, false).await
}

async fn ballot_doc(
    State(state): State<AppState>,
    p: Prefs,
    v: MaybeViewer,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let v = match viewer(v, &p, &format!("/projects/{id}/ballot")) {
        Ok(v) => v,
        Err(r) => return Ok(r.into_response()),
    };
    doc(&state, &p, &v, &headers, &id, true).await
}
