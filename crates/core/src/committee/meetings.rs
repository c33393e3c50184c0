//! The committee's own meetings (Shanghai Provisions Art. 26; Arts. 31–32): at least every two
//! months; an extraordinary meeting on the demand of a third of the members; a quorum of more
//! than half of all members, in person (no proxies); a decision needs more than half of all
//! members signing in agreement, and is posted within 3 days; a member missing more than half of
//! a year's meetings may be removed; six months without a meeting is a ground for an early
//! change of term.

use crate::committee::finding::Finding as F;
use crate::committee::refusal::CommitteeRefusal as R;
use crate::committee::{Status, day};
use crate::kit::Refused;
use crate::kit::period::{Length, PeriodRule, RestDays, period_from_day};
use jiff::civil::Date;
use serde::Serialize;

/// What "all members" counts when seats are vacant. UNCONFIRMED whether Art. 26 means the seats
/// or the members in office; the default counts the seats, the stricter reading, so a decision
/// never passes that the other reading would refuse.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuorumBasis {
    #[default]
    Seats,
    MembersInOffice,
}

/// The members in office and the number "all members" means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Roll {
    pub members: Vec<String>,
    pub seats: u32,
    pub basis: QuorumBasis,
}

impl Roll {
    pub fn all(&self) -> u32 {
        match self.basis {
            QuorumBasis::Seats => self.seats.max(self.members.len() as u32),
            QuorumBasis::MembersInOffice => self.members.len() as u32,
        }
    }

    fn member(&self, name: &str) -> Result<(), Refused> {
        if self.members.iter().any(|m| m == name) { Ok(()) } else { R::NotAMember { name: name.into() }.err() }
    }

    /// Every name a member, none twice.
    fn names<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Result<u32, Refused> {
        let mut seen: Vec<&str> = Vec::new();
        for n in names {
            self.member(n)?;
            if seen.contains(&n) {
                return R::NameTwice { name: n.into() }.err();
            }
            seen.push(n);
        }
        Ok(seen.len() as u32)
    }
}

/// A member at the meeting; `proxy` when someone came in their stead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance {
    pub member: String,
    pub proxy: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Quorum {
    pub present: u32,
    pub all: u32,
    pub needed: u32,
}

/// The meeting may decide: more than half of all members present in person.
pub fn quorum(roll: &Roll, present: &[Attendance]) -> Result<Quorum, Refused> {
    let all = roll.all();
    if all == 0 {
        return R::NoMembers.err();
    }
    if let Some(a) = present.iter().find(|a| a.proxy.is_some()) {
        roll.member(&a.member)?;
        return R::NoProxies { member: a.member.clone(), proxy: a.proxy.clone().unwrap_or_default() }.err();
    }
    let n = roll.names(present.iter().map(|a| a.member.as_str()))?;
    let q = Quorum { present: n, all, needed: all / 2 + 1 };
    if 2 * n > all { Ok(q) } else { R::NoQuorum { present: n, all, needed: q.needed }.err() }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub agreed: u32,
    pub all: u32,
    pub needed: u32,
    /// More than half of all members (not of those present) signed in agreement.
    pub adopted: bool,
}

/// Counts a decision: refused without a quorum or with a signature from someone absent.
pub fn decide(roll: &Roll, present: &[Attendance], signed: &[String]) -> Result<Decision, Refused> {
    let q = quorum(roll, present)?;
    for s in signed {
        roll.member(s)?;
        if !present.iter().any(|a| &a.member == s) {
            return R::SignedWithoutAttending { name: s.clone() }.err();
        }
    }
    let agreed = roll.names(signed.iter().map(String::as_str))?;
    Ok(Decision { agreed, all: q.all, needed: q.needed, adopted: 2 * agreed > q.all })
}

/// An extraordinary meeting must be called: at least a third of all members demand it.
pub fn demand_extraordinary(roll: &Roll, demanders: &[String]) -> Result<(), Refused> {
    let all = roll.all();
    if all == 0 {
        return R::NoMembers.err();
    }
    let n = roll.names(demanders.iter().map(String::as_str))?;
    if 3 * n >= all { Ok(()) } else { R::DemandBelowThird { demanders: n, all, needed: all.div_ceil(3) }.err() }
}

/// The last day the next regular meeting may be held: two months after the last (Art. 202).
pub fn next_regular_due(last: Date, rule: PeriodRule, rest: &RestDays) -> Date {
    period_from_day(last, Length::Months(2), rule, rest).last_day
}

/// Whether the committee is meeting often enough, as of `today`.
pub fn regularity(last: Option<Date>, today: Date, rule: PeriodRule, rest: &RestDays) -> Vec<F> {
    let Some(last) = last else { return vec![F::NoMeetingYet] };
    let mut out = Vec::new();
    let due = next_regular_due(last, rule, rest);
    if let Status::Overdue { days } = Status::of(due, None, today) {
        out.push(F::MeetingOverdue { last: last.to_string(), due: due.to_string(), days });
    }
    let exact = PeriodRule { move_off_rest_days: false };
    if today > period_from_day(last, Length::Months(6), exact, rest).last_day {
        out.push(F::IdleSixMonths { last: last.to_string() });
    }
    out
}

/// A decision's public notice: due within 3 days of the decision (a period, Art. 26).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Posting {
    #[serde(serialize_with = "day")]
    pub due: Date,
    pub status: Status,
}

pub fn posting(decided_on: Date, posted_on: Option<Date>, today: Date, rule: PeriodRule, rest: &RestDays) -> Posting {
    let due = period_from_day(decided_on, Length::Days(3), rule, rest).last_day;
    Posting { due, status: Status::of(due, posted_on, today) }
}

/// The finding for a notice late or overdue, if it is.
pub fn posting_finding(title: &str, p: &Posting) -> Option<F> {
    match p.status {
        Status::Overdue { days } => Some(F::DecisionNotPosted { title: title.into(), due: p.due.to_string(), days }),
        Status::Done { on, late_days } if late_days > 0 => Some(F::DecisionPostedLate {
            title: title.into(),
            due: p.due.to_string(),
            posted: on.to_string(),
            days: late_days,
        }),
        _ => None,
    }
}

/// A meeting as held: who were members that day and who attended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldMeeting {
    pub held_on: Date,
    pub members: Vec<String>,
    pub attendees: Vec<String>,
    pub residents_committee_invited: bool,
}

/// A year's attendance findings: each member who missed more than half of the meetings held
/// while they were a member, and each meeting the residents' committee was not invited to.
pub fn year_findings(meetings: &[HeldMeeting], year: i16) -> Vec<F> {
    let in_year: Vec<&HeldMeeting> = meetings.iter().filter(|m| m.held_on.year() == year).collect();
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for name in in_year.iter().flat_map(|m| m.members.iter().map(String::as_str)) {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let held: Vec<&&HeldMeeting> = in_year.iter().filter(|m| m.members.iter().any(|x| x == name)).collect();
        let missed = held.iter().filter(|m| !m.attendees.iter().any(|x| x == name)).count() as u32;
        let held = held.len() as u32;
        if 2 * missed > held {
            out.push(F::MissedOverHalf { member: name.into(), missed, held, year: i32::from(year) });
        }
    }
    for m in in_year.iter().filter(|m| !m.residents_committee_invited) {
        out.push(F::ResidentsCommitteeNotInvited { on: m.held_on.to_string() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kit::Refusal;
    use jiff::civil::date;

    fn roll(n: usize) -> Roll {
        Roll { members: (1..=n).map(|i| format!("M{i}")).collect(), seats: n as u32, basis: QuorumBasis::Seats }
    }

    fn here(names: &[&str]) -> Vec<Attendance> {
        names.iter().map(|n| Attendance { member: (*n).into(), proxy: None }).collect()
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_string()).collect()
    }

    #[test]
    fn quorum_is_more_than_half_of_all_members_so_half_is_not_enough() {
        let r = roll(8);
        let e = quorum(&r, &here(&["M1", "M2", "M3", "M4"])).unwrap_err();
        assert_eq!(e.code(), "committee.no-quorum");
        assert_eq!(
            e.en(),
            "4 members present, not more than half of all 8 members (at least 5 needed): the meeting cannot decide (Art. 26)"
        );
        assert_eq!(
            quorum(&r, &here(&["M1", "M2", "M3", "M4", "M5"])).unwrap(),
            Quorum { present: 5, all: 8, needed: 5 }
        );
        assert_eq!(quorum(&roll(7), &here(&["M1", "M2", "M3", "M4"])).unwrap().needed, 4);
    }

    #[test]
    fn vacant_seats_count_in_all_members_by_default() {
        let mut r = roll(7);
        r.members.truncate(6);
        assert!(quorum(&r, &here(&["M1", "M2", "M3"])).is_err());
        r.basis = QuorumBasis::MembersInOffice;
        assert!(quorum(&r, &here(&["M1", "M2", "M3"])).is_err());
        assert!(quorum(&r, &here(&["M1", "M2", "M3", "M4"])).is_ok());
        r.basis = QuorumBasis::Seats;
        assert_eq!(quorum(&r, &here(&["M1", "M2", "M3", "M4"])).unwrap().all, 7);
    }

    #[test]
    fn proxies_strangers_and_doubles_are_refused() {
        let mut p = here(&["M1", "M2", "M3", "M4"]);
        p[1].proxy = Some("M2's son".into());
        assert_eq!(quorum(&roll(5), &p).unwrap_err().code(), "committee.no-proxies");
        assert_eq!(quorum(&roll(5), &here(&["M1", "X", "M3"])).unwrap_err().code(), "committee.not-a-member");
        assert_eq!(quorum(&roll(5), &here(&["M1", "M1", "M3"])).unwrap_err().code(), "committee.name-twice");
    }

    #[test]
    fn a_decision_needs_more_than_half_of_all_members_not_of_those_present() {
        let r = roll(7);
        let p = here(&["M1", "M2", "M3", "M4", "M5"]);
        // 3 of the 5 present agree: a majority of the room but not of all 7
        let d = decide(&r, &p, &strings(&["M1", "M2", "M3"])).unwrap();
        assert_eq!(d, Decision { agreed: 3, all: 7, needed: 4, adopted: false });
        assert!(decide(&r, &p, &strings(&["M1", "M2", "M3", "M4"])).unwrap().adopted);
        let e = decide(&r, &p, &strings(&["M1", "M6"])).unwrap_err();
        assert_eq!(e.code(), "committee.signed-without-attending");
        let e = decide(&r, &here(&["M1", "M2", "M3"]), &strings(&["M1", "M2", "M3"])).unwrap_err();
        assert_eq!(e.code(), "committee.no-quorum");
    }

    #[test]
    fn a_third_of_the_members_may_demand_an_extraordinary_meeting() {
        assert!(demand_extraordinary(&roll(9), &strings(&["M1", "M2", "M3"])).is_ok());
        let e = demand_extraordinary(&roll(7), &strings(&["M1", "M2"])).unwrap_err();
        assert_eq!(e.code(), "committee.demand-below-third");
        assert_eq!(e.values()["needed"], 3);
        assert!(demand_extraordinary(&roll(7), &strings(&["M1", "M2", "M3"])).is_ok());
    }

    #[test]
    fn meetings_are_due_every_two_months_and_six_idle_months_are_flagged() {
        let (rule, rest) = (PeriodRule::default(), RestDays::shipped());
        // 2026-01-31 + 2 months → 2026-03-31 (a Tuesday)
        assert_eq!(next_regular_due(date(2026, 1, 31), rule, &rest), date(2026, 3, 31));
        assert!(regularity(Some(date(2026, 1, 31)), date(2026, 3, 31), rule, &rest).is_empty());
        let f = regularity(Some(date(2026, 1, 31)), date(2026, 4, 3), rule, &rest);
        assert_eq!(f.iter().map(|f| f.code()).collect::<Vec<_>>(), vec!["committee.meeting-overdue"]);
        assert_eq!(f[0].values()["days"], 3);
        let f = regularity(Some(date(2026, 1, 31)), date(2026, 8, 1), rule, &rest);
        assert_eq!(f[1].code(), "committee.idle-six-months");
        assert_eq!(regularity(None, date(2026, 1, 1), rule, &rest)[0].code(), "committee.no-meeting-yet");
    }

    #[test]
    fn a_decision_not_posted_within_three_days_is_flagged() {
        let (rule, rest) = (PeriodRule::default(), RestDays::shipped());
        // decided Wednesday 2026-11-25: days 26, 27, 28; the 28th is a Saturday → due Monday 11-30
        let p = posting(date(2026, 11, 25), None, date(2026, 11, 30), rule, &rest);
        assert_eq!((p.due, p.status), (date(2026, 11, 30), Status::Due { days_left: 1 }));
        assert_eq!(posting_finding("hire auditor", &p), None);
        let p = posting(date(2026, 11, 25), None, date(2026, 12, 2), rule, &rest);
        let f = posting_finding("hire auditor", &p).unwrap();
        assert_eq!(
            f.en(),
            "decision 'hire auditor' was due to be posted by 2026-11-30 and is 2 days overdue (Art. 26: within 3 days)"
        );
        let p = posting(date(2026, 11, 25), Some(date(2026, 12, 1)), date(2026, 12, 9), rule, &rest);
        assert_eq!(posting_finding("x", &p).unwrap().code(), "committee.decision-posted-late");
    }

    #[test]
    fn a_member_missing_more_than_half_of_a_years_meetings_is_flagged() {
        let m = |d: Date, members: &[&str], came: &[&str]| HeldMeeting {
            held_on: d,
            members: strings(members),
            attendees: strings(came),
            residents_committee_invited: true,
        };
        let all = ["A", "B", "C"];
        let meetings = vec![
            m(date(2025, 12, 1), &all, &["A"]),
            m(date(2026, 1, 10), &all, &["A", "B"]),
            m(date(2026, 3, 10), &all, &["A", "C"]),
            m(date(2026, 5, 10), &all, &["A"]),
            // D joins in June and misses one of two
            HeldMeeting {
                residents_committee_invited: false,
                ..m(date(2026, 7, 10), &["A", "B", "C", "D"], &["A", "B", "D"])
            },
            m(date(2026, 9, 10), &["A", "B", "C", "D"], &["A", "B"]),
        ];
        let f = year_findings(&meetings, 2026);
        // B missed 2 of 5 (not more than half), C missed 4 of 5, D 1 of 2 (exactly half)
        assert_eq!(f.len(), 2);
        assert_eq!(
            f[0].en(),
            "member C missed 4 of 5 meetings in 2026, more than half: the general meeting may remove them (Art. 31)"
        );
        assert_eq!(f[1].code(), "committee.residents-committee-not-invited");
    }
}
