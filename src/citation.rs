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
    unique(ids.iter().map(|id| name(model, locale, id).0))
}

/// Names in order, each once.
pub fn unique_names(names: Vec<String>) -> Vec<String> {
    unique(names.into_iter())
}

/// A source as a document's closing list of sources prints it (markup): the locale's name for it
/// (`sources.names.<id>`) when it has one, else the publisher with the short name the text cites; then the
/// publication's title in italics (the locale's own, `sources.titles.<id>`, else the one of `data/sources.yaml`) and
/// its year, where they are given. With the locale keys used.
pub fn entry(model: &Model, locale: &Locale, id: &str) -> (String, Vec<String>) {
    let (name, key) = name(model, locale, id);
    let mut used: Vec<String> = key.iter().cloned().collect();
    let Some(source) = model.sources.get(id) else { return (crate::locale::names::markup_keeping_names(&name), used) };
    // The name alone when it already names the publisher (or the locale gives its own), else "Publisher (name)".
    let head = if key.is_some() || name.contains(&source.publisher) || source.publisher == source.short {
        name.clone()
    } else {
        format!("{} ({})", source.publisher, name)
    };
    let mut out = crate::locale::names::markup_keeping_names(&locale.typography(&head));
    // A title the name already holds ("…, Exhibit 16a: …") is not repeated.
    let named = |t: &str| t.split(['.', ':']).next().is_some_and(|first| name.contains(first.trim()));
    let title_key = keys::source_title(id);
    // The locale's own title is shown unless the locale's name for the source already holds it.
    // A locale's title may name the edition's month (`{month_year}`: "Actualización de abril de 2026").
    let title = match locale.keys.get(&title_key) {
        Some(t) => {
            used.push(title_key);
            Some(t.replace("{month_year}", &locale.fmt.month_year(&model.edition.date)))
                .filter(|t| !name.contains(t.as_str()))
        }
        None => source.title.clone().filter(|t| !named(t)),
    };
    if let Some(title) = &title {
        out.push_str(&format!(", #emph[{}]", crate::locale::names::markup_keeping_names(title)));
    }
    // The year once: not after a name or a title that says it ("World Economic Outlook, October 2025").
    let said = |y: &str| name.contains(y) || title.as_ref().is_some_and(|t| t.contains(y));
    if let Some(year) = source.year.filter(|y| !said(&y.to_string())) {
        out.push_str(&format!(", {year}"));
    }
    (out, used)
}

/// Names in order, each once.
fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// A source's short name for a citation in the text (`sources.short.<id>`, else the short name in
/// `data/sources.yaml`), with the locale key it came from, if any.
pub fn short(model: &Model, locale: &Locale, id: &str) -> (String, Option<String>) {
    let key = keys::source_short(id);
    match locale.keys.get(&key) {
        Some(n) => (n.clone(), Some(key)),
        None => (model.sources.get(id).map_or_else(|| id.to_string(), |s| s.short.clone()), None),
    }
}

/// A citation in the text (`{id|cite}`) of a source or a figure, `and` joining the last two sources, and the ids
/// of the sources it names; `None` when the id is neither.
pub fn cite(model: &Model, locale: &Locale, id: &str, and: &str) -> Option<(String, Vec<String>)> {
    if let Some(source) = model.sources.get(id) {
        return Some((of_source(&short(model, locale, id).0, source.year), vec![id.to_string()]));
    }
    let fact = model.facts.get(id)?;
    let ids: Vec<String> = fact.sources.iter().map(|s| s.value.clone()).collect();
    let names = unique(ids.iter().map(|id| short(model, locale, id).0));
    Some((of_fact(&fact.period, &names, and), ids))
}

/// A citation of a source, with its year when it has one: "(Brookings, 2024)".
pub fn of_source(name: &str, year: Option<i32>) -> String {
    match year {
        Some(y) => format!("({name},\u{a0}{y})"),
        None => format!("({name})"),
    }
}

/// A citation of a figure: its data year when the period is a year, then its sources joined with the
/// locale's "and": "(2024, USTR and USITC)", "(Data Driven)".
pub fn of_fact(period: &str, names: &[String], and: &str) -> String {
    let joined = match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    };
    let is_year = period.len() == 4 && period.bytes().all(|b| b.is_ascii_digit());
    if is_year { format!("({period},\u{a0}{joined})") } else { format!("({joined})") }
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
    fn citations_as_the_update_writes_them() {
        assert_eq!(of_source("Brookings", Some(2024)), "(Brookings,\u{a0}2024)");
        assert_eq!(of_source("McKinsey & Company", None), "(McKinsey & Company)");
        let names = ["USTR".to_string(), "USITC".to_string()];
        assert_eq!(of_fact("2024", &names, "and"), "(2024,\u{a0}USTR and USITC)");
        assert_eq!(of_fact("2024", &names, "y"), "(2024,\u{a0}USTR y USITC)");
        assert_eq!(of_fact("date not stated", &names[..1], "and"), "(USTR)");
        let three = ["A".to_string(), "B".to_string(), "C".to_string()];
        assert_eq!(of_fact("3Q2025", &three, "et"), "(A, B et C)");
    }

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
