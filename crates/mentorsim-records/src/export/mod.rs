//! Exports of finished attempts for the programs that decide on them: JSON (the full record),
//! CSV (one row per attempt, for spreadsheets) and xAPI statements (for a Learning Record
//! Store). All three are built from the same [`Finished`] records, so they always agree.

pub mod csv;
pub mod json;
pub mod xapi;

use std::collections::HashMap;
use std::sync::Arc;

use crate::rescore::{RescoreError, played_scenario};
use crate::store::{Attempt, Store, StoreError};
use mentorsim_script::engine::AttemptResult;
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

/// A finished attempt with its result and, when it can still be rebuilt, the scenario as played.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The attempt with its steps.
    pub attempt: Attempt,
    /// Its stored result.
    pub result: AttemptResult,
    /// The scenario exactly as played (from the texts stored with the attempt).
    pub scenario: Option<Arc<Scenario>>,
}

/// Which attempts to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// One trainee only.
    pub trainee: Option<String>,
    /// Attempts that ended on or after this date or time (RFC 3339 text, e.g. `2026-09-01`).
    pub since: Option<String>,
    /// Include the trainees' reflections (private by default).
    pub reflections: bool,
}

/// The finished attempts a selection names, and those that could not be read.
#[derive(Debug, Default)]
pub struct Collected {
    /// The readable records, oldest first.
    pub records: Vec<Finished>,
    /// One [`StoreError::Damaged`] per attempt whose stored values cannot be read (a result
    /// that does not parse, a value of the wrong type...): left out, never silently.
    pub damaged: Vec<StoreError>,
}

/// Reads the finished attempts a selection names, oldest first. A damaged record is set aside
/// with what is wrong with it; the others are still exported.
pub fn collect(
    store: &Store,
    library: &Library,
    selection: &Selection,
) -> Result<Collected, StoreError> {
    let (attempts, mut damaged) = store
        .finished_attempts_readable(selection.trainee.as_deref(), selection.since.as_deref())?;
    let mut scenarios: HashMap<String, Option<Arc<Scenario>>> = HashMap::new();
    let mut finished = Vec::with_capacity(attempts.len());
    for mut attempt in attempts {
        let result = match store.result(&attempt.id) {
            Ok(Some(result)) => result,
            Ok(None) => {
                damaged.push(StoreError::Damaged {
                    attempt: attempt.id.clone(),
                    field: "result",
                    reason: "it ended but has no stored result".to_owned(),
                });
                continue;
            }
            Err(error @ StoreError::Damaged { .. }) => {
                damaged.push(error);
                continue;
            }
            Err(error) => return Err(error),
        };
        if !selection.reflections {
            attempt.reflection = None;
        }
        let key = format!(
            "{}/{}",
            attempt.scenario_sha256,
            attempt.rubric_sha256.as_deref().unwrap_or("")
        );
        let scenario = match scenarios.get(&key) {
            Some(known) => known.clone(),
            None => {
                let played = match played_scenario(store, &attempt, library) {
                    Ok((scenario, _)) => Some(scenario),
                    Err(RescoreError::Store(error)) => return Err(error),
                    Err(_) => None,
                };
                scenarios.insert(key, played.clone());
                played
            }
        };
        finished.push(Finished {
            attempt,
            result,
            scenario,
        });
    }
    Ok(Collected {
        records: finished,
        damaged,
    })
}

/// Seconds from `start` to `end` (RFC 3339 texts), or 0 when either does not parse.
pub(crate) fn seconds_between(start: &str, end: &str) -> f64 {
    match (
        start.parse::<jiff::Timestamp>(),
        end.parse::<jiff::Timestamp>(),
    ) {
        (Ok(start), Ok(end)) => end.duration_since(start).as_secs_f64().max(0.0),
        _ => 0.0,
    }
}
