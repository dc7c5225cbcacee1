//! The project: data, locales, fonts and charts loaded and checked once, and the jobs a build makes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::charts::{self, ChartOut};
use crate::diag::{Diagnostic, Loc, Report};
use crate::locale::{self, Locale};
use crate::model::Model;
use crate::render::{ChartRef, Rendered};
use crate::typeset::{Fonts, Shared};

/// Path of the shared Typst layout, loaded into every World as `/house.typ`.
pub const HOUSE: &str = "templates/house.typ";

/// The charts of one locale, or what went wrong drawing them.
type ChartResult = Result<BTreeMap<String, ChartOut>, Report>;

/// Everything loaded from a project root.
pub struct Project {
    /// Data.
    pub model: Arc<Model>,
    /// Locales by tag.
    pub locales: BTreeMap<String, Arc<Locale>>,
    /// Typst library and fonts.
    pub shared: Arc<Shared>,
    /// The shared Typst layout source.
    pub house: String,
    /// Charts per locale.
    pub charts: BTreeMap<String, Arc<BTreeMap<String, ChartOut>>>,
    /// Warnings found while loading.
    pub warnings: Report,
}

/// One document of the build matrix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct JobId {
    /// Locale tag.
    pub locale: String,
    /// Audience id.
    pub audience: String,
    /// Document id.
    pub document: String,
}

impl JobId {
    /// Path relative to the out folder: `<locale>/<audience>/<document>.pdf`.
    pub fn rel_path(&self) -> String {
        format!("{}/{}/{}.pdf", self.locale, self.audience, self.document)
    }

    /// Path of the generated Typst source under `--emit-typst`: `<locale>/<audience>/<document>.typ`.
    pub fn typ_path(&self) -> String {
        format!("{}/{}/{}.typ", self.locale, self.audience, self.document)
    }

    /// A short label for messages.
    pub fn label(&self) -> String {
        format!("{} {} {}", self.locale, self.audience, self.document)
    }
}

/// What the user asked to build (empty = everything).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Document ids.
    pub docs: Vec<String>,
    /// Locale tags.
    pub locales: Vec<String>,
    /// Audience ids.
    pub audiences: Vec<String>,
}

impl Project {
    /// Loads data, locales, fonts and templates, reporting every problem at once.
    pub fn load(root: &Path) -> Result<Project, Report> {
        Self::load_with(root, false)
    }

    /// Loads a project; for a final build, provisional or unsourced figures and untranslated text are errors too.
    pub fn load_with(root: &Path, final_build: bool) -> Result<Project, Report> {
        let mut report = Report::default();
        if !root.join("data").is_dir() {
            return Err(Diagnostic::error(
                Loc::file(root.display().to_string()),
                "not a briefs project (no data/ folder)",
            )
            .with_hint("run from the project folder or pass --root DIR")
            .into());
        }
        let tags = locale::available(root);
        let model = Model::load(root, &tags);
        let (locales, lrep) = locale::load_all(root, &tags);
        report.extend(lrep);
        let fonts = Fonts::load(root);
        let house = crate::model::read_text(root, Path::new(HOUSE));
        let model = match model {
            Ok(m) if final_build => {
                report.extend(m.final_problems());
                Some(m)
            }
            Ok(m) => Some(m),
            Err(r) => {
                report.extend(r);
                None
            }
        };
        let fonts = match fonts {
            Ok(f) => Some(f),
            Err(d) => {
                report.push(d);
                None
            }
        };
        let house = match house {
            Ok(h) => Some(h),
            Err(d) => {
                report.push(d);
                None
            }
        };
        let (Some(model), Some(fonts), Some(house)) = (model, fonts, house) else {
            return Err(report);
        };
        report.extend(locale::check_completeness(&model, &locales));
        if final_build {
            report.extend(locale::untranslated(&locales));
        }
        if report.has_errors() {
            return Err(report);
        }
        let model = Arc::new(model);
        let results: Vec<(String, ChartResult)> =
            locales.par_iter().map(|(tag, l)| (tag.clone(), charts::render_all(&model, l, &fonts))).collect();
        let mut chart_map = BTreeMap::new();
        for (tag, r) in results {
            match r {
                Ok(c) => {
                    chart_map.insert(tag, Arc::new(c));
                }
                Err(r) => report.extend(r),
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        Ok(Project {
            model,
            locales: locales.into_iter().map(|(k, v)| (k, Arc::new(v))).collect(),
            shared: Shared::new(fonts),
            house,
            charts: chart_map,
            warnings: report,
        })
    }

    /// The build matrix for a selection, or an error naming an unknown id.
    pub fn jobs(&self, sel: &Selection) -> Result<Vec<JobId>, Report> {
        let mut report = Report::default();
        let docs: BTreeSet<&str> = self.model.documents.iter().map(|d| d.id.value.as_str()).collect();
        let auds: BTreeSet<&str> = self.model.audiences.iter().map(|a| a.id.value.as_str()).collect();
        let locs: BTreeSet<&str> = self.locales.keys().map(String::as_str).collect();
        for (kind, asked, known) in
            [("document", &sel.docs, &docs), ("locale", &sel.locales, &locs), ("audience", &sel.audiences, &auds)]
        {
            for a in asked {
                if !known.contains(a.as_str()) {
                    report.push(
                        Diagnostic::error(Loc::default(), format!("unknown {kind} `{a}`"))
                            .with_hint(format!("known: {}", known.iter().copied().collect::<Vec<_>>().join(", "))),
                    );
                }
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        let want = |list: &Vec<String>, v: &str| list.is_empty() || list.iter().any(|x| x == v);
        let mut jobs = Vec::new();
        for a in &self.model.audiences {
            if !want(&sel.audiences, &a.id.value) {
                continue;
            }
            for l in &a.locales {
                if !want(&sel.locales, &l.value) {
                    continue;
                }
                for d in self.model.audience_documents(a) {
                    if want(&sel.docs, &d) {
                        jobs.push(JobId { locale: l.value.clone(), audience: a.id.value.clone(), document: d });
                    }
                }
            }
        }
        Ok(jobs)
    }

    /// The chart references a locale's documents can place.
    pub fn chart_refs(&self, tag: &str) -> Arc<BTreeMap<String, ChartRef>> {
        Arc::new(
            self.charts
                .get(tag)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.chart_ref.clone())).collect())
                .unwrap_or_default(),
        )
    }

    /// Renders one job's Typst source; `duplex` overrides the audiences' `pack_duplex` for packs.
    pub fn render(&self, job: &JobId, draft: bool, duplex: Option<bool>) -> Result<Rendered, Report> {
        let locale = self.locales.get(&job.locale).ok_or_else(|| {
            Report::from(Diagnostic::error(Loc::default(), format!("unknown locale `{}`", job.locale)))
        })?;
        let doc = self.model.document(&job.document).ok_or_else(|| {
            Report::from(Diagnostic::error(Loc::default(), format!("unknown document `{}`", job.document)))
        })?;
        let audience = self.model.audiences.iter().find(|a| a.id.value == job.audience).ok_or_else(|| {
            Report::from(Diagnostic::error(Loc::default(), format!("unknown audience `{}`", job.audience)))
        })?;
        crate::pack::render_any(&self.model, locale, &self.chart_refs(&job.locale), doc, audience, draft, duplex)
    }
}
