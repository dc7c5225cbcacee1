//! A locale's glossary (`locales/<tag>/glossary.yaml`): en-US terms and the rendering the locale requires
//! wherever the en-US text uses them (USMCA → T-MEC), checked on every text.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Report};
use crate::io::{parse_yaml, read_text, sloc};

/// The glossary's file name in a locale folder (not a file of words).
pub const FILE: &str = "glossary.yaml";

/// One glossary entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The en-US term, matched as whole words whatever its case.
    pub term: Spanned<String>,
    /// What the locale writes for it, matched exactly but for a capital first letter.
    #[serde(rename = "use")]
    pub rendering: String,
    /// Why, for translators.
    #[serde(default)]
    #[allow(dead_code)]
    pub note: Option<String>,
}

/// Reads a locale folder's glossary; none when the folder has no glossary file.
pub fn load(root: &Path, dir: &Path) -> Result<Vec<Term>, Diagnostic> {
    let rel = dir.join(FILE);
    if !root.join(&rel).is_file() {
        return Ok(Vec::new());
    }
    read_text(root, &rel).and_then(|t| parse_yaml(&rel, &t))
}

/// The text with its `{placeholders}` blanked (a fact id such as `{atp_deficit_2025}` is not words).
fn words_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        if depth > 0 || c == '}' {
            out.push(' ');
        }
    }
    out
}

/// Whether `text` holds `term` as whole words, whatever the case.
fn has_term(text: &str, term: &str) -> bool {
    let (text, term) = (words_only(text).to_lowercase(), term.to_lowercase());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(&term)
        .any(|(i, _)| !word(text[..i].chars().next_back()) && !word(text[i + term.len()..].chars().next()))
}

/// Whether `text` holds `rendering` as written, or with its first letter capitalised (at a sentence start).
fn has_rendering(text: &str, rendering: &str) -> bool {
    let mut chars = rendering.chars();
    let capital = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
    text.contains(rendering) || text.contains(&capital)
}

/// Warnings for every text whose en-US words use a glossary term while the translation lacks its rendering.
pub fn check(locales: &BTreeMap<String, Locale>, needs: &super::needs::Needs) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    for locale in locales.values().filter(|l| l.tag != REFERENCE) {
        let file = locale.dir.join(FILE);
        for entry in &locale.glossary {
            for (key, en) in &reference.keys {
                let Some(text) = locale.keys.get(key).filter(|_| needs.needs(&locale.tag, key)) else { continue };
                if has_term(en, &entry.term.value) && !has_rendering(text, &entry.rendering) {
                    report.push(
                        Diagnostic::warning(
                            locale.key_loc(key),
                            format!(
                                "`{key}` in {} does not use `{}`, the glossary's rendering of `{}`",
                                locale.tag, entry.rendering, entry.term.value
                            ),
                        )
                        .with_hint(format!(
                            "the en-US text says `{}`; write `{}` (glossary entry at {})",
                            entry.term.value,
                            entry.rendering,
                            sloc(&file, &entry.term)
                        ))
                        .text(crate::diag::Kind::Glossary, &locale.tag, key),
                    );
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_whole_words_and_renderings_may_start_a_sentence() {
        assert!(has_term("The USMCA's review", "USMCA"));
        assert!(has_term("the joint review of 2026", "Joint Review"));
        assert!(!has_term("USMCAs", "USMCA"), "part of a word");
        assert!(!has_term("a deficit of {atp_deficit_2025}", "ATP"), "a placeholder is not words");
        assert!(has_rendering("Examen conjoint de 2026", "examen conjoint"));
        assert!(!has_rendering("Examen Conjoint de 2026", "examen conjoint"), "capitals inside do not match");
        assert!(has_rendering("le T-MEC", "T-MEC"));
    }

    #[test]
    fn a_text_missing_the_rendering_is_warned_about_once_at_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let en =
            super::super::fixture::load(dir.path(), "en-US", &[("note", "a: The USMCA works\nb: NAFTA then USMCA\n")]);
        let mut fr = super::super::fixture::load(
            dir.path(),
            "fr-CA",
            &[("note", "a: L'ACEUM fonctionne\nb: L'ALENA puis le T-MEC\n")],
        );
        std::fs::write(dir.path().join("locales/fr-CA/glossary.yaml"), "- term: USMCA\n  use: ACEUM\n").unwrap();
        fr.glossary = load(dir.path(), &fr.dir).unwrap();
        let locales = BTreeMap::from([("en-US".to_string(), en), ("fr-CA".to_string(), fr)]);
        let report = check(&locales, &super::super::needs::Needs::all());
        let shown: Vec<String> = report.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
        assert_eq!(
            shown,
            [
                "locales/fr-CA/note.yaml:2:1: `note.b` in fr-CA does not use `ACEUM`, the glossary's rendering of `USMCA`"
            ]
        );
        assert!(report.items[0].hint.as_deref().unwrap_or_default().contains("locales/fr-CA/glossary.yaml:1:9"));
    }
}
