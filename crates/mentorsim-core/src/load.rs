//! Reading files and parsing RON into the [`crate::model`] types, turning every failure into a
//! located [`Diagnostic`]: a file that cannot be read, is not UTF-8, or is not valid RON.

use std::io::Read;
use std::path::Path;

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::ScenarioFile;
use crate::ron_reader;
use crate::source::{LineCol, SourceText};

/// Larger files are refused before parsing: no real scenario comes near this, and it keeps a
/// stray multi-gigabyte file from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How deep RON values may nest; real scenarios need about ten levels.
const RECURSION_LIMIT: usize = 64;

/// What a file in a library holds, told by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.scenario.ron`
    Scenario,
    /// `*.rubric.ron`
    Rubric,
}

impl FileKind {
    /// The kind of a file by its name, if it is one mentorsim reads.
    pub fn of(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        if name.ends_with(".scenario.ron") {
            Some(FileKind::Scenario)
        } else if name.ends_with(".rubric.ron") {
            Some(FileKind::Rubric)
        } else {
            None
        }
    }
}

/// Reads a file as text; `name` is how diagnostics will call it.
pub fn read_source(path: &Path, name: &str) -> Result<SourceText, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::whole_file(
            Severity::Error,
            "unreadable-file",
            name,
            format!("cannot read this file: {e}"),
        )
        .with_hint("check that the path exists and that you may read it")
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(Diagnostic::whole_file(
            Severity::Error,
            "file-too-large",
            name,
            format!(
                "this file is {} MB; scenario files are limited to {} MB",
                size / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_hint(
            "split the scenario into several files, or check that this is the file you meant",
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    source_from_bytes(name, bytes)
}

/// Wraps bytes as a source, or says where they stop being UTF-8.
pub fn source_from_bytes(name: &str, bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let source = SourceText::new(name, prefix);
            let at = source.line_col(valid);
            Err(Diagnostic {
                line: at.line,
                column: at.column,
                ..Diagnostic::whole_file(
                    Severity::Error,
                    "not-utf8",
                    name,
                    "this file is not UTF-8 text",
                )
                .with_hint("save the file as UTF-8 in your editor")
            })
        }
    }
}

/// Parses a source into a model type, reporting syntax and shape errors at their place.
/// Plain files take the fast [`ron_reader`]; anything else, and every error, goes to `ron`.
pub fn parse<T: DeserializeOwned>(source: &SourceText) -> Result<T, Diagnostic> {
    parse_with(source, ron_reader::from_str)
}

/// From this size on, a scenario's nodes are read on two threads: below it the threads cost
/// more than they save.
const SPLIT_FROM: usize = 256 * 1024;

/// Parses a scenario file like [`parse`], a large one with its nodes read on two threads.
pub fn parse_scenario(source: &SourceText) -> Result<ScenarioFile, Diagnostic> {
    if source.text.len() < SPLIT_FROM {
        return parse(source);
    }
    parse_with(source, |text| {
        ron_reader::from_str_split(text, "nodes", |file: &mut ScenarioFile| &mut file.nodes)
            .or_else(|| ron_reader::from_str(text))
    })
}

fn parse_with<T: DeserializeOwned>(
    source: &SourceText,
    fast: impl FnOnce(&str) -> Option<T>,
) -> Result<T, Diagnostic> {
    if let Some(value) = fast(&source.text) {
        return Ok(value);
    }
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(RECURSION_LIMIT);
    options
        .from_str(&source.text)
        .map_err(|error| syntax_diagnostic(source, &error))
}

fn syntax_diagnostic(source: &SourceText, error: &SpannedError) -> Diagnostic {
    let to_offset = |p: &ron::error::Position| {
        source.offset(LineCol {
            line: p.line,
            column: p.col,
        })
    };
    let start = to_offset(&error.span.start);
    let end = to_offset(&error.span.end).max(start);
    // Point at one character when ron gives an empty span, so the caret shows.
    let end = if end == start {
        source.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8())
    } else {
        end
    };
    let (message, hint) = explain(&error.code);
    Diagnostic::at(Severity::Error, "syntax", source, start..end, message).with_hint(hint)
}

/// Turns ron's errors into sentences a trainer can act on.
fn explain(error: &RonError) -> (String, String) {
    match error {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            format!("`{found}` is not a field of {}", describe(outer)),
            match closest(found, expected) {
                Some(near) => format!("did you mean `{near}`? The fields are: {}", expected.join(", ")),
                None => format!("the fields are: {}", expected.join(", ")),
            },
        ),
        RonError::MissingStructField { field, outer } => (
            format!("{} needs a `{field}`", describe(outer)),
            format!("add `{field}: ...` inside it (see docs/scenario-format.md)"),
        ),
        RonError::DuplicateStructField { field, outer } => (
            format!("`{field}` is given twice in {}", describe(outer)),
            "keep one of them".to_owned(),
        ),
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            format!("`{found}` is not a valid {}", outer.as_deref().unwrap_or("value here")),
            match closest(found, expected) {
                Some(near) => format!("did you mean `{near}`? Use one of: {}", expected.join(", ")),
                None => format!("use one of: {}", expected.join(", ")),
            },
        ),
        RonError::Eof => (
            "the file ends in the middle of a value".to_owned(),
            "a `)`, `]`, `}` or closing quote is probably missing".to_owned(),
        ),
        RonError::ExpectedComma => (
            "expected a comma before this".to_owned(),
            "separate fields and list items with commas: the end of the previous line probably needs one".to_owned(),
        ),
        RonError::ExpectedStringEnd => (
            "this text is never closed".to_owned(),
            "add the closing `\"`".to_owned(),
        ),
        RonError::ExceededRecursionLimit => (
            format!("values are nested more than {RECURSION_LIMIT} levels deep"),
            "a scenario needs only a few levels: check for runaway brackets".to_owned(),
        ),
        RonError::TrailingCharacters => (
            "there is more after the end of the scenario".to_owned(),
            "a file holds one `Scenario(...)` or `Rubric(...)`; remove what follows or a stray `)`".to_owned(),
        ),
        RonError::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{expected}(...)` here, found `{found}(...)`"),
            format!("write `{expected}(` or leave the name out"),
        ),
        other => (
            sentence(&other.to_string()),
            "check the punctuation around this place: brackets, commas, quotes".to_owned(),
        ),
    }
}

fn describe(outer: &Option<String>) -> String {
    match outer {
        Some(name) => format!("`{name}`"),
        None => "this value".to_owned(),
    }
}

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid RON".to_owned(),
    }
}

/// The expected name nearest to a misspelling, if any is close.
pub fn closest<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (edit_distance(found, e), *e))
        .filter(|(d, e)| *d <= 2.max(e.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, e)| e)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        assert_eq!(
            closest("feedbak", &["feedback", "effects"]),
            Some("feedback")
        );
        assert_eq!(closest("zzz", &["feedback", "effects"]), None);
    }
}
