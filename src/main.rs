//! The `mentorsim` binary: parses the command line and hands over to the app or a subcommand.

use std::process::ExitCode;

use std::io::Write;

use clap::Parser;
use mentorsim::cli;
use mentorsim::cli::terminal::Terminal;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(error) => {
            let _ = writeln!(Terminal::stderr(), "error: {error}");
            error.exit_code()
        }
    }
}
