//! Meeting packs: one Typst document per audience and locale with a cover, a contents page and the audience's
//! documents in its order.
//!
//! A pack is composed in Typst, not glued from PDFs: its generated source (from the pack's template,
//! `templates/pack.typ.j2`) includes each document's own generated source, the very text the document is built
//! from alone, as a file beside it (`include "fast-facts.typ"`). In the pack's World the pack is
//! `/<locale>/pack.typ` and a document `/<locale>/<id>.typ`, the file id it has when built alone, so Typst reuses
//! the evaluation and layout it memoized there (see `typeset::WorldBase::source` and `brief`'s `anchor` in
//! house.typ).
//! Under `--emit-typst DIR` the same relative includes find `DIR/<locale>/<audience>/<id>.typ`.

use minijinja::Value;

use super::{Inputs, Rendered, render, render_with};
use crate::diag::Report;
use crate::model::{Audience, DocumentDef};

/// Renders any document: a pack through [`render_pack`], every other document through [`render`].
/// `duplex` overrides the audience's `pack_duplex`.
pub fn render_any(
    inputs: &Inputs,
    doc: &DocumentDef,
    audience: &Audience,
    draft: bool,
    duplex: Option<bool>,
) -> Result<Rendered, Report> {
    if doc.pack { render_pack(inputs, doc, audience, draft, duplex) } else { render(inputs, doc, audience, draft) }
}

/// The file name a document has beside its pack (and under `--emit-typst`, beside the pack's source).
pub fn part_file(doc_id: &str) -> String {
    format!("{doc_id}.typ")
}

/// Renders a pack: each of the audience's documents, then the pack's template with `pack.documents` (`id`,
/// `file`, `state`: a state one-pager's code or none; in the audience's order) and `pack.duplex` (`duplex` if
/// given, else the audience's `pack_duplex`, else true). The result lists the documents' sources as its parts,
/// and everything they show as shown by the pack.
pub fn render_pack(
    inputs: &Inputs,
    doc: &DocumentDef,
    audience: &Audience,
    draft: bool,
    duplex: Option<bool>,
) -> Result<Rendered, Report> {
    let model = &inputs.model;
    let mut report = Report::default();
    let mut parts = Vec::new();
    for id in model.pack_contents(audience) {
        let Some(d) = model.document(&id) else { continue };
        match render(inputs, d, audience, draft) {
            Ok(r) => parts.push((id, r)),
            Err(r) => report.extend(r),
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let listed: Vec<serde_json::Value> = parts
        .iter()
        .map(|(id, _)| {
            serde_json::json!({
                "id": id,
                "file": part_file(id),
                "state": model.state(id).map(|s| s.code.value.clone()),
            })
        })
        .collect();
    let context = Value::from_serialize(serde_json::json!({
        "duplex": duplex.or(audience.pack_duplex).unwrap_or(true),
        "documents": listed,
    }));
    let mut pack = render_with(inputs, doc, audience, draft, context)?;
    for (id, r) in parts {
        for c in r.charts {
            if !pack.charts.contains(&c) {
                pack.charts.push(c);
            }
        }
        pack.facts.extend(r.facts);
        pack.keys.extend(r.keys);
        pack.provisional.extend(r.provisional);
        pack.parts.push((id, r.source));
    }
    Ok(pack)
}
