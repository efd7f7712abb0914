//! The command line: `check` and `play`, thin layers over `mentorsim_core`.

mod check;
mod play;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mentorsim_core::engine::Mode;

/// Mentor-training simulator: branching role-play conversations scored against a competency rubric.
#[derive(Debug, Parser)]
#[command(name = "mentorsim", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario and rubric files: syntax, links, reachability, score analysis.
    Check(check::CheckArgs),
    /// Play a scenario in the terminal.
    Play(play::PlayArgs),
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style messages for people.
    Human,
    /// The stable JSON contract in docs/check-json.md.
    Json,
}

/// Practice shows feedback after each choice; assessment keeps it for the debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Feedback after every choice.
    Practice,
    /// Feedback in the debrief at the end.
    Assessment,
}

impl From<ModeArg> for Mode {
    fn from(mode: ModeArg) -> Mode {
        match mode {
            ModeArg::Practice => Mode::Practice,
            ModeArg::Assessment => Mode::Assessment,
        }
    }
}

/// The bundled library: `scenarios/` in the working directory when there is one, else the
/// copy beside the sources this binary was built from.
pub fn default_library() -> PathBuf {
    let here = PathBuf::from("scenarios");
    if here.is_dir() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Some(Command::Check(args)) => Ok(check::run(&args)),
        Some(Command::Play(args)) => play::run(&args),
        None => {
            use clap::CommandFactory;
            let mut command = Cli::command();
            println!("The window app is not part of this build yet; use a subcommand.\n");
            command.print_help().map_err(|e| e.to_string())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
