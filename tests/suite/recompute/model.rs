//! The second implementation: every report figure recomputed from the definitions with
//! exact fractions. `Rules` switches single rules back to an older behaviour, so that a
//! disagreement with the pages can be traced to the rule that explains it.

use super::data::*;
use super::rational::Q;
use std::collections::HashMap;

/// Each flag is `true` under the specification; a variant turns one off.
#[derive(Clone, Copy)]
pub struct Rules {
    /// Past months' complaints are judged as of their month's end (else: the build date).
    pub as_of_past: bool,
    /// Timestamps keep their seconds (else: truncated to the minute).
    pub seconds: bool,
    /// Attainment is clamped to [0, 200] and a lower-is-better 0 gives 200 (else: unclamped, 100).
    pub attainment_cap: bool,
    /// Without `top_ties`, a tie group that overflows the top share gets no star (else: include).
    pub ties_exclude_default: bool,
    /// Teams get failing-streak alerts too (else: people only).
    pub team_streak_alerts: bool,
    /// Past months' overviews count open complaints past their limit (else: latest only).
    pub open_alert_past: bool,
    /// Complaints and survey answers after the end of the build date are left out (with
    /// a warning, as are later metrics), and a resolution after it counts as not yet
    /// resolved (else: all of them count, silently).
    pub build_date_cutoff: bool,
    /// Exact ties round half away from zero (else: toward zero, as float noise below the tie does).
    pub decimal_rounding: bool,
}

pub const SPEC: Rules = Rules {
    as_of_past: true,
    seconds: true,
    attainment_cap: true,
    ties_exclude_default: true,
    team_streak_alerts: true,
    open_alert_past: true,
    decimal_rounding: true,
    build_date_cutoff: true,
};

impl Rules {
    /// Both variants' older behaviours at once.
    pub fn and(self, o: Rules) -> Rules {
        Rules {
            as_of_past: self.as_of_past && o.as_of_past,
            seconds: self.seconds && o.seconds,
            attainment_cap: self.attainment_cap && o.attainment_cap,
            ties_exclude_default: self.ties_exclude_default && o.ties_exclude_default,
            team_streak_alerts: self.team_streak_alerts && o.team_streak_alerts,
            open_alert_past: self.open_alert_past && o.open_alert_past,
            decimal_rounding: self.decimal_rounding && o.decimal_rounding,
            build_date_cutoff: self.build_date_cutoff && o.build_date_cutoff,
        }
    }
}

/// The single-rule variants, each named after the rule it undoes.
pub fn variants() -> Vec<(&'static str, Rules)> {
    vec![
        (
            "as-of evaluation of past months (page judges past complaints at the build date)",
            Rules { as_of_past: false, ..SPEC },
        ),
        ("seconds in timestamps (page truncates to the minute)", Rules { seconds: false, ..SPEC }),
        (
            "attainment cap [0, 200], lower-is-better value 0 → 200 (page: unclamped, 0 → 100)",
            Rules { attainment_cap: false, ..SPEC },
        ),
        (
            "top_ties: exclude is the default (page includes overflowing tie groups)",
            Rules { ties_exclude_default: false, ..SPEC },
        ),
        ("team streak alerts (page alerts people only)", Rules { team_streak_alerts: false, ..SPEC }),
        ("open-past-limit alerts on past months (page: latest month only)", Rules { open_alert_past: false, ..SPEC }),
        (
            "data after the build date left out with a warning, later resolutions not yet known (page counts them)",
            Rules { build_date_cutoff: false, ..SPEC },
        ),
        (
            "display rounding half away from zero on the exact decimal (page rounds a binary float just below the tie)",
            Rules { decimal_rounding: false, ..SPEC },
        ),
    ]
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Status {
    Met,
    Warning,
    Missed,
}

#[derive(Clone, Copy, Default)]
pub struct Nps {
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
}

impl Nps {
    pub fn n(&self) -> i64 {
        self.promoters + self.passives + self.detractors
    }
    pub fn value(&self) -> Option<Q> {
        (self.n() > 0).then(|| Q::new(i128::from(self.promoters - self.detractors) * 100, i128::from(self.n())))
    }
}

#[derive(Clone, Copy)]
pub struct Score {
    pub points: Q,
    pub pass: bool,
    pub rank: usize,
    pub n: usize,
    pub star: bool,
    pub streak: i64,
    pub change: Option<Q>,
}

pub struct CStats {
    pub received: usize,
    pub decided: usize,
    pub within: usize,
    pub share: Option<Q>,
    pub median: Option<Q>,
    pub p90: Option<Q>,
}

pub struct Model<'a> {
    pub site: &'a Site,
    pub rules: Rules,
    /// The build date (day number).
    pub build: i64,
    pub first: Month,
    pub latest: Month,
    values: HashMap<(String, String, Month), Q>,
    pub nps: HashMap<(Option<String>, Month), Nps>,
    /// (card, subject, month)
    pub scores: HashMap<(String, String, Month), Score>,
}

fn aggregate(agg: Agg, mut v: Vec<Q>) -> Option<Q> {
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    Some(match agg {
        Agg::Sum => v.into_iter().sum(),
        Agg::Mean => v.into_iter().sum::<Q>() / Q::int(n as i64),
        Agg::Median => {
            v.sort();
            if n % 2 == 1 {
                v[n / 2]
            } else {
                (v[n / 2 - 1] + v[n / 2]) / Q::int(2)
            }
        }
    })
}

impl<'a> Model<'a> {
    pub fn new(site: &'a Site, build: i64, rules: Rules) -> Model<'a> {
        let end_b = (build + 1) * 86_400;
        let build_month = month_of_day(build);
        let mut months: Vec<Month> = site.metrics.keys().map(|k| k.2).collect();
        months.extend(
            site.complaints.iter().filter(|c| c.received < end_b).map(|c| month_of_day(c.received.div_euclid(86_400))),
        );
        let cutoff = |day: i64| !rules.build_date_cutoff || day <= build;
        months.extend(site.surveys.iter().filter(|s| cutoff(s.day)).map(|s| month_of_day(s.day)));
        months.retain(|m| *m <= build_month);
        let first = *months.iter().min().expect("no data");
        let latest = *months.iter().max().unwrap();
        let mut m = Model {
            site,
            rules,
            build,
            first,
            latest,
            values: HashMap::new(),
            nps: HashMap::new(),
            scores: HashMap::new(),
        };
        m.compute_nps();
        m.compute_values();
        m.compute_scores();
        m
    }

    pub fn months(&self) -> impl DoubleEndedIterator<Item = Month> {
        self.first..=self.latest
    }

    /// The last 12 months up to the latest.
    pub fn window(&self) -> impl DoubleEndedIterator<Item = Month> {
        self.latest - 11..=self.latest
    }

    fn compute_nps(&mut self) {
        let team_of: HashMap<&str, &str> = self.site.teams.iter().map(|t| (t.id.as_str(), t.dept.as_str())).collect();
        for s in self.site.surveys.iter().filter(|s| !self.rules.build_date_cutoff || s.day <= self.build) {
            let Some(dept) = team_of.get(s.team.as_str()) else { continue };
            let m = month_of_day(s.day);
            for key in [Some(s.team.clone()), Some(format!("dept:{dept}")), None] {
                let e = self.nps.entry((key, m)).or_default();
                match s.score {
                    9..=10 => e.promoters += 1,
                    7..=8 => e.passives += 1,
                    _ => e.detractors += 1,
                }
            }
        }
    }

    fn compute_values(&mut self) {
        let site = self.site;
        for (k, v) in &site.metrics {
            if site.people.iter().any(|p| p.id == k.0) {
                self.values.insert(k.clone(), *v);
            }
        }
        for kpi in &site.kpis {
            for m in self.first..=self.latest {
                let nps = |key: Option<String>| self.nps.get(&(key, m)).and_then(Nps::value);
                let given = |s: &str| site.metrics.get(&(s.to_string(), kpi.id.clone(), m)).copied();
                let mut team_vals = HashMap::new();
                for t in &site.teams {
                    let v = if kpi.surveys {
                        nps(Some(t.id.clone()))
                    } else {
                        given(&t.id).or_else(|| {
                            let members = site.people.iter().filter(|p| p.team == t.id);
                            aggregate(kpi.agg, members.filter_map(|p| self.value(&p.id, &kpi.id, m)).collect())
                        })
                    };
                    team_vals.insert(t.id.as_str(), v);
                }
                let mut dept_vals = Vec::new();
                for (d, _) in &site.depts {
                    let v = if kpi.surveys {
                        nps(Some(format!("dept:{d}")))
                    } else {
                        given(d).or_else(|| {
                            let teams = site.teams.iter().filter(|t| &t.dept == d);
                            aggregate(kpi.agg, teams.filter_map(|t| team_vals[t.id.as_str()]).collect())
                        })
                    };
                    dept_vals.push((d.clone(), v));
                }
                let org = if kpi.surveys {
                    nps(None)
                } else {
                    given("org").or_else(|| aggregate(kpi.agg, dept_vals.iter().filter_map(|d| d.1).collect()))
                };
                let named = team_vals
                    .into_iter()
                    .map(|(t, v)| (t.to_string(), v))
                    .chain(dept_vals)
                    .chain([("org".to_string(), org)]);
                for (s, v) in named.collect::<Vec<_>>() {
                    if let Some(v) = v {
                        self.values.insert((s, kpi.id.clone(), m), v);
                    }
                }
            }
        }
    }

    /// A person's, team's, department's or (`org`) the organisation's value.
    pub fn value(&self, subject: &str, kpi: &str, m: Month) -> Option<Q> {
        self.values.get(&(subject.to_string(), kpi.to_string(), m)).copied()
    }

    pub fn kpi(&self, id: &str) -> &Kpi {
        self.site.kpis.iter().find(|k| k.id == id).unwrap_or_else(|| panic!("unknown KPI {id}"))
    }

    pub fn target(&self, kpi: &Kpi, m: Month) -> Option<Q> {
        kpi.targets.iter().rfind(|t| t.0 <= m).map(|t| t.1)
    }

    pub fn status(&self, kpi: &Kpi, v: Q, t: Q) -> Status {
        let miss = if kpi.higher { t - v } else { v - t };
        if miss <= Q::ZERO {
            Status::Met
        } else if miss <= kpi.warning {
            Status::Warning
        } else {
            Status::Missed
        }
    }

    /// Attainment in percent; `None` when undefined (a higher-is-better target of 0 or below).
    pub fn attainment(&self, kpi: &Kpi, v: Q, t: Q) -> Option<Q> {
        let raw = if kpi.higher {
            (t > Q::ZERO).then(|| v / t * Q::int(100))?
        } else if v.is_zero() {
            Q::int(if t.is_zero() || !self.rules.attainment_cap { 100 } else { 200 })
        } else {
            t / v * Q::int(100)
        };
        Some(if self.rules.attainment_cap { raw.clamp(Q::ZERO, Q::int(200)) } else { raw })
    }

    fn points(&self, card: &Card, subject: &str, m: Month) -> Option<Q> {
        let mut total = Q::ZERO;
        for item in &card.items {
            let kpi = self.kpi(&item.kpi);
            let (v, t) = (self.value(subject, &kpi.id, m)?, self.target(kpi, m)?);
            total = total
                + if item.linear {
                    let worst = if kpi.higher { kpi.min } else { kpi.max };
                    item.weight * ((v - worst) / (t - worst)).clamp(Q::ZERO, Q::int(1))
                } else if self.status(kpi, v, t) == Status::Met {
                    item.weight
                } else {
                    Q::ZERO
                };
        }
        Some(total)
    }

    /// The people and the teams a scorecard applies to.
    pub fn subjects(&self, card: &Card) -> (Vec<&'a Person>, Vec<&'a Team>) {
        let people = self.site.people.iter().filter(|p| card.roles.contains(&p.role)).collect();
        let teams = self.site.teams.iter().filter(|t| t.roles.iter().any(|r| card.roles.contains(r))).collect();
        (people, teams)
    }

    fn compute_scores(&mut self) {
        for card in &self.site.cards {
            let (people, teams) = self.subjects(card);
            let include = card.ties_include.unwrap_or(!self.rules.ties_exclude_default);
            for group in
                [people.iter().map(|p| p.id.clone()).collect::<Vec<_>>(), teams.iter().map(|t| t.id.clone()).collect()]
            {
                let mut streaks: HashMap<&str, i64> = HashMap::new();
                for m in self.first..=self.latest {
                    let scored: Vec<(&str, Q)> =
                        group.iter().filter_map(|s| Some((s.as_str(), self.points(card, s, m)?))).collect();
                    let n = scored.len();
                    let places = (Q::int(n as i64) * card.top / Q::int(100)).ceil() as usize;
                    for s in &group {
                        let Some(&(_, p)) = scored.iter().find(|x| x.0 == s) else {
                            streaks.insert(s, 0);
                            continue;
                        };
                        let rank = 1 + scored.iter().filter(|x| x.1 > p).count();
                        let tied = scored.iter().filter(|x| x.1 == p).count();
                        let star = if include { rank <= places } else { rank + tied - 1 <= places };
                        let pass = p >= card.pass;
                        let streak = if pass { 0 } else { streaks.get(s.as_str()).copied().unwrap_or(0) + 1 };
                        streaks.insert(s, streak);
                        let change = self.scores.get(&(card.id.clone(), s.clone(), m - 1)).map(|prev| p - prev.points);
                        self.scores.insert(
                            (card.id.clone(), s.clone(), m),
                            Score { points: p, pass, rank, n, star, streak, change },
                        );
                    }
                }
            }
        }
    }

    pub fn score(&self, card: &str, subject: &str, m: Month) -> Option<Score> {
        self.scores.get(&(card.to_string(), subject.to_string(), m)).copied()
    }

    /// The end (24:00) of the build date, in seconds.
    pub fn end_of_build(&self) -> i64 {
        (self.build + 1) * 86_400
    }

    /// The instant a month is judged at for complaints.
    pub fn as_of(&self, m: Month) -> i64 {
        if m >= self.latest || !self.rules.as_of_past {
            self.end_of_build()
        } else {
            (month_start(m + 1) * 86_400).min(self.end_of_build())
        }
    }

    /// The day a month's actions are judged at.
    pub fn as_of_day(&self, m: Month) -> i64 {
        if m >= self.latest {
            self.build
        } else {
            (month_start(m + 1) - 1).min(self.build)
        }
    }

    fn ts(&self, t: i64) -> i64 {
        if self.rules.seconds {
            t
        } else {
            t - t.rem_euclid(60)
        }
    }

    /// Complaints that count: received up to the end of the build date.
    pub fn complaints(&self) -> impl Iterator<Item = &'a Complaint> + '_ {
        self.site
            .complaints
            .iter()
            .filter(|c| !self.rules.build_date_cutoff || self.ts(c.received) < self.end_of_build())
    }

    /// The limit in hours in force when the complaint was received (before the first
    /// dated value: that value).
    pub fn limit(&self, c: &Complaint) -> Q {
        let ty = self.site.types.iter().find(|t| t.id == c.ctype).expect("complaint type");
        let r = self.ts(c.received);
        ty.limits.iter().rfind(|l| l.0 <= r).unwrap_or(&ty.limits[0]).1
    }

    /// (resolved by `t`, handling seconds when resolved)
    fn resolved_by(&self, c: &Complaint, t: i64) -> Option<i64> {
        let r = self.ts(c.resolved?);
        let known = if self.rules.build_date_cutoff { r <= t } else { r <= t || t >= self.end_of_build() };
        known.then(|| r - self.ts(c.received))
    }

    /// Open at `t` and past its limit: the hours it has been open.
    pub fn open_past_limit(&self, c: &Complaint, t: i64) -> Option<Q> {
        let open = t - self.ts(c.received);
        (open >= 0 && self.resolved_by(c, t).is_none() && Q::int(open) > self.limit(c) * Q::int(3600))
            .then(|| Q::new(i128::from(open), 3600))
    }

    pub fn complaint_stats(&self, ty: &CType, m: Month) -> CStats {
        let t = self.as_of(m);
        let received: Vec<&Complaint> = self
            .complaints()
            .filter(|c| c.ctype == ty.id && month_of_day(self.ts(c.received).div_euclid(86_400)) == m)
            .collect();
        let (mut decided, mut within, mut hours) = (0, 0, Vec::new());
        for c in &received {
            let limit = self.limit(c) * Q::int(3600);
            if let Some(secs) = self.resolved_by(c, t) {
                decided += 1;
                within += usize::from(Q::int(secs) <= limit);
                hours.push(Q::new(i128::from(secs), 3600));
            } else if self.open_past_limit(c, t).is_some() {
                decided += 1;
            }
        }
        hours.sort();
        let n = hours.len();
        let p90 = (n > 0).then(|| hours[(Q::new(9 * n as i128, 10).ceil() as usize).max(1) - 1]);
        CStats {
            received: received.len(),
            decided,
            within,
            share: (decided > 0).then(|| Q::new(within as i128 * 100, decided as i128)),
            median: aggregate(Agg::Median, hours),
            p90,
        }
    }

    /// Days overdue on `day`, when overdue.
    pub fn overdue(&self, a: &Action, day: i64) -> Option<i64> {
        let done = a.done_on.is_some_and(|d| d <= day);
        (a.due < day && !done).then_some(day - a.due)
    }
}
