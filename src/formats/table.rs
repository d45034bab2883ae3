//! CSV tables with a header line: the header mapped to the columns asked for (missing,
//! unknown and repeated columns reported), every row's cells handed over in that order
//! (short and long rows reported), large files read in parallel pieces, at most
//! `MAX_FILE_ERRORS` errors a file. It must not know what a column means.

use rayon::prelude::*;

use crate::base::diagnostics::{merge_capped, Diagnostics, Pos, Severity, Unknown, MAX_FILE_ERRORS};
use crate::formats::csv::{self, Field};

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

/// Reads a CSV file whose header names `names` (in any order, nothing else): calls
/// `each` with every data row's fields in the order of `names`. A missing or unknown
/// column, a short row and a CSV syntax error are diagnostics at their position.
pub(crate) fn read_table<'a>(
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

/// [`read_table`] for large files: the rows are read in record-aligned pieces in
/// parallel, each piece with its own state `S` (say, interned names); `each` maps a row
/// to what to keep. Returns the kept values in file order. Diagnostics are the same as
/// reading the file whole.
pub(crate) fn read_table_parallel<'a, S: Default, T: Send>(
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
    let mut out = Vec::with_capacity(read.iter().map(|r| r.0.len()).sum());
    let mut found = Diagnostics::new();
    for (rows, d) in read {
        out.extend(rows);
        found.extend(d);
    }
    merge_capped(found, diags);
    out
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
