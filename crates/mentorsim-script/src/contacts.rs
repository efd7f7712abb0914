//! Program contacts in scenario text. Crisis lines, emergency numbers and the titles of the
//! people a mentor reports to differ by country and program, so a scenario writes
//! `{crisis_line}` or `{coordinator}` and the program's policy says what a trainee sees. A
//! scenario played is filled once ([`crate::scenario::Scenario::with_contacts`]); what was
//! shown is what the records keep.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// A placeholder scenario text may use.
#[derive(Debug, Clone, Copy)]
pub struct Placeholder {
    /// What is written between the braces.
    pub name: &'static str,
    /// What is shown when the program's policy gives no value.
    pub default: &'static str,
    /// What the value must be, so that it reads in any sentence written around it.
    pub meaning: &'static str,
}

/// Every placeholder, in the order the documentation lists them.
pub const PLACEHOLDERS: &[Placeholder] = &[
    Placeholder {
        name: "coordinator",
        default: "coordinator",
        meaning: "the title of the person a mentor takes concerns to, as it reads after \"the\"",
    },
    Placeholder {
        name: "safeguarding_lead",
        default: "safeguarding lead",
        meaning: "the title of the person who takes reports of harm, as it reads after \"the\"",
    },
    Placeholder {
        name: "crisis_line",
        default: "Samaritans (116 123)",
        meaning: "a crisis line open day and night, named with its number",
    },
    Placeholder {
        name: "emergency_number",
        default: "999",
        meaning: "the number to ring in an emergency",
    },
];

/// The placeholder called `name`.
pub fn placeholder(name: &str) -> Option<&'static Placeholder> {
    PLACEHOLDERS.iter().find(|p| p.name == name)
}

/// The program's values for the placeholders; any it leaves out shows its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Contacts(pub BTreeMap<String, String>);

impl Contacts {
    /// What `{name}` shows.
    pub fn value(&self, placeholder: &Placeholder) -> &str {
        self.0
            .get(placeholder.name)
            .map_or(placeholder.default, String::as_str)
    }

    /// Every placeholder with the value it shows: what a record of a filled scenario keeps.
    pub fn shown(&self) -> BTreeMap<String, String> {
        PLACEHOLDERS
            .iter()
            .map(|p| (p.name.to_owned(), self.value(p).to_owned()))
            .collect()
    }

    /// `text` with every placeholder filled and `{{` written as `{`. A placeholder this build
    /// does not know (which `check` reports) is left as written.
    pub fn fill<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if !text.contains('{') {
            return Cow::Borrowed(text);
        }
        let mut filled = String::with_capacity(text.len() + 16);
        let mut copied = 0;
        for piece in pieces(text) {
            filled.push_str(&text[copied..piece.range.start]);
            match piece.kind {
                PieceKind::Escape => filled.push('{'),
                PieceKind::Placeholder(name) => match placeholder(name) {
                    Some(known) => filled.push_str(self.value(known)),
                    None => filled.push_str(&text[piece.range.clone()]),
                },
            }
            copied = piece.range.end;
        }
        filled.push_str(&text[copied..]);
        Cow::Owned(filled)
    }
}

/// A placeholder in a text that no [`Placeholder`] is called: its byte range and name.
pub fn unknown_placeholders(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    pieces(text).filter_map(|piece| match piece.kind {
        PieceKind::Placeholder(name) if placeholder(name).is_none() => Some((piece.range, name)),
        _ => None,
    })
}

/// The longest text between braces taken as a placeholder; longer is prose.
const LONGEST_NAME: usize = 40;

struct Piece<'t> {
    range: Range<usize>,
    kind: PieceKind<'t>,
}

enum PieceKind<'t> {
    /// `{{`
    Escape,
    /// `{name}`
    Placeholder(&'t str),
}

/// The escapes and placeholders of a text, in order. A placeholder is `{` and `}` around up
/// to [`LONGEST_NAME`] letters, digits, spaces, `-` or `_`, so that a misspelt one
/// (`{Crisis line}`) is caught rather than shown; any other brace is text.
fn pieces(text: &str) -> impl Iterator<Item = Piece<'_>> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            at += 1;
            if bytes[start] != b'{' {
                continue;
            }
            if bytes.get(at) == Some(&b'{') {
                at += 1;
                return Some(Piece {
                    range: start..at,
                    kind: PieceKind::Escape,
                });
            }
            let name_len = bytes[at..]
                .iter()
                .take(LONGEST_NAME + 1)
                .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_')));
            if let Some(len) = name_len
                && (1..=LONGEST_NAME).contains(&len)
                && bytes[at + len] == b'}'
            {
                let name = &text[at..at + len];
                at += len + 1;
                return Some(Piece {
                    range: start..at,
                    kind: PieceKind::Placeholder(name),
                });
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_with_the_programs_values_or_the_defaults() {
        let us = Contacts(BTreeMap::from([
            ("emergency_number".to_owned(), "911".to_owned()),
            (
                "crisis_line".to_owned(),
                "the 988 Suicide & Crisis Lifeline (call or text 988)".to_owned(),
            ),
        ]));
        assert_eq!(
            us.fill(
                "Ring {emergency_number} now; {crisis_line} is there too. Tell the {coordinator}."
            ),
            "Ring 911 now; the 988 Suicide & Crisis Lifeline (call or text 988) is there too. Tell the coordinator."
        );
        assert_eq!(
            Contacts::default().fill("{emergency_number}"),
            "999",
            "the default"
        );
    }

    #[test]
    fn braces_that_are_not_placeholders_are_text() {
        let contacts = Contacts::default();
        for text in [
            "{{coordinator}",
            "a { b",
            "}{",
            "{",
            "{}",
            "x{ünïcode}",
            "{ a very long piece of text inside braces that is prose }",
        ] {
            let expected = text.replacen("{{", "{", 1);
            assert_eq!(contacts.fill(text), expected, "{text:?}");
        }
    }

    #[test]
    fn an_unknown_or_misspelt_placeholder_is_found_with_its_place() {
        let text = "Call {crisis line} or {emergency_number}, not {{this}, and {CoOrdinator}.";
        let found: Vec<(Range<usize>, &str)> = unknown_placeholders(text).collect();
        assert_eq!(found, [(5..18, "crisis line"), (59..72, "CoOrdinator")]);
        assert_eq!(
            Contacts::default().fill(text),
            "Call {crisis line} or 999, not {this}, and {CoOrdinator}.",
            "left as written"
        );
    }
}
