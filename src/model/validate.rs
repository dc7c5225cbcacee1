//! Validation at load: every file of `data/` read, every id and reference checked, one function per kind, and
//! every problem reported at once with its file, line and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::Model;
use super::schema::*;
use super::unit;
use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::{AudienceId, DocumentId, DocumentKind, LocaleTag};
use crate::io::{load_yaml, load_yaml_dir, sloc};

/// The raw contents of `data/`, each file `None` when it could not be read or parsed.
struct Files {
    edition: Option<EditionFile>,
    sources: Option<Vec<Source>>,
    documents: Option<Vec<DocumentEntry>>,
    audiences: Option<Vec<AudienceEntry>>,
    charts: Option<Vec<Chart>>,
    fast_facts: Option<Vec<FastFact>>,
    states: Option<Vec<StateRow>>,
    facts: Vec<(PathBuf, Fact)>,
    /// Whether every file under `data/facts/` loaded.
    facts_ok: bool,
    series: Vec<(PathBuf, Series)>,
    /// Whether every file under `data/series/` loaded.
    series_ok: bool,
}

impl Files {
    /// Reads and parses every file, reporting those that fail.
    fn read(root: &Path, report: &mut Report) -> Files {
        let edition = load_yaml(root, "data/edition.yaml", report);
        let sources = load_yaml(root, "data/sources.yaml", report);
        let documents = load_yaml(root, "data/documents.yaml", report);
        let audiences = load_yaml(root, "data/audiences.yaml", report);
        let charts = load_yaml(root, "data/charts.yaml", report);
        let fast_facts = load_yaml(root, "data/fast-facts.yaml", report);
        let before = report.items.len();
        let facts = load_yaml_dir(root, "data/facts", report);
        let facts_ok = report.items.len() == before;
        let before = report.items.len();
        let series = load_yaml_dir(root, "data/series", report);
        let series_ok = report.items.len() == before;
        let states = if root.join("data/states.yaml").exists() {
            load_yaml(root, "data/states.yaml", report)
        } else {
            Some(Vec::new())
        };
        Files { edition, sources, documents, audiences, charts, fast_facts, states, facts, facts_ok, series, series_ok }
    }
}

/// Checks ids are well formed and unique, recording where each was declared.
pub(super) fn register(
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

/// Checks that each reference names a known id.
fn check_refs<K: Ord + std::borrow::Borrow<str>>(
    file: &Path,
    kind: &str,
    refs: &[Spanned<String>],
    known: &BTreeSet<K>,
    where_: &str,
    report: &mut Report,
) {
    for r in refs {
        if !known.contains(r.value.as_str()) {
            let hint = match crate::diag::did_you_mean(&r.value, known.iter().map(|k| k.borrow())) {
                Some(close) => format!("did you mean `{close}`? (or declare `{}` in {where_})", r.value),
                None => format!("declare it in {where_} or fix the id"),
            };
            report.push(Diagnostic::error(sloc(file, r), format!("unknown {kind} `{}`", r.value)).with_hint(hint));
        }
    }
}

/// The ids of a map, as a set.
fn ids<T>(map: &BTreeMap<String, T>) -> BTreeSet<String> {
    map.keys().cloned().collect()
}

impl Model {
    /// Loads and validates `data/` under `root` (`locales` are the locale folders found), reporting every problem at once.
    pub fn load(root: &Path, locales: &BTreeSet<LocaleTag>) -> Result<Model, Report> {
        let mut report = Report::default();
        let units = super::value::units(root, &mut report);
        let files = unit::reading_with(&units, || Files::read(root, &mut report));
        let mut m = Model { edition: super::edition::edition(files.edition, &mut report), ..Model::default() };
        m.units = units.iter().map(|u| (u.name().to_string(), *u)).collect();
        // References into a file that failed to load are not checked: its own error is the one to fix.
        let sources_ok = files.sources.is_some();
        sources(&mut m, files.sources.unwrap_or_default(), &mut report);
        report.extend(super::edition::own_source(&m.edition, &m.sources));
        facts(&mut m, files.facts, sources_ok, &mut report);
        let facts_ok = files.facts_ok;
        series(&mut m, files.series, sources_ok, facts_ok, &mut report);
        let charts_ok = files.charts.is_some();
        charts(&mut m, files.charts.unwrap_or_default(), files.series_ok, &mut report);
        let fast_ok = files.fast_facts.is_some();
        let fast_ids = fast_facts(&mut m, files.fast_facts.unwrap_or_default(), facts_ok, charts_ok, &mut report);
        let docs_ok = files.documents.is_some() && files.states.is_some();
        let mut seen = documents(root, &mut m, files.documents.unwrap_or_default(), &mut report);
        states(root, &mut m, files.states.unwrap_or_default(), facts_ok, &mut seen, &mut report);
        let doc_ids: BTreeSet<DocumentId> = seen.keys().map(DocumentId::from).collect();
        let packs: BTreeSet<DocumentId> = m.documents.iter().filter(|d| d.is_pack()).map(|d| d.id.clone()).collect();
        let docs = docs_ok.then_some(&doc_ids);
        let refs = AudienceRefs { docs, packs: &packs, fast: fast_ok.then_some(&fast_ids), locales };
        audiences(&mut m, files.audiences.unwrap_or_default(), &refs, &mut report);
        if report.has_errors() { Err(report) } else { Ok(m) }
    }
}

/// Registers the sources of `data/sources.yaml`.
fn sources(m: &mut Model, list: Vec<Source>, report: &mut Report) {
    let mut seen = BTreeMap::new();
    for s in list {
        if register("source", Path::new("data/sources.yaml"), &s.id, &mut seen, report) {
            m.sources.insert(s.id.value.clone(), s);
        }
    }
    m.origin.extend(seen);
}

/// Registers the facts of `data/facts/`: finite values, known sources, a source or a provisional note each.
fn facts(m: &mut Model, list: Vec<(PathBuf, Fact)>, sources_ok: bool, report: &mut Report) {
    let source_ids = ids(&m.sources);
    let mut seen = BTreeMap::new();
    for (file, mut fact) in list {
        if !register("fact", &file, &fact.id, &mut seen, report) {
            continue;
        }
        if let Err(d) = super::value::resolve_value(&file, &mut fact) {
            report.push(d);
        }
        if sources_ok {
            check_refs(&file, "source", &fact.sources, &source_ids, "data/sources.yaml", report);
        }
        if fact.sources.is_empty() && fact.provisional.is_none() {
            report.push(
                Diagnostic::error(sloc(&file, &fact.id), format!("fact `{}` has no source", fact.id.value))
                    .with_hint("add `sources: [id]` naming the source the seed cites"),
            );
        }
        m.facts.insert(fact.id.value.clone(), fact);
    }
    m.origin.extend(seen);
}

/// Registers the series of `data/series/`: points with exactly one of fact, value or ratio, all known.
fn series(m: &mut Model, list: Vec<(PathBuf, Series)>, sources_ok: bool, facts_ok: bool, report: &mut Report) {
    let source_ids = ids(&m.sources);
    let fact_ids = ids(&m.facts);
    let mut seen = BTreeMap::new();
    for (file, s) in list {
        if !register("series", &file, &s.id, &mut seen, report) {
            continue;
        }
        if sources_ok {
            check_refs(&file, "source", &s.sources, &source_ids, "data/sources.yaml", report);
        }
        if s.points.is_empty() {
            report.push(
                Diagnostic::error(sloc(&file, &s.id), format!("series `{}` has no points", s.id.value))
                    .with_hint("add at least one `- {label: .., fact: ..}` under `points`"),
            );
        }
        for p in &s.points {
            match &p.value {
                PointValue::Fact(r) if facts_ok => {
                    check_refs(&file, "fact", std::slice::from_ref(r), &fact_ids, "data/facts/", report)
                }
                PointValue::Fact(_) => {}
                PointValue::Stated(v) => super::value::check_finite(&file, "series value", v, report),
                PointValue::Tdr(t) => {
                    if facts_ok {
                        let refs = [t.imports.clone(), t.exports.clone()];
                        check_refs(&file, "fact", &refs, &fact_ids, "data/facts/", report);
                    }
                    if m.facts.get(&t.exports.value).is_some_and(|f| f.number() == 0.0) {
                        report.push(Diagnostic::error(
                            sloc(&file, &t.exports),
                            "exports are zero: the trade deficit ratio is undefined",
                        ));
                    }
                }
                PointValue::Unclear => report.push(
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
}

/// Registers the charts of `data/charts.yaml`: known series that can be drawn together, sizes in range.
fn charts(m: &mut Model, list: Vec<Chart>, series_ok: bool, report: &mut Report) {
    let cfile = PathBuf::from("data/charts.yaml");
    let series_ids = ids(&m.series);
    let mut seen = BTreeMap::new();
    for c in list {
        if !register("chart", &cfile, &c.id, &mut seen, report) {
            continue;
        }
        if series_ok {
            check_refs(&cfile, "series", &c.series, &series_ids, "data/series/", report);
        }
        if c.series.is_empty() {
            report.push(Diagnostic::error(sloc(&cfile, &c.id), format!("chart `{}` names no series", c.id.value)));
        }
        chart_data(m, &c, report);
        m.charts.insert(c.id.value.clone(), c);
    }
}

/// Checks that a chart can be drawn: its series share labels and unit, every point has a finite value, and
/// its size is in range.
fn chart_data(m: &Model, chart: &Chart, report: &mut Report) {
    let id = &chart.id.value;
    let at = sloc(Path::new("data/charts.yaml"), &chart.id);
    // Each known series with where the chart names it: an unknown one (reported elsewhere) is left out, so the
    // two lists are walked together, never by one's index into the other.
    let named: Vec<(&Spanned<String>, &Series)> =
        chart.series.iter().filter_map(|s| m.series.get(&s.value).map(|series| (s, series))).collect();
    let series: Vec<&Series> = named.iter().map(|(_, s)| *s).collect();
    let labels: Vec<Vec<&str>> =
        series.iter().map(|s| s.points.iter().map(|p| p.label.value.as_str()).collect()).collect();
    if let Some(first) = labels.first().filter(|_| !chart.panels) {
        for ((named_at, _), l) in named.iter().zip(&labels).skip(1) {
            if l != first {
                report.push(
                    Diagnostic::error(
                        sloc(Path::new("data/charts.yaml"), *named_at),
                        format!(
                            "series `{}` has labels [{}] but the chart's first series has [{}]",
                            named_at.value,
                            l.join(", "),
                            first.join(", ")
                        ),
                    )
                    .with_hint("series drawn together must have the same points in the same order"),
                );
            }
        }
    }
    if let Some(first) = series.first() {
        for s in series.iter().filter(|s| s.unit != first.unit) {
            report.push(
                Diagnostic::error(
                    at.clone(),
                    format!(
                        "chart `{id}` draws series `{}` with series `{}`, which differs in points or unit",
                        s.id.value, first.id.value
                    ),
                )
                .with_hint("series drawn together must have the same labels and unit"),
            );
        }
    }
    for s in &series {
        let file = m.origin.get(&s.id.value).map_or_else(|| PathBuf::from("data/series"), |l| l.file.clone());
        // A point that follows an unknown fact, or states no single value, is reported as such, not again here.
        let known =
            |p: &Point| !matches!(p.value, PointValue::Unclear) && p.facts().iter().all(|f| m.facts.contains_key(*f));
        for p in s.points.iter().filter(|p| known(p)) {
            if !m.point_value(p).is_finite() {
                let at = match &p.value {
                    PointValue::Stated(v) => sloc(&file, v),
                    _ => sloc(&file, &p.label),
                };
                report.push(
                    Diagnostic::error(
                        at,
                        format!("point `{}` of series `{}` has no finite value", p.label.value, s.id.value),
                    )
                    .with_hint("give the point a number, or a `fact` with a finite value"),
                );
            }
        }
    }
    for (what, v, range) in [("width_mm", chart.width_mm, 20.0..=400.0), ("height", chart.height, 100.0..=1200.0)] {
        if let Some(v) = v.filter(|v| !range.contains(v)) {
            report.push(
                Diagnostic::error(
                    at.clone(),
                    format!("chart `{id}` has {what} {v}, outside {}–{}", range.start(), range.end()),
                )
                .with_hint(format!("give {what} as a number in that range, or leave it out for the default")),
            );
        }
    }
    chart_options(chart, &series, &labels, report);
}

/// Checks a chart's `highlight`, `sort`, `panels` and kind against its series: highlighted labels exist, a big
/// number has one series of two points, panels are horizontal bars that keep one order of their labels.
fn chart_options(chart: &Chart, series: &[&Series], labels: &[Vec<&str>], report: &mut Report) {
    let file = Path::new("data/charts.yaml");
    let id = &chart.id.value;
    let at = sloc(file, &chart.id);
    let mut error = |loc: Loc, msg: String, hint: &str| report.push(Diagnostic::error(loc, msg).with_hint(hint));
    let mut all: Vec<&str> = Vec::new();
    for l in labels.iter().flatten() {
        if !all.contains(l) {
            all.push(l);
        }
    }
    for h in chart.highlight.iter().filter(|h| !all.contains(&h.value.as_str())) {
        let known = all.join(", ");
        error(
            sloc(file, h),
            format!("chart `{id}` highlights `{}`, which is not a label of its series", h.value),
            &format!("name one of the labels: {known}"),
        );
    }
    if !chart.highlight.is_empty() && series.len() > 1 && !chart.panels {
        error(
            at.clone(),
            format!("chart `{id}` highlights bars but draws {} series side by side", series.len()),
            "several series keep one colour each (their legend's); remove `highlight`, or draw one series",
        );
    }
    if let Some(colour) = chart.colour.as_ref().filter(|_| !chart.highlight.is_empty() || series.len() > 1) {
        error(
            sloc(file, colour),
            format!("chart `{id}` sets one `colour` for every bar but also highlights bars or draws several series"),
            "keep one: `colour` for bars that carry the point together, `highlight` for the bars that carry it",
        );
    }
    if chart.panels && chart.kind != ChartKind::HorizontalBar {
        error(
            at.clone(),
            format!("chart `{id}` has `panels: true` but is not a horizontal_bar"),
            "use `type: horizontal_bar`, or remove `panels`",
        );
    }
    if let Some(sort) = chart.sort.as_ref().filter(|_| series.len() > 1 && !chart.panels) {
        error(
            sloc(file, sort),
            format!("chart `{id}` sorts by value but draws {} series side by side", series.len()),
            "remove `sort`, or draw one series (or `panels: true`, which sorts each panel)",
        );
    }
    if chart.kind == ChartKind::BigNumber {
        let points = series.first().map_or(0, |s| s.points.len());
        if series.len() != 1 || points != 2 {
            error(
                at.clone(),
                format!("chart `{id}` is a big_number but draws {} series of {points} points", series.len()),
                "a big number shows one series of exactly two points (before and after)",
            );
        }
        if !chart.highlight.is_empty() || chart.sort.is_some() {
            error(
                at.clone(),
                format!("chart `{id}` is a big_number with `highlight` or `sort`"),
                "remove them: both values are shown large",
            );
        }
    }
    if chart.kind == ChartKind::BarTable && series.len() != 1 {
        error(
            at.clone(),
            format!("chart `{id}` is a bar_table of {} series", series.len()),
            "a bar table shows one series",
        );
    }
    // Panels keep one order: labels found in two panels come in the same order in both.
    if chart.panels && chart.sort.is_none() && labels.len() == chart.series.len() {
        for (i, a) in labels.iter().enumerate() {
            for (j, b) in labels.iter().enumerate().skip(i + 1) {
                let common_a: Vec<&&str> = a.iter().filter(|l| b.contains(l)).collect();
                let common_b: Vec<&&str> = b.iter().filter(|l| a.contains(l)).collect();
                if common_a != common_b {
                    error(
                        sloc(file, &chart.series[j]),
                        format!(
                            "series `{}` orders its labels [{}] unlike series `{}` [{}]",
                            chart.series[j].value,
                            common_b.iter().map(|l| **l).collect::<Vec<_>>().join(", "),
                            chart.series[i].value,
                            common_a.iter().map(|l| **l).collect::<Vec<_>>().join(", ")
                        ),
                        "panels list their common labels in one order, so a reader finds each in the same place",
                    );
                }
            }
        }
    }
}

/// Registers the fast facts of `data/fast-facts.yaml`; returns their ids.
fn fast_facts(
    m: &mut Model,
    list: Vec<FastFact>,
    facts_ok: bool,
    charts_ok: bool,
    report: &mut Report,
) -> BTreeSet<String> {
    let ffile = PathBuf::from("data/fast-facts.yaml");
    let (fact_ids, chart_ids) = (ids(&m.facts), ids(&m.charts));
    let mut seen = BTreeMap::new();
    for ff in list {
        if register("fast fact", &ffile, &ff.id, &mut seen, report) {
            if facts_ok {
                check_refs(&ffile, "fact", ff.headline.as_slice(), &fact_ids, "data/facts/", report);
            }
            if charts_ok {
                check_refs(&ffile, "chart", ff.chart.as_slice(), &chart_ids, "data/charts.yaml", report);
            }
            check_refs(&ffile, "source", &ff.cites, &ids(&m.sources), "data/sources.yaml", report);
            m.fast_facts.push(ff);
        }
    }
    seen.into_keys().collect()
}

/// Registers the documents of `data/documents.yaml`, whose templates must exist; returns the ids seen.
fn documents(root: &Path, m: &mut Model, list: Vec<DocumentEntry>, report: &mut Report) -> BTreeMap<String, Loc> {
    let dfile = PathBuf::from("data/documents.yaml");
    let mut seen = BTreeMap::new();
    for d in list {
        if register("document", &dfile, &d.id, &mut seen, report) {
            if !root.join("templates").join(&d.template.value).is_file() {
                report.push(
                    Diagnostic::error(sloc(&dfile, &d.template), format!("template `{}` not found", d.template.value))
                        .with_hint("create it under templates/ or fix the name"),
                );
            }
            m.documents.push(DocumentDef { id: DocumentId::new(d.id.value), template: d.template.value, kind: d.kind });
        }
    }
    seen
}

/// Registers the state rows of `data/states.yaml` as `state-<code>` documents.
fn states(
    root: &Path,
    m: &mut Model,
    list: Vec<StateRow>,
    facts_ok: bool,
    seen: &mut BTreeMap<String, Loc>,
    report: &mut Report,
) {
    let sfile = PathBuf::from("data/states.yaml");
    let fact_ids = ids(&m.facts);
    for st in list {
        let code = &st.code.value;
        if !STATE_CODES.contains(&code.as_str()) {
            report.push(
                Diagnostic::error(sloc(&sfile, &st.code), format!("unknown state code `{code}`"))
                    .with_hint("use the two-letter postal code in lowercase, e.g. `ia` for Iowa"),
            );
            continue;
        }
        for t in st.exports.iter().chain(&st.imports).filter(|_| facts_ok) {
            check_refs(&sfile, "fact", t.fact.as_slice(), &fact_ids, "data/facts/", report);
        }
        let id = Spanned::new(DocumentKind::state_sheet_id(code).into(), st.code.referenced, st.code.defined);
        if register("document", &sfile, &id, seen, report) {
            let (template, kind) = (STATE_TEMPLATE.to_string(), DocumentKind::StateSheet { state: code.clone() });
            m.documents.push(DocumentDef { id: DocumentId::new(id.value), template, kind });
            m.states.push(st);
        }
    }
    if !m.states.is_empty() && !root.join("templates").join(STATE_TEMPLATE).is_file() {
        report.push(
            Diagnostic::error(Loc::file(&sfile), format!("template `{STATE_TEMPLATE}` not found"))
                .with_hint("state one-pagers are made from templates/state.typ.j2"),
        );
    }
}

/// What audiences may refer to; `None` when the file declaring them failed to load (not checked then).
struct AudienceRefs<'a> {
    docs: Option<&'a BTreeSet<DocumentId>>,
    /// The meeting packs, which every audience gets without naming them.
    packs: &'a BTreeSet<DocumentId>,
    fast: Option<&'a BTreeSet<String>>,
    locales: &'a BTreeSet<LocaleTag>,
}

/// Registers the audiences of `data/audiences.yaml`: known documents, fast facts and locales.
fn audiences(m: &mut Model, list: Vec<AudienceEntry>, refs: &AudienceRefs, report: &mut Report) {
    let afile = PathBuf::from("data/audiences.yaml");
    let mut seen = BTreeMap::new();
    for a in list {
        if !register("audience", &afile, &a.id, &mut seen, report) {
            continue;
        }
        if let Some(doc_ids) = refs.docs {
            let (globs, plain): (Vec<_>, Vec<_>) = a.documents.iter().cloned().partition(|d| d.value.ends_with('*'));
            let where_ = "data/documents.yaml or data/states.yaml";
            check_refs(&afile, "document", &plain, doc_ids, where_, report);
            for d in plain.iter().filter(|d| refs.packs.contains(d.value.as_str())) {
                report.push(
                    Diagnostic::error(
                        sloc(&afile, d),
                        format!("`{}` is a meeting pack, which every audience gets", d.value),
                    )
                    .with_hint("remove it from the audience's documents: its pack includes them all"),
                );
            }
            for g in globs {
                let prefix = g.value.trim_end_matches('*');
                if !doc_ids.iter().any(|d| d.starts_with(prefix) && !refs.packs.contains(d)) {
                    report.push(Diagnostic::error(sloc(&afile, &g), format!("`{}` matches no document", g.value)));
                }
            }
        }
        if let Some(d) = &a.pack_duplex {
            report.push(
                Diagnostic::error(
                    sloc(&afile, d),
                    "`pack_duplex` is retired: every build writes both editions of a pack",
                )
                .with_hint(
                    "delete the line: `pack.pdf` is for the screen, `pack-print.pdf` for double-sided printing \
                         (docs/meetings.md)",
                ),
            );
        }
        if let Some(fast_ids) = refs.fast {
            check_refs(&afile, "fast fact", &a.fast_facts, fast_ids, "data/fast-facts.yaml", report);
        }
        for l in a.locales.iter().filter(|l| !refs.locales.contains(l.value.as_str())) {
            let known = refs.locales.iter().map(LocaleTag::as_str).collect::<Vec<_>>().join(", ");
            report.push(
                Diagnostic::error(sloc(&afile, l), format!("unknown locale `{}`", l.value))
                    .with_hint(format!("known locales are the folders under locales/: {known}")),
            );
        }
        m.audiences.push(Audience {
            id: AudienceId::new(a.id.value),
            locales: a.locales.into_iter().map(|l| LocaleTag::new(l.value)).collect(),
            documents: a.documents.iter().map(|d| DocumentPick::read(&d.value)).collect(),
            fast_facts: a.fast_facts.into_iter().map(|f| f.value).collect(),
            blank_page_notice: a.blank_page_notice,
        });
    }
}
