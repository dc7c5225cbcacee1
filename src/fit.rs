//! Copyfitting: how a laid-out document breaks across pages, and the house-style variant that breaks it best.
//!
//! Typst keeps figures whole, headings with what follows and single lines from being left alone. What it cannot
//! see is read here from the laid-out pages: a page that ends on a hyphenated word, a page that opens with the last
//! one or two lines of a paragraph the last of which is short, and a last page under 40% full. A document is typeset
//! with small variants of the house style's vertical spacing and letter spacing (README, "House style") until one
//! has none of these faults; the first variant is the house style itself.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst_layout::PagedDocument;

/// Size of body text in points (templates/house.typ `body-size`).
const BODY_SIZE: f64 = 10.5;
/// The body font (templates/house.typ `serif`).
const BODY_FONT: &str = "Caladea";
/// Distance between the baselines of two lines of one paragraph, in points, with some slack.
const LINE_PITCH_MAX: f64 = 15.5;
/// Top and bottom page margins in points (templates/house.typ `grid-top`, `grid-bottom`).
const MARGIN_TOP: f64 = 0.85 * 72.0;
/// See [`MARGIN_TOP`].
const MARGIN_BOTTOM: f64 = 0.8 * 72.0;
/// A last line shorter than this share of the measure is short.
const SHORT_LINE: f64 = 0.5;
/// A multi-page document's last page is filled at least this much (the house style's rule; tests check it).
const MIN_LAST_PAGE_FILL: f64 = 0.4;

/// One variant of the house style's spacing: a scale of the vertical spaces between paragraphs, items and headings,
/// a letter-spacing of body text, and whether a closing box that would start a page is dropped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variant {
    /// Scale of vertical spacing.
    pub spacing: f64,
    /// Letter-spacing of body text in points.
    pub tracking: f64,
    /// Whether the boilerplate closing box (the call to action) is set.
    pub closing_box: bool,
    /// The cost of a hyphenation, in percent of Typst's (more or fewer hyphens move a paragraph's line breaks).
    pub hyphenation: u32,
}

/// The house style itself.
pub const HOUSE: Variant = Variant { spacing: 1.0, tracking: 0.0, closing_box: true, hyphenation: 120 };

/// A last page is fitted to at least this share (a little more than [`MIN_LAST_PAGE_FILL`], so a reader's
/// measure of the PDF agrees).
const FIT_LAST_PAGE_FILL: f64 = MIN_LAST_PAGE_FILL + 0.03;

/// Most variants tried for one document after the house style.
const MAX_TRIES: usize = 20;

/// The variants to try after the house style, in order, for the faults it has. A short last page needs the
/// vertical spacing changed (spread the text out, or tighten it to save the page); a page that ends on a hyphen or
/// opens with a short widow needs the line breaks moved (letter-spacing, the cost of hyphens). Both kinds of change
/// combine, the smallest first; dropping the closing box comes last.
pub fn candidates(faults: &Faults) -> Vec<Variant> {
    let short_last = faults.last_fill.is_some_and(|f| f < FIT_LAST_PAGE_FILL);
    let breaks = !faults.hyphen_ends.is_empty() || !faults.widows.is_empty();
    let spacings: &[f64] =
        if short_last { &[1.1, 1.2, 0.9, 1.3, 0.85] } else { &[1.0, 0.95, 1.05, 0.9, 1.1, 1.2, 0.85] };
    let trackings: &[f64] = if breaks { &[0.0, -0.05, 0.05, -0.1] } else { &[0.0] };
    let hyphenations: &[u32] = if breaks { &[120, 300] } else { &[120] };
    let mut out: Vec<(f64, Variant)> = Vec::new();
    for (i, &spacing) in spacings.iter().enumerate() {
        for (j, &tracking) in trackings.iter().enumerate() {
            for (k, &hyphenation) in hyphenations.iter().enumerate() {
                let variant = Variant { spacing, tracking, closing_box: true, hyphenation };
                if variant != HOUSE {
                    out.push(((i + j + k) as f64 + 0.01 * i as f64, variant));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut list: Vec<Variant> = out.into_iter().map(|(_, v)| v).take(MAX_TRIES).collect();
    if short_last {
        for spacing in [1.0, 0.9, 1.1] {
            list.push(Variant { spacing, closing_box: false, ..HOUSE });
        }
    }
    list
}

impl Variant {
    /// The Typst call that sets this variant (`#let fit = house-fit(..)` in a generated source).
    pub fn typst(&self) -> String {
        format!(
            "house-fit(spacing: {}, tracking: {}pt, closing-box: {}, hyphenation: {}%)",
            self.spacing, self.tracking, self.closing_box, self.hyphenation
        )
    }
}

/// How a generated source sets the closing box a variant may drop (templates/house.typ `closing-box`).
pub const CLOSING_BOX: &str = "#closing-box(fit)";

/// The line of a generated source that sets its variant; the fitter replaces it.
pub const FIT_LINE: &str = "#let fit = house-fit()";

/// A document's source with a variant set in place of the house style's default.
pub fn with_variant(source: &str, variant: &Variant) -> String {
    source.replacen(FIT_LINE, &format!("#let fit = {}", variant.typst()), 1)
}

/// What is wrong with how a document breaks across pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Pages (from 1) that end on a hyphenated word.
    pub hyphen_ends: Vec<usize>,
    /// Pages that open with the last one or two lines of a paragraph, the last of them short.
    pub widows: Vec<usize>,
    /// How full the last page is (0 to 1), for a document of more than one page.
    pub last_fill: Option<f64>,
    /// Pages.
    pub pages: usize,
}

impl Faults {
    /// How bad the faults are: each costs one, a last page under 40% full too.
    pub fn count(&self) -> usize {
        self.hyphen_ends.len() + self.widows.len() + usize::from(self.last_fill.is_some_and(|f| f < FIT_LAST_PAGE_FILL))
    }
}

/// One line of body text as laid out: its baseline, its left and right ends, and whether it ends on a hyphen.
#[derive(Debug, Clone)]
struct Line {
    y: f64,
    left: f64,
    right: f64,
    hyphen: bool,
}

/// The faults of a laid-out document. Body lines are those set in the body font and size, in the text column.
pub fn faults(doc: &PagedDocument) -> Faults {
    let pages: Vec<(Vec<Line>, f64, f64)> = doc
        .pages()
        .iter()
        .map(|p| {
            let mut runs = Vec::new();
            let mut bottom = 0.0_f64;
            let height = p.frame.height().to_pt();
            collect(&p.frame, Transform::identity(), &mut runs, &mut bottom, height);
            (lines(runs), bottom, height)
        })
        .collect();
    let right_edge = pages.iter().flat_map(|(ls, _, _)| ls.iter().map(|l| l.right)).fold(0.0_f64, f64::max);
    let left_edge = pages.iter().flat_map(|(ls, _, _)| ls.iter().map(|l| l.left)).fold(f64::MAX, f64::min);
    let measure = right_edge - left_edge;
    let full = |l: &Line| l.right > right_edge - 3.0;
    let mut out = Faults { pages: pages.len(), ..Faults::default() };
    for (i, (ls, _, _)) in pages.iter().enumerate() {
        if ls.last().is_some_and(|l| l.hyphen && full(l)) {
            out.hyphen_ends.push(i + 1);
        }
        let Some(prev) = i.checked_sub(1).and_then(|j| pages[j].0.last()) else { continue };
        if !full(prev) || ls.is_empty() {
            continue;
        }
        // The run of lines at the top of the page, one paragraph's pitch apart.
        let mut run = vec![&ls[0]];
        for l in &ls[1..] {
            if l.y - run[run.len() - 1].y < LINE_PITCH_MAX {
                run.push(l);
            } else {
                break;
            }
        }
        let last = run[run.len() - 1];
        let first_on_page = ls[0].y < MARGIN_TOP + 2.0 * BODY_SIZE + 4.0;
        if first_on_page && run.len() <= 2 && (last.right - last.left) < SHORT_LINE * measure {
            out.widows.push(i + 1);
        }
    }
    if pages.len() > 1
        && let Some((_, bottom, height)) = pages.last()
    {
        let area = height - MARGIN_TOP - MARGIN_BOTTOM;
        out.last_fill = Some(((bottom - MARGIN_TOP) / area).clamp(0.0, 1.0));
    }
    out
}

/// A run of body text: baseline, left and right ends, and whether its text ends with a hyphen.
type Run = (f64, f64, f64, bool);

/// Collects the runs of body text of a frame, and the lowest baseline of any text above the footer.
fn collect(frame: &Frame, ts: Transform, runs: &mut Vec<Run>, bottom: &mut f64, height: f64) {
    for (pos, item) in frame.items() {
        let at = pos.transform(ts);
        match item {
            FrameItem::Group(g) => {
                let inner = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(g.transform);
                collect(&g.frame, inner, runs, bottom, height);
            }
            FrameItem::Text(t) => {
                let y = at.y.to_pt();
                if y < height - MARGIN_BOTTOM && y > MARGIN_TOP {
                    *bottom = bottom.max(y);
                }
                let family = t.font.font().info().family.as_str();
                if family == BODY_FONT && (t.size.to_pt() - BODY_SIZE).abs() < 0.05 {
                    // Where the last visible glyph ends (a justified line may end with a space).
                    let trailing: f64 = t
                        .glyphs
                        .iter()
                        .rev()
                        .take_while(|g| t.text.get(g.range()).is_some_and(|c| c.trim().is_empty()))
                        .map(|g| g.x_advance.at(t.size).to_pt())
                        .sum();
                    let end = Point::new(pos.x + t.width() - typst::layout::Abs::pt(trailing), pos.y).transform(ts);
                    let hyphen = t.text.trim_end().ends_with(['-', '\u{2010}', '\u{ad}']);
                    runs.push((y, at.x.to_pt(), end.x.to_pt(), hyphen));
                }
            }
            // How full a page is, is read from its text: every figure has text under it (its source line).
            FrameItem::Shape(_, _) | FrameItem::Image(..) | FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Runs grouped into lines by baseline, top to bottom; a line's hyphen is its rightmost run's.
fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut out: Vec<Line> = Vec::new();
    for (y, left, right, hyphen) in runs {
        match out.last_mut() {
            Some(l) if (l.y - y).abs() < 1.0 => {
                l.left = l.left.min(left);
                if right >= l.right {
                    l.right = right;
                    l.hyphen = hyphen;
                }
            }
            _ => out.push(Line { y, left, right, hyphen }),
        }
    }
    out
}
