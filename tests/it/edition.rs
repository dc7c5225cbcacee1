//! The next edition end to end, as a new user does it from the README: a July edition through `check --final`
//! without bending a translation, one partner's final packs while another translation is under way, a new brief
//! drafted in English first, warnings that say what matters, shards balanced by pages.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use common::*;

/// Sets the `value:` of fact `id` in a data file (the line after its `- id:`), failing if it is not there.
fn set_value(root: &Path, rel: &str, id: &str, value: &str) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let at = text.find(&format!("- id: {id}\n")).unwrap_or_else(|| panic!("no fact {id} in {rel}"));
    let line = at + text[at..].find("  value: ").unwrap();
    let end = line + text[line..].find('\n').unwrap();
    let edited = format!("{}  value: {value}{}", &text[..line], &text[end..]);
    std::fs::write(root.join(rel), edited).unwrap();
}

/// Plays the README's "Start a new edition" checklist for July 2026 on a copy of the shipped project: edition id,
/// title and date, the update's own title in data/sources.yaml, four changed figures (made up: test input), the
/// provisional figures replaced, the drafted texts approved. No locale text is touched.
fn july_edition() -> tempfile::TempDir {
    let dir = shipped_copy();
    let root = dir.path();
    edit(root, "data/edition.yaml", "id: \"2026-04\"", "id: \"2026-07\"");
    edit(root, "data/edition.yaml", "title: April 2026 update", "title: July 2026 update");
    edit(root, "data/edition.yaml", "date: \"2026-04-01\"", "date: \"2026-07-01\"");
    edit(root, "data/sources.yaml", "  title: April 2026 update", "  title: July 2026 update");
    set_value(root, "data/facts/trade.yaml", "port_laredo_freight_2025", "301.4e9");
    set_value(root, "data/facts/trade.yaml", "trilateral_goods_trade", "1.7e12");
    set_value(root, "data/facts/energy-minerals.yaml", "mx_gas_demand_us_share", "72");
    set_value(root, "data/facts/energy-minerals.yaml", "ca_critical_mineral_mines", "58");
    let tdr = std::fs::read_to_string(root.join("data/facts/tdr.yaml")).unwrap();
    let sourced: String =
        tdr.lines().filter(|l| !l.trim_start().starts_with("provisional:")).map(|l| format!("{l}\n")).collect();
    std::fs::write(root.join("data/facts/tdr.yaml"), sourced).unwrap();
    set_value(root, "data/facts/tdr.yaml", "us_imports_mx", "512.3e9");
    let drafted = std::fs::read_to_string(root.join("locales/drafted.yaml")).unwrap();
    let approved: String = drafted
        .lines()
        .map(|l| if l.starts_with("  why:") { format!("{l}\n  approved: true\n") } else { format!("{l}\n") })
        .collect();
    std::fs::write(root.join("locales/drafted.yaml"), approved).unwrap();
    dir
}

/// Every file under `locales/` but the drafted texts' list, with its bytes.
fn locale_texts(root: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    snapshot_dir(&root.join("locales"))
        .into_iter()
        .filter(|(p, _)| !p.ends_with("drafted.yaml"))
        .map(|(p, b)| (p.strip_prefix(root).unwrap().to_path_buf(), b))
        .collect()
}

#[test]
fn the_july_edition_passes_final_without_bending_a_translation_and_one_partner_publishes_first() {
    let dir = july_edition();
    let root = dir.path();
    let r = briefs(root, &["check", "--final"]);
    assert_eq!(r.code, 0, "check --final of the July edition:\n{}", r.stderr);
    assert!(r.stdout.contains(" documents rendered and parsed, 0 warning(s)"), "{}", r.stdout);
    let shipped = locale_texts(&repo());
    assert_eq!(locale_texts(root), shipped, "a locale text was changed to pass the checks");

    // The Joint Review's date is a date fact, written as each locale writes dates; the edition says July.
    let r = briefs(root, &["build", "--final", "--doc", "fast-facts", "--audience", "general"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (tag, review, edition) in [
        ("en-US", "scheduled for July 1, 2026.", "July 2026 update"),
        ("es-MX", "prevista para el 1 de julio de 2026.", "julio de 2026"),
        ("fr-CA", "prévu le 1er juillet 2026.", "juillet 2026"),
    ] {
        let text = pdf_text(&root.join(format!("out/{tag}/general/fast-facts.pdf")));
        // Spaces as the PDF draws them vary (no-break, stretched, a superscript's own run): compare the words.
        let bare = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert!(bare(&text).contains(&bare(review)), "{tag}: the Joint Review's date {review:?} in\n{text}");
        assert!(text.replace('\u{a0}', " ").contains(edition), "{tag}: the edition {edition:?}");
        assert!(!text.to_lowercase().contains("april") && !text.contains("abril") && !text.contains("avril"), "{tag}");
    }

    // A Spanish text goes missing (a translation under way): the Canadian packs are still published, final.
    edit(root, "locales/es-MX/brief-food-security.yaml", "  milestones:", "  milestones_draft:");
    let r = briefs(root, &["build", "--final", "--audience", "ca-government"]);
    assert_eq!(r.code, 0, "the ca-government final build was refused:\n{}", r.stderr);
    assert!(root.join("out/fr-CA/ca-government/pack.pdf").is_file());
    assert!(
        r.stderr.contains("locale es-MX is missing key `brief-food-security.fresh_produce.milestones`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not in what this command builds"), "told as outside the build: {}", r.stderr);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
    // The whole matrix stays the full gate.
    let r = briefs(root, &["check", "--final"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: locale es-MX is missing key `brief-food-security.fresh_produce.milestones`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("error: unknown key `brief-food-security.fresh_produce.milestones_draft` in locale es-MX"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_new_brief_is_drafted_in_english_first() {
    let dir = shipped_copy();
    let root = dir.path();
    let r = briefs(root, &["new", "document", "brief-critical-minerals", "--title", "Critical Minerals"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("created templates/brief-critical-minerals.typ.j2"), "{}", r.stdout);
    assert!(root.join("locales/en-US/brief-critical-minerals.yaml").is_file());
    let again = briefs(root, &["new", "document", "brief-critical-minerals"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("document `brief-critical-minerals` exists already"), "{}", again.stderr);

    // It gets a chart of its own, with words in en-US only.
    let append = |rel: &str, text: &str| {
        let before = std::fs::read_to_string(root.join(rel)).unwrap_or_default();
        std::fs::write(root.join(rel), before + text).unwrap();
    };
    append(
        "data/series/minerals.yaml",
        "- id: ca_minerals_pipeline\n  unit: count\n  period: \"March 2025\"\n  points:\n\
         \x20   - {label: active_mines, fact: ca_critical_mineral_mines}\n\
         \x20   - {label: processing_facilities, fact: ca_critical_mineral_processing_facilities}\n",
    );
    append("data/charts.yaml", "\n- id: ca_minerals_pipeline\n  type: bar\n  series: [ca_minerals_pipeline]\n");
    append(
        "locales/en-US/charts.yaml",
        "ca_minerals_pipeline:\n  title: Canada's critical minerals\n  subtitle: Active mines and processing facilities, March 2025\n  series:\n    ca_minerals_pipeline: Sites\n",
    );
    append("locales/en-US/labels.yaml", "active_mines: Active mines\nprocessing_facilities: Processing facilities\n");
    edit(
        root,
        "templates/brief-critical-minerals.typ.j2",
        "{{ sources() }}",
        "{{ sources() }}\n{{ chart(\"ca_minerals_pipeline\") }}",
    );

    // Shown to the en-US-only audience: it builds in en-US, and no other locale needs its texts or chart words.
    edit(
        root,
        "data/audiences.yaml",
        "brief-technology, \"state-*\"]",
        "brief-technology, brief-critical-minerals, \"state-*\"]",
    );
    let args = ["build", "--locale", "en-US", "--audience", "us-government", "--doc", "brief-critical-minerals"];
    let r = briefs(root, &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "nothing to warn about: {}", r.stderr);
    let text = pdf_text(&root.join("out/en-US/us-government/brief-critical-minerals.pdf"));
    assert!(text.contains("Critical Minerals") && text.contains("First section"), "{text}");
    assert!(
        text.contains("Canada's critical minerals") || text.contains("Canada’s critical minerals"),
        "the chart: {text}"
    );
    let r = briefs(root, &["check"]);
    assert_eq!(r.code, 0, "es-MX and fr-CA need no texts of it: {}", r.stderr);

    // Once a Spanish audience shows it, a draft build names the missing es-MX texts, and en-US still builds.
    edit(
        root,
        "data/audiences.yaml",
        "brief-auto, brief-food-security, brief-technology]",
        "brief-auto, brief-food-security, brief-technology, brief-critical-minerals]",
    );
    let r = briefs(root, &["build"]);
    assert_eq!(r.code, 1);
    for key in [
        "brief-critical-minerals.intro.heading",
        "common.documents.brief-critical-minerals.title",
        "charts.ca_minerals_pipeline.title",
        "labels.active_mines",
    ] {
        assert!(r.stderr.contains(&format!("error: locale es-MX is missing key `{key}`")), "{key}: {}", r.stderr);
    }
    assert!(!r.stderr.contains("fr-CA is missing"), "fr-CA shows no critical minerals: {}", r.stderr);
    let r = briefs(root, &["build", "--locale", "en-US", "--doc", "brief-critical-minerals"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("missing texts in es-MX, outside what this command builds"), "{}", r.stderr);
    assert!(root.join("out/en-US/mx-government/brief-critical-minerals.pdf").is_file());
}

#[test]
fn warnings_say_what_matters_once_per_kind_and_locale() {
    let dir = shipped_copy();
    let root = dir.path();
    // Two en-US texts change: their es-MX and fr-CA translations become stale.
    edit(root, "locales/en-US/fast-facts.yaml", "  title: Trade\n", "  title: Trade, first of all\n");
    edit(root, "locales/en-US/fast-facts.yaml", "  title: Harmonized standards to produce\n", "  title: Standards\n");
    let en = ["build", "--doc", "fast-facts", "--locale", "en-US", "--audience", "general"];
    let r = briefs(root, &en);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "an en-US build says nothing about other locales' translations");
    let fr = ["build", "--doc", "fast-facts", "--locale", "fr-CA", "--audience", "general"];
    let r = briefs(root, &fr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, ["warning: 2 stale texts in fr-CA: `briefs check --i18n` lists them"], "{}", r.stderr);
    let quiet = briefs(root, &[&["-q"][..], &fr[..]].concat());
    assert_eq!((quiet.code, quiet.stderr.as_str(), quiet.stdout.as_str()), (0, "", ""), "-q prints errors only");
    let verbose = briefs(root, &[&["-v"][..], &fr[..]].concat());
    assert_eq!(verbose.stderr.matches("warning: stale: fr-CA fast-facts.").count(), 2, "{}", verbose.stderr);
    let listed = briefs(root, &["check", "--i18n"]);
    for tag in ["es-MX", "fr-CA"] {
        let one = format!("warning: stale: {tag} fast-facts.standards.title (en-US changed since it was translated)");
        assert!(listed.stderr.contains(&one), "{one}: {}", listed.stderr);
    }
}

/// Estimated pages of each document, as `briefs list --shard I/N` prints them (path, pages), and its total line.
fn estimates(root: &Path, shard: &str) -> (Vec<(String, f64)>, String) {
    let r = briefs(root, &["list", "--shard", shard]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    let total = lines.pop().unwrap().to_string();
    let docs = lines
        .iter()
        .map(|l| {
            let (path, pages) = l.rsplit_once(' ').unwrap();
            (path.trim().to_string(), pages.trim().parse().unwrap())
        })
        .collect();
    (docs, total)
}

/// The halves of `--shard 1/2` are balanced by pages: by the estimates the build cuts with (a meeting pack from its
/// documents), which follow the real pages of a sample of documents typeset here (a whole-matrix build is too slow
/// for a test in debug; the real halves, measured in release, are in docs/guides/many-machines.md).
#[test]
fn the_halves_of_the_shipped_matrix_are_balanced_by_pages() {
    let dir = shipped_copy();
    let root = dir.path();
    let half = |i: &str| estimates(root, i).0.iter().map(|(_, p)| p).sum::<f64>();
    let (one, two) = (half("1/2"), half("2/2"));
    assert!(one.max(two) <= one.min(two) * 1.25, "estimated halves: {one} and {two} pages");
    let (all, total) = estimates(root, "1/1");
    assert!(total.starts_with(&format!("shard 1/1: {} of {} document(s)", all.len(), all.len())), "{total}");
    // The estimates against real pages: a state sheet, the documents of an audience and its pack.
    let r = briefs(root, &["build", "--locale", "en-US", "--audience", "civil-society"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = briefs(root, &["build", "--locale", "en-US", "--audience", "us-government", "--doc", "state-tx"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let m: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("out/manifest.json")).unwrap()).unwrap();
    for e in m["documents"].as_array().unwrap() {
        let path = e["path"].as_str().unwrap();
        let real = e["pages"].as_f64().unwrap();
        let estimate = all.iter().find(|(p, _)| p == path).map(|(_, p)| *p).unwrap();
        assert!(
            (estimate - real).abs() <= (real * 0.25).max(1.0),
            "{path}: estimated {estimate} pages, typeset {real}"
        );
    }
}
