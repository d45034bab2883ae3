//! A small seeded generator of a whole site (content, org, KPIs, scorecards, parameters,
//! measurements, complaints, surveys, actions) full of edge cases: tied scores,
//! lower-is-better values of 0 and near 0, a target of 0, complaints resolved after the
//! month end or after the build date, open complaints exactly at and one second past
//! their limit, an effective-dated limit that changes mid-month, seconds in timestamps,
//! failing streaks for people and teams, actions due on a month's last day.
//!
//! With `legacy` set, the generator writes no syntax the old code rejects (a single
//! limit value, no `top_ties`), so the other rules can still be compared.

use super::data::{date_str, days, month_start, month_str, parse_month, Month};
use std::fmt::Write;
use std::path::Path;

pub const BUILD_DATE: &str = "2026-06-15";
const FIRST: &str = "2025-09";
const LAST: &str = "2026-06";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// (id, title) of the role documents.
const ROLES: [(&str, &str); 5] =
    [("ops", "运营部"), ("qa", "质检部"), ("lead", "组长"), ("agent", "坐席"), ("tech", "技术员")];
const TEAMS: [(&str, &str, &str, &str); 4] = [
    ("t-a", "一组", "d-ops", "[lead, agent]"),
    ("t-b", "二组", "d-ops", "[agent]"),
    ("t-c", "三组", "d-tech", "[lead, tech]"),
    ("t-d", "四组", "d-tech", "[tech]"),
];
/// (id, name, role, team)
const PEOPLE: [(&str, &str, &str, &str); 13] = [
    ("a1", "赵一", "lead", "t-a"),
    ("a2", "钱二", "agent", "t-a"),
    ("a3", "孙三", "agent", "t-a"),
    ("a4", "李四", "agent", "t-a"),
    ("a5", "周五", "agent", "t-a"),
    ("b1", "吴六", "agent", "t-b"),
    ("b2", "郑七", "agent", "t-b"),
    ("b3", "王八", "agent", "t-b"),
    ("b4", "冯九", "agent", "t-b"),
    ("c1", "陈十", "lead", "t-c"),
    ("c2", "褚十一", "tech", "t-c"),
    ("c3", "卫十二", "tech", "t-c"),
    ("c4", "蒋十三", "tech", "t-c"),
];

const KPIS: &str = r#"
- {id: sat, name: 满意度, unit: 分, direction: higher, scale: {min: 1, max: 5}, warning: 0.2, aggregate: mean, owner: qa, public: true,
   targets: [{from: 2025-01, value: 4.0}, {from: 2026-03, value: 4.2}]}
- {id: err, name: 差错率, unit: '%', direction: lower, scale: {min: 0, max: 20}, warning: 0.5, aggregate: median, owner: qa, public: true,
   targets: [{from: 2025-01, value: 2}, {from: 2026-02, value: 0}]}
- {id: wait, name: 等待时长, unit: 分钟, direction: lower, scale: {min: 0, max: 60}, warning: 2, aggregate: mean, owner: ops,
   targets: [{from: 2025-01, value: 10}]}
- {id: calls, name: 接听量, unit: 通, direction: higher, scale: {min: 0, max: 5000}, warning: 50, aggregate: sum, owner: ops,
   targets: [{from: 2025-01, value: 300}]}
- {id: rate, name: 解决率, unit: '%', direction: higher, scale: {min: 0, max: 100}, warning: 5, aggregate: mean, owner: ops,
   targets: [{from: 2025-01, value: 90}]}
- {id: nps, name: 净推荐值, unit: '', direction: higher, scale: {min: -100, max: 100}, warning: 5, owner: qa, source: surveys, public: true,
   targets: [{from: 2025-01, value: 20}, {from: 2026-04, value: 30}]}
"#;

fn scorecards(legacy: bool) -> String {
    let ties = |t: &str| if legacy { String::new() } else { format!("\n  top_ties: {t}") };
    format!(
        "- id: c1\n  name: 坐席考核\n  period: month\n  roles: [agent]\n  items:\n    - {{kpi: sat, weight: 40, rule: linear}}\n    - {{kpi: err, weight: 30, rule: linear}}\n    - {{kpi: wait, weight: 30, rule: threshold}}\n  pass_mark: 60\n  top_percent: 25\n  fail_streak: 2\n\
         - id: c2\n  name: 组长考核\n  period: month\n  roles: [lead, tech]\n  items:\n    - {{kpi: sat, weight: 50, rule: threshold}}\n    - {{kpi: rate, weight: 50, rule: linear}}\n  pass_mark: 70\n  top_percent: 34\n  fail_streak: 2{}\n\
         - id: c3\n  name: 质量考核\n  period: month\n  roles: [agent, tech]\n  items:\n    - {{kpi: err, weight: 50, rule: threshold}}\n    - {{kpi: calls, weight: 50, rule: linear}}\n  pass_mark: 50\n  top_percent: 50\n  fail_streak: 3{}\n",
        ties("include"),
        ties("exclude")
    )
}

fn params(legacy: bool) -> String {
    let quality = if legacy {
        "{value: 36, unit: 小时, label: 质量类}".to_string()
    } else {
        "{values: [{from: 2025-10, value: 48}, {from: 2026-01, value: 36}, {from: 2026-04-10, value: 30}], unit: 小时, label: 质量类}"
            .to_string()
    };
    format!(
        "limit_fast: {{value: 90, unit: 分钟, label: 快速类}}\nlimit_quality: {quality}\nlimit_other: {{value: 3, unit: 天, label: 其他类}}\nlimit_slow: {{value: 1, unit: 周, label: 慢速类}}\n"
    )
}

/// Limit in seconds of a complaint type received at `t` (mirrors `params`).
fn limit_secs(ty: &str, t: i64, legacy: bool) -> i64 {
    let h = match ty {
        "fast" => return 90 * 60,
        "other" => 72,
        "slow" => 168,
        _ if legacy => 36,
        _ if t < days(2026, 1, 1) * 86_400 => 48,
        _ if t < days(2026, 4, 10) * 86_400 => 36,
        _ => 30,
    };
    h * 3600
}

fn ts(t: i64, style: u64) -> String {
    let (day, s) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    match style {
        0 => format!("{} {h:02}:{m:02}", date_str(day)),
        1 => format!("{}T{h:02}:{m:02}:{sec:02}", date_str(day)),
        _ => format!("{} {h:02}:{m:02}:{sec:02}", date_str(day)),
    }
}

/// Values a person reports for a KPI, drawn from small sets so that scores tie.
fn value(r: &mut Rng, kpi: &str, bad: bool) -> String {
    let v = match (kpi, bad) {
        ("sat", false) => *r.pick(&["3.8", "3.9", "4", "4.005", "4.1", "4.125", "4.2", "4.25", "4.3", "4.5", "5"]),
        ("sat", true) => *r.pick(&["1.5", "2", "3.1"]),
        ("err", false) => *r.pick(&["0", "0", "0.01", "0.5", "1", "1.5", "2", "2.01", "2.675", "3.75"]),
        ("err", true) => *r.pick(&["9", "12.5", "15"]),
        ("wait", false) => *r.pick(&["0", "5", "8", "9.99", "10", "10.01", "11", "12", "12.5", "15"]),
        ("wait", true) => *r.pick(&["30", "45"]),
        ("calls", false) => *r.pick(&["0", "120", "150", "300", "310", "450"]),
        ("calls", true) => *r.pick(&["0", "10", "20"]),
        _ => *r.pick(&["84.99", "85", "88", "90", "91.5", "95", "100"]),
    };
    v.to_string()
}

pub fn generate(root: &Path, seed: u64, legacy: bool) {
    let mut r = Rng(seed | 1);
    write(root, "charter.yaml", "title: 生成的服务手册\nlanguage: zh-CN\ndefault_audience: internal\n");
    write(root, "content/_index.md", "---\ntitle: 生成的服务手册\naudience: public\n---\n\n生成的站点。\n");
    write(root, "content/roles/_index.md", "---\ntitle: 角色\naudience: public\n---\n\n角色。\n");
    for (id, title) in ROLES {
        // The owner of the public KPIs is public too.
        let audience = if id == "qa" { "audience: public\n" } else { "" };
        write(
            root,
            &format!("content/roles/{id}.md"),
            &format!("---\ntitle: {title}\n{audience}---\n\n{title}的职责。\n"),
        );
    }
    let mut org =
        String::from("departments:\n  - {id: d-ops, name: 运营中心}\n  - {id: d-tech, name: 技术中心}\nteams:\n");
    for (id, name, dept, roles) in TEAMS {
        writeln!(org, "  - {{id: {id}, name: {name}, department: {dept}, roles: {roles}}}").unwrap();
    }
    org.push_str("people:\n");
    for (id, name, role, team) in PEOPLE {
        writeln!(org, "  - {{id: {id}, name: {name}, role: {role}, team: {team}}}").unwrap();
    }
    write(root, "data/org.yaml", &org);
    write(root, "data/kpis.yaml", KPIS);
    write(root, "data/scorecards.yaml", &scorecards(legacy));
    write(root, "data/params.yaml", &params(legacy));
    write(
        root,
        "data/complaint_types.yaml",
        "- {id: fast, name: 快速, limit: limit_fast, goal: 95}\n- {id: quality, name: 质量, limit: limit_quality, goal: 90}\n- {id: other, name: 其他, limit: limit_other}\n- {id: slow, name: 慢速, limit: limit_slow, goal: 80}\n",
    );
    let (first, last): (Month, Month) = (parse_month(FIRST).unwrap(), parse_month(LAST).unwrap());
    let build = days(2026, 6, 15);

    // Measurements: people in CSV, a few teams, a department and the organisation in YAML.
    let mut csv = String::from("period,subject,kpi,value\n");
    for m in first..=last {
        for (id, _, role, team) in PEOPLE {
            if id == "a3" && m == last - 3 {
                continue; // a month without any measurement ends a streak
            }
            let kpis: &[&str] = match role {
                "agent" => &["sat", "err", "wait", "calls"],
                "lead" => &["sat", "rate", "wait"],
                _ => &["sat", "err", "calls", "rate"],
            };
            let bad =
                (id == "b4" && m >= last - 4) || (team == "t-b" && m >= last - 2) || (id == "c2" && m >= last - 2);
            for k in kpis {
                if r.chance(6) {
                    continue;
                }
                let v = if r.chance(2) { String::new() } else { value(&mut r, k, bad) };
                writeln!(csv, "{},{id},{k},{v}", month_str(m)).unwrap();
            }
        }
    }
    csv.push_str("2026-07,a2,sat,4.5\n"); // after the build date: left out, with a warning
    write(root, "data/metrics/people.csv", &csv);
    let mut yaml = String::new();
    for m in first..=last {
        let rate = value(&mut r, "rate", false);
        writeln!(yaml, "- period: {}\n  subject: t-b\n  values: {{rate: {rate}}}", month_str(m)).unwrap();
        if m % 2 == 0 {
            writeln!(
                yaml,
                "- period: {}\n  subject: org\n  values: {{wait: {}}}",
                month_str(m),
                value(&mut r, "wait", false)
            )
            .unwrap();
        }
        if m % 3 == 0 {
            writeln!(
                yaml,
                "- period: {}\n  subject: d-tech\n  values: {{sat: {}}}",
                month_str(m),
                value(&mut r, "sat", false)
            )
            .unwrap();
        }
    }
    write(root, "data/metrics/managers.yaml", &yaml);

    // Complaints: random ones around each type's limit, then hand-made edge cases.
    let mut rows: Vec<(String, String, i64, Option<i64>, u64)> = Vec::new();
    for m in first..=last {
        let start = month_start(m) * 86_400;
        let span = if m == last { 20 * 86_400 } else { (month_start(m + 1) - month_start(m)) * 86_400 };
        for _ in 0..36 {
            let ty = *r.pick(&["fast", "quality", "quality", "other", "slow"]);
            let received = start + r.below(span as u64) as i64;
            let l = limit_secs(ty, received, legacy);
            let resolved = match r.below(12) {
                0 => None,
                1 => Some(received + l),
                2 => Some(received + l + 59),
                3 => Some(received + l + 1),
                4 => Some(received + l - 1),
                5 | 6 => Some(received + l + r.below(l as u64) as i64),
                7 => Some(received + l * 4),
                _ => Some(received + r.below(l as u64) as i64),
            };
            rows.push((
                ty.to_string(),
                r.pick(&["t-a", "t-b", "t-c", "t-d"]).to_string(),
                received,
                resolved,
                r.below(3),
            ));
        }
    }
    let at = |y, mo, d, h: i64, mi: i64, s: i64| days(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s;
    let edge = [
        ("quality", at(2026, 4, 9, 23, 59, 59), Some(at(2026, 4, 11, 8, 59, 59))), // 33 h under 36 h: within
        ("quality", at(2026, 4, 10, 0, 0, 0), Some(at(2026, 4, 11, 9, 0, 0))),     // 33 h under 30 h: late
        ("quality", at(2025, 11, 29, 0, 0, 0), Some(at(2025, 12, 5, 0, 0, 0))),    // exactly 48 h open at Nov's end
        ("quality", at(2025, 11, 28, 23, 59, 59), Some(at(2025, 12, 5, 0, 0, 0))), // 48 h + 1 s open at Nov's end
        ("other", at(2026, 2, 26, 10, 0, 0), None),                                // open past its limit from March on
        ("slow", at(2026, 5, 20, 8, 0, 0), Some(at(2026, 6, 20, 8, 0, 0))),        // resolved after the build date
        ("fast", at(2026, 6, 16, 10, 0, 0), None),                                 // received after the build date
        ("fast", at(2026, 6, 15, 23, 59, 59), None),                               // received on the build date
        ("fast", at(2026, 1, 31, 23, 0, 0), Some(at(2026, 2, 1, 0, 29, 59))),      // resolved after the month end
    ];
    for (ty, rec, res) in edge {
        rows.push((ty.to_string(), "t-c".to_string(), rec, res, 2));
    }
    let mut text = String::from("id,type,channel,team,received_at,resolved_at\n");
    for (i, (ty, team, rec, res, style)) in rows.iter().enumerate() {
        // Without seconds in the text, the time is the minute written.
        let cut = |t: i64| if *style == 0 { t - t.rem_euclid(60) } else { t };
        let res = res.map(|x| ts(cut(x).max(cut(*rec)), *style)).unwrap_or_default();
        let channel = ["热线", "门店", "在线"][i % 3];
        writeln!(text, "G{:04},{ty},{channel},{team},{},{res}", i + 1, ts(cut(*rec), *style)).unwrap();
    }
    write(root, "data/complaints.csv", &text);

    let mut surveys = String::from("date,team,score\n");
    for m in first..=last {
        let n_days = if m == last { build - month_start(m) + 1 } else { month_start(m + 1) - month_start(m) };
        for (team, ..) in TEAMS {
            let n = if team == "t-d" && m % 4 == 0 { 0 } else { r.below(26) };
            for _ in 0..n {
                let day = month_start(m) + r.below(n_days as u64) as i64;
                let score = if r.chance(30) { r.below(7) } else { 7 + r.below(4) };
                writeln!(surveys, "{},{team},{score}", date_str(day)).unwrap();
            }
        }
    }
    for day in [build + 1, build + 3] {
        writeln!(surveys, "{},t-a,0", date_str(day)).unwrap(); // after the build date: left out
    }
    write(root, "data/surveys.csv", &surveys);

    write(
        root,
        "data/actions.yaml",
        "- {title: 复盘十月投诉, owner: qa, department: d-ops, due: 2025-10-15, status: done, done_on: 2025-11-10}\n\
         - {title: 月末到期的行动, owner: ops, department: d-ops, due: 2026-01-31, status: in_progress}\n\
         - {title: 月末当天完成, owner: lead, department: d-tech, due: 2026-03-10, status: done, done_on: 2026-03-31}\n\
         - {title: 昨天到期, owner: ops, department: d-tech, due: 2026-06-14, status: planned}\n\
         - {title: 今天到期, owner: qa, department: d-ops, due: 2026-06-15, status: in_progress}\n\
         - {title: 五月逾期后完成, owner: ops, department: d-ops, due: 2026-05-20, status: done, done_on: 2026-06-10}\n\
         - {title: 明年的行动, owner: qa, department: d-tech, due: 2027-01-01, status: planned}\n",
    );
}
