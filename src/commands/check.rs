//! `briefs check`: validate data, locales and templates, render every selected document and parse its Typst,
//! without writing PDFs.

use std::path::PathBuf;

use super::{Failure, Output};
use crate::diag::Kind;
use crate::locale;
use crate::pipeline::inspect;
use crate::project::{LoadOptions, Project, Selection};

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
    let checked = inspect(&project, &cfg.selection, cfg.final_build, cfg.i18n, &jobs).map_err(with_table)?;
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
