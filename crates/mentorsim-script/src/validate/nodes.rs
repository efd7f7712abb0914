//! The nodes of a scenario, checked and built: ids resolved to indices, conditions parsed,
//! points laid out per competency. A large scenario's nodes are built on two threads.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use super::findings::{Findings, check_bound};
use crate::condition::{Bounds, Condition};
use crate::diagnostic::Code;
use crate::limits::{MAX_EFFECT, MAX_VARIABLE, SUGGESTION_BUDGET};
use crate::load::Suggester;
use crate::model::{self, Node, ScenarioFile, Speaker};
use crate::scenario::{
    ChoiceDef, Competency, EndingNode, LineNext, LineNode, NodeKind, NoteNode, ScenarioNode,
    VariableDef,
};
use crate::syntax::RonPath;

pub(super) struct BuiltNodes<'f> {
    pub(super) index: HashMap<&'f str, usize, RandomState>,
    pub(super) built: Vec<ScenarioNode>,
}

pub(super) fn build_nodes<'f>(
    findings: &mut Findings,
    file: &'f ScenarioFile,
    competencies: &[Competency],
    variables: &[VariableDef],
) -> BuiltNodes<'f> {
    let root = RonPath::root();
    let mut index: HashMap<&str, usize, RandomState> =
        HashMap::with_capacity_and_hasher(file.nodes.len(), RandomState::default());
    for (i, node) in file.nodes.iter().enumerate() {
        let path = || root.field("nodes").index(i).field("id");
        if node.id().trim().is_empty() {
            findings.non_empty(path, node.id(), "node id");
            continue;
        }
        if !is_plain_id(node.id()) {
            findings.report(
Code::UnusualId,
                path(),
                format!("node id `{}` has characters other than letters, digits, `-` and `_`", node.id().escape_debug()),
                "node ids name places in records and in xAPI statements: use e.g. `asks-about-home`",
            );
        }
        if let Some(first) = index.get(node.id()) {
            let first_path = root.field("nodes").index(*first).field("id");
            findings
                .report(
                    Code::DuplicateId,
                    path(),
                    format!("node id `{}` is used twice", node.id()),
                    format!(
                        "the first use is node {} ({first_path}); rename one of them",
                        first + 1
                    ),
                )
                .label("duplicate");
        } else {
            index.insert(node.id(), i);
        }
    }
    if file.nodes.is_empty() {
        findings.report(
            Code::NoNodes,
            root.field("nodes"),
            "the scenario has no nodes",
            "add at least a `Line(...)` and an `Ending(...)`",
        );
    }

    let var_index = |name: &str| variables.iter().position(|v| v.name == name);
    let bounds: Vec<Bounds> = variables
        .iter()
        .map(|v| (i64::from(v.min), i64::from(v.max)))
        .collect();
    // Nodes are built independently: a large scenario's are built in two halves on two
    // threads, each half's findings kept in order after the other's.
    let build = |first: usize, nodes: &[Node]| {
        let mut found = Findings::default();
        let mut ctx = NodeContext {
            findings: &mut found,
            // Each half of a large file has its own share, so the hints do not depend on
            // which thread gets there first.
            suggester: Suggester::new(SUGGESTION_BUDGET / 2),
            index: &index,
            competencies,
            var_index: &var_index,
            bounds: &bounds,
        };
        let built: Vec<ScenarioNode> = nodes
            .iter()
            .enumerate()
            .map(|(i, node)| ScenarioNode {
                id: node.id().to_owned(),
                kind: ctx.node(first + i, node),
            })
            .collect();
        (built, found)
    };
    let ((mut built, mut found), (rest, found_in_rest)) = if file.nodes.len() < BUILD_SPLIT_FROM {
        (build(0, &file.nodes), Default::default())
    } else {
        let half = file.nodes.len() / 2;
        let (head, tail) = file.nodes.split_at(half);
        std::thread::scope(|scope| {
            let tail = scope.spawn(|| build(half, tail));
            let head = build(0, head);
            let tail = tail
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (head, tail)
        })
    };
    built.extend(rest);
    found.0.extend(found_in_rest.0);
    findings.0.append(&mut found.0);
    BuiltNodes { index, built }
}

/// From this many nodes on, a scenario is built on two threads.
pub(super) const BUILD_SPLIT_FROM: usize = 4_096;

pub(super) struct NodeContext<'a, 'f> {
    pub(super) findings: &'a mut Findings,
    pub(super) suggester: Suggester,
    pub(super) index: &'a HashMap<&'f str, usize, RandomState>,
    pub(super) competencies: &'a [Competency],
    pub(super) var_index: &'a (dyn Fn(&str) -> Option<usize> + Sync),
    pub(super) bounds: &'a [Bounds],
}

impl NodeContext<'_, '_> {
    pub(super) fn node(&mut self, i: usize, node: &Node) -> NodeKind {
        // Paths are built only for findings: most nodes have none.
        let path = || RonPath::root().field("nodes").index(i);
        match node {
            Node::Line(line) => NodeKind::Line(self.line(&path, line)),
            Node::Branch(branch) => {
                if branch.routes.is_empty() {
                    self.findings.report(
Code::DeadEnd,
                        path().field("routes"),
                        format!("branch `{}` has no routes", branch.id),
                        "add routes; the last one without `when` so the conversation always continues",
                    );
                }
                let mut routes = Vec::new();
                let mut fallback_seen = false;
                for (r, route) in branch.routes.iter().enumerate() {
                    let route_path = || path().field("routes").index(r);
                    if fallback_seen {
                        self.findings.report(
Code::UnreachableRoute,
                            route_path(),
                            "this route comes after a route without a condition, so it is never taken",
                            "move it above the route without `when`",
                        );
                    }
                    let when = route
                        .when
                        .as_deref()
                        .and_then(|w| self.condition(|| route_path().field("when"), w));
                    fallback_seen |= route.when.is_none();
                    let next = self.target(|| route_path().field("next"), &route.next);
                    routes.push((when, next));
                }
                if !fallback_seen && !branch.routes.is_empty() {
                    self.findings.report(
                        Code::MissingFallback,
                        path().field("routes").index(branch.routes.len() - 1),
                        format!(
                            "branch `{}` has no route for when no condition holds",
                            branch.id
                        ),
                        "make the last route unconditional: `Route(next: \"...\")` without `when`",
                    );
                }
                NodeKind::Branch(routes)
            }
            Node::Ending(ending) => {
                self.findings
                    .shown_text(|| path().field("title"), &ending.title, "ending title");
                self.findings
                    .shown_text(|| path().field("text"), &ending.text, "ending text");
                self.findings
                    .shown_text(|| path().field("debrief"), &ending.debrief, "debrief");
                if let Some(text) = &ending.not_passed {
                    self.findings.shown_text(
                        || path().field("not_passed"),
                        text,
                        "`not_passed` paragraph",
                    );
                }
                let requires = ending
                    .requires
                    .as_deref()
                    .and_then(|r| self.condition(|| path().field("requires"), r));
                let notes = ending
                    .notes
                    .iter()
                    .enumerate()
                    .map(|(k, note)| {
                        let note_path = || path().field("notes").index(k);
                        self.findings
                            .shown_text(|| note_path().field("text"), &note.text, "note");
                        NoteNode {
                            when: note
                                .when
                                .as_deref()
                                .and_then(|w| self.condition(|| note_path().field("when"), w)),
                            text: note.text.clone(),
                            requires: note
                                .requires
                                .as_deref()
                                .and_then(|r| self.condition(|| note_path().field("requires"), r)),
                        }
                    })
                    .collect();
                NodeKind::Ending(EndingNode {
                    outcome: ending.outcome,
                    title: ending.title.clone(),
                    text: ending.text.clone(),
                    mood: ending.mood,
                    debrief: ending.debrief.clone(),
                    requires,
                    notes,
                    not_passed: ending.not_passed.clone(),
                })
            }
        }
    }

    pub(super) fn line(&mut self, path: &impl Fn() -> RonPath, line: &model::Line) -> LineNode {
        if let Speaker::Other(name) = &line.speaker {
            self.findings
                .shown_text(|| path().field("speaker").index(0), name, "speaker");
        }
        self.findings
            .shown_text(|| path().field("text"), &line.text, "line text");
        for (v, variant) in line.variants.iter().enumerate() {
            self.findings.shown_text(
                || path().field("variants").index(v),
                variant,
                "alternative wording",
            );
        }
        let texts = std::iter::once(&line.text)
            .chain(&line.variants)
            .cloned()
            .collect();
        let next = match (&line.next, line.choices.is_empty()) {
            (Some(_), false) => {
                self.findings.report(
                    Code::ChoicesAndNext,
                    path().field("next"),
                    format!("line `{}` has both choices and `next`", line.id),
                    "a line either offers choices or continues to `next`: remove one",
                );
                LineNext::Continue(0)
            }
            (Some(next), true) => LineNext::Continue(self.target(|| path().field("next"), next)),
            (None, true) => {
                self.findings
                    .report(
Code::DeadEnd,
                        path().field("id"),
                        format!("line `{}` has no choices and no `next`, so the conversation gets stuck here", line.id),
                        "add `choices: [...]`, set `next: \"...\"`, or make it an `Ending(...)`",
                    )
                    .label("dead end");
                LineNext::Continue(0)
            }
            (None, false) => LineNext::Choices(self.choices(path, line)),
        };
        if line.choices.len() > 9 {
            self.findings.report(
                Code::TooManyChoices,
                path().field("choices"),
                format!("line `{}` offers {} choices", line.id, line.choices.len()),
                "trainees pick with keys 1-9 and read every option: offer at most 9 (3-4 is best)",
            );
        }
        LineNode {
            speaker: line.speaker.clone(),
            mood: line.mood,
            texts,
            next,
        }
    }

    pub(super) fn choices(
        &mut self,
        path: &impl Fn() -> RonPath,
        line: &model::Line,
    ) -> Vec<ChoiceDef> {
        let mut built = Vec::with_capacity(line.choices.len());
        for (c, choice) in line.choices.iter().enumerate() {
            let path = || path().field("choices").index(c);
            // A line has a handful of choices: comparing with the earlier ones is cheapest.
            if line.choices[..c]
                .iter()
                .any(|earlier| earlier.id == choice.id)
            {
                self.findings.report(
                    Code::DuplicateId,
                    path().field("id"),
                    format!(
                        "choice id `{}` is used twice in line `{}`",
                        choice.id, line.id
                    ),
                    "give each choice of a line its own id",
                );
            }
            self.findings
                .non_empty(|| path().field("id"), &choice.id, "choice id");
            if !choice.id.trim().is_empty() && !is_plain_id(&choice.id) {
                self.findings.report(
Code::UnusualId,
                    path().field("id"),
                    format!("choice id `{}` has characters other than letters, digits, `-` and `_`", choice.id.escape_debug()),
                    "choice ids are stored in records and xAPI statements: use e.g. `reflect-feeling`",
                );
            }
            self.findings
                .shown_text(|| path().field("text"), &choice.text, "choice text");
            self.findings
                .shown_text(|| path().field("feedback"), &choice.feedback, "feedback");
            match &choice.severity {
                model::Severity::Critical(why) | model::Severity::Major(why) => {
                    self.findings.shown_text(
                        || path().field("severity"),
                        why,
                        "explanation of the mistake",
                    );
                }
                model::Severity::Normal => {}
            }
            let mut effects = vec![0; self.competencies.len()];
            for (id, &points) in &choice.effects {
                let points = check_bound(
                    self.findings,
                    || path().field("effects").key(id),
                    points,
                    MAX_EFFECT,
                    "an option's points",
                );
                match self.competencies.iter().position(|c| &c.id == id) {
                    Some(k) => effects[k] = points,
                    None => {
                        self.findings
                            .report(
                                Code::UnknownCompetency,
                                path().field("effects").key(id),
                                format!(
                                    "`{id}` is not one of the competencies this scenario assesses"
                                ),
                                format!(
                                    "add it to the scenario's `competencies` or use one of: {}",
                                    self.competencies
                                        .iter()
                                        .map(|c| c.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                            .label("not assessed here");
                    }
                }
            }
            let mut state = Vec::new();
            for (name, &delta) in &choice.state {
                let delta = check_bound(
                    self.findings,
                    || path().field("state").key(name),
                    delta,
                    MAX_VARIABLE,
                    "a change to a variable",
                );
                match (self.var_index)(name) {
                    Some(v) => state.push((v, delta)),
                    None => {
                        self.findings
                            .report(
                                Code::UnknownVariable,
                                path().field("state").key(name),
                                format!("there is no variable named `{name}`"),
                                "declare it under `variables`, or fix the spelling",
                            )
                            .label("unknown variable");
                    }
                }
            }
            let when = choice
                .when
                .as_deref()
                .and_then(|w| self.condition(|| path().field("when"), w));
            built.push(ChoiceDef {
                id: choice.id.clone(),
                text: choice.text.clone(),
                next: self.target(|| path().field("next"), &choice.next),
                when,
                effects,
                codes: choice.codes.clone(),
                feedback: choice.feedback.clone(),
                severity: choice.severity.clone(),
                state,
            });
        }
        built
    }

    pub(super) fn target(&mut self, path: impl FnOnce() -> RonPath, id: &str) -> usize {
        match self.index.get(id) {
            Some(&n) => n,
            None => {
                self.findings
                    .report(
                        Code::UnknownNode,
                        path(),
                        format!("there is no node `{id}` to go to"),
                        nearest_hint(&mut self.suggester, id, self.index.keys().copied()),
                    )
                    .label("no node has this id");
                0
            }
        }
    }

    pub(super) fn condition(
        &mut self,
        path: impl FnOnce() -> RonPath,
        text: &str,
    ) -> Option<Condition> {
        match Condition::parse(text, self.var_index) {
            Ok(condition) => {
                let (can_hold, can_fail) = condition.possible(self.bounds);
                if !can_hold {
                    self.findings
                        .report(
                            Code::ConditionNeverHolds,
                            path(),
                            format!("`{text}` can never hold with the variables' ranges"),
                            "check the numbers against each variable's `min` and `max`",
                        )
                        .label("never true");
                } else if !can_fail {
                    self.findings
                        .report(
                            Code::ConditionAlwaysHolds,
                            path(),
                            format!("`{text}` always holds with the variables' ranges"),
                            "remove the condition, or check the numbers against `min` and `max`",
                        )
                        .label("always true");
                }
                Some(condition)
            }
            Err(error) => {
                self.findings
                    .report(error.code, path(), error.message, error.hint)
                    .inner(error.span);
                None
            }
        }
    }
}

pub(super) fn nearest_hint<'a>(
    suggester: &mut Suggester,
    id: &str,
    known: impl Iterator<Item = &'a str>,
) -> String {
    match suggester.closest(id, known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "check the spelling against the ids in this file".to_owned(),
    }
}

/// Scenario, node and choice ids: they are typed on the command line and become parts of the
/// IRIs of xAPI statements, so they keep to letters, digits, `-` and `_`. For node and choice
/// ids it is a warning, not an error: records made on older texts with other ids must still
/// replay, and exports percent-encode whatever an id holds.
pub(super) fn is_plain_id(id: &str) -> bool {
    id.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub(super) fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "and" | "or" | "not")
}
