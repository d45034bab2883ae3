//! A warehouse's summaries instead of raw rows (`data/complaints_monthly`,
//! `complaints_open`, `complaints_open_counts`, `surveys_monthly`, each `.csv` or
//! `.parquet`, made by `docs/warehouse/*.sql`). Each summary is checked row by row and as
//! a whole: ids known, counts consistent, the time limits it was computed with those of
//! `data/params.yaml`, and — because what was known about a complaint depends on the
//! day it is judged — a snapshot for every day the reports judge a month as of (see
//! `compute::complaints::as_of`). A summary made for another build date is an error that
//! says so, never a quietly different number. It must not compute reports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::base::date::{Date, Timestamp, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::table::{read_table, Holds};
use crate::load::data::Data;

mod cells;

use self::cells::{col, Once, Row};
use super::{find_table, Complaint, ComplaintType, Later};
use crate::base::layout::{COMPLAINTS_MONTHLY, COMPLAINTS_OPEN, COMPLAINTS_OPEN_COUNTS, SURVEYS_MONTHLY};

/// One row of `complaints_monthly`: complaints of one type received by one team in
/// `month`, as known at the end of `as_of`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ComplaintMonth {
    pub(crate) month: YearMonth,
    pub(crate) as_of: Date,
    pub(crate) team: usize,
    pub(crate) kind: usize,
    pub(crate) received: u32,
    pub(crate) resolved: u32,
    pub(crate) within: u32,
    pub(crate) open_past_limit: u32,
    /// The type's (all teams') handling-time order statistics in seconds: the two middle
    /// values (equal for an odd count) and the value at rank ⌈0.9 n⌉; `None` when none
    /// was resolved.
    pub(crate) type_median_s: Option<(i64, i64)>,
    pub(crate) type_p90_s: Option<i64>,
}

/// Complaints as a warehouse summarised them.
#[derive(Debug, Default)]
pub(crate) struct ComplaintSummary {
    /// Where the monthly table is (`data/complaints_monthly.parquet`).
    pub(crate) file: String,
    pub(crate) months: Vec<ComplaintMonth>,
    /// Open past their limit at the end of the build date, as records (resolved `None`).
    pub(crate) open: Vec<Complaint>,
    /// How many were open past their limit at the end of each day.
    pub(crate) open_counts: BTreeMap<Date, u32>,
    /// Each month's first row and the days it has rows as of, to check once the
    /// months reported are known ([`check_snapshots`]).
    snapshots: BTreeMap<YearMonth, (Pos, BTreeSet<Date>)>,
    /// Where the other two tables are, and the day the list is as of.
    open_file: Option<String>,
    counts_file: Option<String>,
    open_as_of: Option<(Pos, Date)>,
}

impl ComplaintSummary {
    /// A summary already checked, of these rows (for tests of what is computed from it).
    #[cfg(test)]
    pub(crate) fn checked(months: Vec<ComplaintMonth>, open: Vec<Complaint>, open_counts: BTreeMap<Date, u32>) -> Self {
        ComplaintSummary { months, open, open_counts, ..ComplaintSummary::default() }
    }
}

/// One row of `surveys_monthly`: a team's answers in a month, by NPS category.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SurveyMonth {
    pub(crate) month: YearMonth,
    pub(crate) team: usize,
    pub(crate) promoters: u32,
    pub(crate) passives: u32,
    pub(crate) detractors: u32,
}

/// What the summaries are read against.
pub(crate) struct Against<'a> {
    pub(crate) root: &'a Path,
    pub(crate) data: &'a Data,
    pub(crate) types: &'a [ComplaintType],
    pub(crate) today: Date,
    /// The organisation's offset from UTC, for instants in Parquet files.
    pub(crate) utc_offset: Option<i64>,
}

/// The day a month's summary must be as of when it is not the newest month reported:
/// its last day, or the build date if that is earlier.
fn month_end_or(month: YearMonth, today: Date) -> Date {
    month.last_day().min(today)
}

/// Reads the complaint summaries, if `complaints_monthly` is there. The other two are
/// then required.
pub(crate) fn load_complaint_summary(on: &Against, diags: &mut Diagnostics) -> Option<ComplaintSummary> {
    let Some((file, found)) = find_table(on.root, COMPLAINTS_MONTHLY, on.utc_offset, diags) else {
        if let Some(stray) = super::existing(on.root, &[COMPLAINTS_OPEN, COMPLAINTS_OPEN_COUNTS]) {
            diags.error(
                &stray,
                Pos::FILE,
                "missing-table",
                format!("{stray} needs {COMPLAINTS_MONTHLY}.parquet (or .csv) beside it: without it no complaint is reported (docs/warehouse/ makes all three)"),
            );
        }
        return None;
    };
    let mut out = ComplaintSummary { file: file.clone(), ..ComplaintSummary::default() };
    let months = read_months(&file, found.table(), on, diags);
    let required = |stem: &str, diags: &mut Diagnostics| {
        let t = find_table(on.root, stem, on.utc_offset, diags);
        if t.is_none() {
            diags.error(
                &file,
                Pos::FILE,
                "missing-table",
                format!("{stem}.parquet (or .csv) is missing: a summary of complaints needs it beside {file} (docs/warehouse/ makes all three)"),
            );
        }
        t
    };
    if let Some((open_file, t)) = required(COMPLAINTS_OPEN, diags) {
        (out.open, out.open_as_of) = read_open(&open_file, t.table(), on, diags);
        out.open_file = Some(open_file);
    }
    let open_file = out.open_file.clone().unwrap_or_default();
    if let Some((counts_file, t)) = required(COMPLAINTS_OPEN_COUNTS, diags) {
        out.open_counts = read_open_counts(&counts_file, t.table(), on, diags);
        if let Some(&n) = out.open_counts.get(&on.today) {
            if n as usize != out.open.len() {
                diags.error(
                    &counts_file,
                    Pos::FILE,
                    "summary-mismatch",
                    format!(
                        "{counts_file} counts {n} complaints open past their limit at the end of {}, but {open_file} lists {}: both must come from the same run",
                        on.today,
                        out.open.len()
                    ),
                );
            }
        }
        out.counts_file = Some(counts_file);
    }
    for (r, pos) in &months {
        out.snapshots.entry(r.month).or_insert((*pos, BTreeSet::new())).1.insert(r.as_of);
    }
    out.months = months.into_iter().map(|(r, _)| r).collect();
    Some(out)
}

/// `complaints_monthly`, checked row by row (the snapshots are checked once the months
/// reported are known, in [`check_snapshots`]).
fn read_months(
    file: &str,
    table: crate::formats::table::Table,
    on: &Against,
    diags: &mut Diagnostics,
) -> Vec<(ComplaintMonth, Pos)> {
    let n = |name| col(name, Holds::Integer);
    let columns = [
        col("month", Holds::Month),
        col("as_of", Holds::Date),
        col("team", Holds::Text),
        col("type", Holds::Text),
        n("received"),
        n("resolved"),
        n("within"),
        n("open_past_limit"),
        col("limit_min_s", Holds::Number),
        col("limit_max_s", Holds::Number),
        n("median_lo_s"),
        n("median_hi_s"),
        n("p90_s"),
        n("type_median_lo_s"),
        n("type_median_hi_s"),
        n("type_p90_s"),
    ];
    let mut rows: Vec<(ComplaintMonth, Pos)> = Vec::new();
    let mut later = Later::default();
    let mut stale = Once::default();
    read_table(file, table, &columns, diags, |cells, diags| {
        let r = Row { file, cells };
        let (month, as_of) = (r.month(0, diags), r.date(1, "as_of", diags));
        let (team, kind) = (r.team(2, on.data, diags), r.kind(3, on.types, diags));
        let counts = r.counts(4, ["received", "resolved", "within", "open_past_limit"], diags);
        let limits = (r.number(8, "limit_min_s", diags), r.number(9, "limit_max_s", diags));
        let stats: Vec<Result<Option<i64>, ()>> =
            ["median_lo_s", "median_hi_s", "p90_s", "type_median_lo_s", "type_median_hi_s", "type_p90_s"]
                .iter()
                .enumerate()
                .map(|(k, name)| r.seconds(10 + k, name, diags))
                .collect();
        let (Some(month), Some(as_of), Some(team), Some(kind)) = (month, as_of, team, kind) else { return };
        let Some([received, resolved, within, open_past_limit]) = counts else { return };
        let [Ok(lo), Ok(hi), Ok(p90), Ok(tlo), Ok(thi), Ok(tp90)] = stats[..] else { return };
        if as_of < month.first_day() {
            diags.error(file, r.pos(1), "bad-date", format!("`as_of` {as_of} is before the month {month} it judges"));
            return;
        }
        if as_of > on.today {
            later.note(r.pos(1));
            return;
        }
        if within > resolved || resolved + open_past_limit > received {
            diags.error(
                file,
                r.pos(4),
                "summary-mismatch",
                format!("counts do not add up: within ({within}) must be at most resolved ({resolved}), and resolved + open past limit ({resolved} + {open_past_limit}) at most received ({received})"),
            );
            return;
        }
        for (stat, at, name) in [
            ((lo, hi, p90), 10, "median_lo_s, median_hi_s, p90_s"),
            ((tlo, thi, tp90), 13, "type_median_lo_s, type_median_hi_s, type_p90_s"),
        ] {
            let whole = matches!(stat, (Some(a), Some(b), Some(_)) if a <= b);
            let none = stat == (None, None, None);
            let team_level = at == 10;
            if (team_level && (resolved == 0) != none) || (!whole && !none) {
                diags.error(
                    file,
                    r.pos(at),
                    "summary-mismatch",
                    format!("`{name}` must all be given (with the lower middle value first) when complaints were resolved, and all be empty when none was"),
                );
                return;
            }
        }
        if let (Some(min), Some(max)) = limits {
            if let Some(message) = stale_limits(&on.types[kind], month, (min, max)) {
                stale.note(message, r.pos(8));
                return;
            }
        }
        let row = ComplaintMonth {
            month,
            as_of,
            team,
            kind,
            received,
            resolved,
            within,
            open_past_limit,
            type_median_s: tlo.zip(thi),
            type_p90_s: tp90,
        };
        rows.push((row, r.pos(0)));
    });
    later.warn(file, on.today, "are left out", diags);
    stale.report(file, diags);
    check_months(file, &rows, diags);
    rows
}

/// `None` when the limits a row was computed with are ones `data/params.yaml` has in
/// force for complaints of `t` received in `month`; else what is wrong.
fn stale_limits(t: &ComplaintType, month: YearMonth, (min, max): (f64, f64)) -> Option<String> {
    let (start, end) = (Timestamp::of_date(month.first_day()), Timestamp::end_of(month.last_day()));
    let mut in_force: Vec<f64> = vec![t.limit_at(start)];
    in_force.extend(t.limits.iter().filter(|(from, _)| from.is_some_and(|f| f > start && f < end)).map(|l| l.1));
    if in_force.contains(&min) && in_force.contains(&max) {
        return None;
    }
    let hours = |s: f64| crate::base::numbers::format_number(s / 3600.0);
    let given: Vec<String> = in_force.iter().map(|s| format!("{} h", hours(*s))).collect();
    Some(format!(
        "computed with a time limit of {} h for `{}` complaints, but `{}` in data/params.yaml gives {} for when they were received: rerun docs/warehouse/ with the limits `charter warehouse-inputs` writes",
        if min == max { hours(min) } else { format!("{} to {}", hours(min), hours(max)) },
        t.id,
        t.limit_param,
        given.join(" or ")
    ))
}

/// Every (month, as_of, team, type) once, and the type's order statistics the same on
/// every team's row.
fn check_months(file: &str, rows: &[(ComplaintMonth, Pos)], diags: &mut Diagnostics) {
    let mut seen = BTreeSet::new();
    /// A type's median middle values and 90th percentile, in seconds.
    type OrderStats = (Option<(i64, i64)>, Option<i64>);
    let mut by_type: BTreeMap<(YearMonth, Date, usize), OrderStats> = BTreeMap::new();
    for (r, pos) in rows {
        if !seen.insert((r.month, r.as_of, r.team, r.kind)) {
            diags.error(
                file,
                *pos,
                "duplicate-row",
                format!("a second row for {} as of {} of this team and type", r.month, r.as_of),
            );
            continue;
        }
        let stats = (r.type_median_s, r.type_p90_s);
        if *by_type.entry((r.month, r.as_of, r.kind)).or_insert(stats) != stats {
            diags.error(
                file,
                *pos,
                "summary-mismatch",
                format!("the type's order statistics differ from an earlier row of {} as of {}", r.month, r.as_of),
            );
        }
    }
}

/// Once the months reported (`periods`) are known: a summary holds each complaint
/// month as of the day the reports judge it as of ([`super::as_of`]); the list of open
/// complaints is as of the build date; there is a count of open complaints as of the day
/// each month from the first complaint's on is judged as of. Anything missing is an
/// error that says which day the summary was made for: a summary for another build date
/// would give other numbers.
pub(crate) fn check_snapshots(s: &ComplaintSummary, periods: &[YearMonth], today: Date, diags: &mut Diagnostics) {
    let latest = periods.last().copied();
    let rerun = format!("rerun docs/warehouse/ with today = {today}");
    for (month, (pos, days)) in &s.snapshots {
        let day = super::as_of(*month, latest, today);
        if !days.contains(&day) {
            let has: Vec<String> = days.iter().map(Date::to_string).collect();
            diags.error(
                &s.file,
                *pos,
                "stale-summary",
                format!(
                    "no rows for {month} as of {day}, the day a build on {today} judges it as of (it has {}): {rerun}, or build with --today set to the day it was made for",
                    has.join(", ")
                ),
            );
        }
    }
    if let (Some(file), Some((pos, day))) = (&s.open_file, s.open_as_of) {
        if day != today {
            diags.error(
                file,
                pos,
                "stale-summary",
                format!("the list is as of {day}, but the build date is {today}: {rerun}, or build with --today {day}"),
            );
        }
    }
    let (Some(file), Some(first)) = (&s.counts_file, s.snapshots.keys().next()) else { return };
    let needed: BTreeSet<Date> =
        periods.iter().filter(|p| *p >= first).map(|p| super::as_of(*p, latest, today)).collect();
    let missing: Vec<String> = needed.iter().filter(|d| !s.open_counts.contains_key(d)).map(Date::to_string).collect();
    if !missing.is_empty() {
        diags.error(
            file,
            Pos::FILE,
            "stale-summary",
            format!("no count as of {}, the days a build on {today} judges months as of: {rerun}", missing.join(", ")),
        );
    }
}

/// `complaints_open`: the complaints open past their limit at the end of the build date.
fn read_open(
    file: &str,
    table: crate::formats::table::Table,
    on: &Against,
    diags: &mut Diagnostics,
) -> (Vec<Complaint>, Option<(Pos, Date)>) {
    let columns = [
        col("as_of", Holds::Date),
        col("id", Holds::Text),
        col("type", Holds::Text),
        col("channel", Holds::Text),
        col("team", Holds::Text),
        col("received_at", Holds::Timestamp),
    ];
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    let mut other_day: Option<(Pos, Date)> = None;
    let mut stale = Once::default();
    let end = Timestamp::end_of(on.today);
    read_table(file, table, &columns, diags, |cells, diags| {
        let r = Row { file, cells };
        let as_of = r.date(0, "as_of", diags);
        let (kind, team) = (r.kind(2, on.types, diags), r.team(4, on.data, diags));
        let received = Timestamp::parse(r.text(5))
            .map_err(|e| diags.error(file, r.pos(5), "bad-date", format!("`received_at`: {e}")))
            .ok();
        let (Some(as_of), Some(kind), Some(team), Some(received)) = (as_of, kind, team, received) else { return };
        if as_of != on.today {
            other_day.get_or_insert((r.pos(0), as_of));
            return;
        }
        let id = r.text(1);
        if !ids.insert(id.to_string()) {
            diags.error(file, r.pos(1), "duplicate-id", format!("duplicate complaint id `{id}`"));
            return;
        }
        let t = &on.types[kind];
        let open = received.seconds_until(end);
        if received >= end || open as f64 <= t.limit_at(received) {
            let message = format!("listed as open past its limit at the end of {}, but it is not past the limit `{}` in data/params.yaml gives `{}` complaints: rerun docs/warehouse/ with the limits `charter warehouse-inputs` writes", on.today, t.limit_param, t.id);
            stale.note(message, r.pos(5));
            return;
        }
        out.push(Complaint { id: id.into(), kind, channel: r.text(3).into(), team, received, resolved: None });
    });
    stale.report(file, diags);
    (out, other_day)
}

/// `complaints_open_counts`: how many were open past their limit at the end of each
/// day (checked for the days needed in [`check_snapshots`]).
fn read_open_counts(
    file: &str,
    table: crate::formats::table::Table,
    on: &Against,
    diags: &mut Diagnostics,
) -> BTreeMap<Date, u32> {
    let mut out = BTreeMap::new();
    let mut later = Later::default();
    read_table(
        file,
        table,
        &[col("as_of", Holds::Date), col("open_past_limit", Holds::Integer)],
        diags,
        |cells, diags| {
            let r = Row { file, cells };
            let (Some(day), Some(n)) = (r.date(0, "as_of", diags), r.count(1, "open_past_limit", diags)) else {
                return;
            };
            if day > on.today {
                later.note(r.pos(0));
            } else if out.insert(day, n).is_some() {
                diags.error(file, r.pos(0), "duplicate-row", format!("a second count as of {day}"));
            }
        },
    );
    later.warn(file, on.today, "are left out", diags);
    out
}

/// `surveys_monthly`, if it is there: each team's answers per month, as of the month's
/// last day (or the build date, if earlier).
pub(crate) fn load_survey_summary(on: &Against, diags: &mut Diagnostics) -> Option<Vec<SurveyMonth>> {
    let (file, found) = find_table(on.root, SURVEYS_MONTHLY, on.utc_offset, diags)?;
    let n = |name| col(name, Holds::Integer);
    let columns = [
        col("month", Holds::Month),
        col("as_of", Holds::Date),
        col("team", Holds::Text),
        n("promoters"),
        n("passives"),
        n("detractors"),
        n("responses"),
        col("made_for", Holds::Date),
    ];
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut later = Later::default();
    let mut stale = Once::default();
    read_table(&file, found.table(), &columns, diags, |cells, diags| {
        let r = Row { file: &file, cells };
        let (month, as_of, team) = (r.month(0, diags), r.date(1, "as_of", diags), r.team(2, on.data, diags));
        let counts = r.counts(3, ["promoters", "passives", "detractors", "responses"], diags);
        let made_for = r.date(7, "made_for", diags);
        let (Some(month), Some(as_of), Some(team), Some(made_for)) = (month, as_of, team, made_for) else { return };
        if made_for != on.today {
            let message = format!("made for a build on {made_for}, but the build date is {}: rerun docs/warehouse/ with today = {}, or build with --today {made_for}", on.today, on.today);
            stale.note(message, r.pos(7));
            return;
        }
        let Some([promoters, passives, detractors, responses]) = counts else { return };
        if month > YearMonth::of(on.today) {
            later.note(r.pos(0));
            return;
        }
        let expected = month_end_or(month, on.today);
        if as_of != expected {
            let message = format!("{month} is as of {as_of}, but a build on {} counts its answers up to {expected}: rerun docs/warehouse/ with today = {}", on.today, on.today);
            stale.note(message, r.pos(1));
            return;
        }
        if u64::from(promoters) + u64::from(passives) + u64::from(detractors) != u64::from(responses) {
            diags.error(
                &file,
                r.pos(6),
                "summary-mismatch",
                format!("promoters {promoters} + passives {passives} + detractors {detractors} is not the {responses} responses"),
            );
            return;
        }
        if !seen.insert((month, team)) {
            diags.error(&file, r.pos(0), "duplicate-row", format!("a second row for {month} of this team"));
            return;
        }
        out.push(SurveyMonth { month, team, promoters, passives, detractors });
    });
    later.warn(&file, on.today, "are left out", diags);
    stale.report(&file, diags);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_may_use_only_the_limits_in_force_in_its_month() {
        let t = |s: &str| Timestamp::parse(s).unwrap();
        let mut quality = ComplaintType::with_limit("quality", "产品质量", 48.0, 90.0);
        quality.limit_param = "complaint_quality_hours".into();
        quality.limits.push((Some(t("2026-01-15 00:00")), 36.0 * 3600.0));
        let month = |s: &str| YearMonth::parse(s).unwrap();
        let (h48, h36) = (172_800.0, 129_600.0);
        assert_eq!(stale_limits(&quality, month("2025-12"), (h48, h48)), None);
        // The limit changed mid-January: both are in force that month, only 36 h after.
        assert_eq!(stale_limits(&quality, month("2026-01"), (h36, h48)), None);
        assert_eq!(stale_limits(&quality, month("2026-02"), (h36, h36)), None);
        assert_eq!(
            stale_limits(&quality, month("2026-02"), (h48, h48)).unwrap(),
            "computed with a time limit of 48 h for `quality` complaints, but `complaint_quality_hours` in data/params.yaml gives 36 h for when they were received: rerun docs/warehouse/ with the limits `charter warehouse-inputs` writes"
        );
        assert!(stale_limits(&quality, month("2026-01"), (100_000.0, h36)).unwrap().contains("of 27.7778 to 36 h"));
    }
}
