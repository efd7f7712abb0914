//! Records that are damaged, emptied or read-only: a damaged file is never written to and the
//! error says how to recover, an emptied file is not taken for a fresh start, read-only files
//! and folders can still be read, and one damaged record does not hide the others.

#[path = "support/play.rs"]
mod play;

use std::path::{Path, PathBuf};

use mentorsim_records::export::{Selection, collect};
use mentorsim_records::store::{DATABASE_FILE, Store, StoreError};
use mentorsim_script::engine::Mode;
use play::{Pick, bundled_library, play_recorded};

/// A data folder with three finished attempts by two trainees; returns the attempt ids.
fn records(dir: &Path) -> Vec<String> {
    let library = bundled_library();
    let store = Store::open(dir).unwrap();
    store.save_trainee("t-ada", "Ada").unwrap();
    store.save_trainee("t-bo", "Bo").unwrap();
    let mut ids = Vec::new();
    for (trainee, id, pick) in [
        ("t-ada", "al-not-college-material", Pick::Strongest),
        ("t-ada", "cb-asking-for-a-friend", Pick::Weakest),
        ("t-bo", "dep-just-till-the-28th", Pick::Strongest),
    ] {
        let scenario = library.scenario(id).unwrap();
        ids.push(play_recorded(&store, trainee, scenario, 5, Mode::Assessment, pick).0);
    }
    ids
}

fn database(dir: &Path) -> PathBuf {
    dir.join(DATABASE_FILE)
}

/// Overwrites three pages in the middle of the file with a fixed garbage pattern.
fn damage_pages(file: &Path) {
    let mut bytes = std::fs::read(file).unwrap();
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(
        pages > 8,
        "a database of {pages} pages is too small to damage"
    );
    let first = pages / 2;
    for byte in &mut bytes[first * page..(first + 3) * page] {
        *byte = 0xA5;
    }
    std::fs::write(file, bytes).unwrap();
}

/// Every file in the folder with the SHA-256 of its bytes, to show nothing changed.
fn snapshot(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let bytes = std::fs::read(entry.path()).unwrap_or_default();
            (
                entry.file_name().to_string_lossy().into_owned(),
                mentorsim_script::digest::sha256_hex(&bytes),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_damaged_database_is_not_opened_for_writing_and_the_error_says_how_to_recover() {
    let dir = tempfile::tempdir().unwrap();
    records(dir.path());
    damage_pages(&database(dir.path()));
    let before = snapshot(dir.path());

    let refused = Store::open(dir.path()).unwrap_err();
    assert!(matches!(refused, StoreError::Corrupt { .. }), "{refused}");
    let message = refused.to_string();
    assert!(message.contains("is damaged"), "{message}");
    assert!(message.contains("restore it from a backup"), "{message}");
    assert!(message.contains(".recover"), "{message}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the damaged file is left exactly as it was"
    );
}

#[test]
fn damage_found_while_reading_stops_every_later_write() {
    let dir = tempfile::tempdir().unwrap();
    records(dir.path());
    // Opened while intact; then the disk fails under the running store.
    let store = Store::open(dir.path()).unwrap();
    let other = rusqlite::Connection::open(database(dir.path())).unwrap();
    // Another writer commits, so the store cannot keep using the pages it read before...
    other
        .execute("UPDATE trainees SET name = 'Ada L' WHERE id = 't-ada'", [])
        .unwrap();
    other
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    drop(other);
    // ...and every page but the first turns to garbage.
    let mut bytes = std::fs::read(database(dir.path())).unwrap();
    bytes[4096..].fill(0xA5);
    std::fs::write(database(dir.path()), bytes).unwrap();

    let read = store.finished_attempts(None, None).unwrap_err();
    assert!(matches!(read, StoreError::Corrupt { .. }), "{read}");
    assert!(read.to_string().contains(".recover"), "{read}");
    let write = store.save_trainee("t-cy", "Cy").unwrap_err();
    assert!(matches!(write, StoreError::Corrupt { .. }), "{write}");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_damaged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(database(dir.path()), "these are not records\n".repeat(400)).unwrap();
    for opened in [Store::open(dir.path()), Store::open_read_only(dir.path())] {
        let error = opened.unwrap_err();
        assert!(matches!(error, StoreError::Corrupt { .. }), "{error}");
    }
}

#[test]
fn an_emptied_database_is_an_error_not_a_fresh_start() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(database(dir.path()), b"").unwrap();
    for opened in [Store::open(dir.path()), Store::open_read_only(dir.path())] {
        let error = opened.unwrap_err();
        assert!(matches!(error, StoreError::EmptyFile { .. }), "{error}");
        assert!(error.to_string().contains("empty (0 bytes)"), "{error}");
    }
    assert_eq!(std::fs::read(database(dir.path())).unwrap(), b"");
}

#[test]
fn a_new_folder_starts_new_records_built_whole() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("new-program");

    // Reading a folder that has no records yet creates nothing.
    let reading = Store::open_read_only(&dir).unwrap();
    assert!(reading.trainees().unwrap().is_empty());
    assert!(!dir.exists());

    let store = Store::open(&dir).unwrap();
    assert!(store.trainees().unwrap().is_empty());
    store.save_trainee("t-1", "Ana").unwrap();
    drop(store);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [DATABASE_FILE], "no temporary file is left behind");
    assert_eq!(Store::open(&dir).unwrap().trainees().unwrap().len(), 1);
}

/// Makes `path` read-only for everyone, and writable again when dropped.
#[cfg(unix)]
struct ReadOnly(Vec<(PathBuf, std::fs::Permissions)>);

#[cfg(unix)]
impl ReadOnly {
    fn set(paths: &[(&Path, u32)]) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        let mut saved = Vec::new();
        for (path, mode) in paths {
            saved.push((
                path.to_path_buf(),
                std::fs::metadata(path).unwrap().permissions(),
            ));
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode)).unwrap();
        }
        ReadOnly(saved)
    }
}

#[cfg(unix)]
impl Drop for ReadOnly {
    fn drop(&mut self) {
        for (path, permissions) in self.0.iter().rev() {
            let _ = std::fs::set_permissions(path, permissions.clone());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_file_in_a_read_only_folder_can_be_read_and_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    records(dir.path());
    let before = snapshot(dir.path());
    let file = database(dir.path());
    // (Run as root, the permission bits stop nothing; SQLite's read-only open still must.)
    let _guard = ReadOnly::set(&[(&file, 0o444), (dir.path(), 0o555)]);

    let store = Store::open_read_only(dir.path()).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.trainees().unwrap().len(), 2);
    assert_eq!(store.finished_attempts(None, None).unwrap().len(), 3);
    let refused = store.save_trainee("t-cy", "Cy").unwrap_err();
    assert!(matches!(refused, StoreError::ReadOnly { .. }), "{refused}");
    drop(store);
    // The records are unchanged; at most SQLite's empty WAL companions appeared (where the
    // folder let it make them).
    let after: Vec<_> = snapshot(dir.path())
        .into_iter()
        .filter(|(name, hash)| {
            !(name.ends_with("-shm") || name.ends_with("-wal") && *hash == EMPTY)
        })
        .collect();
    assert_eq!(after, before);
}

/// SHA-256 of nothing.
const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn records_are_read_when_the_wal_index_cannot_be_made() {
    let dir = tempfile::tempdir().unwrap();
    records(dir.path());
    // As in a read-only folder, but so that it holds for root too: the WAL index's name is
    // taken by a folder.
    std::fs::create_dir(dir.path().join(format!("{DATABASE_FILE}-shm"))).unwrap();
    let store = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(store.finished_attempts(None, None).unwrap().len(), 3);
}

#[test]
fn a_read_only_open_of_an_older_database_upgrades_a_copy_and_leaves_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = rusqlite::Connection::open(database(dir.path())).unwrap();
    db.execute_batch(
        r#"
        CREATE TABLE trainees (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
        CREATE TABLE attempts (id TEXT PRIMARY KEY, trainee TEXT NOT NULL REFERENCES trainees(id),
            scenario TEXT NOT NULL, scenario_version INTEGER NOT NULL, scenario_sha256 TEXT NOT NULL,
            rubric TEXT NOT NULL, rubric_version INTEGER NOT NULL, mode TEXT NOT NULL, seed TEXT NOT NULL,
            started TEXT NOT NULL, ended TEXT, passed INTEGER, overall REAL, result TEXT, reflection TEXT);
        CREATE TABLE steps (attempt TEXT NOT NULL, seq INTEGER NOT NULL, node TEXT NOT NULL,
            choice TEXT, millis INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (attempt, seq));
        INSERT INTO trainees VALUES ('t-old', 'Olive', '2026-11-01T09:00:00.000Z');
        INSERT INTO attempts VALUES ('a-1', 't-old', 'cb-asking-for-a-friend', 1, 'abc', 'mentor-core', 1,
            'assessment', '7', '2026-11-01T09:00:00.000Z', '2026-11-01T09:12:00.000Z', 0, 0.5,
            '{"scores":{"CONF":0.25}}', NULL);
        PRAGMA user_version = 1;
        "#,
    )
    .unwrap();
    drop(db);
    let before = snapshot(dir.path());

    let store = Store::open_read_only(dir.path()).unwrap();
    let summaries = store
        .summaries(mentorsim_records::store::Which::All)
        .unwrap();
    assert_eq!(summaries[0].scores, [("CONF".into(), 0.25)]);
    assert!(store.save_trainee("t-2", "Two").is_err());
    drop(store);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn one_damaged_record_is_named_and_the_others_are_still_exported() {
    let dir = tempfile::tempdir().unwrap();
    let ids = records(dir.path());
    let db = rusqlite::Connection::open(database(dir.path())).unwrap();
    db.execute(
        "UPDATE attempts SET result = substr(result, 1, 40) WHERE id = ?1",
        [&ids[1]],
    )
    .unwrap();
    db.execute(
        "UPDATE attempts SET scenario_version = 'two' WHERE id = ?1",
        [&ids[2]],
    )
    .unwrap();
    drop(db);

    let store = Store::open_read_only(dir.path()).unwrap();
    let collected = collect(&store, &bundled_library(), &Selection::default()).unwrap();
    let exported: Vec<&str> = collected
        .records
        .iter()
        .map(|r| r.attempt.id.as_str())
        .collect();
    assert_eq!(exported, [ids[0].as_str()]);
    let damaged: Vec<String> = collected.damaged.iter().map(|e| e.to_string()).collect();
    assert_eq!(damaged.len(), 2, "{damaged:?}");
    assert!(
        damaged
            .iter()
            .any(|d| d.contains(&ids[1]) && d.contains("damaged result")),
        "{damaged:?}"
    );
    assert!(
        damaged
            .iter()
            .any(|d| d.contains(&ids[2]) && d.contains("damaged scenario_version")),
        "{damaged:?}"
    );
    // The strict reading still refuses, naming the first damaged attempt.
    assert!(matches!(
        store.finished_attempts(None, None),
        Err(StoreError::Damaged { .. })
    ));
}
