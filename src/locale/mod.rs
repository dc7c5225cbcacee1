//! Locales: the words of every document per locale (`locales/<tag>/*.yaml`), and how each locale writes
//! figures, dates and punctuation around them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

use crate::diag::Loc;
use crate::format::NumberFormatter;
use crate::ids::LocaleTag;
use crate::model::{EditionDate, Fact, FactDate, FactValue, Style, Unit};

mod check;
pub mod drafted;
mod files;
pub mod fingerprint;
#[cfg(test)]
pub mod fixture;
pub mod glossary;
pub mod keys;
pub mod names;
pub mod needs;
#[cfg(test)]
mod tests;
pub mod texts;
pub mod typography;

pub use check::{
    check_completeness, coverage, edition_words, number_words, rank_words, series_labels, translation_status,
    unit_patterns, untranslated,
};
pub use files::{available, load_all};

/// The locale whose keys every other locale must have.
pub const REFERENCE: &str = "en-US";

/// A node of a locale file: text, a list, or a nested map.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Node {
    /// A string of text with `{placeholders}`.
    Text(String),
    /// A list of nodes (bullet points, goals).
    List(Vec<Node>),
    /// Nested keys.
    Map(BTreeMap<String, Node>),
}

/// How a locale writes units, ordinals and typography (`locales/<tag>/locale.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocaleMeta {
    /// Name of the locale in its own language.
    pub name: String,
    /// ISO 639 language code for Typst's `lang`.
    pub lang: String,
    /// ISO 3166 region code for Typst's `region`.
    pub region: String,
    /// Pattern per unit, `{}` standing for the formatted number.
    pub units: BTreeMap<String, String>,
    /// Ordinal pattern per CLDR plural category (`other` required).
    pub ordinal: BTreeMap<String, String>,
    /// Words for ranks where the language writes them out (es-MX "primer lugar", apocopated before the noun);
    /// ranks without a word use `ordinal`.
    #[serde(default)]
    pub ordinal_words: BTreeMap<u64, String>,
    /// Words for small whole numbers where the locale's style writes them out in running prose ("siete u ocho
    /// veces"), used by `{fact|words}`; a number without a word is an error where the placeholder is written.
    #[serde(default)]
    pub number_words: BTreeMap<u64, String>,
    /// Whether to put no-break spaces before `: ; ! ?` and inside « » (French).
    #[serde(default)]
    pub french_spacing: bool,
    /// Names of several words that never break across lines ("Estados Unidos", "Nuevo México"): their spaces
    /// become no-break spaces.
    #[serde(default)]
    pub keep_together: Vec<String>,
}

/// A loaded locale: its metadata, formatter and every key with where it is written.
#[derive(Debug)]
pub struct Locale {
    /// BCP 47 tag, e.g. `es-MX`.
    pub tag: LocaleTag,
    /// Units, ordinals and typography.
    pub meta: LocaleMeta,
    /// The CLDR number formatter.
    pub fmt: NumberFormatter,
    /// Every leaf key (`file.path.to.key`, list items by index) with its text.
    pub keys: BTreeMap<String, String>,
    /// Every key (leaves, lists and maps) with its node.
    pub nodes: BTreeMap<String, Node>,
    /// The file and line each key is written at.
    pub origin: BTreeMap<String, Loc>,
    /// The locale's folder relative to the root.
    pub dir: PathBuf,
    /// Where each text is written, to locate a place inside it.
    pub spans: texts::Positions,
    /// Which en-US text each text was translated from (`fingerprints.yaml`), when the locale has the file.
    pub store: Option<fingerprint::Store>,
    /// The renderings the locale requires for en-US terms.
    pub glossary: Vec<glossary::Term>,
}

impl Locale {
    /// Where a key is (or should be) written.
    pub fn key_loc(&self, key: &str) -> Loc {
        self.origin.get(key).cloned().unwrap_or_else(|| {
            let file = key.split('.').next().unwrap_or("common");
            Loc::file(self.dir.join(format!("{file}.yaml")))
        })
    }

    /// Formats a number in a unit as this locale writes it.
    pub fn format_value(&self, unit: Unit, v: f64) -> String {
        let f = &self.fmt;
        let number = match unit.style() {
            Style::Money => f.compact(v),
            Style::Count => {
                if v.abs() >= 1e6 {
                    f.compact(v)
                } else {
                    f.decimal(v, 2)
                }
            }
            Style::Percent => f.percent(v),
            Style::Decimal => f.decimal(v, 2),
            Style::Year | Style::Date => f.year(v),
            Style::Rank => return self.rank(v),
        };
        self.pattern(unit, &number)
    }

    /// A rank as this locale writes it: its word ("primer") or its ordinal pattern ("3rd").
    fn rank(&self, v: f64) -> String {
        let f = &self.fmt;
        let n = v.abs().round() as u64;
        if let Some(word) = self.meta.ordinal_words.get(&n) {
            return word.clone();
        }
        let cat = f.ordinal_category(n);
        let pat = self.meta.ordinal.get(cat).or_else(|| self.meta.ordinal.get("other"));
        pat.map_or_else(|| n.to_string(), |p| p.replace("{}", &f.decimal(n as f64, 0)))
    }

    /// A date fact as this locale writes it: a day as a full date ("1er juillet 2026"), a month with its year
    /// ("julio de 2026"), a year alone ("2020"); in the pattern of the unit.
    pub fn format_date(&self, unit: Unit, date: &FactDate) -> String {
        let text = match date {
            FactDate::Year(y) => self.fmt.year(f64::from(*y)),
            FactDate::Month(d) => self.fmt.month_year(d),
            FactDate::Day(d) => self.date(d),
        };
        self.pattern(unit, &text)
    }

    /// Formats a number with exactly `fraction` decimals (money and years as `format_value` does), so that every
    /// label of a chart has one number of decimals ("35.0%" beside "34.4%").
    pub fn format_fixed(&self, unit: Unit, v: f64, fraction: u8) -> String {
        match unit.style() {
            Style::Percent => self.pattern(unit, &self.fmt.percent_fixed(v, fraction)),
            Style::Money | Style::Year | Style::Rank | Style::Date => self.format_value(unit, v),
            Style::Count if v.abs() >= 1e6 => self.format_value(unit, v),
            Style::Count | Style::Decimal => self.pattern(unit, &self.fmt.fixed(v, fraction)),
        }
    }

    /// The unit a value axis names once, for money of a million or more: the divisor of its ticks and its words
    /// ("USD billion", "mil millones de dólares", "milliards $ US": the CLDR scale word in the unit's pattern).
    pub fn axis_unit(&self, unit: Unit, largest: f64) -> Option<(f64, String)> {
        if unit.style() != Style::Money {
            return None;
        }
        let (divisor, word) = self.fmt.compact_scale(largest)?;
        Some((divisor, self.pattern(unit, &word)))
    }

    /// A figure as running text shows it: formatted, and kept together as [`keep_figure_together`] says.
    pub fn figure_text(&self, unit: Unit, v: f64) -> String {
        keep_figure_together(&self.format_value(unit, v))
    }

    /// The colon after a word or a label, as the locale writes it: French puts a no-break space before it (Canadian
    /// federal usage; none before the semicolon). Chart alt texts and labels use it.
    pub fn colon(&self) -> &'static str {
        if self.meta.french_spacing { "\u{a0}:" } else { ":" }
    }

    /// The separator between a label and what follows: the locale's colon and a space.
    pub fn label_sep(&self) -> &'static str {
        if self.meta.french_spacing { "\u{a0}: " } else { ": " }
    }

    /// A full date as this locale writes it (CLDR, plus French "1er" for the first of the month).
    pub fn date(&self, edition: &EditionDate) -> String {
        let date = self.fmt.date(edition);
        let first = self.french_ordinals() && edition.ymd().2 == 1;
        first.then(|| typography::french_first_of_month(&date)).flatten().unwrap_or(date)
    }

    /// Whether the locale writes French ordinals ("1er", "2e", "XXIe siècle"), set as superscript.
    fn french_ordinals(&self) -> bool {
        self.meta.lang == "fr"
    }

    /// Plain text (a figure, a date) as markup, escaped, with the locale's ordinal letters set as superscript.
    pub fn ordinal_markup(&self, text: &str) -> String {
        typography::superscript_markup(&crate::escape::markup(&self.superscripts(text)))
    }

    /// Plain text as markup, escaped, names kept whole ([`names`]) and ordinal letters set as superscript.
    pub fn text_markup(&self, text: &str) -> String {
        typography::superscript_markup(&names::markup_keeping_names(&self.superscripts(text)))
    }

    /// Sorts items alphabetically by a name, in the locale's collation (CLDR's order for its language, ICU4X).
    pub fn sort_by_name<T>(&self, items: &mut [T], name: impl Fn(&T) -> &str) {
        let prefs = self.tag.parse::<icu_locale_core::Locale>().map(|l| (&l).into()).unwrap_or_default();
        match icu_collator::Collator::try_new(prefs, icu_collator::options::CollatorOptions::default()) {
            Ok(collator) => items.sort_by(|a, b| collator.compare(name(a), name(b))),
            Err(_) => items.sort_by(|a, b| name(a).cmp(name(b))),
        }
    }

    /// Applies the locale's pattern for a unit.
    fn pattern(&self, unit: Unit, number: &str) -> String {
        match self.meta.units.get(unit.name()) {
            Some(p) => p.replace("{}", number),
            None => number.to_string(),
        }
    }

    /// Formats a fact's value (a date as the locale writes dates), kept on one line.
    pub fn format_fact(&self, fact: &Fact, abs: bool) -> String {
        match &fact.value.value {
            FactValue::Date(d) => self.format_date(fact.unit, d).replace(' ', "\u{a0}"),
            _ => {
                let v = fact.number();
                self.figure_text(fact.unit, if abs { v.abs() } else { v })
            }
        }
    }

    /// A fact's number in words (`{fact|words}`), from `number_words:`: `None` when the fact is no whole number or
    /// the locale has no word for it.
    pub fn number_word(&self, fact: &Fact) -> Option<&str> {
        let FactValue::Number(v) = fact.value.value else { return None };
        if v < 0.0 || v.fract() != 0.0 || v > u64::MAX as f64 {
            return None;
        }
        self.meta.number_words.get(&(v as u64)).map(String::as_str)
    }

    /// Marks the letters this locale sets as superscript (French ordinals and centuries: "1er", "XXIe siècle"), for
    /// text that becomes markup (see [`typography::superscript_markup`]).
    pub fn superscripts(&self, text: &str) -> String {
        if self.french_ordinals() { typography::french_ordinals(text) } else { text.to_string() }
    }

    /// Applies locale typography to plain text: French no-break spaces, and a number kept with its word.
    pub fn typography(&self, text: &str) -> String {
        self.typography_with(text, &|_| None)
    }

    /// `typography` for text in which some tokens stand for figures; `shown` gives what a token prints.
    pub fn typography_with(&self, text: &str, shown: &dyn Fn(&str) -> Option<String>) -> String {
        let spaced;
        let text = if self.meta.french_spacing {
            spaced = typography::french_spacing(text);
            spaced.as_str()
        } else {
            text
        };
        let kept = typography::keep_names_together(text, &self.meta.keep_together);
        typography::keep_numbers_with_words(&kept, shown)
    }
}

/// A figure with no-break spaces: the number (and what comes before it, "USD") kept with the two words after it
/// ("296.2 mil millones", "USD 1.6 trillion"), and a short word with the word after it ("de dólares", "$ US"), so a
/// long amount ("296.2 mil millones de dólares") may break once instead of loosening a justified line.
pub fn keep_figure_together(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let number = words.iter().position(|w| w.chars().any(|c| c.is_ascii_digit())).unwrap_or(0);
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            let short = words[i - 1].chars().count() <= 2;
            out.push(if i <= number + 2 || short { '\u{a0}' } else { ' ' });
        }
        out.push_str(word);
    }
    out
}
