//! Modules are data: a library's `*.modules.ron` declares them, scenarios name one by id, and
//! every mistake in either is a located error with a fix.

mod support;

use mentorsim_script::library::{Library, SourceFile};
use mentorsim_script::load::FileKind;
use mentorsim_script::source::SourceText;
use support::{RUBRIC, Shape, scenario_ron};

fn file(kind: FileKind, name: &str, text: &str) -> SourceFile {
    SourceFile {
        kind,
        source: SourceText::new(name, text.to_owned()),
    }
}

/// A small scenario whose `topic` is written as `topic`.
fn scenario_in(id: &str, topic: &str) -> String {
    scenario_ron(Shape {
        seed: 1,
        layers: 6,
        width: 2,
        choices: 3,
        variables: false,
        critical: false,
    })
    .replace("synthetic-1", id)
    .replace("topic: ActiveListening", &format!("topic: {topic}"))
}

fn library(modules: &[(&str, &str)], scenarios: &[(&str, String)]) -> Library {
    let mut files = vec![file(FileKind::Rubric, "s.rubric.ron", RUBRIC)];
    files.extend(
        modules
            .iter()
            .map(|(name, text)| file(FileKind::Modules, name, text)),
    );
    files.extend(
        scenarios
            .iter()
            .map(|(name, text)| file(FileKind::Scenario, name, text)),
    );
    Library::from_sources(files, |_, _| None)
}

/// The errors (generated scenarios may carry warnings of their own).
fn findings(library: &Library) -> Vec<String> {
    library
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {} {}", d.location(), d.code, d.hint))
        .collect()
}

const TWO: &str = r#"Modules(modules: [
    (id: "ending-well", title: "Ending well", order: 6, required: false),
    (id: "starting-well", title: "Starting well", order: 0, description: "The first meeting."),
])"#;

#[test]
fn a_program_adds_a_module_without_code_and_its_scenarios_join_it() {
    let library = library(
        &[("p.modules.ron", TWO)],
        &[("a.scenario.ron", scenario_in("a", "\"starting-well\""))],
    );
    assert_eq!(library.error_count(), 0, "{:?}", findings(&library));
    let order: Vec<(&str, bool)> = library
        .modules
        .iter()
        .map(|m| (m.id.as_str(), m.required))
        .collect();
    assert_eq!(order, [("starting-well", true), ("ending-well", false)]);
    let scenario = library.scenario("a").unwrap();
    assert_eq!(scenario.topic, "starting-well");
    assert_eq!(scenario.module_title, "Starting well");
}

#[test]
fn a_topic_written_the_old_way_names_the_same_module() {
    let library = library(
        &[("m.modules.ron", support::MODULES)],
        &[
            ("old.scenario.ron", scenario_in("old", "CompassionFatigue")),
            (
                "new.scenario.ron",
                scenario_in("new", "\"compassion-fatigue\""),
            ),
        ],
    );
    assert_eq!(library.error_count(), 0, "{:?}", findings(&library));
    for id in ["old", "new"] {
        assert_eq!(library.scenario(id).unwrap().topic, "compassion-fatigue");
    }
}

#[test]
fn a_topic_no_module_declares_is_located_with_the_nearest_id() {
    let library = library(
        &[("p.modules.ron", TWO)],
        &[("a.scenario.ron", scenario_in("a", "\"startng-well\""))],
    );
    assert_eq!(
        findings(&library),
        ["a.scenario.ron:4:12 unknown-module did you mean `\"starting-well\"`?"]
    );
    assert!(library.scenario("a").is_none(), "not playable");

    let without = library_without_modules();
    let error = without.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.code.as_str(), "unknown-module");
    assert!(error.hint.contains("*.modules.ron"), "{error:?}");
}

fn library_without_modules() -> Library {
    library(
        &[],
        &[("a.scenario.ron", scenario_in("a", "\"active-listening\""))],
    )
}

#[test]
fn mistakes_in_a_modules_file_are_located_and_the_good_modules_stay() {
    let broken = r#"Modules(modules: [
    (id: "Starting Well", title: "Starting well", order: 1),
    (id: "ending-well", title: "", order: 2),
    (id: "dependency", title: "Dependency", order: 3),
    (id: "dependency", title: "Again", order: 4),
])"#;
    let library = library(
        &[
            ("b.modules.ron", broken),
            (
                "c.modules.ron",
                r#"Modules(modules: [(id: "x y", title: "Broken", order: 1), (id: "dependency", title: "Dependency", order: 3)])"#,
            ),
        ],
        &[("a.scenario.ron", scenario_in("a", "\"dependency\""))],
    );
    let codes: Vec<String> = library
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{} {}", d.location(), d.code))
        .collect();
    assert_eq!(
        codes,
        [
            "b.modules.ron:2:10 bad-id",
            "b.modules.ron:3:32 empty-text",
            "b.modules.ron:5:10 duplicate-id",
            "c.modules.ron:1:24 bad-id",
            "c.modules.ron:1:64 duplicate-id",
        ]
    );
    assert!(
        library.scenario("a").is_some(),
        "its module is declared once, well"
    );
}

#[test]
fn hostile_modules_files_are_errors_not_crashes() {
    for text in [
        "",
        "Modules(modules: [])",
        "Modules(modules: [(id: \"x\")])",
        "Modules(modules: [(id: \"x\", title: \"X\", order: -1)])",
        "Modules(modules: [(id: \"x\", title: \"X\", order: 99999999999)])",
        "Modules(modules: [(id: \"x\", title: \"X\", order: 1, colour: 3)])",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ] {
        let library = library(&[("h.modules.ron", text)], &[]);
        assert!(
            library.error_count() >= 1,
            "{text:?} gives an error: {:?}",
            findings(&library)
        );
        assert!(library.modules.is_empty());
    }
}
