//! Base: what every stage shares — calendar dates and timestamps, diagnostics and
//! their rendering, how numbers are written, reading a source file within a size
//! limit, which names may become paths, and the characters that deceive.
//!
//! Owns no knowledge of sites, pages or service data. It must not use any other part
//! of the crate: everything else stands on it.

pub mod date;
pub mod diagnostics;
pub mod files;
pub mod i18n;
pub mod layout;
pub mod numbers;
pub mod paths;
pub mod source;
pub mod text_safety;
