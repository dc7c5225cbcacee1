//! The per-document pool: the threads documents are rendered and typeset on, one document per thread at a time.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::output::interrupt;
use crate::project::JobId;

/// Stack size of the threads that render and typeset documents (as big as rayon's workers, `cli::STACK_SIZE`).
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
            if let Some(slot) = crate::sync::lock(&slots).get_mut(i) {
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
    crate::sync::into_inner(slots)
}
