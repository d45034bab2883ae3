//! Service data end to end (`tests/fixtures/valid/data/` over the base fixture):
//! parameters and KPI targets shown through shortcodes, data-driven tables, the KPI
//! dictionary and role scorecards per audience, blank and hand-typed-number checks,
//! and one number changed in data/ changing exactly the pages that show it.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::Path;

fn build_at(root: &Path, today: &str) -> std::process::Output {
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", today]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    o
}

fn data_site(today: &str) -> tempfile::TempDir {
    let site = site_with(&["valid/data"]);
    let o = build_at(site.path(), today);
    assert!(stderr(&o).is_empty(), "unexpected diagnostics:\n{}", stderr(&o));
    site
}

fn page(site: &Path, path: &str) -> String {
    read(&site.join("site").join(path).join("index.html"))
}

#[test]
fn parameters_render_where_the_text_uses_them_but_not_in_code() {
    let site = data_site("2026-06-15");
    let html = page(site.path(), "public/standards/time-limits");
    assert!(html.contains("线上人工客服在 <span class=\"param\">5 分钟</span>内回复"), "{html}");
    assert!(html.contains("<code>{{ param(id=\"online_reply_minutes\") }}</code>"), "code must stay literal");
    assert!(html.contains("<th scope=\"row\">产品质量类投诉</th><td>48 小时</td><td>退货或换货</td>"), "{html}");
    // A parameter in a heading is part of its text and its anchor.
    assert!(html.contains("<h2 id=\"时限-24-小时\">时限 <span class=\"param\">24 小时</span></h2>"), "{html}");
    assert!(html.contains("<a href=\"#时限-24-小时\">时限 24 小时</a>"), "toc entry: {html}");
}

#[test]
fn targets_follow_the_build_date() {
    let site = data_site("2026-06-15");
    assert!(page(site.path(), "public/standards/time-limits")
        .contains("满意度目标为 <span class=\"target\">≥ 4.2 分</span>"));
    let site = data_site("2025-06-15");
    assert!(
        page(site.path(), "public/standards/time-limits").contains("满意度目标为 <span class=\"target\">≥ 4 分</span>")
    );
}

#[test]
fn scorecard_tables_show_kpis_targets_weights_and_rules() {
    let site = data_site("2026-06-15");
    let html = page(site.path(), "public/standards/time-limits");
    assert!(html.contains("<caption>服务质量综合评分</caption>"), "{html}");
    assert!(html.contains(
        "<tr><th scope=\"row\"><a href=\"../../kpis/satisfaction/\">客户满意度</a></th><td>≥ 4.2 分</td><td>60%</td><td>按达成程度比例计分</td></tr>"
    ), "{html}");
    assert!(html.contains("<td>≤ 24 小时</td><td>40%</td><td>达标得满分，未达标不得分</td>"));
    assert!(html.contains("合格线 60 分；排名前 10% 予以表彰；连续 3 个月不合格将被重点关注。"));
    assert!(html.contains("见<a class=\"kpi-link\" href=\"../../kpis/satisfaction/\">客户满意度</a>"));
    // The block shortcode replaced its paragraph.
    assert!(!html.contains("<p><div class=\"table-wrap\">"), "{html}");
}

#[test]
fn kpi_dictionary_is_complete_internally_and_public_only_in_public() {
    let site = data_site("2026-06-15");
    let root = site.path().join("site");
    for k in ["satisfaction", "response_hours"] {
        assert!(root.join("public/kpis").join(k).join("index.html").exists(), "public KPI page {k}");
    }
    assert!(!root.join("public/kpis/error_rate").exists(), "internal KPI published");
    assert!(root.join("internal/kpis/error_rate/index.html").exists());

    let sat = page(site.path(), "public/kpis/satisfaction");
    assert!(sat.contains("<strong>平均分</strong>"), "definition is markdown");
    assert!(sat.contains("<dd class=\"target\">≥ 4.2 分</dd>"), "{sat}");
    assert!(sat.contains("<tr><th scope=\"row\">2025-01</th><td>≥ 4 分</td></tr>"), "{sat}");
    assert!(sat.contains("<tr class=\"is-current\"><th scope=\"row\">2026-01</th><td>≥ 4.2 分"), "{sat}");
    assert!(sat.contains("未达目标但差距不超过 0.2 分时记为“预警”"));
    assert!(sat.contains("越高越好") && sat.contains("1–5 分") && sat.contains("取平均值"));
    assert!(sat.contains("<a href=\"../../roles/front-desk/\">前台接待部</a>"), "owner");
    // Scorecards and citing pages are limited to the site's audience.
    assert!(sat.contains("服务质量综合评分</bdi> · 权重 60%"), "{sat}");
    assert!(!sat.contains("专员月度考核"), "internal scorecard on a public KPI page");
    assert!(sat.contains(">服务时限标准</a>") && !sat.contains("内部质检规则"));
    let sat_internal = page(site.path(), "internal/kpis/satisfaction");
    assert!(sat_internal.contains("专员月度考核</bdi> · 权重 50%") && sat_internal.contains("内部质检规则"));
    let rt = page(site.path(), "public/kpis/response_hours");
    assert!(rt.contains(">服务时限标准</a>"), "front-matter `kpis:` citation");

    let index = page(site.path(), "public/kpis");
    assert!(index.contains("客户满意度") && index.contains("投诉响应时长") && !index.contains("差错率"));
    let nav = page(site.path(), "public/standards");
    assert!(nav.contains("<a href=\"../kpis/\">指标词典</a>"), "{nav}");
}

#[test]
fn role_pages_show_the_scorecards_they_are_assessed_by() {
    let site = data_site("2026-06-15");
    let front = page(site.path(), "public/roles/front-desk");
    assert!(front.contains("适用的考核表") && front.contains("<caption>服务质量综合评分</caption>"), "{front}");
    let spec = page(site.path(), "internal/roles/specialist");
    assert!(spec.contains("<caption>专员月度考核</caption>"));
    assert!(spec.contains("<td>≤ 2%</td><td>50%</td>"), "{spec}");
}

#[test]
fn no_internal_kpi_or_scorecard_reaches_public_output() {
    let site = data_site("2026-06-15");
    for (path, bytes) in tree(&site.path().join("site/public")) {
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["差错率", "error_rate", "专员月度考核", "specialist-monthly", "内部质检规则", "抽检"]
        {
            assert!(!text.contains(secret), "public/{path} contains `{secret}`");
        }
    }
}

#[test]
fn blanks_in_internal_pages_warn_and_typed_parameter_values_warn() {
    let site = site_with(&["valid/data"]);
    std::fs::write(
        site.path().join("content/standards/draft-rules.md"),
        "---\ntitle: 内部草案\n---\n\n电话在 [X] 秒内接听；投诉 48 小时内处理。\n",
    )
    .unwrap();
    let o = build_at(site.path(), "2026-06-15");
    let err = stderr(&o);
    assert!(err.contains("content/standards/draft-rules.md:5:5: warning: page has an unfilled blank"), "{err}");
    assert!(err.contains(
        "content/standards/draft-rules.md:5:17: warning: `48 小时` is typed by hand but parameter `complaint_quality_hours` defines it"
    ), "{err}");
    assert!(err.contains("= help: write {{ param(id=\"complaint_quality_hours\") }}"), "{err}");
}

/// Files whose bytes differ between two output trees (added and removed ones too).
fn changed(
    before: &std::collections::BTreeMap<String, Vec<u8>>,
    after: &std::collections::BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    // The search index is derived from the pages' text and changes with any of them;
    // so does the build's manifest, which lists every file's hash.
    let keys: BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| !k.contains("/search/") && k.as_str() != ".charter-manifest")
        .collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn changing_one_parameter_changes_exactly_the_pages_that_show_it() {
    let site = data_site("2026-06-15");
    let before = tree(&site.path().join("site"));
    let params = site.path().join("data/params.yaml");
    let text = read(&params).replace("online_reply_minutes: {value: 5,", "online_reply_minutes: {value: 3,");
    std::fs::write(&params, text).unwrap();
    build_at(site.path(), "2026-06-15");
    let after = tree(&site.path().join("site"));
    assert_eq!(
        changed(&before, &after),
        set(&[
            "internal/standards/time-limits/index.html",
            "public/standards/time-limits/index.html",
            // The printed handbooks hold the page too.
            "internal/print/index.html",
            "public/print/index.html",
        ])
    );
    assert!(page(site.path(), "public/standards/time-limits").contains("<span class=\"param\">3 分钟</span>"));
}

#[test]
fn changing_one_kpi_target_changes_exactly_the_pages_that_show_it() {
    let site = data_site("2026-06-15");
    let before = tree(&site.path().join("site"));
    let kpis = site.path().join("data/kpis.yaml");
    let text = read(&kpis).replace("{from: 2026-01, value: 4.2}", "{from: 2026-01, value: 4.3}");
    std::fs::write(&kpis, text).unwrap();
    build_at(site.path(), "2026-06-15");
    let after = tree(&site.path().join("site"));
    assert_eq!(
        changed(&before, &after),
        set(&[
            // The target shortcode and the service-quality table.
            "public/standards/time-limits/index.html",
            "internal/standards/time-limits/index.html",
            // The specialist-monthly table (satisfaction is one of its items).
            "internal/standards/quality-check/index.html",
            // Role pages showing scorecards with satisfaction.
            "public/roles/front-desk/index.html",
            "internal/roles/front-desk/index.html",
            "internal/roles/specialist/index.html",
            // The KPI dictionary: the index (target in force) and the KPI's page.
            "public/kpis/index.html",
            "internal/kpis/index.html",
            "public/kpis/satisfaction/index.html",
            "internal/kpis/satisfaction/index.html",
            // The printed handbooks hold the pages that show it.
            "internal/print/index.html",
            "public/print/index.html",
        ])
    );
}

#[test]
fn a_site_without_data_still_builds() {
    let site = site_with(&[]);
    build_ok(site.path());
    assert!(!site.path().join("site/public/kpis").exists(), "no KPI dictionary without KPIs");
}
