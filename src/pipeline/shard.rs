//! Sharding: the order a build typesets its documents in, a deterministic partition of that order into N shards
//! balanced by estimated pages, and the identity of the matrix the shards belong to.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Loc};
use crate::ids::{DocumentId, DocumentKind, LocaleTag, PackEdition};
use crate::io::sha256;
use crate::output::{Manifest, ShardInfo};
use crate::project::{JobId, Project};

/// The folders whose files a build reads: their bytes are part of a matrix's identity.
const INPUTS: [&str; 4] = ["data", "locales", "templates", "fonts"];

/// One shard of N (1-based), as `--shard I/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1..=count.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Parses `I/N` with 1 <= I <= N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: write I/N with 1 <= I <= N, e.g. 1/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count) =
            (i.trim().parse::<usize>().map_err(|_| bad())?, n.trim().parse::<usize>().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    /// `I/N`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Estimated pages (in thousandths) of each job: its pages in `known` (a manifest of an earlier build) when it is
/// there, else the size of the Typst source rendered for the first job of its locale and document, at the rate of
/// pages per byte seen in `known` (or about 3.4 KB a page without one), in whole pages. A meeting pack is estimated from its
/// documents: each one's pages (rounded up to whole pages, and to an even number in the edition for double-sided
/// printing, as every document then starts on a right-hand page), plus its covers and contents. One render per
/// locale and document.
pub fn weights(project: &Project, jobs: &[JobId], known: Option<&Manifest>) -> Vec<u64> {
    let pages: BTreeMap<&str, usize> =
        known.map(|m| m.documents.iter().map(|e| (e.path.as_str(), e.pages)).collect()).unwrap_or_default();
    let sizes: std::cell::RefCell<BTreeMap<(LocaleTag, DocumentId), u64>> = Default::default();
    let size_of = |job: &JobId| -> u64 {
        let key = (job.locale.clone(), job.document.clone());
        if let Some(size) = sizes.borrow().get(&key) {
            return *size;
        }
        let size = project.render(job, true).map_or(BYTES_PER_PAGE, |r| r.source.len() as u64).max(1);
        sizes.borrow_mut().insert(key, size);
        size
    };
    // Pages per byte from the known documents other than packs (rendering one per document), else the default rate.
    let (mut known_pages, mut known_bytes) = (0u64, 0u64);
    let mut seen = std::collections::BTreeSet::new();
    for job in jobs.iter().filter(|j| !project.is_pack(j)) {
        if let Some(p) = pages.get(job.rel_path().as_str())
            && seen.insert((job.locale.clone(), job.document.clone()))
        {
            known_pages += *p as u64;
            known_bytes += size_of(job);
        }
    }
    // A document has whole pages, at least one.
    let document = |job: &JobId| -> u64 {
        let estimate = match pages.get(job.rel_path().as_str()) {
            Some(p) => *p as u64,
            None if known_bytes > 0 => (known_pages * size_of(job)) / known_bytes,
            None => size_of(job) / BYTES_PER_PAGE,
        };
        1000 * estimate.max(1)
    };
    jobs.iter()
        .map(|job| match pages.get(job.rel_path().as_str()) {
            Some(p) => 1000 * (*p as u64).max(1),
            None if project.is_pack(job) => pack_weight(project, job, &document),
            None => document(job),
        })
        .collect()
}

/// Pages a meeting pack adds to its documents: covers, contents and the state annex divider (each on a sheet of its
/// own in the print edition).
const PACK_FRONT: [u64; 2] = [2, 4];

/// Estimated pages (in thousandths) of a meeting pack, from the estimates of its documents.
fn pack_weight(project: &Project, job: &JobId, document: &dyn Fn(&JobId) -> u64) -> u64 {
    let Some(audience) = project.model.audiences.iter().find(|a| a.id == job.audience) else { return 1000 };
    let duplex =
        project.model.document(&job.document).is_some_and(|d| d.kind == DocumentKind::Pack(PackEdition::Print));
    let mut pages = PACK_FRONT[usize::from(duplex)];
    for id in project.model.pack_contents(audience) {
        let part = JobId { document: id, ..job.clone() };
        let own = document(&part).div_ceil(1000).max(1);
        pages += if duplex { own + own % 2 } else { own };
    }
    1000 * pages
}

/// Typst source bytes per page when no earlier build says better, counted in whole pages, at least one (calibrated on
/// the shipped documents: about 4,500 bytes a page across the 197 documents; a 4.5 KB state sheet is one page, a
/// 29 KB fast-facts document seven). A template that writes much more or less markup per page makes the estimate
/// drift: `--weights` balances by real pages.
const BYTES_PER_PAGE: u64 = 4_200;

/// Which shard (0-based) each job goes to: the jobs in order, cut into `count` runs of about equal weight. A job
/// goes to the shard its weight's midpoint falls in, so each shard is one run of consecutive jobs and shards differ
/// by at most about one job's weight.
pub fn partition(weights: &[u64], count: usize) -> Vec<usize> {
    let total: u128 = weights.iter().map(|w| u128::from(*w)).sum::<u128>().max(1);
    let count = count.max(1);
    let mut before: u128 = 0;
    weights
        .iter()
        .map(|w| {
            let mid = 2 * before + u128::from(*w);
            before += u128::from(*w);
            let shard = mid * count as u128 / (2 * total);
            (shard as usize).min(count - 1)
        })
        .collect()
}

/// A digest of every file under data/, locales/, templates/ and fonts/ (paths and bytes).
fn inputs_digest(root: &Path) -> Result<String, Diagnostic> {
    let mut files = Vec::new();
    for dir in INPUTS {
        collect(root, &root.join(dir), &mut files)?;
    }
    files.sort();
    let mut buf = Vec::new();
    for rel in files {
        let bytes = std::fs::read(root.join(&rel)).map_err(|e| {
            Diagnostic::error(Loc::file(&rel), format!("failed to read file ({})", crate::io::io_reason(&e)))
        })?;
        buf.extend_from_slice(rel.as_bytes());
        buf.push(0);
        buf.extend_from_slice(sha256(&bytes).as_bytes());
    }
    Ok(sha256(&buf))
}

/// Adds the paths (relative to `root`, with `/`) of the files under `dir` to `out`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
        }
    }
    Ok(())
}

/// The identity of a build matrix: the binary, `--final`, the digest of the input files and the selected documents
/// in order.
fn matrix_hash(binary: &str, final_build: bool, inputs: &str, jobs: &[JobId]) -> String {
    let mut matrix = Vec::new();
    matrix.extend_from_slice(binary.as_bytes());
    matrix.push(0);
    matrix.push(u8::from(final_build));
    matrix.extend_from_slice(inputs.as_bytes());
    for job in jobs {
        matrix.extend_from_slice(job.rel_path().as_bytes());
        matrix.push(0);
    }
    sha256(&matrix)
}

/// The shard `shard` of the matrix `jobs` (in typesetting order) with `weights`: which jobs it holds, and what its
/// manifest says about it.
pub fn select(
    root: &Path,
    jobs: &[JobId],
    weights: &[u64],
    shard: Shard,
    final_build: bool,
) -> Result<(Vec<JobId>, ShardInfo), Diagnostic> {
    let owner = partition(weights, shard.count);
    let matrix = matrix_hash(crate::binary::IDENTITY, final_build, &inputs_digest(root)?, jobs);
    let plan: Vec<u8> = owner.iter().flat_map(|s| (*s as u32).to_le_bytes()).collect();
    let mine: Vec<JobId> =
        jobs.iter().zip(&owner).filter(|(_, s)| **s + 1 == shard.index).map(|(j, _)| j.clone()).collect();
    let info = ShardInfo {
        index: shard.index,
        count: shard.count,
        matrix,
        plan: sha256(&plan),
        matrix_documents: jobs.len(),
        binary: crate::binary::IDENTITY.to_string(),
    };
    Ok((mine, info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_as_i_of_n() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "4", "a/b", "1/0"] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(e.contains(&format!("`{bad}` is not a shard")), "{e}");
        }
    }

    #[test]
    fn another_binary_makes_another_matrix() {
        let jobs = [JobId { locale: "en-US".into(), audience: "general".into(), document: "fast-facts".into() }];
        let a = matrix_hash("0123456789abcdef", false, "inputs", &jobs);
        assert_eq!(a, matrix_hash("0123456789abcdef", false, "inputs", &jobs));
        assert_ne!(a, matrix_hash("fedcba9876543210", false, "inputs", &jobs));
        assert_ne!(a, matrix_hash("0123456789abcdef", true, "inputs", &jobs));
    }

    #[test]
    fn partition_is_contiguous_complete_and_balanced_by_weight() {
        // Ten documents, two of them four times as long: the long ones do not all land in one shard.
        let weights = [4000, 1000, 1000, 1000, 4000, 1000, 1000, 1000, 1000, 1000];
        let owner = partition(&weights, 4);
        assert_eq!(owner, partition(&weights, 4), "deterministic");
        assert!(owner.windows(2).all(|w| w[0] <= w[1]), "each shard is one run of consecutive jobs: {owner:?}");
        let mut load = [0u64; 4];
        for (w, s) in weights.iter().zip(&owner) {
            load[*s] += w;
        }
        let (lo, hi) = (load.iter().min().unwrap(), load.iter().max().unwrap());
        assert!(hi - lo <= 4000, "balanced to within one document: {load:?}");
        assert!(load.iter().all(|l| *l > 0), "no empty shard: {load:?}");
        // More shards than documents: every document still has exactly one shard, in range.
        assert!(partition(&[1000, 1000], 5).iter().all(|s| *s < 5));
    }
}
