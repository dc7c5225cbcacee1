//! Output: atomic writes (temp file, then rename), the build manifest, the out folder's lock and interrupts.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Loc};
use crate::ids::{AudienceId, DocumentId, LocaleTag};

pub mod interrupt;
pub mod lock;

pub use lock::{OutLock, TEMP_PREFIX};

/// One written document, as recorded in `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Path relative to the out folder.
    pub path: String,
    /// Document id.
    pub document: DocumentId,
    /// Audience id.
    pub audience: AudienceId,
    /// Locale tag.
    pub locale: LocaleTag,
    /// Number of pages.
    pub pages: usize,
    /// Size in bytes.
    pub bytes: usize,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Hash of every input the document was made from.
    #[serde(default)]
    pub inputs: String,
    /// Ids of the facts the document shows.
    #[serde(default)]
    pub facts: Vec<String>,
    /// Ids of the provisional facts it shows (a draft: `--final` refuses them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisional: Vec<String>,
}

/// Which shard of which build matrix an out folder holds (`build --shard I/N`); `merge` checks it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ShardInfo {
    /// Which shard, from 1.
    pub index: usize,
    /// How many shards the matrix is cut into.
    pub count: usize,
    /// The matrix: a hash of the binary, the input files (data, locales, templates, fonts), `--final` and the
    /// selected documents.
    pub matrix: String,
    /// The partition: a hash of which shard each document of the matrix goes to.
    pub plan: String,
    /// Documents in the whole matrix.
    pub matrix_documents: usize,
    /// The identity of the `briefs` binary that built the shard (`briefs --version`); empty in older manifests.
    #[serde(default)]
    pub binary: String,
}

/// The manifest written last by every build.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    /// Edition id.
    pub edition: String,
    /// Every document in the out folder.
    pub documents: Vec<Entry>,
    /// Set when the folder holds one shard of a matrix (`build --shard`), for `merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

impl Manifest {
    /// Reads `OUT/manifest.json` if present and valid.
    pub fn read(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Reads a manifest file, or says why it cannot be read (with the line and column of bad JSON).
    pub fn read_file(path: &Path) -> Result<Manifest, Diagnostic> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(Loc::file(path), format!("failed to read {} ({})", path.display(), reason(&e)))
                .with_hint("give the manifest.json of a finished build")
        })?;
        serde_json::from_str(&text).map_err(|e| {
            Diagnostic::error(
                Loc::new(path, e.line() as u64, e.column() as u64),
                format!("{} is not a briefs manifest ({e})", path.display()),
            )
            .with_hint("give the manifest.json of a finished build")
        })
    }

    /// Stages the manifest as `OUT/manifest.json` in `batch`: how `build` and `merge` both write it.
    pub fn stage(&self, out: &Path, batch: &mut Batch) -> Result<(), Diagnostic> {
        let json = serde_json::to_string_pretty(self).unwrap_or_default();
        batch.stage(&out.join("manifest.json"), json.as_bytes())
    }
}

/// Gives a staged file the usual permissions of an output (temp files start owner-only).
fn readable(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Writes a file atomically: a temp file in the same folder, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| format!("failed to create folder {} ({})", dir.display(), reason(&e)))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("failed to create a file in {} ({})", dir.display(), reason(&e)))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .and_then(|()| readable(tmp.as_file()))
        .map_err(|e| format!("failed to write {} ({})", path.display(), reason(&e)))?;
    tmp.persist(path).map_err(|e| format!("failed to write {} ({})", path.display(), reason(&e.error)))?;
    Ok(())
}

/// The first existing ancestor of a folder that is not a folder (a file where a folder is needed), if any.
fn blocking_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().filter(|a| !a.as_os_str().is_empty()).find(|a| a.exists() && !a.is_dir()).map(Path::to_path_buf)
}

/// Checks that files can be put under `dir`: no file stands where it or one of its parents should be a folder.
pub fn check_folder(dir: &Path) -> Result<(), Diagnostic> {
    match blocking_file(dir) {
        Some(file) => Err(Diagnostic::error(
            Loc::file(dir.display().to_string()),
            format!("cannot write into {}: {} is a file, not a folder", dir.display(), file.display()),
        )
        .with_hint("pass a folder path (--out DIR, --emit-typst DIR), or move the file out of the way")),
        None => Ok(()),
    }
}

/// Files written together, all or nothing: each is first written in full to a temp file beside its target;
/// only when every one is staged are they renamed into place. Dropping a batch before `commit` deletes its
/// temp files and the folders it created, leaving the out folder as it was. A staged file is closed once written
/// (only its path is kept), so a batch of thousands of files holds no file descriptors.
#[derive(Default)]
pub struct Batch {
    /// Targets and their staged temp files, in staging order.
    staged: Vec<(PathBuf, tempfile::TempPath)>,
    /// Folders this batch created, outermost first.
    created: Vec<PathBuf>,
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Writes `bytes` to a temp file beside `path` (creating folders as needed); nothing is replaced yet.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        let loc = Loc::file(path.display().to_string());
        let fail = |what: String, e: &std::io::Error| Diagnostic::error(loc.clone(), format!("{what} ({})", reason(e)));
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
        check_folder(&dir).map_err(|d| Diagnostic { loc: loc.clone(), ..d })?;
        if path.is_dir() {
            return Err(Diagnostic::error(
                loc.clone(),
                format!("cannot write {}: a folder has that name", path.display()),
            )
            .with_hint("move the folder out of the way"));
        }
        let mut missing: Vec<PathBuf> =
            dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
        missing.reverse();
        for d in missing {
            std::fs::create_dir(&d).map_err(|e| fail(format!("failed to create folder {}", d.display()), &e))?;
            self.created.push(d);
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(&dir)
            .map_err(|e| fail(format!("failed to create a file in {}", dir.display()), &e))?;
        std::io::Write::write_all(&mut tmp, bytes)
            .and_then(|()| readable(tmp.as_file()))
            .map_err(|e| fail(format!("failed to write {}", path.display()), &e))?;
        self.staged.push((path.to_path_buf(), tmp.into_temp_path()));
        Ok(())
    }

    /// How many files are staged.
    pub fn len(&self) -> usize {
        self.staged.len()
    }

    /// Whether no file is staged.
    pub fn is_empty(&self) -> bool {
        self.staged.is_empty()
    }

    /// Renames every staged file into place, in staging order.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        let staged = std::mem::take(&mut self.staged);
        let total = staged.len();
        for (i, (path, tmp)) in staged.into_iter().enumerate() {
            tmp.persist(&path).map_err(|e| {
                Diagnostic::error(
                    Loc::file(path.display().to_string()),
                    format!("failed to write {} ({})", path.display(), reason(&e.error)),
                )
                .with_hint(format!("{i} of {total} files had already been replaced; run the build again"))
            })?;
        }
        self.created.clear();
        Ok(())
    }
}

impl Drop for Batch {
    /// Deletes the temp files not committed and the folders the batch created, innermost first.
    fn drop(&mut self) {
        self.staged.clear();
        for d in self.created.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
}

/// A short lowercase reason for an I/O error.
fn reason(e: &std::io::Error) -> String {
    crate::io::io_reason(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file under a folder, relative, with its bytes.
    fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files(&p));
            } else {
                out.push((p.strip_prefix(dir).unwrap_or(&p).to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn staged_files_replace_their_targets_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("a.pdf");
        std::fs::write(&old, b"old").unwrap();
        let mut batch = Batch::new();
        batch.stage(&old, b"new").unwrap();
        batch.stage(&dir.path().join("en-US/general/b.pdf"), b"b").unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), b"old", "nothing is replaced before the commit");
        assert!(!dir.path().join("en-US/general/b.pdf").exists());
        batch.commit().unwrap();
        assert_eq!(std::fs::read(&old).unwrap(), b"new");
        assert_eq!(std::fs::read(dir.path().join("en-US/general/b.pdf")).unwrap(), b"b");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(!names.iter().any(|n| n.starts_with(".briefs-")), "temp files left: {names:?}");
    }

    #[test]
    fn a_batch_dropped_before_its_commit_leaves_the_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("manifest.json"), b"{}").unwrap();
        let before = files(dir.path());
        {
            let mut batch = Batch::new();
            batch.stage(&dir.path().join("manifest.json"), b"{\"new\": 1}").unwrap();
            batch.stage(&dir.path().join("fr-CA/general/note.pdf"), b"%PDF").unwrap();
        }
        assert_eq!(files(dir.path()), before, "temp files or created folders were left");
        assert!(!dir.path().join("fr-CA").exists());
    }

    #[test]
    fn a_file_where_a_folder_belongs_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("out"), b"a file").unwrap();
        let e = check_folder(&dir.path().join("out/en-US")).unwrap_err();
        assert!(e.message.ends_with("out is a file, not a folder"), "{}", e.message);
        let e = Batch::new().stage(&dir.path().join("out/en-US/a.pdf"), b"x").unwrap_err();
        assert!(e.message.contains("is a file, not a folder"), "{}", e.message);
    }

    #[test]
    fn the_manifest_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry {
            path: "en-US/general/note.pdf".into(),
            document: "note".into(),
            audience: "general".into(),
            locale: "en-US".into(),
            pages: 2,
            bytes: 10,
            sha256: "ab".into(),
            inputs: "cd".into(),
            facts: vec!["freight".into()],
            provisional: Vec::new(),
        };
        let m = Manifest { edition: "2026-04".into(), documents: vec![entry.clone()], shard: None };
        write_atomic(&dir.path().join("manifest.json"), serde_json::to_string(&m).unwrap().as_bytes()).unwrap();
        let read = Manifest::read(dir.path()).unwrap();
        assert_eq!((read.edition.as_str(), read.documents), ("2026-04", vec![entry]));
        std::fs::write(dir.path().join("manifest.json"), b"not json").unwrap();
        assert!(Manifest::read(dir.path()).is_none(), "a broken manifest is ignored (every document is rebuilt)");
    }
}
