//! The organisation (`data/org.yaml`): departments, teams and people, each reference
//! (a team's department, a person's team and role) checked and read as it looks. It
//! must not roll values up the organisation (that is `compute::report`).

use std::collections::{BTreeMap, BTreeSet};

use crate::base::diagnostics::{Diagnostics, Pos, Unknown};
use crate::base::i18n::Language;
use crate::formats::yaml::{self, Fields, Node, Spanned};

use super::{check_role, record_id, Wording, WordsReader, ORG_FILE};

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Department {
    pub(crate) id: String,
    /// The name in the default language; `words` holds every language's.
    pub(crate) name: String,
    pub(crate) words: Wording,
    pub(crate) pos: Pos,
}

impl Department {
    /// The name in `language`, else in the default language.
    pub(crate) fn name_in(&self, language: Language) -> &str {
        self.words.text("name", language).unwrap_or(&self.name)
    }
}

/// A team. Its name is a word readers read (`客服一组`, `Support team A`); people's
/// names are theirs and are not translated.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: String,
    /// The name in the default language; `words` holds every language's.
    pub(crate) name: String,
    pub(crate) words: Wording,
    pub(crate) department: Spanned<String>,
    pub(crate) roles: Vec<Spanned<String>>,
    pub(crate) pos: Pos,
}

impl Team {
    /// The name in `language`, else in the default language.
    pub(crate) fn name_in(&self, language: Language) -> &str {
        self.words.text("name", language).unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub(crate) name: String,
    pub role: Spanned<String>,
    pub(crate) team: Spanned<String>,
    pub(crate) pos: Pos,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Org {
    pub(crate) departments: Vec<Department>,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
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

/// `org.yaml`: departments, teams and people; department and team names in
/// `languages` (the default first).
pub(crate) fn parse_org(
    node: &Node,
    (roles, languages): (&BTreeSet<String>, &[Language]),
    diags: &mut Diagnostics,
) -> Org {
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
        let (name, words) = org_name(&mut f, ("department", id.as_deref()), languages, diags);
        f.finish(diags, |_| None);
        if let (Some(id), Some(name)) = (id, name) {
            org.departments.push(Department { id, name, words, pos: d.pos });
        }
    }
    let dept_ids: BTreeSet<&str> = org.departments.iter().map(|d| d.id.as_str()).collect();
    let mut seen = BTreeMap::new();
    for t in teams {
        let Some(mut f) = Fields::new(t, ORG_FILE, "team", diags) else { continue };
        let id = record_id(&mut f, &mut seen, "team", diags);
        let (name, words) = org_name(&mut f, ("team", id.as_deref()), languages, diags);
        let department = org_ref(&mut f, "department", diags);
        let team_roles = org_role_refs(&mut f, diags);
        f.finish(diags, |_| None);
        if let Some(d) = &department {
            if !dept_ids.contains(d.value.as_str()) {
                let u =
                    Unknown { code: "unknown-department", what: "department", id: &d.value, field: None, why: None };
                diags.unknown(ORG_FILE, d.pos, u, dept_ids.iter().copied());
            }
        }
        for r in &team_roles {
            check_role(ORG_FILE, "roles", r, roles, diags);
        }
        if let (Some(id), Some(name), Some(department)) = (id, name, department) {
            org.teams.push(Team { id, name, words, department, roles: team_roles, pos: t.pos });
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
                let u = Unknown { code: "unknown-team", what: "team", id: &t.value, field: None, why: None };
                diags.unknown(ORG_FILE, t.pos, u, team_ids.iter().copied());
            }
        }
        if let (Some(id), Some(name), Some(role), Some(team)) = (id, name, role, team) {
            org.people.push(Person { id, name: name.value, role, team, pos: p.pos });
        }
    }
    org
}

/// A department's or team's `name`: the default language's words and every
/// language's. `what` is the kind of record and its id, when it has one.
fn org_name(
    f: &mut Fields,
    (kind, id): (&str, Option<&str>),
    languages: &[Language],
    diags: &mut Diagnostics,
) -> (Option<String>, Wording) {
    let what = id.map_or_else(|| kind.to_string(), |id| format!("{kind} `{id}`"));
    let mut words = Wording::default();
    let name = words.insert("name", WordsReader { languages, what: &what }.required(f, "name", diags));
    (name, words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::data::fixtures::{diags_of, roles};

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
            parse_org(&node, (&roles(), &[Language::ZhCn]), d);
        });
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("data/org.yaml:4:36 unknown department `suport`"), "{msgs:?}");
        assert!(msgs[1].starts_with("data/org.yaml:7:30 `role`: unknown role `cashier`"), "{msgs:?}");
        assert!(msgs[2].starts_with("data/org.yaml:7:45 unknown team `t9`"), "{msgs:?}");
    }

    #[test]
    fn department_and_team_names_take_forms_per_language_but_people_keep_theirs() {
        let src = "\
departments:
  - {id: support, name: {zh-CN: 客户支持部, en: Customer Support}}
teams:
  - {id: t1, name: {zh-CN: 一组, en: Team A, fr: Équipe A}, department: support, roles: [service-specialist]}
people:
  - {id: p1, name: {zh-CN: 张三, en: Zhang San}, role: service-specialist, team: t1}
";
        let node = yaml::parse(src, 1).unwrap();
        let mut org = Org::default();
        let msgs = diags_of(|d| org = parse_org(&node, (&roles(), &[Language::ZhCn, Language::En]), d));
        assert_eq!(
            msgs,
            [
                "data/org.yaml:4:44 team `t1`: `name`: `fr` is not one of the site's languages (`zh-CN`, `en`)",
                "data/org.yaml:6:20 `name` must be text, found a mapping",
            ]
        );
        assert_eq!(org.departments[0].words.text("name", Language::En), Some("Customer Support"));
        assert_eq!(org.teams[0].words.text("name", Language::En), Some("Team A"));
        assert_eq!(org.teams[0].name, "一组");
        assert!(org.people.is_empty());
    }
}
