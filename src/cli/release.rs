//! `charter release VERSION`: checks the working copy and freezes it as a release.

use std::process::ExitCode;

use super::{fail, Format, ReleaseArgs, EXIT_USAGE};
use crate::base::diagnostics::Diagnostics;
use crate::build::{build, build_date, BuildOptions, Mode};
use crate::load::versions::{self, ReleaseRequest};

pub(crate) fn run(args: &ReleaseArgs) -> ExitCode {
    let refuse = |msg: String| {
        eprintln!("error: {msg}");
        ExitCode::from(EXIT_USAGE)
    };
    let date = match build_date(args.date) {
        Ok(d) => d,
        Err(e) => return refuse(e),
    };
    let mut diags = Diagnostics::new();
    let existing = versions::load(&args.root, &mut diags);
    if diags.has_errors() {
        return fail(&args.root, crate::BuildError::Content(diags.into_sorted()), Format::Human);
    }
    let req = ReleaseRequest { version: args.version.clone(), notes: args.notes.clone().unwrap_or_default(), date };
    // Refuse cheap problems before the full check.
    if let Err(e) = versions::check_request(&req, &existing, &args.root) {
        return refuse(e);
    }
    // A release must build: every validation of a build, on the working copy.
    let check = BuildOptions { today: Some(date), ..BuildOptions::new(args.root.clone(), Mode::Check) };
    if let Err(e) = build(&check) {
        eprintln!("error: the working copy has errors; nothing was released");
        return fail(&args.root, e, Format::Human);
    }
    match versions::release(&args.root, &req, &existing) {
        Ok(r) => {
            println!("released {} ({}) into versions/{}/", r.version, r.date, r.version);
            ExitCode::SUCCESS
        }
        Err(e) => refuse(e),
    }
}
