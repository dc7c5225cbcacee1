//! Integration tests: the real binary on fixture projects and on a copy of the shipped project.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use common::*;
use sha2::Digest;

/// Builds the mini fixture for one locale and returns its PDF text.
fn mini_pdf_text(locale: &str) -> String {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build", "--locale", locale]);
    assert_eq!(r.code, 0, "build failed: {}", r.stderr);
    pdf_text(&dir.path().join(format!("out/{locale}/general/note.pdf")))
}

#[test]
fn mini_pdf_holds_figures_formatted_per_locale() {
    let en = mini_pdf_text("en-US");
    // Figures are kept on one line: the spaces inside them are no-break spaces.
    assert!(en.contains("USD\u{a0}296.2\u{a0}billion"), "{en}");
    // Punctuation right after a figure survives (a `;` after an embedded call would end it).
    assert!(en.contains("48,375; it supplied 32.7%. (More below.)"), "{en}");
    // The sources of the text, listed once, in full.
    assert!(
        en.contains("Sources: U.S. Bureau of Transportation Statistics (BTS); Instituto Nacional de Estadística y Geografía (INEGI)."),
        "{en}"
    );
    let fr = mini_pdf_text("fr-CA");
    assert!(fr.contains("296,2\u{a0}milliards\u{a0}$\u{a0}US"), "{fr}");
    assert!(fr.contains("48\u{a0}375"), "{fr}");
    // French typography: a no-break space before the percent sign and before the colon.
    assert!(fr.contains("32,7\u{a0}%"), "{fr}");
    assert!(!fr.contains("32,7 %") && !fr.contains("32,7%"), "{fr}");
}

#[test]
fn injection_strings_print_literally() {
    let en = mini_pdf_text("en-US");
    for s in
        ["#panic(\"x\")", "$x$", "#read(\"/etc/passwd\")", "// not a comment", "*not bold*", "@ref <label> [b] \\ back"]
    {
        assert!(en.contains(s), "missing literal {s:?} in {en}");
    }
}

#[test]
fn generated_typst_is_snapshotted() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build", "--locale", "en-US", "--emit-typst", "typ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let typ = std::fs::read_to_string(dir.path().join("typ/en-US/general/note.typ")).unwrap();
    insta::assert_snapshot!("mini_note_en_us", typ);
    assert!(dir.path().join("typ/house.typ").is_file());
}

#[test]
fn two_builds_give_identical_pdfs() {
    let dir = fixture("mini");
    assert_eq!(briefs(dir.path(), &["build", "--out", "a"]).code, 0);
    assert_eq!(briefs(dir.path(), &["build", "--out", "b"]).code, 0);
    let a = snapshot_dir(&dir.path().join("a/en-US"));
    let b = snapshot_dir(&dir.path().join("b/en-US"));
    assert!(!a.is_empty());
    assert_eq!(a.iter().map(|x| &x.1).collect::<Vec<_>>(), b.iter().map(|x| &x.1).collect::<Vec<_>>());
}

/// Audiences of one document share Typst's layout cache (their sources are edited from one another); each PDF must
/// still be exactly the PDF that document gives when it is built on its own.
#[test]
fn a_document_built_with_its_audiences_equals_the_document_built_alone() {
    let dir = shipped_copy();
    let base = ["build", "--doc", "executive-summary", "--locale", "en-US", "--jobs", "1"];
    let r = briefs(dir.path(), &[&base[..], &["--out", "together"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let audiences = ["us-government", "academia"];
    for a in audiences {
        let r = briefs(dir.path(), &[&base[..], &["--audience", a, "--out", a]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
        let rel = format!("en-US/{a}/executive-summary.pdf");
        let together = std::fs::read(dir.path().join("together").join(&rel)).unwrap();
        let alone = std::fs::read(dir.path().join(a).join(&rel)).unwrap();
        assert!(together == alone, "{rel} differs when built with the other audiences");
    }
    // And each says whom it is for, not the line of the audience typeset before it.
    let text = pdf_text(&dir.path().join("together/en-US/us-government/executive-summary.pdf"));
    assert!(text.contains("For the U.S. federal government and Congress"), "{text}");
    assert!(!text.contains("For partners and stakeholders across North America"), "{text}");
    // The metadata, now set after the body, still names the document, locale and audience.
    let pdf = dir.path().join("together/en-US/us-government/executive-summary.pdf");
    assert_eq!(pdf_info(&pdf, "Title").as_deref(), Some("Executive Summary"));
    let keywords = pdf_info(&pdf, "Keywords").unwrap_or_default();
    assert!(keywords.contains("USMCA") && keywords.contains("U.S. federal government and Congress"), "{keywords}");
}

/// The PDF keywords are in the document's language: the agreement's name and the audience's name.
#[test]
fn pdf_keywords_are_in_the_documents_language() {
    let dir = shipped_copy();
    let r = briefs(dir.path(), &["build", "--doc", "fast-facts", "--audience", "mx-government,ca-government"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let kw = |rel: &str| pdf_info(&dir.path().join("out").join(rel), "Keywords").unwrap_or_default();
    let es = kw("es-MX/mx-government/fast-facts.pdf");
    assert!(es.contains("T-MEC") && es.contains("Gobierno de México") && !es.contains("USMCA"), "{es}");
    let fr = kw("fr-CA/ca-government/fast-facts.pdf");
    assert!(fr.contains("ACEUM") && fr.contains("Gouvernement du Canada") && !fr.contains("ca-government"), "{fr}");
}

#[test]
fn manifest_lists_every_document() {
    let dir = fixture("mini");
    assert_eq!(briefs(dir.path(), &["build"]).code, 0);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["edition"], "2026-04");
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for d in docs {
        let path = dir.path().join("out").join(d["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(d["bytes"].as_u64().unwrap() as usize, bytes.len());
        assert!(d["pages"].as_u64().unwrap() >= 1);
        let digest: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(d["sha256"].as_str().unwrap(), digest, "the manifest's hash is the file's");
    }
}

/// Runs `check` on the mini fixture after writing `rel`, expecting a located error.
fn bad_input(rel: &str, text: &str, expect: &[&str]) {
    let dir = fixture("mini");
    assert_eq!(briefs(dir.path(), &["build"]).code, 0);
    let before = snapshot_dir(&dir.path().join("out"));
    write(dir.path(), rel, text);
    let check = briefs(dir.path(), &["check"]);
    assert_eq!(check.code, 1, "check should fail: {}", check.stderr);
    for e in expect {
        assert!(check.stderr.contains(e), "expected {e:?} in:\n{}", check.stderr);
    }
    assert!(!check.stderr.contains("panicked"), "{}", check.stderr);
    let build = briefs(dir.path(), &["build"]);
    assert_eq!(build.code, 1);
    assert!(build.stderr.contains(expect[0]), "{}", build.stderr);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before, "a failed build changed out/");
}

#[test]
fn yaml_syntax_error_is_located() {
    bad_input(
        "data/facts/trade.yaml",
        "- id: a\n  value: [1\n",
        &["data/facts/trade.yaml:2:10", "error: invalid YAML (", "hint: fix the YAML at this place"],
    );
}

#[test]
fn wrong_type_is_located() {
    bad_input(
        "data/facts/trade.yaml",
        "- id: a\n  value: lots\n  unit: usd\n  period: \"2025\"\n  sources: [bts]\n",
        &[
            "data/facts/trade.yaml:2:10",
            "error: fact `a` has `lots` where a number belongs",
            "write the figure as a plain number in base units, e.g. 296.2e9",
        ],
    );
}

#[test]
fn unknown_key_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  publisher: X\n  publsher: typo\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
        &[
            "data/sources.yaml:4:3",
            "error: invalid YAML (unknown field `publsher`, expected one of id, short, publisher, title, year, url)",
        ],
    );
}

#[test]
fn duplicate_key_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  short: B\n  publisher: X\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
        &[
            "data/sources.yaml:3:3",
            "error: invalid YAML (duplicate mapping key: short)\n",
            "each key may appear once in a mapping",
        ],
    );
}

#[test]
fn duplicate_id_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  publisher: X\n- id: bts\n  short: B\n  publisher: Y\n- id: inegi\n  short: INEGI\n  publisher: Z\n",
        &["data/sources.yaml:4:7", "error: duplicate source id `bts`", "first declared at data/sources.yaml:1:7"],
    );
}

#[test]
fn missing_source_is_located() {
    bad_input(
        "data/facts/extra.yaml",
        "- id: extra\n  value: 1\n  unit: count\n  period: \"2025\"\n  sources: [nowhere]\n",
        &[
            "data/facts/extra.yaml:5:13",
            "error: unknown source `nowhere`",
            "declare it in data/sources.yaml or fix the id",
        ],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = fixture("mini");
    write(
        dir.path(),
        "data/facts/extra.yaml",
        "- id: extra\n  value: 1\n  unit: count\n  period: \"2025\"\n  sources: [nowhere, elsewhere]\n",
    );
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown source `nowhere`") && r.stderr.contains("unknown source `elsewhere`"),
        "{}",
        r.stderr
    );
}

#[test]
fn list_shows_the_matrix() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("general") && r.stdout.contains("note") && r.stdout.contains("2 PDFs"), "{}", r.stdout);
}

#[test]
fn unknown_locale_on_command_line_is_an_error() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build", "--locale", "de-DE"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown locale `de-DE`") && r.stderr.contains("en-US, fr-CA"), "{}", r.stderr);
}

/// Builds a selection of the shipped project in a temp copy; returns the copy.
fn shipped_build(args: &[&str]) -> tempfile::TempDir {
    let dir = shipped_copy();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let r = briefs(dir.path(), &all);
    assert_eq!(r.code, 0, "build failed: {}", r.stderr);
    dir
}

/// The text of every PDF under a folder, joined.
fn all_pdf_text(dir: &std::path::Path) -> String {
    snapshot_dir(dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
        .map(|(p, _)| pdf_text(&p))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Facts of the shipped data that are figures (not dates): (id, value, unit, provisional).
fn shipped_facts() -> Vec<(String, f64, String, bool)> {
    #[derive(serde::Deserialize)]
    struct F {
        id: String,
        value: serde_json::Value,
        unit: String,
        #[serde(default)]
        provisional: Option<String>,
        #[serde(flatten)]
        _rest: std::collections::BTreeMap<String, serde_json::Value>,
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(repo().join("data/facts")).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let facts: Vec<F> = serde_saphyr::from_str(&text).unwrap();
        let figures = facts.into_iter().filter(|f| f.unit != "date");
        out.extend(figures.map(|f| (f.id, f.value.as_f64().unwrap(), f.unit, f.provisional.is_some())));
    }
    out
}

#[test]
fn shipped_english_documents_carry_every_figure_and_source() {
    // The en-US documents of the general and U.S. government audiences, from the two shared builds.
    let folders = [general_build().join("out/en-US/general"), government_build().join("out/en-US/us-government")];
    for doc in ["executive-summary", "fast-facts"] {
        assert!(folders.iter().all(|f| f.join(format!("{doc}.pdf")).is_file()), "{doc}");
    }
    let text: String = folders.iter().map(|f| all_pdf_text(f)).collect();
    // Spot checks of figures as the seed states them, formatted for en-US.
    for s in [
        "USD\u{a0}1.6\u{a0}trillion",
        "USD\u{a0}296.2\u{a0}billion",
        "USD\u{a0}2.39\u{a0}billion",
        "113,000",
        "48,375",
        "40,600",
        "32.7%",
        "16.9%",
        "USD\u{a0}414.6\u{a0}billion",
        "23.7%",
    ] {
        assert!(text.contains(s), "missing {s}");
    }
    // Every source the data declares is named in some English document.
    let sources: Vec<serde_json::Value> =
        serde_saphyr::from_str(&std::fs::read_to_string(repo().join("data/sources.yaml")).unwrap()).unwrap();
    for s in &sources {
        let short = s["short"].as_str().unwrap();
        assert!(text.contains(short), "source {short} appears in no English document");
    }
    // Every fact of the data is shown by some English document (the manifest lists each document's facts).
    let mut shown = std::collections::BTreeSet::<String>::new();
    for (root, audience) in [(general_build(), "general"), (government_build(), "us-government")] {
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("out/manifest.json")).unwrap()).unwrap();
        let english = m["documents"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["path"].as_str().unwrap().starts_with(&format!("en-US/{audience}/")));
        shown.extend(
            english.flat_map(|d| d["facts"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string())),
        );
    }
    let missing: Vec<String> = shipped_facts().into_iter().map(|f| f.0).filter(|id| !shown.contains(id)).collect();
    assert!(missing.is_empty(), "facts shown in no English document: {missing:?}");
}

#[test]
fn tdr_is_computed_from_imports_and_exports() {
    let dir = shipped_build(&["--locale", "en-US", "--audience", "general", "--doc", "brief-co-production"]);
    let text = pdf_text(&dir.path().join("out/en-US/general/brief-co-production.pdf"));
    let facts = shipped_facts();
    let value = |id: &str| facts.iter().find(|f| f.0 == id).unwrap_or_else(|| panic!("no fact {id}")).1;
    for (label, code) in [("Mexico", "mx"), ("Canada", "ca"), ("China", "cn"), ("Germany", "de"), ("Japan", "jp")] {
        let (imports, exports) = (value(&format!("us_imports_{code}")), value(&format!("us_exports_{code}")));
        let tdr = format!("{:.2}", (imports - exports) / exports);
        assert!(text.contains(&tdr), "TDR {tdr} for {label} not in the brief: {text}");
    }
    // The figures are provisional: the draft marks them (in the PDF and the manifest) and a final build refuses them.
    assert!(text.contains("Provisional figure"), "{text}");
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    let marked = m["documents"][0]["provisional"].as_array().unwrap();
    assert!(marked.iter().any(|f| f == "us_imports_mx"), "{marked:?}");
    let r = briefs(
        dir.path(),
        &[
            "build",
            "--final",
            "--audience",
            "general",
            "--locale",
            "en-US",
            "--doc",
            "brief-co-production",
            "--out",
            "final",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("provisional figure `us_imports_mx`") && r.stderr.contains("data/facts/tdr.yaml:"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("final").exists());
}

#[test]
fn audiences_get_their_own_documents() {
    let dir = shipped_build(&["--doc", "fast-facts"]);
    let out = dir.path().join("out");
    let gov = pdf_text(&out.join("en-US/us-government/fast-facts.pdf"));
    let civ = pdf_text(&out.join("en-US/civil-society/fast-facts.pdf"));
    assert!(gov.contains("For the U.S. federal government and Congress"), "{gov}");
    assert!(civ.contains("For civil society organizations"), "{civ}");
    // The fast facts come in each audience's declared order: jobs first for government, investment first for business.
    let biz = pdf_text(&out.join("en-US/private-sector/fast-facts.pdf"));
    let pos = |t: &str, s: &str| t.find(s).unwrap_or_else(|| panic!("{s} not found"));
    assert!(pos(&gov, "Jobs and rules of origin") < pos(&gov, "Investment certainty"));
    assert!(pos(&biz, "Investment certainty") < pos(&biz, "Jobs and rules of origin"));
    // Locales follow the declaration: Mexico's government reads Spanish and English, not French.
    assert!(out.join("es-MX/mx-government/fast-facts.pdf").is_file());
    assert!(!out.join("fr-CA/mx-government").exists());
    assert!(out.join("fr-CA/ca-government/fast-facts.pdf").is_file());
}

#[test]
fn state_one_pagers_exist_for_every_state_in_every_locale_with_balanced_titles() {
    let rows: Vec<serde_json::Value> =
        serde_saphyr::from_str(&std::fs::read_to_string(repo().join("data/states.yaml")).unwrap()).unwrap();
    assert!(rows.len() >= 20, "expected the seed's states, got {}", rows.len());
    let ids: Vec<String> = rows.iter().map(|r| format!("state-{}", r["code"].as_str().unwrap())).collect();
    let dir = shipped_build(&["--audience", "private-sector", "--doc", &ids.join(",")]);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    for tag in ["en-US", "es-MX", "fr-CA"] {
        for id in &ids {
            let path = format!("{tag}/private-sector/{id}.pdf");
            let doc = m["documents"].as_array().unwrap().iter().find(|d| d["path"] == path.as_str());
            let doc = doc.unwrap_or_else(|| panic!("no one-pager {path}"));
            assert_eq!(doc["pages"], 1, "{path} is not one page");
        }
    }
    let ia = pdf_text(&dir.path().join("out/en-US/private-sector/state-ia.pdf"));
    assert!(ia.contains("Iowa–Mexico: agricultural trade") && ia.contains("Corn"), "{ia}");
    let (read, wrapped) = assert_cover_titles(&dir.path().join("out"), "private-sector");
    assert_eq!(read, 3 * ids.len());
    eprintln!("{read} state covers read, {wrapped} titles on two lines or more");
}

#[test]
fn spanish_and_french_use_their_number_forms() {
    let dir = shipped_build(&["--audience", "general", "--doc", "fast-facts"]);
    let es = pdf_text(&dir.path().join("out/es-MX/general/fast-facts.pdf"));
    let fr = pdf_text(&dir.path().join("out/fr-CA/general/fast-facts.pdf"));
    for s in ["1.6\u{a0}billones", "296.2\u{a0}mil\u{a0}millones", "48,375", "32.7%", "T-MEC"] {
        assert!(es.contains(s), "es-MX lacks {s}");
    }
    for s in ["1,6\u{a0}billion", "296,2\u{a0}milliards", "48\u{a0}375", "32,7\u{a0}%", "ACEUM"] {
        assert!(fr.contains(s), "fr-CA lacks {s}");
    }
}

#[test]
fn a_fourth_locale_is_files_only_and_missing_keys_are_named() {
    let dir = shipped_copy();
    copy_dir(&dir.path().join("locales/fr-CA"), &dir.path().join("locales/fr-FR"));
    edit(dir.path(), "locales/fr-FR/locale.yaml", "region: CA", "region: FR");
    edit(dir.path(), "data/audiences.yaml", "locales: [en-US, es-MX, fr-CA]", "locales: [en-US, es-MX, fr-CA, fr-FR]");
    let r = briefs(dir.path(), &["build", "--locale", "fr-FR", "--audience", "general", "--doc", "fast-facts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/fr-FR/general/fast-facts.pdf").is_file());
    // Delete one key from the new locale: check names the locale, the key and the file.
    let common = dir.path().join("locales/fr-FR/common.yaml");
    let text = std::fs::read_to_string(&common).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("of:")).collect();
    assert_ne!(kept.len(), text.lines().count(), "fr-CA common.yaml has no `of:` key");
    std::fs::write(&common, kept.join("\n")).unwrap();
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("locale fr-FR is missing key `common.of`") && r.stderr.contains("locales/fr-FR/common.yaml"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_reports_translation_coverage() {
    let dir = shipped_copy();
    let row = |stdout: &str, tag: &str| -> String {
        stdout.lines().find(|l| l.starts_with(tag)).unwrap_or_else(|| panic!("{tag} row missing: {stdout}")).to_string()
    };
    let r = briefs(dir.path(), &["check", "--i18n"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for tag in ["en-US", "es-MX", "fr-CA"] {
        assert!(row(&r.stdout, tag).ends_with("100.0%"), "{}", row(&r.stdout, tag));
    }
    // en-US names two sources its own way: keys a locale may leave out, so they count against no locale.
    edit(dir.path(), "locales/en-US/sources.yaml", "names:\n", "names:\n  bts: BTS\n  inegi: INEGI\n");
    let r = briefs(dir.path(), &["check", "--i18n"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for tag in ["en-US", "es-MX", "fr-CA"] {
        let line = row(&r.stdout, tag);
        let cells: Vec<&str> = line.split_whitespace().collect();
        let (texts, translated): (usize, usize) = (cells[1].parse().unwrap(), cells[2].parse().unwrap());
        assert_eq!(texts, translated, "{line}");
        assert!(line.ends_with("100.0%"), "{line}");
    }
}

/// Size of a cover title (templates/house.typ).
const TITLE_SIZE: f64 = 26.0;

/// What is wrong with a PDF's cover title as set (none when it is right): the lines of 24-point type on page 1 must
/// be the document's title (PDF Title), on one line or broken between words (never hyphenated), into lines whose
/// shortest is at least half the longest, with more than one word on the last line when the title has more words
/// than lines. Returns the problems and the lines.
fn cover_title_problems(pdf: &std::path::Path) -> (Vec<String>, Vec<SetLine>) {
    let title = pdf_info(pdf, "Title").unwrap_or_default();
    let lines = set_lines(&pdf_chars(pdf), 1, TITLE_SIZE);
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && *c != '\u{ad}').collect::<String>();
    let shown = lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" / ");
    let mut problems = Vec::new();
    if lines.is_empty() || squash(&lines.iter().map(|l| l.text.as_str()).collect::<String>()) != squash(&title) {
        problems.push(format!("the title lines `{shown}` are not the title `{title}`"));
    }
    for l in lines.iter().take(lines.len().saturating_sub(1)) {
        if l.text.ends_with(['-', '\u{ad}', '\u{2010}']) && !title.contains(&format!("{} ", l.text)) {
            problems.push(format!("`{shown}` is hyphenated"));
        }
    }
    let words: Vec<&str> = title.split(' ').filter(|w| !w.is_empty()).collect();
    let alone = lines.last().filter(|_| lines.len() > 1 && words.len() > lines.len());
    if alone.is_some_and(|last| words.iter().any(|w| squash(w) == squash(&last.text))) {
        problems.push(format!("`{shown}` leaves one word alone on its last line"));
    }
    let widths = lines.iter().map(|l| l.width);
    let (short, long) = (widths.clone().fold(f64::MAX, f64::min), widths.fold(0.0, f64::max));
    if lines.len() > 1 && short < 0.5 * long {
        problems.push(format!("`{shown}` is unbalanced: lines of {short:.0} and {long:.0} characters"));
    }
    (problems, lines)
}

/// Asserts every cover title under `out/<locale>/<audience>/` is right (`cover_title_problems`); returns how many
/// PDFs were read and how many titles took more than one line.
fn assert_cover_titles(out: &std::path::Path, audience: &str) -> (usize, usize) {
    let mut problems = Vec::new();
    let (mut read, mut wrapped) = (0, 0);
    for (pdf, _) in snapshot_dir(out).into_iter().filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf")) {
        // A meeting pack's first page is its own front page, not a document's cover.
        if !pdf.parent().is_some_and(|d| d.ends_with(audience))
            || pdf.ends_with("pack.pdf")
            || pdf.ends_with("pack-print.pdf")
        {
            continue;
        }
        let (found, lines) = cover_title_problems(&pdf);
        read += 1;
        wrapped += usize::from(lines.len() > 1);
        problems.extend(found.into_iter().map(|p| format!("{}: {p}", pdf.strip_prefix(out).unwrap().display())));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    (read, wrapped)
}

/// The cover check fails on titles set as Typst wraps them by default: hyphenated ("agricul-tural"), unbalanced, or
/// with one word alone on the last line.
#[test]
fn the_cover_title_check_sees_a_lone_word_and_a_hyphen() {
    let dir = shipped_copy();
    edit(
        dir.path(),
        "templates/house.typ",
        "it => balanced(title, s => text(font: sans, size: 26pt, weight: \"black\", fill: white, hyphenate: false, s))",
        "it => text(font: sans, size: 26pt, weight: \"black\", fill: white, hyphenate: true, it.body)",
    );
    // Titles long enough to wrap across the masthead's width.
    edit(
        dir.path(),
        "locales/en-US/state.yaml",
        "title: \"{state}–Mexico: agricultural trade\"",
        "title: \"{state} and Mexico: their agricultural trade\"",
    );
    edit(
        dir.path(),
        "locales/fr-CA/state.yaml",
        "title: \"{state}–Mexique : commerce agricole\"",
        "title: \"{state}–Mexique : commerce agroalimentaire\"",
    );
    let r = briefs(
        dir.path(),
        &["build", "--locale", "en-US,fr-CA", "--audience", "private-sector", "--doc", "state-nd,state-sd"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (problems, lines) = cover_title_problems(&dir.path().join("out/en-US/private-sector/state-nd.pdf"));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(problems.iter().any(|p| p.contains("hyphenated")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("unbalanced")), "{problems:?}");
    let (problems, _) = cover_title_problems(&dir.path().join("out/fr-CA/private-sector/state-sd.pdf"));
    assert!(problems.iter().any(|p| p.contains("hyphenated") || p.contains("one word alone")), "{problems:?}");
    // And a title one word longer than its first line leaves that word alone.
    edit(
        dir.path(),
        "locales/en-US/state.yaml",
        "{state} and Mexico: their agricultural trade",
        "{state} and Mexico: the farm trade flows",
    );
    let r = briefs(dir.path(), &["build", "--locale", "en-US", "--audience", "private-sector", "--doc", "state-nd"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (problems, lines) = cover_title_problems(&dir.path().join("out/en-US/private-sector/state-nd.pdf"));
    assert!(problems.iter().any(|p| p.contains("leaves one word alone")), "{problems:?} {lines:?}");
}

#[test]
fn sector_briefs_are_two_to_five_pages_and_every_cover_title_is_balanced() {
    let dir = general_build();
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/manifest.json")).unwrap()).unwrap();
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 27, "7 documents and the meeting pack's two editions x 3 locales");
    for d in docs.iter().filter(|d| d["document"].as_str().unwrap().starts_with("brief-")) {
        let pages = d["pages"].as_u64().unwrap();
        assert!((2..=5).contains(&pages), "{} has {pages} pages", d["path"]);
    }
    assert_eq!(assert_cover_titles(&dir.join("out"), "general").0, 21);
}

/// Hyphenated names ("États-Unis", "T-MEC") and a number with its word ("chapitre 29") never break across lines
/// in the PDF, while in the same paragraph a lower-case compound ("nord-sud") and a five-digit number, which the
/// rules leave alone, do break somewhere: the paragraph gives the line breaker every chance, so the check can fail.
#[test]
fn names_and_numbers_with_their_words_stay_on_one_line() {
    let dir = shipped_copy();
    let fillers = ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"];
    let items = ["États-Unis", "nord-sud", "chapitre 29", "T-MEC", "chapitre 12345", "nord-sud", "chapitre 12345"];
    let para: Vec<String> = (0..400).map(|i| format!("{} {}", fillers[i % 6], items[i % 7])).collect();
    edit(
        dir.path(),
        "locales/fr-CA/executive-summary.yaml",
        "assets_intro: Dans le contexte d’incertitude actuel, trois atouts précieux appuient ce programme.",
        &format!("assets_intro: {}.", para.join(" ")),
    );
    let r = briefs(dir.path(), &["build", "--locale", "fr-CA", "--audience", "general", "--doc", "executive-summary"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let bytes = std::fs::read(dir.path().join("out/fr-CA/general/executive-summary.pdf")).unwrap();
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let (mut compounds, mut long_numbers, mut problems) = (0, 0, Vec::new());
    for pair in lines.windows(2) {
        let (end, next) = (pair[0], pair[1]);
        if end.ends_with("États-") || end.ends_with("T-") {
            problems.push(format!("`{end}` / `{next}`"));
        }
        if end.ends_with("chapitre") && next.starts_with("29") {
            problems.push(format!("`{end}` / `{next}`"));
        }
        compounds += usize::from(end.ends_with("nord-") && next.starts_with("sud"));
        long_numbers += usize::from(end.ends_with("chapitre") && next.starts_with("12345"));
    }
    assert!(problems.is_empty(), "broken across lines:\n{}", problems.join("\n"));
    assert!(compounds > 0 && long_numbers > 0, "no break in the controls ({compounds}, {long_numbers}):\n{text}");
    // The words are all there, read as the reader copies them: plain hyphens, no-break spaces (pdf-extract adds a
    // space after one where justification widened it).
    let copied = normalize(&text).replace("\u{a0} ", "\u{a0}");
    assert!(copied.contains("a États-Unis bb nord-sud ccc chapitre\u{a0}29\u{a0}dddd T-MEC"), "{copied}");
}

#[test]
fn charts_are_in_the_pdf_with_text_and_alt_text() {
    let dir = shipped_build(&["--locale", "en-US,fr-CA", "--audience", "general", "--doc", "executive-summary"]);
    let pdf = dir.path().join("out/en-US/general/executive-summary.pdf");
    let text = pdf_text(&pdf);
    // Chart text is real text: title, axis labels, values and the source line under it.
    assert!(text.contains("North America lost manufacturing jobs across all three countries"), "{text}");
    assert!(text.contains("Manufacturing jobs lost from December 2024 to December 2025"), "{text}");
    assert!(text.contains("United States") && text.contains("113,000"), "{text}");
    // Alt text as a screen reader reads it (a name kept on one line has a no-break space).
    let alts: Vec<String> = pdf_alt_texts(&pdf).iter().map(|a| a.replace('\u{a0}', " ")).collect();
    let alt = alts
        .iter()
        .find(|a| a.contains("Manufacturing jobs lost from"))
        .unwrap_or_else(|| panic!("no chart alt text in {alts:?}"));
    assert!(
        alt.starts_with("Horizontal bar chart.")
            && alt.contains("United States 113,000")
            && alt.contains("Mexico 48,375"),
        "{alt}"
    );
    // The French document labels and formats the same chart in French.
    let fr = pdf_alt_texts(&dir.path().join("out/fr-CA/general/executive-summary.pdf"));
    assert!(fr.iter().any(|a| a.contains("113\u{a0}000") && a.contains("Mexique 48\u{a0}375")), "{fr:?}");
}

#[test]
fn charts_command_writes_svg_png_and_csv_per_locale() {
    let dir = shipped_copy();
    let r = briefs(dir.path(), &["charts", "--locale", "es-MX"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(dir.path().join("out/charts/es-MX/mfg_jobs_lost.svg")).unwrap();
    assert!(svg.contains("48,375") && svg.contains("México") && svg.contains("font-family=\"Lato\""), "{svg}");
    let png = std::fs::read(dir.path().join("out/charts/es-MX/mfg_jobs_lost.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    assert!(!dir.path().join("out/charts/en-US").exists(), "only the asked locale is written");
    // Every chart's data beside it, one row per value, in the locale's words and data/'s numbers.
    let charts = dir.path().join("out/charts/es-MX");
    for e in std::fs::read_dir(&charts).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            assert!(p.with_extension("csv").is_file(), "no data beside {}", p.display());
        }
    }
    let csv = std::fs::read_to_string(charts.join("mfg_jobs_lost.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("chart,series,series_name,category,category_name,value,unit,provisional"));
    // Mexico's value as data/ has it (48375 jobs), named in Spanish.
    assert!(
        lines.any(|l| l.starts_with("mfg_jobs_lost,mfg_jobs_lost,") && l.ends_with(",mx,México,48375,jobs,false")),
        "{csv}"
    );
}

/// Runs `check` on a copy of the shipped project after an edit; returns stderr of the failed check.
fn shipped_check_fails(rel: &str, from: &str, to: &str) -> String {
    let dir = shipped_copy();
    edit(dir.path(), rel, from, to);
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "check passed after editing {rel}");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r.stderr
}

#[test]
fn chart_naming_an_unknown_series_or_type_is_located() {
    let e = shipped_check_fails("data/charts.yaml", "series: [mfg_jobs_lost]", "series: [mfg_jobs_lots]");
    assert!(e.contains("error: unknown series `mfg_jobs_lots`\n   --> data/charts.yaml:13:12"), "{e}");
    assert!(e.contains("hint: did you mean `mfg_jobs_lost`? (or declare `mfg_jobs_lots` in data/series/)"), "{e}");
    let e = shipped_check_fails("data/charts.yaml", "type: horizontal_bar", "type: pie");
    assert!(
        e.contains("error: invalid YAML (unknown variant `pie`, expected one of bar, horizontal_bar, big_number, bar_table)\n   --> data/charts.yaml:12:9"),
        "{e}"
    );
}

#[test]
fn a_series_label_without_words_is_located_in_the_series_file() {
    let e = shipped_check_fails(
        "data/series/auto.yaml",
        "{label: ca, fact: transport_equipment_import_share_ca_2025}",
        "{label: can, fact: transport_equipment_import_share_ca_2025}",
    );
    assert!(e.contains("error: point `can` of series `transport_equipment_import_shares` has no words: en-US has no `labels.can`\n   --> data/series/auto.yaml:17:15"), "{e}");
    assert!(e.contains("did you mean `ca`?"), "{e}");
    assert!(!e.contains("locale en-US has no key"), "said once, at the series: {e}");
}

#[test]
fn series_with_no_points_or_a_non_numeric_value_is_located() {
    let dir = shipped_copy();
    write(
        dir.path(),
        "data/series/extra.yaml",
        "- id: empty\n  unit: percent\n  period: \"2025\"\n  points: []\n- id: words\n  unit: percent\n  period: \"2025\"\n  points:\n    - {label: us, value: many}\n",
    );
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: invalid YAML (invalid floating point)\n  --> data/series/extra.yaml:9:26"),
        "{}",
        r.stderr
    );
    write(dir.path(), "data/series/extra.yaml", "- id: empty\n  unit: percent\n  period: \"2025\"\n  points: []\n");
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error: series `empty` has no points\n  --> data/series/extra.yaml:1:7"), "{}", r.stderr);
}

#[test]
fn locale_key_typo_and_placeholder_mismatch_are_named() {
    let e = shipped_check_fails("locales/es-MX/common.yaml", "source:", "sourse:");
    assert!(
        e.contains("error: unknown key `common.sourse` in locale es-MX\n  --> locales/es-MX/common.yaml:3:1"),
        "{e}"
    );
    assert!(
        e.contains("locale es-MX is missing key `common.source`") && e.contains("locales/es-MX/common.yaml"),
        "{e}"
    );
    let e = shipped_check_fails(
        "locales/fr-CA/fast-facts.yaml",
        "{trilateral_goods_trade}",
        "{trilateral_goods_trade_earlier}",
    );
    assert!(
        e.contains("error: `fast-facts.trade.body` in fr-CA does not fill `{trilateral_goods_trade}`\n  --> locales/fr-CA/fast-facts.yaml:7:3"),
        "{e}"
    );
    assert!(e.contains("fills `{trilateral_goods_trade_earlier}` twice"), "{e}");
}

#[test]
fn audience_errors_are_located() {
    let e = shipped_check_fails(
        "data/audiences.yaml",
        "documents: [at-a-glance, executive-summary, fast-facts, brief-food-security]",
        "documents: [at-a-glance, executive-summary, fast-facts, brief-food]",
    );
    assert!(e.contains("error: unknown document `brief-food`\n   --> data/audiences.yaml:42:59"), "{e}");
    let e = shipped_check_fails("data/audiences.yaml", "locales: [es-MX, en-US]", "locales: [es-ES, en-US]");
    assert!(e.contains("error: unknown locale `es-ES`\n   --> data/audiences.yaml:22:13"), "{e}");
    assert!(e.contains("known locales are the folders under locales/: en-US, es-MX, fr-CA"), "{e}");
    let e = shipped_check_fails("data/audiences.yaml", "- id: academia", "- id: civil-society");
    assert!(e.contains("error: duplicate audience id `civil-society`\n   --> data/audiences.yaml:46:7"), "{e}");
}

#[test]
fn state_row_with_unknown_code_is_located() {
    let e = shipped_check_fails("data/states.yaml", "- code: ia", "- code: zz");
    assert!(e.contains("error: unknown state code `zz`\n   --> data/states.yaml:26:9"), "{e}");
}

#[cfg(unix)]
#[test]
fn written_pdfs_are_readable_by_everyone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = fixture("mini");
    assert_eq!(briefs(dir.path(), &["build", "--locale", "en-US"]).code, 0);
    for f in ["out/en-US/general/note.pdf", "out/manifest.json"] {
        let mode = std::fs::metadata(dir.path().join(f)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{f} has mode {mode:o}");
    }
}

// --- command line ---------------------------------------------------------------------------

/// A build not on a terminal prints one summary line; `-v` adds a line per document in matrix order; `-q` nothing.
#[test]
fn build_output_is_one_line_unless_asked() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("built 2 document(s): 2 written, 0 unchanged, 0 failed;"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "no progress lines off a terminal: {}", r.stderr);
    // Nothing to do: still the one line.
    let r = briefs(dir.path(), &["build"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    assert!(r.stdout.starts_with("built 2 document(s): 0 written, 2 unchanged"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let r = briefs(dir.path(), &["build", "--force", "-v"]);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(
        lines,
        ["[1/2] typeset en-US/general/note.pdf (1 pages)", "[2/2] typeset fr-CA/general/note.pdf (1 pages)"],
        "in matrix order"
    );
    let r = briefs(dir.path(), &["build", "--force", "-q"]);
    assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""));
}

/// The project is found from a subfolder, as cargo finds its manifest; the out folder is the project's.
#[test]
fn the_project_is_found_from_a_subfolder() {
    let dir = fixture("mini");
    let r = briefs(&dir.path().join("locales/fr-CA"), &["build", "--locale", "fr-CA"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(dir.path().join("out/fr-CA/general/note.pdf").is_file());
    assert!(!dir.path().join("locales/fr-CA/out").exists());
}

/// A selection that matches nothing says which audience lacks what.
#[test]
fn an_empty_selection_says_why() {
    let dir = shipped_copy();
    let r = briefs(dir.path(), &["build", "--audience", "mx-government", "--locale", "fr-CA"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: the selection matches no document\nhint: audience mx-government has no locale fr-CA (it has es-MX, en-US)"), "{}", r.stderr);
    assert!(!r.stderr.contains("-->"), "an application error has no file location: {}", r.stderr);
    let r = briefs(dir.path(), &["build", "--audience", "civil-society", "--doc", "brief-auto"]);
    assert!(r.stderr.contains("audience civil-society has no document brief-auto"), "{}", r.stderr);
}

/// An impossible edition date is refused where it is written, by `check` and `check --final`.
#[test]
fn an_impossible_date_is_refused_in_edition_yaml() {
    let dir = fixture("mini");
    edit(dir.path(), "data/edition.yaml", "date: \"2026-04-01\"", "date: \"2026-02-30\"");
    for args in [&["check"][..], &["check", "--final"]] {
        let r = briefs(dir.path(), args);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("error: invalid date (`2026-02-30` is not a date of the calendar"), "{}", r.stderr);
        assert!(r.stderr.contains("--> data/edition.yaml:3:7"), "{}", r.stderr);
    }
}

/// The help a user reads: the subcommands, and a build's flags (one definition, `BuildArgs`).
#[test]
fn help_is_snapshotted() {
    let dir = fixture("mini");
    for (name, args) in [("help", &["--help"][..]), ("build_help", &["build", "--help"][..])] {
        let r = briefs(dir.path(), args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        insta::assert_snapshot!(name, r.stdout);
    }
}

/// Shell completions and the manual page come from the same definition as the flags.
#[test]
fn completions_and_man_page_are_printed() {
    let dir = tempfile::tempdir().unwrap();
    let r = briefs(dir.path(), &["completions", "bash"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("_briefs()") && r.stdout.contains("--emit-typst"), "{}", r.stdout);
    let r = briefs(dir.path(), &["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(".ie") || r.stdout.contains(".TH briefs"), "{}", r.stdout);
    assert!(r.stdout.contains("completions"), "the subcommands are listed");
}

/// A July edition says July everywhere: no locale text types the edition's month and year, and one that does
/// is warned about.
#[test]
fn a_july_edition_prints_no_april() {
    let dir = shipped_copy();
    // A date that disagrees with the edition's id and title is refused, at the lines to fix.
    edit(dir.path(), "data/edition.yaml", "2026-04-", "2026-07-");
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error: the edition's id `2026-04` says 2026-04, but its date is 2026-07-01 (July 2026)\n  --> data/edition.yaml:2:5"), "{}", r.stderr);
    assert!(
        r.stderr.contains("error: the edition's title `April 2026 update` says April, but its date is 2026-07-01"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("write id `2026-07`, title `July 2026 update`"), "{}", r.stderr);
    edit(dir.path(), "data/edition.yaml", "\"2026-04\"", "\"2026-07\"");
    edit(dir.path(), "data/edition.yaml", "April 2026 update", "July 2026 update");
    // The update's own entry among the sources still has April's title: documents would cite the old edition.
    let r = briefs(dir.path(), &["check"]);
    assert!(r.stderr.contains("error: source `tnap` is the update itself, but its title `April 2026 update` is another edition's; this edition is `July 2026 update`\n  --> data/sources.yaml:4:7"), "{}", r.stderr);
    edit(dir.path(), "data/sources.yaml", "  title: April 2026 update", "  title: July 2026 update");
    let r = briefs(dir.path(), &["build", "--audience", "general", "--doc", "executive-summary,fast-facts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (tag, april, july) in [
        ("en-US", "April 2026", "July 2026"),
        ("es-MX", "abril de 2026", "julio de 2026"),
        ("fr-CA", "avril 2026", "juillet 2026"),
    ] {
        for doc in ["executive-summary", "fast-facts"] {
            let text = pdf_text(&dir.path().join(format!("out/{tag}/general/{doc}.pdf"))).replace('\u{a0}', " ");
            assert!(!text.to_lowercase().contains(april), "{tag} {doc} says {april}");
            assert!(text.to_lowercase().contains(&july.to_lowercase()), "{tag} {doc} lacks {july}");
        }
    }
    edit(dir.path(), "locales/en-US/fast-facts.yaml", "title:", "title: July 2026 —");
    let r = briefs(dir.path(), &["check"]);
    assert!(r.stderr.contains("writes the edition's month and year (`July 2026`) literally"), "{}", r.stderr);
    assert!(r.stderr.contains("write `{month_year}`"), "{}", r.stderr);
    // At the words' own line and column, and a full date ("1 juillet 2026") is another date, not the edition's.
    assert!(r.stderr.contains("--> locales/en-US/fast-facts.yaml:5:10"), "{}", r.stderr);
    edit(dir.path(), "locales/fr-CA/fast-facts.yaml", "title:", "title: Depuis le 1er juillet 2026 —");
    let r = briefs(dir.path(), &["check"]);
    assert!(!r.stderr.contains("in fr-CA writes the edition's month"), "{}", r.stderr);
}

/// Drafted texts are marked in drafts, listed by `check --i18n`, and refused by final builds until approved.
#[test]
fn drafted_texts_are_marked_listed_and_refused_until_approved() {
    let dir = fixture("mini");
    write(dir.path(), "locales/drafted.yaml", "- key: note.body\n  why: written for the test\n");
    let r = briefs(dir.path(), &["check", "--i18n"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("drafted texts (0 of 1 approved; locales/drafted.yaml):"), "{}", r.stdout);
    assert!(r.stdout.contains("to approve note.body"), "{}", r.stdout);
    let r = briefs(dir.path(), &["build", "--locale", "en-US", "--emit-typst", "typ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let typ = std::fs::read_to_string(dir.path().join("typ/en-US/general/note.typ")).unwrap();
    assert!(typ.contains("#drafted[#text(hyphenate: false)[Laredo]; handled over"), "{typ}");
    let r = briefs(dir.path(), &["check", "--final"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: drafted text `note.body` is not approved (written for the test)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--> locales/drafted.yaml:1:8"), "{}", r.stderr);
    write(dir.path(), "locales/drafted.yaml", "- key: note.body\n  why: written for the test\n  approved: true\n");
    let r = briefs(dir.path(), &["check", "--final"]);
    assert!(!r.stderr.contains("drafted text"), "{}", r.stderr);
    // A key that names nothing is an error: the drafted text would go unmarked.
    write(dir.path(), "locales/drafted.yaml", "- key: note.bdoy\n  why: typo\n");
    let r = briefs(dir.path(), &["check"]);
    assert!(
        r.stderr.contains("error: `note.bdoy` names no en-US text\n  --> locales/drafted.yaml:1:8"),
        "{}",
        r.stderr
    );
}

#[test]
fn citations_carry_their_years_beside_each_claim() {
    let dir = shipped_build(&["--doc", "brief-co-production,brief-auto", "--audience", "general"]);
    let out = dir.path().join("out");
    let text = |locale: &str, doc: &str| normalize(&pdf_text(&out.join(format!("{locale}/general/{doc}.pdf"))));
    let en = text("en-US", "brief-co-production");
    for cite in ["(OECD, 2017)", "(McKinsey & Company)", "(Wilson Quarterly, 2023)", "(Brookings, 2024)", "(CRS, 2018)"]
    {
        let cite = cite.replace(", 2", ",\u{a0}2");
        assert!(en.contains(&cite), "missing {cite:?} in the co-production brief");
    }
    assert!(en.contains("trade disputes (OECD,\u{a0}2017). During"), "{en}");
    // Each claim keeps its source beside it: no note pools the five sources any more.
    assert!(!en.contains("Also cited: OECD") && !en.contains("Wilson Quarterly; "), "{en}");
    let auto = text("en-US", "brief-auto");
    for cite in [
        "USMCA trade (OEC,\u{a0}2024).",
        "supply chain (2024,\u{a0}USTR and USITC).",
        "(2024,\u{a0}AMIA)",
        "(USITC,\u{a0}2024)",
        "(2023,\u{a0}StatCan and USITC)",
    ] {
        assert!(auto.contains(cite), "missing {cite:?} in the auto brief");
    }
    let es = text("es-MX", "brief-auto") + &text("es-MX", "brief-co-production");
    assert!(es.contains("(2024,\u{a0}USTR y USITC)") && es.contains("(OCDE,\u{a0}2017)"), "{es}");
    let fr = text("fr-CA", "brief-auto");
    assert!(fr.contains("(2023,\u{a0}StatCan et USITC)"), "{fr}");
}

#[test]
fn a_citation_of_an_unknown_source_is_located_with_a_suggestion() {
    let e =
        shipped_check_fails("locales/en-US/brief-co-production.yaml", "{brookings_2024|cite}", "{brookings_2042|cite}");
    assert!(
        e.contains(
            "`brief-co-production.who.body` in en-US uses `{brookings_2042|cite}`, which cites no known source or fact"
        ),
        "{e}"
    );
    assert!(e.contains("--> locales/en-US/brief-co-production.yaml:9:"), "{e}");
    assert!(e.contains("did you mean `{brookings_2024|cite}`?"), "{e}");
    let e = shipped_check_fails("locales/fr-CA/brief-co-production.yaml", " {crs_2018|cite}", "");
    assert!(e.contains("`brief-co-production.who.body` in fr-CA does not fill `{crs_2018|cite}`"), "{e}");
}

/// A line of one size as a PDF page sets it: its text (no-break spaces as spaces), baseline and size.
#[derive(Debug, Clone)]
struct PageLine {
    page: u32,
    y: f64,
    size: f64,
    text: String,
}

/// The lines of a PDF, by page and then top to bottom; characters of one size on one baseline make a line, in the
/// order the PDF draws them.
fn page_lines(pdf: &std::path::Path) -> Vec<PageLine> {
    let mut lines: Vec<(PageLine, Vec<PdfChar>)> = Vec::new();
    for c in pdf_chars(pdf) {
        let same = |l: &PageLine| l.page == c.page && (l.size - c.size).abs() < 0.2 && (l.y - c.y).abs() < c.size * 0.5;
        match lines.iter_mut().find(|(l, _)| same(l)) {
            Some((_, chars)) => chars.push(c),
            None => lines.push((PageLine { page: c.page, y: c.y, size: c.size, text: String::new() }, vec![c])),
        }
    }
    let mut out: Vec<PageLine> = lines
        .into_iter()
        .map(|(mut l, chars)| {
            // In the order the PDF draws them (pdf-extract reads no glyph widths for Typst's subset fonts).
            let text: String = chars.iter().map(|c| c.text.as_str()).collect();
            l.text = text.replace('\u{a0}', " ").split_whitespace().collect::<Vec<_>>().join(" ");
            l
        })
        .collect();
    out.sort_by(|a, b| (a.page, a.y).partial_cmp(&(b.page, b.y)).unwrap());
    out
}

/// Under every chart of every document, in every locale, there is exactly one line "Note: …. Source: ….": one
/// source heading, a note heading only before it, a period at its end, and no second note or source line under it.
#[test]
fn every_chart_has_exactly_one_note_and_source_line() {
    let dir = general_build();
    let tidy = |s: &str| s.replace(['\u{a0}', '\u{202f}'], " ").replace('’', "'");
    for tag in ["en-US", "es-MX", "fr-CA"] {
        let common = locale_yaml(tag, "common");
        let sep = if tag == "fr-CA" { " :" } else { ":" };
        let word = |v: &serde_json::Value| format!("{}{sep}", v.as_str().unwrap());
        let sources = [word(&common["source"]), word(&common["sources"])];
        let heads = [sources[0].clone(), sources[1].clone(), word(&common["also_cited"])];
        let note = word(&locale_yaml(tag, "chart-text")["note"]);
        let charts = locale_yaml(tag, "charts");
        let mut found = std::collections::BTreeMap::<String, usize>::new();
        // Every document of the audience, its meeting pack too.
        let pdfs: Vec<std::path::PathBuf> = snapshot_dir(&dir.join(format!("out/{tag}/general")))
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        assert!(pdfs.len() >= 7, "{tag}: {pdfs:?}");
        for pdf in &pdfs {
            let doc = pdf.file_stem().unwrap().to_string_lossy();
            let lines = page_lines(pdf);
            for (id, words) in charts.as_object().unwrap() {
                let title = tidy(words["title"].as_str().unwrap());
                let start: String = title.chars().take(24).collect();
                let sub: String = tidy(words["subtitle"].as_str().unwrap()).chars().take(16).collect();
                // A chart's title: a line opening with its words (or its first line, in the sidebar's narrow
                // measure), followed by its subtitle (a paragraph could open with the same words).
                let is_title = |i: usize, l: &PageLine| {
                    let text = tidy(&l.text);
                    (text.starts_with(&start) || (text.chars().count() >= 12 && title.starts_with(text.trim_end())))
                        && l.size > 9.5
                        && lines[i + 1..].iter().find(|n| n.size < 9.5).is_some_and(|n| tidy(&n.text).starts_with(&sub))
                };
                for (i, t) in lines.iter().enumerate().filter(|(i, l)| is_title(*i, l)) {
                    let what = format!("{tag} {doc} {id}");
                    // The figure's line: the first small line after the title that opens with a note or source heading.
                    let first = lines[i + 1..]
                        .iter()
                        .position(|l| {
                            l.page == t.page
                                && l.size < 8.5
                                && (l.text.starts_with(&note) || sources.iter().any(|s| l.text.starts_with(s)))
                        })
                        .map(|k| i + 1 + k)
                        .unwrap_or_else(|| panic!("{what}: no note or source line under the chart"));
                    // Its lines: those of its size that follow it closely (the body text beside a note in the sidebar is
                    // of another size, and skipped).
                    let small = |l: &PageLine| l.page == t.page && (l.size - lines[first].size).abs() < 0.2;
                    let mut held = vec![first];
                    let mut end = first;
                    while let Some(k) = (end + 1..lines.len()).find(|&k| small(&lines[k]))
                        && lines[k].y - lines[end].y < lines[first].size * 1.9
                    {
                        held.push(k);
                        end = k;
                    }
                    let line: String = held.iter().map(|&k| lines[k].text.as_str()).collect::<Vec<_>>().join(" ");
                    let count = |h: &str| line.matches(h).count();
                    // Charts side by side (the one-sheet's back) have their titles, and their lines, on the same
                    // baselines: one source heading for each.
                    let opening =
                        |w: &serde_json::Value| tidy(w["title"].as_str().unwrap()).chars().take(24).collect::<String>();
                    // (A title whose first line is shorter than its opening, in the sidebar, is one chart's.)
                    let side_by_side = charts
                        .as_object()
                        .unwrap()
                        .values()
                        .filter(|w| tidy(&t.text).contains(&opening(w)))
                        .count()
                        .max(1);
                    assert_eq!(
                        count(&sources[0]) + count(&sources[1]),
                        side_by_side,
                        "{what}: one source heading for each of {side_by_side} chart(s) in {line:?}"
                    );
                    assert!(count(&note) <= 1 && (count(&note) == 0 || line.starts_with(&note)), "{what}: {line:?}");
                    assert!(line.ends_with('.'), "{what}: {line:?}");
                    // Nothing else of a note's size right under it opens with a heading.
                    if let Some(next) = lines[end + 1..]
                        .iter()
                        .find(|l| l.page == t.page && l.size < 8.5)
                        .filter(|l| l.y - lines[end].y < lines[first].size * 3.0)
                    {
                        assert!(
                            !heads.iter().any(|h| next.text.starts_with(h.as_str())) && !next.text.starts_with(&note),
                            "{what}: a second line under the chart: {line:?} then {:?}",
                            next.text
                        );
                    }
                    *found.entry(id.clone()).or_default() += 1;
                }
            }
        }
        let missing: Vec<&String> = charts.as_object().unwrap().keys().filter(|id| !found.contains_key(*id)).collect();
        assert!(missing.is_empty(), "{tag}: charts found in no document: {missing:?} (found {found:?})");
    }
}

/// The palette is one of every document's inputs: a page colour changed in templates/palette.yaml rebuilds the
/// documents, and a colour that is not one is refused with its place.
#[test]
fn a_palette_change_rebuilds_and_a_bad_colour_is_located() {
    let dir = shipped_copy();
    let sel = ["build", "--locale", "en-US", "--audience", "general", "--doc", "executive-summary"];
    assert_eq!(briefs(dir.path(), &sel).code, 0);
    let again = briefs(dir.path(), &sel);
    assert!(again.stdout.contains("0 written, 1 unchanged"), "{}", again.stdout);
    edit(dir.path(), "templates/palette.yaml", "panel: \"#F3F5FA\"", "panel: \"#F2F4F9\"");
    let changed = briefs(dir.path(), &sel);
    assert!(changed.stdout.contains("1 written, 0 unchanged"), "{}", changed.stdout);
    edit(dir.path(), "templates/palette.yaml", "mexico: \"#3DAA7D\"", "mexico: \"green\"");
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    let text = std::fs::read_to_string(dir.path().join("templates/palette.yaml")).unwrap();
    let line = text.lines().position(|l| l.contains("mexico: \"green\"")).unwrap() + 1;
    let at = format!("--> templates/palette.yaml:{line}:11");
    assert!(r.stderr.contains("error: colour `mexico` is `green`, not a hex colour"), "{}", r.stderr);
    assert!(r.stderr.contains(&at), "{at} in {}", r.stderr);
}

/// A unit is data: a project adds tonnes with a pattern per locale, and no code changes.
#[test]
fn a_unit_the_project_declares_is_written_by_each_locale() {
    let dir = fixture("mini");
    let root = dir.path();
    let units = std::fs::read_to_string(repo().join("data/units.yaml")).unwrap() + "- {id: tonnes, format: count}\n";
    write(root, "data/units.yaml", &units);
    let facts = std::fs::read_to_string(root.join("data/facts/trade.yaml")).unwrap()
        + "- id: steel_exports\n  value: 48375\n  unit: tonnes\n  period: \"2025\"\n  sources: [bts]\n";
    write(root, "data/facts/trade.yaml", &facts);
    edit(root, "locales/en-US/note.yaml", "(More below.)", "Steel: {steel_exports}. (More below.)");
    edit(root, "locales/fr-CA/note.yaml", "des importations.", "des importations. Acier : {steel_exports}.");
    edit(root, "locales/en-US/locale.yaml", "date: \"{}\"}", "date: \"{}\", tonnes: \"{} tonnes\"}");
    // fr-CA has no pattern for tonnes yet: named, with what to write.
    let r = briefs(root, &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: locale fr-CA has no pattern for unit `tonnes`\n  --> locales/fr-CA/locale.yaml:4"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("add `tonnes: \"{}\"` under `units:`"), "{}", r.stderr);
    edit(root, "locales/fr-CA/locale.yaml", "date: \"{}\"}", "date: \"{}\", tonnes: \"{}\\u00a0t\"}");
    let r = briefs(root, &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = |tag: &str| pdf_text(&root.join(format!("out/{tag}/general/note.pdf")));
    assert!(text("en-US").contains("Steel: 48,375\u{a0}tonnes."), "{}", text("en-US"));
    assert!(text("fr-CA").contains("48\u{a0}375\u{a0}t."), "{}", text("fr-CA"));
    // A fact in a unit nobody declared is located, with a suggestion.
    edit(root, "data/facts/trade.yaml", "unit: tonnes", "unit: tonne");
    let r = briefs(root, &["check"]);
    assert!(r.stderr.contains("unknown unit `tonne`: did you mean `tonnes`?"), "{}", r.stderr);
}
