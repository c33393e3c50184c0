//! The owners' committee's records (issue 12): the current term with its members and alternates,
//! and the days its change of term's steps happened. Deadlines and findings are computed in core
//! from these.

pub mod compound_meetings;
pub mod departures;
pub mod elections;
pub mod meetings;
pub mod settings;

use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store};
use gongzhi_core::committee::term::{ChangeOfTerm, Committee, Member, Office, StepKind};
use gongzhi_core::kit::period::parse_day;
use jiff::civil::Date;
use sqlx::Row;

/// The current term as stored: its id, the committee, each member's unit, and its change of term.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermRecord {
    pub id: String,
    pub committee: Committee,
    /// Each member's and alternate's unit, by name.
    pub units: Vec<(String, Option<String>)>,
    pub change: ChangeOfTerm,
}

/// A member to record with a new term.
#[derive(Clone, Debug)]
pub struct NewMember {
    pub member: Member,
    pub unit: Option<String>,
    pub alternate: bool,
}

fn office_str(o: Office, alternate: bool) -> &'static str {
    match (alternate, o) {
        (true, _) => "alternate",
        (false, Office::Director) => "director",
        (false, Office::ViceDirector) => "vice-director",
        (false, Office::Member) => "member",
    }
}

fn day(s: Option<String>) -> Option<Date> {
    s.as_deref().and_then(parse_day)
}

fn step_column(step: StepKind) -> &'static str {
    match step {
        StepKind::Report => "reported",
        StepKind::Group => "group_formed",
        StepKind::Handover => "handed_over",
        StepKind::Election => "elected",
        StepKind::ListPosted => "list_posted",
        StepKind::Filing => "filed",
    }
}

/// Inserts a term with its members inside the caller's transaction (the incoming one names its
/// predecessor).
pub(crate) async fn insert_term(
    conn: &mut sqlx::AnyConnection,
    compound: &str,
    (seats, term_start, term_years): (u32, Date, u32),
    members: &[NewMember],
    predecessor: Option<&str>,
    actor: Actor<'_>,
) -> Result<String> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO committee_terms (compound_id, id, seats, term_start, term_years, created_at, predecessor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(compound)
    .bind(&id)
    .bind(i64::from(seats))
    .bind(term_start.to_string())
    .bind(i64::from(term_years))
    .bind(crate::now_ms())
    .bind(predecessor)
    .execute(&mut *conn)
    .await?;
    for (i, m) in members.iter().enumerate() {
        sqlx::query(
            "INSERT INTO committee_members (compound_id, term_id, seq, name, unit_no, office, party_member, \
                 undertaking_signed, trained) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(&id)
        .bind(i as i64)
        .bind(&m.member.name)
        .bind(&m.unit)
        .bind(office_str(m.member.office, m.alternate))
        .bind(m.member.party_member as i64)
        .bind(m.member.undertaking_signed.map(|d| d.to_string()))
        .bind(m.member.trained.map(|d| d.to_string()))
        .execute(&mut *conn)
        .await?;
    }
    let what = format!("seats={seats} start={term_start} years={term_years} members={}", members.len());
    append(conn, compound, actor.login, "committee.seed", &id, &what).await?;
    Ok(id)
}

impl Store {
    /// Records a term of the committee with its members (in order; alternates in the order they
    /// fill vacancies). Audited.
    pub async fn record_term(
        &self,
        compound: &str,
        seats: u32,
        term_start: Date,
        term_years: u32,
        members: &[NewMember],
        actor: Actor<'_>,
    ) -> Result<String> {
        let mut tx = self.begin_write().await?;
        let id = insert_term(&mut tx, compound, (seats, term_start, term_years), members, None, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The compound's current term, if one is recorded: the latest one in office (an incoming
    /// committee takes office when its predecessor's change of term is filed).
    pub async fn committee_term(&self, compound: &str) -> Result<Option<TermRecord>> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT t.id FROM committee_terms t WHERE t.compound_id = $1 AND (t.predecessor IS NULL OR EXISTS \
             (SELECT 1 FROM committee_terms p WHERE p.compound_id = t.compound_id AND p.id = t.predecessor AND p.filed IS NOT NULL)) \
             ORDER BY t.created_at DESC, t.id DESC LIMIT 1",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.term_by_id(compound, &id).await,
            None => Ok(None),
        }
    }

    /// The committee elected at the current term's change of term, not yet in office.
    pub async fn incoming_term(&self, compound: &str) -> Result<Option<TermRecord>> {
        let Some(current) = self.committee_term(compound).await? else { return Ok(None) };
        let id: Option<String> = sqlx::query_scalar(
            "SELECT id FROM committee_terms WHERE compound_id = $1 AND predecessor = $2 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(compound)
        .bind(&current.id)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => self.term_by_id(compound, &id).await,
            None => Ok(None),
        }
    }

    async fn term_by_id(&self, compound: &str, id: &str) -> Result<Option<TermRecord>> {
        let Some(t) = sqlx::query(
            "SELECT id, seats, term_start, term_years, reported, group_formed, handed_over, elected, list_posted, \
             filed FROM committee_terms WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: String = t.get(0);
        let rows = sqlx::query(
            "SELECT name, unit_no, office, party_member, undertaking_signed, trained FROM committee_members \
             WHERE compound_id = $1 AND term_id = $2 AND left_on IS NULL ORDER BY seq",
        )
        .bind(compound)
        .bind(&id)
        .fetch_all(&self.pool)
        .await?;
        let (mut members, mut alternates, mut units) = (Vec::new(), Vec::new(), Vec::new());
        for r in &rows {
            let office: String = r.get(2);
            let m = Member {
                name: r.get(0),
                office: match office.as_str() {
                    "director" => Office::Director,
                    "vice-director" => Office::ViceDirector,
                    _ => Office::Member,
                },
                party_member: r.get::<i64, _>(3) == 1,
                undertaking_signed: day(r.get(4)),
                trained: day(r.get(5)),
            };
            units.push((m.name.clone(), r.get::<Option<String>, _>(1)));
            if office == "alternate" { alternates.push(m) } else { members.push(m) }
        }
        let start =
            day(Some(t.get(2))).ok_or_else(|| crate::StoreError::Io("stored term start is not a date".into()))?;
        Ok(Some(TermRecord {
            id,
            committee: Committee {
                seats: u32::try_from(t.get::<i64, _>(1)).unwrap_or(0),
                term_start: start,
                term_years: u32::try_from(t.get::<i64, _>(3)).unwrap_or(0),
                members,
                alternates,
            },
            units,
            change: ChangeOfTerm {
                reported: day(t.get(4)),
                group_formed: day(t.get(5)),
                handed_over: day(t.get(6)),
                elected: day(t.get(7)),
                list_posted: day(t.get(8)),
                filed: day(t.get(9)),
            },
        }))
    }

    /// Records the day a step of the current term's change of term happened (or clears it with
    /// None, to correct a mistake). Audited.
    pub async fn record_step(
        &self,
        compound: &str,
        term: &str,
        step: StepKind,
        on: Option<Date>,
        actor: Actor<'_>,
    ) -> Result<()> {
        let col = step_column(step);
        let mut tx = self.begin_write().await?;
        // only a fixed column name is formatted in; the values are bound
        let n = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE committee_terms SET {col} = $1 WHERE compound_id = $2 AND id = $3"
        )))
        .bind(on.map(|d| d.to_string()))
        .bind(compound)
        .bind(term)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        let what = format!("{col}={}", on.map(|d| d.to_string()).unwrap_or_default());
        append(&mut tx, compound, actor.login, "committee.step", term, &what).await?;
        tx.commit().await?;
        Ok(())
    }
}
