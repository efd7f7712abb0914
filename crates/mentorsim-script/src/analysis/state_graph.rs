//! The graph of reachable states (a node with the mentee variables' values), explored from the
//! start exactly as play moves through it, and its order from the start to the endings.

use std::collections::HashSet;
use std::ops::Range;

use std::hash::BuildHasher;

use foldhash::fast::RandomState;

use super::liveness::{Liveness, Reads};
use super::{AnalysisFinding, FastMap, MAX_STATES, Place};
use crate::diagnostic::Code;
use crate::model::Severity as ChoiceSeverity;
use crate::scenario::{LineNext, NodeIx, NodeKind, Scenario};

/// Where continue-edges' points start in [`Graph::points`]: zeros.
const NO_POINTS: usize = 0;

/// A path as the `(state, edge index)` steps taken: two choices can lead to the same state.
pub(super) type Path = Vec<(usize, usize)>;

pub(super) struct State {
    pub(super) node: NodeIx,
    /// An ending: where every complete path stops.
    pub(super) ending: bool,
    /// A decision whose conditions hide every choice.
    pub(super) stuck: bool,
    /// Where its spread per competency starts in [`Graph::points`], when it is a decision.
    pub(super) possible: Option<usize>,
    /// Its edges' span of [`Graph::edges`]: explore adds a state's edges all at once.
    pub(super) edges: Range<usize>,
}

pub(super) struct Edge {
    pub(super) to: usize,
    /// The choice taken, for decisions.
    pub(super) choice: Option<usize>,
    /// Where the points it earns per competency start in [`Graph::points`].
    pub(super) earned: usize,
    pub(super) critical: bool,
}

/// The reachable state graph.
pub(super) struct Graph {
    pub(super) states: Vec<State>,
    /// Every state's edges, state after state: one allocation instead of one per state.
    pub(super) edges: Vec<Edge>,
    /// Per-competency points of every edge and decision, side by side: one allocation instead
    /// of one per edge keeps the passes over a large graph in cache.
    pub(super) points: Vec<i32>,
    /// Competencies per entry of `points`.
    pub(super) width: usize,
    /// Every state's variable values, state after state (`Graph::vars`).
    values: Vec<i32>,
    /// Variables per state.
    n_vars: usize,
    /// Which variables each node can still read.
    pub(super) live: Liveness,
    pub(super) truncated: bool,
}

impl Graph {
    /// A state's edges.
    pub(super) fn edges(&self, state: &State) -> &[Edge] {
        &self.edges[state.edges.clone()]
    }

    /// Points an edge earns per competency (above the worst option offered).
    pub(super) fn earned(&self, edge: &Edge) -> &[i32] {
        &self.points[edge.earned..edge.earned + self.width]
    }

    /// State `s`'s variable values.
    pub(super) fn vars(&self, s: usize) -> &[i32] {
        &self.values[s * self.n_vars..(s + 1) * self.n_vars]
    }

    /// A decision's spread per competency.
    pub(super) fn possible(&self, state: &State) -> Option<&[i32]> {
        state.possible.map(|at| &self.points[at..at + self.width])
    }
}

/// Which states the graph tells apart.
#[derive(Clone, Copy)]
pub(super) enum Merge<'a> {
    /// States that differ only in variables that no path from them reads, counting `Reads`,
    /// are one state: the figures that depend only on those reads are the same, on far fewer
    /// states ([`Liveness`]).
    DeadVariables(Reads<'a>),
    /// Every combination of values met is its own state (what play can start a line with).
    Nothing,
}

/// The state graph, up to [`MAX_STATES`] states (then `truncated`).
pub(super) fn explore(
    scenario: &Scenario,
    findings: &mut Vec<AnalysisFinding>,
    merge: Merge<'_>,
) -> Graph {
    explore_within(scenario, findings, merge, MAX_STATES)
}

/// The state graph, up to `limit` states (then `truncated`).
pub(super) fn explore_within(
    scenario: &Scenario,
    findings: &mut Vec<AnalysisFinding>,
    merge: Merge<'_>,
    limit: usize,
) -> Graph {
    let n_comp = scenario.competencies.len();
    let mut states: Vec<State> = Vec::new();
    let mut interned = Interned::new(scenario, merge);
    let mut reported_loops = HashSet::new();
    let mut truncated = false;
    // Continue-edges earn nothing: they all point at the first `n_comp` zeros.
    let mut points = vec![0; n_comp];

    let mut edges: Vec<Edge> = Vec::new();
    let mut resolve =
        |node: NodeIx, vars: &[i32], findings: &mut Vec<AnalysisFinding>| match scenario
            .resolve(node, vars)
        {
            Ok((target, _)) => Some(target),
            Err(crate::scenario::BranchLoop(at)) => {
                if reported_loops.insert(at) {
                    findings.push(AnalysisFinding {
                        code: Code::BranchLoop,
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
    let new_state = |node: NodeIx| State {
        node,
        ending: matches!(scenario.nodes[node].kind, NodeKind::Ending(_)),
        stuck: false,
        possible: None,
        edges: 0..0,
    };

    let initial = interned.canonical.clone();
    let Some(first) = resolve(scenario.start, &initial, findings) else {
        return interned.into_graph(states, edges, points, n_comp, truncated);
    };
    interned.intern(&mut states, first, &initial, new_state);
    let mut vars = Vec::with_capacity(initial.len());
    let mut after = Vec::with_capacity(initial.len());
    let mut next = 0;
    while next < states.len() {
        if states.len() > limit {
            truncated = true;
            break;
        }
        let s = next;
        next += 1;
        let node = states[s].node;
        vars.clear();
        vars.extend_from_slice(interned.vars(s));
        let Some(line) = scenario.line(node) else {
            continue;
        };
        let first_edge = edges.len();
        match &line.next {
            LineNext::Continue(target) => {
                if let Some(target) = resolve(*target, &vars, findings) {
                    let to = interned.intern(&mut states, target, &vars, new_state);
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
                    scenario.apply_into(choice, &vars, &mut after);
                    if let Some(target) = resolve(choice.next, &after, findings) {
                        let to = interned.intern(&mut states, target, &after, new_state);
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
    interned.into_graph(states, edges, points, n_comp, truncated)
}

/// The states met so far, by node and variable values, without an allocation per state: the
/// values live side by side, and an index from the node and the values' hash to the states
/// with both finds a state met again (most edges lead to one). Without variables a lookup
/// touches only the index.
struct Interned {
    n_vars: usize,
    live: Liveness,
    /// Whether states differing only in dead variables are one.
    merging: bool,
    /// The start's values: what a variable no longer read is set to.
    canonical: Vec<i32>,
    /// The values being looked up, once merged.
    key: Vec<i32>,
    /// Every state's values, state after state.
    values: Vec<i32>,
    /// The last state added with each node and hash of values.
    by_hash: FastMap<(NodeIx, u64), usize>,
    /// Per state, the state added before it with the same node and hash (`usize::MAX`: none).
    same_hash: Vec<usize>,
    hasher: RandomState,
}

impl Interned {
    fn new(scenario: &Scenario, merge: Merge<'_>) -> Self {
        let (reads, merging) = match merge {
            Merge::DeadVariables(reads) => (reads, true),
            Merge::Nothing => (Reads::All, false),
        };
        Interned {
            n_vars: scenario.variables.len(),
            live: Liveness::of(scenario, reads),
            merging,
            canonical: scenario.initial_vars(),
            key: Vec::new(),
            values: Vec::new(),
            by_hash: FastMap::default(),
            same_hash: Vec::new(),
            hasher: RandomState::default(),
        }
    }

    fn vars(&self, s: usize) -> &[i32] {
        &self.values[s * self.n_vars..(s + 1) * self.n_vars]
    }

    /// The state of `node` with `vars`, added to `states` as `new(node)` when it is new.
    fn intern(
        &mut self,
        states: &mut Vec<State>,
        node: NodeIx,
        vars: &[i32],
        new: impl Fn(NodeIx) -> State,
    ) -> usize {
        let mut key = std::mem::take(&mut self.key);
        key.clear();
        key.extend_from_slice(vars);
        if self.merging {
            self.live.merge_dead(node, &mut key, &self.canonical);
        }
        let state = self.find_or_add(states, node, &key, new);
        self.key = key;
        state
    }

    fn find_or_add(
        &mut self,
        states: &mut Vec<State>,
        node: NodeIx,
        vars: &[i32],
        new: impl Fn(NodeIx) -> State,
    ) -> usize {
        let key = (node, self.hasher.hash_one(vars));
        let mut at = self.by_hash.get(&key).copied().unwrap_or(usize::MAX);
        while at != usize::MAX {
            if self.vars(at) == vars {
                return at;
            }
            at = self.same_hash[at];
        }
        let state = states.len();
        states.push(new(node));
        self.values.extend_from_slice(vars);
        self.same_hash
            .push(self.by_hash.insert(key, state).unwrap_or(usize::MAX));
        state
    }

    fn into_graph(
        self,
        states: Vec<State>,
        edges: Vec<Edge>,
        points: Vec<i32>,
        width: usize,
        truncated: bool,
    ) -> Graph {
        Graph {
            states,
            edges,
            points,
            width,
            values: self.values,
            n_vars: self.n_vars,
            live: self.live,
            truncated,
        }
    }
}

/// Good states in an order where every edge goes forward, or `None` if they contain a loop.
pub(super) fn topological_order(graph: &Graph, good: &[bool]) -> Option<Vec<usize>> {
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
