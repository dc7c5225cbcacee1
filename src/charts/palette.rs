//! The house palette (`templates/palette.yaml`): loaded and checked with the project, turned into `/palette.typ`
//! for the pages, and the colours of the charts: a country's colour, the accent and the neutral.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Loc, Report};
use crate::io::{load_yaml, sloc};

/// Where the palette is read from, relative to the project root.
pub const PALETTE_FILE: &str = "templates/palette.yaml";

/// The colours the code itself names, by group; a palette may add more (they reach `/palette.typ` too).
const REQUIRED: &[(&str, &[&str])] = &[
    ("furniture", &["navy", "ink", "muted", "hairline", "panel"]),
    ("data", &["united_states", "mexico", "canada", "north_america", "accent", "neutral"]),
];

/// The palette file as written: groups of named colours.
type PaletteFile = BTreeMap<String, Spanned<BTreeMap<String, Spanned<String>>>>;

/// The house palette: every colour by group and name, as `#RRGGBB`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// Group → name → colour, sorted by name.
    pub groups: BTreeMap<String, BTreeMap<String, String>>,
}

impl Palette {
    /// Reads and checks `templates/palette.yaml`: every colour `#RRGGBB`, every colour the code names present, no
    /// name in two groups, and no data colour equal to the furniture navy.
    pub fn load(root: &Path) -> Result<Palette, Report> {
        let mut report = Report::default();
        let file = Path::new(PALETTE_FILE);
        let Some(raw) = load_yaml::<PaletteFile>(root, PALETTE_FILE, &mut report) else { return Err(report) };
        let mut groups = BTreeMap::new();
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        for (group, colours) in &raw {
            let mut out = BTreeMap::new();
            for (name, value) in &colours.value {
                let at = sloc(file, value);
                if !valid_name(name) {
                    report.push(
                        Diagnostic::error(at.clone(), format!("invalid colour name `{name}` in group `{group}`"))
                            .with_hint("names use lowercase letters, digits and `_`, starting with a letter"),
                    );
                }
                if let Some(first) = seen.get(name) {
                    report.push(
                        Diagnostic::error(at.clone(), format!("colour `{name}` is named twice"))
                            .with_hint(format!("first at {first}; /palette.typ needs one colour per name")),
                    );
                }
                seen.insert(name.clone(), at.clone());
                match hex(&value.value) {
                    Some(c) => {
                        out.insert(name.clone(), c);
                    }
                    None => report.push(
                        Diagnostic::error(at, format!("colour `{name}` is `{}`, not a hex colour", value.value))
                            .with_hint("write six hex digits after `#`, e.g. \"#2F6DB5\""),
                    ),
                }
            }
            groups.insert(group.clone(), out);
        }
        for (group, names) in REQUIRED {
            let Some(colours) = raw.get(*group) else {
                report.push(
                    Diagnostic::error(Loc::file(file), format!("the palette has no group `{group}`"))
                        .with_hint(format!("add `{group}:` with the colours {}", names.join(", "))),
                );
                continue;
            };
            for name in names.iter().filter(|n| !colours.value.contains_key(**n)) {
                report.push(
                    Diagnostic::error(sloc(file, colours), format!("palette group `{group}` has no colour `{name}`"))
                        .with_hint(format!("add `{name}: \"#RRGGBB\"` under `{group}:`")),
                );
            }
        }
        let palette = Palette { groups };
        if let (Some(navy), Some(data)) = (palette.get("furniture", "navy"), raw.get("data")) {
            for (name, value) in data.value.iter().filter(|(_, v)| hex(&v.value).as_deref() == Some(navy)) {
                report.push(
                    Diagnostic::error(sloc(file, value), format!("data colour `{name}` is the furniture navy"))
                        .with_hint("the navy is for page furniture only; give the data another colour"),
                );
            }
        }
        if report.has_errors() { Err(report) } else { Ok(palette) }
    }

    /// A colour by group and name.
    pub fn get(&self, group: &str, name: &str) -> Option<&str> {
        self.groups.get(group).and_then(|g| g.get(name)).map(String::as_str)
    }

    /// A data colour (black if missing, which loading rules out).
    fn data(&self, name: &str) -> String {
        self.get("data", name).unwrap_or("#000000").to_string()
    }

    /// The accent: what carries a chart's point.
    pub fn accent(&self) -> String {
        self.data("accent")
    }

    /// The neutral: everything else.
    pub fn neutral(&self) -> String {
        self.data("neutral")
    }

    /// The colour of a country or region key (`us`, `mx`, `ca`, `north_america`, or a key ending or starting with
    /// one, such as `naics334_mx`); None for every other economy or group.
    pub fn country(&self, key: &str) -> Option<String> {
        fn name(k: &str) -> Option<&'static str> {
            match k {
                "us" | "usa" | "united_states" => Some("united_states"),
                "mx" | "mexico" => Some("mexico"),
                "ca" | "canada" => Some("canada"),
                "north_america" | "region" | "na" | "usmca" => Some("north_america"),
                _ => None,
            }
        }
        let segments: Vec<&str> = key.split('_').collect();
        let found = name(key)
            .or_else(|| segments.last().and_then(|s| name(s)))
            .or_else(|| segments.first().and_then(|s| name(s)));
        found.map(|n| self.data(n))
    }

    /// `/palette.typ`: `#let name = rgb("#RRGGBB")` for every colour, `_` in names written `-`.
    pub fn typst(&self) -> String {
        let mut out =
            String::from("// Generated from templates/palette.yaml by briefs; edit that file, not this one.\n");
        for (group, colours) in &self.groups {
            out.push_str(&format!("// {group}\n"));
            for (name, c) in colours {
                out.push_str(&format!("#let {} = rgb(\"{c}\")\n", name.replace('_', "-")));
            }
        }
        out
    }
}

/// Whether a colour name can be a Typst identifier once `_` becomes `-`.
fn valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A `#RRGGBB` colour in upper case, or None.
fn hex(text: &str) -> Option<String> {
    let digits = text.trim().strip_prefix('#')?;
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_hexdigit())).then(|| format!("#{}", digits.to_uppercase()))
}
