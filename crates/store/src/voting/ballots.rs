//! Recording ballots, one or many in one transaction, and the group commit that lets concurrent
//! online ballots share a commit.
//!
//! Every ballot is checked and inserted in order inside one transaction, so a later ballot sees
//! the earlier ones (the same unit twice, or one owner's units with different choices, is refused
//! exactly as if they came one after the other). A ballot's own refusal (matter not open, unit not
//! on the roll, unit already voted) does not disturb the others; nothing in the transaction fails
//! at the database for such a reason, so PostgreSQL never aborts it. A ballot is acknowledged only
//! after the transaction holding it has committed.

use crate::kit::audit::{AuditNew, append_many};
use crate::voting::matters::{check_on_roll, receipt};
use crate::{Actor, Result, Store, StoreError, now_ms};
use gongzhi_core::MatterStatus;
use gongzhi_core::voting::VotingRefusal;
use gongzhi_core::voting::{Marks, slate_marks};
use gongzhi_core::{Channel, Choice, UnitNo};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use tokio::sync::{mpsc, oneshot};

/// One ballot to record.
#[derive(Clone, Debug)]
pub(crate) struct BallotIn {
    pub compound: String,
    pub matter: String,
    pub unit: UnitNo,
    pub marks: Marks,
    pub channel: Channel,
    pub actor_id: String,
    pub actor_login: String,
}

impl BallotIn {
    pub fn new(compound: &str, matter: &str, unit: &UnitNo, marks: Marks, channel: Channel, actor: Actor<'_>) -> Self {
        BallotIn {
            compound: compound.into(),
            matter: matter.into(),
            unit: unit.clone(),
            marks,
            channel,
            actor_id: actor.id.into(),
            actor_login: actor.login.into(),
        }
    }
}

/// Why every ballot of one matter in a batch is refused.
#[derive(Clone)]
enum Closed {
    Status {
        title: String,
        status: MatterStatus,
    },
    /// Open, but its window has ended: a ballot now would be one the owners were not promised.
    WindowEnded {
        title: String,
        ended: i64,
    },
    Missing,
}

impl Closed {
    fn error(&self, matter: &str) -> StoreError {
        match self {
            Closed::Status { title, status } => {
                VotingRefusal::NotOpenForVoting { matter: title.clone(), status: *status }.refused().into()
            }
            Closed::WindowEnded { title, ended } => {
                VotingRefusal::WindowEnded { matter: title.clone(), ended: gongzhi_core::time::date(*ended) }
                    .refused()
                    .into()
            }
            Closed::Missing => VotingRefusal::MatterNotFound { matter: matter.to_string() }.refused().into(),
        }
    }
}

/// Records ballots inside the caller's transaction, in order. The outer `Result` is a database
/// failure (the transaction must be abandoned); the inner ones are each ballot's own outcome: its
/// receipt, or why it was refused.
///
/// Locks first: each matter's row (in a fixed order, so two writers never deadlock), which orders
/// the ballots against closing and against another server's ballots, so the checks below read
/// what is committed; then the compound's audit head at the end.
pub(crate) async fn insert_ballots(conn: &mut AnyConnection, ballots: &[BallotIn]) -> Result<Vec<Result<String>>> {
    let mut matters: BTreeMap<(&str, &str), (Option<Closed>, i64, Slate)> = BTreeMap::new();
    for b in ballots {
        matters.entry((&b.compound, &b.matter)).or_insert((None, 0, Slate::default()));
    }
    let at = now_ms();
    for ((compound, matter), (closed, _, slate)) in matters.iter_mut() {
        let locked = sqlx::query(
            "UPDATE matters SET ballots_cast = ballots_cast WHERE compound_id = $1 AND id = $2 AND status = 'open'",
        )
        .bind(*compound)
        .bind(*matter)
        .execute(&mut *conn)
        .await?
        .rows_affected();
        let row = sqlx::query(
            "SELECT status, title, window_end, slate_places FROM matters WHERE compound_id = $1 AND id = $2",
        )
        .bind(*compound)
        .bind(*matter)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(r) = &row {
            slate.title = r.get(1);
            slate.places = r.get::<i64, _>(3) as u32;
            if slate.places > 0 {
                slate.names = crate::voting::matters::slate_of(conn, compound, matter).await?;
            }
        }
        *closed = match row {
            None => Some(Closed::Missing),
            Some(r) if locked == 0 => Some(Closed::Status {
                title: r.get(1),
                status: MatterStatus::parse(&r.get::<String, _>(0)).unwrap_or(MatterStatus::Closed),
            }),
            // open: online ballots end with the window; paper and proxy ballots returned in time
            // are entered until the vote closes
            Some(r) => match r.get::<Option<i64>, _>(2) {
                Some(ended) if ended < at => Some(Closed::WindowEnded { title: r.get(1), ended }),
                _ => None,
            },
        };
    }
    let mut out = Vec::with_capacity(ballots.len());
    let mut audit: BTreeMap<&str, Vec<AuditNew>> = BTreeMap::new();
    for b in ballots {
        let (closed, cast, slate) =
            matters.get_mut(&(b.compound.as_str(), b.matter.as_str())).expect("every matter is listed");
        match closed {
            Some(Closed::WindowEnded { .. }) if b.channel != Channel::Online => {}
            Some(c) => {
                out.push(Err(c.error(&b.matter)));
                continue;
            }
            None => {}
        }
        let marked = match slate.marks(&b.marks, b.channel) {
            Ok(m) => m,
            Err(e) => {
                out.push(Err(e));
                continue;
            }
        };
        match insert_one(conn, b, &marked, at).await? {
            Ok(receipt) => {
                *cast += 1;
                // the audit names the ballot, never its choice: nobody sees choices before closing
                audit.entry(&b.compound).or_default().push(AuditNew {
                    actor: b.actor_login.clone(),
                    action: "ballot.cast".into(),
                    subject: format!("{}/{}", b.matter, b.unit),
                    detail: format!("channel={} receipt={receipt}", b.channel.as_str()),
                });
                out.push(Ok(receipt));
            }
            Err(e) => out.push(Err(e)),
        }
    }
    for ((compound, matter), (_, cast, _)) in &matters {
        if *cast > 0 {
            sqlx::query("UPDATE matters SET ballots_cast = ballots_cast + $1 WHERE compound_id = $2 AND id = $3")
                .bind(*cast)
                .bind(*compound)
                .bind(*matter)
                .execute(&mut *conn)
                .await?;
        }
    }
    for (compound, entries) in &audit {
        append_many(conn, compound, entries).await?;
    }
    Ok(out)
}

/// A matter's slate, when it is put to the owners as one (`places` > 0).
#[derive(Clone, Default)]
struct Slate {
    title: String,
    names: Vec<String>,
    places: u32,
}

/// A ballot's marks as stored: its choice, and the approved names joined by ';'.
struct Marked {
    choice: Choice,
    approvals: String,
}

impl Slate {
    fn marks(&self, marks: &Marks, channel: Channel) -> Result<Marked> {
        match (marks, self.places) {
            (Marks::Choice(choice), 0) => Ok(Marked { choice: *choice, approvals: String::new() }),
            (Marks::Choice(_), _) => VotingRefusal::SlateNeedsNames { matter: self.title.clone() }.err(),
            (Marks::Names(_), 0) => VotingRefusal::NoSlate { matter: self.title.clone() }.err(),
            (Marks::Names(names), places) => {
                let marked = slate_marks(&self.names, names, places, channel == Channel::Online)?;
                let choice = if marked.is_empty() { Choice::Abstain } else { Choice::Approve };
                Ok(Marked { choice, approvals: marked.join(";") })
            }
        }
    }
}

/// A ballot's marks as a paper entry or a proxy stores them: its choice and the approved names in
/// the slate's order joined by ';', checked against the matter's slate.
pub(crate) async fn resolve_marks(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    marks: &Marks,
    channel: Channel,
) -> Result<(Choice, String)> {
    let row = sqlx::query("SELECT title, slate_places FROM matters WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(matter)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return VotingRefusal::MatterNotFound { matter: matter.into() }.err() };
    let mut slate = Slate { title: row.get(0), places: row.get::<i64, _>(1) as u32, names: vec![] };
    if slate.places > 0 {
        slate.names = crate::voting::matters::slate_of(conn, compound, matter).await?;
    }
    let m = slate.marks(marks, channel)?;
    Ok((m.choice, m.approvals))
}

/// Checks and inserts one ballot of an open, locked matter.
async fn insert_one(conn: &mut AnyConnection, b: &BallotIn, m: &Marked, at: i64) -> Result<Result<String>> {
    let unit = &b.unit;
    // the unit's owner, and any unit of the same owner already voted with another choice or other
    // names: an owner of several units is one voter, and the count refuses split choices
    let row = sqlx::query(
        "SELECT r.owner_key, \
           (SELECT o.unit_no || ' ' || b.choice FROM roll_entries o JOIN ballots b \
              ON b.compound_id = o.compound_id AND b.matter_id = o.matter_id AND b.unit_no = o.unit_no \
            WHERE o.compound_id = r.compound_id AND o.matter_id = r.matter_id AND o.owner_key = r.owner_key \
              AND o.unit_no <> r.unit_no AND (b.choice <> $4 OR b.approvals <> $5) LIMIT 1) \
         FROM roll_entries r WHERE r.compound_id = $1 AND r.matter_id = $2 AND r.unit_no = $3",
    )
    .bind(&b.compound)
    .bind(&b.matter)
    .bind(unit.as_str())
    .bind(m.choice.as_str())
    .bind(&m.approvals)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(match check_on_roll(conn, &b.compound, &b.matter, unit).await {
            Err(e) => Err(e),
            Ok(()) => VotingRefusal::UnitNotOnRoll { unit: unit.to_string() }.err(),
        });
    };
    if let Some(other) = row.get::<Option<String>, _>(1) {
        let (u, c) = other.split_once(' ').unwrap_or((&other, ""));
        if matches!(b.marks, Marks::Names(_)) {
            return Ok(VotingRefusal::OwnerApprovedOtherwise { unit: unit.to_string(), other: u.to_string() }.err());
        }
        let choice = Choice::parse(c).unwrap_or(Choice::Abstain);
        return Ok(VotingRefusal::OwnerVotedOtherwise { unit: unit.to_string(), other: u.to_string(), choice }.err());
    }
    let receipt = receipt();
    // DO NOTHING rather than an error: on PostgreSQL an error would abort the whole transaction
    let inserted = sqlx::query(
        "INSERT INTO ballots (compound_id, matter_id, unit_no, choice, channel, receipt, cast_at, entered_by, approvals) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (compound_id, matter_id, unit_no) DO NOTHING",
    )
    .bind(&b.compound)
    .bind(&b.matter)
    .bind(unit.as_str())
    .bind(m.choice.as_str())
    .bind(b.channel.as_str())
    .bind(&receipt)
    .bind(at)
    .bind(&b.actor_id)
    .bind(&m.approvals)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(VotingRefusal::AlreadyVoted { unit: unit.to_string() }.err());
    }
    // an owner who has voted is reminded no more
    crate::kit::outbox::cancel_vote_reminders(conn, &b.compound, &b.matter, unit.as_str()).await?;
    Ok(Ok(receipt))
}

/// Records one ballot inside the caller's transaction (paper entries, proxies): its refusal is
/// the caller's error.
pub(crate) async fn insert_ballot(
    conn: &mut AnyConnection,
    compound: &str,
    matter: &str,
    unit: &UnitNo,
    marks: Marks,
    channel: Channel,
    actor: Actor<'_>,
) -> Result<String> {
    let b = BallotIn::new(compound, matter, unit, marks, channel, actor);
    insert_ballots(conn, std::slice::from_ref(&b)).await?.pop().expect("one outcome per ballot")
}

/// The most ballots committed together.
const MAX_BATCH: usize = 256;

struct Job {
    ballot: BallotIn,
    reply: oneshot::Sender<Result<String>>,
}

/// Group commit: ballots submitted while a commit is under way wait in a queue, and the writer
/// task commits all of them in the next transaction. Nothing is kept here between commits, so two
/// servers on one database behave as one.
#[derive(Default)]
pub(crate) struct BallotQueue {
    sender: std::sync::Mutex<Option<mpsc::UnboundedSender<Job>>>,
}

impl std::fmt::Debug for BallotQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotQueue")
    }
}

impl BallotQueue {
    /// Queues a ballot and waits for its outcome, known only after its transaction committed.
    pub async fn submit(&self, store: &Store, ballot: BallotIn) -> Result<String> {
        let (reply, outcome) = oneshot::channel();
        let job = Job { ballot, reply };
        {
            let mut sender = self.sender.lock().unwrap_or_else(|p| p.into_inner());
            let unsent = match sender.as_ref() {
                Some(s) => s.send(job).err().map(|mpsc::error::SendError(j)| j),
                None => Some(job),
            };
            if let Some(job) = unsent {
                // first use, or the writer has gone with the runtime it ran on: start one
                let (s, r) = mpsc::unbounded_channel();
                tokio::spawn(writer(store.writer_only(), r));
                s.send(job).map_err(|_| StoreError::Io("the ballot writer stopped".into()))?;
                *sender = Some(s);
            }
        }
        outcome.await.map_err(|_| StoreError::Io("the ballot writer stopped before answering".into()))?
    }
}

/// Takes whatever is queued (at least one ballot) and commits it together, until the queue's
/// last sender is gone.
async fn writer(store: Store, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let ballots: Vec<BallotIn> = jobs.iter().map(|j| j.ballot.clone()).collect();
        match commit(&store, &ballots).await {
            Ok(outcomes) => {
                for (job, outcome) in jobs.drain(..).zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
            }
            // the transaction failed as a whole (the database, not a ballot): so that one ballot
            // cannot fail the others, each is tried again on its own and answered with its own result
            Err(e) if jobs.len() == 1 => {
                let _ = jobs.pop().expect("one job").reply.send(Err(e));
            }
            Err(_) => {
                for job in jobs.drain(..) {
                    let outcome = match commit(&store, std::slice::from_ref(&job.ballot)).await {
                        Ok(mut o) => o.pop().expect("one outcome per ballot"),
                        Err(e) => Err(e),
                    };
                    let _ = job.reply.send(outcome);
                }
            }
        }
    }
}

async fn commit(store: &Store, ballots: &[BallotIn]) -> Result<Vec<Result<String>>> {
    let mut tx = store.begin_write().await?;
    let outcomes = insert_ballots(&mut tx, ballots).await?;
    tx.commit().await?;
    Ok(outcomes)
}
