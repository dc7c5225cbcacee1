//! Comparing two editions item by item: facts, series points, sources and locale texts.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::edition::{LoadedEdition, line_only};
use super::{Change, Shown};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::io::sloc;
use crate::locale::Locale;
use crate::model::edition::is_update;
use crate::model::{Fact, FactValue, Point, Series, Source};

/// The order documents and audiences are listed in: as the new edition declares them.
pub(super) struct Order {
    /// Document ids in declared order.
    documents: Vec<DocumentId>,
    /// Audience ids in declared order.
    audiences: Vec<AudienceId>,
}

impl Order {
    /// The order an edition declares.
    pub(super) fn of(e: &LoadedEdition) -> Order {
        Order {
            documents: e.model.documents.iter().map(|d| DocumentId::from(&d.id.value)).collect(),
            audiences: e.model.audiences.iter().map(|a| AudienceId::from(&a.id.value)).collect(),
        }
    }
}

/// Groups (document, audience) pairs by document, both in declared order.
pub(super) fn group(pairs: &BTreeSet<(DocumentId, AudienceId)>, order: &Order) -> Vec<Shown> {
    let mut by_doc: BTreeMap<&str, Vec<AudienceId>> = BTreeMap::new();
    for (d, a) in pairs {
        by_doc.entry(d).or_default().push(a.clone());
    }
    let arank = |a: &AudienceId| order.audiences.iter().position(|x| x == a).unwrap_or(usize::MAX);
    for auds in by_doc.values_mut() {
        auds.sort_by(|a, b| (arank(a), a).cmp(&(arank(b), b)));
    }
    let rank = |d: &str| order.documents.iter().position(|x| x == d).unwrap_or(usize::MAX);
    let mut out: Vec<Shown> =
        by_doc.into_iter().map(|(d, audiences)| Shown { document: DocumentId::from(d), audiences }).collect();
    out.sort_by(|a, b| (rank(&a.document), &a.document).cmp(&(rank(&b.document), &b.document)));
    out
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
    let value_changed = !same_value(&o.value.value, &n.value.value);
    if value_changed && shown_same {
        parts.push(format!("value {} → {}", o.value.value.as_written(), n.value.value.as_written()));
    }
    note(&mut parts, "unit", o.unit.name(), n.unit.name());
    note(&mut parts, "period", &o.period, &n.period);
    note(&mut parts, "sources", &ids(&o.sources), &ids(&n.sources));
    note(&mut parts, "provisional", opt(&o.provisional), opt(&n.provisional));
    note(&mut parts, "note", opt(&o.note), opt(&n.note));
    (value_changed || !parts.is_empty()).then_some(parts)
}

/// A fact's value as a locale writes it (a date as a date).
fn shown(locale: &Locale, f: &Fact) -> String {
    match &f.value.value {
        FactValue::Date(d) => locale.format_date(f.unit, d),
        _ => locale.format_value(f.unit, f.number()),
    }
}

/// Whether two values are the same (numbers bit for bit).
fn same_value(a: &FactValue, b: &FactValue) -> bool {
    match (a, b) {
        (FactValue::Number(x), FactValue::Number(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
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

/// The edition itself: its id, title and date, where they changed (every document shows them).
fn edition(old: &LoadedEdition, new: &LoadedEdition) -> Vec<Change> {
    let (o, n) = (&old.model.edition, &new.model.edition);
    let fields = [("id", &o.id, &n.id), ("title", &o.title, &n.title)];
    let mut changes: Vec<Change> = fields
        .into_iter()
        .map(|(f, a, b)| (f, a.clone(), b.clone()))
        .chain(std::iter::once(("date", o.date.iso(), n.date.iso())))
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| Change {
            kind: "edition",
            change: "changed",
            id: field.to_string(),
            locale: None,
            old: Some(a),
            new: Some(b),
            detail: None,
            at: n.origin.get(field).map(line_only).unwrap_or_else(|| "data/edition.yaml".to_string()),
            documents: Vec::new(),
        })
        .collect();
    changes.sort_by_key(|c| ["id", "title", "date"].iter().position(|f| *f == c.id));
    // The update's own entry among the sources (its title is the edition's) changes with the edition.
    for (id, a, b) in own_sources(old, new) {
        changes.push(Change {
            kind: "edition",
            change: "changed",
            id: format!("source {id}"),
            locale: None,
            old: Some(source_line(a)),
            new: Some(source_line(b)),
            detail: None,
            at: new.at(id),
            documents: Vec::new(),
        });
    }
    changes
}

/// The sources that are the update itself in both editions and differ only by the edition's title and year.
fn own_sources<'a>(old: &'a LoadedEdition, new: &'a LoadedEdition) -> Vec<(&'a String, &'a Source, &'a Source)> {
    let (oe, ne) = (&old.model.edition, &new.model.edition);
    old.model
        .sources
        .iter()
        .filter_map(|(id, a)| new.model.sources.get(id).map(|b| (id, a, b)))
        .filter(|(_, a, b)| is_update(a, oe) && is_update(b, ne) && a.title != b.title)
        .filter(|(_, a, b)| (&a.short, &a.publisher, &a.url) == (&b.short, &b.publisher, &b.url))
        .collect()
}

/// Compares two editions item by item: the edition itself first, then facts, points, sources and texts.
pub(super) fn compare(old: &LoadedEdition, new: &LoadedEdition) -> Vec<Change> {
    let order = Order::of(new);
    let (oen, nen) = (old.en(), new.en());
    let fmt = |l: Option<&Arc<Locale>>, f: &Fact| l.map(|l| shown(l, f)).unwrap_or_default();
    let mut changes = edition(old, new);

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

    let points = |s: &LoadedEdition| -> BTreeMap<String, (String, Series, Point)> {
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
    let shown = |side: &LoadedEdition, (_, s, p): &(String, Series, Point)| {
        side.en().map(|l| l.format_value(s.unit, side.model.point_value(p))).unwrap_or_default()
    };
    let point_at = |side: &LoadedEdition, (sid, _, p): &(String, Series, Point)| {
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
                note(&mut parts, "unit", a.1.unit.name(), b.1.unit.name());
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

    let own: Vec<&String> = own_sources(old, new).into_iter().map(|(id, _, _)| id).collect();
    let source_ids: BTreeSet<&String> = old.model.sources.keys().chain(new.model.sources.keys()).collect();
    for id in source_ids.into_iter().filter(|id| !own.contains(id)) {
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

    let tags: BTreeSet<&LocaleTag> = old.locales.keys().chain(new.locales.keys()).collect();
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
fn text_at(side: &LoadedEdition, tag: &str, key: &str) -> String {
    side.locales.get(tag).map(|l| line_only(&l.key_loc(key))).unwrap_or_default()
}
