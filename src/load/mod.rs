//! Loading a site's sources: `charter.yaml`, `content/`, `versions/`, the service data
//! in `data/` (parameters, KPIs, scorecards, organisation) and the measurements
//! (metrics, complaints, surveys, actions), each checked for its own shape and its
//! references to the others, every problem at its file, line and column.
//!
//! Owns the source model. It must not compute reports, resolve links between pages or
//! render; it uses only `base` and `formats`.

pub mod config;
pub mod content;
pub mod data;
pub(crate) mod files;
pub(crate) mod measure;
pub(crate) mod params;
pub(crate) mod versions;
