//! `charter build`: builds both sites and prints a one-line summary.

use std::process::ExitCode;

use super::{fail, print_diagnostics, BuildArgs, Format};
use crate::build::{build, Mode};

pub(crate) fn run(args: &BuildArgs) -> ExitCode {
    let opts = args.run.options(Mode::Build, args.out.clone());
    match build(&opts) {
        Ok(report) => {
            print_diagnostics(&opts.root, &report.diagnostics, args.run.format);
            let warnings = if report.diagnostics.is_empty() {
                String::new()
            } else {
                format!(", {} warning(s)", report.diagnostics.len())
            };
            let line = format!(
                "built {} into {} in {:.0} ms{warnings}",
                report.page_counts(),
                opts.out_dir().display(),
                report.elapsed.as_secs_f64() * 1000.0
            );
            if let Some(note) = report.note.as_deref().filter(|_| !args.run.quiet) {
                // Said once per build, and not a warning: a shallow CI clone still passes --strict.
                eprintln!("note: {note}");
            }
            if !args.run.quiet {
                // With JSON on stdout, the summary goes to stderr.
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
