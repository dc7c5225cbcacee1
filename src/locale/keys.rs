//! The one list of locale keys the code reads itself (not through a template), and the placeholder names
//! templates fill: source notes, provisional footnotes, chart words and point labels.

use std::collections::BTreeSet;

use crate::model::{ChartKind, Model};

/// Whether `key` is `prefix` or a key under it (`charts.trade` is under `charts`, `chartsx` is not): how a
/// template's lookup of a list or map covers the texts inside it, and how a key given on the command line names a
/// group of texts.
pub fn is_under(key: &str, prefix: &str) -> bool {
    key.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// "Source" before one source's name.
pub const SOURCE: &str = "common.source";
/// "Sources" before several names.
pub const SOURCES: &str = "common.sources";
/// "Also cited" before sources named without a figure.
pub const ALSO_CITED: &str = "common.also_cited";
/// The footnote label of a provisional figure.
pub const PROVISIONAL: &str = "common.provisional";
/// The footnote of a provisional figure after its label: that it is to be confirmed, naming the source
/// (`{arg_source}`).
pub const PROVISIONAL_NOTE: &str = "common.provisional_note";
/// The word that marks a provisional value in a chart's alt text.
pub const CHART_PROVISIONAL: &str = "chart-text.provisional";
/// "Note" before a chart's note, in the one line under the chart ("Note: …. Source: ….").
pub const CHART_NOTE: &str = "chart-text.note";
/// Per-locale names of sources (`sources.names.<id>`), which a locale may add or leave out.
pub const SOURCE_NAMES: &str = "sources.names.";
/// Per-locale short names of sources for citations in the text (`sources.short.<id>`, e.g. OCDE), optional.
pub const SOURCE_SHORT: &str = "sources.short.";
/// Per-locale titles of publications for the closing list of sources (`sources.titles.<id>`: the publisher's
/// own title in the locale's language, e.g. the IMF's Spanish title), optional; else the title in data/sources.yaml.
pub const SOURCE_TITLES: &str = "sources.titles.";
/// "and" between the last two sources of a citation ("(2024, USTR and USITC)").
pub const AND: &str = "common.and";

/// The key naming a kind of chart in alt text ("Bar chart").
pub fn chart_kind(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "chart-text.kinds.bar",
        ChartKind::HorizontalBar | ChartKind::BarTable => "chart-text.kinds.horizontal_bar",
        ChartKind::BigNumber => "chart-text.kinds.big_number",
    }
}

/// A chart's title.
pub fn chart_title(chart: &str) -> String {
    format!("charts.{chart}.title")
}

/// A chart's legend name for one of its series.
pub fn chart_series(chart: &str, series: &str) -> String {
    format!("charts.{chart}.series.{series}")
}

/// A chart's subtitle: what it measures, in which unit, over which period.
pub fn chart_subtitle(chart: &str) -> String {
    format!("charts.{chart}.subtitle")
}

/// A chart's unit title, when its words give one (a ratio's formula, above the bars).
pub fn chart_axis(chart: &str) -> String {
    format!("charts.{chart}.axis")
}

/// A chart's note, when it has one: the first part of the line under it.
pub fn chart_note(chart: &str) -> String {
    format!("charts.{chart}.note")
}

/// The words of a point label (`labels.<key>`).
pub fn label(key: &str) -> String {
    format!("labels.{key}")
}

/// A source's name in the locale, when it has its own.
pub fn source_name(source: &str) -> String {
    format!("{SOURCE_NAMES}{source}")
}

/// A source's short name for citations in the text, when the locale has its own.
pub fn source_short(source: &str) -> String {
    format!("{SOURCE_SHORT}{source}")
}

/// A publication's title in the closing list of sources, when the locale has its own.
pub fn source_title(source: &str) -> String {
    format!("{SOURCE_TITLES}{source}")
}

/// Whether a locale may add or leave out a key (per-locale source names and titles).
pub fn is_optional(key: &str) -> bool {
    key.starts_with(SOURCE_NAMES) || key.starts_with(SOURCE_SHORT) || key.starts_with(SOURCE_TITLES)
}

/// Every key (or parent of keys) the code reads for a model's charts and notes; a locale key under none of
/// these and used by no template is reported as unused.
pub fn read_by_code(model: &Model) -> BTreeSet<String> {
    let mut keys: BTreeSet<String> = [
        SOURCE,
        SOURCES,
        ALSO_CITED,
        AND,
        PROVISIONAL,
        PROVISIONAL_NOTE,
        CHART_PROVISIONAL,
        CHART_NOTE,
        "chart-text.kinds",
    ]
    .map(String::from)
    .into();
    for (id, chart) in &model.charts {
        keys.insert(format!("charts.{id}"));
        for s in chart.series.iter().filter_map(|s| model.series.get(&s.value)) {
            keys.extend(s.points.iter().map(|p| label(&p.label.value)));
        }
    }
    keys
}

/// Placeholder names filled by templates (`t(key, name=..)`) rather than facts; `arg_*` names are free.
pub const ARGUMENTS: [&str; 12] =
    ["n", "month_year", "total", "page", "pages", "edition", "date", "audience", "state", "title", "year", "website"];

/// Whether a placeholder name is filled by a template rather than a fact.
pub fn is_argument(name: &str) -> bool {
    name.starts_with("arg_") || ARGUMENTS.contains(&name)
}
