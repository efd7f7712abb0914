//! `mentorsim graph SCENARIO_ID --format dot|mermaid`: a scenario's map for Graphviz or for
//! Markdown, optionally with how often trainees took each option.

use super::terminal::raw_out;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mentorsim_script::graph::Graph;

use super::export::write_atomically;
use super::{CliError, check_output, find_scenario, read_store};

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The scenario's id.
    scenario: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
    /// A scenario folder to use instead of the bundled library.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Label each option with how often trainees took it and draw it that thick (from the
    /// records in the data folder).
    #[arg(long)]
    picks: bool,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (GitHub and most Markdown renderers draw it).
    Mermaid,
}

pub fn run(args: &GraphArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    if let Some(path) = &args.output {
        check_output(path, data_dir)?;
    }
    let scenario = find_scenario(args.library.as_deref(), &args.scenario)?;
    let mut graph = Graph::of(&scenario);
    if args.picks {
        let picks = read_store(data_dir)?.choice_picks(&scenario.id)?;
        graph.set_picks(&picks);
    }
    let text = match args.format {
        GraphFormat::Dot => graph.to_dot(),
        GraphFormat::Mermaid => graph.to_mermaid(),
    };
    match &args.output {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => raw_out(text)?,
    }
    Ok(ExitCode::SUCCESS)
}
