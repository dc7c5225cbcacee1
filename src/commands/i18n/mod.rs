//! `briefs i18n`: the translation lifecycle: export texts to XLIFF 2.0 for a CAT tool, import the
//! translations back into the locale files, and record which en-US text each translation was made from.

pub mod cli;
pub mod export;
pub mod import;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::LocaleTag;
use crate::locale::fingerprint::{self, State, Status, Store};
use crate::locale::{Locale, REFERENCE, keys};
use crate::output::Batch;

/// Per-locale source names (`sources.names.<id>`, `sources.short.<id>`) may differ from en-US's set; they are
/// not tracked.
pub fn is_optional(key: &str) -> bool {
    crate::locale::keys::is_optional(key)
}

/// Loads the reference locale and one other, refusing the reference itself as a translation.
pub fn load_pair(root: &Path, tag: &str) -> Result<(Locale, Locale), Report> {
    if tag == REFERENCE {
        return Err(Diagnostic::error(
            Loc::file(format!("locales/{REFERENCE}")),
            format!("{REFERENCE} is the source language, not a translation"),
        )
        .with_hint("name the locale to translate into, e.g. --locale es-MX")
        .into());
    }
    let tags = crate::locale::available(root);
    if !tags.contains(tag) {
        return Err(Diagnostic::error(Loc::file(format!("locales/{tag}")), format!("unknown locale `{tag}`"))
            .with_hint(format!(
                "known: {}; a new locale needs a folder locales/{tag}/ with its locale.yaml first",
                tags.iter().cloned().collect::<Vec<_>>().join(", ")
            ))
            .into());
    }
    let mut report = Report::default();
    let reference = Locale::load(root, REFERENCE).map_err(|r| report.extend(r)).ok();
    let target = Locale::load(root, tag).map_err(|r| report.extend(r)).ok();
    match (reference, target) {
        (Some(r), Some(t)) => Ok((r, t)),
        _ => Err(report),
    }
}

/// The status of every en-US text in a locale, in key order.
pub fn statuses(reference: &Locale, loc: &Locale, store: Option<&Store>) -> BTreeMap<String, Status> {
    reference
        .keys
        .iter()
        .filter(|(k, _)| !is_optional(k))
        .map(|(k, en)| (k.clone(), Store::status(store, &loc.tag, k, en, loc.keys.get(k).map(String::as_str))))
        .collect()
}

/// Stages a locale's fingerprints in a batch when they changed.
pub fn stage_store(root: &Path, store: &Store, batch: &mut Batch) -> Result<bool, Diagnostic> {
    let rel = fingerprint::path(&store.locale);
    let text = store.render();
    if std::fs::read_to_string(root.join(&rel)).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    batch.stage(&root.join(rel), text.as_bytes())?;
    Ok(true)
}

/// Settings of `briefs i18n mark-reviewed`.
#[derive(Debug, Clone)]
pub struct MarkConfig {
    /// Project root.
    pub root: PathBuf,
    /// The locale whose texts are marked.
    pub locale: LocaleTag,
    /// Keys (or key prefixes) to mark; all when empty.
    pub keys: Vec<String>,
    /// The state to record.
    pub state: State,
}

/// Records the current en-US text of a locale's texts as the one they translate; returns the count and skips.
pub fn mark_reviewed(cfg: &MarkConfig) -> Result<(usize, Vec<String>), Report> {
    let (reference, loc) = load_pair(&cfg.root, &cfg.locale)?;
    let mut store = match Store::load(&cfg.root, &cfg.locale).map_err(Report::from)? {
        Some(s) if s.locale == cfg.locale => s,
        _ => Store::new(&cfg.locale),
    };
    let wanted = |k: &str| cfg.keys.is_empty() || cfg.keys.iter().any(|w| keys::is_under(k, w));
    let mut report = Report::default();
    for w in &cfg.keys {
        if !reference.keys.keys().any(|k| keys::is_under(k, w)) {
            let hint = crate::locale::texts::did_you_mean(w, reference.keys.keys().map(String::as_str))
                .map_or("name a key as `briefs check` names it".to_string(), |s| format!("did you mean `{s}`?"));
            report.push(Diagnostic::error(Loc::default(), format!("en-US has no key `{w}`")).with_hint(hint));
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let mut marked = 0;
    let mut skipped = Vec::new();
    for (key, en) in reference.keys.iter().filter(|(k, _)| !is_optional(k) && wanted(k)) {
        match loc.keys.get(key) {
            Some(text) if fingerprint::untranslated_words(text, en).is_none() => {
                store.record(key, en, cfg.state);
                marked += 1;
            }
            _ => skipped.push(key.clone()),
        }
    }
    store.texts.retain(|k, _| reference.keys.contains_key(k));
    let mut batch = Batch::new();
    stage_store(&cfg.root, &store, &mut batch)?;
    batch.commit()?;
    Ok((marked, skipped))
}
