//! The home page: what the compound is deciding, and the way into each process for this person.
//! It sits above the processes (it links into all of them), so it is not in any one folder.

use crate::AppState;
use crate::accounts::MaybeViewer;
use crate::accounts::chrome::chrome;
use crate::kit::{Answer, Prefs, html, render};
use crate::voting::pages::matter_row;
use crate::voting::views::Home;
use axum::extract::State;
use gongzhi_core::MatterStatus;
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::voting::VotingAction;

pub async fn home(State(state): State<AppState>, p: Prefs, v: MaybeViewer) -> Answer {
    let t = p.t();
    let c = chrome(&state, &p, v.0.as_ref(), "/").await;
    let Some(v) = v.0 else {
        return Ok(html(render(&Home {
            t,
            c,
            signed_in: false,
            matters: vec![],
            can_prepare: false,
            can_manage: false,
            can_audit: false,
            can_settings: false,
            can_channels: false,
            can_deliveries: false,
            units: vec![],
            tasks: vec![],
            done: vec![],
        })));
    };
    let mut ms = state.store.matters(v.compound()).await?;
    ms.retain(|m| m.status != MatterStatus::Draft || v.may(VotingAction::PrepareMatter, Subject::Compound));
    let order = |s: MatterStatus| match s {
        MatterStatus::Open => 0,
        MatterStatus::Notice => 1,
        MatterStatus::Draft => 2,
        MatterStatus::Closed => 3,
    };
    ms.sort_by_key(|m| (order(m.status), std::cmp::Reverse(m.created_at)));
    let tasks = tasks(&state, t, &v, &ms).await?;
    let done = done(&state, t, &v, &ms).await?;
    Ok(html(render(&Home {
        t,
        c,
        signed_in: true,
        matters: ms.iter().map(|m| matter_row(t, m)).collect(),
        can_prepare: v.may(VotingAction::PrepareMatter, Subject::Compound),
        can_manage: v.may(AccountsAction::ManageAccounts, Subject::Compound),
        can_audit: v.may(AccountsAction::ReadAudit, Subject::Compound),
        can_settings: v.may(VotingAction::ChangeVotingSettings, Subject::Compound),
        can_channels: v.may(AccountsAction::ManageChannels, Subject::Compound),
        can_deliveries: v.may(AccountsAction::SeeDeliveries, Subject::Compound),
        units: v.account.units().iter().map(|u| u.unit.to_string()).collect(),
        tasks,
        done,
    })))
}

/// The votes this person's units have cast, open ones first: (link, what).
async fn done(
    state: &AppState,
    t: crate::kit::Tr,
    v: &crate::accounts::Viewer,
    ms: &[gongzhi_store::voting::matters::Matter],
) -> Result<Vec<(String, String)>, crate::kit::AppError> {
    let mine: Vec<String> = v.account.units().iter().map(|u| u.unit.to_string()).collect();
    let mut out = Vec::new();
    if mine.is_empty() {
        return Ok(out);
    }
    for m in ms.iter().filter(|m| matches!(m.status, MatterStatus::Open | MatterStatus::Closed)) {
        let voted = state.store.voted_units(v.compound(), &m.id).await?;
        let cast: Vec<&str> = mine.iter().filter(|u| voted.contains(*u)).map(String::as_str).collect();
        if !cast.is_empty() {
            out.push((format!("/matters/{}", m.id), format!("{}（{}）：{}", t.done_voted(), cast.join("、"), m.title)));
        }
    }
    Ok(out)
}

/// What this person has to do now, most pressing first: (link, what).
async fn tasks(
    state: &AppState,
    t: crate::kit::Tr,
    v: &crate::accounts::Viewer,
    ms: &[gongzhi_store::voting::matters::Matter],
) -> Result<Vec<(String, String)>, crate::kit::AppError> {
    let now = crate::now_ms();
    let c = v.compound();
    let mut out = Vec::new();
    for m in ms {
        let link = format!("/matters/{}", m.id);
        match m.status {
            MatterStatus::Open => {
                if v.may(VotingAction::CloseVoting, Subject::Compound) && m.window_end.is_some_and(|e| e < now) {
                    out.push((link.clone(), format!("{}：{}", t.task_close(), m.title)));
                }
                if v.may(VotingAction::ResolvePaperMismatch, Subject::Compound) {
                    let n = state.store.paper_review(c, &m.id).await?.mismatches.len();
                    if n > 0 {
                        out.push((format!("{link}/paper"), format!("{}（{n}）：{}", t.task_mismatches(), m.title)));
                    }
                }
                let mine: Vec<_> = v.account.units().iter().filter(|u| v.account.votes_for(&u.unit)).collect();
                if !mine.is_empty() && m.window_end.is_none_or(|e| e >= now) {
                    let roll = state.store.roll(c, &m.id).await?;
                    let voted = state.store.voted_units(c, &m.id).await?;
                    let owed: Vec<String> = mine
                        .iter()
                        .filter(|u| roll.iter().any(|r| r.no == u.unit) && !voted.contains(&u.unit.to_string()))
                        .map(|u| u.unit.to_string())
                        .collect();
                    if !owed.is_empty() {
                        out.push((link.clone(), format!("{}（{}）：{}", t.task_vote(), owed.join("、"), m.title)));
                    }
                }
            }
            MatterStatus::Notice if v.may(VotingAction::PrepareMatter, Subject::Compound) => {
                let run = state.store.notice_period(c, m).await?.is_some_and(|p| p.has_run(now));
                if run {
                    out.push((link, format!("{}：{}", t.task_open(), m.title)));
                }
            }
            MatterStatus::Draft if v.may(VotingAction::PrepareMatter, Subject::Compound) => {
                out.push((link, format!("{}：{}", t.task_draft(), m.title)));
            }
            _ => {}
        }
    }
    out.extend(own_building_tasks(state, t, v, ms, now).await?);
    Ok(out)
}

/// The tasks in the buildings this person lives in and looks after (a building leader's): its
/// non-voters for each open vote, in visiting order, and the next household a project should visit.
async fn own_building_tasks(
    state: &AppState,
    t: crate::kit::Tr,
    v: &crate::accounts::Viewer,
    ms: &[gongzhi_store::voting::matters::Matter],
    now: i64,
) -> Result<Vec<(String, String)>, crate::kit::AppError> {
    use gongzhi_core::Scope;
    use gongzhi_core::projects::{ProjectsAction, Stage};
    let c = v.compound();
    let mut buildings: Vec<String> = v.account.units().iter().map(|u| u.unit.building().to_string()).collect();
    buildings.sort();
    buildings.dedup();
    let mut out = Vec::new();
    for b in &buildings {
        if v.may(VotingAction::FollowUpTurnout, Subject::Building(b)) {
            for m in ms.iter().filter(|m| m.status == MatterStatus::Open && m.window_end.is_none_or(|e| e >= now)) {
                let covers = match &m.scope {
                    Scope::Compound => true,
                    Scope::Building(x) | Scope::Stairwell(x, _) => x.as_str() == b,
                };
                if !covers {
                    continue;
                }
                let roll = state.store.roll(c, &m.id).await?;
                let voted = state.store.voted_units(c, &m.id).await?;
                let missing =
                    roll.iter().filter(|u| u.building.as_str() == b && !voted.contains(&u.no.to_string())).count();
                if missing > 0 {
                    out.push((
                        format!("/matters/{}/turnout", m.id),
                        format!("{}：{b} · {missing}：{}", t.task_building_non_voters(), m.title),
                    ));
                }
            }
        }
        if v.may(ProjectsAction::EditProjects, Subject::Building(b)) {
            for p in state.store.projects(c).await? {
                let here = matches!(&p.scope, Scope::Building(x) | Scope::Stairwell(x, _) if x.as_str() == b);
                if !here || !matches!(p.stage, Stage::Intent | Stage::Consultation) {
                    continue;
                }
                let visited: std::collections::HashSet<String> =
                    state.store.visits(c, &p.id).await?.into_iter().map(|x| x.unit.to_string()).collect();
                if let Some(next) =
                    state.store.project_units(c, &p).await?.into_iter().find(|u| !visited.contains(&u.no.to_string()))
                {
                    out.push((
                        format!("/projects/{}?unit={}#visit-form", p.id, next.no),
                        format!("{}：{}（{}）", t.task_next_visit(), next.no, p.title),
                    ));
                }
            }
        }
    }
    Ok(out)
}
