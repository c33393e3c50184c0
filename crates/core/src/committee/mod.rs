//! The owners' committee (业主委员会): its election count, its seats and term, the change of term
//! (换届) as a timeline of deadlines, its candidates and composition, and its own meetings
//! (law-and-practice §3.4–3.6, §3.10; Shanghai Provisions Arts. 20–32).
//!
//! - [`election`]: the exact count of a `committee-election` matter, and [`elect`] the CLI core.
//! - [`term`]: seats, term, offices and alternates checked; the change-of-term timeline; the
//!   matters refused while the change-of-term group exists; vacancies and by-elections.
//! - [`candidates`]: nomination, eligibility, and the compound's composition rules.
//! - [`meetings`]: quorum, decisions, notices of decisions, attendance.
//! - [`minutes`]: the compound's other meetings, their minutes and resolutions.
//!
//! Rules a person can fix are returned as typed findings (every unmet rule, not the first);
//! input that cannot be counted is a typed refusal ([`refusal`]).

pub mod candidates;
pub mod composition_spec;
pub mod elect;
pub mod election;
pub mod finding;
pub mod meetings;
pub mod minutes;
pub mod policy;
pub mod refusal;
pub mod term;
pub mod vacancies;

pub use elect::{ElectOutput, elect_cli};
pub use election::{ElectionBallot, ElectionInput, ElectionResult, count_election};
pub use finding::Finding;
pub use refusal::CommitteeRefusal;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

/// Where a deadline stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Done on `on`; `late_days` after the due date (0 when on time).
    Done {
        #[serde(serialize_with = "day")]
        on: Date,
        late_days: i64,
    },
    /// Not done; `days_left` calendar days to the due date, the due date counted (1 on the day).
    Due { days_left: i64 },
    /// Not done and the due date has passed `days` days ago.
    Overdue { days: i64 },
}

impl Status {
    /// The status of a deadline `due` on `today`, done on `done` if it was.
    pub fn of(due: Date, done: Option<Date>, today: Date) -> Status {
        match done {
            Some(on) => Status::Done { on, late_days: days_between(due, on).max(0) },
            None if today <= due => Status::Due { days_left: days_between(today, due) + 1 },
            None => Status::Overdue { days: days_between(due, today) },
        }
    }

    pub fn is_late(self) -> bool {
        matches!(self, Status::Overdue { .. } | Status::Done { late_days: 1.., .. })
    }

    pub fn en(self) -> String {
        match self {
            Status::Done { on, late_days: 0 } => format!("done on {on}"),
            Status::Done { on, late_days } => format!("done on {on}, {late_days} days late"),
            Status::Due { days_left } => format!("due, {days_left} days left"),
            Status::Overdue { days } => format!("OVERDUE by {days} days"),
        }
    }

    pub fn zh(self) -> String {
        match self {
            Status::Done { on, late_days: 0 } => format!("已于 {on} 完成"),
            Status::Done { on, late_days } => format!("已于 {on} 完成，逾期 {late_days} 天"),
            Status::Due { days_left } => format!("未完成，剩余 {days_left} 天"),
            Status::Overdue { days } => format!("已逾期 {days} 天"),
        }
    }
}

/// Calendar days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: Date, b: Date) -> i64 {
    i64::from((b - a).get_days())
}

/// A civil date as `YYYY-MM-DD` in JSON.
pub(crate) fn day<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(d)
}

/// An optional civil date as `YYYY-MM-DD` or null in JSON.
pub(crate) fn opt_day<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn status_counts_the_due_day_as_left_and_lateness_from_it() {
        let due = date(2026, 3, 10);
        assert_eq!(Status::of(due, None, date(2026, 3, 10)), Status::Due { days_left: 1 });
        assert_eq!(Status::of(due, None, date(2026, 3, 1)), Status::Due { days_left: 10 });
        assert_eq!(Status::of(due, None, date(2026, 3, 13)), Status::Overdue { days: 3 });
        assert_eq!(
            Status::of(due, Some(date(2026, 3, 9)), date(2026, 4, 1)),
            Status::Done { on: date(2026, 3, 9), late_days: 0 }
        );
        let late = Status::of(due, Some(date(2026, 3, 12)), date(2026, 4, 1));
        assert_eq!(late, Status::Done { on: date(2026, 3, 12), late_days: 2 });
        assert!(late.is_late());
        assert_eq!(
            serde_json::to_value(late).unwrap(),
            serde_json::json!({"status":"done","on":"2026-03-12","late_days":2})
        );
    }
}
