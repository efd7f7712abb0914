//! `mentorsim new --topic TOPIC ID`: a new scenario file that passes `check` and shows every
//! feature of the format, ready for a trainer to rewrite.

use super::terminal::outln;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use mentorsim_script::library::Library;

use super::CliError;
use super::export::write_atomically;

/// The scaffold, with `{{ID}}`, `{{TITLE}}`, `{{TOPIC}}`, `{{FILE}}` and `{{DIR}}` to fill in.
const SCAFFOLD: &str = include_str!("scaffold.scenario.ron");

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new scenario's id: lowercase letters, digits and dashes, e.g. `dep-missed-sessions`.
    id: String,
    /// The module it belongs to.
    #[arg(long, value_enum)]
    topic: TopicArg,
    /// Its title (default: made from the id).
    #[arg(long)]
    title: Option<String>,
    /// The folder to write ID.scenario.ron in.
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TopicArg {
    ActiveListening,
    ConfidentialityBoundaries,
    Dependency,
    CompassionFatigue,
}

impl TopicArg {
    fn variant(self) -> &'static str {
        match self {
            TopicArg::ActiveListening => "ActiveListening",
            TopicArg::ConfidentialityBoundaries => "ConfidentialityBoundaries",
            TopicArg::Dependency => "Dependency",
            TopicArg::CompassionFatigue => "CompassionFatigue",
        }
    }
}

pub fn run(args: &NewArgs) -> Result<ExitCode, CliError> {
    let valid = !args.id.is_empty()
        && args
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !args.id.starts_with('-');
    if !valid {
        return Err(CliError::Usage(format!(
            "`{}` is not a usable id: use lowercase letters, digits and dashes, e.g. `dep-missed-sessions`",
            args.id
        )));
    }
    let title = args.title.clone().unwrap_or_else(|| title_from(&args.id));
    if title.trim().is_empty() {
        return Err(CliError::Usage("--title is empty: give the scenario a title, or leave --title out to make one from the id".to_owned()));
    }
    std::fs::create_dir_all(&args.dir)
        .map_err(|e| CliError::Input(format!("cannot create {}: {e}", args.dir.display())))?;
    let file = args.dir.join(format!("{}.scenario.ron", args.id));
    if file.exists() {
        return Err(CliError::Input(format!(
            "{} already exists; nothing was changed (choose another id or --dir)",
            file.display()
        )));
    }
    let text = SCAFFOLD
        .replace("{{ID}}", &args.id)
        .replace("{{TITLE}}", &ron_string_body(&title))
        .replace("{{TOPIC}}", args.topic.variant())
        .replace("{{FILE}}", &comment_safe(&file.display().to_string()))
        .replace("{{DIR}}", &comment_safe(&args.dir.display().to_string()));
    write_atomically(&file, text.as_bytes())?;
    outln!("wrote {}", file.display());

    // The scenario is scored against mentor-core: give the folder its own copy unless the
    // library already finds one, so the folder checks and plays on its own.
    let library = Library::load(std::slice::from_ref(&file));
    if library.scenario(&args.id).is_none() {
        let rubric = args.dir.join("mentor-core.rubric.ron");
        if !rubric.exists() {
            write_atomically(&rubric, bundled_rubric().as_bytes())?;
            outln!(
                "wrote {} (the competency framework it is scored against)",
                rubric.display()
            );
        }
    }
    outln!("next: edit it, then `mentorsim check {}`", file.display());
    Ok(ExitCode::SUCCESS)
}

/// Text as it must be written between the quotes of a RON string, so that any title the user
/// types comes back unchanged.
fn ron_string_body(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => body.push_str("\\\\"),
            '"' => body.push_str("\\\""),
            c if c.is_control() => body.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => body.push(c),
        }
    }
    body
}

/// A path as it may appear in a `//` comment: a line break in it would end the comment and
/// leave the rest of the path in the file as code.
fn comment_safe(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn title_from(id: &str) -> String {
    let words: Vec<&str> = id.split('-').filter(|w| !w.is_empty()).collect();
    let mut title = words.join(" ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    title
}

fn bundled_rubric() -> &'static str {
    crate::bundled::FILES
        .iter()
        .find(|(name, _)| name.ends_with("mentor-core.rubric.ron"))
        .map_or("", |(_, text)| text)
}
