//! `charter init DIR`: writes the scaffold of a new site into an empty folder.

use std::process::ExitCode;

use super::{InitArgs, EXIT_USAGE};

pub(crate) fn run(args: &InitArgs) -> ExitCode {
    match crate::cli::scaffold::create(&args.dir) {
        Ok(files) => {
            println!("created a new Charter site in {} ({files} files)", args.dir.display());
            println!("next: charter build --root {}", args.dir.display());
            ExitCode::SUCCESS
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
