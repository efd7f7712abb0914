//! The CSV export: one row per attempt and a column per competency, for a spreadsheet.
//! A competency the attempt did not assess is left empty, never written as 0.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, and text in
//! these rows comes from trainees and scenario authors (names, reflections, what was said).
//! So every text cell that starts with one of those, or with a tab, carriage return or line
//! feed, gets a leading `'` (OWASP's advice for CSV injection); a spreadsheet shows it as
//! text. Numbers are written by this module and left as they are, so they stay numbers.

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
    let mut header: Vec<String> = COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    // Competency ids come from rubric files: a header cell is a cell too.
    header.extend(competencies.iter().map(|id| text(id)));
    if reflections {
        header.push("reflection".to_owned());
    }
    writer.write_record(&header)?;
    for Finished {
        attempt, result, ..
    } in records
    {
        let ended = attempt.ended.clone().unwrap_or_default();
        let mut row: Vec<String> = vec![
            text(&attempt.id),
            text(&attempt.trainee),
            text(&attempt.trainee_name),
            text(&attempt.scenario),
            attempt.scenario_version.to_string(),
            text(&attempt.scenario_sha256),
            attempt.topic.clone().unwrap_or_default(),
            attempt.kind.map_or("", |k| k.slug()).to_owned(),
            text(&attempt.rubric),
            attempt.rubric_version.to_string(),
            attempt.mode.as_str().to_owned(),
            attempt.seed.to_string(),
            text(&attempt.started),
            text(&ended),
            format!("{:.3}", seconds_between(&attempt.started, &ended)),
            result.decisions.len().to_string(),
            result.passed.to_string(),
            format!("{:.4}", result.overall),
            result.critical.len().to_string(),
            text(
                &result
                    .critical
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            text(&result.ending),
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
            row.push(text(attempt.reflection.as_deref().unwrap_or_default()));
        }
        writer.write_record(&row)?;
    }
    writer.flush()?;
    Ok(())
}

/// A text cell a spreadsheet cannot take for a formula: one starting with `=`, `+`, `-`, `@`,
/// tab, carriage return or line feed gets a leading `'`.
pub fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}
