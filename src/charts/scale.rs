//! Value axes: "nice" scales covering zero and the data, and their tick labels in the locale's words.

use crate::locale::Locale;
use crate::model::Unit;

/// A value axis: its ends and ticks, all multiples of `step`, covering zero and the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// Lowest tick.
    pub lo: f64,
    /// Highest tick.
    pub hi: f64,
    /// Distance between ticks.
    pub step: f64,
}

impl Scale {
    /// The tick values, low to high.
    pub fn ticks(&self) -> Vec<f64> {
        let n = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=n)
            .map(|i| {
                let t = self.lo + i as f64 * self.step;
                // Round away float noise; keep zero positive.
                let t = (t / self.step).round() * self.step;
                if t.abs() < self.step * 1e-9 { 0.0 } else { t }
            })
            .collect()
    }
}

/// A "nice" step (1, 2 or 5 times a power of ten) near `range / target`.
fn nice_step(range: f64, target: f64) -> f64 {
    let raw = (range / target.max(1.0)).max(f64::MIN_POSITIVE);
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let nice = if f < 1.5 {
        1.0
    } else if f < 3.0 {
        2.0
    } else if f < 7.0 {
        5.0
    } else {
        10.0
    };
    nice * mag
}

/// The next nicer step after `step` (1 → 2 → 2.5 → 5 → 10).
pub(super) fn next_step(step: f64) -> f64 {
    let mag = 10f64.powf(step.log10().floor());
    let f = (step / mag * 1000.0).round() / 1000.0;
    let next = if f < 2.0 {
        2.0
    } else if f < 2.5 {
        2.5
    } else if f < 5.0 {
        5.0
    } else {
        10.0
    };
    next * mag
}

/// A scale with a given step covering zero and `[min, max]`.
pub(super) fn scale_with_step(min: f64, max: f64, step: f64) -> Scale {
    let lo = (min.min(0.0) / step + 1e-9).floor() * step;
    let mut hi = (max.max(0.0) / step - 1e-9).ceil() * step;
    if hi <= lo {
        hi = lo + step;
    }
    Scale { lo, hi, step }
}

/// A scale with about `target` intervals covering zero and `[min, max]`.
pub fn nice_scale(min: f64, max: f64, target: f64) -> Scale {
    let (lo, hi) = (min.min(0.0), max.max(0.0));
    let range = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    scale_with_step(lo, hi, nice_step(range, target))
}

/// How a value axis writes its unit: money ticks are plain numbers at one CLDR scale ("0", "100", "300") under a
/// title that names the unit once ("USD billion", "mil millones de dólares"); other units write each tick in full
/// ("32.7%", "48,375") and have no title.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AxisUnit {
    /// What a tick value is divided by before it is written.
    pub divisor: f64,
    /// The axis title, when the ticks leave the unit to it.
    pub title: Option<String>,
}

impl AxisUnit {
    /// No title: every number written in full.
    pub const FULL: AxisUnit = AxisUnit { divisor: 1.0, title: None };

    /// A number as the chart writes it: plain at the axis's scale under a title ("301"), else in full.
    pub fn format(&self, locale: &Locale, unit: Unit, v: f64) -> String {
        locale.typography(&match self.title {
            Some(_) => locale.fmt.decimal(v / self.divisor, 3),
            None => locale.format_value(unit, v),
        })
    }
}

/// Draws a chart with its axis unit: money ticks are plain numbers beside a line naming their unit once;
/// should no scale fit (`draw` gives None), every number is written in full instead.
pub(super) fn draw_with_axis(
    locale: &Locale,
    unit: Unit,
    (vmin, vmax): (f64, f64),
    draw: impl Fn(&AxisUnit) -> Option<String>,
) -> String {
    draw(&axis_unit(locale, unit, vmin, vmax)).or_else(|| draw(&AxisUnit::FULL)).unwrap_or_default()
}

/// The axis unit of a chart whose values run from `vmin` to `vmax`.
pub(super) fn axis_unit(locale: &Locale, unit: Unit, vmin: f64, vmax: f64) -> AxisUnit {
    match locale.axis_unit(unit, vmin.abs().max(vmax.abs())) {
        Some((divisor, title)) => AxisUnit { divisor, title: Some(locale.typography(&title)) },
        None => AxisUnit { divisor: 1.0, title: None },
    }
}

/// The ticks of a scale with their labels, from the locale's formatter.
pub(super) fn tick_labels(locale: &Locale, unit: Unit, axis: &AxisUnit, scale: &Scale) -> Vec<(f64, String)> {
    scale.ticks().into_iter().map(|t| (t, axis.format(locale, unit, t))).collect()
}

/// Scales from about five intervals to coarser ones, each with its tick labels, for a layout
/// to pick the first whose labels fit.
pub(super) fn candidate_scales(
    locale: &Locale,
    unit: Unit,
    axis: &AxisUnit,
    vmin: f64,
    vmax: f64,
) -> Vec<(Scale, Vec<(f64, String)>)> {
    let fewest = if vmin < 0.0 && vmax > 0.0 { 3 } else { 2 };
    let mut scale = nice_scale(vmin, vmax, 5.0);
    let mut out = Vec::new();
    for _ in 0..12 {
        let ticks = tick_labels(locale, unit, axis, &scale);
        let n = ticks.len();
        out.push((scale.clone(), ticks));
        if n <= fewest {
            break;
        }
        scale = scale_with_step(vmin, vmax, next_step(scale.step));
    }
    out
}
