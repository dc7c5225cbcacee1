//! The `briefs` command: everything is in the library; `cli::run` parses, dispatches and prints.

fn main() {
    std::process::exit(briefs::cli::run());
}
