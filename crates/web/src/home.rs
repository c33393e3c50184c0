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
            units: vec![],
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
    Ok(html(render(&Home {
        t,
        c,
        signed_in: true,
        matters: ms.iter().map(|m| matter_row(t, m)).collect(),
        can_prepare: v.may(VotingAction::PrepareMatter, Subject::Compound),
        can_manage: v.may(AccountsAction::ManageAccounts, Subject::Compound),
        can_audit: v.may(AccountsAction::ReadAudit, Subject::Compound),
        units: v.account.units().iter().map(|u| u.unit.to_string()).collect(),
    })))
}
