//! `briefs diff`: every fact, series point, source and locale text that differs between two editions of a project.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Diagnostic, Report};

mod compare;
mod edition;
mod git;
mod text;

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
}

/// A document and the audiences it is built for that show a changed item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// Document id.
    pub document: String,
    /// Audience ids.
    pub audiences: Vec<String>,
}

/// One added, removed or changed item.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `fact`, `point`, `source` or `text`.
    pub kind: &'static str,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// Fact id, `series/label`, source id or locale key.
    pub id: String,
    /// The locale of a text change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The old value (facts and points formatted in en-US), absent when added.
    pub old: Option<String>,
    /// The new value, absent when removed.
    pub new: Option<String>,
    /// What else changed (period, sources, unit, ...), when the values alone do not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where the item is written (in the new project; in the old one when removed).
    pub at: String,
    /// The documents that show the item, in either edition.
    pub documents: Vec<Shown>,
}

/// The differences between two editions.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// Old edition id.
    pub old_edition: String,
    /// New edition id.
    pub new_edition: String,
    /// Every change: facts, then points, sources and texts, each sorted by id.
    pub changes: Vec<Change>,
}

/// Loads both editions and lists what differs: the text or JSON to print, and warnings.
pub fn run(cfg: &DiffConfig) -> Result<(String, Report), Report> {
    let old_path = Path::new(&cfg.old);
    let (old, _tmp) = if old_path.is_dir() {
        let abs = std::fs::canonicalize(old_path).unwrap_or_else(|_| old_path.to_path_buf());
        crate::io::project_root(Some(&abs), &abs)
            .map_err(|d| Report::from(d.with_hint("pass an old project folder or a git revision such as HEAD~1")))?;
        let mut old = edition::load(&abs).map_err(|r| git::relabel(r, &|f| abs.join(f)))?;
        old.warnings = git::relabel(std::mem::take(&mut old.warnings), &|f| abs.join(f));
        (old, None)
    } else {
        let tmp = tempfile::tempdir()
            .map_err(|e| Report::from(Diagnostic::plain(format!("failed to create a temporary folder ({e})"))))?;
        git::export_revision(&cfg.root, &cfg.old, tmp.path())?;
        let rev = cfg.old.clone();
        let label = |f: &Path| PathBuf::from(format!("{rev}:{}", f.display()));
        let mut old = edition::load(tmp.path()).map_err(|r| git::relabel(r, &label))?;
        old.warnings = git::relabel(std::mem::take(&mut old.warnings), &label);
        (old, Some(tmp))
    };
    let new = edition::load(&cfg.root)?;
    let diff = Diff {
        old_edition: old.model.edition.id.clone(),
        new_edition: new.model.edition.id.clone(),
        changes: compare::compare(&old, &new),
    };
    let text = match cfg.format {
        DiffFormat::Text => diff.to_text(),
        DiffFormat::Json => serde_json::to_string_pretty(&diff).unwrap_or_default() + "\n",
    };
    let mut warnings = old.warnings;
    warnings.extend(new.warnings);
    Ok((text, warnings))
}
