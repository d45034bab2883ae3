//! The command line: argument definitions (clap derive; help text comes from these doc
//! comments) and dispatch to one entry function per subcommand.
//!
//! Commands print and choose exit codes; they hold no build logic of their own.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod build;
pub mod check;
pub mod init;
pub mod release;

/// Exit code of a run whose content has errors.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code of a usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// Charter builds a public and an internal service handbook from markdown standards
/// and role documents.
#[derive(Debug, Parser)]
#[command(name = "charter", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the public and internal sites into <out>/public and <out>/internal.
    Build(BuildArgs),
    /// Run every validation a build runs, and write nothing.
    Check(CheckArgs),
    /// Create a new, minimal site in DIR (which must be empty or absent).
    Init(InitArgs),
    /// Freeze the working copy (content, parameters, KPIs, scorecards) as a release of
    /// the public handbook in versions/VERSION/.
    Release(ReleaseArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: <root>/site].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print each build step with its duration.
    #[arg(long, short)]
    pub verbose: bool,
    /// Build date for targets in force and report periods, YYYY-MM-DD
    /// [default: SOURCE_DATE_EPOCH if set, else today].
    #[arg(long, value_parser = parse_date)]
    pub today: Option<crate::date::Date>,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Print each step with its duration.
    #[arg(long, short)]
    pub verbose: bool,
    /// Build date for targets in force and report periods, YYYY-MM-DD
    /// [default: SOURCE_DATE_EPOCH if set, else today].
    #[arg(long, value_parser = parse_date)]
    pub today: Option<crate::date::Date>,
}

fn parse_date(s: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(s)
}

#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// Version name, e.g. 2026.1 (digits, letters, `.` and `-`, starting with a digit).
    pub version: String,
    /// Site root: the folder holding charter.yaml.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Release notes shown in the changelog and the feed.
    #[arg(long)]
    pub notes: Option<String>,
    /// Release date, YYYY-MM-DD [default: SOURCE_DATE_EPOCH if set, else today];
    /// not older than the newest release.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<crate::date::Date>,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder for the new site.
    pub dir: PathBuf,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Release(args) => release::run(&args),
    }
}

/// Prints the diagnostics of a run to stderr.
pub(crate) fn print_diagnostics(root: &std::path::Path, diagnostics: &[crate::diagnostics::Diagnostic]) {
    if !diagnostics.is_empty() {
        eprint!("{}", crate::site::render_diagnostics(root, diagnostics));
    }
}

/// Prints a failed run and returns its exit code.
pub(crate) fn fail(root: &std::path::Path, err: crate::BuildError) -> ExitCode {
    use crate::diagnostics::Severity;
    match err {
        crate::BuildError::Content(diags) => {
            print_diagnostics(root, &diags);
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
