//! Re-scoring: a recorded attempt replays to its stored result byte for byte, from the texts
//! stored with it, even after the scenario file changes; a doctored result is caught.

#[path = "support/play.rs"]
mod play;

use mentorsim_core::engine::Mode;
use mentorsim_core::library::Library;
use mentorsim_core::records::Store;
use mentorsim_core::rescore::{RescoreError, rescore};
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
