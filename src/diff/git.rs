//! Reading an old edition from git: `git archive REV | tar -x` into a temporary folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::diag::{Diagnostic, Loc, Report};

/// Exports the tree of `root`'s git repository at `rev` into `dest` (`git archive <rev> | tar -x`).
pub(super) fn export_revision(root: &Path, rev: &str, dest: &Path) -> Result<(), Diagnostic> {
    let fail = |msg: String| Diagnostic::error(Loc::file(root.display().to_string()), msg);
    if rev.starts_with('-') || rev.trim().is_empty() {
        return Err(fail(format!("`{rev}` is neither a folder nor a git revision"))
            .with_hint("pass an old project folder or a revision such as HEAD~1 or a tag"));
    }
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(root).args(args).output();
    let verify = git(&["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            fail(format!("`{rev}` is not a folder, and git (needed to read a revision) is not installed"))
                .with_hint("install git, or pass the old edition as a folder")
        } else {
            fail(format!("failed to run git ({e})"))
        }
    })?;
    if !verify.status.success() {
        let inside = git(&["rev-parse", "--is-inside-work-tree"]).is_ok_and(|o| o.status.success());
        return Err(if inside {
            fail(format!("`{rev}` is not a folder nor a revision of this project's git repository"))
                .with_hint("check the folder name, or use a revision `git log` shows (HEAD~1, a tag, a commit id)")
        } else {
            fail(format!("`{rev}` is not a folder, and the project is not in a git repository"))
                .with_hint("pass the old edition as a folder, or run inside a git checkout")
        });
    }
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["archive", "--format=tar", rev])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("failed to run git archive ({e})")))?;
    let Some(stdout) = archive.stdout.take() else {
        return Err(fail("failed to read git archive's output".into()));
    };
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dest)
        .stdin(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| fail(format!("failed to run tar to unpack revision `{rev}` ({e})")))?;
    let archived = archive.wait_with_output().map_err(|e| fail(format!("git archive failed ({e})")))?;
    if !archived.status.success() {
        let msg = String::from_utf8_lossy(&archived.stderr).trim().to_string();
        return Err(fail(format!("git archive of `{rev}` failed ({msg})")));
    }
    if !tar.status.success() {
        let msg = String::from_utf8_lossy(&tar.stderr).trim().to_string();
        return Err(fail(format!("unpacking revision `{rev}` failed ({msg})")));
    }
    Ok(())
}

/// Points an old edition's diagnostics at the place they are read from: its folder, or `REV:path`.
pub(super) fn relabel(report: Report, label: &dyn Fn(&Path) -> PathBuf) -> Report {
    Report {
        items: report
            .items
            .into_iter()
            .map(|mut d| {
                let file = if d.loc.file.as_os_str().is_empty() { PathBuf::new() } else { label(&d.loc.file) };
                d.loc.file = file;
                d.message = format!("old edition: {}", d.message);
                d
            })
            .collect(),
    }
}
