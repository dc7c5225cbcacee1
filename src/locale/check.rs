//! Checks of every locale against the reference (en-US): missing and extra keys, the figures each text states,
//! and texts a final build refuses as untranslated.

use std::collections::{BTreeMap, BTreeSet};

use super::fingerprint::{self, Status, Store, Why};
use super::keys::{ARGUMENTS, is_argument, is_optional};
use super::needs::Needs;
use super::texts::{Names, did_you_mean};
use super::{Locale, REFERENCE};
use crate::diag::{Diagnostic, Kind, Loc, Report};
use crate::ids::LocaleTag;
use crate::model::Model;

/// Checks every locale against the reference: the texts themselves (grammar, placeholder ids, the figures
/// each translation states; see [`super::texts::check`]), missing keys (those the locale `needs`) and extra keys,
/// and en-US files that other locales have but en-US lacks. With `reference_only`, only the en-US texts are
/// checked (an export for translators needs no more).
pub fn check_completeness(
    model: &Model,
    locales: &BTreeMap<LocaleTag, Locale>,
    needs: &Needs,
    reference_only: bool,
) -> Report {
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
    if reference_only {
        return report;
    }
    let missing_files = missing_reference_files(locales, reference);
    report.extend(missing_files.1);
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        let needed = |k: &&String| !is_optional(k) && needs.needs(&loc.tag, k);
        for key in reference.keys.keys().filter(needed).filter(|k| !loc.keys.contains_key(*k)) {
            report.push(
                Diagnostic::error(loc.key_loc(key), format!("locale {} is missing key `{key}`", loc.tag))
                    .with_hint(format!(
                        "add it to {} (en-US has it at {}), or export the missing texts for a translator: briefs i18n export --locale {} --only missing",
                        loc.key_loc(key).file.display(),
                        reference.key_loc(key),
                        loc.tag
                    ))
                    .text(Kind::MissingText, &loc.tag, key),
            );
        }
        for key in loc.keys.keys() {
            let file = key.split('.').next().unwrap_or_default();
            if missing_files.0.contains(file) {
                continue;
            }
            if !reference.keys.contains_key(key) && !is_optional(key) {
                let hint = match did_you_mean(key, reference.keys.keys().map(String::as_str)) {
                    Some(s) => format!("en-US has no such key: did you mean `{s}`?"),
                    None => "en-US has no such key: check its spelling".to_string(),
                };
                report.push(
                    Diagnostic::error(loc.key_loc(key), format!("unknown key `{key}` in locale {}", loc.tag))
                        .with_hint(hint)
                        .text(Kind::TextError, &loc.tag, key),
                );
            }
        }
    }
    report
}

/// The words files other locales have and en-US lacks, with one error for each (not one per key: the file itself is
/// missing, or was renamed).
fn missing_reference_files(locales: &BTreeMap<LocaleTag, Locale>, reference: &Locale) -> (BTreeSet<String>, Report) {
    let en_files: BTreeSet<&str> = reference.keys.keys().filter_map(|k| k.split('.').next()).collect();
    let mut found: BTreeMap<String, Vec<(LocaleTag, usize)>> = BTreeMap::new();
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for file in loc.keys.keys().filter(|k| !is_optional(k)).filter_map(|k| k.split('.').next()) {
            *counts.entry(file).or_default() += 1;
        }
        for (file, n) in counts.into_iter().filter(|(f, _)| !en_files.contains(f)) {
            found.entry(file.to_string()).or_default().push((loc.tag.clone(), n));
        }
    }
    let mut report = Report::default();
    for (file, holders) in &found {
        let named: Vec<String> = holders.iter().map(|(t, n)| format!("locales/{t}/{file}.yaml ({n} texts)")).collect();
        report.push(
            Diagnostic::error(
                Loc::file(reference.dir.join(format!("{file}.yaml"))),
                format!("the en-US words file {file}.yaml is missing, though {} exists", named.join(" and ")),
            )
            .with_hint(format!(
                "every locale's texts are checked against en-US: restore locales/en-US/{file}.yaml (git checkout, or copy it back), or, if its document is gone, delete the other locales' {file}.yaml"
            )),
        );
    }
    (found.into_keys().collect(), report)
}

/// Every unit of the project needs a pattern in every locale (`units:` in `locale.yaml`); a pattern for a unit the
/// project does not have is a warning (a typo, or a unit removed from `data/units.yaml`).
pub fn unit_patterns(root: &std::path::Path, model: &Model, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
    let mut report = Report::default();
    for loc in locales.values() {
        let file = loc.dir.join("locale.yaml");
        let text = crate::io::read_text(root, &file).unwrap_or_default();
        let places = crate::yamlspan::key_places(&text).unwrap_or_default();
        let line_of = |key: &str| places.get(key).map_or_else(|| Loc::file(&file), |(n, _)| Loc::new(&file, *n, 0));
        for unit in model.units.keys().filter(|u| !loc.meta.units.contains_key(*u)) {
            let style = model.units.get(unit).map_or("", |u| u.style().name());
            report.push(
                Diagnostic::error(line_of("units"), format!("locale {} has no pattern for unit `{unit}`", loc.tag))
                    .with_hint(format!(
                        "add `{unit}: \"{{}}\"` under `units:`, with the locale's words around `{{}}` (the number, written as a {style}), e.g. `\"{{}} t\"`"
                    ))
                    .in_locale(None, &loc.tag),
            );
        }
        for name in loc.meta.units.keys().filter(|n| !model.units.contains_key(*n)) {
            let hint = match did_you_mean(name, model.units.keys().map(String::as_str)) {
                Some(u) => format!("did you mean `{u}`? (the units are declared in data/units.yaml)"),
                None => "delete it, or declare the unit in data/units.yaml".to_string(),
            };
            report.push(
                Diagnostic::warning(
                    line_of(&format!("units.{name}")),
                    format!("locale {} has a pattern for `{name}`, which is no unit", loc.tag),
                )
                .with_hint(hint)
                .in_locale(None, &loc.tag),
            );
        }
    }
    report
}

/// Errors for points of the series charts draw whose label has no words in en-US (`labels.<label>`), at the
/// point's own line in `data/series/`: the label is most likely misspelt there.
pub fn series_labels(model: &Model, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    let known: Vec<&str> =
        reference.keys.keys().filter_map(|k| k.strip_prefix("labels.")).filter(|k| !k.contains('.')).collect();
    let drawn: BTreeSet<&str> = model.charts.values().flat_map(|c| c.series.iter().map(|s| s.value.as_str())).collect();
    for (id, series) in model.series.iter().filter(|(id, _)| drawn.contains(id.as_str())) {
        let Some(file) = model.origin.get(id).map(|l| l.file.clone()) else { continue };
        for p in series.points.iter().filter(|p| !reference.keys.contains_key(&super::keys::label(&p.label.value))) {
            let label = &p.label.value;
            let hint = match did_you_mean(label, known.iter().copied()) {
                Some(k) => {
                    format!("did you mean `{k}`? (labels are the keys under `labels:` in locales/en-US/labels.yaml)")
                }
                None => {
                    format!("add `{label}: <words>` under `labels:` in locales/en-US/labels.yaml, or fix the label")
                }
            };
            report.push(
                Diagnostic::error(
                    crate::io::sloc(&file, &p.label),
                    format!("point `{label}` of series `{id}` has no words: en-US has no `labels.{label}`"),
                )
                .with_hint(hint),
            );
        }
    }
    report
}

/// Warnings for translations that are not up to date: stale texts (en-US changed since), one per locale and
/// key, and per locale the texts no fingerprint records as translated. Final builds refuse both.
pub fn translation_status(locales: &BTreeMap<LocaleTag, Locale>, needs: &Needs) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        let mut unrecorded = Vec::new();
        let mut copied = None;
        for (key, en) in reference.keys.iter().filter(|(k, _)| !is_optional(k) && needs.needs(&loc.tag, k)) {
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
                    ))
                    .text(Kind::StaleText, &loc.tag, key),
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
                ))
                .in_locale(Some(Kind::UntranslatedText), &loc.tag),
            );
        } else {
            for key in unrecorded {
                report.push(
                    Diagnostic::warning(
                        loc.key_loc(key),
                        format!("untranslated: {} {key} is not recorded as translated", loc.tag),
                    )
                    .with_hint(format!(
                        "after checking it, record it: `briefs i18n mark-reviewed --locale {} --key {key}` (or import it from a translator's XLIFF)",
                        loc.tag
                    ))
                    .text(Kind::UntranslatedText, &loc.tag, key),
                );
            }
        }
    }
    report
}

/// Per locale: texts en-US has, texts translated and current, missing, stale and untranslated; a locale of
/// `tags` that did not load gets a row saying so.
pub fn coverage(locales: &BTreeMap<LocaleTag, Locale>, tags: &BTreeSet<LocaleTag>, needs: &Needs) -> Vec<String> {
    let Some(reference) = locales.get(REFERENCE) else { return Vec::new() };
    let mut lines = vec![format!(
        "{:<8} {:>6} {:>10} {:>8} {:>6} {:>12} {:>7}",
        "locale", "texts", "translated", "missing", "stale", "untranslated", "cover"
    )];
    for loc in locales.values() {
        let (mut ok, mut missing, mut stale, mut untranslated) = (0, 0, 0, 0);
        let needed = |k: &String| loc.tag == REFERENCE || needs.needs(&loc.tag, k);
        let keys: Vec<(&String, &String)> =
            reference.keys.iter().filter(|(k, _)| !is_optional(k) && needed(k)).collect();
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
pub fn untranslated(locales: &BTreeMap<LocaleTag, Locale>, needs: &Needs) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        for (key, text) in &loc.keys {
            let Some(en) = reference.keys.get(key).filter(|_| !is_optional(key) && needs.needs(&loc.tag, key)) else {
                continue;
            };
            let problem = match fingerprint::untranslated_words(text, en) {
                Some(Why::Empty) => "is empty",
                Some(_) => "is the en-US text word for word",
                None => continue,
            };
            report.push(
                Diagnostic::error(loc.key_loc(key), format!("missing translation: `{key}` in {} {problem}", loc.tag))
                    .with_hint(format!(
                        "translate it (en-US has it at {}); a final build refuses untranslated text",
                        reference.key_loc(key)
                    ))
                    .text(Kind::MissingText, &loc.tag, key),
            );
        }
    }
    report
}

/// Warnings for texts that write the edition's own month and year (`April 2026`) literally: they would still
/// say it in the next edition. The edition comes in through `{month_year}`. Only the words a text writes count
/// (a date fact's placeholder prints a month and year the text does not write), each warned about at its own line
/// and column, and a month and year that is part of a full date ("1 de julio de 2026") names another date, not
/// the edition's.
pub fn edition_words(model: &Model, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
    let mut report = Report::default();
    let edition = &model.edition.date;
    for locale in locales.values() {
        let month_year = locale.fmt.month_year(edition).replace('\u{a0}', " ");
        let wanted = month_year.to_lowercase();
        let (y, m, _) = edition.ymd();
        let days: Vec<String> = (1..=31u8)
            .filter_map(|d| crate::model::EditionDate::parse(&format!("{y:04}-{m:02}-{d:02}")).ok())
            .map(|d| locale.date(&d).replace('\u{a0}', " ").to_lowercase())
            .collect();
        for (key, text) in &locale.keys {
            for token in crate::placeholder::tokenize(text) {
                if token.kind != crate::placeholder::Kind::Text {
                    continue;
                }
                let lower = token.raw.replace('\u{a0}', " ").to_lowercase();
                // Offsets in the lower-case words are offsets in the text when lower-casing kept every length.
                let same_length = lower.len() == token.raw.len();
                for (at, _) in lower.match_indices(&wanted) {
                    let in_full_date = days.iter().any(|day| {
                        lower.match_indices(day.as_str()).any(|(d, _)| d <= at && at + wanted.len() <= d + day.len())
                    });
                    if in_full_date {
                        continue;
                    }
                    let loc = same_length
                        .then(|| locale.spans.loc(key, token.start + at))
                        .flatten()
                        .unwrap_or_else(|| locale.key_loc(key));
                    report.push(
                        Diagnostic::warning(
                            loc,
                            format!(
                                "`{key}` in {} writes the edition's month and year (`{month_year}`) literally",
                                locale.tag
                            ),
                        )
                        .with_hint(
                            "if the words are the edition's date, write `{month_year}` (the template gives it) so the next edition says its own; if they date something else, make that date a fact (`unit: date` in data/facts/) and write its placeholder",
                        )
                        .text(Kind::EditionWords, &locale.tag, key),
                    );
                }
            }
        }
    }
    report
}

/// The line of a top-level key of a locale's `locale.yaml` (`ordinal_words:`), or the file.
fn meta_line(root: &std::path::Path, loc: &Locale, key: &str) -> Loc {
    let file = loc.dir.join("locale.yaml");
    let text = crate::io::read_text(root, &file).unwrap_or_default();
    let line = crate::yamlspan::key_places(&text).ok().and_then(|places| places.get(key).map(|(n, _)| *n));
    line.map_or_else(|| Loc::file(&file), |n| Loc::new(&file, n, 0))
}

/// A locale that writes ranks in words (`ordinal_words:`) has a word for every rank the data holds, so that one
/// list never mixes "séptimo" with "11.º": an error at `ordinal_words:` for each rank without its word.
pub fn rank_words(root: &std::path::Path, model: &Model, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
    let mut report = Report::default();
    let ranks: BTreeMap<u64, &str> = model
        .facts
        .iter()
        .filter(|(_, f)| f.unit.style() == crate::model::Style::Rank)
        .filter_map(|(id, f)| {
            let v = f.number();
            (v.is_finite() && v >= 1.0).then(|| (v.round() as u64, id.as_str()))
        })
        .collect();
    for loc in locales.values().filter(|l| !l.meta.ordinal_words.is_empty()) {
        for (rank, id) in ranks.iter().filter(|(r, _)| !loc.meta.ordinal_words.contains_key(*r)) {
            report.push(
                Diagnostic::error(
                    meta_line(root, loc, "ordinal_words"),
                    format!("locale {} writes ranks in words, but has no word for rank {rank} (fact `{id}`)", loc.tag),
                )
                .with_hint(format!(
                    "add `{rank}: <word>` under `ordinal_words:` in {}, so that every rank is written the same way",
                    loc.dir.join("locale.yaml").display()
                ))
                .in_locale(None, &loc.tag),
            );
        }
    }
    report
}

/// Every `{fact|words}` names a fact whose number the locale has a word for (`number_words:` in `locale.yaml`):
/// an error at the placeholder's own line and column otherwise.
pub fn number_words(model: &Model, locales: &BTreeMap<LocaleTag, Locale>) -> Report {
    let mut report = Report::default();
    for loc in locales.values() {
        for (key, text) in &loc.keys {
            for (name, filter, offset) in crate::placeholder::placeholders(text) {
                if filter != crate::placeholder::Filter::Words {
                    continue;
                }
                // An unknown fact is reported by the placeholder check.
                let Some(fact) = model.facts.get(name) else { continue };
                if loc.number_word(fact).is_some() {
                    continue;
                }
                let at = loc.spans.loc(key, offset).unwrap_or_else(|| loc.key_loc(key));
                let shown = loc.format_fact(fact, false).replace('\u{a0}', " ");
                report.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "`{key}` in {} writes `{{{name}|words}}` in words, but {shown} has no word in the locale",
                            loc.tag
                        ),
                    )
                    .with_hint(format!(
                        "add the number's word under `number_words:` in {}, or write `{{{name}}}` to print the figure",
                        loc.dir.join("locale.yaml").display()
                    ))
                    .text(Kind::TextError, &loc.tag, key),
                );
            }
        }
    }
    report
}
