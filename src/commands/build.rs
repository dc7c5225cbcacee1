//! `briefs build`: render, typeset and write every selected document, then the manifest (the pipeline does it), and
//! say what was built.

use super::{Failure, Output};
use crate::pipeline::{self, BuildConfig, Summary};

/// Runs a build and says what it did (with `timings`, where the time went).
pub fn run(cfg: &BuildConfig, timings: bool) -> Result<Output, Failure> {
    pipeline::run(cfg).map(|s| output(s, cfg, timings))
}

/// The summary line (and, with `timings`, where the time went).
pub fn output(summary: Summary, cfg: &BuildConfig, timings: bool) -> Output {
    let s = summary;
    let mut summary = vec![format!(
        "built {} document(s): {} written, {} unchanged, 0 failed; {} pages, {:.1} MiB in {:.1}s -> {}",
        s.written + s.unchanged,
        s.written,
        s.unchanged,
        s.pages,
        s.bytes as f64 / 1_048_576.0,
        s.seconds,
        cfg.out.join("manifest.json").display()
    )];
    if let Some((shard, total)) = s.shard {
        summary.push(format!(
            "shard {shard}: {} of the matrix's {total} document(s); gather the shards with `briefs merge`",
            s.written + s.unchanged
        ));
    }
    if s.swept > 0 {
        summary.push(format!(
            "removed {} temp file(s) an interrupted build had left in {}",
            s.swept,
            cfg.out.display()
        ));
    }
    if timings {
        let own = s.load_seconds + s.render_seconds;
        let ratio = if s.typeset_seconds > 0.0 { 100.0 * own / s.typeset_seconds } else { 0.0 };
        summary.push(format!(
            "timings: load+charts {:.0} ms, render {:.0} ms, typst compile+export {:.0} ms (summed over threads); ours/typst = {ratio:.1}%",
            s.load_seconds * 1000.0,
            s.render_seconds * 1000.0,
            s.typeset_seconds * 1000.0,
        ));
        if s.packs > 0 {
            summary.push(format!(
                "timings: {} meeting pack(s) typeset in {:.0} ms, {:.0} ms each (part of the typst time above)",
                s.packs,
                s.pack_seconds * 1000.0,
                s.pack_seconds * 1000.0 / s.packs as f64,
            ));
        }
    }
    Output { summary, warnings: s.warnings, ..Output::default() }
}
