//! Integration tests: the real binary on fixture projects and on a copy of the shipped project.

mod common;

use common::*;

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
    assert!(en.contains("USD 296.2 billion"), "{en}");
    assert!(en.contains("48,375"), "{en}");
    assert!(en.contains("32.7%"), "{en}");
    assert!(en.contains("Sources: BTS; INEGI."), "{en}");
    let fr = mini_pdf_text("fr-CA");
    assert!(fr.contains("296,2 milliards $ US"), "{fr}");
    assert!(fr.contains("48 375"), "{fr}");
    assert!(fr.contains("32,7 %"), "{fr}");
}

#[test]
fn injection_strings_print_literally() {
    let en = mini_pdf_text("en-US");
    for s in ["#panic(\"x\")", "$x$", "#read(\"/etc/passwd\")", "// not a comment", "*not bold*", "@ref <label> [b] \\ back"] {
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

#[test]
fn manifest_lists_every_document() {
    let dir = fixture("mini");
    assert_eq!(briefs(dir.path(), &["build"]).code, 0);
    let m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(m["edition"], "2026-04");
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    for d in docs {
        let path = dir.path().join("out").join(d["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(d["bytes"].as_u64().unwrap() as usize, bytes.len());
        assert!(d["pages"].as_u64().unwrap() >= 1);
        assert_eq!(d["sha256"].as_str().unwrap().len(), 64);
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
    bad_input("data/facts/trade.yaml", "- id: a\n  value: [1\n", &["data/facts/trade.yaml:", "invalid YAML"]);
}

#[test]
fn wrong_type_is_located() {
    bad_input(
        "data/facts/trade.yaml",
        "- id: a\n  value: lots\n  unit: usd\n  period: \"2025\"\n  sources: [bts]\n",
        &["data/facts/trade.yaml:2:", "invalid YAML"],
    );
}

#[test]
fn unknown_key_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  publisher: X\n  publsher: typo\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
        &["data/sources.yaml:4:", "unknown field", "publsher"],
    );
}

#[test]
fn duplicate_key_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  short: B\n  publisher: X\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
        &["data/sources.yaml:3:", "duplicate"],
    );
}

#[test]
fn duplicate_id_is_located() {
    bad_input(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  publisher: X\n- id: bts\n  short: B\n  publisher: Y\n- id: inegi\n  short: INEGI\n  publisher: Z\n",
        &["data/sources.yaml:4:", "duplicate source id `bts`"],
    );
}

#[test]
fn missing_source_is_located() {
    bad_input(
        "data/facts/extra.yaml",
        "- id: extra\n  value: 1\n  unit: count\n  period: \"2025\"\n  sources: [nowhere]\n",
        &["data/facts/extra.yaml:5:", "unknown source `nowhere`"],
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let dir = fixture("mini");
    write(dir.path(), "data/facts/extra.yaml", "- id: extra\n  value: 1\n  unit: count\n  period: \"2025\"\n  sources: [nowhere, elsewhere]\n");
    let r = briefs(dir.path(), &["check"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown source `nowhere`") && r.stderr.contains("unknown source `elsewhere`"), "{}", r.stderr);
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
