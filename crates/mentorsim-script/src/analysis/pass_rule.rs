//! Whether the pass rule can be met and missed: judged first on witness paths, and settled
//! for what they leave open by the distinct score totals of all paths.

use super::state_graph::{Graph, Path};
use super::{AnalysisFinding, FastSet, MAX_OUTCOMES, Place, Stats};
use crate::diagnostic::Code;
use crate::scenario::Scenario;
use crate::scoring::{Totals, evaluate};

/// The distinct score totals of all paths without a critical choice, or `None` past the limit.
pub(super) fn outcomes(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    order: &[usize],
) -> Option<Vec<Totals>> {
    let k = scenario.competencies.len();
    let n = graph.states.len();
    let mut sets: Vec<FastSet<Box<[i64]>>> = (0..n).map(|_| FastSet::default()).collect();
    let mut total = 0usize;
    for &s in order.iter().rev() {
        let state = &graph.states[s];
        if state.ending {
            sets[s].insert(vec![0; 2 * k].into_boxed_slice());
            continue;
        }
        let mut set = FastSet::default();
        for edge in graph
            .edges(state)
            .iter()
            .filter(|e| good[e.to] && !e.critical)
        {
            let earned = graph.earned(edge);
            let possible = graph.possible(state);
            for suffix in &sets[edge.to] {
                let mut totals = suffix.clone();
                for c in 0..k {
                    totals[c] += i64::from(earned[c]);
                    totals[k + c] += possible.map_or(0, |p| i64::from(p[c]));
                }
                set.insert(totals);
            }
        }
        total += set.len();
        if total > MAX_OUTCOMES {
            return None;
        }
        sets[s] = set;
    }
    Some(
        sets[0]
            .iter()
            .map(|t| Totals {
                earned: t[..k].to_vec(),
                possible: t[k..].to_vec(),
            })
            .collect(),
    )
}

/// How many times [`effort_paths`] re-weights the competencies a path fell short on.
const EFFORT_ROUNDS: usize = 4;

/// Paths of a trainee who does their best at every decision ([`best_effort_path`]), the
/// first weighing every competency alike and each next one weighing more the competencies the
/// one before fell short on, until one passes: when any path passes, one of these usually
/// does, and the search over every path's totals is spared.
pub(super) fn effort_paths(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    order: &[usize],
) -> Vec<Path> {
    let mut weights = vec![1.0; scenario.competencies.len()];
    let mut paths = Vec::new();
    for _ in 0..EFFORT_ROUNDS {
        let Some(path) = best_effort_path(graph, good, order, &weights) else {
            break;
        };
        let evaluation = evaluate(scenario, &totals_along(scenario, graph, &path), &[]);
        paths.push(path);
        if evaluation.passed {
            break;
        }
        let overall = scenario.overall_threshold;
        for ((weight, score), competency) in weights
            .iter_mut()
            .zip(&evaluation.scores)
            .zip(&scenario.competencies)
        {
            if score.is_some_and(|s| s < competency.threshold || s < overall) {
                *weight *= 4.0;
            }
        }
    }
    paths
}

/// The path of a trainee who does their best at every decision: the most points, each
/// competency's counted as a share of what the decision offered and weighted by `weights`,
/// without a critical choice.
fn best_effort_path(
    graph: &Graph,
    good: &[bool],
    order: &[usize],
    weights: &[f64],
) -> Option<Path> {
    let n = graph.states.len();
    let mut value = vec![f64::NEG_INFINITY; n];
    let mut next = vec![usize::MAX; n];
    for &s in order.iter().rev() {
        let state = &graph.states[s];
        if state.ending {
            value[s] = 0.0;
            continue;
        }
        for (i, edge) in graph.edges(state).iter().enumerate() {
            if !good[edge.to] || edge.critical || value[edge.to] == f64::NEG_INFINITY {
                continue;
            }
            let gain: f64 = graph.possible(state).map_or(0.0, |possible| {
                graph
                    .earned(edge)
                    .iter()
                    .zip(possible)
                    .zip(weights)
                    .filter(|&((_, &p), _)| p > 0)
                    .map(|((&e, &p), &w)| w * f64::from(e) / f64::from(p))
                    .sum()
            });
            if value[edge.to] + gain > value[s] {
                value[s] = value[edge.to] + gain;
                next[s] = i;
            }
        }
    }
    if value[0] == f64::NEG_INFINITY {
        return None;
    }
    let mut path = Vec::new();
    let mut s = 0;
    while next[s] != usize::MAX {
        path.push((s, next[s]));
        s = graph.edges(&graph.states[s])[next[s]].to;
    }
    Some(path)
}

/// Whether a concrete path passes.
pub(super) fn judge_path(scenario: &Scenario, graph: &Graph, path: &[(usize, usize)]) -> bool {
    let critical = path
        .iter()
        .any(|&(s, e)| graph.edges(&graph.states[s])[e].critical);
    !critical && evaluate(scenario, &totals_along(scenario, graph, path), &[]).passed
}

/// The score totals along a path.
fn totals_along(scenario: &Scenario, graph: &Graph, path: &[(usize, usize)]) -> Totals {
    let mut totals = Totals::zero(scenario.competencies.len());
    for &(s, e) in path {
        let state = &graph.states[s];
        if let Some(possible) = graph.possible(state) {
            totals.add(graph.earned(&graph.edges(state)[e]), possible);
        }
    }
    totals
}

pub(super) fn report_pass_rule(
    scenario: &Scenario,
    stats: &Stats,
    findings: &mut Vec<AnalysisFinding>,
) {
    match stats.pass_reachable {
        Some(false) => {
            let shortfalls: Vec<String> = scenario
                .competencies
                .iter()
                .filter_map(|c| {
                    let [_, max] = stats.score_bounds.get(&c.id)?;
                    (*max + 1e-9 < c.threshold).then(|| {
                        format!(
                            "{} at most {:.0}% (needs {:.0}%)",
                            c.id,
                            max * 100.0,
                            c.threshold * 100.0
                        )
                    })
                })
                .collect();
            findings.push(AnalysisFinding {
                code: Code::PassUnreachable,
                place: Place::PassRule,
                message: if shortfalls.is_empty() {
                    "no path through the scenario meets the pass rule".into()
                } else {
                    format!("no path through the scenario meets the pass rule: {}", shortfalls.join(", "))
                },
                hint: "lower the thresholds, or make sure the best options of each decision can be combined on one path".into(),
            });
        }
        Some(true) => {}
        None => findings.push(AnalysisFinding {
            code: Code::AnalysisIncomplete,
            place: Place::PassRule,
            message: "the paths are too many to decide exactly whether the pass rule can be met"
                .into(),
            hint: "split the scenario, or reduce the number of independent branches".into(),
        }),
    }
    match stats.fail_reachable {
        Some(false) => findings.push(AnalysisFinding {
            code: Code::FailUnreachable,
            place: Place::PassRule,
            message:
                "every path passes, so this scenario cannot show that a trainee is not ready yet"
                    .into(),
            hint: "add options that score poorly or a critical mistake, or raise the thresholds"
                .into(),
        }),
        Some(true) => {}
        None if stats.pass_reachable.is_some() => findings.push(AnalysisFinding {
            code: Code::AnalysisIncomplete,
            place: Place::PassRule,
            message: "the paths are too many to decide exactly whether the pass rule can be missed"
                .into(),
            hint: "split the scenario, or reduce the number of independent branches".into(),
        }),
        None => {}
    }
}
