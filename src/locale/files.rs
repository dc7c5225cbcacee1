//! Reading a locale folder: every YAML file of words flattened into dotted keys, with where each key is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Locale, LocaleMeta, Node, glossary};
use crate::diag::{Diagnostic, Loc, Report};
use crate::format::NumberFormatter;
use crate::ids::LocaleTag;
use crate::io::{parse_yaml, read_text, yaml_files};

/// The folders under `locales/`, i.e. the locale tags a project has.
pub fn available(root: &Path) -> BTreeSet<LocaleTag> {
    std::fs::read_dir(root.join("locales"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("locale.yaml").is_file())
        .filter_map(|e| e.file_name().to_str().map(LocaleTag::from))
        .collect()
}

/// All locales of a project, loaded; with the diagnostics of those that failed.
pub fn load_all(root: &Path, tags: &BTreeSet<LocaleTag>) -> (BTreeMap<LocaleTag, Locale>, Report) {
    let mut report = Report::default();
    let mut out = BTreeMap::new();
    for tag in tags {
        match Locale::load(root, tag) {
            Ok(l) => {
                out.insert(tag.clone(), l);
            }
            Err(r) => {
                for d in r.items {
                    report.push(d.in_locale(None, tag));
                }
            }
        }
    }
    (out, report)
}

/// Flattens a node tree into dotted keys.
fn flatten(prefix: &str, node: &Node, leaves: &mut BTreeMap<String, String>, nodes: &mut BTreeMap<String, Node>) {
    nodes.insert(prefix.to_string(), node.clone());
    match node {
        Node::Text(t) => {
            leaves.insert(prefix.to_string(), t.clone());
        }
        Node::List(items) => {
            for (i, n) in items.iter().enumerate() {
                flatten(&format!("{prefix}.{i}"), n, leaves, nodes);
            }
        }
        Node::Map(m) => {
            for (k, n) in m {
                flatten(&format!("{prefix}.{k}"), n, leaves, nodes);
            }
        }
    }
}

impl Locale {
    /// Loads one locale folder, reporting every problem.
    pub fn load(root: &Path, tag: &str) -> Result<Locale, Report> {
        let mut report = Report::default();
        let dir = PathBuf::from("locales").join(tag);
        let meta_rel = dir.join("locale.yaml");
        let meta = read_text(root, &meta_rel).and_then(|t| parse_yaml::<LocaleMeta>(&meta_rel, &t));
        let fmt = NumberFormatter::new(tag);
        let mut keys = BTreeMap::new();
        let mut nodes = BTreeMap::new();
        let mut origin = BTreeMap::new();
        let mut spans = super::texts::Positions::default();
        let mut files: Vec<PathBuf> = yaml_files(root, &dir.to_string_lossy());
        // locale.yaml, the glossary and the fingerprints are not words.
        files.retain(|f| super::texts::is_words_file(f));
        for rel in files {
            let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            let text = match read_text(root, &rel) {
                Ok(t) => t,
                Err(d) => {
                    report.push(d);
                    continue;
                }
            };
            match parse_yaml::<BTreeMap<String, Node>>(&rel, &text) {
                Ok(map) => {
                    // The text parsed above, so its places are read too.
                    let lines = crate::yamlspan::key_places(&text).unwrap_or_default();
                    let mut leaves = BTreeMap::new();
                    for (k, n) in &map {
                        flatten(&format!("{stem}.{k}"), n, &mut leaves, &mut nodes);
                    }
                    for k in nodes.keys().filter(|k| k.starts_with(&format!("{stem}."))) {
                        let sub = &k[stem.len() + 1..];
                        let (line, col) = lines.get(sub).copied().unwrap_or((0, 0));
                        origin.insert(k.clone(), Loc::new(&rel, line, col));
                    }
                    keys.extend(leaves);
                    spans.add(&rel, &stem, &text);
                }
                Err(d) => report.push(d),
            }
        }
        let meta = match meta {
            Ok(m) => Some(m),
            Err(d) => {
                report.push(d);
                None
            }
        };
        let fmt = match fmt {
            Ok(f) => Some(f),
            Err(e) => {
                report.push(
                    Diagnostic::error(Loc::file(&dir), e).with_hint("name the folder with a BCP 47 tag such as fr-CA"),
                );
                None
            }
        };
        if let Some(m) = &meta
            && !m.ordinal.contains_key("other")
        {
            report.push(Diagnostic::error(Loc::file(&meta_rel), "the ordinal patterns need an `other` entry"));
        }
        if let Some(d) = meta.as_ref().and_then(|m| tag_mismatch(root, &meta_rel, tag, m)) {
            report.push(d);
        }
        let store = super::fingerprint::Store::load(root, tag).map_err(|d| report.push(d)).ok().flatten();
        let glossary = glossary::load(root, &dir).unwrap_or_else(|d| {
            report.push(d);
            Vec::new()
        });
        match (meta, fmt) {
            (Some(meta), Some(fmt)) if !report.has_errors() => {
                Ok(Locale { tag: LocaleTag::from(tag), meta, fmt, keys, nodes, origin, dir, spans, store, glossary })
            }
            _ => Err(report),
        }
    }
}

/// An error when `locale.yaml`'s `lang` or `region` disagrees with the folder's tag (a copied folder).
fn tag_mismatch(root: &Path, meta_rel: &Path, tag: &str, meta: &LocaleMeta) -> Option<Diagnostic> {
    let mut subtags = tag.split('-');
    let lang = subtags.next().unwrap_or_default();
    let region = subtags.find(|s| {
        (s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()))
            || (s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()))
    });
    let lang_ok = meta.lang.eq_ignore_ascii_case(lang);
    let region_ok = region.is_none_or(|r| meta.region.eq_ignore_ascii_case(r));
    if lang_ok && region_ok {
        return None;
    }
    let field = if lang_ok { "region" } else { "lang" };
    let text = read_text(root, meta_rel).unwrap_or_default();
    let (line, col) = crate::yamlspan::scalars(&text)
        .ok()
        .and_then(|s| s.into_iter().find(|s| s.key == field))
        .map_or((0, 0), |s| crate::yamlspan::line_col(&text, s.range.start));
    Some(
        Diagnostic::error(
            Loc::new(meta_rel, line, col),
            format!(
                "locale.yaml says lang `{}`, region `{}` ({}-{}), but its folder is locales/{tag}",
                meta.lang, meta.region, meta.lang, meta.region
            ),
        )
        .with_hint(format!(
            "a folder copied from another locale: set lang and region for {tag} (and its name), then translate its texts"
        )),
    )
}
