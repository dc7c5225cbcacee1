//! The cards of the review site: one per document × locale × audience, with its pages, the changes it shows, the
//! sentences to re-read, its draft warnings and its charts; grouped by document and audience so the locales of one
//! document sit side by side.

use std::collections::BTreeMap;

use serde::Serialize;

use super::old::PageChanges;
use super::stale::StaleTexts;
use super::thumbs::{Info, Meta, page_dir};
use crate::diff::{Change, Comparison, ItemKind};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::project::{JobId, Project};

/// One page of a card.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// 1-based page number.
    pub n: usize,
    /// Thumbnail, relative to the site.
    pub thumb: String,
    /// Where a click on the thumbnail goes: the full-size image of a changed page, else the page in the PDF.
    pub full: String,
    /// The old edition's image of the page, when it changed.
    pub old: Option<String>,
    /// Whether it looks different from the old edition's (or is new).
    pub changed: bool,
}

/// A run of words of a changed text (its serde name is how the page marks it: `same`, `del`, `ins`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Run {
    /// In both the old and the new text.
    Same,
    /// Only in the old text.
    Del,
    /// Only in the new text.
    Ins,
}

/// One change a card shows, as `diff` writes it.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// Fact, point, source or text.
    pub kind: ItemKind,
    /// The line `diff` prints for it.
    pub line: String,
    /// For a text: the old and new words, as runs of (same, deleted or inserted, text).
    pub words: Vec<(Run, String)>,
}

/// A sentence to re-read on a card.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceView {
    /// The changed fact.
    pub fact: String,
    /// Locale key and where it is written.
    pub key: String,
    /// `file:line`.
    pub at: String,
    /// With the old figure.
    pub old: String,
    /// With the new figure.
    pub new: String,
    /// Both, as runs of (same, deleted or inserted, text): the figure that changed is marked.
    pub words: Vec<(Run, String)>,
}

/// What a card's draft warning is about (its serde name is the page's CSS class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WarningKind {
    /// A figure the seed does not state.
    Provisional,
    /// A warning from Typst.
    Typst,
    /// A translation whose en-US text changed since it was translated.
    Stale,
}

/// A draft warning.
#[derive(Debug, Clone, Serialize)]
pub struct WarningView {
    /// What it is about.
    pub kind: WarningKind,
    /// What to look at.
    pub text: String,
}

/// A chart a card places, with its files.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// Chart id.
    pub id: String,
    /// Title in the card's locale.
    pub title: String,
    /// SVG, relative to the site.
    pub svg: String,
    /// CSV of its data.
    pub csv: String,
}

/// One document in one locale for one audience.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    /// Document id.
    pub document: DocumentId,
    /// Locale tag.
    pub locale: LocaleTag,
    /// Audience id.
    pub audience: AudienceId,
    /// `<locale>/<audience>/<document>`: the key of its review decision.
    pub key: String,
    /// The PDF, relative to the site.
    pub pdf: String,
    /// SHA-256 of the PDF (a decision is about this build of it).
    pub sha256: String,
    /// Its pages.
    pub pages: Vec<PageView>,
    /// Whether it shows a change since the old edition (or a page of it changed).
    pub changed: bool,
    /// The changes it shows.
    pub changes: Vec<ChangeView>,
    /// Pages that changed, as a list for the card (`2, 3`), empty when none.
    pub changed_pages: String,
    /// Whether the old edition had this document.
    pub existed: bool,
    /// Sentences that hold a changed figure.
    pub sentences: Vec<SentenceView>,
    /// Draft warnings.
    pub warnings: Vec<WarningView>,
    /// Charts it places.
    pub charts: Vec<ChartView>,
}

/// The cards of one document and audience, one per locale.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Document id.
    pub document: DocumentId,
    /// Audience id.
    pub audience: AudienceId,
    /// Whether any card of the group changed.
    pub changed: bool,
    /// The cards, in the audience's locale order.
    pub cards: Vec<Card>,
}

/// Everything a card is made from.
pub struct Sources<'a> {
    /// The new project.
    pub project: &'a Project,
    /// Page metadata and what each document used.
    pub docs: &'a BTreeMap<JobId, (Meta, Info)>,
    /// The PDFs' hashes from the manifest.
    pub sha: &'a BTreeMap<String, String>,
    /// The comparison with the old edition, with `--since`.
    pub since: Option<&'a Comparison>,
    /// Page changes, with `--since`.
    pub pages: &'a BTreeMap<JobId, PageChanges>,
    /// Stale translations.
    pub stale: &'a StaleTexts,
}

/// Whether a change is shown by a card.
fn shows(c: &Change, job: &JobId) -> bool {
    c.locale.as_ref().is_none_or(|l| *l == job.locale)
        && c.documents.iter().any(|s| s.document == job.document && s.audiences.contains(&job.audience))
}

/// A change as `diff` writes it.
pub fn change_line(c: &Change) -> String {
    crate::diff::change_line(c, c.locale.as_deref().unwrap_or(""))
}

/// The words of a changed text as runs of unchanged, deleted and inserted words.
pub fn word_runs(old: &str, new: &str) -> Vec<(Run, String)> {
    let diff = similar::TextDiff::from_words(old, new);
    let mut runs: Vec<(Run, String)> = Vec::new();
    for ch in diff.iter_all_changes() {
        let tag = match ch.tag() {
            similar::ChangeTag::Equal => Run::Same,
            similar::ChangeTag::Delete => Run::Del,
            similar::ChangeTag::Insert => Run::Ins,
        };
        match runs.last_mut() {
            Some((t, text)) if *t == tag => text.push_str(ch.value()),
            _ => runs.push((tag, ch.value().to_string())),
        }
    }
    runs
}

/// One card.
fn card(job: &JobId, meta: &Meta, info: &Info, src: &Sources) -> Card {
    let rel = job.rel_path();
    let dir = page_dir(job);
    let pc = src.pages.get(job);
    let pages: Vec<PageView> = (1..=meta.pages.len())
        .map(|n| PageView {
            n,
            thumb: format!("{dir}/{n}-thumb.png"),
            // A changed page has its image beside the old one; any other opens in the PDF.
            full: if pc.is_some_and(|p| p.images && p.changed.contains(&n)) {
                format!("{dir}/{n}.png")
            } else {
                format!("pdf/{rel}#page={n}")
            },
            old: pc.filter(|p| p.with_old.contains(&n)).map(|_| format!("{dir}/{n}-old.png")),
            changed: pc.is_some_and(|p| p.changed.contains(&n)),
        })
        .collect();
    let mut changes = Vec::new();
    let mut sentences = Vec::new();
    if let Some(cmp) = src.since {
        for c in cmp.diff.changes.iter().filter(|c| shows(c, job)) {
            let words = match (c.kind, &c.old, &c.new) {
                (ItemKind::Text, Some(o), Some(n)) => word_runs(o, n),
                _ => Vec::new(),
            };
            changes.push(ChangeView { kind: c.kind, line: change_line(c), words });
        }
        for s in cmp.diff.sentences.iter().flatten() {
            let shown = s.documents.iter().any(|d| d.document == job.document && d.audiences.contains(&job.audience));
            if s.locale == job.locale && shown {
                sentences.push(SentenceView {
                    fact: s.fact.clone(),
                    key: s.key.clone(),
                    at: s.at.clone(),
                    old: s.old.clone(),
                    new: s.new.clone(),
                    words: word_runs(&s.old, &s.new),
                });
            }
        }
    }
    let mut warnings = Vec::new();
    for id in &info.provisional {
        let note = src.project.model.facts.get(id).and_then(|f| f.provisional.clone()).unwrap_or_default();
        warnings.push(WarningView { kind: WarningKind::Provisional, text: format!("provisional figure {id}: {note}") });
    }
    for w in &meta.warnings {
        warnings.push(WarningView { kind: WarningKind::Typst, text: format!("Typst warning: {w}") });
    }
    for key in src.stale.of(&job.locale, &info.keys) {
        warnings.push(WarningView {
            kind: WarningKind::Stale,
            text: format!("stale translation {key}: the en-US text changed since it was translated"),
        });
    }
    let chart_words = src.project.charts.get(&job.locale);
    let charts = info
        .charts
        .iter()
        .map(|id| ChartView {
            id: id.clone(),
            title: chart_words.and_then(|c| c.get(id)).map(|c| c.chart_ref.title.clone()).unwrap_or_default(),
            svg: format!("charts/{}/{id}.svg", job.locale),
            csv: format!("charts/{}/{id}.csv", job.locale),
        })
        .collect();
    let changed_pages: Vec<String> = pages.iter().filter(|p| p.changed).map(|p| p.n.to_string()).collect();
    Card {
        document: job.document.clone(),
        locale: job.locale.clone(),
        audience: job.audience.clone(),
        key: format!("{}/{}/{}", job.locale, job.audience, job.document),
        pdf: format!("pdf/{rel}"),
        sha256: src.sha.get(&rel).cloned().unwrap_or_default(),
        changed: !changes.is_empty() || !changed_pages.is_empty(),
        changes,
        changed_pages: changed_pages.join(", "),
        existed: pc.is_none_or(|p| p.existed),
        pages,
        sentences,
        warnings,
        charts,
    }
}

/// The cards of the given jobs, grouped by document and audience in matrix order (documents as declared).
pub fn groups(jobs: &[JobId], src: &Sources) -> Vec<Group> {
    let doc_rank = |d: &str| src.project.model.documents.iter().position(|x| x.id == d).unwrap_or(usize::MAX);
    let aud_rank = |a: &str| src.project.model.audiences.iter().position(|x| x.id == a).unwrap_or(usize::MAX);
    let mut by: BTreeMap<(usize, DocumentId, usize, AudienceId), Vec<Card>> = BTreeMap::new();
    for job in jobs {
        let Some((meta, info)) = src.docs.get(job) else { continue };
        let k = (doc_rank(&job.document), job.document.clone(), aud_rank(&job.audience), job.audience.clone());
        by.entry(k).or_default().push(card(job, meta, info, src));
    }
    by.into_iter()
        .map(|((_, document, _, audience), cards)| Group {
            changed: cards.iter().any(|c| c.changed),
            document,
            audience,
            cards,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page marks runs and warnings by these names (index.html.j2 and its style sheet).
    #[test]
    fn runs_and_warnings_serialize_as_the_page_names_them() {
        let names = |v: serde_json::Value| {
            v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect::<Vec<_>>()
        };
        assert_eq!(names(serde_json::json!([Run::Same, Run::Del, Run::Ins])), ["same", "del", "ins"]);
        let kinds = serde_json::json!([WarningKind::Provisional, WarningKind::Typst, WarningKind::Stale]);
        assert_eq!(names(kinds), ["provisional", "typst", "stale"]);
    }

    #[test]
    fn changed_words_are_runs_of_deleted_and_inserted_words() {
        let runs = word_runs("with over {a} in 2025.", "with nearly {a} in 2026.");
        let dels: Vec<&str> = runs.iter().filter(|(t, _)| *t == Run::Del).map(|(_, w)| w.as_str()).collect();
        let ins: Vec<&str> = runs.iter().filter(|(t, _)| *t == Run::Ins).map(|(_, w)| w.trim()).collect();
        assert!(dels.iter().any(|w| w.contains("over")) && dels.iter().any(|w| w.contains("2025.")), "{runs:?}");
        assert_eq!(ins.iter().filter(|w| !w.is_empty()).copied().collect::<Vec<_>>(), vec!["nearly", "2026."]);
        let same: String = runs.iter().filter(|(t, _)| *t != Run::Ins).map(|(_, w)| w.as_str()).collect();
        assert_eq!(same, "with over {a} in 2025.", "old text is the same and deleted runs");
    }
}
