//! The bundled example handbook (the repository root is the example site): it builds
//! without warnings, holds what the README promises, and leaks nothing internal.

mod common;
use charter::content::{self, Audience, Status};
use charter::diagnostics::Diagnostics;
use common::*;

#[test]
fn example_builds_without_warnings() {
    let site = copy_of(&repo_root());
    let o = build_ok(site.path());
    assert!(stderr(&o).is_empty(), "example has diagnostics:\n{}", stderr(&o));
    assert!(stdout(&o).starts_with("built 26 public and 41 internal pages"), "{}", stdout(&o));
}

/// Every title, id, URL and sentence of an internal or draft page, read from the
/// example's own content, is absent from every file of the public site.
#[test]
fn example_public_output_holds_no_internal_text() {
    let site = copy_of(&repo_root());
    build_ok(site.path());
    let mut d = Diagnostics::new();
    let loaded = content::load(site.path(), Audience::Internal, &mut d);
    let hidden: Vec<_> =
        loaded.pages.iter().filter(|p| p.audience == Audience::Internal || p.status == Status::Draft).collect();
    assert!(hidden.len() >= 8, "the example should have internal pages");
    let mut secrets: Vec<String> = Vec::new();
    for p in &hidden {
        secrets.extend([p.title.clone(), p.id.value.clone(), p.url.clone()]);
        // Whole sentences of the body: long enough to be specific to the page.
        for sentence in p.body.split(['。', '\n']) {
            let s = sentence.trim().trim_start_matches(['-', '*', '#', '|', ' ']).trim();
            if s.chars().count() >= 24 && !s.starts_with('|') {
                secrets.push(s.to_string());
            }
        }
    }
    let public = tree(&site.path().join("site/public"));
    assert!(public.len() > 20);
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "public/{path} contains internal text `{s}`");
        }
    }
}

#[test]
fn example_has_the_chapters_roles_and_internal_rules() {
    let site = copy_of(&repo_root());
    build_ok(site.path());
    let public = site.path().join("site/public");
    for chapter in [
        "service-philosophy",
        "service-process",
        "role-responsibilities",
        "service-tools",
        "service-evaluation",
        "service-culture",
        "service-practice",
        "service-improvement",
        "performance-management",
        "future-development",
        "complaint-handling",
    ] {
        assert!(public.join("standards").join(chapter).join("index.html").exists(), "missing chapter {chapter}");
    }
    for role in ["front-desk", "customer-support", "technical-support", "sales", "planning"] {
        assert!(public.join("roles").join(role).join("index.html").exists(), "missing department {role}");
    }
    let internal = site.path().join("site/internal");
    for p in [
        "standards/mall-behaviour-code",
        "standards/assessment-discipline",
        "roles/service-manager",
        "roles/service-supervisor",
        "roles/service-specialist",
        "roles/tech-support-specialist",
        "roles/after-sales-specialist",
    ] {
        assert!(internal.join(p).join("index.html").exists(), "missing internal page {p}");
        assert!(!public.join(p).exists(), "internal page {p} is public");
    }
    let complaints = read(&public.join("standards/complaint-handling/index.html"));
    for limit in ["24 小时", "48 小时", "72 小时"] {
        assert!(complaints.contains(limit), "complaint time limit {limit} missing");
    }
    assert!(
        !public.join("standards/smart-service-pilot").exists()
            && !internal.join("standards/smart-service-pilot").exists()
    );
    let retired = read(&public.join("standards/phone-service/index.html"));
    assert!(retired.contains("notice-retired"));
    let manager = read(&internal.join("roles/service-manager/index.html"));
    assert!(manager.contains("客服主管"), "manager page should list the supervisor reporting to it");
}

/// The theme loads nothing from another host (no CDN fonts, styles or scripts) and
/// needs no JavaScript; pages carry landmarks, `lang` and a skip link.
#[test]
fn example_pages_are_self_contained_and_accessible() {
    let site = copy_of(&repo_root());
    build_ok(site.path());
    for (path, bytes) in tree(&site.path().join("site")) {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [
            "<script",
            "src=\"http",
            "src=\"//",
            "@import",
            "url(http",
            "url(//",
            "<link rel=\"stylesheet\" href=\"http",
        ] {
            assert!(!text.contains(needle), "{path} contains `{needle}`");
        }
        if path.ends_with(".html") {
            for landmark in [
                "<html lang=\"zh-CN\">",
                "<main id=\"main\"",
                "<header",
                "<nav",
                "<footer",
                "class=\"skip-link\" href=\"#main\"",
            ] {
                assert!(text.contains(landmark), "{path} lacks `{landmark}`");
            }
        }
    }
}

/// Issue "service data" item 10: the example's public pages carry no unfilled blank,
/// its tables come from data, and the numbers a parameter defines are not typed by
/// hand (the build warns about those, and `example_builds_without_warnings` forbids
/// warnings).
#[test]
fn example_numbers_come_from_data() {
    let site = copy_of(&repo_root());
    build_ok(site.path());
    for (path, bytes) in tree(&site.path().join("site/public")) {
        let text = String::from_utf8_lossy(&bytes);
        for blank in ["[X]", "[x]", "［X］", "【X】"] {
            assert!(!text.contains(blank), "public/{path} contains the blank {blank}");
        }
    }
    let public = site.path().join("site/public/standards");
    let params_tables = |page: &str| read(&public.join(page).join("index.html")).matches("params-table").count();
    assert!(params_tables("service-philosophy") >= 1, "service-level table is not data-driven");
    assert!(params_tables("service-process") >= 1, "complaint time-limit table is not data-driven");
    assert!(params_tables("complaint-handling") >= 1, "complaint time-limit table is not data-driven");
    let perf = read(&public.join("performance-management/index.html"));
    assert!(perf.contains("<caption>服务质量综合评分</caption>"), "public scorecard table missing");
    let internal = site.path().join("site/internal/standards/assessment-discipline/index.html");
    assert_eq!(read(&internal).matches("kpi-table").count(), 2, "both internal scorecards shown");
    // Both scorecards of domain.md are expressible: 40/30/30 each.
    let cards = read(&repo_root().join("data/scorecards.yaml"));
    assert!(cards.contains("service-quality") && cards.contains("frontline-service"));
    let params = read(&repo_root().join("data/params.yaml"));
    assert!(params.lines().filter(|l| l.contains("value:")).count() >= 30, "params should cover domain.md's numbers");
}
