//! Drawing helpers on charts-rs's canvas (text, rectangles, lines, rounded coordinates) and the legend.

use charts_rs::{Canvas, Color, Line, Rect, Text};

use super::data::Prepared;
use super::measure::{ellipsize, text_width};
use super::{FAMILY, LEADING, LEGEND_SIZE, TEXT_COLOR};

/// Writes a line of text; `y` is the baseline.
pub(super) fn text(c: &mut Canvas, s: &str, x: f32, y: f32, size: f32, color: &str, anchor: &str) {
    text_weighted(c, s, (x, y), size, color, anchor, None);
}

/// Writes a line of bold text; `y` is the baseline.
pub(super) fn bold(c: &mut Canvas, s: &str, x: f32, y: f32, size: f32, color: &str) {
    text_weighted(c, s, (x, y), size, color, "start", Some("bold"));
}

/// Writes a line of bold text anchored at `x` ("start", "middle", "end"); `y` is the baseline.
pub(super) fn bold_at(c: &mut Canvas, s: &str, (x, y): (f32, f32), size: f32, color: &str, anchor: &str) {
    text_weighted(c, s, (x, y), size, color, anchor, Some("bold"));
}

/// Writes a line of text in a weight; `y` is the baseline.
fn text_weighted(
    c: &mut Canvas,
    s: &str,
    (x, y): (f32, f32),
    size: f32,
    color: &str,
    anchor: &str,
    weight: Option<&str>,
) {
    if s.is_empty() {
        return;
    }
    c.text(Text {
        text: s.to_string(),
        font_family: Some(FAMILY.to_string()),
        font_size: Some(size),
        font_color: Some(Color::from(color)),
        x: Some(round(x)),
        y: Some(round(y)),
        text_anchor: Some(anchor.to_string()),
        font_weight: weight.map(str::to_string),
        ..Default::default()
    });
}

/// Baseline that centres digits and capitals of a line on `y`.
pub(super) fn centre_baseline(y: f32, size: f32) -> f32 {
    y + 0.36 * size
}

/// Fills a rectangle; its edges are rounded (not its size), so a bar ends exactly on its line.
pub(super) fn rect(c: &mut Canvas, left: f32, top: f32, width: f32, height: f32, fill: &str) {
    let (l, t) = (round(left), round(top));
    c.rect(Rect {
        fill: Some(Color::from(fill).into()),
        left: l,
        top: t,
        width: round((round(left + width.max(0.0)) - l).max(0.0)),
        height: round((round(top + height.max(0.0)) - t).max(0.0)),
        ..Default::default()
    });
}

/// Draws a one-unit line.
pub(super) fn line(c: &mut Canvas, x1: f32, y1: f32, x2: f32, y2: f32, color: &str) {
    c.line(Line {
        color: Some(Color::from(color)),
        stroke_width: 1.0,
        left: round(x1),
        top: round(y1),
        right: round(x2),
        bottom: round(y2),
        stroke_dash_array: None,
    });
}

/// Rounds a coordinate to a tenth (short, stable SVG).
pub(super) fn round(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Lays out the legend from `left` at `top`, each swatch in the colour of its series' bars; returns its height (0
/// for one series).
pub(super) fn legend(c: Option<&mut Canvas>, p: &Prepared, left: f32, top: f32, width: f32) -> f32 {
    if !p.has_legend() {
        return 0.0;
    }
    let swatch = 10.0;
    let row_h = LEGEND_SIZE * LEADING + 3.0;
    let mut x = left;
    let mut y = top;
    let mut items = Vec::new();
    for (s, series) in p.series.iter().enumerate() {
        let name = ellipsize(&series.name, LEGEND_SIZE, width - swatch - 4.0);
        let w = swatch + 4.0 + text_width(&name, LEGEND_SIZE);
        if x > left && x + w > left + width {
            x = left;
            y += row_h;
        }
        items.push((s, name, x, y));
        x += w + 14.0;
    }
    if let Some(c) = c {
        for (s, name, x, y) in items {
            let mid = y + row_h / 2.0;
            rect(c, x, mid - swatch / 2.0, swatch, swatch, &p.legend_colours[s]);
            text(c, &name, x + swatch + 4.0, centre_baseline(mid, LEGEND_SIZE), LEGEND_SIZE, TEXT_COLOR, "start");
        }
    }
    y + row_h - top + 4.0
}
