//! The actions page (`reports/actions/`): improvement actions, open ones first, with
//! what is overdue.

use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::report;
use crate::load::measure::{Action, ActionStatus};

use super::{cell, Cell, Ctx, Section, Table};

impl Ctx<'_> {
    pub(super) fn actions_page(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let ui = self.ui;
        let url = "reports/actions/";
        let mut actions: Vec<&Action> = self.m.actions.iter().collect();
        actions.sort_by(|a, b| {
            let done = ActionStatus::Done;
            (a.status == done, a.due, self.say.action(a)).cmp(&(b.status == done, b.due, self.say.action(b)))
        });
        let rows = actions
            .iter()
            .map(|a| {
                let overdue = report::action_overdue(a.due, a.done_on, self.c.today);
                let dept = self.say.department(&self.data.org, &a.department);
                vec![
                    cell(self.say.action(a)),
                    self.role_link(url, &a.owner),
                    cell(dept),
                    cell(a.due.to_string()),
                    cell(match a.status {
                        ActionStatus::Planned => ui.action_planned,
                        ActionStatus::InProgress => ui.action_in_progress,
                        ActionStatus::Done => ui.action_done,
                    }),
                    cell(a.done_on.map(|d| d.to_string()).unwrap_or_default()),
                    match overdue {
                        Some(n) => Cell {
                            text: ui.overdue_days.replace("{n}", &n.to_string()),
                            class: Some("status-missed"),
                            url: None,
                        },
                        None => cell(""),
                    },
                ]
            })
            .collect();
        let sections = vec![Section {
            id: "actions".into(),
            heading: ui.actions.to_string(),
            table: Some(Table {
                caption: ui.actions.to_string(),
                head: [ui.action, ui.owner, ui.department, ui.due, ui.status, ui.done_on, ui.overdue]
                    .map(String::from)
                    .into(),
                rows,
            }),
            ..Section::default()
        }];
        self.detail(url, ui.actions, None, None, sections)
    }
}
