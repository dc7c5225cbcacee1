//! The vertical bar layout: every bar labelled with its value, so no value axis and no gridlines; a group of bars per
//! category across the whole width; category labels at the zero line on the side away from their bars; several
//! series named over their first bars rather than in a legend.

use charts_rs::Canvas;

use super::data::{Prepared, all_value_labels};
use super::measure::{text_width, value_lines, wrap};
use super::svg::{bold_at, legend, line, rect, text};
use super::{
    ASCENT, AXIS_COLOR, DEFAULT_BAR_HEIGHT, LABEL_SIZE, LEADING, MIN_LABEL_SIZE, MIN_PLOT, MIN_VALUE_SIZE, MUTED_COLOR,
    PAD, TEXT_COLOR, TITLE_GAP, TITLE_SIZE, VALUE_SIZE,
};
use crate::locale::Locale;

/// Gap between a bar's end and its value label, and between the zero line and a category label.
const GAP: f32 = 3.0;
/// Height of a line's descenders below its baseline, as a share of the font size.
const DESCENT: f32 = 0.22;
/// Space between the bars of one category.
const BAR_GAP: f32 = 3.0;
/// Widest a bar may be.
const MAX_BAR_WIDTH: f32 = 64.0;
/// Share of its band a category's bars take: one series, several series.
const GROUP_SHARE: (f32, f32) = (0.6, 0.8);
/// Space a category label keeps from the edges of its band (both sides together).
const LABEL_INSET: f32 = 6.0;
/// Space a value label keeps from the edges of its band (one series, both sides together) or its bar's pitch
/// (several series).
const VALUE_INSET: (f32, f32) = (4.0, 1.0);
/// Extra space between the zero line and a category label below it (where the bars' value labels do not sit).
const BELOW_ZERO: f32 = 2.0;
/// Most lines a category label wraps to.
const LABEL_LINES: usize = 3;
/// Rounds of fitting the bars' scale to the height; each shrinks it by at least `SHRINK`.
const FIT_ROUNDS: usize = 8;
/// Most a fitting round keeps of the scale.
const SHRINK: f32 = 0.98;

/// Whether a category's bars point down (all its values negative).
fn points_down(p: &Prepared, i: usize) -> bool {
    p.series.iter().all(|s| s.values[i] < 0.0)
}

/// Category labels wrapped within their band, at a smaller size if they would be cut, and then breaking a name the
/// locale keeps on one line ("North America") rather than cutting it: lines, size.
fn category_lines(p: &Prepared, band: f32) -> (Vec<Vec<String>>, f32) {
    let wrap_at = |size: f32, names: bool| -> (Vec<Vec<String>>, bool) {
        let lines: Vec<Vec<String>> = p
            .categories
            .iter()
            .map(|(_, l)| if names { l.clone() } else { l.replace('\u{a0}', " ") })
            .map(|l| wrap(&l, size, band - LABEL_INSET, LABEL_LINES))
            .collect();
        let cut = lines.iter().zip(&p.categories).any(|(ls, (_, l))| ls.concat().ends_with('…') && !l.ends_with('…'));
        (lines, cut)
    };
    let (lines, cut) = wrap_at(LABEL_SIZE, true);
    if !cut {
        return (lines, LABEL_SIZE);
    }
    let (lines, cut) = wrap_at(MIN_LABEL_SIZE, true);
    if cut { (wrap_at(MIN_LABEL_SIZE, false).0, MIN_LABEL_SIZE) } else { (lines, MIN_LABEL_SIZE) }
}

/// Draws a vertical bar chart as SVG.
pub(super) fn draw(p: &Prepared, locale: &Locale) -> String {
    let w = p.width;
    let h = p.height.unwrap_or(DEFAULT_BAR_HEIGHT);
    let n = p.categories.len().max(1);
    let ns = p.series.len().max(1);
    let labels = all_value_labels(p, locale);

    let title_h = if p.axis.title.is_some() { TITLE_SIZE * LEADING + TITLE_GAP } else { 0.0 };
    let band = w / n as f32;
    // A group of bars per category: narrower for one series, and no bar fatter than MAX_BAR_WIDTH.
    let gap = BAR_GAP;
    let group_w = (band * if ns == 1 { GROUP_SHARE.0 } else { GROUP_SHARE.1 })
        .min(MAX_BAR_WIDTH * ns as f32 + gap * (ns - 1) as f32);
    let bar_w = (group_w - gap * (ns - 1) as f32) / ns as f32;
    let pitch = bar_w + gap;
    // Value labels may use the whole band (one series) or the bar's pitch (several), shrinking to the minimum size
    // and then taking two lines; they are never cut.
    let room = if ns == 1 { band - VALUE_INSET.0 } else { pitch - VALUE_INSET.1 };
    let widest = labels.iter().flatten().map(|l| text_width(l, VALUE_SIZE)).fold(0.0, f32::max);
    let value_size = if widest <= room { VALUE_SIZE } else { MIN_VALUE_SIZE };
    // Several series: each named over its bar in the first category (direct labels, as the house style's charts
    // label), when every name fits its bar's pitch; else a legend above the plot.
    let named = ns > 1 && p.series.iter().all(|s| !s.name.is_empty() && text_width(&s.name, value_size) <= room);
    let legend_h = if named { 0.0 } else { legend(None, p, 0.0, PAD, w) };
    let value_lines: Vec<Vec<Vec<String>>> = labels
        .iter()
        .zip(&p.series)
        .map(|(s, series)| {
            s.iter()
                .enumerate()
                .map(|(i, l)| {
                    let lines = value_lines(l, value_size, room);
                    if named && i == 0 { [vec![series.name.clone()], lines].concat() } else { lines }
                })
                .collect()
        })
        .collect();
    let line_h = value_size * LEADING;
    let label_h = |neg: bool| -> f32 {
        let most = p
            .series
            .iter()
            .enumerate()
            .flat_map(|(s, se)| se.values.iter().enumerate().map(move |(i, v)| (s, i, *v)))
            .filter(|(_, _, v)| (*v < 0.0) == neg)
            .map(|(s, i, _)| value_lines[s][i].len())
            .max()
            .unwrap_or(0);
        if most == 0 { 0.0 } else { most as f32 * line_h + GAP }
    };
    let (up_h, down_h) = (label_h(false), label_h(true));
    let (cat_lines, cat_size) = category_lines(p, band);
    let cat_h = |down: bool| -> f32 {
        let most = (0..p.categories.len()).filter(|i| points_down(p, *i) == down).map(|i| cat_lines[i].len()).max();
        most.map_or(0.0, |m| m as f32 * cat_size * LEADING + GAP + BELOW_ZERO)
    };
    let (cat_up_h, cat_down_h) = (cat_h(true), cat_h(false));

    // Pixels per unit: the bars, their value labels and the category labels fill the height between the legend and
    // unit title above and the padding below.
    let (vmin, vmax) = p.value_range();
    let top = PAD + legend_h + title_h;
    let avail = (h - top - PAD).max(MIN_PLOT);
    let above = |k: f32| (vmax as f32 * k + up_h).max(cat_up_h);
    let below = |k: f32| (-vmin as f32 * k + down_h).max(cat_down_h);
    let span = ((vmax - vmin) as f32).max(f32::MIN_POSITIVE);
    let mut k = avail / span;
    for _ in 0..FIT_ROUNDS {
        let total = above(k) + below(k);
        if total <= avail {
            break;
        }
        let bars = (total - up_h - down_h).max(1.0);
        k *= ((avail - up_h - down_h).max(1.0) / bars).min(SHRINK);
    }
    let zero_y = top + above(k);
    let y_of = |v: f64| zero_y - v as f32 * k;

    let mut c = Canvas::new(w, h);
    if !named {
        legend(Some(&mut c), p, 0.0, PAD, w);
    }
    if let Some(title) = &p.axis.title {
        text(&mut c, title, 0.0, PAD + legend_h + TITLE_SIZE * ASCENT, TITLE_SIZE, MUTED_COLOR, "start");
    }
    for i in 0..p.categories.len() {
        let centre = band * (i as f32 + 0.5);
        let group_left = centre - group_w / 2.0;
        for (s, series) in p.series.iter().enumerate() {
            let v = series.values[i];
            let x = group_left + s as f32 * pitch;
            let y = y_of(v);
            rect(&mut c, x, y.min(zero_y), bar_w, (y - zero_y).abs(), &p.colours[s][i]);
            // The value at the bar's end: above a positive bar, below a negative one.
            let lines = &value_lines[s][i];
            let first = if v >= 0.0 {
                y - GAP - value_size * DESCENT - (lines.len() as f32 - 1.0) * line_h
            } else {
                y + GAP + value_size * ASCENT
            };
            for (j, t) in lines.iter().enumerate() {
                let (tx, ty) = (x + bar_w / 2.0, first + j as f32 * line_h);
                if named && i == 0 && j == 0 {
                    bold_at(&mut c, t, (tx, ty), value_size, TEXT_COLOR, "middle");
                } else {
                    text(&mut c, t, tx, ty, value_size, TEXT_COLOR, "middle");
                }
            }
        }
        // The category at the zero line, on the side away from its bars.
        let lines = &cat_lines[i];
        let cat_line_h = cat_size * LEADING;
        let first = if points_down(p, i) {
            zero_y - GAP - cat_size * DESCENT - (lines.len() as f32 - 1.0) * cat_line_h
        } else {
            zero_y + GAP + BELOW_ZERO + cat_size * ASCENT
        };
        for (j, t) in lines.iter().enumerate() {
            text(&mut c, t, centre, first + j as f32 * cat_line_h, cat_size, TEXT_COLOR, "middle");
        }
    }
    // The zero line over the bars' ends.
    line(&mut c, 0.0, zero_y, w, zero_y, AXIS_COLOR);
    c.svg().unwrap_or_default()
}
