//! The `briefs i18n` subcommands' flags and what each prints.

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Subcommand;

use super::export::{self, ExportConfig, Only};
use super::import::{self, ImportConfig};
use super::{MarkConfig, mark_reviewed};
use crate::commands::{Failure, Output};
use crate::ids::LocaleTag;
use crate::locale::fingerprint::{self, State};

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
        locale: LocaleTag,
        /// The XLIFF file to write (default: <locale>.xlf in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Which texts: all, missing (absent or untranslated) or stale.
        #[arg(long, value_enum, default_value_t = Only::All)]
        only: Only,
    },
    /// Write the targets of an XLIFF 2.0 file into locales/<trgLang>/*.yaml and record their fingerprints.
    Import {
        /// The XLIFF file.
        file: PathBuf,
        /// Refuse the file unless its trgLang is this locale.
        #[arg(long)]
        locale: Option<LocaleTag>,
    },
    /// Record the current en-US texts as the ones a locale's texts translate (clears stale marks).
    MarkReviewed {
        /// The locale.
        #[arg(long)]
        locale: LocaleTag,
        /// Keys or key prefixes (comma-separated; default: every text of the locale).
        #[arg(long, value_delimiter = ',')]
        key: Vec<String>,
        /// The state to record.
        #[arg(long, value_enum, default_value_t = MarkState::Reviewed)]
        state: MarkState,
    },
}

/// Runs an i18n subcommand.
pub fn run(root: &Path, command: I18nCommand) -> Result<Output, Failure> {
    let started = Instant::now();
    match command {
        I18nCommand::Export { locale, out, only } => {
            let out = out.unwrap_or_else(|| PathBuf::from(format!("{locale}.xlf")));
            let cfg = ExportConfig { root: root.to_path_buf(), locale: locale.clone(), out: out.clone(), only };
            let s = export::run(&cfg).map_err(|report| Failure {
                report,
                after: Some("nothing was written".into()),
                ..Failure::default()
            })?;
            let states: Vec<String> = s.states.iter().map(|(k, v)| format!("{v} {k}")).collect();
            let summary = format!(
                "exported {} unit(s) for {locale} ({}) to {} ({:.1} KiB in {} ms)",
                s.units,
                if states.is_empty() { "none".to_string() } else { states.join(", ") },
                out.display(),
                s.bytes as f64 / 1024.0,
                started.elapsed().as_millis()
            );
            Ok(Output { summary: vec![summary], ..Output::default() })
        }
        I18nCommand::Import { file, locale } => {
            let cfg = ImportConfig { root: root.to_path_buf(), file, locale };
            let s = import::run(&cfg).map_err(|report| Failure {
                report,
                after: Some("import refused; no file was changed".into()),
                ..Failure::default()
            })?;
            let mut summary = vec![format!(
                "imported {} unit(s) for {}: {} text(s) changed, {} recorded as translated, {} left out (initial or no target); {} file(s) written in {} ms",
                s.units,
                s.locale,
                s.changed,
                s.recorded,
                s.skipped,
                s.files.len(),
                started.elapsed().as_millis()
            )];
            summary.extend(s.files.iter().map(|f| format!("  wrote {}", f.display())));
            Ok(Output { summary, warnings: s.warnings, ..Output::default() })
        }
        I18nCommand::MarkReviewed { locale, key, state } => {
            let state = match state {
                MarkState::Translated => State::Translated,
                MarkState::Reviewed => State::Reviewed,
                MarkState::Final => State::Final,
            };
            let cfg = MarkConfig { root: root.to_path_buf(), locale: locale.clone(), keys: key, state };
            let (n, skipped) = mark_reviewed(&cfg).map_err(Failure::from)?;
            let mut summary = vec![format!(
                "recorded {n} {locale} text(s) as {} against the current en-US texts in {}",
                state.name(),
                fingerprint::path(&locale).display()
            )];
            if !skipped.is_empty() {
                summary.push(format!(
                    "left out {} text(s) missing, empty or still in English: {}",
                    skipped.len(),
                    skipped.join(", ")
                ));
            }
            Ok(Output { summary, ..Output::default() })
        }
    }
}
