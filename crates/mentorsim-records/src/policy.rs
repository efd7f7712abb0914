//! A program's readiness policy: which modules or scenarios a new mentor must pass, and how.
//!
//! Programs differ (a school program may demand stricter safety scores than a workplace one),
//! so the rule is a RON file a coordinator edits, checked like a scenario: every mistake is
//! reported at its line and column with a fix. See `docs/readiness.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::retakes::Retakes;
use crate::store::AttemptSummary;
use mentorsim_script::contacts::{Contacts, PLACEHOLDERS, placeholder};
use mentorsim_script::diagnostic::{Code, Diagnostic};
use mentorsim_script::engine::{AttemptResult, Mode};
use mentorsim_script::library::Library;
use mentorsim_script::load::{closest, parse, read_source};
use mentorsim_script::model::{ModuleId, ScenarioKind};
use mentorsim_script::source::SourceText;
use mentorsim_script::syntax::{RonPath, locate};

/// The policy bundled with mentorsim, used when no `--policy` is given.
pub const DEFAULT_POLICY_FILE: &str = "program.policy.ron";

/// What a program requires before a mentor meets a mentee.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Stable id, printed on certificates.
    pub id: String,
    /// Version; raise it when the rule changes so certificates say which rule they met.
    pub version: u32,
    /// The program, as exports name it.
    pub program: Program,
    /// Each of these must be met by a counting attempt. Left out, every module the library
    /// marks `required`.
    #[serde(default)]
    pub require: Vec<Requirement>,
    /// Only attempts played in assessment mode count.
    #[serde(default = "yes")]
    pub assessment_mode_only: bool,
    /// An attempt with any critical error does not count, whatever its scores.
    #[serde(default = "yes")]
    pub no_critical_errors: bool,
    /// An attempt counts for this many days after it ended (none: for ever).
    #[serde(default)]
    pub max_age_days: Option<u32>,
    /// Minimum score per competency id in a counting attempt, on top of the scenario's own
    /// pass rule (e.g. stricter safety). Applies where the attempt assessed the competency.
    #[serde(default)]
    pub thresholds: BTreeMap<String, f64>,
    /// The program's contacts, shown where scenario texts write `{crisis_line}`,
    /// `{emergency_number}`, `{coordinator}` or `{safeguarding_lead}`; any left out shows its
    /// default (see `mentorsim_script::contacts`).
    #[serde(default)]
    pub contacts: Contacts,
    /// When a module's assessment may be retaken and still count (see [`crate::retakes`]).
    #[serde(default)]
    pub retakes: Retakes,
    /// What the debrief of an assessment-mode attempt shows.
    #[serde(default)]
    pub assessment_debrief: AssessmentDebrief,
}

/// What an assessment-mode debrief shows. Showing the best option at every decision turns a
/// retake into a memory test, so a program may keep them for after a pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum AssessmentDebrief {
    /// Everything, as in practice: each decision with its feedback and the stronger reply.
    #[default]
    Everything,
    /// The stronger replies and each option's feedback only after a passed attempt; before
    /// that, the competency scores and the explanation of each critical or serious mistake.
    BestOptionsAfterPass,
}

/// What a debrief says where it keeps the stronger replies back.
pub const BEST_OPTIONS_WITHHELD: &str = "The stronger reply at each decision is shown once you pass this assessment, as the readiness policy asks: a retake then tests the skill, not your memory of this one.";

impl Policy {
    /// Whether an attempt fails for reasons of its own, whatever its mode or age: not passed,
    /// a critical error (when the policy counts them), or a score below its threshold.
    pub fn failed(&self, attempt: &AttemptSummary) -> bool {
        !attempt.passed
            || (self.no_critical_errors && !attempt.critical.is_empty())
            || attempt.scores.iter().any(|(competency, score)| {
                self.thresholds
                    .get(&**competency)
                    .is_some_and(|needed| score < needed)
            })
    }

    /// Whether the debrief of this finished attempt shows the stronger reply at each decision.
    pub fn shows_best_options(&self, result: &AttemptResult) -> bool {
        result.mode == Mode::Practice
            || self.assessment_debrief == AssessmentDebrief::Everything
            || (result.passed && result.critical.is_empty())
    }
}

fn yes() -> bool {
    true
}

/// The program that owns the records.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Program {
    /// Name shown on reports.
    pub name: String,
    /// The program's web address: trainee accounts and activity ids in xAPI exports are
    /// named under it.
    pub home_page: String,
}

/// One thing a trainee must have passed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub enum Requirement {
    /// The module's assessment scenarios (its forms): any one of them.
    Module(ModuleId),
    /// This scenario.
    Scenario(String),
}

impl Requirement {
    /// How reports name it.
    pub fn label(&self, library: &Library) -> String {
        match self {
            Requirement::Module(module) => format!("Module: {}", library.module_title(&module.0)),
            Requirement::Scenario(id) => {
                let title = library.scenario(id).map_or(id.as_str(), |s| &s.title);
                format!("Scenario: {title}")
            }
        }
    }
}

/// A policy that loaded, with any warnings about it.
#[derive(Debug)]
pub struct LoadedPolicy {
    /// The policy.
    pub policy: Policy,
    /// Where it came from.
    pub file: String,
    /// Its text, so that certificates can name the exact rule they applied.
    pub text: String,
    /// Warnings (a policy with errors does not load).
    pub warnings: Vec<Diagnostic>,
}

/// Reads and checks a policy file against the library it will judge.
pub fn load(path: &Path, library: &Library) -> Result<LoadedPolicy, Vec<Diagnostic>> {
    let source = read_source(path, &path.display().to_string()).map_err(|d| vec![d])?;
    from_source(&source, library)
}

/// Checks a policy text against the library it will judge.
pub fn from_source(
    source: &SourceText,
    library: &Library,
) -> Result<LoadedPolicy, Vec<Diagnostic>> {
    let mut policy: Policy = parse(source).map_err(|d| vec![d])?;
    let mut findings: Vec<Finding> = Vec::new();
    let root = RonPath::root();
    let require_written = locate(&source.text, &[root.field("require")])[0].is_some();
    if !require_written {
        policy.require = library
            .modules
            .iter()
            .filter(|m| m.required)
            .map(|m| Requirement::Module(ModuleId(m.id.clone())))
            .collect();
    }
    if policy.id.trim().is_empty() {
        findings.push((
            root.field("id"),
            Code::EmptyText,
            "the policy id is empty".into(),
            "give it a short stable id, e.g. \"spring-cohort\"".into(),
        ));
    }
    if !policy.program.home_page.starts_with("https://")
        && !policy.program.home_page.starts_with("http://")
    {
        findings.push((
            root.field("program").field("home_page"),
            Code::BadHomePage,
            format!("`{}` is not a web address", policy.program.home_page),
            "write the program's address, e.g. \"https://mentoring.example.org\"".into(),
        ));
    }
    if policy.require.is_empty() {
        findings.push((
            root.field("require"),
            Code::NothingRequired,
            if require_written {
                "the policy requires nothing, so everyone would be ready".into()
            } else {
                "the policy has no `require` list and the library marks no module `required`, so everyone would be ready".into()
            },
            "list modules, e.g. `require: [Module(\"active-listening\")]`".into(),
        ));
    }
    let scenario_ids = library.scenario_ids();
    for (i, requirement) in policy.require.iter().enumerate() {
        let place = root.field("require").index(i);
        match requirement {
            Requirement::Module(module) if library.module(&module.0).is_none() => {
                let ids: Vec<&str> = library.modules.iter().map(|m| m.id.as_str()).collect();
                let hint = match closest(&module.0, &ids) {
                    Some(near) => format!("did you mean `Module(\"{near}\")`?"),
                    None => format!("the library's modules are {}", ids.join(", ")),
                };
                findings.push((
                    place,
                    Code::UnknownModule,
                    format!("the library declares no module `{module}`"),
                    hint,
                ));
            }
            Requirement::Module(module) => {
                let has_assessment = library
                    .scenarios
                    .iter()
                    .filter_map(|e| e.scenario.as_ref())
                    .any(|s| s.topic == module.0 && s.kind == ScenarioKind::Assessment);
                if !has_assessment {
                    findings.push((
                        place,
                        Code::ModuleWithoutAssessment,
                        format!(
                            "the library has no playable assessment scenario in {}",
                            library.module_title(&module.0)
                        ),
                        "add one (`kind: Assessment`) or require a scenario by id instead".into(),
                    ));
                }
            }
            Requirement::Scenario(id) if !scenario_ids.contains(&id.as_str()) => {
                let hint = match closest(id, &scenario_ids) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("known scenarios: {}", scenario_ids.join(", ")),
                };
                findings.push((
                    place,
                    Code::UnknownScenario,
                    format!("there is no playable scenario `{id}` in the library"),
                    hint,
                ));
            }
            Requirement::Scenario(_) => {}
        }
    }
    let competencies: Vec<&str> = library
        .rubrics
        .iter()
        .flat_map(|r| r.competencies.iter().map(|c| c.id.as_str()))
        .collect();
    for (id, value) in &policy.thresholds {
        let place = root.field("thresholds").key(id);
        if !competencies.contains(&id.as_str()) {
            let hint = match closest(id, &competencies) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the rubric's competencies are {}", competencies.join(", ")),
            };
            findings.push((
                place,
                Code::UnknownCompetency,
                format!("no rubric defines a competency `{id}`"),
                hint,
            ));
        } else if !(0.0..=1.0).contains(value) {
            findings.push((
                place,
                Code::BadThreshold,
                format!("the threshold {value} is outside 0.0 to 1.0"),
                "write a fraction, e.g. 0.8 for 80%".into(),
            ));
        }
    }
    check_play_rules(&policy, &mut findings);
    if policy.max_age_days == Some(0) {
        findings.push((
            root.field("max_age_days"),
            Code::BadAge,
            "`max_age_days: Some(0)` would make every attempt too old".into(),
            "give a number of days, or `None` for no limit".into(),
        ));
    }
    let diagnostics = located(source, findings);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(LoadedPolicy {
        policy,
        file: source.name.clone(),
        text: source.text.clone(),
        warnings: diagnostics,
    })
}

/// A policy text with what a station needs to play (contacts, retakes, the debrief) checked,
/// but not judged against any library: a station plays a folder of practice scenarios under
/// the program's contacts even where its readiness rule would not apply.
pub fn for_play(source: &SourceText) -> Result<Policy, Vec<Diagnostic>> {
    let policy: Policy = parse(source).map_err(|d| vec![d])?;
    let mut findings = Vec::new();
    check_play_rules(&policy, &mut findings);
    let diagnostics = located(source, findings);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(policy)
}

fn check_play_rules(policy: &Policy, findings: &mut Vec<Finding>) {
    check_contacts(&policy.contacts, findings);
    if let Some(limit) = policy.retakes.max_attempts {
        let place = RonPath::root().field("retakes").field("max_attempts");
        for (field, value) in [
            ("attempts", limit.attempts),
            ("period_days", limit.period_days),
        ] {
            if value == 0 {
                findings.push((
                    place.clone(),
                    Code::BadRetakes,
                    format!("`{field}: 0` in `max_attempts` would let no attempt count"),
                    "e.g. `max_attempts: Some((attempts: 3, period_days: 30))`, or `None` for no limit".into(),
                ));
            }
        }
    }
}

/// A policy finding before it is located: where, what code, what is wrong, the fix.
/// A problem at a place in a RON file: the code, the message and the fix.
pub(crate) type Finding = (RonPath, Code, String, String);

fn check_contacts(contacts: &Contacts, findings: &mut Vec<Finding>) {
    let root = RonPath::root();
    for (name, value) in &contacts.0 {
        let place = root.field("contacts").key(name);
        if placeholder(name).is_none() {
            let names: Vec<&str> = PLACEHOLDERS.iter().map(|p| p.name).collect();
            let hint = match closest(name, &names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the contacts are {}", names.join(", ")),
            };
            findings.push((
                place,
                Code::UnknownPlaceholder,
                format!("`{name}` is not a contact scenario texts can show"),
                hint,
            ));
        } else if value.trim().is_empty() {
            findings.push((
                place,
                Code::EmptyText,
                format!("the contact `{name}` is empty"),
                "write what trainees should see, or leave it out for the default".into(),
            ));
        }
    }
}

/// The findings as diagnostics pointing at their places in `source`.
pub(crate) fn located(source: &SourceText, findings: Vec<Finding>) -> Vec<Diagnostic> {
    let paths: Vec<RonPath> = findings.iter().map(|f| f.0.clone()).collect();
    let spans = locate(&source.text, &paths);
    findings
        .into_iter()
        .zip(spans)
        .map(|((_, code, message, hint), span)| {
            Diagnostic::at(code, source, span.unwrap_or(0..0), message).with_hint(hint)
        })
        .collect()
}
