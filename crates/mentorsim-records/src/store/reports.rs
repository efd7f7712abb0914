//! What the records add up to: a trainee's standing per scenario (the library screen), finished
//! attempts in brief (readiness), and per-scenario pick and critical-error counts (analytics,
//! the graph). Only reads; shaped for speed where a program's whole history is read at once.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rusqlite::params;
use serde::Serialize;

use mentorsim_script::engine::Mode;
use mentorsim_script::model::ScenarioKind;

use super::{Store, StoreError};

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
    /// Module id, when recorded (schema 2 on).
    pub topic: Option<Arc<str>>,
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
    /// Ids of the modules whose assessment scenarios count.
    pub modules: Vec<String>,
}

impl Store {
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
                    let modules: Vec<&str> = relevant.modules.iter().map(String::as_str).collect();
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
                    topic: row.get_ref(3)?.as_str_or_null()?.map(|t| shared.get(t)),
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
