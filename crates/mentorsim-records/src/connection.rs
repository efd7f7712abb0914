//! A station's connection to its program's Learning Record Store: `connection.ron` in the
//! station's records folder (or the file given with `--connection`).
//!
//! ```ron
//! Connection(
//!     lrs: "https://lrs.example.org/xAPI/",
//!     station: "library-pc-2",
//!     password_file: Some("lrs-password"),
//! )
//! ```
//!
//! The station's identity is its LRS account (`station` is the basic-auth user): the LRS stamps
//! each statement it stores with the account that sent it, so a station cannot pass itself off
//! as another. The password is never in the file, the URL, the records or a log: it comes from
//! `MENTORSIM_LRS_PASSWORD`, or from `password_file` (relative to this file), which only its
//! owner may read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::lrs::{Lrs, LrsError};
use crate::policy::{Finding, located};
use mentorsim_script::diagnostic::{Code, Diagnostic};
use mentorsim_script::load::{parse, read_source};
use mentorsim_script::source::SourceText;
use mentorsim_script::syntax::RonPath;

/// The file name a station's records folder may hold.
pub const FILE: &str = "connection.ron";

/// The environment variable that holds the station's LRS password.
pub const PASSWORD_VARIABLE: &str = "MENTORSIM_LRS_PASSWORD";

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Connection")]
struct ConnectionFile {
    lrs: String,
    station: String,
    #[serde(default)]
    password_file: Option<String>,
    #[serde(default)]
    allow_insecure_http: bool,
}

/// Where a station sends its attempts, ready to use.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The LRS, with the station's credentials.
    pub lrs: Lrs,
    /// The station's name (its LRS account).
    pub station: String,
    /// The file it was read from.
    pub file: PathBuf,
}

/// Why a connection file cannot be used: its findings, with the text they point into.
#[derive(Debug)]
pub struct ConnectionError {
    /// The file's text (empty when it could not be read).
    pub source: SourceText,
    /// What is wrong, each at its place.
    pub diagnostics: Vec<Diagnostic>,
}

impl Connection {
    /// The connection a station uses: `explicit` when given (it must exist), otherwise
    /// [`FILE`] in the records folder `data_dir` when there is one. `None`: the station keeps
    /// its records to itself. `password` is the value of [`PASSWORD_VARIABLE`], if set.
    pub fn find(
        data_dir: &Path,
        explicit: Option<&Path>,
        password: Option<String>,
    ) -> Result<Option<Connection>, ConnectionError> {
        let path = match explicit {
            Some(path) => path.to_owned(),
            None => {
                let path = data_dir.join(FILE);
                if !path.exists() {
                    return Ok(None);
                }
                path
            }
        };
        Connection::load(&path, password).map(Some)
    }

    /// Reads a connection file. `password` is the value of [`PASSWORD_VARIABLE`], if set; it
    /// wins over the file's `password_file`.
    pub fn load(path: &Path, password: Option<String>) -> Result<Connection, ConnectionError> {
        let name = path.display().to_string();
        let source = read_source(path, &name).map_err(|d| ConnectionError {
            source: SourceText::new(name.clone(), String::new()),
            diagnostics: vec![d],
        })?;
        let file: ConnectionFile = parse(&source).map_err(|d| ConnectionError {
            source: source.clone(),
            diagnostics: vec![d],
        })?;
        let root = RonPath::root();
        let mut findings: Vec<Finding> = Vec::new();
        if file.station.trim().is_empty() {
            findings.push((
                root.field("station"),
                Code::EmptyText,
                "the station name is empty".into(),
                "write the LRS account this station sends as, e.g. \"library-pc-2\"".into(),
            ));
        }
        let folder = path.parent().unwrap_or(Path::new("."));
        let password = match password.filter(|p| !p.is_empty()) {
            Some(password) => Some(password),
            None => match read_password(folder, file.password_file.as_deref()) {
                Ok(password) => Some(password),
                Err((code, message, hint)) => {
                    findings.push((root.field("password_file"), code, message, hint));
                    None
                }
            },
        };
        let lrs = Lrs {
            endpoint: file.lrs.trim().to_owned(),
            credentials: password.map(|p| (file.station.trim().to_owned(), p)),
            allow_insecure_http: file.allow_insecure_http,
            batch_size: 100,
            attempts: 1,
            backoff: Duration::from_secs(1),
        };
        if let Err(LrsError::Endpoint(why)) = lrs.check_endpoint() {
            findings.push((
                root.field("lrs"),
                Code::BadEndpoint,
                why,
                "write the LRS's xAPI endpoint, e.g. \"https://lrs.example.org/xAPI/\"".into(),
            ));
        }
        if !findings.is_empty() {
            return Err(ConnectionError {
                diagnostics: located(&source, findings),
                source,
            });
        }
        Ok(Connection {
            lrs,
            station: file.station.trim().to_owned(),
            file: path.to_owned(),
        })
    }
}

/// The password from `password_file`, or why not: the code, the message and the fix.
fn read_password(
    folder: &Path,
    password_file: Option<&str>,
) -> Result<String, (Code, String, String)> {
    let Some(name) = password_file else {
        return Err((
            Code::NoPassword,
            format!(
                "no password: {PASSWORD_VARIABLE} is not set and the file names no `password_file`"
            ),
            format!(
                "set {PASSWORD_VARIABLE}, or write the password alone in a file only you can read (chmod 600) and name it here: `password_file: Some(\"lrs-password\")`"
            ),
        ));
    };
    let path = folder.join(name);
    let shown = path.display();
    let metadata = std::fs::metadata(&path).map_err(|e| {
        (
            Code::NoPassword,
            format!("cannot read the password file {shown}: {e}"),
            format!(
                "create it with the station's LRS password alone in it, or set {PASSWORD_VARIABLE}"
            ),
        )
    })?;
    if !metadata.is_file() {
        return Err((
            Code::NoPassword,
            format!("the password file {shown} is not a file"),
            "name a file holding the station's LRS password".into(),
        ));
    }
    if let Some(mode) = open_to_others(&metadata) {
        return Err((
            Code::PasswordFileOpen,
            format!(
                "the password file {shown} may be read by other users of this computer (mode {mode:o})"
            ),
            format!("make it yours alone: chmod 600 {shown}"),
        ));
    }
    // A password is one line; anything long is not a password file.
    if metadata.len() > 4096 {
        return Err((
            Code::NoPassword,
            format!(
                "the password file {shown} is {} bytes, too long to be a password",
                metadata.len()
            ),
            "write the password alone in it".into(),
        ));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| {
        (
            Code::NoPassword,
            format!("cannot read the password file {shown}: {e}"),
            "write the password in it as UTF-8 text".into(),
        )
    })?;
    let password = text.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() || password.contains(['\r', '\n']) {
        return Err((
            Code::NoPassword,
            format!("the password file {shown} does not hold one password on one line"),
            "write the password alone on its first line".into(),
        ));
    }
    Ok(password)
}

/// The file's permission bits when group or others may read or write it.
#[cfg(unix)]
fn open_to_others(metadata: &std::fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = metadata.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn open_to_others(_: &std::fs::Metadata) -> Option<u32> {
    None
}
