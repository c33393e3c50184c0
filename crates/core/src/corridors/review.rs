//! The residents' committee's review of corridor plans: a rubric of weighted criteria, each
//! reviewer's marks on each plan, and the plan's score as the weighted mean over the reviewers
//! who marked it, exactly (integers, rounded half up to 0.01). A reviewer who lives in a building
//! abstains on its plan.

use crate::corridors::model::Score;
use crate::kit::{Both, Money};
use crate::registry::BuildingNo;
use serde::Serialize;

/// A criterion of the rubric with its weight (a whole number ≥ 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub name: String,
    pub weight: u32,
}

/// The most a mark may be: marks run from 0 to 10 with two decimals.
pub const MAX_MARK_HUNDREDTHS: i64 = 1_000;

/// The rubric the residents' committee sets by default: condition, residents' support, safety,
/// elderly residents, time waited.
pub fn default_rubric() -> Vec<Criterion> {
    [("楼道现状", 3), ("居民支持", 2), ("安全隐患", 2), ("老年住户", 2), ("等待时间", 1)]
        .into_iter()
        .map(|(n, w)| Criterion { name: n.into(), weight: w })
        .collect()
}

/// One reviewer's marks on one plan, one per criterion in the rubric's order (hundredths).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marks {
    pub reviewer: String,
    pub marks: Vec<i64>,
}

/// A plan's score: Σ over reviewers and criteria of weight × mark, divided by (reviewers × Σ
/// weights), rounded half up to hundredths. None when nobody has marked it.
pub fn plan_score(rubric: &[Criterion], marks: &[Marks]) -> Option<Score> {
    let weights: i64 = rubric.iter().map(|c| i64::from(c.weight)).sum();
    if marks.is_empty() || weights == 0 {
        return None;
    }
    let num: i128 =
        marks.iter().flat_map(|m| m.marks.iter().zip(rubric).map(|(v, c)| i128::from(*v) * i128::from(c.weight))).sum();
    let den = i128::from(weights) * marks.len() as i128;
    let rounded = (2 * num + den) / (2 * den);
    Some(Score::from_hundredths(rounded as i64))
}

/// One reviewer's weighted mean on one plan (for the published table).
pub fn reviewer_score(rubric: &[Criterion], m: &Marks) -> Option<Score> {
    plan_score(rubric, std::slice::from_ref(m))
}

/// The works a plan covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Work {
    Floors,
    Walls,
    Lights,
    NoticeBoards,
}

impl Work {
    pub const ALL: [Work; 4] = [Work::Floors, Work::Walls, Work::Lights, Work::NoticeBoards];

    pub fn as_str(self) -> &'static str {
        match self {
            Work::Floors => "floors",
            Work::Walls => "walls",
            Work::Lights => "lights",
            Work::NoticeBoards => "notice-boards",
        }
    }

    pub fn parse(s: &str) -> Option<Work> {
        Work::ALL.into_iter().find(|w| w.as_str() == s.trim())
    }

    pub fn say(self) -> Both {
        let (zh, en) = match self {
            Work::Floors => ("地面", "floors"),
            Work::Walls => ("墙面粉刷", "walls"),
            Work::Lights => ("照明", "lights"),
            Work::NoticeBoards => ("信息栏", "notice boards"),
        };
        Both { zh: zh.into(), en: en.into() }
    }
}

/// Residents' support as signatures against the building's households, in whole percent
/// (rounded down), for the plan's page.
pub fn support_percent(signatures: u32, households: u32) -> u32 {
    if households == 0 { 0 } else { (u64::from(signatures) * 100 / u64::from(households)) as u32 }
}

/// Where a building's renovation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    NotStarted,
    UnderWay,
    Done,
    /// Accepted by the building leader, with photos.
    Accepted,
}

impl Progress {
    pub const ALL: [Progress; 4] = [Progress::NotStarted, Progress::UnderWay, Progress::Done, Progress::Accepted];

    pub fn as_str(self) -> &'static str {
        match self {
            Progress::NotStarted => "not-started",
            Progress::UnderWay => "under-way",
            Progress::Done => "done",
            Progress::Accepted => "accepted",
        }
    }

    pub fn parse(s: &str) -> Option<Progress> {
        Progress::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            Progress::NotStarted => "未开工",
            Progress::UnderWay => "施工中",
            Progress::Done => "已完工",
            Progress::Accepted => "楼组长已验收",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Progress::NotStarted => "not started",
            Progress::UnderWay => "under way",
            Progress::Done => "done",
            Progress::Accepted => "accepted by the building leader",
        }
    }
}

/// A plan as reviewed, ready for the schedule: the building, its cost, its score.
pub fn reviewed(building: &BuildingNo, cost: Money, score: Option<Score>) -> crate::corridors::Plan {
    crate::corridors::Plan { building: building.clone(), cost, score: score.unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(r: &str, v: &[i64]) -> Marks {
        Marks { reviewer: r.into(), marks: v.to_vec() }
    }

    #[test]
    fn the_score_is_the_weighted_mean_over_reviewers_rounded_half_up() {
        let rubric = vec![Criterion { name: "a".into(), weight: 3 }, Criterion { name: "b".into(), weight: 1 }];
        // (3·800 + 1·400) / 4 = 700; (3·600 + 1·1000) / 4 = 700 → 7.00
        assert_eq!(
            plan_score(&rubric, &[m("x", &[800, 400]), m("y", &[600, 1000])]),
            Some(Score::from_hundredths(700))
        );
        // (3·801 + 0) / 4 = 600.75 → 6.01 (half up from 600.75 is 601)
        assert_eq!(plan_score(&rubric, &[m("x", &[801, 0])]), Some(Score::from_hundredths(601)));
        // 1/8 of a hundredth rounds down, a half rounds up
        let one = vec![Criterion { name: "a".into(), weight: 2 }];
        assert_eq!(plan_score(&one, &[m("x", &[1]), m("y", &[0])]), Some(Score::from_hundredths(1)), "0.5 → 1");
        assert_eq!(plan_score(&rubric, &[]), None);
    }

    #[test]
    fn support_counts_signatures_against_households() {
        assert_eq!(support_percent(13, 14), 92);
        assert_eq!(support_percent(0, 0), 0);
    }
}
