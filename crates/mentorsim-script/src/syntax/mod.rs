//! RON as mentorsim reads it. One lexer ([`lexer`]) serves both readings of a file: the fast
//! reader that turns plain files into the model ([`reader`], leaving anything else and every
//! error to the `ron` crate), and the locator that finds a finding's place in the text by its
//! path ([`locate`], [`path`]).

mod lenient;
mod lexer;
pub mod locate;
pub mod path;
pub mod reader;

pub use lenient::without_brackets_inside_some;
pub use locate::{literal_offset, locate};
pub use path::{RonPath, Segment};
