//! Reads a site's service data (org, KPIs, scorecards, parameters, measurements,
//! complaints, surveys, actions) into plain structs, with its own small date, CSV and
//! YAML helpers. Shares no code with Charter.

use super::rational::Q;
use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Days since 1970-01-01 of a civil date.
pub fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Month number `y * 12 + m - 1`.
pub type Month = i64;

pub fn month_str(m: Month) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

pub fn parse_month(s: &str) -> Option<Month> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (i64, i64) = (y.parse().ok()?, m.parse().ok()?);
    (y > 0 && (1..=12).contains(&m)).then_some(y * 12 + m - 1)
}

/// Day number of `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<i64> {
    let p: Vec<&str> = s.trim().split('-').collect();
    if p.len() != 3 {
        return None;
    }
    Some(days(p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?))
}

pub fn date_str(day: i64) -> String {
    // Civil from days (inverse of `days`).
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn month_of_day(day: i64) -> Month {
    let s = date_str(day);
    parse_month(&s[..7]).unwrap()
}

/// First day of a month.
pub fn month_start(m: Month) -> i64 {
    days(m.div_euclid(12), m.rem_euclid(12) + 1, 1)
}

/// `YYYY-MM-DD HH:MM[:SS]` (or with `T`) as seconds since the epoch.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = s.split_once([' ', 'T'])?;
    let t: Vec<i64> = time.split(':').map(|x| x.parse().ok()).collect::<Option<_>>()?;
    let (h, mi, se) = match t[..] {
        [h, m] => (h, m, 0),
        [h, m, s] => (h, m, s),
        _ => return None,
    };
    Some(parse_date(date)? * 86_400 + h * 3600 + mi * 60 + se)
}

/// Rows of a simple CSV file (quoted fields allowed) with their line numbers, header included.
pub fn csv(text: &str) -> Vec<(usize, Vec<String>)> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut row = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                '"' => quoted = !quoted,
                ',' if !quoted => row.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        row.push(cur);
        rows.push((i + 1, row));
    }
    rows
}

/// Records of a CSV file by column name, with the line `#line`.
fn csv_records(path: &Path) -> Vec<HashMap<String, String>> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    let rows = csv(text.trim_start_matches('\u{feff}'));
    let Some(((_, head), body)) = rows.split_first() else { return Vec::new() };
    body.iter()
        .map(|(line, r)| {
            let mut rec: HashMap<String, String> =
                head.iter().map(|h| h.trim().to_string()).zip(r.iter().map(|c| c.trim().to_string())).collect();
            rec.insert("#line".into(), line.to_string());
            rec
        })
        .collect()
}

fn yaml(path: &Path) -> Value {
    match std::fs::read_to_string(path) {
        Ok(t) => serde_yaml::from_str(&t).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        Err(_) => Value::Null,
    }
}

fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        // Words written per language (`{zh-CN: 小时, en: [hour, hours]}`): the
        // default language's, zh-CN in the sites recomputed here.
        Some(words @ Value::Mapping(_)) => s(words, "zh-CN"),
        _ => String::new(),
    }
}

fn q(v: &Value) -> Option<Q> {
    match v {
        Value::Number(n) => n.as_i64().map(Q::int).or_else(|| n.as_f64().map(Q::from_f64)),
        Value::String(s) => Q::parse(s),
        _ => None,
    }
}

fn list(v: &Value) -> Vec<Value> {
    v.as_sequence().cloned().unwrap_or_default()
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.map(list).unwrap_or_default().iter().filter_map(|x| x.as_str().map(str::to_string)).collect()
}

pub struct Team {
    pub id: String,
    pub name: String,
    pub dept: String,
    pub roles: Vec<String>,
}

pub struct Person {
    pub id: String,
    pub name: String,
    pub role: String,
    pub team: String,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Agg {
    Mean,
    Sum,
    Median,
}

pub struct Kpi {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub higher: bool,
    pub min: Q,
    pub max: Q,
    pub targets: Vec<(Month, Q)>,
    pub warning: Q,
    pub agg: Agg,
    pub surveys: bool,
    pub public: bool,
}

pub struct Item {
    pub kpi: String,
    pub weight: Q,
    pub linear: bool,
}

pub struct Card {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub items: Vec<Item>,
    pub pass: Q,
    pub top: Q,
    pub fail_streak: i64,
    /// `top_ties: include`; absent or `exclude` is false.
    pub ties_include: Option<bool>,
}

pub struct CType {
    pub id: String,
    pub name: String,
    /// (in force from, seconds since the epoch; limit in hours), ascending.
    pub limits: Vec<(i64, Q)>,
    pub goal: Q,
}

pub struct Complaint {
    /// Its line in data/complaints.csv.
    pub line: usize,
    pub id: String,
    pub ctype: String,
    pub channel: String,
    pub team: String,
    pub received: i64,
    pub resolved: Option<i64>,
}

pub struct Survey {
    pub line: usize,
    pub day: i64,
    pub team: String,
    pub score: i64,
}

pub struct Action {
    pub title: String,
    pub owner: String,
    pub dept: String,
    pub due: i64,
    pub status: String,
    pub done_on: Option<i64>,
}

pub struct Site {
    pub depts: Vec<(String, String)>,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
    pub kpis: Vec<Kpi>,
    pub cards: Vec<Card>,
    /// (subject, kpi, month) → value.
    pub metrics: HashMap<(String, String, Month), Q>,
    pub types: Vec<CType>,
    pub complaints: Vec<Complaint>,
    pub surveys: Vec<Survey>,
    /// Every CSV measurement row: (file, line, period).
    pub metric_rows: Vec<(String, usize, Month)>,
    pub actions: Vec<Action>,
    pub role_titles: BTreeMap<String, String>,
}

fn unit_hours(unit: &str) -> Q {
    match unit.trim() {
        "分钟" | "分" | "min" | "minutes" => Q::new(1, 60),
        "小时" | "h" | "hours" => Q::int(1),
        "天" | "日" | "d" | "days" => Q::int(24),
        "周" | "星期" | "weeks" => Q::int(168),
        u => panic!("unknown time unit {u:?}"),
    }
}

/// `YYYY-MM` (its first day) or `YYYY-MM-DD`, at 00:00, in seconds.
fn parse_from(s: &str) -> i64 {
    let day = parse_month(s).map(month_start).or_else(|| parse_date(s)).unwrap_or_else(|| panic!("bad from {s}"));
    day * 86_400
}

fn front_matter_value(text: &str, key: &str) -> Option<String> {
    let body = text.strip_prefix("---")?;
    let fm = &body[..body.find("\n---")?];
    fm.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .map(|v| v.trim().trim_matches('"').trim_matches('\'').to_string())
}

pub fn load(root: &Path) -> Site {
    let data = root.join("data");
    let org = yaml(&data.join("org.yaml"));
    let depts = list(&org["departments"]).iter().map(|d| (s(d, "id"), s(d, "name"))).collect();
    let teams = list(&org["teams"])
        .iter()
        .map(|t| Team { id: s(t, "id"), name: s(t, "name"), dept: s(t, "department"), roles: strings(t.get("roles")) })
        .collect();
    let people = list(&org["people"])
        .iter()
        .map(|p| Person { id: s(p, "id"), name: s(p, "name"), role: s(p, "role"), team: s(p, "team") })
        .collect();
    let kpis = list(&yaml(&data.join("kpis.yaml")))
        .iter()
        .map(|k| Kpi {
            id: s(k, "id"),
            name: s(k, "name"),
            unit: s(k, "unit"),
            higher: s(k, "direction") == "higher",
            min: q(&k["scale"]["min"]).unwrap(),
            max: q(&k["scale"]["max"]).unwrap(),
            targets: list(&k["targets"])
                .iter()
                .map(|t| (parse_month(&s(t, "from")).unwrap(), q(&t["value"]).unwrap()))
                .collect(),
            warning: q(&k["warning"]).unwrap_or(Q::ZERO),
            agg: match s(k, "aggregate").as_str() {
                "sum" => Agg::Sum,
                "median" => Agg::Median,
                _ => Agg::Mean,
            },
            surveys: s(k, "source") == "surveys",
            public: s(k, "public") == "true",
        })
        .collect();
    let cards = list(&yaml(&data.join("scorecards.yaml")))
        .iter()
        .map(|c| Card {
            id: s(c, "id"),
            name: s(c, "name"),
            roles: strings(c.get("roles")),
            items: list(&c["items"])
                .iter()
                .map(|i| Item { kpi: s(i, "kpi"), weight: q(&i["weight"]).unwrap(), linear: s(i, "rule") == "linear" })
                .collect(),
            pass: q(&c["pass_mark"]).unwrap(),
            top: q(&c["top_percent"]).unwrap(),
            fail_streak: q(&c["fail_streak"]).unwrap().ceil() as i64,
            ties_include: c.get("top_ties").map(|v| v.as_str() == Some("include")),
        })
        .collect();
    let params = yaml(&data.join("params.yaml"));
    let types = list(&yaml(&data.join("complaint_types.yaml")))
        .iter()
        .map(|t| {
            let p = &params[s(t, "limit").as_str()];
            let hours = unit_hours(&s(p, "unit"));
            let limits = match p.get("values") {
                Some(vs) => {
                    list(vs).iter().map(|v| (parse_from(&s(v, "from")), q(&v["value"]).unwrap() * hours)).collect()
                }
                None => vec![(i64::MIN, q(&p["value"]).unwrap() * hours)],
            };
            CType { id: s(t, "id"), name: s(t, "name"), limits, goal: t.get("goal").and_then(q).unwrap_or(Q::int(90)) }
        })
        .collect();
    let mut metrics = HashMap::new();
    let mut metric_rows = Vec::new();
    let mut files: Vec<_> =
        std::fs::read_dir(data.join("metrics")).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    for f in files {
        if f.extension().is_some_and(|e| e == "csv") {
            let file = format!("data/metrics/{}", f.file_name().unwrap().to_string_lossy());
            for r in csv_records(&f) {
                let period = parse_month(&r["period"]).unwrap();
                metric_rows.push((file.clone(), r["#line"].parse().unwrap(), period));
                if let Some(v) = Q::parse(&r["value"]) {
                    metrics.insert((r["subject"].clone(), r["kpi"].clone(), period), v);
                }
            }
        } else if f.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            for r in list(&yaml(&f)) {
                let period = parse_month(&s(&r, "period")).unwrap();
                for (k, v) in r["values"].as_mapping().into_iter().flatten() {
                    if let Some(v) = q(v) {
                        metrics.insert((s(&r, "subject"), k.as_str().unwrap().to_string(), period), v);
                    }
                }
            }
        }
    }
    let complaints = csv_records(&data.join("complaints.csv"))
        .into_iter()
        .map(|r| Complaint {
            line: r["#line"].parse().unwrap(),
            id: r["id"].clone(),
            ctype: r["type"].clone(),
            channel: r["channel"].clone(),
            team: r["team"].clone(),
            received: parse_timestamp(&r["received_at"]).unwrap(),
            resolved: parse_timestamp(&r["resolved_at"]),
        })
        .collect();
    let surveys = csv_records(&data.join("surveys.csv"))
        .into_iter()
        .map(|r| Survey {
            line: r["#line"].parse().unwrap(),
            day: parse_date(&r["date"]).unwrap(),
            team: r["team"].clone(),
            score: r["score"].parse().unwrap(),
        })
        .collect();
    let actions = list(&yaml(&data.join("actions.yaml")))
        .iter()
        .map(|a| Action {
            title: s(a, "title"),
            owner: s(a, "owner"),
            dept: s(a, "department"),
            due: parse_date(&s(a, "due")).unwrap(),
            status: s(a, "status"),
            done_on: parse_date(&s(a, "done_on")),
        })
        .collect();
    let mut role_titles = BTreeMap::new();
    for e in std::fs::read_dir(root.join("content/roles")).into_iter().flatten().flatten() {
        let p = e.path();
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let id = front_matter_value(&text, "id").unwrap_or(stem);
        if let Some(t) = front_matter_value(&text, "title") {
            role_titles.insert(id, t);
        }
    }
    Site { depts, teams, people, kpis, cards, metrics, metric_rows, types, complaints, surveys, actions, role_titles }
}

#[test]
fn dates_round_trip() {
    for d in [parse_date("2026-02-28").unwrap(), parse_date("2024-02-29").unwrap(), 0, -1, 20_000] {
        assert_eq!(parse_date(&date_str(d)), Some(d));
    }
    assert_eq!(parse_timestamp("1970-01-02 01:02:03"), Some(86_400 + 3723));
    assert_eq!(parse_timestamp("1970-01-01T00:01"), Some(60));
    assert_eq!(month_str(parse_month("2026-01").unwrap() - 1), "2025-12");
}
