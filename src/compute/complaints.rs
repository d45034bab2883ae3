//! Complaint time-limit compliance: what was known about each complaint at an instant
//! ([`known_at`]), the day a month is judged as of ([`as_of`]), and per type and month
//! the share handled within the limit and the complaints open past it. Pure: the build
//! date is passed in. It must not read files or render.

use std::collections::BTreeMap;

use crate::base::date::{Date, Timestamp, YearMonth};
use crate::compute::report::{median, percentile};
use crate::load::measure::{Complaint, ComplaintSummary, ComplaintType};

pub(crate) use crate::load::measure::as_of;

/// What was known about a complaint at instant `t`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Known {
    /// Not received yet at `t`.
    Unknown,
    /// Resolved by `t`, after `seconds`; `within` its limit or not.
    Resolved { seconds: i64, within: bool },
    /// Still open at `t` and already past its limit: late, whenever it is resolved.
    OpenPastLimit { open_seconds: i64, over_seconds: f64 },
    /// Still open at `t` and within its limit: its outcome is not known yet.
    Open,
}

/// The one rule for "known at `t`": a resolution counts only once it has happened by
/// `t`; an open complaint is late once it is open longer than `limit` seconds (the
/// limit in force when it was received). Limits are inclusive: resolved in exactly
/// the limit is within it; one second more is not.
fn known_at(received: Timestamp, resolved: Option<Timestamp>, limit: f64, t: Timestamp) -> Known {
    if received > t {
        return Known::Unknown;
    }
    match resolved.filter(|done| *done <= t) {
        Some(done) => {
            let seconds = received.seconds_until(done);
            Known::Resolved { seconds, within: seconds as f64 <= limit }
        }
        None => {
            let open = received.seconds_until(t);
            if open as f64 > limit {
                Known::OpenPastLimit { open_seconds: open, over_seconds: open as f64 - limit }
            } else {
                Known::Open
            }
        }
    }
}

/// Complaint time-limit compliance of one type in one month (by month received).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ComplaintCell {
    pub(crate) received: u32,
    /// Resolved, or still open and already past the limit: their outcome is known.
    pub(crate) decided: u32,
    pub(crate) within: u32,
    /// The median and the 90th percentile of the handling hours of the resolved ones.
    pub(crate) median_hours: Option<f64>,
    pub(crate) p90_hours: Option<f64>,
}

impl ComplaintCell {
    /// Share handled within the limit, of those decided (percent).
    pub(crate) fn share(&self) -> Option<f64> {
        (self.decided > 0).then(|| f64::from(self.within) * 100.0 / f64::from(self.decided))
    }
    pub(crate) fn median_hours(&self) -> Option<f64> {
        self.median_hours
    }
    pub(crate) fn p90_hours(&self) -> Option<f64> {
        self.p90_hours
    }
}

/// An open complaint already past its limit at a month's as-of instant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Overdue {
    pub(crate) complaint: Complaint,
    pub(crate) open_hours: f64,
    pub(crate) over_hours: f64,
}

/// Complaint compliance per (type, month), each month as of the end of its
/// [`as_of`] day; per month how many complaints were open past their limit then; and
/// those open past it at the end of the newest month's as-of day (the build date),
/// most overdue first.
#[derive(Debug, Default)]
pub(crate) struct Compliance {
    pub(crate) cells: BTreeMap<(usize, YearMonth), ComplaintCell>,
    pub(crate) open_counts: BTreeMap<YearMonth, usize>,
    pub(crate) open_latest: Vec<Overdue>,
}

/// Most overdue first; equally overdue ones by when they were received, then by id,
/// so that the order is the same from records and from a warehouse's list.
fn sort_overdue(list: &mut [Overdue]) {
    list.sort_by(|a, b| {
        b.over_hours
            .total_cmp(&a.over_hours)
            .then(a.complaint.received.cmp(&b.complaint.received))
            .then(a.complaint.id.cmp(&b.complaint.id))
    });
}

/// [`Compliance`] for each of `periods`, judged with [`known_at`].
pub(crate) fn complaint_compliance(
    types: &[ComplaintType],
    complaints: &[Complaint],
    periods: &[YearMonth],
    today: Date,
) -> Compliance {
    let mut out = Compliance::default();
    let mut by_month: BTreeMap<YearMonth, Vec<usize>> = BTreeMap::new();
    for (i, c) in complaints.iter().enumerate() {
        by_month.entry(YearMonth::of(c.received.date())).or_default().push(i);
    }
    let limit = |c: &Complaint| types[c.kind].limit_at(c.received);
    // Only a complaint still open or resolved late is ever open past its limit at some
    // instant; the month-end scans below look at those alone, not at every complaint.
    let late: Vec<usize> = (0..complaints.len())
        .filter(|&i| {
            let c = &complaints[i];
            c.resolved.is_none_or(|done| c.received.seconds_until(done) as f64 > limit(c))
        })
        .collect();
    let latest = periods.last().copied();
    for &period in periods {
        let t = Timestamp::end_of(as_of(period, latest, today));
        let mut hours: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        for &i in by_month.get(&period).map_or(&[][..], Vec::as_slice) {
            let c = &complaints[i];
            let cell = out.cells.entry((c.kind, period)).or_default();
            cell.received += 1;
            match known_at(c.received, c.resolved, limit(c), t) {
                Known::Resolved { seconds, within } => {
                    cell.decided += 1;
                    cell.within += u32::from(within);
                    hours.entry(c.kind).or_default().push(seconds as f64 / 3600.0);
                }
                Known::OpenPastLimit { .. } => cell.decided += 1,
                Known::Open | Known::Unknown => {}
            }
        }
        for (kind, hours) in hours {
            let cell = out.cells.entry((kind, period)).or_default();
            cell.median_hours = median(&hours);
            cell.p90_hours = percentile(&hours, 90.0);
        }
        let open =
            late.iter().map(|&i| &complaints[i]).filter_map(|c| match known_at(c.received, c.resolved, limit(c), t) {
                Known::OpenPastLimit { open_seconds, over_seconds } => Some((c, open_seconds, over_seconds)),
                _ => None,
            });
        if Some(period) == latest {
            out.open_latest = open
                .map(|(c, open_seconds, over_seconds)| Overdue {
                    complaint: c.clone(),
                    open_hours: open_seconds as f64 / 3600.0,
                    over_hours: over_seconds / 3600.0,
                })
                .collect();
            sort_overdue(&mut out.open_latest);
            out.open_counts.insert(period, out.open_latest.len());
        } else {
            out.open_counts.insert(period, open.count());
        }
    }
    out
}

/// [`Compliance`] from a warehouse's summary: each type and month from the rows as of
/// that month's [`as_of`] day (summed over teams), the percentiles from the exact
/// order statistics the summary carries (so they equal those of the records), the
/// counts of open complaints from the summary's counts, and the newest month's list
/// from its list, judged against `types`' limits. The loader has checked that every
/// snapshot needed is there; one missing reads as no complaints.
pub(crate) fn summary_compliance(
    types: &[ComplaintType],
    summary: &ComplaintSummary,
    periods: &[YearMonth],
    today: Date,
) -> Compliance {
    let mut out = Compliance::default();
    let latest = periods.last().copied();
    let wanted: BTreeMap<YearMonth, Date> = periods.iter().map(|&p| (p, as_of(p, latest, today))).collect();
    for row in &summary.months {
        if wanted.get(&row.month) != Some(&row.as_of) {
            continue;
        }
        let cell = out.cells.entry((row.kind, row.month)).or_default();
        cell.received += row.received;
        cell.decided += row.resolved + row.open_past_limit;
        cell.within += row.within;
        // (lo + hi) / 2 is exactly `median`'s arithmetic; for an odd count lo = hi and
        // (x + x) / 2 is x.
        cell.median_hours = row.type_median_s.map(|(lo, hi)| (lo as f64 / 3600.0 + hi as f64 / 3600.0) / 2.0);
        cell.p90_hours = row.type_p90_s.map(|s| s as f64 / 3600.0);
    }
    for (&period, day) in &wanted {
        out.open_counts.insert(period, summary.open_counts.get(day).map_or(0, |&n| n as usize));
    }
    let end = Timestamp::end_of(today);
    out.open_latest = summary
        .open
        .iter()
        .map(|c| {
            let open = c.received.seconds_until(end);
            Overdue {
                complaint: c.clone(),
                open_hours: open as f64 / 3600.0,
                over_hours: (open as f64 - types[c.kind].limit_at(c.received)) / 3600.0,
            }
        })
        .collect();
    sort_overdue(&mut out.open_latest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    fn complaint(kind: usize, received: &str, resolved: Option<&str>) -> Complaint {
        Complaint {
            id: received.into(),
            kind,
            channel: "热线".into(),
            team: 0,
            received: Timestamp::parse(received).unwrap(),
            resolved: resolved.map(|r| Timestamp::parse(r).unwrap()),
        }
    }

    fn types() -> Vec<ComplaintType> {
        vec![
            ComplaintType::with_limit("attitude", "服务态度", 24.0, 90.0),
            ComplaintType::with_limit("quality", "产品质量", 48.0, 90.0),
        ]
    }

    #[test]
    fn complaint_compliance_by_hand() {
        let list = vec![
            complaint(0, "2026-03-01 09:00", Some("2026-03-01 15:00")), // 6 h, within
            complaint(0, "2026-03-02 09:00", Some("2026-03-03 09:00")), // 24 h, within (limit inclusive)
            complaint(0, "2026-03-05 09:00", Some("2026-03-06 21:00")), // 36 h, late
            complaint(0, "2026-03-30 09:00", None),                     // open 2 d 15 h at end of 04-01: past limit
            complaint(1, "2026-03-31 12:00", None),                     // open 36 h: not yet past 48 h
        ];
        let today = Date::parse("2026-04-01").unwrap();
        let c = complaint_compliance(&types(), &list, &[m("2026-03"), m("2026-04")], today);
        let a = &c.cells[&(0, m("2026-03"))];
        assert_eq!((a.received, a.decided, a.within), (4, 4, 2));
        assert_eq!(a.share(), Some(50.0));
        assert_eq!(a.median_hours(), Some(24.0));
        assert_eq!(a.p90_hours(), Some(36.0));
        let q = &c.cells[&(1, m("2026-03"))];
        assert_eq!((q.received, q.decided, q.share()), (1, 0, None));
        let open = &c.open_latest;
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].complaint, list[3]);
        assert_eq!(c.open_counts[&m("2026-04")], 1);
        assert_eq!(open[0].open_hours, 63.0); // 2026-03-30 09:00 → 2026-04-02 00:00
        assert_eq!(open[0].over_hours, 39.0);
        // At the end of March the open one was 39 h old: 15 h past its 24 h limit.
        assert_eq!(c.open_counts[&m("2026-03")], 1);
        let c = complaint_compliance(&types(), &list, &[m("2026-03")], Date::parse("2026-03-31").unwrap());
        assert_eq!((c.open_latest.len(), c.open_latest[0].over_hours), (1, 15.0));
    }

    #[test]
    fn a_summary_of_the_records_gives_the_same_compliance() {
        // The records of `complaint_compliance_by_hand` for March, as a warehouse sums
        // them up for a build on 03-31: 6 h, 24 h and 36 h resolved (median 24 h, the
        // 90th percentile at rank ⌈2.7⌉ = 3: 36 h), one open past its limit.
        let list = vec![
            complaint(0, "2026-03-01 09:00", Some("2026-03-01 15:00")),
            complaint(0, "2026-03-02 09:00", Some("2026-03-03 09:00")),
            complaint(0, "2026-03-05 09:00", Some("2026-03-06 21:00")),
            complaint(0, "2026-03-30 09:00", None),
        ];
        let today = Date::parse("2026-03-31").unwrap();
        let row = crate::load::measure::ComplaintMonth {
            month: m("2026-03"),
            as_of: today,
            team: 0,
            kind: 0,
            received: 4,
            resolved: 3,
            within: 2,
            open_past_limit: 1,
            type_median_s: Some((86_400, 86_400)),
            type_p90_s: Some(129_600),
        };
        let summary = ComplaintSummary::checked(vec![row], vec![list[3].clone()], [(today, 1)].into());
        let from_rows = complaint_compliance(&types(), &list, &[m("2026-03")], today);
        let from_summary = summary_compliance(&types(), &summary, &[m("2026-03")], today);
        assert_eq!(from_summary.cells, from_rows.cells);
        assert_eq!(from_summary.cells[&(0, m("2026-03"))].p90_hours, Some(36.0));
        assert_eq!(from_summary.open_counts, from_rows.open_counts);
        assert_eq!(from_summary.open_latest, from_rows.open_latest);
        // Open 39 h at the end of 03-31: 15 h past the 24 h limit.
        assert_eq!(from_summary.open_latest[0].over_hours, 15.0);
        // An even count: the median is the mean of the two middle values, as from rows.
        let mut even = summary;
        even.months[0].type_median_s = Some((21_600, 86_400));
        let cell = &summary_compliance(&types(), &even, &[m("2026-03")], today).cells[&(0, m("2026-03"))];
        assert_eq!(cell.median_hours, median(&[6.0, 24.0]));
    }

    #[test]
    fn a_past_month_is_judged_as_of_its_end() {
        // Received in July; one resolved in time but only in August, one late in August.
        let list = vec![
            complaint(1, "2026-07-30 10:00", Some("2026-08-01 09:00")), // 47 h: within 48 h
            complaint(1, "2026-07-29 08:00", Some("2026-08-02 08:00")), // 96 h: late
            complaint(1, "2026-07-10 08:00", Some("2026-07-11 08:00")), // 24 h, known in July
        ];
        let months = [m("2026-07"), m("2026-08")];
        let july = |today: &str| {
            let c = complaint_compliance(&types(), &list, &months, Date::parse(today).unwrap());
            let cell = c.cells[&(1, m("2026-07"))].clone();
            (cell.decided, cell.within, cell.median_hours, c.open_counts[&m("2026-07")])
        };
        // On 07-31 the one from 07-29 was open 64 h (late), the one from 07-30 open 38 h
        // (undecided): 2 decided, 1 within, 1 handling time (24 h).
        assert_eq!(july("2026-08-31"), (2, 1, Some(24.0), 1));
        // Later data does not change July: the same with a build a year on.
        assert_eq!(july("2027-08-31"), (2, 1, Some(24.0), 1));
        // As the latest month reported, July is read on the build date: by 08-10 both
        // August resolutions are known.
        let c = complaint_compliance(&types(), &list, &[m("2026-07")], Date::parse("2026-08-10").unwrap());
        let cell = &c.cells[&(1, m("2026-07"))];
        assert_eq!((cell.decided, cell.within, cell.median_hours), (3, 2, Some(47.0)));
        // Built on 07-15, July is the latest month and judged on that day's end.
        let c = complaint_compliance(&types(), &list[2..], &[m("2026-07")], Date::parse("2026-07-15").unwrap());
        assert_eq!(c.cells[&(1, m("2026-07"))].within, 1);
    }

    #[test]
    fn limits_are_inclusive_to_the_second_and_follow_the_date_received() {
        let t = |s: &str| Timestamp::parse(s).unwrap();
        let day = 24.0 * 3600.0;
        let at = t("2026-03-10 00:00");
        assert!(matches!(
            known_at(t("2026-03-01 09:00"), Some(t("2026-03-02 09:00:00")), day, at),
            Known::Resolved { within: true, .. }
        ));
        assert!(matches!(
            known_at(t("2026-03-01 09:00"), Some(t("2026-03-02 09:00:59")), day, at),
            Known::Resolved { seconds: 86_459, within: false }
        ));
        // Resolved after the instant asked about: still open then.
        assert_eq!(known_at(t("2026-03-09 09:00"), Some(t("2026-03-12 09:00")), day, at), Known::Open);
        assert_eq!(known_at(t("2026-03-11 09:00"), None, day, at), Known::Unknown);
        // A limit shortened from 48 h to 36 h on 2026-01-01 applies to complaints
        // received from then on; earlier ones keep the 48 h.
        let mut quality = ComplaintType::with_limit("quality", "产品质量", 48.0, 90.0);
        quality.limits.push((Some(t("2026-01-01 00:00")), 36.0 * 3600.0));
        assert_eq!(quality.limit_at(t("2025-12-31 23:59:59")), 48.0 * 3600.0);
        assert_eq!(quality.limit_at(t("2026-01-01 00:00")), 36.0 * 3600.0);
        let list = vec![
            complaint(0, "2025-12-20 08:00", Some("2025-12-22 06:00")), // 46 h: within 48
            complaint(0, "2026-01-05 08:00", Some("2026-01-07 06:00")), // 46 h: late for 36
        ];
        let c =
            complaint_compliance(&[quality], &list, &[m("2025-12"), m("2026-01")], Date::parse("2026-02-01").unwrap());
        assert_eq!(c.cells[&(0, m("2025-12"))].within, 1);
        assert_eq!(c.cells[&(0, m("2026-01"))].within, 0);
    }
}
