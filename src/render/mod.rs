//! Rendering one audience's site: which pages it holds, how they link to each other
//! (navigation, breadcrumbs, section lists, previous/next, owners and reporting lines)
//! and the HTML of every page through the theme.
//!
//! Leak-proofing lives here by construction: a [`View`] is built from the pages
//! published for its audience only, and every lookup (owner, role lists, navigation)
//! goes through the view, so the public site is computed only from public pages. This
//! module produces file contents in memory; it never writes.
//!
//! Here: `view.rs` (which pages a site holds and how they relate), `pages.rs` (page
//! contexts and the HTML of every content page, in batches to the sink), `kpis.rs`
//! (the KPI dictionary), `assets.rs` (fingerprinted theme asset names), `history.rs` (a page's last-updated date and edit link), `search_page.rs` (the search
//! results page and the OpenSearch description), `meta.rs` (description, canonical and OpenGraph addresses), `shared.rs` (what every page of a view shares — base context, navigation fragments — worked out once per view), `hosting.rs` (each tier's nginx server and `_headers` file). The other renderers sit beside them: charts (with `chart_colours.rs`, which gives chart shapes the classes of their colour role so dark mode recolours them), the print
//! edition, release pages (changelog, redlines, feed) and `reports/` (the internal
//! report pages, one file per family, and the public performance page). `words.rs`
//! gives the service data's words (KPI, team, scorecard names, units) in the language
//! of the page being generated.

mod assets;
mod chart_colours;
pub(crate) mod charts;
mod history;
pub(crate) mod hosting;
mod kpis;
mod languages;
pub(crate) mod meta;
mod pages;
pub(crate) mod print;
pub(crate) mod redirects;
pub(crate) mod release_pages;
pub(crate) mod reports;
mod search_page;
mod shared;
pub(crate) mod sitemap;
pub(crate) mod theme;
mod view;
pub(crate) mod words;

pub(crate) use languages::Alternates;
pub(crate) use pages::{generated_context, home_crumb};
pub(crate) use pages::{page, site};
pub(crate) use view::Link;
pub(crate) use view::{Inputs, Versioning, View};
