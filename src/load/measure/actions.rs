//! Improvement actions (`data/actions.yaml`): a title, an owner role, a department, a
//! due date and a status, checked against the role pages and the organisation. It must
//! not decide which actions are overdue (that is `report`).

use std::collections::BTreeSet;

use crate::base::date::Date;
use crate::base::diagnostics::{merge_capped, Diagnostics, Severity, Unknown, MAX_FILE_ERRORS};
use crate::formats::yaml::{self, Fields};
use crate::load::data::{Data, Wording, WordsReader};

use super::{visible_field, ACTIONS_FILE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ActionStatus {
    Planned,
    InProgress,
    Done,
}

impl ActionStatus {}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Action {
    /// The title in the default language; `words` holds every language's.
    pub(crate) title: String,
    pub(crate) words: Wording,
    /// A role id.
    pub(crate) owner: String,
    /// A department id.
    pub(crate) department: String,
    pub(crate) due: Date,
    pub(crate) status: ActionStatus,
    pub(crate) done_on: Option<Date>,
}

/// `actions.yaml`: improvement actions with an owner role, a department and a due date.
/// At most [`MAX_FILE_ERRORS`] errors are reported.
pub(crate) fn parse_actions(text: &str, data: &Data, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> Vec<Action> {
    let mut found = Diagnostics::new();
    let out = actions(text, data, roles, &mut found);
    merge_capped(found, diags);
    out
}

fn actions(text: &str, data: &Data, roles: &BTreeSet<String>, diags: &mut Diagnostics) -> Vec<Action> {
    let file = ACTIONS_FILE;
    let Some(node) = yaml::parse_file(text, file, diags) else { return Vec::new() };
    let items = yaml::records(&node, file, "improvement actions", diags);
    let departments: BTreeSet<&str> = data.org.departments.iter().map(|d| d.id.as_str()).collect();
    let mut out = Vec::new();
    for item in items {
        if diags.count(Severity::Error) > MAX_FILE_ERRORS {
            break;
        }
        let Some(mut f) = Fields::new(item, file, "action", diags) else { continue };
        let mut words = Wording::default();
        let reader = WordsReader { languages: &data.languages, what: "action" };
        let title = words.insert("title", reader.required(&mut f, "title", diags));
        let owner = f.required_string("owner", diags);
        let owner = owner.and_then(|s| visible_field(file, f.node("owner"), s, "`owner`", diags));
        let department = f.required_string("department", diags);
        let department = department.and_then(|s| visible_field(file, f.node("department"), s, "`department`", diags));
        let due = f.date("due", diags);
        if due.is_none() && f.key_pos("due").is_none() {
            diags.error(file, item.pos, "missing-key", "action: missing required key `due`");
        }
        let status = f.choice("status", &["planned", "in_progress", "done"], diags).map(|s| match s.value {
            "done" => ActionStatus::Done,
            "in_progress" => ActionStatus::InProgress,
            _ => ActionStatus::Planned,
        });
        let done_on = f.date("done_on", diags);
        f.finish(diags, |_| None);
        if let Some(o) = &owner {
            if !roles.contains(&o.value) {
                let u = Unknown {
                    code: "unknown-role",
                    what: "role",
                    id: &o.value,
                    field: Some("owner"),
                    why: Some("there is no role document with that id"),
                };
                diags.unknown(file, o.pos, u, roles.iter().map(String::as_str));
            }
        }
        if let Some(d) = &department {
            if !departments.contains(d.value.as_str()) {
                let u =
                    Unknown { code: "unknown-department", what: "department", id: &d.value, field: None, why: None };
                diags.unknown(file, d.pos, u, departments.iter().copied());
            }
        }
        let status = status.unwrap_or(ActionStatus::Planned);
        match (&done_on, status) {
            (Some(d), s) if s != ActionStatus::Done => {
                diags.error(file, d.pos, "bad-value", "`done_on` is set but `status` is not `done`");
            }
            (None, ActionStatus::Done) => {
                diags.error(file, item.pos, "missing-key", "action is `done` but has no `done_on` date");
            }
            _ => {}
        }
        if let (Some(title), Some(owner), Some(department), Some(due)) = (title, owner, department, due) {
            out.push(Action {
                title,
                words,
                owner: owner.value,
                department: department.value,
                due: due.value,
                status,
                done_on: done_on.map(|d| d.value),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::i18n::Language;
    use crate::load::data::{Department, Org};

    #[test]
    fn an_action_title_takes_a_form_per_language() {
        let department = Department {
            id: "cs".into(),
            name: "客服".into(),
            words: Wording::default(),
            pos: crate::base::diagnostics::Pos::FILE,
        };
        let org = Org { departments: vec![department], ..Org::default() };
        let data = Data { org, languages: vec![Language::ZhCn, Language::En], ..Data::default() };
        let roles = BTreeSet::from(["lead".to_string()]);
        let text = "\
- {title: {zh-CN: 增设服务通道, en: Open another service counter}, owner: lead, department: cs, due: 2026-03-31, status: planned}
- {title: {en: Train again}, owner: lead, department: cs, due: 2026-03-31, status: planned}
";
        let mut d = Diagnostics::new();
        let actions = parse_actions(text, &data, &roles, &mut d);
        let msgs: Vec<String> = d.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(msgs, ["2:11 action: `title` has no `zh-CN` form, the site's default language"]);
        assert_eq!(actions[0].title, "增设服务通道");
        assert_eq!(actions[0].words.text("title", Language::En), Some("Open another service counter"));
    }
}
