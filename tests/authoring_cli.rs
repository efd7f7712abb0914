//! The trainers' command line: `graph` (the DOT really renders with Graphviz), `new` (a scaffold
//! that passes `check` and never overwrites), `analytics` (pick rates from the records) and
//! `play --from` (a rehearsal from any node with chosen values, never recorded).

#[path = "support/binary.rs"]
mod binary;
#[path = "../crates/mentorsim-records/tests/support/play.rs"]
mod play;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use binary::{mentorsim, text};
use mentorsim_records::store::Store;
use mentorsim_script::engine::{AttemptResult, Mode, Rehearsal, Session};
use play::{Pick, play_recorded};

const SCENARIO: &str = "cb-asking-for-a-friend";

/// Renders DOT with Graphviz; returns its exit status and error output.
fn graphviz(dot: &[u8]) -> (bool, String) {
    let mut child = Command::new("dot")
        .args(["-Tsvg", "-o", "/dev/null"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (.ci/run installs it)");
    child.stdin.take().unwrap().write_all(dot).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), text(&out.stderr))
}

/// Three attempts at SCENARIO: one strong, two weak (each with a critical error).
fn records(dir: &Path) {
    let library = mentorsim::bundled::library();
    let store = Store::open(dir).unwrap();
    store.save_trainee("t-1", "Ada").unwrap();
    let scenario = library.scenario(SCENARIO).unwrap();
    play_recorded(&store, "t-1", scenario, 1, Mode::Practice, Pick::Strongest);
    play_recorded(&store, "t-1", scenario, 2, Mode::Assessment, Pick::Weakest);
    play_recorded(&store, "t-1", scenario, 3, Mode::Assessment, Pick::Weakest);
}

#[test]
fn every_bundled_scenario_graph_renders_with_graphviz() {
    let data = tempfile::tempdir().unwrap();
    for id in mentorsim::bundled::library().scenario_ids() {
        let out = mentorsim(data.path(), &["graph", id, "--format", "dot"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (rendered, errors) = graphviz(&out.stdout);
        assert!(rendered && errors.is_empty(), "{id}: {errors}");
    }
    let mermaid = mentorsim(data.path(), &["graph", SCENARIO, "--format", "mermaid"]);
    assert!(text(&mermaid.stdout).starts_with("flowchart LR\n"));
}

#[test]
fn graph_with_picks_draws_how_often_each_option_was_taken() {
    let data = tempfile::tempdir().unwrap();
    records(data.path());
    let out = mentorsim(data.path(), &["graph", SCENARIO, "--picks"]);
    let dot = text(&out.stdout);
    assert!(dot.contains("67%") && dot.contains("33%"), "{dot}");
    assert!(
        dot.contains("penwidth=5.7"),
        "two picks in three draw thick"
    );
    assert!(graphviz(dot.as_bytes()).0);
}

#[test]
fn graph_of_an_unknown_scenario_names_the_ones_there_are() {
    let data = tempfile::tempdir().unwrap();
    let out = mentorsim(data.path(), &["graph", "cb-asking-for-a-frend"]);
    assert_eq!(out.status.code(), Some(1));
    let message = text(&out.stderr);
    assert!(
        message.contains("there is no scenario `cb-asking-for-a-frend` in the bundled library")
            && message.contains(SCENARIO),
        "{message}"
    );
}

#[test]
fn a_new_scenario_passes_check_and_shows_every_feature_and_is_never_overwritten() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("mine");
    let dir = folder.to_str().unwrap();
    let new = || {
        mentorsim(
            data.path(),
            &[
                "new",
                "--topic",
                "dependency",
                "dep-missed-sessions",
                "--dir",
                dir,
            ],
        )
    };
    let out = new();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = folder.join("dep-missed-sessions.scenario.ron");
    let scaffold = std::fs::read_to_string(&file).unwrap();
    for feature in [
        "topic: \"dependency\"",
        "persona:",
        "variables:",
        "variants:",
        "state:",
        "when:",
        "Branch(",
        "codes:",
        "Major(",
        "Critical(",
        "content_notes:",
        "Ending(",
        "competencies: {\"SAFE\"",
    ] {
        assert!(scaffold.contains(feature), "the scaffold shows {feature}");
    }
    assert!(
        folder.join("mentor-core.rubric.ron").exists()
            && folder.join("mentor-core.modules.ron").exists(),
        "the folder checks on its own"
    );
    let check = mentorsim(data.path(), &["check", "--deny-warnings", dir]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let played = mentorsim(
        data.path(),
        &["graph", "dep-missed-sessions", "--library", dir],
    );
    assert!(graphviz(&played.stdout).0);

    std::fs::write(&file, "my edits").unwrap();
    let again = new();
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists; nothing was changed"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my edits");

    let bad = mentorsim(data.path(), &["new", "--topic", "dependency", "Bad Id"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("is not a usable id"));

    let unknown = mentorsim(
        data.path(),
        &["new", "--topic", "dependancy", "dep-other", "--dir", dir],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("did you mean `dependency`?"),
        "{}",
        text(&unknown.stderr)
    );
    assert!(!folder.join("dep-other.scenario.ron").exists());
}

/// Whatever title is typed (backslashes, quotes, a line break), the new file checks and keeps
/// the title exactly; an empty title is refused before anything is written.
#[test]
fn a_title_with_backslashes_quotes_and_line_breaks_comes_back_unchanged() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("lib");
    let dir = folder.to_str().unwrap();
    let title = "Back\\slash \"quoted\"\nnext line";
    let made = mentorsim(
        data.path(),
        &[
            "new",
            "--topic",
            "dependency",
            "dep-odd",
            "--dir",
            dir,
            "--title",
            title,
        ],
    );
    assert!(made.status.success(), "{}", text(&made.stderr));
    let library = mentorsim_script::library::Library::load(std::slice::from_ref(&folder));
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    assert_eq!(library.scenario("dep-odd").unwrap().title, title);

    let empty = mentorsim(
        data.path(),
        &[
            "new",
            "--topic",
            "dependency",
            "dep-empty",
            "--dir",
            dir,
            "--title",
            " ",
        ],
    );
    assert_eq!(empty.status.code(), Some(1));
    assert!(text(&empty.stderr).contains("--title is empty"));
    assert!(!folder.join("dep-empty.scenario.ron").exists());
}

#[test]
fn analytics_show_pick_rates_per_decision_and_the_most_common_critical_errors() {
    let data = tempfile::tempdir().unwrap();
    records(data.path());
    let out = mentorsim(data.path(), &["analytics", SCENARIO]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains("3 attempt(s) recorded, 3 finished"),
        "{report}"
    );
    assert!(report.contains("3 pick(s)"), "{report}");
    assert!(report.contains("  67% ##########"), "{report}");
    let critical = report.split("Most common critical errors:").nth(1).unwrap();
    assert!(critical.trim_start().starts_with("2 x"), "{report}");

    let json = mentorsim(data.path(), &["analytics", SCENARIO, "--json"]);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(parsed["attempts"], 3);
    assert_eq!(parsed["critical"][0]["count"], 2);
    assert_eq!(parsed["decisions"][0]["picks"], 3);
}

/// Plays a rehearsal in-process, always the first option, and gives its `--choices` list.
/// Plays option 1 at every decision in-process, on the library as `play` shows it: with the
/// bundled policy's contacts in the texts.
fn first_options(scenario: &str, rehearsal: Rehearsal, seed: u64) -> (String, AttemptResult) {
    let mut library = mentorsim::bundled::library();
    let policy =
        mentorsim_records::policy::from_source(&mentorsim::bundled::policy(), &library).unwrap();
    library.fill_contacts(&policy.policy.contacts);
    let scenario = Arc::clone(library.scenario(scenario).unwrap());
    let mut session = Session::rehearse(scenario, rehearsal, seed, Mode::Assessment).unwrap();
    let mut picks = Vec::new();
    while let Some(line) = session.current() {
        if line.options.is_empty() {
            session.advance().unwrap();
        } else {
            session.choose(1).unwrap();
            picks.push("1");
        }
    }
    (picks.join(","), session.result().unwrap())
}

#[test]
fn play_from_a_node_with_set_values_rehearses_that_branch_and_records_nothing() {
    let data = tempfile::tempdir().unwrap();
    let scenario = "cb-promise-you-wont-tell";
    for (trust, first_line) in [("3", "scared-mum"), ("0", "taking-back")] {
        let rehearsal = Rehearsal {
            node: "trust-check".into(),
            variables: [("trust".to_owned(), trust.parse().unwrap())].into(),
        };
        let (choices, expected) = first_options(scenario, rehearsal.clone(), 4);
        let set = format!("trust={trust}");
        let out = mentorsim(
            data.path(),
            &[
                "play",
                scenario,
                "--from",
                "trust-check",
                "--set",
                &set,
                "--seed",
                "4",
                "--mode",
                "assessment",
                "--choices",
                &choices,
                "--json",
            ],
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let result: AttemptResult = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(result.path[..2], ["trust-check", first_line]);
        assert_eq!(result.rehearsal, Some(rehearsal));
        assert_eq!(result, expected);
        assert!(text(&out.stderr).contains("Rehearsal from `trust-check` with "));
    }
    let recorded = mentorsim(
        data.path(),
        &[
            "play",
            scenario,
            "--from",
            "trust-check",
            "--trainee",
            "t-1",
        ],
    );
    assert_eq!(
        recorded.status.code(),
        Some(2),
        "a rehearsal cannot be recorded"
    );
    assert!(text(&recorded.stderr).contains("cannot be used with"));
}

#[test]
fn a_bad_rehearsal_says_what_to_fix() {
    let data = tempfile::tempdir().unwrap();
    let refused = |args: &[&str]| {
        let mut all = vec!["play", SCENARIO, "--choices", "1"];
        all.extend_from_slice(args);
        let out = mentorsim(data.path(), &all);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        text(&out.stderr)
    };
    assert!(refused(&["--from", "nowhere"]).contains("there is no node `nowhere`"));
    assert!(refused(&["--from", "library", "--set", "trust"]).contains("is not NAME=VALUE"));
    let unknown = refused(&["--from", "library", "--set", "mood=2"]);
    assert!(
        unknown.contains("has no variable `mood`; it declares:"),
        "{unknown}"
    );
}
