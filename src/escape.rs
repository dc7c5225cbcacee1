//! Escaping text for Typst markup and Typst string literals: only escaping (where a locale's names may break is
//! `locale::names`).

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
pub(crate) mod tests {
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

    use proptest::prelude::*;
    use typst::syntax::{SyntaxKind, SyntaxNode};

    /// Characters Typst markup gives a meaning to, the newlines it knows, digits and dots for enum markers.
    pub(crate) const SPECIAL: &[char] = &[
        '\\', '#', '$', '*', '_', '@', '<', '>', '[', ']', '`', '~', '=', '-', '+', '/', '{', '}', '"', '\'', '.', ':',
        ',', ';', '(', ')', '?', '!', '0', '1', '9', ' ', ' ', '\t', '\n', '\n', '\r', '\u{b}', '\u{c}', '\u{85}',
        '\u{2028}', '\u{2029}', '\u{a0}', '\u{3000}', 'h', 't', 'p', 's', 'x', 'u', 'é', '—',
    ];

    /// Strings mixing Typst's special characters with arbitrary ones.
    fn text() -> impl Strategy<Value = String> {
        let c = prop_oneof![3 => proptest::sample::select(SPECIAL), 1 => any::<char>()];
        prop::collection::vec(c, 0..80).prop_map(|v| v.into_iter().collect())
    }

    /// What escaped markup prints: every leaf's text, escapes resolved; Err names a node that is not plain text.
    pub(crate) fn printed(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
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
