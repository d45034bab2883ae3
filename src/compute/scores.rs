//! Scorecards applied month by month: each subject's points, pass or fail, its
//! competition rank among its kind, the top share (with `top_ties`), failing streaks
//! and the change against the previous month.
//!
//! Pure: scores come from the rolled-up series (`report::roll_up`); no I/O, no clock.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::date::YearMonth;
use crate::compute::kpi::{item_points, status, target_in_force, Status};
use crate::compute::report::Series;
use crate::load::data::{Data, TopTies};
use crate::load::measure::{series as series_of, SubjectKind};

/// Standard competition ranking ("1224"): the best score is rank 1, equal scores
/// share a rank. Input order is irrelevant; output is sorted by rank, then id, and
/// says how many share each rank.
pub(crate) fn rank(scores: &[(String, f64)]) -> Vec<Ranked> {
    let mut v: Vec<&(String, f64)> = scores.iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out: Vec<Ranked> = Vec::with_capacity(v.len());
    for (i, (id, score)) in v.iter().enumerate() {
        let tied = i > 0 && (v[i - 1].1 - score).abs() < 1e-9;
        let rank = if tied { out[i - 1].rank } else { i + 1 };
        out.push(Ranked { id: id.clone(), rank, tied: 1 });
    }
    // Each rank's tie group: the subjects holding it.
    let mut start = 0;
    while start < out.len() {
        let end = start + out[start..].iter().take_while(|r| r.rank == out[start].rank).count();
        for r in &mut out[start..end] {
            r.tied = end - start;
        }
        start = end;
    }
    out
}

/// A subject's place in a ranking: its competition rank and how many share it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ranked {
    pub(crate) id: String,
    pub(crate) rank: usize,
    /// Subjects holding this rank, itself included (1 when not tied).
    pub(crate) tied: usize,
}

/// How many of `n` ranked subjects are "the top `percent`%": ⌈n · percent / 100⌉
/// places, computed on the exact decimal share (10% of 30 is 3 places, not 4).
pub(crate) fn top_count(n: usize, percent: f64) -> usize {
    if n == 0 || percent <= 0.0 {
        return 0;
    }
    let exact = n as f64 * percent / 100.0;
    // Float noise (30 × 10 / 100 = 3.0000000000000004) must not add a place.
    let places = if (exact - exact.round()).abs() < 1e-9 { exact.round() } else { exact.ceil() };
    (places as usize).min(n)
}

/// Whether a subject at `rank`, sharing it with `tied` subjects in all, is in the top
/// `places`. `Exclude`: only when the whole tie group fits in the places (the stars
/// never outnumber the places); `Include`: whenever its rank is within them.
fn in_top(rank: usize, tied: usize, places: usize, ties: TopTies) -> bool {
    match ties {
        TopTies::Exclude => rank + tied - 1 <= places,
        TopTies::Include => rank <= places,
    }
}

/// Failed periods in a row ending at `at`. A month without a score ends a streak: a
/// gap in the data is not evidence of failure.
pub(crate) fn fail_streak(passed: &BTreeMap<YearMonth, bool>, at: YearMonth) -> u32 {
    let mut n = 0;
    let mut m = at;
    while passed.get(&m) == Some(&false) {
        n += 1;
        m = m.plus(-1);
    }
    n
}

/// One subject's result on one scorecard in one month.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoreRow {
    /// Index into `Data::scorecards`.
    pub(crate) scorecard: usize,
    pub(crate) subject: String,
    pub(crate) kind: SubjectKind,
    pub(crate) period: YearMonth,
    /// Weighted points out of 100.
    pub(crate) points: f64,
    /// Each item's (value, status, points), in scorecard order.
    pub(crate) items: Vec<(f64, Status, f64)>,
    pub(crate) pass: bool,
    /// Competition rank among subjects of the same kind on this scorecard this month.
    pub(crate) rank: usize,
    pub(crate) ranked: usize,
    pub(crate) top: bool,
    /// Failed months in a row ending this month.
    pub(crate) streak: u32,
    /// Change in points against the previous month, when both are known.
    pub(crate) change: Option<f64>,
}

/// Scores of people (by role) and teams (by the roles a team holds) on every
/// scorecard that applies, for every month in which all of its KPIs have a value and a
/// target in force. Sorted by scorecard, month, kind, rank, subject.
pub(crate) fn scores(data: &Data, series: &BTreeMap<(String, String), Series>) -> Vec<ScoreRow> {
    let mut rows: Vec<ScoreRow> = Vec::new();
    for (ci, card) in data.scorecards.iter().enumerate() {
        let applies = |role: &str| card.roles.iter().any(|r| r.value == role);
        let mut subjects: Vec<(String, SubjectKind)> = data
            .org
            .people
            .iter()
            .filter(|p| applies(&p.role.value))
            .map(|p| (p.id.clone(), SubjectKind::Person))
            .collect();
        subjects.extend(
            data.org
                .teams
                .iter()
                .filter(|t| t.roles.iter().any(|r| applies(&r.value)))
                .map(|t| (t.id.clone(), SubjectKind::Team)),
        );
        for (subject, kind) in subjects {
            let months: BTreeSet<YearMonth> = card
                .items
                .iter()
                .filter_map(|i| series_of(series, &i.kpi.value, &subject))
                .flat_map(|s| s.keys().copied())
                .collect();
            let mut passed: BTreeMap<YearMonth, bool> = BTreeMap::new();
            let mut previous: Option<(YearMonth, f64)> = None;
            for month in months {
                let mut items = Vec::new();
                for item in &card.items {
                    let Some(kpi) = data.kpis.get(&item.kpi.value) else { break };
                    let value = series_of(series, &kpi.id, &subject).and_then(|s| s.get(&month));
                    let (Some(&value), Some(target)) = (value, target_in_force(kpi, month)) else { break };
                    items.push((
                        value,
                        status(kpi, value, target),
                        item_points(kpi, item.rule, item.weight, value, target),
                    ));
                }
                if items.len() != card.items.len() {
                    continue; // Missing data: no score this month.
                }
                let points: f64 = items.iter().map(|i| i.2).sum();
                let pass = points + 1e-9 >= card.pass_mark;
                passed.insert(month, pass);
                let change = previous.filter(|(m, _)| *m == month.plus(-1)).map(|(_, p)| points - p);
                previous = Some((month, points));
                rows.push(ScoreRow {
                    scorecard: ci,
                    subject: subject.clone(),
                    kind,
                    period: month,
                    points,
                    items,
                    pass,
                    rank: 0,
                    ranked: 0,
                    top: false,
                    streak: fail_streak(&passed, month),
                    change,
                });
            }
        }
    }
    // Rank within (scorecard, month, kind).
    let mut groups: BTreeMap<(usize, YearMonth, SubjectKind), Vec<usize>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups.entry((r.scorecard, r.period, r.kind)).or_default().push(i);
    }
    for ((card, _, _), members) in groups {
        let scores: Vec<(String, f64)> = members.iter().map(|&i| (rows[i].subject.clone(), rows[i].points)).collect();
        let ranks: BTreeMap<String, Ranked> = rank(&scores).into_iter().map(|r| (r.id.clone(), r)).collect();
        let card = &data.scorecards[card];
        let places = top_count(members.len(), card.top_percent);
        for &i in &members {
            let r = &ranks[&rows[i].subject];
            rows[i].rank = r.rank;
            rows[i].ranked = members.len();
            rows[i].top = in_top(r.rank, r.tied, places, card.top_ties);
        }
    }
    rows.sort_by(|a, b| {
        (a.scorecard, a.period, a.kind, a.rank, &a.subject).cmp(&(b.scorecard, b.period, b.kind, b.rank, &b.subject))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::report::roll_up;
    use crate::compute::report::tests::{m, org_data, values};

    #[test]
    fn ranks_share_ties_and_top_share_rounds_up() {
        let scores = vec![("a".into(), 80.0), ("b".into(), 95.0), ("c".into(), 80.0), ("d".into(), 60.0)];
        let r = |id: &str, rank, tied| Ranked { id: id.into(), rank, tied };
        assert_eq!(rank(&scores), vec![r("b", 1, 1), r("a", 2, 2), r("c", 2, 2), r("d", 4, 1)]);
        assert_eq!(top_count(12, 10.0), 2); // 1.2 → 2
        assert_eq!(top_count(10, 10.0), 1);
        assert_eq!(top_count(3, 0.0), 0);
        assert_eq!(top_count(9, 10.0), 1); // 0.9 → 1
        assert_eq!(top_count(100, 7.0), 7); // 7.000000000000001 in floats: still 7 places
    }

    #[test]
    fn ties_at_the_edge_of_the_top_share() {
        // Nine people, top 10%: one place. Five tie for first.
        let mut scores: Vec<(String, f64)> = (0..5).map(|i| (format!("p{i}"), 100.0)).collect();
        scores.extend((5..9).map(|i| (format!("p{i}"), 80.0 - i as f64)));
        let places = top_count(scores.len(), 10.0);
        assert_eq!(places, 1);
        let stars = |ties| rank(&scores).iter().filter(|r| in_top(r.rank, r.tied, places, ties)).count();
        assert_eq!(stars(TopTies::Exclude), 0, "five cannot share one place");
        assert_eq!(stars(TopTies::Include), 5);
        // A tie group that fits is recognised either way: 1, 2, 2 with three places.
        let fits = vec![("a".into(), 9.0), ("b".into(), 8.0), ("c".into(), 8.0), ("d".into(), 1.0)];
        let n = |ties| rank(&fits).iter().filter(|r| in_top(r.rank, r.tied, 3, ties)).count();
        assert_eq!((n(TopTies::Exclude), n(TopTies::Include)), (3, 3));
        // 1, 2, 2 with two places: the tied pair would need three.
        let n2 = |ties| rank(&fits).iter().filter(|r| in_top(r.rank, r.tied, 2, ties)).count();
        assert_eq!((n2(TopTies::Exclude), n2(TopTies::Include)), (1, 3));
    }

    #[test]
    fn streaks_count_consecutive_failures_and_stop_at_gaps() {
        let passed: BTreeMap<YearMonth, bool> =
            [("2026-01", true), ("2026-02", false), ("2026-03", false), ("2026-04", false), ("2026-06", false)]
                .iter()
                .map(|(k, v)| (m(k), *v))
                .collect();
        assert_eq!(fail_streak(&passed, m("2026-04")), 3);
        assert_eq!(fail_streak(&passed, m("2026-06")), 1); // May has no score
        assert_eq!(fail_streak(&passed, m("2026-01")), 0);
    }

    #[test]
    fn scores_ranks_streaks_and_changes_by_hand() {
        let data = org_data();
        let ms = values(&[
            // a: sat 4.2 (target 4.2 in 2026) → 60; hours 20 ≤ 24 → 40: 100 points.
            ("sat", "a", "2026-01", 4.2),
            ("hours", "a", "2026-01", 20.0),
            // b: sat 3.4 → 60·(3.4−1)/(4.2−1) = 45; hours 30 > 24 → 0: 45, fail.
            ("sat", "b", "2026-01", 3.4),
            ("hours", "b", "2026-01", 30.0),
            ("sat", "b", "2026-02", 3.4),
            ("hours", "b", "2026-02", 30.0),
            // c: sat 4.2, no hours in January → no score; February 100.
            ("sat", "c", "2026-01", 4.2),
            ("sat", "c", "2026-02", 4.2),
            ("hours", "c", "2026-02", 12.0),
            ("sat", "a", "2026-02", 3.8), // a: 60·2.8/3.2 = 52.5 + 40 = 92.5
            ("hours", "a", "2026-02", 24.0),
        ]);
        let s = roll_up(&data, &ms);
        let rows = scores(&data, &s);
        let get = |subj: &str, p: &str| rows.iter().find(|r| r.subject == subj && r.period == m(p));
        let a1 = get("a", "2026-01").unwrap();
        assert_eq!((a1.points, a1.pass, a1.rank, a1.ranked, a1.top), (100.0, true, 1, 2, true));
        let b1 = get("b", "2026-01").unwrap();
        assert!((b1.points - 45.0).abs() < 1e-9);
        assert_eq!((b1.pass, b1.rank, b1.top, b1.streak), (false, 2, false, 1));
        assert!(get("c", "2026-01").is_none(), "missing KPI value: no score");
        let b2 = get("b", "2026-02").unwrap();
        assert_eq!((b2.streak, b2.rank, b2.ranked), (2, 3, 3));
        assert_eq!(b2.change, Some(0.0));
        let a2 = get("a", "2026-02").unwrap();
        assert!((a2.points - 92.5).abs() < 1e-9);
        assert!((a2.change.unwrap() + 7.5).abs() < 1e-9);
        assert_eq!((get("c", "2026-02").unwrap().rank, a2.rank), (1, 2));
        // top 34% of 3 → ⌈1.02⌉ = 2 people.
        assert!(a2.top && !b2.top);
        // Teams are scored on rolled-up values: t1 in January = mean sat 3.8, median hours 25.
        let t1 = rows.iter().find(|r| r.subject == "t1" && r.period == m("2026-01")).unwrap();
        assert_eq!(t1.kind, SubjectKind::Team);
        assert!((t1.points - 52.5).abs() < 1e-9, "{}", t1.points);
    }
}
