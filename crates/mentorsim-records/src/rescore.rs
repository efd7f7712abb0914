//! Re-scoring: replay an attempt's seed and actions against the exact scenario and rubric
//! texts it was played on, and compare with the result stored at the time.
//!
//! This is how a program checks that a record was produced by the scoring it claims: the
//! result must come out byte for byte the same.

use std::sync::Arc;

use crate::store::{Attempt, Store, StoreError};
use mentorsim_script::contacts::Contacts;
use mentorsim_script::diagnostic::{Code, Diagnostic};
use mentorsim_script::engine::{AttemptResult, PlayError, Session};
use mentorsim_script::library::Library;
use mentorsim_script::load::{parse, parse_scenario};
use mentorsim_script::model::RubricFile;
use mentorsim_script::scenario::Scenario;
use mentorsim_script::source::SourceText;
use mentorsim_script::validate::{build_scenario, check_rubric};

/// What re-scoring found.
#[derive(Debug)]
pub struct Rescored {
    /// The attempt.
    pub attempt: Attempt,
    /// Where the scenario came from: the texts stored with the attempt, or a library file.
    pub scenario_from: String,
    /// The result stored when the attempt ended.
    pub stored: AttemptResult,
    /// The result of the replay.
    pub replayed: AttemptResult,
    /// Top-level fields of the result that differ (empty when it is reproduced exactly).
    pub differences: Vec<String>,
}

impl Rescored {
    /// Whether the replay reproduced the stored result exactly.
    pub fn reproduced(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Why an attempt could not be re-scored.
#[derive(Debug, thiserror::Error)]
pub enum RescoreError {
    /// Reading the records failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The attempt has no result yet.
    #[error(
        "attempt {0} has not ended, so there is no result to re-score; finish or resume it first"
    )]
    Unfinished(String),
    /// Neither the records nor the library hold the text the attempt was played on.
    #[error(
        "attempt {attempt} was played on `{scenario}` with SHA-256 {sha256}, which is not stored in the records and not in the library{found}; pass --library with that version of the scenario"
    )]
    SourceMissing {
        /// Attempt id.
        attempt: String,
        /// Scenario id.
        scenario: String,
        /// Hash of the text played.
        sha256: String,
        /// What the library has instead, if anything.
        found: String,
    },
    /// The stored texts no longer build (e.g. a rubric this build reads differently).
    #[error("the stored text of `{scenario}` does not build a playable scenario: {reason}")]
    Rebuild {
        /// Scenario id.
        scenario: String,
        /// The first diagnostic.
        reason: String,
    },
    /// The recorded actions end before the conversation does.
    #[error("the recorded actions of attempt {0} stop before an ending, yet a result is stored")]
    StopsEarly(String),
    /// The recorded actions do not replay.
    #[error("attempt {attempt} does not replay: {source}")]
    Replay {
        /// Attempt id.
        attempt: String,
        /// Why.
        source: PlayError,
    },
}

/// Replays attempt `id` and compares it with its stored result. `library` is searched for a
/// scenario with the recorded hash when the records lack the text (attempts from schema 1).
pub fn rescore(store: &Store, id: &str, library: &Library) -> Result<Rescored, RescoreError> {
    let attempt = store.attempt(id)?;
    let stored_json = store
        .result_json(id)?
        .ok_or_else(|| RescoreError::Unfinished(id.to_owned()))?;
    let stored: AttemptResult =
        serde_json::from_str(&stored_json).map_err(|e| StoreError::Damaged {
            attempt: id.to_owned(),
            field: "result",
            reason: e.to_string(),
        })?;
    let (scenario, scenario_from) = played_scenario(store, &attempt, library)?;
    let replay = |source| RescoreError::Replay {
        attempt: id.to_owned(),
        source,
    };
    let session = Session::resume(scenario, &attempt.session_state()).map_err(replay)?;
    let replayed = session
        .result()
        .ok_or_else(|| RescoreError::StopsEarly(id.to_owned()))?;
    let differences = differences(&stored_json, &replayed);
    Ok(Rescored {
        attempt,
        scenario_from,
        stored,
        replayed,
        differences,
    })
}

/// The scenario exactly as played: rebuilt from the stored texts, or found in the library by
/// hash. Also returns where it came from, for reports.
pub fn played_scenario(
    store: &Store,
    attempt: &Attempt,
    library: &Library,
) -> Result<(Arc<Scenario>, String), RescoreError> {
    if let Some(stored) = stored_scenario(store, attempt)? {
        return Ok(stored);
    }
    match library.scenario(&attempt.scenario) {
        Some(scenario) if scenario.sha256 == attempt.scenario_sha256 => {
            match as_shown(scenario, attempt) {
                Some(shown) => Ok((shown, scenario.file.clone())),
                None => Err(source_missing(attempt, Some(scenario))),
            }
        }
        other => Err(source_missing(attempt, other)),
    }
}

/// The scenario an unfinished attempt continues on: exactly the texts it started on, so an
/// attempt is never finished on an edited file (its record names the SHA-256 of what it
/// started on, and `rescore` replays against that). `current` is today's scenario with the
/// attempt's id: used as is when its texts are the ones played, otherwise the stored texts are
/// rebuilt. An error when neither is possible: the attempt cannot continue.
pub fn scenario_to_resume(
    store: &Store,
    attempt: &Attempt,
    current: &Arc<Scenario>,
) -> Result<Arc<Scenario>, RescoreError> {
    let same_scenario = current.id == attempt.scenario && current.sha256 == attempt.scenario_sha256;
    let same_rubric = attempt
        .rubric_sha256
        .as_ref()
        .is_none_or(|sha| *sha == current.rubric.sha256);
    if same_scenario
        && same_rubric
        && let Some(shown) = as_shown(current, attempt)
    {
        return Ok(shown);
    }
    match stored_scenario(store, attempt)? {
        Some((scenario, _)) => Ok(scenario),
        None => Err(source_missing(attempt, Some(current))),
    }
}

/// The scenario rebuilt from the texts stored with the attempt; `None` when the records lack
/// them (attempts recorded before schema 2).
fn stored_scenario(
    store: &Store,
    attempt: &Attempt,
) -> Result<Option<(Arc<Scenario>, String)>, RescoreError> {
    let scenario_text = store.source(&attempt.scenario_sha256)?;
    let rubric_text = match &attempt.rubric_sha256 {
        Some(sha) => store.source(sha)?,
        None => None,
    };
    let (Some((scenario_file, scenario_text)), Some((rubric_file, rubric_text))) =
        (scenario_text, rubric_text)
    else {
        return Ok(None);
    };
    let scenario_source = SourceText::new(scenario_file.clone(), scenario_text);
    let rubric_source = SourceText::new(rubric_file, rubric_text);
    let rebuild_failed = |reason: String| RescoreError::Rebuild {
        scenario: attempt.scenario.clone(),
        reason,
    };
    let scenario = rebuild(&scenario_source, &rubric_source)
        .map_err(|d| rebuild_failed(format!("{} [{}] at {}", d.message, d.code, d.location())))?;
    if scenario.id != attempt.scenario {
        return Err(rebuild_failed(format!(
            "the stored text is of scenario `{}`",
            scenario.id
        )));
    }
    Ok(Some((
        Arc::new(filled_as_shown(&scenario, attempt)),
        format!("the text stored with the attempt ({scenario_file})"),
    )))
}

/// `scenario` with the texts the attempt was shown: filled with the attempt's contacts, or as
/// it is when it already shows them. `None` when it was filled with other contacts.
fn as_shown(scenario: &Arc<Scenario>, attempt: &Attempt) -> Option<Arc<Scenario>> {
    if scenario.contacts == attempt.contacts {
        Some(Arc::clone(scenario))
    } else if scenario.contacts.is_empty() {
        Some(Arc::new(filled_as_shown(scenario, attempt)))
    } else {
        None
    }
}

/// An unfilled scenario filled with the attempt's contacts (none for an attempt recorded
/// before contacts were data, whose texts had no placeholders).
fn filled_as_shown(scenario: &Scenario, attempt: &Attempt) -> Scenario {
    if attempt.contacts.is_empty() {
        scenario.clone()
    } else {
        scenario.with_contacts(&Contacts(attempt.contacts.clone()))
    }
}

/// Builds stored texts into a playable scenario, or gives the first error. The path analysis
/// is not run: the texts were checked when the attempt was played, and a replay needs only the
/// scenario (on a large file the analysis is most of the work of a check).
fn rebuild(scenario: &SourceText, rubric: &SourceText) -> Result<Scenario, Diagnostic> {
    let first_error = |found: Vec<Diagnostic>| {
        found
            .into_iter()
            .find(Diagnostic::is_error)
            .unwrap_or_else(|| {
                Diagnostic::whole_file(
                    Code::UnknownRubric,
                    &rubric.name,
                    "the stored rubric could not be built",
                )
            })
    };
    let (built_rubric, found) = check_rubric(rubric, parse::<RubricFile>(rubric)?);
    let built_rubric = built_rubric.ok_or_else(|| first_error(found))?;
    let file = parse_scenario(scenario)?;
    build_scenario(scenario, &file, |id| {
        (id == built_rubric.id).then_some(&built_rubric)
    })
    .map_err(first_error)
}

fn source_missing(attempt: &Attempt, found: Option<&Arc<Scenario>>) -> RescoreError {
    RescoreError::SourceMissing {
        attempt: attempt.id.clone(),
        scenario: attempt.scenario.clone(),
        sha256: attempt.scenario_sha256.clone(),
        found: found.map_or(String::new(), |s| {
            format!(" (the library's {} has SHA-256 {})", s.file, s.sha256)
        }),
    }
}

/// The top-level fields where the replay's JSON differs from the stored JSON.
fn differences(stored_json: &str, replayed: &AttemptResult) -> Vec<String> {
    let replayed_json = serde_json::to_string(replayed).unwrap_or_default();
    if replayed_json == stored_json {
        return Vec::new();
    }
    let as_map = |json: &str| match serde_json::from_str(json) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (stored, replayed) = (as_map(stored_json), as_map(&replayed_json));
    let mut fields: Vec<String> = stored
        .keys()
        .chain(replayed.keys())
        .filter(|k| stored.get(*k) != replayed.get(*k))
        .cloned()
        .collect();
    fields.sort();
    fields.dedup();
    if fields.is_empty() {
        // Same values, different text (e.g. number formatting): still not byte-identical.
        fields.push("(formatting of the stored document)".to_owned());
    }
    fields
}
