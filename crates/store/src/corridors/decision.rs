//! A round's decision and after: the residents' committee's recommendation, the owners'
//! committee's adoption (posted within 3 days, reminded) or return, the posting, each building's
//! progress and each phase's actual cost.

use super::{POST_SCHEDULE, Stage};
use crate::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
use crate::committee::meetings::keepers;
use crate::kit::audit::append;
use crate::{Actor, Result, Store};
use gongzhi_core::corridors::Policy;
use gongzhi_core::corridors::refusal::CorridorRefusal as R;
use gongzhi_core::corridors::review::Progress;
use gongzhi_core::kit::Money;
use gongzhi_core::kit::period::start_of;
use gongzhi_core::registry::BuildingNo;
use jiff::civil::Date;

impl Store {
    /// The residents' committee recommends a policy's schedule to the owners' committee (after the
    /// call, or again after a return). Audited.
    pub async fn recommend_corridors(
        &self,
        compound: &str,
        round: &str,
        policy: Policy,
        why: &str,
        actor: Actor<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if !matches!(stage, Stage::Call | Stage::Returned) {
            return R::WrongStage { title, status: stage.as_str().into(), wanted: "call or returned".into() }.err();
        }
        let plans: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM corridor_plans WHERE compound_id = $1 AND round_id = $2")
                .bind(compound)
                .bind(round)
                .fetch_one(&mut *tx)
                .await?;
        if plans == 0 {
            return R::WrongStage { title, status: "without plans".into(), wanted: "with plans".into() }.err();
        }
        sqlx::query(
            "UPDATE corridor_rounds SET status = 'recommended', recommended_policy = $1, recommendation = $2, return_reason = '' \
             WHERE compound_id = $3 AND id = $4",
        )
        .bind(policy.as_str())
        .bind(why.trim())
        .bind(compound)
        .bind(round)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "corridors.recommend", round, policy.as_str()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The owners' committee adopts the recommended schedule on `on` (each building's phase, as the
    /// recommended policy placed it): it is to be posted within 3 days, and the record keepers are
    /// reminded on the last day. Audited.
    pub async fn adopt_corridors(
        &self,
        compound: &str,
        round: &str,
        schedule: &[(BuildingNo, Option<u32>)],
        on: Date,
        actor: Actor<'_>,
    ) -> Result<()> {
        let rest = self.rest_days(compound).await?;
        let rule = self.voting_settings(compound).await?.periods;
        let due = gongzhi_core::committee::meetings::posting(on, None, on, rule, &rest).due;
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Recommended {
            return R::WrongStage { title, status: stage.as_str().into(), wanted: "recommended".into() }.err();
        }
        let text: Vec<String> = schedule.iter().map(|(b, p)| format!("{b}={}", p.unwrap_or(0))).collect();
        sqlx::query(
            "UPDATE corridor_rounds SET status = 'adopted', adopted_on = $1, adopted_schedule = $2 WHERE compound_id = $3 AND id = $4",
        )
        .bind(on.to_string())
        .bind(text.join(";"))
        .bind(compound)
        .bind(round)
        .execute(&mut *tx)
        .await?;
        let people = keepers(&mut tx, compound).await?;
        let d = Deadline {
            about: round,
            kind: POST_SCHEDULE,
            key: &format!("post-schedule:{round}"),
            due_at: start_of(due) + 9 * 3_600_000,
            subject: format!("请在 {due} 前公告楼道粉刷排期“{title}”"),
            body: format!("业委会于 {on} 决定采用排期建议，应在三日内公告（最迟 {due}）。"),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "corridors.adopt", round, &format!("on={on}")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The owners' committee returns the recommendation with a reason. Audited.
    pub async fn return_corridors(&self, compound: &str, round: &str, reason: &str, actor: Actor<'_>) -> Result<()> {
        if reason.trim().is_empty() {
            return R::BadPlanField { field: "reason".into(), reason: "say why it is returned".into() }.err();
        }
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Recommended {
            return R::WrongStage { title, status: stage.as_str().into(), wanted: "recommended".into() }.err();
        }
        sqlx::query(
            "UPDATE corridor_rounds SET status = 'returned', return_reason = $1 WHERE compound_id = $2 AND id = $3",
        )
        .bind(reason.trim())
        .bind(compound)
        .bind(round)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "corridors.return", round, "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the day the adopted schedule was posted; the reminder is withdrawn. Audited.
    pub async fn post_corridors(&self, compound: &str, round: &str, on: Date, actor: Actor<'_>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Adopted {
            return R::WrongStage { title, status: stage.as_str().into(), wanted: "adopted".into() }.err();
        }
        sqlx::query("UPDATE corridor_rounds SET posted_on = $1 WHERE compound_id = $2 AND id = $3")
            .bind(on.to_string())
            .bind(compound)
            .bind(round)
            .execute(&mut *tx)
            .await?;
        cancel_deadline(&mut tx, compound, round, POST_SCHEDULE).await?;
        append(&mut tx, compound, actor.login, "corridors.posted", round, &format!("on={on}")).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a building's progress (accepted: by its building leader). Audited.
    pub async fn set_corridor_progress(
        &self,
        compound: &str,
        round: &str,
        building: &BuildingNo,
        progress: Progress,
        note: &str,
        actor: Actor<'_>,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let (title, stage, _) = self.lock_round(&mut tx, compound, round).await?;
        if stage != Stage::Adopted {
            return R::WrongStage { title, status: stage.as_str().into(), wanted: "adopted".into() }.err();
        }
        let n = sqlx::query(
            "UPDATE corridor_plans SET progress = $1, progress_note = $2 WHERE compound_id = $3 AND round_id = $4 AND building_no = $5",
        )
        .bind(progress.as_str())
        .bind(note.trim())
        .bind(compound)
        .bind(round)
        .bind(building.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return R::NoPlan { building: building.to_string() }.err();
        }
        let action = if progress == Progress::Accepted { "corridors.accept" } else { "corridors.progress" };
        append(&mut tx, compound, actor.login, action, round, &format!("building={building} {}", progress.as_str()))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a phase's actual cost. Audited.
    pub async fn set_corridor_actual(
        &self,
        compound: &str,
        round: &str,
        phase: u32,
        actual: Money,
        actor: Actor<'_>,
    ) -> Result<()> {
        if actual.fen() < 0 {
            return R::BadPlanField { field: "actual".into(), reason: "an amount of 0 or more".into() }.err();
        }
        let mut tx = self.begin_write().await?;
        self.lock_round(&mut tx, compound, round).await?;
        let n = sqlx::query(
            "UPDATE corridor_phases SET actual_fen = $1 WHERE compound_id = $2 AND round_id = $3 AND phase = $4",
        )
        .bind(actual.fen())
        .bind(compound)
        .bind(round)
        .bind(i64::from(phase))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return R::BadPlanField { field: "phase".into(), reason: format!("no phase {phase}") }.err();
        }
        append(&mut tx, compound, actor.login, "corridors.actual", round, &format!("phase={phase} actual={actual}"))
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
