//! The data model: YAML schema for `data/`, loading with locations, and validation.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Loc, Report};

/// The edition an output belongs to (`data/edition.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// Edition id, e.g. `2026-04`.
    pub id: String,
    /// English title, e.g. "April 2026 update"; locales word it themselves.
    pub title: String,
    /// The PDFs' date, `YYYY-MM-DD`.
    pub date: Spanned<String>,
    /// Publisher shown on covers and in PDF metadata.
    pub project: String,
    /// Publisher's web address shown in footers.
    pub website: String,
}

impl Edition {
    /// The edition date as (year, month, day); validated at load.
    pub fn ymd(&self) -> (i32, u8, u8) {
        parse_date(&self.date.value).unwrap_or((1970, 1, 1))
    }
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

/// The unit a figure is measured in; decides how it is formatted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// U.S. dollars.
    Usd,
    /// Canadian dollars.
    Cad,
    /// A percentage, stored as percent (32.7 means 32.7%).
    Percent,
    /// Percentage points.
    PercentPoints,
    /// A plain count.
    Count,
    /// A number of jobs.
    Jobs,
    /// A number of workers.
    Workers,
    /// A number of vehicles.
    Vehicles,
    /// A ratio or multiple (2.5 times, TDR 0.50).
    Ratio,
    /// A calendar year.
    Year,
    /// A duration in years.
    Years,
    /// A rank (1st, 7th, 11th).
    Rank,
}

impl Unit {
    /// All units as written in YAML, for messages.
    pub const NAMES: &'static str =
        "usd, cad, percent, percent_points, count, jobs, workers, vehicles, ratio, year, years, rank";
}

/// One figure, stated once (`data/facts/*.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// Stable id referenced by locale text as `{id}`.
    pub id: Spanned<String>,
    /// The number, in `unit`.
    pub value: Spanned<f64>,
    /// What the number measures.
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

/// A trade deficit ratio computed by the tool: (imports − exports) / exports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TdrSpec {
    /// Fact holding U.S. imports from the partner.
    pub imports: Spanned<String>,
    /// Fact holding U.S. exports to the partner.
    pub exports: Spanned<String>,
}

/// A point of an indicator series: a label key and a value, a fact or a computed ratio.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    /// Label key, translated through the locale's `labels` file.
    pub label: Spanned<String>,
    /// The fact that holds the value (preferred: numbers live once).
    #[serde(default)]
    pub fact: Option<Spanned<String>>,
    /// A value stated only for this series.
    #[serde(default)]
    pub value: Option<Spanned<f64>>,
    /// A trade deficit ratio computed from two facts.
    #[serde(default)]
    pub tdr: Option<TdrSpec>,
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
    /// `chart-text.periods.<id>` wording instead).
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
    /// Horizontal bars, negative values to the left of zero.
    HorizontalBar,
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
    /// Series drawn, in order; several series must share their labels.
    pub series: Vec<Spanned<String>>,
    /// Width in millimetres on the page (default: full text width).
    #[serde(default)]
    pub width_mm: Option<f64>,
    /// Height in points of the SVG (default chosen by kind).
    #[serde(default)]
    pub height: Option<f64>,
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
}

/// A document the tool can build (`data/documents.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    /// Id used by `--doc` and in file names.
    pub id: Spanned<String>,
    /// Template file under `templates/`.
    pub template: Spanned<String>,
    /// A meeting pack: built for every audience, it includes the audience's other documents (src/pack.rs).
    #[serde(default)]
    pub pack: bool,
}

/// A reader the documents are made for (`data/audiences.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    /// Id used by `--audience` and in paths.
    pub id: Spanned<String>,
    /// Locale tags built for it.
    pub locales: Vec<Spanned<String>>,
    /// Documents built for it, in order.
    pub documents: Vec<Spanned<String>>,
    /// Fast fact ids in the order this audience reads them (default: all).
    #[serde(default)]
    pub fast_facts: Vec<Spanned<String>>,
    /// Whether its meeting pack is laid out for double-sided printing (default: yes; `--pack-duplex` overrides).
    #[serde(default)]
    pub pack_duplex: Option<bool>,
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

/// Everything in `data/`, loaded and validated.
#[derive(Debug, Clone)]
pub struct Model {
    /// The project root.
    pub root: PathBuf,
    /// Edition metadata.
    pub edition: Edition,
    /// Sources by id.
    pub sources: BTreeMap<String, Source>,
    /// Facts by id.
    pub facts: BTreeMap<String, Fact>,
    /// Series by id.
    pub series: BTreeMap<String, Series>,
    /// Charts by id.
    pub charts: BTreeMap<String, Chart>,
    /// Fast facts in seed order.
    pub fast_facts: Vec<FastFact>,
    /// Documents in declared order.
    pub documents: Vec<DocumentDef>,
    /// Audiences in declared order.
    pub audiences: Vec<Audience>,
    /// State one-pager rows.
    pub states: Vec<StateRow>,
    /// File each fact, series and source id was declared in (for messages).
    pub origin: BTreeMap<String, Loc>,
}

/// The trade deficit ratio: how many more dollars the U.S. imports for every dollar it exports.
pub fn tdr(imports: f64, exports: f64) -> f64 {
    (imports - exports) / exports
}

/// Converts a saphyr location into ours.
pub fn loc_of(file: &Path, l: &serde_saphyr::Location) -> Loc {
    Loc::new(file, l.line(), l.column())
}

/// Location of a spanned value.
pub fn sloc<T>(file: &Path, s: &Spanned<T>) -> Loc {
    loc_of(file, &s.referenced)
}

/// Reads a file as UTF-8, reporting bad bytes with their line and column.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => "create it: README.md's project layout lists the files a project needs",
            std::io::ErrorKind::IsADirectory => "remove or rename the folder; a file of this name is expected",
            _ => "check the file's permissions and that it can be read",
        };
        Diagnostic::error(Loc::file(rel), format!("failed to read file ({})", io_reason(&e))).with_hint(hint)
    })?;
    String::from_utf8(bytes).map_err(|e| utf8_error(rel, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// A diagnostic at the first byte that is not UTF-8: its line and its column in characters.
pub fn utf8_error(rel: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let good = bytes.get(..valid_up_to).unwrap_or(bytes);
    let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
    let byte = bytes.get(valid_up_to).map(|b| format!(" (byte 0x{b:02X})")).unwrap_or_default();
    Diagnostic::error(Loc::new(rel, line, col), format!("file is not valid UTF-8{byte}"))
        .with_hint("save the file as UTF-8 (the byte here belongs to another encoding, e.g. Latin-1 or Windows-1252)")
}

/// A short lowercase reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        std::io::ErrorKind::NotADirectory => "a folder on its path is a file".into(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Parses YAML text into `T`, turning a parse error into a located diagnostic.
pub fn parse_yaml<T: DeserializeOwned>(rel: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() || text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Diagnostic::error(Loc::file(rel), "file is empty").with_hint("add its entries, or delete the file"));
    }
    serde_saphyr::from_str::<T>(text).map_err(|e| yaml_error(rel, &e))
}

/// A located diagnostic from a saphyr error.
fn yaml_error(rel: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let loc = e.location().map(|l| loc_of(rel, &l)).unwrap_or_else(|| Loc::file(rel));
    let full = e.without_snippet().to_string();
    // saphyr may append a snippet; keep the first line, we print our own excerpt.
    let first = full.lines().next().unwrap_or("invalid YAML").trim().to_string();
    let msg = strip_location_prefix(&strip_location_suffix(&first));
    let lower = msg.to_lowercase();
    let hint = if lower.contains("unknown field") {
        "check the key's spelling against the schema in README.md".to_string()
    } else if lower.contains("duplicate") {
        "each key may appear once in a mapping; remove or rename one".to_string()
    } else if lower.contains("unknown variant") {
        "use one of the values listed".to_string()
    } else if lower.contains("floating point") || (lower.contains("invalid type") && lower.contains("f64")) {
        "write a plain finite number such as 296.2e9 (values beyond ±1.8e308 cannot be stored)".to_string()
    } else if let Some(field) = lower.strip_prefix("missing field ") {
        format!("add {field} to this entry")
    } else {
        "fix the YAML at this place".to_string()
    };
    Diagnostic::error(loc, format!("invalid YAML ({})", msg.trim_end_matches('.'))).with_hint(hint)
}

/// Removes saphyr's " at line X, column Y" suffix.
fn strip_location_suffix(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Removes saphyr's "error: line X column Y: " prefix (the location is printed separately).
fn strip_location_prefix(s: &str) -> String {
    let rest = s.strip_prefix("error: ").unwrap_or(s);
    let Some(after_line) = rest.strip_prefix("line ") else { return rest.to_string() };
    let after_num = after_line.trim_start_matches(|c: char| c.is_ascii_digit());
    let after_col = after_num.strip_prefix(" column ").or_else(|| after_num.strip_prefix(", column "));
    match after_col.map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit())).and_then(|r| r.strip_prefix(": ")) {
        Some(msg) => msg.to_string(),
        None => rest.to_string(),
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<(i32, u8, u8)> {
    let mut it = s.split('-');
    let y = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    (it.next().is_none() && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// Loads one YAML file, pushing a diagnostic on failure.
fn load<T: DeserializeOwned>(root: &Path, rel: &str, report: &mut Report) -> Option<T> {
    let rel = Path::new(rel);
    match read_text(root, rel).and_then(|t| parse_yaml(rel, &t)) {
        Ok(v) => Some(v),
        Err(d) => {
            report.push(d);
            None
        }
    }
}

/// Loads every `*.yaml` in a folder of lists, tagging each item with its file.
fn load_dir<T: DeserializeOwned>(root: &Path, dir: &str, report: &mut Report) -> Vec<(PathBuf, T)> {
    let mut out = Vec::new();
    for rel in yaml_files(root, dir) {
        if let Some(items) = load::<Vec<T>>(root, &rel.to_string_lossy(), report) {
            out.extend(items.into_iter().map(|i| (rel.clone(), i)));
        }
    }
    out
}

/// The YAML files of a folder under the root, sorted, as relative paths.
pub fn yaml_files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Checks ids are well formed and unique, filling `origin`.
fn register(
    kind: &str,
    file: &Path,
    id: &Spanned<String>,
    seen: &mut BTreeMap<String, Loc>,
    report: &mut Report,
) -> bool {
    let loc = sloc(file, id);
    let ok = !id.value.is_empty()
        && id.value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c));
    if !ok {
        report.push(
            Diagnostic::error(loc.clone(), format!("invalid {kind} id `{}`", id.value))
                .with_hint("ids use lowercase letters, digits, `_`, `-` and `.`"),
        );
    }
    if let Some(first) = seen.get(&id.value) {
        report.push(
            Diagnostic::error(loc, format!("duplicate {kind} id `{}`", id.value))
                .with_hint(format!("first declared at {first}; give one of them another id")),
        );
        return false;
    }
    seen.insert(id.value.clone(), loc);
    ok
}

/// Checks a finite value.
fn check_finite(file: &Path, what: &str, v: &Spanned<f64>, report: &mut Report) {
    if !v.value.is_finite() {
        report.push(
            Diagnostic::error(sloc(file, v), format!("{what} is not a finite number ({})", v.value))
                .with_hint("write the figure as a plain number, e.g. 296.2e9"),
        );
    } else if v.value.abs() >= 1e15 {
        report.push(
            Diagnostic::error(sloc(file, v), format!("{what} is implausibly large ({:e})", v.value))
                .with_hint("values are stored in base units; check the exponent"),
        );
    }
}

/// Checks that each reference names a known id.
fn check_refs(
    file: &Path,
    kind: &str,
    refs: &[Spanned<String>],
    known: &BTreeSet<String>,
    where_: &str,
    report: &mut Report,
) {
    for r in refs {
        if !known.contains(&r.value) {
            report.push(
                Diagnostic::error(sloc(file, r), format!("unknown {kind} `{}`", r.value))
                    .with_hint(format!("declare it in {where_} or fix the id")),
            );
        }
    }
}

impl Model {
    /// Loads and validates `data/` under `root`, reporting every problem at once.
    pub fn load(root: &Path, locales: &BTreeSet<String>) -> Result<Model, Report> {
        let mut report = Report::default();
        let edition: Option<Edition> = load(root, "data/edition.yaml", &mut report);
        let sources: Option<Vec<Source>> = load(root, "data/sources.yaml", &mut report);
        let documents: Option<Vec<DocumentDef>> = load(root, "data/documents.yaml", &mut report);
        let audiences: Option<Vec<Audience>> = load(root, "data/audiences.yaml", &mut report);
        let charts: Option<Vec<Chart>> = load(root, "data/charts.yaml", &mut report);
        let fast: Option<Vec<FastFact>> = load(root, "data/fast-facts.yaml", &mut report);
        let before = report.items.len();
        let facts: Vec<(PathBuf, Fact)> = load_dir(root, "data/facts", &mut report);
        let facts_ok = report.items.len() == before;
        let before = report.items.len();
        let series: Vec<(PathBuf, Series)> = load_dir(root, "data/series", &mut report);
        let series_ok = report.items.len() == before;
        // References into a file that failed to load are not checked: its own error is the one to fix.
        let (sources_ok, charts_ok, fast_ok) = (sources.is_some(), charts.is_some(), fast.is_some());
        let states: Option<Vec<StateRow>> = if root.join("data/states.yaml").exists() {
            load(root, "data/states.yaml", &mut report)
        } else {
            Some(Vec::new())
        };
        let docs_ok = documents.is_some() && states.is_some();

        let mut m = Model {
            root: root.to_path_buf(),
            edition: edition.clone().unwrap_or_else(|| Edition {
                id: String::new(),
                title: String::new(),
                date: Spanned::new(
                    "1970-01-01".into(),
                    serde_saphyr::Location::UNKNOWN,
                    serde_saphyr::Location::UNKNOWN,
                ),
                project: String::new(),
                website: String::new(),
            }),
            sources: BTreeMap::new(),
            facts: BTreeMap::new(),
            series: BTreeMap::new(),
            charts: BTreeMap::new(),
            fast_facts: Vec::new(),
            documents: Vec::new(),
            audiences: Vec::new(),
            states: Vec::new(),
            origin: BTreeMap::new(),
        };
        let f = |s: &str| PathBuf::from(s);
        if let Some(e) = &edition
            && parse_date(&e.date.value).is_none()
        {
            report.push(
                Diagnostic::error(sloc(&f("data/edition.yaml"), &e.date), format!("invalid date `{}`", e.date.value))
                    .with_hint("write the date as YYYY-MM-DD"),
            );
        }

        let mut seen = BTreeMap::new();
        for s in sources.unwrap_or_default() {
            if register("source", &f("data/sources.yaml"), &s.id, &mut seen, &mut report) {
                m.sources.insert(s.id.value.clone(), s);
            }
        }
        m.origin.extend(seen);
        let source_ids: BTreeSet<String> = m.sources.keys().cloned().collect();

        let mut seen = BTreeMap::new();
        for (file, fact) in facts {
            if register("fact", &file, &fact.id, &mut seen, &mut report) {
                check_finite(&file, &format!("fact `{}`", fact.id.value), &fact.value, &mut report);
                if sources_ok {
                    check_refs(&file, "source", &fact.sources, &source_ids, "data/sources.yaml", &mut report);
                }
                if fact.sources.is_empty() && fact.provisional.is_none() {
                    report.push(
                        Diagnostic::error(sloc(&file, &fact.id), format!("fact `{}` has no source", fact.id.value))
                            .with_hint("add `sources: [id]` naming the source the seed cites"),
                    );
                }
                m.facts.insert(fact.id.value.clone(), fact);
            }
        }
        m.origin.extend(seen);
        let fact_ids: BTreeSet<String> = m.facts.keys().cloned().collect();

        let mut seen = BTreeMap::new();
        for (file, s) in series {
            if !register("series", &file, &s.id, &mut seen, &mut report) {
                continue;
            }
            if sources_ok {
                check_refs(&file, "source", &s.sources, &source_ids, "data/sources.yaml", &mut report);
            }
            if s.points.is_empty() {
                report.push(
                    Diagnostic::error(sloc(&file, &s.id), format!("series `{}` has no points", s.id.value))
                        .with_hint("add at least one `- {label: .., fact: ..}` under `points`"),
                );
            }
            for p in &s.points {
                match (&p.fact, &p.value, &p.tdr) {
                    (Some(r), None, None) => {
                        if facts_ok {
                            check_refs(&file, "fact", std::slice::from_ref(r), &fact_ids, "data/facts/", &mut report)
                        }
                    }
                    (None, Some(v), None) => check_finite(&file, "series value", v, &mut report),
                    (None, None, Some(t)) => {
                        let refs = [t.imports.clone(), t.exports.clone()];
                        if facts_ok {
                            check_refs(&file, "fact", &refs, &fact_ids, "data/facts/", &mut report);
                        }
                        if m.facts.get(&t.exports.value).is_some_and(|f| f.value.value == 0.0) {
                            report.push(Diagnostic::error(
                                sloc(&file, &t.exports),
                                "exports are zero: the trade deficit ratio is undefined",
                            ));
                        }
                    }
                    _ => report.push(
                        Diagnostic::error(
                            sloc(&file, &p.label),
                            format!("point `{}` needs exactly one of `fact`, `value` or `tdr`", p.label.value),
                        )
                        .with_hint("prefer `fact: <id>` so the number lives once"),
                    ),
                }
            }
            m.series.insert(s.id.value.clone(), s);
        }
        m.origin.extend(seen);
        let series_ids: BTreeSet<String> = m.series.keys().cloned().collect();

        let cfile = f("data/charts.yaml");
        let mut seen = BTreeMap::new();
        for c in charts.unwrap_or_default() {
            if !register("chart", &cfile, &c.id, &mut seen, &mut report) {
                continue;
            }
            if series_ok {
                check_refs(&cfile, "series", &c.series, &series_ids, "data/series/", &mut report);
            }
            if c.series.is_empty() {
                report.push(Diagnostic::error(sloc(&cfile, &c.id), format!("chart `{}` names no series", c.id.value)));
            }
            let labels: Vec<Vec<&str>> = c
                .series
                .iter()
                .filter_map(|s| m.series.get(&s.value))
                .map(|s| s.points.iter().map(|p| p.label.value.as_str()).collect())
                .collect();
            if let Some(first) = labels.first() {
                for (i, l) in labels.iter().enumerate().skip(1) {
                    if l != first {
                        report.push(
                            Diagnostic::error(
                                sloc(&cfile, &c.series[i]),
                                format!(
                                    "series `{}` has labels [{}] but the chart's first series has [{}]",
                                    c.series[i].value,
                                    l.join(", "),
                                    first.join(", ")
                                ),
                            )
                            .with_hint("series drawn together must have the same points in the same order"),
                        );
                    }
                }
            }
            m.charts.insert(c.id.value.clone(), c);
        }
        let chart_ids: BTreeSet<String> = m.charts.keys().cloned().collect();

        let ffile = f("data/fast-facts.yaml");
        let mut seen = BTreeMap::new();
        for ff in fast.unwrap_or_default() {
            if register("fast fact", &ffile, &ff.id, &mut seen, &mut report) {
                if facts_ok {
                    check_refs(&ffile, "fact", ff.headline.as_slice(), &fact_ids, "data/facts/", &mut report);
                }
                if charts_ok {
                    check_refs(&ffile, "chart", ff.chart.as_slice(), &chart_ids, "data/charts.yaml", &mut report);
                }
                m.fast_facts.push(ff);
            }
        }
        let ff_ids: BTreeSet<String> = seen.keys().cloned().collect();

        let dfile = f("data/documents.yaml");
        let mut seen = BTreeMap::new();
        for d in documents.unwrap_or_default() {
            if register("document", &dfile, &d.id, &mut seen, &mut report) {
                if !root.join("templates").join(&d.template.value).is_file() {
                    report.push(
                        Diagnostic::error(
                            sloc(&dfile, &d.template),
                            format!("template `{}` not found", d.template.value),
                        )
                        .with_hint("create it under templates/ or fix the name"),
                    );
                }
                m.documents.push(d);
            }
        }
        let sfile = f("data/states.yaml");
        for st in states.unwrap_or_default() {
            let code = &st.code.value;
            if !STATE_CODES.contains(&code.as_str()) {
                report.push(
                    Diagnostic::error(sloc(&sfile, &st.code), format!("unknown state code `{code}`"))
                        .with_hint("use the two-letter postal code in lowercase, e.g. `ia` for Iowa"),
                );
                continue;
            }
            for t in st.exports.iter().chain(&st.imports).filter(|_| facts_ok) {
                check_refs(&sfile, "fact", t.fact.as_slice(), &fact_ids, "data/facts/", &mut report);
            }
            let id = Spanned::new(format!("state-{code}"), st.code.referenced, st.code.defined);
            if register("document", &sfile, &id, &mut seen, &mut report) {
                let template = Spanned::new(STATE_TEMPLATE.to_string(), st.code.referenced, st.code.defined);
                m.documents.push(DocumentDef { id, template, pack: false });
                m.states.push(st);
            }
        }
        if !m.states.is_empty() && !root.join("templates").join(STATE_TEMPLATE).is_file() {
            report.push(
                Diagnostic::error(Loc::file(&sfile), format!("template `{STATE_TEMPLATE}` not found"))
                    .with_hint("state one-pagers are made from templates/state.typ.j2"),
            );
        }
        let doc_ids: BTreeSet<String> = seen.keys().cloned().collect();
        let pack_ids: BTreeSet<String> = m.documents.iter().filter(|d| d.pack).map(|d| d.id.value.clone()).collect();

        let afile = f("data/audiences.yaml");
        let mut seen = BTreeMap::new();
        for a in audiences.unwrap_or_default() {
            if register("audience", &afile, &a.id, &mut seen, &mut report) {
                let (globs, plain): (Vec<_>, Vec<_>) =
                    a.documents.iter().cloned().partition(|d| d.value.ends_with('*'));
                if docs_ok {
                    check_refs(
                        &afile,
                        "document",
                        &plain,
                        &doc_ids,
                        "data/documents.yaml or data/states.yaml",
                        &mut report,
                    );
                }
                for d in plain.iter().filter(|d| pack_ids.contains(&d.value)) {
                    report.push(
                        Diagnostic::error(
                            sloc(&afile, d),
                            format!("`{}` is a meeting pack, which every audience gets", d.value),
                        )
                        .with_hint("remove it from the audience's documents: its pack includes them all"),
                    );
                }
                for g in globs.into_iter().filter(|_| docs_ok) {
                    let prefix = g.value.trim_end_matches('*');
                    if !doc_ids.iter().any(|d| d.starts_with(prefix) && !pack_ids.contains(d)) {
                        report.push(Diagnostic::error(sloc(&afile, &g), format!("`{}` matches no document", g.value)));
                    }
                }
                if fast_ok {
                    check_refs(&afile, "fast fact", &a.fast_facts, &ff_ids, "data/fast-facts.yaml", &mut report);
                }
                for l in &a.locales {
                    if !locales.contains(&l.value) {
                        report.push(
                            Diagnostic::error(sloc(&afile, l), format!("unknown locale `{}`", l.value)).with_hint(
                                format!(
                                    "known locales are the folders under locales/: {}",
                                    locales.iter().cloned().collect::<Vec<_>>().join(", ")
                                ),
                            ),
                        );
                    }
                }
                m.audiences.push(a);
            }
        }

        if report.has_errors() { Err(report) } else { Ok(m) }
    }

    /// What a final build refuses in the data: provisional facts and series, and figures without a source.
    ///
    /// The whole of `data/` is checked, not only the figures a selection shows: a final edition holds no
    /// placeholder figures anywhere.
    pub fn final_problems(&self) -> Report {
        let mut report = Report::default();
        let at = |id: &str| self.origin.get(id).cloned().unwrap_or_default();
        let entries = self.facts.iter().map(|(id, f)| ("figure", id, &f.provisional, f.sources.is_empty()));
        let series = self.series.iter().map(|(id, s)| ("series", id, &s.provisional, s.sources.is_empty()));
        for (kind, id, provisional, unsourced) in entries.chain(series) {
            if let Some(note) = provisional {
                report.push(
                    Diagnostic::error(
                        at(id),
                        format!("provisional {kind} `{id}`: a final build takes only figures the sources state"),
                    )
                    .with_hint(format!(
                        "replace it with the sourced figure and delete `provisional` (it says: {note})"
                    )),
                );
            }
            if unsourced {
                report.push(
                    Diagnostic::error(at(id), format!("{kind} `{id}` has no source"))
                        .with_hint("add `sources: [id]` naming the publication the figure comes from"),
                );
            }
        }
        report
    }

    /// The value of a series point, following its fact.
    pub fn point_value(&self, p: &Point) -> f64 {
        let fact = |id: &str| self.facts.get(id).map_or(f64::NAN, |f| f.value.value);
        match (&p.fact, &p.value, &p.tdr) {
            (Some(f), _, _) => fact(&f.value),
            (None, Some(v), _) => v.value,
            (None, None, Some(t)) => tdr(fact(&t.imports.value), fact(&t.exports.value)),
            _ => f64::NAN,
        }
    }

    /// The facts a point's value comes from.
    pub fn point_facts<'a>(&self, p: &'a Point) -> Vec<&'a str> {
        match (&p.fact, &p.tdr) {
            (Some(f), _) => vec![f.value.as_str()],
            (None, Some(t)) => vec![t.imports.value.as_str(), t.exports.value.as_str()],
            _ => Vec::new(),
        }
    }

    /// Whether a series point is provisional (its own series, or the fact it follows).
    pub fn point_provisional(&self, s: &Series, p: &Point) -> bool {
        s.provisional.is_some()
            || self.point_facts(p).iter().any(|id| self.facts.get(*id).is_some_and(|f| f.provisional.is_some()))
    }

    /// An audience's documents with `prefix*` patterns expanded, in declared order, followed by the packs
    /// (every audience gets each pack declared in `data/documents.yaml`).
    pub fn audience_documents(&self, a: &Audience) -> Vec<String> {
        let mut out = self.pack_contents(a);
        out.extend(self.documents.iter().filter(|d| d.pack).map(|d| d.id.value.clone()));
        out
    }

    /// The documents an audience's pack includes: its own documents with `prefix*` patterns expanded, in
    /// declared order (a pattern never matches a pack).
    pub fn pack_contents(&self, a: &Audience) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &a.documents {
            let matches: Vec<String> = match d.value.strip_suffix('*') {
                Some(prefix) => self
                    .documents
                    .iter()
                    .filter(|x| !x.pack && x.id.value.starts_with(prefix))
                    .map(|x| x.id.value.clone())
                    .collect(),
                None => vec![d.value.clone()],
            };
            for m in matches {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        out
    }

    /// The state row of a `state-<code>` document.
    pub fn state(&self, doc_id: &str) -> Option<&StateRow> {
        let code = doc_id.strip_prefix("state-")?;
        self.states.iter().find(|s| s.code.value == code)
    }

    /// The document definition with this id.
    pub fn document(&self, id: &str) -> Option<&DocumentDef> {
        self.documents.iter().find(|d| d.id.value == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::{LocaleMeta, Node};
    use proptest::prelude::*;

    /// Pieces of YAML syntax (structure, anchors, tags, odd numbers) to build hostile documents from.
    const PIECES: &[&str] = &[
        "- ",
        "id: ",
        "value: ",
        "unit: usd",
        "unit: ",
        "period: ",
        "sources: [",
        "points: [",
        "]",
        "[",
        "{",
        "}",
        ", ",
        ": ",
        ":",
        "\n",
        "\n  ",
        "\n    ",
        "  ",
        "&a ",
        "*a",
        "*b",
        "<<: *a",
        "!!float ",
        "!!str ",
        "!custom ",
        "|",
        "|-\n  ",
        ">",
        "'",
        "\"",
        "\\",
        "# c",
        ".nan",
        ".inf",
        "-.Inf",
        "1e400",
        "-1e400",
        "1e15",
        "0x1F",
        "0o17",
        "1_000",
        "~",
        "null",
        "true",
        "1",
        "-3.5",
        "296.2e9",
        "x",
        "é",
        "\t",
        "? ",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "\u{feff}",
        "\r\n",
        "\u{0}",
        "label: mx",
        "fact: ",
        "tdr: {imports: a, exports: b}",
    ];

    /// Hostile YAML: pieces of syntax, or arbitrary text.
    fn yaml() -> impl Strategy<Value = String> {
        let piece = prop_oneof![4 => proptest::sample::select(PIECES).prop_map(str::to_string), 1 => any::<String>()];
        prop::collection::vec(piece, 0..48).prop_map(|v| v.concat())
    }

    /// Parses `text` as `T`; an error must be a located YAML diagnostic, never a panic.
    fn parses<T: DeserializeOwned>(text: &str) -> Result<(), TestCaseError> {
        let rel = Path::new("data/x.yaml");
        if let Err(d) = parse_yaml::<T>(rel, text) {
            prop_assert_eq!(&d.loc.file, rel);
            prop_assert!(d.message.starts_with("invalid YAML (") || d.message == "file is empty", "{}", d.message);
        }
        Ok(())
    }

    proptest! {
        /// Loading never panics, whatever the text, for every schema in data/ and locales/.
        #[test]
        fn yaml_loading_never_panics(text in yaml()) {
            parses::<Vec<Fact>>(&text)?;
            parses::<Vec<Series>>(&text)?;
            parses::<Vec<Source>>(&text)?;
            parses::<Vec<Audience>>(&text)?;
            parses::<Vec<Chart>>(&text)?;
            parses::<Vec<StateRow>>(&text)?;
            parses::<Edition>(&text)?;
            parses::<LocaleMeta>(&text)?;
            parses::<BTreeMap<String, Node>>(&text)?;
        }

        /// Any bytes that are not UTF-8 are reported at a line and column inside the file.
        #[test]
        fn bad_bytes_are_located(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Err(e) = String::from_utf8(bytes.clone()) {
                let d = utf8_error(Path::new("x.yaml"), &bytes, e.utf8_error().valid_up_to());
                let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                prop_assert!(d.loc.line >= 1 && d.loc.line <= lines);
                prop_assert!(d.loc.col >= 1 && d.loc.col <= bytes.len() as u64);
                prop_assert!(d.message.starts_with("file is not valid UTF-8"));
            }
        }
    }

    /// Deeply nested YAML is an error, not a stack overflow, for data and locale schemas.
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for open in ["[", "{", "- ", "[a, ", "{a: "] {
            let text = open.repeat(100_000);
            assert!(parse_yaml::<Vec<Fact>>(Path::new("x.yaml"), &text).is_err());
            let text = format!("key: {}", open.repeat(100_000));
            assert!(parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text).is_err());
        }
        // Nesting within saphyr's depth budget but deep for serde's untagged buffering.
        for depth in [100, 500, 1000] {
            let text = format!("key: {}x{}", "[".repeat(depth), "]".repeat(depth));
            let _ = parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text);
        }
    }

    /// A billion-laughs alias bomb is refused quickly.
    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let (prev, next) = (if i == 0 { "a".to_string() } else { format!("a{i}") }, format!("a{}", i + 1));
            text.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let start = std::time::Instant::now();
        let parsed = parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text);
        assert!(parsed.is_err(), "a billion laughs was accepted");
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }

    /// saphyr's location prefix is stripped from messages.
    #[test]
    fn location_prefixes_are_stripped() {
        assert_eq!(strip_location_prefix("error: line 2 column 10: invalid floating point"), "invalid floating point");
        assert_eq!(strip_location_prefix("missing field `x`"), "missing field `x`");
    }
}
