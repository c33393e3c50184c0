//! The exact roster, objective by objective:
//!
//! 1. the most places filled, C: a max flow with every volunteer up to their max;
//! 2. the smallest maximum load L: the least L whose flow with caps min(max, L) still fills C
//!    (the flow grows with L, so binary search);
//! 3. the fewest volunteers at L, p: any roster with q people at L becomes, by dropping one shift
//!    from each of them, a roster of C − q places with caps L − 1, so p ≥ C − F(L − 1); and a flow
//!    that fills F(L − 1) with caps L − 1 grows to C through paths that each start on a fresh
//!    L-th shift, so p = C − F(L − 1) for flows. The network then gives everyone L − 1 plus an
//!    L-th shift drawn from a shared node of capacity p, and its max flows are exactly the
//!    rosters with cover C, max load L and p people at L;
//! 4. the most shifts at preferred stations: the min-cost max flow of that network, a shift
//!    outside a volunteer's preferences costing 1.
//!
//! Where the network is only a relaxation (a [`super::network::Chain`] of shifts), each
//! step is solved exactly on top of it. A relaxed optimum that gives no one two overlapping
//! shifts is a true optimum (the relaxation admits every roster). Otherwise, in order:
//! - cuts: the chain is split into cliques again so that each pair the optimum doubled up on
//!   shares a clique node (any split into cliques is valid); repeated while it asks for new pairs;
//! - a repair dive: give up the doubled shifts and solve again, until no one holds two
//!   overlapping shifts; if that reaches the relaxed bound, it is optimal;
//! - branch and bound: on a doubled shift x of volunteer v, either v does not take x, or v takes
//!   none of the shifts overlapping x; every roster is in one of the two branches, and a branch
//!   whose relaxed bound is no better than the best roster found is cut.
//!
//! Step 3 then tries p from C − F(L − 1) upward, each p a search. The search is exhaustive, so
//! the result is exact; on adversarial chains it can take exponential time (the problem with
//! chains is NP-hard: interval scheduling with eligibility, Arkin & Silverberg 1987).

use super::model::Problem;
use super::network::{Caps, Chain, Cuts, Network, conflicts, repairs};
use std::collections::HashSet;

/// What one step asks of a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Goal {
    /// The largest flow (score: minus the flow).
    MaxCover,
    /// Any flow of this value (score 0).
    Reach(i64),
    /// The cheapest flow of this value (score: its cost).
    MinCost(i64),
}

/// How the optimum was proven.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Groups of chained (not all overlapping) shifts in the full network.
    pub chains: usize,
    /// Flow solves, counting every branch-and-bound node.
    pub flows: usize,
    /// Branch-and-bound nodes beyond each step's first solve (0 when the flow was exact).
    pub nodes: usize,
}

#[derive(Clone, Debug)]
struct Found {
    score: i64,
    assigned: Vec<(u32, u32)>,
}

/// An optimal roster as (volunteer, shift) index pairs, with its objective values.
#[derive(Clone, Debug, Default)]
pub struct Solution {
    pub assigned: Vec<(u32, u32)>,
    pub covered: u32,
    pub max_load: u32,
    pub at_max: u32,
    /// Assignments outside the volunteer's preferred stations.
    pub unpreferred: u32,
    pub stats: Stats,
}

struct Solver<'a> {
    pb: &'a Problem,
    /// The network under the cuts learned so far (no shift forbidden at the root).
    root: Network,
    cuts: Cuts,
    stats: Stats,
}

fn relax(net: &mut Network, caps: Caps, goal: Goal, stats: &mut Stats) -> Option<Found> {
    net.set_caps(caps);
    stats.flows += 1;
    let (s, t) = (net.source, net.sink);
    let score = match goal {
        Goal::MaxCover => -net.g.max_flow(s, t, i64::MAX),
        Goal::Reach(c) => {
            if net.g.max_flow(s, t, c) < c {
                return None;
            }
            0
        }
        Goal::MinCost(c) => {
            let (f, cost) = net.g.min_cost_flow(s, t, c);
            if f < c {
                return None;
            }
            cost
        }
    };
    Some(Found { score, assigned: net.assigned() })
}

fn held(found: &Found) -> HashSet<(u32, u32)> {
    found.assigned.iter().copied().collect()
}

impl Solver<'_> {
    fn exact(&mut self, caps: Caps, goal: Goal) -> Option<Found> {
        // tighten: put each pair of overlapping shifts a relaxed optimum doubles up on into one
        // clique node, as long as that asks for something new
        let root = loop {
            let root = relax(&mut self.root, caps, goal, &mut self.stats)?;
            let doubled = conflicts(self.pb, &self.root.chains, &held(&root));
            if doubled.is_empty() {
                return Some(root);
            }
            let mut new = false;
            for (v, a, b) in doubled {
                let pairs = self.cuts.together.entry(v).or_default();
                if !pairs.contains(&(a, b)) {
                    pairs.push((a, b));
                    new = true;
                }
            }
            if !new {
                break root;
            }
            self.stats.nodes += 1;
            self.root = Network::build(self.pb, &self.cuts);
        };
        let chains = self.root.chains.clone();
        let mut best = self.dive(caps, goal, root.clone(), chains.clone());
        if best.as_ref().is_some_and(|b| b.score == root.score) {
            return best;
        }
        let floor = root.score;
        let cuts = self.cuts.clone();
        self.branch(caps, goal, cuts, Some((root, chains)), floor, &mut best);
        best
    }

    /// Give up the overlapping shifts of a relaxed optimum and solve again, until none overlap.
    fn dive(&mut self, caps: Caps, goal: Goal, mut found: Found, mut chains: Vec<Chain>) -> Option<Found> {
        let mut cuts = self.cuts.clone();
        loop {
            let drops = repairs(self.pb, &chains, &held(&found));
            if drops.is_empty() {
                return Some(found);
            }
            cuts.forbidden.extend(drops);
            let mut net = Network::build(self.pb, &cuts);
            self.stats.nodes += 1;
            found = relax(&mut net, caps, goal, &mut self.stats)?;
            chains = net.chains;
        }
    }

    /// Branch on a shift the relaxed optimum gives a volunteer beside an overlapping one: either
    /// they do not take it, or they take none of the shifts overlapping it. Every roster is in
    /// one of the two.
    fn branch(
        &mut self,
        caps: Caps,
        goal: Goal,
        cuts: Cuts,
        known: Option<(Found, Vec<Chain>)>,
        floor: i64,
        best: &mut Option<Found>,
    ) {
        let (found, chains) = match known {
            Some(k) => k,
            None => {
                self.stats.nodes += 1;
                let mut net = Network::build(self.pb, &cuts);
                let Some(f) = relax(&mut net, caps, goal, &mut self.stats) else { return };
                (f, net.chains)
            }
        };
        if best.as_ref().is_some_and(|b| found.score >= b.score) {
            return;
        }
        let Some(&(v, a, b)) = conflicts(self.pb, &chains, &held(&found)).first() else {
            *best = Some(found);
            return;
        };
        let chain = chains.iter().find(|c| c.volunteer == v && c.shifts.contains(&a)).map_or(&[][..], |c| &c.shifts);
        let shifts = self.pb.shifts();
        let neighbours =
            |x: u32| chain.iter().copied().filter(move |&y| y != x && shifts[x as usize].overlaps(&shifts[y as usize]));
        // the shift overlapping more of the chain splits it further when taken
        let pivot = if neighbours(a).count() >= neighbours(b).count() { a } else { b };
        let mut without = cuts.clone();
        without.forbidden.insert((v, pivot));
        let mut with = cuts;
        with.forbidden.extend(neighbours(pivot).map(|y| (v, y)));
        drop((found, chains));
        for child in [without, with] {
            if best.as_ref().is_some_and(|b| b.score == floor) {
                return;
            }
            self.branch(caps, goal, child, None, floor, best);
        }
    }
}

/// The roster that fills the most places, then has the smallest maximum load, then the fewest
/// volunteers at it, then the most shifts at preferred stations.
pub fn solve(pb: &Problem) -> Solution {
    let root = Network::build(pb, &Cuts::default());
    let stats = Stats { chains: root.chains.len(), ..Stats::default() };
    let mut sv = Solver { pb, root, cuts: Cuts::default(), stats };
    let cover = sv.exact(Caps::Cover, Goal::MaxCover).map_or(0, |f| -f.score);
    if cover == 0 {
        return Solution { stats: sv.stats, ..Solution::default() };
    }
    let nv = pb.volunteers().len() as i64;
    let mut lo = ((cover + nv - 1) / nv) as u32;
    let mut hi =
        (0..pb.volunteers().len()).map(|v| pb.volunteers()[v].max.min(pb.allowed(v).len() as u32)).max().unwrap_or(0);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if sv.exact(Caps::Capped(mid), Goal::Reach(cover)).is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let l = lo;
    let below = sv.exact(Caps::Capped(l - 1), Goal::MaxCover).map_or(0, |f| -f.score);
    let mut p = (cover - below) as u32;
    let found = loop {
        if let Some(f) = sv.exact(Caps::Fewest { l, p }, Goal::MinCost(cover)) {
            break f;
        }
        p += 1;
    };
    let mut load = vec![0u32; pb.volunteers().len()];
    for &(v, _) in &found.assigned {
        load[v as usize] += 1;
    }
    let max_load = load.iter().copied().max().unwrap_or(0);
    Solution {
        covered: found.assigned.len() as u32,
        max_load,
        at_max: load.iter().filter(|&&x| x == max_load).count() as u32,
        unpreferred: found.score as u32,
        assigned: found.assigned,
        stats: sv.stats,
    }
}

/// The plain maximum cover with no fairness: one max flow on the network (exact unless the
/// network has chains, where it is an upper bound). The benchmark's baseline.
pub fn max_cover_bound(pb: &Problem) -> (i64, usize) {
    let mut net = Network::build(pb, &Cuts::default());
    net.set_caps(Caps::Cover);
    (net.g.max_flow(net.source, net.sink, i64::MAX), net.size())
}
