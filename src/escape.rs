//! Escaping text for Typst markup and Typst string literals.

/// Escapes text so Typst markup prints it literally (no code, math, markup or comments).
///
/// Straight double quotes print as typed (writers use “ ” or « » for typographic quotes);
/// apostrophes are left to Typst, which prints them as typographic apostrophes.
pub fn markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut line_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '@' | '<' | '>' | '[' | ']' | '`' | '~' | '=' | '-' | '+' | '/' | '{'
            | '}' | '"' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
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
        line_start = c == '\n' || (line_start && (c == ' ' || c == '\t'));
    }
    out
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
}
