//! The order a build typesets its documents in, so that Typst's caches serve consecutive documents.

use crate::ids::{DocumentId, LocaleTag};
use crate::project::{JobId, Project};

/// The jobs in the order a build typesets them: grouped by locale and document (the order of first appearance),
/// matrix order within a group. The audiences of one group share one Typst main file, so consecutive documents
/// reuse each other's layout, and Typst's cache can drop what the group no longer uses once it is over.
pub fn typesetting_order(jobs: Vec<JobId>) -> Vec<JobId> {
    let mut groups: Vec<((LocaleTag, DocumentId), Vec<JobId>)> = Vec::new();
    for job in jobs {
        let key = (job.locale.clone(), job.document.clone());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, g)) => g.push(job),
            None => groups.push((key, vec![job])),
        }
    }
    groups.into_iter().flat_map(|(_, g)| g).collect()
}

/// The jobs in the order a build typesets them (see [`typesetting_order`]), meeting packs last: by the time one is
/// typeset, its documents' layout is in Typst's cache.
pub fn build_order(project: &Project, jobs: Vec<JobId>) -> Vec<JobId> {
    let mut jobs = typesetting_order(jobs);
    jobs.sort_by_key(|j| project.is_pack(j));
    jobs
}
