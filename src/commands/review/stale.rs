//! Stale translations for the cards: texts of a locale translated from an en-US text that has changed since, read
//! from the translation fingerprints (`locales/<tag>/fingerprints.yaml`, written by `briefs i18n`).

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::LocaleTag;
use crate::locale::fingerprint::{Status, Store};
use crate::locale::{Locale, REFERENCE};
use crate::project::Project;

/// The stale keys of each locale.
#[derive(Debug, Clone, Default)]
pub struct StaleTexts {
    /// Locale tag to its stale keys.
    by_locale: BTreeMap<LocaleTag, BTreeSet<String>>,
}

impl StaleTexts {
    /// The stale texts of a project's locales: those whose fingerprint records another en-US text than today's.
    pub fn load(project: &Project) -> StaleTexts {
        let locales: BTreeMap<&crate::ids::LocaleTag, &Locale> =
            project.locales.iter().map(|(t, l)| (t, l.as_ref())).collect();
        StaleTexts::of_locales(&locales)
    }

    /// The stale texts of some locales (en-US among them).
    fn of_locales(locales: &BTreeMap<&LocaleTag, &Locale>) -> StaleTexts {
        let mut by_locale = BTreeMap::new();
        let Some(reference) = locales.iter().find(|(t, _)| t.as_str() == REFERENCE).map(|(_, l)| *l) else {
            return StaleTexts { by_locale };
        };
        for (tag, loc) in locales.iter().filter(|(t, _)| t.as_str() != REFERENCE) {
            let stale: BTreeSet<String> = reference
                .keys
                .iter()
                .filter(|(key, en)| {
                    let text = loc.keys.get(*key).map(String::as_str);
                    matches!(Store::status(loc.store.as_ref(), tag, key, en, text), Status::Stale(_))
                })
                .map(|(key, _)| key.clone())
                .collect();
            if !stale.is_empty() {
                by_locale.insert((*tag).clone(), stale);
            }
        }
        StaleTexts { by_locale }
    }

    /// The stale keys among those a document of `locale` reads.
    pub fn of<'a>(&'a self, locale: &str, keys: &'a BTreeSet<String>) -> impl Iterator<Item = &'a String> + 'a {
        let stale = self.by_locale.get(locale);
        keys.iter().filter(move |k| stale.is_some_and(|s| s.contains(*k)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::fixture;

    #[test]
    fn a_translation_of_a_changed_en_us_text_is_stale_and_only_where_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let en = fixture::load(dir.path(), "en-US", &[("note", "title: Trade today\nbody: Trade grows\n")]);
        // fr-CA was translated from the old title and the current body.
        let prints = format!(
            "locale: fr-CA\ntexts:\n  note.title:\n    en: \"{}\"\n    source: Trade\n    state: translated\n  note.body:\n    en: \"{}\"\n    source: Trade grows\n    state: translated\n",
            crate::locale::fingerprint::hash("Trade"),
            crate::locale::fingerprint::hash("Trade grows")
        );
        std::fs::create_dir_all(dir.path().join("locales/fr-CA")).unwrap();
        std::fs::write(dir.path().join("locales/fr-CA/fingerprints.yaml"), prints).unwrap();
        let fr = fixture::load(dir.path(), "fr-CA", &[("note", "title: Commerce\nbody: Le commerce croît\n")]);
        let (en_tag, fr_tag) = (LocaleTag::from("en-US"), LocaleTag::from("fr-CA"));
        let locales = BTreeMap::from([(&en_tag, &en), (&fr_tag, &fr)]);
        let stale = StaleTexts::of_locales(&locales);
        let reads = BTreeSet::from(["note.title".to_string(), "note.body".to_string(), "note.other".to_string()]);
        assert_eq!(stale.of("fr-CA", &reads).collect::<Vec<_>>(), vec!["note.title"]);
        let body_only = BTreeSet::from(["note.body".to_string()]);
        assert_eq!(stale.of("fr-CA", &body_only).count(), 0);
        assert_eq!(stale.of("en-US", &reads).count(), 0);
    }
}
