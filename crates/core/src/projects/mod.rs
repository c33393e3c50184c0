//! Building projects and the stages of a lift retrofit (law-and-practice §4.3): what each stage
//! needs before a project may enter it, said in plain words when it is missing.

use crate::kit::period::{Length, PeriodRule, RestDays, period, period_from_day};
use serde::Serialize;

pub mod policy;
pub mod refusal;
pub mod sharing;

pub use policy::ProjectsAction;
pub use refusal::{ProjectsRefusal, ShareError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    LiftRetrofit,
    CorridorRenovation,
    PathsAndGates,
    Other,
}

impl ProjectKind {
    pub const ALL: [ProjectKind; 4] =
        [ProjectKind::LiftRetrofit, ProjectKind::CorridorRenovation, ProjectKind::PathsAndGates, ProjectKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectKind::LiftRetrofit => "lift-retrofit",
            ProjectKind::CorridorRenovation => "corridor-renovation",
            ProjectKind::PathsAndGates => "paths-and-gates",
            ProjectKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ProjectKind> {
        ProjectKind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// The stages in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Owners have asked for it (意愿).
    Intent,
    /// Door-to-door consultation (征询/走访).
    Consultation,
    /// The design scheme is posted (方案公示), then comments are taken.
    SchemeNotice,
    /// The owners of the building or stairwell vote (a matter of kind `alteration`).
    Vote,
    /// Planning and construction approvals (规划许可/审批).
    Approvals,
    Construction,
    /// Stage and completion acceptance, owner representatives invited (验收).
    Acceptance,
    InOperation,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Intent,
        Stage::Consultation,
        Stage::SchemeNotice,
        Stage::Vote,
        Stage::Approvals,
        Stage::Construction,
        Stage::Acceptance,
        Stage::InOperation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Intent => "intent",
            Stage::Consultation => "consultation",
            Stage::SchemeNotice => "scheme-notice",
            Stage::Vote => "vote",
            Stage::Approvals => "approvals",
            Stage::Construction => "construction",
            Stage::Acceptance => "acceptance",
            Stage::InOperation => "in-operation",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Stage::Intent => "有意向",
            Stage::Consultation => "意愿征询",
            Stage::SchemeNotice => "方案公示",
            Stage::Vote => "业主表决",
            Stage::Approvals => "规划审批",
            Stage::Construction => "施工",
            Stage::Acceptance => "竣工验收",
            Stage::InOperation => "已投入使用",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Stage::Intent => "interested",
            Stage::Consultation => "consultation",
            Stage::SchemeNotice => "scheme notice",
            Stage::Vote => "owners' vote",
            Stage::Approvals => "approvals",
            Stage::Construction => "construction",
            Stage::Acceptance => "acceptance",
            Stage::InOperation => "in operation",
        }
    }
}

/// A compound's settings for building projects, with their defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProjectSettings {
    /// How long the scheme notice stands, then how long comments are taken after it ends
    /// (Baoshan's 10 + 7 days; UNCONFIRMED city-wide, so both are settings).
    pub scheme_notice_days: u32,
    pub comment_days: u32,
    /// How periods are counted (Civil Code Arts. 201–203).
    pub periods: PeriodRule,
    /// The lift subsidy: 40% of the construction amount, at most 280,000 yuan a lift (§4.4).
    pub subsidy_rate_ppm: i64,
    pub subsidy_cap_fen: i64,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        ProjectSettings {
            scheme_notice_days: 10,
            comment_days: 7,
            periods: PeriodRule::default(),
            subsidy_rate_ppm: 400_000,
            subsidy_cap_fen: 28_000_000,
        }
    }
}

impl ProjectSettings {
    /// When the vote may follow a scheme posted at `posted_at`: the notice stands its days, then
    /// comments are taken for their days counted from the day the notice ends.
    pub fn scheme_ready_at(&self, posted_at: i64, rest: &RestDays) -> i64 {
        let notice = period(posted_at, Length::Days(self.scheme_notice_days), self.periods, rest);
        period_from_day(notice.last_day, Length::Days(self.comment_days), self.periods, rest).ends_at
    }
}

/// What is known about a project when someone asks to move it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub now_ms: i64,
    /// Households visited at least once.
    pub visited: usize,
    pub scheme_notice_at: Option<i64>,
    /// The owners' vote: `None` when no vote was opened; `Some(None)` while open; `Some(Some(passed))` once closed.
    pub vote: Option<Option<bool>>,
    pub planning_approved: bool,
    pub start_report_filed: bool,
    pub owner_representatives_invited: bool,
    pub completion_accepted: bool,
}

/// Something a stage needs that is missing, in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Missing {
    pub zh: String,
    pub en: String,
}

fn missing(zh: impl Into<String>, en: impl Into<String>) -> Missing {
    Missing { zh: zh.into(), en: en.into() }
}

const DAY_MS: i64 = 86_400_000;

/// Whether a project at `from` may move to `to`: forward one stage at a time (or back, to redo a
/// stage), with what the new stage needs in place.
pub fn check_move(
    from: Stage,
    to: Stage,
    facts: &Facts,
    rule: &ProjectSettings,
    rest: &RestDays,
) -> Result<(), Vec<Missing>> {
    if to < from {
        return Ok(());
    }
    if to == from {
        return Err(vec![missing(
            format!("项目已处于“{}”阶段", to.name_zh()),
            format!("the project is already at {}", to.name_en()),
        )]);
    }
    if to as u8 > from as u8 + 1 {
        let next = Stage::ALL[from as usize + 1];
        return Err(vec![missing(
            format!("须先完成“{}”阶段，不能越过", next.name_zh()),
            format!("{} comes first; stages cannot be skipped", next.name_en()),
        )]);
    }
    let mut out = Vec::new();
    match to {
        Stage::Intent | Stage::Consultation | Stage::Acceptance => {}
        Stage::SchemeNotice => {
            if facts.visited == 0 {
                out.push(missing("尚未记录任何上门征询", "no door-to-door visit has been recorded"));
            }
        }
        Stage::Vote => match facts.scheme_notice_at {
            None => out.push(missing("方案尚未公示", "the scheme has not been posted")),
            Some(at) => {
                let ready = rule.scheme_ready_at(at, rest);
                if facts.now_ms < ready {
                    let left = (ready - facts.now_ms + DAY_MS - 1) / DAY_MS;
                    out.push(missing(
                        format!(
                            "方案须公示 {} 天并再征求意见 {} 天，还需 {left} 天",
                            rule.scheme_notice_days, rule.comment_days
                        ),
                        format!(
                            "the scheme must stand {} days and comments be taken {} more; {left} day(s) to go",
                            rule.scheme_notice_days, rule.comment_days
                        ),
                    ));
                }
            }
        },
        Stage::Approvals => match facts.vote {
            None => out.push(missing("尚未发起业主表决", "no owners' vote has been held")),
            Some(None) => out.push(missing("业主表决尚未结束", "the owners' vote has not closed")),
            Some(Some(false)) => out.push(missing("业主表决未通过", "the owners' vote did not pass")),
            Some(Some(true)) => {}
        },
        Stage::Construction => {
            if facts.vote != Some(Some(true)) {
                out.push(missing("没有通过的业主表决，不能施工", "no construction without a passed owners' vote"));
            }
            if !facts.planning_approved {
                out.push(missing("尚未取得规划许可", "planning approval is not recorded"));
            }
            if !facts.start_report_filed {
                out.push(missing("开工报告尚未备案", "the start-of-works report is not filed"));
            }
        }
        Stage::InOperation => {
            if !facts.owner_representatives_invited {
                out.push(missing("验收未邀请业主代表参加", "owner representatives were not invited to the acceptance"));
            }
            if !facts.completion_accepted {
                out.push(missing("尚未通过综合竣工验收", "the comprehensive completion acceptance is not recorded"));
            }
        }
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// A household's stance in consultation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Support,
    Oppose,
    Undecided,
    Conditional,
}

impl Stance {
    pub const ALL: [Stance; 4] = [Stance::Support, Stance::Oppose, Stance::Undecided, Stance::Conditional];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::Undecided => "undecided",
            Stance::Conditional => "conditional",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// Objections heard in the story, offered as a pick list beside free text.
pub const REASONS: [(&str, &str, &str); 6] = [
    ("common-land", "占用公共绿地和场地", "it takes common land and a green belt"),
    ("view", "影响采光和景观", "it spoils the light and the view"),
    ("lower-floors", "低楼层受益少", "only the upper floors benefit"),
    ("car-park", "更希望建停车位", "a car park would be better"),
    ("cost", "费用负担", "the cost"),
    ("noise", "施工噪音和安全", "building noise and safety"),
];

/// The latest stance of each household, counted per floor: (floor, support, oppose, undecided,
/// conditional, not visited).
pub fn support_by_floor(households: &[(i32, Option<Stance>)]) -> Vec<(i32, [usize; 5])> {
    let mut m: std::collections::BTreeMap<i32, [usize; 5]> = Default::default();
    for (floor, stance) in households {
        let e = m.entry(*floor).or_default();
        e[stance.map(|s| s as usize).unwrap_or(4)] += 1;
    }
    m.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_construction_without_a_passed_vote() {
        let f = Facts { planning_approved: true, start_report_filed: true, ..Default::default() };
        let e = check_move(
            Stage::Approvals,
            Stage::Construction,
            &f,
            &ProjectSettings::default(),
            &RestDays::weekends_only(),
        )
        .unwrap_err();
        assert_eq!(e[0].en, "no construction without a passed owners' vote");
        let f = Facts { vote: Some(Some(true)), ..Default::default() };
        let e = check_move(
            Stage::Approvals,
            Stage::Construction,
            &f,
            &ProjectSettings::default(),
            &RestDays::weekends_only(),
        )
        .unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        let f =
            Facts { vote: Some(Some(true)), planning_approved: true, start_report_filed: true, ..Default::default() };
        assert!(
            check_move(
                Stage::Approvals,
                Stage::Construction,
                &f,
                &ProjectSettings::default(),
                &RestDays::weekends_only()
            )
            .is_ok()
        );
    }

    #[test]
    fn stages_cannot_be_skipped_but_can_be_redone() {
        let e = check_move(
            Stage::Consultation,
            Stage::Vote,
            &Facts::default(),
            &ProjectSettings::default(),
            &RestDays::weekends_only(),
        )
        .unwrap_err();
        assert!(e[0].zh.contains("方案公示"), "{e:?}");
        assert!(
            check_move(
                Stage::Vote,
                Stage::Consultation,
                &Facts::default(),
                &ProjectSettings::default(),
                &RestDays::weekends_only()
            )
            .is_ok()
        );
    }

    #[test]
    fn the_scheme_stands_ten_days_then_seven_for_comments_counted_in_calendar_days() {
        use crate::kit::period::start_of;
        use jiff::civil::date;
        let rest = RestDays::shipped();
        // posted Monday 2026-11-02 at 10:00: notice 11-03..11-12, comments 11-13..11-19
        let posted = start_of(date(2026, 11, 2)) + 10 * 3_600_000;
        let f = Facts {
            scheme_notice_at: Some(posted),
            now_ms: start_of(date(2026, 11, 20)) - 60_000,
            ..Default::default()
        };
        let e = check_move(Stage::SchemeNotice, Stage::Vote, &f, &ProjectSettings::default(), &rest).unwrap_err();
        assert!(e[0].en.contains("1 day(s) to go"), "{e:?}");
        let f = Facts { now_ms: start_of(date(2026, 11, 20)), ..f };
        assert!(check_move(Stage::SchemeNotice, Stage::Vote, &f, &ProjectSettings::default(), &rest).is_ok());
        // a notice ending on Saturday 11-07 moves to Monday 11-09 before comments start
        let short = ProjectSettings { scheme_notice_days: 5, comment_days: 0, ..Default::default() };
        let f = Facts { now_ms: start_of(date(2026, 11, 9)), ..f };
        assert!(check_move(Stage::SchemeNotice, Stage::Vote, &f, &short, &rest).is_err());
        let f = Facts { now_ms: start_of(date(2026, 11, 10)), ..f };
        assert!(check_move(Stage::SchemeNotice, Stage::Vote, &f, &short, &rest).is_ok());
    }

    #[test]
    fn operation_needs_acceptance_with_owner_representatives() {
        let f = Facts { completion_accepted: true, ..Default::default() };
        let e = check_move(
            Stage::Acceptance,
            Stage::InOperation,
            &f,
            &ProjectSettings::default(),
            &RestDays::weekends_only(),
        )
        .unwrap_err();
        assert_eq!(e[0].zh, "验收未邀请业主代表参加");
    }

    #[test]
    fn support_is_counted_by_floor() {
        let hs = [(1, Some(Stance::Oppose)), (1, None), (7, Some(Stance::Support)), (7, Some(Stance::Conditional))];
        assert_eq!(support_by_floor(&hs), vec![(1, [0, 1, 0, 0, 1]), (7, [1, 0, 0, 1, 0])]);
    }
}
