//! The schema of `data/`: what each YAML file holds, as serde reads it (unknown keys are errors), and the validated
//! documents and audiences the rest of the pipeline uses (typed ids, no spans).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{EditionDate, FactDate, Unit};
use crate::ids::{AudienceId, DocumentId, DocumentKind, LocaleTag, PackEdition};

/// `data/edition.yaml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    /// Edition id, e.g. `2026-04`.
    pub id: Spanned<String>,
    /// English title, e.g. "April 2026 update"; locales word it themselves.
    pub title: Spanned<String>,
    /// The PDFs' date, `YYYY-MM-DD`.
    pub date: Spanned<String>,
    /// Publisher shown on covers and in PDF metadata.
    pub project: String,
    /// Publisher's web address shown in footers.
    pub website: String,
}

/// The edition an output belongs to, validated (`data/edition.yaml`).
#[derive(Debug, Clone, Default)]
pub struct Edition {
    /// Edition id, e.g. `2026-04`.
    pub id: String,
    /// English title, e.g. "April 2026 update"; locales word it themselves.
    pub title: String,
    /// The PDFs' date.
    pub date: EditionDate,
    /// Publisher shown on covers and in PDF metadata.
    pub project: String,
    /// Publisher's web address shown in footers.
    pub website: String,
    /// Where `id`, `title` and `date` are written in `data/edition.yaml` (for messages).
    pub origin: std::collections::BTreeMap<&'static str, crate::diag::Loc>,
}

/// A publication a figure comes from (`data/sources.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id referenced by facts and series.
    pub id: Spanned<String>,
    /// The short name the seed cites (BTS, USTR, INEGI, ...).
    pub short: String,
    /// The publishing organisation.
    pub publisher: String,
    /// Title of the publication, where known.
    #[serde(default)]
    pub title: Option<String>,
    /// Year of the publication, where known.
    #[serde(default)]
    pub year: Option<i32>,
    /// Address, where known.
    #[serde(default)]
    pub url: Option<String>,
}

/// One figure, stated once (`data/facts/*.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Stable id referenced by locale text as `{id}`.
    pub id: Spanned<String>,
    /// The number, in `unit`; for a fact in the unit `date`, the date (`2026-07-01`, `2026-07` or `2020`).
    pub value: Spanned<FactValue>,
    /// What the number measures (`data/units.yaml`).
    pub unit: Unit,
    /// The year or period the figure describes.
    pub period: String,
    /// Ids of the sources the seed cites for it.
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    /// Set when the seed does not state the figure: where the real figure comes from.
    #[serde(default)]
    pub provisional: Option<String>,
    /// An editorial note on the figure.
    #[serde(default)]
    pub note: Option<String>,
}

impl Fact {
    /// The number (not a number for a date).
    pub fn number(&self) -> f64 {
        match self.value.value {
            FactValue::Number(v) => v,
            FactValue::Date(_) | FactValue::Text(_) => f64::NAN,
        }
    }
}

/// A fact's value: a number, or a date for a fact in the unit `date`.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// A number, in the fact's unit.
    Number(f64),
    /// A date (unit `date`), made from what is written when the data is validated.
    Date(FactDate),
    /// Words that are neither a number nor a date yet, as written: a date to validate, or a mistake (`1,200`) that
    /// validation refuses with a hint. A loaded model holds none.
    Text(String),
}

impl FactValue {
    /// The value as data writes it (`296200000000`, `2026-07-01`).
    pub fn as_written(&self) -> String {
        match self {
            FactValue::Number(v) => v.to_string(),
            FactValue::Date(d) => d.iso(),
            FactValue::Text(t) => t.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for FactValue {
    /// Reads the scalar as written and makes it a number when YAML would (`296.2e9`, `48375`, `.nan`); a list or a
    /// map is a YAML error at its place.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FactValue, D::Error> {
        Ok(FactValue::read(&String::deserialize(d)?))
    }
}

impl FactValue {
    /// A scalar as YAML's core schema reads numbers (decimal, `0x`/`0o`, `.inf`, `.nan`); anything else is words.
    fn read(text: &str) -> FactValue {
        let t = text.trim();
        let (sign, body) = match t.strip_prefix('-') {
            Some(rest) => (-1.0, rest),
            None => (1.0, t.strip_prefix('+').unwrap_or(t)),
        };
        match body {
            ".inf" | ".Inf" | ".INF" => return FactValue::Number(sign * f64::INFINITY),
            ".nan" | ".NaN" | ".NAN" if sign > 0.0 && !t.starts_with('+') => return FactValue::Number(f64::NAN),
            _ => {}
        }
        let radix = |prefix: &str, r: u32| body.strip_prefix(prefix).and_then(|d| i64::from_str_radix(d, r).ok());
        if let Some(v) = radix("0x", 16).or_else(|| radix("0o", 8)) {
            return FactValue::Number(sign * v as f64);
        }
        let numeric = body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && body.chars().any(|c| c.is_ascii_digit())
            && body.chars().all(|c| c.is_ascii_digit() || ".eE+-".contains(c));
        match t.parse::<f64>() {
            // A number beyond what a figure can hold (`1e400`) stays words: validation says so.
            Ok(v) if numeric && v.is_finite() => FactValue::Number(v),
            _ => FactValue::Text(text.to_string()),
        }
    }
}

/// A trade deficit ratio computed by the tool: (imports − exports) / exports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdrSpec {
    /// Fact holding U.S. imports from the partner.
    pub imports: Spanned<String>,
    /// Fact holding U.S. exports to the partner.
    pub exports: Spanned<String>,
}

/// A point of an indicator series: a label key and where its value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "PointAsWritten")]
pub struct Point {
    /// Label key, translated through the locale's `labels` file.
    pub label: Spanned<String>,
    /// Where the value comes from: `fact`, `value` or `tdr` in the YAML.
    pub value: PointValue,
}

/// Where a series point's value comes from.
#[derive(Debug, Clone)]
pub enum PointValue {
    /// The fact that holds the value (`fact: <id>`, preferred: numbers live once).
    Fact(Spanned<String>),
    /// A value stated only for this series (`value: 12.5`).
    Stated(Spanned<f64>),
    /// A trade deficit ratio computed from two facts (`tdr: {imports, exports}`).
    Tdr(TdrSpec),
    /// None or several of `fact`, `value` and `tdr`: validation refuses it, so a loaded model holds none.
    Unclear,
}

/// A point as the YAML writes it: one of three optional keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PointAsWritten {
    /// Label key.
    label: Spanned<String>,
    /// The fact that holds the value.
    #[serde(default)]
    fact: Option<Spanned<String>>,
    /// A value stated only for this series.
    #[serde(default)]
    value: Option<Spanned<f64>>,
    /// A trade deficit ratio computed from two facts.
    #[serde(default)]
    tdr: Option<TdrSpec>,
}

impl From<PointAsWritten> for Point {
    /// Keeps the one key given; none or several is `Unclear`, for validation to report at the label.
    fn from(p: PointAsWritten) -> Point {
        let value = match (p.fact, p.value, p.tdr) {
            (Some(f), None, None) => PointValue::Fact(f),
            (None, Some(v), None) => PointValue::Stated(v),
            (None, None, Some(t)) => PointValue::Tdr(t),
            _ => PointValue::Unclear,
        };
        Point { label: p.label, value }
    }
}

impl Point {
    /// The facts the value comes from (none for a stated value).
    pub fn facts(&self) -> Vec<&str> {
        match &self.value {
            PointValue::Fact(f) => vec![f.value.as_str()],
            PointValue::Tdr(t) => vec![t.imports.value.as_str(), t.exports.value.as_str()],
            PointValue::Stated(_) | PointValue::Unclear => Vec::new(),
        }
    }
}

/// An indicator series for charts (`data/series/*.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Stable id referenced by charts.
    pub id: Spanned<String>,
    /// Unit of every point.
    pub unit: Unit,
    /// The period the series covers, as documentation of the data (charts print the locale's
    /// `charts.<id>.subtitle` wording instead).
    #[allow(dead_code)]
    pub period: String,
    /// Ids of the sources.
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
    /// The points, in display order.
    pub points: Vec<Point>,
    /// Set when a value is not stated by the seed.
    #[serde(default)]
    pub provisional: Option<String>,
}

/// The kind of chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, one per point (several series: grouped).
    Bar,
    /// Horizontal bars, negative values to the left of zero (`panels: true`: one panel per series).
    HorizontalBar,
    /// Two values of one series set large, "30% → 5.7%", by Typst in the house style (no SVG).
    BigNumber,
    /// A table with a bar in each row, set by Typst (`briefs charts` draws the bars as a horizontal bar chart).
    BarTable,
}

/// How a chart orders its bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartSort {
    /// Largest value first.
    Value,
}

/// One colour for every bar of a chart whose bars carry its point together (no bar stands out).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartColour {
    /// The region's colour: a chart of the three countries (and the region) together.
    NorthAmerica,
    /// The neutral grey.
    Neutral,
}

/// A chart declared in data (`data/charts.yaml`), placed in templates by id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    /// Stable id used by templates: `chart("id")`.
    pub id: Spanned<String>,
    /// Chart kind.
    #[serde(rename = "type")]
    pub kind: ChartKind,
    /// Series drawn, in order; several series must share their labels (unless drawn as panels).
    pub series: Vec<Spanned<String>>,
    /// Width in millimetres on the page (default: the text column).
    #[serde(default)]
    pub width_mm: Option<f64>,
    /// Height in points of the SVG (default chosen by kind).
    #[serde(default)]
    pub height: Option<f64>,
    /// Labels of the bars that carry the chart's point: drawn in the accent, the others in the neutral.
    #[serde(default)]
    pub highlight: Vec<Spanned<String>>,
    /// Every bar in one colour of the palette (instead of `highlight`): the bars carry the point together.
    #[serde(default)]
    pub colour: Option<Spanned<ChartColour>>,
    /// `value`: bars ordered by value, largest first (default: the series' order).
    #[serde(default)]
    pub sort: Option<Spanned<ChartSort>>,
    /// Horizontal bars only: each series in its own panel under its name, with its own labels.
    #[serde(default)]
    pub panels: bool,
}

/// A fast fact card (`data/fast-facts.yaml`): its headline figure and chart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FastFact {
    /// Stable id; words under `fast-facts.<id>` in each locale.
    pub id: Spanned<String>,
    /// The fact shown large on the card.
    #[serde(default)]
    pub headline: Option<Spanned<String>>,
    /// A chart placed with the card.
    #[serde(default)]
    pub chart: Option<Spanned<String>>,
    /// Sources the card's text cites for a claim without a figure.
    #[serde(default)]
    pub cites: Vec<Spanned<String>>,
}

/// A document as `data/documents.yaml` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentEntry {
    /// Id used by `--doc` and in file names.
    pub id: Spanned<String>,
    /// Template file under `templates/`.
    pub template: Spanned<String>,
    /// What it is: `pack: screen` or `pack: print` makes a meeting pack, built for every audience with the
    /// audience's other documents (src/render/pack.rs); state sheets are added from data/states.yaml.
    #[serde(default, rename = "pack", deserialize_with = "pack_kind")]
    pub kind: DocumentKind,
}

/// Reads `pack: screen|print` as a meeting pack's kind.
fn pack_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DocumentKind, D::Error> {
    Ok(Option::<PackEdition>::deserialize(d)?.map_or(DocumentKind::Plain, DocumentKind::Pack))
}

/// A document the tool can build, validated: an entry of `data/documents.yaml`, or a state sheet made from a row
/// of `data/states.yaml`.
#[derive(Debug, Clone)]
pub struct DocumentDef {
    /// Id used by `--doc` and in file names.
    pub id: DocumentId,
    /// Template file under `templates/`.
    pub template: String,
    /// What it is: plain, a state sheet, or a meeting pack.
    pub kind: DocumentKind,
}

impl DocumentDef {
    /// Whether it is a meeting pack (either edition).
    pub fn is_pack(&self) -> bool {
        self.kind.is_pack()
    }
}

/// An audience as `data/audiences.yaml` writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceEntry {
    /// Id used by `--audience` and in paths.
    pub id: Spanned<String>,
    /// Locale tags built for it.
    pub locales: Vec<Spanned<String>>,
    /// Documents built for it, in order: ids, or `prefix*` for every document whose id starts so.
    pub documents: Vec<Spanned<String>>,
    /// Fast fact ids in the order this audience reads them (default: all).
    #[serde(default)]
    pub fast_facts: Vec<Spanned<String>>,
    /// Whether the blank pages of its printed meeting pack say so, as a government's documents do (default: no).
    #[serde(default)]
    pub blank_page_notice: bool,
    /// Retired: every build writes both editions of a meeting pack; reported where it is still set.
    #[serde(default)]
    pub pack_duplex: Option<Spanned<bool>>,
}

/// A reader the documents are made for, validated (`data/audiences.yaml`).
#[derive(Debug, Clone)]
pub struct Audience {
    /// Id used by `--audience` and in paths.
    pub id: AudienceId,
    /// Locales built for it, in order.
    pub locales: Vec<LocaleTag>,
    /// Documents built for it, in order.
    pub documents: Vec<DocumentPick>,
    /// Fast fact ids in the order this audience reads them (default: all).
    pub fast_facts: Vec<String>,
    /// Whether the blank pages of its printed meeting pack say so, as a government's documents do.
    pub blank_page_notice: bool,
}

/// An entry of an audience's documents: one document, or every document whose id starts with a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentPick {
    /// One document, by id.
    One(DocumentId),
    /// `prefix*`: every document (not a pack) whose id starts with the prefix, in declared order.
    Prefix(String),
}

impl DocumentPick {
    /// An entry as written: `prefix*` or an id.
    pub fn read(written: &str) -> DocumentPick {
        match written.strip_suffix('*') {
            Some(prefix) => DocumentPick::Prefix(prefix.to_string()),
            None => DocumentPick::One(DocumentId::new(written)),
        }
    }
}

/// A product a state trades with Mexico, with its value where the seed gives one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trade {
    /// Product key, translated through the locale's `labels.products` keys.
    pub product: Spanned<String>,
    /// The fact holding the value, where the seed states one.
    #[serde(default)]
    pub fact: Option<Spanned<String>>,
}

/// One U.S. state's agricultural trade with Mexico (`data/states.yaml`), made into a one-pager.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateRow {
    /// Two-letter postal code, lowercase (`ia`); the document id is `state-<code>`.
    pub code: Spanned<String>,
    /// Leading exports to Mexico.
    #[serde(default)]
    pub exports: Vec<Trade>,
    /// Leading imports from Mexico.
    #[serde(default)]
    pub imports: Vec<Trade>,
}

/// Postal codes of the U.S. states and DC.
pub const STATE_CODES: [&str; 51] = [
    "al", "ak", "az", "ar", "ca", "co", "ct", "de", "dc", "fl", "ga", "hi", "id", "il", "in", "ia", "ks", "ky", "la",
    "me", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne", "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "ok", "or",
    "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va", "wa", "wv", "wi", "wy",
];

/// The template every state one-pager is made from.
pub const STATE_TEMPLATE: &str = "state.typ.j2";
