//! Rasterising: a chart's SVG drawn as PNG with the project's fonts only (resvg), for `briefs charts`.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use super::FAMILY;
use crate::fonts::Fonts;

/// The rasteriser's font database: the project's fonts only, Lato as the default family.
fn font_db(fonts: &Fonts) -> Arc<resvg::usvg::fontdb::Database> {
    /// The digest of the fonts a database was built from, and the database.
    type Cached = (String, Arc<resvg::usvg::fontdb::Database>);
    static CACHE: Mutex<Option<Cached>> = Mutex::new(None);
    let mut cache = crate::sync::lock(&CACHE);
    if let Some((digest, db)) = cache.as_ref()
        && *digest == fonts.digest
    {
        return db.clone();
    }
    let mut db = resvg::usvg::fontdb::Database::new();
    for (_, data) in &fonts.files {
        db.load_font_data(data.clone());
    }
    db.set_sans_serif_family(FAMILY);
    let db = Arc::new(db);
    *cache = Some((fonts.digest.clone(), db.clone()));
    db
}

/// Converts an SVG to PNG with the project's fonts.
pub fn svg_to_png(svg: &str, fonts: &Fonts) -> Result<Vec<u8>, String> {
    const SCALE: f32 = 2.0;
    let options =
        resvg::usvg::Options { font_family: FAMILY.to_string(), fontdb: font_db(fonts), ..Default::default() };
    let tree = resvg::usvg::Tree::from_str(svg, &options).map_err(|e| format!("invalid chart SVG ({e})"))?;
    let size = tree.size();
    let (w, h) = ((size.width() * SCALE).ceil() as u32, (size.height() * SCALE).ceil() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h).ok_or_else(|| format!("cannot make a {w}×{h} image"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(SCALE, SCALE), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| format!("cannot encode PNG ({e})"))
}

/// Every `font-family` an SVG names (for checks).
pub fn font_families(svg: &str) -> BTreeSet<String> {
    svg.split("font-family=\"").skip(1).filter_map(|r| r.split('"').next()).map(str::to_string).collect()
}
