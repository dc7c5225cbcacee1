//! Locales: the words of every document per locale, loaded from `locales/<tag>/*.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, Loc, Report};
use crate::format::NumberFormatter;
use crate::model::{Fact, Model, Unit, parse_yaml, read_text};

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
    /// Whether to put no-break spaces before `: ; ! ?` and inside « » (French).
    #[serde(default)]
    pub french_spacing: bool,
}

/// A loaded locale: its metadata, formatter and every key with where it is written.
#[derive(Debug)]
pub struct Locale {
    /// BCP 47 tag, e.g. `es-MX`.
    pub tag: String,
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
}

/// The folders under `locales/`, i.e. the locale tags a project has.
pub fn available(root: &Path) -> BTreeSet<String> {
    std::fs::read_dir(root.join("locales"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("locale.yaml").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect()
}

/// Finds the line of each key path in a YAML text by indentation (for messages).
fn key_lines(text: &str) -> BTreeMap<String, (u64, u64)> {
    let mut out = BTreeMap::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut list_index: BTreeMap<String, usize> = BTreeMap::new();
    for (n, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        // Block scalar continuation lines are deeper than their key; skip non-key lines.
        let (indent, body) = if let Some(rest) = trimmed.strip_prefix("- ") {
            while stack.last().is_some_and(|(i, _)| *i > indent) {
                stack.pop();
            }
            let parent = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
            let idx = list_index.entry(parent.clone()).or_insert(0);
            let path = format!("{parent}.{idx}");
            *idx += 1;
            out.entry(path.clone()).or_insert((n as u64 + 1, indent as u64 + 3));
            stack.push((indent + 1, path));
            (indent + 2, rest)
        } else {
            (indent, trimmed)
        };
        let Some(colon) = body.find(':') else { continue };
        let key = &body[..colon];
        if key.is_empty() || key.contains(' ') || key.starts_with(['"', '\'', '{', '[']) {
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let parent = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
        let path = if parent.is_empty() { key.to_string() } else { format!("{parent}.{key}") };
        out.entry(path.clone()).or_insert((n as u64 + 1, indent as u64 + 1));
        stack.push((indent, path));
    }
    out
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
        let mut files: Vec<PathBuf> = crate::model::yaml_files(root, &dir.to_string_lossy());
        files.retain(|f| crate::textcheck::is_words_file(f));
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
                    let lines = key_lines(&text);
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
        if let Some(m) = &meta {
            for unit in Unit::NAMES.split(", ") {
                if !m.units.contains_key(unit) {
                    report.push(
                        Diagnostic::error(
                            Loc::file(&meta_rel),
                            format!("locale `{tag}` has no pattern for unit `{unit}`"),
                        )
                        .with_hint(format!("add `{unit}: \"{{}}\"` under `units:`")),
                    );
                }
            }
            if !m.ordinal.contains_key("other") {
                report.push(Diagnostic::error(Loc::file(&meta_rel), "the ordinal patterns need an `other` entry"));
            }
        }
        match (meta, fmt) {
            (Some(meta), Some(fmt)) if !report.has_errors() => {
                Ok(Locale { tag: tag.to_string(), meta, fmt, keys, nodes, origin, dir })
            }
            _ => Err(report),
        }
    }

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
        let number = match unit {
            Unit::Usd | Unit::Cad => f.compact(v),
            Unit::Count | Unit::Jobs | Unit::Workers | Unit::Vehicles => {
                if v.abs() >= 1e6 {
                    f.compact(v)
                } else {
                    f.decimal(v, 2)
                }
            }
            Unit::Percent => return self.pattern(unit, &f.percent(v)),
            Unit::PercentPoints | Unit::Ratio | Unit::Years => f.decimal(v, 2),
            Unit::Year => f.year(v),
            Unit::Rank => {
                let n = v.abs().round() as u64;
                let cat = f.ordinal_category(n);
                let pat = self.meta.ordinal.get(cat).or_else(|| self.meta.ordinal.get("other"));
                return pat.map_or_else(|| n.to_string(), |p| p.replace("{}", &f.decimal(n as f64, 0)));
            }
        };
        self.pattern(unit, &number)
    }

    /// A figure as running text shows it: formatted, and kept on one line (spaces become no-break spaces).
    pub fn figure_text(&self, unit: Unit, v: f64) -> String {
        self.format_value(unit, v).replace(' ', "\u{a0}")
    }

    /// The separator between a label and what follows (`: `; French puts a no-break space before the colon).
    pub fn label_sep(&self) -> &'static str {
        if self.meta.french_spacing { "\u{a0}: " } else { ": " }
    }

    /// A full date as this locale writes it (CLDR, plus French "1er" for the first of the month).
    pub fn date(&self, y: i32, m: u8, d: u8) -> String {
        let date = self.fmt.date(y, m, d).unwrap_or_default();
        if self.meta.lang == "fr"
            && d == 1
            && let Some(rest) = date.strip_prefix("1 ").or_else(|| date.strip_prefix("1\u{a0}"))
        {
            return format!("1er {rest}");
        }
        date
    }

    /// Applies the locale's pattern for a unit.
    fn pattern(&self, unit: Unit, number: &str) -> String {
        let name = serde_json::to_value(unit).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        match self.meta.units.get(&name) {
            Some(p) => p.replace("{}", number),
            None => number.to_string(),
        }
    }

    /// Formats a fact's value.
    pub fn format_fact(&self, fact: &Fact, abs: bool) -> String {
        let v = if abs { fact.value.value.abs() } else { fact.value.value };
        self.figure_text(fact.unit, v)
    }

    /// Applies locale typography (French no-break spaces) to plain text.
    pub fn typography(&self, text: &str) -> String {
        if !self.meta.french_spacing {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            if c == ' ' && (next.is_some_and(|n| ":;!?»".contains(n)) || prev == Some('«')) {
                out.push('\u{a0}');
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// The placeholders `{name}` or `{name|abs}` in a text, in order.
pub fn placeholders(text: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let inner = &after[..end];
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || "_-.|".contains(c)) {
            let (name, abs) = match inner.split_once('|') {
                Some((n, "abs")) => (n.to_string(), true),
                _ => (inner.to_string(), false),
            };
            out.push((name, abs));
        }
        rest = &after[end + 1..];
    }
    out
}

/// All locales of a project, loaded; with the diagnostics of those that failed.
pub fn load_all(root: &Path, tags: &BTreeSet<String>) -> (BTreeMap<String, Locale>, Report) {
    let mut report = Report::default();
    let mut out = BTreeMap::new();
    for tag in tags {
        match Locale::load(root, tag) {
            Ok(l) => {
                out.insert(tag.clone(), l);
            }
            Err(r) => report.extend(r),
        }
    }
    (out, report)
}

/// Checks every locale against the reference: missing and extra keys, placeholder sets.
pub fn check_completeness(model: &Model, locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else {
        report.push(
            Diagnostic::error(
                Loc::file(format!("locales/{REFERENCE}")),
                format!("the reference locale {REFERENCE} is missing"),
            )
            .with_hint("every project needs locales/en-US/; other locales are checked against it"),
        );
        return report;
    };
    for loc in locales.values() {
        for (key, text) in &loc.keys {
            for (name, _) in placeholders(text) {
                if !model.facts.contains_key(&name) && !is_argument(&name) {
                    report.push(
                        Diagnostic::error(
                            loc.key_loc(key),
                            format!("`{key}` uses `{{{name}}}`, which is not a fact id"),
                        )
                        .with_hint("use the id of a fact in data/facts/, or fix its spelling"),
                    );
                }
            }
            let mut seen = BTreeSet::new();
            for (name, _) in placeholders(text) {
                if !seen.insert(name.clone()) {
                    report.push(
                        Diagnostic::error(loc.key_loc(key), format!("`{key}` fills `{{{name}}}` twice"))
                            .with_hint("state each figure once per text"),
                    );
                }
            }
        }
        if loc.tag == REFERENCE {
            continue;
        }
        for (key, text) in &reference.keys {
            if is_optional(key) {
                continue;
            }
            match loc.keys.get(key) {
                None => report.push(
                    Diagnostic::error(loc.key_loc(key), format!("locale {} is missing key `{key}`", loc.tag))
                        .with_hint(format!(
                            "add it to {} (en-US has it at {})",
                            loc.key_loc(key).file.display(),
                            reference.key_loc(key)
                        )),
                ),
                Some(t) => {
                    let want: BTreeSet<String> = placeholders(text).into_iter().map(|p| p.0).collect();
                    let have: BTreeSet<String> = placeholders(t).into_iter().map(|p| p.0).collect();
                    for missing in want.difference(&have) {
                        report.push(
                            Diagnostic::error(
                                loc.key_loc(key),
                                format!("`{key}` in {} does not fill `{{{missing}}}`", loc.tag),
                            )
                            .with_hint("the en-US text states this figure; the translation must too"),
                        );
                    }
                    for extra in have.difference(&want) {
                        report.push(
                            Diagnostic::error(
                                loc.key_loc(key),
                                format!("`{key}` in {} fills `{{{extra}}}`, which en-US does not", loc.tag),
                            )
                            .with_hint("translations state the same figures as the en-US text"),
                        );
                    }
                }
            }
        }
        for key in loc.keys.keys() {
            if !reference.keys.contains_key(key) && !is_optional(key) {
                report.push(
                    Diagnostic::error(loc.key_loc(key), format!("unknown key `{key}` in locale {}", loc.tag))
                        .with_hint("en-US has no such key: check its spelling"),
                );
            }
        }
    }
    report
}

/// Texts a translation has not translated: empty where en-US has words, or en-US's own words (four or more).
///
/// Refused by final builds only; per-locale source names (`sources.names.*`) may match en-US.
pub fn untranslated(locales: &BTreeMap<String, Locale>) -> Report {
    let mut report = Report::default();
    let Some(reference) = locales.get(REFERENCE) else { return report };
    let words = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
    for loc in locales.values().filter(|l| l.tag != REFERENCE) {
        for (key, text) in &loc.keys {
            let Some(en) = reference.keys.get(key).filter(|_| !is_optional(key)) else { continue };
            let problem = if text.trim().is_empty() && !en.trim().is_empty() {
                "is empty"
            } else if text == en && words(en) >= 4 {
                "is the en-US text word for word"
            } else {
                continue;
            };
            report.push(
                Diagnostic::error(loc.key_loc(key), format!("missing translation: `{key}` in {} {problem}", loc.tag))
                    .with_hint(format!(
                        "translate it (en-US has it at {}); a final build refuses untranslated text",
                        reference.key_loc(key)
                    )),
            );
        }
    }
    report
}

/// Keys a locale may add or leave out: per-locale source names (`sources.names.<id>`).
fn is_optional(key: &str) -> bool {
    key.starts_with("sources.names.")
}

/// Placeholder names filled by templates rather than facts.
fn is_argument(name: &str) -> bool {
    name.starts_with("arg_")
        || matches!(
            name,
            "n" | "month_year"
                | "total"
                | "page"
                | "pages"
                | "edition"
                | "date"
                | "audience"
                | "state"
                | "title"
                | "year"
        )
}
