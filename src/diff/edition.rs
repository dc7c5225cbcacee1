//! One loaded edition, and which documents show each fact, chart and locale text (found by rendering every
//! document of the matrix).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Loc, Report, Severity};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::locale::{Locale, REFERENCE};
use crate::model::Model;
use crate::project::{LoadOptions, Project, Selection};

/// Which (document, audience) pairs show each fact, chart and (locale, key).
#[derive(Default)]
struct Usage {
    /// Documents showing each fact.
    facts: BTreeMap<String, BTreeSet<(DocumentId, AudienceId)>>,
    /// Documents placing each chart.
    charts: BTreeMap<String, BTreeSet<(DocumentId, AudienceId)>>,
    /// Documents reading each (locale, key).
    keys: BTreeMap<(LocaleTag, String), BTreeSet<(DocumentId, AudienceId)>>,
}

/// One loaded edition.
pub(super) struct LoadedEdition {
    /// Its data.
    pub model: Arc<Model>,
    /// Its locales.
    pub locales: BTreeMap<LocaleTag, Arc<Locale>>,
    /// Which documents show what.
    usage: Usage,
    /// Warnings from loading and rendering it.
    pub warnings: Report,
}

impl LoadedEdition {
    /// The documents that show a fact, directly or through a chart of a series that follows it.
    pub(super) fn fact_docs(&self, id: &str) -> BTreeSet<(DocumentId, AudienceId)> {
        let mut out = self.usage.facts.get(id).cloned().unwrap_or_default();
        for s in self.model.series.values() {
            if s.points.iter().any(|p| p.facts().contains(&id)) {
                out.extend(self.series_docs(&s.id.value));
            }
        }
        out
    }

    /// The documents that place a chart drawing a series.
    pub(super) fn series_docs(&self, series: &str) -> BTreeSet<(DocumentId, AudienceId)> {
        let mut out = BTreeSet::new();
        for c in self.model.charts.values() {
            if c.series.iter().any(|s| s.value == series) {
                out.extend(self.usage.charts.get(&c.id.value).cloned().unwrap_or_default());
            }
        }
        out
    }

    /// The documents that cite a source: through a fact they show or a chart they place.
    pub(super) fn source_docs(&self, id: &str) -> BTreeSet<(DocumentId, AudienceId)> {
        let mut out = BTreeSet::new();
        for f in self.model.facts.values() {
            if f.sources.iter().any(|s| s.value == id) {
                out.extend(self.fact_docs(&f.id.value));
            }
        }
        for s in self.model.series.values() {
            if s.sources.iter().any(|x| x.value == id) {
                out.extend(self.series_docs(&s.id.value));
            }
        }
        out
    }

    /// The documents that look up a key or one of its parents (lists and maps read whole) in a locale.
    pub(super) fn key_docs(&self, tag: &str, key: &str) -> BTreeSet<(DocumentId, AudienceId)> {
        let mut out = BTreeSet::new();
        for ((t, k), docs) in &self.usage.keys {
            if t == tag && crate::locale::keys::is_under(key, k) {
                out.extend(docs.iter().cloned());
            }
        }
        out
    }

    /// The en-US locale, which formats every value shown by the diff.
    pub(super) fn en(&self) -> Option<&Arc<Locale>> {
        self.locales.get(REFERENCE)
    }

    /// Where an id is declared, as `file:line`.
    pub(super) fn at(&self, id: &str) -> String {
        self.model.origin.get(id).map(line_only).unwrap_or_default()
    }
}

/// A location shown as `file:line`.
pub(super) fn line_only(l: &Loc) -> String {
    Loc::new(l.file.clone(), l.line, 0).to_string()
}

/// Loads one edition and renders every document's Typst to see what it shows (a document that fails to render
/// is a warning: the diff still lists every change).
pub(super) fn load(root: &Path) -> Result<LoadedEdition, Report> {
    let project = Project::load(root, LoadOptions::default())?;
    let jobs = project.jobs(&Selection::default()).unwrap_or_default();
    let results: Vec<_> = jobs.par_iter().map(|job| (job, project.render(job, true))).collect();
    let mut usage = Usage::default();
    let mut warnings = project.problems.clone();
    for (job, r) in results {
        match r {
            Ok(r) => {
                let shown = (job.document.clone(), job.audience.clone());
                for f in r.facts {
                    usage.facts.entry(f).or_default().insert(shown.clone());
                }
                for c in r.charts {
                    usage.charts.entry(c).or_default().insert(shown.clone());
                }
                for k in r.keys {
                    usage.keys.entry((job.locale.clone(), k)).or_default().insert(shown.clone());
                }
            }
            Err(r) => {
                for d in r.items {
                    let d = Diagnostic {
                        severity: Severity::Warning,
                        message: format!("{} (the documents it shows are left out of the lists below)", d.message),
                        ..d
                    };
                    if !warnings.items.iter().any(|w| w.loc == d.loc && w.message == d.message) {
                        warnings.push(d);
                    }
                }
            }
        }
    }
    Ok(LoadedEdition { model: project.model.clone(), locales: project.locales.clone(), usage, warnings })
}
