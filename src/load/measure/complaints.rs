//! Complaints: the types (`data/complaint_types.yaml`) with their time limits, taken
//! from a parameter and converted to seconds, and the records (`data/complaints.csv`),
//! read in parallel pieces. It must not judge compliance (that is `compute::complaints`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::date::{Date, Timestamp};
use crate::base::diagnostics::{merge_capped, Diagnostics, Pos, Severity, Unknown, MAX_FILE_ERRORS};
use crate::formats::table::{read_table_parallel, Column, Holds, Table};
use crate::formats::yaml::{self, Fields};
use crate::load::data::{Data, ParamValue, Wording, WordsReader};
use crate::load::params::Param;

use super::{read_text, visible_cell, visible_field, Later, COMPLAINT_TYPES_FILE};

/// A complaint type and its time limits (from a parameter, converted to seconds), each
/// in force from its date: a complaint is judged against the limit in force when it
/// was received.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ComplaintType {
    pub(crate) id: String,
    /// The name in the default language; `words` holds every language's.
    pub(crate) name: String,
    pub(crate) words: Wording,
    pub(crate) limit_param: String,
    /// `(from, seconds)`, oldest first; the first step's `from` is `None` when the
    /// parameter has a single undated value. Seconds are exact for whole minutes.
    pub(crate) limits: Vec<(Option<Timestamp>, f64)>,
    /// The share (percent) of complaints that should be handled within the limit;
    /// reports flag months below it. Default 90.
    pub(crate) goal: f64,
}

impl ComplaintType {
    /// A type with one limit, in force since always.
    #[cfg(test)]
    pub(crate) fn with_limit(id: &str, name: &str, hours: f64, goal: f64) -> ComplaintType {
        ComplaintType {
            id: id.into(),
            name: name.into(),
            words: Wording::default(),
            limit_param: String::new(),
            limits: vec![(None, hours * 3600.0)],
            goal,
        }
    }

    /// The limit in seconds in force at `received`: the last step that had begun by
    /// then. A complaint older than every dated step is judged against the first
    /// (the loader warns about such complaints).
    pub(crate) fn limit_at(&self, received: Timestamp) -> f64 {
        let in_force = self.limits.iter().take_while(|(from, _)| from.is_none_or(|f| f <= received)).last();
        in_force.or(self.limits.first()).map_or(f64::INFINITY, |l| l.1)
    }

    /// When the first limit begins, if it is dated.
    pub(crate) fn first_from(&self) -> Option<Timestamp> {
        self.limits.first().and_then(|l| l.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Complaint {
    pub(crate) id: Box<str>,
    /// Index into `Measurements::complaint_types`.
    pub(crate) kind: usize,
    /// Shared by every complaint of the channel (a million records hold a handful).
    pub(crate) channel: std::sync::Arc<str>,
    /// Index into `Data::org.teams`.
    pub(crate) team: usize,
    pub(crate) received: Timestamp,
    /// `None` while open, and when resolved after the build date (not yet known then).
    pub(crate) resolved: Option<Timestamp>,
}

/// Converts a time-limit parameter to seconds (units 分钟, 小时, 天, 周 and English
/// forms); whole numbers of any unit convert exactly.
fn limit_seconds(value: f64, unit: &str) -> Option<f64> {
    let factor = match unit.trim() {
        // A unit written `[hour, hours]` is read here by its form after one.
        "分钟" | "分" | "min" | "minute" | "minutes" => 60.0,
        "小时" | "h" | "hour" | "hours" => 3600.0,
        "天" | "日" | "d" | "day" | "days" => 86_400.0,
        "周" | "星期" | "week" | "weeks" => 604_800.0,
        _ => return None,
    };
    Some(value * factor)
}

pub(super) fn load_complaint_types(root: &Path, data: &Data, diags: &mut Diagnostics) -> Vec<ComplaintType> {
    let Some(text) = read_text(root, COMPLAINT_TYPES_FILE, diags) else { return Vec::new() };
    let file = COMPLAINT_TYPES_FILE;
    let Some(node) = yaml::parse_file(&text, file, diags) else { return Vec::new() };
    let items = yaml::records(&node, file, "complaint types `{id, name, limit}`", diags);
    let mut out: Vec<ComplaintType> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(item, file, "complaint type", diags) else { continue };
        let id = f.required_string("id", diags);
        let id = id.and_then(|s| visible_field(file, f.node("id"), s, "complaint type id", diags));
        let what =
            id.as_ref().map_or_else(|| "complaint type".to_string(), |id| format!("complaint type `{}`", id.value));
        let mut words = Wording::default();
        let name = words
            .insert("name", WordsReader { languages: &data.languages, what: &what }.required(&mut f, "name", diags));
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
            let why = Some("it is not defined in data/params.yaml");
            let u = Unknown { code: "unknown-param", what: "parameter", id: &limit.value, field: None, why };
            diags.unknown(file, limit.pos, u, data.params.keys().map(String::as_str));
            continue;
        };
        let Some(limits) = limit_steps(param, (file, limit.pos), diags) else { continue };
        let goal = goal.map_or(90.0, |g| g.value.clamp(0.0, 100.0));
        out.push(ComplaintType { id: id.value, name, words, limit_param: limit.value, limits, goal });
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
pub(crate) fn parse_complaints(
    file: &str,
    table: Table,
    types: &[ComplaintType],
    data: &Data,
    today: Date,
    diags: &mut Diagnostics,
) -> Vec<Complaint> {
    let teams: rustc_hash::FxHashMap<&str, usize> =
        data.org.teams.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    /// A row: its id (borrowed from the file unless quoted), where the id is, the
    /// complaint when every other cell is valid, and what is dated after the build date.
    type Row<'a> = (std::borrow::Cow<'a, str>, Pos, Option<Complaint>, Dated);
    let horizon = Timestamp::end_of(today);
    type Channels<'a> = rustc_hash::FxHashMap<&'a str, std::sync::Arc<str>>;
    let rows: Vec<Row> = read_table_parallel(file, table, &COLUMNS, diags, |channels: &mut Channels, cells, diags| {
        let [id, kind, channel, team, received, resolved] =
            [cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]];
        let mut ok = true;
        let kind_id = visible_cell(file, kind, "`type`", diags);
        let kind_ix = kind_id.as_deref().and_then(|k| types.iter().position(|t| t.id == k));
        if let (None, Some(k)) = (kind_ix, kind_id.as_deref()) {
            let why = format!("not in {COMPLAINT_TYPES_FILE}");
            let u =
                Unknown { code: "unknown-complaint-type", what: "complaint type", id: k, field: None, why: Some(&why) };
            diags.unknown(file, kind.pos, u, types.iter().map(|t| t.id.as_str()));
        }
        ok &= kind_ix.is_some();
        let team_id = visible_cell(file, team, "`team`", diags);
        let team_ix = team_id.as_deref().and_then(|t| teams.get(t).copied());
        if let (None, Some(t)) = (team_ix, team_id.as_deref()) {
            let u = Unknown { code: "unknown-team", what: "team", id: t, field: None, why: None };
            diags.unknown(file, team.pos, u, data.org.teams.iter().map(|t| t.id.as_str()));
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
            received_later.note_any(dated.received_later);
            resolved_later.note_any(dated.resolved_later);
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

/// The columns of `complaints.csv|parquet`.
const COLUMNS: [Column; 6] = [
    Column { name: "id", holds: Holds::Text },
    Column { name: "type", holds: Holds::Text },
    Column { name: "channel", holds: Holds::Text },
    Column { name: "team", holds: Holds::Text },
    Column { name: "received_at", holds: Holds::Timestamp },
    Column { name: "resolved_at", holds: Holds::Timestamp },
];

/// What a complaint row holds beyond the build date or before its first time limit.
#[derive(Default)]
struct Dated {
    received_later: Option<Pos>,
    resolved_later: Option<Pos>,
    before_limit: Option<Pos>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_limits_convert_from_every_form_of_their_unit() {
        assert_eq!(limit_seconds(36.0, "小时"), Some(129_600.0));
        assert_eq!(limit_seconds(36.0, "hours"), Some(129_600.0));
        // A plural unit's default form is its form after one.
        assert_eq!(limit_seconds(1.0, "hour"), Some(3600.0));
        assert_eq!(limit_seconds(5.0, "minute"), Some(300.0));
        assert_eq!(limit_seconds(3.0, "day"), Some(259_200.0));
        assert_eq!(limit_seconds(1.0, "week"), Some(604_800.0));
        assert_eq!(limit_seconds(1.0, "fortnight"), None);
    }
    use crate::load::measure::fixtures::{data, located, today};

    #[test]
    fn complaints_keep_seconds_and_nothing_after_the_build_date_counts() {
        let types = vec![ComplaintType::with_limit("a", "服务态度", 24.0, 90.0)];
        let text = "id,type,channel,team,received_at,resolved_at\n\
                    c1,a,热线,desk-a,2026-06-01 09:00:00,2026-06-02 09:00:59\n\
                    c2,a,热线,desk-a,2026-06-29 09:00,2026-07-02 10:00\n\
                    c3,a,热线,desk-a,2026-07-01 09:00,\n";
        let mut d = Diagnostics::new();
        let list = parse_complaints("data/complaints.csv", Table::Csv(text), &types, &data(), today(), &mut d);
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
        let list = parse_complaints("data/complaints.csv", Table::Csv(text), &[t.clone()], &data(), today(), &mut d);
        assert_eq!(list.len(), 2);
        assert_eq!(
            located(&d),
            ["data/complaints.csv:2:16 1 `q` complaints were received before the first value of `complaint_quality_hours` (in force from 2025-01-01) and are judged against it (the first is here)"]
        );
        assert_eq!(t.limit_at(list[0].received), 48.0 * 3600.0);
    }
}
