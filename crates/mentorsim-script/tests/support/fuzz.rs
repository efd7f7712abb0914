//! A mutation fuzzer that runs on the stable toolchain, for `cargo test` (a short,
//! deterministic run) and `examples/fuzz.rs` (a long run that survives aborts).
//!
//! Inputs grow from the bundled scenarios and the broken-file corpus by mutations that know
//! what RON and conditions look like: brackets, `not`, numbers at the edge of their type,
//! escapes, byte order marks, runs of one token thousands long. Each input goes through
//! everything a file meets: reading, parsing, checking with the path analysis, rendering the
//! findings, and, when it is playable, a played path that must replay to the same result.
//! An input that finds a finding code, or a way to pass the check, not seen before joins the
//! pool: a cheap stand-in for coverage that steers towards deeper code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use mentorsim_script::diagnostic::render;
use mentorsim_script::engine::{Mode, Session};
use mentorsim_script::graph::Graph;
use mentorsim_script::load::{parse, parse_scenario, source_from_bytes};
use mentorsim_script::model::RubricFile;
use mentorsim_script::scenario::Scenario;
use mentorsim_script::validate::{Rubric, check_rubric, check_scenario};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Tokens a mutation inserts: the pieces of the format where mistakes and attacks live.
const DICTIONARY: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "\\",
    "\\\"",
    "\\u{202e}",
    "\\u{1b}[31m",
    "\\x41",
    "\\u{e9}",
    "\u{202e}",
    "\u{feff}",
    "\u{1b}[2J",
    "é",
    "\0",
    "\n",
    "\t",
    "/*",
    "*/",
    "//",
    "r#\"",
    "\"#",
    "not ",
    " and ",
    " or ",
    "==",
    "!=",
    ">=",
    "<",
    "trust",
    "2147483647",
    "-2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "0.0",
    "-0",
    "Some(",
    "None",
    "Line(",
    "Branch(",
    "Ending(",
    "Choice(",
    "Route(",
    "when: \"trust > 1\", ",
    "next: \"end\", ",
    "severity: Critical(\"x\"), ",
    "severity: Major(\"x\"), ",
    "effects: {\"LIS\": 9, \"LIS\": -9}, ",
    "state: {\"trust\": 1000000}, ",
    "Branch(id: \"b\", routes: [Route(when: \"trust > 0\", next: \"b\"), Route(next: \"b\")]),",
    "variables: {\"trust\": (start: 0, min: 0, max: 3)}, ",
    "id: \"a b?#\", ",
];

/// Numbers a mutation swaps in for a number in the text.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "1000",
    "1001",
    "-1001",
    "1000000",
    "2147483647",
    "-2147483648",
    "4294967295",
    "9223372036854775807",
    "99999999999999999999",
    "0.5",
    "1.5",
    "-0.1",
    "1e9",
];

/// What one run found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Inputs tried.
    pub executions: u64,
    /// Inputs that checked clean and were played.
    pub played: u64,
    /// Inputs in the pool at the end.
    pub pool: usize,
}

/// The fuzzer's state: its inputs, what they found, and its randomness.
pub struct Fuzzer {
    rng: ChaCha8Rng,
    pool: Vec<Vec<u8>>,
    seen: BTreeSet<String>,
    rubrics: Vec<Rubric>,
    outcome: Outcome,
}

/// Largest input the fuzzer makes: room for deep nesting, small enough to stay quick.
const MAX_INPUT: usize = 512 * 1024;
/// Most inputs kept in the pool.
const MAX_POOL: usize = 2_000;

/// The repository's root, for the seed files.
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.ron` file under the bundled scenarios and the broken-file corpus.
pub fn seed_files() -> Vec<Vec<u8>> {
    let mut paths = Vec::new();
    for dir in ["scenarios", "tests/corpus"] {
        let mut stack = vec![repository().join(dir)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "ron") {
                    paths.push(path);
                }
            }
        }
    }
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

impl Fuzzer {
    /// A fuzzer seeded with `files`; the same seed and files give the same run.
    pub fn new(seed: u64, files: Vec<Vec<u8>>) -> Fuzzer {
        let rubrics = files
            .iter()
            .filter(|f| f.starts_with(b"Rubric"))
            .filter_map(|bytes| {
                let source = source_from_bytes("seed.rubric.ron", bytes.clone()).ok()?;
                check_rubric(&source, parse::<RubricFile>(&source).ok()?).0
            })
            .collect();
        Fuzzer {
            rng: ChaCha8Rng::seed_from_u64(seed),
            pool: files,
            seen: BTreeSet::new(),
            rubrics,
            outcome: Outcome::default(),
        }
    }

    /// The next input to try.
    pub fn next_input(&mut self) -> Vec<u8> {
        let base = self.rng.random_range(0..self.pool.len());
        let mut input = self.pool[base].clone();
        for _ in 0..self.rng.random_range(1..=4) {
            self.mutate(&mut input);
        }
        input.truncate(MAX_INPUT);
        input
    }

    /// Runs one input through everything and keeps it if it found something new. Panics
    /// (for the caller to catch) where mentorsim would.
    pub fn run(&mut self, input: &[u8]) {
        self.outcome.executions += 1;
        let found = exercise(input, &self.rubrics, self.rng.random());
        if found.played {
            self.outcome.played += 1;
        }
        // Each finding, and each combination of findings, counts as something found.
        let mut codes = found.signature.clone();
        codes.sort_unstable();
        codes.dedup();
        let combination = codes.join(" ");
        let new = found
            .signature
            .into_iter()
            .chain([combination])
            .fold(false, |new, s| self.seen.insert(s) | new);
        if new {
            if self.pool.len() >= MAX_POOL {
                let evict = self.rng.random_range(0..self.pool.len());
                self.pool.swap_remove(evict);
            }
            self.pool.push(input.to_vec());
        }
        self.outcome.pool = self.pool.len();
    }

    /// Figures so far.
    pub fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    fn mutate(&mut self, input: &mut Vec<u8>) {
        let rng = &mut self.rng;
        let at = |rng: &mut ChaCha8Rng, input: &[u8]| rng.random_range(0..=input.len());
        match rng.random_range(0..9) {
            0 if !input.is_empty() => {
                let i = rng.random_range(0..input.len());
                input[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let i = at(rng, input);
                input.insert(i, rng.random());
            }
            2 if !input.is_empty() => {
                let i = rng.random_range(0..input.len());
                let len = rng.random_range(1..=64.min(input.len() - i));
                input.drain(i..i + len);
            }
            3 if !input.is_empty() => {
                // A copy of a piece of the input elsewhere: nesting, repeats.
                let i = rng.random_range(0..input.len());
                let len = rng.random_range(1..=256.min(input.len() - i));
                let piece = input[i..i + len].to_vec();
                let j = at(rng, input);
                input.splice(j..j, piece);
            }
            4 | 5 => {
                let token = DICTIONARY[rng.random_range(0..DICTIONARY.len())];
                let i = at(rng, input);
                input.splice(i..i, token.bytes());
            }
            6 => {
                // One token many times over: deep brackets, long chains, runs of `not`.
                let token = [
                    "(",
                    "[",
                    "not ",
                    " and trust > 0",
                    "{",
                    "Some(",
                    "\\\\",
                    "é",
                ][rng.random_range(0..8)];
                let times = [10, 100, 1_000, 20_000][rng.random_range(0..4)];
                let i = at(rng, input);
                input.splice(i..i, token.repeat(times).into_bytes());
            }
            7 => {
                if let Some((start, end)) = number_at(input, at(rng, input)) {
                    let number = NUMBERS[rng.random_range(0..NUMBERS.len())];
                    input.splice(start..end, number.bytes());
                }
            }
            _ => {
                // A piece of another input.
                let other = &self.pool[rng.random_range(0..self.pool.len())];
                if !other.is_empty() {
                    let i = rng.random_range(0..other.len());
                    let len = rng.random_range(1..=512.min(other.len() - i));
                    let piece = other[i..i + len].to_vec();
                    let j = at(rng, input);
                    input.splice(j..j, piece);
                }
            }
        }
    }
}

/// The first run of digits at or after `from`, with a leading minus.
fn number_at(input: &[u8], from: usize) -> Option<(usize, usize)> {
    let start = from + input.get(from..)?.iter().position(u8::is_ascii_digit)?;
    let end = start
        + input[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    let start = if start > 0 && input[start - 1] == b'-' {
        start - 1
    } else {
        start
    };
    Some((start, end))
}

/// What one input did, for steering.
struct Found {
    /// Finding codes and stages reached.
    signature: Vec<String>,
    played: bool,
}

/// Everything a file meets in mentorsim.
fn exercise(input: &[u8], rubrics: &[Rubric], seed: u64) -> Found {
    let mut signature = Vec::new();
    let mut played = false;
    let source = match source_from_bytes("fuzz.scenario.ron", input.to_vec()) {
        Ok(source) => source,
        Err(diagnostic) => {
            signature.push(diagnostic.code.to_string());
            return Found { signature, played };
        }
    };
    if input.starts_with(b"Rubric") {
        match parse::<RubricFile>(&source) {
            Ok(file) => {
                let (_, findings) = check_rubric(&source, file);
                render(&findings, |_| Some(&source), false);
                signature.extend(findings.iter().map(|f| format!("rubric {}", f.code)));
            }
            Err(diagnostic) => signature.push(format!("rubric {}", diagnostic.code)),
        }
        return Found { signature, played };
    }
    let file = match parse_scenario(&source) {
        Ok(file) => file,
        Err(diagnostic) => {
            render(std::slice::from_ref(&diagnostic), |_| Some(&source), false);
            signature.push(diagnostic.code.to_string());
            return Found { signature, played };
        }
    };
    let checked = check_scenario(&source, file, |id| rubrics.iter().find(|r| r.id == id));
    render(&checked.diagnostics, |_| Some(&source), false);
    signature.extend(checked.diagnostics.iter().map(|d| d.code.to_string()));
    let Some(scenario) = checked.scenario else {
        return Found { signature, played };
    };
    let graph = Graph::of(&scenario);
    graph.to_dot();
    graph.to_mermaid();
    if checked.playable {
        signature.push("playable".to_owned());
        play_and_replay(Arc::new(scenario), seed);
        played = true;
    }
    Found { signature, played }
}

/// Plays a random path and checks that replaying its actions gives the same result.
fn play_and_replay(scenario: Arc<Scenario>, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mode = if rng.random() {
        Mode::Practice
    } else {
        Mode::Assessment
    };
    let Ok(mut session) = Session::start(Arc::clone(&scenario), seed, mode) else {
        return;
    };
    // Loops with a way out are allowed: a random walk may take long to find it.
    for _ in 0..2_000 {
        let Some(line) = session.current() else {
            break;
        };
        let step = if line.options.is_empty() {
            session.advance().map(drop)
        } else {
            session
                .choose(rng.random_range(1..=line.options.len()))
                .map(drop)
        };
        if step.is_err() {
            return;
        }
    }
    session.transcript();
    let result = session.result();
    let replayed = Session::resume(scenario, &session.state()).expect("an attempt replays");
    assert_eq!(replayed.result(), result, "a replay gives the same result");
}
