//! Every node's walk to its nearest bin room: one multi-source Dijkstra from all the open bin
//! rooms at once over the open edges, with a binary heap and integer millimetres.
//!
//! Labels are compared as (distance, bin's index): of two bin rooms at the same distance the one
//! earlier in the file is the nearest, so results never depend on the heap's order. Adding the
//! same length to both parts' distances keeps their order, so Dijkstra stays exact for the pair.

use crate::map::graph::{Adjacency, NodeIx, WalkMap};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The nearest bin room of a node and the walk to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Nearest {
    pub mm: u64,
    pub bin: NodeIx,
}

/// For every node, its nearest bin room among those open at `minute` of the day (all when
/// `None`), over open edges; `None` where no open bin room can be reached.
pub fn nearest_bins(map: &WalkMap, minute: Option<u16>) -> Vec<Option<Nearest>> {
    let sources: Vec<NodeIx> = (0..map.nodes.len()).filter(|&i| map.nodes[i].place.bin_open_at(minute)).collect();
    nearest_of(&map.open_adjacency(), &sources)
}

/// Multi-source Dijkstra from `sources` over `adj`.
pub fn nearest_of(adj: &Adjacency, sources: &[NodeIx]) -> Vec<Option<Nearest>> {
    let mut best: Vec<Option<Nearest>> = vec![None; adj.len()];
    let mut heap = BinaryHeap::with_capacity(adj.len());
    for &s in sources {
        let label = Nearest { mm: 0, bin: s };
        if best[s].is_none_or(|b| label < b) {
            best[s] = Some(label);
            heap.push(Reverse((label, s as u32)));
        }
    }
    while let Some(Reverse((label, v))) = heap.pop() {
        if best[v as usize] != Some(label) {
            continue; // a stale entry: v was reached more cheaply since
        }
        for &(u, w) in adj.neighbours(v as usize) {
            let next = Nearest { mm: label.mm + w, bin: label.bin };
            if best[u as usize].is_none_or(|b| next < b) {
                best[u as usize] = Some(next);
                heap.push(Reverse((next, u)));
            }
        }
    }
    best
}

/// The naive way, kept as the benchmark's baseline: one Dijkstra from `from` that stops at the
/// first open bin room it settles (ties by file order, as above).
pub fn nearest_from(map: &WalkMap, adj: &Adjacency, from: NodeIx, minute: Option<u16>) -> Option<Nearest> {
    let mut dist: Vec<Option<u64>> = vec![None; adj.len()];
    let mut heap = BinaryHeap::new();
    dist[from] = Some(0);
    heap.push(Reverse((0u64, from)));
    let mut found: Option<Nearest> = None;
    while let Some(Reverse((d, v))) = heap.pop() {
        if dist[v] != Some(d) {
            continue;
        }
        if found.is_some_and(|f| d > f.mm) {
            break;
        }
        if map.nodes[v].place.bin_open_at(minute) {
            let here = Nearest { mm: d, bin: v };
            found = Some(found.map_or(here, |f| f.min(here)));
            // no `continue`: another bin room as near (a zero-length link) may have a lower
            // index, and ties go to the lower index, as in the multi-source search
        }
        for &(u, w) in adj.neighbours(v) {
            let next = d + w;
            if dist[u as usize].is_none_or(|old| next < old) {
                dist[u as usize] = Some(next);
                heap.push(Reverse((next, u as usize)));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::geo::Position;
    use crate::map::graph::Place;
    use crate::map::hours::Hours;

    /// a–b–c–d in a line (10, 20, 30 m), bins at a and d; b–c walled.
    fn line() -> WalkMap {
        let p = Position::new(121.36, 31.21).unwrap();
        let mut m = WalkMap::new();
        m.add_node("a", Place::Bin { hours: vec![Hours::parse("07:00-09:00").unwrap()], station: None }, p).unwrap();
        m.add_node("b", Place::Entrance { building: "1".into(), households: 14 }, p).unwrap();
        m.add_node("c", Place::Junction, p).unwrap();
        m.add_node("d", Place::Bin { hours: vec![], station: None }, p).unwrap();
        m.add_edge(0, 1, 10_000, false);
        m.add_edge(1, 2, 20_000, false);
        m.add_edge(2, 3, 30_000, false);
        m
    }

    #[test]
    fn each_node_gets_its_nearest_bin_and_the_walk_in_mm() {
        let n = nearest_bins(&line(), None);
        let got: Vec<_> = n.iter().map(|x| x.map(|x| (x.mm, x.bin))).collect();
        assert_eq!(got, vec![Some((0, 0)), Some((10_000, 0)), Some((30_000, 0)), Some((0, 3))]);
    }

    #[test]
    fn a_closed_bin_room_is_passed_by_for_an_open_one() {
        let n = nearest_bins(&line(), Some(12 * 60));
        assert_eq!(n[1], Some(Nearest { mm: 50_000, bin: 3 }));
        assert_eq!(n[0], Some(Nearest { mm: 60_000, bin: 3 }));
    }

    #[test]
    fn a_wall_cuts_the_walk_and_nothing_reachable_is_none() {
        let mut m = line();
        m.edges[1].closed = true;
        m.edges[2].closed = true;
        let n = nearest_bins(&m, Some(12 * 60));
        assert_eq!((n[1], n[2], n[3]), (None, None, Some(Nearest { mm: 0, bin: 3 })));
    }

    #[test]
    fn equally_near_bins_go_to_the_one_earlier_in_the_file() {
        let mut m = line();
        m.edges[2].length_mm = 10_000; // c is 30 m from a and 10 m from d: d wins; make it a tie
        m.edges[1].length_mm = 0;
        m.edges[0].length_mm = 10_000;
        let n = nearest_bins(&m, None);
        assert_eq!(n[2], Some(Nearest { mm: 10_000, bin: 0 }));
        assert_eq!(nearest_from(&m, &m.open_adjacency(), 2, None), n[2]);
    }
}
