//! `briefs diff`: every fact, series point, source and locale text that differs between two editions of a project.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Loc, Report, Severity};
use crate::locale::{self, Locale, REFERENCE};
use crate::model::{Fact, Model, Point, Series, Source, sloc};
use crate::render::{self, ChartRef};

/// How the differences are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DiffFormat {
    /// One line per change, with the documents that show it.
    #[default]
    Text,
    /// A JSON object with every change.
    Json,
}

/// Checked settings of a diff.
#[derive(Debug, Clone)]
pub struct DiffConfig {
    /// The old edition: a project folder, or a git revision of the new project's repository.
    pub old: String,
    /// The new project root.
    pub root: PathBuf,
    /// Output format.
    pub format: DiffFormat,
}

/// A document and the audiences it is built for that show a changed item.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Shown {
    /// Document id.
    pub document: String,
    /// Audience ids.
    pub audiences: Vec<String>,
}

/// One added, removed or changed item.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `fact`, `point`, `source` or `text`.
    pub kind: &'static str,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// Fact id, `series/label`, source id or locale key.
    pub id: String,
    /// The locale of a text change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The old value (facts and points formatted in en-US), absent when added.
    pub old: Option<String>,
    /// The new value, absent when removed.
    pub new: Option<String>,
    /// What else changed (period, sources, unit, ...), when the values alone do not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where the item is written (in the new project; in the old one when removed).
    pub at: String,
    /// The documents that show the item, in either edition.
    pub documents: Vec<Shown>,
}

/// The differences between two editions.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// Old edition id.
    pub old_edition: String,
    /// New edition id.
    pub new_edition: String,
    /// Every change: facts, then points, sources and texts, each sorted by id.
    pub changes: Vec<Change>,
}

/// Which (document, audience) pairs show each fact, chart and (locale, key).
#[derive(Default)]
struct Usage {
    facts: BTreeMap<String, BTreeSet<(String, String)>>,
    charts: BTreeMap<String, BTreeSet<(String, String)>>,
    keys: BTreeMap<(String, String), BTreeSet<(String, String)>>,
}

/// One loaded edition.
struct Side {
    model: Arc<Model>,
    locales: BTreeMap<String, Arc<Locale>>,
    usage: Usage,
    warnings: Report,
}

impl Side {
    /// The documents that show a fact, directly or through a chart of a series that follows it.
    fn fact_docs(&self, id: &str) -> BTreeSet<(String, String)> {
        let mut out = self.usage.facts.get(id).cloned().unwrap_or_default();
        for s in self.model.series.values() {
            if s.points.iter().any(|p| self.model.point_facts(p).contains(&id)) {
                out.extend(self.series_docs(&s.id.value));
            }
        }
        out
    }

    /// The documents that place a chart drawing a series.
    fn series_docs(&self, series: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for c in self.model.charts.values() {
            if c.series.iter().any(|s| s.value == series) {
                out.extend(self.usage.charts.get(&c.id.value).cloned().unwrap_or_default());
            }
        }
        out
    }

    /// The documents that cite a source: through a fact they show or a chart they place.
    fn source_docs(&self, id: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for f in self.model.facts.values() {
            if f.sources.iter().any(|s| s.value == id) {
                out.extend(self.fact_docs(&f.id.value));
            }
        }
        for s in self.model.series.values() {
            if s.sources.iter().any(|x| x.value == id) {
                out.extend(self.series_docs(&s.id.value));
            }
        }
        out
    }

    /// The documents that look up a key or one of its parents (lists and maps read whole) in a locale.
    fn key_docs(&self, tag: &str, key: &str) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for ((t, k), docs) in &self.usage.keys {
            if t == tag && (key == k || key.starts_with(&format!("{k}."))) {
                out.extend(docs.iter().cloned());
            }
        }
        out
    }

    /// The en-US locale, which formats every value shown by the diff.
    fn en(&self) -> Option<&Arc<Locale>> {
        self.locales.get(REFERENCE)
    }

    /// Where an id is declared, as `file:line`.
    fn at(&self, id: &str) -> String {
        self.model.origin.get(id).map(line_only).unwrap_or_default()
    }
}

/// A location shown as `file:line`.
fn line_only(l: &Loc) -> String {
    Loc::new(l.file.clone(), l.line, 0).to_string()
}

/// Loads data and locales of one edition and renders every document's Typst to see what it shows
/// (a document that fails to render is a warning: the diff still lists every change).
fn load_side(root: &Path) -> Result<Side, Report> {
    if !root.join("data").is_dir() {
        return Err(Diagnostic::error(Loc::file(root.display().to_string()), "not a briefs project (no data/ folder)")
            .with_hint("pass a project folder or a git revision such as HEAD~1")
            .into());
    }
    let tags = locale::available(root);
    let (locales, mut report) = locale::load_all(root, &tags);
    let model = match Model::load(root, &tags) {
        Ok(m) => m,
        Err(r) => {
            report.extend(r);
            return Err(report);
        }
    };
    report.extend(locale::check_completeness(&model, &locales));
    if report.has_errors() {
        return Err(report);
    }
    let model = Arc::new(model);
    let locales: BTreeMap<String, Arc<Locale>> = locales.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
    let mut jobs = Vec::new();
    for a in &model.audiences {
        for l in &a.locales {
            for d in model.audience_documents(a) {
                jobs.push((a, l.value.clone(), d));
            }
        }
    }
    let chart_refs: BTreeMap<String, Arc<BTreeMap<String, ChartRef>>> = locales
        .keys()
        .map(|tag| {
            let refs = model
                .charts
                .keys()
                .map(|id| {
                    let r = ChartRef {
                        path: format!("/charts/{tag}/{id}.svg"),
                        title: String::new(),
                        alt: String::new(),
                        source: String::new(),
                    };
                    (id.clone(), r)
                })
                .collect();
            (tag.clone(), Arc::new(refs))
        })
        .collect();
    let results: Vec<Result<(String, String, String, render::Rendered), Report>> = jobs
        .par_iter()
        .map(|(a, tag, d)| {
            let unknown =
                || Report::from(Diagnostic::error(Loc::default(), format!("unknown locale or document in {tag} {d}")));
            let locale = locales.get(tag).ok_or_else(unknown)?;
            let doc = model.document(d).ok_or_else(unknown)?;
            let refs = chart_refs.get(tag).ok_or_else(unknown)?;
            let r = crate::pack::render_any(&model, locale, refs, doc, a, true, None)?;
            Ok((tag.clone(), d.clone(), a.id.value.clone(), r))
        })
        .collect();
    let mut usage = Usage::default();
    let mut warnings = Report::default();
    for r in results {
        match r {
            Ok((tag, doc, aud, r)) => {
                let shown = (doc, aud);
                for f in r.facts {
                    usage.facts.entry(f).or_default().insert(shown.clone());
                }
                for c in r.charts {
                    usage.charts.entry(c).or_default().insert(shown.clone());
                }
                for k in r.keys {
                    usage.keys.entry((tag.clone(), k)).or_default().insert(shown.clone());
                }
            }
            Err(r) => {
                for d in r.items {
                    let d = Diagnostic {
                        severity: Severity::Warning,
                        message: format!("{} (the documents it shows are left out of the lists below)", d.message),
                        ..d
                    };
                    if !warnings.items.iter().any(|w| w.loc == d.loc && w.message == d.message) {
                        warnings.push(d);
                    }
                }
            }
        }
    }
    Ok(Side { model, locales, usage, warnings })
}

/// The order documents and audiences are listed in: as the new edition declares them.
struct Order {
    documents: Vec<String>,
    audiences: Vec<String>,
}

/// Groups (document, audience) pairs by document, both in declared order.
fn group(pairs: &BTreeSet<(String, String)>, order: &Order) -> Vec<Shown> {
    let mut by_doc: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (d, a) in pairs {
        by_doc.entry(d).or_default().push(a.clone());
    }
    let arank = |a: &String| order.audiences.iter().position(|x| x == a).unwrap_or(usize::MAX);
    for auds in by_doc.values_mut() {
        auds.sort_by(|a, b| (arank(a), a).cmp(&(arank(b), b)));
    }
    let rank = |d: &str| order.documents.iter().position(|x| x == d).unwrap_or(usize::MAX);
    let mut out: Vec<Shown> =
        by_doc.into_iter().map(|(d, audiences)| Shown { document: d.to_string(), audiences }).collect();
    out.sort_by(|a, b| (rank(&a.document), &a.document).cmp(&(rank(&b.document), &b.document)));
    out
}

/// A unit as written in YAML.
fn unit_name(u: crate::model::Unit) -> String {
    serde_json::to_value(u).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A list of ids as `a, b`, or `none`.
fn ids(list: &[Spanned<String>]) -> String {
    if list.is_empty() { "none".into() } else { list.iter().map(|s| s.value.as_str()).collect::<Vec<_>>().join(", ") }
}

/// Pushes `what a → b` when the two differ.
fn note(parts: &mut Vec<String>, what: &str, a: &str, b: &str) {
    if a != b {
        parts.push(format!("{what} {a} → {b}"));
    }
}

/// A value shown in a detail (`none` when absent).
fn opt(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("none")
}

/// What changed in a fact besides its formatted value, or `None` when nothing did.
fn fact_detail(o: &Fact, n: &Fact, shown_same: bool) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    if o.value.value.to_bits() != n.value.value.to_bits() && shown_same {
        parts.push(format!("value {} → {}", o.value.value, n.value.value));
    }
    note(&mut parts, "unit", &unit_name(o.unit), &unit_name(n.unit));
    note(&mut parts, "period", &o.period, &n.period);
    note(&mut parts, "sources", &ids(&o.sources), &ids(&n.sources));
    note(&mut parts, "provisional", opt(&o.provisional), opt(&n.provisional));
    note(&mut parts, "note", opt(&o.note), opt(&n.note));
    let value_changed = o.value.value.to_bits() != n.value.value.to_bits();
    (value_changed || !parts.is_empty()).then_some(parts)
}

/// How a point gets its value, for comparison.
fn point_def(p: &Point) -> String {
    match (&p.fact, &p.value, &p.tdr) {
        (Some(f), _, _) => format!("fact {}", f.value),
        (None, Some(v), _) => format!("value {}", v.value),
        (None, None, Some(t)) => format!("tdr {}/{}", t.imports.value, t.exports.value),
        _ => "nothing".into(),
    }
}

/// A source as one line.
fn source_line(s: &Source) -> String {
    let mut parts = vec![s.short.clone(), s.publisher.clone()];
    parts.extend(s.title.clone());
    parts.extend(s.year.map(|y| y.to_string()));
    parts.extend(s.url.clone());
    parts.join(", ")
}

/// Compares two editions item by item.
fn compare(old: &Side, new: &Side) -> Vec<Change> {
    let order = Order {
        documents: new.model.documents.iter().map(|d| d.id.value.clone()).collect(),
        audiences: new.model.audiences.iter().map(|a| a.id.value.clone()).collect(),
    };
    let (oen, nen) = (old.en(), new.en());
    let fmt = |l: Option<&Arc<Locale>>, f: &Fact| l.map(|l| l.format_value(f.unit, f.value.value)).unwrap_or_default();
    let mut changes = Vec::new();

    let fact_ids: BTreeSet<&String> = old.model.facts.keys().chain(new.model.facts.keys()).collect();
    for id in fact_ids {
        let (o, n) = (old.model.facts.get(id), new.model.facts.get(id));
        let (change, detail, docs, at) = match (o, n) {
            (None, Some(_)) => ("added", None, new.fact_docs(id), new.at(id)),
            (Some(_), None) => ("removed", None, old.fact_docs(id), format!("old {}", old.at(id))),
            (Some(of), Some(nf)) => {
                let shown_same = fmt(oen, of) == fmt(nen, nf);
                let Some(parts) = fact_detail(of, nf, shown_same) else { continue };
                let mut docs = old.fact_docs(id);
                docs.extend(new.fact_docs(id));
                let detail = (!parts.is_empty()).then(|| parts.join("; "));
                ("changed", detail, docs, new.at(id))
            }
            (None, None) => continue,
        };
        changes.push(Change {
            kind: "fact",
            change,
            id: id.clone(),
            locale: None,
            old: o.map(|f| fmt(oen, f)),
            new: n.map(|f| fmt(nen, f)),
            detail,
            at,
            documents: group(&docs, &order),
        });
    }

    let points = |s: &Side| -> BTreeMap<String, (String, Series, Point)> {
        let mut m = BTreeMap::new();
        for (sid, series) in &s.model.series {
            for p in &series.points {
                m.insert(format!("{sid}/{}", p.label.value), (sid.clone(), series.clone(), p.clone()));
            }
        }
        m
    };
    let (op, np) = (points(old), points(new));
    let point_ids: BTreeSet<&String> = op.keys().chain(np.keys()).collect();
    let shown = |side: &Side, (_, s, p): &(String, Series, Point)| {
        side.en().map(|l| l.format_value(s.unit, side.model.point_value(p))).unwrap_or_default()
    };
    let point_at = |side: &Side, (sid, _, p): &(String, Series, Point)| {
        side.model.origin.get(sid).map(|l| line_only(&sloc(&l.file, &p.label))).unwrap_or_default()
    };
    for id in point_ids {
        let (o, n) = (op.get(id), np.get(id));
        let (change, detail, docs, at) = match (o, n) {
            (None, Some(x)) => ("added", None, new.series_docs(&x.0), point_at(new, x)),
            (Some(x), None) => ("removed", None, old.series_docs(&x.0), format!("old {}", point_at(old, x))),
            (Some(a), Some(b)) => {
                let mut parts = Vec::new();
                let (da, db) = (point_def(&a.2), point_def(&b.2));
                if da != db {
                    parts.push(format!("{da} → {db}"));
                }
                note(&mut parts, "unit", &unit_name(a.1.unit), &unit_name(b.1.unit));
                if parts.is_empty() {
                    continue;
                }
                let mut docs = old.series_docs(&a.0);
                docs.extend(new.series_docs(&b.0));
                ("changed", Some(parts.join("; ")), docs, point_at(new, b))
            }
            (None, None) => continue,
        };
        changes.push(Change {
            kind: "point",
            change,
            id: id.clone(),
            locale: None,
            old: o.map(|x| shown(old, x)),
            new: n.map(|x| shown(new, x)),
            detail,
            at,
            documents: group(&docs, &order),
        });
    }

    let source_ids: BTreeSet<&String> = old.model.sources.keys().chain(new.model.sources.keys()).collect();
    for id in source_ids {
        let (o, n) = (old.model.sources.get(id), new.model.sources.get(id));
        let (change, detail, docs, at) = match (o, n) {
            (None, Some(_)) => ("added", None, new.source_docs(id), new.at(id)),
            (Some(_), None) => ("removed", None, old.source_docs(id), format!("old {}", old.at(id))),
            (Some(a), Some(b)) => {
                let mut parts = Vec::new();
                note(&mut parts, "short", &a.short, &b.short);
                note(&mut parts, "publisher", &a.publisher, &b.publisher);
                note(&mut parts, "title", opt(&a.title), opt(&b.title));
                note(
                    &mut parts,
                    "year",
                    &a.year.map_or("none".into(), |y| y.to_string()),
                    &b.year.map_or("none".into(), |y| y.to_string()),
                );
                note(&mut parts, "url", opt(&a.url), opt(&b.url));
                if parts.is_empty() {
                    continue;
                }
                let mut docs = old.source_docs(id);
                docs.extend(new.source_docs(id));
                ("changed", Some(parts.join("; ")), docs, new.at(id))
            }
            (None, None) => continue,
        };
        changes.push(Change {
            kind: "source",
            change,
            id: id.clone(),
            locale: None,
            old: o.map(source_line),
            new: n.map(source_line),
            detail,
            at,
            documents: group(&docs, &order),
        });
    }

    let tags: BTreeSet<&String> = old.locales.keys().chain(new.locales.keys()).collect();
    let empty = BTreeMap::new();
    let mut texts = Vec::new();
    for tag in tags {
        let ok = old.locales.get(tag).map_or(&empty, |l| &l.keys);
        let nk = new.locales.get(tag).map_or(&empty, |l| &l.keys);
        let keys: BTreeSet<&String> = ok.keys().chain(nk.keys()).collect();
        for key in keys {
            let (o, n) = (ok.get(key), nk.get(key));
            let (change, docs, at) = match (o, n) {
                (None, Some(_)) => ("added", new.key_docs(tag, key), text_at(new, tag, key)),
                (Some(_), None) => ("removed", old.key_docs(tag, key), format!("old {}", text_at(old, tag, key))),
                (Some(a), Some(b)) if a != b => {
                    let mut docs = old.key_docs(tag, key);
                    docs.extend(new.key_docs(tag, key));
                    ("changed", docs, text_at(new, tag, key))
                }
                _ => continue,
            };
            texts.push(Change {
                kind: "text",
                change,
                id: key.clone(),
                locale: Some(tag.clone()),
                old: o.cloned(),
                new: n.cloned(),
                detail: None,
                at,
                documents: group(&docs, &order),
            });
        }
    }
    texts.sort_by(|a, b| (&a.id, &a.locale).cmp(&(&b.id, &b.locale)));
    changes.extend(texts);
    changes
}

/// Where a locale key is written, as `file:line`.
fn text_at(side: &Side, tag: &str, key: &str) -> String {
    side.locales.get(tag).map(|l| line_only(&l.key_loc(key))).unwrap_or_default()
}

/// The documents line: `fast-facts (general, us-government), brief-auto (general)`.
fn shown_line(docs: &[Shown]) -> String {
    if docs.is_empty() {
        return "no document".into();
    }
    docs.iter().map(|s| format!("{} ({})", s.document, s.audiences.join(", "))).collect::<Vec<_>>().join(", ")
}

impl Diff {
    /// The differences as text: one line per change (texts merged across locales), its documents, and a count.
    pub fn to_text(&self) -> String {
        let mut out = format!("edition {} → {}\n", self.old_edition, self.new_edition);
        let mut count = 0;
        let mut i = 0;
        while i < self.changes.len() {
            let c = &self.changes[i];
            count += 1;
            if c.kind == "text" {
                let mut j = i;
                let mut locales = Vec::new();
                let mut docs: Vec<Shown> = Vec::new();
                while j < self.changes.len()
                    && self.changes[j].kind == "text"
                    && self.changes[j].id == c.id
                    && self.changes[j].change == c.change
                {
                    locales.extend(self.changes[j].locale.clone());
                    for s in &self.changes[j].documents {
                        match docs.iter_mut().find(|d| d.document == s.document) {
                            Some(d) => {
                                for a in &s.audiences {
                                    if !d.audiences.contains(a) {
                                        d.audiences.push(a.clone());
                                    }
                                }
                            }
                            None => docs.push(s.clone()),
                        }
                    }
                    j += 1;
                }
                out.push_str(&format!("{} text {} ({}) ({})\n", c.change, c.id, locales.join(", "), c.at));
                out.push_str(&format!("  shown in: {}\n", shown_line(&docs)));
                i = j;
                continue;
            }
            let values = match (&c.old, &c.new) {
                (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
                (Some(v), _) | (None, Some(v)) => v.clone(),
                (None, None) => String::new(),
            };
            let detail = c.detail.as_ref().map(|d| format!(" [{d}]")).unwrap_or_default();
            out.push_str(&format!("{} {} {}: {values}{detail} ({})\n", c.change, c.kind, c.id, c.at));
            out.push_str(&format!("  shown in: {}\n", shown_line(&c.documents)));
            i += 1;
        }
        match count {
            0 => out.push_str("no changes\n"),
            1 => out.push_str("1 change\n"),
            n => out.push_str(&format!("{n} changes\n")),
        }
        out
    }
}

/// Exports the tree of `root`'s git repository at `rev` into `dest` (`git archive <rev> | tar -x`).
fn export_revision(root: &Path, rev: &str, dest: &Path) -> Result<(), Diagnostic> {
    let fail = |msg: String| Diagnostic::error(Loc::file(root.display().to_string()), msg);
    if rev.starts_with('-') || rev.trim().is_empty() {
        return Err(fail(format!("`{rev}` is neither a folder nor a git revision"))
            .with_hint("pass an old project folder or a revision such as HEAD~1 or a tag"));
    }
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let verify = git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            fail(format!("`{rev}` is not a folder, and git (needed to read a revision) is not installed"))
                .with_hint("install git, or pass the old edition as a folder")
        } else {
            fail(format!("failed to run git ({e})"))
        }
    })?;
    if !verify.status.success() {
        let inside = git(&["rev-parse", "--is-inside-work-tree"]).is_ok_and(|o| o.status.success());
        return Err(if inside {
            fail(format!("`{rev}` is not a folder nor a revision of this project's git repository"))
                .with_hint("check the folder name, or use a revision `git log` shows (HEAD~1, a tag, a commit id)")
        } else {
            fail(format!("`{rev}` is not a folder, and the project is not in a git repository"))
                .with_hint("pass the old edition as a folder, or run inside a git checkout")
        });
    }
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", rev])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("failed to run git archive ({e})")))?;
    let Some(stdout) = archive.stdout.take() else {
        return Err(fail("failed to read git archive's output".into()));
    };
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| fail(format!("failed to run tar to unpack revision `{rev}` ({e})")))?;
    let archived = archive.wait_with_output().map_err(|e| fail(format!("git archive failed ({e})")))?;
    if !archived.status.success() {
        let msg = String::from_utf8_lossy(&archived.stderr).trim().to_string();
        return Err(fail(format!("git archive of `{rev}` failed ({msg})")));
    }
    if !tar.status.success() {
        let msg = String::from_utf8_lossy(&tar.stderr).trim().to_string();
        return Err(fail(format!("unpacking revision `{rev}` failed ({msg})")));
    }
    Ok(())
}

/// Points an old edition's diagnostics at the place they are read from: its folder, or `REV:path`.
fn relabel(report: Report, label: &dyn Fn(&Path) -> PathBuf) -> Report {
    Report {
        items: report
            .items
            .into_iter()
            .map(|mut d| {
                let file = if d.loc.file.as_os_str().is_empty() { PathBuf::new() } else { label(&d.loc.file) };
                d.loc.file = file;
                d.message = format!("old edition: {}", d.message);
                d
            })
            .collect(),
    }
}

/// Loads both editions and lists what differs: the text or JSON to print, and warnings.
pub fn run(cfg: &DiffConfig) -> Result<(String, Report), Report> {
    let old_path = Path::new(&cfg.old);
    let (old, _tmp) = if old_path.is_dir() {
        let abs = std::fs::canonicalize(old_path).unwrap_or_else(|_| old_path.to_path_buf());
        let mut old = load_side(&abs).map_err(|r| relabel(r, &|f| abs.join(f)))?;
        old.warnings = relabel(std::mem::take(&mut old.warnings), &|f| abs.join(f));
        (old, None)
    } else {
        let tmp = tempfile::tempdir().map_err(|e| {
            Report::from(Diagnostic::error(Loc::default(), format!("failed to create a temporary folder ({e})")))
        })?;
        export_revision(&cfg.root, &cfg.old, tmp.path())?;
        let rev = cfg.old.clone();
        let label = |f: &Path| PathBuf::from(format!("{rev}:{}", f.display()));
        let mut old = load_side(tmp.path()).map_err(|r| relabel(r, &label))?;
        old.warnings = relabel(std::mem::take(&mut old.warnings), &label);
        (old, Some(tmp))
    };
    let new = load_side(&cfg.root)?;
    let diff = Diff {
        old_edition: old.model.edition.id.clone(),
        new_edition: new.model.edition.id.clone(),
        changes: compare(&old, &new),
    };
    let text = match cfg.format {
        DiffFormat::Text => diff.to_text(),
        DiffFormat::Json => serde_json::to_string_pretty(&diff).unwrap_or_default() + "\n",
    };
    let mut warnings = old.warnings;
    warnings.extend(new.warnings);
    Ok((text, warnings))
}
