//! The edition (`data/edition.yaml`): its date validated, and its id, its title and the update's own entry in
//! `data/sources.yaml` checked against the date, so that one edition has one month and year everywhere.

use std::path::Path;

use serde_saphyr::Spanned;

use super::EditionDate;
use super::schema::{Edition, EditionFile, Source};
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

/// A title with its English month and four-digit year replaced by the edition's: "April 2026 update" read for the
/// July 2026 edition is "July 2026 update".
fn retitled(title: &str, edition: &Edition) -> String {
    let (y, m, _) = edition.date.ymd();
    let month = MONTHS[usize::from(m) - 1];
    title
        .split_inclusive(|c: char| !c.is_alphanumeric())
        .map(|piece| {
            let word = piece.trim_end_matches(|c: char| !c.is_alphanumeric());
            let rest = &piece[word.len()..];
            if MONTHS.iter().any(|mn| mn.eq_ignore_ascii_case(word)) {
                format!("{month}{rest}")
            } else if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
                format!("{y:04}{rest}")
            } else {
                piece.to_string()
            }
        })
        .collect()
}

/// Whether a source is the update itself in another edition: published by the edition's project, with a title that
/// is the edition's title but for its month and year.
pub fn is_update(source: &Source, edition: &Edition) -> bool {
    source.publisher == edition.project && source.title.as_ref().is_some_and(|t| retitled(t, edition) == edition.title)
}

/// Errors for a source that is the update itself (`tnap`) but still has another edition's title: documents would
/// cite the old edition.
pub(super) fn own_source(edition: &Edition, sources: &std::collections::BTreeMap<String, Source>) -> Report {
    let mut report = Report::default();
    let file = Path::new("data/sources.yaml");
    for s in sources.values().filter(|s| is_update(s, edition)) {
        let Some(title) = s.title.as_ref().filter(|t| **t != edition.title) else { continue };
        report.push(
            Diagnostic::error(
                sloc(file, &s.id),
                format!(
                    "source `{}` is the update itself, but its title `{title}` is another edition's; this edition is `{}`",
                    s.id.value, edition.title
                ),
            )
            .with_hint(format!(
                "set its title to `{}` and its year to {} (README.md, \"Start a new edition\")",
                edition.title,
                edition.date.ymd().0
            )),
        );
    }
    report
}
