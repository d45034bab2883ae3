//! The print editions of the bundled example stay in their own site: the internal
//! edition links only within the internal site (never to the public `base_url`, where
//! internal pages do not exist), says "内部资料 / Internal" on every printed sheet (an
//! `@page` margin box) and on its cover, prints on A4 and shows link targets readably.

use std::path::Path;

use crate::common::*;
use crate::example_site::built_example;

/// `(href, data-print)` of every link of `html`.
fn links(html: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for chunk in html.split("<a ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|i| tag[i + key.len()..].split('"').next().unwrap().to_string())
        };
        if let Some(href) = attr("href") {
            out.push((href, attr("data-print")));
        }
    }
    out
}

/// The style sheet a page links to.
fn style_of(page: &Path, html: &str) -> String {
    let key = "<link rel=\"stylesheet\" href=\"";
    let at = html.find(key).unwrap() + key.len();
    let href = &html[at..at + html[at..].find('"').unwrap()];
    read(&page.parent().unwrap().join(href))
}

fn decode(s: &str) -> String {
    charter::markdown::links::percent_decode(s)
}

#[test]
fn the_internal_print_edition_links_only_within_the_internal_site() {
    let out = built_example().path().join("site");
    let page = out.join("internal/print/index.html");
    let html = read(&page);
    assert!(!html.contains("https://handbook.example.com"), "the internal edition names the public site");
    let ids: std::collections::BTreeSet<&str> =
        html.split(" id=\"").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    let all = links(&html);
    assert!(all.len() > 100, "{} links", all.len());
    let (mut inside, mut elsewhere) = (0, 0);
    for (href, printed) in &all {
        if let Some(id) = href.strip_prefix('#') {
            assert!(ids.contains(decode(id).as_str()) || ids.contains(id), "no place `{href}` in the edition");
            inside += 1;
            continue;
        }
        assert!(!href.starts_with('/') && !href.contains("://"), "{href} leaves the internal site");
        // Relative to the print page, it resolves to a page or file of the internal site.
        let path = decode(href.split('#').next().unwrap());
        let target = out.join("internal/print").join(&path);
        let target = if path.ends_with('/') { target.join("index.html") } else { target };
        assert!(target.exists(), "{href} leads nowhere in the internal site");
        assert!(target.canonicalize().unwrap().starts_with(out.join("internal").canonicalize().unwrap()));
        elsewhere += 1;
        // What a printed page shows for the target is readable, not percent-encoded.
        if let Some(p) = printed {
            assert!(!p.contains('%'), "printed target `{p}`");
        }
    }
    // Links between printed standards stay in the edition.
    assert!(inside > 50 && elsewhere > 10, "{inside} in the edition, {elsewhere} elsewhere");
    // Printed text of link targets and online addresses: nothing percent-encoded.
    let text: String = html.split('<').map(|s| s.split_once('>').map_or("", |(_, t)| t)).collect();
    assert!(!text.contains("%E"), "percent-encoded text printed");
    assert!(html.contains("data-print=\"内部版 kpis/satisfaction/\""), "KPI links print where they go");
}

#[test]
fn the_internal_print_edition_says_internal_on_every_sheet_in_a4() {
    let out = built_example().path().join("site");
    let page = out.join("internal/print/index.html");
    let html = read(&page);
    // Visible on the cover (for browsers without margin boxes) and on each standard's
    // running line.
    assert!(html.contains("<p class=\"print-internal-mark\">内部资料 / Internal</p>"));
    let standards = html.matches("<section class=\"print-standard\"").count();
    assert!(standards > 20 && html.matches("<p class=\"print-running\">内部资料 / Internal").count() == standards);
    assert!(html.contains("<body class=\"site-internal"), "internal pages print under the `internal` page");
    let css = style_of(&page, &html);
    assert!(css.contains("@page { size: A4;"), "A4 for a Chinese site");
    assert!(css.contains("@page internal { @top-center { content: \"内部资料 / Internal\";"));
    assert!(css.contains("body.site-internal { page: internal; }"));
    // Each section's first standard carries the section's title on its new page.
    assert!(html.contains("<p class=\"print-section-title\">"));
    // The public edition says nothing of the kind and keeps its printed addresses.
    let public = read(&out.join("public/print/index.html"));
    assert!(!public.contains("内部资料") && !public.contains("print-internal-mark"));
    assert!(public.contains("<a href=\"https://handbook.example.com/standards/complaint-handling/\">https://handbook.example.com/standards/complaint-handling/</a>"));
    for (href, printed) in links(&public) {
        if let Some(p) = printed {
            assert_eq!(p, decode(&href), "printed target of {href}");
        }
    }
}
