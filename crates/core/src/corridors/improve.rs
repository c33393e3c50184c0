//! Good schedules fast, as a start for the exact search and as the answer for a district: fill
//! the phases in order, each with its most valuable set of what is left, then improve by moving a
//! building to an earlier phase or swapping two, while any such step lowers the waiting score.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

use crate::corridors::inst::Inst;
use crate::corridors::knap::{self, Item};

/// Phase by phase, the highest-scoring set that fits the phase (exact for up to 128 open items,
/// by score per fen beyond).
pub(crate) fn fill_phases(inst: &Inst) -> Vec<usize> {
    let np = inst.np;
    let mut a = vec![np; inst.n];
    for p in 0..np {
        let open: Vec<usize> = (0..inst.n).filter(|&i| a[i] == np && inst.c[i] <= inst.b[p]).collect();
        if open.len() <= 128 {
            let items: Vec<Item> =
                open.iter().enumerate().map(|(id, &i)| Item { profit: inst.s[i], cost: inst.c[i], id }).collect();
            for id in knap::solve(&items, inst.b[p], inst.k[p]).1 {
                a[open[id]] = p;
            }
        } else {
            let mut by: Vec<usize> = open;
            by.sort_by(|&x, &y| {
                (inst.s[y] as i128 * inst.c[x] as i128).cmp(&(inst.s[x] as i128 * inst.c[y] as i128)).then(x.cmp(&y))
            });
            let (mut left, mut room) = (inst.b[p], inst.k[p]);
            for i in by {
                if room > 0 && inst.c[i] <= left {
                    left -= inst.c[i];
                    room -= 1;
                    a[i] = p;
                }
            }
        }
    }
    a
}

/// Improves an assignment by single moves to earlier phases and pairwise swaps until none helps.
pub(crate) fn local_search(inst: &Inst, assign: &mut [usize]) {
    let np = inst.np;
    let w = |p: usize| if p < np { inst.w[p] } else { 0 };
    let mut load = vec![0i64; np + 1];
    let mut count = vec![0i64; np + 1];
    for (i, &p) in assign.iter().enumerate() {
        load[p] += inst.c[i];
        count[p] += 1;
    }
    let fits = |load: &[i64], p: usize, delta: i64| p == np || load[p] + delta <= inst.b[p];
    loop {
        let mut improved = false;
        // moves: a building into an earlier phase with money and a place left
        for i in 0..inst.n {
            let a = assign[i];
            if let Some(b) = (0..a.min(np)).find(|&b| count[b] < inst.k[b] && fits(&load, b, inst.c[i]))
                && inst.s[i] > 0
            {
                load[a] -= inst.c[i];
                count[a] -= 1;
                load[b] += inst.c[i];
                count[b] += 1;
                assign[i] = b;
                improved = true;
            }
        }
        // swaps: i (in a later phase) with a lower-scored j in an earlier phase
        for i in 0..inst.n {
            let mut best: Option<(i64, usize)> = None;
            let a = assign[i];
            for j in 0..inst.n {
                let b = assign[j];
                if b >= a || inst.s[j] >= inst.s[i] {
                    continue;
                }
                let gain = (inst.s[i] - inst.s[j]) * (w(b) - w(a));
                let delta = inst.c[i] - inst.c[j];
                if gain > 0 && fits(&load, b, delta) && fits(&load, a, -delta) && best.is_none_or(|(g, _)| gain > g) {
                    best = Some((gain, j));
                }
            }
            if let Some((_, j)) = best {
                let (a, b) = (assign[i], assign[j]);
                let delta = inst.c[i] - inst.c[j];
                load[b] += delta;
                load[a] -= delta;
                assign.swap(i, j);
                improved = true;
            }
        }
        if !improved {
            return;
        }
    }
}

/// Re-chooses each phase in turn, exactly, from its own buildings, the unscheduled ones and the
/// later phases' (which would move up), then lets the displaced move into later phases; repeats
/// while the value rises. For up to 128 candidates a phase.
pub(crate) fn refill(inst: &Inst, assign: &mut [usize]) {
    let np = inst.np;
    let w = |p: usize| if p < np { inst.w[p] } else { 0 };
    let mut value = inst.value(assign);
    loop {
        let before = value;
        for p in 0..np {
            let cand: Vec<usize> = (0..inst.n).filter(|&i| assign[i] >= p && inst.c[i] <= inst.b[p]).collect();
            if cand.len() > 128 {
                continue;
            }
            let own: i64 = (0..inst.n).filter(|&i| assign[i] == p).map(|i| inst.s[i] * inst.w[p]).sum();
            let items: Vec<Item> = cand
                .iter()
                .enumerate()
                .map(|(id, &i)| {
                    let profit =
                        if assign[i] == p { inst.s[i] * inst.w[p] } else { inst.s[i] * (inst.w[p] - w(assign[i])) };
                    Item { profit, cost: inst.c[i], id }
                })
                .collect();
            let (v, ids) = knap::solve(&items, inst.b[p], inst.k[p]);
            if v > own {
                let mut trial = assign.to_vec();
                for &i in &cand {
                    if trial[i] == p {
                        trial[i] = np;
                    }
                }
                for id in ids {
                    trial[cand[id]] = p;
                }
                local_search(inst, &mut trial);
                let tv = inst.value(&trial);
                if tv > value {
                    assign.copy_from_slice(&trial);
                    value = tv;
                }
            }
        }
        if value == before {
            return;
        }
    }
}

/// Phases in order, each filled with the open buildings by score per (cost + θ) while they fit:
/// θ prices a crew place in fen, so a tight capacity favours high scores over cheap plans.
pub(crate) fn fill_by_key(inst: &Inst, theta: i64) -> Vec<usize> {
    let np = inst.np;
    let mut by: Vec<usize> = (0..inst.n).collect();
    let key = |i: usize| (inst.c[i] + theta) as i128;
    by.sort_by(|&x, &y| (inst.s[y] as i128 * key(x)).cmp(&(inst.s[x] as i128 * key(y))).then(x.cmp(&y)));
    let mut a = vec![np; inst.n];
    for p in 0..np {
        let (mut left, mut room) = (inst.b[p], inst.k[p]);
        for &i in &by {
            if room == 0 {
                break;
            }
            if a[i] == np && inst.c[i] <= left {
                left -= inst.c[i];
                room -= 1;
                a[i] = p;
            }
        }
    }
    a
}

/// Repairs the relaxation's picks (each building's own best phase, which may overfill phases):
/// phase by phase, its picks by score per fen while they fit; the rest then fill the space left,
/// earliest phase first, best score per (cost + θ) first.
pub(crate) fn repair_picks(inst: &Inst, pick: &[usize], theta: i64) -> Vec<usize> {
    let np = inst.np;
    let mut a = vec![np; inst.n];
    let mut left = inst.b.clone();
    let mut room = inst.k.clone();
    let key = |i: usize| (inst.c[i] + theta) as i128;
    let mut by: Vec<usize> = (0..inst.n).collect();
    by.sort_by(|&x, &y| (inst.s[y] as i128 * key(x)).cmp(&(inst.s[x] as i128 * key(y))).then(x.cmp(&y)));
    for p in 0..np {
        for &i in &by {
            if pick[i] == p && a[i] == np && room[p] > 0 && inst.c[i] <= left[p] {
                a[i] = p;
                left[p] -= inst.c[i];
                room[p] -= 1;
            }
        }
    }
    for p in 0..np {
        for &i in &by {
            if a[i] == np && room[p] > 0 && inst.c[i] <= left[p] {
                a[i] = p;
                left[p] -= inst.c[i];
                room[p] -= 1;
            }
        }
    }
    a
}

/// Makes phase `p` fit its budget and capacity again (after they shrank) by unscheduling its
/// lowest-scored buildings, one at a time.
pub(crate) fn make_room(inst: &Inst, assign: &mut [usize], p: usize) {
    let np = inst.np;
    loop {
        let members: Vec<usize> = (0..inst.n).filter(|&i| assign[i] == p).collect();
        let cost: i64 = members.iter().map(|&i| inst.c[i]).sum();
        if cost <= inst.b[p] && members.len() as i64 <= inst.k[p] {
            return;
        }
        let Some(&out) = members.iter().min_by_key(|&&i| (inst.s[i], std::cmp::Reverse(inst.c[i]))) else {
            return;
        };
        assign[out] = np;
    }
}
