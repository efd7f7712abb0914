//! The bundled library in `scenarios/` is the product: every file must check clean, and every
//! scenario must be able to tell a ready trainee from one who is not.

use std::path::PathBuf;

use mentorsim_core::diagnostic::render;
use mentorsim_core::library::Library;
use mentorsim_core::model::Topic;

fn bundled() -> Library {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    Library::load(&[dir])
}

#[test]
fn bundled_library_checks_without_errors_or_warnings() {
    let library = bundled();
    let report = render(&library.diagnostics, |f| library.source(f), false);
    for entry in &library.scenarios {
        if let Some(analysis) = &entry.analysis {
            println!("{}: {:?}", entry.file, analysis.stats);
        }
    }
    assert!(library.diagnostics.is_empty(), "{report}");
}

#[test]
fn every_module_has_a_scenario() {
    let library = bundled();
    for topic in Topic::ALL {
        assert!(
            library
                .scenarios
                .iter()
                .filter_map(|e| e.scenario.as_ref())
                .any(|s| s.topic == topic),
            "no playable scenario for {}",
            topic.title()
        );
    }
}

#[test]
fn every_scenario_can_be_both_passed_and_failed() {
    let library = bundled();
    for entry in &library.scenarios {
        let stats = &entry.analysis.as_ref().expect("analysed").stats;
        assert_eq!(
            stats.pass_reachable,
            Some(true),
            "{} cannot be passed",
            entry.file
        );
        assert_eq!(
            stats.fail_reachable,
            Some(true),
            "{} cannot be failed",
            entry.file
        );
    }
}
