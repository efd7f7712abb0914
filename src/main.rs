//! The `mentorsim` binary: parses the command line and hands over to the app or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use mentorsim::cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
