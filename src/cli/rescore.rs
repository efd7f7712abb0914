//! `mentorsim rescore ATTEMPT_ID`: replay a recorded attempt against the exact scenario it was
//! played on and check the stored result comes out the same, byte for byte.

use super::terminal::Terminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use mentorsim_records::rescore::rescore;

use super::{CliError, load_library, read_store};

#[derive(Debug, Args)]
pub struct RescoreArgs {
    /// The attempt's id (a UUID, as `export` and `readiness --json` show it).
    attempt: String,
    /// Where to look for the scenario when the records lack its text (attempts recorded
    /// before schema 2); default: the bundled library.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
}

/// Exit 0 when the result is reproduced exactly, 1 when it differs.
pub fn run(args: &RescoreArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let store = read_store(data_dir)?;
    let library = load_library(args.library.as_slice());
    let rescored = rescore(&store, &args.attempt, &library)?;
    let attempt = &rescored.attempt;
    let mut out = Terminal::stdout();
    let print = |out: &mut dyn Write| -> std::io::Result<()> {
        writeln!(
            out,
            "Attempt {} by {} ({}) on {} v{}, {} mode, seed {}",
            attempt.id,
            attempt.trainee_name,
            attempt.trainee,
            attempt.scenario,
            attempt.scenario_version,
            attempt.mode.as_str(),
            attempt.seed
        )?;
        writeln!(out, "Scenario: {}", rescored.scenario_from)?;
        writeln!(out, "Replayed {} action(s).", attempt.steps.len())?;
        let verdict = |passed| if passed { "passed" } else { "not passed" };
        writeln!(
            out,
            "Stored:   {}, overall {:.4}",
            verdict(rescored.stored.passed),
            rescored.stored.overall
        )?;
        writeln!(
            out,
            "Replayed: {}, overall {:.4}",
            verdict(rescored.replayed.passed),
            rescored.replayed.overall
        )?;
        if rescored.reproduced() {
            writeln!(
                out,
                "Reproduced exactly: the stored result is what the scoring gives."
            )
        } else {
            writeln!(
                out,
                "DIFFERENT: the replay does not reproduce the stored result in: {}",
                rescored.differences.join(", ")
            )
        }
    };
    print(&mut out)?;
    Ok(if rescored.reproduced() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
