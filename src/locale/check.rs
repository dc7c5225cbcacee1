//! Checks of every locale against the reference (en-US): missing and extra keys, the figures each text states,
//! and texts a final build refuses as untranslated.

use std::collections::{BTreeMap, BTreeSet};

use super::fingerprint::{self, Status, Store, Why};
use super::keys::{ARGUMENTS, is_argument, is_optional};
use super::texts::{Names, did_you_mean};
use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Loc, Report};
use crate::model::Model;

/// Checks every locale against the reference: the texts themselves (grammar, placeholder ids, the figures
/// each translation states; see [`super::texts::check`]), and missing and extra keys. With `reference_only`,
/// only the en-US texts are checked (an export for translators needs no more).
pub fn check_completeness(model: &Model, locales: &BTreeMap<String, Locale>, reference_only: bool) -> Report {
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
    let facts: BTreeSet<String> = model.facts.keys().cloned().collect();
    let sources: BTreeSet<String> = model.sources.keys().cloned().collect();
    let names = Names { facts: &facts, sources: &sources, is_argument: &is_argument, arguments: &ARGUMENTS };
    report.extend(super::texts::check(&names, locales, reference_only));
    for loc in locales.values().filter(|l| l.tag != REFERENCE && !reference_only) {
        for key in reference.keys.keys().filter(|k| !is_optional(k) && !loc.keys.contains_key(*k)) {
            report.push(
                Diagnostic::error(loc.key_loc(key), format!("locale {} is missing key `{key}`", loc.tag)).with_hint(
                    format!(
                        "add it to {} (en-US has it at {}), or export the missing texts for a translator: briefs i18n export --locale {} --only missing",
                        loc.key_loc(key).file.display(),
                        reference.key_loc(key),
                        loc.tag
                    ),
                ),
            );
        }
        for key in loc.keys.keys() {
            if !reference.keys.contains_key(key) && !is_optional(key) {
                let hint = match did_you_mean(key, reference.keys.keys().map(String::as_str)) {
                    Some(s) => format!("en-US has no such key: did you mean `{s}`?"),
                    None => "en-US has no such key: check its spelling".to_string(),
                };
                report.push(
                    Diagnostic::error(loc.key_loc(key), format!("unknown key `{key}` in locale {}", loc.tag))
                        .with_hint(hint),
                );
            }
        }
    }
    report
}

/// Warnings for translations that are not up to date: stale texts (en-US changed since), one per locale and
/// key, and per locale the texts no fingerprint records as translated. Final builds refuse both.
pub fn translation_status(locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        let mut unrecorded = Vec::new();
        let mut copied = None;
        for (key, en) in reference.keys.iter().filter(|(k, _)| !is_optional(k)) {
            match Store::status(loc.store.as_ref(), &loc.tag, key, en, loc.keys.get(key).map(String::as_str)) {
                Status::Stale(_) => report.push(
                    Diagnostic::warning(
                        loc.key_loc(key),
                        format!("stale: {} {key} (en-US changed since it was translated)", loc.tag),
                    )
                    .with_hint(format!(
                        "update the translation (en-US has it at {}), then `briefs i18n mark-reviewed --locale {} --key {key}`; or send it to a translator: `briefs i18n export --locale {} --only stale`",
                        reference.key_loc(key),
                        loc.tag,
                        loc.tag
                    )),
                ),
                Status::Untranslated(Why::NoRecord) => unrecorded.push(key.as_str()),
                Status::Untranslated(Why::OtherLocale(other)) => {
                    copied = Some(other);
                    unrecorded.push(key.as_str());
                }
                _ => {}
            }
        }
        let path = fingerprint::path(&loc.tag);
        if let Some(other) = copied {
            report.push(
                Diagnostic::warning(
                    Loc::file(&path),
                    format!(
                        "untranslated: the fingerprints of {} were written for {other} (a copied folder?), so none of its {} texts counts as translated",
                        loc.tag,
                        unrecorded.len()
                    ),
                )
                .with_hint(format!(
                    "translate the texts (briefs i18n export --locale {}), import them, or record reviewed texts with `briefs i18n mark-reviewed --locale {}`",
                    loc.tag, loc.tag
                )),
            );
        } else if !unrecorded.is_empty() {
            let shown: Vec<&str> = unrecorded.iter().take(5).copied().collect();
            let more = if unrecorded.len() > shown.len() {
                format!(" and {} more", unrecorded.len() - shown.len())
            } else {
                String::new()
            };
            report.push(
                Diagnostic::warning(
                    Loc::file(&path),
                    format!(
                        "untranslated: {} text(s) of {} are not recorded as translated: {}{more}",
                        unrecorded.len(),
                        loc.tag,
                        shown.join(", ")
                    ),
                )
                .with_hint(format!(
                    "after checking them, record them: `briefs i18n mark-reviewed --locale {} --key KEY` (or import them from a translator's XLIFF)",
                    loc.tag
                )),
            );
        }
    }
    report
}

/// Per locale: texts en-US has, texts translated and current, missing, stale and untranslated; a locale of
/// `tags` that did not load gets a row saying so.
pub fn coverage(locales: &BTreeMap<String, Locale>, tags: &BTreeSet<String>) -> Vec<String> {
    let Some(reference) = locales.get(REFERENCE) else { return Vec::new() };
    let mut lines = vec![format!(
        "{:<8} {:>6} {:>10} {:>8} {:>6} {:>12} {:>7}",
        "locale", "texts", "translated", "missing", "stale", "untranslated", "cover"
    )];
    for loc in locales.values() {
        let (mut ok, mut missing, mut stale, mut untranslated) = (0, 0, 0, 0);
        let keys: Vec<(&String, &String)> = reference.keys.iter().filter(|(k, _)| !is_optional(k)).collect();
        for (key, en) in &keys {
            if loc.tag == REFERENCE {
                ok += 1;
                continue;
            }
            match Store::status(loc.store.as_ref(), &loc.tag, key, en, loc.keys.get(*key).map(String::as_str)) {
                Status::Current(_) => ok += 1,
                Status::Missing => missing += 1,
                Status::Stale(_) => stale += 1,
                Status::Untranslated(_) => untranslated += 1,
            }
        }
        let total = keys.len();
        let pct = if total == 0 { 100.0 } else { ok as f64 * 100.0 / total as f64 };
        lines
            .push(format!("{:<8} {total:>6} {ok:>10} {missing:>8} {stale:>6} {untranslated:>12} {pct:>6.1}%", loc.tag));
    }
    for tag in tags.iter().filter(|t| !locales.contains_key(*t)) {
        lines.push(format!("{tag:<8} (does not load: see the errors below)"));
    }
    lines
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
