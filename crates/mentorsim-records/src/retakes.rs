//! Retakes: when a module's assessment may be taken again and still count.
//!
//! A module may have several assessment forms (its `kind: Assessment` scenarios: the same
//! competencies, other people and risks). With one fixed form and unlimited retakes a pass
//! could be a memory test, so a policy can say: after a failed attempt the next counting one
//! is at another form (or the same form once enough days have passed), and how many
//! assessment attempts a period allows. Readiness applies the rule with reasons; the app and
//! `play` offer the form to take next ([`next_form`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::policy::Policy;
use crate::store::{AttemptSummary, timestamp_text};
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scenario::Scenario;

/// The policy's retake rule. Left out of a policy: no limits, as before forms existed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Retakes {
    /// After a failed assessment attempt, the next one counts only at another form of the
    /// module.
    #[serde(default)]
    pub other_form_after_fail: bool,
    /// ...or at the same form once this many days have passed since the failure (none: never,
    /// while the module has another form; a module with one form always allows it after the
    /// wait, or at once when no wait is given).
    #[serde(default)]
    pub same_form_after_days: Option<u32>,
    /// At most this many assessment attempts at a module count in any period of this length.
    #[serde(default)]
    pub max_attempts: Option<AttemptLimit>,
}

/// `max_attempts: Some((attempts: 3, period_days: 30))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptLimit {
    /// Attempts allowed in the period.
    pub attempts: u32,
    /// Its length in days.
    pub period_days: u32,
}

/// Why an assessment attempt does not count under the retake rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RetakeBreach {
    /// Taken on the form failed just before, too soon.
    SameFormAfterFail {
        /// When the failed attempt ended.
        failed: String,
        /// The wait the policy asks for, if any.
        wait_days: Option<u32>,
    },
    /// More attempts in the period than the policy allows.
    OverLimit {
        /// This attempt's number within the period.
        number: u32,
        /// The limit.
        limit: AttemptLimit,
    },
}

impl RetakeBreach {
    /// The reason as a coordinator or trainee reads it.
    pub fn reason(&self) -> String {
        match self {
            RetakeBreach::SameFormAfterFail {
                failed,
                wait_days: Some(days),
            } => format!(
                "taken on the same form as the attempt failed on {}; the next counting attempt is at another form, or at this one {days} days after the failure",
                day(failed)
            ),
            RetakeBreach::SameFormAfterFail {
                failed,
                wait_days: None,
            } => format!(
                "taken on the same form as the attempt failed on {}; the next counting attempt is at another form",
                day(failed)
            ),
            RetakeBreach::OverLimit { number, limit } => format!(
                "assessment attempt {number} at this module within {} days; the program counts {}",
                limit.period_days, limit.attempts
            ),
        }
    }
}

/// The date part of a record's timestamp.
fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}

impl Retakes {
    /// Why `attempts[at]` does not count under the rule, if it does not. `attempts` are one
    /// trainee's attempts at one module's forms, newest first; `forms` how many forms the
    /// module has; `failed` tells an attempt that would not count for reasons of its own.
    pub fn breach(
        &self,
        attempts: &[&AttemptSummary],
        at: usize,
        forms: usize,
        failed: impl Fn(&AttemptSummary) -> bool,
    ) -> Option<RetakeBreach> {
        let attempt = attempts[at];
        if attempt.mode != Mode::Assessment {
            return None;
        }
        let earlier = attempts[at + 1..]
            .iter()
            .filter(|a| a.mode == Mode::Assessment);
        if self.other_form_after_fail
            && let Some(previous) = earlier.clone().next()
            && previous.scenario == attempt.scenario
            && failed(previous)
            && !self.waited(previous, &attempt.ended, forms)
        {
            return Some(RetakeBreach::SameFormAfterFail {
                failed: previous.ended.clone(),
                wait_days: self.same_form_after_days,
            });
        }
        let limit = self.max_attempts?;
        let window_start = shifted(&attempt.ended, -i64::from(limit.period_days))?;
        let number = 1 + earlier.filter(|a| a.ended > window_start).count() as u32;
        (number > limit.attempts).then_some(RetakeBreach::OverLimit { number, limit })
    }

    /// Whether the same form may count again at `at`, after `failed`.
    fn waited(&self, failed: &AttemptSummary, at: &str, forms: usize) -> bool {
        match self.same_form_after_days {
            Some(days) => shifted(&failed.ended, i64::from(days)).is_some_and(|from| *at >= *from),
            None => forms <= 1,
        }
    }
}

/// A record timestamp moved by whole days; `None` when it cannot be read.
fn shifted(timestamp: &str, days: i64) -> Option<String> {
    let at: jiff::Timestamp = timestamp.parse().ok()?;
    at.checked_add(jiff::SignedDuration::from_hours(24 * days))
        .ok()
        .map(timestamp_text)
}

/// The form of a module a trainee should take next.
#[derive(Debug, Clone, PartialEq)]
pub struct NextForm {
    /// The id of the form to take, when one would count now.
    pub form: Option<String>,
    /// When the next attempt would count, if not now.
    pub from: Option<String>,
    /// Why this form (or why none yet), for the trainee.
    pub why: String,
}

/// The module's assessment forms in `library`, in id order.
pub fn forms<'l>(library: &'l Library, module: &str) -> Vec<&'l Arc<Scenario>> {
    let mut forms: Vec<&Arc<Scenario>> = library
        .scenarios
        .iter()
        .filter_map(|e| e.scenario.as_ref())
        .filter(|s| s.topic == module && s.kind == ScenarioKind::Assessment)
        .collect();
    forms.sort_by(|a, b| a.id.cmp(&b.id));
    forms
}

/// Why `scenario` cannot be played in practice mode for the record, if it cannot: practice
/// shows the feedback on every option, so a trainee who practised an assessment form would
/// take it knowing its key, and its pass would measure memory. The module's practice
/// scenarios are named instead.
pub fn practice_refused(library: &Library, scenario: &Scenario) -> Option<String> {
    if scenario.kind != ScenarioKind::Assessment {
        return None;
    }
    let practice: Vec<String> = library
        .scenarios
        .iter()
        .filter_map(|e| e.scenario.as_ref())
        .filter(|s| s.topic == scenario.topic && s.kind != ScenarioKind::Assessment)
        .map(|s| format!("\u{201c}{}\u{201d} ({})", s.title, s.id))
        .collect();
    let instead = if practice.is_empty() {
        "the module's practice scenarios".to_owned()
    } else {
        practice.join(" or ")
    };
    Some(format!(
        "\u{201c}{}\u{201d} is an assessment form of {}: it is played in assessment mode only, so \
         its key stays unknown until the debrief. Practise the module with {instead}.",
        scenario.title, scenario.module_title
    ))
}

/// The form to take next at `module`: one whose attempt would count now under the policy's
/// retake rule, preferring forms this trainee has not taken, then the least recently taken.
/// `attempts` are the trainee's finished attempts (any order); `now` the time of asking.
pub fn next_form(
    policy: &Policy,
    library: &Library,
    module: &str,
    attempts: &[AttemptSummary],
    now: jiff::Timestamp,
) -> NextForm {
    let forms = forms(library, module);
    let Some(first) = forms.first() else {
        return NextForm {
            form: None,
            from: None,
            why: "this module has no assessment yet".to_owned(),
        };
    };
    let mut history: Vec<&AttemptSummary> = attempts
        .iter()
        .filter(|a| a.mode == Mode::Assessment && forms.iter().any(|f| *f.id == *a.scenario))
        .collect();
    history.sort_by(|a, b| b.ended.cmp(&a.ended));
    let now_text = timestamp_text(now);
    let rules = &policy.retakes;
    // Each form as if taken now: which would count, and when the others would.
    let mut counting: Vec<(&Arc<Scenario>, Option<&str>)> = Vec::new();
    let mut soonest: Option<(String, RetakeBreach)> = None;
    for form in &forms {
        let breach_at = |at: &str| {
            let trial = trial_attempt(&form.id, at);
            let mut with_trial = vec![&trial];
            with_trial.extend(history.iter().copied());
            rules.breach(&with_trial, 0, forms.len(), |a| policy.failed(a))
        };
        let Some(breach) = breach_at(&now_text) else {
            counting.push((
                form,
                history
                    .iter()
                    .find(|a| *a.scenario == *form.id)
                    .map(|a| a.ended.as_str()),
            ));
            continue;
        };
        // When every rule lets it count: each wait may run into another rule's.
        let mut breach = breach;
        let mut from = available_from(rules, &history, &breach);
        for _ in 0..3 {
            let Some(next) = from.as_deref().and_then(breach_at) else {
                break;
            };
            from = available_from(rules, &history, &next).filter(|n| Some(n) > from.as_ref());
            breach = next;
        }
        if let Some(from) = from
            && soonest.as_ref().is_none_or(|(at, _)| from < *at)
        {
            soonest = Some((from, breach));
        }
    }
    // Never taken first, then the least recently taken.
    counting.sort_by(|a, b| a.1.cmp(&b.1));
    if let Some((form, taken)) = counting.first() {
        let why = match (taken, history.first()) {
            (None, _) if forms.len() > 1 => "a form you have not taken yet".to_owned(),
            (_, Some(last)) if policy.failed(last) && *last.scenario != *form.id => {
                "another form than the one you did not pass".to_owned()
            }
            _ => "the module's assessment".to_owned(),
        };
        return NextForm {
            form: Some(form.id.clone()),
            from: None,
            why,
        };
    }
    match soonest {
        Some((from, breach)) => NextForm {
            form: None,
            why: format!(
                "no attempt would count before {}: {}",
                day(&from),
                breach.reason()
            ),
            from: Some(from),
        },
        None => NextForm {
            form: Some(first.id.clone()),
            from: None,
            why: "the module's assessment".to_owned(),
        },
    }
}

/// A would-be assessment attempt at `form` ending `at`, to ask the rule about.
fn trial_attempt(form: &str, at: &str) -> AttemptSummary {
    AttemptSummary {
        id: String::new(),
        trainee: Arc::from(""),
        scenario: Arc::from(form),
        topic: None,
        kind: None,
        mode: Mode::Assessment,
        ended: at.to_owned(),
        passed: false,
        overall: 0.0,
        scores: Vec::new(),
        critical: Vec::new(),
    }
}

/// When an attempt blocked by `breach` stops being blocked by it.
fn available_from(
    rules: &Retakes,
    history: &[&AttemptSummary],
    breach: &RetakeBreach,
) -> Option<String> {
    match breach {
        RetakeBreach::SameFormAfterFail { failed, .. } => {
            shifted(failed, i64::from(rules.same_form_after_days?))
        }
        RetakeBreach::OverLimit { limit, .. } => {
            // The oldest attempt in the window must leave it: the limit-th newest one.
            let oldest_in_window = history.get((limit.attempts as usize).checked_sub(1)?)?;
            shifted(&oldest_in_window.ended, i64::from(limit.period_days))
        }
    }
}
