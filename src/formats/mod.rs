//! File formats: YAML parsed into a tree with a position on every key and value (and
//! `Fields`, the reader that reports every problem of a record), a streaming CSV
//! reader that gives every field its line and column, and `table`, which reads a CSV
//! file by the columns its header names.
//!
//! Owns syntax and positions only. It must not decide what a field means (that is
//! `load`), and uses nothing above `base`.

pub(crate) mod csv;
pub(crate) mod deceptive;
pub(crate) mod table;
pub(crate) mod toml;
pub mod yaml;
