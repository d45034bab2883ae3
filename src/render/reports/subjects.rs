//! A page per team (`reports/teams/ID/`) and per person (`reports/people/ID/`): members
//! or team and role, scorecard results and KPI values.

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::kpi::Status;
use crate::compute::report::{self, Series};
use crate::load::audience::Family;
use crate::load::data::{Kpi, Person, Team};
use crate::load::measure::SubjectKind;
use crate::markdown::links::relative_url;
use crate::render::Link;

use super::format::{iso, last_12};
use super::kpis::{kpi_trend_section, Head};
use super::{cell, Cell, Ctx, Section, Table};

impl Ctx<'_> {
    pub(super) fn team_page(&self, team: &Team) -> Result<Vec<OutputFile>, Diagnostics> {
        let (ui, say) = (self.ui, self.say);
        let url = format!("reports/teams/{}/", team.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let figures = self.team_figures(&team.id);
        let mut sections = if figures { self.score_sections(&url, &team.id) } else { Vec::new() };
        for kpi in self.data.kpis.values().filter(|k| figures && self.c.has(&k.id, &team.id)) {
            sections.push(kpi_trend_section(
                &self.trends(),
                kpi,
                &team.id,
                &months,
                Head {
                    id: format!("kpi-{}", kpi.id),
                    heading: say.kpi(kpi).to_string(),
                    url: self.shows(Family::Kpis).then(|| relative_url(&url, &format!("reports/kpis/{}/", kpi.id))),
                },
            ));
        }
        // Members are named in every site with the team's page; their own pages (and
        // so the links) only where people's figures are published.
        let members = self.c.lookup.members(self.data, &team.id).into_iter();
        let mut section = Section { id: "members".into(), heading: ui.members.to_string(), ..Section::default() };
        if !figures {
            section.intro = Some(ui.small_team.replace("{n}", &super::SMALL_TEAM.to_string()));
        }
        if self.shows(Family::People) {
            let to = |id: &str| relative_url(&url, &format!("reports/people/{id}/"));
            section.links = members.map(|p| Link { title: p.name.clone(), url: to(&p.id) }).collect();
        } else {
            section.names = members.map(|p| p.name.clone()).collect();
        }
        sections.insert(0, section);
        let dept = say.department(&self.data.org, &team.department.value);
        self.detail(
            &url,
            &format!("{} · {}", iso(say.team(team)), ui.teams),
            Some(&say.labelled(ui.department, &iso(dept))),
            Some(latest),
            sections,
        )
    }

    pub(super) fn person_page(&self, person: &Person) -> Result<Vec<OutputFile>, Diagnostics> {
        let (ui, say) = (self.ui, self.say);
        let url = format!("reports/people/{}/", person.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = self.score_sections(&url, &person.id);
        // Each KPI's series is looked up once, not once per month.
        let kpis: Vec<(&Kpi, &Series)> =
            self.data.kpis.values().filter_map(|k| Some((k, self.c.series_of(&k.id, &person.id)?))).collect();
        if !kpis.is_empty() {
            let mut head = vec![ui.month.to_string()];
            head.extend(kpis.iter().map(|(k, _)| say.kpi(k).to_string()));
            let rows = months
                .iter()
                .rev()
                .map(|m| {
                    let mut row = vec![cell(m.to_string())];
                    for (k, series) in &kpis {
                        let v = series.get(m).copied();
                        let s = report::status_in(k, v, *m);
                        row.push(Cell {
                            text: v.map_or_else(|| ui.no_data.to_string(), |v| say.value(k, v)),
                            class: Some(match s {
                                Some(Status::Met) => "value-met",
                                Some(Status::Warning) => "value-warning",
                                Some(Status::Missed) => "value-missed",
                                None => "value-none",
                            }),
                            url: None,
                        });
                    }
                    row
                })
                .collect();
            sections.push(Section {
                id: "kpis".into(),
                heading: ui.kpis.to_string(),
                table: Some(Table { caption: format!("{} · {}", iso(&person.name), ui.trend_12), head, rows }),
                ..Section::default()
            });
        }
        let role = self.role_link(&url, &person.role.value);
        let mut about = Section { id: "about".into(), heading: ui.team.to_string(), ..Section::default() };
        let team = self.team_name(&person.team.value);
        match self.subject_url(SubjectKind::Team, &person.team.value) {
            Some(to) => about.links.push(Link { title: team, url: relative_url(&url, &to) }),
            None => about.names.push(team),
        }
        match role.url {
            Some(to) => about.links.push(Link { title: role.text, url: to }),
            None => about.names.push(role.text),
        }
        sections.insert(0, about);
        self.detail(&url, &person.name, None, Some(latest), sections)
    }
}
