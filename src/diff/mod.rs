//! Two editions of a project compared: every fact, series point, source and locale text that differs, the
//! documents that show each, and the sentences that hold a changed figure (`briefs diff`, `briefs review --since`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Diagnostic, Report};
use crate::ids::{AudienceId, DocumentId, LocaleTag};

mod compare;
mod edition;
mod git;
pub mod sentences;
mod text;

pub use sentences::Sentence;
pub use text::{change_line, shown_text};

/// A document and the audiences it is built for that show a changed item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// Document id.
    pub document: DocumentId,
    /// Audience ids.
    pub audiences: Vec<AudienceId>,
}

/// What kind of item changed (its serde name is how JSON and text name it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// The edition itself: its id, title or date, or the update's own source entry.
    Edition,
    /// A fact.
    Fact,
    /// A series point.
    Point,
    /// A source.
    Source,
    /// A locale text.
    Text,
}

impl ItemKind {
    /// The name JSON and the text form use.
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Edition => "edition",
            ItemKind::Fact => "fact",
            ItemKind::Point => "point",
            ItemKind::Source => "source",
            ItemKind::Text => "text",
        }
    }
}

/// How an item changed between the editions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only the new edition has it.
    Added,
    /// Only the old edition has it.
    Removed,
    /// Both have it, and it differs.
    Changed,
}

impl ChangeKind {
    /// The name JSON and the text form use.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One added, removed or changed item.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// What changed: the edition (its id, title or date), a fact, a point, a source or a text.
    pub kind: ItemKind,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Fact id, `series/label`, source id or locale key.
    pub id: String,
    /// The locale of a text change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<LocaleTag>,
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
    /// Every change: the edition's id, title and date first, then facts, points, sources and texts, each sorted by id.
    pub changes: Vec<Change>,
    /// With `--sentences`: every sentence that holds a changed figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentences: Option<Vec<Sentence>>,
}

/// Two editions compared: the diff with its sentences, where the old edition was read from, and warnings.
pub struct Comparison {
    /// The changes, with the sentences that hold a changed figure.
    pub diff: Diff,
    /// The old edition's project folder (a temporary export for a git revision, kept while this lives).
    pub old_root: PathBuf,
    /// How the old edition's files are named in messages (`REV:path` or the folder).
    pub old_label: String,
    /// Warnings from loading either edition.
    pub warnings: Report,
    /// The temporary export of a git revision.
    _tmp: Option<tempfile::TempDir>,
}

/// Compares the edition at `root` with `old` (a folder or a git revision of `root`'s repository).
pub fn compare_with(old: &str, root: &Path) -> Result<Comparison, Report> {
    let old_path = Path::new(old);
    let (old_ed, old_root, tmp) = if old_path.is_dir() {
        let abs = std::fs::canonicalize(old_path).unwrap_or_else(|_| old_path.to_path_buf());
        crate::io::project_root(Some(&abs), &abs)
            .map_err(|d| Report::from(d.with_hint("pass an old project folder or a git revision such as HEAD~1")))?;
        let mut ed = edition::load(&abs).map_err(|r| git::relabel(r, &|f| abs.join(f)))?;
        ed.warnings = git::relabel(std::mem::take(&mut ed.warnings), &|f| abs.join(f));
        (ed, abs, None)
    } else {
        let tmp = tempfile::tempdir()
            .map_err(|e| Report::from(Diagnostic::plain(format!("failed to create a temporary folder ({e})"))))?;
        git::export_revision(root, old, tmp.path())?;
        let rev = old.to_string();
        let label = |f: &Path| PathBuf::from(format!("{rev}:{}", f.display()));
        let mut ed = edition::load(tmp.path()).map_err(|r| git::relabel(r, &label))?;
        ed.warnings = git::relabel(std::mem::take(&mut ed.warnings), &label);
        (ed, tmp.path().to_path_buf(), Some(tmp))
    };
    let new = edition::load(root)?;
    let changes = compare::compare(&old_ed, &new);
    let sentences = sentences::find(&old_ed, &new, &changes);
    let diff = Diff {
        old_edition: old_ed.model.edition.id.clone(),
        new_edition: new.model.edition.id.clone(),
        changes,
        sentences: Some(sentences),
    };
    let mut warnings = old_ed.warnings;
    warnings.extend(new.warnings);
    let old_label = if tmp.is_some() { old.to_string() } else { old_root.display().to_string() };
    Ok(Comparison { diff, old_root, old_label, warnings, _tmp: tmp })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JSON and the text form name a kind alike: the serde name is the name.
    #[test]
    fn kinds_serialize_as_their_names() {
        use ItemKind::*;
        for k in [Edition, Fact, Point, Source, Text] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.name());
        }
        for c in [ChangeKind::Added, ChangeKind::Removed, ChangeKind::Changed] {
            assert_eq!(serde_json::to_value(c).unwrap(), c.name());
        }
    }
}
