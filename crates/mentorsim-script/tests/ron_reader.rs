//! The fast RON reader returns exactly what `ron` returns, or leaves the file to `ron`: on every
//! bundled and corpus file, on generated scenarios, on the syntax corners trainers use, and on
//! files broken at random.

mod support;

use std::path::{Path, PathBuf};

use mentorsim_script::load;
use mentorsim_script::model::{RubricFile, ScenarioFile};
use mentorsim_script::syntax;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use support::{Shape, scenario_ron};

/// What `ron` makes of `text`, as `load::parse` reads it when the fast reader gives up.
fn by_ron<T: DeserializeOwned>(text: &str) -> Option<T> {
    load::by_ron(text).ok()
}

/// The reader agrees with `ron`: the same value, or no value where `ron` has none.
fn agrees<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> Option<String> {
    same_as_ron(syntax::reader::from_str::<T>(text), by_ron::<T>(text), text)
}

/// A scenario read with its nodes on two threads agrees with `ron` in the same way.
fn split_agrees(text: &str) -> Option<String> {
    let split =
        syntax::reader::from_str_split(text, "nodes", |file: &mut ScenarioFile| &mut file.nodes);
    same_as_ron(split, by_ron::<ScenarioFile>(text), text)
}

/// A fast read's value (as text) when it is `ron`'s; fails when the two differ.
fn same_as_ron<T: std::fmt::Debug>(fast: Option<T>, slow: Option<T>, text: &str) -> Option<String> {
    let fast = fast.map(|v| format!("{v:?}"));
    let slow = slow.map(|v| format!("{v:?}"));
    match (&fast, &slow) {
        (Some(a), Some(b)) => assert_eq!(a, b, "different values for:\n{text}"),
        (Some(_), None) => panic!("the fast read accepts what ron refuses:\n{text}"),
        _ => {}
    }
    fast
}

fn ron_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            ron_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_bundled_scenario_and_rubric_is_read_fast_and_exactly() {
    let mut files = Vec::new();
    ron_files(&root().join("scenarios"), &mut files);
    let expected = files
        .iter()
        .filter(|f| {
            let name = f.to_string_lossy();
            name.ends_with(".scenario.ron") || name.ends_with(".rubric.ron")
        })
        .count();
    let mut read = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.to_string_lossy();
        if name.ends_with(".scenario.ron") {
            assert!(
                agrees::<ScenarioFile>(&text).is_some(),
                "{name} was left to ron"
            );
            assert!(split_agrees(&text).is_some(), "{name} was not split");
            read += 1;
        } else if name.ends_with(".rubric.ron") {
            assert!(
                agrees::<RubricFile>(&text).is_some(),
                "{name} was left to ron"
            );
            read += 1;
        }
    }
    assert_eq!(
        read, expected,
        "every scenario and rubric was read by the fast reader"
    );
    assert!(
        read >= 13,
        "the bundled library has its scenarios and rubric: {read}"
    );
}

#[test]
fn corpus_files_are_read_exactly_or_left_to_ron() {
    let mut files = Vec::new();
    ron_files(&root().join("tests/corpus"), &mut files);
    ron_files(&root().join("src/cli"), &mut files);
    assert!(files.len() > 20);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        agrees::<ScenarioFile>(&text);
        agrees::<RubricFile>(&text);
    }
}

#[test]
fn generated_scenarios_are_read_exactly() {
    for variables in [false, true] {
        let text = scenario_ron(Shape {
            seed: 3,
            layers: 20,
            width: 4,
            choices: 3,
            variables,
            critical: true,
        });
        assert!(agrees::<ScenarioFile>(&text).is_some());
        assert!(split_agrees(&text).is_some());
    }
}

#[test]
fn a_cut_that_falls_inside_a_text_is_noticed() {
    // Past the middle, the only place that looks like the start of a node is inside a text.
    let long = "words ".repeat(2_000);
    let text = CORNERS.replace(
        r#"text: "Hi""#,
        // A line break inside the text, then a line indented like the nodes.
        &format!("text: \"{long},\n        Line(id: \\\"fake\\\", ok\""),
    );
    assert!(agrees::<ScenarioFile>(&text).is_some());
    assert!(split_agrees(&text).is_none(), "the cut was used");
}

const CORNERS: &str = r#"// A scenario that uses the syntax corners.
Scenario(
    id: "corners", /* block /* nested */ comment */
    title: "Quotes \"inside\", a backslash \\, a tab\t and a line\nbreak",
    topic: Dependency,
    version: 2,
    rubric: "r",
    summary: "A text
over two lines, with ünïcödé and 'single' quotes and \'escaped\' ones",
    minutes: 5,
    persona: Persona(name: "Sam", age: 15, setting: "Club", background: "B"),
    variables: {"trust": (start: -1, min: -2, max: 3,)},
    competencies: ["A"],
    pass: (overall: 0.65, competencies: {"A": 1}),
    start: "a",
    nodes: [
        Line(id: "a", speaker: Other("Coach"), text: "Hi", choices: [
            Choice(id: "c", text: "Hello", next: "b", when: Some("trust >= 0"), effects: {"A": -2}, feedback: "F", severity: Critical("Never.")),
            Choice(id: "d", text: "Hey", next: "b", when: None, feedback: "G", codes: [OpenQuestion, Summary],),
        ]),
        Branch(id: "b", routes: [Route(when: "trust > 1", next: "e"), Route(next: "e")]),
        Ending(id: "e", outcome: Positive, title: "T", text: "X", debrief: "D", mood: Calm)
    ]
)
"#;

#[test]
fn comments_escapes_options_and_newtype_variants_are_read_exactly() {
    let value = agrees::<ScenarioFile>(CORNERS).expect("the reader handles these corners");
    assert!(value.contains("line\\nbreak"), "{value}");
    assert_eq!(split_agrees(CORNERS), Some(value));
}

/// An optional struct is written as the value itself, as its fields inside `Some(`, or in
/// brackets inside `Some(` (the spelling people write, and the shipped policy's). `ron`
/// alone refuses the last with unwrapped variant newtypes; both readings of a file take it,
/// so whether a file loads never depends on which reading it got.
#[test]
fn an_optional_struct_reads_the_same_however_it_is_written_and_whoever_reads_it() {
    let persona = r#"persona: Persona(name: "Sam", age: 15, setting: "Club", background: "B"),"#;
    let with = |field: &str| {
        CORNERS.replace(
            persona,
            &format!(
                r#"persona: Persona(name: "Sam", age: 15, setting: "Club", background: "B", {field}),"#
            ),
        )
    };
    // Only the slow reading takes a unicode escape: the same text, read by `ron`.
    let slow = |text: &str| text.replace("tab\\t", "tab\\u{9}");
    let plain = agrees::<ScenarioFile>(&with("look: (skin: Light, hair: Buzz)")).unwrap();
    for spelling in [
        "look: Look(skin: Light, hair: Buzz)",
        "look: Some(skin: Light, hair: Buzz)",
        "look: Some((skin: Light, hair: Buzz))",
        "look: Some( ( skin: Light, hair: Buzz, ) )",
    ] {
        let text = with(spelling);
        assert_eq!(
            agrees::<ScenarioFile>(&text).as_ref(),
            Some(&plain),
            "{spelling}"
        );
        let escaped = slow(&text);
        assert_ne!(escaped, text);
        assert!(syntax::reader::from_str::<ScenarioFile>(&escaped).is_none());
        let read = load::by_ron::<ScenarioFile>(&escaped).map(|v| format!("{v:?}"));
        assert_eq!(read.ok(), Some(plain.clone()), "{spelling}, read by ron");
    }
    let raw_ron = ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_default_extension(ron::extensions::Extensions::UNWRAP_VARIANT_NEWTYPES);
    assert!(
        raw_ron
            .from_str::<ScenarioFile>(&with("look: Some((skin: Light))"))
            .is_err(),
        "ron alone refuses brackets inside Some: the reason for the leniency"
    );
    // A name inside `Some(` is taken for a field: refused by both.
    let named = with("look: Some(Look(skin: Light))");
    assert!(by_ron::<ScenarioFile>(&named).is_none());
    assert!(agrees::<ScenarioFile>(&named).is_none());
}

#[test]
fn what_the_reader_does_not_handle_goes_to_ron() {
    for odd in [
        // A unicode escape, a raw string, a hex number, an attribute, an unclosed comment, a
        // struct in brackets inside a variant's (which `ron` refuses with the extension).
        CORNERS.replace("tab\\t", "tab\\u{9}"),
        CORNERS.replace(r#"title: "Quotes"#, r##"title: r#"Quotes"#, other: "x"##),
        CORNERS.replace("version: 2", "version: 0x2"),
        format!("#![enable(implicit_some)]\n{CORNERS}"),
        CORNERS.replace("// A scenario", "/* A scenario"),
        CORNERS.replace(
            r#"Branch(id: "b", routes: [Route(when: "trust > 1", next: "e"), Route(next: "e")])"#,
            r#"Branch((id: "b", routes: []))"#,
        ),
    ] {
        assert_ne!(odd, CORNERS);
        assert!(
            syntax::reader::from_str::<ScenarioFile>(&odd).is_none(),
            "{odd}"
        );
        agrees::<ScenarioFile>(&odd);
    }
}

fn bundled_text() -> String {
    std::fs::read_to_string(
        root().join("scenarios/confidentiality-boundaries/promise-you-wont-tell.scenario.ron"),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// A byte deleted, doubled or replaced by punctuation anywhere in a real file: the reader
    /// never accepts what `ron` refuses, nor reads it differently.
    #[test]
    fn a_file_broken_anywhere_is_read_exactly_or_left_to_ron(
        at in 0.0f64..1.0,
        edit in 0usize..3,
        punctuation in prop::sample::select(vec![",", ":", "(", ")", "[", "]", "{", "}", "\"", "/", "-", ".", "1", "a", " "]),
    ) {
        let text = bundled_text();
        let mut at = (at * text.len() as f64) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let next = text[at..].chars().next().map_or(0, char::len_utf8);
        let broken = match edit {
            0 => format!("{}{}", &text[..at], &text[at + next..]),
            1 => format!("{}{}", &text[..at + next], &text[at..]),
            _ => format!("{}{punctuation}{}", &text[..at], &text[at + next..]),
        };
        agrees::<ScenarioFile>(&broken);
        split_agrees(&broken);
    }
}
