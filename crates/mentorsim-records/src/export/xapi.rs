//! xAPI 1.0.3 statements, one registration per attempt, following cmi5's statement rules
//! where they apply (docs/records.md lists them):
//!
//! `initialized` → `attempted` → one `answered` per decision → `completed` → `passed` or
//! `failed` → `terminated`.
//!
//! Trainees appear only as pseudonymous `account`s under the program's home page. Statement
//! ids are derived from the attempt id, so exporting or sending an attempt twice gives the same
//! statements and a Learning Record Store keeps one copy.
//!
//! An attempt's statements grow as it is played ([`statements_so_far`]) and no statement
//! depends on what comes after it: a station streams them as each choice is committed, and the
//! export of the finished attempt repeats the same statements word for word, which an LRS
//! accepts as the copies it already holds.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{Finished, seconds_between};
use crate::policy::Program;
use mentorsim_script::engine::{Action, AttemptResult, DecisionReview};
use mentorsim_script::scenario::Scenario;

const ADL: &str = "http://adlnet.gov/expapi/verbs/";
const CMI5_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
const MOVEON_CATEGORY: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";
const SESSION_ID: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
const LANGUAGE: &str = "en-US";

/// Context extension of `attempted`: what a replay of the attempt needs ([`played`]).
pub const PLAYED: &str = "xapi/extensions/played";
/// Context extension of each `answered`: the decision's number, node and choice as recorded.
pub const DECISION: &str = "xapi/extensions/decision";
/// Result extension of the verdict: how many decisions the `answered` statements number.
pub const DECISIONS: &str = "xapi/extensions/decisions";

/// What the coordinator needs to replay the attempt from its statements: the exact scenario
/// and rubric texts (by SHA-256), the seed, the mode and the contacts the texts showed. How
/// many decisions there were is the verdict's to say ([`DECISIONS`]), since `attempted` is
/// sent before the first of them.
fn played(attempt: &crate::store::Attempt) -> Value {
    json!({
        "scenario": attempt.scenario,
        "version": attempt.scenario_version,
        "sha256": attempt.scenario_sha256,
        "topic": attempt.topic,
        "kind": attempt.kind.map(|k| k.slug()),
        "rubric": { "id": attempt.rubric, "version": attempt.rubric_version, "sha256": attempt.rubric_sha256 },
        "mode": attempt.mode.as_str(),
        // Text: seeds use all 64 bits, more than a JSON number keeps exactly in most readers.
        "seed": attempt.seed.to_string(),
        "contacts": attempt.contacts,
    })
}

/// The statements of every record, in order.
pub fn statements(records: &[Finished], program: &Program) -> Vec<Value> {
    records
        .iter()
        .flat_map(|record| attempt_statements(record, program))
        .collect()
}

/// The statements of one finished attempt.
pub fn attempt_statements(finished: &Finished, program: &Program) -> Vec<Value> {
    statements_so_far(
        &finished.attempt,
        finished.scenario.as_deref(),
        &finished.result.decisions,
        Some(&finished.result),
        program,
    )
}

/// The statements of an attempt as far as it has gone: `initialized` and `attempted` once it is
/// open, an `answered` for each of `decisions` (the choices made so far, as the engine reviews
/// them), and the verdict's three once it has ended with `result`. Each statement is the same
/// whenever it is built, so the list only ever grows at its end.
pub fn statements_so_far(
    attempt: &crate::store::Attempt,
    scenario: Option<&Scenario>,
    decisions: &[DecisionReview],
    result: Option<&AttemptResult>,
    program: &Program,
) -> Vec<Value> {
    let base = program.home_page.trim_end_matches('/');
    let registration = attempt.id.as_str();
    let namespace = Uuid::parse_str(registration).unwrap_or(Uuid::NAMESPACE_URL);
    let id = |name: &str| Uuid::new_v5(&namespace, name.as_bytes()).to_string();
    let actor = json!({
        "objectType": "Agent",
        "account": { "homePage": program.home_page, "name": attempt.trainee },
    });
    let ended = attempt
        .ended
        .clone()
        .unwrap_or_else(|| attempt.started.clone());
    let duration = iso_duration(seconds_between(&attempt.started, &ended));
    let scenario_iri = format!("{base}/scenarios/{}", iri_segment(&attempt.scenario));
    let scenario_activity = {
        let mut definition = Map::new();
        if let Some(s) = scenario {
            definition.insert("name".into(), lang(&s.title));
            definition.insert("description".into(), lang(&s.summary));
        }
        definition.insert(
            "type".into(),
            "http://adlnet.gov/expapi/activities/simulation".into(),
        );
        json!({ "objectType": "Activity", "id": scenario_iri, "definition": definition })
    };
    let cmi5_context = |moveon: bool| {
        let mut category = vec![json!({ "id": CMI5_CATEGORY })];
        if moveon {
            category.push(json!({ "id": MOVEON_CATEGORY }));
        }
        json!({
            "registration": registration,
            "contextActivities": { "category": category },
            "extensions": { SESSION_ID: registration },
        })
    };
    let statement = |name: &str,
                     verb: &str,
                     object: &Value,
                     result: Option<Value>,
                     context: Value,
                     at: &str| {
        let mut s = json!({
            "id": id(name),
            "actor": actor,
            "verb": { "id": format!("{ADL}{verb}"), "display": { LANGUAGE: verb } },
            "object": object,
            "context": context,
            "timestamp": at,
        });
        if let Some(result) = result {
            s["result"] = result;
        }
        s
    };

    let mut out = vec![
        statement(
            "initialized",
            "initialized",
            &scenario_activity,
            None,
            cmi5_context(false),
            &attempt.started,
        ),
        statement(
            "attempted",
            "attempted",
            &scenario_activity,
            None,
            json!({
                "registration": registration,
                "extensions": { format!("{base}/{PLAYED}"): played(attempt) },
            }),
            &attempt.started,
        ),
    ];

    let choice_steps = attempt
        .steps
        .iter()
        .filter(|s| matches!(s.action, Action::Choose(_)));
    for (n, (decision, step)) in decisions.iter().zip(choice_steps).enumerate() {
        let node = scenario.and_then(|s| s.node_index(&decision.node));
        let choices: Vec<Value> = match (scenario, node) {
            (Some(s), Some(node)) => s
                .choices(node)
                .iter()
                .map(|c| json!({ "id": iri_segment(&c.id), "description": lang(&c.text) }))
                .collect(),
            _ => [&decision.chosen, &decision.best]
                .iter()
                .map(|c| json!({ "id": iri_segment(&c.id), "description": lang(&c.text) }))
                .collect::<Vec<_>>(),
        };
        let object = json!({
            "objectType": "Activity",
            "id": format!("{scenario_iri}/decisions/{}", iri_segment(&decision.node)),
            "definition": {
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                "name": lang(&format!("Decision {}", n + 1)),
                "description": lang(&decision.prompt),
                "interactionType": "choice",
                "correctResponsesPattern": [iri_segment(&decision.best.id)],
                "choices": dedup_by_id(choices),
            },
        });
        let result = json!({
            "response": iri_segment(&decision.chosen.id),
            "success": decision.was_best,
            "duration": iso_duration(step.millis as f64 / 1000.0),
        });
        let context = json!({
            "registration": registration,
            "contextActivities": { "parent": [{ "id": scenario_iri, "objectType": "Activity" }] },
            // The ids as recorded (the activity id and response are percent-encoded), and the
            // decision's place, so a coordinator can rebuild the attempt and see a gap.
            "extensions": { format!("{base}/{DECISION}"): {
                "n": n, "node": decision.node, "choice": decision.chosen.id,
            } },
        });
        out.push(statement(
            &format!("answered/{n}"),
            "answered",
            &object,
            Some(result),
            context,
            &step.at,
        ));
    }

    let (Some(result), Some(_)) = (result, &attempt.ended) else {
        return out;
    };
    let mut completed = json!({ "completion": true, "duration": duration });
    if let Some(reflection) = &attempt.reflection {
        completed["extensions"] =
            json!({ format!("{base}/xapi/extensions/reflection"): reflection });
    }
    out.push(statement(
        "completed",
        "completed",
        &scenario_activity,
        Some(completed),
        cmi5_context(true),
        &ended,
    ));
    let verdict = if result.passed { "passed" } else { "failed" };
    let judged = json!({
        "score": { "scaled": round4(result.overall.clamp(0.0, 1.0)) },
        "success": result.passed,
        "duration": duration,
        "extensions": {
            format!("{base}/xapi/extensions/competency-scores"): result.scores,
            format!("{base}/xapi/extensions/critical-errors"):
                result.critical.iter().map(|c| json!({ "node": c.node, "choice": c.choice })).collect::<Vec<_>>(),
            format!("{base}/{DECISIONS}"): result.decisions.len(),
        },
    });
    out.push(statement(
        verdict,
        verdict,
        &scenario_activity,
        Some(judged),
        cmi5_context(true),
        &ended,
    ));
    out.push(statement(
        "terminated",
        "terminated",
        &scenario_activity,
        Some(json!({ "duration": duration })),
        cmi5_context(false),
        &ended,
    ));
    out
}

/// An id as one segment of an IRI: every byte outside RFC 3986's unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`) percent-encoded, so an id recorded with a space, `?`, `#`, `/` or a
/// direction-changing character still gives a valid IRI that names only that activity.
/// Choice ids are encoded the same way where xAPI uses them as identifiers (interaction
/// components, responses and their patterns, which allow no whitespace and use `[,]` as a
/// separator). Ordinary ids (letters, digits, `-`, `_`) come out unchanged.
pub fn iri_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // "." and ".." are path steps, not names.
    match out.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => out,
    }
}

fn lang(text: &str) -> Value {
    json!({ LANGUAGE: text })
}

fn dedup_by_id(mut choices: Vec<Value>) -> Vec<Value> {
    let mut seen = std::collections::HashSet::new();
    choices.retain(|c| seen.insert(c["id"].as_str().unwrap_or_default().to_owned()));
    choices
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// An ISO 8601 duration at 0.01 s precision, e.g. `PT14M32.5S`.
pub fn iso_duration(seconds: f64) -> String {
    let hundredths = (seconds.max(0.0) * 100.0).round() as u64;
    let (hours, rest) = (hundredths / 360_000, hundredths % 360_000);
    let (minutes, rest) = (rest / 6_000, rest % 6_000);
    let mut out = String::from("PT");
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    let (whole, fraction) = (rest / 100, rest % 100);
    match fraction {
        0 => out.push_str(&format!("{whole}S")),
        f if f % 10 == 0 => out.push_str(&format!("{whole}.{}S", f / 10)),
        f => out.push_str(&format!("{whole}.{f:02}S")),
    }
    out
}
