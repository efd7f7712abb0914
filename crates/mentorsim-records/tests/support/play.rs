//! Playing whole attempts in tests: the strongest or weakest option at every decision,
//! recorded step by step through the same [`RecordedAttempt`] the app and the CLI use.

use std::path::Path;
use std::sync::Arc;

use mentorsim_records::attempt::RecordedAttempt;
use mentorsim_records::store::Store;
use mentorsim_script::engine::{AttemptResult, Mode, Session};
use mentorsim_script::library::Library;
use mentorsim_script::model::Severity;
use mentorsim_script::scenario::Scenario;

/// The bundled library, read from the source tree.
#[allow(dead_code)] // The app crate's tests include this file and use its own bundled library.
pub fn bundled_library() -> Library {
    Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")])
}

/// One assessment form of each module the bundled policy requires: what a trainee plays to be
/// ready.
#[allow(dead_code)] // Only the readiness and records tests build a ready trainee.
pub const ONE_FORM_PER_MODULE: [&str; 6] = [
    "al-nine-years-out",
    "cb-asking-for-a-friend",
    "dep-just-till-the-28th",
    "cf-late-edge",
    "sw-not-tuesdays",
    "ew-one-last-go",
];

/// Which option to take at each decision.
#[derive(Debug, Clone, Copy)]
pub enum Pick {
    /// The most points, never a critical option.
    Strongest,
    /// A critical option when there is one, otherwise the fewest points.
    Weakest,
}

/// The id of the option `pick` takes at the session's current decision.
pub fn choose(session: &Session, pick: Pick) -> String {
    let line = session.current().expect("a line");
    let scenario = session.scenario();
    let node = scenario.node_index(&line.node).expect("node");
    let defs = scenario.choices(node);
    let def = |id: &str| defs.iter().find(|c| c.id == id).expect("offered");
    let points = |id: &str| def(id).effects.iter().sum::<i32>();
    let critical = |id: &str| matches!(def(id).severity, Severity::Critical(_));
    let ids = line.options.iter().map(|o| o.id.as_str());
    match pick {
        Pick::Strongest => ids
            .filter(|id| !critical(id))
            .max_by_key(|id| points(id))
            .expect("a non-critical option"),
        Pick::Weakest => ids
            .min_by_key(|id| (!critical(id), points(id)))
            .expect("an option"),
    }
    .to_owned()
}

/// Plays to the end, recording each action and the result for `trainee`; returns the attempt
/// id and its result.
pub fn play_recorded(
    store: &Store,
    trainee: &str,
    scenario: &Arc<Scenario>,
    seed: u64,
    mode: Mode,
    pick: Pick,
) -> (String, AttemptResult) {
    let mut attempt = RecordedAttempt::start(store, trainee, scenario, seed, mode).unwrap();
    while let Some(line) = attempt.session().current() {
        let saved = if line.options.is_empty() {
            attempt.advance(store).unwrap().saved
        } else {
            let id = choose(attempt.session(), pick);
            attempt.choose_id(store, &id).unwrap().saved
        };
        saved.unwrap();
    }
    let result = attempt.finish(store).unwrap().committed().unwrap();
    (attempt.id().to_owned(), result)
}
