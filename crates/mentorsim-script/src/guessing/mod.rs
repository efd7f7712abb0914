//! Can an assessment be passed by guessing? Choosers that know nothing about mentoring play
//! every assessment: uniformly at random, always the longest option, always the shortest, and
//! one that picks by the surface cues that mark the best option in the *other* scenarios of
//! the library (leave one scenario out, as a test-wise trainee who has played them would). An
//! assessment that a deterministic chooser passes on at least half the seeds, or that random
//! choice passes more than 1 % of the time, is `guessable`.
//!
//! Each chooser plays through the engine, so what it meets is what a trainee meets.

mod cues;

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::engine::{Mode, Session};
use crate::library::Library;
use crate::model::ScenarioKind;
use crate::scenario::Scenario;
use crate::syntax::{RonPath, locate};
use cues::CueCounts;
pub use cues::Tell;

/// Seeds each deterministic chooser plays (wording and option order differ by seed).
const SEEDS: u64 = 32;
/// Random plays per assessment: the pass probability's standard error is at most 1.1 %.
const RANDOM_PLAYS: u64 = 2_000;
/// Random choice may pass at most this often.
const RANDOM_LIMIT: f64 = 0.01;
/// A deterministic chooser may pass on fewer than this share of seeds.
const DETERMINISTIC_LIMIT: f64 = 0.5;
/// Tells listed for the library.
const TELLS_LISTED: usize = 15;

/// A chooser that knows nothing about mentoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Uniformly at random.
    Random,
    /// Always the longest option.
    Longest,
    /// Always the shortest option.
    Shortest,
    /// By the cues that mark the best option in the library's other scenarios.
    Tells,
}

impl Strategy {
    /// Its name in output.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Random => "random",
            Strategy::Longest => "longest",
            Strategy::Shortest => "shortest",
            Strategy::Tells => "tells",
        }
    }
}

/// How often a chooser passes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GuessResult {
    /// The chooser.
    pub strategy: Strategy,
    /// Share of its plays that passed, 0..1.
    pub pass_probability: f64,
}

/// The library's assessments played by every chooser.
#[derive(Debug, Clone, Default)]
pub struct Guessing {
    /// Per assessment id, each chooser's pass probability.
    pub assessments: BTreeMap<String, Vec<GuessResult>>,
    /// The library's strongest tells, strongest first.
    pub tells: Vec<Tell>,
    /// A `guessable` warning per assessment a chooser passes too often.
    pub diagnostics: Vec<Diagnostic>,
}

/// Plays every playable assessment of the library with every chooser.
pub fn assess(library: &Library) -> Guessing {
    let playable: Vec<&Arc<Scenario>> = library
        .scenarios
        .iter()
        .filter_map(|entry| entry.scenario.as_ref())
        .collect();
    let mut guessing = Guessing {
        tells: CueCounts::of(playable.iter().map(|s| s.as_ref())).strongest(TELLS_LISTED),
        ..Guessing::default()
    };
    for scenario in playable
        .iter()
        .filter(|s| s.kind == ScenarioKind::Assessment)
    {
        let others = CueCounts::of(
            playable
                .iter()
                .filter(|other| other.id != scenario.id)
                .map(|s| s.as_ref()),
        );
        let results = vec![
            GuessResult {
                strategy: Strategy::Random,
                pass_probability: random_passes(scenario),
            },
            deterministic(scenario, Strategy::Longest, |texts| {
                extreme(texts, |a, b| a > b)
            }),
            deterministic(scenario, Strategy::Shortest, |texts| {
                extreme(texts, |a, b| a < b)
            }),
            deterministic(scenario, Strategy::Tells, |texts| others.pick(texts)),
        ];
        if let Some(diagnostic) = guessable(library, scenario, &results) {
            guessing.diagnostics.push(diagnostic);
        }
        guessing.assessments.insert(scenario.id.clone(), results);
    }
    guessing
}

/// The option whose length wins by `better` (0-based; the first of equals).
fn extreme(texts: &[&str], better: impl Fn(usize, usize) -> bool) -> usize {
    let lengths: Vec<usize> = texts.iter().map(|t| t.chars().count()).collect();
    (0..lengths.len()).fold(0, |kept, i| {
        if better(lengths[i], lengths[kept]) {
            i
        } else {
            kept
        }
    })
}

fn deterministic(
    scenario: &Arc<Scenario>,
    strategy: Strategy,
    pick: impl Fn(&[&str]) -> usize,
) -> GuessResult {
    let passed = (0..SEEDS)
        .filter(|&seed| play(scenario, seed, |texts| pick(texts)))
        .count();
    GuessResult {
        strategy,
        pass_probability: passed as f64 / SEEDS as f64,
    }
}

fn random_passes(scenario: &Arc<Scenario>) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(0x6d65_6e74_6f72);
    let passed = (0..RANDOM_PLAYS)
        .filter(|&seed| play(scenario, seed, |texts| rng.random_range(0..texts.len())))
        .count();
    passed as f64 / RANDOM_PLAYS as f64
}

/// Plays one assessment attempt, picking each option from the texts as displayed; `false`
/// when it does not pass (or cannot be played to the end).
fn play(scenario: &Arc<Scenario>, seed: u64, mut pick: impl FnMut(&[&str]) -> usize) -> bool {
    let Ok(mut session) = Session::start(Arc::clone(scenario), seed, Mode::Assessment) else {
        return false;
    };
    // Every path of a playable scenario ends; the bound only guards against a loop.
    for _ in 0..10_000 {
        let Some(line) = session.current() else {
            break;
        };
        let moved = if line.options.is_empty() {
            session.advance().map(|_| ())
        } else {
            let texts: Vec<&str> = line.options.iter().map(|o| o.text.as_str()).collect();
            let position = pick(&texts).min(texts.len() - 1) + 1;
            session.choose(position).map(|_| ())
        };
        if moved.is_err() {
            return false;
        }
    }
    session.result().is_some_and(|result| result.passed)
}

fn guessable(
    library: &Library,
    scenario: &Scenario,
    results: &[GuessResult],
) -> Option<Diagnostic> {
    let too_often: Vec<String> = results
        .iter()
        .filter(|r| match r.strategy {
            Strategy::Random => r.pass_probability > RANDOM_LIMIT,
            _ => r.pass_probability >= DETERMINISTIC_LIMIT,
        })
        .map(|r| {
            format!(
                "{} passes {:.0}%",
                r.strategy.name(),
                r.pass_probability * 100.0
            )
        })
        .collect();
    if too_often.is_empty() {
        return None;
    }
    let source = library.source(&scenario.file)?;
    let span = locate(&source.text, &[RonPath::root().field("kind")])
        .into_iter()
        .next()
        .flatten()
        .unwrap_or(0..0);
    Some(
        Diagnostic::at(
            Code::Guessable,
            source,
            span,
            format!(
                "this assessment can be passed without knowing anything about mentoring: {}",
                too_often.join(", ")
            ),
        )
        .with_hint("see `check --stats` for the tells: vary which option is best by length and wording, and remove the cues that mark it"),
    )
}
