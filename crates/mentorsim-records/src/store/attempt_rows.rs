//! Attempt rows read back one attempt at a time. A value this build cannot read (a wrong type,
//! an unknown mode, a seed that is not a number) damages that attempt only and is named with
//! its column, so an export can leave it out, say why, and still export the others.

use std::collections::BTreeMap;

use mentorsim_script::engine::Action;
use mentorsim_script::model::ScenarioKind;

use super::{Attempt, Step, Store, StoreError};

impl Store {
    /// Attempts matching `filter`; the first one that cannot be read is an error.
    pub(super) fn query_attempts(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Attempt>, StoreError> {
        self.query_attempts_each(filter, args)?
            .into_iter()
            .collect()
    }

    /// Attempts matching `filter`, each one read or found damaged on its own: a value of the
    /// wrong type, an unknown mode, a seed that is not a number, a damaged step.
    pub(super) fn query_attempts_each(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Result<Attempt, StoreError>>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.trainee, t.name, a.scenario, a.scenario_version, a.scenario_sha256,
                    a.topic, a.kind, a.rubric, a.rubric_version, a.rubric_sha256, a.mode, a.seed,
                    a.started, a.ended, a.passed, a.overall, a.reflection, a.contacts
             FROM attempts a JOIN trainees t ON t.id = a.trainee
             {filter} ORDER BY a.started, a.rowid"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(args)?;
        let mut attempts = Vec::new();
        while let Some(row) = rows.next()? {
            let id = match row.get_ref(0)? {
                rusqlite::types::ValueRef::Text(text) => String::from_utf8_lossy(text).into_owned(),
                other => format!("{other:?}"),
            };
            let read = read_attempt(row).or_else(|error| damaged(&id, &ATTEMPT_COLUMNS, error));
            let read = match read? {
                Ok(mut attempt) => match self.steps(&attempt.id) {
                    Ok(steps) => {
                        attempt.steps = steps;
                        Ok(attempt)
                    }
                    Err(StoreError::Sql(error)) => {
                        damaged(&id, &STEP_COLUMNS, error)?.map(|()| attempt)
                    }
                    Err(error) => Err(error),
                },
                Err(damage) => Err(damage),
            };
            attempts.push(read);
        }
        Ok(attempts)
    }

    fn steps(&self, attempt: &str) -> Result<Vec<Step>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT node, choice, millis, at FROM steps WHERE attempt = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([attempt], |row| {
            let choice: Option<String> = row.get(1)?;
            Ok(Step {
                node: row.get(0)?,
                action: choice.map_or(Action::Continue, Action::Choose),
                millis: row.get::<_, i64>(2)?.max(0) as u64,
                at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// The columns [`Store::query_attempts_each`] reads, by position, to name a damaged one.
const ATTEMPT_COLUMNS: [&str; 19] = [
    "id",
    "trainee",
    "trainee name",
    "scenario",
    "scenario_version",
    "scenario_sha256",
    "topic",
    "kind",
    "rubric",
    "rubric_version",
    "rubric_sha256",
    "mode",
    "seed",
    "started",
    "ended",
    "passed",
    "overall",
    "reflection",
    "contacts",
];

/// One attempt row; `Ok(Err(..))` when a value in it is damaged.
fn read_attempt(row: &rusqlite::Row) -> rusqlite::Result<Result<Attempt, StoreError>> {
    let id: String = row.get(0)?;
    let mode: String = row.get(11)?;
    let seed: String = row.get(12)?;
    let mode = match mode.parse() {
        Ok(mode) => mode,
        Err(reason) => {
            return Ok(Err(StoreError::Damaged {
                attempt: id,
                field: "mode",
                reason,
            }));
        }
    };
    let contacts: BTreeMap<String, String> = match row.get::<_, Option<String>>(18)? {
        None => BTreeMap::new(),
        Some(json) => match serde_json::from_str(&json) {
            Ok(contacts) => contacts,
            Err(error) => {
                return Ok(Err(StoreError::Damaged {
                    attempt: id,
                    field: "contacts",
                    reason: format!("not a JSON object of texts: {error}"),
                }));
            }
        },
    };
    let Ok(seed) = seed.parse() else {
        return Ok(Err(StoreError::Damaged {
            attempt: id,
            field: "seed",
            reason: format!("`{seed}` is not a number"),
        }));
    };
    Ok(Ok(Attempt {
        id,
        trainee: row.get(1)?,
        trainee_name: row.get(2)?,
        scenario: row.get(3)?,
        scenario_version: row.get(4)?,
        scenario_sha256: row.get(5)?,
        topic: row.get(6)?,
        kind: row
            .get::<_, Option<String>>(7)?
            .and_then(|k| ScenarioKind::from_slug(&k)),
        rubric: row.get(8)?,
        rubric_version: row.get(9)?,
        rubric_sha256: row.get(10)?,
        mode,
        seed,
        started: row.get(13)?,
        ended: row.get(14)?,
        passed: row.get(15)?,
        overall: row.get(16)?,
        reflection: row.get(17)?,
        contacts,
        steps: Vec::new(),
    }))
}

/// The columns of a step, by position.
const STEP_COLUMNS: [&str; 4] = ["step node", "step choice", "step millis", "step time"];

/// A value that does not convert is that attempt's damage; any other error stops the read.
fn damaged<T>(
    attempt: &str,
    columns: &[&'static str],
    error: rusqlite::Error,
) -> Result<Result<T, StoreError>, StoreError> {
    use rusqlite::Error as E;
    let (field, reason) = match &error {
        E::FromSqlConversionFailure(column, ..)
        | E::IntegralValueOutOfRange(column, _)
        | E::Utf8Error(column, _)
        | E::InvalidColumnType(column, ..) => (
            columns.get(*column).copied().unwrap_or("value"),
            error.to_string(),
        ),
        _ => return Err(StoreError::Sql(error)),
    };
    Ok(Err(StoreError::Damaged {
        attempt: attempt.to_owned(),
        field,
        reason,
    }))
}
