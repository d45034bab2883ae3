//! What each report page should show, cell by cell, from the recomputed model:
//! `(page, table, row) → {column → text}`, with the display rules of the README.

use super::data::*;
use super::model::*;
use super::rational::Q;
use std::collections::{BTreeMap, BTreeSet};

pub type Cells = BTreeMap<String, String>;

#[derive(Default)]
pub struct Expected {
    /// (page, table, row) → (optional row, cells)
    pub rows: BTreeMap<(String, String, String), (bool, Cells)>,
    /// Tables whose rows are all listed: a page row not listed is a disagreement.
    pub tables: BTreeSet<(String, String)>,
}

impl Expected {
    fn row(&mut self, page: &str, table: &str, row: &str, optional: bool, cells: &[(&str, String)]) {
        self.tables.insert((page.to_string(), table.to_string()));
        let e =
            self.rows.entry((page.to_string(), table.to_string(), row.to_string())).or_insert((optional, Cells::new()));
        e.0 &= optional;
        e.1.extend(cells.iter().map(|(c, v)| (c.to_string(), v.clone())));
    }
}

pub fn unit_suffix(unit: &str) -> String {
    match unit {
        "" => String::new(),
        "%" | "‰" => unit.to_string(),
        u => format!(" {u}"),
    }
}

pub fn value_text(kpi: &Kpi, v: Q) -> String {
    format!("{}{}", v.fmt_dp(2), unit_suffix(&kpi.unit))
}

fn target_text(kpi: &Kpi, t: Q) -> String {
    format!("{} {}", if kpi.higher { "≥" } else { "≤" }, value_text(kpi, t))
}

fn status_text(s: Status) -> String {
    match s {
        Status::Met => "达标",
        Status::Warning => "预警",
        Status::Missed => "未达标",
    }
    .to_string()
}

fn signed(q: Q, dp: u32, suffix: &str) -> String {
    let s = q.fmt_dp(dp);
    if s == "0" {
        format!("±0{suffix}")
    } else if q.is_negative() {
        format!("{s}{suffix}")
    } else {
        format!("+{s}{suffix}")
    }
}

fn hours(q: Option<Q>) -> String {
    q.map_or("无数据".to_string(), |h| format!("{} h", h.fmt_dp(2)))
}

fn score_cells(s: &Score) -> Vec<(&'static str, String)> {
    vec![
        ("points", s.points.fmt_dp(1)),
        ("result", if s.pass { "合格" } else { "不合格" }.to_string()),
        ("rank", format!("{}/{}", s.rank, s.n)),
        ("top", if s.star { "★" } else { "" }.to_string()),
        ("streak", if s.streak > 0 { s.streak.to_string() } else { String::new() }),
        ("change", s.change.map_or(String::new(), |c| signed(c, 1, ""))),
    ]
}

/// Month, value, target, attainment and status of a subject's KPI.
fn kpi_row(m: &Model, kpi: &Kpi, subject: &str, month: Month) -> Option<Vec<(&'static str, String)>> {
    let v = m.value(subject, &kpi.id, month)?;
    let mut cells = vec![("value", value_text(kpi, v))];
    if let Some(t) = m.target(kpi, month) {
        cells.push(("target", target_text(kpi, t)));
        cells.push(("attainment", m.attainment(kpi, v, t).map_or(String::new(), |a| format!("{}%", a.fmt_dp(2)))));
        cells.push(("status", status_text(m.status(kpi, v, t))));
    }
    Some(cells)
}

pub fn page_of_month(m: &Model, month: Month) -> String {
    if month == m.latest {
        "reports/".to_string()
    } else {
        format!("reports/{}/", month_str(month))
    }
}

fn overview(e: &mut Expected, m: &Model, month: Month, page: &str) {
    let site = m.site;
    e.row(page, "meta", "统计月份", false, &[("value", month_str(month))]);
    e.row(page, "meta", "数据截至", false, &[("value", date_str(m.as_of_day(month)))]);
    for kpi in &site.kpis {
        let Some(v) = m.value("org", &kpi.id, month) else { continue };
        let mut cells = vec![("value", value_text(kpi, v))];
        if let Some(t) = m.target(kpi, month) {
            cells.push(("status", status_text(m.status(kpi, v, t))));
            cells.push(("target", target_text(kpi, t)));
        }
        if let Some(prev) = m.value("org", &kpi.id, month - 1) {
            cells.push(("change", signed(v - prev, 2, &unit_suffix(&kpi.unit))));
        }
        e.row(page, "tiles", &kpi.id, false, &cells);
    }
    e.tables.insert((page.to_string(), "alerts".to_string()));
    for card in &site.cards {
        let (people, teams) = m.subjects(card);
        let table = format!("card:{}", card.id);
        for p in people {
            if let Some(s) = m.score(&card.id, &p.id, month) {
                e.row(page, &table, &p.id, false, &score_cells(&s));
                if s.streak >= card.fail_streak {
                    e.row(
                        page,
                        "alerts",
                        &format!("streak {} / {}", card.name, p.id),
                        false,
                        &[("months", s.streak.to_string()), ("name", p.name.clone())],
                    );
                }
            }
        }
        for t in teams.iter().filter(|_| m.rules.team_streak_alerts) {
            if let Some(s) = m.score(&card.id, &t.id, month).filter(|s| s.streak >= card.fail_streak) {
                e.row(
                    page,
                    "alerts",
                    &format!("streak {} / {}", card.name, t.id),
                    false,
                    &[("months", s.streak.to_string()), ("name", t.name.clone())],
                );
            }
        }
    }
    let day = m.as_of_day(month);
    for a in &site.actions {
        if let Some(d) = m.overdue(a, day) {
            let owner = site.role_titles.get(&a.owner).cloned().unwrap_or_default();
            e.row(page, "alerts", &format!("overdue {}", a.title), false, &[("days", d.to_string()), ("owner", owner)]);
        }
    }
    for ty in &site.types {
        let st = m.complaint_stats(ty, month);
        if let Some(share) = st.share.filter(|s| *s < ty.goal) {
            let cells = [("share", share.fmt_dp(2)), ("goal", ty.goal.fmt_dp(2))];
            e.row(page, "alerts", &format!("share {}", ty.name), false, &cells);
        }
    }
    if month == m.latest || m.rules.open_alert_past {
        let t = m.as_of(month);
        let open = m.complaints().filter(|c| m.open_past_limit(c, t).is_some()).count();
        if open > 0 {
            e.row(page, "alerts", "open past limit", false, &[("count", open.to_string())]);
        }
    }
}

fn score_tables(e: &mut Expected, m: &Model, page: &str, subject: &str, cards: &[&Card]) {
    for card in cards {
        for month in m.months() {
            if let Some(s) = m.score(&card.id, subject, month) {
                e.row(page, &format!("card:{}", card.id), &month_str(month), false, &score_cells(&s));
            }
        }
    }
}

fn person(e: &mut Expected, m: &Model, p: &Person) {
    let page = format!("reports/people/{}/", p.id);
    let cards: Vec<&Card> = m.site.cards.iter().filter(|c| c.roles.contains(&p.role)).collect();
    score_tables(e, m, &page, &p.id, &cards);
    let kpis: Vec<&Kpi> =
        m.site.kpis.iter().filter(|k| m.window().any(|mo| m.value(&p.id, &k.id, mo).is_some())).collect();
    for month in m.window() {
        let cells: Vec<(&str, String)> = kpis
            .iter()
            .map(|k| (k.id.as_str(), m.value(&p.id, &k.id, month).map_or("无数据".to_string(), |v| value_text(k, v))))
            .collect();
        let empty = kpis.iter().all(|k| m.value(&p.id, &k.id, month).is_none());
        e.row(&page, "kpis", &month_str(month), empty || month < m.first, &cells);
    }
}

fn team(e: &mut Expected, m: &Model, t: &Team) {
    let page = format!("reports/teams/{}/", t.id);
    let cards: Vec<&Card> = m.site.cards.iter().filter(|c| t.roles.iter().any(|r| c.roles.contains(r))).collect();
    score_tables(e, m, &page, &t.id, &cards);
    for kpi in &m.site.kpis {
        for month in m.window() {
            match kpi_row(m, kpi, &t.id, month) {
                Some(cells) => e.row(&page, &format!("kpi:{}", kpi.id), &month_str(month), false, &cells),
                None => {
                    e.row(&page, &format!("kpi:{}", kpi.id), &month_str(month), true, &[("value", "无数据".into())])
                }
            }
        }
    }
}

fn kpi_page(e: &mut Expected, m: &Model, kpi: &Kpi) {
    let page = format!("reports/kpis/{}/", kpi.id);
    for month in m.window() {
        match kpi_row(m, kpi, "org", month) {
            Some(cells) => e.row(&page, "org", &month_str(month), false, &cells),
            None => e.row(&page, "org", &month_str(month), true, &[("value", "无数据".into())]),
        }
    }
    for t in &m.site.teams {
        let any = m.window().any(|mo| m.value(&t.id, &kpi.id, mo).is_some());
        let cells: Vec<(String, String)> = m
            .window()
            .filter(|mo| *mo >= m.first)
            .map(|mo| (month_str(mo), m.value(&t.id, &kpi.id, mo).map_or("无数据".to_string(), |v| value_text(kpi, v))))
            .collect();
        let cells: Vec<(&str, String)> = cells.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
        e.row(&page, "teams", &t.id, !any, &cells);
    }
}

/// The public performance page: public KPIs, organisation-wide, 12 months.
fn performance(e: &mut Expected, m: &Model) {
    for kpi in m.site.kpis.iter().filter(|k| k.public) {
        for month in m.window() {
            let table = format!("kpi:{}", kpi.id);
            match kpi_row(m, kpi, "org", month) {
                Some(cells) => e.row("public/performance/", &table, &month_str(month), false, &cells),
                None => e.row("public/performance/", &table, &month_str(month), true, &[("value", "无数据".into())]),
            }
        }
    }
}

/// Rows left out or still open because of the build date are warned about, at the
/// first such row of each file.
fn warnings(e: &mut Expected, m: &Model) {
    if !m.rules.build_date_cutoff {
        return;
    }
    let t = m.end_of_build();
    let mut warn = |file: &str, line: Option<usize>| {
        if let Some(line) = line {
            e.row("(build)", "warnings", &format!("{file}:{line}"), false, &[("severity", "warning".into())]);
        }
    };
    let all = &m.site.complaints;
    warn("data/complaints.csv", all.iter().filter(|c| c.received >= t).map(|c| c.line).min());
    let late = all.iter().filter(|c| c.received < t && c.resolved.is_some_and(|r| r >= t)).map(|c| c.line).min();
    warn("data/complaints.csv", late);
    warn("data/surveys.csv", m.site.surveys.iter().filter(|s| s.day > m.build).map(|s| s.line).min());
    let build_month = month_of_day(m.build);
    let mut files: BTreeMap<&str, usize> = BTreeMap::new();
    for (file, line, _) in m.site.metric_rows.iter().filter(|r| r.2 > build_month) {
        let first = files.entry(file.as_str()).or_insert(*line);
        *first = (*first).min(*line);
    }
    for (file, line) in files {
        warn(file, Some(line));
    }
    // Only the warnings listed are required; the build may warn about more.
    e.tables.remove(&("(build)".to_string(), "warnings".to_string()));
}

fn complaints(e: &mut Expected, m: &Model) {
    let page = "reports/complaints/";
    for ty in &m.site.types {
        for month in m.window() {
            let st = m.complaint_stats(ty, month);
            let cells = [
                ("received", st.received.to_string()),
                ("decided", st.decided.to_string()),
                ("within", st.within.to_string()),
                ("share", st.share.map_or("无数据".to_string(), |s| format!("{}%", s.fmt_dp(2)))),
                ("median", hours(st.median)),
                ("p90", hours(st.p90)),
            ];
            e.row(page, &format!("ctype:{}", ty.id), &month_str(month), st.received == 0, &cells);
        }
    }
    let t = m.end_of_build();
    e.tables.insert((page.to_string(), "open".to_string()));
    for c in m.complaints() {
        let Some(open) = m.open_past_limit(c, t) else { continue };
        let team = m.site.teams.iter().find(|x| x.id == c.team).map_or(c.team.clone(), |x| x.name.clone());
        let ty = m.site.types.iter().find(|x| x.id == c.ctype).unwrap();
        let cells = [
            ("type", ty.name.clone()),
            ("channel", c.channel.clone()),
            ("team", team),
            ("received", date_str(c.received.div_euclid(86_400))),
            ("open", hours(Some(open))),
            ("over", hours(Some(open - m.limit(c)))),
        ];
        e.row(page, "open", &c.id, false, &cells);
    }
}

fn nps_cells(n: &Nps) -> Vec<(&'static str, String)> {
    vec![
        ("promoters", n.promoters.to_string()),
        ("passives", n.passives.to_string()),
        ("detractors", n.detractors.to_string()),
        ("n", n.n().to_string()),
        ("nps", n.value().map_or("无数据".to_string(), |v| v.fmt_dp(1))),
    ]
}

fn nps(e: &mut Expected, m: &Model) {
    let page = "reports/nps/";
    for month in m.window() {
        let n = m.nps.get(&(None, month)).copied().unwrap_or_default();
        e.row(page, "nps-org", &month_str(month), n.n() == 0, &nps_cells(&n));
    }
    for t in &m.site.teams {
        let key = |mo| (Some(t.id.clone()), mo);
        let n = m.nps.get(&key(m.latest)).copied().unwrap_or_default();
        e.row(page, "nps-teams", &t.id, n.n() == 0, &nps_cells(&n));
        let any = m.window().any(|mo| m.nps.contains_key(&key(mo)));
        let cells: Vec<(String, String)> = m
            .window()
            .filter(|mo| *mo >= m.first)
            .map(|mo| {
                let n = m.nps.get(&key(mo)).copied().unwrap_or_default();
                (month_str(mo), n.value().map_or("无数据".to_string(), |v| format!("{} (n={})", v.fmt_dp(1), n.n())))
            })
            .collect();
        let cells: Vec<(&str, String)> = cells.iter().map(|(a, b)| (a.as_str(), b.clone())).collect();
        e.row(page, "nps-trend", &t.id, !any, &cells);
    }
}

fn actions(e: &mut Expected, m: &Model) {
    let page = "reports/actions/";
    for a in &m.site.actions {
        let dept = m.site.depts.iter().find(|d| d.0 == a.dept).map_or(a.dept.clone(), |d| d.1.clone());
        let status = match a.status.as_str() {
            "planned" => "未开始",
            "in_progress" => "进行中",
            "done" => "已完成",
            s => s,
        };
        let cells = [
            ("owner", m.site.role_titles.get(&a.owner).cloned().unwrap_or_default()),
            ("department", dept),
            ("due", date_str(a.due)),
            ("status", status.to_string()),
            ("done", a.done_on.map(date_str).unwrap_or_default()),
            ("overdue", m.overdue(a, m.build).map_or(String::new(), |d| format!("逾期 {d} 天"))),
        ];
        e.row(page, "actions", &a.title, false, &cells);
    }
}

/// Every figure of every report page.
pub fn expected(m: &Model) -> Expected {
    super::rational::with_ties_toward_zero(!m.rules.decimal_rounding, || all(m))
}

fn all(m: &Model) -> Expected {
    let mut e = Expected::default();
    for month in m.months() {
        overview(&mut e, m, month, &page_of_month(m, month));
    }
    overview(&mut e, m, m.latest, &format!("reports/{}/", month_str(m.latest)));
    for p in &m.site.people {
        person(&mut e, m, p);
    }
    for t in &m.site.teams {
        team(&mut e, m, t);
    }
    for k in &m.site.kpis {
        kpi_page(&mut e, m, k);
    }
    performance(&mut e, m);
    complaints(&mut e, m);
    nps(&mut e, m);
    actions(&mut e, m);
    warnings(&mut e, m);
    e
}
