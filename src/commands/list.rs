//! `briefs list`: the documents, audiences and locales a build would produce.

use std::path::Path;

use super::{Failure, Output};
use crate::project::{LoadOptions, Project, Selection};

/// The build matrix as printable lines.
pub fn run(root: &Path) -> Result<Output, Failure> {
    let project = Project::load(root, LoadOptions::default())?;
    let jobs = project.jobs(&Selection::default())?;
    let mut lines = Vec::new();
    lines.push(format!("edition {} ({})", project.model.edition.id, project.model.edition.title));
    lines.push(format!(
        "documents: {}",
        project.model.documents.iter().map(|d| d.id.value.as_str()).collect::<Vec<_>>().join(", ")
    ));
    let locales: Vec<String> = project.locales.values().map(|l| format!("{} ({})", l.fmt.tag(), l.meta.name)).collect();
    lines.push(format!("locales: {}", locales.join(", ")));
    lines.push(String::new());
    lines.push(format!("{:<24} {:<28} {}", "audience", "locales", "documents"));
    for a in &project.model.audiences {
        let locs: Vec<&str> = a.locales.iter().map(|l| l.value.as_str()).collect();
        let docs = project.model.audience_documents(a);
        lines.push(format!("{:<24} {:<28} {} ({})", a.id.value, locs.join(","), docs.len(), docs.join(", ")));
    }
    lines.push(String::new());
    lines.push(format!(
        "{} PDFs: {} audiences x their locales x their documents",
        jobs.len(),
        project.model.audiences.len()
    ));
    Ok(Output { product: lines, ..Output::default() })
}
