//! Meeting packs: one PDF per audience and locale with a cover, a contents page and the audience's documents,
//! navigable by bookmarks and laid out for double-sided printing (README, "Preparing a meeting").

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::*;

/// The documents `briefs list` gives an audience, in its order, without the pack.
fn listed_documents(root: &Path, audience: &str) -> Vec<String> {
    let r = briefs(root, &["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line = r.stdout.lines().find(|l| l.starts_with(&format!("{audience} "))).expect("audience listed");
    let inner = &line[line.find('(').unwrap() + 1..line.rfind(')').unwrap()];
    inner.split(", ").filter(|d| *d != "pack").map(str::to_string).collect()
}

/// A key of `locales/<tag>/<file>.yaml`, dotted ("ca-government.cover_line").
fn word(root: &Path, tag: &str, file: &str, key: &str) -> String {
    let text = std::fs::read_to_string(root.join(format!("locales/{tag}/{file}.yaml"))).unwrap();
    let words: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    key.split('.').fold(&words, |v, k| &v[k]).as_str().unwrap_or_else(|| panic!("{file}.{key}")).to_string()
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

/// For ca-government in each locale: the pack holds every document in the audience's order, the contents give
/// the page each document's title is on, every document starts on a right-hand page after a blank left-hand
/// one, and the bookmarks lead to each document and, in the fast facts, to each fact.
#[test]
fn ca_government_packs_list_and_hold_every_document_in_order() {
    let dir = shipped_copy();
    let root = dir.path();
    let r = briefs(root, &["build", "--audience", "ca-government", "--emit-typst", "typ"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let docs = listed_documents(root, "ca-government");
    assert!(docs.len() >= 5, "{docs:?}");
    for tag in ["en-US", "fr-CA"] {
        let out = root.join("out").join(tag).join("ca-government");
        let pack = out.join("pack.pdf");
        assert!(pack.is_file(), "{} missing", pack.display());
        let pages = pdf_page_texts(&pack);
        let titles: Vec<String> =
            docs.iter().map(|d| pdf_info(&out.join(format!("{d}.pdf")), "Title").unwrap()).collect();

        // The cover: the pack's title in the locale, the edition, the audience's cover line and the date, as the
        // documents' own banners print them ("April 2026 update · April 1, 2026 · For the Government of Canada").
        let (title, cover_line) =
            (word(root, tag, "pack", "title"), word(root, tag, "audiences", "ca-government.cover_line"));
        let banner = pdf_page_texts(&out.join("executive-summary.pdf")).remove(0);
        let dateline = &banner[..banner.find(&format!(" · {cover_line}")).expect("a dateline in the banner")];
        let (before, date) = dateline.rsplit_once(" · ").unwrap();
        let cover = &pages[0];
        let after_title =
            &cover[cover.find(&format!("{title} ")).unwrap_or_else(|| panic!("{tag}: {cover}")) + title.len() + 1..];
        let edition = &after_title[..after_title.find(&cover_line).unwrap_or_else(|| panic!("{tag}: {cover}"))].trim();
        assert!(!edition.is_empty() && before.ends_with(edition), "{tag}: the cover's edition {edition:?}: {cover}");
        assert!(cover.contains(&format!("{cover_line} {date}")), "{tag}: the cover lacks the date {date:?}: {cover}");
        let lengths: Vec<usize> = docs.iter().map(|d| pdf_page_texts(&out.join(format!("{d}.pdf"))).len()).collect();
        assert!(pages.len() > lengths.iter().sum::<usize>() + 1, "{tag}: {} pages", pages.len());

        // The contents: every title, in the audience's order, with the page its title is on.
        let c = pages.iter().position(|p| titles.iter().all(|t| p.contains(t.as_str()))).expect("a contents page");
        let contents = &pages[c];
        let positions: Vec<usize> = titles.iter().map(|t| contents.find(t.as_str()).unwrap()).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{tag}: not in the audience's order: {contents}");
        assert_eq!(c % 2, 0, "{tag}: the contents start on a left-hand page");
        let (page, of) = (word(root, tag, "common", "page"), word(root, tag, "common", "of"));
        let mut starts = Vec::new();
        for (title, length) in titles.iter().zip(&lengths) {
            let n = contents_page(contents, title);
            let first = c + 1 + pages[c + 1..].iter().position(|p| p.contains(title.as_str())).unwrap();
            assert_eq!(n, first + 1, "{tag}: the contents say {title:?} is on page {n}");
            // Page numbers run on through the pack: "Page 12 of 48".
            let footer = format!("{page} {n} {of} {}", pages.len());
            assert!(pages[n - 1].contains(&footer), "{tag}: page {n} lacks {footer:?}: {}", pages[n - 1]);
            assert_eq!(n % 2, 1, "{tag}: {title:?} starts on page {n}, a left-hand page");
            starts.push((n, *length));
        }
        // Between documents, only truly blank pages (no header, no footer).
        starts.push((pages.len() + 1, 0));
        for w in starts.windows(2) {
            let ((start, length), (next, _)) = (w[0], w[1]);
            for blank in start + length..next {
                assert!(pages[blank - 1].is_empty(), "{tag}: page {blank} should be blank: {}", pages[blank - 1]);
            }
        }

        // Bookmarks: one per document, at its first page, with its sections (ten facts in the fast facts).
        let outline = pdf_outline(&pack);
        for (title, (n, _)) in titles.iter().zip(&starts) {
            let mark = outline.iter().find(|b| &b.title == title).unwrap_or_else(|| panic!("{title:?} bookmark"));
            assert_eq!(mark.page, *n, "{tag}: the {title:?} bookmark opens page {}", mark.page);
            assert!(!mark.children.is_empty(), "{tag}: {title:?} has no section bookmarks");
        }
        let i = docs.iter().position(|d| d == "fast-facts").unwrap();
        let facts = &outline.iter().find(|b| b.title == titles[i]).unwrap().children;
        assert_eq!(facts.len(), 10, "{tag}: fast facts bookmarks {facts:?}");
    }
    // The fast-facts PDF itself: its title, with the ten facts under it, numbered as on their cards.
    let outline = pdf_outline(&root.join("out/en-US/ca-government/fast-facts.pdf"));
    assert_eq!(outline.len(), 1, "{outline:?}");
    let mut numbers: Vec<usize> =
        outline[0].children.iter().map(|b| b.title.split('.').next().unwrap().parse().unwrap()).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
    // The emitted pack includes its documents from beside it, as `typst compile --root typ` needs.
    let typ = std::fs::read_to_string(root.join("typ/en-US/ca-government/pack.typ")).unwrap();
    for d in &docs {
        assert!(typ.contains(&format!("#include \"{d}.typ\"")), "{typ}");
        assert!(root.join(format!("typ/en-US/ca-government/{d}.typ")).is_file());
    }
}

/// The state one-pagers are one contents line with each state's name and first page, and each is a bookmark;
/// provisional figures in several documents of a pack each keep their footnote (their labels do not collide).
#[test]
fn a_pack_groups_the_state_pages_and_footnotes_provisional_figures_in_each_document() {
    let dir = shipped_copy();
    let root = dir.path();
    // Laredo's freight is shown in the executive summary and the fast facts; the co-production brief already
    // footnotes its provisional trade deficit ratios.
    edit(root, "data/facts/trade.yaml", "  value: 296.2e9\n", "  value: 296.2e9\n  provisional: a test\n");
    let r = briefs(root, &["build", "--doc", "pack", "--audience", "us-government", "--pack-duplex", "false"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pages = pdf_page_texts(&root.join("out/en-US/us-government/pack.pdf"));
    let contents = &pages[1];
    let heading = word(root, "en-US", "pack", "states_title");
    assert_eq!(contents.matches(heading.as_str()).count(), 1, "{contents}");
    let states = &contents[contents.find(heading.as_str()).unwrap()..];
    let outline = pdf_outline(&root.join("out/en-US/us-government/pack.pdf"));
    let docs = listed_documents(root, "us-government");
    let codes: Vec<&str> = docs.iter().filter_map(|d| d.strip_prefix("state-")).collect();
    assert!(codes.len() > 20, "{codes:?}");
    let mut last = 0;
    for code in codes {
        let name = word(root, "en-US", "state", &format!("names.{code}"));
        let n = contents_page(states, &name);
        assert!(n > last, "{name} on page {n}, after page {last}: not in the audience's order");
        last = n;
        assert!(pages[n - 1].contains(&name), "page {n} is not {name}'s: {}", pages[n - 1]);
        assert!(outline.iter().any(|b| b.page == n && b.title.contains(&name)), "no bookmark for {name} at page {n}");
    }
    let provisional = word(root, "en-US", "common", "provisional");
    let footnoted = pages.iter().filter(|p| p.contains(&provisional)).count();
    assert!(footnoted >= 3, "{footnoted} pages footnote a provisional figure (summary, fast facts, co-production)");
}

/// `pack_duplex: false` (audiences.yaml) lays a pack out for the screen, `--pack-duplex` overrides it, and a pack
/// is rebuilt when a document it includes changes, and only then.
#[test]
fn packs_for_the_screen_and_rebuilt_with_their_documents() {
    let dir = shipped_copy();
    let root = dir.path();
    let sel = ["build", "--audience", "ca-government", "--locale", "en-US"];
    let r = briefs(root, &sel);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = root.join("out/en-US/ca-government");
    let duplex = pdf_page_texts(&out.join("pack.pdf")).len();
    let docs: usize = listed_documents(root, "ca-government")
        .iter()
        .map(|d| pdf_page_texts(&out.join(format!("{d}.pdf"))).len())
        .sum();

    edit(root, "data/audiences.yaml", "- id: ca-government\n", "- id: ca-government\n  pack_duplex: false\n");
    let r = briefs(root, &sel);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 written, 5 unchanged"), "only the pack changes: {}", r.stdout);
    let screen = pdf_page_texts(&out.join("pack.pdf"));
    assert_eq!(screen.len(), 2 + docs, "a cover, one contents page and the documents, no blank page");
    assert!(duplex > screen.len(), "duplex: {duplex} pages, screen: {}", screen.len());
    assert!(screen.iter().all(|p| !p.is_empty()));

    let r = briefs(root, &[&sel[..], &["--pack-duplex", "true"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(pdf_page_texts(&out.join("pack.pdf")).len(), duplex);

    // A changed text in one document rewrites that document and the pack, nothing else.
    edit(root, "locales/en-US/fast-facts.yaml", "glance: The ten facts at a glance", "glance: Ten facts, one look");
    let r = briefs(root, &[&sel[..], &["--pack-duplex", "true"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2 written, 4 unchanged"), "{}", r.stdout);
    assert!(pdf_text(&out.join("pack.pdf")).contains("Ten facts, one look"));
}

/// A final pack conforms to PDF/A-2a and PDF/UA-1, as its XMP metadata says. A final build refuses the shipped
/// project's provisional TDR figures and its drafted texts not yet approved, so here they count as sourced and
/// approved.
#[test]
fn final_pack_claims_pdfa_2a_and_pdfua_1() {
    let dir = shipped_copy();
    let root = dir.path();
    let drafted = std::fs::read_to_string(root.join("locales/drafted.yaml")).unwrap();
    let approved: String = drafted
        .lines()
        .map(|l| if l.starts_with("- key:") { format!("{l}\n  approved: true\n") } else { format!("{l}\n") })
        .collect();
    write(root, "locales/drafted.yaml", &approved);
    let tdr = std::fs::read_to_string(root.join("data/facts/tdr.yaml")).unwrap();
    let sourced: String =
        tdr.lines().filter(|l| !l.trim_start().starts_with("provisional:")).map(|l| l.to_string() + "\n").collect();
    write(root, "data/facts/tdr.yaml", &sourced);
    let r = briefs(root, &["build", "--final", "--audience", "ca-government", "--locale", "en-US", "--doc", "pack"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xmp = pdf_xmp(&root.join("out/en-US/ca-government/pack.pdf"));
    assert_eq!(xmp_property(&xmp, "pdfaid:part").as_deref(), Some("2"), "{xmp}");
    assert_eq!(xmp_property(&xmp, "pdfaid:conformance").as_deref(), Some("A"), "{xmp}");
    assert_eq!(xmp_property(&xmp, "pdfuaid:part").as_deref(), Some("1"), "{xmp}");
}

/// Naming the pack among an audience's documents is an error at its place: every audience gets it anyway.
#[test]
fn an_audience_naming_the_pack_is_told_where() {
    let dir = shipped_copy();
    edit(dir.path(), "data/audiences.yaml", "brief-technology, brief-co-production]", "brief-technology, pack]");
    let r = briefs(dir.path(), &["list"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("`pack` is a meeting pack, which every audience gets"), "{}", r.stderr);
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

    let xlf = new.path().join("fr-CA.xlf");
    let r = briefs(new.path(), &["i18n", "export", "--locale", "fr-CA", "--out", xlf.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let xliff = std::fs::read_to_string(&xlf).unwrap();
    let unit = |id: &str| {
        let start = xliff.find(&format!("<unit id=\"{id}\">")).unwrap_or_else(|| panic!("no unit {id}"));
        xliff[start..start + xliff[start..].find("</unit>").unwrap()].to_string()
    };
    assert!(unit("pack.title").contains("Shown in: pack (academia, ca-government, "), "{}", unit("pack.title"));
    let glance = unit("fast-facts.glance");
    assert!(glance.contains("Shown in: fast-facts (") && !glance.contains("pack ("), "{glance}");
}
