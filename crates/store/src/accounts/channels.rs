//! How people are reached (issue 11): each person's address, channels, quiet hours and calendar
//! feed; the compound's mail relay and group bots. Secrets (the relay's password, a bot's secret,
//! a feed's token) are written and used, never read back onto a page.

use super::{random_token, sha256_hex};
use crate::kit::audit::append;
use crate::kit::outbox::{Channel, Outgoing, queue};
use crate::{Actor, Result, Store};
use gongzhi_core::accounts::reach::{BotKind, Channels, QuietHours, ReachRefusal, Relay, Tls, Webhook};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;

fn quiet(from: Option<String>, to: Option<String>) -> Option<QuietHours> {
    QuietHours::parse(from.as_deref().unwrap_or(""), to.as_deref().unwrap_or("")).ok().flatten()
}

fn channels_of(r: &sqlx::any::AnyRow, at: usize) -> Channels {
    Channels {
        email: r.get(at),
        in_app: r.get::<i64, _>(at + 1) == 1,
        by_email: r.get::<i64, _>(at + 2) == 1,
        quiet: quiet(r.get(at + 3), r.get(at + 4)),
    }
}

const CHANNEL_COLS: &str = "p.email, p.notify_in_app, p.notify_email, p.quiet_from, p.quiet_to";

/// The channels of these people (accounts are people's ids), inside a transaction.
pub(crate) async fn channels_for(conn: &mut AnyConnection, people: &[String]) -> Result<BTreeMap<String, Channels>> {
    let mut out = BTreeMap::new();
    for chunk in people.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT p.id, {CHANNEL_COLS} FROM people p WHERE p.id IN ({})", marks.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            q = q.bind(p);
        }
        for r in q.fetch_all(&mut *conn).await? {
            out.insert(r.get::<String, _>(0), channels_of(&r, 1));
        }
    }
    Ok(out)
}

/// The compound's group bots, inside a transaction.
pub(crate) async fn webhooks_in(conn: &mut AnyConnection, compound: &str) -> Result<Vec<Webhook>> {
    let rows =
        sqlx::query("SELECT name, kind, url, secret FROM webhooks WHERE compound_id = $1 ORDER BY created_at, name")
            .bind(compound)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Webhook {
                name: r.get(0),
                kind: BotKind::parse(&r.get::<String, _>(1))?,
                url: r.get(2),
                secret: r.get(3),
            })
        })
        .collect())
}

/// A message for one person on each channel they chose: in-app as it is, by email to their
/// address once their quiet hours allow. `base` is the in-app message (recipient and person the
/// person's id); its dedupe key, if any, gets the channel appended. Empty when no channel reaches
/// them (they get a paper notice or a visit).
pub fn for_person(base: Outgoing, c: &Channels) -> Vec<Outgoing> {
    let keyed = |ch: Channel| base.dedupe.as_ref().map(|k| format!("{k}:{}", ch.as_str()));
    let mut out = Vec::new();
    if c.by_email
        && let Some(email) = &c.email
    {
        out.push(Outgoing {
            channel: Channel::Email,
            recipient: email.clone(),
            dedupe: keyed(Channel::Email),
            due_at: c.quiet.map_or(base.due_at, |q| q.next_allowed(base.due_at)),
            ..base.clone()
        });
    }
    if c.in_app {
        out.push(Outgoing { channel: Channel::InApp, dedupe: keyed(Channel::InApp), ..base });
    }
    out
}

/// A deadline a process declares: a message to these people, due then (a notice that must stand
/// N days, a decision to post within 3 days, a statement due on the 15th), about something.
/// Scheduling it again with the same key queues nothing more; [`cancel_deadline`] withdraws what
/// has not been sent when the thing is done.
#[derive(Clone, Debug)]
pub struct Deadline<'a> {
    /// What it is about (a matter's, a statement's id).
    pub about: &'a str,
    /// What caused it, e.g. `ledger.statement-due`.
    pub kind: &'a str,
    /// Unique for this deadline (e.g. `statement:2026Q1:reminder`).
    pub key: &'a str,
    pub due_at: i64,
    pub subject: String,
    pub body: String,
    pub people: &'a [String],
}

/// Queues a deadline's messages inside the caller's transaction, on each person's channels;
/// returns how many people it reaches.
pub async fn schedule_deadline(conn: &mut AnyConnection, compound: &str, d: &Deadline<'_>, now: i64) -> Result<usize> {
    let channels = channels_for(conn, d.people).await?;
    let mut msgs = Vec::new();
    let mut reached = 0;
    for p in d.people {
        let base = Outgoing {
            channel: Channel::InApp,
            recipient: p.clone(),
            kind: d.kind.to_string(),
            subject: d.subject.clone(),
            body: d.body.clone(),
            dedupe: Some(format!("sched:{}:{p}", d.key)),
            about: Some(d.about.to_string()),
            due_at: d.due_at,
            person: Some(p.clone()),
        };
        let one = for_person(base, &channels.get(p).cloned().unwrap_or_default());
        reached += usize::from(!one.is_empty());
        msgs.extend(one);
    }
    queue(conn, compound, &msgs, now).await?;
    Ok(reached)
}

/// Withdraws, inside the caller's transaction, a kind's messages about something not yet sent.
pub async fn cancel_deadline(conn: &mut AnyConnection, compound: &str, about: &str, kind: &str) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE outbox SET status = 'cancelled', claimed_by = NULL, lease_until = NULL \
         WHERE compound_id = $1 AND about = $2 AND kind = $3 AND status IN ('queued', 'sending')",
    )
    .bind(compound)
    .bind(about)
    .bind(kind)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}

impl Store {
    /// The compound's members' names by id (for the delivery log).
    pub async fn account_names(&self, compound: &str) -> Result<std::collections::HashMap<String, String>> {
        let rows = sqlx::query(
            "SELECT p.id, p.name, p.login FROM accounts a JOIN people p ON p.id = a.id WHERE a.compound_id = $1",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), format!("{} ({})", r.get::<String, _>(1), r.get::<String, _>(2)))).collect())
    }

    /// How a person wants to be reached.
    pub async fn channels(&self, person: &str) -> Result<Channels> {
        let mut conn = self.pool.acquire().await?;
        Ok(channels_for(&mut conn, &[person.to_string()]).await?.remove(person).unwrap_or_default())
    }

    /// Changes how a person is reached (checked: email on needs an address); written to the
    /// audit chain of the compound they changed it in.
    pub async fn set_channels(&self, compound: &str, person: &str, c: Channels, actor: Actor<'_>) -> Result<Channels> {
        let c = c.checked()?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE people SET email = $1, notify_in_app = $2, notify_email = $3, quiet_from = $4, quiet_to = $5 \
             WHERE id = $6",
        )
        .bind(&c.email)
        .bind(c.in_app as i64)
        .bind(c.by_email as i64)
        .bind(c.quiet.map(|q| q.from_text()))
        .bind(c.quiet.map(|q| q.to_text()))
        .bind(person)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        let what = format!(
            "in_app={} email={} quiet={}",
            c.in_app,
            c.by_email,
            c.quiet.map(|q| format!("{}-{}", q.from_text(), q.to_text())).unwrap_or_default()
        );
        append(&mut tx, compound, actor.login, "account.channels", person, &what).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Gives a person a new calendar feed address (the old one stops working) and returns its
    /// secret, which is stored only as its hash.
    pub async fn new_calendar_token(&self, person: &str) -> Result<String> {
        let token = random_token();
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE people SET calendar_hash = $1 WHERE id = $2")
            .bind(sha256_hex(&token))
            .bind(person)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Revokes a person's calendar feed address.
    pub async fn revoke_calendar(&self, person: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE people SET calendar_hash = NULL WHERE id = $1").bind(person).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a person has a calendar feed address.
    pub async fn has_calendar(&self, person: &str) -> Result<bool> {
        let h: Option<Option<String>> = sqlx::query_scalar("SELECT calendar_hash FROM people WHERE id = $1")
            .bind(person)
            .fetch_optional(&self.pool)
            .await?;
        Ok(h.flatten().is_some())
    }

    /// Whose calendar feed a secret opens.
    pub async fn calendar_person(&self, token: &str) -> Result<String> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM people WHERE calendar_hash = $1")
            .bind(sha256_hex(token))
            .fetch_optional(&self.pool)
            .await?;
        id.ok_or_else(|| ReachRefusal::CalendarUnknown.refused().into())
    }

    /// The compound's mail relay, if it has its own.
    pub async fn mail_relay(&self, compound: &str) -> Result<Option<Relay>> {
        let r = sqlx::query(
            "SELECT host, port, tls, username, password, mail_from FROM mail_relays WHERE compound_id = $1",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.and_then(|r| {
            Some(Relay {
                host: r.get(0),
                port: u16::try_from(r.get::<i64, _>(1)).ok()?,
                tls: Tls::parse(&r.get::<String, _>(2))?,
                username: r.get(3),
                password: r.get(4),
                mail_from: r.get(5),
            })
        }))
    }

    /// Sets the compound's mail relay (None: the server's own); a password left out keeps the
    /// one stored. Audited without the password.
    pub async fn set_mail_relay(&self, compound: &str, relay: Option<Relay>, actor: Actor<'_>) -> Result<()> {
        let old = self.mail_relay(compound).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM mail_relays WHERE compound_id = $1").bind(compound).execute(&mut *tx).await?;
        let what = match relay {
            None => "none".to_string(),
            Some(r) => {
                let mut r = r.checked()?;
                if r.password.as_deref().is_none_or(str::is_empty) && r.username.is_some() {
                    r.password = old.filter(|o| o.username == r.username).and_then(|o| o.password);
                }
                sqlx::query(
                    "INSERT INTO mail_relays (compound_id, host, port, tls, username, password, mail_from) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(compound)
                .bind(&r.host)
                .bind(i64::from(r.port))
                .bind(r.tls.as_str())
                .bind(&r.username)
                .bind(r.password.as_deref().filter(|p| !p.is_empty()))
                .bind(&r.mail_from)
                .execute(&mut *tx)
                .await?;
                format!("{}:{} tls={} from={}", r.host, r.port, r.tls.as_str(), r.mail_from)
            }
        };
        append(&mut tx, compound, actor.login, "settings.mail-relay", compound, &what).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The compound's group bots.
    pub async fn webhooks(&self, compound: &str) -> Result<Vec<Webhook>> {
        let mut conn = self.pool.acquire().await?;
        webhooks_in(&mut conn, compound).await
    }

    /// Adds a group bot (its name is unique in the compound). Audited without its address or secret.
    pub async fn add_webhook(&self, compound: &str, w: Webhook, actor: Actor<'_>) -> Result<Webhook> {
        let w = w.checked()?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "INSERT INTO webhooks (compound_id, name, kind, url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (compound_id, name) DO NOTHING",
        )
        .bind(compound)
        .bind(&w.name)
        .bind(w.kind.as_str())
        .bind(&w.url)
        .bind(&w.secret)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return ReachRefusal::WebhookExists { name: w.name }.err();
        }
        append(&mut tx, compound, actor.login, "settings.webhook-add", &w.name, w.kind.as_str()).await?;
        tx.commit().await?;
        Ok(w)
    }

    /// Removes a group bot; messages still queued to it become dead letters when tried.
    pub async fn remove_webhook(&self, compound: &str, name: &str, actor: Actor<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM webhooks WHERE compound_id = $1 AND name = $2")
            .bind(compound)
            .bind(name)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        append(&mut tx, compound, actor.login, "settings.webhook-remove", name, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// One group bot, for the worker that posts to it.
    pub async fn webhook(&self, compound: &str, name: &str) -> Result<Option<Webhook>> {
        Ok(self.webhooks(compound).await?.into_iter().find(|w| w.name == name))
    }
}
