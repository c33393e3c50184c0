//! Paper ballots entered twice by two people, and proxies with their written authorisation.

use crate::kit::attachments::{MAX_ATTACHMENT, insert_attachment};
use crate::kit::audit::append;
use crate::voting::ballots::{insert_ballot, resolve_marks};
use crate::voting::matters::check_on_roll;
use crate::{Actor, Result, Store, now_ms};
use gongzhi_core::MatterStatus;
use gongzhi_core::kit::KitRefusal;
use gongzhi_core::voting::{Marks, VotingRefusal};
use gongzhi_core::{Channel, Choice, UnitNo};
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaperOutcome {
    /// The first entry is kept; a second person must enter the same ballot.
    AwaitingSecondEntry,
    /// Both entries agree: the ballot counts.
    Counted { receipt: String },
    /// The entries differ: held for review, not counted.
    Mismatch,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaperEntry {
    pub unit: String,
    pub entry_no: i64,
    pub choice: Choice,
    /// On a slate matter, the approved names in the slate's order joined by ';'.
    pub approvals: String,
    pub entered_by: String,
}

impl PaperEntry {
    fn agrees(&self, other: &PaperEntry) -> bool {
        self.choice == other.choice && self.approvals == other.approvals
    }
}

/// The uncounted paper entries of a matter, unit by unit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaperReview {
    /// Units whose two entries exist and differ: a reviewer decides from the paper.
    pub mismatches: Vec<(PaperEntry, PaperEntry)>,
    /// Units with one entry, awaiting a second person's.
    pub awaiting: Vec<PaperEntry>,
}

/// Groups uncounted entries by unit, in any order they were made: a review item is one unit whose
/// two entries exist and differ, nothing else.
pub fn review(entries: &[PaperEntry]) -> PaperReview {
    let mut by_unit: std::collections::BTreeMap<&str, Vec<&PaperEntry>> = Default::default();
    for e in entries {
        by_unit.entry(e.unit.as_str()).or_default().push(e);
    }
    let mut r = PaperReview::default();
    for (_, mut es) in by_unit {
        es.sort_by_key(|e| e.entry_no);
        match es.as_slice() {
            [one] => r.awaiting.push((*one).clone()),
            [a, b] if !a.agrees(b) => r.mismatches.push(((*a).clone(), (*b).clone())),
            _ => {}
        }
    }
    r
}

impl Store {
    /// One of the two independent entries of a paper ballot.
    pub async fn enter_paper_ballot(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        marks: impl Into<Marks>,
        actor: Actor<'_>,
    ) -> Result<PaperOutcome> {
        let marks = marks.into();
        let mut tx = self.begin_write().await?;
        let m = sqlx::query("SELECT status, title FROM matters WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(matter)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(m) = m else { return VotingRefusal::MatterNotFound { matter: matter.to_string() }.err() };
        match MatterStatus::parse(&m.get::<String, _>(0)) {
            Some(MatterStatus::Open) => {}
            s => {
                let status = s.unwrap_or(MatterStatus::Closed);
                return VotingRefusal::NotOpenForVoting { matter: m.get(1), status }.err();
            }
        }
        check_on_roll(&mut tx, compound, matter, unit).await?;
        let (choice, approvals) = resolve_marks(&mut tx, compound, matter, &marks, Channel::Paper).await?;
        let has_ballot: Option<String> = sqlx::query_scalar(
            "SELECT channel FROM ballots WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(ch) = has_ballot {
            let channel = Channel::parse(&ch).unwrap_or(Channel::Online);
            return VotingRefusal::AlreadyVotedBy { unit: unit.to_string(), channel }.err();
        }
        let entries = entries_for(&mut tx, compound, matter, unit).await?;
        if entries.iter().any(|e| e.entered_by == actor.id) {
            return VotingRefusal::SecondEntrySamePerson { unit: unit.to_string() }.err();
        }
        let entry_no = entries.len() as i64 + 1;
        if entry_no > 2 {
            return VotingRefusal::EntriesDifferAwaitReview { unit: unit.to_string() }.err();
        }
        sqlx::query(
            "INSERT INTO paper_entries (compound_id, matter_id, unit_no, entry_no, choice, entered_by, entered_at, approvals) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(entry_no)
        .bind(choice.as_str())
        .bind(actor.id)
        .bind(now_ms())
        .bind(&approvals)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::on_unique(e, || {
                VotingRefusal::EntryMadeMeanwhile { unit: unit.to_string(), entry: entry_no }.refused()
            })
        })?;
        let outcome = match entries.first() {
            None => PaperOutcome::AwaitingSecondEntry,
            Some(first) if first.choice == choice && first.approvals == approvals => {
                let receipt = insert_ballot(&mut tx, compound, matter, unit, marks, Channel::Paper, actor).await?;
                PaperOutcome::Counted { receipt }
            }
            Some(_) => PaperOutcome::Mismatch,
        };
        let what = match &outcome {
            PaperOutcome::AwaitingSecondEntry => "first-entry",
            PaperOutcome::Counted { .. } => "second-entry-matched",
            PaperOutcome::Mismatch => "second-entry-mismatch",
        };
        append(&mut tx, compound, actor.login, "paper.entry", &format!("{matter}/{unit}"), what).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Paper ballots whose two entries differ, with both entries, for review.
    pub async fn paper_mismatches(&self, compound: &str, matter: &str) -> Result<Vec<(PaperEntry, PaperEntry)>> {
        let rows = sqlx::query(
            "SELECT e.unit_no, e.entry_no, e.choice, e.entered_by, e.approvals FROM paper_entries e \
             WHERE e.compound_id = $1 AND e.matter_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.compound_id = e.compound_id AND b.matter_id = e.matter_id AND b.unit_no = e.unit_no) \
             ORDER BY e.unit_no, e.entry_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        let entries: Vec<PaperEntry> = rows.iter().filter_map(row_entry).collect();
        Ok(review(&entries).mismatches)
    }

    /// The paper ballots still to review and to enter a second time.
    pub async fn paper_review(&self, compound: &str, matter: &str) -> Result<PaperReview> {
        let rows = sqlx::query(
            "SELECT e.unit_no, e.entry_no, e.choice, e.entered_by, e.approvals FROM paper_entries e \
             WHERE e.compound_id = $1 AND e.matter_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.compound_id = e.compound_id AND b.matter_id = e.matter_id AND b.unit_no = e.unit_no) \
             ORDER BY e.unit_no, e.entry_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        let entries: Vec<PaperEntry> = rows.iter().filter_map(row_entry).collect();
        Ok(review(&entries))
    }

    /// Decides a held paper ballot from the paper itself; the reviewer made neither entry.
    pub async fn resolve_paper_mismatch(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        marks: impl Into<Marks>,
        actor: Actor<'_>,
    ) -> Result<String> {
        let marks = marks.into();
        let mut tx = self.begin_write().await?;
        let entries = entries_for(&mut tx, compound, matter, unit).await?;
        if entries.len() != 2 || entries[0].agrees(&entries[1]) {
            return VotingRefusal::NoMismatch { unit: unit.to_string() }.err();
        }
        if entries.iter().any(|e| e.entered_by == actor.id) {
            return VotingRefusal::ReviewerMadeAnEntry { unit: unit.to_string() }.err();
        }
        let receipt = insert_ballot(&mut tx, compound, matter, unit, marks, Channel::Paper, actor).await?;
        append(&mut tx, compound, actor.login, "paper.resolve", &format!("{matter}/{unit}"), "").await?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// A proxy's ballot: the written authorisation is kept and the principal's choice followed.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_proxy(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        proxy_name: &str,
        principal: impl Into<Marks>,
        authorisation: (&str, &str, &[u8]),
        actor: Actor<'_>,
    ) -> Result<String> {
        if proxy_name.trim().is_empty() {
            return VotingRefusal::ProxyNameMissing.err();
        }
        let (name, content_type, bytes) = authorisation;
        if bytes.is_empty() {
            return VotingRefusal::AuthorisationMissing.err();
        }
        if bytes.len() > MAX_ATTACHMENT {
            return KitRefusal::FileTooLarge { field: "authorisation".into(), name: name.to_string(), limit_mb: 10 }
                .err();
        }
        let principal = principal.into();
        let mut tx = self.begin_write().await?;
        let (principal_choice, approvals) =
            resolve_marks(&mut tx, compound, matter, &principal, Channel::Proxy).await?;
        let attachment = insert_attachment(&mut tx, compound, (None, None), (name, content_type, bytes), actor).await?;
        let receipt = insert_ballot(&mut tx, compound, matter, unit, principal, Channel::Proxy, actor).await?;
        sqlx::query(
            "INSERT INTO proxies (compound_id, matter_id, unit_no, proxy_name, principal_choice, attachment_id, recorded_by, recorded_at, approvals) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(proxy_name.trim())
        .bind(principal_choice.as_str())
        .bind(&attachment)
        .bind(actor.id)
        .bind(now_ms())
        .bind(&approvals)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "proxy.record",
            &format!("{matter}/{unit}"),
            &format!("proxy={}", proxy_name.trim()),
        )
        .await?;
        tx.commit().await?;
        Ok(receipt)
    }
}

fn row_entry(r: &sqlx::any::AnyRow) -> Option<PaperEntry> {
    Some(PaperEntry {
        unit: r.get(0),
        entry_no: r.get(1),
        choice: Choice::parse(&r.get::<String, _>(2))?,
        entered_by: r.get(3),
        approvals: r.get(4),
    })
}

async fn entries_for(
    conn: &mut sqlx::AnyConnection,
    compound: &str,
    matter: &str,
    unit: &UnitNo,
) -> Result<Vec<PaperEntry>> {
    let rows = sqlx::query(
        "SELECT unit_no, entry_no, choice, entered_by, approvals FROM paper_entries WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3 ORDER BY entry_no",
    )
    .bind(compound)
    .bind(matter)
    .bind(unit.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(row_entry).collect())
}
