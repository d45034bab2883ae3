//! The NPS page (`reports/nps/`): the organisation's NPS month by month and the teams
//! compared.

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::report::Nps;
use crate::load::data::Team;
use crate::load::data::{format_number, round_half_away};
use crate::markdown::links::relative_url;
use crate::render::charts::{Label, NpsShare};

use super::format::last_12;
use super::{cell, Cell, Ctx, Figure, LegendItem, Section, Table};

impl Ctx<'_> {
    pub(super) fn nps_page(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let ui = self.ui;
        let url = "reports/nps/";
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let share = |n: &Nps| {
            let t = f64::from(n.responses());
            (t > 0.0).then(|| {
                (
                    f64::from(n.promoters) * 100.0 / t,
                    f64::from(n.passives) * 100.0 / t,
                    f64::from(n.detractors) * 100.0 / t,
                )
            })
        };
        let rows: Vec<NpsShare> =
            months.iter().map(|m| NpsShare { month: *m, shares: self.c.org_nps.get(m).and_then(share) }).collect();
        let desc = ui.chart_nps_desc.replace("{from}", &months[0].to_string()).replace("{to}", &latest.to_string());
        let svg = self.charts.nps_stacked(&rows, &Label { id: "nps-chart", title: ui.nps, desc: &desc });
        let nps_row = |label: Cell, n: Option<&Nps>| match n {
            Some(n) => vec![
                label,
                cell(n.promoters.to_string()),
                cell(n.passives.to_string()),
                cell(n.detractors.to_string()),
                cell(n.responses().to_string()),
                cell(n.score().map_or_else(|| ui.no_data.to_string(), |s| format_number(round_half_away(s, 1)))),
            ],
            None => vec![label, cell("0"), cell("0"), cell("0"), cell("0"), cell(ui.no_data)],
        };
        let head: Vec<String> =
            [ui.month, ui.promoters, ui.passives, ui.detractors, ui.responses, ui.nps].map(String::from).into();
        let org_rows = months.iter().rev().map(|m| nps_row(cell(m.to_string()), self.c.org_nps.get(m))).collect();
        let legend = [(ui.promoters, "met"), (ui.passives, "passive"), (ui.detractors, "missed")]
            .map(|(k, c)| LegendItem { label: k.to_string(), class: c })
            .into();
        let mut sections = vec![Section {
            id: "org".into(),
            heading: ui.org_trend.to_string(),
            figure: Some(Figure { svg, legend }),
            table: Some(Table { caption: ui.nps.to_string(), head: head.clone(), rows: org_rows }),
            ..Section::default()
        }];
        let mut team_head = head;
        team_head[0] = ui.team.to_string();
        let team_rows = self
            .teams_with_nps()
            .map(|(ti, t)| {
                nps_row(
                    Cell {
                        text: self.say.team(t).to_string(),
                        class: None,
                        url: Some(relative_url(url, &format!("reports/teams/{}/", t.id))),
                    },
                    self.c.team_nps.get(&(ti, latest)),
                )
            })
            .collect();
        sections.push(Section {
            id: "teams".into(),
            heading: format!("{} · {latest}", ui.teams_compared),
            table: Some(Table { caption: format!("{} · {latest}", ui.nps), head: team_head, rows: team_rows }),
            ..Section::default()
        });
        // Each team's NPS month by month, with the number of responses.
        let mut head = vec![ui.team.to_string()];
        head.extend(months.iter().map(|m| m.to_string()));
        let by_month = self
            .teams_with_nps()
            .map(|(ti, t)| {
                let mut row = vec![Cell {
                    text: self.say.team(t).to_string(),
                    class: None,
                    url: Some(relative_url(url, &format!("reports/teams/{}/", t.id))),
                }];
                row.extend(months.iter().map(|m| {
                    match self.c.team_nps.get(&(ti, *m)).and_then(|n| n.score().map(|s| (s, n.responses()))) {
                        Some((s, n)) => cell(format!("{} (n={n})", format_number(round_half_away(s, 1)))),
                        None => cell(ui.no_data),
                    }
                }));
                row
            })
            .collect();
        sections.push(Section {
            id: "teams-by-month".into(),
            heading: format!("{} · {}", ui.nps, ui.trend_12),
            table: Some(Table { caption: format!("{} · {}", ui.teams, ui.trend_12), head, rows: by_month }),
            ..Section::default()
        });
        self.detail(url, ui.nps, Some(ui.nps_intro), Some(latest), sections)
    }
}

impl Ctx<'_> {
    /// The teams with survey responses in some month, with their indices.
    fn teams_with_nps(&self) -> impl Iterator<Item = (usize, &Team)> {
        let has = |ti: &usize| self.c.team_nps.keys().any(|(t, _)| t == ti);
        self.data.org.teams.iter().enumerate().filter(move |(ti, _)| has(ti))
    }
}
