//! Strict order: buildings by descending score (ties by building number), each into the earliest
//! phase where its cost fits the budget left and a place is left; otherwise unscheduled.

use crate::corridors::inst::Inst;

/// Strict order's assignment by rank (`np` = unscheduled).
pub(crate) fn strict_assign(inst: &Inst) -> Vec<usize> {
    let mut left = inst.b.clone();
    let mut places = inst.k.clone();
    (0..inst.n)
        .map(|r| match (0..inst.np).find(|&p| places[p] > 0 && inst.c[r] <= left[p]) {
            Some(p) => {
                left[p] -= inst.c[r];
                places[p] -= 1;
                p
            }
            None => inst.np,
        })
        .collect()
}
