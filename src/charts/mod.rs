//! Charts: bar and horizontal bar charts drawn as SVG with charts-rs, in the house style.
//!
//! The layout is done here and drawn with charts-rs's canvas (`Rect`, `Line`, `Text`), measuring
//! every text with charts-rs against the project's own Lato (registered once per set of fonts), so
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
mod csv_data;
mod data;
mod hbar;
mod measure;
mod palette;
mod raster;
mod scale;
mod svg;
#[cfg(test)]
mod svgread;
mod words;

pub use csv_data::to_csv;
pub use palette::Palette;
pub use raster::{font_families, svg_to_png};

/// A chart as placed in a document: its file in the World and its words.
#[derive(Debug, Clone)]
pub struct ChartRef {
    /// How it is drawn (a big number or a bar table is set by Typst, not placed as an SVG).
    pub kind: ChartKind,
    /// Path of the SVG in the Typst World, e.g. `/charts/en-US/mfg_jobs_lost.svg`.
    pub path: String,
    /// Title in the document's locale: the chart's point.
    pub title: String,
    /// Subtitle: what is measured, in which unit, over which period ("†" at the end when a value is provisional).
    pub subtitle: String,
    /// Alt text generated from the data.
    pub alt: String,
    /// The locale key of the chart's note, when it has one (placeholders filled where the chart is placed).
    pub note_key: Option<String>,
    /// "Sources: A; B." in the document's locale.
    pub source: String,
    /// The unit named once above the values ("USD billion"), when the labels leave it out.
    pub unit_title: Option<String>,
    /// Every value as drawn, in drawing order (for figures Typst sets: big numbers, bar tables).
    pub rows: Vec<ChartRow>,
    /// Whether it is drawn for the sidebar too ([`side_path`]): a big number, or up to five bars of one series (three
    /// columns, or horizontal bars) at [`SIDE_WIDTH`].
    pub side: bool,
}

/// One value of a chart as drawn: its label, its text, the value and its bar's colour.
#[derive(Debug, Clone)]
pub struct ChartRow {
    /// The category's label key.
    pub key: String,
    /// The category's words.
    pub label: String,
    /// The value as the chart writes it.
    pub text: String,
    /// The value.
    pub value: f64,
    /// Fill of its bar.
    pub colour: String,
}

/// One chart drawn for one locale.
#[derive(Debug, Clone)]
pub struct ChartOut {
    /// Chart id.
    pub id: String,
    /// The SVG text (empty for a big number, which Typst sets).
    pub svg: String,
    /// The same chart drawn for half the page's width ([`NARROW_WIDTH`], the one-sheet's two charts side by side),
    /// at [`narrow_path`]; empty where the chart sets its own width or is a table.
    pub narrow: String,
    /// The same chart drawn for the sidebar ([`SIDE_WIDTH`]: a small chart beside the text that cites it), at
    /// [`side_path`]; empty where the narrow one is.
    pub side: String,
    /// How documents place it.
    pub chart_ref: ChartRef,
    /// The values it draws, for a data file beside it.
    pub table: Table,
}

impl ChartOut {
    /// The chart's drawings as documents load them: (path, SVG), the full-width one and, if drawn, the narrow one
    /// and the sidebar's.
    pub fn drawings(&self) -> impl Iterator<Item = (String, &str)> {
        let full = (!self.svg.is_empty()).then(|| (self.chart_ref.path.clone(), self.svg.as_str()));
        let narrow = (!self.narrow.is_empty()).then(|| (narrow_path(&self.chart_ref.path), self.narrow.as_str()));
        let side = (!self.side.is_empty()).then(|| (side_path(&self.chart_ref.path), self.side.as_str()));
        full.into_iter().chain(narrow).chain(side)
    }
}

/// The values a chart draws, in the words of its locale.
#[derive(Debug, Clone)]
pub struct Table {
    /// The unit of every value (its name, as in data/).
    pub unit: &'static str,
    /// Each series with its rows in drawing order.
    pub series: Vec<TableSeries>,
}

/// One series of a chart's data: its id, legend name and values with their category.
#[derive(Debug, Clone)]
pub struct TableSeries {
    /// Series id.
    pub id: String,
    /// Legend or panel name (empty for a chart of one series).
    pub name: String,
    /// Category key, category words, value, provisional.
    pub rows: Vec<(String, String, f64, bool)>,
}

/// The only font family charts use (the project's Lato, also known to Typst).
pub const FAMILY: &str = "Lato";

/// Width of a chart without `width_mm`, in SVG units (1 unit = 1 pt): the text column (`grid-measure` in
/// templates/house.typ, 4.55 in), where the chart is placed at 100% (its note beside it in the sidebar), so 1 unit
/// prints as 1 pt. The drawing has no
/// background: on a card it takes the card's colour (PNGs are rendered on white).
const DEFAULT_WIDTH: f32 = 327.6;
/// Width of a chart drawn for half the page: the one-sheet's two charts side by side (`glance-charts` in
/// templates/house.typ: the full 7 in less a 24 pt gutter, halved), so its labels print at their size instead of
/// the full-width drawing scaled down to two thirds.
const NARROW_WIDTH: f32 = 240.0;
/// Height of a vertical bar chart drawn narrow, with its labels: what the back of the one-sheet leaves under the
/// tiles in every locale, so the drawing is placed at its size and its labels print at their size (drawn at the
/// full-width chart's height it was scaled to 60–80%, its labels to 5–7 pt).
const NARROW_BAR_HEIGHT: f32 = 115.0;

/// Width of a chart drawn for the sidebar (`grid-side` in templates/house.typ, 2.2 in), placed at 100%.
const SIDE_WIDTH: f32 = 158.4;
/// Height of a vertical bar chart of one series drawn for the sidebar.
const SIDE_BAR_HEIGHT: f32 = 64.0;
/// Height of a vertical bar chart of a few groups drawn for the sidebar, its legend above the plot.
const SIDE_GROUPED_HEIGHT: f32 = 110.0;
/// Most bars a chart drawn for the sidebar holds (as horizontal bars, panels counted together).
const SIDE_MAX_BARS: usize = 12;

/// Where a chart's sidebar drawing is, beside its full-width one (`world_gdp_share-side.svg`).
pub fn side_path(path: &str) -> String {
    match path.strip_suffix(".svg") {
        Some(stem) => format!("{stem}-side.svg"),
        None => format!("{path}-side"),
    }
}

/// Where a chart's narrow drawing is, beside its full-width one (`world_gdp_share-narrow.svg`).
pub fn narrow_path(path: &str) -> String {
    match path.strip_suffix(".svg") {
        Some(stem) => format!("{stem}-narrow.svg"),
        None => format!("{path}-narrow"),
    }
}

/// Height of a vertical bar chart without `height`.
const DEFAULT_BAR_HEIGHT: f32 = 180.0;

/// Size of category labels (SVG units, printed as points: the chart is placed at the width it is drawn for).
const LABEL_SIZE: f32 = 9.0;
/// Size category labels shrink to before they wrap further or are shortened.
const MIN_LABEL_SIZE: f32 = 8.5;
/// Size of value labels.
const VALUE_SIZE: f32 = 9.0;
/// Size value labels shrink to before they take two lines.
const MIN_VALUE_SIZE: f32 = 8.5;
/// Size of the unit title and panel names.
const TITLE_SIZE: f32 = 8.5;
/// Size of legend entries.
const LEGEND_SIZE: f32 = 9.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;
/// Height of a line's capitals and ascenders above its baseline, as a share of the font size: a text whose top
/// is at `y` has its baseline at `y + size * ASCENT`.
const ASCENT: f32 = 0.9;
/// Space below the unit title, above the plot.
const TITLE_GAP: f32 = 4.0;
/// Least height of the plot (vertical bars) or of a row (horizontal bars), however small the chart is drawn.
const MIN_PLOT: f32 = 20.0;

/// Colour of labels and legend text.
const TEXT_COLOR: &str = "#222222";
/// Colour of the unit title.
const MUTED_COLOR: &str = "#5F6A6A";
/// Colour of the zero line.
const AXIS_COLOR: &str = "#7F8C8D";

/// Outer padding of the drawing (left and right: none, so the plot aligns with the text column).
const PAD: f32 = 6.0;

/// Where a chart is declared.
fn chart_loc(chart: &Chart) -> Loc {
    sloc(Path::new("data/charts.yaml"), &chart.id)
}

/// Draws every chart of the model for a locale.
pub fn render_all(
    model: &Model,
    locale: &Locale,
    fonts: &Fonts,
    palette: &Palette,
) -> Result<BTreeMap<String, ChartOut>, Report> {
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
        let Some((prepared, chart_ref)) = data::prepare(model, locale, palette, chart, &mut report) else { continue };
        let draw = |p: &data::Prepared| match p.kind {
            ChartKind::Bar => bar::draw(p, locale),
            ChartKind::HorizontalBar | ChartKind::BarTable => hbar::draw(p, locale),
            ChartKind::BigNumber => String::new(),
        };
        let svg = draw(&prepared);
        let table = table(chart, &prepared);
        if prepared.kind == ChartKind::BigNumber {
            let (narrow, side) = (String::new(), String::new());
            out.insert(id.clone(), ChartOut { id: id.clone(), svg, narrow, side, chart_ref, table });
            continue;
        }
        let small = chart.width_mm.is_none() && matches!(prepared.kind, ChartKind::Bar | ChartKind::HorizontalBar);
        let drawn_at = |width: f32, height: Option<f32>, kind: ChartKind| {
            if !small {
                return String::new();
            }
            let svg = draw(&data::Prepared { width, height, kind, ..prepared.clone() });
            charts_rs::svg_with_accessibility(&svg, &chart_ref.title, &chart_ref.alt)
        };
        let bar = prepared.kind == ChartKind::Bar;
        let narrow_height = match prepared.height {
            Some(h) if bar => Some(h.min(NARROW_BAR_HEIGHT)),
            None if bar => Some(NARROW_BAR_HEIGHT),
            h => h,
        };
        let narrow = drawn_at(NARROW_WIDTH, narrow_height, prepared.kind);
        // The sidebar's, for a chart of a few bars: one series of up to three columns at one plot height, whatever
        // the full-width drawing's; a few columns in groups (two series of two) with their legend, taller; anything
        // else up to twelve bars, panels too, as horizontal bars (four columns in 2.2 in cut their labels short).
        let bars = if prepared.panels.is_empty() {
            prepared.categories.len() * prepared.series.len()
        } else {
            prepared.categories.len()
        };
        let one = prepared.panels.is_empty() && prepared.series.len() == 1;
        // The unit's title on one line: a chart whose title is wider than the sidebar keeps to the text column.
        let titled = prepared.axis.title.as_ref().is_some_and(|t| measure::text_width(t, TITLE_SIZE) > SIDE_WIDTH);
        let side = if titled {
            String::new()
        } else if bar && one && prepared.categories.len() <= 3 {
            drawn_at(SIDE_WIDTH, Some(SIDE_BAR_HEIGHT), ChartKind::Bar)
        } else if bar && prepared.panels.is_empty() && prepared.categories.len() <= 3 && bars <= 6 {
            drawn_at(SIDE_WIDTH, Some(SIDE_GROUPED_HEIGHT), ChartKind::Bar)
        } else if bars <= SIDE_MAX_BARS {
            drawn_at(SIDE_WIDTH, None, ChartKind::HorizontalBar)
        } else {
            String::new()
        };
        let chart_ref = ChartRef { side: !side.is_empty(), ..chart_ref };
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
        out.insert(id.clone(), ChartOut { id: id.clone(), svg, narrow, side, chart_ref, table });
    }
    if report.has_errors() { Err(report) } else { Ok(out) }
}

/// The values a chart draws, per series in drawing order.
fn table(chart: &Chart, p: &data::Prepared) -> Table {
    let rows = |s: &data::SeriesData, range: std::ops::Range<usize>| -> Vec<(String, String, f64, bool)> {
        range.map(|i| (p.categories[i].0.clone(), p.categories[i].1.clone(), s.values[i], s.provisional[i])).collect()
    };
    let n = p.categories.len();
    let series = if p.panels.is_empty() {
        chart
            .series
            .iter()
            .zip(&p.series)
            .map(|(id, s)| TableSeries { id: id.value.clone(), name: s.name.clone(), rows: rows(s, 0..n) })
            .collect()
    } else {
        chart
            .series
            .iter()
            .zip(&p.panels)
            .enumerate()
            .map(|(k, (id, (start, name)))| {
                let end = p.panels.get(k + 1).map_or(n, |(e, _)| *e);
                TableSeries { id: id.value.clone(), name: name.clone(), rows: rows(&p.series[0], *start..end) }
            })
            .collect()
    };
    Table { unit: p.unit.name(), series }
}

#[cfg(test)]
mod shipped_tests;
#[cfg(test)]
mod tests;
