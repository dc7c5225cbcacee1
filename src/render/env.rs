//! The template environment: the Typst escaper, strict undefined values, fuel, and the functions templates call
//! (`t`, `tl`, `has`, `count`, `plain`, `fact`, `num`, `series`, `sources`, `source_name`, `chart`).

use std::collections::BTreeMap;
use std::sync::Arc;

use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, UndefinedBehavior};

use super::figure::Placement;
use super::{Ctx, FUEL, err};
use crate::escape;
use crate::locale::{Node, names};
use crate::model::PointValue;
use crate::placeholder::{self, Kind};

/// Builds the environment with the Typst escaper and the functions templates use.
pub(super) fn environment(ctx: Arc<Ctx>) -> Environment<'static> {
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
    let templates = ctx.inputs.templates.clone();
    let ldir = ctx.inputs.locale.dir.clone();
    env.set_loader(move |name| templates.get(&ldir, name));
    env.add_filter("str", |v: Value| Value::from_safe_string(escape::string(&v.to_string())));

    let c = ctx.clone();
    env.add_function("t", move |key: String, kwargs: Kwargs| -> Result<Value, Error> {
        let text = c.text(&key)?;
        let mut args = BTreeMap::new();
        for k in kwargs.args() {
            args.insert(k.to_string(), kwargs.get::<Value>(k)?);
        }
        kwargs.assert_all_used()?;
        Ok(Value::from_safe_string(c.marked(&key, c.fill(&key, &text, &args)?)))
    });
    let c = ctx.clone();
    env.add_function("tl", move |key: String| c.node_value(&key));
    let c = ctx.clone();
    env.add_function("has", move |key: String| c.inputs.locale.nodes.contains_key(&key));
    let c = ctx.clone();
    env.add_function("count", move |key: String| -> Result<usize, Error> {
        c.st().keys.insert(key.clone());
        match c.inputs.locale.nodes.get(&key) {
            Some(Node::List(items)) => Ok(items.len()),
            Some(_) => Err(err(format!("`{key}` is not a list"))),
            None => Err(err(format!("locale {} has no key `{key}`", c.inputs.locale.tag))),
        }
    });
    let c = ctx.clone();
    env.add_function("plain", move |key: String| -> Result<String, Error> {
        let text = c.text(&key)?;
        let mut words = String::with_capacity(text.len());
        for token in placeholder::tokenize(&text) {
            match token.kind {
                Kind::Placeholder { .. } => {
                    return Err(err(format!("`{key}` has placeholder `{}` but is used as plain text", token.raw)));
                }
                Kind::Brace(c) => words.push(c),
                _ => words.push_str(token.raw),
            }
        }
        // A string is printed as it is (Typst turns apostrophes typographic only in markup): write them so here.
        Ok(typographic_apostrophes(&c.inputs.locale.typography(&words)))
    });
    let c = ctx.clone();
    env.add_function("fact", move |id: String| -> Result<Value, Error> {
        Ok(Value::from_safe_string(c.fact_markup(&id, false)?))
    });
    let c = ctx.clone();
    env.add_function("amount", move |id: String, divisor: f64, decimals: u8| -> Result<Value, Error> {
        Ok(Value::from_safe_string(c.amount_markup(&id, divisor, decimals)?))
    });
    let c = ctx.clone();
    env.add_function("num", move |v: f64, unit: String, kwargs: Kwargs| -> Result<Value, Error> {
        let units = &c.inputs.model.units;
        let unit = *units.get(&unit).ok_or_else(|| {
            let names = units.keys().map(String::as_str).collect::<Vec<_>>().join(", ");
            err(format!("unknown unit `{unit}` (units: {names}; declared in data/units.yaml)"))
        })?;
        let fixed: Option<u8> = kwargs.get("fixed")?;
        kwargs.assert_all_used()?;
        let shown = match fixed {
            Some(d) => c.inputs.locale.fmt.fixed(v, d),
            None => c.inputs.locale.figure_text(unit, v),
        };
        Ok(Value::from_safe_string(escape::markup(&shown)))
    });
    let c = ctx.clone();
    env.add_function("series", move |id: String| -> Result<Value, Error> {
        let s = c
            .inputs
            .model
            .series
            .get(&id)
            .ok_or_else(|| err(format!("unknown series `{id}` (declare it in data/series/)")))?;
        let points: Vec<serde_json::Value> = s
            .points
            .iter()
            .map(|p| {
                let (fact, tdr) = match &p.value {
                    PointValue::Fact(f) => (Some(&f.value), None),
                    PointValue::Tdr(t) => (None, Some((&t.imports.value, &t.exports.value))),
                    PointValue::Stated(_) | PointValue::Unclear => (None, None),
                };
                serde_json::json!({
                    "label": p.label.value,
                    "value": c.inputs.model.point_value(p),
                    "fact": fact,
                    "imports": tdr.map(|t| t.0),
                    "exports": tdr.map(|t| t.1),
                    "provisional": c.inputs.model.point_provisional(s, p),
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
    let c = ctx.clone();
    env.add_function("fact_sources", move |id: String| -> Result<Value, Error> {
        let fact = c.inputs.model.facts.get(&id).ok_or_else(|| err(format!("unknown fact `{id}`")))?;
        let ids: Vec<String> = fact.sources.iter().map(|s| s.value.clone()).collect();
        c.use_sources(ids.clone());
        let names = crate::citation::unique_names(ids.iter().map(|s| c.source_name(s)).collect());
        Ok(Value::from(
            names.into_iter().map(|n| Value::from_safe_string(names::markup_keeping_names(&n))).collect::<Vec<_>>(),
        ))
    });
    let c = ctx.clone();
    env.add_function("closing_sources", move || -> Value {
        Value::from(c.closing_sources().into_iter().map(Value::from_safe_string).collect::<Vec<_>>())
    });
    let c = ctx.clone();
    env.add_function("provisional_note", move || -> Result<Value, Error> {
        Ok(c.provisional_note()?.map_or(Value::from(()), Value::from_safe_string))
    });
    let c = ctx;
    env.add_function("chart", move |id: String, kwargs: Kwargs| -> Result<Value, Error> {
        let side: Option<bool> = kwargs.get("side")?;
        let at = Placement { note: kwargs.get("note")?, details: kwargs.get("details")?, side: side.unwrap_or(false) };
        kwargs.assert_all_used()?;
        let ch = c
            .inputs
            .charts
            .get(&id)
            .ok_or_else(|| err(format!("unknown chart `{id}` (declare it in data/charts.yaml)")))?;
        let shown: Vec<String> = c
            .inputs
            .model
            .charts
            .get(&id)
            .into_iter()
            .flat_map(|chart| chart.series.iter())
            .filter_map(|sid| c.inputs.model.series.get(&sid.value))
            .flat_map(|s| s.points.iter().flat_map(|p| p.facts()).map(str::to_string))
            .collect();
        let provisional: Vec<String> = shown
            .iter()
            .filter(|f| c.inputs.model.facts.get(*f).is_some_and(|f| f.provisional.is_some()))
            .cloned()
            .collect();
        let sources: Vec<String> = shown
            .iter()
            .filter_map(|f| c.inputs.model.facts.get(f))
            .flat_map(|f| f.sources.iter().map(|s| s.value.clone()))
            .collect();
        c.use_sources(sources);
        // The sources the chart's series name themselves (its line names them too) go to the closing list.
        let own = c.inputs.model.charts.get(&id).into_iter().flat_map(|chart| chart.series.iter());
        c.use_sources(
            own.filter_map(|sid| c.inputs.model.series.get(&sid.value))
                .flat_map(|s| s.sources.iter().map(|x| x.value.clone()))
                .collect::<Vec<_>>(),
        );
        let call = c.figure(&id, ch, &at)?;
        let mut st = c.st();
        for f in provisional.iter().filter_map(|f| c.inputs.model.facts.get(f)) {
            for s in &f.sources {
                if !st.provisional_sources.contains(&s.value) {
                    st.provisional_sources.push(s.value.clone());
                }
            }
        }
        st.charts.push(id.clone());
        st.facts.extend(shown);
        st.provisional.extend(provisional);
        drop(st);
        Ok(Value::from_safe_string(call))
    });
    env
}

/// Straight apostrophes between letters made typographic ("America's" → "America’s").
fn typographic_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let letters = i > 0 && chars[i - 1].is_alphabetic() && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            if c == '\'' && letters { '’' } else { c }
        })
        .collect()
}
