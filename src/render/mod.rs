//! Rendering: minijinja templates plus locale words and facts into Typst source.
//!
//! `templates` holds the template files (read with the project, so rendering never touches the disk), `env` the
//! functions templates call, and `text` how a locale text becomes Typst markup with its figures and notes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use minijinja::value::Value;
use minijinja::{Error, ErrorKind};

use crate::charts::ChartRef;
use crate::diag::Report;
use crate::ids::DocumentId;
use crate::locale::Locale;
use crate::locale::drafted::Drafted;
use crate::model::{Audience, DocumentDef, Model, Trade};

mod env;
mod figure;
pub mod pack;
mod templates;
#[cfg(test)]
mod tests;
mod text;

pub use templates::Templates;
use templates::template_diag;

/// Fuel for one template render: bounds loops so a bad template cannot hang a build.
const FUEL: u64 = 5_000_000;

/// What rendering a locale's documents needs: the data, the locale, its charts and the templates.
#[derive(Clone)]
pub struct Inputs {
    /// The data.
    pub model: Arc<Model>,
    /// The locale of the documents.
    pub locale: Arc<Locale>,
    /// The locale's charts, by id.
    pub charts: Arc<BTreeMap<String, ChartRef>>,
    /// The project's templates.
    pub templates: Arc<Templates>,
    /// The texts drafted for these documents (marked in the margin of drafts).
    pub drafted: Arc<Drafted>,
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
    /// Generated Typst sources the source includes, as (document id, text): a pack's documents (see `pack`).
    pub parts: Vec<(DocumentId, String)>,
}

/// What the template functions record during one render.
#[derive(Default)]
struct State {
    /// Facts shown since the last source note.
    pending_sources: Vec<String>,
    /// Every fact shown.
    facts: BTreeSet<String>,
    /// Every locale key looked up.
    keys: BTreeSet<String>,
    /// Charts placed, in order.
    charts: Vec<String>,
    /// Provisional facts shown.
    provisional: BTreeSet<String>,
    /// The sources of the provisional figures shown, in order (their one note names them).
    provisional_sources: Vec<String>,
    /// Every source the document draws on, in the order it first does (its closing list).
    sources_used: Vec<String>,
}

/// Everything a template function needs: the inputs and what the render has recorded so far.
struct Ctx {
    inputs: Inputs,
    /// Whether this is a draft (provisional figures footnoted, drafted texts marked).
    draft: bool,
    state: Mutex<State>,
}

/// A state's main product in its trade with Mexico, and whether it is an `export` or an `import`: its first export
/// that is one product (not all agricultural exports), else its first import.
fn main_product(s: &crate::model::StateRow) -> (Option<&str>, &'static str) {
    match s.exports.iter().find(|t| t.product.value != "all_agricultural") {
        Some(t) => (Some(t.product.value.as_str()), "export"),
        None => (s.imports.first().map(|t| t.product.value.as_str()), "import"),
    }
}

/// Error for template functions.
fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg.into())
}

/// Renders one document to Typst source.
pub fn render(inputs: &Inputs, doc: &DocumentDef, audience: &Audience, draft: bool) -> Result<Rendered, Report> {
    render_with(inputs, doc, audience, draft, Value::from(()), false)
}

/// Renders one document to Typst source with `pack` in its context (a meeting pack's documents, see `pack`), and
/// `pack_part` true for a document set inside a pack (which prints the audience's opening and closing boxes once).
fn render_with(
    inputs: &Inputs,
    doc: &DocumentDef,
    audience: &Audience,
    draft: bool,
    pack: Value,
    part: bool,
) -> Result<Rendered, Report> {
    let ctx = Arc::new(Ctx { inputs: inputs.clone(), draft, state: Mutex::new(State::default()) });
    let env = env::environment(ctx.clone());
    let (model, locale) = (&inputs.model, &inputs.locale);
    let date = &model.edition.date;
    let (y, m, d) = date.ymd();
    let fast_order: Vec<String> = if audience.fast_facts.is_empty() {
        model.fast_facts.iter().map(|f| f.id.value.clone()).collect()
    } else {
        audience.fast_facts.clone()
    };
    // Numbered in the order the audience reads them, so a reader finds 1 to 10 in print order, and a document's
    // tiles, cards, contents and bookmarks agree (docs/meetings.md, "Fast-fact numbers").
    let fast: Vec<Value> = fast_order
        .iter()
        .filter_map(|id| model.fast_facts.iter().find(|f| &f.id.value == id))
        .enumerate()
        .map(|(i, f)| {
            Value::from_serialize(serde_json::json!({
                "id": f.id.value,
                "number": i + 1,
                "headline": f.headline.as_ref().map(|h| h.value.clone()),
                "chart": f.chart.as_ref().map(|c| c.value.clone()),
                "cites": f.cites.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
            }))
        })
        .collect();
    // A traded product, with the states whose rows give the same figure (a figure the update gives for several
    // states together, such as California, Texas and Louisiana's agricultural exports).
    let trades = |list: &[Trade]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|t| {
                let fact = t.fact.as_ref().map(|f| f.value.clone());
                let shared_by: Vec<&str> = model
                    .states
                    .iter()
                    .filter(|s| {
                        s.exports.iter().chain(&s.imports).any(|o| o.fact.as_ref().map(|f| &f.value) == fact.as_ref())
                    })
                    .map(|s| s.code.value.as_str())
                    .collect();
                let shared_by: Vec<&str> = if fact.is_some() { shared_by } else { Vec::new() };
                serde_json::json!({"product": t.product.value, "fact": fact, "shared_by": shared_by})
            })
            .collect()
    };
    let state = model.state(&doc.id).map(|s| {
        let (main, kind) = main_product(s);
        // Every state of the data with its main product, for the tile map of a state sheet.
        let all: Vec<serde_json::Value> = model
            .states
            .iter()
            .map(|o| {
                let (m, k) = main_product(o);
                serde_json::json!({"code": o.code.value, "main": m, "main_kind": k})
            })
            .collect();
        Value::from_serialize(serde_json::json!({
            "code": s.code.value,
            "exports": trades(&s.exports),
            "imports": trades(&s.imports),
            "main": main,
            "main_kind": kind,
            "all": all,
        }))
    });
    let context = minijinja::context! {
        state => state,
        doc => minijinja::context! { id => doc.id.to_string() },
        audience => minijinja::context! { id => audience.id.to_string() },
        locale => minijinja::context! {
            tag => locale.tag.clone(), lang => locale.meta.lang.clone(), region => locale.meta.region.clone(),
        },
        edition => minijinja::context! {
            id => model.edition.id.clone(),
            date => locale.date(date),
            month_year => locale.fmt.month_year(date),
            iso_date => date.iso(),
            year => y, month => m, day => d,
        },
        project => model.edition.project.clone(),
        website => model.edition.website.clone(),
        fast_facts => fast,
        draft => draft,
        pack => pack,
        pack_part => part,
    };
    let result = env.get_template(&doc.template).and_then(|t| t.render(context));
    match result {
        Ok(source) => {
            let st = std::mem::take(&mut *ctx.st());
            let (charts, facts, keys, provisional) = (st.charts, st.facts, st.keys, st.provisional);
            Ok(Rendered { source, charts, facts, keys, provisional, parts: Vec::new() })
        }
        Err(e) => Err(template_diag(&inputs.templates, &locale.dir, &e, &doc.template).into()),
    }
}
