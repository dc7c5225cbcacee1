//! The words of a chart: its alt text (every value, in the locale's words) and its source line.

use super::DAGGER;
use super::data::{Prepared, SeriesData};
use crate::citation::{self, end_sentence};
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

/// The 4-digit years in a text.
fn years(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                out.push(&text[start..i]);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Whether a title already says the period (every year of it, or the whole phrase).
fn title_states_period(title: &str, period: &str) -> bool {
    let ys = years(period);
    if ys.is_empty() { title.contains(period) } else { ys.iter().all(|y| title.contains(y)) }
}

/// The words around the data of an alt text.
pub(super) struct AltWords<'a> {
    /// "Bar chart".
    pub kind: &'a str,
    /// The chart's title.
    pub title: &'a str,
    /// The period phrase.
    pub period: &'a str,
    /// Marks a provisional value, e.g. "provisional".
    pub provisional: &'a str,
}

/// Alt text: "Bar chart. Title, period: A 1; B 2." (the period only when the title lacks it);
/// several series: "Bar chart. Title. Series 1: A 1; B 2. Series 2: A 3; B 4."
pub(super) fn alt_text(words: &AltWords, p: &Prepared, locale: &Locale) -> String {
    let mut head = format!("{}. {}", words.kind, words.title.trim_end_matches('.'));
    if !words.period.is_empty() && !title_states_period(words.title, words.period) {
        head.push_str(&format!(", {}", words.period));
    }
    let items = |s: &SeriesData| -> String {
        p.categories
            .iter()
            .enumerate()
            .map(|(i, (_, label))| {
                let v = locale.format_value(p.unit, s.values[i]);
                if s.provisional[i] { format!("{label} {v} ({})", words.provisional) } else { format!("{label} {v}") }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    // French puts a no-break space before the colon (Canadian federal usage: none before the semicolon).
    let colon = locale.label_sep().trim_end();
    let text = if p.series.len() == 1 {
        format!("{head}{colon} {}.", items(&p.series[0]))
    } else {
        let parts: Vec<String> = p.series.iter().map(|s| format!("{}{colon} {}.", s.name, items(s))).collect();
        format!("{head}. {}", parts.join(" "))
    };
    locale.typography(&text)
}

/// Upper-cases the first letter.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// "Sources: A; B. Period." (+ the provisional note when a value is provisional).
pub(super) fn source_line(
    heading: &str,
    names: &[String],
    period: &str,
    note: Option<&str>,
    locale: &Locale,
) -> String {
    let mut out = citation::sentence(locale, heading, names);
    if !period.is_empty() {
        out.push(' ');
        out.push_str(&capitalise(period));
        end_sentence(&mut out);
    }
    if let Some(note) = note {
        out.push_str(&format!(" {DAGGER} {note}"));
        end_sentence(&mut out);
    }
    out
}
