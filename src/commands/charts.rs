//! `briefs charts`: every chart standalone as SVG and PNG per locale, for slides, with its data as CSV (a big number,
//! which Typst sets in the documents, as CSV only).

use std::path::{Path, PathBuf};

use super::{Failure, Output};
use crate::charts::{ChartOut, svg_to_png};
use crate::diag::{Diagnostic, Loc, Report};
use crate::output::write_atomic;
use crate::project::{LoadOptions, Project};

/// Writes `OUT/charts/<locale>/<id>.svg`, `.png` and `.csv`.
pub fn run(root: &Path, out: &Path, locales: &[String]) -> Result<Output, Failure> {
    let written = write_all(root, out, locales)?;
    let line = format!("wrote {} chart files under {}", written.len(), out.join("charts").display());
    Ok(Output { summary: vec![line], ..Output::default() })
}

/// Writes every chart; returns the paths written.
fn write_all(root: &Path, out: &Path, locales: &[String]) -> Result<Vec<PathBuf>, Report> {
    let project = Project::load(root, LoadOptions::default())?;
    let mut report = Report::default();
    for l in locales {
        if !project.locales.contains_key(l) {
            report.push(
                Diagnostic::plain(format!("unknown locale `{l}` in --locale"))
                    .with_hint(format!("known: {}", project.locales.keys().cloned().collect::<Vec<_>>().join(", "))),
            );
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let mut written = Vec::new();
    for (tag, charts) in &project.charts {
        if !locales.is_empty() && !locales.contains(tag) {
            continue;
        }
        for c in charts.values() {
            let id = &c.id;
            let base = out.join("charts").join(tag).join(id);
            let svg = base.with_extension("svg");
            let png = base.with_extension("png");
            let csv_path = base.with_extension("csv");
            let chart_error = |e: String| {
                Report::from(Diagnostic::error(Loc::file("data/charts.yaml"), format!("chart `{id}`: {e}")))
            };
            let table = csv(c).map_err(chart_error)?;
            let mut files = vec![(&csv_path, table)];
            // A big number is set by Typst in the documents: its data only.
            if !c.svg.is_empty() {
                files.push((&png, svg_to_png(&c.svg, &project.base.fonts).map_err(chart_error)?));
                files.push((&svg, c.svg.as_bytes().to_vec()));
            }
            for (path, data) in files {
                write_atomic(path, &data)
                    .map_err(|e| Report::from(Diagnostic::error(Loc::file(path.display().to_string()), e)))?;
                written.push(path.clone());
            }
        }
    }
    Ok(written)
}

/// A chart's data as CSV (RFC 4180, UTF-8), one row per value: `chart, series, series_name, category,
/// category_name, value, unit, provisional`. Values are plain numbers in the unit of data/ (`296200000000` for
/// USD 296.2 billion, `32.7` for 32.7 %); names are the locale's words.
pub fn csv(chart: &ChartOut) -> Result<Vec<u8>, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| format!("failed to write its data as CSV ({e})");
    w.write_record(["chart", "series", "series_name", "category", "category_name", "value", "unit", "provisional"])
        .map_err(fail)?;
    let t = &chart.table;
    for s in &t.series {
        for (key, label, v, p) in &s.rows {
            let p = if *p { "true" } else { "false" };
            w.write_record([chart.id.as_str(), &s.id, &s.name, key, label, &v.to_string(), t.unit, p]).map_err(fail)?;
        }
    }
    w.into_inner().map_err(|e| format!("failed to write its data as CSV ({e})"))
}
