//! Checks across pages: duplicate ids, owners and reporting lines, section audiences,
//! data references (`validate`); links of every form and the files that are not pages,
//! with who may see them (`links`); and the governance review of overdue and coming
//! reviews (`governance`).
//!
//! Owns rules between pages. It must not read files or render; it uses the stages
//! below it (`markdown` for outlines).

pub(crate) mod governance;
pub(crate) mod links;
pub(crate) mod validate;
