//! Regenerating an edition: incremental builds, `briefs diff` (folders and git revisions) and `briefs watch`.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::{briefs, copy_dir, edit, fixture, write};

/// The mini fact file holding the figure the tests change.
const TRADE: &str = "data/facts/trade.yaml";

/// Adds a second document, `jobs`, that shows only `mfg_jobs_lost_mx`, so a change to
/// `laredo_freight_2025` concerns `note` and not `jobs`.
fn add_jobs_document(root: &Path) {
    edit(
        root,
        "data/documents.yaml",
        "  template: note.typ.j2\n",
        "  template: note.typ.j2\n- id: jobs\n  template: jobs.typ.j2\n",
    );
    edit(root, "data/audiences.yaml", "documents: [note]", "documents: [note, jobs]");
    write(
        root,
        "templates/jobs.typ.j2",
        "#import \"/house.typ\": *\n\
         #show: brief.with(title: {{ plain(\"common.title\") | str }}, lang: {{ locale.lang | str }}, region: {{ locale.region | str }})\n\
         \n= {{ t(\"common.title\") }}\n\n{{ fact(\"mfg_jobs_lost_mx\") }}\n\n{{ sources() }}\n",
    );
}

/// Path → SHA-256 of every document in `out/manifest.json`.
fn manifest_shas(root: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root.join("out/manifest.json")).expect("out/manifest.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("manifest is JSON");
    json["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| (d["path"].as_str().unwrap().to_string(), d["sha256"].as_str().unwrap().to_string()))
        .collect()
}

/// Runs `briefs build` with extra arguments, asserting success and the written/unchanged counts.
fn build_expect(root: &Path, args: &[&str], written: usize, unchanged: usize) {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let r = briefs(root, &all);
    assert_eq!(r.code, 0, "build {args:?} failed:\n{}{}", r.stdout, r.stderr);
    let want = format!("{written} written, {unchanged} unchanged");
    assert!(r.stdout.contains(&want), "build {args:?}: expected `{want}` in:\n{}", r.stdout);
}

#[test]
fn changing_one_figure_rewrites_only_the_documents_that_show_it() {
    let dir = fixture("mini");
    let root = dir.path();
    add_jobs_document(root);
    build_expect(root, &[], 4, 0);
    let before = manifest_shas(root);
    assert_eq!(before.len(), 4, "{before:?}");

    build_expect(root, &[], 0, 4);
    assert_eq!(manifest_shas(root), before, "an unchanged build changed a document");

    edit(root, TRADE, "value: 296.2e9", "value: 300e9");
    build_expect(root, &["--doc", "note", "--locale", "en-US", "--audience", "general"], 1, 0);
    build_expect(root, &[], 1, 3);
    let after = manifest_shas(root);
    for (path, sha) in &before {
        let same = after.get(path) == Some(sha);
        if path.ends_with("/note.pdf") {
            assert!(!same, "{path} shows the figure but was not rewritten");
        } else {
            assert!(same, "{path} does not show the figure but changed");
        }
    }
    for (path, sha) in &after {
        let bytes = std::fs::read(root.join("out").join(path)).unwrap();
        assert!(!bytes.is_empty() && sha.len() == 64, "{path}");
    }

    build_expect(root, &["--force"], 4, 0);
    assert_eq!(manifest_shas(root), after, "a forced rebuild of the same inputs must give the same bytes");
}

#[test]
fn a_document_deleted_from_out_is_rebuilt() {
    let dir = fixture("mini");
    let root = dir.path();
    build_expect(root, &[], 2, 0);
    std::fs::remove_file(root.join("out/fr-CA/general/note.pdf")).unwrap();
    build_expect(root, &[], 1, 1);
    assert!(root.join("out/fr-CA/general/note.pdf").is_file());
}

/// Two copies of the mini fixture: the old edition and a new one with a changed figure, a new fact,
/// a changed translation and a removed source URL.
fn old_and_new() -> (tempfile::TempDir, tempfile::TempDir) {
    let old = fixture("mini");
    let new = tempfile::tempdir().unwrap();
    copy_dir(old.path(), new.path());
    let root = new.path();
    edit(root, TRADE, "value: 296.2e9", "value: 300e9");
    let facts = std::fs::read_to_string(root.join(TRADE)).unwrap();
    write(
        root,
        TRADE,
        &format!("{facts}- id: crossings_2025\n  value: 12000\n  unit: count\n  period: \"2025\"\n  sources: [bts]\n"),
    );
    edit(root, "locales/fr-CA/note.yaml", "Laredo a traité plus de", "Laredo a traité");
    (old, new)
}

#[test]
fn diff_of_two_folders_names_the_changed_figure_with_both_values() {
    let (old, new) = old_and_new();
    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap(), "--root", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let out = &r.stdout;
    assert!(out.starts_with("edition 2026-04 → 2026-04\n"), "{out}");
    assert!(
        out.contains("changed fact laredo_freight_2025: USD 296.2 billion → USD 300 billion (data/facts/trade.yaml:1)"),
        "{out}"
    );
    assert!(out.contains("  shown in: note (general)"), "{out}");
    assert!(out.contains("added fact crossings_2025: 12,000 (data/facts/trade.yaml:"), "{out}");
    assert!(out.contains("changed text note.body (fr-CA) (locales/fr-CA/note.yaml:1)"), "{out}");
    assert!(out.trim_end().ends_with("3 changes"), "{out}");
    assert!(!out.contains("mfg_jobs_lost_mx"), "an unchanged fact is listed:\n{out}");

    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("diff --format json prints JSON");
    assert_eq!(json["old_edition"], "2026-04");
    assert_eq!(json["new_edition"], "2026-04");
    let changes = json["changes"].as_array().unwrap();
    let fact = changes.iter().find(|c| c["id"] == "laredo_freight_2025").expect("the changed fact");
    assert_eq!(fact["kind"], "fact");
    assert_eq!(fact["change"], "changed");
    assert_eq!(fact["old"], "USD 296.2 billion");
    assert_eq!(fact["new"], "USD 300 billion");
    assert_eq!(fact["documents"], serde_json::json!([{"document": "note", "audiences": ["general"]}]));
    let text = changes.iter().find(|c| c["kind"] == "text").expect("the changed text");
    assert_eq!(text["locale"], "fr-CA");
    assert_eq!(changes.len(), 3, "{changes:?}");
}

/// The whole of `diff`'s text and JSON for a changed figure, an added one and a changed translation: every line,
/// its place and its documents, as a reader sees them (the old folder's temporary path written `[OLD]`).
#[test]
fn diff_output_is_snapshotted() {
    let (old, new) = old_and_new();
    let old_path = old.path().to_str().unwrap();
    let r = briefs(new.path(), &["diff", old_path]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("diff_text", r.stdout.replace(old_path, "[OLD]"));
    let r = briefs(new.path(), &["diff", old_path, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("diff_json", r.stdout.replace(old_path, "[OLD]"));
}

#[test]
fn diff_of_identical_projects_reports_no_changes() {
    let old = fixture("mini");
    let new = fixture("mini");
    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "edition 2026-04 → 2026-04\nno changes\n");
}

#[test]
fn diff_fails_with_a_located_error_when_a_project_does_not_load() {
    let (old, new) = old_and_new();
    edit(old.path(), TRADE, "value: 296.2e9", "value: [296.2e9");
    let r = briefs(new.path(), &["diff", old.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("old edition: invalid YAML"), "{}", r.stderr);
    assert!(r.stderr.contains("data/facts/trade.yaml:"), "{}", r.stderr);

    let r = briefs(new.path(), &["diff", "no-such-folder-or-revision"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("no-such-folder-or-revision"), "{}", r.stderr);
}

/// Runs git in a folder with a fixed identity, asserting success.
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=briefs test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn diff_against_a_git_revision() {
    // git is part of the test environment: .ci/run installs it.
    assert!(Command::new("git").arg("--version").output().is_ok(), "git is not on PATH (.ci/run installs it)");
    let dir = fixture("mini");
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "edition 2026-04"]);
    edit(root, TRADE, "value: 296.2e9", "value: 300e9");

    let r = briefs(root, &["diff", "HEAD"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("changed fact laredo_freight_2025: USD 296.2 billion → USD 300 billion"), "{}", r.stdout);
    assert!(r.stdout.trim_end().ends_with("1 change"), "{}", r.stdout);

    let r = briefs(root, &["diff", "HEAD~5"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("`HEAD~5` is not a folder nor a revision"), "{}", r.stderr);

    // A revision whose data does not load fails with the error located in that revision.
    edit(root, TRADE, "value: 300e9", "value: [300e9");
    git(root, &["commit", "-q", "-am", "broken"]);
    edit(root, TRADE, "value: [300e9", "value: 300e9");
    let r = briefs(root, &["diff", "HEAD"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("HEAD:data/facts/trade.yaml:"), "{}", r.stderr);
}

/// A running `briefs watch`, killed when dropped (also when a test fails).
struct Watch {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `briefs watch ARGS` in `root`, reading its output line by line.
fn spawn_watch(root: &Path, args: &[&str]) -> Watch {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefs"))
        .arg("watch")
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("briefs watch starts");
    let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    Watch { child, stdout: lines(out), stderr: lines(err) }
}

/// Forwards each line a child prints to a channel.
fn lines(from: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a line containing `want`, returning every line read; fails after `secs` seconds.
fn wait_line(rx: &Receiver<String>, want: &str, secs: u64) -> Vec<String> {
    let end = Instant::now() + Duration::from_secs(secs);
    let mut seen = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(l) => {
                let hit = l.contains(want);
                seen.push(l);
                if hit {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!("no line containing {want:?} within {secs}s; got:\n{}", seen.join("\n"));
}

/// Waits until a file's bytes differ from `old`; fails after `secs` seconds.
fn wait_changed(path: &Path, old: &[u8], secs: u64) -> Vec<u8> {
    let end = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < end {
        if let Ok(now) = std::fs::read(path)
            && now != old
        {
            return now;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} was not rewritten within {secs}s", path.display());
}

#[test]
fn watch_rebuilds_on_save_and_keeps_the_last_good_pdf_on_a_broken_edit() {
    let dir = fixture("mini");
    let root = dir.path();
    let w = spawn_watch(root, &["--locale", "en-US"]);
    let pdf = root.join("out/en-US/general/note.pdf");

    let first = wait_line(&w.stdout, "watching", 60);
    assert!(first.iter().any(|l| l.starts_with("built 1, unchanged 0 in ")), "{first:?}");
    let good = std::fs::read(&pdf).expect("the first build wrote the PDF");

    edit(root, TRADE, "value: 296.2e9", "value: 300e9");
    let edited = wait_changed(&pdf, &good, 10);
    let rebuilt = wait_line(&w.stdout, "rebuilt", 10);
    assert!(rebuilt.iter().any(|l| l.starts_with("rebuilt 1, unchanged 0 in ") && l.ends_with(" ms")), "{rebuilt:?}");

    edit(root, TRADE, "value: 300e9", "value: [300e9");
    let errors = wait_line(&w.stderr, "last good PDFs are kept", 10);
    let errors = errors.join("\n");
    assert!(errors.contains("data/facts/trade.yaml:"), "{errors}");
    assert_eq!(std::fs::read(&pdf).unwrap(), edited, "a broken edit changed the PDF");

    edit(root, TRADE, "value: [300e9", "value: 301e9");
    wait_changed(&pdf, &edited, 10);
    wait_line(&w.stdout, "rebuilt 1", 10);
}

#[test]
fn changing_the_edition_date_rewrites_every_document() {
    let dir = fixture("mini");
    let root = dir.path();
    build_expect(root, &[], 2, 0);
    // The mini template does not print the date, but every PDF's timestamp is the edition date.
    edit(root, "data/edition.yaml", "2026-04-01", "2026-05-01");
    // The id and title say April: the edition is refused until they say May too.
    assert_eq!(briefs(root, &["build"]).code, 1);
    edit(root, "data/edition.yaml", "\"2026-04\"", "\"2026-05\"");
    edit(root, "data/edition.yaml", "April 2026", "May 2026");
    build_expect(root, &[], 2, 0);
    let pdf = std::fs::read(root.join("out/en-US/general/note.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("D:20260501"), "the PDF does not carry the new edition date");
}

#[test]
fn watch_ignores_its_own_out_folder_inside_a_watched_folder() {
    let dir = fixture("mini");
    let root = dir.path();
    let w = spawn_watch(root, &["--locale", "en-US", "--out", "templates/out"]);
    wait_line(&w.stdout, "watching", 60);
    assert!(root.join("templates/out/en-US/general/note.pdf").is_file());
    // Writing the PDFs and the manifest must not set off a rebuild (and so on, forever).
    let extra = w.stdout.recv_timeout(Duration::from_millis(1500));
    assert!(extra.is_err(), "a rebuild without an edit: {extra:?}");
    edit(root, TRADE, "value: 296.2e9", "value: 300e9");
    wait_line(&w.stdout, "rebuilt 1, unchanged 0", 10);
    let extra = w.stdout.recv_timeout(Duration::from_millis(1000));
    assert!(extra.is_err(), "a second rebuild after one edit: {extra:?}");
}

#[test]
fn watch_prints_a_warning_once_not_after_every_rebuild() {
    let dir = fixture("mini");
    let root = dir.path();
    // fr-CA's title was translated from the en-US words before this edit: a stale text, warned about.
    edit(root, "locales/en-US/common.yaml", "title: Test note", "title: Test note, revised");
    let w = spawn_watch(root, &["--locale", "fr-CA"]);
    wait_line(&w.stdout, "watching", 60);
    edit(root, TRADE, "value: 296.2e9", "value: 300e9");
    wait_line(&w.stdout, "rebuilt 1", 10);
    // A broken edit and its fix: the recovered build must not print the warning again either.
    edit(root, TRADE, "value: 300e9", "value: [300e9");
    let mut stderr = wait_line(&w.stderr, "last good PDFs are kept", 10);
    edit(root, TRADE, "value: [300e9", "value: 301e9");
    wait_line(&w.stdout, "rebuilt 1", 10);
    std::thread::sleep(Duration::from_millis(300));
    stderr.extend(w.stderr.try_iter());
    let all = stderr.join("\n");
    assert!(all.contains("data/facts/trade.yaml:"), "the broken edit's error: {all}");
    let told = all.matches("warning: stale: fr-CA common.title").count();
    assert_eq!(told, 1, "the warning once, in four builds:\n{all}");
}
