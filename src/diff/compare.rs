//! Comparing two editions item by item: facts, series points, sources and locale texts.

use std::collections::{BTreeMap, BTreeSet};

use serde_saphyr::Spanned;

use super::edition::{LoadedEdition, line_only};
use super::{Change, ChangeKind, ItemKind, Shown};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::io::sloc;
use crate::locale::Locale;
use crate::model::edition::is_update;
use crate::model::{Fact, FactValue, Point, PointValue, Series, Source};

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
            documents: e.model.documents.iter().map(|d| d.id.clone()).collect(),
            audiences: e.model.audiences.iter().map(|a| a.id.clone()).collect(),
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
    match &p.value {
        PointValue::Fact(f) => format!("fact {}", f.value),
        PointValue::Stated(v) => format!("value {}", v.value),
        PointValue::Tdr(t) => format!("tdr {}/{}", t.imports.value, t.exports.value),
        PointValue::Unclear => "nothing".into(),
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
            kind: ItemKind::Edition,
            change: ChangeKind::Changed,
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
            kind: ItemKind::Edition,
            change: ChangeKind::Changed,
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

/// The (document, audience) pairs that show an item.
type Showing = BTreeSet<(DocumentId, AudienceId)>;

/// One kind of keyed item as the comparison sees it: how a side shows it, where it is written, which documents
/// show it, and what changed between two versions of it.
struct Item<'f, V> {
    /// What it is.
    kind: ItemKind,
    /// The locale of a text.
    locale: Option<&'f LocaleTag>,
    /// Its value as the change line shows it.
    shown: &'f dyn Fn(&LoadedEdition, &V) -> String,
    /// Where it is written in a side, as `file:line`.
    at: &'f dyn Fn(&LoadedEdition, &str, &V) -> String,
    /// The documents of a side that show it.
    docs: &'f dyn Fn(&LoadedEdition, &str, &V) -> Showing,
    /// What changed between the old and the new version: `None` when nothing did, else the detail, if any.
    detail: &'f dyn Fn(&V, &V) -> Option<Option<String>>,
}

/// Compares two keyed maps of one kind of item, pushing a change for each id added, removed or changed, by id.
fn keyed<'a, V: 'a>(
    (old, new): (&LoadedEdition, &LoadedEdition),
    (o_items, n_items): (impl IntoIterator<Item = (&'a String, &'a V)>, impl IntoIterator<Item = (&'a String, &'a V)>),
    item: &Item<V>,
    order: &Order,
    out: &mut Vec<Change>,
) {
    let (o_items, n_items): (BTreeMap<&String, &V>, BTreeMap<&String, &V>) =
        (o_items.into_iter().collect(), n_items.into_iter().collect());
    let ids: BTreeSet<&String> = o_items.keys().chain(n_items.keys()).copied().collect();
    for id in ids {
        let (o, n) = (o_items.get(id).copied(), n_items.get(id).copied());
        let (change, detail, docs, at) = match (o, n) {
            (None, Some(b)) => (ChangeKind::Added, None, (item.docs)(new, id, b), (item.at)(new, id, b)),
            (Some(a), None) => {
                (ChangeKind::Removed, None, (item.docs)(old, id, a), format!("old {}", (item.at)(old, id, a)))
            }
            (Some(a), Some(b)) => {
                let Some(detail) = (item.detail)(a, b) else { continue };
                let mut docs = (item.docs)(old, id, a);
                docs.extend((item.docs)(new, id, b));
                (ChangeKind::Changed, detail, docs, (item.at)(new, id, b))
            }
            (None, None) => continue,
        };
        out.push(Change {
            kind: item.kind,
            change,
            id: id.clone(),
            locale: item.locale.cloned(),
            old: o.map(|a| (item.shown)(old, a)),
            new: n.map(|b| (item.shown)(new, b)),
            detail,
            at,
            documents: group(&docs, order),
        });
    }
}

/// The details of a change joined, or `None` (nothing changed) when there are none.
fn parts_changed(parts: Vec<String>) -> Option<Option<String>> {
    (!parts.is_empty()).then(|| Some(parts.join("; ")))
}

/// Compares two editions item by item: the edition itself first, then facts, points, sources and texts.
pub(super) fn compare(old: &LoadedEdition, new: &LoadedEdition) -> Vec<Change> {
    let order = Order::of(new);
    let sides = (old, new);
    let mut changes = edition(old, new);

    let fact_shown = |side: &LoadedEdition, f: &Fact| side.en().map(|l| shown(l, f)).unwrap_or_default();
    let fact_details = |o: &Fact, n: &Fact| {
        let parts = fact_detail(o, n, fact_shown(old, o) == fact_shown(new, n))?;
        Some((!parts.is_empty()).then(|| parts.join("; ")))
    };
    let facts = Item {
        kind: ItemKind::Fact,
        locale: None,
        shown: &fact_shown,
        at: &|side, id, _| side.at(id),
        docs: &|side, id, _| side.fact_docs(id),
        detail: &fact_details,
    };
    keyed(sides, (&old.model.facts, &new.model.facts), &facts, &order, &mut changes);

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
    let point_details = |a: &(String, Series, Point), b: &(String, Series, Point)| {
        let mut parts = Vec::new();
        let (da, db) = (point_def(&a.2), point_def(&b.2));
        if da != db {
            parts.push(format!("{da} → {db}"));
        }
        note(&mut parts, "unit", a.1.unit.name(), b.1.unit.name());
        parts_changed(parts)
    };
    let point_items = Item {
        kind: ItemKind::Point,
        locale: None,
        shown: &|side, (_, s, p): &(String, Series, Point)| {
            side.en().map(|l| l.format_value(s.unit, side.model.point_value(p))).unwrap_or_default()
        },
        at: &|side, _, (sid, _, p)| {
            side.model.origin.get(sid).map(|l| line_only(&sloc(&l.file, &p.label))).unwrap_or_default()
        },
        docs: &|side, _, (sid, _, _)| side.series_docs(sid),
        detail: &point_details,
    };
    keyed(sides, (&op, &np), &point_items, &order, &mut changes);

    let own: Vec<&String> = own_sources(old, new).into_iter().map(|(id, _, _)| id).collect();
    let source_details = |a: &Source, b: &Source| {
        let mut parts = Vec::new();
        note(&mut parts, "short", &a.short, &b.short);
        note(&mut parts, "publisher", &a.publisher, &b.publisher);
        note(&mut parts, "title", opt(&a.title), opt(&b.title));
        let year = |s: &Source| s.year.map_or("none".into(), |y| y.to_string());
        note(&mut parts, "year", &year(a), &year(b));
        note(&mut parts, "url", opt(&a.url), opt(&b.url));
        parts_changed(parts)
    };
    let sources = Item {
        kind: ItemKind::Source,
        locale: None,
        shown: &|_, s| source_line(s),
        at: &|side, id, _| side.at(id),
        docs: &|side, id, _| side.source_docs(id),
        detail: &source_details,
    };
    let not_own = |(id, _): &(&String, &Source)| !own.contains(id);
    let source_maps = (old.model.sources.iter().filter(not_own), new.model.sources.iter().filter(not_own));
    keyed(sides, source_maps, &sources, &order, &mut changes);

    let tags: BTreeSet<&LocaleTag> = old.locales.keys().chain(new.locales.keys()).collect();
    let empty = BTreeMap::new();
    let mut texts = Vec::new();
    for tag in tags {
        let ok = old.locales.get(tag).map_or(&empty, |l| &l.keys);
        let nk = new.locales.get(tag).map_or(&empty, |l| &l.keys);
        let item = Item {
            kind: ItemKind::Text,
            locale: Some(tag),
            shown: &|_, t: &String| t.clone(),
            at: &|side, key, _| text_at(side, tag, key),
            docs: &|side, key, _| side.key_docs(tag, key),
            detail: &|a, b| (a != b).then_some(None),
        };
        keyed(sides, (ok, nk), &item, &order, &mut texts);
    }
    texts.sort_by(|a, b| (&a.id, &a.locale).cmp(&(&b.id, &b.locale)));
    changes.extend(texts);
    changes
}

/// Where a locale key is written, as `file:line`.
fn text_at(side: &LoadedEdition, tag: &str, key: &str) -> String {
    side.locales.get(tag).map(|l| line_only(&l.key_loc(key))).unwrap_or_default()
}
