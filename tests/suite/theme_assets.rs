//! The theme's assets as hosts and readers get them: every page of both sites (current,
//! releases, print, 404) links the stylesheet, script and icon by fingerprinted names
//! that exist in its site, and a changed asset gets a new name.

use std::path::Path;

use crate::common::*;

fn built_example() -> &'static tempfile::TempDir {
    static SITE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let site = copy_of(&repo_root());
        build_ok(site.path());
        site
    })
}

/// The values of `attr="…"` in every tag named `tag` of `html`.
fn attr_values<'a>(html: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    let key = format!(" {attr}=\"");
    let mut out = Vec::new();
    for (i, _) in html.match_indices(&open) {
        let end = html[i..].find('>').map_or(html.len(), |e| i + e);
        let t = &html[i..end];
        if let Some(a) = t.find(&key) {
            let v = &t[a + key.len()..];
            out.push(&v[..v.find('"').unwrap_or(v.len())]);
        }
    }
    out
}

/// `href` read from the page at `page` (a path in the site), as a path in the site.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Every stylesheet, script and icon a page of `site` links, as (page, file) pairs.
fn asset_links(site: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, bytes) in tree(site) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        // The 404 page links by the site's address (`base_url`): read those from the root.
        const SITE: &str = "https://handbook.example.com/";
        let links = attr_values(&html, "link", "href").into_iter().filter(|h| !h.ends_with('/'));
        for href in links.chain(attr_values(&html, "script", "src")) {
            match href.strip_prefix(SITE) {
                Some(from_root) => out.push((path.clone(), from_root.to_string())),
                None if href.contains("://") => {}
                None => out.push((path.clone(), resolve(&path, href))),
            }
        }
    }
    out
}

fn is_fingerprinted(file: &str) -> bool {
    let parts: Vec<&str> = file.rsplit('.').collect();
    parts.len() >= 3 && parts[1].len() == 10 && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn every_page_links_fingerprinted_assets_that_exist_in_its_site() {
    let site = built_example();
    for audience in ["public", "internal"] {
        let dir = site.path().join("site").join(audience);
        let links = asset_links(&dir);
        let pages: std::collections::BTreeSet<&str> = links.iter().map(|(p, _)| p.as_str()).collect();
        // Releases (public), reports (internal), print editions and the 404 page are among them.
        let release = if audience == "public" { "2026.1/index.html" } else { "reports/index.html" };
        for must in ["404.html", "print/index.html", release] {
            assert!(pages.contains(must), "{audience}/{must} links no assets");
        }
        let mut css = std::collections::BTreeSet::new();
        for (page, file) in &links {
            assert!(dir.join(file).is_file(), "{audience}/{page} links {file}, which is not in the site");
            let name = file.rsplit('/').next().unwrap();
            if name.ends_with(".css") || name.ends_with(".js") || name.ends_with(".svg") {
                assert!(is_fingerprinted(name), "{audience}/{page} links {file} by a name that is not fingerprinted");
            }
            if name.starts_with("style.") {
                css.insert(file.clone());
            }
        }
        assert_eq!(css.len(), 1, "{audience}: every page links the same stylesheet: {css:?}");
        let file = css.into_iter().next().unwrap();
        assert_eq!(
            std::fs::read(dir.join(&file)).unwrap(),
            std::fs::read(repo_root().join("templates/style.css")).unwrap()
        );
    }
}

/// The search box's words travel once, in the site's `search.js` (every interface
/// language's, picked by `<html lang>`), instead of as five attributes on every page:
/// a page's search box names only its site's home.
#[test]
fn the_search_box_words_are_in_the_script_once_not_on_every_page() {
    let site = built_example();
    let dir = site.path().join("site/public");
    let mut pages = 0;
    let mut scripts = std::collections::BTreeSet::new();
    for (path, bytes) in tree(&dir) {
        let html = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") && html.contains("id=\"site-search\"") {
            pages += 1;
            let start = html.find("<div class=\"site-search\"").unwrap();
            let tag = &html[start..start + html[start..].find('>').unwrap() + 1];
            let home = attr_values(tag, "div", "data-home");
            assert_eq!(
                tag,
                format!(
                    r#"<div class="site-search" id="site-search" role="search" aria-label="{}" data-home="{}">"#,
                    if in_english(&path) { "Search" } else { "站内搜索" },
                    home[0]
                ),
                "{path}"
            );
            assert!(!html.contains("没有找到与"), "{path} carries the search box's words");
        }
        if path.starts_with("search.") && path.ends_with(".js") {
            scripts.insert(String::from_utf8(bytes).unwrap());
        }
    }
    assert!(pages > 50, "only {pages} pages have a search box");
    let [script] = Vec::from_iter(scripts).try_into().unwrap();
    for words in [
        r#""zh-CN":{"placeholder":"站内搜索","none":"没有找到与 {q} 相关的页面""#,
        r#""en":{"placeholder":"Search","none":"No pages found for {q}""#,
    ] {
        assert!(script.contains(words), "search.js lacks {words}");
    }
    assert!(!script.contains("/*search-words*/"), "the marker is left in search.js");
}

#[test]
fn a_changed_stylesheet_gets_a_new_name_and_the_same_one_the_same() {
    let site = site_with(&[]);
    build_ok(site.path());
    let name_of = |root: &Path| {
        let page = read(&root.join("site/public/index.html"));
        attr_values(&page, "link", "href").into_iter().find(|h| h.contains("style.")).unwrap().to_string()
    };
    let first = name_of(site.path());
    build_ok(site.path());
    assert_eq!(name_of(site.path()), first, "the same stylesheet keeps its name");
    let css = std::fs::read_to_string(repo_root().join("templates/style.css")).unwrap();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/style.css"), format!("{css}\nbody {{ color: #111; }}\n")).unwrap();
    build_ok(site.path());
    let second = name_of(site.path());
    assert_ne!(second, first, "an edited stylesheet must get a new name");
    assert!(is_fingerprinted(&second), "{second}");
    let served = read(&site.path().join("site/public").join(&second));
    assert!(served.ends_with("body { color: #111; }\n"), "the site's own style.css is the one linked");
}

/// The custom properties set in the `:root { … }` blocks of `css`, later ones winning.
fn custom_properties(css: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (i, _) in css.match_indices(":root {") {
        let start = i + ":root {".len();
        let block = &css[start..start + css[start..].find('}').unwrap()];
        out.extend(block.split(';').filter_map(|decl| {
            let (k, v) = decl.trim().split_once(':')?;
            k.trim().starts_with("--").then(|| (k.trim().to_string(), v.trim().to_string()))
        }));
    }
    out
}

fn rgb(hex: &str) -> [f64; 3] {
    let hex = hex.trim_start_matches('#');
    assert_eq!(hex.len(), 6, "a six-digit colour: {hex}");
    [0, 2, 4].map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0)
}

/// WCAG 2 contrast ratio of two `#rrggbb` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let lum = |c: [f64; 3]| {
        let l = c.map(|v| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) });
        0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]
    };
    let (x, y) = (lum(rgb(a)), lum(rgb(b)));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn contrast_is_computed_right() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
}

/// Text colours against the backgrounds they sit on, in the light theme and in the dark
/// one (the `prefers-color-scheme: dark` block's properties over the light ones).
#[test]
fn light_and_dark_text_colours_contrast_at_least_4_5_to_1() {
    let css = std::fs::read_to_string(repo_root().join("templates/style.css")).unwrap();
    let dark_at = css.find("@media screen and (prefers-color-scheme: dark)").expect("a dark theme");
    let light = custom_properties(&css[..dark_at]);
    let mut dark = light.clone();
    dark.extend(custom_properties(&css[dark_at..]));
    assert_eq!(dark["--bg"].len(), 7);
    assert!(contrast(&dark["--bg"], "#000000") < 1.5, "the dark background is dark: {}", dark["--bg"]);
    let text_pairs = [
        ("--text", "--bg"),
        ("--muted", "--bg"),
        ("--link", "--bg"),
        ("--text", "--bg-soft"),
        ("--muted", "--bg-soft"),
        ("--link", "--bg-soft"),
        ("--internal", "--internal-bg"),
        ("--retired", "--retired-bg"),
        ("--retired", "--bg"),
    ];
    for (name, theme) in [("light", &light), ("dark", &dark)] {
        let value = |k: &str| {
            let v = &theme[k];
            if v.starts_with("var(") {
                theme[v.trim_start_matches("var(").trim_end_matches(')')].clone()
            } else {
                v.clone()
            }
        };
        for (fg, bg) in text_pairs {
            let c = contrast(&value(fg), &value(bg));
            assert!(c >= 4.5, "{name}: {fg} on {bg} has contrast {c:.2}");
        }
        // White header text on the accent colour.
        assert!(contrast("#ffffff", &value("--accent")) >= 4.5, "{name}: header text");
        // Chart labels on the chart background; lines and status marks (graphics) at 3:1.
        assert!(contrast(&value("--chart-ink"), &value("--chart-bg")) >= 4.5, "{name}: chart labels");
        for mark in ["--chart-line", "--chart-target", "--chart-met", "--chart-warning", "--chart-missed"] {
            let c = contrast(&value(mark), &value("--chart-bg"));
            assert!(c >= 3.0, "{name}: {mark} on the chart background has contrast {c:.2}");
        }
    }
    // Rules of the dark block that set a background and a text colour together.
    let block = &css[dark_at..];
    let mut pairs = 0;
    for rule in block.split('}') {
        let decl = |k: &str| {
            rule.split(['{', ';'])
                .filter_map(|d| d.trim().strip_prefix(k))
                .map(|v| v.trim().to_string())
                .find(|v| v.starts_with('#'))
        };
        if let (Some(bg), Some(fg)) = (decl("background:"), decl("color:")) {
            let c = contrast(&fg, &bg);
            assert!(c >= 4.5, "dark: `{}` has contrast {c:.2}", rule.trim());
            pairs += 1;
        }
        if let (None, Some(fg)) = (decl("background:"), decl("color:")) {
            let c = contrast(&fg, &dark["--bg"]);
            assert!(c >= 4.5, "dark: `{}` on the page has contrast {c:.2}", rule.trim());
            pairs += 1;
        }
    }
    assert!(pairs >= 5, "the dark block's own colour pairs were read ({pairs})");
}

/// Every coloured shape of every chart of the example carries the class of its colour
/// role, so none keeps a light-theme colour in dark mode.
#[test]
fn every_chart_colour_has_a_role_class() {
    let site = built_example();
    let mut charts = 0;
    for audience in ["public", "internal"] {
        for (path, bytes) in tree(&site.path().join("site").join(audience)) {
            let html = String::from_utf8_lossy(&bytes);
            for (i, _) in html.match_indices("<svg") {
                let svg = &html[i..i + html[i..].find("</svg>").unwrap()];
                if !svg.contains("class=\"chart\"") {
                    continue;
                }
                charts += 1;
                for tag in svg.split('<').skip(2) {
                    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                    if tag.contains("fill=\"#") || tag.contains("stroke=\"#") {
                        assert!(
                            tag.contains(" class=\"c"),
                            "{audience}/{path}: a chart shape without a colour role: <{tag}>"
                        );
                    }
                }
            }
        }
    }
    assert!(charts > 20, "the example has charts ({charts})");
}
