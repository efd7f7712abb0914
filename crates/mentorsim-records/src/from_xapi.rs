//! Attempts rebuilt from their xAPI statements, as a coordinator reads them back from a
//! Learning Record Store: one registration per attempt, the `played` extension of `attempted`
//! for what a replay needs, each `answered` for a decision, the verdict for what the station
//! claims. Whether it counts is then [`crate::replay_check`]'s to say; here only whether the
//! statements say enough, without a gap, to rebuild it.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::export::xapi::{DECISION, DECISIONS, PLAYED};
use crate::replay_check::{Claim, NotCounted, check_sequence};
use crate::store::{Attempt, Step};
use mentorsim_script::engine::{Action, Mode};
use mentorsim_script::model::ScenarioKind;

const ADL: &str = "http://adlnet.gov/expapi/verbs/";

/// One registration's statements, rebuilt.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// The registration (the attempt id).
    pub registration: String,
    /// The trainee id (the actor's account name), when a statement names one.
    pub trainee: Option<String>,
    /// The attempt and its claim, or why the statements do not make one.
    pub attempt: Result<(Attempt, Claim), NotCounted>,
}

/// Groups `statements` by registration and rebuilds each attempt whose verdict has been sent;
/// registrations without a verdict yet (an attempt in progress) are left out. `home_page` is
/// the program's, under which the extensions are named.
pub fn rebuild(statements: &[Value], home_page: &str) -> Vec<Rebuilt> {
    let base = home_page.trim_end_matches('/');
    let mut by_registration: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for statement in statements {
        if let Some(registration) = statement["context"]["registration"].as_str() {
            by_registration
                .entry(registration)
                .or_default()
                .push(statement);
        }
    }
    by_registration
        .into_iter()
        .filter(|(_, statements)| statements.iter().any(|s| verdict(s).is_some()))
        .map(|(registration, statements)| Rebuilt {
            registration: registration.to_owned(),
            trainee: statements
                .iter()
                .find_map(|s| s["actor"]["account"]["name"].as_str())
                .map(str::to_owned),
            attempt: attempt(registration, &statements, base),
        })
        .collect()
}

fn verb(statement: &Value) -> Option<&str> {
    statement["verb"]["id"].as_str()?.strip_prefix(ADL)
}

fn verdict(statement: &Value) -> Option<bool> {
    match verb(statement)? {
        "passed" => Some(true),
        "failed" => Some(false),
        _ => None,
    }
}

fn incomplete(reason: impl Into<String>) -> NotCounted {
    NotCounted::Incomplete(reason.into())
}

/// The one statement of `verb`, or why not.
fn only<'s>(statements: &[&'s Value], wanted: &str) -> Result<&'s Value, NotCounted> {
    let mut found = statements.iter().filter(|s| verb(s) == Some(wanted));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(incomplete(format!(
            "its `{wanted}` statement is missing (not sent yet, or lost)"
        ))),
        (Some(_), Some(_)) => Err(incomplete(format!(
            "it has two different `{wanted}` statements"
        ))),
    }
}

fn attempt(
    registration: &str,
    statements: &[&Value],
    base: &str,
) -> Result<(Attempt, Claim), NotCounted> {
    let trainees: std::collections::BTreeSet<&str> = statements
        .iter()
        .filter_map(|s| s["actor"]["account"]["name"].as_str())
        .collect();
    if trainees.len() != 1 {
        return Err(incomplete(format!(
            "its statements name {} trainees, not one",
            trainees.len()
        )));
    }
    let trainee = trainees.into_iter().next().unwrap_or_default().to_owned();
    let attempted = only(statements, "attempted")?;
    let played = &attempted["context"]["extensions"][format!("{base}/{PLAYED}")];
    if !played.is_object() {
        return Err(incomplete(
            "its `attempted` statement does not say which scenario version and seed were played (made by an older mentorsim?)",
        ));
    }
    let text = |value: &Value, field: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| incomplete(format!("`{field}` is missing or not text")))
    };
    let optional_text = |value: &Value| value.as_str().map(str::to_owned);
    let whole = |value: &Value, field: &str| {
        value
            .as_u64()
            .ok_or_else(|| incomplete(format!("`{field}` is missing or not a whole number")))
    };

    let mut answered: Vec<(usize, Step)> = Vec::new();
    for statement in statements.iter().filter(|s| verb(s) == Some("answered")) {
        let decision = &statement["context"]["extensions"][format!("{base}/{DECISION}")];
        let n = usize::try_from(whole(&decision["n"], "decision.n")?)
            .map_err(|_| incomplete("`decision.n` is too large"))?;
        let seconds = statement["result"]["duration"]
            .as_str()
            .and_then(duration_seconds)
            .unwrap_or(0.0);
        answered.push((
            n,
            Step {
                node: text(&decision["node"], "decision.node")?,
                action: Action::Choose(text(&decision["choice"], "decision.choice")?),
                millis: (seconds * 1000.0).round() as u64,
                at: text(&statement["timestamp"], "timestamp")?,
            },
        ));
    }
    answered.sort_by_key(|(n, _)| *n);
    answered.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    if answered.windows(2).any(|pair| pair[0].0 == pair[1].0) {
        return Err(incomplete(
            "two `answered` statements give one decision different choices",
        ));
    }
    check_sequence(answered.iter().map(|(n, _)| *n))?;

    let verdicts: Vec<&&Value> = statements.iter().filter(|s| verdict(s).is_some()).collect();
    let [judged] = verdicts.as_slice() else {
        return Err(incomplete(
            "it has both a `passed` and a `failed` statement",
        ));
    };
    let extensions = &judged["result"]["extensions"];
    // The verdict says how many decisions there were; statements made before stations streamed
    // their attempts said it in `played`.
    let count = match &extensions[format!("{base}/{DECISIONS}")] {
        Value::Null => (&played["decisions"], "played.decisions"),
        stated => (stated, "decisions"),
    };
    let decisions = usize::try_from(whole(count.0, count.1)?)
        .map_err(|_| incomplete(format!("`{}` is too large", count.1)))?;
    if answered.len() != decisions {
        return Err(NotCounted::Gap {
            missing: answered.len(),
        });
    }
    let scores = extensions[format!("{base}/xapi/extensions/competency-scores")]
        .as_object()
        .ok_or_else(|| incomplete("its verdict has no competency scores"))?
        .iter()
        .map(|(id, score)| {
            score
                .as_f64()
                .map(|s| (id.clone(), s))
                .ok_or_else(|| incomplete("a competency score is not a number"))
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    let critical = extensions[format!("{base}/xapi/extensions/critical-errors")]
        .as_array()
        .ok_or_else(|| incomplete("its verdict does not list its critical errors"))?
        .iter()
        .map(|c| {
            Ok((
                text(&c["node"], "critical.node")?,
                text(&c["choice"], "critical.choice")?,
            ))
        })
        .collect::<Result<Vec<_>, NotCounted>>()?;
    let claim = Claim {
        passed: verdict(judged).unwrap_or(false),
        overall: judged["result"]["score"]["scaled"]
            .as_f64()
            .ok_or_else(|| incomplete("its verdict has no score"))?,
        scores,
        critical,
        ending: None,
    };

    let mode = match text(&played["mode"], "played.mode")?.as_str() {
        "practice" => Mode::Practice,
        "assessment" => Mode::Assessment,
        other => return Err(incomplete(format!("`played.mode` {other:?} is not a mode"))),
    };
    let rubric = &played["rubric"];
    let attempt = Attempt {
        id: registration.to_owned(),
        trainee_name: trainee.clone(),
        trainee,
        scenario: text(&played["scenario"], "played.scenario")?,
        scenario_version: u32::try_from(whole(&played["version"], "played.version")?)
            .map_err(|_| incomplete("`played.version` is too large"))?,
        scenario_sha256: text(&played["sha256"], "played.sha256")?,
        topic: optional_text(&played["topic"]),
        kind: optional_text(&played["kind"]).and_then(|k| ScenarioKind::from_slug(&k)),
        rubric: text(&rubric["id"], "played.rubric.id")?,
        rubric_version: u32::try_from(whole(&rubric["version"], "played.rubric.version")?)
            .map_err(|_| incomplete("`played.rubric.version` is too large"))?,
        rubric_sha256: optional_text(&rubric["sha256"]),
        mode,
        seed: text(&played["seed"], "played.seed")?
            .parse()
            .map_err(|_| incomplete("`played.seed` is not a whole number"))?,
        started: text(&attempted["timestamp"], "attempted.timestamp")?,
        // When the LRS stored the verdict: the station's own clock is the station's to set.
        ended: Some(
            optional_text(&judged["stored"])
                .map_or_else(|| text(&judged["timestamp"], "verdict timestamp"), Ok)?,
        ),
        passed: None,
        overall: None,
        reflection: None,
        contacts: serde_json::from_value(played["contacts"].clone()).unwrap_or_default(),
        steps: answered.into_iter().map(|(_, step)| step).collect(),
    };
    Ok((attempt, claim))
}

/// Seconds of an ISO 8601 duration as the export writes them (`PT1H2M3.45S`).
fn duration_seconds(text: &str) -> Option<f64> {
    let mut rest = text.strip_prefix("PT")?;
    let mut seconds = 0.0;
    for (unit, factor) in [('H', 3600.0), ('M', 60.0), ('S', 1.0)] {
        if let Some((number, after)) = rest.split_once(unit) {
            seconds += number.parse::<f64>().ok()? * factor;
            rest = after;
        }
    }
    rest.is_empty().then_some(seconds)
}
