//! A compound's voting settings and their defaults (law-and-practice §3.8, §3.10, §7).

use crate::kit::period::PeriodRule;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VotingSettings {
    /// The days a matter's notice (公示) stands before voting opens. UNCONFIRMED for ordinary
    /// meetings in Shanghai (only the first meeting has a statutory 15 days); 7 by default.
    pub notice_days: u32,
    /// The rules of procedure contain the deemed-participation clause (§3.8); off by default.
    pub deemed_participation: bool,
    /// How periods are counted (Civil Code Art. 203 on by default).
    pub periods: PeriodRule,
    /// Each unit's choice in a closed vote is shown to every owner (the rules of procedure publish
    /// them). Off by default, per the law on personal information: every owner sees that each unit
    /// took part and by which channel; a unit's choice goes to its own owner, the committee and
    /// the evidence.
    pub publish_choices: bool,
}

/// The notice days a compound may set: at least one day, at most 60.
pub const NOTICE_DAYS: std::ops::RangeInclusive<u32> = 1..=60;

impl Default for VotingSettings {
    fn default() -> Self {
        VotingSettings {
            notice_days: 7,
            deemed_participation: false,
            periods: PeriodRule::default(),
            publish_choices: false,
        }
    }
}
