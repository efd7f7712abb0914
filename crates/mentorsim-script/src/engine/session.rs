//! A session: one attempt moving through a scenario, line by line, and what it shows.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::result::{ChoiceSummary, CompetencyResult, DecisionReview, FlaggedChoice};
use super::rng::{below, rng_for, shuffle};
use super::{Action, AttemptResult, Mode, PlayError, Rehearsal, SessionState};
use crate::model::{BehaviourCode, Mood, Severity, Speaker};
use crate::scenario::{
    BranchLoop, DecisionScale, LineNext, NodeIx, NodeKind, Scenario, best_total,
};
use crate::scoring::{Level, Totals, evaluate};

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

    /// The decisions made so far, as the result will review them: what a record of the attempt
    /// in progress says about each choice before the ending is reached.
    pub fn decisions(&self) -> Vec<DecisionReview> {
        self.visits.iter().filter_map(|v| self.review(v)).collect()
    }

    /// The review of one visit's choice, `None` where nothing was chosen.
    fn review(&self, visit: &Visit) -> Option<DecisionReview> {
        let scenario = &self.scenario;
        let choices = scenario.choices(visit.node);
        let choice = &choices[visit.chosen?];
        let best = &choices[best_option(scenario, visit)];
        Some(DecisionReview {
            node: scenario.nodes[visit.node].id.clone(),
            speaker: scenario
                .line(visit.node)
                .map_or(Speaker::Mentee, |l| l.speaker.clone()),
            prompt: visit.text.clone(),
            chosen: ChoiceSummary::new(scenario, choice),
            was_best: best.total_effect() == choice.total_effect(),
            best: ChoiceSummary::new(scenario, best),
        })
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
            decisions.extend(self.review(visit));
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
            ending_debrief: ending.debrief_for(&self.vars, evaluation.passed),
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

/// The option with the highest total effect among those offered ([`best_total`]), critical and
/// major mistakes aside: the first such in the file, or, when every option is a mistake, the
/// last with that total.
fn best_option(scenario: &Scenario, visit: &Visit) -> usize {
    let choices = scenario.choices(visit.node);
    let mut offered: Vec<usize> = visit.order.clone();
    offered.sort_unstable();
    let Some(best) = best_total(offered.iter().map(|&i| &choices[i])) else {
        return 0;
    };
    let is_best = |&i: &usize| choices[i].total_effect() == best;
    offered
        .iter()
        .copied()
        .find(|i| choices[*i].severity == Severity::Normal && is_best(i))
        .or_else(|| offered.iter().copied().rev().find(is_best))
        .unwrap_or(0)
}
