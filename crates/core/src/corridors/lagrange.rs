//! The strong bound for compound-sized rounds: relax "each building in at most one phase" with a
//! price π per building. Then every phase independently takes its most profitable set (profit
//! w_p·score − π per building, within its budget and places), and
//!
//!   value of any schedule ≤ Σ π + Σ_p best_p(π)   for every π ≥ 0.
//!
//! The best π are the duals of the configuration LP (each phase picks one feasible set), found by
//! column generation; the bound is then evaluated exactly in integers with π rounded to 1/D.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

use crate::corridors::inst::Inst;
use crate::corridors::knap::{self, Item, Knap};
use crate::corridors::simplex::Master;

/// The scale of the integer prices: π̃ = π·D.
pub(crate) const D: i64 = 64;

/// Simplex pivots column generation may spend in all (its tail adds little to the bound).
const PIVOTS: usize = 150_000;

/// Prices (scaled by [`D`]) from the configuration LP, seeded with the phases of a known schedule.
/// Every round's pricing knapsacks also evaluate the bound at that round's prices exactly, so
/// the prices returned are the round's best, whatever the floating-point master did.
pub(crate) fn prices(inst: &Inst, seed: &[usize], max_rounds: usize) -> Vec<i64> {
    let (n, np) = (inst.n, inst.np);
    let mut lp = Master::new(n + np);
    let mut sets = vec![Vec::new(); np];
    for (i, &p) in seed.iter().enumerate() {
        if p < np {
            sets[p].push(i);
        }
    }
    for (p, set) in sets.into_iter().enumerate() {
        if !set.is_empty() {
            add_column(inst, &mut lp, p, set);
        }
    }
    for p in 0..np {
        for i in 0..n {
            if inst.c[i] <= inst.b[p] && inst.s[i] > 0 {
                add_column(inst, &mut lp, p, vec![i]);
            }
        }
    }
    let value = inst.value(seed) as i128 * D as i128;
    let mut best: Option<(i128, Vec<i64>)> = None;
    let mut knap = Knap::default();
    let mut items = Vec::with_capacity(n);
    let mut pivots = PIVOTS;
    for _ in 0..max_rounds {
        if pivots == 0 {
            break;
        }
        pivots = pivots.saturating_sub(lp.optimise(pivots));
        let y = lp.duals();
        let pi: Vec<i64> = y[..n].iter().map(|&v| (v * D as f64).round().max(0.0) as i64).collect();
        let mut bound: i128 = pi.iter().map(|&v| v as i128).sum();
        let mut added = 0;
        for p in 0..np {
            items.clear();
            items.extend((0..n).map(|i| Item { profit: inst.s[i] * inst.w[p] * D - pi[i], cost: inst.c[i], id: i }));
            items.sort_by(knap::by_ratio);
            let k = knap.solve_sorted(items.iter().copied(), inst.b[p], inst.k[p]);
            bound += k.bound as i128;
            let ids: Vec<usize> = (0..n).filter(|&i| k.set >> i & 1 == 1).collect();
            let w = inst.w[p] as f64;
            let rc = ids.iter().map(|&i| w * inst.s[i] as f64 - y[i]).sum::<f64>() - y[n + p];
            if rc > 1e-6 * (1.0 + y[n + p].abs()) && !ids.is_empty() {
                add_column(inst, &mut lp, p, ids);
                added += 1;
            }
        }
        if best.as_ref().is_none_or(|(b, _)| bound < *b) {
            best = Some((bound, pi));
        }
        // proved: the known schedule meets the bound; or the master has nothing left to add
        if added == 0 || best.as_ref().is_some_and(|(b, _)| *b < value + D as i128) {
            break;
        }
    }
    best.map(|(_, pi)| pi).unwrap_or_else(|| vec![0; n])
}

fn add_column(inst: &Inst, lp: &mut Master, p: usize, mut set: Vec<usize>) {
    let obj = set.iter().map(|&i| inst.s[i] * inst.w[p]).sum::<i64>() as f64;
    set.push(inst.n + p);
    lp.add(set, obj);
}
