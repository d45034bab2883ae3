//! Scorecards (`data/scorecards.yaml`): weighted KPI items that must sum to 100, the
//! roles they apply to, the pass mark, the top share and how its ties are settled, the
//! failing streak to flag. It must not score anyone (that is `compute::report`).

use std::collections::{BTreeMap, BTreeSet};

use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::base::i18n::Language;
use crate::base::numbers::format_number;
use crate::formats::yaml::{self, Fields, Node, Spanned};

use super::{check_role, record_id, Kpi, Wording, WordsReader, KPIS_FILE, SCORECARDS_FILE};

/// How an item of a scorecard turns a KPI value into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Full weight when the target in force is met, else 0.
    Threshold,
    /// Proportional from the scale's worst end to the target, capped at full weight.
    Linear,
}

impl Rule {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Rule::Threshold => "threshold",
            Rule::Linear => "linear",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScoreItem {
    pub(crate) kpi: Spanned<String>,
    pub(crate) weight: f64,
    pub(crate) rule: Rule,
}

/// How ties at the edge of a scorecard's top share are settled (`top_ties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TopTies {
    /// A tie group is recognised only when all of it fits in the places: the number
    /// recognised never exceeds ⌈n × top_percent / 100⌉.
    #[default]
    Exclude,
    /// Everyone whose competition rank is within the places is recognised, so a tie
    /// at the edge can recognise more people than there are places.
    Include,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scorecard {
    pub(crate) id: String,
    /// The name in the default language ([`Scorecard::words`] holds every language's).
    pub(crate) name: String,
    /// `name` in each language it is written in.
    pub(crate) words: Wording,
    pub(crate) roles: Vec<Spanned<String>>,
    pub(crate) items: Vec<ScoreItem>,
    /// Points (out of 100) needed to pass a period.
    pub(crate) pass_mark: f64,
    /// The best this share of people (in percent) is recognised each period.
    pub(crate) top_percent: f64,
    /// Who gets the top share when scores tie at its edge.
    pub(crate) top_ties: TopTies,
    /// This many failed periods in a row must be flagged.
    pub(crate) fail_streak: u32,
    /// Whether customers may see this scorecard (default: no).
    pub(crate) public: bool,
    pub(crate) pos: Pos,
}

impl Scorecard {
    /// The name in `language`, else in the default language.
    pub(crate) fn name_in(&self, language: Language) -> &str {
        self.words.text("name", language).unwrap_or(&self.name)
    }
}

/// `scorecards.yaml`: a list of weighted scorecards, their words in `languages` (the
/// default first).
pub(crate) fn parse_scorecards(
    node: &Node,
    kpis: &BTreeMap<String, Kpi>,
    (roles, languages): (&BTreeSet<String>, &[Language]),
    diags: &mut Diagnostics,
) -> Vec<Scorecard> {
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for item in yaml::records(node, SCORECARDS_FILE, "scorecards", diags) {
        let Some(mut f) = Fields::new(item, SCORECARDS_FILE, "scorecard", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "scorecard", diags);
        let what = id.as_ref().map_or_else(|| "scorecard".to_string(), |id| format!("scorecard `{id}`"));
        let mut words = Wording::default();
        let name = words.insert("name", WordsReader { languages, what: &what }.required(&mut f, "name", diags));
        if let Some(p) = f.choice("period", &["month"], diags) {
            let _ = p; // Monthly is the only period the sources use.
        }
        let roles_list = f.string_list("roles", diags);
        for r in &roles_list {
            check_role(SCORECARDS_FILE, "roles", r, roles, diags);
        }
        let mut items = Vec::new();
        let mut total = 0.0;
        let items_pos = f.key_pos("items").unwrap_or(f.pos());
        for it in f.list("items", diags) {
            let Some(mut i) = Fields::new(it, SCORECARDS_FILE, "scorecard item", diags) else { continue };
            let kpi = i.required_string("kpi", diags);
            let weight = i.number("weight", diags);
            let rule = i.choice("rule", &["threshold", "linear"], diags);
            if weight.is_none() && i.key_pos("weight").is_none() {
                diags.error(SCORECARDS_FILE, it.pos, "missing-key", "scorecard item: missing required key `weight`");
            }
            i.finish(diags, |_| None);
            if let Some(k) = &kpi {
                if !kpis.contains_key(&k.value) {
                    let why = format!("it is not defined in {KPIS_FILE}");
                    let u = Unknown { code: "unknown-kpi", what: "KPI", id: &k.value, field: None, why: Some(&why) };
                    diags.unknown(SCORECARDS_FILE, k.pos, u, kpis.keys().map(String::as_str));
                }
            }
            if let Some(w) = &weight {
                if w.value <= 0.0 {
                    diags.error(SCORECARDS_FILE, w.pos, "bad-value", "an item's `weight` must be positive");
                }
                total += w.value;
            }
            if let (Some(kpi), Some(weight)) = (kpi, weight) {
                let rule =
                    rule.map_or(Rule::Threshold, |r| if r.value == "linear" { Rule::Linear } else { Rule::Threshold });
                items.push(ScoreItem { kpi, weight: weight.value, rule });
            }
        }
        if items.is_empty() {
            diags.error(
                SCORECARDS_FILE,
                items_pos,
                "missing-key",
                "scorecard: `items` must list at least one `{kpi, weight, rule}`",
            );
        } else if (total - 100.0).abs() > 1e-9 {
            diags.error(
                SCORECARDS_FILE,
                items_pos,
                "weights-not-100",
                format!("scorecard item weights must sum to 100, they sum to {}", format_number(total)),
            );
        }
        let pass_mark = percent_field(&mut f, "pass_mark", diags);
        let top_percent = percent_field(&mut f, "top_percent", diags);
        let top_ties = f.choice("top_ties", &["exclude", "include"], diags).map_or(TopTies::Exclude, |t| {
            if t.value == "include" {
                TopTies::Include
            } else {
                TopTies::Exclude
            }
        });
        let fail_streak = f.integer("fail_streak", diags);
        if let Some(s) = &fail_streak {
            if !(1..=MAX_FAIL_STREAK).contains(&s.value) {
                diags.error(
                    SCORECARDS_FILE,
                    s.pos,
                    "bad-value",
                    format!("`fail_streak` must be a whole number from 1 to {MAX_FAIL_STREAK} (periods in a row)"),
                );
            }
        }
        let public = f.boolean("public", diags).is_some_and(|p| p.value);
        f.finish(diags, |_| None);
        if public {
            for item in &items {
                if kpis.get(&item.kpi.value).is_some_and(|k| !k.public) {
                    diags.error(
                        SCORECARDS_FILE,
                        item.kpi.pos,
                        "public-shows-internal",
                        format!("public scorecard includes KPI `{}`, which is not public", item.kpi.value),
                    );
                }
            }
        }
        let (Some(id), Some(name)) = (id, name) else { continue };
        out.push(Scorecard {
            id,
            name,
            words,
            roles: roles_list,
            items,
            pass_mark: pass_mark.unwrap_or(60.0),
            top_percent: top_percent.unwrap_or(0.0),
            top_ties,
            fail_streak: fail_streak.map_or(3, |s| s.value.clamp(1, MAX_FAIL_STREAK) as u32),
            public,
            pos: item.pos,
        });
    }
    out
}

/// The longest failing streak a scorecard may ask for (`fail_streak`).
const MAX_FAIL_STREAK: i64 = 1000;

fn percent_field(f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<f64> {
    let v = f.number(key, diags)?;
    if !(0.0..=100.0).contains(&v.value) {
        diags.error(f.path(), v.pos, "bad-value", format!("`{key}` is a percentage and must lie between 0 and 100"));
        return None;
    }
    Some(v.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::fixtures::{diags_of, roles, KPIS};
    use crate::load::data::parse_kpis;

    #[test]
    fn scorecard_weights_must_sum_to_100_and_name_known_kpis() {
        let kpis = parse_kpis(&yaml::parse(KPIS, 1).unwrap(), &roles(), &Language::ALL, &mut Diagnostics::new());
        let src = "\
- id: monthly
  name: 月度考核
  period: month
  roles: [service-specialist, nobody]
  items:
    - {kpi: satisfaction, weight: 40, rule: linear}
    - {kpi: satisfacton, weight: 30, rule: threshold}
  pass_mark: 60
  top_percent: 10
  fail_streak: 3
";
        let node = yaml::parse(src, 1).unwrap();
        let msgs = diags_of(|d| {
            parse_scorecards(&node, &kpis, (&roles(), &Language::ALL), d);
        });
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.starts_with("data/scorecards.yaml:4:31 `roles`: unknown role `nobody`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m
                    .starts_with("data/scorecards.yaml:5:3 scorecard item weights must sum to 100, they sum to 70")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.starts_with("data/scorecards.yaml:7:13 unknown KPI `satisfacton`")), "{msgs:?}");
    }
}
