//! Claims: what an ending, or a paragraph of its debrief, asserts about the route that led to
//! it (`requires: "asked_risk == 1"`). A claim is proved by looking at every reachable state at
//! the ending, which is every combination of variable values any path arrives with; one where
//! it fails is reported with the shortest path that arrives so, as the choices taken.

use serde::Serialize;

use super::state_graph::Graph;
use super::{AnalysisFinding, Place};
use crate::condition::Condition;
use crate::diagnostic::Code;
use crate::scenario::{NoteNode, Scenario};

/// How many claims a scenario makes and how many some path breaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ClaimFigures {
    /// Claims in the file (endings' and notes' `requires`).
    pub checked: usize,
    /// Claims that some path reaching them breaks.
    pub unsupported: usize,
}

/// A claim and the first state found that breaks it.
struct Claim<'a> {
    /// The ending it is made at.
    node: usize,
    place: Place,
    claim: &'a Condition,
    /// The note it belongs to: only states that show the note must satisfy it.
    note: Option<&'a NoteNode>,
    broken_at: Option<usize>,
}

/// Checks every claim against the states at its ending, in one pass over the states.
pub(super) fn check_claims(
    scenario: &Scenario,
    graph: &Graph,
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
            broken_at: None,
        }));
        claims.extend(ending.notes.iter().enumerate().filter_map(|(k, note)| {
            Some(Claim {
                node: n,
                place: Place::NoteClaim(n, k),
                claim: note.requires.as_ref()?,
                note: Some(note),
                broken_at: None,
            })
        }));
    }
    let mut figures = ClaimFigures {
        checked: claims.len(),
        unsupported: 0,
    };
    if claims.is_empty() {
        return figures;
    }
    // Ending n's span of `claims`.
    let mut of_node = vec![0..0; scenario.nodes.len()];
    for (i, claim) in claims.iter().enumerate() {
        let span = &mut of_node[claim.node];
        let start = if span.end > span.start { span.start } else { i };
        *span = start..i + 1;
    }
    for (s, state) in graph.states.iter().enumerate().filter(|(_, st)| st.ending) {
        for claim in &mut claims[of_node[state.node].clone()] {
            if claim.broken_at.is_none()
                && claim.note.is_none_or(|note| note.shows(graph.vars(s)))
                && !claim.claim.holds(graph.vars(s))
            {
                claim.broken_at = Some(s);
            }
        }
    }
    // (claim, the first state found that breaks it)
    let broken: Vec<(&Claim, usize)> = claims
        .iter()
        .filter_map(|c| Some((c, c.broken_at?)))
        .collect();
    figures.unsupported = broken.len();
    if broken.is_empty() {
        return figures;
    }
    let parents = parents(graph);
    let names: Vec<&str> = scenario.variables.iter().map(|v| v.name.as_str()).collect();
    for (
        &Claim {
            node, place, claim, ..
        },
        state,
    ) in broken
    {
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
        findings.push(AnalysisFinding {
            code: Code::UnsupportedClaim,
            place,
            message: format!(
                "{what} `{}` claims `{}`, but a path reaches it without: {} (then {})",
                scenario.nodes[node].id,
                claim.describe(&names),
                route(scenario, graph, &parents, state),
                values.join(", "),
            ),
            hint: "change what the text asserts, make the breaking choices lead elsewhere, or show this text only `when` the claim holds".into(),
        });
    }
    figures
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
