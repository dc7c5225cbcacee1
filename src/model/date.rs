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

#[cfg(test)]
mod tests {
    use super::*;

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
