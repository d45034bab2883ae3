//! Sections as real handbooks have them: folders without `_index.md`, sections that
//! are not standards, `_index.md` ordering its pages (`pages:`) and leaving the print
//! edition (`print: false`), governed sections, and labels that show only with content.
//! Fixture sites: `valid/sections-internal` (an internal English handbook with one
//! public page and no `_index.md` anywhere) and `valid/sections-handbook` (policies,
//! onboarding, FAQ, archive and roles, no owners).

use std::path::Path;

use crate::common::*;

fn fixture(name: &str) -> tempfile::TempDir {
    copy_of(&fixtures().join("valid").join(name))
}

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap(), "--today", "2026-06-15"];
    args.extend_from_slice(extra);
    charter(&args)
}

/// Where each of `titles` first appears in `html` as a link text; asserts they appear
/// in that order.
fn assert_in_order(html: &str, titles: &[&str], what: &str) {
    let at: Vec<usize> = titles
        .iter()
        .map(|t| html.find(&format!(">{t}</a>")).unwrap_or_else(|| panic!("{what}: `{t}` missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{what}: not in order {titles:?}: {at:?}");
}

/// The text of a `<ul class="page-list">` … `</ul>` list (the section's pages).
fn page_list(html: &str) -> &str {
    let start = html.find("<ul class=\"page-list\">").expect("a page list");
    let end = html[start..].find("</ul>").unwrap() + start;
    &html[start..end]
}

const INTERNAL_MARKERS: &[&str] = &["zzsalary", "zzplans", "zzroadmap", "zzwelcome"];

#[test]
fn one_public_page_in_an_internal_site_needs_no_index_files_and_nothing_internal_leaks() {
    let site = fixture("sections-internal");
    let o = build(site.path(), &["--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let public = site.path().join("site/public");
    // The folders above the public page are published, titled by their folder names,
    // and the generated home by the site's title.
    let home = read(&public.join("index.html"));
    assert!(home.contains("<h1>Harbour Staff Handbook</h1>"), "{home}");
    assert!(home.contains("<a href=\"handbook/\">handbook</a>"), "{home}");
    let people = read(&public.join("handbook/people/index.html"));
    assert!(people.contains("<h1>people</h1>"));
    assert_eq!(page_list(&people).matches("<li").count(), 1, "{people}");
    assert!(page_list(&people).contains(">Annual leave</a>"));
    let handbook = read(&public.join("handbook/index.html"));
    assert!(handbook.contains(">people</a>"), "{handbook}");
    assert!(public.join("handbook/people/leave/index.html").is_file());
    assert!(!public.join("handbook/zzplans").exists());
    // No internal title, file name or folder name anywhere in the public site: pages,
    // section lists, navigation, search index, sitemap, print edition.
    let files = tree(&public);
    assert!(files.contains_key("sitemap.xml") && files.keys().any(|k| k.starts_with("search/")), "{:?}", files.keys());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for m in INTERNAL_MARKERS {
            assert!(!text.contains(m) && !path.contains(m), "public/{path} shows internal `{m}`");
        }
    }
    // The internal site shows them all (so the check above can fail).
    let internal: String =
        tree(&site.path().join("site/internal")).values().map(|b| String::from_utf8_lossy(b).to_lowercase()).collect();
    for m in INTERNAL_MARKERS {
        assert!(internal.contains(m), "internal site lacks `{m}`");
    }
    let inside = read(&site.path().join("site/internal/handbook/people/index.html"));
    assert!(page_list(&inside).contains(">Zzsalary bands</a>") && page_list(&inside).contains(">Annual leave</a>"));
}

#[test]
fn a_site_with_no_public_page_warns_and_its_public_folder_holds_no_page() {
    let site = fixture("sections-internal");
    let leave = site.path().join("content/handbook/people/leave.md");
    std::fs::write(&leave, read(&leave).replace("audience: public\n", "")).unwrap();
    let o = build(site.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        diagnostic_lines(&stderr(&o)),
        vec![
            "charter.yaml: warning: no page is public, so a public site built from this content has no pages (only the theme's files, a 404 page, robots.txt and an empty sitemap)",
            "= help: set `audience: public` in the front matter of the pages customers may read (their folders follow), or `default_audience: public` here; if the handbook is internal only, deploy site/internal/ alone",
        ]
    );
    let public = tree(&site.path().join("site/public"));
    let pages: Vec<&String> = public.keys().filter(|k| k.ends_with("index.html")).collect();
    assert!(pages.is_empty(), "the empty public site has pages: {pages:?}");
    assert!(public.contains_key("404.html") && public.contains_key("robots.txt"));
    let sitemap = String::from_utf8_lossy(&public["sitemap.xml"]).to_string();
    assert!(!sitemap.contains("<url>"), "{sitemap}");
    let not_found = String::from_utf8_lossy(&public["404.html"]).to_string();
    assert!(!not_found.contains("print/"), "the 404 page links to a print edition that is not there");
    // CI with --strict refuses it.
    let strict = build(site.path(), &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stderr(&strict).contains("charter.yaml: error: no page is public"), "{}", stderr(&strict));
}

#[test]
fn sections_that_are_not_standards_build_strict_without_warnings_and_print_in_site_order() {
    let site = fixture("sections-handbook");
    let o = build(site.path(), &["--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    let out = site.path().join("site");
    // Every section in site order: the home page's `pages:` orders the top sections;
    // onboarding lists its pages; policies puts the weighted page first, then titles;
    // the FAQ follows its file names' numbers. Archive and roles opt out.
    let order = [
        "Welcome aboard",
        "Your first week",
        "Accounts and tools",
        "A buddy for each newcomer",
        "Leave",
        "Conduct",
        "Expenses",
        "Signing in",
        "Payslips",
        "Account closing",
    ];
    for audience in ["public", "internal"] {
        let print = read(&out.join(audience).join("print/index.html"));
        assert_in_order(&print, &order, &format!("{audience} print edition"));
        for left_out in ["The old office", "Director", "Office coordinator"] {
            assert!(!print.contains(left_out), "{audience} print edition holds `{left_out}` (print: false)");
        }
        assert!(out.join(audience).join("archive/old-office/index.html").is_file());
    }
    // Navigation: listed sections first, then the others by title.
    let home = read(&out.join("public/index.html"));
    let nav = &home[home.find("site-nav").unwrap()..];
    assert_in_order(nav, &["Onboarding", "Policies", "faq", "Archive", "Roles"], "navigation");
    let onboarding = read(&out.join("public/onboarding/index.html"));
    assert_in_order(page_list(&onboarding), &order[..4], "onboarding list");
    let faq = read(&out.join("public/faq/index.html"));
    assert_in_order(page_list(&faq), &order[7..], "FAQ list");
    // Previous / next follow the same order.
    let first_week = read(&out.join("public/onboarding/first-week/index.html"));
    assert!(first_week.contains("href=\"../welcome/\"><span>Previous</span>Welcome aboard</a>"), "{first_week}");
    assert!(first_week.contains("href=\"../tools/\"><span>Next</span>Accounts and tools</a>"), "{first_week}");
}

#[test]
fn labels_show_only_where_they_have_content() {
    let site = fixture("sections-handbook");
    assert!(build(site.path(), &[]).status.success());
    let out = site.path().join("site/public");
    // A policy with no owner, dates, status or tags has no page-info box at all.
    let leave = read(&out.join("policies/leave/index.html"));
    assert!(!leave.contains("class=\"page-meta\"") && !leave.contains(">Status<"), "{leave}");
    // The top role reports to no one: no "Reports to" line; it owns nothing: no list.
    let director = read(&out.join("roles/director/index.html"));
    assert!(!director.contains("Reports to") && !director.contains(">None<"), "{director}");
    assert!(director.contains("<dt>Roles reporting here</dt>") && director.contains(">Office coordinator</a>"));
    let coordinator = read(&out.join("roles/coordinator/index.html"));
    assert!(coordinator.contains("<dt>Reports to</dt><dd><a href=\"../director/\">Director</a></dd>"), "{coordinator}");
    assert!(!coordinator.contains("Roles reporting here") && !coordinator.contains("role-owned"));
    // A standard keeps its status box.
    let base = site_with(&[]);
    build_ok(base.path());
    let standard = read(&base.path().join("site/public/standards/complaints/index.html"));
    assert!(standard.contains("<dt>状态</dt>"), "{standard}");
}

#[test]
fn owner_and_review_checks_follow_the_governed_sections() {
    let site = fixture("sections-handbook");
    let config = site.path().join("charter.yaml");
    let text = read(&config);
    std::fs::write(&config, format!("{text}governed: [policies]\n")).unwrap();
    let o = build(site.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let owner = "has no `owner`: name the role responsible for it";
    assert_eq!(
        diagnostic_lines(&stderr(&o)),
        ["conduct", "expenses", "leave"]
            .map(|p| format!("content/policies/{p}.md:1:1: warning: page in governed section `policies` {owner}"))
    );
    // A misspelt section would switch the checks off unseen: it is an error.
    std::fs::write(&config, format!("{text}governed: [polices]\n")).unwrap();
    let o = build(site.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        diagnostic_lines(&stderr(&o)),
        vec![
            "charter.yaml:5:12: error: `governed`: unknown section `polices`: there is no such folder under content/",
            "= help: did you mean `policies`?",
        ]
    );
}
