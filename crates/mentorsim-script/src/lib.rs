//! mentorsim's scenario scripts: the format trainers write, and everything done with it short
//! of keeping records.
//!
//! Data flows one way: a file is read and parsed into the [`model`] types ([`load`]), checked
//! and built into a playable [`scenario::Scenario`] ([`validate`], with the path
//! [`analysis`]), played as an [`engine::Session`], and scored into an
//! [`engine::AttemptResult`] ([`scoring`]). [`library::Library`] does the first steps for
//! whole folders. No IO here beyond reading text: no database, network or keys (those are
//! `mentorsim-records`), and no Bevy (the app).

pub mod analysis;
pub mod condition;
pub mod contacts;
pub mod diagnostic;
pub mod digest;
pub mod engine;
pub mod graph;
pub mod guessing;
pub mod library;
pub mod limits;
pub mod listening;
pub mod load;
pub mod model;
pub mod printable;
pub mod scenario;
pub mod scoring;
pub mod source;
pub mod syntax;
pub mod validate;
