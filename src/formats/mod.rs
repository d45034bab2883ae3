//! File formats: YAML parsed into a tree with a position on every key and value (and
//! `Fields`, the reader that reports every problem of a record), a streaming CSV
//! reader that gives every field its line and column, a Parquet reader that gives the
//! same fields row group by row group, and `table`, which reads either by the columns
//! its header or schema names.
//!
//! Owns syntax and positions only. It must not decide what a field means (that is
//! `load`), and uses nothing above `base`.

pub(crate) mod csv;
pub(crate) mod deceptive;
pub(crate) mod parquet;
pub(crate) mod table;
pub(crate) mod toml;
pub mod yaml;
