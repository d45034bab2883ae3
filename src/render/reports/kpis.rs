//! A KPI's monthly trend for one subject (on team, KPI and public pages) and the KPI
//! pages of `reports/kpis/`: the organisation's trend and the teams compared.

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::computed::Computed;
use crate::compute::kpi::{target_in_force, Status};
use crate::compute::report;
use crate::load::audience::Family;
use crate::load::data::{Kpi, Team};
use crate::load::measure::ORG;
use crate::markdown::links::relative_url;
use crate::render::charts::{Bar, Charts, Label, Trend};
use crate::render::words::Say;

use super::format::{fmt_value, iso, last_12, trend_desc, trend_legend, value_status_cell};
use super::{cell, Cell, Ctx, Figure, LegendItem, Section, Table, Ui};

/// Where a section goes on its page: anchor id, heading and optional heading link.
pub(super) struct Head {
    pub(super) id: String,
    pub(super) heading: String,
    pub(super) url: Option<String>,
}

/// What a KPI's trend section is made from besides the KPI: the interface strings, the
/// data's words in the page's language, the computed figures, and whether its chart
/// is drawn.
pub(super) struct Trends<'a> {
    pub(super) ui: &'a Ui,
    pub(super) say: Say,
    pub(super) c: &'a Computed,
    pub(super) charts: Charts,
}

/// A KPI's monthly trend for one subject: chart and the same numbers as a table.
pub(super) fn kpi_trend_section(
    trends: &Trends,
    kpi: &Kpi,
    subject: &str,
    months: &[YearMonth],
    head: Head,
) -> Section {
    let Trends { ui, say, c, charts } = *trends;
    let series = c.series_of(&kpi.id, subject);
    let values: Vec<Option<f64>> = months.iter().map(|m| series.and_then(|s| s.get(m)).copied()).collect();
    let targets: Vec<Option<f64>> = months.iter().map(|m| target_in_force(kpi, *m)).collect();
    let statuses: Vec<Option<Status>> =
        months.iter().zip(&values).map(|(m, v)| report::status_in(kpi, *v, *m)).collect();
    let desc = trend_desc(ui, &iso(say.kpi(kpi)), months, &values, |v| say.value(kpi, v));
    let Head { id, heading, url } = head;
    let svg = charts.trend(
        &Trend {
            months,
            values: &values,
            targets: &targets,
            statuses: &statuses,
            warning: kpi.warning,
            direction: kpi.direction,
            scale: kpi.scale,
        },
        &Label { id: &format!("{id}-chart"), title: &heading, desc: &desc },
    );
    let rows = months
        .iter()
        .zip(&values)
        .zip(&targets)
        .zip(&statuses)
        .rev()
        .map(|(((m, v), t), s)| {
            let attainment = v.zip(*t).and_then(|(v, t)| report::attainment(kpi, v, t));
            vec![
                cell(m.to_string()),
                cell(v.map_or_else(|| ui.no_data.to_string(), |v| say.value(kpi, v))),
                cell(t.map_or_else(|| ui.no_target.to_string(), |t| say.target(kpi, t))),
                cell(attainment.map_or_else(String::new, |a| fmt_value(a, "%"))),
                value_status_cell(ui, *v, *s),
            ]
        })
        .collect();
    Section {
        id,
        heading: heading.clone(),
        url,
        figure: Some(Figure { svg, legend: trend_legend(ui, kpi.warning > 0.0) }),
        table: Some(Table {
            caption: heading,
            head: vec![ui.month.into(), ui.value.into(), ui.target.into(), ui.attainment.into(), ui.status.into()],
            rows,
        }),
        ..Section::default()
    }
}

impl Ctx<'_> {
    pub(super) fn kpi_page(&self, kpi: &Kpi) -> Result<Vec<OutputFile>, Diagnostics> {
        let (ui, say) = (self.ui, self.say);
        let url = format!("reports/kpis/{}/", kpi.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = Vec::new();
        if self.c.has(&kpi.id, ORG) {
            sections.push(kpi_trend_section(
                &self.trends(),
                kpi,
                ORG,
                &months,
                Head { id: "org".into(), heading: ui.org_trend.to_string(), url: None },
            ));
        }
        // Teams compared are team figures: shown where team pages are.
        let teams: Vec<&Team> = if self.shows(Family::Teams) {
            self.data.org.teams.iter().filter(|t| self.c.has(&kpi.id, &t.id) && self.team_figures(&t.id)).collect()
        } else {
            Vec::new()
        };
        if !teams.is_empty() {
            let target = target_in_force(kpi, latest);
            let items: Vec<Bar> = teams
                .iter()
                .map(|t| {
                    let v = self.c.value(&kpi.id, &t.id, latest);
                    Bar { label: say.team(t).to_string(), value: v, status: report::status_in(kpi, v, latest) }
                })
                .collect();
            let heading = format!("{} · {latest}", ui.teams_compared);
            let desc =
                ui.chart_bars_desc.replace("{name}", &iso(say.kpi(kpi))).replace("{period}", &latest.to_string());
            let svg =
                self.charts.bars(&items, target, kpi.scale, &Label { id: "teams-chart", title: &heading, desc: &desc });
            let mut head = vec![ui.team.to_string()];
            head.extend(months.iter().map(|m| m.to_string()));
            let rows = teams
                .iter()
                .map(|t| {
                    let mut row = vec![Cell {
                        text: say.team(t).to_string(),
                        class: None,
                        url: Some(relative_url(&url, &format!("reports/teams/{}/", t.id))),
                    }];
                    row.extend(months.iter().map(|m| {
                        cell(
                            self.c
                                .value(&kpi.id, &t.id, *m)
                                .map_or_else(|| ui.no_data.to_string(), |v| say.value(kpi, v)),
                        )
                    }));
                    row
                })
                .collect();
            let legend = [
                (ui.status_met, "met"),
                (ui.status_warning, "warning"),
                (ui.status_missed, "missed"),
                (ui.target_line, "target"),
            ]
            .map(|(k, c)| LegendItem { label: k.to_string(), class: c })
            .into();
            sections.push(Section {
                id: "teams".into(),
                heading,
                figure: Some(Figure { svg, legend }),
                table: Some(Table { caption: format!("{} · {}", iso(say.kpi(kpi)), ui.trend_12), head, rows }),
                ..Section::default()
            });
        }
        let summary = target_in_force(kpi, latest).map(|t| format!("{} {}", ui.target_in_force, say.target(kpi, t)));
        self.detail(&url, say.kpi(kpi), summary.as_deref(), Some(latest), sections)
    }
}
