//! A chart placed in a document: the Typst call of its figure (an SVG chart, a big number or a bar table) with its
//! title, subtitle and its one line "Note: …. Source: …." in the locale's words.

use std::collections::BTreeMap;

use minijinja::Error;

use super::Ctx;
use crate::charts::{ChartRef, ChartRow};
use crate::escape;
use crate::locale::{keys, names};
use crate::model::ChartKind;

/// What a template may add where it places a chart.
#[derive(Debug, Default)]
pub(super) struct Placement {
    /// A locale key whose text is the chart's note here, instead of the chart's own `charts.<id>.note`.
    pub note: Option<String>,
    /// A bar table: a locale key prefix whose `.<label>` texts go under each row's label.
    pub details: Option<String>,
    /// A small chart or a big number set in the sidebar beside the text (`side=true`), not across the text column
    /// (a chart of too many bars for the sidebar stays across it).
    pub side: bool,
}

impl Ctx {
    /// The one line under a chart, as markup: its note, then its sources, "Note: …. Sources: A; B.". (A provisional
    /// value is marked once, by the "†" that ends the subtitle; the document's one note explains it.)
    fn note_line(&self, ch: &ChartRef, note_key: Option<&str>) -> Result<String, Error> {
        let locale = &self.inputs.locale;
        let mut line = String::new();
        if let Some(key) = note_key {
            let text = self.text(key)?;
            let label = self.text(keys::CHART_NOTE)?;
            line = format!("{}{}", escape::markup(&locale.typography(&label)), escape::markup(locale.label_sep()));
            line.push_str(&self.fill(key, &text, &BTreeMap::new())?);
            if !text.trim_end().ends_with(['.', '!', '?']) {
                line.push('.');
            }
            line.push(' ');
        }
        line.push_str(&names::markup_keeping_names(&ch.source));
        // A drafted note marks its whole line (the mark is a block beside it).
        Ok(match note_key {
            Some(key) => self.marked(key, line),
            None => line,
        })
    }

    /// The Typst call that places a chart: its figure with title, subtitle and its one line.
    pub(super) fn figure(&self, id: &str, ch: &ChartRef, at: &Placement) -> Result<String, Error> {
        let default_note = keys::chart_note(id);
        let note_key = at.note.as_deref().or(ch.note_key.as_ref().map(|_| default_note.as_str()));
        let note = self.note_line(ch, note_key)?;
        let title_key = keys::chart_title(id);
        let subtitle_key = keys::chart_subtitle(id);
        {
            let mut st = self.st();
            st.keys.insert(title_key.clone());
            st.keys.insert(subtitle_key.clone());
        }
        let title = self.marked(&title_key, names::markup_keeping_names(&ch.title));
        let subtitle = self.marked(&subtitle_key, names::markup_keeping_names(&ch.subtitle));
        let words = format!("title: [{title}], subtitle: [{subtitle}], note: [{note}]");
        let call = match ch.kind {
            ChartKind::Bar | ChartKind::HorizontalBar if at.side && ch.side => {
                let side = escape::string(&crate::charts::side_path(&ch.path));
                let (path, alt) = (escape::string(&ch.path), escape::string(&ch.alt));
                format!("#side-chart({path}, side: {side}, alt: {alt}, {words})")
            }
            ChartKind::Bar | ChartKind::HorizontalBar => {
                format!("#chart-figure({}, alt: {}, {words})", escape::string(&ch.path), escape::string(&ch.alt))
            }
            ChartKind::BigNumber => {
                let side = |r: Option<&ChartRow>| {
                    r.map_or_else(String::new, |r| {
                        format!("(value: [{}], label: [{}])", escape::markup(&r.text), escape::markup(&r.label))
                    })
                };
                let call = if at.side && ch.side { "side-big-number" } else { "big-number" };
                format!("#{call}(before: {}, after: {}, {words})", side(ch.rows.first()), side(ch.rows.get(1)))
            }
            ChartKind::BarTable => self.bar_table(ch, at, &words)?,
        };
        Ok(call)
    }

    /// A bar table: a row per value with its label (and detail), a bar from the zero line and the value.
    fn bar_table(&self, ch: &ChartRef, at: &Placement, words: &str) -> Result<String, Error> {
        let (lo, hi) = ch.rows.iter().fold((0.0f64, 0.0f64), |(a, b), r| (a.min(r.value), b.max(r.value)));
        let span = (hi - lo).max(f64::MIN_POSITIVE);
        let frac = |v: f64| format!("{:.2}%", (v - lo) / span * 100.0);
        let mut rows = Vec::new();
        for r in &ch.rows {
            let detail = match &at.details {
                Some(prefix) => {
                    let key = format!("{prefix}.{}", r.key);
                    format!(
                        "[{}]",
                        self.marked(&key, escape::markup(&self.inputs.locale.typography(&self.text(&key)?)))
                    )
                }
                None => "none".to_string(),
            };
            let (from, to) = if r.value < 0.0 { (r.value, 0.0) } else { (0.0, r.value) };
            rows.push(format!(
                "(label: [{}], detail: {detail}, value: [{}], from: {}, to: {}, fill: rgb({}))",
                escape::markup(&r.label),
                escape::markup(&r.text),
                frac(from),
                frac(to),
                escape::string(&r.colour),
            ));
        }
        let unit = ch.unit_title.as_deref().map_or("none".to_string(), |u| format!("[{}]", escape::markup(u)));
        Ok(format!("#bar-table(rows: ({},), zero: {}, unit: {unit}, {words})", rows.join(", "), frac(0.0)))
    }
}
