//! Reading project files: UTF-8 text, YAML parsed into the schema, and I/O and YAML errors shaped into located
//! diagnostics; also where a project's root is found. Every stage reads files through here.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Loc, Report};

/// The folder that marks a project root.
const MARKER: &str = "data";

/// The project root: `explicit` when given (it must hold `data/`), else the nearest folder from `start`
/// upwards that holds `data/`, as cargo finds its manifest.
pub fn project_root(explicit: Option<&Path>, start: &Path) -> Result<PathBuf, Diagnostic> {
    if let Some(root) = explicit {
        if root.join(MARKER).is_dir() {
            return Ok(root.to_path_buf());
        }
        return Err(Diagnostic::error(
            Loc::default(),
            format!("not a briefs project (no {MARKER}/ folder in {})", root.display()),
        )
        .with_hint("pass the project folder with --root DIR, or run briefs inside it"));
    }
    let found = start.ancestors().find(|dir| dir.join(MARKER).is_dir());
    found.map(Path::to_path_buf).ok_or_else(|| {
        Diagnostic::error(
            Loc::default(),
            format!("not a briefs project (no {MARKER}/ folder in {} or any folder above it)", start.display()),
        )
        .with_hint("run briefs inside a project folder, or pass one with --root DIR")
    })
}

/// Converts a saphyr location into ours.
pub fn loc_of(file: &Path, l: &serde_saphyr::Location) -> Loc {
    Loc::new(file, l.line(), l.column())
}

/// Location of a spanned value.
pub fn sloc<T>(file: &Path, s: &Spanned<T>) -> Loc {
    loc_of(file, &s.referenced)
}

/// Reads a file as UTF-8, reporting bad bytes with their line and column.
pub fn read_text(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        let hint = match e.kind() {
            std::io::ErrorKind::NotFound => "create it: README.md's project layout lists the files a project needs",
            std::io::ErrorKind::IsADirectory => "remove or rename the folder; a file of this name is expected",
            _ => "check the file's permissions and that it can be read",
        };
        Diagnostic::error(Loc::file(rel), format!("failed to read file ({})", io_reason(&e))).with_hint(hint)
    })?;
    String::from_utf8(bytes).map_err(|e| utf8_error(rel, e.as_bytes(), e.utf8_error().valid_up_to()))
}

/// A diagnostic at the first byte that is not UTF-8: its line and its column in characters.
pub fn utf8_error(rel: &Path, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let good = bytes.get(..valid_up_to).unwrap_or(bytes);
    let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let col = String::from_utf8_lossy(&good[line_start..]).chars().count() as u64 + 1;
    let byte = bytes.get(valid_up_to).map(|b| format!(" (byte 0x{b:02X})")).unwrap_or_default();
    Diagnostic::error(Loc::new(rel, line, col), format!("file is not valid UTF-8{byte}"))
        .with_hint("save the file as UTF-8 (the byte here belongs to another encoding, e.g. Latin-1 or Windows-1252)")
}

/// A short lowercase reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "file not found".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        std::io::ErrorKind::NotADirectory => "a folder on its path is a file".into(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Parses YAML text into `T`, turning a parse error into a located diagnostic.
pub fn parse_yaml<T: DeserializeOwned>(rel: &Path, text: &str) -> Result<T, Diagnostic> {
    if text.trim().is_empty() || text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(Diagnostic::error(Loc::file(rel), "file is empty").with_hint("add its entries, or delete the file"));
    }
    serde_saphyr::from_str::<T>(text).map_err(|e| yaml_error(rel, &e))
}

/// A located diagnostic from a saphyr error.
fn yaml_error(rel: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let loc = e.location().map(|l| loc_of(rel, &l)).unwrap_or_else(|| Loc::file(rel));
    let full = e.without_snippet().to_string();
    // saphyr may append a snippet; keep the first line, we print our own excerpt.
    let first = full.lines().next().unwrap_or("invalid YAML").trim().to_string();
    let msg = strip_location_prefix(&strip_location_suffix(&first));
    // saphyr names its own option; a user edits YAML, not saphyr's options.
    let msg = msg.split(", set DuplicateKeyPolicy").next().unwrap_or_default().to_string();
    let lower = msg.to_lowercase();
    let hint = if lower.contains("unknown field") {
        "check the key's spelling against the schema in README.md".to_string()
    } else if lower.contains("duplicate") {
        "each key may appear once in a mapping; remove or rename one".to_string()
    } else if lower.contains("unknown unit") {
        "declare the unit in data/units.yaml (with its format), or use one of the units listed".to_string()
    } else if lower.contains("unknown variant") {
        "use one of the values listed".to_string()
    } else if lower.contains("floating point") || (lower.contains("invalid type") && lower.contains("f64")) {
        "write a plain finite number such as 296.2e9 or 1200 (no thousands separators; values beyond ±1.8e308 cannot be stored)".to_string()
    } else if let Some(field) = lower.strip_prefix("missing field ") {
        format!("add {field} to this entry")
    } else {
        "fix the YAML at this place".to_string()
    };
    Diagnostic::error(loc, format!("invalid YAML ({})", msg.trim_end_matches('.'))).with_hint(hint)
}

/// Removes saphyr's " at line X, column Y" suffix.
fn strip_location_suffix(s: &str) -> String {
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Removes saphyr's "error: line X column Y: " prefix (the location is printed separately).
fn strip_location_prefix(s: &str) -> String {
    let rest = s.strip_prefix("error: ").unwrap_or(s);
    let Some(after_line) = rest.strip_prefix("line ") else { return rest.to_string() };
    let after_num = after_line.trim_start_matches(|c: char| c.is_ascii_digit());
    let after_col = after_num.strip_prefix(" column ").or_else(|| after_num.strip_prefix(", column "));
    match after_col.map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit())).and_then(|r| r.strip_prefix(": ")) {
        Some(msg) => msg.to_string(),
        None => rest.to_string(),
    }
}

/// Loads one YAML file, pushing a diagnostic on failure.
pub fn load_yaml<T: DeserializeOwned>(root: &Path, rel: &str, report: &mut Report) -> Option<T> {
    let rel = Path::new(rel);
    match read_text(root, rel).and_then(|t| parse_yaml(rel, &t)) {
        Ok(v) => Some(v),
        Err(d) => {
            report.push(d);
            None
        }
    }
}

/// Loads every `*.yaml` in a folder of lists, tagging each item with its file.
pub fn load_yaml_dir<T: DeserializeOwned>(root: &Path, dir: &str, report: &mut Report) -> Vec<(PathBuf, T)> {
    let mut out = Vec::new();
    for rel in yaml_files(root, dir) {
        if let Some(items) = load_yaml::<Vec<T>>(root, &rel.to_string_lossy(), report) {
            out.extend(items.into_iter().map(|i| (rel.clone(), i)));
        }
    }
    out
}

/// The YAML files of a folder under the root, sorted, as relative paths.
pub fn yaml_files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

/// Hex SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hostile YAML for the property tests of every schema (data and locales).
#[cfg(test)]
pub mod hostile {
    use std::path::Path;

    use proptest::prelude::*;
    use serde::de::DeserializeOwned;

    use super::parse_yaml;

    /// Pieces of YAML syntax (structure, anchors, tags, odd numbers) to build hostile documents from.
    const PIECES: &[&str] = &[
        "- ",
        "id: ",
        "value: ",
        "unit: usd",
        "unit: ",
        "period: ",
        "sources: [",
        "points: [",
        "]",
        "[",
        "{",
        "}",
        ", ",
        ": ",
        ":",
        "\n",
        "\n  ",
        "\n    ",
        "  ",
        "&a ",
        "*a",
        "*b",
        "<<: *a",
        "!!float ",
        "!!str ",
        "!custom ",
        "|",
        "|-\n  ",
        ">",
        "'",
        "\"",
        "\\",
        "# c",
        ".nan",
        ".inf",
        "-.Inf",
        "1e400",
        "-1e400",
        "1e15",
        "0x1F",
        "0o17",
        "1_000",
        "~",
        "null",
        "true",
        "1",
        "-3.5",
        "296.2e9",
        "x",
        "é",
        "\t",
        "? ",
        "---\n",
        "...\n",
        "%YAML 1.2\n",
        "\u{feff}",
        "\r\n",
        "\u{0}",
        "label: mx",
        "fact: ",
        "tdr: {imports: a, exports: b}",
    ];

    /// Hostile YAML: pieces of syntax, or arbitrary text.
    pub fn yaml() -> impl Strategy<Value = String> {
        let piece = prop_oneof![4 => proptest::sample::select(PIECES).prop_map(str::to_string), 1 => any::<String>()];
        prop::collection::vec(piece, 0..48).prop_map(|v| v.concat())
    }

    /// Parses `text` as `T`; an error must be a located YAML diagnostic, never a panic.
    pub fn parses<T: DeserializeOwned>(text: &str) -> Result<(), TestCaseError> {
        let rel = Path::new("data/x.yaml");
        if let Err(d) = parse_yaml::<T>(rel, text) {
            prop_assert_eq!(&d.loc.file, rel);
            prop_assert!(d.message.starts_with("invalid YAML (") || d.message == "file is empty", "{}", d.message);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any bytes that are not UTF-8 are reported at a line and column inside the file.
        #[test]
        fn bad_bytes_are_located(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Err(e) = String::from_utf8(bytes.clone()) {
                let d = utf8_error(Path::new("x.yaml"), &bytes, e.utf8_error().valid_up_to());
                let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                prop_assert!(d.loc.line >= 1 && d.loc.line <= lines);
                prop_assert!(d.loc.col >= 1 && d.loc.col <= bytes.len() as u64);
                prop_assert!(d.message.starts_with("file is not valid UTF-8"));
            }
        }
    }

    /// saphyr's location prefix is stripped from messages.
    #[test]
    fn location_prefixes_are_stripped() {
        assert_eq!(strip_location_prefix("error: line 2 column 10: invalid floating point"), "invalid floating point");
        assert_eq!(strip_location_prefix("missing field `x`"), "missing field `x`");
    }

    /// The root is found from a subfolder, as cargo finds its manifest; a folder outside a project is refused.
    #[test]
    fn the_root_is_found_from_a_subfolder() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("locales/fr-CA");
        std::fs::create_dir_all(dir.path().join("data")).unwrap();
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(project_root(None, &sub).unwrap(), dir.path());
        assert_eq!(project_root(Some(dir.path()), &sub).unwrap(), dir.path());
        let elsewhere = tempfile::tempdir().unwrap();
        let e = project_root(None, elsewhere.path()).unwrap_err();
        assert!(e.message.starts_with("not a briefs project"), "{}", e.message);
        let e = project_root(Some(elsewhere.path()), &sub).unwrap_err();
        assert!(e.message.contains(&elsewhere.path().display().to_string()), "{}", e.message);
    }
}
