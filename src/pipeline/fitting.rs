//! Copyfitting in the build: a document is typeset with the house style's variants until one breaks across pages
//! without a fault (src/fit.rs), a word a page would end on hyphenated being kept whole; the fitted source is kept,
//! so a meeting pack sets the document the same way.

use typst::World;
use typst::WorldExt;
use typst_layout::PagedDocument;

use super::compile::compile_source;
use crate::fit::{self, Faults, Variant};
use crate::io::sha256;
use crate::project::{JobId, Project};
use crate::typeset::{BriefWorld, TypstDiag};

/// A compiled document: its World, its pages and Typst's warnings.
type Compiled = (BriefWorld, PagedDocument, Vec<TypstDiag>);

/// Rounds of keeping hyphenated words whole for one variant.
const WORD_ROUNDS: usize = 2;

/// How many variants tried (by any thread) an entry of Typst's cache outlives its last use by, while documents are
/// fitted: what the variants share (fonts, charts, shaping) is used by each and stays; a variant's own layout goes.
/// Measured on the shipped matrix, 2 jobs: peak memory 7.4 GiB without it, 1.0 GiB with it, for about 37% more CPU
/// (57 s to 78 s of CPU time); 8 instead of 30 saves 0.2 GiB more for 10% more CPU (BENCHMARKS.md).
const FIT_CACHE_AGE: usize = 30;

/// Compiles a document with the first variant that has no fault (else the one with fewest), and records the fitted
/// source.
pub(super) fn compile_fitted(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
) -> Result<Compiled, Vec<TypstDiag>> {
    if !source.contains(fit::FIT_LINE) {
        return compile_source(project, job, source, charts, &[]);
    }
    let key = sha256(source.as_bytes());
    if let Some(fitted) = known(project, &key) {
        return compile_source(project, job, &fitted, charts, &[]);
    }
    let mut best = fit_words(project, job, source, &fit::HOUSE, charts)?;
    let mut kept = fit::HOUSE;
    // Without a closing box (a meeting pack's documents, sheets that have none), dropping it changes nothing.
    let has_box = source.contains(fit::CLOSING_BOX);
    let mut search = Search { project, job, source, charts, has_box, house_pages: best.0.pages };
    // A sidebar figure the sidebar has no room for is set across the text column, first: the rest is fitted with it
    // there.
    while let Some(&k) = best.0.side_clashes.first() {
        let variant = Variant { places: kept.places.with_column(k), ..kept };
        if variant == kept {
            break;
        }
        best = search.typeset(&variant)?;
        kept = variant;
    }
    search.house_pages = best.0.pages;
    search.place_figures(&mut best, &mut kept)?;
    if best.0.count() > 0 {
        let candidates = fit::candidates(&best.0);
        search.variants(candidates, kept.places, &mut best, &mut kept)?;
    }
    // The variant kept may have moved a sidebar figure where the sidebar has no room: across the text column too.
    search.clear_sides(&mut best, &mut kept)?;
    // A fault still there (a last page a few lines into it, a widow the variants could not move): a sidebar figure
    // set across the text column instead, the last first, moves the page breaks.
    if best.0.count() > 0 {
        let base = kept;
        let moved = best.0.side_figures.iter().rev().map(|&k| Variant { places: base.places.with_column(k), ..base });
        search.first_better(moved.collect::<Vec<_>>(), &mut best, &mut kept)?;
    }
    // The variant kept may have moved a figure past the next section's heading: its figures are placed again.
    if kept != fit::HOUSE {
        search.place_figures(&mut best, &mut kept)?;
    }
    // A figure still past the next heading is issued where its section starts, and the variants are tried again
    // with it there (that place alone may have cost a page, or left the last one short).
    if !best.0.late_figure_ids.is_empty() {
        let places = best.0.late_figure_ids.iter().fold(kept.places, |p, &i| p.with(i, fit::Place::Early));
        let early = Variant { places, ..fit::HOUSE };
        let tried = search.typeset(&early)?;
        let candidates = fit::candidates(&tried.0);
        if tried.0.rank() < best.0.rank() {
            (best, kept) = (tried, early);
        }
        search.variants(candidates, places, &mut best, &mut kept)?;
    }
    // A figure above its own section's heading (text of the section before between them) is tried in the text
    // where it is issued, then at the top of the page; a place stays only if it costs no fault and no page.
    search.open_sections(&mut best, &mut kept)?;
    // A figure floated to the top of a page above the rest of a paragraph is tried in the text where it is issued,
    // then at the foot of the page: the paragraph is read without a figure in its middle.
    let split = best.0.split_figure_ids.clone();
    search.move_figures(&split, &[fit::Place::Inline, fit::Place::Bottom, fit::Place::Early], &mut best, &mut kept)?;
    // Else the page break moved: the vertical spacing a little tighter or looser.
    if !best.0.split_figure_ids.is_empty() {
        search.respace(&mut best, &mut kept)?;
    }
    if std::env::var_os("BRIEFS_FIT_DEBUG").is_some() {
        eprintln!("fitted {}: {} fault(s) {:?}", job.label(), best.0.count(), best.0);
    }
    let (_, compiled, fitted) = best;
    crate::sync::lock(&project.fits).insert(key, fitted);
    Ok(compiled)
}

/// What the variants of one document are tried with.
struct Search<'a> {
    project: &'a Project,
    job: &'a JobId,
    source: &'a str,
    charts: &'a [String],
    /// Whether the source sets a closing box (dropping it changes nothing otherwise).
    has_box: bool,
    /// Pages of the house style's typesetting: the closing box goes, and the body drops to 10 pt, only to save one.
    house_pages: usize,
}

impl Search<'_> {
    /// Typesets the source with `variant` (keeping hyphenated page-end words whole), letting the variant's own
    /// layout age out of Typst's cache.
    fn typeset(&self, variant: &Variant) -> Result<(Faults, Compiled, String), Vec<TypstDiag>> {
        let tried = fit_words(self.project, self.job, self.source, variant, self.charts)?;
        typst::comemo::evict(FIT_CACHE_AGE);
        Ok(tried)
    }

    /// Tries `variants` in order; the first that ranks better than `best` stays (in `best` and `kept`). Whether one
    /// did.
    fn first_better(
        &self,
        variants: impl IntoIterator<Item = Variant>,
        best: &mut (Faults, Compiled, String),
        kept: &mut Variant,
    ) -> Result<bool, Vec<TypstDiag>> {
        for variant in variants {
            let tried = self.typeset(&variant)?;
            if tried.0.rank() < best.0.rank() {
                *best = tried;
                *kept = variant;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Tries each figure of `ids` at each of `places` in turn, with the `kept` variant (a figure's current place is
    /// skipped: it would set the same pages); the first place that ranks better than `best` stays.
    fn move_figures(
        &self,
        ids: &[usize],
        places: &[fit::Place],
        best: &mut (Faults, Compiled, String),
        kept: &mut Variant,
    ) -> Result<(), Vec<TypstDiag>> {
        for &index in ids {
            let base = *kept;
            let moved = places.iter().filter(|&&p| p != base.places.get(index));
            self.first_better(
                moved.map(|&place| Variant { places: base.places.with(index, place), ..base }),
                best,
                kept,
            )?;
        }
        Ok(())
    }

    /// Tries each figure of the `best` typesetting that lands past the next section's heading issued where its section
    /// starts, at the top of its page, then in the text where it is issued. (On the shipped matrix the first succeeds
    /// 249 times out of 255; the bottom of the page never did, so it is not tried.)
    fn place_figures(&self, best: &mut (Faults, Compiled, String), kept: &mut Variant) -> Result<(), Vec<TypstDiag>> {
        let late = best.0.late_figure_ids.clone();
        self.move_figures(&late, &[fit::Place::Early, fit::Place::Top, fit::Place::Inline], best, kept)
    }

    /// Sets each sidebar figure the `best` typesetting has no sidebar room for across the text column, while that
    /// ranks better.
    fn clear_sides(&self, best: &mut (Faults, Compiled, String), kept: &mut Variant) -> Result<(), Vec<TypstDiag>> {
        while let Some(&k) = best.0.side_clashes.first() {
            let variant = Variant { places: kept.places.with_column(k), ..*kept };
            if variant == *kept || !self.first_better([variant], best, kept)? {
                break;
            }
        }
        Ok(())
    }

    /// Tries each figure of the `best` typesetting that lands above its own section's heading in the text where it
    /// is issued, then floated from there to the top of the page.
    fn open_sections(&self, best: &mut (Faults, Compiled, String), kept: &mut Variant) -> Result<(), Vec<TypstDiag>> {
        let early = best.0.early_figure_ids.clone();
        self.move_figures(&early, &[fit::Place::Inline, fit::Place::Top], best, kept)
    }

    /// Tries the `kept` variant with its vertical spacing a little tighter or looser; the first that ranks better than
    /// `best` (a figure fewer in the middle of a paragraph, at no fault and no page) stays.
    fn respace(&self, best: &mut (Faults, Compiled, String), kept: &mut Variant) -> Result<(), Vec<TypstDiag>> {
        let base = *kept;
        self.first_better(
            [0.95, 1.05, 0.9, 1.1].map(|scale| Variant { spacing: base.spacing * scale, ..base }),
            best,
            kept,
        )?;
        Ok(())
    }

    /// Tries `candidates` with the figures at `places`, keeping in `best` (and `kept`) the first without a fault,
    /// else the one with fewest faults, then fewest pages.
    fn variants(
        &self,
        candidates: Vec<Variant>,
        places: fit::Places,
        best: &mut (Faults, Compiled, String),
        kept: &mut Variant,
    ) -> Result<(), Vec<TypstDiag>> {
        for variant in candidates.into_iter().filter(|v| v.closing_box || self.has_box).map(|v| Variant { places, ..v })
        {
            if best.0.count() == 0 {
                break;
            }
            let tried = self.typeset(&variant)?;
            let allowed = (variant.closing_box && variant.size == fit::HOUSE.size) || tried.0.pages < self.house_pages;
            if allowed && tried.0.rank() < best.0.rank() {
                *best = tried;
                *kept = variant;
            }
        }
        Ok(())
    }
}

/// Compiles `base` set with `variant`, then keeps whole the words the pages end on hyphenated (up to
/// [`WORD_ROUNDS`] times, while that does not make the faults worse): its faults, the compiled document and the
/// fitted source.
fn fit_words(
    project: &Project,
    job: &JobId,
    base: &str,
    variant: &Variant,
    charts: &[String],
) -> Result<(Faults, Compiled, String), Vec<TypstDiag>> {
    let mut base = base.to_string();
    let mut text = fit::with_variant(&base, variant);
    let mut compiled = compile_source(project, job, &text, charts, &[])?;
    let mut faults = fit::faults(&compiled.1);
    debug(job, variant, &faults);
    for _ in 0..WORD_ROUNDS {
        if faults.hyphen_words.is_empty() {
            break;
        }
        // Positions in the set source less the longer variant line above them are positions in the base source.
        let shift = text.len() as isize - base.len() as isize;
        let world = &compiled.0;
        let positions: Vec<usize> = faults
            .hyphen_words
            .iter()
            .filter(|(span, _)| span.id() == Some(world.main()))
            .filter_map(|(span, offset)| world.range(*span).map(|r| r.start as isize + *offset as isize - shift))
            .filter_map(|p| usize::try_from(p).ok())
            .collect();
        let fixed = fit::keep_words_whole(&base, &positions);
        if fixed == base {
            break;
        }
        let next_text = fit::with_variant(&fixed, variant);
        let next = compile_source(project, job, &next_text, charts, &[])?;
        let next_faults = fit::faults(&next.1);
        debug(job, variant, &next_faults);
        if next_faults.count() > faults.count() {
            break;
        }
        (base, text, compiled, faults) = (fixed, next_text, next, next_faults);
    }
    Ok((faults, compiled, text))
}

/// Prints each variant tried and its faults when `BRIEFS_FIT_DEBUG` is set (for maintainers tuning the house style);
/// the variant kept is printed as `fitted`.
fn debug(job: &JobId, variant: &Variant, faults: &Faults) {
    if std::env::var_os("BRIEFS_FIT_DEBUG").is_some() {
        eprintln!(
            "fit {}: {variant:?} hyphen ends {:?}, widows {:?}, stranded {:?}, holes {:?}, late figures {:?}, early figures {:?}, split by figures {:?}, side clashes {:?}, last page {:.2}, {} pages, fills {:.2?}",
            job.label(),
            faults.hyphen_ends,
            faults.widows,
            faults.stranded,
            faults.holes,
            faults.late_figures,
            faults.early_figure_ids,
            faults.split_figure_ids,
            faults.side_clashes,
            faults.last_fill.unwrap_or(1.0),
            faults.pages,
            faults.fills
        );
    }
}

/// A document's source as copyfitting sets it (for a meeting pack), fitting it first if no build has yet.
pub(super) fn fitted_source(
    project: &Project,
    job: &JobId,
    source: &str,
    charts: &[String],
) -> Result<String, Vec<TypstDiag>> {
    if !source.contains(fit::FIT_LINE) {
        return Ok(source.to_string());
    }
    let key = sha256(source.as_bytes());
    if let Some(fitted) = known(project, &key) {
        return Ok(fitted);
    }
    compile_fitted(project, job, source, charts)?;
    Ok(known(project, &key).unwrap_or_else(|| fit::with_variant(source, &fit::HOUSE)))
}

/// The fitted source recorded for a source, if any.
fn known(project: &Project, key: &str) -> Option<String> {
    crate::sync::lock(&project.fits).get(key).cloned()
}
