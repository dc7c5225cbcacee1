//! Meeting packs: one PDF per audience and locale in two editions, `pack.pdf` for the screen and `pack-print.pdf`
//! for double-sided printing, with a cover, the front matter, the audience's documents, a state annex behind a
//! divider and a back cover (docs/meetings.md).

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// The shared shipped build (`common::government_build`).
fn build() -> &'static Path {
    government_build()
}

/// A PDF of the shared build.
fn out(rel: &str) -> PathBuf {
    build().join("out").join(rel)
}

/// The documents `briefs list` gives an audience, in its order, without the packs.
fn listed_documents(root: &Path, audience: &str) -> Vec<String> {
    let r = briefs(root, &["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().find(|l| l.starts_with(&format!("{audience} "))).expect("audience listed");
    let inner = &line[line.find('(').unwrap() + 1..line.rfind(')').unwrap()];
    inner.split(", ").filter(|d| !d.starts_with("pack")).map(str::to_string).collect()
}

/// A node of `locales/<tag>/<file>.yaml`, dotted ("ca-government.cover_line").
fn node(root: &Path, tag: &str, file: &str, key: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root.join(format!("locales/{tag}/{file}.yaml"))).unwrap();
    let words: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    key.split('.').fold(&words, |v, k| &v[k]).clone()
}

/// A text of `locales/<tag>/<file>.yaml`.
fn word(root: &Path, tag: &str, file: &str, key: &str) -> String {
    node(root, tag, file, key).as_str().unwrap_or_else(|| panic!("{file}.{key}")).to_string()
}

/// Text as the tests compare it: no-break spaces as spaces, typographic apostrophes as straight ones, whitespace
/// collapsed.
fn tidy(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}'], " ").replace('’', "'").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The opening words of a locale text, up to its first placeholder (at most `n` words), as a PDF shows them.
fn opening_words(text: &str, n: usize) -> String {
    tidy(text).split(' ').take_while(|w| !w.contains('{')).take(n).collect::<Vec<_>>().join(" ")
}

/// How many times `needle` is in the text of a PDF's pages (joined by spaces).
fn count_in(pages: &[String], needle: &str) -> usize {
    tidy(&pages.join(" ")).matches(needle).count()
}

/// The page number printed after `title` in a contents text ("Executive Summary . . . . 5"), where `title` is
/// not the end of a longer word ("Kansas", not "Arkansas").
fn contents_page(contents: &str, title: &str) -> usize {
    let at = contents
        .match_indices(title)
        .map(|(i, _)| i)
        .find(|&i| !contents[..i].ends_with(char::is_alphabetic))
        .unwrap_or_else(|| panic!("{title:?} not in the contents: {contents}"));
    let rest = contents[at + title.len()..].trim_start_matches([' ', '.']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("no page number after {title:?} in {contents}"))
}

/// Whether a page is blank: no text, or only the notice that says so.
fn is_blank(text: &str, notice: &str) -> bool {
    text.is_empty() || tidy(text) == tidy(notice)
}

/// How many link annotations a page (from 1) of a PDF has.
fn links_on_page(path: &Path, page: u32) -> usize {
    let doc = lopdf::Document::load(path).unwrap();
    let id = doc.get_pages()[&page];
    let Ok(annots) = doc.get_dictionary(id).unwrap().get(b"Annots") else { return 0 };
    let list = doc.dereference(annots).unwrap().1.as_array().unwrap().clone();
    list.iter()
        .filter(|a| {
            let dict = doc.dereference(a).unwrap().1.as_dict().unwrap().clone();
            dict.get(b"Subtype").ok().and_then(|s| s.as_name().ok()) == Some(b"Link".as_slice())
        })
        .count()
}

/// The parts of a pack as its top-level bookmarks give them: (title, first page), in page order.
fn parts(path: &Path) -> Vec<(String, usize)> {
    pdf_outline(path).into_iter().map(|b| (b.title.replace('\u{a0}', " "), b.page)).collect()
}

/// For ca-government in each locale, both editions hold every document in the audience's order, the contents give
/// the page each starts on and link to it, and a bookmark opens each; the cover names the subject, the edition,
/// the audience, the date and which edition of the pack it is. The screen edition has no blank page; the print
/// edition starts each part on a right-hand page and has blank pages only before one (or before the back cover,
/// a left-hand page), each saying so for a government.
#[test]
fn both_editions_hold_every_document_in_order_and_print_leaves_blank_only_what_duplex_needs() {
    let root = build();
    let docs = listed_documents(root, "ca-government");
    assert_eq!(docs.first().map(String::as_str), Some("at-a-glance"), "{docs:?}");
    for tag in ["en-US", "fr-CA"] {
        let dir = out(&format!("{tag}/ca-government"));
        let titles: Vec<String> = docs
            .iter()
            .map(|d| pdf_info(&dir.join(format!("{d}.pdf")), "Title").unwrap().replace('\u{a0}', " "))
            .collect();
        let notice = word(root, tag, "pack", "blank_page");
        for (file, edition) in [("pack.pdf", "screen"), ("pack-print.pdf", "print")] {
            let pack = dir.join(file);
            let pages = pdf_page_texts(&pack);
            let n = pages.len();

            // The cover: the subject and the update's theme, and in the title block the edition, the date and the
            // audience (which edition of the pack this is, a production note, is on the back cover).
            // Balanced lines join without a space in the PDF's text: compared without spaces.
            let squash = |t: &str| tidy(t).replace(' ', "").to_lowercase();
            let cover = squash(&pages[0]);
            for (what, text) in [
                ("subject", word(root, tag, "pack", "subject")),
                ("kind", word(root, tag, "pack", "title")),
                ("audience", word(root, tag, "audiences", "ca-government.cover_line")),
            ] {
                assert!(cover.contains(&squash(&text)), "{tag} {file}: the cover lacks its {what} {text:?}: {cover}");
            }
            let theme = squash(&opening_words(&word(root, tag, "executive-summary", "success_heading"), 4));
            assert!(cover.contains(&theme), "{tag} {file}: the cover lacks the theme {theme:?}: {cover}");
            let month = squash(&word(root, tag, "common", "edition_title"));
            let month = month.split('{').next().unwrap();
            assert!(cover.contains(month) && cover.contains("2026"), "{tag} {file}: no edition or date: {cover}");

            // The contents: every title in pack order with the page it starts on, a link to each.
            let c = 1 + pages[1..]
                .iter()
                .position(|p| titles.iter().all(|t| p.contains(t.as_str())))
                .unwrap_or_else(|| panic!("{tag} {file}: no page lists all of {titles:?}: {:?}", &pages[1..3]));
            let contents = &pages[c];
            let at: Vec<usize> = titles.iter().map(|t| contents.find(t.as_str()).unwrap()).collect();
            assert!(at.windows(2).all(|w| w[0] < w[1]), "{tag} {file}: not in the audience's order: {contents}");
            assert!(links_on_page(&pack, c as u32 + 1) >= titles.len(), "{tag} {file}: the contents link no page");
            let outline = parts(&pack);
            for title in &titles {
                let page = contents_page(contents, title);
                assert!(pages[page - 1].contains(title.as_str()), "{tag} {file}: page {page} is not {title:?}'s");
                assert!(
                    outline.iter().any(|(t, p)| t == title && *p == page),
                    "{tag} {file}: no bookmark for {title:?}"
                );
                if edition == "print" {
                    assert_eq!(page % 2, 1, "{tag} {file}: {title:?} starts on page {page}, a left-hand page");
                }
            }
            // Every part starts where a bookmark says; a blank page comes only before a part that needs a
            // right-hand page, or before the back cover (a left-hand page, the last).
            let blanks: Vec<usize> = (1..=n).filter(|&p| is_blank(&pages[p - 1], &notice)).collect();
            if edition == "screen" {
                assert!(blanks.is_empty(), "{tag} {file}: blank pages {blanks:?}");
                assert!(!pages.iter().any(|p| tidy(p).contains(&tidy(&notice))), "{tag} {file}: a notice on screen");
                assert_eq!(c, 1, "{tag} {file}: the contents are on page {}, not right after the cover", c + 1);
            } else {
                assert_eq!(n % 2, 0, "{tag} {file}: the back cover is not a left-hand page ({n} pages)");
                let part_starts: Vec<usize> = outline.iter().map(|(_, p)| *p).collect();
                for &b in &blanks {
                    let before_part = part_starts.contains(&(b + 1)) && (b + 1) % 2 == 1;
                    assert!(before_part || b + 1 == n, "{tag} {file}: page {b} is blank before page {}", b + 1);
                    // The government of Canada expects a blank page to say so.
                    assert_eq!(tidy(&pages[b - 1]), tidy(&notice), "{tag} {file}: page {b}");
                }
                assert!(!blanks.is_empty(), "{tag} {file}: no document needed a blank page before it?");
            }
            // The back cover: the last page, its own bookmark, with about the project, the web address and a
            // citation.
            assert_eq!(outline.last().map(|(_, p)| *p), Some(n), "{tag} {file}: no bookmark opens the back cover");
            let back = tidy(&pages[n - 1]);
            for text in [word(root, tag, "common", "closing.about_heading"), "TheNorthAmericanProject.com".into()] {
                assert!(back.to_lowercase().contains(&tidy(&text).to_lowercase()), "{tag} {file}: {text:?}: {back}");
            }
            assert!(back.contains(&word(root, tag, "pack", "subject").replace('’', "'")), "{tag} {file}: {back}");
            let note = squash(&word(root, tag, "pack", &format!("editions.{edition}")));
            assert!(squash(&back).contains(&note), "{tag} {file}: the back cover lacks its edition {note:?}");
            assert!(!cover.contains(&note), "{tag} {file}: the cover prints the production note {note:?}");
        }
    }
}

/// The audience's opening box and its closing box (the call to action) are in each pack once, in the front matter
/// and on the back cover, while the documents built alone each print them; so are the words about the project that
/// close every document built alone.
#[test]
fn each_opening_and_closing_box_is_in_a_pack_once() {
    let root = build();
    for (tag, audience) in [("en-US", "ca-government"), ("fr-CA", "ca-government"), ("en-US", "us-government")] {
        let opening = opening_words(&word(root, tag, "audiences", &format!("{audience}.opening")), 10);
        let call = opening_words(&word(root, tag, "audiences", &format!("{audience}.call_to_action")), 10);
        let about = opening_words(&word(root, tag, "common", "closing.about"), 10);
        let alone = pdf_page_texts(&out(&format!("{tag}/{audience}/executive-summary.pdf")));
        assert_eq!(count_in(&alone, &opening), 1, "{tag} {audience}: {opening:?} is not in the summary alone");
        assert_eq!(count_in(&alone, &about), 1, "{tag} {audience}: {about:?} does not close the summary alone");
        for file in ["pack.pdf", "pack-print.pdf"] {
            let pages = pdf_page_texts(&out(&format!("{tag}/{audience}/{file}")));
            assert_eq!(count_in(&pages, &opening), 1, "{tag} {audience} {file}: {opening:?}");
            assert_eq!(count_in(&pages, &call), 1, "{tag} {audience} {file}: {call:?}");
            assert_eq!(count_in(&pages, &about), 1, "{tag} {audience} {file}: {about:?}");
            // The opening in the front matter, the call to action on the back cover.
            let front = pages.iter().position(|p| tidy(p).contains(&opening)).unwrap();
            assert!(front <= 2, "{tag} {audience} {file}: the opening is on page {}", front + 1);
            assert!(tidy(pages.last().unwrap()).contains(&call), "{tag} {audience} {file}: not on the back cover");
        }
    }
}

/// The state annex: a divider with the states in the locale's alphabetical order (es-MX: "Nuevo México" before
/// "Ohio", as ICU's collation has them) in three columns, each with its page, which is that state's sheet; the
/// sheets run back to back in both editions, with no blank page among them; a non-government's print edition
/// leaves its blank pages truly blank.
#[test]
fn the_state_index_is_alphabetical_in_the_locale_and_the_annex_runs_back_to_back() {
    let root = build();
    for (tag, audience) in [("es-MX", "private-sector"), ("en-US", "us-government")] {
        let heading = word(root, tag, "pack", "index_heading");
        let notice = word(root, tag, "pack", "blank_page");
        for file in ["pack.pdf", "pack-print.pdf"] {
            let path = out(&format!("{tag}/{audience}/{file}"));
            let pages = pdf_page_texts(&path);
            let d = pages.iter().position(|p| p.contains(&heading)).expect("a divider with the index");
            let index = &pages[d][pages[d].find(&heading).unwrap() + heading.len()..];
            // "Arizona . . . 53 Arkansas . . . 45 …": names and pages, read down the columns.
            let codes = node(root, tag, "state", "names");
            let expected: Vec<String> = listed_documents(root, audience)
                .iter()
                .filter_map(|d| d.strip_prefix("state-"))
                .map(|c| codes[c].as_str().unwrap().to_string())
                .collect();
            let mut entries: Vec<(String, usize)> = Vec::new();
            let mut name: Vec<&str> = Vec::new();
            for token in index.split(' ').filter(|t| !t.is_empty() && !t.chars().all(|c| c == '.')) {
                match token.parse::<usize>() {
                    Ok(page) => entries.push((std::mem::take(&mut name).join(" "), page)),
                    Err(_) => name.push(token),
                }
            }
            entries.retain(|(n, _)| expected.contains(n));
            let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names.len(), expected.len(), "{tag} {file}: {names:?} in {index}");
            let prefs: icu_locale_core::Locale = tag.parse().unwrap();
            let collator = icu_collator::Collator::try_new((&prefs).into(), Default::default()).unwrap();
            let mut sorted = expected.clone();
            sorted.sort_by(|a, b| collator.compare(a, b));
            assert_eq!(names, sorted, "{tag} {file}: the index is not in the locale's order");
            if tag == "es-MX" {
                let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
                assert!(at("Nuevo México") < at("Ohio"), "{names:?}");
            }
            // Each entry's page is its state's sheet, and the sheets follow the divider back to back.
            let mut sheet_pages: Vec<usize> = Vec::new();
            for (name, page) in &entries {
                assert!(pages[page - 1].contains(name.as_str()), "{tag} {file}: page {page} is not {name}'s");
                sheet_pages.push(*page);
            }
            sheet_pages.sort();
            assert_eq!(sheet_pages.first(), Some(&(d + 2)), "{tag} {file}: the first sheet follows the divider");
            assert!(sheet_pages.windows(2).all(|w| w[1] == w[0] + 1), "{tag} {file}: {sheet_pages:?}");
            if file == "pack-print.pdf" {
                assert_eq!(d % 2, 0, "{tag} {file}: the divider is on page {}, a left-hand page", d + 1);
                let blank = pages.iter().filter(|p| p.is_empty()).count();
                let said = pages.iter().filter(|p| tidy(p) == tidy(&notice)).count();
                // The U.S. government expects blank pages to say so; the private sector gets them blank.
                if audience == "us-government" {
                    assert_eq!(blank, 0)
                } else {
                    assert_eq!(said, 0)
                }
                assert!(blank + said > 0, "{tag} {file}: no blank page at all?");
            }
        }
    }
}

/// One rule for the fast facts: numbered 1 to 10 in the order the audience reads them, so the pack's contents,
/// the fast facts' bookmarks and the at-a-glance tiles give each fact the same number.
#[test]
fn contents_bookmarks_and_tiles_agree_on_fast_fact_numbers() {
    let root = build();
    let audiences = std::fs::read_to_string(root.join("data/audiences.yaml")).unwrap();
    let line = audiences.split("- id: ca-government").nth(1).unwrap().lines().find(|l| l.contains("fast_facts:"));
    let order: Vec<String> =
        line.unwrap().split('[').nth(1).unwrap().trim_end_matches(']').split(", ").map(str::to_string).collect();
    assert_eq!(order.len(), 10, "{order:?}");
    for tag in ["en-US", "fr-CA"] {
        let titles: Vec<String> =
            order.iter().map(|id| tidy(&word(root, tag, "fast-facts", &format!("{id}.title")))).collect();
        let pack = out(&format!("{tag}/ca-government/pack-print.pdf"));
        let ff_title = pdf_info(&out(&format!("{tag}/ca-government/fast-facts.pdf")), "Title").unwrap();
        let outline = pdf_outline(&pack);
        let facts = &outline.iter().find(|b| b.title == ff_title).unwrap().children;
        let marks: Vec<String> = facts.iter().map(|b| tidy(&b.title)).collect();
        let expected: Vec<String> = titles.iter().enumerate().map(|(i, t)| format!("{}. {t}", i + 1)).collect();
        assert_eq!(marks, expected, "{tag}: the fast facts' bookmarks");
        // Contents and tiles: the number drawn just left of each title, on its first line.
        let glyphs = pdf_glyphs(&pack);
        let glance = pdf_outline(&pack)
            .iter()
            .find(|b| b.title == pdf_info(&out(&format!("{tag}/ca-government/at-a-glance.pdf")), "Title").unwrap())
            .unwrap()
            .page as u32;
        let contents = pdf_page_texts(&pack).iter().position(|p| p.contains(&ff_title)).unwrap() as u32 + 1;
        for (where_, pages) in [("contents", vec![contents]), ("tiles", vec![glance, glance + 1])] {
            let numbers = numbers_beside(&glyphs, &pages, &titles);
            assert_eq!(numbers, (1..=10).collect::<Vec<_>>(), "{tag}: the {where_} number the facts {numbers:?}");
        }
    }
}

/// The number printed just left of each title (on its first line, or beside its lines) on the given pages: for
/// each title, the nearest run of digits to the left of where the title's first word is drawn.
fn numbers_beside(glyphs: &[PdfGlyph], pages: &[u32], titles: &[String]) -> Vec<usize> {
    // Runs of glyphs on one baseline, split where a gap opens.
    let mut lines: BTreeMap<(u32, i64), Vec<&PdfGlyph>> = BTreeMap::new();
    for g in glyphs.iter().filter(|g| pages.contains(&g.page)) {
        lines.entry((g.page, (g.y * 2.0).round() as i64)).or_default().push(g);
    }
    let mut runs: Vec<(u32, f64, f64, String)> = Vec::new();
    for cs in lines.values_mut() {
        cs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut run: Vec<&PdfGlyph> = Vec::new();
        for g in cs.iter() {
            if run.last().is_some_and(|l| g.x - (l.x + l.width) > 0.6 * g.size) {
                runs.push((run[0].page, run[0].x, run[0].y, run.iter().map(|c| c.text.as_str()).collect()));
                run.clear();
            }
            run.push(g);
        }
        runs.push((run[0].page, run[0].x, run[0].y, run.iter().map(|c| c.text.as_str()).collect()));
    }
    titles
        .iter()
        .map(|title| {
            let start = runs
                .iter()
                .filter(|(_, _, _, t)| t.trim().len() >= 4 && title.starts_with(tidy(t).as_str()))
                .max_by_key(|(_, _, _, t)| t.len())
                .unwrap_or_else(|| panic!("{title:?} is not drawn: {runs:?}"));
            let (page, x, y, _) = start;
            runs.iter()
                .filter(|(p, rx, ry, t)| {
                    p == page && rx < x && x - rx < 40.0 && (ry - y).abs() < 14.0 && t.trim().parse::<usize>().is_ok()
                })
                .min_by(|a, b| (a.2 - y).abs().total_cmp(&(b.2 - y).abs()).then((x - a.1).total_cmp(&(x - b.1))))
                .map_or(0, |(_, _, _, t)| t.trim().parse().unwrap())
        })
        .collect()
}

/// The pack puts the at-a-glance sheet first among its documents, wherever the audience lists it.
#[test]
fn at_a_glance_comes_first_in_a_pack() {
    let dir = shipped_copy();
    let root = dir.path();
    edit(
        root,
        "data/audiences.yaml",
        "documents: [at-a-glance, executive-summary, fast-facts, brief-food-security]",
        "documents: [executive-summary, fast-facts, brief-food-security, at-a-glance]",
    );
    assert_eq!(listed_documents(root, "civil-society").first().map(String::as_str), Some("at-a-glance"));
    let r = briefs(root, &["build", "--audience", "civil-society", "--locale", "en-US"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir_out = root.join("out/en-US/civil-society");
    let glance = pdf_info(&dir_out.join("at-a-glance.pdf"), "Title").unwrap();
    let summary = pdf_info(&dir_out.join("executive-summary.pdf"), "Title").unwrap();
    for file in ["pack.pdf", "pack-print.pdf"] {
        let outline = parts(&dir_out.join(file));
        let first = outline.iter().position(|(t, _)| *t == glance).unwrap();
        let then = outline.iter().position(|(t, _)| *t == summary).unwrap();
        assert_eq!(first, 1, "{file}: {outline:?}");
        assert!(first < then, "{file}: {outline:?}");
    }
}

/// `briefs list`, the manifest, shards and their merge, and the review site all know both editions of a pack.
#[test]
fn list_manifest_shards_merge_and_review_know_both_editions() {
    let dir = shipped_copy();
    let root = dir.path();
    let r = briefs(root, &["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(", pack, pack-print, "), "{}", r.stdout);
    for line in r.stdout.lines().skip_while(|l| !l.starts_with("audience ")).skip(1).take_while(|l| !l.is_empty()) {
        assert!(line.ends_with(", pack, pack-print)"), "{line}");
    }
    let sel = ["--audience", "ca-government", "--locale", "fr-CA"];
    let r = briefs(root, &[&["build", "--out", "whole"], &sel[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    for i in 1..=2 {
        let shard = format!("{i}/2");
        let r = briefs(root, &[&["build", "--shard", shard.as_str(), "--out", &format!("s{i}")], &sel[..]].concat());
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let r = briefs(root, &["merge", "s1", "s2", "--out", "merged"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let manifest = |d: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(root.join(d).join("manifest.json")).unwrap()).unwrap()
    };
    let (whole, merged) = (manifest("whole"), manifest("merged"));
    assert_eq!(whole, merged);
    let paths: Vec<&str> = whole["documents"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    for p in ["fr-CA/ca-government/pack.pdf", "fr-CA/ca-government/pack-print.pdf"] {
        assert!(paths.contains(&p), "{paths:?}");
        assert_eq!(
            std::fs::read(root.join("whole").join(p)).unwrap(),
            std::fs::read(root.join("merged").join(p)).unwrap()
        );
    }
    let r = briefs(root, &[&["review", "--out", "whole", "--doc", "pack,pack-print"], &sel[..]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(root.join("whole/review/index.html")).unwrap();
    for doc in ["pack", "pack-print"] {
        assert!(html.contains(&format!("data-document=\"{doc}\"")), "no {doc} card");
    }
}

/// `--pack-duplex` and an audience's `pack_duplex` are retired: each says what replaced it, the latter where it is.
#[test]
fn the_retired_duplex_settings_say_what_replaced_them() {
    let dir = shipped_copy();
    let root = dir.path();
    let r = briefs(root, &["build", "--pack-duplex", "false"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`--pack-duplex` is retired"), "{}", r.stderr);
    assert!(r.stderr.contains("pack-print.pdf"), "{}", r.stderr);
    edit(root, "data/audiences.yaml", "- id: academia\n", "- id: academia\n  pack_duplex: false\n");
    let r = briefs(root, &["list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`pack_duplex` is retired"), "{}", r.stderr);
    assert!(r.stderr.contains("data/audiences.yaml:"), "{}", r.stderr);
}

/// A pack is rebuilt when a document it includes changes, and only then; both editions are.
#[test]
fn packs_are_rebuilt_with_their_documents() {
    let dir = shipped_copy();
    let root = dir.path();
    let sel = ["build", "--audience", "civil-society", "--locale", "en-US"];
    let r = briefs(root, &sel);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = briefs(root, &sel);
    assert!(r.stdout.contains("0 written, 6 unchanged"), "{}", r.stdout);
    // A changed text in one document rewrites that document and both packs, nothing else.
    let from = word(root, "en-US", "fast-facts", "trade.title");
    edit(root, "locales/en-US/fast-facts.yaml", &format!("title: {from}\n"), "title: Trade in goods\n");
    let r = briefs(root, &sel);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("4 written, 2 unchanged"), "fast facts, at-a-glance and both packs: {}", r.stdout);
    for file in ["pack.pdf", "pack-print.pdf"] {
        assert!(pdf_text(&root.join("out/en-US/civil-society").join(file)).contains("Trade in goods"));
    }
}

/// A final pack conforms to PDF/A-2a and PDF/UA-1, as its XMP metadata says, in both editions. A final build refuses
/// the shipped project's provisional TDR figures and its drafted texts not yet approved, so here they count as
/// sourced and approved.
#[test]
fn final_packs_claim_pdfa_2a_and_pdfua_1() {
    let dir = final_ready_copy();
    let root = dir.path();
    let r = briefs(
        root,
        &["build", "--final", "--audience", "ca-government", "--locale", "en-US", "--doc", "pack,pack-print"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["pack.pdf", "pack-print.pdf"] {
        let xmp = pdf_xmp(&root.join("out/en-US/ca-government").join(file));
        assert_eq!(xmp_property(&xmp, "pdfaid:part").as_deref(), Some("2"), "{xmp}");
        assert_eq!(xmp_property(&xmp, "pdfaid:conformance").as_deref(), Some("A"), "{xmp}");
        assert_eq!(xmp_property(&xmp, "pdfuaid:part").as_deref(), Some("1"), "{xmp}");
    }
}

/// Naming a pack among an audience's documents is an error at its place: every audience gets both anyway.
#[test]
fn an_audience_naming_the_pack_is_told_where() {
    let dir = shipped_copy();
    edit(dir.path(), "data/audiences.yaml", "brief-technology, brief-co-production]", "brief-technology, pack-print]");
    let r = briefs(dir.path(), &["list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`pack-print` is a meeting pack, which every audience gets"), "{}", r.stderr);
    assert!(r.stderr.contains("data/audiences.yaml:"), "{}", r.stderr);
}

/// `diff` names the packs among the documents that show a changed figure, and a translator's XLIFF names a pack
/// only for the pack's own words (a document's text is shown in that document, not again in every pack).
#[test]
fn diff_and_the_translators_notes_name_the_pack() {
    let (old, new) = (shipped_copy(), shipped_copy());
    edit(new.path(), "data/facts/trade.yaml", "  value: 296.2e9\n", "  value: 300e9\n");
    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let change = &r.stdout[r.stdout.find("changed fact port_laredo_freight_2025").expect("the change")..];
    let shown = change.lines().nth(1).unwrap();
    assert!(shown.starts_with("  shown in: ") && shown.contains("pack (general, "), "{}", r.stdout);
    assert!(shown.contains("pack-print (general, "), "{}", r.stdout);

    let xlf = new.path().join("fr-CA.xlf");
    let r = briefs(new.path(), &["i18n", "export", "--locale", "fr-CA", "--out", xlf.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xliff = std::fs::read_to_string(&xlf).unwrap();
    let unit = |id: &str| {
        let start = xliff.find(&format!("<unit id=\"{id}\">")).unwrap_or_else(|| panic!("no unit {id}"));
        xliff[start..start + xliff[start..].find("</unit>").unwrap()].to_string()
    };
    assert!(unit("pack.title").contains("Shown in: pack (academia, ca-government, "), "{}", unit("pack.title"));
    let title = unit("fast-facts.trade.title");
    assert!(title.contains("Shown in: ") && title.contains("fast-facts (") && !title.contains("pack ("), "{title}");
}
