//! `mentorsim export`: finished attempts as JSON, CSV or xAPI statements, to a file, stdout or
//! a Learning Record Store; signed with the program key when there is one.

use super::terminal::{errln, raw_out};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mentorsim_records::export::{self, Selection};
use mentorsim_records::output;
use mentorsim_records::signing::{FileFormat, ProgramKey, signature_path};
use mentorsim_records::store::timestamp_text;

use super::lrs_args::LrsArgs;
use super::{
    CliError, check_output, data_folder, load_library, load_policy, open_store, read_store,
    trainee_id,
};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// json: every field of each record; csv: a row per attempt, a column per competency;
    /// xapi: xAPI 1.0.3 statements.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Write here instead of stdout (CSV and xAPI get their signature in FILE.sig).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Only this trainee's attempts.
    #[arg(long, value_name = "ID")]
    trainee: Option<String>,
    /// Only attempts that ended on or after this date (2026-09-01) or time (RFC 3339).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Include the trainees' reflections, which are private unless asked for.
    #[arg(long)]
    reflections: bool,
    /// Do not sign, even though a program key exists.
    #[arg(long)]
    unsigned: bool,
    /// The program's policy file, for its name and home page (default: the bundled one).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The library, to name scenarios of attempts recorded before their texts were stored.
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Send the xAPI statements to the LRS (`--lrs URL`) instead of writing them; attempts it
    /// already acknowledged are skipped.
    #[command(flatten)]
    lrs: LrsArgs,
    /// Most statements per LRS request.
    #[arg(long, default_value_t = 200, requires = "endpoint")]
    batch_size: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Xapi,
}

pub fn run(args: &ExportArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    if args.lrs.endpoint.is_some() && args.format != ExportFormat::Xapi {
        return Err(CliError::Usage(
            "--lrs sends xAPI statements: use it with --format xapi".to_owned(),
        ));
    }
    let library = load_library(args.library.as_slice());
    let program = load_policy(args.policy.as_deref(), &library)?
        .policy
        .program;
    if let Some(path) = &args.output {
        check_output(path, data_dir)?;
        check_output(&signature_path(path), data_dir)?;
    }
    let data_dir = data_folder(data_dir);
    // Only a push writes (which attempts the LRS acknowledged); an export only reads.
    let store = if args.lrs.endpoint.is_some() {
        open_store(Some(&data_dir))?
    } else {
        read_store(Some(&data_dir))?
    };
    if let Some(trainee) = &args.trainee {
        store.trainee(trainee_id(trainee)?)?;
    }
    let selection = Selection {
        trainee: args.trainee.clone(),
        since: args.since.as_deref().map(normalise_since).transpose()?,
        reflections: args.reflections,
    };
    let collected = export::collect(&store, &library, &selection)?;
    let records = collected.records;
    // Damaged records are named at the end, after every readable one was exported.
    let finish = |code: ExitCode| -> Result<ExitCode, CliError> {
        if collected.damaged.is_empty() {
            return Ok(code);
        }
        errln!(
            "{} damaged record(s) could not be exported (the others were):",
            collected.damaged.len()
        );
        for damage in &collected.damaged {
            errln!("  - {damage}");
        }
        errln!(
            "Restore the records from a backup to export them; `mentorsim rescore ATTEMPT_ID` shows what the stored texts still reproduce."
        );
        Ok(ExitCode::FAILURE)
    };

    if let Some(endpoint) = &args.lrs.endpoint {
        let lrs = args.lrs.connect(endpoint, args.batch_size);
        let report = lrs.push(&store, &records, &program)?;
        errln!(
            "Sent {} attempt(s), {} statement(s), in {} request(s); {} attempt(s) had been sent before.",
            report.sent_attempts,
            report.sent_statements,
            report.requests,
            report.already_sent
        );
        return finish(ExitCode::SUCCESS);
    }

    let key = if args.unsigned {
        None
    } else {
        ProgramKey::load(&data_dir)?
    };
    let (bytes, detached) = match args.format {
        ExportFormat::Json => {
            let document = export::json::document(
                &records,
                &program,
                &selection,
                &timestamp_text(jiff::Timestamp::now()),
            );
            let document = match &key {
                Some(key) => key.sign(document),
                None => document,
            };
            (pretty(&document)?, None)
        }
        ExportFormat::Csv => {
            let order: Vec<&str> = library
                .rubrics
                .iter()
                .flat_map(|r| r.competencies.iter().map(|c| c.id.as_str()))
                .collect();
            let mut bytes = Vec::new();
            export::csv::write(&records, &order, args.reflections, &mut bytes)
                .map_err(std::io::Error::from)?;
            (bytes, Some(FileFormat::Csv))
        }
        ExportFormat::Xapi => {
            let statements = export::xapi::statements(&records, &program);
            (pretty(&statements)?, Some(FileFormat::Xapi))
        }
    };
    match &args.output {
        None => {
            raw_out(&bytes)?;
            if key.is_some() && detached.is_some() {
                errln!("Not signed: a CSV or xAPI export is signed beside its file; give -o FILE.");
            }
        }
        Some(path) => {
            let signed = match (&key, detached) {
                (Some(key), Some(format)) => {
                    let name = path
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
                    // The signature covers exactly the bytes written, and both files are put in
                    // place together.
                    let sig = pretty(&key.sign_file(&name, format, &bytes))?;
                    let sig_path = signature_path(path);
                    output::write_files_atomically(&[(path, &bytes), (&sig_path, &sig)])?;
                    format!(", signed in {}", sig_path.display())
                }
                (Some(key), None) => {
                    write_atomically(path, &bytes)?;
                    format!(", signed with key {}", key.key_id())
                }
                (None, _) => {
                    write_atomically(path, &bytes)?;
                    ", unsigned (run `mentorsim keys init` to sign exports)".to_owned()
                }
            };
            errln!(
                "Wrote {} attempt(s) to {}{signed}.",
                records.len(),
                path.display()
            );
        }
    }
    finish(ExitCode::SUCCESS)
}

/// `--since` as the records compare it: a date stays a date, a time becomes UTC text.
fn normalise_since(since: &str) -> Result<String, CliError> {
    if let Ok(date) = since.parse::<jiff::civil::Date>() {
        return Ok(date.to_string());
    }
    since
        .parse::<jiff::Timestamp>()
        .map(timestamp_text)
        .map_err(|_| {
            CliError::Usage(format!("--since `{since}` is not a date or time: write e.g. 2026-09-01 or 2026-09-01T08:00:00Z"))
        })
}

fn pretty(value: &impl serde::Serialize) -> Result<Vec<u8>, CliError> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes a whole file or nothing, never leaving half a file where a good one was (see
/// `mentorsim_records::output`).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    Ok(output::write_atomically(path, bytes)?)
}
