//! Best value, exactly: a depth-first branch and bound over the buildings in rank order, each
//! tried in phase 1, 2, …, P and then unscheduled, so the search meets assignments in
//! lexicographic order and the first optimum it finds is the tie-break's choice (the higher-ranked
//! building in the earlier phase).
//!
//! Two bounds, the cheap one first:
//! - prefixes: the value Σ score × (P − phase) is Σ over r of the score in phases 1..=r, and the
//!   open buildings add to prefix r at most a knapsack within the budget and places left there;
//! - prices ([`lagrange`](super::lagrange)): Σ π over the open buildings plus each phase's most
//!   profitable set of them, recomputed only for the phases whose set the last step touched.
//!
//! Dominance (each swap keeps every budget and makes an assignment at least as good and
//! lexicographically earlier, so the tie-break's optimum never has these):
//! - a building left unscheduled keeps every later one costing as much or more unscheduled;
//! - of two buildings with the same cost, the higher-ranked one is not in a later phase.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

use crate::corridors::inst::Inst;
use crate::corridors::knap::{Item, Knap, by_ratio};
use crate::corridors::lagrange::D;

/// The most buildings (with a score above zero) the exact search takes: its sets are 128-bit.
pub(crate) const MAX_ITEMS: usize = 128;

/// Nodes one phase's knapsack may take inside the search before it settles for its bound.
const KNAP_CAP: u64 = 50_000;
/// Knapsack nodes one search may take in all (with its own node limit, this bounds its time).
const WORK_CAP: u64 = 300_000_000;

/// What a search found.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    /// The best assignment it met at or above the floor (by rank, `np` = unscheduled) and its
    /// value (maximisation form).
    pub best: Option<(Vec<usize>, i64)>,
    /// A proved upper bound on the value of any assignment (the best value when it finished).
    pub bound: i64,
    /// It finished: no assignment is better than `best` (or than the floor, if none).
    pub finished: bool,
    pub nodes: u64,
}

struct Search<'a> {
    inst: &'a Inst,
    pi: &'a [i64],
    /// Items by score per fen, best first.
    by_ratio: Vec<usize>,
    /// Per phase: the items with a positive priced profit, in knapsack order.
    kp_order: Vec<Vec<Item>>,
    /// The nearest higher-ranked item with the same cost.
    same_cost_before: Vec<Option<usize>>,
    mode: Mode,
    res: Vec<i64>,
    kres: Vec<i64>,
    assign: Vec<usize>,
    best: i64,
    best_assign: Option<Vec<usize>>,
    nodes: u64,
    limit: u64,
    aborted: bool,
    knap: Knap,
    /// Per phase: the knapsack's cardinality multiplier, chosen at its first call and kept.
    mu: Vec<Option<i64>>,
    /// Per depth: the open set and each phase's priced knapsack (value, set).
    free_at: Vec<u128>,
    kp_val: Vec<i64>,
    kp_set: Vec<u128>,
    cb: Vec<i64>,
    ck: Vec<i64>,
    top: Vec<i64>,
}

/// Searches for the lexicographically first assignment of greatest value, given prices `pi`
/// (scaled by D) for the bound. `floor` is a value known to be reachable (a heuristic's): only
/// assignments at least as good are looked for. After `limit` nodes the search stops and its
/// bound is the root's.
pub(crate) fn search(inst: &Inst, pi: &[i64], floor: i64, limit: u64) -> Found {
    run(inst, pi, floor, limit, Mode::Lex)
}

/// The best value only (no tie-break): assignments strictly better than `floor`, children in
/// phase order.
pub(crate) fn best_value_only(inst: &Inst, pi: &[i64], floor: i64, limit: u64) -> Found {
    run(inst, pi, floor, limit, Mode::Value)
}

/// A dive for a good start: like [`best_value_only`] with children tried best bound first.
pub(crate) fn dive(inst: &Inst, pi: &[i64], floor: i64, limit: u64) -> Found {
    run(inst, pi, floor, limit, Mode::Dive)
}

/// The root's bound (the smaller of the prefix and priced bounds) at prices `pi`.
pub(crate) fn root_bound(inst: &Inst, pi: &[i64]) -> i64 {
    let mut s = Search::new(inst, pi, 0, 0, Mode::Value);
    s.prefix_bound(0, i64::MAX, 0).min(s.priced_bound(0, i64::MAX, 0, None))
}

/// What a search looks for and in which order it tries children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// The lexicographically first optimum: ties kept until the search has one of its own.
    Lex,
    /// Only strictly better values, children in phase order.
    Value,
    /// Only strictly better values, children best bound first.
    Dive,
}

fn run(inst: &Inst, pi: &[i64], floor: i64, limit: u64, mode: Mode) -> Found {
    let mut s = Search::new(inst, pi, floor, limit, mode);
    let root = s.prefix_bound(0, i64::MAX, 0).min(s.priced_bound(0, i64::MAX, 0, None));
    s.dfs(0, 0, i64::MAX, None);
    let bound = if s.aborted { root.max(s.best) } else { s.best };
    let best = s.best_assign.map(|a| (a, s.best));
    Found { best, bound, finished: !s.aborted, nodes: s.nodes }
}

impl<'a> Search<'a> {
    fn new(inst: &'a Inst, pi: &'a [i64], floor: i64, limit: u64, mode: Mode) -> Search<'a> {
        let (n, np) = (inst.n, inst.np);
        assert!(n <= MAX_ITEMS);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (inst.s[a] as i128 * inst.c[b] as i128, inst.s[b] as i128 * inst.c[a] as i128);
            y.cmp(&x).then(a.cmp(&b))
        });
        let kp_order = (0..np)
            .map(|p| {
                let mut v: Vec<Item> = (0..n)
                    .map(|j| Item { profit: inst.s[j] * inst.w[p] * D - pi[j], cost: inst.c[j], id: j })
                    .filter(|it| it.profit > 0)
                    .collect();
                v.sort_by(by_ratio);
                v
            })
            .collect();
        Search {
            inst,
            pi,
            by_ratio: order,
            kp_order,
            same_cost_before: (0..n).map(|j| (0..j).rev().find(|&i| inst.c[i] == inst.c[j])).collect(),
            mode,
            res: inst.b.clone(),
            kres: inst.k.clone(),
            assign: vec![np; n],
            best: floor,
            best_assign: None,
            nodes: 0,
            limit,
            aborted: false,
            knap: Knap::with_cap(KNAP_CAP),
            mu: vec![None; np],
            free_at: vec![0; n + 1],
            kp_val: vec![0; (n + 1) * np],
            kp_set: vec![0; (n + 1) * np],
            cb: vec![0; np],
            ck: vec![0; np],
            top: Vec::with_capacity(n + 1),
        }
    }
}

impl Search<'_> {
    fn prunes(&self, ub: i64) -> bool {
        if self.mode != Mode::Lex {
            return ub <= self.best;
        }
        // once the search has an optimum of its own, later leaves equal to it lose the tie-break
        ub < self.best || (ub == self.best && self.best_assign.is_some())
    }

    fn dfs(&mut self, d: usize, v: i64, min_out: i64, changed: Option<usize>) {
        self.nodes += 1;
        if self.nodes > self.limit || self.knap.work > WORK_CAP {
            self.aborted = true;
            return;
        }
        let inst = self.inst;
        if d == inst.n {
            if v > self.best || (v == self.best && self.best_assign.is_none() && self.mode == Mode::Lex) {
                self.best = v;
                self.best_assign = Some(self.assign.clone());
            }
            return;
        }
        let ub = self.prefix_bound(d, min_out, v);
        if self.prunes(ub) {
            return;
        }
        let ub = self.priced_bound(d, min_out, v, changed);
        if self.prunes(ub) {
            return;
        }
        let c = inst.c[d];
        let lo = match self.same_cost_before[d] {
            Some(i) => self.assign[i],
            None => 0,
        };
        let lo = if c >= min_out { inst.np } else { lo };
        // children: the phases from lo on that fit, then unscheduled
        let mut kids: Vec<(i64, usize)> =
            (lo..inst.np).filter(|&p| self.kres[p] > 0 && self.res[p] >= c).map(|p| (0, p)).collect();
        kids.push((0, inst.np));
        if self.mode == Mode::Dive {
            for kid in kids.iter_mut() {
                kid.0 = self.child_bound(d, v, min_out, kid.1);
            }
            kids.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        for (ub, p) in kids {
            if self.mode == Mode::Dive && ub <= self.best {
                break;
            }
            self.enter(d, v, min_out, p);
            if self.aborted {
                return;
            }
        }
        self.assign[d] = inst.np;
    }

    /// Recurses into the child of item `d` in phase `p` (`np`: unscheduled).
    fn enter(&mut self, d: usize, v: i64, min_out: i64, p: usize) {
        let inst = self.inst;
        let c = inst.c[d];
        if p < inst.np {
            self.res[p] -= c;
            self.kres[p] -= 1;
            self.assign[d] = p;
            self.dfs(d + 1, v + inst.s[d] * inst.w[p], min_out, Some(p));
            self.res[p] += c;
            self.kres[p] += 1;
        } else {
            self.assign[d] = inst.np;
            self.dfs(d + 1, v, min_out.min(c), None);
        }
    }

    /// The bound of a child, for ordering a dive.
    fn child_bound(&mut self, d: usize, v: i64, min_out: i64, p: usize) -> i64 {
        let inst = self.inst;
        let c = inst.c[d];
        if p < inst.np {
            self.res[p] -= c;
            self.kres[p] -= 1;
            let v2 = v + inst.s[d] * inst.w[p];
            let ub = self.prefix_bound(d + 1, min_out, v2).min(self.priced_bound(d + 1, min_out, v2, Some(p)));
            self.res[p] += c;
            self.kres[p] += 1;
            ub
        } else {
            let m = min_out.min(c);
            self.prefix_bound(d + 1, m, v).min(self.priced_bound(d + 1, m, v, None))
        }
    }

    /// The items still open at depth `d`: undecided and not kept out by an unscheduled one.
    fn open(&self, d: usize, min_out: i64) -> u128 {
        (d..self.inst.n).filter(|&j| self.inst.c[j] < min_out).fold(0u128, |m, j| m | 1u128 << j)
    }

    /// Σ π̃ over the open items plus every phase's priced knapsack, scaled back to value units.
    fn priced_bound(&mut self, d: usize, min_out: i64, v: i64, changed: Option<usize>) -> i64 {
        let inst = self.inst;
        let np = inst.np;
        let free = self.open(d, min_out);
        let maxres = (0..np).filter(|&p| self.kres[p] > 0).map(|p| self.res[p]).max().unwrap_or(-1);
        let removed = if d == 0 { u128::MAX } else { self.free_at[d - 1] & !free };
        self.free_at[d] = free;
        let mut total = v as i128 * D as i128;
        let mut m = free;
        while m != 0 {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            if inst.c[j] <= maxres {
                total += self.pi[j] as i128;
            }
        }
        for p in 0..np {
            let here = d * np + p;
            let reuse = d > 0 && changed != Some(p) && self.kp_set[here - np] & removed == 0;
            let (val, set) = if reuse {
                (self.kp_val[here - np], self.kp_set[here - np])
            } else if self.kres[p] == 0 {
                (0, 0)
            } else {
                let (res, kres) = (self.res[p], self.kres[p]);
                let items = self.kp_order[p].iter().copied().filter(|it| free >> it.id & 1 == 1);
                let k = self.knap.solve_with_mu(items, res, kres, &mut self.mu[p]);
                (k.bound, k.set)
            };
            self.kp_val[here] = val;
            self.kp_set[here] = set;
            total += val as i128;
        }
        (total / D as i128) as i64
    }

    /// The prefix bound: for each r, the open items' fractional knapsack in the budget left in
    /// phases 1..=r, capped by their best scores for the places left there.
    fn prefix_bound(&mut self, d: usize, min_out: i64, v: i64) -> i64 {
        let inst = self.inst;
        let np = inst.np;
        let (mut cb, mut ck, mut maxres) = (0i64, 0i64, -1i64);
        for p in 0..np {
            if self.kres[p] > 0 {
                cb += self.res[p];
                ck += self.kres[p];
                maxres = maxres.max(self.res[p]);
            }
            self.cb[p] = cb;
            self.ck[p] = ck;
        }
        let free = |j: usize| inst.c[j] <= maxres && inst.c[j] < min_out;
        // top[m]: the m best scores among the open items (rank order is score order)
        self.top.clear();
        self.top.push(0);
        let kmax = ck as usize;
        let mut acc = 0;
        for j in d..inst.n {
            if self.top.len() > kmax {
                break;
            }
            if free(j) {
                acc += inst.s[j];
                self.top.push(acc);
            }
        }
        let top_at = |m: i64| self.top[(m as usize).min(self.top.len() - 1)];
        let mut total = v;
        let (mut acc_c, mut acc_s, mut r) = (0i64, 0i64, 0usize);
        for &j in &self.by_ratio {
            if r == np {
                break;
            }
            if j < d || !free(j) {
                continue;
            }
            while r < np && acc_c + inst.c[j] > self.cb[r] {
                let part = ((inst.s[j] as i128 * (self.cb[r] - acc_c) as i128) / inst.c[j] as i128) as i64;
                total += (acc_s + part).min(top_at(self.ck[r]));
                r += 1;
            }
            acc_c += inst.c[j];
            acc_s += inst.s[j];
        }
        for q in r..np {
            total += acc_s.min(top_at(self.ck[q]));
        }
        total
    }
}
