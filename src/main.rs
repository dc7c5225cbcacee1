//! `briefs`: YAML fact sheets and indicator data into print-quality PDF briefings.

mod charts;
mod cli;
mod commands;
mod diag;
mod escape;
mod fingerprint;
mod format;
mod locale;
mod model;
mod output;
mod placeholder;
mod project;
mod render;
mod textcheck;
mod typeset;
mod xliff;
mod yamlspan;

fn main() {
    std::process::exit(cli::run());
}
