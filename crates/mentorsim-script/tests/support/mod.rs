//! Synthetic scenarios for tests and benchmarks: layered conversation graphs of any size,
//! written as real RON text so they go through the same parser as trainers' files.

#![allow(dead_code)] // each test binary uses a different part

use std::fmt::Write;

use mentorsim_script::library::{Library, SourceFile};
use mentorsim_script::load::{FileKind, parse};
use mentorsim_script::source::SourceText;
use mentorsim_script::validate::{CheckedScenario, check_rubric, check_scenario};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const RUBRIC: &str = r#"Rubric(
    id: "synthetic",
    version: 1,
    title: "Synthetic",
    levels: (proficient: 0.75, developing: 0.6),
    competencies: [
        Competency(id: "A", name: "Alpha", definition: "a", proficient: "p", developing: "d", not_yet: "n", threshold: 0.5),
        Competency(id: "B", name: "Beta", definition: "b", proficient: "p", developing: "d", not_yet: "n", threshold: 0.6),
    ],
)"#;

/// Shape of a generated scenario.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub seed: u64,
    pub layers: usize,
    pub width: usize,
    pub choices: usize,
    /// Add a `trust` variable, conditions on choices and a branch.
    pub variables: bool,
    /// Make some options critical.
    pub critical: bool,
}

fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    (rng.next_u64() % n as u64) as usize
}

/// A scenario of `layers * width` lines plus two endings, as RON.
pub fn scenario_ron(shape: Shape) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(shape.seed);
    let mut out = String::with_capacity(shape.layers * shape.width * 600);
    let variables = if shape.variables {
        r#"variables: { "trust": (start: 2, min: 0, max: 4) },"#
    } else {
        ""
    };
    write!(
        out,
        r#"Scenario(
    id: "synthetic-{seed}",
    title: "Synthetic",
    topic: ActiveListening,
    version: 1,
    rubric: "synthetic",
    summary: "Generated.",
    minutes: 5,
    persona: (name: "Sam", age: 20, setting: "Test", background: "Test"),
    {variables}
    competencies: ["A", "B"],
    pass: (overall: 0.6),
    start: "n0-0",
    nodes: [
"#,
        seed = shape.seed
    )
    .unwrap();
    for layer in 0..shape.layers {
        for slot in 0..shape.width {
            let id = format!("n{layer}-{slot}");
            let target = |rng: &mut ChaCha8Rng| {
                if layer + 1 == shape.layers {
                    ["end-good", "end-poor"][below(rng, 2)].to_owned()
                } else {
                    format!("n{}-{}", layer + 1, below(rng, shape.width))
                }
            };
            if shape.variables && slot == 0 && layer % 3 == 2 {
                let (a, b) = (target(&mut rng), target(&mut rng));
                writeln!(
                    out,
                    r#"        Branch(id: "{id}", routes: [Route(when: "trust >= 3", next: "{a}"), Route(next: "{b}")]),"#
                )
                .unwrap();
                continue;
            }
            writeln!(out, r#"        Line(id: "{id}", text: "Line {id}", variants: ["Other {id}"], choices: ["#).unwrap();
            for c in 0..shape.choices {
                // The first option keeps to its slot, so every node is reachable.
                let next = if c == 0 && layer + 1 < shape.layers {
                    format!("n{}-{slot}", layer + 1)
                } else {
                    target(&mut rng)
                };
                let a = below(&mut rng, 7) as i32 - 3;
                let b = below(&mut rng, 7) as i32 - 3;
                let mut extra = String::new();
                if shape.variables {
                    let delta = below(&mut rng, 3) as i32 - 1;
                    write!(extra, r#" state: {{"trust": {delta}}},"#).unwrap();
                    if c > 0 && below(&mut rng, 3) == 0 {
                        let at_least = below(&mut rng, 4);
                        write!(extra, r#" when: "trust >= {at_least}","#).unwrap();
                    }
                }
                if shape.critical && c > 0 && below(&mut rng, 8) == 0 {
                    extra.push_str(r#" severity: Critical("harmful"),"#);
                }
                writeln!(
                    out,
                    r#"            Choice(id: "c{c}", text: "Option {c}", next: "{next}", effects: {{"A": {a}, "B": {b}}}, feedback: "Because.",{extra}),"#
                )
                .unwrap();
            }
            writeln!(out, "        ]),").unwrap();
        }
    }
    out.push_str(
        r#"        Ending(id: "end-good", outcome: Positive, title: "Good", text: "Thanks.", debrief: "Well done.", not_passed: "Not passed."),
        Ending(id: "end-poor", outcome: Negative, title: "Poor", text: "Bye.", debrief: "Try again."),
    ],
)
"#,
    );
    out
}

/// Checks a scenario text against the synthetic rubric, keeping the built scenario even when
/// the analysis finds it unplayable (e.g. it cannot be passed).
pub fn checked_of(scenario: &str) -> CheckedScenario {
    let rubric_source = SourceText::new("synthetic.rubric.ron", RUBRIC.to_owned());
    let (rubric, _) = check_rubric(&rubric_source, parse(&rubric_source).unwrap());
    let rubric = rubric.unwrap();
    let source = SourceText::new("test.scenario.ron", scenario.to_owned());
    check_scenario(&source, parse(&source).unwrap(), |_| Some(&rubric))
}

/// The bundled library's modules, which the synthetic scenarios name.
pub const MODULES: &str = include_str!("../../../../scenarios/mentor-core.modules.ron");

/// [`MODULES`] as a file of a library.
pub fn modules_file() -> SourceFile {
    SourceFile {
        kind: FileKind::Modules,
        source: SourceText::new("mentor-core.modules.ron", MODULES.to_owned()),
    }
}

/// Checks a scenario text together with the synthetic rubric and the bundled modules.
pub fn library_of(scenario: &str) -> Library {
    Library::from_sources(
        vec![
            modules_file(),
            SourceFile {
                kind: FileKind::Rubric,
                source: SourceText::new("synthetic.rubric.ron", RUBRIC.to_owned()),
            },
            SourceFile {
                kind: FileKind::Scenario,
                source: SourceText::new("test.scenario.ron", scenario.to_owned()),
            },
        ],
        |_, _| None,
    )
}

pub mod fuzz;
