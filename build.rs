//! The identity of the `briefs` binary, fixed at compile time (`src/binary.rs` reads it).
//!
//! A PDF is made by this program as much as by its inputs: a new Typst, a change to the PDF code or a dependency
//! update can change every page. So the identity hashes what decides the binary's behaviour: `Cargo.lock` (every
//! dependency's version), `Cargo.toml`, this script and every file under `src/`, the build profile and target, and
//! the compiler's version. The git revision is recorded beside it for people to read (`briefs --version`), but is
//! not hashed: a commit that changes only `data/` or the README does not make every PDF stale.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// FNV-1a, 64 bits: enough to tell two builds apart, and no dependency for the build script.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn add(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }
}

/// Every file under a folder, sorted.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The output of a command, trimmed, when it runs and succeeds.
fn run(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    for watched in ["src", "Cargo.lock", "Cargo.toml", "build.rs"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    let mut hash = Fnv::new();
    let mut lock = Fnv::new();
    lock.add(&std::fs::read("Cargo.lock").unwrap_or_default());
    hash.add(&lock.0.to_le_bytes());
    let mut sources = vec![PathBuf::from("Cargo.toml"), PathBuf::from("build.rs")];
    let mut src = Vec::new();
    files(Path::new("src"), &mut src);
    src.sort();
    sources.extend(src);
    for file in &sources {
        hash.add(file.to_string_lossy().replace('\\', "/").as_bytes());
        hash.add(&std::fs::read(file).unwrap_or_default());
    }
    for var in ["PROFILE", "TARGET", "OPT_LEVEL", "DEBUG"] {
        hash.add(std::env::var(var).unwrap_or_default().as_bytes());
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    hash.add(run(&rustc, &["-V"]).unwrap_or_default().as_bytes());
    let rev = run("git", &["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "no git".to_string());
    let mut id = String::new();
    let _ = write!(id, "{:016x}", hash.0);
    println!("cargo:rustc-env=BRIEFS_BUILD_HASH={id}");
    println!("cargo:rustc-env=BRIEFS_BUILD_DESCRIPTION=build {id} (Cargo.lock {:016x}, source revision {rev})", lock.0);
}
