//! The bundled library, embedded at build time (see `build.rs`): the default content of the app
//! and of every subcommand, found wherever the binary runs.

use mentorsim_script::library::{Library, SourceFile};
use mentorsim_script::load::FileKind;
use mentorsim_script::source::SourceText;

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// How the bundled files are named in diagnostics and records.
pub const ROOT: &str = "scenarios";

/// The bundled files, checked.
pub fn library() -> Library {
    let files = FILES
        .iter()
        .filter_map(|(name, text)| {
            Some(SourceFile {
                kind: FileKind::of(std::path::Path::new(name))?,
                source: SourceText::new(*name, (*text).to_owned()),
            })
        })
        .collect();
    Library::from_sources(files, |_, _| None)
}

/// The bundled modules file, for a library folder that has none of its own.
pub fn default_modules() -> SourceFile {
    let name = format!("{ROOT}/mentor-core.modules.ron");
    let text = FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map_or("", |(_, text)| text);
    SourceFile {
        kind: FileKind::Modules,
        source: SourceText::new(name, text.to_owned()),
    }
}

/// A library of the files and folders at `paths`, under the bundled modules when they
/// declare none of their own.
pub fn load(paths: &[std::path::PathBuf]) -> Library {
    Library::load_with_default_modules(paths, Some(default_modules()))
}

/// The bundled readiness policy (`scenarios/program.policy.ron`).
pub fn policy() -> SourceText {
    let name = format!("{ROOT}/{}", mentorsim_records::policy::DEFAULT_POLICY_FILE);
    let text = FILES
        .iter()
        .find(|(file, _)| *file == name)
        .map_or("", |(_, text)| text);
    SourceText::new(name, text.to_owned())
}
