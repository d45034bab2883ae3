//! Measurements: what actually happened, month by month — KPI values
//! (`data/metrics/*.csv|yaml`), complaint records (`data/complaints.csv`, with
//! `data/complaint_types.yaml` naming each type's time-limit parameter), survey
//! responses (`data/surveys.csv`) and improvement actions (`data/actions.yaml`).
//!
//! Owns the file formats and row validation; every bad row or cell is a diagnostic at
//! its file, line and column, all reported in one run. CSV files are streamed row by
//! row. It must not compute reports (that is `report`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::base::date::{Date, Timestamp, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos, Severity};
use crate::base::text_safety;
use crate::formats::csv::{self, Field};
use crate::formats::yaml::{self, Fields, Kind, Spanned};
use crate::load::data::{merge_capped, Data, ParamValue, MAX_FILE_ERRORS};
use crate::load::params::Param;
use std::borrow::Cow;

pub use crate::base::layout::{ACTIONS_FILE, COMPLAINTS_FILE, COMPLAINT_TYPES_FILE, METRICS_DIR, SURVEYS_FILE};

/// The subject `org`: the organisation as a whole.
pub const ORG: &str = "org";

/// A complaint type and its time limits (from a parameter, converted to seconds), each
/// in force from its date: a complaint is judged against the limit in force when it
/// was received.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplaintType {
    pub id: String,
    pub name: String,
    pub limit_param: String,
    /// `(from, seconds)`, oldest first; the first step's `from` is `None` when the
    /// parameter has a single undated value. Seconds are exact for whole minutes.
    pub limits: Vec<(Option<Timestamp>, f64)>,
    /// The share (percent) of complaints that should be handled within the limit;
    /// reports flag months below it. Default 90.
    pub goal: f64,
}

impl ComplaintType {
    /// A type with one limit, in force since always.
    pub fn with_limit(id: &str, name: &str, hours: f64, goal: f64) -> ComplaintType {
        ComplaintType {
            id: id.into(),
            name: name.into(),
            limit_param: String::new(),
            limits: vec![(None, hours * 3600.0)],
            goal,
        }
    }

    /// The limit in seconds in force at `received`: the last step that had begun by
    /// then. A complaint older than every dated step is judged against the first
    /// (the loader warns about such complaints).
    pub fn limit_at(&self, received: Timestamp) -> f64 {
        let in_force = self.limits.iter().take_while(|(from, _)| from.is_none_or(|f| f <= received)).last();
        in_force.or(self.limits.first()).map_or(f64::INFINITY, |l| l.1)
    }

    /// When the first limit begins, if it is dated.
    pub fn first_from(&self) -> Option<Timestamp> {
        self.limits.first().and_then(|l| l.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Complaint {
    pub id: Box<str>,
    /// Index into `Measurements::complaint_types`.
    pub kind: usize,
    /// Shared by every complaint of the channel (a million records hold a handful).
    pub channel: std::sync::Arc<str>,
    /// Index into `Data::org.teams`.
    pub team: usize,
    pub received: Timestamp,
    /// `None` while open, and when resolved after the build date (not yet known then).
    pub resolved: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurveyResponse {
    pub date: Date,
    pub month: YearMonth,
    /// Index into `Data::org.teams`.
    pub team: usize,
    pub score: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ActionStatus {
    Planned,
    InProgress,
    Done,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Planned => "planned",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub title: String,
    /// A role id.
    pub owner: String,
    /// A department id.
    pub department: String,
    pub due: Date,
    pub status: ActionStatus,
    pub done_on: Option<Date>,
}

/// Everything measured, validated against the service data.
#[derive(Debug, Default)]
pub struct Measurements {
    /// (KPI id, subject id) → month → value, as given (no roll-up).
    pub values: BTreeMap<(String, String), BTreeMap<YearMonth, f64>>,
    pub complaint_types: Vec<ComplaintType>,
    pub complaints: Vec<Complaint>,
    pub surveys: Vec<SurveyResponse>,
    pub actions: Vec<Action>,
}

/// Which kind of subject an id names, from `org.yaml` (`org` is the organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubjectKind {
    Person,
    Team,
    Department,
    Org,
}

pub fn subject_kind(data: &Data, id: &str) -> Option<SubjectKind> {
    if id == ORG {
        Some(SubjectKind::Org)
    } else if data.org.people.iter().any(|p| p.id == id) {
        Some(SubjectKind::Person)
    } else if data.org.teams.iter().any(|t| t.id == id) {
        Some(SubjectKind::Team)
    } else if data.org.departments.iter().any(|d| d.id == id) {
        Some(SubjectKind::Department)
    } else {
        None
    }
}

/// Loads every measurement file under `root`; absent files are empty. Rows dated after
/// `today` (the build date) are left out with a warning: reports cover what was known
/// by the end of the build date.
pub fn load(root: &Path, data: &Data, roles: &BTreeSet<String>, today: Date, diags: &mut Diagnostics) -> Measurements {
    let mut m = Measurements::default();
    load_metrics(root, data, today, &mut m, diags);
    m.complaint_types = load_complaint_types(root, data, diags);
    if let Some(text) = read_text(root, COMPLAINTS_FILE, diags) {
        m.complaints = parse_complaints(&text, &m.complaint_types, data, today, diags);
    }
    if let Some(text) = read_text(root, SURVEYS_FILE, diags) {
        m.surveys = parse_surveys(&text, data, today, diags);
    }
    if let Some(text) = read_text(root, ACTIONS_FILE, diags) {
        m.actions = parse_actions(&text, data, roles, diags);
    }
    m
}

/// Rows dated after the build date, counted while reading a file and reported once,
/// at the first of them.
#[derive(Default)]
struct Later {
    count: usize,
    first: Option<Pos>,
}

impl Later {
    fn note(&mut self, pos: Pos) {
        self.count += 1;
        if self.first.is_none_or(|f| (pos.line, pos.col) < (f.line, f.col)) {
            self.first = Some(pos);
        }
    }

    fn at(pos: Option<Pos>) -> Later {
        Later { count: usize::from(pos.is_some()), first: pos }
    }

    fn merge(&mut self, other: Later) {
        if let Some(pos) = other.first {
            self.note(pos);
            self.count += other.count - 1;
        }
    }

    /// One warning: `what` says what happened to the rows (`are left out`).
    fn warn(self, file: &str, today: Date, what: &str, diags: &mut Diagnostics) {
        if let Some(pos) = self.first {
            let rows = if self.count == 1 { "1 row".to_string() } else { format!("{} rows", self.count) };
            let what = if self.count == 1 {
                what.replacen("are ", "is ", 1).replacen("count ", "counts ", 1)
            } else {
                what.to_string()
            };
            diags.warning(
                file,
                pos,
                "after-build-date",
                format!("{rows} dated after the build date {today} {what} (the first is here); set --today to report a later date"),
            );
        }
    }
}

/// The largest CSV file read (512 MiB): a million complaint records are about 100 MB
/// and take about 400 MB of memory to check, so this bounds a run at about 2 GB.
pub const MAX_CSV_BYTES: u64 = 512 << 20;

/// Reads a measurement file (absent: `None`, no diagnostic), within the size limit of
/// its kind: CSV files [`MAX_CSV_BYTES`], YAML files `yaml::MAX_YAML_BYTES`.
fn read_text(root: &Path, file: &str, diags: &mut Diagnostics) -> Option<String> {
    let (max, what) = if file.ends_with(".csv") {
        (MAX_CSV_BYTES, "CSV files")
    } else {
        (yaml::MAX_YAML_BYTES as u64, "YAML data files")
    };
    crate::load::data::read_source(&root.join(file), file, max, what, diags)
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
            diags.error(file, f.pos, "unknown-column", format!("unknown column `{name}`"));
            diags.suggest(name, wanted.iter().chain(optional).copied());
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
fn read_table<'a>(
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
        if let Some(cells) = cells(file, line, row, c, names, width, &mut found) {
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
fn read_table_parallel<'a, S: Default, T: Send>(
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
                if let Some(cells) = cells(file, line, row, &cols, names, width, &mut d) {
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

/// A cell naming an id, as the reader sees it: a hidden or direction-changing
/// character is reported once, at its own column, and left out, so that the row still
/// finds what it visibly names and no "unknown" error echoes it. `None` when nothing
/// visible is left (the row is skipped; the error is already reported).
fn visible_cell<'c>(file: &str, cell: &'c Field, what: &str, diags: &mut Diagnostics) -> Option<Cow<'c, str>> {
    if text_safety::find_deceptive(&cell.text).is_none() {
        return Some(Cow::Borrowed(cell.text.trim()));
    }
    let verbatim = matches!(cell.text, Cow::Borrowed(_));
    let seen = crate::formats::deceptive::refuse_cell(file, cell.pos, verbatim, what, &cell.text, diags)?;
    Some(Cow::Owned(seen.trim().to_string()))
}

/// [`visible_cell`] for a YAML string field read from `node`.
fn visible_field(
    file: &str,
    node: Option<&yaml::Node>,
    s: Spanned<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<Spanned<String>> {
    if text_safety::find_deceptive(&s.value).is_none() {
        return Some(s);
    }
    crate::formats::deceptive::refuse(file, node, s.pos, what, &s.value, diags)
        .map(|value| Spanned { value, pos: s.pos })
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
    cols: &[usize],
    names: &[&str],
    width: usize,
    diags: &mut Diagnostics,
) -> Option<Vec<&'r Field<'a>>> {
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

fn load_metrics(root: &Path, data: &Data, today: Date, m: &mut Measurements, diags: &mut Diagnostics) {
    let dir = root.join(METRICS_DIR);
    if !dir.is_dir() {
        return;
    }
    let mut files: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect(),
        Err(e) => {
            diags.error(METRICS_DIR, Pos::FILE, "io", format!("cannot read folder: {e}"));
            return;
        }
    };
    files.sort();
    let subjects = subject_ids(data);
    for name in files {
        let file = format!("{METRICS_DIR}/{name}");
        if name.starts_with('.') {
            continue;
        }
        let is_csv = name.ends_with(".csv");
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if !is_csv && !is_yaml {
            diags.warning(&file, Pos::FILE, "not-data", "ignored: metrics files are .csv or .yaml");
            continue;
        }
        let Some(text) = read_text(root, &file, diags) else { continue };
        let mut into =
            Recorder { file: &file, data, subjects: &subjects, values: &mut m.values, today, later: Later::default() };
        if is_csv {
            parse_metrics_csv(&text, &mut into, diags);
        } else {
            parse_metrics_yaml(&text, &mut into, diags);
        }
        into.later.warn(&file, today, "are left out", diags);
    }
}

/// Every id a measurement may name as its subject (people, teams, departments, `org`),
/// so that checking a row is a hash lookup rather than a walk through the organisation.
fn subject_ids(data: &Data) -> rustc_hash::FxHashSet<&str> {
    let people = data.org.people.iter().map(|p| p.id.as_str());
    let teams = data.org.teams.iter().map(|t| t.id.as_str());
    let departments = data.org.departments.iter().map(|d| d.id.as_str());
    people.chain(teams).chain(departments).chain([ORG]).collect()
}

/// Where checked values go: the file being read, what ids are known, and the values
/// read so far.
struct Recorder<'a> {
    file: &'a str,
    data: &'a Data,
    subjects: &'a rustc_hash::FxHashSet<&'a str>,
    values: &'a mut BTreeMap<(String, String), BTreeMap<YearMonth, f64>>,
    today: Date,
    later: Later,
}

/// One measured value as read, each part with its position.
struct ValueRow<'r> {
    period: (YearMonth, Pos),
    subject: (&'r str, Pos),
    kpi: (&'r str, Pos),
    value: (f64, Pos),
    /// The value was written with a `%` sign.
    percent: bool,
}

impl Recorder<'_> {
    /// Records one value after checking period, subject and KPI.
    fn record(&mut self, row: ValueRow, diags: &mut Diagnostics) {
        let (file, data) = (self.file, self.data);
        let ValueRow { period: (period, period_pos), subject, kpi, value, percent } = row;
        if !self.subjects.contains(subject.0) {
            diags.error(
                file,
                subject.1,
                "unknown-subject",
                format!(
                    "unknown subject `{}`: not a person, team or department in data/org.yaml, nor `org`",
                    subject.0
                ),
            );
            let ids = data
                .org
                .people
                .iter()
                .map(|p| p.id.as_str())
                .chain(data.org.teams.iter().map(|t| t.id.as_str()))
                .chain(data.org.departments.iter().map(|d| d.id.as_str()));
            diags.suggest(subject.0, ids);
            return;
        }
        let Some(k) = data.kpis.get(kpi.0) else {
            diags.error(
                file,
                kpi.1,
                "unknown-kpi",
                format!("unknown KPI `{}`: it is not defined in data/kpis.yaml", kpi.0),
            );
            diags.suggest(kpi.0, data.kpis.keys().map(String::as_str));
            return;
        };
        if !value.0.is_finite() || value.0 < k.scale.0 || value.0 > k.scale.1 {
            diags.error(
                file,
                value.1,
                "value-out-of-scale",
                format!("value {} of `{}` is outside its scale {}–{}", value.0, kpi.0, k.scale.0, k.scale.1),
            );
            return;
        }
        if percent && k.unit.trim() != "%" {
            let unit = if k.unit.is_empty() { "no unit".to_string() } else { format!("`{}`", k.unit) };
            diags.warning(
                file,
                value.1,
                "unit-mismatch",
                format!(
                    "value of `{}` is written with `%` but the KPI's unit is {unit}: read as {} {}; write the number alone",
                    kpi.0,
                    crate::load::data::format_number(value.0),
                    k.unit
                ),
            );
        }
        if period > YearMonth::of(self.today) {
            self.later.note(period_pos);
            return;
        }
        let series = self.values.entry((kpi.0.to_string(), subject.0.to_string())).or_default();
        if series.insert(period, value.0).is_some() {
            diags.error(
                file,
                value.1,
                "duplicate-value",
                format!("a second value for `{}` of `{}` in {period}", kpi.0, subject.0),
            );
        }
    }
}

/// A number as a CSV cell holds it, with whether it carried a `%` sign.
fn parse_number(s: &str) -> Option<(f64, bool)> {
    let t = s.trim();
    let (t, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim_end(), true),
        None => (t, false),
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| (v, percent))
}

/// Whether `s` is written as a number but overflows `f64` (`1e400`), not `inf` or `NaN`.
fn parse_metrics_csv(text: &str, into: &mut Recorder, diags: &mut Diagnostics) {
    let file = into.file;
    read_table(file, text, &["period", "subject", "kpi", "value"], diags, |cells, diags| {
        let [period, subject, kpi, value] = [cells[0], cells[1], cells[2], cells[3]];
        let month = match YearMonth::parse(period.text.trim()) {
            Ok(m) => m,
            Err(e) => {
                diags.error(file, period.pos, "bad-date", format!("`period`: {e}"));
                return;
            }
        };
        if value.text.trim().is_empty() {
            return; // Missing stays missing.
        }
        let Some((v, percent)) = parse_number(&value.text) else {
            let message = if yaml::number_too_large(&value.text) {
                format!("`value`: `{}` is too large for a number", value.text.trim())
            } else {
                format!("`value` must be a number, found `{}`", value.text)
            };
            diags.error(file, value.pos, "bad-number", message);
            return;
        };
        let (Some(subject_id), Some(kpi_id)) =
            (visible_cell(file, subject, "subject", diags), visible_cell(file, kpi, "KPI id", diags))
        else {
            return;
        };
        let row = ValueRow {
            period: (month, period.pos),
            subject: (&subject_id, subject.pos),
            kpi: (&kpi_id, kpi.pos),
            value: (v, value.pos),
            percent,
        };
        into.record(row, diags);
    });
}

/// YAML metrics: a list of `{period, subject, values: {kpi: value, …}}`.
fn parse_metrics_yaml(text: &str, into: &mut Recorder, diags: &mut Diagnostics) {
    let mut found = Diagnostics::new();
    metrics_yaml_records(text, into, &mut found);
    merge_capped(found, diags);
}

/// [`parse_metrics_yaml`] without the cap on errors; stops soon after the cap.
fn metrics_yaml_records(text: &str, into: &mut Recorder, diags: &mut Diagnostics) {
    let file = into.file;
    let Some(node) = yaml::parse_file(text, file, diags) else { return };
    let items = yaml::records(&node, file, "`{period, subject, values}` measurements", diags);
    for item in items {
        if diags.count(Severity::Error) > MAX_FILE_ERRORS {
            break;
        }
        let Some(mut f) = Fields::new(item, file, "measurement", diags) else { continue };
        let period = f.month("period", diags);
        let subject = f.required_string("subject", diags);
        let subject = subject.and_then(|s| visible_field(file, f.node("subject"), s, "subject", diags));
        let vals = f.node("values");
        f.finish(diags, |_| None);
        let (Some(period), Some(subject)) = (period, subject) else { continue };
        let Some(vals) = vals else {
            diags.error(file, item.pos, "missing-key", "measurement: missing required key `values`");
            continue;
        };
        let Kind::Map(entries) = &vals.kind else {
            diags.error(
                file,
                vals.pos,
                "wrong-type",
                format!("`values` maps KPI ids to numbers, found {}", vals.type_name()),
            );
            continue;
        };
        for (k, v) in entries {
            let Some(kpi) = k.as_str() else {
                diags.error(file, k.pos, "bad-key", format!("KPI ids must be names, found {}", k.type_name()));
                continue;
            };
            let value = match v.kind {
                Kind::Int(i) => i as f64,
                Kind::Float(x) if x.is_finite() => x,
                Kind::Float(_) => {
                    diags.error(
                        file,
                        v.pos,
                        "bad-number",
                        format!("value of `{kpi}` must be a finite number, found `{}`", v.number_text()),
                    );
                    continue;
                }
                Kind::Null => continue,
                Kind::Str(ref s) if yaml::number_too_large(s) => {
                    diags.error(
                        file,
                        v.pos,
                        "bad-number",
                        format!("value of `{kpi}`: `{s}` is too large for a number"),
                    );
                    continue;
                }
                _ => {
                    diags.error(
                        file,
                        v.pos,
                        "bad-number",
                        format!("value of `{kpi}` must be a number, found {}", v.type_name()),
                    );
                    continue;
                }
            };
            let row = ValueRow {
                period: (period.value, period.pos),
                subject: (&subject.value, subject.pos),
                kpi: (kpi, k.pos),
                value: (value, v.pos),
                percent: false,
            };
            into.record(row, diags);
        }
    }
}

/// Converts a time-limit parameter to seconds (units 分钟, 小时, 天, 周 and English
/// forms); whole numbers of any unit convert exactly.
pub fn limit_seconds(value: f64, unit: &str) -> Option<f64> {
    let factor = match unit.trim() {
        "分钟" | "分" | "min" | "minutes" => 60.0,
        "小时" | "h" | "hours" => 3600.0,
        "天" | "日" | "d" | "days" => 86_400.0,
        "周" | "星期" | "weeks" => 604_800.0,
        _ => return None,
    };
    Some(value * factor)
}

fn load_complaint_types(root: &Path, data: &Data, diags: &mut Diagnostics) -> Vec<ComplaintType> {
    let Some(text) = read_text(root, COMPLAINT_TYPES_FILE, diags) else { return Vec::new() };
    let file = COMPLAINT_TYPES_FILE;
    let Some(node) = yaml::parse_file(&text, file, diags) else { return Vec::new() };
    let items = yaml::records(&node, file, "complaint types `{id, name, limit}`", diags);
    let mut out: Vec<ComplaintType> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(item, file, "complaint type", diags) else { continue };
        let id = f.required_string("id", diags);
        let id = id.and_then(|s| visible_field(file, f.node("id"), s, "complaint type id", diags));
        let name = f.required_string("name", diags);
        let limit = f.required_string("limit", diags);
        let goal = f.number("goal", diags);
        if let Some(g) = &goal {
            if !(0.0..=100.0).contains(&g.value) {
                diags.error(file, g.pos, "bad-value", "`goal` is a percentage between 0 and 100");
            }
        }
        f.finish(diags, |_| None);
        let (Some(id), Some(name), Some(limit)) = (id, name, limit) else { continue };
        if out.iter().any(|t| t.id == id.value) {
            diags.error(file, id.pos, "duplicate-id", format!("duplicate complaint type `{}`", id.value));
            continue;
        }
        let Some(param) = data.params.get(&limit.value) else {
            diags.error(
                file,
                limit.pos,
                "unknown-param",
                format!("unknown parameter `{}`: it is not defined in data/params.yaml", limit.value),
            );
            diags.suggest(&limit.value, data.params.keys().map(String::as_str));
            continue;
        };
        let Some(limits) = limit_steps(param, (file, limit.pos), diags) else { continue };
        let goal = goal.map_or(90.0, |g| g.value.clamp(0.0, 100.0));
        out.push(ComplaintType { id: id.value, name: name.value, limit_param: limit.value, limits, goal });
    }
    out
}

/// A time-limit parameter's values in seconds, each from its date; `None` after an error
/// at the type's `limit` (`at`) when a value is not a positive span of time.
fn limit_steps(param: &Param, at: (&str, Pos), diags: &mut Diagnostics) -> Option<Vec<(Option<Timestamp>, f64)>> {
    let mut out = Vec::with_capacity(param.history.len());
    for step in &param.history {
        let hours = match step.value {
            // A limit must be a positive, finite span (`1e308 周` overflows to infinity).
            ParamValue::Number(v) => limit_seconds(v, &param.unit).filter(|h| h.is_finite() && *h > 0.0),
            ParamValue::Text(_) => None,
        };
        let Some(seconds) = hours else {
            diags.error(
                at.0,
                at.1,
                "bad-value",
                format!(
                    "parameter `{}` must be a positive number of minutes, hours, days or weeks to be a time limit (it is `{}`)",
                    param.id,
                    crate::load::data::display_value(&step.value, &param.unit)
                ),
            );
            return None;
        };
        out.push((step.from.map(Timestamp::of_date), seconds));
    }
    Some(out)
}

/// `complaints.csv`: id, type, channel, team, received_at, resolved_at (empty while open).
/// Rows are checked in parallel pieces; duplicate ids are found in one pass after.
///
/// A complaint received after the end of `today` (the build date) is left out, and one
/// resolved after it counts as still open, each with one warning per file; one received
/// before its type's first dated limit is judged against that limit, with a warning.
pub fn parse_complaints(
    text: &str,
    types: &[ComplaintType],
    data: &Data,
    today: Date,
    diags: &mut Diagnostics,
) -> Vec<Complaint> {
    let file = COMPLAINTS_FILE;
    let teams: rustc_hash::FxHashMap<&str, usize> =
        data.org.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    /// A row: its id (borrowed from the file unless quoted), where the id is, the
    /// complaint when every other cell is valid, and what is dated after the build date.
    type Row<'a> = (std::borrow::Cow<'a, str>, Pos, Option<Complaint>, Dated);
    let horizon = Timestamp::end_of(today);
    type Channels<'a> = rustc_hash::FxHashMap<&'a str, std::sync::Arc<str>>;
    let names = ["id", "type", "channel", "team", "received_at", "resolved_at"];
    let rows: Vec<Row> = read_table_parallel(file, text, &names, diags, |channels: &mut Channels, cells, diags| {
        let [id, kind, channel, team, received, resolved] =
            [cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]];
        let mut ok = true;
        let kind_id = visible_cell(file, kind, "`type`", diags);
        let kind_ix = kind_id.as_deref().and_then(|k| types.iter().position(|t| t.id == k));
        if let (None, Some(k)) = (kind_ix, kind_id.as_deref()) {
            diags.error(
                file,
                kind.pos,
                "unknown-complaint-type",
                format!("unknown complaint type `{k}`: not in {COMPLAINT_TYPES_FILE}"),
            );
            diags.suggest(k, types.iter().map(|t| t.id.as_str()));
        }
        ok &= kind_ix.is_some();
        let team_id = visible_cell(file, team, "`team`", diags);
        let team_ix = team_id.as_deref().and_then(|t| teams.get(t).copied());
        if let (None, Some(t)) = (team_ix, team_id.as_deref()) {
            diags.error(file, team.pos, "unknown-team", format!("unknown team `{t}`"));
            diags.suggest(t, data.org.teams.iter().map(|t| t.id.as_str()));
        }
        ok &= team_ix.is_some();
        let received_at = match Timestamp::parse(&received.text) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.error(file, received.pos, "bad-date", format!("`received_at`: {e}"));
                None
            }
        };
        let resolved_at = if resolved.text.trim().is_empty() {
            Some(None)
        } else {
            match Timestamp::parse(&resolved.text) {
                Ok(m) => Some(Some(m)),
                Err(e) => {
                    diags.error(file, resolved.pos, "bad-date", format!("`resolved_at`: {e}"));
                    None
                }
            }
        };
        if let (Some(r), Some(Some(done))) = (received_at, resolved_at) {
            if done < r {
                diags.error(file, resolved.pos, "bad-date", "`resolved_at` is before `received_at`");
                ok = false;
            }
        }
        let mut dated = Dated::default();
        let complaint = match (ok, kind_ix, team_ix, received_at, resolved_at) {
            (true, Some(_), Some(_), Some(r), _) if r >= horizon => {
                dated.received_later = Some(received.pos);
                None
            }
            (true, Some(kind), Some(team), Some(received_at), Some(resolved_at)) => {
                let resolved_at = match resolved_at {
                    Some(done) if done > horizon => {
                        dated.resolved_later = Some(resolved.pos);
                        None
                    }
                    other => other,
                };
                if types[kind].first_from().is_some_and(|first| received_at < first) {
                    dated.before_limit = Some(received.pos);
                }
                let (received, resolved) = (received_at, resolved_at);
                let name = channel.text.trim();
                let channel = match channels.get(name) {
                    Some(c) => c.clone(),
                    None => {
                        let c: std::sync::Arc<str> = name.into();
                        if let std::borrow::Cow::Borrowed(b) = &channel.text {
                            channels.insert(b.trim(), c.clone());
                        }
                        c
                    }
                };
                Some(Complaint { id: id.text.trim().into(), kind, channel, team, received, resolved })
            }
            _ => None,
        };
        let id_text = match &id.text {
            std::borrow::Cow::Borrowed(t) => std::borrow::Cow::Borrowed(t.trim()),
            std::borrow::Cow::Owned(t) => std::borrow::Cow::Owned(t.trim().to_string()),
        };
        Some((id_text, id.pos, complaint, dated))
    });
    // Every row's id counts, valid or not; a repeated id is an error at the repeat.
    let mut ids: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    ids.reserve(rows.len());
    let mut out = Vec::with_capacity(rows.len());
    let mut rows = rows;
    let mut duplicates = Diagnostics::new();
    let (mut received_later, mut resolved_later) = (Later::default(), Later::default());
    let mut before_limit: BTreeMap<usize, Later> = BTreeMap::new();
    for (id, pos, complaint, dated) in rows.iter_mut() {
        let id: &std::borrow::Cow<str> = id;
        if ids.insert(id.as_ref()) {
            received_later.merge(Later::at(dated.received_later));
            resolved_later.merge(Later::at(dated.resolved_later));
            if let (Some(c), Some(p)) = (complaint.as_ref(), dated.before_limit) {
                before_limit.entry(c.kind).or_default().note(p);
            }
            out.extend(complaint.take());
        } else {
            duplicates.error(file, *pos, "duplicate-id", format!("duplicate complaint id `{id}`"));
            if duplicates.count(Severity::Error) > MAX_FILE_ERRORS {
                break;
            }
        }
    }
    merge_capped(duplicates, diags);
    received_later.warn(file, today, "are left out", diags);
    resolved_later.warn(file, today, "in `resolved_at` count as still open", diags);
    for (kind, later) in before_limit {
        let t = &types[kind];
        let first = t.first_from().map_or_else(String::new, |f| f.date().to_string());
        if let Some(pos) = later.first {
            diags.warning(
                file,
                pos,
                "before-first-limit",
                format!(
                    "{} `{}` complaints were received before the first value of `{}` (in force from {first}) and are judged against it (the first is here)",
                    later.count, t.id, t.limit_param
                ),
            );
        }
    }
    out
}

/// What a complaint row holds beyond the build date or before its first time limit.
#[derive(Default)]
struct Dated {
    received_later: Option<Pos>,
    resolved_later: Option<Pos>,
    before_limit: Option<Pos>,
}

/// `surveys.csv`: date, team, score (0–10).
/// Responses dated after `today` (the build date) are left out with one warning.
pub fn parse_surveys(text: &str, data: &Data, today: Date, diags: &mut Diagnostics) -> Vec<SurveyResponse> {
    let file = SURVEYS_FILE;
    let mut out = Vec::new();
    let mut later = Later::default();
    let teams: rustc_hash::FxHashMap<&str, usize> =
        data.org.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    read_table(file, text, &["date", "team", "score"], diags, |cells, diags| {
        let [date, team, score] = [cells[0], cells[1], cells[2]];
        let d = Date::parse(date.text.trim())
            .map_err(|e| diags.error(file, date.pos, "bad-date", format!("`date`: {e}")))
            .ok();
        let team_id = visible_cell(file, team, "`team`", diags);
        let t = team_id.as_deref().and_then(|id| teams.get(id).copied());
        if let (None, Some(id)) = (t, team_id.as_deref()) {
            diags.error(file, team.pos, "unknown-team", format!("unknown team `{id}`"));
            diags.suggest(id, data.org.teams.iter().map(|t| t.id.as_str()));
        }
        let s = match score.text.trim().parse::<u8>() {
            Ok(s) if s <= 10 => Some(s),
            _ => {
                diags.error(
                    file,
                    score.pos,
                    "bad-number",
                    format!("`score` must be a whole number from 0 to 10, found `{}`", score.text.trim()),
                );
                None
            }
        };
        if let (Some(d), Some(team), Some(score)) = (d, t, s) {
            if d > today {
                later.note(date.pos);
            } else {
                out.push(SurveyResponse { date: d, month: YearMonth::of(d), team, score });
            }
        }
    });
    later.warn(file, today, "are left out", diags);
    out
}

/// `actions.yaml`: improvement actions with an owner role, a department and a due date.
/// At most [`MAX_FILE_ERRORS`] errors are reported.
pub fn parse_actions(text: &str, data: &Data, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> Vec<Action> {
    let mut found = Diagnostics::new();
    let out = actions(text, data, roles, &mut found);
    merge_capped(found, diags);
    out
}

fn actions(text: &str, data: &Data, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> Vec<Action> {
    let file = ACTIONS_FILE;
    let Some(node) = yaml::parse_file(text, file, diags) else { return Vec::new() };
    let items = yaml::records(&node, file, "improvement actions", diags);
    let departments: BTreeSet<&str> = data.org.departments.iter().map(|d| d.id.as_str()).collect();
    let mut out = Vec::new();
    for item in items {
        if diags.count(Severity::Error) > MAX_FILE_ERRORS {
            break;
        }
        let Some(mut f) = Fields::new(item, file, "action", diags) else { continue };
        let title = f.required_string("title", diags);
        let owner = f.required_string("owner", diags);
        let owner = owner.and_then(|s| visible_field(file, f.node("owner"), s, "`owner`", diags));
        let department = f.required_string("department", diags);
        let department = department.and_then(|s| visible_field(file, f.node("department"), s, "`department`", diags));
        let due = f.date("due", diags);
        if due.is_none() && f.key_pos("due").is_none() {
            diags.error(file, item.pos, "missing-key", "action: missing required key `due`");
        }
        let status = f.choice("status", &["planned", "in_progress", "done"], diags).map(|s| match s.value {
            "done" => ActionStatus::Done,
            "in_progress" => ActionStatus::InProgress,
            _ => ActionStatus::Planned,
        });
        let done_on = f.date("done_on", diags);
        f.finish(diags, |_| None);
        if let Some(o) = &owner {
            if !roles.contains(&o.value) {
                diags.error(
                    file,
                    o.pos,
                    "unknown-role",
                    format!("`owner`: unknown role `{}`: there is no role document with that id", o.value),
                );
                diags.suggest(&o.value, roles.iter().map(String::as_str));
            }
        }
        if let Some(d) = &department {
            if !departments.contains(d.value.as_str()) {
                diags.error(file, d.pos, "unknown-department", format!("unknown department `{}`", d.value));
                diags.suggest(&d.value, departments.iter().copied());
            }
        }
        let status = status.unwrap_or(ActionStatus::Planned);
        match (&done_on, status) {
            (Some(d), s) if s != ActionStatus::Done => {
                diags.error(file, d.pos, "bad-value", "`done_on` is set but `status` is not `done`");
            }
            (None, ActionStatus::Done) => {
                diags.error(file, item.pos, "missing-key", "action is `done` but has no `done_on` date");
            }
            _ => {}
        }
        if let (Some(title), Some(owner), Some(department), Some(due)) = (title, owner, department, due) {
            out.push(Action {
                title: title.value,
                owner: owner.value,
                department: department.value,
                due: due.value,
                status,
                done_on: done_on.map(|d| d.value),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::Spanned;
    use crate::load::data::{Org, Team};

    fn data() -> Data {
        let team = Team {
            id: "desk-a".into(),
            name: "一组".into(),
            department: Spanned { value: "front".into(), pos: Pos::new(1, 1) },
            roles: Vec::new(),
            pos: Pos::new(1, 1),
        };
        Data { org: Org { teams: vec![team], ..Org::default() }, ..Data::default() }
    }

    fn surveys(text: &str) -> (usize, Vec<String>) {
        let mut d = Diagnostics::new();
        let n = parse_surveys(text, &data(), today(), &mut d).len();
        (n, d.iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect())
    }

    fn today() -> Date {
        Date::parse("2026-06-30").unwrap()
    }

    fn located(d: &Diagnostics) -> Vec<String> {
        d.iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }

    #[test]
    fn metrics_after_the_build_date_and_misplaced_percent_signs_are_said() {
        let mut data = data();
        let mut sat = crate::compute::kpi::tests::kpi(crate::load::data::Direction::Higher, (1.0, 5.0), &[], 0.0);
        sat.id = "sat".into();
        let mut rate = crate::compute::kpi::tests::kpi(crate::load::data::Direction::Higher, (0.0, 100.0), &[], 0.0);
        rate.id = "rate".into();
        rate.unit = "%".into();
        data.kpis.insert("sat".into(), sat);
        data.kpis.insert("rate".into(), rate);
        let subjects = subject_ids(&data);
        let mut values = BTreeMap::new();
        let mut d = Diagnostics::new();
        let file = "data/metrics/m.csv";
        let mut into = Recorder {
            file,
            data: &data,
            subjects: &subjects,
            values: &mut values,
            today: today(),
            later: Later::default(),
        };
        let text = "period,subject,kpi,value\n2026-06,org,sat,4.5%\n2026-06,org,rate,92.5%\n2026-07,org,sat,4\n2026-08,org,sat,4\n";
        parse_metrics_csv(text, &mut into, &mut d);
        into.later.warn(file, today(), "are left out", &mut d);
        assert_eq!(
            located(&d),
            [
                "data/metrics/m.csv:2:17 value of `sat` is written with `%` but the KPI's unit is `分`: read as 4.5 分; write the number alone",
                "data/metrics/m.csv:4:1 2 rows dated after the build date 2026-06-30 are left out (the first is here); set --today to report a later date",
            ]
        );
        let june = YearMonth::parse("2026-06").unwrap();
        assert_eq!(values[&("rate".to_string(), "org".to_string())][&june], 92.5);
        assert_eq!(values[&("sat".to_string(), "org".to_string())].len(), 1, "July and August are left out");
    }

    #[test]
    fn complaints_keep_seconds_and_nothing_after_the_build_date_counts() {
        let types = vec![ComplaintType::with_limit("a", "服务态度", 24.0, 90.0)];
        let text = "id,type,channel,team,received_at,resolved_at\n\
                    c1,a,热线,desk-a,2026-06-01 09:00:00,2026-06-02 09:00:59\n\
                    c2,a,热线,desk-a,2026-06-29 09:00,2026-07-02 10:00\n\
                    c3,a,热线,desk-a,2026-07-01 09:00,\n";
        let mut d = Diagnostics::new();
        let list = parse_complaints(text, &types, &data(), today(), &mut d);
        assert_eq!(
            located(&d),
            [
                "data/complaints.csv:4:16 1 row dated after the build date 2026-06-30 is left out (the first is here); set --today to report a later date",
                "data/complaints.csv:3:33 1 row dated after the build date 2026-06-30 in `resolved_at` counts as still open (the first is here); set --today to report a later date",
            ]
        );
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].received.seconds_until(list[0].resolved.unwrap()), 86_459, "seconds kept");
        assert_eq!(list[1].resolved, None, "resolved after the build date: open as of it");
    }

    #[test]
    fn complaints_before_the_first_dated_limit_are_judged_by_it_with_a_warning() {
        let mut t = ComplaintType::with_limit("q", "产品质量", 48.0, 90.0);
        t.limit_param = "complaint_quality_hours".into();
        t.limits[0].0 = Some(Timestamp::parse("2025-01-01 00:00").unwrap());
        let text = "id,type,channel,team,received_at,resolved_at\nc1,q,热线,desk-a,2024-12-31 23:00,\nc2,q,热线,desk-a,2025-01-02 09:00,\n";
        let mut d = Diagnostics::new();
        let list = parse_complaints(text, &[t.clone()], &data(), today(), &mut d);
        assert_eq!(list.len(), 2);
        assert_eq!(
            located(&d),
            ["data/complaints.csv:2:16 1 `q` complaints were received before the first value of `complaint_quality_hours` (in force from 2025-01-01) and are judged against it (the first is here)"]
        );
        assert_eq!(t.limit_at(list[0].received), 48.0 * 3600.0);
    }

    #[test]
    fn survey_answers_after_the_build_date_are_left_out() {
        let (n, msgs) = surveys("date,team,score\n2026-06-30,desk-a,9\n2026-07-01,desk-a,9\n");
        assert_eq!(n, 1);
        assert_eq!(
            msgs,
            ["data/surveys.csv:3:1 1 row dated after the build date 2026-06-30 is left out (the first is here); set --today to report a later date"]
        );
    }

    #[test]
    fn a_hidden_character_in_a_reference_is_one_error_at_its_column() {
        // `desk-a` with a zero-width space after `desk`: reported at that character,
        // and the answer still counts for the team it visibly names.
        let (n, msgs) = surveys("date,team,score\n2026-06-03,desk\u{200B}-a,9\n");
        assert_eq!(n, 1);
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].starts_with("data/surveys.csv:2:16 `team` `desk‹U+200B›-a` contains"), "{msgs:?}");
    }

    #[test]
    fn a_file_of_bad_rows_reports_the_first_hundred_and_stops() {
        let rows: String = (0..1000).map(|i| format!("2026-06-03,desk-a,x{i}\n")).collect();
        let (n, msgs) = surveys(&format!("date,team,score\n{rows}"));
        assert_eq!(n, 0);
        assert_eq!(msgs.len(), MAX_FILE_ERRORS + 1);
        assert_eq!(msgs[0], "data/surveys.csv:2:19 `score` must be a whole number from 0 to 10, found `x0`");
        assert_eq!(
            msgs[MAX_FILE_ERRORS],
            "data/surveys.csv:102:19 more errors follow; only the first 100 of a file are reported"
        );
    }

    #[test]
    fn header_and_row_width_problems() {
        let (n, msgs) = surveys("date,team,score,team\n2026-06-03,desk-a,9,x,\n2026-06-04,desk-a,9,,\n");
        assert_eq!(msgs, ["data/surveys.csv:1:17 column `team` is named twice in the header"]);
        assert_eq!(n, 2);
        let (n, msgs) = surveys("date,team,score\n2026-06-03,desk-a,9,,\n2026-06-04,desk-a,9,a,b\n");
        assert_eq!(n, 1);
        assert_eq!(
            msgs,
            ["data/surveys.csv:3:21 row has 5 values but the header names 3 columns (quote values that contain a comma)"]
        );
        let (n, msgs) = surveys("");
        assert_eq!(n, 0);
        assert_eq!(
            msgs,
            ["data/surveys.csv:0:0 data/surveys.csv is empty: it has no rows (nor the header line `date,team,score`)"]
        );
    }
}
