//! The committee's meetings and decisions: attendance in person, decisions counted by core's rule
//! (a quorum of more than half of all members present; adopted with more than half of all members
//! signing), and the day each decision was posted.

use crate::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store};
use gongzhi_core::committee::meetings::{Attendance, Decision, Roll, decide, quorum};
use gongzhi_core::kit::period::parse_day;
use jiff::civil::Date;
use sqlx::Row;

/// A meeting as recorded, with its decisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub id: String,
    pub held_on: Date,
    pub extraordinary: bool,
    pub rc_invited: bool,
    pub attendees: Vec<String>,
    pub decisions: Vec<DecisionRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecisionRecord {
    pub id: String,
    pub title: String,
    pub body: String,
    pub signed: Vec<String>,
    pub decision: Decision,
    pub posted_on: Option<Date>,
}

/// The kind of the reminder that an adopted decision is still to be posted.
pub const POST_DECISION: &str = "committee.post-decision";
/// The kind of the reminder that the next regular meeting is due.
pub const NEXT_MEETING: &str = "committee.next-meeting";

/// Who keeps the committee's records: the director and the residents' committee's staff.
pub(crate) async fn keepers(conn: &mut sqlx::AnyConnection, compound: &str) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT account_id FROM account_roles WHERE compound_id = $1 \
         AND role IN ('committee-director', 'rc-staff') ORDER BY account_id",
    )
    .bind(compound)
    .fetch_all(&mut *conn)
    .await?)
}

/// 09:00 in Shanghai on a day.
fn morning(d: Date) -> i64 {
    gongzhi_core::kit::period::start_of(d) + 9 * 3_600_000
}

impl Store {
    /// The roll of the current term: its members by name and its seats.
    async fn committee_roll(&self, compound: &str) -> Result<(String, Roll)> {
        let rec =
            self.committee_term(compound).await?.ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        let roll = Roll {
            members: rec.committee.members.iter().map(|m| m.name.clone()).collect(),
            seats: rec.committee.seats,
            basis: self.committee_settings(compound).await?.quorum_basis,
        };
        Ok((rec.id, roll))
    }

    /// Records a meeting held on `held_on` with those who attended in person (each a member,
    /// none twice). A meeting without a quorum is recorded; it cannot decide. Audited.
    pub async fn record_meeting(
        &self,
        compound: &str,
        held_on: Date,
        extraordinary: bool,
        rc_invited: bool,
        attendees: &[String],
        actor: Actor<'_>,
    ) -> Result<String> {
        let (term, roll) = self.committee_roll(compound).await?;
        let present: Vec<Attendance> =
            attendees.iter().map(|m| Attendance { member: m.clone(), proxy: None }).collect();
        // every name a member, none twice; the quorum itself is for deciding
        if let Err(r) = quorum(&roll, &present)
            && r.code() != "committee.no-quorum"
        {
            return Err(r.into());
        }
        let rest = self.rest_days(compound).await?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO committee_meetings (compound_id, id, term_id, held_on, kind, rc_invited, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(compound)
        .bind(&id)
        .bind(&term)
        .bind(held_on.to_string())
        .bind(if extraordinary { "extraordinary" } else { "regular" })
        .bind(rc_invited as i64)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        for m in attendees {
            sqlx::query("INSERT INTO committee_attendance (compound_id, meeting_id, member) VALUES ($1, $2, $3)")
                .bind(compound)
                .bind(&id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        let what = format!("held_on={held_on} present={}/{}", attendees.len(), roll.all());
        append(&mut tx, compound, actor.login, "committee.meeting", &id, &what).await?;
        // the next regular meeting is due within two months: the director and staff are
        // reminded a week before (the reminder of an earlier meeting is withdrawn)
        let last: Option<String> =
            sqlx::query_scalar("SELECT MAX(held_on) FROM committee_meetings WHERE compound_id = $1")
                .bind(compound)
                .fetch_one(&mut *tx)
                .await?;
        if let Some(last) = last.as_deref().and_then(parse_day) {
            let rule = self.voting_settings(compound).await?.periods;
            let due = gongzhi_core::committee::meetings::next_regular_due(last, rule, &rest);
            cancel_deadline(&mut tx, compound, compound, NEXT_MEETING).await?;
            let people = keepers(&mut tx, compound).await?;
            let remind = due.checked_sub(jiff::Span::new().days(7)).unwrap_or(due);
            let d = Deadline {
                about: compound,
                kind: NEXT_MEETING,
                key: &format!("next-meeting:{due}:{id}"),
                due_at: morning(remind),
                subject: format!("业委会下次会议应不晚于 {due} 召开"),
                body: format!(
                    "上次会议为 {last}。业委会至少每两个月召开一次会议（《上海市住宅物业管理规定》第二十六条），请安排会议并邀请居委会列席。"
                ),
                people: &people,
            };
            schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Records a decision of a meeting with the members who signed in agreement: refused when
    /// the meeting had no quorum or a signer did not attend; adopted when more than half of all
    /// members signed. Audited.
    pub async fn record_decision(
        &self,
        compound: &str,
        meeting: &str,
        title: &str,
        body: &str,
        signed: &[String],
        actor: Actor<'_>,
    ) -> Result<DecisionRecord> {
        let (_, roll) = self.committee_roll(compound).await?;
        let m = self
            .meetings(compound)
            .await?
            .into_iter()
            .find(|m| m.id == meeting)
            .ok_or_else(|| gongzhi_core::kit::KitRefusal::NotFound.refused())?;
        let present: Vec<Attendance> =
            m.attendees.iter().map(|a| Attendance { member: a.clone(), proxy: None }).collect();
        let decision = decide(&roll, &present, signed)?;
        let title = title.trim();
        if title.is_empty() {
            return gongzhi_core::kit::KitRefusal::FormInvalid { detail: "title: give the decision a title".into() }
                .err();
        }
        let rest = self.rest_days(compound).await?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO committee_decisions (compound_id, id, meeting_id, title, body, agreed, all_members, adopted, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(&id)
        .bind(meeting)
        .bind(title)
        .bind(body)
        .bind(i64::from(decision.agreed))
        .bind(i64::from(decision.all))
        .bind(decision.adopted as i64)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        for s in signed {
            sqlx::query("INSERT INTO committee_signatures (compound_id, decision_id, member) VALUES ($1, $2, $3)")
                .bind(compound)
                .bind(&id)
                .bind(s)
                .execute(&mut *tx)
                .await?;
        }
        let what = format!("agreed={}/{} adopted={}", decision.agreed, decision.all, decision.adopted);
        append(&mut tx, compound, actor.login, "committee.decision", &id, &what).await?;
        if decision.adopted {
            // posted within 3 days: the director and staff are reminded on the last day
            let rule = self.voting_settings(compound).await?.periods;
            let today = gongzhi_core::kit::period::day_of(crate::now_ms());
            let due = gongzhi_core::committee::meetings::posting(m.held_on, None, today, rule, &rest).due;
            let people = keepers(&mut tx, compound).await?;
            let d = Deadline {
                about: &id,
                kind: POST_DECISION,
                key: &format!("post:{id}"),
                due_at: morning(due),
                subject: format!("请在 {due} 前公告业委会决定“{title}”"),
                body: format!(
                    "业委会的决定应在作出后三日内公告（第二十六条）。决定于 {} 作出，最迟 {due} 公告。",
                    m.held_on
                ),
                people: &people,
            };
            schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        }
        tx.commit().await?;
        Ok(DecisionRecord {
            id,
            title: title.into(),
            body: body.into(),
            signed: signed.to_vec(),
            decision,
            posted_on: None,
        })
    }

    /// Records the day a decision was posted. Audited.
    pub async fn post_decision(&self, compound: &str, decision: &str, on: Date, actor: Actor<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("UPDATE committee_decisions SET posted_on = $1 WHERE compound_id = $2 AND id = $3")
            .bind(on.to_string())
            .bind(compound)
            .bind(decision)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return gongzhi_core::kit::KitRefusal::NotFound.err();
        }
        append(&mut tx, compound, actor.login, "committee.posted", decision, &format!("posted_on={on}")).await?;
        cancel_deadline(&mut tx, compound, decision, POST_DECISION).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The compound's meetings, newest first, each with its attendance and decisions.
    pub async fn meetings(&self, compound: &str) -> Result<Vec<Meeting>> {
        let rows = sqlx::query(
            "SELECT id, held_on, kind, rc_invited FROM committee_meetings WHERE compound_id = $1 \
             ORDER BY held_on DESC, created_at DESC",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let id: String = r.get(0);
            let attendees: Vec<String> = sqlx::query_scalar(
                "SELECT member FROM committee_attendance WHERE compound_id = $1 AND meeting_id = $2 ORDER BY member",
            )
            .bind(compound)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let ds = sqlx::query(
                "SELECT id, title, body, agreed, all_members, adopted, posted_on FROM committee_decisions \
                 WHERE compound_id = $1 AND meeting_id = $2 ORDER BY created_at, id",
            )
            .bind(compound)
            .bind(&id)
            .fetch_all(&self.pool)
            .await?;
            let mut decisions = Vec::new();
            for d in &ds {
                let did: String = d.get(0);
                let signed: Vec<String> = sqlx::query_scalar(
                    "SELECT member FROM committee_signatures WHERE compound_id = $1 AND decision_id = $2 ORDER BY member",
                )
                .bind(compound)
                .bind(&did)
                .fetch_all(&self.pool)
                .await?;
                let (agreed, all) = (d.get::<i64, _>(3) as u32, d.get::<i64, _>(4) as u32);
                decisions.push(DecisionRecord {
                    id: did,
                    title: d.get(1),
                    body: d.get(2),
                    signed,
                    decision: Decision { agreed, all, needed: all / 2 + 1, adopted: d.get::<i64, _>(5) == 1 },
                    posted_on: d.get::<Option<String>, _>(6).as_deref().and_then(parse_day),
                });
            }
            out.push(Meeting {
                held_on: parse_day(&r.get::<String, _>(1)).unwrap_or_default(),
                extraordinary: r.get::<String, _>(2) == "extraordinary",
                rc_invited: r.get::<i64, _>(3) == 1,
                attendees,
                decisions,
                id,
            });
        }
        Ok(out)
    }
}
