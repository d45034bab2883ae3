//! Generates the example site's measurements: 18 months of KPI values for every person,
//! about 2,000 complaint records, about 3,000 survey responses and the improvement
//! actions, from a fixed seed so that the committed files can be regenerated exactly.
//!
//! Run from the repository root: `cargo run --example gen-data`. It reads the
//! organisation and parameters from `data/` through the library and writes
//! `data/metrics/monthly.csv`, `data/complaints.csv`, `data/surveys.csv`,
//! `data/complaint_types.yaml` and `data/actions.yaml`.
//!
//! Scenarios built in, so that the reports have something to show:
//! - 马俊 (p12) fails the specialist scorecard three months in a row (2026-08 to 2026-10);
//! - the satisfaction target rises from 4.0 to 4.2 in 2026-01 (that is in kpis.yaml);
//! - product-quality complaints often miss their 48-hour limit;
//! - one improvement action is overdue; some complaints are still open past their limit.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use charter::base::date::{Date, YearMonth};
use charter::base::diagnostics::Diagnostics;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const FIRST: &str = "2025-05";
const MONTHS: i32 = 18;
const STRUGGLING: &str = "p12";

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

fn main() {
    let root = Path::new(".");
    let mut diags = Diagnostics::new();
    let config = charter::load::config::load(root, &mut diags);
    let content = charter::load::content::load_site(root, &config, &mut diags);
    let roles: BTreeSet<String> = content.role_ids();
    // Parameters as in force on the day the CRM export was taken.
    let as_of = Date::parse("2026-11-20").unwrap();
    let data = charter::load::data::load(root, &roles, as_of, &mut diags);
    if diags.has_errors() {
        eprintln!("the site's data has errors; run `charter check` first");
        std::process::exit(1);
    }
    let mut rng = Rng(20_261_123);
    let first = YearMonth::parse(FIRST).unwrap();
    let months: Vec<YearMonth> = (0..MONTHS).map(|i| first.plus(i)).collect();

    // ── KPI values per person and month ─────────────────────────────────────────
    let mut csv = String::from("period,subject,kpi,value\n");
    for person in &data.org.people {
        let role = person.role.value.as_str();
        let kpis: &[&str] = match role {
            "service-specialist" => &[
                "satisfaction",
                "response_hours",
                "resolution_rate",
                "handling_minutes",
                "service_attitude",
                "first_response_minutes",
                "on_time_resolution_rate",
                "error_rate",
                "peer_review",
            ],
            "tech-support-specialist" | "after-sales-specialist" => {
                &["satisfaction", "response_hours", "resolution_rate", "handling_minutes", "service_attitude"]
            }
            "service-supervisor" => &["satisfaction", "response_hours", "resolution_rate"],
            _ => &[],
        };
        let skill = rng.normal() * 0.6; // a person's steady strength, in standard deviations
        for (i, month) in months.iter().enumerate() {
            let progress = i as f64 / MONTHS as f64; // slow improvement over the period
            let slump = person.id == STRUGGLING && *month >= YearMonth::parse("2026-08").unwrap();
            let bad = if slump { 1.0 } else { 0.0 };
            for kpi in kpis {
                let n = rng.normal();
                let v = match *kpi {
                    "satisfaction" => (4.12 + 0.18 * progress + 0.12 * skill + 0.1 * n - 0.9 * bad).clamp(1.0, 5.0),
                    "response_hours" => (20.0 - 4.0 * progress - 2.5 * skill + 3.0 * n + 16.0 * bad).clamp(0.5, 72.0),
                    "resolution_rate" => (90.5 + 2.0 * progress + 1.8 * skill + 1.5 * n - 12.0 * bad).clamp(0.0, 100.0),
                    "handling_minutes" => (5.0 - 0.6 * progress - 0.5 * skill + 0.5 * n + 3.0 * bad).clamp(0.5, 30.0),
                    "service_attitude" => {
                        (91.0 + 2.0 * progress + 2.0 * skill + 1.8 * n - 10.0 * bad).clamp(0.0, 100.0)
                    }
                    "first_response_minutes" => {
                        (2.9 - 0.4 * progress - 0.4 * skill + 0.4 * n + 5.0 * bad).clamp(0.2, 30.0)
                    }
                    "on_time_resolution_rate" => {
                        (95.0 + 1.5 * progress + 1.5 * skill + 1.2 * n - 14.0 * bad).clamp(0.0, 100.0)
                    }
                    "error_rate" => (2.0 - 0.4 * progress - 0.4 * skill + 0.4 * n + 4.0 * bad).clamp(0.0, 20.0),
                    _ => (4.2 + 0.2 * skill + 0.2 * n - 1.0 * bad).clamp(1.0, 5.0), // peer_review
                };
                // Now and then a month is simply not reported: reports must show the gap.
                if rng.below(60) == 0 {
                    continue;
                }
                let places = if matches!(
                    *kpi,
                    "satisfaction" | "peer_review" | "first_response_minutes" | "error_rate" | "handling_minutes"
                ) {
                    2
                } else {
                    1
                };
                let _ = writeln!(csv, "{month},{},{kpi},{}", person.id, round(v, places));
            }
        }
    }
    // Organisation-level KPIs measured for the whole organisation.
    for (i, month) in months.iter().enumerate() {
        let progress = i as f64 / MONTHS as f64;
        let rate = (4.6 - 1.6 * progress + 0.3 * rng.normal()).clamp(0.0, 50.0);
        let _ = writeln!(csv, "{month},org,complaint_rate,{}", round(rate, 2));
        let response = (27.0 + 6.0 * progress + 2.5 * rng.normal()).clamp(0.0, 100.0);
        let _ = writeln!(csv, "{month},org,survey_response_rate,{}", round(response, 1));
    }
    write(root, "data/metrics/monthly.csv", &csv);

    // ── Complaint types and records ───────────────────────────────────────────────
    write(
        root,
        "data/complaint_types.yaml",
        "# 投诉类型与处理时限：时限取自 params.yaml 中的参数，goal 为时限内处理率目标（%）。\n\
         - {id: attitude, name: {zh-CN: 服务态度, en: Staff attitude}, limit: complaint_attitude_hours, goal: 95}\n\
         - {id: quality, name: {zh-CN: 产品质量, en: Product quality}, limit: complaint_quality_hours, goal: 90}\n\
         - {id: other, name: {zh-CN: 其他问题, en: Other issues}, limit: complaint_other_hours, goal: 90}\n",
    );
    let frontline: Vec<&str> = data.org.teams.iter().filter(|t| t.id != "management").map(|t| t.id.as_str()).collect();
    let channels = ["门店服务台", "客服热线", "在线客服", "意见箱", "社交媒体"];
    // Complaints received until the end of October; the CRM export was taken later.
    let end = Date::parse("2026-10-31").unwrap().to_unix_days() * 1440 + 18 * 60;
    let exported = Date::parse("2026-11-20").unwrap().to_unix_days() * 1440 + 18 * 60;
    let start = Date::parse("2025-05-01").unwrap().to_unix_days() * 1440;
    let mut complaints: Vec<(i64, String)> = Vec::new();
    for n in 0..2000 {
        let received = start + (rng.unit() * (end - start) as f64) as i64;
        let received = received - received % 5; // CRM exports round to 5 minutes
        let (kind, typical) = match rng.below(10) {
            0..=3 => ("attitude", 9.0),
            4..=7 => ("quality", 34.0),
            _ => ("other", 30.0),
        };
        // Lognormal handling time around the type's typical hours; quality runs late.
        let spread = if kind == "quality" { 0.55 } else { 0.45 };
        let hours = typical * (spread * rng.normal()).exp();
        let resolved = received + (hours * 60.0) as i64;
        let still_open = resolved > exported || (received > end - 45 * 1440 && rng.below(30) == 0);
        let team = frontline[rng.below(frontline.len() as u64) as usize];
        let channel = channels[rng.below(channels.len() as u64) as usize];
        let line = format!(
            "C{:05},{kind},{channel},{team},{},{}",
            n + 1,
            minute(received),
            if still_open { String::new() } else { minute(resolved - resolved % 5) }
        );
        complaints.push((received, line));
    }
    complaints.sort();
    let mut out = String::from("id,type,channel,team,received_at,resolved_at\n");
    for (_, line) in complaints {
        out.push_str(&line);
        out.push('\n');
    }
    write(root, "data/complaints.csv", &out);

    // ── Survey responses (0–10) ────────────────────────────────────────────────────
    let mut surveys: Vec<(i64, String)> = Vec::new();
    let first_day = Date::parse("2025-05-01").unwrap().to_unix_days();
    let last_day = Date::parse("2026-10-31").unwrap().to_unix_days();
    for _ in 0..3000 {
        let day = first_day + rng.below((last_day - first_day + 1) as u64) as i64;
        let progress = (day - first_day) as f64 / (last_day - first_day) as f64;
        let ti = rng.below(frontline.len() as u64) as usize;
        let team_bias = [0.05, -0.03, 0.0, -0.06][ti % 4];
        let p = rng.unit();
        let promoter = 0.50 + 0.10 * progress + team_bias;
        let detractor = 0.17 - 0.05 * progress - team_bias / 2.0;
        let score = if p < promoter {
            9 + rng.below(2)
        } else if p < 1.0 - detractor {
            7 + rng.below(2)
        } else {
            rng.below(7)
        };
        surveys.push((day, format!("{},{},{score}", Date::from_unix_days(day), frontline[ti])));
    }
    surveys.sort();
    let mut out = String::from("date,team,score\n");
    for (_, line) in surveys {
        out.push_str(&line);
        out.push('\n');
    }
    write(root, "data/surveys.csv", &out);

    // ── Improvement actions (domain.md's improvement plan) ────────────────────────
    write(
        root,
        "data/actions.yaml",
        "# 服务改进行动：负责人为角色，部门见 org.yaml。status: planned | in_progress | done。\n\
         - {title: {zh-CN: 增设前台服务通道, en: Open another front desk service counter}, owner: front-desk, department: front-desk, due: 2026-03-31, status: done, done_on: 2026-03-20}\n\
         - {title: {zh-CN: 提高培训频次, en: Train more often}, owner: service-manager, department: customer-support, due: 2026-06-30, status: done, done_on: 2026-07-08}\n\
         - {title: {zh-CN: 优化配送流程, en: Improve the delivery process}, owner: sales, department: sales, due: 2026-09-30, status: in_progress}\n\
         - {title: {zh-CN: 更新服务手册, en: Update the service handbook}, owner: planning, department: planning, due: 2026-12-15, status: in_progress}\n\
         - {title: {zh-CN: 加强产品质量类投诉处理培训, en: More training in handling product quality complaints}, owner: service-supervisor, department: customer-support, due: 2026-12-31, status: planned}\n\
         - {title: {zh-CN: 精简投诉处理流程, en: Simplify the complaint handling process}, owner: customer-support, department: customer-support, due: 2027-02-28, status: planned}\n",
    );
    eprintln!("wrote data/metrics/monthly.csv, data/complaints.csv, data/surveys.csv, data/complaint_types.yaml, data/actions.yaml");
}

fn minute(m: i64) -> String {
    let date = Date::from_unix_days(m.div_euclid(1440));
    let rem = m.rem_euclid(1440);
    format!("{date} {:02}:{:02}", rem / 60, rem % 60)
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
}
