//! How an attempt is scored. One function, [`evaluate`], judges a path's totals; the engine
//! uses it for results and the analysis uses it to decide whether pass and fail are reachable,
//! so the two can never disagree.
//!
//! The method (documented for trainers in `docs/scoring.md`): every decision is scaled by the
//! options it actually offered. For each competency, choosing the worst offered option earns 0
//! and the best earns the spread between them, so a path is never rewarded for being long or
//! punished for meeting fewer decisions. A competency's score is everything earned over
//! everything that could have been earned on the path taken, in 0..1; decisions whose options
//! all have the same effect on a competency do not assess it. The overall score is the mean of
//! the assessed competencies' scores. A critical choice fails the attempt whatever the points.

use serde::{Deserialize, Serialize};

use crate::model::Levels;
use crate::scenario::Scenario;

/// Scores compare with thresholds with this tolerance, so that 7/10 meets 0.7 however the
/// division rounds.
const TOLERANCE: f64 = 1e-9;

/// Points earned and possible per competency, in [`Scenario::competencies`] order. Held wide:
/// a decision's points are bounded ([`crate::limits::MAX_EFFECT`]), but a path through a loop
/// may pass any number of decisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Totals {
    /// Points above the worst offered option, summed over decisions.
    pub earned: Vec<i64>,
    /// Spread between best and worst offered option, summed over decisions.
    pub possible: Vec<i64>,
}

impl Totals {
    /// Zero totals for `n` competencies.
    pub fn zero(n: usize) -> Self {
        Totals {
            earned: vec![0; n],
            possible: vec![0; n],
        }
    }

    /// Adds one decision's earned and possible points.
    pub fn add(&mut self, earned: &[i32], possible: &[i32]) {
        for (total, &e) in self.earned.iter_mut().zip(earned) {
            *total = total.saturating_add(i64::from(e));
        }
        for (total, &p) in self.possible.iter_mut().zip(possible) {
            *total = total.saturating_add(i64::from(p));
        }
    }

    /// A competency's score in 0..1, or `None` when no decision on the path assessed it.
    pub fn score(&self, competency: usize) -> Option<f64> {
        let possible = self.possible[competency];
        (possible > 0).then(|| self.earned[competency] as f64 / possible as f64)
    }
}

/// Why an attempt did not pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum FailReason {
    /// A critical choice was made.
    Critical {
        /// Node id.
        node: String,
        /// Choice id.
        choice: String,
        /// Why it is critical and what to do instead.
        explanation: String,
    },
    /// A competency scored below its threshold.
    CompetencyBelow {
        /// Competency id.
        competency: String,
        /// Score reached.
        score: f64,
        /// Score needed.
        threshold: f64,
    },
    /// The overall score is below the scenario's threshold.
    OverallBelow {
        /// Score reached.
        score: f64,
        /// Score needed.
        threshold: f64,
    },
    /// No decision on the path assessed any competency.
    NothingAssessed,
}

impl std::fmt::Display for FailReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailReason::Critical { explanation, .. } => {
                write!(f, "critical error: {explanation}")
            }
            FailReason::CompetencyBelow {
                competency,
                score,
                threshold,
            } => write!(
                f,
                "{competency} scored {:.0}%, below the {:.0}% needed",
                shown_percent(*score),
                threshold * 100.0
            ),
            FailReason::OverallBelow { score, threshold } => write!(
                f,
                "overall score {:.0}% is below the {:.0}% needed",
                shown_percent(*score),
                threshold * 100.0
            ),
            FailReason::NothingAssessed => write!(f, "no decision assessed any competency"),
        }
    }
}

/// A critical choice on a path: `(node id, choice id, explanation)`.
pub type CriticalChoice<'a> = (&'a str, &'a str, &'a str);

/// The judgement of a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Per competency (scenario order); `None` where the path did not assess it.
    pub scores: Vec<Option<f64>>,
    /// Mean of the assessed competencies' scores.
    pub overall: Option<f64>,
    /// Whether the attempt passes.
    pub passed: bool,
    /// Why it does not pass (empty when it does).
    pub reasons: Vec<FailReason>,
}

/// Judges a path's totals and critical choices against the scenario's pass rule.
pub fn evaluate(scenario: &Scenario, totals: &Totals, critical: &[CriticalChoice]) -> Evaluation {
    let scores: Vec<Option<f64>> = (0..scenario.competencies.len())
        .map(|c| totals.score(c))
        .collect();
    let assessed: Vec<f64> = scores.iter().flatten().copied().collect();
    let overall =
        (!assessed.is_empty()).then(|| assessed.iter().sum::<f64>() / assessed.len() as f64);

    let mut reasons: Vec<FailReason> = critical
        .iter()
        .map(|&(node, choice, explanation)| FailReason::Critical {
            node: node.to_owned(),
            choice: choice.to_owned(),
            explanation: explanation.to_owned(),
        })
        .collect();
    for (competency, score) in scenario.competencies.iter().zip(&scores) {
        if let Some(score) = *score
            && !meets(score, competency.threshold)
        {
            reasons.push(FailReason::CompetencyBelow {
                competency: competency.id.clone(),
                score,
                threshold: competency.threshold,
            });
        }
    }
    match overall {
        Some(score) if !meets(score, scenario.overall_threshold) => {
            reasons.push(FailReason::OverallBelow {
                score,
                threshold: scenario.overall_threshold,
            });
        }
        None => reasons.push(FailReason::NothingAssessed),
        Some(_) => {}
    }
    Evaluation {
        scores,
        overall,
        passed: reasons.is_empty(),
        reasons,
    }
}

/// Whether a score reaches a threshold.
pub fn meets(score: f64, threshold: f64) -> bool {
    score + TOLERANCE >= threshold
}

/// The rubric band a score falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// At or above the rubric's proficient bound.
    Proficient,
    /// At or above the developing bound.
    Developing,
    /// Below it.
    NotYet,
}

impl Level {
    /// The band of a score.
    pub fn of(score: f64, levels: &Levels) -> Level {
        if meets(score, levels.proficient) {
            Level::Proficient
        } else if meets(score, levels.developing) {
            Level::Developing
        } else {
            Level::NotYet
        }
    }

    /// Name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Level::Proficient => "proficient",
            Level::Developing => "developing",
            Level::NotYet => "not yet",
        }
    }
}

/// A score as the whole percentage people are shown: rounded down, so that a score just under a
/// threshold never reads as meeting it ("69%, below the 70% needed", not "70%, below 70%").
pub fn shown_percent(score: f64) -> f64 {
    // The small allowance keeps exact fractions such as 0.29 (28.999... in binary) at 29.
    (score * 100.0 + 1e-9).floor()
}
