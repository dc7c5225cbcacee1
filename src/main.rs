//! `briefs`: YAML fact sheets and indicator data into print-quality PDF briefings.
//!
//! The modules in pipeline order; a module uses only those above it:
//! `diag`, `escape`, `placeholder` (the grammar of locale texts), `io` (reading files), `yamlspan` (where YAML
//! values are written; in-place edits); `model` (data/); `format`, `locale`, `citation` (words and figures), `xliff` (the translators' exchange format);
//! `fonts`, `charts`; `render` (templates to Typst); `typeset` (Typst to PDF), `pages` (page images); `output` (atomic
//! writes, manifest); `project`, `shard` (the order documents
//! are typeset in, shards); `trace`; `commands` (one per subcommand); `cli`.

mod charts;
mod citation;
mod cli;
mod commands;
mod diag;
mod escape;
mod fit;
mod fonts;
mod format;
mod io;
mod locale;
mod model;
mod output;
mod pages;
mod placeholder;
mod project;
mod render;
mod shard;
mod trace;
mod typeset;
mod xliff;
mod yamlspan;

fn main() {
    std::process::exit(cli::run());
}
