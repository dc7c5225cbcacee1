//! Reading an XLIFF 2.0 document as a CAT tool sends it back: namespace-aware, with every unit's line.
//!
//! Elements are matched by namespace and local name, attributes by name in any order; unknown attributes
//! and elements of other namespaces (tool extensions) are skipped. Segmented units are joined in order
//! (an `<ignorable>` without target keeps its source). `<pc>`, `<sc>`/`<ec>` of bold, `<ph>`, `<mrk>`,
//! `<sm>`/`<em>` and `<cp>` are understood in sources and targets; text may use entities and CDATA.

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};

use super::{Inline, NS};
use crate::ids::LocaleTag;
use crate::locale::fingerprint::State;

/// A problem in the XLIFF text: message and 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub col: u64,
}

/// One `<file>` element.
#[derive(Debug, Clone, Default)]
pub struct FileIn {
    /// Its `id`.
    pub id: String,
    /// Its `original`, the locale file it came from.
    pub original: Option<String>,
    /// The line of its start tag.
    pub line: u64,
}

/// One `<unit>` as read.
#[derive(Debug, Clone, Default)]
pub struct UnitIn {
    /// Its `id` (the locale key).
    pub id: String,
    /// The line of its start tag.
    pub line: u64,
    /// The line of its first `<target>` start tag (0 when it has none).
    pub target_line: u64,
    /// The source content of all its segments, joined.
    pub source: Vec<Inline>,
    /// The target content of all its segments, joined; `None` when a segment has none.
    pub target: Option<Vec<Inline>>,
    /// The lowest state of its segments; `None` for `initial` (or no state).
    pub state: Option<State>,
}

/// A whole document.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// `version` of the root.
    pub version: String,
    /// `srcLang` of the root.
    pub src_lang: LocaleTag,
    /// `trgLang` of the root, if any.
    pub trg_lang: Option<LocaleTag>,
    /// The line of the root element.
    pub line: u64,
    /// The files.
    pub files: Vec<FileIn>,
    /// The units in document order.
    pub units: Vec<UnitIn>,
}

/// The 1-based line and column of a byte offset.
fn line_col(text: &str, pos: u64) -> (u64, u64) {
    crate::yamlspan::line_col(text, usize::try_from(pos).unwrap_or(usize::MAX))
}

/// What an open inline element stands for, to know what its end tag means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A bold `<pc>`.
    Bold,
    /// An element whose content is kept and whose markup is dropped.
    Transparent,
    /// A `<ph>` written with an end tag.
    Ph,
}

/// The reader's state while walking the document.
#[derive(Default)]
struct Walk {
    /// The document so far.
    doc: Parsed,
    /// Whether the root was seen.
    root: bool,
    /// Nesting depth inside elements being skipped.
    skip: usize,
    /// The unit being read.
    unit: Option<UnitIn>,
    /// The state of the segment being read (`Some(None)` is `initial`).
    segment: Option<(bool, Option<State>)>,
    /// Source and target of the current segment.
    seg_source: Vec<Inline>,
    /// Target of the current segment, if any.
    seg_target: Option<Vec<Inline>>,
    /// The content being collected (inside `<source>` or `<target>`) and its open inline elements.
    content: Option<(Vec<Inline>, Vec<Open>)>,
    /// Whether the unit lacked a target in some segment.
    incomplete: bool,
    /// Segments of the current unit read so far.
    segments: usize,
}

/// An attribute without prefix, by name, unescaped.
fn attr(e: &BytesStart, name: &str, line: u64, col: u64) -> Result<Option<String>, XmlError> {
    for a in e.attributes() {
        let a = a.map_err(|err| XmlError { message: format!("malformed attribute ({err})"), line, col })?;
        if a.key.prefix().is_none() && a.key.local_name().as_ref() == name.as_bytes() {
            let v = a.unescape_value().map_err(|err| XmlError {
                message: format!("bad attribute value ({err})"),
                line,
                col,
            })?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// Appends words to content, merging with the words before.
fn push_text(content: &mut Vec<Inline>, s: &str) {
    match content.last_mut() {
        Some(Inline::Text(t)) => t.push_str(s),
        _ => content.push(Inline::Text(s.to_string())),
    }
}

/// Appends a piece of content, merging words with the words before.
fn push_inline(content: &mut Vec<Inline>, piece: Inline) {
    match piece {
        Inline::Text(t) => push_text(content, &t),
        other => content.push(other),
    }
}

impl Walk {
    /// Handles a start (or empty) tag in the XLIFF namespace.
    fn start(&mut self, e: &BytesStart, empty: bool, line: u64, col: u64) -> Result<(), XmlError> {
        let local = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        let err = |m: String| XmlError { message: m, line, col };
        if let Some((content, open)) = &mut self.content {
            match local.as_str() {
                "ph" => {
                    let id = attr(e, "id", line, col)?.ok_or_else(|| err("a <ph> without id".into()))?;
                    content.push(Inline::Ph { id, equiv: attr(e, "equiv", line, col)? });
                    if !empty {
                        open.push(Open::Ph);
                    }
                }
                "pc" | "sc" | "ec" => {
                    let sub = attr(e, "subType", line, col)?;
                    let bold = sub.as_deref().is_none_or(|s| s == "xlf:b");
                    if local == "pc" {
                        if bold {
                            content.push(Inline::Bold);
                        }
                        if empty {
                            if bold {
                                content.push(Inline::Bold);
                            }
                        } else {
                            open.push(if bold { Open::Bold } else { Open::Transparent });
                        }
                    } else if bold {
                        content.push(Inline::Bold);
                    }
                }
                "mrk" | "sm" | "em" => {
                    if !empty {
                        open.push(Open::Transparent);
                    }
                }
                "cp" => {
                    let hex = attr(e, "hex", line, col)?.unwrap_or_default();
                    let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    let c = c.ok_or_else(|| err(format!("<cp hex=\"{hex}\"> is not a character")))?;
                    push_text(content, &c.to_string());
                    if !empty {
                        open.push(Open::Transparent);
                    }
                }
                other => return Err(err(format!("unexpected <{other}> inside a source or target"))),
            }
            return Ok(());
        }
        match local.as_str() {
            "xliff" => {
                self.root = true;
                self.doc.line = line;
                self.doc.version = attr(e, "version", line, col)?.unwrap_or_default();
                self.doc.src_lang = attr(e, "srcLang", line, col)?.map(LocaleTag::from).unwrap_or_default();
                self.doc.trg_lang = attr(e, "trgLang", line, col)?.map(LocaleTag::from);
            }
            "file" => self.doc.files.push(FileIn {
                id: attr(e, "id", line, col)?.unwrap_or_default(),
                original: attr(e, "original", line, col)?,
                line,
            }),
            "unit" => {
                let id = attr(e, "id", line, col)?.ok_or_else(|| err("a <unit> without id".into()))?;
                self.unit = Some(UnitIn { id, line, target: Some(Vec::new()), ..UnitIn::default() });
                self.incomplete = false;
                self.segments = 0;
                if empty {
                    self.end_unit();
                }
            }
            "segment" | "ignorable" => {
                let state = attr(e, "state", line, col)?;
                self.segment = Some((local == "segment", state.as_deref().and_then(State::parse)));
                self.seg_source.clear();
                self.seg_target = None;
            }
            "source" | "target" if self.segment.is_some() => {
                if local == "target"
                    && let Some(u) = self.unit.as_mut().filter(|u| u.target_line == 0)
                {
                    u.target_line = line;
                }
                self.content = Some((Vec::new(), Vec::new()));
                if empty {
                    self.end_content(&local);
                }
            }
            "notes" | "originalData" | "skeleton" if !empty => self.skip = 1,
            _ => {}
        }
        Ok(())
    }

    /// Closes a `<source>` or `<target>`.
    fn end_content(&mut self, local: &str) {
        if let Some((content, _)) = self.content.take() {
            if local == "source" {
                self.seg_source = content;
            } else {
                self.seg_target = Some(content);
            }
        }
    }

    /// Closes a `<unit>`: its segments' content joined.
    fn end_unit(&mut self) {
        if let Some(mut u) = self.unit.take() {
            if self.incomplete {
                u.target = None;
            }
            self.doc.units.push(u);
        }
    }

    /// Handles an end tag in the XLIFF namespace.
    fn end(&mut self, local: &str) {
        if let Some((content, open)) = &mut self.content
            && !matches!(local, "source" | "target")
        {
            if open.pop() == Some(Open::Bold) {
                content.push(Inline::Bold);
            }
            return;
        }
        match local {
            "source" | "target" => self.end_content(local),
            "segment" | "ignorable" => {
                let Some((is_segment, state)) = self.segment.take() else { return };
                let Some(u) = self.unit.as_mut() else { return };
                let target = match self.seg_target.take() {
                    Some(t) => t,
                    None if !is_segment => self.seg_source.clone(),
                    None => {
                        self.incomplete = true;
                        Vec::new()
                    }
                };
                if is_segment {
                    u.state = if self.segments == 0 { state } else { u.state.min(state) };
                    self.segments += 1;
                }
                for piece in std::mem::take(&mut self.seg_source) {
                    push_inline(&mut u.source, piece);
                }
                if let Some(t) = u.target.as_mut() {
                    for piece in target {
                        push_inline(t, piece);
                    }
                }
            }
            "unit" => self.end_unit(),
            _ => {}
        }
    }

    /// Handles words (already unescaped) at the current place.
    fn text(&mut self, s: &str) {
        if let Some((content, _)) = &mut self.content {
            push_text(content, s);
        }
    }
}

/// Parses an XLIFF 2.0 document; malformed XML, or a root that is not XLIFF 2.0, is an error with its place.
pub fn parse(text: &str) -> Result<Parsed, XmlError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut w = Walk::default();
    loop {
        let before = reader.buffer_position();
        let (line, col) = line_col(text, before);
        let event = reader.read_resolved_event();
        let (ns, event) = match event {
            Ok((ns, ev)) => (matches!(ns, ResolveResult::Bound(Namespace(n)) if n == NS.as_bytes()), ev.into_owned()),
            Err(e) => {
                let (line, col) = line_col(text, reader.error_position());
                return Err(XmlError { message: format!("malformed XML ({e})"), line, col });
            }
        };
        if w.skip > 0 {
            match event {
                Event::Start(_) => w.skip += 1,
                Event::End(_) => w.skip -= 1,
                Event::Eof => {}
                _ => continue,
            }
            if !matches!(event, Event::Eof) {
                continue;
            }
        }
        match event {
            Event::Start(e) | Event::Empty(e) if !(w.root || ns && e.local_name().as_ref() == b"xliff") => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(XmlError {
                    message: format!(
                        "not an XLIFF 2.0 document (the root element is <{name}>, not <xliff xmlns=\"{NS}\">)"
                    ),
                    line,
                    col,
                });
            }
            Event::Start(e) if ns => w.start(&e, false, line, col)?,
            Event::Empty(e) if ns => w.start(&e, true, line, col)?,
            Event::Start(_) => {
                if let Some((_, open)) = &mut w.content {
                    open.push(Open::Transparent);
                } else {
                    w.skip = 1;
                }
            }
            Event::End(e) if ns => w.end(&String::from_utf8_lossy(e.local_name().as_ref())),
            Event::End(_) => {
                if let Some((_, open)) = &mut w.content {
                    open.pop();
                }
            }
            Event::Text(t) => {
                let s = t.xml_content().map_err(|e| XmlError { message: format!("bad text ({e})"), line, col })?;
                w.text(&s);
            }
            Event::CData(c) => {
                let s = c.decode().map_err(|e| XmlError { message: format!("bad CDATA ({e})"), line, col })?;
                w.text(&s.replace("\r\n", "\n").replace('\r', "\n"));
            }
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(XmlError { message: format!("unknown entity `&{name};`"), line, col });
                        }
                    },
                };
                w.text(&c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !w.root {
        return Err(XmlError { message: "not an XLIFF 2.0 document (no <xliff> element)".into(), line: 1, col: 1 });
    }
    Ok(w.doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_a_cat_tool_sends() {
        let text = r#"<?xml version="1.0" encoding="utf-8"?>
<!-- exported by SomeTool 12 -->
<x:xliff trgLang="fr-CA" srcLang="en-US" version="2.0" xmlns:x="urn:oasis:names:tc:xliff:document:2.0" xmlns:t="urn:tool">
 <x:file original="locales/fr-CA/a.yaml" id="a" t:job="7">
  <x:unit t:note="x" id="a.body">
   <t:meta><x:unit id="ignored"/></t:meta>
   <x:segment state="reviewed" t:score="99">
    <x:source>In <x:ph equiv="{x}" disp="10" id="1"/> <x:pc subType="xlf:b" type="fmt" id="b1">years</x:pc></x:source>
    <x:target><x:pc id="b1" type="fmt">En</x:pc> <![CDATA[<ans> ]]><x:ph id="1"/> &amp; <x:mrk id="m" type="term">plus</x:mrk>&#233;</x:target>
   </x:segment>
   <x:ignorable><x:source>.</x:source></x:ignorable>
  </x:unit>
 </x:file>
</x:xliff>"#;
        let d = parse(text).unwrap();
        assert_eq!((d.src_lang.as_str(), d.trg_lang.as_deref(), d.version.as_str()), ("en-US", Some("fr-CA"), "2.0"));
        assert_eq!(d.units.len(), 1);
        let u = &d.units[0];
        assert_eq!((u.id.as_str(), u.line, u.state), ("a.body", 5, Some(State::Reviewed)));
        assert_eq!(
            u.target.clone().unwrap(),
            vec![
                Inline::Bold,
                Inline::Text("En".into()),
                Inline::Bold,
                Inline::Text(" <ans> ".into()),
                Inline::Ph { id: "1".into(), equiv: None },
                Inline::Text(" & plusé.".into()),
            ]
        );
    }

    #[test]
    fn malformed_xml_is_located() {
        let e = parse("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\">\n<file>\n</unit>").unwrap_err();
        assert!(e.message.starts_with("malformed XML"), "{e:?}");
        assert_eq!(e.line, 3);
        let e = parse("<?xml version=\"1.0\"?>\n<xliff version=\"1.2\"/>").unwrap_err();
        assert!(e.message.contains("not an XLIFF 2.0 document"), "{e:?}");
        assert_eq!(e.line, 2);
    }
}
