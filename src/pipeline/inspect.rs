//! Checking a loaded project for a set of jobs without typesetting: each rendered and its Typst parsed, unused keys
//! found, and the project's problems gated by what the jobs build.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Kind, Report};
use crate::locale::{REFERENCE, keys};
use crate::outcome::Failure;
use crate::project::{HOUSE, JobId, Project, Selection};
use crate::trace::Traced;
use crate::typeset;

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

/// Checks a loaded project for `jobs` of `selection` (`check`, and `build --final` before typesetting anything): renders each and parses its Typst (and the layout's), looks for unused keys
/// (the whole matrix only), and gates the project's problems by what the jobs build (see `project::scope`). With
/// `final_build`, every warning about them is an error; with `i18n`, the drafted texts are listed.
pub fn inspect(
    project: &Project,
    selection: &Selection,
    final_build: bool,
    i18n: bool,
    jobs: &[JobId],
) -> Result<Checked, Failure> {
    let whole = selection.is_whole();
    let results: Vec<_> = jobs
        .par_iter()
        .map(|job| {
            let r = project.render(job, !final_build)?;
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
    if final_build && whole {
        used.extend(draft_keys(project, jobs));
    }
    // Keys look unused when a document failed to render, or when only some documents were rendered.
    if let Some(reference) = project.locales.get(REFERENCE).filter(|_| all_rendered && whole) {
        for key in reference.keys.keys() {
            let used_here = used.iter().any(|u| crate::locale::keys::is_under(key, u));
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
    let gate = project.gate(&scope, report, final_build);
    if gate.errors.has_errors() {
        let mut all = gate.errors;
        all.extend(gate.warnings);
        return Err(all.into());
    }
    let drafted = if i18n { project.drafted.listing() } else { Vec::new() };
    Ok(Checked { documents: jobs.len(), warnings: gate.warnings, drafted })
}

/// The keys templates read only in drafts (the key to the draft marks): a final check renders no draft, yet those
/// keys are used. One en-US draft render per document.
fn draft_keys(project: &Project, jobs: &[JobId]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let firsts: Vec<&JobId> = jobs.iter().filter(|j| j.locale == REFERENCE && seen.insert(&j.document)).collect();
    firsts.par_iter().filter_map(|job| project.render(job, true).ok()).flat_map(|r| r.keys).collect()
}
