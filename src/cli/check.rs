//! `mentorsim check [PATH...]`: every finding with its place, optional path statistics, and a
//! JSON form for editors and CI (docs/check-json.md).

use super::terminal::{errln, outln, raw_out};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use mentorsim_script::analysis::Stats;
use mentorsim_script::diagnostic::{Diagnostic, render};
use mentorsim_script::guessing::{self, GuessResult, Guessing, Tell};
use mentorsim_script::library::Library;
use serde::Serialize;

use super::{Format, load_library};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: the bundled scenarios/).
    paths: Vec<PathBuf>,
    /// Print nodes, decisions, endings, paths and score bounds per scenario.
    #[arg(long)]
    stats: bool,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Serialize)]
struct Report<'a> {
    scenarios: Vec<ScenarioReport<'a>>,
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Option::is_none")]
    tells: Option<&'a [Tell]>,
}

#[derive(Serialize)]
struct ScenarioReport<'a> {
    id: &'a str,
    title: &'a str,
    topic: &'a str,
    kind: &'a str,
    file: &'a str,
    playable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<StatsReport<'a>>,
}

/// A scenario's path statistics, and for an assessment how often guessing passes it.
#[derive(Serialize)]
struct StatsReport<'a> {
    #[serde(flatten)]
    stats: &'a Stats,
    #[serde(skip_serializing_if = "Option::is_none")]
    guessing: Option<&'a [GuessResult]>,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut library = load_library(&args.paths);
    let mut guessing = guessing::assess(&library);
    library.add_findings(std::mem::take(&mut guessing.diagnostics));
    let stats = args.stats.then_some(&guessing);
    match args.format {
        Format::Json => print_json(&library, stats),
        Format::Human => print_human(&library, stats),
    }
    let failed = library.error_count() > 0 || (args.deny_warnings && library.warning_count() > 0);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `stats`: the guessing results, when path statistics are asked for.
fn print_json(library: &Library, stats: Option<&Guessing>) {
    let report = Report {
        scenarios: library
            .scenarios
            .iter()
            .filter_map(|entry| {
                let meta = entry.meta.as_ref()?;
                Some(ScenarioReport {
                    id: &meta.id,
                    title: &meta.title,
                    topic: &meta.topic,
                    kind: meta.kind.slug(),
                    file: &entry.file,
                    playable: entry.scenario.is_some(),
                    stats: stats
                        .zip(entry.analysis.as_ref())
                        .map(|(guessing, a)| StatsReport {
                            stats: &a.stats,
                            guessing: guessing.assessments.get(&meta.id).map(Vec::as_slice),
                        }),
                })
            })
            .collect(),
        diagnostics: &library.diagnostics,
        tells: stats.map(|g| g.tells.as_slice()),
    };
    match serde_json::to_string_pretty(&report) {
        Ok(json) => {
            let _ = raw_out(json + "\n");
        }
        Err(e) => errln!("error: cannot write JSON: {e}"),
    }
}

fn print_human(library: &Library, stats: Option<&Guessing>) {
    let color = std::io::stdout().is_terminal();
    // Rendered findings are printable already, and may carry colours.
    let _ = raw_out(render(&library.diagnostics, |f| library.source(f), color));
    if let Some(guessing) = stats {
        for entry in &library.scenarios {
            let (Some(meta), Some(analysis)) = (&entry.meta, &entry.analysis) else {
                continue;
            };
            print_stats(&meta.id, &entry.file, &analysis.stats);
            if let Some(results) = guessing.assessments.get(&meta.id) {
                let passes: Vec<String> = results
                    .iter()
                    .map(|r| format!("{} {:.1}%", r.strategy.name(), r.pass_probability * 100.0))
                    .collect();
                outln!("  guessing passes: {}", passes.join(", "));
            }
        }
        if !guessing.tells.is_empty() {
            outln!("strongest tells (share of best options / of the others):");
            for tell in &guessing.tells {
                outln!(
                    "  {:<24} {:>5.1}% / {:>5.1}%",
                    tell.cue,
                    tell.best_share * 100.0,
                    tell.other_share * 100.0
                );
            }
        }
    }
    let playable = library
        .scenarios
        .iter()
        .filter(|e| e.scenario.is_some())
        .count();
    outln!(
        "checked {} scenario file(s) ({playable} playable) and {} rubric(s): {} error(s), {} warning(s)",
        library.scenarios.len(),
        library.rubrics.len(),
        library.error_count(),
        library.warning_count()
    );
}

fn print_stats(id: &str, file: &str, stats: &Stats) {
    let or_loop = |v: Option<String>| v.unwrap_or_else(|| "unbounded (loop)".into());
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "undecided",
    };
    outln!("{id}  ({file})");
    outln!(
        "  nodes {}, endings {}, states {}, decisions per path {}, paths {}",
        stats.nodes,
        stats.endings,
        stats.states,
        or_loop(
            stats
                .decisions_min
                .zip(stats.decisions_max)
                .map(|(a, b)| format!("{a}..{b}"))
        ),
        or_loop(stats.paths.map(|p| p.to_string())),
    );
    for (competency, [min, max]) in &stats.score_bounds {
        let assessing = stats
            .competency_decisions_min
            .get(competency)
            .map_or_else(String::new, |n| format!(", assessed at {n}+ decisions"));
        outln!(
            "  {competency:<5} score {:>3.0}% .. {:>3.0}%{assessing}",
            min * 100.0,
            max * 100.0
        );
    }
    outln!(
        "  pass reachable: {}, fail reachable: {}",
        yes_no(stats.pass_reachable),
        yes_no(stats.fail_reachable)
    );
    if stats.claims.checked > 0 {
        outln!(
            "  claims: {} checked, {} unsupported",
            stats.claims.checked,
            stats.claims.unsupported
        );
    }
}
