//! The compound's other meetings: scheduled with their agenda, then attendance and minutes
//! recorded, corrected by attendees and locked; resolutions with who does what by when, each
//! update kept, and what a resolution led to (a matter put to the owners, a project). A
//! resolution's due day reminds whoever keeps the records, withdrawn when it is done or dropped.

use crate::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
use crate::committee::meetings::keepers;
use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store, StoreError};
use gongzhi_core::committee::CommitteeRefusal as R;
use gongzhi_core::committee::minutes::{MeetingKind, MinutesStatus, ResolutionStatus};
use gongzhi_core::kit::period::{day_of, parse_day, start_of};
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};

/// A meeting to schedule.
#[derive(Clone, Debug)]
pub struct NewCompoundMeeting {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub agenda: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    pub by: String,
    pub body: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolutionUpdate {
    pub status: ResolutionStatus,
    pub note: String,
    pub by: String,
    pub on: Date,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub id: String,
    pub meeting_id: String,
    pub body: String,
    pub assignee: String,
    pub due: Date,
    pub status: ResolutionStatus,
    pub matter_id: Option<String>,
    pub project_id: Option<String>,
    pub updates: Vec<ResolutionUpdate>,
}

impl Resolution {
    /// The day it was last closed (done or dropped), for the deadline's status.
    pub fn closed_on(&self) -> Option<Date> {
        self.updates.iter().rev().find(|u| u.status != ResolutionStatus::Open).map(|u| u.on)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompoundMeeting {
    pub id: String,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub agenda: String,
    pub attendees: Vec<String>,
    pub minutes: String,
    pub minutes_status: MinutesStatus,
    pub corrections: Vec<Correction>,
    pub resolutions: Vec<Resolution>,
}

/// The kind of the reminder that a resolution is due.
pub const RESOLUTION_DUE: &str = "committee.resolution-due";

const COLS: &str = "id, kind, title, starts_at, ends_at, place, agenda, attendees, minutes, minutes_status";

fn split(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Io(format!("stored meeting {what} is not valid"))
}

fn meeting_from_row(r: &sqlx::any::AnyRow) -> Result<CompoundMeeting> {
    Ok(CompoundMeeting {
        id: r.get(0),
        kind: MeetingKind::parse(&r.get::<String, _>(1)).ok_or_else(|| corrupt("kind"))?,
        title: r.get(2),
        starts_at: r.get(3),
        ends_at: r.get(4),
        place: r.get(5),
        agenda: r.get(6),
        attendees: split(&r.get::<String, _>(7)),
        minutes: r.get(8),
        minutes_status: MinutesStatus::parse(&r.get::<String, _>(9)).ok_or_else(|| corrupt("minutes status"))?,
        corrections: vec![],
        resolutions: vec![],
    })
}

/// The meeting's title and minutes status, locked for a write (a missing meeting refused).
async fn lock_meeting(
    conn: &mut AnyConnection,
    compound: &str,
    id: &str,
) -> Result<(String, MinutesStatus, Vec<String>)> {
    sqlx::query("UPDATE compound_meetings SET title = title WHERE compound_id = $1 AND id = $2")
        .bind(compound)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let row = sqlx::query(
        "SELECT title, minutes_status, attendees FROM compound_meetings WHERE compound_id = $1 AND id = $2",
    )
    .bind(compound)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return R::MeetingUnknown { id: id.into() }.err() };
    let status = MinutesStatus::parse(&row.get::<String, _>(1)).ok_or_else(|| corrupt("minutes status"))?;
    Ok((row.get(0), status, split(&row.get::<String, _>(2))))
}

async fn check_link(
    conn: &mut AnyConnection,
    compound: &str,
    table: &str,
    field: &str,
    id: Option<&str>,
) -> Result<()> {
    let Some(id) = id.filter(|s| !s.is_empty()) else { return Ok(()) };
    // only a fixed table name is formatted in
    let found: Option<String> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id FROM {table} WHERE compound_id = $1 AND id = $2")))
            .bind(compound)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match found {
        Some(_) => Ok(()),
        None => R::LinkUnknown { field: field.into(), id: id.into() }.err(),
    }
}

fn text(field: &str, s: &str) -> Result<String> {
    match s.trim() {
        "" => R::TextMissing { field: field.into() }.err(),
        t => Ok(t.to_string()),
    }
}

/// 09:00 in Shanghai on a day.
fn morning(d: Date) -> i64 {
    start_of(d) + 9 * 3_600_000
}

impl Store {
    /// Schedules one of the compound's meetings. Audited.
    pub async fn schedule_compound_meeting(
        &self,
        compound: &str,
        m: &NewCompoundMeeting,
        actor: Actor<'_>,
    ) -> Result<CompoundMeeting> {
        if m.title.trim().is_empty() {
            return R::MeetingTitleMissing.err();
        }
        if m.ends_at < m.starts_at {
            return R::MeetingEndsBeforeStart.err();
        }
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO compound_meetings (compound_id, id, kind, title, starts_at, ends_at, place, agenda, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(compound)
        .bind(&id)
        .bind(m.kind.as_str())
        .bind(m.title.trim())
        .bind(m.starts_at)
        .bind(m.ends_at)
        .bind(m.place.trim())
        .bind(m.agenda.trim())
        .bind(actor.id)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "committee.minutes-schedule", &id, m.kind.as_str()).await?;
        tx.commit().await?;
        self.compound_meeting(compound, &id).await
    }

    /// Records who attended and the minutes' draft (or rewrites the draft with corrections taken
    /// in); refused once locked. Audited.
    pub async fn write_minutes(
        &self,
        compound: &str,
        id: &str,
        attendees: &[String],
        minutes: &str,
        actor: Actor<'_>,
    ) -> Result<CompoundMeeting> {
        let minutes = text("minutes", minutes)?;
        let mut tx = self.begin_write().await?;
        let (title, status, _) = lock_meeting(&mut tx, compound, id).await?;
        let next = match status {
            MinutesStatus::Locked => return R::MinutesLocked { title }.err(),
            MinutesStatus::None => MinutesStatus::Draft,
            s => s,
        };
        let mut names: Vec<String> = Vec::new();
        for a in attendees.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
            if names.iter().any(|n| n == a) {
                return R::NameTwice { name: a.into() }.err();
            }
            names.push(a.into());
        }
        sqlx::query(
            "UPDATE compound_meetings SET attendees = $1, minutes = $2, minutes_status = $3 WHERE compound_id = $4 AND id = $5",
        )
        .bind(names.join(";"))
        .bind(&minutes)
        .bind(next.as_str())
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "committee.minutes-write", id, &format!("attendees={}", names.len()))
            .await?;
        tx.commit().await?;
        self.compound_meeting(compound, id).await
    }

    /// An attendee's correction to the minutes (`by` is the attendee's name as on the list).
    /// Audited.
    pub async fn correct_minutes(
        &self,
        compound: &str,
        id: &str,
        by: &str,
        body: &str,
        actor: Actor<'_>,
    ) -> Result<CompoundMeeting> {
        let body = text("correction", body)?;
        let mut tx = self.begin_write().await?;
        let (title, status, attendees) = lock_meeting(&mut tx, compound, id).await?;
        let Some(next) = status.after_correction() else {
            return match status {
                MinutesStatus::Locked => R::MinutesLocked { title }.err(),
                _ => R::MinutesNotWritten { title }.err(),
            };
        };
        if !attendees.iter().any(|a| a == by.trim()) {
            return R::NotAnAttendee { name: by.trim().into(), title }.err();
        }
        let seq: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM minutes_corrections WHERE compound_id = $1 AND meeting_id = $2")
                .bind(compound)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO minutes_corrections (compound_id, meeting_id, seq, by_name, body, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(compound)
        .bind(id)
        .bind(seq)
        .bind(by.trim())
        .bind(&body)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE compound_meetings SET minutes_status = $1 WHERE compound_id = $2 AND id = $3")
            .bind(next.as_str())
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, compound, actor.login, "committee.minutes-correct", id, &format!("seq={seq}")).await?;
        tx.commit().await?;
        self.compound_meeting(compound, id).await
    }

    /// Locks the minutes: final, nothing changes any more. Audited.
    pub async fn lock_minutes(&self, compound: &str, id: &str, actor: Actor<'_>) -> Result<CompoundMeeting> {
        let mut tx = self.begin_write().await?;
        let (title, status, _) = lock_meeting(&mut tx, compound, id).await?;
        match status {
            MinutesStatus::Locked => return R::MinutesLocked { title }.err(),
            MinutesStatus::None => return R::MinutesNotWritten { title }.err(),
            _ => {}
        }
        sqlx::query(
            "UPDATE compound_meetings SET minutes_status = 'locked', locked_at = $1 WHERE compound_id = $2 AND id = $3",
        )
        .bind(crate::now_ms())
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "committee.minutes-lock", id, "").await?;
        tx.commit().await?;
        self.compound_meeting(compound, id).await
    }

    /// Adds a resolution: what, who does it, by when, and what it leads to if already known; its
    /// due day reminds the record keepers. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_resolution(
        &self,
        compound: &str,
        meeting: &str,
        body: &str,
        assignee: &str,
        due: Date,
        links: (Option<&str>, Option<&str>),
        actor: Actor<'_>,
    ) -> Result<Resolution> {
        let body = text("body", body)?;
        let assignee = text("assignee", assignee)?;
        let mut tx = self.begin_write().await?;
        let (title, _, _) = lock_meeting(&mut tx, compound, meeting).await?;
        check_link(&mut tx, compound, "matters", "matter_id", links.0).await?;
        check_link(&mut tx, compound, "projects", "project_id", links.1).await?;
        let seq: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM resolutions WHERE compound_id = $1 AND meeting_id = $2")
                .bind(compound)
                .bind(meeting)
                .fetch_one(&mut *tx)
                .await?;
        let id = new_id();
        sqlx::query(
            "INSERT INTO resolutions (compound_id, id, meeting_id, seq, body, assignee, due, status, matter_id, project_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10)",
        )
        .bind(compound)
        .bind(&id)
        .bind(meeting)
        .bind(seq)
        .bind(&body)
        .bind(&assignee)
        .bind(due.to_string())
        .bind(links.0.filter(|s| !s.is_empty()))
        .bind(links.1.filter(|s| !s.is_empty()))
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let people = keepers(&mut tx, compound).await?;
        let d = Deadline {
            about: &id,
            kind: RESOLUTION_DUE,
            key: &format!("resolution:{id}"),
            due_at: morning(due),
            subject: format!("决议事项今日到期：{body}"),
            body: format!("“{title}”议定由 {assignee} 在 {due} 前完成：{body}。请在共治中记录进展或结果。"),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "committee.resolution", &id, &format!("meeting={meeting} due={due}"))
            .await?;
        tx.commit().await?;
        self.resolution(compound, &id).await
    }

    /// Follows a resolution up: its new status with a note, on a day, and what it led to. Done or
    /// dropped withdraws its reminder. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_resolution(
        &self,
        compound: &str,
        id: &str,
        status: ResolutionStatus,
        note: &str,
        by: &str,
        links: (Option<&str>, Option<&str>),
        actor: Actor<'_>,
    ) -> Result<Resolution> {
        let note = text("note", note)?;
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE resolutions SET status = $1 WHERE compound_id = $2 AND id = $3")
            .bind(status.as_str())
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return R::ResolutionUnknown { id: id.into() }.err();
        }
        check_link(&mut tx, compound, "matters", "matter_id", links.0).await?;
        check_link(&mut tx, compound, "projects", "project_id", links.1).await?;
        if let Some(m) = links.0.filter(|s| !s.is_empty()) {
            sqlx::query("UPDATE resolutions SET matter_id = $1 WHERE compound_id = $2 AND id = $3")
                .bind(m)
                .bind(compound)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(p) = links.1.filter(|s| !s.is_empty()) {
            sqlx::query("UPDATE resolutions SET project_id = $1 WHERE compound_id = $2 AND id = $3")
                .bind(p)
                .bind(compound)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let seq: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM resolution_updates WHERE compound_id = $1 AND resolution_id = $2")
                .bind(compound)
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
        let now = crate::now_ms();
        sqlx::query(
            "INSERT INTO resolution_updates (compound_id, resolution_id, seq, status, note, by_name, on_day, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(compound)
        .bind(id)
        .bind(seq)
        .bind(status.as_str())
        .bind(&note)
        .bind(by.trim())
        .bind(day_of(now).to_string())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if status != ResolutionStatus::Open {
            cancel_deadline(&mut tx, compound, id, RESOLUTION_DUE).await?;
        }
        append(&mut tx, compound, actor.login, "committee.resolution-update", id, status.as_str()).await?;
        tx.commit().await?;
        self.resolution(compound, id).await
    }

    async fn resolutions_where(&self, compound: &str, filter: &str, value: &str) -> Result<Vec<Resolution>> {
        // only a fixed column name is formatted in
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT id, meeting_id, body, assignee, due, status, matter_id, project_id FROM resolutions \
             WHERE compound_id = $1 AND {filter} = $2 ORDER BY seq, id"
        )))
        .bind(compound)
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: String = r.get(0);
            let ups = sqlx::query(
                "SELECT status, note, by_name, on_day FROM resolution_updates WHERE compound_id = $1 AND resolution_id = $2 ORDER BY seq",
            )
            .bind(compound)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let mut updates = Vec::new();
            for u in &ups {
                updates.push(ResolutionUpdate {
                    status: ResolutionStatus::parse(&u.get::<String, _>(0))
                        .ok_or_else(|| corrupt("resolution status"))?,
                    note: u.get(1),
                    by: u.get(2),
                    on: parse_day(&u.get::<String, _>(3)).ok_or_else(|| corrupt("update day"))?,
                });
            }
            out.push(Resolution {
                id,
                meeting_id: r.get(1),
                body: r.get(2),
                assignee: r.get(3),
                due: parse_day(&r.get::<String, _>(4)).ok_or_else(|| corrupt("due day"))?,
                status: ResolutionStatus::parse(&r.get::<String, _>(5)).ok_or_else(|| corrupt("resolution status"))?,
                matter_id: r.get(6),
                project_id: r.get(7),
                updates,
            });
        }
        Ok(out)
    }

    pub async fn resolution(&self, compound: &str, id: &str) -> Result<Resolution> {
        match self.resolutions_where(compound, "id", id).await?.pop() {
            Some(r) => Ok(r),
            None => R::ResolutionUnknown { id: id.into() }.err(),
        }
    }

    /// One meeting with its corrections and resolutions.
    pub async fn compound_meeting(&self, compound: &str, id: &str) -> Result<CompoundMeeting> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM compound_meetings WHERE compound_id = $1 AND id = $2"
        )))
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return R::MeetingUnknown { id: id.into() }.err() };
        let mut m = meeting_from_row(&row)?;
        let rows = sqlx::query(
            "SELECT by_name, body, at FROM minutes_corrections WHERE compound_id = $1 AND meeting_id = $2 ORDER BY seq",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        m.corrections = rows.iter().map(|r| Correction { by: r.get(0), body: r.get(1), at: r.get(2) }).collect();
        m.resolutions = self.resolutions_where(compound, "meeting_id", id).await?;
        Ok(m)
    }

    /// The compound's meetings, the latest first, each with its resolutions.
    pub async fn compound_meetings(&self, compound: &str) -> Result<Vec<CompoundMeeting>> {
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM compound_meetings WHERE compound_id = $1 ORDER BY starts_at DESC, id")
                .bind(compound)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.compound_meeting(compound, &id).await?);
        }
        Ok(out)
    }
}
