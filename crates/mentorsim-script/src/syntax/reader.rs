//! A fast reader for the plain RON that scenario and rubric files are written in.
//!
//! The `ron` crate reads about 30 MB/s, which made parsing most of the time of checking a large
//! library. This reader handles the subset of RON that mentorsim's files use (named or unnamed
//! structs, enums with unit and newtype variants, newtype variants wrapping a struct without
//! extra brackets, lists, maps, strings with the simple escapes, decimal numbers, comments),
//! with the same extensions and leniency `load::by_ron` reads with (implicit `Some`, unwrapped
//! variant newtypes, `Some((...))` as `Some(...)`), several times faster. It never reports errors
//! itself: on anything it does not handle, or anything wrong, it gives up and `ron` parses the file
//! again to explain the problem. A value it does return is the value `ron` would have returned; the
//! tests check that on every bundled file and on generated ones.
//!
//! It is one concern, a serde deserializer with its access types, and is kept in one file
//! (over 700 lines) so the grammar it accepts reads in one place.

use serde::de::value::SeqDeserializer;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use super::lexer::Lexer;

/// Reads `text` into `T`, or `None` when `ron` should read it instead.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    whole(&mut Reader::new(text, 0))
}

/// Reads `text` into `T` like [`from_str`], with the elements of `T`'s list field `field`
/// (which `list` reaches) read on two threads: a large scenario is nearly all nodes. `None`
/// when the file cannot be read that way; [`from_str`] may still read it.
///
/// The list is cut where an element seems to start past its middle (a line indented as its
/// first element's, starting with a capital letter after a comma). One thread reads the
/// elements from there to the end of the list, this one reads them from the start up to the
/// cut, and the cut is used only if this one lands on it exactly, so it is between two
/// elements. The rest of the file is then read around the list, which must be where the
/// threads found it; otherwise the rest is read in full. A value returned is [`from_str`]'s.
pub fn from_str_split<T, E>(
    text: &str,
    field: &'static str,
    list: fn(&mut T) -> &mut Vec<E>,
) -> Option<T>
where
    T: DeserializeOwned,
    E: DeserializeOwned + Send,
{
    let open = list_start(text, field)?;
    let indent = first_indent(text.as_bytes(), open)?;
    let cut = element_start_after(text.as_bytes(), open + (text.len() - open) / 2, indent)?;
    let (head, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| elements::<E>(text, cut, None));
        let head = elements::<E>(text, open + 1, Some(cut));
        let tail = tail
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (head, tail)
    });
    let (mut elements, _) = head?;
    let (rest, close) = tail?;
    let mut reader = Reader::new(text, 0);
    reader.skip = Some(Skip {
        field,
        open,
        close,
        taken: false,
    });
    let mut value: T = whole(&mut reader)?;
    if reader.skip.is_some_and(|skip| skip.taken) {
        elements.extend(rest);
        *list(&mut value) = elements;
    }
    Some(value)
}

/// The whole text as one value.
fn whole<T: DeserializeOwned>(reader: &mut Reader<'_>) -> Option<T> {
    let value = T::deserialize(&mut *reader).ok()?;
    reader.skip_ws().ok()?;
    (reader.lex.at == reader.lex.bytes.len()).then_some(value)
}

/// Where `field: [` seems to open the list: the reader checks it is the top-level field.
fn list_start(text: &str, field: &str) -> Option<usize> {
    text.match_indices(field).find_map(|(at, _)| {
        let rest = text[at + field.len()..].trim_start().strip_prefix(':')?;
        let rest = rest.trim_start();
        rest.starts_with('[').then(|| text.len() - rest.len())
    })
}

/// How far the list's first element is indented, when it starts a line of its own.
fn first_indent(text: &[u8], open: usize) -> Option<usize> {
    let gap = text
        .get(open + 1..)?
        .iter()
        .position(|b| !b.is_ascii_whitespace())?;
    let line_start = text[open + 1..open + 1 + gap]
        .iter()
        .rposition(|&b| b == b'\n')?;
    Some(gap - line_start - 1)
}

/// The first place at or after `from` that looks like an element's start: `,`, a line break,
/// `indent` spaces or tabs, then an upper-case letter (a variant's name).
fn element_start_after(text: &[u8], from: usize, indent: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += text.get(at..)?.iter().position(|&b| b == b',')? + 1;
        let gap = text[at..].iter().position(|b| !b.is_ascii_whitespace())?;
        let start = at + gap;
        let indented = text[at..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .is_some_and(|line_break| gap - line_break - 1 == indent);
        if indented && text[start].is_ascii_uppercase() {
            return Some(start);
        }
        at = start;
    }
}

/// The elements of a list from `start` (the first byte of one) to `stop` (the first byte of a
/// later one), or to the list's end when `stop` is `None`; with where it stopped (after the
/// closing `]` at the end). `None` when it cannot land on `stop` exactly.
fn elements<E: DeserializeOwned>(
    text: &str,
    start: usize,
    stop: Option<usize>,
) -> Option<(Vec<E>, usize)> {
    let mut reader = Reader::new(text, start);
    // As deep as the elements of a top-level struct's list.
    reader.depth = 2;
    let mut out = Vec::new();
    loop {
        reader.skip_ws().ok()?;
        if let Some(stop) = stop {
            if reader.lex.at == stop {
                return Some((out, stop));
            }
            if reader.lex.at > stop {
                return None;
            }
        }
        if reader.peek() == Some(b']') {
            return stop.is_none().then_some((out, reader.lex.at + 1));
        }
        out.push(E::deserialize(&mut reader).ok()?);
        reader.after_element(b']').ok()?;
    }
}

/// Why the reader gave up; the details come from `ron`.
#[derive(Debug)]
pub struct GiveUp;

impl std::fmt::Display for GiveUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not plain RON")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        GiveUp
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

/// Deeper nesting than `load`'s recursion limit is left to `ron`, which reports it.
const MAX_DEPTH: usize = 60;

struct Reader<'a> {
    lex: Lexer<'a>,
    /// Set inside `Variant(` when a struct's fields follow directly: the struct reads them and
    /// the variant's closing bracket.
    unwrapped_struct: bool,
    /// Where the value inside `Variant(` starts when no field follows: a struct there would be
    /// in brackets of its own, which `ron` refuses with unwrapped variant newtypes.
    bare_newtype: Option<usize>,
    /// Where the value inside `Some(` starts when no field follows: a struct there may have
    /// brackets of its own, but not a name, which `ron` would take for a field.
    unnamed_struct: Option<usize>,
    depth: usize,
    /// The top-level field whose value the reader is at, for `skip`.
    field: &'a str,
    /// A top-level list already read elsewhere: jumped over, leaving the field's list empty.
    skip: Option<Skip>,
}

/// Where a list read by [`from_str_split`]'s threads opens and closes.
#[derive(Clone, Copy)]
struct Skip {
    field: &'static str,
    /// Its `[`.
    open: usize,
    /// Just after its `]`.
    close: usize,
    /// Whether the reader met it where expected and jumped over it.
    taken: bool,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, at: usize) -> Self {
        Reader {
            lex: Lexer::new(text, at),
            unwrapped_struct: false,
            bare_newtype: None,
            unnamed_struct: None,
            depth: 0,
            field: "",
            skip: None,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.lex.peek()
    }

    fn skip_ws(&mut self) -> Result<()> {
        self.lex.skip_trivia().map_err(|_| GiveUp)
    }

    /// Skips whitespace and consumes `byte` if it is next.
    fn eat(&mut self, byte: u8) -> Result<bool> {
        self.skip_ws()?;
        if self.peek() == Some(byte) {
            self.lex.at += 1;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.eat(byte)? { Ok(()) } else { Err(GiveUp) }
    }

    /// After an element: a comma, or the closing bracket (left for the caller).
    fn after_element(&mut self, close: u8) -> Result<()> {
        if self.eat(b',')? {
            return Ok(());
        }
        self.skip_ws()?;
        if self.peek() == Some(close) {
            Ok(())
        } else {
            Err(GiveUp)
        }
    }

    /// An ASCII identifier, or `None` when none starts here.
    fn identifier(&mut self) -> Result<Option<&'a str>> {
        self.skip_ws()?;
        let Some(identifier) = self.lex.identifier() else {
            return Ok(None);
        };
        match self.peek() {
            // Raw identifiers, byte strings and non-ASCII identifiers are `ron`'s to read.
            Some(b'#' | b'"' | b'\'' | 0x80..) => Err(GiveUp),
            _ => Ok(Some(identifier)),
        }
    }

    /// Whether an identifier followed by `:` comes next (a struct field), without moving.
    fn field_follows(&mut self) -> Result<bool> {
        let start = self.lex.at;
        let field = self.identifier()?.is_some() && self.eat(b':')?;
        self.lex.at = start;
        Ok(field)
    }

    /// A struct given by its fields alone, inside brackets already opened (a variant's or
    /// `Some`'s), up to and including the closing one.
    fn unwrapped<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.unwrapped_struct = true;
        let value = read(self)?;
        // Only a struct takes the fields (and the closing bracket).
        if self.unwrapped_struct {
            Err(GiveUp)
        } else {
            Ok(value)
        }
    }

    fn string(&mut self) -> Result<StrValue<'a>> {
        self.expect(b'"')?;
        let start = self.lex.at;
        let rest = &self.lex.bytes[start..];
        let end = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\')
            .ok_or(GiveUp)?;
        if rest[end] == b'"' {
            self.lex.at = start + end + 1;
            return Ok(StrValue::Borrowed(&self.lex.src[start..start + end]));
        }
        let mut owned = rest[..end].to_vec();
        self.lex.at = start + end;
        loop {
            match self.peek().ok_or(GiveUp)? {
                b'"' => {
                    self.lex.at += 1;
                    return String::from_utf8(owned)
                        .map(StrValue::Owned)
                        .map_err(|_| GiveUp);
                }
                b'\\' => {
                    let escaped = match self.lex.bytes.get(self.lex.at + 1) {
                        Some(b'\'') => b'\'',
                        Some(b'"') => b'"',
                        Some(b'\\') => b'\\',
                        Some(b'n') => b'\n',
                        Some(b'r') => b'\r',
                        Some(b't') => b'\t',
                        Some(b'0') => b'\0',
                        _ => return Err(GiveUp),
                    };
                    owned.push(escaped);
                    self.lex.at += 2;
                }
                byte => {
                    owned.push(byte);
                    self.lex.at += 1;
                }
            }
        }
    }

    /// A decimal number's text: `-?digits(.digits)?(e[+-]?digits)?`.
    fn number(&mut self, float: bool) -> Result<&'a str> {
        self.skip_ws()?;
        let start = self.lex.at;
        let digits = |r: &mut Self| {
            let from = r.lex.at;
            while let Some(b'0'..=b'9') = r.peek() {
                r.lex.at += 1;
            }
            if r.lex.at > from { Ok(()) } else { Err(GiveUp) }
        };
        if self.peek() == Some(b'-') {
            self.lex.at += 1;
        }
        digits(self)?;
        if float && self.peek() == Some(b'.') {
            self.lex.at += 1;
            digits(self)?;
        }
        if float && matches!(self.peek(), Some(b'e' | b'E')) {
            self.lex.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.lex.at += 1;
            }
            digits(self)?;
        }
        // `1.5` for an integer, `0x1F`, `1_000`, `1f64`...: `ron`'s to read.
        if let Some(b'.' | b'_' | b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9') = self.peek() {
            return Err(GiveUp);
        }
        Ok(&self.lex.src[start..self.lex.at])
    }

    fn integer<T: std::str::FromStr>(&mut self) -> Result<T> {
        self.number(false)?.parse().map_err(|_| GiveUp)
    }

    fn nest(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(GiveUp)
        } else {
            Ok(())
        }
    }

    /// The fields of a struct up to and including `)`.
    fn fields<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        self.nest()?;
        let value = visitor.visit_map(Fields { reader: self })?;
        self.expect(b')')?;
        self.depth -= 1;
        Ok(value)
    }
}

enum StrValue<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    /// Only a module id asks for any value (see [`crate::model::ModuleId`]): a string, or a
    /// bare identifier, which `ron` hands to its untagged visitor as the identifier's name.
    /// Anything else is `ron`'s to read.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_ws()?;
        if self.peek() == Some(b'"') {
            return self.deserialize_str(visitor);
        }
        let name = self.identifier()?.ok_or(GiveUp)?;
        self.skip_ws()?;
        let special = matches!(name, "true" | "false" | "Some" | "None")
            || name.starts_with("inf")
            || name.starts_with("NaN");
        if special || self.peek() == Some(b'(') {
            return Err(GiveUp);
        }
        visitor.visit_borrowed_str(name)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.identifier()? {
            Some("true") => visitor.visit_bool(true),
            Some("false") => visitor.visit_bool(false),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i8(self.integer()?)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i16(self.integer()?)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i32(self.integer()?)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_i64(self.integer()?)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u8(self.integer()?)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u16(self.integer()?)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u32(self.integer()?)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_u64(self.integer()?)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f32(self.number(true)?.parse().map_err(|_| GiveUp)?)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.number(true)?.parse().map_err(|_| GiveUp)?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            StrValue::Borrowed(text) => visitor.visit_borrowed_str(text),
            StrValue::Owned(text) => visitor.visit_string(text),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let start = self.lex.at;
        match self.identifier()? {
            Some("None") => visitor.visit_none(),
            // A struct inside `Some(` gives its fields without brackets, as in a variant,
            // or has brackets of its own but no name (`load::by_ron`).
            Some("Some") if self.eat(b'(')? => {
                self.nest()?;
                let value = if self.field_follows()? {
                    self.unwrapped(|reader| visitor.visit_some(reader))?
                } else {
                    self.skip_ws()?;
                    self.unnamed_struct = Some(self.lex.at);
                    let value = visitor.visit_some(&mut *self)?;
                    self.unnamed_struct = None;
                    self.expect(b')')?;
                    value
                };
                self.depth -= 1;
                Ok(value)
            }
            // Implicit `Some`: the value itself.
            _ => {
                self.lex.at = start;
                visitor.visit_some(self)
            }
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_ws()?;
        if let Some(skip) = &mut self.skip
            && !skip.taken
            && skip.open == self.lex.at
            && self.depth == 1
            && self.field == skip.field
        {
            skip.taken = true;
            self.lex.at = skip.close;
            // Left empty: the threads' elements go in afterwards.
            return visitor.visit_seq(SeqDeserializer::<_, GiveUp>::new(std::iter::empty::<()>()));
        }
        self.expect(b'[')?;
        self.nest()?;
        let value = visitor.visit_seq(Elements { reader: self })?;
        self.expect(b']')?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'{')?;
        self.nest()?;
        let value = visitor.visit_map(Entries { reader: self })?;
        self.expect(b'}')?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if std::mem::take(&mut self.unwrapped_struct) {
            return self.fields(visitor);
        }
        self.skip_ws()?;
        if self.bare_newtype == Some(self.lex.at) {
            return Err(GiveUp);
        }
        let unnamed = self.unnamed_struct == Some(self.lex.at);
        match self.identifier()? {
            Some(_) if unnamed => return Err(GiveUp),
            None => {}
            Some(given) if given == name => {}
            Some(_) => return Err(GiveUp),
        }
        self.expect(b'(')?;
        self.fields(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.nest()?;
        let value = visitor.visit_enum(Variant { reader: self })?;
        self.depth -= 1;
        Ok(value)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.identifier()?.ok_or(GiveUp)?)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }
}

/// `field: value,` pairs. Unknown and repeated fields are refused by the types' own
/// deserializers (every model type denies unknown fields).
struct Fields<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> MapAccess<'de> for Fields<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(name) = self.reader.identifier()? else {
            return Ok(None);
        };
        self.reader.expect(b':')?;
        self.reader.field = name;
        seed.deserialize(name.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b')')?;
        Ok(value)
    }
}

/// `[a, b, ...]` elements.
struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        self.reader.skip_ws()?;
        if self.reader.peek() == Some(b']') {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b']')?;
        Ok(Some(value))
    }
}

/// `{key: value, ...}` entries.
struct Entries<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        self.reader.skip_ws()?;
        if self.reader.peek() == Some(b'}') {
            return Ok(None);
        }
        let key = seed.deserialize(&mut *self.reader)?;
        self.reader.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(b'}')?;
        Ok(value)
    }
}

/// An enum value: `Unit`, `Newtype(value)` or `Newtype(field: value, ...)`.
struct Variant<'r, 'a> {
    reader: &'r mut Reader<'a>,
}

impl<'de> EnumAccess<'de> for Variant<'_, 'de> {
    type Error = GiveUp;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.reader.identifier()?.ok_or(GiveUp)?;
        let value = seed.deserialize(name.into_deserializer())?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Result<()> {
        self.reader.skip_ws()?;
        if self.reader.peek() == Some(b'(') {
            return Err(GiveUp);
        }
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        let reader = self.reader;
        reader.expect(b'(')?;
        if reader.field_follows()? {
            return reader.unwrapped(|reader| seed.deserialize(reader));
        }
        reader.skip_ws()?;
        reader.bare_newtype = Some(reader.lex.at);
        let value = seed.deserialize(&mut *reader)?;
        reader.bare_newtype = None;
        reader.expect(b')')?;
        Ok(value)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(GiveUp)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.reader.expect(b'(')?;
        self.reader.fields(visitor)
    }
}
