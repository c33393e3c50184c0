//! The corridor pages: the rounds, one round (its plans, review, both schedules side by side with
//! every building's explanation, the recommendation and decision, progress), and the published
//! schedule with its chart.

use super::schedules;
use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::kit::forms::Path;
use crate::kit::i18n::Tr;
use crate::kit::{Answer, Prefs, html, render};
use askama::Template;
use axum::extract::State;
use gongzhi_core::accounts::policy::Subject;
use gongzhi_core::corridors::PlanOutput;
use gongzhi_core::corridors::policy::CorridorsAction;
use gongzhi_core::corridors::review::{Progress, support_percent};
use gongzhi_core::kit::Lang;
use gongzhi_store::corridors::{RoundRecord, Stage};
use serde::Deserialize;

crate::kit::i18n::messages! {
    corridors => "美丽楼道", "Corridor renovation";
    corridors_hint => "楼组长提交本楼楼道方案，居委会按评审细则评分并提出分期排期建议，业委会决定后公告。每栋楼都能看到自己排在第几期、为什么。",
        "Building leaders submit their building's corridor plan, the residents' committee scores it and recommends a phased schedule, the owners' committee decides and posts it. Every building sees its phase and why.";
    no_rounds => "还没有楼道方案征集。", "No corridor rounds yet.";
    open_call => "发起方案征集", "Open a call for plans";
    round_title => "名称", "Title";
    round_notice => "征集公告", "Notice";
    round_deadline => "截止日期", "Deadline";
    phases_lines => "分期（每行：名称, 预算（元）, 可施工楼栋数）", "Phases (one per line: label, budget in yuan, buildings)";
    criteria_lines => "评审细则（每行：名称, 权重；留空用默认细则）", "Rubric (one per line: name, weight; empty for the default)";
    stage_call => "征集中", "taking plans";
    stage_recommended => "已提出排期建议，待业委会决定", "recommended, awaiting the committee";
    stage_adopted => "业委会已决定", "adopted by the committee";
    stage_returned => "业委会退回", "returned by the committee";
    plans => "各楼方案", "The plans";
    col_building => "楼号", "Building";
    col_works => "内容", "Works";
    col_cost => "估算费用（元）", "Estimated cost (yuan)";
    col_support => "居民签名", "Residents' signatures";
    col_score => "评分", "Score";
    col_phase => "期次", "Phase";
    col_progress => "进度", "Progress";
    late_mark => "逾期提交", "late";
    no_plan_yet => "未提交", "no plan";
    my_plan => "本楼方案", "Your building's plan";
    works_label => "施工内容", "Works";
    work_floors => "地面", "floors";
    work_walls => "墙面粉刷", "walls";
    work_lights => "照明", "lights";
    work_boards => "信息栏", "notice boards";
    plan_description => "说明", "Description";
    plan_cost => "估算费用（元）", "Estimated cost (yuan)";
    plan_signatures => "支持的居民签名数", "Residents' signatures of support";
    submit_plan => "提交方案", "Submit the plan";
    review => "评审", "Review";
    review_hint => "每项 0–10 分，可有两位小数；住在该楼的评审人回避。所有评审人的评分随建议公布。", "Each criterion 0–10, two decimals allowed; a reviewer living in the building abstains. Every reviewer's marks are published with the recommendation.";
    score_plan => "提交评分", "Submit the marks";
    reviewer_marks => "评审人评分", "Reviewers' marks";
    schedules => "两种排期方案", "The two schedules";
    policy_strict => "严格按评分", "Strict order";
    policy_strict_hint => "评分从高到低，每栋楼排进预算和施工量都还够的最早一期。", "By descending score, each building into the earliest phase its cost and a place still fit.";
    policy_best => "总等待最少", "Best value";
    policy_best_hint => "在每期预算和施工量内，使评分×期次之和最小（未排入的按最后一期之后计）。", "The least total of score × phase within every phase's budget and capacity (unscheduled counting after the last phase).";
    phase_word => "第", "Phase";
    phase_suffix => "期", "";
    spent => "用款", "spent";
    of_budget => "预算", "of";
    unscheduled => "未排入", "Unscheduled";
    objective => "总等待（评分×期次）", "Total waiting (score × phase)";
    explanations => "每栋楼为什么排在这里", "Why each building is where it is";
    recommend => "提出排期建议", "Recommend a schedule";
    recommend_reason => "理由", "Reason";
    recommended_is => "居委会建议采用", "The residents' committee recommends";
    decide => "业委会决定", "The committee's decision";
    adopt => "采用建议", "Adopt it";
    return_it => "退回（须说明理由）", "Return it (say why)";
    return_reason => "退回理由", "Reason for returning it";
    returned_because => "退回理由：", "Returned because:";
    cor_adopted_on => "决定日期", "Adopted on";
    cor_posted_on => "公告日期", "Posted on";
    cor_posting_due => "应在三日内公告，最迟", "To be posted within 3 days, by";
    cor_mark_posted => "记录公告日期", "Record the posting day";
    published => "公告与进度图", "The notice and the chart";
    progress => "施工进度", "Progress";
    record_progress => "记录进度", "Record progress";
    actual_cost => "实际费用（元）", "Actual cost (yuan)";
    record_actual => "记录实际费用", "Record the actual cost";
    accept_work => "验收（楼组长）", "Accept (building leader)";
    chart_label => "各楼施工期次示意图", "Chart of each building's phase";
    cor_notice_heading => "楼道粉刷排期公告", "Corridor renovation schedule";
    saved_ok => "已保存。", "Saved.";
    add_photo => "上传照片", "Add a photo";
    photo_kind => "照片用途", "The photo shows";
    plan_photo => "方案照片", "plan photo";
    accept_photo => "验收照片", "acceptance photo";
    photo_file => "照片", "Photo";
}

pub struct RoundRow {
    pub id: String,
    pub title: String,
    pub stage: String,
}

#[derive(Template)]
#[template(path = "corridors/list.html")]
pub struct ListPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub rounds: Vec<RoundRow>,
    pub can_run: bool,
    pub error: String,
}

fn stage_label(t: &Tr, s: Stage) -> &'static str {
    match s {
        Stage::Call => t.stage_call(),
        Stage::Recommended => t.stage_recommended(),
        Stage::Adopted => t.stage_adopted(),
        Stage::Returned => t.stage_returned(),
    }
}

pub(super) async fn list_view(state: &AppState, p: &Prefs, v: &Viewer, error: String) -> Answer {
    let t = p.t();
    let rounds = state
        .store
        .corridor_rounds(v.compound())
        .await?
        .into_iter()
        .map(|(id, title, s)| RoundRow { id, title, stage: stage_label(&t, s).into() })
        .collect();
    let page = ListPage {
        c: chrome(state, p, Some(v), "/corridors").await,
        rounds,
        can_run: v.may(CorridorsAction::RunRound, Subject::Compound),
        error,
        t,
    };
    let mut a = html(render(&page));
    if !page.error.is_empty() {
        *a.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(a)
}

pub(super) async fn list_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    list_view(&state, &p, &v, String::new()).await
}

pub struct PlanRow {
    pub building: String,
    pub works: String,
    pub cost: String,
    pub support: String,
    pub late: bool,
    pub score: String,
    pub phase: String,
    pub progress: String,
    pub reviewers: Vec<String>,
    /// (attachment id, name, kind)
    pub photos: Vec<(String, String, String)>,
}

pub struct PhaseCol {
    pub label: String,
    pub buildings: String,
    pub spent: String,
    pub budget: String,
}

pub struct ScheduleCol {
    pub key: String,
    pub name: String,
    pub hint: String,
    pub phases: Vec<PhaseCol>,
    pub unscheduled: String,
    pub objective: String,
}

pub struct ProgressPhase {
    pub phase: u32,
    pub label: String,
    pub budget: String,
    pub actual: String,
}

#[derive(Template)]
#[template(path = "corridors/round.html")]
pub struct RoundPage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub id: String,
    pub title: String,
    pub notice: String,
    pub deadline: String,
    pub stage: String,
    pub stage_key: String,
    pub plans: Vec<PlanRow>,
    pub criteria: Vec<String>,
    /// The buildings this viewer leads (may submit for), and the buildings they may score.
    pub my_buildings: Vec<String>,
    pub score_buildings: Vec<String>,
    pub can_score: bool,
    pub can_run: bool,
    pub can_adopt: bool,
    pub can_progress: bool,
    pub schedules: Vec<ScheduleCol>,
    pub explanations: Vec<(String, String, String)>,
    pub recommended: String,
    pub recommendation: String,
    pub adopted_on: String,
    pub posted_on: String,
    pub posting_due: String,
    pub return_reason: String,
    pub phases: Vec<ProgressPhase>,
    pub progress_keys: Vec<(String, String)>,
    pub saved: bool,
    pub error: String,
}

fn works_label(t: &Tr, r: &gongzhi_store::corridors::PlanRecord) -> String {
    r.works
        .iter()
        .map(|w| match w {
            gongzhi_core::corridors::review::Work::Floors => t.work_floors(),
            gongzhi_core::corridors::review::Work::Walls => t.work_walls(),
            gongzhi_core::corridors::review::Work::Lights => t.work_lights(),
            gongzhi_core::corridors::review::Work::NoticeBoards => t.work_boards(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn schedule_col(t: &Tr, r: &RoundRecord, out: &PlanOutput) -> ScheduleCol {
    let (name, hint) = match out.policy {
        gongzhi_core::corridors::Policy::Strict => (t.policy_strict(), t.policy_strict_hint()),
        gongzhi_core::corridors::Policy::BestValue => (t.policy_best(), t.policy_best_hint()),
    };
    ScheduleCol {
        key: out.policy.as_str().into(),
        name: name.into(),
        hint: hint.into(),
        phases: out
            .phases
            .iter()
            .zip(&r.phases)
            .map(|(ph, rp)| PhaseCol {
                label: rp.label.clone(),
                buildings: ph.buildings.join("、"),
                spent: ph.cost.readable(),
                budget: rp.budget.readable(),
            })
            .collect(),
        unscheduled: out.unscheduled.join("、"),
        objective: out.objective.to_string(),
    }
}

pub(super) async fn round_view(
    state: &AppState,
    p: &Prefs,
    v: &Viewer,
    id: &str,
    saved: bool,
    error: String,
    kind: Option<gongzhi_core::kit::refusal::Kind>,
) -> Answer {
    let t = p.t();
    let r = state.store.corridor_round(v.compound(), id).await?;
    let photos = state.store.corridor_photos(v.compound(), id).await?;
    let scored = r.scored();
    let plans = r
        .plans
        .iter()
        .zip(&scored)
        .map(|(pl, (_, s))| PlanRow {
            building: pl.building.to_string(),
            works: works_label(&t, pl),
            cost: pl.cost.readable(),
            support: format!(
                "{}/{} ({}%)",
                pl.signatures,
                pl.households,
                support_percent(pl.signatures, pl.households)
            ),
            late: pl.late,
            score: s.map(|s| s.to_string()).unwrap_or_else(|| "—".into()),
            phase: r
                .adopted
                .iter()
                .find(|(b, _)| *b == pl.building)
                .map(|(_, ph)| match ph {
                    Some(n) => r.phases.get(*n as usize - 1).map(|x| x.label.clone()).unwrap_or_else(|| n.to_string()),
                    None => t.unscheduled().into(),
                })
                .unwrap_or_default(),
            progress: p.lang.pick(pl.progress.zh(), pl.progress.en()).into(),
            reviewers: r
                .marks
                .iter()
                .filter(|m| m.building == pl.building)
                .map(|m| {
                    let marks: Vec<String> = m
                        .marks
                        .marks
                        .iter()
                        .map(|x| gongzhi_core::corridors::Score::from_hundredths(*x).to_string())
                        .collect();
                    let s = gongzhi_core::corridors::review::reviewer_score(&r.criteria, &m.marks)
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    format!("{}: {} → {s}", m.marks.reviewer, marks.join(" / "))
                })
                .collect(),
            photos: photos
                .iter()
                .filter(|x| x.building == pl.building)
                .map(|x| (x.id.clone(), x.name.clone(), x.kind.clone()))
                .collect(),
        })
        .collect();
    let (cols, explanations) = match schedules(&r) {
        Some((s, b)) => {
            let ex = b
                .explanations
                .0
                .iter()
                .map(|(bld, both)| {
                    let strict = s
                        .explanations
                        .0
                        .iter()
                        .find(|(x, _)| x == bld)
                        .map(|(_, e)| p.lang.pick(&e.zh, &e.en).to_string());
                    (bld.clone(), strict.unwrap_or_default(), p.lang.pick(&both.zh, &both.en).to_string())
                })
                .collect();
            (vec![schedule_col(&t, &r, &s), schedule_col(&t, &r, &b)], ex)
        }
        None => (vec![], vec![]),
    };
    let my_buildings: Vec<String> = v
        .member()
        .buildings()
        .into_iter()
        .filter(|b| v.may(CorridorsAction::SubmitPlan, Subject::Building(b)))
        .collect();
    let lives = v.member().buildings();
    let score_buildings = r.plans.iter().map(|p| p.building.to_string()).filter(|b| !lives.contains(b)).collect();
    let rest = state.store.rest_days(v.compound()).await?;
    let rule = state.store.voting_settings(v.compound()).await?.periods;
    let page = RoundPage {
        c: chrome(state, p, Some(v), &format!("/corridors/{id}")).await,
        id: r.id.clone(),
        title: r.title.clone(),
        notice: r.notice.clone(),
        deadline: r.deadline.to_string(),
        stage: stage_label(&t, r.stage).into(),
        stage_key: r.stage.as_str().into(),
        plans,
        criteria: r.criteria.iter().map(|c| format!("{} ×{}", c.name, c.weight)).collect(),
        my_buildings,
        score_buildings,
        can_score: v.may(CorridorsAction::ScorePlans, Subject::Compound),
        can_run: v.may(CorridorsAction::RunRound, Subject::Compound),
        can_adopt: v.may(CorridorsAction::AdoptSchedule, Subject::Compound),
        can_progress: v.may(CorridorsAction::RecordProgress, Subject::Compound),
        schedules: cols,
        explanations,
        recommended: r
            .recommended
            .map(|x| match x {
                gongzhi_core::corridors::Policy::Strict => t.policy_strict(),
                gongzhi_core::corridors::Policy::BestValue => t.policy_best(),
            })
            .unwrap_or("")
            .into(),
        recommendation: r.recommendation.clone(),
        adopted_on: r.adopted_on.map(|d| d.to_string()).unwrap_or_default(),
        posted_on: r.posted_on.map(|d| d.to_string()).unwrap_or_default(),
        posting_due: r
            .adopted_on
            .map(|d| gongzhi_core::committee::meetings::posting(d, None, d, rule, &rest).due.to_string())
            .unwrap_or_default(),
        return_reason: r.return_reason.clone(),
        phases: r
            .phases
            .iter()
            .enumerate()
            .map(|(i, ph)| ProgressPhase {
                phase: i as u32 + 1,
                label: ph.label.clone(),
                budget: ph.budget.readable(),
                actual: ph.actual.map(|a| a.readable()).unwrap_or_else(|| "—".into()),
            })
            .collect(),
        progress_keys: Progress::ALL
            .iter()
            .map(|x| (x.as_str().to_string(), p.lang.pick(x.zh(), x.en()).to_string()))
            .collect(),
        saved,
        error,
        t,
    };
    let mut a = html(render(&page));
    if let Some(k) = kind {
        *a.status_mut() = crate::kit::error::status_of(k);
    }
    Ok(a)
}

#[derive(Deserialize)]
pub(crate) struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

pub(super) async fn round_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Answer {
    round_view(&state, &p, &v, &id, q.saved.is_some(), String::new(), None).await
}

#[derive(Template)]
#[template(path = "corridors/schedule.html")]
pub struct SchedulePage {
    pub t: Tr,
    pub c: crate::kit::Chrome,
    pub title: String,
    pub adopted_on: String,
    pub posted_on: String,
    pub chart: String,
    pub rows: Vec<(String, String, String)>,
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A Gantt-style chart of the adopted schedule: a row per building, a bar in its phase's column,
/// shaded by progress.
pub fn gantt(r: &RoundRecord, lang: Lang) -> String {
    let cols = r.phases.len().max(1) + 1;
    let (left, w, h, top) = (48, 64, 16, 24);
    let width = left + cols * w + 8;
    let height = top + r.adopted.len() * h + 8;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-labelledby=\"gantt-title\"><title id=\"gantt-title\">{}</title>",
        esc(lang.pick("各楼施工期次示意图", "Each building's phase"))
    );
    for (i, ph) in r.phases.iter().enumerate() {
        s.push_str(&format!(
            "<text x=\"{}\" y=\"16\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            left + i * w + w / 2,
            esc(&ph.label)
        ));
    }
    s.push_str(&format!(
        "<text x=\"{}\" y=\"16\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
        left + (cols - 1) * w + w / 2,
        esc(lang.pick("未排入", "later"))
    ));
    let mut rows: Vec<&(gongzhi_core::registry::BuildingNo, Option<u32>)> = r.adopted.iter().collect();
    rows.sort_by(|a, b| gongzhi_core::corridors::model::building_cmp(&a.0, &b.0));
    for (k, (b, ph)) in rows.iter().enumerate() {
        let y = top + k * h;
        let col = ph.map(|n| n as usize - 1).unwrap_or(cols - 1);
        let progress = r.plans.iter().find(|p| &p.building == b).map(|p| p.progress).unwrap_or(Progress::NotStarted);
        let fill = match (ph, progress) {
            (None, _) => "#cbd5e1",
            (_, Progress::Accepted) => "#166534",
            (_, Progress::Done) => "#15803d",
            (_, Progress::UnderWay) => "#ca8a04",
            (_, Progress::NotStarted) => "#1d4ed8",
        };
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{} {}</title></rect>",
            left - 6,
            y + 12,
            esc(&format!("{b}{}", lang.pick("号楼", ""))),
            left + col * w + 4,
            y + 2,
            w - 8,
            h - 4,
            esc(b.as_str()),
            esc(lang.pick(progress.zh(), progress.en()))
        ));
    }
    s.push_str("</svg>");
    s
}

/// The adopted schedule's notice with its chart (every member of the compound).
pub(super) async fn schedule_page(
    State(state): State<AppState>,
    p: Prefs,
    v: Viewer,
    Path(id): Path<String>,
) -> Answer {
    let r = state.store.corridor_round(v.compound(), &id).await?;
    if r.stage != Stage::Adopted {
        return gongzhi_core::corridors::refusal::CorridorRefusal::WrongStage {
            title: r.title,
            status: r.stage.as_str().into(),
            wanted: "adopted".into(),
        }
        .err();
    }
    let why: Vec<(String, String)> = match r.round() {
        Ok(round) => gongzhi_core::corridors::plan(&round, r.recommended.unwrap_or_default())
            .explanations
            .0
            .into_iter()
            .map(|(b, e)| (b, p.lang.pick(e.zh, e.en)))
            .collect(),
        Err(_) => vec![],
    };
    let rows = why
        .into_iter()
        .map(|(b, e)| {
            let ph = r
                .adopted
                .iter()
                .find(|(x, _)| x.as_str() == b)
                .and_then(|(_, ph)| *ph)
                .and_then(|n| r.phases.get(n as usize - 1))
                .map(|x| x.label.clone())
                .unwrap_or_else(|| p.t().unscheduled().into());
            (b, ph, e)
        })
        .collect();
    let page = SchedulePage {
        t: p.t(),
        c: chrome(&state, &p, Some(&v), &format!("/corridors/{id}/schedule")).await,
        chart: gantt(&r, p.lang),
        title: r.title.clone(),
        adopted_on: r.adopted_on.map(|d| d.to_string()).unwrap_or_default(),
        posted_on: r.posted_on.map(|d| d.to_string()).unwrap_or_default(),
        rows,
    };
    Ok(html(render(&page)))
}
