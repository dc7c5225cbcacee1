//! `briefs`: YAML fact sheets and indicator data into print-quality PDF briefings.
//!
//! The modules in pipeline order; a module uses only those above it (`tests/it/architecture.rs` checks it):
//! `diag`, `escape`, `placeholder` (the grammar of locale texts), `sync` (locks), `ids` (locale tags, audience
//! and document ids, document kinds); `io` (reading files), `binary`
//! (which build is running), `yamlspan` (where YAML values are written; in-place edits); `model` (data/);
//! `format`, `locale`, `citation` (words and figures), `xliff` (the translators' exchange format); `fonts`,
//! `charts`; `render` (templates to Typst); `typeset` (Typst to PDF), `fit` (copyfitting), `pages` (page images);
//! `output` (atomic writes, manifest); `project` (everything loaded once, the build matrix); `trace` (Typst
//! problems traced to templates), `diff` (two editions compared), `outcome` (what a command gives); `pipeline`
//! (select and lock, build each document on the pool, gather, write the manifest; the typesetting order and
//! shards); `commands` (one per subcommand); `cli`.

pub mod binary;
pub mod charts;
pub mod citation;
pub mod cli;
pub mod commands;
pub mod diag;
pub mod diff;
pub mod escape;
pub mod fit;
pub mod fonts;
pub mod format;
pub mod ids;
pub mod io;
pub mod locale;
pub mod model;
pub mod outcome;
pub mod output;
pub mod pages;
pub mod pipeline;
pub mod placeholder;
pub mod project;
pub mod render;
pub mod sync;
pub mod trace;
pub mod typeset;
pub mod xliff;
pub mod yamlspan;
