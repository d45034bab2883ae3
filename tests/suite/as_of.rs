//! A past month's reports are what was known at that month's end: building the example
//! today must show July 2026 exactly as a build on 31 July did, with the data known
//! then. Each report family is compared: the monthly overview (tiles, alerts,
//! rankings), the complaints, NPS, people, team and KPI pages' rows for the month.

use crate::common::*;
use std::path::Path;

const MONTH: &str = "2026-07";
const MONTH_END: &str = "2026-07-31";
const LATER: &str = "2026-11-23";

/// Cuts the example's measurement files down to what was known at the end of
/// `MONTH_END`: later metrics, complaints and survey answers removed, resolutions made
/// after it blanked (the complaint was still open then).
fn known_at_month_end(site: &Path) {
    let edit = |file: &str, keep: &dyn Fn(&[&str]) -> Option<String>| {
        let path = site.join(file);
        let text = read(&path);
        let mut lines = text.lines();
        let mut out = format!("{}\n", lines.next().unwrap());
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            if let Some(kept) = keep(&cells) {
                out.push_str(&kept);
                out.push('\n');
            }
        }
        std::fs::write(&path, out).unwrap();
    };
    edit("data/metrics/monthly.csv", &|c| (c[0] <= MONTH).then(|| c.join(",")));
    edit("data/surveys.csv", &|c| (c[0] <= MONTH_END).then(|| c.join(",")));
    let end = format!("{MONTH_END} 24:00");
    edit("data/complaints.csv", &|c| {
        if c[4] >= end.as_str() {
            return None;
        }
        let mut c: Vec<String> = c.iter().map(|s| s.to_string()).collect();
        if c[5].as_str() > end.as_str() {
            c[5].clear();
        }
        Some(c.join(","))
    });
}

fn build(site: &Path, today: &str) {
    let o = charter(&["build", "--root", site.to_str().unwrap(), "--today", today]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn page(site: &Path, path: &str) -> String {
    read(&site.join("site/managers").join(path).join("index.html"))
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The table rows of a page that begin with `first` (tags stripped, `|`-separated).
fn rows_of(html: &str, first: &str) -> Vec<String> {
    html.split("<tr")
        .skip(1)
        .map(|r| {
            let r = &r[..r.find("</tr>").unwrap_or(r.len())];
            let mut out = String::from("|");
            for cell in r.split("<t").skip(1) {
                let inner = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                let mut text = String::new();
                let mut in_tag = false;
                for ch in inner.chars() {
                    match ch {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        c if !in_tag => text.push(c),
                        _ => {}
                    }
                }
                out.push_str(text.trim());
                out.push('|');
            }
            out
        })
        .filter(|r| r.starts_with(&format!("|{first}|")))
        .collect()
}

#[test]
fn a_past_month_is_unchanged_by_what_happened_after_it() {
    let then = copy_of(&repo_root());
    known_at_month_end(then.path());
    build(then.path(), MONTH_END);
    let now = copy_of(&repo_root());
    build(now.path(), LATER);

    // The overview: every tile, alert, ranking, star and streak of July.
    let (a, b) = (page(then.path(), &format!("reports/{MONTH}")), page(now.path(), &format!("reports/{MONTH}")));
    assert!(main_of(&b).contains("数据截至"), "the overview states its date");
    let differing: Vec<(&str, &str)> =
        main_of(&a).lines().zip(main_of(&b).lines()).filter(|(x, y)| x != y).take(5).collect();
    assert!(
        differing.is_empty() && main_of(&a).lines().count() == main_of(&b).lines().count(),
        "July's overview changed after July; first differing lines (then, now): {differing:#?}"
    );

    // Complaint compliance, NPS and each person's, team's and KPI's row for July.
    let mut pages = vec!["reports/complaints".to_string(), "reports/nps".to_string()];
    for dir in ["people", "teams", "kpis"] {
        let list = std::fs::read_dir(now.path().join("site/managers/reports").join(dir)).unwrap();
        let mut ids: Vec<String> = list.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        ids.sort();
        pages.extend(ids.into_iter().map(|id| format!("reports/{dir}/{id}")));
    }
    let mut compared = 0;
    for p in &pages {
        let (a, b) = (rows_of(&page(then.path(), p), MONTH), rows_of(&page(now.path(), p), MONTH));
        assert_eq!(a, b, "{p}: July's rows changed after July");
        compared += b.len();
    }
    assert!(compared >= 40, "only {compared} rows of July compared");
}

/// Which month ends had complaints still open past their limit, counted by hand from
/// `data/complaints.csv` (limit in force when received: quality 48 h before 2026, 36 h
/// after; attitude 24 h; other 72 h). E.g. C01026 (other, received 2026-09-27 06:00)
/// was 18 h past its 72 h on 30 September and still open.
const OPEN_AT_MONTH_END: [(&str, usize); 9] = [
    ("2025-05", 1),
    ("2025-06", 1),
    ("2025-07", 2),
    ("2025-09", 1),
    ("2025-11", 2),
    ("2026-02", 1),
    ("2026-03", 2),
    ("2026-06", 1),
    ("2026-09", 1),
];

#[test]
fn open_complaints_past_their_limit_are_flagged_on_past_months_too() {
    let now = copy_of(&repo_root());
    build(now.path(), LATER);
    let mut months: Vec<String> = std::fs::read_dir(now.path().join("site/managers/reports"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("20"))
        .collect();
    months.sort();
    assert_eq!(months.last().map(String::as_str), Some("2026-10"));
    let flagged: Vec<(String, usize)> = months[..months.len() - 1]
        .iter()
        .filter_map(|m| {
            let main = page(now.path(), &format!("reports/{m}"));
            let end = main.find(" 件投诉已超过处理时限仍未结案")?;
            let n = main[..end].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
            Some((m.clone(), n))
        })
        .collect();
    let expected: Vec<(String, usize)> = OPEN_AT_MONTH_END.iter().map(|(m, n)| (m.to_string(), *n)).collect();
    assert_eq!(flagged, expected);
}

/// Ties at the edge of the top share never give more stars than places (the
/// default `top_ties: exclude`), and the overview says why a tied group has none;
/// `top_ties: include` stars the whole tied group.
#[test]
fn ties_at_the_top_share_never_outnumber_its_places_unless_included() {
    let now = copy_of(&repo_root());
    build(now.path(), LATER);
    let overview = page(now.path(), "reports/2026-10");
    // 一线服务考核: 9 ranked, 10% → 1 place; five people tie at 100 points.
    assert!(
        overview.contains("表彰名额 1 人（9 人的前 10%，向上取整）；5 人并列第 1 名，超出名额，均不标 ★"),
        "{overview}"
    );
    let stars = |html: &str| html.matches(">★<").count();
    assert_eq!(stars(&overview), 0, "no tied group fits in one place");

    let scorecards = now.path().join("data/scorecards.yaml");
    let text = read(&scorecards).replace("top_percent: 10", "top_percent: 10\n  top_ties: include");
    std::fs::write(&scorecards, text).unwrap();
    build(now.path(), LATER);
    let overview = page(now.path(), "reports/2026-10");
    // Included: 2 + 5 + 4 people tied at rank 1 on the three scorecards.
    assert_eq!(stars(&overview), 11, "{overview}");
    assert!(!overview.contains("超出名额"));
}

/// A team failing a scorecard as many months in a row as its `fail_streak` raises an
/// alert on the overview, as a person does.
#[test]
fn team_fail_streaks_raise_alerts() {
    let now = copy_of(&repo_root());
    build(now.path(), LATER);
    let overview = page(now.path(), "reports/2026-10");
    let text: String = overview.split('<').map(|piece| piece.split_once('>').map_or(piece, |(_, t)| t)).collect();
    assert!(text.contains("门店前台组（团队）在“客服专员月度考核”中已连续 3 个月不合格"), "{text}");
    assert!(overview.contains("<bdi>门店前台组</bdi>（团队）"), "the team's name is isolated in the sentence");
    assert!(overview.contains("href=\"../teams/store-desk/\""), "the alert links the team's page");
}
