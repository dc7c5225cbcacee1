//! `briefs check`: validate data, locales and templates, render every selected document and parse its Typst,
//! without writing PDFs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Failure, Output};
use crate::diag::{Diagnostic, Kind, Report};
use crate::locale::{self, REFERENCE, keys};
use crate::project::{HOUSE, JobId, LoadOptions, Project, Selection};
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
    /// What to check (empty: the whole matrix).
    pub selection: Selection,
}

/// Runs every check; the report lists every problem found.
pub fn run(cfg: &CheckConfig) -> Result<Output, Failure> {
    // The translation table is printed whatever else is wrong: it is read from the locales alone.
    let coverage = if cfg.i18n {
        let tags = locale::available(&cfg.root);
        let (locales, _) = locale::load_all(&cfg.root, &tags);
        let needs = crate::model::Model::load(&cfg.root, &tags)
            .map(|m| locale::needs::Needs::of(&m))
            .unwrap_or_else(|_| locale::needs::Needs::all());
        locale::coverage(&locales, &tags, &needs)
    } else {
        Vec::new()
    };
    let with_table = |mut f: Failure| {
        f.product = coverage.clone();
        f
    };
    let options = LoadOptions { final_build: cfg.final_build, ..LoadOptions::default() };
    let project = Project::load_scoped(&cfg.root, options).map_err(|r| with_table(r.into()))?;
    let jobs = project.jobs(&cfg.selection).map_err(|r| with_table(r.into()))?;
    let checked = inspect(&project, cfg, &jobs).map_err(with_table)?;
    let mut out = Output { warnings: checked.warnings, ..Output::default() };
    if cfg.i18n {
        out.listed = vec![Kind::MissingText, Kind::StaleText, Kind::UntranslatedText, Kind::Glossary, Kind::Drafted];
    }
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
    /// Warnings (unused keys, stale texts, errors outside the selection, and the like).
    pub warnings: Report,
    /// The drafted texts and whether each is approved, for `--i18n`.
    pub drafted: Vec<String>,
}

/// Checks a loaded project for `jobs`: renders each and parses its Typst (and the layout's), looks for unused keys
/// (the whole matrix only), and gates the project's problems by what the jobs build (see `project::scope`). With
/// `final_build`, every warning about them is an error: `build --final` runs this before typesetting anything.
pub fn inspect(project: &Project, cfg: &CheckConfig, jobs: &[JobId]) -> Result<Checked, Failure> {
    let whole = is_whole(&cfg.selection);
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let r = project.render(job, !cfg.final_build)?;
            let syntax = typeset::syntax_errors(None, &r.source);
            Ok::<_, Report>((r, syntax))
        })
        .collect();
    let mut report = Report::default();
    let mut traced = Traced::default();
    traced.add_plain(typeset::syntax_errors(Some(Path::new(HOUSE)), &project.house));
    let (mut used, mut facts, mut charts) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut all_rendered = true;
    for (job, r) in jobs.iter().zip(results) {
        match r {
            Ok((r, syntax)) if syntax.is_empty() => {
                used.extend(r.keys);
                facts.extend(r.facts);
                charts.extend(r.charts);
            }
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
    if cfg.final_build && whole {
        used.extend(draft_keys(project, jobs));
    }
    // Keys look unused when a document failed to render, or when only some documents were rendered.
    if let Some(reference) = project.locales.get(REFERENCE).filter(|_| all_rendered && whole) {
        for key in reference.keys.keys() {
            let used_here = used.iter().any(|u| key == u || key.starts_with(&format!("{u}.")));
            if !used_here {
                report.push(
                    Diagnostic::warning(reference.key_loc(key), format!("key `{key}` is used by no template"))
                        .with_hint("delete it, or use it in a template")
                        .text(Kind::UnusedKey, REFERENCE, key),
                );
            }
        }
    }
    let scope = project.scope(jobs, whole).with_shown(project, facts, &charts);
    let gate = project.gate(&scope, report, cfg.final_build);
    if gate.errors.has_errors() {
        let mut all = gate.errors;
        all.extend(gate.warnings);
        return Err(all.into());
    }
    let drafted = if cfg.i18n { project.drafted.listing() } else { Vec::new() };
    Ok(Checked { documents: jobs.len(), warnings: gate.warnings, drafted })
}

/// The keys templates read only in drafts (the key to the draft marks): a final check renders no draft, yet those
/// keys are used. One en-US draft render per document.
fn draft_keys(project: &Project, jobs: &[JobId]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let firsts: Vec<&JobId> = jobs.iter().filter(|j| j.locale == REFERENCE && seen.insert(&j.document)).collect();
    firsts.par_iter().filter_map(|job| project.render(job, true).ok()).flat_map(|r| r.keys).collect()
}

/// Whether a selection is the whole matrix.
pub fn is_whole(selection: &Selection) -> bool {
    selection.docs.is_empty() && selection.locales.is_empty() && selection.audiences.is_empty()
}
