//! Full-size page images, only for the pages that changed since the old edition (and not a meeting pack's, whose
//! pages are its documents'): a reviewer opens them beside the old page. Every other page opens in its PDF, so the
//! site stays small enough to send (a thumbnail per page, the PDFs, and the images of what changed).

use std::collections::BTreeMap;
use std::path::Path;

use super::old::PageChanges;
use super::thumbs::page_dir;
use crate::output::write_atomic;
use crate::pages;
use crate::pipeline::{compile_one, per_document};
use crate::project::{JobId, Project};

/// The file of page `n`'s full-size image in a document's folder, and of its old edition's image.
pub fn names(n: usize) -> (String, String) {
    (format!("{n}.png"), format!("{n}-old.png"))
}

/// Writes the full-size image of every changed page of the new edition under `site`; returns how many.
pub fn write(project: &Project, site: &Path, changes: &BTreeMap<JobId, PageChanges>) -> Result<usize, String> {
    let jobs: Vec<JobId> =
        changes.iter().filter(|(_, c)| c.images && !c.changed.is_empty()).map(|(j, _)| j.clone()).collect();
    let results = per_document(&jobs, |_, job| -> Result<usize, String> {
        let Some(c) = changes.get(job) else { return Ok(0) };
        let rendered = project.render(job, true).map_err(|r| format!("{}: {} problem(s)", job.label(), r.errors()))?;
        let (_, doc, _) = compile_one(project, job, &rendered.source, &rendered.charts, &rendered.parts)
            .map_err(|_| format!("{}: Typst failed", job.label()))?;
        let dir = site.join(page_dir(job));
        let mut written = 0;
        for &n in &c.changed {
            if let Some(page) = doc.pages().get(n - 1) {
                write_atomic(&dir.join(names(n).0), &pages::render_full(page)?)?;
                written += 1;
            }
        }
        Ok(written)
    });
    results.into_iter().flatten().sum()
}

/// Removes the full-size and old images of pages that no longer changed (left by an earlier review), so the site
/// holds only what this review shows.
pub fn prune(site: &Path, jobs: &[JobId], changes: &BTreeMap<JobId, PageChanges>) {
    for job in jobs {
        let Ok(entries) = std::fs::read_dir(site.join(page_dir(job))) else { continue };
        let c = changes.get(job);
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let keep = name.ends_with("-thumb.png")
                || c.is_some_and(|c| {
                    (c.images && c.changed.iter().any(|n| names(*n).0 == name))
                        || c.with_old.iter().any(|n| names(*n).1 == name)
                });
            if !keep {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}
