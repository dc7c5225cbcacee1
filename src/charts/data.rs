//! A chart's data in the words of one locale: categories, series values, provisional marks, alt text and
//! source line, ready for a layout to draw.

use super::palette::{GREY, GREY_DARK, GREY_LIGHT, colour_for_key, is_country, series_tint, tint};
use super::scale::AxisUnit;
use super::words::{AltWords, alt_text, required_text, source_line};
use super::{ChartRef, DAGGER, DEFAULT_WIDTH};
use crate::citation;
use crate::diag::Report;
use crate::locale::{Locale, keys};
use crate::model::{Chart, ChartKind, Model, Unit};

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
    /// Label keys and their words.
    pub categories: Vec<(String, String)>,
    /// Legend name, values, provisional flags per series.
    pub series: Vec<SeriesData>,
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

    /// Whether bars take their category's colour (some category is a country).
    pub fn colour_by_category(&self) -> bool {
        self.series.len() == 1 || self.categories.iter().any(|(k, _)| is_country(k))
    }

    /// Fill of the bar of series `s` at category `i`.
    pub fn bar_colour(&self, s: usize, i: usize) -> String {
        if self.colour_by_category() {
            tint(colour_for_key(&self.categories[i].0), series_tint(s))
        } else {
            [GREY_DARK, GREY, GREY_LIGHT, "#D0D3D4"][s.min(3)].to_string()
        }
    }

    /// Swatch of series `s` in the legend.
    pub fn legend_colour(&self, s: usize) -> String {
        if self.colour_by_category() { tint(GREY_DARK, series_tint(s)) } else { self.bar_colour(s, 0) }
    }
}

/// The text of a value label: as the axis writes numbers, "†" when provisional.
fn value_label(locale: &Locale, unit: Unit, axis: &AxisUnit, v: f64, provisional: bool) -> String {
    let text = axis.format(locale, unit, v);
    if provisional { format!("{text}{DAGGER}") } else { text }
}

/// The value labels of every series, formatted as the axis writes numbers (plain under a unit title).
pub(super) fn all_value_labels(p: &Prepared, locale: &Locale, axis: &AxisUnit) -> Vec<Vec<String>> {
    p.series
        .iter()
        .map(|s| {
            s.values.iter().zip(&s.provisional).map(|(v, pr)| value_label(locale, p.unit, axis, *v, *pr)).collect()
        })
        .collect()
}

/// Gathers one chart's data and words for a locale, reporting words the locale lacks (the data itself is
/// checked when the model loads).
pub(super) fn prepare(
    model: &Model,
    locale: &Locale,
    chart: &Chart,
    report: &mut Report,
) -> Option<(Prepared, ChartRef)> {
    let id = &chart.id.value;
    let before = report.items.len();
    let series: Vec<_> = chart.series.iter().filter_map(|s| model.series.get(&s.value)).collect();
    let first = *series.first()?;
    let kind = required_text(locale, keys::chart_kind(chart.kind), report);
    let title = required_text(locale, &keys::chart_title(id), report);
    let period = required_text(locale, &keys::chart_period(id), report);
    let mut categories = Vec::new();
    for p in &first.points {
        if let Some(l) = required_text(locale, &keys::label(&p.label.value), report) {
            categories.push((p.label.value.clone(), locale.typography(&l)));
        }
    }
    let mut data = Vec::new();
    for s in &series {
        let key = keys::chart_series(id, &s.id.value);
        let name = if series.len() > 1 {
            required_text(locale, &key, report).unwrap_or_default()
        } else {
            locale.keys.get(&key).cloned().unwrap_or_default()
        };
        data.push(SeriesData {
            name: locale.typography(&name),
            values: s.points.iter().map(|p| model.point_value(p)).collect(),
            provisional: s.points.iter().map(|p| model.point_provisional(s, p)).collect(),
        });
    }
    let any_provisional = data.iter().any(|s| s.provisional.iter().any(|p| *p));
    let provisional_word =
        if any_provisional { required_text(locale, keys::CHART_PROVISIONAL, report) } else { Some(String::new()) };
    let provisional_note = if any_provisional { required_text(locale, keys::PROVISIONAL, report) } else { None };

    // Sources: the series' own, else those of the facts they follow; named as the locale does.
    let mut ids: Vec<&str> = Vec::new();
    for s in &series {
        let own: Vec<&str> = s.sources.iter().map(|x| x.value.as_str()).collect();
        let from_facts: Vec<&str> = s
            .points
            .iter()
            .flat_map(|p| model.point_facts(p))
            .filter_map(|f| model.facts.get(f))
            .flat_map(|f| f.sources.iter().map(|x| x.value.as_str()))
            .collect();
        for x in if own.is_empty() { from_facts } else { own } {
            if !ids.contains(&x) {
                ids.push(x);
            }
        }
    }
    let names = citation::names(model, locale, &ids);
    let heading = required_text(locale, citation::heading_key(names.len()), report);

    if report.items.len() > before {
        return None;
    }
    let (kind, title, period, heading, provisional_word) = (kind?, title?, period?, heading?, provisional_word?);
    let title = locale.typography(&title);
    let period = locale.typography(&period);
    let width = chart.width_mm.map_or(DEFAULT_WIDTH, |mm| (mm / 25.4 * 72.0) as f32);
    let prepared = Prepared {
        kind: chart.kind,
        unit: first.unit,
        width,
        height: chart.height.map(|h| h as f32),
        categories,
        series: data,
    };
    let alt = alt_text(
        &AltWords { kind: &kind, title: &title, period: &period, provisional: &provisional_word },
        &prepared,
        locale,
    );
    let source = locale.typography(&source_line(&heading, &names, &period, provisional_note.as_deref(), locale));
    let chart_ref = ChartRef { path: format!("/charts/{}/{id}.svg", locale.tag), title, alt, source };
    Some((prepared, chart_ref))
}
