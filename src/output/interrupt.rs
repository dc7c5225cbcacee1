//! SIGTERM and SIGINT: noted rather than fatal, so a build stops between documents and removes what it staged.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The flags the signal handlers set: whether a signal came, and which.
struct Flags {
    /// Set by the first SIGTERM or SIGINT; a second one then ends the process at once.
    came: Arc<AtomicBool>,
    /// The number of the last signal.
    which: Arc<AtomicUsize>,
}

/// The flags, once handlers are installed.
static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Installs the handlers (once): the first SIGTERM or SIGINT is noted for `interrupted`, a second one exits at once
/// with 128 + its number (what it staged is then swept by the next build into the folder).
pub fn install() {
    let _ = FLAGS.get_or_init(|| {
        let flags = Flags { came: Arc::new(AtomicBool::new(false)), which: Arc::new(AtomicUsize::new(0)) };
        #[cfg(unix)]
        for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
            // The order matters: the shutdown handler sees the flag as it was before this signal set it.
            let _ = signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, flags.came.clone());
            let _ = signal_hook::flag::register_usize(sig, flags.which.clone(), sig as usize);
            let _ = signal_hook::flag::register(sig, flags.came.clone());
        }
        flags
    });
}

/// The signal that asked this process to stop, if one did (a build checks between documents).
pub fn interrupted() -> Option<i32> {
    let flags = FLAGS.get()?;
    if flags.came.load(Ordering::SeqCst) { i32::try_from(flags.which.load(Ordering::SeqCst)).ok() } else { None }
}

/// The name of a signal, for messages.
pub fn signal_name(sig: i32) -> &'static str {
    match sig {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    }
}
