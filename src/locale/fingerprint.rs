//! Fingerprints: which en-US text each translated text was translated from, kept beside the locale in
//! `locales/<tag>/fingerprints.yaml` (committed with it).
//!
//! Each entry holds the first 16 hex digits of the SHA-256 of the en-US text (`en`), that text itself
//! (`source`, so a translator can be shown what changed) and the XLIFF state it reached (`translated`,
//! `reviewed`, `final`). The file also names the locale it was written for: a folder copied from another
//! locale carries the other locale's fingerprints, so none of its texts counts as translated.
//!
//! A text's status follows: `missing` (no text), `untranslated` (no entry, an entry for another locale, an
//! empty text or en-US's own words), `stale` (the en-US text changed since), or current in its state.
//! `briefs i18n import` and `briefs i18n mark-reviewed` write the file; nothing else does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::ids::LocaleTag;

/// The file name of a locale's fingerprints, excluded from the locale's words.
pub const FILE_NAME: &str = "fingerprints.yaml";

/// How far a translation went (XLIFF 2.0 segment states above `initial`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Translated, not yet reviewed.
    Translated,
    /// Reviewed.
    Reviewed,
    /// Signed off.
    Final,
}

impl State {
    /// The XLIFF name of the state.
    pub fn name(self) -> &'static str {
        match self {
            State::Translated => "translated",
            State::Reviewed => "reviewed",
            State::Final => "final",
        }
    }

    /// The state an XLIFF `state` attribute names; `None` for `initial` or an unknown name.
    pub fn parse(name: &str) -> Option<State> {
        match name {
            "translated" => Some(State::Translated),
            "reviewed" => Some(State::Reviewed),
            "final" => Some(State::Final),
            _ => None,
        }
    }
}

/// What one text was translated from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The fingerprint of the en-US text ([`hash`]).
    pub en: String,
    /// How far the translation went.
    pub state: State,
    /// The en-US text itself.
    pub source: String,
}

/// A locale's fingerprints file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// The locale the texts were translated for.
    pub locale: LocaleTag,
    /// Entries by full key.
    #[serde(default)]
    pub texts: BTreeMap<String, Entry>,
}

/// Why a text counts as not translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// No fingerprint was recorded for it.
    NoRecord,
    /// The fingerprints were written for another locale (a copied folder).
    OtherLocale(LocaleTag),
    /// The text is empty where en-US has words.
    Empty,
    /// The text is the en-US text word for word (four words or more).
    SameAsEnglish,
}

/// Where a translated text stands against the current en-US text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The locale has no text for the key.
    Missing,
    /// The locale has a text that is not (or not known to be) a translation.
    Untranslated(Why),
    /// Translated from an en-US text that has changed since; holds that earlier text.
    Stale(String),
    /// Translated from the current en-US text.
    Current(State),
}

/// The fingerprint of an en-US text: the first 16 hex digits of its SHA-256.
pub fn hash(en: &str) -> String {
    let digest = Sha256::digest(en.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The path of a locale's fingerprints relative to the root.
pub fn path(tag: &str) -> PathBuf {
    Path::new("locales").join(tag).join(FILE_NAME)
}

/// Whether a text is only en-US's words: empty where en-US has words, or the same words (four or more).
pub fn untranslated_words(text: &str, en: &str) -> Option<Why> {
    let words = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    if text.trim().is_empty() && !en.trim().is_empty() {
        Some(Why::Empty)
    } else if text == en && words(en) >= 4 {
        Some(Why::SameAsEnglish)
    } else {
        None
    }
}

impl Store {
    /// An empty store for a locale.
    pub fn new(tag: &str) -> Store {
        Store { locale: LocaleTag::from(tag), texts: BTreeMap::new() }
    }

    /// Loads a locale's fingerprints; `None` when the locale has no file yet.
    pub fn load(root: &Path, tag: &str) -> Result<Option<Store>, Diagnostic> {
        let rel = path(tag);
        if !root.join(&rel).is_file() {
            return Ok(None);
        }
        let text = crate::io::read_text(root, &rel)?;
        crate::io::parse_yaml::<Store>(&rel, &text).map(Some)
    }

    /// The status of a locale's text for a key, given the current en-US text.
    pub fn status(store: Option<&Store>, tag: &str, key: &str, en: &str, text: Option<&str>) -> Status {
        let Some(text) = text else { return Status::Missing };
        if let Some(why) = untranslated_words(text, en) {
            return Status::Untranslated(why);
        }
        let Some(store) = store else { return Status::Untranslated(Why::NoRecord) };
        if store.locale != tag {
            return Status::Untranslated(Why::OtherLocale(store.locale.clone()));
        }
        match store.texts.get(key) {
            None => Status::Untranslated(Why::NoRecord),
            Some(e) if e.en != hash(en) => Status::Stale(e.source.clone()),
            Some(e) => Status::Current(e.state),
        }
    }

    /// Records that a key's text is a translation of an en-US text, in a state.
    pub fn record(&mut self, key: &str, en: &str, state: State) {
        self.texts.insert(key.to_string(), Entry { en: hash(en), state, source: en.to_string() });
    }

    /// The file's text: a header comment, the locale, and one entry per key in key order.
    pub fn render(&self) -> String {
        let mut out = format!(
            "# Which en-US text each {tag} text was translated from: `en` is the first 16 hex digits of the\n\
             # SHA-256 of the en-US text, `source` that text, `state` how far the translation went.\n\
             # Written by `briefs i18n import` and `briefs i18n mark-reviewed`; commit it with the locale.\n\
             # A text whose en-US words changed since it was recorded is stale (`briefs check` says which).\n\
             locale: {tag}\ntexts:\n",
            tag = self.locale
        );
        if self.texts.is_empty() {
            out = out.replace("texts:\n", "texts: {}\n");
        }
        for (key, e) in &self.texts {
            let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            let key = if plain { key.clone() } else { crate::yamlspan::double_quoted(key) };
            out.push_str(&format!(
                "  {key}:\n    en: \"{}\"\n    state: {}\n    source: {}\n",
                e.en,
                e.state.name(),
                crate::yamlspan::double_quoted(&e.source)
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let mut s = Store::new("fr-CA");
        s.record("a.title", "Trade", State::Reviewed);
        let st = |store: &Store, tag: &str, en: &str, text: Option<&str>| {
            Store::status(Some(store), tag, "a.title", en, text)
        };
        assert_eq!(st(&s, "fr-CA", "Trade", Some("Commerce")), Status::Current(State::Reviewed));
        assert_eq!(st(&s, "fr-CA", "Trade flows", Some("Commerce")), Status::Stale("Trade".into()));
        assert_eq!(st(&s, "fr-CA", "Trade", None), Status::Missing);
        assert_eq!(st(&s, "pt-BR", "Trade", Some("Comércio")), Status::Untranslated(Why::OtherLocale("fr-CA".into())));
        assert_eq!(st(&s, "fr-CA", "Trade", Some("")), Status::Untranslated(Why::Empty));
        assert_eq!(Store::status(Some(&s), "fr-CA", "b", "x", Some("y")), Status::Untranslated(Why::NoRecord));
        assert_eq!(Store::status(None, "fr-CA", "x", "x", Some("y")), Status::Untranslated(Why::NoRecord));
    }

    #[test]
    fn the_file_reads_back() {
        let mut s = Store::new("es-MX");
        s.record("fast-facts.trade.body", "In {x} \"years\",\n\nmore.", State::Translated);
        s.record("common.source", "Source", State::Final);
        let text = s.render();
        let back: Store = crate::io::parse_yaml(Path::new("f.yaml"), &text).unwrap();
        assert_eq!(back, s);
        assert_eq!(hash("Trade").len(), 16);
    }
}
