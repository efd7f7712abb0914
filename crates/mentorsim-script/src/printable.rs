//! Text from files, made safe to print on a terminal.
//!
//! Scenario texts, ids and file names come from people mentorsim cannot vouch for, and a
//! terminal obeys what it is sent: an escape sequence in a mentee's line could clear the screen,
//! rewrite earlier lines or retitle the window, and bidirectional controls can make text read
//! differently from what it is. Everything printed for people goes through here first.

use std::borrow::Cow;

/// Whether a character would act on the terminal or reorder text instead of showing.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// The text with every such character written as a visible escape (`\u{1b}`), so a reader
/// sees that it is there.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A line ending of `\r\n` is a line ending, not a control to show.
        if c == '\r' && chars.peek() == Some(&'\n') {
            continue;
        }
        if is_unsafe(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text with every such character replaced by `?`s of the same byte length, so that byte
/// offsets into it (the spans of findings) stay where they were.
pub fn printable_in_place(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_controls_become_visible_and_plain_text_is_untouched() {
        assert!(matches!(
            printable("Maya: \"I'm fine.\"\n\té"),
            Cow::Borrowed(_)
        ));
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            printable("x\u{202E}y\u{9b}z\u{7f}"),
            "x\\u{202e}y\\u{9b}z\\u{7f}"
        );
        assert_eq!(printable("line\r\nnext\rover"), "line\nnext\\u{d}over");
    }

    #[test]
    fn in_place_keeps_every_byte_offset() {
        let text = "ab\u{1b}c\u{202E}d\u{85}e\r\n";
        let safe = printable_in_place(text);
        assert_eq!(safe.len(), text.len());
        assert_eq!(safe, "ab?c???d??e\r\n");
        for (i, _) in text.char_indices() {
            assert!(safe.is_char_boundary(i));
        }
    }
}
