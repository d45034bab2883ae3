//! What the reports cannot show, said aloud: months in which a scorecard cannot score
//! someone it applies to, and months in which a KPI has values but no target in force.
//! Without these warnings such months would simply be missing from the pages.
//!
//! Pure: reads the computed series and returns warnings located at the definition in
//! `data/kpis.yaml` or `data/scorecards.yaml`. It must not change any figure.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::compute::kpi::target_in_force;
use crate::compute::report::Series;
use crate::load::data::{Data, KPIS_FILE, SCORECARDS_FILE};

/// How many months (and subjects within a month) a warning names before "and N more".
const NAMED: usize = 4;

/// Warns about every gap in `series` (after roll-up) within `periods`.
pub(crate) fn check(
    data: &Data,
    series: &BTreeMap<(String, String), Series>,
    periods: &[YearMonth],
    diags: &mut Diagnostics,
) {
    let months: BTreeSet<YearMonth> = periods.iter().copied().collect();
    untargeted_months(data, series, &months, diags);
    unscored_months(data, series, &months, diags);
}

/// A KPI with values in months before its first target (or with no targets at all).
fn untargeted_months(
    data: &Data,
    series: &BTreeMap<(String, String), Series>,
    months: &BTreeSet<YearMonth>,
    diags: &mut Diagnostics,
) {
    let mut by_kpi: BTreeMap<&str, BTreeSet<YearMonth>> = BTreeMap::new();
    for ((kpi, _), s) in series {
        let Some(k) = data.kpis.get(kpi) else { continue };
        let gaps = s.keys().filter(|m| months.contains(m) && target_in_force(k, **m).is_none());
        by_kpi.entry(&k.id).or_default().extend(gaps);
    }
    for (id, gaps) in by_kpi.into_iter().filter(|(_, g)| !g.is_empty()) {
        let k = &data.kpis[id];
        let first = k
            .targets
            .first()
            .map_or_else(|| "it has no targets".to_string(), |t| format!("its first target applies from {}", t.from));
        diags.warning(
            KPIS_FILE,
            k.pos,
            "no-target-in-force",
            format!(
                "KPI `{id}` has values in {} but no target in force then ({first}): those months show the value without a status and are not scored",
                named(gaps.iter().map(ToString::to_string).collect(), ", ")
            ),
        );
    }
}

/// A scorecard that applies to a subject with some of its KPIs' values in a month but
/// not all of them (or a KPI without a target then): that month gets no score.
fn unscored_months(
    data: &Data,
    series: &BTreeMap<(String, String), Series>,
    months: &BTreeSet<YearMonth>,
    diags: &mut Diagnostics,
) {
    for card in &data.scorecards {
        let applies = |role: &str| card.roles.iter().any(|r| r.value == role);
        let people = data.org.people.iter().filter(|p| applies(&p.role.value)).map(|p| p.id.as_str());
        let teams = data.org.teams.iter().filter(|t| t.roles.iter().any(|r| applies(&r.value))).map(|t| t.id.as_str());
        // Subjects never scored because a KPI has no values for them at all, and
        // month → subjects left unscored that month, each with what it lacked.
        let mut never: Vec<String> = Vec::new();
        let mut gaps: BTreeMap<YearMonth, Vec<String>> = BTreeMap::new();
        for subject in people.chain(teams) {
            // Each item's series for this subject, looked up once.
            let item_series: Vec<Option<&Series>> =
                card.items.iter().map(|i| crate::load::measure::series(series, &i.kpi.value, subject)).collect();
            let seen: BTreeSet<YearMonth> =
                item_series.iter().flatten().flat_map(|s| s.keys().copied()).filter(|m| months.contains(m)).collect();
            if seen.is_empty() {
                continue; // Nothing measured for it: nothing to lose.
            }
            let absent: Vec<String> = card
                .items
                .iter()
                .zip(&item_series)
                .filter(|(_, s)| s.is_none())
                .map(|(i, _)| format!("`{}`", i.kpi.value))
                .collect();
            if !absent.is_empty() {
                never.push(format!("{subject} (no values of {} at all)", absent.join(", ")));
                continue;
            }
            for m in seen {
                let lacking: Vec<String> = card
                    .items
                    .iter()
                    .zip(&item_series)
                    .filter_map(|(i, s)| {
                        let kpi = data.kpis.get(&i.kpi.value)?;
                        if s.and_then(|s| s.get(&m)).is_none() {
                            Some(format!("no value of `{}`", kpi.id))
                        } else if target_in_force(kpi, m).is_none() {
                            Some(format!("no target of `{}`", kpi.id))
                        } else {
                            None
                        }
                    })
                    .collect();
                if !lacking.is_empty() {
                    gaps.entry(m).or_default().push(format!("{subject} ({})", lacking.join(", ")));
                }
            }
        }
        if !never.is_empty() {
            diags.warning(
                SCORECARDS_FILE,
                card.pos,
                "never-scored",
                format!(
                    "scorecard `{}` applies to {} that it can never score — {}",
                    card.id,
                    if never.len() == 1 { "1 subject".to_string() } else { format!("{} subjects", never.len()) },
                    named(never, "; ")
                ),
            );
        }
        if gaps.is_empty() {
            continue;
        }
        let described: Vec<String> =
            gaps.iter().map(|(m, subjects)| format!("{m}: {}", named(subjects.clone(), ", "))).collect();
        let count = gaps.values().map(Vec::len).sum::<usize>();
        diags.warning(
            SCORECARDS_FILE,
            card.pos,
            "not-scored",
            format!(
                "scorecard `{}` cannot score {} (left out of rankings and streaks) — {}",
                card.id,
                if count == 1 { "1 subject-month".to_string() } else { format!("{count} subject-months") },
                named(described, "; ")
            ),
        );
    }
}

/// The first [`NAMED`] items joined by `sep`, then "and N more".
fn named(items: Vec<String>, sep: &str) -> String {
    let n = items.len();
    let mut out = items.into_iter().take(NAMED).collect::<Vec<_>>().join(sep);
    if n > NAMED {
        out.push_str(&format!("{sep}and {} more", n - NAMED));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Pos;
    use crate::compute::kpi::tests::kpi;
    use crate::compute::report::tests::{agent, m, scorecard};
    use crate::load::data::{Direction, Org, Scorecard};

    fn data() -> Data {
        let mut data = Data::default();
        let mut sat = kpi(Direction::Higher, (1.0, 5.0), &[("2025-01", 4.0)], 0.0);
        sat.id = "sat".into();
        sat.pos = Pos::new(3, 3);
        let mut rate = kpi(Direction::Lower, (0.0, 100.0), &[("2026-01", 2.0)], 0.0);
        rate.id = "rate".into();
        rate.pos = Pos::new(9, 3);
        data.kpis.insert("sat".into(), sat);
        data.kpis.insert("rate".into(), rate);
        data.org = Org { people: ["a", "b", "c"].map(|id| agent(id, "t")).into(), ..Org::default() };
        data.scorecards.push(Scorecard { pos: Pos::new(2, 3), ..scorecard([("sat", 50.0), ("rate", 50.0)]) });
        data
    }

    #[test]
    fn months_without_a_target_or_a_value_are_named() {
        let mut series: BTreeMap<(String, String), Series> = BTreeMap::new();
        let mut put = |k: &str, s: &str, p: &str, v: f64| {
            series.entry((k.into(), s.into())).or_default().insert(m(p), v);
        };
        put("sat", "a", "2025-12", 4.5);
        put("rate", "a", "2025-12", 1.0); // before rate's first target
        put("sat", "a", "2026-01", 4.5);
        put("rate", "a", "2026-01", 1.0); // scored
        put("sat", "b", "2026-01", 4.1); // b lacks rate in January
        put("rate", "b", "2025-12", 3.0); // and satisfaction in December
        put("sat", "c", "2026-01", 4.0); // c is never measured on rate
        put("sat", "b", "2027-01", 4.1); // after the last period: not reported
        let mut d = Diagnostics::new();
        check(&data(), &series, &[m("2025-12"), m("2026-01")], &mut d);
        let msgs: Vec<String> =
            d.into_sorted().iter().map(|d| format!("{}:{} {}", d.path, d.pos.line, d.message)).collect();
        assert_eq!(
            msgs,
            [
                "data/kpis.yaml:9 KPI `rate` has values in 2025-12 but no target in force then (its first target applies from 2026-01): those months show the value without a status and are not scored",
                "data/scorecards.yaml:2 scorecard `card` applies to 1 subject that it can never score — c (no values of `rate` at all)",
                "data/scorecards.yaml:2 scorecard `card` cannot score 3 subject-months (left out of rankings and streaks) — 2025-12: a (no target of `rate`), b (no value of `sat`, no target of `rate`); 2026-01: b (no value of `rate`)",
            ]
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let items: Vec<String> = (1..=6).map(|i| i.to_string()).collect();
        assert_eq!(named(items, "; "), "1; 2; 3; 4; and 2 more");
    }
}
