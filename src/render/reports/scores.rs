//! Scorecard results as reports show them: rankings (with the top share explained),
//! score rows, and a subject's score trend with its month-by-month table.

use std::collections::BTreeMap;

use crate::base::date::YearMonth;
use crate::compute::kpi::Status;
use crate::compute::report::{self, ScoreRow};
use crate::load::data::{format_number, round_half_away, Direction, Scorecard, TopTies};
use crate::load::measure::SubjectKind;
use crate::markdown::links::relative_url;
use crate::render::charts::{Label, Trend};

use super::format::{fmt_change, iso, last_12, trend_desc, trend_legend};
use super::{cell, Cell, Ctx, Figure, Section, Table, Ui};

/// How many places the top share has this month, and — when a tie at its edge is
/// left out (`top_ties: exclude`) — who tied for what, so no missing ★ goes unexplained.
pub(super) fn top_share_note(ui: &Ui, card: &Scorecard, ranked: &[&ScoreRow]) -> Option<String> {
    if card.top_percent <= 0.0 {
        return None;
    }
    let n = ranked.len();
    let places = report::top_count(n, card.top_percent);
    let mut note = ui
        .top_places
        .replace("{places}", &places.to_string())
        .replace("{percent}", &format_number(card.top_percent))
        .replace("{n}", &n.to_string());
    // The first tie group that does not fit, if its members got no star.
    let mut by_rank: BTreeMap<usize, usize> = BTreeMap::new();
    for r in ranked {
        *by_rank.entry(r.rank).or_default() += 1;
    }
    let left_out = by_rank.iter().find(|(rank, tied)| **rank <= places && **rank + **tied - 1 > places);
    if let (Some((rank, tied)), TopTies::Exclude) = (left_out, card.top_ties) {
        note.push_str(&ui.top_tie_out.replace("{k}", &tied.to_string()).replace("{rank}", &rank.to_string()));
    }
    Some(note)
}

impl Ctx<'_> {
    pub(super) fn score_head(&self, with_subject: bool) -> Vec<String> {
        let ui = self.ui;
        let mut h = Vec::new();
        if with_subject {
            h.push(ui.person.to_string());
        } else {
            h.push(ui.month.to_string());
        }
        h.extend([ui.score, ui.pass, ui.rank, ui.top_flag, ui.streak, ui.change].map(String::from));
        h
    }

    pub(super) fn score_row(&self, url: &str, r: &ScoreRow, with_subject: bool) -> Vec<Cell> {
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
                text: if r.pass { ui.yes } else { ui.no }.to_string(),
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
    pub(super) fn score_sections(&self, url: &str, subject: &str) -> Vec<Section> {
        let (ui, say) = (self.ui, self.say);
        let Some(latest) = self.c.latest() else { return Vec::new() };
        let months = last_12(latest);
        let mut out = Vec::new();
        for (ci, card) in self.data.scorecards.iter().enumerate() {
            let rows = self.c.subject_scores(ci, subject);
            if rows.is_empty() {
                continue;
            }
            let by_month: BTreeMap<YearMonth, f64> = rows.iter().rev().map(|r| (r.period, r.points)).collect();
            let values: Vec<Option<f64>> = months.iter().map(|m| by_month.get(m).copied()).collect();
            let targets = vec![Some(card.pass_mark); months.len()];
            let statuses: Vec<Option<Status>> = values
                .iter()
                .map(|v| v.map(|v| if v + 1e-9 >= card.pass_mark { Status::Met } else { Status::Missed }))
                .collect();
            let name = iso(say.scorecard(card));
            let heading = format!("{name} · {}", ui.score_trend);
            let desc = trend_desc(ui, &name, &months, &values, |v| format_number(round_half_away(v, 1)));
            let svg = self.charts.trend(
                &Trend {
                    months: &months,
                    values: &values,
                    targets: &targets,
                    statuses: &statuses,
                    warning: 0.0,
                    direction: Direction::Higher,
                    scale: (0.0, 100.0),
                },
                &Label { id: &format!("score-{}", card.id), title: &heading, desc: &desc },
            );
            out.push(Section {
                id: format!("score-{}", card.id),
                heading,
                figure: Some(Figure { svg, legend: trend_legend(ui, false) }),
                table: Some(Table {
                    caption: say.scorecard(card).to_string(),
                    head: self.score_head(false),
                    rows: rows.iter().rev().map(|r| self.score_row(url, r, false)).collect(),
                }),
                ..Section::default()
            });
        }
        out
    }
}
