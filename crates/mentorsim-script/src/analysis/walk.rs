//! Playing a scenario along its state graph, as a chooser that sees only the options offered:
//! thousands of plays cost what a few through the engine would, and follow the same rules
//! (the same options offered, the same scaling, the same pass rule).

use super::state_graph::Graph;
use crate::scenario::{ChoiceDef, Scenario};
use crate::scoring::{Totals, evaluate};

/// A scenario's state graph, ready to be played along.
pub struct Walker<'s> {
    scenario: &'s Scenario,
    graph: &'s Graph,
}

impl<'s> Walker<'s> {
    /// A walker along a complete, non-empty state graph of `scenario`.
    pub(super) fn new(scenario: &'s Scenario, graph: &'s Graph) -> Self {
        Walker { scenario, graph }
    }

    /// The share of `plays` plays that pass when `pick` chooses at every decision (it gets
    /// the options offered, in the file's order, and returns an index into them).
    pub fn pass_rate(&self, plays: usize, mut pick: impl FnMut(&[&'s ChoiceDef]) -> usize) -> f64 {
        let (scenario, graph) = (self.scenario, self.graph);
        // A play that meets more states than there are has gone round a loop.
        let longest = graph.states.len();
        let mut offered: Vec<&ChoiceDef> = Vec::new();
        let mut passed = 0usize;
        let mut totals = Totals::zero(scenario.competencies.len());
        for _ in 0..plays {
            totals.earned.fill(0);
            totals.possible.fill(0);
            let mut s = 0;
            for _ in 0..=longest {
                let state = &graph.states[s];
                if state.ending {
                    passed += usize::from(evaluate(scenario, &totals, &[]).passed);
                    break;
                }
                let edges = graph.edges(state);
                if edges.is_empty() {
                    break;
                }
                let taken = match graph.possible(state) {
                    Some(_) => {
                        let choices = scenario.choices(state.node);
                        offered.clear();
                        offered.extend(edges.iter().filter_map(|e| e.choice.map(|c| &choices[c])));
                        pick(&offered).min(edges.len() - 1)
                    }
                    None => 0,
                };
                let edge = &edges[taken];
                if let Some(possible) = graph.possible(state) {
                    totals.add(graph.earned(edge), possible);
                }
                // A critical choice fails the play whatever follows.
                if edge.critical {
                    break;
                }
                s = edge.to;
            }
        }
        passed as f64 / plays.max(1) as f64
    }
}
