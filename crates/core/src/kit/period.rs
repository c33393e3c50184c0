//! Legal periods, counted as the Civil Code counts them (Arts. 200–204), in Asia/Shanghai
//! calendar days. Every deadline of every process goes through [`period`]:
//! - the day on which the period starts (the notice is posted, the term ends) is not counted;
//!   counting starts the next day (Art. 201);
//! - a period in months or years ends on the corresponding day of its last month, or that
//!   month's last day if it has none (Art. 202);
//! - a last day falling on a rest day moves to the next working day (Art. 203), a compound
//!   setting that is on by default (law-and-practice §7: never opens a vote early);
//! - the period ends at 24:00 of its last day (Art. 203).
//!
//! Rest days are Saturdays, Sundays and the State Council's public holidays, except the weekend
//! days it makes working days (调休): [`RestDays`], a table per year that staff can edit.

use jiff::civil::{Date, Weekday};
use jiff::{Span, Timestamp, tz::Offset};
use std::collections::{BTreeMap, BTreeSet};

/// Shanghai's offset: UTC+8 all year, no daylight saving since 1991.
fn shanghai() -> Offset {
    Offset::constant(8)
}

/// The Shanghai calendar day of an instant (UTC milliseconds).
pub fn day_of(ms: i64) -> Date {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    shanghai().to_datetime(ts).date()
}

/// The first millisecond of a Shanghai calendar day.
pub fn start_of(day: Date) -> i64 {
    shanghai().to_timestamp(day.to_datetime(jiff::civil::Time::midnight())).map(|t| t.as_millisecond()).unwrap_or(0)
}

/// `YYYY-MM-DD`, or None if it is not a date.
pub fn parse_day(s: &str) -> Option<Date> {
    let t = s.trim();
    if t.len() != 10 {
        return None;
    }
    t.parse::<Date>().ok()
}

/// How long a period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    Days(u32),
    Months(u32),
    Years(u32),
}

/// The compound's settings for counting periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodRule {
    /// Art. 203: a last day on a rest day moves to the next working day. On by default; a
    /// compound whose rules of procedure count otherwise turns it off (Art. 204).
    pub move_off_rest_days: bool,
}

impl Default for PeriodRule {
    fn default() -> Self {
        PeriodRule { move_off_rest_days: true }
    }
}

/// A counted period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// The day of the event that starts the period (not counted).
    pub from: Date,
    /// The first counted day.
    pub first_day: Date,
    /// The last day before any move off rest days.
    pub nominal_last_day: Date,
    /// The last day: the period ends at 24:00 of it.
    pub last_day: Date,
    /// The instant the period has run (00:00 Shanghai of the day after `last_day`), in UTC ms.
    pub ends_at: i64,
    /// Years the count passed through for which no holiday table is known: only weekends were
    /// treated as rest days there, and staff should enter that year's table.
    pub unknown_years: Vec<i16>,
}

impl Period {
    /// Whether the period has run by `now` (UTC ms).
    pub fn has_run(&self, now: i64) -> bool {
        now >= self.ends_at
    }

    /// Calendar days from `now`'s day to the last day, counting the last day (0 once it has run).
    pub fn days_left(&self, now: i64) -> i64 {
        if self.has_run(now) {
            return 0;
        }
        let today = day_of(now);
        (self.last_day - today).get_days() as i64 + 1
    }
}

/// Counts a period starting with an event at instant `from_ms` (UTC ms).
pub fn period(from_ms: i64, length: Length, rule: PeriodRule, rest: &RestDays) -> Period {
    period_from_day(day_of(from_ms), length, rule, rest)
}

/// Counts a period whose starting event falls on `from` (a civil day in Shanghai).
pub fn period_from_day(from: Date, length: Length, rule: PeriodRule, rest: &RestDays) -> Period {
    let first_day = from.tomorrow().unwrap_or(from);
    let nominal = match length {
        Length::Days(0) => from,
        Length::Days(n) => from.checked_add(Span::new().days(i64::from(n))).unwrap_or(from),
        // Art. 202: the corresponding day of the last month (jiff clamps to the month's end)
        Length::Months(n) => from.checked_add(Span::new().months(i64::from(n))).unwrap_or(from),
        Length::Years(n) => from.checked_add(Span::new().years(i64::from(n))).unwrap_or(from),
    };
    let mut unknown = BTreeSet::new();
    let mut last = nominal;
    if rule.move_off_rest_days {
        // a zero-day period has no last day to move
        while last > from && rest.is_rest_day(last) {
            if !rest.knows_year(last.year()) {
                unknown.insert(last.year());
            }
            last = last.tomorrow().unwrap_or(last);
        }
    }
    if !rest.knows_year(last.year()) {
        unknown.insert(last.year());
    }
    let ends_at = start_of(last.tomorrow().unwrap_or(last));
    Period {
        from,
        first_day,
        nominal_last_day: nominal,
        last_day: last,
        ends_at,
        unknown_years: unknown.into_iter().collect(),
    }
}

/// The day `n` months before `day` (a term's end, counted back for a report due before it).
pub fn months_before(day: Date, n: u32) -> Date {
    day.checked_sub(Span::new().months(i64::from(n))).unwrap_or(day)
}

/// What a day of the holiday table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayKind {
    /// A public holiday (or a day of its break) off work.
    Rest,
    /// A weekend day made a working day (调休).
    Work,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Rest => "rest",
            DayKind::Work => "work",
        }
    }

    pub fn parse(s: &str) -> Option<DayKind> {
        match s.trim() {
            "rest" | "休" | "放假" => Some(DayKind::Rest),
            "work" | "班" | "上班" => Some(DayKind::Work),
            _ => None,
        }
    }
}

/// One entry of the holiday table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: Date,
    pub kind: DayKind,
    /// What it is: 国庆节, 春节调休上班…
    pub name: String,
}

/// The rest days: weekends, plus the holiday table's rest days, minus its working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RestDays {
    days: BTreeMap<Date, (DayKind, String)>,
    years: BTreeSet<i16>,
}

/// The State Council's notices (国务院办公厅关于部分节假日安排的通知) for the years known when this
/// was shipped. Staff add later years (and correct these) on the compound's calendar page.
const SHIPPED: &str = include_str!("holidays.txt");

impl RestDays {
    /// Weekends only, with no table (a compound that counts without holidays).
    pub fn weekends_only() -> RestDays {
        RestDays::default()
    }

    /// The table shipped with the product.
    pub fn shipped() -> RestDays {
        RestDays::from_days(shipped_days())
    }

    /// A table from its entries; a year counts as known once it has any entry.
    pub fn from_days(days: impl IntoIterator<Item = CalendarDay>) -> RestDays {
        let mut r = RestDays::default();
        for d in days {
            r.years.insert(d.day.year());
            r.days.insert(d.day, (d.kind, d.name));
        }
        r
    }

    pub fn knows_year(&self, year: i16) -> bool {
        self.years.contains(&year)
    }

    pub fn is_rest_day(&self, d: Date) -> bool {
        match self.days.get(&d) {
            Some((DayKind::Rest, _)) => true,
            Some((DayKind::Work, _)) => false,
            None => matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday),
        }
    }

    /// The table's entries in date order.
    pub fn entries(&self) -> Vec<CalendarDay> {
        self.days.iter().map(|(d, (k, n))| CalendarDay { day: *d, kind: *k, name: n.clone() }).collect()
    }
}

/// The shipped table's entries.
pub fn shipped_days() -> Vec<CalendarDay> {
    parse_table(SHIPPED).expect("the shipped holiday table is valid")
}

/// Parses lines `YYYY-MM-DD[..YYYY-MM-DD] rest|work name`; `#` starts a comment. An error names
/// the line.
pub fn parse_table(text: &str) -> Result<Vec<CalendarDay>, (usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let (range, kind) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        let name = parts.collect::<Vec<_>>().join(" ");
        let bad = |what: &str| (i + 1, format!("line {}: {what}: '{line}'", i + 1));
        let kind = DayKind::parse(kind).ok_or_else(|| bad("the kind must be rest or work"))?;
        let (a, b) = range.split_once("..").unwrap_or((range, range));
        let (a, b) = (parse_day(a).ok_or_else(|| bad("not a date"))?, parse_day(b).ok_or_else(|| bad("not a date"))?);
        if b < a || (b - a).get_days() > 31 {
            return Err(bad("a range runs forwards and at most a month"));
        }
        let mut d = a;
        while d <= b {
            out.push(CalendarDay { day: d, kind, name: name.clone() });
            d = d.tomorrow().map_err(|_| bad("date out of range"))?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(day: Date, h: i8, m: i8) -> i64 {
        shanghai().to_timestamp(day.at(h, m, 0, 0)).unwrap().as_millisecond()
    }

    #[test]
    fn the_worked_example_of_law_and_practice_section_7() {
        // a 5-day notice posted at 10:00 on Monday 2026-11-23: days 11-24..11-28, the 28th is a
        // Saturday, so the last day is Monday 11-30 and voting may open on Tuesday 12-01
        let p = period(at(date(2026, 11, 23), 10, 0), Length::Days(5), PeriodRule::default(), &RestDays::shipped());
        assert_eq!(p.first_day, date(2026, 11, 24));
        assert_eq!(p.nominal_last_day, date(2026, 11, 28));
        assert_eq!(p.last_day, date(2026, 11, 30));
        assert_eq!(p.ends_at, at(date(2026, 12, 1), 0, 0));
        assert!(!p.has_run(at(date(2026, 11, 30), 23, 59)));
        assert!(p.has_run(at(date(2026, 12, 1), 0, 0)));
        assert!(p.unknown_years.is_empty());
    }

    #[test]
    fn a_seven_day_notice_posted_on_the_eve_of_national_day_runs_past_the_holiday() {
        // posted 2026-09-30: days 10-01..10-07 are the National Day break; the 7th is a rest
        // day, so the last day is Thursday 10-08 and voting opens on Friday 10-09
        let p = period(at(date(2026, 9, 30), 18, 0), Length::Days(7), PeriodRule::default(), &RestDays::shipped());
        assert_eq!(p.nominal_last_day, date(2026, 10, 7));
        assert_eq!(p.last_day, date(2026, 10, 8));
        assert_eq!(p.ends_at, at(date(2026, 10, 9), 0, 0));
        // counted as 7 × 24 hours it would have opened at 18:00 on 10-07, during the holiday
        assert!(p.ends_at > at(date(2026, 9, 30), 18, 0) + 7 * 86_400_000);
    }

    #[test]
    fn a_weekend_made_a_working_day_is_not_a_rest_day() {
        // 2026-10-10 is a Saturday worked in exchange for the National Day break
        let rest = RestDays::shipped();
        assert!(!rest.is_rest_day(date(2026, 10, 10)));
        let p = period(at(date(2026, 10, 3), 9, 0), Length::Days(7), PeriodRule::default(), &rest);
        assert_eq!(p.last_day, date(2026, 10, 10));
    }

    #[test]
    fn the_rule_can_be_turned_off() {
        let off = PeriodRule { move_off_rest_days: false };
        let p = period(at(date(2026, 11, 23), 10, 0), Length::Days(5), off, &RestDays::shipped());
        assert_eq!(p.last_day, date(2026, 11, 28));
    }

    #[test]
    fn months_end_on_the_corresponding_day_or_the_last_of_the_month() {
        let rest = RestDays::weekends_only();
        let off = PeriodRule { move_off_rest_days: false };
        assert_eq!(period_from_day(date(2026, 1, 15), Length::Months(1), off, &rest).last_day, date(2026, 2, 15));
        assert_eq!(period_from_day(date(2026, 1, 31), Length::Months(1), off, &rest).last_day, date(2026, 2, 28));
        assert_eq!(period_from_day(date(2024, 2, 29), Length::Years(1), off, &rest).last_day, date(2025, 2, 28));
        assert_eq!(months_before(date(2027, 3, 31), 5), date(2026, 10, 31));
    }

    #[test]
    fn a_year_without_a_table_is_reported() {
        let p = period(at(date(2027, 1, 28), 9, 0), Length::Days(3), PeriodRule::default(), &RestDays::shipped());
        assert_eq!(p.unknown_years, vec![2027]);
    }

    #[test]
    fn days_left_counts_the_last_day() {
        let p = period(at(date(2026, 11, 23), 10, 0), Length::Days(5), PeriodRule::default(), &RestDays::shipped());
        assert_eq!(p.days_left(at(date(2026, 11, 30), 8, 0)), 1);
        assert_eq!(p.days_left(at(date(2026, 11, 24), 8, 0)), 7);
        assert_eq!(p.days_left(at(date(2026, 12, 1), 8, 0)), 0);
    }

    #[test]
    fn the_table_parser_names_the_line() {
        assert_eq!(parse_table("2026-10-01..2026-10-03 rest 国庆节").unwrap().len(), 3);
        assert_eq!(parse_table("# x\n2026-13-01 rest y").unwrap_err().0, 2);
        assert_eq!(parse_table("2026-10-01 holiday").unwrap_err().0, 1);
    }

    #[test]
    fn day_and_start_of_day_are_shanghai_days() {
        // 2026-11-24T20:51:00Z is 04:51 on the 25th in Shanghai
        assert_eq!(day_of(1_795_553_460_000), date(2026, 11, 25));
        assert_eq!(day_of(start_of(date(2026, 11, 25))), date(2026, 11, 25));
        assert_eq!(day_of(start_of(date(2026, 11, 25)) - 1), date(2026, 11, 24));
    }
}
