//! `briefs review` in a real browser: after one figure change, headless Chromium renders the site with a card per
//! document and locale, thumbnails on disk, the changed documents marked with their old and new values, nothing
//! remote, and a screenshot that is not blank. Also `--decisions` and `diff --sentences`.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{briefs, edit, fixture};

/// Adds a second document to a copy of the mini fixture, `cover`, that shows the title but none of the figures: the
/// review must leave it unmarked when a figure changes.
fn add_cover(root: &Path) {
    std::fs::write(
        root.join("data/documents.yaml"),
        "- id: note\n  template: note.typ.j2\n- id: cover\n  template: cover.typ.j2\n",
    )
    .unwrap();
    edit(root, "data/audiences.yaml", "documents: [note]", "documents: [note, cover]");
    std::fs::write(
        root.join("templates/cover.typ.j2"),
        "#import \"/house.typ\": *\n#show: brief.with(title: {{ plain(\"common.title\") | str }}, lang: {{ locale.lang | str }}, \
         region: {{ locale.region | str }})\n\n= {{ t(\"common.title\") }}\n\n{{ t(\"note.injection\") }}\n",
    )
    .unwrap();
}

/// The value of `name="..."` inside one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..].split('"').next()?.replace("&#x2f;", "/").replace("&amp;", "&"))
}

/// The text of some HTML as a reader sees it: tags dropped.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every opening tag `<name ...>` of a page, with the text that follows it up to the next such tag.
fn tags<'a>(html: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let from = &rest[i..];
        let end = from.find('>').unwrap();
        let after = &from[end + 1..];
        let next = after.find(&open).unwrap_or(after.len());
        out.push((&from[..=end], &after[..next]));
        rest = &from[end..];
    }
    out
}

/// (document, locale, audience, changed, hidden, body) of every card.
fn cards(html: &str) -> Vec<(String, String, String, String, bool, String)> {
    tags(html, "article")
        .into_iter()
        .filter(|(t, _)| t.contains("class=\"card"))
        .map(|(t, body)| {
            (
                attr(t, "data-document").unwrap(),
                attr(t, "data-locale").unwrap(),
                attr(t, "data-audience").unwrap(),
                attr(t, "data-changed").unwrap(),
                t.contains(" hidden"),
                body.to_string(),
            )
        })
        .collect()
}

/// Chromium's binary. Where it is missing the test fails under CI (`.ci/run` installs it) and elsewhere skips the
/// browser part, saying so.
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("which").arg(name).output()
            && out.status.success()
        {
            return Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "chromium is not installed, and CI is set: the browser test must run (.ci/run installs it with \
         `apt-get install -y chromium`)"
    );
    eprintln!(
        "SKIPPED the browser part of the review test: chromium is not installed here \
         (`apt-get install -y chromium`; under CI this is a failure)"
    );
    None
}

/// Runs headless Chromium on a page with a fresh profile and no network services; its standard output.
fn headless(bin: &Path, profile: &Path, args: &[String], url: &str) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The share of pixels of a PNG that are not white, and how many are the site's "changed" red.
fn ink(png_path: &Path) -> (f64, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let px: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let inked = px.iter().filter(|p| p[..3].iter().any(|&c| c < 235)).count();
    let red = px.iter().filter(|p| p[0] > 170 && p[1] < 90 && p[2] < 90).count();
    (inked as f64 / px.len() as f64, red)
}

#[test]
fn review_site_marks_a_changed_figure_and_renders_in_chromium() {
    let old = fixture("mini");
    let new = fixture("mini");
    add_cover(old.path());
    add_cover(new.path());
    edit(new.path(), "data/facts/trade.yaml", "value: 296.2e9", "value: 310.5e9");
    let args = ["review", "--since", old.path().to_str().unwrap()];
    let r = briefs(new.path(), &args);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("review: 4 card(s)"), "{}", r.stdout);
    let site = new.path().join("out/review");
    let html = std::fs::read_to_string(site.join("index.html")).unwrap();

    // A card per document and locale, locales side by side in one group per document and audience.
    let all = cards(&html);
    let got: BTreeSet<(&str, &str, &str)> = all.iter().map(|c| (c.0.as_str(), c.1.as_str(), c.2.as_str())).collect();
    let mut want = BTreeSet::new();
    for d in ["note", "cover"] {
        for l in ["en-US", "fr-CA"] {
            want.insert((d, l, "general"));
        }
    }
    assert_eq!(got, want);
    assert_eq!(tags(&html, "section").iter().filter(|(t, _)| t.contains("class=\"group\"")).count(), 2);

    // The document that shows the figure is marked in both locales, with the old and new values; the other is not.
    for (doc, locale, _, changed, _, body) in &all {
        let shows = doc == "note";
        assert_eq!(changed, if shows { "true" } else { "false" }, "{doc} {locale}");
        assert_eq!(body.contains("USD 296.2 billion → USD 310.5 billion"), shows, "{doc} {locale}");
        assert_eq!(body.contains("class=\"page changed\""), shows, "{doc} {locale}: page marked changed");
        assert_eq!(body.contains("1-old.png"), shows, "{doc} {locale}: the old page to compare");
    }
    // The sentence that holds the figure, to re-read, in each locale with old and new values.
    let fr = text(&all.iter().find(|c| c.0 == "note" && c.1 == "fr-CA").unwrap().5);
    assert!(fr.contains("old: Laredo a traité plus de 296,2 milliards $ US de fret"), "{fr}");
    assert!(fr.contains("new: Laredo a traité plus de 310,5 milliards $ US de fret"), "{fr}");

    // Every file the page points at is a relative file on disk: nothing remote, a thumbnail per page.
    let mut thumbs = Vec::new();
    for name in ["img", "a", "link", "script"] {
        for (t, _) in tags(&html, name) {
            let Some(link) = attr(t, "src").or_else(|| attr(t, "href")) else { continue };
            if link.starts_with('#') {
                continue;
            }
            assert!(!link.contains("://") && !link.starts_with("//"), "not a relative file: {link}");
            let path = site.join(link.split('#').next().unwrap());
            assert!(path.is_file(), "missing on disk: {link}");
            if link.ends_with("-thumb.png") {
                thumbs.push(path);
            }
        }
    }
    let pdf_pages: usize = ["note", "cover"]
        .iter()
        .flat_map(|d| ["en-US", "fr-CA"].map(|l| new.path().join(format!("out/{l}/general/{d}.pdf"))))
        .map(|p| lopdf::Document::load(p).unwrap().get_pages().len())
        .sum();
    assert_eq!(thumbs.len(), pdf_pages, "a thumbnail per page of every PDF");
    for t in &thumbs {
        assert!(std::fs::read(t).unwrap().starts_with(b"\x89PNG"), "{}", t.display());
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "no remote address in the page");

    // Full-size images only for the changed pages (the note's); every other page opens in its PDF.
    for (doc, locale, _, _, _, body) in &all {
        let dir = site.join(format!("pages/{locale}/general/{doc}"));
        assert_eq!(dir.join("1.png").is_file(), doc == "note", "{doc} {locale}: a full-size image");
        let opens_pdf =
            body.replace("&#x2f;", "/").contains(&format!("href=\"pdf/{locale}/general/{doc}.pdf#page=1\""));
        assert_eq!(opens_pdf, doc == "cover", "{doc} {locale}: an unchanged page opens in the PDF");
    }

    // Reviewing again keeps every image (nothing changed).
    let again = briefs(new.path(), &args);
    assert!(again.stdout.contains(&format!("(0 rendered, {pdf_pages} kept; 2 at full size)")), "{}", again.stdout);

    let Some(bin) = chromium() else { return };
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", site.join("index.html").display());
    // What the browser shows: every card, every page image loaded, the changed ones marked with both values.
    let dom = headless(&bin, profile.path(), &["--dump-dom".into()], &url);
    assert!(dom.contains("<html lang=\"en\" class=\"js\">"), "the script did not run:\n{}", &dom[..dom.len().min(400)]);
    let seen = cards(&dom);
    assert_eq!(seen.len(), 4, "cards in the browser's DOM");
    assert!(dom.contains(&format!("data-images=\"{pdf_pages} of {pdf_pages}\"")), "page images the browser loaded");
    for (doc, locale, _, changed, hidden, body) in &seen {
        assert!(!hidden, "{doc} {locale} hidden without a filter");
        let shows = doc == "note";
        assert_eq!(changed, if shows { "true" } else { "false" }, "{doc} {locale}");
        assert_eq!(body.contains(">changed</span>"), shows, "{doc} {locale}: the changed badge");
        assert_eq!(body.contains("USD 296.2 billion → USD 310.5 billion"), shows, "{doc} {locale}");
    }
    let en = text(&seen.iter().find(|c| c.0 == "note" && c.1 == "en-US").unwrap().5);
    assert!(en.contains("new: Laredo handled over USD 310.5 billion in freight"), "the sentence to re-read: {en}");
    // With the "only changed" filter from the address, the script hides the unchanged cards.
    let dom = headless(&bin, profile.path(), &["--dump-dom".into()], &format!("{url}#changed"));
    for (doc, locale, _, changed, hidden, _) in &cards(&dom) {
        assert_eq!(*hidden, changed == "false", "{doc} {locale}: hidden={hidden}, changed={changed}");
    }
    assert!(dom.contains("2 of 4 cards"), "filter count");

    let shot = profile.path().join("shot.png");
    headless(
        &bin,
        profile.path(),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,1800".into()],
        &url,
    );
    let (inked, red) = ink(&shot);
    assert!(inked > 0.05, "the screenshot is nearly blank: {:.1}% of pixels not white", inked * 100.0);
    assert!(red > 200, "no changed mark visible in the screenshot ({red} red pixels)");
}

#[test]
fn decisions_say_which_documents_are_approved() {
    let dir = fixture("mini");
    let r = briefs(dir.path(), &["review"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/manifest.json")).unwrap()).unwrap();
    let sha = manifest["documents"].as_array().unwrap().iter().find(|d| d["path"] == "en-US/general/note.pdf").unwrap()
        ["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let decisions = format!(
        r#"{{"format": "briefs-review-decisions", "version": 1, "edition": "{}", "reviewer": "Ana",
            "decisions": [
              {{"document": "note", "locale": "en-US", "audience": "general", "decision": "approved", "comment": "", "sha256": "{sha}"}},
              {{"document": "note", "locale": "fr-CA", "audience": "general", "decision": "changes", "comment": "wrong period", "sha256": "x"}}
            ]}}"#,
        manifest["edition"].as_str().unwrap()
    );
    std::fs::write(dir.path().join("ana.json"), decisions).unwrap();
    let r = briefs(dir.path(), &["review", "--decisions", "ana.json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "approved (1):\n  en-US/general/note.pdf (by Ana)\nnot approved (1):\n  \
         fr-CA/general/note.pdf: changes requested (Ana: \"wrong period\")\n1 of 2 document(s) approved\n"
    );
    std::fs::write(dir.path().join("bad.json"), "{\"format\": 1}").unwrap();
    let r = briefs(dir.path(), &["review", "--decisions", "bad.json"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("bad.json:1:"), "{}", r.stderr);
    assert!(r.stderr.contains("not a review decisions file"), "{}", r.stderr);
}

#[test]
fn diff_lists_the_sentences_that_hold_a_changed_figure() {
    let old = fixture("mini");
    let new = fixture("mini");
    edit(new.path(), "data/facts/trade.yaml", "value: 296.2e9", "value: 312.5e9");
    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap(), "--sentences"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("2 sentence(s) hold a changed figure; re-read them:"), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "laredo_freight_2025 [en-US] note.body (locales/en-US/note.yaml:1)\n  \
             old: Laredo handled over USD 296.2 billion in freight; Mexico lost 48,375; it supplied 32.7%.\n  \
             new: Laredo handled over USD 312.5 billion in freight; Mexico lost 48,375; it supplied 32.7%.\n  \
             shown in: note (general)\n"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("(More below.)"), "only the sentence with the figure: {}", r.stdout);
    let json = briefs(new.path(), &["diff", old.path().to_str().unwrap(), "--sentences", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let fr = v["sentences"].as_array().unwrap().iter().find(|s| s["locale"] == "fr-CA").unwrap();
    assert!(fr["new"].as_str().unwrap().contains("312,5"), "{fr}");
    // Without the flag, no sentences.
    let plain = briefs(new.path(), &["diff", old.path().to_str().unwrap(), "--format", "json"]);
    assert!(!plain.stdout.contains("\"sentences\""), "{}", plain.stdout);
}

#[test]
fn a_stale_translation_shows_on_its_review_card() {
    let dir = fixture("mini");
    add_cover(dir.path());
    // The en-US title changes after fr-CA translated it: the fr-CA cards that show it say so.
    edit(dir.path(), "locales/en-US/common.yaml", "title: Test note", "title: Test note, revised");
    let r = briefs(dir.path(), &["review"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(dir.path().join("out/review/index.html")).unwrap();
    let all = cards(&html);
    assert_eq!(all.len(), 4);
    for (doc, locale, _, _, _, body) in &all {
        let stale =
            text(body).contains("stale translation common.title: the en-US text changed since it was translated");
        assert_eq!(stale, locale == "fr-CA", "{doc} {locale}: {}", text(body));
    }
    // Recorded as reviewed, the warning goes.
    let r = briefs(dir.path(), &["i18n", "mark-reviewed", "--locale", "fr-CA", "--key", "common.title"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(briefs(dir.path(), &["review"]).code, 0);
    let html = std::fs::read_to_string(dir.path().join("out/review/index.html")).unwrap();
    assert!(!html.contains("stale translation"), "the mark stays after review");
}

#[test]
fn a_new_edition_date_alone_changes_no_card() {
    let old = common::shipped_copy();
    let new = common::shipped_copy();
    let root = new.path();
    edit(root, "data/edition.yaml", "id: \"2026-04\"", "id: \"2026-07\"");
    edit(root, "data/edition.yaml", "title: April 2026 update", "title: July 2026 update");
    edit(root, "data/edition.yaml", "date: \"2026-04-01\"", "date: \"2026-07-01\"");
    edit(root, "data/sources.yaml", "  title: April 2026 update", "  title: July 2026 update");
    let since = old.path().to_str().unwrap();
    let args = ["review", "--since", since, "--doc", "fast-facts,executive-summary", "--audience", "general"];
    let r = briefs(root, &[&args[..], &["--locale", "en-US,fr-CA"]].concat());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("review: 4 card(s)") && r.stdout.contains(", 0 changed in "), "{}", r.stdout);
    // Every page carries the edition in its header or footer: the pages were compared under the new furniture.
    let text = common::pdf_text(&root.join("out/en-US/general/fast-facts.pdf"));
    let pages = text.matches(" · July 2026 update Page ").count();
    let of: usize = text
        .split("Page 1 of ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a page count in the footer");
    assert!(of > 1 && pages == of, "the edition in every page's footer ({pages} of {of} pages): {text}");
    let html = std::fs::read_to_string(root.join("out/review/index.html")).unwrap();
    assert!(cards(&html).iter().all(|c| c.3 == "false"), "a card marked changed");
    // The edition's own change is listed first.
    let page = self::text(&html);
    let first = page.find("changed edition id: 2026-04 → 2026-07").expect("the edition's change is listed");
    assert!(page[first..].contains("changed edition date: 2026-04-01 → 2026-07-01"), "{page}");
    assert!(page[first..].contains("changed edition source tnap: "), "the update's own source entry: {page}");
    assert!(!page.contains("changed fact") && !page.contains("changed source"), "nothing else changed: {page}");
    assert!(!root.join("out/review/pages/en-US/general/fast-facts/1.png").exists(), "no full-size image");
}
