//! Command line: flags parsed by clap, checked into configs, dispatched to one command each; printing and exit
//! codes happen here, once.

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand};

use crate::commands::check::CheckConfig;
use crate::commands::diff::{DiffConfig, DiffFormat};
use crate::commands::review::ReviewConfig;
use crate::commands::{self, Failure, Output, Verbosity};
use crate::diag::{Detail, Diagnostic, Report};
use crate::ids::{AudienceId, DocumentId, LocaleTag};
use crate::pipeline::BuildConfig;
use crate::pipeline::shard::Shard;
use crate::project::Selection;

/// Turns YAML fact sheets and indicator data into print-quality PDF briefings.
#[derive(Parser, Debug)]
#[command(name = "briefs", version, long_version = crate::binary::LONG_VERSION, about)]
pub struct Cli {
    /// Project root (default: the nearest folder, from here upwards, that holds data/).
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every warning in full, and a line per document, in order (builds not on a terminal).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The selection of documents, locales and audiences (none: the whole matrix).
#[derive(clap::Args, Debug)]
pub struct Pick {
    /// Documents (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub doc: Vec<DocumentId>,
    /// Locales (comma-separated tags).
    #[arg(long, value_delimiter = ',')]
    pub locale: Vec<LocaleTag>,
    /// Audiences (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub audience: Vec<AudienceId>,
}

impl Pick {
    /// The selection these flags ask for.
    fn selection(&self) -> Selection {
        Selection { docs: self.doc.clone(), locales: self.locale.clone(), audiences: self.audience.clone() }
    }
}

/// The out folder and the selection shared by `build` and `watch`.
#[derive(clap::Args, Debug)]
pub struct Target {
    /// Out folder (default: out/ in the project root).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// What to build.
    #[command(flatten)]
    pub pick: Pick,
    /// Retired: every build writes both editions of a meeting pack (docs/meetings.md); given, it fails with a hint.
    #[arg(long, value_name = "BOOL", hide = true)]
    pub pack_duplex: Option<bool>,
}

impl Target {
    /// The selection these flags ask for.
    fn selection(&self) -> Selection {
        self.pick.selection()
    }

    /// Why these flags cannot run: a retired flag.
    fn retired(&self) -> Option<Failure> {
        self.pack_duplex?;
        Some(Failure::from(Report::from(
            Diagnostic::plain("`--pack-duplex` is retired: every build writes both editions of each meeting pack")
                .with_hint(
                    "`pack.pdf` is for the screen and `pack-print.pdf` for double-sided printing; select one with \
                     `--doc pack` or `--doc pack-print`",
                ),
        )))
    }
}

/// The flags of `briefs build`, turned into a [`BuildConfig`] in one place ([`BuildArgs::config`]).
#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Where to write, and what to build.
    #[command(flatten)]
    pub target: Target,
    /// Also write each generated Typst source and its charts here.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Final build: refuse provisional figures, missing sources and translations, and warnings; write PDF/A-2a and PDF/UA-1.
    #[arg(long = "final")]
    pub final_build: bool,
    /// Rebuild documents whose inputs did not change.
    #[arg(long)]
    pub force: bool,
    /// Parallel jobs, at least 1 (default: all cores).
    #[arg(long)]
    pub jobs: Option<NonZeroUsize>,
    /// Print the time spent loading, rendering and typesetting.
    #[arg(long)]
    pub timings: bool,
    /// Build only shard I of N (1 <= I <= N) of the selected documents, for `briefs merge` to gather.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
    /// With --shard: balance the shards by the page counts in this manifest of an earlier build (every shard
    /// must get the same file).
    #[arg(long, value_name = "MANIFEST", requires = "shard")]
    pub weights: Option<PathBuf>,
}

impl BuildArgs {
    /// The checked settings of the build these flags ask for.
    fn config(self, root: &Path, verbosity: Verbosity, terminal: bool) -> BuildConfig {
        let out = self.target.out.clone().unwrap_or_else(|| root.join("out"));
        BuildConfig {
            emit_typst: self.emit_typst,
            final_build: self.final_build,
            force: self.force,
            shard: self.shard,
            weights: self.weights,
            ..BuildConfig::new(root.to_path_buf(), out, self.target.selection(), verbosity, terminal)
        }
    }
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build PDFs for every selected document, audience and locale.
    Build {
        /// The build's flags.
        #[command(flatten)]
        args: BuildArgs,
    },
    /// Gather the out folders of `build --shard` into one out folder with one manifest.
    Merge {
        /// The shards' out folders (every shard of one build matrix).
        #[arg(required = true, value_name = "DIR")]
        shards: Vec<PathBuf>,
        /// Out folder (default: out/ in the project root).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Validate data, locales and templates without writing PDFs.
    Check {
        /// Check as a final build would (provisional figures and warnings are errors).
        #[arg(long = "final")]
        final_build: bool,
        /// Print translation coverage per locale, and every translation warning.
        #[arg(long)]
        i18n: bool,
        /// What to check (default: everything); only problems in it are errors.
        #[command(flatten)]
        pick: Pick,
    },
    /// List the documents, audiences and locales a build would produce (with --shard: what one shard holds).
    List {
        /// List the documents of shard I of N of the whole matrix, with their estimated pages, as `build --shard`
        /// cuts it.
        #[arg(long, value_name = "I/N")]
        shard: Option<Shard>,
        /// With --shard: estimate pages from this manifest of an earlier build, as `build --weights` does.
        #[arg(long, value_name = "MANIFEST", requires = "shard")]
        weights: Option<PathBuf>,
    },
    /// Start something new in the project.
    New {
        /// What to start.
        #[command(subcommand)]
        what: New,
    },
    /// Write every chart as standalone SVG and PNG per locale.
    Charts {
        /// Out folder (charts go to OUT/charts/<locale>/; default: out/ in the project root).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Locales (comma-separated tags).
        #[arg(long, value_delimiter = ',')]
        locale: Vec<LocaleTag>,
    },
    /// List every fact, series point, source and text that changed since an older edition.
    Diff {
        /// The old edition: a project folder, or a git revision of the project (HEAD~1, a tag).
        old: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Also list every sentence, in every locale, that holds a changed figure (old and new values), to re-read.
        #[arg(long)]
        sentences: bool,
    },
    /// Write a review site (OUT/review/index.html): every document, locale and audience side by side with page
    /// thumbnails, changes since an old edition, sentences to re-read, draft warnings and review controls.
    Review {
        /// Where to write, and what to review.
        #[command(flatten)]
        target: Target,
        /// Mark what changed since this old edition: a project folder, or a git revision (HEAD~1, a tag).
        #[arg(long, value_name = "OLD")]
        since: Option<String>,
        /// Print which documents are approved in these exported decisions (JSON from the review page), and which not.
        #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with = "since")]
        decisions: Vec<PathBuf>,
    },
    /// Exchange texts with translators (XLIFF 2.0) and record what each translation was made from.
    I18n {
        /// What to do.
        #[command(subcommand)]
        command: commands::i18n::cli::I18nCommand,
    },
    /// Build, then rebuild the selection on every change under data/, locales/, templates/ and fonts/.
    Watch {
        /// Where to write, and what to build.
        #[command(flatten)]
        target: Target,
    },
    /// Print a shell completion script (e.g. `briefs completions bash > ~/.local/share/bash-completion/completions/briefs`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (e.g. `briefs man > ~/.local/share/man/man1/briefs.1`).
    Man,
}

/// What `briefs new` starts.
#[derive(Subcommand, Debug)]
pub enum New {
    /// A document: its template, its en-US words and title, and its entry in data/documents.yaml.
    Document {
        /// The document's id (lowercase letters, digits and `-`, e.g. brief-critical-minerals).
        id: DocumentId,
        /// Its title in en-US (default: from the id).
        #[arg(long)]
        title: Option<String>,
        /// The line under its title in en-US.
        #[arg(long)]
        kicker: Option<String>,
    },
}

/// Stack size of worker threads: Typst's layout recurses deeply on long documents.
const STACK_SIZE: usize = 64 << 20;

/// Sets up the worker pool (all cores unless `jobs` says otherwise) with stacks big enough for Typst.
fn init_threads(jobs: Option<NonZeroUsize>) {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(STACK_SIZE);
    if let Some(n) = jobs {
        pool = pool.num_threads(n.get());
    }
    // Only fails when a pool exists already, which then serves as well.
    let _ = pool.build_global();
}

/// Prints lines to standard output; stops quietly when the reader has gone (`briefs list | head`).
fn print_lines<'a>(lines: impl Iterator<Item = &'a String>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            return;
        }
    }
    let _ = out.flush();
}

/// Parses the command line, runs the command, prints what it says and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    let detail = match (cli.quiet, cli.verbose) {
        (true, _) => Detail::Errors,
        (_, true) => Detail::Full,
        _ => Detail::Summary,
    };
    let (root, result) = dispatch(cli);
    match result {
        Ok(out) => {
            let blocks = out.warnings.blocks(&root, detail, &out.listed);
            if !blocks.is_empty() {
                eprintln!("{}", blocks.join("\n"));
            }
            let summary = out.summary.iter().filter(|_| !quiet);
            print_lines(out.product.iter().chain(summary));
            0
        }
        Err(Failure { interrupted: Some(sig), after, .. }) => {
            eprintln!("briefs: {}", after.unwrap_or_else(|| "interrupted".into()));
            128 + sig
        }
        Err(fail) => {
            print_lines(fail.product.iter());
            eprintln!("{}", fail.report.blocks(&root, detail, &[]).join("\n"));
            let (e, w) = (fail.report.errors(), fail.report.warnings());
            if e > 1 || w > 0 {
                let warned = if w > 0 { format!(", {w} warning(s)") } else { String::new() };
                eprintln!("error: {e} problem(s) found{warned}");
            }
            if let Some(after) = fail.after {
                eprintln!("error: {after}");
            }
            1
        }
    }
}

/// Finds the project root and runs the command; returns the root (for messages) and the outcome.
fn dispatch(cli: Cli) -> (PathBuf, Result<Output, Failure>) {
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let needs_project =
        !matches!(cli.command, Command::Completions { .. } | Command::Man | Command::Merge { out: Some(_), .. });
    let root = if needs_project {
        match crate::io::project_root(cli.root.as_deref(), &here) {
            Ok(root) => root,
            Err(d) => return (here, Err(Failure::from(Report::from(d)))),
        }
    } else {
        here
    };
    let target = match &cli.command {
        Command::Build { args: BuildArgs { target, .. } }
        | Command::Review { target, .. }
        | Command::Watch { target } => Some(target),
        _ => None,
    };
    if let Some(f) = target.and_then(Target::retired) {
        return (root, Err(f));
    }
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let terminal = std::io::stderr().is_terminal();
    let out_of = |out: Option<PathBuf>| out.unwrap_or_else(|| root.join("out"));
    let result = match cli.command {
        Command::Build { args } => {
            init_threads(args.jobs);
            // SIGTERM and SIGINT stop the build between documents, with its staged files removed.
            crate::output::interrupt::install();
            let timings = args.timings;
            commands::build::run(&args.config(&root, verbosity, terminal), timings)
        }
        Command::Merge { shards, out } => {
            crate::output::interrupt::install();
            commands::merge::run(&shards, &out_of(out))
        }
        Command::Check { final_build, i18n, pick } => {
            init_threads(None);
            commands::check::run(&CheckConfig { root: root.clone(), final_build, i18n, selection: pick.selection() })
        }
        Command::List { shard: None, .. } => commands::list::run(&root),
        Command::List { shard: Some(shard), weights } => commands::list::shard(&root, shard, weights.as_deref()),
        Command::New { what: New::Document { id, title, kicker } } => {
            commands::new::document(&root, &id, title.as_deref(), kicker.as_deref())
        }
        Command::Charts { out, locale } => commands::charts::run(&root, &out_of(out), &locale),
        Command::Diff { old, format, sentences } => {
            init_threads(None);
            commands::diff::run(&DiffConfig { old, root: root.clone(), format, sentences })
                .map(Output::from)
                .map_err(Failure::from)
        }
        Command::Review { target, since, decisions } => {
            init_threads(None);
            let cfg = ReviewConfig {
                root: root.clone(),
                out: out_of(target.out.clone()),
                selection: target.selection(),
                since,
                decisions,
                verbosity,
                terminal,
            };
            commands::review::run(&cfg)
        }
        Command::I18n { command } => {
            init_threads(None);
            commands::i18n::cli::run(&root, command)
        }
        Command::Watch { target } => {
            init_threads(None);
            let cfg = BuildConfig::new(root.clone(), out_of(target.out.clone()), target.selection(), verbosity, false);
            commands::watch::run(&cfg)
        }
        Command::Completions { shell } => Ok(completions(shell)),
        Command::Man => man(),
    };
    (root, result)
}

/// A completion script for a shell.
fn completions(shell: clap_complete::Shell) -> Output {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "briefs", &mut buf);
    Output::product(String::from_utf8_lossy(&buf).trim_end().to_string())
}

/// The manual page, in roff.
fn man() -> Result<Output, Failure> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf).map_err(|e| {
        Failure::from(Report::from(Diagnostic::plain(format!("failed to write the manual page ({e})"))))
    })?;
    Ok(Output::product(String::from_utf8_lossy(&buf).trim_end().to_string()))
}
