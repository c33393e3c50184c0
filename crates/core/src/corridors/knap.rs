//! An exact 0-1 knapsack with a cardinality limit: the most profit from items with costs, within
//! a budget and at most `k` items (the open buildings of one phase). Depth-first branch and bound
//! on items by profit per fen; the bound is the linear relaxation through its Lagrangian in the
//! cardinality: g(μ) = μ·room + the fractional knapsack of the profits (p − μ)⁺, at μ = 0 and
//! at the μ best for the whole instance. A node cap keeps it bounded; then the answer carries the
//! root's bound instead of a proof.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

use std::cmp::Ordering;

/// One candidate: its profit and cost (≥ 0), with the caller's id (below 128).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item {
    pub profit: i64,
    pub cost: i64,
    pub id: usize,
}

/// The answer: the best profit found, its ids as a bit set, and an upper bound (== `value` when
/// the search finished).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Packed {
    pub value: i64,
    pub set: u128,
    pub bound: i64,
}

/// Nodes one knapsack may take before it settles for its bound, unless the caller sets another.
const NODE_CAP: u64 = 200_000;

/// Reusable buffers, so the branch and bound above can call it at every node without allocating.
#[derive(Default)]
pub(crate) struct Knap {
    items: Vec<Item>,
    /// Positions in `items` ordered by (p − μ*)/c, items with p > μ* only.
    alt: Vec<usize>,
    mu: i64,
    chosen: Vec<bool>,
    best_chosen: Vec<bool>,
    best: i64,
    nodes: u64,
    /// This instance's cap on nodes per call (0: [`NODE_CAP`]).
    pub cap: u64,
    /// Nodes over all calls, for a caller's work budget.
    pub work: u64,
}

/// Orders items by profit per fen, best first (free items first), then by profit.
pub(crate) fn by_ratio(a: &Item, b: &Item) -> Ordering {
    ratio_cmp(a.profit, a.cost, b.profit, b.cost).then(b.profit.cmp(&a.profit)).then(a.id.cmp(&b.id))
}

fn ratio_cmp(pa: i64, ca: i64, pb: i64, cb: i64) -> Ordering {
    (pb as i128 * ca as i128).cmp(&(pa as i128 * cb as i128))
}

/// The best profit and the chosen ids. Items with profit ≤ 0 or cost > budget are ignored.
pub(crate) fn solve(items: &[Item], budget: i64, k: i64) -> (i64, Vec<usize>) {
    let mut v: Vec<Item> = items.to_vec();
    v.sort_by(by_ratio);
    let p = Knap::default().solve_sorted(v.into_iter(), budget, k);
    (p.value, (0..128).filter(|&i| p.set >> i & 1 == 1).collect())
}

impl Knap {
    /// A solver whose calls each stop after `cap` nodes.
    pub fn with_cap(cap: u64) -> Knap {
        Knap { cap, ..Knap::default() }
    }

    /// Like [`solve`], for items already in [`by_ratio`] order.
    pub fn solve_sorted(&mut self, items: impl Iterator<Item = Item>, budget: i64, k: i64) -> Packed {
        self.solve_with_mu(items, budget, k, &mut None)
    }

    /// Like [`Knap::solve_sorted`], taking the cardinality multiplier from `mu` when it has one
    /// (a previous call's, for a similar instance: any μ ≥ 0 gives a valid bound) and leaving the
    /// one used there.
    pub fn solve_with_mu(
        &mut self,
        items: impl Iterator<Item = Item>,
        budget: i64,
        k: i64,
        mu: &mut Option<i64>,
    ) -> Packed {
        self.items.clear();
        self.items.extend(items.filter(|it| it.profit > 0 && it.cost <= budget));
        let n = self.items.len();
        if n == 0 || k <= 0 {
            return Packed { value: 0, set: 0, bound: 0 };
        }
        let all = |it: &[Item]| it.iter().fold(0u128, |m, x| m | 1u128 << x.id);
        if n as i64 <= k && self.items.iter().map(|it| it.cost).sum::<i64>() <= budget {
            let v = self.items.iter().map(|it| it.profit).sum();
            return Packed { value: v, set: all(&self.items), bound: v };
        }
        match *mu {
            Some(m) => self.set_mu(m),
            None => {
                self.choose_mu(budget, k);
                *mu = Some(self.mu);
            }
        }
        self.best = 0;
        self.best_chosen.clear();
        self.best_chosen.resize(n, false);
        self.greedy(budget, k, false);
        self.greedy(budget, k, true);
        let (root, fixed) = self.reduce(budget, k);
        let Some((fixed_in, left, room, val)) = fixed else {
            // nothing better than the greedy fill exists
            return Packed { value: self.best, set: self.best_set(), bound: self.best };
        };
        // the core: items neither fixed in nor out, in ratio order
        let core: Vec<Item> = (0..n).filter(|&j| fixed_in[j] == 0).map(|j| self.items[j]).collect();
        let base: u128 = (0..n).filter(|&j| fixed_in[j] == 1).fold(0u128, |m, j| m | 1u128 << self.items[j].id);
        let outside_best = (self.best, self.best_set());
        self.items = core;
        let m = self.items.len();
        // the root's μ still bounds the core (any μ ≥ 0 does); only the order is redone
        self.set_mu(self.mu);
        self.chosen.clear();
        self.chosen.resize(m, false);
        self.best_chosen.clear();
        self.best_chosen.resize(m, false);
        let target = outside_best.0 - val;
        self.best = target;
        self.nodes = 0;
        let finished = self.dfs(0, left, room, 0);
        let found = self.best > target;
        let (value, set) = if found { (self.best + val, self.best_set() | base) } else { outside_best };
        Packed { value, set, bound: if finished { value } else { root.max(value) } }
    }

    fn best_set(&self) -> u128 {
        (0..self.items.len()).filter(|&j| self.best_chosen[j]).fold(0u128, |m, j| m | 1u128 << self.items[j].id)
    }

    /// Reduced-cost fixing at the root's linear relaxation (multipliers μ* and λ*): an item whose
    /// forced change would drop the bound to the best known is fixed. Returns the root bound and,
    /// unless nothing better can exist, each item's state (0 open, 1 in, 2 out) with the budget,
    /// room and profit the fixed-in items leave.
    #[allow(clippy::type_complexity)]
    fn reduce(&self, budget: i64, k: i64) -> (i64, Option<(Vec<u8>, i64, i64, i64)>) {
        let mu = self.mu;
        // λ* = num/den: the critical item's ratio in μ* order (0 when everything fits)
        let (mut left, mut num, mut den) = (budget, 0i128, 1i128);
        for &j in &self.alt {
            let it = self.items[j];
            if it.cost <= left {
                left -= it.cost;
            } else {
                (num, den) = ((it.profit - mu) as i128, it.cost as i128);
                break;
            }
        }
        let red = |it: &Item| (it.profit - mu) as i128 * den - num * it.cost as i128;
        let g: i128 = mu as i128 * k as i128 * den
            + num * budget as i128
            + self.items.iter().map(|it| red(it).max(0)).sum::<i128>();
        let root = (g / den) as i64;
        let best = self.best as i128 * den;
        if g < best + den {
            return (root, None);
        }
        let mut state = vec![0u8; self.items.len()];
        let (mut left, mut room, mut val) = (budget, k, 0i64);
        for (j, it) in self.items.iter().enumerate() {
            let r = red(it);
            if r < 0 && g + r < best + den {
                state[j] = 2;
            } else if r > 0 && g - r < best + den {
                state[j] = 1;
                left -= it.cost;
                room -= 1;
                val += it.profit;
            }
        }
        if left < 0 || room < 0 {
            return (root, None);
        }
        (root, Some((state, left, room, val)))
    }

    /// A μ near the one that minimises g(μ) at the root: g is convex and rises past the k-th
    /// largest profit (fewer than k items then gain), so a short ternary search over [0, p₍ₖ₎].
    fn choose_mu(&mut self, budget: i64, k: i64) {
        if self.items.is_empty() || k <= 0 {
            self.mu = 0;
            self.alt.clear();
            return;
        }
        let mut profits: Vec<i64> = self.items.iter().map(|it| it.profit).collect();
        let kth = (k as usize).min(profits.len()) - 1;
        let (_, &mut pk, _) = profits.select_nth_unstable_by(kth, |a, b| b.cmp(a));
        let (mut lo, mut hi) = (0i64, pk);
        let mut scratch = Vec::with_capacity(self.items.len());
        for _ in 0..12 {
            if hi - lo <= 2 {
                break;
            }
            let (m1, m2) = (lo + (hi - lo) / 3, hi - (hi - lo) / 3);
            if self.g_root(m1, budget, k, &mut scratch) <= self.g_root(m2, budget, k, &mut scratch) {
                hi = m2;
            } else {
                lo = m1;
            }
        }
        let (g_lo, g_hi) = (self.g_root(lo, budget, k, &mut scratch), self.g_root(hi, budget, k, &mut scratch));
        self.set_mu(if g_lo <= g_hi { lo } else { hi });
    }

    /// Takes μ and orders the items with a profit above it by (p − μ)/c.
    fn set_mu(&mut self, mu: i64) {
        self.mu = mu;
        self.alt.clear();
        self.alt.extend((0..self.items.len()).filter(|&j| self.items[j].profit > mu));
        let items = &self.items;
        self.alt.sort_by(|&a, &b| {
            ratio_cmp(items[a].profit - mu, items[a].cost, items[b].profit - mu, items[b].cost).then(a.cmp(&b))
        });
    }

    fn g_root(&self, mu: i64, budget: i64, k: i64, v: &mut Vec<(i64, i64)>) -> i64 {
        v.clear();
        v.extend(self.items.iter().filter(|it| it.profit > mu).map(|it| (it.profit - mu, it.cost)));
        v.sort_unstable_by(|a, b| ratio_cmp(a.0, a.1, b.0, b.1));
        mu * k + fractional(v.iter().copied(), budget)
    }

    /// Greedy fill in ratio order (or μ*-ratio order), kept if better.
    fn greedy(&mut self, budget: i64, k: i64, alt: bool) {
        let n = self.items.len();
        let order: Vec<usize> = if alt { self.alt.clone() } else { (0..n).collect() };
        let (mut left, mut room, mut val) = (budget, k, 0);
        let mut pick = vec![false; n];
        for j in order {
            if room > 0 && self.items[j].cost <= left {
                left -= self.items[j].cost;
                room -= 1;
                val += self.items[j].profit;
                pick[j] = true;
            }
        }
        if val > self.best {
            self.best = val;
            self.best_chosen = pick;
        }
    }

    /// False when the node cap stopped it.
    fn dfs(&mut self, j: usize, left: i64, room: i64, val: i64) -> bool {
        self.nodes += 1;
        self.work += 1;
        if self.nodes > if self.cap == 0 { NODE_CAP } else { self.cap } {
            return false;
        }
        if val > self.best {
            self.best = val;
            self.best_chosen.copy_from_slice(&self.chosen);
        }
        if j == self.items.len() || room == 0 || val + self.bound(j, left, room) <= self.best {
            return true;
        }
        let it = self.items[j];
        if it.cost <= left {
            self.chosen[j] = true;
            let ok = self.dfs(j + 1, left - it.cost, room - 1, val + it.profit);
            self.chosen[j] = false;
            if !ok {
                return false;
            }
        }
        self.dfs(j + 1, left, room, val)
    }

    /// min(g(0), g(μ*)) over the items from position `j` on.
    fn bound(&self, j: usize, left: i64, room: i64) -> i64 {
        let g0 = fractional(self.items[j..].iter().map(|it| (it.profit, it.cost)), left);
        let mu = self.mu;
        let g1 = mu * room
            + fractional(
                self.alt.iter().filter(|&&x| x >= j).map(|&x| (self.items[x].profit - mu, self.items[x].cost)),
                left,
            );
        g0.min(g1)
    }
}

/// The fractional knapsack of (profit, cost) pairs already in ratio order, rounded down.
fn fractional(items: impl Iterator<Item = (i64, i64)>, budget: i64) -> i64 {
    let (mut left, mut v) = (budget, 0i64);
    for (p, c) in items {
        if c <= left {
            left -= c;
            v += p;
        } else {
            return v + ((p as i128 * left as i128) / c as i128) as i64;
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(items: &[Item], budget: i64, k: i64) -> i64 {
        let n = items.len();
        (0..1u32 << n)
            .filter_map(|m| {
                let sel: Vec<&Item> = (0..n).filter(|&j| m >> j & 1 == 1).map(|j| &items[j]).collect();
                let c: i64 = sel.iter().map(|it| it.cost).sum();
                (c <= budget && sel.len() as i64 <= k).then(|| sel.iter().map(|it| it.profit.max(0)).sum())
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn cardinality_knapsack_matches_brute_force() {
        let mut x = 0x9e3779b97f4a7c15u64;
        let mut rnd = |m: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m) as i64
        };
        for _ in 0..400 {
            let n = 1 + rnd(12) as usize;
            let items: Vec<Item> = (0..n).map(|id| Item { profit: rnd(60) - 10, cost: rnd(50), id }).collect();
            let (budget, k) = (rnd(150), 1 + rnd(5));
            let (v, ids) = solve(&items, budget, k);
            assert_eq!(v, brute(&items, budget, k), "{items:?} {budget} {k}");
            // any cardinality multiplier carried over from another call still gives the optimum
            let mut sorted = items.clone();
            sorted.sort_by(by_ratio);
            let mut mu = Some(rnd(70));
            let p = Knap::default().solve_with_mu(sorted.into_iter(), budget, k, &mut mu);
            assert_eq!((p.value, p.bound), (v, v), "{items:?} {budget} {k} {mu:?}");
            assert!(ids.len() as i64 <= k);
            assert!(ids.iter().map(|&i| items[i].cost).sum::<i64>() <= budget);
            assert_eq!(ids.iter().map(|&i| items[i].profit).sum::<i64>(), v);
        }
    }
}
