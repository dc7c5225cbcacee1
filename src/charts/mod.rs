//! Charts: bar and horizontal bar charts drawn as SVG with charts-rs, in the house style.
//!
//! The layout is done here and drawn with charts-rs's canvas (`Rect`, `Line`, `Text`), measuring
//! every text with charts-rs against the project's own Lato (registered once per process), so
//! that labels are placed for the font Typst later renders them with. Doing the layout here
//! rather than through charts-rs's `BarChart` lets every number come from the locale's formatter
//! (ticks and value labels: "32,7 %"), colour each bar by its country, draw negative horizontal
//! bars to the left of zero, mark provisional values with "†", and wrap or shorten long labels.
//!
//! One module per job: `measure` (text widths and wrapping), `palette`, `scale` (axes and ticks),
//! `data` (a chart's values and words for one locale), `svg` (drawing helpers and the legend), `bar` and
//! `hbar` (the two layouts), `words` (alt text and source line) and `raster` (PNG).

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Loc, Report};
use crate::fonts::Fonts;
use crate::io::sloc;
use crate::locale::Locale;
use crate::model::{Chart, ChartKind, Model};

mod bar;
mod data;
mod hbar;
mod measure;
mod palette;
mod raster;
mod scale;
mod svg;
mod words;

pub use raster::{font_families, svg_to_png};

/// A chart as placed in a document: its file in the World and its words.
#[derive(Debug, Clone)]
pub struct ChartRef {
    /// Path of the SVG in the Typst World, e.g. `/charts/en-US/mfg_jobs_lost.svg`.
    pub path: String,
    /// Title in the document's locale.
    pub title: String,
    /// Alt text generated from the data.
    pub alt: String,
    /// Source line with period, in the document's locale.
    pub source: String,
}

/// One chart drawn for one locale.
#[derive(Debug, Clone)]
pub struct ChartOut {
    /// Chart id.
    pub id: String,
    /// The SVG text.
    pub svg: String,
    /// How documents place it.
    pub chart_ref: ChartRef,
    /// The values it draws, for a data file beside it.
    pub table: Table,
}

/// The values a chart draws, in the words of its locale.
#[derive(Debug, Clone)]
pub struct Table {
    /// The unit of every value (its name, as in data/).
    pub unit: &'static str,
    /// Category label keys and their words.
    pub categories: Vec<(String, String)>,
    /// Each series: id, legend name (empty for a chart of one series), values in category order, provisional flags.
    pub series: Vec<(String, String, Vec<f64>, Vec<bool>)>,
}

/// The only font family charts use (the project's Lato, also known to Typst).
pub const FAMILY: &str = "Lato";

/// Width of a chart without `width_mm`, in SVG units (1 unit = 1 pt on a full-width page).
const DEFAULT_WIDTH: f32 = 480.0;
/// Height of a vertical bar chart without `height`.
const DEFAULT_BAR_HEIGHT: f32 = 260.0;

/// Size of category labels (SVG units; every size is ≥ 10 so it stays readable in print).
const LABEL_SIZE: f32 = 11.0;
/// Size category labels shrink to before they wrap further or are shortened.
const MIN_LABEL_SIZE: f32 = 10.0;
/// Size of value labels.
const VALUE_SIZE: f32 = 11.0;
/// Size value labels shrink to before they take two lines.
const MIN_VALUE_SIZE: f32 = 10.0;
/// Size of tick labels.
const TICK_SIZE: f32 = 10.0;
/// Size of legend entries.
const LEGEND_SIZE: f32 = 11.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;

/// Colour of labels and legend text.
const TEXT_COLOR: &str = "#222222";
/// Colour of tick labels.
const TICK_COLOR: &str = "#5F6A6A";
/// Colour of gridlines.
const GRID_COLOR: &str = "#D5D8DC";
/// Colour of the zero line.
const AXIS_COLOR: &str = "#7F8C8D";
/// Colour behind the chart.
const BACKGROUND: &str = "#FFFFFF";

/// Marks a provisional value.
const DAGGER: &str = "†";
/// Outer padding of the drawing.
const PAD: f32 = 8.0;

/// Where a chart is declared.
fn chart_loc(chart: &Chart) -> Loc {
    sloc(Path::new("data/charts.yaml"), &chart.id)
}

/// Draws every chart of the model for a locale.
pub fn render_all(model: &Model, locale: &Locale, fonts: &Fonts) -> Result<BTreeMap<String, ChartOut>, Report> {
    let mut report = Report::default();
    if model.charts.is_empty() {
        return Ok(BTreeMap::new());
    }
    if let Err(e) = measure::register_fonts(fonts) {
        report.push(
            Diagnostic::error(Loc::file("fonts/lato"), e)
                .with_hint("restore fonts/lato/ from the repository; charts are drawn in Lato"),
        );
        return Err(report);
    }
    let mut out = BTreeMap::new();
    for (id, chart) in &model.charts {
        let Some((prepared, chart_ref)) = data::prepare(model, locale, chart, &mut report) else { continue };
        let svg = match prepared.kind {
            ChartKind::Bar => bar::draw(&prepared, locale),
            ChartKind::HorizontalBar => hbar::draw(&prepared, locale),
        };
        if svg.is_empty() {
            report.push(Diagnostic::error(chart_loc(chart), format!("charts-rs could not draw chart `{id}`")));
            continue;
        }
        // Typst silently replaces a family it does not know; every text must be in Lato.
        let families = font_families(&svg);
        if families.iter().any(|f| f != FAMILY) {
            report.push(Diagnostic::error(
                chart_loc(chart),
                format!(
                    "chart `{id}` names fonts other than {FAMILY}: {}",
                    families.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        let svg = charts_rs::svg_with_accessibility(&svg, &chart_ref.title, &chart_ref.alt);
        let table = Table {
            unit: prepared.unit.name(),
            categories: prepared.categories.clone(),
            series: chart
                .series
                .iter()
                .zip(&prepared.series)
                .map(|(id, s)| (id.value.clone(), s.name.clone(), s.values.clone(), s.provisional.clone()))
                .collect(),
        };
        out.insert(id.clone(), ChartOut { id: id.clone(), svg, chart_ref, table });
    }
    if report.has_errors() { Err(report) } else { Ok(out) }
}

#[cfg(test)]
mod tests;
