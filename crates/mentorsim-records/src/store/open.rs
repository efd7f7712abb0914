//! Opening the records database, for writing or only for reading.
//!
//! Records are evidence, so opening them is careful about three things:
//! - **Damage.** A file opened for writing is checked first (`PRAGMA quick_check`); a damaged
//!   one is refused with how to recover, never written to. Any later "corrupt" or "not a
//!   database" answer marks the store damaged and stops its writes too.
//! - **Nothing where something was.** A missing file in the data folder is a fresh start, but
//!   a 0-byte file where records are expected is an error: something emptied it. A new
//!   database is built under a temporary name and moved into place whole, so a crash while
//!   creating one never leaves the 0-byte file that would later be taken for damage.
//! - **Read-only use.** Commands that only read (readiness, export, rescore, analytics, graph)
//!   open the file with SQLite's read-only flag, so they work on a read-only file or folder
//!   and cannot change the records even by mistake.

use std::cell::Cell;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::schema::{self, SCHEMA_VERSION};
use super::{DATABASE_FILE, Store, StoreError};

/// Whether an SQLite error means the file itself is damaged (rather than busy, full, ...).
pub(super) fn is_damage(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

/// Whether a read-only open failed for want of write access to the folder (the WAL index).
fn needs_write_access(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
    )
}

impl Store {
    /// The folder used when neither `--data-dir` nor `MENTORSIM_DATA_DIR` is given.
    pub fn default_dir() -> PathBuf {
        dirs::data_dir()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("mentorsim")
    }

    /// Opens the database in `dir` for reading and writing, creating the folder and a new
    /// database when there is none yet. A damaged or emptied file is refused untouched.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_writable(dir).map_err(|error| match error {
            StoreError::Open { path, source } if needs_write_access(&source) => {
                StoreError::NotWritable {
                    path,
                    detail: source.to_string(),
                }
            }
            other => other,
        })
    }

    fn open_writable(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(DATABASE_FILE);
        if !present(&path)? {
            create(dir, &path)?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn =
            Connection::open_with_flags(&path, flags).map_err(|source| opening(&path, source))?;
        let store = Store::wrap(conn, &path, false);
        store.refuse_newer()?;
        store.quick_check()?;
        store.set_up_for_writing()?;
        Ok(store)
    }

    /// Opens the database in `dir` only for reading: nothing is created, migrated or written,
    /// and it works on a read-only file or folder. A missing database reads as empty records.
    /// A database from an older mentorsim is upgraded in a copy in memory.
    pub fn open_read_only(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join(DATABASE_FILE);
        if !present(&path)? {
            let mut store = Store::in_memory()?;
            store.read_only = true;
            return Ok(store);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = Connection::open_with_flags(&path, flags).and_then(|conn| {
            // The first read also opens the WAL index, which may need write access.
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            Ok(conn)
        });
        let conn = match opened {
            Ok(conn) => conn,
            Err(error) if needs_write_access(&error) => immutable(&path)?,
            Err(error) => return Err(opening(&path, error)),
        };
        let store = Store::wrap(conn, &path, true);
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.open_error(e))?;
        store.refuse_newer()?;
        let found = store.user_version()?;
        if found < SCHEMA_VERSION {
            return store.upgraded_in_memory();
        }
        store
            .conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(|e| store.open_error(e))?;
        Ok(store)
    }

    /// A database that lives only as long as the value: for tests and previews.
    pub fn in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        let store = Store::wrap(conn, Path::new(":memory:"), false);
        store.set_up_for_writing()?;
        Ok(store)
    }

    /// Whether this store was opened only for reading.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn wrap(conn: Connection, path: &Path, read_only: bool) -> Store {
        Store {
            conn,
            path: path.to_owned(),
            read_only,
            damaged: Cell::new(false),
        }
    }

    /// An error met while opening, with damage told apart from other failures.
    fn open_error(&self, source: rusqlite::Error) -> StoreError {
        if is_damage(&source) {
            self.damaged.set(true);
        }
        opening(&self.path, source)
    }

    fn user_version(&self) -> Result<i32, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| self.open_error(e))
    }

    /// A file from a newer mentorsim is left untouched.
    fn refuse_newer(&self) -> Result<(), StoreError> {
        let found = self.user_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Checks every page's structure before anything is written (see docs/records.md for its
    /// cost: it reads the whole file).
    fn quick_check(&self) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("PRAGMA quick_check(5)")
            .map_err(|e| self.open_error(e))?;
        let findings = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.open_error(e))?;
        if findings == ["ok"] {
            return Ok(());
        }
        self.damaged.set(true);
        Err(StoreError::Corrupt {
            path: self.path.clone(),
            detail: findings.join("; "),
        })
    }

    fn set_up_for_writing(&self) -> Result<(), StoreError> {
        let conn = &self.conn;
        let set_up = || -> rusqlite::Result<()> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            into_wal_mode(conn)?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            Ok(())
        };
        set_up().map_err(|e| self.open_error(e))?;
        schema::migrate(conn).map_err(|e| self.open_error(e))
    }

    /// A read-only file at an older schema: copied into memory and upgraded there, so reading
    /// commands work on it without writing to it. The next command that writes upgrades the
    /// file itself.
    fn upgraded_in_memory(self) -> Result<Store, StoreError> {
        let mut copy = Connection::open_in_memory()?;
        {
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)
                .map_err(|e| self.open_error(e))?;
            backup
                .run_to_completion(1024, std::time::Duration::ZERO, None)
                .map_err(|e| self.open_error(e))?;
        }
        let store = Store::wrap(copy, &self.path, false);
        store.set_up_for_writing()?;
        Ok(Store {
            read_only: true,
            ..store
        })
    }
}

/// How long a store waits for another process's lock before reporting the file busy.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Switches the file to write-ahead logging. A new database is built with a rollback journal,
/// so the first processes to open it make the switch, which needs the file to themselves;
/// SQLite answers "locked" at once, without waiting, when two try together (the app and
/// `play` on a new data folder), so the switch is retried for as long as any lock is waited for.
fn into_wal_mode(conn: &Connection) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(error)
                if error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

fn opening(path: &Path, source: rusqlite::Error) -> StoreError {
    if is_damage(&source) {
        StoreError::Corrupt {
            path: path.to_owned(),
            detail: source.to_string(),
        }
    } else {
        StoreError::Open {
            path: path.to_owned(),
            source,
        }
    }
}

/// Whether the database file exists; a 0-byte one is an error, not a fresh start.
fn present(path: &Path) -> Result<bool, StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() == 0 => Err(StoreError::EmptyFile {
            path: path.to_owned(),
        }),
        Ok(_) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(StoreError::Folder {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Builds a new database beside `path` under a temporary name and links it into place whole,
/// never replacing a database another process made meanwhile.
fn create(dir: &Path, path: &Path) -> Result<(), StoreError> {
    let temporary = dir.join(format!(
        ".{DATABASE_FILE}.new-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let folder_error = |source| StoreError::Folder {
        path: dir.to_owned(),
        source,
    };
    let built = (|| -> Result<(), StoreError> {
        let conn = Connection::open(&temporary).map_err(|source| opening(&temporary, source))?;
        // A rollback journal while building: the finished file holds everything, no WAL beside it.
        schema::migrate(&conn).map_err(|source| opening(&temporary, source))?;
        conn.close()
            .map_err(|(_, source)| opening(&temporary, source))?;
        std::fs::File::open(&temporary)
            .and_then(|file| file.sync_all())
            .map_err(folder_error)?;
        match std::fs::hard_link(&temporary, path) {
            Ok(()) => {}
            // Another process created it first: theirs is kept.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // A file system without hard links: move it, unless one appeared meanwhile.
            Err(_) if !path.exists() => std::fs::rename(&temporary, path).map_err(folder_error)?,
            Err(_) => {}
        }
        crate::output::sync_folder(dir).map_err(folder_error)
    })();
    let _ = std::fs::remove_file(&temporary);
    let _ = std::fs::remove_file(journal_of(&temporary));
    built
}

fn journal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

/// Last resort for a database in a folder this process cannot write: SQLite's `immutable`
/// mode reads the file without the WAL index. It cannot see changes still in the WAL file, so
/// when there are any the records are not read at all rather than read incompletely.
fn immutable(path: &Path) -> Result<Connection, StoreError> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::UnreadableWal {
            path: path.to_owned(),
            wal,
        });
    }
    let absolute = std::path::absolute(path).map_err(|source| StoreError::Folder {
        path: path.to_owned(),
        source,
    })?;
    let uri = format!("file:{}?immutable=1", uri_path(&absolute));
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).map_err(|source| opening(path, source))
}

/// A file path as the path of an SQLite `file:` URI: `%`, `?` and `#` (and anything that is
/// not plain printable ASCII) percent-encoded.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len() + 1);
    if !text.starts_with('/') {
        // A Windows drive path: file:///C:/...
        out.push_str("///");
    }
    for byte in text.bytes() {
        match byte {
            b'%' | b'?' | b'#' => out.push_str(&format!("%{byte:02X}")),
            0x21..=0x7e => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
