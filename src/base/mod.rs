//! Base: what every stage shares — calendar dates and timestamps, diagnostics and
//! their rendering, how numbers are written, reading a source file within a size
//! limit, which names may become paths, the characters that deceive, and reading back
//! the HTML Charter wrote (`html`).
//!
//! Owns no knowledge of sites, pages or service data. It must not use any other part
//! of the crate: everything else stands on it.

pub mod date;
pub mod diagnostics;
pub mod files;
pub(crate) mod html;
pub(crate) mod i18n;
pub(crate) mod layout;
pub(crate) mod numbers;
pub(crate) mod paths;
pub(crate) mod source;
pub(crate) mod text_safety;
