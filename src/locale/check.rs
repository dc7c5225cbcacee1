//! Checks of every locale against the reference (en-US): missing and extra keys, the figures each text states,
//! and texts a final build refuses as untranslated.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::{is_argument, is_optional};
use super::{Locale, REFERENCE, placeholders};
use crate::diag::{Diagnostic, Loc, Report};
use crate::model::Model;

/// Checks every locale against the reference: missing and extra keys, placeholder sets.
pub fn check_completeness(model: &Model, locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else {
        report.push(
            Diagnostic::error(
                Loc::file(format!("locales/{REFERENCE}")),
                format!("the reference locale {REFERENCE} is missing"),
            )
            .with_hint("every project needs locales/en-US/; other locales are checked against it"),
        );
        return report;
    };
    for loc in locales.values() {
        for (key, text) in &loc.keys {
            for (name, _) in placeholders(text) {
                if !model.facts.contains_key(&name) && !is_argument(&name) {
                    report.push(
                        Diagnostic::error(
                            loc.key_loc(key),
                            format!("`{key}` uses `{{{name}}}`, which is not a fact id"),
                        )
                        .with_hint("use the id of a fact in data/facts/, or fix its spelling"),
                    );
                }
            }
            let mut seen = BTreeSet::new();
            for (name, _) in placeholders(text) {
                if !seen.insert(name.clone()) {
                    report.push(
                        Diagnostic::error(loc.key_loc(key), format!("`{key}` fills `{{{name}}}` twice"))
                            .with_hint("state each figure once per text"),
                    );
                }
            }
        }
        if loc.tag == REFERENCE {
            continue;
        }
        for (key, text) in &reference.keys {
            if is_optional(key) {
                continue;
            }
            match loc.keys.get(key) {
                None => report.push(
                    Diagnostic::error(loc.key_loc(key), format!("locale {} is missing key `{key}`", loc.tag))
                        .with_hint(format!(
                            "add it to {} (en-US has it at {})",
                            loc.key_loc(key).file.display(),
                            reference.key_loc(key)
                        )),
                ),
                Some(t) => {
                    let want: BTreeSet<String> = placeholders(text).into_iter().map(|p| p.0).collect();
                    let have: BTreeSet<String> = placeholders(t).into_iter().map(|p| p.0).collect();
                    for missing in want.difference(&have) {
                        report.push(
                            Diagnostic::error(
                                loc.key_loc(key),
                                format!("`{key}` in {} does not fill `{{{missing}}}`", loc.tag),
                            )
                            .with_hint("the en-US text states this figure; the translation must too"),
                        );
                    }
                    for extra in have.difference(&want) {
                        report.push(
                            Diagnostic::error(
                                loc.key_loc(key),
                                format!("`{key}` in {} fills `{{{extra}}}`, which en-US does not", loc.tag),
                            )
                            .with_hint("translations state the same figures as the en-US text"),
                        );
                    }
                }
            }
        }
        for key in loc.keys.keys() {
            if !reference.keys.contains_key(key) && !is_optional(key) {
                report.push(
                    Diagnostic::error(loc.key_loc(key), format!("unknown key `{key}` in locale {}", loc.tag))
                        .with_hint("en-US has no such key: check its spelling"),
                );
            }
        }
    }
    report
}

/// Texts a translation has not translated: empty where en-US has words, or en-US's own words (four or more).
///
/// Refused by final builds only; per-locale source names (`sources.names.*`) may match en-US.
pub fn untranslated(locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    let words = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        for (key, text) in &loc.keys {
            let Some(en) = reference.keys.get(key).filter(|_| !is_optional(key)) else { continue };
            let problem = if text.trim().is_empty() && !en.trim().is_empty() {
                "is empty"
            } else if text == en && words(en) >= 4 {
                "is the en-US text word for word"
            } else {
                continue;
            };
            report.push(
                Diagnostic::error(loc.key_loc(key), format!("missing translation: `{key}` in {} {problem}", loc.tag))
                    .with_hint(format!(
                        "translate it (en-US has it at {}); a final build refuses untranslated text",
                        reference.key_loc(key)
                    )),
            );
        }
    }
    report
}

/// Warnings for texts that write the edition's own month and year (`April 2026`) literally: they would still
/// say it in the next edition. The edition comes in through `{month_year}`.
pub fn edition_words(model: &Model, locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    for locale in locales.values() {
        let month_year = locale.fmt.month_year(&model.edition.date).replace('\u{a0}', " ");
        let plain = month_year.to_lowercase();
        for (key, text) in &locale.keys {
            let lower = text.to_lowercase().replace('\u{a0}', " ");
            if lower.contains(&plain) {
                report.push(
                    Diagnostic::warning(
                        locale.key_loc(key),
                        format!(
                            "`{key}` in {} writes the edition's month and year (`{month_year}`) literally",
                            locale.tag
                        ),
                    )
                    .with_hint("write `{month_year}` (the template gives it) so the next edition says its own date"),
                );
            }
        }
    }
    report
}
