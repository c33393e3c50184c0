//! The roster as a flow network, and where that network is exact.
//!
//! ```text
//! source ─(max, or min(max, L))─▶ volunteer ─(max per week)─▶ week ─(1)─▶ clique ─(1)─▶ shift ─(need)─▶ sink
//! source ─(p)─▶ premium ─(1)─▶ volunteer           (only for "fewest at L": the L-th shift)
//! ```
//!
//! Per volunteer and date, the shifts they may take split into groups that chain by overlapping.
//! A group whose shifts all overlap one another (a clique: every station shares the morning
//! window) gets one node of capacity 1, which is exactly "never two overlapping shifts", and the
//! nodes nest (volunteer ⊃ week ⊃ clique ⊃ shift), so every integral flow is a valid roster and
//! every roster is a flow. A group that chains without being a clique (07:00–09:00 and 10:00–12:00
//! both overlap 08:30–10:30, but not each other) cannot be written as nested capacities; it gets a
//! node of capacity α (the most non-overlapping shifts in it) over a greedy split into cliques of
//! capacity 1. That is a relaxation: a flow may then give a volunteer two overlapping shifts of
//! the group. Such a group is recorded as a [`Chain`], and `fair` resolves it: first by choosing
//! the split so that the overlaps a flow used are enforced ([`Cuts::together`]), then by branch
//! and bound ([`Cuts::forbidden`]).

use super::flow::Graph;
use super::model::{Problem, Shift};
use std::collections::{HashMap, HashSet};

/// The capacities a solve uses on the volunteers' arcs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caps {
    /// Each volunteer up to their max.
    Cover,
    /// Each volunteer up to min(max, L).
    Capped(u32),
    /// min(max, L − 1) for everyone, plus an L-th shift for at most `p` volunteers.
    Fewest { l: u32, p: u32 },
}

/// Shifts of one volunteer that chain by overlapping without all overlapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub volunteer: u32,
    pub shifts: Vec<u32>,
}

pub struct Network {
    pub g: Graph,
    pub source: u32,
    pub sink: u32,
    vol_arc: Vec<u32>,
    prem_arc: Vec<u32>,
    p_arc: u32,
    /// Every (volunteer, shift) arc into a shift node.
    pub arcs: Vec<(u32, u32, u32)>,
    pub chains: Vec<Chain>,
    max: Vec<u32>,
}

const SOURCE: u32 = 0;
const SINK: u32 = 1;
const PREMIUM: u32 = 2;

/// What a branch-and-bound node knows beyond the problem: (volunteer, shift) pairs it has ruled
/// out, and per volunteer, pairs of overlapping shifts to put in one clique node (each a valid
/// "at most one of these" the relaxation then enforces).
#[derive(Clone, Debug, Default)]
pub struct Cuts {
    pub forbidden: HashSet<(u32, u32)>,
    pub together: HashMap<u32, Vec<(u32, u32)>>,
}

/// A chain's shifts split into cliques: first the pairs asked to be together (while they still
/// fit), then first fit in start order. Any split into cliques is valid; which one decides
/// which overlaps the relaxation enforces.
fn clique_cover(shifts: &[Shift], group: &[usize], together: Option<&Vec<(u32, u32)>>) -> Vec<Vec<usize>> {
    let mut cover: Vec<Vec<usize>> = Vec::new();
    let mut placed: HashMap<usize, usize> = HashMap::new();
    let fits = |q: &[usize], s: usize| q.iter().all(|&o| shifts[o].overlaps(&shifts[s]));
    for &(a, b) in together.into_iter().flatten() {
        let (a, b) = (a as usize, b as usize);
        if !group.contains(&a) || !group.contains(&b) {
            continue;
        }
        match (placed.get(&a).copied(), placed.get(&b).copied()) {
            (None, None) if shifts[a].overlaps(&shifts[b]) => {
                placed.insert(a, cover.len());
                placed.insert(b, cover.len());
                cover.push(vec![a, b]);
            }
            (Some(q), None) if fits(&cover[q], b) => {
                placed.insert(b, q);
                cover[q].push(b);
            }
            (None, Some(q)) if fits(&cover[q], a) => {
                placed.insert(a, q);
                cover[q].push(a);
            }
            _ => {}
        }
    }
    for &s in group {
        if placed.contains_key(&s) {
            continue;
        }
        match cover.iter().position(|q| fits(q, s)) {
            Some(q) => cover[q].push(s),
            None => cover.push(vec![s]),
        }
        placed.insert(s, 0);
    }
    cover
}

fn clique(shifts: &[Shift], group: &[usize]) -> bool {
    let first_end = group.iter().map(|&s| shifts[s].end).min();
    let last_start = group.iter().map(|&s| shifts[s].start).max();
    last_start < first_end
}

/// The most shifts of a group one person can take without overlap: earliest end first.
fn independent(shifts: &[Shift], group: &[usize]) -> i32 {
    let mut by_end: Vec<usize> = group.to_vec();
    by_end.sort_by_key(|&s| shifts[s].end);
    let mut free_from = None;
    let mut n = 0;
    for s in by_end {
        if free_from.is_none_or(|f| shifts[s].start >= f) {
            n += 1;
            free_from = Some(shifts[s].end);
        }
    }
    n
}

impl Network {
    /// The network of `problem` under `cuts`.
    pub fn build(pb: &Problem, cuts: &Cuts) -> Network {
        let shifts = pb.shifts();
        let (nv, ns) = (pb.volunteers().len(), shifts.len());
        let vol = |v: usize| (3 + v) as u32;
        let shift = |s: usize| (3 + nv + s) as u32;
        let mut g = Graph::new(3 + nv + ns);
        let p_arc = g.add_edge(SOURCE, PREMIUM, 0, 0);
        let mut vol_arc = Vec::with_capacity(nv);
        let mut prem_arc = Vec::with_capacity(nv);
        let mut max = Vec::with_capacity(nv);
        let mut arcs = Vec::new();
        let mut chains = Vec::new();
        for (v, person) in pb.volunteers().iter().enumerate() {
            let mine: Vec<usize> =
                pb.allowed(v).iter().copied().filter(|&s| !cuts.forbidden.contains(&(v as u32, s as u32))).collect();
            max.push(person.max.min(mine.len() as u32));
            vol_arc.push(g.add_edge(SOURCE, vol(v), 0, 0));
            prem_arc.push(g.add_edge(PREMIUM, vol(v), 0, 0));
            let mut link = |g: &mut Graph, from: u32, s: usize| {
                let cost = if pb.prefers(v, s) { 0 } else { 1 };
                arcs.push((v as u32, s as u32, g.add_edge(from, shift(s), 1, cost)));
            };
            // `mine` is sorted by (date, start): weeks and days are runs of it
            let mut i = 0;
            while i < mine.len() {
                let week = shifts[mine[i]].week();
                let mut j = i;
                while j < mine.len() && shifts[mine[j]].week() == week {
                    j += 1;
                }
                let parent = match person.max_per_week {
                    Some(w) if (w as usize) < j - i => {
                        let n = g.add_node();
                        g.add_edge(vol(v), n, w as i32, 0);
                        n
                    }
                    _ => vol(v),
                };
                let mut k = i;
                while k < j {
                    // one group: shifts of a day chained by overlap
                    let date = shifts[mine[k]].date;
                    let mut reach = shifts[mine[k]].end;
                    let mut m = k + 1;
                    while m < j && shifts[mine[m]].date == date && shifts[mine[m]].start < reach {
                        reach = reach.max(shifts[mine[m]].end);
                        m += 1;
                    }
                    let group = &mine[k..m];
                    if group.len() == 1 {
                        link(&mut g, parent, group[0]);
                    } else if clique(shifts, group) {
                        let c = g.add_node();
                        g.add_edge(parent, c, 1, 0);
                        for &s in group {
                            link(&mut g, c, s);
                        }
                    } else {
                        let c = g.add_node();
                        g.add_edge(parent, c, independent(shifts, group), 0);
                        for q_shifts in clique_cover(shifts, group, cuts.together.get(&(v as u32))) {
                            let q = g.add_node();
                            g.add_edge(c, q, 1, 0);
                            for s in q_shifts {
                                link(&mut g, q, s);
                            }
                        }
                        chains.push(Chain { volunteer: v as u32, shifts: group.iter().map(|&s| s as u32).collect() });
                    }
                    k = m;
                }
                i = j;
            }
        }
        for (s, sh) in shifts.iter().enumerate() {
            g.add_edge(shift(s), SINK, sh.need as i32, 0);
        }
        g.finish();
        Network { g, source: SOURCE, sink: SINK, vol_arc, prem_arc, p_arc, arcs, chains, max }
    }

    /// Sets the volunteers' capacities and clears the flow.
    pub fn set_caps(&mut self, caps: Caps) {
        for (v, &m) in self.max.iter().enumerate() {
            let (regular, premium) = match caps {
                Caps::Cover => (m, 0),
                Caps::Capped(l) => (m.min(l), 0),
                Caps::Fewest { l, .. } => (m.min(l.saturating_sub(1)), (l >= 1 && m >= l) as u32),
            };
            self.g.set_cap(self.vol_arc[v], regular as i32);
            self.g.set_cap(self.prem_arc[v], premium as i32);
        }
        let p = match caps {
            Caps::Fewest { p, .. } => p,
            _ => 0,
        };
        self.g.set_cap(self.p_arc, p as i32);
        self.g.reset();
    }

    /// The (volunteer, shift) pairs the current flow assigns.
    pub fn assigned(&self) -> Vec<(u32, u32)> {
        self.arcs.iter().filter(|&&(_, _, e)| self.g.flow(e) > 0).map(|&(v, s, _)| (v, s)).collect()
    }

    /// Number of (volunteer, shift) arcs; the network's size for reports.
    pub fn size(&self) -> usize {
        self.arcs.len()
    }
}

/// Every pair of overlapping shifts one volunteer holds in `assigned` (only chains can).
pub fn conflicts(pb: &Problem, chains: &[Chain], assigned: &HashSet<(u32, u32)>) -> Vec<(u32, u32, u32)> {
    let shifts = pb.shifts();
    let mut out = Vec::new();
    for c in chains {
        let held: Vec<u32> = c.shifts.iter().copied().filter(|&s| assigned.contains(&(c.volunteer, s))).collect();
        for (i, &a) in held.iter().enumerate() {
            for &b in &held[i + 1..] {
                if shifts[a as usize].overlaps(&shifts[b as usize]) {
                    out.push((c.volunteer, a, b));
                }
            }
        }
    }
    out
}

/// For a quick repair: in each chain, the held shifts to give up so the rest do not overlap
/// (keeping the most, earliest end first).
pub fn repairs(pb: &Problem, chains: &[Chain], assigned: &HashSet<(u32, u32)>) -> Vec<(u32, u32)> {
    let shifts = pb.shifts();
    let mut out = Vec::new();
    for c in chains {
        let mut held: Vec<u32> = c.shifts.iter().copied().filter(|&s| assigned.contains(&(c.volunteer, s))).collect();
        held.sort_by_key(|&s| shifts[s as usize].end);
        let mut free_from = None;
        for s in held {
            let sh = &shifts[s as usize];
            if free_from.is_none_or(|f| sh.start >= f) {
                free_from = Some(sh.end);
            } else {
                out.push((c.volunteer, s));
            }
        }
    }
    out
}
