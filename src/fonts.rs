//! The project's fonts: every `.ttf`/`.otf` under `fonts/`, read once per build and shared by charts and
//! typesetting. No system font is ever used, so a build is the same on every machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use crate::diag::{Diagnostic, Loc};

/// The fonts of a project, parsed once and shared by every document of a build.
pub struct Fonts {
    /// What Typst knows of each font (families, styles, coverage).
    pub book: LazyHash<FontBook>,
    /// The parsed faces, in the book's order.
    pub fonts: Vec<Font>,
    /// Raw bytes of each font file, for the chart renderer.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// SHA-256 over every font file's path and bytes, computed once (part of each document's inputs).
    pub digest: String,
}

impl Fonts {
    /// Loads every `.ttf`/`.otf` under `fonts/`; no system fonts.
    pub fn load(root: &Path) -> Result<Arc<Fonts>, Diagnostic> {
        let dir = root.join("fonts");
        if !dir.is_dir() {
            return Err(Diagnostic::error(Loc::file("fonts"), "the fonts/ folder is missing")
                .with_hint("restore fonts/ from the repository; builds use no system fonts"));
        }
        let mut paths = Vec::new();
        collect_fonts(&dir, &mut paths);
        paths.sort();
        let mut fonts = Vec::new();
        let mut files = Vec::new();
        for p in paths {
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            let data = std::fs::read(&p).map_err(|e| {
                Diagnostic::error(Loc::file(&rel), format!("failed to read font ({})", crate::io::io_reason(&e)))
            })?;
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(data.clone())));
            if fonts.len() == before {
                return Err(Diagnostic::error(Loc::file(&rel), "not a font Typst can read")
                    .with_hint("remove the file or replace it with a TrueType/OpenType font"));
            }
            files.push((rel, data));
        }
        if fonts.is_empty() {
            return Err(Diagnostic::error(Loc::file("fonts"), "the fonts/ folder holds no .ttf or .otf file")
                .with_hint("restore the fonts from the repository; builds use no system fonts"));
        }
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        let mut all = Vec::new();
        for (p, data) in &files {
            all.extend_from_slice(p.to_string_lossy().as_bytes());
            all.extend_from_slice(crate::io::sha256(data).as_bytes());
        }
        let digest = crate::io::sha256(&all);
        Ok(Arc::new(Fonts { book, fonts, files, digest }))
    }
}

/// Recursively collects font files.
fn collect_fonts(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect_fonts(&p, out);
        } else if p.extension().is_some_and(|e| {
            let e = e.to_string_lossy().to_lowercase();
            e == "ttf" || e == "otf"
        }) {
            out.push(p);
        }
    }
}
