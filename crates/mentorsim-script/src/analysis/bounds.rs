//! Each competency's lowest and highest reachable score: a ratio of sums over paths, bounded
//! exactly with Dinkelbach's method in integers.

use super::state_graph::{Graph, Path};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Min,
    Max,
}

/// Exact bounds of a competency's score ratio over all paths.
/// One competency's part of the state graph (its spread per state, and the points each usable
/// edge earns), laid out flat: the search passes over it many times, and following each edge's
/// own allocation made those passes most of the time of checking a large scenario.
pub(super) struct RatioSearch<'a> {
    pub(super) order: &'a [usize],
    pub(super) ending: Vec<bool>,
    pub(super) possible: Vec<i64>,
    /// State `s`'s usable edges are `first_edge[s]..first_edge[s + 1]`.
    pub(super) first_edge: Vec<usize>,
    pub(super) to: Vec<usize>,
    pub(super) earned: Vec<i64>,
    /// Each edge's position among its state's edges, for the witness paths.
    pub(super) edge: Vec<usize>,
}

impl<'a> RatioSearch<'a> {
    pub(super) fn new(graph: &Graph, good: &[bool], order: &'a [usize], c: usize) -> Self {
        let n = graph.states.len();
        let mut search = RatioSearch {
            order,
            ending: Vec::with_capacity(n),
            possible: Vec::with_capacity(n),
            first_edge: Vec::with_capacity(n + 1),
            to: Vec::new(),
            earned: Vec::new(),
            edge: Vec::new(),
        };
        for state in &graph.states {
            search.ending.push(state.ending);
            search
                .possible
                .push(graph.possible(state).map_or(0, |p| i64::from(p[c])));
            search.first_edge.push(search.to.len());
            for (i, edge) in graph
                .edges(state)
                .iter()
                .enumerate()
                .filter(|(_, e)| good[e.to])
            {
                search.to.push(edge.to);
                search.earned.push(i64::from(graph.earned(edge)[c]));
                search.edge.push(i);
            }
        }
        search.first_edge.push(search.to.len());
        search
    }

    /// The lowest or highest score ratio of the competency over the paths that assess it,
    /// with a path attaining it (Dinkelbach: repeatedly find the path that most improves on
    /// the current ratio until none does; ratios only improve, so this ends).
    pub(super) fn bound(&self, direction: Direction) -> Option<(f64, Path)> {
        let (mut num, mut den): (i128, i128) = match direction {
            Direction::Max => (0, 1),
            Direction::Min => (1, 1),
        };
        let mut witness = None;
        loop {
            let (value, path) = self.best_path(direction, num, den)?;
            if value <= 0 {
                let path = witness.unwrap_or(path);
                return Some((num as f64 / den as f64, path));
            }
            // A positive value means this path's ratio beats num/den: move to it.
            let (earned, possible) = self.totals_along(&path);
            let g = gcd(earned, possible).max(1);
            num = earned / g;
            den = possible / g;
            witness = Some(path);
        }
    }

    /// The path maximising `sign * (den * earned - num * possible)` among paths that assess
    /// the competency, and that value.
    pub(super) fn best_path(
        &self,
        direction: Direction,
        num: i128,
        den: i128,
    ) -> Option<(i128, Path)> {
        let sign = if direction == Direction::Max { 1 } else { -1 };
        let n = self.ending.len();
        // value[s][need]: best suffix value from s; `need` = the suffix must still assess it.
        const NONE: i128 = i128::MIN;
        let mut value = vec![[NONE; 2]; n];
        let mut next = vec![[usize::MAX; 2]; n];
        for &s in self.order.iter().rev() {
            if self.ending[s] {
                value[s] = [0, NONE];
                continue;
            }
            let p = i128::from(self.possible[s]);
            let mut best = [NONE; 2];
            let mut best_edge = [usize::MAX; 2];
            for k in self.first_edge[s]..self.first_edge[s + 1] {
                let weight = sign * (den * i128::from(self.earned[k]) - num * p);
                let suffix = value[self.to[k]];
                for need in 0..2 {
                    let after = suffix[if p > 0 { 0 } else { need }];
                    if after != NONE && weight + after > best[need] {
                        best[need] = weight + after;
                        best_edge[need] = k;
                    }
                }
            }
            value[s] = best;
            next[s] = best_edge;
        }
        let start_value = value[0][1];
        if start_value == NONE {
            return None;
        }
        let mut path = Vec::new();
        let (mut s, mut need) = (0, 1);
        while next[s][need] != usize::MAX {
            let k = next[s][need];
            path.push((s, self.edge[k]));
            if self.possible[s] > 0 {
                need = 0;
            }
            s = self.to[k];
        }
        Some((start_value, path))
    }

    /// Points earned and possible along a path.
    pub(super) fn totals_along(&self, path: &[(usize, usize)]) -> (i128, i128) {
        path.iter().fold((0, 0), |(earned, possible), &(s, edge)| {
            let k = self.first_edge[s]
                + self.edge[self.first_edge[s]..self.first_edge[s + 1]]
                    .iter()
                    .position(|&e| e == edge)
                    .unwrap_or(0);
            (
                earned + i128::from(self.earned[k]),
                possible + i128::from(self.possible[s]),
            )
        })
    }

    /// A path on which no decision assesses the competency, if there is one.
    pub(super) fn unassessed_path(&self) -> Option<Vec<usize>> {
        let n = self.ending.len();
        let mut ok = vec![false; n];
        let mut next = vec![usize::MAX; n];
        for &s in self.order.iter().rev() {
            if self.ending[s] {
                ok[s] = true;
            } else if self.possible[s] == 0
                && let Some(k) =
                    (self.first_edge[s]..self.first_edge[s + 1]).find(|&k| ok[self.to[k]])
            {
                ok[s] = true;
                next[s] = self.to[k];
            }
        }
        ok[0].then(|| {
            let mut path = vec![0];
            let mut s = 0;
            while next[s] != usize::MAX {
                s = next[s];
                path.push(s);
            }
            path
        })
    }
}

pub(super) fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}
