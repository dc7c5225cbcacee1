//! Writing an XLIFF 2.0 document: one `<file>` per locale file, one `<unit>` per text.

use std::collections::BTreeMap;

use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Inline, NS, to_inline};
use crate::ids::LocaleTag;

/// One text to translate.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The full key, as `check` names it.
    pub key: String,
    /// The en-US text.
    pub source: String,
    /// The locale's text, when it has one.
    pub target: Option<String>,
    /// The segment state: `initial`, `translated`, `reviewed` or `final`.
    pub state: &'static str,
    /// Notes for the translator: (category, text).
    pub notes: Vec<(&'static str, String)>,
}

/// One locale file's texts.
#[derive(Debug, Clone)]
pub struct File {
    /// The file's id (its stem, e.g. `fast-facts`).
    pub id: String,
    /// The locale file the targets go to, e.g. `locales/es-MX/fast-facts.yaml`.
    pub original: String,
    /// Its texts in file order.
    pub units: Vec<Unit>,
}

/// What a whole export holds.
#[derive(Debug, Clone)]
pub struct Document {
    /// The target locale tag.
    pub trg_lang: LocaleTag,
    /// The files.
    pub files: Vec<File>,
    /// The figure each placeholder shows in the target locale (`{fact_id}` → `USD 1.6 trillion`).
    pub disp: BTreeMap<String, String>,
}

/// An XML writer over a byte buffer.
type W = Writer<Vec<u8>>;

/// Writes a newline and indentation between elements (never inside `<source>` or `<target>`).
fn indent(w: &mut W, depth: usize) -> std::io::Result<()> {
    w.write_event(Event::Text(BytesText::from_escaped(format!("\n{}", "  ".repeat(depth)))))
}

/// Whether XML 1.0 can carry a character as text.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Writes words, with characters XML cannot carry as `<cp hex=".."/>`.
fn words(w: &mut W, text: &str) -> std::io::Result<()> {
    let mut run = String::new();
    for c in text.chars() {
        if xml_char(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            w.write_event(Event::Text(BytesText::from_escaped(partial_escape(std::mem::take(&mut run)))))?;
        }
        let hex = format!("{:04X}", c as u32);
        w.write_event(Event::Empty(BytesStart::new("cp").with_attributes([("hex", hex.as_str())])))?;
    }
    if !run.is_empty() {
        w.write_event(Event::Text(BytesText::from_escaped(partial_escape(run))))?;
    }
    Ok(())
}

/// Writes inline content: placeholders as `<ph>`, bold pairs as `<pc>` (a bold left open as a `<ph>`).
fn content(w: &mut W, inline: &[Inline], disp: &BTreeMap<String, String>) -> std::io::Result<()> {
    let bolds = inline.iter().filter(|i| **i == Inline::Bold).count();
    let mut seen_bold = 0;
    let mut pairs = 0;
    for piece in inline {
        match piece {
            Inline::Text(t) => words(w, t)?,
            Inline::Ph { id, equiv } => {
                let equiv = equiv.as_deref().unwrap_or_default();
                let shown = disp.get(equiv).map_or(equiv, String::as_str);
                let ph = BytesStart::new("ph").with_attributes([
                    ("id", id.as_str()),
                    ("canCopy", "no"),
                    ("canDelete", "no"),
                    ("equiv", equiv),
                    ("disp", shown),
                ]);
                w.write_event(Event::Empty(ph))?;
            }
            Inline::Bold => {
                seen_bold += 1;
                if seen_bold % 2 == 0 {
                    w.write_event(Event::End(BytesEnd::new("pc")))?;
                } else if seen_bold == bolds {
                    let id = format!("b{}", pairs + 1);
                    let ph =
                        BytesStart::new("ph").with_attributes([("id", id.as_str()), ("equiv", "**"), ("disp", "**")]);
                    w.write_event(Event::Empty(ph))?;
                } else {
                    pairs += 1;
                    let id = format!("b{pairs}");
                    let pc = BytesStart::new("pc").with_attributes([
                        ("id", id.as_str()),
                        ("type", "fmt"),
                        ("subType", "xlf:b"),
                        ("equivStart", "**"),
                        ("equivEnd", "**"),
                    ]);
                    w.write_event(Event::Start(pc))?;
                }
            }
        }
    }
    Ok(())
}

/// Writes one unit.
fn unit(w: &mut W, u: &Unit, disp: &BTreeMap<String, String>) -> std::io::Result<()> {
    indent(w, 2)?;
    w.write_event(Event::Start(BytesStart::new("unit").with_attributes([("id", u.key.as_str())])))?;
    if !u.notes.is_empty() {
        indent(w, 3)?;
        w.write_event(Event::Start(BytesStart::new("notes")))?;
        for (category, text) in &u.notes {
            indent(w, 4)?;
            w.write_event(Event::Start(BytesStart::new("note").with_attributes([("category", *category)])))?;
            words(w, text)?;
            w.write_event(Event::End(BytesEnd::new("note")))?;
        }
        indent(w, 3)?;
        w.write_event(Event::End(BytesEnd::new("notes")))?;
    }
    indent(w, 3)?;
    w.write_event(Event::Start(BytesStart::new("segment").with_attributes([("state", u.state)])))?;
    let mut ids = Vec::new();
    let source = to_inline(&u.source, &mut ids);
    let parts: Vec<(&str, Vec<Inline>)> = std::iter::once(("source", source))
        .chain(u.target.as_deref().map(|t| ("target", to_inline(t, &mut ids))))
        .collect();
    for (name, inline) in &parts {
        indent(w, 4)?;
        w.write_event(Event::Start(BytesStart::new(*name).with_attributes([("xml:space", "preserve")])))?;
        content(w, inline, disp)?;
        w.write_event(Event::End(BytesEnd::new(*name)))?;
    }
    indent(w, 3)?;
    w.write_event(Event::End(BytesEnd::new("segment")))?;
    indent(w, 2)?;
    w.write_event(Event::End(BytesEnd::new("unit")))
}

/// The XLIFF 2.0 text of a document.
pub fn document(doc: &Document) -> std::io::Result<String> {
    let mut w = Writer::new(Vec::new());
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    indent(&mut w, 0)?;
    let root = BytesStart::new("xliff").with_attributes([
        ("xmlns", NS),
        ("version", "2.0"),
        ("srcLang", "en-US"),
        ("trgLang", doc.trg_lang.as_str()),
    ]);
    w.write_event(Event::Start(root))?;
    for f in &doc.files {
        indent(&mut w, 1)?;
        let file = BytesStart::new("file").with_attributes([("id", f.id.as_str()), ("original", f.original.as_str())]);
        w.write_event(Event::Start(file))?;
        for u in &f.units {
            unit(&mut w, u, &doc.disp)?;
        }
        indent(&mut w, 1)?;
        w.write_event(Event::End(BytesEnd::new("file")))?;
    }
    indent(&mut w, 0)?;
    w.write_event(Event::End(BytesEnd::new("xliff")))?;
    indent(&mut w, 0)?;
    String::from_utf8(w.into_inner()).map_err(std::io::Error::other)
}
