//! Sharding: the order a build typesets its documents in, a deterministic partition of that order into N shards
//! balanced by estimated pages, and the identity of the matrix the shards belong to.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{Diagnostic, Loc};
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

/// The jobs in the order a build typesets them: grouped by locale and document (the order of first appearance),
/// matrix order within a group. The audiences of one group share one Typst main file, so consecutive documents
/// reuse each other's layout, and Typst's cache can drop what the group no longer uses once it is over.
pub fn typesetting_order(jobs: Vec<JobId>) -> Vec<JobId> {
    let mut groups: Vec<((String, String), Vec<JobId>)> = Vec::new();
    for job in jobs {
        let key = (job.locale.clone(), job.document.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(job),
            None => groups.push((key, vec![job])),
        }
    }
    groups.into_iter().flat_map(|(_, g)| g).collect()
}

/// Estimated pages (in thousandths) of each job: its pages in `known` (a manifest of an earlier build) when it is
/// there, else the size of the Typst source rendered for the first job of its locale and document, at the rate of
/// pages per byte seen in `known` (or about 6 KB a page without one). One render per locale and document.
pub fn weights(project: &Project, jobs: &[JobId], known: Option<&Manifest>) -> Vec<u64> {
    let pages: BTreeMap<&str, usize> =
        known.map(|m| m.documents.iter().map(|e| (e.path.as_str(), e.pages)).collect()).unwrap_or_default();
    let mut sizes: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut size_of = |job: &JobId| -> u64 {
        let key = (job.locale.clone(), job.document.clone());
        *sizes
            .entry(key)
            .or_insert_with(|| project.render(job, true).map_or(BYTES_PER_PAGE, |r| r.source.len() as u64).max(1))
    };
    // Pages per byte from the known documents (rendering one per document), else the default rate.
    let (mut known_pages, mut known_bytes) = (0u64, 0u64);
    let mut seen = std::collections::BTreeSet::new();
    for job in jobs {
        if let Some(p) = pages.get(job.rel_path().as_str()) {
            let key = (job.locale.clone(), job.document.clone());
            if seen.insert(key) {
                known_pages += *p as u64;
                known_bytes += size_of(job);
            }
        }
    }
    jobs.iter()
        .map(|job| match pages.get(job.rel_path().as_str()) {
            Some(p) => 1000 * (*p as u64).max(1),
            None if known_bytes > 0 => (1000 * known_pages * size_of(job) / known_bytes).max(1),
            None => (1000 * size_of(job) / BYTES_PER_PAGE).max(1),
        })
        .collect()
}

/// Typst source bytes per page when no earlier build says better (the shipped templates: 4-8 KB a page).
const BYTES_PER_PAGE: u64 = 6_000;

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
    let mut matrix = Vec::new();
    matrix.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    matrix.push(u8::from(final_build));
    matrix.extend_from_slice(inputs_digest(root)?.as_bytes());
    for job in jobs {
        matrix.extend_from_slice(job.rel_path().as_bytes());
        matrix.push(0);
    }
    let matrix = sha256(&matrix);
    let plan: Vec<u8> = owner.iter().flat_map(|s| (*s as u32).to_le_bytes()).collect();
    let mine: Vec<JobId> =
        jobs.iter().zip(&owner).filter(|(_, s)| **s + 1 == shard.index).map(|(j, _)| j.clone()).collect();
    let info =
        ShardInfo { index: shard.index, count: shard.count, matrix, plan: sha256(&plan), matrix_documents: jobs.len() };
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
