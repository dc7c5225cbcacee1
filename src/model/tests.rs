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
        parses::<Vec<AudienceEntry>>(&text)?;
        parses::<Vec<DocumentEntry>>(&text)?;
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

#[test]
fn fact_values_read_as_yaml_reads_numbers() {
    use super::FactValue;
    let read = |yaml: &str| serde_saphyr::from_str::<FactValue>(yaml).unwrap();
    assert_eq!(read("296.2e9"), FactValue::Number(296.2e9));
    assert_eq!(read("48375"), FactValue::Number(48375.0));
    assert_eq!(read("-0.9"), FactValue::Number(-0.9));
    assert_eq!(read("0x10"), FactValue::Number(16.0));
    assert!(matches!(read(".nan"), FactValue::Number(v) if v.is_nan()));
    assert_eq!(read("-.inf"), FactValue::Number(f64::NEG_INFINITY));
    for words in ["1,200", "2026-07-01", "lots", "1e400", "inf", "296.2 tonnes"] {
        assert!(matches!(read(words), FactValue::Text(_)), "{words}");
    }
    assert!(serde_saphyr::from_str::<FactValue>("[1, 2]").is_err(), "a list is no value");
}
