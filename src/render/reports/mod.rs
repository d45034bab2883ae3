//! Report pages: the internal `reports/` tree (monthly overview and archive, a page per
//! team, person and KPI, complaints, NPS, actions), the internal `governance/` page and
//! the public `performance/` page.
//!
//! Turns the results of the compute stage ([`Computed`]) into page contexts — tiles,
//! alerts, and sections that pair each chart with a table of the same numbers — and
//! renders them through the theme's `report.html`. The public page is built from
//! organisation-wide values of public KPIs only. Produces files in memory; never writes.
//!
//! This module holds what every report page shares (the context `report.html` reads,
//! `Ctx`, the page frame) and [`internal`], which lists the pages of `reports/`; each
//! family of pages has its own file, and `format` the small pieces they all use.

mod actions;
mod complaints;
mod csv;
mod format;
mod governance;
mod kpis;
mod nps;
mod overview;
mod public;
mod scores;
mod subjects;
#[cfg(test)]
mod work_tests;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::{OutputFile, Sink};
use crate::base::text_safety::{self, Part};
use crate::load::audience::Family;
use crate::load::content::Page;
use crate::load::data::{Data, Kpi, Person, Team};
use crate::load::measure::{Measurements, SubjectKind};
use crate::markdown::links::relative_url;
use crate::render::charts::Charts;
use crate::render::words::Say;
use crate::render::{generated_context, home_crumb, Inputs, Link, View};

// `Computed` belongs to the compute stage; named here too for `build`'s paths.
pub(crate) use crate::compute::computed::Computed;
pub(crate) use governance::governance_page;
pub(crate) use public::{public_kpis, public_performance};

// The context `report.html` reads: a `Report` of tiles, alerts and sections, each
// section a heading with an optional figure (chart and legend), table and links.

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
    /// Names listed without a link (people named where their page is not published).
    names: Vec<String>,
    /// CSV lines of rows after the table's, in its CSV only: a list too long to read on
    /// a page (the complaints open past their limit, at a warehouse's scale) shows its head.
    #[serde(skip)]
    csv_more: String,
}

#[derive(Serialize)]
struct Tile {
    name: String,
    /// The KPI's report page, where this site publishes it.
    url: Option<String>,
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

use crate::base::i18n::Ui;

/// The fewest members a team has for its figures to show in a site without people's
/// figures (two members each know their own figures, and so each other's).
pub(crate) const SMALL_TEAM: usize = 3;

/// What the pages of `reports/` are built from.
struct Ctx<'a> {
    view: &'a View<'a>,
    inputs: &'a Inputs<'a>,
    data: &'a Data,
    m: &'a Measurements,
    c: &'a Computed,
    ui: &'a Ui,
    /// The service data's words in the view's language.
    say: Say,
    /// Page id → the first page with that id (role pages named by people and actions).
    by_id: rustc_hash::FxHashMap<&'a str, &'a Page>,
    /// Whether the pages' charts are drawn.
    charts: Charts,
}

impl Ctx<'_> {
    /// What this site's KPI trend sections are made from.
    fn trends(&self) -> kpis::Trends<'_> {
        kpis::Trends { ui: self.ui, say: self.say, c: self.c, charts: self.charts }
    }
    // People, teams and score rows are looked up in the indexes of `Computed::lookup`,
    // never by walking the organisation or every score row: the pages are one per
    // person, so a walk per page would grow with the square of the headcount.
    fn person_name(&self, id: &str) -> String {
        self.c.lookup.person(self.data, id).map_or_else(|| id.to_string(), |p| p.name.clone())
    }
    fn team_name(&self, id: &str) -> String {
        self.c.lookup.team(self.data, id).map_or_else(|| id.to_string(), |t| self.say.team(t).to_string())
    }
    /// Whether this site publishes the report pages of `family`.
    fn shows(&self, family: Family) -> bool {
        self.inputs.config.reports.shown(family, self.view.audience)
    }
    /// Whether this site shows the figures of team `id`: always where people's figures
    /// are published; elsewhere only for a team of at least [`SMALL_TEAM`] people, as a
    /// smaller team's figures are its members' own.
    fn team_figures(&self, id: &str) -> bool {
        self.shows(Family::People) || self.c.lookup.member_count(id) >= SMALL_TEAM
    }
    /// A person's or team's report page, where this site publishes it.
    fn subject_url(&self, kind: SubjectKind, id: &str) -> Option<String> {
        match kind {
            SubjectKind::Person => self.shows(Family::People).then(|| format!("reports/people/{id}/")),
            SubjectKind::Team => self.shows(Family::Teams).then(|| format!("reports/teams/{id}/")),
        }
    }
    fn role_link(&self, from: &str, role: &str) -> Cell {
        page_link(self.by_id.get(role).copied(), from, role)
    }
    /// The title of the page with id `id`, else the id itself.
    fn page_title(&self, id: &str) -> String {
        self.by_id.get(id).map_or_else(|| id.to_string(), |p| p.title.clone())
    }

    /// Renders one report page at `url` (see [`render`]).
    fn page(
        &self,
        url: &str,
        title: &str,
        summary: Option<&str>,
        report: &Report,
        crumbs: Vec<Link>,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        render(self.view, self.inputs, url, PageHead { title, summary, crumbs }, report)
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
    ) -> Result<Vec<OutputFile>, Diagnostics> {
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
        c.push(Link { title: self.ui.reports.to_string(), url: relative_url(url, "reports/") });
        c
    }
}

/// A report page's heading: its title, the line under it and its breadcrumbs.
struct PageHead<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    crumbs: Vec<Link>,
}

/// Renders one report page at `url` through the theme's `report.html`, and beside it
/// each section's table as `SECTION-ID.csv` (the page links it as `{{ s.id }}.csv`).
/// The files go to the page's own site: a CSV is as public as the page it sits on.
fn render(
    view: &View,
    inputs: &Inputs,
    url: &str,
    head: PageHead,
    report: &Report,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let PageHead { title, summary, crumbs } = head;
    let mut ctx = generated_context(view, inputs, url, title, summary, &crumbs);
    ctx.insert("report", report);
    let html = inputs.theme.render("report.html", &ctx)?;
    let folder = format!("{}/{}{url}", view.audience.as_str(), view.prefix);
    let mut files = vec![OutputFile { path: format!("{folder}index.html"), bytes: html }];
    for s in &report.sections {
        if let Some(table) = &s.table {
            let bytes = csv::table_csv(table, &s.csv_more).into();
            files.push(OutputFile { path: format!("{folder}{}.csv", s.id), bytes });
        }
    }
    Ok(files)
}

/// A cell naming role `role`, linked to its page from `from` when there is one.
fn role_link(pages: &[Page], from: &str, role: &str) -> Cell {
    page_link(pages.iter().find(|p| p.id.value == role), from, role)
}

/// A cell naming role `role`, linked to `page` (its page, if it has one) from `from`.
fn page_link(page: Option<&Page>, from: &str, role: &str) -> Cell {
    Cell {
        text: page.map_or_else(|| role.to_string(), |p| p.title.clone()),
        class: None,
        url: page.map(|p| relative_url(from, &p.url)),
    }
}

/// Report pages rendered per task: each batch goes to the sink, and is dropped, as a
/// whole (a page per person must not mean every person's page held in memory).
const BATCH: usize = 32;

/// Every report page of the site behind sign-in `view` is for: the families
/// `reports:` publishes to its tier or one below it. Pages render in parallel and go
/// to `sink` in batches as they are done; diagnostics come back in page order.
/// `charts` says whether their charts are drawn (see [`Charts`]).
pub(crate) fn internal(
    view: &View,
    inputs: &Inputs,
    measured: (&Data, &Measurements, &Computed),
    (sink, charts): (&dyn Sink, Charts),
) -> Result<(), Diagnostics> {
    let (data, m, c) = measured;
    let Some(latest) = c.latest() else { return Ok(()) };
    let mut by_id = rustc_hash::FxHashMap::default();
    for p in inputs.pages {
        by_id.entry(p.id.value.as_str()).or_insert(p);
    }
    let ctx = Ctx { view, inputs, data, m, c, ui: inputs.env.ui, say: Say(inputs.env.language), by_id, charts };
    enum Job<'a> {
        Index,
        Month(YearMonth),
        Team(&'a Team),
        Person(&'a Person),
        Kpi(&'a Kpi),
        Complaints,
        Nps,
        Actions,
        Archive,
    }
    if !ctx.shows(Family::Overview) {
        return Ok(());
    }
    let mut jobs = vec![Job::Index, Job::Archive];
    jobs.extend(c.periods.iter().map(|p| Job::Month(*p)));
    if ctx.shows(Family::Teams) {
        jobs.extend(data.org.teams.iter().map(Job::Team));
    }
    if ctx.shows(Family::People) {
        jobs.extend(data.org.people.iter().map(Job::Person));
    }
    if ctx.shows(Family::Kpis) {
        // Series are keyed (KPI, subject): a KPI has one when the first key from
        // (KPI, "") on is its own.
        let measured =
            |k: &Kpi| c.series.range((k.id.clone(), String::new())..).next().is_some_and(|((id, _), _)| *id == k.id);
        jobs.extend(data.kpis.values().filter(|k| measured(k)).map(Job::Kpi));
    }
    if m.has_complaints() && ctx.shows(Family::Complaints) {
        jobs.push(Job::Complaints);
    }
    if m.has_surveys() && ctx.shows(Family::Nps) {
        jobs.push(Job::Nps);
    }
    if !m.actions.is_empty() && ctx.shows(Family::Actions) {
        jobs.push(Job::Actions);
    }
    let ui = ctx.ui;
    let page = |job: &Job| match job {
        Job::Index => {
            let url = "reports/";
            ctx.page(url, ui.reports, Some(ui.reports_intro), &ctx.overview(latest, url), home_crumb(view, inputs, url))
        }
        Job::Month(p) => {
            let url = format!("reports/{p}/");
            ctx.page(&url, &format!("{} · {p}", ui.overview), None, &ctx.overview(*p, &url), ctx.crumbs(&url))
        }
        Job::Team(t) => ctx.team_page(t),
        Job::Person(p) => ctx.person_page(p),
        Job::Kpi(k) => ctx.kpi_page(k),
        Job::Complaints => ctx.complaints_page(),
        Job::Nps => ctx.nps_page(),
        Job::Actions => ctx.actions_page(),
        Job::Archive => ctx.archive_page(),
    };
    // Pages per person and team go in batches; the others (an overview holds a row per
    // person) each alone, so no batch holds several of them at once.
    let alone = |j: &Job| !matches!(j, Job::Team(_) | Job::Person(_));
    let batches: Vec<&[Job]> =
        jobs.chunk_by(|a, b| !alone(a) && !alone(b)).flat_map(|group| group.chunks(BATCH)).collect();
    let found: Vec<Diagnostics> = batches
        .par_iter()
        .map(|batch| {
            let (mut files, mut diags) = (Vec::new(), Diagnostics::new());
            for job in batch.iter() {
                match page(job) {
                    Ok(f) => files.extend(f),
                    Err(d) => diags.extend(d),
                }
            }
            sink.put(files);
            diags
        })
        .collect();
    let mut diags = Diagnostics::new();
    found.into_iter().for_each(|d| diags.extend(d));
    if diags.is_empty() {
        Ok(())
    } else {
        Err(diags)
    }
}
