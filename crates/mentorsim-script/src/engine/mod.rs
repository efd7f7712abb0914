//! The play engine: one attempt at a scenario as a state machine.
//!
//! `start` -> [`Session::current`] (a line, its wording picked at random, its offered choices in
//! a shuffled order) -> [`Session::choose`] or [`Session::advance`] -> ... -> the ending ->
//! [`Session::result`]. All randomness comes from the seed and the number of lines seen so far,
//! through ChaCha8 (a generator whose output is fixed by its specification), so the same
//! scenario, seed and actions always give the same conversation and the same result, on any
//! machine and after any upgrade. The saved state is the seed and the actions; resuming replays
//! them, which also proves the scenario still fits the attempt.

mod result;
mod rng;
mod session;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;

pub use result::{AttemptResult, ChoiceSummary, CompetencyResult, DecisionReview, FlaggedChoice};
pub use session::{CurrentLine, OfferedChoice, Session, TranscriptEntry};

/// Practice shows feedback after every choice; assessment keeps it for the debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Feedback at once.
    Practice,
    /// Feedback in the debrief only.
    Assessment,
}

impl Mode {
    /// The stable machine name (as in JSON, the command line and the records).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Assessment => "assessment",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "practice" => Ok(Mode::Practice),
            "assessment" => Ok(Mode::Assessment),
            other => Err(format!(
                "unknown mode `{other}`: use `practice` or `assessment`"
            )),
        }
    }
}

/// Something the trainee did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Picked the choice with this id.
    Choose(String),
    /// Moved on from a line without choices.
    Continue,
}

/// Everything needed to resume an attempt: save it after every action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    /// Scenario id.
    pub scenario: String,
    /// Scenario version the attempt was made on.
    pub version: u32,
    /// Seed of the attempt's randomness.
    pub seed: u64,
    /// Practice or assessment.
    pub mode: Mode,
    /// What the trainee did, in order.
    pub actions: Vec<Action>,
    /// Set for a trainer's rehearsal, which starts elsewhere than the scenario's start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rehearsal: Option<Rehearsal>,
}

/// A trainer's "play from here": a node to start at and the mentee's values there, so a branch
/// deep in a scenario can be tried without playing up to it. Rehearsals are never records: their
/// scores cover only the decisions after the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rehearsal {
    /// Id of the node to start at (a line or a branch).
    pub node: String,
    /// Values of mentee variables at that node; the others take their start values.
    #[serde(default)]
    pub variables: BTreeMap<String, i32>,
}

impl Rehearsal {
    /// Where it starts and with which values, every variable included, for banners:
    /// "from `gate` with trust = 2, reliance = 0".
    pub fn describe(&self, scenario: &Scenario) -> String {
        let values: Vec<String> = scenario
            .variables
            .iter()
            .map(|def| {
                let value = self.variables.get(&def.name).copied().unwrap_or(def.start);
                format!("{} = {value}", def.name)
            })
            .collect();
        if values.is_empty() {
            format!("from `{}`", self.node)
        } else {
            format!("from `{}` with {}", self.node, values.join(", "))
        }
    }
}

/// Why an action or a resume was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    /// A position outside the offered choices.
    #[error("there is no choice {position}: pick 1 to {count}")]
    NoSuchPosition {
        /// 1-based position asked for.
        position: usize,
        /// Number of choices offered.
        count: usize,
    },
    /// A choice id that is not offered here.
    #[error("choice `{choice}` is not offered at `{node}`")]
    NoSuchChoice {
        /// Node id.
        node: String,
        /// Choice id asked for.
        choice: String,
    },
    /// `advance` at a decision.
    #[error("`{0}` is a decision: pick one of its choices")]
    NeedsChoice(String),
    /// `choose` at a line that only continues.
    #[error("`{0}` has no choices: continue instead")]
    NotADecision(String),
    /// Any action after the ending.
    #[error("the conversation has ended")]
    Finished,
    /// Branches that lead only to branches.
    #[error("the branches from `{0}` never lead to a line or an ending")]
    BranchLoop(String),
    /// A saved attempt for another scenario or version.
    #[error("the saved attempt is for `{found}`, not `{expected}`")]
    WrongScenario {
        /// Scenario id and version of the loaded scenario.
        expected: String,
        /// Scenario id and version in the saved state.
        found: String,
    },
    /// A rehearsal starting at a node the scenario does not have.
    #[error("there is no node `{0}` to start from: `mentorsim graph` lists the node ids")]
    UnknownNode(String),
    /// A rehearsal starting at an ending.
    #[error("`{0}` is an ending: start from a line or a branch before it")]
    StartsAtEnding(String),
    /// A rehearsal setting a variable the scenario does not declare.
    #[error("the scenario has no variable `{name}`; it declares: {declared}")]
    UnknownVariable {
        /// The name given.
        name: String,
        /// The declared names, comma-separated (or "none").
        declared: String,
    },
    /// A rehearsal value outside the variable's declared range.
    #[error("`{name}` = {value} is outside its range {min}..={max}")]
    OutOfRange {
        /// Variable name.
        name: String,
        /// The value given.
        value: i32,
        /// Declared minimum.
        min: i32,
        /// Declared maximum.
        max: i32,
    },
    /// A saved action that no longer fits.
    #[error("step {step} of the saved attempt cannot be replayed: {reason}")]
    Replay {
        /// 1-based action number.
        step: usize,
        /// What went wrong.
        reason: Box<PlayError>,
    },
}
