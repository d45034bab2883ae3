//! The `charter` binary: parse arguments, run the library, exit with its code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    charter::cli::run(charter::cli::Cli::parse())
}
