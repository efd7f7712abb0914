//! Signed records: a program key (Ed25519), and exports and readiness certificates signed
//! over their RFC 8785 canonical JSON, so anyone can check them with stock tools.
//!
//! A signed document is `{"payload": …, "signature": {"alg": "Ed25519", "canonicalization":
//! "RFC8785", "key_id", "public_key", "value"}}`. CSV and xAPI files must stay plain for the
//! programs that read them, so they get the same envelope beside them as `FILE.sig`, whose
//! payload names the file's SHA-256.
//!
//! The payload also carries a digest of every field of every record. The signature alone can
//! only say "something changed"; with the digests, `verify` says which record and which field.
//!
//! `key.rs` holds the program key and its files, `digests.rs` what a signature covers, and
//! `verify.rs` the checking.

mod digests;
mod key;
mod verify;

use std::path::{Path, PathBuf};

pub use digests::{FileFormat, canonical};
pub use key::{KEY_DIR, ProgramKey, read_public_key, trusted_key};
pub use verify::{Verdict, signature_path, verify};

/// What can go wrong with keys and signatures.
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// A key exists already: making a new one would orphan everything signed with it.
    #[error(
        "a program key already exists in {0}; everything signed so far is checked against it, so it is kept (move the folder away first if you really mean to replace it)"
    )]
    KeyExists(PathBuf),
    /// No key yet.
    #[error("there is no program key in {0}; create one with `mentorsim keys init`")]
    NoKey(PathBuf),
    /// A key file that cannot be read.
    #[error("the key file {path} cannot be used: {reason}")]
    BadKey {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file that is not a signed document, or a damaged one.
    #[error("{0}")]
    NotSigned(String),
    /// Writing a key file failed.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// The private key can be read by other users: whoever can read it can sign as the program.
    #[error(
        "UNPROTECTED PRIVATE KEY FILE: {path} can be read by other users (permissions {mode:04o}), so anyone of them could sign records as the program; it is not used. Run `chmod 600 {path}` (and consider making a new key if others may have copied it)"
    )]
    UnprotectedKey {
        /// The key file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> SigningError + '_ {
    move |source| SigningError::Io {
        path: path.to_owned(),
        source,
    }
}
