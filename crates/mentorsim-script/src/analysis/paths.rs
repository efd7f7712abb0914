//! How many paths there are, and how many decisions the shortest and the longest meet.

use super::state_graph::Graph;

pub(super) struct PathFigures {
    pub(super) count: u128,
    pub(super) decisions_min: usize,
    pub(super) decisions_max: usize,
}

impl PathFigures {
    pub(super) fn new(graph: &Graph, good: &[bool], order: &[usize]) -> Self {
        let n = graph.states.len();
        let mut count = vec![0u128; n];
        let mut dmin = vec![usize::MAX; n];
        let mut dmax = vec![0usize; n];
        for &s in order.iter().rev() {
            let state = &graph.states[s];
            if state.ending {
                count[s] = 1;
                dmin[s] = 0;
                continue;
            }
            let step = usize::from(state.possible.is_some());
            for edge in graph.edges(state).iter().filter(|e| good[e.to]) {
                count[s] = count[s].saturating_add(count[edge.to]);
                dmin[s] = dmin[s].min(dmin[edge.to] + step);
                dmax[s] = dmax[s].max(dmax[edge.to] + step);
            }
        }
        PathFigures {
            count: count[0],
            decisions_min: dmin[0],
            decisions_max: dmax[0],
        }
    }
}
