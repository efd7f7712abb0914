//! `mentorsim keys init|show` and `mentorsim verify FILE`: the program key that signs exports
//! and certificates, and the check anyone can run on them.

use super::terminal::{errln, outln};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CliError, data_folder};
use clap::{Args, Subcommand};
use mentorsim_records::signing::{self, ProgramKey, Verdict};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Create the program key in the data folder (never replaces one).
    Init,
    /// Print the program's public key, for whoever checks its records.
    Show,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A signed JSON export or certificate, or a CSV/xAPI export with FILE.sig beside it.
    file: PathBuf,
    /// The public key (PEM) the file must be signed with (default: this data folder's key;
    /// with neither, nothing is VALID: the answer is UNTRUSTED).
    #[arg(long, value_name = "PEM")]
    key: Option<PathBuf>,
}

pub fn run(command: &KeysCommand, data_dir_arg: Option<&Path>) -> Result<ExitCode, CliError> {
    let dir = data_folder(data_dir_arg);
    let key = match command {
        KeysCommand::Init => {
            let key = ProgramKey::init(&dir)?;
            errln!(
                "Created program key {} in {}. Keep program.key.pem private and backed up; share program.pub.pem.",
                key.key_id(),
                dir.join(signing::KEY_DIR).display()
            );
            key
        }
        KeysCommand::Show => ProgramKey::require(&dir)?,
    };
    outln!("key id {}\n{}", key.key_id(), key.public_pem().trim_end());
    Ok(ExitCode::SUCCESS)
}

/// Exit 0 when valid, 1 otherwise.
pub fn verify(args: &VerifyArgs, data_dir_arg: Option<&Path>) -> Result<ExitCode, CliError> {
    let trusted = match &args.key {
        Some(pem) => Some(signing::read_public_key(pem)?),
        None => signing::trusted_key(&data_folder(data_dir_arg))?,
    };
    let verdict = signing::verify(&args.file, trusted.as_ref())?;
    let file = args.file.display();
    match verdict {
        Verdict::Valid { key_id, records } => {
            outln!(
                "VALID: {file} ({records} record(s)) is signed by the trusted key {key_id} and unchanged."
            );
            Ok(ExitCode::SUCCESS)
        }
        Verdict::Altered(changes) => {
            outln!("ALTERED: {file} changed after it was signed:");
            for change in changes {
                outln!("  - {change}");
            }
            Ok(ExitCode::FAILURE)
        }
        Verdict::SignatureMismatch(reason) | Verdict::Rejected(reason) => {
            outln!("INVALID: {file}: {reason}.");
            Ok(ExitCode::FAILURE)
        }
        Verdict::UntrustedKey { signed_by, trusted } => {
            outln!(
                "UNTRUSTED: {file} is intact but signed by key {signed_by}, not by the trusted key {trusted}."
            );
            Ok(ExitCode::FAILURE)
        }
        Verdict::NoTrustedKey { signed_by } => {
            outln!(
                "UNTRUSTED: {file} is intact and signed by key {signed_by}, but there is no trusted key to say whose that is (anyone can sign with a key of their own), so it cannot be vouched for. Pass the program's public key: --key program.pub.pem."
            );
            Ok(ExitCode::FAILURE)
        }
    }
}
