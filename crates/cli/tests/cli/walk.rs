//! `gongzhi walk` agrees with an independent shortest-path computation: `scripts/walk-check.py`,
//! networkx's Dijkstra over the same GeoJSON with lines measured by geographiclib (Karney's
//! geodesic, not gongzhi's Vincenty), in unrounded floating-point metres. Checked on the demo
//! compound with the committee's shortcut and opened wall, and on synthetic compounds with many
//! lines left unmeasured so the geodesic is exercised too.

use crate::commands::{dir, file, gongzhi, stderr, stdout};
use anyhow::{Context, ensure};
use gongzhi_core::map::{demo, geojson};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The CLI prints metres to one decimal, and rounds each line to a millimetre before adding them
/// up; the independent walk does neither. Two walks agree when they differ by at most this.
const SLACK_M: f64 = 0.051 + 0.0005 * 60.0;

/// The independent walk's answer: entrance → (households, bin → metres before, after).
fn independent(map: &std::path::Path, args: &[String]) -> anyhow::Result<Value> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = std::env::var("GONGZHI_TEST_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target/test-venv/bin/python"));
    ensure!(python.exists(), "{} is missing: run scripts/test-venv", python.display());
    let o = Command::new(python).arg(root.join("scripts/walk-check.py")).arg(map).args(args).output()?;
    ensure!(o.status.success(), "walk-check.py: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).context("walk-check.py's JSON")
}

/// The nearest bin's distance in `walks` (bin → metres), if any is reachable.
fn nearest(walks: &Value) -> Option<f64> {
    walks.as_object().unwrap().values().map(|m| m.as_f64().unwrap()).min_by(f64::total_cmp)
}

/// Runs both on `map_text` with the `changes` (as the CLI's arguments) and compares entrance by
/// entrance: the distance, that the bin named is one at that distance, the households gaining
/// and the means. Returns how many entrances gained.
fn agree(name: &str, map_text: &str, changes: &[String]) -> usize {
    let d = dir();
    let map = file(&d, &format!("{name}.geojson"), map_text);
    let mut args: Vec<&str> = vec!["walk", "--map", map.to_str().unwrap()];
    args.extend(changes.iter().map(String::as_str));
    let o = gongzhi(&args);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    let cli: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let other = independent(&map, changes).unwrap();
    let other = other["entrances"].as_object().unwrap();
    let entrances = cli["entrances"].as_array().unwrap();
    assert_eq!(entrances.len(), other.len(), "{name}: every entrance, once");

    let (mut gaining, mut sums) = (0u64, [(0.0f64, 0u64); 2]);
    for e in entrances {
        let id = e["id"].as_str().unwrap();
        let theirs = &other[id];
        assert_eq!(e["households"], theirs["households"], "{name} {id}");
        let households = e["households"].as_u64().unwrap();
        for (i, when) in ["before", "after"].into_iter().enumerate() {
            let walks = &theirs[when];
            match (e[when].as_f64(), nearest(walks)) {
                (None, None) => {}
                (Some(ours), Some(best)) => {
                    assert!((ours - best).abs() <= SLACK_M, "{name} {id} {when}: gongzhi {ours} m, networkx {best} m");
                    if when == "after" {
                        // the bin named is one of the nearest (ties may go either way)
                        let bin = e["bin"].as_str().unwrap();
                        let to_bin = walks[bin].as_f64().unwrap_or_else(|| panic!("{name} {id}: {bin} unreachable"));
                        assert!((to_bin - best).abs() <= SLACK_M, "{name} {id}: {bin} at {to_bin} m, nearest {best} m");
                    }
                    sums[i].0 += best * households as f64;
                    sums[i].1 += households;
                }
                (ours, best) => panic!("{name} {id} {when}: gongzhi {ours:?}, networkx {best:?}"),
            }
        }
        let (before, after) = (nearest(&theirs["before"]), nearest(&theirs["after"]));
        let gains = match (before, after) {
            (None, Some(_)) => true,
            (Some(b), Some(a)) => b - a > SLACK_M,
            _ => false,
        };
        if gains {
            gaining += households;
            assert!(e["gain"].as_f64().is_none_or(|g| g > 0.0), "{name} {id}: gains {:?}", e["gain"]);
        } else if let Some(g) = e["gain"].as_f64() {
            assert!(g <= SLACK_M, "{name} {id}: gongzhi gains {g} m, networkx none");
        }
    }
    // an entrance whose gain is within the slack could be counted by either; none is, here
    assert_eq!(cli["households_gaining"].as_u64(), Some(gaining), "{name}: households gaining");
    for (i, key) in ["mean_before", "mean_after"].into_iter().enumerate() {
        match (cli[key].as_f64(), sums[i].1) {
            (None, 0) => {} // no entrance reaches a bin room
            (Some(ours), n) if n > 0 => {
                let mean = sums[i].0 / n as f64;
                assert!((ours - mean).abs() <= SLACK_M, "{name} {key}: gongzhi {ours}, networkx {mean}");
            }
            (ours, n) => panic!("{name} {key}: gongzhi {ours:?}, networkx over {n} households"),
        }
    }
    gaining as usize
}

fn cli_args(s: &gongzhi_core::map::scenario::Scenario) -> Vec<String> {
    s.changes
        .iter()
        .flat_map(|c| c.to_string().split_once(' ').map(|(a, b)| [a.to_string(), b.to_string()]))
        .flatten()
        .collect()
}

#[test]
fn walk_agrees_with_networkx_on_the_demo_compound_and_its_shortcut_and_wall() {
    let changes = cli_args(&demo::story());
    assert_eq!(changes, ["--add-path", "south-gap,bin-south", "--open", "wall-inside,car-park"]);
    // as exported (every line measured) and with no line measured: gongzhi's Vincenty against Karney
    let exported = demo::geojson();
    let mut bare: Value = serde_json::from_str(&exported).unwrap();
    for f in bare["features"].as_array_mut().unwrap() {
        f["properties"].as_object_mut().unwrap().remove("length");
    }
    assert!(agree("demo", &exported, &changes) > 0, "the shortcut and the wall shorten someone's walk");
    assert!(agree("demo-unmeasured", &bare.to_string(), &changes) > 0);
}

#[test]
fn walk_agrees_with_networkx_on_synthetic_compounds() {
    let mut gaining = 0;
    for seed in [1, 7, 2026, 11, 42] {
        let (map, scenario) = demo::synthetic(600, seed);
        let mut v = geojson::export(&map);
        // every third line unmeasured: gongzhi measures it along its coordinates
        for (i, f) in v["features"].as_array_mut().unwrap().iter_mut().enumerate() {
            if f["geometry"]["type"] == "LineString" && i % 3 == 0 {
                f["properties"].as_object_mut().unwrap().remove("length");
            }
        }
        gaining += agree(&format!("synthetic-{seed}"), &v.to_string(), &cli_args(&scenario));
    }
    assert!(gaining > 0, "some what-if shortens someone's walk");
}
