//! Loading a site's sources: `charter.yaml`, `content/`, `versions/`, the service data
//! in `data/` (parameters, KPIs, scorecards, organisation) and the measurements
//! (metrics, complaints, surveys, actions), and when each source was last committed
//! (`history`, one `git log`), each checked for its own shape and its
//! references to the others, every problem at its file, line and column.
//!
//! Owns the source model. It must not compute reports, resolve links between pages or
//! render; it uses only `base` and `formats`.

pub(crate) mod aliases;
pub mod audience;
pub mod config;
pub mod content;
pub mod data;
pub(crate) mod files;
pub(crate) mod front_matter;
pub(crate) mod history;
pub(crate) mod measure;
pub(crate) mod other_tools;
pub(crate) mod params;
pub(crate) mod sections;
pub(crate) mod translations;
pub(crate) mod versions;
