//! Which `briefs` binary is running: its identity, fixed at compile time by `build.rs` (a hash of `Cargo.lock`,
//! `Cargo.toml`, every file under `src/`, the profile and the compiler). PDFs and shards record it, so an upgraded
//! `briefs` typesets again what an older one made, and `merge` refuses shards built by different binaries.

/// The identity of this binary: 16 hex digits.
pub const IDENTITY: &str = env!("BRIEFS_BUILD_HASH");

/// The version and build, as `briefs --version` prints them.
pub const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("BRIEFS_BUILD_DESCRIPTION"), ")");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_is_a_hash_and_the_version_names_it() {
        assert_eq!(IDENTITY.len(), 16);
        assert!(IDENTITY.bytes().all(|b| b.is_ascii_hexdigit()), "{IDENTITY}");
        assert!(LONG_VERSION.starts_with(env!("CARGO_PKG_VERSION")), "{LONG_VERSION}");
        assert!(LONG_VERSION.contains(IDENTITY) && LONG_VERSION.contains("Cargo.lock"), "{LONG_VERSION}");
    }
}
