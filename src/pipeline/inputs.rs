//! The hash of everything a document is made from: when it and the PDF on disk are unchanged, the document is not
//! typeset again.

use crate::ids::DocumentId;
use crate::io::sha256;
use crate::project::{JobId, Project};
use crate::render::Rendered;

/// What a document is made from, as hashed.
struct Made<'a> {
    /// The binary that typesets it (`crate::binary::IDENTITY`): an upgraded `briefs` typesets everything again.
    binary: &'a str,
    /// A final build (PDF/A and PDF/UA) or a draft.
    final_build: bool,
    /// The edition's id and ISO date: the PDF's identifier and timestamp come from them, not from the source.
    edition: (&'a str, &'a str),
    /// The generated Typst source.
    source: &'a str,
    /// The sources a pack includes, as (document id, text).
    parts: &'a [(DocumentId, String)],
    /// The files every document imports (`/house.typ`, `/palette.typ`), as (path, text).
    layout: Vec<(String, String)>,
    /// The SVG of every chart the document places.
    charts: Vec<&'a str>,
    /// The digest of the fonts.
    fonts: &'a str,
}

impl Made<'_> {
    /// The SHA-256 of it all.
    fn digest(&self) -> String {
        let mut buf = Vec::new();
        buf.extend_from_slice(self.binary.as_bytes());
        buf.push(0);
        buf.push(u8::from(self.final_build));
        buf.extend_from_slice(format!("{}\0{}\0", self.edition.0, self.edition.1).as_bytes());
        buf.extend_from_slice(self.source.as_bytes());
        for (id, text) in self.parts {
            buf.extend_from_slice(format!("\0{id}\0{}\0", text.len()).as_bytes());
            buf.extend_from_slice(text.as_bytes());
        }
        for (path, text) in &self.layout {
            buf.extend_from_slice(format!("\0{path}\0{}\0", text.len()).as_bytes());
            buf.extend_from_slice(text.as_bytes());
        }
        for svg in &self.charts {
            buf.extend_from_slice(svg.as_bytes());
        }
        buf.extend_from_slice(self.fonts.as_bytes());
        sha256(&buf)
    }
}

/// Hash of everything a document is made from: its Typst source (and a pack's documents' sources), the layout and
/// palette, charts, fonts, the edition's id and date, and the binary that typesets it.
pub fn inputs_hash(project: &Project, job: &JobId, rendered: &Rendered, final_build: bool) -> String {
    let charts = project.charts.get(&job.locale);
    let edition = &project.model.edition;
    let iso = edition.date.iso();
    Made {
        binary: crate::binary::IDENTITY,
        final_build,
        edition: (&edition.id, &iso),
        source: &rendered.source,
        parts: &rendered.parts,
        layout: project.layout_files(),
        charts: rendered
            .charts
            .iter()
            .filter_map(|id| charts.and_then(|c| c.get(id)))
            .flat_map(|c| c.drawings().map(|(_, svg)| svg))
            .collect(),
        fonts: &project.base.fonts.digest,
    }
    .digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_binaries_give_two_hashes_and_one_binary_one() {
        let made = |binary| Made {
            binary,
            final_build: false,
            edition: ("2026-07", "2026-07-01"),
            source: "= Title",
            parts: &[],
            layout: vec![("/house.typ".into(), "#let x = 1".into())],
            charts: vec!["<svg/>"],
            fonts: "fonts",
        };
        assert_ne!(made("0123456789abcdef").digest(), made("fedcba9876543210").digest());
        assert_eq!(made(crate::binary::IDENTITY).digest(), made(crate::binary::IDENTITY).digest());
        let other_edition = Made { edition: ("2026-10", "2026-10-01"), ..made(crate::binary::IDENTITY) };
        assert_ne!(other_edition.digest(), made(crate::binary::IDENTITY).digest());
    }
}
