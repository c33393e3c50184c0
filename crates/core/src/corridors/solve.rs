//! The two policies over a round, and how best value is proved.
//!
//! Best value works on the buildings that matter to the objective: a score above zero and a plan
//! that fits some phase's budget. Buildings scoring zero change nothing whatever their phase; they
//! are placed afterwards as strict order would, each into the earliest phase with money and a
//! place left. A compound's round (up to 128 such buildings and 64 phases) is solved exactly:
//! a heuristic start, prices from column generation, a dive, then the lexicographic branch and
//! bound to its end (within a node cap, after which the gap to its bound is reported). A
//! district's round gets the best of several heuristics and the linear relaxation's bound.

use crate::corridors::best::{self, MAX_ITEMS};
use crate::corridors::inst::Inst;
use crate::corridors::model::{Policy, Round, Schedule, Waiting};
use crate::corridors::strict::strict_assign;
use crate::corridors::{bound, improve, lagrange};

/// The most phases the exact search takes.
pub(crate) const MAX_EXACT_PHASES: usize = 64;
/// Nodes the exact search may take before it settles for a bound (a few seconds at most).
const NODE_CAP: u64 = 1_000_000;
/// Nodes of the dive that finds the exact search's start.
const DIVE_CAP: u64 = 3_000;

/// How a best-value schedule was found and how far it is proved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proof {
    /// No schedule waits less than this.
    pub bound: Waiting,
    /// The exact search ran (a compound's round) rather than the district's heuristics.
    pub exact: bool,
    /// Branch-and-bound nodes (0 for the district).
    pub nodes: u64,
}

/// Strict order: buildings by descending score, ties by building number, each into the earliest
/// phase where its cost fits the budget left and a place is left; otherwise unscheduled.
pub fn strict(round: &Round) -> Schedule {
    let inst = Inst::new(round);
    let a = strict_assign(&inst);
    Schedule::from_assignment(round, Policy::Strict, inst.phase_of(round, &a))
}

/// Best value: the least total waiting score (Σ score × phase, an unscheduled building counting
/// P+1) within every phase's budget and capacity; never worse than strict order. Among equally
/// good schedules, the one that is first when the buildings are read in rank order (the
/// higher-ranked building in the earlier phase): so when strict order is already best, best
/// value is the very same schedule.
pub fn best_value(round: &Round) -> Schedule {
    let inst = Inst::new(round);
    let (core_ranks, core) = core_of(&inst);
    let (core_assign, core_bound, exact, nodes) =
        if core.n <= MAX_ITEMS && inst.np <= MAX_EXACT_PHASES { exact(&core) } else { district(&core) };
    let a = lift(&inst, &core_ranks, &core_assign);
    let bound = Waiting(inst.all_waiting() - core_bound as i128);
    let mut s = Schedule::from_assignment(round, Policy::BestValue, inst.phase_of(round, &a));
    s.proof = Some(Proof { bound, exact, nodes });
    s
}

/// What moving a building earlier would cost the compound: the least extra total waiting score
/// of any schedule that puts it in an earlier phase (or schedules it at all), proved, and the
/// extra of the best such schedule found. Equal: the exact cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MoveCost {
    pub at_least: Waiting,
    pub found: Waiting,
}

impl MoveCost {
    /// The cost, when the bound and the best found meet.
    pub fn exact(&self) -> Option<Waiting> {
        (self.found == self.at_least).then_some(self.at_least)
    }
}

/// Nodes the search may spend on one building's cost of moving earlier.
const MOVE_NODES: u64 = 10_000;

/// For every plan (by index) that a schedule leaves out of phase 1, what moving it earlier would
/// cost (see [`MoveCost`]), over this schedule's objective, which must be proved best. `None`
/// where no schedule can (its cost fits none of those phases) or where its score is zero (it
/// changes no total); all `None` for a district or an unproved schedule.
///
/// For every earlier phase the building could be fixed in, the round left over (without it, that
/// phase's budget and places reduced) is started from this schedule with room made for it, and
/// bounded with this schedule's prices; where start and bound differ, a capped search settles
/// them, the phases with the best bounds first.
pub fn costs_of_moving_up(round: &Round, schedule: &Schedule) -> Vec<Option<MoveCost>> {
    let inst = Inst::new(round);
    let (core_ranks, core) = core_of(&inst);
    let mut out = vec![None; round.plans().len()];
    if core.n > MAX_ITEMS || inst.np > MAX_EXACT_PHASES || !schedule.proved() {
        return out;
    }
    let ranked = round.ranked();
    let assign: Vec<usize> =
        core_ranks.iter().map(|&r| schedule.phase_of[ranked[r]].map_or(inst.np, |p| p as usize - 1)).collect();
    let best = core.value(&assign);
    let pi = lagrange::prices(&core, &assign, 300);
    for (item, &rank) in core_ranks.iter().enumerate() {
        let within = assign[item];
        if within == 0 {
            continue;
        }
        let others: Vec<usize> = (0..core.n).filter(|&j| j != item).collect();
        let rest_pi: Vec<i64> = others.iter().map(|&j| pi[j]).collect();
        // per earlier phase: the bound on the value with the building fixed there, the best found
        let mut options: Vec<(i64, i64, Inst, i64)> = (0..within)
            .filter_map(|p| {
                let (rest, gain) = core.fixing(item, p)?;
                let mut a: Vec<usize> = others.iter().map(|&j| assign[j]).collect();
                improve::make_room(&rest, &mut a, p);
                improve::local_search(&rest, &mut a);
                let found = gain + rest.value(&a);
                let bound = (gain + best::root_bound(&rest, &rest_pi)).max(found);
                Some((bound, found, rest, gain))
            })
            .collect();
        options.sort_by_key(|o| std::cmp::Reverse(o.0));
        let Some(mut found) = options.iter().map(|o| o.1).max() else { continue };
        let mut nodes = MOVE_NODES;
        for o in options.iter_mut() {
            if o.0 <= found || nodes == 0 {
                continue;
            }
            let (rest, gain) = (&o.2, o.3);
            let s = best::best_value_only(rest, &rest_pi, found - gain, nodes);
            nodes = nodes.saturating_sub(s.nodes);
            if let Some((_, v)) = s.best {
                found = found.max(gain + v);
            }
            o.0 = if s.finished { found } else { (gain + s.bound).min(o.0).max(found) };
        }
        let bound = options.iter().map(|o| o.0).max().unwrap_or(found).max(found);
        out[ranked[rank]] = Some(MoveCost {
            at_least: Waiting((best - bound).max(0) as i128),
            found: Waiting((best - found).max(0) as i128),
        });
    }
    out
}

/// The buildings that matter: a score above zero and a plan some phase can afford.
fn core_of(inst: &Inst) -> (Vec<usize>, Inst) {
    let maxb = inst.b.iter().copied().max().unwrap_or(0);
    let ranks: Vec<usize> = (0..inst.n).filter(|&r| inst.s[r] > 0 && inst.c[r] <= maxb).collect();
    let core = inst.subset(&ranks);
    (ranks, core)
}

/// The best of strict order and the phase-filling heuristics.
fn start(core: &Inst) -> Vec<usize> {
    let mut best = strict_assign(core);
    let mut fill = improve::fill_phases(core);
    improve::local_search(core, &mut fill);
    if core.n <= MAX_ITEMS {
        improve::refill(core, &mut fill);
    }
    if core.value(&fill) > core.value(&best) {
        best = fill;
    }
    best
}

/// A compound's round, exactly (within the node cap): assignment, bound, exact, nodes.
fn exact(core: &Inst) -> (Vec<usize>, i64, bool, u64) {
    let seed = start(core);
    let seed_value = core.value(&seed);
    let pi = lagrange::prices(core, &seed, 300);
    let dive = best::dive(core, &pi, seed_value, DIVE_CAP);
    let (floor_assign, floor) = dive.best.unwrap_or((seed, seed_value));
    let found = best::search(core, &pi, floor, NODE_CAP);
    let nodes = dive.nodes + found.nodes;
    let bound = if dive.finished { dive.bound.min(found.bound) } else { found.bound };
    match found.best {
        Some((a, v)) => (a, bound.max(v), true, nodes),
        None => (floor_assign, bound.max(floor), true, nodes),
    }
}

/// A district's round: the best of the heuristics, and the relaxation's bound.
fn district(core: &Inst) -> (Vec<usize>, i64, bool, u64) {
    let mut best = strict_assign(core);
    let mut fill = improve::fill_by_key(core, 0);
    improve::local_search(core, &mut fill);
    if core.value(&fill) > core.value(&best) {
        best = fill;
    }
    let (ub, m) = bound::minimise(core, core.value(&best), 10_000);
    let (_, pick) = bound::evaluate(core, &m);
    let mut repaired = improve::repair_picks(core, &pick, 0);
    improve::local_search(core, &mut repaired);
    if core.value(&repaired) > core.value(&best) {
        best = repaired;
    }
    let v = core.value(&best);
    (best, (ub.min(i64::MAX as i128) as i64).max(v), false, 0)
}

/// A core assignment on the whole round: others unscheduled, then the zero-score buildings placed
/// in rank order, each into the earliest phase with money and a place left.
fn lift(inst: &Inst, core_ranks: &[usize], core_assign: &[usize]) -> Vec<usize> {
    let np = inst.np;
    let mut a = vec![np; inst.n];
    let mut left = inst.b.clone();
    let mut room = inst.k.clone();
    for (k, &r) in core_ranks.iter().enumerate() {
        let p = core_assign[k];
        a[r] = p;
        if p < np {
            left[p] -= inst.c[r];
            room[p] -= 1;
        }
    }
    for (r, ar) in a.iter_mut().enumerate() {
        if inst.s[r] == 0
            && let Some(p) = (0..np).find(|&p| room[p] > 0 && inst.c[r] <= left[p])
        {
            *ar = p;
            left[p] -= inst.c[r];
            room[p] -= 1;
        }
    }
    a
}
