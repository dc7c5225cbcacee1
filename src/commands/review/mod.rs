//! `briefs review`: a static review site at `OUT/review/index.html` with a card per document × locale × audience
//! (page thumbnails rendered from the compiled document, the PDF, the changes since an old edition, sentences to
//! re-read, draft warnings, charts with their data, and approve/comment controls); `--decisions` reads the
//! reviewers' exported decisions back.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use super::{Failure, Output, Verbosity};
use crate::diag::{Diagnostic, Loc, Report};
use crate::output::{Manifest, write_atomic};
use crate::pipeline::{self, BuildConfig};
use crate::project::Selection;

mod cards;
mod decisions;
mod full;
mod old;
mod site;
mod stale;
mod thumbs;

/// Checked settings of `briefs review`.
#[derive(Debug, Clone)]
pub struct ReviewConfig {
    /// Project root.
    pub root: PathBuf,
    /// Out folder; the site goes to `OUT/review/`.
    pub out: PathBuf,
    /// What to review.
    pub selection: Selection,
    /// The old edition to compare with: a folder or a git revision.
    pub since: Option<String>,
    /// Exported decisions to report on instead of writing the site.
    pub decisions: Vec<PathBuf>,
    /// How much to print.
    pub verbosity: Verbosity,
    /// Whether standard error is a terminal.
    pub terminal: bool,
}

/// Failure with the line that says the site was not (re)written.
fn failed(report: Report) -> Failure {
    Failure { report, after: Some("review failed; the review site was not updated".into()), ..Failure::default() }
}

/// A located error about a file the review writes.
fn write_error(path: &std::path::Path, e: String) -> Failure {
    failed(Diagnostic::error(Loc::file(path.display().to_string()), e).into())
}

/// Runs `briefs review`.
pub fn run(cfg: &ReviewConfig) -> Result<Output, Failure> {
    if !cfg.decisions.is_empty() {
        return report_decisions(cfg);
    }
    let start = Instant::now();
    let bcfg = BuildConfig::new(cfg.root.clone(), cfg.out.clone(), cfg.selection.clone(), cfg.verbosity, cfg.terminal);
    let project = pipeline::load(&bcfg)?;
    let jobs = project.jobs(&cfg.selection).map_err(Failure::from)?;
    // Compared first: a bad OLD fails before anything is built or written.
    let since = match &cfg.since {
        Some(old) => Some(crate::diff::compare_with(old, &cfg.root).map_err(failed)?),
        None => None,
    };
    let site = cfg.out.join("review");
    let cache = cfg.out.join(".review-cache");
    let sink = thumbs::Thumbs::new(site.clone(), cache.join("new"));
    let summary = pipeline::run_on(&project, &bcfg, start, Some(&sink))?;
    let (docs, rendered) = sink.finish().map_err(|e| write_error(&site, e))?;
    let metas: BTreeMap<_, _> = docs.iter().map(|(j, (m, _))| (j.clone(), m.clone())).collect();
    let pages = match &since {
        Some(cmp) => {
            old::compare(&cmp.old_root, &project.model.edition, &metas, &site, &cache.join("old")).map_err(failed)?
        }
        None => BTreeMap::new(),
    };
    let full_images = full::write(&project, &site, &pages).map_err(|e| write_error(&site, e))?;
    full::prune(&site, &jobs, &pages);
    let manifest = Manifest::read(&cfg.out).unwrap_or_default();
    let sha: BTreeMap<String, String> = manifest.documents.iter().map(|e| (e.path.clone(), e.sha256.clone())).collect();
    let stale = stale::StaleTexts::load(&project);
    let src = cards::Sources {
        project: &project,
        docs: &docs,
        sha: &sha,
        since: since.as_ref(),
        pages: &pages,
        stale: &stale,
    };
    let groups = cards::groups(&jobs, &src);
    let charts = site::copy_files(&project, &jobs, &cfg.out, &site).map_err(|e| write_error(&site, e))?;
    let html = site::index(&project, &jobs, &groups, since.as_ref()).map_err(|e| write_error(&site, e))?;
    let index = site.join("index.html");
    write_atomic(&index, html.as_bytes()).map_err(|e| write_error(&index, e))?;

    let cards: Vec<_> = groups.iter().flat_map(|g| &g.cards).collect();
    let total_pages: usize = cards.iter().map(|c| c.pages.len()).sum();
    let changed = cards.iter().filter(|c| c.changed).count();
    let mut lines = vec![format!(
        "review: {} card(s), {} page(s) ({} rendered, {} kept; {full_images} at full size), {} chart(s){} in {:.1}s -> {}",
        cards.len(),
        total_pages,
        rendered,
        total_pages.saturating_sub(rendered),
        charts,
        since.as_ref().map(|_| format!(", {changed} changed")).unwrap_or_default(),
        start.elapsed().as_secs_f64(),
        index.display()
    )];
    let mut warnings = summary.warnings;
    if let Some(s) = since {
        warnings.extend(s.warnings);
    }
    lines.insert(
        0,
        format!(
            "built {} document(s): {} written, {} unchanged",
            summary.written + summary.unchanged,
            summary.written,
            summary.unchanged
        ),
    );
    Ok(Output { summary: lines, warnings, ..Output::default() })
}

/// `--decisions`: which documents of the selection are approved.
fn report_decisions(cfg: &ReviewConfig) -> Result<Output, Failure> {
    let project = crate::project::Project::load(&cfg.root, Default::default()).map_err(Failure::from)?;
    let jobs = project.jobs(&cfg.selection).map_err(Failure::from)?;
    let (files, warnings) = decisions::read_all(&cfg.decisions, &project.model.edition.id).map_err(Failure::from)?;
    let manifest = Manifest::read(&cfg.out).unwrap_or_default();
    let text = decisions::to_text(&decisions::standings(&jobs, &files, &manifest));
    let mut out = Output::from((text, warnings));
    if manifest.documents.is_empty() {
        out.warnings.push(
            Diagnostic::warning(
                Loc::file(cfg.out.join("manifest.json").display().to_string()),
                "no build found: every approval is of an earlier build",
            )
            .with_hint("run `briefs review` (or `briefs build`) first"),
        );
    }
    Ok(out)
}
