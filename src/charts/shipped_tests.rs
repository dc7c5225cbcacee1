//! Tests of the shipped charts: every chart of data/charts.yaml drawn in every locale, each of its drawings.

use std::collections::BTreeSet;

use super::svgread::{lines, rects, text_boxes};
use super::tests::{bars, draw, fonts, palette, root, svg_width, texts};
use super::*;
use crate::model::ChartColour;

/// Each series of a bar chart is named where a reader finds it: over its bar in the first category (bold, centred
/// on the bar, above its value), or in a legend whose swatch has its bars' colour.
pub(super) fn assert_series_are_named(svg: &str, table: &Table, what: &str) {
    let boxes = text_boxes(svg);
    let swatches: Vec<svgread::Rect> = rects(svg).into_iter().filter(|r| r.w == 10.0 && r.h == 10.0).collect();
    let ns = table.series.len();
    let mut b = bars(svg);
    b.sort_by(|x, y| x.x.total_cmp(&y.x));
    if swatches.is_empty() {
        for (s, series) in table.series.iter().enumerate() {
            let bar = &b[s];
            let centre = bar.x + bar.w / 2.0;
            let name = boxes
                .iter()
                .find(|t| t.text == series.name && ((t.left + t.right) / 2.0 - centre).abs() < 1.0)
                .unwrap_or_else(|| panic!("{what}: `{}` is not over its first bar {bar:?}: {boxes:?}", series.name));
            // Its value under it, between the name and the bar.
            let value = boxes
                .iter()
                .filter(|t| t.text != series.name && ((t.left + t.right) / 2.0 - centre).abs() < 1.0)
                .find(|t| t.top >= name.bottom - 0.5 && t.bottom <= bar.y + 0.5)
                .unwrap_or_else(|| panic!("{what}: no value between `{}` and its bar {bar:?}", series.name));
            assert_eq!(name.fill, value.fill, "{what}");
        }
        return;
    }
    assert_eq!(swatches.len(), ns, "{what}: a swatch per series");
    for (s, series) in table.series.iter().enumerate() {
        // The swatch right before the series' name.
        let name = boxes.iter().find(|t| t.text == series.name).unwrap_or_else(|| panic!("{what}: {}", series.name));
        let swatch = swatches.iter().find(|r| (r.x + r.w + 4.0 - name.left).abs() < 0.6).unwrap();
        let own: Vec<&svgread::Rect> = b.iter().skip(s).step_by(ns).collect();
        assert_eq!(own.len(), series.rows.len(), "{what}");
        assert!(
            own.iter().all(|r| r.fill == swatch.fill),
            "{what}: {} swatch {} bars {own:?}",
            series.name,
            swatch.fill
        );
    }
}

/// Every chart of the shipped project draws in every locale: Lato only, alt text naming every category, a source
/// line, a PNG; a legend whose swatches have their bars' colours; no text touching another text, a line or a bar;
/// no bar in the furniture navy, nor every bar in the accent; one number of decimals.
#[test]
fn every_shipped_chart_draws_in_every_locale() {
    let root = root();
    let tags = crate::locale::available(root);
    let model = Model::load(root, &tags).unwrap_or_else(|r| panic!("{}", r.render(root)));
    let pal = palette();
    assert!(tags.len() >= 3 && !model.charts.is_empty());
    let (mut legends, mut checked, mut one_colour, mut sides) = (0, 0, 0, 0);
    for tag in &tags {
        let loc = Locale::load(root, tag).unwrap_or_else(|r| panic!("{}", r.render(root)));
        let out = draw(&model, &loc);
        assert_eq!(out.len(), model.charts.len(), "{tag}");
        for (id, c) in out {
            let what = format!("{tag} {id}");
            assert!(!c.chart_ref.title.is_empty() && !c.chart_ref.subtitle.is_empty(), "{what}");
            assert!(c.chart_ref.source.ends_with('.'), "{what}: {}", c.chart_ref.source);
            if c.chart_ref.kind == ChartKind::BigNumber {
                assert!(c.svg.is_empty() && c.chart_ref.rows.len() == 2, "{what}");
                continue;
            }
            assert_eq!(font_families(&c.svg), BTreeSet::from([FAMILY.to_string()]), "{what}");
            for s in &c.table.series {
                for (_, label, _, _) in &s.rows {
                    assert!(c.chart_ref.alt.contains(label.as_str()), "{what}: {label} not in {}", c.chart_ref.alt);
                }
            }
            // Each drawing (across the column, half the page, the sidebar) keeps its words apart, off its lines and
            // bars, inside it and whole (a panel's name in the sidebar wraps instead of ending "…").
            for (svg, size) in [(&c.svg, "full"), (&c.narrow, "narrow"), (&c.side, "side")] {
                if svg.is_empty() {
                    continue;
                }
                let what = format!("{what} {size}");
                let boxes = text_boxes(svg);
                for (i, a) in boxes.iter().enumerate() {
                    for b in &boxes[i + 1..] {
                        assert!(!a.overlaps(b), "{what}: {a:?} overlaps {b:?}");
                    }
                    for l in lines(svg) {
                        assert!(!a.crosses(&l), "{what}: {a:?} touches the line {l:?}");
                    }
                    for r in bars(svg) {
                        assert!(!a.covers(&r), "{what}: {a:?} on the bar {r:?}");
                    }
                    assert!(a.left >= -0.5 && a.right <= svg_width(svg) + 0.5, "{what}: {a:?} leaves the drawing");
                }
                if size == "side" {
                    sides += 1;
                    assert!(texts(svg).iter().all(|t| !t.ends_with('…')), "{what}: a word cut short {:?}", texts(svg));
                }
            }
            let fills: Vec<String> = bars(&c.svg).into_iter().map(|r| r.fill).collect();
            assert!(
                !fills.contains(&pal.get("furniture", "navy").unwrap().to_string()),
                "{what}: a bar in the furniture navy"
            );
            // The accent marks the bars that carry the point: on every bar it would mark none.
            let accent = pal.get("data", "accent").unwrap().to_string();
            assert!(fills.len() < 2 || fills.iter().any(|f| *f != accent), "{what}: every bar in the accent");
            // A chart of one colour draws every bar in it.
            if let Some(colour) = model.charts[&id].colour.as_ref().map(|c| c.value) {
                let want = match colour {
                    ChartColour::NorthAmerica => pal.country("north_america").unwrap(),
                    ChartColour::Neutral => pal.neutral(),
                };
                assert!(fills.iter().all(|f| *f == want) && !fills.is_empty(), "{what}: {fills:?}, not all {want}");
                one_colour += 1;
            }
            // Several series (not panels): each named over its bar or in a legend, in every drawing.
            let bars_kind = matches!(c.chart_ref.kind, ChartKind::Bar | ChartKind::HorizontalBar);
            if c.table.series.len() > 1 && bars_kind && !model.charts[&id].panels {
                for svg in [&c.svg, &c.narrow, &c.side].into_iter().filter(|s| !s.is_empty()) {
                    assert_series_are_named(svg, &c.table, &what);
                }
                legends += 1;
            }
            // One number of decimals: every value label has as many digits after its decimal mark.
            let decimals: BTreeSet<usize> =
                c.chart_ref.rows.iter().map(|r| decimal_digits(&r.text, &loc.fmt.decimal(0.5, 1))).collect();
            assert_eq!(decimals.len(), 1, "{what}: {:?}", c.chart_ref.rows);
            assert_eq!(&svg_to_png(&c.svg, &fonts()).unwrap()[..4], b"\x89PNG", "{what}");
            checked += 1;
        }
    }
    // The fresh-produce chart, in three locales.
    assert!(legends >= 3 && checked >= 24, "legends {legends}, charts {checked}");
    // The jobs chart, in three locales.
    assert!(one_colour >= 3, "{one_colour} charts of one colour");
    // Every bar chart of up to twelve bars whose unit fits the sidebar's width has a sidebar drawing: seven in
    // three locales (and the trade deficit ratio's where its unit is short enough).
    assert!(sides >= 21, "{sides} sidebar drawings");
}

/// Digits after the decimal mark of a formatted number (`half` is the locale's 0.5, giving its mark).
fn decimal_digits(text: &str, half: &str) -> usize {
    let mark = half.trim_start_matches('0').chars().next().unwrap_or('.');
    text.split(mark).nth(1).map_or(0, |rest| rest.chars().take_while(char::is_ascii_digit).count())
}
