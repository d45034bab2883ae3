//! `charter check`: every validation of a build, nothing written.

use std::process::ExitCode;

use super::{fail, print_diagnostics, CheckArgs};
use crate::site::{build, BuildOptions, Mode};

pub fn run(args: &CheckArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root.clone(),
        out: None,
        mode: Mode::Check,
        verbose: args.verbose,
        today: args.today,
    };
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&opts.root, &report.diagnostics);
            println!(
                "checked {} public and {} internal pages: no errors, {} warning(s)",
                report.public_pages,
                report.internal_pages,
                report.diagnostics.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&opts.root, e),
    }
}
