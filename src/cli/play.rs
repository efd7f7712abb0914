//! `mentorsim play SCENARIO_ID`: a conversation in the terminal, numbered choices on stdin, or
//! scripted with `--choices` for tests and demos. With `--trainee` every action is committed to
//! the records as it happens, and an unfinished attempt resumes where it stopped. With `--from`
//! a trainer rehearses from any node with chosen variable values; a rehearsal is never recorded.

use super::terminal::{Terminal, raw_out};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use mentorsim_records::rescore::scenario_to_resume;
use mentorsim_records::store::{Store, StoreError};
use mentorsim_script::engine::{
    Action, AttemptResult, ChoiceSummary, CurrentLine, Mode, Rehearsal, Session, TranscriptEntry,
};
use mentorsim_script::model::{Severity, Speaker};
use mentorsim_script::scenario::Scenario;
use mentorsim_script::scoring::shown_percent;

use super::{ModeArg, find_scenario, open_store, trainee_id};

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// Id of the scenario to play (`mentorsim check --stats` lists them).
    scenario: String,
    /// Library folder (default: the bundled scenarios/).
    #[arg(long)]
    library: Option<PathBuf>,
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
}

/// Where choices come from.
enum Input {
    Scripted { picks: Vec<usize>, next: usize },
    Interactive(Box<dyn BufRead>),
}

pub fn run(args: &PlayArgs, data_dir: Option<&Path>) -> Result<ExitCode, String> {
    let scenario = find_scenario(args.library.as_deref(), &args.scenario)?;
    let picks = args
        .choices
        .as_ref()
        .map(|list| parse_picks(list))
        .transpose()?;
    let mut out: Box<dyn Write> = if args.json {
        Box::new(Terminal::stderr())
    } else {
        Box::new(Terminal::stdout())
    };
    let (session, mut recorder) = match &args.trainee {
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
            }
            .map_err(|e| e.to_string())?;
            (session, None)
        }
        Some(trainee) => {
            let trainee = trainee_id(trainee)?;
            let store = open_store(data_dir)?;
            let (session, recorder) = recorded_session(store, trainee, args, &scenario, &mut out)?;
            (session, Some(recorder))
        }
    };
    // A resumed attempt plays on the text it started on, which may not be today's file.
    let scenario = Arc::clone(session.scenario());
    let mut input = match picks {
        Some(picks) => Input::Scripted { picks, next: 0 },
        None => Input::Interactive(Box::new(std::io::stdin().lock())),
    };
    let result = play(&scenario, session, &mut input, &mut out, recorder.as_mut())
        .map_err(|e| e.to_string())?;
    if let Input::Scripted { picks, next } = &input
        && *next < picks.len()
    {
        return Err(format!(
            "the conversation ended after {next} choice(s), but --choices gives {}",
            picks.len()
        ));
    }
    if args.json {
        let json = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
        raw_out(json + "\n").map_err(|e| e.to_string())?;
    } else {
        print_debrief(&scenario, &result, &mut out).map_err(|e| e.to_string())?;
    }
    if let Some(recorder) = recorder {
        writeln!(out, "\nRecorded as attempt {}.", recorder.attempt).map_err(|e| e.to_string())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Commits each action of a recorded attempt as it happens.
struct Recorder {
    store: Store,
    attempt: String,
    shown_at: Instant,
}

impl Recorder {
    fn step(&mut self, seq: usize, node: &str, action: &Action) -> Result<(), StoreError> {
        let millis = self.shown_at.elapsed().as_millis() as u64;
        self.store
            .record_step(&self.attempt, seq, node, action, millis)?;
        self.shown_at = Instant::now();
        Ok(())
    }
}

/// The trainee's unfinished attempt at this scenario, resumed, or a new recorded one.
fn recorded_session(
    store: Store,
    trainee: &str,
    args: &PlayArgs,
    scenario: &Arc<Scenario>,
    out: &mut dyn Write,
) -> Result<(Session, Recorder), String> {
    match (store.trainee(trainee), &args.name) {
        (Ok(_), Some(name)) | (Err(StoreError::Unknown { .. }), Some(name)) => {
            store
                .save_trainee(trainee, name)
                .map_err(|e| e.to_string())?;
        }
        (Ok(_), None) => {}
        (Err(StoreError::Unknown { .. }), None) => {
            return Err(format!(
                "there is no trainee `{trainee}` in the records; add --name \"Their Name\" to create the profile"
            ));
        }
        (Err(error), _) => return Err(error.to_string()),
    }
    let open = store
        .open_attempts(trainee)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|a| a.scenario == scenario.id && !args.new);
    if let Some(attempt) = open {
        // Never a mix of versions in one attempt: it continues on the exact texts it started on.
        let resumed = scenario_to_resume(&store, &attempt, scenario)
            .map_err(|e| e.to_string())
            .and_then(|played| {
                Session::resume(played, &attempt.session_state()).map_err(|e| e.to_string())
            });
        match resumed {
            Ok(session) => {
                writeln!(
                    out,
                    "Resuming your unfinished attempt (started {}) after {} decision(s), in {} mode; --new starts afresh.\n",
                    attempt.started,
                    session.decisions_made(),
                    attempt.mode.as_str()
                )
                .map_err(|e| e.to_string())?;
                if session.scenario().sha256 != scenario.sha256 {
                    writeln!(
                        out,
                        "The scenario file changed since this attempt started; it continues on the version it started on (v{}). A new attempt uses the current one.\n",
                        session.scenario().version
                    )
                    .map_err(|e| e.to_string())?;
                }
                let recorder = Recorder {
                    store,
                    attempt: attempt.id,
                    shown_at: Instant::now(),
                };
                return Ok((session, recorder));
            }
            Err(error) => writeln!(
                out,
                "Your unfinished attempt {} cannot continue on the text it started on ({error}); starting a new one.\n",
                attempt.id
            )
            .map_err(|e| e.to_string())?,
        }
    }
    let seed = args.seed.unwrap_or_else(rand::random);
    let mode = Mode::from(args.mode);
    let session = Session::start(Arc::clone(scenario), seed, mode).map_err(|e| e.to_string())?;
    let attempt = store
        .begin_attempt(trainee, scenario, seed, mode)
        .map_err(|e| e.to_string())?;
    let recorder = Recorder {
        store,
        attempt,
        shown_at: Instant::now(),
    };
    Ok((session, recorder))
}

/// `NAME=VALUE` pairs from `--set`.
fn parse_values(pairs: &[String]) -> Result<BTreeMap<String, i32>, String> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .and_then(|(name, value)| Some((name.trim(), value.trim().parse::<i32>().ok()?)))
                .filter(|(name, _)| !name.is_empty())
                .map(|(name, value)| (name.to_owned(), value))
                .ok_or_else(|| {
                    format!("--set: `{pair}` is not NAME=VALUE with a whole number, e.g. trust=2")
                })
        })
        .collect()
}

fn parse_picks(list: &[String]) -> Result<Vec<usize>, String> {
    list.iter()
        .map(|item| {
            item.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("--choices: `{item}` is not a choice number (1, 2, 3...)"))
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
enum PlayFailure {
    #[error(transparent)]
    Engine(#[from] mentorsim_script::engine::PlayError),
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
    mut session: Session,
    input: &mut Input,
    out: &mut dyn Write,
    mut recorder: Option<&mut Recorder>,
) -> Result<AttemptResult, PlayFailure> {
    print_briefing(scenario, session.seed(), session.mode(), out)?;
    if let Some(rehearsal) = session.rehearsal() {
        writeln!(out, "{}\n", rehearsal_banner(scenario, rehearsal))?;
    }
    print_transcript(scenario, &session, out)?;
    let mut decision = session.decisions_made();
    while let Some(line) = session.current() {
        print_line(scenario, &line, out)?;
        let seq = session.state().actions.len();
        if line.options.is_empty() {
            if let Input::Interactive(reader) = input {
                write!(out, "  (press Enter to continue) ")?;
                out.flush()?;
                read_line(reader.as_mut())?;
            }
            session.advance()?;
            if let Some(recorder) = recorder.as_deref_mut() {
                recorder.step(seq, &line.node, &Action::Continue)?;
            }
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
        let feedback = session.choose(position)?;
        if let Some(recorder) = recorder.as_deref_mut() {
            recorder.step(seq, &line.node, &session.state().actions[seq])?;
        }
        if let Some(feedback) = feedback {
            print_feedback(&feedback, out)?;
        }
        writeln!(out)?;
    }
    let result = session.result().ok_or(PlayFailure::Unfinished)?;
    if let Some(recorder) = recorder {
        recorder.store.finish_attempt(&recorder.attempt, &result)?;
    }
    if let Some(ending) = scenario
        .node_index(&result.ending)
        .and_then(|n| scenario.ending(n))
    {
        writeln!(out, "[{}]\n", ending.text)?;
    }
    Ok(result)
}

/// The conversation so far, when an attempt resumes.
fn print_transcript(
    scenario: &Scenario,
    session: &Session,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let transcript = session.transcript();
    // The last entry is the current line, printed by the main loop.
    let earlier = transcript.len().saturating_sub(1);
    if session.state().actions.is_empty() || earlier == 0 {
        return Ok(());
    }
    writeln!(out, "(The conversation so far)")?;
    for entry in &transcript[..earlier] {
        match entry {
            TranscriptEntry::Line { speaker, text, .. } => match speaker {
                Speaker::Narrator => writeln!(out, "[{text}]")?,
                Speaker::Other(name) => writeln!(out, "{name}: {text}")?,
                Speaker::Mentee => writeln!(out, "{}: {text}", scenario.persona.name)?,
            },
            TranscriptEntry::Trainee { text } => writeln!(out, "  You: {text}")?,
        }
    }
    writeln!(out, "(Now)")
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

fn print_briefing(
    scenario: &Scenario,
    seed: u64,
    mode: Mode,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let persona = &scenario.persona;
    writeln!(
        out,
        "== {} ==  ({}, about {} min)",
        scenario.title,
        scenario.topic.title(),
        scenario.minutes
    )?;
    for note in &scenario.content_notes {
        writeln!(out, "Content note: {note}")?;
    }
    writeln!(out, "{}", scenario.summary)?;
    writeln!(
        out,
        "\n{}, {}{}",
        persona.name,
        persona.age,
        if persona.pronouns.is_empty() {
            String::new()
        } else {
            format!(" ({})", persona.pronouns)
        }
    )?;
    writeln!(out, "{}", persona.setting)?;
    writeln!(out, "{}", persona.background)?;
    if !scenario.objectives.is_empty() {
        writeln!(out, "\nYou will practise:")?;
        for objective in &scenario.objectives {
            writeln!(out, "  - {objective}")?;
        }
    }
    let mode_text = match mode {
        Mode::Practice => "practice: feedback after each choice",
        Mode::Assessment => "assessment: feedback in the debrief",
    };
    writeln!(
        out,
        "\nMode: {mode_text}. Seed {seed} (replay with --seed {seed}).\n"
    )
}

fn print_line(scenario: &Scenario, line: &CurrentLine, out: &mut dyn Write) -> std::io::Result<()> {
    match &line.speaker {
        Speaker::Narrator => writeln!(out, "[{}]", line.text),
        Speaker::Other(name) => writeln!(out, "{name}: {}", line.text),
        Speaker::Mentee => writeln!(
            out,
            "{} ({}): {}",
            scenario.persona.name,
            format!("{:?}", line.mood).to_lowercase(),
            line.text
        ),
    }
}

fn print_feedback(feedback: &ChoiceSummary, out: &mut dyn Write) -> std::io::Result<()> {
    match &feedback.severity {
        Severity::Critical(why) => writeln!(out, "  !! Critical error: {why}")?,
        Severity::Major(why) => writeln!(out, "  ! Major error: {why}")?,
        Severity::Normal => {}
    }
    writeln!(out, "  Feedback: {}", feedback.feedback)?;
    if !feedback.effects.is_empty() {
        let effects: Vec<String> = feedback
            .effects
            .iter()
            .map(|(c, e)| format!("{c} {e:+}"))
            .collect();
        writeln!(out, "  Effects: {}", effects.join(", "))?;
    }
    Ok(())
}

fn rehearsal_banner(scenario: &Scenario, rehearsal: &Rehearsal) -> String {
    format!(
        "Rehearsal {}: not recorded, and the scores count only the decisions from there.",
        rehearsal.describe(scenario)
    )
}

fn print_debrief(
    scenario: &Scenario,
    result: &AttemptResult,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if let Some(rehearsal) = &result.rehearsal {
        writeln!(out, "{}", rehearsal_banner(scenario, rehearsal))?;
    }
    writeln!(
        out,
        "== Debrief: {} ==",
        if result.passed { "PASSED" } else { "NOT YET" }
    )?;
    writeln!(
        out,
        "Ending: {} ({:?})",
        result.ending_title, result.outcome
    )?;
    writeln!(out, "{}\n", result.ending_debrief)?;
    for competency in &result.competencies {
        match competency.score {
            Some(score) => writeln!(
                out,
                "  {:<24} {:>3.0}%  (needs {:.0}%, {})",
                competency.name,
                shown_percent(score),
                competency.threshold * 100.0,
                competency.level.map_or("", |l| l.label())
            )?,
            None => writeln!(out, "  {:<24} not assessed on this path", competency.name)?,
        }
    }
    writeln!(
        out,
        "  {:<24} {:>3.0}%  (needs {:.0}%)",
        "Overall",
        shown_percent(result.overall),
        result.overall_threshold * 100.0
    )?;
    if !result.reasons.is_empty() {
        writeln!(out, "\nWhy not yet:")?;
        for reason in &result.reasons {
            writeln!(out, "  - {reason}")?;
        }
    }
    writeln!(out, "\nYour decisions:")?;
    for (i, decision) in result.decisions.iter().enumerate() {
        match &decision.speaker {
            Speaker::Mentee => {
                let name = &scenario.persona.name;
                writeln!(out, "{}. {name}: \"{}\"", i + 1, decision.prompt)?;
            }
            Speaker::Narrator => writeln!(out, "{}. [{}]", i + 1, decision.prompt)?,
            Speaker::Other(name) => writeln!(out, "{}. {name}: \"{}\"", i + 1, decision.prompt)?,
        }
        writeln!(out, "   You: {}", decision.chosen.text)?;
        writeln!(out, "   {}", decision.chosen.feedback)?;
        if !decision.was_best {
            writeln!(out, "   Stronger: {}", decision.best.text)?;
            writeln!(out, "   {}", decision.best.feedback)?;
        }
    }
    Ok(())
}
