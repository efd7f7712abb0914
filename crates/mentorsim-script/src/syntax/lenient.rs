//! What mentorsim reads that `ron` alone refuses. With unwrapped variant newtypes (which the
//! scenario format needs, for `Line(id: ...)`), `ron` reads the inside of `Some(` as a
//! variant's newtype: a struct there gives its fields without brackets, `Some(attempts: 3)`,
//! and `Some((attempts: 3))` is an error. That second spelling is the one people write, and
//! the readiness policy has always been shipped with it, so both readings of a file (the fast
//! reader and `ron`) take it to mean the first.

use std::borrow::Cow;

use super::locate::{Scanner, Token, TokenKind};

/// `text` with the inner brackets of every `Some((...))` blanked out, so that `ron` reads it
/// as `Some(...)`. Blanks keep every other byte where it was, so `ron`'s positions stay true.
pub fn without_brackets_inside_some(text: &str) -> Cow<'_, str> {
    let mut blanks = Vec::new();
    let mut scanner = Scanner::at(text, 0);
    let is = |token: &Option<Token>, word: &str| {
        token
            .as_ref()
            .is_some_and(|t| &text[t.range.clone()] == word)
    };
    // The two tokens before the current one: `Some`, then `(`.
    let (mut second_last, mut last): (Option<Token>, Option<Token>) = (None, None);
    while let Some(token) = scanner.next_token() {
        if is(&second_last, "Some")
            && is(&last, "(")
            && &text[token.range.clone()] == "("
            && let Some(close) = closing_bracket(text, token.range.start)
        {
            blanks.push(token.range.start);
            blanks.push(close);
        }
        (second_last, last) = (last, Some(token));
    }
    if blanks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for at in blanks {
        bytes[at] = b' ';
    }
    // Only ASCII brackets became ASCII spaces.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_owned()))
}

/// Where the bracket that closes the one opened at `open` is, brackets in strings and
/// comments aside; `None` when it is never closed.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut scanner = Scanner::at(text, open);
    let mut depth = 0usize;
    while let Some(token) = scanner.next_token() {
        match token.kind {
            TokenKind::Open(_) => depth += 1,
            TokenKind::Close => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(token.range.start);
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inner_brackets_of_some_are_blanked_and_nothing_else_moves() {
        let text = r#"(a: Some((x: "(", /* ) */ y: [1, (2)], z: ')')), b: Some( ( w: 1 ) ), c: Some(3), d: (e: 1))"#;
        let out = without_brackets_inside_some(text);
        assert_eq!(
            out,
            r#"(a: Some( x: "(", /* ) */ y: [1, (2)], z: ')' ), b: Some(   w: 1   ), c: Some(3), d: (e: 1))"#
        );
        assert_eq!(out.len(), text.len());
    }

    #[test]
    fn text_without_it_is_left_alone() {
        for text in [
            r#"(a: Some(x: 1), b: "Some((", c: Look(skin: Light))"#,
            "// Some((\n(a: 1)",
            "(a: Some([(x: 1)]))",
            "Some",
            "",
        ] {
            assert!(
                matches!(without_brackets_inside_some(text), Cow::Borrowed(_)),
                "{text}"
            );
        }
    }
}
