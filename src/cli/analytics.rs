//! `mentorsim analytics SCENARIO_ID`: how trainees answered each decision, from the records.

use super::terminal::{out, raw_out};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use mentorsim_records::analytics::{ScenarioAnalytics, analyse};
use mentorsim_script::graph::excerpt;

use super::{CliError, find_scenario, read_store};

#[derive(Debug, Args)]
pub struct AnalyticsArgs {
    /// The scenario's id.
    scenario: String,
    /// A scenario folder to use instead of the bundled library.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &AnalyticsArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let scenario = find_scenario(args.library.as_deref(), &args.scenario)?;
    let store = read_store(data_dir)?;
    let read = || -> Result<_, mentorsim_records::store::StoreError> {
        Ok(analyse(
            &scenario,
            &store.choice_picks(&scenario.id)?,
            store.critical_counts(&scenario.id)?,
            store.attempt_counts(&scenario.id)?,
        ))
    };
    let report = read()?;
    if args.json {
        let json = serde_json::to_string_pretty(&report)?;
        raw_out(json + "\n")?;
    } else {
        out!("{}", table(&report));
    }
    Ok(ExitCode::SUCCESS)
}

/// Per decision, each option's share of the picks as a bar, count and points; then the most
/// common critical errors.
fn table(report: &ScenarioAnalytics) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", report.title, report.scenario);
    let _ = writeln!(
        out,
        "{} attempt(s) recorded, {} finished",
        report.attempts, report.finished
    );
    if report.attempts == 0 {
        out.push_str("No one has played it yet: there is nothing to count.\n");
        return out;
    }
    for decision in &report.decisions {
        let said = if decision.text.is_empty() {
            "(no longer in the scenario)".to_owned()
        } else {
            format!("\u{201c}{}\u{201d}", excerpt(&decision.text, 70))
        };
        let _ = writeln!(
            out,
            "\n{}  {said}  {} pick(s)",
            decision.node, decision.picks
        );
        for option in &decision.options {
            let bar = "#".repeat((option.rate * 20.0).round() as usize);
            let flag = match (option.in_scenario, option.severity) {
                (false, _) => "  (no longer offered)".to_owned(),
                (true, Some(severity)) => format!("  {}", severity.to_uppercase()),
                (true, None) => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:>4.0}% {bar:<20} {:>4}  {} ({:+}){flag}",
                option.rate * 100.0,
                option.count,
                option.choice,
                option.net
            );
        }
    }
    out.push_str("\nMost common critical errors:\n");
    if report.critical.is_empty() {
        out.push_str("  none\n");
    }
    for critical in &report.critical {
        let _ = writeln!(
            out,
            "  {:>4} x  {} at {}: \u{201c}{}\u{201d}",
            critical.count,
            critical.choice,
            critical.node,
            excerpt(&critical.text, 70)
        );
    }
    out
}
