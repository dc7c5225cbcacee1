//! `briefs check`: validate data, locales and templates, render every document and parse its Typst, without writing PDFs.

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Report, Severity};
use crate::locale::REFERENCE;
use crate::project::{HOUSE, Project, Selection};
use crate::typeset;

/// Checked settings of a check run.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Project root.
    pub root: PathBuf,
    /// Treat provisional figures and warnings as errors.
    pub final_build: bool,
    /// Print a translation coverage table.
    pub i18n: bool,
}

/// What a successful check found.
#[derive(Debug, Default)]
pub struct CheckSummary {
    /// Documents rendered and parsed.
    pub documents: usize,
    /// Warnings (unused keys and the like).
    pub warnings: Report,
    /// Coverage table lines, when asked.
    pub coverage: Vec<String>,
}

/// Runs every check; the report lists every problem found.
pub fn run(cfg: &CheckConfig) -> Result<CheckSummary, Report> {
    let project = Project::load_with(&cfg.root, cfg.final_build)?;
    inspect(&project, cfg)
}

/// Checks a loaded project: renders every document of the full matrix and parses its Typst (and the
/// layout's), then looks for unused keys. With `final_build`, every warning is an error: `build --final`
/// runs this before typesetting anything.
pub fn inspect(project: &Project, cfg: &CheckConfig) -> Result<CheckSummary, Report> {
    let jobs = project.jobs(&Selection::default())?;
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let r = project.render(job, !cfg.final_build, None)?;
            let main = format!("{}/{}/{}.typ", job.locale, job.audience, job.document);
            let rep = typeset::syntax_errors(
                &format!("<generated Typst for {}>", job.label()),
                &r.source,
                &format!("run `briefs build --emit-typst DIR` and look at DIR/{main}"),
            );
            if rep.has_errors() { Err(rep) } else { Ok(r.keys) }
        })
        .collect();
    let mut report = project.warnings.clone();
    report.extend(typeset::syntax_errors(HOUSE, &project.house, &format!("fix {HOUSE} at this place")));
    let mut used = BTreeSet::new();
    let mut all_rendered = true;
    for r in results {
        match r {
            Ok(keys) => used.extend(keys),
            Err(e) => {
                all_rendered = false;
                report.extend(e);
            }
        }
    }
    used.extend(chart_keys(project));
    used.extend(crate::render::TOOL_KEYS.map(String::from));
    // Keys look unused when a document failed to render; report the failure only.
    if let Some(reference) = project.locales.get(REFERENCE).filter(|_| all_rendered) {
        for key in reference.keys.keys() {
            let used_here = used.iter().any(|u| key == u || key.starts_with(&format!("{u}.")));
            if !used_here {
                report.push(
                    Diagnostic::warning(reference.key_loc(key), format!("key `{key}` is used by no template"))
                        .with_hint("delete it, or use it in a template"),
                );
            }
        }
    }
    if cfg.final_build {
        for d in &mut report.items {
            d.severity = Severity::Error;
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let mut coverage = Vec::new();
    if cfg.i18n
        && let Some(reference) = project.locales.get(REFERENCE)
    {
        let total = reference.keys.len();
        coverage.push(format!("{:<8} {:>6} {:>6} {:>7}", "locale", "keys", "of", "cover"));
        for (tag, l) in &project.locales {
            let have = reference.keys.keys().filter(|k| l.keys.contains_key(*k)).count();
            let pct = if total == 0 { 100.0 } else { have as f64 * 100.0 / total as f64 };
            coverage.push(format!("{tag:<8} {have:>6} {total:>6} {pct:>6.1}%"));
        }
    }
    Ok(CheckSummary { documents: jobs.len(), warnings: report, coverage })
}

/// Locale keys the chart renderer reads: titles, legends, periods, kinds and point labels.
fn chart_keys(project: &Project) -> BTreeSet<String> {
    let m = &project.model;
    let mut keys: BTreeSet<String> = ["chart-text.kinds", "chart-text.provisional"].map(String::from).into();
    for (id, chart) in &m.charts {
        keys.insert(format!("charts.{id}"));
        keys.insert(format!("chart-text.periods.{id}"));
        for s in chart.series.iter().filter_map(|s| m.series.get(&s.value)) {
            keys.extend(s.points.iter().map(|p| format!("labels.{}", p.label.value)));
        }
    }
    keys
}
