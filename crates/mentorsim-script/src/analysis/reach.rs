//! What the state graph says about reach: content no trainee meets, states with no way on,
//! and loops with no way out.

use std::collections::HashSet;

use super::state_graph::Graph;
use super::{AnalysisFinding, FastSet, Place};
use crate::diagnostic::Code;
use crate::scenario::{LineNext, NodeIx, NodeKind, Scenario};

/// Stuck states, and nodes, endings and choices that no reachable state uses.
pub(super) fn report_reach(
    scenario: &Scenario,
    graph: &Graph,
    findings: &mut Vec<AnalysisFinding>,
) {
    let mut reported_stuck = HashSet::new();
    for (s, state) in graph.states.iter().enumerate().filter(|(_, s)| s.stuck) {
        if reported_stuck.insert(state.node) {
            findings.push(AnalysisFinding {
                code: Code::NoChoiceOffered,
                place: Place::Node(state.node),
                message: format!(
                    "at `{}`, when {}, none of the choices' conditions holds, so the conversation gets stuck",
                    scenario.nodes[state.node].id,
                    describe_vars(scenario, graph, s)
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
            code: if ending {
                Code::EndingNeverReached
            } else {
                Code::UnreachableNode
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
            code: if ending {
                Code::EndingNeverReached
            } else {
                Code::NodeNeverReached
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
                    code: Code::ChoiceNeverOffered,
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

pub(super) fn structurally_reachable(scenario: &Scenario) -> Vec<bool> {
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

/// The values of state `s` that its node can still read (the others were merged away).
pub(super) fn describe_vars(scenario: &Scenario, graph: &Graph, s: usize) -> String {
    let node = graph.states[s].node;
    let values: Vec<String> = scenario
        .variables
        .iter()
        .zip(graph.vars(s))
        .enumerate()
        .filter(|(var, _)| graph.live.is_live(node, *var))
        .map(|(_, (def, value))| format!("{} = {value}", def.name))
        .collect();
    if values.is_empty() {
        return "the conversation gets here".into();
    }
    values.join(", ")
}

/// States from which some ending can be reached.
pub(super) fn co_reachable(graph: &Graph) -> Vec<bool> {
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
pub(super) fn report_traps(
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
            Code::NoWayOut,
            "the conversation can go round {route} forever: no choice on this loop leads to an ending",
            "give one of these lines a choice that moves on towards an ending",
        ));
    }
}

/// Loops that trainees can leave: analysis needs paths of bounded length.
pub(super) fn report_loops(
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
            Code::Loop,
            "the conversation can come back round {route}; paths are then unbounded and scores were not analysed",
            "conversations should move forward: let the loop change a variable that closes it, or link onward",
        ));
    }
}

/// A finding about a loop, placed at its first node; `{route}` in the message becomes
/// `a -> b -> c`.
pub(super) fn loop_finding(
    scenario: &Scenario,
    graph: &Graph,
    cycle: &[usize],
    code: Code,
    message: &str,
    hint: &str,
) -> AnalysisFinding {
    let route: Vec<&str> = cycle
        .iter()
        .map(|&s| scenario.nodes[graph.states[s].node].id.as_str())
        .collect();
    AnalysisFinding {
        code,
        place: Place::Node(graph.states[cycle[0]].node),
        message: message.replace("{route}", &route.join(" -> ")),
        hint: hint.to_owned(),
    }
}

/// Loops among the `within` states, found by depth-first search: one per back edge whose
/// target is not on a loop reported already.
pub(super) fn find_cycles(graph: &Graph, within: &[bool]) -> Vec<Vec<usize>> {
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
