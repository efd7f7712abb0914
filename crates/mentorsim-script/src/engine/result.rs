//! The outcome of an attempt as the debrief and the records show it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Action, Mode, Rehearsal};
use crate::model::{BehaviourCode, Outcome, Severity, Speaker};
use crate::scenario::{ChoiceDef, Scenario};
use crate::scoring::{FailReason, Level, meets};

/// The outcome of an attempt, with everything the debrief shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    /// Scenario id.
    pub scenario: String,
    /// Scenario version.
    pub scenario_version: u32,
    /// Rubric id.
    pub rubric: String,
    /// Rubric version.
    pub rubric_version: u32,
    /// Practice or assessment.
    pub mode: Mode,
    /// Seed of the attempt.
    pub seed: u64,
    /// Whether the attempt meets the pass rule.
    pub passed: bool,
    /// Score per assessed competency id, 0..1.
    pub scores: BTreeMap<String, f64>,
    /// Mean of the competency scores, 0..1.
    pub overall: f64,
    /// Overall score needed.
    pub overall_threshold: f64,
    /// Per competency: score, threshold, level and points.
    pub competencies: Vec<CompetencyResult>,
    /// Why it did not pass.
    pub reasons: Vec<FailReason>,
    /// Critical choices made.
    pub critical: Vec<FlaggedChoice>,
    /// Major mistakes made.
    pub major: Vec<FlaggedChoice>,
    /// Ending node id.
    pub ending: String,
    /// Ending title.
    pub ending_title: String,
    /// How it went for the mentee.
    pub outcome: Outcome,
    /// The ending's debrief text.
    pub ending_debrief: String,
    /// Node ids in the order passed, branches included.
    pub path: Vec<String>,
    /// Every decision with the option chosen and the best option.
    pub decisions: Vec<DecisionReview>,
    /// How often each behaviour code was used.
    pub codes: BTreeMap<BehaviourCode, u32>,
    /// The actions, for replay.
    pub actions: Vec<Action>,
    /// Set when this was a trainer's rehearsal, not an attempt: such results are never records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rehearsal: Option<Rehearsal>,
}

/// One competency's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompetencyResult {
    /// Competency id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Score 0..1, or `None` if the path did not assess it.
    pub score: Option<f64>,
    /// Score needed.
    pub threshold: f64,
    /// Rubric band (capped at developing after a major mistake touching it).
    pub level: Option<Level>,
    /// Points earned.
    pub earned: i64,
    /// Points possible.
    pub possible: i64,
}

impl CompetencyResult {
    /// The band to show beside the verdict. A score under this competency's threshold is shown
    /// as developing at most: "77 %, needs 80 %, proficient" would tell a trainee who did not
    /// pass that they were good enough. The stored `level` stays the rubric's band.
    pub fn shown_level(&self) -> Option<Level> {
        match (self.score, self.level) {
            (Some(score), Some(Level::Proficient)) if !meets(score, self.threshold) => {
                Some(Level::Developing)
            }
            (_, level) => level,
        }
    }
}

/// A critical or major choice that was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlaggedChoice {
    /// Node id.
    pub node: String,
    /// Choice id.
    pub choice: String,
    /// What the trainee said.
    pub text: String,
    /// Why it is a mistake and what to do instead.
    pub explanation: String,
}

impl FlaggedChoice {
    pub(super) fn new(node: &str, choice: &ChoiceDef, why: &str) -> Self {
        FlaggedChoice {
            node: node.to_owned(),
            choice: choice.id.clone(),
            text: choice.text.clone(),
            explanation: why.to_owned(),
        }
    }
}

/// A decision as the debrief shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionReview {
    /// Node id.
    pub node: String,
    /// Who spoke the line the decision answered.
    pub speaker: Speaker,
    /// What was said.
    pub prompt: String,
    /// The option chosen.
    pub chosen: ChoiceSummary,
    /// The best option offered.
    pub best: ChoiceSummary,
    /// Whether the chosen option was as good as the best.
    pub was_best: bool,
}

/// An option with its feedback: shown right after the choice in practice mode, and in the
/// debrief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceSummary {
    /// Choice id.
    pub id: String,
    /// What the trainee says.
    pub text: String,
    /// Why it helps or hurts.
    pub feedback: String,
    /// Behaviour codes.
    pub codes: Vec<BehaviourCode>,
    /// Non-zero points per competency id.
    pub effects: BTreeMap<String, i32>,
    /// How serious a mistake it is.
    pub severity: Severity,
}

impl ChoiceSummary {
    pub(super) fn new(scenario: &Scenario, choice: &ChoiceDef) -> Self {
        ChoiceSummary {
            id: choice.id.clone(),
            text: choice.text.clone(),
            feedback: choice.feedback.clone(),
            codes: choice.codes.clone(),
            effects: named_effects(scenario, choice),
            severity: choice.severity.clone(),
        }
    }
}

/// A choice's non-zero points by competency id.
fn named_effects(scenario: &Scenario, choice: &ChoiceDef) -> BTreeMap<String, i32> {
    scenario
        .competencies
        .iter()
        .zip(&choice.effects)
        .filter(|(_, e)| **e != 0)
        .map(|(c, e)| (c.id.clone(), *e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn competency(score: f64, threshold: f64, level: Level) -> CompetencyResult {
        CompetencyResult {
            id: "SAFE".into(),
            name: "Safety escalation".into(),
            score: Some(score),
            threshold,
            level: Some(level),
            earned: 0,
            possible: 0,
        }
    }

    #[test]
    fn a_score_under_its_threshold_is_never_shown_as_proficient() {
        assert_eq!(
            competency(0.77, 0.8, Level::Proficient).shown_level(),
            Some(Level::Developing)
        );
        assert_eq!(
            competency(0.8, 0.8, Level::Proficient).shown_level(),
            Some(Level::Proficient)
        );
        assert_eq!(
            competency(0.5, 0.8, Level::NotYet).shown_level(),
            Some(Level::NotYet)
        );
    }
}
