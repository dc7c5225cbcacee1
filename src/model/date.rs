//! The edition date: parsed and validated once (by ICU4X's calendar), then converted where needed.

use icu_calendar::{Date, Gregorian};

/// A valid calendar date in the Gregorian calendar, the one date type of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditionDate {
    /// The date as ICU4X holds it (formatted by `format`).
    date: Date<Gregorian>,
    /// Year, month (1–12) and day (1–31), as written.
    ymd: (i32, u8, u8),
}

impl Default for EditionDate {
    /// 1970-01-01: the stand-in while an edition that failed to load is reported (such a model is never used).
    fn default() -> Self {
        EditionDate {
            date: Date::from_rata_die(icu_calendar::types::RataDie::new(719_163), Gregorian),
            ymd: (1970, 1, 1),
        }
    }
}

impl EditionDate {
    /// Parses `YYYY-MM-DD`, refusing dates the calendar does not have (`2026-02-30`, `2026-13-01`).
    pub fn parse(text: &str) -> Result<EditionDate, String> {
        let shape = "write the date as YYYY-MM-DD, e.g. 2026-04-15";
        let parts: Vec<&str> = text.split('-').collect();
        let [y, m, d] = parts.as_slice() else { return Err(format!("`{text}` is not a date ({shape})")) };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
            return Err(format!("`{text}` is not a date ({shape})"));
        }
        let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) else {
            return Err(format!("`{text}` is not a date ({shape})"));
        };
        let date = Date::try_new_gregorian(year, month, day)
            .map_err(|e| format!("`{text}` is not a date of the calendar ({e})"))?;
        Ok(EditionDate { date, ymd: (year, month, day) })
    }

    /// Year, month and day.
    pub fn ymd(&self) -> (i32, u8, u8) {
        self.ymd
    }

    /// The date for ICU4X's formatters.
    pub fn gregorian(&self) -> Date<Gregorian> {
        self.date
    }

    /// The ISO 8601 form, `2026-04-15`.
    pub fn iso(&self) -> String {
        let (y, m, d) = self.ymd;
        format!("{y:04}-{m:02}-{d:02}")
    }
}

/// The date a date fact names: a day, a month or a year (`2026-07-01`, `2026-07`, `2020`), as the sources state it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactDate {
    /// A year.
    Year(i32),
    /// A month of a year: its first day, printed as month and year.
    Month(EditionDate),
    /// A day.
    Day(EditionDate),
}

impl FactDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, refusing what the calendar does not have.
    pub fn parse(text: &str) -> Result<FactDate, String> {
        let shape = "write a date as 2026-07-01, a month as 2026-07 or a year as 2026";
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        match text.split('-').collect::<Vec<_>>().as_slice() {
            [y] if digits(y, 4) => y.parse().map(FactDate::Year).map_err(|_| format!("`{text}` is not a year")),
            [y, m] if digits(y, 4) && digits(m, 2) => EditionDate::parse(&format!("{text}-01"))
                .map(FactDate::Month)
                .map_err(|_| format!("`{text}` is not a month of the calendar ({shape})")),
            [_, _, _] => EditionDate::parse(text).map(FactDate::Day),
            _ => Err(format!("`{text}` is not a date ({shape})")),
        }
    }

    /// The ISO form, as written in data (`2026-07-01`, `2026-07`, `2020`).
    pub fn iso(&self) -> String {
        match self {
            FactDate::Year(y) => format!("{y:04}"),
            FactDate::Month(d) => d.iso()[..7].to_string(),
            FactDate::Day(d) => d.iso(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fact_dates_are_days_months_or_years() {
        assert_eq!(FactDate::parse("2026-07-01").map(|d| d.iso()), Ok("2026-07-01".to_string()));
        assert!(matches!(FactDate::parse("2026-07"), Ok(FactDate::Month(_))));
        assert_eq!(FactDate::parse("2020"), Ok(FactDate::Year(2020)));
        assert_eq!(FactDate::parse("2026-07").map(|d| d.iso()), Ok("2026-07".to_string()));
        for bad in ["2026-13", "2026-02-30", "July 1", "20", "2026-7", ""] {
            assert!(FactDate::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn valid_dates_parse_and_impossible_ones_do_not() {
        let d = EditionDate::parse("2026-04-15").unwrap();
        assert_eq!(d.ymd(), (2026, 4, 15));
        assert_eq!(d.iso(), "2026-04-15");
        assert!(EditionDate::parse("2028-02-29").is_ok(), "a leap day");
        for bad in ["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-4-15", "15/04/2026", ""]
        {
            assert!(EditionDate::parse(bad).is_err(), "{bad} was accepted");
        }
        assert!(EditionDate::parse("2026-02-30").unwrap_err().contains("2026-02-30"));
    }
}
