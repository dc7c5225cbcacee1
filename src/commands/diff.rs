//! `briefs diff`: every fact, series point, source and locale text that differs between two editions of a project.

use std::path::PathBuf;

use crate::diag::Report;
use crate::diff::{compare_with, sentences};

/// How the differences are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// One line per change, with the documents that show it.
    #[default]
    Text,
    /// A JSON object with every change.
    Json,
}

/// Checked settings of a diff.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// The old edition: a project folder, or a git revision of the new project's repository.
    pub old: String,
    /// The new project root.
    pub root: PathBuf,
    /// Output format.
    pub format: DiffFormat,
    /// Also list every sentence that holds a changed figure.
    pub sentences: bool,
}

/// Loads both editions and lists what differs: the text or JSON to print, and warnings.
pub fn run(cfg: &DiffConfig) -> Result<(String, Report), Report> {
    let mut cmp = compare_with(&cfg.old, &cfg.root)?;
    if !cfg.sentences {
        cmp.diff.sentences = None;
    }
    let text = match cfg.format {
        DiffFormat::Text => {
            let mut text = cmp.diff.to_text();
            if let Some(s) = &cmp.diff.sentences {
                text.push_str(&sentences::to_text(s));
            }
            text
        }
        DiffFormat::Json => serde_json::to_string_pretty(&cmp.diff).unwrap_or_default() + "\n",
    };
    Ok((text, cmp.warnings))
}
