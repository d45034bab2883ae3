//! KPI definitions (`data/kpis.yaml`): name, unit, which way is better, the scale,
//! dated targets inside it, the warning band, the owner role and how values roll up.
//! It must not compute statuses or attainment (that is `compute::kpi`).

use std::collections::{BTreeMap, BTreeSet};

use crate::base::date::YearMonth;
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::i18n::Language;
use crate::base::numbers::format_number;
use crate::formats::yaml::{self, Fields, Node, Spanned};

use super::{check_role, record_id, Wording, WordsReader, KPIS_FILE};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Higher,
    Lower,
}

/// How values combine across people (and teams) into a team's (department's) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Aggregate {
    Mean,
    Sum,
    Median,
}

impl Aggregate {}

/// A target value in force from a month on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Target {
    pub(crate) from: YearMonth,
    pub(crate) value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Kpi {
    pub(crate) id: String,
    /// The name, definition and unit in the default language ([`Kpi::words`] holds
    /// every language's).
    pub(crate) name: String,
    /// Markdown.
    pub(crate) definition: String,
    pub(crate) unit: String,
    /// `name`, `definition` and `unit` in each language they are written in.
    pub(crate) words: Wording,
    pub(crate) direction: Direction,
    pub(crate) scale: (f64, f64),
    /// Ascending by `from`.
    pub(crate) targets: Vec<Target>,
    /// How far past the target (in the KPI's unit) a value still counts as "within the
    /// warning band" rather than "missed"; 0 when absent.
    pub(crate) warning: f64,
    pub(crate) owner: Option<Spanned<String>>,
    pub(crate) aggregate: Aggregate,
    pub(crate) public: bool,
    /// `source: surveys`: the values are the NPS computed from `data/surveys.csv`
    /// (per team and for the organisation) instead of coming from `data/metrics/`.
    pub(crate) from_surveys: bool,
    pub(crate) pos: Pos,
}

impl Kpi {
    /// The name in `language`, else in the default language.
    pub(crate) fn name_in(&self, language: Language) -> &str {
        self.words.text("name", language).unwrap_or(&self.name)
    }

    /// The definition (markdown) in `language`, else in the default language.
    pub(crate) fn definition_in(&self, language: Language) -> &str {
        self.words.text("definition", language).unwrap_or(&self.definition)
    }

    /// The unit in `language` as it reads after the number `n` (`1 hour`, `24 hours`).
    pub(crate) fn unit_after(&self, language: Language, n: f64) -> &str {
        self.words.unit_after("unit", language, Some(n)).unwrap_or(&self.unit)
    }
}

/// `kpis.yaml`: a list of KPI definitions, their words in `languages` (the default first).
pub(crate) fn parse_kpis(
    node: &Node,
    roles: &BTreeSet<String>,
    languages: &[Language],
    diags: &mut Diagnostics,
) -> BTreeMap<String, Kpi> {
    let mut out = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for item in yaml::records(node, KPIS_FILE, "KPI definitions", diags) {
        let Some(mut f) = Fields::new(item, KPIS_FILE, "KPI", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "KPI", diags);
        let what = id.as_ref().map_or_else(|| "KPI".to_string(), |id| format!("KPI `{id}`"));
        let reader = WordsReader { languages, what: &what };
        let mut words = Wording::default();
        let name = reader.required(&mut f, "name", diags);
        let definition = words.insert("definition", reader.optional(&mut f, "definition", diags)).unwrap_or_default();
        let unit = words.insert("unit", reader.unit(&mut f, "unit", diags)).unwrap_or_default();
        let name = words.insert("name", name);
        let direction = f.choice("direction", &["higher", "lower"], diags);
        if direction.is_none() && f.key_pos("direction").is_none() {
            diags.error(
                KPIS_FILE,
                f.pos(),
                "missing-key",
                "KPI: missing required key `direction` (`higher` or `lower` is better)",
            );
        }
        let scale = scale(&mut f, diags);
        let targets = targets(&mut f, scale, diags);
        let warning = f.number("warning", diags);
        if let Some(w) = &warning {
            if w.value < 0.0 {
                diags.error(KPIS_FILE, w.pos, "bad-value", "`warning` is a band width and cannot be negative");
            } else if scale.is_some_and(|(lo, hi)| w.value > hi - lo) {
                diags.error(KPIS_FILE, w.pos, "bad-value", "`warning` is a band width and cannot exceed the scale");
            }
        }
        let owner = f.string("owner", diags);
        if let Some(o) = &owner {
            check_role(KPIS_FILE, "owner", o, roles, diags);
        }
        let aggregate = f.choice("aggregate", &["mean", "sum", "median"], diags).map(|a| match a.value {
            "sum" => Aggregate::Sum,
            "median" => Aggregate::Median,
            _ => Aggregate::Mean,
        });
        let public = f.boolean("public", diags).is_some_and(|p| p.value);
        let from_surveys = f.choice("source", &["metrics", "surveys"], diags).is_some_and(|s| s.value == "surveys");
        f.finish(diags, |_| None);
        let (Some(id), Some(name), Some(direction), Some(scale)) = (id, name, direction, scale) else { continue };
        out.insert(
            id.clone(),
            Kpi {
                id,
                name,
                definition,
                unit,
                words,
                direction: if direction.value == "lower" { Direction::Lower } else { Direction::Higher },
                scale,
                targets,
                warning: warning.map_or(0.0, |w| w.value.clamp(0.0, scale.1 - scale.0)),
                owner,
                aggregate: aggregate.unwrap_or(Aggregate::Mean),
                public,
                from_surveys,
                pos: item.pos,
            },
        );
    }
    out
}

/// The largest magnitude a KPI scale may reach. Every value and target lies inside the
/// scale, so this keeps report sums finite and chart axes drawable (plotters computes
/// axis ticks forever when a range overflows to infinity).
const MAX_SCALE: f64 = 1e15;

fn scale(f: &mut Fields, diags: &mut Diagnostics) -> Option<(f64, f64)> {
    let path = f.path();
    let Some(node) = f.node("scale") else {
        diags.error(path, f.pos(), "missing-key", "KPI: missing required key `scale` (`{min: …, max: …}`)");
        return None;
    };
    let mut s = Fields::new(node, path, "scale", diags)?;
    let min = s.number("min", diags);
    let max = s.number("max", diags);
    s.finish(diags, |_| None);
    let (min, max) = (min?, max?);
    for end in [&min, &max] {
        if end.value.abs() > MAX_SCALE {
            diags.error(
                path,
                end.pos,
                "bad-value",
                format!("scale: {:e} is too large; a KPI's scale must lie within ±{MAX_SCALE:e}", end.value),
            );
            return None;
        }
    }
    if min.value >= max.value {
        diags.error(
            path,
            max.pos,
            "bad-value",
            format!(
                "scale: `max` ({}) must be greater than `min` ({})",
                format_number(max.value),
                format_number(min.value)
            ),
        );
        return None;
    }
    Some((min.value, max.value))
}

fn targets(f: &mut Fields, scale: Option<(f64, f64)>, diags: &mut Diagnostics) -> Vec<Target> {
    let path = f.path();
    let mut out: Vec<Target> = Vec::new();
    for item in f.list("targets", diags) {
        let Some(mut t) = Fields::new(item, path, "target", diags) else { continue };
        let from = t.month("from", diags);
        let value = t.number("value", diags);
        if from.is_none() && t.key_pos("from").is_none() {
            diags.error(path, item.pos, "missing-key", "target: missing required key `from` (a month, `YYYY-MM`)");
        }
        if value.is_none() && t.key_pos("value").is_none() {
            diags.error(path, item.pos, "missing-key", "target: missing required key `value`");
        }
        t.finish(diags, |_| None);
        let (Some(from), Some(value)) = (from, value) else { continue };
        if let Some((min, max)) = scale {
            if value.value < min || value.value > max {
                diags.error(
                    path,
                    value.pos,
                    "target-out-of-scale",
                    format!(
                        "target {} is outside the scale {}–{}",
                        format_number(value.value),
                        format_number(min),
                        format_number(max)
                    ),
                );
            }
        }
        if let Some(prev) = out.last() {
            if from.value <= prev.from {
                diags.error(
                    path,
                    from.pos,
                    "targets-not-ascending",
                    format!("target months must be strictly ascending: {} comes after {}", from.value, prev.from),
                );
                continue;
            }
        }
        out.push(Target { from: from.value, value: value.value });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::fixtures::{diags_of, roles, KPIS};

    #[test]
    fn kpis_load_with_targets() {
        let node = yaml::parse(KPIS, 1).unwrap();
        let mut d = Diagnostics::new();
        let k = parse_kpis(&node, &roles(), &Language::ALL, &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        let s = &k["satisfaction"];
        assert_eq!(s.targets.len(), 2);
        assert_eq!(s.targets[1].from.to_string(), "2026-01");
        assert!(s.public && s.direction == Direction::Higher && s.warning == 0.2);
    }

    #[test]
    fn kpi_validation_reports_scale_order_and_duplicates() {
        let src = "\
- id: a
  name: A
  direction: higher
  scale: {min: 1, max: 5}
  targets: [{from: 2026-01, value: 6}, {from: 2025-06, value: 4}]
- id: a
  name: A2
  direction: sideways
  scale: {min: 5, max: 1}
";
        let node = yaml::parse(src, 1).unwrap();
        let msgs = diags_of(|d| {
            parse_kpis(&node, &roles(), &Language::ALL, d);
        });
        assert!(
            msgs.iter().any(|m| m.starts_with("data/kpis.yaml:5:36 target 6 is outside the scale 1–5")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with(
                "data/kpis.yaml:5:47 target months must be strictly ascending: 2025-06 comes after 2026-01"
            )),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with("data/kpis.yaml:6:7 duplicate KPI id `a` (first defined on line 1)")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("`direction` must be one of `higher`, `lower`, found `sideways`")),
            "{msgs:?}"
        );
        assert!(msgs.iter().any(|m| m.contains("scale: `max` (1) must be greater than `min` (5)")), "{msgs:?}");
    }

    #[test]
    fn kpi_scales_and_warning_bands_stay_drawable() {
        let src = "\
- {id: a, name: A, direction: higher, scale: {min: 0, max: 1.7e308}}
- {id: b, name: B, direction: higher, scale: {min: -1e15, max: 1e15}, warning: 3e15}
- {id: c, name: C, direction: higher, scale: {min: -1e15, max: 1e15}, warning: 2e15}
";
        let node = yaml::parse(src, 1).unwrap();
        let mut kpis = BTreeMap::new();
        let msgs = diags_of(|d| kpis = parse_kpis(&node, &roles(), &Language::ALL, d));
        assert_eq!(
            msgs,
            [
                "data/kpis.yaml:1:60 scale: 1.7e308 is too large; a KPI's scale must lie within ±1e15",
                "data/kpis.yaml:2:80 `warning` is a band width and cannot exceed the scale",
            ]
        );
        assert_eq!(kpis["c"].warning, 2e15);
    }
}
