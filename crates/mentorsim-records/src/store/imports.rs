//! Attempts made on other stations, written in one transaction per file once each has been
//! replayed ([`crate::import`]): all of a file or none of it.

use std::sync::Arc;

use rusqlite::{OptionalExtension, params};

use mentorsim_script::engine::{Action, AttemptResult};
use mentorsim_script::scenario::Scenario;

use super::attempts::{keep_result_rows, keep_sources};
use super::{Attempt, Store, StoreError};

/// An attempt from elsewhere whose replay earned what it claimed.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The attempt as the station recorded it.
    pub attempt: Attempt,
    /// Its result as the replay derived it.
    pub result: AttemptResult,
    /// The scenario it was replayed on; its texts are kept so `rescore` works here too.
    pub scenario: Arc<Scenario>,
}

impl Store {
    /// Adds the attempts the records lack and returns (added, already held). An attempt id
    /// the records hold for another trainee, scenario text or seed refuses all of them.
    pub fn import_attempts(&self, attempts: &[Imported]) -> Result<(usize, usize), StoreError> {
        self.writing(|| {
            let tx = self.conn.unchecked_transaction()?;
            let (mut added, mut already) = (0, 0);
            for Imported {
                attempt,
                result,
                scenario,
            } in attempts
            {
                let held: Option<(String, String, String)> = tx
                    .query_row(
                        "SELECT trainee, scenario_sha256, seed FROM attempts WHERE id = ?1",
                        [&attempt.id],
                        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                    )
                    .optional()?;
                if let Some(held) = held {
                    if held
                        != (
                            attempt.trainee.clone(),
                            attempt.scenario_sha256.clone(),
                            attempt.seed.to_string(),
                        )
                    {
                        return Err(StoreError::Invalid(format!(
                            "attempt {} is already in the records as another attempt (trainee {}); the file is not imported",
                            attempt.id, held.0
                        )));
                    }
                    already += 1;
                    continue;
                }
                insert(&tx, attempt, result, scenario)?;
                added += 1;
            }
            tx.commit()?;
            Ok((added, already))
        })
    }
}

fn insert(
    tx: &rusqlite::Transaction<'_>,
    attempt: &Attempt,
    result: &AttemptResult,
    scenario: &Scenario,
) -> Result<(), StoreError> {
    // A trainee first seen here gets the name the station knew; one the records know keeps
    // the name the coordinator gave.
    tx.execute(
        "INSERT INTO trainees (id, name, created) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![attempt.trainee, attempt.trainee_name, attempt.started],
    )?;
    keep_sources(tx, scenario)?;
    let json = serde_json::to_string(result).map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO attempts (id, trainee, scenario, scenario_version, scenario_sha256,
         rubric, rubric_version, mode, seed, started, rubric_sha256, topic, kind, contacts,
         ended, passed, overall, result, reflection)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19)",
        params![
            attempt.id,
            attempt.trainee,
            attempt.scenario,
            attempt.scenario_version,
            attempt.scenario_sha256,
            attempt.rubric,
            attempt.rubric_version,
            attempt.mode.as_str(),
            attempt.seed.to_string(),
            attempt.started,
            scenario.rubric.sha256,
            scenario.topic,
            scenario.kind.slug(),
            (!attempt.contacts.is_empty()).then(|| serde_json::json!(attempt.contacts).to_string()),
            attempt.ended,
            result.passed,
            result.overall,
            json,
            attempt.reflection,
        ],
    )?;
    let mut step = tx.prepare_cached(
        "INSERT INTO steps (attempt, seq, node, choice, millis, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, recorded) in attempt.steps.iter().enumerate() {
        let choice = match &recorded.action {
            Action::Choose(id) => Some(id.as_str()),
            Action::Continue => None,
        };
        step.execute(params![
            attempt.id,
            seq as i64,
            recorded.node,
            choice,
            i64::try_from(recorded.millis).unwrap_or(i64::MAX),
            recorded.at
        ])?;
    }
    keep_result_rows(tx, &attempt.id, result)?;
    Ok(())
}
