//! Reading files and parsing RON into the [`crate::model`] types, turning every failure into a
//! located [`Diagnostic`]: a file that cannot be read, is not UTF-8, or is not valid RON.

use std::io::Read;
use std::path::Path;

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_FILE_BYTES, RON_DEPTH};
use crate::model::{DUPLICATE_KEY, ScenarioFile};
use crate::source::{LineCol, SourceText};
use crate::syntax;

/// What a file in a library holds, told by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.scenario.ron`
    Scenario,
    /// `*.rubric.ron`
    Rubric,
    /// `*.modules.ron`
    Modules,
}

impl FileKind {
    /// The kind of a file by its name, if it is one mentorsim reads.
    pub fn of(path: &Path) -> Option<FileKind> {
        FileKind::by_name(path.file_name()?.to_str()?)
    }

    /// Whether a file name is one mentorsim reads.
    pub fn named(name: &str) -> bool {
        FileKind::by_name(name).is_some()
    }

    fn by_name(name: &str) -> Option<FileKind> {
        if name.ends_with(".scenario.ron") {
            Some(FileKind::Scenario)
        } else if name.ends_with(".rubric.ron") {
            Some(FileKind::Rubric)
        } else if name.ends_with(".modules.ron") {
            Some(FileKind::Modules)
        } else {
            None
        }
    }
}

/// Reads a file as text; `name` is how diagnostics will call it.
pub fn read_source(path: &Path, name: &str) -> Result<SourceText, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::whole_file(
            Code::UnreadableFile,
            name,
            format!("cannot read this file: {e}"),
        )
        .with_hint("check that the path exists and that you may read it")
    };
    // Opening a FIFO or a device would wait for a writer that never comes: only regular
    // files (or links to them) are read.
    let kind = std::fs::metadata(path).map_err(unreadable)?.file_type();
    if !kind.is_file() {
        return Err(not_a_file(name, kind));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(name, size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    source_from_bytes(name, bytes)
}

/// The finding for a file over [`MAX_FILE_BYTES`].
pub fn too_large(name: &str, size: u64) -> Diagnostic {
    Diagnostic::whole_file(
        Code::FileTooLarge,
        name,
        format!(
            "this file is {} MB; scenario files are limited to {} MB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
    .with_hint("split the scenario into several files, or check that this is the file you meant")
}

/// The finding for a path that names something other than a regular file.
pub fn not_a_file(name: &str, kind: std::fs::FileType) -> Diagnostic {
    Diagnostic::whole_file(
        Code::NotAFile,
        name,
        format!("this is {}, not a regular file", describe_kind(kind)),
    )
    .with_hint("scenario and rubric files must be plain files: remove or rename this one")
}

/// What a path that is not a regular file is, in words.
fn describe_kind(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Wraps bytes as a source, or says where they stop being UTF-8. A UTF-8 byte order mark,
/// which some Windows editors write, is dropped: it is not part of the text.
pub fn source_from_bytes(name: &str, mut bytes: Vec<u8>) -> Result<SourceText, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceText::new(name, text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                "this file is UTF-16: save it as UTF-8 in your editor"
            } else {
                "save the file as UTF-8 in your editor"
            };
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let source = SourceText::new(name, prefix);
            let at = source.line_col(valid);
            Err(Diagnostic {
                line: at.line,
                column: at.column,
                ..Diagnostic::whole_file(Code::NotUtf8, name, "this file is not UTF-8 text")
                    .with_hint(hint)
            })
        }
    }
}

/// Parses a source into a model type, reporting syntax and shape errors at their place.
/// Plain files take the fast [`ron_reader`]; anything else, and every error, goes to `ron`.
pub fn parse<T: DeserializeOwned>(source: &SourceText) -> Result<T, Diagnostic> {
    parse_with(source, syntax::reader::from_str)
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
        syntax::reader::from_str_split(text, "nodes", |file: &mut ScenarioFile| &mut file.nodes)
            .or_else(|| syntax::reader::from_str(text))
    })
}

fn parse_with<T: DeserializeOwned>(
    source: &SourceText,
    fast: impl FnOnce(&str) -> Option<T>,
) -> Result<T, Diagnostic> {
    if let Some(value) = fast(&source.text) {
        return Ok(value);
    }
    by_ron(&source.text).map_err(|error| syntax_diagnostic(source, &error))
}

/// A text read by `ron` with the format's extensions (implicit `Some`, unwrapped variant
/// newtypes) and `Some((...))` taken as `Some(...)` ([`syntax::without_brackets_inside_some`]):
/// the reading the fast reader must agree with, and the one that explains every error.
pub fn by_ron<T: DeserializeOwned>(text: &str) -> Result<T, SpannedError> {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES)
        .with_recursion_limit(RON_DEPTH)
        .from_str(&syntax::without_brackets_inside_some(text))
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
    let (code, start) = match &error.code {
        // ron points just inside the repeated key's quotes: take them in.
        RonError::Message(text) if text.starts_with(DUPLICATE_KEY) => (
            Code::DuplicateKey,
            start - usize::from(source.text[..start].ends_with('"')),
        ),
        _ => (Code::Syntax, start),
    };
    Diagnostic::at(code, source, start..end, message).with_hint(hint)
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
        RonError::Message(text) if text.starts_with(DUPLICATE_KEY) => (
            sentence(text),
            "keep one of them: each competency, variable or key appears once in a map".to_owned(),
        ),
        RonError::ExceededRecursionLimit => (
            format!("values are nested more than {RON_DEPTH} levels deep"),
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
    Suggester::new(usize::MAX).closest(found, expected.iter().copied())
}

/// Finds near names for "did you mean" hints within a budget of work, so that a file with
/// thousands of misspelt links among thousands of ids still checks in linear time: once the
/// budget is spent, hints go without a suggestion.
#[derive(Debug)]
pub struct Suggester {
    /// Characters still to compare.
    budget: usize,
}

impl Suggester {
    /// A suggester that may compare `budget` characters in all.
    pub fn new(budget: usize) -> Self {
        Suggester { budget }
    }

    /// The candidate nearest to `found`, if one is close and the budget allows the search.
    pub fn closest<'a>(
        &mut self,
        found: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<&'a str> {
        let found_chars = found.chars().count();
        let mut best: Option<(usize, &str)> = None;
        for candidate in candidates {
            let candidate_chars = candidate.chars().count();
            let cells = found_chars.saturating_mul(candidate_chars);
            let cost = (candidate.len() + 1).saturating_add(cells);
            if cost > self.budget {
                self.budget = 0;
                return None;
            }
            self.budget -= candidate.len() + 1;
            let allowed = 2.max(candidate.len() / 3);
            // The lengths alone can rule a candidate out before comparing any characters.
            if found_chars.abs_diff(candidate_chars) > allowed {
                continue;
            }
            self.budget -= cells;
            let distance = edit_distance(found, candidate);
            // Ties go to the first name in sorted order, whatever order the candidates came in.
            if distance <= allowed
                && best.is_none_or(|(d, b)| distance < d || (distance == d && candidate < b))
            {
                best = Some((distance, candidate));
            }
        }
        best.map(|(_, candidate)| candidate)
    }
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
