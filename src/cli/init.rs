//! `charter init DIR [--language en|zh-CN]`: writes the scaffold of a new site, in
//! that language, into an empty folder.

use std::process::ExitCode;

use super::{InitArgs, EXIT_USAGE};

pub(crate) fn run(args: &InitArgs) -> ExitCode {
    match crate::cli::scaffold::create(&args.dir, args.language.into()) {
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
