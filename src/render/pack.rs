//! Meeting packs: one Typst document per audience and locale, in two editions (`pack: screen` and `pack: print` in
//! data/documents.yaml): a cover, front matter, the audience's documents, a state annex and a back cover.
//!
//! A pack is composed in Typst, not glued from PDFs: its generated source (from the pack's template,
//! `templates/pack.typ.j2`) includes each document's own generated source as a file beside it
//! (`include "fast-facts.typ"`). In the pack's World the pack is `/<locale>/pack.typ` and a document
//! `/<locale>/<id>.typ`, the file id it has when built alone, so Typst reuses what it can of the evaluation and
//! layout it memoized there (see `typeset::WorldBase::source` and `brief`'s `anchor` in house.typ). A document in a
//! pack is rendered with `pack_part` set: it leaves out the audience's opening and closing boxes, which the pack
//! prints once, in its front matter and on its back cover; copyfitting sets it on its own.
//! Under `--emit-typst DIR` the same relative includes find `DIR/<locale>/<audience>/<id>.typ`.

use minijinja::Value;

use super::{Inputs, Rendered, render, render_with};
use crate::diag::Report;
use crate::ids::{DocumentId, DocumentKind, PackEdition};
use crate::model::{Audience, DocumentDef};

/// Renders any document: a pack through [`render_pack`], every other document through [`render`].
pub fn render_any(inputs: &Inputs, doc: &DocumentDef, audience: &Audience, draft: bool) -> Result<Rendered, Report> {
    match doc.kind {
        DocumentKind::Pack(edition) => render_pack(inputs, doc, edition, audience, draft),
        DocumentKind::Plain | DocumentKind::StateSheet { .. } => render(inputs, doc, audience, draft),
    }
}

/// The file name a document has beside its pack (and under `--emit-typst`, beside the pack's source).
pub fn part_file(doc_id: &str) -> String {
    format!("{doc_id}.typ")
}

/// Renders a pack: each of the audience's documents as a part of it, then the pack's template with `pack`:
/// `date` (the edition's date as Typst markup), `edition` (`screen` or `print`), `notice` (whether a blank page says so: the audience's `blank_page_notice`),
/// `documents` (`id`, `file`: the documents other than state sheets, in pack order), `states` (`id`, `file`,
/// `state`: the state sheets in the audience's order, set back to back in the annex) and `index` (`id`, `state`:
/// the state sheets in the locale's alphabetical order of their names). The result lists the documents' sources as
/// its parts, and everything they show as shown by the pack.
pub fn render_pack(
    inputs: &Inputs,
    doc: &DocumentDef,
    edition: PackEdition,
    audience: &Audience,
    draft: bool,
) -> Result<Rendered, Report> {
    let model = &inputs.model;
    let mut report = Report::default();
    let mut parts = Vec::new();
    for id in model.pack_contents(audience) {
        let Some(d) = model.document(&id) else { continue };
        match render_with(inputs, d, audience, draft, Value::from(()), true) {
            Ok(r) => parts.push((id, r)),
            Err(r) => report.extend(r),
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let state_of = |id: &str| model.state(id).map(|s| s.code.value.clone());
    let documents: Vec<serde_json::Value> = parts
        .iter()
        .filter(|(id, _)| state_of(id).is_none())
        .map(|(id, _)| serde_json::json!({ "id": id, "file": part_file(id) }))
        .collect();
    let mut states: Vec<(DocumentId, String, String)> = parts
        .iter()
        .filter_map(|(id, _)| {
            let code = state_of(id)?;
            let name = inputs.locale.keys.get(&format!("state.names.{code}")).cloned().unwrap_or_else(|| code.clone());
            Some((id.clone(), code, name))
        })
        .collect();
    let annex: Vec<serde_json::Value> = states
        .iter()
        .map(|(id, code, _)| serde_json::json!({ "id": id, "file": part_file(id), "state": code }))
        .collect();
    inputs.locale.sort_by_name(&mut states, |(_, _, name)| name);
    let index: Vec<serde_json::Value> =
        states.iter().map(|(id, code, _)| serde_json::json!({ "id": id, "state": code })).collect();
    // The date as the cover sets it: French ordinals superscript ("1er avril"), as in the documents' text.
    let date = inputs.locale.date(&model.edition.date);
    let date = inputs.locale.ordinal_markup(&date);
    let context = Value::from_serialize(serde_json::json!({
        "date": date,
        "edition": match edition {
            PackEdition::Screen => "screen",
            PackEdition::Print => "print",
        },
        "notice": audience.blank_page_notice,
        "documents": documents,
        "states": annex,
        "index": index,
    }));
    let mut pack = render_with(inputs, doc, audience, draft, context, false)?;
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
