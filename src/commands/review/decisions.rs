//! `briefs review --decisions FILE..`: which documents reviewers approved, from the JSON the review page exports.
//!
//! A document is approved when some reviewer approved this very build of it (the PDF's SHA-256 matches the
//! manifest) and no reviewer asked for changes to it. Several files (one per reviewer) are read together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::output::Manifest;
use crate::project::JobId;

/// One decision as the page exports it.
#[derive(Debug, Clone, Deserialize)]
pub struct Decision {
    /// Document id.
    pub document: DocumentId,
    /// Locale tag.
    pub locale: LocaleTag,
    /// Audience id.
    pub audience: AudienceId,
    /// Approved, changes requested, or only a comment.
    pub decision: Verdict,
    /// The reviewer's comment.
    #[serde(default)]
    pub comment: String,
    /// SHA-256 of the PDF the decision is about.
    #[serde(default)]
    pub sha256: String,
}

/// A reviewer's decision on one document, by the name the review page writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Approved (this build of the PDF).
    Approved,
    /// Changes requested.
    Changes,
    /// Only a comment.
    Comment,
    /// A name the page does not write: `read` refuses it, naming it, so a read file holds none.
    #[serde(other)]
    Unknown,
}

/// A decisions file.
#[derive(Debug, Clone, Deserialize)]
pub struct DecisionFile {
    /// Always `briefs-review-decisions`.
    pub format: String,
    /// The edition reviewed.
    pub edition: String,
    /// Who reviewed.
    #[serde(default)]
    pub reviewer: String,
    /// The decisions.
    pub decisions: Vec<Decision>,
}

/// Reads a decisions file, with a located error when it is not one.
pub fn read(path: &Path) -> Result<DecisionFile, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(Loc::file(path.display().to_string()), format!("cannot read the decisions ({e})"))
            .with_hint("pass the JSON file the review page's \"Export decisions\" button saved")
    })?;
    let file: DecisionFile = serde_json::from_str(&text).map_err(|e| {
        Diagnostic::error(
            Loc::new(PathBuf::from(path), e.line() as u64, e.column() as u64),
            format!("not a review decisions file: {e}"),
        )
        .with_hint("pass the JSON file the review page's \"Export decisions\" button saved")
    })?;
    if file.format != "briefs-review-decisions" {
        return Err(Diagnostic::error(
            Loc::file(path.display().to_string()),
            format!("not a review decisions file (format `{}`)", file.format),
        ));
    }
    if let Some((i, d)) = file.decisions.iter().enumerate().find(|(_, d)| d.decision == Verdict::Unknown) {
        let line = text.match_indices("\"decision\"").nth(i).map_or(0, |(at, _)| text[..at].lines().count() as u64);
        // The name as written, for the message: the file parsed above, so it parses again.
        let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let written = json["decisions"][i]["decision"].as_str().unwrap_or_default().to_string();
        let close =
            crate::diag::did_you_mean(&written, DECISIONS).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
        return Err(Diagnostic::error(
            Loc::new(PathBuf::from(path), line.max(1), 0),
            format!("unknown decision `{written}` for {}/{}/{}", d.locale, d.audience, d.document),
        )
        .with_hint(format!(
            "{close}a decision is one of {}: the review page writes them; fix the value or export the decisions again",
            DECISIONS.map(|v| format!("`{v}`")).join(", ")
        )));
    }
    Ok(file)
}

/// The decisions the review page writes: approved, changes requested, or only a comment.
pub const DECISIONS: [&str; 3] = ["approved", "changes", "comment"];

/// Where one document stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Approved by these reviewers.
    Approved(Vec<String>),
    /// Someone asked for changes (reviewer: comment).
    Changes(Vec<String>),
    /// Approved, but an earlier build of the PDF.
    Outdated(Vec<String>),
    /// Only commented, or nothing at all.
    NotReviewed(Vec<String>),
}

/// Where every job stands, given the decisions files and the manifest's PDF hashes.
pub fn standings(jobs: &[JobId], files: &[DecisionFile], manifest: &Manifest) -> Vec<(JobId, Standing)> {
    let sha: BTreeMap<&str, &str> = manifest.documents.iter().map(|e| (e.path.as_str(), e.sha256.as_str())).collect();
    jobs.iter()
        .map(|job| {
            let current = sha.get(job.rel_path().as_str()).copied().unwrap_or_default();
            let mine: Vec<(&str, &Decision)> = files
                .iter()
                .flat_map(|f| f.decisions.iter().map(move |d| (f.reviewer.as_str(), d)))
                .filter(|(_, d)| d.document == job.document && d.locale == job.locale && d.audience == job.audience)
                .collect();
            let who = |r: &str| if r.is_empty() { "a reviewer".to_string() } else { r.to_string() };
            let said = |r: &str, d: &Decision| {
                if d.comment.is_empty() { who(r) } else { format!("{}: \"{}\"", who(r), d.comment) }
            };
            let changes: Vec<String> =
                mine.iter().filter(|(_, d)| d.decision == Verdict::Changes).map(|(r, d)| said(r, d)).collect();
            let approved: Vec<String> = mine
                .iter()
                .filter(|(_, d)| d.decision == Verdict::Approved && d.sha256 == current)
                .map(|(r, _)| who(r))
                .collect();
            let outdated: Vec<String> = mine
                .iter()
                .filter(|(_, d)| d.decision == Verdict::Approved && d.sha256 != current)
                .map(|(r, _)| who(r))
                .collect();
            let standing = if !changes.is_empty() {
                Standing::Changes(changes)
            } else if !approved.is_empty() {
                Standing::Approved(approved)
            } else if !outdated.is_empty() {
                Standing::Outdated(outdated)
            } else {
                Standing::NotReviewed(mine.iter().map(|(r, d)| said(r, d)).collect())
            };
            (job.clone(), standing)
        })
        .collect()
}

/// The report: approved documents, then the others with why, then a count.
pub fn to_text(standings: &[(JobId, Standing)]) -> String {
    let approved: Vec<String> = standings
        .iter()
        .filter_map(|(j, s)| match s {
            Standing::Approved(by) => Some(format!("  {} (by {})", j.rel_path(), by.join(", "))),
            _ => None,
        })
        .collect();
    let others: Vec<String> = standings
        .iter()
        .filter_map(|(j, s)| match s {
            Standing::Approved(_) => None,
            Standing::Changes(why) => Some(format!("  {}: changes requested ({})", j.rel_path(), why.join("; "))),
            Standing::Outdated(by) => Some(format!(
                "  {}: approved by {} on an earlier build; the PDF changed since, review it again",
                j.rel_path(),
                by.join(", ")
            )),
            Standing::NotReviewed(notes) if notes.is_empty() => Some(format!("  {}: not reviewed", j.rel_path())),
            Standing::NotReviewed(notes) => {
                Some(format!("  {}: commented, not approved ({})", j.rel_path(), notes.join("; ")))
            }
        })
        .collect();
    let mut out = format!("approved ({}):\n", approved.len());
    for l in &approved {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&format!("not approved ({}):\n", others.len()));
    for l in &others {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&format!("{} of {} document(s) approved\n", approved.len(), standings.len()));
    out
}

/// Reads every decisions file, reporting each one that cannot be read.
pub fn read_all(paths: &[PathBuf], edition: &str) -> Result<(Vec<DecisionFile>, Report), Report> {
    let mut report = Report::default();
    let mut files = Vec::new();
    for p in paths {
        match read(p) {
            Ok(f) => {
                if f.edition != edition {
                    report.push(Diagnostic::warning(
                        Loc::file(p.display().to_string()),
                        format!("these decisions are about edition {}, not {edition}", f.edition),
                    ));
                }
                files.push(f);
            }
            Err(d) => report.push(d),
        }
    }
    if report.has_errors() { Err(report) } else { Ok((files, report)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Entry;

    fn job(doc: &str, locale: &str) -> JobId {
        JobId { locale: locale.into(), audience: "general".into(), document: doc.into() }
    }

    fn entry(j: &JobId, sha: &str) -> Entry {
        Entry {
            path: j.rel_path(),
            document: j.document.clone(),
            audience: j.audience.clone(),
            locale: j.locale.clone(),
            pages: 1,
            bytes: 1,
            sha256: sha.into(),
            inputs: String::new(),
            facts: Vec::new(),
            provisional: Vec::new(),
        }
    }

    fn decision(j: &JobId, what: Verdict, sha: &str, comment: &str) -> Decision {
        Decision {
            document: j.document.clone(),
            locale: j.locale.clone(),
            audience: j.audience.clone(),
            decision: what,
            comment: comment.into(),
            sha256: sha.into(),
        }
    }

    #[test]
    fn approval_counts_for_the_build_approved_and_changes_requested_win() {
        let (a, b, c, d) = (job("a", "en-US"), job("a", "fr-CA"), job("b", "en-US"), job("c", "en-US"));
        let manifest = Manifest {
            edition: "e".into(),
            documents: vec![entry(&a, "1"), entry(&b, "2"), entry(&c, "3"), entry(&d, "4")],
            shard: None,
        };
        let ana = DecisionFile {
            format: "briefs-review-decisions".into(),
            edition: "e".into(),
            reviewer: "Ana".into(),
            decisions: vec![
                decision(&a, Verdict::Approved, "1", ""),
                decision(&b, Verdict::Approved, "old", ""),
                decision(&c, Verdict::Approved, "3", ""),
            ],
        };
        let luc = DecisionFile {
            reviewer: "Luc".into(),
            decisions: vec![decision(&c, Verdict::Changes, "3", "fix the period")],
            ..ana.clone()
        };
        let s = standings(&[a.clone(), b.clone(), c.clone(), d.clone()], &[ana, luc], &manifest);
        assert_eq!(s[0].1, Standing::Approved(vec!["Ana".into()]));
        assert_eq!(s[1].1, Standing::Outdated(vec!["Ana".into()]));
        assert_eq!(s[2].1, Standing::Changes(vec!["Luc: \"fix the period\"".into()]));
        assert_eq!(s[3].1, Standing::NotReviewed(Vec::new()));
        let text = to_text(&s);
        assert!(text.starts_with("approved (1):\n  en-US/general/a.pdf (by Ana)\nnot approved (3):\n"), "{text}");
        assert!(text.contains("en-US/general/b.pdf: changes requested (Luc: \"fix the period\")"), "{text}");
        assert!(text.ends_with("1 of 4 document(s) approved\n"), "{text}");
    }

    #[test]
    fn a_file_that_is_not_decisions_is_a_located_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.json");
        std::fs::write(&p, "{\n  \"format\": \"briefs-review-decisions\",\n  \"edition\": 3\n}").unwrap();
        let e = read(&p).unwrap_err();
        assert_eq!((e.loc.line, e.loc.col), (3, 14), "{e:?}");
        assert!(e.message.starts_with("not a review decisions file"), "{}", e.message);
    }
}
