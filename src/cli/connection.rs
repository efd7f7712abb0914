//! The station's connection to its program's LRS, for the commands that stream attempts:
//! `connection.ron` in the data folder, or `--connection FILE`.

use std::path::Path;

use mentorsim_records::connection::{Connection, PASSWORD_VARIABLE};
use mentorsim_script::diagnostic::render;

use super::{CliError, data_folder};

/// The connection, `None` when the station has none; an unusable file is an error with its
/// places, since playing on without it would keep attempts from the program unnoticed.
pub fn station_connection(
    data_dir: Option<&Path>,
    explicit: Option<&Path>,
) -> Result<Option<Connection>, CliError> {
    let password = std::env::var(PASSWORD_VARIABLE).ok();
    Connection::find(&data_folder(data_dir), explicit, password)
        .map_err(|e| CliError::Input(render(&e.diagnostics, |_| Some(&e.source), false)))
}
