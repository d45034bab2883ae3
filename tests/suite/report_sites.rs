//! KPI reports end to end on `tests/fixtures/valid/reports/` (over the base and data
//! fixtures): small measurements whose results were computed by hand, rendered into
//! the internal `reports/` pages and the public performance page.

use crate::common::*;
use std::path::Path;

const TODAY: &str = "2026-07-15";

fn reports_site() -> tempfile::TempDir {
    let site = site_with(&["valid/data", "valid/reports"]);
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The fixture's gaps are said aloud, not dropped: a team the service-quality card
    // applies to is never measured on response hours, and p02 has no error rate in May.
    let err = stderr(&o);
    let headlines: Vec<&str> = err.lines().filter(|l| l.contains(": warning: ") || l.contains(": error: ")).collect();
    assert_eq!(
        headlines,
        [
            "data/scorecards.yaml:1:3: warning: scorecard `service-quality` applies to 1 subject that it can never score — desk-a (no values of `response_hours` at all)",
            "data/scorecards.yaml:12:3: warning: scorecard `specialist-monthly` cannot score 1 subject-month (left out of rankings and streaks) — 2026-05: p02 (no value of `error_rate`)",
        ],
        "unexpected diagnostics: {err}"
    );
    site
}

fn page(site: &Path, path: &str) -> String {
    read(&site.join("site").join(path).join("index.html"))
}

/// Table rows of a page as `|cell|cell|` strings, tags stripped.
fn rows(html: &str) -> Vec<String> {
    html.split("<tr")
        .skip(1)
        .map(|r| {
            let r = &r[..r.find("</tr>").unwrap_or(r.len())];
            let mut out = String::from("|");
            // Header cells (the column heads, each row's first cell) and data cells in order.
            let starts = r.match_indices("<td").chain(r.match_indices("<th")).map(|(i, _)| i);
            let mut starts: Vec<usize> = starts.collect();
            starts.sort_unstable();
            for cell in starts.iter().map(|i| &r[*i + 3..]) {
                let inner = &cell[cell.find('>').map_or(0, |i| i + 1)..];
                let text: String = strip(&inner[..inner.find("</t").unwrap_or(inner.len())]);
                out.push_str(text.trim());
                out.push('|');
            }
            out
        })
        .collect()
}

fn strip(s: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn overview_tiles_roll_people_up_to_the_organisation() {
    let site = reports_site();
    let html = page(site.path(), "internal/reports");
    assert!(html.contains("<dd>2026-06</dd>"), "latest period");
    // satisfaction June: mean(4.2, 3.6) = 3.9 against ≥ 4.2 with a 0.2 band → missed.
    assert!(html.contains("<p class=\"tile-value\">3.9 分</p>"), "{html}");
    assert!(html.contains("status-missed\">未达标</span> 目标 ≥ 4.2 分"), "{html}");
    // error_rate June: mean(2.0, 5.0) = 3.5% against ≤ 2% with a 1-point band → missed.
    assert!(html.contains("<p class=\"tile-value\">3.5%</p>"));
    // response_hours is given for the organisation directly (YAML metrics file).
    assert!(html.contains("<p class=\"tile-value\">20 小时</p>"));
    // Change against May (4.3 → 3.9).
    assert!(html.contains("较上月 −0.4 分"), "{html}");
}

#[test]
fn scores_ranks_top_share_and_streaks_match_hand_computation() {
    let site = reports_site();
    let html = page(site.path(), "internal/reports");
    let r = rows(&html);
    // specialist-monthly, June: 张敏 100 (rank 1 of 2, top 20% of 2 = 1), 李强 41.7 failed.
    assert!(r.contains(&"|张敏|100|合格|1/2|★||±0|".to_string()), "{r:#?}");
    assert!(r.contains(&"|李强|41.7|不合格|2/2||1||".to_string()), "{r:#?}");
    let p02 = rows(&page(site.path(), "internal/reports/people/p02"));
    assert!(p02.contains(&"|2026-06|41.7|不合格|2/2||1||".to_string()), "{p02:#?}");
    assert!(p02.contains(&"|2026-04|97.2|合格|1/2|★|||".to_string()), "{p02:#?}");
    assert!(
        !p02.iter().any(|row| row.starts_with("|2026-05|4") || row.starts_with("|2026-05|9")),
        "May has no score: {p02:#?}"
    );
    // Missing stays missing: May has no error rate for 李强.
    assert!(p02.contains(&"|2026-05|无数据|4 分|".to_string()), "{p02:#?}");
}

#[test]
fn complaint_compliance_nps_and_actions_match_hand_computation() {
    let site = reports_site();
    let c = rows(&page(site.path(), "internal/reports/complaints"));
    // 服务态度, June: 6 h within, 27 h late → 1 of 2; median 16.5 h, p90 27 h.
    assert!(c.contains(&"|2026-06|2|2|1|50%|16.5 h|27 h|".to_string()), "{c:#?}");
    // 产品质量: the open complaint is past its 48 h by the build date.
    assert!(c.contains(&"|2026-06|1|1|0|0%|无数据|无数据|".to_string()), "{c:#?}");
    assert!(c.iter().any(|r| r.starts_with("|c3|产品质量|门店服务台|前台一组|2026-06-10|")), "{c:#?}");
    let n = rows(&page(site.path(), "internal/reports/nps"));
    // 10, 9, 8, 3 → 2 promoters, 1 passive, 1 detractor: 50% − 25% = 25.
    assert!(n.contains(&"|2026-06|2|1|1|4|25|".to_string()), "{n:#?}");
    assert!(n.iter().any(|r| r.starts_with("|前台一组|") && r.ends_with("|25 (n=4)|")), "per team and month: {n:#?}");
    let a = rows(&page(site.path(), "internal/reports/actions"));
    assert!(
        a.contains(&"|增设前台服务通道|前台接待部|前台接待部|2026-06-30|进行中||逾期 15 天|".to_string()),
        "{a:#?}"
    );
    let overview = page(site.path(), "internal/reports");
    assert!(
        overview.contains("改进行动“<bdi>增设前台服务通道</bdi>”已逾期 15 天"),
        "latest overview judges actions at the build date"
    );
    assert!(overview.contains("<bdi>服务态度</bdi>投诉时限内处理率为 50%，低于 95%"));
    assert!(overview.contains("1 件投诉已超过处理时限仍未结案"));
    // An archived month is judged at its end: on April 30 the form update (due 04-15,
    // done 05-10) was 15 days overdue; today it is done and no longer flagged.
    let april = page(site.path(), "internal/reports/2026-04");
    assert!(april.contains("改进行动“<bdi>补充投诉登记表</bdi>”已逾期 15 天"), "{april}");
    assert!(!overview.contains("补充投诉登记表"));
    assert!(
        page(site.path(), "internal/reports/2026-06").contains("已逾期 15 天"),
        "the latest month's archive page equals the overview"
    );
}

#[test]
fn report_pages_exist_with_charts_and_tables_and_an_archive() {
    let site = reports_site();
    let root = site.path().join("site/internal/reports");
    for p in [
        "2026-04",
        "2026-05",
        "2026-06",
        "archive",
        "complaints",
        "nps",
        "actions",
        "teams/desk-a",
        "people/p01",
        "people/p02",
        "kpis/satisfaction",
        "kpis/error_rate",
    ] {
        assert!(root.join(p).join("index.html").exists(), "missing report page {p}");
    }
    let archive = page(site.path(), "internal/reports/archive");
    assert!(archive.contains("href=\"../2026-04/\""));
    let kpi = page(site.path(), "internal/reports/kpis/satisfaction");
    assert!(kpi.contains("<svg") && kpi.contains("<figure class=\"chart-figure\">"));
    assert!(kpi.contains("<caption><bdi>全组织趋势</bdi></caption>"), "the chart's numbers in a table beside it");
    let team = page(site.path(), "internal/reports/teams/desk-a");
    assert!(team.contains("<title id=\"kpi-satisfaction-chart-title\">客户满意度</title>"), "{team}");
    // The nav links the reports from every internal page, never from public ones.
    assert!(page(site.path(), "internal/standards").contains(">服务报告</a>"));
    assert!(!page(site.path(), "public/standards").contains("服务报告"));
}

#[test]
fn every_svg_is_well_formed_xml_with_a_title_and_desc() {
    let site = reports_site();
    let mut charts = 0;
    for (path, bytes) in tree(&site.path().join("site")).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(&bytes);
        let mut rest = text.as_ref();
        while let Some(i) = rest.find("<svg") {
            let end = rest[i..].find("</svg>").expect("closed svg") + i + 6;
            let svg = &rest[i..end];
            let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{path}: malformed SVG: {e}\n{svg}"));
            let root = doc.root_element();
            let title = root
                .children()
                .find(|n| n.has_tag_name("title"))
                .unwrap_or_else(|| panic!("{path}: SVG without <title>"));
            assert!(!title.text().unwrap_or("").trim().is_empty(), "{path}: empty <title>");
            assert!(root.children().any(|n| n.has_tag_name("desc")), "{path}: SVG without <desc>");
            assert_eq!(root.attribute("role"), Some("img"));
            charts += 1;
            rest = &rest[end..];
        }
    }
    assert!(charts > 20, "only {charts} charts");
}

#[test]
fn public_performance_shows_only_organisation_results_of_public_kpis() {
    let site = reports_site();
    let perf = page(site.path(), "public/performance");
    assert!(perf.contains("客户满意度") && perf.contains("投诉响应时长"));
    // 3.9 / 4.2 = 92.86% attainment.
    assert!(rows(&perf).contains(&"|2026-06|3.9 分|≥ 4.2 分|92.86%|未达标|".to_string()), "{:#?}", rows(&perf));
    assert!(page(site.path(), "public/standards").contains(">服务表现</a>"));
    // The performance page's CSV downloads are public files too: read below like the rest.
    let public = tree(&site.path().join("site/public"));
    assert!(public.keys().any(|p| p.starts_with("performance/") && p.ends_with(".csv")), "no public CSV");
    for (path, bytes) in public {
        let text = String::from_utf8_lossy(&bytes);
        for secret in [
            "张敏",
            "李强",
            "p01",
            "p02",
            "前台一组",
            "desk-a",
            "差错率",
            "error_rate",
            "reports/",
            "3.5%",
            "41.7",
            "净推荐值",
        ] {
            assert!(!text.contains(secret), "public/{path} contains `{secret}`");
        }
    }
}

#[test]
fn source_date_epoch_fixes_the_build_date_and_builds_are_reproducible() {
    let site = site_with(&["valid/data", "valid/reports"]);
    let root = site.path().to_str().unwrap();
    // 2026-07-15 00:00 UTC.
    let epoch = [("SOURCE_DATE_EPOCH", "1784073600")];
    assert!(charter_env(&["build", "--root", root], &epoch).status.success());
    let first = tree(&site.path().join("site"));
    assert!(page(site.path(), "internal/reports/actions").contains("逾期 15 天"));
    assert!(charter_env(
        &["build", "--root", root],
        &[("SOURCE_DATE_EPOCH", "1784073600"), ("RAYON_NUM_THREADS", "1")]
    )
    .status
    .success());
    assert!(first == tree(&site.path().join("site")), "same input and date, different output");
    let bad = charter_env(&["build", "--root", root], &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("SOURCE_DATE_EPOCH must be a whole number"));
}

#[test]
fn a_large_complaints_file_is_checked_in_pieces_with_every_error_at_its_line() {
    // Over a megabyte, so the file is read in several pieces in parallel: errors in
    // later pieces keep their file positions, a quoted field spanning lines is never
    // cut, and an id repeated far from its first use is still caught.
    let site = site_with(&["valid/data", "valid/reports"]);
    let mut csv = String::from("id,type,channel,team,received_at,resolved_at\n");
    for n in 1..=40_000 {
        let line = match n {
            15_000 => "\"x15000\",attitude,\"热线\n转接\",desk-a,2026-06-01 09:00,2026-06-01 10:00\n".to_string(),
            30_000 => "big5,attitude,热线,desk-a,2026-06-01 09:00,2026-06-01 10:00\n".to_string(),
            35_000 => "big35000,attitude,热线,desk-a,2026-06-01 25:00,\n".to_string(),
            _ => format!("big{n},attitude,热线,desk-a,2026-06-01 09:00,2026-06-01 10:00\n"),
        };
        csv.push_str(&line);
    }
    assert!(csv.len() > 2 << 20, "the file must span several pieces");
    std::fs::write(site.path().join("data/complaints.csv"), &csv).unwrap();
    let o = charter(&["check", "--root", site.path().to_str().unwrap(), "--today", TODAY]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    // Row n is on line n + 1; the quoted field adds one line after row 15,000.
    assert!(err.contains("data/complaints.csv:30002:1: error: duplicate complaint id `big5`"), "{err}");
    assert!(err.contains("data/complaints.csv:35002:29: error: `received_at`"), "{err}");
    assert_eq!(err.matches(": error: ").count(), 2, "{err}");
}
