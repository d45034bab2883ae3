//! The print editions of the bundled example stay in their own site: the internal
//! edition links only within the internal site (never to the public `base_url`, where
//! internal pages do not exist), says "内部资料 / Internal" on every printed sheet (an
//! `@page` margin box) and on its cover, prints on A4 and shows link targets readably.

use std::path::Path;

use crate::common::*;
use crate::example_site::built_example;

/// `(href, what a printed page shows after the link)` of every link of `html`: its
/// `data-print`, or its href itself when `data-print` is empty.
fn links(html: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for chunk in html.split("<a ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|i| tag[i + key.len()..].split('"').next().unwrap().to_string())
        };
        if let Some(href) = attr("href") {
            let printed = attr("data-print").map(|p| if p.is_empty() { href.clone() } else { p });
            out.push((href, printed));
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

/// A site of 450 generated standards in two sections, beside the base fixture's two:
/// `standards/` (300 public, each linking to a heading of a standard far away and to
/// the next standard) and `guides/` (150 internal). The internal site has no `internal_url`,
/// so its edition links between printed standards inside the edition.
fn site_in_volumes() -> tempfile::TempDir {
    let site = site_with(&[]);
    let content = site.path().join("content");
    std::fs::create_dir_all(content.join("guides")).unwrap();
    std::fs::write(content.join("guides/_index.md"), "---\ntitle: 操作指南\naudience: public\n---\n").unwrap();
    for i in 0..300 {
        let body = format!(
            "---\ntitle: 标准 {i}\naudience: public\nowner: front-desk\nweight: {}\n---\n\n## 第一节\n\n见[标准 {s}](g{s:03}.md#第一节)与[标准 {t}](g{t:03}.md)。\n",
            100 + i,
            s = (i + 170) % 300,
            t = (i + 1) % 300,
        );
        std::fs::write(content.join(format!("standards/g{i:03}.md")), body).unwrap();
    }
    for i in 0..150 {
        let body = format!(
            "---\ntitle: 指南 {i}\nowner: front-desk\nweight: {i}\n---\n\n## 步骤\n\n按[标准 {s}](../standards/g{s:03}.md#第一节)办理。\n",
            s = i * 2
        );
        std::fs::write(content.join(format!("guides/h{i}.md")), body).unwrap();
    }
    site
}

/// `id="print-…"` of every printed standard of a page.
fn printed_ids(html: &str) -> Vec<String> {
    html.split("<section class=\"print-standard\" id=\"print-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_large_edition_prints_in_volumes_of_whole_sections_with_a_contents_page() {
    let site = site_in_volumes();
    build_ok(site.path());
    let out = site.path().join("site");
    // Internal, in site order: guides/ (150) fills the first volume; standards/ holds
    // 302 standards (300 + the base fixture's two), two volumes of 151; roles/ (one
    // role) the fourth.
    let print = out.join("internal/print");
    let contents = read(&print.join("index.html"));
    assert!(printed_ids(&contents).is_empty(), "the contents page prints no standard");
    let listed: Vec<(String, Option<String>)> =
        links(&contents).into_iter().filter(|(h, _)| h.ends_with('/') && !h.starts_with('.')).collect();
    let volumes: Vec<&str> = listed.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(volumes, ["1/", "2/", "3/", "4/"], "volumes listed on the contents page");
    assert!(contents.contains("本版共 4 册"), "{contents}");
    // Each volume's sections and first and last standards.
    for line in [
        "<a href=\"1/\">第 1 册</a> 操作指南 <span class=\"muted\">指南 0 – 指南 149 · 共 150 篇</span>",
        "<a href=\"2/\">第 2 册</a> 服务标准 <span class=\"muted\">投诉处理标准 – 标准 148 · 共 151 篇</span>",
        "<a href=\"3/\">第 3 册</a> 服务标准 <span class=\"muted\">标准 149 – 标准 299 · 共 151 篇</span>",
    ] {
        assert!(contents.contains(line), "{line}");
    }
    let mut seen: Vec<String> = Vec::new();
    let mut pages = std::collections::BTreeMap::new();
    for (n, v) in volumes.iter().enumerate() {
        let page = print.join(v).join("index.html");
        let html = read(&page);
        let ids = printed_ids(&html);
        assert!(!ids.is_empty() && ids.len() <= 200, "volume {v}: {} standards", ids.len());
        // Its own title page, and the volume on every sheet's running header.
        let label = format!("第 {} 册", n + 1);
        assert!(html.contains(&format!("<h1>测试手册 · 员工手册全本（打印版） · {label}</h1>")), "{v} title page");
        assert!(html.contains(&format!("<p class=\"print-stamp print-volume\"><strong>{label}</strong>")));
        let running = format!("版本 工作稿（未发布） · {label} · 打印件为非受控文件");
        assert_eq!(html.matches(&running).count(), ids.len(), "{v}: running header on every standard");
        seen.extend(ids);
        pages.insert(v.to_string(), html);
    }
    assert_eq!(printed_ids(&pages["2/"]).len(), 151);
    assert!(printed_ids(&pages["1/"]).iter().all(|id| id.starts_with('h')), "guides alone in their volume");
    // Every standard exactly once.
    let mut expected: Vec<String> =
        (0..300).map(|i| format!("g{i:03}")).chain((0..150).map(|i| format!("h{i}"))).collect();
    expected.extend(["complaints", "internal-rules", "front-desk"].map(String::from));
    expected.sort();
    seen.sort();
    assert_eq!(seen, expected);
    // Links between standards stay in the edition and lead to the volume that holds the
    // target, at its anchor.
    let mut across = 0;
    for (v, html) in &pages {
        for (href, _) in links(html) {
            let (path, anchor) = href.split_once('#').map_or((href.as_str(), None), |(p, a)| (p, Some(a)));
            let target = if path.is_empty() { v.to_string() } else { path.trim_start_matches("../").to_string() };
            let Some(anchor) = anchor.filter(|_| pages.contains_key(&target)) else { continue };
            let anchor = decode(anchor);
            assert!(
                pages[&target].contains(&format!(" id=\"{anchor}\"")),
                "{href} in volume {v}: no {anchor} in {target}"
            );
            across += usize::from(!path.is_empty());
        }
    }
    assert!(across >= 300, "{across} links to another volume");
    assert!(pages["1/"].contains("href=\"../2/#g000-第一节\""), "a guide links to its standard's heading in volume 2");
    // Public: 301 standards in one section → two volumes of 151 and 150, the role in a
    // third; the internal guides are nowhere.
    let public = out.join("public/print");
    let p1 = printed_ids(&read(&public.join("1/index.html")));
    let p2 = printed_ids(&read(&public.join("2/index.html")));
    assert_eq!((p1.len(), p2.len()), (151, 150));
    assert_eq!(printed_ids(&read(&public.join("3/index.html"))), ["front-desk"]);
    assert!(!public.join("4").exists());
    assert!(p1.iter().chain(&p2).all(|id| id.starts_with('g') || id == "complaints"));
    // Print pages are neither searched nor in the sitemap.
    for tier in ["public", "internal"] {
        let bundle = read_bundle(&out.join(tier).join("search"));
        assert!(bundle.urls.iter().all(|u| !u.contains("print/")), "{tier} search lists print pages");
    }
    assert!(!read(&out.join("public/sitemap.xml")).contains("print/"));
}

#[test]
fn the_example_prints_in_one_volume() {
    let out = built_example().path().join("site");
    for tier in ["public", "internal"] {
        let html = read(&out.join(tier).join("print/index.html"));
        assert!(printed_ids(&html).len() > 10 && !html.contains("print-volume"), "{tier}");
        assert!(!out.join(tier).join("print/1").exists());
    }
}
