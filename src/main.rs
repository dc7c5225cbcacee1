//! `briefs`: YAML fact sheets and indicator data into print-quality PDF briefings.

mod charts;
mod cli;
mod commands;
mod diag;
mod escape;
mod format;
mod locale;
mod model;
mod output;
mod pack;
mod project;
mod render;
mod typeset;

fn main() {
    std::process::exit(cli::run());
}
