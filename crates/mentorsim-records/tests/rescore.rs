//! Re-scoring: a recorded attempt replays to its stored result byte for byte, from the texts
//! stored with it, even after the scenario file changes; a doctored result is caught.

#[path = "support/play.rs"]
mod play;

use mentorsim_records::rescore::{RescoreError, rescore};
use mentorsim_records::store::Store;
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use play::{Pick, bundled_library, play_recorded};

#[test]
fn a_finished_attempt_reproduces_its_stored_result_exactly() {
    let library = bundled_library();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = library.scenario("dep-just-till-the-28th").unwrap();
    let (attempt, result) =
        play_recorded(&store, "t-1", scenario, 77, Mode::Assessment, Pick::Weakest);
    let rescored = rescore(&store, &attempt, &library).unwrap();
    assert!(rescored.reproduced(), "{:?}", rescored.differences);
    assert_eq!(rescored.replayed, result);
    assert!(rescored.scenario_from.contains("stored with the attempt"));
}

#[test]
fn rescoring_uses_the_text_played_not_the_library_of_today() {
    let library = bundled_library();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = library.scenario("al-not-college-material").unwrap();
    let (attempt, _) = play_recorded(&store, "t-1", scenario, 5, Mode::Practice, Pick::Strongest);
    // Today's library has nothing at all: the stored texts are enough.
    let rescored = rescore(&store, &attempt, &Library::default()).unwrap();
    assert!(rescored.reproduced());
}

#[test]
fn a_doctored_result_is_reported_with_the_fields_that_differ() {
    let dir = tempfile::tempdir().unwrap();
    let library = bundled_library();
    let attempt = {
        let store = Store::open(dir.path()).unwrap();
        store.save_trainee("t-1", "Robin").unwrap();
        let scenario = library.scenario("cb-asking-for-a-friend").unwrap();
        play_recorded(&store, "t-1", scenario, 9, Mode::Assessment, Pick::Weakest).0
    };
    let db = rusqlite::Connection::open(dir.path().join("mentorsim.sqlite3")).unwrap();
    db.execute(
        "UPDATE attempts SET result = json_set(result, '$.passed', json('true'))",
        [],
    )
    .unwrap();
    drop(db);
    let store = Store::open(dir.path()).unwrap();
    let rescored = rescore(&store, &attempt, &library).unwrap();
    assert!(!rescored.reproduced());
    assert_eq!(rescored.differences, ["passed"]);
}

#[test]
fn an_unfinished_or_unknown_attempt_is_a_clear_error() {
    let library = bundled_library();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = library.scenario("al-not-college-material").unwrap();
    let open = store
        .begin_attempt("t-1", scenario, 1, Mode::Practice)
        .unwrap();
    let error = rescore(&store, &open, &library).unwrap_err();
    assert!(matches!(error, RescoreError::Unfinished(_)), "{error}");
    let error = rescore(&store, "no-such-attempt", &library).unwrap_err();
    assert_eq!(
        error.to_string(),
        "no attempt with id `no-such-attempt` in the records"
    );
}

/// A trainer's folder holding the rubric and a copy of `al-not-college-material`; returns the
/// folder and the scenario file.
fn trainers_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    for shared in ["mentor-core.rubric.ron", "mentor-core.modules.ron"] {
        std::fs::copy(bundled.join(shared), folder.path().join(shared)).unwrap();
    }
    let file = folder.path().join("dev.scenario.ron");
    std::fs::copy(
        bundled.join("active-listening/not-college-material.scenario.ron"),
        &file,
    )
    .unwrap();
    (folder, file)
}

#[test]
fn an_attempt_resumed_after_its_file_was_edited_finishes_on_the_text_it_started_on() {
    use mentorsim_records::attempt::RecordedAttempt;
    use std::sync::Arc;

    let (folder, file) = trainers_folder();
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let original = Library::load(&[folder.path().to_owned()]);
    let started_on = Arc::clone(original.scenario("al-not-college-material").unwrap());
    let mut recorded =
        RecordedAttempt::start(&store, "t-1", &started_on, 13, Mode::Assessment).unwrap();
    let attempt = recorded.id().to_owned();
    for _ in 0..3 {
        play_one(&store, &mut recorded);
    }

    // The trainer rewrites every feedback text, without raising the version.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("feedback: \"", "feedback: \"EDITED ")).unwrap();
    let edited = Library::load(&[folder.path().to_owned()]);
    let today = edited.scenario("al-not-college-material").unwrap();
    assert_ne!(today.sha256, started_on.sha256);
    assert_eq!(today.version, started_on.version);

    let stored = store.attempt(&attempt).unwrap();
    let mut recorded = RecordedAttempt::resume(&store, &stored, today).unwrap();
    assert_eq!(
        recorded.session().scenario().sha256,
        started_on.sha256,
        "the text it started on"
    );
    while recorded.session().current().is_some() {
        play_one(&store, &mut recorded);
    }
    recorded.finish(&store).unwrap().committed().unwrap();
    let json = store.result_json(&attempt).unwrap().unwrap();
    assert!(!json.contains("EDITED"), "no edited text in the result");

    // Re-scoring against today's (edited) library still reproduces it from the stored texts.
    let rescored = rescore(&store, &attempt, &edited).unwrap();
    assert!(rescored.reproduced(), "{:?}", rescored.differences);
}

/// Takes the strongest option, or moves on from a line without options, and commits it.
fn play_one(store: &Store, recorded: &mut mentorsim_records::attempt::RecordedAttempt) {
    let line = recorded.session().current().unwrap();
    if line.options.is_empty() {
        recorded.advance(store).unwrap().committed().unwrap();
    } else {
        let id = play::choose(recorded.session(), Pick::Strongest);
        recorded.choose_id(store, &id).unwrap().committed().unwrap();
    }
}

#[test]
fn an_attempt_whose_texts_are_not_stored_cannot_continue_on_an_edited_file() {
    use mentorsim_records::rescore::scenario_to_resume;

    let (folder, file) = trainers_folder();
    let dir = tempfile::tempdir().unwrap();
    let original = Library::load(&[folder.path().to_owned()]);
    let attempt = {
        let store = Store::open(dir.path()).unwrap();
        store.save_trainee("t-1", "Robin").unwrap();
        let scenario = original.scenario("al-not-college-material").unwrap();
        store
            .begin_attempt("t-1", scenario, 2, Mode::Practice)
            .unwrap()
    };
    // As an attempt recorded before schema 2 would be: no texts kept.
    let db = rusqlite::Connection::open(dir.path().join("mentorsim.sqlite3")).unwrap();
    db.execute("DELETE FROM sources", []).unwrap();
    drop(db);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("feedback: \"", "feedback: \"EDITED ")).unwrap();
    let edited = Library::load(&[folder.path().to_owned()]);

    let store = Store::open(dir.path()).unwrap();
    let stored = store.attempt(&attempt).unwrap();
    let today = edited.scenario("al-not-college-material").unwrap();
    let refused = scenario_to_resume(&store, &stored, today).unwrap_err();
    assert!(
        matches!(refused, RescoreError::SourceMissing { .. }),
        "{refused}"
    );
    // The unedited file is still fine to continue on.
    let same = original.scenario("al-not-college-material").unwrap();
    assert!(scenario_to_resume(&store, &stored, same).is_ok());
}

/// Texts recorded before the bounds on points existed can hold numbers that once overflowed
/// on every resume. Such an attempt is now refused with a reason, by `rescore` and by resume,
/// instead of panicking each time it is touched.
#[test]
fn an_attempt_on_a_text_with_overflowing_points_is_refused_not_a_panic_on_every_resume() {
    use mentorsim_records::rescore::scenario_to_resume;

    let library = bundled_library();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = library.scenario("al-not-college-material").unwrap();
    let attempt = store
        .begin_attempt("t-1", scenario, 2, Mode::Practice)
        .unwrap();
    let at = scenario.source.find("effects: {").unwrap();
    let end = at + scenario.source[at..].find('}').unwrap() + 1;
    let overflowing = format!(
        "{}effects: {{\"LIS\": 2000000000, \"COL\": 2000000000}}{}",
        &scenario.source[..at],
        &scenario.source[end..]
    );
    let db = rusqlite::Connection::open(dir.path().join("mentorsim.sqlite3")).unwrap();
    let changed = db
        .execute(
            "UPDATE sources SET text = ?1 WHERE sha256 = ?2",
            rusqlite::params![overflowing, scenario.sha256],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let stored = store.attempt(&attempt).unwrap();
    let edited = library.scenario("al-nine-years-out").unwrap();
    let refused = scenario_to_resume(&store, &stored, edited).unwrap_err();
    assert!(matches!(refused, RescoreError::Rebuild { .. }), "{refused}");
    assert!(
        refused.to_string().contains("[value-out-of-range]"),
        "{refused}"
    );
}

/// An attempt played under a program's contacts keeps the values its trainee was shown: the
/// replay shows them again whatever the library of today is filled with, and a damaged record
/// of them is named, not guessed.
#[test]
fn the_contacts_an_attempt_was_shown_are_kept_and_shown_again_on_replay() {
    use mentorsim_records::rescore::played_scenario;
    use mentorsim_script::contacts::Contacts;

    let dir = tempfile::tempdir().unwrap();
    let mut library = bundled_library();
    let program = Contacts(
        [("emergency_number".to_owned(), "112-TEST".to_owned())]
            .into_iter()
            .collect(),
    );
    library.fill_contacts(&program);
    let scenario = library.scenario("cb-stays-between-us").unwrap();
    assert!(scenario.persona.background.contains("call 112-TEST"));
    let (attempt, result) = {
        let store = Store::open(dir.path()).unwrap();
        store.save_trainee("t-1", "Robin").unwrap();
        play_recorded(
            &store,
            "t-1",
            scenario,
            4,
            Mode::Assessment,
            Pick::Strongest,
        )
    };

    let store = Store::open(dir.path()).unwrap();
    let recorded = store.attempt(&attempt).unwrap();
    assert_eq!(recorded.contacts["emergency_number"], "112-TEST");
    assert_eq!(recorded.contacts["crisis_line"], "Samaritans (116 123)");
    for today in [bundled_library(), Library::default()] {
        let rescored = rescore(&store, &attempt, &today).unwrap();
        assert!(rescored.reproduced(), "{:?}", rescored.differences);
        assert_eq!(rescored.replayed, result);
        let (replayed, _) = played_scenario(&store, &recorded, &today).unwrap();
        assert!(replayed.persona.background.contains("call 112-TEST"));
    }
    drop(store);

    let db = rusqlite::Connection::open(dir.path().join("mentorsim.sqlite3")).unwrap();
    db.execute("UPDATE attempts SET contacts = '[1, 2'", [])
        .unwrap();
    drop(db);
    let store = Store::open(dir.path()).unwrap();
    let damaged = store.attempt(&attempt).unwrap_err().to_string();
    assert!(damaged.contains("damaged contacts"), "{damaged}");
}
