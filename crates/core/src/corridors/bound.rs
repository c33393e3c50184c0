//! The district's bound: the linear relaxation, through its Lagrangian in every phase's budget
//! (λ_p per fen) and places (μ_p per building). For any λ, μ ≥ 0,
//!
//!   value ≤ Σ_i max(0, max_p (w_p·s_i − λ_p·c_i − μ_p)) + Σ_p (λ_p·B_p + μ_p·K_p),
//!
//! since each building then picks its own best phase alone. The multipliers are found by
//! subgradient steps in floating point and the bound is evaluated exactly in integers, with the
//! multipliers as fractions over a common denominator.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

use crate::corridors::inst::Inst;

/// The common denominator of the multipliers.
const Q: i128 = 1 << 24;

/// Multipliers as integers over [`Q`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Multipliers {
    pub lambda: Vec<i128>,
    pub mu: Vec<i128>,
}

/// The exact bound (value units, rounded down) at given multipliers, with each item's best phase
/// (`np` when none pays) and the budget and places those picks use.
pub(crate) fn evaluate(inst: &Inst, m: &Multipliers) -> (i128, Vec<usize>) {
    let np = inst.np;
    let mut total: i128 = (0..np).map(|p| m.lambda[p] * inst.b[p] as i128 + m.mu[p] * inst.k[p] as i128).sum();
    let mut pick = vec![np; inst.n];
    for i in 0..inst.n {
        let (s, c) = (inst.s[i] as i128, inst.c[i] as i128);
        let mut best = 0i128;
        for p in 0..np {
            let v = s * inst.w[p] as i128 * Q - m.lambda[p] * c - m.mu[p];
            if v > best {
                best = v;
                pick[i] = p;
            }
        }
        total += best;
    }
    (total.div_euclid(Q), pick)
}

/// Multipliers that make the bound small, from up to `iters` subgradient steps aimed at `target`
/// (a known schedule's value): the steps run in floating point, and the step's multipliers are
/// evaluated exactly every so often and at the end; returns the least exact bound met.
pub(crate) fn minimise(inst: &Inst, target: i64, iters: usize) -> (i128, Multipliers) {
    let (n, np) = (inst.n, inst.np);
    // work in fractions of each budget and capacity so both kinds of multiplier have one scale
    let bs: Vec<f64> = inst.b.iter().map(|&b| b.max(1) as f64).collect();
    let ks: Vec<f64> = inst.k.iter().map(|&k| k.max(1) as f64).collect();
    let (mut lam, mut mu) = (vec![0.0f64; np], vec![0.0f64; np]);
    let to_int = |lam: &[f64], mu: &[f64]| Multipliers {
        lambda: (0..np).map(|p| (lam[p] / bs[p] * Q as f64).round().max(0.0) as i128).collect(),
        mu: (0..np).map(|p| (mu[p] / ks[p] * Q as f64).round().max(0.0) as i128).collect(),
    };
    let zero = Multipliers { lambda: vec![0; np], mu: vec![0; np] };
    let mut best = (evaluate(inst, &zero).0, zero);
    let (mut best_f, mut best_at) = (f64::INFINITY, (lam.clone(), mu.clone()));
    let (mut step, mut stall) = (2.0f64, 0);
    let (mut gl, mut gk) = (vec![0.0f64; np], vec![0.0f64; np]);
    for it in 0..iters {
        // the bound at (lam, mu) in floating point, and its subgradient
        let mut l: f64 = (0..np).map(|p| lam[p] + mu[p]).sum();
        gl.iter_mut().for_each(|g| *g = 1.0);
        gk.iter_mut().for_each(|g| *g = 1.0);
        for i in 0..n {
            let (s, c) = (inst.s[i] as f64, inst.c[i] as f64);
            let (mut bv, mut bp) = (0.0, np);
            for p in 0..np {
                let v = s * inst.w[p] as f64 - lam[p] * c / bs[p] - mu[p] / ks[p];
                if v > bv {
                    (bv, bp) = (v, p);
                }
            }
            l += bv;
            if bp < np {
                gl[bp] -= c / bs[bp];
                gk[bp] -= 1.0 / ks[bp];
            }
        }
        if l < best_f {
            (best_f, best_at, stall) = (l, (lam.clone(), mu.clone()), 0);
        } else {
            stall += 1;
            if stall >= 20 {
                step *= 0.7;
                stall = 0;
            }
        }
        if it % 200 == 199 {
            let m = to_int(&best_at.0, &best_at.1);
            let b = evaluate(inst, &m).0;
            if b < best.0 {
                best = (b, m);
            }
            if best.0 <= target as i128 {
                break;
            }
        }
        let norm: f64 = gl.iter().chain(&gk).map(|g| g * g).sum();
        if norm == 0.0 || step < 1e-12 {
            break;
        }
        let t = step * (l - target as f64).max(1.0) / norm;
        for p in 0..np {
            lam[p] = (lam[p] - t * gl[p]).max(0.0);
            mu[p] = (mu[p] - t * gk[p]).max(0.0);
        }
    }
    let m = to_int(&best_at.0, &best_at.1);
    let b = evaluate(inst, &m).0;
    if b < best.0 {
        best = (b, m);
    }
    best
}
