//! The horizontal bar layout: category labels on the left (or above), negative values left of zero.

use charts_rs::Canvas;

use super::data::{Prepared, all_value_labels};
use super::measure::{text_width, wrap};
use super::scale::{AxisUnit, candidate_scales, draw_with_axis};
use super::svg::{centre_baseline, legend, line, rect, text};
use super::{
    AXIS_COLOR, BACKGROUND, GRID_COLOR, LABEL_SIZE, LEADING, MIN_VALUE_SIZE, PAD, TEXT_COLOR, TICK_COLOR, TICK_SIZE,
    VALUE_SIZE,
};
use crate::locale::Locale;

/// Draws a horizontal bar chart as SVG.
pub(super) fn draw(p: &Prepared, locale: &Locale) -> String {
    let (vmin, vmax) = p.value_range();
    draw_with_axis(locale, p.unit, (vmin, vmax), |axis| draw_with(p, locale, axis, vmin, vmax))
}

/// Draws a horizontal bar chart with an axis unit; None when the axis has a unit title but no scale fits.
fn draw_with(p: &Prepared, locale: &Locale, axis: &AxisUnit, vmin: f64, vmax: f64) -> Option<String> {
    let w = p.width;
    let n = p.categories.len().max(1);
    let ns = p.series.len().max(1);
    let labels = all_value_labels(p, locale, axis);
    let value_size = if ns > 2 { MIN_VALUE_SIZE } else { VALUE_SIZE };
    // Room for the value labels: right of the zero line's side for positive values, left for
    // negative ones.
    let widest = |neg: bool| -> f32 {
        p.series
            .iter()
            .enumerate()
            .flat_map(|(s, se)| se.values.iter().enumerate().map(move |(i, v)| (s, i, *v)))
            .filter(|(_, _, v)| (*v < 0.0) == neg)
            .map(|(s, i, _)| text_width(&labels[s][i], value_size) + 6.0)
            .fold(0.0, f32::max)
    };
    let (pos_w, neg_w) = (widest(false), widest(true));

    // Category labels on the left: their natural width, up to 40% of the chart, and less when
    // the plot would get under 40%; wrapped to three lines. When that would cut a label (a
    // narrow chart), the labels go above their bars across the whole width instead.
    let natural = p.categories.iter().map(|(_, l)| text_width(l, LABEL_SIZE)).fold(0.0, f32::max);
    let cat_w = natural.min(w * 0.4).min(w * 0.6 - 2.0 * PAD - 8.0 - pos_w - neg_w).max(40.0);
    let side_lines: Vec<Vec<String>> = p.categories.iter().map(|(_, l)| wrap(l, LABEL_SIZE, cat_w, 3)).collect();
    let labels_above = natural > cat_w && side_lines.iter().flatten().any(|l| l.ends_with('…'));
    let cat_lines = if labels_above {
        p.categories.iter().map(|(_, l)| wrap(l, LABEL_SIZE, w - 2.0 * PAD, 2)).collect()
    } else {
        side_lines
    };
    let line_h = LABEL_SIZE * LEADING;
    let max_lines = cat_lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let label_block = if labels_above { max_lines * line_h + 3.0 } else { 0.0 };

    let legend_h = legend(None, p, PAD, PAD, w - 2.0 * PAD);
    let title_h = if axis.title.is_some() { TICK_SIZE * LEADING + 2.0 } else { 0.0 };
    let axis_h = TICK_SIZE * LEADING + 6.0 + title_h;
    let top = PAD + legend_h;
    let bars_h = ns as f32 * (value_size + 2.0) + 8.0;
    let min_row = if labels_above { label_block + bars_h } else { (max_lines * line_h + 8.0).max(bars_h).max(24.0) };
    let (h, row_h) = match p.height {
        Some(h) => (h, ((h - top - axis_h - PAD) / n as f32).max(1.0)),
        None => (top + min_row * n as f32 + axis_h + PAD, min_row),
    };
    let plot_top = top;
    let plot_bottom = top + row_h * n as f32;
    let plot_left = if labels_above { PAD + neg_w } else { PAD + cat_w + 8.0 + neg_w };
    let plot_right = (w - PAD - pos_w).max(plot_left + 1.0);

    // Ticks along the bottom, made coarser until their labels stand apart; none if they never do.
    let candidates = candidate_scales(locale, p.unit, axis, vmin, vmax);
    let fits = |ticks: &[(f64, String)]| {
        let spacing = (plot_right - plot_left) / (ticks.len().max(2) - 1) as f32;
        ticks.iter().map(|(_, t)| text_width(t, TICK_SIZE)).fold(0.0, f32::max) + 8.0 <= spacing
    };
    let (scale, ticks) = match candidates.iter().find(|(_, t)| fits(t)) {
        Some((s, t)) => (s.clone(), Some(t.clone())),
        None if axis.title.is_some() => return None,
        None => (candidates[0].0.clone(), None),
    };
    let x_of =
        |v: f64| -> f32 { plot_left + ((v - scale.lo) / (scale.hi - scale.lo)) as f32 * (plot_right - plot_left) };

    let mut c = Canvas::new(w, h);
    rect(&mut c, 0.0, 0.0, w, h, BACKGROUND);
    legend(Some(&mut c), p, PAD, PAD, w - 2.0 * PAD);

    // Vertical rules run through the bars' part of the rows, never through labels above them.
    let spans: Vec<(f32, f32)> = if labels_above {
        (0..n).map(|i| (plot_top + row_h * i as f32 + label_block, plot_top + row_h * (i + 1) as f32)).collect()
    } else {
        vec![(plot_top, plot_bottom)]
    };
    for (t, label) in ticks.iter().flatten() {
        let x = x_of(*t);
        if *t != 0.0 {
            for (y1, y2) in &spans {
                line(&mut c, x, *y1, x, *y2, GRID_COLOR);
            }
        }
        // Keep the end labels inside the drawing.
        let half = text_width(label, TICK_SIZE) / 2.0;
        let tx = x.clamp(half + 1.0, (w - half - 1.0).max(half + 1.0));
        text(&mut c, label, tx, plot_bottom + 4.0 + TICK_SIZE * 0.9, TICK_SIZE, TICK_COLOR, "middle");
    }

    if let Some(title) = &axis.title {
        let y = plot_bottom + 4.0 + TICK_SIZE * 0.9 + TICK_SIZE * LEADING + 2.0;
        text(&mut c, title, (plot_left + plot_right) / 2.0, y, TICK_SIZE, TEXT_COLOR, "middle");
    }

    let zero_x = x_of(0.0);
    let gap = 2.0;
    let group_h = ((row_h - label_block) * 0.7).min(22.0 * ns as f32 + gap * (ns - 1) as f32);
    let bar_h = (group_h - gap * (ns - 1) as f32) / ns as f32;
    for i in 0..p.categories.len() {
        let row_top = plot_top + row_h * i as f32;
        let centre = row_top + label_block + (row_h - label_block) / 2.0;
        let group_top = centre - group_h / 2.0;
        for (s, series) in p.series.iter().enumerate() {
            let v = series.values[i];
            let y = group_top + s as f32 * (bar_h + gap);
            let x = x_of(v);
            // Negative values run from their end up to zero: to the left of the zero line.
            rect(&mut c, x.min(zero_x), y, (x - zero_x).abs(), bar_h, &p.bar_colour(s, i));
            let (lx, anchor) = if v >= 0.0 { (x + 4.0, "start") } else { (x - 4.0, "end") };
            text(
                &mut c,
                &labels[s][i],
                lx,
                centre_baseline(y + bar_h / 2.0, value_size),
                value_size,
                TEXT_COLOR,
                anchor,
            );
        }
        let lines = &cat_lines[i];
        if labels_above {
            for (k, t) in lines.iter().enumerate() {
                let y = row_top + 4.0 + LABEL_SIZE * 0.9 + k as f32 * line_h;
                text(&mut c, t, PAD, y, LABEL_SIZE, TEXT_COLOR, "start");
            }
        } else {
            let first = centre - line_h * (lines.len() as f32 - 1.0) / 2.0;
            for (k, t) in lines.iter().enumerate() {
                let y = centre_baseline(first + k as f32 * line_h, LABEL_SIZE);
                text(&mut c, t, PAD + cat_w, y, LABEL_SIZE, TEXT_COLOR, "end");
            }
        }
    }
    for (y1, y2) in &spans {
        line(&mut c, zero_x, *y1, zero_x, *y2, AXIS_COLOR);
    }
    c.svg().ok()
}
