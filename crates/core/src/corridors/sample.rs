//! Deterministic sample rounds for demos, tests and benchmarks: buildings numbered 1..=n with
//! corridor plans costing 40,000–120,000 yuan (to the hundred) and scores 50.00–95.00, like the
//! story's 33 buildings.

use crate::corridors::model::{Phase, Plan, Round, Score};
use crate::kit::Money;
use crate::registry::BuildingNo;

/// A tiny xorshift, so samples are the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
}

/// `n` plans from `seed` (any value; 0 is replaced).
pub fn sample_plans(seed: u64, n: usize) -> Vec<Plan> {
    let mut g = Rng(seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    (1..=n)
        .map(|b| Plan {
            building: BuildingNo::parse(&b.to_string()).unwrap_or_else(|| unreachable!("digits are a building number")),
            cost: Money::from_fen(g.between(400, 1200) * 100 * 100),
            score: Score::from_hundredths(g.between(5000, 9500)),
        })
        .collect()
}

/// A round of `n` sample plans over `phases` phases, each with `budget` yuan and `capacity` places.
pub fn sample_round(seed: u64, n: usize, phases: usize, budget: i64, capacity: u32) -> Round {
    let phases = vec![Phase { budget: Money::from_fen(budget * 100), capacity }; phases];
    Round::new(sample_plans(seed, n), phases).unwrap_or_else(|_| unreachable!("sample plans are valid"))
}
