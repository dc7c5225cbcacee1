//! Output: atomic writes (temp file, then rename) and the build manifest.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One written document, as recorded in `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Path relative to the out folder.
    pub path: String,
    /// Document id.
    pub document: String,
    /// Audience id.
    pub audience: String,
    /// Locale tag.
    pub locale: String,
    /// Number of pages.
    pub pages: usize,
    /// Size in bytes.
    pub bytes: usize,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Hash of every input the document was made from.
    #[serde(default)]
    pub inputs: String,
    /// Ids of the facts the document shows.
    #[serde(default)]
    pub facts: Vec<String>,
}

/// The manifest written last by every build.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    /// Edition id.
    pub edition: String,
    /// Every document in the out folder.
    pub documents: Vec<Entry>,
}

impl Manifest {
    /// Reads `OUT/manifest.json` if present and valid.
    pub fn read(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(out.join("manifest.json")).ok()?;
        serde_json::from_str(&text).ok()
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a file atomically: a temp file in the same folder, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir).map_err(|e| format!("failed to create folder {} ({})", dir.display(), reason(&e)))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("failed to create a file in {} ({})", dir.display(), reason(&e)))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("failed to write {} ({})", path.display(), reason(&e)))?;
    tmp.persist(path).map_err(|e| format!("failed to write {} ({})", path.display(), reason(&e.error)))?;
    Ok(())
}

/// A short lowercase reason for an I/O error.
fn reason(e: &std::io::Error) -> String {
    crate::model::io_reason(e)
}
