//! The marks templates/house.typ leaves in a document, read on its laid-out pages: where the text under each heading
//! begins, where the closing strip starts, where each figure is issued, lands and ends, and where each section
//! starts (copyfitting, src/fit.rs).

use typst::foundations::{Label, Selector};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The label house.typ puts right after every heading that must keep text under it (sections, subsections, fast
/// facts): where the text under the heading begins.
const HEADING_END: &str = "heading-end";
/// The label that marks the top of the closing strip at the foot of a document's last page
/// (templates/house.typ `closing`): the text above it fills the page, the strip does not.
const CLOSING_STRIP: &str = "closing-strip";
/// The labels templates/house.typ puts where a figure is issued in the text and where it lands on the page.
const FIGURE_ISSUED: &str = "figure-issued";
/// See [`FIGURE_ISSUED`].
const FIGURE_PLACED: &str = "figure-placed";
/// The label at the top of each section's heading and of each fast fact: a figure lands before the next one.
const SECTION_START: &str = "section-start";
/// The label at the foot of each figure (numbered as [`FIGURE_PLACED`]).
const FIGURE_END: &str = "figure-end";
/// How far under a figure's foot its own section's heading may start, in points, for the figure to open the
/// section (a top float right above the heading) rather than sit in the section before it.
const OPENS_SECTION: f64 = 36.0;
/// Where the text under each heading begins, by page: (page from 1, y).
pub(super) fn heading_ends(doc: &PagedDocument) -> Vec<(usize, f64)> {
    labelled(doc, HEADING_END)
}

/// Where the closing strip starts, by page: (page from 1, y).
pub(super) fn closing_strips(doc: &PagedDocument) -> Vec<(usize, f64)> {
    labelled(doc, CLOSING_STRIP)
}

/// Where the elements with a label are, by page: (page from 1, y).
fn labelled(doc: &PagedDocument, name: &str) -> Vec<(usize, f64)> {
    marks(doc, name).into_iter().map(|(_, at)| at).collect()
}

/// The metadata with a label, in document order: the number each holds (a figure's, from 0), if any, and where it
/// is (page from 1, y).
fn marks(doc: &PagedDocument, name: &str) -> Vec<(Option<usize>, (usize, f64))> {
    let Some(label) = Label::new(PicoStr::intern(name)) else { return Vec::new() };
    let introspector = doc.introspector();
    introspector
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let number = match c.get_by_name("value") {
                Ok(typst::foundations::Value::Int(n)) => usize::try_from(n).ok(),
                _ => None,
            };
            let position = introspector.position(c.location()?)?;
            Some((number, (position.page.get(), position.point.y.to_pt())))
        })
        .collect()
}

/// The label a sidebar figure leaves where the sidebar has no room for it (templates/house.typ `side-figure`).
const SIDE_CLASH: &str = "side-clash";

/// The sidebar figures (from 1) that have no room in the sidebar where they are issued.
pub(super) fn side_clashes(doc: &PagedDocument) -> Vec<usize> {
    numbers(doc, SIDE_CLASH)
}

/// The label of a block of the sidebar, numbered for a sidebar figure (templates/house.typ `side-block`).
const SIDE_BLOCK: &str = "side-block";

/// The sidebar figures set in the sidebar (from 1).
pub(super) fn side_figures(doc: &PagedDocument) -> Vec<usize> {
    numbers(doc, SIDE_BLOCK)
}

/// The numbers the metadata with a label holds, each once, in order.
fn numbers(doc: &PagedDocument, name: &str) -> Vec<usize> {
    let mut out: Vec<usize> = numbered(doc, name).into_iter().map(|(n, _)| n).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Where each figure lands (the top of its block), by its number (from 0): (number, (page from 1, y)).
pub(super) fn figures_placed(doc: &PagedDocument) -> Vec<(usize, (usize, f64))> {
    numbered(doc, FIGURE_PLACED)
}

/// The metadata with a label that holds a number, in document order: (number, (page from 1, y)).
fn numbered(doc: &PagedDocument, name: &str) -> Vec<(usize, (usize, f64))> {
    marks(doc, name).into_iter().filter_map(|(n, at)| Some((n?, at))).collect()
}

/// The figures (from 0) that land above the start of their own section (the last section start before them in
/// the document's order) with text of the section before between: a figure right above its section's heading, or
/// on a page before it, opens the section and is not counted; one at the top of a page whose section starts lower
/// down is.
pub(super) fn early_figures(doc: &PagedDocument) -> Vec<usize> {
    let (placed, feet) = (numbered(doc, FIGURE_PLACED), numbered(doc, FIGURE_END));
    let mut own: Option<(usize, f64)> = None;
    let mut out = Vec::new();
    for (which, number, at) in marks_in_order(doc, &[SECTION_START, FIGURE_ISSUED]) {
        if which == 0 {
            own = Some(at);
            continue;
        }
        let (Some(k), Some(start)) = (number, own) else { continue };
        let (Some((_, p)), Some((_, f))) = (placed.iter().find(|(n, _)| *n == k), feet.iter().find(|(n, _)| *n == k))
        else {
            continue;
        };
        if p.0 == start.0 && f.0 == start.0 && start.1 - f.1 > OPENS_SECTION {
            out.push(k);
        }
    }
    out.sort_unstable();
    out
}

/// The metadata with any of the labels `names`, in document order: which label (its index in `names`), the number
/// it holds, if any, and where it is (page from 1, y).
fn marks_in_order(doc: &PagedDocument, names: &[&str]) -> Vec<(usize, Option<usize>, (usize, f64))> {
    let labels: Vec<Label> = names.iter().filter_map(|n| Label::new(PicoStr::intern(n))).collect();
    let introspector = doc.introspector();
    let selector = Selector::Or(labels.iter().map(|l| Selector::Label(*l)).collect());
    introspector
        .query(&selector)
        .iter()
        .filter_map(|c| {
            let which = labels.iter().position(|l| Some(*l) == c.label())?;
            let number = match c.get_by_name("value") {
                Ok(typst::foundations::Value::Int(n)) => usize::try_from(n).ok(),
                _ => None,
            };
            let position = introspector.position(c.location()?)?;
            Some((which, number, (position.page.get(), position.point.y.to_pt())))
        })
        .collect()
}

/// The figures (from 0, in the order issued) that land past the start of the next section (or fast fact) after
/// where they are issued, and the pages they land on.
pub(super) fn late_figures(doc: &PagedDocument) -> Vec<(usize, usize)> {
    let issued = numbered(doc, FIGURE_ISSUED);
    let placed = numbered(doc, FIGURE_PLACED);
    let mut starts = labelled(doc, SECTION_START);
    starts.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let after = |a: (usize, f64), b: (usize, f64)| a.0 > b.0 || (a.0 == b.0 && a.1 > b.1 + 1.0);
    // A figure issued at the end of a section is where the next one starts.
    let mut late: Vec<(usize, usize)> = issued
        .iter()
        .filter_map(|(k, i)| placed.iter().find(|(n, _)| n == k).map(|(_, p)| (*k, *i, *p)))
        .filter(|(_, i, p)| starts.iter().find(|s| !after(*i, **s)).is_some_and(|s| after(*p, *s)))
        .map(|(k, _, p)| (k, p.0))
        .collect();
    late.sort_unstable();
    late
}
