//! `records import`: a coordinator brings other stations' JSON exports (signed or not) into
//! their own records. Every attempt is replayed on the exact scenario text it names
//! ([`crate::replay_check`]); a file with any attempt that does not count, or that cannot be
//! read, is refused whole, so a coordinator never holds half a station's file. Importing a
//! file again adds nothing: attempts are known by their ids.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::replay_check::{self, Claim, NotCounted, Verified};
use crate::signing::{self, Verdict};
use crate::store::{Attempt, Imported, Step, Store, StoreError};
use crate::strict_json;
use mentorsim_script::engine::{Action, Mode};
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;

/// Largest export file read (a station's export of 10,000 attempts is about 60 MB).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// What importing one file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Attempts added to the records.
    pub added: usize,
    /// Attempts the records held already.
    pub already: usize,
    /// Whether the file was signed (and unchanged since).
    pub signed: bool,
}

/// Why a file was refused; nothing of it was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read it: {0}")]
    Read(String),
    /// Not a mentorsim JSON export, or a damaged one.
    #[error("{0}")]
    Format(String),
    /// A signed export changed after it was signed.
    #[error("it changed after it was signed: {0}")]
    Altered(String),
    /// An attempt that does not count.
    #[error("attempt {attempt} (trainee {trainee}, {scenario}) does not count: {reason}")]
    NotCounted {
        /// Attempt id.
        attempt: String,
        /// Trainee id.
        trainee: String,
        /// Scenario id.
        scenario: String,
        /// Why.
        reason: NotCounted,
    },
    /// Writing the records failed (or an id is taken by another attempt).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports one export file into `store`, replaying each attempt on the scenario texts of
/// `store` and `library`.
pub fn import_file(
    store: &Store,
    library: &Library,
    path: &Path,
) -> Result<ImportReport, ImportError> {
    let size = std::fs::metadata(path)
        .map_err(|e| ImportError::Read(e.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::Read(format!(
            "it is {size} bytes, more than the {MAX_FILE_BYTES} an export of this program can be; split the station's export by trainee or date"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read(e.to_string()))?;
    let document = strict_json::from_slice(&bytes)
        .map_err(|e| ImportError::Format(format!("not readable JSON: {e}")))?;
    let signed = document.get("signature").is_some();
    let payload = if signed {
        match signing::verify(path, None) {
            // Whose key signed it does not matter: the replay decides what counts.
            Ok(
                Verdict::Valid { .. } | Verdict::NoTrustedKey { .. } | Verdict::UntrustedKey { .. },
            ) => &document["payload"],
            Ok(Verdict::Altered(changes)) => return Err(ImportError::Altered(changes.join("; "))),
            Ok(Verdict::SignatureMismatch(reason) | Verdict::Rejected(reason)) => {
                return Err(ImportError::Altered(reason));
            }
            Err(error) => return Err(ImportError::Format(error.to_string())),
        }
    } else {
        &document
    };
    let records = read_export(payload)?;
    let mut verified = Vec::with_capacity(records.len());
    for (attempt, claim) in records {
        match replay_check::check(store, library, &attempt, &claim) {
            Ok(Verified {
                result,
                steps,
                scenario,
            }) => verified.push(Imported {
                attempt: Attempt { steps, ..attempt },
                result,
                scenario,
            }),
            Err(reason) => {
                return Err(ImportError::NotCounted {
                    attempt: attempt.id,
                    trainee: attempt.trainee,
                    scenario: attempt.scenario,
                    reason,
                });
            }
        }
    }
    let (added, already) = store.import_attempts(&verified)?;
    Ok(ImportReport {
        added,
        already,
        signed,
    })
}

/// The attempts of an export document with their claimed results.
fn read_export(document: &Value) -> Result<Vec<(Attempt, Claim)>, ImportError> {
    if document["format"] != "mentorsim-records" {
        return Err(ImportError::Format(
            "it is not a mentorsim JSON export (`format` is not \"mentorsim-records\"): export it with `mentorsim export --format json`".to_owned(),
        ));
    }
    if document["format_version"] != 1 {
        return Err(ImportError::Format(format!(
            "it is export format version {}, which this build does not read (it reads version 1)",
            document["format_version"]
        )));
    }
    let records = document["records"]
        .as_array()
        .ok_or_else(|| ImportError::Format("it has no `records` list".to_owned()))?;
    records
        .iter()
        .enumerate()
        .map(|(i, record)| {
            read_record(record).map_err(|reason| {
                ImportError::Format(format!("record {} cannot be read: {reason}", i + 1))
            })
        })
        .collect()
}

/// One export record as an attempt and its claim; a field missing or of the wrong kind is
/// named.
fn read_record(record: &Value) -> Result<(Attempt, Claim), String> {
    let text = |value: &Value, field: &str| -> Result<String, String> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("`{field}` is not text"))
    };
    let optional_text = |value: &Value, field: &str| -> Result<Option<String>, String> {
        match value {
            Value::Null => Ok(None),
            _ => text(value, field).map(Some),
        }
    };
    let whole = |value: &Value, field: &str| -> Result<u32, String> {
        value
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| format!("`{field}` is not a whole number"))
    };
    let number = |value: &Value, field: &str| -> Result<f64, String> {
        value
            .as_f64()
            .filter(|n| n.is_finite())
            .ok_or_else(|| format!("`{field}` is not a number"))
    };
    let id = text(&record["attempt"], "attempt")?;
    uuid::Uuid::parse_str(&id).map_err(|_| format!("`attempt` {id:?} is not a UUID"))?;
    let trainee = text(&record["trainee"]["id"], "trainee.id")?;
    crate::store::check_trainee_id(&trainee).map_err(|e| e.to_string())?;
    let scenario = &record["scenario"];
    let rubric = &record["rubric"];
    let mode = match text(&record["mode"], "mode")?.as_str() {
        "practice" => Mode::Practice,
        "assessment" => Mode::Assessment,
        other => {
            return Err(format!(
                "`mode` {other:?} is neither practice nor assessment"
            ));
        }
    };
    let seed = text(&record["seed"], "seed")?
        .parse::<u64>()
        .map_err(|_| "`seed` is not a whole number".to_owned())?;
    let kind = match optional_text(&scenario["kind"], "scenario.kind")? {
        None => None,
        Some(slug) => Some(
            ScenarioKind::from_slug(&slug)
                .ok_or_else(|| format!("`scenario.kind` {slug:?} is not a kind of scenario"))?,
        ),
    };
    let contacts: BTreeMap<String, String> = match &scenario["contacts"] {
        Value::Null => BTreeMap::new(),
        value => serde_json::from_value(value.clone())
            .map_err(|_| "`scenario.contacts` is not a map of texts".to_owned())?,
    };
    let choices = record["choices"]
        .as_array()
        .ok_or_else(|| "`choices` is not a list".to_owned())?;
    let mut numbers = Vec::with_capacity(choices.len());
    let mut steps = Vec::with_capacity(choices.len());
    for step in choices {
        numbers.push(
            step["seq"]
                .as_u64()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| "a step's `seq` is not a whole number".to_owned())?,
        );
        steps.push(Step {
            node: text(&step["node"], "choices.node")?,
            action: match optional_text(&step["choice"], "choices.choice")? {
                Some(choice) => Action::Choose(choice),
                None => Action::Continue,
            },
            millis: step["millis"]
                .as_u64()
                .ok_or_else(|| "a step's `millis` is not a whole number".to_owned())?,
            at: text(&step["at"], "choices.at")?,
        });
    }
    replay_check::check_sequence(numbers).map_err(|e| e.to_string())?;
    let ended = optional_text(&record["ended"], "ended")?
        .ok_or_else(|| "`ended` is missing: only finished attempts are exported".to_owned())?;
    let attempt = Attempt {
        id,
        trainee,
        trainee_name: text(&record["trainee"]["name"], "trainee.name")?,
        scenario: text(&scenario["id"], "scenario.id")?,
        scenario_version: whole(&scenario["version"], "scenario.version")?,
        scenario_sha256: text(&scenario["sha256"], "scenario.sha256")?,
        topic: optional_text(&scenario["topic"], "scenario.topic")?,
        kind,
        rubric: text(&rubric["id"], "rubric.id")?,
        rubric_version: whole(&rubric["version"], "rubric.version")?,
        rubric_sha256: optional_text(&rubric["sha256"], "rubric.sha256")?,
        mode,
        seed,
        started: text(&record["started"], "started")?,
        ended: Some(ended),
        passed: None,
        overall: None,
        reflection: optional_text(&record["reflection"], "reflection")?,
        contacts,
        steps,
    };
    let scores = record["scores"]
        .as_object()
        .ok_or_else(|| "`scores` is not a map".to_owned())?
        .iter()
        .map(|(id, score)| Ok((id.clone(), number(score, "scores")?)))
        .collect::<Result<BTreeMap<_, _>, String>>()?;
    let critical = record["critical_errors"]
        .as_array()
        .ok_or_else(|| "`critical_errors` is not a list".to_owned())?
        .iter()
        .map(|c| {
            Ok((
                text(&c["node"], "critical_errors.node")?,
                text(&c["choice"], "critical_errors.choice")?,
            ))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let claim = Claim {
        passed: record["passed"]
            .as_bool()
            .ok_or_else(|| "`passed` is not true or false".to_owned())?,
        overall: number(&record["overall"], "overall")?,
        scores,
        critical,
        ending: Some(text(&record["ending"]["id"], "ending.id")?),
    };
    Ok((attempt, claim))
}
