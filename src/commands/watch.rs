//! `briefs watch`: build once, then rebuild the selection incrementally on every change to the project's inputs.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecursiveMode, Watcher};

use super::{Failure, Output, Verbosity};
use crate::diag::{Detail, Diagnostic, Loc, Report};
use crate::pipeline::{self, BuildConfig};

/// The folders whose changes trigger a rebuild.
pub const WATCHED: [&str; 4] = ["data", "locales", "templates", "fonts"];

/// Quiet time after the last change before rebuilding (an editor's save is often several events).
const DEBOUNCE: Duration = Duration::from_millis(100);

/// How many compilations typst's memoization cache keeps entries for after each rebuild.
const CACHE_AGE: usize = 10;

/// Whether an event is a change to a file a build reads (not an editor's swap or backup file, nor the out folder).
fn relevant(event: &Event, out: &Path) -> bool {
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        if p.starts_with(out) {
            return false;
        }
        let name = p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        !(name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.ends_with(".tmp")
            || name == "4913")
    })
}

/// Whether an event should trigger a rebuild (a watcher error, such as a lost event, does: rebuilding is safe).
fn wants(event: &notify::Result<Event>, out: &Path) -> bool {
    match event {
        Ok(e) => relevant(e, out),
        Err(_) => true,
    }
}

/// A path made absolute and, where it exists, canonical (as file events name it).
fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
}

/// How much of a report watch prints: errors only with `-q`, every warning with `-v`, else one line for many alike.
fn detail(cfg: &BuildConfig) -> Detail {
    match cfg.verbosity {
        Verbosity::Quiet => Detail::Errors,
        Verbosity::Normal => Detail::Summary,
        Verbosity::Verbose => Detail::Full,
    }
}

/// Runs one build, prints its outcome line (or the located errors) and trims typst's caches. A warning is printed
/// once while watching (`told` keeps what was printed), not again after every rebuild.
fn rebuild(cfg: &BuildConfig, verb: &str, told: &mut BTreeSet<String>) {
    let start = Instant::now();
    match pipeline::run(cfg) {
        Ok(s) => {
            let new: Vec<String> =
                s.warnings.blocks(&cfg.root, detail(cfg), &[]).into_iter().filter(|b| told.insert(b.clone())).collect();
            if !new.is_empty() {
                eprintln!("{}", new.join("\n"));
            }
            if cfg.verbosity != Verbosity::Quiet {
                let ms = start.elapsed().as_millis();
                // A closed standard output (a reader gone) is no reason to stop watching.
                let _ = writeln!(std::io::stdout(), "{verb} {}, unchanged {} in {ms} ms", s.written, s.unchanged);
            }
        }
        Err(f) => {
            let blocks: Vec<String> = f
                .report
                .blocks(&cfg.root, detail(cfg), &[])
                .into_iter()
                .filter(|b| b.starts_with("error") || told.insert(b.clone()))
                .collect();
            eprintln!("{}", blocks.join("\n"));
            eprintln!(
                "error: {} problem(s) found; the build failed and the last good PDFs are kept (save a fix to rebuild)",
                f.report.errors()
            );
        }
    }
    typst::comemo::evict(CACHE_AGE);
}

/// Builds once, then rebuilds on every change under data/, locales/, templates/ and fonts/ until interrupted.
pub fn run(cfg: &BuildConfig) -> Result<Output, Failure> {
    let cfg = BuildConfig { terminal: false, force: false, emit_typst: None, final_build: false, ..cfg.clone() };
    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let fail = |what: &Path, e: notify::Error| {
        Report::from(Diagnostic::error(
            Loc::file(what.display().to_string()),
            format!("cannot watch for changes ({e})"),
        ))
    };
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| Failure::from(fail(&cfg.root, e)))?;
    // Events name absolute paths; the out folder (which may sit inside a watched folder) is ignored.
    let root = absolute(&cfg.root);
    let mut watched = Vec::new();
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive).map_err(|e| Failure::from(fail(&path, e)))?;
            watched.push(format!("{dir}/"));
        }
    }
    let mut told = BTreeSet::new();
    rebuild(&cfg, "built", &mut told);
    let out = absolute(&cfg.out);
    if cfg.verbosity != Verbosity::Quiet {
        let _ = writeln!(std::io::stdout(), "watching {} for changes (Ctrl-C to stop)", watched.join(", "));
    }
    loop {
        let first = match rx.recv() {
            Ok(ev) => ev,
            Err(_) => return Err(fail(&cfg.root, notify::Error::generic("the file watcher stopped")).into()),
        };
        let mut changed = wants(&first, &out);
        loop {
            match rx.recv_timeout(DEBOUNCE) {
                Ok(ev) => changed |= wants(&ev, &out),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(fail(&cfg.root, notify::Error::generic("the file watcher stopped")).into());
                }
            }
        }
        if changed {
            rebuild(&cfg, "rebuilt", &mut told);
        }
    }
}
