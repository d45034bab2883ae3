//! Service data: the single source of every number — parameters, KPI definitions,
//! scorecards and the organisation — read from `data/*.yaml`.
//!
//! Owns the data files' shapes and their own validation (targets inside the scale,
//! months strictly ascending, weights summing to 100, references between data files
//! and to role pages). Like `content`, loading reports every problem with the YAML
//! file's line and column and keeps going. It must not render or know about pages
//! beyond the set of role ids it is given.
//!
//! This module holds the model ([`Data`]), [`load`] and what the files share (ids and
//! role references); each file has its own module, parameters are `params`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::base::i18n::Language;
use crate::formats::yaml::{self, Fields, Node, Spanned};

pub(crate) use crate::base::layout::{DATA_DIR, KPIS_FILE, ORG_FILE, PARAMS_FILE, SCORECARDS_FILE};

pub(crate) use crate::load::params::{display_value, Param, ParamValue};

// Moved to `base`; kept here so that older paths still work.
pub(crate) use crate::base::diagnostics::merge_capped;
pub(crate) use crate::base::numbers::{format_number, round_half_away, with_unit};
pub(crate) use crate::base::source::read_source;

mod kpis;
mod org;
mod scorecards;
mod words;

pub(crate) use self::kpis::{parse_kpis, Aggregate, Direction, Kpi};
pub(crate) use self::org::{parse_org, Org, Person, Team};
pub(crate) use self::scorecards::{parse_scorecards, Rule, Scorecard, TopTies};
pub(crate) use self::words::{Form, Wording, Words, WordsReader};
// Used through these paths by unit tests only.
#[cfg(test)]
pub(crate) use self::{kpis::Target, org::Department, scorecards::ScoreItem};

/// All service data of a site. Maps are keyed by id, so iteration order is stable.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub(crate) params: BTreeMap<String, Param>,
    pub(crate) kpis: BTreeMap<String, Kpi>,
    /// In file order (the order authors chose).
    pub(crate) scorecards: Vec<Scorecard>,
    pub org: Org,
    /// The languages the words of the data are written in, the default first (what
    /// the measurement files' words are read for too).
    pub(crate) languages: Vec<Language>,
}

impl Data {
    pub(crate) fn scorecard(&self, id: &str) -> Option<&Scorecard> {
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
/// Parameters take the values in force on `as_of` (the build date, or a release's date).
/// The words may take a form in each language Charter speaks, zh-CN the default.
pub fn load(root: &Path, roles: &BTreeSet<String>, as_of: Date, diags: &mut Diagnostics) -> Data {
    load_in(root, roles, (as_of, &Language::ALL), diags)
}

/// [`load`] for a site written in `languages` (the default first): the words of the
/// data may take a form in each of them, and must give the default's.
pub(crate) fn load_in(
    root: &Path,
    roles: &BTreeSet<String>,
    (as_of, languages): (Date, &[Language]),
    diags: &mut Diagnostics,
) -> Data {
    let mut data = Data { languages: languages.to_vec(), ..Data::default() };
    // Each file's diagnostics are gathered apart, then at most MAX_FILE_ERRORS kept.
    let mut found = Diagnostics::new();
    if let Some(node) = read(root, PARAMS_FILE, &mut found) {
        data.params = crate::load::params::parse_params(&node, as_of, languages, &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, KPIS_FILE, &mut found) {
        data.kpis = parse_kpis(&node, roles, languages, &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, SCORECARDS_FILE, &mut found) {
        data.scorecards = parse_scorecards(&node, &data.kpis, (roles, languages), &mut found);
    }
    merge_capped(std::mem::take(&mut found), diags);
    if let Some(node) = read(root, ORG_FILE, &mut found) {
        data.org = parse_org(&node, (roles, languages), &mut found);
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

fn check_role(file: &str, key: &str, role: &Spanned<String>, roles: &BTreeSet<String>, diags: &mut Diagnostics) {
    if !roles.contains(&role.value) {
        let u = Unknown {
            code: "unknown-role",
            what: "role",
            id: &role.value,
            field: Some(key),
            why: Some("there is no role document with that id"),
        };
        diags.unknown(file, role.pos, u, roles.iter().map(String::as_str));
    }
}

#[cfg(test)]
mod fixtures {
    use std::collections::BTreeSet;

    use crate::base::diagnostics::Diagnostics;

    pub(super) fn roles() -> BTreeSet<String> {
        ["service-specialist", "customer-support"].iter().map(|s| s.to_string()).collect()
    }

    pub(super) fn diags_of(f: impl FnOnce(&mut Diagnostics)) -> Vec<String> {
        let mut d = Diagnostics::new();
        f(&mut d);
        d.into_sorted().iter().map(|d| format!("{}:{}:{} {}", d.path, d.pos.line, d.pos.col, d.message)).collect()
    }

    pub(super) const KPIS: &str = "\
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
}
