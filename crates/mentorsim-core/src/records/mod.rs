//! Completion records: trainees, and every attempt written as it happens.
//!
//! A program decides readiness on these records, so each action is its own committed
//! transaction (SQLite in WAL mode with `synchronous=FULL`): a crash or `kill -9` loses nothing
//! the trainee already did, and [`Store::open_attempts`] gives back what is needed to resume.
//! An attempt stores the seed and the actions, which replay to the same result; the result is
//! stored too, as JSON, so that reports never depend on the scenario still being around.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::{Action, AttemptResult, Mode, SessionState};
use crate::model::{ScenarioKind, Topic};
use crate::scenario::Scenario;

mod schema;

use schema::SCHEMA_VERSION;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "mentorsim.sqlite3";

/// Hex SHA-256, used to pin an attempt to the exact scenario text it was played on.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

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
    /// What [`crate::engine::Session::resume`] needs to continue or replay this attempt.
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
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl Store {
    /// The folder used when neither `--data-dir` nor `MENTORSIM_DATA_DIR` is given.
    pub fn default_dir() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("mentorsim")
    }

    /// Opens (creating if needed) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(DATABASE_FILE);
        let conn = Connection::open(&path).map_err(|source| StoreError::Open {
            path: path.clone(),
            source,
        })?;
        Store::set_up(conn, &path)
    }

    /// A database that lives only as long as the value: for tests and previews.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        Store::set_up(conn, Path::new(":memory:"))
    }

    fn set_up(conn: Connection, path: &Path) -> Result<Store, StoreError> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(open_err)?;
        let found: i32 = conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(open_err)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        schema::migrate(&conn, found).map_err(open_err)?;
        Ok(Store { conn })
    }

    /// Adds a trainee, or renames one that exists.
    pub fn save_trainee(&self, id: &str, name: &str) -> Result<Trainee, StoreError> {
        let (id, name) = (id.trim(), name.trim());
        if name.is_empty() {
            return Err(StoreError::Invalid(
                "a trainee needs a display name".to_owned(),
            ));
        }
        if id.is_empty() || id.chars().any(char::is_control) {
            return Err(StoreError::Invalid(format!(
                "`{id}` cannot be a trainee id: use letters, digits, - or _"
            )));
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
    }

    /// Every trainee, by name.
    pub fn trainees(&self) -> Result<Vec<Trainee>, StoreError> {
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
    }

    /// One trainee.
    pub fn trainee(&self, id: &str) -> Result<Trainee, StoreError> {
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
    }

    /// The text stored under a SHA-256, with the file name it was loaded from.
    pub fn source(&self, sha256: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT file, text FROM sources WHERE sha256 = ?1",
                [sha256],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?)
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
    }

    /// Closes an attempt with its result: the whole result document, and its scores and
    /// critical errors as rows for readiness.
    pub fn finish_attempt(&self, attempt: &str, result: &AttemptResult) -> Result<(), StoreError> {
        if let Some(rehearsal) = &result.rehearsal {
            return Err(StoreError::Invalid(format!(
                "a rehearsal from `{}` is not an attempt and cannot be recorded",
                rehearsal.node
            )));
        }
        let json = serde_json::to_string(result).map_err(|e| StoreError::Invalid(e.to_string()))?;
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
    }

    /// Keeps the trainee's reflection with the attempt (replacing an earlier one).
    pub fn save_reflection(&self, attempt: &str, text: &str) -> Result<(), StoreError> {
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
    }

    /// One attempt with its steps.
    pub fn attempt(&self, id: &str) -> Result<Attempt, StoreError> {
        let mut attempts = self.query_attempts("WHERE a.id = ?1", [id])?;
        attempts.pop().ok_or_else(|| StoreError::Unknown {
            kind: "attempt",
            id: id.to_owned(),
        })
    }

    /// A trainee's attempts, oldest first.
    pub fn attempts_of(&self, trainee: &str) -> Result<Vec<Attempt>, StoreError> {
        self.query_attempts("WHERE a.trainee = ?1", [trainee])
    }

    /// A trainee's attempts that have not reached an ending, newest first.
    pub fn open_attempts(&self, trainee: &str) -> Result<Vec<Attempt>, StoreError> {
        let mut open =
            self.query_attempts("WHERE a.trainee = ?1 AND a.ended IS NULL", [trainee])?;
        open.reverse();
        Ok(open)
    }

    /// The stored result of a finished attempt, exactly as it was written.
    pub fn result_json(&self, attempt: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT result FROM attempts WHERE id = ?1",
                [attempt],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Where a trainee stands on every scenario they have touched, by scenario id.
    pub fn progress(&self, trainee: &str) -> Result<BTreeMap<String, Progress>, StoreError> {
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
    }

    /// Finished attempts, oldest first, of one trainee or all, ended on or after `since`
    /// (an RFC 3339 time or date).
    pub fn finished_attempts(
        &self,
        trainee: Option<&str>,
        since: Option<&str>,
    ) -> Result<Vec<Attempt>, StoreError> {
        self.query_attempts(
            "WHERE a.ended IS NOT NULL AND (?1 IS NULL OR a.trainee = ?1)
                   AND (?2 IS NULL OR a.ended >= ?2)",
            params![trainee, since],
        )
    }

    /// The stored result of a finished attempt.
    pub fn result(&self, attempt: &str) -> Result<Option<AttemptResult>, StoreError> {
        self.result_json(attempt)?
            .map(|json| {
                serde_json::from_str(&json).map_err(|e| StoreError::Damaged {
                    attempt: attempt.to_owned(),
                    field: "result",
                    reason: e.to_string(),
                })
            })
            .transpose()
    }

    /// Finished attempts in brief, in attempt-id order: what readiness is decided on. Three
    /// scans in attempt-id order (each table's own key order, so SQLite never sorts, and scores
    /// and critical errors join their attempt by a merge rather than a lookup per row), so a
    /// program's whole history reads in one go.
    pub fn summaries(&self, which: Which) -> Result<Vec<AttemptSummary>, StoreError> {
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
            let mode = row
                .get_ref(5)?
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

        let mut stmt = self
            .conn
            .prepare("SELECT attempt, competency, score FROM attempt_scores ORDER BY attempt")?;
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
    }

    /// How often each option of a scenario was taken: `(node, choice) -> count` over every
    /// recorded attempt at it, in either mode, finished or not (a pick is a pick).
    pub fn choice_picks(
        &self,
        scenario: &str,
    ) -> Result<BTreeMap<(String, String), u64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT s.node, s.choice, count(*) FROM attempts a JOIN steps s ON s.attempt = a.id
             WHERE a.scenario = ?1 AND s.choice IS NOT NULL GROUP BY s.node, s.choice",
        )?;
        let rows = stmt.query_map([scenario], |row| {
            Ok(((row.get(0)?, row.get(1)?), row.get::<_, i64>(2)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The critical errors made in a scenario, most frequent first.
    pub fn critical_counts(&self, scenario: &str) -> Result<Vec<CriticalCount>, StoreError> {
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
    }

    /// Attempts recorded at a scenario, and how many of them finished.
    pub fn attempt_counts(&self, scenario: &str) -> Result<(u64, u64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), count(ended) FROM attempts WHERE scenario = ?1",
            [scenario],
            |row| Ok((row.get::<_, i64>(0)? as u64, row.get::<_, i64>(1)? as u64)),
        )?)
    }

    /// Notes that a Learning Record Store acknowledged an attempt's statements.
    pub fn mark_delivered(
        &self,
        attempt: &str,
        endpoint: &str,
        statements: usize,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(attempt, endpoint) DO UPDATE SET sent = excluded.sent,
                 statements = excluded.statements",
            params![attempt, endpoint, now(), statements as i64],
        )?;
        Ok(())
    }

    /// The attempts an endpoint has acknowledged.
    pub fn delivered(&self, endpoint: &str) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT attempt FROM deliveries WHERE endpoint = ?1")?;
        let rows = stmt.query_map([endpoint], |row| row.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn query_attempts(
        &self,
        filter: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Attempt>, StoreError> {
        let sql = format!(
            "SELECT a.id, a.trainee, t.name, a.scenario, a.scenario_version, a.scenario_sha256,
                    a.topic, a.kind, a.rubric, a.rubric_version, a.rubric_sha256, a.mode, a.seed,
                    a.started, a.ended, a.passed, a.overall, a.reflection
             FROM attempts a JOIN trainees t ON t.id = a.trainee
             {filter} ORDER BY a.started, a.rowid"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(args, |row| {
            Ok((
                Attempt {
                    id: row.get(0)?,
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
                    mode: Mode::Practice,
                    seed: 0,
                    started: row.get(13)?,
                    ended: row.get(14)?,
                    passed: row.get(15)?,
                    overall: row.get(16)?,
                    reflection: row.get(17)?,
                    steps: Vec::new(),
                },
                row.get::<_, String>(11)?,
                row.get::<_, String>(12)?,
            ))
        })?;
        let mut attempts = Vec::new();
        for row in rows {
            let (mut attempt, mode, seed) = row?;
            attempt.mode = mode.parse().map_err(|reason| StoreError::Damaged {
                attempt: attempt.id.clone(),
                field: "mode",
                reason,
            })?;
            attempt.seed = seed.parse().map_err(|_| StoreError::Damaged {
                attempt: attempt.id.clone(),
                field: "seed",
                reason: format!("`{seed}` is not a number"),
            })?;
            attempt.steps = self.steps(&attempt.id)?;
            attempts.push(attempt);
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
