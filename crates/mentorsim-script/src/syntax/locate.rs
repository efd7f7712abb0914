//! Finding values in a RON text by their path.
//!
//! serde hands us values without positions, so semantic diagnostics name the value by its
//! path in the RON document (`nodes[3].choices[1].next`) and [`locate`] finds those paths in
//! the text with one linear scan. The scan runs only when there is something to report, which
//! keeps loading a large, clean file as fast as plain parsing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use super::lexer::Lexer;
use super::path::{RonPath, Segment};

/// Finds the byte range of each requested path in a RON text that parsed successfully.
///
/// A scalar's range covers the literal (a string with its quotes); a struct or list covers its
/// opening (`Line(` or `[`); a map key covers the key literal. Paths that are absent (an
/// optional field left out) come back as `None`.
pub fn locate(text: &str, paths: &[RonPath]) -> Vec<Option<Range<usize>>> {
    let wanted: HashMap<&RonPath, usize> = paths.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let mut found = vec![None; paths.len()];
    let mut scanner = Scanner::new(text);
    let mut path = RonPath::root();
    let mut frames: Vec<Frame> = Vec::new();
    // The segment the next value gets, set by a field name, a key or a list position.
    let mut pending: Option<Segment> = None;

    let missing = std::cell::Cell::new(paths.len());
    let mut record = |path: &RonPath, range: Range<usize>| {
        if let Some(&i) = wanted.get(path)
            && found[i].is_none()
        {
            found[i] = Some(range);
            missing.set(missing.get() - 1);
        }
    };

    // Stop as soon as everything asked for is found: findings near the top of a large file
    // cost almost nothing.
    while missing.get() > 0
        && let Some(token) = scanner.next_token()
    {
        match token.kind {
            TokenKind::Attribute => {}
            TokenKind::Comma => {
                if let Some(frame) = frames.last_mut() {
                    frame.items += 1;
                    frame.expecting_key = frame.kind == Container::Map;
                }
                pending = None;
            }
            TokenKind::Colon => {}
            TokenKind::Close => {
                if frames.pop().is_some_and(|frame| frame.pushed_segment) {
                    path.0.pop();
                }
                pending = None;
            }
            TokenKind::Ident if scanner.peek_is(b':') && in_struct(&frames) => {
                pending = Some(Segment::Field(Cow::Owned(token.text(text).to_owned())));
            }
            _ => {
                // A map key: record its place and remember it for the value.
                if let Some(frame) = frames.last_mut()
                    && frame.kind == Container::Map
                    && frame.expecting_key
                {
                    frame.expecting_key = false;
                    let key = unquote(token.text(text));
                    let key = Segment::Key(Cow::Owned(key));
                    path.0.push(key.clone());
                    record(&path, token.range.clone());
                    path.0.pop();
                    pending = Some(key);
                    continue;
                }
                let segment = pending.take().or_else(|| {
                    frames
                        .last()
                        .filter(|f| !f.transparent)
                        .map(|f| Segment::Index(f.items))
                });
                let transparent_parent = frames.last().is_some_and(|f| f.transparent);
                let pushed_segment = match segment {
                    Some(segment) if !transparent_parent => {
                        path.0.push(segment);
                        true
                    }
                    _ => false,
                };
                let opens = match token.kind {
                    TokenKind::Ident if scanner.peek_is(b'(') => {
                        let name = token.text(text);
                        let open = scanner
                            .next_token()
                            .map_or(token.range.end, |t| t.range.end);
                        record(&path, token.range.start..open);
                        Some(Frame::new(
                            Container::Struct,
                            pushed_segment,
                            name == "Some",
                        ))
                    }
                    TokenKind::Open(kind) => {
                        record(&path, token.range.clone());
                        Some(Frame::new(kind, pushed_segment, false))
                    }
                    _ => {
                        record(&path, token.range.clone());
                        None
                    }
                };
                match opens {
                    Some(frame) => frames.push(frame),
                    None if pushed_segment => {
                        path.0.pop();
                    }
                    None => {}
                }
            }
        }
    }
    found
}

/// The byte offset inside a string literal (quotes and escapes as written in the file) of
/// the byte at `offset` in the string's value. Needed to point into a value, such as a
/// condition, whose literal spells some characters as escapes (`\u{e9}`, `\"`).
pub fn literal_offset(literal: &str, offset: usize) -> usize {
    let bytes = literal.as_bytes();
    // A raw string `r#"..."#` has no escapes: its value starts after the opening quote.
    if bytes.first() == Some(&b'r') {
        return literal.find('"').map_or(0, |q| q + 1) + offset;
    }
    let mut raw = usize::from(bytes.first() == Some(&b'"'));
    let mut value = 0;
    while value < offset && raw < bytes.len() {
        if bytes[raw] != b'\\' {
            let width = literal[raw..].chars().next().map_or(1, char::len_utf8);
            raw += width;
            value += width;
            continue;
        }
        let (written, produced) = match bytes.get(raw + 1) {
            // `\xHH` is one byte of the value (several spell one character).
            Some(b'x') => (4, 1),
            Some(b'u') => {
                let close = literal[raw..]
                    .find('}')
                    .map_or(bytes.len() - raw, |c| c + 1);
                let digits = literal.get(raw + 3..raw + close - 1).unwrap_or("");
                let width = u32::from_str_radix(digits, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(1, char::len_utf8);
                (close, width)
            }
            _ => (2, 1),
        };
        raw += written;
        value += produced;
    }
    raw.min(literal.len())
}

fn in_struct(frames: &[Frame]) -> bool {
    frames.last().is_some_and(|f| f.kind == Container::Struct)
}

fn unquote(literal: &str) -> String {
    literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal)
        .to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Container {
    /// `( ... )`: a struct, tuple or enum variant.
    Struct,
    /// `[ ... ]`
    List,
    /// `{ ... }`
    Map,
}

struct Frame {
    kind: Container,
    items: usize,
    expecting_key: bool,
    pushed_segment: bool,
    /// `Some(x)`: the inner value has the same path as the option itself.
    transparent: bool,
}

impl Frame {
    fn new(kind: Container, pushed_segment: bool, transparent: bool) -> Self {
        Frame {
            kind,
            items: 0,
            expecting_key: kind == Container::Map,
            pushed_segment,
            transparent,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    Open(Container),
    Close,
    Comma,
    Colon,
    Ident,
    Literal,
    Attribute,
}

pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) range: Range<usize>,
}

impl Token {
    fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.range.clone()]
    }
}

/// A tokenizer for valid RON: enough to follow nesting, never to judge correctness.
pub(super) struct Scanner<'a> {
    lex: Lexer<'a>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner::at(text, 0)
    }

    pub(super) fn at(text: &'a str, at: usize) -> Self {
        Scanner {
            lex: Lexer::new(text, at),
        }
    }

    /// Skips whitespace and comments; an unfinished comment ends the scan.
    fn skip_trivia(&mut self) {
        if self.lex.skip_trivia().is_err() {
            self.lex.at = self.lex.bytes.len();
        }
    }

    fn peek_is(&mut self, byte: u8) -> bool {
        self.skip_trivia();
        self.lex.peek() == Some(byte)
    }

    pub(super) fn next_token(&mut self) -> Option<Token> {
        self.skip_trivia();
        let lex = &mut self.lex;
        let start = lex.at;
        let byte = lex.peek()?;
        let kind = match byte {
            b'(' | b'[' | b'{' => {
                lex.at += 1;
                TokenKind::Open(match byte {
                    b'(' => Container::Struct,
                    b'[' => Container::List,
                    _ => Container::Map,
                })
            }
            b')' | b']' | b'}' => {
                lex.at += 1;
                TokenKind::Close
            }
            b',' => {
                lex.at += 1;
                TokenKind::Comma
            }
            b':' => {
                lex.at += 1;
                TokenKind::Colon
            }
            b'#' => {
                // `#![enable(...)]`: skip to the closing bracket.
                while lex.peek().is_some_and(|b| b != b']') {
                    lex.at += 1;
                }
                lex.at = (lex.at + 1).min(lex.bytes.len());
                TokenKind::Attribute
            }
            b'"' | b'\'' => {
                lex.skip_quoted(byte);
                TokenKind::Literal
            }
            b'r' if matches!(lex.bytes.get(lex.at + 1), Some(b'"' | b'#')) => {
                lex.skip_raw_string();
                TokenKind::Literal
            }
            b'b' if lex.bytes.get(lex.at + 1) == Some(&b'"') => {
                lex.at += 1;
                lex.skip_quoted(b'"');
                TokenKind::Literal
            }
            _ if byte.is_ascii_alphabetic() || byte == b'_' => {
                lex.skip_word();
                TokenKind::Ident
            }
            _ => {
                // Numbers and anything else up to the next delimiter.
                lex.skip_word();
                if lex.at == start {
                    lex.at += 1;
                }
                TokenKind::Literal
            }
        };
        Some(Token {
            kind,
            range: start..lex.at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r##"#![enable(implicit_some)]
// a comment with "quotes" and (parens
Scenario(
    id: "demo",
    /* block /* nested */ comment */
    variables: { "trust": (start: 1, min: 0, max: 3) },
    nodes: [
        Line(id: "a", text: "Hi, (it's) me", choices: [
            Choice(id: "x", text: "ok", next: "b", severity: Critical("no")),
        ]),
        Ending(id: "b", text: r#"raw "text""#),
    ],
    maybe: Some("inner"),
)"##;

    fn at(path: &RonPath) -> String {
        let range = locate(DOC, std::slice::from_ref(path))[0]
            .clone()
            .unwrap_or_else(|| panic!("{path} not found"));
        DOC[range].to_owned()
    }

    #[test]
    fn finds_fields_list_items_and_map_keys() {
        let root = RonPath::root();
        let nodes = root.field("nodes");
        assert_eq!(at(&root.field("id")), "\"demo\"");
        assert_eq!(at(&nodes.index(0)), "Line(");
        assert_eq!(at(&nodes.index(0).field("text")), "\"Hi, (it's) me\"");
        let choice = nodes.index(0).field("choices").index(0);
        assert_eq!(at(&choice.field("next")), "\"b\"");
        assert_eq!(at(&choice.field("severity")), "Critical(");
        assert_eq!(at(&nodes.index(1).field("text")), "r#\"raw \"text\"\"#");
        assert_eq!(at(&root.field("variables").key("trust")), "\"trust\"");
        assert_eq!(at(&root.field("variables").key("trust").field("max")), "3");
        assert_eq!(at(&root.field("maybe")), "Some(");
    }

    #[test]
    fn absent_paths_are_none() {
        let missing = RonPath::root().field("nodes").index(7);
        assert_eq!(locate(DOC, &[missing]), vec![None]);
    }

    #[test]
    fn offsets_in_a_value_map_past_its_escapes() {
        // The value is `é > 1 and x`: `x` is at byte 11 of it.
        assert_eq!(literal_offset(r#""\u{e9} > 1 and x""#, 11), 16);
        assert_eq!(literal_offset(r#""\xC3\xA9 > 1 and x""#, 11), 18);
        assert_eq!(literal_offset(r#""\" > 1 and x""#, 10), 12);
        assert_eq!(literal_offset(r#""é > 1 and x""#, 11), 12);
        assert_eq!(literal_offset(r##"r#"a and x"#"##, 6), 9);
    }
}
