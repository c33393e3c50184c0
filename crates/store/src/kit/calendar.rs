//! The compound's calendar of rest days: the table shipped with the product, with the years the
//! compound's staff have entered themselves in its place.

use crate::{Result, Store};
use gongzhi_core::kit::period::{CalendarDay, DayKind, RestDays, parse_day, shipped_days};
use sqlx::Row;
use std::collections::BTreeSet;

impl Store {
    /// The compound's rest days: its own rows for the years it has entered, the shipped table for
    /// the others.
    pub async fn rest_days(&self, compound: &str) -> Result<RestDays> {
        let own = self.own_calendar_days(compound).await?;
        let years: BTreeSet<i16> = own.iter().map(|d| d.day.year()).collect();
        let shipped = shipped_days().into_iter().filter(|d| !years.contains(&d.day.year()));
        Ok(RestDays::from_days(shipped.chain(own)))
    }

    /// The rows the compound entered itself.
    pub async fn own_calendar_days(&self, compound: &str) -> Result<Vec<CalendarDay>> {
        let rows = sqlx::query("SELECT day, kind, name FROM calendar_days WHERE compound_id = $1 ORDER BY day")
            .bind(compound)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(CalendarDay {
                    day: parse_day(&r.get::<String, _>(0))?,
                    kind: DayKind::parse(&r.get::<String, _>(1))?,
                    name: r.get(2),
                })
            })
            .collect())
    }

    /// Replaces the compound's table for `year` with `days` (all of that year), in one
    /// transaction with its audit entry; an empty list returns the year to the shipped table.
    pub async fn set_calendar_year(&self, compound: &str, year: i16, days: &[CalendarDay], actor: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_days WHERE compound_id = $1 AND day LIKE $2")
            .bind(compound)
            .bind(format!("{year:04}-%"))
            .execute(&mut *tx)
            .await?;
        for d in days.iter().filter(|d| d.day.year() == year) {
            sqlx::query("INSERT INTO calendar_days (compound_id, day, kind, name) VALUES ($1, $2, $3, $4)")
                .bind(compound)
                .bind(d.day.to_string())
                .bind(d.kind.as_str())
                .bind(&d.name)
                .execute(&mut *tx)
                .await?;
        }
        crate::kit::audit::append(
            &mut tx,
            compound,
            actor,
            "calendar.year",
            &year.to_string(),
            &format!("days={}", days.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
