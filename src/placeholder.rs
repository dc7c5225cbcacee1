//! The grammar of locale texts: placeholders, literal braces and bold, read by one tokenizer.
//!
//! Checking, rendering and the XLIFF exchange all read a text through [`tokenize`], so they cannot
//! disagree about what a text says.
//!
//! ```text
//! text        = { piece } ;
//! piece       = placeholder | brace | bold | literal ;
//! placeholder = "{" name [ "|" filter ] "}" ;      e.g. {port_laredo_freight_2025}, {mfg_jobs_lost_us|abs}
//! name        = name-char { name-char } ;          name-char = ASCII letter | digit | "_" | "-" | "."
//! filter      = "abs" | "cite" | "words" ;         the magnitude of a negative figure; a citation; a number in words
//! brace       = "{{" | "}}" ;                      a literal "{" or "}"
//! bold        = "**" ;                             opens or closes bold; pairs within one text
//! literal     = any other character ;
//! ```
//!
//! - A placeholder names a fact (`data/facts/*.yaml`) or an argument a template gives (`{n}`, `{state}`,
//!   `{arg_*}`); the figure is printed as the reader's locale writes it.
//! - `{fact_id|words}` writes a small whole number in words, as the locale's style writes numbers in running
//!   prose ("siete u ocho veces"): the word comes from `number_words:` in the locale's `locale.yaml`, and a number
//!   the map has no word for is an error at the placeholder's own place.
//! - `{source_id|cite}` cites a source of `data/sources.yaml` where a claim is made, with its year when the
//!   source has one: "(Brookings, 2024)". `{fact_id|cite}` cites a figure's data year and sources:
//!   "(2024, USTR and USITC)". A source cited in a text is not repeated in the source note below it.
//! - A literal brace is written twice: `{{` prints `{` and `}}` prints `}`. Any other `{` or `}` is an error
//!   at its own place (a `{` that does not start a placeholder, a `}` that closes none, `{}`, an unknown
//!   filter), never a crash and never silently printed.
//! - `**` toggles bold; a text that opens bold must close it. A single `*` prints as it is.
//!
//! Every token carries its byte offset and its raw text, and the raw texts of the tokens of a text joined
//! in order are the text itself (a property test checks this on arbitrary Unicode).

use std::fmt;

/// What a piece of a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind<'a> {
    /// Words printed as they are.
    Text,
    /// A literal brace written doubled (`{{` or `}}`): prints the brace once.
    Brace(char),
    /// `{name}`, `{name|abs}` or `{name|cite}`.
    Placeholder {
        /// The fact, source or argument name.
        name: &'a str,
        /// What the placeholder prints of it.
        filter: Filter,
    },
    /// `**`: opens or closes bold.
    Bold,
    /// Braces that do not follow the grammar.
    Stray(Problem),
}

/// What a placeholder prints of what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Filter {
    /// The figure or argument as the locale writes it (`{name}`).
    Value,
    /// The magnitude of a negative figure (`{name|abs}`).
    Abs,
    /// A citation of a source or of a figure's data year and sources (`{name|cite}`).
    Cite,
    /// A whole number written in words from the locale's `number_words:` (`{name|words}`).
    Words,
}

impl Filter {
    /// The placeholder as written, for a name.
    pub fn written(self, name: &str) -> String {
        match self {
            Filter::Value => format!("{{{name}}}"),
            Filter::Abs => format!("{{{name}|abs}}"),
            Filter::Cite => format!("{{{name}|cite}}"),
            Filter::Words => format!("{{{name}|words}}"),
        }
    }
}

/// A way a text breaks the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A `{` that starts no placeholder.
    Open,
    /// A `}` that closes no placeholder.
    Close,
    /// `{}` with no name.
    Empty,
    /// `{name|filter}` with a filter other than `abs`, `cite` or `words`.
    Filter,
    /// A `**` that opens bold with no `**` closing it.
    Unclosed,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::Open => "a `{` that starts no placeholder",
            Problem::Close => "a `}` that closes no placeholder",
            Problem::Empty => "an empty placeholder `{}`",
            Problem::Filter => "an unknown placeholder filter (only `|abs`, `|cite` and `|words` exist)",
            Problem::Unclosed => "a `**` that opens bold but is never closed",
        })
    }
}

impl Problem {
    /// What to do about the problem.
    pub fn hint(&self) -> &'static str {
        match self {
            Problem::Open | Problem::Close | Problem::Empty => {
                "write `{{` or `}}` for a literal brace; a placeholder is `{fact_id}` or `{fact_id|abs}`"
            }
            Problem::Filter => "write `{fact_id}`, `{fact_id|abs}`, `{fact_id|words}` or `{source_id|cite}`",
            Problem::Unclosed => "close the bold text with `**`, or remove the `**`",
        }
    }
}

/// One piece of a text, where it is and how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// What the piece is.
    pub kind: Kind<'a>,
    /// Byte offset of the piece in the text.
    pub start: usize,
    /// The piece as written.
    pub raw: &'a str,
}

/// Whether a byte may appear in a placeholder name.
fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Reads a `{` at `at`: a placeholder, a doubled brace, or a stray brace; returns the kind and its length.
fn open_brace<'a>(bytes: &[u8], at: usize, text: &'a str) -> (Kind<'a>, usize) {
    if bytes.get(at + 1) == Some(&b'{') {
        return (Kind::Brace('{'), 2);
    }
    let name_end = (at + 1..bytes.len()).find(|&i| !name_byte(bytes[i])).unwrap_or(bytes.len());
    let mut end = name_end;
    let mut filter = None;
    if bytes.get(end) == Some(&b'|') {
        let f_end = (end + 1..bytes.len()).find(|&i| !bytes[i].is_ascii_alphanumeric()).unwrap_or(bytes.len());
        filter = Some(&text[end + 1..f_end]);
        end = f_end;
    }
    if bytes.get(end) != Some(&b'}') {
        return (Kind::Stray(Problem::Open), 1);
    }
    let name = &text[at + 1..name_end];
    let kind = match (name.is_empty(), filter) {
        (true, None) => Kind::Stray(Problem::Empty),
        (true, Some(_)) => return (Kind::Stray(Problem::Open), 1),
        (false, None) => Kind::Placeholder { name, filter: Filter::Value },
        (false, Some("abs")) => Kind::Placeholder { name, filter: Filter::Abs },
        (false, Some("cite")) => Kind::Placeholder { name, filter: Filter::Cite },
        (false, Some("words")) => Kind::Placeholder { name, filter: Filter::Words },
        (false, Some(_)) => Kind::Stray(Problem::Filter),
    };
    (kind, end + 1 - at)
}

/// Splits a text into its pieces; never fails, and the pieces' raw texts joined are the text.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (kind, len) = match bytes[i] {
            b'{' => open_brace(bytes, i, text),
            b'}' if bytes.get(i + 1) == Some(&b'}') => (Kind::Brace('}'), 2),
            b'}' => (Kind::Stray(Problem::Close), 1),
            b'*' if bytes.get(i + 1) == Some(&b'*') => (Kind::Bold, 2),
            _ => {
                i += 1;
                continue;
            }
        };
        if text_start < i {
            out.push(Token { kind: Kind::Text, start: text_start, raw: &text[text_start..i] });
        }
        out.push(Token { kind, start: i, raw: &text[i..i + len] });
        i += len;
        text_start = i;
    }
    if text_start < bytes.len() {
        out.push(Token { kind: Kind::Text, start: text_start, raw: &text[text_start..] });
    }
    out
}

/// The placeholders of a text in order: name, filter, and byte offset.
pub fn placeholders(text: &str) -> Vec<(&str, Filter, usize)> {
    tokenize(text)
        .into_iter()
        .filter_map(|t| match t.kind {
            Kind::Placeholder { name, filter } => Some((name, filter, t.start)),
            _ => None,
        })
        .collect()
}

/// Every grammar problem of a text with its byte offset: stray braces, and a last `**` left open.
pub fn problems(text: &str) -> Vec<(Problem, usize)> {
    let tokens = tokenize(text);
    let mut out: Vec<(Problem, usize)> = tokens
        .iter()
        .filter_map(|t| match t.kind {
            Kind::Stray(p) => Some((p, t.start)),
            _ => None,
        })
        .collect();
    let bolds: Vec<usize> = tokens.iter().filter(|t| t.kind == Kind::Bold).map(|t| t.start).collect();
    if bolds.len() % 2 == 1
        && let Some(&last) = bolds.last()
    {
        out.push((Problem::Unclosed, last));
    }
    out
}

/// Writes plain words as a text of this grammar: braces doubled, so they print literally.
pub fn escape_literal(words: &str) -> String {
    words.replace('{', "{{").replace('}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A compact picture of the tokens: `T(..)`, `B{`, `P(name)`, `P(name|abs)`, `*`, `!Open`...
    fn shape(text: &str) -> Vec<String> {
        tokenize(text)
            .iter()
            .map(|t| match t.kind {
                Kind::Text => format!("T({})", t.raw),
                Kind::Brace(c) => format!("B{c}"),
                Kind::Placeholder { name, filter: Filter::Value } => format!("P({name})"),
                Kind::Placeholder { name, filter: Filter::Abs } => format!("P({name}|abs)"),
                Kind::Placeholder { name, filter: Filter::Cite } => format!("P({name}|cite)"),
                Kind::Placeholder { name, filter: Filter::Words } => format!("P({name}|words)"),
                Kind::Bold => "*".to_string(),
                Kind::Stray(p) => format!("!{p:?}@{}", t.start),
            })
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("Trade", &["T(Trade)"]),
            ("over {port_laredo} a", &["T(over )", "P(port_laredo)", "T( a)"]),
            ("{mfg_jobs_lost_us|abs}", &["P(mfg_jobs_lost_us|abs)"]),
            ("claims (x){brookings_2024|cite}.", &["T(claims (x))", "P(brookings_2024|cite)", "T(.)"]),
            ("{a}{b}", &["P(a)", "P(b)"]),
            ("**bold** x", &["*", "T(bold)", "*", "T( x)"]),
            ("a * b", &["T(a * b)"]),
            ("{{literal}}", &["B{", "T(literal)", "B}"]),
            ("{{x}", &["B{", "T(x)", "!Close@3"]),
            ("Titre {", &["T(Titre )", "!Open@6"]),
            ("{é}", &["!Open@0", "T(é)", "!Close@3"]),
            ("}{", &["!Close@0", "!Open@1"]),
            ("{}", &["!Empty@0"]),
            ("{x|round}", &["!Filter@0"]),
            ("{x|words} times", &["P(x|words)", "T( times)"]),
            ("{|abs}", &["!Open@0", "T(|abs)", "!Close@5"]),
            ("{ x }", &["!Open@0", "T( x )", "!Close@4"]),
            ("{a.b-c_1}", &["P(a.b-c_1)"]),
            ("« {x} »", &["T(« )", "P(x)", "T( »)"]),
        ];
        for (text, want) in cases {
            assert_eq!(shape(text), *want, "tokens of {text:?}");
        }
    }

    #[test]
    fn problems_are_located() {
        assert_eq!(problems("ok {x} **b**"), vec![]);
        assert_eq!(problems("a } b"), vec![(Problem::Close, 2)]);
        assert_eq!(problems("**a** **b"), vec![(Problem::Unclosed, 6)]);
        assert_eq!(problems("é {é"), vec![(Problem::Open, 3)]);
    }

    #[test]
    fn placeholders_in_order() {
        assert_eq!(placeholders("{b} and {a|abs}, {{c}}"), vec![("b", Filter::Value, 0), ("a", Filter::Abs, 8)]);
    }

    #[test]
    fn escaping_words_makes_them_literal() {
        let words = "set {x} and }{";
        let text = escape_literal(words);
        assert!(problems(&text).is_empty());
        let back: String = tokenize(&text)
            .iter()
            .map(|t| match t.kind {
                Kind::Brace(c) => c.to_string(),
                _ => t.raw.to_string(),
            })
            .collect();
        assert_eq!(back, words);
    }

    proptest! {
        /// Any text (arbitrary Unicode, heavy in the grammar's own characters) tokenizes without panicking,
        /// into contiguous tokens whose raw texts joined are the text.
        #[test]
        fn tokens_rejoin_to_the_text(text in "([{}*|a-z_]|\\PC|\\p{Cc}|[é«»]){0,64}") {
            let tokens = tokenize(&text);
            let mut at = 0;
            for t in &tokens {
                prop_assert_eq!(t.start, at);
                prop_assert!(!t.raw.is_empty());
                at += t.raw.len();
            }
            prop_assert_eq!(at, text.len());
            let joined: String = tokens.iter().map(|t| t.raw).collect();
            prop_assert_eq!(joined, text.clone());
            for (_, offset) in problems(&text) {
                prop_assert!(text.is_char_boundary(offset));
            }
        }

        /// Literal words escaped with `escape_literal` have no grammar problems and no placeholders.
        #[test]
        fn escaped_words_are_plain(words in "[^*]{0,48}") {
            let text = escape_literal(&words);
            prop_assert!(problems(&text).is_empty());
            prop_assert!(placeholders(&text).is_empty());
        }
    }
}
