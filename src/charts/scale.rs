//! How a chart writes its values: the unit named once above the plot for money ("USD billion") or in every label
//! ("32.7%"), and one number of decimals for every label of a chart.

use crate::locale::Locale;
use crate::model::Unit;

/// How a chart writes its unit: money values are plain numbers at one CLDR scale ("296.2", "94.2") under a title
/// that names the unit once ("USD billion", "mil millones de dólares"); other units write each value in full
/// ("32.7%", "48,375"), under a title only when the chart's words give one (a ratio's formula).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AxisUnit {
    /// What a value is divided by before it is written.
    pub divisor: f64,
    /// The unit title, when the values leave the unit to it.
    pub title: Option<String>,
}

impl AxisUnit {
    /// A number as the chart writes it, with exactly `decimals` decimals: plain at the title's scale ("301.0"),
    /// else in full ("35.0%").
    pub fn format(&self, locale: &Locale, unit: Unit, v: f64, decimals: u8) -> String {
        locale.typography(&match self.title {
            Some(_) if self.divisor != 1.0 => locale.fmt.fixed(v / self.divisor, decimals),
            _ => locale.format_fixed(unit, v, decimals),
        })
    }

    /// The value a label shows, before formatting.
    fn shown(&self, v: f64) -> f64 {
        if self.title.is_some() { v / self.divisor } else { v }
    }
}

/// The unit title of a chart whose values run from `vmin` to `vmax` (money of a million or more).
pub(super) fn axis_unit(locale: &Locale, unit: Unit, vmin: f64, vmax: f64) -> AxisUnit {
    match locale.axis_unit(unit, vmin.abs().max(vmax.abs())) {
        Some((divisor, title)) => AxisUnit { divisor, title: Some(locale.typography(&title)) },
        None => AxisUnit { divisor: 1.0, title: None },
    }
}

/// The most decimals a unit's labels show (as the locale's formatter rounds them).
fn max_decimals(unit: Unit, axis: &AxisUnit) -> u8 {
    match unit {
        Unit::Usd | Unit::Cad if axis.title.is_some() => 3,
        Unit::Year | Unit::Rank | Unit::Usd | Unit::Cad => 0,
        _ => 2,
    }
}

/// The decimals a value needs, at most `max`: 35 needs 0, 34.4 needs 1.
fn decimals_of(v: f64, max: u8) -> u8 {
    (0..max)
        .find(|d| {
            let f = 10f64.powi(i32::from(*d));
            ((v * f).round() / f - v).abs() <= 1e-9 * v.abs().max(1.0)
        })
        .unwrap_or(max)
}

/// One number of decimals for every label of a chart: the most any of its values needs ("35.0%" beside "34.4%").
pub(super) fn decimals_for(values: impl Iterator<Item = f64>, unit: Unit, axis: &AxisUnit) -> u8 {
    let max = max_decimals(unit, axis);
    values.map(|v| decimals_of(axis.shown(v), max)).max().unwrap_or(0)
}
