//! A compound's voting settings, and the notice period they give a matter.

use crate::voting::matters::Matter;
use crate::{Result, Store};
use gongzhi_core::kit::period::{Length, Period, PeriodRule, period};
use gongzhi_core::voting::VotingSettings;
use sqlx::Row;

impl Store {
    pub async fn voting_settings(&self, compound: &str) -> Result<VotingSettings> {
        let r = sqlx::query("SELECT notice_days, deemed_participation, rest_day_rollover FROM compounds WHERE id = $1")
            .bind(compound)
            .fetch_one(&self.pool)
            .await?;
        Ok(VotingSettings {
            notice_days: u32::try_from(r.get::<i64, _>(0)).unwrap_or(0),
            deemed_participation: r.get::<i64, _>(1) == 1,
            periods: PeriodRule { move_off_rest_days: r.get::<i64, _>(2) == 1 },
        })
    }

    /// The period a matter's notice must stand (counted per the Civil Code), once it is posted.
    pub async fn notice_period(&self, compound: &str, m: &Matter) -> Result<Option<Period>> {
        let Some(at) = m.notice_at else { return Ok(None) };
        let s = self.voting_settings(compound).await?;
        let rest = self.rest_days(compound).await?;
        Ok(Some(period(at, Length::Days(s.notice_days), s.periods, &rest)))
    }
}
