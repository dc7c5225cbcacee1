//! `briefs list`: the documents, audiences and locales a build would produce.

use std::path::Path;

use super::{Failure, Output};
use crate::diag::Report;
use crate::output::Manifest;
use crate::pipeline::order;
use crate::pipeline::shard::{self, Shard};
use crate::project::{LoadOptions, Project, Selection};

/// The build matrix as printable lines.
pub fn run(root: &Path) -> Result<Output, Failure> {
    let project = Project::load(root, LoadOptions::default())?;
    let jobs = project.jobs(&Selection::default())?;
    let mut lines = Vec::new();
    lines.push(format!("edition {} ({})", project.model.edition.id, project.model.edition.title));
    lines.push(format!(
        "documents: {}",
        project.model.documents.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
    ));
    let locales: Vec<String> = project.locales.values().map(|l| format!("{} ({})", l.fmt.tag(), l.meta.name)).collect();
    lines.push(format!("locales: {}", locales.join(", ")));
    lines.push(String::new());
    lines.push(format!("{:<24} {:<28} {}", "audience", "locales", "documents"));
    for a in &project.model.audiences {
        let locs: Vec<&str> = a.locales.iter().map(|l| l.as_str()).collect();
        let docs = project.model.audience_documents(a);
        lines.push(format!("{:<24} {:<28} {} ({})", a.id, locs.join(","), docs.len(), docs.join(", ")));
    }
    lines.push(String::new());
    lines.push(format!(
        "{} PDFs: {} audiences x their locales x their documents",
        jobs.len(),
        project.model.audiences.len()
    ));
    Ok(Output { product: lines, ..Output::default() })
}

/// The documents of one shard of the whole matrix, as `build --shard` cuts it, each with its estimated pages.
pub fn shard(root: &Path, wanted: Shard, weights: Option<&Path>) -> Result<Output, Failure> {
    let project = Project::load(root, LoadOptions::default())?;
    let jobs = order::build_order(&project, project.jobs(&Selection::default())?);
    let known = weights.map(Manifest::read_file).transpose().map_err(|d| Failure::from(Report::from(d)))?;
    let estimates = shard::weights(&project, &jobs, known.as_ref());
    let owner = shard::partition(&estimates, wanted.count);
    let mut lines = Vec::new();
    let (mut pages, mut total) = (0u64, 0u64);
    for ((job, w), s) in jobs.iter().zip(&estimates).zip(&owner) {
        total += w;
        if *s + 1 == wanted.index {
            pages += w;
            lines.push(format!("{:<52} {:>6.1}", job.rel_path(), *w as f64 / 1000.0));
        }
    }
    let count = lines.len();
    lines.push(format!(
        "shard {wanted}: {count} of {} document(s), about {:.0} of {:.0} estimated pages",
        jobs.len(),
        pages as f64 / 1000.0,
        total as f64 / 1000.0
    ));
    Ok(Output { product: lines, ..Output::default() })
}
