//! The lexical layer of RON that both of mentorsim's readings of a file share: the fast
//! reader ([`super::reader`]) and the locator of findings ([`super::locate`]). What counts as
//! whitespace, a comment, a word or a string is decided here once.

/// A comment that never ends, or a `/` that starts none: the text is not plain RON.
#[derive(Debug)]
pub(super) struct Unfinished;

/// A position in a RON text. Every place it stops at is an ASCII byte, so slices of the text
/// between such places are always whole characters.
pub(super) struct Lexer<'a> {
    pub(super) src: &'a str,
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(src: &'a str, at: usize) -> Self {
        Lexer {
            src,
            bytes: src.as_bytes(),
            at,
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Skips whitespace and comments. A line comment must end with a line break (as `ron`
    /// requires); block comments nest.
    pub(super) fn skip_trivia(&mut self) -> Result<(), Unfinished> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.at += 1,
                Some(b'/') => match self.bytes.get(self.at + 1) {
                    Some(b'/') => {
                        let end = self.bytes[self.at..]
                            .iter()
                            .position(|&b| b == b'\n')
                            .ok_or(Unfinished)?;
                        self.at += end + 1;
                    }
                    Some(b'*') => self.block_comment()?,
                    _ => return Err(Unfinished),
                },
                _ => return Ok(()),
            }
        }
    }

    fn block_comment(&mut self) -> Result<(), Unfinished> {
        let mut open = 0usize;
        loop {
            match (self.peek(), self.bytes.get(self.at + 1)) {
                (Some(b'/'), Some(b'*')) => {
                    open += 1;
                    self.at += 2;
                }
                (Some(b'*'), Some(b'/')) => {
                    open -= 1;
                    self.at += 2;
                    if open == 0 {
                        return Ok(());
                    }
                }
                (Some(_), _) => self.at += 1,
                (None, _) => return Err(Unfinished),
            }
        }
    }

    /// An ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`) starting here, or `None`.
    pub(super) fn identifier(&mut self) -> Option<&'a str> {
        let start = self.at;
        if !matches!(self.peek(), Some(b'a'..=b'z' | b'A'..=b'Z' | b'_')) {
            return None;
        }
        while let Some(b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_') = self.peek() {
            self.at += 1;
        }
        Some(&self.src[start..self.at])
    }

    /// Skips a bare word: an identifier, a number in any of RON's spellings, a raw identifier.
    pub(super) fn skip_word(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric()
                || matches!(b, b'_' | b'.' | b'+' | b'-' | b'#')
                || b >= 0x80
            {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    /// Skips a string or character literal opened by `quote` here, escapes and all.
    pub(super) fn skip_quoted(&mut self, quote: u8) {
        self.at += 1;
        while let Some(b) = self.peek() {
            self.at += 1;
            if b == b'\\' {
                self.at += 1;
            } else if b == quote {
                break;
            }
        }
        self.at = self.at.min(self.bytes.len());
    }

    /// Skips a raw string `r#"..."#` starting here.
    pub(super) fn skip_raw_string(&mut self) {
        self.at += 1;
        let hashes = self.bytes[self.at..]
            .iter()
            .take_while(|&&b| b == b'#')
            .count();
        self.at += hashes + 1;
        while self.at < self.bytes.len() {
            if self.bytes[self.at] == b'"'
                && self.bytes[self.at + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&b| b == b'#')
                    .count()
                    == hashes
            {
                self.at += 1 + hashes;
                return;
            }
            self.at += 1;
        }
    }
}
