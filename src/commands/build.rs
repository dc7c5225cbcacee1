//! `briefs build`: render, typeset and write every selected document, then the manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use typst::foundations::Bytes;

use crate::commands::check::CheckConfig;
use crate::diag::{Diagnostic, Loc, Report};
use crate::output::{self, Entry, Manifest};
use crate::project::{JobId, Project, Selection};
use crate::render::Rendered;
use crate::typeset::BriefWorld;

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
    /// Lay meeting packs out for double-sided printing (overrides the audiences' `pack_duplex`).
    pub pack_duplex: Option<bool>,
    /// Rebuild documents whose inputs did not change.
    pub force: bool,
    /// Show a progress bar.
    pub progress: bool,
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
    /// Meeting packs typeset (written, not unchanged).
    pub packs: usize,
    /// Typst compile and PDF export of the packs alone (part of `typeset_seconds`), in seconds.
    pub pack_seconds: f64,
    /// Warnings printed.
    pub warnings: Report,
}

/// A document ready to write.
struct Made {
    job: JobId,
    facts: Vec<String>,
    provisional: Vec<String>,
    render_seconds: f64,
    typeset_seconds: f64,
    inputs: String,
    /// Size and SHA-256 of the PDF staged for writing; `None` when the document was unchanged.
    written: Option<(usize, String)>,
    pages: usize,
    source: String,
    charts: Vec<String>,
    /// The generated sources a pack includes (document id, text).
    parts: Vec<(String, String)>,
}

/// Progress display: a bar on a terminal, one plain line per document otherwise (CI logs).
enum Progress {
    /// An indicatif bar.
    Bar(ProgressBar),
    /// Plain lines with a counter.
    Lines(std::sync::atomic::AtomicUsize, usize),
}

impl Progress {
    /// A bar when `terminal`, plain lines otherwise.
    fn new(terminal: bool, total: usize) -> Progress {
        if terminal {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            Progress::Bar(b)
        } else {
            Progress::Lines(std::sync::atomic::AtomicUsize::new(0), total)
        }
    }

    /// Records one finished document (`pages` is None when it was unchanged).
    fn done(&self, job: &JobId, pages: Option<usize>) {
        match self {
            Progress::Bar(b) => {
                b.set_message(job.label());
                b.inc(1);
            }
            Progress::Lines(n, total) => {
                let i = n.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                match pages {
                    Some(p) => eprintln!("[{i}/{total}] typeset {} ({p} pages)", job.rel_path()),
                    None => eprintln!("[{i}/{total}] unchanged {}", job.rel_path()),
                }
            }
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
fn inputs_hash(project: &Project, job: &JobId, rendered: &Rendered, final_build: bool) -> String {
    let (source, charts) = (&rendered.source, &rendered.charts);
    let mut buf = Vec::new();
    buf.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    buf.push(u8::from(final_build));
    // The PDF's identifier and timestamp come from the edition, not from the source.
    buf.extend_from_slice(format!("{}\0{}\0", project.model.edition.id, project.model.edition.date.value).as_bytes());
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
    buf.extend_from_slice(project.shared.fonts.digest.as_bytes());
    output::sha256(&buf)
}

/// Typesets one rendered document into PDF bytes and its page count.
pub fn typeset_one(
    project: &Project,
    job: &JobId,
    rendered: &Rendered,
    final_build: bool,
) -> Result<(Vec<u8>, usize, Vec<Diagnostic>), Report> {
    let (source, charts) = (&rendered.source, &rendered.charts);
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
    // One main file per locale and template, whatever the audience or state: such sources differ in a few lines,
    // and under one file id the rest keeps its spans, so Typst reuses its layout (see `Shared::source`).
    let template = project.model.document(&job.document).map_or(job.document.as_str(), |d| d.template.value.as_str());
    let main = format!("/{}/{}", job.locale, template.trim_end_matches(".j2"));
    let emitted = job.typ_path();
    let mut world = BriefWorld::new(
        project.shared.clone(),
        &main,
        &emitted,
        source.to_string(),
        &[("/house.typ".to_string(), project.house.clone())],
        &files,
        project.model.edition.ymd(),
    )
    .ok_or_else(|| Report::from(Diagnostic::error(Loc::default(), format!("invalid document path {main}"))))?;
    // A pack's documents sit beside it, as `include "<id>.typ"` expects (src/pack.rs).
    for (id, text) in &rendered.parts {
        let part = JobId { document: id.clone(), ..job.clone() };
        let path = format!("/{}/{}", job.locale, crate::pack::part_file(id));
        world
            .add_part(&path, &format!("{} (in the pack)", part.label()), &part.typ_path(), text.clone())
            .ok_or_else(|| Report::from(Diagnostic::error(Loc::default(), format!("invalid document path {path}"))))?;
    }
    let (doc, warnings) = world.compile(&job.label())?;
    let ident = format!("{}/{}", project.model.edition.id, job.rel_path());
    let pdf = world.export(&doc, &ident, final_build, &job.label())?;
    Ok((pdf, doc.pages().len(), warnings))
}

/// Stack size of the threads that render and typeset documents (as big as rayon's workers, see cli.rs).
/// Documents do not run as rayon jobs: while Typst waits on its own parallel work, a rayon worker runs other
/// queued jobs on the same stack, so documents queued there pile up on one stack (the shipped project's
/// 180 documents overflowed it).
const DOCUMENT_STACK: usize = 64 << 20;

/// Runs `f` on every job, on dedicated threads (as many as rayon's pool has, so `--jobs` holds), and returns
/// the results in job order. Typst's own parallel work still runs on rayon's pool, but no document is ever
/// started on top of another one's stack.
fn per_document<T: Send>(jobs: &[JobId], f: impl Fn(&JobId) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let slots: std::sync::Mutex<Vec<Option<T>>> = std::sync::Mutex::new(jobs.iter().map(|_| None).collect());
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let r = f(job);
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

/// Runs a build; nothing is written unless every document succeeds.
pub fn run(cfg: &BuildConfig) -> Result<Summary, Report> {
    let start = Instant::now();
    let project = Project::load_with(&cfg.root, cfg.final_build)?;
    if cfg.final_build {
        // A final build first passes `check --final` (every document of the matrix, warnings are errors).
        let check = CheckConfig { root: cfg.root.clone(), final_build: true, i18n: false };
        crate::commands::check::inspect(&project, &check)?;
    }
    let load_seconds = start.elapsed().as_secs_f64();
    let mut warnings = project.warnings.clone();
    let mut jobs = project.jobs(&cfg.selection)?;
    // Packs last: by the time one is typeset, its documents' layout is in Typst's cache.
    jobs.sort_by_key(|j| project.model.document(&j.document).is_some_and(|d| d.pack));
    if jobs.is_empty() {
        return Err(Diagnostic::error(Loc::default(), "the selection matches no document")
            .with_hint("run `briefs list` to see the documents, audiences and locales")
            .into());
    }
    output::check_folder(&cfg.out)?;
    if let Some(dir) = &cfg.emit_typst {
        output::check_folder(dir)?;
    }
    let previous = Manifest::read(&cfg.out).unwrap_or_default();
    let prev: BTreeMap<&str, &Entry> = previous.documents.iter().map(|e| (e.path.as_str(), e)).collect();

    let progress = Progress::new(cfg.progress, jobs.len());
    let batch = std::sync::Mutex::new(output::Batch::new());
    let results: Vec<Result<(Made, Vec<Diagnostic>), Report>> = per_document(&jobs, |job| {
        let t0 = Instant::now();
        let rendered = project.render(job, !cfg.final_build, cfg.pack_duplex)?;
        let render_seconds = t0.elapsed().as_secs_f64();
        let inputs = inputs_hash(&project, job, &rendered, cfg.final_build);
        let rel = job.rel_path();
        let unchanged = !cfg.force
            && prev.get(rel.as_str()).is_some_and(|e| {
                e.inputs == inputs && std::fs::read(cfg.out.join(&rel)).is_ok_and(|b| output::sha256(&b) == e.sha256)
            });
        let made = if unchanged {
            let e = prev[rel.as_str()];
            Made {
                job: job.clone(),
                facts: rendered.facts.iter().cloned().collect(),
                provisional: rendered.provisional.iter().cloned().collect(),
                render_seconds,
                typeset_seconds: 0.0,
                inputs,
                written: None,
                pages: e.pages,
                source: rendered.source,
                charts: rendered.charts,
                parts: rendered.parts,
            }
        } else {
            let t1 = Instant::now();
            let (pdf, pages, w) = typeset_one(&project, job, &rendered, cfg.final_build)?;
            // Staged here, so writing overlaps the other threads' typesetting; renamed into place only at the end.
            batch.lock().unwrap_or_else(|e| e.into_inner()).stage(&cfg.out.join(job.rel_path()), &pdf)?;
            let written = Some((pdf.len(), output::sha256(&pdf)));
            let typeset_seconds = t1.elapsed().as_secs_f64();
            progress.done(job, Some(pages));
            return Ok((
                Made {
                    job: job.clone(),
                    facts: rendered.facts.iter().cloned().collect(),
                    provisional: rendered.provisional.iter().cloned().collect(),
                    render_seconds,
                    typeset_seconds,
                    inputs,
                    written,
                    pages,
                    source: rendered.source,
                    charts: rendered.charts,
                    parts: rendered.parts,
                },
                w,
            ));
        };
        progress.done(job, None);
        Ok((made, Vec::new()))
    });
    progress.finish();

    let mut errors = Report::default();
    let mut made = Vec::new();
    for r in results {
        match r {
            Ok((m, w)) => {
                warnings.items.extend(w);
                made.push(m);
            }
            // A document that fails fails its pack too: report each problem once.
            Err(r) => {
                for d in r.items {
                    if !errors.items.iter().any(|e| e.loc == d.loc && e.message == d.message) {
                        errors.push(d);
                    }
                }
            }
        }
    }
    if cfg.final_build && warnings.items.iter().any(|d| d.severity == crate::diag::Severity::Warning) {
        for w in &warnings.items {
            let hint = match &w.hint {
                Some(h) => format!("a final build refuses every warning; {h}"),
                None => "a final build refuses every warning".to_string(),
            };
            errors.push(Diagnostic { severity: crate::diag::Severity::Error, ..w.clone() }.with_hint(hint));
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }

    if let Some(dir) = &cfg.emit_typst {
        emit_typst(&project, dir, &made)
            .map_err(|e| Report::from(Diagnostic::error(Loc::file(dir.display().to_string()), e)))?;
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
    for m in made {
        let rel = m.job.rel_path();
        if m.written.is_some() && project.model.document(&m.job.document).is_some_and(|d| d.pack) {
            summary.packs += 1;
            summary.pack_seconds += m.typeset_seconds;
        }
        let (bytes, sha) = match m.written {
            Some(written) => {
                summary.written += 1;
                written
            }
            None => {
                summary.unchanged += 1;
                let e = &entries[&rel];
                (e.bytes, e.sha256.clone())
            }
        };
        summary.pages += m.pages;
        summary.render_seconds += m.render_seconds;
        summary.typeset_seconds += m.typeset_seconds;
        summary.bytes += bytes;
        entries.insert(
            rel.clone(),
            Entry {
                path: rel,
                document: m.job.document.clone(),
                audience: m.job.audience.clone(),
                locale: m.job.locale.clone(),
                pages: m.pages,
                bytes,
                sha256: sha,
                inputs: m.inputs,
                facts: m.facts,
                provisional: m.provisional,
            },
        );
    }
    let manifest = Manifest { edition: project.model.edition.id.clone(), documents: entries.into_values().collect() };
    let json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    let mpath = cfg.out.join("manifest.json");
    batch.stage(&mpath, json.as_bytes())?;
    batch.commit()?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Writes each generated Typst source with the layout and charts, so `typst compile --root DIR` works standalone.
fn emit_typst(project: &Project, dir: &Path, made: &[Made]) -> Result<(), String> {
    output::write_atomic(&dir.join("house.typ"), project.house.as_bytes())?;
    for m in made {
        output::write_atomic(&dir.join(m.job.typ_path()), m.source.as_bytes())?;
        for (id, text) in &m.parts {
            let part = JobId { document: id.clone(), ..m.job.clone() };
            output::write_atomic(&dir.join(part.typ_path()), text.as_bytes())?;
        }
        if let Some(c) = project.charts.get(&m.job.locale) {
            for id in &m.charts {
                if let Some(ch) = c.get(id) {
                    let rel = ch.chart_ref.path.trim_start_matches('/');
                    output::write_atomic(&dir.join(rel), ch.svg.as_bytes())?;
                }
            }
        }
    }
    Ok(())
}
