//! Measurements: what actually happened, month by month — KPI values
//! (`data/metrics/*.csv|yaml`), complaint records (`data/complaints.csv`, with
//! `data/complaint_types.yaml` naming each type's time-limit parameter), survey
//! responses (`data/surveys.csv`) and improvement actions (`data/actions.yaml`).
//!
//! Owns the file formats and row validation; every bad row or cell is a diagnostic at
//! its file, line and column, all reported in one run. CSV files are streamed row by
//! row. It must not compute reports (that is `report`).
//!
//! This module holds the model, [`load`] and what the files share (the warning about
//! rows after the build date, ids read as they look); each file has its own module, and
//! reading CSV tables is `formats::table`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::text_safety;
use crate::formats::csv::Field;
use crate::formats::table::Table;
use crate::formats::yaml::{self, Spanned};
use crate::load::data::Data;
use std::borrow::Cow;

pub(crate) use crate::base::layout::{
    ACTIONS_FILE, COMPLAINTS, COMPLAINTS_MONTHLY, COMPLAINTS_OPEN, COMPLAINTS_OPEN_COUNTS, COMPLAINT_TYPES_FILE,
    METRICS_DIR, SURVEYS, SURVEYS_MONTHLY,
};

mod actions;
mod aggregates;
mod complaints;
mod metrics;
mod monthly;
mod surveys;

pub(crate) use self::actions::{parse_actions, Action, ActionStatus};
#[cfg(test)]
pub(crate) use self::aggregates::ComplaintMonth;
use self::aggregates::{load_complaint_summary, load_survey_summary, Against};
pub(crate) use self::aggregates::{ComplaintSummary, SurveyMonth};
pub(crate) use self::complaints::{parse_complaints, Complaint, ComplaintType};
pub(crate) use self::monthly::{series, Monthly, SeriesMap};
pub(crate) use self::surveys::{parse_surveys, SurveyResponse};

use self::complaints::load_complaint_types;
use self::metrics::load_metrics;

/// The subject `org`: the organisation as a whole.
pub(crate) const ORG: &str = "org";

/// Everything measured, validated against the service data.
#[derive(Debug, Default)]
pub(crate) struct Measurements {
    /// (KPI id, subject id) → month → value, as given (no roll-up).
    pub(crate) values: BTreeMap<(String, String), Monthly>,
    pub(crate) complaint_types: Vec<ComplaintType>,
    /// Complaint records, unless a warehouse summarised them (`complaint_summary`).
    pub(crate) complaints: Vec<Complaint>,
    pub(crate) complaint_summary: Option<ComplaintSummary>,
    /// Survey responses, unless a warehouse summarised them (`survey_months`).
    pub(crate) surveys: Vec<SurveyResponse>,
    pub(crate) survey_months: Vec<SurveyMonth>,
    pub(crate) actions: Vec<Action>,
}

/// Which kind of subject a scorecard ranks: people apart from teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SubjectKind {
    Person,
    Team,
}

/// Loads every measurement file under `root`; absent files are empty. Rows dated after
/// `today` (the build date) are left out with a warning: reports cover what was known
/// by the end of the build date.
pub(crate) fn load(
    root: &Path,
    data: &Data,
    roles: &BTreeSet<String>,
    (today, utc_offset): (Date, Option<i64>),
    diags: &mut Diagnostics,
) -> Measurements {
    let mut m = Measurements::default();
    load_metrics(root, data, (today, utc_offset), &mut m, diags);
    m.complaint_types = load_complaint_types(root, data, diags);
    let on = Against { root, data, types: &m.complaint_types, today, utc_offset };
    if let Some((file, found)) = find_table(root, COMPLAINTS, utc_offset, diags) {
        one_of_two(root, &file, &[COMPLAINTS_MONTHLY, COMPLAINTS_OPEN, COMPLAINTS_OPEN_COUNTS], diags);
        m.complaints = parse_complaints(&file, found.table(), on.types, data, today, diags);
    } else {
        m.complaint_summary = load_complaint_summary(&on, diags);
    }
    if let Some((file, found)) = find_table(root, SURVEYS, utc_offset, diags) {
        one_of_two(root, &file, &[SURVEYS_MONTHLY], diags);
        m.surveys = parse_surveys(&file, found.table(), data, today, diags);
    } else {
        m.survey_months = load_survey_summary(&on, diags).unwrap_or_default();
    }
    if let Some(summary) = &m.complaint_summary {
        aggregates::check_snapshots(summary, &m.months(today), today, diags);
    }
    if let Some(text) = read_text(root, ACTIONS_FILE, diags) {
        m.actions = parse_actions(&text, data, roles, diags);
    }
    m
}

/// Raw rows (`file`) and a warehouse's summary of them (any of the tables `summary`)
/// together: one error at the raw file, whose rows are read; the summary is not.
fn one_of_two(root: &Path, file: &str, summary: &[&str], diags: &mut Diagnostics) {
    if let Some(summary) = existing(root, summary) {
        diags.error(
            file,
            Pos::FILE,
            "two-tables",
            format!("{file} and {summary} both give these measurements; keep one (the raw rows were read)"),
        );
    }
}

/// The day month `period` is judged as of: the build date for the latest month
/// reported (`latest`), else the month's last day (or the build date, if earlier).
/// Every report of a past month uses what was known by the end of this day and nothing
/// after, so later data never changes it. A warehouse's summary must hold a snapshot
/// as of each such day (checked in `aggregates`).
pub(crate) fn as_of(period: YearMonth, latest: Option<YearMonth>, today: Date) -> Date {
    if Some(period) == latest {
        today
    } else {
        period.last_day().min(today)
    }
}

/// The first of the tables `stems` that is there, as `.csv` or `.parquet`.
pub(crate) fn existing(root: &Path, stems: &[&str]) -> Option<String> {
    let files = stems.iter().flat_map(|stem| ["csv", "parquet"].map(|ext| format!("{stem}.{ext}")));
    files.into_iter().find(|f| std::fs::symlink_metadata(root.join(f)).is_ok())
}

impl Measurements {
    /// The months reports cover: every month with a KPI value, complaint or survey
    /// response (as records or summarised), up to the build month.
    pub(crate) fn months(&self, today: Date) -> Vec<YearMonth> {
        let last = YearMonth::of(today);
        let mut set: BTreeSet<YearMonth> = self.values.values().flat_map(|s| s.keys().copied()).collect();
        set.extend(self.complaints.iter().map(|c| YearMonth::of(c.received.date())));
        set.extend(self.complaint_summary.iter().flat_map(|s| s.months.iter().map(|r| r.month)));
        set.extend(self.surveys.iter().map(|s| s.month));
        set.extend(self.survey_months.iter().map(|s| s.month));
        set.into_iter().filter(|p| *p <= last).collect()
    }

    /// Whether there are complaints, as records or summarised.
    pub(crate) fn has_complaints(&self) -> bool {
        !self.complaints.is_empty() || self.complaint_summary.as_ref().is_some_and(|s| !s.months.is_empty())
    }

    /// Whether there are survey answers, as records or summarised.
    pub(crate) fn has_surveys(&self) -> bool {
        !self.surveys.is_empty() || !self.survey_months.is_empty()
    }
}

/// The complaint types and their time limits alone (`charter warehouse-inputs`).
pub(crate) fn complaint_types(root: &Path, data: &Data, diags: &mut Diagnostics) -> Vec<ComplaintType> {
    load_complaint_types(root, data, diags)
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

    fn note_any(&mut self, pos: Option<Pos>) {
        if let Some(pos) = pos {
            self.note(pos);
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
pub(crate) const MAX_CSV_BYTES: u64 = 512 << 20;

/// Reads a measurement file (absent: `None`, no diagnostic), within the size limit of
/// its kind: CSV files [`MAX_CSV_BYTES`], YAML files `yaml::MAX_YAML_BYTES`.
fn read_text(root: &Path, file: &str, diags: &mut Diagnostics) -> Option<String> {
    let (max, what) = if file.ends_with(".csv") {
        (MAX_CSV_BYTES, "CSV files")
    } else {
        (yaml::MAX_YAML_BYTES as u64, "YAML data files")
    };
    crate::base::source::read_source(&root.join(file), file, max, what, diags)
}

/// A measurement table as found: a CSV file's text, or a Parquet file (read later, row
/// group by row group) with the organisation's offset from UTC (`time_zone:`).
pub(crate) enum Found {
    Csv(String),
    Parquet(std::path::PathBuf, Option<i64>),
}

impl Found {
    pub(crate) fn table(&self) -> Table<'_> {
        match self {
            Found::Csv(text) => Table::Csv(text),
            Found::Parquet(path, utc_offset) => Table::Parquet(path, *utc_offset),
        }
    }
}

/// Table `stem` (say `data/complaints`) as `stem.csv` or `stem.parquet`: its file name
/// and where its rows are; absent: `None`. Both at once is an error at the Parquet file
/// (the CSV is read, so its own problems are still reported).
pub(crate) fn find_table(
    root: &Path,
    stem: &str,
    utc_offset: Option<i64>,
    diags: &mut Diagnostics,
) -> Option<(String, Found)> {
    let (csv, parquet) = (format!("{stem}.csv"), format!("{stem}.parquet"));
    let parquet_path = root.join(&parquet);
    let has_parquet = std::fs::symlink_metadata(&parquet_path).is_ok();
    if let Some(text) = read_text(root, &csv, diags) {
        if has_parquet {
            diags.error(
                &parquet,
                Pos::FILE,
                "two-tables",
                format!("{csv} and {parquet} hold the same table; keep one (the CSV was read)"),
            );
        }
        return Some((csv, Found::Csv(text)));
    }
    if !has_parquet {
        return None;
    }
    if !std::fs::metadata(&parquet_path).is_ok_and(|m| m.is_file()) {
        diags.error(&parquet, Pos::FILE, "io", format!("cannot read {parquet}: it is not a regular file"));
        return None;
    }
    Some((parquet, Found::Parquet(parquet_path, utc_offset)))
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

#[cfg(test)]
mod fixtures {
    use super::*;
    use crate::load::data::{Org, Team};

    pub(super) fn data() -> Data {
        let team = Team {
            id: "desk-a".into(),
            name: "一组".into(),
            words: Default::default(),
            department: Spanned { value: "front".into(), pos: Pos::new(1, 1) },
            roles: Vec::new(),
            pos: Pos::new(1, 1),
        };
        Data { org: Org { teams: vec![team], ..Org::default() }, ..Data::default() }
    }

    pub(super) fn today() -> Date {
        Date::parse("2026-06-30").unwrap()
    }

    pub(super) fn located(d: &Diagnostics) -> Vec<String> {
        d.iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }
}
