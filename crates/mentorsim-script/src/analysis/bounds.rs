//! Each competency's lowest and highest reachable score: a ratio of sums over paths, bounded
//! exactly with Dinkelbach's method in integers.

use super::state_graph::{Graph, Path};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Min,
    Max,
}

/// The usable part of the state graph laid out flat, once for all the competencies' searches:
/// the searches pass over it many times, and following each edge's own allocation made those
/// passes most of the time of checking a large scenario.
pub(super) struct Layout<'a> {
    pub(super) order: &'a [usize],
    pub(super) ending: Vec<bool>,
    /// State `s`'s usable edges are `first_edge[s]..first_edge[s + 1]`.
    pub(super) first_edge: Vec<usize>,
    pub(super) to: Vec<usize>,
    /// Each edge's position among its state's edges, for the witness paths.
    pub(super) edge: Vec<usize>,
    /// Each edge's index in [`Graph::edges`], for its points.
    source: Vec<usize>,
}

impl<'a> Layout<'a> {
    pub(super) fn new(graph: &Graph, good: &[bool], order: &'a [usize]) -> Self {
        let n = graph.states.len();
        let mut layout = Layout {
            order,
            ending: Vec::with_capacity(n),
            first_edge: Vec::with_capacity(n + 1),
            to: Vec::new(),
            edge: Vec::new(),
            source: Vec::new(),
        };
        for state in &graph.states {
            layout.ending.push(state.ending);
            layout.first_edge.push(layout.to.len());
            for (i, edge) in graph
                .edges(state)
                .iter()
                .enumerate()
                .filter(|(_, e)| good[e.to])
            {
                layout.to.push(edge.to);
                layout.edge.push(i);
                layout.source.push(state.edges.start + i);
            }
        }
        layout.first_edge.push(layout.to.len());
        layout
    }
}

/// Exact bounds of one competency's score ratio over all paths: its spread per state and the
/// points each usable edge earns, over the shared [`Layout`].
pub(super) struct RatioSearch<'a> {
    pub(super) layout: &'a Layout<'a>,
    pub(super) possible: Vec<i64>,
    pub(super) earned: Vec<i64>,
}

impl<'a> RatioSearch<'a> {
    pub(super) fn new(graph: &Graph, layout: &'a Layout<'a>, c: usize) -> Self {
        RatioSearch {
            layout,
            possible: graph
                .states
                .iter()
                .map(|state| graph.possible(state).map_or(0, |p| i64::from(p[c])))
                .collect(),
            earned: layout
                .source
                .iter()
                .map(|&e| i64::from(graph.earned(&graph.edges[e])[c]))
                .collect(),
        }
    }

    /// The lowest or highest score ratio of the competency over the paths that assess it,
    /// with a path attaining it (Dinkelbach: repeatedly find the path that most improves on
    /// the current ratio until none does; ratios only improve, so this ends).
    pub(super) fn bound(&self, direction: Direction) -> Option<(f64, Path)> {
        // Every value the search compares is at most `den * earned + num * possible` summed
        // along one path, with num and den themselves such sums: when that fits in an i64 with
        // room to spare (every bundled scenario, and far beyond) the search runs in i64, twice
        // as fast as in i128; otherwise in i128, where it cannot overflow.
        let reach = self
            .earned
            .iter()
            .map(|e| i128::from(e.unsigned_abs()))
            .sum::<i128>()
            + self.possible.iter().map(|&p| i128::from(p)).sum::<i128>();
        if reach.saturating_mul(reach).saturating_mul(4) < i128::from(i64::MAX) {
            self.dinkelbach::<i64>(direction)
        } else {
            self.dinkelbach::<i128>(direction)
        }
    }

    fn dinkelbach<W: Wide>(&self, direction: Direction) -> Option<(f64, Path)> {
        let mut table = Table::new(self.layout.ending.len());
        // Most competencies reach both 0 % and 100 %: one round at the extreme ratio settles
        // that (no path beats it, and the path found attains it), where starting from the other
        // end took two or three rounds. Scores lie in 0..1, so no path can beat the extreme.
        let (extreme, (mut num, mut den)) = match direction {
            Direction::Max => (1.0, (W::from(0), W::from(1))),
            Direction::Min => (0.0, (W::from(1), W::from(1))),
        };
        let (extreme_num, extreme_den) = match direction {
            Direction::Max => (W::from(1), W::from(1)),
            Direction::Min => (W::from(0), W::from(1)),
        };
        let (value, path) = self.best_path(direction, extreme_num, extreme_den, &mut table)?;
        if value == W::from(0) {
            return Some((extreme, path));
        }
        let mut witness = None;
        loop {
            let (value, path) = self.best_path(direction, num, den, &mut table)?;
            if value <= W::from(0) {
                let path = witness.unwrap_or(path);
                return Some((num.as_f64() / den.as_f64(), path));
            }
            // A positive value means this path's ratio beats num/den: move to it.
            let (earned, possible) = self.totals_along(&path);
            let g = gcd(earned, possible).max(1);
            num = W::narrow(earned / g);
            den = W::narrow(possible / g);
            witness = Some(path);
        }
    }

    /// The path maximising `sign * (den * earned - num * possible)` among paths that assess
    /// the competency, and that value.
    fn best_path<W: Wide>(
        &self,
        direction: Direction,
        num: W,
        den: W,
        table: &mut Table<W>,
    ) -> Option<(W, Path)> {
        let sign = W::from(if direction == Direction::Max { 1 } else { -1 });
        // value[s][need]: best suffix value from s; `need` = the suffix must still assess it.
        let none = W::NONE;
        let Table { value, next } = table;
        for &s in self.layout.order.iter().rev() {
            if self.layout.ending[s] {
                value[s] = [W::from(0), none];
                continue;
            }
            let p = self.possible[s];
            let taken = num * W::from(p);
            let mut best = [none; 2];
            let mut best_edge = [usize::MAX; 2];
            for k in self.layout.first_edge[s]..self.layout.first_edge[s + 1] {
                let weight = sign * (den * W::from(self.earned[k]) - taken);
                let suffix = value[self.layout.to[k]];
                for need in 0..2 {
                    let after = suffix[if p > 0 { 0 } else { need }];
                    if after != none && weight + after > best[need] {
                        best[need] = weight + after;
                        best_edge[need] = k;
                    }
                }
            }
            value[s] = best;
            next[s] = best_edge;
        }
        let start_value = value[0][1];
        if start_value == none {
            return None;
        }
        let mut path = Vec::new();
        let (mut s, mut need) = (0, 1);
        while next[s][need] != usize::MAX {
            let k = next[s][need];
            path.push((s, self.layout.edge[k]));
            if self.possible[s] > 0 {
                need = 0;
            }
            s = self.layout.to[k];
        }
        Some((start_value, path))
    }

    /// Points earned and possible along a path.
    pub(super) fn totals_along(&self, path: &[(usize, usize)]) -> (i128, i128) {
        path.iter().fold((0, 0), |(earned, possible), &(s, edge)| {
            let k = self.layout.first_edge[s]
                + self.layout.edge[self.layout.first_edge[s]..self.layout.first_edge[s + 1]]
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
        let n = self.layout.ending.len();
        let mut ok = vec![false; n];
        let mut next = vec![usize::MAX; n];
        for &s in self.layout.order.iter().rev() {
            if self.layout.ending[s] {
                ok[s] = true;
            } else if self.possible[s] == 0
                && let Some(k) = (self.layout.first_edge[s]..self.layout.first_edge[s + 1])
                    .find(|&k| ok[self.layout.to[k]])
            {
                ok[s] = true;
                next[s] = self.layout.to[k];
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

/// The search's best suffix values and edges per state, reused by each Dinkelbach round.
struct Table<W> {
    value: Vec<[W; 2]>,
    next: Vec<[usize; 2]>,
}

impl<W: Wide> Table<W> {
    fn new(states: usize) -> Self {
        Table {
            value: vec![[W::NONE; 2]; states],
            next: vec![[usize::MAX; 2]; states],
        }
    }
}

/// The integer the search runs in.
trait Wide:
    Copy
    + Ord
    + From<i64>
    + std::ops::Add<Output = Self>
    + std::ops::Sub<Output = Self>
    + std::ops::Mul<Output = Self>
{
    /// No path: below every value a path can have.
    const NONE: Self;
    /// A ratio's part, known to fit (the caller chose the type so that it does).
    fn narrow(value: i128) -> Self;
    fn as_f64(self) -> f64;
}

impl Wide for i64 {
    const NONE: Self = i64::MIN;
    fn narrow(value: i128) -> Self {
        i64::try_from(value).unwrap_or(i64::MAX)
    }
    fn as_f64(self) -> f64 {
        self as f64
    }
}

impl Wide for i128 {
    const NONE: Self = i128::MIN;
    fn narrow(value: i128) -> Self {
        value
    }
    fn as_f64(self) -> f64 {
        self as f64
    }
}

pub(super) fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// A layered graph: state 0 first, `layers` layers of `width` states, one ending last;
    /// every state links to two or three states of the next layer.
    fn layered(rng: &mut ChaCha8Rng, layers: usize, width: usize) -> RatioSearch<'static> {
        let n = 2 + layers * width;
        let ending = n - 1;
        let layer_of = |s: usize| if s == 0 { 0 } else { (s - 1) / width + 1 };
        let first_of = |layer: usize| 1 + (layer - 1) * width;
        let order: &'static [usize] = Box::leak((0..n).collect::<Vec<_>>().into_boxed_slice());
        let mut layout = Layout {
            order,
            ending: (0..n).map(|s| s == ending).collect(),
            first_edge: Vec::new(),
            to: Vec::new(),
            edge: Vec::new(),
            source: Vec::new(),
        };
        let (mut possible, mut earned) = (Vec::new(), Vec::new());
        for s in 0..n {
            layout.first_edge.push(layout.to.len());
            // Some decisions do not assess the competency.
            let spread = if s == ending || rng.random_range(0..4) == 0 {
                0
            } else {
                rng.random_range(1..6)
            };
            possible.push(spread);
            if s == ending {
                continue;
            }
            let targets: Vec<usize> = if layer_of(s) == layers {
                vec![ending]
            } else {
                let next = first_of(layer_of(s) + 1);
                (0..rng.random_range(2..4))
                    .map(|_| next + rng.random_range(0..width))
                    .collect()
            };
            for (i, to) in targets.into_iter().enumerate() {
                layout.to.push(to);
                earned.push(rng.random_range(0..=spread));
                layout.edge.push(i);
            }
        }
        layout.first_edge.push(layout.to.len());
        RatioSearch {
            layout: Box::leak(Box::new(layout)),
            possible,
            earned,
        }
    }

    /// Every path's ratio, by walking them all.
    fn every_ratio(search: &RatioSearch, s: usize, earned: i64, possible: i64, out: &mut Vec<f64>) {
        let layout = search.layout;
        if layout.ending[s] {
            if possible > 0 {
                out.push(earned as f64 / possible as f64);
            }
            return;
        }
        for k in layout.first_edge[s]..layout.first_edge[s + 1] {
            every_ratio(
                search,
                layout.to[k],
                earned + search.earned[k],
                possible + search.possible[s],
                out,
            );
        }
    }

    #[test]
    fn the_i64_and_i128_searches_find_the_exact_bounds_of_every_path() {
        let mut rng = ChaCha8Rng::seed_from_u64(16);
        for _ in 0..200 {
            let (layers, width) = (rng.random_range(1..6), rng.random_range(1..4));
            let search = layered(&mut rng, layers, width);
            let mut ratios = Vec::new();
            every_ratio(&search, 0, 0, 0, &mut ratios);
            let lowest = ratios.iter().copied().fold(f64::INFINITY, f64::min);
            let highest = ratios.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            for direction in [Direction::Min, Direction::Max] {
                let narrow = search.dinkelbach::<i64>(direction).map(|(ratio, _)| ratio);
                let wide = search.dinkelbach::<i128>(direction).map(|(ratio, _)| ratio);
                let exact = (!ratios.is_empty()).then_some(match direction {
                    Direction::Min => lowest,
                    Direction::Max => highest,
                });
                assert_eq!(narrow, exact);
                assert_eq!(wide, exact);
            }
        }
    }
}
