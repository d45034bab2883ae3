//! The monthly overview (`reports/` and `reports/YYYY-MM/`): KPI tiles, alerts,
//! scorecard rankings and links to every report page; and the archive of months.

use crate::base::date::YearMonth;
use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::compute::kpi::target_in_force;
use crate::compute::report::{self, ComplaintCell, ScoreRow};
use crate::load::audience::Family;
use crate::load::data::round_half_away;
use crate::load::measure::{SubjectKind, ORG};
use crate::markdown::links::relative_url;
use crate::render::charts::{Label, Spark};
use crate::render::Link;

use super::format::{fmt_change, fmt_value, iso, last_12, status_key, value_status_label};
use super::scores::top_share_note;
use super::{Alert, Ctx, Report, Section, Table, Tile};

impl Ctx<'_> {
    /// Links from the overview to every report page.
    fn index_links(&self, from: &str) -> Vec<Link> {
        let mut links = Vec::new();
        let mut add =
            |title: &str, to: &str| links.push(Link { title: title.to_string(), url: relative_url(from, to) });
        if self.m.has_complaints() && self.shows(Family::Complaints) {
            add(self.ui.complaints, "reports/complaints/");
        }
        if self.m.has_surveys() && self.shows(Family::Nps) {
            add(self.ui.nps, "reports/nps/");
        }
        if !self.m.actions.is_empty() && self.shows(Family::Actions) {
            add(self.ui.actions, "reports/actions/");
        }
        add(self.ui.archive, "reports/archive/");
        links
    }

    /// The monthly overview of `period`: KPI tiles, alerts, scorecard rankings and
    /// links to the detail pages.
    pub(super) fn overview(&self, period: YearMonth, url: &str) -> Report {
        let (ui, say) = (self.ui, self.say);
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
            let value = v.map_or_else(|| ui.no_data.to_string(), |v| say.value(kpi, v));
            let desc = ui.chart_spark_desc.replace("{name}", &iso(say.kpi(kpi))).replace("{last}", &value);
            let spark = self.charts.sparkline(
                &Spark { values: &values, targets: &targets, last_status: s, scale: kpi.scale },
                &Label { id: &format!("spark-{}", kpi.id), title: say.kpi(kpi), desc: &desc },
            );
            tiles.push(Tile {
                name: say.kpi(kpi).to_string(),
                url: self.shows(Family::Kpis).then(|| relative_url(url, &format!("reports/kpis/{}/", kpi.id))),
                value,
                target: target_in_force(kpi, period).map_or_else(|| ui.no_target.to_string(), |t| say.target(kpi, t)),
                status: status_key(s),
                status_label: value_status_label(ui, v, s),
                // The unit as it reads after the change's size: `+2 hours`, `−1 point`.
                change: v
                    .zip(prev)
                    .map(|(a, b)| fmt_change(a - b, kpi.unit_after(say.0, round_half_away(a - b, 2).abs()))),
                spark,
            });
        }
        let mut alerts = Vec::new();
        // Failing streaks of people and of teams alike, each where its family's
        // figures are published: a person's status is theirs and their managers'.
        let family = |kind| if kind == SubjectKind::Team { Family::Teams } else { Family::People };
        let shown = |r: &&ScoreRow| {
            self.shows(family(r.kind)) && (r.kind != SubjectKind::Team || self.team_figures(&r.subject))
        };
        let month = self.c.period_scores(period);
        for r in month.iter().copied().filter(shown) {
            let card = &self.data.scorecards[r.scorecard];
            if r.streak >= card.fail_streak {
                let (name, key) = match r.kind {
                    SubjectKind::Team => (self.team_name(&r.subject), ui.alert_team_streak),
                    _ => (self.person_name(&r.subject), ui.alert_streak),
                };
                alerts.push(Alert::new(
                    key,
                    &[("name", &name, true), ("card", say.scorecard(card), true), ("n", &r.streak.to_string(), false)],
                    self.subject_url(r.kind, &r.subject).map(|u| relative_url(url, &u)),
                    "missed",
                ));
            }
        }
        for a in self.m.actions.iter().filter(|_| self.shows(Family::Actions)) {
            if let Some(days) = report::action_overdue(a.due, a.done_on, as_of) {
                let owner = self.page_title(&a.owner);
                alerts.push(Alert::new(
                    ui.alert_action,
                    &[("title", say.action(a), true), ("n", &days.to_string(), false), ("owner", &owner, true)],
                    Some(relative_url(url, "reports/actions/")),
                    "warning",
                ));
            }
        }
        for (ti, t) in self.m.complaint_types.iter().enumerate().filter(|_| self.shows(Family::Complaints)) {
            if let Some(share) = self.c.complaints.get(&(ti, period)).and_then(ComplaintCell::share) {
                if share + 1e-9 < t.goal {
                    let (share, goal) = (fmt_value(share, "%"), fmt_value(t.goal, "%"));
                    alerts.push(Alert::new(
                        ui.alert_complaints,
                        &[("type", say.complaint_type(t), true), ("share", &share, false), ("goal", &goal, false)],
                        Some(relative_url(url, "reports/complaints/")),
                        "missed",
                    ));
                }
            }
        }
        let open = self.c.open_past_limit(period);
        if open > 0 && self.shows(Family::Complaints) {
            alerts.push(Alert::new(
                ui.alert_open,
                &[("n", &open.to_string(), false)],
                Some(relative_url(url, "reports/complaints/")),
                "missed",
            ));
        }
        let mut sections = Vec::new();
        // The rankings name each person's score, rank and status.
        for (ci, card) in self.data.scorecards.iter().enumerate().filter(|_| self.shows(Family::People)) {
            let ranked: Vec<&ScoreRow> =
                month.iter().filter(|r| r.scorecard == ci && r.kind == SubjectKind::Person).copied().collect();
            if ranked.is_empty() {
                continue;
            }
            let rows = ranked.iter().map(|r| self.score_row(url, r, true)).collect();
            sections.push(Section {
                id: format!("card-{}", card.id),
                heading: say.scorecard(card).to_string(),
                intro: top_share_note(ui, card, &ranked),
                table: Some(Table {
                    caption: format!("{} · {period}", iso(say.scorecard(card))),
                    head: self.score_head(true),
                    rows,
                }),
                ..Section::default()
            });
        }
        let subject_links = |kind: &str, list: Vec<(String, String)>| Section {
            id: format!("list-{kind}"),
            heading: match kind {
                "teams" => ui.teams,
                "people" => ui.people,
                _ => ui.kpis,
            }
            .to_string(),
            links: list
                .into_iter()
                .map(|(id, name)| Link { title: name, url: relative_url(url, &format!("reports/{kind}/{id}/")) })
                .collect(),
            ..Section::default()
        };
        if self.shows(Family::Teams) {
            let teams = self.data.org.teams.iter().map(|t| (t.id.clone(), say.team(t).to_string())).collect();
            sections.push(subject_links("teams", teams));
        }
        if self.shows(Family::People) {
            let people = self.data.org.people.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
            sections.push(subject_links("people", people));
        }
        if self.shows(Family::Kpis) {
            sections.push(subject_links(
                "kpis",
                self.data
                    .kpis
                    .values()
                    .filter(|k| self.c.has(&k.id, ORG))
                    .map(|k| (k.id.clone(), say.kpi(k).to_string()))
                    .collect(),
            ));
        }
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

    pub(super) fn archive_page(&self) -> Result<Vec<OutputFile>, Diagnostics> {
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
            vec![Section { id: "months".into(), heading: ui.archive.to_string(), links, ..Section::default() }];
        self.detail(url, ui.archive, Some(ui.archive_intro), None, sections)
    }
}
