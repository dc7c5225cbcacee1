//! A locale's glossary (`locales/<tag>/glossary.yaml`): en-US terms and the rendering the locale requires
//! wherever the en-US text uses them (USMCA → T-MEC), checked on every text; and the renderings it must not use
//! for them (`avoid`), refused where they come back.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Report};
use crate::ids::LocaleTag;
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
    /// Renderings the locale must not write for the term ("offre" for *availability*): whole words, whatever
    /// the case, refused in every text whose en-US text uses the term.
    #[serde(default)]
    pub avoid: Vec<String>,
    /// Refuse the `avoid` renderings in every text of the locale, not only where the en-US text uses the term
    /// (a half-English name, a rendering the locale never wants).
    #[serde(default)]
    pub everywhere: bool,
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
    find_words(text, term).is_some()
}

/// The byte offset in `text` of the first place it holds `words` as whole words, whatever the case (outside
/// placeholders). When lower-casing changes the text's length the offset is 0 (the text's start).
fn find_words(text: &str, words: &str) -> Option<usize> {
    let lower = words_only(text).to_lowercase();
    let words = words.to_lowercase();
    if words.is_empty() {
        return None;
    }
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let at = lower
        .match_indices(&words)
        .map(|(i, _)| i)
        .find(|&i| !word(lower[..i].chars().next_back()) && !word(lower[i + words.len()..].chars().next()))?;
    Some(if lower.len() == text.len() { at } else { 0 })
}

/// Whether `text` holds `rendering` as written, or with its first letter capitalised (at a sentence start).
fn has_rendering(text: &str, rendering: &str) -> bool {
    let mut chars = rendering.chars();
    let capital = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
    text.contains(rendering) || text.contains(&capital)
}

/// Warnings for every text whose en-US words use a glossary term while the translation lacks its rendering;
/// errors, at the words themselves, for every rendering the glossary refuses (`avoid`) where it applies: in texts
/// whose en-US words use the term, or in every text of the locale (`everywhere`, its own source names too).
pub fn check(locales: &BTreeMap<LocaleTag, Locale>, needs: &super::needs::Needs) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    for locale in locales.values().filter(|l| l.tag != REFERENCE) {
        let file = locale.dir.join(FILE);
        for entry in &locale.glossary {
            for (key, text) in &locale.keys {
                let en = reference.keys.get(key);
                if (en.is_none() && !super::keys::is_optional(key)) || !needs.needs(&locale.tag, key) {
                    continue;
                }
                let uses_term = en.is_some_and(|en| has_term(en, &entry.term.value));
                if uses_term || entry.everywhere {
                    for avoided in &entry.avoid {
                        let Some(at) = find_words(text, avoided) else { continue };
                        let loc = locale.spans.loc(key, at).unwrap_or_else(|| locale.key_loc(key));
                        let why = if uses_term {
                            format!("its en-US text says `{}`", entry.term.value)
                        } else {
                            "the glossary refuses it in every text".to_string()
                        };
                        report.push(
                            Diagnostic::error(
                                loc,
                                format!(
                                    "`{key}` in {} writes `{avoided}`, which the glossary refuses for `{}` ({why})",
                                    locale.tag, entry.term.value
                                ),
                            )
                            .with_hint(format!(
                                "write `{}`, the glossary's rendering of `{}` (glossary entry at {})",
                                entry.rendering,
                                entry.term.value,
                                sloc(&file, &entry.term)
                            ))
                            .text(crate::diag::Kind::TextError, &locale.tag, key),
                        );
                    }
                }
                if uses_term && !has_rendering(text, &entry.rendering) {
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
        let locales = BTreeMap::from([(LocaleTag::from("en-US"), en), (LocaleTag::from("fr-CA"), fr)]);
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

    /// The locale's errors and warnings as `place: message`, for a glossary and note texts in en-US and fr-CA.
    fn located(glossary: &str, en: &str, fr: &str) -> (Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let en = super::super::fixture::load(dir.path(), "en-US", &[("note", en)]);
        let mut fr = super::super::fixture::load(dir.path(), "fr-CA", &[("note", fr)]);
        std::fs::write(dir.path().join("locales/fr-CA/glossary.yaml"), glossary).unwrap();
        fr.glossary = load(dir.path(), &fr.dir).unwrap();
        let locales = BTreeMap::from([(LocaleTag::from("en-US"), en), (LocaleTag::from("fr-CA"), fr)]);
        let report = check(&locales, &super::super::needs::Needs::all());
        let shown = |sev: crate::diag::Severity| -> Vec<String> {
            report
                .items
                .iter()
                .filter(|d| d.severity == sev)
                .map(|d| format!("{}: {} | {}", d.loc, d.message, d.hint.as_deref().unwrap_or_default()))
                .collect()
        };
        (shown(crate::diag::Severity::Error), shown(crate::diag::Severity::Warning))
    }

    #[test]
    fn words_are_found_whole_at_their_byte_offset_outside_placeholders() {
        assert_eq!(find_words("L’offre intérieure", "offre"), Some("L’".len()));
        assert_eq!(find_words("les offres", "offre"), None, "part of a word");
        assert_eq!(find_words("{offre} et rien", "offre"), None, "a placeholder is not words");
        assert_eq!(find_words("La Sécurité juridique", "sécurité juridique"), Some(3), "whatever the case");
        assert_eq!(find_words("rien", ""), None);
    }

    #[test]
    fn an_avoided_rendering_is_an_error_at_its_own_place_where_en_us_uses_the_term() {
        let glossary = "- term: availability\n  use: disponibilité\n  avoid: [offre]\n";
        let (errors, warnings) = located(
            glossary,
            "a: 35% of availability depends on imports\nb: Supply grew\n",
            "a: 35 % de l’offre dépend des importations\nb: L’offre a augmenté\n",
        );
        assert_eq!(
            errors,
            ["locales/fr-CA/note.yaml:1:14: `note.a` in fr-CA writes `offre`, which the glossary refuses for \
              `availability` (its en-US text says `availability`) | write `disponibilité`, the glossary's rendering \
              of `availability` (glossary entry at locales/fr-CA/glossary.yaml:1:9)"],
            "`note.b` renders *supply*, where `offre` is right"
        );
        assert_eq!(warnings.len(), 1, "the rendering is missing too: {warnings:?}");
        assert!(warnings[0].starts_with("locales/fr-CA/note.yaml:1:1: `note.a` in fr-CA does not use `disponibilité`"));
        // Beside the rendering the avoided word is still refused; the rendering alone passes.
        let (errors, warnings) =
            located(glossary, "a: 35% of availability\n", "a: 35 % de la disponibilité, l’offre mise à part\n");
        assert_eq!(errors.len(), 1, "the avoided word is refused even beside the rendering: {errors:?}");
        assert!(warnings.is_empty(), "{warnings:?}");
        let (errors, warnings) = located(glossary, "a: 35% of availability\n", "a: 35 % de la disponibilité\n");
        assert!(errors.is_empty() && warnings.is_empty(), "{errors:?} {warnings:?}");
    }

    #[test]
    fn an_entry_marked_everywhere_refuses_its_avoided_renderings_in_every_text() {
        let glossary =
            "- term: certainty\n  use: prévisibilité\n  avoid: [sécurité juridique, certitude]\n  everywhere: true\n";
        let (errors, _) = located(
            glossary,
            "a: Investors need certainty\nb: A clear legal frame\n",
            "a: Les investisseurs ont besoin de prévisibilité\nb: \"Un cadre clair, gage de sécurité juridique\"\n",
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with(
                "locales/fr-CA/note.yaml:2:29: `note.b` in fr-CA writes `sécurité juridique`, which the glossary \
                 refuses for `certainty` (the glossary refuses it in every text)"
            ),
            "{errors:?}"
        );
        // Without `everywhere`, only texts whose en-US uses the term are read.
        let (errors, _) = located(
            &glossary.replace("  everywhere: true\n", ""),
            "a: Investors need certainty\nb: A clear legal frame\n",
            "a: Les investisseurs ont besoin de prévisibilité\nb: Un cadre clair, gage de sécurité juridique\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
    }
}
