//! `briefs check`: validate data, locales and templates, render every document and parse its Typst, without writing PDFs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Failure, Output};
use crate::diag::{Diagnostic, Report, Severity};
use crate::locale::{self, REFERENCE, keys};
use crate::project::{HOUSE, LoadOptions, Project, Selection};
use crate::trace::Traced;
use crate::typeset;

/// Checked settings of a check run.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    /// Project root.
    pub root: PathBuf,
    /// Treat provisional figures and warnings as errors.
    pub final_build: bool,
    /// Print a translation coverage table.
    pub i18n: bool,
}

/// Runs every check; the report lists every problem found.
pub fn run(cfg: &CheckConfig) -> Result<Output, Failure> {
    // The translation table is printed whatever else is wrong: it is read from the locales alone.
    let coverage = if cfg.i18n {
        let tags = locale::available(&cfg.root);
        let (locales, _) = locale::load_all(&cfg.root, &tags);
        locale::coverage(&locales, &tags)
    } else {
        Vec::new()
    };
    let with_table = |mut f: Failure| {
        f.product = coverage.clone();
        f
    };
    let options = LoadOptions { final_build: cfg.final_build, ..LoadOptions::default() };
    let project = Project::load(&cfg.root, options).map_err(|r| with_table(r.into()))?;
    let checked = inspect(&project, cfg).map_err(with_table)?;
    let mut out = Output { warnings: checked.warnings, ..Output::default() };
    out.product = checked.drafted;
    out.product.extend(coverage);
    out.summary.push(format!(
        "ok: {} documents rendered and parsed, {} warning(s)",
        checked.documents,
        out.warnings.warnings()
    ));
    Ok(out)
}

/// What a successful check found.
#[derive(Debug, Default)]
pub struct Checked {
    /// Documents rendered and parsed.
    pub documents: usize,
    /// Warnings (unused keys and the like).
    pub warnings: Report,
    /// The drafted texts and whether each is approved, for `--i18n`.
    pub drafted: Vec<String>,
}

/// Checks a loaded project: renders every document of the full matrix and parses its Typst (and the
/// layout's), then looks for unused keys. With `final_build`, every warning is an error: `build --final`
/// runs this before typesetting anything.
pub fn inspect(project: &Project, cfg: &CheckConfig) -> Result<Checked, Failure> {
    let jobs = project.jobs(&Selection::default())?;
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let r = project.render(job, !cfg.final_build)?;
            let syntax = typeset::syntax_errors(None, &r.source);
            Ok::<_, Report>((r.keys, syntax))
        })
        .collect();
    let mut report = project.warnings.clone();
    let mut traced = Traced::default();
    traced.add_plain(typeset::syntax_errors(Some(Path::new(HOUSE)), &project.house));
    let mut used = BTreeSet::new();
    let mut all_rendered = true;
    for (job, r) in jobs.iter().zip(results) {
        match r {
            Ok((keys, syntax)) if syntax.is_empty() => used.extend(keys),
            Ok((_, syntax)) => {
                all_rendered = false;
                traced.add(project, job, syntax);
            }
            Err(e) => {
                all_rendered = false;
                report.extend(e);
            }
        }
    }
    report.extend(traced.into_report());
    used.extend(keys::read_by_code(&project.model));
    // Keys look unused when a document failed to render; report the failure only.
    if let Some(reference) = project.locales.get(REFERENCE).filter(|_| all_rendered) {
        for key in reference.keys.keys() {
            let used_here = used.iter().any(|u| key == u || key.starts_with(&format!("{u}.")));
            if !used_here {
                report.push(
                    Diagnostic::warning(reference.key_loc(key), format!("key `{key}` is used by no template"))
                        .with_hint("delete it, or use it in a template"),
                );
            }
        }
    }
    if cfg.final_build {
        for d in &mut report.items {
            d.severity = Severity::Error;
        }
    }
    if report.has_errors() {
        return Err(report.into());
    }
    let drafted = if cfg.i18n { project.drafted.listing() } else { Vec::new() };
    Ok(Checked { documents: jobs.len(), warnings: report, drafted })
}
