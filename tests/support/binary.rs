//! Running the real `mentorsim` binary in tests, with its records in a given data folder.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `mentorsim ARGS` from the project folder with `data` as its data folder.
#[allow(dead_code)] // The app's headless tests use only the LRS helpers.
pub fn mentorsim(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mentorsim"))
        .args(args)
        .env("MENTORSIM_DATA_DIR", data)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("mentorsim runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs one of the scripts in tests/xapi (they install their tools on first use).
#[allow(dead_code)] // Only the records tests start validators and LRSs.
pub fn xapi_tool(args: &[&str]) -> Output {
    Command::new("bash")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs")
}
