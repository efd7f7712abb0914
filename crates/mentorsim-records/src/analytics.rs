//! Choice analytics: how trainees really answered each decision of a scenario, from the
//! records. A trainer sees which options draw people in (a harmful option picked by half the
//! cohort needs better teaching before it, or a better-written alternative) and which critical
//! errors are made most.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::store::CriticalCount;
use mentorsim_script::graph::{EdgeKind, Graph, GraphNodeKind};
use mentorsim_script::scenario::Scenario;

/// A scenario's pick rates and critical errors.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioAnalytics {
    /// Scenario id.
    pub scenario: String,
    /// Title.
    pub title: String,
    /// Attempts recorded at it.
    pub attempts: u64,
    /// Of which finished.
    pub finished: u64,
    /// Each decision in file order, then decisions the records have that the scenario no
    /// longer does.
    pub decisions: Vec<DecisionPicks>,
    /// Critical errors, most frequent first.
    pub critical: Vec<CriticalCount>,
}

/// The picks at one decision.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionPicks {
    /// Node id.
    pub node: String,
    /// What the mentee says there (empty when the node is gone).
    pub text: String,
    /// Picks made there.
    pub picks: u64,
    /// Its options in author order, then options the records have that it no longer offers.
    pub options: Vec<OptionPicks>,
}

/// One option's picks.
#[derive(Debug, Clone, Serialize)]
pub struct OptionPicks {
    /// Choice id.
    pub choice: String,
    /// What the trainee says (empty when the option is gone).
    pub text: String,
    /// Sum of its points.
    pub net: i32,
    /// `major`, `critical` or none.
    pub severity: Option<&'static str>,
    /// Times taken.
    pub count: u64,
    /// Share of the picks at its decision, 0..1.
    pub rate: f64,
    /// Whether the scenario still has it (records outlive edits).
    pub in_scenario: bool,
}

/// Puts the records' counts (from [`crate::store::Store::choice_picks`],
/// [`crate::store::Store::critical_counts`] and [`crate::store::Store::attempt_counts`])
/// against the scenario's decisions.
pub fn analyse(
    scenario: &Scenario,
    picks: &BTreeMap<(String, String), u64>,
    critical: Vec<CriticalCount>,
    (attempts, finished): (u64, u64),
) -> ScenarioAnalytics {
    let mut graph = Graph::of(scenario);
    graph.set_picks(picks);
    let mut decisions: Vec<DecisionPicks> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| node.kind == GraphNodeKind::Decision)
        .map(|(ix, node)| DecisionPicks {
            node: node.id.clone(),
            text: node.text.clone(),
            picks: 0,
            options: graph
                .edges
                .iter()
                .filter(|edge| edge.from == ix)
                .filter_map(|edge| match &edge.kind {
                    EdgeKind::Choice {
                        id,
                        text,
                        net,
                        severity,
                        picks,
                        ..
                    } => Some(OptionPicks {
                        choice: id.clone(),
                        text: text.clone(),
                        net: *net,
                        severity: *severity,
                        count: picks.map_or(0, |p| p.count),
                        rate: 0.0,
                        in_scenario: true,
                    }),
                    _ => None,
                })
                .collect(),
        })
        .collect();
    for ((node, choice), &count) in picks {
        let at = match decisions.iter().position(|d| d.node == *node) {
            Some(at) => at,
            None => {
                decisions.push(DecisionPicks {
                    node: node.clone(),
                    text: String::new(),
                    picks: 0,
                    options: Vec::new(),
                });
                decisions.len() - 1
            }
        };
        let options = &mut decisions[at].options;
        if !options.iter().any(|o| o.choice == *choice) {
            options.push(OptionPicks {
                choice: choice.clone(),
                text: String::new(),
                net: 0,
                severity: None,
                count,
                rate: 0.0,
                in_scenario: false,
            });
        }
    }
    for decision in &mut decisions {
        decision.picks = decision.options.iter().map(|o| o.count).sum();
        for option in &mut decision.options {
            if decision.picks > 0 {
                option.rate = option.count as f64 / decision.picks as f64;
            }
        }
    }
    ScenarioAnalytics {
        scenario: scenario.id.clone(),
        title: scenario.title.clone(),
        attempts,
        finished,
        decisions,
        critical,
    }
}
