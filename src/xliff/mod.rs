//! XLIFF 2.0, the exchange format of translators' CAT tools: locale texts as units whose placeholders are
//! inline codes a translator cannot break.
//!
//! A text maps to inline content through the placeholder grammar ([`crate::placeholder`]):
//! `{fact_id}` is `<ph id=".." equiv="{fact_id}" disp="USD 1.6 trillion"/>` (`equiv` the placeholder as
//! written, `disp` the figure as the target locale prints it), `**bold**` is
//! `<pc id=".." type="fmt" subType="xlf:b">bold</pc>`, a doubled brace is the brace itself, and characters
//! XML cannot carry are `<cp hex=".."/>`. Reading goes the other way and accepts what CAT tools send:
//! `<sc>`/`<ec>` pairs for bold, `<mrk>` annotations, segmented units, CDATA, entities and attributes
//! in any order.

pub mod read;
pub mod write;

use crate::placeholder::{self, Filter, Kind};

/// The XLIFF 2.0 core namespace.
pub const NS: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// A piece of a source or target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Words.
    Text(String),
    /// A placeholder: its id in the unit and the placeholder as written (`equiv`).
    Ph {
        /// The code's id within the unit.
        id: String,
        /// The placeholder as written in the locale text, if the code says.
        equiv: Option<String>,
    },
    /// The start or end of bold text.
    Bold,
}

/// Converts a locale text into inline content, numbering placeholders by `ids` (placeholder → id) and
/// adding ids for placeholders not yet in the map.
pub fn to_inline(text: &str, ids: &mut Vec<String>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let push_text = |out: &mut Vec<Inline>, s: &str| match out.last_mut() {
        Some(Inline::Text(t)) => t.push_str(s),
        _ => out.push(Inline::Text(s.to_string())),
    };
    for t in placeholder::tokenize(text) {
        match t.kind {
            Kind::Placeholder { .. } => {
                let n = match ids.iter().position(|p| p == t.raw) {
                    Some(n) => n,
                    None => {
                        ids.push(t.raw.to_string());
                        ids.len() - 1
                    }
                };
                out.push(Inline::Ph { id: (n + 1).to_string(), equiv: Some(t.raw.to_string()) });
            }
            Kind::Bold => out.push(Inline::Bold),
            Kind::Brace(c) => push_text(&mut out, &c.to_string()),
            Kind::Text | Kind::Stray(_) => push_text(&mut out, t.raw),
        }
    }
    out
}

/// Converts inline content back into a locale text; `equivs` gives the placeholder of each source code id.
///
/// Words are escaped (a `{` typed in a CAT tool prints as `{`); an error names a code that stands for no
/// placeholder.
pub fn to_text(inline: &[Inline], equivs: &[(String, String)]) -> Result<String, String> {
    let mut out = String::new();
    for piece in inline {
        match piece {
            Inline::Text(t) => out.push_str(&placeholder::escape_literal(t)),
            Inline::Bold => out.push_str("**"),
            Inline::Ph { id, equiv } => {
                let from_source = equivs.iter().find(|(i, _)| i == id).map(|(_, e)| e.as_str());
                let Some(equiv) = from_source.or(equiv.as_deref()) else {
                    return Err(format!("the code <ph id=\"{id}\"> matches no placeholder of the source"));
                };
                let tokens = placeholder::tokenize(equiv);
                let ok = tokens.len() == 1 && matches!(tokens[0].kind, Kind::Placeholder { .. } | Kind::Bold);
                if !ok {
                    return Err(format!("the code <ph id=\"{id}\"> stands for `{equiv}`, which is not a placeholder"));
                }
                out.push_str(equiv);
            }
        }
    }
    Ok(out)
}

/// The placeholders of a text as a sorted list, to compare a target with its source: each figure by its name (how
/// it prints, `|abs` or `|words`, is the translation's choice, as `briefs check` has it) and each citation as
/// written.
pub fn placeholder_set(text: &str) -> Vec<String> {
    let stated = |(name, filter, _): (&str, Filter, usize)| match filter {
        Filter::Cite => filter.written(name),
        Filter::Value | Filter::Abs | Filter::Words => Filter::Value.written(name),
    };
    let mut v: Vec<String> = placeholder::placeholders(text).into_iter().map(stated).collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_round_trip_through_inline_content() {
        for text in ["In {x} years, **more** than {y|abs}.", "a {{literal}} brace", "", "**{x}**", "plain"] {
            let mut ids = Vec::new();
            let inline = to_inline(text, &mut ids);
            let equivs: Vec<(String, String)> =
                ids.iter().enumerate().map(|(i, p)| ((i + 1).to_string(), p.clone())).collect();
            assert_eq!(to_text(&inline, &equivs).unwrap(), text);
        }
    }

    #[test]
    fn target_codes_take_the_source_numbering() {
        let mut ids = Vec::new();
        to_inline("{a} and {b}", &mut ids);
        let target = to_inline("{b} y {a}", &mut ids);
        assert_eq!(
            target,
            vec![
                Inline::Ph { id: "2".into(), equiv: Some("{b}".into()) },
                Inline::Text(" y ".into()),
                Inline::Ph { id: "1".into(), equiv: Some("{a}".into()) },
            ]
        );
    }

    #[test]
    fn unknown_codes_are_refused() {
        let inline = [Inline::Ph { id: "9".into(), equiv: None }];
        assert!(to_text(&inline, &[]).unwrap_err().contains("id=\"9\""));
        let inline = [Inline::Ph { id: "9".into(), equiv: Some("{oops".into()) }];
        assert!(to_text(&inline, &[]).unwrap_err().contains("not a placeholder"));
    }
}
