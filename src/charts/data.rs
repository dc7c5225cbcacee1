//! A chart's data in the words of one locale: categories (sorted when the chart asks), series values, provisional
//! marks, the colour of every bar and legend swatch, and the words around it, ready for a layout to draw.

use super::palette::Palette;
use super::scale::{AxisUnit, axis_unit, decimals_for};
use super::words::{AltWords, alt_text, required_text};
use super::{ChartRef, ChartRow, DEFAULT_WIDTH};
use crate::citation;
use crate::diag::Report;
use crate::locale::{Locale, keys};
use crate::model::{Chart, ChartColour, ChartKind, ChartSort, Model, Series, Unit};

/// Marks a provisional chart once, after its subtitle.
const DAGGER: &str = "†";

/// A chart's data in the words of one locale.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// Which layout draws it.
    pub kind: ChartKind,
    /// The unit of every value.
    pub unit: Unit,
    /// Width in SVG units.
    pub width: f32,
    /// Height in SVG units, when the chart sets one.
    pub height: Option<f32>,
    /// Label keys and their words, in drawing order (panels: every panel's, one after another).
    pub categories: Vec<(String, String)>,
    /// Legend name, values, provisional flags per series (panels: one series holding every panel's values).
    pub series: Vec<SeriesData>,
    /// Panels: the index of each panel's first category and the panel's name.
    pub panels: Vec<(usize, String)>,
    /// Fill of every bar, per series and category.
    pub colours: Vec<Vec<String>>,
    /// Swatch of each series in the legend: the colour of its bars.
    pub legend_colours: Vec<String>,
    /// How the values are written: the unit named once above the plot, or in every label.
    pub axis: AxisUnit,
    /// The one number of decimals of every value label.
    pub decimals: u8,
}

/// One series of a chart: its legend name, values and which values are provisional.
#[derive(Debug, Clone)]
pub(super) struct SeriesData {
    /// Legend name (empty for a single series).
    pub name: String,
    /// Values in category order.
    pub values: Vec<f64>,
    /// Whether each value is provisional.
    pub provisional: Vec<bool>,
}

impl Prepared {
    /// Every value of every series.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series.iter().flat_map(|s| s.values.iter().copied())
    }

    /// The smallest and largest value, with zero always inside (bars start at zero).
    pub fn value_range(&self) -> (f64, f64) {
        self.values().fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)))
    }

    /// Whether the chart shows a legend (several series side by side).
    pub fn has_legend(&self) -> bool {
        self.series.len() > 1
    }

    /// The text of a value label: the chart's decimals, plain under a unit title, else with its unit.
    pub fn value_label(&self, locale: &Locale, v: f64) -> String {
        self.axis.format(locale, self.unit, v, self.decimals)
    }
}

/// The value labels of every series.
pub(super) fn all_value_labels(p: &Prepared, locale: &Locale) -> Vec<Vec<String>> {
    p.series.iter().map(|s| s.values.iter().map(|v| p.value_label(locale, *v)).collect()).collect()
}

/// The order of a series' points: as written, or largest value first.
fn order(model: &Model, s: &Series, sort: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..s.points.len()).collect();
    if sort {
        let v = |i: usize| model.point_value(&s.points[i]);
        idx.sort_by(|a, b| v(*b).total_cmp(&v(*a)));
    }
    idx
}

/// The colours of a chart's bars and legend: every bar in the chart's one `colour`; else highlighted labels in the
/// accent and the rest neutral; else several
/// series each in one colour (its country's, or accent then neutral); else each category in its country's colour
/// or the neutral.
fn colours(
    chart: &Chart,
    palette: &Palette,
    categories: &[(String, String)],
    series: &[&Series],
    panels: bool,
) -> (Vec<Vec<String>>, Vec<String>) {
    let n = if panels { 1 } else { series.len() };
    let by_category = |key: &str| -> String {
        if let Some(colour) = &chart.colour {
            match colour.value {
                ChartColour::NorthAmerica => palette.country("north_america").unwrap_or_else(|| palette.neutral()),
                ChartColour::Neutral => palette.neutral(),
            }
        } else if !chart.highlight.is_empty() {
            if chart.highlight.iter().any(|h| h.value == key) { palette.accent() } else { palette.neutral() }
        } else {
            palette.country(key).unwrap_or_else(|| palette.neutral())
        }
    };
    if n > 1 {
        let fallback = [palette.accent(), palette.neutral()];
        let legend: Vec<String> = series
            .iter()
            .enumerate()
            .map(|(s, se)| palette.country(&se.id.value).unwrap_or_else(|| fallback[s % 2].clone()))
            .collect();
        let bars = legend.iter().map(|c| vec![c.clone(); categories.len()]).collect();
        return (bars, legend);
    }
    let bars: Vec<String> = categories.iter().map(|(k, _)| by_category(k)).collect();
    (vec![bars], vec![palette.neutral()])
}

/// Gathers one chart's data and words for a locale, reporting words the locale lacks (the data itself is
/// checked when the model loads).
pub(super) fn prepare(
    model: &Model,
    locale: &Locale,
    palette: &Palette,
    chart: &Chart,
    report: &mut Report,
) -> Option<(Prepared, ChartRef)> {
    let id = &chart.id.value;
    let before = report.items.len();
    let series: Vec<&Series> = chart.series.iter().filter_map(|s| model.series.get(&s.value)).collect();
    let first = *series.first()?;
    let sort = chart.sort.as_ref().is_some_and(|s| s.value == ChartSort::Value);
    let kind = required_text(locale, keys::chart_kind(chart.kind), report);
    let title = required_text(locale, &keys::chart_title(id), report);
    let subtitle = required_text(locale, &keys::chart_subtitle(id), report);
    let label_of = |key: &str, report: &mut Report| -> String {
        required_text(locale, &keys::label(key), report).map(|l| locale.typography(&l)).unwrap_or_default()
    };

    // Categories and values: one group of series sharing their labels, or (panels) one panel per series.
    let mut categories = Vec::new();
    let mut data = Vec::new();
    let mut panels = Vec::new();
    let mut names = Vec::new();
    for s in &series {
        let key = keys::chart_series(id, &s.id.value);
        let name = if series.len() > 1 {
            required_text(locale, &key, report).unwrap_or_default()
        } else {
            locale.keys.get(&key).cloned().unwrap_or_default()
        };
        names.push(locale.typography(&name));
    }
    if chart.panels {
        let mut merged = SeriesData { name: String::new(), values: Vec::new(), provisional: Vec::new() };
        for (s, name) in series.iter().zip(&names) {
            panels.push((categories.len(), name.clone()));
            for i in order(model, s, sort) {
                let p = &s.points[i];
                categories.push((p.label.value.clone(), label_of(&p.label.value, report)));
                merged.values.push(model.point_value(p));
                merged.provisional.push(model.point_provisional(s, p));
            }
        }
        data.push(merged);
    } else {
        let idx = order(model, first, sort);
        for i in &idx {
            let key = &first.points[*i].label.value;
            categories.push((key.clone(), label_of(key, report)));
        }
        for (s, name) in series.iter().zip(&names) {
            data.push(SeriesData {
                name: name.clone(),
                values: idx.iter().map(|i| model.point_value(&s.points[*i])).collect(),
                provisional: idx.iter().map(|i| model.point_provisional(s, &s.points[*i])).collect(),
            });
        }
    }
    let any_provisional = data.iter().any(|s| s.provisional.iter().any(|p| *p));
    let provisional_word =
        if any_provisional { required_text(locale, keys::CHART_PROVISIONAL, report) } else { Some(String::new()) };

    // Sources: the series' own, else those of the facts they follow; named as the locale does.
    let mut ids: Vec<&str> = Vec::new();
    for s in &series {
        let own: Vec<&str> = s.sources.iter().map(|x| x.value.as_str()).collect();
        let from_facts: Vec<&str> = s
            .points
            .iter()
            .flat_map(|p| p.facts())
            .filter_map(|f| model.facts.get(f))
            .flat_map(|f| f.sources.iter().map(|x| x.value.as_str()))
            .collect();
        for x in if own.is_empty() { from_facts } else { own } {
            if !ids.contains(&x) {
                ids.push(x);
            }
        }
    }
    let source_names = citation::names(model, locale, &ids);
    let heading = required_text(locale, citation::heading_key(source_names.len()), report);

    if report.items.len() > before {
        return None;
    }
    let (kind, title, subtitle, heading, provisional_word) = (kind?, title?, subtitle?, heading?, provisional_word?);
    let title = locale.typography(&title);
    let mut subtitle = locale.typography(&subtitle);
    if any_provisional {
        subtitle.push_str(DAGGER);
    }
    let width = chart.width_mm.map_or(DEFAULT_WIDTH, |mm| (mm / 25.4 * 72.0) as f32);
    let (colours, legend_colours) = colours(chart, palette, &categories, &series, chart.panels);
    let (vmin, vmax) =
        data.iter().flat_map(|s| s.values.iter()).fold((0.0f64, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    // A chart's words may name its unit once (a ratio's formula); money names its scale once.
    let axis = match locale.keys.get(&keys::chart_axis(id)) {
        Some(t) => AxisUnit { divisor: 1.0, title: Some(locale.typography(t)) },
        None => axis_unit(locale, first.unit, vmin, vmax),
    };
    let decimals = decimals_for(data.iter().flat_map(|s| s.values.iter().copied()), first.unit, &axis);
    let prepared = Prepared {
        kind: chart.kind,
        unit: first.unit,
        width,
        height: chart.height.map(|h| h as f32),
        categories,
        series: data,
        panels,
        colours,
        legend_colours,
        axis,
        decimals,
    };
    let alt = alt_text(
        &AltWords { kind: &kind, title: &title, subtitle: &subtitle, provisional: &provisional_word },
        &prepared,
        locale,
    );
    let source = locale.typography(&citation::sentence(locale, &heading, &source_names));
    let note_key = Some(keys::chart_note(id)).filter(|k| locale.keys.contains_key(k));
    let rows = prepared
        .series
        .iter()
        .enumerate()
        .flat_map(|(s, se)| {
            let p = &prepared;
            se.values.iter().enumerate().map(move |(i, v)| ChartRow {
                key: p.categories[i].0.clone(),
                label: p.categories[i].1.clone(),
                // A big number writes each value as the text does ("30%" and "5.7%"), not to one count of decimals.
                text: if p.kind == ChartKind::BigNumber {
                    locale.typography(&locale.format_value(p.unit, *v))
                } else {
                    p.value_label(locale, *v)
                },
                value: *v,
                colour: p.colours[s][i].clone(),
            })
        })
        .collect();
    let chart_ref = ChartRef {
        kind: chart.kind,
        path: format!("/charts/{}/{id}.svg", locale.tag),
        title,
        subtitle,
        alt,
        note_key,
        source,
        unit_title: prepared.axis.title.clone(),
        rows,
        side: chart.kind == ChartKind::BigNumber,
    };
    Some((prepared, chart_ref))
}
