//! Service data: the single source of every number — parameters, KPI definitions,
//! scorecards and the organisation — read from `data/*.yaml`.
//!
//! Owns the data files' shapes and their own validation (targets inside the scale,
//! months strictly ascending, weights summing to 100, references between data files
//! and to role pages). Like `content`, loading reports every problem with the YAML
//! file's line and column and keeps going. It must not render or know about pages
//! beyond the set of role ids it is given.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::{self, Fields, Node, Spanned};

pub use crate::base::layout::{DATA_DIR, KPIS_FILE, ORG_FILE, PARAMS_FILE, SCORECARDS_FILE};

pub use crate::load::params::{display_value, Param, ParamStep, ParamValue};

// Moved to `base`; kept here so that older paths still work.
pub use crate::base::diagnostics::{merge_capped, MAX_FILE_ERRORS};
pub use crate::base::numbers::{format_number, round_half_away, with_unit};
pub use crate::base::source::read_source;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
}

/// How values combine across people (and teams) into a team's (department's) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Mean,
    Sum,
    Median,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Mean => "mean",
            Aggregate::Sum => "sum",
            Aggregate::Median => "median",
        }
    }
}

/// A target value in force from a month on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    pub from: YearMonth,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    /// Markdown.
    pub definition: String,
    pub unit: String,
    pub direction: Direction,
    pub scale: (f64, f64),
    /// Ascending by `from`.
    pub targets: Vec<Target>,
    /// How far past the target (in the KPI's unit) a value still counts as "within the
    /// warning band" rather than "missed"; 0 when absent.
    pub warning: f64,
    pub owner: Option<Spanned<String>>,
    pub aggregate: Aggregate,
    pub public: bool,
    /// `source: surveys`: the values are the NPS computed from `data/surveys.csv`
    /// (per team and for the organisation) instead of coming from `data/metrics/`.
    pub from_surveys: bool,
    pub pos: Pos,
}

/// How an item of a scorecard turns a KPI value into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Full weight when the target in force is met, else 0.
    Threshold,
    /// Proportional from the scale's worst end to the target, capped at full weight.
    Linear,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Threshold => "threshold",
            Rule::Linear => "linear",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreItem {
    pub kpi: Spanned<String>,
    pub weight: f64,
    pub rule: Rule,
}

/// How ties at the edge of a scorecard's top share are settled (`top_ties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TopTies {
    /// A tie group is recognised only when all of it fits in the places: the number
    /// recognised never exceeds ⌈n × top_percent / 100⌉.
    #[default]
    Exclude,
    /// Everyone whose competition rank is within the places is recognised, so a tie
    /// at the edge can recognise more people than there are places.
    Include,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    pub id: String,
    pub name: String,
    pub roles: Vec<Spanned<String>>,
    pub items: Vec<ScoreItem>,
    /// Points (out of 100) needed to pass a period.
    pub pass_mark: f64,
    /// The best this share of people (in percent) is recognised each period.
    pub top_percent: f64,
    /// Who gets the top share when scores tie at its edge.
    pub top_ties: TopTies,
    /// This many failed periods in a row must be flagged.
    pub fail_streak: u32,
    /// Whether customers may see this scorecard (default: no).
    pub public: bool,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub department: Spanned<String>,
    pub roles: Vec<Spanned<String>>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Spanned<String>,
    pub team: Spanned<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Org {
    pub departments: Vec<Department>,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
}

/// All service data of a site. Maps are keyed by id, so iteration order is stable.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub params: BTreeMap<String, Param>,
    pub kpis: BTreeMap<String, Kpi>,
    /// In file order (the order authors chose).
    pub scorecards: Vec<Scorecard>,
    pub org: Org,
}

impl Data {
    pub fn scorecard(&self, id: &str) -> Option<&Scorecard> {
        self.scorecards.iter().find(|s| s.id == id)
    }
}

/// Reads one data file into a YAML tree; `None` (and no diagnostic) when it is absent.
fn read(root: &Path, file: &str, diags: &mut Diagnostics) -> Option<Node> {
    let text = read_source(&root.join(file), file, yaml::MAX_YAML_BYTES as u64, "YAML data files", diags)?;
    yaml::parse_file(&text, file, diags)
}

/// Loads `data/` of the site at `root`. `roles` are the ids of the site's role pages,
/// which scorecards, KPI owners and the organisation refer to. Absent files are empty.
/// Loads the service data under `root`. Parameters take the values in force on
/// `as_of` (the build date, or a release's date).
pub fn load(root: &Path, roles: &BTreeSet<String>, as_of: Date, diags: &mut Diagnostics) -> Data {
    let mut data = Data::default();
    // Each file's diagnostics are gathered apart, then at most MAX_FILE_ERRORS kept.
    let mut found = Diagnostics::new();
    if let Some(node) = read(root, PARAMS_FILE, &mut found) {
        data.params = crate::load::params::parse_params(&node, as_of, &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, KPIS_FILE, &mut found) {
        data.kpis = parse_kpis(&node, roles, &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, SCORECARDS_FILE, &mut found) {
        data.scorecards = parse_scorecards(&node, &data.kpis, roles, &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, ORG_FILE, &mut found) {
        data.org = parse_org(&node, roles, &mut found);
    }
    merge_capped(found, diags);
    data
}

pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// A required id field, checked for shape and uniqueness within `seen`. An id holding
/// an invisible or direction-changing character is reported at that character and
/// recorded as it reads (`p0‹U+200B›1` as `p01`), so that what refers to it as it
/// looks resolves, and the one mistake is not echoed by every reference.
fn record_id(f: &mut Fields, seen: &mut BTreeMap<String, Pos>, what: &str, diags: &mut Diagnostics) -> Option<String> {
    let id = f.required_string("id", diags)?;
    let node = f.node("id");
    let value = crate::formats::deceptive::refuse(f.path(), node, id.pos, &format!("{what} id"), &id.value, diags)?;
    let id = Spanned { value, pos: id.pos };
    // KPI, team and person ids also name folders of the reports.
    let bad = if !valid_id(&id.value) {
        Some("must use letters, digits, `_` and `-` only".to_string())
    } else {
        crate::base::paths::check_segment(&id.value).err().map(|why| format!("cannot name a folder of the site: {why}"))
    };
    if let Some(why) = bad {
        diags.error(f.path(), id.pos, "bad-id", format!("{what} id `{}` {why}", id.value));
        return None;
    }
    if let Some(first) = seen.get(&id.value) {
        diags.error(
            f.path(),
            id.pos,
            "duplicate-id",
            format!("duplicate {what} id `{}` (first defined on line {})", id.value, first.line),
        );
        return None;
    }
    seen.insert(id.value.clone(), id.pos);
    Some(id.value)
}

/// A reference `key` of `org.yaml` (a department, team or role id) as it reads: one
/// holding an invisible or direction-changing character is reported at it once and
/// then looked up without it.
fn org_ref(f: &mut Fields, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
    let r = f.required_string(key, diags)?;
    let value =
        crate::formats::deceptive::refuse(ORG_FILE, f.node(key), r.pos, &format!("{key} reference"), &r.value, diags)?;
    Some(Spanned { value, pos: r.pos })
}

/// The role ids of a team's `roles` list, each as it reads (see [`org_ref`]).
fn org_role_refs(f: &mut Fields, diags: &mut Diagnostics) -> Vec<Spanned<String>> {
    let list = f.string_list("roles", diags);
    // The list's items, or the one value written without a list.
    let node = f.node("roles");
    let items = match node.map(|n| &n.kind) {
        Some(yaml::Kind::Seq(items)) => items.as_slice(),
        _ => node.map_or(&[][..], std::slice::from_ref),
    };
    list.into_iter()
        .filter_map(|r| {
            let node = items.iter().find(|n| n.pos == r.pos);
            let value = crate::formats::deceptive::refuse(ORG_FILE, node, r.pos, "role reference", &r.value, diags)?;
            Some(Spanned { value, pos: r.pos })
        })
        .collect()
}

fn check_role(file: &str, key: &str, role: &Spanned<String>, roles: &BTreeSet<String>, diags: &mut Diagnostics) {
    if !roles.contains(&role.value) {
        diags.error(
            file,
            role.pos,
            "unknown-role",
            format!("`{key}`: unknown role `{}`: there is no role document with that id", role.value),
        );
        diags.suggest(&role.value, roles.iter().map(String::as_str));
    }
}

/// `kpis.yaml`: a list of KPI definitions.
pub fn parse_kpis(node: &Node, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> BTreeMap<String, Kpi> {
    let mut out = BTreeMap::new();
    let mut seen = BTreeMap::new();
    for item in yaml::records(node, KPIS_FILE, "KPI definitions", diags) {
        let Some(mut f) = Fields::new(item, KPIS_FILE, "KPI", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "KPI", diags);
        let name = f.required_string("name", diags);
        let definition = f.string("definition", diags).map(|d| d.value).unwrap_or_default();
        let unit = f.string("unit", diags).map(|u| u.value).unwrap_or_default();
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
                name: name.value,
                definition,
                unit,
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
pub const MAX_SCALE: f64 = 1e15;

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

/// `scorecards.yaml`: a list of weighted scorecards.
pub fn parse_scorecards(
    node: &Node,
    kpis: &BTreeMap<String, Kpi>,
    roles: &BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<Scorecard> {
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for item in yaml::records(node, SCORECARDS_FILE, "scorecards", diags) {
        let Some(mut f) = Fields::new(item, SCORECARDS_FILE, "scorecard", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "scorecard", diags);
        let name = f.required_string("name", diags);
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
                    diags.error(
                        SCORECARDS_FILE,
                        k.pos,
                        "unknown-kpi",
                        format!("unknown KPI `{}`: it is not defined in {KPIS_FILE}", k.value),
                    );
                    diags.suggest(&k.value, kpis.keys().map(String::as_str));
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
            name: name.value,
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

/// `org.yaml`: departments, teams and people.
pub fn parse_org(node: &Node, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> Org {
    let mut org = Org::default();
    let Some(mut f) = Fields::new(node, ORG_FILE, "org.yaml", diags) else { return org };
    let departments = f.list("departments", diags);
    let teams = f.list("teams", diags);
    let people = f.list("people", diags);
    f.finish(diags, |_| None);

    let mut seen = BTreeMap::new();
    for d in departments {
        let Some(mut f) = Fields::new(d, ORG_FILE, "department", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "department", diags);
        let name = f.required_string("name", diags);
        f.finish(diags, |_| None);
        if let (Some(id), Some(name)) = (id, name) {
            org.departments.push(Department { id, name: name.value, pos: d.pos });
        }
    }
    let dept_ids: BTreeSet<&str> = org.departments.iter().map(|d| d.id.as_str()).collect();
    let mut seen = BTreeMap::new();
    for t in teams {
        let Some(mut f) = Fields::new(t, ORG_FILE, "team", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "team", diags);
        let name = f.required_string("name", diags);
        let department = org_ref(&mut f, "department", diags);
        let team_roles = org_role_refs(&mut f, diags);
        f.finish(diags, |_| None);
        if let Some(d) = &department {
            if !dept_ids.contains(d.value.as_str()) {
                diags.error(ORG_FILE, d.pos, "unknown-department", format!("unknown department `{}`", d.value));
                diags.suggest(&d.value, dept_ids.iter().copied());
            }
        }
        for r in &team_roles {
            check_role(ORG_FILE, "roles", r, roles, diags);
        }
        if let (Some(id), Some(name), Some(department)) = (id, name, department) {
            org.teams.push(Team { id, name: name.value, department, roles: team_roles, pos: t.pos });
        }
    }
    let team_ids: BTreeSet<&str> = org.teams.iter().map(|t| t.id.as_str()).collect();
    let mut seen = BTreeMap::new();
    for p in people {
        let Some(mut f) = Fields::new(p, ORG_FILE, "person", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "person", diags);
        let name = f.required_string("name", diags);
        let role = org_ref(&mut f, "role", diags);
        let team = org_ref(&mut f, "team", diags);
        f.finish(diags, |_| None);
        if let Some(r) = &role {
            check_role(ORG_FILE, "role", r, roles, diags);
        }
        if let Some(t) = &team {
            if !team_ids.contains(t.value.as_str()) {
                diags.error(ORG_FILE, t.pos, "unknown-team", format!("unknown team `{}`", t.value));
                diags.suggest(&t.value, team_ids.iter().copied());
            }
        }
        if let (Some(id), Some(name), Some(role), Some(team)) = (id, name, role, team) {
            org.people.push(Person { id, name: name.value, role, team, pos: p.pos });
        }
    }
    org
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> BTreeSet<String> {
        ["service-specialist", "customer-support"].iter().map(|s| s.to_string()).collect()
    }

    fn diags_of(f: impl FnOnce(&mut Diagnostics)) -> Vec<String> {
        let mut d = Diagnostics::new();
        f(&mut d);
        d.into_sorted().iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }

    const KPIS: &str = "\
- id: satisfaction
  name: 客户满意度
  unit: 分
  direction: higher
  scale: {min: 1, max: 5}
  targets:
    - {from: 2025-01, value: 4.0}
    - {from: 2026-01, value: 4.2}
  warning: 0.2
  aggregate: mean
  public: true
";

    #[test]
    fn kpis_load_with_targets() {
        let node = yaml::parse(KPIS, 1).unwrap();
        let mut d = Diagnostics::new();
        let k = parse_kpis(&node, &roles(), &mut d);
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
            parse_kpis(&node, &roles(), d);
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
        let msgs = diags_of(|d| kpis = parse_kpis(&node, &roles(), d));
        assert_eq!(
            msgs,
            [
                "data/kpis.yaml:1:60 scale: 1.7e308 is too large; a KPI's scale must lie within ±1e15",
                "data/kpis.yaml:2:80 `warning` is a band width and cannot exceed the scale",
            ]
        );
        assert_eq!(kpis["c"].warning, 2e15);
    }

    #[test]
    fn scorecard_weights_must_sum_to_100_and_name_known_kpis() {
        let kpis = parse_kpis(&yaml::parse(KPIS, 1).unwrap(), &roles(), &mut Diagnostics::new());
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
            parse_scorecards(&node, &kpis, &roles(), d);
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

    #[test]
    fn org_references_are_checked() {
        let src = "\
departments:
  - {id: support, name: 客户支持部}
teams:
  - {id: t1, name: 一组, department: suport, roles: [service-specialist]}
people:
  - {id: p1, name: 张三, role: service-specialist, team: t1}
  - {id: p2, name: 李四, role: cashier, team: t9}
";
        let node = yaml::parse(src, 1).unwrap();
        let msgs = diags_of(|d| {
            parse_org(&node, &roles(), d);
        });
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("data/org.yaml:4:36 unknown department `suport`"), "{msgs:?}");
        assert!(msgs[1].starts_with("data/org.yaml:7:30 `role`: unknown role `cashier`"), "{msgs:?}");
        assert!(msgs[2].starts_with("data/org.yaml:7:45 unknown team `t9`"), "{msgs:?}");
    }
}
