//! The vertical bar layout: value axis on the left, a group of bars per category, labels under the plot.

use charts_rs::Canvas;

use super::data::{Prepared, all_value_labels};
use super::measure::{text_width, value_lines, wrap};
use super::scale::{AxisUnit, Scale, candidate_scales, draw_with_axis};
use super::svg::{centre_baseline, legend, line, rect, text};
use super::{
    AXIS_COLOR, BACKGROUND, DEFAULT_BAR_HEIGHT, GRID_COLOR, LABEL_SIZE, LEADING, MIN_LABEL_SIZE, MIN_VALUE_SIZE, PAD,
    TEXT_COLOR, TICK_COLOR, TICK_SIZE, VALUE_SIZE,
};
use crate::locale::Locale;

/// Where everything of a vertical bar chart goes.
struct BarLayout {
    ticks: Option<Vec<(f64, String)>>,
    scale: Scale,
    plot_left: f32,
    plot_right: f32,
    plot_top: f32,
    plot_bottom: f32,
    band: f32,
    group_w: f32,
    bar_w: f32,
    pitch: f32,
    value_size: f32,
    /// Per series and category, the lines of the value label.
    value_lines: Vec<Vec<Vec<String>>>,
    /// Room under the plot for labels of negative bars.
    below: f32,
    cat_lines: Vec<Vec<String>>,
    cat_size: f32,
    /// Whether a category label had to be shortened.
    cut: bool,
}

/// Lays a vertical bar chart out for a scale, with or without tick labels.
fn bar_layout(
    p: &Prepared,
    labels: &[Vec<String>],
    h: f32,
    scale: Scale,
    ticks: Option<Vec<(f64, String)>>,
    title_h: f32,
) -> BarLayout {
    let w = p.width;
    let n = p.categories.len().max(1);
    let ns = p.series.len().max(1);
    let legend_h = legend(None, p, PAD, PAD, w - 2.0 * PAD);
    let axis_w =
        ticks.as_ref().map_or(0.0, |t| t.iter().map(|(_, l)| text_width(l, TICK_SIZE)).fold(0.0, f32::max) + 6.0);
    let plot_left = PAD + axis_w;
    let plot_right = w - PAD;
    let band = (plot_right - plot_left) / n as f32;
    // A group of bars per category: narrower for one series, and no bar fatter than 64.
    let gap = 3.0;
    let group_w = (band * if ns == 1 { 0.6 } else { 0.8 }).min(64.0 * ns as f32 + gap * (ns - 1) as f32);
    let bar_w = (group_w - gap * (ns - 1) as f32) / ns as f32;
    let pitch = bar_w + gap;
    // Value labels may use the whole band (one series) or the bar's pitch (several), shrinking
    // to the minimum size and then taking two lines; they are never cut.
    let room = if ns == 1 { band - 4.0 } else { pitch - 2.0 };
    let widest = labels.iter().flatten().map(|l| text_width(l, VALUE_SIZE)).fold(0.0, f32::max);
    let value_size = if widest <= room { VALUE_SIZE } else { MIN_VALUE_SIZE };
    let value_lines: Vec<Vec<Vec<String>>> =
        labels.iter().map(|s| s.iter().map(|l| value_lines(l, value_size, room)).collect()).collect();
    let lines_of = |neg: bool| -> usize {
        p.series
            .iter()
            .enumerate()
            .flat_map(|(s, se)| se.values.iter().enumerate().map(move |(i, v)| (s, i, *v)))
            .filter(|(_, _, v)| (*v < 0.0) == neg)
            .map(|(s, i, _)| value_lines[s][i].len())
            .max()
            .unwrap_or(0)
    };
    let line_h = value_size * LEADING;
    let above = if lines_of(false) > 0 { lines_of(false) as f32 * line_h + 2.0 } else { TICK_SIZE / 2.0 };
    let below = if lines_of(true) > 0 { lines_of(true) as f32 * line_h + 2.0 } else { 0.0 };
    // Category labels wrap within their band, at a smaller size if they would be cut.
    let wrap_at = |size: f32| -> (Vec<Vec<String>>, bool) {
        let lines: Vec<Vec<String>> = p.categories.iter().map(|(_, l)| wrap(l, size, band - 6.0, 3)).collect();
        let cut = lines.iter().zip(&p.categories).any(|(ls, (_, l))| ls.concat().ends_with('…') && !l.ends_with('…'));
        (lines, cut)
    };
    let (mut cat_lines, mut cut) = wrap_at(LABEL_SIZE);
    let mut cat_size = LABEL_SIZE;
    if cut {
        (cat_lines, cut) = wrap_at(MIN_LABEL_SIZE);
        cat_size = MIN_LABEL_SIZE;
    }
    let max_lines = cat_lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let cat_h = max_lines * cat_size * LEADING + 6.0;
    let plot_top = PAD + legend_h + title_h + above;
    let plot_bottom = h - PAD - cat_h - below;
    BarLayout {
        ticks,
        scale,
        plot_left,
        plot_right,
        plot_top,
        plot_bottom,
        band,
        group_w,
        bar_w,
        pitch,
        value_size,
        value_lines,
        below,
        cat_lines,
        cat_size,
        cut,
    }
}

/// Draws a vertical bar chart as SVG.
pub(super) fn draw(p: &Prepared, locale: &Locale) -> String {
    let (vmin, vmax) = p.value_range();
    draw_with_axis(locale, p.unit, (vmin, vmax), |axis| draw_with(p, locale, axis, vmin, vmax))
}

/// Draws a vertical bar chart with an axis unit; None when the axis has a unit title but no scale fits.
fn draw_with(p: &Prepared, locale: &Locale, axis: &AxisUnit, vmin: f64, vmax: f64) -> Option<String> {
    let w = p.width;
    let h = p.height.unwrap_or(DEFAULT_BAR_HEIGHT);
    let labels = all_value_labels(p, locale, axis);

    // The first scale whose tick labels take at most a quarter of the width, sit apart and leave
    // the categories room for their labels; without one, the axis has no labels (the bars carry
    // their values).
    let title_h = if axis.title.is_some() { TICK_SIZE * LEADING + 4.0 } else { 0.0 };
    let candidates = candidate_scales(locale, p.unit, axis, vmin, vmax);
    let mut chosen = None;
    for (scale, ticks) in &candidates {
        let l = bar_layout(p, &labels, h, scale.clone(), Some(ticks.clone()), title_h);
        let spacing = (l.plot_bottom - l.plot_top) / (ticks.len().max(2) - 1) as f32;
        if l.plot_left - PAD <= w * 0.25 && spacing >= TICK_SIZE * 1.8 && !l.cut {
            chosen = Some(l);
            break;
        }
    }
    if chosen.is_none() && axis.title.is_some() {
        return None;
    }
    let l = chosen.unwrap_or_else(|| bar_layout(p, &labels, h, candidates[0].0.clone(), None, 0.0));
    let scale = &l.scale;
    let y_of =
        |v: f64| -> f32 { l.plot_top + ((scale.hi - v) / (scale.hi - scale.lo)) as f32 * (l.plot_bottom - l.plot_top) };

    let mut c = Canvas::new(w, h);
    rect(&mut c, 0.0, 0.0, w, h, BACKGROUND);
    let legend_h = legend(Some(&mut c), p, PAD, PAD, w - 2.0 * PAD);
    if let Some(title) = &axis.title {
        text(&mut c, title, PAD, PAD + legend_h + TICK_SIZE * 0.9, TICK_SIZE, TEXT_COLOR, "start");
    }

    // Grid and ticks.
    for (t, label) in l.ticks.iter().flatten() {
        let y = y_of(*t);
        if *t != 0.0 {
            line(&mut c, l.plot_left, y, l.plot_right, y, GRID_COLOR);
        }
        text(&mut c, label, l.plot_left - 6.0, centre_baseline(y, TICK_SIZE), TICK_SIZE, TICK_COLOR, "end");
    }

    // Bars: a group per category, a bar per series.
    let zero_y = y_of(0.0);
    let line_h = l.value_size * LEADING;
    for i in 0..p.categories.len() {
        let centre = l.plot_left + l.band * (i as f32 + 0.5);
        let group_left = centre - l.group_w / 2.0;
        for (s, series) in p.series.iter().enumerate() {
            let v = series.values[i];
            let x = group_left + s as f32 * l.pitch;
            let y = y_of(v);
            rect(&mut c, x, y.min(zero_y), l.bar_w, (y - zero_y).abs(), &p.bar_colour(s, i));
            // Above a positive bar, below a negative one.
            let lines = &l.value_lines[s][i];
            let first =
                if v >= 0.0 { y - 4.0 - (lines.len() as f32 - 1.0) * line_h } else { y + 2.0 + l.value_size * 0.9 };
            for (k, t) in lines.iter().enumerate() {
                text(&mut c, t, x + l.bar_w / 2.0, first + k as f32 * line_h, l.value_size, TEXT_COLOR, "middle");
            }
        }
        // Category label under the plot.
        let mut ly = l.plot_bottom + l.below + 4.0 + l.cat_size * 0.9;
        for t in &l.cat_lines[i] {
            text(&mut c, t, centre, ly, l.cat_size, TEXT_COLOR, "middle");
            ly += l.cat_size * LEADING;
        }
    }
    // The zero line over the bars' ends.
    line(&mut c, l.plot_left, zero_y, l.plot_right, zero_y, AXIS_COLOR);
    c.svg().ok()
}
