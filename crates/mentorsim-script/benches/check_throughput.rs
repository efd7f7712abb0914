//! Parse + validate + analyse throughput on generated scenarios of 1k, 10k and 100k nodes.
//! Run with `cargo bench -p mentorsim-script`; prints the median of several runs and nodes/s,
//! with the parse and the path analysis also timed on their own (both are in parse+check).
//! Target: 100k nodes in under a second on the 2-core CI machine, growing linearly. Then the
//! same for files broken everywhere (every link misspelt): the errors and their "did you
//! mean" hints must stay linear too. Last, the bundled library read from `scenarios/` and
//! checked whole, then its assessments played by the guessing choosers, as `mentorsim check`
//! does (target: both within 100 ms).

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use mentorsim_script::analysis::analyze;
use mentorsim_script::library::Library;
use mentorsim_script::load::parse_scenario;
use mentorsim_script::source::SourceText;
use support::{Shape, library_of, scenario_ron};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>12} {:>12} {:>14}",
        "nodes", "bytes", "parse", "analysis", "parse+check", "per node", "nodes/s"
    );
    for (layers, width) in [(100, 10), (1_000, 10), (10_000, 10)] {
        let shape = Shape {
            seed: 7,
            layers,
            width,
            choices: 3,
            variables: false,
            critical: true,
        };
        let text = scenario_ron(shape);
        let nodes = layers * width + 2;
        let runs = if nodes > 50_000 { 5 } else { 11 };
        let source = SourceText::new("bench", text.clone());
        let parse_time = median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    parse_scenario(&source).expect("parses");
                    start.elapsed()
                })
                .collect(),
        );
        let mut times = Vec::with_capacity(runs);
        let mut library: Option<Library> = None;
        for _ in 0..runs {
            let start = Instant::now();
            let checked = library_of(&text);
            times.push(start.elapsed());
            library = Some(checked);
        }
        let library = library.expect("ran");
        assert_eq!(library.error_count(), 0, "the generated scenario checks");
        let time = median(times);
        let scenario = library.scenarios[0].scenario.as_ref().expect("playable");
        let analysis_time = median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    analyze(scenario);
                    start.elapsed()
                })
                .collect(),
        );
        println!(
            "{nodes:>8} {:>10} {:>8.1}ms {:>8.1}ms {:>10.1}ms {:>10.2}us {:>14.0}",
            text.len(),
            parse_time.as_secs_f64() * 1e3,
            analysis_time.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e6 / nodes as f64,
            nodes as f64 / time.as_secs_f64()
        );
    }
    println!(
        "\n{:>8} {:>10} {:>12} {:>14}",
        "links", "nodes", "check", "per link"
    );
    for layers in [200, 500, 2_000] {
        let text = scenario_ron(Shape {
            seed: 5,
            layers,
            width: 10,
            choices: 2,
            variables: false,
            critical: false,
        })
        .replace(r#"next: "n"#, r#"next: "m"#);
        let links = text.matches(r#"next: "m"#).count();
        let time = median(
            (0..5)
                .map(|_| {
                    let start = Instant::now();
                    let library = library_of(&text);
                    assert!(library.error_count() >= links);
                    start.elapsed()
                })
                .collect(),
        );
        println!(
            "{links:>8} {:>10} {:>10.1}ms {:>12.2}us",
            layers * 10 + 2,
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() * 1e6 / links as f64
        );
    }
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let time = median(
        (0..11)
            .map(|_| {
                let start = Instant::now();
                let library = Library::load(std::slice::from_ref(&bundled));
                assert_eq!(library.error_count(), 0, "the bundled library checks");
                start.elapsed()
            })
            .collect(),
    );
    let count = Library::load(std::slice::from_ref(&bundled))
        .scenarios
        .len();
    println!(
        "\nbundled library: {count} scenarios read and checked in {:.1}ms",
        time.as_secs_f64() * 1e3
    );
    let library = Library::load(std::slice::from_ref(&bundled));
    let guessing = median(
        (0..11)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(mentorsim_script::guessing::assess(&library));
                start.elapsed()
            })
            .collect(),
    );
    println!(
        "bundled assessments played by the guessing choosers in {:.1}ms (read, checked and guessed: {:.1}ms)",
        guessing.as_secs_f64() * 1e3,
        (time + guessing).as_secs_f64() * 1e3
    );
}
