//! Tests of the chart layouts, words and data checks.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::measure::{ellipsize, register_fonts, text_width, wrap};
use super::palette::{GREEN, GREY, GREY_LIGHT, NAVY, PURPLE, RED, colour_for_key, tint};
use super::scale::{Scale, next_step, nice_scale};
use super::words::source_line;
use super::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fonts() -> Arc<Fonts> {
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

/// The contents of the `<text>`s of an SVG drawn in a colour, trimmed (tick labels are in `TICK_COLOR`).
fn texts_in(svg: &str, colour: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            tag.contains(&format!("fill=\"{colour}\""))
                .then(|| rest.split("</text>").next().unwrap_or("").trim().to_string())
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
    let en = locale("en-US", KEYS);
    let names = ["Oficina del Censo de EE. UU.".to_string()];
    assert_eq!(source_line("Fuente", &names, "2025", None, &en), "Fuente: Oficina del Censo de EE. UU. 2025.");
    let names = ["BLS".to_string(), "INEGI".to_string()];
    assert_eq!(
        source_line("Sources", &names, "december 2024 to December 2025", Some("Provisional figure"), &en),
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
        "Bar chart. Manufacturing jobs lost, December\u{a0}2024 to December\u{a0}2025: United States 113,000; Mexico 48,375; Canada 40,600."
    );
    assert_eq!(jobs.chart_ref.source, "Sources: BLS; INEGI; Statcan. December\u{a0}2024 to December\u{a0}2025.");
    assert_eq!(jobs.chart_ref.path, "/charts/en-US/jobs.svg");
    assert_eq!(font_families(&jobs.svg), BTreeSet::from([FAMILY.to_string()]));
    let t = texts(&jobs.svg);
    for want in ["113,000", "48,375", "40,600", "United States", "Mexico", "Canada", "0", "120,000"] {
        assert!(t.contains(&want.to_string()), "{want} in {t:?}");
    }
    assert!(!t.iter().any(|t| t.starts_with(['-', '\u{2212}'])), "no negative ticks for positive data: {t:?}");
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
    // A minus sign (U+2212), not a hyphen.
    assert!(t.contains(&"\u{2212}27%".to_string()) && !t.iter().any(|t| t.contains('-')), "{t:?}");
    assert!(atp.chart_ref.alt.starts_with("Horizontal bar chart. Contribution of each ATP technology group, 2025: "));
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
    assert!(texts(svg).iter().any(|t| t == "\u{2212}20%"), "{:?}", texts(svg));
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
fn missing_words_are_located_errors() {
    let f = fonts();
    let keys: Vec<(&str, &str)> = KEYS.iter().copied().filter(|(k, _)| *k != "labels.mx").collect();
    let report = render_all(&model(""), &locale("en-US", &keys), &f).unwrap_err();
    let d = &report.items[0];
    assert_eq!(d.message, "locale en-US has no key `labels.mx`");
    assert_eq!(d.loc.file, Path::new("locales/en-US/labels.yaml"));

    let keys: Vec<(&str, &str)> = KEYS.iter().copied().filter(|(k, _)| !k.starts_with("chart-text.periods")).collect();
    let report = render_all(&model(""), &locale("en-US", &keys), &f).unwrap_err();
    assert!(report.items.iter().any(|d| d.message == "locale en-US has no key `chart-text.periods.jobs`"
        && d.loc.file == Path::new("locales/en-US/chart-text.yaml")));
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

/// Every chart of the shipped project draws in every locale: Lato only, a title, alt text naming every category,
/// a source line, and a PNG.
#[test]
fn every_shipped_chart_draws_in_every_locale() {
    let root = root();
    let tags = crate::locale::available(root);
    let model = Model::load(root, &tags).unwrap_or_else(|r| panic!("{}", r.render(root)));
    let f = fonts();
    assert!(tags.len() >= 3 && !model.charts.is_empty());
    for tag in &tags {
        let loc = Locale::load(root, tag).unwrap_or_else(|r| panic!("{}", r.render(root)));
        let out = render_all(&model, &loc, &f).unwrap_or_else(|r| panic!("{tag}: {}", r.render(root)));
        assert_eq!(out.len(), model.charts.len(), "{tag}");
        for (id, c) in out {
            assert_eq!(font_families(&c.svg), BTreeSet::from([FAMILY.to_string()]), "{tag} {id}");
            assert!(!c.chart_ref.title.is_empty() && !c.chart_ref.source.is_empty(), "{tag} {id}");
            let chart = &model.charts[&id];
            for s in chart.series.iter().map(|s| &model.series[&s.value]) {
                for p in &s.points {
                    let label = loc.typography(&loc.keys[&crate::locale::keys::label(&p.label.value)]);
                    assert!(c.chart_ref.alt.contains(&label), "{tag} {id}: {label} not in {}", c.chart_ref.alt);
                }
            }
            // Every chart keeps its value axis: at least two tick labels.
            let ticks = texts_in(&c.svg, TICK_COLOR);
            assert!(ticks.len() >= 2, "{tag} {id} lost its value axis: ticks {ticks:?}");
            // Money ticks are plain numbers ("0", "100", "300") under one title naming the unit in the locale's words.
            let unit = model.series[&chart.series[0].value].unit;
            if matches!(unit, crate::model::Unit::Usd | crate::model::Unit::Cad) {
                let digits = |t: &String| t.chars().all(|c| c.is_ascii_digit() || ".,\u{a0}".contains(c));
                assert!(ticks.iter().all(digits), "{tag} {id}: ticks {ticks:?}");
                let (_, word) = loc.fmt.compact_scale(1e9).unwrap();
                let titles: Vec<String> =
                    texts_in(&c.svg, TEXT_COLOR).into_iter().filter(|t| t.contains(&word)).collect();
                assert_eq!(titles.len(), 1, "{tag} {id}: one axis title with `{word}`: {:?}", texts(&c.svg));
            }
            assert_eq!(&svg_to_png(&c.svg, &f).unwrap()[..4], b"\x89PNG", "{tag} {id}");
        }
    }
}
