//! Sorting records (分类督导记录): what supervisors see at a station in a window (mis-sorted
//! bags, drop-offs outside the opening hours, bags left by the road), per building when known;
//! their trends by week; and the monthly summary a residents' committee sends to the street
//! office (duty kept, check-ins, no-shows, what was seen, per station and per building).

use super::model::StationId;
use crate::kit::chart::{PALETTE, Series, line_chart};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// What a supervisor saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Observation {
    /// Waste put in the wrong bin, or not sorted (混投错投).
    MisSorted,
    /// Dropped off outside the opening windows (非投放时段投放).
    OutsideHours,
    /// Bags left by the road or beside the station (垃圾袋落地).
    RoadsideBags,
}

impl Observation {
    pub const ALL: [Observation; 3] = [Observation::MisSorted, Observation::OutsideHours, Observation::RoadsideBags];

    pub fn key(self) -> &'static str {
        match self {
            Observation::MisSorted => "mis-sorted",
            Observation::OutsideHours => "outside-hours",
            Observation::RoadsideBags => "roadside-bags",
        }
    }

    pub fn parse(s: &str) -> Option<Observation> {
        Observation::ALL.into_iter().find(|o| o.key() == s.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            Observation::MisSorted => "混投错投",
            Observation::OutsideHours => "非投放时段投放",
            Observation::RoadsideBags => "垃圾袋落地",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Observation::MisSorted => "mis-sorted",
            Observation::OutsideHours => "outside the hours",
            Observation::RoadsideBags => "bags left by the road",
        }
    }
}

/// One supervisor's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SortingRecord {
    pub station: StationId,
    #[serde(serialize_with = "super::model::date_str")]
    pub date: Date,
    /// The window's start, when it was seen in one.
    pub window: Option<String>,
    /// The building, when known (from the bag, or seen).
    pub building: Option<String>,
    pub kind: Observation,
    /// How many bags or cases, ≥ 1.
    pub count: u32,
}

/// Counts per observation, in [`Observation::ALL`]'s order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts(pub [u32; 3]);

impl Counts {
    fn add(&mut self, k: Observation, n: u32) {
        let i = Observation::ALL.iter().position(|o| *o == k).unwrap_or(0);
        self.0[i] += n;
    }

    pub fn total(&self) -> u32 {
        self.0.iter().sum()
    }

    pub fn of(&self, k: Observation) -> u32 {
        self.0[Observation::ALL.iter().position(|o| *o == k).unwrap_or(0)]
    }
}

/// A station's shifts in the month as kept: places on the roster, filled, check-ins, no-shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Duty {
    pub places: u32,
    pub filled: u32,
    pub checked_in: u32,
    pub no_shows: u32,
}

impl Duty {
    fn add(&mut self, o: &Duty) {
        self.places += o.places;
        self.filled += o.filled;
        self.checked_in += o.checked_in;
        self.no_shows += o.no_shows;
    }
}

/// A line of the monthly summary: a station (with its duty) or a building.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// A station's id, or a building's number; empty for the total.
    pub key: String,
    /// A station's name, or the building's number.
    pub name: String,
    pub duty: Duty,
    pub seen: Counts,
}

/// The monthly summary for the street office.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MonthSummary {
    /// `2026-12`
    pub month: String,
    pub stations: Vec<Line>,
    /// Buildings with at least one record, most records first (then by number).
    pub buildings: Vec<Line>,
    /// Records without a building.
    pub unknown_building: Counts,
    pub total: Line,
}

/// `2026-12` as its first day.
pub fn parse_month(s: &str) -> Option<Date> {
    let (y, m) = s.trim().split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()
}

fn same_month(d: Date, first: Date) -> bool {
    d.year() == first.year() && d.month() == first.month()
}

/// Building numbers in their natural order (`2` before `10`).
fn building_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// The summary of `month` (its first day) from every station (with its duty in that month, by
/// station id) and the records (those of other months are left out).
pub fn month_summary(
    month: Date,
    stations: &[(StationId, String)],
    duty: &BTreeMap<StationId, Duty>,
    records: &[SortingRecord],
) -> MonthSummary {
    let mut seen: BTreeMap<&StationId, Counts> = BTreeMap::new();
    let mut by_building: BTreeMap<String, Counts> = BTreeMap::new();
    let mut unknown = Counts::default();
    let mut total = Line { key: String::new(), name: String::new(), duty: Duty::default(), seen: Counts::default() };
    for r in records.iter().filter(|r| same_month(r.date, month)) {
        seen.entry(&r.station).or_default().add(r.kind, r.count);
        match &r.building {
            Some(b) => by_building.entry(b.clone()).or_default().add(r.kind, r.count),
            None => unknown.add(r.kind, r.count),
        }
        total.seen.add(r.kind, r.count);
    }
    let stations = stations
        .iter()
        .map(|(id, name)| {
            let d = duty.get(id).copied().unwrap_or_default();
            total.duty.add(&d);
            Line { key: id.to_string(), name: name.clone(), duty: d, seen: seen.get(id).copied().unwrap_or_default() }
        })
        .collect();
    let mut buildings: Vec<Line> = by_building
        .into_iter()
        .map(|(key, seen)| Line { name: key.clone(), key, duty: Duty::default(), seen })
        .collect();
    buildings.sort_by(|a, b| b.seen.total().cmp(&a.seen.total()).then_with(|| building_order(&a.key, &b.key)));
    MonthSummary {
        month: format!("{:04}-{:02}", month.year(), month.month()),
        stations,
        buildings,
        unknown_building: unknown,
        total,
    }
}

/// The Monday of the ISO week `d` is in.
fn monday(d: Date) -> Date {
    let back = i64::from(d.weekday().to_monday_zero_offset());
    d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
}

/// Weekly totals of every record over the `weeks` weeks ending with the one `last` is in, one
/// series per key (`key` picks a station's name or a building; None leaves the record out), the
/// `top` keys with the most records. Labels are each week's Monday, `12-01`.
pub fn weekly_trend(
    records: &[SortingRecord],
    last: Date,
    weeks: u32,
    top: usize,
    key: &dyn Fn(&SortingRecord) -> Option<String>,
) -> (Vec<String>, Vec<Series>) {
    let end = monday(last);
    let starts: Vec<Date> =
        (0..weeks).rev().filter_map(|k| end.checked_sub(jiff::Span::new().days(7 * i64::from(k))).ok()).collect();
    let labels = starts.iter().map(|d| format!("{:02}-{:02}", d.month(), d.day())).collect();
    let mut per: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in records {
        let w = monday(r.date);
        let Some(i) = starts.iter().position(|s| *s == w) else { continue };
        let Some(k) = key(r) else { continue };
        per.entry(k).or_insert_with(|| vec![0; starts.len()])[i] += i64::from(r.count);
    }
    let mut rows: Vec<(String, Vec<i64>)> = per.into_iter().collect();
    rows.sort_by(|a, b| b.1.iter().sum::<i64>().cmp(&a.1.iter().sum::<i64>()).then_with(|| building_order(&a.0, &b.0)));
    rows.truncate(top);
    let series = rows
        .into_iter()
        .enumerate()
        .map(|(i, (name, values))| Series { name, colour: PALETTE[i % PALETTE.len()].into(), values })
        .collect();
    (labels, series)
}

/// The weekly trend drawn as an SVG line chart.
pub fn trend_chart(id: &str, title: &str, labels: &[String], series: &[Series]) -> String {
    line_chart(id, title, labels, series, &|v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(station: &str, date: &str, building: Option<&str>, kind: Observation, count: u32) -> SortingRecord {
        SortingRecord {
            station: StationId::new(station),
            date: date.parse().unwrap(),
            window: None,
            building: building.map(String::from),
            kind,
            count,
        }
    }

    #[test]
    fn the_summary_counts_only_its_month_per_station_and_building() {
        use Observation::*;
        let records = vec![
            rec("north", "2026-12-01", Some("13"), MisSorted, 2),
            rec("north", "2026-12-02", Some("2"), RoadsideBags, 1),
            rec("south", "2026-12-31", Some("13"), OutsideHours, 3),
            rec("south", "2026-12-15", None, MisSorted, 4),
            rec("north", "2026-11-30", Some("13"), MisSorted, 9),
            rec("north", "2027-01-01", Some("2"), MisSorted, 9),
        ];
        let stations = vec![(StationId::new("north"), "北站".into()), (StationId::new("south"), "南站".into())];
        let mut duty = BTreeMap::new();
        duty.insert(StationId::new("north"), Duty { places: 62, filled: 60, checked_in: 55, no_shows: 2 });
        let s = month_summary(parse_month("2026-12").unwrap(), &stations, &duty, &records);
        assert_eq!(s.month, "2026-12");
        assert_eq!(s.stations[0].seen, Counts([2, 0, 1]));
        assert_eq!(s.stations[1].seen, Counts([4, 3, 0]));
        assert_eq!(s.stations[1].duty, Duty::default());
        assert_eq!(s.total.duty.places, 62);
        assert_eq!(s.total.seen.total(), 10);
        assert_eq!(s.buildings.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(), ["13", "2"]);
        assert_eq!(s.buildings[0].seen, Counts([2, 3, 0]));
        assert_eq!(s.unknown_building, Counts([4, 0, 0]));
    }

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("2026-02"), Some("2026-02-01".parse().unwrap()));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-2"), None);
        assert_eq!(parse_month("202612"), None);
    }

    #[test]
    fn weekly_trend_buckets_by_monday_and_keeps_the_top_keys() {
        use Observation::*;
        // 2026-11-30 is a Monday
        let records = vec![
            rec("north", "2026-11-30", Some("13"), MisSorted, 2),
            rec("north", "2026-12-06", Some("13"), MisSorted, 1),
            rec("north", "2026-12-07", Some("2"), MisSorted, 5),
            rec("north", "2026-12-08", Some("7"), MisSorted, 1),
            rec("north", "2026-11-01", Some("13"), MisSorted, 50),
        ];
        let (labels, series) = weekly_trend(&records, "2026-12-09".parse().unwrap(), 2, 2, &|r| r.building.clone());
        assert_eq!(labels, ["11-30", "12-07"]);
        assert_eq!(series.len(), 2);
        assert_eq!((series[0].name.as_str(), series[0].values.clone()), ("2", vec![0, 5]));
        assert_eq!((series[1].name.as_str(), series[1].values.clone()), ("13", vec![3, 0]));
        let svg = trend_chart("t", "趋势", &labels, &series);
        assert!(svg.contains("13: 11-30 3, 12-07 0."));
    }
}
