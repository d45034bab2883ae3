//! Report pages: the internal `reports/` tree (monthly overview and archive, a page per
//! team, person and KPI, complaints, NPS, actions) and the public `performance/` page.
//!
//! Turns the results of `report` into page contexts — tiles, alerts, and sections that
//! pair each chart with a table of the same numbers — and renders them through the
//! theme's `report.html`. The public page is built from organisation-wide values of
//! public KPIs only. Produces files in memory; never writes.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::date::{Date, YearMonth};
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::base::text_safety::{self, Part};
use crate::compute::kpi::{format_target, target_in_force, Status};
use crate::compute::report::{self, ComplaintCell, Nps, Overdue, ScoreRow, Series};
use crate::load::content::Audience;
use crate::load::data::{format_number, round_half_away, with_unit, Data, Kpi};
use crate::load::measure::{ActionStatus, Measurements, SubjectKind, ORG};
use crate::markdown::links::relative_url;
use crate::render::charts::{self, Bar, Label, NpsShare, Trend};
use crate::render::{generated_context, home_crumb, Inputs, Link, View};

/// Everything the report pages show, computed once per build.
pub struct Computed {
    pub series: BTreeMap<(String, String), Series>,
    pub scores: Vec<ScoreRow>,
    pub periods: Vec<YearMonth>,
    /// Each month as of the end of its [`report::as_of`] day.
    pub complaints: BTreeMap<(usize, YearMonth), ComplaintCell>,
    /// Per month, the complaints open past their limit at the end of its as-of day.
    pub open_past_limit: BTreeMap<YearMonth, Vec<Overdue>>,
    pub team_nps: BTreeMap<(usize, YearMonth), Nps>,
    pub org_nps: BTreeMap<YearMonth, Nps>,
    pub today: Date,
}

impl Computed {
    pub fn new(data: &Data, m: &Measurements, today: Date) -> Computed {
        let series = report::roll_up(data, m);
        let scores = report::scores(data, &series);
        let periods = report::periods(m, &series, today);
        let compliance = report::complaint_compliance(&m.complaint_types, &m.complaints, &periods, today);
        let (team_nps, org_nps) = report::nps_by_team(&m.surveys);
        Computed {
            series,
            scores,
            periods,
            complaints: compliance.cells,
            open_past_limit: compliance.open_past_limit,
            team_nps,
            org_nps,
            today,
        }
    }

    pub fn latest(&self) -> Option<YearMonth> {
        self.periods.last().copied()
    }

    /// The complaints open past their limit at the end of `period`'s as-of day.
    fn open_past_limit(&self, period: YearMonth) -> &[Overdue] {
        self.open_past_limit.get(&period).map_or(&[], Vec::as_slice)
    }

    fn value(&self, kpi: &str, subject: &str, month: YearMonth) -> Option<f64> {
        self.series.get(&(kpi.to_string(), subject.to_string())).and_then(|s| s.get(&month)).copied()
    }

    fn has(&self, kpi: &str, subject: &str) -> bool {
        self.series.contains_key(&(kpi.to_string(), subject.to_string()))
    }
}

#[derive(Serialize, Default)]
struct Cell {
    text: String,
    class: Option<&'static str>,
    url: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), ..Cell::default() }
}

#[derive(Serialize)]
struct Table {
    caption: String,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

#[derive(Serialize)]
struct LegendItem {
    label: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Figure {
    svg: String,
    legend: Vec<LegendItem>,
}

#[derive(Serialize, Default)]
struct Section {
    id: String,
    heading: String,
    url: Option<String>,
    intro: Option<String>,
    figure: Option<Figure>,
    table: Option<Table>,
    links: Vec<Link>,
}

#[derive(Serialize)]
struct Tile {
    name: String,
    url: String,
    value: String,
    target: String,
    status: &'static str,
    status_label: String,
    change: Option<String>,
    spark: String,
}

#[derive(Serialize)]
struct Alert {
    text: String,
    /// The sentence in pieces, each name apart so the template isolates it (`<bdi>`):
    /// a name holding a direction override cannot reorder the rest of the alert.
    parts: Vec<Part>,
    url: Option<String>,
    class: &'static str,
}

impl Alert {
    /// `template` filled from `slots` (key, value, whether the value is a name).
    fn new(template: &str, slots: &[(&str, &str, bool)], url: Option<String>, class: &'static str) -> Alert {
        let parts = text_safety::fill(template, slots);
        let text = parts.iter().map(|p| p.text.as_str()).collect();
        Alert { text, parts, url, class }
    }
}

#[derive(Serialize, Default)]
struct Report {
    period: Option<String>,
    as_of: String,
    links: Vec<Link>,
    tiles: Vec<Tile>,
    show_alerts: bool,
    alerts: Vec<Alert>,
    sections: Vec<Section>,
}

type Ui = BTreeMap<&'static str, &'static str>;

/// A value rounded for reading, with its unit: `4.31 分`, `92.5%`.
pub fn fmt_value(v: f64, unit: &str) -> String {
    with_unit(&format_number(round_half_away(v, 2)), unit)
}

fn fmt_change(d: f64, unit: &str) -> String {
    let r = round_half_away(d, 2);
    let sign = if r > 0.0 {
        "+"
    } else if r < 0.0 {
        "−"
    } else {
        "±"
    };
    format!("{sign}{}", with_unit(&format_number(r.abs()), unit))
}

fn status_key(s: Option<Status>) -> &'static str {
    s.map_or("no_data", Status::as_str)
}

fn status_label(ui: &Ui, s: Option<Status>) -> String {
    ui[match s {
        Some(Status::Met) => "status_met",
        Some(Status::Warning) => "status_warning",
        Some(Status::Missed) => "status_missed",
        None => "no_data",
    }]
    .to_string()
}

fn status_cell(ui: &Ui, s: Option<Status>) -> Cell {
    Cell {
        text: status_label(ui, s),
        class: Some(match s {
            Some(Status::Met) => "status-met",
            Some(Status::Warning) => "status-warning",
            Some(Status::Missed) => "status-missed",
            None => "status-no_data",
        }),
        url: None,
    }
}

/// A time limit as the complaints page states it: the value in force, and when it has
/// changed, each value with the date it took effect (complaints are judged against the
/// one in force when they were received).
fn limit_history(ui: &Ui, p: &crate::load::data::Param) -> String {
    if p.history.len() < 2 {
        return p.display();
    }
    let steps: Vec<String> = p
        .history
        .iter()
        .map(|s| {
            let value = crate::load::data::display_value(&s.value, &p.unit);
            match s.from {
                Some(d) => ui["limit_from"].replace("{value}", &value).replace("{date}", &d.to_string()),
                None => value,
            }
        })
        .collect();
    steps.join(ui["list_sep"])
}

/// The status of a value: "no target" rather than "no data" when there is a value
/// but no target in force to judge it by.
fn value_status_cell(ui: &Ui, value: Option<f64>, s: Option<Status>) -> Cell {
    match (value, s) {
        (Some(_), None) => Cell { text: ui["no_target"].to_string(), ..status_cell(ui, None) },
        _ => status_cell(ui, s),
    }
}

/// How many places the top share has this month, and — when a tie at its edge is
/// left out (`top_ties: exclude`) — who tied for what, so no missing ★ goes unexplained.
fn top_share_note(ui: &Ui, card: &crate::load::data::Scorecard, ranked: &[&ScoreRow]) -> Option<String> {
    if card.top_percent <= 0.0 {
        return None;
    }
    let n = ranked.len();
    let places = report::top_count(n, card.top_percent);
    let mut note = ui["top_places"]
        .replace("{places}", &places.to_string())
        .replace("{percent}", &format_number(card.top_percent))
        .replace("{n}", &n.to_string());
    // The first tie group that does not fit, if its members got no star.
    let mut by_rank: BTreeMap<usize, usize> = BTreeMap::new();
    for r in ranked {
        *by_rank.entry(r.rank).or_default() += 1;
    }
    let left_out = by_rank.iter().find(|(rank, tied)| **rank <= places && **rank + **tied - 1 > places);
    if let (Some((rank, tied)), crate::load::data::TopTies::Exclude) = (left_out, card.top_ties) {
        note.push_str(&ui["top_tie_out"].replace("{k}", &tied.to_string()).replace("{rank}", &rank.to_string()));
    }
    Some(note)
}

/// A name inside composed text (a caption, a heading, a chart's title or description),
/// between Unicode isolates when its direction could reorder the text around it; other
/// names are left as they are.
fn iso(name: &str) -> std::borrow::Cow<'_, str> {
    text_safety::isolate_if_needed(name)
}

/// The 12 months ending at `end`.
fn last_12(end: YearMonth) -> Vec<YearMonth> {
    (0..12).rev().map(|i| end.plus(-i)).collect()
}

fn trend_legend(ui: &Ui, warning: bool) -> Vec<LegendItem> {
    let mut l = vec![
        LegendItem { label: ui["value"].to_string(), class: "line" },
        LegendItem { label: ui["target_line"].to_string(), class: "target" },
    ];
    if warning {
        l.push(LegendItem { label: ui["band"].to_string(), class: "band" });
    }
    l.extend(
        [("status_met", "met"), ("status_warning", "warning"), ("status_missed", "missed")]
            .map(|(k, c)| LegendItem { label: ui[k].to_string(), class: c }),
    );
    l
}

/// A KPI's monthly trend for one subject: chart and the same numbers as a table.
/// Where a section goes on its page: anchor id, heading and optional heading link.
struct Head {
    id: String,
    heading: String,
    url: Option<String>,
}

fn kpi_trend_section(ui: &Ui, kpi: &Kpi, c: &Computed, subject: &str, months: &[YearMonth], head: Head) -> Section {
    let values: Vec<Option<f64>> = months.iter().map(|m| c.value(&kpi.id, subject, *m)).collect();
    let targets: Vec<Option<f64>> = months.iter().map(|m| target_in_force(kpi, *m)).collect();
    let statuses: Vec<Option<Status>> =
        months.iter().zip(&values).map(|(m, v)| report::status_in(kpi, *v, *m)).collect();
    let last =
        values.iter().rev().flatten().next().map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(*v, &kpi.unit));
    let desc = ui["chart_trend_desc"]
        .replace("{name}", &iso(&kpi.name))
        .replace("{from}", &months.first().map(|m| m.to_string()).unwrap_or_default())
        .replace("{to}", &months.last().map(|m| m.to_string()).unwrap_or_default())
        .replace("{last}", &last);
    let Head { id, heading, url } = head;
    let svg = charts::trend(
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
                cell(v.map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(v, &kpi.unit))),
                cell(t.map_or_else(|| ui["no_target"].to_string(), |t| format_target(kpi, t))),
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
            head: vec![ui["month"].into(), ui["value"].into(), ui["target"].into(), ui["status"].into()],
            rows,
        }),
        ..Section::default()
    }
}

struct Ctx<'a> {
    view: &'a View<'a>,
    inputs: &'a Inputs<'a>,
    data: &'a Data,
    m: &'a Measurements,
    c: &'a Computed,
    ui: &'a Ui,
}

impl Ctx<'_> {
    fn person_name(&self, id: &str) -> String {
        self.data.org.people.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
    }
    fn team_name(&self, id: &str) -> String {
        self.data.org.teams.iter().find(|t| t.id == id).map_or_else(|| id.to_string(), |t| t.name.clone())
    }
    fn subject_url(&self, kind: SubjectKind, id: &str) -> Option<String> {
        match kind {
            SubjectKind::Person => Some(format!("reports/people/{id}/")),
            SubjectKind::Team => Some(format!("reports/teams/{id}/")),
            _ => None,
        }
    }
    fn role_link(&self, from: &str, role: &str) -> Cell {
        let page = self.inputs.pages.iter().find(|p| p.id.value == role);
        Cell {
            text: page.map_or_else(|| role.to_string(), |p| p.title.clone()),
            class: None,
            url: page.map(|p| relative_url(from, &p.url)),
        }
    }

    /// Renders one report page at `url`.
    fn page(
        &self,
        url: &str,
        title: &str,
        summary: Option<&str>,
        report: &Report,
        crumbs: Vec<Link>,
    ) -> Result<OutputFile, Diagnostics> {
        let mut ctx = generated_context(self.view, self.inputs, url, title, summary, &crumbs);
        ctx.insert("report", report);
        let html = self.inputs.theme.render("report.html", &ctx)?;
        Ok(OutputFile { path: format!("{}/{url}index.html", self.view.audience.as_str()), bytes: html })
    }

    /// Renders a detail page of `reports/`: the given sections for the latest month
    /// (`period`), with breadcrumbs back to the reports.
    fn detail(
        &self,
        url: &str,
        title: &str,
        summary: Option<&str>,
        period: Option<YearMonth>,
        sections: Vec<Section>,
    ) -> Result<OutputFile, Diagnostics> {
        let report = Report {
            period: period.map(|p| p.to_string()),
            as_of: self.c.today.to_string(),
            sections,
            ..Report::default()
        };
        self.page(url, title, summary, &report, self.crumbs(url))
    }

    fn crumbs(&self, url: &str) -> Vec<Link> {
        let mut c = home_crumb(self.view, self.inputs, url);
        c.push(Link { title: self.ui["reports"].to_string(), url: relative_url(url, "reports/") });
        c
    }

    /// Links from the overview to every report page.
    fn index_links(&self, from: &str) -> Vec<Link> {
        let mut links = Vec::new();
        let mut add =
            |title: &str, to: &str| links.push(Link { title: title.to_string(), url: relative_url(from, to) });
        if !self.m.complaints.is_empty() {
            add(self.ui["complaints"], "reports/complaints/");
        }
        if !self.m.surveys.is_empty() {
            add(self.ui["nps"], "reports/nps/");
        }
        if !self.m.actions.is_empty() {
            add(self.ui["actions"], "reports/actions/");
        }
        add(self.ui["archive"], "reports/archive/");
        links
    }

    /// The monthly overview of `period`: KPI tiles, alerts, scorecard rankings and
    /// links to the detail pages.
    fn overview(&self, period: YearMonth, url: &str) -> Report {
        let ui = self.ui;
        // Every figure of the month as known at the end of this day.
        let as_of = report::as_of(period, self.c.latest(), self.c.today);
        let mut tiles = Vec::new();
        for kpi in self.data.kpis.values().filter(|k| self.c.has(&k.id, ORG)) {
            let v = self.c.value(&kpi.id, ORG, period);
            let prev = self.c.value(&kpi.id, ORG, period.plus(-1));
            let s = report::status_in(kpi, v, period);
            let months = last_12(period);
            let values: Vec<Option<f64>> = months.iter().map(|m| self.c.value(&kpi.id, ORG, *m)).collect();
            let targets: Vec<Option<f64>> = months.iter().map(|m| target_in_force(kpi, *m)).collect();
            let value = v.map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(v, &kpi.unit));
            let desc = ui["chart_spark_desc"].replace("{name}", &iso(&kpi.name)).replace("{last}", &value);
            let spark = charts::sparkline(
                &values,
                &targets,
                s,
                kpi.scale,
                &Label { id: &format!("spark-{}", kpi.id), title: &kpi.name, desc: &desc },
            );
            tiles.push(Tile {
                name: kpi.name.clone(),
                url: relative_url(url, &format!("reports/kpis/{}/", kpi.id)),
                value,
                target: target_in_force(kpi, period)
                    .map_or_else(|| ui["no_target"].to_string(), |t| format_target(kpi, t)),
                status: status_key(s),
                status_label: if v.is_some() && s.is_none() {
                    ui["no_target"].to_string()
                } else {
                    status_label(ui, s)
                },
                change: v.zip(prev).map(|(a, b)| fmt_change(a - b, &kpi.unit)),
                spark,
            });
        }
        let mut alerts = Vec::new();
        // Failing streaks of people and of teams alike.
        for r in self.c.scores.iter().filter(|r| r.period == period) {
            let card = &self.data.scorecards[r.scorecard];
            if r.streak >= card.fail_streak {
                let (name, key) = match r.kind {
                    SubjectKind::Team => (self.team_name(&r.subject), "alert_team_streak"),
                    _ => (self.person_name(&r.subject), "alert_streak"),
                };
                alerts.push(Alert::new(
                    ui[key],
                    &[("name", &name, true), ("card", &card.name, true), ("n", &r.streak.to_string(), false)],
                    self.subject_url(r.kind, &r.subject).map(|u| relative_url(url, &u)),
                    "missed",
                ));
            }
        }
        for a in &self.m.actions {
            if let Some(days) = report::action_overdue(a.due, a.done_on, as_of) {
                let owner = self
                    .inputs
                    .pages
                    .iter()
                    .find(|p| p.id.value == a.owner)
                    .map_or(a.owner.clone(), |p| p.title.clone());
                alerts.push(Alert::new(
                    ui["alert_action"],
                    &[("title", &a.title, true), ("n", &days.to_string(), false), ("owner", &owner, true)],
                    Some(relative_url(url, "reports/actions/")),
                    "warning",
                ));
            }
        }
        for (ti, t) in self.m.complaint_types.iter().enumerate() {
            if let Some(share) = self.c.complaints.get(&(ti, period)).and_then(ComplaintCell::share) {
                if share + 1e-9 < t.goal {
                    let (share, goal) = (fmt_value(share, "%"), fmt_value(t.goal, "%"));
                    alerts.push(Alert::new(
                        ui["alert_complaints"],
                        &[("type", &t.name, true), ("share", &share, false), ("goal", &goal, false)],
                        Some(relative_url(url, "reports/complaints/")),
                        "missed",
                    ));
                }
            }
        }
        let open = self.c.open_past_limit(period);
        if !open.is_empty() {
            alerts.push(Alert::new(
                ui["alert_open"],
                &[("n", &open.len().to_string(), false)],
                Some(relative_url(url, "reports/complaints/")),
                "missed",
            ));
        }
        let mut sections = Vec::new();
        for (ci, card) in self.data.scorecards.iter().enumerate() {
            let ranked: Vec<&ScoreRow> = self
                .c
                .scores
                .iter()
                .filter(|r| r.scorecard == ci && r.period == period && r.kind == SubjectKind::Person)
                .collect();
            if ranked.is_empty() {
                continue;
            }
            let rows = ranked.iter().map(|r| self.score_row(url, r, true)).collect();
            sections.push(Section {
                id: format!("card-{}", card.id),
                heading: card.name.clone(),
                intro: top_share_note(ui, card, &ranked),
                table: Some(Table {
                    caption: format!("{} · {period}", iso(&card.name)),
                    head: self.score_head(true),
                    rows,
                }),
                ..Section::default()
            });
        }
        let subject_links = |kind: &str, list: Vec<(String, String)>| Section {
            id: format!("list-{kind}"),
            heading: ui[kind].to_string(),
            links: list
                .into_iter()
                .map(|(id, name)| Link { title: name, url: relative_url(url, &format!("reports/{kind}/{id}/")) })
                .collect(),
            ..Section::default()
        };
        sections
            .push(subject_links("teams", self.data.org.teams.iter().map(|t| (t.id.clone(), t.name.clone())).collect()));
        sections.push(subject_links(
            "people",
            self.data.org.people.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
        ));
        sections.push(subject_links(
            "kpis",
            self.data
                .kpis
                .values()
                .filter(|k| self.c.has(&k.id, ORG))
                .map(|k| (k.id.clone(), k.name.clone()))
                .collect(),
        ));
        Report {
            period: Some(period.to_string()),
            as_of: as_of.to_string(),
            links: self.index_links(url),
            tiles,
            show_alerts: true,
            alerts,
            sections,
        }
    }

    fn score_head(&self, with_subject: bool) -> Vec<String> {
        let ui = self.ui;
        let mut h = Vec::new();
        if with_subject {
            h.push(ui["person"].to_string());
        } else {
            h.push(ui["month"].to_string());
        }
        h.extend([ui["score"], ui["pass"], ui["rank"], ui["top_flag"], ui["streak"], ui["change"]].map(String::from));
        h
    }

    fn score_row(&self, url: &str, r: &ScoreRow, with_subject: bool) -> Vec<Cell> {
        let ui = self.ui;
        let first = if with_subject {
            let name =
                if r.kind == SubjectKind::Team { self.team_name(&r.subject) } else { self.person_name(&r.subject) };
            Cell { text: name, class: None, url: self.subject_url(r.kind, &r.subject).map(|u| relative_url(url, &u)) }
        } else {
            cell(r.period.to_string())
        };
        vec![
            first,
            cell(format_number(round_half_away(r.points, 1))),
            Cell {
                text: ui[if r.pass { "yes" } else { "no" }].to_string(),
                class: Some(if r.pass { "status-met" } else { "status-missed" }),
                url: None,
            },
            cell(format!("{}/{}", r.rank, r.ranked)),
            cell(if r.top { "★" } else { "" }),
            cell(if r.streak > 0 { r.streak.to_string() } else { String::new() }),
            cell(r.change.map(|d| fmt_change(round_half_away(d, 1), "")).unwrap_or_default()),
        ]
    }

    /// A person's or team's scorecard results: the points as a trend against the pass
    /// mark, and the month-by-month table.
    fn score_sections(&self, url: &str, subject: &str) -> Vec<Section> {
        let ui = self.ui;
        let Some(latest) = self.c.latest() else { return Vec::new() };
        let months = last_12(latest);
        let mut out = Vec::new();
        for (ci, card) in self.data.scorecards.iter().enumerate() {
            let rows: Vec<&ScoreRow> =
                self.c.scores.iter().filter(|r| r.scorecard == ci && r.subject == subject).collect();
            if rows.is_empty() {
                continue;
            }
            let values: Vec<Option<f64>> =
                months.iter().map(|m| rows.iter().find(|r| r.period == *m).map(|r| r.points)).collect();
            let targets = vec![Some(card.pass_mark); months.len()];
            let statuses: Vec<Option<Status>> = values
                .iter()
                .map(|v| v.map(|v| if v + 1e-9 >= card.pass_mark { Status::Met } else { Status::Missed }))
                .collect();
            let heading = format!("{} · {}", iso(&card.name), ui["score_trend"]);
            let last = values
                .iter()
                .rev()
                .flatten()
                .next()
                .map_or_else(|| ui["no_data"].to_string(), |v| format_number(round_half_away(*v, 1)));
            let desc = ui["chart_trend_desc"]
                .replace("{name}", &iso(&card.name))
                .replace("{from}", &months[0].to_string())
                .replace("{to}", &latest.to_string())
                .replace("{last}", &last);
            let svg = charts::trend(
                &Trend {
                    months: &months,
                    values: &values,
                    targets: &targets,
                    statuses: &statuses,
                    warning: 0.0,
                    direction: crate::load::data::Direction::Higher,
                    scale: (0.0, 100.0),
                },
                &Label { id: &format!("score-{}", card.id), title: &heading, desc: &desc },
            );
            out.push(Section {
                id: format!("score-{}", card.id),
                heading,
                figure: Some(Figure { svg, legend: trend_legend(ui, false) }),
                table: Some(Table {
                    caption: card.name.clone(),
                    head: self.score_head(false),
                    rows: rows.iter().rev().map(|r| self.score_row(url, r, false)).collect(),
                }),
                ..Section::default()
            });
        }
        out
    }

    fn team_page(&self, team: &crate::load::data::Team) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
        let url = format!("reports/teams/{}/", team.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = self.score_sections(&url, &team.id);
        for kpi in self.data.kpis.values().filter(|k| self.c.has(&k.id, &team.id)) {
            sections.push(kpi_trend_section(
                ui,
                kpi,
                self.c,
                &team.id,
                &months,
                Head {
                    id: format!("kpi-{}", kpi.id),
                    heading: kpi.name.clone(),
                    url: Some(relative_url(&url, &format!("reports/kpis/{}/", kpi.id))),
                },
            ));
        }
        let members: Vec<Link> = self
            .data
            .org
            .people
            .iter()
            .filter(|p| p.team.value == team.id)
            .map(|p| Link { title: p.name.clone(), url: relative_url(&url, &format!("reports/people/{}/", p.id)) })
            .collect();
        sections.insert(
            0,
            Section { id: "members".into(), heading: ui["members"].to_string(), links: members, ..Section::default() },
        );
        let dept = self
            .data
            .org
            .departments
            .iter()
            .find(|d| d.id == team.department.value)
            .map_or(team.department.value.clone(), |d| d.name.clone());
        self.detail(
            &url,
            &format!("{} · {}", iso(&team.name), ui["teams"]),
            Some(&format!("{}：{}", ui["department"], iso(&dept))),
            Some(latest),
            sections,
        )
    }

    fn person_page(&self, person: &crate::load::data::Person) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
        let url = format!("reports/people/{}/", person.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = self.score_sections(&url, &person.id);
        let kpis: Vec<&Kpi> = self.data.kpis.values().filter(|k| self.c.has(&k.id, &person.id)).collect();
        if !kpis.is_empty() {
            let mut head = vec![ui["month"].to_string()];
            head.extend(kpis.iter().map(|k| k.name.clone()));
            let rows = months
                .iter()
                .rev()
                .map(|m| {
                    let mut row = vec![cell(m.to_string())];
                    for k in &kpis {
                        let v = self.c.value(&k.id, &person.id, *m);
                        let s = report::status_in(k, v, *m);
                        row.push(Cell {
                            text: v.map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(v, &k.unit)),
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
                heading: ui["kpis"].to_string(),
                table: Some(Table { caption: format!("{} · {}", iso(&person.name), ui["trend_12"]), head, rows }),
                ..Section::default()
            });
        }
        let role = self.role_link(&url, &person.role.value);
        let team_link = Link {
            title: self.team_name(&person.team.value),
            url: relative_url(&url, &format!("reports/teams/{}/", person.team.value)),
        };
        sections.insert(
            0,
            Section {
                id: "about".into(),
                heading: ui["team"].to_string(),
                links: vec![team_link, Link { title: role.text, url: role.url.unwrap_or_default() }],
                ..Section::default()
            },
        );
        self.detail(&url, &person.name, None, Some(latest), sections)
    }

    fn kpi_page(&self, kpi: &Kpi) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
        let url = format!("reports/kpis/{}/", kpi.id);
        let latest = self.c.latest().unwrap_or(YearMonth::of(self.c.today));
        let months = last_12(latest);
        let mut sections = Vec::new();
        if self.c.has(&kpi.id, ORG) {
            sections.push(kpi_trend_section(
                ui,
                kpi,
                self.c,
                ORG,
                &months,
                Head { id: "org".into(), heading: ui["org_trend"].to_string(), url: None },
            ));
        }
        let teams: Vec<&crate::load::data::Team> =
            self.data.org.teams.iter().filter(|t| self.c.has(&kpi.id, &t.id)).collect();
        if !teams.is_empty() {
            let target = target_in_force(kpi, latest);
            let items: Vec<Bar> = teams
                .iter()
                .map(|t| {
                    let v = self.c.value(&kpi.id, &t.id, latest);
                    Bar { label: t.name.clone(), value: v, status: report::status_in(kpi, v, latest) }
                })
                .collect();
            let heading = format!("{} · {latest}", ui["teams_compared"]);
            let desc =
                ui["chart_bars_desc"].replace("{name}", &iso(&kpi.name)).replace("{period}", &latest.to_string());
            let svg =
                charts::bars(&items, target, kpi.scale, &Label { id: "teams-chart", title: &heading, desc: &desc });
            let mut head = vec![ui["team"].to_string()];
            head.extend(months.iter().map(|m| m.to_string()));
            let rows = teams
                .iter()
                .map(|t| {
                    let mut row = vec![Cell {
                        text: t.name.clone(),
                        class: None,
                        url: Some(relative_url(&url, &format!("reports/teams/{}/", t.id))),
                    }];
                    row.extend(months.iter().map(|m| {
                        cell(
                            self.c
                                .value(&kpi.id, &t.id, *m)
                                .map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(v, &kpi.unit)),
                        )
                    }));
                    row
                })
                .collect();
            let legend = [
                ("status_met", "met"),
                ("status_warning", "warning"),
                ("status_missed", "missed"),
                ("target_line", "target"),
            ]
            .map(|(k, c)| LegendItem { label: ui[k].to_string(), class: c })
            .into();
            sections.push(Section {
                id: "teams".into(),
                heading,
                figure: Some(Figure { svg, legend }),
                table: Some(Table { caption: format!("{} · {}", iso(&kpi.name), ui["trend_12"]), head, rows }),
                ..Section::default()
            });
        }
        let summary =
            target_in_force(kpi, latest).map(|t| format!("{} {}", ui["target_in_force"], format_target(kpi, t)));
        self.detail(&url, &kpi.name, summary.as_deref(), Some(latest), sections)
    }

    fn complaints_page(&self) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
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
            let heading = format!("{} · {}", iso(&t.name), ui["share_within"]);
            let last =
                values.iter().rev().flatten().next().map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(*v, "%"));
            let desc = ui["chart_trend_desc"]
                .replace("{name}", &heading)
                .replace("{from}", &months[0].to_string())
                .replace("{to}", &latest.to_string())
                .replace("{last}", &last);
            let svg = charts::trend(
                &Trend {
                    months: &months,
                    values: &values,
                    targets: &vec![Some(t.goal); months.len()],
                    statuses: &statuses,
                    warning: 0.0,
                    direction: crate::load::data::Direction::Higher,
                    scale: (0.0, 100.0),
                },
                &Label { id: &format!("complaints-{}", t.id), title: &heading, desc: &desc },
            );
            let hours = |v: Option<f64>| v.map_or_else(|| ui["no_data"].to_string(), |h| fmt_value(h, "h"));
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
                            text: c.share().map_or_else(|| ui["no_data"].to_string(), |v| fmt_value(v, "%")),
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
                        cell(ui["no_data"]),
                        cell(ui["no_data"]),
                    ],
                })
                .collect();
            let limit = self.data.params.get(&t.limit_param).map(|p| limit_history(ui, p)).unwrap_or_default();
            sections.push(Section {
                id: format!("type-{}", t.id),
                heading: t.name.clone(),
                intro: Some(format!(
                    "{}：{limit} · {}：{}",
                    ui["time_limit"],
                    ui["complaint_goal"],
                    fmt_value(t.goal, "%")
                )),
                figure: Some(Figure { svg, legend: trend_legend(ui, false) }),
                table: Some(Table {
                    caption: heading,
                    head: [
                        ui["month"],
                        ui["received"],
                        ui["decided"],
                        ui["within"],
                        ui["share_within"],
                        ui["median_hours"],
                        ui["p90_hours"],
                    ]
                    .map(String::from)
                    .into(),
                    rows,
                }),
                ..Section::default()
            });
        }
        let rows = self
            .c
            .open_past_limit(latest)
            .iter()
            .map(|o| {
                let c = &self.m.complaints[o.complaint];
                vec![
                    cell(c.id.to_string()),
                    cell(self.m.complaint_types[c.kind].name.clone()),
                    cell(c.channel.to_string()),
                    Cell {
                        text: self.data.org.teams[c.team].name.clone(),
                        class: None,
                        url: Some(relative_url(url, &format!("reports/teams/{}/", self.data.org.teams[c.team].id))),
                    },
                    cell(c.received.date().to_string()),
                    cell(fmt_value(o.open_hours, "h")),
                    Cell { text: fmt_value(o.over_hours, "h"), class: Some("status-missed"), url: None },
                ]
            })
            .collect();
        sections.push(Section {
            id: "open-past-limit".into(),
            heading: ui["open_past_limit"].to_string(),
            table: Some(Table {
                caption: ui["open_past_limit"].to_string(),
                head: [
                    ui["complaint_id"],
                    ui["complaint_type"],
                    ui["channel"],
                    ui["team"],
                    ui["received_at"],
                    ui["open_hours"],
                    ui["over_hours"],
                ]
                .map(String::from)
                .into(),
                rows,
            }),
            ..Section::default()
        });
        self.detail(url, ui["complaints"], Some(ui["complaints_intro"]), Some(latest), sections)
    }

    fn nps_page(&self) -> Result<OutputFile, Diagnostics> {
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
        let desc = ui["chart_nps_desc"].replace("{from}", &months[0].to_string()).replace("{to}", &latest.to_string());
        let svg = charts::nps_stacked(&rows, &Label { id: "nps-chart", title: ui["nps"], desc: &desc });
        let nps_row = |label: Cell, n: Option<&Nps>| match n {
            Some(n) => vec![
                label,
                cell(n.promoters.to_string()),
                cell(n.passives.to_string()),
                cell(n.detractors.to_string()),
                cell(n.responses().to_string()),
                cell(n.score().map_or_else(|| ui["no_data"].to_string(), |s| format_number(round_half_away(s, 1)))),
            ],
            None => vec![label, cell("0"), cell("0"), cell("0"), cell("0"), cell(ui["no_data"])],
        };
        let head: Vec<String> =
            [ui["month"], ui["promoters"], ui["passives"], ui["detractors"], ui["responses"], ui["nps"]]
                .map(String::from)
                .into();
        let org_rows = months.iter().rev().map(|m| nps_row(cell(m.to_string()), self.c.org_nps.get(m))).collect();
        let legend = [("promoters", "met"), ("passives", "passive"), ("detractors", "missed")]
            .map(|(k, c)| LegendItem { label: ui[k].to_string(), class: c })
            .into();
        let mut sections = vec![Section {
            id: "org".into(),
            heading: ui["org_trend"].to_string(),
            figure: Some(Figure { svg, legend }),
            table: Some(Table { caption: ui["nps"].to_string(), head: head.clone(), rows: org_rows }),
            ..Section::default()
        }];
        let mut team_head = head;
        team_head[0] = ui["team"].to_string();
        let team_rows = self
            .data
            .org
            .teams
            .iter()
            .enumerate()
            .filter(|(ti, _)| self.c.team_nps.keys().any(|(t, _)| t == ti))
            .map(|(ti, t)| {
                nps_row(
                    Cell {
                        text: t.name.clone(),
                        class: None,
                        url: Some(relative_url(url, &format!("reports/teams/{}/", t.id))),
                    },
                    self.c.team_nps.get(&(ti, latest)),
                )
            })
            .collect();
        sections.push(Section {
            id: "teams".into(),
            heading: format!("{} · {latest}", ui["teams_compared"]),
            table: Some(Table { caption: format!("{} · {latest}", ui["nps"]), head: team_head, rows: team_rows }),
            ..Section::default()
        });
        // Each team's NPS month by month, with the number of responses.
        let mut head = vec![ui["team"].to_string()];
        head.extend(months.iter().map(|m| m.to_string()));
        let by_month = self
            .data
            .org
            .teams
            .iter()
            .enumerate()
            .filter(|(ti, _)| self.c.team_nps.keys().any(|(t, _)| t == ti))
            .map(|(ti, t)| {
                let mut row = vec![Cell {
                    text: t.name.clone(),
                    class: None,
                    url: Some(relative_url(url, &format!("reports/teams/{}/", t.id))),
                }];
                row.extend(months.iter().map(|m| {
                    match self.c.team_nps.get(&(ti, *m)).and_then(|n| n.score().map(|s| (s, n.responses()))) {
                        Some((s, n)) => cell(format!("{} (n={n})", format_number(round_half_away(s, 1)))),
                        None => cell(ui["no_data"]),
                    }
                }));
                row
            })
            .collect();
        sections.push(Section {
            id: "teams-by-month".into(),
            heading: format!("{} · {}", ui["nps"], ui["trend_12"]),
            table: Some(Table { caption: format!("{} · {}", ui["teams"], ui["trend_12"]), head, rows: by_month }),
            ..Section::default()
        });
        self.detail(url, ui["nps"], Some(ui["nps_intro"]), Some(latest), sections)
    }

    fn actions_page(&self) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
        let url = "reports/actions/";
        let mut actions: Vec<&crate::load::measure::Action> = self.m.actions.iter().collect();
        actions.sort_by(|a, b| {
            (a.status == ActionStatus::Done, a.due, &a.title).cmp(&(b.status == ActionStatus::Done, b.due, &b.title))
        });
        let rows = actions
            .iter()
            .map(|a| {
                let overdue = report::action_overdue(a.due, a.done_on, self.c.today);
                let dept = self
                    .data
                    .org
                    .departments
                    .iter()
                    .find(|d| d.id == a.department)
                    .map_or(a.department.clone(), |d| d.name.clone());
                vec![
                    cell(a.title.clone()),
                    self.role_link(url, &a.owner),
                    cell(dept),
                    cell(a.due.to_string()),
                    cell(
                        ui[match a.status {
                            ActionStatus::Planned => "action_planned",
                            ActionStatus::InProgress => "action_in_progress",
                            ActionStatus::Done => "action_done",
                        }],
                    ),
                    cell(a.done_on.map(|d| d.to_string()).unwrap_or_default()),
                    match overdue {
                        Some(n) => Cell {
                            text: ui["overdue_days"].replace("{n}", &n.to_string()),
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
            heading: ui["actions"].to_string(),
            table: Some(Table {
                caption: ui["actions"].to_string(),
                head: [
                    ui["action"],
                    ui["owner"],
                    ui["department"],
                    ui["due"],
                    ui["status"],
                    ui["done_on"],
                    ui["overdue"],
                ]
                .map(String::from)
                .into(),
                rows,
            }),
            ..Section::default()
        }];
        self.detail(url, ui["actions"], None, None, sections)
    }

    fn archive_page(&self) -> Result<OutputFile, Diagnostics> {
        let ui = self.ui;
        let url = "reports/archive/";
        let links = self
            .c
            .periods
            .iter()
            .rev()
            .map(|p| Link { title: p.to_string(), url: relative_url(url, &format!("reports/{p}/")) })
            .collect();
        let sections =
            vec![Section { id: "months".into(), heading: ui["archive"].to_string(), links, ..Section::default() }];
        self.detail(url, ui["archive"], Some(ui["archive_intro"]), None, sections)
    }
}

/// Every internal report page. Pages render in parallel; the result is sorted.
pub fn internal(
    view: &View,
    inputs: &Inputs,
    data: &Data,
    m: &Measurements,
    c: &Computed,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let Some(latest) = c.latest() else { return Ok(Vec::new()) };
    let ctx = Ctx { view, inputs, data, m, c, ui: inputs.env.ui };
    enum Job<'a> {
        Index,
        Month(YearMonth),
        Team(&'a crate::load::data::Team),
        Person(&'a crate::load::data::Person),
        Kpi(&'a Kpi),
        Complaints,
        Nps,
        Actions,
        Archive,
    }
    let mut jobs = vec![Job::Index, Job::Archive];
    jobs.extend(c.periods.iter().map(|p| Job::Month(*p)));
    jobs.extend(data.org.teams.iter().map(Job::Team));
    jobs.extend(data.org.people.iter().map(Job::Person));
    jobs.extend(data.kpis.values().filter(|k| c.series.keys().any(|(id, _)| *id == k.id)).map(Job::Kpi));
    if !m.complaints.is_empty() {
        jobs.push(Job::Complaints);
    }
    if !m.surveys.is_empty() {
        jobs.push(Job::Nps);
    }
    if !m.actions.is_empty() {
        jobs.push(Job::Actions);
    }
    let ui = ctx.ui;
    let results: Vec<Result<OutputFile, Diagnostics>> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Index => {
                let url = "reports/";
                ctx.page(
                    url,
                    ui["reports"],
                    Some(ui["reports_intro"]),
                    &ctx.overview(latest, url),
                    home_crumb(view, inputs, url),
                )
            }
            Job::Month(p) => {
                let url = format!("reports/{p}/");
                ctx.page(&url, &format!("{} · {p}", ui["overview"]), None, &ctx.overview(*p, &url), ctx.crumbs(&url))
            }
            Job::Team(t) => ctx.team_page(t),
            Job::Person(p) => ctx.person_page(p),
            Job::Kpi(k) => ctx.kpi_page(k),
            Job::Complaints => ctx.complaints_page(),
            Job::Nps => ctx.nps_page(),
            Job::Actions => ctx.actions_page(),
            Job::Archive => ctx.archive_page(),
        })
        .collect();
    let mut files = Vec::new();
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.extend(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Public KPIs that have organisation-wide values: what the performance page shows.
pub fn public_kpis<'a>(data: &'a Data, c: &Computed) -> Vec<&'a Kpi> {
    data.kpis.values().filter(|k| k.public && c.has(&k.id, ORG)).collect()
}

/// The public performance page: organisation-wide results of public KPIs over the
/// last 12 months against target. Nothing per team or person, no internal KPI.
pub fn public_performance(
    view: &View,
    inputs: &Inputs,
    data: &Data,
    c: &Computed,
) -> Result<Option<OutputFile>, Diagnostics> {
    debug_assert_eq!(view.audience, Audience::Public);
    let kpis = public_kpis(data, c);
    let Some(latest) = c.latest() else { return Ok(None) };
    if kpis.is_empty() {
        return Ok(None);
    }
    let m = Measurements::default();
    let ctx = Ctx { view, inputs, data, m: &m, c, ui: inputs.env.ui };
    let ui = ctx.ui;
    let url = "performance/";
    let months = last_12(latest);
    let sections = kpis
        .iter()
        .map(|k| {
            kpi_trend_section(
                ui,
                k,
                c,
                ORG,
                &months,
                Head {
                    id: format!("kpi-{}", k.id),
                    heading: k.name.clone(),
                    url: Some(relative_url(url, &crate::markdown::shortcodes::kpi_url(&k.id))),
                },
            )
        })
        .collect();
    let report = Report { period: Some(latest.to_string()), as_of: c.today.to_string(), sections, ..Report::default() };
    let crumbs = home_crumb(view, inputs, url);
    ctx.page(url, ui["performance"], Some(ui["performance_intro"]), &report, crumbs).map(Some)
}

/// The internal governance page: reviews overdue and due within 30 days (with owners),
/// standards without an owner, and pages no other page links to.
pub fn governance_page(
    view: &View,
    inputs: &Inputs,
    review: &crate::check::governance::Review,
) -> Result<OutputFile, Diagnostics> {
    let m = Measurements::default();
    let c = Computed {
        series: BTreeMap::new(),
        scores: Vec::new(),
        periods: Vec::new(),
        complaints: BTreeMap::new(),
        open_past_limit: BTreeMap::new(),
        team_nps: BTreeMap::new(),
        org_nps: BTreeMap::new(),
        today: Date::from_unix_days(0),
    };
    let data = Data::default();
    let ctx = Ctx { view, inputs, data: &data, m: &m, c: &c, ui: inputs.env.ui };
    let ui = ctx.ui;
    let url = "governance/";
    let pages = inputs.pages;
    let title_cell =
        |i: usize| Cell { text: pages[i].title.clone(), class: None, url: Some(relative_url(url, &pages[i].url)) };
    let owner_cell = |i: usize| match &pages[i].owner {
        Some(o) => ctx.role_link(url, &o.value),
        None => Cell { text: ui["none"].to_string(), class: Some("status-missed"), url: None },
    };
    let date_cell = |i: usize| cell(pages[i].review_by.map(|d| d.to_string()).unwrap_or_default());
    let head: Vec<String> = [ui["page_title"], ui["owner"], ui["review_by"], ui["days"]].map(String::from).into();
    let overdue = review
        .overdue
        .iter()
        .map(|&(i, days)| {
            vec![
                title_cell(i),
                owner_cell(i),
                date_cell(i),
                Cell {
                    text: ui["overdue_days"].replace("{n}", &days.to_string()),
                    class: Some("status-missed"),
                    url: None,
                },
            ]
        })
        .collect();
    let soon = review
        .due_soon
        .iter()
        .map(|&(i, days)| {
            vec![
                title_cell(i),
                owner_cell(i),
                date_cell(i),
                Cell {
                    text: ui["days_left"].replace("{n}", &days.to_string()),
                    class: Some("status-warning"),
                    url: None,
                },
            ]
        })
        .collect();
    let list = |items: &[usize]| {
        items
            .iter()
            .map(|&i| Link { title: pages[i].title.clone(), url: relative_url(url, &pages[i].url) })
            .collect::<Vec<_>>()
    };
    let sections = vec![
        Section {
            id: "overdue".into(),
            heading: ui["review_overdue"].to_string(),
            table: Some(Table { caption: ui["review_overdue"].to_string(), head: head.clone(), rows: overdue }),
            ..Section::default()
        },
        Section {
            id: "due-soon".into(),
            heading: ui["review_due_soon"].to_string(),
            table: Some(Table { caption: ui["review_due_soon"].to_string(), head, rows: soon }),
            ..Section::default()
        },
        Section {
            id: "no-owner".into(),
            heading: ui["without_owner"].to_string(),
            intro: review.without_owner.is_empty().then(|| ui["none"].to_string()),
            links: list(&review.without_owner),
            ..Section::default()
        },
        Section {
            id: "unlinked".into(),
            heading: ui["unlinked_pages"].to_string(),
            intro: Some(ui["unlinked_intro"].to_string()),
            links: list(&review.unlinked),
            ..Section::default()
        },
    ];
    let report = Report { as_of: inputs.env.today.to_string(), sections, ..Report::default() };
    let crumbs = home_crumb(view, inputs, url);
    ctx.page(url, ui["governance"], Some(ui["governance_intro"]), &report, crumbs)
}
