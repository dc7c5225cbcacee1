//! Scale: `build --shard I/N` and `merge` give exactly the single build; merge refuses mixed, missing and doubled
//! shards; an interrupted build (SIGTERM, SIGKILL) leaves no stray files; two builds never write one folder at once.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The mini fixture with `n` audiences besides `general` (each in both locales): 2 * (n + 1) documents.
fn mini_with_audiences(n: usize) -> tempfile::TempDir {
    let dir = fixture("mini");
    let mut text = std::fs::read_to_string(dir.path().join("data/audiences.yaml")).unwrap();
    for k in 1..=n {
        text.push_str(&format!("- id: reader-{k:03}\n  locales: [en-US, fr-CA]\n  documents: [note]\n"));
    }
    write(dir.path(), "data/audiences.yaml", &text);
    dir
}

/// The manifest of an out folder.
fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// The paths of a manifest's documents.
fn paths(m: &serde_json::Value) -> Vec<String> {
    m["documents"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap().to_string()).collect()
}

/// Every file under `dir` (relative paths) with its bytes.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot_dir(dir).into_iter().map(|(p, b)| (p.strip_prefix(dir).unwrap().to_path_buf(), b)).collect()
}

/// The names of `.briefs-*` files (staged temp files, the lock) anywhere under `dir`.
fn stray(dir: &Path) -> Vec<PathBuf> {
    snapshot_dir(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".briefs-")))
        .collect()
}

/// Builds shard `i` of `n` into `out`.
fn build_shard(root: &Path, i: usize, n: usize, out: &str) {
    let r = briefs(root, &["build", "--shard", &format!("{i}/{n}"), "--out", out]);
    assert_eq!(r.code, 0, "shard {i}/{n}: {}", r.stderr);
    assert!(r.stdout.contains(&format!("shard {i}/{n}:")), "{}", r.stdout);
}

#[test]
fn four_shards_merged_equal_the_single_build() {
    let dir = mini_with_audiences(4);
    let root = dir.path();
    let r = briefs(root, &["build", "--out", "whole"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let whole = manifest(&root.join("whole"));
    assert_eq!(paths(&whole).len(), 10);
    let mut seen = Vec::new();
    for i in 1..=4 {
        build_shard(root, i, 4, &format!("s{i}"));
        let m = manifest(&root.join(format!("s{i}")));
        // A shard holds its own documents only, names its place in the matrix, and is not empty here.
        let mine = paths(&m);
        assert!(!mine.is_empty() && mine.len() <= 3, "shard {i}: {mine:?}");
        assert_eq!((m["shard"]["index"].as_u64(), m["shard"]["count"].as_u64()), (Some(i as u64), Some(4)));
        assert_eq!(m["shard"]["matrix_documents"].as_u64(), Some(10));
        for p in &mine {
            assert!(root.join(format!("s{i}")).join(p).is_file(), "{p}");
        }
        let pdfs = files(&root.join(format!("s{i}")))
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "pdf"))
            .count();
        assert_eq!(pdfs, mine.len(), "shard {i} writes only its documents");
        seen.extend(mine);
    }
    seen.sort();
    assert_eq!(seen, paths(&whole), "the shards partition the matrix");

    let r = briefs(root, &["merge", "s1", "s2", "s3", "s4", "--out", "merged"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("merged 4 shard(s): 10 document(s)"), "{}", r.stdout);
    // The same manifest (paths, pages, sha256, inputs, facts) and the same bytes in every PDF.
    assert_eq!(manifest(&root.join("merged")), whole);
    assert_eq!(files(&root.join("merged")), files(&root.join("whole")));
    // Shards given in another order merge the same.
    let r = briefs(root, &["merge", "s3", "s1", "s4", "s2", "--out", "merged2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(files(&root.join("merged2")), files(&root.join("whole")));
}

#[test]
fn merge_refuses_missing_mixed_and_doubled_shards() {
    let dir = mini_with_audiences(2);
    let root = dir.path();
    for i in 1..=3 {
        build_shard(root, i, 3, &format!("s{i}"));
    }
    let refused = |args: &[&str], expect: &[&str]| {
        let r = briefs(root, args);
        assert_eq!(r.code, 1, "{args:?} should be refused: {}", r.stdout);
        for e in expect {
            assert!(r.stderr.contains(e), "{args:?}: missing {e:?} in\n{}", r.stderr);
        }
        assert!(r.stderr.contains("merge failed; merged is unchanged"), "{}", r.stderr);
        assert!(!root.join("merged").exists(), "a refused merge writes nothing");
    };
    refused(&["merge", "s1", "s3", "--out", "merged"], &["shard 2/3 missing (given: 1/3, 3/3)"]);
    refused(&["merge", "s1", "s2", "s2", "s3", "--out", "merged"], &["shard 2/3 is given more than once: s2, s2"]);
    refused(&["merge", "s1", "nowhere", "--out", "merged"], &["nowhere holds no manifest.json"]);

    // A shard built from other inputs (a changed figure) is of another matrix: named with its folder.
    edit(root, "data/facts/trade.yaml", "296.2", "296.3");
    build_shard(root, 2, 3, "s2-new");
    refused(
        &["merge", "s1", "s2-new", "s3", "--out", "merged"],
        &["the shards are of different builds", "s2-new is shard 2/3 of matrix", "s1 is shard 1/3 of matrix"],
    );
    // A shard built by another briefs binary (an upgrade on one worker) is refused, naming the binaries.
    common::copy_dir(&root.join("s2"), &root.join("s2-other"));
    let mut m = manifest(&root.join("s2-other"));
    let ours = m["shard"]["binary"].as_str().unwrap().to_string();
    assert_eq!(ours.len(), 16, "the shard names its binary: {m}");
    m["shard"]["binary"] = serde_json::Value::from("0123456789abcdef");
    std::fs::write(root.join("s2-other/manifest.json"), serde_json::to_string_pretty(&m).unwrap()).unwrap();
    refused(
        &["merge", "s1", "s2-other", "s3", "--out", "merged"],
        &[
            "the shards were built by different briefs binaries",
            "s2-other was built by 0123456789abcdef",
            &format!("s1 was built by {ours}"),
        ],
    );
    // An out folder of a build without --shard is not a shard.
    assert_eq!(briefs(root, &["build", "--out", "whole"]).code, 0);
    refused(&["merge", "s1", "whole", "--out", "merged"], &["whole is not a shard"]);
    // Cut in a different number of shards.
    build_shard(root, 2, 2, "half2");
    refused(&["merge", "s1", "half2", "--out", "merged"], &["half2 is shard 2/2"]);
    // A PDF changed after its shard was built is named.
    std::fs::remove_dir_all(root.join("s2-new")).unwrap();
    edit(root, "data/facts/trade.yaml", "296.3", "296.2");
    let s3 = manifest(&root.join("s3"));
    let pdf = root.join("s3").join(paths(&s3)[0].as_str());
    std::fs::write(&pdf, b"%PDF-1.7 not the file").unwrap();
    refused(&["merge", "s1", "s2", "s3", "--out", "merged"], &["is not the file its shard's manifest lists"]);
}

/// Spawns `briefs build` on `root` with `args`, one document at a time, output captured.
fn spawn_build(root: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_briefs"))
        .args(["build", "--jobs", "1"])
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until a build has staged at least one file (a `.briefs-*` temp file besides the lock) under `out`.
fn wait_for_staged(child: &mut Child, out: &Path) {
    let start = Instant::now();
    loop {
        if stray(out).iter().any(|p| p.file_name().is_some_and(|n| n != ".briefs-lock")) {
            return;
        }
        assert!(child.try_wait().unwrap().is_none(), "the build ended before it staged a file");
        assert!(start.elapsed() < Duration::from_secs(120), "no file was staged in 120 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Sends `sig` to a child process.
fn signal(child: &Child, sig: i32) {
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) with the pid of a child this test spawned and has not yet reaped.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
}

#[test]
fn sigterm_removes_staged_files_and_leaves_out_as_it_was() {
    let dir = mini_with_audiences(40);
    let root = dir.path();
    // An earlier build of a part of the matrix: what `out/` must still hold afterwards.
    let r = briefs(root, &["build", "--audience", "general"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = files(&root.join("out"));

    let mut child = spawn_build(root, &["--force"]);
    wait_for_staged(&mut child, &root.join("out"));
    // Meanwhile a second build into the same folder is refused, naming the build that holds it.
    let second = briefs(root, &["build", "--audience", "general"]);
    assert_eq!(second.code, 1, "{}", second.stdout);
    let holder = format!("another briefs build (pid {} on ", child.id());
    assert!(second.stderr.contains(&holder), "{}", second.stderr);
    assert!(second.stderr.contains("wait until it has finished"), "{}", second.stderr);

    signal(&child, libc::SIGTERM);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("interrupted by SIGTERM: removed the ") && stderr.contains("is as it was"), "{stderr}");
    assert_eq!(stray(&root.join("out")), Vec::<PathBuf>::new(), "no staged file or lock is left");
    assert_eq!(files(&root.join("out")), before, "out/ is as it was");
}

#[test]
fn sigint_exits_130_with_nothing_left() {
    let dir = mini_with_audiences(40);
    let root = dir.path();
    let mut child = spawn_build(root, &[]);
    wait_for_staged(&mut child, &root.join("out"));
    signal(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted by SIGINT"), "{stderr}");
    // The folder the build created for its files is gone with them: nothing at all is left.
    assert!(files(&root.join("out")).is_empty(), "{:?}", files(&root.join("out")));
}

#[test]
fn files_left_by_a_killed_build_are_swept_by_the_next_build() {
    let dir = mini_with_audiences(40);
    let root = dir.path();
    let mut child = spawn_build(root, &[]);
    wait_for_staged(&mut child, &root.join("out"));
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    let left = stray(&root.join("out"));
    assert!(left.iter().any(|p| !p.ends_with(".briefs-lock")), "a SIGKILL leaves staged files: {left:?}");

    // The lock of a dead process does not hold the folder; the next build sweeps what the killed one left.
    let r = briefs(root, &["build", "--audience", "general"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("temp file(s) an interrupted build had left in"), "{}", r.stdout);
    assert_eq!(stray(&root.join("out")), Vec::<PathBuf>::new());
    assert_eq!(paths(&manifest(&root.join("out"))), ["en-US/general/note.pdf", "fr-CA/general/note.pdf"]);
}
