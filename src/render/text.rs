//! How a locale text becomes Typst markup: placeholders filled with figures (provisional ones footnoted),
//! `**bold**`, typography, and the source notes of the figures shown.

use std::collections::BTreeMap;

use minijinja::Error;
use minijinja::value::Value;

use super::{Ctx, State, err};
use crate::citation;
use crate::escape;
use crate::locale::{Node, keys, names, typography};
use crate::placeholder::{self, Filter, Kind};

/// Stands for `**` while typography runs over the text (a private-use character no locale text needs).
const BOLD: char = '\u{E002}';

impl Ctx {
    /// Locks the shared state (a poisoned lock only means an earlier error).
    pub(super) fn st(&self) -> std::sync::MutexGuard<'_, State> {
        crate::sync::lock(&self.state)
    }

    /// The text of a key, recording the lookup.
    pub(super) fn text(&self, key: &str) -> Result<String, Error> {
        let mut st = self.st();
        st.keys.insert(key.to_string());
        drop(st);
        self.inputs.locale.keys.get(key).cloned().ok_or_else(|| {
            err(format!(
                "locale {} has no key `{key}` (add it to {})",
                self.inputs.locale.tag,
                self.inputs.locale.key_loc(key).file.display()
            ))
        })
    }

    /// A fact formatted as markup, recorded for the source note.
    pub(super) fn fact_markup(&self, id: &str, abs: bool) -> Result<String, Error> {
        let fact = self.inputs.model.facts.get(id).ok_or_else(|| err(format!("unknown fact `{id}`")))?;
        let locale = &self.inputs.locale;
        let shown = locale.ordinal_markup(&locale.format_fact(fact, abs));
        self.record_fact(id)?;
        let Some(_) = &fact.provisional else { return Ok(format!("#figure-value[{shown}]")) };
        Ok(format!("#provisional-value[{shown}]"))
    }

    /// A fact's number in the locale's words (`{id|words}`: "ocho"), recorded like any figure shown.
    fn words_markup(&self, key: &str, id: &str) -> Result<String, Error> {
        let locale = &self.inputs.locale;
        let Some(fact) = self.inputs.model.facts.get(id) else {
            return Err(err(format!(
                "`{key}` in locale {} uses `{{{id}|words}}`, but `{id}` is not a fact",
                locale.tag
            )));
        };
        let Some(word) = locale.number_word(fact) else {
            return Err(err(format!(
                "`{key}` in locale {} writes `{{{id}|words}}` ({}), which has no word under `number_words:` in locales/{}/locale.yaml",
                locale.tag,
                locale.format_fact(fact, false),
                locale.tag
            )));
        };
        let shown = escape::markup(word);
        self.record_fact(id)?;
        let Some(_) = &fact.provisional else { return Ok(format!("#figure-value[{shown}]")) };
        Ok(format!("#provisional-value[{shown}]"))
    }

    /// A fact's value divided by `divisor` with `decimals` decimals, as a number without its unit or mark (a table
    /// cell whose column header names the unit and marks provisional figures), recorded like any figure shown.
    pub(super) fn amount_markup(&self, id: &str, divisor: f64, decimals: u8) -> Result<String, Error> {
        let fact = self.inputs.model.facts.get(id).ok_or_else(|| err(format!("unknown fact `{id}`")))?;
        let shown = escape::markup(&self.inputs.locale.fmt.fixed(fact.number() / divisor, decimals));
        self.record_fact(id)?;
        Ok(format!("#figure-value[{shown}]"))
    }

    /// Records a fact as shown: its sources for the closing list, and, if provisional, for the document's note.
    fn record_fact(&self, id: &str) -> Result<(), Error> {
        let fact = self.inputs.model.facts.get(id).ok_or_else(|| err(format!("unknown fact `{id}`")))?;
        let mut st = self.st();
        st.facts.insert(id.to_string());
        if !st.pending_sources.iter().any(|s| s == id) {
            st.pending_sources.push(id.to_string());
        }
        if fact.provisional.is_some() {
            // The document's one note names the sources of its provisional figures.
            st.provisional.insert(id.to_string());
            for s in &fact.sources {
                if !st.provisional_sources.contains(&s.value) {
                    st.provisional_sources.push(s.value.clone());
                }
            }
        }
        Ok(())
    }

    /// A citation in the text (`{id|cite}`): a source with its year, or a figure's data year and sources;
    /// the sources it names are left out of the next source note.
    fn cite_markup(&self, key: &str, id: &str) -> Result<String, Error> {
        let (model, locale) = (&self.inputs.model, &self.inputs.locale);
        let Some((text, ids)) = citation::cite(model, locale, id, &self.text(keys::AND)?) else {
            return Err(err(format!(
                "`{key}` in locale {} cites `{id}`, which is neither a source nor a fact",
                self.inputs.locale.tag
            )));
        };
        self.st().keys.extend(ids.iter().filter_map(|id| citation::short(model, locale, id).1));
        self.use_sources(ids);
        Ok(names::markup_keeping_names(&text))
    }

    /// Fills a text's placeholders and turns it into markup (the text read by [`placeholder::tokenize`]).
    pub(super) fn fill(&self, key: &str, text: &str, args: &BTreeMap<String, Value>) -> Result<String, Error> {
        let mut pieces: Vec<String> = Vec::new();
        // What each piece prints, for typography (a count keeps its noun: "171 projects").
        let mut shown: Vec<String> = Vec::new();
        let mut plain = String::new();
        for token in placeholder::tokenize(text) {
            match token.kind {
                Kind::Text => plain.push_str(token.raw),
                Kind::Brace(c) => plain.push(c),
                Kind::Bold => plain.push(BOLD),
                Kind::Placeholder { name, filter: Filter::Cite } => {
                    let markup = self.cite_markup(key, name)?;
                    // A citation reads as a parenthesis, not a figure.
                    shown.push("(…)".to_string());
                    plain.push_str(&format!("\u{E000}{}\u{E001}", pieces.len()));
                    pieces.push(markup);
                }
                Kind::Placeholder { name, filter: Filter::Words } => {
                    let markup = self.words_markup(key, name)?;
                    shown.push(markup.clone());
                    plain.push_str(&format!("\u{E000}{}\u{E001}", pieces.len()));
                    pieces.push(markup);
                }
                Kind::Placeholder { name, filter } => {
                    let abs = filter == Filter::Abs;
                    let markup = if let Some(v) = args.get(name) {
                        shown.push(v.to_string());
                        if v.is_safe() { v.to_string() } else { self.inputs.locale.text_markup(&v.to_string()) }
                    } else if let Some(fact) = self.inputs.model.facts.get(name) {
                        shown.push(self.inputs.locale.format_fact(fact, abs));
                        self.fact_markup(name, abs)?
                    } else {
                        return Err(err(format!(
                            "`{key}` in locale {} uses `{{{name}}}`, which is neither a fact nor an argument given by the template",
                            self.inputs.locale.tag
                        )));
                    };
                    plain.push_str(&format!("\u{E000}{}\u{E001}", pieces.len()));
                    pieces.push(markup);
                }
                Kind::Stray(problem) => {
                    return Err(err(format!("`{key}` in locale {} has {problem}", self.inputs.locale.tag)));
                }
            }
        }
        let expand = |token: &str| -> Option<String> {
            token.contains('\u{E000}').then(|| {
                shown
                    .iter()
                    .enumerate()
                    .fold(token.to_string(), |t, (i, s)| t.replace(&format!("\u{E000}{i}\u{E001}"), s))
            })
        };
        let plain = self.inputs.locale.superscripts(&self.inputs.locale.typography_with(&plain, &expand));
        let mut out = String::new();
        for (i, part) in plain.split(BOLD).enumerate() {
            let esc = typography::superscript_markup(&names::markup_keeping_names(part));
            if i % 2 == 1 {
                out.push_str(&format!("#strong[{esc}]"));
            } else {
                out.push_str(&esc);
            }
        }
        for (i, p) in pieces.iter().enumerate() {
            let sentinel = format!("\u{E000}{i}\u{E001}");
            // After an embedded `#call[..]`, a `;` would end the call, `.`/`(` continue it: escape them.
            for c in [';', '.', '('] {
                out = out.replace(&format!("{sentinel}{c}"), &format!("{sentinel}\\{c}"));
            }
            out = out.replace(&sentinel, p);
        }
        Ok(out)
    }

    /// A node (text, list or map) as template values of markup.
    pub(super) fn node_value(&self, key: &str) -> Result<Value, Error> {
        self.st().keys.insert(key.to_string());
        let node = self.inputs.locale.nodes.get(key).ok_or_else(|| {
            err(format!(
                "locale {} has no key `{key}` (add it to {})",
                self.inputs.locale.tag,
                self.inputs.locale.key_loc(key).file.display()
            ))
        })?;
        self.convert(key, node)
    }

    /// Converts a locale node into a template value.
    pub(super) fn convert(&self, key: &str, node: &Node) -> Result<Value, Error> {
        Ok(match node {
            Node::Text(t) => {
                self.st().keys.insert(key.to_string());
                Value::from_safe_string(self.marked(key, self.fill(key, t, &BTreeMap::new())?))
            }
            Node::List(items) => Value::from(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, n)| self.convert(&format!("{key}.{i}"), n))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Node::Map(m) => Value::from(
                m.iter()
                    .map(|(k, n)| Ok((k.clone(), self.convert(&format!("{key}.{k}"), n)?)))
                    .collect::<Result<BTreeMap<_, _>, Error>>()?,
            ),
        })
    }

    /// Records the sources of the facts shown since the last call, plus sources cited without a figure (`also`),
    /// for the document's closing list of sources. Prints nothing: prose carries its citations in the text, and
    /// the sources are listed once, at the end (`closing_sources`).
    pub(super) fn sources_note(&self, also: &[String]) -> Result<String, Error> {
        let ids = std::mem::take(&mut self.st().pending_sources);
        let mut used: Vec<String> = Vec::new();
        for id in ids {
            let Some(fact) = self.inputs.model.facts.get(&id) else { continue };
            used.extend(fact.sources.iter().map(|s| s.value.clone()));
        }
        for id in also {
            if !self.inputs.model.sources.contains_key(id) {
                return Err(err(format!(
                    "unknown source `{id}` in sources(also=..) (declare it in data/sources.yaml)"
                )));
            }
            used.push(id.clone());
        }
        self.use_sources(used);
        Ok(String::new())
    }

    /// Records sources the document draws on, in order, each once.
    pub(super) fn use_sources(&self, ids: impl IntoIterator<Item = String>) {
        let mut st = self.st();
        for id in ids {
            if !st.sources_used.contains(&id) {
                st.sources_used.push(id);
            }
        }
    }

    /// The document's sources as its closing list prints them (markup, in the order the document first uses them):
    /// the sources of every figure, citation and chart, and those named with `sources(also=..)`.
    pub(super) fn closing_sources(&self) -> Vec<String> {
        let pending = std::mem::take(&mut self.st().pending_sources);
        let mut from_pending = Vec::new();
        for id in pending {
            if let Some(fact) = self.inputs.model.facts.get(&id) {
                from_pending.extend(fact.sources.iter().map(|s| s.value.clone()));
            }
        }
        self.use_sources(from_pending);
        let ids = self.st().sources_used.clone();
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            let (entry, used) = citation::entry(&self.inputs.model, &self.inputs.locale, &id);
            self.st().keys.extend(used);
            if !out.contains(&entry) {
                out.push(entry);
            }
        }
        // A publisher listed once: "USITC" goes when "USITC, 2024" (the same publisher, dated) is listed too.
        let dated = out.clone();
        out.retain(|e| {
            !dated.iter().any(|d| d.len() > e.len() && d.starts_with(e.as_str()) && d[e.len()..].starts_with(','))
        });
        out
    }

    /// The document's one note on its provisional figures (draft builds), naming their sources; none when the
    /// document shows none.
    pub(super) fn provisional_note(&self) -> Result<Option<String>, Error> {
        let ids: Vec<String> = self.st().provisional_sources.clone();
        if ids.is_empty() {
            return Ok(None);
        }
        let names: Vec<String> = ids.iter().map(|id| self.source_name(id)).collect();
        let names = citation::unique_names(names);
        let mut args = BTreeMap::new();
        args.insert("arg_source".to_string(), Value::from(names.join("; ")));
        let note = self.fill(keys::PROVISIONAL_NOTE, &self.text(keys::PROVISIONAL_NOTE)?, &args)?;
        Ok(Some(format!("†\u{a0}{note}")))
    }

    /// A text's markup with the margin mark of a drafted text, in drafts.
    pub(super) fn marked(&self, key: &str, markup: String) -> String {
        if self.draft && self.inputs.drafted.entry(key).is_some() { format!("#drafted[{markup}]") } else { markup }
    }

    /// A source's name as this locale writes it, recording the key it came from.
    pub(super) fn source_name(&self, id: &str) -> String {
        let (name, key) = citation::name(&self.inputs.model, &self.inputs.locale, id);
        if let Some(key) = key {
            self.st().keys.insert(key);
        }
        name
    }
}
