//! Reminders to vote: one in-app notice to each person who votes for a unit on the roll that has
//! not voted, queued in the outbox with the audit entry that says who sent them; cancelled, unsent,
//! the moment the unit votes (see [`crate::kit::outbox::cancel_vote_reminders`]).

use crate::kit::audit::append;
use crate::kit::outbox::{Channel, Outgoing, VOTE_REMINDER, queue};
use crate::{Actor, Result, Store};
use gongzhi_core::MatterStatus;
use gongzhi_core::voting::VotingRefusal;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

/// The days before a vote's window ends on which the scheduled reminders go.
pub const REMINDER_DAYS: [i64; 3] = [7, 3, 1];
const DAY: i64 = 86_400_000;

/// Who votes for a unit on the roll that has not voted: account → its units, in order.
async fn owed(conn: &mut AnyConnection, compound: &str, matter: &str) -> Result<BTreeMap<String, Vec<String>>> {
    let rows = sqlx::query(
        "SELECT au.account_id, au.unit_no FROM account_units au \
         JOIN roll_entries r ON r.compound_id = au.compound_id AND r.matter_id = $2 AND r.unit_no = au.unit_no \
         LEFT JOIN ballots b ON b.compound_id = au.compound_id AND b.matter_id = $2 AND b.unit_no = au.unit_no \
         WHERE au.compound_id = $1 AND au.voter = 1 AND b.unit_no IS NULL ORDER BY au.account_id, au.unit_no",
    )
    .bind(compound)
    .bind(matter)
    .fetch_all(&mut *conn)
    .await?;
    let mut owed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        owed.entry(r.get(0)).or_default().push(r.get(1));
    }
    Ok(owed)
}

#[allow(clippy::too_many_arguments)]
fn reminder(
    title: &str,
    matter: &str,
    ends: &str,
    days_left: Option<i64>,
    account: &str,
    units: &[String],
    dedupe: Option<String>,
    due_at: i64,
) -> Outgoing {
    let when = match (ends.is_empty(), days_left) {
        (true, _) => "正在进行".to_string(),
        (false, Some(d)) => format!("还有 {d} 天，到 {ends} 24:00 截止"),
        (false, None) => format!("到 {ends} 24:00 截止"),
    };
    Outgoing {
        channel: Channel::InApp,
        recipient: account.to_string(),
        kind: VOTE_REMINDER.into(),
        subject: format!("请为“{title}”投票"),
        body: format!(
            "“{title}”的投票{when}。您家 {} 还没有投票，可在网上投票，也可向居委会领取纸质表决票。",
            units.join("、")
        ),
        dedupe,
        about: Some(matter.to_string()),
        due_at,
    }
}

/// Schedules, inside the caller's transaction (opening the vote, or extending its window), a
/// reminder to each voter who has not voted on each of [`REMINDER_DAYS`] before the window ends
/// that is still ahead; reminders scheduled before for an earlier end are cancelled. A unit that
/// votes has its reminders cancelled (see [`crate::kit::outbox::cancel_vote_reminders`]).
pub(crate) async fn schedule_vote_reminders(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    title: &str,
    window_end: Option<i64>,
    now: i64,
) -> Result<usize> {
    sqlx::query(
        "UPDATE outbox SET status = 'cancelled' WHERE compound_id = $1 AND about = $2 AND kind = $3 \
         AND status = 'queued' AND dedupe LIKE 'sched:%'",
    )
    .bind(compound)
    .bind(matter)
    .bind(VOTE_REMINDER)
    .execute(&mut *conn)
    .await?;
    let Some(end) = window_end else { return Ok(0) };
    let owed = owed(conn, compound, matter).await?;
    let ends = gongzhi_core::time::date(end);
    let mut msgs = Vec::new();
    for d in REMINDER_DAYS {
        let due = end - d * DAY;
        if due <= now {
            continue;
        }
        for (account, units) in &owed {
            let key = format!("sched:{matter}:{due}:{account}");
            msgs.push(reminder(title, matter, &ends, Some(d), account, units, Some(key), due));
        }
    }
    Ok(queue(conn, compound, &msgs, now).await?.len())
}

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
        let owed = owed(&mut tx, compound, matter).await?;
        let ends = m.window_end.map(gongzhi_core::time::date).unwrap_or_default();
        let msgs: Vec<Outgoing> = owed
            .iter()
            .map(|(account, units)| reminder(&m.title, matter, &ends, None, account, units, None, now))
            .collect();
        let ids = queue(&mut tx, compound, &msgs, now).await?;
        append(&mut tx, compound, actor.login, "matter.remind", matter, &format!("queued={}", ids.len())).await?;
        tx.commit().await?;
        Ok(ids.len())
    }
}
