//! Compiling one document: its World (sharing the project's caches) with its charts and a pack's parts, as
//! copyfitting sets it; PDF export; and the page sink that sees the compiled pages (`briefs review`).

use typst::foundations::Bytes;
use typst_layout::PagedDocument;

use super::fitting;
use crate::diag::Severity;
use crate::ids::DocumentId;
use crate::project::{JobId, Project};
use crate::render::Rendered;
use crate::render::pack::part_file;
use crate::typeset::{BriefWorld, TypstDiag};

/// Compiles one rendered document as copyfitting sets it (`fitting`): the World (to export from), the paged
/// document and Typst's warnings; or Typst's errors. A meeting pack's documents are set as each was set alone.
pub fn compile_one(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
    parts: &[(DocumentId, String)],
) -> Result<(BriefWorld, PagedDocument, Vec<TypstDiag>), Vec<TypstDiag>> {
    if parts.is_empty() {
        return fitting::compile_fitted(project, job, source, charts);
    }
    let mut fitted = Vec::with_capacity(parts.len());
    for (id, text) in parts {
        let part = JobId { document: id.clone(), ..job.clone() };
        fitted.push((id.clone(), fitting::fitted_source(project, &part, text, charts)?));
    }
    compile_source(project, job, source, charts, &fitted)
}

/// Compiles one generated source in its own World (sharing the project's caches): the World (to export from), the
/// paged document and Typst's warnings; or Typst's errors.
pub(super) fn compile_source(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
    parts: &[(DocumentId, String)],
) -> Result<(BriefWorld, PagedDocument, Vec<TypstDiag>), Vec<TypstDiag>> {
    let files: Vec<(String, Bytes)> = project
        .charts
        .get(&job.locale)
        .map(|c| {
            charts
                .iter()
                .filter_map(|id| c.get(id))
                .flat_map(|ch| ch.drawings())
                .map(|(path, svg)| (path, Bytes::new(svg.as_bytes().to_vec())))
                .collect()
        })
        .unwrap_or_default();
    // One main file per locale and document, whatever the audience: its audiences' sources differ in a few lines,
    // and under one file id the rest keeps its spans, so Typst reuses its layout (see `WorldBase::source`). A pack
    // includes each document under that same id, so it reuses the document's layout too (src/render/pack.rs).
    let main = format!("/{}/{}", job.locale, part_file(&job.document));
    let invalid = |path: &str| TypstDiag {
        severity: Severity::Error,
        message: format!("invalid document path {path}"),
        hints: Vec::new(),
        place: crate::typeset::Place::Unknown,
    };
    let mut world = BriefWorld::new(
        project.base.clone(),
        &main,
        source.to_string(),
        &project.layout_files(),
        &files,
        &project.model.edition.date,
    )
    .ok_or_else(|| vec![invalid(&main)])?;
    // A pack's documents sit beside it, where its `include "<id>.typ"` finds them (src/render/pack.rs).
    for (id, text) in parts {
        let path = format!("/{}/{}", job.locale, part_file(id));
        world.add_part(&path, id, text.clone()).ok_or_else(|| vec![invalid(&path)])?;
    }
    let (doc, warnings) = world.compile()?;
    Ok((world, doc, warnings))
}

/// Typesets one rendered document into PDF bytes, its page count and Typst's warnings (or Typst's errors), handing
/// the compiled pages to `sink` first if given.
pub(super) fn typeset_with(
    project: &Project,
    job: &JobId,
    rendered: &Rendered,
    final_build: bool,
    sink: Option<&dyn PageSink>,
) -> Result<(Vec<u8>, usize, Vec<TypstDiag>), Vec<TypstDiag>> {
    let (world, doc, warnings) = compile_one(project, job, &rendered.source, &rendered.charts, &rendered.parts)?;
    if let Some(sink) = sink {
        sink.pages(job, &doc, &warnings);
    }
    let ident = format!("{}/{}", project.model.edition.id, job.rel_path());
    let pdf = world.export(&doc, &ident, final_build)?;
    Ok((pdf, doc.pages().len(), warnings))
}

/// Receives what a build makes of each document besides its PDF (`briefs review` renders page images from the
/// same compiled document). Called from the worker threads.
pub trait PageSink: Sync {
    /// Sees every rendered document with the hash of its inputs; returns whether it wants its compiled pages (an
    /// unchanged document is then compiled, though not written, to hand them over).
    fn wants(&self, job: &JobId, rendered: &Rendered, inputs: &str) -> bool;
    /// Takes the compiled pages of a document it wanted, with Typst's warnings.
    fn pages(&self, job: &JobId, doc: &PagedDocument, warnings: &[TypstDiag]);
}
