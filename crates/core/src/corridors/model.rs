//! The round as data: plans (one per building), phases (a budget and a crew capacity each), and
//! the schedule a policy makes of them. Every amount is an exact integer: money in fen, scores in
//! hundredths, the objective in hundredths of a score-phase.

use crate::corridors::refusal::CorridorRefusal;
use crate::corridors::solve::Proof;
use crate::kit::{Money, Refused};
use crate::registry::BuildingNo;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// A plan's review score, held exactly in hundredths (the rubric's weighted mean, two decimals).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(i64);

/// The largest score accepted: far above any rubric, small enough that sums never overflow.
pub const MAX_SCORE_HUNDREDTHS: i64 = 100_000_000;

impl Score {
    pub const fn from_hundredths(v: i64) -> Score {
        Score(v)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    /// `72.5`, `72.50`, `95`: a number ≥ 0 with at most two decimals; `None` otherwise.
    pub fn parse(s: &str) -> Option<Score> {
        let v = decimal_hundredths(s.trim())?;
        (v <= MAX_SCORE_HUNDREDTHS).then_some(Score(v))
    }
}

/// Digits with at most two decimals, no sign, as hundredths.
fn decimal_hundredths(t: &str) -> Option<i64> {
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty() || int.len() > 12 || frac.len() > 2 || (t.contains('.') && frac.is_empty()) {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let f: i64 = if frac.is_empty() { 0 } else { frac.parse::<i64>().ok()? * if frac.len() == 1 { 10 } else { 1 } };
    Some(int.parse::<i64>().ok()? * 100 + f)
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Score {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The objective, Σ score × phase (an unscheduled building counting as phase P+1): the total
/// waiting score, in hundredths. Lower is better.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Waiting(pub i128);

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", v / 100, v % 100)
    }
}

impl Serialize for Waiting {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One building's corridor plan as the residents' committee reviewed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub building: BuildingNo,
    pub cost: Money,
    pub score: Score,
}

/// One phase of the work (e.g. a quarter): what it may spend and how many buildings its crew
/// can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Phase {
    pub budget: Money,
    pub capacity: u32,
}

/// The most phases a round may have: a decade of quarters and then some.
pub const MAX_PHASES: u32 = 1000;

/// Plans and phases that are valid together: costs and budgets ≥ 0, capacities ≥ 1, each
/// building once, at least one phase. Only [`Round::new`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    plans: Vec<Plan>,
    phases: Vec<Phase>,
    /// Plan indices in rank order: score descending, then building number ascending.
    ranked: Vec<usize>,
}

/// The largest plan cost or phase budget accepted, in fen (ten billion yuan).
pub const MAX_FEN: i64 = 1_000_000_000_000;

/// The most plans a round takes (every sum stays far inside 64 bits).
pub const MAX_PLANS: usize = 1_000_000;

impl Round {
    pub fn new(plans: Vec<Plan>, phases: Vec<Phase>) -> Result<Round, Refused> {
        if plans.len() > MAX_PLANS {
            return CorridorRefusal::TooManyPlans { count: plans.len(), max: MAX_PLANS }.err();
        }
        if phases.is_empty() || phases.len() > MAX_PHASES as usize {
            return CorridorRefusal::BadPhases { value: phases.len().to_string() }.err();
        }
        for (i, ph) in phases.iter().enumerate() {
            if ph.budget.fen() < 0 || ph.budget.fen() > MAX_FEN {
                return CorridorRefusal::BadBudget { value: ph.budget.to_string() }.err();
            }
            if ph.capacity == 0 {
                return CorridorRefusal::BadCapacity { value: format!("0 (phase {})", i + 1) }.err();
            }
        }
        for p in &plans {
            if p.cost.fen() < 0 || p.cost.fen() > MAX_FEN || !(0..=MAX_SCORE_HUNDREDTHS).contains(&p.score.0) {
                return CorridorRefusal::BadPlan { building: p.building.to_string() }.err();
            }
        }
        let mut seen = std::collections::HashMap::with_capacity(plans.len());
        for (i, p) in plans.iter().enumerate() {
            if let Some(j) = seen.insert(&p.building, i) {
                return CorridorRefusal::DuplicatePlan { building: p.building.to_string(), first: j + 1, again: i + 1 }
                    .err();
            }
        }
        let mut ranked: Vec<usize> = (0..plans.len()).collect();
        ranked.sort_by(|&a, &b| rank_cmp(&plans[a], &plans[b]));
        Ok(Round { plans, phases, ranked })
    }

    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    /// Plan indices in rank order (the order strict order considers them).
    pub fn ranked(&self) -> &[usize] {
        &self.ranked
    }

    /// The rank (1 = highest score) of each plan, by plan index.
    pub fn rank_of(&self) -> Vec<usize> {
        let mut r = vec![0; self.plans.len()];
        for (k, &i) in self.ranked.iter().enumerate() {
            r[i] = k + 1;
        }
        r
    }

    /// Σ score × (P+1): the objective if nothing were scheduled.
    pub fn all_waiting(&self) -> Waiting {
        let p1 = self.phases.len() as i128 + 1;
        Waiting(self.plans.iter().map(|p| p.score.0 as i128 * p1).sum())
    }

    /// The objective of an assignment (phase 1..=P of each plan by index, `None` unscheduled).
    pub fn waiting(&self, phase_of: &[Option<u32>]) -> Waiting {
        let p1 = self.phases.len() as i128 + 1;
        Waiting(self.plans.iter().zip(phase_of).map(|(p, ph)| p.score.0 as i128 * ph.map_or(p1, |x| x as i128)).sum())
    }
}

/// Strict order's ranking: higher score first, ties by building number in natural order.
pub fn rank_cmp(a: &Plan, b: &Plan) -> Ordering {
    b.score.cmp(&a.score).then_with(|| building_cmp(&a.building, &b.building))
}

/// Building numbers in natural order: digit runs compare as numbers (2 before 10, 3A before 12).
pub fn building_cmp(a: &BuildingNo, b: &BuildingNo) -> Ordering {
    natural_cmp(a.as_str(), b.as_str())
}

fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    while !x.is_empty() && !y.is_empty() {
        let (dx, dy) = (x[0].is_ascii_digit(), y[0].is_ascii_digit());
        let run = |s: &[u8], digit: bool| s.iter().take_while(|c| c.is_ascii_digit() == digit).count();
        let (nx, ny) = (run(x, dx), run(y, dy));
        let ord = if dx && dy {
            let (tx, ty) = (trim_zeros(&x[..nx]), trim_zeros(&y[..ny]));
            tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
        } else {
            x[..nx].cmp(&y[..ny])
        };
        if ord != Ordering::Equal {
            return ord;
        }
        (x, y) = (&x[nx..], &y[ny..]);
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let k = s.iter().take_while(|&&c| c == b'0').count();
    &s[k.min(s.len().saturating_sub(1))..]
}

/// Which rule made a schedule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// Buildings by descending score, each into the earliest phase it fits (the default: the
    /// residents' committee's transparent order).
    #[default]
    Strict,
    /// The least total waiting score (Σ score × phase) within every phase's budget and capacity.
    BestValue,
}

impl Policy {
    /// For `--policy`'s help: the choices and the default.
    pub const HELP: &'static str = "strict (the default: by descending score, ties by building number, each building \
        into the earliest phase it fits) or best-value (the least total waiting score, score × phase, within every \
        budget and capacity)";

    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Strict => "strict",
            Policy::BestValue => "best-value",
        }
    }

    /// `strict` or `best-value` (also `best_value`, `best`).
    pub fn parse(s: &str) -> Option<Policy> {
        match s.trim().to_ascii_lowercase().as_str() {
            "strict" | "strict-order" => Some(Policy::Strict),
            "best-value" | "best_value" | "best" => Some(Policy::BestValue),
            _ => None,
        }
    }
}

/// A schedule of a round: each plan's phase, each phase's buildings in placement order, the
/// objective and, for best value, how far it is proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub policy: Policy,
    /// Phase (1..=P) of each plan by plan index; `None`: unscheduled.
    pub phase_of: Vec<Option<u32>>,
    /// Plan indices of each phase, in the order they were placed (rank order).
    pub phases: Vec<Vec<usize>>,
    pub objective: Waiting,
    /// Best value's bound: no schedule waits less than `proof.bound`.
    pub proof: Option<Proof>,
}

impl Schedule {
    /// Builds the per-phase lists from an assignment, in rank order.
    pub fn from_assignment(round: &Round, policy: Policy, phase_of: Vec<Option<u32>>) -> Schedule {
        let mut phases = vec![Vec::new(); round.phases.len()];
        for &i in &round.ranked {
            if let Some(p) = phase_of[i] {
                phases[p as usize - 1].push(i);
            }
        }
        let objective = round.waiting(&phase_of);
        Schedule { policy, phase_of, phases, objective, proof: None }
    }

    /// No schedule waits less: the objective meets the proved bound.
    pub fn proved(&self) -> bool {
        self.proof.is_some_and(|p| p.bound >= self.objective)
    }

    /// What each phase (0-based) spends.
    pub fn cost(&self, round: &Round, phase: usize) -> Money {
        Money::from_fen(self.phases[phase].iter().map(|&i| round.plans[i].cost.fen()).sum())
    }

    /// Unscheduled plan indices in rank order.
    pub fn unscheduled(&self, round: &Round) -> Vec<usize> {
        round.ranked.iter().copied().filter(|&i| self.phase_of[i].is_none()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> BuildingNo {
        BuildingNo::parse(s).unwrap()
    }

    #[test]
    fn building_numbers_sort_naturally() {
        assert_eq!(building_cmp(&b("2"), &b("10")), Ordering::Less);
        assert_eq!(building_cmp(&b("10"), &b("9")), Ordering::Greater);
        assert_eq!(building_cmp(&b("3A"), &b("12")), Ordering::Less);
        assert_eq!(building_cmp(&b("3A"), &b("3B")), Ordering::Less);
        assert_eq!(building_cmp(&b("07"), &b("7")), Ordering::Less);
        assert_eq!(building_cmp(&b("B2"), &b("B10")), Ordering::Less);
    }

    #[test]
    fn scores_parse_exactly_to_two_decimals() {
        assert_eq!(Score::parse("72.5").map(Score::hundredths), Some(7250));
        assert_eq!(Score::parse(" 95 ").map(Score::hundredths), Some(9500));
        assert_eq!(Score::parse("0.07").map(|s| s.to_string()), Some("0.07".into()));
        for bad in ["", "-1", "1.234", "1.", ".5", "abc", "1e3", "1,5"] {
            assert_eq!(Score::parse(bad), None, "{bad}");
        }
    }
}
