//! One module per subcommand, each with one entry point that returns what to print or why it failed. A command
//! uses no other command: what several share sits below them (`pipeline`, `diff`, `outcome`).

pub mod build;
pub mod charts;
pub mod check;
pub mod diff;
pub mod i18n;
pub mod list;
pub mod merge;
pub mod new;
pub mod review;
pub mod watch;

pub use crate::outcome::{Failure, Output, Verbosity};
