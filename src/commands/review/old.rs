//! The old edition's pages, rendered the same way as the new ones (and with the new edition's furniture), to mark
//! the pages that look different. Pixel
//! hashes are cached by the old document's inputs (`OUT/.review-cache/old/`); the old images of changed pages are
//! written beside the new ones (`<n>-old.png`) so a reviewer can compare.

use std::collections::BTreeMap;
use std::path::Path;

use super::thumbs::{Meta, meta_path, page_dir, read_meta};
use crate::diag::Report;
use crate::model::Edition;
use crate::output::write_atomic;
use crate::pages;
use crate::pipeline::{compile_one, inputs_hash, per_document};
use crate::project::{JobId, LoadOptions, Project, Selection};

/// How one document compares with the old edition.
#[derive(Debug, Clone, Default)]
pub struct PageChanges {
    /// Whether the old edition had this document at all.
    pub existed: bool,
    /// Pages (1-based) that look different or are new.
    pub changed: Vec<usize>,
    /// Pages (1-based) that have an old image to compare with.
    pub with_old: Vec<usize>,
    /// Whether its changed pages get full-size images (not a meeting pack's: its pages are its documents', whose
    /// cards have them).
    pub images: bool,
}

/// Compares each new document's page hashes with the old edition's at `old_root`.
/// The old edition's pages are rendered with the new edition's own furniture (`edition`: its id, title and date on
/// covers, running headers and footers), so a page whose only difference is the edition is not marked changed.
pub fn compare(
    old_root: &Path,
    edition: &Edition,
    new: &BTreeMap<JobId, Meta>,
    site: &Path,
    cache: &Path,
) -> Result<BTreeMap<JobId, PageChanges>, Report> {
    let mut project = Project::load(old_root, LoadOptions::default())?;
    project.set_edition(edition.clone());
    let old_jobs = project.jobs(&Selection::default()).unwrap_or_default();
    let jobs: Vec<JobId> = new.keys().cloned().collect();
    let results = per_document(&jobs, |_, job| -> Result<(JobId, PageChanges), String> {
        let Some(meta) = new.get(job) else { return Ok((job.clone(), PageChanges::default())) };
        let images = !project.is_pack(job);
        let absent = || {
            let changed = (1..=meta.pages.len()).collect();
            (job.clone(), PageChanges { existed: false, changed, with_old: Vec::new(), images })
        };
        if !old_jobs.contains(job) {
            return Ok(absent());
        }
        let Ok(rendered) = project.render(job, true) else { return Ok(absent()) };
        let inputs = inputs_hash(&project, job, &rendered, false);
        let cached = read_meta(&meta_path(cache, job)).filter(|m| m.inputs == inputs);
        let differs = |old: &[String]| -> Vec<usize> {
            (0..meta.pages.len()).filter(|&i| old.get(i) != meta.pages.get(i)).map(|i| i + 1).collect()
        };
        if let Some(old) = &cached {
            let changed = differs(&old.pages);
            if changed.iter().all(|&n| n > old.pages.len()) {
                // Nothing to draw: no page both old and changed.
                return Ok((job.clone(), PageChanges { existed: true, changed, with_old: Vec::new(), images }));
            }
        }
        let Ok((_, doc, _)) = compile_one(&project, job, &rendered.source, &rendered.charts, &rendered.parts) else {
            return Ok(absent());
        };
        let hashes = pages::hashes(&doc);
        let changed = differs(&hashes);
        let dir = site.join(page_dir(job));
        let mut with_old = Vec::new();
        for &n in changed.iter().filter(|&&n| images && n <= hashes.len()) {
            if let Some(page) = doc.pages().get(n - 1) {
                write_atomic(&dir.join(format!("{n}-old.png")), &pages::render_full(page)?)?;
                with_old.push(n);
            }
        }
        if cached.is_none() {
            let m = Meta { inputs, pages: hashes.clone(), warnings: Vec::new() };
            write_atomic(&meta_path(cache, job), serde_json::to_string_pretty(&m).unwrap_or_default().as_bytes())?;
        }
        Ok((job.clone(), PageChanges { existed: true, changed, with_old, images }))
    });
    let mut out = BTreeMap::new();
    for r in results.into_iter().flatten() {
        let (job, c) = r.map_err(|e| Report::from(crate::diag::Diagnostic::plain(format!("old edition: {e}"))))?;
        out.insert(job, c);
    }
    Ok(out)
}
