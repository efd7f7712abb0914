//! How many paths there are, how many decisions the shortest and the longest meet, and how
//! few decisions assess each competency on some path.

use super::state_graph::Graph;

pub(super) struct PathFigures {
    pub(super) count: u128,
    pub(super) decisions_min: usize,
    pub(super) decisions_max: usize,
    /// Per competency, the fewest decisions that assess it on a path.
    pub(super) assessing_min: Vec<usize>,
    /// Per state and competency (state-major), the fewest assessing decisions from there on.
    assessing: Vec<usize>,
}

impl PathFigures {
    pub(super) fn new(graph: &Graph, good: &[bool], order: &[usize]) -> Self {
        let n = graph.states.len();
        let mut count = vec![0u128; n];
        let mut dmin = vec![usize::MAX; n];
        let mut dmax = vec![0usize; n];
        let width = graph.width;
        let mut assessing = vec![usize::MAX; n * width];
        for &s in order.iter().rev() {
            let state = &graph.states[s];
            if state.ending {
                count[s] = 1;
                dmin[s] = 0;
                assessing[s * width..(s + 1) * width].fill(0);
                continue;
            }
            let step = usize::from(state.possible.is_some());
            let possible = graph.possible(state);
            for edge in graph.edges(state).iter().filter(|e| good[e.to]) {
                count[s] = count[s].saturating_add(count[edge.to]);
                dmin[s] = dmin[s].min(dmin[edge.to] + step);
                dmax[s] = dmax[s].max(dmax[edge.to] + step);
                for c in 0..width {
                    let moves = usize::from(possible.is_some_and(|p| p[c] > 0));
                    let via = assessing[edge.to * width + c].saturating_add(moves);
                    let here = &mut assessing[s * width + c];
                    *here = (*here).min(via);
                }
            }
        }
        PathFigures {
            count: count[0],
            decisions_min: dmin[0],
            decisions_max: dmax[0],
            assessing_min: assessing[..width].to_vec(),
            assessing,
        }
    }

    /// A path (as states) on which competency `c` is assessed by the fewest decisions.
    pub(super) fn least_assessing_path(
        &self,
        graph: &Graph,
        good: &[bool],
        c: usize,
    ) -> Vec<usize> {
        let width = graph.width;
        let mut path = vec![0];
        let mut s = 0;
        while !graph.states[s].ending {
            let state = &graph.states[s];
            let moves = usize::from(graph.possible(state).is_some_and(|p| p[c] > 0));
            let Some(edge) = graph.edges(state).iter().find(|e| {
                good[e.to]
                    && self.assessing[e.to * width + c].saturating_add(moves)
                        == self.assessing[s * width + c]
            }) else {
                break;
            };
            s = edge.to;
            path.push(s);
        }
        path
    }
}
