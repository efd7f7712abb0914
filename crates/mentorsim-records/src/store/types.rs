//! Trainees and attempts as the store gives them back: plain values, so whoever reads a
//! record (a report, an export, a resumed conversation) holds no database handle.

use std::collections::BTreeMap;

use serde::Serialize;

use mentorsim_script::engine::{Action, Mode, SessionState};
use mentorsim_script::model::ScenarioKind;

/// A trainee profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trainee {
    /// Stable id chosen by the program (e.g. a staff or student number), or generated.
    pub id: String,
    /// Name shown in the app and in reports.
    pub name: String,
}

/// One action of an attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Node the trainee was at.
    pub node: String,
    /// What they did.
    pub action: Action,
    /// Milliseconds from the line being shown to the action.
    pub millis: u64,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// An attempt as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// UUID.
    pub id: String,
    /// Trainee id.
    pub trainee: String,
    /// Trainee display name (as it is now).
    pub trainee_name: String,
    /// Scenario id.
    pub scenario: String,
    /// Scenario version played.
    pub scenario_version: u32,
    /// SHA-256 of the scenario source played.
    pub scenario_sha256: String,
    /// Id of the module of the scenario played (unknown for attempts recorded before schema 2).
    pub topic: Option<String>,
    /// Practice scenario or the module's assessment (unknown before schema 2).
    pub kind: Option<ScenarioKind>,
    /// Rubric id.
    pub rubric: String,
    /// Rubric version.
    pub rubric_version: u32,
    /// SHA-256 of the rubric source (unknown before schema 2).
    pub rubric_sha256: Option<String>,
    /// Practice or assessment.
    pub mode: Mode,
    /// Seed of the attempt's randomness.
    pub seed: u64,
    /// Start (RFC 3339, UTC).
    pub started: String,
    /// End, once the conversation reached an ending.
    pub ended: Option<String>,
    /// Whether it passed, once ended.
    pub passed: Option<bool>,
    /// Overall score 0..1, once ended.
    pub overall: Option<f64>,
    /// The trainee's reflection, if they wrote one.
    pub reflection: Option<String>,
    /// The program contacts the scenario's texts were filled with (empty: none, as before
    /// contacts were data).
    pub contacts: BTreeMap<String, String>,
    /// Every action, in order.
    pub steps: Vec<Step>,
}

impl Attempt {
    /// What [`mentorsim_script::engine::Session::resume`] needs to continue or replay this attempt.
    pub fn session_state(&self) -> SessionState {
        SessionState {
            scenario: self.scenario.clone(),
            version: self.scenario_version,
            seed: self.seed,
            mode: self.mode,
            actions: self.steps.iter().map(|s| s.action.clone()).collect(),
            // Rehearsals are never recorded.
            rehearsal: None,
        }
    }
}
