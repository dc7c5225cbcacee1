//! The horizontal bar layout: category labels flush left in a column (or above their bars when the column would cut
//! them), every bar labelled at its end so no value axis and no gridlines, negative values left of the zero line,
//! and with `panels`, each panel's name above its rows.

use charts_rs::Canvas;

use super::data::{Prepared, all_value_labels};
use super::measure::{text_width, wrap};
use super::svg::{bold, centre_baseline, legend, line, rect, text};
use super::{
    ASCENT, AXIS_COLOR, LABEL_SIZE, LEADING, MIN_PLOT, MIN_VALUE_SIZE, MUTED_COLOR, PAD, TEXT_COLOR, TITLE_GAP,
    TITLE_SIZE, VALUE_SIZE,
};
use crate::locale::Locale;

/// Space between the label column and the plot, and between a bar's end and its value.
const GAP: f32 = 6.0;
/// Space before a panel that follows another.
const PANEL_GAP: f32 = 6.0;
/// Bold text is about this much wider than the regular text measured.
const BOLD_WIDTH: f32 = 1.06;
/// Widest the label column may be, as a share of the chart's width.
const MAX_LABEL_SHARE: f32 = 0.4;
/// Least share of the chart's width the plot and its value labels keep.
const MIN_PLOT_SHARE: f32 = 0.6;
/// Narrowest the label column may be.
const MIN_LABEL_WIDTH: f32 = 40.0;
/// Most lines a category label wraps to: in the label column, above its bars.
const LABEL_LINES: (usize, usize) = (3, 2);
/// Space between labels above their bars and the bars.
const ABOVE_GAP: f32 = 2.0;
/// Space a panel's name takes besides its line of text (`PANEL_NAME_TOP` of it above the name).
const PANEL_NAME_GAP: f32 = 6.0;
/// Space above a panel's name.
const PANEL_NAME_TOP: f32 = 3.0;
/// Space a bar takes besides its value label's size.
const BAR_PAD: f32 = 3.0;
/// Space above and below a row's bars or labels (both together).
const ROW_PAD: f32 = 6.0;
/// Space between the bars of one category.
const BAR_GAP: f32 = 2.0;
/// Share of a row's height its bars take.
const BAR_SHARE: f32 = 0.7;
/// Thickest a bar may be.
const MAX_BAR_HEIGHT: f32 = 18.0;
/// How far the zero line runs past a row's bars, above and below.
const ZERO_OVERHANG: f32 = 2.0;
/// A value label's distance from its bar's end is `GAP` less this.
const VALUE_PULL: f32 = 2.0;
/// Space above a label set above its bars.
const LABEL_TOP: f32 = 1.0;

/// Draws a horizontal bar chart as SVG.
pub(super) fn draw(p: &Prepared, locale: &Locale) -> String {
    let w = p.width;
    let n = p.categories.len().max(1);
    let ns = p.series.len().max(1);
    let labels = all_value_labels(p, locale);
    let value_size = if ns > 2 { MIN_VALUE_SIZE } else { VALUE_SIZE };
    // Room for the value labels: right of the bars for positive values, left for negative ones.
    let widest = |neg: bool| -> f32 {
        p.series
            .iter()
            .enumerate()
            .flat_map(|(s, se)| se.values.iter().enumerate().map(move |(i, v)| (s, i, *v)))
            .filter(|(_, _, v)| (*v < 0.0) == neg)
            .map(|(s, i, _)| text_width(&labels[s][i], value_size) + GAP)
            .fold(0.0, f32::max)
    };
    let (pos_w, neg_w) = (widest(false), widest(true));

    // Category labels flush left: their natural width, up to 40% of the chart, and less when the plot would get
    // under 40%; wrapped to three lines. When that would cut a label, the labels go above their bars instead.
    let natural = p.categories.iter().map(|(_, l)| text_width(l, LABEL_SIZE)).fold(0.0, f32::max);
    let cat_w = natural.min(w * MAX_LABEL_SHARE).min(w * MIN_PLOT_SHARE - GAP - pos_w - neg_w).max(MIN_LABEL_WIDTH);
    let side_lines: Vec<Vec<String>> =
        p.categories.iter().map(|(_, l)| wrap(l, LABEL_SIZE, cat_w, LABEL_LINES.0)).collect();
    let labels_above = natural > cat_w && side_lines.iter().flatten().any(|l| l.ends_with('…'));
    let cat_lines = if labels_above {
        p.categories.iter().map(|(_, l)| wrap(l, LABEL_SIZE, w, LABEL_LINES.1)).collect()
    } else {
        side_lines
    };
    let line_h = LABEL_SIZE * LEADING;
    let max_lines = cat_lines.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let label_block = if labels_above { max_lines * line_h + ABOVE_GAP } else { 0.0 };

    let legend_h = legend(None, p, 0.0, PAD, w);
    let title_h = if p.axis.title.is_some() { TITLE_SIZE * LEADING + TITLE_GAP } else { 0.0 };
    // A panel's name on up to two lines (a narrow drawing, the sidebar's, would cut it short on one).
    let panel_names: Vec<Vec<String>> =
        p.panels.iter().map(|(_, name)| super::measure::wrap(name, TITLE_SIZE * BOLD_WIDTH, w, 2)).collect();
    let panel_h = |k: usize| TITLE_SIZE * LEADING * panel_names[k].len() as f32 + PANEL_NAME_GAP;
    let top = PAD + legend_h + title_h;
    let bars_h = ns as f32 * (value_size + BAR_PAD) + ROW_PAD;
    let row_h = match p.height {
        Some(h) => {
            let fixed = top + PAD + (0..p.panels.len()).map(|k| panel_h(k) + PANEL_GAP).sum::<f32>();
            ((h - fixed) / n as f32).max(1.0)
        }
        None if labels_above => label_block + bars_h,
        None => (max_lines * line_h + ROW_PAD).max(bars_h).max(MIN_PLOT),
    };
    // Each row's top: rows follow each other, a panel's name before its first row.
    let mut row_tops = Vec::with_capacity(n);
    let mut panel_tops = Vec::new();
    let mut y = top;
    for i in 0..p.categories.len() {
        if let Some(k) = p.panels.iter().position(|(start, _)| *start == i) {
            // A panel after another starts a little lower, so its name reads with its own bars.
            if i > 0 {
                y += PANEL_GAP;
            }
            panel_tops.push((y, &panel_names[k]));
            y += panel_h(k);
        }
        row_tops.push(y);
        y += row_h;
    }
    let h = p.height.unwrap_or(y + PAD);
    let plot_left = if labels_above { neg_w } else { cat_w + GAP + neg_w };
    let plot_right = (w - pos_w).max(plot_left + 1.0);
    let (vmin, vmax) = p.value_range();
    let span = (vmax - vmin).max(f64::MIN_POSITIVE);
    let x_of = |v: f64| -> f32 { plot_left + ((v - vmin) / span) as f32 * (plot_right - plot_left) };

    let mut c = Canvas::new(w, h);
    legend(Some(&mut c), p, 0.0, PAD, w);
    if let Some(title) = &p.axis.title {
        let tx = if labels_above { 0.0 } else { plot_left.min(x_of(0.0)) };
        text(&mut c, title, tx, PAD + legend_h + TITLE_SIZE * ASCENT, TITLE_SIZE, MUTED_COLOR, "start");
    }
    for (y, lines) in &panel_tops {
        for (j, line) in lines.iter().enumerate() {
            let baseline = y + PANEL_NAME_TOP + TITLE_SIZE * ASCENT + TITLE_SIZE * LEADING * j as f32;
            bold(&mut c, line, 0.0, baseline, TITLE_SIZE, TEXT_COLOR);
        }
    }

    let zero_x = x_of(0.0);
    let gap = BAR_GAP;
    let group_h = ((row_h - label_block) * BAR_SHARE).min(MAX_BAR_HEIGHT * ns as f32 + gap * (ns - 1) as f32);
    let bar_h = (group_h - gap * (ns - 1) as f32) / ns as f32;
    let mut spans: Vec<(f32, f32)> = Vec::new();
    for i in 0..p.categories.len() {
        let row_top = row_tops[i];
        let centre = row_top + label_block + (row_h - label_block) / 2.0;
        let group_top = centre - group_h / 2.0;
        let (y1, y2) = (group_top - ZERO_OVERHANG, group_top + group_h + ZERO_OVERHANG);
        // Rows of one panel share one zero line unless labels sit above their bars.
        let joins = i > 0 && !labels_above && !p.panels.iter().any(|(start, _)| *start == i);
        match spans.last_mut() {
            Some(last) if joins => last.1 = y2,
            _ => spans.push((y1, y2)),
        }
        for (s, series) in p.series.iter().enumerate() {
            let v = series.values[i];
            let y = group_top + s as f32 * (bar_h + gap);
            let x = x_of(v);
            // Negative values run from their end up to zero: to the left of the zero line.
            rect(&mut c, x.min(zero_x), y, (x - zero_x).abs(), bar_h, &p.colours[s][i]);
            let (lx, anchor) = if v >= 0.0 { (x + GAP - VALUE_PULL, "start") } else { (x - GAP + VALUE_PULL, "end") };
            let baseline = centre_baseline(y + bar_h / 2.0, value_size);
            text(&mut c, &labels[s][i], lx, baseline, value_size, TEXT_COLOR, anchor);
        }
        let lines = &cat_lines[i];
        if labels_above {
            for (k, t) in lines.iter().enumerate() {
                let y = row_top + LABEL_TOP + LABEL_SIZE * ASCENT + k as f32 * line_h;
                text(&mut c, t, 0.0, y, LABEL_SIZE, TEXT_COLOR, "start");
            }
        } else {
            let first = centre - line_h * (lines.len() as f32 - 1.0) / 2.0;
            for (k, t) in lines.iter().enumerate() {
                let y = centre_baseline(first + k as f32 * line_h, LABEL_SIZE);
                text(&mut c, t, 0.0, y, LABEL_SIZE, TEXT_COLOR, "start");
            }
        }
    }
    // The zero line runs through the bars of each row, never through a label above them or a panel's name.
    for (y1, y2) in spans {
        line(&mut c, zero_x, y1, zero_x, y2, AXIS_COLOR);
    }
    c.svg().unwrap_or_default()
}
