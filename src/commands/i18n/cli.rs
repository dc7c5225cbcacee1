//! The `briefs i18n` subcommands' flags and what each prints.

use std::path::PathBuf;

use clap::Subcommand;

use super::export::{self, ExportConfig, Only};
use super::import::{self, ImportConfig};
use super::{MarkConfig, mark_reviewed};
use crate::cli::print_report;

/// The states `mark-reviewed` can record.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MarkState {
    /// Translated, not yet reviewed.
    Translated,
    /// Reviewed.
    Reviewed,
    /// Signed off.
    Final,
}

/// `briefs i18n` subcommands.
#[derive(Subcommand, Debug)]
pub enum I18nCommand {
    /// Write one XLIFF 2.0 file with the en-US texts as sources and the locale's as targets.
    Export {
        /// The locale to translate into.
        #[arg(long)]
        locale: String,
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The XLIFF file to write (default: <locale>.xlf).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Which texts: all, missing (absent or untranslated) or stale.
        #[arg(long, value_enum, default_value_t = Only::All)]
        only: Only,
    },
    /// Write the targets of an XLIFF 2.0 file into locales/<trgLang>/*.yaml.
    Import {
        /// The XLIFF file.
        file: PathBuf,
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Refuse the file unless its trgLang is this locale.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Record the current en-US texts as the ones a locale's texts translate (clears stale marks).
    MarkReviewed {
        /// The locale.
        #[arg(long)]
        locale: String,
        /// Keys or key prefixes (comma-separated; default: every text of the locale).
        #[arg(long, value_delimiter = ',')]
        key: Vec<String>,
        /// The state to record.
        #[arg(long, value_enum, default_value_t = MarkState::Reviewed)]
        state: MarkState,
        /// Project root.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs an i18n subcommand and returns the exit code.
pub fn run(command: I18nCommand) -> i32 {
    match command {
        I18nCommand::Export { locale, root, out, only } => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{locale}.xlf")));
            let started = std::time::Instant::now();
            match export::run(&ExportConfig { root: root.clone(), locale: locale.clone(), out: out.clone(), only }) {
                Ok(s) => {
                    let states: Vec<String> = s.states.iter().map(|(k, v)| format!("{v} {k}")).collect();
                    println!(
                        "exported {} unit(s) for {locale} ({}) to {} ({:.1} KiB in {} ms)",
                        s.units,
                        if states.is_empty() { "none".to_string() } else { states.join(", ") },
                        out.display(),
                        s.bytes as f64 / 1024.0,
                        started.elapsed().as_millis()
                    );
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    1
                }
            }
        }
        I18nCommand::Import { file, root, locale } => {
            let started = std::time::Instant::now();
            match import::run(&ImportConfig { root: root.clone(), file, locale }) {
                Ok(s) => {
                    if !s.warnings.items.is_empty() {
                        eprintln!("{}", s.warnings.render(&root));
                    }
                    println!(
                        "imported {} unit(s) for {}: {} text(s) changed, {} recorded as translated, {} left out (initial or no target); {} file(s) written in {} ms",
                        s.units,
                        s.locale,
                        s.changed,
                        s.recorded,
                        s.skipped,
                        s.files.len(),
                        started.elapsed().as_millis()
                    );
                    for f in &s.files {
                        println!("  wrote {}", f.display());
                    }
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    eprintln!("error: import refused; no file was changed");
                    1
                }
            }
        }
        I18nCommand::MarkReviewed { locale, key, state, root } => {
            let state = match state {
                MarkState::Translated => crate::fingerprint::State::Translated,
                MarkState::Reviewed => crate::fingerprint::State::Reviewed,
                MarkState::Final => crate::fingerprint::State::Final,
            };
            match mark_reviewed(&MarkConfig { root: root.clone(), locale: locale.clone(), keys: key, state }) {
                Ok((n, skipped)) => {
                    println!(
                        "recorded {n} {locale} text(s) as {} against the current en-US texts in {}",
                        state.name(),
                        crate::fingerprint::path(&locale).display()
                    );
                    if !skipped.is_empty() {
                        println!("left out {} text(s) missing, empty or still in English: {}", skipped.len(), skipped.join(", "));
                    }
                    0
                }
                Err(r) => {
                    print_report(&root, &r);
                    1
                }
            }
        }
    }
}
