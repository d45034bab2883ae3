//! `charter serve`: live preview with reload on save.

use std::process::ExitCode;

use super::{ServeArgs, EXIT_USAGE};
use crate::build::Mode;
use crate::serve::{serve, ServeOptions};

pub(crate) fn run(args: &ServeArgs) -> ExitCode {
    let mut build = args.run.options(Mode::Check, None);
    build.progress = false;
    // The tiers are the site's own (`audiences:`): a tier it does not declare is a
    // usage error before anything is built.
    let config = crate::load::config::load(&build.root, &mut crate::base::diagnostics::Diagnostics::new());
    let tiers = config.audiences.names();
    if !tiers.contains(&args.audience.as_str()) {
        let list = tiers.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ");
        eprintln!(
            "error: `--audience {}`: this site's audiences are {list} (`audiences:` in charter.yaml)",
            args.audience
        );
        return ExitCode::from(EXIT_USAGE);
    }
    match serve(ServeOptions { build, port: args.port, audience: args.audience.clone() }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
