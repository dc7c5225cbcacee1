//! How a build shows its progress, and the threads it typesets documents on.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

use super::BuildConfig;
use crate::commands::Verbosity;
use crate::output::interrupt;
use crate::project::JobId;

/// Progress display: a bar on a terminal; with `-v` elsewhere, a line per document in typesetting order.
pub enum Progress {
    /// An indicatif bar.
    Bar(ProgressBar),
    /// Lines printed in job order: the lines of finished jobs not yet printed, and how many have been printed.
    Lines(Mutex<(Vec<Option<String>>, usize)>),
    /// Nothing.
    Silent,
}

impl Progress {
    /// The display the configuration asks for, over `total` jobs.
    pub fn new(cfg: &BuildConfig, total: usize) -> Progress {
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
            (Verbosity::Verbose, false) => Progress::Lines(Mutex::new((vec![None; total], 0))),
            (Verbosity::Normal, false) => Progress::Silent,
        }
    }

    /// Records job `i` finished (`pages` is None when it was unchanged).
    pub fn done(&self, i: usize, job: &JobId, pages: Option<usize>) {
        let line = match pages {
            Some(p) => format!("typeset {} ({p} pages)", job.rel_path()),
            None => format!("unchanged {}", job.rel_path()),
        };
        self.record(i, job, line);
    }

    /// Records job `i` failed.
    pub fn failed(&self, i: usize, job: &JobId) {
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
                // Printed lines are dropped: the buffer holds only lines waiting for an earlier job.
                while let Some(line) = lines.get_mut(*printed).and_then(Option::take) {
                    *printed += 1;
                    eprintln!("[{printed}/{total}] {line}");
                }
            }
            Progress::Silent => {}
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Progress::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}

/// Stack size of the threads that render and typeset documents (as big as rayon's workers, see cli.rs).
/// Documents do not run as rayon jobs: while Typst waits on its own parallel work, a rayon worker runs other
/// queued jobs on the same stack, so documents queued there pile up on one stack (the shipped project's
/// 180 documents overflowed it).
const DOCUMENT_STACK: usize = 64 << 20;

/// Runs `f` on every job, on dedicated threads (as many as rayon's pool has, so `--jobs` holds), and returns
/// the results in job order (`None` for a job not started because SIGTERM or SIGINT came first). Typst's own
/// parallel work still runs on rayon's pool, but no document is ever started on top of another one's stack.
pub fn per_document<T: Send>(jobs: &[JobId], f: impl Fn(usize, &JobId) -> T + Sync) -> Vec<Option<T>> {
    let next = AtomicUsize::new(0);
    let slots: Mutex<Vec<Option<T>>> = Mutex::new(jobs.iter().map(|_| None).collect());
    let work = || {
        while interrupt::interrupted().is_none() {
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
    slots.into_inner().unwrap_or_else(|e| e.into_inner())
}
