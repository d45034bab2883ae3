//! Report computations: from service data and measurements to what managers ask —
//! status against the target in force, weighted scores, ranks, the top share, failing
//! streaks, roll-ups from people to the organisation, NPS and overdue actions.
//! Complaint time-limit compliance lives in `complaints` and is re-exported here.
//!
//! Pure functions (no I/O, no clock: the build date is passed in), each unit-tested
//! against values computed by hand. Missing data stays missing (`None`), never zero.
//! Rendering the results is `reports_render`'s job.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::date::{Date, YearMonth};
use crate::compute::kpi::{item_points, status, target_in_force, Status};
use crate::load::data::{Aggregate, Data, Direction, Kpi, TopTies};
use crate::load::measure::{Measurements, SubjectKind, SurveyResponse, ORG};

pub use crate::compute::complaints::{
    as_of, complaint_compliance, known_at, ComplaintCell, Compliance, Known, Overdue,
};

/// Values of one KPI for one subject, by month.
pub type Series = BTreeMap<YearMonth, f64>;

/// Combines values the way a KPI says. `None` for no values.
pub fn aggregate(values: &[f64], how: Aggregate) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(match how {
        Aggregate::Sum => values.iter().sum(),
        Aggregate::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Aggregate::Median => median(values)?,
    })
}

/// The median (mean of the two middle values for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// The `p`-th percentile by the nearest-rank method: the value at rank ⌈p/100 · n⌉.
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    Some(v[rank.min(v.len()) - 1])
}

/// The highest attainment shown, in percent: beating a target by any margin reads as
/// at most twice the target, so a near-zero value of a lower-is-better KPI does not
/// read as 300% or 10,000%.
pub const ATTAINMENT_CAP: f64 = 200.0;

/// Attainment in percent of target, within 0–[`ATTAINMENT_CAP`]: value/target when
/// higher is better, target/value when lower is better (so 100% is exactly on target
/// either way). A lower-is-better value of zero (or below) is perfect: the cap, or
/// 100% when the target is zero too. Undefined (`None`) for a higher-is-better target
/// of zero or below, where no ratio means anything.
pub fn attainment(kpi: &Kpi, value: f64, target: f64) -> Option<f64> {
    let percent = match kpi.direction {
        Direction::Higher if target > 0.0 => value / target * 100.0,
        Direction::Higher => return None,
        Direction::Lower if value > 0.0 => target / value * 100.0,
        Direction::Lower if target > 0.0 => ATTAINMENT_CAP,
        Direction::Lower if value == target => 100.0,
        Direction::Lower => return None,
    };
    Some(percent.clamp(0.0, ATTAINMENT_CAP))
}

/// Standard competition ranking ("1224"): the best score is rank 1, equal scores
/// share a rank. Input order is irrelevant; output is sorted by rank, then id, and
/// says how many share each rank.
pub fn rank(scores: &[(String, f64)]) -> Vec<Ranked> {
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
pub struct Ranked {
    pub id: String,
    pub rank: usize,
    /// Subjects holding this rank, itself included (1 when not tied).
    pub tied: usize,
}

/// How many of `n` ranked subjects are "the top `percent`%": ⌈n · percent / 100⌉
/// places, computed on the exact decimal share (10% of 30 is 3 places, not 4).
pub fn top_count(n: usize, percent: f64) -> usize {
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
pub fn in_top(rank: usize, tied: usize, places: usize, ties: TopTies) -> bool {
    match ties {
        TopTies::Exclude => rank + tied - 1 <= places,
        TopTies::Include => rank <= places,
    }
}

/// Failed periods in a row ending at `at`. A month without a score ends a streak: a
/// gap in the data is not evidence of failure.
pub fn fail_streak(passed: &BTreeMap<YearMonth, bool>, at: YearMonth) -> u32 {
    let mut n = 0;
    let mut m = at;
    while passed.get(&m) == Some(&false) {
        n += 1;
        m = m.plus(-1);
    }
    n
}

/// Net Promoter Score of a set of 0–10 answers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Nps {
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
}

impl Nps {
    pub fn add(&mut self, score: u8) {
        match score {
            9..=10 => self.promoters += 1,
            7..=8 => self.passives += 1,
            _ => self.detractors += 1,
        }
    }

    pub fn responses(&self) -> u32 {
        self.promoters + self.passives + self.detractors
    }

    /// % promoters − % detractors, or `None` without responses.
    pub fn score(&self) -> Option<f64> {
        let n = self.responses();
        (n > 0).then(|| (f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / f64::from(n))
    }
}

/// NPS by team index and month, plus the organisation's by month.
pub fn nps_by_team(surveys: &[SurveyResponse]) -> (BTreeMap<(usize, YearMonth), Nps>, BTreeMap<YearMonth, Nps>) {
    let mut teams: BTreeMap<(usize, YearMonth), Nps> = BTreeMap::new();
    let mut org: BTreeMap<YearMonth, Nps> = BTreeMap::new();
    for s in surveys {
        teams.entry((s.team, s.month)).or_default().add(s.score);
        org.entry(s.month).or_default().add(s.score);
    }
    (teams, org)
}

/// Every KPI series after roll-up: people's values as given; a team's, department's
/// or the organisation's value is the one given for it, else the KPI's `aggregate` of
/// the level below (people → team → department → organisation). Survey-sourced KPIs
/// take their team and organisation values from the NPS of the survey responses.
pub fn roll_up(data: &Data, m: &Measurements) -> BTreeMap<(String, String), Series> {
    let mut out: BTreeMap<(String, String), Series> = m.values.clone();
    let (team_nps, org_nps) = nps_by_team(&m.surveys);
    for kpi in data.kpis.values() {
        let key = |s: &str| (kpi.id.clone(), s.to_string());
        if kpi.from_surveys {
            for ((team, month), n) in &team_nps {
                if let Some(v) = n.score() {
                    out.entry(key(&data.org.teams[*team].id)).or_default().insert(*month, v);
                }
            }
            for (month, n) in &org_nps {
                if let Some(v) = n.score() {
                    out.entry(key(ORG)).or_default().insert(*month, v);
                }
            }
            // Departments: the NPS of all their teams' answers together.
            let mut dept: BTreeMap<(String, YearMonth), Nps> = BTreeMap::new();
            for s in &m.surveys {
                dept.entry((data.org.teams[s.team].department.value.clone(), s.month)).or_default().add(s.score);
            }
            for ((d, month), n) in dept {
                if let Some(v) = n.score() {
                    out.entry(key(&d)).or_default().insert(month, v);
                }
            }
            continue;
        }
        let fill = |subject: &str, members: Vec<String>, out: &mut BTreeMap<(String, String), Series>| {
            let mut by_month: BTreeMap<YearMonth, Vec<f64>> = BTreeMap::new();
            for member in &members {
                if let Some(series) = out.get(&key(member)) {
                    for (month, v) in series {
                        by_month.entry(*month).or_default().push(*v);
                    }
                }
            }
            let given = out.get(&key(subject)).cloned().unwrap_or_default();
            let mut series = given.clone();
            for (month, values) in by_month {
                if !given.contains_key(&month) {
                    if let Some(v) = aggregate(&values, kpi.aggregate) {
                        series.insert(month, v);
                    }
                }
            }
            if !series.is_empty() {
                out.insert(key(subject), series);
            }
        };
        for team in &data.org.teams {
            let members = data.org.people.iter().filter(|p| p.team.value == team.id).map(|p| p.id.clone()).collect();
            fill(&team.id, members, &mut out);
        }
        for d in &data.org.departments {
            let teams = data.org.teams.iter().filter(|t| t.department.value == d.id).map(|t| t.id.clone()).collect();
            fill(&d.id, teams, &mut out);
        }
        let depts = data.org.departments.iter().map(|d| d.id.clone()).collect();
        fill(ORG, depts, &mut out);
    }
    out
}

/// One subject's result on one scorecard in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    /// Index into `Data::scorecards`.
    pub scorecard: usize,
    pub subject: String,
    pub kind: SubjectKind,
    pub period: YearMonth,
    /// Weighted points out of 100.
    pub points: f64,
    /// Each item's (value, status, points), in scorecard order.
    pub items: Vec<(f64, Status, f64)>,
    pub pass: bool,
    /// Competition rank among subjects of the same kind on this scorecard this month.
    pub rank: usize,
    pub ranked: usize,
    pub top: bool,
    /// Failed months in a row ending this month.
    pub streak: u32,
    /// Change in points against the previous month, when both are known.
    pub change: Option<f64>,
}

/// Scores of people (by role) and teams (by the roles a team holds) on every
/// scorecard that applies, for every month in which all of its KPIs have a value and a
/// target in force. Sorted by scorecard, month, kind, rank, subject.
pub fn scores(data: &Data, series: &BTreeMap<(String, String), Series>) -> Vec<ScoreRow> {
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
                .filter_map(|i| series.get(&(i.kpi.value.clone(), subject.clone())))
                .flat_map(|s| s.keys().copied())
                .collect();
            let mut passed: BTreeMap<YearMonth, bool> = BTreeMap::new();
            let mut previous: Option<(YearMonth, f64)> = None;
            for month in months {
                let mut items = Vec::new();
                for item in &card.items {
                    let Some(kpi) = data.kpis.get(&item.kpi.value) else { break };
                    let value = series.get(&(kpi.id.clone(), subject.clone())).and_then(|s| s.get(&month));
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

/// Whether an action was overdue on `day`, and by how many days: past its due date and
/// not done by then (an action done later was still overdue on earlier days).
pub fn action_overdue(due: Date, done_on: Option<Date>, day: Date) -> Option<i64> {
    let days = day.to_unix_days() - due.to_unix_days();
    let done = done_on.is_some_and(|d| d <= day);
    (!done && days > 0).then_some(days)
}

/// The months reports cover: every month with a KPI value, complaint or survey
/// response, up to the build month.
pub fn periods(m: &Measurements, series: &BTreeMap<(String, String), Series>, today: Date) -> Vec<YearMonth> {
    let last = YearMonth::of(today);
    let mut set: BTreeSet<YearMonth> = series.values().flat_map(|s| s.keys().copied()).collect();
    set.extend(m.complaints.iter().map(|c| YearMonth::of(c.received.date())));
    set.extend(m.surveys.iter().map(|s| s.month));
    set.into_iter().filter(|p| *p <= last).collect()
}

/// Whether the status of `value` against the target in force in `month` is known.
pub fn status_in(kpi: &Kpi, value: Option<f64>, month: YearMonth) -> Option<Status> {
    let (v, t) = (value?, target_in_force(kpi, month)?);
    Some(status(kpi, v, t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::compute::kpi::tests::kpi;
    use crate::formats::yaml::Spanned;
    use crate::load::data::{Department, Org, Person, Rule, ScoreItem, Scorecard, Team};

    fn m(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }
    fn sp(s: &str) -> Spanned<String> {
        Spanned { value: s.into(), pos: Pos::FILE }
    }

    #[test]
    fn aggregates_medians_and_percentiles() {
        assert_eq!(aggregate(&[4.0, 5.0, 3.0], Aggregate::Mean), Some(4.0));
        assert_eq!(aggregate(&[4.0, 5.0, 3.0], Aggregate::Sum), Some(12.0));
        assert_eq!(aggregate(&[4.0, 5.0, 3.0, 10.0], Aggregate::Median), Some(4.5));
        assert_eq!(aggregate(&[], Aggregate::Mean), None);
        // Nearest rank: 10 values, p90 → rank 9.
        let hours: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&hours, 90.0), Some(9.0));
        assert_eq!(percentile(&[7.0], 90.0), Some(7.0));
        assert_eq!(percentile(&hours, 50.0), Some(5.0));
    }

    #[test]
    fn attainment_is_100_on_target_in_both_directions() {
        let sat = kpi(Direction::Higher, (1.0, 5.0), &[], 0.0);
        assert_eq!(attainment(&sat, 4.2, 4.2), Some(100.0));
        assert!((attainment(&sat, 3.78, 4.2).unwrap() - 90.0).abs() < 1e-9);
        let hours = kpi(Direction::Lower, (0.0, 72.0), &[], 0.0);
        assert_eq!(attainment(&hours, 30.0, 24.0), Some(80.0));
        assert_eq!(attainment(&hours, 12.0, 24.0), Some(200.0));
    }

    #[test]
    fn attainment_is_capped_and_defined_at_zero() {
        // Complaint rate, lower is better, target 2%: a perfect zero is the best
        // attainment there is, and 0.66% cannot read better than zero.
        let rate = kpi(Direction::Lower, (0.0, 100.0), &[], 0.0);
        assert_eq!(attainment(&rate, 0.0, 2.0), Some(ATTAINMENT_CAP));
        assert_eq!(attainment(&rate, 0.66, 2.0), Some(ATTAINMENT_CAP)); // 303% capped
        assert_eq!(attainment(&rate, 1.6, 2.0), Some(125.0));
        assert_eq!(attainment(&rate, 0.0, 0.0), Some(100.0)); // on a target of zero
        assert_eq!(attainment(&rate, 1.0, 0.0), Some(0.0));
        // Higher is better: capped too, never below zero, undefined at a zero target.
        let nps = kpi(Direction::Higher, (-100.0, 100.0), &[], 0.0);
        assert_eq!(attainment(&nps, 90.0, 30.0), Some(ATTAINMENT_CAP));
        assert_eq!(attainment(&nps, -10.0, 30.0), Some(0.0));
        assert_eq!(attainment(&nps, 10.0, 0.0), None);
    }

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
    fn nps_counts_promoters_minus_detractors() {
        let mut n = Nps::default();
        for s in [10, 9, 9, 8, 7, 6, 0, 10, 3, 9] {
            n.add(s);
        }
        // 5 promoters, 2 passives, 3 detractors of 10 → 50% − 30% = 20.
        assert_eq!((n.promoters, n.passives, n.detractors), (5, 2, 3));
        assert_eq!(n.score(), Some(20.0));
        assert_eq!(Nps::default().score(), None);
    }

    fn org_data() -> Data {
        let mut data = Data::default();
        let mut sat = kpi(Direction::Higher, (1.0, 5.0), &[("2025-01", 4.0), ("2026-01", 4.2)], 0.2);
        sat.id = "sat".into();
        let mut hours = kpi(Direction::Lower, (0.0, 72.0), &[("2025-01", 24.0)], 0.0);
        hours.id = "hours".into();
        hours.aggregate = Aggregate::Median;
        data.kpis.insert("sat".into(), sat);
        data.kpis.insert("hours".into(), hours);
        data.org = Org {
            departments: vec![Department { id: "cs".into(), name: "客服".into(), pos: Pos::FILE }],
            teams: vec![
                Team {
                    id: "t1".into(),
                    name: "一组".into(),
                    department: sp("cs"),
                    roles: vec![sp("agent")],
                    pos: Pos::FILE,
                },
                Team {
                    id: "t2".into(),
                    name: "二组".into(),
                    department: sp("cs"),
                    roles: vec![sp("agent")],
                    pos: Pos::FILE,
                },
            ],
            people: ["a", "b", "c"]
                .iter()
                .map(|id| Person {
                    id: id.to_string(),
                    name: id.to_string(),
                    role: sp("agent"),
                    team: sp(if *id == "c" { "t2" } else { "t1" }),
                    pos: Pos::FILE,
                })
                .collect(),
        };
        data.scorecards.push(Scorecard {
            id: "card".into(),
            name: "考核".into(),
            roles: vec![sp("agent")],
            items: vec![
                ScoreItem { kpi: sp("sat"), weight: 60.0, rule: Rule::Linear },
                ScoreItem { kpi: sp("hours"), weight: 40.0, rule: Rule::Threshold },
            ],
            pass_mark: 60.0,
            top_percent: 34.0,
            top_ties: TopTies::Exclude,
            fail_streak: 2,
            public: false,
            pos: Pos::FILE,
        });
        data
    }

    fn values(rows: &[(&str, &str, &str, f64)]) -> Measurements {
        let mut ms = Measurements::default();
        for (k, s, p, v) in rows {
            ms.values.entry((k.to_string(), s.to_string())).or_default().insert(m(p), *v);
        }
        ms
    }

    #[test]
    fn roll_up_uses_each_kpis_aggregate_and_keeps_given_values() {
        let data = org_data();
        let ms = values(&[
            ("sat", "a", "2026-01", 4.0),
            ("sat", "b", "2026-01", 4.6),
            ("sat", "c", "2026-01", 3.8),
            ("hours", "a", "2026-01", 10.0),
            ("hours", "b", "2026-01", 30.0),
            ("hours", "c", "2026-01", 20.0),
            ("sat", "t2", "2026-02", 4.9), // given for the team directly
        ]);
        let s = roll_up(&data, &ms);
        let get = |k: &str, subj: &str, p: &str| {
            s.get(&(k.to_string(), subj.to_string())).and_then(|x| x.get(&m(p))).copied()
        };
        assert!((get("sat", "t1", "2026-01").unwrap() - 4.3).abs() < 1e-9); // mean(4.0, 4.6)
        assert_eq!(get("sat", "t2", "2026-01"), Some(3.8));
        assert!((get("sat", "cs", "2026-01").unwrap() - 4.05).abs() < 1e-9); // mean of team means
        assert!((get("sat", "org", "2026-01").unwrap() - 4.05).abs() < 1e-9);
        assert_eq!(get("hours", "t1", "2026-01"), Some(20.0)); // median(10, 30)
        assert_eq!(get("sat", "t2", "2026-02"), Some(4.9));
        assert_eq!(get("sat", "t1", "2026-02"), None, "missing stays missing");
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

    #[test]
    fn actions_are_overdue_after_their_due_date_unless_done() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(action_overdue(d("2026-03-31"), None, d("2026-04-10")), Some(10));
        assert_eq!(action_overdue(d("2026-03-31"), None, d("2026-03-31")), None);
        assert_eq!(action_overdue(d("2026-03-31"), Some(d("2026-04-20")), d("2026-06-01")), None);
        // Done on 04-20: on 04-10 it was still ten days overdue.
        assert_eq!(action_overdue(d("2026-03-31"), Some(d("2026-04-20")), d("2026-04-10")), Some(10));
    }
}
