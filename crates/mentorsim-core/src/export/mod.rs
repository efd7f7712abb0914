//! Exports of finished attempts for the programs that decide on them: JSON (the full record),
//! CSV (one row per attempt, for spreadsheets) and xAPI statements (for a Learning Record
//! Store). All three are built from the same [`Finished`] records, so they always agree.

pub mod csv;
pub mod json;
pub mod xapi;

use std::collections::HashMap;
use std::sync::Arc;

use crate::engine::AttemptResult;
use crate::library::Library;
use crate::records::{Attempt, Store, StoreError};
use crate::rescore::{RescoreError, played_scenario};
use crate::scenario::Scenario;

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

/// Reads the finished attempts a selection names, oldest first.
pub fn collect(
    store: &Store,
    library: &Library,
    selection: &Selection,
) -> Result<Vec<Finished>, StoreError> {
    let attempts =
        store.finished_attempts(selection.trainee.as_deref(), selection.since.as_deref())?;
    let mut scenarios: HashMap<String, Option<Arc<Scenario>>> = HashMap::new();
    let mut finished = Vec::with_capacity(attempts.len());
    for mut attempt in attempts {
        let Some(result) = store.result(&attempt.id)? else {
            continue;
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
    Ok(finished)
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
