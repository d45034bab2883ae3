//! Charter: a static site generator for service organisations. It turns markdown
//! service standards and role documents into two static sites — a public handbook for
//! customers and an internal handbook for employees.
//!
//! The library is the whole program; `main` only parses arguments and maps results to
//! exit codes. Start at [`site::build`], which reads as the pipeline's steps. See
//! ARCHITECTURE.md for the code map and invariants.

pub mod changelog;
pub mod charts;
pub mod commands;
pub mod config;
pub mod content;
pub mod csv;
pub mod data;
pub mod date;
pub mod diagnostics;
pub mod diff;
pub mod governance;
pub mod i18n;
pub mod kpi;
pub mod links;
pub mod markdown;
pub mod measure;
pub mod output;
pub mod params;
pub mod paths;
pub mod print;
pub mod release_pages;
pub mod render;
pub mod report;
pub mod report_gaps;
pub mod report_pages;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod text_safety;
pub mod theme;
pub mod validate;
pub mod versions;
pub mod yaml;

pub use site::{build, BuildError, BuildOptions, BuildReport, Mode};
