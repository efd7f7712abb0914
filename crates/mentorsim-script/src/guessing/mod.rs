//! Can an assessment be passed by guessing? Choosers that know nothing about mentoring play
//! every assessment: uniformly at random, always the longest option, always the shortest,
//! always the second longest or second shortest, and one that picks by the surface cues that
//! mark the best option in the *other* scenarios of the library (leave one scenario out, as a
//! test-wise trainee who has played them would). An
//! assessment that a deterministic chooser passes, or that random choice passes more than 1 %
//! of the time, is `guessable`.
//!
//! Each chooser plays along the scenario's state graph (`analysis::pass_rate`): the options
//! offered, their scaling and the pass rule are the engine's. The app shows options in an
//! order that varies with the seed, so a chooser's ties (two options equally long) are broken
//! at random, and each chooser's pass probability is measured over many plays.

mod cues;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::analysis::{Analysis, Walker};
use crate::diagnostic::{Code, Diagnostic};
use crate::library::Library;
use crate::model::ScenarioKind;
use crate::scenario::ChoiceDef;
use crate::scenario::Scenario;
use crate::syntax::{RonPath, locate};
use cues::CueCounts;
pub use cues::Tell;

/// Random plays per assessment: near the 1 % limit the estimate's standard error is 0.14 %.
const RANDOM_PLAYS: usize = 5_000;
/// Random choice may pass at most this often.
const RANDOM_LIMIT: f64 = 0.01;
/// Plays per deterministic chooser (they differ only where options tie).
const DETERMINISTIC_PLAYS: usize = 64;
/// A deterministic chooser may pass fewer than this share of its plays.
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
    /// Always the second longest: where the best option is rarely the longest, because the
    /// longest is often the harmful one, it may be the next.
    SecondLongest,
    /// Always the second shortest.
    SecondShortest,
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
            Strategy::SecondLongest => "second-longest",
            Strategy::SecondShortest => "second-shortest",
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
    let playable: Vec<(&Arc<Scenario>, Option<&Analysis>)> = library
        .scenarios
        .iter()
        .filter_map(|entry| Some((entry.scenario.as_ref()?, entry.analysis.as_ref())))
        .collect();
    let all = CueCounts::of(playable.iter().map(|(s, _)| s.as_ref()));
    let mut guessing = Guessing {
        tells: all.strongest(TELLS_LISTED),
        ..Guessing::default()
    };
    let assessments = playable
        .iter()
        .filter(|(s, _)| s.kind == ScenarioKind::Assessment);
    for &(scenario, analysis) in assessments {
        let results = analysis.and_then(|analysis| play_all(scenario, analysis, &all));
        let Some(results) = results else {
            continue;
        };
        if let Some(diagnostic) = guessable(library, scenario, &results) {
            guessing.diagnostics.push(diagnostic);
        }
        guessing.assessments.insert(scenario.id.clone(), results);
    }
    guessing
}

/// Every chooser's pass rate on one assessment, with the tells learned from the library
/// without it; `None` when its state graph could not be explored whole.
fn play_all(scenario: &Scenario, analysis: &Analysis, all: &CueCounts) -> Option<Vec<GuessResult>> {
    let walker = analysis.walker(scenario)?;
    let others = all.without(&CueCounts::of([scenario]));
    Some(vec![
        GuessResult {
            strategy: Strategy::Random,
            pass_probability: random_passes(&walker),
        },
        deterministic(&walker, Strategy::Longest, 0, length),
        deterministic(&walker, Strategy::Shortest, 0, |text| -length(text)),
        deterministic(&walker, Strategy::SecondLongest, 1, length),
        deterministic(&walker, Strategy::SecondShortest, 1, |text| -length(text)),
        deterministic(&walker, Strategy::Tells, 0, |text| others.score(text)),
    ])
}

fn length(text: &str) -> f64 {
    text.chars().count() as f64
}

/// A chooser that takes the option whose `score` ranks `rank` places below the highest
/// (0: the highest; the lowest when fewer are offered), ties broken at random.
fn deterministic(
    walker: &Walker,
    strategy: Strategy,
    rank: usize,
    score: impl Fn(&str) -> f64,
) -> GuessResult {
    let mut rng = ChaCha8Rng::seed_from_u64(0x0074_656c_6c73);
    // Each option's score once, not once per play.
    let mut known: HashMap<*const ChoiceDef, f64> = HashMap::new();
    let mut scores: Vec<f64> = Vec::new();
    let mut ranked: Vec<f64> = Vec::new();
    let pass_probability = walker.pass_rate(DETERMINISTIC_PLAYS, |offered| {
        scores.clear();
        scores.extend(offered.iter().map(|&c| {
            *known
                .entry(c as *const ChoiceDef)
                .or_insert_with(|| score(&c.text))
        }));
        ranked.clone_from(&scores);
        ranked.sort_unstable_by(|a, b| b.total_cmp(a));
        let target = ranked[rank.min(ranked.len() - 1)];
        let tied: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] == target).collect();
        tied[rng.random_range(0..tied.len())]
    });
    GuessResult {
        strategy,
        pass_probability,
    }
}

fn random_passes(walker: &Walker) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(0x6d65_6e74_6f72);
    walker.pass_rate(RANDOM_PLAYS, |offered| rng.random_range(0..offered.len()))
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
