//! Copyfitting in the build: a document is typeset with the house style's variants until one breaks across pages
//! without a fault (src/fit.rs); the variant chosen is kept, so a meeting pack sets the document the same way.

use typst_layout::PagedDocument;

use super::compile_source;
use crate::fit::{self, Variant};
use crate::io::sha256;
use crate::project::{JobId, Project};
use crate::typeset::{BriefWorld, TypstDiag};

/// A compiled document: its World, its pages and Typst's warnings.
type Compiled = (BriefWorld, PagedDocument, Vec<TypstDiag>);

/// Compiles a document with the first variant that has no fault (else the one with fewest), and records it.
pub(super) fn compile_fitted(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
) -> Result<Compiled, Vec<TypstDiag>> {
    if !source.contains(fit::FIT_LINE) {
        return compile_source(project, job, source, charts, &[]);
    }
    let key = sha256(source.as_bytes());
    if let Some(v) = known(project, &key) {
        return compile_source(project, job, &fit::with_variant(source, &v), charts, &[]);
    }
    let compiled = compile_source(project, job, &fit::with_variant(source, &fit::HOUSE), charts, &[])?;
    let faults = fit::faults(&compiled.1);
    debug(job, &fit::HOUSE, &faults);
    let mut best = (faults.count(), faults.pages, fit::HOUSE, compiled);
    if best.0 > 0 {
        // Without a closing box (a meeting pack's documents, sheets that have none), dropping it changes nothing.
        let has_box = source.contains(fit::CLOSING_BOX);
        for variant in fit::candidates(&faults).into_iter().filter(|v| v.closing_box || has_box) {
            let compiled = compile_source(project, job, &fit::with_variant(source, &variant), charts, &[])?;
            let f = fit::faults(&compiled.1);
            debug(job, &variant, &f);
            if (f.count(), f.pages) < (best.0, best.1) {
                best = (f.count(), f.pages, variant, compiled);
            }
            if best.0 == 0 {
                break;
            }
        }
    }
    project.fits.lock().unwrap_or_else(|e| e.into_inner()).insert(key, best.2);
    Ok(best.3)
}

/// Prints each variant tried and its faults when `BRIEFS_FIT_DEBUG` is set (for maintainers tuning the house style).
fn debug(job: &JobId, variant: &Variant, faults: &fit::Faults) {
    if std::env::var_os("BRIEFS_FIT_DEBUG").is_some() {
        eprintln!("fit {}: {variant:?} {faults:?}", job.label());
    }
}

/// A document's source as copyfitting sets it (for a meeting pack), fitting it first if no build has yet.
pub(super) fn fitted_source(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
) -> Result<String, Vec<TypstDiag>> {
    if !source.contains(fit::FIT_LINE) {
        return Ok(source.to_string());
    }
    let key = sha256(source.as_bytes());
    let variant = match known(project, &key) {
        Some(v) => v,
        None => {
            compile_fitted(project, job, source, charts)?;
            known(project, &key).unwrap_or(fit::HOUSE)
        }
    };
    Ok(fit::with_variant(source, &variant))
}

/// The variant recorded for a source, if any.
fn known(project: &Project, key: &str) -> Option<Variant> {
    project.fits.lock().unwrap_or_else(|e| e.into_inner()).get(key).copied()
}
