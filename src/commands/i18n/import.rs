//! `briefs i18n import`: the targets of an XLIFF 2.0 file written back into `locales/<tag>/*.yaml`.
//!
//! Every unit is checked before anything is written: a malformed file, a wrong `srcLang`/`trgLang`, an
//! unknown unit or a target whose placeholders differ from its source's refuses the whole import, naming
//! the unit and the XLIFF line. Values are edited in place (comments, key order and layout stay), and the
//! locale files and fingerprints are replaced together, atomically.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{is_optional, load_pair, stage_store};
use crate::diag::{Diagnostic, Loc, Report};
use crate::ids::LocaleTag;
use crate::locale::REFERENCE;
use crate::locale::fingerprint::Store;
use crate::output::Batch;
use crate::xliff::read::{self, Parsed, UnitIn};
use crate::xliff::{Inline, placeholder_set, to_text};

/// Settings of an import.
#[derive(Debug, Clone)]
pub struct ImportConfig {
    /// Project root.
    pub root: PathBuf,
    /// The XLIFF file.
    pub file: PathBuf,
    /// The locale the file must be for, if given.
    pub locale: Option<LocaleTag>,
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportSummary {
    /// The locale written.
    pub locale: LocaleTag,
    /// Units in the file.
    pub units: usize,
    /// Texts changed in the locale files.
    pub changed: usize,
    /// Units recorded as translated, reviewed or final.
    pub recorded: usize,
    /// Units left out: still `initial` or without a target.
    pub skipped: usize,
    /// Locale files (and the fingerprints) rewritten.
    pub files: Vec<PathBuf>,
    /// Things worth knowing that did not stop the import.
    pub warnings: Report,
}

/// A unit's source and target as locale texts, checked against each other.
struct Checked {
    /// The en-US text the unit was translated from.
    source: String,
    /// The translation.
    target: String,
}

/// Turns a unit's inline content into texts; an error says what is wrong with it.
fn check_unit(u: &UnitIn, target: &[Inline]) -> Result<Checked, String> {
    let source = to_text(&u.source, &[]).map_err(|e| format!("in its source, {e}"))?;
    let equivs: Vec<(String, String)> = u
        .source
        .iter()
        .filter_map(|i| match i {
            Inline::Ph { id, equiv: Some(e) } => Some((id.clone(), e.clone())),
            _ => None,
        })
        .collect();
    let target = to_text(target, &equivs).map_err(|e| format!("in its target, {e}"))?;
    let (want, have) = (placeholder_set(&source), placeholder_set(&target));
    if want != have {
        let dropped: Vec<&String> = want.iter().filter(|p| !have.contains(p)).collect();
        let added: Vec<&String> = have.iter().filter(|p| !want.contains(p)).collect();
        let list = |v: &[&String]| v.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
        let mut what = Vec::new();
        if !dropped.is_empty() {
            what.push(format!("drops {}", list(&dropped)));
        }
        if !added.is_empty() {
            what.push(format!("adds {}", list(&added)));
        }
        if what.is_empty() {
            what.push("repeats a placeholder".to_string());
        }
        return Err(format!("its target {} (the placeholders must be those of the source)", what.join(" and ")));
    }
    if let Some((problem, _)) = crate::placeholder::problems(&target).first() {
        return Err(format!("its target has {problem}"));
    }
    Ok(Checked { source, target })
}

/// The document-level checks: version, languages and the files' locale.
fn check_document(doc: &Parsed, at: &dyn Fn(u64) -> Loc, cfg: &ImportConfig, report: &mut Report) -> Option<LocaleTag> {
    if !doc.version.starts_with("2.") {
        report.push(
            Diagnostic::error(at(doc.line), format!("XLIFF version `{}` is not 2.x", doc.version))
                .with_hint("export XLIFF 2.0 from the CAT tool (XLIFF 1.2 is not read)"),
        );
    }
    if doc.src_lang != REFERENCE {
        report.push(Diagnostic::error(
            at(doc.line),
            format!("srcLang is `{}`; the texts are translated from {REFERENCE}", doc.src_lang),
        ));
    }
    let tags = crate::locale::available(&cfg.root);
    let trg = match &doc.trg_lang {
        None => {
            report.push(Diagnostic::error(at(doc.line), "the <xliff> element has no trgLang"));
            return None;
        }
        Some(t) => t.clone(),
    };
    if let Some(want) = cfg.locale.as_ref().filter(|w| **w != trg) {
        report.push(Diagnostic::error(at(doc.line), format!("wrong trgLang `{trg}`: this import is for {want}")));
    }
    if trg == REFERENCE || !tags.contains(trg.as_str()) {
        report.push(
            Diagnostic::error(at(doc.line), format!("wrong trgLang `{trg}`: the project has no such translation"))
                .with_hint(format!(
                    "locales: {}",
                    tags.iter().filter(|t| *t != REFERENCE).cloned().collect::<Vec<_>>().join(", ")
                )),
        );
    }
    for f in &doc.files {
        if let Some(orig) = &f.original
            && let Some(tag) = orig.strip_prefix("locales/").and_then(|r| r.split('/').next())
            && tag != trg
        {
            report.push(Diagnostic::error(
                at(f.line),
                format!("wrong trgLang: the file `{}` is from {orig}, but trgLang is `{trg}`", f.id),
            ));
        }
    }
    Some(trg)
}

/// Reads, checks and writes an import; nothing is written unless every unit is good.
pub fn run(cfg: &ImportConfig) -> Result<ImportSummary, Report> {
    let shown = cfg.file.display().to_string();
    let at = |line: u64| Loc::new(&shown, line, 0);
    let bytes = std::fs::read(&cfg.file).map_err(|e| {
        Diagnostic::error(Loc::file(&shown), format!("failed to read {shown} ({})", crate::io::io_reason(&e)))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(Loc::file(&shown), "the XLIFF file is not UTF-8").with_hint("save it as UTF-8")
    })?;
    let doc = read::parse(&text).map_err(|e| {
        Diagnostic::error(Loc::new(&shown, e.line, e.col), e.message)
            .with_hint("the file is not well-formed XLIFF 2.0; export it again from the CAT tool")
    })?;
    let mut report = Report::default();
    let trg = check_document(&doc, &at, cfg, &mut report);
    let Some(trg) = trg.filter(|_| !report.has_errors()) else { return Err(report) };
    let (reference, loc) = load_pair(&cfg.root, &trg)?;
    let mut store = match Store::load(&cfg.root, &trg).map_err(Report::from)? {
        Some(s) if s.locale == trg => s,
        _ => Store::new(&trg),
    };
    let mut summary = ImportSummary { locale: trg.clone(), units: doc.units.len(), ..ImportSummary::default() };
    let mut edits: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for u in &doc.units {
        let unit_at = at(u.line);
        if let Some(first) = seen.insert(u.id.clone(), u.line) {
            report.push(Diagnostic::error(unit_at, format!("unit `{}` appears twice (first at line {first})", u.id)));
            continue;
        }
        let Some(en) = reference.keys.get(&u.id).filter(|_| !is_optional(&u.id)) else {
            let hint = crate::locale::texts::did_you_mean(&u.id, reference.keys.keys().map(String::as_str))
                .map_or("units are the keys of en-US; export again".to_string(), |s| format!("did you mean `{s}`?"));
            report.push(
                Diagnostic::error(unit_at, format!("unknown unit `{}`: en-US has no such key", u.id)).with_hint(hint),
            );
            continue;
        };
        let (Some(target), Some(state)) = (&u.target, u.state) else {
            summary.skipped += 1;
            continue;
        };
        let checked = match check_unit(u, target) {
            Ok(c) => c,
            Err(why) => {
                // The target is what the translator edited: point at it.
                let target_at = if u.target_line > 0 { at(u.target_line) } else { unit_at };
                report.push(
                    Diagnostic::error(target_at, format!("unit `{}`: {why}", u.id))
                        .with_hint("restore the inline codes of the source in the CAT tool and export again"),
                );
                continue;
            }
        };
        if checked.source != *en {
            summary.warnings.push(
                Diagnostic::warning(unit_at, format!("unit `{}` was translated from an earlier en-US text", u.id))
                    .with_hint("it is imported but stays stale until translated from the current en-US text"),
            );
        }
        store.record(&u.id, &checked.source, state);
        summary.recorded += 1;
        if loc.keys.get(&u.id) != Some(&checked.target) {
            let (stem, rest) = u.id.split_once('.').unwrap_or((u.id.as_str(), ""));
            edits.entry(stem.to_string()).or_default().insert(rest.to_string(), checked.target);
            summary.changed += 1;
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    let mut batch = Batch::new();
    for (stem, file_edits) in &edits {
        let rel = loc.dir.join(format!("{stem}.yaml"));
        let base = match std::fs::read_to_string(cfg.root.join(&rel)) {
            Ok(t) => t,
            // A file the locale does not have yet starts as a copy of en-US's (its layout and comments).
            Err(_) => crate::io::read_text(&cfg.root, &reference.dir.join(format!("{stem}.yaml")))?,
        };
        match crate::yamlspan::replace_values(&base, file_edits) {
            Ok(new) => {
                batch.stage(&cfg.root.join(&rel), new.as_bytes())?;
                summary.files.push(rel);
            }
            Err(why) => report.push(
                Diagnostic::error(Loc::file(&rel), format!("cannot write the imported texts ({why})")).with_hint(
                    format!(
                        "add the key to {} (copy its line from {}), then import again",
                        rel.display(),
                        reference.dir.join(format!("{stem}.yaml")).display()
                    ),
                ),
            ),
        }
    }
    if report.has_errors() {
        return Err(report);
    }
    store.texts.retain(|k, _| reference.keys.contains_key(k));
    if stage_store(&cfg.root, &store, &mut batch)? {
        summary.files.push(crate::locale::fingerprint::path(&trg));
    }
    batch.commit()?;
    Ok(summary)
}
