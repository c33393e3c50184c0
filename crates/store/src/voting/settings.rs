//! A compound's voting settings, and the notice period they give a matter.

use crate::kit::audit::append;
use crate::voting::matters::Matter;
use crate::{Actor, Result, Store};
use gongzhi_core::kit::period::{Length, Period, PeriodRule, period};
use gongzhi_core::voting::VotingRefusal;
use gongzhi_core::voting::VotingSettings;
use sqlx::Row;

impl Store {
    pub async fn voting_settings(&self, compound: &str) -> Result<VotingSettings> {
        let r = sqlx::query(
            "SELECT notice_days, deemed_participation, rest_day_rollover, publish_choices FROM compounds WHERE id = $1",
        )
        .bind(compound)
        .fetch_one(&self.pool)
        .await?;
        Ok(VotingSettings {
            notice_days: u32::try_from(r.get::<i64, _>(0)).unwrap_or(0),
            deemed_participation: r.get::<i64, _>(1) == 1,
            periods: PeriodRule { move_off_rest_days: r.get::<i64, _>(2) == 1 },
            publish_choices: r.get::<i64, _>(3) == 1,
        })
    }

    /// Changes the settings the compound's rules of procedure decide: the notice days, whether a
    /// period ending on a rest day moves to the next working day, whether choices are published.
    /// The deemed-participation clause is not changed here: it decides how votes count, so it is
    /// set when the compound is created. Audited with the old and new values.
    pub async fn set_voting_settings(&self, compound: &str, s: &VotingSettings, actor: Actor<'_>) -> Result<()> {
        if !gongzhi_core::voting::settings::NOTICE_DAYS.contains(&s.notice_days) {
            return VotingRefusal::NoticeDaysOutOfRange { days: i64::from(s.notice_days) }.err();
        }
        let old = self.voting_settings(compound).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE compounds SET notice_days = $1, rest_day_rollover = $2, publish_choices = $3 WHERE id = $4",
        )
        .bind(i64::from(s.notice_days))
        .bind(s.periods.move_off_rest_days as i64)
        .bind(s.publish_choices as i64)
        .bind(compound)
        .execute(&mut *tx)
        .await?;
        let said = |v: &VotingSettings| {
            format!(
                "notice_days={} rest_day_rollover={} publish_choices={}",
                v.notice_days, v.periods.move_off_rest_days, v.publish_choices
            )
        };
        append(&mut tx, compound, actor.login, "settings.voting", compound, &format!("{} -> {}", said(&old), said(s)))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The period a matter's notice must stand (counted per the Civil Code), once it is posted.
    pub async fn notice_period(&self, compound: &str, m: &Matter) -> Result<Option<Period>> {
        let Some(at) = m.notice_at else { return Ok(None) };
        let s = self.voting_settings(compound).await?;
        let rest = self.rest_days(compound).await?;
        Ok(Some(period(at, Length::Days(s.notice_days), s.periods, &rest)))
    }
}
