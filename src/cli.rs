//! Command line: flags parsed by clap, checked into configs, dispatched to one command each.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::{self, build::BuildConfig, check::CheckConfig};
use crate::diag::Report;
use crate::project::Selection;

/// Turns YAML fact sheets and indicator data into print-quality PDF briefings.
#[derive(Parser, Debug)]
#[command(name = "briefs", version, about)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build PDFs for every selected document, audience and locale.
    Build {
        /// Project root (holds data/, templates/, locales/, fonts/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Out folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Documents to build (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        doc: Vec<String>,
        /// Locales to build (comma-separated tags).
        #[arg(long, value_delimiter = ',')]
        locale: Vec<String>,
        /// Audiences to build (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        audience: Vec<String>,
        /// Also write each generated Typst source and its charts here.
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// Final build: refuse provisional figures and warnings; write PDF/A-2b.
        #[arg(long = "final")]
        final_build: bool,
        /// Rebuild documents whose inputs did not change.
        #[arg(long)]
        force: bool,
        /// Parallel jobs (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
    },
    /// Validate data, locales and templates without writing PDFs.
    Check {
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as a final build would (provisional figures and warnings are errors).
        #[arg(long = "final")]
        final_build: bool,
        /// Print translation coverage per locale.
        #[arg(long)]
        i18n: bool,
    },
    /// List the documents, audiences and locales a build would produce.
    List {
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write every chart as standalone SVG and PNG per locale.
    Charts {
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Out folder (charts go to OUT/charts/<locale>/).
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Locales (comma-separated tags).
        #[arg(long, value_delimiter = ',')]
        locale: Vec<String>,
    },
}

/// Prints a report of problems to stderr.
fn print_report(root: &std::path::Path, report: &Report) {
    eprintln!("{}", report.render(root));
    let (e, w) = (report.errors(), report.warnings());
    if e > 0 {
        eprintln!("error: {e} problem(s) found{}", if w > 0 { format!(", {w} warning(s)") } else { String::new() });
    }
}

/// Parses the command line, runs the command and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, out, doc, locale, audience, emit_typst, final_build, force, jobs } => {
            if let Some(n) = jobs {
                if n == 0 {
                    eprintln!("error: --jobs must be at least 1");
                    return 1;
                }
                let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
            }
            let cfg = BuildConfig {
                root: root.clone(),
                out: out.clone(),
                selection: Selection { docs: doc, locales: locale, audiences: audience },
                emit_typst,
                final_build,
                force,
                progress: std::io::stderr().is_terminal(),
            };
            match commands::build::run(&cfg) {
                Ok(s) => {
                    if !s.warnings.items.is_empty() {
                        eprintln!("{}", s.warnings.render(&root));
                    }
                    println!(
                        "built {} document(s): {} written, {} unchanged, 0 failed; {} pages, {:.1} MiB in {:.1}s -> {}",
                        s.written + s.unchanged,
                        s.written,
                        s.unchanged,
                        s.pages,
                        s.bytes as f64 / 1_048_576.0,
                        s.seconds,
                        out.join("manifest.json").display()
                    );
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    eprintln!("error: build failed; no PDF was written and earlier outputs are unchanged");
                    1
                }
            }
        }
        Command::Check { root, final_build, i18n } => {
            match commands::check::run(&CheckConfig { root: root.clone(), final_build, i18n }) {
                Ok(s) => {
                    if !s.warnings.items.is_empty() {
                        eprintln!("{}", s.warnings.render(&root));
                    }
                    for l in &s.coverage {
                        println!("{l}");
                    }
                    println!("ok: {} documents rendered and parsed, {} warning(s)", s.documents, s.warnings.warnings());
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    1
                }
            }
        }
        Command::List { root } => match commands::list::run(&root) {
            Ok(lines) => {
                for l in lines {
                    println!("{l}");
                }
                0
            }
            Err(r) => {
                print_report(&root, &r);
                1
            }
        },
        Command::Charts { root, out, locale } => match commands::charts::run(&root, &out, &locale) {
            Ok(paths) => {
                println!("wrote {} chart files under {}", paths.len(), out.join("charts").display());
                0
            }
            Err(r) => {
                print_report(&root, &r);
                1
            }
        },
    }
}
