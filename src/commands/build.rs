//! `charter build`: builds both sites and prints a one-line summary.

use std::process::ExitCode;

use super::{fail, print_diagnostics, BuildArgs};
use crate::site::{build, BuildOptions, Mode};

pub fn run(args: &BuildArgs) -> ExitCode {
    let opts = BuildOptions {
        root: args.root.clone(),
        out: args.out.clone(),
        mode: Mode::Build,
        verbose: args.verbose,
        today: args.today,
    };
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&opts.root, &report.diagnostics);
            let warnings = if report.diagnostics.is_empty() {
                String::new()
            } else {
                format!(", {} warning(s)", report.diagnostics.len())
            };
            println!(
                "built {} public and {} internal pages into {} in {:.0} ms{warnings}",
                report.public_pages,
                report.internal_pages,
                opts.out_dir().display(),
                report.elapsed.as_secs_f64() * 1000.0
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&opts.root, e),
    }
}
