//! What a command gives the command line: its output, or why it failed (with every problem found), and how much
//! it prints. Below the pipeline, which builds for several commands.

use crate::diag::{Kind, Report};

/// How much a command prints besides errors and warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Nothing on success (`-q`).
    Quiet,
    /// A progress bar on a terminal and a summary line.
    Normal,
    /// Also a line per document, in order (`-v`).
    Verbose,
}

/// What a successful command has to say.
#[derive(Debug, Default)]
pub struct Output {
    /// The command's product for standard output (a list, a diff, a script), printed even with `-q`.
    pub product: Vec<String>,
    /// Summary lines for standard output, left out with `-q`.
    pub summary: Vec<String>,
    /// Warnings for standard error.
    pub warnings: Report,
    /// Kinds of warnings printed in full even when several alike would be one line (`check --i18n`).
    pub listed: Vec<Kind>,
}

impl Output {
    /// Output that is a product only.
    pub fn product(text: String) -> Output {
        Output { product: vec![text], ..Output::default() }
    }
}

impl From<(String, Report)> for Output {
    /// Text printed as it is, with its warnings.
    fn from((text, warnings): (String, Report)) -> Output {
        Output { product: vec![text.trim_end_matches('\n').to_string()], warnings, ..Output::default() }
    }
}

/// Why a command failed: every problem found, and a last line to say what it means for the user's files.
#[derive(Debug, Default)]
pub struct Failure {
    /// The problems.
    pub report: Report,
    /// A closing line, e.g. that no PDF was written.
    pub after: Option<String>,
    /// What the command still has to show on standard output (the `check --i18n` table).
    pub product: Vec<String>,
    /// The signal (SIGTERM, SIGINT) that stopped the command; it exits with 128 + its number.
    pub interrupted: Option<i32>,
}

impl Failure {
    /// A command stopped by signal `sig` after removing the `staged` files it had written into `out`.
    pub fn interrupted(sig: i32, staged: usize, out: &std::path::Path) -> Failure {
        let name = crate::output::interrupt::signal_name(sig);
        Failure {
            report: Report::default(),
            after: Some(format!(
                "interrupted by {name}: removed the {staged} file(s) staged so far; {} is as it was",
                out.display()
            )),
            interrupted: Some(sig),
            ..Failure::default()
        }
    }
}

impl From<Report> for Failure {
    /// A failure that is its report alone.
    fn from(report: Report) -> Failure {
        Failure { report, ..Failure::default() }
    }
}
