//! Completion records: trainees, and every attempt written as it happens.
//!
//! A program decides readiness on these records, so each action is its own committed
//! transaction (SQLite in WAL mode with `synchronous=FULL`): a crash or `kill -9` loses nothing
//! the trainee already did, and [`Store::open_attempts`] gives back what is needed to resume.
//! An attempt stores the seed and the actions, which replay to the same result; the result is
//! stored too, as JSON, so that reports never depend on the scenario still being around.
//!
//! One [`Store`], its methods in a file per concern: `open.rs` (opening for writing or only
//! reading) and `schema.rs`; `trainees.rs` and `ids.rs`; `attempts.rs` (written as they
//! happen) with `attempt_rows.rs` (read back so that damage stays with the attempt it is in);
//! `reports.rs` (standing, readiness summaries, pick counts); `delivery.rs` (what a Learning
//! Record Store acknowledged); `imports.rs` (other stations' attempts, once replayed). `error.rs` and `types.rs` hold what they all return.

use std::cell::Cell;
use std::path::PathBuf;

use rusqlite::Connection;

mod attempt_rows;
mod attempts;
mod delivery;
mod error;
mod ids;
mod imports;
mod lrs_cache;
mod open;
mod reports;
mod schema;
mod trainees;
mod types;

pub use delivery::Waiting;
pub use error::StoreError;
pub use ids::{check_trainee_id, new_trainee_id};
pub use imports::Imported;
pub use reports::{AttemptSummary, CriticalCount, Progress, Relevant, Status, Which};
pub use types::{Attempt, Step, Trainee};

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "mentorsim.sqlite3";

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
}

/// Now, as RFC 3339 UTC with exactly three decimals, so that times sort as text.
fn now() -> String {
    timestamp_text(jiff::Timestamp::now())
}

/// A time as the records write it.
pub fn timestamp_text(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
