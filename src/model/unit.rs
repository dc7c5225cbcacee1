//! Units: what a figure is measured in. A project declares its units in `data/units.yaml` (each unit's name and
//! how a number in it is written); each locale writes each unit with its own pattern (`locale.yaml`, `units:`).
//! A project without `data/units.yaml` has the standard units ([`STANDARD`]).

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// How a number in a unit is written: the CLDR formatting the locale applies before its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// Money: a compact magnitude ("USD 296.2 billion"); a chart names the scale once, on its axis.
    Money,
    /// A count: grouped digits, compact from a million ("48,375", "11.9 million").
    Count,
    /// A percentage, stored in percent (32.7 means 32.7%).
    Percent,
    /// A decimal number with up to two fraction digits ("2.5").
    Decimal,
    /// A calendar year, never grouped ("2036").
    Year,
    /// A rank, as the locale writes ordinals ("1st", "primer").
    Rank,
    /// A calendar date (a day, a month or a year), as the locale writes dates ("July 1, 2026").
    Date,
}

impl Style {
    /// The style's name as `data/units.yaml` writes it.
    pub fn name(self) -> &'static str {
        match self {
            Style::Money => "money",
            Style::Count => "count",
            Style::Percent => "percent",
            Style::Decimal => "decimal",
            Style::Year => "year",
            Style::Rank => "rank",
            Style::Date => "date",
        }
    }
}

/// A unit: its name as data, locale patterns and templates write it, and how its numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unit {
    /// The name (`usd`, `tonnes`).
    name: &'static str,
    /// How its numbers are written.
    style: Style,
}

/// The units of a project without `data/units.yaml`, and of the shipped one.
pub const STANDARD: [Unit; 13] = [
    Unit::Usd,
    Unit::Cad,
    Unit::new("percent", Style::Percent),
    Unit::new("percent_points", Style::Decimal),
    Unit::new("count", Style::Count),
    Unit::new("jobs", Style::Count),
    Unit::new("workers", Style::Count),
    Unit::new("vehicles", Style::Count),
    Unit::new("ratio", Style::Decimal),
    Unit::Year,
    Unit::new("years", Style::Decimal),
    Unit::Rank,
    Unit::new("date", Style::Date),
];

#[allow(non_upper_case_globals)]
impl Unit {
    /// U.S. dollars (a standard unit, named here for code that draws money).
    pub const Usd: Unit = Unit::new("usd", Style::Money);
    /// Canadian dollars (a standard unit).
    pub const Cad: Unit = Unit::new("cad", Style::Money);
    /// A calendar year (a standard unit, named here for code that formats axes).
    pub const Year: Unit = Unit::new("year", Style::Year);
    /// A rank (a standard unit).
    pub const Rank: Unit = Unit::new("rank", Style::Rank);

    /// A unit of a name and a style.
    const fn new(name: &'static str, style: Style) -> Unit {
        Unit { name, style }
    }

    /// A unit declared by a project (its name kept for the life of the process: a project has a few units).
    pub fn declare(name: &str, style: Style) -> Unit {
        Unit { name: intern(name), style }
    }

    /// The unit's name as YAML, locale patterns and templates write it (`percent_points`).
    pub fn name(self) -> &'static str {
        self.name
    }

    /// How its numbers are written.
    pub fn style(self) -> Style {
        self.style
    }
}

/// A name as a `&'static str`: each distinct name is stored once.
fn intern(name: &str) -> &'static str {
    if let Some(u) = STANDARD.iter().find(|u| u.name == name) {
        return u.name;
    }
    static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut names = crate::sync::lock(&NAMES);
    if let Some(n) = names.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

thread_local! {
    /// The units `data/` is read with (set by [`reading_with`] while a project's figures are parsed).
    static DECLARED: RefCell<Option<Vec<Unit>>> = const { RefCell::new(None) };
}

/// Runs `f` (which parses figures) with `units` as the units a figure may name.
pub fn reading_with<T>(units: &[Unit], f: impl FnOnce() -> T) -> T {
    let before = DECLARED.with(|d| d.replace(Some(units.to_vec())));
    let out = f();
    DECLARED.with(|d| *d.borrow_mut() = before);
    out
}

/// The unit of a name among the units figures are read with (the standard ones outside [`reading_with`]), or the
/// message saying it is unknown.
fn lookup(name: &str) -> Result<Unit, String> {
    let declared = DECLARED.with(|d| d.borrow().clone()).unwrap_or_else(|| STANDARD.to_vec());
    if let Some(u) = declared.iter().find(|u| u.name == name) {
        return Ok(*u);
    }
    let names: Vec<&str> = declared.iter().map(|u| u.name).collect();
    let close = crate::diag::did_you_mean(name, names.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    Err(format!("unknown unit `{name}`: {close}the units are {} (data/units.yaml)", names.join(", ")))
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Unit, D::Error> {
        let name = String::deserialize(d)?;
        lookup(&name).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Unit {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

/// A unit as `data/units.yaml` declares it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    /// The name figures and locale patterns use.
    pub id: serde_saphyr::Spanned<String>,
    /// How its numbers are written.
    pub format: Style,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_units_read_by_name_and_others_when_declared() {
        for u in STANDARD {
            let yaml: Unit = serde_saphyr::from_str(u.name()).unwrap();
            assert_eq!(yaml, u);
        }
        let err = serde_saphyr::from_str::<Unit>("tonnes").unwrap_err().to_string();
        assert!(err.contains("unknown unit `tonnes`") && err.contains("usd, cad, percent"), "{err}");
        let tonnes = Unit::declare("tonnes", Style::Count);
        let read = reading_with(&[Unit::Usd, tonnes], || serde_saphyr::from_str::<Unit>("tonnes"));
        assert_eq!(read.unwrap(), tonnes);
        assert_eq!(tonnes.name(), "tonnes");
        let err = reading_with(&[tonnes], || serde_saphyr::from_str::<Unit>("tonne")).unwrap_err().to_string();
        assert!(err.contains("did you mean `tonnes`?"), "{err}");
        // Outside a project's reading, the standard units again.
        assert!(serde_saphyr::from_str::<Unit>("tonnes").is_err());
    }
}
