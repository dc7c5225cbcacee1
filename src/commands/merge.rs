//! `briefs merge`: gathers the out folders of `build --shard I/N` into one out folder with one manifest, the same
//! as one build of the whole matrix writes. Shards of different matrices, a missing shard and a document written
//! twice are refused, by name; like a build, nothing changes unless everything can be written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Failure, Output};
use crate::diag::{Diagnostic, Loc, Report};
use crate::io::sha256;
use crate::output::{Batch, Entry, Manifest, OutLock, ShardInfo, interrupt};

/// One shard's folder and what its manifest says.
struct Part {
    /// The folder.
    dir: PathBuf,
    /// Its manifest.
    manifest: Manifest,
    /// Which shard of which matrix it holds.
    shard: ShardInfo,
}

/// What a merge did.
#[derive(Default)]
struct Merged {
    /// Documents copied into the out folder.
    written: usize,
    /// Documents already there, byte for byte.
    unchanged: usize,
    /// Pages of the shards' documents.
    pages: usize,
}

/// How many documents a message names before it says "and N more".
const NAMED: usize = 3;

/// A short form of a hash for messages.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A problem with one of the given folders.
fn problem(dir: &Path, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(Loc::file(dir.display().to_string()), message).with_hint(hint.to_string())
}

/// Reads every shard's manifest; a folder without one, or with a manifest not of a shard, is a problem.
fn read_parts(dirs: &[PathBuf], report: &mut Report) -> Vec<Part> {
    let mut parts = Vec::new();
    for dir in dirs {
        let path = dir.join("manifest.json");
        if !path.is_file() {
            report.push(problem(
                dir,
                format!("{} holds no manifest.json", dir.display()),
                "give the out folders of `briefs build --shard I/N` once they have finished",
            ));
            continue;
        }
        match Manifest::read_file(&path) {
            Err(d) => report.push(d),
            Ok(manifest) => match manifest.shard.clone() {
                Some(shard) => parts.push(Part { dir: dir.clone(), manifest, shard }),
                None => report.push(problem(
                    dir,
                    format!("{} is not a shard: its manifest was written by a build without --shard", dir.display()),
                    "give the out folders of `briefs build --shard I/N`",
                )),
            },
        }
    }
    parts
}

/// Checks that the parts are every shard of one matrix, each once, and that no document is in two of them.
fn check_parts(parts: &[Part], report: &mut Report) {
    let Some(first) = parts.first() else { return };
    if parts.iter().any(|p| p.shard.binary != first.shard.binary) {
        let named: Vec<String> = parts
            .iter()
            .map(|p| {
                let binary = if p.shard.binary.is_empty() { "an older briefs" } else { p.shard.binary.as_str() };
                format!("{} was built by {binary}", p.dir.display())
            })
            .collect();
        report.push(
            Diagnostic::plain(format!("the shards were built by different briefs binaries: {}", named.join("; ")))
                .with_hint(format!(
                    "build every shard with the same briefs (this one is {}: `briefs --version`), e.g. from one commit with `cargo install --locked`",
                    crate::binary::IDENTITY
                )),
        );
        return;
    }
    let same = |p: &Part| {
        (p.shard.matrix.as_str(), p.shard.count, p.shard.plan.as_str())
            == (first.shard.matrix.as_str(), first.shard.count, first.shard.plan.as_str())
    };
    if !parts.iter().all(same) {
        let named: Vec<String> = parts
            .iter()
            .map(|p| {
                format!(
                    "{} is shard {}/{} of matrix {}",
                    p.dir.display(),
                    p.shard.index,
                    p.shard.count,
                    short(&p.shard.matrix)
                )
            })
            .collect();
        let what = if parts.iter().all(|p| p.shard.matrix == first.shard.matrix) {
            "the shards cut one matrix in different ways"
        } else {
            "the shards are of different builds"
        };
        report.push(Diagnostic::plain(format!("{what}: {}", named.join("; "))).with_hint(
            "build every shard from the same inputs (commit), selection, --final, shard count and --weights",
        ));
        return;
    }
    let count = first.shard.count;
    let mut by_index: BTreeMap<usize, Vec<&Path>> = BTreeMap::new();
    for p in parts {
        by_index.entry(p.shard.index).or_default().push(&p.dir);
    }
    for (index, dirs) in by_index.iter().filter(|(_, d)| d.len() > 1) {
        let dirs: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        report.push(
            Diagnostic::plain(format!("shard {index}/{count} is given more than once: {}", dirs.join(", ")))
                .with_hint("give each shard's folder once"),
        );
    }
    let missing: Vec<String> =
        (1..=count).filter(|i| !by_index.contains_key(i)).map(|i| format!("{i}/{count}")).collect();
    if !missing.is_empty() {
        let given: Vec<String> = by_index.keys().map(|i| format!("{i}/{count}")).collect();
        report.push(
            Diagnostic::plain(format!("shard {} missing (given: {})", missing.join(", "), given.join(", ")))
                .with_hint("every shard of the matrix is needed: add the missing shards' folders"),
        );
    }
    if by_index.values().any(|d| d.len() > 1) {
        return;
    }
    let mut owner: BTreeMap<&str, &Part> = BTreeMap::new();
    let mut twice = Vec::new();
    let mut total = 0;
    for p in parts {
        total += p.manifest.documents.len();
        for e in &p.manifest.documents {
            if let Some(other) = owner.insert(e.path.as_str(), p) {
                twice.push(format!(
                    "{} (shard {}/{count} in {} and shard {}/{count} in {})",
                    e.path,
                    other.shard.index,
                    other.dir.display(),
                    p.shard.index,
                    p.dir.display()
                ));
            }
        }
    }
    if !twice.is_empty() {
        let more = if twice.len() > NAMED { format!(" and {} more", twice.len() - NAMED) } else { String::new() };
        twice.truncate(NAMED);
        report.push(
            Diagnostic::plain(format!("document(s) written twice: {}{more}", twice.join("; ")))
                .with_hint("a shard's manifest lists only its own documents; build the shards again"),
        );
    }
    if missing.is_empty() && total != first.shard.matrix_documents && !report.has_errors() {
        report.push(
            Diagnostic::plain(format!(
                "the shards hold {total} document(s) but their matrix has {}",
                first.shard.matrix_documents
            ))
            .with_hint("a shard's manifest was edited or its build was cut short; rebuild the shards"),
        );
    }
}

/// Stages a shard's document into the out folder unless the same file is there; checks it against its manifest.
fn stage(part: &Part, e: &Entry, out: &Path, batch: &mut Batch) -> Result<bool, Diagnostic> {
    let from = part.dir.join(&e.path);
    let bytes = std::fs::read(&from).map_err(|err| {
        problem(
            &from,
            format!("cannot read {} ({})", from.display(), crate::io::io_reason(&err)),
            "the shard's folder is incomplete: copy it again, or build the shard again",
        )
    })?;
    let digest = sha256(&bytes);
    if digest != e.sha256 || bytes.len() != e.bytes {
        return Err(problem(
            &from,
            format!("{} is not the file its shard's manifest lists (size or SHA-256 differs)", from.display()),
            "the folder changed after its build: copy it again, or build the shard again",
        ));
    }
    let to = out.join(&e.path);
    if std::fs::read(&to).is_ok_and(|b| b.len() == bytes.len() && sha256(&b) == digest) {
        return Ok(false);
    }
    batch.stage(&to, &bytes)?;
    Ok(true)
}

/// Merges the shards in `dirs` into `out`.
pub fn run(dirs: &[PathBuf], out: &Path) -> Result<Output, Failure> {
    let failed = |report: Report| Failure {
        report,
        after: Some(format!("merge failed; {} is unchanged", out.display())),
        ..Failure::default()
    };
    let mut report = Report::default();
    let parts = read_parts(dirs, &mut report);
    check_parts(&parts, &mut report);
    if report.has_errors() {
        return Err(failed(report));
    }
    crate::output::check_folder(out).map_err(|d| failed(d.into()))?;
    let lock = OutLock::acquire(out).map_err(|d| failed(d.into()))?;
    let mut entries: BTreeMap<String, Entry> = Manifest::read(out)
        .unwrap_or_default()
        .documents
        .into_iter()
        .filter(|e| out.join(&e.path).is_file())
        .map(|e| (e.path.clone(), e))
        .collect();
    let mut batch = Batch::new();
    let mut merged = Merged::default();
    let mut edition = String::new();
    for part in &parts {
        edition.clone_from(&part.manifest.edition);
        for e in &part.manifest.documents {
            if let Some(sig) = interrupt::interrupted() {
                return Err(Failure::interrupted(sig, batch.len(), out));
            }
            match stage(part, e, out, &mut batch) {
                Ok(true) => merged.written += 1,
                Ok(false) => merged.unchanged += 1,
                Err(d) => report.push(d),
            }
            merged.pages += e.pages;
            entries.insert(e.path.clone(), e.clone());
        }
    }
    if report.has_errors() {
        return Err(failed(report));
    }
    let manifest = Manifest { edition, documents: entries.into_values().collect(), shard: None };
    crate::pipeline::write_manifest(&manifest, out, batch, Batch::new(), failed)?;
    let mut summary = vec![format!(
        "merged {} shard(s): {} document(s), {} written, {} unchanged; {} pages -> {}",
        parts.len(),
        merged.written + merged.unchanged,
        merged.written,
        merged.unchanged,
        merged.pages,
        out.join("manifest.json").display()
    )];
    if lock.swept > 0 {
        summary.push(format!("removed {} temp file(s) an interrupted run had left in {}", lock.swept, out.display()));
    }
    drop(lock);
    Ok(Output { summary, ..Output::default() })
}
