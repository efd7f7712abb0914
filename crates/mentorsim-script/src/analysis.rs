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
use std::ops::Range;

use foldhash::fast::RandomState;

/// Hash maps over the state graph: keys are small integers, hashed millions of times for a
/// large scenario, where the default DoS-resistant hasher was a tenth of the check's time.
type FastMap<K, V> = std::collections::HashMap<K, V, RandomState>;
type FastSet<K> = HashSet<K, RandomState>;

use serde::Serialize;

use crate::diagnostic::Severity;
use crate::model::Severity as ChoiceSeverity;
use crate::scenario::{LineNext, NodeIx, NodeKind, Scenario};
use crate::scoring::{Totals, evaluate};

/// Where continue-edges' points start in [`Graph::points`]: zeros.
const NO_POINTS: usize = 0;

/// More states than this (node and variable combinations) and the analysis stops exploring.
pub const MAX_STATES: usize = 1_000_000;
/// More distinct score totals than this, summed over states, and pass/fail reachability falls
/// back to witness paths.
const MAX_OUTCOMES: usize = 200_000;

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
}

/// A finding of the analysis.
#[derive(Debug, Clone)]
pub struct AnalysisFinding {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: &'static str,
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
    /// Whether some path passes (`None` when it could not be decided).
    pub pass_reachable: Option<bool>,
    /// Whether some path fails.
    pub fail_reachable: Option<bool>,
}

/// Stats and findings.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Figures about all paths.
    pub stats: Stats,
    /// Errors and warnings found.
    pub findings: Vec<AnalysisFinding>,
}

struct State {
    node: NodeIx,
    vars: Box<[i32]>,
    /// An ending: where every complete path stops.
    ending: bool,
    /// A decision whose conditions hide every choice.
    stuck: bool,
    /// Where its spread per competency starts in [`Graph::points`], when it is a decision.
    possible: Option<usize>,
    /// Its edges' span of [`Graph::edges`]: explore adds a state's edges all at once.
    edges: Range<usize>,
}

struct Edge {
    to: usize,
    /// The choice taken, for decisions.
    choice: Option<usize>,
    /// Where the points it earns per competency start in [`Graph::points`].
    earned: usize,
    critical: bool,
}

/// The reachable state graph.
struct Graph {
    states: Vec<State>,
    /// Every state's edges, state after state: one allocation instead of one per state.
    edges: Vec<Edge>,
    /// Per-competency points of every edge and decision, side by side: one allocation instead
    /// of one per edge keeps the passes over a large graph in cache.
    points: Vec<i32>,
    /// Competencies per entry of `points`.
    width: usize,
    truncated: bool,
}

impl Graph {
    /// A state's edges.
    fn edges(&self, state: &State) -> &[Edge] {
        &self.edges[state.edges.clone()]
    }

    /// Points an edge earns per competency (above the worst option offered).
    fn earned(&self, edge: &Edge) -> &[i32] {
        &self.points[edge.earned..edge.earned + self.width]
    }

    /// A decision's spread per competency.
    fn possible(&self, state: &State) -> Option<&[i32]> {
        state.possible.map(|at| &self.points[at..at + self.width])
    }
}

/// Analyses a built scenario.
pub fn analyze(scenario: &Scenario) -> Analysis {
    let mut findings = Vec::new();
    let graph = explore(scenario, &mut findings);
    report_reach(scenario, &graph, &mut findings);

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
        pass_reachable: None,
        fail_reachable: None,
    };
    if graph.truncated {
        findings.push(AnalysisFinding {
            severity: Severity::Warning,
            code: "analysis-incomplete",
            place: Place::Node(scenario.start),
            message: format!(
                "the variables allow more than {MAX_STATES} combinations; paths were not analysed"
            ),
            hint: "narrow the variables' `min`..`max` ranges".into(),
        });
        return Analysis { stats, findings };
    }

    let good = co_reachable(&graph);
    report_traps(scenario, &graph, &good, &mut findings);
    let Some(order) = topological_order(&graph, &good) else {
        report_loops(scenario, &graph, &good, &mut findings);
        return Analysis { stats, findings };
    };
    if !good[0] {
        return Analysis { stats, findings };
    }

    // The competencies' searches are independent of each other and of the path figures: on a
    // large scenario they share the machine's cores.
    let (searches, paths) = std::thread::scope(|scope| {
        let searches: Vec<_> = (0..scenario.competencies.len())
            .map(|c| {
                let (graph, good, order) = (&graph, &good, &order);
                scope.spawn(move || {
                    let ratio = RatioSearch::new(graph, good, order, c);
                    let bounds = ratio.bound(Direction::Min).zip(ratio.bound(Direction::Max));
                    (bounds, ratio.unassessed_path())
                })
            })
            .collect();
        let paths = PathFigures::new(&graph, &good, &order);
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
                severity: Severity::Warning,
                code: "not-assessed",
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
    witnesses.extend(best_effort_path(&graph, &good, &order));
    let judged: Vec<bool> = witnesses
        .iter()
        .map(|path| judge_path(scenario, &graph, path))
        .collect();
    let mut pass = judged.iter().any(|&p| p).then_some(true);
    let mut fail = (has_critical || judged.iter().any(|&p| !p)).then_some(true);
    if (pass.is_none() || fail.is_none())
        && let Some(outcomes) = outcomes(scenario, &graph, &good, &order)
    {
        pass = Some(outcomes.iter().any(|t| evaluate(scenario, t, &[]).passed));
        fail = Some(has_critical || outcomes.iter().any(|t| !evaluate(scenario, t, &[]).passed));
    }
    stats.pass_reachable = pass;
    stats.fail_reachable = fail;
    report_pass_rule(scenario, &stats, &mut findings);
    Analysis { stats, findings }
}

/// The variable values the mentee can have on reaching a line, in the order play first meets
/// them (shortest routes first): the values a trainer's "play from here" can start with. Empty
/// for branches and endings, which play passes through, and for lines no path reaches.
pub fn values_at(scenario: &Scenario, node: NodeIx) -> Vec<Vec<i32>> {
    if scenario.line(node).is_none() {
        return Vec::new();
    }
    explore(scenario, &mut Vec::new())
        .states
        .into_iter()
        .filter(|state| state.node == node)
        .map(|state| state.vars.into_vec())
        .collect()
}

fn explore(scenario: &Scenario, findings: &mut Vec<AnalysisFinding>) -> Graph {
    let n_comp = scenario.competencies.len();
    let mut index: FastMap<(NodeIx, Box<[i32]>), usize> = FastMap::default();
    let mut states: Vec<State> = Vec::new();
    let mut reported_loops = HashSet::new();
    let mut truncated = false;
    // Continue-edges earn nothing: they all point at the first `n_comp` zeros.
    let mut points = vec![0; n_comp];

    let mut edges: Vec<Edge> = Vec::new();

    let mut intern = |node: NodeIx, vars: Box<[i32]>, states: &mut Vec<State>| -> usize {
        let key = (node, vars);
        if let Some(&known) = index.get(&key) {
            return known;
        }
        states.push(State {
            node,
            vars: key.1.clone(),
            ending: matches!(scenario.nodes[node].kind, NodeKind::Ending(_)),
            stuck: false,
            possible: None,
            edges: 0..0,
        });
        index.insert(key, states.len() - 1);
        states.len() - 1
    };
    let mut resolve =
        |node: NodeIx, vars: &[i32], findings: &mut Vec<AnalysisFinding>| match scenario
            .resolve(node, vars)
        {
            Ok((target, _)) => Some(target),
            Err(crate::scenario::BranchLoop(at)) => {
                if reported_loops.insert(at) {
                    findings.push(AnalysisFinding {
                        severity: Severity::Error,
                        code: "branch-loop",
                        place: Place::Node(at),
                        message: format!(
                            "the branches from `{}` lead only to each other",
                            scenario.nodes[at].id
                        ),
                        hint: "make one route lead to a line or an ending".into(),
                    });
                }
                None
            }
        };

    let initial = scenario.initial_vars().into_boxed_slice();
    let Some(first) = resolve(scenario.start, &initial, findings) else {
        return Graph {
            states,
            edges,
            points,
            width: n_comp,
            truncated,
        };
    };
    intern(first, initial, &mut states);
    let mut next = 0;
    while next < states.len() {
        if states.len() > MAX_STATES {
            truncated = true;
            break;
        }
        let s = next;
        next += 1;
        let node = states[s].node;
        let vars = states[s].vars.clone();
        let Some(line) = scenario.line(node) else {
            continue;
        };
        let first_edge = edges.len();
        match &line.next {
            LineNext::Continue(target) => {
                if let Some(target) = resolve(*target, &vars, findings) {
                    let to = intern(target, vars.clone(), &mut states);
                    edges.push(Edge {
                        to,
                        choice: None,
                        earned: NO_POINTS,
                        critical: false,
                    });
                }
            }
            LineNext::Choices(choices) => {
                let visible = scenario.visible_choices(node, &vars);
                if visible.is_empty() {
                    states[s].stuck = true;
                    continue;
                }
                let scale = scenario.decision_scale(node, &visible);
                for &c in &visible {
                    let choice = &choices[c];
                    let after = scenario.apply(choice, &vars);
                    if let Some(target) = resolve(choice.next, &after, findings) {
                        let to = intern(target, after.into_boxed_slice(), &mut states);
                        let earned = points.len();
                        points.extend(choice.effects.iter().zip(&scale.worst).map(|(e, w)| e - w));
                        edges.push(Edge {
                            to,
                            choice: Some(c),
                            earned,
                            critical: matches!(choice.severity, ChoiceSeverity::Critical(_)),
                        });
                    }
                }
                states[s].possible = Some(points.len());
                points.extend_from_slice(&scale.possible);
            }
        }
        states[s].edges = first_edge..edges.len();
    }
    Graph {
        states,
        edges,
        points,
        width: n_comp,
        truncated,
    }
}

/// Stuck states, and nodes, endings and choices that no reachable state uses.
fn report_reach(scenario: &Scenario, graph: &Graph, findings: &mut Vec<AnalysisFinding>) {
    let mut reported_stuck = HashSet::new();
    for state in graph.states.iter().filter(|s| s.stuck) {
        if reported_stuck.insert(state.node) {
            findings.push(AnalysisFinding {
                severity: Severity::Error,
                code: "no-choice-offered",
                place: Place::Node(state.node),
                message: format!(
                    "at `{}`, when {}, none of the choices' conditions holds, so the conversation gets stuck",
                    scenario.nodes[state.node].id,
                    describe_vars(scenario, &state.vars)
                ),
                hint: "add a choice without `when`, or widen the conditions".into(),
            });
        }
    }
    // Nodes no link leads to, whatever the variables: dead content.
    let structural = structurally_reachable(scenario);
    for (n, node) in scenario
        .nodes
        .iter()
        .enumerate()
        .filter(|(n, _)| !structural[*n])
    {
        let ending = matches!(node.kind, NodeKind::Ending(_));
        findings.push(AnalysisFinding {
            severity: Severity::Warning,
            code: if ending {
                "ending-never-reached"
            } else {
                "unreachable-node"
            },
            place: Place::Node(n),
            message: format!(
                "no path from the start leads to {} `{}`",
                if ending { "ending" } else { "node" },
                node.id
            ),
            hint: "link to it from a choice, route or `next`, or remove it".into(),
        });
    }
    if graph.truncated {
        return;
    }
    let mut reached = vec![false; scenario.nodes.len()];
    // Only conditional choices can go unoffered.
    let mut offered: FastSet<(NodeIx, usize)> = FastSet::default();
    for state in &graph.states {
        reached[state.node] = true;
        let choices = scenario.choices(state.node);
        for edge in graph.edges(state) {
            if let Some(c) = edge.choice
                && choices[c].when.is_some()
            {
                offered.insert((state.node, c));
            }
        }
    }
    for (n, node) in scenario.nodes.iter().enumerate() {
        if matches!(node.kind, NodeKind::Branch(_)) || reached[n] || !structural[n] {
            continue;
        }
        let ending = matches!(node.kind, NodeKind::Ending(_));
        findings.push(AnalysisFinding {
            severity: Severity::Warning,
            code: if ending {
                "ending-never-reached"
            } else {
                "node-never-reached"
            },
            place: Place::Node(n),
            message: format!(
                "{} `{}` is linked, but the conditions on the way never let a trainee reach it",
                if ending { "ending" } else { "node" },
                node.id
            ),
            hint: "check the `when` conditions and variable changes that lead here".into(),
        });
    }
    for (n, _) in scenario
        .nodes
        .iter()
        .enumerate()
        .filter(|(n, _)| reached[*n])
    {
        for (c, choice) in scenario.choices(n).iter().enumerate() {
            if choice.when.is_some() && !offered.contains(&(n, c)) {
                findings.push(AnalysisFinding {
                    severity: Severity::Warning,
                    code: "choice-never-offered",
                    place: Place::ChoiceCondition(n, c),
                    message: format!(
                        "choice `{}` is never offered: its condition fails every time a trainee reaches `{}`",
                        choice.id, scenario.nodes[n].id
                    ),
                    hint: "check the condition against the variable changes that lead here".into(),
                });
            }
        }
    }
}

fn structurally_reachable(scenario: &Scenario) -> Vec<bool> {
    let mut reached = vec![false; scenario.nodes.len()];
    let mut stack = vec![scenario.start];
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut reached[n], true) {
            continue;
        }
        match &scenario.nodes[n].kind {
            NodeKind::Line(line) => match &line.next {
                LineNext::Continue(next) => stack.push(*next),
                LineNext::Choices(choices) => stack.extend(choices.iter().map(|c| c.next)),
            },
            NodeKind::Branch(routes) => stack.extend(routes.iter().map(|r| r.1)),
            NodeKind::Ending(_) => {}
        }
    }
    reached
}

fn describe_vars(scenario: &Scenario, vars: &[i32]) -> String {
    if vars.is_empty() {
        return "the conversation gets here".into();
    }
    scenario
        .variables
        .iter()
        .zip(vars)
        .map(|(def, value)| format!("{} = {value}", def.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// States from which some ending can be reached.
fn co_reachable(graph: &Graph) -> Vec<bool> {
    let n = graph.states.len();
    // Predecessors, flat: state `s`'s are `from[first[s]..first[s + 1]]`.
    let mut first = vec![0usize; n + 1];
    for edge in &graph.edges {
        first[edge.to + 1] += 1;
    }
    for s in 0..n {
        first[s + 1] += first[s];
    }
    let mut from = vec![0usize; graph.edges.len()];
    let mut filled = first.clone();
    for (s, state) in graph.states.iter().enumerate() {
        for edge in graph.edges(state) {
            from[filled[edge.to]] = s;
            filled[edge.to] += 1;
        }
    }
    let mut good = vec![false; n];
    let mut stack: Vec<usize> = (0..n).filter(|&s| graph.states[s].ending).collect();
    while let Some(s) = stack.pop() {
        if std::mem::replace(&mut good[s], true) {
            continue;
        }
        stack.extend(
            from[first[s]..first[s + 1]]
                .iter()
                .copied()
                .filter(|&p| !good[p]),
        );
    }
    good
}

/// Loops that no path leaves: reported once per loop, at one of its nodes.
fn report_traps(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    findings: &mut Vec<AnalysisFinding>,
) {
    let trapped: Vec<bool> = (0..graph.states.len())
        .map(|s| !good[s] && !graph.states[s].stuck)
        .collect();
    for cycle in find_cycles(graph, &trapped) {
        findings.push(loop_finding(
            scenario,
            graph,
            &cycle,
            (Severity::Error, "no-way-out"),
            "the conversation can go round {route} forever: no choice on this loop leads to an ending",
            "give one of these lines a choice that moves on towards an ending",
        ));
    }
}

/// Loops that trainees can leave: analysis needs paths of bounded length.
fn report_loops(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    findings: &mut Vec<AnalysisFinding>,
) {
    for cycle in find_cycles(graph, good) {
        findings.push(loop_finding(
            scenario,
            graph,
            &cycle,
            (Severity::Warning, "loop"),
            "the conversation can come back round {route}; paths are then unbounded and scores were not analysed",
            "conversations should move forward: let the loop change a variable that closes it, or link onward",
        ));
    }
}

/// A finding about a loop, placed at its first node; `{route}` in the message becomes
/// `a -> b -> c`.
fn loop_finding(
    scenario: &Scenario,
    graph: &Graph,
    cycle: &[usize],
    (severity, code): (Severity, &'static str),
    message: &str,
    hint: &str,
) -> AnalysisFinding {
    let route: Vec<&str> = cycle
        .iter()
        .map(|&s| scenario.nodes[graph.states[s].node].id.as_str())
        .collect();
    AnalysisFinding {
        severity,
        code,
        place: Place::Node(graph.states[cycle[0]].node),
        message: message.replace("{route}", &route.join(" -> ")),
        hint: hint.to_owned(),
    }
}

/// Loops among the `within` states, found by depth-first search: one per back edge whose
/// target is not on a loop reported already.
fn find_cycles(graph: &Graph, within: &[bool]) -> Vec<Vec<usize>> {
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;
    let n = graph.states.len();
    let mut color = vec![WHITE; n];
    let mut on_reported = vec![false; n];
    let mut cycles = Vec::new();
    for root in (0..n).filter(|&s| within[s]) {
        if color[root] != WHITE {
            continue;
        }
        // (state, index of the next edge to follow)
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        color[root] = GRAY;
        while let Some(&mut (s, ref mut next_edge)) = stack.last_mut() {
            let edges = graph.edges(&graph.states[s]);
            if *next_edge == edges.len() {
                color[s] = BLACK;
                stack.pop();
                continue;
            }
            let to = edges[*next_edge].to;
            *next_edge += 1;
            if !within[to] {
                continue;
            }
            match color[to] {
                WHITE => {
                    color[to] = GRAY;
                    stack.push((to, 0));
                }
                GRAY if !on_reported[to] => {
                    let at = stack
                        .iter()
                        .position(|&(state, _)| state == to)
                        .unwrap_or(0);
                    let cycle: Vec<usize> = stack[at..].iter().map(|&(state, _)| state).collect();
                    for &state in &cycle {
                        on_reported[state] = true;
                    }
                    cycles.push(cycle);
                }
                _ => {}
            }
        }
    }
    cycles
}

/// Good states in an order where every edge goes forward, or `None` if they contain a loop.
fn topological_order(graph: &Graph, good: &[bool]) -> Option<Vec<usize>> {
    let n = graph.states.len();
    let mut indegree = vec![0usize; n];
    for s in (0..n).filter(|&s| good[s]) {
        for edge in graph.edges(&graph.states[s]).iter().filter(|e| good[e.to]) {
            indegree[edge.to] += 1;
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut ready: Vec<usize> = (0..n).filter(|&s| good[s] && indegree[s] == 0).collect();
    while let Some(s) = ready.pop() {
        order.push(s);
        for edge in graph.edges(&graph.states[s]).iter().filter(|e| good[e.to]) {
            indegree[edge.to] -= 1;
            if indegree[edge.to] == 0 {
                ready.push(edge.to);
            }
        }
    }
    (order.len() == good.iter().filter(|&&g| g).count()).then_some(order)
}

struct PathFigures {
    count: u128,
    decisions_min: usize,
    decisions_max: usize,
}

impl PathFigures {
    fn new(graph: &Graph, good: &[bool], order: &[usize]) -> Self {
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

/// A path as the `(state, edge index)` steps taken: two choices can lead to the same state.
type Path = Vec<(usize, usize)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Min,
    Max,
}

/// Exact bounds of a competency's score ratio over all paths.
/// One competency's part of the state graph (its spread per state, and the points each usable
/// edge earns), laid out flat: the search passes over it many times, and following each edge's
/// own allocation made those passes most of the time of checking a large scenario.
struct RatioSearch<'a> {
    order: &'a [usize],
    ending: Vec<bool>,
    possible: Vec<i64>,
    /// State `s`'s usable edges are `first_edge[s]..first_edge[s + 1]`.
    first_edge: Vec<usize>,
    to: Vec<usize>,
    earned: Vec<i64>,
    /// Each edge's position among its state's edges, for the witness paths.
    edge: Vec<usize>,
}

impl<'a> RatioSearch<'a> {
    fn new(graph: &Graph, good: &[bool], order: &'a [usize], c: usize) -> Self {
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
    fn bound(&self, direction: Direction) -> Option<(f64, Path)> {
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
    fn best_path(&self, direction: Direction, num: i128, den: i128) -> Option<(i128, Path)> {
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
    fn totals_along(&self, path: &[(usize, usize)]) -> (i128, i128) {
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
    fn unassessed_path(&self) -> Option<Vec<usize>> {
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

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// The distinct score totals of all paths without a critical choice, or `None` past the limit.
fn outcomes(
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

/// The path of a trainee who does their best at every decision: the most points, each
/// competency's counted as a share of what the decision offered, without a critical choice.
/// When any path passes, this one usually does.
fn best_effort_path(graph: &Graph, good: &[bool], order: &[usize]) -> Option<Path> {
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
                    .filter(|&(_, &p)| p > 0)
                    .map(|(&e, &p)| f64::from(e) / f64::from(p))
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
fn judge_path(scenario: &Scenario, graph: &Graph, path: &[(usize, usize)]) -> bool {
    let mut totals = Totals::zero(scenario.competencies.len());
    let mut critical = false;
    for &(s, e) in path {
        let state = &graph.states[s];
        let edge = &graph.edges(state)[e];
        if let Some(possible) = graph.possible(state) {
            totals.add(graph.earned(edge), possible);
        }
        critical |= edge.critical;
    }
    !critical && evaluate(scenario, &totals, &[]).passed
}

fn report_pass_rule(scenario: &Scenario, stats: &Stats, findings: &mut Vec<AnalysisFinding>) {
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
                severity: Severity::Error,
                code: "pass-unreachable",
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
            severity: Severity::Warning,
            code: "analysis-incomplete",
            place: Place::PassRule,
            message: "the paths are too many to decide exactly whether the pass rule can be met"
                .into(),
            hint: "split the scenario, or reduce the number of independent branches".into(),
        }),
    }
    match stats.fail_reachable {
        Some(false) => findings.push(AnalysisFinding {
            severity: Severity::Warning,
            code: "fail-unreachable",
            place: Place::PassRule,
            message:
                "every path passes, so this scenario cannot show that a trainee is not ready yet"
                    .into(),
            hint: "add options that score poorly or a critical mistake, or raise the thresholds"
                .into(),
        }),
        Some(true) => {}
        None if stats.pass_reachable.is_some() => findings.push(AnalysisFinding {
            severity: Severity::Warning,
            code: "analysis-incomplete",
            place: Place::PassRule,
            message: "the paths are too many to decide exactly whether the pass rule can be missed"
                .into(),
            hint: "split the scenario, or reduce the number of independent branches".into(),
        }),
        None => {}
    }
}
