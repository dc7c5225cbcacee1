//! A chart's data as CSV, beside its SVG and PNG (`briefs charts`) and in the review site.

use super::ChartOut;

/// A chart's data as CSV (RFC 4180, UTF-8), one row per value: `chart, series, series_name, category,
/// category_name, value, unit, provisional`. Values are plain numbers in the unit of data/ (`296200000000` for
/// USD 296.2 billion, `32.7` for 32.7 %); names are the locale's words.
pub fn to_csv(chart: &ChartOut) -> Result<Vec<u8>, String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let fail = |e: ::csv::Error| format!("failed to write its data as CSV ({e})");
    w.write_record(["chart", "series", "series_name", "category", "category_name", "value", "unit", "provisional"])
        .map_err(fail)?;
    let t = &chart.table;
    for s in &t.series {
        for (key, label, v, p) in &s.rows {
            let p = if *p { "true" } else { "false" };
            w.write_record([chart.id.as_str(), &s.id, &s.name, key, label, &v.to_string(), t.unit, p]).map_err(fail)?;
        }
    }
    w.into_inner().map_err(|e| format!("failed to write its data as CSV ({e})"))
}
