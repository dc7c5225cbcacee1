//! Writing the review site: the PDFs and charts (SVG and CSV) copied in, then `index.html` last. Everything is a
//! relative file under the site folder, with the style sheet and script inline, so the site works from `file://`,
//! loads nothing remote and can be zipped.

use std::collections::BTreeSet;
use std::path::Path;

use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::cards::Group;
use crate::diff::Comparison;
use crate::ids::LocaleTag;
use crate::output::write_atomic;
use crate::project::{JobId, Project};

/// The page template.
const INDEX: &str = include_str!("assets/index.html.j2");
/// The style sheet, inlined.
const CSS: &str = include_str!("assets/site.css");
/// The script (filters, decisions), inlined.
const JS: &str = include_str!("assets/site.js");

/// A change in the site's list of all changes.
#[derive(Serialize)]
struct ChangeLine {
    /// As `diff` writes it.
    line: String,
    /// The documents that show it.
    shown: String,
}

/// A chart in the site's chart section.
#[derive(Serialize)]
struct ChartFile {
    /// Title in the locale.
    title: String,
    /// SVG, relative.
    svg: String,
    /// CSV, relative.
    csv: String,
}

/// The charts of one locale.
#[derive(Serialize)]
struct ChartLocale {
    /// Locale tag.
    locale: LocaleTag,
    /// Its charts.
    charts: Vec<ChartFile>,
}

/// Copies a file into the site: a hard link where possible (the build replaces PDFs by renaming, so the link keeps
/// this build's bytes), else a copy.
fn place(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("failed to create folder {} ({e})", dir.display()))?;
    }
    let _ = std::fs::remove_file(to);
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let bytes = std::fs::read(from).map_err(|e| format!("failed to read {} ({e})", from.display()))?;
    write_atomic(to, &bytes)
}

/// Writes the PDFs of the jobs and the charts of their locales under the site.
pub fn copy_files(project: &Project, jobs: &[JobId], out: &Path, site: &Path) -> Result<usize, String> {
    for job in jobs {
        let rel = job.rel_path();
        place(&out.join(&rel), &site.join("pdf").join(&rel))?;
    }
    let locales: BTreeSet<&str> = jobs.iter().map(|j| j.locale.as_str()).collect();
    let mut charts = 0;
    for l in locales {
        for c in project.charts.get(l).map(|m| m.values().collect::<Vec<_>>()).unwrap_or_default() {
            let base = site.join("charts").join(l).join(&c.id);
            write_atomic(&base.with_extension("svg"), c.svg.as_bytes())?;
            let table = crate::charts::to_csv(c).map_err(|e| format!("chart `{}`: {e}", c.id))?;
            write_atomic(&base.with_extension("csv"), &table)?;
            charts += 1;
        }
    }
    Ok(charts)
}

/// The page, rendered.
pub fn index(
    project: &Project,
    jobs: &[JobId],
    groups: &[Group],
    since: Option<&Comparison>,
) -> Result<String, String> {
    let mut env = Environment::new();
    env.add_template("index.html", INDEX).map_err(|e| format!("review page template: {e}"))?;
    let cards: Vec<_> = groups.iter().flat_map(|g| &g.cards).collect();
    let pages: usize = cards.iter().map(|c| c.pages.len()).sum();
    let locales: BTreeSet<&str> = jobs.iter().map(|j| j.locale.as_str()).collect();
    let mut audiences: Vec<&str> = Vec::new();
    let mut documents: Vec<&str> = Vec::new();
    for g in groups {
        if !audiences.contains(&g.audience.as_str()) {
            audiences.push(&g.audience);
        }
        if !documents.contains(&g.document.as_str()) {
            documents.push(&g.document);
        }
    }
    let chart_locales: Vec<ChartLocale> = locales
        .iter()
        .map(|l| ChartLocale {
            locale: LocaleTag::from(*l),
            charts: project
                .charts
                .get(*l)
                .map(|m| {
                    m.values()
                        .map(|c| ChartFile {
                            title: c.chart_ref.title.clone(),
                            svg: format!("charts/{l}/{}.svg", c.id),
                            csv: format!("charts/{l}/{}.csv", c.id),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let changes: Vec<ChangeLine> = since
        .map(|s| {
            s.diff
                .changes
                .iter()
                .map(|c| ChangeLine { line: super::cards::change_line(c), shown: crate::diff::shown_text(c) })
                .collect()
        })
        .unwrap_or_default();
    let sentences: Vec<super::cards::SentenceView> = since
        .and_then(|s| s.diff.sentences.as_ref())
        .map(|all| {
            all.iter()
                .map(|s| super::cards::SentenceView {
                    fact: s.fact.clone(),
                    key: format!("{} · {}", s.locale, s.key),
                    at: s.at.clone(),
                    old: s.old.clone(),
                    new: s.new.clone(),
                    words: super::cards::word_runs(&s.old, &s.new),
                })
                .collect()
        })
        .unwrap_or_default();
    let ctx = context! {
        version => env!("CARGO_PKG_VERSION"),
        title => project.model.edition.title.clone(),
        edition => project.model.edition.id.clone(),
        css => Value::from_safe_string(CSS.to_string()),
        js => Value::from_safe_string(JS.to_string()),
        cards => cards.len(),
        pages => pages,
        changed => cards.iter().filter(|c| c.changed).count(),
        warned => cards.iter().filter(|c| !c.warnings.is_empty()).count(),
        since => since.map(|s| s.old_label.clone()),
        old_edition => since.map(|s| s.diff.old_edition.clone()),
        changes => changes,
        sentences => sentences,
        locales => locales.into_iter().collect::<Vec<_>>(),
        audiences => audiences,
        documents => documents,
        groups => groups,
        chart_locales => chart_locales,
    };
    let tmpl = env.get_template("index.html").map_err(|e| format!("review page template: {e}"))?;
    tmpl.render(ctx).map_err(|e| format!("review page template: {e}"))
}
