//! An attempt as it happens and as it is read back. It is opened before the first line is
//! shown, each action is committed on its own as it is taken, and the result closes it; so
//! whatever stops the program, the records hold everything the trainee did.

use rusqlite::{OptionalExtension, params};

use mentorsim_script::engine::{Action, AttemptResult, Mode};
use mentorsim_script::scenario::Scenario;

use super::{Attempt, Store, StoreError, now};

impl Store {
    /// Opens an attempt and returns its id. Written before the first line is shown, together
    /// with the scenario and rubric texts (once per distinct text) so it can be re-scored later.
    pub fn begin_attempt(
        &self,
        trainee: &str,
        scenario: &Scenario,
        seed: u64,
        mode: Mode,
    ) -> Result<String, StoreError> {
        self.writing(|| {
            self.trainee(trainee)?;
            let id = uuid::Uuid::new_v4().to_string();
            let tx = self.conn.unchecked_transaction()?;
            keep_sources(&tx, scenario)?;
            tx.execute(
                "INSERT INTO attempts (id, trainee, scenario, scenario_version, scenario_sha256,
                 rubric, rubric_version, mode, seed, started, rubric_sha256, topic, kind,
                 contacts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    id,
                    trainee,
                    scenario.id,
                    scenario.version,
                    scenario.sha256,
                    scenario.rubric.id,
                    scenario.rubric.version,
                    mode.as_str(),
                    seed.to_string(),
                    now(),
                    scenario.rubric.sha256,
                    scenario.topic,
                    scenario.kind.slug(),
                    (!scenario.contacts.is_empty())
                        .then(|| serde_json::json!(scenario.contacts).to_string()),
                ],
            )?;
            tx.commit()?;
            Ok(id)
        })
    }

    /// The text stored under a SHA-256, with the file name it was loaded from.
    pub fn source(&self, sha256: &str) -> Result<Option<(String, String)>, StoreError> {
        self.reading(|| {
            Ok(self
                .conn
                .query_row(
                    "SELECT file, text FROM sources WHERE sha256 = ?1",
                    [sha256],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?)
        })
    }

    /// Commits one action. `seq` is its 0-based position, so a repeated write is refused
    /// instead of recorded twice.
    pub fn record_step(
        &self,
        attempt: &str,
        seq: usize,
        node: &str,
        action: &Action,
        millis: u64,
    ) -> Result<(), StoreError> {
        self.writing(|| {
            let choice = match action {
                Action::Choose(id) => Some(id.as_str()),
                Action::Continue => None,
            };
            self.conn.execute(
                "INSERT INTO steps (attempt, seq, node, choice, millis, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![attempt, seq as i64, node, choice, millis as i64, now()],
            )?;
            Ok(())
        })
    }

    /// Closes an attempt with its result: the whole result document, and its scores and
    /// critical errors as rows for readiness.
    pub fn finish_attempt(&self, attempt: &str, result: &AttemptResult) -> Result<(), StoreError> {
        self.writing(|| {
            if let Some(rehearsal) = &result.rehearsal {
                return Err(StoreError::Invalid(format!(
                    "a rehearsal from `{}` is not an attempt and cannot be recorded",
                    rehearsal.node
                )));
            }
            let json =
                serde_json::to_string(result).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let tx = self.conn.unchecked_transaction()?;
            let changed = tx.execute(
                "UPDATE attempts SET ended = ?2, passed = ?3, overall = ?4, result = ?5
             WHERE id = ?1 AND ended IS NULL",
                params![attempt, now(), result.passed, result.overall, json],
            )?;
            if changed == 0 {
                drop(tx);
                // Finished already (a repeated call) is fine; an unknown id is not.
                return self.attempt(attempt).map(drop);
            }
            keep_result_rows(&tx, attempt, result)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Keeps the trainee's reflection with the attempt (replacing an earlier one).
    pub fn save_reflection(&self, attempt: &str, text: &str) -> Result<(), StoreError> {
        self.writing(|| {
            let changed = self.conn.execute(
                "UPDATE attempts SET reflection = ?2 WHERE id = ?1",
                params![attempt, text],
            )?;
            if changed == 0 {
                return Err(StoreError::Unknown {
                    kind: "attempt",
                    id: attempt.to_owned(),
                });
            }
            Ok(())
        })
    }

    /// One attempt with its steps.
    pub fn attempt(&self, id: &str) -> Result<Attempt, StoreError> {
        self.reading(|| {
            let mut attempts = self.query_attempts("WHERE a.id = ?1", [id])?;
            attempts.pop().ok_or_else(|| StoreError::Unknown {
                kind: "attempt",
                id: id.to_owned(),
            })
        })
    }

    /// A trainee's attempts, oldest first.
    pub fn attempts_of(&self, trainee: &str) -> Result<Vec<Attempt>, StoreError> {
        self.reading(|| self.query_attempts("WHERE a.trainee = ?1", [trainee]))
    }

    /// A trainee's attempts that have not reached an ending, newest first.
    pub fn open_attempts(&self, trainee: &str) -> Result<Vec<Attempt>, StoreError> {
        self.reading(|| {
            let mut open =
                self.query_attempts("WHERE a.trainee = ?1 AND a.ended IS NULL", [trainee])?;
            open.reverse();
            Ok(open)
        })
    }

    /// The stored result of a finished attempt, exactly as it was written.
    pub fn result_json(&self, attempt: &str) -> Result<Option<String>, StoreError> {
        self.reading(|| {
            Ok(self
                .conn
                .query_row(
                    "SELECT result FROM attempts WHERE id = ?1",
                    [attempt],
                    |row| row.get(0),
                )
                .optional()?
                .flatten())
        })
    }

    /// Finished attempts, oldest first, of one trainee or all, ended on or after `since`
    /// (an RFC 3339 time or date).
    pub fn finished_attempts(
        &self,
        trainee: Option<&str>,
        since: Option<&str>,
    ) -> Result<Vec<Attempt>, StoreError> {
        self.reading(|| {
            let (attempts, damaged) = self.finished_attempts_readable(trainee, since)?;
            match damaged.into_iter().next() {
                None => Ok(attempts),
                Some(first) => Err(first),
            }
        })
    }

    /// Like [`Store::finished_attempts`], but an attempt whose stored values this build cannot
    /// read does not hide the others: the readable ones, and a [`StoreError::Damaged`] naming
    /// each damaged one.
    pub fn finished_attempts_readable(
        &self,
        trainee: Option<&str>,
        since: Option<&str>,
    ) -> Result<(Vec<Attempt>, Vec<StoreError>), StoreError> {
        self.reading(|| {
            let rows = self.query_attempts_each(
                "WHERE a.ended IS NOT NULL AND (?1 IS NULL OR a.trainee = ?1)
                       AND (?2 IS NULL OR a.ended >= ?2)",
                params![trainee, since],
            )?;
            let mut damaged = Vec::new();
            let attempts = rows
                .into_iter()
                .filter_map(|row| row.map_err(|error| damaged.push(error)).ok())
                .collect();
            Ok((attempts, damaged))
        })
    }

    /// The stored result of a finished attempt.
    pub fn result(&self, attempt: &str) -> Result<Option<AttemptResult>, StoreError> {
        self.reading(|| {
            self.result_json(attempt)?
                .map(|json| {
                    serde_json::from_str(&json).map_err(|e| StoreError::Damaged {
                        attempt: attempt.to_owned(),
                        field: "result",
                        reason: e.to_string(),
                    })
                })
                .transpose()
        })
    }
}

/// Keeps the exact scenario and rubric texts an attempt is played on (once per distinct
/// text), so it can be re-scored after the files change.
pub(super) fn keep_sources(
    tx: &rusqlite::Transaction<'_>,
    scenario: &Scenario,
) -> rusqlite::Result<()> {
    let mut keep_source = tx.prepare_cached(
        "INSERT INTO sources (sha256, file, text) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    keep_source.execute(params![scenario.sha256, scenario.file, &*scenario.source])?;
    keep_source.execute(params![
        scenario.rubric.sha256,
        scenario.rubric.file,
        &*scenario.rubric.source
    ])?;
    Ok(())
}

/// A finished attempt's scores and critical errors as rows, for readiness.
pub(super) fn keep_result_rows(
    tx: &rusqlite::Transaction<'_>,
    attempt: &str,
    result: &AttemptResult,
) -> rusqlite::Result<()> {
    let mut score = tx.prepare_cached(
        "INSERT INTO attempt_scores (attempt, competency, score) VALUES (?1, ?2, ?3)",
    )?;
    for (competency, value) in &result.scores {
        score.execute(params![attempt, competency, value])?;
    }
    let mut critical = tx.prepare_cached(
        "INSERT INTO critical_errors (attempt, seq, node, choice, text, explanation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, flagged) in result.critical.iter().enumerate() {
        critical.execute(params![
            attempt,
            seq as i64,
            flagged.node,
            flagged.choice,
            flagged.text,
            flagged.explanation
        ])?;
    }
    Ok(())
}
