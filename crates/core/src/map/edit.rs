//! Drawing the map by hand: place a node (or move one, or change what it is), remove it, connect
//! two nodes with a path or a wall, or disconnect them. Each edit is checked against the map and
//! leaves it whole: a removed node takes its edges with it, ids stay unique, lengths are whole
//! millimetres (the straight geodesic unless given).

use crate::kit::Refused;
use crate::map::geo::{Position, geodesic_m, to_mm};
use crate::map::graph::{Place, WalkMap};
use crate::map::refusal::MapRefusal as R;

#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Adds the node, or moves it and sets what it is when the id is already on the map. Its
    /// straight edges follow it; one whose length was measured (the straight geodesic, to the
    /// millimetre) is measured again, one whose length was typed keeps it.
    Place {
        id: String,
        place: Place,
        position: Position,
    },
    Remove {
        id: String,
    },
    /// Adds a path (or, `closed`, a wall or locked gate) between two nodes.
    Connect {
        from: String,
        to: String,
        length_mm: Option<u64>,
        closed: bool,
    },
    /// Removes every edge between two nodes.
    Disconnect {
        from: String,
        to: String,
    },
}

fn bad(reason: impl Into<String>) -> Refused {
    R::BadEdit { reason: reason.into() }.refused()
}

/// A node id as the map takes it: 1–40 letters, digits, `-` or `_`.
pub fn check_id(id: &str) -> Result<(), Refused> {
    let ok =
        !id.is_empty() && id.chars().count() <= 40 && id.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(bad(format!("\"{id}\" is not an id of 1–40 letters, digits, - or _"))) }
}

/// The map after the edit.
pub fn apply(map: &WalkMap, edit: &Edit) -> Result<WalkMap, Refused> {
    let node = |id: &str| map.find(id).ok_or_else(|| bad(format!("node \"{id}\" is not on the map")));
    match edit {
        Edit::Place { id, place, position } => {
            check_id(id)?;
            let mut m = map.clone();
            match m.find(id) {
                None => {
                    m.add_node(id.clone(), place.clone(), *position).map_err(|_| bad("the id is taken"))?;
                }
                Some(ix) => {
                    let measured_before: Vec<bool> = m
                        .edges
                        .iter()
                        .map(|e| {
                            let old = to_mm(geodesic_m(m.nodes[e.from].position, m.nodes[e.to].position));
                            e.length_mm.abs_diff(old) <= 1
                        })
                        .collect();
                    m.nodes[ix].place = place.clone();
                    m.nodes[ix].position = *position;
                    for (e, measured) in m.edges.iter_mut().zip(measured_before) {
                        if (e.from == ix || e.to == ix) && e.line.len() == 2 {
                            let (a, b) = (m.nodes[e.from].position, m.nodes[e.to].position);
                            e.line = vec![a, b];
                            if measured {
                                e.length_mm = to_mm(geodesic_m(a, b));
                            }
                        }
                    }
                }
            }
            Ok(m)
        }
        Edit::Remove { id } => {
            let gone = node(id)?;
            let mut m = WalkMap::new();
            let mut new_ix = vec![None; map.nodes.len()];
            for (i, n) in map.nodes.iter().enumerate().filter(|(i, _)| *i != gone) {
                new_ix[i] = m.add_node(n.id.clone(), n.place.clone(), n.position).ok();
            }
            for e in &map.edges {
                if let (Some(a), Some(b)) = (new_ix[e.from], new_ix[e.to]) {
                    m.edges.push(crate::map::graph::Edge { from: a, to: b, ..e.clone() });
                }
            }
            Ok(m)
        }
        Edit::Connect { from, to, length_mm, closed } => {
            let (a, b) = (node(from)?, node(to)?);
            if a == b {
                return Err(bad(format!("a path from \"{from}\" to itself")));
            }
            let mut m = map.clone();
            let mm = length_mm.unwrap_or_else(|| to_mm(geodesic_m(m.nodes[a].position, m.nodes[b].position)));
            m.add_edge(a, b, mm, *closed);
            Ok(m)
        }
        Edit::Disconnect { from, to } => {
            let (a, b) = (node(from)?, node(to)?);
            if !map.edges.iter().any(|e| e.joins(a, b)) {
                return Err(bad(format!("there is no path or wall between \"{from}\" and \"{to}\"")));
            }
            let mut m = map.clone();
            m.edges.retain(|e| !e.joins(a, b));
            Ok(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::geojson::{export_string, parse};

    fn p(x: f64) -> Position {
        Position::new(121.358 + x / 95_262.0, 31.2087).unwrap()
    }

    #[test]
    fn placing_connecting_moving_and_removing_keep_the_map_whole() {
        let e = Place::Entrance { building: "1".into(), households: 14 };
        let mut m = WalkMap::new();
        for (id, place, x) in [
            ("1-1", e.clone(), 0.0),
            ("j", Place::Junction, 50.0),
            ("bin", Place::Bin { hours: vec![], station: None }, 100.0),
        ] {
            m = apply(&m, &Edit::Place { id: id.into(), place, position: p(x) }).unwrap();
        }
        m = apply(&m, &Edit::Connect { from: "1-1".into(), to: "j".into(), length_mm: None, closed: false }).unwrap();
        m = apply(&m, &Edit::Connect { from: "j".into(), to: "bin".into(), length_mm: Some(70_000), closed: false })
            .unwrap();
        let c = crate::map::walks(&m, None);
        let d = |a: f64, b: f64| to_mm(geodesic_m(p(a), p(b)));
        assert_eq!(c.entrances[0].before_mm, Some(d(0.0, 50.0) + 70_000));
        // moving the junction re-measures its measured edge and keeps the typed 70 m
        m = apply(&m, &Edit::Place { id: "j".into(), place: Place::Junction, position: p(60.0) }).unwrap();
        assert_eq!(crate::map::walks(&m, None).entrances[0].before_mm, Some(d(0.0, 60.0) + 70_000));
        // a typed length that happens to equal the geodesic is taken as measured
        let typed_straight = d(60.0, 100.0);
        let mut t = apply(&m, &Edit::Disconnect { from: "j".into(), to: "bin".into() }).unwrap();
        t = apply(
            &t,
            &Edit::Connect { from: "j".into(), to: "bin".into(), length_mm: Some(typed_straight), closed: false },
        )
        .unwrap();
        t = apply(&t, &Edit::Place { id: "j".into(), place: Place::Junction, position: p(50.0) }).unwrap();
        assert_eq!(crate::map::walks(&t, None).entrances[0].before_mm, Some(d(0.0, 50.0) + d(50.0, 100.0)));
        // the edited map reads back from its GeoJSON
        assert_eq!(parse(&export_string(&m)).unwrap(), m);
        let gone = apply(&m, &Edit::Remove { id: "j".into() }).unwrap();
        assert_eq!((gone.nodes.len(), gone.edges.len()), (2, 0));
        assert_eq!(gone.find("bin"), Some(1));
        let cut = apply(&m, &Edit::Disconnect { from: "bin".into(), to: "j".into() }).unwrap();
        assert_eq!(crate::map::walks(&cut, None).entrances[0].before_mm, None);
        for bad_edit in [
            Edit::Remove { id: "nowhere".into() },
            Edit::Connect { from: "j".into(), to: "j".into(), length_mm: None, closed: false },
            Edit::Disconnect { from: "1-1".into(), to: "bin".into() },
            Edit::Place { id: "has space".into(), place: Place::Junction, position: p(0.0) },
        ] {
            assert_eq!(apply(&m, &bad_edit).unwrap_err().code(), "map.bad-edit", "{bad_edit:?}");
        }
    }
}
