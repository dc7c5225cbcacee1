//! The words of a chart: its alt text (every value, in the locale's words) and the locale's texts it needs.

use super::data::{Prepared, SeriesData};
use crate::diag::{Diagnostic, Report};
use crate::locale::Locale;

/// Looks a key up, reporting it (with its file) when missing.
pub(super) fn required_text(locale: &Locale, key: &str, report: &mut Report) -> Option<String> {
    match locale.keys.get(key) {
        Some(t) => Some(t.clone()),
        None => {
            let loc = locale.key_loc(key);
            report.push(
                Diagnostic::error(loc.clone(), format!("locale {} has no key `{key}`", locale.tag))
                    .with_hint(format!("add it to {}", loc.file.display())),
            );
            None
        }
    }
}

/// The words around the data of an alt text.
pub(super) struct AltWords<'a> {
    /// "Bar chart".
    pub kind: &'a str,
    /// The chart's title.
    pub title: &'a str,
    /// The chart's subtitle (measure, unit, period).
    pub subtitle: &'a str,
    /// Marks a provisional value, e.g. "provisional".
    pub provisional: &'a str,
}

/// Alt text: "Bar chart. Title. Subtitle: A 1; B 2."; several series: "… Subtitle. Series 1: A 1; B 2. Series 2:
/// A 3; B 4."; panels: "… Subtitle. Panel 1: A 1; B 2. Panel 2: C 3."
pub(super) fn alt_text(words: &AltWords, p: &Prepared, locale: &Locale) -> String {
    let head =
        format!("{}. {}. {}", words.kind, words.title.trim_end_matches('.'), words.subtitle.trim_end_matches('.'));
    let items = |s: &SeriesData, range: std::ops::Range<usize>| -> String {
        range
            .map(|i| {
                let label = &p.categories[i].1;
                let v = locale.format_value(p.unit, s.values[i]);
                if s.provisional[i] { format!("{label} {v} ({})", words.provisional) } else { format!("{label} {v}") }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let colon = locale.colon();
    let n = p.categories.len();
    let text = if !p.panels.is_empty() {
        let parts: Vec<String> = p
            .panels
            .iter()
            .enumerate()
            .map(|(k, (start, name))| {
                let end = p.panels.get(k + 1).map_or(n, |(e, _)| *e);
                format!("{name}{colon} {}.", items(&p.series[0], *start..end))
            })
            .collect();
        format!("{head}. {}", parts.join(" "))
    } else if p.series.len() == 1 {
        format!("{head}{colon} {}.", items(&p.series[0], 0..n))
    } else {
        let parts: Vec<String> = p.series.iter().map(|s| format!("{}{colon} {}.", s.name, items(s, 0..n))).collect();
        format!("{head}. {}", parts.join(" "))
    };
    locale.typography(&text)
}
