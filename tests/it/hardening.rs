//! Hardening: every error path gives a located, actionable message, exit code 1, no panic and leaves `out/`
//! byte-identical; templates and Typst cannot read outside the project; `--final` refuses what it must and
//! writes PDF/A-2a + PDF/UA-1.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// The mini fixture's note template up to its source note (7 lines), so an added line is line 8.
const NOTE_HEAD: &str = "#import \"/house.typ\": *\n\
#show: brief.with(title: {{ plain(\"common.title\") | str }}, lang: {{ locale.lang | str }}, region: {{ locale.region | str }})\n\
\n\
= {{ t(\"common.title\") }}\n\
{{ t(\"note.body\") }}\n\
{{ t(\"note.injection\") }}\n\
{{ sources() }}\n";

/// The note template with `line` added as line 8.
fn note_with(line: &str) -> String {
    format!("{NOTE_HEAD}{line}\n")
}

/// Appends text to a project file (house.typ has 10 lines, so the first appended line is line 11).
fn append(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    let mut s = std::fs::read_to_string(&p).unwrap();
    s.push_str(text);
    std::fs::write(p, s).unwrap();
}

/// Asserts a run failed cleanly: exit code 1, every expected piece in stderr, no panic or abort.
fn assert_fails(r: &Run, expect: &[&str]) {
    assert_eq!(r.code, 1, "expected exit 1, got {}:\n{}", r.code, r.stderr);
    for e in expect {
        assert!(r.stderr.contains(e), "expected {e:?} in:\n{}", r.stderr);
    }
    for bad in ["panicked", "overflowed its stack", "RUST_BACKTRACE"] {
        assert!(!r.stderr.contains(bad), "{bad}:\n{}", r.stderr);
    }
}

/// A mini fixture copy that has been built once, with a snapshot of its `out/`.
fn built_mini() -> (tempfile::TempDir, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = snapshot_dir(&dir.path().join("out"));
    assert!(!before.is_empty());
    (dir, before)
}

/// Builds the mini fixture, lets `change` break it, then expects `check` (if `check` is set) and `build` to
/// fail with every piece of `expect` and `out/` to be byte-identical to before.
fn breaks(change: impl FnOnce(&Path), check: bool, expect: &[&str]) -> String {
    let (dir, before) = built_mini();
    change(dir.path());
    if check {
        assert_fails(&briefs(dir.path(), &["check"]), expect);
    }
    let build = briefs(dir.path(), &["build", "--force"]);
    assert_fails(&build, expect);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before, "a failed build changed out/");
    build.stderr
}

/// Writes `text` into `rel` of a built mini fixture and expects check and build to fail with `expect`.
fn bad_file(rel: &str, text: &str, expect: &[&str]) -> String {
    breaks(|root| write(root, rel, text), true, expect)
}

/// A fact entry with the given value as written in YAML.
fn fact_with_value(value: &str) -> String {
    format!(
        "- id: laredo_freight_2025\n  value: {value}\n  unit: usd\n  period: \"2025\"\n  sources: [bts]\n\
         - id: mfg_jobs_lost_mx\n  value: 48375\n  unit: jobs\n  period: \"2025\"\n  sources: [inegi]\n\
         - id: ag_import_share_mx\n  value: 32.7\n  unit: percent\n  period: \"2025\"\n  sources: [bts]\n"
    )
}

// --- YAML: syntax, types, keys, ids ---------------------------------------------------------------

/// A YAML syntax error in a locale file is reported at its file and line.
#[test]
fn yaml_syntax_error_in_a_locale_file_is_located() {
    bad_file(
        "locales/en-US/note.yaml",
        "body: \"unclosed\ninjection: x\n",
        &["locales/en-US/note.yaml:", "invalid YAML"],
    );
}

/// saphyr's own "line X column Y" prefix is not repeated in the message.
#[test]
fn yaml_error_message_has_no_duplicate_location() {
    let err =
        bad_file("data/facts/trade.yaml", &fact_with_value("[1"), &["data/facts/trade.yaml:2:", "invalid YAML ("]);
    assert!(!err.contains("invalid YAML (error: line"), "{err}");
}

/// An unknown unit is located and the known units are listed.
#[test]
fn unknown_unit_lists_the_units() {
    bad_file(
        "data/facts/trade.yaml",
        &fact_with_value("1").replacen("unit: usd", "unit: dollars", 1),
        &[
            "data/facts/trade.yaml:3:9",
            "unknown unit `dollars`",
            "usd, cad, percent",
            "declare the unit in data/units.yaml (with its format), or use one of the units listed",
        ],
    );
}

/// A string where a number belongs is located.
#[test]
fn wrong_type_for_a_year_is_located() {
    bad_file(
        "data/sources.yaml",
        "- id: bts\n  short: BTS\n  publisher: X\n  year: soon\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
        &["data/sources.yaml:4:", "invalid YAML"],
    );
}

/// `briefs check` on a project with several mistakes in three files: every problem at once, each with its place,
/// an excerpt of the line and a hint, in the order a reader fixes them.
#[test]
fn check_error_output_is_snapshotted() {
    let dir = fixture("mini");
    let root = dir.path();
    write(root, "data/facts/trade.yaml", &fact_with_value("1,200").replacen("unit: usd", "unit: dollars", 1));
    edit(root, "data/audiences.yaml", "documents: [note]", "documents: [notes]");
    append(root, "locales/fr-CA/locale.yaml", "french_spacng: true\n");
    let r = briefs(root, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    insta::assert_snapshot!("check_errors", r.stderr.replace(root.to_str().unwrap(), "[ROOT]"));
}

/// A missing required key is named, with a hint to add it.
#[test]
fn missing_field_says_which() {
    bad_file(
        "data/facts/trade.yaml",
        &fact_with_value("1").replacen("  period: \"2025\"\n", "", 1),
        &["data/facts/trade.yaml:", "missing field `period`", "add `period`"],
    );
}

/// A misspelt key in a fact is located at the key.
#[test]
fn unknown_key_in_a_fact_is_located() {
    bad_file(
        "data/facts/trade.yaml",
        &fact_with_value("1").replacen("  value: 1\n", "  valeu: 1\n", 1),
        &["data/facts/trade.yaml:2:3", "unknown field `valeu`", "check the key's spelling"],
    );
}

/// A misspelt key in locale.yaml is located at the key.
#[test]
fn unknown_key_in_locale_meta_is_located() {
    breaks(
        |root| append(root, "locales/fr-CA/locale.yaml", "french_spacng: true\n"),
        true,
        &["locales/fr-CA/locale.yaml:7:1", "unknown field `french_spacng`"],
    );
}

/// A key written twice in a locale file is located at the second one.
#[test]
fn duplicate_key_in_locale_text_is_located() {
    breaks(
        |root| append(root, "locales/en-US/note.yaml", "body: again\n"),
        true,
        &["locales/en-US/note.yaml:3:1", "duplicate", "each key may appear once"],
    );
}

/// The same fact id in two files names both places.
#[test]
fn duplicate_fact_id_across_files_names_both_places() {
    bad_file(
        "data/facts/x-more.yaml",
        "- id: laredo_freight_2025\n  value: 1\n  unit: usd\n  period: \"2025\"\n  sources: [bts]\n",
        &[
            "data/facts/x-more.yaml:1:7",
            "duplicate fact id `laredo_freight_2025`",
            "first declared at data/facts/trade.yaml:1:7",
        ],
    );
}

/// A file that fails to load does not drown its own error in "unknown id" errors.
#[test]
fn a_broken_file_does_not_cascade_into_unknown_references() {
    // sources.yaml fails to parse: the facts citing its ids must not each report "unknown source".
    let err = bad_file("data/sources.yaml", "- id: bts\n  short: [\n", &["data/sources.yaml:", "invalid YAML"]);
    assert!(!err.contains("unknown source"), "{err}");
}

// --- unknown references (unknown source and --locale are in tests/it/suite.rs) ------------------------

/// An audience naming an unknown document is located at the name.
#[test]
fn unknown_document_in_audience_is_located() {
    bad_file(
        "data/audiences.yaml",
        "- id: general\n  locales: [en-US, fr-CA]\n  documents: [note, nope]\n",
        &["data/audiences.yaml:3:21", "unknown document `nope`"],
    );
}

/// An audience naming an unknown locale is located and the known ones listed.
#[test]
fn unknown_locale_in_audience_is_located() {
    bad_file(
        "data/audiences.yaml",
        "- id: general\n  locales: [en-US, de-DE]\n  documents: [note]\n",
        &["data/audiences.yaml:2:20", "unknown locale `de-DE`", "en-US, fr-CA"],
    );
}

/// A placeholder naming no fact is located at its locale key.
#[test]
fn unknown_fact_placeholder_in_locale_text_is_located() {
    breaks(
        |root| edit(root, "locales/en-US/note.yaml", "{ag_import_share_mx}", "{ag_import_share}"),
        true,
        &["locales/en-US/note.yaml:1:1", "uses `{ag_import_share}`, which is not a fact id"],
    );
}

/// Unknown keys, facts and charts asked for by a template are located in the template.
#[test]
fn unknown_key_fact_and_chart_in_template_are_located() {
    for (line, expect) in [
        ("{{ t(\"note.nope\") }}", "locale en-US has no key `note.nope`"),
        ("{{ fact(\"nope\") }}", "unknown fact `nope`"),
        ("{{ chart(\"nope\") }}", "unknown chart `nope`"),
    ] {
        bad_file("templates/note.typ.j2", &note_with(line), &["templates/note.typ.j2:8:4", expect]);
    }
}

// --- empty files, bad bytes, bad numbers --------------------------------------------------------

/// An empty data file is an error naming the file.
#[test]
fn empty_data_file_is_reported() {
    bad_file("data/facts/trade.yaml", "", &["data/facts/trade.yaml", "file is empty"]);
}

/// A locale file holding only comments counts as empty.
#[test]
fn comment_only_locale_file_is_reported() {
    bad_file("locales/fr-CA/note.yaml", "# nothing yet\n\n", &["locales/fr-CA/note.yaml", "file is empty"]);
}

/// A byte that is not UTF-8 is located by line and character column, and shown.
#[test]
fn non_utf8_byte_is_located_by_line_and_character() {
    // `  short: "Bé` is 12 characters (13 bytes): the bad byte is character 13 of line 2.
    breaks(
        |root| {
            std::fs::write(
                root.join("data/sources.yaml"),
                b"- id: bts\n  short: \"B\xc3\xa9\xff\"\n  publisher: X\n- id: inegi\n  short: INEGI\n  publisher: Y\n",
            )
            .unwrap()
        },
        true,
        &["data/sources.yaml:2:13", "not valid UTF-8 (byte 0xFF)", "save the file as UTF-8"],
    );
}

/// Bad bytes in locale files, templates and house.typ are located too.
#[test]
fn non_utf8_locale_template_and_layout_are_located() {
    breaks(
        |root| std::fs::write(root.join("locales/en-US/common.yaml"), b"title: Test\xe9 note\n").unwrap(),
        true,
        &["locales/en-US/common.yaml:1:12", "not valid UTF-8 (byte 0xE9)"],
    );
    breaks(
        |root| {
            let mut bytes = NOTE_HEAD.as_bytes().to_vec();
            bytes.extend_from_slice(b"caf\xe9\n");
            std::fs::write(root.join("templates/note.typ.j2"), bytes).unwrap()
        },
        true,
        &["templates/note.typ.j2:8:4", "not valid UTF-8 (byte 0xE9)"],
    );
    breaks(
        |root| {
            let mut bytes = std::fs::read(root.join("templates/house.typ")).unwrap();
            bytes.extend_from_slice(b"// caf\xe9\n");
            std::fs::write(root.join("templates/house.typ"), bytes).unwrap()
        },
        true,
        &["templates/house.typ:11:7", "not valid UTF-8 (byte 0xE9)"],
    );
}

/// `.nan` and `.inf` are refused where they are written.
#[test]
fn nan_and_infinity_are_refused() {
    for (v, msg) in [
        (".nan", "not a finite number (NaN)"),
        (".inf", "not a finite number (inf)"),
        ("-.Inf", "not a finite number (-inf)"),
    ] {
        bad_file("data/facts/trade.yaml", &fact_with_value(v), &["data/facts/trade.yaml:2:10", msg]);
    }
}

/// Numbers beyond f64 (1e400) and implausibly large figures are refused.
#[test]
fn numbers_beyond_f64_and_implausible_ones_are_refused() {
    bad_file(
        "data/facts/trade.yaml",
        &fact_with_value("1e400"),
        &[
            "data/facts/trade.yaml:2:10",
            "has `1e400` where a number belongs",
            "beyond the largest number a figure can hold",
        ],
    );
    bad_file(
        "data/facts/trade.yaml",
        &fact_with_value("2.962e20"),
        &["data/facts/trade.yaml:2:10", "implausibly large"],
    );
}

/// A series without points is refused.
#[test]
fn empty_series_is_refused() {
    bad_file(
        "data/series/trade.yaml",
        "- id: freight\n  unit: usd\n  period: \"2025\"\n  sources: [bts]\n  points: []\n",
        &["data/series/trade.yaml:1:7", "series `freight` has no points"],
    );
}

// --- templates ------------------------------------------------------------------------------

/// A template syntax error names templates/<file>:line:col.
#[test]
fn template_syntax_error_names_template_line_and_column() {
    bad_file(
        "templates/note.typ.j2",
        &note_with("{{ 1 + }}"),
        &["templates/note.typ.j2:8:8", "template error (unexpected end of variable block)", "fix the template syntax"],
    );
}

/// An undefined variable is an error (strict mode) naming the expression.
#[test]
fn undefined_variable_is_an_error_naming_the_expression() {
    bad_file(
        "templates/note.typ.j2",
        &note_with("{{ doc.titel }}"),
        &["templates/note.typ.j2:8:4", "undefined value: `doc.titel`", "README.md's template reference"],
    );
}

/// Endless loops, huge ranges and recursion in templates stop quickly with a named template.
#[test]
fn endless_template_loops_run_out_of_fuel_quickly() {
    let start = Instant::now();
    bad_file(
        "templates/note.typ.j2",
        &note_with("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"),
        &["templates/note.typ.j2:8:", "template ran out of fuel", "loop runs too long"],
    );
    bad_file(
        "templates/note.typ.j2",
        &note_with("{% for i in range(100000000) %}{% endfor %}"),
        &["templates/note.typ.j2:8:", "range has too many elements"],
    );
    bad_file(
        "templates/note.typ.j2",
        &note_with("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}"),
        &["templates/note.typ.j2:8:", "recursion limit exceeded"],
    );
    assert!(start.elapsed() < Duration::from_secs(120), "took {:?}", start.elapsed());
}

// --- Typst ----------------------------------------------------------------------------------

/// A Typst error in house.typ points at templates/house.typ:line:col.
#[test]
fn typst_error_in_layout_points_at_house_typ() {
    breaks(
        |root| append(root, "templates/house.typ", "#let y = nonesuch\n"),
        false,
        &["templates/house.typ:11:10", "typst: unknown variable: nonesuch", "fix templates/house.typ"],
    );
}

/// `check` finds Typst syntax errors in house.typ.
#[test]
fn typst_syntax_error_in_layout_is_found_by_check() {
    breaks(
        |root| append(root, "templates/house.typ", "#let y = 1 +\n"),
        true,
        &["templates/house.typ:11:13", "expected expression"],
    );
}

/// A Typst error in generated code is traced to its template line, reported once for every document it affects,
/// and says where to see the generated source.
#[test]
fn typst_error_in_generated_code_names_template_line_documents_and_emit_typst() {
    let err = breaks(
        |root| write(root, "templates/note.typ.j2", &note_with("#text(size: 3)[x]")),
        false,
        &[
            "error: typst: expected length, found integer (in `#text(size: 3)[x]`)",
            "--> templates/note.typ.j2:8:13",
            "8 | #text(size: 3)[x]",
            "in 2 documents: en-US general note, fr-CA general note",
            "the generated source is DIR/en-US/general/note.typ at line 8, column 13 after `briefs build --emit-typst DIR`",
        ],
    );
    assert!(err.contains("did you mean 3pt"), "Typst's own hint is kept: {err}");
    assert_eq!(err.matches("expected length, found integer").count(), 1, "reported once, not per document: {err}");
}

/// A Typst error in a line made by a template expression (not traceable to one line) names the template and
/// quotes the generated line.
#[test]
fn typst_error_from_a_template_expression_names_the_template_and_the_generated_line() {
    let err = breaks(
        |root| {
            write(root, "templates/note.typ.j2", &note_with("{{ \"#text(size: 3)[x]\" | safe }}"));
        },
        false,
        &[
            "error: typst: expected length, found integer (in `#text(size: 3)[x]`)\n  --> templates/note.typ.j2\n",
            "DIR/en-US/general/note.typ at line 8, column 13",
        ],
    );
    assert_eq!(err.matches("error: typst:").count(), 1, "reported once: {err}");
}

/// `check` finds Typst syntax errors in generated code, with the line.
#[test]
fn typst_syntax_error_in_generated_code_is_found_by_check() {
    bad_file(
        "templates/note.typ.j2",
        &note_with("#let z = ("),
        &[
            "--> templates/note.typ.j2:8:10",
            "typst: unclosed delimiter (in `#let z = (`)",
            "DIR/en-US/general/note.typ at line 8, column 10 after `briefs build --emit-typst DIR`",
        ],
    );
}

/// Endless Typst recursion is an error, not a stack overflow.
#[test]
fn endless_typst_recursion_is_an_error_not_a_crash() {
    breaks(
        |root| write(root, "templates/note.typ.j2", &note_with("#let f(n) = f(n + 1)\n#f(0)")),
        false,
        &["templates/note.typ.j2:8:13", "typst: maximum function call depth exceeded (in `#let f(n) = f(n + 1)`)"],
    );
}

// --- fonts and the out folder --------------------------------------------------------------

/// A missing fonts/ folder is reported as missing.
#[test]
fn missing_fonts_folder_is_reported() {
    breaks(
        |root| std::fs::remove_dir_all(root.join("fonts")).unwrap(),
        true,
        &["fonts", "the fonts/ folder is missing"],
    );
}

/// A fonts/ folder without fonts is reported as empty.
#[test]
fn empty_fonts_folder_is_reported() {
    breaks(
        |root| {
            std::fs::remove_dir_all(root.join("fonts")).unwrap();
            std::fs::create_dir(root.join("fonts")).unwrap();
            std::fs::write(root.join("fonts/README.txt"), "fonts go here").unwrap();
        },
        true,
        &["the fonts/ folder holds no .ttf or .otf file"],
    );
}

/// A .ttf file that is no font is named.
#[test]
fn a_file_that_is_not_a_font_is_reported() {
    breaks(
        |root| write(root, "fonts/broken.ttf", "not a font"),
        true,
        &["fonts/broken.ttf", "not a font Typst can read"],
    );
}

/// `--out` at or under a regular file is refused before any typesetting.
#[test]
fn out_pointing_at_a_file_is_refused_before_typesetting() {
    let dir = fixture("mini");
    write(dir.path(), "afile", "keep me");
    for out in ["afile", "afile/sub"] {
        let r = briefs(dir.path(), &["build", "--out", out]);
        assert_fails(&r, &["cannot write into", "afile is a file, not a folder", "--out DIR"]);
        assert!(!r.stderr.contains("typeset"), "refused before typesetting: {}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(dir.path().join("afile")).unwrap(), "keep me");
}

/// When one PDF cannot be written, no other PDF is replaced and no temp file is left.
#[test]
fn unwritable_place_in_out_writes_nothing_at_all() {
    // en-US could be written but fr-CA cannot: no PDF may be replaced, not even en-US's.
    let (dir, _) = built_mini();
    let out = dir.path().join("out");
    std::fs::remove_dir_all(out.join("fr-CA")).unwrap();
    std::fs::write(out.join("fr-CA"), "in the way").unwrap();
    let before = snapshot_dir(&out);
    edit(dir.path(), "data/facts/trade.yaml", "value: 296.2e9", "value: 297.5e9");
    let r = briefs(dir.path(), &["build"]);
    assert_fails(&r, &["out/fr-CA is a file, not a folder", "no PDF was written"]);
    assert_eq!(snapshot_dir(&out), before, "a failed build changed out/");
    let leftovers: Vec<_> =
        std::fs::read_dir(out.join("en-US/general")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(leftovers.len(), 1, "temp files left behind: {leftovers:?}");
}

/// A folder where a PDF should go is refused without touching out/.
#[test]
fn folder_where_a_pdf_goes_is_refused() {
    let (dir, _) = built_mini();
    let out = dir.path().join("out");
    std::fs::remove_file(out.join("fr-CA/general/note.pdf")).unwrap();
    std::fs::create_dir(out.join("fr-CA/general/note.pdf")).unwrap();
    let before = snapshot_dir(&out);
    edit(dir.path(), "data/facts/trade.yaml", "value: 296.2e9", "value: 297.5e9");
    assert_fails(&briefs(dir.path(), &["build"]), &["out/fr-CA/general/note.pdf", "a folder has that name"]);
    assert_eq!(snapshot_dir(&out), before);
}

/// Folders a failed build created are removed again.
#[test]
fn new_out_folder_is_removed_again_when_writing_fails() {
    let dir = fixture("mini");
    std::fs::create_dir_all(dir.path().join("fresh")).unwrap();
    write(dir.path(), "fresh/fr-CA", "in the way");
    assert_fails(&briefs(dir.path(), &["build", "--out", "fresh"]), &["fresh/fr-CA is a file, not a folder"]);
    assert!(!dir.path().join("fresh/en-US").exists(), "folders created by the failed build are left");
}

// --- confinement ----------------------------------------------------------------------------

/// Templates cannot include files outside the templates folders.
#[test]
fn templates_cannot_include_files_outside_the_project() {
    for name in ["../../etc/passwd", "/etc/passwd", "../data/sources.yaml"] {
        bad_file(
            "templates/note.typ.j2",
            &note_with(&format!("{{% include \"{name}\" %}}")),
            &["templates/note.typ.j2:8", &format!("template name `{name}` leaves the templates folder")],
        );
    }
    // A locale override is confined the same way.
    bad_file(
        "locales/en-US/templates/note.typ.j2",
        &note_with("{% include \"../../../../etc/passwd\" %}"),
        &["locales/en-US/templates/note.typ.j2:8", "leaves the templates folder"],
    );
}

/// A template that is a symbolic link out of the project is refused.
#[cfg(unix)]
#[test]
fn templates_cannot_follow_symlinks_out_of_the_project() {
    breaks(
        |root| {
            std::os::unix::fs::symlink("/etc/passwd", root.join("templates/passwd.typ.j2")).unwrap();
            write(root, "templates/note.typ.j2", &note_with("{% include \"passwd.typ.j2\" %}"));
        },
        true,
        &["templates/passwd.typ.j2` resolves to a file outside the project"],
    );
}

/// house.typ cannot read or embed any file from disk.
#[test]
fn typst_cannot_read_files_from_disk() {
    for (line, expect) in [
        ("#let x = read(\"/etc/passwd\")\n", "file not found (searched at /etc/passwd)"),
        ("#image(\"/etc/passwd\")\n", "file not found (searched at /etc/passwd)"),
        ("#let x = read(\"../../../etc/passwd\")\n", "would escape the project root"),
        ("#let x = read(\"/data/sources.yaml\")\n", "file not found (searched at /data/sources.yaml)"),
    ] {
        breaks(
            |root| append(root, "templates/house.typ", line),
            false,
            &["templates/house.typ:11:", expect, "documents read no files from disk"],
        );
    }
}

/// Generated Typst cannot read files from disk either.
#[test]
fn generated_code_cannot_read_files_either() {
    breaks(
        |root| write(root, "templates/note.typ.j2", &note_with("#read(\"/etc/passwd\")")),
        false,
        &[
            "--> templates/note.typ.j2:8:7",
            "typst: file not found (searched at /etc/passwd)",
            "documents read no files from disk",
        ],
    );
}

/// Locale text asking Typst for a file prints literally and embeds nothing.
#[test]
fn locale_text_asking_for_a_file_prints_literally() {
    let dir = fixture("mini");
    edit(
        dir.path(),
        "locales/en-US/note.yaml",
        "Literal:",
        "#image(\"/etc/passwd\") #read(\"/etc/hostname\") Literal:",
    );
    let r = briefs(dir.path(), &["build", "--locale", "en-US"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = pdf_text(&dir.path().join("out/en-US/general/note.pdf"));
    assert!(text.contains("#image(\"/etc/passwd\") #read(\"/etc/hostname\")"), "{text}");
    assert!(!text.contains("root:x:0:0"), "the file was embedded: {text}");
}

// --- --final --------------------------------------------------------------------------------

/// Whether a PDF's XMP metadata (read from its catalog) declares PDF/A-2a and PDF/UA-1.
fn declares_pdfa_and_pdfua(pdf: &std::path::Path) -> (bool, bool) {
    let xmp = pdf_xmp(pdf);
    let is = |name: &str, value: &str| xmp_property(&xmp, name).as_deref() == Some(value);
    (is("pdfaid:part", "2") && is("pdfaid:conformance", "A"), is("pdfuaid:part", "1"))
}

/// A final build of the mini fixture writes PDFs declaring PDF/A-2a and PDF/UA-1.
#[test]
fn final_build_of_mini_writes_pdfa_and_pdfua() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for l in ["en-US", "fr-CA"] {
        let pdf = dir.path().join(format!("out/{l}/general/note.pdf"));
        assert_eq!(declares_pdfa_and_pdfua(&pdf), (true, true), "{l}: PDF/A-2a and PDF/UA-1 expected");
    }
    let check = briefs(dir.path(), &["check", "--final"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    // A draft build declares neither.
    assert_eq!(briefs(dir.path(), &["build", "--out", "draft"]).code, 0);
    let draft = dir.path().join("draft/en-US/general/note.pdf");
    assert_eq!(declares_pdfa_and_pdfua(&draft), (false, false));
}

/// A final build of the shipped project names its provisional TDR figures with file:line, where a selected
/// document shows them; the whole matrix's `check --final` names them whatever the selection.
#[test]
fn final_build_of_shipped_project_names_provisional_figures() {
    let dir = shipped_copy();
    let r = briefs(dir.path(), &["build", "--final", "--locale", "en-US", "--doc", "brief-co-production"]);
    assert_fails(
        &r,
        &["provisional figure `us_imports_mx`", "data/facts/tdr.yaml:5:7", "provisional figure `us_exports_jp`"],
    );
    assert!(!dir.path().join("out").exists(), "a refused final build wrote out/");
    // The fast facts show no TDR figure: a final build of them is refused for what they do show (drafted texts).
    let r = briefs(dir.path(), &["check", "--final", "--locale", "en-US", "--doc", "fast-facts"]);
    assert_fails(&r, &["drafted text `audiences.*.cover_line` is not approved"]);
    assert!(!r.stderr.contains("error: provisional figure"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: 10 provisional figures, outside what this command builds: `briefs check --final` lists them"
        ),
        "{}",
        r.stderr
    );
    assert_fails(&briefs(dir.path(), &["check", "--final"]), &["data/facts/tdr.yaml:5:7", "provisional figure"]);
}

/// A final build refuses a provisional fact and a fact without source.
#[test]
fn final_refuses_a_provisional_fact_without_source() {
    let (dir, before) = built_mini();
    edit(dir.path(), "data/facts/trade.yaml", "  sources: [bts]\n", "  provisional: \"estimate from the draft\"\n");
    // A draft build takes it (highlighted), so only --final fails.
    assert_eq!(briefs(dir.path(), &["build", "--out", "draft"]).code, 0);
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(
        &r,
        &[
            "data/facts/trade.yaml:1:7",
            "provisional figure `laredo_freight_2025`",
            "estimate from the draft",
            "figure `laredo_freight_2025` has no source",
        ],
    );
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A final build refuses provisional series and series without source.
#[test]
fn final_refuses_provisional_and_unsourced_series() {
    let (dir, before) = built_mini();
    write(
        dir.path(),
        "data/series/trade.yaml",
        "- id: freight\n  unit: usd\n  period: \"2025\"\n  provisional: \"not in the seed\"\n  points:\n    - {label: mx, fact: laredo_freight_2025}\n",
    );
    assert_eq!(briefs(dir.path(), &["build", "--out", "draft"]).code, 0);
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(&r, &["data/series/trade.yaml:1:7", "provisional series `freight`", "series `freight` has no source"]);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A final build refuses unused locale keys, which are only warnings otherwise.
#[test]
fn final_refuses_unused_locale_keys() {
    let (dir, before) = built_mini();
    append(dir.path(), "locales/en-US/note.yaml", "leftover: Nobody reads this\n");
    append(dir.path(), "locales/fr-CA/note.yaml", "leftover: Personne ne lit ceci\n");
    let draft = briefs(dir.path(), &["check"]);
    assert_eq!(draft.code, 0, "{}", draft.stderr);
    assert!(draft.stderr.contains("warning: key `note.leftover` is used by no template"), "{}", draft.stderr);
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(&r, &["error: key `note.leftover` is used by no template", "locales/en-US/note.yaml:3:1"]);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A final build refuses texts left empty or identical to en-US.
#[test]
fn final_refuses_untranslated_text() {
    let (dir, before) = built_mini();
    let en = std::fs::read_to_string(dir.path().join("locales/en-US/note.yaml")).unwrap();
    let body = en.lines().next().unwrap().to_string();
    let fr = std::fs::read_to_string(dir.path().join("locales/fr-CA/note.yaml")).unwrap();
    let fr_body = fr.lines().next().unwrap().to_string();
    edit(dir.path(), "locales/fr-CA/note.yaml", &fr_body, &body);
    assert_eq!(briefs(dir.path(), &["build", "--out", "draft"]).code, 0);
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(
        &r,
        &["locales/fr-CA/note.yaml:1:1", "missing translation: `note.body` in fr-CA is the en-US text word for word"],
    );
    edit(dir.path(), "locales/fr-CA/note.yaml", &body, "body: \"\"");
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(&r, &["missing translation: `note.body` in fr-CA is empty"]);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A key missing in a translation fails every build.
#[test]
fn missing_translation_fails_every_build() {
    bad_file(
        "locales/fr-CA/note.yaml",
        "body: \"{laredo_freight_2025} {mfg_jobs_lost_mx} {ag_import_share_mx}\"\n",
        &["locale fr-CA is missing key `note.injection`", "en-US has it at locales/en-US/note.yaml:2:1"],
    );
}

/// A final build refuses Typst warnings.
#[test]
fn final_refuses_typst_warnings() {
    let (dir, before) = built_mini();
    write(dir.path(), "templates/note.typ.j2", &note_with("#text(font: \"Nonesuch\")[x]"));
    let draft = briefs(dir.path(), &["build", "--out", "draft"]);
    assert_eq!(draft.code, 0, "{}", draft.stderr);
    assert!(draft.stderr.contains("warning: typst: unknown font family: nonesuch"), "{}", draft.stderr);
    let r = briefs(dir.path(), &["build", "--final"]);
    assert_fails(&r, &["error: typst: unknown font family: nonesuch", "a final build refuses every warning"]);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A final build refuses PDF/UA violations (skipped heading level, no title) and locates them.
#[test]
fn final_refuses_what_pdf_ua_forbids_and_says_where() {
    let (dir, before) = built_mini();
    write(dir.path(), "templates/note.typ.j2", &note_with("=== A heading two levels down"));
    assert_eq!(briefs(dir.path(), &["build", "--out", "draft"]).code, 0);
    assert_fails(
        &briefs(dir.path(), &["build", "--final"]),
        &[
            "error: PDF export failed: PDF/UA-1 error: skipped from heading level 1 to 3 (in `=== A heading two levels down`)",
            "--> templates/note.typ.j2:8:1",
            "heading levels must be consecutive",
            "in 2 documents: en-US general note, fr-CA general note",
        ],
    );
    write(dir.path(), "templates/note.typ.j2", NOTE_HEAD);
    edit(dir.path(), "templates/house.typ", "  set document(title: title)\n", "");
    assert_fails(
        &briefs(dir.path(), &["build", "--final"]),
        &["PDF export failed: PDF/UA-1 error: missing document title", "set document(title: [...])"],
    );
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

// --- files and arguments -------------------------------------------------------------------

/// A missing data file and a folder in its place are reported.
#[test]
fn missing_data_file_and_folder_in_its_place_are_reported() {
    breaks(
        |root| std::fs::remove_file(root.join("data/sources.yaml")).unwrap(),
        true,
        &["data/sources.yaml", "failed to read file (file not found)", "create it"],
    );
    breaks(
        |root| std::fs::create_dir(root.join("data/facts/more.yaml")).unwrap(),
        true,
        &["data/facts/more.yaml", "failed to read file (it is a folder, not a file)"],
    );
}

/// A folder without data/ is reported as no project.
#[test]
fn a_folder_that_is_no_project_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["build", "check", "list"] {
        assert_fails(
            &briefs(dir.path(), &[cmd]),
            &[
                &format!("error: not a briefs project (no data/ folder in {}", dir.path().display()),
                "hint: run briefs inside a project folder, or pass one with --root DIR",
            ],
        );
    }
    assert!(!dir.path().join("out").exists());
}

/// An empty selection, --jobs 0 and an unknown --doc are refused.
#[test]
fn empty_selection_and_bad_arguments_are_refused() {
    let (dir, before) = built_mini();
    append(dir.path(), "data/audiences.yaml", "- id: french\n  locales: [fr-CA]\n  documents: [note]\n");
    assert_fails(
        &briefs(dir.path(), &["build", "--audience", "french", "--locale", "en-US"]),
        &["the selection matches no document", "briefs list"],
    );
    // Checked by clap, as every flag's value is: a usage error (exit 2).
    let r = briefs(dir.path(), &["build", "--jobs", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("invalid value '0' for '--jobs <JOBS>'"), "{}", r.stderr);
    assert_fails(&briefs(dir.path(), &["build", "--doc", "nope"]), &["unknown document `nope`", "known: note"]);
    // A typo in an id gets a "did you mean", for every selection flag.
    assert_fails(&briefs(dir.path(), &["build", "--doc", "ntoe"]), &["hint: did you mean `--doc note`?"]);
    assert_fails(&briefs(dir.path(), &["build", "--locale", "fr-CAN"]), &["hint: did you mean `--locale fr-CA`?"]);
    assert_fails(
        &briefs(dir.path(), &["build", "--audience", "generl"]),
        &["hint: did you mean `--audience general`?"],
    );
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A thousands separator in a figure is refused, saying what to write; a source id typo gets a suggestion.
#[test]
fn a_figure_with_a_thousands_separator_and_a_source_typo_are_told_what_to_write() {
    let text = fact_with_value("1,200").replace("sources: [inegi]", "sources: [inegii]");
    let e =
        bad_file("data/facts/trade.yaml", &text, &["data/facts/trade.yaml:2:10", "has `1,200` where a number belongs"]);
    assert!(e.contains("hint: write 1200 or 1.2e3 (no thousands separators"), "{e}");
    assert!(e.contains("unknown source `inegii`") && e.contains("did you mean `inegi`?"), "{e}");
}

/// A missing en-US words file is named as missing once, not as every other locale's keys being unknown.
#[test]
fn a_missing_en_us_words_file_is_named() {
    let (dir, before) = built_mini();
    std::fs::remove_file(dir.path().join("locales/en-US/note.yaml")).unwrap();
    let r = briefs(dir.path(), &["check"]);
    assert_fails(
        &r,
        &[
            "error: the en-US words file note.yaml is missing, though locales/fr-CA/note.yaml (",
            "restore locales/en-US/note.yaml",
        ],
    );
    assert!(!r.stderr.contains("unknown key `note."), "{}", r.stderr);
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

/// A review decision that is not one of the page's values is refused at its line, naming the values.
#[test]
fn an_unknown_review_decision_is_refused() {
    let dir = fixture("mini");
    std::fs::write(
        dir.path().join("d.json"),
        "{\"format\": \"briefs-review-decisions\", \"edition\": \"2026-04\", \"reviewer\": \"Ana\",\n \"decisions\": [\n  {\"document\": \"note\", \"locale\": \"en-US\", \"audience\": \"general\", \"decision\": \"approved\"},\n  {\"document\": \"note\", \"locale\": \"fr-CA\", \"audience\": \"general\", \"decision\": \"approve\"}\n]}\n",
    )
    .unwrap();
    assert_fails(
        &briefs(dir.path(), &["review", "--decisions", "d.json"]),
        &[
            "error: unknown decision `approve` for fr-CA/general/note",
            "d.json:4",
            "did you mean `approved`?",
            "`approved`, `changes`, `comment`",
        ],
    );
}

/// `--emit-typst` at a regular file is refused before anything is written.
#[test]
fn emit_typst_into_a_file_is_refused_before_anything_is_written() {
    let (dir, before) = built_mini();
    write(dir.path(), "typ", "a file");
    assert_fails(
        &briefs(dir.path(), &["build", "--force", "--emit-typst", "typ"]),
        &["cannot write into typ: typ is a file, not a folder"],
    );
    assert_eq!(snapshot_dir(&dir.path().join("out")), before);
}

#[test]
fn a_reader_that_stops_early_gets_no_panic() {
    // `briefs list | head -1`: the reader goes away before briefs writes; briefs stops quietly.
    let dir = fixture("mini");
    for _ in 0..5 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_briefs"))
            .arg("list")
            .current_dir(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_eq!(out.status.code(), Some(0), "{stderr}");
    }
}
