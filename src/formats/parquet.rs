//! Parquet tables, as warehouses export them: the schema checked against what each
//! column must hold (text, whole numbers, numbers, dates, timestamps, months), then the
//! rows handed over one row group at a time as the same [`Field`]s the CSV reader gives,
//! each value written the way a CSV export would write it, so that one validation path
//! serves both formats. A row's position is `row:column` — the row's number in the file
//! and the column's number in the schema — and every message names the row group.
//!
//! It must not know what a column means; `formats::table` chooses between CSV and
//! Parquet.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::basic::Compression;

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos, Severity, MAX_FILE_ERRORS};
use crate::formats::csv::Field;

/// What a column must hold. Each accepts the Arrow types a warehouse writes for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// Strings; whole numbers too (ids are often integers in a warehouse, Snowflake's
    /// NUMBER(38,0) among them).
    Text,
    /// Whole numbers of any width, and decimals (Snowflake's NUMBER(38,0)).
    Integer,
    /// Floating point, whole numbers and decimals.
    Number,
    /// DATE.
    Date,
    /// TIMESTAMP without a time zone: wall-clock time, as the CSV holds. An instant
    /// (TIMESTAMP WITH TIME ZONE, stored in UTC) is moved to the organisation's time by
    /// its offset (`time_zone:`): months and days are the organisation's, and a complaint
    /// at 05:00 in Shanghai on June 1st is May 31st in UTC.
    Timestamp,
    /// A month: `YYYY-MM` text, or a DATE or TIMESTAMP (its month: `date_trunc`'s output).
    Month,
}

impl Holds {
    fn what(self) -> &'static str {
        match self {
            Holds::Text => "text (VARCHAR)",
            Holds::Integer => "whole numbers (INTEGER or BIGINT)",
            Holds::Number => "numbers (DOUBLE, DECIMAL or INTEGER)",
            Holds::Date => "dates (DATE)",
            Holds::Timestamp => "timestamps (TIMESTAMP)",
            Holds::Month => "months (`YYYY-MM` text, DATE or TIMESTAMP)",
        }
    }

    fn accepts(self, t: &DataType) -> bool {
        use DataType as D;
        let text = matches!(t, D::Utf8 | D::LargeUtf8 | D::Utf8View);
        let int = t.is_integer();
        let decimal = matches!(t, D::Decimal128(..));
        match self {
            Holds::Text => text || int || matches!(t, D::Decimal128(_, 0)),
            Holds::Integer => int || decimal,
            Holds::Number => int || decimal || matches!(t, D::Float32 | D::Float64),
            Holds::Date => matches!(t, D::Date32 | D::Date64),
            Holds::Timestamp => matches!(t, D::Timestamp(..)),
            Holds::Month => text || matches!(t, D::Date32 | D::Date64 | D::Timestamp(..)),
        }
    }
}

/// A column a table must have.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) holds: Holds,
}

/// An open Parquet file whose schema holds the columns asked for: where each is, and
/// how many rows each row group has.
pub(crate) struct Opened {
    /// Each row group is read through its own handle: handles made by `try_clone`
    /// share one file offset, and row groups read in parallel through them would read
    /// each other's bytes.
    path: std::path::PathBuf,
    meta: ArrowReaderMetadata,
    /// Index in the file's schema of each column asked for, in the order asked.
    leaves: Vec<usize>,
    /// The columns asked for, in the order asked.
    columns: Vec<Column>,
    /// Seconds added to each column's timestamps: the organisation's offset from UTC
    /// for instants, 0 for wall-clock times.
    shifts: Vec<i64>,
    /// Row count of each row group.
    groups: Vec<usize>,
    /// Timestamps whose fraction of a second was dropped, by column (index into the
    /// columns asked for): how many, and the first.
    fractions: std::sync::Mutex<BTreeMap<usize, (usize, Pos)>>,
}

impl Opened {
    pub(crate) fn row_groups(&self) -> usize {
        self.groups.len()
    }

    /// Once every row group is read: one warning per column whose timestamps had
    /// fractions of a second, which were dropped.
    pub(crate) fn warn_fractions(&self, file: &str, diags: &mut Diagnostics) {
        let fractions = self.fractions.lock().map(|f| f.clone()).unwrap_or_default();
        for (column, (n, pos)) in fractions {
            let name = self.columns[column].name;
            let what = if n == 1 {
                format!("1 value of `{name}` has a fraction of a second")
            } else {
                format!("{n} values of `{name}` have fractions of a second")
            };
            diags.warning(
                file,
                pos,
                "sub-second",
                format!("{what}, dropped: Charter keeps times to the whole second, as the warehouse SQL does (the first is here)"),
            );
        }
    }
}

/// Opens `path` (reported as `file`) and checks its schema: every column of `columns`
/// present (names compared as the CSV header's are: trimmed, any case), none other,
/// each of an accepted type. Instants are read at `utc_offset` (`None`: in UTC, with a
/// warning). `None` after reporting why it cannot be read.
pub(crate) fn open(
    file: &str,
    (path, utc_offset): (&Path, Option<i64>),
    columns: &[Column],
    diags: &mut Diagnostics,
) -> Option<Opened> {
    let handle = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diags.error(file, Pos::FILE, "io", format!("cannot read {file}: {e}"));
            return None;
        }
    };
    // Types come from the Parquet schema alone, not from an embedded Arrow schema, so
    // that a file reads the same whichever library wrote it.
    let options = ArrowReaderOptions::new().with_skip_arrow_metadata(true);
    let meta = match ArrowReaderMetadata::load(&handle, options) {
        Ok(m) => m,
        Err(e) => {
            diags.error(file, Pos::FILE, "parquet", format!("{file} is not a readable Parquet file: {e}"));
            return None;
        }
    };
    let schema = meta.schema().clone();
    if meta.parquet_schema().num_columns() != schema.fields().len() {
        diags.error(file, Pos::FILE, "parquet", format!("{file} has nested columns; Charter reads flat tables"));
        return None;
    }
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().trim().to_lowercase()).collect();
    let wanted: Vec<&str> = columns.iter().map(|c| c.name).collect();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            diags.error(file, Pos::FILE, "duplicate-column", format!("column `{name}` is named twice in the schema"));
        } else if !wanted.contains(&name.as_str()) {
            let u = crate::base::diagnostics::Unknown {
                code: "unknown-column",
                what: "column",
                id: name,
                field: None,
                why: None,
            };
            diags.unknown(file, Pos::FILE, u, wanted.iter().copied());
        }
    }
    let mut leaves = Vec::with_capacity(columns.len());
    let mut shifts = Vec::with_capacity(columns.len());
    let mut ok = true;
    for c in columns {
        let Some(ix) = names.iter().position(|n| n == c.name) else {
            diags.error(
                file,
                Pos::FILE,
                "missing-column",
                format!("missing column `{}` (the schema must name: {})", c.name, wanted.join(", ")),
            );
            ok = false;
            continue;
        };
        let found = schema.field(ix).data_type();
        if !c.holds.accepts(found) {
            diags.error(
                file,
                Pos::FILE,
                "column-type",
                format!("column `{}` must hold {}, but holds {found}", c.name, c.holds.what()),
            );
            ok = false;
        }
        let instants = matches!(found, DataType::Timestamp(_, Some(_)));
        if instants && utc_offset.is_none() {
            diags.warning(
                file,
                Pos::FILE,
                "instants-in-utc",
                format!("column `{}` holds instants (TIMESTAMP WITH TIME ZONE), read in UTC: days and months are UTC's; if the organisation's are not, set its offset in charter.yaml (`time_zone: \"+08:00\"`) or export wall-clock times", c.name),
            );
        }
        shifts.push(if instants { utc_offset.unwrap_or(0) } else { 0 });
        leaves.push(ix);
    }
    // A codec this build cannot decode is one error for the file, not one per row group.
    let codecs: std::collections::BTreeSet<String> = meta
        .metadata()
        .row_groups()
        .iter()
        .flat_map(|g| leaves.iter().filter_map(move |&l| g.columns().get(l)).map(|c| c.compression()))
        .filter(|c| {
            !matches!(
                c,
                Compression::UNCOMPRESSED
                    | Compression::SNAPPY
                    | Compression::GZIP(_)
                    | Compression::LZ4
                    | Compression::LZ4_RAW
                    | Compression::ZSTD(_)
            )
        })
        .map(|c| format!("{c:?}").split('(').next().unwrap_or_default().to_string())
        .collect();
    if !codecs.is_empty() {
        let codecs: Vec<String> = codecs.into_iter().collect();
        diags.error(
            file,
            Pos::FILE,
            "parquet",
            format!("{file} is compressed with {}, which Charter does not read: write it with snappy, zstd, lz4 or gzip (DuckDB: `COMPRESSION zstd`)", codecs.join(", ")),
        );
        ok = false;
    }
    let groups = meta.metadata().row_groups().iter().map(|g| usize::try_from(g.num_rows()).unwrap_or(0)).collect();
    let columns = columns.to_vec();
    let fractions = Default::default();
    ok.then_some(Opened { path: path.to_path_buf(), meta, leaves, columns, shifts, groups, fractions })
}

/// Rows of one row group read so far, to place diagnostics.
struct Place {
    group: usize,
    groups: usize,
    /// Rows in the file before this group.
    first: usize,
}

/// Reads row group `g` of `table`, calling `each` with every row's fields in the order
/// of the columns asked for (a NULL is an empty field, as in CSV) until it returns
/// `false`. Positions are `(row in the file, column in the schema)`; each diagnostic
/// raised here or by `each` is prefixed with the row group and the column's name.
pub(crate) fn read_group<'a>(
    file: &str,
    table: &Opened,
    g: usize,
    diags: &mut Diagnostics,
    mut each: impl FnMut(&[&Field<'a>], &mut Diagnostics) -> bool,
) {
    let place = Place { group: g, groups: table.groups.len(), first: table.groups[..g].iter().sum() };
    let mut found = Diagnostics::new();
    let reader = File::open(&table.path).map_err(|e| e.to_string()).and_then(|f| {
        let mask = ProjectionMask::roots(table.meta.parquet_schema(), table.leaves.iter().copied());
        ParquetRecordBatchReaderBuilder::new_with_metadata(f, table.meta.clone())
            .with_projection(mask)
            .with_row_groups(vec![g])
            .with_batch_size(8192)
            .build()
            .map_err(|e| e.to_string())
    });
    let mut row = place.first;
    let mut fractions: BTreeMap<usize, (usize, Pos)> = BTreeMap::new();
    match reader {
        Err(e) => found.error(file, Pos::FILE, "parquet", format!("row group {} cannot be read: {e}", g + 1)),
        Ok(reader) => {
            'batches: for batch in reader {
                let batch = match batch {
                    Ok(b) => b,
                    Err(e) => {
                        // Column 0: the batch does not say which column failed to decode.
                        let pos = Pos::new(row + 1, 0);
                        found.error(file, pos, "parquet", format!("cannot decode the rows from here on: {e}"));
                        break;
                    }
                };
                let cols = Batch::new(&batch, table);
                for r in 0..batch.num_rows() {
                    row += 1;
                    let Some(fields) = cols.row((file, r, row), &mut fractions, &mut found) else { continue };
                    let refs: Vec<&Field<'a>> = fields.iter().collect();
                    if !each(&refs, &mut found) || found.count(Severity::Error) > MAX_FILE_ERRORS {
                        break 'batches;
                    }
                }
            }
        }
    }
    if let Ok(mut all) = table.fractions.lock() {
        for (column, (n, pos)) in fractions {
            let entry = all.entry(column).or_insert((0, pos));
            entry.0 += n;
            if (pos.line, pos.col) < (entry.1.line, entry.1.col) {
                entry.1 = pos;
            }
        }
    }
    found.edit(|d| {
        if d.pos.line > place.first && d.pos.line <= place.first + table.groups[g] {
            let name = table.leaves.iter().position(|&l| l + 1 == d.pos.col).map(|i| table.columns[i].name);
            let column = name.map(|n| format!(", column `{n}`")).unwrap_or_default();
            let in_group = d.pos.line - place.first;
            d.message =
                format!("row group {} of {}, row {in_group}{column}: {}", place.group + 1, place.groups, d.message);
        }
    });
    diags.extend(found);
}

/// The columns of one decoded batch, in the order asked for, with their schema index.
struct Batch<'b> {
    /// Each column asked for: its values, its place in the schema, what it holds and
    /// the seconds its timestamps are moved by.
    columns: Vec<(&'b dyn Array, usize, Holds, i64)>,
}

impl<'b> Batch<'b> {
    fn new(batch: &'b RecordBatch, table: &Opened) -> Batch<'b> {
        // The projection keeps schema order; map each asked-for column to its place.
        let mut order: Vec<usize> = table.leaves.clone();
        order.sort_unstable();
        let columns = table
            .leaves
            .iter()
            .zip(table.columns.iter().zip(&table.shifts))
            .map(|(leaf, (column, shift))| {
                let k = order.iter().position(|o| o == leaf).unwrap_or(0);
                (batch.column(k).as_ref(), *leaf, column.holds, *shift)
            })
            .collect();
        Batch { columns }
    }

    /// Row `r` of the batch (row `row` of the file) as fields, or `None` after an error;
    /// a timestamp's dropped fraction of a second is counted in `fractions`.
    fn row<'a>(
        &self,
        (file, r, row): (&str, usize, usize),
        fractions: &mut BTreeMap<usize, (usize, Pos)>,
        diags: &mut Diagnostics,
    ) -> Option<Vec<Field<'a>>> {
        let mut out = Vec::with_capacity(self.columns.len());
        for (k, &(array, leaf, holds, shift)) in self.columns.iter().enumerate() {
            let pos = Pos::new(row, leaf + 1);
            match text_of(array, r, (holds, shift)) {
                Ok((text, fraction)) => {
                    if fraction {
                        fractions.entry(k).or_insert((0, pos)).0 += 1;
                    }
                    out.push(Field { text: Cow::Owned(text), pos });
                }
                Err(message) => {
                    diags.error(file, pos, "bad-value", message);
                    return None;
                }
            }
        }
        Some(out)
    }
}

/// Value `r` of `array` written as a CSV export writes it (a date in a month column as
/// its month, a timestamp moved by `shift` seconds and cut to the second), and whether a
/// fraction of a second was dropped; NULL is empty.
fn text_of(array: &dyn Array, r: usize, (holds, shift): (Holds, i64)) -> Result<(String, bool), String> {
    use DataType as D;
    if array.is_null(r) {
        return Ok((String::new(), false));
    }
    if holds == Holds::Month && matches!(array.data_type(), D::Date32 | D::Date64 | D::Timestamp(..)) {
        let (date, _) = text_of(array, r, (Holds::Date, shift))?;
        return Ok((date[..7].to_string(), false));
    }
    let mut fraction = false;
    let text = match array.data_type() {
        D::Utf8 => array.as_string::<i32>().value(r).to_string(),
        D::LargeUtf8 => array.as_string::<i64>().value(r).to_string(),
        D::Utf8View => array.as_string_view().value(r).to_string(),
        D::Int8 => array.as_primitive::<Int8Type>().value(r).to_string(),
        D::Int16 => array.as_primitive::<Int16Type>().value(r).to_string(),
        D::Int32 => array.as_primitive::<Int32Type>().value(r).to_string(),
        D::Int64 => array.as_primitive::<Int64Type>().value(r).to_string(),
        D::UInt8 => array.as_primitive::<UInt8Type>().value(r).to_string(),
        D::UInt16 => array.as_primitive::<UInt16Type>().value(r).to_string(),
        D::UInt32 => array.as_primitive::<UInt32Type>().value(r).to_string(),
        D::UInt64 => array.as_primitive::<UInt64Type>().value(r).to_string(),
        D::Float32 => array.as_primitive::<Float32Type>().value(r).to_string(),
        D::Float64 => array.as_primitive::<Float64Type>().value(r).to_string(),
        D::Decimal128(_, scale) => decimal(array.as_primitive::<Decimal128Type>().value(r), *scale),
        D::Date32 => Date::from_unix_days(i64::from(array.as_primitive::<Date32Type>().value(r))).to_string(),
        D::Date64 => {
            Date::from_unix_days(array.as_primitive::<Date64Type>().value(r).div_euclid(86_400_000)).to_string()
        }
        D::Timestamp(unit, _) => {
            let (v, per_second) = match unit {
                TimeUnit::Second => (array.as_primitive::<TimestampSecondType>().value(r), 1),
                TimeUnit::Millisecond => (array.as_primitive::<TimestampMillisecondType>().value(r), 1_000),
                TimeUnit::Microsecond => (array.as_primitive::<TimestampMicrosecondType>().value(r), 1_000_000),
                TimeUnit::Nanosecond => (array.as_primitive::<TimestampNanosecondType>().value(r), 1_000_000_000),
            };
            // Cut to the second, as the warehouse SQL's `unix_seconds` does.
            fraction = v.rem_euclid(per_second) != 0;
            timestamp_text(v.div_euclid(per_second) + shift)
        }
        other => return Err(format!("cannot read a value of type {other}")),
    };
    Ok((text, fraction))
}

/// `YYYY-MM-DD HH:MM:SS` of seconds since 1970.
fn timestamp_text(seconds: i64) -> String {
    let day = Date::from_unix_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!("{day} {:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A decimal's exact digits (`3875`, scale 2 → `38.75`), trailing zeros after the
/// point left out (`9.00` → `9`), as a CSV export of the same number reads.
fn decimal(value: i128, scale: i8) -> String {
    if scale <= 0 {
        return format!("{value}{}", "0".repeat(usize::from(scale.unsigned_abs())));
    }
    let digits = value.unsigned_abs().to_string();
    let scale = usize::from(scale.unsigned_abs());
    let digits = format!("{digits:0>width$}", width = scale + 1);
    let (whole, frac) = digits.split_at(digits.len() - scale);
    let frac = frac.trim_end_matches('0');
    let sign = if value < 0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// Writes Parquet files for tests: one column per `(name, array)`, rows split into
/// row groups of `group_rows`.
#[cfg(test)]
pub(crate) fn write_for_test(path: &Path, columns: Vec<(&str, arrow_array::ArrayRef)>, group_rows: usize) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, StringArray, TimestampMicrosecondArray};
    use std::sync::Arc;

    fn strings(v: &[&str]) -> ArrayRef {
        Arc::new(StringArray::from(v.to_vec()))
    }

    const COLS: [Column; 3] = [
        Column { name: "id", holds: Holds::Text },
        Column { name: "at", holds: Holds::Timestamp },
        Column { name: "n", holds: Holds::Integer },
    ];

    /// Every row of `path` as text, and the diagnostics, `LINE:COL message`.
    fn read(path: &Path) -> (Vec<Vec<String>>, Vec<String>) {
        read_at(path, None)
    }

    /// [`read`] with instants at offset `zone`.
    fn read_at(path: &Path, zone: Option<i64>) -> (Vec<Vec<String>>, Vec<String>) {
        let mut d = Diagnostics::new();
        let mut rows = Vec::new();
        if let Some(t) = open("t.parquet", (path, zone), &COLS, &mut d) {
            for g in 0..t.row_groups() {
                read_group("t.parquet", &t, g, &mut d, |cells, _| {
                    rows.push(cells.iter().map(|c| c.text.to_string()).collect());
                    true
                });
            }
            t.warn_fractions("t.parquet", &mut d);
        }
        (rows, d.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect())
    }

    #[test]
    fn rows_come_as_csv_text_and_errors_name_row_group_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let at = TimestampMicrosecondArray::from(vec![Some(1_767_605_415_000_000), None, Some(1_767_605_415_500_000)]);
        let columns = vec![
            ("n", Arc::new(Int64Array::from(vec![7, 8, 9])) as ArrayRef),
            ("ID", strings(&["c1", "c2", "c3"])),
            ("at", Arc::new(at) as ArrayRef),
        ];
        write_for_test(&path, columns, 2);
        let (rows, msgs) = read(&path);
        // Asked-for order, whatever the schema's; NULL is an empty field; a fraction of a
        // second is dropped, as the warehouse SQL drops it, with one warning.
        assert_eq!(rows, [["c1", "2026-01-05 09:30:15", "7"], ["c2", "", "8"], ["c3", "2026-01-05 09:30:15", "9"]]);
        assert_eq!(
            msgs,
            ["3:3 1 value of `at` has a fraction of a second, dropped: Charter keeps times to the whole second, as the warehouse SQL does (the first is here)"]
        );
        // Errors name the row group, the row in it and the column.
        let columns = vec![
            ("id", strings(&["c1", "c2", "c3"])),
            ("at", strings(&["x", "y", "z"])),
            ("n", Arc::new(Int64Array::from(vec![1, 2, 3])) as ArrayRef),
        ];
        write_for_test(&path, columns, 2);
        let mut d = Diagnostics::new();
        let cols = [COLS[0], Column { name: "at", holds: Holds::Text }, COLS[2]];
        let t = open("t.parquet", (&path, None), &cols, &mut d).unwrap();
        read_group("t.parquet", &t, 1, &mut d, |_, d| {
            d.error("t.parquet", Pos::new(3, 2), "x", "bad");
            true
        });
        let got: Vec<String> = d.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(got, ["3:2 row group 2 of 2, row 1, column `at`: bad"]);
    }

    #[test]
    fn a_column_of_the_wrong_type_is_named_with_the_type_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let columns = vec![
            ("id", strings(&["c1"])),
            ("at", strings(&["2026-01-05 09:30"])),
            ("n", strings(&["seven"])),
            ("extra", strings(&["x"])),
        ];
        write_for_test(&path, columns, 10);
        let (rows, msgs) = read(&path);
        assert!(rows.is_empty());
        assert_eq!(
            msgs,
            [
                "0:0 unknown column `extra`",
                "0:0 column `at` must hold timestamps (TIMESTAMP), but holds Utf8",
                "0:0 column `n` must hold whole numbers (INTEGER or BIGINT), but holds Utf8",
            ]
        );
    }

    #[test]
    fn instants_are_read_at_the_organisations_offset_or_in_utc_with_a_warning() {
        // 2026-05-31 21:30:00 UTC is 2026-06-01 05:30 in Shanghai: another day and month.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let at = TimestampMicrosecondArray::from(vec![1_780_263_000_000_000]).with_timezone("Asia/Shanghai");
        let columns = vec![
            ("id", strings(&["c1"])),
            ("at", Arc::new(at) as ArrayRef),
            ("n", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
        ];
        write_for_test(&path, columns, 10);
        let (rows, msgs) = read_at(&path, Some(8 * 3600));
        assert_eq!((rows, msgs.len()), (vec![vec!["c1".to_string(), "2026-06-01 05:30:00".into(), "1".into()]], 0));
        let (rows, msgs) = read(&path);
        assert_eq!(rows[0][1], "2026-05-31 21:30:00");
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].starts_with("0:0 column `at` holds instants (TIMESTAMP WITH TIME ZONE), read in UTC"),
            "{msgs:?}"
        );
    }

    #[test]
    fn decimal_ids_and_timestamp_months_read_as_their_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let ids = arrow_array::Decimal128Array::from(vec![1_234_567]).with_precision_and_scale(38, 0).unwrap();
        // 2026-06-01 00:00, as `date_trunc('month', …)` gives it.
        let month = TimestampMicrosecondArray::from(vec![1_780_272_000_000_000]);
        let columns = vec![("id", Arc::new(ids) as ArrayRef), ("at", Arc::new(month) as ArrayRef)];
        write_for_test(&path, columns, 10);
        let cols = [COLS[0], Column { name: "at", holds: Holds::Month }];
        let mut d = Diagnostics::new();
        let t = open("t.parquet", (&path, None), &cols, &mut d).unwrap();
        let mut rows = Vec::new();
        read_group("t.parquet", &t, 0, &mut d, |cells, _| {
            rows.push(cells.iter().map(|c| c.text.to_string()).collect::<Vec<_>>());
            true
        });
        assert!(d.is_empty());
        assert_eq!(rows, [["1234567", "2026-06"]]);
    }

    #[test]
    fn a_file_that_is_not_parquet_is_one_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, "id,at,n\n").unwrap();
        let (_, msgs) = read(&path);
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].starts_with("0:0 t.parquet is not a readable Parquet file"), "{msgs:?}");
    }

    #[test]
    fn decimals_read_as_a_csv_export_writes_them() {
        assert_eq!(decimal(3875, 2), "38.75");
        assert_eq!(decimal(900, 2), "9");
        assert_eq!(decimal(-5, 3), "-0.005");
        assert_eq!(decimal(12, 0), "12");
        assert_eq!(decimal(12, -2), "1200");
        assert_eq!(decimal(38750, 3), "38.75");
    }

    #[test]
    fn timestamps_read_as_wall_clock_text() {
        assert_eq!(timestamp_text(0), "1970-01-01 00:00:00");
        // 2026-01-05 09:30:15
        assert_eq!(timestamp_text(1_767_605_415), "2026-01-05 09:30:15");
        assert_eq!(timestamp_text(-1), "1969-12-31 23:59:59");
    }
}
