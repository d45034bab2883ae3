//! `charter serve`: live preview with reload on save.

use std::process::ExitCode;

use super::{ServeArgs, EXIT_USAGE};
use crate::build::Mode;
use crate::load::content::Audience;
use crate::serve::{serve, ServeOptions};

pub(crate) fn run(args: &ServeArgs) -> ExitCode {
    let mut build = args.run.options(Mode::Check, None);
    build.progress = false;
    let audience = if args.audience == "public" { Audience::Public } else { Audience::Internal };
    match serve(ServeOptions { build, port: args.port, audience }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
