//! The integration tests, one binary with a module per concern (as mdBook's
//! `testsuite`), so a change links once. `cargo test --test suite MODULE::` runs one
//! module; `CHARTER_BLESS=1 cargo test --test suite` rewrites the `expected.txt` of
//! invalid fixtures and corpus cases from what Charter prints now (review the diff).
//! The browser suite is apart (`tests/browser.rs`, feature `browser-tests`).

mod common;

mod as_of;
mod bench_peers;
mod build_sites;
mod check_like_build;
mod ci_output;
mod corpus;
mod data_sites;
mod deceptive_names;
mod english_site;
mod example_site;
mod faults;
mod files_and_links;
mod find_and_print;
mod front_matter;
mod github_handbook;
mod hostile_content;
mod hostile_paths;
mod hosting;
mod init_sites;
mod invalid_sites;
mod language_pages;
mod languages;
mod layering;
mod metadata;
mod page_history;
mod pathological;
mod print_editions;
mod properties;
mod readers_text;
mod recompute;
mod report_sites;
mod report_tables;
mod search_bytes;
mod search_quality;
mod sections;
mod serve;
mod serve_patch;
mod theme_assets;
mod tiers;
mod version_sites;
mod warehouse;
