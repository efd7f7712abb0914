//! `mentorsim readiness`: each trainee Ready or Not yet under the program's policy, with the
//! reasons a coordinator can act on.

use super::terminal::{Terminal, errln, raw_out};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use mentorsim_records::lrs::without_credentials;
use mentorsim_records::readiness::{TraineeReadiness, evaluate, relevant};
use mentorsim_records::replayed::{NotCounted, Replayed, replay_statements, scenario_activities};
use mentorsim_records::signing::ProgramKey;
use mentorsim_records::store::Which;
use mentorsim_script::digest::sha256_hex;
use serde::Serialize;
use serde_json::json;

use super::export::write_atomically;
use super::lrs_args::LrsArgs;
use super::{
    CliError, check_output, data_folder, load_library, load_policy, open_store, read_store,
    trainee_id,
};

#[derive(Debug, Args)]
pub struct ReadinessArgs {
    /// Only this trainee.
    #[arg(long, value_name = "ID")]
    trainee: Option<String>,
    /// The program's policy file (default: the bundled scenarios/program.policy.ron).
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The library the policy names modules and scenarios of (default: the bundled one).
    #[arg(long, value_name = "DIR")]
    library: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Also write a readiness certificate, signed with the program key, to this file.
    #[arg(long, value_name = "FILE")]
    certificate: Option<PathBuf>,
    /// Judge the attempts in the program's LRS (`--lrs URL`) instead of this computer's
    /// records: each is replayed on the library's scenarios, and only what it earns counts.
    #[command(flatten)]
    lrs: LrsArgs,
    /// With --lrs: forget the statements kept from earlier reads and read everything again
    /// (otherwise only what the LRS stored since the last read is fetched).
    #[arg(long, requires = "endpoint")]
    refetch: bool,
}

/// The JSON form: the policy judged against, when, each trainee, and (judged from an LRS) the
/// attempts that did not count.
#[derive(Serialize)]
struct Report<'a> {
    policy: &'a str,
    policy_version: u32,
    judged_at: String,
    trainees: &'a [TraineeReadiness],
    #[serde(skip_serializing_if = "Option::is_none")]
    not_counted: Option<&'a [NotCounted]>,
}

pub fn run(args: &ReadinessArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    if let Some(path) = &args.certificate {
        check_output(path, data_dir)?;
    }
    let library = load_library(args.library.as_slice());
    let loaded = load_policy(args.policy.as_deref(), &library)?;
    // Reading from an LRS keeps what was read, so the next judgement fetches only what is new;
    // records that cannot be written (a read-only folder) are read, and everything is fetched.
    let store = match &args.lrs.endpoint {
        Some(_) => open_store(data_dir).or_else(|_| read_store(data_dir))?,
        None => read_store(data_dir)?,
    };
    let relevant = relevant(&loaded.policy, &library);
    let (trainees, summaries, not_counted) = match &args.lrs.endpoint {
        Some(endpoint) => {
            let replayed = from_lrs(args, endpoint, &store, &library, &loaded.policy, &relevant)?;
            let trainees = match &args.trainee {
                Some(id) => {
                    let id = trainee_id(id)?;
                    replayed
                        .trainees
                        .into_iter()
                        .filter(|t| t.id == id)
                        .collect()
                }
                None => replayed.trainees,
            };
            (trainees, replayed.summaries, Some(replayed.not_counted))
        }
        None => {
            let trainees = match &args.trainee {
                Some(id) => vec![store.trainee(trainee_id(id)?)?],
                None => store.trainees()?,
            };
            (trainees, store.summaries(Which::Relevant(&relevant))?, None)
        }
    };
    let now = jiff::Timestamp::now();
    let judged = evaluate(&loaded.policy, &library, &trainees, &summaries, now);
    let judged_at = mentorsim_records::store::timestamp_text(now);
    if let Some(path) = &args.certificate {
        let key = ProgramKey::require(&data_folder(data_dir))?;
        let certificate = key.sign(json!({
            "kind": "readiness-certificate",
            "program": loaded.policy.program,
            "policy": {
                "id": loaded.policy.id,
                "version": loaded.policy.version,
                "sha256": sha256_hex(loaded.text.as_bytes()),
            },
            "judged_at": judged_at,
            "records": judged,
        }));
        let mut bytes = serde_json::to_vec_pretty(&certificate)?;
        bytes.push(b'\n');
        write_atomically(path, &bytes)?;
        errln!(
            "Wrote a readiness certificate for {} trainee(s) to {}, signed with key {}.",
            judged.len(),
            path.display(),
            key.key_id()
        );
    }
    let mut out = Terminal::stdout();
    if args.json {
        let report = Report {
            policy: &loaded.policy.id,
            policy_version: loaded.policy.version,
            judged_at,
            trainees: &judged,
            not_counted: not_counted.as_deref(),
        };
        let json = serde_json::to_string_pretty(&report)?;
        raw_out(json + "\n")?;
    } else {
        print_human(&mut out, &loaded.file, &loaded.policy, &judged)?;
        if let Some(not_counted) = &not_counted {
            print_not_counted(&mut out, not_counted)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The program's statements in the LRS, every finished attempt replayed.
fn from_lrs(
    args: &ReadinessArgs,
    endpoint: &str,
    store: &mentorsim_records::store::Store,
    library: &mentorsim_script::library::Library,
    policy: &mentorsim_records::policy::Policy,
    relevant: &mentorsim_records::store::Relevant,
) -> Result<Replayed, CliError> {
    let lrs = args.lrs.connect(endpoint, 1000);
    let activities = scenario_activities(&policy.program, relevant);
    let fetched = if store.is_read_only() {
        lrs.fetch(&activities)?
    } else {
        if args.refetch {
            store.forget_lrs_statements(endpoint)?;
        }
        lrs.fetch_kept(&activities, store)?
    };
    let replayed = replay_statements(
        store,
        library,
        &fetched.statements,
        &policy.program.home_page,
    );
    errln!(
        "Read {} new statement(s) from {} in {} request(s) ({} in all with those kept from earlier reads): {} attempt(s) replayed and counted, {} not counted.",
        fetched.new,
        without_credentials(endpoint),
        fetched.requests,
        fetched.statements.len(),
        replayed.summaries.len(),
        replayed.not_counted.len()
    );
    Ok(replayed)
}

fn print_not_counted(out: &mut dyn Write, not_counted: &[NotCounted]) -> std::io::Result<()> {
    if not_counted.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "
Not counted ({}):",
        not_counted.len()
    )?;
    for attempt in not_counted {
        writeln!(
            out,
            "  attempt {} ({}): {}",
            attempt.attempt,
            attempt.trainee.as_deref().unwrap_or("no trainee named"),
            attempt.reason
        )?;
    }
    Ok(())
}

fn print_human(
    out: &mut dyn Write,
    file: &str,
    policy: &mentorsim_records::policy::Policy,
    judged: &[TraineeReadiness],
) -> std::io::Result<()> {
    writeln!(
        out,
        "Policy {} v{} ({file}): {} requirement(s)\n",
        policy.id,
        policy.version,
        policy.require.len()
    )?;
    if judged.is_empty() {
        writeln!(out, "No trainees in the records yet.")?;
    }
    for trainee in judged {
        let status = if trainee.ready { "READY" } else { "NOT YET" };
        let until = trainee.valid_until.as_deref().map_or(String::new(), |t| {
            format!(" (until {})", &t[..10.min(t.len())])
        });
        writeln!(
            out,
            "{} ({}): {status}{until}",
            trainee.name, trainee.trainee
        )?;
        for requirement in &trainee.requirements {
            let date = requirement
                .ended
                .as_deref()
                .map(|d| &d[..10.min(d.len())])
                .unwrap_or("");
            if requirement.met {
                writeln!(out, "  ok   {} (passed {date})", requirement.requirement)?;
            } else {
                let latest = if date.is_empty() {
                    String::new()
                } else {
                    format!(" (latest attempt {date})")
                };
                writeln!(out, "  todo {}{latest}", requirement.requirement)?;
                for reason in &requirement.reasons {
                    writeln!(out, "         - {reason}")?;
                }
            }
        }
    }
    let ready = judged.iter().filter(|t| t.ready).count();
    writeln!(out, "\n{ready} of {} trainee(s) ready.", judged.len())
}
