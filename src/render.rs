//! Rendering: minijinja templates plus locale words and facts into Typst source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};
use std::sync::{Arc, Mutex};

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};

use crate::diag::{Diagnostic, Loc, Report};
use crate::escape;
use crate::locale::{Locale, placeholders};
use crate::model::{Audience, DocumentDef, Model};

/// Locale keys the renderer itself reads when the data calls for them (source notes, provisional footnotes):
/// they count as used even when no document of a build needs them.
pub const TOOL_KEYS: [&str; 4] = ["common.source", "common.sources", "common.also_cited", "common.provisional"];

/// Fuel for one template render: bounds loops so a bad template cannot hang a build.
const FUEL: u64 = 5_000_000;

/// A chart as placed in a document: its file in the World and its words.
#[derive(Debug, Clone)]
pub struct ChartRef {
    /// Path of the SVG in the Typst World, e.g. `/charts/en-US/mfg_jobs_lost.svg`.
    pub path: String,
    /// Title in the document's locale.
    pub title: String,
    /// Alt text generated from the data.
    pub alt: String,
    /// Source line with period, in the document's locale.
    pub source: String,
}

/// Typst source for one document and what it used.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The generated Typst markup.
    pub source: String,
    /// Chart ids placed.
    pub charts: Vec<String>,
    /// Fact ids shown.
    pub facts: BTreeSet<String>,
    /// Locale keys looked up.
    pub keys: BTreeSet<String>,
    /// Provisional fact ids shown.
    pub provisional: BTreeSet<String>,
    /// Generated Typst sources the source includes, as (document id, text): a pack's documents (src/pack.rs).
    pub parts: Vec<(String, String)>,
}

/// What the template functions share during one render.
#[derive(Default)]
struct State {
    pending_sources: Vec<String>,
    facts: BTreeSet<String>,
    keys: BTreeSet<String>,
    charts: Vec<String>,
    provisional: BTreeSet<String>,
    notes: BTreeMap<String, usize>,
}

/// Everything a template function needs.
struct Ctx {
    model: Arc<Model>,
    locale: Arc<Locale>,
    charts: Arc<BTreeMap<String, ChartRef>>,
    state: Mutex<State>,
}

/// Error for template functions.
fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

impl Ctx {
    /// Locks the shared state (a poisoned lock only means an earlier error).
    fn st(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The text of a key, recording the lookup.
    fn raw(&self, key: &str) -> Result<String, Error> {
        self.st().keys.insert(key.to_string());
        self.locale.keys.get(key).cloned().ok_or_else(|| {
            err(format!(
                "locale {} has no key `{key}` (add it to {})",
                self.locale.tag,
                self.locale.key_loc(key).file.display()
            ))
        })
    }

    /// A fact formatted as markup, recorded for the source note.
    fn fact_markup(&self, id: &str, abs: bool) -> Result<String, Error> {
        let fact = self.model.facts.get(id).ok_or_else(|| err(format!("unknown fact `{id}`")))?;
        let shown = escape::markup(&self.locale.format_fact(fact, abs));
        let mut st = self.st();
        st.facts.insert(id.to_string());
        if !st.pending_sources.iter().any(|s| s == id) {
            st.pending_sources.push(id.to_string());
        }
        Ok(match &fact.provisional {
            Some(note) => {
                st.provisional.insert(id.to_string());
                let next = st.notes.len();
                let (n, first) = match st.notes.get(note) {
                    Some(n) => (*n, false),
                    None => {
                        st.notes.insert(note.clone(), next);
                        (next, true)
                    }
                };
                drop(st);
                if first {
                    let label = self.raw("common.provisional")?;
                    format!(
                        "#provisional-value[{shown}]#footnote[{}] <provisional-{n}>",
                        escape::markup(&format!("{label}: {note}"))
                    )
                } else {
                    format!("#provisional-value[{shown}]#footnote(<provisional-{n}>)")
                }
            }
            None => format!("#figure-value[{shown}]"),
        })
    }

    /// Fills a text's placeholders and turns it into markup.
    fn fill(&self, key: &str, text: &str, args: &BTreeMap<String, Value>) -> Result<String, Error> {
        let mut pieces: Vec<String> = Vec::new();
        let mut plain = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let after = &rest[start + 1..];
            let end = after.find('}');
            let inner = end.map(|e| &after[..e]).unwrap_or("");
            let found = placeholders(&rest[start..start + 2 + inner.len().min(after.len())]);
            match (end, found.first()) {
                (Some(e), Some((name, abs))) => {
                    plain.push_str(&rest[..start]);
                    let markup = if let Some(v) = args.get(name) {
                        if v.is_safe() { v.to_string() } else { escape::markup(&v.to_string()) }
                    } else if self.model.facts.contains_key(name) {
                        self.fact_markup(name, *abs)?
                    } else {
                        return Err(err(format!(
                            "`{key}` in locale {} uses `{{{name}}}`, which is neither a fact nor an argument given by the template",
                            self.locale.tag
                        )));
                    };
                    plain.push_str(&format!("\u{E000}{}\u{E001}", pieces.len()));
                    pieces.push(markup);
                    rest = &after[e + 1..];
                }
                _ => {
                    plain.push_str(&rest[..=start]);
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        let plain = self.locale.typography(&plain);
        let mut out = String::new();
        for (i, part) in plain.split("**").enumerate() {
            let esc = escape::markup(part);
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
    fn node_value(&self, key: &str) -> Result<Value, Error> {
        self.st().keys.insert(key.to_string());
        let node = self.locale.nodes.get(key).ok_or_else(|| {
            err(format!(
                "locale {} has no key `{key}` (add it to {})",
                self.locale.tag,
                self.locale.key_loc(key).file.display()
            ))
        })?;
        self.convert(key, node)
    }

    /// Converts a locale node into a template value.
    fn convert(&self, key: &str, node: &crate::locale::Node) -> Result<Value, Error> {
        use crate::locale::Node;
        Ok(match node {
            Node::Text(t) => {
                self.st().keys.insert(key.to_string());
                Value::from_safe_string(self.fill(key, t, &BTreeMap::new())?)
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

    /// The source note for the facts shown since the last note, plus sources cited without a figure.
    fn sources_note(&self, also: &[String]) -> Result<String, Error> {
        let ids = std::mem::take(&mut self.st().pending_sources);
        let mut names: Vec<String> = Vec::new();
        for id in ids {
            let Some(fact) = self.model.facts.get(&id) else { continue };
            for s in &fact.sources {
                let name = self.source_name(&s.value);
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        let mut cited: Vec<String> = Vec::new();
        for id in also {
            if !self.model.sources.contains_key(id) {
                return Err(err(format!(
                    "unknown source `{id}` in sources(also=..) (declare it in data/sources.yaml)"
                )));
            }
            let name = self.source_name(id);
            if !names.contains(&name) && !cited.contains(&name) {
                cited.push(name);
            }
        }
        let mut text = String::new();
        if !names.is_empty() {
            let label = if names.len() == 1 { self.raw("common.source")? } else { self.raw("common.sources")? };
            text.push_str(&format!("{label}{}{}.", self.locale.label_sep(), names.join("; ")));
        }
        if !cited.is_empty() {
            let label = if names.is_empty() {
                if cited.len() == 1 { self.raw("common.source")? } else { self.raw("common.sources")? }
            } else {
                self.raw("common.also_cited")?
            };
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&format!("{label}{}{}.", self.locale.label_sep(), cited.join("; ")));
        }
        if text.is_empty() {
            return Ok(String::new());
        }
        Ok(format!("#source-note[{}]", escape::markup(&self.locale.typography(&text))))
    }

    /// A source's name as this locale writes it.
    fn source_name(&self, id: &str) -> String {
        let key = format!("sources.names.{id}");
        if let Some(n) = self.locale.keys.get(&key) {
            self.st().keys.insert(key);
            return n.clone();
        }
        self.model.sources.get(id).map_or_else(|| id.to_string(), |s| s.short.clone())
    }
}

/// Loads a template by name: a locale override first, then `templates/`; never outside the root.
///
/// Names with `..`, a root or a drive are refused, and so is a file that resolves (through a symbolic
/// link) to a place outside the project.
fn load_template(root: &Path, locale_dir: &Path, name: &str) -> Result<Option<String>, Error> {
    let rel = Path::new(name);
    if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(err(format!(
            "template name `{name}` leaves the templates folder (templates can include only files under templates/ or locales/<tag>/templates/)"
        )));
    }
    for dir in [locale_dir.join("templates"), Path::new("templates").to_path_buf()] {
        let file = dir.join(rel);
        let path = root.join(&file);
        if !path.is_file() {
            continue;
        }
        let inside = match (path.canonicalize(), root.canonicalize()) {
            (Ok(p), Ok(r)) => p.starts_with(r),
            _ => false,
        };
        if !inside {
            return Err(err(format!(
                "template `{}` resolves to a file outside the project (a symbolic link?); templates must live in the project",
                file.display()
            )));
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            err(format!("failed to read template {} ({})", file.display(), crate::model::io_reason(&e)))
        })?;
        return match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(e) => {
                let d = crate::model::utf8_error(&file, e.as_bytes(), e.utf8_error().valid_up_to());
                Err(err(format!("{} at {}; save it as UTF-8", d.message, d.loc)))
            }
        };
    }
    Ok(None)
}

/// Where a template lives, for messages.
pub fn template_path(root: &Path, locale: &Locale, name: &str) -> std::path::PathBuf {
    let over = locale.dir.join("templates").join(name);
    if root.join(&over).is_file() { over } else { Path::new("templates").join(name) }
}

/// Builds the environment with the Typst escaper and the functions templates use.
fn environment(ctx: Arc<Ctx>) -> Environment<'static> {
    let mut env = Environment::new();
    // Debug info gives errors the template source and the byte range of the failing expression.
    env.set_debug(true);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.set_auto_escape_callback(|_| AutoEscape::Custom("typst"));
    env.set_formatter(|out, state, value| {
        if value.is_safe() || state.auto_escape() == AutoEscape::None {
            return write!(out, "{value}").map_err(|_| err("write failed"));
        }
        if value.is_number() {
            return Err(err(format!(
                "the number {value} is printed unformatted; use num(value, unit) or a fact placeholder"
            )));
        }
        if value.is_none() || value.is_undefined() {
            return Err(err("a value printed by the template is none or undefined"));
        }
        write!(out, "{}", escape::markup(&value.to_string())).map_err(|_| err("write failed"))
    });
    let root = ctx.model.root.clone();
    let ldir = ctx.locale.dir.clone();
    env.set_loader(move |name| load_template(&root, &ldir, name));
    env.add_filter("str", |v: Value| Value::from_safe_string(escape::string(&v.to_string())));

    let c = ctx.clone();
    env.add_function("t", move |key: String, kwargs: Kwargs| -> Result<Value, Error> {
        let text = c.raw(&key)?;
        let mut args = BTreeMap::new();
        for k in kwargs.args() {
            args.insert(k.to_string(), kwargs.get::<Value>(k)?);
        }
        kwargs.assert_all_used()?;
        Ok(Value::from_safe_string(c.fill(&key, &text, &args)?))
    });
    let c = ctx.clone();
    env.add_function("tl", move |key: String| c.node_value(&key));
    let c = ctx.clone();
    env.add_function("has", move |key: String| c.locale.nodes.contains_key(&key));
    let c = ctx.clone();
    env.add_function("count", move |key: String| -> Result<usize, Error> {
        c.st().keys.insert(key.clone());
        match c.locale.nodes.get(&key) {
            Some(crate::locale::Node::List(items)) => Ok(items.len()),
            Some(_) => Err(err(format!("`{key}` is not a list"))),
            None => Err(err(format!("locale {} has no key `{key}`", c.locale.tag))),
        }
    });
    let c = ctx.clone();
    env.add_function("plain", move |key: String| -> Result<String, Error> {
        let text = c.raw(&key)?;
        if let Some((p, _)) = placeholders(&text).first() {
            return Err(err(format!("`{key}` has placeholder `{{{p}}}` but is used as plain text")));
        }
        Ok(c.locale.typography(&text))
    });
    let c = ctx.clone();
    env.add_function("fact", move |id: String| -> Result<Value, Error> {
        Ok(Value::from_safe_string(c.fact_markup(&id, false)?))
    });
    let c = ctx.clone();
    env.add_function("num", move |v: f64, unit: String, kwargs: Kwargs| -> Result<Value, Error> {
        let unit: crate::model::Unit = serde_json::from_value(serde_json::Value::String(unit.clone()))
            .map_err(|_| err(format!("unknown unit `{unit}`")))?;
        let fixed: Option<u8> = kwargs.get("fixed")?;
        kwargs.assert_all_used()?;
        let shown = match fixed {
            Some(d) => c.locale.fmt.fixed(v, d),
            None => c.locale.figure_text(unit, v),
        };
        Ok(Value::from_safe_string(escape::markup(&shown)))
    });
    let c = ctx.clone();
    env.add_function("series", move |id: String| -> Result<Value, Error> {
        let s = c
            .model
            .series
            .get(&id)
            .ok_or_else(|| err(format!("unknown series `{id}` (declare it in data/series/)")))?;
        let points: Vec<serde_json::Value> = s
            .points
            .iter()
            .map(|p| {
                serde_json::json!({
                    "label": p.label.value,
                    "value": c.model.point_value(p),
                    "fact": p.fact.as_ref().map(|f| f.value.clone()),
                    "imports": p.tdr.as_ref().map(|t| t.imports.value.clone()),
                    "exports": p.tdr.as_ref().map(|t| t.exports.value.clone()),
                    "provisional": c.model.point_provisional(s, p),
                })
            })
            .collect();
        Ok(Value::from_serialize(points))
    });
    let c = ctx.clone();
    env.add_function("sources", move |kwargs: Kwargs| -> Result<Value, Error> {
        let also: Option<Vec<String>> = kwargs.get("also")?;
        kwargs.assert_all_used()?;
        Ok(Value::from_safe_string(c.sources_note(&also.unwrap_or_default())?))
    });
    let c = ctx.clone();
    env.add_function("source_name", move |id: String| c.source_name(&id));
    let c = ctx;
    env.add_function("chart", move |id: String| -> Result<Value, Error> {
        let ch =
            c.charts.get(&id).ok_or_else(|| err(format!("unknown chart `{id}` (declare it in data/charts.yaml)")))?;
        let shown: Vec<String> = c
            .model
            .charts
            .get(&id)
            .into_iter()
            .flat_map(|chart| chart.series.iter())
            .filter_map(|sid| c.model.series.get(&sid.value))
            .flat_map(|s| s.points.iter().flat_map(|p| c.model.point_facts(p)).map(str::to_string))
            .collect();
        let provisional: Vec<String> =
            shown.iter().filter(|f| c.model.facts.get(*f).is_some_and(|f| f.provisional.is_some())).cloned().collect();
        let mut st = c.st();
        st.charts.push(id.clone());
        st.facts.extend(shown);
        st.provisional.extend(provisional);
        drop(st);
        Ok(Value::from_safe_string(format!(
            "#chart-figure({}, alt: {}, title: [{}], source: [{}])",
            escape::string(&ch.path),
            escape::string(&ch.alt),
            escape::markup(&ch.title),
            escape::markup(&ch.source),
        )))
    });
    env
}

/// The 1-based column of a template error (0 when unknown) and the failing expression, from debug info.
fn error_column(e: &Error) -> (u64, Option<String>) {
    let (Some(src), Some(range)) = (e.template_source(), e.range()) else { return (0, None) };
    let (Some(before), Some(expr)) = (src.get(..range.start), src.get(range.clone())) else { return (0, None) };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u64 + 1;
    let expr = expr.trim();
    (col, (!expr.is_empty() && !expr.contains('\n')).then(|| expr.to_string()))
}

/// Turns a minijinja error into a located diagnostic, at the innermost template that failed.
fn template_diag(root: &Path, locale: &Locale, e: &Error, main: &str) -> Diagnostic {
    let mut inner = e;
    while let Some(next) = std::error::Error::source(inner).and_then(|s| s.downcast_ref::<Error>()) {
        inner = next;
    }
    // An error loading the document's own template carries no name: it is that template.
    let name = inner.name().or(e.name()).unwrap_or(main);
    let file = template_path(root, locale, name);
    let line = inner.line().or(e.line()).unwrap_or(0) as u64;
    let mut msg = inner.detail().map(str::to_string).unwrap_or_else(|| inner.kind().to_string());
    let (col, expr) = error_column(inner);
    if let Some(expr) = expr.filter(|_| inner.kind() == ErrorKind::UndefinedError) {
        msg = format!("{msg}: `{expr}`");
    }
    if inner.kind() == ErrorKind::OutOfFuel {
        msg = format!("stopped after {FUEL} steps");
    }
    let hint = match inner.kind() {
        ErrorKind::UndefinedError => {
            "the variable is not defined: check its name against README.md's template reference"
        }
        ErrorKind::SyntaxError => "fix the template syntax at this place",
        ErrorKind::OutOfFuel => "a loop runs too long or never ends; check the loops at and around this place",
        _ => "fix the template or the locale text it uses",
    };
    let what = if inner.kind() == ErrorKind::OutOfFuel { "template ran out of fuel" } else { "template error" };
    let mut d = Diagnostic::error(Loc::new(file, line, col), format!("{what} ({msg})"));
    if !std::ptr::eq(inner, e)
        && let (Some(outer), Some(l)) = (e.name(), e.line())
    {
        d = d.with_hint(format!("{hint}; included from {}:{l}", template_path(root, locale, outer).display()));
        return d;
    }
    d.with_hint(hint)
}

/// Renders one document to Typst source.
pub fn render(
    model: &Arc<Model>,
    locale: &Arc<Locale>,
    charts: &Arc<BTreeMap<String, ChartRef>>,
    doc: &DocumentDef,
    audience: &Audience,
    draft: bool,
) -> Result<Rendered, Report> {
    render_with(model, locale, charts, doc, audience, draft, Value::from(()))
}

/// Renders one document to Typst source, with `pack` (a meeting pack's documents, see src/pack.rs) in its context.
pub fn render_with(
    model: &Arc<Model>,
    locale: &Arc<Locale>,
    charts: &Arc<BTreeMap<String, ChartRef>>,
    doc: &DocumentDef,
    audience: &Audience,
    draft: bool,
    pack: Value,
) -> Result<Rendered, Report> {
    let ctx = Arc::new(Ctx {
        model: model.clone(),
        locale: locale.clone(),
        charts: charts.clone(),
        state: Mutex::new(State::default()),
    });
    let env = environment(ctx.clone());
    let (y, m, d) = model.edition.ymd();
    let fast_order: Vec<String> = if audience.fast_facts.is_empty() {
        model.fast_facts.iter().map(|f| f.id.value.clone()).collect()
    } else {
        audience.fast_facts.iter().map(|f| f.value.clone()).collect()
    };
    let fast: Vec<Value> = fast_order
        .iter()
        .filter_map(|id| model.fast_facts.iter().position(|f| &f.id.value == id).map(|i| (i, &model.fast_facts[i])))
        .map(|(i, f)| {
            Value::from_serialize(serde_json::json!({
                "id": f.id.value,
                "number": i + 1,
                "headline": f.headline.as_ref().map(|h| h.value.clone()),
                "chart": f.chart.as_ref().map(|c| c.value.clone()),
            }))
        })
        .collect();
    let trades = |list: &[crate::model::Trade]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|t| serde_json::json!({"product": t.product.value, "fact": t.fact.as_ref().map(|f| f.value.clone())}))
            .collect()
    };
    let state = model.state(&doc.id.value).map(|s| {
        Value::from_serialize(serde_json::json!({
            "code": s.code.value,
            "exports": trades(&s.exports),
            "imports": trades(&s.imports),
        }))
    });
    let context = minijinja::context! {
        state => state,
        doc => minijinja::context! { id => doc.id.value.clone() },
        audience => minijinja::context! { id => audience.id.value.clone() },
        locale => minijinja::context! {
            tag => locale.tag.clone(), lang => locale.meta.lang.clone(), region => locale.meta.region.clone(),
        },
        edition => minijinja::context! {
            id => model.edition.id.clone(),
            date => locale.date(y, m, d),
            month_year => locale.fmt.month_year(y, m).unwrap_or_default(),
            iso_date => model.edition.date.value.clone(),
            year => y, month => m, day => d,
        },
        project => model.edition.project.clone(),
        website => model.edition.website.clone(),
        fast_facts => fast,
        draft => draft,
        pack => pack,
    };
    let result = env.get_template(&doc.template.value).and_then(|t| t.render(context));
    match result {
        Ok(source) => {
            let st = std::mem::take(&mut *ctx.st());
            let (charts, facts, keys, provisional) = (st.charts, st.facts, st.keys, st.provisional);
            Ok(Rendered { source, charts, facts, keys, provisional, parts: Vec::new() })
        }
        Err(e) => Err(template_diag(&model.root, locale, &e, &doc.template.value).into()),
    }
}
