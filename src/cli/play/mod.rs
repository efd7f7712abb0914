//! `mentorsim play SCENARIO_ID`: a conversation in the terminal, numbered choices on stdin, or
//! scripted with `--choices` for tests and demos. With `--trainee` every action is committed to
//! the records as it happens, and an unfinished attempt resumes where it stopped. With `--from`
//! a trainer rehearses from any node with chosen variable values; a rehearsal is never recorded.

mod print;

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use mentorsim_records::attempt::RecordedAttempt;
use mentorsim_records::policy::Policy;
use mentorsim_records::retakes::{NextForm, next_form, practice_refused};
use mentorsim_records::store::{Store, StoreError, Which};
use mentorsim_records::sync::Syncer;
use mentorsim_script::engine::{AttemptResult, ChoiceSummary, Mode, PlayError, Rehearsal, Session};
use mentorsim_script::library::Library;
use mentorsim_script::model::ScenarioKind;
use mentorsim_script::scenario::Scenario;

use super::connection::station_connection;
use super::terminal::{Terminal, raw_out};
use super::{
    CliError, ModeArg, data_folder, library_at, open_store, policy_for_play, scenario_in,
    trainee_id,
};
use print::{
    print_briefing, print_debrief, print_feedback, print_line, print_transcript, rehearsal_banner,
};

/// How long `play` waits at the end for the last statements to reach the program's LRS.
const LAST_SYNC: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// Id of the scenario to play (`mentorsim check --stats` lists them).
    scenario: String,
    /// Library folder (default: the bundled scenarios/).
    #[arg(long)]
    library: Option<PathBuf>,
    /// The program's readiness policy (default: the bundled one): its contacts fill the
    /// scenario's texts.
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Seed for wording and choice order; the same seed and choices replay the same attempt.
    #[arg(long)]
    seed: Option<u64>,
    /// Practice shows feedback after each choice; assessment keeps it for the debrief.
    #[arg(long, value_enum, default_value_t = ModeArg::Practice)]
    mode: ModeArg,
    /// Play these choices (1-based positions as displayed) instead of reading stdin, e.g. 2,1,3.
    #[arg(long, value_delimiter = ',')]
    choices: Option<Vec<String>>,
    /// Print the result as JSON on stdout (the conversation goes to stderr).
    #[arg(long)]
    json: bool,
    /// Record the attempt for this trainee, each choice as it is made; an unfinished attempt
    /// of theirs at this scenario resumes where it stopped.
    #[arg(long, value_name = "ID")]
    trainee: Option<String>,
    /// Create the --trainee profile with this display name if it does not exist yet.
    #[arg(long, value_name = "NAME", requires = "trainee")]
    name: Option<String>,
    /// Start a new attempt even when an unfinished one could be resumed.
    #[arg(long, requires = "trainee")]
    new: bool,
    /// Rehearse from this node (a line or a branch) instead of the start, to try a branch
    /// without playing up to it. A rehearsal is never recorded.
    #[arg(long, value_name = "NODE", conflicts_with = "trainee")]
    from: Option<String>,
    /// With --from: a mentee variable's value at that node, e.g. `--set trust=2`; repeat for
    /// more. Unset variables keep their start values.
    #[arg(long = "set", value_name = "NAME=VALUE", requires = "from")]
    set: Vec<String>,
    /// The program connection to stream the attempt to (default: connection.ron in the data
    /// folder, when there is one; see docs/records.md).
    #[arg(long, value_name = "FILE", requires = "trainee")]
    connection: Option<PathBuf>,
}

/// Where choices come from.
enum Input {
    Scripted { picks: Vec<usize>, next: usize },
    Interactive(Box<dyn BufRead>),
}

/// What is played: a trainee's attempt with the records it is committed to, or a
/// conversation that is never recorded (no `--trainee`, or a trainer's rehearsal).
enum Conversation {
    Unrecorded(Session),
    Recorded {
        store: Store,
        attempt: RecordedAttempt,
        /// Streams each committed step to the program's LRS, when the station has a connection.
        syncer: Option<Box<Syncer>>,
    },
}

impl Conversation {
    fn session(&self) -> &Session {
        match self {
            Conversation::Unrecorded(session) => session,
            Conversation::Recorded { attempt, .. } => attempt.session(),
        }
    }

    /// Asks the syncer, if any, to send what was just committed.
    fn nudge(&self) {
        if let Conversation::Recorded {
            syncer: Some(syncer),
            ..
        } = self
        {
            syncer.nudge();
        }
    }

    /// Moves on from a line without options; a recorded attempt stops if it cannot save.
    fn advance(&mut self) -> Result<(), PlayFailure> {
        match self {
            Conversation::Unrecorded(session) => Ok(session.advance()?),
            Conversation::Recorded { store, attempt, .. } => {
                attempt.advance(store)?.committed()?;
                self.nudge();
                Ok(())
            }
        }
    }

    /// Takes the option at a 1-based position; the feedback in practice mode.
    fn choose(&mut self, position: usize) -> Result<Option<ChoiceSummary>, PlayFailure> {
        match self {
            Conversation::Unrecorded(session) => Ok(session.choose(position)?),
            Conversation::Recorded { store, attempt, .. } => {
                let feedback = attempt.choose(store, position)?.committed()?;
                self.nudge();
                Ok(feedback)
            }
        }
    }

    /// The result at the ending, with the attempt closed in the records.
    fn finish(&self) -> Result<AttemptResult, PlayFailure> {
        match self {
            Conversation::Unrecorded(session) => session.result().ok_or(PlayFailure::Unfinished),
            Conversation::Recorded { store, attempt, .. } => {
                let result = attempt
                    .finish(store)
                    .ok_or(PlayFailure::Unfinished)?
                    .committed()?;
                self.nudge();
                Ok(result)
            }
        }
    }

    /// Gives the syncer a last chance to send everything, and says where the records stand
    /// with the program's LRS.
    fn finish_sync(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if let Conversation::Recorded { syncer, .. } = self
            && let Some(syncer) = syncer.take()
        {
            let endpoint = syncer.endpoint().to_owned();
            let state = syncer.finish(LAST_SYNC);
            let mut line = format!("Program LRS: {}", state.describe(&endpoint));
            if state.waiting > 0 {
                line.push_str(
                    ". Nothing is lost: they go the next time this station plays or runs `mentorsim records sync`",
                );
            }
            writeln!(out, "{line}.")?;
        }
        Ok(())
    }

    fn attempt_id(&self) -> Option<&str> {
        match self {
            Conversation::Unrecorded(_) => None,
            Conversation::Recorded { attempt, .. } => Some(attempt.id()),
        }
    }
}

pub fn run(args: &PlayArgs, data_dir: Option<&Path>) -> Result<ExitCode, CliError> {
    let mut library = library_at(args.library.as_deref());
    let policy = policy_for_play(args.policy.as_deref())?;
    library.fill_contacts(&policy.contacts);
    let mut out: Box<dyn Write> = if args.json {
        Box::new(Terminal::stderr())
    } else {
        Box::new(Terminal::stdout())
    };
    let scenario = scenario_to_play(args, &policy, &library, data_dir, &mut out)?;
    let picks = args
        .choices
        .as_ref()
        .map(|list| parse_picks(list))
        .transpose()?;
    let mut conversation = match &args.trainee {
        None => {
            let seed = args.seed.unwrap_or_else(rand::random);
            let scenario = Arc::clone(&scenario);
            let session = match &args.from {
                None => Session::start(scenario, seed, args.mode.into()),
                Some(node) => {
                    let rehearsal = Rehearsal {
                        node: node.clone(),
                        variables: parse_values(&args.set)?,
                    };
                    Session::rehearse(scenario, rehearsal, seed, args.mode.into())
                }
            }?;
            Conversation::Unrecorded(session)
        }
        Some(trainee) => {
            let trainee = trainee_id(trainee)?;
            let connection = station_connection(data_dir, args.connection.as_deref())?;
            let store = open_store(data_dir)?;
            let attempt = recorded_attempt(&store, trainee, args, &scenario, &mut out)?;
            let syncer = connection.map(|connection| {
                let syncer = Syncer::spawn(
                    data_folder(data_dir),
                    &connection,
                    policy.program.clone(),
                    || {},
                );
                syncer.nudge();
                Box::new(syncer)
            });
            Conversation::Recorded {
                store,
                attempt,
                syncer,
            }
        }
    };
    // A resumed attempt plays on the text it started on, which may not be today's file.
    let scenario = Arc::clone(conversation.session().scenario());
    let mut input = match picks {
        Some(picks) => Input::Scripted { picks, next: 0 },
        None => Input::Interactive(Box::new(std::io::stdin().lock())),
    };
    let result = match play(&scenario, &mut conversation, &mut input, &mut out) {
        Ok(result) => result,
        Err(stopped) => {
            // What was committed before the stop still goes to the program.
            conversation.finish_sync(&mut out)?;
            return Err(stopped.into());
        }
    };
    if let Input::Scripted { picks, next } = &input
        && *next < picks.len()
    {
        return Err(CliError::Usage(format!(
            "the conversation ended after {next} choice(s), but --choices gives {}",
            picks.len()
        )));
    }
    if args.json {
        raw_out(serde_json::to_string_pretty(&result)? + "\n")?;
    } else {
        print_debrief(
            &scenario,
            &result,
            policy.shows_best_options(&result),
            &mut out,
        )?;
    }
    if let Some(attempt) = conversation.attempt_id() {
        writeln!(out, "\nRecorded as attempt {attempt}.")?;
    }
    conversation.finish_sync(&mut out)?;
    Ok(ExitCode::SUCCESS)
}

/// The scenario `play` was asked for. A module id plays the form to take next; an assessment
/// form played for the records in assessment mode that would not count is named as such, with
/// the form that would.
fn scenario_to_play(
    args: &PlayArgs,
    policy: &Policy,
    library: &Library,
    data_dir: Option<&Path>,
    out: &mut dyn Write,
) -> Result<Arc<Scenario>, CliError> {
    let folder = args.library.as_deref();
    if let Some(module) = library.module(&args.scenario)
        && library.scenario(&args.scenario).is_none()
    {
        let next = offered_form(policy, library, &module.id, args, data_dir)?;
        let Some(form) = next.form else {
            return Err(CliError::Input(format!("{}: {}", module.title, next.why)));
        };
        writeln!(out, "{}: playing {form}, {}.\n", module.title, next.why)?;
        return scenario_in(library, folder, &form);
    }
    let scenario = scenario_in(library, folder, &args.scenario)?;
    if args.trainee.is_some()
        && Mode::from(args.mode) == Mode::Practice
        && let Some(refused) = practice_refused(library, &scenario)
    {
        return Err(CliError::Input(format!(
            "{refused} (A trainer walking the form with feedback leaves out --trainee: nothing is recorded then.)"
        )));
    }
    if scenario.kind == ScenarioKind::Assessment
        && Mode::from(args.mode) == Mode::Assessment
        && args.trainee.is_some()
    {
        let next = offered_form(policy, library, &scenario.topic, args, data_dir)?;
        if next.form.as_deref() != Some(scenario.id.as_str()) {
            let instead = match &next.form {
                Some(form) => format!("the form that would count is {form} ({})", next.why),
                None => next.why,
            };
            writeln!(
                out,
                "Note: this attempt would not count toward readiness now. {}: {instead}.\n",
                scenario.module_title
            )?;
        }
    }
    Ok(scenario)
}

/// The form of `module` to take next: for `--trainee`, under the policy's retake rule and
/// their records; otherwise the module's first form.
fn offered_form(
    policy: &Policy,
    library: &Library,
    module: &str,
    args: &PlayArgs,
    data_dir: Option<&Path>,
) -> Result<NextForm, CliError> {
    let history = match &args.trainee {
        Some(trainee) => open_store(data_dir)?.summaries(Which::Trainee(trainee_id(trainee)?))?,
        None => Vec::new(),
    };
    Ok(next_form(
        policy,
        library,
        module,
        &history,
        jiff::Timestamp::now(),
    ))
}

/// The trainee's unfinished attempt at this scenario, resumed, or a new recorded one.
fn recorded_attempt(
    store: &Store,
    trainee: &str,
    args: &PlayArgs,
    scenario: &Arc<Scenario>,
    out: &mut dyn Write,
) -> Result<RecordedAttempt, CliError> {
    match (store.trainee(trainee), &args.name) {
        (Ok(_), Some(name)) | (Err(StoreError::Unknown { .. }), Some(name)) => {
            store.save_trainee(trainee, name)?;
        }
        (Ok(_), None) => {}
        (Err(StoreError::Unknown { .. }), None) => {
            return Err(CliError::Input(format!(
                "there is no trainee `{trainee}` in the records; add --name \"Their Name\" to create the profile"
            )));
        }
        (Err(error), _) => return Err(error.into()),
    }
    let open = store
        .open_attempts(trainee)?
        .into_iter()
        .find(|a| a.scenario == scenario.id && !args.new);
    if let Some(open) = open {
        // Never a mix of versions in one attempt: it continues on the exact texts it started on.
        match RecordedAttempt::resume(store, &open, scenario) {
            Ok(attempt) => {
                let resumed = attempt.session();
                writeln!(
                    out,
                    "Resuming your unfinished attempt (started {}) after {} decision(s), in {} mode; --new starts afresh.\n",
                    open.started,
                    resumed.decisions_made(),
                    open.mode.as_str()
                )?;
                if resumed.scenario().sha256 != scenario.sha256 {
                    writeln!(
                        out,
                        "The scenario file changed since this attempt started; it continues on the version it started on (v{}). A new attempt uses the current one.\n",
                        resumed.scenario().version
                    )?;
                }
                return Ok(attempt);
            }
            Err(error) => writeln!(
                out,
                "Your unfinished attempt {} cannot continue on the text it started on ({error}); starting a new one.\n",
                open.id
            )?,
        }
    }
    let seed = args.seed.unwrap_or_else(rand::random);
    Ok(RecordedAttempt::start(
        store,
        trainee,
        scenario,
        seed,
        Mode::from(args.mode),
    )?)
}

/// `NAME=VALUE` pairs from `--set`.
fn parse_values(pairs: &[String]) -> Result<BTreeMap<String, i32>, CliError> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .and_then(|(name, value)| Some((name.trim(), value.trim().parse::<i32>().ok()?)))
                .filter(|(name, _)| !name.is_empty())
                .map(|(name, value)| (name.to_owned(), value))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--set: `{pair}` is not NAME=VALUE with a whole number, e.g. trust=2"
                    ))
                })
        })
        .collect()
}

fn parse_picks(list: &[String]) -> Result<Vec<usize>, CliError> {
    list.iter()
        .map(|item| {
            item.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--choices: `{item}` is not a choice number (1, 2, 3...)"
                    ))
                })
        })
        .collect()
}

/// Why a conversation in the terminal stopped before its ending.
#[derive(Debug, thiserror::Error)]
pub enum PlayFailure {
    #[error(transparent)]
    Engine(#[from] PlayError),
    #[error("cannot write to the terminal: {0}")]
    Io(#[from] std::io::Error),
    #[error("--choices ran out at decision {decision} (`{node}`): add more choice numbers")]
    ScriptEnded { decision: usize, node: String },
    #[error("choice {position} of --choices does not exist at `{node}`: it offers 1 to {count}")]
    ScriptBadChoice {
        position: usize,
        node: String,
        count: usize,
    },
    #[error("input ended before the conversation finished")]
    InputEnded,
    #[error("the conversation stopped before an ending")]
    Unfinished,
    #[error("the attempt could not be recorded: {0}")]
    Records(#[from] StoreError),
}

fn play(
    scenario: &Arc<Scenario>,
    conversation: &mut Conversation,
    input: &mut Input,
    out: &mut dyn Write,
) -> Result<AttemptResult, PlayFailure> {
    let session = conversation.session();
    print_briefing(scenario, session.seed(), session.mode(), out)?;
    if let Some(rehearsal) = session.rehearsal() {
        writeln!(out, "{}\n", rehearsal_banner(scenario, rehearsal))?;
    }
    print_transcript(scenario, session, out)?;
    let mut decision = session.decisions_made();
    while let Some(line) = conversation.session().current() {
        print_line(scenario, &line, out)?;
        if line.options.is_empty() {
            if let Input::Interactive(reader) = input {
                write!(out, "  (press Enter to continue) ")?;
                out.flush()?;
                read_line(reader.as_mut())?;
            }
            conversation.advance()?;
            continue;
        }
        decision += 1;
        for (i, option) in line.options.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, option.text)?;
        }
        out.flush()?;
        let position = match input {
            Input::Scripted { picks, next } => {
                let position = *picks.get(*next).ok_or_else(|| PlayFailure::ScriptEnded {
                    decision,
                    node: line.node.clone(),
                })?;
                *next += 1;
                if position > line.options.len() {
                    return Err(PlayFailure::ScriptBadChoice {
                        position,
                        node: line.node.clone(),
                        count: line.options.len(),
                    });
                }
                writeln!(out, "> {position}")?;
                position
            }
            Input::Interactive(reader) => ask(reader.as_mut(), line.options.len(), out)?,
        };
        writeln!(out, "\n  You: {}", line.options[position - 1].text)?;
        if let Some(feedback) = conversation.choose(position)? {
            print_feedback(&feedback, out)?;
        }
        writeln!(out)?;
    }
    let result = conversation.finish()?;
    if let Some(ending) = scenario
        .node_index(&result.ending)
        .and_then(|n| scenario.ending(n))
    {
        writeln!(out, "[{}]\n", ending.text)?;
    }
    Ok(result)
}

fn read_line(reader: &mut dyn BufRead) -> Result<String, PlayFailure> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(PlayFailure::InputEnded);
    }
    Ok(line)
}

fn ask(reader: &mut dyn BufRead, count: usize, out: &mut dyn Write) -> Result<usize, PlayFailure> {
    loop {
        write!(out, "> ")?;
        out.flush()?;
        let answer = read_line(reader)?;
        match answer.trim().parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => return Ok(n),
            _ => writeln!(out, "  Type a number from 1 to {count} and press Enter.")?,
        }
    }
}
