//! Max flow (Dinic) and min-cost flow (primal-dual: Dijkstra with potentials, then Dinic on the
//! zero-reduced-cost edges), on integer capacities and non-negative integer costs.
//!
//! Edges come in pairs: `e` forward, `e ^ 1` its reverse; `res` is the residual capacity, so the
//! flow on a forward edge is `res[e ^ 1]`. Adjacency is a compressed array built once by
//! [`Graph::finish`]; capacities can then be changed and flows reset for another solve.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

const UNSEEN: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub struct Graph {
    n: usize,
    from: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<i32>,
    res: Vec<i32>,
    cost: Vec<i32>,
    start: Vec<u32>,
    adj: Vec<u32>,
    level: Vec<u32>,
    it: Vec<u32>,
    pi: Vec<i64>,
}

impl Graph {
    pub fn new(n: usize) -> Graph {
        Graph { n, ..Graph::default() }
    }

    pub fn add_node(&mut self) -> u32 {
        self.n += 1;
        (self.n - 1) as u32
    }

    pub fn nodes(&self) -> usize {
        self.n
    }

    /// Adds `u → v` with a capacity and a cost per unit; returns the forward edge's id.
    pub fn add_edge(&mut self, u: u32, v: u32, cap: i32, cost: i32) -> u32 {
        debug_assert!(cost >= 0 && cap >= 0);
        let e = self.to.len() as u32;
        self.from.extend([u, v]);
        self.to.extend([v, u]);
        self.cap.extend([cap, 0]);
        self.res.extend([cap, 0]);
        self.cost.extend([cost, -cost]);
        e
    }

    /// Builds the adjacency; call once after the last edge.
    pub fn finish(&mut self) {
        let mut start = vec![0u32; self.n + 1];
        for &u in &self.from {
            start[u as usize + 1] += 1;
        }
        for i in 0..self.n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut adj = vec![0u32; self.from.len()];
        for (e, &u) in self.from.iter().enumerate() {
            adj[fill[u as usize] as usize] = e as u32;
            fill[u as usize] += 1;
        }
        self.start = start;
        self.adj = adj;
        self.level = vec![UNSEEN; self.n];
        self.it = vec![0; self.n];
        self.pi = vec![0; self.n];
    }

    /// Changes a forward edge's capacity; takes effect at the next [`Graph::reset`].
    pub fn set_cap(&mut self, e: u32, cap: i32) {
        self.cap[e as usize] = cap;
    }

    /// Zero flow everywhere.
    pub fn reset(&mut self) {
        for e in (0..self.to.len()).step_by(2) {
            self.res[e] = self.cap[e];
            self.res[e + 1] = 0;
        }
        self.pi.iter_mut().for_each(|p| *p = 0);
    }

    /// The flow on a forward edge.
    pub fn flow(&self, e: u32) -> i32 {
        self.res[e as usize ^ 1]
    }

    fn admissible(&self, e: usize, by_cost: bool) -> bool {
        self.res[e] > 0
            && (!by_cost || self.cost[e] as i64 + self.pi[self.from[e] as usize] - self.pi[self.to[e] as usize] == 0)
    }

    fn bfs(&mut self, s: u32, t: u32, by_cost: bool) -> bool {
        self.level.iter_mut().for_each(|l| *l = UNSEEN);
        let mut queue = Vec::with_capacity(self.n);
        self.level[s as usize] = 0;
        queue.push(s);
        let mut head = 0;
        while head < queue.len() {
            let u = queue[head] as usize;
            head += 1;
            if u == t as usize {
                break;
            }
            for &e in &self.adj[self.start[u] as usize..self.start[u + 1] as usize] {
                let v = self.to[e as usize] as usize;
                if self.level[v] == UNSEEN && self.admissible(e as usize, by_cost) {
                    self.level[v] = self.level[u] + 1;
                    queue.push(v as u32);
                }
            }
        }
        self.level[t as usize] != UNSEEN
    }

    /// One blocking flow along the BFS levels, at most `limit`; iterative so long residual paths
    /// cannot overflow the stack.
    fn blocking(&mut self, s: u32, t: u32, limit: i64, by_cost: bool) -> i64 {
        for u in 0..self.n {
            self.it[u] = self.start[u];
        }
        let lt = self.level[t as usize];
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0i64;
        let mut u = s as usize;
        loop {
            if u == t as usize {
                let mut b = (limit - total).min(i32::MAX as i64) as i32;
                for &e in &path {
                    b = b.min(self.res[e as usize]);
                }
                for &e in &path {
                    self.res[e as usize] -= b;
                    self.res[e as usize ^ 1] += b;
                }
                total += b as i64;
                if total >= limit {
                    return total;
                }
                let k = path.iter().position(|&e| self.res[e as usize] == 0).unwrap_or(0);
                u = self.from[path[k] as usize] as usize;
                path.truncate(k);
                continue;
            }
            let end = self.start[u + 1];
            let mut found = None;
            while self.it[u] < end {
                let e = self.adj[self.it[u] as usize] as usize;
                let v = self.to[e] as usize;
                if self.level[v] == self.level[u] + 1
                    && (self.level[v] < lt || v == t as usize)
                    && self.admissible(e, by_cost)
                {
                    found = Some(e);
                    break;
                }
                self.it[u] += 1;
            }
            match found {
                Some(e) => {
                    path.push(e as u32);
                    u = self.to[e] as usize;
                }
                None => {
                    // a dead end: no path to t through u in this phase
                    self.level[u] = UNSEEN;
                    let Some(e) = path.pop() else { return total };
                    u = self.from[e as usize] as usize;
                    self.it[u] += 1;
                }
            }
        }
    }

    fn dinic(&mut self, s: u32, t: u32, limit: i64, by_cost: bool) -> i64 {
        let mut total = 0;
        while total < limit && self.bfs(s, t, by_cost) {
            let f = self.blocking(s, t, limit - total, by_cost);
            if f == 0 {
                break;
            }
            total += f;
        }
        total
    }

    /// Pushes as much as possible from `s` to `t`, at most `limit`, on top of the current flow.
    pub fn max_flow(&mut self, s: u32, t: u32, limit: i64) -> i64 {
        self.dinic(s, t, limit, false)
    }

    /// From zero flow, the cheapest flow of value min(`limit`, max flow): returns (value, cost).
    /// Each phase finds shortest distances with reduced costs (kept non-negative by the
    /// potentials), then saturates every shortest path at once with Dinic.
    pub fn min_cost_flow(&mut self, s: u32, t: u32, limit: i64) -> (i64, i64) {
        self.reset();
        let mut total = 0;
        let mut dist = vec![i64::MAX; self.n];
        let mut heap = BinaryHeap::new();
        while total < limit {
            dist.iter_mut().for_each(|d| *d = i64::MAX);
            dist[s as usize] = 0;
            heap.push(Reverse((0i64, s)));
            while let Some(Reverse((d, u))) = heap.pop() {
                let u = u as usize;
                if d > dist[u] {
                    continue;
                }
                for &e in &self.adj[self.start[u] as usize..self.start[u + 1] as usize] {
                    let e = e as usize;
                    if self.res[e] <= 0 {
                        continue;
                    }
                    let v = self.to[e] as usize;
                    let nd = d + self.cost[e] as i64 + self.pi[u] - self.pi[v];
                    if nd < dist[v] {
                        dist[v] = nd;
                        heap.push(Reverse((nd, v as u32)));
                    }
                }
            }
            let dt = dist[t as usize];
            if dt == i64::MAX {
                break;
            }
            for (p, d) in self.pi.iter_mut().zip(&dist) {
                *p += (*d).min(dt);
            }
            let f = self.dinic(s, t, limit - total, true);
            if f == 0 {
                break;
            }
            total += f;
        }
        let cost = (0..self.to.len()).step_by(2).map(|e| self.cost[e] as i64 * self.res[e ^ 1] as i64).sum();
        (total, cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Edmonds–Karp on a dense matrix: slow, obviously right.
    fn reference_max_flow(n: usize, edges: &[(usize, usize, i32)], s: usize, t: usize) -> i64 {
        let mut c = vec![vec![0i64; n]; n];
        for &(u, v, k) in edges {
            c[u][v] += k as i64;
        }
        let mut total = 0;
        loop {
            let mut prev = vec![usize::MAX; n];
            prev[s] = s;
            let mut q = std::collections::VecDeque::from([s]);
            while let Some(u) = q.pop_front() {
                for v in 0..n {
                    if prev[v] == usize::MAX && c[u][v] > 0 {
                        prev[v] = u;
                        q.push_back(v);
                    }
                }
            }
            if prev[t] == usize::MAX {
                return total;
            }
            let mut b = i64::MAX;
            let mut v = t;
            while v != s {
                b = b.min(c[prev[v]][v]);
                v = prev[v];
            }
            let mut v = t;
            while v != s {
                c[prev[v]][v] -= b;
                c[v][prev[v]] += b;
                v = prev[v];
            }
            total += b;
        }
    }

    /// The cheapest flow of a given value by trying every integral flow on tiny graphs.
    fn brute_min_cost(n: usize, edges: &[(usize, usize, i32, i32)], s: usize, t: usize, value: i64) -> Option<i64> {
        // the balance each node must end with: −value at s, +value at t
        let want: Vec<i64> = (0..n)
            .map(|v| {
                if v == s {
                    -value
                } else if v == t {
                    value
                } else {
                    0
                }
            })
            .collect();
        let mut best = None;
        let mut flows = vec![0i64; edges.len()];
        loop {
            let mut bal = vec![0i64; n];
            for (&(u, v, _, _), &f) in edges.iter().zip(&flows) {
                bal[u] -= f;
                bal[v] += f;
            }
            if bal == want {
                let cost = edges.iter().zip(&flows).map(|(e, &f)| f * e.3 as i64).sum::<i64>();
                best = Some(best.map_or(cost, |b: i64| b.min(cost)));
            }
            // the next combination, like an odometer
            let Some(i) = (0..edges.len()).find(|&i| flows[i] < edges[i].2 as i64) else { return best };
            flows[i] += 1;
            flows[..i].iter_mut().for_each(|f| *f = 0);
        }
    }

    #[test]
    fn a_flow_that_needs_a_reverse_edge_is_found() {
        // s→a→b→t and s→b, a→t: the greedy first path s-a-b-t must be undone to reach 2
        let mut g = Graph::new(4);
        for (u, v) in [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3)] {
            g.add_edge(u, v, 1, 0);
        }
        g.finish();
        assert_eq!(g.max_flow(0, 3, i64::MAX), 2);
        g.reset();
        assert_eq!(g.max_flow(0, 3, 1), 1);
    }

    #[test]
    fn min_cost_flow_prefers_the_cheap_route_and_stops_at_the_limit() {
        let mut g = Graph::new(4);
        let cheap = g.add_edge(0, 1, 1, 0);
        g.add_edge(1, 3, 1, 0);
        let dear = g.add_edge(0, 2, 5, 3);
        g.add_edge(2, 3, 5, 0);
        g.finish();
        assert_eq!(g.min_cost_flow(0, 3, 1), (1, 0));
        assert_eq!((g.flow(cheap), g.flow(dear)), (1, 0));
        assert_eq!(g.min_cost_flow(0, 3, 3), (3, 6));
        assert_eq!(g.min_cost_flow(0, 3, i64::MAX), (6, 15));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn dinic_equals_edmonds_karp(edges in prop::collection::vec((0usize..7, 0usize..7, 0i32..4), 0..20)) {
            let edges: Vec<_> = edges.into_iter().filter(|(u, v, _)| u != v).collect();
            let mut g = Graph::new(7);
            for &(u, v, c) in &edges {
                g.add_edge(u as u32, v as u32, c, 0);
            }
            g.finish();
            prop_assert_eq!(g.max_flow(0, 6, i64::MAX), reference_max_flow(7, &edges, 0, 6));
        }

        #[test]
        fn min_cost_flow_equals_brute_force(edges in prop::collection::vec((0usize..5, 0usize..5, 0i32..3, 0i32..4), 0..7)) {
            let edges: Vec<_> = edges.into_iter().filter(|(u, v, _, _)| u != v).collect();
            let mut g = Graph::new(5);
            for &(u, v, c, w) in &edges {
                g.add_edge(u as u32, v as u32, c, w);
            }
            g.finish();
            let (value, cost) = g.min_cost_flow(0, 4, i64::MAX);
            let plain: Vec<_> = edges.iter().map(|&(u, v, c, _)| (u, v, c)).collect();
            prop_assert_eq!(value, reference_max_flow(5, &plain, 0, 4));
            // cycles of positive cost never help, so the brute force's optimum is the same
            prop_assert_eq!(Some(cost), brute_min_cost(5, &edges, 0, 4, value));
        }
    }
}
