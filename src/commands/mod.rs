//! One module per subcommand, each with one entry point.

pub mod build;
pub mod charts;
pub mod check;
pub mod diff;
pub mod i18n;
pub mod list;
pub mod watch;
