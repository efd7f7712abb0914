//! The Bevy-free core of mentorsim.
//!
//! Data flows one way: a file is read and parsed into the [`model`] types ([`load`]), checked
//! and built into a playable [`scenario::Scenario`] ([`validate`], with the path
//! [`analysis`]), played as a [`engine::Session`], and scored into an
//! [`engine::AttemptResult`] ([`scoring`]); [`records`] keeps every attempt as it happens. [`library::Library`] does the first steps for
//! whole folders. The command line, the tests and the app all drive this crate; none of it
//! knows about Bevy.

pub mod analysis;
pub mod analytics;
pub mod condition;
pub mod diagnostic;
pub mod engine;
pub mod export;
pub mod graph;
pub mod library;
pub mod limits;
pub mod load;
pub mod lrs;
pub mod model;
pub mod output;
pub mod policy;
pub mod printable;
pub mod readiness;
pub mod records;
pub mod rescore;
pub mod ron_reader;
pub mod scenario;
pub mod scoring;
pub mod signing;
pub mod source;
pub mod strict_json;
pub mod validate;
