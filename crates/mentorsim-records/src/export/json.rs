//! The JSON export: every field of each record, in a documented shape (docs/records.md).

use serde::Serialize;
use serde_json::{Value, json};

use super::{Finished, Selection, seconds_between};
use crate::policy::Program;

/// The export document. Signed exports wrap it as their `payload`.
pub fn document(
    records: &[Finished],
    program: &Program,
    selection: &Selection,
    generated: &str,
) -> Value {
    json!({
        "format": "mentorsim-records",
        "format_version": 1,
        "generated": generated,
        "program": program,
        "selection": {
            "trainee": selection.trainee,
            "since": selection.since,
            "reflections": selection.reflections,
        },
        "records": records.iter().map(record).collect::<Vec<_>>(),
    })
}

/// One attempt as a self-contained record.
pub fn record(finished: &Finished) -> Value {
    let Finished {
        attempt, result, ..
    } = finished;
    let mut record = json!({
        "attempt": attempt.id,
        "trainee": { "id": attempt.trainee, "name": attempt.trainee_name },
        "scenario": {
            "id": attempt.scenario,
            "title": finished.scenario.as_ref().map(|s| s.title.clone()),
            "version": attempt.scenario_version,
            "sha256": attempt.scenario_sha256,
            "topic": attempt.topic,
            "kind": attempt.kind.map(|k| k.slug()),
            // The program contacts its texts showed (empty before contacts were data).
            "contacts": attempt.contacts,
        },
        "rubric": {
            "id": attempt.rubric,
            "version": attempt.rubric_version,
            "sha256": attempt.rubric_sha256,
        },
        "mode": attempt.mode.as_str(),
        // Text: seeds use all 64 bits, more than a JSON number keeps exactly in most readers.
        "seed": attempt.seed.to_string(),
        "started": attempt.started,
        "ended": attempt.ended,
        "duration_seconds": attempt.ended.as_deref().map(|end| round3(seconds_between(&attempt.started, end))),
        "passed": result.passed,
        "overall": result.overall,
        "overall_threshold": result.overall_threshold,
        "scores": result.scores,
        "competencies": result.competencies.iter().map(|c| json!({
            "id": c.id, "name": c.name, "score": c.score, "threshold": c.threshold,
            "level": c.level.map(|l| l.label()),
        })).collect::<Vec<_>>(),
        "reasons": to_value(&result.reasons),
        "critical_errors": to_value(&result.critical),
        "ending": { "id": result.ending, "title": result.ending_title, "outcome": to_value(&result.outcome) },
        "choices": attempt.steps.iter().enumerate().map(|(seq, step)| json!({
            "seq": seq,
            "node": step.node,
            "choice": match &step.action {
                mentorsim_script::engine::Action::Choose(id) => Some(id.as_str()),
                mentorsim_script::engine::Action::Continue => None,
            },
            "millis": step.millis,
            "at": step.at,
        })).collect::<Vec<_>>(),
    });
    if let Some(reflection) = &attempt.reflection {
        record["reflection"] = Value::String(reflection.clone());
    }
    record
}

fn to_value(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
