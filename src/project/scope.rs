//! What a command works on, and which of the project's problems are about it. A build or check of a selection is
//! refused only for problems in what it builds: a locale needs a document's texts only where it shows the document
//! (`locale::needs`), and a final build of a selection refuses the provisional figures its documents show. Errors
//! about the rest are told as warnings; warnings about the rest are left out. The whole matrix is the full gate.

use std::collections::BTreeSet;

use super::{JobId, Project};
use crate::diag::{About, Diagnostic, Report, Severity};
use crate::ids::LocaleTag;
use crate::locale::needs::Needs;

/// What a command works on.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The whole matrix: every problem is about it.
    whole: bool,
    /// The texts the selected documents need, per locale.
    needs: Needs,
    /// The selected locales.
    locales: BTreeSet<LocaleTag>,
    /// The facts and series the selected documents show, once they are rendered (`None`: not known).
    shown: Option<BTreeSet<String>>,
}

impl Scope {
    /// Whether a problem is about what this scope works on.
    pub fn covers(&self, about: &About) -> bool {
        if self.whole {
            return true;
        }
        if let Some(fact) = &about.fact {
            return self.shown.as_ref().is_none_or(|s| s.contains(fact));
        }
        match (&about.locale, &about.key) {
            (Some(l), Some(k)) => self.needs.needs(l, k),
            (Some(l), None) => self.locales.contains(l),
            (None, Some(k)) => self.needs.locales().any(|l| self.needs.needs(l, k)),
            (None, None) => true,
        }
    }

    /// The scope with what its rendered documents show: facts, and the series of the charts they place.
    pub fn with_shown(mut self, project: &Project, facts: BTreeSet<String>, charts: &BTreeSet<String>) -> Scope {
        let mut shown = facts;
        for chart in charts.iter().filter_map(|c| project.model.charts.get(c)) {
            shown.extend(chart.series.iter().map(|s| s.value.clone()));
        }
        self.shown = Some(shown);
        self
    }
}

/// The problems of a scope: errors that refuse it, and warnings to tell.
#[derive(Debug, Default)]
pub struct Gate {
    /// What refuses the command.
    pub errors: Report,
    /// What to tell: warnings about the scope, and errors outside it, told as warnings.
    pub warnings: Report,
}

impl Project {
    /// The scope of `jobs`; `whole` when they are the whole matrix.
    pub fn scope(&self, jobs: &[JobId], whole: bool) -> Scope {
        let audience = |id: &str| self.model.audiences.iter().find(|a| a.id == id);
        let shown =
            jobs.iter().filter_map(|j| audience(&j.audience).map(|a| (j.locale.clone(), a, j.document.clone())));
        Scope {
            whole,
            needs: Needs::shown(&self.model, shown),
            locales: jobs.iter().map(|j| j.locale.clone()).collect(),
            shown: None,
        }
    }

    /// Splits the load's problems (and `more`) by `scope`: errors about it refuse the command, and with
    /// `final_build` so do its warnings; errors outside it are told as warnings, warnings outside it are left out.
    pub fn gate(&self, scope: &Scope, more: Report, final_build: bool) -> Gate {
        let mut gate = Gate::default();
        for d in self.problems.items.iter().cloned().chain(more.items) {
            match (scope.covers(&d.about), d.severity) {
                (true, Severity::Error) => gate.errors.push(d),
                (true, Severity::Warning) if final_build => gate.errors.push(refused_warning(d)),
                (true, Severity::Warning) => gate.warnings.push(d),
                (false, Severity::Error) => gate.warnings.push(outside(d)),
                (false, Severity::Warning) => {}
            }
        }
        gate
    }
}

/// A warning a final build refuses, as an error saying so.
pub fn refused_warning(w: Diagnostic) -> Diagnostic {
    let hint = match &w.hint {
        Some(h) => format!("a final build refuses every warning; {h}"),
        None => "a final build refuses every warning".to_string(),
    };
    Diagnostic { severity: Severity::Error, ..w }.with_hint(hint)
}

/// An error about something a command does not build, told as a warning.
fn outside(d: Diagnostic) -> Diagnostic {
    let hint = match &d.hint {
        Some(h) => format!("{h} (not in what this command builds: an error when it is)"),
        None => "not in what this command builds: an error when it is".to_string(),
    };
    let mut d = Diagnostic { severity: Severity::Warning, ..d }.with_hint(hint);
    d.about.outside = true;
    d
}
