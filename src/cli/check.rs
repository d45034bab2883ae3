//! `charter check`: every validation of a build, nothing written.

use std::process::ExitCode;

use super::{fail, print_diagnostics, CheckArgs, Format};
use crate::build::{build, Mode};

pub(crate) fn run(args: &CheckArgs) -> ExitCode {
    let opts = args.run.options(Mode::Check, None);
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&opts.root, &report.diagnostics, args.run.format);
            let line = format!("checked {}: no errors, {} warning(s)", report.page_counts(), report.diagnostics.len());
            if !args.run.quiet {
                if args.run.format == Format::Json {
                    eprintln!("{line}");
                } else {
                    println!("{line}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&opts.root, e, args.run.format),
    }
}
