//! Text measurement: widths in the project's Lato (registered with charts-rs once per set of fonts), wrapping and
//! shortening.

use std::sync::Mutex;

use super::FAMILY;
use crate::fonts::Fonts;

/// Registers the project's Lato Regular and Bold with charts-rs, once per set of fonts: the outcome is kept with
/// the fonts' digest, so the same fonts are not registered twice, and a failure is not kept once the fonts change
/// (`briefs watch` sees fonts/ restored).
pub(super) fn register_fonts(fonts: &Fonts) -> Result<(), String> {
    /// The digest of the fonts last registered, and how that went.
    static REGISTERED: Mutex<Option<(String, Result<(), String>)>> = Mutex::new(None);
    let mut registered = crate::sync::lock(&REGISTERED);
    if let Some((digest, outcome)) = registered.as_ref()
        && *digest == fonts.digest
    {
        return outcome.clone();
    }
    let outcome = register(fonts);
    *registered = Some((fonts.digest.clone(), outcome.clone()));
    outcome
}

/// Hands Lato Regular and Bold to charts-rs and checks it knows the family.
fn register(fonts: &Fonts) -> Result<(), String> {
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
        return Err(format!("the Lato files do not name the family `{FAMILY}` (they name: {})", families.join(", ")));
    }
    Ok(())
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
pub(super) fn value_lines(text: &str, size: f32, max_width: f32) -> Vec<String> {
    let lines = break_lines(text, size, max_width);
    if lines.len() <= 2 {
        return lines.into_iter().map(|(l, _)| l).collect();
    }
    vec![lines[0].0.clone(), join_from(&lines, 1)]
}
