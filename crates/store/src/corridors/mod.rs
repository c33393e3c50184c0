//! Corridor rounds (issue 13): the call for plans with its deadline, phases and rubric; each
//! building's plan (revised until the deadline, later ones marked late); each reviewer's marks;
//! the recommendation, the committee's adoption (posted within 3 days, reminded) or return; each
//! building's progress and each phase's actual cost.

mod decision;
mod photos;

use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store, StoreError};
use gongzhi_core::corridors::refusal::CorridorRefusal as R;
use gongzhi_core::corridors::review::{Criterion, Marks, Progress, Work, plan_score};
use gongzhi_core::corridors::{Phase, Plan, Policy, Round};
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::{day_of, parse_day};
use gongzhi_core::registry::BuildingNo;
use jiff::civil::Date;
pub use photos::PhotoRecord;
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRound {
    pub title: String,
    pub notice: String,
    pub deadline: Date,
    /// (label, budget, capacity) per phase, in order.
    pub phases: Vec<(String, Money, u32)>,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseRecord {
    pub label: String,
    pub budget: Money,
    pub capacity: u32,
    pub actual: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanRecord {
    pub building: BuildingNo,
    pub works: Vec<Work>,
    pub description: String,
    pub cost: Money,
    pub signatures: u32,
    pub households: u32,
    pub late: bool,
    pub revised: bool,
    pub progress: Progress,
    pub progress_note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkRecord {
    pub building: BuildingNo,
    pub reviewer_id: String,
    pub marks: Marks,
}

/// Where a round stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Call,
    Recommended,
    Adopted,
    Returned,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Call => "call",
            Stage::Recommended => "recommended",
            Stage::Adopted => "adopted",
            Stage::Returned => "returned",
        }
    }

    fn parse(s: &str) -> Option<Stage> {
        [Stage::Call, Stage::Recommended, Stage::Adopted, Stage::Returned].into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundRecord {
    pub id: String,
    pub title: String,
    pub notice: String,
    pub deadline: Date,
    pub stage: Stage,
    pub phases: Vec<PhaseRecord>,
    pub criteria: Vec<Criterion>,
    pub plans: Vec<PlanRecord>,
    pub marks: Vec<MarkRecord>,
    pub recommended: Option<Policy>,
    pub recommendation: String,
    pub adopted_on: Option<Date>,
    pub posted_on: Option<Date>,
    pub return_reason: String,
    /// The adopted schedule: each building's phase (None: unscheduled).
    pub adopted: Vec<(BuildingNo, Option<u32>)>,
}

impl RoundRecord {
    /// Each plan with its score from the marks so far, as the schedule reads them; plans nobody
    /// marked score 0.
    pub fn scored(&self) -> Vec<(Plan, Option<gongzhi_core::corridors::Score>)> {
        self.plans
            .iter()
            .map(|p| {
                let ms: Vec<Marks> =
                    self.marks.iter().filter(|m| m.building == p.building).map(|m| m.marks.clone()).collect();
                let s = plan_score(&self.criteria, &ms);
                (Plan { building: p.building.clone(), cost: p.cost, score: s.unwrap_or_default() }, s)
            })
            .collect()
    }

    /// The round for the solver.
    pub fn round(&self) -> std::result::Result<Round, gongzhi_core::kit::Refused> {
        let phases = self.phases.iter().map(|p| Phase { budget: p.budget, capacity: p.capacity }).collect();
        Round::new(self.scored().into_iter().map(|(p, _)| p).collect(), phases)
    }
}

/// The kind of the reminder that the adopted schedule is to be posted.
pub const POST_SCHEDULE: &str = "corridors.post-schedule";

fn corrupt(what: &str) -> StoreError {
    StoreError::Io(format!("stored corridor {what} is not valid"))
}

fn bad(field: &str, reason: &str) -> StoreError {
    R::BadRound { field: field.into(), reason: reason.into() }.refused().into()
}

impl Store {
    /// Opens a call for plans. Audited.
    pub async fn open_corridor_round(&self, compound: &str, r: &NewRound, actor: Actor<'_>) -> Result<String> {
        if r.title.trim().is_empty() {
            return Err(bad("title", "give the round a title"));
        }
        if r.phases.is_empty() {
            return Err(bad("phases", "at least one phase"));
        }
        for (i, (_, budget, capacity)) in r.phases.iter().enumerate() {
            if budget.fen() < 0 || *capacity == 0 {
                return Err(bad(&format!("phases[{i}]"), "a budget of 0 or more and a capacity of at least 1"));
            }
        }
        if r.criteria.is_empty() || r.criteria.iter().any(|c| c.weight == 0 || c.name.trim().is_empty()) {
            return Err(bad("criteria", "at least one criterion, each named with a weight of at least 1"));
        }
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO corridor_rounds (compound_id, id, title, notice, deadline, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'call', $6)",
        )
        .bind(compound)
        .bind(&id)
        .bind(r.title.trim())
        .bind(r.notice.trim())
        .bind(r.deadline.to_string())
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        for (i, (label, budget, capacity)) in r.phases.iter().enumerate() {
            sqlx::query(
                "INSERT INTO corridor_phases (compound_id, round_id, phase, label, budget_fen, capacity) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(compound)
            .bind(&id)
            .bind(i as i64 + 1)
            .bind(label.trim())
            .bind(budget.fen())
            .bind(i64::from(*capacity))
            .execute(&mut *tx)
            .await?;
        }
        for (i, c) in r.criteria.iter().enumerate() {
            sqlx::query(
                "INSERT INTO corridor_criteria (compound_id, round_id, seq, name, weight) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(compound)
            .bind(&id)
            .bind(i as i64)
            .bind(c.name.trim())
            .bind(i64::from(c.weight))
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, compound, actor.login, "corridors.round", &id, &format!("phases={}", r.phases.len())).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The compound's rounds, newest first: (id, title, stage).
    pub async fn corridor_rounds(&self, compound: &str) -> Result<Vec<(String, String, Stage)>> {
        let rows = sqlx::query(
            "SELECT id, title, status FROM corridor_rounds WHERE compound_id = $1 ORDER BY created_at DESC, id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.get(0), r.get(1), Stage::parse(&r.get::<String, _>(2)).ok_or_else(|| corrupt("status"))?)))
            .collect()
    }

    pub async fn corridor_round(&self, compound: &str, id: &str) -> Result<RoundRecord> {
        let row = sqlx::query(
            "SELECT title, notice, deadline, status, recommended_policy, recommendation, adopted_on, posted_on, \
             return_reason, adopted_schedule FROM corridor_rounds WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return R::RoundUnknown { id: id.into() }.err() };
        let phases = sqlx::query(
            "SELECT label, budget_fen, capacity, actual_fen FROM corridor_phases WHERE compound_id = $1 AND round_id = $2 ORDER BY phase",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|p| PhaseRecord {
            label: p.get(0),
            budget: Money::from_fen(p.get(1)),
            capacity: p.get::<i64, _>(2) as u32,
            actual: p.get::<Option<i64>, _>(3).map(Money::from_fen),
        })
        .collect();
        let criteria = sqlx::query(
            "SELECT name, weight FROM corridor_criteria WHERE compound_id = $1 AND round_id = $2 ORDER BY seq",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|c| Criterion { name: c.get(0), weight: c.get::<i64, _>(1) as u32 })
        .collect();
        let mut plans = Vec::new();
        for p in sqlx::query(
            "SELECT building_no, works, description, cost_fen, signatures, households, late, revised_at, progress, progress_note \
             FROM corridor_plans WHERE compound_id = $1 AND round_id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            plans.push(PlanRecord {
                building: BuildingNo::parse(&p.get::<String, _>(0)).ok_or_else(|| corrupt("building"))?,
                works: p.get::<String, _>(1).split(';').filter_map(Work::parse).collect(),
                description: p.get(2),
                cost: Money::from_fen(p.get(3)),
                signatures: p.get::<i64, _>(4) as u32,
                households: p.get::<i64, _>(5) as u32,
                late: p.get::<i64, _>(6) == 1,
                revised: p.get::<Option<i64>, _>(7).is_some(),
                progress: Progress::parse(&p.get::<String, _>(8)).ok_or_else(|| corrupt("progress"))?,
                progress_note: p.get(9),
            });
        }
        plans.sort_by(|a, b| gongzhi_core::corridors::model::building_cmp(&a.building, &b.building));
        let mut marks = Vec::new();
        for m in sqlx::query(
            "SELECT building_no, reviewer_id, reviewer_name, marks FROM corridor_marks WHERE compound_id = $1 AND round_id = $2 \
             ORDER BY reviewer_name, reviewer_id",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            marks.push(MarkRecord {
                building: BuildingNo::parse(&m.get::<String, _>(0)).ok_or_else(|| corrupt("building"))?,
                reviewer_id: m.get(1),
                marks: Marks {
                    reviewer: m.get(2),
                    marks: m.get::<String, _>(3).split(';').filter_map(|v| v.parse().ok()).collect(),
                },
            });
        }
        let adopted = r
            .get::<String, _>(9)
            .split(';')
            .filter(|s| !s.is_empty())
            .filter_map(|s| {
                let (b, p) = s.split_once('=')?;
                let p: u32 = p.parse().ok()?;
                Some((BuildingNo::parse(b)?, (p > 0).then_some(p)))
            })
            .collect();
        Ok(RoundRecord {
            id: id.into(),
            title: r.get(0),
            notice: r.get(1),
            deadline: parse_day(&r.get::<String, _>(2)).ok_or_else(|| corrupt("deadline"))?,
            stage: Stage::parse(&r.get::<String, _>(3)).ok_or_else(|| corrupt("status"))?,
            phases,
            criteria,
            plans,
            marks,
            recommended: r.get::<Option<String>, _>(4).as_deref().and_then(Policy::parse),
            recommendation: r.get(5),
            adopted_on: r.get::<Option<String>, _>(6).as_deref().and_then(parse_day),
            posted_on: r.get::<Option<String>, _>(7).as_deref().and_then(parse_day),
            return_reason: r.get(8),
            adopted,
        })
    }

    /// The round's title and stage, locked for a write.
    pub(super) async fn lock_round(
        &self,
        tx: &mut sqlx::AnyConnection,
        compound: &str,
        id: &str,
    ) -> Result<(String, Stage, Date)> {
        sqlx::query("UPDATE corridor_rounds SET title = title WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query("SELECT title, status, deadline FROM corridor_rounds WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(r) = row else { return R::RoundUnknown { id: id.into() }.err() };
        Ok((
            r.get(0),
            Stage::parse(&r.get::<String, _>(1)).ok_or_else(|| corrupt("status"))?,
            parse_day(&r.get::<String, _>(2)).ok_or_else(|| corrupt("deadline"))?,
        ))
    }

    /// Submits or revises a building's plan while the call is open; after the deadline it is
    /// taken and marked late. The households are the building's units in the register. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn submit_corridor_plan(
        &self,
        compound: &str,
        round: &str,
        building: &BuildingNo,
        works: &[Work],
        description: &str,
        cost: Money,
        signatures: u32,
        actor: Actor<'_>,
    ) -> Result<()> {
        let households: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE compound_id = $1 AND building_no = $2")
                .bind(compound)
                .bind(building.as_str())
                .fetch_one(&self.pool)
                .await?;
        if households == 0 {
            return R::BadPlanField {
                field: "building".into(),
                reason: format!("the register has no building {building}"),
            }
            .err();
        }
        if works.is_empty() {
            return R::BadPlanField {
                field: "works".into(),
                reason: "name at least one of floors, walls, lights, notice-boards".into(),
            }
            .err();
        }
        if cost.fen() < 0 {
            return R::BadPlanField { field: "cost".into(), reason: "an amount of 0 or more".into() }.err();
        }
        if i64::from(signatures) > households {
            return R::BadPlanField {
                field: "signatures".into(),
                reason: format!("{signatures} signatures for {households} households"),
            }
            .err();
        }
        let mut tx = self.begin_write().await?;
        let (title, stage, deadline) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Call {
            return R::CallClosed { title }.err();
        }
        let now = crate::now_ms();
        let late = day_of(now) > deadline;
        let works_s: Vec<&str> = works.iter().map(|w| w.as_str()).collect();
        let updated = sqlx::query(
            "UPDATE corridor_plans SET works = $1, description = $2, cost_fen = $3, signatures = $4, households = $5, \
             late = $6, revised_at = $7 WHERE compound_id = $8 AND round_id = $9 AND building_no = $10",
        )
        .bind(works_s.join(";"))
        .bind(description.trim())
        .bind(cost.fen())
        .bind(i64::from(signatures))
        .bind(households)
        .bind(late as i64)
        .bind(now)
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            sqlx::query(
                "INSERT INTO corridor_plans (compound_id, round_id, building_no, works, description, cost_fen, signatures, \
                 households, late, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(compound)
            .bind(round)
            .bind(building.as_str())
            .bind(works_s.join(";"))
            .bind(description.trim())
            .bind(cost.fen())
            .bind(i64::from(signatures))
            .bind(households)
            .bind(late as i64)
            .bind(actor.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let what = format!("building={building} cost={cost} late={late}");
        append(&mut tx, compound, actor.login, "corridors.plan", round, &what).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A reviewer's marks on a plan (one per criterion, 0 to 10 in hundredths), replacing theirs;
    /// `lives_in` are the buildings the reviewer owns or lives in (they abstain on those). Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn score_corridor_plan(
        &self,
        compound: &str,
        round: &str,
        building: &BuildingNo,
        reviewer: (&str, &str),
        lives_in: &[String],
        marks: &[i64],
        actor: Actor<'_>,
    ) -> Result<()> {
        if lives_in.iter().any(|b| b == building.as_str()) {
            return R::ReviewerAbstains { building: building.to_string() }.err();
        }
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Call && stage != Stage::Returned {
            return R::CallClosed { title }.err();
        }
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM corridor_criteria WHERE compound_id = $1 AND round_id = $2")
                .bind(compound)
                .bind(round)
                .fetch_one(&mut *tx)
                .await?;
        if marks.len() as i64 != n {
            return R::BadMarks { reason: format!("{} marks for {n} criteria", marks.len()) }.err();
        }
        if let Some(m) = marks.iter().find(|m| !(0..=gongzhi_core::corridors::review::MAX_MARK_HUNDREDTHS).contains(*m))
        {
            return R::BadMarks { reason: format!("{}.{:02} is not from 0 to 10", m / 100, (m % 100).abs()) }.err();
        }
        let has: Option<String> = sqlx::query_scalar(
            "SELECT building_no FROM corridor_plans WHERE compound_id = $1 AND round_id = $2 AND building_no = $3",
        )
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        if has.is_none() {
            return R::NoPlan { building: building.to_string() }.err();
        }
        let joined: Vec<String> = marks.iter().map(|m| m.to_string()).collect();
        sqlx::query(
            "DELETE FROM corridor_marks WHERE compound_id = $1 AND round_id = $2 AND building_no = $3 AND reviewer_id = $4",
        )
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .bind(reviewer.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO corridor_marks (compound_id, round_id, building_no, reviewer_id, reviewer_name, marks, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .bind(reviewer.0)
        .bind(reviewer.1)
        .bind(joined.join(";"))
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "corridors.score", round, &format!("building={building}")).await?;
        tx.commit().await?;
        Ok(())
    }
}
