//! Copyfitting: how a laid-out document breaks across pages, and the house-style variant that breaks it best.
//!
//! Typst keeps figures whole, headings with what follows and single lines from being left alone. What it cannot
//! see is read here from the laid-out pages: a page that ends on a hyphenated word, a page that opens with the last
//! one or two lines of a paragraph the last of which is short, and a last page under 40% full. A document is typeset
//! with small variants of the house style's vertical spacing and letter spacing (README, "House style") until one
//! has none of these faults; the first variant is the house style itself.

use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::syntax::Span;
use typst_layout::PagedDocument;

mod marks;

/// Size of body text in points (templates/house.typ `body-size`), and its copyfitting alternative.
const BODY_SIZES: [f64; 2] = [10.5, 10.0];
/// See [`BODY_SIZES`].
const BODY_SIZE: f64 = 10.5;
/// The body font (templates/house.typ `serif`).
const BODY_FONT: &str = "Caladea";
/// Distance between the baselines of two lines of one paragraph, in points, with some slack.
const LINE_PITCH_MAX: f64 = 15.5;
/// Top and bottom page margins in points (templates/house.typ `grid-top`, `grid-bottom`).
const MARGIN_TOP: f64 = 0.85 * 72.0;
/// See [`MARGIN_TOP`].
const MARGIN_BOTTOM: f64 = 0.8 * 72.0;
/// The right edge of the text column in points (templates/house.typ `grid-left` + `grid-measure`): text that
/// starts beyond it is in the sidebar, which does not fill a page.
const COLUMN_RIGHT: f64 = (0.75 + 4.55) * 72.0;
/// A last line shorter than this share of the measure is short.
const SHORT_LINE: f64 = 0.5;
/// A multi-page document's last page is filled at least this much (the house style's rule; tests check it).
const MIN_LAST_PAGE_FILL: f64 = 0.4;
/// A page before the last is filled at least this much (by its lowest line of text): a figure that moves on leaves
/// no more than a quarter of a page empty (a bottom float's source line sits a little above the margin).
pub const MIN_PAGE_FILL: f64 = 0.75;

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
    /// Body type size in points: 10.5, or 10 where that saves a page or moves a stubborn break (never smaller).
    pub size: f64,
    /// Where each figure goes, in the order the figures are issued.
    pub places: Places,
}

/// Where a figure goes on its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    /// The top or the bottom of the page, whichever is nearer to where it is issued (Typst's `auto`).
    #[default]
    Auto,
    /// The top of the page (of the next, if it does not fit).
    Top,
    /// The bottom of the page (of the next, if it does not fit).
    Bottom,
    /// In the text, where it is issued (on the next page, if it does not fit).
    Inline,
    /// Issued where its section starts instead of where the text issues it: the top of that page or the next.
    Early,
}

/// Most figures of one document whose place copyfitting sets; the others float as the house style sets them.
const MAX_PLACED: usize = 12;

/// Where each of a document's figures goes, in the order they are issued, and which sidebar figures (bit `k - 1` for
/// figure `k`) are set across the text column instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Places([Place; MAX_PLACED], u32);

impl Places {
    /// Every figure where the house style puts it.
    pub const AUTO: Places = Places([Place::Auto; MAX_PLACED], 0);

    /// These places with figure `index` (from 0) put at `place`; unchanged past [`MAX_PLACED`] figures.
    pub fn with(mut self, index: usize, place: Place) -> Places {
        if let Some(slot) = self.0.get_mut(index) {
            *slot = place;
        }
        self
    }

    /// These places with sidebar figure `k` (from 1) set across the text column; unchanged past 32.
    pub fn with_column(mut self, k: usize) -> Places {
        if (1..=32).contains(&k) {
            self.1 |= 1 << (k - 1);
        }
        self
    }

    /// The Typst array of the sidebar figures set across the text column (`(2, 5,)`).
    fn columns(&self) -> String {
        let ks: Vec<String> = (1..=32).filter(|k| self.1 & (1 << (k - 1)) != 0).map(|k| k.to_string()).collect();
        format!("({},)", ks.join(", "))
    }

    /// Where figure `index` (from 0) is put.
    pub fn get(&self, index: usize) -> Place {
        self.0.get(index).copied().unwrap_or(Place::Auto)
    }

    /// The Typst array of places (`(auto, top, "inline")`), up to the last figure not at `auto`.
    fn typst(&self) -> String {
        let used = self.0.iter().rposition(|p| *p != Place::Auto).map_or(0, |i| i + 1);
        let items: Vec<&str> = self.0[..used]
            .iter()
            .map(|p| match p {
                Place::Auto => "auto",
                Place::Top => "top",
                Place::Bottom => "bottom",
                Place::Inline => "\"inline\"",
                Place::Early => "\"early\"",
            })
            .collect();
        format!("({},)", items.join(", "))
    }
}

/// The house style itself.
pub const HOUSE: Variant =
    Variant { spacing: 1.0, tracking: 0.0, closing_box: true, hyphenation: 120, size: 10.5, places: Places::AUTO };

/// A last page is fitted to at least this share (a little more than [`MIN_LAST_PAGE_FILL`], so a reader's
/// measure of the PDF agrees).
const FIT_LAST_PAGE_FILL: f64 = MIN_LAST_PAGE_FILL + 0.01;

/// Most variants tried for one document after the house style.
const MAX_TRIES: usize = 28;

/// The variants to try after the house style, in order, for the faults it has. A short last page needs the
/// vertical spacing changed (tighten it to save the page first, else spread the text out); a page that ends on a hyphen or
/// opens with a short widow needs the line breaks moved (letter-spacing, the cost of hyphens). Both kinds of change
/// combine, the smallest first; dropping the closing box comes last.
pub fn candidates(faults: &Faults) -> Vec<Variant> {
    let short_last = faults.last_fill.is_some_and(|f| f < FIT_LAST_PAGE_FILL);
    let breaks = !faults.hyphen_ends.is_empty() || !faults.widows.is_empty() || !faults.stranded.is_empty();
    // A hole alone: a figure moved on. Tighter or looser spacing, or the smaller body, moves the text it follows.
    if !short_last && !breaks {
        return [(0.9, HOUSE.size), (1.1, HOUSE.size), (1.0, 10.0), (0.9, 10.0), (1.2, HOUSE.size)]
            .into_iter()
            .map(|(spacing, size)| Variant { spacing, size, ..HOUSE })
            .collect();
    }
    let spacings: &[f64] =
        if short_last { &[0.9, 1.1, 0.85, 1.2, 1.3, 1.4] } else { &[1.0, 0.95, 1.05, 0.9, 1.1, 1.2, 0.85] };
    let trackings: &[f64] = if breaks { &[0.0, -0.05, 0.05, -0.1] } else { &[0.0, -0.05] };
    let hyphenations: &[u32] = if breaks { &[120, 300] } else { &[120] };
    let mut out: Vec<(f64, Variant)> = Vec::new();
    for (i, &spacing) in spacings.iter().enumerate() {
        for (j, &tracking) in trackings.iter().enumerate() {
            for (k, &hyphenation) in hyphenations.iter().enumerate() {
                let variant = Variant { spacing, tracking, hyphenation, ..HOUSE };
                if variant != HOUSE {
                    out.push(((i + j + k) as f64 + 0.01 * i as f64, variant));
                }
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut list: Vec<Variant> = out.into_iter().map(|(_, v)| v).take(MAX_TRIES).collect();
    if short_last {
        // A page saved first: tighter spacing, then the boilerplate closing box dropped, then the body a half point
        // smaller (10 pt, the house style's least, a longer line); the build keeps either only when it saves a page.
        // Only then is the text spread out to fill the last page.
        let (tighter, looser): (Vec<Variant>, Vec<Variant>) = list.into_iter().partition(|v| v.spacing < 1.0);
        list = tighter;
        for spacing in [1.0, 0.9, 1.1] {
            list.push(Variant { spacing, closing_box: false, ..HOUSE });
        }
        for spacing in [1.0, 0.9, 1.1, 0.85] {
            for tracking in [0.0, -0.05] {
                list.push(Variant { spacing, tracking, size: 10.0, ..HOUSE });
            }
        }
        // All three together, for a text a few lines too long: the closing strip alone on a last page.
        for (spacing, tracking) in [(0.9, 0.0), (0.85, -0.05)] {
            list.push(Variant { spacing, tracking, size: 10.0, closing_box: false, ..HOUSE });
        }
        list.extend(looser);
    }
    list
}

impl Variant {
    /// The Typst call that sets this variant (`#let fit = house-fit(..)` in a generated source).
    pub fn typst(&self) -> String {
        let mut places =
            if self.places.0 == Places::AUTO.0 { String::new() } else { format!(", places: {}", self.places.typst()) };
        if self.places.1 != 0 {
            places.push_str(&format!(", side-columns: {}", self.places.columns()));
        }
        format!(
            "house-fit(spacing: {}, tracking: {}pt, closing-box: {}, hyphenation: {}%, size: {}pt{places})",
            self.spacing, self.tracking, self.closing_box, self.hyphenation, self.size
        )
    }
}

/// How a generated source sets the closing box a variant may drop (templates/house.typ `closing-box`).
pub const CLOSING_BOX: &str = "#closing-box(fit)";

/// A source with a word kept whole at each of `positions` (byte offsets of a letter of the word): the word, with a
/// hyphen inside it written `\-`, goes in a `#box[..];`, so a page no longer ends on it hyphenated. Positions that
/// are not inside a word of plain markup are left alone.
pub fn keep_words_whole(source: &str, positions: &[usize]) -> String {
    let bytes = source.as_bytes();
    let letter = |i: usize| source[i..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '’' || c == '\'');
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for &p in positions {
        if p >= source.len() || !source.is_char_boundary(p) || !letter(p) {
            continue;
        }
        let mut start = p;
        while let Some(prev) = source[..start].chars().next_back() {
            let before = start - prev.len_utf8();
            if letter(before) {
                start = before;
            } else if prev == '-' && before > 0 && bytes[before - 1] == b'\\' && before >= 2 && letter(before - 2) {
                start = before - 1;
            } else {
                break;
            }
        }
        let mut end = p;
        while let Some(c) = source[end..].chars().next() {
            if letter(end) {
                end += c.len_utf8();
            } else if source[end..].starts_with("\\-") && end + 2 < source.len() && letter(end + 2) {
                end += 2;
            } else {
                break;
            }
        }
        // Already kept whole, or not plain text (a call's name or an argument): leave it.
        let opens_call = source[..start].ends_with('#') || source[..start].ends_with('.');
        if start < end && !opens_call && !ranges.iter().any(|(a, b)| start < *b && *a < end) {
            ranges.push((start, end));
        }
    }
    ranges.sort();
    let mut out = String::with_capacity(source.len() + 12 * ranges.len());
    let mut at = 0;
    for (a, b) in ranges {
        out.push_str(&source[at..a]);
        out.push_str("#box[");
        out.push_str(&source[a..b]);
        out.push_str("];");
        at = b;
    }
    out.push_str(&source[at..]);
    out
}

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
    /// Where in the source each of those words is: the span and offset of its letter before the hyphen.
    pub hyphen_words: Vec<(Span, u16)>,
    /// Pages that open with the last one or two lines of a paragraph, the last of them short.
    pub widows: Vec<usize>,
    /// Pages that end on a heading with fewer than two lines of text under it, or on a lead-in (a colon).
    pub stranded: Vec<usize>,
    /// Pages on which a figure lands past the heading of the section after the one that issues it.
    pub late_figures: Vec<usize>,
    /// Which figures those are (from 0, in the order they are issued).
    pub late_figure_ids: Vec<usize>,
    /// Figures (from 0) that land above their own section's heading with text of the section before between them.
    /// Not counted as a fault: of two typesettings with as many faults and pages, the one with fewer wins.
    pub early_figure_ids: Vec<usize>,
    /// Figures (from 0) floated to the top of a page above the rest of a paragraph or list item the page before
    /// breaks: the reader reads across the figure. Not counted as a fault (as [`Faults::early_figure_ids`]).
    pub split_figure_ids: Vec<usize>,
    /// Sidebar figures (from 1) the sidebar has no room for where they are issued (they overlap what it holds, or run
    /// past the page's foot).
    pub side_clashes: Vec<usize>,
    /// Sidebar figures (from 1) set in the sidebar. Not a fault: copyfitting may set one across the text column to
    /// fill a short last page.
    pub side_figures: Vec<usize>,
    /// Pages before the last that are less than [`MIN_PAGE_FILL`] full: a hole left where a figure moved on.
    pub holes: Vec<usize>,
    /// How full each page is (0 to 1), by its lowest line of text in the text column.
    pub fills: Vec<f64>,
    /// How full the last page is (0 to 1), for a document of more than one page.
    pub last_fill: Option<f64>,
    /// Pages.
    pub pages: usize,
}

impl Faults {
    /// How bad the faults are: each costs one, a last page under 40% full too, and a sidebar figure without room
    /// three (it overlaps what the sidebar holds, or sits beside the next section: setting it across the text column
    /// is worth a widow or a page).
    pub fn count(&self) -> usize {
        self.hyphen_ends.len()
            + self.widows.len()
            + self.stranded.len()
            + self.holes.len()
            + self.late_figures.len()
            + 3 * self.side_clashes.len()
            + usize::from(self.last_fill.is_some_and(|f| f < FIT_LAST_PAGE_FILL))
    }

    /// How a typesetting ranks against another (lower is better): faults, then pages, then figures above their own
    /// section or in the middle of a paragraph.
    pub fn rank(&self) -> (usize, usize, usize) {
        (self.count(), self.pages, self.early_figure_ids.len() + self.split_figure_ids.len())
    }
}

/// One line of body text as laid out: its baseline, its left and right ends, and, if it ends on a hyphen, where
/// the hyphenated word's last letter before the hyphen comes from.
#[derive(Debug, Clone)]
struct Line {
    y: f64,
    left: f64,
    right: f64,
    hyphen: Option<(Span, u16)>,
    /// Whether it ends with a colon: a lead-in to a list or to what follows.
    colon: bool,
    /// Whether it ends a sentence (a full stop, a question or exclamation mark, a colon or semicolon, perhaps
    /// before a closing quote or bracket): a line that does not, goes on on the next line.
    terminal: bool,
}

/// What is read of one laid-out page.
#[derive(Default)]
struct Read {
    /// Runs of body text.
    runs: Vec<Run>,
    /// The baselines of text, and feet of charts, in the text column above the footer.
    marks: Vec<f64>,
    /// The page's height.
    height: f64,
}

/// The faults of a laid-out document. Body lines are those set in the body font and size, in the text column.
pub fn faults(doc: &PagedDocument) -> Faults {
    let ends = marks::heading_ends(doc);
    let strips = marks::closing_strips(doc);
    let pages: Vec<(Vec<Line>, f64, Vec<f64>)> = doc
        .pages()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut read = Read { height: p.frame.height().to_pt(), ..Read::default() };
            collect(&p.frame, Transform::identity(), &mut read);
            let headings = ends.iter().filter(|(page, _)| *page == i + 1).map(|(_, y)| *y).collect();
            // How full the page is: how far down its text goes, and on the last page the closing strip at its
            // foot (the blank between them does not count).
            let area = read.height - MARGIN_TOP - MARGIN_BOTTOM;
            let strip = strips.iter().find(|(page, _)| *page == i + 1).map(|(_, y)| *y - 2.0);
            let above = strip.unwrap_or(f64::MAX);
            let bottom = read.marks.iter().copied().filter(|y| *y < above).fold(MARGIN_TOP, f64::max);
            let strip_height = strip.map_or(0.0, |y| (read.height - MARGIN_BOTTOM - y).max(0.0));
            let fill = ((bottom - MARGIN_TOP + strip_height) / area).clamp(0.0, 1.0);
            (lines(read.runs), fill, headings)
        })
        .collect();
    let right_edge = pages.iter().flat_map(|(ls, ..)| ls.iter().map(|l| l.right)).fold(0.0_f64, f64::max);
    let left_edge = pages.iter().flat_map(|(ls, ..)| ls.iter().map(|l| l.left)).fold(f64::MAX, f64::min);
    let measure = right_edge - left_edge;
    let full = |l: &Line| l.right > right_edge - 3.0;
    let mut out = Faults { pages: pages.len(), ..Faults::default() };
    for (i, (ls, _, headings)) in pages.iter().enumerate() {
        if let Some(word) = ls.last().filter(|l| full(l)).and_then(|l| l.hyphen) {
            out.hyphen_ends.push(i + 1);
            out.hyphen_words.push(word);
        }
        // A heading low on the page with fewer than two lines under it, while the text goes on overleaf.
        if let Some(&h) = headings.iter().max_by(|a, b| a.total_cmp(b))
            && ls.iter().filter(|l| l.y > h).count() < 2
            && pages.get(i + 1).is_some_and(|next| !next.0.is_empty())
            && ls.iter().any(|l| l.y < h)
        {
            out.stranded.push(i + 1);
        }
        // A lead-in ("…these objectives:") as the page's last words, its list overleaf.
        if ls.last().is_some_and(|l| l.colon)
            && pages.get(i + 1).is_some_and(|next| !next.0.is_empty())
            && !out.stranded.contains(&(i + 1))
        {
            out.stranded.push(i + 1);
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
    for (i, (lines, fill, _)) in pages.iter().enumerate() {
        let fill = *fill;
        out.fills.push(fill);
        // A page of body text (not a sheet of tiles) before the last.
        if i + 1 < pages.len() && !lines.is_empty() && fill < MIN_PAGE_FILL {
            out.holes.push(i + 1);
        }
    }
    if pages.len() > 1
        && let Some((_, fill, _)) = pages.last()
    {
        out.last_fill = Some(*fill);
    }
    (out.late_figure_ids, out.late_figures) = marks::late_figures(doc).into_iter().unzip();
    out.early_figure_ids = marks::early_figures(doc);
    out.side_clashes = marks::side_clashes(doc);
    out.side_figures = marks::side_figures(doc);
    // A figure at the top of a page whose page before ends inside a paragraph or a list item (on a full line, or on
    // one that ends no sentence): the text goes on under the figure.
    let open = |l: &Line| full(l) || !l.terminal;
    for (k, (page, y)) in marks::figures_placed(doc) {
        let before = page.checked_sub(2).and_then(|j| pages.get(j)).and_then(|p| p.0.last());
        if y < MARGIN_TOP + 6.0 && before.is_some_and(open) && pages.get(page - 1).is_some_and(|p| !p.0.is_empty()) {
            out.split_figure_ids.push(k);
        }
    }
    out.split_figure_ids.sort_unstable();
    out.split_figure_ids.dedup();
    out
}

/// Where a letter comes from in the source: its span and the offset in it.
type Letter = Option<(Span, u16)>;

/// A run of body text: baseline, left and right ends, whether its text ends with a hyphen, the source of its last
/// letter (a hyphen added by hyphenation may be a run of its own, after the run of the word it breaks), and whether
/// it ends with a colon (a lead-in to what follows) and whether it ends a sentence.
type Run = (f64, f64, f64, bool, Letter, bool, bool);

/// Collects a frame's runs of body text and the lowest baseline of any text above the footer.
fn collect(frame: &Frame, ts: Transform, read: &mut Read) {
    let height = read.height;
    for (pos, item) in frame.items() {
        let at = pos.transform(ts);
        match item {
            FrameItem::Group(g) => {
                let inner = ts.pre_concat(Transform::translate(pos.x, pos.y)).pre_concat(g.transform);
                collect(&g.frame, inner, read);
            }
            FrameItem::Text(t) => {
                let y = at.y.to_pt();
                // A baseline may sit a little below the body area's foot (a bottom float's last line).
                if y < height - MARGIN_BOTTOM + 6.0 && y > MARGIN_TOP && at.x.to_pt() < COLUMN_RIGHT {
                    read.marks.push(y);
                }
                let family = t.font.font().info().family.as_str();
                if family == BODY_FONT && BODY_SIZES.iter().any(|b| (t.size.to_pt() - b).abs() < 0.05) {
                    // Where the last visible glyph ends (a justified line may end with a space).
                    let trailing: f64 = t
                        .glyphs
                        .iter()
                        .rev()
                        .take_while(|g| t.text.get(g.range()).is_some_and(|c| c.trim().is_empty()))
                        .map(|g| g.x_advance.at(t.size).to_pt())
                        .sum();
                    let end = Point::new(pos.x + t.width() - typst::layout::Abs::pt(trailing), pos.y).transform(ts);
                    let ends_hyphen = t.text.trim_end().ends_with(['-', '\u{2010}', '\u{ad}']);
                    let letter = t
                        .glyphs
                        .iter()
                        .rev()
                        .find(|g| t.text.get(g.range()).is_some_and(|c| c.chars().all(char::is_alphanumeric)))
                        .map(|g| g.span);
                    let colon = t.text.trim_end().ends_with(':');
                    let terminal = ends_sentence(&t.text);
                    read.runs.push((y, at.x.to_pt(), end.x.to_pt(), ends_hyphen, letter, colon, terminal));
                }
            }
            // A chart (an SVG image) fills the page down to its foot: its note may be in the sidebar.
            FrameItem::Image(_, size, _) => {
                let foot = Point::new(pos.x, pos.y + size.y).transform(ts).y.to_pt();
                if at.x.to_pt() < COLUMN_RIGHT && foot < height - MARGIN_BOTTOM + 6.0 && at.y.to_pt() > MARGIN_TOP {
                    read.marks.push(foot);
                }
            }
            // Otherwise how full a page is, is read from its text: every figure has text under it.
            FrameItem::Shape(_, _) | FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Whether a run of text ends a sentence: its last visible character a full stop, a question or exclamation mark,
/// a colon, a semicolon or an ellipsis, perhaps followed by closing quotes or brackets.
fn ends_sentence(text: &str) -> bool {
    let mut chars = text
        .trim_end()
        .chars()
        .rev()
        .skip_while(|c| matches!(c, '”' | '»' | '"' | '’' | ')' | ']' | '\u{a0}' | '\u{202f}'));
    chars.next().is_some_and(|c| matches!(c, '.' | '!' | '?' | ':' | ';' | '…'))
}

/// Runs grouped into lines by baseline, top to bottom; a line ends on a hyphen when its rightmost run does, and
/// the hyphenated word's letter is the last letter of the line.
fn lines(mut runs: Vec<Run>) -> Vec<Line> {
    runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    // (line, whether its rightmost run ends on a hyphen, its last letter so far)
    let mut out: Vec<(Line, bool, Letter)> = Vec::new();
    for (y, left, right, ends_hyphen, letter, colon, terminal) in runs {
        match out.last_mut() {
            Some((l, hyphen, last)) if (l.y - y).abs() < 1.0 => {
                l.left = l.left.min(left);
                if right >= l.right {
                    l.right = right;
                    l.colon = colon;
                    l.terminal = terminal;
                    *hyphen = ends_hyphen;
                }
                if letter.is_some() {
                    *last = letter;
                }
            }
            _ => out.push((Line { y, left, right, hyphen: None, colon, terminal }, ends_hyphen, letter)),
        }
    }
    out.into_iter()
        .map(|(mut l, hyphen, letter)| {
            l.hyphen = if hyphen { letter } else { None };
            l
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_kept_whole_where_a_page_ended_on_it() {
        let src = "- the competitiveness of agro\\-industrial trade";
        let at = src.find("titive").unwrap();
        assert_eq!(keep_words_whole(src, &[at]), "- the #box[competitiveness]; of agro\\-industrial trade");
        let at = src.find("industrial").unwrap() + 2;
        assert_eq!(keep_words_whole(src, &[at]), "- the competitiveness of #box[agro\\-industrial]; trade");
        // Not a letter, a call's name, or twice the same word: left alone or wrapped once.
        assert_eq!(keep_words_whole("#strong[x] y", &[1]), "#strong[x] y");
        assert_eq!(keep_words_whole("ab cd", &[0, 1]), "#box[ab]; cd");
        assert_eq!(keep_words_whole("ab", &[9]), "ab");
    }

    #[test]
    fn a_line_ends_a_sentence_on_its_punctuation() {
        for ended in ["in 2025.", "(OICA, 2024).", "« la région ».", "these objectives:", "why? ", "mines;"] {
            assert!(ends_sentence(ended), "{ended}");
        }
        for open in ["se origina en", "Estados Unidos,", "(OICA, 2024)", "manu-", ""] {
            assert!(!ends_sentence(open), "{open}");
        }
    }
}
