//! The trainer's library folder as the app reads it: Bevy's file reader, with the same care
//! as `mentorsim check` takes with folders it did not make.
//!
//! Bevy follows every link when it loads a folder, so a link back to `.` would make it list
//! the library again inside itself without end, and it would open a named pipe and wait on it
//! forever. This reader lists only regular files and real folders, follows a linked folder only
//! when it leads outside the library and not back up to where the listing came from, and goes
//! no deeper than `check` does.

use std::path::{Path, PathBuf};

use bevy::asset::io::file::FileAssetReader;
use bevy::asset::io::{AssetReader, AssetReaderError, PathStream, Reader};
use bevy::tasks::futures_lite::stream;
use mentorsim_script::limits::{FOLDER_DEPTH, MAX_FILE_BYTES};

/// A [`FileAssetReader`] that never loops, never waits on a pipe, and stops at
/// [`FOLDER_DEPTH`].
pub struct GuardedFolderReader {
    inner: FileAssetReader,
    root: PathBuf,
}

impl GuardedFolderReader {
    /// Reads the folder `root`.
    pub fn new(root: &Path) -> Self {
        let inner = FileAssetReader::new(root);
        let root = inner.root_path().clone();
        GuardedFolderReader { inner, root }
    }

    /// Whether `child`, found while listing the folder `parent` (relative to the root), is
    /// a file or folder the library should see.
    fn admits(&self, parent: &Path, child: &Path) -> bool {
        let full = self.root.join(child);
        let Ok(meta) = std::fs::metadata(&full) else {
            return false;
        };
        if meta.is_file() {
            // Larger files are listed as findings and never loaded into memory.
            return meta.len() <= MAX_FILE_BYTES;
        }
        if !meta.is_dir() || parent.components().count() + 1 >= FOLDER_DEPTH {
            return false;
        }
        let linked = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink());
        if !linked {
            return true;
        }
        let (Ok(target), Ok(root), Ok(here)) = (
            std::fs::canonicalize(&full),
            std::fs::canonicalize(&self.root),
            std::fs::canonicalize(self.root.join(parent)),
        ) else {
            return false;
        };
        // Inside the library it is listed under its real name; above, it would loop.
        !target.starts_with(&root) && !here.starts_with(&target)
    }
}

impl AssetReader for GuardedFolderReader {
    async fn read<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        self.inner.read(path).await
    }

    async fn read_meta<'a>(&'a self, path: &'a Path) -> Result<impl Reader + 'a, AssetReaderError> {
        self.inner.read_meta(path).await
    }

    async fn read_directory<'a>(
        &'a self,
        path: &'a Path,
    ) -> Result<Box<PathStream>, AssetReaderError> {
        let full = self.root.join(path);
        let entries =
            std::fs::read_dir(&full).map_err(|_| AssetReaderError::NotFound(full.clone()))?;
        let mut children: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| path.join(entry.file_name()))
            .filter(|child| {
                let name = child.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                !name.starts_with('.') && !name.ends_with(".meta")
            })
            .filter(|child| self.admits(path, child))
            .collect();
        children.sort();
        Ok(Box::new(stream::iter(children)))
    }

    async fn is_directory<'a>(&'a self, path: &'a Path) -> Result<bool, AssetReaderError> {
        self.inner.is_directory(path).await
    }
}
