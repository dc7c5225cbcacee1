//! The build pipeline, below the commands that build (`build`, `review`, `watch`): select the jobs and lock the out
//! folder, build each document on the per-document pool (render, hash its inputs, typeset unless unchanged, stage
//! its PDF), gather what they gave, write the manifest. Nothing is written unless every document succeeds, and
//! nothing is left if the build is interrupted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::diag::{Diagnostic, Report, Severity};
use crate::ids::DocumentKind;
use crate::io::sha256;
use crate::outcome::{Failure, Verbosity};
use crate::output::{self, Batch, Entry, Manifest, OutLock, interrupt};
use crate::project::{JobId, LoadOptions, Project, Selection};
use crate::trace::Traced;
use crate::typeset::TypstDiag;

mod compile;
mod fitting;
mod inputs;
mod inspect;
pub mod order;
mod pool;
mod progress;
pub mod shard;

pub use compile::{PageSink, compile_one};
pub use inputs::inputs_hash;
pub use inspect::{Checked, inspect};
pub use pool::per_document;

use compile::typeset_with;
use progress::Progress;
use shard::Shard;

/// How many documents an entry of Typst's memoization cache outlives its last use by. The cache is trimmed after
/// every document typeset: what the documents of one template and locale share (typeset one after another, see
/// `order::typesetting_order`) is used by each and stays, what one document alone needed goes, so memory stays flat
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

impl BuildConfig {
    /// A draft build of `selection` into `out`, typesetting only what changed: what `build` makes of its flags
    /// (which may ask for more), and what `watch` and `review` build.
    pub fn new(root: PathBuf, out: PathBuf, selection: Selection, verbosity: Verbosity, terminal: bool) -> Self {
        BuildConfig {
            root,
            out,
            selection,
            emit_typst: None,
            final_build: false,
            force: false,
            shard: None,
            weights: None,
            verbosity,
            terminal,
        }
    }
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
    /// What kind of document it is (meeting packs are timed apart).
    kind: DocumentKind,
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
    let jobs = order::build_order(project, project.jobs(&cfg.selection)?);
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
        return inspect(project, &cfg.selection, true, false, &jobs).map(|c| c.warnings).map_err(|f| failed(f.report));
    }
    let scope = project.scope(&jobs, cfg.selection.is_whole());
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

/// The jobs of a build, with the out folders locked for it and what the last build there wrote.
struct Locked {
    /// The jobs, in typesetting order.
    jobs: Vec<JobId>,
    /// The shard built, if any.
    shard_info: Option<output::ShardInfo>,
    /// The out folder's lock, held until the end.
    lock: OutLock,
    /// The `--emit-typst` folder's lock.
    emit_lock: Option<OutLock>,
    /// The manifest of the last build in the out folder.
    previous: Manifest,
}

/// Phase 1, select and lock: the jobs (or the shard's), the out folders checked and locked (no other build writes
/// there meanwhile, and what a killed one left is swept now), and the last build's manifest.
fn select_and_lock(project: &Project, cfg: &BuildConfig) -> Result<Locked, Failure> {
    let (jobs, shard_info) = select(cfg, project)?;
    output::check_folder(&cfg.out).map_err(|d| failed(d.into()))?;
    if let Some(dir) = &cfg.emit_typst {
        output::check_folder(dir).map_err(|d| failed(d.into()))?;
    }
    let lock = OutLock::acquire(&cfg.out).map_err(|d| failed(d.into()))?;
    let emit_lock = cfg.emit_typst.as_deref().map(OutLock::acquire).transpose().map_err(|d| failed(d.into()))?;
    let previous = Manifest::read(&cfg.out).unwrap_or_default();
    Ok(Locked { jobs, shard_info, lock, emit_lock, previous })
}

/// What every document of one build shares while the pool builds them.
struct Builder<'a> {
    /// The project.
    project: &'a Project,
    /// The build's settings.
    cfg: &'a BuildConfig,
    /// Who wants the compiled pages.
    sink: Option<&'a dyn PageSink>,
    /// The last build's entries, by path.
    prev: BTreeMap<&'a str, &'a Entry>,
    /// The progress display.
    progress: Progress,
    /// The PDFs staged so far.
    batch: Mutex<Batch>,
    /// The `--emit-typst` files staged so far.
    emitted: Mutex<Batch>,
    /// Whether Typst's cache is trimmed after each document (see `TRIM_FROM`).
    trim: bool,
}

impl Builder<'_> {
    /// Phase 2, build one: renders job `i`, hashes its inputs, and typesets and stages it unless it is unchanged.
    fn build_one(&self, i: usize, job: &JobId) -> JobResult {
        let (project, cfg) = (self.project, self.cfg);
        let t0 = Instant::now();
        let rendered = project.render(job, !cfg.final_build)?;
        let render_seconds = t0.elapsed().as_secs_f64();
        let inputs = inputs_hash(project, job, &rendered, cfg.final_build);
        let wanted = self.sink.filter(|s| s.wants(job, &rendered, &inputs));
        if let Some(dir) = &cfg.emit_typst {
            // Staged as it comes rather than kept: a source is tens of kilobytes, a build thousands of documents.
            crate::sync::lock(&self.emitted).stage(&dir.join(job.typ_path()), rendered.source.as_bytes())?;
            // A pack's documents beside it, where its `include` finds them.
            for (id, text) in &rendered.parts {
                let part = JobId { document: id.clone(), ..job.clone() };
                crate::sync::lock(&self.emitted).stage(&dir.join(part.typ_path()), text.as_bytes())?;
            }
        }
        let rel = job.rel_path();
        let before = self.prev.get(rel.as_str());
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
            kind: project.kind_of(job),
        };
        if let (true, Some(e)) = (unchanged, before) {
            if let Some(sink) = wanted {
                // Unchanged, so not written; compiled only for its pages.
                let (_, doc, w) = compile_one(project, job, &rendered.source, &rendered.charts, &rendered.parts)
                    .map_err(JobError::Typst)?;
                sink.pages(job, &doc, &w);
            }
            (built.entry.pages, built.entry.bytes, built.entry.sha256) = (e.pages, e.bytes, e.sha256.clone());
            self.progress.done(i, job, None);
            return Ok((built, Vec::new()));
        }
        let t1 = Instant::now();
        let typeset = typeset_with(project, job, &rendered, cfg.final_build, wanted);
        drop(rendered);
        // What only this document needed leaves Typst's cache a few documents from now (see CACHE_AGE).
        if self.trim {
            typst::comemo::evict(CACHE_AGE);
        }
        let (pdf, pages, w) = typeset.map_err(JobError::Typst)?;
        // Staged here, so writing overlaps the other threads' typesetting; renamed into place only at the end.
        crate::sync::lock(&self.batch).stage(&cfg.out.join(&rel), &pdf)?;
        (built.entry.pages, built.entry.bytes, built.entry.sha256) = (pages, pdf.len(), sha256(&pdf));
        built.written = true;
        built.typeset_seconds = t1.elapsed().as_secs_f64();
        self.progress.done(i, job, Some(pages));
        Ok((built, w))
    }
}

/// Phase 3, gather: the documents built, in job order, and Typst's warnings added to `warnings`; or every problem,
/// each reported once and Typst's traced to the template line. A final build refuses Typst's warnings.
fn gather(
    project: &Project,
    cfg: &BuildConfig,
    jobs: &[JobId],
    results: Vec<Option<JobResult>>,
    warnings: &mut Report,
) -> Result<Vec<Built>, Failure> {
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
    Ok(built)
}

/// Phase 4, write the manifest: stages it with the documents, and renames everything into place (`emitted`
/// first), unless a signal came; the last moment to stop with nothing changed. `merge` writes its manifest here too.
pub fn write_manifest(
    manifest: &Manifest,
    out: &Path,
    mut batch: Batch,
    emitted: Batch,
    failed: impl Fn(Report) -> Failure,
) -> Result<(), Failure> {
    manifest.stage(out, &mut batch).map_err(|d| failed(d.into()))?;
    // Once renaming starts, it finishes (it takes milliseconds).
    if let Some(sig) = interrupt::interrupted() {
        return Err(Failure::interrupted(sig, batch.len() + emitted.len(), out));
    }
    emitted.commit().map_err(|d| failed(d.into()))?;
    batch.commit().map_err(|d| failed(d.into()))
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
    let Locked { jobs, shard_info, lock, emit_lock, previous } = select_and_lock(project, cfg)?;

    let builder = Builder {
        project,
        cfg,
        sink,
        prev: previous.documents.iter().map(|e| (e.path.as_str(), e)).collect(),
        progress: Progress::new(cfg.verbosity, cfg.terminal, jobs.len()),
        batch: Mutex::new(Batch::new()),
        emitted: Mutex::new(Batch::new()),
        trim: jobs.len() >= TRIM_FROM,
    };
    let results = per_document(&jobs, |i, job| {
        let r = builder.build_one(i, job);
        if r.is_err() {
            builder.progress.failed(i, job);
        }
        r
    });
    builder.progress.finish();
    // Stopped between documents: dropping the batches removes every staged file, the lock its file.
    let batch = crate::sync::into_inner(builder.batch);
    let mut emitted = crate::sync::into_inner(builder.emitted);
    if let Some(sig) = interrupt::interrupted() {
        return Err(Failure::interrupted(sig, batch.len() + emitted.len(), &cfg.out));
    }

    let built = gather(project, cfg, &jobs, results, &mut warnings)?;
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
        summary.add(&b);
        entries.insert(b.entry.path.clone(), b.entry);
    }
    let manifest = Manifest {
        edition: project.model.edition.id.clone(),
        documents: entries.into_values().collect(),
        shard: shard_info,
    };
    write_manifest(&manifest, &cfg.out, batch, emitted, failed)?;
    drop((lock, emit_lock));
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

impl Summary {
    /// Counts a document built.
    fn add(&mut self, b: &Built) {
        if b.written && b.kind.is_pack() {
            self.packs += 1;
            self.pack_seconds += b.typeset_seconds;
        }
        if b.written {
            self.written += 1;
        } else {
            self.unchanged += 1;
        }
        self.pages += b.entry.pages;
        self.render_seconds += b.render_seconds;
        self.typeset_seconds += b.typeset_seconds;
        self.bytes += b.entry.bytes;
    }
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
        for (path, svg) in project.charts.get(locale).and_then(|c| c.get(id)).into_iter().flat_map(|ch| ch.drawings()) {
            batch.stage(&dir.join(path.trim_start_matches('/')), svg.as_bytes())?;
        }
    }
    Ok(())
}
