//! `mentorsim records import FILE...`: a coordinator brings stations' JSON exports into their
//! own records. Each attempt counts only if its replay on the exact scenario text earns what
//! the station claims; a file with one that does not is refused whole.
//!
//! `mentorsim records sync`: a station sends its program's LRS every statement it has not
//! acknowledged yet, as the app and `play` do in the background.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mentorsim_records::import::import_file;

use mentorsim_records::connection;
use mentorsim_records::lrs::without_credentials;
use mentorsim_script::library::Library;

use super::connection::station_connection;
use super::terminal::outln;
use super::{CliError, data_folder, load_library, open_store, policy_for_play};

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Import stations' JSON exports (signed or not) after replaying every attempt.
    Import(ImportArgs),
    /// Send the program's LRS what this station has not sent yet (attempts stream as they are
    /// played; this catches up after time offline).
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The program connection (default: connection.ron in the data folder).
    #[arg(long, value_name = "FILE")]
    connection: Option<PathBuf>,
    /// The program's readiness policy, for the program's home page the statements are named
    /// under (default: the bundled one).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// JSON exports made with `mentorsim export --format json` on the stations.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Scenarios to replay on (the versions the stations played); default: the bundled library.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
}

/// Runs a `records` subcommand.
pub fn run(command: &RecordsCommand, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    match command {
        RecordsCommand::Import(args) => import(args, data_dir),
        RecordsCommand::Sync(args) => sync(args, data_dir),
    }
}

/// Exit 0 when everything is sent, 1 when statements are still waiting.
fn sync(args: &SyncArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let Some(connection) = station_connection(data_dir, args.connection.as_deref())? else {
        return Err(CliError::Usage(format!(
            "this station has no program connection: write {} (docs/records.md, \"A station's connection\") or pass --connection FILE",
            data_folder(data_dir).join(connection::FILE).display()
        )));
    };
    let program = policy_for_play(args.policy.as_deref())?.program;
    let store = open_store(data_dir)?;
    let endpoint = without_credentials(&connection.lrs.endpoint);
    let drained = connection.lrs.drain(&store, &Library::default(), &program);
    let waiting: usize = store
        .waiting(&connection.lrs.endpoint)?
        .iter()
        .map(|w| w.available - w.sent)
        .sum();
    let drained = drained?;
    outln!(
        "{} statement(s) sent to {endpoint} as `{}`; {} attempt(s) now complete there; {waiting} statement(s) waiting",
        drained.statements,
        connection.station,
        drained.completed,
    );
    for (attempt, why) in drained.refused.iter().chain(&drained.unreadable) {
        outln!("attempt {attempt} not sent: {why}");
    }
    Ok(if waiting == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Exit 0 when every file was imported (or held already), 1 when any was refused.
fn import(args: &ImportArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let store = open_store(data_dir)?;
    let library = load_library(args.library.as_slice());
    let mut refused = 0;
    for file in &args.files {
        match import_file(&store, &library, file) {
            Ok(report) => outln!(
                "{}: {} attempt(s) added, {} already in the records{}",
                file.display(),
                report.added,
                report.already,
                if report.signed {
                    " (signed, unchanged)"
                } else {
                    ""
                }
            ),
            Err(error) => {
                refused += 1;
                outln!(
                    "{}: REFUSED, nothing of it imported: {error}",
                    file.display()
                );
            }
        }
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
