//! `mentorsim new --topic MODULE ID`: a new scenario file that passes `check` and shows every
//! feature of the format, ready for a trainer to rewrite.

use super::terminal::outln;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use mentorsim_script::library::{Library, modules_files_above};
use mentorsim_script::load::closest;
use mentorsim_script::model::Module;

use super::CliError;
use super::export::write_atomically;

/// The scaffold, with `{{ID}}`, `{{TITLE}}`, `{{TOPIC}}`, `{{FILE}}` and `{{DIR}}` to fill in.
const SCAFFOLD: &str = include_str!("scaffold.scenario.ron");

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The new scenario's id: lowercase letters, digits and dashes, e.g. `dep-missed-sessions`.
    id: String,
    /// The id of the module it belongs to, as the library's `*.modules.ron` declares it
    /// (the bundled library's: active-listening, confidentiality-boundaries, dependency,
    /// compassion-fatigue).
    #[arg(long, value_name = "MODULE")]
    topic: String,
    /// Its title (default: made from the id).
    #[arg(long)]
    title: Option<String>,
    /// The folder to write ID.scenario.ron in.
    #[arg(long, value_name = "DIR", default_value = ".")]
    dir: PathBuf,
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
    // The module must be one the folder's library declares: the modules files above the new
    // file, or the bundled modules, which are then copied beside it.
    let own_modules = modules_files_above(&file);
    let modules = if own_modules.is_empty() {
        bundled_library_modules()
    } else {
        Library::load(&own_modules).modules
    };
    let ids: Vec<&str> = modules.iter().map(|m| m.id.as_str()).collect();
    if !ids.contains(&args.topic.as_str()) {
        let hint = match closest(&args.topic, &ids) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the modules are {}", ids.join(", ")),
        };
        return Err(CliError::Usage(format!(
            "--topic `{}` is not a module of this library; {hint}",
            args.topic
        )));
    }
    if file.exists() {
        return Err(CliError::Input(format!(
            "{} already exists; nothing was changed (choose another id or --dir)",
            file.display()
        )));
    }
    let text = SCAFFOLD
        .replace("{{ID}}", &args.id)
        .replace("{{TITLE}}", &ron_string_body(&title))
        .replace(
            "{{TOPIC_PAD}}",
            &" ".repeat(18usize.saturating_sub(args.topic.len())),
        )
        .replace("{{TOPIC}}", &args.topic)
        .replace("{{MODULES}}", &ids.join(", "))
        .replace("{{FILE}}", &comment_safe(&file.display().to_string()))
        .replace("{{DIR}}", &comment_safe(&args.dir.display().to_string()));
    write_atomically(&file, text.as_bytes())?;
    outln!("wrote {}", file.display());

    // The scenario is scored against mentor-core and grouped by the bundled modules: give the
    // folder its own copies unless the library already finds them, so the folder checks and
    // plays on its own.
    if own_modules.is_empty() {
        let path = args.dir.join("mentor-core.modules.ron");
        write_atomically(&path, bundled_file("mentor-core.modules.ron").as_bytes())?;
        outln!("wrote {} (the modules it is grouped in)", path.display());
    }
    let library = Library::load(std::slice::from_ref(&file));
    if library.scenario(&args.id).is_none() {
        let rubric = args.dir.join("mentor-core.rubric.ron");
        if !rubric.exists() {
            write_atomically(&rubric, bundled_file("mentor-core.rubric.ron").as_bytes())?;
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

fn bundled_file(name: &str) -> &'static str {
    crate::bundled::FILES
        .iter()
        .find(|(file, _)| file.rsplit('/').next() == Some(name))
        .map_or("", |(_, text)| text)
}

fn bundled_library_modules() -> Vec<Module> {
    crate::bundled::library().modules
}
