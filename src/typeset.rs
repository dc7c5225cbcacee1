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

use crate::diag::{Diagnostic, Loc, Report};

/// The fonts of a project, parsed once and shared by every document of a build.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Raw bytes of each font file, for the chart renderer.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// SHA-256 over every font file's path and bytes, computed once (part of each document's inputs).
    pub digest: String,
}

impl Fonts {
    /// Loads every `.ttf`/`.otf` under `fonts/`; no system fonts.
    pub fn load(root: &Path) -> Result<Arc<Fonts>, Diagnostic> {
        let dir = root.join("fonts");
        if !dir.is_dir() {
            return Err(Diagnostic::error(Loc::file("fonts"), "the fonts/ folder is missing")
                .with_hint("restore fonts/ from the repository; builds use no system fonts"));
        }
        let mut paths = Vec::new();
        collect_fonts(&dir, &mut paths);
        paths.sort();
        let mut fonts = Vec::new();
        let mut files = Vec::new();
        for p in paths {
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            let data = std::fs::read(&p).map_err(|e| {
                Diagnostic::error(Loc::file(&rel), format!("failed to read font ({})", crate::model::io_reason(&e)))
            })?;
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(data.clone())));
            if fonts.len() == before {
                return Err(Diagnostic::error(Loc::file(&rel), "not a font Typst can read")
                    .with_hint("remove the file or replace it with a TrueType/OpenType font"));
            }
            files.push((rel, data));
        }
        if fonts.is_empty() {
            return Err(Diagnostic::error(Loc::file("fonts"), "the fonts/ folder holds no .ttf or .otf file")
                .with_hint("restore the fonts from the repository; builds use no system fonts"));
        }
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        let mut all = Vec::new();
        for (p, data) in &files {
            all.extend_from_slice(p.to_string_lossy().as_bytes());
            all.extend_from_slice(crate::output::sha256(data).as_bytes());
        }
        let digest = crate::output::sha256(&all);
        Ok(Arc::new(Fonts { book, fonts, files, digest }))
    }
}

/// Recursively collects font files.
fn collect_fonts(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_fonts(&p, out);
        } else if p.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_lowercase();
            e == "ttf" || e == "otf"
        }) {
            out.push(p);
        }
    }
}

/// Shared, parsed-once pieces of every World in a build.
pub struct Shared {
    library: LazyHash<Library>,
    /// The fonts.
    pub fonts: Arc<Fonts>,
    /// The first source seen under each file id (main files and `house.typ`), from which later ones are edited.
    bases: Mutex<HashMap<FileId, Source>>,
}

impl Shared {
    /// Builds the standard library once for all documents.
    pub fn new(fonts: Arc<Fonts>) -> Arc<Shared> {
        Arc::new(Shared { library: LazyHash::new(Library::default()), fonts, bases: Mutex::default() })
    }

    /// The source of `text` under `id`, edited from the first source seen under `id` so that unchanged lines keep
    /// their spans (as in Typst's own watch mode). Content is hashed with its spans, so this is what lets Typst's
    /// memoized layout of one audience's paragraphs serve the next audience's nearly identical document.
    /// The PDF does not depend on spans: which source came first changes the time taken, not the output. A text
    /// seen before (`house.typ` in every document) is parsed once.
    fn source(&self, id: FileId, text: String) -> Source {
        let base = {
            let mut bases = self.bases.lock().unwrap_or_else(|e| e.into_inner());
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
    shared: Arc<Shared>,
    main: FileId,
    /// Where `--emit-typst` writes the main source, for messages.
    emitted: String,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
    /// Generated sources the main file includes (a pack's documents): their label and `--emit-typst` path.
    parts: HashMap<FileId, (String, String)>,
}

impl BriefWorld {
    /// A world whose main file is `main_path` with `text` (written by `--emit-typst` to `emitted`), plus extra
    /// files (Typst and binary). Documents that share a `main_path` share Typst's layout cache where they agree.
    pub fn new(
        shared: Arc<Shared>,
        main_path: &str,
        emitted: &str,
        text: String,
        typst_files: &[(String, String)],
        binary_files: &[(String, Bytes)],
        date: (i32, u8, u8),
    ) -> Option<BriefWorld> {
        let main = file_id(main_path)?;
        let mut sources = HashMap::new();
        sources.insert(main, shared.source(main, text));
        for (p, t) in typst_files {
            let id = file_id(p)?;
            sources.insert(id, shared.source(id, t.clone()));
        }
        let files = binary_files.iter().filter_map(|(p, b)| Some((file_id(p)?, b.clone()))).collect();
        let today = Datetime::from_ymd(date.0, date.1, date.2);
        Some(BriefWorld { shared, main, emitted: emitted.to_string(), sources, files, today, parts: HashMap::new() })
    }

    /// Adds a generated source the main file includes (a pack's document) at `path`; its errors name `label`
    /// and the `--emit-typst` path `emitted`. Returns None for an invalid path.
    pub fn add_part(&mut self, path: &str, label: &str, emitted: &str, text: String) -> Option<()> {
        let id = file_id(path)?;
        self.sources.insert(id, self.shared.source(id, text));
        self.parts.insert(id, (label.to_string(), emitted.to_string()));
        Some(())
    }

    /// Typesets the document; errors are located where possible.
    pub fn compile(&self, label: &str) -> Result<(PagedDocument, Vec<Diagnostic>), Report> {
        let warned = typst::compile::<PagedDocument>(self);
        let warnings = warned.warnings.iter().map(|w| self.diagnostic(w, label)).collect();
        match warned.output {
            Ok(doc) => Ok((doc, warnings)),
            Err(errors) => Err(Report { items: errors.iter().map(|e| self.diagnostic(e, label)).collect() }),
        }
    }

    /// Maps a Typst diagnostic to ours: house.typ errors point at templates/house.typ; errors in the
    /// generated source name the document, quote the line and say how to see the whole source.
    fn diagnostic(&self, d: &SourceDiagnostic, label: &str) -> Diagnostic {
        let (mut label, mut main_path) = (label, &self.emitted);
        let mut loc = Loc::file(format!("<{label}>"));
        let mut excerpt = None;
        let mut in_main = false;
        if let DiagSpanKind::Number { id, .. } | DiagSpanKind::Range { id, .. } = d.span.get() {
            // An error in a pack's document is an error in that document's generated source.
            let generated = id == self.main || self.parts.contains_key(&id);
            if let Some((part_label, emitted)) = self.parts.get(&id) {
                (label, main_path) = (part_label, emitted);
            }
            in_main = generated;
            if in_main {
                loc = Loc::file(format!("<generated Typst for {label}>"));
            }
            if let (Ok(src), Some(range)) = (self.source(id), typst::WorldExt::range(self, d.span)) {
                let (line, col) = src.lines().byte_to_line_column(range.start).unwrap_or((0, 0));
                let path = id.get().vpath().get_without_slash().to_string();
                if generated {
                    excerpt = src.text().lines().nth(line).map(|l| l.chars().take(100).collect::<String>());
                    loc = Loc::new(format!("<generated Typst for {label}>"), line as u64 + 1, col as u64 + 1);
                } else {
                    in_main = false;
                    loc = Loc::new(Path::new("templates").join(path), line as u64 + 1, col as u64 + 1);
                }
            }
        }
        let mut msg = format!("typst: {}", d.message);
        if in_main {
            msg.push_str(&format!(" in the generated source of {label}"));
        }
        if let Some(e) = excerpt {
            msg.push_str(&format!(" (in `{}`)", e.trim()));
        }
        let mut hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
        if d.message.contains("file not found") || d.message.contains("escape the project root") {
            hints.push("documents read no files from disk: only house.typ and the charts of data/charts.yaml".into());
        }
        if in_main && loc.line > 0 {
            hints.push(format!(
                "run `briefs build --emit-typst DIR` and look at DIR/{main_path} at line {}; the template or locale text that produced it needs fixing",
                loc.line
            ));
        } else if hints.is_empty() && loc.line > 0 {
            hints.push(format!("fix {} at this place", loc.file.display()));
        }
        let hint = hints.join("; ");
        match d.severity {
            Severity::Error => Diagnostic::error(loc, msg).with_hint(hint),
            Severity::Warning => Diagnostic::warning(loc, msg).with_hint(hint),
        }
    }
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
        self.today
    }
}

/// The error for any path that is not one of the document's in-memory files (nothing is read from disk).
fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash()))
}

/// The standards of a final build: archival PDF/A-2a (level A: tagged, Unicode text, the level Typst recommends
/// for accessible files) and accessible PDF/UA-1 together (both allow PDF 1.7).
pub const FINAL_STANDARDS: [PdfStandard; 2] = [PdfStandard::A_2a, PdfStandard::Ua_1];

impl BriefWorld {
    /// Exports a document compiled in this World as PDF: tagged; PDF/A-2a and PDF/UA-1 when `archival`
    /// (final builds). Export errors, such as a PDF/UA requirement not met, are located like compile errors.
    pub fn export(&self, doc: &PagedDocument, ident: &str, archival: bool, label: &str) -> Result<Vec<u8>, Report> {
        let date = self
            .today
            .map_or((1970, 1, 1), |d| (d.year().unwrap_or(1970), d.month().unwrap_or(1), d.day().unwrap_or(1)));
        let options = pdf_options(ident, date, archival).map_err(|e| {
            Report::from(Diagnostic::error(Loc::file(format!("<{label}>")), format!("PDF export failed ({e})")))
        })?;
        typst_pdf::pdf(doc, &options).map_err(|errs| Report {
            items: errs
                .iter()
                .map(|e| {
                    let mut d = self.diagnostic(e, label);
                    d.message = d.message.replacen("typst: ", "PDF export failed: ", 1);
                    d
                })
                .collect(),
        })
    }
}

/// PDF options: identifier, creator, timestamp; tagged; the final standards when `archival`.
fn pdf_options(ident: &str, date: (i32, u8, u8), archival: bool) -> Result<PdfOptions, String> {
    let standards = if archival {
        PdfStandards::new(&FINAL_STANDARDS).map_err(|e| e.message().to_string())?
    } else {
        PdfStandards::default()
    };
    let timestamp = Datetime::from_ymd(date.0, date.1, date.2).map(Timestamp::new_utc);
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

/// Parses a Typst source without compiling it and reports its syntax errors at line and column.
pub fn syntax_errors(file: &str, text: &str, hint: &str) -> Report {
    let source = Source::detached(text);
    let mut report = Report::default();
    for e in source.root().errors_and_warnings().0 {
        let range = match e.span.get() {
            DiagSpanKind::Number { num, sub_range, .. } => source.range(num, sub_range),
            DiagSpanKind::Range { range, .. } => Some(range),
            DiagSpanKind::Detached => None,
        };
        let (line, col) = range
            .and_then(|r| source.lines().byte_to_line_column(r.start))
            .map_or((0, 0), |(l, c)| (l as u64 + 1, c as u64 + 1));
        let mut msg = format!("typst syntax: {}", e.message);
        // A generated source is not on disk, so no excerpt is printed under the location: quote the line.
        if let Some(text) =
            text.lines().nth((line as usize).saturating_sub(1)).filter(|_| file.starts_with('<') && line > 0)
        {
            msg.push_str(&format!(" (in `{}`)", text.trim().chars().take(100).collect::<String>()));
        }
        report.push(Diagnostic::error(Loc::new(file, line, col), msg).with_hint(hint));
    }
    report
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
