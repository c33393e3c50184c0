//! Cross-checks of the walking map: distances against an independent Bellman–Ford on random
//! graphs, what-ifs that can only help, and the GeoJSON round trip.

use super::*;
use proptest::prelude::*;

/// A random compound: kinds 0 entrance, 1 junction, 2 bin; edges (a, b, mm, closed).
#[derive(Clone, Debug)]
struct Random {
    kinds: Vec<(u8, u32)>,
    edges: Vec<(usize, usize, u64, bool)>,
}

fn random() -> impl Strategy<Value = Random> {
    (2usize..10).prop_flat_map(|n| {
        let kinds = prop::collection::vec((0u8..3, 0u32..30), n);
        let edges = prop::collection::vec((0..n, 0..n, 0u64..2_000, prop::bool::weighted(0.25)), 0..(3 * n));
        (kinds, edges)
            .prop_map(|(kinds, edges)| Random { kinds, edges: edges.into_iter().filter(|e| e.0 != e.1).collect() })
    })
}

fn build(r: &Random) -> WalkMap {
    let mut m = WalkMap::new();
    for (i, &(k, h)) in r.kinds.iter().enumerate() {
        let place = match k {
            0 => Place::Entrance { building: (i % 3).to_string(), households: h },
            1 => Place::Junction,
            _ => Place::Bin { hours: vec![], station: None },
        };
        let pos = Position::new(121.36 + i as f64 * 1e-4, 31.21 + (i % 3) as f64 * 1e-4).unwrap();
        m.add_node(format!("n{i}"), place, pos).unwrap();
    }
    for &(a, b, mm, closed) in &r.edges {
        m.add_edge(a, b, mm, closed);
    }
    m
}

/// Independent: for every bin, Bellman–Ford over the open edges; then each node's least
/// (distance, bin) pair.
fn bellman_ford(m: &WalkMap) -> Vec<Option<(u64, usize)>> {
    let n = m.nodes.len();
    let mut best: Vec<Option<(u64, usize)>> = vec![None; n];
    for s in (0..n).filter(|&s| matches!(m.nodes[s].place, Place::Bin { .. })) {
        let mut d: Vec<Option<u64>> = vec![None; n];
        d[s] = Some(0);
        for _ in 0..n {
            for e in m.edges.iter().filter(|e| !e.closed) {
                for (x, y) in [(e.from, e.to), (e.to, e.from)] {
                    if let Some(dx) = d[x]
                        && d[y].is_none_or(|dy| dx + e.length_mm < dy)
                    {
                        d[y] = Some(dx + e.length_mm);
                    }
                }
            }
        }
        for v in 0..n {
            if let Some(dv) = d[v]
                && best[v].is_none_or(|b| (dv, s) < b)
            {
                best[v] = Some((dv, s));
            }
        }
    }
    best
}

/// Every entrance's walk after is no longer than before (and stays reachable).
fn never_longer(c: &Comparison) -> Result<(), TestCaseError> {
    for e in &c.entrances {
        if let Some(b) = e.before_mm {
            prop_assert!(e.after_mm.is_some_and(|a| a <= b), "{} got longer: {:?} → {:?}", e.id, b, e.after_mm);
        }
    }
    let gaining: u64 = c.entrances.iter().filter(|e| e.gains()).map(|e| e.households as u64).sum();
    prop_assert_eq!(c.households_gaining, gaining);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn distances_equal_an_independent_bellman_ford(r in random()) {
        let m = build(&r);
        let got: Vec<_> = nearest_bins(&m, None).into_iter().map(|x| x.map(|x| (x.mm, x.bin))).collect();
        prop_assert_eq!(got, bellman_ford(&m));
    }

    #[test]
    fn the_naive_search_per_entrance_agrees_with_the_multi_source_one(r in random()) {
        let m = build(&r);
        let all = nearest_bins(&m, None);
        let adj = m.open_adjacency();
        for (v, &expected) in all.iter().enumerate() {
            prop_assert_eq!(dijkstra::nearest_from(&m, &adj, v, None), expected);
        }
    }

    #[test]
    fn adding_a_path_never_lengthens_any_walk(r in random(), a in 0usize..10, b in 0usize..10, len in prop::option::of(0u64..3_000)) {
        let m = build(&r);
        let (a, b) = (a % m.nodes.len(), b % m.nodes.len());
        prop_assume!(a != b);
        let s = Scenario::new(vec![Change::AddPath { a: format!("n{a}"), b: format!("n{b}"), length_mm: len }]);
        never_longer(&what_if(&m, &s, None).unwrap())?;
    }

    #[test]
    fn opening_an_edge_never_lengthens_any_walk(r in random(), pick in 0usize..100) {
        let m = build(&r);
        prop_assume!(!m.edges.is_empty());
        let e = &m.edges[pick % m.edges.len()];
        let s = Scenario::new(vec![Change::Open { a: format!("n{}", e.from), b: format!("n{}", e.to) }]);
        let c = what_if(&m, &s, None).unwrap();
        never_longer(&c)?;
        if m.edges.iter().all(|x| !x.joins(e.from, e.to) || !x.closed) {
            // opening what is open changes nothing
            prop_assert!(c.entrances.iter().all(|e| e.before_mm == e.after_mm));
        }
    }

    #[test]
    fn adding_a_bin_never_lengthens_and_closing_never_shortens(r in random(), at in 0usize..10, pick in 0usize..100) {
        let m = build(&r);
        let at = at % m.nodes.len();
        if matches!(m.nodes[at].place, Place::Junction) {
            let s = Scenario::new(vec![Change::AddBin { at: format!("n{at}"), hours: vec![] }]);
            never_longer(&what_if(&m, &s, None).unwrap())?;
        }
        if !m.edges.is_empty() {
            let e = &m.edges[pick % m.edges.len()];
            let s = Scenario::new(vec![Change::Close { a: format!("n{}", e.from), b: format!("n{}", e.to) }]);
            let c = what_if(&m, &s, None).unwrap();
            prop_assert_eq!(c.households_gaining, 0);
            for e in &c.entrances {
                if let Some(a) = e.after_mm {
                    prop_assert!(e.before_mm.is_some_and(|b| b <= a));
                }
            }
        }
    }

    #[test]
    fn the_exported_map_reads_back_to_the_same_map(r in random()) {
        let m = build(&r);
        let back = geojson::parse(&geojson::export_string(&m)).unwrap();
        prop_assert_eq!(back, m);
    }
}

/// The story in miniature, lengths given so every number can be checked by hand:
/// building 1 (14 households) walks 10 + 200 + 30 = 240 m to the east bin room, 50 m after a
/// 40 m shortcut across the southern gap; building 2 (28) walks 10 + 300 + 30 = 340 m, 30 m
/// once the car-park wall is open; building 3 (7) is beside the east bin room; building 4's
/// entrance has no path at all.
const SMALL: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3600, 31.2090]}, "properties": {"id": "1-1", "kind": "entrance", "building": "1", "households": 14}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3620, 31.2120]}, "properties": {"id": "2-1", "kind": "entrance", "building": 2, "households": 28}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3630, 31.2095]}, "properties": {"id": "3-1", "kind": "entrance", "building": "3", "households": 7}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3590, 31.2100]}, "properties": {"id": "4-1", "kind": "entrance", "building": "4", "households": 5}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3600, 31.2091]}, "properties": {"id": "south-gap", "kind": "junction"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3625, 31.2092]}, "properties": {"id": "east-lane", "kind": "junction"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3620, 31.2121]}, "properties": {"id": "wall-inside", "kind": "junction"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3620, 31.2123]}, "properties": {"id": "car-park", "kind": "gate"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3628, 31.2093]}, "properties": {"id": "bin-east", "kind": "bin"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3603, 31.2088]}, "properties": {"id": "bin-south", "kind": "bin", "hours": "07:00-09:00"}},
  {"type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3621, 31.2124]}, "properties": {"id": "bin-car-park", "kind": "bin", "hours": ["07:00-09:00", "18:00-20:00"]}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3600, 31.2090], [121.3600, 31.2091]]}, "properties": {"from": "1-1", "to": "south-gap", "length": 10}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3600, 31.2091], [121.3625, 31.2092]]}, "properties": {"from": "south-gap", "to": "east-lane", "length": 200}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3625, 31.2092], [121.3628, 31.2093]]}, "properties": {"from": "east-lane", "to": "bin-east", "length": 30}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3625, 31.2092], [121.3603, 31.2088]]}, "properties": {"from": "east-lane", "to": "bin-south", "length": 150}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3620, 31.2120], [121.3620, 31.2121]]}, "properties": {"from": "2-1", "to": "wall-inside", "length": 10}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3620, 31.2121], [121.3625, 31.2092]]}, "properties": {"from": "wall-inside", "to": "east-lane", "length": 300}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3620, 31.2121], [121.3620, 31.2123]]}, "properties": {"id": "car-park-wall", "from": "wall-inside", "to": "car-park", "length": 15, "closed": true}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3620, 31.2123], [121.3621, 31.2124]]}, "properties": {"from": "car-park", "to": "bin-car-park", "length": 5}},
  {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[121.3630, 31.2095], [121.3628, 31.2093]]}, "properties": {"from": "3-1", "to": "bin-east", "length": 20}},
  {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[121.3595, 31.2089], [121.3605, 31.2089], [121.3605, 31.2093], [121.3595, 31.2089]]]}, "properties": {"name": "1号楼"}}
]}"#;

fn args(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

#[test]
fn the_southern_shortcut_and_the_opened_car_park_wall_make_households_gain() {
    let out = walk_cli(SMALL, &args(&["south-gap,bin-south,40"]), &args(&["wall-inside,car-park"])).unwrap();
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "entrances": [
                {"id": "1-1", "building": "1", "households": 14, "bin": "bin-south", "before": 240.0, "after": 50.0, "gain": 190.0},
                {"id": "2-1", "building": "2", "households": 28, "bin": "bin-car-park", "before": 340.0, "after": 30.0, "gain": 310.0},
                {"id": "3-1", "building": "3", "households": 7, "bin": "bin-east", "before": 20.0, "after": 20.0, "gain": 0.0},
                {"id": "4-1", "building": "4", "households": 5, "bin": null, "before": null, "after": null, "gain": null}
            ],
            "households_gaining": 42,
            // (14 × 240 + 28 × 340 + 7 × 20) / 49 = 265.71…; (14 × 50 + 28 × 30 + 7 × 20) / 49 = 34.28…
            "mean_before": 265.7,
            "mean_after": 34.3
        })
    );
    let text = serde_json::to_string(&out).unwrap();
    assert!(text.contains(r#""before":240.0,"after":50.0,"gain":190.0"#), "{text}");
    assert!(text.ends_with(r#""households_gaining":42,"mean_before":265.7,"mean_after":34.3}"#), "{text}");
}

#[test]
fn the_text_report_lists_the_changes_buildings_and_entrances() {
    let out = walk_cli(SMALL, &args(&["south-gap,bin-south,40"]), &args(&["wall-inside,car-park"])).unwrap();
    let t = out.text();
    assert!(t.contains("  --add-path south-gap,bin-south,40\n  --open wall-inside,car-park\n"), "{t}");
    assert!(t.contains("Households gaining 受益户数: 42 of 54"), "{t}");
    assert!(t.contains("265.7 m before, 34.3 m after"), "{t}");
    assert!(t.contains("2-1       2         28          bin-car-park  340.0   30.0   310.0"), "{t}");
    assert!(t.contains("4-1       4         5           —             —       —      —"), "{t}");
}

#[test]
fn a_shortcut_without_a_length_is_the_straight_line_between_its_ends() {
    let out = walk_cli(SMALL, &args(&["south-gap,bin-south"]), &[]).unwrap();
    let map = geojson::parse(SMALL).unwrap();
    let straight = geo::geodesic_m(map.nodes[4].position, map.nodes[9].position);
    assert!((40.0..48.0).contains(&straight), "{straight}");
    let after = Decimetres::from_mm(10_000 + geo::to_mm(straight) as i64);
    assert_eq!(out.entrances[0].after, Some(after));
    assert_eq!(out.households_gaining, 14);
}

#[test]
fn at_an_hour_only_open_bin_rooms_count() {
    // at noon the southern and car-park rooms are shut: building 1 walks to the east one, now
    // across the shortcut and past the shut southern room (10 + 40 + 150 + 30 m)
    let out = walk_cli_at(SMALL, &args(&["south-gap,bin-south,40"]), &args(&["wall-inside,car-park"]), Some("12:00"))
        .unwrap();
    let e = &out.entrances;
    assert_eq!((e[0].bin.as_deref(), e[0].after), (Some("bin-east"), Some(Decimetres(2_300))));
    assert_eq!((e[1].bin.as_deref(), e[1].after), (Some("bin-east"), Some(Decimetres(3_400))));
    assert_eq!(out.households_gaining, 14); // 230 m instead of 240
    assert!(out.text().contains("Only bin rooms open at 12:00 count"), "{}", out.text());
    let out = walk_cli_at(SMALL, &[], &args(&["wall-inside,car-park"]), Some("18:30")).unwrap();
    assert_eq!(out.entrances[1].bin.as_deref(), Some("bin-car-park"));
    assert_eq!(walk_cli_at(SMALL, &[], &[], Some("noon")).unwrap_err().code(), "map.bad-time");
}

#[test]
fn a_household_that_reached_no_bin_room_and_now_does_counts_as_gaining() {
    let out = walk_cli(SMALL, &args(&["4-1,south-gap,12.5"]), &[]).unwrap();
    let e = &out.entrances[3];
    assert_eq!((e.bin.as_deref(), e.before, e.after, e.gain), (Some("bin-east"), None, Some(Decimetres(2_425)), None));
    assert_eq!(out.households_gaining, 5);
    // the mean after now includes building 4's 5 households: (13,020 + 5 × 242.5) / 54 = 263.56 m
    assert_eq!((out.mean_before, out.mean_after), (Some(Decimetres(2_657)), Some(Decimetres(2_636))));
}

#[test]
fn per_building_the_walks_are_weighted_by_households() {
    let out = walk_cli(SMALL, &args(&["south-gap,bin-south,40"]), &[]).unwrap();
    let b = out.buildings();
    assert_eq!(b.len(), 4);
    assert_eq!((b[0].building.as_str(), b[0].households, b[0].households_gaining), ("1", 14, 14));
    assert_eq!(b[0].mean_after.map(Decimetres::from), Some(Decimetres(500)));
    assert_eq!((b[3].unreachable_before, b[3].unreachable_after, b[3].mean_before), (5, 5, None));
    // the map as it is, per building: building 2 walks 340 m to the east bin room
    let now = by_building(&walks(&geojson::parse(SMALL).unwrap(), None));
    assert_eq!(
        (now[1].mean_before, now[1].mean_after),
        (now[1].mean_after, Some(Mean { mm_households: 28 * 340_000, households: 28 }))
    );
}

#[test]
fn walk_refuses_unknown_nodes_and_pairs_without_an_edge_by_the_option() {
    let r = walk_cli(SMALL, &args(&["south-gap,nowhere"]), &[]).unwrap_err();
    assert_eq!(
        (r.code(), r.en().as_str()),
        ("map.unknown-node", "--add-path south-gap,nowhere: node \"nowhere\" is not on the map")
    );
    let r = walk_cli(SMALL, &[], &args(&["1-1,bin-east"])).unwrap_err();
    assert_eq!(r.code(), "map.no-edge");
    assert_eq!(r.en(), "--open 1-1,bin-east: there is no path or wall between \"1-1\" and \"bin-east\"");
    assert_eq!(walk_cli(SMALL, &[], &args(&["ghost,car-park"])).unwrap_err().code(), "map.unknown-node");
    assert_eq!(walk_cli(SMALL, &args(&["a"]), &[]).unwrap_err().code(), "map.bad-argument");
    assert_eq!(walk_cli("{}", &[], &[]).unwrap_err().code(), "map.not-a-feature-collection");
}

#[test]
fn the_demo_compound_has_33_buildings_and_the_story_helps_south_and_north() {
    let map = demo::compound();
    let buildings: std::collections::BTreeSet<&str> = map.entrances().map(|(_, b, _)| b).collect();
    assert_eq!(buildings.len(), 33);
    assert_eq!(map.entrances().count(), 47); // the register's stairwells
    assert_eq!(map.entrances().map(|(_, _, h)| h as u64).sum::<u64>(), 658);
    assert!(map.nodes.iter().all(|n| (121.357..121.363).contains(&n.position.lon)));
    assert!(map.nodes.iter().all(|n| (31.208..31.212).contains(&n.position.lat)));
    assert_eq!(map.edges.iter().filter(|e| e.closed).count(), 1);
    let out = walk_cli(&demo::geojson(), &args(&["south-gap,bin-south"]), &args(&["wall-inside,car-park"])).unwrap();
    assert_eq!(out.households_gaining, 182);
    assert_eq!((out.mean_before, out.mean_after), (Some(Decimetres(1_587)), Some(Decimetres(1_244))));
    let buildings = out.buildings();
    let gains: Vec<&str> = buildings.iter().filter(|b| b.households_gaining > 0).map(|b| b.building.as_str()).collect();
    assert_eq!(gains, ["1", "2", "3", "4", "5", "29", "30", "31", "32", "33"]);
    // the same through the core API, without GeoJSON
    assert_eq!(what_if(&map, &demo::story(), None).unwrap(), out.comparison);
}

#[test]
fn the_synthetic_compound_is_deterministic_and_its_what_if_applies() {
    let (m, s) = demo::synthetic(2_000, 7);
    assert_eq!(m.nodes.len(), 2_025);
    assert_eq!(demo::synthetic(2_000, 7).0, m);
    assert!(s.changes.len() >= 4, "{:?}", s.changes);
    let c = what_if(&m, &s, None).unwrap();
    assert!(c.entrances.len() > 700);
    assert!(c.entrances.iter().filter(|e| e.before_mm.is_some()).count() > c.entrances.len() / 2);
}
