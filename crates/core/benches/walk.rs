//! `cargo bench -p gongzhi-core --bench walk`: a what-if recomputed in full (the scenario applied,
//! every entrance's nearest bin room before and after, the comparison), against the naive way in
//! the same run (one Dijkstra per entrance and state, stopping at the first bin room). Target: a
//! 2,000-node compound in under 50 ms.

use gongzhi_core::map::dijkstra::nearest_from;
use gongzhi_core::map::{Comparison, Scenario, WalkMap, demo, geojson, walk_cli, what_if};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The median of `runs` timings of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Every entrance's walk before and after, one search per entrance and state.
fn naive(map: &WalkMap, scenario: &Scenario) -> Vec<(Option<u64>, Option<u64>)> {
    let after = scenario.apply(map).expect("the scenario applies");
    let (adj_b, adj_a) = (map.open_adjacency(), after.open_adjacency());
    map.entrances()
        .map(|(i, _, _)| {
            let b = nearest_from(map, &adj_b, i, None).map(|n| n.mm);
            let a = nearest_from(&after, &adj_a, i, None).map(|n| n.mm);
            (b, a)
        })
        .collect()
}

fn walks(c: &Comparison) -> Vec<(Option<u64>, Option<u64>)> {
    c.entrances.iter().map(|e| (e.before_mm, e.after_mm)).collect()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut instances = vec![("demo compound (story)".to_string(), demo::compound(), demo::story(), 201, 51)];
    for (n, runs, naive_runs) in [(2_000, 201, 11), (20_000, 21, 3)] {
        let (m, s) = demo::synthetic(n, 0x5eed + n as u64);
        instances.push((format!("synthetic {n}"), m, s, runs, naive_runs));
    }
    println!(
        "| instance | nodes | edges | entrances | what-if recompute (median) | naive: Dijkstra per entrance (median) | ratio | `walk_cli` from GeoJSON text (median) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, map, scenario, runs, naive_runs) in instances {
        let fast = what_if(&map, &scenario, None).expect("the scenario applies");
        assert_eq!(walks(&fast), naive(&map, &scenario), "{name}: both ways agree");
        let t_fast = median(runs, || what_if(&map, &scenario, None).unwrap());
        let t_naive = median(naive_runs, || naive(&map, &scenario));
        // the CLI path: parse the GeoJSON, read the options, recompute, build the output
        let text = geojson::export_string(&map);
        let (mut paths, mut opens) = (Vec::new(), Vec::new());
        for c in &scenario.changes {
            let s = c.to_string();
            let (opt, val) = s.split_once(' ').unwrap();
            if opt == "--add-path" { paths.push(val.to_string()) } else { opens.push(val.to_string()) }
        }
        let t_cli = median(runs.min(51), || walk_cli(&text, &paths, &opens).unwrap());
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.0}× | {} |",
            map.nodes.len(),
            map.edges.len(),
            fast.entrances.len(),
            ms(t_fast),
            ms(t_naive),
            t_naive.as_secs_f64() / t_fast.as_secs_f64(),
            ms(t_cli),
        );
    }
}
