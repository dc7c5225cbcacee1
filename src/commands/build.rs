//! `briefs build`: render, typeset and write every selected document, then the manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use typst::foundations::Bytes;

use super::check::CheckConfig;
use super::{Failure, Output, Verbosity};
use crate::diag::{Diagnostic, Loc, Report, Severity};
use crate::io::sha256;
use crate::output::{self, Entry, Manifest};
use crate::project::{JobId, LoadOptions, Project, Selection};
use crate::render::Rendered;
use crate::render::pack::part_file;
use crate::trace::Traced;
use crate::typeset::{BriefWorld, TypstDiag};
use typst_layout::PagedDocument;

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
    /// Lay meeting packs out for double-sided printing or not (overrides the audiences' `pack_duplex`).
    pub pack_duplex: Option<bool>,
    /// Rebuild documents whose inputs did not change.
    pub force: bool,
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
        Output { product: Vec::new(), summary, warnings: self.warnings }
    }
}

/// A document typeset (or found unchanged), ready to enter the manifest.
struct Built {
    /// Which document.
    job: JobId,
    /// Facts it shows.
    facts: Vec<String>,
    /// Provisional facts it shows.
    provisional: Vec<String>,
    /// Time spent rendering its template.
    render_seconds: f64,
    /// Time spent in Typst (zero when unchanged).
    typeset_seconds: f64,
    /// Hash of its inputs.
    inputs: String,
    /// Size and SHA-256 of the PDF staged for writing; `None` when the document was unchanged.
    written: Option<(usize, String)>,
    /// Its pages.
    pages: usize,
    /// Its generated Typst.
    source: String,
    /// Charts it places.
    charts: Vec<String>,
    /// The generated sources of the documents a pack includes (document id, text).
    parts: Vec<(String, String)>,
}

/// Progress display: a bar on a terminal; with `-v` elsewhere, a line per document in matrix order.
enum Progress {
    /// An indicatif bar.
    Bar(ProgressBar),
    /// Lines printed in job order: the lines of finished jobs, and how many have been printed.
    Lines(std::sync::Mutex<(Vec<Option<String>>, usize)>),
    /// Nothing.
    Silent,
}

impl Progress {
    /// The display the configuration asks for, over `total` jobs.
    fn new(cfg: &BuildConfig, total: usize) -> Progress {
        match (cfg.verbosity, cfg.terminal) {
            (Verbosity::Quiet, _) => Progress::Silent,
            (_, true) => {
                let b = ProgressBar::new(total as u64);
                b.set_style(
                    ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                Progress::Bar(b)
            }
            (Verbosity::Verbose, false) => Progress::Lines(std::sync::Mutex::new((vec![None; total], 0))),
            (Verbosity::Normal, false) => Progress::Silent,
        }
    }

    /// Records job `i` finished (`pages` is None when it was unchanged).
    fn done(&self, i: usize, job: &JobId, pages: Option<usize>) {
        let line = match pages {
            Some(p) => format!("typeset {} ({p} pages)", job.rel_path()),
            None => format!("unchanged {}", job.rel_path()),
        };
        self.record(i, job, line);
    }

    /// Records job `i` failed.
    fn failed(&self, i: usize, job: &JobId) {
        self.record(i, job, format!("failed {}", job.rel_path()));
    }

    /// Shows that job `i` is over, with its line.
    fn record(&self, i: usize, job: &JobId, line: String) {
        match self {
            Progress::Bar(b) => {
                b.set_message(job.label());
                b.inc(1);
            }
            Progress::Lines(state) => {
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                let (lines, printed) = &mut *state;
                let total = lines.len();
                if let Some(slot) = lines.get_mut(i) {
                    *slot = Some(line);
                }
                while let Some(Some(line)) = lines.get(*printed) {
                    *printed += 1;
                    eprintln!("[{printed}/{total}] {line}");
                }
            }
            Progress::Silent => {}
        }
    }

    /// Clears the bar.
    fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// Hash of everything a document is made from: its Typst source (and a pack's documents' sources), the layout,
/// charts, fonts, tool version.
pub fn inputs_hash(project: &Project, job: &JobId, rendered: &Rendered, final_build: bool) -> String {
    let (source, charts) = (&rendered.source, &rendered.charts);
    let mut buf = Vec::new();
    buf.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    buf.push(u8::from(final_build));
    // The PDF's identifier and timestamp come from the edition, not from the source.
    buf.extend_from_slice(format!("{}\0{}\0", project.model.edition.id, project.model.edition.date.iso()).as_bytes());
    buf.extend_from_slice(source.as_bytes());
    for (id, text) in &rendered.parts {
        buf.extend_from_slice(format!("\0{id}\0{}\0", text.len()).as_bytes());
        buf.extend_from_slice(text.as_bytes());
    }
    buf.extend_from_slice(project.house.as_bytes());
    if let Some(c) = project.charts.get(&job.locale) {
        for id in charts {
            if let Some(ch) = c.get(id) {
                buf.extend_from_slice(ch.svg.as_bytes());
            }
        }
    }
    buf.extend_from_slice(project.base.fonts.digest.as_bytes());
    sha256(&buf)
}

/// Compiles one rendered document in its own World (sharing the project's caches): the World (to export from), the
/// paged document and Typst's warnings; or Typst's errors.
pub fn compile_one(
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
        &[("/house.typ".to_string(), project.house.clone())],
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
    source: &str,
    charts: &[String],
    parts: &[(String, String)],
    final_build: bool,
    sink: Option<&dyn PageSink>,
) -> Result<(Vec<u8>, usize, Vec<TypstDiag>), Vec<TypstDiag>> {
    let (world, doc, warnings) = compile_one(project, job, source, charts, parts)?;
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

/// Stack size of the threads that render and typeset documents (as big as rayon's workers, see cli.rs).
/// Documents do not run as rayon jobs: while Typst waits on its own parallel work, a rayon worker runs other
/// queued jobs on the same stack, so documents queued there pile up on one stack (the shipped project's
/// 180 documents overflowed it).
const DOCUMENT_STACK: usize = 64 << 20;

/// Runs `f` on every job, on dedicated threads (as many as rayon's pool has, so `--jobs` holds), and returns
/// the results in job order. Typst's own parallel work still runs on rayon's pool, but no document is ever
/// started on top of another one's stack.
pub fn per_document<T: Send>(jobs: &[JobId], f: impl Fn(usize, &JobId) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let slots: std::sync::Mutex<Vec<Option<T>>> = std::sync::Mutex::new(jobs.iter().map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let r = f(i, job);
            if let Some(slot) = slots.lock().unwrap_or_else(|e| e.into_inner()).get_mut(i) {
                *slot = Some(r);
            }
        }
    };
    let threads = rayon::current_num_threads().clamp(1, jobs.len().max(1));
    std::thread::scope(|s| {
        for n in 0..threads {
            let spawned = std::thread::Builder::new()
                .name(format!("briefs-doc-{n}"))
                .stack_size(DOCUMENT_STACK)
                .spawn_scoped(s, work);
            if spawned.is_err() && n == 0 {
                // No thread could be had: do the work on this one.
                work();
            }
        }
    });
    slots.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
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

/// Why a build failed, with the line that says nothing was written.
fn failed(report: Report) -> Failure {
    Failure {
        report,
        after: Some("build failed; no PDF was written and earlier outputs are unchanged".into()),
        product: Vec::new(),
    }
}

/// Loads the project and runs a build; nothing is written unless every document succeeds.
pub fn run(cfg: &BuildConfig) -> Result<Summary, Failure> {
    let start = Instant::now();
    let project = load(cfg)?;
    run_on(&project, cfg, start, None)
}

/// Loads the project as a build of `cfg` does.
pub fn load(cfg: &BuildConfig) -> Result<Project, Failure> {
    Project::load(&cfg.root, LoadOptions { final_build: cfg.final_build, ..LoadOptions::default() }).map_err(failed)
}

/// Runs a build of a loaded project (started at `start`), handing each document's pages to `sink` if given.
pub fn run_on(
    project: &Project,
    cfg: &BuildConfig,
    start: Instant,
    sink: Option<&dyn PageSink>,
) -> Result<Summary, Failure> {
    if cfg.final_build {
        // A final build first passes `check --final` (every document of the matrix, warnings are errors).
        let check = CheckConfig { root: cfg.root.clone(), final_build: true, i18n: false };
        super::check::inspect(project, &check).map_err(|f| failed(f.report))?;
    }
    let load_seconds = start.elapsed().as_secs_f64();
    let mut warnings = project.warnings.clone();
    let mut jobs = project.jobs(&cfg.selection).map_err(Failure::from)?;
    // Packs last: by the time one is typeset, its documents' layout is in Typst's cache.
    jobs.sort_by_key(|j| project.is_pack(j));
    output::check_folder(&cfg.out).map_err(|d| failed(d.into()))?;
    if let Some(dir) = &cfg.emit_typst {
        output::check_folder(dir).map_err(|d| failed(d.into()))?;
    }
    let previous = Manifest::read(&cfg.out).unwrap_or_default();
    let prev: BTreeMap<&str, &Entry> = previous.documents.iter().map(|e| (e.path.as_str(), e)).collect();

    let progress = Progress::new(cfg, jobs.len());
    let batch = std::sync::Mutex::new(output::Batch::new());
    let one = |i: usize, job: &JobId| -> JobResult {
        let t0 = Instant::now();
        let rendered = project.render(job, !cfg.final_build, cfg.pack_duplex)?;
        let render_seconds = t0.elapsed().as_secs_f64();
        let inputs = inputs_hash(project, job, &rendered, cfg.final_build);
        let wanted = sink.filter(|s| s.wants(job, &rendered, &inputs));
        let rel = job.rel_path();
        let unchanged = !cfg.force
            && prev.get(rel.as_str()).is_some_and(|e| {
                e.inputs == inputs && std::fs::read(cfg.out.join(&rel)).is_ok_and(|b| sha256(&b) == e.sha256)
            });
        let mut built = Built {
            job: job.clone(),
            facts: rendered.facts.iter().cloned().collect(),
            provisional: rendered.provisional.iter().cloned().collect(),
            render_seconds,
            typeset_seconds: 0.0,
            inputs,
            written: None,
            pages: 0,
            source: rendered.source,
            charts: rendered.charts,
            parts: rendered.parts,
        };
        if unchanged {
            if let Some(sink) = wanted {
                // Unchanged, so not written; compiled only for its pages.
                let (_, doc, w) =
                    compile_one(project, job, &built.source, &built.charts, &built.parts).map_err(JobError::Typst)?;
                sink.pages(job, &doc, &w);
            }
            built.pages = prev.get(rel.as_str()).map_or(0, |e| e.pages);
            progress.done(i, job, None);
            return Ok((built, Vec::new()));
        }
        let t1 = Instant::now();
        let (pdf, pages, w) =
            typeset_with(project, job, &built.source, &built.charts, &built.parts, cfg.final_build, wanted)
                .map_err(JobError::Typst)?;
        // Staged here, so writing overlaps the other threads' typesetting; renamed into place only at the end.
        batch.lock().unwrap_or_else(|e| e.into_inner()).stage(&cfg.out.join(&rel), &pdf)?;
        built.written = Some((pdf.len(), sha256(&pdf)));
        built.pages = pages;
        built.typeset_seconds = t1.elapsed().as_secs_f64();
        progress.done(i, job, Some(pages));
        Ok((built, w))
    };
    let results: Vec<JobResult> = per_document(&jobs, |i, job| {
        let r = one(i, job);
        if r.is_err() {
            progress.failed(i, job);
        }
        r
    });
    progress.finish();

    let mut errors = Report::default();
    let mut typst_errors = Traced::default();
    let mut typst_warnings = Traced::default();
    let mut built = Vec::new();
    for (job, r) in jobs.iter().zip(results) {
        match r {
            Ok((b, w)) => {
                typst_warnings.add(project, job, w);
                built.push(b);
            }
            // A document that fails to render fails its pack too: each problem is reported once.
            Err(JobError::Report(r)) => {
                for d in r.items {
                    if !errors.items.iter().any(|e| e.loc == d.loc && e.message == d.message) {
                        errors.push(d);
                    }
                }
            }
            Err(JobError::Typst(d)) => typst_errors.add(project, job, d),
        }
    }
    errors.extend(typst_errors.into_report());
    warnings.extend(typst_warnings.into_report());
    if cfg.final_build && warnings.items.iter().any(|d| d.severity == Severity::Warning) {
        for w in &warnings.items {
            let hint = match &w.hint {
                Some(h) => format!("a final build refuses every warning; {h}"),
                None => "a final build refuses every warning".to_string(),
            };
            errors.push(Diagnostic { severity: Severity::Error, ..w.clone() }.with_hint(hint));
        }
    }
    if errors.has_errors() {
        return Err(failed(errors));
    }

    if let Some(dir) = &cfg.emit_typst {
        emit_typst(project, dir, &built).map_err(|e| failed(Diagnostic::error(Loc::file(dir), e).into()))?;
    }

    let mut summary = Summary { warnings, load_seconds, ..Summary::default() };
    let mut entries: BTreeMap<String, Entry> = previous
        .documents
        .iter()
        .filter(|e| cfg.out.join(&e.path).is_file())
        .map(|e| (e.path.clone(), e.clone()))
        .collect();
    // Every PDF (staged by the workers) and the manifest are renamed into place only when all are staged.
    let mut batch = batch.into_inner().unwrap_or_else(|e| e.into_inner());
    for b in built {
        let rel = b.job.rel_path();
        if b.written.is_some() && project.is_pack(&b.job) {
            summary.packs += 1;
            summary.pack_seconds += b.typeset_seconds;
        }
        let (bytes, sha) = match b.written {
            Some(written) => {
                summary.written += 1;
                written
            }
            None => {
                summary.unchanged += 1;
                entries.get(&rel).map_or((0, String::new()), |e| (e.bytes, e.sha256.clone()))
            }
        };
        summary.pages += b.pages;
        summary.render_seconds += b.render_seconds;
        summary.typeset_seconds += b.typeset_seconds;
        summary.bytes += bytes;
        entries.insert(
            rel.clone(),
            Entry {
                path: rel,
                document: b.job.document.clone(),
                audience: b.job.audience.clone(),
                locale: b.job.locale.clone(),
                pages: b.pages,
                bytes,
                sha256: sha,
                inputs: b.inputs,
                facts: b.facts,
                provisional: b.provisional,
            },
        );
    }
    let manifest = Manifest { edition: project.model.edition.id.clone(), documents: entries.into_values().collect() };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    batch.stage(&cfg.out.join("manifest.json"), json.as_bytes()).map_err(|d| failed(d.into()))?;
    batch.commit().map_err(|d| failed(d.into()))?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Writes each generated Typst source with the layout and charts, so `typst compile --root DIR` works standalone.
fn emit_typst(project: &Project, dir: &Path, built: &[Built]) -> Result<(), String> {
    output::write_atomic(&dir.join("house.typ"), project.house.as_bytes())?;
    for b in built {
        output::write_atomic(&dir.join(b.job.typ_path()), b.source.as_bytes())?;
        for (id, text) in &b.parts {
            let part = JobId { document: id.clone(), ..b.job.clone() };
            output::write_atomic(&dir.join(part.typ_path()), text.as_bytes())?;
        }
        if let Some(c) = project.charts.get(&b.job.locale) {
            for id in &b.charts {
                if let Some(ch) = c.get(id) {
                    let rel = ch.chart_ref.path.trim_start_matches('/');
                    output::write_atomic(&dir.join(rel), ch.svg.as_bytes())?;
                }
            }
        }
    }
    Ok(())
}
