//! The complaints page (`reports/complaints/`): per complaint type, the share decided
//! within the time limit against its goal, and the complaints open past their limit.

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::kpi::Status;
use crate::compute::report::{ComplaintCell, Overdue};
use crate::load::data::{Direction, Param};
use crate::markdown::links::relative_url;
use crate::render::charts::{Label, Trend};
use crate::render::words::Say;

use super::format::{fmt_value, iso, last_12, status_cell, trend_desc, trend_legend};

/// How many of the complaints open past their limit the page lists (the most overdue);
/// its CSV lists them all. A warehouse of 100 million complaints has two million open
/// past their limit: a page of them is read by no one and weighs hundreds of megabytes.
const OPEN_SHOWN: usize = 500;
use super::{cell, Cell, Ctx, Figure, Section, Table, Ui};

/// A time limit as the complaints page states it: the value in force, and when it has
/// changed, each value with the date it took effect (complaints are judged against the
/// one in force when they were received).
fn limit_history(ui: &Ui, say: Say, p: &Param) -> String {
    if p.history.len() < 2 {
        return say.param(p);
    }
    let steps: Vec<String> = p
        .history
        .iter()
        .map(|s| {
            let value = say.param_value(p, &s.value);
            match s.from {
                Some(d) => ui.limit_from.replace("{value}", &value).replace("{date}", &d.to_string()),
                None => value,
            }
        })
        .collect();
    steps.join(ui.list_sep)
}

impl Ctx<'_> {
    pub(super) fn complaints_page(&self) -> Result<Vec<OutputFile>, Diagnostics> {
        let (ui, say) = (self.ui, self.say);
        let url = "reports/complaints/";
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = Vec::new();
        for (ti, t) in self.m.complaint_types.iter().enumerate() {
            let cells: Vec<Option<&ComplaintCell>> = months.iter().map(|m| self.c.complaints.get(&(ti, *m))).collect();
            let values: Vec<Option<f64>> = cells.iter().map(|c| c.and_then(ComplaintCell::share)).collect();
            let statuses: Vec<Option<Status>> = values
                .iter()
                .map(|v| v.map(|v| if v + 1e-9 >= t.goal { Status::Met } else { Status::Missed }))
                .collect();
            let heading = format!("{} · {}", iso(say.complaint_type(t)), ui.share_within);
            let desc = trend_desc(ui, &heading, &months, &values, |v| fmt_value(v, "%"));
            let svg = self.charts.trend(
                &Trend {
                    months: &months,
                    values: &values,
                    targets: &vec![Some(t.goal); months.len()],
                    statuses: &statuses,
                    warning: 0.0,
                    direction: Direction::Higher,
                    scale: (0.0, 100.0),
                },
                &Label { id: &format!("complaints-{}", t.id), title: &heading, desc: &desc },
            );
            let hours = |v: Option<f64>| v.map_or_else(|| ui.no_data.to_string(), |h| fmt_value(h, "h"));
            let rows = months
                .iter()
                .zip(&cells)
                .zip(&statuses)
                .rev()
                .map(|((m, c), s)| match c {
                    Some(c) => vec![
                        cell(m.to_string()),
                        cell(c.received.to_string()),
                        cell(c.decided.to_string()),
                        cell(c.within.to_string()),
                        Cell {
                            text: c.share().map_or_else(|| ui.no_data.to_string(), |v| fmt_value(v, "%")),
                            ..status_cell(ui, *s)
                        },
                        cell(hours(c.median_hours())),
                        cell(hours(c.p90_hours())),
                    ],
                    None => vec![
                        cell(m.to_string()),
                        cell("0"),
                        cell("0"),
                        cell("0"),
                        status_cell(ui, None),
                        cell(ui.no_data),
                        cell(ui.no_data),
                    ],
                })
                .collect();
            let limit = self.data.params.get(&t.limit_param).map(|p| limit_history(ui, say, p)).unwrap_or_default();
            sections.push(Section {
                id: format!("type-{}", t.id),
                heading: say.complaint_type(t).to_string(),
                intro: Some(format!(
                    "{} · {}",
                    say.labelled(ui.time_limit, &limit),
                    say.labelled(ui.complaint_goal, &fmt_value(t.goal, "%"))
                )),
                figure: Some(Figure { svg, legend: trend_legend(ui, false) }),
                table: Some(Table {
                    caption: heading,
                    head: [
                        ui.month,
                        ui.received,
                        ui.decided,
                        ui.within,
                        ui.share_within,
                        ui.median_hours,
                        ui.p90_hours,
                    ]
                    .map(String::from)
                    .into(),
                    rows,
                }),
                ..Section::default()
            });
        }
        let team_url = |team: &str| Some(relative_url(url, &format!("reports/teams/{team}/")));
        let row = |o: &Overdue, linked: bool| {
            let c = &o.complaint;
            let team = &self.data.org.teams[c.team];
            vec![
                cell(c.id.to_string()),
                cell(say.complaint_type(&self.m.complaint_types[c.kind])),
                cell(c.channel.to_string()),
                Cell {
                    text: say.team(team).to_string(),
                    class: None,
                    url: if linked { team_url(&team.id) } else { None },
                },
                cell(c.received.date().to_string()),
                cell(fmt_value(o.open_hours, "h")),
                Cell { text: fmt_value(o.over_hours, "h"), class: Some("status-missed"), url: None },
            ]
        };
        let open = &self.c.open_latest;
        let (shown, more) = open.split_at(open.len().min(OPEN_SHOWN));
        let rows = shown.iter().map(|o| row(o, true)).collect();
        let mut csv_more = String::new();
        for o in more {
            super::csv::push_line(&mut csv_more, row(o, false).iter().map(|c| c.text.as_str()));
        }
        let intro = (!more.is_empty()).then(|| {
            ui.rows_shown.replace("{shown}", &OPEN_SHOWN.to_string()).replace("{total}", &open.len().to_string())
        });
        sections.push(Section {
            id: "open-past-limit".into(),
            heading: ui.open_past_limit.to_string(),
            intro,
            csv_more,
            table: Some(Table {
                caption: ui.open_past_limit.to_string(),
                head: [
                    ui.complaint_id,
                    ui.complaint_type,
                    ui.channel,
                    ui.team,
                    ui.received_at,
                    ui.open_hours,
                    ui.over_hours,
                ]
                .map(String::from)
                .into(),
                rows,
            }),
            ..Section::default()
        });
        self.detail(url, ui.complaints, Some(ui.complaints_intro), Some(latest), sections)
    }
}
