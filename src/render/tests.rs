//! Tests of rendering: locale texts into markup with their figures, notes and footnotes, the trade deficit ratio
//! table's rows, and errors located in the template.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;
use crate::locale::fixture as words;
use crate::model::fixture as data;

/// Facts for the tests: a freight value, a provisional one, and imports and exports for two ratios.
const FACTS: &str = "\
- {id: freight, value: 296.2e9, unit: usd, period: \"2025\", sources: [bls]}
- {id: jobs, value: 48375, unit: jobs, period: \"2025\", sources: [inegi]}
- {id: guess, value: 1.5e9, unit: usd, period: \"2025\", provisional: \"from the Census table\"}
- {id: sourced_guess, value: 2.5e9, unit: usd, period: \"2025\", sources: [census], provisional: \"not stated\"}
- {id: imp_mx, value: 300, unit: usd, period: \"2024\", sources: [census]}
- {id: exp_mx, value: 200, unit: usd, period: \"2024\", sources: [census]}
- {id: imp_ca, value: 150, unit: usd, period: \"2024\", sources: [census]}
- {id: exp_ca, value: 200, unit: usd, period: \"2024\", sources: [census]}
";

/// Two ratios: Mexico's deficit (positive) and Canada's surplus (negative), in that order.
const SERIES: &str = "\
- id: tdr
  unit: ratio
  period: \"2024\"
  sources: [census]
  points:
    - {label: mx, tdr: {imports: imp_mx, exports: exp_mx}}
    - {label: ca, tdr: {imports: imp_ca, exports: exp_ca}}
";

/// Renders `template` for a one-document, one-audience project in a locale with `keys`.
fn render_with(tag: &str, keys: &[(&str, &str)], template: &str) -> Result<Rendered, Report> {
    let dir = data::project(&[
        ("data/facts/x.yaml", FACTS),
        ("data/series/tdr.yaml", SERIES),
        ("data/documents.yaml", "- {id: doc, template: doc.typ.j2}\n"),
        ("data/audiences.yaml", "- {id: general, locales: [en-US], documents: [doc]}\n"),
        ("templates/doc.typ.j2", template),
    ]);
    let model = Arc::new(data::load_from(dir.path()));
    let mut all = vec![
        ("common.source", "Source"),
        ("common.sources", "Sources"),
        ("common.also_cited", "Also cited"),
        ("common.provisional", "Provisional figure"),
        ("common.provisional_note", "to be confirmed (source: {arg_source})"),
    ];
    all.extend_from_slice(keys);
    let inputs = Inputs {
        model: model.clone(),
        locale: Arc::new(words::locale(tag, &all)),
        charts: Arc::new(BTreeMap::new()),
        templates: Arc::new(Templates::from_files(&[("templates/doc.typ.j2", template)])),
        drafted: Arc::default(),
    };
    render(&inputs, &model.documents[0], &model.audiences[0], true)
}

#[test]
fn texts_become_markup_with_their_figures_and_the_sources_go_to_the_closing_list() {
    let r = render_with(
        "en-US",
        &[("note.body", "Laredo handled **{freight}**; Mexico lost {jobs}. #not code")],
        "{{ t(\"note.body\") }}\n{{ sources() }}\n{% for s in closing_sources() %}[{{ s }}]{% endfor %}\n",
    )
    .unwrap();
    assert_eq!(
        r.source,
        "#text(hyphenate: false)[Laredo]; handled #strong[#figure-value[USD\u{a0}296.2\u{a0}billion]]; \
         #text(hyphenate: false)[Mexico]; lost #figure-value[48,375]\\. \\#not code\n\n\
         [x (BLS)][x #text(hyphenate: false)[(INEGI)];]"
    );
    assert_eq!(r.facts.iter().collect::<Vec<_>>(), ["freight", "jobs"]);
    assert!(r.keys.contains("note.body"));
}

/// One dagger on the figure, no footnote; the document's one note names the sources of its provisional figures.
#[test]
fn a_provisional_figure_has_one_mark_and_the_document_one_note() {
    let r = render_with(
        "en-US",
        &[("a", "First {guess}, then {sourced_guess}."), ("b", "Again {sourced_guess}.")],
        "{{ t(\"a\") }}\n{{ t(\"b\") }}\n{{ sources() }}\nNOTE {{ provisional_note() }}\n",
    )
    .unwrap();
    assert_eq!(r.source.matches("#provisional-value[").count(), 3, "{}", r.source);
    assert!(!r.source.contains("#footnote"), "{}", r.source);
    assert!(!r.source.contains("highlight"), "{}", r.source);
    assert_eq!(r.provisional.iter().collect::<Vec<_>>(), ["guess", "sourced_guess"]);
    let note = r.source.lines().find(|l| l.starts_with("NOTE ")).unwrap();
    assert_eq!(
        note,
        "NOTE †\u{a0}to be confirmed (source: U.S. #text(hyphenate: false)[Census]; #text(hyphenate: false)[Bureau];)"
    );
    assert!(!r.source.contains("not stated"), "the internal note stays out of the document: {}", r.source);
}

#[test]
fn a_document_without_provisional_figures_has_no_note() {
    let r = render_with(
        "en-US",
        &[("a", "Laredo {freight}.")],
        "{{ t(\"a\") }}\n{% if provisional_note() is none %}NONE{% endif %}\n",
    )
    .unwrap();
    assert!(r.source.trim_end().ends_with("NONE"), "{}", r.source);
}

#[test]
fn french_ordinals_and_dates_set_their_letters_as_superscript() {
    let r = render_with(
        "fr-CA",
        &[("a", "Le 1er juillet, au XXIe siècle, la 2e place.")],
        "{{ t(\"a\") }}\n{{ t(\"a\") }}",
    )
    .unwrap();
    assert!(
        // The last word, which ends the paragraph, is never hyphenated.
        r.source.starts_with(
            "Le 1#super[er] juillet, au XXI#super[e] siècle, la 2#super[e] #text(hyphenate: false)[place.];"
        ),
        "{}",
        r.source
    );
    let en = render_with("en-US", &[("a", "The 1st of July, the 2e bis.")], "{{ t(\"a\") }}").unwrap();
    assert!(!en.source.contains("#super"), "only French sets these: {}", en.source);
}

#[test]
fn each_ratio_sits_in_its_partners_row() {
    let template = "{% for p in series(\"tdr\") %}{{ p.label }}: {{ num(p.value, \"ratio\", fixed=2) }} \
                    ({{ fact(p.imports) }} / {{ fact(p.exports) }})\n{% endfor %}";
    let r = render_with("en-US", &[], template).unwrap();
    // The markup escapes a full stop after digits; read it as it prints.
    let printed = r.source.replace('\\', "");
    let rows: Vec<&str> = printed.lines().collect();
    // (300 − 200) / 200 = 0.50 for Mexico; (150 − 200) / 200 = −0.25 for Canada, a surplus.
    assert_eq!(rows.len(), 2, "{}", r.source);
    assert!(rows[0].starts_with("mx: 0.50 (") && rows[0].contains("USD\u{a0}300"), "{}", rows[0]);
    assert!(rows[1].starts_with("ca: \u{2212}0.25 (") && rows[1].contains("USD\u{a0}150"), "{}", rows[1]);
    let fr = render_with("fr-CA", &[], template).unwrap();
    assert!(fr.source.replace('\\', "").starts_with("mx: 0,50 ("), "{}", fr.source);
}

#[test]
fn the_ratio_is_imports_less_exports_over_exports() {
    assert_eq!(crate::model::tdr(300.0, 200.0), 0.5);
    assert_eq!(crate::model::tdr(150.0, 200.0), -0.25);
    assert!(crate::model::tdr(1.0, 0.0).is_infinite(), "zero exports are refused at load (charts::tests)");
}

#[test]
fn template_errors_name_the_template_line_and_what_is_wrong() {
    let e = render_with("en-US", &[], "line one\n{{ t(\"no.such.key\") }}\n").unwrap_err();
    let d = &e.items[0];
    assert_eq!(d.loc.to_string(), "templates/doc.typ.j2:2:4");
    assert!(d.message.contains("locale en-US has no key `no.such.key`"), "{}", d.message);
    let e = render_with("en-US", &[], "{{ 42 }}\n").unwrap_err();
    assert!(e.items[0].message.contains("the number 42 is printed unformatted"), "{}", e.items[0].message);
    let e = render_with("en-US", &[("a", "{nonesuch}")], "{{ t(\"a\") }}\n").unwrap_err();
    assert!(e.items[0].message.contains("`a` in locale en-US uses `{nonesuch}`"), "{}", e.items[0].message);
}
