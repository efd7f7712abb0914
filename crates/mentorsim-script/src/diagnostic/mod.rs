//! Findings about content, each with its place in a file, a message a trainer understands and a
//! hint how to fix it. Rendered rustc-style for people and as JSON for tools.

mod code;

use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;
use serde::Serialize;

use crate::printable::{printable, printable_in_place};
use crate::source::{LineCol, SourceText};
pub use code::{Code, Documented};

/// Whether a finding stops the scenario from being played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The scenario cannot be played until this is fixed.
    Error,
    /// The scenario plays, but something is probably wrong.
    Warning,
}

/// One finding, located in a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning: always the code's own severity.
    pub severity: Severity,
    /// The file as the user named it.
    pub file: String,
    /// 1-based line (0 when the finding is about the whole file, e.g. it cannot be read).
    pub line: usize,
    /// 1-based column in characters (0 as for `line`).
    pub column: usize,
    /// What it is about; serialised as its stable kebab-case name, e.g. `unknown-node`.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// A short label under the highlighted text.
    #[serde(skip)]
    pub label: String,
    /// Byte range in the file, for rendering.
    #[serde(skip)]
    pub span: Option<Range<usize>>,
}

impl Diagnostic {
    /// A finding at a byte range of a source.
    pub fn at(
        code: Code,
        source: &SourceText,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let LineCol { line, column } = source.line_col(span.start);
        Diagnostic {
            severity: code.severity(),
            file: source.name.clone(),
            line,
            column,
            code,
            message: message.into(),
            hint: String::new(),
            label: String::new(),
            span: Some(span),
        }
    }

    /// A finding about a whole file that has no usable text (unreadable, not UTF-8...).
    pub fn whole_file(code: Code, file: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            file: file.to_owned(),
            line: 0,
            column: 0,
            code,
            message: message.into(),
            hint: String::new(),
            label: String::new(),
            span: None,
        }
    }

    /// Adds how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Adds a short label shown under the highlighted text.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Whether this finding stops the scenario from being played.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or just the file for whole-file findings.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

/// Renders diagnostics rustc-style with the offending source lines, for a terminal: control
/// characters in the files, their names and their ids are shown, never obeyed
/// ([`crate::printable`]).
///
/// `source_of` gives the text a diagnostic's file was loaded from, when there is one.
pub fn render<'a>(
    diagnostics: &[Diagnostic],
    source_of: impl Fn(&str) -> Option<&'a SourceText>,
    color: bool,
) -> String {
    // The texts are made printable first, in place so that the spans still fit them.
    let mut texts: std::collections::HashMap<&str, (String, String)> = Default::default();
    for source in diagnostics.iter().filter_map(|d| source_of(&d.file)) {
        texts.entry(source.name.as_str()).or_insert_with(|| {
            (
                printable(&source.name).into_owned(),
                printable_in_place(&source.text).into_owned(),
            )
        });
    }
    let mut files = SimpleFiles::new();
    // Each file is indexed once, however many findings it has.
    let mut file_ids = std::collections::HashMap::new();
    let mut out = Vec::new();
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let severity = match diagnostic.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut notes = Vec::new();
        let mut labels = Vec::new();
        match (source_of(&diagnostic.file), &diagnostic.span) {
            (Some(source), Some(span)) => {
                let id = *file_ids.entry(source.name.as_str()).or_insert_with(|| {
                    let (name, text) = &texts[source.name.as_str()];
                    files.add(name.as_str(), text.as_str())
                });
                labels.push(
                    cs::Label::primary(id, span.clone()).with_message(printable(&diagnostic.label)),
                );
            }
            _ => notes.push(format!("in {}", printable(&diagnostic.location()))),
        }
        if !diagnostic.hint.is_empty() {
            notes.push(format!("hint: {}", printable(&diagnostic.hint)));
        }
        let rendered = cs::Diagnostic::new(severity)
            .with_code(diagnostic.code.as_str())
            .with_message(printable(&diagnostic.message))
            .with_labels(labels)
            .with_notes(notes);
        if color {
            let mut buffer = term::termcolor::Buffer::ansi();
            if term::emit_to_write_style(&mut buffer, &config, &files, &rendered).is_ok() {
                out.extend_from_slice(buffer.as_slice());
            }
        } else if let Ok(text) = term::emit_into_string(&config, &files, &rendered) {
            out.extend_from_slice(text.as_bytes());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
