//! The house palette: a colour per country or group, tints for series.

use charts_rs::Color;

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
pub(super) fn is_country(key: &str) -> bool {
    !matches!(colour_for_key(key), GREY | GREY_LIGHT)
}

/// A colour mixed with white: `white` 0 keeps it, 1 gives white.
pub fn tint(hex: &str, white: f32) -> String {
    let c = Color::from(hex);
    let mix = |v: u8| -> u8 { (f32::from(v) + (255.0 - f32::from(v)) * white.clamp(0.0, 1.0)).round() as u8 };
    Color::from((mix(c.r), mix(c.g), mix(c.b))).hex()
}

/// How much white each series of a multi-series chart gets when bars keep their country colour.
pub(super) fn series_tint(index: usize) -> f32 {
    [0.0, 0.5, 0.72, 0.85][index.min(3)]
}
