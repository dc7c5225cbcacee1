//! `briefs`: YAML fact sheets and indicator data into print-quality PDF briefings.
//!
//! The modules in pipeline order; a module uses only those above it:
//! `diag`, `escape`, `io` (reading files); `model` (data/); `format`, `locale`, `citation` (words and figures);
//! `fonts`, `charts`; `render` (templates to Typst); `typeset` (Typst to PDF), `pages` (page images);
//! `output` (atomic writes, manifest); `project`, `trace`; `commands` (one per subcommand); `cli`.

mod charts;
mod citation;
mod cli;
mod commands;
mod diag;
mod escape;
mod fonts;
mod format;
mod io;
mod locale;
mod model;
mod output;
mod pages;
mod project;
mod render;
mod trace;
mod typeset;

fn main() {
    std::process::exit(cli::run());
}
