//! Exact analysis of every path through a scenario.
//!
//! Conditions make the playable graph depend on the mentee variables, so the analysis first
//! explores the graph of reachable *states* (node plus variable values), with each decision
//! scaled exactly as the engine scales it. Over that graph it finds stuck states and loops with
//! no way out, counts paths and decisions, bounds each competency's score (Dinkelbach's method
//! for ratios, exact in integers), and decides whether the pass rule can be met and missed:
//! the paths that attain the bounds often show both, and what they leave open is settled by
//! collecting the distinct score totals of all paths. That last step is exact but can grow
//! with the content; past a limit it leaves the question open.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use foldhash::fast::RandomState;

/// Hash maps over the state graph: keys are small integers, hashed millions of times for a
/// large scenario, where the default DoS-resistant hasher was a tenth of the check's time.
type FastMap<K, V> = std::collections::HashMap<K, V, RandomState>;
type FastSet<K> = HashSet<K, RandomState>;

use serde::Serialize;

use crate::diagnostic::Code;
use crate::model::ScenarioKind;
use crate::scenario::{NodeIx, NodeKind, Scenario};
use crate::scoring::evaluate;

/// More states than this (node and variable combinations) and the analysis stops exploring.
pub const MAX_STATES: usize = 1_000_000;

/// Up to this many states, the paths and the claims are analysed on one graph.
const ONE_GRAPH_STATES: usize = 50_000;
/// More distinct score totals than this, summed over states, and pass/fail reachability falls
/// back to witness paths.
const MAX_OUTCOMES: usize = 200_000;

mod bounds;
mod claims;
mod happy_endings;
mod keyed_listening;
mod liveness;
mod pass_rule;
mod paths;
mod reach;
mod state_graph;
mod walk;

use bounds::{Direction, Layout, RatioSearch};
pub use claims::ClaimFigures;
use claims::check_claims;
use happy_endings::report_happy_endings_on_fail;
use keyed_listening::report_keyed_listening;
use liveness::Reads;
use pass_rule::{effort_paths, judge_path, outcomes, report_pass_rule};
use paths::PathFigures;
use reach::{co_reachable, report_loops, report_reach, report_traps};
use state_graph::{Merge, explore, explore_within, topological_order};
pub use walk::Walker;

/// Where a finding points in the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A node (by index).
    Node(NodeIx),
    /// A choice of a node.
    Choice(NodeIx, usize),
    /// The condition of a choice.
    ChoiceCondition(NodeIx, usize),
    /// The scenario's pass rule.
    PassRule,
    /// An entry of the scenario's competency list.
    Competency(usize),
    /// What an ending claims about the route (its `requires`).
    EndingClaim(NodeIx),
    /// What a note of an ending's debrief claims (the note's `requires`).
    NoteClaim(NodeIx, usize),
}

/// A finding of the analysis.
#[derive(Debug, Clone)]
pub struct AnalysisFinding {
    /// What it is about; its severity is the code's.
    pub code: Code,
    /// What it is about.
    pub place: Place,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Figures about all paths, as `check --stats` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Nodes in the file.
    pub nodes: usize,
    /// Fewest decisions on a path (`None` when loops make paths unbounded).
    pub decisions_min: Option<usize>,
    /// Most decisions on a path.
    pub decisions_max: Option<usize>,
    /// Ending nodes in the file.
    pub endings: usize,
    /// Distinct paths from start to an ending (saturates at 2^128-1; `None` with loops).
    pub paths: Option<u128>,
    /// Reachable states (node and variable values) explored.
    pub states: usize,
    /// Lowest and highest score reachable per competency, 0..1.
    pub score_bounds: BTreeMap<String, [f64; 2]>,
    /// Per competency, the fewest decisions that assess it on some path (empty with loops).
    pub competency_decisions_min: BTreeMap<String, usize>,
    /// Whether some path passes (`None` when it could not be decided).
    pub pass_reachable: Option<bool>,
    /// Whether some path fails.
    pub fail_reachable: Option<bool>,
    /// The endings' and debrief notes' claims, and how many some path breaks.
    pub claims: ClaimFigures,
}

/// Stats and findings.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Figures about all paths.
    pub stats: Stats,
    /// Errors and warnings found.
    pub findings: Vec<AnalysisFinding>,
    /// An assessment's explored state graph, kept for the guessing choosers to play along:
    /// exploring it again would cost them as much as the rest of the analysis.
    playable: Option<PlayableGraph>,
}

impl Analysis {
    /// A walker along the scenario's state graph, for an assessment whose graph could be
    /// explored whole (`scenario` must be the one analysed).
    pub fn walker<'s>(&'s self, scenario: &'s Scenario) -> Option<Walker<'s>> {
        self.playable
            .as_ref()
            .map(|graph| Walker::new(scenario, &graph.0))
    }
}

/// A shared state graph; its debug form names its size, not its hundred thousand states.
#[derive(Clone)]
struct PlayableGraph(Arc<state_graph::Graph>);

impl std::fmt::Debug for PlayableGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PlayableGraph({} states)", self.0.states.len())
    }
}

/// Analyses a built scenario.
pub fn analyze(scenario: &Scenario) -> Analysis {
    analyze_merging(scenario, true)
}

/// The analysis on a graph that merges the values no path reads any more (keeping only what
/// decides the paths when keeping what the claims read too would pass [`ONE_GRAPH_STATES`]:
/// the claims are then proved on graphs of their own, [`check_claims`]), or, without
/// `merging`, on one that keeps every value.
fn analyze_merging(scenario: &Scenario, merging: bool) -> Analysis {
    let mut findings = Vec::new();
    let (graph, projected) = if merging {
        // Most scenarios fit one graph that keeps what the paths and the claims read; a larger
        // one keeps only what the paths read, and its claims are proved apart.
        let whole = explore_within(
            scenario,
            &mut findings,
            Merge::DeadVariables(Reads::All),
            ONE_GRAPH_STATES,
        );
        if whole.truncated {
            findings.clear();
            let paths = explore(
                scenario,
                &mut findings,
                Merge::DeadVariables(Reads::Routing),
            );
            (paths, true)
        } else {
            (whole, false)
        }
    } else {
        (explore(scenario, &mut findings, Merge::Nothing), false)
    };
    let stats = analyze_graph(scenario, &graph, projected, &mut findings);
    let playable =
        (scenario.kind == ScenarioKind::Assessment && !graph.truncated && !graph.states.is_empty())
            .then(|| PlayableGraph(Arc::new(graph)));
    Analysis {
        stats,
        findings,
        playable,
    }
}

/// Stats and findings of the explored state graph.
fn analyze_graph(
    scenario: &Scenario,
    graph: &state_graph::Graph,
    projected_claims: bool,
    findings: &mut Vec<AnalysisFinding>,
) -> Stats {
    report_reach(scenario, graph, findings);

    let mut stats = Stats {
        nodes: scenario.nodes.len(),
        decisions_min: None,
        decisions_max: None,
        endings: scenario
            .nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Ending(_)))
            .count(),
        paths: None,
        states: graph.states.len(),
        score_bounds: BTreeMap::new(),
        competency_decisions_min: BTreeMap::new(),
        pass_reachable: None,
        fail_reachable: None,
        claims: check_claims(scenario, graph, projected_claims, findings),
    };
    if graph.truncated {
        findings.push(AnalysisFinding {
            code: Code::AnalysisIncomplete,
            place: Place::Node(scenario.start),
            message: format!(
                "the variables allow more than {MAX_STATES} combinations; paths were not analysed"
            ),
            hint: "narrow the variables' `min`..`max` ranges".into(),
        });
        return stats;
    }

    let good = co_reachable(graph);
    report_traps(scenario, graph, &good, findings);
    let Some(order) = topological_order(graph, &good) else {
        report_loops(scenario, graph, &good, findings);
        return stats;
    };
    if !good[0] {
        return stats;
    }
    report_keyed_listening(scenario, graph, &good, findings);

    // The competencies' searches are independent of each other and of the path figures: on a
    // large scenario they share the machine's cores.
    let layout = Layout::new(graph, &good, &order);
    let (searches, paths) = std::thread::scope(|scope| {
        let searches: Vec<_> = (0..scenario.competencies.len())
            .map(|c| {
                let layout = &layout;
                scope.spawn(move || {
                    let ratio = RatioSearch::new(graph, layout, c);
                    let bounds = ratio.bound(Direction::Min).zip(ratio.bound(Direction::Max));
                    (bounds, ratio.unassessed_path())
                })
            })
            .collect();
        let paths = PathFigures::new(graph, &good, &order);
        let searches: Vec<_> = searches
            .into_iter()
            .map(|search| {
                search
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        (searches, paths)
    });
    stats.paths = Some(paths.count);
    stats.decisions_min = Some(paths.decisions_min);
    stats.decisions_max = Some(paths.decisions_max);
    stats.competency_decisions_min = scenario
        .competencies
        .iter()
        .zip(&paths.assessing_min)
        .map(|(competency, &n)| (competency.id.clone(), n))
        .collect();
    if scenario.kind == ScenarioKind::Assessment {
        report_thin_evidence(scenario, graph, &good, &paths, findings);
    }

    let mut witnesses = Vec::new();
    for ((c, competency), (bounds, unassessed)) in
        scenario.competencies.iter().enumerate().zip(searches)
    {
        // `None` when no path assesses the competency at all; `not-assessed` reports that.
        if let Some(((min, min_path), (max, max_path))) = bounds {
            stats.score_bounds.insert(competency.id.clone(), [min, max]);
            witnesses.push(min_path);
            witnesses.push(max_path);
        }
        if let Some(path) = unassessed {
            let route: Vec<&str> = path
                .iter()
                .map(|&s| scenario.nodes[graph.states[s].node].id.as_str())
                .collect();
            findings.push(AnalysisFinding {
                code: Code::NotAssessed,
                place: Place::Competency(c),
                message: format!(
                    "`{}` is not assessed on every path, e.g. {}",
                    competency.id,
                    route.join(" -> ")
                ),
                hint: "give options on that path different effects on this competency, or stop claiming it".into(),
            });
        }
    }

    let has_critical = (0..graph.states.len()).filter(|&s| good[s]).any(|s| {
        graph
            .edges(&graph.states[s])
            .iter()
            .any(|e| e.critical && good[e.to])
    });
    // A witness path that passes, or one that fails, settles that question. Only what they
    // leave open needs every path's totals.
    witnesses.extend(effort_paths(scenario, graph, &good, &order));
    let judged: Vec<bool> = witnesses
        .iter()
        .map(|path| judge_path(scenario, graph, path))
        .collect();
    let failing_ends: Vec<NodeIx> = witnesses
        .iter()
        .zip(&judged)
        .filter(|(_, passed)| !**passed)
        .filter_map(|(path, _)| {
            let &(s, e) = path.last()?;
            Some(graph.states[graph.edges(&graph.states[s])[e].to].node)
        })
        .collect();
    report_happy_endings_on_fail(scenario, graph, &good, &order, &failing_ends, findings);
    let mut pass = judged.iter().any(|&p| p).then_some(true);
    let mut fail = (has_critical || judged.iter().any(|&p| !p)).then_some(true);
    if (pass.is_none() || fail.is_none())
        && let Some(outcomes) = outcomes(scenario, graph, &good, &order)
    {
        pass = Some(outcomes.iter().any(|t| evaluate(scenario, t, &[]).passed));
        fail = Some(has_critical || outcomes.iter().any(|t| !evaluate(scenario, t, &[]).passed));
    }
    stats.pass_reachable = pass;
    stats.fail_reachable = fail;
    report_pass_rule(scenario, &stats, findings);
    stats
}

/// An assessment must see each competency it claims at enough decisions on every path, or
/// one choice decides it. A competency no path assesses at all is `not-assessed` instead.
fn report_thin_evidence(
    scenario: &Scenario,
    graph: &state_graph::Graph,
    good: &[bool],
    paths: &PathFigures,
    findings: &mut Vec<AnalysisFinding>,
) {
    let needed = scenario.rubric.min_evidence as usize;
    for (c, competency) in scenario.competencies.iter().enumerate() {
        let fewest = paths.assessing_min[c];
        if fewest == 0 || fewest >= needed {
            continue;
        }
        let route: Vec<&str> = paths
            .least_assessing_path(graph, good, c)
            .iter()
            .map(|&s| scenario.nodes[graph.states[s].node].id.as_str())
            .collect();
        findings.push(AnalysisFinding {
            code: Code::CompetencyThin,
            place: Place::Competency(c),
            message: format!(
                "`{}` is assessed by only {fewest} decision(s) on some path, fewer than the {needed} the rubric asks of an assessment, e.g. {}",
                competency.id,
                route.join(" -> ")
            ),
            hint: "add decisions on that path whose options differ in this competency's points, or stop claiming it".into(),
        });
    }
}

/// The variable values the mentee can have on reaching a line, in the order play first meets
/// them (shortest routes first): the values a trainer's "play from here" can start with. Empty
/// for branches and endings, which play passes through, and for lines no path reaches.
pub fn values_at(scenario: &Scenario, node: NodeIx) -> Vec<Vec<i32>> {
    if scenario.line(node).is_none() {
        return Vec::new();
    }
    let graph = explore(scenario, &mut Vec::new(), Merge::Nothing);
    (0..graph.states.len())
        .filter(|&s| graph.states[s].node == node)
        .map(|s| graph.vars(s).to_vec())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    /// Merging the states that differ only in variables nothing reads any more changes how
    /// many states there are, and nothing else: every figure and finding of every bundled
    /// scenario and of the broken corpus is the same as on the exact state graph.
    #[test]
    fn merging_dead_variables_keeps_every_figure_and_finding() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let library = Library::load(&[root.join("scenarios"), root.join("tests/corpus")]);
        let mut merged_away = 0;
        let mut compared = 0;
        for scenario in library.scenarios.iter().filter_map(|e| e.scenario.as_ref()) {
            let merged = analyze_merging(scenario, true);
            let exact = analyze_merging(scenario, false);
            // A scenario whose exact graph outgrows the state budget has nothing to compare
            // against: merging is what lets `check` finish it.
            if exact
                .findings
                .iter()
                .any(|f| f.code == Code::AnalysisIncomplete)
            {
                continue;
            }
            let figures = |a: &Analysis| {
                let mut stats = a.stats.clone();
                stats.states = 0;
                let mut found: Vec<(Code, String)> = a
                    .findings
                    .iter()
                    .map(|f| (f.code, format!("{:?}", f.place)))
                    .collect();
                found.sort();
                (serde_json::to_string(&stats).unwrap(), found)
            };
            assert_eq!(figures(&merged), figures(&exact), "{}", scenario.id);
            assert!(merged.stats.states <= exact.stats.states);
            merged_away += exact.stats.states - merged.stats.states;
            compared += 1;
        }
        assert!(compared >= 12, "the bundled scenarios were compared");
        assert!(merged_away > 0, "some states were merged");
    }
}
