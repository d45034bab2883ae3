//! Checks across pages: duplicate ids, owners and reporting lines, data references
//! (`validate`); links of every form and the files that are not pages, with who may see
//! them (`links`); sections that hold back their pages, `pages:` entries and the empty
//! public site (`sections`); aliases against pages, each other and generated paths
//! (`aliases`); and the governance review of the governed sections' overdue and coming
//! reviews and owners (`governance`); who may read people's figures (`tiers`); whether
//! each translation is as new as its source (`translations`).
//!
//! Owns rules between pages. It must not read files or render; it uses the stages
//! below it (`markdown` for outlines).

pub(crate) mod aliases;
pub(crate) mod governance;
pub(crate) mod links;
pub(crate) mod sections;
pub(crate) mod tiers;
pub(crate) mod translations;
pub(crate) mod validate;
