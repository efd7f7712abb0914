//! Files mentorsim writes for people and other programs: exports, their signatures,
//! certificates, graphs, settings.
//!
//! Two promises. **Whole or not at all:** a file is written under a unique temporary name in
//! its own folder, flushed to disk and renamed over the target, so a failed write never leaves
//! half a file and never destroys the previous one. **Never over the records:** an output the
//! user names is refused when it would land on the records database or anywhere inside the
//! data folder, however the path is spelt (paths are compared after resolving `..` and links,
//! and for a file that does not exist yet, after resolving its folder).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::store::DATABASE_FILE;

/// Why an output file was not written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path is the records database (or its journal).
    #[error(
        "refusing to write {path}: that is the records database {database}, and writing there would replace every record; write the output to a file outside the data folder"
    )]
    Records {
        /// The path given.
        path: PathBuf,
        /// The database file.
        database: PathBuf,
    },
    /// The path is inside the data folder.
    #[error(
        "refusing to write {path}: it is inside the data folder {data_dir}, which holds the records and the program key; write the output to a file outside it"
    )]
    InDataFolder {
        /// The path given.
        path: PathBuf,
        /// The data folder.
        data_dir: PathBuf,
    },
    /// The folder to write in does not exist.
    #[error("cannot write {path}: the folder {folder} does not exist; create it first")]
    NoFolder {
        /// The path given.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// The path names a folder.
    #[error("cannot write {path}: it is a folder; give a file name")]
    IsFolder {
        /// The path given.
        path: PathBuf,
    },
    /// Writing failed; the previous file, if any, is untouched.
    #[error("cannot write {path}: {source} (nothing was changed)")]
    Io {
        /// The path given.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Refuses `path` when it is the records database or lies inside `data_dir`.
pub fn check_outside_data_folder(path: &Path, data_dir: &Path) -> Result<(), OutputError> {
    let Ok(data_dir) = data_dir.canonicalize() else {
        // No data folder: nothing can be inside it.
        return Ok(());
    };
    let target = resolved(path)?;
    let database = data_dir.join(DATABASE_FILE);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
    let is_database = target.parent() == Some(data_dir.as_path())
        && name.is_some_and(|n| {
            n == DATABASE_FILE
                || n.strip_prefix(DATABASE_FILE)
                    .is_some_and(|rest| ["-wal", "-shm", "-journal"].contains(&rest))
        });
    if is_database {
        return Err(OutputError::Records {
            path: path.to_owned(),
            database,
        });
    }
    if target.starts_with(&data_dir) {
        return Err(OutputError::InDataFolder {
            path: path.to_owned(),
            data_dir,
        });
    }
    Ok(())
}

/// The path with its links and `..` resolved; for a file that does not exist yet, its folder's.
fn resolved(path: &Path) -> Result<PathBuf, OutputError> {
    if let Ok(existing) = path.canonicalize() {
        return Ok(existing);
    }
    let name = path.file_name().ok_or_else(|| OutputError::IsFolder {
        path: path.to_owned(),
    })?;
    let folder = folder_of(path);
    let folder = folder.canonicalize().map_err(|_| OutputError::NoFolder {
        path: path.to_owned(),
        folder: folder.to_owned(),
    })?;
    Ok(folder.join(name))
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `path` whole, or not at all.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_files_atomically(&[(path, bytes)])
}

/// Writes several files that belong together (an export and its signature): every one is
/// written and flushed under a temporary name before the first is put in place, so a failure
/// while writing changes none of them.
pub fn write_files_atomically(files: &[(&Path, &[u8])]) -> Result<(), OutputError> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match stage(path, bytes) {
            Ok(temporary) => staged.push((temporary, path)),
            Err(error) => {
                discard(&staged);
                return Err(error);
            }
        }
    }
    for (done, (temporary, path)) in staged.iter().enumerate() {
        if let Err(source) = std::fs::rename(temporary, path) {
            discard(&staged[done..]);
            return Err(OutputError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    for (_, path) in &staged {
        sync_folder(folder_of(path)).map_err(|source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// Writes and flushes `bytes` to a new, uniquely named file beside `path`; returns its name.
fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    let io = |source| OutputError::Io {
        path: path.to_owned(),
        source,
    };
    if path.is_dir() {
        return Err(OutputError::IsFolder {
            path: path.to_owned(),
        });
    }
    let name = path.file_name().ok_or_else(|| OutputError::IsFolder {
        path: path.to_owned(),
    })?;
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(OutputError::NoFolder {
            path: path.to_owned(),
            folder: folder.to_owned(),
        });
    }
    let (temporary, mut file) = loop {
        let temporary = folder.join(format!(
            ".{}.{}-{:016x}.tmp",
            name.to_string_lossy(),
            std::process::id(),
            rand::random::<u64>()
        ));
        // create_new: never take over a file someone else is writing.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
        {
            Ok(file) => break (temporary, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e)),
        }
    };
    let written = (|| {
        file.write_all(bytes)?;
        // A replaced file keeps its permissions (an export only its owner may read stays so).
        if let Ok(previous) = std::fs::metadata(path) {
            file.set_permissions(previous.permissions())?;
        }
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(temporary),
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(io(error))
        }
    }
}

fn discard(staged: &[(PathBuf, &Path)]) {
    for (temporary, _) in staged {
        let _ = std::fs::remove_file(temporary);
    }
}

/// Flushes a folder's entries, so a rename in it survives a power cut (a no-op where folders
/// cannot be opened as files).
pub fn sync_folder(folder: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(folder)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        Ok(())
    }
}
