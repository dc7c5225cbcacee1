//! Typst's errors and warnings traced back to the template line that made them, and reported once for every
//! document they affect (the audiences and locales of one template usually fail alike).

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Kind, Loc, Report, Severity};
use crate::project::{JobId, Project};
use crate::typeset::{Place, TypstDiag};

/// How many documents a message names before it says "and N more".
const NAMED: usize = 3;

/// One problem and the documents that have it.
struct Entry {
    /// The problem, as reported.
    diagnostic: Diagnostic,
    /// Typst's own hints.
    hints: Vec<String>,
    /// The documents, as job labels (`en-US academia brief-auto`), in the order found.
    documents: Vec<String>,
    /// Where to look at the generated source of the first document, if the problem is in one.
    generated: Option<String>,
}

/// Typst problems gathered over many documents, each kept once.
#[derive(Default)]
pub struct Traced {
    /// By severity, place and message, in the order first found.
    entries: Vec<Entry>,
    /// Index of each key in `entries`.
    index: BTreeMap<(Severity, Loc, String), usize>,
}

impl Traced {
    /// Adds problems of a project file (house.typ), not of a document.
    pub fn add_plain(&mut self, diags: Vec<TypstDiag>) {
        for d in diags {
            let loc = match &d.place {
                Place::File { path, line, col } => Loc::new(path, *line, *col),
                _ => Loc::default(),
            };
            self.insert(
                Diagnostic { severity: d.severity, ..Diagnostic::error(loc, format!("typst: {}", d.message)) }
                    .kind(Kind::Typst),
                d.hints,
                None,
                None,
            );
        }
    }

    /// Keeps a problem once, adding the document to those that have it.
    fn insert(
        &mut self,
        diagnostic: Diagnostic,
        hints: Vec<String>,
        document: Option<String>,
        generated: Option<String>,
    ) {
        let key = (diagnostic.severity, diagnostic.loc.clone(), diagnostic.message.clone());
        match self.index.get(&key) {
            Some(&i) => self.entries[i].documents.extend(document),
            None => {
                self.index.insert(key, self.entries.len());
                self.entries.push(Entry { diagnostic, hints, documents: document.into_iter().collect(), generated });
            }
        }
    }

    /// Adds a document's Typst problems, each traced to its template line where one can be found.
    pub fn add(&mut self, project: &Project, job: &JobId, diags: Vec<TypstDiag>) {
        for d in diags {
            let mut loc = Loc::default();
            let mut message = typst_message(&d.message);
            let mut generated = None;
            match &d.place {
                Place::File { path, line, col } => loc = Loc::new(path, *line, *col),
                Place::Generated { line, col, text, document } => {
                    // In a pack's document: traced through that document's template, found in its source.
                    let part = document.as_ref().map(|d| JobId { document: d.clone(), ..job.clone() });
                    let job = part.as_ref().unwrap_or(job);
                    let template = project.template_of(job);
                    let dir = std::path::Path::new("locales").join(&job.locale);
                    loc = match project.templates().trace(&dir, &template, text, *col) {
                        Some((file, line, col)) => Loc::new(file, line, col),
                        None => Loc::file(project.templates().path(&dir, &template)),
                    };
                    let shown: String = text.trim().chars().take(100).collect();
                    message = format!("{message} (in `{shown}`)");
                    generated = Some(format!(
                        "the generated source is DIR/{} at line {line}, column {col} after `briefs build --emit-typst DIR`",
                        job.typ_path()
                    ));
                }
                Place::Unknown => {}
            }
            let diagnostic = Diagnostic { severity: d.severity, ..Diagnostic::error(loc, message) }.kind(Kind::Typst);
            self.insert(diagnostic, d.hints, Some(job.label()), generated);
        }
    }

    /// Every problem once, with the documents it affects and what to do.
    pub fn into_report(self) -> Report {
        let mut report = Report::default();
        for e in self.entries {
            let mut hints = e.hints;
            let d = &e.diagnostic;
            if d.message.contains("file not found") || d.message.contains("escape the project root") {
                hints.push(
                    "documents read no files from disk: only house.typ and the charts of data/charts.yaml".into(),
                );
            }
            let n = e.documents.len();
            let named = e.documents.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
            let more = if n > NAMED { format!(" and {} more", n - NAMED) } else { String::new() };
            match n {
                0 => {}
                1 => hints.push(format!("in {named}")),
                _ => hints.push(format!("in {n} documents: {named}{more}")),
            }
            match (&e.generated, d.loc.line) {
                (Some(g), 0) => {
                    hints.push(format!("{g}; the template or locale text that produced it needs fixing"));
                }
                (Some(g), _) => hints.push(g.clone()),
                (None, line) if line > 0 && hints.len() <= usize::from(n > 0) => {
                    hints.push(format!("fix {} at this place", d.loc.file.display()));
                }
                _ => {}
            }
            report.push(e.diagnostic.with_hint(hints.join("; ")));
        }
        report
    }
}

/// Typst's message, marked as Typst's (export errors say so themselves).
fn typst_message(message: &str) -> String {
    if message.starts_with("PDF export failed") { message.to_string() } else { format!("typst: {message}") }
}
