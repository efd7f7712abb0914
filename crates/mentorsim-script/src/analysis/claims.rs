//! Claims: what an ending, or a paragraph of its debrief, asserts about the route that led to
//! it (`requires: "asked_risk == 1"`). A claim is proved by looking at every reachable state at
//! the ending, which is every combination of variable values any path arrives with; one where
//! it fails is reported with the shortest path that arrives so, as the choices taken. Each
//! claim is proved on a graph that tells apart only the values it and the paths depend on.

use std::collections::BTreeSet;

use serde::Serialize;

use super::liveness::Reads;
use super::state_graph::{Graph, Merge, explore, explore_within};
use super::{AnalysisFinding, MAX_STATES, Place};
use crate::condition::Condition;
use crate::diagnostic::Code;
use crate::scenario::{NodeIx, NoteNode, Scenario};

/// How many claims a scenario makes and how many some path breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClaimFigures {
    /// Claims in the file (endings' and notes' `requires`).
    pub checked: usize,
    /// Claims that some path reaching them breaks.
    pub unsupported: usize,
}

/// A claim, where it is made.
#[derive(Clone, Copy)]
struct Claim<'a> {
    /// The ending it is made at.
    node: usize,
    place: Place,
    claim: &'a Condition,
    /// The note it belongs to: only states that show the note must satisfy it.
    note: Option<&'a NoteNode>,
}

/// An ending's claims, the conditions they read, and the variables among those that the paths'
/// graph merges away there.
struct EndingClaims<'c> {
    node: NodeIx,
    claims: &'c [Claim<'c>],
    conditions: Vec<&'c Condition>,
    merged_away: BTreeSet<usize>,
}

/// How many times the paths' graph the graph of every claim's values may grow before the claims
/// are proved ending by ending instead.
const TOGETHER_FACTOR: usize = 3;

/// Checks every claim against the states at its ending. With `projected`, `graph` keeps only
/// what decides the paths, and claims that read more are proved on a graph that also keeps
/// every value the claims read or, when that one grows too large, on a graph per ending that
/// keeps what its own claims read ([`Reads::Claim`]); otherwise `graph` keeps every value and
/// proves them all.
pub(super) fn check_claims(
    scenario: &Scenario,
    graph: &Graph,
    projected: bool,
    findings: &mut Vec<AnalysisFinding>,
) -> ClaimFigures {
    // Every ending's claims, ending after ending.
    let mut claims: Vec<Claim> = Vec::new();
    for n in 0..scenario.nodes.len() {
        let Some(ending) = scenario.ending(n) else {
            continue;
        };
        claims.extend(ending.requires.iter().map(|claim| Claim {
            node: n,
            place: Place::EndingClaim(n),
            claim,
            note: None,
        }));
        claims.extend(ending.notes.iter().enumerate().filter_map(|(k, note)| {
            Some(Claim {
                node: n,
                place: Place::NoteClaim(n, k),
                claim: note.requires.as_ref()?,
                note: Some(note),
            })
        }));
    }
    let mut figures = ClaimFigures {
        checked: claims.len(),
        unsupported: 0,
    };
    // The claims of each ending, and the variables they read that `graph` merges away there.
    let mut endings: Vec<EndingClaims> = Vec::new();
    let mut start = 0;
    while start < claims.len() {
        let node = claims[start].node;
        let end = start
            + claims[start..]
                .iter()
                .take_while(|c| c.node == node)
                .count();
        let conditions: Vec<&Condition> = claims[start..end]
            .iter()
            .flat_map(|c| std::iter::once(c.claim).chain(c.note.and_then(|n| n.when.as_ref())))
            .collect();
        let mut merged_away = BTreeSet::new();
        for condition in &conditions {
            condition.variables(&mut |var| {
                if !graph.live.is_live(node, var) {
                    merged_away.insert(var);
                }
            });
        }
        endings.push(EndingClaims {
            node,
            claims: &claims[start..end],
            conditions,
            merged_away,
        });
        start = end;
    }
    if !projected || endings.iter().all(|e| e.merged_away.is_empty()) {
        for e in &endings {
            prove(scenario, graph, e.node, e.claims, &mut figures, findings);
        }
        return figures;
    }
    // One graph that keeps every value any claim reads, when it stays within a few times the
    // paths' graph (the claims then read the same few variables); otherwise a graph per ending,
    // each multiplying the paths' states only by what its own claims read (paragraphs that each
    // remember a different decision).
    let together = explore_within(
        scenario,
        &mut Vec::new(),
        Merge::DeadVariables(Reads::All),
        TOGETHER_FACTOR.saturating_mul(graph.states.len().max(1_000)),
    );
    if !together.truncated {
        for e in &endings {
            prove(
                scenario,
                &together,
                e.node,
                e.claims,
                &mut figures,
                findings,
            );
        }
        return figures;
    }
    for e in &endings {
        if e.merged_away.is_empty() {
            prove(scenario, graph, e.node, e.claims, &mut figures, findings);
            continue;
        }
        let own = explore(
            scenario,
            &mut Vec::new(),
            Merge::DeadVariables(Reads::Claim {
                ending: e.node,
                conditions: &e.conditions,
            }),
        );
        if !not_proved(scenario, &own, e.claims.iter(), findings) {
            prove(scenario, &own, e.node, e.claims, &mut figures, findings);
        }
    }
    figures
}

/// When `graph` stopped short of every state, says so at each claim, which stays unproved.
fn not_proved<'a>(
    scenario: &Scenario,
    graph: &Graph,
    claims: impl Iterator<Item = &'a Claim<'a>>,
    findings: &mut Vec<AnalysisFinding>,
) -> bool {
    if graph.truncated {
        findings.extend(claims.map(|claim| AnalysisFinding {
            code: Code::AnalysisIncomplete,
            place: claim.place,
            message: format!(
                "the variables allow more than {MAX_STATES} combinations on the way to `{}`; this claim was not proved",
                scenario.nodes[claim.node].id
            ),
            hint: "narrow the variables' `min`..`max` ranges".into(),
        }));
    }
    graph.truncated
}

/// Checks an ending's claims against its states in `graph`, reporting each one some state
/// breaks.
fn prove(
    scenario: &Scenario,
    graph: &Graph,
    node: NodeIx,
    claims: &[Claim],
    figures: &mut ClaimFigures,
    findings: &mut Vec<AnalysisFinding>,
) {
    for claim in claims {
        let broken = graph.states.iter().enumerate().find(|(s, state)| {
            state.ending
                && state.node == node
                && claim.note.is_none_or(|note| note.shows(graph.vars(*s)))
                && !claim.claim.holds(graph.vars(*s))
        });
        if let Some((state, _)) = broken {
            figures.unsupported += 1;
            findings.push(unsupported(scenario, graph, claim, state));
        }
    }
}

/// The finding for a claim that `state` breaks: the shortest path there, as choices, and the
/// values the ending can read there.
fn unsupported(scenario: &Scenario, graph: &Graph, claim: &Claim, state: usize) -> AnalysisFinding {
    let Claim {
        node, place, claim, ..
    } = *claim;
    let names: Vec<&str> = scenario.variables.iter().map(|v| v.name.as_str()).collect();
    let what = match place {
        Place::NoteClaim(_, k) => format!("note {} of the ending", k + 1),
        _ => "the ending".to_owned(),
    };
    // The values the ending can read: the others were merged away as irrelevant.
    let values: Vec<String> = names
        .iter()
        .zip(graph.vars(state))
        .enumerate()
        .filter(|(var, _)| graph.live.is_live(node, *var))
        .map(|(_, (name, value))| format!("{name} = {value}"))
        .collect();
    AnalysisFinding {
        code: Code::UnsupportedClaim,
        place,
        message: format!(
            "{what} `{}` claims `{}`, but a path reaches it without: {} (then {})",
            scenario.nodes[node].id,
            claim.describe(&names),
            route(scenario, graph, &parents(graph), state),
            values.join(", "),
        ),
        hint: "change what the text asserts, make the breaking choices lead elsewhere, or show this text only `when` the claim holds".into(),
    }
}

/// For every state, the state and edge it was first reached by, in the order the
/// exploration met them: a tree of shortest paths from the start.
fn parents(graph: &Graph) -> Vec<Option<(usize, usize)>> {
    let mut parents = vec![None; graph.states.len()];
    for (s, state) in graph.states.iter().enumerate() {
        for (e, edge) in graph.edges(state).iter().enumerate() {
            if edge.to != 0 && parents[edge.to].is_none() {
                parents[edge.to] = Some((s, state.edges.start + e));
            }
        }
    }
    parents
}

/// The choices taken on the shortest path to a state, as `line/choice` ids.
fn route(
    scenario: &Scenario,
    graph: &Graph,
    parents: &[Option<(usize, usize)>],
    mut state: usize,
) -> String {
    let mut steps = Vec::new();
    while let Some((from, edge)) = parents[state] {
        if let Some(c) = graph.edges[edge].choice {
            let node = graph.states[from].node;
            steps.push(format!(
                "{}/{}",
                scenario.nodes[node].id,
                scenario.choices(node)[c].id
            ));
        }
        state = from;
    }
    if steps.is_empty() {
        return "the opening route, with no choice".to_owned();
    }
    steps.reverse();
    steps.join(" -> ")
}
