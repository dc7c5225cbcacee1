//! Charts: bar and horizontal bar charts drawn as SVG with charts-rs, in the house style.
//!
//! The layout is done here and drawn with charts-rs's canvas (`Rect`, `Line`, `Text`), measuring
//! every text with charts-rs against the project's own Lato (registered once per process), so
//! that labels are placed for the font Typst later renders them with. Doing the layout here
//! rather than through charts-rs's `BarChart` lets every number come from the locale's formatter
//! (ticks and value labels: "32,7 %"), colour each bar by its country, draw negative horizontal
//! bars to the left of zero, mark provisional values with "†", and wrap or shorten long labels.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use charts_rs::{Canvas, Color, Line, Rect, Text};

use crate::diag::{Diagnostic, Loc, Report};
use crate::locale::Locale;
use crate::model::{Chart, ChartKind, Model, Unit, sloc};
use crate::render::ChartRef;
use crate::typeset::Fonts;

/// One chart drawn for one locale.
#[derive(Debug, Clone)]
pub struct ChartOut {
    /// Chart id.
    pub id: String,
    /// The SVG text.
    pub svg: String,
    /// How documents place it.
    pub chart_ref: ChartRef,
}

/// The only font family charts use (the project's Lato, also known to Typst).
pub const FAMILY: &str = "Lato";

/// Navy: the United States.
pub const NAVY: &str = "#1F3A93";
/// Green: Mexico.
pub const GREEN: &str = "#0B7A43";
/// Red: Canada.
pub const RED: &str = "#C0392B";
/// Purple: North America, the region as a whole.
pub const PURPLE: &str = "#5B2C83";
/// Grey: every other economy or group.
pub const GREY: &str = "#7F8C8D";
/// Second, lighter grey: "others" and the rest of the world.
pub const GREY_LIGHT: &str = "#B3B6B7";
/// Darker grey: first series of a multi-series chart without country colours.
pub const GREY_DARK: &str = "#4D5656";

/// Width of a chart without `width_mm`, in SVG units (1 unit = 1 pt on a full-width page).
const DEFAULT_WIDTH: f32 = 480.0;
/// Height of a vertical bar chart without `height`.
const DEFAULT_BAR_HEIGHT: f32 = 260.0;

/// Text sizes (SVG units; ≥ 10 so they stay readable in print).
const LABEL_SIZE: f32 = 11.0;
const MIN_LABEL_SIZE: f32 = 10.0;
const VALUE_SIZE: f32 = 11.0;
const MIN_VALUE_SIZE: f32 = 10.0;
const TICK_SIZE: f32 = 10.0;
const LEGEND_SIZE: f32 = 11.0;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.2;

/// Text colours and rules.
const TEXT_COLOR: &str = "#222222";
const TICK_COLOR: &str = "#5F6A6A";
const GRID_COLOR: &str = "#D5D8DC";
const AXIS_COLOR: &str = "#7F8C8D";
const BACKGROUND: &str = "#FFFFFF";

/// Marks a provisional value.
const DAGGER: &str = "†";
/// Outer padding of the drawing.
const PAD: f32 = 8.0;

// ---------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------

/// Registers the project's Lato Regular and Bold with charts-rs, once per process.
fn register_fonts(fonts: &Fonts) -> Result<(), String> {
    static REGISTERED: OnceLock<Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            let wanted = ["Lato-Regular", "Lato-Bold"];
            let datas: Vec<&[u8]> = fonts
                .files
                .iter()
                .filter(|(p, _)| p.file_stem().and_then(|s| s.to_str()).is_some_and(|s| wanted.contains(&s)))
                .map(|(_, d)| d.as_slice())
                .collect();
            if datas.len() < wanted.len() {
                return Err("fonts/lato/Lato-Regular.ttf and Lato-Bold.ttf are needed for charts".into());
            }
            charts_rs::add_fonts(&datas).map_err(|e| format!("charts-rs could not read the Lato fonts ({e})"))?;
            let families = charts_rs::get_font_families().map_err(|e| e.to_string())?;
            if !families.iter().any(|f| f == FAMILY) {
                return Err(format!(
                    "the Lato files do not name the family `{FAMILY}` (they name: {})",
                    families.join(", ")
                ));
            }
            Ok(())
        })
        .clone()
}

/// Width of a text in the regular Lato face at a size.
///
/// charts-rs rounds every glyph to whole pixels; measuring at a large size and scaling down keeps
/// that rounding below half a percent, so widths match the text Typst sets.
pub fn text_width(text: &str, size: f32) -> f32 {
    const REF: f32 = 200.0;
    match charts_rs::measure_text_width_family(FAMILY, REF, text) {
        Ok(b) => b.width() * size / REF,
        Err(_) => text.chars().count() as f32 * size * 0.55,
    }
}

/// Cuts a text to fit a width, ending it with "…"; text that fits comes back unchanged.
pub fn ellipsize(text: &str, size: f32, max_width: f32) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&candidate, size) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

/// Breaks a text into lines no wider than `max_width` where it can (at spaces, and after hyphens,
/// dashes and slashes), without shortening anything; a piece wider than that keeps its own line.
/// Each line comes with whether a space separated it from the line before.
fn break_lines(text: &str, size: f32, max_width: f32) -> Vec<(String, bool)> {
    // Pieces with whether a space separates them from the previous one.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut first = true;
        let mut rest = word;
        while let Some(i) = rest
            .char_indices()
            .find(|&(i, c)| i > 0 && matches!(c, '-' | '–' | '—' | '/') && i + c.len_utf8() < rest.len())
            .map(|(i, c)| i + c.len_utf8())
        {
            pieces.push((rest[..i].to_string(), first));
            first = false;
            rest = &rest[i..];
        }
        pieces.push((rest.to_string(), first));
    }
    let mut lines: Vec<(String, bool)> = Vec::new();
    let mut current: Option<(String, bool)> = None;
    for (piece, spaced) in pieces {
        current = Some(match current.take() {
            None => (piece, spaced),
            Some((cur, cur_spaced)) => {
                let candidate = if spaced { format!("{cur} {piece}") } else { format!("{cur}{piece}") };
                if text_width(&candidate, size) <= max_width {
                    (candidate, cur_spaced)
                } else {
                    lines.push((cur, cur_spaced));
                    (piece, spaced)
                }
            }
        });
    }
    lines.extend(current);
    lines
}

/// Joins the lines from `from` on into one, as they were written.
fn join_from(lines: &[(String, bool)], from: usize) -> String {
    let mut out = String::new();
    for (k, (l, spaced)) in lines.iter().enumerate().skip(from) {
        if k > from && *spaced {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// Wraps a text into at most `max_lines` lines no wider than `max_width`, breaking at spaces and
/// after hyphens; what does not fit ends with "…".
pub fn wrap(text: &str, size: f32, max_width: f32, max_lines: usize) -> Vec<String> {
    let lines = break_lines(text, size, max_width);
    let max_lines = max_lines.max(1);
    let mut out: Vec<String> = lines.iter().take(max_lines - 1).map(|(l, _)| l.clone()).collect();
    if lines.len() >= max_lines {
        out.push(join_from(&lines, max_lines - 1));
    }
    out.into_iter().map(|l| ellipsize(&l, size, max_width)).collect()
}

/// Lays a value label out in at most two lines, never shortening it (a number is never cut).
fn value_lines(text: &str, size: f32, max_width: f32) -> Vec<String> {
    let lines = break_lines(text, size, max_width);
    if lines.len() <= 2 {
        return lines.into_iter().map(|(l, _)| l).collect();
    }
    vec![lines[0].0.clone(), join_from(&lines, 1)]
}

// ---------------------------------------------------------------------------------------------
// Colours
// ---------------------------------------------------------------------------------------------

/// The house colour of a country or group key (a label key such as `mx`, `north_america`, or
/// one ending or starting with a country, such as `naics334_mx`).
pub fn colour_for_key(key: &str) -> &'static str {
    fn exact(k: &str) -> Option<&'static str> {
        match k {
            "us" | "usa" | "united_states" => Some(NAVY),
            "mx" | "mexico" => Some(GREEN),
            "ca" | "canada" => Some(RED),
            "north_america" | "region" | "na" | "usmca" => Some(PURPLE),
            "other" | "others" | "rest_of_world" | "row" | "world" => Some(GREY_LIGHT),
            _ => None,
        }
    }
    if let Some(c) = exact(key) {
        return c;
    }
    let segments: Vec<&str> = key.split('_').collect();
    if segments.len() > 1 {
        let last = segments[segments.len() - 1];
        let first = segments[0];
        for s in [last, first] {
            if let Some(c) = exact(s).filter(|c| *c != GREY_LIGHT) {
                return c;
            }
        }
    }
    GREY
}

/// Whether a key has a country or region colour (not one of the greys).
fn is_country(key: &str) -> bool {
    !matches!(colour_for_key(key), GREY | GREY_LIGHT)
}

/// A colour mixed with white: `white` 0 keeps it, 1 gives white.
pub fn tint(hex: &str, white: f32) -> String {
    let c = Color::from(hex);
    let mix = |v: u8| -> u8 { (f32::from(v) + (255.0 - f32::from(v)) * white.clamp(0.0, 1.0)).round() as u8 };
    Color::from((mix(c.r), mix(c.g), mix(c.b))).hex()
}

/// How much white each series of a multi-series chart gets when bars keep their country colour.
fn series_tint(index: usize) -> f32 {
    [0.0, 0.5, 0.72, 0.85][index.min(3)]
}

// ---------------------------------------------------------------------------------------------
// Scales
// ---------------------------------------------------------------------------------------------

/// A value axis: its ends and ticks, all multiples of `step`, covering zero and the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Lowest tick.
    pub lo: f64,
    /// Highest tick.
    pub hi: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl Scale {
    /// The tick values, low to high.
    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n)
            .map(|i| {
                let t = self.lo + i as f64 * self.step;
                // Round away float noise; keep zero positive.
                let t = (t / self.step).round() * self.step;
                if t.abs() < self.step * 1e-9 { 0.0 } else { t }
            })
            .collect()
    }
}

/// A "nice" step (1, 2 or 5 times a power of ten) near `range / target`.
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target.max(1.0)).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f < 1.5 {
        1.0
    } else if f < 3.0 {
        2.0
    } else if f < 7.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The next nicer step after `step` (1 → 2 → 2.5 → 5 → 10).
fn next_step(step: f64) -> f64 {
    let mag = 10f64.powf(step.log10().floor());
    let f = (step / mag * 1000.0).round() / 1000.0;
    let next = if f < 2.0 {
        2.0
    } else if f < 2.5 {
        2.5
    } else if f < 5.0 {
        5.0
    } else {
        10.0
    };
    next * mag
}

/// A scale with a given step covering zero and `[min, max]`.
fn scale_with_step(min: f64, max: f64, step: f64) -> Scale {
    let lo = (min.min(0.0) / step + 1e-9).floor() * step;
    let mut hi = (max.max(0.0) / step - 1e-9).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    Scale { lo, hi, step }
}

/// A scale with about `target` intervals covering zero and `[min, max]`.
pub fn nice_scale(min: f64, max: f64, target: f64) -> Scale {
    let (lo, hi) = (min.min(0.0), max.max(0.0));
    let range = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    scale_with_step(lo, hi, nice_step(range, target))
}

// ---------------------------------------------------------------------------------------------
// Data prepared for drawing
// ---------------------------------------------------------------------------------------------

/// A chart's data in the words of one locale.
#[derive(Debug, Clone)]
struct Prepared {
    kind: ChartKind,
    unit: Unit,
    width: f32,
    height: Option<f32>,
    /// Label keys and their words.
    categories: Vec<(String, String)>,
    /// Legend name, values, provisional flags per series.
    series: Vec<SeriesData>,
}

#[derive(Debug, Clone)]
struct SeriesData {
    name: String,
    values: Vec<f64>,
    provisional: Vec<bool>,
}

impl Prepared {
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series.iter().flat_map(|s| s.values.iter().copied())
    }

    /// Whether bars take their category's colour (some category is a country).
    fn colour_by_category(&self) -> bool {
        self.series.len() == 1 || self.categories.iter().any(|(k, _)| is_country(k))
    }

    /// Fill of the bar of series `s` at category `i`.
    fn bar_colour(&self, s: usize, i: usize) -> String {
        if self.colour_by_category() {
            tint(colour_for_key(&self.categories[i].0), series_tint(s))
        } else {
            [GREY_DARK, GREY, GREY_LIGHT, "#D0D3D4"][s.min(3)].to_string()
        }
    }

    /// Swatch of series `s` in the legend.
    fn legend_colour(&self, s: usize) -> String {
        if self.colour_by_category() { tint(GREY_DARK, series_tint(s)) } else { self.bar_colour(s, 0) }
    }
}

/// The text of a value label: the locale's formatting, "†" when provisional.
fn value_label(locale: &Locale, unit: Unit, v: f64, provisional: bool) -> String {
    let text = locale.typography(&locale.format_value(unit, v));
    if provisional { format!("{text}{DAGGER}") } else { text }
}

// ---------------------------------------------------------------------------------------------
// Drawing helpers
// ---------------------------------------------------------------------------------------------

/// Writes a line of text; `y` is the baseline.
fn text(c: &mut Canvas, s: &str, x: f32, y: f32, size: f32, color: &str, anchor: &str) {
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
        ..Default::default()
    });
}

/// Baseline that centres digits and capitals of a line on `y`.
fn centre_baseline(y: f32, size: f32) -> f32 {
    y + 0.36 * size
}

/// Fills a rectangle; its edges are rounded (not its size), so a bar ends exactly on its line.
fn rect(c: &mut Canvas, left: f32, top: f32, width: f32, height: f32, fill: &str) {
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

fn line(c: &mut Canvas, x1: f32, y1: f32, x2: f32, y2: f32, color: &str) {
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
fn round(v: f32) -> f32 {
    (v * 10.0).round() / 10.0
}

/// Lays out the legend from `left` at `top`; returns its height (0 for one series).
fn legend(c: Option<&mut Canvas>, p: &Prepared, left: f32, top: f32, width: f32) -> f32 {
    if p.series.len() < 2 {
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
            rect(c, x, mid - swatch / 2.0, swatch, swatch, &p.legend_colour(s));
            text(c, &name, x + swatch + 4.0, centre_baseline(mid, LEGEND_SIZE), LEGEND_SIZE, TEXT_COLOR, "start");
        }
    }
    y + row_h - top + 4.0
}

/// The ticks of a scale with their labels, from the locale's formatter.
fn tick_labels(locale: &Locale, unit: Unit, scale: &Scale) -> Vec<(f64, String)> {
    scale.ticks().into_iter().map(|t| (t, locale.typography(&locale.format_value(unit, t)))).collect()
}

/// Scales from about five intervals to coarser ones, each with its tick labels, for a layout
/// to pick the first whose labels fit.
fn candidate_scales(locale: &Locale, unit: Unit, vmin: f64, vmax: f64) -> Vec<(Scale, Vec<(f64, String)>)> {
    let fewest = if vmin < 0.0 && vmax > 0.0 { 3 } else { 2 };
    let mut scale = nice_scale(vmin, vmax, 5.0);
    let mut out = Vec::new();
    for _ in 0..12 {
        let ticks = tick_labels(locale, unit, &scale);
        let n = ticks.len();
        out.push((scale.clone(), ticks));
        if n <= fewest {
            break;
        }
        scale = scale_with_step(vmin, vmax, next_step(scale.step));
    }
    out
}

/// The value labels of every series, formatted.
fn all_value_labels(p: &Prepared, locale: &Locale) -> Vec<Vec<String>> {
    p.series
        .iter()
        .map(|s| s.values.iter().zip(&s.provisional).map(|(v, pr)| value_label(locale, p.unit, *v, *pr)).collect())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Vertical bars
// ---------------------------------------------------------------------------------------------

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

fn bar_layout(
    p: &Prepared,
    labels: &[Vec<String>],
    h: f32,
    scale: Scale,
    ticks: Option<Vec<(f64, String)>>,
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
    let plot_top = PAD + legend_h + above;
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

fn draw_bar(p: &Prepared, locale: &Locale) -> String {
    let w = p.width;
    let h = p.height.unwrap_or(DEFAULT_BAR_HEIGHT);
    let (vmin, vmax) = p.values().fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let labels = all_value_labels(p, locale);

    // The first scale whose tick labels take at most a quarter of the width, sit apart and leave
    // the categories room for their labels; without one, the axis has no labels (the bars carry
    // their values).
    let candidates = candidate_scales(locale, p.unit, vmin, vmax);
    let mut chosen = None;
    for (scale, ticks) in &candidates {
        let l = bar_layout(p, &labels, h, scale.clone(), Some(ticks.clone()));
        let spacing = (l.plot_bottom - l.plot_top) / (ticks.len().max(2) - 1) as f32;
        if l.plot_left - PAD <= w * 0.25 && spacing >= TICK_SIZE * 1.8 && !l.cut {
            chosen = Some(l);
            break;
        }
    }
    let l = chosen.unwrap_or_else(|| bar_layout(p, &labels, h, candidates[0].0.clone(), None));
    let scale = &l.scale;
    let y_of =
        |v: f64| -> f32 { l.plot_top + ((scale.hi - v) / (scale.hi - scale.lo)) as f32 * (l.plot_bottom - l.plot_top) };

    let mut c = Canvas::new(w, h);
    rect(&mut c, 0.0, 0.0, w, h, BACKGROUND);
    legend(Some(&mut c), p, PAD, PAD, w - 2.0 * PAD);

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
    c.svg().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Horizontal bars
// ---------------------------------------------------------------------------------------------

fn draw_horizontal_bar(p: &Prepared, locale: &Locale) -> String {
    let w = p.width;
    let n = p.categories.len().max(1);
    let ns = p.series.len().max(1);
    let (vmin, vmax) = p.values().fold((0.0f64, 0.0f64), |(a, b), v| (a.min(v), b.max(v)));
    let labels = all_value_labels(p, locale);
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
    let axis_h = TICK_SIZE * LEADING + 6.0;
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
    let candidates = candidate_scales(locale, p.unit, vmin, vmax);
    let fits = |ticks: &[(f64, String)]| {
        let spacing = (plot_right - plot_left) / (ticks.len().max(2) - 1) as f32;
        ticks.iter().map(|(_, t)| text_width(t, TICK_SIZE)).fold(0.0, f32::max) + 8.0 <= spacing
    };
    let (scale, ticks) = match candidates.iter().find(|(_, t)| fits(t)) {
        Some((s, t)) => (s.clone(), Some(t.clone())),
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
    c.svg().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Words: alt text and source line
// ---------------------------------------------------------------------------------------------

/// Looks a key up, reporting it (with its file) when missing.
fn word(locale: &Locale, key: &str, report: &mut Report) -> Option<String> {
    match locale.keys.get(key) {
        Some(t) => Some(t.clone()),
        None => {
            let loc = locale.key_loc(key);
            report.push(
                Diagnostic::error(loc.clone(), format!("locale {} has no key `{key}`", locale.tag))
                    .with_hint(format!("add it to {}", loc.file.display())),
            );
            None
        }
    }
}

/// The 4-digit years in a text.
fn years(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                out.push(&text[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a title already says the period (every year of it, or the whole phrase).
fn title_states_period(title: &str, period: &str) -> bool {
    let ys = years(period);
    if ys.is_empty() { title.contains(period) } else { ys.iter().all(|y| title.contains(y)) }
}

/// The words around the data of an alt text.
pub struct AltWords<'a> {
    /// "Bar chart".
    pub kind: &'a str,
    /// The chart's title.
    pub title: &'a str,
    /// The period phrase.
    pub period: &'a str,
    /// Marks a provisional value, e.g. "provisional".
    pub provisional: &'a str,
}

/// Alt text: "Bar chart. Title, period: A 1; B 2." (the period only when the title lacks it);
/// several series: "Bar chart. Title. Series 1: A 1; B 2. Series 2: A 3; B 4."
fn alt_text(words: &AltWords, p: &Prepared, locale: &Locale) -> String {
    let mut head = format!("{}. {}", words.kind, words.title.trim_end_matches('.'));
    if !words.period.is_empty() && !title_states_period(words.title, words.period) {
        head.push_str(&format!(", {}", words.period));
    }
    let items = |s: &SeriesData| -> String {
        p.categories
            .iter()
            .enumerate()
            .map(|(i, (_, label))| {
                let v = locale.format_value(p.unit, s.values[i]);
                if s.provisional[i] { format!("{label} {v} ({})", words.provisional) } else { format!("{label} {v}") }
            })
            .collect::<Vec<_>>()
            .join(&format!("{} ", Punct::of(locale).semicolon))
    };
    let colon = Punct::of(locale).colon;
    let text = if p.series.len() == 1 {
        format!("{head}{colon} {}.", items(&p.series[0]))
    } else {
        let parts: Vec<String> = p.series.iter().map(|s| format!("{}{colon} {}.", s.name, items(s))).collect();
        format!("{head}. {}", parts.join(" "))
    };
    locale.typography(&text)
}

/// The colon and semicolon of a locale: French puts a no-break space before the colon (Canadian federal usage: none before the semicolon, as in the text).
#[derive(Debug, Clone, Copy)]
struct Punct {
    colon: &'static str,
    semicolon: &'static str,
}

impl Punct {
    fn of(locale: &Locale) -> Punct {
        Punct { colon: locale.label_sep().trim_end(), semicolon: ";" }
    }
}

/// Upper-cases the first letter.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Ends a sentence with a full stop unless it has one (an abbreviation such as "EE. UU.").
fn end_sentence(out: &mut String) {
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
}

/// "Sources: A; B. Period." (+ the provisional note when a value is provisional).
fn source_line(heading: &str, punct: Punct, names: &[String], period: &str, note: Option<&str>) -> String {
    let mut out = format!("{heading}{} {}", punct.colon, names.join(&format!("{} ", punct.semicolon)));
    end_sentence(&mut out);
    if !period.is_empty() {
        out.push(' ');
        out.push_str(&capitalise(period));
        end_sentence(&mut out);
    }
    if let Some(note) = note {
        out.push_str(&format!(" {DAGGER} {note}"));
        end_sentence(&mut out);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/// Where a chart is declared.
fn chart_loc(chart: &Chart) -> Loc {
    sloc(Path::new("data/charts.yaml"), &chart.id)
}

/// Gathers one chart's data and words, reporting what is missing or bad.
fn prepare(model: &Model, locale: &Locale, chart: &Chart, report: &mut Report) -> Option<(Prepared, ChartRef)> {
    let id = &chart.id.value;
    let before = report.items.len();
    let series: Vec<_> = chart.series.iter().filter_map(|s| model.series.get(&s.value)).collect();
    if series.is_empty() {
        // An unknown or missing series is reported by the model's validation.
        return None;
    }
    let first = series[0];
    for s in &series {
        let loc = model.origin.get(&s.id.value).cloned().unwrap_or_else(|| Loc::file("data/series"));
        if s.points.is_empty() {
            report.push(
                Diagnostic::error(
                    loc.clone(),
                    format!("series `{}` has no points, so chart `{id}` cannot be drawn", s.id.value),
                )
                .with_hint("add at least one `- {label: .., fact: ..}` under `points`"),
            );
            continue;
        }
        if s.points.len() != first.points.len() || s.unit != first.unit {
            report.push(
                Diagnostic::error(
                    chart_loc(chart),
                    format!(
                        "chart `{id}` draws series `{}` with series `{}`, which differs in points or unit",
                        s.id.value, first.id.value
                    ),
                )
                .with_hint("series drawn together must have the same labels and unit"),
            );
        }
        for p in &s.points {
            let v = model.point_value(p);
            if !v.is_finite() {
                let at = p.value.as_ref().map(|v| sloc(&loc.file, v)).unwrap_or_else(|| sloc(&loc.file, &p.label));
                report.push(
                    Diagnostic::error(
                        at,
                        format!("point `{}` of series `{}` has no finite value", p.label.value, s.id.value),
                    )
                    .with_hint("give the point a number, or a `fact` with a finite value"),
                );
            }
        }
    }
    for (what, v, range) in [("width_mm", chart.width_mm, 20.0..=400.0), ("height", chart.height, 100.0..=1200.0)] {
        if let Some(v) = v.filter(|v| !range.contains(v)) {
            report.push(
                Diagnostic::error(
                    chart_loc(chart),
                    format!("chart `{id}` has {what} {v}, outside {}–{}", range.start(), range.end()),
                )
                .with_hint(format!("give {what} as a number in that range, or leave it out for the default")),
            );
        }
    }

    let kind_key = match chart.kind {
        ChartKind::Bar => "chart-text.kinds.bar",
        ChartKind::HorizontalBar => "chart-text.kinds.horizontal_bar",
    };
    let kind = word(locale, kind_key, report);
    let title = word(locale, &format!("charts.{id}.title"), report);
    let period = word(locale, &format!("chart-text.periods.{id}"), report);
    let mut categories = Vec::new();
    for p in &first.points {
        let key = format!("labels.{}", p.label.value);
        if let Some(l) = word(locale, &key, report) {
            categories.push((p.label.value.clone(), locale.typography(&l)));
        }
    }
    let mut data = Vec::new();
    for s in &series {
        let name = if series.len() > 1 {
            word(locale, &format!("charts.{id}.series.{}", s.id.value), report).unwrap_or_default()
        } else {
            locale.keys.get(&format!("charts.{id}.series.{}", s.id.value)).cloned().unwrap_or_default()
        };
        data.push(SeriesData {
            name: locale.typography(&name),
            values: s.points.iter().map(|p| model.point_value(p)).collect(),
            provisional: s.points.iter().map(|p| model.point_provisional(s, p)).collect(),
        });
    }
    let any_provisional = data.iter().any(|s| s.provisional.iter().any(|p| *p));
    let provisional_word =
        if any_provisional { word(locale, "chart-text.provisional", report) } else { Some(String::new()) };
    let provisional_note = if any_provisional { word(locale, "common.provisional", report) } else { None };

    // Sources: the series' own, else those of the facts they follow; named as the locale does.
    let mut ids: Vec<String> = Vec::new();
    for s in &series {
        let own: Vec<String> = s.sources.iter().map(|x| x.value.clone()).collect();
        let from_facts: Vec<String> = s
            .points
            .iter()
            .flat_map(|p| model.point_facts(p))
            .filter_map(|f| model.facts.get(f))
            .flat_map(|f| f.sources.iter().map(|x| x.value.clone()))
            .collect();
        for x in if own.is_empty() { from_facts } else { own } {
            if !ids.contains(&x) {
                ids.push(x);
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for x in &ids {
        let name = locale
            .keys
            .get(&format!("sources.names.{x}"))
            .cloned()
            .or_else(|| model.sources.get(x).map(|s| s.short.clone()))
            .unwrap_or_else(|| x.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let heading =
        if names.len() == 1 { word(locale, "common.source", report) } else { word(locale, "common.sources", report) };

    if report.items.len() > before {
        return None;
    }
    let (kind, title, period, heading, provisional_word) = (kind?, title?, period?, heading?, provisional_word?);
    let title = locale.typography(&title);
    let period = locale.typography(&period);
    let width = chart.width_mm.map_or(DEFAULT_WIDTH, |mm| (mm / 25.4 * 72.0) as f32);
    let prepared = Prepared {
        kind: chart.kind,
        unit: first.unit,
        width,
        height: chart.height.map(|h| h as f32),
        categories,
        series: data,
    };
    let alt = alt_text(
        &AltWords { kind: &kind, title: &title, period: &period, provisional: &provisional_word },
        &prepared,
        locale,
    );
    let source =
        locale.typography(&source_line(&heading, Punct::of(locale), &names, &period, provisional_note.as_deref()));
    let chart_ref = ChartRef { path: format!("/charts/{}/{id}.svg", locale.tag), title, alt, source };
    Some((prepared, chart_ref))
}

/// Draws every chart of the model for a locale.
pub fn render_all(model: &Model, locale: &Locale, fonts: &Fonts) -> Result<BTreeMap<String, ChartOut>, Report> {
    let mut report = Report::default();
    if model.charts.is_empty() {
        return Ok(BTreeMap::new());
    }
    if let Err(e) = register_fonts(fonts) {
        report.push(
            Diagnostic::error(Loc::file("fonts/lato"), e)
                .with_hint("restore fonts/lato/ from the repository; charts are drawn in Lato"),
        );
        return Err(report);
    }
    let mut out = BTreeMap::new();
    for (id, chart) in &model.charts {
        let Some((prepared, chart_ref)) = prepare(model, locale, chart, &mut report) else { continue };
        let svg = match prepared.kind {
            ChartKind::Bar => draw_bar(&prepared, locale),
            ChartKind::HorizontalBar => draw_horizontal_bar(&prepared, locale),
        };
        if svg.is_empty() {
            report.push(Diagnostic::error(chart_loc(chart), format!("charts-rs could not draw chart `{id}`")));
            continue;
        }
        // Typst silently replaces a family it does not know; every text must be in Lato.
        let families = font_families(&svg);
        if families.iter().any(|f| f != FAMILY) {
            report.push(Diagnostic::error(
                chart_loc(chart),
                format!(
                    "chart `{id}` names fonts other than {FAMILY}: {}",
                    families.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        let svg = charts_rs::svg_with_accessibility(&svg, &chart_ref.title, &chart_ref.alt);
        out.insert(id.clone(), ChartOut { id: id.clone(), svg, chart_ref });
    }
    if report.has_errors() { Err(report) } else { Ok(out) }
}

/// The rasteriser's font database: the project's fonts only, Lato as the default family.
fn font_db(fonts: &Fonts) -> Arc<resvg::usvg::fontdb::Database> {
    /// The font files (path and size) a database was built from, and the database.
    type Cached = (Vec<(std::path::PathBuf, usize)>, Arc<resvg::usvg::fontdb::Database>);
    static CACHE: Mutex<Option<Cached>> = Mutex::new(None);
    let key: Vec<_> = fonts.files.iter().map(|(p, d)| (p.clone(), d.len())).collect();
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((k, db)) = cache.as_ref()
        && *k == key
    {
        return db.clone();
    }
    let mut db = resvg::usvg::fontdb::Database::new();
    for (_, data) in &fonts.files {
        db.load_font_data(data.clone());
    }
    db.set_sans_serif_family(FAMILY);
    let db = Arc::new(db);
    *cache = Some((key, db.clone()));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::LocaleMeta;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn fonts() -> Arc<Fonts> {
        let f = Fonts::load(root()).expect("project fonts");
        register_fonts(&f).expect("register Lato");
        f
    }

    fn locale(tag: &str, keys: &[(&str, &str)]) -> Locale {
        let mut meta: LocaleMeta = serde_saphyr::from_str(
            "name: x\nlang: en\nregion: US\nunits: {usd: \"USD {}\", cad: \"CAD {}\", percent: \"{}\", percent_points: \"{} pp\", count: \"{}\", jobs: \"{}\", workers: \"{}\", vehicles: \"{}\", ratio: \"{}\", year: \"{}\", years: \"{}\", rank: \"{}\"}\nordinal: {other: \"{}th\"}\n",
        )
        .unwrap();
        meta.french_spacing = tag.starts_with("fr");
        Locale {
            tag: tag.into(),
            meta,
            fmt: crate::format::NumberFormatter::new(tag).unwrap(),
            keys: keys.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            nodes: BTreeMap::new(),
            origin: BTreeMap::new(),
            dir: Path::new("locales").join(tag),
        }
    }

    const KEYS: &[(&str, &str)] = &[
        ("chart-text.kinds.bar", "Bar chart"),
        ("chart-text.kinds.horizontal_bar", "Horizontal bar chart"),
        ("chart-text.provisional", "provisional"),
        ("chart-text.periods.jobs", "December 2024 to December 2025"),
        ("chart-text.periods.atp", "2025"),
        ("charts.jobs.title", "Manufacturing jobs lost, December 2024 to December 2025"),
        ("charts.atp.title", "Contribution of each ATP technology group"),
        ("charts.change.title", "Change, 2025"),
        ("chart-text.periods.change", "2025"),
        ("common.source", "Source"),
        ("common.sources", "Sources"),
        ("common.provisional", "Provisional figure"),
        ("labels.us", "United States"),
        ("labels.mx", "Mexico"),
        ("labels.ca", "Canada"),
        ("labels.ict", "Information & Communications"),
        ("labels.aero", "Aerospace"),
        ("labels.weapons", "Weapons"),
    ];

    /// A model with a jobs bar chart and an ATP-like horizontal chart with negative values,
    /// loaded from a temporary project so that it goes through the model's own validation.
    fn model(extra_series: &str) -> Model {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            ("data/edition.yaml", "id: x\ntitle: x\ndate: \"2026-04-01\"\nproject: x\nwebsite: x\n".to_string()),
            (
                "data/sources.yaml",
                "- {id: bls, short: BLS, publisher: x}\n- {id: inegi, short: INEGI, publisher: x}\n\
                 - {id: statcan, short: Statcan, publisher: x}\n- {id: census, short: U.S. Census Bureau, publisher: x}\n"
                    .to_string(),
            ),
            ("data/documents.yaml", "[]\n".to_string()),
            ("data/audiences.yaml", "[]\n".to_string()),
            ("data/fast-facts.yaml", "[]\n".to_string()),
            (
                "data/charts.yaml",
                "- {id: jobs, type: bar, series: [jobs]}\n- {id: atp, type: horizontal_bar, series: [atp]}\n\
                 - {id: change, type: bar, series: [atp]}\n"
                    .to_string(),
            ),
            (
                "data/facts/jobs.yaml",
                "- {id: jobs_us, value: 113000, unit: jobs, period: p, sources: [bls]}\n\
                 - {id: jobs_mx, value: 48375, unit: jobs, period: p, sources: [inegi]}\n\
                 - {id: jobs_ca, value: 40600, unit: jobs, period: p, sources: [statcan]}\n"
                    .to_string(),
            ),
            (
                "data/series/test.yaml",
                format!(
                    "- id: jobs\n  unit: jobs\n  period: p\n  points:\n    - {{label: us, fact: jobs_us}}\n    - {{label: mx, fact: jobs_mx}}\n    - {{label: ca, fact: jobs_ca}}\n\
                     - id: atp\n  unit: percent\n  period: \"2025\"\n  sources: [census]\n  points:\n    - {{label: ict, value: 87}}\n    - {{label: aero, value: -27}}\n    - {{label: weapons, value: -1}}\n{extra_series}"
                ),
            ),
        ];
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        match Model::load(dir.path(), &BTreeSet::new()) {
            Ok(m) => m,
            Err(r) => panic!("{}", r.render(dir.path())),
        }
    }

    /// The `<rect>`s of an SVG as (x, y, width, height, fill).
    fn rects(svg: &str) -> Vec<(f32, f32, f32, f32, String)> {
        let attr = |tag: &str, name: &str| -> Option<String> {
            let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(tag[i..].split('"').next()?.to_string())
        };
        svg.split("<rect")
            .skip(1)
            .map(|t| {
                let t = t.split('>').next().unwrap_or("");
                let num = |n: &str| attr(t, n).and_then(|v| v.parse().ok()).unwrap_or(0.0);
                (num("x"), num("y"), num("width"), num("height"), attr(t, "fill").unwrap_or_default())
            })
            .collect()
    }

    /// The contents of the `<text>`s of an SVG, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split("</text>").next()?.trim().to_string()))
            .collect()
    }

    #[test]
    fn colours_follow_country_keys() {
        assert_eq!(colour_for_key("us"), NAVY);
        assert_eq!(colour_for_key("mx"), GREEN);
        assert_eq!(colour_for_key("ca"), RED);
        assert_eq!(colour_for_key("north_america"), PURPLE);
        assert_eq!(colour_for_key("naics334_mx"), GREEN);
        assert_eq!(colour_for_key("naics3344_taiwan"), GREY);
        assert_eq!(colour_for_key("eu"), GREY);
        assert_eq!(colour_for_key("year_1994"), GREY);
        assert_eq!(colour_for_key("others"), GREY_LIGHT);
        assert_eq!(tint("#0B7A43", 0.0), "#0B7A43");
        assert_eq!(tint("#000000", 0.5), "#808080");
    }

    #[test]
    fn source_lines_end_sentences_once() {
        let en = Punct { colon: ":", semicolon: ";" };
        let names = ["Oficina del Censo de EE. UU.".to_string()];
        assert_eq!(source_line("Fuente", en, &names, "2025", None), "Fuente: Oficina del Censo de EE. UU. 2025.");
        let names = ["BLS".to_string(), "INEGI".to_string()];
        assert_eq!(
            source_line("Sources", en, &names, "december 2024 to December 2025", Some("Provisional figure")),
            "Sources: BLS; INEGI. December 2024 to December 2025. † Provisional figure."
        );
    }

    #[test]
    fn nice_scales_cover_zero_and_data() {
        let s = nice_scale(-27.0, 87.0, 5.0);
        assert_eq!(s, Scale { lo: -40.0, hi: 100.0, step: 20.0 });
        assert_eq!(nice_scale(0.0, 88.4, 5.0).ticks(), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(s.ticks(), vec![-40.0, -20.0, 0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let s = nice_scale(-4.0, -2.0, 5.0);
        assert_eq!((s.lo, s.hi), (-4.0, 0.0));
        let s = nice_scale(0.0, 113000.0, 5.0);
        assert_eq!((s.lo, s.hi, s.step), (0.0, 120000.0, 20000.0));
        assert_eq!(next_step(20.0), 25.0);
        assert_eq!(next_step(2.5), 5.0);
        assert_eq!(next_step(5.0), 10.0);
    }

    #[test]
    fn long_labels_wrap_and_shorten_to_fit() {
        let _f = fonts();
        let label = "Latin America and the Caribbean";
        let lines = wrap(label, 11.0, 90.0, 3);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 11.0) <= 90.0), "{lines:?}");
        assert_eq!(lines.join(" "), label);
        let lines = wrap(label, 11.0, 60.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 11.0) <= 60.0));
        assert_eq!(wrap("Opto-Electronics", 11.0, 62.0, 2), vec!["Opto-", "Electronics"]);
        assert_eq!(ellipsize("Canada", 11.0, 200.0), "Canada");
        let short = ellipsize("Information & Communications", 11.0, 80.0);
        assert!(short.ends_with('…') && text_width(&short, 11.0) <= 80.0, "{short}");
        // Measured in Lato, not the Roboto charts-rs falls back to.
        assert!(charts_rs::get_font_families().unwrap().contains(&FAMILY.to_string()));
    }

    #[test]
    fn renders_bar_chart_with_alt_text_and_source() {
        let f = fonts();
        let out = render_all(&model(""), &locale("en-US", KEYS), &f).unwrap();
        let jobs = &out["jobs"];
        assert_eq!(
            jobs.chart_ref.alt,
            "Bar chart. Manufacturing jobs lost, December 2024 to December 2025: United States 113,000; Mexico 48,375; Canada 40,600."
        );
        assert_eq!(jobs.chart_ref.source, "Sources: BLS; INEGI; Statcan. December 2024 to December 2025.");
        assert_eq!(jobs.chart_ref.path, "/charts/en-US/jobs.svg");
        assert_eq!(font_families(&jobs.svg), BTreeSet::from([FAMILY.to_string()]));
        let t = texts(&jobs.svg);
        for want in ["113,000", "48,375", "40,600", "United States", "Mexico", "Canada", "0", "120,000"] {
            assert!(t.contains(&want.to_string()), "{want} in {t:?}");
        }
        assert!(!t.iter().any(|t| t.starts_with('-')), "no negative ticks for positive data: {t:?}");
        assert!(!jobs.svg.contains("Roboto"));
        // One bar per country, in its colour.
        let fills: Vec<String> = rects(&jobs.svg).into_iter().map(|r| r.4).collect();
        for c in [NAVY, GREEN, RED] {
            assert_eq!(fills.iter().filter(|f| f.as_str() == c).count(), 1, "{c} in {fills:?}");
        }
        // No title inside the SVG drawing (only the accessibility <title>).
        assert!(!t.iter().any(|t| t.contains("Manufacturing")));
    }

    #[test]
    fn negative_horizontal_bars_go_left_of_zero() {
        let f = fonts();
        let out = render_all(&model(""), &locale("en-US", KEYS), &f).unwrap();
        let atp = &out["atp"];
        let bars: Vec<_> = rects(&atp.svg).into_iter().filter(|r| r.4 == GREY).collect();
        assert_eq!(bars.len(), 3, "{bars:?}");
        let (ict, aero, weapons) = (&bars[0], &bars[1], &bars[2]);
        let zero = ict.0;
        assert!((aero.0 + aero.2 - zero).abs() < 0.01, "aerospace ends at zero: {aero:?} zero {zero}");
        assert!((weapons.0 + weapons.2 - zero).abs() < 0.01, "weapons ends at zero: {weapons:?} zero {zero}");
        assert!(aero.0 < zero && weapons.0 < zero);
        assert!(aero.2 > weapons.2 * 20.0, "-27 is 27 times as long as -1");
        assert!((ict.2 / aero.2 - 87.0 / 27.0).abs() < 0.05);
        // Value labels through the formatter, the negative one anchored at its end.
        let t = texts(&atp.svg);
        assert!(t.contains(&"-27%".to_string()) || t.contains(&"−27%".to_string()), "{t:?}");
        assert!(
            atp.chart_ref.alt.starts_with("Horizontal bar chart. Contribution of each ATP technology group, 2025: ")
        );
        assert_eq!(atp.chart_ref.source, "Source: U.S. Census Bureau. 2025.");
        let png = svg_to_png(&atp.svg, &f).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
        assert_eq!(w, 960, "2x the 480-unit width");
    }

    #[test]
    fn negative_vertical_bars_hang_below_zero() {
        let f = fonts();
        let out = render_all(&model(""), &locale("en-US", KEYS), &f).unwrap();
        let svg = &out["change"].svg;
        let bars: Vec<_> = rects(svg).into_iter().filter(|r| r.4 == GREY).collect();
        let (ict, aero, weapons) = (&bars[0], &bars[1], &bars[2]);
        let zero = ict.1 + ict.3;
        assert!((aero.1 - zero).abs() < 0.01 && (weapons.1 - zero).abs() < 0.01, "{bars:?}");
        assert!((ict.3 / aero.3 - 87.0 / 27.0).abs() < 0.05, "{bars:?}");
        // Ticks below zero, through the formatter.
        assert!(texts(svg).iter().any(|t| t == "-20%" || t == "−20%"), "{:?}", texts(svg));
    }

    #[test]
    fn provisional_values_get_a_dagger() {
        let f = fonts();
        let mut m = model("");
        m.series.get_mut("jobs").unwrap().provisional = Some("not in the seed".into());
        let out = render_all(&m, &locale("en-US", KEYS), &f).unwrap();
        let jobs = &out["jobs"];
        assert!(texts(&jobs.svg).contains(&"113,000†".to_string()), "{}", jobs.svg);
        assert!(jobs.chart_ref.alt.contains("United States 113,000 (provisional);"));
        assert!(jobs.chart_ref.source.ends_with("† Provisional figure."), "{}", jobs.chart_ref.source);
    }

    #[test]
    fn french_ticks_use_the_formatter() {
        let f = fonts();
        let keys: Vec<(&str, &str)> = KEYS.to_vec();
        let out = render_all(&model(""), &locale("fr-CA", &keys), &f).unwrap();
        let atp = &out["atp"];
        // fr-CA writes a (no-break) space before the percent sign and a comma for decimals.
        assert!(atp.svg.contains("87\u{a0}%") || atp.svg.contains("87\u{202f}%"), "{}", atp.svg);
        assert!(!texts(&atp.svg).contains(&"87%".to_string()));
        assert_eq!(atp.chart_ref.source, "Source\u{a0}: U.S. Census Bureau. 2025.");
        assert!(atp.chart_ref.alt.contains(", 2025\u{a0}: Information & Communications 87"), "{}", atp.chart_ref.alt);
        assert!(atp.chart_ref.alt.contains("%; Aerospace"), "{}", atp.chart_ref.alt);
    }

    #[test]
    fn missing_words_and_bad_data_are_located_errors() {
        let f = fonts();
        let keys: Vec<(&str, &str)> = KEYS.iter().copied().filter(|(k, _)| *k != "labels.mx").collect();
        let report = render_all(&model(""), &locale("en-US", &keys), &f).unwrap_err();
        let d = &report.items[0];
        assert!(d.message.contains("`labels.mx`"), "{}", d.message);
        assert_eq!(d.loc.file, Path::new("locales/en-US/labels.yaml"));

        let keys: Vec<(&str, &str)> =
            KEYS.iter().copied().filter(|(k, _)| !k.starts_with("chart-text.periods")).collect();
        let report = render_all(&model(""), &locale("en-US", &keys), &f).unwrap_err();
        assert!(report.items.iter().any(|d| d.message.contains("`chart-text.periods.jobs`")
            && d.loc.file == Path::new("locales/en-US/chart-text.yaml")));

        let mut m = model("");
        m.series.get_mut("atp").unwrap().points[1].value.as_mut().unwrap().value = f64::NAN;
        let report = render_all(&m, &locale("en-US", KEYS), &f).unwrap_err();
        let d = &report.items[0];
        assert!(d.message.contains("point `aero` of series `atp`"), "{}", d.message);
        assert_eq!(d.loc.file, Path::new("data/series/test.yaml"));
        assert!(d.loc.line > 0);

        let mut m = model("");
        m.series.get_mut("jobs").unwrap().points.clear();
        let report = render_all(&m, &locale("en-US", KEYS), &f).unwrap_err();
        assert!(report.items[0].message.contains("series `jobs` has no points"));
        assert_eq!(report.items[0].loc.file, Path::new("data/series/test.yaml"));
    }

    /// Renders every chart of the real data in every locale to /tmp/charts/<tag>-<id>.png.
    /// Run with `cargo test charts::tests::real_data -- --ignored` and look at the images.
    #[test]
    #[ignore]
    fn real_data() {
        let root = root();
        // The project's locales, as the audiences may name some not written yet.
        let mut tags = crate::locale::available(root);
        tags.extend(["en-US", "es-MX", "fr-CA"].map(String::from));
        let model = match Model::load(root, &tags) {
            Ok(m) => m,
            Err(r) => panic!("{}", r.render(root)),
        };
        let f = fonts();
        std::fs::create_dir_all("/tmp/charts").unwrap();
        for tag in &tags {
            let loc = match Locale::load(root, tag) {
                Ok(l) => l,
                Err(r) => {
                    eprintln!("skipping {tag}:\n{}", r.render(root));
                    continue;
                }
            };
            match render_all(&model, &loc, &f) {
                Ok(out) => {
                    for (id, c) in out {
                        assert_eq!(font_families(&c.svg), BTreeSet::from([FAMILY.to_string()]));
                        std::fs::write(format!("/tmp/charts/{tag}-{id}.svg"), &c.svg).unwrap();
                        std::fs::write(format!("/tmp/charts/{tag}-{id}.png"), svg_to_png(&c.svg, &f).unwrap()).unwrap();
                        eprintln!("{tag} {id}\n  alt: {}\n  source: {}", c.chart_ref.alt, c.chart_ref.source);
                    }
                }
                Err(r) => eprintln!("{tag}: {}", r.render(root)),
            }
        }
    }
}
