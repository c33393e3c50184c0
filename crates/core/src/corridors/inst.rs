//! The solvers' working form of a round: plans in rank order as plain integers.

use crate::corridors::model::Round;

/// A round in rank order: item `r` is the plan `round.ranked()[r]`. Phases are 0-based here;
/// `np` stands for "unscheduled". Values are the maximisation form: Σ score × (P − phase), which
/// is Σ score × (P+1) minus the objective.
#[derive(Clone, Debug)]
pub(crate) struct Inst {
    pub n: usize,
    pub np: usize,
    /// Score in hundredths, by rank.
    pub s: Vec<i64>,
    /// Cost in fen, by rank.
    pub c: Vec<i64>,
    /// Budget in fen, by phase.
    pub b: Vec<i64>,
    /// Capacity, by phase.
    pub k: Vec<i64>,
    /// Weight of each phase: P for the first, 1 for the last.
    pub w: Vec<i64>,
}

impl Inst {
    pub fn new(round: &Round) -> Inst {
        let plans = round.plans();
        let ranked = round.ranked();
        let np = round.phases().len();
        Inst {
            n: ranked.len(),
            np,
            s: ranked.iter().map(|&i| plans[i].score.hundredths()).collect(),
            c: ranked.iter().map(|&i| plans[i].cost.fen()).collect(),
            b: round.phases().iter().map(|p| p.budget.fen()).collect(),
            k: round.phases().iter().map(|p| p.capacity as i64).collect(),
            w: (0..np).map(|p| (np - p) as i64).collect(),
        }
    }

    /// The items at the given ranks, in that order, as an instance of their own.
    pub fn subset(&self, ranks: &[usize]) -> Inst {
        Inst {
            n: ranks.len(),
            np: self.np,
            s: ranks.iter().map(|&r| self.s[r]).collect(),
            c: ranks.iter().map(|&r| self.c[r]).collect(),
            b: self.b.clone(),
            k: self.k.clone(),
            w: self.w.clone(),
        }
    }

    /// The instance left when `item` is fixed in `phase`: without the item, the phase's budget and
    /// capacity reduced by it; and the value the item brings. `None` if it does not fit there.
    pub fn fixing(&self, item: usize, phase: usize) -> Option<(Inst, i64)> {
        if self.c[item] > self.b[phase] || self.k[phase] < 1 {
            return None;
        }
        let rest: Vec<usize> = (0..self.n).filter(|&j| j != item).collect();
        let mut inst = self.subset(&rest);
        inst.b[phase] -= self.c[item];
        inst.k[phase] -= 1;
        Some((inst, self.s[item] * self.w[phase]))
    }

    /// The maximisation value of an assignment by rank (`np` = unscheduled).
    pub fn value(&self, assign: &[usize]) -> i64 {
        assign.iter().enumerate().filter(|&(_, &p)| p < self.np).map(|(r, &p)| self.s[r] * self.w[p]).sum()
    }

    /// Σ score × (P+1): the value scale's offset from the objective.
    pub fn all_waiting(&self) -> i128 {
        self.s.iter().map(|&s| s as i128).sum::<i128>() * (self.np as i128 + 1)
    }

    /// An assignment by rank as phases (1-based) by plan index.
    pub fn phase_of(&self, round: &Round, assign: &[usize]) -> Vec<Option<u32>> {
        let mut out = vec![None; self.n];
        for (r, &i) in round.ranked().iter().enumerate() {
            out[i] = (assign[r] < self.np).then(|| assign[r] as u32 + 1);
        }
        out
    }
}
