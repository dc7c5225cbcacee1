//! Located diagnostics: every data, locale, template and Typst problem carries file:line:col, and is printed with
//! an excerpt of the file by `codespan-reporting`; application errors (a bad flag, nothing selected) are plain
//! `error:` and `hint:` lines.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Excerpted, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Chars, Config};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported; refused only by `--final` builds.
    Warning,
}

/// A place in a project file (1-based line and column; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    /// Path relative to the project root.
    pub file: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub col: u64,
}

impl Loc {
    /// A location at line and column of a file.
    pub fn new(file: impl Into<PathBuf>, line: u64, col: u64) -> Self {
        Self { file: file.into(), line, col }
    }

    /// A location naming only the file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self::new(file, 0, 0)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match (self.line, self.col) {
            (0, _) => write!(f, "{file}"),
            (l, 0) => write!(f, "{file}:{l}"),
            (l, c) => write!(f, "{file}:{l}:{c}"),
        }
    }
}

/// One problem found in the project, with where it is and what to do.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub loc: Loc,
    /// What is wrong, lowercase.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An application error with no place in a file (a flag, a selection).
    pub fn plain(message: impl Into<String>) -> Self {
        Self::error(Loc::default(), message)
    }

    /// An error at a location.
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, loc, message: message.into(), hint: None }
    }

    /// A warning at a location.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, loc, message: message.into(), hint: None }
    }

    /// Adds a hint on what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Renders the diagnostic: with an excerpt of the file (read from `root`) when it names a line, as plain
    /// `error:`/`hint:` lines when it names no file.
    pub fn render(&self, root: &Path) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.loc.file.as_os_str().is_empty() {
            let hint = self.hint.as_ref().map(|h| format!("hint: {h}\n")).unwrap_or_default();
            return format!("{label}: {}\n{hint}", self.message);
        }
        if let Some(out) = self.excerpted(root) {
            return out;
        }
        let hint = self.hint.as_ref().map(|h| format!("  = hint: {h}\n")).unwrap_or_default();
        format!("{label}: {}\n  --> {}\n{hint}", self.message, self.loc)
    }

    /// The diagnostic drawn by codespan-reporting under the line it points at, if that line can be read.
    fn excerpted(&self, root: &Path) -> Option<String> {
        let line = usize::try_from(self.loc.line).ok()?.checked_sub(1)?;
        let bytes = std::fs::read(root.join(&self.loc.file)).ok()?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let start = text.split_inclusive('\n').take(line).map(str::len).sum::<usize>();
        let line_text = text.get(start..)?.split('\n').next()?;
        let col = usize::try_from(self.loc.col.max(1)).ok()? - 1;
        let at = start + line_text.char_indices().nth(col).map_or(line_text.len(), |(i, _)| i);
        let end = text[at..].chars().next().filter(|c| *c != '\n' && *c != '\r').map_or(at, |c| at + c.len_utf8());
        let file = SimpleFile::new(self.loc.file.display().to_string(), text);
        let head = match self.severity {
            Severity::Error => Excerpted::error(),
            Severity::Warning => Excerpted::warning(),
        };
        let diagnostic = head
            .with_message(&self.message)
            .with_labels(vec![Label::primary((), at..end)])
            .with_notes(self.hint.iter().map(|h| format!("hint: {h}")).collect());
        let config = Config { chars: Chars::ascii(), ..Config::default() };
        let out = term::emit_into_string(&config, &file, &diagnostic).ok()?;
        // A location with no column points at the line, not at its first character.
        Some(if self.loc.col == 0 {
            out.replacen(&format!("{}:1\n", self.loc), &format!("{}\n", self.loc), 1)
        } else {
            out
        })
    }
}

/// A list of diagnostics gathered across a whole stage.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Everything found, in the order found.
    pub items: Vec<Diagnostic>,
}

impl Report {
    /// Adds one diagnostic, unless the very same one is already listed (documents sharing a template fail alike).
    pub fn push(&mut self, d: Diagnostic) {
        if !self.items.iter().any(|x| same(x, &d)) {
            self.items.push(d);
        }
    }

    /// Adds every diagnostic of another report.
    pub fn extend(&mut self, other: Report) {
        for d in other.items {
            self.push(d);
        }
    }

    /// Whether any item is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of distinct errors.
    pub fn errors(&self) -> usize {
        self.distinct(Severity::Error)
    }

    /// Number of distinct warnings.
    pub fn warnings(&self) -> usize {
        self.distinct(Severity::Warning)
    }

    /// Number of items of a severity, each repeated diagnostic counted once.
    fn distinct(&self, severity: Severity) -> usize {
        let items = &self.items;
        (0..items.len())
            .filter(|&i| items[i].severity == severity && !items[..i].iter().any(|x| same(x, &items[i])))
            .count()
    }

    /// Renders every diagnostic once, errors first, then sorted by place.
    pub fn render(&self, root: &Path) -> String {
        let mut items = self.items.clone();
        items.sort_by(|a, b| (a.severity, &a.loc).cmp(&(b.severity, &b.loc)));
        items.dedup_by(|a, b| same(a, b));
        items.iter().map(|d| d.render(root)).collect::<Vec<_>>().join("\n")
    }
}

/// Whether two diagnostics say the same thing at the same place.
fn same(a: &Diagnostic, b: &Diagnostic) -> bool {
    a.severity == b.severity && a.loc == b.loc && a.message == b.message && a.hint == b.hint
}

impl From<Diagnostic> for Report {
    fn from(d: Diagnostic) -> Self {
        Self { items: vec![d] }
    }
}
