//! A small dense primal simplex for the column-generation master: maximise c·z subject to
//! A z ≤ 1, z ≥ 0, with 0/1 columns. Floating point is fine here: it only steers the
//! multipliers, and every bound reported is re-evaluated exactly in integers.

// index loops read closer to the arithmetic they implement
#![allow(clippy::needless_range_loop)]

/// The master LP: `m` rows (all with right-hand side 1). Variables `0..m` are the rows'
/// slacks; columns added by [`Master::add`] follow.
pub(crate) struct Master {
    m: usize,
    /// Each variable: its rows and objective.
    vars: Vec<(Vec<usize>, f64)>,
    /// Basis inverse, row-major m × m.
    binv: Vec<f64>,
    /// Basic variable of each row.
    basis: Vec<usize>,
    /// Value of each row's basic variable.
    xb: Vec<f64>,
    in_basis: Vec<bool>,
}

const EPS: f64 = 1e-9;
/// The smallest pivot accepted: smaller ones amplify rounding.
const PIVOT: f64 = 1e-7;

impl Master {
    pub fn new(m: usize) -> Master {
        let mut binv = vec![0.0; m * m];
        for r in 0..m {
            binv[r * m + r] = 1.0;
        }
        Master {
            m,
            vars: (0..m).map(|r| (vec![r], 0.0)).collect(),
            binv,
            basis: (0..m).collect(),
            xb: vec![1.0; m],
            in_basis: vec![true; m],
        }
    }

    pub fn add(&mut self, rows: Vec<usize>, obj: f64) {
        self.vars.push((rows, obj));
        self.in_basis.push(false);
    }

    /// Row duals y = c_B B⁻¹.
    pub fn duals(&self) -> Vec<f64> {
        let m = self.m;
        let mut y = vec![0.0; m];
        for (r, &j) in self.basis.iter().enumerate() {
            let c = self.vars[j].1;
            if c != 0.0 {
                for (k, yk) in y.iter_mut().enumerate() {
                    *yk += c * self.binv[r * m + k];
                }
            }
        }
        y
    }

    #[cfg(test)]
    pub fn objective(&self) -> f64 {
        self.basis.iter().zip(&self.xb).map(|(&j, x)| self.vars[j].1 * x).sum()
    }

    /// Pivots to optimality over the present columns, at most `max_iter` pivots; Dantzig's rule,
    /// then Bland's after a run of degenerate pivots so it cannot cycle. Returns the pivots made.
    pub fn optimise(&mut self, max_iter: usize) -> usize {
        let m = self.m;
        let mut degenerate = 0;
        let mut pivots = 0usize;
        let mut d = vec![0.0; m];
        for _ in 0..max_iter {
            let y = self.duals();
            let bland = degenerate > 30;
            let mut enter: Option<(usize, f64)> = None;
            for (j, (rows, c)) in self.vars.iter().enumerate() {
                if self.in_basis[j] {
                    continue;
                }
                let rc = c - rows.iter().map(|&r| y[r]).sum::<f64>();
                if rc > EPS * (1.0 + c.abs()) && enter.is_none_or(|(_, b)| rc > b) {
                    enter = Some((j, rc));
                    if bland {
                        break;
                    }
                }
            }
            let Some((j, _)) = enter else { return pivots };
            d.iter_mut().for_each(|x| *x = 0.0);
            for &r in &self.vars[j].0 {
                for (k, dk) in d.iter_mut().enumerate() {
                    *dk += self.binv[k * m + r];
                }
            }
            // Harris's ratio test: among rows within a hair of the least ratio, the largest pivot
            // (stable), or under Bland's rule the lowest basic variable (cannot cycle)
            let mut theta = f64::INFINITY;
            for r in 0..m {
                if d[r] > PIVOT {
                    theta = theta.min((self.xb[r] + 1e-9) / d[r]);
                }
            }
            let mut leave: Option<(usize, f64)> = None;
            for r in 0..m {
                if d[r] > PIVOT && self.xb[r] / d[r] <= theta {
                    let better = match leave {
                        None => true,
                        Some((lr, _)) if bland => self.basis[r] < self.basis[lr],
                        Some((lr, _)) => d[r] > d[lr],
                    };
                    if better {
                        leave = Some((r, self.xb[r] / d[r]));
                    }
                }
            }
            let Some((lr, ratio)) = leave else { return pivots };
            degenerate = if ratio < EPS { degenerate + 1 } else { 0 };
            let piv = d[lr];
            for k in 0..m {
                self.binv[lr * m + k] /= piv;
            }
            self.xb[lr] /= piv;
            for r in 0..m {
                let f = d[r];
                if r != lr && f != 0.0 {
                    for k in 0..m {
                        self.binv[r * m + k] -= f * self.binv[lr * m + k];
                    }
                    self.xb[r] = (self.xb[r] - f * self.xb[lr]).max(0.0);
                }
            }
            self.in_basis[self.basis[lr]] = false;
            self.basis[lr] = j;
            self.in_basis[j] = true;
            pivots += 1;
            if pivots.is_multiple_of(64) {
                self.reinvert();
            }
        }
        pivots
    }

    /// Recomputes B⁻¹ and the basic values from the basis (Gauss-Jordan, partial pivoting), so
    /// rounding from many updates does not pile up.
    fn reinvert(&mut self) {
        let m = self.m;
        let mut a = vec![0.0f64; m * m];
        for (col, &j) in self.basis.iter().enumerate() {
            for &r in &self.vars[j].0 {
                a[r * m + col] = 1.0;
            }
        }
        let mut inv = vec![0.0f64; m * m];
        for r in 0..m {
            inv[r * m + r] = 1.0;
        }
        for col in 0..m {
            let Some(pr) = (col..m).max_by(|&x, &y| a[x * m + col].abs().total_cmp(&a[y * m + col].abs())) else {
                return;
            };
            if a[pr * m + col].abs() < 1e-12 {
                return; // singular by rounding: keep the updated inverse
            }
            for k in 0..m {
                a.swap(pr * m + k, col * m + k);
                inv.swap(pr * m + k, col * m + k);
            }
            let piv = a[col * m + col];
            for k in 0..m {
                a[col * m + k] /= piv;
                inv[col * m + k] /= piv;
            }
            for r in 0..m {
                let f = a[r * m + col];
                if r != col && f != 0.0 {
                    for k in 0..m {
                        a[r * m + k] -= f * a[col * m + k];
                        inv[r * m + k] -= f * inv[col * m + k];
                    }
                }
            }
        }
        // inv is B⁻¹ with B's columns in basis order: row `col` of inv gives basic variable `col`
        self.binv = inv;
        for r in 0..m {
            self.xb[r] = (0..m).map(|k| self.binv[r * m + k]).sum::<f64>().max(0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_set_packing_lp() {
        // rows: items a, b, c; columns {a,b}=3, {b,c}=3, {a,c}=3, {a}=1: optimum 4.5 (all halves)
        let mut lp = Master::new(3);
        lp.add(vec![0, 1], 3.0);
        lp.add(vec![1, 2], 3.0);
        lp.add(vec![0, 2], 3.0);
        lp.add(vec![0], 1.0);
        lp.optimise(100);
        assert!((lp.objective() - 4.5).abs() < 1e-9, "{}", lp.objective());
        let y = lp.duals();
        assert!((y.iter().sum::<f64>() - 4.5).abs() < 1e-9);
    }
}
