//! Metrics files (`data/metrics/*.csv|yaml`): one value a row (CSV) or a record of
//! values by KPI (YAML), each checked against the organisation, the KPI's scale and unit,
//! and the build date, then recorded by (KPI, subject, month). It must not roll values up.

use std::path::Path;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{merge_capped, Diagnostics, Pos, Severity, Unknown, MAX_FILE_ERRORS};
use crate::formats::table::{read_table, Column, Holds, Table};
use crate::formats::yaml::{self, Fields, Kind};
use crate::load::data::Data;

use super::{read_text, visible_cell, visible_field, Found, Later, Measurements, Monthly, SeriesMap, METRICS_DIR, ORG};

pub(super) fn load_metrics(
    root: &Path,
    data: &Data,
    (today, utc_offset): (Date, Option<i64>),
    m: &mut Measurements,
    diags: &mut Diagnostics,
) {
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
    let mut values = Reading::default();
    for name in &files {
        let file = format!("{METRICS_DIR}/{name}");
        if name.starts_with('.') {
            continue;
        }
        let is_csv = name.ends_with(".csv");
        let is_parquet = name.ends_with(".parquet");
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if !is_csv && !is_yaml && !is_parquet {
            diags.warning(&file, Pos::FILE, "not-data", "ignored: metrics files are .csv, .parquet or .yaml");
            continue;
        }
        let twin = name.strip_suffix(".parquet").map(|stem| format!("{stem}.csv"));
        if let Some(csv) = twin.filter(|csv| files.contains(csv)) {
            let message = format!("{METRICS_DIR}/{csv} and {file} hold the same table; keep one (the CSV was read)");
            diags.error(&file, Pos::FILE, "two-tables", message);
            continue;
        }
        let found = if is_parquet {
            Found::Parquet(root.join(&file), utc_offset)
        } else {
            let Some(text) = read_text(root, &file, diags) else { continue };
            Found::Csv(text)
        };
        let mut into =
            Recorder { file: &file, data, subjects: &subjects, values: &mut values, today, later: Later::default() };
        match &found {
            Found::Csv(text) if is_yaml => parse_metrics_yaml(text, &mut into, diags),
            _ => parse_metrics_table(found.table(), &mut into, diags),
        }
        into.later.warn(&file, today, "are left out", diags);
    }
    m.values = sorted(values);
}

/// Values read so far by (KPI id, subject id), both borrowed from the service data: a
/// row costs a hash lookup and no allocation. Sorted into a [`SeriesMap`] once every
/// file is read ([`sorted`]), so no hash order survives.
type Reading<'a> = rustc_hash::FxHashMap<(&'a str, &'a str), Monthly>;

/// The series read, in key order, each without the room reserved for more months.
fn sorted(values: Reading) -> SeriesMap {
    let mut all: Vec<((&str, &str), Monthly)> = values.into_iter().collect();
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all.into_iter()
        .map(|((kpi, subject), mut series)| {
            series.shrink_to_fit();
            ((kpi.to_string(), subject.to_string()), series)
        })
        .collect()
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
struct Recorder<'a, 'f> {
    file: &'f str,
    data: &'a Data,
    subjects: &'f rustc_hash::FxHashSet<&'a str>,
    values: &'f mut Reading<'a>,
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

impl Recorder<'_, '_> {
    /// Records one value after checking period, subject and KPI.
    fn record(&mut self, row: ValueRow, diags: &mut Diagnostics) {
        let (file, data) = (self.file, self.data);
        let ValueRow { period: (period, period_pos), subject, kpi, value, percent } = row;
        let Some(&subject_id) = self.subjects.get(subject.0) else {
            let why = Some("not a person, team or department in data/org.yaml, nor `org`");
            let u = Unknown { code: "unknown-subject", what: "subject", id: subject.0, field: None, why };
            let ids = data
                .org
                .people
                .iter()
                .map(|p| p.id.as_str())
                .chain(data.org.teams.iter().map(|t| t.id.as_str()))
                .chain(data.org.departments.iter().map(|d| d.id.as_str()));
            diags.unknown(file, subject.1, u, ids);
            return;
        };
        let Some((kpi_id, k)) = data.kpis.get_key_value(kpi.0) else {
            let why = Some("it is not defined in data/kpis.yaml");
            let u = Unknown { code: "unknown-kpi", what: "KPI", id: kpi.0, field: None, why };
            diags.unknown(file, kpi.1, u, data.kpis.keys().map(String::as_str));
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
                    crate::base::numbers::format_number(value.0),
                    k.unit
                ),
            );
        }
        if period > YearMonth::of(self.today) {
            self.later.note(period_pos);
            return;
        }
        let series = self.values.entry((kpi_id.as_str(), subject_id)).or_default();
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

/// The columns of a metrics table.
const COLUMNS: [Column; 4] = [
    Column { name: "period", holds: Holds::Month },
    Column { name: "subject", holds: Holds::Text },
    Column { name: "kpi", holds: Holds::Text },
    Column { name: "value", holds: Holds::Number },
];

/// A metrics table (CSV or Parquet): `period,subject,kpi,value`, one value per row.
fn parse_metrics_table(table: Table, into: &mut Recorder, diags: &mut Diagnostics) {
    let file = into.file;
    read_table(file, table, &COLUMNS, diags, |cells, diags| {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::measure::fixtures::{data, located, today};

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
        let mut values = Reading::default();
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
        parse_metrics_table(Table::Csv(text), &mut into, &mut d);
        into.later.warn(file, today(), "are left out", &mut d);
        assert_eq!(
            located(&d),
            [
                "data/metrics/m.csv:2:17 value of `sat` is written with `%` but the KPI's unit is `分`: read as 4.5 分; write the number alone",
                "data/metrics/m.csv:4:1 2 rows dated after the build date 2026-06-30 are left out (the first is here); set --today to report a later date",
            ]
        );
        let june = YearMonth::parse("2026-06").unwrap();
        let values = sorted(values);
        assert_eq!(values[&("rate".to_string(), "org".to_string())][&june], 92.5);
        assert_eq!(values[&("sat".to_string(), "org".to_string())].len(), 1, "July and August are left out");
    }
}
