//! Shared helpers for the integration tests: project copies, running the binary, reading PDFs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

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
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    normalize(&text)
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
