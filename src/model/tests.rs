//! Property and edge-case tests of loading `data/`.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::io::hostile::{parses, yaml};
use crate::io::parse_yaml;

proptest! {
    /// Loading never panics, whatever the text, for every schema in data/.
    #[test]
    fn yaml_loading_never_panics(text in yaml()) {
        parses::<Vec<Fact>>(&text)?;
        parses::<Vec<Series>>(&text)?;
        parses::<Vec<Source>>(&text)?;
        parses::<Vec<Audience>>(&text)?;
        parses::<Vec<Chart>>(&text)?;
        parses::<Vec<StateRow>>(&text)?;
        parses::<EditionFile>(&text)?;
    }
}

/// Deeply nested YAML is an error, not a stack overflow.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for open in ["[", "{", "- ", "[a, ", "{a: "] {
        let text = open.repeat(100_000);
        assert!(parse_yaml::<Vec<Fact>>(Path::new("x.yaml"), &text).is_err());
    }
}
