//! Where each text of a YAML file is written, to locate a place inside a value and to edit values in place.
//!
//! Locale files are read by serde for their values; this module reads the same text with the YAML parser's
//! events (granit-parser, the parser under serde-saphyr) to learn, for every scalar, its key path, its
//! style and its byte range. With that, a byte offset inside a value (a placeholder in a block scalar)
//! maps to the file's line and column, and a value can be replaced by editing only its own bytes, so
//! comments, key order and the other values' layout stay as they were. Every edit is checked by parsing
//! the result again: each edited key must read back as the new value and every other key as before.

use std::collections::BTreeMap;
use std::ops::Range;

use granit_parser::{Event, Parser, ScalarStyle};

/// How a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `key: words`
    Plain,
    /// `key: 'words'`
    Single,
    /// `key: "words"`
    Double,
    /// `key: |-` and indented lines.
    Literal,
    /// `key: >-` and indented lines folded into one.
    Folded,
}

/// One text value of a YAML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// Dotted path of mapping keys and list indices, e.g. `trade.points.2`.
    pub key: String,
    /// The value after YAML's escapes and folding.
    pub value: String,
    /// How it is written.
    pub style: Style,
    /// The bytes the parser reports for it (block scalars: from the first content character).
    pub range: Range<usize>,
}

/// A container being walked while reading events.
enum Frame {
    /// A mapping; `Some(key)` once its current key is read.
    Map(Option<String>),
    /// A sequence and the index of its next item.
    Seq(usize),
}

/// Every scalar value of a YAML text with its key path; an error (message, byte offset) if it does not parse.
pub fn scalars(text: &str) -> Result<Vec<Scalar>, (String, usize)> {
    walk(text).map(|(scalars, _)| scalars)
}

/// Where each key path of a YAML text is written, as a 1-based line and column: a mapping's key where the key is
/// written, a list item where it starts. An error (message, byte offset) if the text does not parse.
pub fn key_places(text: &str) -> Result<BTreeMap<String, (u64, u64)>, (String, usize)> {
    let (_, starts) = walk(text)?;
    Ok(starts.into_iter().map(|(key, at)| (key, line_col(text, at))).collect())
}

/// The byte offset where each key path of a YAML text is written.
type Starts = BTreeMap<String, usize>;

/// Reads a YAML text's events once: every scalar value with its key path, and the byte offset where each key path
/// is written (the first place, when a key repeats).
fn walk(text: &str) -> Result<(Vec<Scalar>, Starts), (String, usize)> {
    let mut out = Vec::new();
    let mut starts: BTreeMap<String, usize> = BTreeMap::new();
    let mut stack: Vec<(Frame, String)> = Vec::new();
    for ev in Parser::new_from_str(text) {
        let (event, span) = ev.map_err(|e| (e.info().to_string(), e.marker().byte_offset().unwrap_or(0)))?;
        let here = span.byte_range().unwrap_or(0..0);
        // The path of a node about to start, advancing its parent (a mapping's key is not a node here).
        let node_path = |stack: &mut Vec<(Frame, String)>| -> Option<String> {
            let (frame, path) = stack.last_mut()?;
            let seg = match frame {
                Frame::Map(key) => key.take()?,
                Frame::Seq(i) => {
                    *i += 1;
                    (*i - 1).to_string()
                }
            };
            Some(if path.is_empty() { seg } else { format!("{path}.{seg}") })
        };
        // A list item starts where its node does; a mapping's value is placed at its key.
        let in_seq = matches!(stack.last(), Some((Frame::Seq(_), _)));
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = node_path(&mut stack).unwrap_or_default();
                if in_seq {
                    starts.entry(path.clone()).or_insert(here.start);
                }
                let frame = if matches!(event, Event::MappingStart(..)) { Frame::Map(None) } else { Frame::Seq(0) };
                stack.push((frame, path));
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            Event::Scalar(value, style, ..) => {
                if let Some((Frame::Map(key @ None), parent)) = stack.last_mut() {
                    let path = if parent.is_empty() { value.to_string() } else { format!("{parent}.{value}") };
                    starts.entry(path).or_insert(here.start);
                    *key = Some(value.into_owned());
                    continue;
                }
                let Some(key) = node_path(&mut stack) else { continue };
                if in_seq {
                    // A block scalar's item starts at its header (`- |-`), not at its first content line.
                    let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                    starts.entry(key.clone()).or_insert(if block {
                        block_header(text, here.start)
                    } else {
                        here.start
                    });
                }
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::Single,
                    ScalarStyle::DoubleQuoted => Style::Double,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                out.push(Scalar { key, value: value.into_owned(), style, range: here });
            }
            Event::Alias(..) => {
                node_path(&mut stack);
            }
            _ => {}
        }
    }
    Ok((out, starts))
}

/// Where the header (`|-`, `>`) of a block scalar whose content starts at `content` is written.
fn block_header(text: &str, content: usize) -> usize {
    let before = text[..content].trim_end();
    before.len() - before.chars().rev().take_while(|c| "|>+-0123456789".contains(*c)).count()
}

/// The 1-based line and column (in characters) of a byte offset of a text.
pub fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = (0..=offset.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() as u64 + 1)
}

/// The start of the line holding a byte offset.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The number of leading spaces of the line starting at `start`.
fn indent_at(text: &str, start: usize) -> usize {
    text[start..].bytes().take_while(|&b| b == b' ').count()
}

impl Scalar {
    /// The byte offset in the file of a byte offset in the value (the nearest place the parser knows).
    pub fn file_offset(&self, text: &str, value_offset: usize) -> usize {
        let raw = text.get(self.range.clone()).unwrap_or("");
        if self.style == Style::Literal {
            // Literal lines map one to one onto the file's lines, each past the block's indentation.
            let head = self.value.get(..value_offset).unwrap_or(&self.value);
            let k = head.matches('\n').count();
            let col = head.len() - head.rfind('\n').map_or(0, |i| i + 1);
            let indent = self.range.start - line_start(text, self.range.start);
            let mut at = self.range.start;
            for _ in 0..k {
                match text[at..].find('\n') {
                    Some(i) => at += i + 1,
                    None => return self.range.start,
                }
            }
            let line_indent = if k == 0 { 0 } else { indent.min(indent_at(text, at)) };
            return (at + line_indent + col).min(text.len());
        }
        // Otherwise walk the raw text, matching the value's characters and skipping quotes, escapes and breaks.
        let rb = raw.as_bytes();
        let mut r = 0;
        for (i, c) in self.value.char_indices() {
            if i >= value_offset {
                break;
            }
            let mut found = None;
            let mut j = r;
            while j < raw.len() {
                let Some(rc) = raw[j..].chars().next() else { break };
                if rc == c || (c == ' ' && rc == '\n') {
                    found = Some(j + rc.len_utf8());
                    break;
                }
                if rc == '\\' && self.style == Style::Double {
                    let len = escape_len(&rb[j + 1..]);
                    if decode_escape(&raw[j..j + 1 + len]) == Some(c) {
                        found = Some(j + 1 + len);
                        break;
                    }
                    j += 1 + len;
                    continue;
                }
                j += rc.len_utf8();
            }
            match found {
                Some(next) => r = next,
                None => break,
            }
        }
        // Step past a quote or blank that belongs to the writing, not the value.
        let skip = raw[r..].find(|ch: char| !matches!(ch, '"' | '\'' | '\n' | ' ')).unwrap_or(0);
        let skip = if self.value.get(value_offset..).is_some_and(|v| v.starts_with([' ', '\n'])) { 0 } else { skip };
        (self.range.start + r + skip).min(text.len())
    }

    /// The bytes that write this value: from a block scalar's `|`/`>` to the end of its last content line.
    fn region(&self, text: &str) -> (Range<usize>, usize) {
        if !matches!(self.style, Style::Literal | Style::Folded) {
            return (self.range.clone(), line_start(text, self.range.start));
        }
        let first = line_start(text, self.range.start);
        let indent = self.range.start - first;
        // The header is on the nearest non-blank line above the content.
        let mut hdr = first;
        while hdr > 0 {
            hdr = line_start(text, hdr - 1);
            if !text[hdr..].lines().next().unwrap_or("").trim().is_empty() {
                break;
            }
        }
        let hdr_line = text[hdr..].lines().next().unwrap_or("");
        let ind = hdr + hdr_line.find(['|', '>']).unwrap_or(hdr_line.len());
        let mut end = self.range.start;
        let mut at = first;
        while at < text.len() {
            let line = text[at..].split('\n').next().unwrap_or("");
            let blank = line.trim().is_empty();
            if !blank && indent_at(text, at) < indent {
                break;
            }
            if !blank {
                end = at + line.len();
            }
            at += line.len() + 1;
        }
        (ind..end.max(ind), hdr)
    }
}

/// The length of a double-quoted escape after its backslash.
fn escape_len(after: &[u8]) -> usize {
    match after.first() {
        Some(b'x') => 3,
        Some(b'u') => 5,
        Some(b'U') => 9,
        Some(_) => 1,
        None => 0,
    }
    .min(after.len())
}

/// The character a double-quoted escape (`\n`, `\u00e9`..) stands for.
fn decode_escape(esc: &str) -> Option<char> {
    let body = esc.strip_prefix('\\')?;
    let hex = |h: &str| u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
    match body.chars().next()? {
        'n' => Some('\n'),
        't' | '\t' => Some('\t'),
        '0' => Some('\0'),
        'x' | 'u' | 'U' => hex(&body[1..]),
        '_' => Some('\u{a0}'),
        'N' => Some('\u{85}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        c => Some(c),
    }
}

/// A value as a double-quoted scalar on one line.
pub fn double_quoted(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a value can be written plain on one line and read back as the same string.
fn plain_safe(value: &str) -> bool {
    let first = value.chars().next();
    !value.is_empty()
        && value.trim() == value
        && !value.contains(['\n', '\t', '#'])
        && !value.contains(": ")
        && !value.ends_with(':')
        && !value.chars().any(char::is_control)
        && !first.is_some_and(|c| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !matches!(value.to_ascii_lowercase().as_str(), "true" | "false" | "null" | "~" | "yes" | "no")
        && value.parse::<f64>().is_err()
}

/// Whether every line of a value can be written in a literal block and read back the same.
fn block_safe(value: &str) -> bool {
    !value.starts_with([' ', '\n'])
        && !value.chars().any(|c| c.is_control() && c != '\n')
        && !value.ends_with("\n\n")
        && !value.contains("\n ")
}

/// Splits a paragraph into lines of at most `width` characters at single spaces between words.
fn wrap(par: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in par.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        } else if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// A value written as a block scalar (`|` or `>`) whose lines are indented by `indent` spaces.
fn block(value: &str, folded: bool, indent: usize, header_rest: &str) -> String {
    let body = value.strip_suffix('\n').unwrap_or(value);
    let chomp = if value.ends_with('\n') { "" } else { "-" };
    let pad = " ".repeat(indent);
    let lines: Vec<String> = if folded {
        // Folding joins lines with a space; each line break of the value is an empty line.
        let mut out = Vec::new();
        for (i, par) in body.split('\n').enumerate() {
            if i > 0 {
                out.push(String::new());
            }
            if !par.is_empty() {
                out.extend(wrap(par, 100usize.saturating_sub(indent).max(40)));
            }
        }
        out
    } else {
        body.split('\n').map(str::to_string).collect()
    };
    let lines: Vec<String> = lines.into_iter().map(|l| if l.is_empty() { l } else { format!("{pad}{l}") }).collect();
    format!("{}{chomp}{header_rest}\n{}", if folded { '>' } else { '|' }, lines.join("\n"))
}

/// A value written in the given style where it can be, or in the nearest style that reads back the same.
fn encode(value: &str, style: Style, indent: usize, header_rest: &str) -> String {
    let multi = value.contains('\n');
    match style {
        Style::Literal | Style::Folded if block_safe(value) && !value.is_empty() => {
            let folded = style == Style::Folded && !value.contains("  ") && !value.contains("\n\n");
            block(value, folded, indent, header_rest)
        }
        _ if multi && block_safe(value) => block(value, false, indent, header_rest),
        Style::Plain if plain_safe(value) => value.to_string(),
        Style::Single if !multi && !value.chars().any(char::is_control) => format!("'{}'", value.replace('\'', "''")),
        _ => format!("{}{header_rest}", double_quoted(value)),
    }
}

/// Replaces the values of some keys in a YAML text, keeping everything else byte for byte.
///
/// Each value keeps its style where it can (a block stays a block with its indentation; a plain value
/// that needs quotes becomes double-quoted; a one-line value that gains line breaks becomes a `|-`
/// block). The result is parsed again: an error names the first key that would not read back.
pub fn replace_values(text: &str, edits: &BTreeMap<String, String>) -> Result<String, String> {
    let before = scalars(text).map_err(|(m, _)| format!("the file does not parse ({m})"))?;
    if let Some(missing) = edits.keys().find(|k| !before.iter().any(|s| &s.key == *k)) {
        return Err(format!("no text `{missing}` in the file"));
    }
    let want: BTreeMap<&str, &str> =
        before.iter().map(|s| (s.key.as_str(), edits.get(&s.key).map_or(s.value.as_str(), String::as_str))).collect();
    let mut last = String::new();
    // First in each value's own style; should anything not read back, again with every edit double-quoted.
    for quoted in [false, true] {
        let out = apply(text, &before, edits, quoted);
        let after = match scalars(&out) {
            Ok(a) => a,
            Err((m, _)) => {
                last = format!("the edited file would not parse ({m})");
                continue;
            }
        };
        let got: BTreeMap<&str, &str> = after.iter().map(|s| (s.key.as_str(), s.value.as_str())).collect();
        match want.iter().find(|(k, v)| got.get(*k) != Some(*v)) {
            None if got.len() == want.len() => return Ok(out),
            found => last = format!("`{}` would not read back as the new text", found.map_or("?", |(k, _)| k)),
        }
    }
    Err(last)
}

/// Writes each edited value over its region; `quoted` writes every edit as a double-quoted scalar.
fn apply(text: &str, before: &[Scalar], edits: &BTreeMap<String, String>, quoted: bool) -> String {
    let mut spans: Vec<(Range<usize>, String)> = Vec::new();
    for s in before.iter().filter(|s| edits.contains_key(&s.key)) {
        let new = &edits[&s.key];
        if *new == s.value {
            continue;
        }
        let (mut region, hdr) = s.region(text);
        let key_indent = indent_at(text, hdr);
        // `- key: value` puts the key two columns right of the dash.
        let keyed_item = text[hdr + key_indent..].starts_with("- ")
            && text.get(hdr + key_indent + 2..region.start).is_some_and(|t| t.contains(':'));
        let block = matches!(s.style, Style::Literal | Style::Folded);
        let indent = if block {
            s.range.start - line_start(text, s.range.start)
        } else {
            key_indent + 2 + if keyed_item { 2 } else { 0 }
        };
        let header_rest = if block {
            let after = &text[region.start + 1..];
            let rest = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
            rest.split('\n').next().unwrap_or("").to_string()
        } else {
            String::new()
        };
        let mut written = if quoted { double_quoted(new) } else { encode(new, s.style, indent, &header_rest) };
        if block && !written.starts_with(['|', '>']) {
            // A block turned into a quoted value: its header comment has to go after it.
            written = format!("{}{header_rest}", double_quoted(new));
        }
        // A one-line value that becomes a block takes the rest of its line (a comment) into the header.
        if !block && written.starts_with(['|', '>']) {
            let line_end = text[region.end..].find('\n').map_or(text.len(), |i| region.end + i);
            let rest = &text[region.end..line_end];
            if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
                written = encode(new, s.style, indent, rest);
                region.end = line_end;
            }
        }
        spans.push((region, written));
    }
    spans.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (r, w) in &spans {
        out.push_str(&text[at..r.start]);
        out.push_str(w);
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FILE: &str = "# Words.\ntrade:\n  title: Trade  # short\n  body: |-\n    In {x} years,\n\n    more {y}.\n  points:\n    - \"{a} in the U.S.,\"\n    - |-\n      Two {b}\n  # between\n  q: 'it''s {c}'\n  f: >-\n    folded {d}\n    line\nend: x\n";

    #[test]
    fn keys_values_and_styles() {
        let s = scalars(FILE).unwrap();
        let got: Vec<(&str, &str, Style)> = s.iter().map(|s| (s.key.as_str(), s.value.as_str(), s.style)).collect();
        assert_eq!(
            got,
            vec![
                ("trade.title", "Trade", Style::Plain),
                ("trade.body", "In {x} years,\n\nmore {y}.", Style::Literal),
                ("trade.points.0", "{a} in the U.S.,", Style::Double),
                ("trade.points.1", "Two {b}", Style::Literal),
                ("trade.q", "it's {c}", Style::Single),
                ("trade.f", "folded {d} line", Style::Folded),
                ("end", "x", Style::Plain),
            ]
        );
    }

    #[test]
    fn key_places_are_where_keys_and_items_are_written() {
        let places = key_places(FILE).unwrap();
        let at = |k: &str| places.get(k).copied();
        assert_eq!(at("trade"), Some((2, 1)));
        assert_eq!(at("trade.title"), Some((3, 3)));
        assert_eq!(at("trade.points"), Some((8, 3)));
        // A list item where it starts; a block scalar's at its header, not at its first line.
        assert_eq!(at("trade.points.0"), Some((9, 7)));
        assert_eq!(at("trade.points.1"), Some((10, 7)));
        assert_eq!(at("end"), Some((17, 1)));
        // A folded line that holds a colon is words, not a key.
        let folded = "a: >-\n  words\n  Project: more\n";
        assert_eq!(key_places(folded).unwrap().keys().collect::<Vec<_>>(), vec!["a"]);
    }

    #[test]
    fn offsets_in_values_map_to_file_positions() {
        let s = scalars(FILE).unwrap();
        let at = |key: &str, needle: &str| {
            let sc = s.iter().find(|x| x.key == key).unwrap();
            line_col(FILE, sc.file_offset(FILE, sc.value.find(needle).unwrap()))
        };
        assert_eq!(at("trade.body", "{x}"), (5, 8));
        assert_eq!(at("trade.body", "{y}"), (7, 10));
        assert_eq!(at("trade.points.0", "{a}"), (9, 8));
        assert_eq!(at("trade.points.1", "{b}"), (11, 11));
        assert_eq!(at("trade.q", "{c}"), (13, 13));
        assert_eq!(at("trade.f", "{d}"), (15, 12));
        assert_eq!(at("trade.f", "line"), (16, 5));
        assert_eq!(at("trade.title", "Trade"), (3, 10));
    }

    #[test]
    fn edits_keep_comments_order_and_layout() {
        let edits: BTreeMap<String, String> = [
            ("trade.title", "Commerce"),
            ("trade.body", "En {x} ans,\n\nplus {y}."),
            ("trade.points.0", "{a} aux É.-U.,"),
            ("trade.q", "c'est {c}"),
            ("trade.f", "plié {d} ligne"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let out = replace_values(FILE, &edits).unwrap();
        assert_eq!(
            out,
            "# Words.\ntrade:\n  title: Commerce  # short\n  body: |-\n    En {x} ans,\n\n    plus {y}.\n  points:\n    - \"{a} aux É.-U.,\"\n    - |-\n      Two {b}\n  # between\n  q: 'c''est {c}'\n  f: >-\n    plié {d} ligne\nend: x\n"
        );
    }

    #[test]
    fn values_change_style_only_when_they_must() {
        let text = "a: plain\nb:\n  - item\nc: |-\n  block\n";
        let edits: BTreeMap<String, String> =
            [("a", "{x} starts with a brace"), ("b.0", "two\nlines"), ("c", " leading space")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let out = replace_values(text, &edits).unwrap();
        assert_eq!(out, "a: \"{x} starts with a brace\"\nb:\n  - |-\n    two\n    lines\nc: \" leading space\"\n");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let edits = BTreeMap::from([("nope".to_string(), "x".to_string())]);
        assert!(replace_values("a: b\n", &edits).unwrap_err().contains("nope"));
    }

    proptest! {
        /// Any value written over any scalar of the sample reads back as itself, the others unchanged.
        #[test]
        fn any_value_reads_back(key in 0usize..7, value in "([a-z {}*\"'#:|>-]|\\PC|\n){0,40}") {
            let keys = ["trade.title", "trade.body", "trade.points.0", "trade.points.1", "trade.q", "trade.f", "end"];
            let edits = BTreeMap::from([(keys[key].to_string(), value.clone())]);
            let out = replace_values(FILE, &edits);
            prop_assert!(out.is_ok(), "{:?}", out);
            let back = scalars(&out.unwrap_or_default()).unwrap_or_default();
            prop_assert_eq!(back.iter().find(|s| s.key == keys[key]).map(|s| s.value.clone()), Some(value));
        }
    }
}
