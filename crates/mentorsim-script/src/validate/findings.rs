//! Findings waiting for their place in the file, and the small checks of values that every part
//! of validation shares.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::source::SourceText;
use crate::syntax::{RonPath, literal_offset, locate};

/// A finding waiting for its place in the file.
pub(super) struct Finding {
    pub(super) code: Code,
    pub(super) path: RonPath,
    /// For findings inside a string (a condition): the byte range within its contents.
    pub(super) inner: Option<Range<usize>>,
    pub(super) message: String,
    pub(super) hint: String,
    pub(super) label: String,
}

#[derive(Default)]
pub(super) struct Findings(pub(super) Vec<Finding>);

impl Findings {
    /// Reports a finding; its severity is its code's.
    pub(super) fn report(
        &mut self,
        code: Code,
        path: RonPath,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> &mut Finding {
        self.0.push(Finding {
            code,
            path,
            inner: None,
            message: message.into(),
            hint: hint.into(),
            label: String::new(),
        });
        self.0.last_mut().expect("just pushed")
    }

    pub(super) fn has_errors(&self) -> bool {
        self.0.iter().any(|f| f.code.severity() == Severity::Error)
    }

    /// A text a trainee is shown: not empty, and every `{placeholder}` in it one the program's
    /// contacts can fill.
    pub(super) fn shown_text(&mut self, path: impl Fn() -> RonPath, text: &str, what: &str) {
        self.non_empty(&path, text, what);
        for (range, name) in crate::contacts::unknown_placeholders(text) {
            let names: Vec<&str> = crate::contacts::PLACEHOLDERS
                .iter()
                .map(|p| p.name)
                .collect();
            let hint = match crate::load::closest(
                &name.to_ascii_lowercase().replace([' ', '-'], "_"),
                &names,
            ) {
                Some(near) => {
                    format!("did you mean `{{{near}}}`? (write `{{{{` for a brace that is text)")
                }
                None => format!(
                    "the placeholders are {}; write `{{{{` for a brace that is text",
                    names
                        .iter()
                        .map(|n| format!("`{{{n}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.report(
                Code::UnknownPlaceholder,
                path(),
                format!("`{{{name}}}` is not a placeholder the program's contacts fill"),
                hint,
            )
            .inner(range)
            .label("unknown placeholder");
        }
    }

    pub(super) fn non_empty(&mut self, path: impl FnOnce() -> RonPath, text: &str, what: &str) {
        if text.chars().all(char::is_whitespace) {
            self.report(
                Code::EmptyText,
                path(),
                format!("{what} is empty"),
                format!("write the {what}, or remove the field if it is optional"),
            )
            .label("empty");
        }
    }

    /// Locates every finding in the text and turns it into a diagnostic.
    pub(super) fn into_diagnostics(self, source: &SourceText) -> Vec<Diagnostic> {
        // Ask for every prefix too, so a finding whose exact value is absent (an optional
        // field left out) still points at the nearest enclosing value.
        let mut paths: Vec<RonPath> = Vec::new();
        let mut wanted: HashMap<RonPath, usize> = HashMap::new();
        for finding in &self.0 {
            for len in 0..=finding.path.0.len() {
                let prefix = RonPath(finding.path.0[..len].iter().cloned().collect());
                wanted.entry(prefix.clone()).or_insert_with(|| {
                    paths.push(prefix);
                    paths.len() - 1
                });
            }
        }
        let spans = locate(&source.text, &paths);
        let mut diagnostics: Vec<Diagnostic> = self
            .0
            .into_iter()
            .map(|finding| {
                let span = (0..=finding.path.0.len())
                    .rev()
                    .find_map(|len| {
                        spans[wanted[&RonPath(finding.path.0[..len].iter().cloned().collect())]]
                            .clone()
                    })
                    .unwrap_or(0..0);
                let span = match finding.inner {
                    Some(inner) if span.len() >= 2 => inside_literal(&source.text, span, inner),
                    _ => span,
                };
                Diagnostic::at(finding.code, source, span, finding.message)
                    .with_hint(finding.hint)
                    .with_label(finding.label)
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line, d.column));
        diagnostics
    }
}

/// Where `inner`, a range in the value of the string literal at `literal`, is in the text.
/// An empty range grows to the character it points at, so that the caret shows.
pub(super) fn inside_literal(
    text: &str,
    literal: Range<usize>,
    inner: Range<usize>,
) -> Range<usize> {
    let written = &text[literal.clone()];
    let close = literal.end - 1;
    let start = (literal.start + literal_offset(written, inner.start)).min(close);
    let end = (literal.start + literal_offset(written, inner.end)).min(close);
    if end > start {
        return start..end;
    }
    let width = text[start..].chars().next().map_or(0, char::len_utf8);
    start..(start + width).min(literal.end)
}

impl Finding {
    pub(super) fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.label = label.into();
        self
    }

    pub(super) fn inner(&mut self, range: Range<usize>) -> &mut Self {
        self.inner = Some(range);
        self
    }
}

/// Reports a number beyond `bound` either way, and gives it back clamped so that building the
/// scenario can go on without overflowing. The path is only built for a value out of range:
/// it runs for every effect of every option, and building paths there cost a tenth of `check`.
pub(super) fn check_bound(
    findings: &mut Findings,
    path: impl FnOnce() -> RonPath,
    value: i32,
    bound: i32,
    what: &str,
) -> i32 {
    if !(-bound..=bound).contains(&value) {
        findings.report(
                Code::ValueOutOfRange,
                path(),
                format!("{value} is out of range for {what}"),
                format!("keep it between -{bound} and {bound} (see the limits in docs/scenario-format.md)"),
            )
            .label("out of range");
    }
    value.clamp(-bound, bound)
}

pub(super) fn check_fraction(findings: &mut Findings, path: RonPath, value: f64) {
    if !(0.0..=1.0).contains(&value) {
        findings.report(
            Code::BadThreshold,
            path,
            format!("{value} is not a score between 0 and 1"),
            "scores and thresholds are fractions: write 0.7 for 70%",
        );
    }
}
