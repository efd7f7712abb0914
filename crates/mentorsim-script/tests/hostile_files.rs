//! Files written to break mentorsim: nesting deep enough to overflow a stack, numbers at the
//! edge of their type, libraries that loop back on themselves, pipes and undecodable names.
//! Each ends in located findings, never a crash, a hang or runaway memory.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use mentorsim_script::engine::{Mode, Session};
use mentorsim_script::library::Library;
use mentorsim_script::limits::{CONDITION_DEPTH, MAX_EFFECT};
use support::{Shape, library_of, scenario_ron};

/// A scenario of 5,000 lines: large enough to be read and built on two threads, where a
/// deep recursion once overflowed the smaller stack of the worker thread.
fn large() -> String {
    scenario_ron(Shape {
        seed: 4,
        layers: 500,
        width: 10,
        choices: 3,
        variables: true,
        critical: false,
    })
}

/// The `when` of the last conditional choice, replaced by `condition`.
fn with_last_condition(text: &str, condition: &str) -> String {
    let at = text.rfind(r#"when: "trust >= "#).unwrap();
    let end = at + text[at + 7..].find('"').unwrap() + 8;
    format!("{}when: \"{condition}\"{}", &text[..at], &text[end..])
}

/// The codes of the errors found (the generated scenarios also draw harmless warnings).
fn codes(library: &Library) -> Vec<&'static str> {
    library
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn conditions_nested_past_the_limit_are_a_located_error_even_on_a_worker_thread() {
    let text = large();
    for condition in [
        format!("{}trust >= 1{}", "(".repeat(20_000), ")".repeat(20_000)),
        format!("{}trust >= 1", "not ".repeat(100_000)),
    ] {
        let library = library_of(&with_last_condition(&text, &condition));
        assert_eq!(codes(&library), ["condition-too-deep"]);
        let finding = library.diagnostics.iter().find(|d| d.is_error()).unwrap();
        assert!(finding.message.contains(&CONDITION_DEPTH.to_string()));
        let half = text.lines().count() / 2;
        assert!(finding.line > half, "in the second half: {finding:?}");
    }
}

#[test]
fn a_chain_of_two_hundred_thousand_terms_checks_and_plays() {
    let chain = vec!["trust >= 0"; 200_000].join(" and ");
    let text = with_last_condition(&large(), &chain);
    let library = library_of(&text);
    assert_eq!(library.error_count(), 0, "{:?}", codes(&library));
    let scenario = Arc::clone(&library.scenarios[0].scenario.clone().unwrap());
    let mut session = Session::start(scenario, 1, Mode::Practice).unwrap();
    while let Some(line) = session.current() {
        if line.options.is_empty() {
            session.advance().unwrap();
        } else {
            session.choose(line.options.len()).unwrap();
        }
    }
    assert!(session.result().is_some());
}

#[test]
fn a_branch_route_nested_past_the_limit_is_refused() {
    let deep = format!("{}trust >= 3{}", "(".repeat(5_000), ")".repeat(5_000));
    let text = large().replacen(
        r#"Route(when: "trust >= 3""#,
        &format!(r#"Route(when: "{deep}""#),
        1,
    );
    assert_eq!(codes(&library_of(&text)), ["condition-too-deep"]);
}

/// The text with the first option's points replaced by `effects`.
fn with_first_effects(text: &str, effects: &str) -> String {
    let at = text.find("effects: {").unwrap();
    let end = at + text[at..].find('}').unwrap() + 1;
    format!("{}effects: {{{effects}}}{}", &text[..at], &text[end..])
}

#[test]
fn points_beyond_the_bounds_are_refused_before_anything_adds_them() {
    let text = large();
    let huge = with_first_effects(&text, r#""A": 2000000000, "B": 2000000000"#);
    assert_eq!(
        codes(&library_of(&huge)),
        ["value-out-of-range", "value-out-of-range"]
    );
    let edges = with_first_effects(&text, r#""A": 2147483647, "B": -2147483648"#);
    assert_eq!(
        codes(&library_of(&edges)),
        ["value-out-of-range", "value-out-of-range"]
    );
    let at_bound = with_first_effects(&text, &format!(r#""A": {MAX_EFFECT}, "B": -{MAX_EFFECT}"#));
    assert_eq!(library_of(&at_bound).error_count(), 0);
}

#[test]
fn variables_beyond_the_bounds_are_refused() {
    let text = large().replace(
        r#""trust": (start: 2, min: 0, max: 4)"#,
        r#""trust": (start: 2, min: -2147483648, max: 2147483647)"#,
    );
    let library = library_of(&text);
    assert_eq!(
        codes(&library),
        ["value-out-of-range", "value-out-of-range"]
    );
}

#[test]
fn thousands_of_links_to_missing_nodes_are_all_reported_with_bounded_suggestions() {
    let text = scenario_ron(Shape {
        seed: 5,
        layers: 2_000,
        width: 10,
        choices: 2,
        variables: false,
        critical: false,
    });
    let broken = text.replace(r#"next: "n"#, r#"next: "m"#);
    let library = library_of(&broken);
    let unknown: Vec<_> = library
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-node")
        .collect();
    assert!(unknown.len() > 20_000, "{}", unknown.len());
    assert_eq!(
        unknown[0].hint, "did you mean `n1-0`?",
        "the first links get suggestions"
    );
    assert_eq!(
        unknown.last().unwrap().hint,
        "check the spelling against the ids in this file",
        "later ones do not, once the budget is spent"
    );
}

/// A scenario and the rubric and modules it needs, in a fresh folder.
fn library_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("synthetic.rubric.ron"), support::RUBRIC).unwrap();
    std::fs::write(dir.path().join("synthetic.modules.ron"), support::MODULES).unwrap();
    std::fs::write(
        dir.path().join("small.scenario.ron"),
        scenario_ron(Shape {
            seed: 1,
            layers: 6,
            width: 2,
            choices: 3,
            variables: false,
            critical: false,
        }),
    )
    .unwrap();
    dir
}

/// Runs `f` on another thread and fails the test instead of hanging when it does not return.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(f()).unwrap());
    receive
        .recv_timeout(Duration::from_secs(60))
        .expect("it hung")
}

#[cfg(unix)]
#[test]
fn links_back_into_the_library_are_followed_once() {
    let dir = library_folder();
    std::os::unix::fs::symlink(".", dir.path().join("again")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("and-again")).unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("absolute")).unwrap();
    let path = dir.path().to_owned();
    let library = within_a_minute(move || Library::load(&[path]));
    assert_eq!(library.error_count(), 0, "{:?}", codes(&library));
    assert_eq!(library.scenarios.len(), 1);
    assert_eq!(library.rubrics.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_library_nested_past_the_depth_limit_says_so() {
    let dir = library_folder();
    let mut deep = dir.path().to_owned();
    for level in 0..40 {
        deep.push(format!("l{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::copy(
        dir.path().join("small.scenario.ron"),
        deep.join("deep.scenario.ron"),
    )
    .unwrap();
    let library = Library::load(&[dir.path().to_owned()]);
    assert_eq!(codes(&library), ["folder-too-deep"]);
    assert_eq!(library.scenarios.len(), 1);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let dir = library_folder();
    let fifo = dir.path().join("x.scenario.ron");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for path in [dir.path().to_owned(), fifo] {
        let library = within_a_minute(move || Library::load(&[path]));
        assert_eq!(codes(&library), ["not-a-file"]);
        assert!(library.diagnostics[0].message.contains("named pipe"));
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_is_reported() {
    use std::os::unix::ffi::OsStrExt;
    let dir = library_folder();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.scenario.ron");
    std::fs::write(dir.path().join(name), "Scenario()").unwrap();
    std::fs::write(
        dir.path().join(std::ffi::OsStr::from_bytes(b"\xff.png")),
        "",
    )
    .unwrap();
    let library = Library::load(&[dir.path().to_owned()]);
    assert_eq!(codes(&library), ["bad-file-name"]);
    assert!(library.diagnostics[0].file.contains("caf"));
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    let dir = library_folder();
    let file = dir.path().join("small.scenario.ron");
    let mut text = b"\xEF\xBB\xBF".to_vec();
    text.extend(std::fs::read(&file).unwrap());
    std::fs::write(&file, text).unwrap();
    let library = Library::load(&[dir.path().to_owned()]);
    assert_eq!(library.error_count(), 0, "{:?}", codes(&library));
    assert!(Path::new(&library.scenarios[0].file).ends_with("small.scenario.ron"));
}
