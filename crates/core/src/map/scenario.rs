//! What-ifs: a scenario is a list of changes to the map, applied in order to a copy of it.
//!
//! - add a path A–B, with a length or else the straight geodesic between the two nodes;
//! - open every closed edge between A and B (a wall, a locked gate); already open ones stay so;
//! - close every edge between A and B;
//! - move a bin room to a junction or a gate: the old place becomes a junction and the new one
//!   the bin room (with its hours), so the bin room is then named by the node it moved to;
//! - add a bin room at a junction or a gate (open all day unless hours are given).
//!
//! Changes never remove nodes or entrances, so before and after compare entrance by entrance.

use crate::kit::Refused;
use crate::map::geo::{geodesic_m, to_mm};
use crate::map::graph::{NodeIx, Place, WalkMap};
use crate::map::hours::Hours;
use crate::map::refusal::MapRefusal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One change of a what-if. Displays as the `gongzhi walk` option that asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    AddPath { a: String, b: String, length_mm: Option<u64> },
    Open { a: String, b: String },
    Close { a: String, b: String },
    MoveBin { bin: String, to: String },
    AddBin { at: String, hours: Vec<Hours> },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::AddPath { a, b, length_mm: None } => write!(f, "--add-path {a},{b}"),
            Change::AddPath { a, b, length_mm: Some(mm) } => write!(f, "--add-path {a},{b},{}", metres_text(*mm)),
            Change::Open { a, b } => write!(f, "--open {a},{b}"),
            Change::Close { a, b } => write!(f, "--close {a},{b}"),
            Change::MoveBin { bin, to } => write!(f, "--move-bin {bin},{to}"),
            Change::AddBin { at, hours } if hours.is_empty() => write!(f, "--add-bin {at}"),
            Change::AddBin { at, hours } => {
                let h: Vec<String> = hours.iter().map(Hours::to_string).collect();
                write!(f, "--add-bin {at},{}", h.join(","))
            }
        }
    }
}

/// Millimetres as metres with no trailing zeros: 45000 → "45", 12345 → "12.345".
pub fn metres_text(mm: u64) -> String {
    let (m, frac) = (mm / 1000, mm % 1000);
    if frac == 0 { m.to_string() } else { format!("{m}.{}", format!("{frac:03}").trim_end_matches('0')) }
}

/// A what-if: changes applied in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub changes: Vec<Change>,
}

impl Scenario {
    pub fn new(changes: Vec<Change>) -> Scenario {
        Scenario { changes }
    }

    /// The map with every change made, or the first change that cannot be made.
    pub fn apply(&self, map: &WalkMap) -> Result<WalkMap, Refused> {
        let mut m = map.clone();
        for c in &self.changes {
            apply_one(&mut m, c)?;
        }
        Ok(m)
    }
}

fn apply_one(m: &mut WalkMap, c: &Change) -> Result<(), Refused> {
    let node = |m: &WalkMap, id: &str| -> Result<NodeIx, Refused> {
        m.find(id).ok_or_else(|| MapRefusal::UnknownNode { change: c.to_string(), node: id.into() }.refused())
    };
    match c {
        Change::AddPath { a, b, length_mm } => {
            let (a, b) = (node(m, a)?, node(m, b)?);
            if a == b {
                return MapRefusal::PathToItself { change: c.to_string(), node: m.nodes[a].id.clone() }.err();
            }
            let mm = length_mm.unwrap_or_else(|| to_mm(geodesic_m(m.nodes[a].position, m.nodes[b].position)));
            m.add_edge(a, b, mm, false);
        }
        Change::Open { a: ida, b: idb } | Change::Close { a: ida, b: idb } => {
            let (a, b) = (node(m, ida)?, node(m, idb)?);
            let closed = matches!(c, Change::Close { .. });
            let mut found = false;
            for e in m.edges.iter_mut().filter(|e| e.joins(a, b)) {
                e.closed = closed;
                found = true;
            }
            if !found {
                return MapRefusal::NoEdge { change: c.to_string(), a: ida.clone(), b: idb.clone() }.err();
            }
        }
        Change::MoveBin { bin, to } => {
            let (from, to) = (node(m, bin)?, node(m, to)?);
            let Place::Bin { hours, station } = m.nodes[from].place.clone() else {
                return MapRefusal::NotABin { change: c.to_string(), node: bin.clone() }.err();
            };
            hold_bin(m, c, to)?;
            m.nodes[from].place = Place::Junction;
            m.nodes[to].place = Place::Bin { hours, station };
        }
        Change::AddBin { at, hours } => {
            let at = node(m, at)?;
            hold_bin(m, c, at)?;
            m.nodes[at].place = Place::Bin { hours: hours.clone(), station: None };
        }
    }
    Ok(())
}

/// A bin room may go on a junction or a gate, not on an entrance or another bin room.
fn hold_bin(m: &WalkMap, c: &Change, at: NodeIx) -> Result<(), Refused> {
    match m.nodes[at].place {
        Place::Junction | Place::Gate => Ok(()),
        _ => MapRefusal::CannotHoldBin { change: c.to_string(), node: m.nodes[at].id.clone() }.err(),
    }
}

impl Serialize for Hours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hours, D::Error> {
        let s = String::deserialize(d)?;
        Hours::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("opening hours {s:?} are not HH:MM-HH:MM")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::geo::Position;

    /// bin —10 m— j1 —wall 20 m— j2 —5 m— e (entrance); gate g alone at 30 m east of j2.
    fn small() -> WalkMap {
        let at = |dx: f64| Position::new(121.36 + dx, 31.21).unwrap();
        let mut m = WalkMap::new();
        m.add_node("bin", Place::Bin { hours: vec![], station: None }, at(0.0)).unwrap();
        m.add_node("j1", Place::Junction, at(0.0001)).unwrap();
        m.add_node("j2", Place::Junction, at(0.0003)).unwrap();
        m.add_node("e", Place::Entrance { building: "1".into(), households: 14 }, at(0.00035)).unwrap();
        m.add_node("g", Place::Gate, at(0.0006)).unwrap();
        m.add_edge(0, 1, 10_000, false);
        m.add_edge(1, 2, 20_000, true);
        m.add_edge(2, 3, 5_000, false);
        m
    }

    fn path(a: &str, b: &str, mm: Option<u64>) -> Change {
        Change::AddPath { a: a.into(), b: b.into(), length_mm: mm }
    }

    #[test]
    fn opening_a_wall_opens_it_and_closing_closes_it() {
        let open = Scenario::new(vec![Change::Open { a: "j2".into(), b: "j1".into() }]).apply(&small()).unwrap();
        assert!(!open.edges[1].closed);
        let shut = Scenario::new(vec![Change::Close { a: "e".into(), b: "j2".into() }]).apply(&open).unwrap();
        assert!(shut.edges[2].closed && !shut.edges[1].closed);
    }

    #[test]
    fn a_path_without_length_gets_the_straight_geodesic() {
        let m = Scenario::new(vec![path("g", "e", None)]).apply(&small()).unwrap();
        let e = m.edges.last().unwrap();
        let expected = to_mm(geodesic_m(m.nodes[4].position, m.nodes[3].position));
        assert_eq!((e.from, e.to, e.length_mm, e.closed), (4, 3, expected, false));
        assert!((23_000..25_000).contains(&expected), "{expected}");
        let m = Scenario::new(vec![path("g", "e", Some(7_500))]).apply(&small()).unwrap();
        assert_eq!(m.edges.last().unwrap().length_mm, 7_500);
    }

    #[test]
    fn a_moved_bin_leaves_a_junction_and_takes_the_new_nodes_id() {
        let m = Scenario::new(vec![Change::MoveBin { bin: "bin".into(), to: "g".into() }]).apply(&small()).unwrap();
        assert_eq!(
            (&m.nodes[0].place, &m.nodes[4].place),
            (&Place::Junction, &Place::Bin { hours: vec![], station: None })
        );
    }

    #[test]
    fn changes_naming_what_is_not_there_are_refused_with_the_option() {
        let refuse = |c: Change| Scenario::new(vec![c]).apply(&small()).unwrap_err();
        let r = refuse(path("j1", "nowhere", None));
        assert_eq!(
            (r.code(), r.en().as_str()),
            ("map.unknown-node", "--add-path j1,nowhere: node \"nowhere\" is not on the map")
        );
        let r = refuse(Change::Open { a: "bin".into(), b: "e".into() });
        assert_eq!(r.code(), "map.no-edge");
        assert_eq!(r.en(), "--open bin,e: there is no path or wall between \"bin\" and \"e\"");
        assert_eq!(refuse(path("e", "e", Some(1))).code(), "map.path-to-itself");
        assert_eq!(refuse(Change::MoveBin { bin: "j1".into(), to: "g".into() }).code(), "map.not-a-bin");
        assert_eq!(refuse(Change::AddBin { at: "e".into(), hours: vec![] }).code(), "map.cannot-hold-bin");
        assert_eq!(refuse(Change::MoveBin { bin: "bin".into(), to: "bin".into() }).code(), "map.cannot-hold-bin");
    }

    #[test]
    fn a_change_displays_as_its_option_and_a_scenario_round_trips_as_json() {
        assert_eq!(path("a", "b", Some(12_340)).to_string(), "--add-path a,b,12.34");
        assert_eq!(path("a", "b", Some(45_000)).to_string(), "--add-path a,b,45");
        let hours = vec![Hours::parse("07:00-09:00").unwrap()];
        assert_eq!(Change::AddBin { at: "g".into(), hours: hours.clone() }.to_string(), "--add-bin g,07:00-09:00");
        let s = Scenario::new(vec![path("a", "b", None), Change::AddBin { at: "g".into(), hours }]);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(
            json,
            r#"{"changes":[{"change":"add-path","a":"a","b":"b","length_mm":null},{"change":"add-bin","at":"g","hours":["07:00-09:00"]}]}"#
        );
        assert_eq!(serde_json::from_str::<Scenario>(&json).unwrap(), s);
    }
}
