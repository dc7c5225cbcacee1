//! Sentences that hold a changed figure: a new value can leave a comparison, a period ("in 2025") or a ranking
//! around it wrong, so every sentence of every locale that places a changed fact is listed with the old and the new
//! value filled in, to be re-read.

use std::collections::BTreeSet;

use icu_segmenter::SentenceSegmenter;
use icu_segmenter::options::SentenceBreakInvariantOptions;
use serde::Serialize;

use super::compare::{Order, group};
use super::edition::{LoadedEdition, line_only};
use super::{Change, ChangeKind, ItemKind, Shown};
use crate::ids::LocaleTag;
use crate::locale::Locale;
use crate::model::Model;
use crate::placeholder::{self, Filter, Kind};

/// One sentence that holds a changed figure, in one locale.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    /// The changed fact.
    pub fact: String,
    /// Locale tag.
    pub locale: LocaleTag,
    /// The locale key whose text holds the sentence.
    pub key: String,
    /// Where the text is written, as `file:line`.
    pub at: String,
    /// The sentence with the old edition's figures.
    pub old: String,
    /// The sentence with the new edition's figures.
    pub new: String,
    /// The documents that show the text.
    pub documents: Vec<Shown>,
}

/// The sentences of a text, split at sentence boundaries (Unicode's rules, ICU4X), trimmed.
pub fn split(text: &str) -> Vec<&str> {
    let seg = SentenceSegmenter::new(SentenceBreakInvariantOptions::default());
    let bounds: Vec<usize> = seg.segment_str(text).collect();
    bounds.windows(2).map(|w| text[w[0]..w[1]].trim()).filter(|s| !s.is_empty()).collect()
}

/// A sentence with its figure placeholders filled from `model` as `locale` writes them (read by the same tokenizer
/// as rendering); other placeholders (the template's arguments, citations) stay as written, doubled braces print
/// once and `**` bold marks go.
fn fill(sentence: &str, model: &Model, locale: &Locale) -> String {
    let mut out = String::new();
    for token in placeholder::tokenize(sentence) {
        match token.kind {
            Kind::Placeholder { name, filter: filter @ (Filter::Value | Filter::Abs) } => match model.facts.get(name) {
                Some(fact) => out.push_str(&locale.format_fact(fact, filter == Filter::Abs).replace('\u{a0}', " ")),
                None => out.push_str(token.raw),
            },
            Kind::Placeholder { name, filter: Filter::Words } => {
                match model.facts.get(name).and_then(|fact| locale.number_word(fact)) {
                    Some(word) => out.push_str(word),
                    None => out.push_str(token.raw),
                }
            }
            Kind::Brace(c) => out.push(c),
            Kind::Bold => {}
            _ => out.push_str(token.raw),
        }
    }
    out
}

/// Whether a text places the fact (as a figure or a citation).
fn places(text: &str, fact: &str) -> bool {
    placeholder::placeholders(text).iter().any(|(n, _, _)| *n == fact)
}

/// Every sentence, in every locale of the new edition, that places a fact whose value, unit or period changed.
pub(super) fn find(old: &LoadedEdition, new: &LoadedEdition, changes: &[Change]) -> Vec<Sentence> {
    let order = Order::of(new);
    let changed: BTreeSet<&str> = changes
        .iter()
        .filter(|c| c.kind == ItemKind::Fact && c.change == ChangeKind::Changed)
        .map(|c| c.id.as_str())
        .collect();
    let mut out = Vec::new();
    for fact in changed {
        for (tag, locale) in &new.locales {
            for (key, text) in &locale.keys {
                if !places(text, fact) {
                    continue;
                }
                for sentence in split(text) {
                    if !places(sentence, fact) {
                        continue;
                    }
                    out.push(Sentence {
                        fact: fact.to_string(),
                        locale: tag.clone(),
                        key: key.clone(),
                        at: line_only(&locale.key_loc(key)),
                        old: fill(sentence, &old.model, locale),
                        new: fill(sentence, &new.model, locale),
                        documents: group(&new.key_docs(tag, key), &order),
                    });
                }
            }
        }
    }
    out
}

/// The sentences as text, after the changes: each with where it is written and both versions.
pub fn to_text(sentences: &[Sentence]) -> String {
    if sentences.is_empty() {
        return "no sentence holds a changed figure\n".into();
    }
    let mut out = format!("{} sentence(s) hold a changed figure; re-read them:\n", sentences.len());
    for s in sentences {
        out.push_str(&format!("{} [{}] {} ({})\n", s.fact, s.locale, s.key, s.at));
        out.push_str(&format!("  old: {}\n  new: {}\n", s.old, s.new));
        out.push_str(&format!("  shown in: {}\n", super::text::shown_line(&s.documents)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_but_not_inside_abbreviations_or_numbers() {
        let text = "The busiest port between Mexico and the U.S. is Laredo, with {a} in 2025. \
                    It is just below Los Angeles at 3.5 times. ¿Y México? Oui.";
        assert_eq!(
            split(text),
            vec![
                "The busiest port between Mexico and the U.S. is Laredo, with {a} in 2025.",
                "It is just below Los Angeles at 3.5 times.",
                "¿Y México?",
                "Oui."
            ]
        );
    }
}
