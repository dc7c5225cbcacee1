//! Problems inside locale texts, located at their own line and column: grammar (stray braces, open bold),
//! unknown placeholder ids with a "did you mean", placeholders filled twice, and the figures a translation
//! states against its en-US text. A problem of an en-US text is reported once, against en-US.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Kind, Loc, Report};
use crate::ids::LocaleTag;
use crate::placeholder::{self, Filter};
use crate::yamlspan::{self, Scalar};

/// Where every text of a locale is written: each key's file and scalar, with the files' text.
#[derive(Debug, Default)]
pub struct Positions {
    /// The text of each file, by path relative to the root.
    texts: BTreeMap<PathBuf, String>,
    /// Each full key's file and scalar.
    at: BTreeMap<String, (PathBuf, Scalar)>,
    /// Full keys per file stem, in file order.
    order: Vec<(String, Vec<String>)>,
}

impl Positions {
    /// Adds the texts of one word file (`stem` is its name without `.yaml`); a file that does not parse adds none.
    pub fn add(&mut self, rel: &Path, stem: &str, text: &str) {
        let Ok(scalars) = yamlspan::scalars(text) else { return };
        let mut keys = Vec::new();
        for s in scalars {
            let key = format!("{stem}.{}", s.key);
            keys.push(key.clone());
            self.at.insert(key, (rel.to_path_buf(), s));
        }
        self.order.push((stem.to_string(), keys));
        self.texts.insert(rel.to_path_buf(), text.to_string());
    }

    /// The place of a byte offset inside a key's text.
    pub fn loc(&self, key: &str, offset: usize) -> Option<Loc> {
        let (file, scalar) = self.at.get(key)?;
        let text = self.texts.get(file)?;
        let (line, col) = yamlspan::line_col(text, scalar.file_offset(text, offset));
        Some(Loc::new(file, line, col))
    }

    /// The keys of each file (by stem) in the order they are written.
    pub fn order(&self) -> &[(String, Vec<String>)] {
        &self.order
    }
}

/// Whether a YAML file of a locale folder holds words (not `locale.yaml`, the glossary nor the fingerprints).
pub fn is_words_file(rel: &Path) -> bool {
    rel.file_name()
        .is_some_and(|n| n != "locale.yaml" && n != super::glossary::FILE && n != super::fingerprint::FILE_NAME)
}

pub use crate::diag::did_you_mean;

/// What the checks need to know about the project's names.
pub struct Names<'a> {
    /// Fact ids.
    pub facts: &'a BTreeSet<String>,
    /// Source ids (`data/sources.yaml`), which `{id|cite}` may name.
    pub sources: &'a BTreeSet<String>,
    /// Whether a name is an argument templates fill.
    pub is_argument: &'a dyn Fn(&str) -> bool,
    /// Argument names, for suggestions.
    pub arguments: &'a [&'a str],
}

impl Names<'_> {
    /// Whether a placeholder name is known: a fact or an argument, or for a citation a source or a fact.
    fn known(&self, name: &str, filter: Filter) -> bool {
        match filter {
            Filter::Cite => self.sources.contains(name) || self.facts.contains(name),
            Filter::Value | Filter::Abs => self.facts.contains(name) || (self.is_argument)(name),
            // Words are looked up for a fact's number; arguments are words already.
            Filter::Words => self.facts.contains(name),
        }
    }

    /// An error for an unknown name at a place, with a suggestion.
    fn unknown(&self, loc: Loc, key: &str, tag: &str, name: &str, filter: Filter) -> Diagnostic {
        let written = filter.written(name);
        if filter == Filter::Cite {
            let known = self.sources.iter().chain(self.facts.iter()).map(String::as_str);
            let hint = match did_you_mean(name, known) {
                Some(s) => format!(
                    "did you mean `{}`? (a citation names a source of data/sources.yaml or a fact)",
                    filter.written(s)
                ),
                None => "use the id of a source in data/sources.yaml or of a fact in data/facts/".to_string(),
            };
            return Diagnostic::error(
                loc,
                format!("`{key}` in {tag} uses `{written}`, which cites no known source or fact"),
            )
            .with_hint(hint);
        }
        let known = self.facts.iter().map(String::as_str).chain(self.arguments.iter().copied());
        let hint = match did_you_mean(name, known) {
            Some(s) => format!("did you mean `{{{s}}}`? (a placeholder names a fact of data/facts/ or an argument)"),
            None => "use the id of a fact in data/facts/, or fix its spelling".to_string(),
        };
        Diagnostic::error(loc, format!("`{key}` in {tag} uses `{written}`, which is not a fact id")).with_hint(hint)
    }
}

/// What a translation must state of a placeholder: its name, and whether it is a citation (`|abs` may differ).
fn stated(name: &str, filter: Filter) -> String {
    if filter == Filter::Cite { Filter::Cite.written(name) } else { format!("{{{name}}}") }
}

/// Every problem inside the texts of all locales, each located at its own line and column.
///
/// The en-US texts are checked first, and a translation is not blamed for a placeholder the en-US text
/// gets wrong.
pub fn check(names: &Names, locales: &BTreeMap<LocaleTag, Locale>, reference_only: bool) -> Report {
    let mut report = Report::default();
    let reference = locales.get(REFERENCE);
    // Keys whose en-US text names an unknown placeholder: translations are not compared on them.
    let mut broken_en: BTreeSet<&str> = BTreeSet::new();
    let order = std::iter::once(REFERENCE)
        .chain(locales.keys().map(LocaleTag::as_str).filter(|t| *t != REFERENCE && !reference_only));
    for tag in order {
        let Some(loc) = locales.get(tag) else { continue };
        let at = |key: &str, offset: usize| loc.spans.loc(key, offset).unwrap_or_else(|| loc.key_loc(key));
        for (key, text) in &loc.keys {
            for (problem, offset) in placeholder::problems(text) {
                report.push(
                    Diagnostic::error(at(key, offset), format!("`{key}` in {tag} has {problem}"))
                        .with_hint(problem.hint())
                        .text(Kind::TextError, tag, key),
                );
            }
            let en_text = reference.and_then(|r| r.keys.get(key)).filter(|_| tag != REFERENCE);
            let en_names: BTreeSet<String> = en_text
                .map(|t| placeholder::placeholders(t).into_iter().map(|p| stated(p.0, p.1)).collect())
                .unwrap_or_default();
            let mut seen = BTreeSet::new();
            for (name, filter, offset) in placeholder::placeholders(text) {
                if !names.known(name, filter) {
                    if tag == REFERENCE {
                        broken_en.insert(key.as_str());
                    }
                    if !en_names.contains(&stated(name, filter)) {
                        report.push(names.unknown(at(key, offset), key, tag, name, filter).text(
                            Kind::TextError,
                            tag,
                            key,
                        ));
                    }
                } else if !seen.insert(stated(name, filter)) {
                    report.push(
                        Diagnostic::error(
                            at(key, offset),
                            format!("`{key}` in {tag} fills `{}` twice", filter.written(name)),
                        )
                        .with_hint("state each figure and citation once per text")
                        .text(Kind::TextError, tag, key),
                    );
                }
            }
            let Some(en_text) = en_text.filter(|_| !broken_en.contains(key.as_str())) else { continue };
            let want: BTreeSet<String> =
                placeholder::placeholders(en_text).into_iter().map(|p| stated(p.0, p.1)).collect();
            let have: Vec<(String, usize, bool)> = placeholder::placeholders(text)
                .into_iter()
                .map(|p| (stated(p.0, p.1), p.2, names.known(p.0, p.1)))
                .collect();
            for missing in want.iter().filter(|w| !have.iter().any(|h| &h.0 == *w)) {
                report.push(
                    Diagnostic::error(loc.key_loc(key), format!("`{key}` in {tag} does not fill `{missing}`"))
                        .with_hint("the en-US text states this figure or citation; the translation must too")
                        .text(Kind::TextError, tag, key),
                );
            }
            for (extra, offset, _) in have.iter().filter(|h| !want.contains(&h.0) && h.2) {
                report.push(
                    Diagnostic::error(
                        at(key, *offset),
                        format!("`{key}` in {tag} fills `{extra}`, which en-US does not"),
                    )
                    .with_hint("translations state the same figures and citations as the en-US text")
                    .text(Kind::TextError, tag, key),
                );
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        let known = ["port_laredo_freight_2025", "port_detroit_truck_freight_2025", "n"];
        assert_eq!(did_you_mean("port_laredo_freigth_2025", known), Some("port_laredo_freight_2025"));
        assert_eq!(did_you_mean("something_else", known), None);
    }
}
