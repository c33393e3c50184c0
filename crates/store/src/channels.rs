//! Paper ballots entered twice by two people, proxies with their written authorisation, and
//! attached files.

use crate::audit::append;
use crate::ballots::insert_ballot;
use crate::matters::{Actor, check_on_roll};
use crate::{Result, Store, StoreError, new_id, now_ms};
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
    pub entered_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub id: String,
    pub matter_id: Option<String>,
    pub project_id: Option<String>,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The most a single attached file may hold.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

impl Store {
    /// One of the two independent entries of a paper ballot.
    pub async fn enter_paper_ballot(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        choice: Choice,
        actor: Actor<'_>,
    ) -> Result<PaperOutcome> {
        let mut tx = self.begin_write().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM matters WHERE compound_id = $1 AND id = $2")
                .bind(compound)
                .bind(matter)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            Some("open") => {}
            Some(s) => return Err(StoreError::Conflict(format!("matter {matter} is {s}, not open for voting"))),
            None => return Err(StoreError::NotFound(format!("matter {matter}"))),
        }
        check_on_roll(&mut tx, compound, matter, unit).await?;
        let has_ballot: Option<String> = sqlx::query_scalar(
            "SELECT channel FROM ballots WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(ch) = has_ballot {
            return Err(StoreError::Conflict(format!("unit {unit} already has a ballot on this matter ({ch})")));
        }
        let entries = entries_for(&mut tx, compound, matter, unit).await?;
        if entries.iter().any(|e| e.entered_by == actor.id) {
            return Err(StoreError::Conflict(format!(
                "unit {unit}: you made an entry already; the second entry must be made by someone else"
            )));
        }
        let entry_no = entries.len() as i64 + 1;
        if entry_no > 2 {
            return Err(StoreError::Conflict(format!("unit {unit}: both entries differ and await review")));
        }
        sqlx::query(
            "INSERT INTO paper_entries (compound_id, matter_id, unit_no, entry_no, choice, entered_by, entered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(entry_no)
        .bind(choice.as_str())
        .bind(actor.id)
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            crate::on_unique(e, || format!("unit {unit}: entry {entry_no} was made meanwhile; enter it again"))
        })?;
        let outcome = match entries.first() {
            None => PaperOutcome::AwaitingSecondEntry,
            Some(first) if first.choice == choice => {
                let receipt = insert_ballot(&mut tx, compound, matter, unit, choice, Channel::Paper, actor).await?;
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
            "SELECT e.unit_no, e.entry_no, e.choice, e.entered_by FROM paper_entries e \
             WHERE e.compound_id = $1 AND e.matter_id = $2 \
             AND NOT EXISTS (SELECT 1 FROM ballots b WHERE b.compound_id = e.compound_id AND b.matter_id = e.matter_id AND b.unit_no = e.unit_no) \
             ORDER BY e.unit_no, e.entry_no",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        let entries: Vec<PaperEntry> = rows.iter().filter_map(row_entry).collect();
        Ok(entries.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0].clone(), c[1].clone())).collect())
    }

    /// Decides a held paper ballot from the paper itself; the reviewer made neither entry.
    pub async fn resolve_paper_mismatch(
        &self,
        compound: &str,
        matter: &str,
        unit: &UnitNo,
        choice: Choice,
        actor: Actor<'_>,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let entries = entries_for(&mut tx, compound, matter, unit).await?;
        if entries.len() != 2 || entries[0].choice == entries[1].choice {
            return Err(StoreError::Conflict(format!("unit {unit} has no paper ballot awaiting review")));
        }
        if entries.iter().any(|e| e.entered_by == actor.id) {
            return Err(StoreError::Conflict(format!(
                "unit {unit}: the review must be made by someone who made neither entry"
            )));
        }
        let receipt = insert_ballot(&mut tx, compound, matter, unit, choice, Channel::Paper, actor).await?;
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
        principal_choice: Choice,
        authorisation: (&str, &str, &[u8]),
        actor: Actor<'_>,
    ) -> Result<String> {
        if proxy_name.trim().is_empty() {
            return Err(StoreError::BadInput("proxy_name: name the proxy".into()));
        }
        let (name, content_type, bytes) = authorisation;
        if bytes.is_empty() {
            return Err(StoreError::BadInput(
                "authorisation: attach the written authorisation (a scan or photo)".into(),
            ));
        }
        if bytes.len() > MAX_ATTACHMENT {
            return Err(StoreError::BadInput("authorisation: the file is larger than 10 MB".into()));
        }
        let mut tx = self.begin_write().await?;
        let attachment = insert_attachment(&mut tx, compound, (None, None), (name, content_type, bytes), actor).await?;
        let receipt = insert_ballot(&mut tx, compound, matter, unit, principal_choice, Channel::Proxy, actor).await?;
        sqlx::query(
            "INSERT INTO proxies (compound_id, matter_id, unit_no, proxy_name, principal_choice, attachment_id, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(compound)
        .bind(matter)
        .bind(unit.as_str())
        .bind(proxy_name.trim())
        .bind(principal_choice.as_str())
        .bind(&attachment)
        .bind(actor.id)
        .bind(now_ms())
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

    /// Attaches a file to a matter (its text, plans, quotes…).
    pub async fn attach(
        &self,
        compound: &str,
        matter: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        actor: Actor<'_>,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let id = insert_attachment(&mut tx, compound, (Some(matter), None), (name, content_type, bytes), actor).await?;
        append(&mut tx, compound, actor.login, "matter.attach", matter, name).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn attachment(&self, compound: &str, id: &str) -> Result<Attachment> {
        let r = sqlx::query(
            "SELECT id, matter_id, name, content_type, bytes, project_id FROM attachments WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("attachment {id}")))?;
        Ok(Attachment {
            id: r.get(0),
            matter_id: r.get(1),
            name: r.get(2),
            content_type: r.get(3),
            bytes: r.get(4),
            project_id: r.get(5),
        })
    }

    /// Attaches a document to a project (a quote, a contract, the scheme, a permit).
    pub async fn attach_to_project(
        &self,
        compound: &str,
        project: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        actor: Actor<'_>,
    ) -> Result<String> {
        if bytes.is_empty() {
            return Err(StoreError::BadInput("file: the file is empty".into()));
        }
        self.project(compound, project).await?;
        let mut tx = self.begin_write().await?;
        let id =
            insert_attachment(&mut tx, compound, (None, Some(project)), (name, content_type, bytes), actor).await?;
        append(&mut tx, compound, actor.login, "project.attach", project, name).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A project's documents: (id, name).
    pub async fn project_documents(&self, compound: &str, project: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT id, name FROM attachments WHERE compound_id = $1 AND project_id = $2 ORDER BY created_at, id",
        )
        .bind(compound)
        .bind(project)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// A matter's attached files: (id, name).
    pub async fn attachments(&self, compound: &str, matter: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT id, name FROM attachments WHERE compound_id = $1 AND matter_id = $2 ORDER BY created_at, id",
        )
        .bind(compound)
        .bind(matter)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

/// Stores a file for a matter, a project, or (neither) a proxy's authorisation.
async fn insert_attachment(
    conn: &mut sqlx::AnyConnection,
    compound: &str,
    (matter, project): (Option<&str>, Option<&str>),
    (name, content_type, bytes): (&str, &str, &[u8]),
    actor: Actor<'_>,
) -> Result<String> {
    if bytes.len() > MAX_ATTACHMENT {
        return Err(StoreError::BadInput(format!("file: {name} is larger than 10 MB")));
    }
    let id = new_id();
    sqlx::query(
        "INSERT INTO attachments (compound_id, id, matter_id, project_id, name, content_type, bytes, uploaded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(compound)
    .bind(&id)
    .bind(matter)
    .bind(project)
    .bind(name)
    .bind(content_type)
    .bind(bytes.to_vec())
    .bind(actor.id)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

fn row_entry(r: &sqlx::any::AnyRow) -> Option<PaperEntry> {
    Some(PaperEntry {
        unit: r.get(0),
        entry_no: r.get(1),
        choice: Choice::parse(&r.get::<String, _>(2))?,
        entered_by: r.get(3),
    })
}

async fn entries_for(
    conn: &mut sqlx::AnyConnection,
    compound: &str,
    matter: &str,
    unit: &UnitNo,
) -> Result<Vec<PaperEntry>> {
    let rows = sqlx::query(
        "SELECT unit_no, entry_no, choice, entered_by FROM paper_entries WHERE compound_id = $1 AND matter_id = $2 AND unit_no = $3 ORDER BY entry_no",
    )
    .bind(compound)
    .bind(matter)
    .bind(unit.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().filter_map(row_entry).collect())
}
