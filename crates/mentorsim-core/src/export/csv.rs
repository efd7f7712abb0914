//! The CSV export: one row per attempt and a column per competency, for a spreadsheet.
//! A competency the attempt did not assess is left empty, never written as 0.

use std::io::Write;

use super::{Finished, seconds_between};

/// The fixed columns, before the competency columns.
const COLUMNS: &[&str] = &[
    "attempt",
    "trainee",
    "trainee_name",
    "scenario",
    "scenario_version",
    "scenario_sha256",
    "topic",
    "kind",
    "rubric",
    "rubric_version",
    "mode",
    "seed",
    "started",
    "ended",
    "duration_seconds",
    "decisions",
    "passed",
    "overall",
    "critical_errors",
    "critical",
    "ending",
];

/// Writes the records. `competency_order` puts known competency columns in rubric order;
/// any other competency the records hold follows, by id.
pub fn write(
    records: &[Finished],
    competency_order: &[&str],
    reflections: bool,
    out: impl Write,
) -> Result<(), csv::Error> {
    let mut competencies: Vec<&str> = competency_order
        .iter()
        .copied()
        .filter(|id| records.iter().any(|r| r.result.scores.contains_key(*id)))
        .collect();
    let mut others: Vec<&str> = records
        .iter()
        .flat_map(|r| r.result.scores.keys().map(String::as_str))
        .filter(|id| !competency_order.contains(id))
        .collect();
    others.sort_unstable();
    others.dedup();
    competencies.extend(others);

    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    header.extend(&competencies);
    if reflections {
        header.push("reflection");
    }
    writer.write_record(&header)?;
    for Finished {
        attempt, result, ..
    } in records
    {
        let ended = attempt.ended.clone().unwrap_or_default();
        let mut row: Vec<String> = vec![
            attempt.id.clone(),
            attempt.trainee.clone(),
            attempt.trainee_name.clone(),
            attempt.scenario.clone(),
            attempt.scenario_version.to_string(),
            attempt.scenario_sha256.clone(),
            attempt.topic.map_or("", |t| t.slug()).to_owned(),
            attempt.kind.map_or("", |k| k.slug()).to_owned(),
            attempt.rubric.clone(),
            attempt.rubric_version.to_string(),
            attempt.mode.as_str().to_owned(),
            attempt.seed.to_string(),
            attempt.started.clone(),
            ended.clone(),
            format!("{:.3}", seconds_between(&attempt.started, &ended)),
            result.decisions.len().to_string(),
            result.passed.to_string(),
            format!("{:.4}", result.overall),
            result.critical.len().to_string(),
            result
                .critical
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" | "),
            result.ending.clone(),
        ];
        for id in &competencies {
            row.push(
                result
                    .scores
                    .get(*id)
                    .map_or(String::new(), |s| format!("{s:.4}")),
            );
        }
        if reflections {
            row.push(attempt.reflection.clone().unwrap_or_default());
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}
