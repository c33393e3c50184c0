//! The dates the funds must keep (law-and-practice §6).
//!
//! Fixed calendar dates are not periods and do not move off rest days: the quarter's statement
//! by the 15th of the next quarter's first month (沪房规范〔2025〕8号 Art. 14), the transfer of
//! the net by that month's end (Art. 9), the half-yearly fund statements in January and July
//! (沪房规范〔2024〕7号 §8), the audit report by 30 June (沪房规范〔2025〕9号). "Within N days of"
//! an event is a period, counted by [`crate::kit::period`].

use super::quarter::Quarter;
use super::ser_date;
use crate::kit::period::{Length, Period, PeriodRule, RestDays, period_from_day};
use jiff::civil::{Date, date};
use serde::Serialize;

/// The quarter's statement is posted by the 15th of the first month of the next quarter.
pub fn statement_by(q: Quarter) -> Date {
    let n = q.next();
    date(n.year(), n.first_month(), 15)
}

/// The net reaches the public-revenue sub-account by the end of the next quarter's first month.
pub fn transfer_by(q: Quarter) -> Date {
    let n = q.next();
    date(n.year(), n.first_month(), 1).last_of_month()
}

/// Which half of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Half {
    First,
    Second,
}

/// A half-yearly statement of the maintenance fund: what it covers and the month it is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FundStatementDue {
    pub year: i16,
    pub half: Half,
    #[serde(serialize_with = "ser_date")]
    pub covers_from: Date,
    #[serde(serialize_with = "ser_date")]
    pub covers_until: Date,
    /// The first and last day of the month of publication: July for the first half, January
    /// of the next year for the second.
    #[serde(serialize_with = "ser_date")]
    pub publish_from: Date,
    #[serde(serialize_with = "ser_date")]
    pub publish_by: Date,
}

pub fn fund_statement(year: i16, half: Half) -> FundStatementDue {
    let (covers_from, covers_until, publish_from) = match half {
        Half::First => (date(year, 1, 1), date(year, 6, 30), date(year, 7, 1)),
        Half::Second => (date(year, 7, 1), date(year, 12, 31), date(year + 1, 1, 1)),
    };
    FundStatementDue { year, half, covers_from, covers_until, publish_from, publish_by: publish_from.last_of_month() }
}

/// The half-yearly statement whose month of publication contains `day`, if any.
pub fn fund_statement_due_in(day: Date) -> Option<FundStatementDue> {
    match day.month() {
        1 => Some(fund_statement(day.year() - 1, Half::Second)),
        7 => Some(fund_statement(day.year(), Half::First)),
        _ => None,
    }
}

/// The annual audit of the maintenance fund, public revenue and the committee's running costs
/// for one calendar year (沪房规范〔2025〕9号).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct AuditYear {
    pub year: i16,
    /// The township or subdistrict office lists the compounds to audit by the end of October.
    #[serde(serialize_with = "ser_date")]
    pub listed_by: Date,
    /// The firm's report, by 30 June of the next year.
    #[serde(serialize_with = "ser_date")]
    pub report_by: Date,
}

pub fn audit_year(year: i16) -> AuditYear {
    AuditYear { year, listed_by: date(year, 10, 31), report_by: date(year + 1, 6, 30) }
}

/// The periods of the audit, each from the day of its event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPeriods {
    /// The firm's appointment stays posted for 7 days.
    pub appointment_notice_days: u32,
    /// The property company supplies its records within 30 days of the request.
    pub records_days: u32,
    /// The committee posts the results within 3 days of receiving them…
    pub post_results_days: u32,
    /// …and they stay posted for 30 days.
    pub results_notice_days: u32,
}

impl Default for AuditPeriods {
    fn default() -> Self {
        AuditPeriods { appointment_notice_days: 7, records_days: 30, post_results_days: 3, results_notice_days: 30 }
    }
}

impl AuditPeriods {
    pub fn appointment_notice(&self, posted: Date, rule: PeriodRule, rest: &RestDays) -> Period {
        period_from_day(posted, Length::Days(self.appointment_notice_days), rule, rest)
    }

    pub fn records_due(&self, requested: Date, rule: PeriodRule, rest: &RestDays) -> Period {
        period_from_day(requested, Length::Days(self.records_days), rule, rest)
    }

    pub fn post_results_by(&self, received: Date, rule: PeriodRule, rest: &RestDays) -> Period {
        period_from_day(received, Length::Days(self.post_results_days), rule, rest)
    }

    pub fn results_notice(&self, posted: Date, rule: PeriodRule, rest: &RestDays) -> Period {
        period_from_day(posted, Length::Days(self.results_notice_days), rule, rest)
    }
}

/// Where a duty stands on a day: a reminder before its date, a flag after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Due {
    /// Done on time.
    Done,
    /// Done, after the date.
    DoneLate { days_late: i64 },
    /// Not due yet, and not yet in the reminder window.
    Later { days_left: i64 },
    /// In the reminder window: days left counting the last day.
    Remind { days_left: i64 },
    /// Not done and the date has passed.
    Overdue { days_late: i64 },
}

/// A duty with its last day `by`, seen on `today`; `done` is the day it was done, if it was;
/// the reminder starts `remind_days` days before the last day.
pub fn due(by: Date, today: Date, done: Option<Date>, remind_days: i64) -> Due {
    let days = |a: Date, b: Date| (a - b).get_days() as i64;
    match done {
        Some(d) if d <= by => Due::Done,
        Some(d) => Due::DoneLate { days_late: days(d, by) },
        None if today > by => Due::Overdue { days_late: days(today, by) },
        None => {
            let days_left = days(by, today) + 1;
            if days_left <= remind_days { Due::Remind { days_left } } else { Due::Later { days_left } }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quarter {
        Quarter::parse(s).unwrap()
    }

    #[test]
    fn the_statement_is_due_on_the_15th_and_the_transfer_at_the_end_of_the_next_quarters_first_month() {
        assert_eq!(statement_by(q("2026Q1")), date(2026, 4, 15));
        assert_eq!(transfer_by(q("2026Q1")), date(2026, 4, 30));
        assert_eq!(statement_by(q("2026Q2")), date(2026, 7, 15));
        assert_eq!(transfer_by(q("2026Q3")), date(2026, 10, 31));
    }

    #[test]
    fn the_fourth_quarters_deadlines_fall_in_january_of_the_next_year() {
        assert_eq!(statement_by(q("2026Q4")), date(2027, 1, 15));
        // a Sunday, but a fixed date in the measures, not a period: it does not move
        assert_eq!(transfer_by(q("2026Q4")), date(2027, 1, 31));
    }

    #[test]
    fn fund_statements_are_published_in_july_and_january() {
        let h1 = fund_statement(2026, Half::First);
        assert_eq!(
            (h1.covers_until, h1.publish_from, h1.publish_by),
            (date(2026, 6, 30), date(2026, 7, 1), date(2026, 7, 31))
        );
        let h2 = fund_statement(2026, Half::Second);
        assert_eq!((h2.covers_from, h2.publish_by), (date(2026, 7, 1), date(2027, 1, 31)));
        assert_eq!(fund_statement_due_in(date(2027, 1, 10)), Some(h2));
        assert_eq!(fund_statement_due_in(date(2026, 7, 31)), Some(h1));
        assert_eq!(fund_statement_due_in(date(2026, 8, 1)), None);
    }

    #[test]
    fn the_audit_reports_by_june_and_its_notices_are_counted_periods() {
        let a = audit_year(2026);
        assert_eq!((a.listed_by, a.report_by), (date(2026, 10, 31), date(2027, 6, 30)));
        let p = AuditPeriods::default();
        let rest = RestDays::shipped();
        // posted Wednesday 2026-09-30: seven days run through the National Day break to 10-07, a
        // rest day, so the notice runs to Thursday 10-08
        assert_eq!(p.appointment_notice(date(2026, 9, 30), PeriodRule::default(), &rest).last_day, date(2026, 10, 8));
        // results received Thursday 2026-11-26: 3 days end Sunday 11-29, moved to Monday 11-30
        assert_eq!(p.post_results_by(date(2026, 11, 26), PeriodRule::default(), &rest).last_day, date(2026, 11, 30));
        let off = PeriodRule { move_off_rest_days: false };
        assert_eq!(p.results_notice(date(2026, 11, 30), off, &rest).last_day, date(2026, 12, 30));
        assert_eq!(p.records_due(date(2026, 11, 2), off, &rest).last_day, date(2026, 12, 2));
    }

    #[test]
    fn a_duty_is_reminded_before_and_flagged_after_its_date() {
        let by = date(2026, 4, 15);
        assert_eq!(due(by, date(2026, 4, 1), None, 5), Due::Later { days_left: 15 });
        assert_eq!(due(by, date(2026, 4, 11), None, 5), Due::Remind { days_left: 5 });
        assert_eq!(due(by, date(2026, 4, 15), None, 5), Due::Remind { days_left: 1 });
        assert_eq!(due(by, date(2026, 4, 16), None, 5), Due::Overdue { days_late: 1 });
        assert_eq!(due(by, date(2026, 4, 20), Some(date(2026, 4, 15)), 5), Due::Done);
        assert_eq!(due(by, date(2026, 4, 20), Some(date(2026, 4, 17)), 5), Due::DoneLate { days_late: 2 });
    }
}
