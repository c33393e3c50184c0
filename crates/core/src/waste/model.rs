//! Drop-off stations, their shifts and the volunteers who stand at them, as plain data; and the
//! [`Problem`] a roster is solved for, which can only be built from consistent pieces.

use super::refusal::{At, Table, WasteRefusal};
use jiff::civil::Date;
use serde::{Serialize, Serializer};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

macro_rules! id {
    ($name:ident) => {
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> $name {
                $name(s.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id!(StationId);
id!(ShiftId);
id!(VolunteerId);

/// A time of day in minutes after midnight, `00:00` to `24:00` (a window may end at midnight).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hm(u16);

impl Hm {
    pub fn new(hour: u16, minute: u16) -> Option<Hm> {
        (minute < 60 && (hour < 24 || (hour == 24 && minute == 0))).then_some(Hm(hour * 60 + minute))
    }

    /// `07:00`, `7:00` or `07:00:00` (as a spreadsheet may write it).
    pub fn parse(s: &str) -> Option<Hm> {
        let t = s.trim().replace('：', ":");
        let mut parts = t.split(':');
        let (h, m, sec) = (parts.next()?, parts.next()?, parts.next());
        if parts.next().is_some() || sec.is_some_and(|x| x != "00") {
            return None;
        }
        let digits = |x: &str, max_len: usize| {
            (!x.is_empty() && x.len() <= max_len && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse().ok())?
        };
        if m.len() != 2 {
            return None;
        }
        Hm::new(digits(h, 2)?, digits(m, 2)?)
    }

    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Hm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for Hm {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

pub(crate) fn date_str<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

fn dates_str<S: Serializer>(d: &BTreeSet<Date>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(d.iter().map(|d| d.to_string()))
}

/// The four categories of the Shanghai Regulation, Art. 4, with their bin colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bin {
    Recyclable,
    Hazardous,
    Wet,
    Dry,
}

impl Bin {
    pub const ALL: [Bin; 4] = [Bin::Recyclable, Bin::Hazardous, Bin::Wet, Bin::Dry];

    pub fn zh(self) -> &'static str {
        match self {
            Bin::Recyclable => "可回收物",
            Bin::Hazardous => "有害垃圾",
            Bin::Wet => "湿垃圾",
            Bin::Dry => "干垃圾",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Bin::Recyclable => "recyclables",
            Bin::Hazardous => "hazardous waste",
            Bin::Wet => "wet waste",
            Bin::Dry => "dry waste",
        }
    }

    pub fn colour(self) -> Colour {
        match self {
            Bin::Recyclable => Colour::Blue,
            Bin::Hazardous => Colour::Red,
            Bin::Wet => Colour::Brown,
            Bin::Dry => Colour::Black,
        }
    }
}

/// A bin's colour (the city standard the Regulation refers to, Art. 26).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Colour {
    Blue,
    Red,
    Brown,
    Black,
}

impl Colour {
    pub fn zh(self) -> &'static str {
        match self {
            Colour::Blue => "蓝色",
            Colour::Red => "红色",
            Colour::Brown => "棕色",
            Colour::Black => "黑色",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Colour::Blue => "blue",
            Colour::Red => "red",
            Colour::Brown => "brown",
            Colour::Black => "black",
        }
    }

    /// For pages and charts.
    pub fn hex(self) -> &'static str {
        match self {
            Colour::Blue => "#1f5fa8",
            Colour::Red => "#c62828",
            Colour::Brown => "#6d4c41",
            Colour::Black => "#212121",
        }
    }
}

/// An opening window of a station, e.g. 07:00–09:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub start: Hm,
    pub end: Hm,
}

impl Window {
    pub fn overlaps(&self, o: &Window) -> bool {
        self.start < o.end && o.start < self.end
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

/// A drop-off station (投放点).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Station {
    pub id: StationId,
    pub name: String,
    /// The building group (楼组) it serves, as the residents' committee names it.
    pub building_group: String,
    pub bins: BTreeSet<Bin>,
    pub windows: Vec<Window>,
    /// A late drop-off point (误时投放点) for those who miss the windows.
    pub late_point: bool,
    pub households: u32,
}

/// How many households one station should serve: the operating guide's 300–500 (law-and-practice
/// §5.3, from a news copy), a setting because the guide lets compounds adjust it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct HouseholdRule {
    pub min: u32,
    pub max: u32,
}

impl Default for HouseholdRule {
    fn default() -> Self {
        HouseholdRule { min: 300, max: 500 }
    }
}

/// What is wrong with the stations, each naming its station. Too few households is only said when
/// the compound has more than one station (a small compound needs its one station anyway).
pub fn check_stations(stations: &[Station], rule: HouseholdRule) -> Vec<WasteRefusal> {
    let mut out = Vec::new();
    for st in stations {
        let station = st.id.to_string();
        if st.households > rule.max {
            out.push(WasteRefusal::TooManyHouseholds {
                station: station.clone(),
                households: st.households,
                max: rule.max,
            });
        } else if st.households < rule.min && stations.len() > 1 && !st.late_point {
            out.push(WasteRefusal::TooFewHouseholds {
                station: station.clone(),
                households: st.households,
                min: rule.min,
            });
        }
        if st.bins.contains(&Bin::Wet) != st.bins.contains(&Bin::Dry) {
            out.push(WasteRefusal::WetDryNotPaired { station: station.clone() });
        }
        for (i, w) in st.windows.iter().enumerate() {
            if w.end <= w.start {
                out.push(WasteRefusal::BadWindow {
                    station: station.clone(),
                    start: w.start.to_string(),
                    end: w.end.to_string(),
                });
            }
            for o in &st.windows[i + 1..] {
                if w.overlaps(o) {
                    out.push(WasteRefusal::WindowsOverlap {
                        station: station.clone(),
                        first: w.to_string(),
                        second: o.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// One station window on one day, needing `need` volunteers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub id: ShiftId,
    pub station: StationId,
    #[serde(serialize_with = "date_str")]
    pub date: Date,
    pub start: Hm,
    pub end: Hm,
    pub need: u32,
}

impl Shift {
    /// Same day and the times intersect; back-to-back (one ends when the other starts) is fine.
    pub fn overlaps(&self, o: &Shift) -> bool {
        self.date == o.date && self.start < o.end && o.start < self.end
    }

    /// The ISO week the shift falls in, for a most-per-week limit.
    pub fn week(&self) -> Week {
        let w = self.date.iso_week_date();
        Week { year: w.year(), week: w.week() }
    }
}

/// An ISO 8601 week, `2026-W09`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Week {
    pub year: i16,
    pub week: i8,
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// Each day's window at each station from `from` for `days` days, `need` volunteers each;
/// ids read `station/2026-03-01/07:00`.
pub fn shifts_for(stations: &[Station], from: Date, days: u32, need: u32) -> Vec<Shift> {
    shifts_with_changes(stations, &Changes::new(), from, days, need)
}

/// A station's windows on particular days instead of its usual ones (a holiday: closed, or other
/// hours), by station and date; an empty list closes the station that day.
pub type Changes = std::collections::BTreeMap<(StationId, Date), Vec<Window>>;

/// As [`shifts_for`], each station's day taking its changed windows where `changes` has them.
pub fn shifts_with_changes(stations: &[Station], changes: &Changes, from: Date, days: u32, need: u32) -> Vec<Shift> {
    let mut out = Vec::new();
    for d in 0..days {
        let Ok(date) = from.checked_add(jiff::Span::new().days(d as i64)) else { break };
        for st in stations {
            let windows = changes.get(&(st.id.clone(), date)).unwrap_or(&st.windows);
            for w in windows {
                out.push(Shift {
                    id: ShiftId(format!("{}/{date}/{}", st.id, w.start)),
                    station: st.id.clone(),
                    date,
                    start: w.start,
                    end: w.end,
                    need,
                });
            }
        }
    }
    out
}

/// Which shifts a volunteer has said they can take.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Availability {
    All,
    Only(BTreeSet<ShiftId>),
}

/// A volunteer (志愿者): from a building group, the committee, the party branch or the residents;
/// need not be an owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Volunteer {
    pub id: VolunteerId,
    pub name: String,
    /// Most shifts in the period.
    pub max: u32,
    /// Most shifts in one ISO week, if they set one.
    pub max_per_week: Option<u32>,
    pub available: Availability,
    /// Dates they are away: no shift on these even if available.
    #[serde(serialize_with = "dates_str")]
    pub away: BTreeSet<Date>,
    pub preferred: BTreeSet<StationId>,
}

impl Volunteer {
    /// A volunteer available for everything, up to `max` shifts.
    pub fn new(id: impl Into<String>, max: u32) -> Volunteer {
        let id = id.into();
        Volunteer {
            name: id.clone(),
            id: VolunteerId(id),
            max,
            max_per_week: None,
            available: Availability::All,
            away: BTreeSet::new(),
            preferred: BTreeSet::new(),
        }
    }
}

/// The shifts of a period and the volunteers, checked once: ids unique, every shift ends after it
/// starts and needs someone, every availability names a real shift.
#[derive(Clone, Debug)]
pub struct Problem {
    shifts: Vec<Shift>,
    volunteers: Vec<Volunteer>,
    shift_at: HashMap<ShiftId, usize>,
    volunteer_at: HashMap<VolunteerId, usize>,
    /// Per volunteer, the shifts they may take (available and not away), by (date, start, index).
    allowed: Vec<Vec<usize>>,
}

impl Problem {
    pub fn new(shifts: Vec<Shift>, volunteers: Vec<Volunteer>) -> Result<Problem, WasteRefusal> {
        let (sh, vo) = (At::api(Table::Shifts), At::api(Table::Volunteers));
        let mut shift_at = HashMap::new();
        for (i, s) in shifts.iter().enumerate() {
            if let Some(first) = shift_at.insert(s.id.clone(), i) {
                return Err(WasteRefusal::DuplicateShift { at: sh, shift: s.id.to_string(), first_row: first + 1 });
            }
            if s.end <= s.start {
                let (start, end) = (s.start.to_string(), s.end.to_string());
                return Err(WasteRefusal::EndNotAfterStart { at: sh, shift: s.id.to_string(), start, end });
            }
            if s.need < 1 {
                return Err(WasteRefusal::NeedBelowOne { at: sh, shift: s.id.to_string(), need: s.need.to_string() });
            }
        }
        let mut volunteer_at = HashMap::new();
        let mut allowed = Vec::with_capacity(volunteers.len());
        for (i, v) in volunteers.iter().enumerate() {
            if let Some(first) = volunteer_at.insert(v.id.clone(), i) {
                return Err(WasteRefusal::DuplicateVolunteer {
                    at: vo,
                    volunteer: v.id.to_string(),
                    first_row: first + 1,
                });
            }
            let mut mine: Vec<usize> = match &v.available {
                Availability::All => (0..shifts.len()).collect(),
                Availability::Only(ids) => {
                    let mut m = Vec::with_capacity(ids.len());
                    for id in ids {
                        match shift_at.get(id) {
                            Some(&s) => m.push(s),
                            None => {
                                return Err(WasteRefusal::UnknownShift {
                                    at: vo,
                                    volunteer: v.id.to_string(),
                                    shift: id.to_string(),
                                });
                            }
                        }
                    }
                    m
                }
            };
            mine.retain(|&s| !v.away.contains(&shifts[s].date));
            mine.sort_by_key(|&s| (shifts[s].date, shifts[s].start, s));
            allowed.push(mine);
        }
        Ok(Problem { shifts, volunteers, shift_at, volunteer_at, allowed })
    }

    pub fn shifts(&self) -> &[Shift] {
        &self.shifts
    }

    pub fn volunteers(&self) -> &[Volunteer] {
        &self.volunteers
    }

    pub fn shift_index(&self, id: &ShiftId) -> Option<usize> {
        self.shift_at.get(id).copied()
    }

    pub fn volunteer_index(&self, id: &VolunteerId) -> Option<usize> {
        self.volunteer_at.get(id).copied()
    }

    /// The shifts volunteer `v` may take, by date and start.
    pub fn allowed(&self, v: usize) -> &[usize] {
        &self.allowed[v]
    }

    /// Whether volunteer `v` said they can take shift `s` (ignoring away dates).
    pub fn is_available(&self, v: usize, s: usize) -> bool {
        match &self.volunteers[v].available {
            Availability::All => true,
            Availability::Only(ids) => ids.contains(&self.shifts[s].id),
        }
    }

    pub fn is_away(&self, v: usize, s: usize) -> bool {
        self.volunteers[v].away.contains(&self.shifts[s].date)
    }

    pub fn may_take(&self, v: usize, s: usize) -> bool {
        self.is_available(v, s) && !self.is_away(v, s)
    }

    pub fn prefers(&self, v: usize, s: usize) -> bool {
        self.volunteers[v].preferred.contains(&self.shifts[s].station)
    }

    /// Places to fill: the sum of every shift's need.
    pub fn places(&self) -> u32 {
        self.shifts.iter().map(|s| s.need).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Refusal;

    fn hm(s: &str) -> Hm {
        Hm::parse(s).unwrap()
    }

    fn station(id: &str, households: u32, bins: &[Bin], windows: &[(&str, &str)]) -> Station {
        Station {
            id: StationId::new(id),
            name: id.into(),
            building_group: "1-5".into(),
            bins: bins.iter().copied().collect(),
            windows: windows.iter().map(|(a, b)| Window { start: hm(a), end: hm(b) }).collect(),
            late_point: false,
            households,
        }
    }

    #[test]
    fn a_holiday_change_closes_a_day_or_moves_its_windows() {
        let st = station("n", 400, &[Bin::Wet, Bin::Dry], &[("07:00", "09:00"), ("18:00", "20:00")]);
        let first: Date = "2027-02-05".parse().unwrap();
        let mut ch = Changes::new();
        ch.insert((st.id.clone(), "2027-02-06".parse().unwrap()), vec![]);
        ch.insert(
            (st.id.clone(), "2027-02-07".parse().unwrap()),
            vec![Window { start: hm("09:00"), end: hm("10:00") }],
        );
        let ids: Vec<String> = shifts_with_changes(std::slice::from_ref(&st), &ch, first, 3, 1)
            .into_iter()
            .map(|s| s.id.to_string())
            .collect();
        assert_eq!(ids, ["n/2027-02-05/07:00", "n/2027-02-05/18:00", "n/2027-02-07/09:00"]);
        assert_eq!(shifts_for(&[st], first, 3, 1).len(), 6);
    }

    #[test]
    fn times_read_as_a_spreadsheet_writes_them() {
        assert_eq!(hm("07:00").minutes(), 420);
        assert_eq!(hm("7:05").to_string(), "07:05");
        assert_eq!(hm("18:00:00").to_string(), "18:00");
        assert_eq!(hm("24:00").minutes(), 1440);
        for bad in ["24:01", "7", "07:60", "7:5", "07:00:30", "seven", "-1:00", ""] {
            assert_eq!(Hm::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn bins_carry_the_regulation_names_and_colours() {
        let names: Vec<_> = Bin::ALL.iter().map(|b| (b.zh(), b.colour().en())).collect();
        assert_eq!(names, [("可回收物", "blue"), ("有害垃圾", "red"), ("湿垃圾", "brown"), ("干垃圾", "black")]);
    }

    #[test]
    fn station_checks_name_the_station_and_the_broken_rule() {
        let all = Bin::ALL;
        let stations = [
            station("north", 620, &all, &[("07:00", "09:00"), ("18:00", "20:00")]),
            station("south", 120, &[Bin::Wet], &[("07:00", "09:00"), ("08:30", "10:00")]),
            station("east", 400, &all, &[("09:00", "07:00")]),
        ];
        let codes: Vec<String> = check_stations(&stations, HouseholdRule::default()).iter().map(|r| r.en()).collect();
        assert_eq!(
            codes,
            [
                "station north serves 620 households, more than 500 per station; add a station",
                "station south serves only 120 households, fewer than 300 per station; it could be merged",
                "station south must have wet and dry bins in pairs (Regulation Art. 26)",
                "station south has overlapping opening windows 07:00–09:00 and 08:30–10:00",
                "station east has an opening window 09:00–07:00 that does not end after it starts",
            ]
        );
        assert!(check_stations(&stations[..1], HouseholdRule { min: 300, max: 700 }).is_empty());
    }

    #[test]
    fn shifts_for_make_one_shift_per_window_per_day() {
        let st = [station("a", 400, &Bin::ALL, &[("07:00", "09:00"), ("18:00", "20:00")])];
        let from: Date = "2026-02-27".parse().unwrap();
        let shifts = shifts_for(&st, from, 3, 2);
        assert_eq!(shifts.len(), 6);
        assert_eq!(shifts[5].id.as_str(), "a/2026-03-01/18:00");
        assert_eq!(shifts[5].week().to_string(), "2026-W09");
        assert!(!shifts[0].overlaps(&shifts[1]));
    }

    #[test]
    fn problem_drops_away_dates_from_what_a_volunteer_may_take() {
        let st = [station("a", 400, &Bin::ALL, &[("07:00", "09:00")])];
        let shifts = shifts_for(&st, "2026-03-01".parse().unwrap(), 3, 1);
        let mut v = Volunteer::new("v1", 3);
        v.away.insert("2026-03-02".parse().unwrap());
        let p = Problem::new(shifts, vec![v]).unwrap();
        assert_eq!(p.allowed(0), &[0, 2]);
        assert!(p.is_available(0, 1) && p.is_away(0, 1) && !p.may_take(0, 1));
    }
}
