//! The play engine: one attempt at a scenario as a state machine.
//!
//! `start` -> [`Session::current`] (a line, its wording picked at random, its offered choices in
//! a shuffled order) -> [`Session::choose`] or [`Session::advance`] -> ... -> the ending ->
//! [`Session::result`]. All randomness comes from the seed and the number of lines seen so far,
//! through ChaCha8 (a generator whose output is fixed by its specification), so the same
//! scenario, seed and actions always give the same conversation and the same result, on any
//! machine and after any upgrade. The saved state is the seed and the actions; resuming replays
//! them, which also proves the scenario still fits the attempt.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::model::{BehaviourCode, Mood, Outcome, Severity, Speaker};
use crate::scenario::{BranchLoop, ChoiceDef, DecisionScale, LineNext, NodeIx, NodeKind, Scenario};
use crate::scoring::{FailReason, Level, Totals, evaluate};

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

/// The line the trainee is at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentLine {
    /// Node id.
    pub node: String,
    /// Who speaks.
    pub speaker: Speaker,
    /// The mentee's mood.
    pub mood: Mood,
    /// The wording picked for this visit.
    pub text: String,
    /// The offered choices in display order; empty for a line that just continues.
    pub options: Vec<OfferedChoice>,
}

/// A choice as offered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfferedChoice {
    /// Choice id.
    pub id: String,
    /// What the trainee says.
    pub text: String,
}

/// One entry of the conversation so far, for transcripts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "lowercase")]
pub enum TranscriptEntry {
    /// The mentee or narrator spoke.
    Line {
        /// Who.
        speaker: Speaker,
        /// What.
        text: String,
        /// Mood at the time.
        mood: Mood,
    },
    /// The trainee answered.
    Trainee {
        /// What.
        text: String,
    },
}

/// One visit to a line.
#[derive(Debug, Clone)]
struct Visit {
    node: NodeIx,
    text: String,
    /// Offered choice indices (author order positions) in display order.
    order: Vec<usize>,
    scale: DecisionScale,
    chosen: Option<usize>,
}

/// A running attempt.
#[derive(Debug, Clone)]
pub struct Session {
    scenario: Arc<Scenario>,
    seed: u64,
    mode: Mode,
    actions: Vec<Action>,
    vars: Vec<i32>,
    /// Every node passed, branches included.
    path: Vec<NodeIx>,
    visits: Vec<Visit>,
    totals: Totals,
    ending: Option<NodeIx>,
    rehearsal: Option<Rehearsal>,
}

impl Session {
    /// Starts an attempt.
    pub fn start(scenario: Arc<Scenario>, seed: u64, mode: Mode) -> Result<Session, PlayError> {
        let vars = scenario.initial_vars();
        let start = scenario.start;
        Session::begin(scenario, seed, mode, start, vars, None)
    }

    /// Starts a trainer's rehearsal at a node with the given variable values.
    pub fn rehearse(
        scenario: Arc<Scenario>,
        rehearsal: Rehearsal,
        seed: u64,
        mode: Mode,
    ) -> Result<Session, PlayError> {
        let node = scenario
            .node_index(&rehearsal.node)
            .ok_or_else(|| PlayError::UnknownNode(rehearsal.node.clone()))?;
        if scenario.ending(node).is_some() {
            return Err(PlayError::StartsAtEnding(rehearsal.node));
        }
        let mut vars = scenario.initial_vars();
        for (name, &value) in &rehearsal.variables {
            let Some(index) = scenario.variables.iter().position(|v| &v.name == name) else {
                let declared: Vec<&str> =
                    scenario.variables.iter().map(|v| v.name.as_str()).collect();
                return Err(PlayError::UnknownVariable {
                    name: name.clone(),
                    declared: if declared.is_empty() {
                        "none".to_owned()
                    } else {
                        declared.join(", ")
                    },
                });
            };
            let def = &scenario.variables[index];
            if !(def.min..=def.max).contains(&value) {
                return Err(PlayError::OutOfRange {
                    name: name.clone(),
                    value,
                    min: def.min,
                    max: def.max,
                });
            }
            vars[index] = value;
        }
        Session::begin(scenario, seed, mode, node, vars, Some(rehearsal))
    }

    fn begin(
        scenario: Arc<Scenario>,
        seed: u64,
        mode: Mode,
        node: NodeIx,
        vars: Vec<i32>,
        rehearsal: Option<Rehearsal>,
    ) -> Result<Session, PlayError> {
        let totals = Totals::zero(scenario.competencies.len());
        let mut session = Session {
            scenario,
            seed,
            mode,
            actions: Vec::new(),
            vars,
            path: Vec::new(),
            visits: Vec::new(),
            totals,
            ending: None,
            rehearsal,
        };
        session.enter(node)?;
        Ok(session)
    }

    /// Resumes a saved attempt by replaying its actions.
    pub fn resume(scenario: Arc<Scenario>, state: &SessionState) -> Result<Session, PlayError> {
        if state.scenario != scenario.id || state.version != scenario.version {
            return Err(PlayError::WrongScenario {
                expected: format!("{} v{}", scenario.id, scenario.version),
                found: format!("{} v{}", state.scenario, state.version),
            });
        }
        let mut session = match &state.rehearsal {
            None => Session::start(scenario, state.seed, state.mode)?,
            Some(rehearsal) => {
                Session::rehearse(scenario, rehearsal.clone(), state.seed, state.mode)?
            }
        };
        for (step, action) in state.actions.iter().enumerate() {
            let done = match action {
                Action::Choose(id) => session.choose_id(id).map(|_| ()),
                Action::Continue => session.advance(),
            };
            done.map_err(|reason| PlayError::Replay {
                step: step + 1,
                reason: Box::new(reason),
            })?;
        }
        Ok(session)
    }

    /// The state to save.
    pub fn state(&self) -> SessionState {
        SessionState {
            scenario: self.scenario.id.clone(),
            version: self.scenario.version,
            seed: self.seed,
            mode: self.mode,
            actions: self.actions.clone(),
            rehearsal: self.rehearsal.clone(),
        }
    }

    /// Where a rehearsal started; `None` for a real attempt.
    pub fn rehearsal(&self) -> Option<&Rehearsal> {
        self.rehearsal.as_ref()
    }

    /// The scenario being played.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    /// Practice or assessment.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Current values of the mentee variables, by name.
    pub fn variables(&self) -> BTreeMap<&str, i32> {
        self.scenario
            .variables
            .iter()
            .zip(&self.vars)
            .map(|(def, &value)| (def.name.as_str(), value))
            .collect()
    }

    /// How many choices the trainee has made so far.
    pub fn decisions_made(&self) -> usize {
        self.visits.iter().filter(|v| v.chosen.is_some()).count()
    }

    /// Whether the conversation has reached an ending.
    pub fn is_finished(&self) -> bool {
        self.ending.is_some()
    }

    /// The line the trainee is at, or `None` once the conversation has ended.
    pub fn current(&self) -> Option<CurrentLine> {
        if self.ending.is_some() {
            return None;
        }
        let visit = self.visits.last()?;
        let line = self.scenario.line(visit.node)?;
        let choices = self.scenario.choices(visit.node);
        Some(CurrentLine {
            node: self.scenario.nodes[visit.node].id.clone(),
            speaker: line.speaker.clone(),
            mood: line.mood,
            text: visit.text.clone(),
            options: visit
                .order
                .iter()
                .map(|&i| OfferedChoice {
                    id: choices[i].id.clone(),
                    text: choices[i].text.clone(),
                })
                .collect(),
        })
    }

    /// Picks the choice at a 1-based display position.
    pub fn choose(&mut self, position: usize) -> Result<Option<ChoiceSummary>, PlayError> {
        let offered = self.current().ok_or(PlayError::Finished)?;
        if offered.options.is_empty() {
            return Err(PlayError::NotADecision(offered.node));
        }
        let id = position
            .checked_sub(1)
            .and_then(|i| offered.options.get(i))
            .ok_or(PlayError::NoSuchPosition {
                position,
                count: offered.options.len(),
            })?
            .id
            .clone();
        self.choose_id(&id)
    }

    /// Picks an offered choice by id. Returns the feedback in practice mode.
    pub fn choose_id(&mut self, id: &str) -> Result<Option<ChoiceSummary>, PlayError> {
        let scenario = Arc::clone(&self.scenario);
        let visit = self
            .visits
            .last_mut()
            .filter(|_| self.ending.is_none())
            .ok_or(PlayError::Finished)?;
        let node_id = &scenario.nodes[visit.node].id;
        let LineNext::Choices(choices) =
            &scenario.line(visit.node).ok_or(PlayError::Finished)?.next
        else {
            return Err(PlayError::NotADecision(node_id.clone()));
        };
        let index = visit
            .order
            .iter()
            .copied()
            .find(|&i| choices[i].id == id)
            .ok_or_else(|| PlayError::NoSuchChoice {
                node: node_id.clone(),
                choice: id.to_owned(),
            })?;
        let choice = &choices[index];
        visit.chosen = Some(index);
        self.totals
            .add(&visit.scale.earned(choice), &visit.scale.possible);
        self.vars = scenario.apply(choice, &self.vars);
        self.actions.push(Action::Choose(id.to_owned()));
        self.enter(choice.next)?;
        Ok((self.mode == Mode::Practice).then(|| ChoiceSummary::new(&scenario, choice)))
    }

    /// Moves on from a line without choices.
    pub fn advance(&mut self) -> Result<(), PlayError> {
        let visit = self
            .visits
            .last()
            .filter(|_| self.ending.is_none())
            .ok_or(PlayError::Finished)?;
        let node = visit.node;
        match self.scenario.line(node).map(|l| &l.next) {
            Some(LineNext::Continue(next)) => {
                let next = *next;
                self.actions.push(Action::Continue);
                self.enter(next)
            }
            _ => Err(PlayError::NeedsChoice(self.scenario.nodes[node].id.clone())),
        }
    }

    /// The conversation so far.
    pub fn transcript(&self) -> Vec<TranscriptEntry> {
        let mut entries = Vec::new();
        for visit in &self.visits {
            let Some(line) = self.scenario.line(visit.node) else {
                continue;
            };
            entries.push(TranscriptEntry::Line {
                speaker: line.speaker.clone(),
                text: visit.text.clone(),
                mood: line.mood,
            });
            if let Some(chosen) = visit.chosen {
                entries.push(TranscriptEntry::Trainee {
                    text: self.scenario.choices(visit.node)[chosen].text.clone(),
                });
            }
        }
        if let Some(ending) = self.ending.and_then(|n| self.scenario.ending(n)) {
            entries.push(TranscriptEntry::Line {
                speaker: Speaker::Mentee,
                text: ending.text.clone(),
                mood: ending.mood,
            });
        }
        entries
    }

    /// The result, once the conversation has ended.
    pub fn result(&self) -> Option<AttemptResult> {
        let ending_ix = self.ending?;
        let scenario = &self.scenario;
        let ending = scenario.ending(ending_ix)?;
        let mut critical = Vec::new();
        let mut major = Vec::new();
        let mut decisions = Vec::new();
        let mut codes: BTreeMap<BehaviourCode, u32> = BTreeMap::new();
        let mut capped = vec![false; scenario.competencies.len()];
        for visit in &self.visits {
            let Some(chosen) = visit.chosen else { continue };
            let choices = scenario.choices(visit.node);
            let choice = &choices[chosen];
            let node = scenario.nodes[visit.node].id.as_str();
            for code in &choice.codes {
                *codes.entry(*code).or_default() += 1;
            }
            match &choice.severity {
                Severity::Critical(why) => critical.push(FlaggedChoice::new(node, choice, why)),
                Severity::Major(why) => {
                    major.push(FlaggedChoice::new(node, choice, why));
                    for (c, effect) in choice.effects.iter().enumerate() {
                        capped[c] |= *effect != 0;
                    }
                }
                Severity::Normal => {}
            }
            let best = best_option(scenario, visit);
            decisions.push(DecisionReview {
                node: node.to_owned(),
                speaker: scenario
                    .line(visit.node)
                    .map_or(Speaker::Mentee, |l| l.speaker.clone()),
                prompt: visit.text.clone(),
                chosen: ChoiceSummary::new(scenario, choice),
                was_best: total_effect(&choices[best]) == total_effect(choice),
                best: ChoiceSummary::new(scenario, &choices[best]),
            });
        }
        let critical_refs: Vec<_> = critical
            .iter()
            .map(|f: &FlaggedChoice| (f.node.as_str(), f.choice.as_str(), f.explanation.as_str()))
            .collect();
        let evaluation = evaluate(scenario, &self.totals, &critical_refs);
        let competencies: Vec<CompetencyResult> = scenario
            .competencies
            .iter()
            .enumerate()
            .map(|(c, def)| {
                let score = evaluation.scores[c];
                let level = score.map(|s| {
                    let level = Level::of(s, &scenario.rubric.levels);
                    if capped[c] && level == Level::Proficient {
                        Level::Developing
                    } else {
                        level
                    }
                });
                CompetencyResult {
                    id: def.id.clone(),
                    name: def.name.clone(),
                    score,
                    threshold: def.threshold,
                    level,
                    earned: self.totals.earned[c],
                    possible: self.totals.possible[c],
                }
            })
            .collect();
        Some(AttemptResult {
            scenario: scenario.id.clone(),
            scenario_version: scenario.version,
            rubric: scenario.rubric.id.clone(),
            rubric_version: scenario.rubric.version,
            mode: self.mode,
            seed: self.seed,
            passed: evaluation.passed,
            overall: evaluation.overall.unwrap_or(0.0),
            overall_threshold: scenario.overall_threshold,
            scores: competencies
                .iter()
                .filter_map(|c| Some((c.id.clone(), c.score?)))
                .collect(),
            competencies,
            reasons: evaluation.reasons,
            critical,
            major,
            ending: scenario.nodes[ending_ix].id.clone(),
            ending_title: ending.title.clone(),
            outcome: ending.outcome,
            ending_debrief: ending.debrief.clone(),
            path: self
                .path
                .iter()
                .map(|&n| scenario.nodes[n].id.clone())
                .collect(),
            decisions,
            codes,
            actions: self.actions.clone(),
            rehearsal: self.rehearsal.clone(),
        })
    }

    /// Enters a node: follows branches, then presents the line or records the ending.
    fn enter(&mut self, node: NodeIx) -> Result<(), PlayError> {
        let (node, branches) = self
            .scenario
            .resolve(node, &self.vars)
            .map_err(|BranchLoop(n)| PlayError::BranchLoop(self.scenario.nodes[n].id.clone()))?;
        self.path.extend(branches);
        self.path.push(node);
        let visit_number = self.visits.len() as u64;
        match &self.scenario.nodes[node].kind {
            NodeKind::Ending(_) => self.ending = Some(node),
            NodeKind::Line(line) => {
                let mut rng = rng_for(self.seed, visit_number);
                let text = line.texts[below(&mut rng, line.texts.len())].clone();
                let mut order = self.scenario.visible_choices(node, &self.vars);
                shuffle(&mut rng, &mut order);
                let scale = self.scenario.decision_scale(node, &order);
                self.visits.push(Visit {
                    node,
                    text,
                    order,
                    scale,
                    chosen: None,
                });
            }
            NodeKind::Branch(_) => unreachable!("resolve() never stops at a branch"),
        }
        Ok(())
    }
}

/// The option with the highest total effect among those offered, critical and major mistakes
/// aside; ties go to the first in the file.
fn best_option(scenario: &Scenario, visit: &Visit) -> usize {
    let choices = scenario.choices(visit.node);
    let mut offered: Vec<usize> = visit.order.clone();
    offered.sort_unstable();
    offered
        .iter()
        .copied()
        .filter(|&i| choices[i].severity == Severity::Normal)
        .max_by_key(|&i| (total_effect(&choices[i]), std::cmp::Reverse(i)))
        .or_else(|| {
            offered
                .iter()
                .copied()
                .max_by_key(|&i| total_effect(&choices[i]))
        })
        .unwrap_or(0)
}

fn total_effect(choice: &ChoiceDef) -> i64 {
    choice.effects.iter().map(|&e| i64::from(e)).sum()
}

/// A generator for one visit, from the attempt's seed: independent of everything else.
fn rng_for(seed: u64, visit: u64) -> ChaCha8Rng {
    let mut state = seed ^ visit.wrapping_mul(0xA076_1D64_78BD_642F);
    let mut key = [0u8; 32];
    for chunk in key.chunks_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    ChaCha8Rng::from_seed(key)
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform index below `n` (n > 0), by rejection so that no index is favoured.
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = n as u64;
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let x = rng.next_u64();
        if x < zone {
            return (x % n) as usize;
        }
    }
}

/// Fisher-Yates, written out so that the order is fixed by this code and not by a library.
fn shuffle(rng: &mut ChaCha8Rng, items: &mut [usize]) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(rng, i + 1));
    }
}

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
    fn new(node: &str, choice: &ChoiceDef, why: &str) -> Self {
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
    fn new(scenario: &Scenario, choice: &ChoiceDef) -> Self {
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
