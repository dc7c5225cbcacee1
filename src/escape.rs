//! Escaping text for Typst markup and Typst string literals.

/// Escapes text so Typst markup prints it literally (no code, math, markup or comments).
///
/// Straight double quotes print as typed (writers use “ ” or « » for typographic quotes);
/// apostrophes are left to Typst, which prints them as typographic apostrophes.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut line_start = true;
    // Carriage returns are dropped first, so digits and a dot they separated are still seen together.
    let mut chars = text.chars().filter(|c| *c != '\r').peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '`' | '~' | '=' | '-' | '+' | '/' | '{'
            | '}' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push('\n'),
            d if d.is_ascii_digit() && line_start => {
                // `1.` at the start of a line would begin a numbered list.
                out.push(d);
                while let Some(&n) = chars.peek() {
                    if n.is_ascii_digit() {
                        out.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if chars.peek() == Some(&'.') {
                    chars.next();
                    out.push_str("\\.");
                }
            }
            _ => out.push(c),
        }
        // Typst starts a line after any of its newlines, not only `\n`.
        line_start = is_newline(c) || (line_start && (c == ' ' || c == '\t'));
    }
    out
}

/// Escapes like `markup`, and keeps names whole: hyphenated names and acronyms stay on one line ("T-MEC",
/// "États-Unis", "COVID-19"), each with the punctuation around it in a `#box[..];` (a box never breaks inside; the
/// fonts have no U+2011 NON-BREAKING HYPHEN, and U+2060 WORD JOINER would be copied with the text); capitalized words
/// are never hyphenated ("Donald", "Texas"): `#text(hyphenate: false)[..];`.
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
                let wrap = if is_hyphenated_name(token) {
                    Some("#box[")
                } else if is_capitalized_word(token) {
                    Some("#text(hyphenate: false)[")
                } else {
                    None
                };
                if let Some(open) = wrap {
                    out.push_str(&markup(&text[plain_from..s]));
                    out.push_str(open);
                    out.push_str(&markup(token));
                    out.push_str("];");
                    plain_from = i;
                }
            }
            _ => {}
        }
    }
    out.push_str(&markup(&text[plain_from..]));
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

/// Private-use characters (render marks where figures go with them).
fn is_private(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Whether Typst markup reads a character as a newline (LF, VT, FF, CR, NEL, LS, PS).
fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Quotes text as a Typst string literal, for values placed inside Typst code.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_escapes_code_and_math() {
        assert_eq!(markup("#panic(\"x\")"), "\\#panic(\\\"x\\\")");
        assert_eq!(markup("$x$"), "\\$x\\$");
        assert_eq!(markup("a // b"), "a \\/\\/ b");
    }

    #[test]
    fn markup_escapes_line_start_lists() {
        assert_eq!(markup("1. one\n= two"), "1\\. one\n\\= two");
        assert_eq!(markup("in 2025. Next"), "in 2025. Next");
    }

    #[test]
    fn string_quotes() {
        assert_eq!(string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn hyphenated_names_are_boxed() {
        assert_eq!(markup_keeping_names("el T-MEC, hoy"), "el #box[T\\-MEC,]; hoy");
        assert_eq!(markup_keeping_names("(États-Unis)."), "#box[(États\\-Unis).];");
        assert_eq!(markup_keeping_names("aux États-Unis\u{a0}: oui"), "aux #box[États\\-Unis];\u{a0}: oui");
        assert_eq!(markup_keeping_names("COVID-19 y U.S.-Mexico"), "#box[COVID\\-19]; y #box[U.S.\\-Mexico];");
        for text in ["nord-américain", "2018-2019", "a - B", "-T", "T-", "x(T-MEC", "T-\u{E000}0\u{E001}", "é-è"] {
            assert_eq!(markup_keeping_names(text), markup(text), "{text:?}");
        }
    }

    #[test]
    fn capitalized_words_are_never_hyphenated() {
        let keep = |w: &str| format!("#text(hyphenate: false)[{w}];");
        assert_eq!(markup_keeping_names("por Donald Trump."), format!("por {} {}", keep("Donald"), keep("Trump.")));
        assert_eq!(markup_keeping_names("(Texas), Mexico’s"), format!("{} {}", keep("(Texas),"), keep("Mexico’s")));
        for text in ["U.S.", "CRS", "Ohio2", "los", "EE. UU.", "Iowa\u{E000}0\u{E001}"] {
            assert_eq!(markup_keeping_names(text), markup(text), "{text:?}");
        }
    }

    use proptest::prelude::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// Characters Typst markup gives a meaning to, the newlines it knows, digits and dots for enum markers.
    const SPECIAL: &[char] = &[
        '\\', '#', '$', '*', '_', '@', '<', '>', '[', ']', '`', '~', '=', '-', '+', '/', '{', '}', '"', '\'', '.', ':',
        ',', ';', '(', ')', '?', '!', '0', '1', '9', ' ', ' ', '\t', '\n', '\n', '\r', '\u{b}', '\u{c}', '\u{85}',
        '\u{2028}', '\u{2029}', '\u{a0}', '\u{3000}', 'h', 't', 'p', 's', 'x', 'u', 'é', '—',
    ];

    /// Strings mixing Typst's special characters with arbitrary ones.
    fn text() -> impl Strategy<Value = String> {
        let c = prop_oneof![3 => proptest::sample::select(SPECIAL), 1 => any::<char>()];
        prop::collection::vec(c, 0..80).prop_map(|v| v.into_iter().collect())
    }

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

    /// What escaped markup prints: every leaf's text, escapes resolved; Err names a node that is not plain text.
    fn printed(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
        match node.kind() {
            SyntaxKind::Markup => {
                for child in node.children() {
                    printed(child, out)?;
                }
            }
            SyntaxKind::Escape => out.extend(node.leaf_text().chars().skip(1)),
            SyntaxKind::Text | SyntaxKind::Space | SyntaxKind::Parbreak | SyntaxKind::SmartQuote => {
                out.push_str(node.leaf_text())
            }
            // Only `...` (an ellipsis) is left unescaped; `-`, `~` and `--` are escaped.
            SyntaxKind::Shorthand if node.leaf_text() == "..." => out.push_str("..."),
            kind => return Err(format!("{kind:?} node {:?}", node.leaf_text())),
        }
        Ok(())
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

    /// The plain-text checker does see markup in unescaped text.
    #[test]
    fn the_checker_sees_markup() {
        for raw in ["*x*", "1. x", "x\n- y", "#f()", "$x$", "= h", "a <l>", "@r", "`c`", "https://x.org", "\\ x"] {
            assert!(printed(&typst::syntax::parse(raw), &mut String::new()).is_err(), "{raw:?}");
        }
    }

    /// An enum marker after any of Typst's newlines is escaped.
    #[test]
    fn markup_escapes_enum_markers_after_every_newline() {
        for nl in ["\n", "\r\n", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}"] {
            let s = format!("x{nl}1. y");
            let mut out = String::new();
            assert_eq!(printed(&typst::syntax::parse(&markup(&s)), &mut out), Ok(()), "{s:?}");
        }
    }

    proptest! {
        /// Escaped text parses without errors into plain text only (no code, math, strong, emph, raw, link,
        /// label, ref, heading or list), and prints every character of the input (carriage returns dropped).
        #[test]
        fn escaped_markup_is_plain_text(s in text()) {
            let escaped = markup(&s);
            let root = typst::syntax::parse(&escaped);
            let (errors, _) = root.errors_and_warnings();
            prop_assert!(errors.is_empty(), "{escaped:?} has errors: {:?}", errors.iter().map(|e| &e.message).collect::<Vec<_>>());
            let mut out = String::new();
            if let Err(node) = printed(&root, &mut out) {
                prop_assert!(false, "{s:?} escaped as {escaped:?} parses into a {node}");
            }
            prop_assert_eq!(out, s.replace('\r', ""));
        }

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

        /// A string literal made by `string` parses back, as Typst code, to exactly the input.
        #[test]
        fn string_literal_round_trips(s in text()) {
            let lit = string(&s);
            let root = typst::syntax::parse_code(&lit);
            let (errors, _) = root.errors_and_warnings();
            prop_assert!(errors.is_empty(), "{lit:?} has errors");
            let node = root.children().find(|n| n.kind() == SyntaxKind::Str);
            let value = node.and_then(|n| n.cast::<typst::syntax::ast::Str>()).map(|s| s.get().to_string());
            prop_assert_eq!(value, Some(s));
        }
    }
}
