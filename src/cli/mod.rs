//! The command line: `check` and `play`, thin layers over `mentorsim_core`.

mod check;
mod play;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mentorsim_core::engine::Mode;
use mentorsim_core::library::Library;
use mentorsim_core::records::Store;

use crate::app::autoplay::AutoplaySpec;
use crate::app::{self, AppOptions};

/// Mentor-training simulator: branching role-play conversations scored against a competency rubric.
///
/// Without a subcommand, opens the trainee app on the bundled scenarios.
#[derive(Debug, Parser)]
#[command(
    name = "mentorsim",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    app: AppArgs,
}

/// Options of the window app.
#[derive(Debug, Args)]
struct AppArgs {
    /// A scenario folder to use instead of the bundled library; edits show while the app runs.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Where records and settings are kept (default: the platform data folder, e.g.
    /// ~/.local/share/mentorsim).
    #[arg(long, value_name = "DIR", env = "MENTORSIM_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Drive the window through a scenario and exit: SCENARIO_ID or SCENARIO_ID:2,1,3 (option
    /// numbers per decision; missing ones pick 1). Uses a throwaway data folder unless
    /// --data-dir is given.
    #[arg(long, value_name = "SCENARIO_ID:PICKS")]
    autoplay: Option<AutoplaySpec>,
    /// Mode of the --autoplay run.
    #[arg(long, value_enum, default_value_t = ModeArg::Practice, requires = "autoplay")]
    mode: ModeArg,
    /// Seed of every attempt's randomness (line wordings, option order).
    #[arg(long)]
    seed: Option<u64>,
    /// Save a screenshot of every screen of the --autoplay run here.
    #[arg(long, value_name = "DIR", requires = "autoplay")]
    screenshot_dir: Option<PathBuf>,
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

/// The library a command works on: the given files and folders, or the bundled one.
pub fn load_library(paths: &[PathBuf]) -> Library {
    if paths.is_empty() {
        crate::bundled::library()
    } else {
        Library::load(paths)
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Some(Command::Check(args)) => Ok(check::run(&args)),
        Some(Command::Play(args)) => play::run(&args),
        None => run_app(cli.app),
    }
}

fn run_app(args: AppArgs) -> Result<ExitCode, String> {
    // A scripted run without --data-dir must not add a demo profile to the real records.
    let scratch = (args.autoplay.is_some() && args.data_dir.is_none())
        .then(|| std::env::temp_dir().join(format!("mentorsim-autoplay-{}", std::process::id())));
    let data_dir = args
        .data_dir
        .or_else(|| scratch.clone())
        .unwrap_or_else(Store::default_dir);
    let code = app::run(AppOptions {
        library: args.library,
        data_dir,
        autoplay: args.autoplay,
        mode: args.mode.into(),
        seed: args.seed,
        screenshot_dir: args.screenshot_dir,
    });
    if let Some(dir) = scratch {
        let _ = std::fs::remove_dir_all(dir);
    }
    code
}
