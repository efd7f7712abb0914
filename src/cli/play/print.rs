//! How a conversation looks in the terminal: the briefing, each line, practice feedback, the
//! debrief, and the conversation so far when an attempt resumes.

use std::io::Write;

use mentorsim_records::policy::BEST_OPTIONS_WITHHELD;
use mentorsim_script::engine::{
    AttemptResult, ChoiceSummary, CurrentLine, Mode, Rehearsal, Session, TranscriptEntry,
};
use mentorsim_script::listening::ListeningProfile;
use mentorsim_script::model::{ScenarioKind, Severity, Speaker};
use mentorsim_script::scenario::Scenario;
use mentorsim_script::scoring::shown_percent;

/// The conversation so far, when an attempt resumes.
pub(super) fn print_transcript(
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

pub(super) fn print_briefing(
    scenario: &Scenario,
    seed: u64,
    mode: Mode,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let persona = &scenario.persona;
    writeln!(
        out,
        "== {} ==  ({}, about {} min)",
        scenario.title, scenario.module_title, scenario.minutes
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
    // An assessment names what it assesses, not its objectives: they describe the keyed
    // replies.
    if mode == Mode::Assessment && scenario.kind == ScenarioKind::Assessment {
        let assessed: Vec<String> = scenario
            .competencies
            .iter()
            .map(|c| format!("{} ({:.0}% to pass)", c.name, c.threshold * 100.0))
            .collect();
        writeln!(out, "\nAssessed: {}", assessed.join(", "))?;
    } else if !scenario.objectives.is_empty() {
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

pub(super) fn print_line(
    scenario: &Scenario,
    line: &CurrentLine,
    out: &mut dyn Write,
) -> std::io::Result<()> {
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

pub(super) fn print_feedback(feedback: &ChoiceSummary, out: &mut dyn Write) -> std::io::Result<()> {
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

pub(super) fn rehearsal_banner(scenario: &Scenario, rehearsal: &Rehearsal) -> String {
    format!(
        "Rehearsal {}: not recorded, and the scores count only the decisions from there.",
        rehearsal.describe(scenario)
    )
}

/// The debrief. Without `show_best` (an assessment not yet passed, under a policy that keeps
/// them), each decision shows what was said and why a critical or serious mistake was one, but
/// not the stronger reply or the feedback that would point to it.
pub(super) fn print_debrief(
    scenario: &Scenario,
    result: &AttemptResult,
    show_best: bool,
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
                competency.shown_level().map_or("", |l| l.label())
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
    writeln!(out, "\nYour listening:")?;
    for line in ListeningProfile::of(&result.codes).lines() {
        writeln!(out, "  {line}")?;
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
        if show_best {
            // A pass does not make a serious mistake less serious: name it as the app does.
            match &decision.chosen.severity {
                Severity::Critical(why) => writeln!(out, "   Critical error: {why}")?,
                Severity::Major(why) => writeln!(out, "   Major error: {why}")?,
                Severity::Normal => {}
            }
            writeln!(out, "   {}", decision.chosen.feedback)?;
            if !decision.was_best {
                writeln!(out, "   Stronger: {}", decision.best.text)?;
                writeln!(out, "   {}", decision.best.feedback)?;
            }
        } else if let Severity::Critical(why) | Severity::Major(why) = &decision.chosen.severity {
            writeln!(out, "   {why}")?;
        }
    }
    if !show_best {
        writeln!(out, "\n{BEST_OPTIONS_WITHHELD}")?;
    }
    Ok(())
}
