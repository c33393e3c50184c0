//! The committee itself (seats, term, offices, alternates; Art. 20), its change of term as a
//! timeline of deadlines (Arts. 23, 28, 29; law-and-practice §3.6, §3.10), the matters the
//! general meeting may not decide while the change-of-term group exists (Art. 28), and what
//! happens when members leave (Art. 32; 2026 opinions §5).

use crate::committee::finding::Finding as F;
use crate::committee::refusal::CommitteeRefusal as R;
use crate::committee::{Status, day, opt_day};
use crate::kit::period::{Length, PeriodRule, RestDays, months_before, period_from_day};
use crate::kit::{Area, Refused, Say};
use crate::voting::matter::MatterKind;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Office {
    Director,
    ViceDirector,
    Member,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub office: Office,
    pub party_member: bool,
    /// When the written undertaking (履职承诺书) was signed.
    pub undertaking_signed: Option<Date>,
    /// When the member last completed training.
    pub trained: Option<Date>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Committee {
    pub seats: u32,
    /// The day the committee was elected; the term runs from the next day (Art. 201).
    pub term_start: Date,
    pub term_years: u32,
    pub members: Vec<Member>,
    /// Alternates (候补委员) in the order they fill vacancies; their office is `Member`.
    pub alternates: Vec<Member>,
}

/// The size and term rules; the Shanghai Provisions' values by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TermRules {
    pub min_seats: u32,
    /// A compound of at most this total area may have `small_min_seats`.
    pub small_compound_area: Area,
    pub small_min_seats: u32,
    pub min_years: u32,
    pub max_years: u32,
}

impl Default for TermRules {
    fn default() -> Self {
        TermRules {
            min_seats: 5,
            small_compound_area: Area::from_e4(10_000 * crate::kit::area::SCALE),
            small_min_seats: 3,
            min_years: 3,
            max_years: 5,
        }
    }
}

impl TermRules {
    /// Every rule a number of seats breaks for a compound of `compound_area`: odd, and at least
    /// the minimum (the smaller one for a small compound).
    pub fn check_seats(&self, s: u32, compound_area: Area) -> Vec<F> {
        let mut out = Vec::new();
        if s.is_multiple_of(2) {
            out.push(F::SeatsEven { seats: s, lower: s.saturating_sub(1), upper: s + 1 });
        }
        let min = if compound_area <= self.small_compound_area { self.small_min_seats } else { self.min_seats };
        if s < min {
            out.push(F::TooFewSeats { seats: s, min, area: compound_area, small_area: self.small_compound_area });
        }
        out
    }
}

impl Committee {
    /// The term's last day: the day corresponding to `term_start`, `term_years` later (Art. 202).
    pub fn term_end(&self) -> Date {
        let exact = PeriodRule { move_off_rest_days: false };
        period_from_day(self.term_start, Length::Years(self.term_years), exact, &RestDays::weekends_only()).last_day
    }

    /// Every rule the committee does not meet; `compound_area` is the compound's total area.
    pub fn check(&self, compound_area: Area, rules: &TermRules) -> Vec<F> {
        let s = self.seats;
        let mut out = rules.check_seats(s, compound_area);
        if !(rules.min_years..=rules.max_years).contains(&self.term_years) {
            out.push(F::TermOutOfRange { years: self.term_years, min: rules.min_years, max: rules.max_years });
        }
        let n = self.members.len() as u32;
        if n > s {
            out.push(F::MoreMembersThanSeats { members: n, seats: s });
        } else if n < s {
            out.push(F::SeatsVacant { vacant: s - n, members: n, seats: s });
            if 2 * n <= s {
                out.push(F::EarlyChangeOfTermDue { members: n, seats: s });
            }
        }
        let directors: Vec<String> =
            self.members.iter().filter(|m| m.office == Office::Director).map(|m| m.name.clone()).collect();
        match directors.len() {
            0 => out.push(F::NoDirector),
            1 => {}
            _ => out.push(F::SeveralDirectors { names: directors }),
        }
        for (i, m) in self.members.iter().enumerate() {
            if self.members[..i].iter().any(|o| o.name == m.name) {
                out.push(F::MemberTwice { name: m.name.clone() });
            }
        }
        for (i, a) in self.alternates.iter().enumerate() {
            if self.members.iter().chain(&self.alternates[..i]).any(|m| m.name == a.name) {
                out.push(F::AlternateMisplaced { name: a.name.clone() });
            }
        }
        for m in &self.members {
            if m.undertaking_signed.is_none() {
                out.push(F::UndertakingMissing { name: m.name.clone() });
            }
            if m.trained.is_none() {
                out.push(F::TrainingMissing { name: m.name.clone() });
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The change of term (换届) as a timeline.

/// What has happened so far in a change of term, each on the day it happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeOfTerm {
    /// Written report to the sub-district office (Art. 28).
    pub reported: Option<Date>,
    /// The office formed the change-of-term group.
    pub group_formed: Option<Date>,
    /// Records, seals and other assets handed to the housing office (Art. 29).
    pub handed_over: Option<Date>,
    /// The general meeting elected the new committee.
    pub elected: Option<Date>,
    /// The new members' list posted (Art. 21).
    pub list_posted: Option<Date>,
    /// The new committee filed with the office (Arts. 23, 29).
    pub filed: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    Report,
    Group,
    Handover,
    Election,
    ListPosted,
    Filing,
}

impl StepKind {
    pub const ALL: [StepKind; 6] = [
        StepKind::Report,
        StepKind::Group,
        StepKind::Handover,
        StepKind::Election,
        StepKind::ListPosted,
        StepKind::Filing,
    ];

    /// What the step is and its deadline, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            StepKind::Report => "任期届满前五个月书面报告街道办事处（乡镇人民政府）（第二十八条）",
            StepKind::Group => "报告后六十日内成立换届改选小组（第二十八条）",
            StepKind::Handover => "换届改选小组成立后十日内移交档案、印章及其他财物（第二十九条）",
            StepKind::Election => "任期届满前选举产生新一届业主委员会（第二十八条）",
            StepKind::ListPosted => "选举后三日内公告委员名单（第二十一条）",
            StepKind::Filing => "选举后三十日内备案（第二十三条、第二十九条）",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            StepKind::Report => "report in writing to the sub-district office 5 months before the term ends (Art. 28)",
            StepKind::Group => "the change-of-term group formed within 60 days of the report (Art. 28)",
            StepKind::Handover => {
                "records, seals and assets handed over within 10 days of the group's formation (Art. 29)"
            }
            StepKind::Election => "the new committee elected before the term ends (Art. 28)",
            StepKind::ListPosted => "the members' list posted within 3 days of the election (Art. 21)",
            StepKind::Filing => "filed with the office within 30 days of the election (Arts. 23, 29)",
        }
    }
}

/// One step: when it is due, whether it is done, and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub step: StepKind,
    #[serde(serialize_with = "day")]
    pub due: Date,
    #[serde(serialize_with = "opt_day")]
    pub done: Option<Date>,
    /// The due date counts from an earlier step that is not done yet: it is that step's due
    /// date, and moves when the step is done.
    pub provisional: bool,
    pub status: Status,
}

/// The change-of-term timeline from the term's last day, as of `today`. Periods "within N days"
/// count by the Civil Code ([`period_from_day`]); the report counts back 5 months from the
/// term's last day ([`months_before`]) and the election is due by that last day, neither moved
/// off rest days, since moving a deadline that falls before an event later would pass it.
pub fn timeline(term_end: Date, c: &ChangeOfTerm, today: Date, rule: PeriodRule, rest: &RestDays) -> Vec<Step> {
    let within = |from: Date, days: u32| period_from_day(from, Length::Days(days), rule, rest).last_day;
    let report_due = months_before(term_end, 5);
    let report_day = c.reported.unwrap_or(report_due);
    let group_due = within(report_day, 60);
    let group_day = c.group_formed.unwrap_or(group_due);
    let elect_day = c.elected.unwrap_or(term_end);
    let steps = [
        (StepKind::Report, report_due, c.reported, false),
        (StepKind::Group, group_due, c.group_formed, c.reported.is_none()),
        (StepKind::Handover, within(group_day, 10), c.handed_over, c.group_formed.is_none()),
        (StepKind::Election, term_end, c.elected, false),
        (StepKind::ListPosted, within(elect_day, 3), c.list_posted, c.elected.is_none()),
        (StepKind::Filing, within(elect_day, 30), c.filed, c.elected.is_none()),
    ];
    steps
        .into_iter()
        .map(|(step, due, done, provisional)| Step {
            step,
            due,
            done,
            provisional,
            status: Status::of(due, done, today),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Matters refused while the change-of-term group exists (Art. 28).

/// What the old committee may not put to the general meeting during the change of term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Restricted {
    /// Hiring or firing the property company.
    PropertyCompany,
    /// Changing the fees. No matter kind of Art. 278 is "fees": a fee change put to the vote
    /// as another kind is caught by the flag of [`check_matter`], or as `other-major`.
    Fees,
    /// Raising funds, major repairs or retrofits not provided for in the covenant.
    MajorRepairs,
    /// Other major matters.
    OtherMajor,
}

impl Say for Restricted {
    fn say_zh(&self) -> String {
        match self {
            Restricted::PropertyCompany => "选聘、解聘物业服务企业",
            Restricted::Fees => "调整物业服务收费标准",
            Restricted::MajorRepairs => "筹集资金或者管理规约未约定的重大维修、改造事项",
            Restricted::OtherMajor => "其他重大事项",
        }
        .into()
    }
    fn say_en(&self) -> String {
        match self {
            Restricted::PropertyCompany => "hiring or firing the property company",
            Restricted::Fees => "changing the fees",
            Restricted::MajorRepairs => "raising funds or major repairs and retrofits not provided for in the covenant",
            Restricted::OtherMajor => "another major matter",
        }
        .into()
    }
}

/// The restriction a matter kind falls under during the change of term, if any. Using the
/// maintenance fund (`fund-use`) stays allowed: repairs cannot wait for the new committee.
pub fn restriction(kind: MatterKind) -> Option<Restricted> {
    match kind {
        MatterKind::PropertyManager => Some(Restricted::PropertyCompany),
        MatterKind::FundRaise | MatterKind::Alteration => Some(Restricted::MajorRepairs),
        MatterKind::OtherMajor => Some(Restricted::OtherMajor),
        _ => None,
    }
}

pub fn restricted_during_change(kind: MatterKind) -> bool {
    restriction(kind).is_some()
}

impl ChangeOfTerm {
    /// The group exists from the day it is formed to the day the new committee is elected.
    pub fn group_exists(&self, today: Date) -> bool {
        self.group_formed.is_some_and(|g| g <= today) && self.elected.is_none_or(|e| today <= e)
    }
}

/// Refuses a matter the general meeting may not decide today; `about_fees` marks a matter that
/// changes the fees, whatever its kind.
pub fn check_matter(kind: MatterKind, about_fees: bool, c: &ChangeOfTerm, today: Date) -> Result<(), Refused> {
    if !c.group_exists(today) {
        return Ok(());
    }
    let r = if about_fees { Some(Restricted::Fees) } else { restriction(kind) };
    match r {
        Some(restricted) => R::RestrictedDuringChangeOfTerm { matter: kind.as_str().into(), restricted }.err(),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// The change-of-term group's composition (Art. 28).

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    OwnerRepresentative,
    SubdistrictOffice,
    ResidentsCommittee,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMember {
    pub name: String,
    pub side: Side,
    pub leader: bool,
}

/// Every composition rule of the change-of-term group that is not met: an odd size, owner
/// representatives at least half, one leader, from the sub-district office.
pub fn check_group(group: &[GroupMember]) -> Vec<F> {
    let size = group.len() as u32;
    if size == 0 {
        return vec![F::GroupEmpty];
    }
    let mut out = Vec::new();
    if size.is_multiple_of(2) {
        out.push(F::GroupSizeEven { size });
    }
    let owners = group.iter().filter(|m| m.side == Side::OwnerRepresentative).count() as u32;
    if 2 * owners < size {
        out.push(F::GroupOwnersBelowHalf { owners, size });
    }
    let leaders: Vec<&GroupMember> = group.iter().filter(|m| m.leader).collect();
    match leaders.as_slice() {
        [] => out.push(F::GroupLeaderMissing),
        [l] if l.side != Side::SubdistrictOffice => out.push(F::GroupLeaderNotFromOffice { name: l.name.clone() }),
        [_] => {}
        many => out.push(F::GroupSeveralLeaders { names: many.iter().map(|m| m.name.clone()).collect() }),
    }
    out
}

#[cfg(test)]
mod tests;
