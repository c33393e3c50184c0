//! Corridor renovation on the web (issue 13): the residents' committee opens a call for plans;
//! each building leader submits and revises their building's plan; reviewers score the plans on
//! the rubric (abstaining on their own building's); both schedules (strict order and best value)
//! are shown side by side with every building's explanation; the residents' committee recommends
//! one, the owners' committee adopts it (posted within 3 days) or returns it; the adopted schedule
//! is published with a chart, and each building's progress and each phase's actual cost recorded.
//! [`views`]: the pages; [`api`]: the JSON API.

pub mod api;
mod views;

use crate::AppState;
use crate::accounts::Viewer;
use crate::kit::forms::{Fields, Path};
use crate::kit::{Answer, AppError, Prefs, see_other};
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::corridors::policy::CorridorsAction;
use gongzhi_core::corridors::refusal::CorridorRefusal;
use gongzhi_core::corridors::review::{Criterion, Progress, Work, default_rubric};
use gongzhi_core::corridors::{PlanOutput, Policy, Score, plan};
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::kit::{KitRefusal, Money};
use gongzhi_core::registry::BuildingNo;
use gongzhi_store::corridors::{NewRound, RoundRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/corridors", get(views::list_page).post(open_save))
        .route("/corridors/{id}", get(views::round_page))
        .route("/corridors/{id}/schedule", get(views::schedule_page))
        .route("/corridors/{id}/plan", post(plan_save))
        .route("/corridors/{id}/marks", post(marks_save))
        .route("/corridors/{id}/recommendation", post(recommend_save))
        .route("/corridors/{id}/decision", post(decision_save))
        .route("/corridors/{id}/posted", post(posted_save))
        .route("/corridors/{id}/progress", post(progress_save))
        .route("/corridors/{id}/actual", post(actual_save))
        .route("/corridors/{id}/photos", post(photo_save))
        .route("/corridors/{id}/photos/{photo}", get(photo))
}

fn bad(detail: String) -> AppError {
    KitRefusal::FormInvalid { detail }.refused().into()
}

fn money(field: &str, s: &str) -> Result<Money, AppError> {
    Money::parse(s)
        .ok()
        .filter(|m| m.fen() >= 0)
        .ok_or_else(|| bad(format!("{field}: {s:?} is not yuan ≥ 0 with at most 2 decimals")))
}

fn building(s: &str) -> Result<BuildingNo, AppError> {
    BuildingNo::parse(s).ok_or_else(|| bad(format!("building: {s:?} is not a building number")))
}

/// Both schedules of a round as it stands: (strict, best value), or why none can be made.
pub(crate) fn schedules(r: &RoundRecord) -> Option<(PlanOutput, PlanOutput)> {
    let round = r.round().ok()?;
    Some((plan(&round, Policy::Strict), plan(&round, Policy::BestValue)))
}

// ---------------------------------------------------------------------------------------------
// The writes, once for the page and the API.

/// A call for plans.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RoundBody {
    title: String,
    #[serde(default)]
    notice: String,
    /// The last day plans are due, YYYY-MM-DD.
    deadline: String,
    phases: Vec<PhaseBody>,
    /// The rubric; the default (condition 3, support 2, safety 2, elderly 2, time waited 1) if
    /// empty.
    #[serde(default)]
    criteria: Vec<CriterionBody>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct PhaseBody {
    label: String,
    /// Yuan, a decimal string.
    budget: String,
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    capacity: u32,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct CriterionBody {
    name: String,
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    weight: u32,
}

pub async fn open_round(state: &AppState, v: &Viewer, csrf: Option<&str>, b: &RoundBody) -> Result<String, AppError> {
    v.acting(CorridorsAction::RunRound, Subject::Compound, csrf)?;
    let deadline =
        parse_day(b.deadline.trim()).ok_or_else(|| bad(format!("deadline: {:?} is not a date", b.deadline)))?;
    let mut phases = Vec::new();
    for (i, p) in b.phases.iter().enumerate() {
        phases.push((p.label.clone(), money(&format!("phases[{i}].budget"), &p.budget)?, p.capacity));
    }
    let criteria = if b.criteria.is_empty() {
        default_rubric()
    } else {
        b.criteria.iter().map(|c| Criterion { name: c.name.clone(), weight: c.weight }).collect()
    };
    let r = NewRound { title: b.title.clone(), notice: b.notice.clone(), deadline, phases, criteria };
    Ok(state.store.open_corridor_round(v.compound(), &r, v.actor()).await?)
}

/// A building's plan.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct PlanBody {
    /// Any of floors, walls, lights, notice-boards.
    works: Vec<String>,
    #[serde(default)]
    description: String,
    /// The estimated cost in yuan, a decimal string.
    cost: String,
    /// Residents' signatures of support (at most the building's households).
    #[serde(deserialize_with = "crate::kit::forms::whole_number")]
    #[schema(value_type = u32)]
    signatures: u32,
}

pub async fn submit(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &BuildingNo,
    p: &PlanBody,
) -> Result<(), AppError> {
    v.acting(CorridorsAction::SubmitPlan, Subject::Building(b.as_str()), csrf)?;
    let mut works = Vec::new();
    for w in &p.works {
        works.push(
            Work::parse(w).ok_or_else(|| bad(format!("works: {w:?} is not floors, walls, lights or notice-boards")))?,
        );
    }
    let cost = money("cost", &p.cost)?;
    Ok(state
        .store
        .submit_corridor_plan(v.compound(), id, b, &works, &p.description, cost, p.signatures, v.actor())
        .await?)
}

/// A reviewer's marks on a building's plan: one per criterion, 0 to 10 with two decimals.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct MarksBody {
    marks: Vec<String>,
}

pub async fn score(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &BuildingNo,
    m: &MarksBody,
) -> Result<(), AppError> {
    v.acting(CorridorsAction::ScorePlans, Subject::Compound, csrf)?;
    let mut marks = Vec::new();
    for (i, s) in m.marks.iter().enumerate() {
        let v = Score::parse(s).map(|s| s.hundredths()).ok_or_else(|| {
            AppError::from(
                CorridorRefusal::BadMarks { reason: format!("marks[{i}] {s:?} is not a number from 0 to 10") }
                    .refused(),
            )
        })?;
        marks.push(v);
    }
    let lives_in = v.member().buildings();
    Ok(state
        .store
        .score_corridor_plan(v.compound(), id, b, (&v.account.id, &v.account.name), &lives_in, &marks, v.actor())
        .await?)
}

/// The residents' committee's recommendation.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct RecommendBody {
    /// strict or best-value.
    policy: String,
    #[serde(default)]
    reason: String,
}

pub async fn recommend(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &RecommendBody,
) -> Result<(), AppError> {
    v.acting(CorridorsAction::RunRound, Subject::Compound, csrf)?;
    let policy =
        Policy::parse(&b.policy).ok_or_else(|| bad(format!("policy: {:?} is not strict or best-value", b.policy)))?;
    Ok(state.store.recommend_corridors(v.compound(), id, policy, &b.reason, v.actor()).await?)
}

/// The owners' committee's decision.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct DecisionBody {
    /// adopt or return.
    decision: String,
    /// Why it is returned (required to return).
    #[serde(default)]
    reason: String,
}

pub async fn decide(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &DecisionBody,
) -> Result<(), AppError> {
    v.acting(CorridorsAction::AdoptSchedule, Subject::Compound, csrf)?;
    match b.decision.as_str() {
        "adopt" => {
            let r = state.store.corridor_round(v.compound(), id).await?;
            let policy = r.recommended.unwrap_or_default();
            let round = r.round()?;
            let out = plan(&round, policy);
            let mut schedule: Vec<(BuildingNo, Option<u32>)> = Vec::new();
            for ph in &out.phases {
                schedule.extend(ph.buildings.iter().filter_map(|b| BuildingNo::parse(b)).map(|b| (b, Some(ph.phase))));
            }
            schedule.extend(out.unscheduled.iter().filter_map(|b| BuildingNo::parse(b)).map(|b| (b, None)));
            let today = day_of(crate::now_ms());
            Ok(state.store.adopt_corridors(v.compound(), id, &schedule, today, v.actor()).await?)
        }
        "return" => Ok(state.store.return_corridors(v.compound(), id, &b.reason, v.actor()).await?),
        other => Err(bad(format!("decision: {other:?} is not adopt or return"))),
    }
}

pub async fn posted(state: &AppState, v: &Viewer, csrf: Option<&str>, id: &str, on: &str) -> Result<(), AppError> {
    v.acting(CorridorsAction::AdoptSchedule, Subject::Compound, csrf)?;
    let today = day_of(crate::now_ms());
    let on = parse_day(on.trim())
        .filter(|d| *d <= today)
        .ok_or_else(|| bad(format!("on: {on:?} is not a date on or before {today}")))?;
    Ok(state.store.post_corridors(v.compound(), id, on, v.actor()).await?)
}

/// A building's progress.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ProgressBody {
    /// not-started, under-way, done, accepted (accepted: the building's leader).
    progress: String,
    #[serde(default)]
    note: String,
}

pub async fn progress(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    b: &BuildingNo,
    p: &ProgressBody,
) -> Result<(), AppError> {
    let progress = Progress::parse(&p.progress)
        .ok_or_else(|| bad(format!("progress: {:?} is not not-started, under-way, done or accepted", p.progress)))?;
    match progress {
        // the building's leader accepts the finished work
        Progress::Accepted => v.acting(CorridorsAction::SubmitPlan, Subject::Building(b.as_str()), csrf)?,
        _ => v.acting(CorridorsAction::RecordProgress, Subject::Compound, csrf)?,
    }
    Ok(state.store.set_corridor_progress(v.compound(), id, b, progress, &p.note, v.actor()).await?)
}

pub async fn actual(
    state: &AppState,
    v: &Viewer,
    csrf: Option<&str>,
    id: &str,
    phase: u32,
    amount: &str,
) -> Result<(), AppError> {
    v.acting(CorridorsAction::RecordProgress, Subject::Compound, csrf)?;
    let a = money("actual", amount)?;
    Ok(state.store.set_corridor_actual(v.compound(), id, phase, a, v.actor()).await?)
}

// ---------------------------------------------------------------------------------------------
// The page forms: each goes back to the round's page, or shows it again with the refusal.

async fn back(state: &AppState, p: &Prefs, v: &Viewer, id: &str, r: Result<(), AppError>, anchor: &str) -> Answer {
    match crate::kit::error::on_the_page(r)? {
        Ok(()) => Ok(see_other(&format!("/corridors/{id}?saved=1#{anchor}"))),
        Err(x) => views::round_view(state, p, v, id, false, x.say(p.lang), Some(x.kind())).await,
    }
}

fn lines(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split([',', '，']).map(|c| c.trim().to_string()).collect())
        .collect()
}

async fn open_save(State(state): State<AppState>, p: Prefs, v: Viewer, body: String) -> Answer {
    let f = Fields::parse(&body);
    let mut phases = Vec::new();
    for (i, l) in lines(f.get("phases").unwrap_or("")).iter().enumerate() {
        match l.as_slice() {
            [label, budget, cap] => phases.push(PhaseBody {
                label: label.clone(),
                budget: budget.clone(),
                capacity: cap
                    .parse()
                    .map_err(|_| bad(format!("phases line {}: capacity {cap:?} is not a whole number", i + 1)))?,
            }),
            _ => return Err(bad(format!("phases line {}: write label, budget, capacity", i + 1))),
        }
    }
    let mut criteria = Vec::new();
    for (i, l) in lines(f.get("criteria").unwrap_or("")).iter().enumerate() {
        match l.as_slice() {
            [name, w] => criteria.push(CriterionBody {
                name: name.clone(),
                weight: w
                    .parse()
                    .map_err(|_| bad(format!("criteria line {}: weight {w:?} is not a whole number", i + 1)))?,
            }),
            _ => return Err(bad(format!("criteria line {}: write name, weight", i + 1))),
        }
    }
    let b = RoundBody {
        title: f.one("title").into(),
        notice: f.one("notice").into(),
        deadline: f.one("deadline").into(),
        phases,
        criteria,
    };
    match crate::kit::error::on_the_page(open_round(&state, &v, Some(f.one("csrf")), &b).await)? {
        Ok(id) => Ok(see_other(&format!("/corridors/{id}"))),
        Err(x) => views::list_view(&state, &p, &v, x.say(p.lang)).await,
    }
}

async fn plan_save(State(state): State<AppState>, p: Prefs, v: Viewer, Path(id): Path<String>, body: String) -> Answer {
    let f = Fields::parse(&body);
    let b = building(f.one("building"))?;
    let pb = PlanBody {
        works: f.all("works").to_vec(),
        description: f.one("description").into(),
        cost: f.one("cost").into(),
        signatures: f.one("signatures").parse().unwrap_or(u32::MAX),
    };
    let r = submit(&state, &v, Some(f.one("csrf")), &id, &b, &pb).await;
    back(&state, &p, &v, &id, r, &format!("b-{b}")).await
}

async fn marks_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = building(f.one("building"))?;
    let r = score(&state, &v, Some(f.one("csrf")), &id, &b, &MarksBody { marks: f.all("mark").to_vec() }).await;
    back(&state, &p, &v, &id, r, "review").await
}

async fn recommend_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = RecommendBody { policy: f.one("policy").into(), reason: f.one("reason").into() };
    let r = recommend(&state, &v, Some(f.one("csrf")), &id, &b).await;
    back(&state, &p, &v, &id, r, "decision").await
}

async fn decision_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = DecisionBody { decision: f.one("decision").into(), reason: f.one("reason").into() };
    let r = decide(&state, &v, Some(f.one("csrf")), &id, &b).await;
    back(&state, &p, &v, &id, r, "decision").await
}

async fn posted_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let r = posted(&state, &v, Some(f.one("csrf")), &id, f.one("on")).await;
    back(&state, &p, &v, &id, r, "decision").await
}

async fn progress_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let b = building(f.one("building"))?;
    let r = progress(
        &state,
        &v,
        Some(f.one("csrf")),
        &id,
        &b,
        &ProgressBody { progress: f.one("progress").into(), note: f.one("note").into() },
    )
    .await;
    back(&state, &p, &v, &id, r, "progress").await
}

/// A building leader adds a photo of the plan or of the accepted work (multipart: building, kind,
/// photo).
async fn photo_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    mp: axum::extract::Multipart,
) -> Answer {
    let (fields, files) = crate::kit::forms::read_multipart(mp).await?;
    let get = |k: &str| fields.get(k).map(|s| s.trim()).unwrap_or("");
    let b = building(get("building"))?;
    v.acting(CorridorsAction::SubmitPlan, Subject::Building(b.as_str()), fields.get("csrf").map(String::as_str))?;
    let file = files.iter().find(|f| f.0 == "photo");
    let (name, ct, bytes) = file.map(|f| (f.1.as_str(), f.2.as_str(), f.3.as_slice())).unwrap_or(("", "", &[]));
    let r = state
        .store
        .add_corridor_photo(v.compound(), &id, &b, get("kind"), (name, ct, bytes), v.actor())
        .await
        .map(|_| ())
        .map_err(AppError::from);
    back(&state, &p, &v, &id, r, &format!("b-{b}")).await
}

/// A round's photo, to everyone in the compound: always a download with a type chosen from its
/// name, sandboxed, never active content.
async fn photo(State(state): State<AppState>, v: Viewer, Path((id, photo)): Path<(String, String)>) -> Answer {
    use axum::http::{HeaderValue, header};
    let a = state.store.corridor_photo(v.compound(), &id, &photo).await?;
    let mut r = a.bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(crate::projects::files::served_type(&a.name)));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment"));
    h.insert("content-security-policy", HeaderValue::from_static("sandbox; default-src 'none'"));
    Ok(r)
}

async fn actual_save(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    body: String,
) -> Answer {
    let f = Fields::parse(&body);
    let phase: u32 =
        f.one("phase").parse().map_err(|_| bad(format!("phase: {:?} is not a phase number", f.one("phase"))))?;
    let r = actual(&state, &v, Some(f.one("csrf")), &id, phase, f.one("actual")).await;
    back(&state, &p, &v, &id, r, "progress").await
}
