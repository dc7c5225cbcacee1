//! Located diagnostics: every data, locale, template and Typst problem carries file:line:col.

use std::fmt;
use std::path::{Path, PathBuf};

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

    /// Renders the diagnostic with a source excerpt read from `root`.
    pub fn render(&self, root: &Path) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n  --> {}\n", self.message, self.loc);
        if let Some(excerpt) = excerpt(root, &self.loc) {
            out.push_str(&excerpt);
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("  = hint: {hint}\n"));
        }
        out
    }
}

/// The line a location points at, with a caret under its column.
fn excerpt(root: &Path, loc: &Loc) -> Option<String> {
    if loc.line == 0 {
        return None;
    }
    let bytes = std::fs::read(root.join(&loc.file)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().nth(usize::try_from(loc.line).ok()? - 1)?;
    let shown: String = line.chars().take(120).collect();
    let num = loc.line.to_string();
    let pad = " ".repeat(num.len());
    let mut out = format!("{pad} |\n{num} | {shown}\n");
    if loc.col > 0 {
        let col = usize::try_from(loc.col).ok()?.min(shown.chars().count() + 1);
        let lead: String = shown.chars().take(col - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        out.push_str(&format!("{pad} | {lead}^\n"));
    }
    Some(out)
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
