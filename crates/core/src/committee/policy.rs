//! The committee's settings in one place, with their defaults and where each comes from. A
//! compound stores its own values; every rule law-and-practice marks UNCONFIRMED is here as a
//! setting, never a constant.

use crate::committee::candidates::{Composition, EligibilityRules};
use crate::committee::meetings::QuorumBasis;
use crate::committee::term::TermRules;
use crate::committee::vacancies::ExactlyHalf;
use crate::kit::period::PeriodRule;

crate::policy! {
    pub enum CommitteeAction {
        /// Record a step of the change of term on the day it happened (the report, the group,
        /// the handover, the election, the list posted, the filing); the committee is read by
        /// every member of the compound.
        RecordChangeOfTerm("记录换届进程", "record the change of term") =>
            [Compound(CommitteeDirector), Compound(RcStaff)];
        /// Record the committee's meetings, who attended, the decisions and who signed, and the
        /// day each decision was posted.
        KeepMinutes("记录业委会会议", "record the committee's meetings") =>
            [Compound(CommitteeDirector), Compound(CommitteeMember), Compound(RcStaff)];
        /// Nominate a candidate: oneself, or another owner (jointly with other owners); every
        /// owner of the compound.
        Nominate("提名业委会候选人", "nominate a candidate for the committee") => [Compound(Owner)];
        /// Recommend a candidate from the party organisation's reserve pool, withdraw a
        /// candidate, and draft the election with its slate, seats and alternates (the
        /// change-of-term group's work; the residents' committee and the party organisation guide
        /// it).
        PrepareElection("组织业委会选举", "prepare the committee's election") =>
            [Compound(CommitteeDirector), Compound(RcStaff), Compound(PartySecretary)];
        /// Change the committee's settings: the owners needed to nominate jointly, what exactly
        /// half the seats held after departures means, what "all members" counts, grounds the
        /// general meeting added, and the composition rules.
        ChangeCommitteeSettings("修改业委会设置", "change the committee's settings") =>
            [Compound(CommitteeDirector), Compound(RcStaff)];
        /// Schedule the compound's meetings (building leaders', owner representatives', the joint
        /// meeting, the reception day), write their attendance and minutes, lock the minutes, and
        /// record and follow up their resolutions. Every member of the compound reads them.
        KeepCompoundMeetings("记录小区会议", "keep the compound's meetings") => [
            Compound(CommitteeDirector),
            Compound(CommitteeMember),
            Compound(RcStaff),
            Compound(PartySecretary),
        ];
        /// Correct a meeting's draft minutes: those on its attendance list (checked by name).
        CorrectMinutes("更正会议纪要", "correct a meeting's minutes") => [
            Compound(Owner),
            Compound(Resident),
            Compound(BuildingLeader),
            Compound(OwnerRepresentative),
            Compound(CommitteeMember),
            Compound(CommitteeDirector),
            Compound(RcStaff),
            Compound(PartySecretary),
            Compound(PropertyManager),
            Compound(Volunteer),
        ];
    }
}

/// A compound's stored committee settings as texts and choices, as the settings page edits them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SettingsText {
    pub min_owner_nominators: u32,
    pub exactly_half: ExactlyHalf,
    pub quorum_basis: QuorumBasis,
    /// Grounds added to Art. 20's, one per line: `code: 中文 / English`.
    pub extra_grounds: String,
    pub building_groups: String,
    pub composition_rules: String,
}

impl SettingsText {
    pub fn defaults() -> SettingsText {
        SettingsText { min_owner_nominators: 1, ..SettingsText::default() }
    }

    /// The settings these texts say, ages counted on `age_on`; every line that cannot be read is
    /// refused with its number.
    pub fn settings(&self, age_on: jiff::civil::Date) -> Result<CommitteeSettings, crate::kit::Refused> {
        use crate::committee::CommitteeRefusal as R;
        let mut s = CommitteeSettings::default();
        if self.min_owner_nominators == 0 {
            return R::BadNominators.err();
        }
        s.eligibility.min_owner_nominators = self.min_owner_nominators;
        s.exactly_half = self.exactly_half;
        s.quorum_basis = self.quorum_basis;
        for (i, line) in self.extra_grounds.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let bad = |reason: &str| {
                R::CompositionLine {
                    field: "extra_grounds".into(),
                    line: i + 1,
                    text: line.into(),
                    reason: reason.into(),
                }
                .refused()
            };
            let (code, text) = line.split_once([':', '：']).ok_or_else(|| bad("write it as code: 中文 / English"))?;
            let code = code.trim();
            if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                return Err(bad("the code is lower-case letters, digits and '-'"));
            }
            if s.eligibility.grounds.iter().any(|g| g.code == code) {
                return Err(bad("that code is taken"));
            }
            let (zh, en) = text.split_once(['/', '／']).unwrap_or((text, text));
            s.eligibility.grounds.push(crate::committee::candidates::Ground {
                code: code.into(),
                text: crate::kit::Both { zh: zh.trim().into(), en: en.trim().into() },
            });
        }
        s.composition = crate::committee::composition_spec::parse_composition(
            &self.building_groups,
            &self.composition_rules,
            age_on,
        )?;
        Ok(s)
    }
}

/// The audit chain's action names this process writes.
pub const AUDIT_ACTIONS: &[&str] = &[
    "committee.decision",
    "committee.demand",
    "committee.departure",
    "committee.election",
    "committee.group",
    "committee.meeting",
    "committee.minutes-correct",
    "committee.minutes-lock",
    "committee.minutes-schedule",
    "committee.minutes-write",
    "committee.nominate",
    "committee.office",
    "committee.posted",
    "committee.resolution",
    "committee.resolution-update",
    "committee.seed",
    "committee.settings",
    "committee.step",
    "committee.withdraw",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitteeSettings {
    /// Seats (odd, ≥ 5; 3 up to 10,000 m²) and term (3–5 years): Art. 20 [O].
    pub term: TermRules,
    /// The Art. 20 grounds (the 2023 text's six by default; the general meeting may add more) and
    /// the owners needed to nominate jointly (UNCONFIRMED, default 1).
    pub eligibility: EligibilityRules,
    /// The compound's own composition rules (2026 opinions §4): none by default.
    pub composition: Option<Composition>,
    /// Exactly half the seats held after a departure (UNCONFIRMED): an early change by default.
    pub exactly_half: ExactlyHalf,
    /// What "all members" counts for quorum and decisions (UNCONFIRMED): the seats by default.
    pub quorum_basis: QuorumBasis,
    /// How periods are counted (Civil Code Art. 203, on by default; Art. 204 lets the rules
    /// differ).
    pub periods: PeriodRule,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::committee::{CommitteeRefusal, Finding};
    use std::collections::HashSet;

    #[test]
    fn the_defaults_are_the_shanghai_rules_and_the_safe_readings() {
        let s = CommitteeSettings::default();
        assert_eq!((s.term.min_seats, s.term.small_min_seats, s.term.min_years, s.term.max_years), (5, 3, 3, 5));
        assert_eq!(s.term.small_compound_area.to_string(), "10000.00");
        assert_eq!(s.eligibility.grounds.len(), 6);
        assert_eq!(s.exactly_half, ExactlyHalf::EarlyChangeOfTerm);
        assert_eq!(s.quorum_basis, QuorumBasis::Seats);
        assert!(s.periods.move_off_rest_days);
    }

    #[test]
    fn every_code_is_the_committees_and_unique() {
        let all: Vec<&str> = CommitteeRefusal::CATALOGUE.iter().chain(Finding::CATALOGUE).map(|e| e.code).collect();
        assert!(all.iter().all(|c| c.starts_with("committee.") && !c.contains('_')), "{all:?}");
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
    }

    #[test]
    fn a_finding_serialises_with_its_code_wordings_and_values() {
        let f = Finding::SeatsEven { seats: 8, lower: 7, upper: 9 };
        let j = serde_json::to_value(&f).unwrap();
        assert_eq!(j["code"], "committee.seats-even");
        assert_eq!(j["values"], serde_json::json!({"seats": 8, "lower": 7, "upper": 9}));
        assert!(j["zh"].as_str().unwrap().contains("如 7 或 9 个"));
    }
}
