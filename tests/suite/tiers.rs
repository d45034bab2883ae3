//! Audience tiers on the bundled example (`audiences: [public, internal, managers]`):
//! a person's score, rank and failing streak are in the managers' site only; every
//! employee's site names people (as team members) without their figures; each site is
//! a superset of the one below it; report families move between tiers as configured.

use std::path::Path;

use crate::common::*;
use crate::example_site::built_example;

/// The people of the example's `data/org.yaml`: (id, name).
fn people() -> Vec<(String, String)> {
    let org = read(&repo_root().join("data/org.yaml"));
    org.lines()
        .filter(|l| l.contains("role:") && l.contains("team:") && l.contains("name:"))
        .map(|l| {
            let field = |key: &str| {
                let rest = &l[l.find(&format!("{key}: ")).unwrap() + key.len() + 2..];
                rest[..rest.find([',', '}']).unwrap()].trim().to_string()
            };
            (field("id"), field("name"))
        })
        .collect()
}

/// The text of each `<tr>` of `html`, tags dropped and cells joined by `|`.
fn rows(html: &str) -> Vec<String> {
    html.split("<tr>")
        .skip(1)
        .map(|r| {
            let r = &r[..r.find("</tr>").unwrap_or(r.len())];
            let mut text = String::new();
            let mut in_tag = false;
            for c in r.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        text.push('|');
                    }
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.split('|').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("|")
        })
        .collect()
}

/// Each person's figures (their pages' table rows, the overview's ranking rows naming
/// them) are in the managers' site only; the internal and public sites have no
/// person page, no link to one, no ranking CSV, and name a person only as a member
/// of a team (on the team's page and in its search entry).
#[test]
fn people_are_named_to_every_employee_but_their_figures_only_to_managers() {
    let site = built_example();
    let out = site.path().join("site");
    let people = people();
    assert!(people.len() >= 12, "{people:?}");
    let managers = tree(&out.join("managers"));
    let mut figures: Vec<String> = Vec::new();
    for (id, name) in &people {
        let page = format!("reports/people/{id}/index.html");
        let html = String::from_utf8_lossy(managers.get(&page).unwrap_or_else(|| panic!("managers/{page} missing")));
        assert!(html.contains(name.as_str()));
        // Month rows of the person's scorecards and KPIs, made specific by the name.
        figures.extend(rows(&html).into_iter().filter(|r| r.starts_with("20")).map(|r| format!("{name}|{r}")));
    }
    let overview = String::from_utf8_lossy(&managers["reports/index.html"]).to_string();
    let ranked: Vec<String> =
        rows(&overview).into_iter().filter(|r| people.iter().any(|(_, n)| r.starts_with(&format!("{n}|")))).collect();
    assert!(ranked.len() >= 12, "the managers' overview ranks people: {ranked:?}");
    assert!(managers.keys().any(|p| p.starts_with("reports/card-") && p.ends_with(".csv")));
    for tier in ["internal", "public"] {
        for (path, bytes) in tree(&out.join(tier)) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!path.contains("reports/people/") && !path.starts_with("reports/card-"), "{tier}/{path}");
            assert!(!text.contains("people/p"), "{tier}/{path} links a person's page");
            // A ranking row, as a table row or a CSV line.
            let flat = text.replace(',', "|");
            for r in ranked.iter().chain(&figures) {
                assert!(!flat.contains(r.as_str()), "{tier}/{path} holds a person's figures: {r}");
            }
            for (_, name) in &people {
                let page = path.strip_prefix("en/").unwrap_or(&path);
                let as_member = page.starts_with("reports/teams/") || page.starts_with("search/");
                assert!(!text.contains(name.as_str()) || as_member, "{tier}/{path} names {name}");
            }
        }
    }
    // Named without figures: the team page lists members without links.
    let team = read(&out.join("internal/reports/teams/support-a/index.html"));
    let (_, member) = people.iter().find(|(id, _)| id == "p03").unwrap();
    assert!(team.contains(&format!("<li><bdi dir=\"auto\">{member}</bdi></li>")), "{team}");
    let alerts = read(&out.join("internal/reports/index.html"));
    assert!(!alerts.contains("马俊") && alerts.contains("门店前台组"), "a team's streak stays, a person's goes");
}

/// Each site behind sign-in is a superset of the one below it: every page of the
/// internal site is in the managers' site too.
#[test]
fn the_managers_site_holds_every_internal_page() {
    let out = built_example().path().join("site");
    let managers = tree(&out.join("managers"));
    let internal = tree(&out.join("internal"));
    let pages: Vec<&String> = internal.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() >= 90);
    for p in pages {
        assert!(managers.contains_key(p), "managers/{p} missing");
    }
    assert!(managers.len() > internal.len());
    let badge = read(&out.join("managers/index.html"));
    assert!(badge.contains("内部版 · managers") || badge.contains("· managers</span>"), "the site says its tier");
    assert_eq!(read(&out.join("managers/robots.txt")), "User-agent: *\nDisallow: /\n");
}

fn build_with(extra: &str) -> tempfile::TempDir {
    let site = copy_of(&repo_root());
    let config = site.path().join("charter.yaml");
    std::fs::write(&config, read(&config) + extra).unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-11-23"]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

fn has(site: &Path, path: &str) -> bool {
    site.join("site").join(path).exists()
}

/// `reports:` moves a family: people's pages to every employee when a handbook says
/// so, team and KPI pages up to managers (with no link to them left below).
#[test]
fn report_families_go_to_the_tier_configured() {
    let open = build_with("reports:\n  people: internal\n");
    assert!(has(open.path(), "internal/reports/people/p03/index.html"));

    let closed = build_with("reports:\n  teams: managers\n  kpis: managers\n  governance: managers\n");
    let s = closed.path();
    assert!(!has(s, "internal/reports/teams") && !has(s, "internal/reports/kpis") && !has(s, "internal/governance"));
    assert!(has(s, "managers/reports/teams/support-a/index.html") && has(s, "managers/reports/kpis/nps/index.html"));
    assert!(has(s, "internal/reports/index.html"));
    for (path, bytes) in tree(&s.join("site/internal")) {
        let text = String::from_utf8_lossy(&bytes);
        for gone in ["reports/teams/", "reports/kpis/", "governance/"] {
            // Links are relative: look for the folder's name after a quote or slash.
            let linked = text.contains(&format!("\"{gone}")) || text.contains(&format!("/{gone}"));
            assert!(!linked || path.starts_with("search/"), "internal/{path} links {gone}");
        }
    }
}

/// `charter serve --audience` takes the site's own tiers and refuses others, naming them.
#[test]
fn serve_takes_only_a_declared_tier() {
    let site = copy_of(&repo_root());
    let o = charter(&["serve", "--root", site.path().to_str().unwrap(), "--audience", "board"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("`--audience board`: this site's audiences are `public`, `internal`, `managers`"),
        "{}",
        stderr(&o)
    );
}

/// A page of a further tier is built into that tier's site only, says who may read it,
/// and is found by that site's search alone; its section's name stays out of the
/// internal site.
#[test]
fn a_managers_page_is_in_the_managers_site_only_and_says_so() {
    let site = site_with(&["tiers"]);
    let o = build_ok(site.path());
    assert!(stdout(&o).contains(" public, ") && stdout(&o).contains(" managers pages"), "{}", stdout(&o));
    let out = site.path().join("site");
    let page = read(&out.join("managers/board/review-talks/index.html"));
    assert!(page.contains("仅限 managers 的读者：请勿转给其他员工。"), "{page}");
    // It links down to an internal page, which is allowed.
    assert!(page.contains("href=\"../../standards/internal-rules/\""), "{page}");
    for tier in ["internal", "public"] {
        for (path, bytes) in tree(&out.join(tier)) {
            let text = String::from_utf8_lossy(&bytes);
            for secret in ["绩效面谈安排", "管理层资料", "review-talks", "board/"] {
                assert!(!text.contains(secret) && !path.contains(secret), "{tier}/{path} holds `{secret}`");
            }
        }
    }
    let index = read_bundle(&out.join("managers/search"));
    assert_eq!(ranked(&index, "面谈").first().map(String::as_str), Some("board/review-talks/"));
    // Internal pages in the managers' site carry no such notice.
    let internal_page = read(&out.join("managers/standards/internal-rules/index.html"));
    assert!(!internal_page.contains("请勿转给其他员工"));
}

/// A two-tier handbook whose reports rank people warns once that every employee reads
/// everyone's figures, until `charter.yaml` says which it means; `--strict` fails on it.
#[test]
fn people_figures_reach_every_employee_only_when_the_config_says_so() {
    let site = site_with(&["valid/data", "valid/reports"]);
    let root = site.path().to_str().unwrap();
    let config = site.path().join("charter.yaml");
    let said = read(&config);
    std::fs::write(&config, "title: 测试手册\nlanguage: zh-CN\nbase_url: https://example.com/\n").unwrap();
    let o = charter(&["build", "--root", root, "--today", "2026-06-15"]);
    let err = stderr(&o);
    let warned: Vec<&str> = err.lines().filter(|l| l.contains("to every employee")).collect();
    assert_eq!(warned.len(), 1, "{err}");
    assert!(warned[0].starts_with("charter.yaml: warning: the reports show 2 people's own figures"), "{}", warned[0]);
    let strict = charter(&["build", "--root", root, "--today", "2026-06-15", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    for fix in [said.as_str(), "title: 测试手册\naudiences: [public, internal, managers]\n"] {
        std::fs::write(&config, fix).unwrap();
        let o = charter(&["build", "--root", root, "--today", "2026-06-15"]);
        assert!(o.status.success() && !stderr(&o).contains("to every employee"), "{fix}: {}", stderr(&o));
    }
    assert!(site.path().join("site/managers/reports/people").is_dir());
}
