//! `briefs build`: render, typeset and write every selected document, then the manifest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use typst::foundations::Bytes;

use super::check::CheckConfig;
use super::{Failure, Output, Verbosity};
use crate::diag::{Diagnostic, Report, Severity};
use crate::io::sha256;
use crate::output::{self, Batch, Entry, Manifest, OutLock, interrupt};
use crate::project::{JobId, LoadOptions, Project, Selection};
use crate::render::Rendered;
use crate::render::pack::part_file;
use crate::shard::{self, Shard};
use crate::trace::Traced;
use crate::typeset::{BriefWorld, TypstDiag};
use typst_layout::PagedDocument;

mod fitting;
mod inputs;
mod progress;

pub use inputs::inputs_hash;

use progress::Progress;
pub use progress::per_document;

/// How many documents an entry of Typst's memoization cache outlives its last use by. The cache is trimmed after
/// every document typeset: what the documents of one template and locale share (typeset one after another, see
/// `shard::typesetting_order`) is used by each and stays, what one document alone needed goes, so memory stays flat
/// however many documents a build makes. 24 rather than 6: 7% more CPU than no trimming at 2,000 documents instead
/// of 22%, for about 15 MiB more (BENCHMARKS.md).
const CACHE_AGE: usize = 24;

/// Builds of fewer documents than this do not trim Typst's cache after each document (copyfitting's variants age
/// out as they are tried: `fitting::FIT_CACHE_AGE`), so that meeting packs, typeset last, reuse their documents'
/// layout (trimmed, the shipped build took about 36% more CPU, BENCHMARKS.md).
const TRIM_FROM: usize = 400;

/// Checked settings of one build.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// Project root.
    pub root: PathBuf,
    /// Out folder.
    pub out: PathBuf,
    /// What to build.
    pub selection: Selection,
    /// Where to write the generated Typst, if asked.
    pub emit_typst: Option<PathBuf>,
    /// Refuse provisional figures, missing sources and translations, and warnings; write PDF/A-2a and PDF/UA-1.
    pub final_build: bool,
    /// Rebuild documents whose inputs did not change.
    pub force: bool,
    /// Build only this shard of the selected matrix.
    pub shard: Option<Shard>,
    /// A manifest of an earlier build whose page counts balance the shards.
    pub weights: Option<PathBuf>,
    /// How much to print.
    pub verbosity: Verbosity,
    /// Whether standard error is a terminal (a progress bar) or a log (lines with `-v`).
    pub terminal: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Documents written.
    pub written: usize,
    /// Documents whose inputs had not changed.
    pub unchanged: usize,
    /// Total pages of the documents in the build.
    pub pages: usize,
    /// Total bytes of the documents in the build.
    pub bytes: usize,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Loading data, locales, fonts and drawing charts, in seconds.
    pub load_seconds: f64,
    /// Rendering templates, summed over documents, in seconds.
    pub render_seconds: f64,
    /// Typst compile and PDF export, summed over documents, in seconds.
    pub typeset_seconds: f64,
    /// Meeting packs typeset (not unchanged).
    pub packs: usize,
    /// Typst compile and PDF export of those packs (part of `typeset_seconds`), in seconds.
    pub pack_seconds: f64,
    /// Temp files left by an interrupted build and removed by this one.
    pub swept: usize,
    /// The shard built, and the documents of the whole matrix.
    pub shard: Option<(Shard, usize)>,
    /// Warnings printed.
    pub warnings: Report,
}

impl Summary {
    /// The summary line (and, with `timings`, where the time went).
    pub fn output(self, cfg: &BuildConfig, timings: bool) -> Output {
        let mut summary = vec![format!(
            "built {} document(s): {} written, {} unchanged, 0 failed; {} pages, {:.1} MiB in {:.1}s -> {}",
            self.written + self.unchanged,
            self.written,
            self.unchanged,
            self.pages,
            self.bytes as f64 / 1_048_576.0,
            self.seconds,
            cfg.out.join("manifest.json").display()
        )];
        if let Some((shard, total)) = self.shard {
            summary.push(format!(
                "shard {shard}: {} of the matrix's {total} document(s); gather the shards with `briefs merge`",
                self.written + self.unchanged
            ));
        }
        if self.swept > 0 {
            summary.push(format!(
                "removed {} temp file(s) an interrupted build had left in {}",
                self.swept,
                cfg.out.display()
            ));
        }
        if timings {
            let own = self.load_seconds + self.render_seconds;
            let ratio = if self.typeset_seconds > 0.0 { 100.0 * own / self.typeset_seconds } else { 0.0 };
            summary.push(format!(
                "timings: load+charts {:.0} ms, render {:.0} ms, typst compile+export {:.0} ms (summed over threads); ours/typst = {ratio:.1}%",
                self.load_seconds * 1000.0,
                self.render_seconds * 1000.0,
                self.typeset_seconds * 1000.0,
            ));
            if self.packs > 0 {
                summary.push(format!(
                    "timings: {} meeting pack(s) typeset in {:.0} ms, {:.0} ms each (part of the typst time above)",
                    self.packs,
                    self.pack_seconds * 1000.0,
                    self.pack_seconds * 1000.0 / self.packs as f64,
                ));
            }
        }
        Output { summary, warnings: self.warnings, ..Output::default() }
    }
}

/// A document typeset (or found unchanged): its manifest entry, and the time it took.
struct Built {
    /// Its entry in the manifest.
    entry: Entry,
    /// Whether its PDF was typeset and staged (false: unchanged).
    written: bool,
    /// Time spent rendering its template.
    render_seconds: f64,
    /// Time spent in Typst (zero when unchanged).
    typeset_seconds: f64,
    /// Charts it places (for `--emit-typst`).
    charts: Vec<String>,
    /// Whether it is a meeting pack.
    pack: bool,
}

/// Compiles one rendered document as copyfitting sets it (`fitting`): the World (to export from), the paged
/// document and Typst's warnings; or Typst's errors. A meeting pack's documents are set as each was set alone.
pub fn compile_one(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
    parts: &[(String, String)],
) -> Result<(BriefWorld, PagedDocument, Vec<TypstDiag>), Vec<TypstDiag>> {
    if parts.is_empty() {
        return fitting::compile_fitted(project, job, source, charts);
    }
    let mut fitted = Vec::with_capacity(parts.len());
    for (id, text) in parts {
        let part = JobId { document: id.clone(), ..job.clone() };
        fitted.push((id.clone(), fitting::fitted_source(project, &part, text, charts)?));
    }
    compile_source(project, job, source, charts, &fitted)
}

/// Compiles one generated source in its own World (sharing the project's caches): the World (to export from), the
/// paged document and Typst's warnings; or Typst's errors.
fn compile_source(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
    parts: &[(String, String)],
) -> Result<(BriefWorld, PagedDocument, Vec<TypstDiag>), Vec<TypstDiag>> {
    let files: Vec<(String, Bytes)> = project
        .charts
        .get(&job.locale)
        .map(|c| {
            charts
                .iter()
                .filter_map(|id| c.get(id))
                .filter(|ch| !ch.svg.is_empty())
                .map(|ch| (ch.chart_ref.path.clone(), Bytes::new(ch.svg.clone().into_bytes())))
                .collect()
        })
        .unwrap_or_default();
    // One main file per locale and document, whatever the audience: its audiences' sources differ in a few lines,
    // and under one file id the rest keeps its spans, so Typst reuses its layout (see `WorldBase::source`). A pack
    // includes each document under that same id, so it reuses the document's layout too (src/render/pack.rs).
    let main = format!("/{}/{}", job.locale, part_file(&job.document));
    let invalid = |path: &str| TypstDiag {
        severity: Severity::Error,
        message: format!("invalid document path {path}"),
        hints: Vec::new(),
        place: crate::typeset::Place::Unknown,
    };
    let mut world = BriefWorld::new(
        project.base.clone(),
        &main,
        source.to_string(),
        &project.layout_files(),
        &files,
        &project.model.edition.date,
    )
    .ok_or_else(|| vec![invalid(&main)])?;
    // A pack's documents sit beside it, where its `include "<id>.typ"` finds them (src/render/pack.rs).
    for (id, text) in parts {
        let path = format!("/{}/{}", job.locale, part_file(id));
        world.add_part(&path, id, text.clone()).ok_or_else(|| vec![invalid(&path)])?;
    }
    let (doc, warnings) = world.compile()?;
    Ok((world, doc, warnings))
}

/// Typesets one rendered document into PDF bytes, its page count and Typst's warnings (or Typst's errors), handing
/// the compiled pages to `sink` first if given.
fn typeset_with(
    project: &Project,
    job: &JobId,
    rendered: &crate::render::Rendered,
    final_build: bool,
    sink: Option<&dyn PageSink>,
) -> Result<(Vec<u8>, usize, Vec<TypstDiag>), Vec<TypstDiag>> {
    let (world, doc, warnings) = compile_one(project, job, &rendered.source, &rendered.charts, &rendered.parts)?;
    if let Some(sink) = sink {
        sink.pages(job, &doc, &warnings);
    }
    let ident = format!("{}/{}", project.model.edition.id, job.rel_path());
    let pdf = world.export(&doc, &ident, final_build)?;
    Ok((pdf, doc.pages().len(), warnings))
}

/// Receives what a build makes of each document besides its PDF (`briefs review` renders page images from the
/// same compiled document). Called from the worker threads.
pub trait PageSink: Sync {
    /// Sees every rendered document with the hash of its inputs; returns whether it wants its compiled pages (an
    /// unchanged document is then compiled, though not written, to hand them over).
    fn wants(&self, job: &JobId, rendered: &Rendered, inputs: &str) -> bool;
    /// Takes the compiled pages of a document it wanted, with Typst's warnings.
    fn pages(&self, job: &JobId, doc: &PagedDocument, warnings: &[TypstDiag]);
}

/// What one job gave: the document, its Typst warnings; or why it failed.
type JobResult = Result<(Built, Vec<TypstDiag>), JobError>;

/// Why a job failed: a render or write problem, or Typst's errors.
enum JobError {
    /// A located problem in a template, a locale text or the out folder.
    Report(Report),
    /// Typst's errors in the document.
    Typst(Vec<TypstDiag>),
}

impl From<Report> for JobError {
    fn from(r: Report) -> Self {
        JobError::Report(r)
    }
}

impl From<Diagnostic> for JobError {
    fn from(d: Diagnostic) -> Self {
        JobError::Report(d.into())
    }
}

/// The jobs of a build: the selection in typesetting order, or the shard of it asked for, with what its manifest
/// says about the shard.
fn select(cfg: &BuildConfig, project: &Project) -> Result<(Vec<JobId>, Option<output::ShardInfo>), Failure> {
    let jobs = shard::build_order(project, project.jobs(&cfg.selection)?);
    let Some(wanted) = cfg.shard else { return Ok((jobs, None)) };
    let known = match &cfg.weights {
        Some(path) => Some(Manifest::read_file(path).map_err(|d| Failure::from(Report::from(d)))?),
        None => None,
    };
    let weights = shard::weights(project, &jobs, known.as_ref());
    let (mine, info) = shard::select(&cfg.root, &jobs, &weights, wanted, cfg.final_build)
        .map_err(|d| Failure::from(Report::from(d)))?;
    Ok((mine, Some(info)))
}

/// The project's problems about what this build makes (the selection, not the shard: shards together build it):
/// errors refuse the build; a final build first passes `check --final` of the selection, which refuses its
/// warnings too. Returns the warnings to tell.
fn gate(project: &Project, cfg: &BuildConfig) -> Result<Report, Failure> {
    let jobs = project.jobs(&cfg.selection).map_err(failed)?;
    if cfg.final_build {
        let check =
            CheckConfig { root: cfg.root.clone(), final_build: true, i18n: false, selection: cfg.selection.clone() };
        return super::check::inspect(project, &check, &jobs).map(|c| c.warnings).map_err(|f| failed(f.report));
    }
    let scope = project.scope(&jobs, super::check::is_whole(&cfg.selection));
    let gate = project.gate(&scope, Report::default(), false);
    if gate.errors.has_errors() {
        let mut all = gate.errors;
        all.extend(gate.warnings);
        return Err(failed(all));
    }
    Ok(gate.warnings)
}

/// Why a build failed, with the line that says nothing was written.
fn failed(report: Report) -> Failure {
    Failure {
        report,
        after: Some("build failed; no PDF was written and earlier outputs are unchanged".into()),
        ..Failure::default()
    }
}

/// Loads the project and runs a build; nothing is written unless every document succeeds, and nothing is left if
/// it is interrupted.
pub fn run(cfg: &BuildConfig) -> Result<Summary, Failure> {
    let start = Instant::now();
    let project = load(cfg)?;
    run_on(&project, cfg, start, None)
}

/// Loads the project as a build of `cfg` does.
pub fn load(cfg: &BuildConfig) -> Result<Project, Failure> {
    Project::load_scoped(&cfg.root, LoadOptions { final_build: cfg.final_build, ..LoadOptions::default() })
        .map_err(failed)
}

/// Runs a build of a loaded project (started at `start`), handing each document's pages to `sink` if given.
pub fn run_on(
    project: &Project,
    cfg: &BuildConfig,
    start: Instant,
    sink: Option<&dyn PageSink>,
) -> Result<Summary, Failure> {
    let mut warnings = gate(project, cfg)?;
    let load_seconds = start.elapsed().as_secs_f64();
    let (jobs, shard_info) = select(cfg, project)?;
    output::check_folder(&cfg.out).map_err(|d| failed(d.into()))?;
    if let Some(dir) = &cfg.emit_typst {
        output::check_folder(dir).map_err(|d| failed(d.into()))?;
    }
    // Held until the end: no other build writes here meanwhile, and what a killed one left is swept now.
    let lock = OutLock::acquire(&cfg.out).map_err(|d| failed(d.into()))?;
    let emit_lock = cfg.emit_typst.as_deref().map(OutLock::acquire).transpose().map_err(|d| failed(d.into()))?;
    let previous = Manifest::read(&cfg.out).unwrap_or_default();
    let prev: BTreeMap<&str, &Entry> = previous.documents.iter().map(|e| (e.path.as_str(), e)).collect();

    let progress = Progress::new(cfg, jobs.len());
    let batch = Mutex::new(Batch::new());
    let emitted = Mutex::new(Batch::new());
    let trim = jobs.len() >= TRIM_FROM;
    let one = |i: usize, job: &JobId| -> JobResult {
        let t0 = Instant::now();
        let rendered = project.render(job, !cfg.final_build)?;
        let render_seconds = t0.elapsed().as_secs_f64();
        let inputs = inputs_hash(project, job, &rendered, cfg.final_build);
        let wanted = sink.filter(|s| s.wants(job, &rendered, &inputs));
        if let Some(dir) = &cfg.emit_typst {
            // Staged as it comes rather than kept: a source is tens of kilobytes, a build thousands of documents.
            emitted
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .stage(&dir.join(job.typ_path()), rendered.source.as_bytes())?;
            // A pack's documents beside it, where its `include` finds them.
            for (id, text) in &rendered.parts {
                let part = JobId { document: id.clone(), ..job.clone() };
                emitted.lock().unwrap_or_else(|e| e.into_inner()).stage(&dir.join(part.typ_path()), text.as_bytes())?;
            }
        }
        let rel = job.rel_path();
        let before = prev.get(rel.as_str());
        let unchanged = !cfg.force
            && before.is_some_and(|e| {
                e.inputs == inputs && std::fs::read(cfg.out.join(&rel)).is_ok_and(|b| sha256(&b) == e.sha256)
            });
        let mut built = Built {
            entry: Entry {
                path: rel.clone(),
                document: job.document.clone(),
                audience: job.audience.clone(),
                locale: job.locale.clone(),
                pages: 0,
                bytes: 0,
                sha256: String::new(),
                inputs,
                facts: rendered.facts.iter().cloned().collect(),
                provisional: rendered.provisional.iter().cloned().collect(),
            },
            written: false,
            render_seconds,
            typeset_seconds: 0.0,
            charts: rendered.charts.clone(),
            pack: project.is_pack(job),
        };
        if let (true, Some(e)) = (unchanged, before) {
            if let Some(sink) = wanted {
                // Unchanged, so not written; compiled only for its pages.
                let (_, doc, w) = compile_one(project, job, &rendered.source, &rendered.charts, &rendered.parts)
                    .map_err(JobError::Typst)?;
                sink.pages(job, &doc, &w);
            }
            (built.entry.pages, built.entry.bytes, built.entry.sha256) = (e.pages, e.bytes, e.sha256.clone());
            progress.done(i, job, None);
            return Ok((built, Vec::new()));
        }
        let t1 = Instant::now();
        let typeset = typeset_with(project, job, &rendered, cfg.final_build, wanted);
        drop(rendered);
        // What only this document needed leaves Typst's cache a few documents from now (see CACHE_AGE).
        if trim {
            typst::comemo::evict(CACHE_AGE);
        }
        let (pdf, pages, w) = typeset.map_err(JobError::Typst)?;
        // Staged here, so writing overlaps the other threads' typesetting; renamed into place only at the end.
        batch.lock().unwrap_or_else(|e| e.into_inner()).stage(&cfg.out.join(&rel), &pdf)?;
        (built.entry.pages, built.entry.bytes, built.entry.sha256) = (pages, pdf.len(), sha256(&pdf));
        built.written = true;
        built.typeset_seconds = t1.elapsed().as_secs_f64();
        progress.done(i, job, Some(pages));
        Ok((built, w))
    };
    let results = per_document(&jobs, |i, job| {
        let r = one(i, job);
        if r.is_err() {
            progress.failed(i, job);
        }
        r
    });
    progress.finish();
    // Stopped between documents: dropping the batches removes every staged file, the lock its file.
    let batch = batch.into_inner().unwrap_or_else(|e| e.into_inner());
    let emitted = emitted.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some(sig) = interrupt::interrupted() {
        return Err(Failure::interrupted(sig, batch.len() + emitted.len(), &cfg.out));
    }

    let mut errors = Report::default();
    let mut typst_errors = Traced::default();
    let mut typst_warnings = Traced::default();
    let mut built = Vec::new();
    for (job, r) in jobs.iter().zip(results) {
        match r {
            Some(Ok((b, w))) => {
                typst_warnings.add(project, job, w);
                built.push(b);
            }
            // A document that fails to render fails its pack too: each problem is reported once.
            Some(Err(JobError::Report(r))) => {
                for d in r.items {
                    if !errors.items.iter().any(|e| e.loc == d.loc && e.message == d.message) {
                        errors.push(d);
                    }
                }
            }
            Some(Err(JobError::Typst(d))) => typst_errors.add(project, job, d),
            None => {}
        }
    }
    errors.extend(typst_errors.into_report());
    let typst_warnings = typst_warnings.into_report();
    if cfg.final_build {
        for w in typst_warnings.items.into_iter().filter(|d| d.severity == Severity::Warning) {
            errors.push(crate::project::scope::refused_warning(w));
        }
    } else {
        warnings.extend(typst_warnings);
    }
    if errors.has_errors() {
        return Err(failed(errors));
    }

    let mut emitted = emitted;
    if let Some(dir) = &cfg.emit_typst {
        emit_shared(project, dir, &built, &mut emitted).map_err(|d| failed(d.into()))?;
    }

    let mut summary = Summary {
        warnings,
        load_seconds,
        swept: lock.swept + emit_lock.as_ref().map_or(0, |l| l.swept),
        shard: shard_info.as_ref().map(|i| (Shard { index: i.index, count: i.count }, i.matrix_documents)),
        ..Summary::default()
    };
    // A shard's manifest lists its own documents only; otherwise earlier documents still in the folder stay listed.
    let mut entries: BTreeMap<String, Entry> = previous
        .documents
        .into_iter()
        .filter(|e| shard_info.is_none() && cfg.out.join(&e.path).is_file())
        .map(|e| (e.path.clone(), e))
        .collect();
    for b in built {
        if b.written && b.pack {
            summary.packs += 1;
            summary.pack_seconds += b.typeset_seconds;
        }
        if b.written {
            summary.written += 1;
        } else {
            summary.unchanged += 1;
        }
        summary.pages += b.entry.pages;
        summary.render_seconds += b.render_seconds;
        summary.typeset_seconds += b.typeset_seconds;
        summary.bytes += b.entry.bytes;
        entries.insert(b.entry.path.clone(), b.entry);
    }
    let manifest = Manifest {
        edition: project.model.edition.id.clone(),
        documents: entries.into_values().collect(),
        shard: shard_info,
    };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    drop(manifest);
    let mut batch = batch;
    batch.stage(&cfg.out.join("manifest.json"), json.as_bytes()).map_err(|d| failed(d.into()))?;
    // The last moment to stop with nothing changed; once renaming starts, it finishes (it takes milliseconds).
    if let Some(sig) = interrupt::interrupted() {
        return Err(Failure::interrupted(sig, batch.len() + emitted.len(), &cfg.out));
    }
    emitted.commit().map_err(|d| failed(d.into()))?;
    batch.commit().map_err(|d| failed(d.into()))?;
    drop((lock, emit_lock));
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Stages what every emitted Typst source needs beside it, so `typst compile --root DIR` works standalone: the
/// layout and the charts the documents place (each once).
fn emit_shared(project: &Project, dir: &Path, built: &[Built], batch: &mut Batch) -> Result<(), Diagnostic> {
    for (path, text) in project.layout_files() {
        batch.stage(&dir.join(path.trim_start_matches('/')), text.as_bytes())?;
    }
    let mut charts = BTreeSet::new();
    for b in built {
        for id in &b.charts {
            charts.insert((b.entry.locale.as_str(), id.as_str()));
        }
    }
    for (locale, id) in charts {
        if let Some(ch) = project.charts.get(locale).and_then(|c| c.get(id)).filter(|ch| !ch.svg.is_empty()) {
            let rel = ch.chart_ref.path.trim_start_matches('/');
            batch.stage(&dir.join(rel), ch.svg.as_bytes())?;
        }
    }
    Ok(())
}
