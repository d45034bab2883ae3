//! Pages as other tools write them (`tests/fixtures/valid/migrated/`): no front matter,
//! `# Title` headings, TOML front matter, Hugo, Zola and Docusaurus keys, `extra:` used
//! by a template, and aliases whose redirect pages land on the moved page in every site
//! that publishes it (a release keeps them). The invalid cases (unknown keys, bad TOML,
//! alias collisions) are in `invalid_sites`.

use crate::common::*;
use std::path::Path;

fn migrated() -> (tempfile::TempDir, String) {
    let site = site_with(&["valid/migrated"]);
    let out = build_ok(site.path());
    (site, stderr(&out))
}

fn html(site: &Path, file: &str) -> String {
    read(&site.join("site").join(file))
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// The target of a redirect page's meta refresh, resolved against the redirect's own
/// folder, as a path under `site/`.
fn refresh_target(site: &Path, file: &str) -> String {
    let page = html(site, file);
    let start = page.find("content=\"0; url=").expect("meta refresh") + "content=\"0; url=".len();
    let href = &page[start..start + page[start..].find('"').unwrap()];
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for seg in href.split('/').filter(|s| !s.is_empty()) {
        if seg == ".." {
            parts.pop();
        } else {
            parts.push(seg);
        }
    }
    format!("{}/", parts.join("/"))
}

#[test]
fn a_migrated_site_builds_unchanged_with_one_warning_per_ignored_key() {
    let (_site, err) = migrated();
    let lines = diagnostic_lines(&err);
    let ours: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("content/guide/") || l.contains("Docusaurus key") || l.contains("Zola key"))
        .collect();
    assert_eq!(
        ours,
        [
            "content/guide/contact.md:4:1: warning: front matter: `sidebar_label` is not read by Charter (1 page)",
            "= help: `sidebar_label` is a Docusaurus key; in Charter navigation shows the page's `title`: set a shorter `title:` if it is long. Delete it, or keep it for templates under `extra:`",
            "content/guide/contact.md:5:1: warning: front matter: `hide_title` is not read by Charter (1 page)",
            "= help: `hide_title` is a Docusaurus key; in Charter the title is shown once: a leading `#` heading equal to it is not repeated. Delete it, or keep it for templates under `extra:`",
            "content/guide/faq.md:5:1: warning: front matter: `updated` is not read by Charter (1 page)",
            "= help: `updated` is a Zola key; in Charter each page shows when it was last updated from git history (see README, Page history); the date a standard takes effect is `effective`. Delete it, or keep it for templates under `extra:`",
            "content/guide/faq.md:8:2: warning: front matter: `taxonomies` is not read by Charter (1 page)",
            "= help: `taxonomies` is a Zola key; in Charter pages are grouped by `tags`. Delete it, or keep it for templates under `extra:`",
            "content/guide/shipping.md:8:1: warning: front matter: `categories` is not read by Charter (1 page)",
        ],
        "{err}"
    );
    assert!(!err.contains(": error:"), "{err}");
}

#[test]
fn titles_come_from_the_heading_or_the_file_name_and_show_once() {
    let (site, _) = migrated();
    let s = site.path();
    // No front matter: the `# Refund   policy` heading is the title, shown once; its
    // anchor stays for links.
    let refund = html(s, "internal/guide/refund-policy/index.html");
    assert_eq!(count(&refund, "<h1"), 1, "{refund}");
    assert!(refund.contains("<h1>Refund policy</h1>"));
    assert!(refund.contains("<title>Refund policy · Test Handbook</title>"), "{refund}");
    assert!(refund.contains("<div id=\"refund-policy\"></div>") && refund.contains("href=\"#refund-policy\""));
    // No front matter and no heading: the file name.
    let hours = html(s, "internal/guide/opening-hours/index.html");
    assert!(hours.contains("<h1>Opening hours</h1>"), "{hours}");
    // `title:` and an equal `# Returns`: once. A TOML title and `# Shipping`: once.
    for (file, title) in
        [("public/guide/returns/index.html", "Returns"), ("public/guide/shipping/index.html", "Shipping")]
    {
        let page = html(s, file);
        assert_eq!(count(&page, "<h1"), 1, "{file}");
        assert_eq!(count(&page, &format!("{title}</h1>")), 1, "{file}");
    }
    // File names as GitHub handbooks have them: a space and a quote (the id reads
    // them as `-`), and the same name in two folders (the ids come from the paths).
    let news = html(s, "internal/guide/What's new/index.html");
    assert!(news.contains("<h1>What&#39;s new</h1>") || news.contains("<h1>What's new</h1>"), "{news}");
    assert!(html(s, "internal/guide/more/faq/index.html").contains("<h1>More questions</h1>"));
    // Docusaurus: no title key, the heading is the title.
    assert!(html(s, "public/guide/contact/index.html").contains("<h1>Contact us</h1>"));
    // The search text has the title once (from the theme's heading), not twice: the
    // index stores it as the title and the text after it.
    let docs = bundle_docs(&s.join("site/internal/search"));
    assert!(docs.contains(r#"["guide/refund-policy/","Refund policy","Refunds are paid"#), "{docs}");
}

#[test]
fn other_tools_keys_and_extra_reach_the_page() {
    let (site, _) = migrated();
    let s = site.path();
    let returns = html(s, "public/guide/returns/index.html");
    // `description` is the summary; `extra:` reaches the template as `page.extra`.
    assert!(returns.contains("<p class=\"lead\">How customers bring goods back.</p>"), "{returns}");
    assert!(returns.contains("<p class=\"team\">Team: Counter staff</p>"));
    assert!(returns.contains("<p class=\"channels\">shop and post</p>"));
    assert!(html(s, "public/guide/shipping/index.html").contains("<p class=\"team\">Team: Logistics desk</p>"));
    // `sidebar_position: 1` sorts before `weight = 2`; `draft: true` is never published.
    let section = html(s, "public/guide/index.html");
    let at = |t: &str| section.find(t).unwrap_or_else(|| panic!("{t} not in guide/:\n{section}"));
    assert!(at(">Contact us<") < at(">Shipping<"));
    for audience in ["public", "internal"] {
        assert!(!s.join(format!("site/{audience}/guide/unlisted")).exists());
    }
    // A page without front matter has the site's default audience (internal here).
    assert!(!s.join("site/public/guide/refund-policy").exists());
}

#[test]
fn aliases_redirect_to_the_page_in_every_site_that_publishes_it() {
    let (site, _) = migrated();
    let s = site.path();
    let redirects = [
        ("guide/old-returns/index.html", "guide/returns/"),
        ("guide/returns-2023.html", "guide/returns/"),
        ("standards/returns/index.html", "guide/returns/"),
        ("shipping/index.html", "guide/shipping/"),
        // Docusaurus `slug` and Zola `path`: the URL the other tool gave the page.
        ("guide/reach-us/index.html", "guide/contact/"),
        ("help/faq/index.html", "guide/faq/"),
    ];
    for audience in ["public", "internal"] {
        for (file, target) in redirects {
            let path = format!("{audience}/{file}");
            assert_eq!(refresh_target(s, &path), format!("{audience}/{target}"), "{path}");
            assert!(s.join("site").join(audience).join(target).join("index.html").is_file());
            let page = html(s, &path);
            assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
        }
    }
    let old = html(s, "public/guide/old-returns/index.html");
    assert!(old.contains("<link rel=\"canonical\" href=\"https://example.com/guide/returns/\">"), "{old}");
    assert!(old.contains("<p>This page has moved to <a href=\"../returns/\">Returns</a>.</p>"), "{old}");
    assert!(old.starts_with("<!DOCTYPE html>") && old.contains("<html lang=\"en\">") && old.ends_with("</html>\n"));
    // An internal page's redirect exists only in the internal site.
    assert_eq!(refresh_target(s, "internal/guide/rota/index.html"), "internal/guide/staff-rota/");
    assert!(!s.join("site/public/guide/rota").exists());
    for (file, bytes) in tree(&s.join("site/public")) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Staff rota") && !text.contains("guide/rota"), "public/{file} names the internal page");
    }
    // Redirects are not pages: not in the sitemap, not in search.
    let sitemap = html(s, "public/sitemap.xml");
    assert!(sitemap.contains("/guide/returns/</loc>"));
    for old in ["old-returns", "returns-2023", "reach-us", "help/faq", "example.com/shipping/", "standards/returns/"] {
        assert!(!sitemap.contains(old), "{old} in sitemap:\n{sitemap}");
    }
    for audience in ["public", "internal"] {
        let docs = bundle_docs(&s.join(format!("site/{audience}/search")));
        assert!(!docs.contains("old-returns") && !docs.contains("reach-us") && !docs.contains("\"help/"), "{docs}");
    }
}

#[test]
fn a_release_keeps_the_redirects_of_the_pages_it_holds() {
    let site = site_with(&["valid/migrated"]);
    let root = site.path();
    let r = charter(&["release", "1.0", "--root", root.to_str().unwrap(), "--date", "2025-01-01", "--notes", "first"]);
    assert!(r.status.success(), "{}", stderr(&r));
    // After the release the working copy renames an alias: the public site still has the
    // released one, the internal site the new one.
    let returns = root.join("content/guide/returns.md");
    std::fs::write(&returns, read(&returns).replace("/guide/old-returns/", "/guide/older-returns/")).unwrap();
    build_ok(root);
    assert_eq!(refresh_target(root, "public/1.0/guide/old-returns/index.html"), "public/1.0/guide/returns/");
    assert_eq!(refresh_target(root, "public/guide/old-returns/index.html"), "public/guide/returns/");
    assert!(!root.join("site/public/guide/older-returns").exists());
    assert_eq!(refresh_target(root, "internal/guide/older-returns/index.html"), "internal/guide/returns/");
    assert!(!root.join("site/internal/guide/old-returns").exists());
    let folder = html(root, "public/1.0/guide/old-returns/index.html");
    assert!(folder.contains("href=\"https://example.com/1.0/guide/returns/\""), "{folder}");
}

#[test]
fn the_generated_names_aliases_may_not_use_cover_every_generated_path() {
    // Every top-level entry of both built sites is a content section, a release folder
    // or a name the alias check refuses; a new generated page must be added there.
    let site = site_with(&["valid/data", "valid/reports", "valid/migrated"]);
    let root = site.path();
    let r = charter(&["release", "1.0", "--root", root.to_str().unwrap(), "--date", "2025-01-01", "--notes", "n"]);
    assert!(r.status.success(), "{}", stderr(&r));
    build_ok(root);
    let sections = ["guide", "roles", "standards", "shipping", "help", "index.html", "1.0"];
    for audience in ["public", "internal"] {
        for entry in std::fs::read_dir(root.join("site").join(audience)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().to_string();
            let refused = charter_alias_refused(root, &name);
            assert!(sections.contains(&name.as_str()) || refused, "{audience}/{name} is generated but not refused");
        }
    }
}

/// Whether an alias inside `name` is refused as a generated path.
fn charter_alias_refused(root: &Path, name: &str) -> bool {
    let copy = copy_of(root);
    let page = copy.path().join("content/guide/returns.md");
    std::fs::write(&page, read(&page).replace("/guide/old-returns/", &format!("/{name}/moved/"))).unwrap();
    let o = charter(&["check", "--root", copy.path().to_str().unwrap()]);
    stderr(&o).contains("which the build generates")
}
