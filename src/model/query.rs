//! Queries on the loaded data: point values and their facts, an audience's documents, what final builds refuse.

use super::schema::{Audience, DocumentDef, DocumentPick, Point, PointValue, Series, StateRow};
use super::{Model, tdr};
use crate::diag::{Diagnostic, Kind, Report};
use crate::ids::DocumentId;

/// The two-page fact sheet a meeting pack puts first among its documents, when the audience has it.
pub const AT_A_GLANCE: &str = "at-a-glance";

impl Model {
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
                    .with_hint(format!("replace it with the sourced figure and delete `provisional` (it says: {note})"))
                    .fact(Kind::Provisional, id),
                );
            }
            if unsourced {
                report.push(
                    Diagnostic::error(at(id), format!("{kind} `{id}` has no source"))
                        .with_hint("add `sources: [id]` naming the publication the figure comes from")
                        .fact(Kind::Provisional, id),
                );
            }
        }
        report
    }

    /// The value of a series point, following its fact.
    pub fn point_value(&self, p: &Point) -> f64 {
        let fact = |id: &str| self.facts.get(id).map_or(f64::NAN, |f| f.number());
        match &p.value {
            PointValue::Fact(f) => fact(&f.value),
            PointValue::Stated(v) => v.value,
            PointValue::Tdr(t) => tdr(fact(&t.imports.value), fact(&t.exports.value)),
            PointValue::Unclear => f64::NAN,
        }
    }

    /// Whether a series point is provisional (its own series, or the fact it follows).
    pub fn point_provisional(&self, s: &Series, p: &Point) -> bool {
        s.provisional.is_some()
            || p.facts().iter().any(|id| self.facts.get(*id).is_some_and(|f| f.provisional.is_some()))
    }

    /// An audience's documents with `prefix*` patterns expanded, in declared order.
    pub fn audience_documents(&self, a: &Audience) -> Vec<DocumentId> {
        let mut out = self.pack_contents(a);
        out.extend(self.documents.iter().filter(|d| d.is_pack()).map(|d| d.id.clone()));
        out
    }

    /// The documents an audience's pack includes: its own documents with `prefix*` patterns expanded, in
    /// declared order (a pattern never matches a pack), except that `AT_A_GLANCE` comes first.
    pub fn pack_contents(&self, a: &Audience) -> Vec<DocumentId> {
        let mut out: Vec<DocumentId> = Vec::new();
        for d in &a.documents {
            let matches: Vec<DocumentId> = match d {
                DocumentPick::Prefix(prefix) => self
                    .documents
                    .iter()
                    .filter(|x| !x.is_pack() && x.id.starts_with(prefix.as_str()))
                    .map(|x| x.id.clone())
                    .collect(),
                DocumentPick::One(id) => vec![id.clone()],
            };
            for m in matches {
                if !out.contains(&m) {
                    out.push(m);
                }
            }
        }
        if let Some(i) = out.iter().position(|d| *d == AT_A_GLANCE) {
            let first = out.remove(i);
            out.insert(0, first);
        }
        out
    }

    /// The state row of a state sheet.
    pub fn state(&self, doc_id: &str) -> Option<&StateRow> {
        let code = self.document(doc_id)?.kind.state()?;
        self.states.iter().find(|s| s.code.value == code)
    }

    /// The document definition with this id.
    pub fn document(&self, id: &str) -> Option<&DocumentDef> {
        self.documents.iter().find(|d| d.id == id)
    }
}
