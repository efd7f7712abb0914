//! The corpus of broken files in `tests/corpus/`: each file states on its first lines the
//! findings it must produce (`// expect: error unknown-node 17:77`), and must produce exactly
//! those. Also: nothing panics, whatever bytes a file holds.

mod support;

use std::path::{Path, PathBuf};

use mentorsim_script::diagnostic::{Severity, render};
use mentorsim_script::library::Library;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn findings(path: &Path) -> (Vec<String>, String) {
    let library = Library::load(&[path.to_path_buf()]);
    let found = library
        .diagnostics
        .iter()
        .map(|d| {
            let severity = if d.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            format!("{severity} {} {}:{}", d.code, d.line, d.column)
        })
        .collect();
    (
        found,
        render(&library.diagnostics, |f| library.source(f), false),
    )
}

#[test]
fn every_corpus_file_reports_exactly_its_expected_findings_at_their_place() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".scenario.ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "the corpus is there");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut expected: Vec<String> = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map_while(|l| l.strip_prefix("// expect: "))
            .map(str::to_owned)
            .collect();
        let (mut found, report) = findings(file);
        expected.sort();
        found.sort();
        if expected != found {
            failures.push(format!(
                "{}\n  expected {expected:?}\n  found    {found:?}\n{report}",
                file.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_bytes(name: &str, bytes: &[u8]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!("mentorsim-robust-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.scenario.ron"));
    std::fs::write(&path, bytes).unwrap();
    let (found, _) = findings(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    found
}

#[test]
fn an_empty_file_is_a_located_syntax_error() {
    assert_eq!(check_bytes("empty", b""), ["error syntax 1:1"]);
}

#[test]
fn random_bytes_give_an_error_not_a_panic() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    for round in 0..200 {
        let len = (round * 37) % 2000;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let found = check_bytes(&format!("random{round}"), &bytes);
        assert!(
            found.iter().any(|f| f.starts_with("error ")),
            "round {round}: {found:?}"
        );
    }
}

#[test]
fn text_that_is_not_utf8_is_reported_where_it_stops_being_text() {
    assert_eq!(
        check_bytes("latin1", b"Scenario(\n  id: \"caf\xe9\""),
        ["error not-utf8 2:11"]
    );
}

#[test]
fn deeply_nested_values_are_refused_without_overflowing_the_stack() {
    let deep = format!(
        "Scenario(id: {}1{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let found = check_bytes("deep", deep.as_bytes());
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("error syntax 1:"), "{found:?}");
}

#[test]
fn a_fifty_megabyte_file_is_checked_without_trouble() {
    let mut big = String::from("Scenario(\n  id: \"big\",\n  summary: \"");
    big.push_str(&"x".repeat(50 * 1024 * 1024));
    big.push_str("\",\n)");
    let found = check_bytes("big", big.as_bytes());
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("error syntax"), "{found:?}");
}

/// A scenario this large is read and built in two halves on two threads: the errors of both
/// halves are all reported, in the order of the file.
#[test]
fn a_large_scenario_reports_every_error_in_file_order() {
    let text = support::scenario_ron(support::Shape {
        seed: 9,
        layers: 1_000,
        width: 10,
        choices: 3,
        variables: true,
        critical: true,
    });
    let mut broken = text.clone();
    let late = text.rfind(r#"next: "n990-"#).unwrap();
    broken.replace_range(late..late + 12, r#"next: "gone-late-"#);
    let early = text.find(r#"next: "n3-"#).unwrap();
    broken.replace_range(early..early + 10, r#"next: "gone-early-"#);

    let library = support::library_of(&broken);
    let unknown: Vec<_> = library
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "unknown-node")
        .collect();
    assert_eq!(unknown.len(), 2, "{:#?}", library.diagnostics);
    assert!(
        unknown[0].message.contains("gone-early-"),
        "{}",
        unknown[0].message
    );
    assert!(
        unknown[1].message.contains("gone-late-"),
        "{}",
        unknown[1].message
    );
    assert!(unknown[0].line < unknown[1].line);
    assert_eq!(library.error_count(), 2);
}

#[test]
fn a_rubric_asking_assessments_for_no_evidence_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = std::fs::read_to_string(corpus().join("corpus.rubric.ron"))
        .unwrap()
        .replacen("    levels:", "    min_evidence: 0,\n    levels:", 1);
    let path = dir.path().join("corpus.rubric.ron");
    std::fs::write(&path, &rubric).unwrap();
    let line = rubric
        .lines()
        .position(|l| l.contains("min_evidence"))
        .unwrap()
        + 1;
    let (found, report) = findings(&path);
    assert_eq!(
        found,
        [format!("error value-out-of-range {line}:19")],
        "{report}"
    );
    assert!(report.contains("it must be 1 to 100"), "{report}");
}
