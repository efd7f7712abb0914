//! mentorsim: a mentor-training simulator. One binary: the window app by default, and
//! subcommands for everything headless. The pure logic lives in `mentorsim_script`; this crate
//! is the shell around it.

pub mod app;
pub mod bundled;
pub mod cli;
