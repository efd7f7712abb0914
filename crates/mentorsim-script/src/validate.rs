//! Semantic checks of parsed files, and the building of a playable [`Scenario`].
//!
//! Checks name the value they are about by its path in the file ([`RonPath`]); the paths are
//! located in the text in one pass at the end, so a clean file costs no location work at all.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;
use std::ops::Range;
use std::sync::Arc;

use crate::analysis::{self, Analysis, Place};
use crate::condition::{Bounds, Condition};
use crate::diagnostic::{Diagnostic, Severity};
use crate::limits::{MAX_EFFECT, MAX_VARIABLE, SUGGESTION_BUDGET};
use crate::load::Suggester;
use crate::model::{self, Node, RubricFile, ScenarioFile};
use crate::scenario::{
    ChoiceDef, Competency, EndingNode, LineNext, LineNode, NodeKind, RubricRef, Scenario,
    ScenarioNode, VariableDef,
};
use crate::source::{RonPath, SourceText, literal_offset, locate};

/// A checked competency framework.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// Id scenarios refer to.
    pub id: String,
    /// Version.
    pub version: u32,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Score bands.
    pub levels: model::Levels,
    /// Competencies.
    pub competencies: Vec<model::CompetencyDef>,
    /// Where it was loaded from.
    pub file: String,
    /// The file's text, kept for the records (see [`Scenario::source`]).
    pub source: Arc<str>,
    /// SHA-256 of that text, hex.
    pub sha256: String,
}

impl Rubric {
    /// A competency by id.
    pub fn competency(&self, id: &str) -> Option<&model::CompetencyDef> {
        self.competencies.iter().find(|c| c.id == id)
    }
}

/// What checking a scenario file gives.
#[derive(Debug)]
pub struct CheckedScenario {
    /// The built scenario, whenever the file's links and ids resolve; the analysis may still
    /// have found errors in it (see `playable`).
    pub scenario: Option<Scenario>,
    /// Whether the scenario has no errors at all and may be played.
    pub playable: bool,
    /// The analysis of all paths, when the scenario could be built.
    pub analysis: Option<Analysis>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A finding waiting for its place in the file.
struct Finding {
    severity: Severity,
    code: &'static str,
    path: RonPath,
    /// For findings inside a string (a condition): the byte range within its contents.
    inner: Option<Range<usize>>,
    message: String,
    hint: String,
    label: String,
}

#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        path: RonPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> &mut Finding {
        self.0.push(Finding {
            severity,
            code,
            path,
            inner: None,
            message: message.into(),
            hint: hint.into(),
            label: String::new(),
        });
        self.0.last_mut().expect("just pushed")
    }

    fn error(
        &mut self,
        code: &'static str,
        path: RonPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> &mut Finding {
        self.add(Severity::Error, code, path, message, hint)
    }

    fn warning(
        &mut self,
        code: &'static str,
        path: RonPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> &mut Finding {
        self.add(Severity::Warning, code, path, message, hint)
    }

    fn has_errors(&self) -> bool {
        self.0.iter().any(|f| f.severity == Severity::Error)
    }

    fn non_empty(&mut self, path: impl FnOnce() -> RonPath, text: &str, what: &str) {
        if text.chars().all(char::is_whitespace) {
            self.error(
                "empty-text",
                path(),
                format!("{what} is empty"),
                format!("write the {what}, or remove the field if it is optional"),
            )
            .label("empty");
        }
    }

    /// Locates every finding in the text and turns it into a diagnostic.
    fn into_diagnostics(self, source: &SourceText) -> Vec<Diagnostic> {
        // Ask for every prefix too, so a finding whose exact value is absent (an optional
        // field left out) still points at the nearest enclosing value.
        let mut paths: Vec<RonPath> = Vec::new();
        let mut wanted: HashMap<RonPath, usize> = HashMap::new();
        for finding in &self.0 {
            for len in 0..=finding.path.0.len() {
                let prefix = RonPath(finding.path.0[..len].iter().cloned().collect());
                wanted.entry(prefix.clone()).or_insert_with(|| {
                    paths.push(prefix);
                    paths.len() - 1
                });
            }
        }
        let spans = locate(&source.text, &paths);
        let mut diagnostics: Vec<Diagnostic> = self
            .0
            .into_iter()
            .map(|finding| {
                let span = (0..=finding.path.0.len())
                    .rev()
                    .find_map(|len| {
                        spans[wanted[&RonPath(finding.path.0[..len].iter().cloned().collect())]]
                            .clone()
                    })
                    .unwrap_or(0..0);
                let span = match finding.inner {
                    Some(inner) if span.len() >= 2 => inside_literal(&source.text, span, inner),
                    _ => span,
                };
                Diagnostic::at(
                    finding.severity,
                    finding.code,
                    source,
                    span,
                    finding.message,
                )
                .with_hint(finding.hint)
                .with_label(finding.label)
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line, d.column));
        diagnostics
    }
}

/// Where `inner`, a range in the value of the string literal at `literal`, is in the text.
/// An empty range grows to the character it points at, so that the caret shows.
fn inside_literal(text: &str, literal: Range<usize>, inner: Range<usize>) -> Range<usize> {
    let written = &text[literal.clone()];
    let close = literal.end - 1;
    let start = (literal.start + literal_offset(written, inner.start)).min(close);
    let end = (literal.start + literal_offset(written, inner.end)).min(close);
    if end > start {
        return start..end;
    }
    let width = text[start..].chars().next().map_or(0, char::len_utf8);
    start..(start + width).min(literal.end)
}

impl Finding {
    fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    fn inner(&mut self, range: Range<usize>) -> &mut Self {
        self.inner = Some(range);
        self
    }
}

/// Checks a rubric file.
pub fn check_rubric(source: &SourceText, file: RubricFile) -> (Option<Rubric>, Vec<Diagnostic>) {
    let mut findings = Findings::default();
    let root = RonPath::root();
    findings.non_empty(|| root.field("id"), &file.id, "rubric id");
    findings.non_empty(|| root.field("title"), &file.title, "title");
    let levels = root.field("levels");
    for (name, value) in [
        ("proficient", file.levels.proficient),
        ("developing", file.levels.developing),
    ] {
        check_fraction(&mut findings, levels.field(name), value);
    }
    if file.levels.developing > file.levels.proficient {
        findings.error(
            "bad-levels",
            levels.field("developing"),
            "the developing band starts above the proficient band",
            "`developing` must be lower than `proficient`",
        );
    }
    if file.competencies.is_empty() {
        findings.error(
            "no-competencies",
            root.field("competencies"),
            "the rubric defines no competencies",
            "add at least one `Competency(...)`",
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, competency) in file.competencies.iter().enumerate() {
        let path = root.field("competencies").index(i);
        if let Some(first) = seen.insert(&competency.id, i) {
            findings.error(
                "duplicate-id",
                path.field("id"),
                format!("competency id `{}` is used twice", competency.id),
                format!(
                    "competency {} already uses it; give each one its own id",
                    first + 1
                ),
            );
        }
        for (field, text) in [
            ("id", &competency.id),
            ("name", &competency.name),
            ("definition", &competency.definition),
            ("proficient", &competency.proficient),
            ("developing", &competency.developing),
            ("not_yet", &competency.not_yet),
        ] {
            findings.non_empty(|| path.field(field), text, field);
        }
        check_fraction(&mut findings, path.field("threshold"), competency.threshold);
    }
    let failed = findings.has_errors();
    let diagnostics = findings.into_diagnostics(source);
    let rubric = (!failed).then(|| Rubric {
        id: file.id,
        version: file.version,
        title: file.title,
        description: file.description,
        levels: file.levels,
        competencies: file.competencies,
        file: source.name.clone(),
        source: source.text.as_str().into(),
        sha256: crate::digest::sha256_hex(source.text.as_bytes()),
    });
    (rubric, diagnostics)
}

/// Reports a number beyond `bound` either way, and gives it back clamped so that building the
/// scenario can go on without overflowing.
fn check_bound(findings: &mut Findings, path: RonPath, value: i32, bound: i32, what: &str) -> i32 {
    if !(-bound..=bound).contains(&value) {
        findings
            .error(
                "value-out-of-range",
                path,
                format!("{value} is out of range for {what}"),
                format!("keep it between -{bound} and {bound} (see the limits in docs/scenario-format.md)"),
            )
            .label("out of range");
    }
    value.clamp(-bound, bound)
}

fn check_fraction(findings: &mut Findings, path: RonPath, value: f64) {
    if !(0.0..=1.0).contains(&value) {
        findings.error(
            "bad-threshold",
            path,
            format!("{value} is not a score between 0 and 1"),
            "scores and thresholds are fractions: write 0.7 for 70%",
        );
    }
}

/// Checks a scenario file against the rubrics it can see, builds it when it has no errors, and
/// analyses every path through it.
pub fn check_scenario<'r>(
    source: &SourceText,
    file: ScenarioFile,
    rubric_named: impl Fn(&str) -> Option<&'r Rubric>,
) -> CheckedScenario {
    let mut findings = Findings::default();
    let root = RonPath::root();
    check_metadata(&mut findings, &file);

    let rubric = rubric_named(&file.rubric);
    if rubric.is_none() {
        findings
            .error(
                "unknown-rubric",
                root.field("rubric"),
                format!("no rubric with id `{}` was found", file.rubric),
                "put the `*.rubric.ron` file with this id in the library (or a folder above the scenario), or fix the id",
            )
            .label("unknown rubric");
    }
    let competencies = check_competencies(&mut findings, &file, rubric);
    let variables: Vec<VariableDef> = file
        .variables
        .iter()
        .map(|(name, v)| VariableDef {
            name: name.clone(),
            start: v.start,
            min: v.min,
            max: v.max,
            description: v.description.clone(),
        })
        .collect();
    for var in &variables {
        let path = root.field("variables").key(&var.name);
        if var.min > var.max || !(var.min..=var.max).contains(&var.start) {
            findings.error(
                "bad-variable",
                path.clone(),
                format!(
                    "variable `{}` starts at {} outside its range {}..={}",
                    var.name, var.start, var.min, var.max
                ),
                "`min` <= `start` <= `max` must hold",
            );
        }
        for (field, value) in [("start", var.start), ("min", var.min), ("max", var.max)] {
            check_bound(
                &mut findings,
                path.field(field),
                value,
                MAX_VARIABLE,
                "a variable",
            );
        }
        if !is_identifier(&var.name) {
            findings.error(
                "bad-variable",
                path,
                format!("`{}` cannot be used in conditions", var.name),
                "variable names are letters, digits and `_`, starting with a letter",
            );
        }
    }

    let BuiltNodes { index, built } = build_nodes(&mut findings, &file, &competencies, &variables);
    let start = index.get(file.start.as_str()).copied();
    if start.is_none() {
        findings
            .error(
                "unknown-node",
                root.field("start"),
                format!("the start node `{}` does not exist", file.start),
                nearest_hint(
                    &mut Suggester::new(SUGGESTION_BUDGET),
                    &file.start,
                    index.keys().copied(),
                ),
            )
            .label("no node has this id");
    }

    let (Some(rubric), Some(start), false) = (rubric, start, findings.has_errors()) else {
        return CheckedScenario {
            scenario: None,
            playable: false,
            analysis: None,
            diagnostics: findings.into_diagnostics(source),
        };
    };
    let scenario = Scenario {
        id: file.id.clone(),
        title: file.title.clone(),
        topic: file.topic,
        kind: file.kind,
        version: file.version,
        summary: file.summary.clone(),
        minutes: file.minutes,
        objectives: file.objectives.clone(),
        content_notes: file.content_notes.clone(),
        persona: file.persona.clone(),
        rubric: RubricRef {
            id: rubric.id.clone(),
            version: rubric.version,
            levels: rubric.levels,
            file: rubric.file.clone(),
            sha256: rubric.sha256.clone(),
            source: Arc::clone(&rubric.source),
        },
        competencies,
        overall_threshold: file.pass.overall,
        variables,
        start,
        nodes: built,
        file: source.name.clone(),
        sha256: crate::digest::sha256_hex(source.text.as_bytes()),
        source: source.text.as_str().into(),
    };
    drop(index);
    // The scenario copies the file's texts rather than taking them: copied, they sit in
    // fresh memory beside the rest of the scenario, and the analysis over them ran twice as
    // fast as over texts taken from the parse (measured at 100k nodes). Freeing the file's
    // millions of allocations then overlaps the analysis.
    let analysis = std::thread::scope(|scope| {
        scope.spawn(move || drop(file));
        analysis::analyze(&scenario)
    });
    for finding in &analysis.findings {
        let path = place_path(&finding.place);
        let already_explained = finding.code == "choice-never-offered"
            && findings
                .0
                .iter()
                .any(|f| f.code == "condition-never-holds" && f.path == path);
        if already_explained {
            continue;
        }
        findings.add(
            finding.severity,
            finding.code,
            path,
            finding.message.clone(),
            finding.hint.clone(),
        );
    }
    CheckedScenario {
        scenario: Some(scenario),
        playable: !findings.has_errors(),
        analysis: Some(analysis),
        diagnostics: findings.into_diagnostics(source),
    }
}

fn place_path(place: &Place) -> RonPath {
    let root = RonPath::root();
    let node = |n: usize| root.field("nodes").index(n);
    match *place {
        Place::Node(n) => node(n).field("id"),
        Place::Choice(n, c) => node(n).field("choices").index(c).field("id"),
        Place::ChoiceCondition(n, c) => node(n).field("choices").index(c).field("when"),
        Place::PassRule => root.field("pass"),
        Place::Competency(c) => root.field("competencies").index(c),
    }
}

fn check_metadata(findings: &mut Findings, file: &ScenarioFile) {
    let root = RonPath::root();
    for (field, text) in [
        ("id", &file.id),
        ("title", &file.title),
        ("summary", &file.summary),
        ("rubric", &file.rubric),
    ] {
        findings.non_empty(|| root.field(field), text, field);
    }
    if !file.id.is_empty() && !is_plain_id(&file.id) {
        findings.error(
            "bad-id",
            root.field("id"),
            format!("scenario id `{}` has characters other than letters, digits, `-` and `_`", file.id),
            "ids are typed on the command line and stored in records: use e.g. `al-not-college-material`",
        );
    }
    if file.version == 0 {
        findings.error(
            "bad-version",
            root.field("version"),
            "version 0 is not allowed",
            "start at `version: 1` and increase it whenever the content changes",
        );
    }
    let persona = root.field("persona");
    findings.non_empty(|| persona.field("name"), &file.persona.name, "persona name");
    findings.non_empty(
        || persona.field("setting"),
        &file.persona.setting,
        "persona setting",
    );
    findings.non_empty(
        || persona.field("background"),
        &file.persona.background,
        "persona background",
    );
    for (i, text) in file.objectives.iter().enumerate() {
        findings.non_empty(|| root.field("objectives").index(i), text, "objective");
    }
    for (i, text) in file.content_notes.iter().enumerate() {
        findings.non_empty(
            || root.field("content_notes").index(i),
            text,
            "content note",
        );
    }
    check_fraction(
        findings,
        root.field("pass").field("overall"),
        file.pass.overall,
    );
}

fn check_competencies(
    findings: &mut Findings,
    file: &ScenarioFile,
    rubric: Option<&Rubric>,
) -> Vec<Competency> {
    let root = RonPath::root();
    if file.competencies.is_empty() {
        findings.error(
            "no-competencies",
            root.field("competencies"),
            "the scenario assesses no competency",
            "list the rubric competencies its choices score, e.g. `competencies: [\"LIS\", \"COL\"]`",
        );
    }
    let mut seen = HashSet::new();
    let mut competencies = Vec::new();
    let mut suggester = Suggester::new(SUGGESTION_BUDGET);
    for (i, id) in file.competencies.iter().enumerate() {
        let path = root.field("competencies").index(i);
        if !seen.insert(id.as_str()) {
            findings.error(
                "duplicate-id",
                path,
                format!("competency `{id}` is listed twice"),
                "list each competency once",
            );
            continue;
        }
        let Some(rubric) = rubric else {
            // Without its rubric the scenario cannot be built; keep the id so that effects on
            // it are not reported as unknown too.
            competencies.push(Competency {
                id: id.clone(),
                name: id.clone(),
                threshold: 0.0,
            });
            continue;
        };
        match rubric.competency(id) {
            Some(def) => competencies.push(Competency {
                id: id.clone(),
                name: def.name.clone(),
                threshold: file
                    .pass
                    .competencies
                    .get(id)
                    .copied()
                    .unwrap_or(def.threshold),
            }),
            None => {
                findings
                    .error(
                        "unknown-competency",
                        path,
                        format!("rubric `{}` has no competency `{id}`", rubric.id),
                        nearest_hint(
                            &mut suggester,
                            id,
                            rubric.competencies.iter().map(|c| c.id.as_str()),
                        ),
                    )
                    .label("not in the rubric");
            }
        }
    }
    for (id, threshold) in &file.pass.competencies {
        let path = root.field("pass").field("competencies").key(id);
        check_fraction(findings, path.clone(), *threshold);
        if !seen.contains(id.as_str()) {
            findings.error(
                "unknown-competency",
                path,
                format!(
                    "the pass rule sets a threshold for `{id}`, which this scenario does not assess"
                ),
                "add it to `competencies`, or remove the threshold",
            );
        }
    }
    competencies
}

struct BuiltNodes<'f> {
    index: HashMap<&'f str, usize, RandomState>,
    built: Vec<ScenarioNode>,
}

fn build_nodes<'f>(
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
            findings.warning(
                "unusual-id",
                path(),
                format!("node id `{}` has characters other than letters, digits, `-` and `_`", node.id().escape_debug()),
                "node ids name places in records and in xAPI statements: use e.g. `asks-about-home`",
            );
        }
        if let Some(first) = index.get(node.id()) {
            let first_path = root.field("nodes").index(*first).field("id");
            findings
                .error(
                    "duplicate-id",
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
        findings.error(
            "no-nodes",
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
const BUILD_SPLIT_FROM: usize = 4_096;

struct NodeContext<'a, 'f> {
    findings: &'a mut Findings,
    suggester: Suggester,
    index: &'a HashMap<&'f str, usize, RandomState>,
    competencies: &'a [Competency],
    var_index: &'a (dyn Fn(&str) -> Option<usize> + Sync),
    bounds: &'a [Bounds],
}

impl NodeContext<'_, '_> {
    fn node(&mut self, i: usize, node: &Node) -> NodeKind {
        // Paths are built only for findings: most nodes have none.
        let path = || RonPath::root().field("nodes").index(i);
        match node {
            Node::Line(line) => NodeKind::Line(self.line(&path, line)),
            Node::Branch(branch) => {
                if branch.routes.is_empty() {
                    self.findings.error(
                        "dead-end",
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
                        self.findings.warning(
                            "unreachable-route",
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
                    self.findings.error(
                        "missing-fallback",
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
                    .non_empty(|| path().field("title"), &ending.title, "ending title");
                self.findings
                    .non_empty(|| path().field("text"), &ending.text, "ending text");
                self.findings
                    .non_empty(|| path().field("debrief"), &ending.debrief, "debrief");
                NodeKind::Ending(EndingNode {
                    outcome: ending.outcome,
                    title: ending.title.clone(),
                    text: ending.text.clone(),
                    mood: ending.mood,
                    debrief: ending.debrief.clone(),
                })
            }
        }
    }

    fn line(&mut self, path: &impl Fn() -> RonPath, line: &model::Line) -> LineNode {
        self.findings
            .non_empty(|| path().field("text"), &line.text, "line text");
        for (v, variant) in line.variants.iter().enumerate() {
            self.findings.non_empty(
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
                self.findings.error(
                    "choices-and-next",
                    path().field("next"),
                    format!("line `{}` has both choices and `next`", line.id),
                    "a line either offers choices or continues to `next`: remove one",
                );
                LineNext::Continue(0)
            }
            (Some(next), true) => LineNext::Continue(self.target(|| path().field("next"), next)),
            (None, true) => {
                self.findings
                    .error(
                        "dead-end",
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
            self.findings.warning(
                "too-many-choices",
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

    fn choices(&mut self, path: &impl Fn() -> RonPath, line: &model::Line) -> Vec<ChoiceDef> {
        let mut built = Vec::with_capacity(line.choices.len());
        for (c, choice) in line.choices.iter().enumerate() {
            let path = || path().field("choices").index(c);
            // A line has a handful of choices: comparing with the earlier ones is cheapest.
            if line.choices[..c]
                .iter()
                .any(|earlier| earlier.id == choice.id)
            {
                self.findings.error(
                    "duplicate-id",
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
                self.findings.warning(
                    "unusual-id",
                    path().field("id"),
                    format!("choice id `{}` has characters other than letters, digits, `-` and `_`", choice.id.escape_debug()),
                    "choice ids are stored in records and xAPI statements: use e.g. `reflect-feeling`",
                );
            }
            self.findings
                .non_empty(|| path().field("text"), &choice.text, "choice text");
            self.findings
                .non_empty(|| path().field("feedback"), &choice.feedback, "feedback");
            match &choice.severity {
                model::Severity::Critical(why) | model::Severity::Major(why) => {
                    self.findings.non_empty(
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
                    path().field("effects").key(id),
                    points,
                    MAX_EFFECT,
                    "an option's points",
                );
                match self.competencies.iter().position(|c| &c.id == id) {
                    Some(k) => effects[k] = points,
                    None => {
                        self.findings
                            .error(
                                "unknown-competency",
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
                    path().field("state").key(name),
                    delta,
                    MAX_VARIABLE,
                    "a change to a variable",
                );
                match (self.var_index)(name) {
                    Some(v) => state.push((v, delta)),
                    None => {
                        self.findings
                            .error(
                                "unknown-variable",
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

    fn target(&mut self, path: impl FnOnce() -> RonPath, id: &str) -> usize {
        match self.index.get(id) {
            Some(&n) => n,
            None => {
                self.findings
                    .error(
                        "unknown-node",
                        path(),
                        format!("there is no node `{id}` to go to"),
                        nearest_hint(&mut self.suggester, id, self.index.keys().copied()),
                    )
                    .label("no node has this id");
                0
            }
        }
    }

    fn condition(&mut self, path: impl FnOnce() -> RonPath, text: &str) -> Option<Condition> {
        match Condition::parse(text, self.var_index) {
            Ok(condition) => {
                let (can_hold, can_fail) = condition.possible(self.bounds);
                if !can_hold {
                    self.findings
                        .warning(
                            "condition-never-holds",
                            path(),
                            format!("`{text}` can never hold with the variables' ranges"),
                            "check the numbers against each variable's `min` and `max`",
                        )
                        .label("never true");
                } else if !can_fail {
                    self.findings
                        .warning(
                            "condition-always-holds",
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
                    .error(error.code, path(), error.message, error.hint)
                    .inner(error.span);
                None
            }
        }
    }
}

fn nearest_hint<'a>(
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
fn is_plain_id(id: &str) -> bool {
    id.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name, "and" | "or" | "not")
}
