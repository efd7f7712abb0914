//! Completion records: trainees, and every attempt written as it happens.
//!
//! A program decides readiness on these records, so each action is its own committed
//! transaction (SQLite in WAL mode with `synchronous=FULL`): a crash or `kill -9` loses nothing
//! the trainee already did, and [`Store::open_attempts`] gives back what is needed to resume.
//! An attempt stores the seed and the actions, which replay to the same result; the result is
//! stored too, as JSON, so that reports never depend on the scenario still being around.

use std::cell::Cell;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use mentorsim_script::engine::{Action, AttemptResult, Mode, SessionState};
use mentorsim_script::model::{ScenarioKind, Topic};
use mentorsim_script::scenario::Scenario;

mod ids;
mod open;
mod schema;

pub use ids::check_trainee_id;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "mentorsim.sqlite3";

/// A fresh trainee id for a profile made without a program id: short enough to read out.
pub fn new_trainee_id() -> String {
    let uuid = uuid::Uuid::new_v4().simple().to_string();
    format!("t-{}", &uuid[..8])
}

/// What can go wrong with the records.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder could not be created.
    #[error("cannot create the data folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database could not be opened or set up.
    #[error("cannot open the records database {path}: {source}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// A file from a newer mentorsim: it is left untouched.
    #[error(
        "the records database {path} was written by a newer mentorsim (schema {found}; this build knows {known}): upgrade mentorsim or use another --data-dir"
    )]
    NewerSchema {
        /// The database file.
        path: PathBuf,
        /// Its schema version.
        found: i32,
        /// Ours.
        known: i32,
    },
    /// A query failed.
    #[error("records database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A column held a value of the wrong type.
    #[error("records database holds an unexpected value: {0}")]
    Value(#[from] rusqlite::types::FromSqlError),
    /// An id that is not in the records.
    #[error("no {kind} with id `{id}` in the records")]
    Unknown {
        /// "trainee" or "attempt".
        kind: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A stored value this build cannot read back.
    #[error("attempt {attempt} has a damaged {field}: {reason}")]
    Damaged {
        /// Attempt id.
        attempt: String,
        /// Column.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Bad input from the user.
    #[error("{0}")]
    Invalid(String),
    /// SQLite found the file damaged: nothing more is written to it.
    #[error(
        "the records database {path} is damaged ({detail}), so mentorsim does not write to it. To recover, restore it from a backup; or keep the damaged file aside and rescue what is readable with `sqlite3 {path} .recover | sqlite3 recovered.sqlite3`, then put recovered.sqlite3 in its place"
    )]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// A 0-byte database: something emptied it; starting afresh would hide that.
    #[error(
        "the records database {path} is empty (0 bytes) where records are expected; restore it from a backup, or delete it if you really mean to start new records"
    )]
    EmptyFile {
        /// The database file.
        path: PathBuf,
    },
    /// A write to records opened for reading.
    #[error("the records in {path} were opened only for reading; this command cannot change them")]
    ReadOnly {
        /// The database file.
        path: PathBuf,
    },
    /// Recording needs write access the file or folder does not give.
    #[error(
        "cannot write the records database {path} ({detail}): recording attempts needs write access to it and its folder; readiness, export, rescore and analytics only read and work without it"
    )]
    NotWritable {
        /// The database file.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// Committed changes still in the WAL file, in a folder this process cannot write.
    #[error(
        "the records database {path} has changes in {wal} that SQLite can only read with write access to the folder (for its WAL index); run the command as a user who can write there, or copy the folder and pass the copy as --data-dir"
    )]
    UnreadableWal {
        /// The database file.
        path: PathBuf,
        /// Its WAL file.
        wal: PathBuf,
    },
}

/// A trainee profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trainee {
    /// Stable id chosen by the program (e.g. a staff or student number), or generated.
    pub id: String,
    /// Name shown in the app and in reports.
    pub name: String,
}

/// One action of an attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Node the trainee was at.
    pub node: String,
    /// What they did.
    pub action: Action,
    /// Milliseconds from the line being shown to the action.
    pub millis: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// An attempt as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// UUID.
    pub id: String,
    /// Trainee id.
    pub trainee: String,
    /// Trainee display name (as it is now).
    pub trainee_name: String,
    /// Scenario id.
    pub scenario: String,
    /// Scenario version played.
    pub scenario_version: u32,
    /// SHA-256 of the scenario source played.
    pub scenario_sha256: String,
    /// Module of the scenario played (unknown for attempts recorded before schema 2).
    pub topic: Option<Topic>,
    /// Practice scenario or the module's assessment (unknown before schema 2).
    pub kind: Option<ScenarioKind>,
    /// Rubric id.
    pub rubric: String,
    /// Rubric version.
    pub rubric_version: u32,
    /// SHA-256 of the rubric source (unknown before schema 2).
    pub rubric_sha256: Option<String>,
    /// Practice or assessment.
    pub mode: Mode,
    /// Seed of the attempt's randomness.
    pub seed: u64,
    /// Start (RFC 3339, UTC).
    pub started: String,
    /// End, once the conversation reached an ending.
    pub ended: Option<String>,
    /// Whether it passed, once ended.
    pub passed: Option<bool>,
    /// Overall score 0..1, once ended.
    pub overall: Option<f64>,
    /// The trainee's reflection, if they wrote one.
    pub reflection: Option<String>,
    /// Every action, in order.
    pub steps: Vec<Step>,
}

impl Attempt {
    /// What [`mentorsim_script::engine::Session::resume`] needs to continue or replay this attempt.
    pub fn session_state(&self) -> SessionState {
        SessionState {
            scenario: self.scenario.clone(),
            version: self.scenario_version,
            seed: self.seed,
            mode: self.mode,
            actions: self.steps.iter().map(|s| s.action.clone()).collect(),
            // Rehearsals are never recorded.
            rehearsal: None,
        }
    }
}

/// Where a trainee stands on one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No attempt yet.
    NotStarted,
    /// The latest attempt has not reached an ending.
    InProgress,
    /// At least one finished attempt passed.
    Passed,
    /// Attempts finished, none passed.
    NeedsAnotherTry,
}

/// A trainee's standing on one scenario, for the library screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// See [`Status`].
    pub status: Status,
    /// Best overall score of the finished attempts.
    pub best: Option<f64>,
    /// Finished attempts.
    pub finished: u32,
    /// The unfinished attempt to resume, if any.
    pub open_attempt: Option<String>,
}

/// A finished attempt in brief: what readiness needs, without steps or the result document.
/// Values that repeat across a program's history (trainee, scenario, competency ids, what was
/// said in a critical error) are shared rather than copied per attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptSummary {
    /// Attempt id.
    pub id: String,
    /// Trainee id.
    pub trainee: Arc<str>,
    /// Scenario id.
    pub scenario: Arc<str>,
    /// Module, when recorded (schema 2 on).
    pub topic: Option<Topic>,
    /// Scenario kind, when recorded (schema 2 on).
    pub kind: Option<ScenarioKind>,
    /// Practice or assessment.
    pub mode: Mode,
    /// When it ended (RFC 3339, UTC).
    pub ended: String,
    /// Whether it met the scenario's pass rule.
    pub passed: bool,
    /// Overall score 0..1.
    pub overall: f64,
    /// Score per assessed competency.
    pub scores: Vec<(Arc<str>, f64)>,
    /// What the trainee said in each critical error, in order.
    pub critical: Vec<Arc<str>>,
}

/// How often one critical error was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriticalCount {
    /// Node id.
    pub node: String,
    /// Choice id.
    pub choice: String,
    /// What was said.
    pub text: String,
    /// Times made.
    pub count: u64,
}

/// Which finished attempts [`Store::summaries`] reads.
#[derive(Debug, Clone, Copy)]
pub enum Which<'a> {
    /// All of them: a program's whole history.
    All,
    /// One trainee's.
    Trainee(&'a str),
    /// Those a readiness policy can count.
    Relevant(&'a Relevant),
}

/// The attempts a readiness policy can count: at these scenarios, or at an assessment scenario
/// of these modules. Reading only these keeps a large program's readiness report fast.
#[derive(Debug, Clone, Default)]
pub struct Relevant {
    /// Scenario ids.
    pub scenarios: Vec<String>,
    /// Modules whose assessment scenarios count.
    pub modules: Vec<Topic>,
}

/// The records database.
pub struct Store {
    conn: Connection,
    /// The database file, for messages.
    path: PathBuf,
    /// Opened with SQLite's read-only flag (or an in-memory copy standing in for such a file).
    read_only: bool,
    /// Set once SQLite has said the file is damaged: from then on nothing is written to it.
    damaged: Cell<bool>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Store {
    /// Runs a read; an answer that the file is damaged marks the store so nothing more is
    /// written to it, and comes back as [`StoreError::Corrupt`] with how to recover.
    fn reading<T>(&self, read: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
        read().map_err(|error| match error {
            StoreError::Sql(source) if open::is_damage(&source) => {
                self.damaged.set(true);
                StoreError::Corrupt {
                    path: self.path.clone(),
                    detail: source.to_string(),
                }
            }
            other => other,
        })
    }

    /// Runs a write, unless the store is read-only or known to be damaged.
    fn writing<T>(&self, write: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        if self.damaged.get() {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: "SQLite reported damage earlier in this session".to_owned(),
            });
        }
        self.reading(write)
    }

    /// Adds a trainee, or renames one that exists. The id is taken exactly as given (see
    /// [`check_trainee_id`]); the display name is trimmed.
    pub fn save_trainee(&self, id: &str, name: &str) -> Result<Trainee, StoreError> {
        self.writing(|| {
            check_trainee_id(id)?;
            let name = name.trim();
            if name.is_empty() {
                return Err(StoreError::Invalid(
                    "a trainee needs a display name".to_owned(),
                ));
            }
            self.conn.execute(
                "INSERT INTO trainees (id, name, created) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name",
                params![id, name, now()],
            )?;
            Ok(Trainee {
                id: id.to_owned(),
                name: name.to_owned(),
            })
        })
    }

    /// Every trainee, by name.
    pub fn trainees(&self) -> Result<Vec<Trainee>, StoreError> {
        self.reading(|| {
            let mut stmt = self
                .conn
                .prepare("SELECT id, name FROM trainees ORDER BY name COLLATE NOCASE, id")?;
            let rows = stmt.query_map([], |row| {
                Ok(Trainee {
                    id: row.get(0)?,
                    name: row.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// One trainee.
    pub fn trainee(&self, id: &str) -> Result<Trainee, StoreError> {
        self.reading(|| {
            self.conn
                .query_row("SELECT id, name FROM trainees WHERE id = ?1", [id], |row| {
                    Ok(Trainee {
                        id: row.get(0)?,
                        name: row.get(1)?,
                    })
                })
                .optional()?
                .ok_or_else(|| StoreError::Unknown {
                    kind: "trainee",
                    id: id.to_owned(),
                })
        })
    }

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
            let mut keep_source = tx.prepare_cached(
            "INSERT INTO sources (sha256, file, text) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?;
            keep_source.execute(params![scenario.sha256, scenario.file, &*scenario.source])?;
            keep_source.execute(params![
                scenario.rubric.sha256,
                scenario.rubric.file,
                &*scenario.rubric.source
            ])?;
            drop(keep_source);
            tx.execute(
                "INSERT INTO attempts (id, trainee, scenario, scenario_version, scenario_sha256,
                 rubric, rubric_version, mode, seed, started, rubric_sha256, topic, kind)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
                    scenario.topic.slug(),
                    scenario.kind.slug(),
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
            {
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
            }
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

    /// Where a trainee stands on every scenario they have touched, by scenario id.
    pub fn progress(&self, trainee: &str) -> Result<BTreeMap<String, Progress>, StoreError> {
        self.reading(|| {
            let mut progress: BTreeMap<String, Progress> = BTreeMap::new();
            for attempt in self.attempts_of(trainee)? {
                let entry = progress
                    .entry(attempt.scenario.clone())
                    .or_insert(Progress {
                        status: Status::NotStarted,
                        best: None,
                        finished: 0,
                        open_attempt: None,
                    });
                match attempt.passed {
                    None => entry.open_attempt = Some(attempt.id.clone()),
                    Some(passed) => {
                        entry.open_attempt = None;
                        entry.finished += 1;
                        if let Some(overall) = attempt.overall {
                            entry.best = Some(entry.best.map_or(overall, |best| best.max(overall)));
                        }
                        if passed {
                            entry.status = Status::Passed;
                        }
                    }
                }
                if entry.status != Status::Passed {
                    entry.status = if entry.open_attempt.is_some() {
                        Status::InProgress
                    } else {
                        Status::NeedsAnotherTry
                    };
                }
            }
            Ok(progress)
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

    /// Finished attempts in brief, in attempt-id order: what readiness is decided on. Three
    /// scans in attempt-id order (each table's own key order, so SQLite never sorts, and scores
    /// and critical errors join their attempt by a merge rather than a lookup per row), so a
    /// program's whole history reads in one go.
    pub fn summaries(&self, which: Which) -> Result<Vec<AttemptSummary>, StoreError> {
        self.reading(|| {
            let (trainee, scenarios, modules) = match which {
                Which::All => (None, None, None),
                Which::Trainee(trainee) => (Some(trainee), None, None),
                Which::Relevant(relevant) => {
                    let modules: Vec<&str> = relevant.modules.iter().map(|t| t.slug()).collect();
                    (
                        None,
                        Some(serde_json::json!(relevant.scenarios).to_string()),
                        Some(serde_json::json!(modules).to_string()),
                    )
                }
            };
            let mut shared = Interner::default();
            let mut summaries = Vec::new();
            let mut stmt = self.conn.prepare(
                "SELECT id, trainee, scenario, topic, kind, mode, ended, passed, overall
             FROM attempts INDEXED BY attempts_summary
             WHERE ended IS NOT NULL AND (
                 ?1 IS NULL AND ?2 IS NULL
                 OR trainee = ?1
                 OR scenario IN (SELECT value FROM json_each(?2))
                 OR kind = 'assessment' AND topic IN (SELECT value FROM json_each(?3)))
             ORDER BY id",
            )?;
            let mut rows = stmt.query(params![trainee, scenarios, modules])?;
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let mode =
                    row.get_ref(5)?
                        .as_str()?
                        .parse()
                        .map_err(|reason| StoreError::Damaged {
                            attempt: id.clone(),
                            field: "mode",
                            reason,
                        })?;
                summaries.push(AttemptSummary {
                    trainee: shared.get(row.get_ref(1)?.as_str()?),
                    scenario: shared.get(row.get_ref(2)?.as_str()?),
                    topic: row.get_ref(3)?.as_str_or_null()?.and_then(Topic::from_slug),
                    kind: row
                        .get_ref(4)?
                        .as_str_or_null()?
                        .and_then(ScenarioKind::from_slug),
                    mode,
                    ended: row.get(6)?,
                    passed: row.get::<_, Option<bool>>(7)?.unwrap_or(false),
                    overall: row.get::<_, Option<f64>>(8)?.unwrap_or(0.0),
                    scores: Vec::new(),
                    critical: Vec::new(),
                    id,
                });
            }

            let mut stmt = self.conn.prepare(
                "SELECT attempt, competency, score FROM attempt_scores ORDER BY attempt",
            )?;
            let mut rows = stmt.query([])?;
            let mut merge = MergeById::new(&mut summaries);
            while let Some(row) = rows.next()? {
                if let Some(summary) = merge.find(row.get_ref(0)?.as_str()?) {
                    let competency = shared.get(row.get_ref(1)?.as_str()?);
                    summary.scores.push((competency, row.get(2)?));
                }
            }

            let mut stmt = self
                .conn
                .prepare("SELECT attempt, text FROM critical_errors ORDER BY attempt, seq")?;
            let mut rows = stmt.query([])?;
            let mut merge = MergeById::new(&mut summaries);
            while let Some(row) = rows.next()? {
                if let Some(summary) = merge.find(row.get_ref(0)?.as_str()?) {
                    summary.critical.push(shared.get(row.get_ref(1)?.as_str()?));
                }
            }

            Ok(summaries)
        })
    }

    /// How often each option of a scenario was taken: `(node, choice) -> count` over every
    /// recorded attempt at it, in either mode, finished or not (a pick is a pick).
    pub fn choice_picks(
        &self,
        scenario: &str,
    ) -> Result<BTreeMap<(String, String), u64>, StoreError> {
        self.reading(|| {
            let mut stmt = self.conn.prepare(
                "SELECT s.node, s.choice, count(*) FROM attempts a JOIN steps s ON s.attempt = a.id
             WHERE a.scenario = ?1 AND s.choice IS NOT NULL GROUP BY s.node, s.choice",
            )?;
            let rows = stmt.query_map([scenario], |row| {
                Ok(((row.get(0)?, row.get(1)?), row.get::<_, i64>(2)? as u64))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// The critical errors made in a scenario, most frequent first.
    pub fn critical_counts(&self, scenario: &str) -> Result<Vec<CriticalCount>, StoreError> {
        self.reading(|| {
            let mut stmt = self.conn.prepare(
                "SELECT e.node, e.choice, e.text, count(*) AS n
             FROM attempts a JOIN critical_errors e ON e.attempt = a.id
             WHERE a.scenario = ?1 GROUP BY e.node, e.choice ORDER BY n DESC, e.node, e.choice",
            )?;
            let rows = stmt.query_map([scenario], |row| {
                Ok(CriticalCount {
                    node: row.get(0)?,
                    choice: row.get(1)?,
                    text: row.get(2)?,
                    count: row.get::<_, i64>(3)? as u64,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Attempts recorded at a scenario, and how many of them finished.
    pub fn attempt_counts(&self, scenario: &str) -> Result<(u64, u64), StoreError> {
        self.reading(|| {
            Ok(self.conn.query_row(
                "SELECT count(*), count(ended) FROM attempts WHERE scenario = ?1",
                [scenario],
                |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)),
            )?)
        })
    }

    /// Notes that a Learning Record Store acknowledged an attempt's statements.
    pub fn mark_delivered(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
    ) -> Result<(), StoreError> {
        self.writing(|| {
            self.conn.execute(
            "INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(attempt, endpoint) DO UPDATE SET sent = excluded.sent,
                 statements = excluded.statements",
            params![attempt, crate::lrs::without_credentials(endpoint), now(), statements as i64],
        )?;
            Ok(())
        })
    }

    /// The attempts an endpoint has acknowledged.
    pub fn delivered(&self, endpoint: &str) -> Result<HashSet<String>, StoreError> {
        self.reading(|| {
            let mut stmt = self
                .conn
                .prepare("SELECT attempt FROM deliveries WHERE endpoint = ?1")?;
            let rows = stmt.query_map([crate::lrs::without_credentials(endpoint)], |row| {
                row.get(0)
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Attempts matching `filter`; the first one that cannot be read is an error.
    fn query_attempts(
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
    fn query_attempts_each(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Result<Attempt, StoreError>>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.trainee, t.name, a.scenario, a.scenario_version, a.scenario_sha256,
                    a.topic, a.kind, a.rubric, a.rubric_version, a.rubric_sha256, a.mode, a.seed,
                    a.started, a.ended, a.passed, a.overall, a.reflection
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
const ATTEMPT_COLUMNS: [&str; 18] = [
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
        topic: row
            .get::<_, Option<String>>(6)?
            .and_then(|t| Topic::from_slug(&t)),
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

/// Now, as RFC 3339 UTC with exactly three decimals, so that times sort as text.
fn now() -> String {
    timestamp_text(jiff::Timestamp::now())
}

/// A time as the records write it.
pub fn timestamp_text(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// One shared copy of each repeated text read in a scan.
#[derive(Default)]
struct Interner(HashSet<Arc<str>>);

impl Interner {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.0.insert(shared.clone());
        shared
    }
}

/// Walks summaries sorted by id alongside rows sorted by attempt id, so each row finds its
/// attempt by comparing ids rather than hashing them. Rows of unfinished attempts find nothing.
struct MergeById<'a> {
    summaries: &'a mut [AttemptSummary],
    at: usize,
}

impl<'a> MergeById<'a> {
    fn new(summaries: &'a mut [AttemptSummary]) -> Self {
        MergeById { summaries, at: 0 }
    }

    /// The summary of `attempt`; ids must come in ascending order.
    fn find(&mut self, attempt: &str) -> Option<&mut AttemptSummary> {
        while self.at < self.summaries.len() && self.summaries[self.at].id.as_str() < attempt {
            self.at += 1;
        }
        self.summaries
            .get_mut(self.at)
            .filter(|summary| summary.id == attempt)
    }
}
