//! Sorting records (issue 14 §4) as supervisors log them, and each station's duty in a month
//! (places on the roster, filled, check-ins, no-shows) for the monthly summary.

use super::PeriodRecord;
use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store};
use gongzhi_core::kit::period::parse_day;
use gongzhi_core::waste::records::Duty;
use gongzhi_core::waste::{Hm, Observation, SortingRecord, StationId, WasteRefusal as R};
use jiff::civil::Date;
use sqlx::Row;
use std::collections::BTreeMap;

/// A record as stored: the core record with its id, note and who logged it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: String,
    pub record: SortingRecord,
    pub note: String,
    pub recorded_by: String,
}

impl Store {
    /// Logs what a supervisor saw, checked: a station of the compound, a day not in the future, a
    /// window of that station if given, a building of the compound if given, 1–999 bags or cases.
    /// Audited.
    pub async fn record_sorting(
        &self,
        compound: &str,
        r: &SortingRecord,
        note: &str,
        today: Date,
        actor: Actor<'_>,
    ) -> Result<String> {
        let stations = self.stations(compound).await?;
        let Some((st, _)) = stations.iter().find(|(s, _)| s.id == r.station) else {
            return R::BadField { field: "station".into(), reason: format!("there is no station {}", r.station) }.err();
        };
        if r.date > today {
            return R::BadField { field: "date".into(), reason: format!("{} is in the future", r.date) }.err();
        }
        if let Some(w) = &r.window {
            let ok = Hm::parse(w).is_some_and(|h| st.windows.iter().any(|x| x.start == h));
            if !ok {
                return R::BadField {
                    field: "window".into(),
                    reason: format!("{} has no window starting at {w}", st.name),
                }
                .err();
            }
        }
        if !(1..=999).contains(&r.count) {
            return R::BadField { field: "count".into(), reason: "1 to 999 bags or cases".into() }.err();
        }
        if let Some(b) = &r.building {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE compound_id = $1 AND building_no = $2")
                .bind(compound)
                .bind(b.trim())
                .fetch_one(&self.pool)
                .await?;
            if n == 0 {
                return R::BadField { field: "building".into(), reason: format!("there is no building {b}") }.err();
            }
        }
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO waste_records (compound_id, id, station_id, day, window_start, building, kind, count, note, recorded_by, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(compound)
        .bind(&id)
        .bind(r.station.as_str())
        .bind(r.date.to_string())
        .bind(r.window.as_deref().and_then(Hm::parse).map(|h| h.to_string()).unwrap_or_default())
        .bind(r.building.as_deref().map(str::trim).unwrap_or(""))
        .bind(r.kind.key())
        .bind(i64::from(r.count))
        .bind(note.trim())
        .bind(actor.login)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let what = format!("{} {} {}×{}", r.station, r.date, r.kind.key(), r.count);
        append(&mut tx, compound, actor.login, "waste.record", &id, &what).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The records from `from` to `to` (inclusive), newest first.
    pub async fn sorting_records(&self, compound: &str, from: Date, to: Date) -> Result<Vec<StoredRecord>> {
        let rows = sqlx::query(
            "SELECT id, station_id, day, window_start, building, kind, count, note, recorded_by FROM waste_records \
             WHERE compound_id = $1 AND day >= $2 AND day <= $3 ORDER BY day DESC, at DESC, id",
        )
        .bind(compound)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let opt = |s: String| Some(s).filter(|s| !s.is_empty());
                Ok(StoredRecord {
                    id: r.get(0),
                    record: SortingRecord {
                        station: StationId(r.get(1)),
                        date: parse_day(&r.get::<String, _>(2)).ok_or_else(|| super::corrupt("record day"))?,
                        window: opt(r.get(3)),
                        building: opt(r.get(4)),
                        kind: Observation::parse(&r.get::<String, _>(5))
                            .ok_or_else(|| super::corrupt("record kind"))?,
                        count: r.get::<i64, _>(6) as u32,
                    },
                    note: r.get(7),
                    recorded_by: r.get(8),
                })
            })
            .collect()
    }

    /// Each station's duty in the month starting `first`: for every day, the latest roster built
    /// for it decides its places, who filled them, and the check-ins and no-shows recorded.
    pub async fn month_duty(&self, compound: &str, first: Date) -> Result<BTreeMap<StationId, Duty>> {
        let last = first
            .checked_add(jiff::Span::new().months(1))
            .and_then(|d| d.checked_sub(jiff::Span::new().days(1)))
            .map_err(|e| crate::StoreError::Io(e.to_string()))?;
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM waste_periods WHERE compound_id = $1 ORDER BY built_at, id")
                .bind(compound)
                .fetch_all(&self.pool)
                .await?;
        // day → the latest period covering it
        let mut latest: BTreeMap<Date, usize> = BTreeMap::new();
        let mut periods: Vec<PeriodRecord> = Vec::new();
        for id in ids {
            let p = self.period(compound, &id).await?;
            let end = p.first_day.checked_add(jiff::Span::new().days(i64::from(p.days))).unwrap_or(p.first_day);
            if end <= first || p.first_day > last {
                continue;
            }
            let mut d = p.first_day;
            while d < end {
                if d >= first && d <= last {
                    latest.insert(d, periods.len());
                }
                d = d.tomorrow().unwrap_or(end);
            }
            periods.push(p);
        }
        let mut out: BTreeMap<StationId, Duty> = BTreeMap::new();
        for (k, p) in periods.iter().enumerate() {
            let pb = self.waste_problem(compound, p.first_day, p.days, p.need).await?;
            for s in pb.shifts().iter().filter(|s| latest.get(&s.date) == Some(&k)) {
                let d = out.entry(s.station.clone()).or_default();
                let on = p.assignment.on.get(&s.id);
                d.places += s.need;
                d.filled += on.map_or(0, |vs| vs.len() as u32);
                for (_, who, status) in p.checkins.iter().filter(|c| c.0 == s.id) {
                    if on.is_some_and(|vs| vs.contains(who)) {
                        match status.as_str() {
                            "checked-in" => d.checked_in += 1,
                            _ => d.no_shows += 1,
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}
