//! Which texts a locale needs. A document's words live in the locale file named after its template
//! (`brief-auto.typ.j2` reads `locales/<tag>/brief-auto.yaml`), with its title and kicker under
//! `common.documents.<id>`: a locale needs them only where an audience shows the document in that locale. An
//! audience's words (`audiences.<id>`) are needed in the audience's locales. The other texts (common, labels,
//! charts, sources...) are shared: a locale needs them wherever it shows any document.

use std::collections::{BTreeMap, BTreeSet};

use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::model::{Audience, DocumentDef, Model};

/// The name of a document's words file: its template's name without `.typ.j2` (`state` for the state pages).
pub fn words_of(doc: &DocumentDef) -> String {
    let t = &doc.template;
    t.strip_suffix(".typ.j2").unwrap_or(t).to_string()
}

/// What one locale shows.
#[derive(Debug, Clone, Default)]
struct Shown {
    /// Document ids.
    documents: BTreeSet<DocumentId>,
    /// The words files of those documents.
    words: BTreeSet<String>,
    /// Audience ids.
    audiences: BTreeSet<AudienceId>,
}

/// What each locale shows, and so which texts it needs.
#[derive(Debug, Clone, Default)]
pub struct Needs {
    /// The words files that belong to a document.
    words: BTreeSet<String>,
    /// Every document id.
    documents: BTreeSet<DocumentId>,
    /// Every audience id.
    audiences: BTreeSet<AudienceId>,
    /// Per locale, what it shows.
    shows: BTreeMap<LocaleTag, Shown>,
    /// Every locale needs every text (unit tests).
    all: bool,
}

impl Needs {
    /// What the audiences of a model show in each of their locales.
    pub fn of(model: &Model) -> Needs {
        let shown = model.audiences.iter().flat_map(|a| {
            let docs = model.audience_documents(a);
            a.locales.iter().flat_map(move |l| docs.clone().into_iter().map(move |d| (l.clone(), a, d)))
        });
        Needs::shown(model, shown)
    }

    /// What a set of documents shows: (locale, audience, document id) each; a meeting pack shows its documents too.
    pub fn shown<'a>(model: &Model, shown: impl Iterator<Item = (LocaleTag, &'a Audience, DocumentId)>) -> Needs {
        let mut needs = Needs {
            words: model.documents.iter().map(words_of).collect(),
            documents: model.documents.iter().map(|d| d.id.clone()).collect(),
            audiences: model.audiences.iter().map(|a| a.id.clone()).collect(),
            ..Needs::default()
        };
        for (locale, audience, id) in shown {
            let Some(doc) = model.document(&id) else { continue };
            let entry = needs.shows.entry(locale).or_default();
            entry.audiences.insert(audience.id.clone());
            let mut docs = vec![doc];
            if doc.is_pack() {
                docs.extend(model.pack_contents(audience).iter().filter_map(|d| model.document(d)));
            }
            for d in docs {
                entry.documents.insert(d.id.clone());
                entry.words.insert(words_of(d));
            }
        }
        needs
    }

    /// Every locale needs every text.
    pub fn all() -> Needs {
        Needs { all: true, ..Needs::default() }
    }

    /// Whether `locale` needs the text of `key`.
    pub fn needs(&self, locale: &str, key: &str) -> bool {
        if self.all {
            return true;
        }
        let Some(shown) = self.shows.get(locale) else { return false };
        let parts: Vec<&str> = key.splitn(4, '.').collect();
        match parts.as_slice() {
            ["common", "documents", id, ..] if self.documents.contains(*id) => shown.documents.contains(*id),
            ["audiences", id, ..] if self.audiences.contains(*id) => shown.audiences.contains(*id),
            [file, ..] if self.words.contains(*file) => shown.words.contains(*file),
            _ => true,
        }
    }

    /// The documents a locale shows (by id), if it shows any.
    pub fn documents(&self, locale: &str) -> Option<&BTreeSet<DocumentId>> {
        self.shows.get(locale).map(|s| &s.documents)
    }

    /// The locales that show a document.
    pub fn locales(&self) -> impl Iterator<Item = &LocaleTag> {
        self.shows.keys()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locale_needs_the_words_of_what_its_audiences_show() {
        let dir = crate::model::fixture::project(&[
            (
                "data/documents.yaml",
                "- {id: brief-a, template: brief-a.typ.j2}\n- {id: brief-b, template: brief-b.typ.j2}\n",
            ),
            (
                "data/audiences.yaml",
                "- {id: everyone, locales: [en-US, fr-CA], documents: [brief-a]}\n\
                 - {id: us-only, locales: [en-US], documents: [brief-a, brief-b]}\n",
            ),
            ("templates/brief-a.typ.j2", "a"),
            ("templates/brief-b.typ.j2", "b"),
        ]);
        let model = crate::model::fixture::load_from(dir.path());
        let needs = Needs::of(&model);
        assert!(needs.needs("en-US", "brief-b.title") && needs.needs("en-US", "common.documents.brief-b.title"));
        assert!(!needs.needs("fr-CA", "brief-b.title"), "fr-CA shows no brief-b");
        assert!(!needs.needs("fr-CA", "common.documents.brief-b.kicker"));
        assert!(needs.needs("fr-CA", "brief-a.title") && needs.needs("fr-CA", "common.documents.brief-a.title"));
        assert!(!needs.needs("fr-CA", "audiences.us-only.cover_line"), "us-only is not in fr-CA");
        assert!(needs.needs("fr-CA", "audiences.everyone.cover_line") && needs.needs("fr-CA", "labels.us"));
        assert!(!needs.needs("es-MX", "labels.us"), "a locale no audience has needs nothing");
    }
}
