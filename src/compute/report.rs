//! Report computations: from service data and measurements to what managers ask —
//! status against the target in force, weighted scores, ranks, the top share, failing
//! streaks, roll-ups from people to the organisation, NPS and overdue actions.
//! Complaint time-limit compliance lives in `complaints` and is re-exported here.
//!
//! Pure functions (no I/O, no clock: the build date is passed in), each unit-tested
//! against values computed by hand. Missing data stays missing (`None`), never zero.
//! Rendering the results is `reports_render`'s job.

use std::collections::BTreeMap;

use crate::base::date::{Date, YearMonth};
use crate::compute::kpi::{status, target_in_force, Status};
use crate::load::data::{Aggregate, Data, Direction, Kpi};
use crate::load::measure::{Measurements, ORG};

pub(crate) use crate::compute::complaints::{as_of, complaint_compliance, summary_compliance, ComplaintCell, Overdue};
pub(crate) use crate::compute::scores::{scores, top_count, ScoreRow};

/// Values of one KPI for one subject, by month.
pub(crate) type Series = crate::load::measure::Monthly;

/// Combines values the way a KPI says. `None` for no values.
pub(crate) fn aggregate(values: &[f64], how: Aggregate) -> Option<f64> {
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
pub(crate) fn median(values: &[f64]) -> Option<f64> {
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
pub(crate) fn percentile(values: &[f64], p: f64) -> Option<f64> {
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
const ATTAINMENT_CAP: f64 = 200.0;

/// Attainment in percent of target, within 0–[`ATTAINMENT_CAP`]: value/target when
/// higher is better, target/value when lower is better (so 100% is exactly on target
/// either way). A lower-is-better value of zero (or below) is perfect: the cap, or
/// 100% when the target is zero too. Undefined (`None`) for a higher-is-better target
/// of zero or below, where no ratio means anything.
pub(crate) fn attainment(kpi: &Kpi, value: f64, target: f64) -> Option<f64> {
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

/// Net Promoter Score of a set of 0–10 answers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Nps {
    pub(crate) promoters: u32,
    pub(crate) passives: u32,
    pub(crate) detractors: u32,
}

impl Nps {
    pub(crate) fn add(&mut self, score: u8) {
        match score {
            9..=10 => self.promoters += 1,
            7..=8 => self.passives += 1,
            _ => self.detractors += 1,
        }
    }

    /// Adds the answers counted in `other`.
    pub(crate) fn merge(&mut self, other: Nps) {
        self.promoters += other.promoters;
        self.passives += other.passives;
        self.detractors += other.detractors;
    }

    pub(crate) fn responses(&self) -> u32 {
        self.promoters + self.passives + self.detractors
    }

    /// % promoters − % detractors, or `None` without responses.
    pub(crate) fn score(&self) -> Option<f64> {
        let n = self.responses();
        (n > 0).then(|| (f64::from(self.promoters) - f64::from(self.detractors)) * 100.0 / f64::from(n))
    }
}

/// NPS by team index and month, plus the organisation's by month: from the survey
/// responses, or from a warehouse's counts of them (the same counts, so the same NPS).
pub(crate) fn nps_by_team(m: &Measurements) -> (BTreeMap<(usize, YearMonth), Nps>, BTreeMap<YearMonth, Nps>) {
    let mut teams: BTreeMap<(usize, YearMonth), Nps> = BTreeMap::new();
    for s in &m.surveys {
        teams.entry((s.team, s.month)).or_default().add(s.score);
    }
    for s in &m.survey_months {
        let n = Nps { promoters: s.promoters, passives: s.passives, detractors: s.detractors };
        teams.entry((s.team, s.month)).or_default().merge(n);
    }
    let mut org: BTreeMap<YearMonth, Nps> = BTreeMap::new();
    for ((_, month), n) in &teams {
        org.entry(*month).or_default().merge(*n);
    }
    (teams, org)
}

/// Every KPI series after roll-up: people's values as given; a team's, department's
/// or the organisation's value is the one given for it, else the KPI's `aggregate` of
/// the level below (people → team → department → organisation). Survey-sourced KPIs
/// take their team and organisation values from the NPS of the survey responses.
pub(crate) fn roll_up(data: &Data, m: &Measurements) -> BTreeMap<(String, String), Series> {
    let mut out: BTreeMap<(String, String), Series> = m.values.clone();
    let (team_nps, org_nps) = nps_by_team(m);
    // Each team's members and each department's teams, gathered once (in source order)
    // rather than by walking the organisation per team and KPI.
    let mut members: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in &data.org.people {
        members.entry(p.team.value.as_str()).or_default().push(p.id.clone());
    }
    let mut dept_teams: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in &data.org.teams {
        dept_teams.entry(t.department.value.as_str()).or_default().push(t.id.clone());
    }
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
            for ((team, month), n) in &team_nps {
                dept.entry((data.org.teams[*team].department.value.clone(), *month)).or_default().merge(*n);
            }
            for ((d, month), n) in dept {
                if let Some(v) = n.score() {
                    out.entry(key(&d)).or_default().insert(month, v);
                }
            }
            continue;
        }
        let fill = |subject: &str, members: &[String], out: &mut BTreeMap<(String, String), Series>| {
            let mut by_month: BTreeMap<YearMonth, Vec<f64>> = BTreeMap::new();
            for member in members {
                if let Some(series) = crate::load::measure::series(out, &kpi.id, member) {
                    for (month, v) in series {
                        by_month.entry(*month).or_default().push(*v);
                    }
                }
            }
            let given = crate::load::measure::series(out, &kpi.id, subject).cloned().unwrap_or_default();
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
            fill(&team.id, members.get(team.id.as_str()).map_or(&[], Vec::as_slice), &mut out);
        }
        for d in &data.org.departments {
            fill(&d.id, dept_teams.get(d.id.as_str()).map_or(&[], Vec::as_slice), &mut out);
        }
        let depts: Vec<String> = data.org.departments.iter().map(|d| d.id.clone()).collect();
        fill(ORG, &depts, &mut out);
    }
    out
}

/// Whether an action was overdue on `day`, and by how many days: past its due date and
/// not done by then (an action done later was still overdue on earlier days).
pub(crate) fn action_overdue(due: Date, done_on: Option<Date>, day: Date) -> Option<i64> {
    let days = day.to_unix_days() - due.to_unix_days();
    let done = done_on.is_some_and(|d| d <= day);
    (!done && days > 0).then_some(days)
}

/// The months reports cover: every month with a KPI value, complaint or survey
/// response, up to the build month (the one rule is `Measurements::months`).
pub(crate) fn periods(m: &Measurements, today: Date) -> Vec<YearMonth> {
    m.months(today)
}

/// Whether the status of `value` against the target in force in `month` is known.
pub(crate) fn status_in(kpi: &Kpi, value: Option<f64>, month: YearMonth) -> Option<Status> {
    let (v, t) = (value?, target_in_force(kpi, month)?);
    Some(status(kpi, v, t))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::compute::kpi::tests::kpi;
    use crate::formats::yaml::Spanned;
    use crate::load::data::{Department, Org, Person, Rule, ScoreItem, Scorecard, Team, TopTies};

    pub(crate) fn m(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }
    pub(crate) fn sp(s: &str) -> Spanned<String> {
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

    pub(crate) fn org_data() -> Data {
        let mut data = Data::default();
        let mut sat = kpi(Direction::Higher, (1.0, 5.0), &[("2025-01", 4.0), ("2026-01", 4.2)], 0.2);
        sat.id = "sat".into();
        let mut hours = kpi(Direction::Lower, (0.0, 72.0), &[("2025-01", 24.0)], 0.0);
        hours.id = "hours".into();
        hours.aggregate = Aggregate::Median;
        data.kpis.insert("sat".into(), sat);
        data.kpis.insert("hours".into(), hours);
        data.org = Org {
            departments: vec![Department {
                id: "cs".into(),
                name: "客服".into(),
                words: Default::default(),
                pos: Pos::FILE,
            }],
            teams: vec![
                Team {
                    id: "t1".into(),
                    name: "一组".into(),
                    words: Default::default(),
                    department: sp("cs"),
                    roles: vec![sp("agent")],
                    pos: Pos::FILE,
                },
                Team {
                    id: "t2".into(),
                    name: "二组".into(),
                    words: Default::default(),
                    department: sp("cs"),
                    roles: vec![sp("agent")],
                    pos: Pos::FILE,
                },
            ],
            people: vec![agent("a", "t1"), agent("b", "t1"), agent("c", "t2")],
        };
        data.scorecards.push(Scorecard {
            top_percent: 34.0,
            fail_streak: 2,
            ..scorecard([("sat", 60.0), ("hours", 40.0)])
        });
        data
    }

    /// Agent `id` of team `team`, named by their id.
    pub(crate) fn agent(id: &str, team: &str) -> Person {
        Person { id: id.into(), name: id.into(), role: sp("agent"), team: sp(team), pos: Pos::FILE }
    }

    /// The agents' scorecard `card`: a linear first item and a threshold second one,
    /// weighted as given; pass mark 60, ties excluded from the top group.
    pub(crate) fn scorecard([(linear, w1), (threshold, w2)]: [(&str, f64); 2]) -> Scorecard {
        Scorecard {
            id: "card".into(),
            name: "考核".into(),
            words: Default::default(),
            roles: vec![sp("agent")],
            items: vec![
                ScoreItem { kpi: sp(linear), weight: w1, rule: Rule::Linear },
                ScoreItem { kpi: sp(threshold), weight: w2, rule: Rule::Threshold },
            ],
            pass_mark: 60.0,
            top_percent: 10.0,
            top_ties: TopTies::Exclude,
            fail_streak: 3,
            public: false,
            pos: Pos::FILE,
        }
    }

    pub(crate) fn values(rows: &[(&str, &str, &str, f64)]) -> Measurements {
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
    fn actions_are_overdue_after_their_due_date_unless_done() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(action_overdue(d("2026-03-31"), None, d("2026-04-10")), Some(10));
        assert_eq!(action_overdue(d("2026-03-31"), None, d("2026-03-31")), None);
        assert_eq!(action_overdue(d("2026-03-31"), Some(d("2026-04-20")), d("2026-06-01")), None);
        // Done on 04-20: on 04-10 it was still ten days overdue.
        assert_eq!(action_overdue(d("2026-03-31"), Some(d("2026-04-20")), d("2026-04-10")), Some(10));
    }
}
