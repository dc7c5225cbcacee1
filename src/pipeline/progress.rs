//! How a build shows its progress.

use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};

use crate::outcome::Verbosity;
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
    /// The display for this verbosity, on a terminal or a log, over `total` jobs.
    pub fn new(verbosity: Verbosity, terminal: bool, total: usize) -> Progress {
        match (verbosity, terminal) {
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
                let mut state = crate::sync::lock(state);
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
