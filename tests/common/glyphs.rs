//! Where a PDF draws each glyph, read with lopdf: a small interpreter of the page content's text and graphics
//! state operators (PDF 1.7, 9.4 and 8.4), with glyph widths from the fonts' `W` arrays and characters from their
//! `ToUnicode` maps. pdf-extract reads no widths from Typst's fonts, so it cannot say where a line ends.

use std::collections::HashMap;
use std::path::Path;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A glyph as drawn: page (from 1), the left of its advance and its baseline (points from the page's top left),
/// its advance width and font size in points, its font's name and the text it stands for.
#[derive(Debug, Clone)]
pub struct PdfGlyph {
    pub page: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub font: String,
    pub text: String,
}

/// A PDF matrix `[a b c d e f]`, points as row vectors.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
fn mul(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// What a glyph needs of its font: widths by code, characters by code, and whether codes take two bytes.
struct Font {
    name: String,
    widths: HashMap<u32, f64>,
    default_width: f64,
    unicode: HashMap<u32, String>,
    two_bytes: bool,
}

/// A number operand.
fn num(o: &Object) -> f64 {
    match o {
        Object::Integer(i) => *i as f64,
        Object::Real(r) => f64::from(*r),
        _ => 0.0,
    }
}

/// An object with references followed.
fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

/// A dictionary entry with references followed.
fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

/// The characters of a ToUnicode CMap, by code.
fn to_unicode(doc: &Document, font: &Dictionary) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    let Some(Object::Stream(s)) = get(doc, font, b"ToUnicode") else { return map };
    let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
    let text = String::from_utf8_lossy(&data);
    let hex = |t: &str| u32::from_str_radix(t.trim_matches(['<', '>']), 16).unwrap_or(0);
    let utf16 = |t: &str| {
        let t = t.trim_matches(['<', '>']);
        let units: Vec<u16> =
            (0..t.len() / 4).map(|i| u16::from_str_radix(&t[i * 4..i * 4 + 4], 16).unwrap_or(0)).collect();
        String::from_utf16_lossy(&units)
    };
    let mut section = "";
    for line in text.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") {
            section = "char";
        } else if line.ends_with("beginbfrange") {
            section = "range";
        } else if line.starts_with("end") {
            section = "";
        } else if section == "char" {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() >= 2 {
                map.insert(hex(parts[0]), utf16(parts[1]));
            }
        } else if section == "range" {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() >= 3 && !parts[2].starts_with('[') {
                let (lo, hi) = (hex(parts[0]), hex(parts[1]));
                let first: Vec<u16> = utf16(parts[2]).encode_utf16().collect();
                for (i, code) in (lo..=hi).enumerate() {
                    let mut units = first.clone();
                    if let Some(last) = units.last_mut() {
                        *last += i as u16;
                    }
                    map.insert(code, String::from_utf16_lossy(&units));
                }
            }
        }
    }
    map
}

/// Reads a font resource.
fn font(doc: &Document, d: &Dictionary) -> Font {
    let name = get(doc, d, b"BaseFont").and_then(|o| o.as_name().ok()).map(|n| String::from_utf8_lossy(n).to_string());
    let mut widths = HashMap::new();
    let mut default_width = 1000.0;
    let two_bytes = get(doc, d, b"Subtype").and_then(|o| o.as_name().ok()) == Some(b"Type0".as_slice());
    if two_bytes {
        let descendant = get(doc, d, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(cid) = descendant {
            default_width = get(doc, cid, b"DW").map(num).unwrap_or(1000.0);
            if let Some(Object::Array(w)) = get(doc, cid, b"W") {
                let mut i = 0;
                while i + 1 < w.len() {
                    let first = num(deref(doc, &w[i])) as u32;
                    match deref(doc, &w[i + 1]) {
                        Object::Array(list) => {
                            for (j, v) in list.iter().enumerate() {
                                widths.insert(first + j as u32, num(deref(doc, v)));
                            }
                            i += 2;
                        }
                        last => {
                            let (last, width) =
                                (num(last) as u32, w.get(i + 2).map(|o| num(deref(doc, o))).unwrap_or(0.0));
                            for code in first..=last {
                                widths.insert(code, width);
                            }
                            i += 3;
                        }
                    }
                }
            }
        }
    } else {
        let first = get(doc, d, b"FirstChar").map(num).unwrap_or(0.0) as u32;
        if let Some(Object::Array(w)) = get(doc, d, b"Widths") {
            for (j, v) in w.iter().enumerate() {
                widths.insert(first + j as u32, num(deref(doc, v)));
            }
        }
    }
    Font { name: name.unwrap_or_default(), widths, default_width, unicode: to_unicode(doc, d), two_bytes }
}

/// The graphics and text state of the interpreter.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<String>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
}

/// Runs one content stream (a page's or a form XObject's) with its resources.
fn run(
    doc: &Document,
    content: &[u8],
    resources: Option<&Dictionary>,
    start: State,
    page: u32,
    height: f64,
    out: &mut Vec<PdfGlyph>,
) {
    let Ok(ops) = lopdf::content::Content::decode(content) else { return };
    let mut fonts: HashMap<String, Font> = HashMap::new();
    if let Some(f) = resources.and_then(|r| get(doc, r, b"Font")).and_then(|o| o.as_dict().ok()) {
        for (k, v) in f.iter() {
            if let Ok(d) = deref(doc, v).as_dict() {
                fonts.insert(String::from_utf8_lossy(k).to_string(), font(doc, d));
            }
        }
    }
    let xobjects = resources.and_then(|r| get(doc, r, b"XObject")).and_then(|o| o.as_dict().ok());
    let mut st = start;
    let mut stack: Vec<State> = Vec::new();
    for op in ops.operations {
        let a = &op.operands;
        let n = |i: usize| a.get(i).map(num).unwrap_or(0.0);
        match op.operator.as_str() {
            "q" => stack.push(st.clone()),
            "Q" => st = stack.pop().unwrap_or(st),
            "cm" => st.ctm = mul([n(0), n(1), n(2), n(3), n(4), n(5)], st.ctm),
            "BT" => {
                st.tm = IDENTITY;
                st.tlm = IDENTITY;
            }
            "Tf" => {
                st.font = a.first().and_then(|o| o.as_name().ok()).map(|n| String::from_utf8_lossy(n).to_string());
                st.size = n(1);
            }
            "Tc" => st.char_spacing = n(0),
            "Tw" => st.word_spacing = n(0),
            "Tz" => st.scale = n(0) / 100.0,
            "TL" => st.leading = n(0),
            "Ts" => st.rise = n(0),
            "Td" | "TD" => {
                if op.operator == "TD" {
                    st.leading = -n(1);
                }
                st.tlm = mul([1.0, 0.0, 0.0, 1.0, n(0), n(1)], st.tlm);
                st.tm = st.tlm;
            }
            "Tm" => {
                st.tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                st.tm = st.tlm;
            }
            "T*" => {
                st.tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], st.tlm);
                st.tm = st.tlm;
            }
            "Tj" | "'" | "\"" | "TJ" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    st.tlm = mul([1.0, 0.0, 0.0, 1.0, 0.0, -st.leading], st.tlm);
                    st.tm = st.tlm;
                }
                let items: Vec<&Object> = match op.operator.as_str() {
                    "TJ" => a.first().and_then(|o| o.as_array().ok()).map(|v| v.iter().collect()).unwrap_or_default(),
                    "\"" => a.get(2).into_iter().collect(),
                    _ => a.first().into_iter().collect(),
                };
                let Some(f) = st.font.as_ref().and_then(|name| fonts.get(name)) else { continue };
                for item in items {
                    match item {
                        Object::String(bytes, _) => {
                            let codes: Vec<(u32, bool)> = if f.two_bytes {
                                bytes
                                    .chunks(2)
                                    .map(|c| ((u32::from(c[0]) << 8) | u32::from(*c.get(1).unwrap_or(&0)), false))
                                    .collect()
                            } else {
                                bytes.iter().map(|b| (u32::from(*b), *b == 32)).collect()
                            };
                            for (code, space) in codes {
                                let w = f.widths.get(&code).copied().unwrap_or(f.default_width) / 1000.0;
                                let trm =
                                    mul(mul([st.size * st.scale, 0.0, 0.0, st.size, 0.0, st.rise], st.tm), st.ctm);
                                let scale = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
                                let horizontal = (trm[0] * trm[0] + trm[1] * trm[1]).sqrt() / st.size.max(1e-9);
                                out.push(PdfGlyph {
                                    page,
                                    x: trm[4],
                                    y: height - trm[5],
                                    width: w * st.size * horizontal,
                                    size: scale,
                                    font: f.name.clone(),
                                    text: f.unicode.get(&code).cloned().unwrap_or_default(),
                                });
                                let tx = (w * st.size + st.char_spacing + if space { st.word_spacing } else { 0.0 })
                                    * st.scale;
                                st.tm = mul([1.0, 0.0, 0.0, 1.0, tx, 0.0], st.tm);
                            }
                        }
                        other => {
                            let tx = -num(other) / 1000.0 * st.size * st.scale;
                            st.tm = mul([1.0, 0.0, 0.0, 1.0, tx, 0.0], st.tm);
                        }
                    }
                }
            }
            "Do" => {
                let name = a.first().and_then(|o| o.as_name().ok());
                let stream = name.and_then(|nm| xobjects.and_then(|x| get(doc, x, nm)));
                if let Some(Object::Stream(s)) = stream
                    && s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Form".as_slice())
                {
                    let matrix = match s.dict.get(b"Matrix").map(|o| deref(doc, o)) {
                        Ok(Object::Array(m)) if m.len() == 6 => {
                            [num(&m[0]), num(&m[1]), num(&m[2]), num(&m[3]), num(&m[4]), num(&m[5])]
                        }
                        _ => IDENTITY,
                    };
                    let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
                    let res = s
                        .dict
                        .get(b"Resources")
                        .ok()
                        .map(|o| deref(doc, o))
                        .and_then(|o| o.as_dict().ok())
                        .or(resources);
                    let inner = State { ctm: mul(matrix, st.ctm), ..st.clone() };
                    run(doc, &data, res, inner, page, height, out);
                }
            }
            _ => {}
        }
    }
}

/// Every glyph of a PDF's pages, in drawing order.
pub fn pdf_glyphs(path: &Path) -> Vec<PdfGlyph> {
    let doc = Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for (number, id) in doc.get_pages() {
        let page: &Dictionary = doc.get_object(id).and_then(Object::as_dict).unwrap();
        let height = page_height(&doc, id);
        let content = doc.get_page_content(id).unwrap_or_default();
        let resources = get(&doc, page, b"Resources").and_then(|o| o.as_dict().ok());
        let start = State {
            ctm: IDENTITY,
            tm: IDENTITY,
            tlm: IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        };
        run(&doc, &content, resources, start, number, height, &mut out);
    }
    out
}

/// A page's height from its media box.
fn page_height(doc: &Document, id: ObjectId) -> f64 {
    let page = doc.get_object(id).and_then(Object::as_dict).unwrap();
    match get(doc, page, b"MediaBox") {
        Some(Object::Array(b)) if b.len() == 4 => num(deref(doc, &b[3])) - num(deref(doc, &b[1])),
        _ => 792.0,
    }
}
