//! Tests of the chart layouts, words and data checks.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::measure::{ellipsize, register_fonts, text_width, wrap};
use super::shipped_tests::assert_series_are_named;
use super::svgread::{rects, text_boxes};
use super::*;

pub(super) fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub(super) fn fonts() -> Arc<Fonts> {
    let f = Fonts::load(root()).expect("project fonts");
    register_fonts(&f).expect("register Lato");
    f
}

fn locale(tag: &str, keys: &[(&str, &str)]) -> Locale {
    crate::locale::fixture::locale(tag, keys)
}

const KEYS: &[(&str, &str)] = &[
    ("chart-text.kinds.bar", "Bar chart"),
    ("chart-text.kinds.horizontal_bar", "Horizontal bar chart"),
    ("chart-text.provisional", "provisional"),
    ("charts.jobs.title", "North America lost manufacturing jobs across all three countries"),
    ("charts.jobs.subtitle", "Manufacturing jobs lost from December 2024 to December 2025"),
    ("charts.atp.title", "Information and communications make up most of the deficit"),
    ("charts.atp.subtitle", "Contribution of each ATP technology group, 2025"),
    ("charts.change.title", "Change"),
    ("charts.change.subtitle", "Change, 2025"),
    ("charts.produce.title", "Produce"),
    ("charts.produce.subtitle", "Share of imports, 2023"),
    ("charts.produce.series.produce_mx", "Mexico"),
    ("charts.produce.series.produce_ca", "Canada"),
    ("labels.fruit", "Fresh fruit"),
    ("labels.veg", "Fresh vegetables"),
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
             - {id: change, type: bar, series: [atp]}\n- {id: produce, type: bar, series: [produce_mx, produce_ca]}\n"
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
                 - id: atp\n  unit: percent\n  period: \"2025\"\n  sources: [census]\n  points:\n    - {{label: ict, value: 87}}\n    - {{label: aero, value: -27}}\n    - {{label: weapons, value: -1}}\n\
                 - id: produce_mx\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {{label: fruit, value: 51}}\n    - {{label: veg, value: 69}}\n\
                 - id: produce_ca\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {{label: fruit, value: 2}}\n    - {{label: veg, value: 20}}\n{extra_series}"
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

/// The house palette, as the project ships it.
pub(super) fn palette() -> Palette {
    Palette::load(root()).unwrap_or_else(|r| panic!("{}", r.render(root())))
}

/// Draws every chart of a model for a locale with the house palette.
pub(super) fn draw(m: &Model, l: &Locale) -> BTreeMap<String, ChartOut> {
    render_all(m, l, &fonts(), &palette()).unwrap_or_else(|r| panic!("{}", r.render(root())))
}

/// The texts of an SVG.
pub(super) fn texts(svg: &str) -> Vec<String> {
    text_boxes(svg).into_iter().map(|t| t.text).collect()
}

/// The bars of an SVG: every rectangle but legend swatches (10 × 10).
pub(super) fn bars(svg: &str) -> Vec<svgread::Rect> {
    rects(svg).into_iter().filter(|r| !(r.w == 10.0 && r.h == 10.0)).collect()
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
fn renders_bar_chart_with_alt_text_source_and_country_colours() {
    let out = draw(&model(""), &locale("en-US", KEYS));
    let jobs = &out["jobs"];
    assert_eq!(
        jobs.chart_ref.alt,
        "Bar chart. North America lost manufacturing jobs across all three countries. Manufacturing jobs lost from \
         December\u{a0}2024 to December\u{a0}2025: United States 113,000; Mexico 48,375; Canada 40,600."
    );
    assert_eq!(jobs.chart_ref.source, "Sources: BLS; INEGI; Statcan.");
    assert_eq!(jobs.chart_ref.subtitle, "Manufacturing jobs lost from December\u{a0}2024 to December\u{a0}2025");
    assert_eq!(jobs.chart_ref.path, "/charts/en-US/jobs.svg");
    assert_eq!(font_families(&jobs.svg), BTreeSet::from([FAMILY.to_string()]));
    // Every bar carries its value, so there is no value axis: the texts are the values and the categories.
    let mut t = texts(&jobs.svg);
    t.sort();
    assert_eq!(t, ["113,000", "40,600", "48,375", "Canada", "Mexico", "United States"]);
    // One bar per country, in the palette's colour for it, across the text column's width.
    let pal = palette();
    let fills: Vec<String> = bars(&jobs.svg).into_iter().map(|r| r.fill).collect();
    assert_eq!(fills, ["united_states", "mexico", "canada"].map(|c| pal.get("data", c).unwrap().to_string()));
    assert!((svg_width(&jobs.svg) - 327.6).abs() < 0.01, "4.55 in: {}", svg_width(&jobs.svg));
}

/// The width an SVG declares.
pub(super) fn svg_width(svg: &str) -> f32 {
    let tag = svg.split("<svg").nth(1).unwrap().split('>').next().unwrap();
    tag.split(" width=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
}

#[test]
fn negative_horizontal_bars_go_left_of_zero_with_values_at_their_ends() {
    let out = draw(&model(""), &locale("en-US", KEYS));
    let atp = &out["atp"];
    let bars = bars(&atp.svg);
    assert_eq!(bars.len(), 3, "{bars:?}");
    let (ict, aero, weapons) = (&bars[0], &bars[1], &bars[2]);
    let zero = ict.x;
    assert!((aero.x + aero.w - zero).abs() < 0.11, "aerospace ends at zero: {aero:?} zero {zero}");
    assert!((weapons.x + weapons.w - zero).abs() < 0.11, "weapons ends at zero: {weapons:?} zero {zero}");
    assert!(aero.w > weapons.w * 20.0, "-27 is 27 times as long as -1");
    assert!((ict.w / aero.w - 87.0 / 27.0).abs() < 0.05);
    // The value of a negative bar ends left of its bar's end; a minus sign (U+2212), not a hyphen.
    let boxes = text_boxes(&atp.svg);
    let minus27 = boxes.iter().find(|b| b.text == "\u{2212}27%").unwrap_or_else(|| panic!("{boxes:?}"));
    assert!(minus27.right <= aero.x && minus27.right > aero.x - 6.0, "{minus27:?} {aero:?}");
    assert!(!boxes.iter().any(|b| b.text.contains('-')), "{boxes:?}");
    assert_eq!(atp.chart_ref.source, "Source: U.S. Census Bureau.");
    let png = svg_to_png(&atp.svg, &fonts()).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(w, 656, "2x the 327.6-unit width, rounded up");
}

#[test]
fn negative_vertical_bars_hang_from_zero_with_categories_above_it() {
    let out = draw(&model(""), &locale("en-US", KEYS));
    let svg = &out["change"].svg;
    let b = bars(svg);
    let (ict, aero, weapons) = (&b[0], &b[1], &b[2]);
    let zero = ict.y + ict.h;
    assert!((aero.y - zero).abs() < 0.11 && (weapons.y - zero).abs() < 0.11, "{b:?}");
    assert!((ict.h / aero.h - 87.0 / 27.0).abs() < 0.05, "{b:?}");
    let boxes = text_boxes(svg);
    let find = |t: &str| boxes.iter().find(|b| b.text == t).unwrap_or_else(|| panic!("{t} in {boxes:?}")).clone();
    // The negative bar's category sits above the zero line, its value below the bar's end.
    assert!(find("Aerospace").bottom <= zero, "{:?} zero {zero}", find("Aerospace"));
    assert!(find("\u{2212}27%").top >= aero.y + aero.h, "{:?} {aero:?}", find("\u{2212}27%"));
    // The positive bar's category sits below the zero line, its value above the bar.
    let ict_label = boxes.iter().find(|b| b.text.starts_with("Information")).unwrap();
    assert!(ict_label.top >= zero, "{ict_label:?} zero {zero}");
    assert!(find("87%").bottom <= ict.y);
}

#[test]
fn provisional_charts_take_one_dagger_in_the_subtitle() {
    let mut m = model("");
    m.series.get_mut("jobs").unwrap().provisional = Some("not in the seed".into());
    let out = draw(&m, &locale("en-US", KEYS));
    let jobs = &out["jobs"];
    assert!(texts(&jobs.svg).contains(&"113,000".to_string()), "{}", jobs.svg);
    assert!(!texts(&jobs.svg).iter().any(|t| t.contains('†')), "no dagger on the labels: {}", jobs.svg);
    assert!(jobs.chart_ref.subtitle.ends_with("2025†"), "{}", jobs.chart_ref.subtitle);
    assert!(jobs.chart_ref.alt.contains("United States 113,000 (provisional);"));
}

#[test]
fn french_labels_use_the_formatter() {
    let out = draw(&model(""), &locale("fr-CA", KEYS));
    let atp = &out["atp"];
    // fr-CA writes a (no-break) space before the percent sign and a comma for decimals.
    assert!(atp.svg.contains("87\u{a0}%") || atp.svg.contains("87\u{202f}%"), "{}", atp.svg);
    assert!(!texts(&atp.svg).contains(&"87%".to_string()));
    assert_eq!(atp.chart_ref.source, "Source\u{a0}: U.S. Census Bureau.");
    assert!(atp.chart_ref.alt.contains(", 2025\u{a0}: Information & Communications 87"), "{}", atp.chart_ref.alt);
}

#[test]
fn a_series_keeps_one_colour_in_its_bars_and_is_named_over_its_first_bar() {
    let out = draw(&model(""), &locale("en-US", KEYS));
    let svg = &out["produce"].svg;
    let pal = palette();
    let (mx, ca) = (pal.country("mx").unwrap(), pal.country("ca").unwrap());
    let swatches = rects(svg).into_iter().filter(|r| r.w == 10.0 && r.h == 10.0).count();
    assert_eq!(swatches, 0, "direct labels, no legend");
    let fills: Vec<String> = bars(svg).into_iter().map(|r| r.fill).collect();
    assert_eq!(fills, [mx.clone(), ca.clone(), mx, ca], "bars by category, a colour per series");
    assert_series_are_named(svg, &out["produce"].table, "produce");
}

#[test]
fn highlight_and_sort_put_the_point_first_in_the_accent() {
    let m = model(
        "- id: groups\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: aero, value: -27}\n    - {label: weapons, value: 3}\n    - {label: ict, value: 87}\n",
    );
    let mut m = m;
    let text = "[{id: g, type: horizontal_bar, series: [groups], highlight: [ict], sort: value}]";
    let charts: Vec<crate::model::Chart> = serde_saphyr::from_str(text).unwrap();
    m.charts.insert("g".into(), charts[0].clone());
    let keys: Vec<(&str, &str)> =
        KEYS.iter().copied().chain([("charts.g.title", "G"), ("charts.g.subtitle", "G, 2025")]).collect();
    let out = draw(&m, &locale("en-US", &keys));
    let g = &out["g"];
    let pal = palette();
    let fills: Vec<String> = bars(&g.svg).into_iter().map(|r| r.fill).collect();
    assert_eq!(fills, [pal.accent(), pal.neutral(), pal.neutral()]);
    let rows: Vec<&str> = g.chart_ref.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(rows, ["ict", "weapons", "aero"], "largest first");
}

#[test]
fn one_chart_writes_one_number_of_decimals() {
    let m = model(
        "- id: naics\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 35}\n    - {label: mx, value: 34.4}\n",
    );
    let mut m = m;
    let charts: Vec<crate::model::Chart> = serde_saphyr::from_str("[{id: n, type: bar, series: [naics]}]").unwrap();
    m.charts.insert("n".into(), charts[0].clone());
    let keys: Vec<(&str, &str)> =
        KEYS.iter().copied().chain([("charts.n.title", "N"), ("charts.n.subtitle", "N, 2025")]).collect();
    let out = draw(&m, &locale("es-MX", &keys));
    let t = texts(&out["n"].svg);
    assert!(t.contains(&"35.0\u{a0}%".to_string()) || t.contains(&"35.0%".to_string()), "{t:?}");
    assert!(!t.iter().any(|t| t == "35%" || t == "35\u{a0}%"), "{t:?}");
}

#[test]
fn missing_words_are_located_errors() {
    let f = fonts();
    let keys: Vec<(&str, &str)> = KEYS.iter().copied().filter(|(k, _)| *k != "labels.mx").collect();
    let report = render_all(&model(""), &locale("en-US", &keys), &f, &palette()).unwrap_err();
    let d = &report.items[0];
    assert_eq!(d.message, "locale en-US has no key `labels.mx`");
    assert_eq!(d.loc.file, Path::new("locales/en-US/labels.yaml"));

    let keys: Vec<(&str, &str)> = KEYS.iter().copied().filter(|(k, _)| *k != "charts.jobs.subtitle").collect();
    let report = render_all(&model(""), &locale("en-US", &keys), &f, &palette()).unwrap_err();
    assert!(report.items.iter().any(|d| d.message == "locale en-US has no key `charts.jobs.subtitle`"
        && d.loc.file == Path::new("locales/en-US/charts.yaml")));
}

/// Loads a model whose data cannot be drawn; returns the report of its load.
fn bad_model(series: &str, charts: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("data/edition.yaml", "id: x\ntitle: x\ndate: \"2026-04-01\"\nproject: x\nwebsite: x\n"),
        ("data/sources.yaml", "- {id: census, short: U.S. Census Bureau, publisher: x}\n"),
        ("data/documents.yaml", "[]\n"),
        ("data/audiences.yaml", "[]\n"),
        ("data/fast-facts.yaml", "[]\n"),
        (
            "data/facts/x.yaml",
            "- {id: zero, value: 0, unit: usd, period: p, sources: [census]}\n- {id: one, value: 1, unit: usd, period: p, sources: [census]}\n",
        ),
        ("data/series/test.yaml", series),
        ("data/charts.yaml", charts),
    ];
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    Model::load(dir.path(), &BTreeSet::new()).unwrap_err()
}

/// Data no chart can draw is refused when the model loads, located in data/, before any locale is drawn.
#[test]
fn undrawable_data_is_refused_at_load() {
    let r = bad_model(
        "- id: a\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 1}\n\
         - id: b\n  unit: usd\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 2}\n",
        "- {id: mixed, type: bar, series: [a, b]}\n- {id: tiny, type: bar, series: [a], width_mm: 5}\n",
    );
    let messages: Vec<String> = r.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
    assert!(
        messages.iter().any(|m| m.starts_with("data/charts.yaml:1:")
            && m.ends_with("chart `mixed` draws series `b` with series `a`, which differs in points or unit")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("data/charts.yaml:2:") && m.ends_with("chart `tiny` has width_mm 5, outside 20–400")),
        "{messages:?}"
    );

    let r = bad_model(
        "- id: ratio\n  unit: ratio\n  period: p\n  sources: [census]\n  points:\n    - {label: us, tdr: {imports: one, exports: zero}}\n",
        "- {id: r, type: bar, series: [ratio]}\n",
    );
    let d = &r.items[0];
    assert_eq!((d.loc.file.as_path(), d.loc.line), (Path::new("data/series/test.yaml"), 6), "{d:?}");
    assert_eq!(d.message, "exports are zero: the trade deficit ratio is undefined");
    assert!(r.items.iter().any(|d| d.message == "point `us` of series `ratio` has no finite value"), "{:?}", r.items);
}

/// Highlights, colours, sorts, panels and big numbers that cannot be drawn are refused at load, located in data/charts.yaml.
#[test]
fn chart_options_are_checked_at_load() {
    let series = "- id: a\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 1}\n    - {label: mx, value: 2}\n    - {label: ca, value: 3}\n\
                  - id: b\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: ca, value: 1}\n    - {label: us, value: 2}\n";
    let r = bad_model(
        series,
        "- {id: h, type: bar, series: [a], highlight: [us, cn]}\n- {id: big, type: big_number, series: [a]}\n\
         - {id: p, type: horizontal_bar, series: [a, b], panels: true}\n- {id: v, type: bar, series: [b], panels: true}\n\
         - {id: c, type: bar, series: [a], highlight: [us], colour: neutral}\n",
    );
    let messages: Vec<String> = r.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
    for want in [
        "data/charts.yaml:1:51: chart `h` highlights `cn`, which is not a label of its series",
        "data/charts.yaml:2:8: chart `big` is a big_number but draws 1 series of 3 points",
        "data/charts.yaml:3:45: series `b` orders its labels [ca, us] unlike series `a` [us, ca]",
        "data/charts.yaml:4:8: chart `v` has `panels: true` but is not a horizontal_bar",
        "data/charts.yaml:5:60: chart `c` sets one `colour` for every bar but also highlights bars or draws several series",
    ] {
        assert!(messages.iter().any(|m| m == want), "{want} not in {messages:?}");
    }
    assert!(r.items.iter().any(|d| d.hint.as_deref().is_some_and(|h| h.contains("us, mx, ca"))), "{:?}", r.items);
}

/// The house palette loads from its one file, reaches Typst as /palette.typ and refuses a bad colour or a missing
/// one with its place.
#[test]
fn the_palette_is_one_file_checked_at_load() {
    let pal = palette();
    let typ = pal.typst();
    assert!(typ.contains("#let united-states = rgb(\"#2F6DB5\")\n"), "{typ}");
    assert!(typ.contains("#let navy = rgb(\"#1F3A93\")\n") && typ.contains("#let panel = rgb("), "{typ}");
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(palette::PALETTE_FILE)).unwrap();
    let bad = text.replace("mexico: \"#3DAA7D\"", "mexico: \"#3DAA7\"").replace("  accent: \"#C9571A\"\n", "");
    let bad = bad.replace("canada: \"#8C1D2C\"", "canada: \"#1F3A93\"");
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join(palette::PALETTE_FILE), &bad).unwrap();
    let r = Palette::load(dir.path()).unwrap_err();
    let messages: Vec<String> = r.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
    let line = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    for want in [
        format!("templates/palette.yaml:{}:11: colour `mexico` is `#3DAA7`, not a hex colour", line("#3DAA7")),
        format!("templates/palette.yaml:{}:3: palette group `data` has no colour `accent`", line("united_states:")),
        format!("templates/palette.yaml:{}:11: data colour `canada` is the furniture navy", line("canada:")),
    ] {
        assert!(messages.contains(&want), "{want} not in {messages:?}");
    }
}

/// sRGB hex to linear RGB.
fn linear(hex: &str) -> [f64; 3] {
    let c = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    [c(1), c(3), c(5)]
}

/// CIE L*a*b* (D65) of a linear RGB colour.
fn lab(rgb: [f64; 3]) -> [f64; 3] {
    let [r, g, b] = rgb.map(|v| v.clamp(0.0, 1.0));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f64| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 };
    [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
}

/// A colour as a reader with a full dichromacy sees it (Machado, Oliveira and Fernandes 2009, severity 1).
fn simulate(rgb: [f64; 3], m: [[f64; 3]; 3]) -> [f64; 3] {
    m.map(|row| row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2])
}

/// The three countries stay apart in greyscale (CIE L*) and under deuteranopia and protanopia (CIE76).
#[test]
fn country_colours_stay_apart_in_greyscale_and_for_colour_blind_readers() {
    const PROTAN: [[f64; 3]; 3] =
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]];
    const DEUTAN: [[f64; 3]; 3] =
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]];
    let pal = palette();
    let countries = ["united_states", "mexico", "canada"].map(|c| pal.get("data", c).unwrap().to_string());
    let dist =
        |a: [f64; 3], b: [f64; 3]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    // The check itself tells colours apart: Mexico's old green and Canada's old red had the same lightness.
    assert!((lab(linear("#0B7A43"))[0] - lab(linear("#C0392B"))[0]).abs() < 12.0);
    for i in 0..3 {
        for j in i + 1..3 {
            let (a, b) = (linear(&countries[i]), linear(&countries[j]));
            let dl = (lab(a)[0] - lab(b)[0]).abs();
            assert!(dl >= 12.0, "{} and {} differ by {dl:.1} in L*", countries[i], countries[j]);
            for (name, m) in [("protanopia", PROTAN), ("deuteranopia", DEUTAN)] {
                let d = dist(lab(simulate(a, m)), lab(simulate(b, m)));
                assert!(d >= 20.0, "{} and {} are {d:.1} apart under {name}", countries[i], countries[j]);
            }
        }
    }
    assert!(
        !countries.contains(&pal.get("furniture", "navy").unwrap().to_string()),
        "no country in the furniture navy"
    );
}

/// A series whose labels differ from the first series' is named where the chart lists it, even when an unknown
/// series comes before it in the list.
#[test]
fn a_mismatched_series_is_named_after_an_unknown_one() {
    let series = "- id: a\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 1}\n\
                  - id: b\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: mx, value: 2}\n\
                  - id: c\n  unit: percent\n  period: p\n  sources: [census]\n  points:\n    - {label: us, value: 3}\n";
    let r = bad_model(series, "- {id: m, type: bar, series: [nope, a, c, b]}\n");
    let messages: Vec<String> = r.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
    let want = "data/charts.yaml:1:43: series `b` has labels [mx] but the chart's first series has [us]";
    assert!(messages.iter().any(|m| m == want), "{want} not in {messages:?}");
    assert!(!messages.iter().any(|m| m.contains("series `c` has labels")), "{messages:?}");
}
