//! The command line: thin layers over `mentorsim_script`, one module per subcommand.

mod analytics;
mod check;
mod connection;
mod error;
mod export;
mod graph;
mod keys;
mod lrs_args;
mod new;
mod play;
mod readiness;
mod records;
mod rescore;
pub mod terminal;

pub use error::CliError;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mentorsim_records::policy::{self, LoadedPolicy, Policy};
use mentorsim_records::store::Store;
use mentorsim_script::diagnostic::render;
use mentorsim_script::engine::Mode;
use mentorsim_script::library::Library;
use mentorsim_script::load::read_source;
use mentorsim_script::scenario::Scenario;
use mentorsim_script::source::SourceText;

use crate::app::autoplay::AutoplaySpec;
use crate::app::{self, AppOptions};

/// Mentor-training simulator: branching role-play conversations scored against a competency rubric.
///
/// Without a subcommand, opens the trainee app on the bundled scenarios.
#[derive(Debug, Parser)]
#[command(name = "mentorsim", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    app: AppArgs,
    /// Where records and settings are kept (default: the platform data folder, e.g.
    /// ~/.local/share/mentorsim).
    #[arg(long, global = true, value_name = "DIR", env = "MENTORSIM_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

/// Options of the window app.
#[derive(Debug, Args)]
struct AppArgs {
    /// A scenario folder to use instead of the bundled library; edits show while the app runs.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
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
    /// The program's readiness policy (default: the bundled one): its contacts fill the
    /// scenarios' texts and its rule judges the program view.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The program connection to stream attempts to (default: connection.ron in the data
    /// folder, when there is one; see docs/records.md).
    #[arg(long, value_name = "FILE")]
    connection: Option<PathBuf>,
}

impl AppArgs {
    /// The first window-only option given, if any.
    fn window_option(&self) -> Option<&'static str> {
        [
            (self.library.is_some(), "--library (before the subcommand)"),
            (self.autoplay.is_some(), "--autoplay"),
            (self.seed.is_some(), "--seed (before the subcommand)"),
            (self.policy.is_some(), "--policy (before the subcommand)"),
            (
                self.connection.is_some(),
                "--connection (before the subcommand)",
            ),
        ]
        .into_iter()
        .find_map(|(given, name)| given.then_some(name))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario and rubric files: syntax, links, reachability, score analysis.
    Check(check::CheckArgs),
    /// Play a scenario in the terminal (recorded with --trainee).
    Play(play::PlayArgs),
    /// Replay a recorded attempt and check it reproduces its stored result exactly.
    Rescore(rescore::RescoreArgs),
    /// Who is ready to mentor under the program's policy, and why not yet.
    Readiness(readiness::ReadinessArgs),
    /// Finished attempts as JSON, CSV or xAPI, to a file or a Learning Record Store.
    Export(export::ExportArgs),
    /// The program key that signs exports and readiness certificates.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Check a signed export or certificate: valid, or what was altered.
    Verify(keys::VerifyArgs),
    /// A scenario's map as Graphviz DOT or a Mermaid flowchart.
    Graph(graph::GraphArgs),
    /// Start a new scenario file that passes `check` and shows every feature of the format.
    New(new::NewArgs),
    /// How often trainees took each option of a scenario, and the critical errors made most.
    Analytics(analytics::AnalyticsArgs),
    /// Other stations' records: import their exports once every attempt replays as claimed.
    #[command(subcommand)]
    Records(records::RecordsCommand),
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
        crate::bundled::load(paths)
    }
}

/// The data folder: `--data-dir`, or the platform's.
pub fn data_folder(data_dir: Option<&Path>) -> PathBuf {
    data_dir.map_or_else(Store::default_dir, Path::to_owned)
}

/// The records in the data folder, for a command that writes them.
pub fn open_store(data_dir: Option<&Path>) -> Result<Store, CliError> {
    Ok(Store::open(&data_folder(data_dir))?)
}

/// The records in the data folder, for a command that only reads them: opened read-only, so
/// it works on a read-only file or folder and changes nothing.
pub fn read_store(data_dir: Option<&Path>) -> Result<Store, CliError> {
    Ok(Store::open_read_only(&data_folder(data_dir))?)
}

/// Refuses an output file that would land on the records or inside the data folder.
pub fn check_output(path: &Path, data_dir: Option<&Path>) -> Result<(), CliError> {
    Ok(mentorsim_records::output::check_outside_data_folder(
        path,
        &data_folder(data_dir),
    )?)
}

/// A trainee id from the command line, refused with the reason when it cannot be one.
pub fn trainee_id(id: &str) -> Result<&str, CliError> {
    mentorsim_records::store::check_trainee_id(id)
        .map(|()| id)
        .map_err(|e| CliError::Usage(format!("--trainee: {e}")))
}

/// The text of the program's policy: `--policy FILE`, or the bundled default.
fn policy_text(path: Option<&Path>) -> Result<SourceText, CliError> {
    match path {
        Some(path) => read_source(path, &path.display().to_string())
            .map_err(|d| CliError::Input(render(&[d], |_| None, false))),
        None => Ok(crate::bundled::policy()),
    }
}

/// The program's policy from `--policy FILE` or the bundled one, checked for playing (see
/// [`policy::for_play`]). Errors come rendered with their place in the file.
pub fn policy_for_play(path: Option<&Path>) -> Result<Policy, CliError> {
    let source = policy_text(path)?;
    policy::for_play(&source)
        .map_err(|found| CliError::Input(render(&found, |_| Some(&source), false)))
}

/// The program's policy: `--policy FILE`, or the bundled default. Errors come rendered with
/// their place in the file.
pub fn load_policy(path: Option<&Path>, library: &Library) -> Result<LoadedPolicy, CliError> {
    let source = policy_text(path)?;
    let loaded = policy::from_source(&source, library)
        .map_err(|found| CliError::Input(render(&found, |_| Some(&source), false)))?;
    if !loaded.warnings.is_empty() {
        terminal::raw_err(render(&loaded.warnings, |_| Some(&source), false));
    }
    Ok(loaded)
}

/// A playable scenario by id, from `folder` (default: the bundled library), or an error that
/// says whether it has errors or does not exist, with the ids that do.
pub fn find_scenario(folder: Option<&Path>, id: &str) -> Result<Arc<Scenario>, CliError> {
    scenario_in(&library_at(folder), folder, id)
}

/// The library in `folder`, or the bundled one.
pub fn library_at(folder: Option<&Path>) -> Library {
    match folder {
        Some(path) => crate::bundled::load(&[path.to_owned()]),
        None => crate::bundled::library(),
    }
}

/// A playable scenario by id from `library` (loaded from `folder`), or an error that says
/// whether it has errors or does not exist, with the ids that do.
pub fn scenario_in(
    library: &Library,
    folder: Option<&Path>,
    id: &str,
) -> Result<Arc<Scenario>, CliError> {
    if let Some(scenario) = library.scenario(id) {
        return Ok(Arc::clone(scenario));
    }
    let broken = library
        .scenarios
        .iter()
        .find(|e| e.meta.as_ref().is_some_and(|m| m.id == id));
    Err(CliError::Input(match broken {
        Some(entry) => format!(
            "scenario `{}` ({}) has errors; run `mentorsim check {}` to see them",
            id, entry.file, entry.file
        ),
        None => {
            let place = folder.map_or("the bundled library".to_owned(), |p| {
                p.display().to_string()
            });
            let available = library.scenario_ids();
            let mut message = format!(
                "there is no scenario `{}` in {place}; available: {}",
                id,
                if available.is_empty() {
                    "none".to_owned()
                } else {
                    available.join(", ")
                }
            );
            if library.error_count() > 0 {
                message.push_str(&format!(
                    "\n{} error(s) keep some files from loading; run `mentorsim check {place}` to see them",
                    library.error_count()
                ));
            }
            message
        }
    }))
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let data_dir = cli.data_dir.as_deref();
    if let (Some(option), Some(_)) = (cli.app.window_option(), &cli.command) {
        return Err(CliError::Usage(format!(
            "{option} is an option of the window app; it cannot be used with a subcommand"
        )));
    }
    match cli.command {
        Some(Command::Check(args)) => Ok(check::run(&args)),
        Some(Command::Play(args)) => play::run(&args, data_dir),
        Some(Command::Rescore(args)) => rescore::run(&args, data_dir),
        Some(Command::Readiness(args)) => readiness::run(&args, data_dir),
        Some(Command::Export(args)) => export::run(&args, data_dir),
        Some(Command::Keys(command)) => keys::run(&command, data_dir),
        Some(Command::Verify(args)) => keys::verify(&args, data_dir),
        Some(Command::Graph(args)) => graph::run(&args, data_dir),
        Some(Command::New(args)) => new::run(&args),
        Some(Command::Analytics(args)) => analytics::run(&args, data_dir),
        Some(Command::Records(command)) => records::run(&command, data_dir),
        None => run_app(cli.app, cli.data_dir),
    }
}

fn run_app(args: AppArgs, data_dir: Option<PathBuf>) -> Result<ExitCode, CliError> {
    let policy = policy_text(args.policy.as_deref())?;
    // A scripted run without --data-dir must not add a demo profile to the real records.
    let scratch = (args.autoplay.is_some() && data_dir.is_none())
        .then(|| std::env::temp_dir().join(format!("mentorsim-autoplay-{}", std::process::id())));
    let data_dir = data_dir
        .or_else(|| scratch.clone())
        .unwrap_or_else(Store::default_dir);
    let sync = match connection::station_connection(Some(&data_dir), args.connection.as_deref())? {
        Some(connection) => {
            let program = policy::for_play(&policy)
                .map_err(|found| CliError::Input(render(&found, |_| Some(&policy), false)))?
                .program;
            Some((connection, program))
        }
        None => None,
    };
    let code = app::run(AppOptions {
        sync,
        library: args.library,
        data_dir,
        autoplay: args.autoplay,
        mode: args.mode.into(),
        seed: args.seed,
        screenshot_dir: args.screenshot_dir,
        policy,
    });
    if let Some(dir) = scratch {
        let _ = std::fs::remove_dir_all(dir);
    }
    Ok(code?)
}
