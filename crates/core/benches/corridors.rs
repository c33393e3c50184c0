//! Corridor schedules: strict order (the baseline) and best value on the story's 33 buildings,
//! compound rounds of 60, and a district of 5,000; the time, the objective, the proved bound
//! and the gap between them, all in one run. `cargo bench -p gongzhi-core --bench corridors`

use gongzhi_core::corridors::sample::sample_round;
use gongzhi_core::corridors::{Policy, best_value, costs_of_moving_up, plan, strict};
use std::time::Instant;

fn main() {
    let cases: &[(&str, u64, usize, usize, i64, u32)] = &[
        ("story: 33 buildings, 4 phases × 300,000, 4 a phase", 2018, 33, 4, 300_000, 4),
        ("33 buildings, 4 × 300,000, 4 a phase (seed 7)", 7, 33, 4, 300_000, 4),
        ("60 buildings, 4 × 300,000, 4 a phase", 60, 60, 4, 300_000, 4),
        ("60 buildings, 6 × 300,000, 4 a phase", 60, 60, 6, 300_000, 4),
        ("60 buildings, 8 × 400,000, 5 a phase", 60, 60, 8, 400_000, 5),
        ("60 buildings, 12 × 400,000, 5 a phase (all fit)", 60, 60, 12, 400_000, 5),
        ("district: 5,000 buildings, 12 × 20,000,000, 260 a phase", 42, 5000, 12, 20_000_000, 260),
    ];
    println!(
        "| instance | strict objective | strict time | best value | bound | gap | proved | nodes | best-value time |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|---:|---:|");
    for &(name, seed, n, phases, budget, capacity) in cases {
        let round = sample_round(seed, n, phases, budget, capacity);
        let t = Instant::now();
        let s = strict(&round);
        let ts = t.elapsed();
        let t = Instant::now();
        let b = best_value(&round);
        let tb = t.elapsed();
        let proof = b.proof.expect("best value carries its proof");
        assert!(b.objective <= s.objective, "best value is never worse than strict");
        let gap = (b.objective.0 - proof.bound.0) as f64 / proof.bound.0.max(1) as f64 * 100.0;
        println!(
            "| {name} | {} | {:.0} µs | {} | {} | {gap:.4}% | {} | {} | {:.1} ms |",
            s.objective,
            ts.as_secs_f64() * 1e6,
            b.objective,
            proof.bound,
            if b.proved() { "yes" } else { "no" },
            if proof.exact { proof.nodes.to_string() } else { "—".into() },
            tb.as_secs_f64() * 1e3,
        );
    }

    // what the CLI does on top: every building's explanation (best value prices moving each earlier)
    println!();
    println!("| with explanations (`plan`) | strict | best value | costs of moving earlier: exact / given |");
    println!("|---|---:|---:|---:|");
    for &(name, seed, n, phases, budget, capacity) in cases {
        let round = sample_round(seed, n, phases, budget, capacity);
        let t = Instant::now();
        let _ = plan(&round, Policy::Strict);
        let ts = t.elapsed();
        let t = Instant::now();
        let _ = plan(&round, Policy::BestValue);
        let tb = t.elapsed();
        let costs = costs_of_moving_up(&round, &best_value(&round));
        let given = costs.iter().flatten().count();
        let exact = costs.iter().flatten().filter(|c| c.exact().is_some()).count();
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {exact} / {given} |",
            ts.as_secs_f64() * 1e3,
            tb.as_secs_f64() * 1e3
        );
    }
}
