//! A happy story beside a failed verdict teaches the wrong lesson: a trainee who did not pass
//! reads that it went well. A `Positive` ending that some path which does not pass reaches must
//! say why the story and the verdict differ (`not_passed`), or the route must change.

use super::state_graph::Graph;
use super::{AnalysisFinding, FastSet, MAX_OUTCOMES, Place};
use crate::diagnostic::Code;
use crate::model::Outcome;
use crate::scenario::{NodeKind, Scenario};
use crate::scoring::{Totals, evaluate};

/// Reports each `Positive` ending without `not_passed` that a failing path reaches: one with a
/// critical choice, or whose score totals miss the pass rule. Totals are carried forward from
/// the start, one set per state; past [`MAX_OUTCOMES`] the question is left open.
pub(super) fn report_happy_endings_on_fail(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    order: &[usize],
    findings: &mut Vec<AnalysisFinding>,
) {
    let unexplained = |node: usize| {
        matches!(&scenario.nodes[node].kind, NodeKind::Ending(ending)
            if ending.outcome == Outcome::Positive && ending.not_passed.is_none())
    };
    if !scenario
        .nodes
        .iter()
        .enumerate()
        .any(|(n, _)| unexplained(n))
    {
        return;
    }
    let k = scenario.competencies.len();
    let n = graph.states.len();
    let mut prefixes: Vec<FastSet<Box<[i64]>>> = (0..n).map(|_| FastSet::default()).collect();
    let mut critical = vec![false; n];
    prefixes[0].insert(vec![0; 2 * k].into_boxed_slice());
    let mut live = 1usize;
    let mut failing = vec![false; scenario.nodes.len()];
    for &s in order {
        let state = &graph.states[s];
        let here = std::mem::take(&mut prefixes[s]);
        live -= here.len();
        if state.ending {
            let fails = critical[s]
                || here.iter().any(|t| {
                    let totals = Totals {
                        earned: t[..k].to_vec(),
                        possible: t[k..].to_vec(),
                    };
                    !evaluate(scenario, &totals, &[]).passed
                });
            failing[state.node] |= fails;
            continue;
        }
        let possible = graph.possible(state);
        for edge in graph.edges(state).iter().filter(|e| good[e.to]) {
            critical[edge.to] |= critical[s] || edge.critical;
            if edge.critical {
                continue;
            }
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
            if live > MAX_OUTCOMES {
                return;
            }
        }
    }
    for (node, _) in failing
        .iter()
        .enumerate()
        .filter(|&(node, &f)| f && unexplained(node))
    {
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
