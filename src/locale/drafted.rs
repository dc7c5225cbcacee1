//! Drafted texts (`locales/drafted.yaml`): words written for these documents that the source update does not
//! contain, listed by key so the authors can approve them. Draft PDFs mark them in the margin; final builds refuse
//! those not yet approved.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Report};
use crate::ids::LocaleTag;
use crate::io::{parse_yaml, read_text, sloc};

/// Where the list lives, beside the locale folders (it holds for every locale: a translation of a drafted text is
/// drafted too).
pub const FILE: &str = "locales/drafted.yaml";

/// One drafted text, or a family of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// A key, or a pattern with `*` standing for one key segment (`audiences.*.opening`); a key also covers the
    /// items of a list or map under it.
    pub key: Spanned<String>,
    /// Why the text is drafted: what the update does or does not say.
    pub why: String,
    /// Set when the authors have read and approved the text in every locale.
    #[serde(default)]
    pub approved: bool,
}

/// The drafted texts of a project.
#[derive(Debug, Clone, Default)]
pub struct Drafted {
    /// The entries, in the file's order.
    pub entries: Vec<Entry>,
}

/// Whether `key` is covered by `pattern`: segment by segment, `*` matching any one segment, and a key under a
/// covered key (a list item, a map entry) covered too.
fn covers(pattern: &str, key: &str) -> bool {
    let pat: Vec<&str> = pattern.split('.').collect();
    let segs: Vec<&str> = key.split('.').collect();
    segs.len() >= pat.len() && pat.iter().zip(&segs).all(|(p, s)| *p == "*" || p == s)
}

impl Drafted {
    /// Reads `locales/drafted.yaml`; an empty list when there is none.
    pub fn load(root: &Path) -> Result<Drafted, Diagnostic> {
        let rel = PathBuf::from(FILE);
        if !root.join(&rel).is_file() {
            return Ok(Drafted::default());
        }
        let entries: Vec<Entry> = read_text(root, &rel).and_then(|t| parse_yaml(&rel, &t))?;
        Ok(Drafted { entries })
    }

    /// The entry that covers a key, if the key is drafted.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| covers(&e.key.value, key))
    }

    /// Errors for entries that cover no en-US key (a typo would leave a drafted text unmarked).
    pub fn check(&self, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
        let mut report = Report::default();
        let Some(reference) = locales.get(REFERENCE) else { return report };
        for e in &self.entries {
            if !reference.nodes.keys().any(|k| covers(&e.key.value, k)) {
                report.push(
                    Diagnostic::error(sloc(Path::new(FILE), &e.key), format!("`{}` names no en-US text", e.key.value))
                        .with_hint("check the key against locales/en-US/; `*` stands for one segment"),
                );
            }
        }
        report
    }

    /// What a final build refuses: every drafted text not approved.
    pub fn unapproved(&self) -> Report {
        let mut report = Report::default();
        for e in self.entries.iter().filter(|e| !e.approved) {
            report.push(
                Diagnostic::error(
                    sloc(Path::new(FILE), &e.key),
                    format!("drafted text `{}` is not approved ({})", e.key.value, e.why),
                )
                .with_hint("a final build publishes only the update's words and approved drafts: read it in every locale, then set `approved: true`")
                .about_key(crate::diag::Kind::Drafted, &e.key.value),
            );
        }
        report
    }

    /// Lines for `check --i18n`: each drafted text with whether it is approved.
    pub fn listing(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "drafted texts ({} of {} approved; {FILE}):",
            self.entries.iter().filter(|e| e.approved).count(),
            self.entries.len()
        )];
        for e in &self.entries {
            let state = if e.approved { "approved" } else { "to approve" };
            lines.push(format!("  {:<10} {:<44} {}", state, e.key.value, e.why));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_cover_keys_segment_by_segment() {
        assert!(covers("audiences.*.opening", "audiences.general.opening"));
        assert!(!covers("audiences.*.opening", "audiences.general.cover_line"));
        assert!(covers("brief-food-security.should_do", "brief-food-security.should_do.points.2"));
        assert!(!covers("brief-food-security.should_do.points", "brief-food-security.should_do"));
        assert!(!covers("executive-summary.goals.*.indicators", "executive-summary.goals.1.title"));
    }
}
