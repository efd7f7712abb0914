//! Readiness: does each trainee's record meet the program's [`Policy`]?
//!
//! Every requirement is met by one *counting* attempt: finished, passed under the scenario's own
//! rule, and within the policy's limits (mode, critical errors, stricter competency thresholds,
//! age). When none counts, the reasons come from the latest attempt that could have, so a
//! coordinator sees what to work on next rather than a bare "not yet".

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::policy::{Policy, Requirement};
use crate::retakes::forms;
use crate::store::{AttemptSummary, Relevant, Trainee, timestamp_text};
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scoring::shown_percent;

/// One trainee's standing under a policy.
#[derive(Debug, Clone, Serialize)]
pub struct TraineeReadiness {
    /// Trainee id.
    pub trainee: String,
    /// Display name.
    pub name: String,
    /// Every requirement met.
    pub ready: bool,
    /// When the earliest counting attempt stops counting (with `max_age_days`).
    pub valid_until: Option<String>,
    /// Each requirement of the policy, in its order.
    pub requirements: Vec<RequirementStatus>,
}

/// Where a trainee stands on one requirement.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementStatus {
    /// How reports name the requirement.
    pub requirement: String,
    /// Whether a counting attempt meets it.
    pub met: bool,
    /// The newest counting attempt when met; otherwise the latest attempt the reasons are
    /// about (none when there is no attempt yet).
    pub attempt: Option<String>,
    /// When that attempt ended.
    pub ended: Option<String>,
    /// Why not (empty when met).
    pub reasons: Vec<String>,
}

/// Judges every trainee. `summaries` are the finished attempts (any order); `now` is the time
/// the judgement is made at, so results are reproducible.
pub fn evaluate(
    policy: &Policy,
    library: &Library,
    trainees: &[Trainee],
    summaries: &[AttemptSummary],
    now: jiff::Timestamp,
) -> Vec<TraineeReadiness> {
    let judge = Judge::new(policy, library, now);
    let mut by_trainee: HashMap<&str, Vec<&AttemptSummary>> = HashMap::new();
    for summary in summaries {
        by_trainee
            .entry(&*summary.trainee)
            .or_default()
            .push(summary);
    }
    trainees
        .iter()
        .map(|trainee| {
            let mut attempts = by_trainee.remove(trainee.id.as_str()).unwrap_or_default();
            attempts.sort_by(|a, b| b.ended.cmp(&a.ended));
            judge.trainee(trainee, &attempts)
        })
        .collect()
}

/// The attempts `policy` can count, for [`crate::store::Store::summaries`]: attempts at its
/// required scenarios and at its modules' assessment scenarios in `library` (which covers
/// attempts recorded before schema 2 noted the module), and module assessments recorded at
/// scenarios the library no longer has.
pub fn relevant(policy: &Policy, library: &Library) -> Relevant {
    let mut relevant = Relevant::default();
    for requirement in &policy.require {
        match requirement {
            Requirement::Scenario(id) => relevant.scenarios.push(id.clone()),
            Requirement::Module(module) => {
                relevant.modules.push(module.0.clone());
                relevant.scenarios.extend(
                    library
                        .scenarios
                        .iter()
                        .filter_map(|e| e.scenario.as_ref())
                        .filter(|s| s.topic == module.0 && s.kind == ScenarioKind::Assessment)
                        .map(|s| s.id.clone()),
                );
            }
        }
    }
    relevant
}

/// The policy with what it needs from the library, prepared once for all trainees.
struct Judge<'a> {
    policy: &'a Policy,
    library: &'a Library,
    labels: Vec<String>,
    /// Scenario id -> (module, kind, title), for attempts recorded before schema 2 and titles.
    scenarios: HashMap<&'a str, (&'a str, ScenarioKind, &'a str)>,
    /// Module id -> how many assessment forms it has.
    forms: HashMap<&'a str, usize>,
    /// Competency id -> name.
    names: BTreeMap<&'a str, &'a str>,
    /// Attempts that ended before this no longer count.
    cutoff: Option<String>,
    max_age: Option<jiff::SignedDuration>,
}

impl<'a> Judge<'a> {
    fn new(policy: &'a Policy, library: &'a Library, now: jiff::Timestamp) -> Self {
        let max_age = policy
            .max_age_days
            .map(|days| jiff::SignedDuration::from_hours(24 * i64::from(days)));
        Judge {
            policy,
            library,
            forms: library
                .modules
                .iter()
                .map(|m| (m.id.as_str(), forms(library, &m.id).len()))
                .collect(),
            labels: policy.require.iter().map(|r| r.label(library)).collect(),
            scenarios: library
                .scenarios
                .iter()
                .filter_map(|e| e.scenario.as_ref())
                .map(|s| (s.id.as_str(), (s.topic.as_str(), s.kind, s.title.as_str())))
                .collect(),
            names: library
                .rubrics
                .iter()
                .flat_map(|r| &r.competencies)
                .map(|c| (c.id.as_str(), c.name.as_str()))
                .collect(),
            cutoff: max_age.and_then(|age| now.checked_sub(age).ok().map(timestamp_text)),
            max_age,
        }
    }

    /// `attempts` newest first.
    fn trainee(&self, trainee: &Trainee, attempts: &[&AttemptSummary]) -> TraineeReadiness {
        let requirements: Vec<RequirementStatus> = self
            .policy
            .require
            .iter()
            .zip(&self.labels)
            .map(|(requirement, label)| self.requirement(requirement, label, attempts))
            .collect();
        let valid_until = match self.max_age {
            Some(age) if requirements.iter().all(|r| r.met) => requirements
                .iter()
                .filter_map(|r| r.ended.as_deref())
                .min()
                .and_then(|ended| ended.parse::<jiff::Timestamp>().ok())
                .and_then(|ended| ended.checked_add(age).ok())
                .map(timestamp_text),
            _ => None,
        };
        TraineeReadiness {
            trainee: trainee.id.clone(),
            name: trainee.name.clone(),
            ready: requirements.iter().all(|r| r.met),
            valid_until,
            requirements,
        }
    }

    fn requirement(
        &self,
        requirement: &Requirement,
        label: &str,
        attempts: &[&AttemptSummary],
    ) -> RequirementStatus {
        let candidates: Vec<&AttemptSummary> = attempts
            .iter()
            .copied()
            .filter(|a| self.applies(requirement, a))
            .collect();
        // The retake rule is about a module's forms: a required scenario is its own form.
        let retake = |at: usize| match requirement {
            Requirement::Module(module) => self.policy.retakes.breach(
                &candidates,
                at,
                self.forms.get(module.0.as_str()).copied().unwrap_or(0),
                |a| self.policy.failed(a),
            ),
            Requirement::Scenario(_) => None,
        };
        if let Some(counting) = candidates
            .iter()
            .enumerate()
            .find(|(at, a)| self.shortfalls(a).next().is_none() && retake(*at).is_none())
            .map(|(_, a)| a)
        {
            return RequirementStatus {
                requirement: label.to_owned(),
                met: true,
                attempt: Some(counting.id.clone()),
                ended: Some(counting.ended.clone()),
                reasons: Vec::new(),
            };
        }
        let latest_at = candidates
            .iter()
            .position(|a| a.mode == Mode::Assessment || !self.policy.assessment_mode_only)
            .or((!candidates.is_empty()).then_some(0));
        let latest = latest_at.map(|at| candidates[at]);
        RequirementStatus {
            requirement: label.to_owned(),
            met: false,
            attempt: latest.map(|a| a.id.clone()),
            ended: latest.map(|a| a.ended.clone()),
            reasons: match latest {
                None => vec![format!("no attempt yet at {}", self.what(requirement))],
                Some(latest) => self
                    .shortfalls(latest)
                    .map(|shortfall| self.reason(latest, shortfall))
                    .chain(latest_at.and_then(retake).map(|breach| breach.reason()))
                    .collect(),
            },
        }
    }

    /// Whether an attempt is at the requirement's scenario(s).
    fn applies(&self, requirement: &Requirement, attempt: &AttemptSummary) -> bool {
        match requirement {
            Requirement::Scenario(id) => *attempt.scenario == **id,
            Requirement::Module(module) => {
                let known = attempt.topic.as_deref().zip(attempt.kind).or_else(|| {
                    self.scenarios
                        .get(&*attempt.scenario)
                        .map(|&(t, k, _)| (t, k))
                });
                known == Some((module.0.as_str(), ScenarioKind::Assessment))
            }
        }
    }

    /// What keeps an attempt from counting (none: it counts). Lazy, so that finding the
    /// counting attempt among a long history costs no text.
    fn shortfalls<'s>(
        &'s self,
        attempt: &'s AttemptSummary,
    ) -> impl Iterator<Item = Shortfall<'s>> + 's {
        let policy = self.policy;
        let practice = (policy.assessment_mode_only && attempt.mode != Mode::Assessment)
            .then_some(Shortfall::PracticeMode);
        let failed = (!attempt.passed).then_some(Shortfall::NotPassed);
        let critical = attempt
            .critical
            .iter()
            .filter(move |_| policy.no_critical_errors)
            .map(|said| Shortfall::Critical(said));
        let below = attempt
            .scores
            .iter()
            .filter_map(move |(competency, score)| {
                let needed = *policy.thresholds.get(&**competency)?;
                (*score < needed).then_some(Shortfall::BelowThreshold {
                    competency,
                    score: *score,
                    needed,
                })
            });
        let too_old = self
            .cutoff
            .as_ref()
            .filter(|cutoff| attempt.ended < **cutoff)
            .map(|_| Shortfall::TooOld);
        practice
            .into_iter()
            .chain(failed)
            .chain(critical)
            .chain(below)
            .chain(too_old)
    }

    /// A shortfall as a coordinator reads it.
    fn reason(&self, attempt: &AttemptSummary, shortfall: Shortfall) -> String {
        match shortfall {
            Shortfall::PracticeMode => {
                "played in practice mode; only assessment mode counts".to_owned()
            }
            Shortfall::NotPassed => format!(
                "did not pass {} (overall {:.0}%)",
                self.title(&attempt.scenario),
                shown_percent(attempt.overall)
            ),
            Shortfall::Critical(said) => format!("critical error: \u{201c}{said}\u{201d}"),
            Shortfall::BelowThreshold {
                competency,
                score,
                needed,
            } => {
                let name = self.names.get(competency).unwrap_or(&"");
                format!(
                    "{name} ({competency}) scored {:.0}%; the program needs {:.0}%",
                    shown_percent(score),
                    needed * 100.0
                )
            }
            Shortfall::TooOld => format!(
                "ended more than {} days ago; it has to be played again",
                self.policy.max_age_days.unwrap_or_default()
            ),
        }
    }

    fn title<'s>(&'s self, scenario: &'s str) -> &'s str {
        self.scenarios.get(scenario).map_or(scenario, |s| s.2)
    }

    fn what(&self, requirement: &Requirement) -> String {
        match requirement {
            Requirement::Module(module) => {
                format!("the {} assessment", self.library.module_title(&module.0))
            }
            Requirement::Scenario(id) => self.title(id).to_owned(),
        }
    }
}

/// Why an attempt does not count.
enum Shortfall<'s> {
    PracticeMode,
    NotPassed,
    /// What the trainee said.
    Critical(&'s str),
    BelowThreshold {
        competency: &'s str,
        score: f64,
        needed: f64,
    },
    TooOld,
}

/// How one competency moved over a trainee's finished attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    /// Competency id.
    pub competency: String,
    /// Score in the first attempt that assessed it.
    pub first: f64,
    /// Score in the latest attempt that assessed it.
    pub latest: f64,
    /// Attempts that assessed it.
    pub attempts: usize,
}

/// Growth per competency from a trainee's first to latest finished attempt, in the order the
/// competencies were first assessed. Practice counts too: it is the trainee's learning.
pub fn growth(attempts: &[AttemptSummary]) -> Vec<Growth> {
    let mut ordered: Vec<&AttemptSummary> = attempts.iter().collect();
    ordered.sort_by(|a, b| a.ended.cmp(&b.ended));
    let mut out: Vec<Growth> = Vec::new();
    for attempt in ordered {
        for (competency, score) in &attempt.scores {
            match out.iter_mut().find(|g| *g.competency == **competency) {
                Some(growth) => {
                    growth.latest = *score;
                    growth.attempts += 1;
                }
                None => out.push(Growth {
                    competency: competency.to_string(),
                    first: *score,
                    latest: *score,
                    attempts: 1,
                }),
            }
        }
    }
    out
}
