//! Reading a drawn chart back (tests only): its rectangles, lines and text boxes, the boxes estimated from Lato's
//! metrics as the layouts measure them, so tests assert the geometry a reader sees.

use super::measure::text_width;

/// A filled rectangle: x, y, width, height, fill.
#[derive(Debug, Clone, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub fill: String,
}

/// A line segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

/// A text with the box its glyphs take: left, top, right, bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub fill: String,
    pub left: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
}

/// An attribute of an SVG tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[i..].split('"').next()?.to_string())
}

/// A numeric attribute (0 when absent).
fn num(tag: &str, name: &str) -> f32 {
    attr(tag, name).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

/// The `<rect>`s of an SVG.
pub fn rects(svg: &str) -> Vec<Rect> {
    svg.split("<rect")
        .skip(1)
        .map(|t| {
            let t = t.split('>').next().unwrap_or("");
            Rect {
                x: num(t, "x"),
                y: num(t, "y"),
                w: num(t, "width"),
                h: num(t, "height"),
                fill: attr(t, "fill").unwrap_or_default(),
            }
        })
        .collect()
}

/// The `<line>`s of an SVG.
pub fn lines(svg: &str) -> Vec<Seg> {
    svg.split("<line")
        .skip(1)
        .map(|t| {
            let t = t.split('>').next().unwrap_or("");
            Seg { x1: num(t, "x1"), y1: num(t, "y1"), x2: num(t, "x2"), y2: num(t, "y2") }
        })
        .collect()
}

/// XML text with its entities replaced.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The `<text>`s of an SVG with their boxes: as wide as Lato sets them (bold a little wider), from the height of
/// capitals and digits above the baseline to the descenders below it.
pub fn text_boxes(svg: &str) -> Vec<TextBox> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let text = unescape(rest.split("</text>").next()?.trim());
            let size = num(tag, "font-size");
            let bold = attr(tag, "font-weight").is_some_and(|w| w == "bold");
            let width = text_width(&text, size) * if bold { 1.06 } else { 1.0 };
            let (x, y) = (num(tag, "x"), num(tag, "y"));
            let left = match attr(tag, "text-anchor").as_deref() {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            let fill = attr(tag, "fill").unwrap_or_default();
            Some(TextBox { text, fill, left, top: y - 0.72 * size, right: left + width, bottom: y + 0.2 * size })
        })
        .collect()
}

impl TextBox {
    /// Whether two boxes overlap (touching edges do not).
    pub fn overlaps(&self, o: &TextBox) -> bool {
        self.left < o.right - 0.01
            && o.left < self.right - 0.01
            && self.top < o.bottom - 0.01
            && o.top < self.bottom - 0.01
    }

    /// Whether a line segment (horizontal or vertical, as charts draw them) runs through the box.
    pub fn crosses(&self, s: &Seg) -> bool {
        let (x1, x2) = (s.x1.min(s.x2), s.x1.max(s.x2));
        let (y1, y2) = (s.y1.min(s.y2), s.y1.max(s.y2));
        x1 < self.right && self.left < x2 + 0.5 && y1 < self.bottom && self.top < y2 + 0.5
    }

    /// Whether a rectangle covers part of the box.
    pub fn covers(&self, r: &Rect) -> bool {
        r.w > 0.0
            && r.h > 0.0
            && r.x < self.right - 0.01
            && self.left < r.x + r.w - 0.01
            && r.y < self.bottom - 0.01
            && self.top < r.y + r.h - 0.01
    }
}
