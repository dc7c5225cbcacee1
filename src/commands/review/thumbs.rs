//! Page thumbnails of the new edition, made during the build from the very document it exports, and kept between
//! runs (full-size images are made only for the pages that changed, `full.rs`): a document whose inputs did not
//! change keeps its images (`OUT/.review-cache/new/<doc>.json` records the inputs
//! hash, the pixel hash of each page and Typst's warnings).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use typst_layout::PagedDocument;

use crate::diag::Severity;
use crate::output::write_atomic;
use crate::pages::{self, PageImage};
use crate::pipeline::PageSink;
use crate::project::JobId;
use crate::render::Rendered;
use crate::typeset::{Place, TypstDiag};

/// What the cache keeps of one document's pages.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// Hash of the inputs the pages were rendered from.
    pub inputs: String,
    /// Pixel hash of each page.
    pub pages: Vec<String>,
    /// Typst's warnings, one line each.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// What review needs of each rendered document besides its pages.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// Charts placed.
    pub charts: Vec<String>,
    /// Locale keys read.
    pub keys: BTreeSet<String>,
    /// Provisional facts shown.
    pub provisional: BTreeSet<String>,
}

/// The folder of a document's page images under the site: `pages/<locale>/<audience>/<document>`.
pub fn page_dir(job: &JobId) -> String {
    format!("pages/{}/{}/{}", job.locale, job.audience, job.document)
}

/// The cache file of a document under a cache folder.
pub fn meta_path(cache: &Path, job: &JobId) -> PathBuf {
    cache.join(&job.locale).join(&job.audience).join(format!("{}.json", job.document))
}

/// Reads a cache file.
pub fn read_meta(path: &Path) -> Option<Meta> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// A Typst warning as one line for a card.
fn warning_line(d: &TypstDiag) -> String {
    let at = match &d.place {
        Place::Generated { line, text, .. } => format!(" (generated source line {line}: {})", text.trim()),
        Place::File { path, line, col } => format!(" ({}:{line}:{col})", path.display()),
        Place::Unknown => String::new(),
    };
    let hints = d.hints.iter().map(|h| format!("; hint: {h}")).collect::<String>();
    format!("{}{at}{hints}", d.message)
}

/// A document's fresh page images and Typst's warnings, or why rendering them failed.
type Fresh = Result<(Vec<PageImage>, Vec<String>), String>;

/// Every reviewed document's page metadata and what it used.
pub type Docs = BTreeMap<JobId, (Meta, Info)>;

/// The build's sink: decides which documents need new page images, and renders them.
pub struct Thumbs {
    /// The site folder (`OUT/review`).
    site: PathBuf,
    /// The cache folder of the new edition's pages.
    cache: PathBuf,
    /// Inputs hash and what each document used, for every document the build rendered.
    info: Mutex<BTreeMap<JobId, (String, Info)>>,
    /// Cached metadata of the documents whose images are kept.
    kept: Mutex<BTreeMap<JobId, Meta>>,
    /// Fresh page images and warnings.
    fresh: Mutex<BTreeMap<JobId, Fresh>>,
}

impl Thumbs {
    /// A sink writing under `site`, with its cache in `cache`.
    pub fn new(site: PathBuf, cache: PathBuf) -> Thumbs {
        Thumbs { site, cache, info: Mutex::default(), kept: Mutex::default(), fresh: Mutex::default() }
    }

    /// Whether the thumbnails of a document are on disk as the cache says.
    fn on_disk(&self, job: &JobId, meta: &Meta) -> bool {
        let dir = self.site.join(page_dir(job));
        (1..=meta.pages.len()).all(|n| dir.join(format!("{n}-thumb.png")).is_file())
    }

    /// Writes the fresh images and their cache files; returns every document's metadata and what it used, and how
    /// many pages were rendered anew.
    pub fn finish(self) -> Result<(Docs, usize), String> {
        let info = crate::sync::into_inner(self.info);
        let mut kept = crate::sync::into_inner(self.kept);
        let fresh = crate::sync::into_inner(self.fresh);
        let mut rendered = 0;
        for (job, r) in fresh {
            let (images, warnings) = r.map_err(|e| format!("{}: {e}", job.rel_path()))?;
            let dir = self.site.join(page_dir(&job));
            for (i, img) in images.iter().enumerate() {
                write_atomic(&dir.join(format!("{}-thumb.png", i + 1)), &img.thumb)?;
            }
            remove_beyond(&dir, images.len());
            rendered += images.len();
            let inputs = info.get(&job).map(|(h, _)| h.clone()).unwrap_or_default();
            let meta = Meta { inputs, pages: images.iter().map(|i| i.hash.clone()).collect(), warnings };
            let json = serde_json::to_string_pretty(&meta).unwrap_or_default();
            write_atomic(&meta_path(&self.cache, &job), json.as_bytes())?;
            kept.insert(job, meta);
        }
        let all = info.into_iter().filter_map(|(job, (_, i))| kept.remove(&job).map(|m| (job, (m, i)))).collect();
        Ok((all, rendered))
    }
}

/// Removes page images numbered above `pages` (a document that got shorter), and old-edition images.
fn remove_beyond(dir: &Path, pages: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let n: Option<usize> = name.split(['-', '.']).next().and_then(|n| n.parse().ok());
        if n.is_some_and(|n| n > pages) || name.ends_with("-old.png") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

impl PageSink for Thumbs {
    fn wants(&self, job: &JobId, rendered: &Rendered, inputs: &str) -> bool {
        let info = Info {
            charts: rendered.charts.clone(),
            keys: rendered.keys.clone(),
            provisional: rendered.provisional.clone(),
        };
        crate::sync::lock(&self.info).insert(job.clone(), (inputs.to_string(), info));
        match read_meta(&meta_path(&self.cache, job)) {
            Some(meta) if meta.inputs == inputs && self.on_disk(job, &meta) => {
                crate::sync::lock(&self.kept).insert(job.clone(), meta);
                false
            }
            _ => true,
        }
    }

    fn pages(&self, job: &JobId, doc: &PagedDocument, warnings: &[TypstDiag]) {
        let lines = warnings.iter().filter(|w| w.severity == Severity::Warning).map(warning_line).collect();
        let r = pages::render(doc).map(|images| (images, lines));
        crate::sync::lock(&self.fresh).insert(job.clone(), r);
    }
}
