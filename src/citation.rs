//! Citations: how a source is named in a locale and how a "Source: A; B." sentence is written, for the source
//! notes of the text and the source lines of charts alike.

use crate::locale::{Locale, keys};
use crate::model::Model;

/// A source's name as a locale writes it (`sources.names.<id>`, else the short name in `data/sources.yaml`),
/// with the locale key it came from, if any.
pub fn name(model: &Model, locale: &Locale, id: &str) -> (String, Option<String>) {
    let key = keys::source_name(id);
    match locale.keys.get(&key) {
        Some(n) => (n.clone(), Some(key)),
        None => (model.sources.get(id).map_or_else(|| id.to_string(), |s| s.short.clone()), None),
    }
}

/// The names of sources in a locale, in order, each once.
pub fn names(model: &Model, locale: &Locale, ids: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let (n, _) = name(model, locale, id);
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// The key of the heading before `count` names: "Source" for one, "Sources" for more.
pub fn heading_key(count: usize) -> &'static str {
    if count == 1 { keys::SOURCE } else { keys::SOURCES }
}

/// "Sources: A; B." with the locale's colon (French: a no-break space before it).
pub fn sentence(locale: &Locale, heading: &str, names: &[String]) -> String {
    let mut out = format!("{heading}{}{}", locale.label_sep(), names.join("; "));
    end_sentence(&mut out);
    out
}

/// Ends a sentence with a full stop unless it has one (an abbreviation such as "EE. UU.").
pub fn end_sentence(out: &mut String) {
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_once() {
        let mut s = "Fuente: EE. UU.".to_string();
        end_sentence(&mut s);
        assert_eq!(s, "Fuente: EE. UU.");
        let mut s = "Source: BLS".to_string();
        end_sentence(&mut s);
        assert_eq!(s, "Source: BLS.");
    }
}
