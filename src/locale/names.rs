//! Names kept whole on the line, in every locale: a hyphenated name or acronym never breaks at its hyphen, and a
//! capitalized word is never hyphenated. This is where names may break; `escape` only escapes.

use crate::escape;

/// Escapes like [`escape::markup`], and keeps names whole: hyphenated names and acronyms stay on one line ("T-MEC",
/// "États-Unis", "COVID-19"), each with the punctuation around it in a `#box[..];` (a box never breaks inside; the
/// fonts have no U+2011 NON-BREAKING HYPHEN, and U+2060 WORD JOINER would be copied with the text); capitalized words
/// are never hyphenated ("Donald", "Texas"): `#text(hyphenate: false)[..];`; nor is the word that ends a text on a
/// full stop (its fragment would stand alone on the paragraph's last line: "manu-" / "factura.").
pub fn markup_keeping_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut plain_from = 0;
    let mut start = None;
    // Whitespace-delimited tokens, each with its byte range.
    let ends = text.char_indices().map(|(i, c)| (i, c.is_whitespace())).chain([(text.len(), true)]);
    for (i, space) in ends {
        match (space, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                start = None;
                let token = &text[s..i];
                // A hyphenated name in a box (never broken at its hyphen); a capitalized word only unhyphenated, so
                // that it stays in the line's run of text for readers that copy it.
                let last = at_paragraph_end(&text[i..]) && ends_paragraph(token);
                let wrap = if is_hyphenated_name(token) || (last && token.contains('-')) {
                    Some("#box[")
                } else if is_capitalized_word(token) || last {
                    Some("#text(hyphenate: false)[")
                } else {
                    None
                };
                if let Some(open) = wrap {
                    out.push_str(&escape::markup(&text[plain_from..s]));
                    out.push_str(open);
                    out.push_str(&escape::markup(token));
                    out.push_str("];");
                    plain_from = i;
                }
            }
            _ => {}
        }
    }
    out.push_str(&escape::markup(&text[plain_from..]));
    out
}

/// Whether a word (with the punctuation around it) is a hyphenated proper name or acronym: a hyphen between letters
/// or digits, and a part that starts with a capital ("T-MEC", "(États-Unis),", "COVID-19"; not "nord-américain").
fn is_hyphenated_name(token: &str) -> bool {
    let core = token
        .trim_start_matches(['(', '[', '«', '“', '‘', '"', '¿', '¡'])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '’', '"']);
    let word_char = |c: char| c.is_alphanumeric() || "-.’'".contains(c);
    if core.is_empty() || !core.chars().all(word_char) || token.chars().any(|c| c.is_control() || is_private(c)) {
        return false;
    }
    let parts: Vec<&str> = core.split('-').collect();
    parts.len() > 1
        && parts.windows(2).all(|w| {
            w[0].ends_with(|c: char| c.is_alphanumeric() || c == '.') && w[1].starts_with(char::is_alphanumeric)
        })
        && parts.iter().any(|p| p.starts_with(char::is_uppercase))
}

/// Whether a word (with the punctuation around it) is a capitalized word long enough for hyphenation to split:
/// a capital and at least three more letters, nothing else but apostrophes ("Donald", "Texas", "Mexico’s"; not
/// "U.S." or "NAICS-334").
fn is_capitalized_word(token: &str) -> bool {
    let core = token
        .trim_start_matches(['(', '[', '«', '“', '‘', '"', '¿', '¡'])
        .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '»', '”', '’', '"']);
    if token.chars().any(|c| c.is_control() || is_private(c)) {
        return false;
    }
    let mut chars = core.chars();
    chars.next().is_some_and(char::is_uppercase)
        && core.chars().all(|c| c.is_alphabetic() || "’'".contains(c))
        && core.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// Whether what follows a word ends its paragraph: nothing but spaces up to the text's end or a blank line (a text
/// of several paragraphs).
fn at_paragraph_end(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    let Some(next) = rest.strip_prefix('\n') else { return rest.trim().is_empty() };
    let next = next.trim_start_matches([' ', '\t']);
    next.trim().is_empty() || next.starts_with('\n')
}

/// Whether a word ends a text's last sentence and is long enough to break: four letters or more (apostrophes and
/// inner hyphens aside: "main-d’œuvre." is kept whole in a box) then a full stop, a question or exclamation mark,
/// perhaps before a closing quote or bracket.
fn ends_paragraph(token: &str) -> bool {
    let core = token.trim_end_matches([')', ']', '»', '”', '’', '"']);
    let Some(word) = core.strip_suffix(['.', '!', '?']) else { return false };
    !token.chars().any(|c| c.is_control() || is_private(c))
        && word.starts_with(char::is_alphabetic)
        && word.ends_with(char::is_alphabetic)
        && word.chars().all(|c| c.is_alphabetic() || "’'-".contains(c))
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

/// Private-use characters (render marks where figures go with them).
fn is_private(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_names_are_boxed() {
        assert_eq!(markup_keeping_names("el T-MEC, hoy"), "el #box[T\\-MEC,]; hoy");
        assert_eq!(markup_keeping_names("(États-Unis)."), "#box[(États\\-Unis).];");
        assert_eq!(markup_keeping_names("aux États-Unis\u{a0}: oui"), "aux #box[États\\-Unis];\u{a0}: oui");
        assert_eq!(markup_keeping_names("COVID-19 y U.S.-Mexico"), "#box[COVID\\-19]; y #box[U.S.\\-Mexico];");
        for text in ["nord-américain", "2018-2019", "a - B", "-T", "T-", "x(T-MEC", "T-\u{E000}0\u{E001}", "é-è"] {
            assert_eq!(markup_keeping_names(text), escape::markup(text), "{text:?}");
        }
    }

    #[test]
    fn every_paragraphs_last_word_is_kept_whole() {
        let keep = |w: &str| format!("#text(hyphenate: false)[{w}];");
        let text = "une région interdépendante.\n\nune autre suite.";
        let want = format!("une région {}\n\nune autre {}", keep("interdépendante."), keep("suite."));
        assert_eq!(markup_keeping_names(text), want);
        // Inside a paragraph a line break is a space: the word goes on.
        let one = "fin de phrase.\nsuite du paragraphe";
        assert_eq!(markup_keeping_names(one), escape::markup(one));
    }

    #[test]
    fn capitalized_words_are_never_hyphenated() {
        let keep = |w: &str| format!("#text(hyphenate: false)[{w}];");
        assert_eq!(markup_keeping_names("por Donald Trump."), format!("por {} {}", keep("Donald"), keep("Trump.")));
        assert_eq!(markup_keeping_names("(Texas), Mexico’s"), format!("{} {}", keep("(Texas),"), keep("Mexico’s")));
        for text in ["U.S.", "CRS", "Ohio2", "los", "EE. UU.", "Iowa\u{E000}0\u{E001}"] {
            assert_eq!(markup_keeping_names(text), escape::markup(text), "{text:?}");
        }
    }

    #[test]
    fn the_last_word_of_a_paragraph_is_never_hyphenated() {
        let keep = |w: &str| format!("#text(hyphenate: false)[{w}];");
        assert_eq!(
            markup_keeping_names("la industria manufacturera."),
            format!("la industria {}", keep("manufacturera."))
        );
        assert_eq!(markup_keeping_names("de la main-d’œuvre."), "de la #box[main\\-d’œuvre.];");
        // Not the last word, nor a short one, a number or a word without a full stop.
        for text in ["factura. luego", "en 2025.", "los.", "industria", "USD\u{a0}2.5."] {
            assert_eq!(markup_keeping_names(text), escape::markup(text), "{text:?}");
        }
    }

    use proptest::prelude::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    use crate::escape::tests::{SPECIAL, printed};

    /// Strings mixing hyphenated names, punctuation and Typst's special characters.
    fn names_text() -> impl Strategy<Value = String> {
        const WORDS: &[&str] = &[
            "T-MEC",
            "États-Unis",
            "COVID-19",
            "U.S.-Mexico",
            "nord-américain",
            "1.",
            "x",
            "Donald",
            "(Texas),",
            "Ohio",
        ];
        let piece = prop_oneof![
            2 => proptest::sample::select(WORDS).prop_map(str::to_string),
            3 => proptest::sample::select(SPECIAL).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    /// `printed`, also reading `#box[..];` around plain text (what `markup_keeping_names` makes).
    fn printed_with_boxes(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
        let kids: Vec<&SyntaxNode> = node.children().collect();
        if node.kind() != SyntaxKind::Markup {
            return printed(node, out);
        }
        let mut i = 0;
        while i < kids.len() {
            let kid = kids[i];
            if kid.kind() == SyntaxKind::Hash {
                // `#` `box` `(` args: one content block `[` markup `]` `)` then `;`.
                let call = kids.get(i + 1).filter(|n| n.kind() == SyntaxKind::FuncCall).ok_or("# without a call")?;
                let parts: Vec<&SyntaxNode> = call.children().collect();
                let callee = parts.first().map(|n| (n.kind(), n.leaf_text().to_string()));
                let args: Vec<&SyntaxNode> = parts.get(1).map(|a| a.children().collect()).unwrap_or_default();
                // `#box[..]`, or `#text(hyphenate: false)[..]`: one content block after the arguments.
                let block: Vec<&SyntaxNode> = match (callee, args.as_slice()) {
                    (Some((SyntaxKind::Ident, name)), [b]) if name == "box" && b.kind() == SyntaxKind::ContentBlock => {
                        b.children().collect()
                    }
                    (Some((SyntaxKind::Ident, name)), [.., named, _, b])
                        if name == "text"
                            && named.kind() == SyntaxKind::Named
                            && named.full_text() == "hyphenate: false"
                            && b.kind() == SyntaxKind::ContentBlock =>
                    {
                        b.children().collect()
                    }
                    _ => return Err(format!("call {:?}", call.kind())),
                };
                let [open, body, close] = block.as_slice() else { return Err("call body".into()) };
                if open.kind() != SyntaxKind::LeftBracket || close.kind() != SyntaxKind::RightBracket {
                    return Err("box brackets".into());
                }
                printed(body, out)?;
                if kids.get(i + 2).map(|n| n.kind()) != Some(SyntaxKind::Semicolon) {
                    return Err("box without `;`".into());
                }
                i += 3;
            } else {
                printed(kid, out)?;
                i += 1;
            }
        }
        Ok(())
    }

    proptest! {
        /// Text with hyphenated names boxed parses without errors into plain text and `#box[..];` around plain
        /// text only, and prints every character of the input (carriage returns dropped).
        #[test]
        fn boxed_names_are_plain_text(s in names_text()) {
            let escaped = markup_keeping_names(&s);
            let root = typst::syntax::parse(&escaped);
            let (errors, _) = root.errors_and_warnings();
            prop_assert!(errors.is_empty(), "{escaped:?} has errors: {:?}", errors.iter().map(|e| &e.message).collect::<Vec<_>>());
            let mut out = String::new();
            if let Err(node) = printed_with_boxes(&root, &mut out) {
                prop_assert!(false, "{s:?} escaped as {escaped:?} parses into a {node}");
            }
            prop_assert_eq!(out, s.replace('\r', ""));
        }
    }
}
