//! A checked scenario, ready to play: ids resolved to indices, conditions parsed, effects laid
//! out per competency. Only [`crate::validate`] builds one, so the engine and the analysis can
//! rely on every index being valid.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::condition::Condition;
use crate::contacts::Contacts;
use crate::model::{
    BehaviourCode, Levels, Mood, Outcome, Persona, ScenarioKind, Severity, Speaker,
};

/// Index of a node in [`Scenario::nodes`] (the same order as in the file).
pub type NodeIx = usize;

/// A playable scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The id of its module.
    pub topic: String,
    /// Its module's title, as the library declares it (the id until a library names it).
    pub module_title: String,
    /// Practice or the module's assessment.
    pub kind: ScenarioKind,
    /// Content version.
    pub version: u32,
    /// Library card text.
    pub summary: String,
    /// Estimated minutes.
    pub minutes: u32,
    /// Learning objectives.
    pub objectives: Vec<String>,
    /// Content notes shown before play.
    pub content_notes: Vec<String>,
    /// The mentee.
    pub persona: Persona,
    /// The competency framework this scenario is scored against.
    pub rubric: RubricRef,
    /// The competencies this scenario assesses, with their pass thresholds.
    pub competencies: Vec<Competency>,
    /// Minimum overall score to pass.
    pub overall_threshold: f64,
    /// Mentee state.
    pub variables: Vec<VariableDef>,
    /// First node.
    pub start: NodeIx,
    /// The graph.
    pub nodes: Vec<ScenarioNode>,
    /// Where the scenario was loaded from.
    pub file: String,
    /// SHA-256 of the source text, hex: records name the exact content an attempt was made on.
    pub sha256: String,
    /// The file's text as loaded. Stored with each attempt, so an attempt can be re-scored
    /// against exactly what was played after the file has changed or gone.
    pub source: Arc<str>,
    /// The program contacts its texts were filled with, every placeholder with the value
    /// shown (see [`Scenario::with_contacts`]); empty while the texts hold the placeholders.
    pub contacts: BTreeMap<String, String>,
}

/// Which rubric (and which version of it) scores a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct RubricRef {
    /// Rubric id.
    pub id: String,
    /// Rubric version.
    pub version: u32,
    /// Score bands.
    pub levels: Levels,
    /// Decisions each claimed competency needs on every path of an assessment.
    #[serde(skip)]
    pub min_evidence: u32,
    /// The rubric file's name, as loaded.
    pub file: String,
    /// SHA-256 of the rubric file's text, hex.
    pub sha256: String,
    /// The rubric file's text (see [`Scenario::source`]).
    #[serde(skip)]
    pub source: Arc<str>,
}

/// A competency as a scenario assesses it.
#[derive(Debug, Clone, Serialize)]
pub struct Competency {
    /// Rubric code, e.g. "LIS".
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Minimum score to pass this scenario.
    pub threshold: f64,
}

/// A mentee variable.
#[derive(Debug, Clone)]
pub struct VariableDef {
    /// Name used in conditions.
    pub name: String,
    /// Initial value.
    pub start: i32,
    /// Lower clamp.
    pub min: i32,
    /// Upper clamp.
    pub max: i32,
    /// What it stands for, for trainers (may be empty).
    pub description: String,
}

/// A node with its id.
#[derive(Debug, Clone)]
pub struct ScenarioNode {
    /// Id from the file.
    pub id: String,
    /// What the node does.
    pub kind: NodeKind,
}

/// What a node does.
#[derive(Debug, Clone)]
pub enum NodeKind {
    /// A line the trainee answers or continues from.
    Line(LineNode),
    /// A silent switch: `(condition, next)` routes, the last one unconditional.
    Branch(Vec<(Option<Condition>, NodeIx)>),
    /// The end.
    Ending(EndingNode),
}

/// A line of dialogue.
#[derive(Debug, Clone)]
pub struct LineNode {
    /// Who speaks.
    pub speaker: Speaker,
    /// Visible mood.
    pub mood: Mood,
    /// The main wording first, then the alternatives.
    pub texts: Vec<String>,
    /// What follows.
    pub next: LineNext,
}

/// What follows a line.
#[derive(Debug, Clone)]
pub enum LineNext {
    /// A decision.
    Choices(Vec<ChoiceDef>),
    /// No decision: the conversation continues here.
    Continue(NodeIx),
}

/// An option of a decision.
#[derive(Debug, Clone)]
pub struct ChoiceDef {
    /// Id, unique within the line.
    pub id: String,
    /// What the trainee says.
    pub text: String,
    /// Where it leads.
    pub next: NodeIx,
    /// Offered only when this holds.
    pub when: Option<Condition>,
    /// Points per assessed competency, in [`Scenario::competencies`] order.
    pub effects: Vec<i32>,
    /// Behaviour codes.
    pub codes: Vec<BehaviourCode>,
    /// Why it helps or hurts.
    pub feedback: String,
    /// How serious a mistake it is.
    pub severity: Severity,
    /// `(variable, delta)` changes.
    pub state: Vec<(usize, i32)>,
}

impl ChoiceDef {
    /// Its points over all competencies: what makes an option the best of a decision.
    pub fn total_effect(&self) -> i64 {
        self.effects.iter().map(|&e| i64::from(e)).sum()
    }
}

/// The total that makes an option the best of those `offered`: the highest among options that
/// are not mistakes, or the highest of all when every option is one. The engine's debrief and
/// `check` share this rule; `None` when nothing is offered.
pub fn best_total<'c>(offered: impl Iterator<Item = &'c ChoiceDef> + Clone) -> Option<i64> {
    offered
        .clone()
        .filter(|c| c.severity == Severity::Normal)
        .map(ChoiceDef::total_effect)
        .max()
        .or_else(|| offered.map(ChoiceDef::total_effect).max())
}

/// An ending.
#[derive(Debug, Clone)]
pub struct EndingNode {
    /// How it went for the mentee.
    pub outcome: Outcome,
    /// Short name.
    pub title: String,
    /// Closing line.
    pub text: String,
    /// Mentee's mood.
    pub mood: Mood,
    /// Debrief text.
    pub debrief: String,
    /// What reaching it asserts about the route.
    pub requires: Option<Condition>,
    /// Paragraphs that follow the route.
    pub notes: Vec<NoteNode>,
    /// The paragraph added when the attempt did not pass.
    pub not_passed: Option<String>,
}

/// A debrief paragraph that depends on the route.
#[derive(Debug, Clone)]
pub struct NoteNode {
    /// Shown only when this holds at the ending.
    pub when: Option<Condition>,
    /// The paragraph.
    pub text: String,
    /// What it asserts about the route.
    pub requires: Option<Condition>,
}

impl EndingNode {
    /// The debrief as shown at the ending with these variable values: the text, then each
    /// note whose condition holds, then (for an attempt that did not pass) why the ending and
    /// the verdict differ, as paragraphs.
    pub fn debrief_for(&self, vars: &[i32], passed: bool) -> String {
        let mut debrief = self.debrief.clone();
        let not_passed = self.not_passed.iter().filter(|_| !passed);
        for paragraph in self
            .notes
            .iter()
            .filter(|n| n.shows(vars))
            .map(|n| &n.text)
            .chain(not_passed)
        {
            debrief.push_str("\n\n");
            debrief.push_str(paragraph);
        }
        debrief
    }
}

impl NoteNode {
    /// Whether the note is part of the debrief with these variable values.
    pub fn shows(&self, vars: &[i32]) -> bool {
        self.when.as_ref().is_none_or(|c| c.holds(vars))
    }
}

/// How a decision is scaled for one visit: per competency, the worst option's points and the
/// spread between the best and worst option offered. A competency whose spread is zero is not
/// assessed by that decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionScale {
    /// Lowest points among the offered options, per competency.
    pub worst: Vec<i32>,
    /// Best minus worst, per competency.
    pub possible: Vec<i32>,
}

impl DecisionScale {
    /// Points above the worst offered option that a choice earns, per competency.
    pub fn earned(&self, choice: &ChoiceDef) -> Vec<i32> {
        choice
            .effects
            .iter()
            .zip(&self.worst)
            .map(|(effect, worst)| effect - worst)
            .collect()
    }
}

/// A chain of branches that never reaches a line or an ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchLoop(pub NodeIx);

impl Scenario {
    /// This scenario as a program's trainees see it: every `{placeholder}` in its shown texts
    /// filled from `contacts`. Filling twice changes nothing more: the first fill is kept.
    pub fn with_contacts(&self, contacts: &Contacts) -> Scenario {
        let mut filled = self.clone();
        if !filled.contacts.is_empty() {
            return filled;
        }
        filled.contacts = contacts.shown();
        let fill = |text: &mut String| {
            if let Cow::Owned(new) = contacts.fill(text) {
                *text = new;
            }
        };
        filled.for_each_shown_text(fill);
        filled
    }

    /// Calls `f` on every text a trainee may be shown.
    fn for_each_shown_text(&mut self, mut f: impl FnMut(&mut String)) {
        f(&mut self.title);
        f(&mut self.summary);
        self.objectives.iter_mut().for_each(&mut f);
        self.content_notes.iter_mut().for_each(&mut f);
        f(&mut self.persona.setting);
        f(&mut self.persona.background);
        for node in &mut self.nodes {
            match &mut node.kind {
                NodeKind::Line(line) => {
                    if let Speaker::Other(name) = &mut line.speaker {
                        f(name);
                    }
                    line.texts.iter_mut().for_each(&mut f);
                    if let LineNext::Choices(choices) = &mut line.next {
                        for choice in choices {
                            f(&mut choice.text);
                            f(&mut choice.feedback);
                            if let Severity::Major(why) | Severity::Critical(why) =
                                &mut choice.severity
                            {
                                f(why);
                            }
                        }
                    }
                }
                NodeKind::Ending(ending) => {
                    f(&mut ending.title);
                    f(&mut ending.text);
                    f(&mut ending.debrief);
                    ending.notes.iter_mut().for_each(|note| f(&mut note.text));
                    ending.not_passed.iter_mut().for_each(&mut f);
                }
                NodeKind::Branch(_) => {}
            }
        }
    }

    /// Variable values at the start.
    pub fn initial_vars(&self) -> Vec<i32> {
        self.variables.iter().map(|v| v.start).collect()
    }

    /// The line at a node, if it is one.
    pub fn line(&self, node: NodeIx) -> Option<&LineNode> {
        match &self.nodes[node].kind {
            NodeKind::Line(line) => Some(line),
            _ => None,
        }
    }

    /// The choices of a line (empty for other nodes and continue-lines).
    pub fn choices(&self, node: NodeIx) -> &[ChoiceDef] {
        match self.line(node).map(|l| &l.next) {
            Some(LineNext::Choices(choices)) => choices,
            _ => &[],
        }
    }

    /// The ending at a node, if it is one.
    pub fn ending(&self, node: NodeIx) -> Option<&EndingNode> {
        match &self.nodes[node].kind {
            NodeKind::Ending(ending) => Some(ending),
            _ => None,
        }
    }

    /// Indices (author order) of the choices offered at a node for these variable values.
    pub fn visible_choices(&self, node: NodeIx, vars: &[i32]) -> Vec<usize> {
        self.choices(node)
            .iter()
            .enumerate()
            .filter(|(_, c)| c.when.as_ref().is_none_or(|w| w.holds(vars)))
            .map(|(i, _)| i)
            .collect()
    }

    /// The scale of a decision given the options offered.
    pub fn decision_scale(&self, node: NodeIx, visible: &[usize]) -> DecisionScale {
        let choices = self.choices(node);
        let n = self.competencies.len();
        let mut worst = vec![i32::MAX; n];
        let mut best = vec![i32::MIN; n];
        for &i in visible {
            for (c, &effect) in choices[i].effects.iter().enumerate() {
                worst[c] = worst[c].min(effect);
                best[c] = best[c].max(effect);
            }
        }
        if visible.is_empty() {
            return DecisionScale {
                worst: vec![0; n],
                possible: vec![0; n],
            };
        }
        let possible = best.iter().zip(&worst).map(|(b, w)| b - w).collect();
        DecisionScale { worst, possible }
    }

    /// Variable values after a choice's changes, clamped to each variable's range.
    pub fn apply(&self, choice: &ChoiceDef, vars: &[i32]) -> Vec<i32> {
        let mut next = Vec::with_capacity(vars.len());
        self.apply_into(choice, vars, &mut next);
        next
    }

    /// [`Scenario::apply`] into a buffer, for the analysis that applies millions of choices.
    pub fn apply_into(&self, choice: &ChoiceDef, vars: &[i32], next: &mut Vec<i32>) {
        next.clear();
        next.extend_from_slice(vars);
        for &(var, delta) in &choice.state {
            let def = &self.variables[var];
            next[var] = next[var].saturating_add(delta).clamp(def.min, def.max);
        }
    }

    /// Follows branches from `node` until a line or an ending; returns it and the branches
    /// passed through.
    pub fn resolve(&self, node: NodeIx, vars: &[i32]) -> Result<(NodeIx, Vec<NodeIx>), BranchLoop> {
        let mut current = node;
        let mut passed = Vec::new();
        while let NodeKind::Branch(routes) = &self.nodes[current].kind {
            if passed.len() > self.nodes.len() {
                return Err(BranchLoop(node));
            }
            passed.push(current);
            current = routes
                .iter()
                .find(|(when, _)| when.as_ref().is_none_or(|w| w.holds(vars)))
                .map(|&(_, next)| next)
                .ok_or(BranchLoop(current))?;
        }
        Ok((current, passed))
    }

    /// Index of a competency by id.
    pub fn competency_index(&self, id: &str) -> Option<usize> {
        self.competencies.iter().position(|c| c.id == id)
    }

    /// Index of a node by id.
    pub fn node_index(&self, id: &str) -> Option<NodeIx> {
        self.nodes.iter().position(|n| n.id == id)
    }
}
