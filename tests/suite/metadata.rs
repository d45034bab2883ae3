//! What pages say about themselves, over every page of both sites of the bundled
//! example: a description, OpenGraph and Twitter tags, a canonical address on every
//! published page (old releases pointing at the current page only where it still
//! exists), the releases feed's author and the link to it, the sitemap's `lastmod`,
//! and a 404 page that works under a sub-path.

use std::path::Path;

use crate::common::*;
use crate::example_site::built_example;

const BASE: &str = "https://handbook.example.com/";

/// Every HTML page of `site` (`public` or `internal`) but redirects of moved pages, by
/// path relative to the site.
fn pages(out: &Path, site: &str) -> Vec<(String, String)> {
    tree(&out.join(site))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .filter(|(_, html)| !html.contains("<!-- a moved page: redirect -->"))
        .collect()
}

/// The `content` of `<meta {attr}="{name}" content="…">` in the head of `html`.
fn meta<'h>(html: &'h str, attr: &str, name: &str) -> Option<&'h str> {
    let head = &html[..html.find("</head>")?];
    let key = format!("<meta {attr}=\"{name}\" content=\"");
    let at = head.find(&key)? + key.len();
    Some(&head[at..at + head[at..].find('"')?])
}

fn canonical(html: &str) -> Option<&str> {
    let key = "<link rel=\"canonical\" href=\"";
    let at = html.find(key)? + key.len();
    Some(&html[at..at + html[at..].find('"')?])
}

#[test]
fn every_page_of_both_sites_describes_itself() {
    let out = built_example().path().join("site");
    for site in ["public", "internal"] {
        let pages = pages(&out, site);
        assert!(pages.len() > 50, "{site}: {} pages", pages.len());
        for (path, html) in &pages {
            let at = format!("{site}/{path}");
            let description = meta(html, "name", "description").unwrap_or_else(|| panic!("{at}: no description"));
            assert!(!description.trim().is_empty() && description.chars().count() <= 160, "{at}: `{description}`");
            for og in ["og:title", "og:description", "og:type", "og:site_name", "og:locale"] {
                let value = meta(html, "property", og).unwrap_or_else(|| panic!("{at}: no {og}"));
                assert!(!value.is_empty(), "{at}: empty {og}");
            }
            let locale = if in_english(path) { "en_US" } else { "zh_CN" };
            assert_eq!(meta(html, "property", "og:locale"), Some(locale), "{at}");
            assert_eq!(meta(html, "name", "twitter:card"), Some("summary"), "{at}");
            let not_found = path == "404.html";
            // A search results page (`noindex`) is not a published page: no canonical.
            let results = path.ends_with("search/index.html");
            if site == "public" && !not_found && !results {
                // Published pages name their address, in this site.
                let c = canonical(html).unwrap_or_else(|| panic!("{at}: no canonical"));
                assert!(c.starts_with(BASE), "{at}: {c}");
                let own = meta(html, "property", "og:url").unwrap_or_else(|| panic!("{at}: no og:url"));
                assert_eq!(own, format!("{BASE}{}", path.trim_end_matches("index.html")), "{at}");
                assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\""), "{at}: no feed link");
            }
            if site == "internal" {
                // The internal site's address is not configured: nothing points at the
                // public site as if it were the internal page's address.
                assert!(canonical(html).is_none() && meta(html, "property", "og:url").is_none(), "{at}");
                assert!(!html.contains("application/atom+xml"), "{at}: the feed is the public site's");
            }
        }
    }
    // A changelog page has its canonical address and a description of its own.
    let changelog = read(&out.join("public/changelog/2026.1/index.html"));
    assert_eq!(canonical(&changelog), Some("https://handbook.example.com/changelog/2026.1/"));
    // A KPI page is described by its definition.
    let kpi = read(&out.join("public/kpis/satisfaction/index.html"));
    assert!(meta(&kpi, "name", "description").unwrap().contains("总体满意度"), "{kpi}");
}

#[test]
fn old_releases_point_at_the_current_page_only_where_it_exists() {
    let out = built_example().path().join("site");
    let mut checked = (0, 0);
    for release in ["2025.1", "2026.1"] {
        for (path, html) in pages(&out.join("public"), release) {
            let url = path.trim_end_matches("index.html");
            // The same page in either language (`en/` holds the second).
            let page = path.strip_prefix("en/").unwrap_or(&path);
            if page.starts_with("search/") {
                continue; // the results page: `noindex`, no canonical
            }
            let c = canonical(&html).unwrap_or_else(|| panic!("{release}/{path}: no canonical"));
            let current = out.join("public").join(&path);
            if current.exists() && path != "404.html" && !page.starts_with("print/") && !page.starts_with("search/") {
                assert_eq!(c, format!("{BASE}{url}"), "{release}/{path}");
                checked.0 += 1;
            } else if !current.exists() {
                assert_eq!(c, format!("{BASE}{release}/{url}"), "{release}/{path} is gone from the current release");
                checked.1 += 1;
            }
        }
    }
    assert!(checked.0 > 20, "{checked:?}");
}

#[test]
fn feed_sitemap_and_404_hold_for_hosting() {
    let out = built_example().path().join("site");
    let feed = read(&out.join("public/feed.xml"));
    assert!(feed.contains("<author><name>明德零售服务手册</name></author>"), "{feed}");
    let sitemap = read(&out.join("public/sitemap.xml"));
    let urls: Vec<&str> = sitemap.lines().filter(|l| l.contains("<url>")).collect();
    assert!(urls.len() > 20);
    for u in &urls {
        let day = u.split("<lastmod>").nth(1).unwrap_or_else(|| panic!("no lastmod: {u}"));
        let day = &day[..day.find('<').unwrap()];
        // The day the page itself states: its history (git, else `effective`), else
        // its release's day — never the build's clock.
        let loc = u.split("<loc>").nth(1).unwrap().split('<').next().unwrap();
        let path = charter::markdown::links::percent_decode(loc.strip_prefix(BASE).unwrap());
        let html = read(&out.join("public").join(path).join("index.html"));
        assert_eq!(meta(&html, "property", "article:modified_time"), Some(day), "{u}");
    }
    let home = read(&out.join("public/index.html"));
    let shown = home.split("<time datetime=\"").nth(1).map(|t| &t[..10]);
    assert!(shown.is_none_or(|d| sitemap.contains(&format!("<loc>{BASE}</loc><lastmod>{d}</lastmod>"))));
    let changelog = read(&out.join("public/changelog/index.html"));
    assert_eq!(meta(&changelog, "property", "article:modified_time"), Some("2026-01-01"), "the newest release's day");
    for site in ["public", "internal"] {
        let not_found = read(&out.join(site).join("404.html"));
        for attr in ["href=\"/", "src=\"/"] {
            assert!(!not_found.contains(attr), "{site}/404.html links from the server root: {not_found}");
        }
    }
    let public = read(&out.join("public/404.html"));
    // Its stylesheet (by its fingerprinted name) and home link are the site's address.
    assert!(public.contains(&format!("href=\"{BASE}style.")) && public.contains(&format!("href=\"{BASE}\"")));
}

#[test]
fn a_site_without_an_address_gets_a_404_relative_to_its_root() {
    let site = site_with(&[]);
    std::fs::write(site.path().join("charter.yaml"), "title: 测试手册\nlanguage: zh-CN\n").unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-11-23"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for s in ["public", "internal"] {
        let html = read(&site.path().join("site").join(s).join("404.html"));
        assert!(!html.contains("href=\"/") && html.contains("href=\"./style."), "{html}");
    }
}
