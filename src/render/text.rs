//! How a locale text becomes Typst markup: placeholders filled with figures (provisional ones footnoted),
//! `**bold**`, typography, and the source notes of the figures shown.

use std::collections::BTreeMap;

use minijinja::Error;
use minijinja::value::Value;

use super::{Ctx, State, err};
use crate::citation;
use crate::escape;
use crate::locale::{Node, keys};
use crate::placeholder::{self, Filter, Kind};

/// Stands for `**` while typography runs over the text (a private-use character no locale text needs).
const BOLD: char = '\u{E002}';

impl Ctx {
    /// Locks the shared state (a poisoned lock only means an earlier error).
    pub(super) fn st(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The text of a key, recording the lookup.
    pub(super) fn text(&self, key: &str) -> Result<String, Error> {
        let mut st = self.st();
        st.keys.insert(key.to_string());
        // Words follow the chart: a source note after them is the section's own.
        if !keys::is_tool_key(key) {
            st.after_chart = None;
        }
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
        let shown = escape::markup(&self.inputs.locale.format_fact(fact, abs));
        let mut st = self.st();
        st.facts.insert(id.to_string());
        if !st.pending_sources.iter().any(|s| s == id) {
            st.pending_sources.push(id.to_string());
        }
        drop(st);
        let Some(_) = &fact.provisional else { return Ok(format!("#figure-value[{shown}]")) };
        // The reader's footnote is in the locale's words and names the source; the English note of
        // data/facts/ stays internal (check --final, the manifest).
        let names: Vec<String> = fact.sources.iter().map(|s| self.source_name(&s.value)).collect();
        let mut args = BTreeMap::new();
        args.insert("arg_source".to_string(), Value::from(names.join("; ")));
        let label = escape::markup(&self.text(keys::PROVISIONAL)?);
        let footnote = if names.is_empty() {
            label
        } else {
            let note = self.fill(keys::PROVISIONAL_NOTE, &self.text(keys::PROVISIONAL_NOTE)?, &args)?;
            format!("{label}{}{note}", escape::markup(self.inputs.locale.label_sep()))
        };
        let mut st = self.st();
        st.provisional.insert(id.to_string());
        let next = st.notes.len();
        let doc = &self.doc;
        Ok(match st.notes.get(&footnote) {
            Some(n) => format!("#provisional-value[{shown}]#footnote(<provisional-{doc}-{n}>)"),
            None => {
                st.notes.insert(footnote.clone(), next);
                format!("#provisional-value[{shown}]#footnote[{footnote}] <provisional-{doc}-{next}>")
            }
        })
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
        for id in ids {
            let note_name = self.source_name(&id);
            let mut st = self.st();
            st.keys.extend(citation::short(model, locale, &id).1);
            if !st.cited.contains(&note_name) {
                st.cited.push(note_name);
            }
        }
        Ok(escape::markup(&text))
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
                Kind::Placeholder { name, filter } => {
                    let abs = filter == Filter::Abs;
                    let markup = if let Some(v) = args.get(name) {
                        shown.push(v.to_string());
                        if v.is_safe() { v.to_string() } else { escape::markup(&v.to_string()) }
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
        let plain = self.inputs.locale.typography_with(&plain, &expand);
        let mut out = String::new();
        for (i, part) in plain.split(BOLD).enumerate() {
            let esc = escape::markup_keeping_names(part);
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

    /// The source note for the facts shown since the last note, plus sources cited without a figure. Directly under a
    /// chart it leaves out the sources the chart's own line names, so a chart keeps one line under it (the text's
    /// other sources were noted above the chart, see `chart` in env.rs).
    pub(super) fn sources_note(&self, also: &[String]) -> Result<String, Error> {
        let skip = self.st().after_chart.take().unwrap_or_default();
        self.sources_note_skipping(also, &skip)
    }

    /// The source note for the facts shown since the last note and the sources in `also`, leaving out `skip`.
    pub(super) fn sources_note_skipping(&self, also: &[String], skip: &[String]) -> Result<String, Error> {
        let ids = std::mem::take(&mut self.st().pending_sources);
        let cited_in_text = std::mem::take(&mut self.st().cited);
        let mut names: Vec<String> = Vec::new();
        for id in ids {
            let Some(fact) = self.inputs.model.facts.get(&id) else { continue };
            for s in &fact.sources {
                let name = self.source_name(&s.value);
                if !names.contains(&name) && !cited_in_text.contains(&name) && !skip.contains(&name) {
                    names.push(name);
                }
            }
        }
        let mut cited: Vec<String> = Vec::new();
        for id in also {
            if !self.inputs.model.sources.contains_key(id) {
                return Err(err(format!(
                    "unknown source `{id}` in sources(also=..) (declare it in data/sources.yaml)"
                )));
            }
            let name = self.source_name(id);
            if !names.contains(&name)
                && !cited.contains(&name)
                && !cited_in_text.contains(&name)
                && !skip.contains(&name)
            {
                cited.push(name);
            }
        }
        let mut text = String::new();
        if !names.is_empty() {
            text = citation::sentence(&self.inputs.locale, &self.text(citation::heading_key(names.len()))?, &names);
        }
        if !cited.is_empty() {
            let label = if names.is_empty() {
                self.text(citation::heading_key(cited.len()))?
            } else {
                self.text(keys::ALSO_CITED)?
            };
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&citation::sentence(&self.inputs.locale, &label, &cited));
        }
        if text.is_empty() {
            return Ok(String::new());
        }
        Ok(format!("#source-note[{}]", escape::markup_keeping_names(&self.inputs.locale.typography(&text))))
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
