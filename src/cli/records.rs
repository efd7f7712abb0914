//! `mentorsim records import FILE...`: a coordinator brings stations' JSON exports into their
//! own records. Each attempt counts only if its replay on the exact scenario text earns what
//! the station claims; a file with one that does not is refused whole.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use mentorsim_records::import::import_file;

use super::terminal::outln;
use super::{CliError, load_library, open_store};

#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Import stations' JSON exports (signed or not) after replaying every attempt.
    Import(ImportArgs),
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

/// Exit 0 when every file was imported (or held already), 1 when any was refused.
pub fn run(command: &RecordsCommand, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let RecordsCommand::Import(args) = command;
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
