//! Changes to a published roster beyond swaps (issue 14 §1, §3): a station's holiday changes
//! (other windows, or closed, on a day), which take the shifts that no longer exist off the
//! roster and tell the volunteers who held them; and cover requests, sent to every volunteer who
//! could take the shift now, the first to answer taking it (checked again against every rule).

use super::{PeriodRecord, parse_windows, windows_text};
use crate::accounts::channels::{Deadline, cancel_deadline, schedule_deadline};
use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store, StoreError};
use gongzhi_core::kit::period::parse_day;
use gongzhi_core::waste::roster::may_add;
use gongzhi_core::waste::{
    Changes, Shift, ShiftId, StationId, Swap, VolunteerId, WasteRefusal as R, Window, cover_candidates, swap,
};
use jiff::civil::Date;
use sqlx::{AnyConnection, Row};

pub const COVER_KIND: &str = "waste.cover";
const CHANGE_KIND: &str = "waste.station-change";

/// An open or answered cover request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CoverRecord {
    pub id: String,
    pub shift: ShiftId,
    /// The volunteer giving it up; None for an open place on the roster.
    pub from: Option<VolunteerId>,
    pub status: String,
    pub taken_by: Option<VolunteerId>,
    /// How many volunteers were asked.
    pub asked: u32,
}

/// A station's change on one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StationChange {
    pub station: StationId,
    pub day: Date,
    /// Empty: closed.
    pub windows: Vec<Window>,
    pub note: String,
}

/// Moves one place of a shift: `from` off it (if any), `to` onto it, inside the caller's
/// transaction.
pub(super) async fn move_place(
    conn: &mut AnyConnection,
    compound: &str,
    period: &str,
    shift: &ShiftId,
    from: Option<&VolunteerId>,
    to: &VolunteerId,
) -> Result<()> {
    if let Some(f) = from {
        sqlx::query(
            "DELETE FROM waste_assignments WHERE compound_id = $1 AND period_id = $2 AND shift_id = $3 AND volunteer_id = $4",
        )
        .bind(compound)
        .bind(period)
        .bind(shift.as_str())
        .bind(f.as_str())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO waste_assignments (compound_id, period_id, shift_id, volunteer_id) VALUES ($1, $2, $3, $4)",
    )
    .bind(compound)
    .bind(period)
    .bind(shift.as_str())
    .bind(to.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn when(s: &Shift) -> String {
    format!("{} {}–{}", s.date, s.start, s.end)
}

impl Store {
    /// The person ids of these volunteers (those with an account).
    async fn people_of(&self, compound: &str, ids: &[VolunteerId]) -> Result<Vec<String>> {
        Ok(self
            .volunteers(compound)
            .await?
            .into_iter()
            .filter(|r| ids.contains(&r.volunteer.id))
            .filter_map(|r| r.person_id)
            .collect())
    }

    async fn station_name(&self, compound: &str, id: &StationId) -> Result<String> {
        Ok(self
            .stations(compound)
            .await?
            .into_iter()
            .find(|(s, _)| &s.id == id)
            .map(|(s, _)| s.name)
            .unwrap_or_else(|| id.to_string()))
    }

    /// Every station's changes, by station and day.
    pub async fn station_changes(&self, compound: &str) -> Result<Vec<StationChange>> {
        let rows = sqlx::query(
            "SELECT station_id, day, windows, note FROM waste_station_changes WHERE compound_id = $1 ORDER BY day, station_id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StationChange {
                    station: StationId(r.get(0)),
                    day: parse_day(&r.get::<String, _>(1)).ok_or_else(|| super::corrupt("change day"))?,
                    windows: parse_windows(&r.get::<String, _>(2)).ok_or_else(|| super::corrupt("change windows"))?,
                    note: r.get(3),
                })
            })
            .collect()
    }

    pub(super) async fn changes_map(&self, compound: &str) -> Result<Changes> {
        Ok(self.station_changes(compound).await?.into_iter().map(|c| ((c.station, c.day), c.windows)).collect())
    }

    /// Sets a station's windows on one day (a holiday; none: closed). The current roster's shifts
    /// that no longer exist that day are taken off it and their volunteers told; new windows are
    /// open places (ask for cover). Returns how many places were taken off. Audited.
    pub async fn put_station_change(
        &self,
        compound: &str,
        station: &StationId,
        day: Date,
        windows: &[Window],
        note: &str,
        actor: Actor<'_>,
    ) -> Result<usize> {
        if !self.stations(compound).await?.iter().any(|(s, _)| &s.id == station) {
            return R::BadField { field: "station".into(), reason: format!("there is no station {station}") }.err();
        }
        for (i, w) in windows.iter().enumerate() {
            if w.end <= w.start || windows[i + 1..].iter().any(|o| w.overlaps(o)) {
                return R::BadField {
                    field: "windows".into(),
                    reason: "each window ends after it starts, and no two overlap".into(),
                }
                .err();
            }
        }
        let name = self.station_name(compound, station).await?;
        let current = self.current_period(compound).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM waste_station_changes WHERE compound_id = $1 AND station_id = $2 AND day = $3")
            .bind(compound)
            .bind(station.as_str())
            .bind(day.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO waste_station_changes (compound_id, station_id, day, windows, note) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(compound)
        .bind(station.as_str())
        .bind(day.to_string())
        .bind(windows_text(windows))
        .bind(note.trim())
        .execute(&mut *tx)
        .await?;
        let mut off: Vec<(ShiftId, VolunteerId)> = Vec::new();
        if let Some(p) = &current {
            let prefix = format!("{station}/{day}/");
            for (shift, vs) in p.assignment.on.iter().filter(|(s, _)| s.as_str().starts_with(&prefix)) {
                let start = &shift.as_str()[prefix.len()..];
                if windows.iter().any(|w| w.start.to_string() == start) {
                    continue;
                }
                for v in vs {
                    sqlx::query(
                        "DELETE FROM waste_assignments WHERE compound_id = $1 AND period_id = $2 AND shift_id = $3 \
                         AND volunteer_id = $4",
                    )
                    .bind(compound)
                    .bind(&p.id)
                    .bind(shift.as_str())
                    .bind(v.as_str())
                    .execute(&mut *tx)
                    .await?;
                    off.push((shift.clone(), v.clone()));
                }
            }
        }
        let ids: Vec<VolunteerId> = off.iter().map(|(_, v)| v.clone()).collect();
        let people = self.people_of(compound, &ids).await?;
        let hours = if windows.is_empty() {
            "当日停开".to_string()
        } else {
            windows.iter().map(|w| w.to_string()).collect::<Vec<_>>().join("、")
        };
        let d = Deadline {
            about: &format!("{station}/{day}"),
            kind: CHANGE_KIND,
            key: &format!("change:{station}:{day}:{}", crate::now_ms()),
            due_at: crate::now_ms(),
            subject: format!("{name} {day} 开放时段调整：{hours}"),
            body: format!(
                "{name}在 {day} 的开放时段调整为：{hours}。您当天原有的班次已取消，无需到岗。{}",
                note.trim()
            ),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        let what = format!("{day} {} off={}", windows_text(windows), off.len());
        append(&mut tx, compound, actor.login, "waste.station-change", station.as_str(), &what).await?;
        tx.commit().await?;
        Ok(off.len())
    }

    /// The current period's cover requests, newest first.
    pub async fn covers(&self, compound: &str, period: &PeriodRecord) -> Result<Vec<CoverRecord>> {
        let rows = sqlx::query(
            "SELECT id, shift_id, from_volunteer, status, taken_by, asked FROM waste_covers \
             WHERE compound_id = $1 AND period_id = $2 ORDER BY created_at DESC, id",
        )
        .bind(compound)
        .bind(&period.id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| CoverRecord {
                id: r.get(0),
                shift: ShiftId(r.get(1)),
                from: Some(r.get::<String, _>(2)).filter(|s| !s.is_empty()).map(VolunteerId),
                status: r.get(3),
                taken_by: r.get::<Option<String>, _>(4).map(VolunteerId),
                asked: r.get::<i64, _>(5) as u32,
            })
            .collect())
    }

    /// Asks every volunteer who could take `shift` now (free, available, not away, under their
    /// maxima) to cover it: for `from`, who gives it up; or, with None, for an open place. Queued
    /// to each on their channels in the same transaction. Returns the request and how many were
    /// asked. Audited.
    pub async fn ask_cover(
        &self,
        compound: &str,
        period: &PeriodRecord,
        shift: &ShiftId,
        from: Option<&VolunteerId>,
        actor: Actor<'_>,
    ) -> Result<(String, usize)> {
        let pb = self.waste_problem(compound, period.first_day, period.days, period.need).await?;
        let s = pb.shift_index(shift).map(|i| pb.shifts()[i].clone());
        let s = s.ok_or_else(|| R::NoSuchShift { shift: shift.to_string() }.refused())?;
        let on = period.assignment.on.get(shift).map_or(0, |vs| vs.len() as u32);
        match from {
            Some(f) if !period.assignment.is_on(shift, f) => {
                return R::NotOnShift { volunteer: f.to_string(), shift: shift.to_string() }.err();
            }
            None if on >= s.need => return R::NoGap { shift: shift.to_string() }.err(),
            _ => {}
        }
        let from_key = from.map(|f| f.as_str().to_string()).unwrap_or_default();
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM waste_covers WHERE compound_id = $1 AND period_id = $2 AND shift_id = $3 \
             AND from_volunteer = $4 AND status = 'open'",
        )
        .bind(compound)
        .bind(&period.id)
        .bind(shift.as_str())
        .bind(&from_key)
        .fetch_one(&self.pool)
        .await?;
        if open > 0 {
            return R::CoverOpen { shift: shift.to_string() }.err();
        }
        let candidates =
            cover_candidates(&pb, &period.assignment, shift).map_err(|e| StoreError::Refused(e.refused()))?;
        if candidates.is_empty() {
            return R::NoCandidates { shift: shift.to_string() }.err();
        }
        let people = self.people_of(compound, &candidates).await?;
        let name = self.station_name(compound, &s.station).await?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO waste_covers (compound_id, id, period_id, shift_id, from_volunteer, status, asked, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)",
        )
        .bind(compound)
        .bind(&id)
        .bind(&period.id)
        .bind(shift.as_str())
        .bind(&from_key)
        .bind(candidates.len() as i64)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        let d = Deadline {
            about: &id,
            kind: COVER_KIND,
            key: &format!("cover:{id}"),
            due_at: crate::now_ms(),
            subject: format!("请求代班：{name} {}", when(&s)),
            body: format!(
                "{name} {} 的值守需要人手。您这时有空，可以在“垃圾分类”页面接下这个班次，先到先得。",
                when(&s)
            ),
            people: &people,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "waste.cover-ask", &id, &format!("{shift} from={from_key}")).await?;
        tx.commit().await?;
        Ok((id, candidates.len()))
    }

    /// `by` takes an open cover request: checked again against every rule (a shift given up
    /// moves to them as a swap would; an open place must still be open and theirs to take); the
    /// first to answer takes it, the others' messages are withdrawn, and the asker is told.
    /// Audited.
    pub async fn take_cover(
        &self,
        compound: &str,
        period: &PeriodRecord,
        id: &str,
        by: &VolunteerId,
        actor: Actor<'_>,
    ) -> Result<()> {
        let Some(c) = self.covers(compound, period).await?.into_iter().find(|c| c.id == id && c.status == "open")
        else {
            return R::CoverUnknown { id: id.into() }.err();
        };
        let pb = self.waste_problem(compound, period.first_day, period.days, period.need).await?;
        let s = pb.shift_index(&c.shift).ok_or_else(|| R::NoSuchShift { shift: c.shift.to_string() }.refused())?;
        match &c.from {
            Some(f) => {
                let sw = Swap { from: f.clone(), shift: c.shift.clone(), to: by.clone(), back: None };
                swap(&pb, &period.assignment, &sw).map_err(|e| StoreError::Refused(e.refused()))?;
            }
            None => {
                let v =
                    pb.volunteer_index(by).ok_or_else(|| R::NoSuchVolunteer { volunteer: by.to_string() }.refused())?;
                if period.assignment.is_on(&c.shift, by) {
                    return R::AlreadyOnShift { volunteer: by.to_string(), shift: c.shift.to_string() }.err();
                }
                let on = period.assignment.on.get(&c.shift).map_or(0, |vs| vs.len() as u32);
                if on >= pb.shifts()[s].need {
                    return R::NoGap { shift: c.shift.to_string() }.err();
                }
                let held = period.assignment.held(&pb);
                may_add(&pb, v, s, &held[v], false).map_err(|e| StoreError::Refused(e.refused()))?;
            }
        }
        let asker: Vec<String> = match &c.from {
            Some(f) => self.people_of(compound, std::slice::from_ref(f)).await?,
            None => vec![],
        };
        let taker = self
            .volunteers(compound)
            .await?
            .into_iter()
            .find(|r| &r.volunteer.id == by)
            .map(|r| r.volunteer.name)
            .unwrap_or_else(|| by.to_string());
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "UPDATE waste_covers SET status = 'taken', taken_by = $1 WHERE compound_id = $2 AND id = $3 AND status = 'open'",
        )
        .bind(by.as_str())
        .bind(compound)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return R::CoverUnknown { id: id.into() }.err();
        }
        move_place(&mut tx, compound, &period.id, &c.shift, c.from.as_ref(), by).await?;
        cancel_deadline(&mut tx, compound, id, COVER_KIND).await?;
        let sh = &pb.shifts()[s];
        let d = Deadline {
            about: id,
            kind: "waste.cover-taken",
            key: &format!("cover-taken:{id}"),
            due_at: crate::now_ms(),
            subject: format!("{taker} 接下了您的班次 {}", when(sh)),
            body: format!("{taker} 接下了您 {} 的值守班次，您无需到岗。", when(sh)),
            people: &asker,
        };
        schedule_deadline(&mut tx, compound, &d, crate::now_ms()).await?;
        append(&mut tx, compound, actor.login, "waste.cover-take", id, &format!("{} by={by}", c.shift)).await?;
        tx.commit().await?;
        Ok(())
    }
}
