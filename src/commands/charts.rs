//! `briefs charts`: every chart standalone as SVG and PNG per locale, for slides, with its data as CSV (a big number,
//! which Typst sets in the documents, as CSV only).

use std::path::{Path, PathBuf};

use super::{Failure, Output};
use crate::charts::{svg_to_png, to_csv};
use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::LocaleTag;
use crate::output::write_atomic;
use crate::project::{LoadOptions, Project};

/// Writes `OUT/charts/<locale>/<id>.svg`, `.png` and `.csv`.
pub fn run(root: &Path, out: &Path, locales: &[LocaleTag]) -> Result<Output, Failure> {
    let written = write_all(root, out, locales)?;
    let line = format!("wrote {} chart files under {}", written.len(), out.join("charts").display());
    Ok(Output { summary: vec![line], ..Output::default() })
}

/// Writes every chart; returns the paths written.
fn write_all(root: &Path, out: &Path, locales: &[LocaleTag]) -> Result<Vec<PathBuf>, Report> {
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
            let table = to_csv(c).map_err(chart_error)?;
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
