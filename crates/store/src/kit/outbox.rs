//! The outbox: every message any process sends, written in the transaction of the change that
//! caused it, and delivered by workers that claim, send and record (issue 11's foundation).
//!
//! Guarantees, each tested on both databases:
//! - a message queued in a transaction that rolls back never exists; one that commits is never
//!   lost (it is a row like any other);
//! - a worker claims a batch with a lease; on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so two
//!   servers never claim the same message; SQLite has one writer, which orders the claims;
//! - a message is recorded sent once: only the worker holding the claim may record it, and a
//!   sent message is never claimed again;
//! - a worker that dies holding a claim leaves it to lapse; the message is then claimed again and
//!   sent with the same id (its Message-ID or idempotency key), so the receiver can drop the copy;
//! - a failed send is retried after a back-off that doubles (1 minute up to 6 hours); after
//!   [`MAX_ATTEMPTS`] it is a dead letter, listed for staff with every attempt and its answer.

use crate::kit::{Backend, new_id};
use crate::{Result, Store, StoreError};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// Attempts before a message becomes a dead letter.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before attempt `n + 1` after `n` failed attempts: 1 minute, doubling, at most 6 hours.
pub fn backoff_ms(failed: i64) -> i64 {
    const MINUTE: i64 = 60_000;
    let doubled = MINUTE.saturating_mul(1_i64 << failed.clamp(1, 20).saturating_sub(1));
    doubled.min(6 * 60 * MINUTE)
}

/// How a message reaches its recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// The notice list on every page.
    InApp,
    Email,
    /// A group bot or the district's system.
    Webhook,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in-app",
            Channel::Email => "email",
            Channel::Webhook => "webhook",
        }
    }
    pub fn parse(s: &str) -> Option<Channel> {
        [Channel::InApp, Channel::Email, Channel::Webhook].into_iter().find(|c| c.as_str() == s)
    }
}

/// Where a message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Queued,
    Sending,
    Sent,
    Dead,
    /// No longer needed before it was sent (the owner voted).
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Dead => "dead",
            Status::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Queued, Status::Sending, Status::Sent, Status::Dead, Status::Cancelled]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// A message to queue.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub channel: Channel,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    /// Queuing again with the same key (per compound) queues nothing.
    pub dedupe: Option<String>,
    /// What it is about (a matter's id): see [`cancel_vote_reminders`].
    pub about: Option<String>,
    /// Not sent before this (UTC ms).
    pub due_at: i64,
    /// Whom it is for (a person's id), whatever its address.
    pub person: Option<String>,
}

/// A message as the outbox holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub compound: String,
    /// Its Message-ID and idempotency key: the same on every attempt.
    pub id: String,
    pub channel: Channel,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status: Status,
    pub attempts: i64,
    pub due_at: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
    pub read_at: Option<i64>,
    pub about: Option<String>,
    pub person: Option<String>,
}

impl Message {
    /// Whether it is about this matter (a reminder to vote on it).
    pub fn about_matter(&self, matter: &str) -> bool {
        self.about.as_deref() == Some(matter)
    }
}

/// One attempt to send a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub seq: i64,
    pub at: i64,
    pub worker: String,
    pub ok: bool,
    pub answer: String,
}

const COLS: &str = "compound_id, id, channel, recipient, kind, subject, body, status, attempts, due_at, created_at, \
                    sent_at, last_error, read_at, about, person";

fn message(r: &sqlx::any::AnyRow) -> Result<Message> {
    let bad = || StoreError::Io("stored message is not valid".into());
    Ok(Message {
        compound: r.get(0),
        id: r.get(1),
        channel: Channel::parse(&r.get::<String, _>(2)).ok_or_else(bad)?,
        recipient: r.get(3),
        kind: r.get(4),
        subject: r.get(5),
        body: r.get(6),
        status: Status::parse(&r.get::<String, _>(7)).ok_or_else(bad)?,
        attempts: r.get(8),
        due_at: r.get(9),
        created_at: r.get(10),
        sent_at: r.get(11),
        last_error: r.get(12),
        read_at: r.get(13),
        about: r.get(14),
        person: r.get(15),
    })
}

/// Queues messages inside the caller's transaction: they exist exactly when its change does.
/// Returns the ids queued (a message whose `dedupe` key is already queued is left out).
pub async fn queue(conn: &mut AnyConnection, compound: &str, msgs: &[Outgoing], now: i64) -> Result<Vec<String>> {
    const ROWS: usize = 50; // twelve values a row, well under every limit on bound values
    let mut ids = Vec::new();
    for chunk in msgs.chunks(ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = |k: usize| format!("${}", i * 12 + k);
                format!(
                    "({}, {}, {}, {}, {}, {}, {}, {}, {}, 'queued', 0, {}, {}, {})",
                    p(1),
                    p(2),
                    p(3),
                    p(4),
                    p(5),
                    p(6),
                    p(7),
                    p(8),
                    p(9),
                    p(10),
                    p(11),
                    p(12)
                )
            })
            .collect();
        // only placeholders are formatted in; every value is bound
        let sql = format!(
            "INSERT INTO outbox (compound_id, id, channel, recipient, kind, subject, body, dedupe, about, status, \
             attempts, due_at, created_at, person) VALUES {} ON CONFLICT (compound_id, dedupe) DO NOTHING RETURNING id",
            values.join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for m in chunk {
            q = q
                .bind(compound)
                .bind(new_id())
                .bind(m.channel.as_str())
                .bind(&m.recipient)
                .bind(&m.kind)
                .bind(&m.subject)
                .bind(&m.body)
                .bind(&m.dedupe)
                .bind(&m.about)
                .bind(m.due_at)
                .bind(now)
                .bind(&m.person);
        }
        for r in q.fetch_all(&mut *conn).await? {
            ids.push(r.get(0));
        }
    }
    Ok(ids)
}

/// The kind of a reminder to vote.
pub const VOTE_REMINDER: &str = "vote.reminder";

/// Cancels, inside the caller's transaction (the ballot's), the reminders about `matter` not yet
/// sent to the accounts that vote for `unit`: an owner who has voted is not reminded.
pub(crate) async fn cancel_vote_reminders(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    unit: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'cancelled', claimed_by = NULL, lease_until = NULL \
         WHERE compound_id = $1 AND about = $2 AND kind = $3 AND status IN ('queued', 'sending') \
         AND person IN (SELECT account_id FROM account_units WHERE compound_id = $1 AND unit_no = $4 AND voter = 1)",
    )
    .bind(compound)
    .bind(matter)
    .bind(VOTE_REMINDER)
    .bind(unit)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Queues messages in their own transaction (for a change that has no other write).
    pub async fn queue_messages(&self, compound: &str, msgs: &[Outgoing]) -> Result<Vec<String>> {
        let mut tx = self.begin_write().await?;
        let ids = queue(&mut tx, compound, msgs, crate::now_ms()).await?;
        tx.commit().await?;
        Ok(ids)
    }

    /// Claims up to `limit` messages due at `now` for `worker`, holding them for `lease_ms`: the
    /// queued ones whose time has come and the ones whose claim lapsed (a worker that died).
    pub async fn claim_messages(&self, worker: &str, limit: i64, lease_ms: i64, now: i64) -> Result<Vec<Message>> {
        let lock = if self.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "UPDATE outbox SET status = 'sending', claimed_by = $1, lease_until = $2 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE (status = 'queued' AND due_at <= $3) OR (status = 'sending' AND lease_until < $3) \
               ORDER BY due_at, id LIMIT $4{lock}) \
             RETURNING {COLS}"
        )))
        .bind(worker)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut out = rows.iter().map(message).collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| (a.due_at, &a.id).cmp(&(b.due_at, &b.id)));
        Ok(out)
    }

    /// Records that `worker` sent a message it holds, with the other side's answer. False when the
    /// claim is no longer this worker's (it lapsed and another took it): nothing is recorded.
    pub async fn message_sent(&self, m: &Message, worker: &str, answer: &str, now: i64) -> Result<bool> {
        Ok(self.messages_sent(&[(m, answer.to_string())], worker, now).await? == 1)
    }

    /// Records, in one transaction, that `worker` sent these messages it holds, each with its
    /// answer; a message whose claim is no longer this worker's is left alone. Returns how many
    /// were recorded.
    pub async fn messages_sent(&self, sent: &[(&Message, String)], worker: &str, now: i64) -> Result<usize> {
        if sent.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut n = 0;
        for (m, answer) in sent {
            let one = sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = $1, attempts = attempts + 1, claimed_by = NULL, \
                 lease_until = NULL, last_error = NULL \
                 WHERE compound_id = $2 AND id = $3 AND status = 'sending' AND claimed_by = $4",
            )
            .bind(now)
            .bind(&m.compound)
            .bind(&m.id)
            .bind(worker)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if one == 1 {
                attempt(&mut tx, m, worker, true, answer, now).await?;
                n += 1;
            }
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Writes a message's text again just before it is sent (a digest says how things stand at
    /// that moment), while `worker` holds its claim.
    pub async fn rewrite_message(&self, m: &Message, worker: &str, subject: &str, body: &str) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE outbox SET subject = $1, body = $2 WHERE compound_id = $3 AND id = $4 AND status = 'sending' \
             AND claimed_by = $5",
        )
        .bind(subject)
        .bind(body)
        .bind(&m.compound)
        .bind(&m.id)
        .bind(worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Records that `worker` failed to send a message it holds: it is retried after the back-off,
    /// or after [`MAX_ATTEMPTS`] becomes a dead letter. False when the claim is no longer this
    /// worker's.
    pub async fn message_failed(&self, m: &Message, worker: &str, error: &str, now: i64) -> Result<bool> {
        let mut tx = self.begin_write().await?;
        let attempts: Option<i64> = sqlx::query_scalar(
            "SELECT attempts FROM outbox WHERE compound_id = $1 AND id = $2 AND status = 'sending' AND claimed_by = $3",
        )
        .bind(&m.compound)
        .bind(&m.id)
        .bind(worker)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(attempts) = attempts.map(|a| a + 1) else { return Ok(false) };
        let status = if attempts >= MAX_ATTEMPTS { Status::Dead } else { Status::Queued };
        sqlx::query(
            "UPDATE outbox SET status = $1, attempts = $2, due_at = $3, last_error = $4, claimed_by = NULL, \
             lease_until = NULL WHERE compound_id = $5 AND id = $6",
        )
        .bind(status.as_str())
        .bind(attempts)
        .bind(now + backoff_ms(attempts))
        .bind(error)
        .bind(&m.compound)
        .bind(&m.id)
        .execute(&mut *tx)
        .await?;
        attempt(&mut tx, m, worker, false, error, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The compound's messages in a status, newest first (at most `limit`).
    pub async fn messages(&self, compound: &str, status: Status, limit: i64) -> Result<Vec<Message>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM outbox WHERE compound_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC LIMIT $3"
        )))
        .bind(compound)
        .bind(status.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message).collect()
    }

    /// The compound's messages newest first, in one status or all (at most `limit`): the staff's
    /// delivery log.
    pub async fn delivery_log(&self, compound: &str, status: Option<Status>, limit: i64) -> Result<Vec<Message>> {
        match status {
            Some(s) => self.messages(compound, s, limit).await,
            None => {
                let rows = sqlx::query(AssertSqlSafe(format!(
                    "SELECT {COLS} FROM outbox WHERE compound_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
                )))
                .bind(compound)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(message).collect()
            }
        }
    }

    /// How many of the compound's messages are in each status.
    pub async fn delivery_counts(&self, compound: &str) -> Result<Vec<(Status, i64)>> {
        let rows = sqlx::query("SELECT status, COUNT(*) FROM outbox WHERE compound_id = $1 GROUP BY status")
            .bind(compound)
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<(Status, i64)> =
            rows.iter().filter_map(|r| Some((Status::parse(&r.get::<String, _>(0))?, r.get(1)))).collect();
        out.sort_by_key(|(s, _)| s.as_str());
        Ok(out)
    }

    /// Sends a dead letter again (after staff fixed what was wrong: the relay, a bot's address),
    /// with its attempts counted afresh; its earlier attempts stay on record. Audited.
    pub async fn retry_message(&self, compound: &str, id: &str, actor: crate::Actor<'_>, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE outbox SET status = 'queued', attempts = 0, due_at = $1 WHERE compound_id = $2 AND id = $3 \
             AND status = 'dead'",
        )
        .bind(now)
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        crate::kit::audit::append(&mut tx, compound, actor.login, "message.retry", id, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// A person's in-app notices in this compound, newest first, and how many are unread.
    pub async fn notices(&self, compound: &str, account: &str, limit: i64) -> Result<(Vec<Message>, i64)> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLS} FROM outbox WHERE compound_id = $1 AND recipient = $2 AND channel = 'in-app' \
             AND status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT $3"
        )))
        .bind(compound)
        .bind(account)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let unread = self.unread_notices(compound, account).await?;
        Ok((rows.iter().map(message).collect::<Result<_>>()?, unread))
    }

    /// How many in-app notices a person has not read (shown on every page).
    pub async fn unread_notices(&self, compound: &str, account: &str) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE compound_id = $1 AND recipient = $2 AND channel = 'in-app' \
             AND status = 'sent' AND read_at IS NULL",
        )
        .bind(compound)
        .bind(account)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Marks a person's in-app notices read.
    pub async fn read_notices(&self, compound: &str, account: &str, now: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE outbox SET read_at = $1 WHERE compound_id = $2 AND recipient = $3 AND channel = 'in-app' \
             AND status = 'sent' AND read_at IS NULL",
        )
        .bind(now)
        .bind(compound)
        .bind(account)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// One message.
    pub async fn message(&self, compound: &str, id: &str) -> Result<Option<Message>> {
        let row = sqlx::query(AssertSqlSafe(format!("SELECT {COLS} FROM outbox WHERE compound_id = $1 AND id = $2")))
            .bind(compound)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(message).transpose()
    }

    /// Every attempt to send a message, in order.
    pub async fn message_attempts(&self, compound: &str, id: &str) -> Result<Vec<Attempt>> {
        let rows = sqlx::query(
            "SELECT seq, at, worker, ok, answer FROM outbox_attempts WHERE compound_id = $1 AND message_id = $2 \
             ORDER BY seq",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Attempt {
                seq: r.get(0),
                at: r.get(1),
                worker: r.get(2),
                ok: r.get::<i64, _>(3) == 1,
                answer: r.get(4),
            })
            .collect())
    }
}

async fn attempt(conn: &mut AnyConnection, m: &Message, worker: &str, ok: bool, answer: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox_attempts (compound_id, message_id, seq, at, worker, ok, answer) \
         SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6 FROM outbox_attempts \
         WHERE compound_id = $1 AND message_id = $2",
    )
    .bind(&m.compound)
    .bind(&m.id)
    .bind(now)
    .bind(worker)
    .bind(ok as i64)
    .bind(answer)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_from_a_minute_to_six_hours() {
        let m = 60_000;
        assert_eq!(
            (1..=10).map(backoff_ms).collect::<Vec<_>>(),
            vec![m, 2 * m, 4 * m, 8 * m, 16 * m, 32 * m, 64 * m, 128 * m, 256 * m, 360 * m]
        );
        assert_eq!(backoff_ms(0), m);
        assert_eq!(backoff_ms(i64::MAX), 360 * m);
    }

    #[test]
    fn channels_and_statuses_read_back() {
        for c in [Channel::InApp, Channel::Email, Channel::Webhook] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        for s in [Status::Queued, Status::Sending, Status::Sent, Status::Dead] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Channel::parse("sms"), None);
    }
}
