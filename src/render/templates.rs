//! Templates, read once with the project: every file under `templates/` and `locales/<tag>/templates/`, confined
//! to the project; and template errors turned into located diagnostics.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use minijinja::{Error, ErrorKind};

use super::{FUEL, err};
use crate::diag::{Diagnostic, Loc, Report};
use crate::io::{io_reason, utf8_error};

/// The shared templates folder.
const SHARED: &str = "templates";

/// Every template file of a project, by its path relative to the root.
#[derive(Debug, Default)]
pub struct Templates {
    files: BTreeMap<PathBuf, String>,
}

impl Templates {
    /// Reads `templates/` and each locale's `templates/` folder; a file that is not UTF-8 or resolves outside the
    /// project (a symbolic link) is an error.
    pub fn load(root: &Path, locale_dirs: &[PathBuf]) -> Result<Templates, Report> {
        let mut report = Report::default();
        let mut files = BTreeMap::new();
        let canonical_root = root.canonicalize().ok();
        let mut dirs = vec![PathBuf::from(SHARED)];
        dirs.extend(locale_dirs.iter().map(|d| d.join(SHARED)));
        for dir in dirs {
            let mut found = Vec::new();
            collect(root, &dir, &mut found);
            for rel in found {
                match read(root, canonical_root.as_deref(), &rel) {
                    Ok(text) => {
                        files.insert(rel, text);
                    }
                    Err(d) => report.push(d),
                }
            }
        }
        if report.has_errors() { Err(report) } else { Ok(Templates { files }) }
    }

    /// Templates from texts (`("templates/doc.typ.j2", "..")`), for tests.
    #[cfg(test)]
    pub fn from_files(files: &[(&str, &str)]) -> Templates {
        Templates { files: files.iter().map(|(p, t)| (PathBuf::from(p), t.to_string())).collect() }
    }

    /// The text of a file under the root (`templates/house.typ`), if it was read.
    pub fn file(&self, rel: &Path) -> Option<&str> {
        self.files.get(rel).map(String::as_str)
    }

    /// The template a document or an include names: the locale's override first, then the shared one. A name with
    /// `..`, a root or a drive is refused.
    pub fn get(&self, locale_dir: &Path, name: &str) -> Result<Option<String>, Error> {
        let rel = Path::new(name);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(err(format!(
                "template name `{name}` leaves the templates folder (templates can include only files under templates/ or locales/<tag>/templates/)"
            )));
        }
        let over = locale_dir.join(SHARED).join(rel);
        Ok(self.files.get(&over).or_else(|| self.files.get(&Path::new(SHARED).join(rel))).cloned())
    }

    /// Where a template lives, for messages: the locale's override if it has one.
    pub fn path(&self, locale_dir: &Path, name: &str) -> PathBuf {
        let over = locale_dir.join(SHARED).join(name);
        if self.files.contains_key(&over) { over } else { Path::new(SHARED).join(name) }
    }
}

impl Templates {
    /// The template line that produced a line of generated Typst, when one line alone can have: its file, line and
    /// the column (when the template line is the generated line word for word, else 0). The document's own
    /// template is searched first, then every other template (the ones it extends or includes).
    pub fn trace(&self, locale_dir: &Path, name: &str, generated: &str, col: u64) -> Option<(PathBuf, u64, u64)> {
        let own = self.path(locale_dir, name);
        let matches = |file: &PathBuf| -> Vec<(PathBuf, u64, u64)> {
            let Some(text) = self.files.get(file) else { return Vec::new() };
            text.lines()
                .enumerate()
                .filter(|(_, l)| produces(l, generated))
                .map(|(i, l)| (file.clone(), i as u64 + 1, if l.trim_end() == generated.trim_end() { col } else { 0 }))
                .collect()
        };
        let found = matches(&own);
        if let [one] = found.as_slice() {
            return Some(one.clone());
        }
        if !found.is_empty() {
            return None;
        }
        let others: Vec<_> = self
            .files
            .keys()
            .filter(|f| *f != &own && f.extension().is_some_and(|e| e == "j2"))
            .filter(|f| f.starts_with(SHARED) || f.starts_with(locale_dir))
            .flat_map(matches)
            .collect();
        match others.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// Whether a template line can have produced a generated line: its literal text (outside `{{ }}`, `{% %}` and
/// `{# #}`) appears in the generated line in order, and says enough (three characters or more) to tell.
fn produces(template_line: &str, generated: &str) -> bool {
    let mut literals = Vec::new();
    let mut rest = template_line;
    while let Some(start) = ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o)).min() {
        literals.push(&rest[..start]);
        let close = match &rest[start..start + 2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        match rest[start + 2..].find(close) {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => return false,
        }
    }
    literals.push(rest);
    let literals: Vec<&str> = literals.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if literals.iter().map(|l| l.chars().filter(|c| !c.is_whitespace()).count()).sum::<usize>() < 3 {
        return false;
    }
    let mut at = 0;
    for l in literals {
        match generated[at..].find(l) {
            Some(i) => at += i + l.len(),
            None => return false,
        }
    }
    true
}

/// The extensions of template files: minijinja templates and Typst layout.
const EXTENSIONS: [&str; 2] = ["j2", "typ"];

/// Every template file under `dir` (relative to the root), recursively, sorted; other files (an out folder
/// placed there, editor backups) are not templates.
fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(root.join(dir)).into_iter().flatten().flatten().map(|e| dir.join(e.file_name())).collect();
    entries.sort();
    for rel in entries {
        if root.join(&rel).is_dir() {
            collect(root, &rel, out);
        } else if rel.extension().is_some_and(|e| EXTENSIONS.iter().any(|x| e == *x)) {
            out.push(rel);
        }
    }
}

/// Reads one template file, refusing one that resolves outside the project or is not UTF-8.
fn read(root: &Path, canonical_root: Option<&Path>, rel: &Path) -> Result<String, Diagnostic> {
    let path = root.join(rel);
    let inside = match (path.canonicalize(), canonical_root) {
        (Ok(p), Some(r)) => p.starts_with(r),
        _ => false,
    };
    if !inside {
        return Err(Diagnostic::error(
            Loc::file(rel),
            format!(
                "template `{}` resolves to a file outside the project (a symbolic link?); templates must live in the project",
                rel.display()
            ),
        )
        .with_hint("replace the link with the file itself, or delete it"));
    }
    let bytes = std::fs::read(&path).map_err(|e| {
        Diagnostic::error(Loc::file(rel), format!("failed to read template {} ({})", rel.display(), io_reason(&e)))
    })?;
    String::from_utf8(bytes).map_err(|e| utf8_error(rel, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// The 1-based column of a template error (0 when unknown) and the failing expression, from debug info.
fn error_column(e: &Error) -> (u64, Option<String>) {
    let (Some(src), Some(range)) = (e.template_source(), e.range()) else { return (0, None) };
    let (Some(before), Some(expr)) = (src.get(..range.start), src.get(range.clone())) else { return (0, None) };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u64 + 1;
    let expr = expr.trim();
    (col, (!expr.is_empty() && !expr.contains('\n')).then(|| expr.to_string()))
}

/// Turns a minijinja error into a located diagnostic, at the innermost template that failed.
pub fn template_diag(templates: &Templates, locale_dir: &Path, e: &Error, main: &str) -> Diagnostic {
    let mut inner = e;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<Error>()) {
        inner = next;
    }
    // An error loading the document's own template carries no name: it is that template.
    let name = inner.name().or(e.name()).unwrap_or(main);
    let file = templates.path(locale_dir, name);
    let line = inner.line().or(e.line()).unwrap_or(0) as u64;
    let mut msg = inner.detail().map(str::to_string).unwrap_or_else(|| inner.kind().to_string());
    let (col, expr) = error_column(inner);
    if let Some(expr) = expr.filter(|_| inner.kind() == ErrorKind::UndefinedError) {
        msg = format!("{msg}: `{expr}`");
    }
    if inner.kind() == ErrorKind::OutOfFuel {
        msg = format!("stopped after {FUEL} steps");
    }
    let hint = match inner.kind() {
        ErrorKind::UndefinedError => {
            "the variable is not defined: check its name against README.md's template reference"
        }
        ErrorKind::SyntaxError => "fix the template syntax at this place",
        ErrorKind::OutOfFuel => "a loop runs too long or never ends; check the loops at and around this place",
        _ => "fix the template or the locale text it uses",
    };
    let what = if inner.kind() == ErrorKind::OutOfFuel { "template ran out of fuel" } else { "template error" };
    let d = Diagnostic::error(Loc::new(file, line, col), format!("{what} ({msg})"));
    if !std::ptr::eq(inner, e)
        && let (Some(outer), Some(l)) = (e.name(), e.line())
    {
        return d.with_hint(format!("{hint}; included from {}:{l}", templates.path(locale_dir, outer).display()));
    }
    d.with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_lines_are_traced_to_the_template_line_that_made_them() {
        assert!(produces("#text(size: 3)[x]", "#text(size: 3)[x]"));
        assert!(produces(
            "#callout[{{ t(\"audiences.\" ~ audience.id ~ \".opening\") }}]",
            "#callout[For the government]"
        ));
        assert!(produces("  title: [{{ t(k ~ \".title\") }}],", "  title: [Trade],"));
        assert!(!produces("{{ sources() }}", "#source-note[Source: BLS.]"), "no literal text: cannot tell");
        assert!(!produces("#callout[{{ x }}]", "#fact-card[x]"));
        let mut t = Templates::default();
        t.files.insert("templates/doc.typ.j2".into(), "= {{ t(\"a\") }}\n#text(size: 3)[x]\n".into());
        t.files.insert("templates/base.typ.j2".into(), "#import \"/house.typ\": *\n".into());
        let dir = Path::new("locales/en-US");
        assert_eq!(t.trace(dir, "doc.typ.j2", "#text(size: 3)[x]", 13), Some(("templates/doc.typ.j2".into(), 2, 13)));
        assert_eq!(
            t.trace(dir, "doc.typ.j2", "#import \"/house.typ\": *", 1),
            Some(("templates/base.typ.j2".into(), 1, 1))
        );
        assert_eq!(t.trace(dir, "doc.typ.j2", "nothing like it", 1), None);
    }
}
