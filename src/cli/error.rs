//! Why a command failed: one type for every subcommand, printed by `main` after `error:`, with
//! the exit status the command ends in.

use std::process::ExitCode;

use mentorsim_records::attempt::StartError;
use mentorsim_records::lrs::LrsError;
use mentorsim_records::output::OutputError;
use mentorsim_records::rescore::RescoreError;
use mentorsim_records::signing::SigningError;
use mentorsim_records::store::StoreError;
use mentorsim_script::engine::PlayError;

/// A failed command. Messages are whole sentences that say what to do; findings in a file the
/// command read come already rendered with their places.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Flags that do not fit together, or a value a flag cannot take.
    #[error("{0}")]
    Usage(String),
    /// Something the command was asked for does not exist or cannot be used as it is: a
    /// scenario id, a trainee, a file with findings (shown with their places).
    #[error("{0}")]
    Input(String),
    /// The records could not be read or written.
    #[error(transparent)]
    Records(#[from] StoreError),
    /// A conversation in the terminal stopped before its ending.
    #[error(transparent)]
    Conversation(#[from] super::play::PlayFailure),
    /// An attempt could not begin.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The conversation refused a move.
    #[error(transparent)]
    Play(#[from] PlayError),
    /// A stored attempt could not be replayed.
    #[error(transparent)]
    Rescore(#[from] RescoreError),
    /// The program key, a signature or a signed document.
    #[error(transparent)]
    Signing(#[from] SigningError),
    /// An output file could not be written where it was asked for.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The Learning Record Store refused or could not be reached.
    #[error(transparent)]
    Lrs(#[from] LrsError),
    /// The window could not open.
    #[error(transparent)]
    App(#[from] crate::app::LaunchError),
    /// Writing to the terminal or reading its input failed (a closed pipe ends quietly in
    /// [`super::terminal`], before it becomes an error).
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// A report could not be turned into JSON.
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl CliError {
    /// The exit status: 1 for every failure a command reports, 2 when the app has nowhere to
    /// open its window (as for a command line clap cannot parse: the way it was started must
    /// change). 101 and 134 would be a panic or an abort, which input never causes.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            CliError::App(
                crate::app::LaunchError::NoDisplay(_) | crate::app::LaunchError::NoVulkan(_),
            ) => ExitCode::from(2),
            _ => ExitCode::FAILURE,
        }
    }
}
