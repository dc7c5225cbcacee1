//! Located diagnostics: every data, locale, template and Typst problem carries file:line:col, and is printed with
//! an excerpt of the file by `codespan-reporting`; application errors (a bad flag, nothing selected) are plain
//! `error:` and `hint:` lines.

use std::fmt;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Excerpted, Label};

use crate::ids::LocaleTag;
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

/// What kind of problem a diagnostic is, so that many alike can be told in one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A text a locale lacks (missing, empty, or left in en-US words).
    MissingText,
    /// A text whose placeholders, braces or keys are wrong.
    TextError,
    /// A translation made from an en-US text that has changed since.
    StaleText,
    /// A text no fingerprint records as translated.
    UntranslatedText,
    /// A translation that lacks the glossary's rendering of a term.
    Glossary,
    /// A text that writes the edition's month and year.
    EditionWords,
    /// A locale key no template uses.
    UnusedKey,
    /// A drafted text not yet approved.
    Drafted,
    /// A provisional or unsourced figure.
    Provisional,
    /// A warning from Typst.
    Typst,
}

impl Kind {
    /// "12 stale texts in fr-CA" for a count of diagnostics of this kind (in a locale).
    pub fn count(self, n: usize, locale: Option<&str>) -> String {
        let what = match self {
            Kind::MissingText => "missing text",
            Kind::TextError => "text error",
            Kind::StaleText => "stale text",
            Kind::UntranslatedText => "untranslated text",
            Kind::Glossary => "text without its glossary term",
            Kind::EditionWords => "text writing the edition's month and year",
            Kind::UnusedKey => "key no template uses",
            Kind::Drafted => "drafted text not approved",
            Kind::Provisional => "provisional figure",
            Kind::Typst => "Typst warning",
        };
        let plural = match (self, n) {
            (_, 1) => what.to_string(),
            (Kind::Glossary, _) => "texts without their glossary terms".to_string(),
            (Kind::EditionWords, _) => "texts writing the edition's month and year".to_string(),
            (Kind::UnusedKey, _) => "keys no template uses".to_string(),
            (Kind::Drafted, _) => "drafted texts not approved".to_string(),
            _ => format!("{what}s"),
        };
        match locale {
            Some(l) => format!("{n} {plural} in {l}"),
            None => format!("{n} {plural}"),
        }
    }

    /// The command that lists every diagnostic of this kind.
    pub fn lister(self) -> &'static str {
        match self {
            Kind::MissingText | Kind::StaleText | Kind::UntranslatedText | Kind::Glossary | Kind::Drafted => {
                "briefs check --i18n"
            }
            Kind::Provisional => "briefs check --final",
            Kind::Typst => "briefs build -v",
            Kind::TextError | Kind::EditionWords | Kind::UnusedKey => "briefs check -v",
        }
    }
}

/// What a diagnostic is about: its kind, and the locale, text or figure it concerns (none: the whole project).
/// A build of a selection is refused only for problems about what it builds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct About {
    /// What kind of problem it is, when many alike are told in one line.
    pub kind: Option<Kind>,
    /// The locale it concerns.
    pub locale: Option<LocaleTag>,
    /// The locale key (text) it concerns.
    pub key: Option<String>,
    /// The fact it concerns.
    pub fact: Option<String>,
    /// A problem outside the selection a command works on, told as a warning.
    pub outside: bool,
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
    /// What it is about (boxed: most diagnostics say little of it, and a result carrying one stays small).
    pub about: Box<About>,
}

impl Diagnostic {
    /// An application error with no place in a file (a flag, a selection).
    pub fn plain(message: impl Into<String>) -> Self {
        Self::error(Loc::default(), message)
    }

    /// An error at a location.
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Self { severity: Severity::Error, loc, message: message.into(), hint: None, about: Box::default() }
    }

    /// A warning at a location.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, loc, message: message.into(), hint: None, about: Box::default() }
    }

    /// Adds a hint on what to do.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Says what kind of problem it is and which locale and text it concerns.
    pub fn text(mut self, kind: Kind, locale: &str, key: &str) -> Self {
        *self.about = About { kind: Some(kind), locale: Some(locale.into()), key: Some(key.into()), ..*self.about };
        self
    }

    /// Says what kind of problem it is and which locale it concerns.
    pub fn in_locale(mut self, kind: Option<Kind>, locale: &str) -> Self {
        *self.about = About { kind, locale: Some(locale.into()), ..*self.about };
        self
    }

    /// Says what kind of problem it is and which text it concerns, in every locale.
    pub fn about_key(mut self, kind: Kind, key: &str) -> Self {
        *self.about = About { kind: Some(kind), key: Some(key.into()), ..*self.about };
        self
    }

    /// Says what kind of problem it is and which fact it concerns.
    pub fn fact(mut self, kind: Kind, fact: &str) -> Self {
        *self.about = About { kind: Some(kind), fact: Some(fact.into()), ..*self.about };
        self
    }

    /// Says what kind of problem it is.
    pub fn kind(mut self, kind: Kind) -> Self {
        self.about.kind = Some(kind);
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

    /// Renders every diagnostic once, errors first, then sorted by place (tests print reports this way).
    #[cfg(test)]
    pub fn render(&self, root: &Path) -> String {
        self.blocks(root, Detail::Full, &[]).join("\n")
    }

    /// What to print, errors first, then sorted by place: each diagnostic rendered; with `Detail::Summary`, warnings
    /// of one kind and locale (other than the `listed` kinds) as one line when there are several; with
    /// `Detail::Errors`, no warnings.
    pub fn blocks(&self, root: &Path, detail: Detail, listed: &[Kind]) -> Vec<String> {
        let mut items = self.items.clone();
        items.sort_by(|a, b| (a.severity, &a.loc).cmp(&(b.severity, &b.loc)));
        items.dedup_by(|a, b| same(a, b));
        let group = |d: &Diagnostic| {
            let kind = d.about.kind.filter(|k| detail == Detail::Summary && !listed.contains(k))?;
            (d.severity == Severity::Warning).then(|| (kind, d.about.locale.clone(), d.about.outside))
        };
        let mut counts: std::collections::BTreeMap<(Kind, Option<LocaleTag>, bool), usize> = Default::default();
        for g in items.iter().filter_map(group) {
            *counts.entry(g).or_default() += 1;
        }
        let mut out = Vec::new();
        for d in &items {
            if detail == Detail::Errors && d.severity == Severity::Warning {
                continue;
            }
            match group(d).and_then(|g| counts.get(&g).filter(|n| **n > 1).map(|n| (g, *n))) {
                Some(((kind, locale, outside), n)) => {
                    let line = summary_line(kind, n, locale.as_deref(), outside);
                    if !out.contains(&line) {
                        out.push(line);
                    }
                }
                None => out.push(d.render(root)),
            }
        }
        out
    }
}

/// One line for `n` warnings of a kind in a locale.
fn summary_line(kind: Kind, n: usize, locale: Option<&str>, outside: bool) -> String {
    let place = if outside { ", outside what this command builds" } else { "" };
    format!("warning: {}{place}: `{}` lists them\n", kind.count(n, locale), kind.lister())
}

/// How much of a report to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Errors only (`-q`).
    Errors,
    /// Errors in full; warnings in full, but several of one kind and locale as one line (the default).
    Summary,
    /// Everything in full (`-v`).
    Full,
}

/// The closest known name to an unknown one, if one is close enough to be a typo (for "did you mean").
pub fn did_you_mean<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distance for most typos; Jaro-Winkler for short ids, where one letter is a large share (`usa`, `us`).
    let score = |k: &str| strsim::normalized_damerau_levenshtein(name, k).max(strsim::jaro_winkler(name, k) - 0.15);
    known
        .into_iter()
        .map(|k| (score(k), k))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
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

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggestions_catch_typos_of_long_and_short_ids() {
        assert_eq!(
            did_you_mean("port_laredo_freigth_2025", ["port_laredo_freight_2025", "n"]),
            Some("port_laredo_freight_2025")
        );
        assert_eq!(did_you_mean("usa", ["us", "mx", "ca"]), Some("us"));
        assert_eq!(did_you_mean("generl", ["general", "academia"]), Some("general"));
        assert_eq!(did_you_mean("something_else", ["port_laredo_freight_2025", "n"]), None);
        assert_eq!(did_you_mean("de", ["us", "mx", "ca"]), None);
    }
}
