//! Page images: every page of a compiled document rendered in process with `typst-render` (the same
//! `PagedDocument` the PDF is exported from), as a PNG at screen size, a small thumbnail, and a hash of the pixels
//! that tells whether a page looks different from another render.

use typst::utils::Scalar;
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

use crate::io::sha256;

/// Pixels per point of the full-size image: 96 dpi screens show a page at 100 % zoom at 96/72 px per pt;
/// a little more keeps small print readable.
pub const FULL_SCALE: f64 = 1.5;
/// Pixels per point of a thumbnail (a Letter page is 184 × 238 px).
pub const THUMB_SCALE: f64 = 0.3;

/// One page, rendered.
#[derive(Debug, Clone)]
pub struct PageImage {
    /// PNG at [`THUMB_SCALE`].
    pub thumb: Vec<u8>,
    /// SHA-256 of the full-size pixels: equal hashes, identical-looking pages.
    pub hash: String,
}

/// Renders one page at `scale` pixels per point: its RGB pixels (pages are opaque), width and height.
fn rgb(page: &Page, scale: f64) -> (Vec<u8>, u32, u32) {
    let pixmap = typst_render::render(page, &RenderOptions { pixel_per_pt: Scalar::new(scale), render_bleed: false });
    // Opaque pixels: premultiplied RGBA is plain RGBA, and the alpha byte can go.
    let data: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    (data, pixmap.width(), pixmap.height())
}

/// One page at full size, for a reviewer to read it (only the pages that changed get one): 256 colours, like the
/// thumbnails, which keeps text crisp at a third of an RGB PNG's bytes.
pub fn render_full(page: &Page) -> Result<Vec<u8>, String> {
    let (data, w, h) = rgb(page, FULL_SCALE);
    indexed_png(&data, w, h)
}

/// A page's thumbnail, compressed hard, as a site holds one for every page.
fn thumbnail(page: &Page) -> Result<Vec<u8>, String> {
    let (small, w, h) = rgb(page, THUMB_SCALE);
    indexed_png(&small, w, h)
}

/// RGB pixels reduced to 256 colours (NeuQuant) and written as an indexed PNG: about half the bytes of an RGB PNG
/// for a thumbnail, a third for a full page.
fn indexed_png(data: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let rgba: Vec<u8> = data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let quant = color_quant::NeuQuant::new(10, 256, &rgba);
    let indices: Vec<u8> = rgba.chunks_exact(4).map(|p| u8::try_from(quant.index_of(p)).unwrap_or(u8::MAX)).collect();
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(quant.color_map_rgb());
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().map_err(|e| format!("PNG encoding failed ({e})"))?;
        writer.write_image_data(&indices).map_err(|e| format!("PNG encoding failed ({e})"))?;
    }
    Ok(out)
}

/// One page's thumbnail and pixel hash, without its full-size image (written only where a page changed).
pub fn render_thumb(page: &Page) -> Result<PageImage, String> {
    let (data, _, _) = rgb(page, FULL_SCALE);
    Ok(PageImage { thumb: thumbnail(page)?, hash: sha256(&data) })
}

/// Renders every page of a document: thumbnails and pixel hashes (no full-size images).
pub fn render(doc: &PagedDocument) -> Result<Vec<PageImage>, String> {
    doc.pages().iter().map(render_thumb).collect()
}

/// The pixel hash of every page, without encoding images (to compare an old edition's pages).
pub fn hashes(doc: &PagedDocument) -> Vec<String> {
    doc.pages().iter().map(|p| sha256(&rgb(p, FULL_SCALE).0)).collect()
}
