//! The compound's record: the hash-chained audit log, and whether it and every closed vote's
//! sealed ballots and result are intact. Above the processes, as it checks all of them.

use crate::AppState;
use crate::accounts::Viewer;
use crate::accounts::chrome::chrome;
use crate::accounts::views::AuditPage;
use crate::kit::{Answer, Prefs, html, render};
use axum::extract::State;
use gongzhi_core::accounts::policy::{AccountsAction, Subject};
use gongzhi_core::kit::Refusal;
use gongzhi_core::time;

pub async fn audit_page(State(state): State<AppState>, p: Prefs, v: Viewer) -> Answer {
    v.require(AccountsAction::ReadAudit, Subject::Compound)?;
    let t = p.t();
    let verdict = state.store.verify_record(v.compound(), &[]).await?;
    let (intact, status) = match verdict {
        Ok(n) => (true, format!("{} ({n})", t.chain_ok())),
        Err(b) => (false, format!("{}{}", t.chain_broken(), p.lang.pick(b.zh(), b.en()))),
    };
    let mut rows: Vec<_> = state
        .store
        .audit_entries(v.compound())
        .await?
        .into_iter()
        .map(|e| (e.seq, time::datetime(e.at), e.actor, e.action, format!("{} {}", e.subject, e.detail)))
        .collect();
    rows.reverse();
    rows.truncate(500);
    Ok(html(render(&AuditPage { t, c: chrome(&state, &p, Some(&v), "/audit").await, status, intact, rows })))
}
