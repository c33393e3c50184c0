//! Reminders to vote: one in-app notice to each person who votes for a unit on the roll that has
//! not voted, queued in the outbox with the audit entry that says who sent them; cancelled, unsent,
//! the moment the unit votes (see [`crate::kit::outbox::cancel_vote_reminders`]).

use crate::kit::audit::append;
use crate::kit::outbox::{Channel, Outgoing, VOTE_REMINDER, queue};
use crate::{Actor, Result, Store};
use gongzhi_core::MatterStatus;
use gongzhi_core::voting::VotingRefusal;
use sqlx::Row;
use std::collections::BTreeMap;

impl Store {
    /// Queues, now, one reminder to each person who votes for a unit on `matter`'s roll that has
    /// not voted; returns how many were queued. Only while voting is open and its window runs.
    pub async fn queue_vote_reminders(
        &self,
        compound: &str,
        matter: &str,
        actor: Actor<'_>,
        now: i64,
    ) -> Result<usize> {
        let m = self.matter(compound, matter).await?;
        if m.status != MatterStatus::Open {
            return VotingRefusal::NotOpenForVoting { matter: m.title, status: m.status }.err();
        }
        if let Some(end) = m.window_end.filter(|e| *e < now) {
            return VotingRefusal::WindowEnded { matter: m.title, ended: gongzhi_core::time::date(end) }.err();
        }
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT au.account_id, au.unit_no FROM account_units au \
             JOIN roll_entries r ON r.compound_id = au.compound_id AND r.matter_id = $2 AND r.unit_no = au.unit_no \
             LEFT JOIN ballots b ON b.compound_id = au.compound_id AND b.matter_id = $2 AND b.unit_no = au.unit_no \
             WHERE au.compound_id = $1 AND au.voter = 1 AND b.unit_no IS NULL ORDER BY au.account_id, au.unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&mut *tx)
        .await?;
        let mut owed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &rows {
            owed.entry(r.get(0)).or_default().push(r.get(1));
        }
        let ends = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        let msgs: Vec<Outgoing> = owed
            .iter()
            .map(|(account, units)| Outgoing {
                channel: Channel::InApp,
                recipient: account.clone(),
                kind: VOTE_REMINDER.into(),
                subject: format!("请为“{}”投票", m.title),
                body: format!(
                    "“{}”的投票{}。您家 {} 还没有投票，可在网上投票，也可向居委会领取纸质表决票。",
                    m.title,
                    if ends.is_empty() { "正在进行".to_string() } else { format!("到 {ends} 24:00 截止") },
                    units.join("、")
                ),
                dedupe: None,
                about: Some(matter.to_string()),
                due_at: now,
            })
            .collect();
        let ids = queue(&mut tx, compound, &msgs, now).await?;
        append(&mut tx, compound, actor.login, "matter.remind", matter, &format!("queued={}", ids.len())).await?;
        tx.commit().await?;
        Ok(ids.len())
    }
}
