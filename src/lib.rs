//! Items are `pub(crate)` unless `main`, the examples or the integration tests use them.
//!
//! Charter: a static site generator for service organisations. It turns markdown
//! service standards and role documents into two static sites — a public handbook for
//! customers and an internal handbook for employees.
//!
//! The library is the whole program; `main` only parses arguments and maps results to
//! exit codes. Start at [`build::build`] (`src/build/mod.rs`), which reads as the pipeline's steps. See
//! ARCHITECTURE.md for the code map and invariants.

// The stages, lowest first: each uses only those listed before it (tests/layering.rs).
pub mod base;
pub mod build;
pub(crate) mod check;
pub mod cli;
pub(crate) mod compute;
pub mod formats;
pub mod load;
pub mod markdown;
pub(crate) mod render;
pub mod search;
pub(crate) mod serve;

pub use build::{build, BuildError, BuildOptions, BuildReport, Mode};
