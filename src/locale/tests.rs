//! Tests of locales: figures as each locale writes them, typography, where keys are written, and the checks of
//! translations against en-US.

use super::fixture;
use super::*;
use crate::model::fixture as data;

/// A standard unit by name.
fn unit(name: &str) -> Unit {
    crate::model::unit::STANDARD.into_iter().find(|u| u.name() == name).unwrap()
}

#[test]
fn a_unit_a_project_declares_is_written_with_its_locale_pattern() {
    let mut en = fixture::locale("en-US", &[]);
    en.meta.units.insert("tonnes".into(), "{} tonnes".into());
    let mut fr = fixture::locale("fr-CA", &[]);
    fr.meta.units.insert("tonnes".into(), "{}\u{a0}t".into());
    let tonnes = Unit::declare("tonnes", crate::model::Style::Count);
    assert_eq!(en.format_value(tonnes, 48_375.0), "48,375 tonnes");
    assert_eq!(en.format_value(tonnes, 2.5e6), "2.5 million tonnes");
    assert_eq!(fr.format_value(tonnes, 48_375.0), "48\u{a0}375\u{a0}t");
}

#[test]
fn date_facts_are_written_as_each_locale_writes_dates() {
    let date = unit("date");
    let day = crate::model::FactDate::parse("2026-07-01").unwrap();
    let month = crate::model::FactDate::parse("2026-03").unwrap();
    let year = crate::model::FactDate::parse("2020").unwrap();
    let en = fixture::locale("en-US", &[]);
    let es = fixture::locale("es-MX", &[]);
    let fr = fixture::locale("fr-CA", &[]);
    assert_eq!(en.format_date(date, &day), "July 1, 2026");
    assert_eq!(es.format_date(date, &day), "1 de julio de 2026");
    assert_eq!(fr.format_date(date, &day), "1er juillet 2026");
    assert_eq!(fr.format_date(date, &month), "mars 2026");
    assert_eq!(es.format_date(date, &month), "marzo de 2026");
    assert_eq!(en.format_date(date, &year), "2020");
}

#[test]
fn figures_are_written_as_each_locale_writes_them() {
    let en = fixture::locale("en-US", &[]);
    let fr = fixture::locale("fr-CA", &[]);
    assert_eq!(en.format_value(Unit::Usd, 296.2e9), "USD 296.2 billion");
    assert_eq!(en.format_value(unit("percent"), 32.7), "32.7%");
    assert_eq!(en.format_value(unit("jobs"), 48_375.0), "48,375");
    assert_eq!(en.format_value(unit("vehicles"), 11.9e6), "11.9 million");
    assert_eq!(en.format_value(unit("year"), 2036.0), "2036");
    assert_eq!(en.format_value(unit("rank"), 1.0), "1st");
    assert_eq!(en.format_value(unit("rank"), 3.0), "3rd");
    assert_eq!(en.format_value(unit("rank"), 11.0), "11th");
    assert_eq!(fr.format_value(unit("percent"), 32.7), "32,7\u{a0}%");
    assert_eq!(fr.format_value(unit("jobs"), 48_375.0), "48\u{a0}375");
    // In running text a figure stays with the two words after it; a longer amount may break once, not after a
    // short word ("de").
    assert_eq!(en.figure_text(Unit::Usd, 296.2e9), "USD\u{a0}296.2\u{a0}billion");
    let es = fixture::locale("es-MX", &[]);
    assert_eq!(es.figure_text(Unit::Usd, 296.2e9), "USD\u{a0}296.2\u{a0}mil\u{a0}millones");
    assert_eq!(es.figure_text(unit("jobs"), 9.7e6), "9.7\u{a0}millones");
    assert_eq!(keep_figure_together("296.2 mil millones de dólares"), "296.2\u{a0}mil\u{a0}millones de\u{a0}dólares");
    assert_eq!(keep_figure_together("1,6 billion $ US"), "1,6\u{a0}billion\u{a0}$\u{a0}US");
}

#[test]
fn french_typography_puts_no_break_spaces_before_high_punctuation() {
    let fr = fixture::locale("fr-CA", &[]);
    assert_eq!(fr.typography("Source : BLS ; « oui » ?"), "Source\u{a0}: BLS\u{202f}; «\u{a0}oui\u{a0}»\u{202f}?");
    assert_eq!(fr.label_sep(), "\u{a0}: ");
    let en = fixture::locale("en-US", &[]);
    assert_eq!(en.typography("Source : BLS"), "Source : BLS", "English text is left alone");
    assert_eq!(en.label_sep(), ": ");
}

#[test]
fn dates_follow_the_locale_and_french_writes_the_first() {
    let first = EditionDate::parse("2026-07-01").unwrap();
    assert_eq!(fixture::locale("fr-CA", &[]).date(&first), "1er juillet 2026");
    assert_eq!(fixture::locale("es-MX", &[]).date(&first), "1 de julio de 2026");
    assert_eq!(fixture::locale("en-US", &[]).date(&first), "July 1, 2026");
}

#[test]
fn keys_are_located_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let l = fixture::load(
        dir.path(),
        "en-US",
        &[(
            "note",
            "# words\ntitle: A note\nbody: |-\n  Two\n  lines\npoints:\n  - first\n  - second\nnested:\n  inner: x\n",
        )],
    );
    assert_eq!(l.keys["note.body"], "Two\nlines");
    let at = |k: &str| l.key_loc(k).to_string();
    assert_eq!(at("note.title"), "locales/en-US/note.yaml:2:1");
    assert_eq!(at("note.body"), "locales/en-US/note.yaml:3:1");
    assert_eq!(at("note.points.1"), "locales/en-US/note.yaml:8:5");
    assert_eq!(at("note.nested.inner"), "locales/en-US/note.yaml:10:3");
    // A key not written names the file it belongs in.
    assert_eq!(at("note.missing"), "locales/en-US/note.yaml");
    assert!(matches!(l.nodes["note.points"], Node::List(ref items) if items.len() == 2));
}

#[test]
fn translations_must_have_every_key_and_state_the_same_figures() {
    let dir = data::project(&[(
        "data/facts/x.yaml",
        "- {id: freight, value: 296.2e9, unit: usd, period: \"2025\", sources: [bls]}\n\
         - {id: jobs, value: 48375, unit: jobs, period: \"2025\", sources: [inegi]}\n",
    )]);
    let model = data::load_from(dir.path());
    let en = fixture::load(dir.path(), "en-US", &[("note", "title: Trade\nbody: \"{freight} and {jobs}\"\n")]);
    let fr = fixture::load(dir.path(), "fr-CA", &[("note", "body: \"{freight} et {freight}\"\nextra: x\n")]);
    let locales = BTreeMap::from([(LocaleTag::from("en-US"), en), (LocaleTag::from("fr-CA"), fr)]);
    let report = check_completeness(&model, &locales, &needs::Needs::all(), false);
    let messages: Vec<String> = report.items.iter().map(|d| format!("{}: {}", d.loc, d.message)).collect();
    let want = [
        "locales/fr-CA/note.yaml: locale fr-CA is missing key `note.title`",
        "locales/fr-CA/note.yaml:1:1: `note.body` in fr-CA does not fill `{jobs}`",
        "locales/fr-CA/note.yaml:1:21: `note.body` in fr-CA fills `{freight}` twice",
        "locales/fr-CA/note.yaml:2:1: unknown key `note.extra` in locale fr-CA",
    ];
    for w in want {
        assert!(messages.iter().any(|m| m == w), "{w} not in {messages:#?}");
    }
    assert_eq!(messages.len(), want.len(), "{messages:#?}");
}

#[test]
fn a_final_build_refuses_texts_left_in_english_or_empty() {
    let dir = tempfile::tempdir().unwrap();
    let en = fixture::load(dir.path(), "en-US", &[("note", "a: The region trades a lot\nb: Short text\nc: x\n")]);
    let fr = fixture::load(dir.path(), "fr-CA", &[("note", "a: The region trades a lot\nb: Short text\nc: \"\"\n")]);
    let locales = BTreeMap::from([(LocaleTag::from("en-US"), en), (LocaleTag::from("fr-CA"), fr)]);
    let messages: Vec<String> =
        untranslated(&locales, &needs::Needs::all()).items.iter().map(|d| d.message.clone()).collect();
    assert_eq!(
        messages,
        [
            "missing translation: `note.a` in fr-CA is the en-US text word for word",
            "missing translation: `note.c` in fr-CA is empty",
        ],
        "two words may match (a name); four or more may not"
    );
}

mod hostile {
    use std::collections::BTreeMap;
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{LocaleMeta, Node};
    use crate::io::hostile::{parses, yaml};
    use crate::io::parse_yaml;

    proptest! {
        /// Loading a locale file never panics, whatever the text.
        #[test]
        fn locale_yaml_loading_never_panics(text in yaml()) {
            parses::<LocaleMeta>(&text)?;
            parses::<BTreeMap<String, Node>>(&text)?;
        }
    }

    /// Deeply nested locale text is an error, not a stack overflow.
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for open in ["[", "{", "- ", "[a, ", "{a: "] {
            let text = format!("key: {}", open.repeat(100_000));
            assert!(parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text).is_err());
        }
        // Nesting within saphyr's depth budget but deep for serde's untagged buffering.
        for depth in [100, 500, 1000] {
            let text = format!("key: {}x{}", "[".repeat(depth), "]".repeat(depth));
            let _ = parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text);
        }
    }

    /// A billion-laughs alias bomb is refused quickly.
    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let (prev, next) = (if i == 0 { "a".to_string() } else { format!("a{i}") }, format!("a{}", i + 1));
            text.push_str(&format!(
                "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let start = std::time::Instant::now();
        let parsed = parse_yaml::<BTreeMap<String, Node>>(Path::new("x.yaml"), &text);
        assert!(parsed.is_err(), "a billion laughs was accepted");
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}

#[test]
fn ranks_are_words_where_the_locale_writes_them_out() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("locales/es-MX")).unwrap();
    let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/es-MX/locale.yaml")).unwrap();
    std::fs::write(dir.path().join("locales/es-MX/locale.yaml"), shipped).unwrap();
    std::fs::write(dir.path().join("locales/es-MX/x.yaml"), "a: b\n").unwrap();
    let es = Locale::load(dir.path(), "es-MX").unwrap();
    assert_eq!(es.format_value(unit("rank"), 1.0), "primer");
    assert_eq!(es.format_value(unit("rank"), 3.0), "tercer");
    assert_eq!(es.format_value(unit("rank"), 7.0), "séptimo");
    // Up to the largest rank in the data (11); a rank without a word keeps the ordinal pattern.
    assert_eq!(es.format_value(unit("rank"), 11.0), "undécimo");
    assert_eq!(es.format_value(unit("rank"), 13.0), "13.º");
}
