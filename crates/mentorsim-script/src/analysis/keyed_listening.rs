//! A trainee who picks the best option at every decision must not be told their listening is
//! below fair. The debrief bands the listening chosen by MITI 4.2.1's thresholds
//! ([`ListeningProfile`]); when the keyed route itself falls below them, the debrief and the
//! scores contradict each other, and the trainee learns that the "best" replies are poor
//! listening. Every route that takes a best option at each decision (ties included, as the
//! debrief counts any of them as best) is walked to its ending.

use std::collections::BTreeMap;

use super::state_graph::Graph;
use super::{AnalysisFinding, Place};
use crate::diagnostic::Code;
use crate::listening::{Band, ListeningProfile};
use crate::model::BehaviourCode;
use crate::scenario::{Scenario, best_total};

/// Keyed routes walked before giving up: ties at many decisions multiply them.
const MAX_ROUTES: usize = 10_000;

/// Reports the first keyed route whose listening profile is below fair.
pub(super) fn report_keyed_listening(
    scenario: &Scenario,
    graph: &Graph,
    good: &[bool],
    findings: &mut Vec<AnalysisFinding>,
) {
    let mut walk = KeyedWalk {
        scenario,
        graph,
        good,
        routes: 0,
        route: Vec::new(),
        codes: BTreeMap::new(),
    };
    if let Some(finding) = walk.from(0) {
        findings.push(finding);
    }
}

struct KeyedWalk<'a> {
    scenario: &'a Scenario,
    graph: &'a Graph,
    good: &'a [bool],
    routes: usize,
    /// The choices taken so far, as `node/choice` ids.
    route: Vec<String>,
    codes: BTreeMap<BehaviourCode, u32>,
}

impl KeyedWalk<'_> {
    /// Walks on from state `s`; the finding of the first keyed route below fair.
    fn from(&mut self, s: usize) -> Option<AnalysisFinding> {
        let state = &self.graph.states[s];
        if state.ending {
            self.routes += 1;
            return self.judge(state.node);
        }
        let edges = self.graph.edges(state);
        let choices = self.scenario.choices(state.node);
        let best = best_total(edges.iter().filter_map(|e| e.choice.map(|c| &choices[c])));
        for edge in edges {
            if self.routes >= MAX_ROUTES {
                return None;
            }
            if !self.good[edge.to] {
                continue;
            }
            let Some(c) = edge.choice else {
                if let Some(finding) = self.from(edge.to) {
                    return Some(finding);
                }
                continue;
            };
            let choice = &choices[c];
            if Some(choice.total_effect()) != best {
                continue;
            }
            self.route.push(format!(
                "{}/{}",
                self.scenario.nodes[state.node].id, choice.id
            ));
            for &code in &choice.codes {
                *self.codes.entry(code).or_default() += 1;
            }
            let finding = self.from(edge.to);
            for &code in &choice.codes {
                if let Some(n) = self.codes.get_mut(&code) {
                    *n -= 1;
                }
            }
            self.route.pop();
            if finding.is_some() {
                return finding;
            }
        }
        None
    }

    fn judge(&self, ending: usize) -> Option<AnalysisFinding> {
        let profile = ListeningProfile::of(&self.codes);
        let ratio = profile
            .ratio()
            .filter(|&(_, band)| band == Band::BelowFair)
            .map(|(ratio, _)| {
                format!(
                    "{} reflection(s) to {} question(s) ({ratio:.1}:1; fair is 1:1)",
                    profile.reflections, profile.questions
                )
            });
        let complex = profile
            .complex_share()
            .filter(|&(_, band)| band == Band::BelowFair)
            .map(|(share, _)| {
                format!(
                    "{} of {} reflection(s) complex ({:.0}%; fair is 40%)",
                    profile.complex,
                    profile.reflections,
                    share * 100.0
                )
            });
        let below: Vec<String> = ratio.into_iter().chain(complex).collect();
        (!below.is_empty()).then(|| AnalysisFinding {
            code: Code::KeyedListening,
            place: Place::Node(ending),
            message: format!(
                "a trainee who picks the best option at every decision ({}) chooses {}, and the debrief calls that listening below fair by MITI 4.2.1",
                self.route.join(", "),
                below.join(" and ")
            ),
            hint: "key a reflection as the best option where it serves the mentee as well as the question does (a reflection before a direct question often does), or give it the same points".into(),
        })
    }
}
