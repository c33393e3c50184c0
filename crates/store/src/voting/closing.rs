//! Counting, closing and sealing: the result of a matter (sealed and published when it closes,
//! never recounted after), the close that keeps the window's promise, the seal's digest in the
//! audit chain, and the check and the anchor that show a later change.

use crate::kit::audit::append;
use crate::{Actor, Result, Store, StoreError, now_ms};
use gongzhi_core::MatterStatus;
use gongzhi_core::voting::VotingRefusal;
use gongzhi_core::voting::tally::{Delivery, TallyError, tally};
use gongzhi_core::{Ballot, Tally, TallyInput, UnitNo};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The digest sealing a closed matter's ballots: every unit, choice, channel and receipt in unit
/// order (rows of `SELECT unit_no, choice, channel, receipt … ORDER BY unit_no`).
pub(crate) fn ballots_digest(rows: &[sqlx::any::AnyRow]) -> String {
    let mut h = Sha256::new();
    for r in rows {
        for i in 0..4 {
            let v: String = r.try_get(i).unwrap_or_default();
            h.update(v.as_bytes());
            h.update([0u8]);
        }
    }
    crate::kit::audit::hex(&h.finalize())
}

impl Store {
    /// The result: for a closed matter the one sealed and published when it closed (it never
    /// changes: a difference from the ballots is an alarm of `audit verify`, not a new result), for
    /// an open one the count as it stands.
    pub async fn tally(&self, compound: &str, matter: &str) -> Result<Tally> {
        let m = self.matter(compound, matter).await?;
        if m.status != MatterStatus::Closed {
            return self.count(compound, matter).await;
        }
        match self.published_tally(compound, matter).await? {
            Some(json) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Io(format!("the published result of matter {matter} is not readable: {e}"))),
            // closed but not yet published (a crash in between): publishing mends it
            None => self.publish_tally(compound, matter).await,
        }
    }

    /// The count from the ballots stored now.
    pub async fn count(&self, compound: &str, matter: &str) -> Result<Tally> {
        let m = self.matter(compound, matter).await?;
        if m.status == MatterStatus::Draft || m.status == MatterStatus::Notice {
            return VotingRefusal::NoRollYet { matter: m.title }.err();
        }
        let roll = self.roll(compound, matter).await?;
        let ballots: Vec<Ballot> = self.ballots(compound, matter).await?.into_iter().map(|b| b.0).collect();
        let delivered: Option<Vec<Delivery>> = if m.deemed_clause {
            let units: Vec<String> =
                sqlx::query_scalar("SELECT unit_no FROM deliveries WHERE compound_id = $1 AND matter_id = $2")
                    .bind(compound)
                    .bind(matter)
                    .fetch_all(&self.pool)
                    .await?;
            Some(units.iter().filter_map(|u| UnitNo::parse(u)).map(|unit| Delivery { unit, row: 0 }).collect())
        } else {
            None
        };
        tally(&TallyInput {
            units: &roll,
            scope: &m.scope,
            kind: m.kind,
            ballots: &ballots,
            delivered: delivered.as_deref(),
        })
        .map_err(|e: Vec<TallyError>| VotingRefusal::tally(e).refused().into())
    }

    /// Closes voting and seals the ballots in the audit chain (a digest of every unit, choice,
    /// channel and receipt), then publishes the tally.
    pub async fn close_matter(&self, compound: &str, matter: &str, actor: Actor<'_>) -> Result<Tally> {
        self.close_matter_at(compound, matter, actor, now_ms()).await
    }

    /// [`Store::close_matter`] as of `now` (UTC ms). The owners were promised the whole window:
    /// before its end a vote closes only when every unit on the roll has a ballot.
    pub async fn close_matter_at(&self, compound: &str, matter: &str, actor: Actor<'_>, now: i64) -> Result<Tally> {
        let m = self.matter(compound, matter).await?;
        if m.status == MatterStatus::Open
            && let Some(end) = m.window_end
            && now <= end
        {
            let roll: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM roll_entries WHERE compound_id = $1 AND matter_id = $2")
                    .bind(compound)
                    .bind(matter)
                    .fetch_one(&self.pool)
                    .await?;
            let voted: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM ballots WHERE compound_id = $1 AND matter_id = $2")
                    .bind(compound)
                    .bind(matter)
                    .fetch_one(&self.pool)
                    .await?;
            if voted < roll {
                return VotingRefusal::WindowStillRunning {
                    matter: m.title,
                    ends: gongzhi_core::time::date(end),
                    voted,
                    roll,
                }
                .err();
            }
        }
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE matters SET status = 'closed', closed_at = $1 WHERE compound_id = $2 AND id = $3 AND status = 'open'",
        )
        .bind(now)
        .bind(compound)
        .bind(matter)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            let m = self.matter(compound, matter).await?;
            return VotingRefusal::OnlyOpenCloses { matter: m.title, status: m.status }.err();
        }
        let rows = sqlx::query(
            "SELECT unit_no, choice, channel, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&mut *tx)
        .await?;
        let digest = ballots_digest(&rows);
        // a closed vote reminds nobody: what was scheduled and not yet sent is cancelled
        super::reminders::cancel_unsent(&mut tx, compound, matter).await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "matter.close",
            matter,
            &format!("ballots={} sha256={digest}", rows.len()),
        )
        .await?;
        tx.commit().await?;
        self.publish_tally(compound, matter).await
    }

    /// Counts a closed matter and stores the result; idempotent, so a crash between closing and
    /// publishing is mended by calling it again (the count of a closed matter cannot change).
    pub async fn publish_tally(&self, compound: &str, matter: &str) -> Result<Tally> {
        let t = self.count(compound, matter).await?;
        let json = serde_json::to_string(&t).map_err(|e| StoreError::Io(e.to_string()))?;
        sqlx::query(
            "INSERT INTO tallies (compound_id, matter_id, computed_at, passed, result) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (compound_id, matter_id) DO NOTHING",
        )
        .bind(compound)
        .bind(matter)
        .bind(now_ms())
        .bind(t.passed as i64)
        .bind(json)
        .execute(&self.pool)
        .await?;
        Ok(t)
    }

    /// The tally published when the matter closed, as JSON.
    pub async fn published_tally(&self, compound: &str, matter: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT result FROM tallies WHERE compound_id = $1 AND matter_id = $2")
            .bind(compound)
            .bind(matter)
            .fetch_optional(&self.pool)
            .await?)
    }
}

impl Store {
    /// The closed matters whose ballots or result no longer match what was sealed when they
    /// closed (the first found), given the compound's verified log.
    pub(crate) async fn check_closed_votes(
        &self,
        compound: &str,
        log: &[crate::kit::audit::Entry],
    ) -> Result<Option<crate::kit::audit::Break>> {
        use crate::kit::audit::Break;
        for m in self.matters(compound).await?.into_iter().filter(|m| m.status == MatterStatus::Closed) {
            let sealed = log
                .iter()
                .rev()
                .find(|e| e.action == "matter.close" && e.subject == m.id)
                .and_then(|e| e.detail.split("sha256=").nth(1).map(|d| d.trim().to_string()));
            let rows = sqlx::query(
                "SELECT unit_no, choice, channel, receipt FROM ballots WHERE compound_id = $1 AND matter_id = $2 ORDER BY unit_no",
            )
            .bind(compound)
            .bind(&m.id)
            .fetch_all(&self.pool)
            .await?;
            if sealed.as_deref() != Some(ballots_digest(&rows).as_str()) {
                return Ok(Some(Break::BallotsChanged { matter: m.title }));
            }
            let published = self.published_tally(compound, &m.id).await?;
            let recount = self.count(compound, &m.id).await.ok();
            let same = match (published.and_then(|j| serde_json::from_str::<Tally>(&j).ok()), recount) {
                (Some(p), Some(r)) => p == r,
                _ => false,
            };
            if !same {
                return Ok(Some(Break::ResultChanged { matter: m.title }));
            }
        }
        Ok(None)
    }
}

impl Store {
    /// The anchor of a closed matter, printed on its result notice: the first 16 hex digits of
    /// the hash of the log entry that sealed it, and that entry's date (`HASH@YYYY-MM-DD`). A log
    /// rewritten or wiped afterwards no longer holds it (`gongzhi audit verify --anchor`).
    pub async fn close_anchor(&self, compound: &str, matter: &str) -> Result<Option<String>> {
        let r = sqlx::query(
            "SELECT hash, at FROM audit_log WHERE compound_id = $1 AND action = 'matter.close' AND subject = $2 \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(compound)
        .bind(matter)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.and_then(|r| {
            let hash: String = r.try_get(0).ok()?;
            let at: i64 = r.try_get(1).ok()?;
            Some(format!("{}@{}", hash.get(..16)?, gongzhi_core::time::date(at)))
        }))
    }
}
