//! Playing whole attempts in tests: the strongest or weakest option at every decision,
//! recorded step by step as the app and the CLI record them.

use std::path::Path;
use std::sync::Arc;

use mentorsim_records::store::Store;
use mentorsim_script::engine::{Action, AttemptResult, Mode, Session};
use mentorsim_script::library::Library;
use mentorsim_script::model::Severity;
use mentorsim_script::scenario::Scenario;

/// The bundled library, read from the source tree.
#[allow(dead_code)] // The app crate's tests include this file and use its own bundled library.
pub fn bundled_library() -> Library {
    Library::load(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")])
}

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
    let attempt = store.begin_attempt(trainee, scenario, seed, mode).unwrap();
    let mut session = Session::start(Arc::clone(scenario), seed, mode).unwrap();
    while let Some(line) = session.current() {
        let seq = session.state().actions.len();
        let action = if line.options.is_empty() {
            session.advance().unwrap();
            Action::Continue
        } else {
            let id = choose(&session, pick);
            session.choose_id(&id).unwrap();
            Action::Choose(id)
        };
        store
            .record_step(&attempt, seq, &line.node, &action, 900)
            .unwrap();
    }
    let result = session.result().unwrap();
    store.finish_attempt(&attempt, &result).unwrap();
    (attempt, result)
}
