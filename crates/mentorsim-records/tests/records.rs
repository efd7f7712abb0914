//! Completion records: what is written as an attempt happens, how it comes back after a
//! restart, and how a trainee's standing on a scenario is derived from their attempts.

use std::path::Path;
use std::sync::Arc;

use mentorsim_records::attempt::RecordedAttempt;
use mentorsim_records::store::{Status, Store, StoreError, Which};
use mentorsim_script::engine::{Action, Mode, Rehearsal, Session};
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

fn bundled(id: &str) -> Arc<Scenario> {
    let library = Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")]);
    Arc::clone(library.scenario(id).expect("bundled scenario is playable"))
}

/// Takes the option at `position` (or the last, where there are fewer) at each of up to
/// `steps` moves, each committed as it is made.
fn play_and_record(store: &Store, recorded: &mut RecordedAttempt, position: usize, steps: usize) {
    for _ in 0..steps {
        let Some(line) = recorded.session().current() else {
            return;
        };
        if line.options.is_empty() {
            recorded.advance(store).unwrap().committed().unwrap();
        } else {
            let at = position.min(line.options.len());
            recorded.choose(store, at).unwrap().committed().unwrap();
        }
    }
}

#[test]
fn an_attempt_reopened_from_disk_resumes_at_the_same_decision() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = bundled("al-not-college-material");
    let (attempt, where_we_were) = {
        let store = Store::open(dir.path()).unwrap();
        store.save_trainee("t-001", "Robin").unwrap();
        let mut recorded =
            RecordedAttempt::start(&store, "t-001", &scenario, 42, Mode::Assessment).unwrap();
        play_and_record(&store, &mut recorded, 1, 4);
        (
            recorded.id().to_owned(),
            recorded.session().current().unwrap(),
        )
    };

    let store = Store::open(dir.path()).unwrap();
    let open = store.open_attempts("t-001").unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, attempt);
    assert_eq!(open[0].steps.len(), 4);
    assert_eq!(open[0].scenario_sha256, scenario.sha256);
    let resumed = Session::resume(Arc::clone(&scenario), &open[0].session_state()).unwrap();
    assert_eq!(resumed.current().unwrap(), where_we_were);
}

#[test]
fn a_finished_attempt_keeps_its_result_and_reflection() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-002", "Sam").unwrap();
    let scenario = bundled("al-not-college-material");
    let mut recorded =
        RecordedAttempt::start(&store, "t-002", &scenario, 7, Mode::Practice).unwrap();
    play_and_record(&store, &mut recorded, 2, 100);
    let result = recorded
        .finish(&store)
        .expect("the conversation ended")
        .committed()
        .unwrap();
    let attempt = recorded.id();
    store
        .save_reflection(attempt, "I jumped to advice too early.")
        .unwrap();

    let stored = store.attempt(attempt).unwrap();
    assert!(stored.ended.is_some());
    assert_eq!(stored.passed, Some(result.passed));
    assert_eq!(stored.overall, Some(result.overall));
    assert_eq!(
        stored.reflection.as_deref(),
        Some("I jumped to advice too early.")
    );
    assert_eq!(stored.steps.len(), result.actions.len());
    assert_eq!(
        store.result_json(attempt).unwrap().unwrap(),
        serde_json::to_string(&result).unwrap()
    );
    assert!(store.open_attempts("t-002").unwrap().is_empty());
}

#[test]
fn a_rehearsal_result_is_never_recorded() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-003", "Kim").unwrap();
    let scenario = bundled("al-not-college-material");
    let attempt = store
        .begin_attempt("t-003", &scenario, 7, Mode::Practice)
        .unwrap();
    let from = scenario.nodes[scenario.start].id.clone();
    let rehearsal = Rehearsal {
        node: from,
        variables: Default::default(),
    };
    let mut session =
        Session::rehearse(Arc::clone(&scenario), rehearsal, 7, Mode::Practice).unwrap();
    while let Some(line) = session.current() {
        match line.options.first() {
            Some(option) => drop(session.choose_id(&option.id).unwrap()),
            None => session.advance().unwrap(),
        }
    }
    let result = session.result().expect("the conversation ended");

    let refused = store.finish_attempt(&attempt, &result);
    assert!(
        matches!(&refused, Err(StoreError::Invalid(why)) if why.contains("rehearsal")),
        "{refused:?}"
    );
    assert!(store.attempt(&attempt).unwrap().ended.is_none());
}

#[test]
fn standing_on_a_scenario_follows_the_attempts() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-003", "Ana").unwrap();
    let scenario = bundled("al-not-college-material");
    assert!(store.progress("t-003").unwrap().is_empty(), "not started");

    let mut recorded =
        RecordedAttempt::start(&store, "t-003", &scenario, 1, Mode::Practice).unwrap();
    let first = recorded.id().to_owned();
    let progress = store.progress("t-003").unwrap();
    assert_eq!(progress[&scenario.id].status, Status::InProgress);
    assert_eq!(
        progress[&scenario.id].open_attempt.as_deref(),
        Some(first.as_str())
    );

    // Every fourth option everywhere it exists: a poor path that does not pass.
    play_and_record(&store, &mut recorded, 4, 100);
    let poor = recorded.finish(&store).unwrap().committed().unwrap();
    let progress = store.progress("t-003").unwrap();
    let expected = if poor.passed {
        Status::Passed
    } else {
        Status::NeedsAnotherTry
    };
    assert_eq!(progress[&scenario.id].status, expected);
    assert_eq!(progress[&scenario.id].best, Some(poor.overall));
    assert_eq!(progress[&scenario.id].finished, 1);
}

#[test]
fn steps_are_never_recorded_twice() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-004", "Lee").unwrap();
    let scenario = bundled("al-not-college-material");
    let attempt = store
        .begin_attempt("t-004", &scenario, 3, Mode::Practice)
        .unwrap();
    store
        .record_step(&attempt, 0, "opening", &Action::Continue, 10)
        .unwrap();
    assert!(
        store
            .record_step(&attempt, 0, "opening", &Action::Continue, 10)
            .is_err()
    );
}

#[test]
fn profiles_need_a_name_and_attempts_need_a_known_trainee() {
    let store = Store::in_memory().unwrap();
    assert!(matches!(
        store.save_trainee("t-005", "   "),
        Err(StoreError::Invalid(_))
    ));
    let scenario = bundled("al-not-college-material");
    assert!(matches!(
        store.begin_attempt("nobody", &scenario, 1, Mode::Practice),
        Err(StoreError::Unknown {
            kind: "trainee",
            ..
        })
    ));
    store.save_trainee("t-005", "Kim").unwrap();
    store.save_trainee("t-005", "Kim Lee").unwrap();
    assert_eq!(store.trainee("t-005").unwrap().name, "Kim Lee");
}

#[test]
fn a_database_from_a_newer_mentorsim_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let path = dir.path().join(mentorsim_records::store::DATABASE_FILE);
    bump_schema_version(&path);
    let before = std::fs::read(&path).unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::NewerSchema { found: 99, .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// Sets `user_version` to 99 by patching the header (offset 60, big-endian), as a newer build would.
fn bump_schema_version(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(path, bytes).unwrap();
}

/// A data folder as schema 1 left it: one finished attempt with a reflection.
fn schema_1_database(dir: &Path) {
    let db = rusqlite::Connection::open(dir.join("mentorsim.sqlite3")).unwrap();
    db.execute_batch(
        r#"
        CREATE TABLE trainees (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
        CREATE TABLE attempts (id TEXT PRIMARY KEY, trainee TEXT NOT NULL REFERENCES trainees(id),
            scenario TEXT NOT NULL, scenario_version INTEGER NOT NULL, scenario_sha256 TEXT NOT NULL,
            rubric TEXT NOT NULL, rubric_version INTEGER NOT NULL, mode TEXT NOT NULL, seed TEXT NOT NULL,
            started TEXT NOT NULL, ended TEXT, passed INTEGER, overall REAL, result TEXT, reflection TEXT);
        CREATE INDEX attempts_by_trainee ON attempts (trainee, started);
        CREATE TABLE steps (attempt TEXT NOT NULL, seq INTEGER NOT NULL, node TEXT NOT NULL,
            choice TEXT, millis INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (attempt, seq));
        INSERT INTO trainees VALUES ('t-old', 'Olive', '2026-11-01T09:00:00.000Z');
        INSERT INTO attempts VALUES ('a-1', 't-old', 'cb-asking-for-a-friend', 1, 'abc', 'mentor-core', 1,
            'assessment', '7', '2026-11-01T09:00:00.000Z', '2026-11-01T09:12:00.000Z', 0, 0.5,
            '{"scores":{"CONF":0.25,"LIS":0.75},"critical":[{"node":"n3","choice":"wait","text":"Let''s wait.","explanation":"Report today."}]}',
            'I rushed it.');
        PRAGMA user_version = 1;
        "#,
    )
    .unwrap();
    drop(db);
}

#[test]
fn a_database_from_schema_1_is_upgraded_with_its_attempts_intact() {
    let dir = tempfile::tempdir().unwrap();
    schema_1_database(dir.path());

    let store = Store::open(dir.path()).unwrap();
    let attempt = store.attempt("a-1").unwrap();
    assert_eq!(attempt.reflection.as_deref(), Some("I rushed it."));
    assert_eq!(attempt.topic, None, "schema 1 did not record the module");
    let summaries = store.summaries(Which::All).unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(
        summaries[0].scores,
        [("CONF".into(), 0.25), ("LIS".into(), 0.75)]
    );
    assert_eq!(&*summaries[0].critical[0], "Let's wait.");
}

#[test]
fn trainee_ids_with_stray_spaces_or_invisible_characters_are_refused_not_trimmed() {
    let store = Store::in_memory().unwrap();
    for (id, says) in [
        (" t1", "starts or ends with a space; write it as `t1`"),
        ("t1 ", "starts or ends with a space"),
        ("t\t1", "U+0009"),
        ("t\u{202E}1", "U+202E"),
        ("t\u{200B}1", "U+200B"),
        ("", "it is empty"),
    ] {
        let refused = store.save_trainee(id, "Kim").unwrap_err();
        let message = refused.to_string();
        assert!(matches!(refused, StoreError::Invalid(_)), "{message}");
        assert!(message.contains(says), "{id:?}: {message}");
    }
    assert!(store.trainees().unwrap().is_empty(), "nothing was saved");
    // Spaces inside an id, and any letters, are fine; the display name is trimmed.
    store.save_trainee("Ana Diaz", "  Ana  ").unwrap();
    store.save_trainee("t-ñ-007", "Ñu").unwrap();
    assert_eq!(store.trainee("Ana Diaz").unwrap().name, "Ana");
}

#[test]
fn credentials_kept_in_delivery_records_by_older_builds_are_removed_on_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = bundled("al-not-college-material");
    let attempt = {
        let store = Store::open(dir.path()).unwrap();
        store.save_trainee("t-1", "Kim").unwrap();
        store
            .begin_attempt("t-1", &scenario, 1, Mode::Practice)
            .unwrap()
    };
    // As schema 3 stored them: the endpoint exactly as given, password and all.
    let path = dir.path().join(mentorsim_records::store::DATABASE_FILE);
    let db = rusqlite::Connection::open(&path).unwrap();
    db.execute_batch(&format!(
        "INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES ('{attempt}', 'https://trainer:hunter2-secret@lrs.example.org/xAPI/', '2026-01-01T00:00:00.000Z', 9);
         INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES ('{attempt}', 'https://lrs.example.org/xAPI/', '2026-02-01T00:00:00.000Z', 9);
         INSERT INTO deliveries (attempt, endpoint, sent, statements) VALUES ('{attempt}', 'http://u:hunter2-secret@127.0.0.1:8100/', '2026-03-01T00:00:00.000Z', 9);
         PRAGMA user_version = 3;"
    ))
    .unwrap();
    drop(db);

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store
            .delivered("https://lrs.example.org/xAPI/")
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.delivered("http://127.0.0.1:8100/").unwrap().len(), 1);
    drop(store);
    let db = rusqlite::Connection::open(&path).unwrap();
    let endpoints: Vec<String> = db
        .prepare("SELECT endpoint FROM deliveries ORDER BY endpoint")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        endpoints,
        ["http://127.0.0.1:8100/", "https://lrs.example.org/xAPI/"]
    );
    drop(db);
    // Not even in the file's free space.
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !bytes.windows(14).any(|w| w == b"hunter2-secret"),
        "the password is gone from the file"
    );
}

/// Opens the data folder from eight threads at once (as the app and `play`, or a test and the
/// command it runs, may) and checks that every one of them gets a working store.
fn open_from_many_at_once(data: &Path) -> Vec<Store> {
    let barrier = std::sync::Barrier::new(8);
    std::thread::scope(|scope| {
        let opened: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    Store::open(data)
                })
            })
            .collect();
        opened
            .into_iter()
            .map(|result| {
                result
                    .join()
                    .unwrap()
                    .expect("every opener gets a working store")
            })
            .collect()
    })
}

#[test]
fn a_new_data_folder_opened_by_many_at_once_is_set_up_once_for_all() {
    for _ in 0..20 {
        let data = tempfile::tempdir().unwrap();
        let stores = open_from_many_at_once(data.path());
        stores[0].save_trainee("t-1", "Kim").unwrap();
        for store in &stores {
            assert_eq!(
                store.trainee("t-1").unwrap().name,
                "Kim",
                "one database for all"
            );
        }
    }
}

#[test]
fn an_old_database_opened_by_many_at_once_is_upgraded_once_and_every_opener_gets_it() {
    for _ in 0..20 {
        let data = tempfile::tempdir().unwrap();
        schema_1_database(data.path());
        for store in open_from_many_at_once(data.path()) {
            let attempt = store.attempt("a-1").unwrap();
            assert_eq!(attempt.reflection.as_deref(), Some("I rushed it."));
        }
    }
}
