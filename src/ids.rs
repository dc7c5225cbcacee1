//! The ids of the build matrix as types: a locale tag, an audience id and a document id are each their own type
//! (as typst has `FileId` and `PackageSpec`), so one is never passed for another. Each is text underneath: it
//! reads and writes as a plain string (YAML, JSON, file names) and compares with `&str`.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares a string newtype with the conversions and comparisons every id needs.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The id from its text.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id's text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(s.to_string()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<std::path::Path> for $name {
            fn as_ref(&self) -> &std::path::Path {
                std::path::Path::new(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(s: &String) -> Self {
                Self(s.clone())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type! {
    /// A locale tag, the name of a folder under `locales/` (`en-US`, `fr-CA`).
    LocaleTag
}

id_type! {
    /// An audience id (`data/audiences.yaml`, e.g. `ca-government`).
    AudienceId
}

id_type! {
    /// A document id (`data/documents.yaml`, a state sheet `state-<code>`, a meeting pack `pack`).
    DocumentId
}

/// What a document is: the kinds are built differently (a state sheet from its state's row and the state
/// template, a pack from the audience's other documents).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// A document of its own template.
    #[default]
    Plain,
    /// A state one-pager, made from `templates/state.typ.j2` for one state.
    StateSheet {
        /// The state's two-letter code, lowercase (`ia`).
        state: String,
    },
    /// A meeting pack, in one edition.
    Pack(PackEdition),
}

impl DocumentKind {
    /// Whether it is a meeting pack (either edition).
    pub fn is_pack(&self) -> bool {
        matches!(self, DocumentKind::Pack(_))
    }

    /// The state of a state sheet.
    pub fn state(&self) -> Option<&str> {
        match self {
            DocumentKind::StateSheet { state } => Some(state),
            _ => None,
        }
    }

    /// The id of the state sheet of a state: the one place that spells it.
    pub fn state_sheet_id(state: &str) -> DocumentId {
        DocumentId(format!("state-{state}"))
    }
}

/// The edition of a meeting pack (`pack: screen` or `pack: print` in `data/documents.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackEdition {
    /// For reading on a screen: no blank page, with bookmarks and links.
    Screen,
    /// For double-sided printing: each document starts on a right-hand page, blank versos where it needs one.
    Print,
}
