//! Where a value sits in a RON document, named by fields, list positions and map keys.

use std::borrow::Cow;
use std::fmt;

use smallvec::SmallVec;

/// One step of a path into a RON document. Names are borrowed when they are the checker's
/// own literals, so that naming a place costs no allocation until there is something to report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A named struct field.
    Field(Cow<'static, str>),
    /// A position in a list or tuple.
    Index(usize),
    /// A map key (the path then points at the key itself).
    Key(Cow<'static, str>),
}

/// Where a value sits in a RON document, e.g. `nodes[3].choices[1].next`. Held inline: the
/// checker names a place for every value it checks, and mentorsim's files nest about six deep.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct RonPath(pub SmallVec<[Segment; 6]>);

impl RonPath {
    /// The path of the document's root value.
    pub fn root() -> Self {
        RonPath(SmallVec::new())
    }

    /// This path extended by a struct field.
    pub fn field(&self, name: &'static str) -> Self {
        self.with(Segment::Field(Cow::Borrowed(name)))
    }

    /// This path extended by a list position.
    pub fn index(&self, i: usize) -> Self {
        self.with(Segment::Index(i))
    }

    /// This path extended by a map key.
    pub fn key(&self, key: &str) -> Self {
        self.with(Segment::Key(Cow::Owned(key.to_owned())))
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment);
        RonPath(segments)
    }
}

impl fmt::Display for RonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => write!(f, "{name}")?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}
