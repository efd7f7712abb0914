//! A happy story beside a failed verdict teaches the wrong lesson: a trainee who did not pass
//! reads that it went well. A `Positive` ending that some path which does not pass reaches must
//! say why the story and the verdict differ (`not_passed`), or the route must change.

use super::state_graph::Graph;
use super::{AnalysisFinding, FastSet, Place};
use crate::diagnostic::Code;
use crate::model::Outcome;
use crate::scenario::{NodeIx, NodeKind, Scenario};
use crate::scoring::{Totals, evaluate};

/// The most score totals carried at once before the exact search gives up: past it, only
/// what the witnesses and the critical choices show is reported. Kept well under the pass
/// rule's own limit, since most scenarios never need this search at all.
const BUDGET: usize = 20_000;

/// Reports each `Positive` ending without `not_passed` that a failing path reaches: one with a
/// critical choice, one of the analysis's witness paths that fails (`failing_ends`: their
/// ending nodes), or, for what those leave open, a path whose score totals miss the pass
/// rule (totals carried forward from the start, one set per state, within [`BUDGET`]).
pub(super) fn report_happy_endings_on_fail(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    order: &[usize],
    failing_ends: &[NodeIx],
    findings: &mut Vec<AnalysisFinding>,
) {
    let unexplained: Vec<bool> = scenario
        .nodes
        .iter()
        .map(|node| {
            matches!(&node.kind, NodeKind::Ending(ending)
                if ending.outcome == Outcome::Positive && ending.not_passed.is_none())
        })
        .collect();
    if !unexplained.contains(&true) {
        return;
    }
    let mut failing = vec![false; scenario.nodes.len()];
    for &end in failing_ends {
        failing[end] = true;
    }
    let critical = critical_reach(graph, good, order);
    for (s, state) in graph.states.iter().enumerate() {
        if state.ending && critical[s] {
            failing[state.node] = true;
        }
    }
    let open = |failing: &[bool]| (0..failing.len()).any(|n| unexplained[n] && !failing[n]);
    if open(&failing) {
        failing_by_totals(scenario, graph, good, order, &mut failing);
    }
    for node in (0..failing.len()).filter(|&n| failing[n] && unexplained[n]) {
        findings.push(AnalysisFinding {
            code: Code::HappyEndingOnFail,
            place: Place::Node(node),
            message: format!(
                "ending `{}` is Positive, but paths that do not pass reach it: a trainee who did not pass would read a happy story beside a failed verdict",
                scenario.nodes[node].id
            ),
            hint: "add `not_passed: \"...\"` saying why it ended well though the attempt did not pass, make it Mixed, or send failing routes to another ending".into(),
        });
    }
}

/// Per state, whether some path from the start reaches it through a critical choice.
fn critical_reach(graph: &Graph, good: &[bool], order: &[usize]) -> Vec<bool> {
    let mut critical = vec![false; graph.states.len()];
    for &s in order {
        for edge in graph.edges(&graph.states[s]).iter().filter(|e| good[e.to]) {
            critical[edge.to] |= critical[s] || edge.critical;
        }
    }
    critical
}

/// Marks the endings that a path without critical choices reaches with totals that miss the
/// pass rule, unless that takes more than [`BUDGET`] totals at once.
fn failing_by_totals(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    order: &[usize],
    failing: &mut [bool],
) {
    let k = scenario.competencies.len();
    let mut prefixes: Vec<FastSet<Box<[i64]>>> = (0..graph.states.len())
        .map(|_| FastSet::default())
        .collect();
    prefixes[0].insert(vec![0; 2 * k].into_boxed_slice());
    let mut live = 1usize;
    for &s in order {
        let state = &graph.states[s];
        let here = std::mem::take(&mut prefixes[s]);
        live -= here.len();
        if state.ending {
            failing[state.node] |= here.iter().any(|t| {
                let totals = Totals {
                    earned: t[..k].to_vec(),
                    possible: t[k..].to_vec(),
                };
                !evaluate(scenario, &totals, &[]).passed
            });
            continue;
        }
        let possible = graph.possible(state);
        for edge in graph
            .edges(state)
            .iter()
            .filter(|e| good[e.to] && !e.critical)
        {
            let earned = graph.earned(edge);
            for prefix in &here {
                let mut totals = prefix.clone();
                for c in 0..k {
                    totals[c] += i64::from(earned[c]);
                    totals[k + c] += possible.map_or(0, |p| i64::from(p[c]));
                }
                if prefixes[edge.to].insert(totals) {
                    live += 1;
                }
            }
            if live > BUDGET {
                return;
            }
        }
    }
}
