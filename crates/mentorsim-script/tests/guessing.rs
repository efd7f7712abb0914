//! Choosers that know nothing about mentoring play the assessments: one whose best option can
//! be found by length or by the library's wording cues is reported as guessable.

mod support;

use mentorsim_script::diagnostic::Code;
use mentorsim_script::guessing::{Strategy, assess};
use mentorsim_script::library::{Library, SourceFile};
use mentorsim_script::load::FileKind;
use mentorsim_script::source::SourceText;

/// Six decisions in a row, each offering the same three wordings (best first in the file).
fn scenario(id: &str, kind: &str, best: &str, others: [&str; 2]) -> String {
    let mut nodes = String::new();
    for d in 0..6 {
        let next = if d == 5 {
            "end".to_owned()
        } else {
            format!("d{}", d + 1)
        };
        nodes.push_str(&format!(
            r#"        Line(id: "d{d}", text: "Line {d}.", choices: [
            Choice(id: "best", text: "{best}", next: "{next}", effects: {{"A": 2, "B": 2}}, feedback: "Good."),
            Choice(id: "one", text: "{}", next: "{next}", effects: {{"A": -1, "B": -1}}, feedback: "Poor."),
            Choice(id: "two", text: "{}", next: "{next}", effects: {{"A": -1, "B": -1}}, feedback: "Poor."),
        ]),
"#,
            others[0], others[1]
        ));
    }
    format!(
        r#"Scenario(
    id: "{id}",
    title: "Guess",
    topic: ActiveListening,
    kind: {kind},
    version: 1,
    rubric: "synthetic",
    summary: "Generated.",
    minutes: 5,
    persona: (name: "Sam", age: 20, setting: "Test", background: "Test"),
    competencies: ["A", "B"],
    pass: (overall: 0.6),
    start: "d0",
    nodes: [
{nodes}        Ending(id: "end", outcome: Mixed, title: "End", text: "Bye.", debrief: "Done."),
    ],
)"#
    )
}

fn library(scenarios: &[(&str, String)]) -> Library {
    let mut files = vec![
        support::modules_file(),
        SourceFile {
            kind: FileKind::Rubric,
            source: SourceText::new("synthetic.rubric.ron", support::RUBRIC.to_owned()),
        },
    ];
    files.extend(scenarios.iter().map(|(name, text)| SourceFile {
        kind: FileKind::Scenario,
        source: SourceText::new(*name, text.clone()),
    }));
    let library = Library::from_sources(files, |_, _| None);
    assert_eq!(library.error_count(), 0, "{:?}", library.diagnostics);
    library
}

fn pass_probability(library: &Library, id: &str, strategy: Strategy) -> f64 {
    assess(library).assessments[id]
        .iter()
        .find(|r| r.strategy == strategy)
        .unwrap()
        .pass_probability
}

#[test]
fn an_assessment_whose_best_option_is_always_the_longest_is_guessable() {
    let text = scenario(
        "long",
        "Assessment",
        "It sounds like the whole week has been heavy for you.",
        ["Tell me more.", "Try to rest."],
    );
    let library = library(&[("long.scenario.ron", text)]);
    let guessing = assess(&library);
    assert_eq!(pass_probability(&library, "long", Strategy::Longest), 1.0);
    assert_eq!(pass_probability(&library, "long", Strategy::Shortest), 0.0);
    // At least four best answers of six, each one chance in three: 73 in 729.
    let random = pass_probability(&library, "long", Strategy::Random);
    assert!((0.07..0.13).contains(&random), "random passes {random}");
    let warning = &guessing.diagnostics[..];
    assert_eq!(warning.len(), 1);
    assert_eq!(warning[0].code, Code::Guessable);
    assert!(
        warning[0].message.contains("longest passes 100%"),
        "{}",
        warning[0].message
    );
}

/// Moving the best option off the longest place is not enough when it always lands on the
/// next one: the longest option is often the harmful one, and test-wise trainees learn that.
#[test]
fn an_assessment_whose_best_option_is_always_the_second_longest_is_guessable() {
    let text = scenario(
        "second",
        "Assessment",
        "It sounds like the whole week has been heavy.",
        [
            "Tell me more.",
            "You need to sit down tonight and write a proper plan for all of it.",
        ],
    );
    let library = library(&[("second.scenario.ron", text)]);
    assert_eq!(
        pass_probability(&library, "second", Strategy::SecondLongest),
        1.0
    );
    assert_eq!(
        pass_probability(&library, "second", Strategy::SecondShortest),
        1.0
    );
    assert_eq!(pass_probability(&library, "second", Strategy::Longest), 0.0);
    assert_eq!(
        pass_probability(&library, "second", Strategy::Shortest),
        0.0
    );
    let guessing = assess(&library);
    let message = &guessing.diagnostics[0].message;
    assert!(
        message.contains("second-longest passes 100%")
            && message.contains("second-shortest passes 100%"),
        "{message}"
    );
}

#[test]
fn the_tells_chooser_finds_the_best_option_by_wording_learned_from_the_other_scenarios() {
    let best = "It sounds like the week was hard.";
    let others = [
        "Tell me more.",
        "You should sit down tonight and make a proper plan for it.",
    ];
    let library = library(&[
        (
            "practice.scenario.ron",
            scenario("practice", "Practice", best, others),
        ),
        (
            "exam.scenario.ron",
            scenario("exam", "Assessment", best, others),
        ),
    ]);
    assert_eq!(pass_probability(&library, "exam", Strategy::Tells), 1.0);
    assert_eq!(pass_probability(&library, "exam", Strategy::Longest), 0.0);
    assert_eq!(pass_probability(&library, "exam", Strategy::Shortest), 0.0);
    let tells = assess(&library).tells;
    let sounds_like = tells.iter().find(|t| t.cue == "sounds like").unwrap();
    assert_eq!(
        (sounds_like.best_share, sounds_like.other_share),
        (1.0, 0.0)
    );
}

#[test]
fn an_assessment_alone_in_its_library_has_no_tells_to_learn_from() {
    // With no cue learned, the chooser takes the first option shown: no better than chance.
    let text = scenario(
        "alone",
        "Assessment",
        "It sounds like the week was hard.",
        [
            "Tell me more.",
            "You should sit down tonight and make a proper plan for it.",
        ],
    );
    let library = library(&[("alone.scenario.ron", text)]);
    let tells = pass_probability(&library, "alone", Strategy::Tells);
    assert!(tells < 0.2, "the tells chooser passes {tells}");
}
