//! Small data sets for unit tests: a minimal `data/` written to a temporary folder, with files replaced or added.

use std::collections::BTreeSet;
use std::path::Path;

use super::Model;
use crate::ids::LocaleTag;

/// The files of a minimal project's `data/`.
const BASE: &[(&str, &str)] = &[
    (
        "data/edition.yaml",
        "id: \"2026-04\"\ntitle: April 2026 update\ndate: \"2026-04-01\"\nproject: P\nwebsite: p.org\n",
    ),
    (
        "data/sources.yaml",
        "- {id: bls, short: BLS, publisher: x}\n- {id: inegi, short: INEGI, publisher: x}\n\
         - {id: census, short: U.S. Census Bureau, publisher: x}\n",
    ),
    ("data/documents.yaml", "[]\n"),
    ("data/audiences.yaml", "[]\n"),
    ("data/fast-facts.yaml", "[]\n"),
    ("data/charts.yaml", "[]\n"),
];

/// Writes the minimal data with `files` added or replacing its own, under a new temporary folder.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let replaced = |p: &str| files.iter().any(|(f, _)| *f == p);
    for (path, text) in BASE.iter().filter(|(p, _)| !replaced(p)).chain(files) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Loads a project folder's data (its audiences may name en-US, es-MX and fr-CA), panicking with the rendered
/// report if it does not load.
pub fn load_from(root: &Path) -> Model {
    let tags: BTreeSet<LocaleTag> = ["en-US", "es-MX", "fr-CA"].map(LocaleTag::from).into();
    Model::load(root, &tags).unwrap_or_else(|r| panic!("{}", r.render(root)))
}
