//! The compound as a walking graph: places (entrances, junctions, gates, bin rooms) joined by
//! undirected footpaths whose lengths are whole millimetres, so every sum is exact.

use crate::map::geo::Position;
use crate::map::hours::Hours;
use std::collections::HashMap;

/// A node's index in [`WalkMap::nodes`].
pub type NodeIx = usize;

/// What a place is.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    /// A building's entrance (a stairwell's door): where households start their walk.
    Entrance {
        building: String,
        households: u32,
    },
    Junction,
    Gate,
    /// A bin room; `hours` empty means open all day. `station`: the waste-sorting station
    /// (投放点) it is, whose opening windows it keeps: where the waste process knows that station,
    /// [`WalkMap::keep_station_hours`] puts its windows in `hours`.
    Bin {
        hours: Vec<Hours>,
        station: Option<String>,
    },
}

impl Place {
    /// The GeoJSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::Entrance { .. } => "entrance",
            Place::Junction => "junction",
            Place::Gate => "gate",
            Place::Bin { .. } => "bin",
        }
    }

    /// Whether a bin room is here and open at `minute` of the day (any time when `None`, unless
    /// it does not open at all that day: `hours` is `[Hours::CLOSED]`).
    pub fn bin_open_at(&self, minute: Option<u16>) -> bool {
        match (self, minute) {
            (Place::Bin { hours, .. }, None) => hours.is_empty() || hours.iter().any(|h| !h.is_closed()),
            (Place::Bin { hours, .. }, Some(m)) => hours.is_empty() || hours.iter().any(|h| h.contains(m)),
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub id: String,
    pub place: Place,
    pub position: Position,
}

/// An undirected footpath, or a wall or closed gate when `closed`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: NodeIx,
    pub to: NodeIx,
    pub length_mm: u64,
    pub closed: bool,
    /// The drawn line (at least the two ends), for export and drawing; lengths never read it.
    pub line: Vec<Position>,
}

impl Edge {
    /// Whether this edge joins `a` and `b`, in either direction.
    pub fn joins(&self, a: NodeIx, b: NodeIx) -> bool {
        (self.from == a && self.to == b) || (self.from == b && self.to == a)
    }
}

/// The walking map. Nodes keep the order of the file they came from; ids are unique.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WalkMap {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    index: HashMap<String, NodeIx>,
}

impl WalkMap {
    pub fn new() -> WalkMap {
        WalkMap::default()
    }

    /// Each bin room that is a known waste-sorting station keeps that station's opening windows
    /// (`windows` by station id) instead of the hours drawn on the map: the waste process says
    /// when a station opens, the map only where it is. Returns the bin rooms so set, by node.
    pub fn keep_station_hours(&mut self, windows: &HashMap<String, Vec<Hours>>) -> Vec<NodeIx> {
        let mut set = Vec::new();
        for (ix, n) in self.nodes.iter_mut().enumerate() {
            if let Place::Bin { hours, station: Some(s) } = &mut n.place
                && let Some(w) = windows.get(s)
            {
                *hours = w.clone();
                set.push(ix);
            }
        }
        set
    }

    /// Adds a node; `Err` with the index of the node that already has this id.
    pub fn add_node(&mut self, id: impl Into<String>, place: Place, position: Position) -> Result<NodeIx, NodeIx> {
        let id = id.into();
        if let Some(&first) = self.index.get(&id) {
            return Err(first);
        }
        let ix = self.nodes.len();
        self.index.insert(id.clone(), ix);
        self.nodes.push(Node { id, place, position });
        Ok(ix)
    }

    /// Adds an edge between two existing nodes; its line is the straight segment between them.
    pub fn add_edge(&mut self, from: NodeIx, to: NodeIx, length_mm: u64, closed: bool) {
        let line = vec![self.nodes[from].position, self.nodes[to].position];
        self.edges.push(Edge { from, to, length_mm, closed, line });
    }

    pub fn find(&self, id: &str) -> Option<NodeIx> {
        self.index.get(id).copied()
    }

    /// The entrances, in file order.
    pub fn entrances(&self) -> impl Iterator<Item = (NodeIx, &str, u32)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| match &n.place {
            Place::Entrance { building, households } => Some((i, building.as_str(), *households)),
            _ => None,
        })
    }

    /// The open edges as adjacency lists in compressed form, for the shortest-path search.
    pub fn open_adjacency(&self) -> Adjacency {
        let n = self.nodes.len();
        let mut start = vec![0u32; n + 1];
        for e in self.edges.iter().filter(|e| !e.closed) {
            start[e.from + 1] += 1;
            start[e.to + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill: Vec<u32> = start[..n].to_vec();
        let mut arcs = vec![(0u32, 0u64); start[n] as usize];
        for e in self.edges.iter().filter(|e| !e.closed) {
            arcs[fill[e.from] as usize] = (e.to as u32, e.length_mm);
            fill[e.from] += 1;
            arcs[fill[e.to] as usize] = (e.from as u32, e.length_mm);
            fill[e.to] += 1;
        }
        Adjacency { start, arcs }
    }
}

/// Each node's neighbours over open edges: `arcs[start[v]..start[v+1]]` as (node, length in mm).
pub struct Adjacency {
    start: Vec<u32>,
    arcs: Vec<(u32, u64)>,
}

impl Adjacency {
    pub fn len(&self) -> usize {
        self.start.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn neighbours(&self, v: usize) -> &[(u32, u64)] {
        &self.arcs[self.start[v] as usize..self.start[v + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn here() -> Position {
        Position::new(121.36, 31.21).unwrap()
    }

    #[test]
    fn a_second_node_with_the_same_id_names_the_first() {
        let mut m = WalkMap::new();
        assert_eq!(m.add_node("J1", Place::Junction, here()), Ok(0));
        assert_eq!(m.add_node("J2", Place::Gate, here()), Ok(1));
        assert_eq!(m.add_node("J1", Place::Junction, here()), Err(0));
        assert_eq!(m.find("J2"), Some(1));
        assert_eq!(m.find("J3"), None);
    }

    #[test]
    fn closed_edges_are_not_walked_and_open_ones_go_both_ways() {
        let mut m = WalkMap::new();
        for id in ["a", "b", "c"] {
            m.add_node(id, Place::Junction, here()).unwrap();
        }
        m.add_edge(0, 1, 5_000, false);
        m.add_edge(1, 2, 7_000, true);
        let adj = m.open_adjacency();
        assert_eq!(adj.neighbours(0), &[(1, 5_000)]);
        assert_eq!(adj.neighbours(1), &[(0, 5_000)]);
        assert!(adj.neighbours(2).is_empty());
    }

    #[test]
    fn a_bin_with_hours_is_open_only_inside_them() {
        let bin = Place::Bin { hours: vec![Hours::parse("07:00-09:00").unwrap()], station: None };
        assert!(bin.bin_open_at(None));
        assert!(bin.bin_open_at(Some(7 * 60)));
        assert!(!bin.bin_open_at(Some(9 * 60)));
        assert!(Place::Bin { hours: vec![], station: None }.bin_open_at(Some(3 * 60)));
        let shut = Place::Bin { hours: vec![Hours::CLOSED], station: None };
        assert!(!shut.bin_open_at(None) && !shut.bin_open_at(Some(7 * 60)), "closed all that day");
        assert!(!Place::Junction.bin_open_at(None));
    }

    #[test]
    fn a_bin_that_is_a_known_station_keeps_the_station_s_windows() {
        let mut m = WalkMap::new();
        let drawn = vec![Hours::parse("07:00-09:00").unwrap()];
        let here = || Position::new(121.0, 31.0).unwrap();
        m.add_node("south", Place::Bin { hours: drawn.clone(), station: Some("s1".into()) }, here()).unwrap();
        m.add_node("lost", Place::Bin { hours: drawn.clone(), station: Some("gone".into()) }, here()).unwrap();
        m.add_node("own", Place::Bin { hours: drawn.clone(), station: None }, here()).unwrap();
        let evening = vec![Hours::parse("18:00-20:00").unwrap()];
        let set = m.keep_station_hours(&HashMap::from([("s1".to_string(), evening.clone())]));
        assert_eq!(set, vec![0]);
        assert_eq!(m.nodes[0].place, Place::Bin { hours: evening, station: Some("s1".into()) });
        assert!(!m.nodes[0].place.bin_open_at(Some(7 * 60)));
        // a station the waste process does not know, and a bin without one, keep what was drawn
        assert!(m.nodes[1].place.bin_open_at(Some(7 * 60)) && m.nodes[2].place.bin_open_at(Some(7 * 60)));
    }
}
