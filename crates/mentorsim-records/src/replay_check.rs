//! Whether an attempt made elsewhere counts: it is replayed through the engine on the exact
//! scenario text it names (by SHA-256), and its claimed result must be what its choices earn.
//!
//! A station is in a trainee's hands: whoever holds it can edit its database, so the scores and
//! verdict it reports are never trusted. What it cannot forge is a result its recorded choices
//! do not earn on the scenario the program knows, because the coordinator derives the result
//! again here. `records import` and `readiness --lrs` both count an attempt only through this.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::rescore::{RescoreError, played_scenario};
use crate::store::{Attempt, Step, Store};
use mentorsim_script::engine::{Action, AttemptResult, PlayError, Session};
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

/// The result a station says an attempt had.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Whether it passed the scenario's rule.
    pub passed: bool,
    /// Overall score 0..1.
    pub overall: f64,
    /// Score per competency id.
    pub scores: BTreeMap<String, f64>,
    /// Each critical error as (node id, choice id), in order.
    pub critical: Vec<(String, String)>,
    /// The ending reached, when the record names it (xAPI statements do not).
    pub ending: Option<String>,
}

/// Why an attempt from elsewhere does not count.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NotCounted {
    /// Neither the coordinator's library nor its records hold the scenario text played.
    #[error(
        "it was played on `{scenario}` with SHA-256 {sha256}, a version this library and these records do not hold; add that version of the scenario with --library"
    )]
    UnknownVersion {
        /// Scenario id.
        scenario: String,
        /// SHA-256 of the text played.
        sha256: String,
    },
    /// The recorded steps are not numbered 0, 1, 2...: some are missing.
    #[error("its recorded steps have a gap: step {missing} is missing")]
    Gap {
        /// The first step number missing.
        missing: usize,
    },
    /// The recorded choices cannot be played on the scenario.
    #[error("its choices do not replay on the scenario: {0}")]
    DoesNotReplay(String),
    /// The recorded choices stop before an ending.
    #[error("its recorded choices stop before an ending, yet it claims a result")]
    Unfinished,
    /// A step names another node than the one the replay is at.
    #[error("step {step} says it was taken at `{claimed}`, but the replay is at `{replayed}`")]
    WrongNode {
        /// Step number.
        step: usize,
        /// Node the record names.
        claimed: String,
        /// Node the replay reached.
        replayed: String,
    },
    /// The statements of the attempt do not say enough to rebuild it.
    #[error("{0}")]
    Incomplete(String),
    /// The claimed result is not what the choices earn.
    #[error("its claimed result differs from the replay: {}", .0.join("; "))]
    ClaimDiffers(Vec<String>),
}

/// An attempt whose replay earned what it claims.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The result derived by the replay (not the station's).
    pub result: AttemptResult,
    /// Every step of the replay: the recorded ones, and a `Continue` wherever the record
    /// leaves out moving on from a line without choices (xAPI records only decisions).
    pub steps: Vec<Step>,
    /// The scenario it was replayed on, exactly as shown (its texts are kept with imports).
    pub scenario: Arc<Scenario>,
}

/// Replays `attempt` on the scenario text it names, found in `store`'s kept texts or in
/// `library` by SHA-256, and compares the result with `claim`.
pub fn check(
    store: &Store,
    library: &Library,
    attempt: &Attempt,
    claim: &Claim,
) -> Result<Verified, NotCounted> {
    let scenario = match played_scenario(store, attempt, library) {
        Ok((scenario, _)) => scenario,
        Err(RescoreError::SourceMissing {
            scenario, sha256, ..
        }) => return Err(NotCounted::UnknownVersion { scenario, sha256 }),
        Err(other) => return Err(NotCounted::DoesNotReplay(other.to_string())),
    };
    let (result, steps) = replay(&scenario, attempt)?;
    let differences = differences(claim, &result);
    if !differences.is_empty() {
        return Err(NotCounted::ClaimDiffers(differences));
    }
    Ok(Verified {
        result,
        steps,
        scenario,
    })
}

/// Plays the recorded steps on a fresh session with the attempt's seed and mode. Moving on
/// from a line without choices is the only thing a trainee can do there, so a record that
/// leaves those steps out replays the same; every recorded step must name the line the
/// replay is at.
fn replay(
    scenario: &Arc<Scenario>,
    attempt: &Attempt,
) -> Result<(AttemptResult, Vec<Step>), NotCounted> {
    let failed = |e: PlayError| NotCounted::DoesNotReplay(e.to_string());
    let mut session =
        Session::start(Arc::clone(scenario), attempt.seed, attempt.mode).map_err(failed)?;
    let mut steps: Vec<Step> = Vec::with_capacity(attempt.steps.len());
    let mut last_at = attempt.started.clone();
    for (n, recorded) in attempt.steps.iter().enumerate() {
        if matches!(recorded.action, Action::Choose(_)) {
            continue_to_decision(&mut session, &mut steps, &last_at)?;
        }
        let line = session.current().ok_or_else(|| {
            NotCounted::DoesNotReplay(format!("step {n} comes after the conversation has ended"))
        })?;
        if line.node != recorded.node {
            return Err(NotCounted::WrongNode {
                step: n,
                claimed: recorded.node.clone(),
                replayed: line.node,
            });
        }
        match &recorded.action {
            Action::Choose(id) => session.choose_id(id).map(drop),
            Action::Continue => session.advance(),
        }
        .map_err(failed)?;
        steps.push(recorded.clone());
        last_at.clone_from(&recorded.at);
    }
    continue_to_decision(&mut session, &mut steps, &last_at)?;
    let result = session.result().ok_or(NotCounted::Unfinished)?;
    Ok((result, steps))
}

/// Moves on until a decision or the ending, recording each move at `at`.
fn continue_to_decision(
    session: &mut Session,
    steps: &mut Vec<Step>,
    at: &str,
) -> Result<(), NotCounted> {
    while let Some(line) = session.current().filter(|line| line.options.is_empty()) {
        session
            .advance()
            .map_err(|e| NotCounted::DoesNotReplay(e.to_string()))?;
        steps.push(Step {
            node: line.node,
            action: Action::Continue,
            millis: 0,
            at: at.to_owned(),
        });
    }
    Ok(())
}

/// Step numbers as recorded must run 0, 1, 2... without a gap or a repeat.
pub fn check_sequence(numbers: impl IntoIterator<Item = usize>) -> Result<(), NotCounted> {
    for (expected, number) in numbers.into_iter().enumerate() {
        if number != expected {
            return Err(NotCounted::Gap { missing: expected });
        }
    }
    Ok(())
}

/// What the claim says that the replay does not.
fn differences(claim: &Claim, replayed: &AttemptResult) -> Vec<String> {
    // Scores travel as JSON numbers: allow for a last-digit difference in their text.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9;
    let mut found = Vec::new();
    // xAPI gives the overall score to 4 decimals; the verdict and each competency's score
    // are compared exactly, so this hides nothing that decides readiness.
    if claim.passed != replayed.passed {
        found.push(format!(
            "it claims {}, the choices {}",
            verdict(claim.passed),
            verdict(replayed.passed)
        ));
    }
    if (claim.overall - replayed.overall).abs() > 0.5e-4 + 1e-9 {
        found.push(format!(
            "overall {:.4} claimed, {:.4} earned",
            claim.overall, replayed.overall
        ));
    }
    let competencies: std::collections::BTreeSet<&String> =
        claim.scores.keys().chain(replayed.scores.keys()).collect();
    for competency in competencies {
        match (
            claim.scores.get(competency),
            replayed.scores.get(competency),
        ) {
            (Some(&c), Some(&r)) if close(c, r) => {}
            (c, r) => found.push(format!(
                "{competency} {} claimed, {} earned",
                shown(c),
                shown(r)
            )),
        }
    }
    let earned: Vec<(String, String)> = replayed
        .critical
        .iter()
        .map(|c| (c.node.clone(), c.choice.clone()))
        .collect();
    if claim.critical != earned {
        found.push(format!(
            "{} critical error(s) claimed, {} made",
            claim.critical.len(),
            earned.len()
        ));
    }
    if let Some(ending) = claim.ending.as_ref().filter(|e| **e != replayed.ending) {
        found.push(format!(
            "ending `{ending}` claimed, `{}` reached",
            replayed.ending
        ));
    }
    found
}

fn verdict(passed: bool) -> &'static str {
    if passed { "a pass" } else { "a fail" }
}

fn shown(score: Option<&f64>) -> String {
    score.map_or("none".to_owned(), |s| format!("{s:.4}"))
}
