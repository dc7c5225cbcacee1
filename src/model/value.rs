//! The values of figures and the units they are in: finite numbers, dates for the unit `date`, words refused with
//! what to write instead, and the units `data/units.yaml` declares.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::FactDate;
use super::schema::{Fact, FactValue};
use super::unit::{STANDARD, Style, Unit, UnitDef};
use crate::diag::{Diagnostic, Loc, Report};
use crate::io::{load_yaml, sloc};

/// Checks a finite value.
pub(super) fn check_finite(file: &Path, what: &str, v: &Spanned<f64>, report: &mut Report) {
    if !v.value.is_finite() {
        report.push(
            Diagnostic::error(sloc(file, v), format!("{what} is not a finite number ({})", v.value))
                .with_hint("write the figure as a plain number, e.g. 296.2e9"),
        );
    } else if v.value.abs() >= 1e15 {
        report.push(
            Diagnostic::error(sloc(file, v), format!("{what} is implausibly large ({:e})", v.value))
                .with_hint("values are stored in base units; check the exponent"),
        );
    }
}

/// The units of `data/units.yaml`, or the standard units when the project has no such file.
pub(super) fn units(root: &Path, report: &mut Report) -> Vec<Unit> {
    let rel = "data/units.yaml";
    if !root.join(rel).exists() {
        return STANDARD.to_vec();
    }
    let Some(defs) = load_yaml::<Vec<UnitDef>>(root, rel, report) else { return STANDARD.to_vec() };
    let mut seen = BTreeMap::new();
    defs.iter()
        .filter(|d| super::validate::register("unit", Path::new(rel), &d.id, &mut seen, report))
        .map(|d| Unit::declare(&d.id.value, d.format))
        .collect()
}

/// Makes a fact's value what its unit says: a finite number, or for the unit `date` a date (a year written as a
/// number, `2020`, is a date too). Words where a number belongs are refused with a hint (`1,200`: no separators).
pub(super) fn resolve_value(file: &Path, fact: &mut Fact) -> Result<(), Diagnostic> {
    let at = sloc(file, &fact.value);
    let what = format!("fact `{}`", fact.id.value);
    let resolved = match (&fact.value.value, fact.unit.style()) {
        (FactValue::Number(v), Style::Date) if v.fract() == 0.0 && (1000.0..=9999.0).contains(v) => {
            FactValue::Date(FactDate::Year(*v as i32))
        }
        (FactValue::Number(v), Style::Date) => {
            return Err(Diagnostic::error(at, format!("{what} is in the unit `date` but its value is {v}"))
                .with_hint("write the date as 2026-07-01, a month as 2026-07 or a year as 2026"));
        }
        (FactValue::Text(t), Style::Date) => FactValue::Date(FactDate::parse(t).map_err(|reason| {
            Diagnostic::error(at.clone(), format!("{what} has no valid date: {reason}"))
                .with_hint("write the date as 2026-07-01, a month as 2026-07 or a year as 2026")
        })?),
        (FactValue::Number(v), _) => {
            let mut report = Report::default();
            check_finite(file, &what, &Spanned::new(*v, fact.value.referenced, fact.value.defined), &mut report);
            return report.items.into_iter().next().map_or(Ok(()), Err);
        }
        (FactValue::Text(t), _) => return Err(not_a_number(at, &what, t, fact.unit)),
        (FactValue::Date(_), _) => return Ok(()),
    };
    fact.value.value = resolved;
    Ok(())
}

/// The error for words where a number belongs, with what to write instead.
fn not_a_number(at: Loc, what: &str, text: &str, unit: Unit) -> Diagnostic {
    let plain: String = text.chars().filter(|c| *c != ',' && *c != '_' && !c.is_whitespace()).collect();
    let hint = match plain.parse::<f64>() {
        Ok(v) if v.is_infinite() => {
            format!("`{text}` is beyond the largest number a figure can hold (about 1.8e308): check the exponent")
        }
        Ok(v) if text.contains([',', '_', ' ']) => {
            format!("write {plain} or {v:e} (no thousands separators: YAML reads `{text}` as words, not as a number)")
        }
        _ if unit.style() != Style::Date && FactDate::parse(text).is_ok() => {
            format!("`{text}` is a date: give the fact `unit: date`, or write a number in `{}`", unit.name())
        }
        _ => "write the figure as a plain number in base units, e.g. 296.2e9 for USD 296.2 billion".to_string(),
    };
    Diagnostic::error(at, format!("{what} has `{text}` where a number belongs")).with_hint(hint)
}
