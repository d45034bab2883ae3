//! The command line: argument definitions (clap derive; help text comes from these doc
//! comments) and dispatch to one entry function per subcommand.
//!
//! Commands print and choose exit codes; they hold no build logic of their own.

pub(crate) mod scaffold;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub(crate) mod build;
pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod release;
pub(crate) mod serve;
pub(crate) mod translate;
pub(crate) mod warehouse;

/// Exit code of a run whose content has errors.
pub(crate) const EXIT_CONTENT: u8 = 1;
/// Exit code of a usage or I/O error.
pub(crate) const EXIT_USAGE: u8 = 2;

/// Charter builds a public and an internal service handbook from markdown standards
/// and role documents.
#[derive(Debug, Parser)]
#[command(name = "charter", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the public and internal sites into <out>/public and <out>/internal.
    Build(BuildArgs),
    /// Run every validation a build runs, and write nothing.
    Check(CheckArgs),
    /// Create a new, minimal site in DIR (which must be empty or absent).
    Init(InitArgs),
    /// Freeze the working copy (content, parameters, KPIs, scorecards) as a release of
    /// the public handbook in versions/VERSION/.
    Release(ReleaseArgs),
    /// Serve the site on 127.0.0.1, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// List translations older than their originals, not marked or missing; with
    /// --mark, record that translations match their originals as they are now.
    Translate(TranslateArgs),
    /// Write what docs/warehouse/*.sql needs from the handbook (complaint_limits.csv:
    /// each complaint type's time limits from data/params.yaml) into DIR.
    WarehouseInputs(WarehouseArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct WarehouseArgs {
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Folder to write complaint_limits.csv into.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, clap::Args)]
pub(crate) struct TranslateArgs {
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Translations (content/PAGE.LANG.md) brought up to date: writes the content hash
    /// of each one's original into its front matter (`translates:`).
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub(crate) mark: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,
    /// Port to serve on; when it is taken, a free port is used instead.
    #[arg(long, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Which site to preview: `public`, `internal` or a further tier of `audiences:`.
    #[arg(long, default_value = "internal")]
    pub(crate) audience: String,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `PATH:LINE:COL: error: MESSAGE` with the source line and a caret (stderr).
    Human,
    /// One JSON object per diagnostic and line (stdout): severity, code, path, line,
    /// column, message.
    Json,
}

/// Options shared by `build`, `check` and `serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Build date for targets in force, reports and review dates, YYYY-MM-DD
    /// [default: SOURCE_DATE_EPOCH if set, else today].
    #[arg(long, value_parser = parse_date)]
    pub(crate) today: Option<crate::base::date::Date>,
    /// Treat warnings as errors (exit 1, nothing written).
    #[arg(long)]
    pub(crate) strict: bool,
    /// How to print diagnostics. With GITHUB_ACTIONS=true, `::error`/`::warning`
    /// annotation lines are printed as well.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Print each build step with its duration.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// No progress bar and no summary line.
    #[arg(long, short, conflicts_with = "verbose")]
    pub(crate) quiet: bool,
}

impl RunArgs {
    /// Build options for `mode`; the progress bar only on a terminal, outside CI.
    pub(crate) fn options(&self, mode: crate::Mode, out: Option<PathBuf>) -> crate::BuildOptions {
        use std::io::IsTerminal;
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        crate::BuildOptions {
            root: self.root.clone(),
            out,
            mode,
            verbose: self.verbose,
            today: self.today,
            strict: self.strict,
            progress: !self.quiet && !ci && std::io::stderr().is_terminal(),
        }
    }
}

#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,
    /// Output folder [default: <root>/site].
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) run: RunArgs,
}

fn parse_date(s: &str) -> Result<crate::base::date::Date, String> {
    crate::base::date::Date::parse(s)
}

#[derive(Debug, clap::Args)]
pub(crate) struct ReleaseArgs {
    /// Version name, e.g. 2026.1 (digits, letters, `.` and `-`, starting with a digit).
    pub(crate) version: String,
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub(crate) root: PathBuf,
    /// Release notes shown in the changelog and the feed.
    #[arg(long)]
    pub(crate) notes: Option<String>,
    /// Release date, YYYY-MM-DD [default: SOURCE_DATE_EPOCH if set, else today];
    /// not older than the newest release.
    #[arg(long, value_parser = parse_date)]
    pub(crate) date: Option<crate::base::date::Date>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// Folder for the new site.
    pub(crate) dir: PathBuf,
    /// Language of the starter site: its pages, `language:` in charter.yaml and the
    /// theme's words.
    #[arg(long, value_enum, default_value = "zh-CN")]
    pub(crate) language: InitLanguage,
}

/// `charter init --language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum InitLanguage {
    #[value(name = "zh-CN")]
    ZhCn,
    #[value(name = "en")]
    En,
}

impl From<InitLanguage> for crate::base::i18n::Language {
    fn from(l: InitLanguage) -> Self {
        match l {
            InitLanguage::ZhCn => crate::base::i18n::Language::ZhCn,
            InitLanguage::En => crate::base::i18n::Language::En,
        }
    }
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Release(args) => release::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Translate(args) => translate::run(&args),
        Command::WarehouseInputs(args) => warehouse::run(&args),
    }
}

/// Prints the diagnostics of a run: for people on stderr, as JSON lines on stdout, and
/// as GitHub annotations on stdout when running in GitHub Actions.
pub(crate) fn print_diagnostics(
    root: &std::path::Path,
    diagnostics: &[crate::base::diagnostics::Diagnostic],
    format: Format,
) {
    if diagnostics.is_empty() {
        return;
    }
    match format {
        Format::Human => eprint!("{}", crate::build::render_diagnostics(root, diagnostics)),
        Format::Json => {
            for d in diagnostics {
                println!("{}", crate::base::diagnostics::to_json(d));
            }
        }
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for d in diagnostics {
            println!("{}", crate::base::diagnostics::to_github(d));
        }
    }
}

/// Prints a failed run and returns its exit code.
pub(crate) fn fail(root: &std::path::Path, err: crate::BuildError, format: Format) -> ExitCode {
    use crate::base::diagnostics::Severity;
    match err {
        crate::BuildError::Content(diags) => {
            print_diagnostics(root, &diags, format);
            let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
            let warnings = diags.len() - errors;
            eprintln!("error: {errors} error(s), {warnings} warning(s); nothing was written");
            ExitCode::from(EXIT_CONTENT)
        }
        crate::BuildError::Io(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
