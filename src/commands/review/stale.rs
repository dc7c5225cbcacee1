//! Stale translations for the cards: texts of a locale translated from an en-US text that has changed since.
//!
//! The hook for the translation fingerprints (`locales/<tag>/fingerprints.yaml`, written by `briefs i18n`): until
//! a project has them no text is known to be stale, and cards say nothing. [`StaleTexts::load`] is the one place
//! that reads them.

use std::collections::{BTreeMap, BTreeSet};

use crate::project::Project;

/// The stale keys of each locale.
#[derive(Debug, Clone, Default)]
pub struct StaleTexts {
    /// Locale tag to its stale keys.
    by_locale: BTreeMap<String, BTreeSet<String>>,
}

impl StaleTexts {
    /// The stale texts of a project's locales (none while the project records no fingerprints).
    pub fn load(_project: &Project) -> StaleTexts {
        StaleTexts::default()
    }

    /// A set of stale texts, for tests and for callers that know them.
    #[cfg(test)]
    pub fn from_keys(by_locale: BTreeMap<String, BTreeSet<String>>) -> StaleTexts {
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

    #[test]
    fn only_the_keys_a_document_reads_count() {
        let stale = StaleTexts::from_keys(BTreeMap::from([(
            "fr-CA".to_string(),
            BTreeSet::from(["fast-facts.trade.body".to_string(), "brief-auto.intro".to_string()]),
        )]));
        let reads = BTreeSet::from(["fast-facts.trade.body".to_string(), "fast-facts.title".to_string()]);
        assert_eq!(stale.of("fr-CA", &reads).collect::<Vec<_>>(), vec!["fast-facts.trade.body"]);
        assert_eq!(stale.of("es-MX", &reads).count(), 0);
    }
}
