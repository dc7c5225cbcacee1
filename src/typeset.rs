//! Typesetting in process: our own Typst `World` (fonts from `fonts/`, in-memory files, fixed date) and PDF export.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{DiagSpanKind, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Severity as DiagSeverity;
use crate::fonts::Fonts;
use crate::ids::DocumentId;
use crate::model::EditionDate;

/// What every World of a build shares, parsed once: the standard library, the fonts and the sources.
pub struct WorldBase {
    library: LazyHash<Library>,
    /// The fonts.
    pub fonts: Arc<Fonts>,
    /// The first source seen under each file id (main files and `house.typ`), from which later ones are edited.
    bases: Mutex<HashMap<FileId, Source>>,
}

impl WorldBase {
    /// Builds the standard library once for all documents.
    pub fn new(fonts: Arc<Fonts>) -> Arc<WorldBase> {
        Arc::new(WorldBase { library: LazyHash::new(Library::default()), fonts, bases: Mutex::default() })
    }

    /// The source of `text` under `id`, edited from the first source seen under `id` so that unchanged lines keep
    /// their spans (as in Typst's own watch mode). Content is hashed with its spans, so this is what lets Typst's
    /// memoized layout of one audience's paragraphs serve the next audience's nearly identical document.
    /// The PDF does not depend on spans: which source came first changes the time taken, not the output. A text
    /// seen before (`house.typ` in every document) is parsed once.
    fn source(&self, id: FileId, text: String) -> Source {
        let base = {
            let mut bases = crate::sync::lock(&self.bases);
            match bases.get(&id) {
                Some(base) => base.clone(),
                None => {
                    let source = Source::new(id, text);
                    bases.insert(id, source.clone());
                    return source;
                }
            }
        };
        if base.text() == text {
            return base;
        }
        let source = edited(base, &text);
        // Sharing saves time only: should the edits ever miss, typeset from a fresh parse.
        if source.text() == text { source } else { Source::new(id, text) }
    }
}

/// `base` edited into `text` one changed run of lines at a time, so that only those lines are reparsed and renumbered.
fn edited(mut base: Source, text: &str) -> Source {
    let old = base.text().to_string();
    let diff = similar::TextDiff::from_lines(old.as_str(), text);
    let (old_lines, new_lines) = (diff.old_slices(), diff.new_slices());
    // Byte ranges to replace in the old text, with their replacements. Positions are counted here from the runs'
    // lengths: the old index `similar` gives an insertion is not always where it belongs.
    let mut edits = Vec::new();
    let (mut at_old, mut at_new) = (0, 0);
    let bytes = |lines: &[&str]| lines.iter().map(|l| l.len()).sum::<usize>();
    for op in diff.ops() {
        let (tag, was, now) = op.as_tag_tuple();
        let (old_len, new_len) = (bytes(&old_lines[was]), bytes(&new_lines[now]));
        if tag != similar::DiffTag::Equal {
            edits.push((at_old..at_old + old_len, &text[at_new..at_new + new_len]));
        }
        at_old += old_len;
        at_new += new_len;
    }
    // From the end backwards, so the byte offsets of earlier runs stay valid.
    for (range, with) in edits.into_iter().rev() {
        base.edit(range, with);
    }
    base
}

/// An id for an in-memory path; ids are interned, so the same path reuses its id.
pub fn file_id(path: &str) -> Option<FileId> {
    VirtualPath::new(path).ok().map(|vp| FileId::new(RootedPath::new(VirtualRoot::Project, vp)))
}

/// The World of one document: only in-memory files, our fonts, a fixed date.
pub struct BriefWorld {
    /// The library, fonts and sources every World of the build shares.
    shared: Arc<WorldBase>,
    /// The main file's id.
    main: FileId,
    /// The main source, `house.typ` and other Typst files.
    sources: HashMap<FileId, Source>,
    /// Binary files (chart SVGs).
    files: HashMap<FileId, Bytes>,
    /// The edition date: Typst's `datetime.today()` and the PDF's timestamp.
    today: Datetime,
    /// Generated sources the main file includes (a meeting pack's documents), with their document ids.
    parts: HashMap<FileId, DocumentId>,
}

impl BriefWorld {
    /// A world whose main file is `main_path` with `text`, plus extra files (Typst and binary). Documents that
    /// share a `main_path` share Typst's layout cache where they agree.
    pub fn new(
        shared: Arc<WorldBase>,
        main_path: &str,
        text: String,
        typst_files: &[(String, String)],
        binary_files: &[(String, Bytes)],
        date: &EditionDate,
    ) -> Option<BriefWorld> {
        let main = file_id(main_path)?;
        let mut sources = HashMap::new();
        sources.insert(main, shared.source(main, text));
        for (p, t) in typst_files {
            let id = file_id(p)?;
            sources.insert(id, shared.source(id, t.clone()));
        }
        let files = binary_files.iter().filter_map(|(p, b)| Some((file_id(p)?, b.clone()))).collect();
        let (y, m, d) = date.ymd();
        let today = Datetime::from_ymd(y, m, d)?;
        Some(BriefWorld { shared, main, sources, files, today, parts: HashMap::new() })
    }

    /// Adds the generated source of document `document` at `path`, which the main file includes (a meeting
    /// pack's document); None for an invalid path.
    pub fn add_part(&mut self, path: &str, document: &str, text: String) -> Option<()> {
        let id = file_id(path)?;
        self.sources.insert(id, self.shared.source(id, text));
        self.parts.insert(id, DocumentId::from(document));
        Some(())
    }

    /// Typesets the document, with its warnings; or the errors.
    pub fn compile(&self) -> Result<(PagedDocument, Vec<TypstDiag>), Vec<TypstDiag>> {
        let warned = typst::compile::<PagedDocument>(self);
        let warnings = warned.warnings.iter().map(|w| self.diagnostic(w)).collect();
        match warned.output {
            Ok(doc) => Ok((doc, warnings)),
            Err(errors) => Err(errors.iter().map(|e| self.diagnostic(e)).collect()),
        }
    }

    /// Where a Typst diagnostic points: the generated main source or a part's, another file (house.typ), or nowhere.
    fn diagnostic(&self, d: &SourceDiagnostic) -> TypstDiag {
        let mut place = Place::Unknown;
        if let DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } = d.span.get()
            && let (Ok(src), Some(range)) = (self.source(id), typst::WorldExt::range(self, d.span))
        {
            let (line, col) = src.lines().byte_to_line_column(range.start).unwrap_or((0, 0));
            let (line, col) = (line as u64 + 1, col as u64 + 1);
            place = if id == self.main || self.parts.contains_key(&id) {
                let text = src.text().lines().nth(line as usize - 1).unwrap_or_default().to_string();
                Place::Generated { line, col, text, document: self.parts.get(&id).cloned() }
            } else {
                let path = Path::new("templates").join(id.get().vpath().get_without_slash());
                Place::File { path, line, col }
            };
        }
        TypstDiag {
            severity: match d.severity {
                Severity::Error => DiagSeverity::Error,
                Severity::Warning => DiagSeverity::Warning,
            },
            message: d.message.to_string(),
            hints: d.hints.iter().map(|h| h.v.to_string()).collect(),
            place,
        }
    }
}

/// Where a Typst diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A line of the generated main source, or of a document a pack includes, with its text.
    Generated {
        /// 1-based line.
        line: u64,
        /// 1-based column.
        col: u64,
        /// The line's text.
        text: String,
        /// The included document whose source it is (None: the main source).
        document: Option<DocumentId>,
    },
    /// A place in a project file such as `templates/house.typ`.
    File {
        /// Path relative to the root.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        col: u64,
    },
    /// Nowhere in particular.
    Unknown,
}

/// A Typst error or warning, before it is tied to a document's template.
#[derive(Debug, Clone)]
pub struct TypstDiag {
    /// Error or warning.
    pub severity: DiagSeverity,
    /// Typst's message.
    pub message: String,
    /// Typst's hints.
    pub hints: Vec<String>,
    /// Where it points.
    pub place: Place,
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(s) = self.sources.get(&id) {
            return Ok(Bytes::from_string(s.clone()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

/// The error for any path that is not one of the document's in-memory files (nothing is read from disk).
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash()))
}

/// The standards of a final build: archival PDF/A-2a (level A: tagged, with Unicode text, the level Typst
/// recommends for accessible files) and accessible PDF/UA-1 together (both allow PDF 1.7).
pub const FINAL_STANDARDS: [PdfStandard; 2] = [PdfStandard::A_2a, PdfStandard::Ua_1];

impl BriefWorld {
    /// Exports a document compiled in this World as PDF: tagged; PDF/A-2a and PDF/UA-1 when `archival`
    /// (final builds). Export errors, such as a PDF/UA requirement not met, are placed like compile errors.
    pub fn export(&self, doc: &PagedDocument, ident: &str, archival: bool) -> Result<Vec<u8>, Vec<TypstDiag>> {
        let unplaced = |message: String| TypstDiag {
            severity: DiagSeverity::Error,
            message,
            hints: Vec::new(),
            place: Place::Unknown,
        };
        let options =
            pdf_options(ident, self.today, archival).map_err(|e| vec![unplaced(format!("PDF export failed ({e})"))])?;
        typst_pdf::pdf(doc, &options).map_err(|errs| {
            errs.iter()
                .map(|e| {
                    let mut d = self.diagnostic(e);
                    d.message = format!("PDF export failed: {}", d.message);
                    d
                })
                .collect()
        })
    }
}

/// PDF options: identifier, creator, timestamp; tagged; the final standards when `archival`.
fn pdf_options(ident: &str, date: Datetime, archival: bool) -> Result<PdfOptions, String> {
    let standards = if archival {
        PdfStandards::new(&FINAL_STANDARDS).map_err(|e| e.message().to_string())?
    } else {
        PdfStandards::default()
    };
    let timestamp = Some(Timestamp::new_utc(date));
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("briefs {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    Ok(options)
}

/// Parses a Typst source without compiling it and returns its syntax errors: placed in the generated source, or
/// in `file` when it is a project file.
pub fn syntax_errors(file: Option<&Path>, text: &str) -> Vec<TypstDiag> {
    let source = Source::detached(text);
    let mut out = Vec::new();
    for e in source.root().errors_and_warnings().0 {
        let range = match e.span.get() {
            DiagSpanKind::Number { num, sub_range, .. } => source.range(num, sub_range),
            DiagSpanKind::Range { range, .. } => Some(range),
            DiagSpanKind::Detached => None,
        };
        let (line, col) = range
            .and_then(|r| source.lines().byte_to_line_column(r.start))
            .map_or((0, 0), |(l, c)| (l as u64 + 1, c as u64 + 1));
        let place = match file {
            Some(path) => Place::File { path: path.to_path_buf(), line, col },
            None => {
                let text = text.lines().nth((line as usize).saturating_sub(1)).unwrap_or_default().to_string();
                Place::Generated { line, col, text, document: None }
            }
        };
        out.push(TypstDiag {
            severity: DiagSeverity::Error,
            message: e.message.to_string(),
            hints: e.hints.iter().map(|h| h.v.to_string()).collect(),
            place,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use typst::syntax::{LinkedNode, SyntaxKind};

    /// The span of the first text node reading `word`.
    fn span_of(source: &Source, word: &str) -> typst::syntax::Span {
        fn find(node: LinkedNode, word: &str) -> Option<typst::syntax::Span> {
            if node.kind() == SyntaxKind::Text && node.get().leaf_text().starts_with(word) {
                return Some(node.span());
            }
            node.children().find_map(|c| find(c, word))
        }
        find(LinkedNode::new(source.root()), word).expect("word in source")
    }

    #[test]
    fn edited_source_keeps_the_spans_of_unchanged_lines() {
        let id = file_id("/en-US/doc.typ").unwrap();
        let base =
            Source::new(id, "#show: it => it\n\nFor partners.\n\nShared paragraph.\n\n#callout[Join us.]\n".into());
        let text =
            "#show: it => it\n\nFor *the* government and _Congress_.\n\nShared paragraph.\n\n#callout[Act now.]\n";
        let edited = edited(base.clone(), text);
        assert_eq!(edited.text(), text);
        assert_eq!(span_of(&edited, "Shared"), span_of(&base, "Shared"));
        // A fresh parse numbers everything anew: this is what the edits avoid.
        assert_ne!(span_of(&Source::new(id, text.into()), "Shared"), span_of(&base, "Shared"));
    }

    proptest! {
        #[test]
        fn edited_source_reads_the_new_text(
            old in proptest::collection::vec("[a-c #=*\\[\\]\r]{0,6}", 0..12),
            new in proptest::collection::vec("[a-c #=*\\[\\]\r]{0,6}", 0..12),
            end in any::<bool>(),
        ) {
            let id = file_id("/p.typ").unwrap();
            let join = |lines: &[String]| lines.join("\n") + if end { "\n" } else { "" };
            let text = join(&new);
            let edited = edited(Source::new(id, join(&old)), &text);
            prop_assert_eq!(edited.text(), text.as_str());
            // Parsed as a fresh parse of the new text would be.
            prop_assert!(edited.root().spanless_eq(Source::new(id, text.clone()).root()));
        }
    }
}
