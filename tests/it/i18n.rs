//! The translation lifecycle: XLIFF 2.0 export and import, stale translations, located text errors, copied
//! locales. Each test runs the real binary on the mini fixture or a copy of the shipped project.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use common::*;

/// Asserts a run failed with exit 1, no panic, and every expected text on stderr.
fn assert_fails(r: &Run, expect: &[&str]) {
    assert_eq!(r.code, 1, "expected exit 1, got {}:\n{}\n{}", r.code, r.stdout, r.stderr);
    for e in expect {
        assert!(r.stderr.contains(e), "expected {e:?} in:\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// Asserts a run succeeded.
fn assert_ok(r: &Run) {
    assert_eq!(r.code, 0, "failed:\n{}\n{}", r.stdout, r.stderr);
}

/// Exports a locale of a project to `<root>/<tag>.xlf` and returns the XLIFF text.
fn export(root: &Path, tag: &str, extra: &[&str]) -> String {
    let out = root.join(format!("{tag}.xlf"));
    let mut args = vec!["i18n", "export", "--locale", tag, "--out", out.to_str().unwrap()];
    args.extend(extra);
    assert_ok(&briefs(root, &args));
    std::fs::read_to_string(out).unwrap()
}

/// Every file under `locales/`, for "nothing was written" checks.
fn locales_snapshot(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot_dir(&root.join("locales"))
}

/// The unit of an export with the given id (its whole `<unit>` element text).
fn unit<'a>(xliff: &'a str, id: &str) -> &'a str {
    let start = xliff.find(&format!("<unit id=\"{id}\">")).unwrap_or_else(|| panic!("no unit {id}"));
    let end = xliff[start..].find("</unit>").unwrap() + start + "</unit>".len();
    &xliff[start..end]
}

#[test]
fn es_mx_export_is_well_formed_xliff_with_every_placeholder_as_a_code() {
    let dir = shipped_copy();
    let xliff = export(dir.path(), "es-MX", &[]);
    // Well-formed, namespace-aware: every element is in the XLIFF 2.0 namespace.
    let mut reader = quick_xml::NsReader::from_str(&xliff);
    let (mut units, mut phs, mut sources) = (0, 0, 0);
    let mut source_text = String::new();
    let mut in_source = false;
    loop {
        match reader.read_resolved_event().unwrap() {
            (ns, quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                assert_eq!(
                    ns,
                    quick_xml::name::ResolveResult::Bound(quick_xml::name::Namespace(
                        b"urn:oasis:names:tc:xliff:document:2.0"
                    ))
                );
                match e.local_name().as_ref() {
                    b"xliff" => {
                        let attr =
                            |n: &str| e.try_get_attribute(n).unwrap().unwrap().unescape_value().unwrap().into_owned();
                        assert_eq!(
                            (attr("version"), attr("srcLang"), attr("trgLang")),
                            ("2.0".into(), "en-US".into(), "es-MX".into())
                        );
                    }
                    b"unit" => units += 1,
                    b"source" => {
                        sources += 1;
                        in_source = true;
                    }
                    b"ph" if in_source => phs += 1,
                    _ => {}
                }
            }
            (_, quick_xml::events::Event::End(e)) if e.local_name().as_ref() == b"source" => in_source = false,
            (_, quick_xml::events::Event::Text(t)) if in_source => source_text.push_str(&t.xml_content().unwrap()),
            (_, quick_xml::events::Event::Eof) => break,
            _ => {}
        }
    }
    assert!(units > 300, "{units} units");
    assert_eq!(units, sources);
    // Every placeholder of every en-US text is a <ph>, none is left as text.
    let en_placeholders: usize = std::fs::read_dir(dir.path().join("locales/en-US"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with("locale.yaml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .map(|t| t.lines().filter(|l| !l.trim_start().starts_with('#')).map(|l| l.matches('{').count()).sum::<usize>())
        .sum();
    assert_eq!(phs, en_placeholders);
    assert!(!source_text.contains('{'), "a placeholder left as text");
    // A figure shows as the target locale prints it.
    assert!(xliff.contains(r#"equiv="{port_laredo_freight_2025}" disp="296.2 mil millones de dólares""#), "disp");
    // Notes say which documents show a text.
    assert!(
        unit(&xliff, "fast-facts.trade.title").contains("fast-facts (academia, civil-society, general, mx-government")
    );
}

#[test]
fn a_fr_ca_round_trip_through_an_edited_xliff_reaches_the_pdf() {
    let dir = fixture("mini");
    let xliff = export(dir.path(), "fr-CA", &[]);
    // An unchanged export imports as no change at all.
    let before = locales_snapshot(dir.path());
    let xlf = dir.path().join("fr-CA.xlf");
    assert_ok(&briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap()]));
    assert_eq!(locales_snapshot(dir.path()), before, "an unchanged export changed the locale files");
    // A translator edits the title and marks it final.
    let title = unit(&xliff, "common.title");
    let edited = title
        .replace("Note d’essai</target>", "Note d’essai revue et corrigée</target>")
        .replace("state=\"reviewed\"", "state=\"final\"");
    std::fs::write(&xlf, xliff.replace(title, &edited)).unwrap();
    let r = briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap()]);
    assert_ok(&r);
    assert!(r.stdout.contains("1 text(s) changed"), "{}", r.stdout);
    let common = std::fs::read_to_string(dir.path().join("locales/fr-CA/common.yaml")).unwrap();
    assert!(common.starts_with("title: Note d’essai revue et corrigée\nsource: Source\n"), "{common}");
    let prints = std::fs::read_to_string(dir.path().join("locales/fr-CA/fingerprints.yaml")).unwrap();
    assert!(prints.contains("  common.title:\n    en: \"f6438a73904514b3\"\n    state: final\n"), "{prints}");
    assert_ok(&briefs(dir.path(), &["build", "--locale", "fr-CA"]));
    let text = pdf_text(&dir.path().join("out/fr-CA/general/note.pdf"));
    assert!(text.contains("Note d’essai revue et corrigée"), "{text}");
}

#[test]
fn a_target_that_drops_a_placeholder_is_refused_by_unit_and_line_and_nothing_is_written() {
    let dir = fixture("mini");
    let xliff = export(dir.path(), "fr-CA", &[]);
    let body = unit(&xliff, "note.body");
    let target_start = body.find("<target").unwrap();
    let ph_start = body[target_start..].find("<ph ").unwrap() + target_start;
    let ph_end = body[ph_start..].find("/>").unwrap() + ph_start + 2;
    let dropped = format!("{}{}", &body[..ph_start], &body[ph_end..]);
    // Also edit another unit, which must not be written either.
    let title = unit(&xliff, "common.title");
    let edited =
        xliff.replace(body, &dropped).replace(title, &title.replace("Note d’essai</target>", "Autre</target>"));
    let xlf = dir.path().join("fr-CA.xlf");
    std::fs::write(&xlf, &edited).unwrap();
    // The error points at the target the translator edited, not at the unit.
    let unit_at = edited.find("<unit id=\"note.body\">").unwrap();
    let target_at = unit_at + edited[unit_at..].find("<target").unwrap();
    let line = edited[..target_at].matches('\n').count() + 1;
    assert!(line > edited[..unit_at].matches('\n').count() + 1, "the target is on a line of its own");
    let before = locales_snapshot(dir.path());
    let r = briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap()]);
    assert_fails(
        &r,
        &["unit `note.body`", "drops `{laredo_freight_2025}`", &format!("fr-CA.xlf:{line}"), "no file was changed"],
    );
    assert_eq!(locales_snapshot(dir.path()), before);
}

#[test]
fn a_hand_written_cat_tool_file_is_imported() {
    let dir = fixture("mini");
    let xlf = repo().join("tests/fixtures/xliff/mini-fr-CA-cat-tool.xlf");
    let r = briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap()]);
    assert_ok(&r);
    assert!(r.stdout.contains("imported 2 unit(s) for fr-CA: 2 text(s) changed"), "{}", r.stdout);
    let note = std::fs::read_to_string(dir.path().join("locales/fr-CA/note.yaml")).unwrap();
    assert!(
        note.starts_with(
            "body: \"**Le Mexique** a perdu {mfg_jobs_lost_mx} emplois; Laredo a traité plus de {laredo_freight_2025} de fret & a fourni <à peine> {ag_import_share_mx}. (Suite ci-dessous.)\"\ninjection: 'Littéral"
        ),
        "{note}"
    );
    let prints = std::fs::read_to_string(dir.path().join("locales/fr-CA/fingerprints.yaml")).unwrap();
    assert!(
        prints.contains("  note.body:\n    en: \"2fc33a2c261b59b3\"\n    state: translated\n"),
        "lowest segment state: {prints}"
    );
    assert!(prints.contains("  common.title:\n    en: \"f6438a73904514b3\"\n    state: final\n"), "{prints}");
    assert_ok(&briefs(dir.path(), &["build", "--locale", "fr-CA"]));
    let text = pdf_text(&dir.path().join("out/fr-CA/general/note.pdf"));
    assert!(text.contains("Note d’essai révisée"), "{text}");
    assert!(text.contains("Le Mexique a perdu"), "{text}");
}

#[test]
fn unknown_units_wrong_languages_and_malformed_xml_are_refused() {
    let dir = fixture("mini");
    let xliff = export(dir.path(), "fr-CA", &[]);
    let xlf = dir.path().join("fr-CA.xlf");
    let before = locales_snapshot(dir.path());
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            xliff.replace("<unit id=\"common.title\">", "<unit id=\"common.titel\">"),
            vec!["unknown unit `common.titel`", "did you mean `common.title`?"],
        ),
        (xliff.replace("trgLang=\"fr-CA\"", "trgLang=\"de-DE\""), vec!["wrong trgLang `de-DE`", "fr-CA.xlf:2"]),
        (xliff.replace("</segment>", "</segmnt>"), vec!["malformed XML", "fr-CA.xlf:"]),
        (xliff.replace("srcLang=\"en-US\"", "srcLang=\"fr-FR\""), vec!["srcLang is `fr-FR`"]),
    ];
    for (text, expect) in cases {
        std::fs::write(&xlf, text).unwrap();
        assert_fails(&briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap()]), &expect);
        assert_eq!(locales_snapshot(dir.path()), before);
    }
    std::fs::write(&xlf, &xliff).unwrap();
    assert_fails(
        &briefs(dir.path(), &["i18n", "import", xlf.to_str().unwrap(), "--locale", "es-MX"]),
        &["wrong trgLang `fr-CA`"],
    );
}

#[test]
fn an_en_us_title_change_makes_translations_stale_until_reviewed() {
    let dir = shipped_copy();
    edit(dir.path(), "locales/en-US/fast-facts.yaml", "  title: Trade\n", "  title: Trade and supply chains\n");
    let r = briefs(dir.path(), &["check"]);
    assert_ok(&r);
    for tag in ["es-MX", "fr-CA"] {
        let warning = format!("stale: {tag} fast-facts.trade.title (en-US changed since it was translated)");
        assert_eq!(r.stderr.matches(&warning).count(), 1, "{warning} once in:\n{}", r.stderr);
    }
    assert_eq!(r.stderr.matches("stale:").count(), 2, "{}", r.stderr);
    let table = briefs(dir.path(), &["check", "--i18n"]);
    let cells = |tag: &str| -> Vec<String> {
        let line = table.stdout.lines().find(|l| l.starts_with(tag)).unwrap();
        line.split_whitespace().skip(1).map(str::to_string).collect()
    };
    // es-MX counts the texts it needs: not those of the audiences it is not in (us-government, ca-government).
    let total: usize = cells("es-MX")[0].parse().unwrap();
    assert!(total < cells("en-US")[0].parse::<usize>().unwrap(), "{}", table.stdout);
    let want: Vec<String> = [total, total - 1, 0, 1, 0].iter().map(|n| n.to_string()).collect();
    assert_eq!(cells("es-MX")[..5], want[..], "texts, translated, missing, stale, untranslated:\n{}", table.stdout);
    assert_fails(&briefs(dir.path(), &["check", "--final"]), &["stale: fr-CA fast-facts.trade.title"]);
    let xliff = export(dir.path(), "fr-CA", &["--only", "stale"]);
    let u = unit(&xliff, "fast-facts.trade.title");
    assert!(u.contains("<segment state=\"initial\">"), "{u}");
    assert!(u.contains("Previous en-US text: Trade</note>"), "{u}");
    assert!(u.contains("<target xml:space=\"preserve\">Commerce</target>"), "the old target is kept: {u}");
    assert_eq!(xliff.matches("<unit ").count(), 1);
    // The translator reviews it: importing the reviewed target clears the stale mark.
    let reviewed = xliff
        .replace("<segment state=\"initial\">", "<segment state=\"reviewed\">")
        .replace(">Commerce</target>", ">Commerce et chaînes d’approvisionnement</target>");
    std::fs::write(dir.path().join("fr-CA.xlf"), reviewed).unwrap();
    assert_ok(&briefs(dir.path(), &["i18n", "import", "fr-CA.xlf"]));
    let r = briefs(dir.path(), &["check"]);
    assert!(!r.stderr.contains("stale: fr-CA"), "{}", r.stderr);
    assert!(r.stderr.contains("stale: es-MX fast-facts.trade.title"), "{}", r.stderr);
    // Or the lead reviews the Spanish text by hand and records it.
    assert_ok(&briefs(dir.path(), &["i18n", "mark-reviewed", "--locale", "es-MX", "--key", "fast-facts.trade.title"]));
    assert!(!briefs(dir.path(), &["check"]).stderr.contains("stale:"));
}

#[test]
fn stray_braces_are_located_errors_never_panics() {
    for (bad, col, what) in [
        ("Note d’essai {", 14, "a `{` that starts no placeholder"),
        ("Note {é", 6, "a `{` that starts no placeholder"),
        ("Note }{ d’essai", 6, "a `}` that closes no placeholder"),
        ("Note {x|round}", 6, "an unknown placeholder filter"),
        ("**Note", 1, "a `**` that opens bold but is never closed"),
    ] {
        let dir = fixture("mini");
        edit(dir.path(), "locales/fr-CA/common.yaml", "title: Note d’essai\n", &format!("title: \"{bad}\"\n"));
        let at = format!("locales/fr-CA/common.yaml:1:{}", col + 8);
        assert_fails(&briefs(dir.path(), &["check"]), &[&at, "`common.title` in fr-CA has", what]);
        assert_fails(&briefs(dir.path(), &["build"]), &[&at]);
        assert!(!dir.path().join("out").exists());
    }
    // A literal brace is written twice.
    let dir = fixture("mini");
    edit(dir.path(), "locales/fr-CA/common.yaml", "title: Note d’essai\n", "title: \"Note {{d’essai}}\"\n");
    assert_ok(&briefs(dir.path(), &["build", "--locale", "fr-CA"]));
    assert!(pdf_text(&dir.path().join("out/fr-CA/general/note.pdf")).contains("Note {d’essai}"));
}

#[test]
fn an_unknown_id_in_en_us_is_reported_once_at_the_placeholder_with_a_suggestion() {
    let dir = fixture("mini");
    edit(dir.path(), "locales/en-US/note.yaml", "{laredo_freight_2025}", "{laredo_freigth_2025}");
    let r = briefs(dir.path(), &["check"]);
    assert_fails(
        &r,
        &[
            "locales/en-US/note.yaml:1:28",
            "`note.body` in en-US uses `{laredo_freigth_2025}`, which is not a fact id",
            "did you mean `{laredo_freight_2025}`?",
        ],
    );
    let errors: Vec<&str> = r.stderr.split("\n\n").filter(|d| d.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error, against en-US:\n{}", r.stderr);
    assert!(!errors[0].contains("fr-CA"), "a correct translation is blamed:\n{}", r.stderr);
    // In a block scalar, the place is the placeholder's own line and column.
    let dir = fixture("mini");
    edit(
        dir.path(),
        "locales/fr-CA/note.yaml",
        "body: \"Laredo a traité",
        "body: |-\n  Premier paragraphe.\n\n  Le Mexique a perdu {mfg_jobs_lost_mex}. Laredo a traité",
    );
    let r = briefs(dir.path(), &["check"]);
    assert_fails(&r, &["locales/fr-CA/note.yaml:4:22", "did you mean `{mfg_jobs_lost_mx}`?"]);
}

#[test]
fn a_copied_locale_is_named_and_counts_as_untranslated() {
    let dir = fixture("mini");
    copy_dir(&dir.path().join("locales/fr-CA"), &dir.path().join("locales/pt-BR"));
    edit(dir.path(), "data/audiences.yaml", "locales: [en-US, fr-CA]", "locales: [en-US, fr-CA, pt-BR]");
    let r = briefs(dir.path(), &["check", "--i18n"]);
    assert_fails(
        &r,
        &["locales/pt-BR/locale.yaml:2:7", "lang `fr`, region `CA` (fr-CA), but its folder is locales/pt-BR"],
    );
    assert!(r.stdout.contains("pt-BR"), "the table is printed despite the errors:\n{}", r.stdout);
    assert_fails(&briefs(dir.path(), &["list"]), &["its folder is locales/pt-BR"]);
    write(
        dir.path(),
        "locales/pt-BR/locale.yaml",
        &std::fs::read_to_string(dir.path().join("locales/fr-CA/locale.yaml"))
            .unwrap()
            .replace("name: français (Canada)\nlang: fr\nregion: CA", "name: português (Brasil)\nlang: pt\nregion: BR"),
    );
    let r = briefs(dir.path(), &["check", "--i18n"]);
    assert_ok(&r);
    assert!(r.stderr.contains("fingerprints of pt-BR were written for fr-CA"), "{}", r.stderr);
    assert!(r.stdout.contains("pt-BR         7          0        0      0            7    0.0%"), "{}", r.stdout);
    assert_fails(&briefs(dir.path(), &["check", "--final"]), &["written for fr-CA"]);
    let xliff = export(dir.path(), "pt-BR", &[]);
    assert_eq!(xliff.matches("<segment state=\"initial\">").count(), 7, "{xliff}");
}

// Rules of the second es-MX revision (issue 26): ranks and small numbers in words, sources under their own titles.

/// Builds documents of the shipped project for the general audience in the given locales.
fn build_general(dir: &Path, locales: &str, docs: &str) {
    assert_ok(&briefs(dir, &["build", "--locale", locales, "--audience", "general", "--doc", docs]));
}

/// The text of a built document of the general audience.
fn general_text(dir: &Path, tag: &str, doc: &str) -> String {
    pdf_text(&dir.join(format!("out/{tag}/general/{doc}.pdf")))
}

/// Adds a small count to the mini fixture, stated as a figure in en-US and in words in fr-CA, with fr-CA's words
/// for 2 and 3.
fn mini_with_a_count_in_words() -> tempfile::TempDir {
    let dir = fixture("mini");
    let facts = std::fs::read_to_string(dir.path().join("data/facts/trade.yaml")).unwrap();
    write(
        dir.path(),
        "data/facts/trade.yaml",
        &format!("{facts}- id: border_ports\n  value: 3\n  unit: count\n  period: \"2025\"\n  sources: [bts]\n"),
    );
    edit(dir.path(), "locales/en-US/note.yaml", " (More below.)", " Ports: {border_ports}. (More below.)");
    edit(dir.path(), "locales/fr-CA/note.yaml", " des importations.", " des importations; {border_ports|words} ports.");
    edit(
        dir.path(),
        "locales/fr-CA/locale.yaml",
        "french_spacing: true\n",
        "french_spacing: true\nnumber_words: {2: deux, 3: trois}\n",
    );
    dir
}

#[test]
fn es_mx_writes_every_rank_of_the_data_in_words() {
    let dir = shipped_copy();
    build_general(dir.path(), "es-MX,en-US", "brief-auto");
    let es = general_text(dir.path(), "es-MX", "brief-auto");
    // The three ranks of one list, the largest in the data (11) included: one way of writing them.
    for rank in ["ocupa el segundo lugar mundial", "ocupó el séptimo lugar", "ocupa el undécimo lugar"] {
        assert!(es.contains(rank), "{rank:?} in:\n{es}");
    }
    assert!(!es.contains(".º"), "a rank written with a figure:\n{es}");
    let en = general_text(dir.path(), "en-US", "brief-auto");
    assert!(en.contains("11th largest vehicle manufacturer"), "{en}");
}

#[test]
fn a_rank_without_its_word_is_an_error_at_ordinal_words() {
    let dir = shipped_copy();
    edit(dir.path(), "locales/es-MX/locale.yaml", "  11: undécimo\n", "");
    let line = std::fs::read_to_string(dir.path().join("locales/es-MX/locale.yaml"))
        .unwrap()
        .lines()
        .position(|l| l == "ordinal_words:")
        .unwrap()
        + 1;
    let at = format!("locales/es-MX/locale.yaml:{line}");
    let r = briefs(dir.path(), &["check"]);
    assert_fails(
        &r,
        &[
            &at,
            "locale es-MX writes ranks in words, but has no word for rank 11 (fact `ca_vehicle_manufacturer_rank`)",
            "add `11: <word>` under `ordinal_words:`",
        ],
    );
    assert_eq!(r.stderr.matches("has no word for rank").count(), 1, "{}", r.stderr);
}

#[test]
fn small_numbers_in_es_mx_prose_are_words_and_en_us_keeps_its_figures() {
    let dir = shipped_copy();
    build_general(dir.path(), "es-MX,en-US", "brief-auto,fast-facts,executive-summary");
    let auto = general_text(dir.path(), "es-MX", "brief-auto");
    for words in ["hasta ocho veces", "uno de cada veinte empleos"] {
        assert!(auto.contains(words), "{words:?} in:\n{auto}");
    }
    let facts = general_text(dir.path(), "es-MX", "fast-facts");
    for words in ["siete u ocho veces", "En los últimos veinte años", "periodo de dieciséis años"] {
        assert!(facts.contains(words), "{words:?} in:\n{facts}");
    }
    assert!(!facts.contains("entre 7 y 8 veces"), "{facts}");
    let summary = general_text(dir.path(), "es-MX", "executive-summary");
    assert!(summary.contains("casi cuarenta años"), "{summary}");
    let en = general_text(dir.path(), "en-US", "brief-auto");
    // The figure is tied to the words around it by no-break spaces.
    assert!(en.replace('\u{a0}', " ").contains("as many as 8 times"), "{en}");
}

#[test]
fn a_count_in_words_prints_its_word_in_any_locale_that_has_one() {
    let dir = mini_with_a_count_in_words();
    assert_ok(&briefs(dir.path(), &["check"]));
    assert_ok(&briefs(dir.path(), &["build"]));
    let fr = pdf_text(&dir.path().join("out/fr-CA/general/note.pdf"));
    assert!(fr.contains("trois ports"), "{fr}");
    let en = pdf_text(&dir.path().join("out/en-US/general/note.pdf"));
    assert!(en.contains("Ports: 3."), "{en}");
}

#[test]
fn a_number_without_its_word_is_an_error_at_its_placeholder() {
    let dir = mini_with_a_count_in_words();
    edit(dir.path(), "locales/fr-CA/locale.yaml", "3: trois", "4: quatre");
    let body = std::fs::read_to_string(dir.path().join("locales/fr-CA/note.yaml")).unwrap();
    // Columns count characters ("traité" is one column a letter).
    let col = body[..body.find("{border_ports|words}").unwrap()].chars().count() + 1;
    let at = format!("locales/fr-CA/note.yaml:1:{col}");
    let message = "`note.body` in fr-CA writes `{border_ports|words}` in words, but 3 has no word in the locale";
    assert_fails(
        &briefs(dir.path(), &["check"]),
        &[&at, message, "under `number_words:` in locales/fr-CA/locale.yaml"],
    );
    assert_fails(&briefs(dir.path(), &["build", "--locale", "fr-CA"]), &[message]);
    // Words are for facts: an argument the template gives is words already.
    let dir = mini_with_a_count_in_words();
    edit(dir.path(), "locales/fr-CA/note.yaml", "{border_ports|words}", "{year|words}");
    assert_fails(
        &briefs(dir.path(), &["check"]),
        &["`note.body` in fr-CA uses `{year|words}`, which is not a fact id"],
    );
}

#[test]
fn es_mx_sources_are_named_with_their_own_spanish_titles_in_italics() {
    let dir = shipped_copy();
    build_general(dir.path(), "es-MX", "brief-technology,fast-facts");
    let pdf = dir.path().join("out/es-MX/general/brief-technology.pdf");
    let tech = pdf_text(&pdf);
    assert!(tech.contains("Oficina del Censo de Estados Unidos, cuadro 16a"), "{tech}");
    assert!(!tech.contains("Exhibit"), "an English exhibit name in a Spanish note:\n{tech}");
    assert!(tech.contains("Actualización de abril de 2026"), "the project's update under its Spanish title:\n{tech}");
    assert!(!tech.contains("April 2026 update"), "{tech}");
    // The title that stays in English is set in italics.
    let glyphs = pdf_glyphs(&pdf);
    let title = "U.S. Trade in Advanced Technology Products by Technology Group";
    assert!(tech.contains(title), "{title:?} in:\n{tech}");
    let italic: String = glyphs.iter().filter(|g| g.font.contains("Italic")).map(|g| g.text.as_str()).collect();
    assert!(italic.replace(' ', "").contains(&title.replace(' ', "")), "{title:?} not in italics: {italic:?}");
    let facts = general_text(dir.path(), "es-MX", "fast-facts");
    // The year the Spanish title already says is not repeated after it.
    assert!(facts.contains("FMI, Perspectivas de la economía mundial, octubre de 2025;"), "{facts}");
    assert!(!facts.contains("World Economic Outlook"), "{facts}");
}

#[test]
fn t_mec_is_never_broken_at_its_hyphen() {
    let dir = shipped_copy();
    build_general(dir.path(), "es-MX", "brief-food-security");
    // A line broken at the hyphen of "T-MEC" reads "TMEC" once the break is joined: in the text, the sidebar's key
    // points and the figures' notes beside them.
    let text = general_text(dir.path(), "es-MX", "brief-food-security");
    assert!(text.contains("PUNTOS CLAVE") && text.contains("T-MEC"), "{text}");
    assert!(!text.contains("TMEC"), "T-MEC broken at its hyphen:\n{text}");
}

#[test]
fn an_es_mx_round_trip_through_xliff_keeps_its_numbers_in_words() {
    let dir = shipped_copy();
    let before = locales_snapshot(dir.path());
    let xliff = export(dir.path(), "es-MX", &[]);
    assert!(xliff.contains("equiv=\"{auto_parts_border_crossings_high|words}\""), "the filter is kept in the target");
    // A figure written in words is the same figure as its source's `{id}`: the import accepts it unchanged.
    assert_ok(&briefs(dir.path(), &["i18n", "import", "es-MX.xlf"]));
    assert_eq!(locales_snapshot(dir.path()), before);
}

/// The line and column (1-based, in characters) where `needle` starts in a project file.
fn place_of(root: &Path, rel: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let (n, line) = text.lines().enumerate().find(|(_, l)| l.contains(needle)).unwrap();
    let col = line[..line.find(needle).unwrap()].chars().count() + 1;
    format!("{rel}:{}:{col}", n + 1)
}

#[test]
fn renderings_the_fr_ca_glossary_refuses_are_located_errors_that_stop_check_and_build() {
    let dir = shipped_copy();
    assert_ok(&briefs(dir.path(), &["check"]));
    // The first revision's rendering of "certainty" comes back in a fast-fact title.
    let ff = "locales/fr-CA/fast-facts.yaml";
    edit(
        dir.path(),
        ff,
        "title: La prévisibilité qu’offre l’ACEUM à l’investissement",
        "title: La sécurité juridique des investissements dans le cadre de l’ACEUM",
    );
    let at = place_of(dir.path(), ff, "sécurité juridique");
    let r = briefs(dir.path(), &["check"]);
    assert_fails(
        &r,
        &[
            &at,
            "`fast-facts.investment.title` in fr-CA writes `sécurité juridique`, which the glossary refuses for \
             `certainty` (its en-US text says `certainty`)",
            "write `prévisibilité`, the glossary's rendering of `certainty` (glossary entry at \
             locales/fr-CA/glossary.yaml:",
        ],
    );
    assert_fails(&briefs(dir.path(), &["build", "--locale", "fr-CA", "--doc", "fast-facts"]), &[&at]);
    assert!(!dir.path().join("out/fr-CA").exists(), "nothing is built");

    // "offre" for availability, inside a list item, is located at the word; "offre" for supply is not refused.
    let dir = shipped_copy();
    let fs = "locales/fr-CA/brief-food-security.yaml";
    edit(
        dir.path(),
        fs,
        "de la disponibilité de légumes frais aux États-Unis dépend",
        "de l’offre de légumes frais aux États-Unis dépend",
    );
    let at = place_of(dir.path(), fs, "offre de légumes frais aux États-Unis dépend");
    let r = briefs(dir.path(), &["check"]);
    assert_fails(&r, &[&at, "writes `offre`, which the glossary refuses for `availability`", "write `disponibilité`"]);
    assert_eq!(r.stderr.matches("which the glossary refuses").count(), 1, "{}", r.stderr);

    // A half-English agency name in the locale's source names is refused everywhere, though no en-US text has it.
    let dir = shipped_copy();
    let src = "locales/fr-CA/sources.yaml";
    edit(
        dir.path(),
        src,
        "bls: Bureau des statistiques du travail des États-Unis (BLS)",
        "bls: Bureau of Labor Statistics des États-Unis",
    );
    let at = place_of(dir.path(), src, "Bureau of Labor Statistics");
    assert_fails(
        &briefs(dir.path(), &["check"]),
        &[
            &at,
            "`sources.names.bls` in fr-CA writes `Bureau of Labor Statistics`, which the glossary refuses for \
             `Bureau of Labor Statistics` (the glossary refuses it in every text)",
            "write `Bureau des statistiques du travail`",
        ],
    );
}

/// The es-MX glossary refuses the calque "global" where en-US says "global": back in a text, it is an error at its
/// own line and column that names the rendering to write.
#[test]
fn a_calque_the_es_mx_glossary_refuses_is_a_located_error() {
    let dir = shipped_copy();
    let f = "locales/es-MX/executive-summary.yaml";
    edit(dir.path(), f, "su papel de líder mundial", "su papel de líder global");
    let at = place_of(dir.path(), f, "líder global");
    let col: usize = at.rsplit(':').next().unwrap().parse().unwrap();
    let at = format!("{}:{}", at.rsplit_once(':').unwrap().0, col + "líder ".chars().count());
    let r = briefs(dir.path(), &["check"]);
    assert_fails(&r, &[&at, "mundial"]);
}
