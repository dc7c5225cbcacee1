//! Shared helpers for the integration tests: project copies, running the binary, reading PDFs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

mod glyphs;
#[allow(unused_imports)]
pub use glyphs::{PdfGlyph, pdf_glyphs};

/// The repository root (the shipped project).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A temporary copy of the shipped project (data, locales, templates, fonts).
pub fn shipped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["data", "locales", "templates", "fonts"] {
        copy_dir(&repo().join(sub), &dir.path().join(sub));
    }
    dir
}

/// One shipped draft build shared by the tests that only read it (built once per test run): every document of
/// the general audience in en-US, es-MX and fr-CA with its meeting pack, the Typst sources beside it (`typ/`), and
/// three private-sector state sheets in their own out folder (`states/`), so `out/manifest.json` lists the general
/// audience alone.
pub fn general_build() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = shipped_copy();
        let typ = dir.path().join("typ").to_string_lossy().to_string();
        let r = briefs(dir.path(), &["build", "--audience", "general", "--emit-typst", &typ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let states =
            ["build", "--audience", "private-sector", "--doc", "state-tx,state-ca,state-ny", "--out", "states"];
        let r = briefs(dir.path(), &states);
        assert_eq!(r.code, 0, "{}", r.stderr);
        dir
    })
    .path()
}

/// A second shared shipped draft build (built once per test run): ca-government (en-US, fr-CA) and us-government
/// (en-US) with every document and both packs, and the es-MX private-sector packs.
pub fn government_build() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = shipped_copy();
        let r = briefs(dir.path(), &["build", "--audience", "ca-government,us-government"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let packs = ["build", "--audience", "private-sector", "--locale", "es-MX", "--doc", "pack,pack-print"];
        let r = briefs(dir.path(), &packs);
        assert_eq!(r.code, 0, "{}", r.stderr);
        dir
    })
    .path()
}

/// A copy of the shipped project that a final build accepts: every drafted text approved and the provisional
/// figures (the trade deficit ratios' inputs) given as sourced.
pub fn final_ready_copy() -> tempfile::TempDir {
    let dir = shipped_copy();
    let root = dir.path();
    let drafted = std::fs::read_to_string(root.join("locales/drafted.yaml")).unwrap();
    let approved: String = drafted
        .lines()
        .map(|l| if l.starts_with("- key:") { format!("{l}\n  approved: true\n") } else { format!("{l}\n") })
        .collect();
    write(root, "locales/drafted.yaml", &approved);
    let tdr = std::fs::read_to_string(root.join("data/facts/tdr.yaml")).unwrap();
    let sourced: String =
        tdr.lines().filter(|l| !l.trim_start().starts_with("provisional:")).map(|l| l.to_string() + "\n").collect();
    write(root, "data/facts/tdr.yaml", &sourced);
    dir
}

/// A temporary copy of a fixture project under tests/fixtures, with the shipped fonts.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    if !dir.path().join("fonts").exists() {
        copy_dir(&repo().join("fonts"), &dir.path().join("fonts"));
    }
    dir
}

/// Writes a file inside a project copy.
pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Replaces the first occurrence of `from` in a project file, failing if it is absent.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    std::fs::write(p, text.replacen(from, to, 1)).unwrap();
}

/// The outcome of running the binary.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `briefs` with arguments in a folder.
pub fn briefs(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_briefs")).args(args).current_dir(dir).output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The text of a PDF, whitespace collapsed.
pub fn pdf_text(path: &Path) -> String {
    normalize(&glyph_text(&pdf_glyphs(path)))
}

/// The text glyphs spell, in drawing order: a line break where the baseline moves, a space where a gap wider than a
/// quarter of the type size parts two glyphs on one line (the glyphs' widths are read from the fonts, so a change of
/// style inside a line adds no space).
pub fn glyph_text(glyphs: &[PdfGlyph]) -> String {
    let mut out = String::new();
    let mut prev: Option<&PdfGlyph> = None;
    for g in glyphs {
        if let Some(p) = prev {
            if p.page != g.page || (p.y - g.y).abs() > 1.0 {
                out.push('\n');
            } else {
                let gap = g.x - (p.x + p.width);
                let spaced = p.text.ends_with(char::is_whitespace) || g.text.starts_with(char::is_whitespace);
                if gap > 0.25 * g.size.max(p.size) && !spaced {
                    out.push(' ');
                }
            }
        }
        out.push_str(&g.text);
        prev = Some(g);
    }
    out
}

/// Collapses runs of ordinary whitespace (spaces, tabs, line breaks) to single spaces and joins hyphenated breaks;
/// no-break spaces (U+00A0, U+202F) are kept, so French typography ("32,7\u{a0}%") is what tests see.
pub fn normalize(text: &str) -> String {
    let t = text.replace("-\n", "");
    t.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Every file under a folder with its bytes, for before/after comparisons.
pub fn snapshot_dir(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    if dir.is_dir() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(snapshot_dir(&p));
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Every `/Alt` text of a PDF's structure tree (alt text of images), decoded.
pub fn pdf_alt_texts(path: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(path).unwrap();
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let dict = match obj {
            lopdf::Object::Dictionary(d) => d,
            lopdf::Object::Stream(s) => &s.dict,
            _ => continue,
        };
        if let Ok(lopdf::Object::String(bytes, _)) = dict.get(b"Alt") {
            out.push(decode_pdf_text(bytes));
        }
    }
    out
}

/// One entry of a PDF's document information dictionary (`Title`, `Keywords`, ..), decoded.
pub fn pdf_info(path: &Path, key: &str) -> Option<String> {
    let doc = lopdf::Document::load(path).unwrap();
    let info = doc.trailer.get(b"Info").ok()?.as_reference().ok()?;
    match doc.get_dictionary(info).ok()?.get(key.as_bytes()).ok()? {
        lopdf::Object::String(bytes, _) => Some(decode_pdf_text(bytes)),
        _ => None,
    }
}

/// Decodes a PDF text string (UTF-16BE with a byte-order mark, or PDFDocEncoding as Latin-1).
fn decode_pdf_text(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> =
            bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// A character as a PDF draws it: page (from 1), position (points from the page's top left), font size in points
/// and advance width in points.
#[derive(Debug, Clone)]
pub struct PdfChar {
    pub page: u32,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub width: f64,
    pub text: String,
}

/// Collects the characters pdf-extract reads, with where and how large they are drawn.
struct CharCollector {
    page: u32,
    height: f64,
    chars: Vec<PdfChar>,
}

impl pdf_extract::OutputDev for CharCollector {
    fn begin_page(
        &mut self,
        page: u32,
        media: &pdf_extract::MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = page;
        self.height = media.ury - media.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The text rendering matrix scales the font size (its determinant is the square of the scale).
        let size = font_size * (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let (x, y) = (trm.m31, self.height - trm.m32);
        self.chars.push(PdfChar { page: self.page, x, y, size, width: width * size, text: text.to_string() });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Every character of a PDF's pages with its position and size.
pub fn pdf_chars(path: &Path) -> Vec<PdfChar> {
    let doc = pdf_extract::Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut c = CharCollector { page: 0, height: 0.0, chars: Vec::new() };
    pdf_extract::output_doc(&doc, &mut c).unwrap();
    c.chars
}

/// A line of text as set: its text and its width, counted in characters other than spaces (pdf-extract reads no
/// glyph widths for Typst's subset fonts, so a line's extent in points is not known; its characters are, in the
/// order the PDF draws them).
#[derive(Debug, Clone)]
pub struct SetLine {
    pub text: String,
    pub width: f64,
}

/// The lines that characters of one page and size (within 0.2 pt) make, top to bottom, each in drawing order.
pub fn set_lines(chars: &[PdfChar], page: u32, size: f64) -> Vec<SetLine> {
    let mut lines: Vec<Vec<&PdfChar>> = Vec::new();
    for c in chars.iter().filter(|c| c.page == page && (c.size - size).abs() < 0.2) {
        match lines.iter_mut().find(|line| (line[0].y - c.y).abs() < size * 0.5) {
            Some(line) => line.push(c),
            None => lines.push(vec![c]),
        }
    }
    lines.sort_by(|a, b| a[0].y.total_cmp(&b[0].y));
    lines
        .into_iter()
        .map(|line| {
            let text: String = line.iter().map(|c| c.text.as_str()).collect();
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let width = text.chars().filter(|c| !c.is_whitespace()).count() as f64;
            SetLine { text, width }
        })
        .collect()
}

/// The text of each page of a PDF, whitespace collapsed.
pub fn pdf_page_texts(path: &Path) -> Vec<String> {
    let pages = lopdf::Document::load(path).map(|d| d.get_pages().len()).unwrap_or(0);
    let glyphs = pdf_glyphs(path);
    (1..=pages as u32)
        .map(|p| {
            let on: Vec<PdfGlyph> = glyphs.iter().filter(|g| g.page == p).cloned().collect();
            normalize(&glyph_text(&on))
        })
        .collect()
}

/// The XMP metadata of a PDF: the stream the catalog's `/Metadata` names, as text (empty when there is none).
pub fn pdf_xmp(path: &Path) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    let Ok(id) = doc.catalog().unwrap().get(b"Metadata").and_then(|m| m.as_reference()) else {
        return String::new();
    };
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One XMP property, written as an element (`<pdfaid:part>2</pdfaid:part>`) or an attribute (`pdfaid:part="2"`).
pub fn xmp_property(xmp: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    if let Some(i) = xmp.find(&open) {
        let rest = &xmp[i + open.len()..];
        return rest.find(&format!("</{name}>")).map(|j| rest[..j].trim().to_string());
    }
    let attr = format!("{name}=\"");
    let i = xmp.find(&attr)?;
    let rest = &xmp[i + attr.len()..];
    rest.find('"').map(|j| rest[..j].to_string())
}

/// A bookmark of a PDF's outline: its title, the 1-based page it opens and the bookmarks under it.
#[derive(Debug, Clone)]
pub struct Bookmark {
    /// Title as the reader shows it.
    pub title: String,
    /// 1-based page number of its destination.
    pub page: usize,
    /// The bookmarks nested under it.
    pub children: Vec<Bookmark>,
}

/// A PDF's outline (bookmarks), read from the catalog's `/Outlines` tree; empty when it has none.
pub fn pdf_outline(path: &Path) -> Vec<Bookmark> {
    let doc = lopdf::Document::load(path).unwrap();
    let pages: std::collections::BTreeMap<lopdf::ObjectId, usize> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n as usize)).collect();
    let Ok(outlines) = doc.catalog().unwrap().get(b"Outlines").and_then(|o| o.as_reference()) else {
        return Vec::new();
    };
    let first = doc.get_dictionary(outlines).unwrap().get(b"First").and_then(|f| f.as_reference()).ok();
    bookmarks(&doc, &pages, first)
}

/// The bookmark `first` and its siblings, with their children.
fn bookmarks(
    doc: &lopdf::Document,
    pages: &std::collections::BTreeMap<lopdf::ObjectId, usize>,
    mut next: Option<lopdf::ObjectId>,
) -> Vec<Bookmark> {
    let mut out = Vec::new();
    while let Some(id) = next {
        let item = doc.get_dictionary(id).unwrap();
        let title = match item.get(b"Title").unwrap() {
            lopdf::Object::String(bytes, _) => decode_pdf_text(bytes),
            other => panic!("bookmark title is not a string: {other:?}"),
        };
        let dest = match item.get(b"Dest") {
            Ok(d) => doc.dereference(d).unwrap().1.clone(),
            Err(_) => item.get(b"A").unwrap().as_dict().unwrap().get(b"D").unwrap().clone(),
        };
        let page_ref = dest.as_array().unwrap()[0].as_reference().unwrap();
        let first = item.get(b"First").and_then(|f| f.as_reference()).ok();
        out.push(Bookmark { title, page: pages[&page_ref], children: bookmarks(doc, pages, first) });
        next = item.get(b"Next").and_then(|n| n.as_reference()).ok();
    }
    out
}

/// A shipped locale's YAML file as JSON.
pub fn locale_yaml(tag: &str, file: &str) -> serde_json::Value {
    serde_saphyr::from_str(&std::fs::read_to_string(repo().join(format!("locales/{tag}/{file}.yaml"))).unwrap())
        .unwrap()
}
