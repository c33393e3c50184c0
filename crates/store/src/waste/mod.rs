//! Waste sorting duty (issue 14): stations, volunteers with their weekly availability, a period's
//! roster (core [`roster`], exact and fair) stored as its assignments, check-ins and no-shows, and
//! swaps offered and accepted, each checked against every rule by core [`swap`]; [`records`]:
//! sorting records and a month's duty; [`covers`]: holiday changes and cover requests.

use crate::kit::audit::append;
use crate::kit::new_id;
use crate::{Actor, Result, Store, StoreError};
use gongzhi_core::kit::period::parse_day;
use gongzhi_core::waste::roster::Assignment;
use gongzhi_core::waste::{
    Availability, Bin, Hm, Problem, Roster, ShiftId, Station, StationId, Swap, Volunteer, VolunteerId,
    WasteRefusal as R, Window, roster, shifts_with_changes, swap,
};
use jiff::civil::Date;
use sqlx::Row;
use std::collections::BTreeSet;

pub mod covers;
pub(crate) mod demo;
pub mod records;
pub use covers::{CoverRecord, StationChange};
pub use records::StoredRecord;

/// A volunteer as stored: the core volunteer, their account, where they come from and their
/// weekly availability (`*`, or ISO weekday and window start).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolunteerRecord {
    pub volunteer: Volunteer,
    pub person_id: Option<String>,
    pub origin: String,
    /// None: every window; else (ISO weekday 1–7, window start).
    pub weekly: Option<Vec<(i8, Hm)>>,
}

/// A built roster period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodRecord {
    pub id: String,
    pub first_day: Date,
    pub days: u32,
    pub need: u32,
    pub covered: u32,
    pub places: u32,
    pub max_load: u32,
    pub assignment: Assignment,
    /// (shift, volunteer, `checked-in` | `no-show`)
    pub checkins: Vec<(ShiftId, VolunteerId, String)>,
    pub swaps: Vec<SwapRecord>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwapRecord {
    pub id: String,
    pub swap: Swap,
    pub status: String,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Io(format!("stored waste {what} is not valid"))
}

fn bin_key(b: Bin) -> &'static str {
    match b {
        Bin::Recyclable => "recyclable",
        Bin::Hazardous => "hazardous",
        Bin::Wet => "wet",
        Bin::Dry => "dry",
    }
}

pub fn parse_bin(s: &str) -> Option<Bin> {
    Bin::ALL.into_iter().find(|b| bin_key(*b) == s.trim())
}

/// `07:00-09:00;18:00-20:00` as windows.
pub fn parse_windows(s: &str) -> Option<Vec<Window>> {
    s.split(';')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(|w| {
            let (a, b) = w.split_once(['-', '–'])?;
            Some(Window { start: Hm::parse(a.trim())?, end: Hm::parse(b.trim())? })
        })
        .collect()
}

fn windows_text(ws: &[Window]) -> String {
    ws.iter().map(|w| format!("{}-{}", w.start, w.end)).collect::<Vec<_>>().join(";")
}

/// `*` or `1@07:00;3@18:00`.
pub fn parse_weekly(s: &str) -> Option<Option<Vec<(i8, Hm)>>> {
    if s.trim() == "*" || s.trim().is_empty() {
        return Some(None);
    }
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (d, t) = part.split_once('@')?;
        let d: i8 = d.trim().parse().ok()?;
        if !(1..=7).contains(&d) {
            return None;
        }
        out.push((d, Hm::parse(t.trim())?));
    }
    Some(Some(out))
}

fn weekly_text(w: &Option<Vec<(i8, Hm)>>) -> String {
    match w {
        None => "*".into(),
        Some(v) => v.iter().map(|(d, t)| format!("{d}@{t}")).collect::<Vec<_>>().join(";"),
    }
}

fn split(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty())
}

impl Store {
    /// Adds or replaces a station. Audited.
    pub async fn put_station(&self, compound: &str, st: &Station, place: &str, actor: Actor<'_>) -> Result<()> {
        if st.id.as_str().trim().is_empty() || st.name.trim().is_empty() {
            return R::BadField { field: "id/name".into(), reason: "give the station an id and a name".into() }.err();
        }
        if st.windows.is_empty() || st.windows.iter().any(|w| w.end <= w.start) {
            return R::BadField {
                field: "windows".into(),
                reason: "at least one window, each ending after it starts".into(),
            }
            .err();
        }
        let bins: Vec<&str> = st.bins.iter().map(|b| bin_key(*b)).collect();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM waste_stations WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(st.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO waste_stations (compound_id, id, name, building_group, bins, windows, late_point, households, place) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(st.id.as_str())
        .bind(st.name.trim())
        .bind(st.building_group.trim())
        .bind(bins.join(";"))
        .bind(windows_text(&st.windows))
        .bind(st.late_point as i64)
        .bind(i64::from(st.households))
        .bind(place.trim())
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "waste.station", st.id.as_str(), "").await?;
        tx.commit().await?;
        Ok(())
    }

    /// The stations with where each is, by id.
    pub async fn stations(&self, compound: &str) -> Result<Vec<(Station, String)>> {
        let rows = sqlx::query(
            "SELECT id, name, building_group, bins, windows, late_point, households, place FROM waste_stations \
             WHERE compound_id = $1 ORDER BY id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    Station {
                        id: StationId(r.get(0)),
                        name: r.get(1),
                        building_group: r.get(2),
                        bins: split(&r.get::<String, _>(3)).filter_map(parse_bin).collect(),
                        windows: parse_windows(&r.get::<String, _>(4)).ok_or_else(|| corrupt("windows"))?,
                        late_point: r.get::<i64, _>(5) == 1,
                        households: r.get::<i64, _>(6) as u32,
                    },
                    r.get(7),
                ))
            })
            .collect()
    }

    /// Adds or replaces a volunteer. Audited.
    pub async fn put_volunteer(&self, compound: &str, v: &VolunteerRecord, actor: Actor<'_>) -> Result<()> {
        let vol = &v.volunteer;
        if vol.id.as_str().trim().is_empty() || vol.name.trim().is_empty() {
            return R::BadField { field: "id/name".into(), reason: "give the volunteer an id and a name".into() }.err();
        }
        if !matches!(v.origin.as_str(), "building-group" | "committee" | "party-branch" | "resident") {
            return R::BadField {
                field: "origin".into(),
                reason: "building-group, committee, party-branch or resident".into(),
            }
            .err();
        }
        let away: Vec<String> = vol.away.iter().map(|d| d.to_string()).collect();
        let preferred: Vec<&str> = vol.preferred.iter().map(|s| s.as_str()).collect();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM waste_volunteers WHERE compound_id = $1 AND id = $2")
            .bind(compound)
            .bind(vol.id.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO waste_volunteers (compound_id, id, name, person_id, origin, max_shifts, max_per_week, weekly, away, preferred) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(compound)
        .bind(vol.id.as_str())
        .bind(vol.name.trim())
        .bind(&v.person_id)
        .bind(&v.origin)
        .bind(i64::from(vol.max))
        .bind(vol.max_per_week.map(i64::from))
        .bind(weekly_text(&v.weekly))
        .bind(away.join(";"))
        .bind(preferred.join(";"))
        .execute(&mut *tx)
        .await?;
        append(&mut tx, compound, actor.login, "waste.volunteer", vol.id.as_str(), "").await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn volunteers(&self, compound: &str) -> Result<Vec<VolunteerRecord>> {
        let rows = sqlx::query(
            "SELECT id, name, person_id, origin, max_shifts, max_per_week, weekly, away, preferred FROM waste_volunteers \
             WHERE compound_id = $1 ORDER BY id",
        )
        .bind(compound)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let mut vol = Volunteer::new(r.get::<String, _>(0), r.get::<i64, _>(4) as u32);
                vol.name = r.get(1);
                vol.max_per_week = r.get::<Option<i64>, _>(5).map(|m| m as u32);
                vol.away = split(&r.get::<String, _>(7)).filter_map(parse_day).collect();
                vol.preferred = split(&r.get::<String, _>(8)).map(|s| StationId(s.into())).collect();
                Ok(VolunteerRecord {
                    volunteer: vol,
                    person_id: r.get(2),
                    origin: r.get(3),
                    weekly: parse_weekly(&r.get::<String, _>(6)).ok_or_else(|| corrupt("weekly availability"))?,
                })
            })
            .collect()
    }

    /// The problem of a period: every station window on every day, `need` volunteers each; each
    /// volunteer available for the windows of their weekly availability.
    pub async fn waste_problem(&self, compound: &str, first_day: Date, days: u32, need: u32) -> Result<Problem> {
        let stations: Vec<Station> = self.stations(compound).await?.into_iter().map(|(s, _)| s).collect();
        let changes = self.changes_map(compound).await?;
        let shifts = shifts_with_changes(&stations, &changes, first_day, days, need);
        let volunteers = self
            .volunteers(compound)
            .await?
            .into_iter()
            .map(|v| {
                let mut vol = v.volunteer;
                if let Some(weekly) = &v.weekly {
                    let ids: BTreeSet<ShiftId> = shifts
                        .iter()
                        .filter(|s| {
                            weekly.iter().any(|(d, t)| s.date.weekday().to_monday_one_offset() == *d && s.start == *t)
                        })
                        .map(|s| s.id.clone())
                        .collect();
                    vol.available = Availability::Only(ids);
                }
                vol
            })
            .collect();
        Problem::new(shifts, volunteers).map_err(|e| StoreError::Refused(e.refused()))
    }

    /// Builds the roster of a period (exact: the most places filled, then the fairest load, then
    /// preferences) and stores it as the current one. Audited.
    pub async fn build_roster(
        &self,
        compound: &str,
        first_day: Date,
        days: u32,
        need: u32,
        actor: Actor<'_>,
    ) -> Result<(String, Roster)> {
        if days == 0 || days > 62 || need == 0 || need > 5 {
            return R::BadField { field: "days/need".into(), reason: "1 to 62 days, 1 to 5 volunteers a shift".into() }
                .err();
        }
        let pb = self.waste_problem(compound, first_day, days, need).await?;
        let r = tokio::task::spawn_blocking(move || roster(&pb)).await.map_err(|e| StoreError::Io(e.to_string()))?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO waste_periods (compound_id, id, first_day, days, need, covered, places, max_load, built_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(compound)
        .bind(&id)
        .bind(first_day.to_string())
        .bind(i64::from(days))
        .bind(i64::from(need))
        .bind(i64::from(r.covered))
        .bind(i64::from(r.places))
        .bind(i64::from(r.max_load))
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        for (shift, vs) in &r.assignment.on {
            for v in vs {
                sqlx::query(
                    "INSERT INTO waste_assignments (compound_id, period_id, shift_id, volunteer_id) VALUES ($1, $2, $3, $4)",
                )
                .bind(compound)
                .bind(&id)
                .bind(shift.as_str())
                .bind(v.as_str())
                .execute(&mut *tx)
                .await?;
            }
        }
        let what =
            format!("first_day={first_day} days={days} covered={}/{} max_load={}", r.covered, r.places, r.max_load);
        append(&mut tx, compound, actor.login, "waste.roster", &id, &what).await?;
        tx.commit().await?;
        Ok((id, r))
    }

    /// The latest roster period, if any.
    pub async fn current_period(&self, compound: &str) -> Result<Option<PeriodRecord>> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT id FROM waste_periods WHERE compound_id = $1 ORDER BY built_at DESC, id DESC LIMIT 1",
        )
        .bind(compound)
        .fetch_optional(&self.pool)
        .await?;
        match id {
            Some(id) => Ok(Some(self.period(compound, &id).await?)),
            None => Ok(None),
        }
    }

    pub async fn period(&self, compound: &str, id: &str) -> Result<PeriodRecord> {
        let r = sqlx::query(
            "SELECT first_day, days, need, covered, places, max_load FROM waste_periods WHERE compound_id = $1 AND id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| R::NoRoster.refused())?;
        let mut assignment = Assignment { on: Default::default() };
        for a in sqlx::query(
            "SELECT shift_id, volunteer_id FROM waste_assignments WHERE compound_id = $1 AND period_id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            assignment.on.entry(ShiftId(a.get(0))).or_default().insert(VolunteerId(a.get(1)));
        }
        let checkins = sqlx::query(
            "SELECT shift_id, volunteer_id, status FROM waste_checkins WHERE compound_id = $1 AND period_id = $2",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|c| (ShiftId(c.get(0)), VolunteerId(c.get(1)), c.get::<String, _>(2)))
        .collect();
        let swaps = sqlx::query(
            "SELECT id, from_volunteer, shift_id, to_volunteer, back_shift, status FROM waste_swaps WHERE compound_id = $1 \
             AND period_id = $2 ORDER BY created_at, id",
        )
        .bind(compound)
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|s| SwapRecord {
            id: s.get(0),
            swap: Swap {
                from: VolunteerId(s.get(1)),
                shift: ShiftId(s.get(2)),
                to: VolunteerId(s.get(3)),
                back: s.get::<Option<String>, _>(4).map(ShiftId),
            },
            status: s.get(5),
        })
        .collect();
        Ok(PeriodRecord {
            id: id.into(),
            first_day: parse_day(&r.get::<String, _>(0)).ok_or_else(|| corrupt("first day"))?,
            days: r.get::<i64, _>(1) as u32,
            need: r.get::<i64, _>(2) as u32,
            covered: r.get::<i64, _>(3) as u32,
            places: r.get::<i64, _>(4) as u32,
            max_load: r.get::<i64, _>(5) as u32,
            assignment,
            checkins,
            swaps,
        })
    }

    /// A volunteer checks in at a shift they hold, on its day; or an organiser marks a no-show.
    /// Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_attendance(
        &self,
        compound: &str,
        period: &PeriodRecord,
        shift: &ShiftId,
        volunteer: &VolunteerId,
        status: &str,
        today: Date,
        actor: Actor<'_>,
    ) -> Result<()> {
        if !period.assignment.is_on(shift, volunteer) {
            return R::NotOnShift { volunteer: volunteer.to_string(), shift: shift.to_string() }.err();
        }
        if status == "checked-in" {
            let date = shift.as_str().split('/').nth(1).and_then(parse_day);
            if date != Some(today) {
                return R::CheckInDay {
                    shift: shift.to_string(),
                    date: date.map(|d| d.to_string()).unwrap_or_default(),
                }
                .err();
            }
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM waste_checkins WHERE compound_id = $1 AND period_id = $2 AND shift_id = $3 AND volunteer_id = $4")
            .bind(compound)
            .bind(&period.id)
            .bind(shift.as_str())
            .bind(volunteer.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO waste_checkins (compound_id, period_id, shift_id, volunteer_id, status, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(compound)
        .bind(&period.id)
        .bind(shift.as_str())
        .bind(volunteer.as_str())
        .bind(status)
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "waste.attendance",
            &period.id,
            &format!("{shift} {volunteer} {status}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A volunteer offers a shift to another (optionally taking one of theirs back); checked now
    /// against every rule, and again when accepted. Audited.
    pub async fn offer_swap(
        &self,
        compound: &str,
        period: &PeriodRecord,
        sw: &Swap,
        actor: Actor<'_>,
    ) -> Result<String> {
        let pb = self.waste_problem(compound, period.first_day, period.days, period.need).await?;
        swap(&pb, &period.assignment, sw).map_err(|e| StoreError::Refused(e.refused()))?;
        let id = new_id();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO waste_swaps (compound_id, id, period_id, from_volunteer, shift_id, to_volunteer, back_shift, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'offered', $8)",
        )
        .bind(compound)
        .bind(&id)
        .bind(&period.id)
        .bind(sw.from.as_str())
        .bind(sw.shift.as_str())
        .bind(sw.to.as_str())
        .bind(sw.back.as_ref().map(|b| b.as_str().to_string()))
        .bind(crate::now_ms())
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            compound,
            actor.login,
            "waste.swap-offer",
            &id,
            &format!("{} {} -> {}", sw.shift, sw.from, sw.to),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The volunteer asked accepts (the roster changes, checked again against every rule) or
    /// declines. Audited.
    pub async fn answer_swap(
        &self,
        compound: &str,
        period: &PeriodRecord,
        id: &str,
        by: &VolunteerId,
        accept: bool,
        actor: Actor<'_>,
    ) -> Result<()> {
        let Some(s) = period.swaps.iter().find(|s| s.id == id && s.status == "offered") else {
            return R::SwapUnknown { id: id.into() }.err();
        };
        if &s.swap.to != by {
            return R::SwapNotYours.err();
        }
        let mut tx = self.begin_write().await?;
        if accept {
            let pb = self.waste_problem(compound, period.first_day, period.days, period.need).await?;
            swap(&pb, &period.assignment, &s.swap).map_err(|e| StoreError::Refused(e.refused()))?;
            covers::move_place(&mut tx, compound, &period.id, &s.swap.shift, Some(&s.swap.from), &s.swap.to).await?;
            if let Some(back) = &s.swap.back {
                covers::move_place(&mut tx, compound, &period.id, back, Some(&s.swap.to), &s.swap.from).await?;
            }
        }
        let n =
            sqlx::query("UPDATE waste_swaps SET status = $1 WHERE compound_id = $2 AND id = $3 AND status = 'offered'")
                .bind(if accept { "accepted" } else { "declined" })
                .bind(compound)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n != 1 {
            return R::SwapUnknown { id: id.into() }.err();
        }
        append(&mut tx, compound, actor.login, if accept { "waste.swap-accept" } else { "waste.swap-decline" }, id, "")
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
