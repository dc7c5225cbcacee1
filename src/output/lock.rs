//! The lock an out folder is written under: one build or merge at a time, and what a killed one left is swept.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Loc};

/// The lock file a build or merge holds in its out folder while it writes there; it names the process.
pub const LOCK_FILE: &str = ".briefs-lock";

/// How the names of staged temp files (and of the lock file) begin.
pub const TEMP_PREFIX: &str = ".briefs-";

/// An out folder held by this process: the lock file, locked; removed (with the folders made for it) on drop.
pub struct OutLock {
    /// The lock file.
    path: PathBuf,
    /// The open, locked lock file; the lock goes with it when the process ends, even by SIGKILL.
    _file: File,
    /// Folders created to hold the lock file, outermost first.
    created: Vec<PathBuf>,
    /// Temp files left by interrupted builds and removed when the lock was taken.
    pub swept: usize,
}

/// Who holds a lock: the text the holder wrote (`pid N on HOST`), or a placeholder.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.rewind().and_then(|()| file.read_to_string(&mut text));
    let text = text.trim();
    if text.is_empty() { "another process".to_string() } else { text.to_string() }
}

/// Whether the lock file at `path` is still the file `file` has open (a holder that finished removes it).
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// This process as the lock file names it.
fn this_process() -> String {
    format!("pid {} on {}", std::process::id(), gethostname::gethostname().to_string_lossy())
}

impl OutLock {
    /// Takes the lock of `dir` (creating the folder), or says which process holds it. Once held, no other build
    /// is writing into `dir`, so every temp file a build stages there (`.briefs-*`) is left over from one that was
    /// killed: they are removed.
    pub fn acquire(dir: &Path) -> Result<OutLock, Diagnostic> {
        let loc = Loc::file(dir.display().to_string());
        super::check_folder(dir)?;
        let fail = |what: String, e: &std::io::Error| {
            Diagnostic::error(loc.clone(), format!("{what} ({})", crate::io::io_reason(e)))
        };
        let mut created: Vec<PathBuf> =
            dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
        created.reverse();
        for d in &created {
            std::fs::create_dir(d).map_err(|e| fail(format!("failed to create folder {}", d.display()), &e))?;
        }
        let path = dir.join(LOCK_FILE);
        // A holder that finishes removes its lock file; should that happen between our open and our lock, the file
        // we locked is no longer the lock file: try again.
        for _ in 0..10 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| fail(format!("failed to open the lock file {}", path.display()), &e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let who = holder(&mut file);
                    return Err(Diagnostic::error(
                        loc.clone(),
                        format!("another briefs build ({who}) is writing into {}", dir.display()),
                    )
                    .with_hint("wait until it has finished, or build into another folder with --out DIR"));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(fail(format!("failed to lock {}", path.display()), &e));
                }
            }
            if !same_file(&file, &path) {
                continue;
            }
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| writeln!(file, "{}", this_process()))
                .map_err(|e| fail(format!("failed to write the lock file {}", path.display()), &e))?;
            let swept = sweep(dir);
            return Ok(OutLock { path, _file: file, created, swept });
        }
        Err(Diagnostic::error(loc, format!("could not lock {}: other builds keep taking it", dir.display()))
            .with_hint("wait until they have finished, or build into another folder with --out DIR"))
    }
}

impl Drop for OutLock {
    /// Removes the lock file (still locked, so no one takes a file about to go), then folders made for it if empty.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        for d in self.created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// Removes every staged temp file (`.briefs-*`, not the lock) under `dir`, except in folders that are another
/// build's out folder (they hold their own lock file); returns how many.
fn sweep(dir: &Path) -> usize {
    let mut removed = 0;
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = e.file_type() else { continue };
        if kind.is_dir() {
            if !e.path().join(LOCK_FILE).exists() {
                let n = sweep(&e.path());
                // A folder a killed build made for its files goes too, once they are gone.
                if n > 0 {
                    let _ = std::fs::remove_dir(e.path());
                }
                removed += n;
            }
        } else if name.starts_with(TEMP_PREFIX) && name != LOCK_FILE && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}
