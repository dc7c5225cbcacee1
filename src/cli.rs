//! Command line: flags parsed by clap, checked into configs, dispatched to one command each.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::commands::diff::{DiffConfig, DiffFormat};
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

/// The project, the out folder and the selection shared by `build` and `watch`.
#[derive(clap::Args, Debug)]
pub struct Target {
    /// Project root (holds data/, templates/, locales/, fonts/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Out folder.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    /// Documents to build (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub doc: Vec<String>,
    /// Locales to build (comma-separated tags).
    #[arg(long, value_delimiter = ',')]
    pub locale: Vec<String>,
    /// Audiences to build (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub audience: Vec<String>,
    /// Meeting packs for double-sided printing (true) or for the screen (false); default: each audience's `pack_duplex`.
    #[arg(long, value_name = "BOOL")]
    pub pack_duplex: Option<bool>,
}

impl Target {
    /// The selection these flags ask for.
    fn selection(&self) -> Selection {
        Selection { docs: self.doc.clone(), locales: self.locale.clone(), audiences: self.audience.clone() }
    }
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build PDFs for every selected document, audience and locale.
    Build {
        /// Where to read and write, and what to build.
        #[command(flatten)]
        target: Target,
        /// Also write each generated Typst source and its charts here.
        #[arg(long, value_name = "DIR")]
        emit_typst: Option<PathBuf>,
        /// Final build: refuse provisional figures, missing sources and translations, and warnings; write PDF/A-2a and PDF/UA-1.
        #[arg(long = "final")]
        final_build: bool,
        /// Rebuild documents whose inputs did not change.
        #[arg(long)]
        force: bool,
        /// Parallel jobs (default: all cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Print the time spent loading, rendering and typesetting.
        #[arg(long)]
        timings: bool,
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
    /// List every fact, series point, source and text that changed since an older edition.
    Diff {
        /// The old edition: a project folder, or a git revision of the project (HEAD~1, a tag).
        old: String,
        /// Project root of the new edition.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Build, then rebuild the selection on every change under data/, locales/, templates/ and fonts/.
    Watch {
        /// Where to read and write, and what to build.
        #[command(flatten)]
        target: Target,
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

/// Stack size of worker threads: Typst's layout recurses deeply on long documents.
const STACK_SIZE: usize = 64 << 20;

/// Sets up the worker pool (all cores unless `jobs` says otherwise) with stacks big enough for Typst.
fn init_threads(jobs: Option<usize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE);
    if let Some(n) = jobs {
        pool = pool.num_threads(n);
    }
    let _ = pool.build_global();
}

/// Parses the command line, runs the command and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let jobs = if let Command::Build { jobs, .. } = &cli.command { *jobs } else { None };
    if jobs == Some(0) {
        eprintln!("error: --jobs must be at least 1");
        return 1;
    }
    init_threads(jobs);
    match cli.command {
        Command::Build { target, emit_typst, final_build, force, jobs: _, timings } => {
            let (root, out) = (target.root.clone(), target.out.clone());
            let cfg = BuildConfig {
                root: root.clone(),
                out: out.clone(),
                selection: target.selection(),
                emit_typst,
                final_build,
                pack_duplex: target.pack_duplex,
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
                    if timings {
                        let own = s.load_seconds + s.render_seconds;
                        println!(
                            "timings: load+charts {:.0} ms, render {:.0} ms, typst compile+export {:.0} ms (summed over threads); ours/typst = {:.1}%",
                            s.load_seconds * 1000.0,
                            s.render_seconds * 1000.0,
                            s.typeset_seconds * 1000.0,
                            if s.typeset_seconds > 0.0 { 100.0 * own / s.typeset_seconds } else { 0.0 }
                        );
                        if s.packs > 0 {
                            println!(
                                "timings: {} meeting pack(s) typeset in {:.0} ms ({:.0} ms each), part of the typst time above",
                                s.packs,
                                s.pack_seconds * 1000.0,
                                s.pack_seconds * 1000.0 / s.packs as f64
                            );
                        }
                    }
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
        Command::Diff { old, root, format } => {
            match commands::diff::run(&DiffConfig { old, root: root.clone(), format }) {
                Ok((text, warnings)) => {
                    if !warnings.items.is_empty() {
                        eprintln!("{}", warnings.render(&root));
                    }
                    print!("{text}");
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    1
                }
            }
        }
        Command::Watch { target } => {
            let root = target.root.clone();
            let cfg = BuildConfig {
                root: root.clone(),
                out: target.out.clone(),
                selection: target.selection(),
                emit_typst: None,
                final_build: false,
                pack_duplex: target.pack_duplex,
                force: false,
                progress: false,
            };
            match commands::watch::run(&cfg) {
                Ok(()) => 0,
                Err(r) => {
                    print_report(&root, &r);
                    1
                }
            }
        }
    }
}
