//! The project: data, locales, templates, fonts and charts loaded and checked once, the jobs a build makes, and
//! which of the problems found are about them (`scope`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::charts::{self, ChartOut, ChartRef, Palette};
use crate::diag::{Diagnostic, Report, Severity};
use crate::fonts::Fonts;
use crate::ids::{AudienceId, DocumentId, DocumentKind, LocaleTag};
use crate::locale::drafted::Drafted;
use crate::locale::needs::Needs;
use crate::locale::{self, Locale};
use crate::model::Model;
use crate::render::{self, Inputs, Rendered, Templates};
use crate::typeset::WorldBase;

mod chart_words;
pub mod scope;

/// Path of the shared Typst layout, loaded into every World as `/house.typ`.
pub const HOUSE: &str = "templates/house.typ";

/// The charts of one locale, or what went wrong drawing them.
type ChartResult = Result<BTreeMap<String, ChartOut>, Report>;

/// How to load a project.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// A final build: provisional or unsourced figures and untranslated text are errors too.
    pub final_build: bool,
    /// Load even when translations are incomplete (missing keys, wrong figures), for `briefs i18n export`:
    /// only en-US is checked, and a locale whose charts cannot be drawn gets none.
    pub lenient_translations: bool,
}

/// Everything loaded from a project root.
pub struct Project {
    /// Data.
    pub model: Arc<Model>,
    /// Locales by tag (those that loaded).
    pub locales: BTreeMap<LocaleTag, Arc<Locale>>,
    /// The locale folders of the project, loaded or not (a locale that failed to load has its problems).
    pub tags: BTreeSet<LocaleTag>,
    /// Typst library, fonts and sources shared by every document.
    pub base: Arc<WorldBase>,
    /// The shared Typst layout source.
    pub house: String,
    /// The house palette (`templates/palette.yaml`), which the charts draw with and pages read as `/palette.typ`.
    pub palette: Arc<Palette>,
    /// Charts per locale.
    pub charts: BTreeMap<LocaleTag, Arc<BTreeMap<String, ChartOut>>>,
    /// The templates.
    templates: Arc<Templates>,
    /// The drafted texts.
    pub drafted: Arc<Drafted>,
    /// What rendering needs, per locale.
    inputs: BTreeMap<LocaleTag, Inputs>,
    /// Problems found while loading, each saying what it is about (a locale, a text, a figure): errors about a
    /// locale or a text do not stop the load, since a build refuses only those about what it builds
    /// ([`Project::gate`]). [`Project::load`] refuses every error.
    pub problems: Report,
    /// The source as copyfitting set it, for each document source typeset so far (by its SHA-256), so a
    /// meeting pack sets its documents as they were set alone (src/fit.rs).
    pub fits: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

/// One document of the build matrix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct JobId {
    /// Locale tag.
    pub locale: LocaleTag,
    /// Audience id.
    pub audience: AudienceId,
    /// Document id.
    pub document: DocumentId,
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
    pub docs: Vec<DocumentId>,
    /// Locale tags.
    pub locales: Vec<LocaleTag>,
    /// Audience ids.
    pub audiences: Vec<AudienceId>,
}

impl Selection {
    /// Whether the selection is the whole matrix (nothing picked).
    pub fn is_whole(&self) -> bool {
        self.docs.is_empty() && self.locales.is_empty() && self.audiences.is_empty()
    }
}

/// Whether a report has an error about the whole project (not about one locale, text or figure).
fn has_global_errors(report: &Report) -> bool {
    report.items.iter().any(|d| {
        d.severity == Severity::Error && d.about.locale.is_none() && d.about.key.is_none() && d.about.fact.is_none()
    })
}

/// Keeps the successful value of a load step, or adds its problems to the report.
fn keep<T>(result: Result<T, Report>, report: &mut Report) -> Option<T> {
    result.map_err(|r| report.extend(r)).ok()
}

impl Project {
    /// Loads data, locales, templates and fonts and draws the charts, reporting every problem at once; any error
    /// fails the load.
    pub fn load(root: &Path, options: LoadOptions) -> Result<Project, Report> {
        let project = Project::load_scoped(root, options)?;
        if project.problems.has_errors() {
            return Err(project.problems);
        }
        Ok(project)
    }

    /// Loads a project as [`Project::load`] does, but fails only on errors about the whole project (data,
    /// templates, fonts, the en-US texts' files): errors about a locale or one of its texts are kept in `problems`
    /// for [`Project::gate`], and a locale that does not load is left out.
    pub fn load_scoped(root: &Path, options: LoadOptions) -> Result<Project, Report> {
        let mut report = Report::default();
        let tags = locale::available(root);
        let model = keep(Model::load(root, &tags), &mut report);
        let (locales, problems) = locale::load_all(root, &tags);
        report.extend(problems);
        let dirs: Vec<PathBuf> = tags.iter().map(|t| Path::new("locales").join(t)).collect();
        let templates = keep(Templates::load(root, &dirs), &mut report);
        let drafted = keep(Drafted::load(root).map_err(Report::from), &mut report);
        let fonts = keep(Fonts::load(root).map_err(Report::from), &mut report);
        let palette = keep(Palette::load(root), &mut report);
        let house = templates.as_ref().and_then(|t| t.file(Path::new(HOUSE)).map(str::to_string));
        let house = match (house, &templates) {
            (Some(h), _) => Some(h),
            // Read it again only to report why it is missing.
            (None, Some(_)) => keep(crate::io::read_text(root, Path::new(HOUSE)).map_err(Report::from), &mut report),
            (None, None) => None,
        };
        if let Some(m) = model.as_ref().filter(|_| options.final_build) {
            report.extend(m.final_problems());
        }
        let (Some(model), Some(templates), Some(fonts), Some(house), Some(drafted), Some(palette)) =
            (model, templates, fonts, house, drafted, palette)
        else {
            return Err(report);
        };
        let needs = Needs::of(&model);
        report.extend(locale::unit_patterns(root, &model, &locales));
        report.extend(locale::series_labels(&model, &locales));
        report.extend(locale::check_completeness(&model, &locales, &needs, options.lenient_translations));
        if !options.lenient_translations {
            report.extend(locale::translation_status(&locales, &needs));
        }
        report.extend(locale::glossary::check(&locales, &needs));
        report.extend(locale::edition_words(&model, &locales));
        report.extend(locale::rank_words(root, &model, &locales));
        report.extend(locale::number_words(&model, &locales));
        report.extend(drafted.check(&locales));
        if options.final_build {
            report.extend(drafted.unapproved());
            report.extend(locale::untranslated(&locales, &needs));
        }
        if has_global_errors(&report) || !locales.contains_key(locale::REFERENCE) {
            return Err(report);
        }
        let model = Arc::new(model);
        let locales: BTreeMap<LocaleTag, Arc<Locale>> = locales.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        let templates = Arc::new(templates);
        let drafted = Arc::new(drafted);
        let inputs_of = |locale: &Arc<Locale>, charts: Option<&Arc<BTreeMap<String, ChartOut>>>| {
            let refs: BTreeMap<String, ChartRef> =
                charts.map(|m| m.iter().map(|(k, v)| (k.clone(), v.chart_ref.clone())).collect()).unwrap_or_default();
            Inputs {
                model: model.clone(),
                locale: locale.clone(),
                charts: Arc::new(refs),
                templates: templates.clone(),
                drafted: drafted.clone(),
            }
        };
        let results: Vec<(LocaleTag, ChartResult)> =
            locales.par_iter().map(|(tag, l)| (tag.clone(), charts::render_all(&model, l, &fonts, &palette))).collect();
        let mut chart_map = BTreeMap::new();
        let mut failed = BTreeMap::new();
        for (tag, r) in results {
            match r {
                Ok(c) => {
                    chart_map.insert(tag, Arc::new(c));
                }
                Err(r) => {
                    failed.insert(tag, r);
                }
            }
        }
        // A locale that lacks chart words may lack them only for charts its documents do not place.
        let short: Vec<LocaleTag> = locales
            .keys()
            .filter(|t| *t != locale::REFERENCE)
            .filter(|t| failed.contains_key(*t) || chart_words::lacks_chart_words(&model, &report, t))
            .cloned()
            .collect();
        if let (false, Some(en), Some(en_charts)) =
            (short.is_empty(), locales.get(locale::REFERENCE), chart_map.get(locale::REFERENCE))
        {
            let placed = chart_words::placements(&model, &inputs_of(en, Some(en_charts)));
            for tag in &short {
                let needed = chart_words::needed(&needs, &placed, tag);
                chart_words::drop_unneeded(&model, &mut report, tag, &needed);
                if let (true, Some(l)) = (failed.contains_key(tag), locales.get(tag)) {
                    match charts::render_all(&chart_words::with_charts(&model, &needed), l, &fonts, &palette) {
                        Ok(c) => {
                            failed.remove(tag);
                            chart_map.insert(tag.clone(), Arc::new(c));
                        }
                        Err(r) => {
                            failed.insert(tag.clone(), r);
                        }
                    }
                }
            }
        }
        for (tag, r) in failed {
            // An export for translators needs no charts but en-US's.
            if !(options.lenient_translations && tag != locale::REFERENCE) {
                report.extend(Report { items: r.items.into_iter().map(|d| d.in_locale(None, &tag)).collect() });
            }
        }
        if has_global_errors(&report) {
            return Err(report);
        }
        let inputs = locales.iter().map(|(tag, locale)| (tag.clone(), inputs_of(locale, chart_map.get(tag)))).collect();
        Ok(Project {
            model,
            locales,
            tags,
            base: WorldBase::new(fonts),
            house,
            palette: Arc::new(palette),
            charts: chart_map,
            templates,
            drafted,
            inputs,
            problems: report,
            fits: std::sync::Mutex::default(),
        })
    }

    /// The build matrix for a selection, or an error naming an unknown id or saying why nothing matched.
    pub fn jobs(&self, sel: &Selection) -> Result<Vec<JobId>, Report> {
        let mut report = Report::default();
        let docs: BTreeSet<&str> = self.model.documents.iter().map(|d| d.id.as_str()).collect();
        let auds: BTreeSet<&str> = self.model.audiences.iter().map(|a| a.id.as_str()).collect();
        let locs: BTreeSet<&str> = self.tags.iter().map(LocaleTag::as_str).collect();
        for (kind, flag, asked, known) in [
            ("document", "--doc", sel.docs.iter().map(|d| d.as_str()).collect::<Vec<_>>(), &docs),
            ("locale", "--locale", sel.locales.iter().map(|l| l.as_str()).collect(), &locs),
            ("audience", "--audience", sel.audiences.iter().map(|a| a.as_str()).collect(), &auds),
        ] {
            for a in asked.iter().filter(|a| !known.contains(*a)) {
                let close = crate::diag::did_you_mean(a, known.iter().copied());
                let list = known.iter().copied().collect::<Vec<_>>().join(", ");
                let hint = match close {
                    Some(c) => format!("did you mean `{flag} {c}`? (known: {list})"),
                    None => format!("known: {list}"),
                };
                report.push(Diagnostic::plain(format!("unknown {kind} `{a}` in {flag}")).with_hint(hint));
            }
        }
        if report.has_errors() {
            return Err(report);
        }
        fn want<T: PartialEq<str>>(list: &[T], v: &str) -> bool {
            list.is_empty() || list.iter().any(|x| x == v)
        }
        let mut jobs = Vec::new();
        for a in &self.model.audiences {
            if !want(&sel.audiences, &a.id) {
                continue;
            }
            for l in &a.locales {
                if !want(&sel.locales, l) {
                    continue;
                }
                for d in self.model.audience_documents(a) {
                    if want(&sel.docs, &d) {
                        let (locale, audience) = (l.clone(), a.id.clone());
                        jobs.push(JobId { locale, audience, document: d });
                    }
                }
            }
        }
        if jobs.is_empty() {
            return Err(Diagnostic::plain("the selection matches no document")
                .with_hint(self.why_nothing_matches(sel))
                .into());
        }
        Ok(jobs)
    }

    /// Why a selection of known ids matches nothing: which selected audience lacks which locale or document.
    fn why_nothing_matches(&self, sel: &Selection) -> String {
        let mut reasons = Vec::new();
        for a in self.model.audiences.iter().filter(|a| sel.audiences.is_empty() || sel.audiences.contains(&a.id)) {
            let has: Vec<&str> = a.locales.iter().map(|l| l.as_str()).collect();
            let lacks_locales: Vec<&str> =
                sel.locales.iter().map(LocaleTag::as_str).filter(|l| !has.contains(l)).collect();
            let docs = self.model.audience_documents(a);
            let lacks_docs: Vec<&str> =
                sel.docs.iter().map(DocumentId::as_str).filter(|d| !docs.iter().any(|x| x == d)).collect();
            let mut lacks = Vec::new();
            if !sel.locales.is_empty() && lacks_locales.len() == sel.locales.len() {
                lacks.push(format!("locale {} (it has {})", lacks_locales.join(", "), has.join(", ")));
            }
            if !sel.docs.is_empty() && lacks_docs.len() == sel.docs.len() {
                lacks.push(format!("document {}", lacks_docs.join(", ")));
            }
            if !lacks.is_empty() {
                reasons.push(format!("audience {} has no {}", a.id, lacks.join(" and no ")));
            }
        }
        reasons.push("`briefs list` shows every audience's locales and documents".to_string());
        reasons.join("; ")
    }

    /// Puts another edition (id, title, date, and the update's own source entry) on every document: the old
    /// edition's pages are compared with the new ones under the new edition's furniture.
    pub fn set_edition(&mut self, edition: crate::model::Edition) {
        let mut model = (*self.model).clone();
        // The update's own entry among the sources carries the edition's title and year.
        for s in model.sources.values_mut().filter(|s| crate::model::edition::is_update(s, &self.model.edition)) {
            s.title = Some(edition.title.clone());
            s.year = Some(edition.date.ymd().0);
        }
        model.edition = edition;
        self.model = Arc::new(model);
        for inputs in self.inputs.values_mut() {
            inputs.model = self.model.clone();
        }
    }

    /// The Typst files every document imports: `/house.typ` and `/palette.typ` (generated from the palette).
    pub fn layout_files(&self) -> Vec<(String, String)> {
        vec![("/house.typ".to_string(), self.house.clone()), ("/palette.typ".to_string(), self.palette.typst())]
    }

    /// The templates.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// What a job's document is (plain when the model does not know it).
    pub fn kind_of(&self, job: &JobId) -> DocumentKind {
        self.model.document(&job.document).map(|d| d.kind.clone()).unwrap_or_default()
    }

    /// Whether a job's document is a meeting pack.
    pub fn is_pack(&self, job: &JobId) -> bool {
        self.model.document(&job.document).is_some_and(|d| d.is_pack())
    }

    /// The template a job's document is made from (`state-*` documents: `state.typ.j2`).
    pub fn template_of(&self, job: &JobId) -> String {
        self.model.document(&job.document).map_or_else(|| job.document.to_string(), |d| d.template.clone())
    }

    /// Renders one job's Typst source.
    pub fn render(&self, job: &JobId, draft: bool) -> Result<Rendered, Report> {
        let unknown = |what: &str, id: &str| Report::from(Diagnostic::plain(format!("unknown {what} `{id}`")));
        let inputs = self.inputs.get(&job.locale).ok_or_else(|| unknown("locale", &job.locale))?;
        let doc = self.model.document(&job.document).ok_or_else(|| unknown("document", &job.document))?;
        let audience = self
            .model
            .audiences
            .iter()
            .find(|a| a.id == job.audience)
            .ok_or_else(|| unknown("audience", &job.audience))?;
        render::pack::render_any(inputs, doc, audience, draft)
    }
}
