//! Tables: a CSV file with a header line, or a Parquet file (`formats::parquet`). The
//! header or schema is mapped to the columns asked for (missing, unknown and repeated
//! columns reported), every row's cells handed over in that order (short and long CSV
//! rows reported), large files read in parallel pieces (CSV) or row groups (Parquet), at
//! most `MAX_FILE_ERRORS` errors a file. It must not know what a column means.

use std::path::Path;

use rayon::prelude::*;

use crate::base::diagnostics::{merge_capped, Diagnostics, Pos, Severity, Unknown, MAX_FILE_ERRORS};
use crate::formats::csv::{self, Field};
use crate::formats::parquet;
pub(crate) use crate::formats::parquet::{Column, Holds};

/// Where a table's rows are: the text of a CSV file, or a Parquet file on disk (read
/// row group by row group, never whole) with the organisation's offset from UTC, for
/// instants (`None`: read in UTC, with a warning).
#[derive(Clone, Copy)]
pub(crate) enum Table<'a> {
    Csv(&'a str),
    Parquet(&'a Path, Option<i64>),
}

/// The names of `columns`, for the CSV header.
fn names_of(columns: &[Column]) -> Vec<&'static str> {
    columns.iter().map(|c| c.name).collect()
}

/// Maps the header of a CSV file to column indexes, reporting missing and unknown
/// columns. Returns `None` when a required column is missing.
fn columns(
    file: &str,
    header: &[Field],
    wanted: &[&str],
    optional: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<Option<usize>>> {
    let names: Vec<String> = header.iter().map(|f| f.text.trim().to_lowercase()).collect();
    for (i, (f, name)) in header.iter().zip(&names).enumerate() {
        if names[..i].contains(name) {
            diags.error(file, f.pos, "duplicate-column", format!("column `{name}` is named twice in the header"));
            continue;
        }
        if !wanted.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
            let u = Unknown { code: "unknown-column", what: "column", id: name, field: None, why: None };
            diags.unknown(file, f.pos, u, wanted.iter().chain(optional).copied());
        }
    }
    let mut out = Vec::new();
    let mut ok = true;
    for w in wanted.iter().chain(optional) {
        let ix = names.iter().position(|n| n == w);
        if ix.is_none() && wanted.contains(w) {
            diags.error(
                file,
                Pos::new(1, 1),
                "missing-column",
                format!("missing column `{w}` (the header must name: {})", wanted.join(", ")),
            );
            ok = false;
        }
        out.push(ix);
    }
    ok.then_some(out)
}

/// Reads a table whose header or schema names `columns` (in any order, nothing else):
/// calls `each` with every data row's fields in the order of `columns`. A missing or
/// unknown column, a short row, a CSV syntax error and a Parquet value of the wrong type
/// are diagnostics at their position.
pub(crate) fn read_table<'a>(
    file: &str,
    table: Table<'a>,
    columns: &[Column],
    diags: &mut Diagnostics,
    mut each: impl FnMut(&[&Field<'a>], &mut Diagnostics),
) {
    match table {
        Table::Csv(text) => read_csv(file, text, &names_of(columns), diags, each),
        Table::Parquet(path, utc_offset) => {
            let Some(opened) = parquet::open(file, (path, utc_offset), columns, diags) else { return };
            let mut found = Diagnostics::new();
            for g in 0..opened.row_groups() {
                parquet::read_group(file, &opened, g, &mut found, |cells, d| {
                    each(cells, d);
                    true
                });
                if found.count(Severity::Error) > MAX_FILE_ERRORS {
                    break;
                }
            }
            opened.warn_fractions(file, &mut found);
            merge_capped(found, diags);
        }
    }
}

/// [`read_table`] for a CSV file's text.
fn read_csv<'a>(
    file: &str,
    text: &'a str,
    names: &[&str],
    diags: &mut Diagnostics,
    mut each: impl FnMut(&[&Field<'a>], &mut Diagnostics),
) {
    let mut cols: Option<Vec<usize>> = None;
    let mut header = true;
    let mut width = 0;
    let mut found = Diagnostics::new();
    let result = csv::read(text, |line, row| {
        if header {
            header = false;
            width = row.len();
            cols = columns(file, row, names, &[], diags).map(|c| c.into_iter().map(|c| c.unwrap_or(0)).collect());
            return cols.is_some();
        }
        let Some(c) = cols.as_ref() else { return false };
        if let Some(cells) = cells(file, line, row, &Layout { cols: c, names, width }, &mut found) {
            each(&cells, &mut found);
        }
        found.count(Severity::Error) <= MAX_FILE_ERRORS
    });
    if let Err((pos, msg)) = result {
        found.error(file, pos, "csv-syntax", msg);
    } else if header {
        empty_table(file, names, diags);
    }
    merge_capped(found, diags);
}

/// A CSV file without even a header line holds no rows: worth a warning, not an error.
fn empty_table(file: &str, names: &[&str], diags: &mut Diagnostics) {
    diags.warning(
        file,
        Pos::FILE,
        "empty-file",
        format!("{file} is empty: it has no rows (nor the header line `{}`)", names.join(",")),
    );
}

/// [`read_table`] for large files: the rows are read in record-aligned pieces (CSV) or
/// row groups (Parquet) in parallel, each piece with its own state `S` (say, interned
/// names); `each` maps a row to what to keep. Returns the kept values in file order.
/// Diagnostics are the same as reading the file whole.
pub(crate) fn read_table_parallel<'a, S: Default, T: Send>(
    file: &str,
    table: Table<'a>,
    columns: &[Column],
    diags: &mut Diagnostics,
    each: impl Fn(&mut S, &[&Field<'a>], &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let at = match table {
        Table::Csv(text) => return read_csv_parallel(file, text, &names_of(columns), diags, each),
        Table::Parquet(path, utc_offset) => (path, utc_offset),
    };
    let Some(opened) = parquet::open(file, at, columns, diags) else { return Vec::new() };
    let read: Vec<(Vec<T>, Diagnostics)> = (0..opened.row_groups())
        .into_par_iter()
        .map(|g| {
            let (mut out, mut d, mut state) = (Vec::new(), Diagnostics::new(), S::default());
            parquet::read_group(file, &opened, g, &mut d, |cells, d| {
                out.extend(each(&mut state, cells, d));
                true
            });
            (out, d)
        })
        .collect();
    let out = gather(read, diags);
    opened.warn_fractions(file, diags);
    out
}

/// The kept values of every piece in order, and their diagnostics, capped.
fn gather<T>(read: Vec<(Vec<T>, Diagnostics)>, diags: &mut Diagnostics) -> Vec<T> {
    let mut out = Vec::with_capacity(read.iter().map(|r| r.0.len()).sum());
    let mut found = Diagnostics::new();
    for (rows, d) in read {
        out.extend(rows);
        found.extend(d);
    }
    merge_capped(found, diags);
    out
}

/// [`read_table_parallel`] for a CSV file's text.
fn read_csv_parallel<'a, S: Default, T: Send>(
    file: &str,
    text: &'a str,
    names: &[&str],
    diags: &mut Diagnostics,
    each: impl Fn(&mut S, &[&Field<'a>], &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let mut cols: Option<Vec<usize>> = None;
    let mut width = None;
    let header = csv::read(text, |_, row| {
        width = Some(row.len());
        cols = columns(file, row, names, &[], diags).map(|c| c.into_iter().map(|c| c.unwrap_or(0)).collect());
        false
    });
    if let Err((pos, msg)) = header {
        diags.error(file, pos, "csv-syntax", msg);
        return Vec::new();
    }
    let Some(width) = width else {
        empty_table(file, names, diags);
        return Vec::new();
    };
    let Some(cols) = cols else { return Vec::new() };
    let pieces = csv::split(text, PIECE_BYTES);
    let read: Vec<(Vec<T>, Diagnostics)> = pieces
        .par_iter()
        .enumerate()
        .map(|(k, &(start, line))| {
            let end = pieces.get(k + 1).map_or(text.len(), |p| p.0);
            let (mut out, mut d, mut state) = (Vec::new(), Diagnostics::new(), S::default());
            let mut header = k == 0;
            let result = csv::read_from(&text[start..end], line, |line, row| {
                if std::mem::take(&mut header) {
                    return true;
                }
                if let Some(cells) = cells(file, line, row, &Layout { cols: &cols, names, width }, &mut d) {
                    out.extend(each(&mut state, &cells, &mut d));
                }
                d.count(Severity::Error) <= MAX_FILE_ERRORS
            });
            if let Err((pos, msg)) = result {
                d.error(file, pos, "csv-syntax", msg);
            }
            (out, d)
        })
        .collect();
    gather(read, diags)
}

/// Where a table's columns are: the index of each wanted name in the header, the names,
/// and how many columns the header has.
#[derive(Clone, Copy)]
struct Layout<'h> {
    cols: &'h [usize],
    names: &'h [&'h str],
    width: usize,
}

/// Bytes of a large CSV file read by one task.
const PIECE_BYTES: usize = 1 << 20;

/// A row's fields at `cols` (one per name), or `None` after reporting the first that
/// a short row lacks, or a value beyond the header's `width` columns (usually a comma
/// in an unquoted value; empty extra fields, as spreadsheets leave, are fine).
fn cells<'r, 'a>(
    file: &str,
    line: usize,
    row: &'r [Field<'a>],
    layout: &Layout,
    diags: &mut Diagnostics,
) -> Option<Vec<&'r Field<'a>>> {
    let Layout { cols, names, width } = *layout;
    if let Some(extra) = row.iter().skip(width).find(|f| !f.text.trim().is_empty()) {
        diags.error(
            file,
            extra.pos,
            "long-row",
            format!(
                "row has {} values but the header names {width} columns (quote values that contain a comma)",
                row.len()
            ),
        );
        return None;
    }
    cols.iter().zip(names).map(|(ix, name)| cell(file, line, row, *ix, name, diags)).collect()
}

/// The field at column `ix` of a row, or an error at the row's end when it is short.
fn cell<'r, 'a>(
    file: &str,
    line: usize,
    row: &'r [Field<'a>],
    ix: usize,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<&'r Field<'a>> {
    let f = row.get(ix);
    if f.is_none() {
        let pos = row.last().map_or(Pos::new(line, 1), |l| Pos::new(l.pos.line, l.pos.col + l.text.chars().count()));
        diags.error(
            file,
            pos,
            "short-row",
            format!("row has no `{name}` value ({} columns, expected more)", row.len()),
        );
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use std::sync::Arc;

    #[test]
    fn parquet_row_groups_read_in_parallel_each_read_their_own_bytes() {
        // A hundred row groups read at once: each must come back whole and in order (row
        // groups that shared one file offset read each other's bytes and failed to
        // decompress).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let n = 1_000_000;
        let ids: ArrayRef = Arc::new(Int64Array::from((0..n).collect::<Vec<i64>>()));
        let names: Vec<String> = (0..n).map(|i| format!("name-{}", i * 7919 % 100_003)).collect();
        let names: ArrayRef = Arc::new(StringArray::from(names));
        parquet::write_for_test(&path, vec![("id", ids), ("name", names)], 50_000);
        let columns = [Column { name: "id", holds: Holds::Integer }, Column { name: "name", holds: Holds::Text }];
        let mut d = Diagnostics::new();
        let rows: Vec<(i64, String)> =
            read_table_parallel(".", Table::Parquet(&path, None), &columns, &mut d, |_: &mut (), cells, _| {
                Some((cells[0].text.parse().unwrap(), cells[1].text.to_string()))
            });
        assert!(d.is_empty(), "{:?}", d.iter().map(|d| &d.message).collect::<Vec<_>>());
        assert_eq!(rows.len(), n as usize);
        assert!(rows
            .iter()
            .enumerate()
            .all(|(i, (id, name))| { *id == i as i64 && *name == format!("name-{}", i as i64 * 7919 % 100_003) }));
    }
}
