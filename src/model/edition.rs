//! The edition (`data/edition.yaml`): its date validated, and its id and title checked against the date, so
//! that one edition has one month and year everywhere.

use std::path::Path;

use serde_saphyr::Spanned;

use super::EditionDate;
use super::schema::{Edition, EditionFile};
use crate::diag::{Diagnostic, Report};
use crate::io::sloc;

/// The edition, with its date validated and its id and title checked against it; a stand-in when the file failed
/// (its error is reported).
pub(super) fn edition(file: Option<EditionFile>, report: &mut Report) -> Edition {
    let Some(e) = file else { return Edition::default() };
    let efile = Path::new("data/edition.yaml");
    let date =
        match EditionDate::parse(&e.date.value) {
            Ok(d) => {
                report.extend(edition_consistency(efile, &e, d));
                d
            }
            Err(reason) => {
                report.push(Diagnostic::error(sloc(efile, &e.date), format!("invalid date ({reason})")).with_hint(
                    "give the edition's date as YYYY-MM-DD; it is the PDFs' date and appears on every cover",
                ));
                EditionDate::default()
            }
        };
    let origin = [("id", sloc(efile, &e.id)), ("title", sloc(efile, &e.title)), ("date", sloc(efile, &e.date))].into();
    Edition { id: e.id.value, title: e.title.value, date, project: e.project, website: e.website, origin }
}

/// English month names, as edition titles write them.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Errors where the edition's id or title names another month or year than its date.
fn edition_consistency(efile: &Path, e: &EditionFile, date: EditionDate) -> Report {
    let mut report = Report::default();
    let (y, m, _) = date.ymd();
    let month = MONTHS[usize::from(m) - 1];
    let expected = format!("id `{y:04}-{m:02}`, title `{month} {y} update`");
    let mut disagree = |at: &Spanned<String>, what: &str, says: String| {
        report.push(
            Diagnostic::error(
                sloc(efile, at),
                format!("the edition's {what} `{}` says {says}, but its date is {} ({month} {y})", at.value, date.iso()),
            )
            .with_hint(format!(
                "one edition, one date: for {} write {expected} (or fix the date); see README.md, \"Start a new edition\"",
                date.iso()
            )),
        );
    };
    let id = &e.id.value;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let (Some(iy), Some(im)) = (id.get(..4), id.get(5..7))
        && digits(iy)
        && digits(im)
        && id.as_bytes().get(4) == Some(&b'-')
        && (iy, im) != (format!("{y:04}").as_str(), format!("{m:02}").as_str())
    {
        disagree(&e.id, "id", format!("{iy}-{im}"));
    }
    let words: Vec<&str> = e.title.value.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let named_month = words.iter().find_map(|w| MONTHS.iter().find(|mn| mn.eq_ignore_ascii_case(w)));
    let named_year = words.iter().find(|w| w.len() == 4 && digits(w) && w.starts_with(['1', '2']));
    let wrong_month = named_month.filter(|mn| **mn != month);
    let wrong_year = named_year.filter(|ty| **ty != format!("{y:04}"));
    if wrong_month.is_some() || wrong_year.is_some() {
        let says = [wrong_month.map(|m| m.to_string()), wrong_year.map(|y| y.to_string())];
        disagree(&e.title, "title", says.into_iter().flatten().collect::<Vec<_>>().join(" "));
    }
    report
}
