//! The architecture: stages point downward (no module uses a later one), and no file under src/ is too long to
//! read in one sitting.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The modules in pipeline order; a module may use only those of its own rank or below.
const ORDER: &[(&str, u8)] = &[
    ("diag", 0),
    ("escape", 0),
    ("placeholder", 0),
    ("sync", 0),
    ("ids", 0),
    ("io", 1),
    ("binary", 1),
    ("yamlspan", 1),
    ("model", 2),
    ("format", 3),
    ("locale", 4),
    ("citation", 5),
    ("xliff", 5),
    ("fonts", 6),
    ("charts", 7),
    ("render", 8),
    ("typeset", 9),
    ("fit", 9),
    ("pages", 9),
    ("output", 10),
    ("project", 11),
    ("trace", 12),
    ("diff", 12),
    ("outcome", 12),
    ("pipeline", 13),
    ("commands", 14),
    ("cli", 15),
    ("main", 16),
    ("lib", 16),
];

/// Most lines a source file may have.
const MAX_LINES: usize = 600;

/// Every `.rs` file under a folder.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/charts/bar.rs` is `charts`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The rank of a module, failing on a module the list does not know.
fn rank(module: &str, file: &Path) -> u8 {
    ORDER.iter().find(|(m, _)| *m == module).map(|(_, r)| *r).unwrap_or_else(|| {
        panic!("{}: module `{module}` is not in tests/it/architecture.rs ORDER; add it at its stage", file.display())
    })
}

/// The crate modules a text names: `crate::x` in `use` lines and paths.
fn named_modules(text: &str) -> Vec<String> {
    text.match_indices("crate::")
        .map(|(i, _)| text[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
        .filter(|m| !m.is_empty())
        .collect()
}

#[test]
fn no_stage_uses_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let own = rank(&module, file);
        let text = std::fs::read_to_string(file).unwrap();
        for used in named_modules(&text) {
            if rank(&used, file) > own {
                wrong.push(format!("{} ({module}) uses crate::{used}", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "stages must point downward:\n{}", wrong.join("\n"));
    // The check sees what it must: a later stage named from an earlier one is caught.
    assert!(rank("render", &src) > rank("charts", &src));
    assert_eq!(named_modules("use crate::render::ChartRef;\nlet x = crate::io::read_text(a);"), ["render", "io"]);
}

#[test]
fn no_source_file_is_over_600_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|f| (f, std::fs::read_to_string(f).unwrap().lines().count()))
        .filter(|(_, n)| *n > MAX_LINES)
        .map(|(f, n)| format!("{} has {n} lines", f.display()))
        .collect();
    assert!(long.is_empty(), "split these by job:\n{}", long.join("\n"));
}

/// The subcommand a file under `src/commands/` belongs to (`src/commands/review/site.rs` is `review`).
fn command_of(commands: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(commands).unwrap();
    rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string()
}

#[test]
fn no_command_uses_another_command() {
    let commands = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    rust_files(&commands, &mut files);
    let names: Vec<String> = files.iter().map(|f| command_of(&commands, f)).filter(|c| c != "mod").collect();
    let mut wrong = Vec::new();
    for file in &files {
        let own = command_of(&commands, file);
        let text = std::fs::read_to_string(file).unwrap();
        for other in names.iter().filter(|n| **n != own) {
            let named = [format!("crate::commands::{other}"), format!("super::{other}::"), format!("super::{other}}}")];
            let named = named.iter().any(|n| text.contains(n.as_str()))
                || (own != "mod" && text.contains(&format!("use super::{other};")));
            if named {
                wrong.push(format!("{} ({own}) uses the `{other}` command", file.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "what commands share goes below them (pipeline, diff, outcome):\n{}", wrong.join("\n"));
}
