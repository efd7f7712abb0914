//! Readiness from a Learning Record Store: the program's statements rebuilt into attempts
//! ([`crate::from_xapi`]), each replayed on the exact scenario text ([`crate::replay_check`]),
//! and only the replayed results handed to [`crate::readiness`]. What a station claimed is never
//! what is judged; an attempt that does not count is listed with the reason.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::export::xapi::iri_segment;
use crate::from_xapi::rebuild;
use crate::policy::Program;
use crate::replay_check::{self, Verified};
use crate::store::{AttemptSummary, Relevant, Store, Trainee};
use mentorsim_script::library::Library;
use mentorsim_script::model::BehaviourCode;

/// An attempt found in the statements that does not count.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotCounted {
    /// The attempt (registration) id.
    pub attempt: String,
    /// The trainee, when the statements name one.
    pub trainee: Option<String>,
    /// Why it does not count.
    pub reason: String,
}

/// The attempts the statements hold, replayed.
#[derive(Debug, Default)]
pub struct Replayed {
    /// Every trainee the statements name (with the name the coordinator's records give, or
    /// the id), in id order.
    pub trainees: Vec<Trainee>,
    /// The replayed result of each attempt that counts.
    pub summaries: Vec<AttemptSummary>,
    /// The attempts that do not, with the reasons.
    pub not_counted: Vec<NotCounted>,
    /// The behaviour codes of each trainee's counted attempts, summed: their listening.
    pub codes: BTreeMap<String, BTreeMap<BehaviourCode, u32>>,
}

/// The activities to ask the LRS about: each scenario the policy can count, as the statements
/// name it under the program's home page (its decisions come as related activities).
pub fn scenario_activities(program: &Program, relevant: &Relevant) -> Vec<String> {
    let base = program.home_page.trim_end_matches('/');
    relevant
        .scenarios
        .iter()
        .map(|id| format!("{base}/scenarios/{}", iri_segment(id)))
        .collect()
}

/// Rebuilds and replays every finished attempt in `statements`.
pub fn replay_statements(
    store: &Store,
    library: &Library,
    statements: &[Value],
    home_page: &str,
) -> Replayed {
    let mut replayed = Replayed::default();
    let mut trainee_ids = std::collections::BTreeSet::new();
    for rebuilt in rebuild(statements, home_page) {
        if let Some(trainee) = &rebuilt.trainee {
            trainee_ids.insert(trainee.clone());
        }
        let counted = rebuilt.attempt.and_then(|(attempt, claim)| {
            replay_check::check(store, library, &attempt, &claim)
                .map(|verified| (attempt, verified))
        });
        match counted {
            Ok((attempt, Verified { result, .. })) => {
                let codes = replayed.codes.entry(attempt.trainee.clone()).or_default();
                for (code, count) in &result.codes {
                    *codes.entry(*code).or_default() += count;
                }
                replayed.summaries.push(AttemptSummary {
                    id: attempt.id,
                    trainee: Arc::from(attempt.trainee.as_str()),
                    scenario: Arc::from(attempt.scenario.as_str()),
                    topic: attempt.topic.as_deref().map(Arc::from),
                    kind: attempt.kind,
                    mode: attempt.mode,
                    ended: attempt.ended.unwrap_or_default(),
                    passed: result.passed,
                    overall: result.overall,
                    scores: result
                        .scores
                        .iter()
                        .map(|(id, score)| (Arc::from(id.as_str()), *score))
                        .collect(),
                    critical: result
                        .critical
                        .iter()
                        .map(|c| Arc::from(c.text.as_str()))
                        .collect(),
                });
            }
            Err(reason) => replayed.not_counted.push(NotCounted {
                attempt: rebuilt.registration,
                trainee: rebuilt.trainee,
                reason: reason.to_string(),
            }),
        }
    }
    replayed.trainees = trainee_ids
        .into_iter()
        .map(|id| {
            let name = store.trainee(&id).map_or_else(|_| id.clone(), |t| t.name);
            Trainee { id, name }
        })
        .collect();
    replayed
}
