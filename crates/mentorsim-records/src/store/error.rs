//! What can go wrong with the records. Each message says what was found and, where there is
//! one, the way out (a backup, `--data-dir`, write access), since the reader is a coordinator
//! looking at a terminal, not a developer.

use std::path::PathBuf;

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
