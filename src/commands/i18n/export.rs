//! `briefs i18n export`: one XLIFF 2.0 file with every en-US text as a unit and the locale's text as its target.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{is_optional, load_pair, statuses};
use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::LocaleTag;
use crate::locale::fingerprint::{Status, Why};
use crate::locale::{Locale, REFERENCE, keys};
use crate::model::Model;
use crate::output::Batch;
use crate::project::{JobId, LoadOptions, Project, Selection};
use crate::xliff::write::{self, Document, File, Unit};

/// Which units an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Only {
    /// Every text.
    All,
    /// Texts the locale lacks or has not translated.
    Missing,
    /// Texts whose en-US words changed since they were translated.
    Stale,
}

/// Settings of an export.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    /// Project root.
    pub root: PathBuf,
    /// The target locale.
    pub locale: LocaleTag,
    /// The XLIFF file to write.
    pub out: PathBuf,
    /// Which units.
    pub only: Only,
}

/// What an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    /// Units written.
    pub units: usize,
    /// Units per state.
    pub states: BTreeMap<&'static str, usize>,
    /// Size of the file in bytes.
    pub bytes: usize,
}

/// For each locale key, the documents (with their audiences) that show it in this locale, as a note.
///
/// Rendered with the en-US words, so a locale that lacks keys still gets its notes; `None` when the project
/// does not load (the export then goes without these notes).
fn usage(root: &Path, tag: &str) -> Option<BTreeMap<String, String>> {
    let project = Project::load(root, LoadOptions { lenient_translations: true, ..LoadOptions::default() }).ok()?;
    let jobs = project.jobs(&Selection { locales: vec![LocaleTag::from(tag)], ..Selection::default() }).ok()?;
    let mut shown: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    // A meeting pack shows its documents' texts too: it is named only for its own (`pack.*`), so packs come last.
    let is_pack = |job: &JobId| project.model.document(&job.document).is_some_and(|d| d.is_pack());
    let (packs, documents): (Vec<&JobId>, Vec<&JobId>) = jobs.iter().partition(|j| is_pack(j));
    for job in documents.into_iter().chain(packs) {
        let en = JobId { locale: LocaleTag::from(REFERENCE), ..job.clone() };
        let Ok(r) = project.render(&en, true) else { continue };
        for key in r.keys {
            if is_pack(job) && shown.get(&key).is_some_and(|docs| docs.keys().any(|d| d != &job.document)) {
                continue;
            }
            shown.entry(key).or_default().entry(job.document.to_string()).or_default().insert(job.audience.to_string());
        }
    }
    let mut charts: BTreeMap<String, String> = BTreeMap::new();
    for (id, chart) in &project.model.charts {
        charts.insert(format!("charts.{id}"), format!("the chart {id}"));
        for s in chart.series.iter().filter_map(|s| project.model.series.get(&s.value)) {
            for p in &s.points {
                charts
                    .entry(format!("labels.{}", p.label.value))
                    .or_insert_with(|| format!("a label of the chart {id}"));
            }
        }
    }
    let reference = project.locales.get(REFERENCE)?;
    let mut out = BTreeMap::new();
    for key in reference.keys.keys() {
        let mut docs: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
        for (used, by_doc) in &shown {
            if keys::is_under(key, used) {
                for (d, auds) in by_doc {
                    docs.entry(d).or_default().extend(auds);
                }
            }
        }
        let chart = charts.iter().find(|(k, _)| keys::is_under(key, k)).map(|(_, v)| v);
        let mut parts: Vec<String> = docs
            .iter()
            .map(|(d, auds)| format!("{d} ({})", auds.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(", ")))
            .collect();
        if let Some(c) = chart {
            parts.push(c.clone());
        }
        let note = if parts.is_empty() {
            format!("Shown in no {tag} document of this edition.")
        } else {
            format!("Shown in: {}.", parts.join("; "))
        };
        out.insert(key.clone(), note);
    }
    Some(out)
}

/// The figure or citation each placeholder shows in the target locale, for `disp`.
fn displays(model: &Model, loc: &Locale) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, fact) in &model.facts {
        out.insert(format!("{{{id}}}"), loc.format_fact(fact, false).replace('\u{a0}', " "));
        out.insert(format!("{{{id}|abs}}"), loc.format_fact(fact, true).replace('\u{a0}', " "));
    }
    let and = loc.keys.get(crate::locale::keys::AND).map_or("and", String::as_str);
    for id in model.sources.keys().chain(model.facts.keys()) {
        if let Some((cite, _)) = crate::citation::cite(model, loc, id, and) {
            out.insert(format!("{{{id}|cite}}"), cite.replace('\u{a0}', " "));
        }
    }
    out
}

/// Builds the document: one file per en-US file, its texts in file order, filtered by `only`.
pub fn build(cfg: &ExportConfig) -> Result<Document, Report> {
    let (reference, loc) = load_pair(&cfg.root, &cfg.locale)?;
    let mut report = Report::default();
    let tags = crate::locale::available(&cfg.root);
    let model = Model::load(&cfg.root, &tags).map_err(|r| report.extend(r)).ok();
    // Texts that break the grammar cannot become inline codes: fix them first (as `check` asks).
    for l in [&reference, &loc] {
        for (key, text) in &l.keys {
            for (problem, offset) in crate::placeholder::problems(text) {
                let at = l.spans.loc(key, offset).unwrap_or_else(|| l.key_loc(key));
                report.push(
                    Diagnostic::error(at, format!("`{key}` in {} has {problem}", l.tag)).with_hint(problem.hint()),
                );
            }
        }
    }
    let Some(model) = model.filter(|_| !report.has_errors()) else { return Err(report) };
    let notes = usage(&cfg.root, &cfg.locale).unwrap_or_default();
    let status = statuses(&reference, &loc, loc.store.as_ref());
    let mut files = Vec::new();
    for (stem, keys) in reference.spans.order() {
        let mut units = Vec::new();
        for key in keys.iter().filter(|k| !is_optional(k)) {
            let (Some(en), Some(st)) = (reference.keys.get(key), status.get(key)) else { continue };
            let keep = match cfg.only {
                Only::All => true,
                Only::Missing => matches!(st, Status::Missing | Status::Untranslated(_)),
                Only::Stale => matches!(st, Status::Stale(_)),
            };
            if !keep {
                continue;
            }
            let mut unit_notes = Vec::new();
            if let Some(n) = notes.get(key) {
                unit_notes.push(("location", n.clone()));
            }
            let state = match st {
                Status::Current(s) => s.name(),
                Status::Stale(previous) => {
                    unit_notes.push((
                        "stale",
                        format!("The en-US text changed since this was translated. Previous en-US text: {previous}"),
                    ));
                    "initial"
                }
                Status::Untranslated(Why::OtherLocale(other)) => {
                    unit_notes.push(("untranslated", format!("Copied from the {other} locale, not yet translated.")));
                    "initial"
                }
                _ => "initial",
            };
            units.push(Unit {
                key: key.clone(),
                source: en.clone(),
                target: loc.keys.get(key).cloned(),
                state,
                notes: unit_notes,
            });
        }
        if !units.is_empty() {
            files.push(File { id: stem.clone(), original: format!("locales/{}/{stem}.yaml", loc.tag), units });
        }
    }
    Ok(Document { trg_lang: loc.tag.clone(), files, disp: displays(&model, &loc) })
}

/// Writes the export atomically and says what it holds.
pub fn run(cfg: &ExportConfig) -> Result<ExportSummary, Report> {
    let doc = build(cfg)?;
    let text = write::document(&doc).map_err(|e| {
        Diagnostic::error(Loc::file(cfg.out.display().to_string()), format!("failed to write XLIFF ({e})"))
    })?;
    let mut batch = Batch::new();
    batch.stage(&cfg.out, text.as_bytes())?;
    batch.commit()?;
    let mut states = BTreeMap::new();
    for u in doc.files.iter().flat_map(|f| &f.units) {
        *states.entry(u.state).or_insert(0) += 1;
    }
    Ok(ExportSummary { units: states.values().sum(), states, bytes: text.len() })
}
