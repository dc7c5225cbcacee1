//! Locale-aware formatting of numbers, percents, money magnitudes, years,
//! ordinals and dates, backed by CLDR data compiled into ICU4X.
//!
//! Every number and date a reader sees is turned into text here; `locale::Locale`
//! then puts the locale's unit words and typography around it. Every method works
//! from CLDR data (`icu_decimal`, `icu_experimental`, `icu_plurals`,
//! `icu_datetime`); nothing here hard-codes separators, words or patterns.
//!
//! Conventions shared by all methods:
//!
//! * `f64` input is first converted to its shortest round-trip decimal
//!   (what `{}` prints), so `2.675` is treated as exactly 2.675.
//! * Rounding is **half-expand** (ties away from zero): 0.125 with two
//!   fraction digits gives 0.13, -2.5 with none gives -3.
//! * A result that rounds to zero never carries a minus sign.
//! * Non-finite input never panics: NaN gives `"NaN"`, infinities give `"∞"`
//!   and `"−∞"` (validation elsewhere is expected to reject them).
//! * Negative numbers carry U+2212 MINUS SIGN ("−27%"), not the hyphen-minus
//!   CLDR gives en, es and fr: a hyphen is shorter and sits lower than a plus.
//! * The embedded PDF fonts lack U+202F NARROW NO-BREAK SPACE (Caladea has no
//!   glyph for it; Lato does), so every output maps U+202F to U+00A0 NO-BREAK
//!   SPACE, which both fonts have. Spaces inside numbers therefore stay
//!   unbreakable whichever one CLDR uses.

use fixed_decimal::{Decimal, Sign, SignedRoundingMode, UnsignedRoundingMode};
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::pattern::FixedCalendarDateTimeNames;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_decimal::options::GroupingStrategy;
use icu_decimal::{CompactDecimalFormatter, DecimalFormatter};
use icu_experimental::dimension::percent::formatter::PercentFormatter;
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

use crate::ids::LocaleTag;
use crate::model::EditionDate;

/// Rounding mode used everywhere in this module: ties go away from zero.
const ROUNDING: SignedRoundingMode = SignedRoundingMode::Unsigned(UnsignedRoundingMode::HalfExpand);

/// Values at or above this magnitude are written in long compact form.
const COMPACT_THRESHOLD: f64 = 1_000_000.0;

/// Most fraction digits kept at the compact scale (296.2 billion, 2.39 billion, 1.235 trillion).
const COMPACT_MAX_FRACTION: u8 = 3;

/// Most fraction digits `compact` shows for values below a million.
const PLAIN_MAX_FRACTION: u8 = 2;

/// The minus sign of negative numbers: U+2212, as wide as a plus sign and set at its height (a hyphen is
/// shorter and lower). Lato and Caladea both have the glyph.
pub const MINUS: &str = "\u{2212}";

/// Most fraction digits `percent` shows.
const PERCENT_MAX_FRACTION: u8 = 2;

/// Builds a Gregorian CLDR long-length date formatter for a field set (`YM`, `YMD`) with its digits formatter always loaded.
///
/// ICU4X 2.4 decides whether to load the digits formatter from a pattern's
/// era variant only. Its data for pt month-year has a literal `Y` there
/// instead of a year field, so the formatter is skipped and formatting 2026
/// debug-panics with `DecimalFormatterNotLoaded`. Loading it explicitly
/// keeps every locale panic-free.
macro_rules! date_formatter {
    ($fset:ident, $locale:expr) => {{
        let prefs: DateTimeFormatterPreferences = $locale.into();
        FixedCalendarDateTimeFormatter::<Gregorian, $fset>::try_new(prefs, $fset::long())
            .map_err(|e| e.to_string())
            .and_then(|formatter| {
                let mut names = FixedCalendarDateTimeNames::from_formatter(prefs, formatter);
                names.include_decimal_formatter().map_err(|e| e.to_string())?;
                names.try_into_formatter($fset::long()).map_err(|(e, _)| e.to_string())
            })
    }};
}

/// Locale-aware formatter for one locale; cheap to share (Send + Sync).
#[derive(Debug)]
pub struct NumberFormatter {
    /// Canonical BCP 47 form of the tag this formatter was built for.
    tag: LocaleTag,
    /// Grouped decimals (CLDR's default grouping strategy for the locale).
    decimal: DecimalFormatter,
    /// Ungrouped integers, for years.
    plain: DecimalFormatter,
    /// Long compact decimals ("1.6 trillion").
    compact: CompactDecimalFormatter,
    /// CLDR percent pattern for the locale.
    percent: PercentFormatter<DecimalFormatter>,
    /// CLDR ordinal plural rules.
    ordinals: PluralRules,
    /// CLDR long date (year, month, day) in the Gregorian calendar.
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    /// CLDR long month and year in the Gregorian calendar.
    month_year: FixedCalendarDateTimeFormatter<Gregorian, YM>,
}

// Compile-time proof of the "cheap to share" promise.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<NumberFormatter>();
};

impl NumberFormatter {
    /// Builds a formatter for a BCP 47 tag such as `en-US`, `es-MX` or `fr-CA`; errors on malformed tags and languages CLDR has no data for.
    pub fn new(tag: &str) -> Result<Self, String> {
        let unknown = || format!("unknown locale tag `{tag}` (expected a BCP 47 tag such as en-US)");
        let locale = Locale::try_from_str(tag.trim()).map_err(|_| unknown())?;
        let load =
            |what: &str, e: &dyn std::fmt::Display| format!("cannot load CLDR {what} data for locale `{locale}`: {e}");

        let month_year = date_formatter!(YM, &locale).map_err(|e| load("month-year", &e))?;
        // ICU silently falls back to root data for languages it does not know.
        // Root month names are placeholders ("M04"), so a language whose month
        // names match root's has no CLDR data of its own: reject it.
        let root = date_formatter!(YM, &Locale::UNKNOWN).map_err(|e| load("root", &e))?;
        let probe = Date::try_new_gregorian(2026, 4, 1).map_err(|e| e.to_string())?;
        if month_year.format(&probe).to_string() == root.format(&probe).to_string() {
            return Err(unknown());
        }
        let date = date_formatter!(YMD, &locale).map_err(|e| load("date", &e))?;
        let decimal =
            DecimalFormatter::try_new((&locale).into(), Default::default()).map_err(|e| load("decimal", &e))?;
        let plain = DecimalFormatter::try_new((&locale).into(), GroupingStrategy::Never.into())
            .map_err(|e| load("decimal", &e))?;
        let compact = CompactDecimalFormatter::try_new_long((&locale).into(), Default::default())
            .map_err(|e| load("compact decimal", &e))?;
        let percent =
            PercentFormatter::try_new((&locale).into(), Default::default()).map_err(|e| load("percent", &e))?;
        let ordinals = PluralRules::try_new_ordinal((&locale).into()).map_err(|e| load("ordinal plural", &e))?;

        Ok(Self {
            tag: LocaleTag::new(locale.to_string()),
            decimal,
            plain,
            compact,
            percent,
            ordinals,
            date,
            month_year,
        })
    }

    /// The canonical BCP 47 tag this formatter was built for (`en-us` becomes `en-US`).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Grouped decimal with the fewest fraction digits needed, at most `max_fraction`, rounded half-expand: 48375 -> "48,375" / "48 375" (fr-CA, U+00A0); 2.5 -> "2.5" / "2,5".
    pub fn decimal(&self, v: f64, max_fraction: u8) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        round_to(&mut d, -i16::from(max_fraction));
        d.absolute.trim_end();
        number(self.decimal.format(&d).to_string())
    }

    /// Grouped decimal with exactly `fraction` fraction digits, rounded half-expand: 0.5 with 2 -> "0.50" / "0,50"; -0.12 -> "−0.12" (U+2212).
    pub fn fixed(&self, v: f64, fraction: u8) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        let position = -i16::from(fraction);
        round_to(&mut d, position);
        d.absolute.pad_end(position);
        number(self.decimal.format(&d).to_string())
    }

    /// Long compact form from CLDR for |v| >= 1 million keeping up to 3 fraction digits at the compact scale ("296.2 billion", "1 millón", "2,39 milliards"); `decimal(v, 2)` below a million.
    pub fn compact(&self, v: f64) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        if v.abs() < COMPACT_THRESHOLD {
            return self.decimal(v, PLAIN_MAX_FRACTION);
        }
        // Pick the CLDR scale for the value's magnitude, round at that scale,
        // and pick again in case rounding carried into the next power of ten
        // (999.9996 billion -> 1 trillion). The second pass cannot carry again.
        let mut exponent = 0u8;
        for _ in 0..2 {
            let magnitude = d.absolute.nonzero_magnitude_start();
            exponent = self.compact.compact_exponent_for_magnitude(magnitude);
            round_to(&mut d, i16::from(exponent) - i16::from(COMPACT_MAX_FRACTION));
        }
        let mut significand = d.clone();
        significand.absolute.multiply_pow10(-i16::from(exponent));
        significand.absolute.trim_end();
        match self.compact.format_with_exponent(&significand, exponent) {
            Ok(formatted) => number(formatted.to_string()),
            // Unreachable with a consistent exponent; stay total regardless.
            Err(_) => self.decimal(v, COMPACT_MAX_FRACTION),
        }
    }

    /// The CLDR long compact scale of a value of a million or more: its power of ten and its word, in the plural
    /// ("billion", "mil millones", "milliards"), found by formatting 2 at that scale and removing the 2; None below
    /// a million or where the locale writes no word apart from the number.
    pub fn compact_scale(&self, v: f64) -> Option<(f64, String)> {
        if !v.is_finite() || v.abs() < COMPACT_THRESHOLD {
            return None;
        }
        let d = to_decimal(v).ok()?;
        let exponent = self.compact.compact_exponent_for_magnitude(d.absolute.nonzero_magnitude_start());
        let two = Decimal::try_from_str("2").ok()?;
        let formatted = number(self.compact.format_with_exponent(&two, exponent).ok()?.to_string());
        let digit = self.decimal(2.0, 0);
        let word = formatted.replacen(&digit, "", 1).trim().to_string();
        let only_word = exponent > 0 && !word.is_empty() && word != formatted && !word.contains(char::is_numeric);
        only_word.then(|| (10f64.powi(i32::from(exponent)), word))
    }

    /// Percent where `v` is already in percent units, via CLDR's percent pattern, fewest fraction digits up to 2: 32.7 -> "32.7%" / "32,7 %" (fr-CA, U+00A0); -27 -> "−27%" (U+2212).
    pub fn percent(&self, v: f64) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        round_to(&mut d, -i16::from(PERCENT_MAX_FRACTION));
        d.absolute.trim_end();
        number(self.percent.format(&d).to_string())
    }

    /// Percent with exactly `fraction` fraction digits, for one number of decimals across a chart: 14 with 1 -> "14.0%" / "14,0 %".
    pub fn percent_fixed(&self, v: f64, fraction: u8) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        let position = -i16::from(fraction);
        round_to(&mut d, position);
        d.absolute.pad_end(position);
        number(self.percent.format(&d).to_string())
    }

    /// A year, rounded to an integer and never grouped: 2036 -> "2036" in every locale.
    pub fn year(&self, v: f64) -> String {
        let mut d = match to_decimal(v) {
            Ok(d) => d,
            Err(text) => return text,
        };
        round_to(&mut d, 0);
        d.absolute.trim_end();
        number(self.plain.format(&d).to_string())
    }

    /// CLDR ordinal plural category of `n` for this locale: "zero" | "one" | "two" | "few" | "many" | "other" (en: 1 one, 2 two, 3 few, 11 other).
    pub fn ordinal_category(&self, n: u64) -> &'static str {
        match self.ordinals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// A full CLDR long date in the Gregorian calendar: 2026-07-01 -> "July 1, 2026" / "1 de julio de 2026" / "1 juillet 2026".
    pub fn date(&self, date: &EditionDate) -> String {
        finish(self.date.format(&date.gregorian()).to_string())
    }

    /// CLDR long month and year in the Gregorian calendar: 2026-04-15 -> "April 2026" / "abril de 2026" / "avril 2026".
    pub fn month_year(&self, date: &EditionDate) -> String {
        finish(self.month_year.format(&date.gregorian()).to_string())
    }
}

/// Converts `v` to its shortest round-trip decimal; for NaN and infinities, `Err` holds the text to show instead.
fn to_decimal(v: f64) -> Result<Decimal, String> {
    if v.is_nan() {
        return Err("NaN".to_owned());
    }
    if v.is_infinite() {
        return Err(if v < 0.0 { format!("{MINUS}∞") } else { "∞".to_owned() });
    }
    // `{}` never uses exponent notation for f64 and prints the shortest
    // digits that round-trip, which is exactly what fixed_decimal parses.
    // Every finite f64 parses; should one not, show Rust's own rendering.
    let text = format!("{v}");
    Decimal::try_from_str(&text).map_err(|_| text)
}

/// Rounds half-expand at `position` (a power of ten) and drops the sign of a zero result.
fn round_to(d: &mut Decimal, position: i16) {
    d.round_with_mode(position, ROUNDING);
    if d.absolute.is_zero() {
        d.sign = Sign::None;
    }
}

/// Final touch on every output: U+202F NARROW NO-BREAK SPACE becomes U+00A0 NO-BREAK SPACE, which the PDF fonts have.
fn finish(s: String) -> String {
    if s.contains('\u{202f}') { s.replace('\u{202f}', "\u{a0}") } else { s }
}

/// Final touch on every number: `finish`, and the ASCII hyphen-minus CLDR gives en, es and fr for the sign becomes
/// U+2212 MINUS SIGN (the only hyphen-minus a formatted number holds is its sign).
fn number(s: String) -> String {
    let s = finish(s);
    if s.contains('-') { s.replace('-', MINUS) } else { s }
}

#[cfg(test)]
mod tests {
    use super::NumberFormatter;
    use crate::model::EditionDate;

    const LOCALES: [&str; 3] = ["en-US", "es-MX", "fr-CA"];

    fn fmts() -> [NumberFormatter; 3] {
        LOCALES.map(|tag| match NumberFormatter::new(tag) {
            Ok(f) => f,
            Err(e) => panic!("{tag}: {e}"),
        })
    }

    /// Asserts `f(formatter)` for en-US, es-MX and fr-CA, in that order.
    fn check(f: impl Fn(&NumberFormatter) -> String, expected: [&str; 3]) {
        for (fmt, want) in fmts().iter().zip(expected) {
            assert_eq!(f(fmt), want, "locale {}", fmt.tag());
        }
    }

    #[test]
    fn tags() {
        for tag in LOCALES {
            assert_eq!(NumberFormatter::new(tag).map(|f| f.tag().to_owned()), Ok(tag.to_owned()));
        }
        assert_eq!(NumberFormatter::new("en-us").map(|f| f.tag().to_owned()), Ok("en-US".to_owned()));
    }

    #[test]
    fn unknown_tags_are_errors() {
        for bad in ["xx-YY", "und", "", "not a tag", "en_US_POSIX_junk!"] {
            let err = NumberFormatter::new(bad).err();
            assert_eq!(
                err,
                Some(format!("unknown locale tag `{bad}` (expected a BCP 47 tag such as en-US)")),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn decimal() {
        check(|f| f.decimal(48375.0, 2), ["48,375", "48,375", "48\u{a0}375"]);
        check(|f| f.decimal(2.5, 2), ["2.5", "2.5", "2,5"]);
        check(|f| f.decimal(1.92, 2), ["1.92", "1.92", "1,92"]);
        check(|f| f.decimal(1.925, 2), ["1.93", "1.93", "1,93"]);
        check(|f| f.decimal(2.0, 2), ["2", "2", "2"]);
        check(|f| f.decimal(1234567.891, 1), ["1,234,567.9", "1,234,567.9", "1\u{a0}234\u{a0}567,9"]);
        check(|f| f.decimal(-0.001, 2), ["0", "0", "0"]);
        check(|f| f.decimal(-4.5, 0), ["\u{2212}5", "\u{2212}5", "\u{2212}5"]);
    }

    #[test]
    fn fixed() {
        check(|f| f.fixed(0.5, 2), ["0.50", "0.50", "0,50"]);
        check(|f| f.fixed(-0.12, 2), ["\u{2212}0.12", "\u{2212}0.12", "\u{2212}0,12"]);
        check(|f| f.fixed(3.0, 1), ["3.0", "3.0", "3,0"]);
        check(|f| f.fixed(0.125, 2), ["0.13", "0.13", "0,13"]);
        check(|f| f.fixed(-0.001, 2), ["0.00", "0.00", "0,00"]);
        check(|f| f.fixed(12345.678, 0), ["12,346", "12,346", "12\u{a0}346"]);
    }

    #[test]
    fn compact() {
        check(|f| f.compact(1.6e12), ["1.6 trillion", "1.6 billones", "1,6 billion"]);
        check(|f| f.compact(296.2e9), ["296.2 billion", "296.2 mil millones", "296,2 milliards"]);
        check(|f| f.compact(2.39e9), ["2.39 billion", "2.39 mil millones", "2,39 milliards"]);
        check(|f| f.compact(803e9), ["803 billion", "803 mil millones", "803 milliards"]);
        check(|f| f.compact(9.7e6), ["9.7 million", "9.7 millones", "9,7 millions"]);
        check(|f| f.compact(1e6), ["1 million", "1 millón", "1 million"]);
        check(|f| f.compact(2e9), ["2 billion", "2 mil millones", "2 milliards"]);
    }

    #[test]
    fn compact_scale_names_the_magnitude() {
        let scale = |v: f64| fmts().map(|f| f.compact_scale(v));
        let b = |w: &str| Some((1e9, w.to_owned()));
        assert_eq!(scale(350e9), [b("billion"), b("mil millones"), b("milliards")]);
        let t = |w: &str| Some((1e12, w.to_owned()));
        assert_eq!(scale(-1.6e12), [t("trillion"), t("billones"), t("billions")]);
        let m = |w: &str| Some((1e6, w.to_owned()));
        assert_eq!(scale(9.7e6), [m("million"), m("millones"), m("millions")]);
        assert_eq!(scale(999_999.0), [None, None, None]);
        assert_eq!(scale(f64::NAN), [None, None, None]);
    }

    #[test]
    fn compact_edges() {
        // Below a million: plain grouped decimal, at most two fraction digits.
        check(|f| f.compact(999_999.0), ["999,999", "999,999", "999\u{a0}999"]);
        check(|f| f.compact(1234.567), ["1,234.57", "1,234.57", "1\u{a0}234,57"]);
        // At most three fraction digits at the compact scale, half-expand.
        check(|f| f.compact(1.23456e12), ["1.235 trillion", "1.235 billones", "1,235 billion"]);
        // Rounding that carries into the next scale switches scale.
        check(|f| f.compact(999.9996e9), ["1 trillion", "1 billón", "1 billion"]);
        // Negative magnitudes keep their sign.
        check(|f| f.compact(-2.5e9), ["\u{2212}2.5 billion", "\u{2212}2.5 mil millones", "\u{2212}2,5 milliards"]);
    }

    #[test]
    fn percent() {
        check(|f| f.percent(32.7), ["32.7%", "32.7%", "32,7\u{a0}%"]);
        check(|f| f.percent(-27.0), ["\u{2212}27%", "\u{2212}27%", "\u{2212}27\u{a0}%"]);
        check(|f| f.percent(0.9), ["0.9%", "0.9%", "0,9\u{a0}%"]);
        check(|f| f.percent(12.345), ["12.35%", "12.35%", "12,35\u{a0}%"]);
        check(|f| f.percent(1250.0), ["1,250%", "1,250%", "1\u{a0}250\u{a0}%"]);
    }

    #[test]
    fn year() {
        check(|f| f.year(2036.0), ["2036", "2036", "2036"]);
        check(|f| f.year(12036.0), ["12036", "12036", "12036"]);
    }

    #[test]
    fn ordinal_category() {
        let [en, es, fr] = fmts();
        let en_cases = [
            (1, "one"),
            (2, "two"),
            (3, "few"),
            (4, "other"),
            (11, "other"),
            (12, "other"),
            (13, "other"),
            (21, "one"),
            (22, "two"),
            (23, "few"),
            (101, "one"),
            (111, "other"),
        ];
        for (n, want) in en_cases {
            assert_eq!(en.ordinal_category(n), want, "en {n}");
        }
        for (n, want) in [(1, "one"), (2, "other"), (3, "other"), (21, "other")] {
            assert_eq!(fr.ordinal_category(n), want, "fr {n}");
        }
        // The CLDR data in ICU4X 2.4 gives Spanish an ordinal "one" where
        // n % 10 = 1,3 and n % 100 != 11 (the "1.er"/"3.er" forms), else "other".
        let es_cases = [
            (0, "other"),
            (1, "one"),
            (2, "other"),
            (3, "one"),
            (4, "other"),
            (11, "other"),
            (13, "one"),
            (21, "one"),
            (23, "one"),
            (101, "one"),
            (111, "other"),
        ];
        for (n, want) in es_cases {
            assert_eq!(es.ordinal_category(n), want, "es {n}");
        }
    }

    /// A date of the calendar (impossible dates are refused when the edition is parsed: `model::EditionDate`).
    fn day(text: &str) -> EditionDate {
        EditionDate::parse(text).unwrap()
    }

    #[test]
    fn dates() {
        check(|f| f.date(&day("2026-07-01")), ["July 1, 2026", "1 de julio de 2026", "1 juillet 2026"]);
        check(|f| f.month_year(&day("2026-04-15")), ["April 2026", "abril de 2026", "avril 2026"]);
    }

    #[test]
    fn other_locales_do_not_panic() {
        // pt trips an ICU4X 2.4 data quirk in month-year (see `date_formatter!`).
        let pt = NumberFormatter::new("pt-BR").map(|f| f.month_year(&day("2026-04-15")));
        assert_eq!(pt, Ok("abril de 2026".to_owned()));
        let de = NumberFormatter::new("de-DE").map(|f| (f.compact(2.5e9), f.date(&day("2026-07-01"))));
        assert_eq!(de, Ok(("2,5 Milliarden".to_owned(), "1. Juli 2026".to_owned())));
    }

    #[test]
    fn non_finite_does_not_panic() {
        for f in fmts() {
            for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                for s in [f.decimal(v, 2), f.fixed(v, 2), f.compact(v), f.percent(v), f.year(v)] {
                    assert!(["NaN", "∞", "\u{2212}∞"].contains(&s.as_str()), "{s}");
                }
            }
            assert_eq!(f.decimal(f64::NAN, 2), "NaN");
            assert_eq!(f.compact(f64::NEG_INFINITY), "\u{2212}∞");
            // Extremes stay total too.
            assert!(!f.compact(f64::MAX).is_empty());
            assert!(!f.fixed(f64::MIN_POSITIVE, 255).is_empty());
            assert_eq!(f.decimal(-0.0, 2), "0");
        }
    }

    #[test]
    fn no_narrow_no_break_space() {
        // CLDR groups fr (France) with U+202F; it must come out as U+00A0.
        let fr = NumberFormatter::new("fr-FR").map(|f| f.decimal(-48375.5, 1));
        assert_eq!(fr, Ok("\u{2212}48\u{a0}375,5".to_owned()));
        for f in fmts() {
            for s in [f.decimal(1e9, 2), f.percent(1234.5), f.compact(3.5e12), f.fixed(-98765.4, 1)] {
                assert!(!s.contains('\u{202f}'), "{}: {s:?}", f.tag());
            }
        }
    }
}
