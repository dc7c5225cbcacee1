//! The README and docs/: a README a new user can follow (short, a table of contents, the tasks first, the two
//! commands), links that lead somewhere, and the figures they quote true of the shipped data.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

/// The README and every page under docs/ (the translators' revision reports aside), with their texts.
fn pages() -> Vec<(PathBuf, String)> {
    let mut out = vec![(PathBuf::from("README.md"), std::fs::read_to_string(repo().join("README.md")).unwrap())];
    for dir in ["docs", "docs/guides"] {
        for e in std::fs::read_dir(repo().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "md") {
                let rel = p.strip_prefix(repo()).unwrap().to_path_buf();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out
}

/// The targets of the markdown links `[..](target)` of a text.
fn links(text: &str) -> Vec<&str> {
    text.match_indices("](").filter_map(|(i, _)| text[i + 2..].split(')').next()).collect()
}

#[test]
fn the_readme_is_short_task_first_and_keeps_the_two_commands() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(lines <= 300, "README.md has {lines} lines");
    assert!(readme.contains("## Contents"), "a table of contents");
    assert!(readme.contains("cargo run --release -- build   # builds every PDF"), "the build command");
    assert!(readme.contains("cargo test                     # runs the test suite"), "the test command");
    let headings: Vec<&str> = readme.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    let tasks = [
        "Start a new edition",
        "Change a figure",
        "Add a document",
        "Add a language",
        "Work with translators",
        "Review an edition",
        "Publish final packs",
        "Run on many machines",
    ];
    let at = |h: &str| headings.iter().position(|x| *x == h).unwrap_or_else(|| panic!("no section {h:?}"));
    let order: Vec<usize> = tasks.iter().map(|t| at(t)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "the tasks in order: {headings:?}");
    for (topic, doc) in [
        ("House style", "docs/house-style.md"),
        ("Charts", "docs/charts.md"),
        ("Preparing a meeting", "docs/meetings.md"),
    ] {
        assert!(at(topic) > order[0], "{topic} after the tasks");
        let section = readme.split(&format!("## {topic}\n")).nth(1).unwrap().split("\n## ").next().unwrap();
        assert!(section.contains(&format!("]({doc})")), "{topic} links to {doc}");
    }
    // The checklist names the update's own title in data/sources.yaml.
    let start = readme.split("## Start a new edition\n").nth(1).unwrap().split("\n## ").next().unwrap();
    assert!(start.contains("data/sources.yaml") && start.contains("title: July 2026 update"), "{start}");
    // Every task and topic is in the table of contents.
    let contents = readme.split("## Contents\n").nth(1).unwrap().split("\n## ").next().unwrap();
    for h in headings.iter().filter(|h| **h != "Contents") {
        let anchor = h.to_lowercase().replace(' ', "-");
        assert!(contents.contains(&format!("(#{anchor})")), "{h} is not in the table of contents");
    }
}

#[test]
fn every_link_leads_to_a_file_that_exists() {
    for (page, text) in pages() {
        let dir = page.parent().unwrap_or(Path::new(""));
        for link in links(&text) {
            let target = link.split('#').next().unwrap();
            if target.is_empty() || target.contains("://") {
                continue;
            }
            let path = repo().join(dir).join(target);
            assert!(path.exists(), "{}: the link {link} leads nowhere", page.display());
        }
    }
}

#[test]
fn the_figures_the_docs_quote_are_true_of_the_shipped_data() {
    let dir = shipped_copy();
    let root = dir.path();
    let all: String = pages().into_iter().map(|(_, t)| t).collect::<Vec<_>>().join("\n");
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();

    // The matrix: PDFs, documents, meeting packs.
    let list = briefs(root, &["list"]);
    let line = list.stdout.lines().find(|l| l.contains(" PDFs: ")).unwrap();
    let pdfs: usize = line.split(' ').next().unwrap().parse().unwrap();
    let packs: usize = std::fs::read_to_string(root.join("data/audiences.yaml"))
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("locales: ["))
        .map(|l| l.split(',').count())
        .sum::<usize>()
        * 2; // two editions: pack.pdf and pack-print.pdf
    assert!(readme.contains(&format!("The build writes {pdfs} PDFs")), "README: {pdfs} PDFs");
    assert!(readme.contains(&format!("({} documents)", pdfs - packs)), "README: {} documents", pdfs - packs);
    assert!(readme.contains(&format!("({packs} packs)")), "README: {packs} packs");

    // The translators' figures: the units of an export, the texts each locale needs, the glossaries.
    let xlf = root.join("es-MX.xlf");
    let r = briefs(root, &["i18n", "export", "--locale", "es-MX", "--out", xlf.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let units = std::fs::read_to_string(&xlf).unwrap().matches("<unit ").count();
    assert!(readme.contains(&format!("The shipped es-MX export is {units} units")), "README: {units} units");
    assert!(all.contains(&format!("export is {units} units (every en-US text)")), "translators' guide: {units}");
    let table = briefs(root, &["check", "--i18n"]);
    for row in table.stdout.lines().filter(|l| ["en-US", "es-MX", "fr-CA"].iter().any(|t| l.starts_with(t))) {
        assert!(all.contains(&format!("  {row}\n")), "the translators' guide shows the table row {row:?}");
    }
    for tag in ["es-MX", "fr-CA"] {
        let glossary = std::fs::read_to_string(root.join(format!("locales/{tag}/glossary.yaml"))).unwrap();
        let entries = glossary.lines().filter(|l| l.starts_with("- term:")).count();
        assert!(all.contains(&format!("{tag} ships {entries} entries")), "{tag}: {entries} entries");
    }

    // The units the reference lists are the shipped ones, and the standard ones in code.
    let units_yaml = std::fs::read_to_string(root.join("data/units.yaml")).unwrap();
    let reference = std::fs::read_to_string(repo().join("docs/reference.md")).unwrap();
    for line in units_yaml.lines().filter_map(|l| l.strip_prefix("- {id: ")) {
        let id = line.split(',').next().unwrap();
        assert!(reference.contains(&format!("`{id}`")), "docs/reference.md does not list the unit {id}");
    }
}
