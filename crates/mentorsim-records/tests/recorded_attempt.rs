//! A recorded attempt: every move is in the records before the next line is shown, a refused
//! move writes nothing, a failed write leaves the conversation moved on and says so, and an
//! unfinished attempt resumes where it stopped.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use mentorsim_records::attempt::RecordedAttempt;
use mentorsim_records::store::{Store, StoreError};
use mentorsim_script::engine::{Action, Mode, PlayError};
use mentorsim_script::library::Library;
use mentorsim_script::scenario::Scenario;

fn scenario() -> Arc<Scenario> {
    let library = Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")]);
    Arc::clone(library.scenario("al-not-college-material").unwrap())
}

/// A data folder with a trainee in it.
fn records() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Store::open(dir.path())
        .unwrap()
        .save_trainee("t-1", "Robin")
        .unwrap();
    dir
}

/// The steps of the attempt as another process would read them now.
fn steps_on_disk(dir: &tempfile::TempDir, attempt: &str) -> Vec<(String, Action)> {
    Store::open_read_only(dir.path())
        .unwrap()
        .attempt(attempt)
        .unwrap()
        .steps
        .into_iter()
        .map(|step| (step.node, step.action))
        .collect()
}

#[test]
fn every_move_is_on_disk_before_the_next_line_with_the_option_shown_at_that_position() {
    let dir = records();
    let store = Store::open(dir.path()).unwrap();
    let scenario = scenario();
    let mut recorded = RecordedAttempt::start(&store, "t-1", &scenario, 4, Mode::Practice).unwrap();
    assert!(steps_on_disk(&dir, recorded.id()).is_empty());

    let mut expected = Vec::new();
    for _ in 0..6 {
        let line = recorded.session().current().unwrap();
        if line.options.is_empty() {
            recorded.advance(&store).unwrap().committed().unwrap();
            expected.push((line.node, Action::Continue));
        } else {
            let position = line.options.len();
            let feedback = recorded
                .choose(&store, position)
                .unwrap()
                .committed()
                .unwrap();
            let chosen = &line.options[position - 1].id;
            assert_eq!(feedback.map(|f| f.id).as_ref(), Some(chosen), "practice");
            expected.push((line.node, Action::Choose(chosen.clone())));
        }
        assert_eq!(steps_on_disk(&dir, recorded.id()), expected);
    }
    assert_eq!(
        expected
            .iter()
            .map(|(_, action)| action.clone())
            .collect::<Vec<_>>(),
        recorded.session().state().actions
    );
}

#[test]
fn a_refused_move_changes_and_writes_nothing() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = scenario();
    let mut recorded =
        RecordedAttempt::start(&store, "t-1", &scenario, 4, Mode::Assessment).unwrap();
    while recorded.session().current().unwrap().options.is_empty() {
        recorded.advance(&store).unwrap().committed().unwrap();
    }
    let before = recorded.session().state();
    let count = recorded.session().current().unwrap().options.len();

    for position in [0, count + 1] {
        assert_eq!(
            recorded.choose(&store, position).unwrap_err(),
            PlayError::NoSuchPosition { position, count }
        );
    }
    assert!(matches!(
        recorded.choose_id(&store, "no-such-option").unwrap_err(),
        PlayError::NoSuchChoice { .. }
    ));
    assert!(matches!(
        recorded.advance(&store).unwrap_err(),
        PlayError::NeedsChoice(_)
    ));
    assert!(
        recorded.finish(&store).is_none(),
        "no result before the ending"
    );

    assert_eq!(recorded.session().state(), before);
    let stored = store.attempt(recorded.id()).unwrap();
    assert_eq!(stored.session_state(), before);
}

#[test]
fn a_write_that_fails_leaves_the_conversation_moved_on_and_says_so() {
    let dir = records();
    let store = Store::open(dir.path()).unwrap();
    let scenario = scenario();
    let mut recorded = RecordedAttempt::start(&store, "t-1", &scenario, 4, Mode::Practice).unwrap();
    let before = recorded.session().state().actions.len();

    let reader = Store::open_read_only(dir.path()).unwrap();
    let line = recorded.session().current().unwrap();
    let saved = if line.options.is_empty() {
        recorded.advance(&reader).unwrap().saved
    } else {
        recorded.choose(&reader, 1).unwrap().saved
    };
    assert!(
        matches!(saved, Err(StoreError::ReadOnly { .. })),
        "{saved:?}"
    );
    assert_eq!(recorded.session().state().actions.len(), before + 1);
    assert!(steps_on_disk(&dir, recorded.id()).is_empty());
}

#[test]
fn an_unfinished_attempt_resumes_where_it_stopped_and_finishes_once() {
    let dir = records();
    let scenario = scenario();
    let (attempt, where_it_stopped) = {
        let store = Store::open(dir.path()).unwrap();
        let mut recorded =
            RecordedAttempt::start(&store, "t-1", &scenario, 8, Mode::Assessment).unwrap();
        for _ in 0..4 {
            play_first(&store, &mut recorded);
        }
        (recorded.id().to_owned(), recorded.session().state())
    };

    let store = Store::open(dir.path()).unwrap();
    let open = store.open_attempts("t-1").unwrap();
    let mut recorded = RecordedAttempt::resume(&store, &open[0], &scenario).unwrap();
    assert_eq!(recorded.id(), attempt);
    assert_eq!(recorded.session().state(), where_it_stopped);
    while recorded.session().current().is_some() {
        play_first(&store, &mut recorded);
    }
    let result = recorded.finish(&store).unwrap().committed().unwrap();
    recorded.finish(&store).unwrap().committed().unwrap();

    let stored = store.attempt(&attempt).unwrap();
    assert_eq!(stored.passed, Some(result.passed));
    assert_eq!(stored.session_state().actions, result.actions);
    assert_eq!(store.finished_attempts(Some("t-1"), None).unwrap().len(), 1);
}

#[test]
fn the_step_clock_runs_from_when_the_line_was_shown() {
    let store = Store::in_memory().unwrap();
    store.save_trainee("t-1", "Robin").unwrap();
    let scenario = scenario();
    let mut recorded = RecordedAttempt::start(&store, "t-1", &scenario, 4, Mode::Practice).unwrap();
    std::thread::sleep(Duration::from_millis(40));
    play_first(&store, &mut recorded);
    // Practice feedback was on show meanwhile; the next line appears when it is dismissed.
    std::thread::sleep(Duration::from_millis(300));
    recorded.line_shown();
    play_first(&store, &mut recorded);

    let steps = store.attempt(recorded.id()).unwrap().steps;
    assert!(steps[0].millis >= 40, "{}", steps[0].millis);
    assert!(steps[1].millis < 300, "{}", steps[1].millis);
}

/// Takes the first option, or moves on from a line without options.
fn play_first(store: &Store, recorded: &mut RecordedAttempt) {
    if recorded.session().current().unwrap().options.is_empty() {
        recorded.advance(store).unwrap().committed().unwrap();
    } else {
        recorded.choose(store, 1).unwrap().committed().unwrap();
    }
}
