//! mentorsim's records: what a program keeps of its trainees' attempts and decides readiness on.
//!
//! Built on `mentorsim-script`: the [`store`] commits every action of an attempt as it
//! happens, and an [`attempt::RecordedAttempt`] is a conversation kept in step with it;
//! [`rescore`] replays a stored attempt on the exact texts it was played on, and
//! [`replay_check`] an attempt made elsewhere, which [`import`] brings in only when its replay
//! earns what it claims;
//! [`policy`], [`retakes`] and [`readiness`] judge who is ready; [`export`] writes JSON, CSV and xAPI,
//! [`lrs`] sends xAPI to a Learning Record Store (whole attempts, or streamed as they are
//! played by a [`sync::Syncer`] over a station's [`connection`]), and [`signing`] signs and
//! verifies what leaves the program. Bevy-free, like the script crate.

pub mod analytics;
pub mod attempt;
pub mod connection;
pub mod export;
pub mod from_xapi;
pub mod import;
pub mod lrs;
pub mod output;
pub mod policy;
pub mod readiness;
pub mod replay_check;
pub mod replayed;
pub mod rescore;
pub mod retakes;
pub mod signing;
pub mod store;
pub mod strict_json;
pub mod sync;
