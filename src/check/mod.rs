//! Checks across pages: duplicate ids, owners and reporting lines, section audiences,
//! link targets and anchors, data references (`validate`), and the governance review
//! of overdue and coming reviews (`governance`).
//!
//! Owns rules between pages. It must not read files or render; it uses the stages
//! below it (`markdown` for outlines).

pub(crate) mod aliases;
pub(crate) mod governance;
pub(crate) mod validate;
