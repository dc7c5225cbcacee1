//! Chart words a locale needs: those of the charts its documents place. A chart placed only by a document no
//! audience shows in a locale (a new brief drafted in English first) needs no words there, and the locale's other
//! charts are drawn without it. Which document places which chart is known by rendering the documents in en-US,
//! done only when a locale lacks chart words.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::diag::{Kind, Report, Severity};
use crate::ids::DocumentId;
use crate::locale::needs::Needs;
use crate::model::Model;
use crate::render::Inputs;

/// The charts a chart-words key belongs to: `charts.<id>.*` to one chart,
/// `labels.<label>` to every chart whose series have a point with that label; `None` for any other key.
fn charts_of_key(model: &Model, key: &str) -> Option<BTreeSet<String>> {
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["charts", id, ..] if model.charts.contains_key(*id) => Some(BTreeSet::from([id.to_string()])),
        ["labels", label] => {
            let has = |c: &crate::model::Chart| {
                c.series
                    .iter()
                    .filter_map(|s| model.series.get(&s.value))
                    .any(|s| s.points.iter().any(|p| p.label.value == *label))
            };
            let charts: BTreeSet<String> =
                model.charts.values().filter(|c| has(c)).map(|c| c.id.value.clone()).collect();
            (!charts.is_empty()).then_some(charts)
        }
        _ => None,
    }
}

/// Whether a locale lacks chart words (a missing text that is a chart's words).
pub fn lacks_chart_words(model: &Model, report: &Report, tag: &str) -> bool {
    report.items.iter().any(|d| {
        d.severity == Severity::Error
            && d.about.kind == Some(Kind::MissingText)
            && d.about.locale.as_deref() == Some(tag)
            && d.about.key.as_deref().is_some_and(|k| charts_of_key(model, k).is_some())
    })
}

/// The charts each document places, from one en-US draft render of it (for the first audience that shows it).
pub fn placements(model: &Model, en: &Inputs) -> BTreeMap<DocumentId, BTreeSet<String>> {
    let mut firsts: Vec<(&crate::model::DocumentDef, &crate::model::Audience)> = Vec::new();
    for a in &model.audiences {
        for id in model.audience_documents(a) {
            if let Some(doc) = model.document(&id).filter(|d| !d.is_pack() && !firsts.iter().any(|(f, _)| f.id == id)) {
                firsts.push((doc, a));
            }
        }
    }
    firsts
        .par_iter()
        .filter_map(|(doc, a)| {
            let r = crate::render::render(en, doc, a, true).ok()?;
            Some((doc.id.clone(), r.charts.into_iter().collect()))
        })
        .collect()
}

/// The charts a locale's documents place.
pub fn needed(needs: &Needs, placed: &BTreeMap<DocumentId, BTreeSet<String>>, tag: &str) -> BTreeSet<String> {
    needs.documents(tag).into_iter().flatten().filter_map(|d| placed.get(d)).flatten().cloned().collect()
}

/// Drops a locale's missing-text errors about the words of charts it does not need.
pub fn drop_unneeded(model: &Model, report: &mut Report, tag: &str, needed: &BTreeSet<String>) {
    report.items.retain(|d| {
        let about_tag = d.about.kind == Some(Kind::MissingText) && d.about.locale.as_deref() == Some(tag);
        let charts = d.about.key.as_deref().and_then(|k| charts_of_key(model, k));
        !(about_tag && charts.is_some_and(|c| c.is_disjoint(needed)))
    });
}

/// The model with only the charts a locale needs, to draw them.
pub fn with_charts(model: &Model, needed: &BTreeSet<String>) -> Model {
    let mut m = model.clone();
    m.charts.retain(|id, _| needed.contains(id));
    m
}
