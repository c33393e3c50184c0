//! The processes' commands that need no database, run as other tools run them: the JSON shapes
//! their issues spell out, key for key, and exit 2 naming what is wrong.

use crate::commands::{UNITS, dir, file, gongzhi, stderr, stdout};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let o = gongzhi(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

fn refused(args: &[&str], says: &str) {
    let o = gongzhi(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stdout(&o));
    assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
}

#[test]
fn elect_counts_approval_ballots_and_names_a_tie() {
    let d = dir();
    let u = file(&d, "units.csv", UNITS);
    let b = file(&d, "b.csv", "unit,approve\n1-101,甲;乙\n1-201,甲\n1-301,乙；丙\n1-302,乙;丙\n1-401,甲;乙\n");
    let (u, b) = (u.to_str().unwrap(), b.to_str().unwrap());
    let v =
        json(&["elect", "--units", u, "--ballots", b, "--candidates", "甲;乙;丙", "--seats", "1", "--alternates", "1"]);
    assert_eq!(
        keys(&v),
        [
            "alternates",
            "alternates_wanted",
            "candidates",
            "elected",
            "eligible",
            "open_seats",
            "participating",
            "participation_met",
            "seats",
            "tie",
            "void"
        ]
    );
    assert_eq!(v["participating"]["area"], "400.00");
    assert_eq!(v["candidates"][0], serde_json::json!({"name": "甲", "owners": 3, "area": "300.00", "majority": true}));
    assert_eq!(v["tie"], serde_json::json!(["甲", "乙"]), "a tie at the last seat elects neither");
    assert_eq!(v["open_seats"], 1);
    let bad = file(&d, "bad.csv", "unit,approve\n1-101,丁\n");
    refused(
        &["elect", "--units", u, "--ballots", bad.to_str().unwrap(), "--candidates", "甲;乙", "--seats", "1"],
        "丁",
    );
}

#[test]
fn plan_corridors_orders_the_buildings_and_explains_each() {
    let d = dir();
    let p = file(&d, "plans.csv", "building,cost,score\n7,100000,90\n21,120000,80\n3,90000,70\n5,400000,60\n");
    let p = p.to_str().unwrap();
    let v = json(&["plan", "corridors", "--plans", p, "--phases", "2", "--budget", "300000", "--capacity", "3"]);
    assert_eq!(keys(&v), ["explanations", "objective", "phases", "policy", "unscheduled"]);
    assert_eq!(v["policy"], "strict", "strict is the default");
    assert_eq!(v["phases"][0], serde_json::json!({"phase": 1, "buildings": ["7", "21"], "cost": "220000.00"}));
    assert_eq!(v["unscheduled"], serde_json::json!(["5"]), "a plan over every budget is unscheduled, not an error");
    assert!(
        v["explanations"]["3"]["en"].as_str().unwrap().contains("80,000.00 remained and your plan costs 90,000.00")
    );
    let best = json(&[
        "plan",
        "corridors",
        "--plans",
        p,
        "--phases",
        "2",
        "--budget",
        "300000",
        "--capacity",
        "3",
        "--policy",
        "best-value",
    ]);
    assert_eq!(best["policy"], "best-value");
    let bad = file(&d, "bad.csv", "building,cost,score\n7,100000,90\n7,1,1\n");
    refused(
        &[
            "plan",
            "corridors",
            "--plans",
            bad.to_str().unwrap(),
            "--phases",
            "2",
            "--budget",
            "300000",
            "--capacity",
            "3",
        ],
        "row 3: building 7 appears twice",
    );
}

#[test]
fn roster_covers_what_it_can_and_names_the_gap() {
    let d = dir();
    let s = file(
        &d,
        "s.csv",
        "shift,station,date,start,end,need\nS1,北门,2026-12-07,07:00,09:00,2\nS2,北门,2026-12-07,18:00,20:00,1\n",
    );
    let v = file(&d, "v.csv", "volunteer,max,available\nv1,1,*\nv2,2,S1\n");
    let out = json(&["roster", "--volunteers", v.to_str().unwrap(), "--shifts", s.to_str().unwrap()]);
    assert_eq!(keys(&out), ["assignments", "covered", "load", "max_load", "places", "uncovered"]);
    assert_eq!(
        (out["covered"].as_u64(), out["places"].as_u64(), out["max_load"].as_u64()),
        (Some(2), Some(3), Some(1))
    );
    let bad = file(&d, "bad.csv", "shift,station,date,start,end,need\nS1,北门,2026-12-07,09:00,07:00,1\n");
    refused(&["roster", "--volunteers", v.to_str().unwrap(), "--shifts", bad.to_str().unwrap()], "row 2");
}

#[test]
fn ledger_quarter_and_draw_follow_the_shanghai_rules() {
    let d = dir();
    let e = file(
        &d,
        "e.csv",
        "date,account,amount,building,memo\n2026-01-15,income:parking,120000,13,停车\n2026-02-01,cost:labour,30000,,保安\n2026-04-02,income:advert,999,,下一季度\n",
    );
    let e = e.to_str().unwrap();
    let v = json(&["ledger", "quarter", "--entries", e, "--quarter", "2026Q1", "--rate", "0.6"]);
    assert_eq!(
        keys(&v),
        ["costs", "income", "net", "per_building", "quarter", "statement_by", "top_up", "transfer_by"]
    );
    assert_eq!(
        (v["income"].as_str(), v["net"].as_str(), v["top_up"].as_str()),
        (Some("120000.00"), Some("90000.00"), Some("54000.00"))
    );
    assert_eq!(v["per_building"]["13"], "120000.00");
    refused(&["ledger", "quarter", "--entries", e, "--quarter", "2026Q1", "--rate", "0.5"], "0.5");
    let q4 = json(&["ledger", "quarter", "--entries", e, "--quarter", "2026Q4", "--rate", "1"]);
    assert!(q4["transfer_by"].as_str().unwrap().starts_with("2027-01"), "Q4's deadlines fall in January");
    let first = json(&["ledger", "draw", "--contract", "100000", "--paid", "0", "--amount", "40000"]);
    assert_eq!(first, serde_json::json!({"allowed": false, "limit": "30000.00", "rule": "first-draw-30"}));
}

#[test]
fn walk_compares_before_and_after_a_new_path() {
    let d = dir();
    let m = file(
        &d,
        "m.geojson",
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[121.40,31.20]},"properties":{"id":"e13","kind":"entrance","building":"13","households":14}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[121.401,31.20]},"properties":{"id":"j1","kind":"junction"}},
{"type":"Feature","geometry":{"type":"Point","coordinates":[121.402,31.20]},"properties":{"id":"bin1","kind":"bin"}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[121.40,31.20],[121.401,31.20]]},"properties":{"from":"e13","to":"j1","length":100}},
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[121.401,31.20],[121.402,31.20]]},"properties":{"from":"j1","to":"bin1","length":100}}
]}"#,
    );
    let m = m.to_str().unwrap();
    let v = json(&["walk", "--map", m, "--add-path", "e13,bin1,50"]);
    assert_eq!(keys(&v), ["entrances", "households_gaining", "mean_after", "mean_before"]);
    assert_eq!(
        v["entrances"][0],
        serde_json::json!({"id": "e13", "building": "13", "households": 14, "bin": "bin1", "before": 200.0, "after": 50.0, "gain": 150.0})
    );
    assert_eq!(v["households_gaining"], 14);
    refused(&["walk", "--map", m, "--add-path", "e13,nope"], "\"nope\" is not on the map");
}
