//! The printed handbook: one page per site (and per release of the public site) that
//! holds every page in force of every section the site publishes, in site order
//! (sections opt out with `print: false`), ready for a front desk's binder —
//! stamped with the version, each standard's effective date and "uncontrolled when
//! printed", with page breaks between standards and link targets printed.
//!
//! Also `sitemap.xml` (with each page's `lastmod`) and `robots.txt`. Works on rendered
//! page bodies: links stay in the edition's own site — absolute by its address
//! (`base_url`, or `internal_url` for the internal edition) so printed targets mean
//! something, else to the printed standard in the edition or relative to the print
//! page; the internal edition never links to the public site — and carry a readable
//! printed target (`data-print`); heading ids are prefixed with the page id (so one
//! page can hold many standards). The template's `it.content` is a
//! marker that the standard's body replaces after rendering, so the engine never copies
//! the whole handbook; templates output it as it is (`| safe`). Produces files in
//! memory only.

use rayon::prelude::*;
use serde::Serialize;

use crate::base::diagnostics::Diagnostics;
use crate::base::files::OutputFile;
use crate::load::content::Status;
use std::collections::BTreeMap;

use crate::markdown::links::{normalize, percent_decode, relative_url};
use crate::render::{generated_context, Inputs, View};

/// Where the links of one standard's body go in the print edition.
struct Links<'a> {
    /// The standard's URL within its view.
    page_url: &'a str,
    /// The print page's URL within its view (`print/`).
    print_url: &'a str,
    /// The absolute address of the view (site URL + release folder), or empty when the
    /// site's address is not known (the internal site without `internal_url`).
    base: &'a str,
    /// The standard's id: in-page anchors and heading ids get `id-`.
    prefix: &'a str,
    /// Without `base`: the printed standards by URL (→ id), whose links stay in the
    /// edition, and the label printed before other targets' paths ("内部版").
    in_edition: &'a BTreeMap<String, String>,
    site_label: &'a str,
}

/// Rewrites a page body for the combined print page: links leave the edition only for
/// their own site — absolute (`base` + path) when the site's address is known, else to
/// the printed standard in this edition or relative to the print page — and carry their
/// target in readable form (`data-print`, percent-decoded) for the printed page; image
/// sources are relative to the print page; in-page anchors and heading ids get
/// `prefix-`.
fn print_body(html: &str, links: &Links) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    // One pass over the attributes (`name="`): `href` and `src` values rewritten, `id`
    // values prefixed.
    let mut copied = 0;
    let mut from = 0;
    while let Some(eq) = memchr::memmem::find(&html.as_bytes()[from..], b"=\"").map(|e| from + e) {
        let start = eq + 2;
        let Some(len) = html[start..].find('"') else { break };
        from = start + len;
        let before = &html[..eq];
        let is_href = before.ends_with("href");
        let is_src = before.ends_with(" src");
        if !is_href && !is_src && !before.ends_with(" id") {
            continue;
        }
        let value = &html[start..start + len];
        out.push_str(&html[copied..start]);
        copied = start + len;
        if is_href {
            let (href, printed) = link(value, links);
            out.push_str(&href);
            if let Some(text) = printed {
                out.push_str("\" data-print=\"");
                out.push_str(&escape(&text.replace("&amp;", "&")));
            }
        } else if is_src {
            // Images load from where the print page is, whatever the site's address.
            out.push_str(&resolve(value, links.page_url, links.print_url, ""));
        } else {
            out.push_str(links.prefix);
            out.push('-');
            out.push_str(value);
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// A page's headings one level down (`<h1>` → `<h2>` … `<h5>` → `<h6>`; `<h6>` stays),
/// so that in the print edition each standard's title (`<h2>`) heads its own headings
/// and the edition's title is the page's only `<h1>`.
fn demote_headings(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (i, _) in html.match_indices('<') {
        let name = if bytes.get(i + 1) == Some(&b'/') { i + 2 } else { i + 1 };
        let is_heading = bytes.get(name) == Some(&b'h')
            && matches!(bytes.get(name + 1), Some(b'1'..=b'5'))
            && matches!(bytes.get(name + 2), Some(b' ' | b'>'));
        if is_heading {
            out.push_str(&html[copied..name + 1]);
            out.push((bytes[name + 1] + 1) as char);
            copied = name + 2;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// Where `href` goes from the print page, and the target a printed page shows after
/// the link's text (none for a place inside this edition).
fn link(href: &str, links: &Links) -> (String, Option<String>) {
    let prefix = links.prefix;
    if let Some(anchor) = href.strip_prefix('#') {
        return (format!("#{prefix}-{anchor}"), None);
    }
    if has_scheme(href) || href.starts_with('/') {
        return (href.to_string(), Some(percent_decode(href)));
    }
    if links.base.is_empty() {
        let (resolved, anchor) = site_path(href, links.page_url);
        if let Some(id) = links.in_edition.get(&resolved) {
            return match anchor {
                Some(a) if !a.is_empty() => (format!("#{id}-{}", percent_decode(a)), None),
                _ => (format!("#print-{id}"), None),
            };
        }
        let shown = format!("{} {}", links.site_label, percent_decode(href_tail(&resolved, anchor).as_str()));
        return (resolve(href, links.page_url, links.print_url, ""), Some(shown));
    }
    let url = resolve(href, links.page_url, links.print_url, links.base);
    let printed = percent_decode(&url);
    (url, Some(printed))
}

/// The path within the site of the relative `href` of the page at `page_url`, and its
/// anchor.
fn site_path<'h>(href: &'h str, page_url: &str) -> (String, Option<&'h str>) {
    let (path, anchor) = href.split_once('#').map_or((href, None), |(p, a)| (p, Some(a)));
    let resolved = normalize(page_url, path).unwrap_or_default();
    let resolved = if path.ends_with('/') && !resolved.is_empty() { format!("{resolved}/") } else { resolved };
    (resolved, anchor)
}

fn href_tail(path: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{path}#{a}"),
        None => path.to_string(),
    }
}

fn has_scheme(href: &str) -> bool {
    href.split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
}

/// `href` of the page at `page_url` made absolute (`base` + path) or, without a base,
/// relative to the print page.
fn resolve(href: &str, page_url: &str, print_url: &str, base: &str) -> String {
    if href.starts_with('#') || has_scheme(href) || href.starts_with('/') {
        return href.to_string();
    }
    let (resolved, anchor) = site_path(href, page_url);
    let url = if base.contains("://") { format!("{base}{resolved}") } else { relative_url(print_url, &resolved) };
    href_tail(&url, anchor)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[derive(Serialize)]
struct PrintItem {
    id: String,
    title: String,
    section: String,
    owner: Option<String>,
    effective: Option<String>,
    review_by: Option<String>,
    url: String,
    /// The online address as printed: the decoded URL, or — when the site's address is
    /// not known — the site's name and the page's path in it.
    url_text: String,
    /// The first standard of its section (the section's title heads its page).
    new_section: bool,
    content: String,
    is_internal: bool,
}

/// The print page of a view, at `print/` inside it; none for a view without a home
/// page (a public site where no page is public).
pub(crate) fn page(
    view: &View,
    inputs: &Inputs,
    version: &str,
    version_date: Option<String>,
) -> Result<Option<OutputFile>, Diagnostics> {
    if !view.has_home() {
        return Ok(None);
    }
    let ui = inputs.env.ui;
    let url = "print/";
    let internal = !view.audience.is_public();
    // Each edition stays in its own site: the internal one links to the internal site
    // (`internal_url`), never to the public `base_url`.
    let site_url = if internal { &inputs.config.internal_url } else { &inputs.config.base_url };
    let base = if site_url.contains("://") { format!("{site_url}{}", view.prefix) } else { String::new() };
    // The pages in force of every section this view publishes, in site order (as the
    // navigation and section lists show them), without the sections that opt out
    // (`print: false`, with the sections inside them).
    let order: Vec<usize> = view
        .site_order(|index| index.section_keys.print)
        .into_iter()
        .filter(|&i| inputs.pages[i].status == Status::Active)
        .collect();
    let in_edition: BTreeMap<String, String> =
        order.iter().map(|&i| (inputs.pages[i].url.clone(), inputs.pages[i].id.value.clone())).collect();
    let site_label = if internal { ui.site_internal } else { ui.site_public };
    let items: Vec<PrintItem> = order
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let p = &inputs.pages[i];
            let (url, url_text) = if base.is_empty() {
                (relative_url(url, &p.url), format!("{site_label} {}", percent_decode(&p.url)))
            } else {
                let full = format!("{base}{}", p.url);
                (full.clone(), percent_decode(&full))
            };
            PrintItem {
                id: p.id.value.clone(),
                title: p.title.clone(),
                section: view.section_title(&p.section).unwrap_or_default(),
                owner: p.owner.as_ref().and_then(|o| view.role_title(&o.value)),
                effective: p.effective.map(|d| d.to_string()),
                review_by: p.review_by.map(|d| d.to_string()),
                url,
                url_text,
                new_section: n == 0 || inputs.pages[order[n - 1]].section != p.section,
                content: format!("{MARK}{n}{MARK}"),
                is_internal: internal && !p.audience.is_public(),
            }
        })
        .collect();
    let title = if internal { ui.print_internal } else { ui.print_public };
    let mut ctx = generated_context(view, inputs, url, title, None, &[]);
    ctx.insert("print_version", version);
    ctx.insert("print_version_date", &version_date);
    ctx.insert("items", &items);
    let frame = inputs.theme.render("print.html", &ctx)?;
    let body = |n: usize| {
        let i = order[n];
        let p = &inputs.pages[i];
        let links = Links {
            page_url: &p.url,
            print_url: url,
            base: &base,
            prefix: &p.id.value,
            in_edition: &in_edition,
            site_label,
        };
        demote_headings(&print_body(&inputs.bodies[i], &links))
    };
    Ok(Some(OutputFile {
        path: format!("{}/{}{url}index.html", view.audience.as_str(), view.prefix),
        bytes: splice(&frame, order.len(), body),
    }))
}

/// Stands for a standard's body in the rendered print template: a noncharacter, never
/// part of text, around the item's number. The bodies are spliced in afterwards, so the
/// template engine never copies the whole handbook (tens of megabytes at 10,000
/// standards) into its context.
const MARK: char = '\u{FDD0}';

/// `frame` with each `MARK n MARK` (`n` below `count`) replaced by `body(n)`; bodies are
/// made in parallel, a batch at a time.
fn splice(frame: &[u8], count: usize, body: impl Fn(usize) -> String + Sync) -> Vec<u8> {
    let mut mark = [0u8; 4];
    let mark = MARK.encode_utf8(&mut mark).as_bytes();
    // Each marker's span and item number, in the order they appear.
    let mut spans: Vec<(usize, usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(start) = memchr::memmem::find(&frame[from..], mark).map(|s| from + s) {
        let digits = start + mark.len();
        let Some(len) = memchr::memmem::find(&frame[digits..], mark) else { break };
        let n = std::str::from_utf8(&frame[digits..digits + len]).ok().and_then(|d| d.parse::<usize>().ok());
        from = digits + len + mark.len();
        match n {
            Some(n) if n < count => spans.push((start, from, n)),
            _ => from = digits,
        }
    }
    let mut out = Vec::with_capacity(frame.len() + count * 4096);
    let mut copied = 0;
    for batch in spans.chunks(256) {
        let bodies: Vec<String> = batch.par_iter().map(|&(_, _, n)| body(n)).collect();
        for (&(start, end, _), b) in batch.iter().zip(bodies) {
            out.extend_from_slice(&frame[copied..start]);
            out.extend_from_slice(b.as_bytes());
            copied = end;
        }
    }
    out.extend_from_slice(&frame[copied..]);
    out
}

/// `sitemap.xml` of the current public site (the pages at the root; release folders
/// are not current), each with the day it last changed where `modified` (output path
/// → day) knows it, and `robots.txt` for the public site and each site behind sign-in
/// (`staff`, by folder), which no crawler may read.
pub(crate) fn crawl_files<'a>(
    paths: impl IntoIterator<Item = &'a str>,
    base_url: &str,
    release_folders: &[String],
    modified: &BTreeMap<String, String>,
    staff: &[&str],
) -> Vec<OutputFile> {
    let mut urls: Vec<&str> = paths
        .into_iter()
        .filter_map(|p| p.strip_prefix("public/"))
        .filter(|p| {
            p.ends_with("index.html")
                && !release_folders.iter().any(|r| p.starts_with(r.as_str()))
                && !p.starts_with("print/")
        })
        .map(|p| p.trim_end_matches("index.html"))
        .collect();
    urls.sort_unstable();
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        let encoded: String = u
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    c.to_string().bytes().map(|b| format!("%{b:02X}")).collect()
                }
            })
            .collect();
        let lastmod = modified
            .get(&format!("public/{u}index.html"))
            .map_or_else(String::new, |d| format!("<lastmod>{d}</lastmod>"));
        xml.push_str(&format!("  <url><loc>{}{}</loc>{lastmod}</url>\n", esc(base_url), esc(&encoded)));
    }
    xml.push_str("</urlset>\n");
    let sitemap_line =
        if base_url.contains("://") { format!("Sitemap: {base_url}sitemap.xml\n") } else { String::new() };
    let mut files = vec![
        OutputFile { path: "public/sitemap.xml".into(), bytes: xml.into_bytes() },
        OutputFile {
            path: "public/robots.txt".into(),
            bytes: format!("User-agent: *\nAllow: /\n{sitemap_line}").into_bytes(),
        },
    ];
    files.extend(
        staff
            .iter()
            .map(|t| OutputFile { path: format!("{t}/robots.txt"), bytes: b"User-agent: *\nDisallow: /\n".to_vec() }),
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links<'a>(base: &'a str, in_edition: &'a BTreeMap<String, String>) -> Links<'a> {
        Links {
            page_url: "standards/limits/",
            print_url: "print/",
            base,
            prefix: "limits",
            in_edition,
            site_label: "内部版",
        }
    }

    #[test]
    fn bodies_get_absolute_links_and_prefixed_ids() {
        let none = BTreeMap::new();
        let html = r##"<h2 id="处理时限">处理时限</h2><p>见<a href="../complaints/#%E5%A4%84%E7%90%86">投诉</a>、<a href="#处理时限">上文</a>与<a href="https://x.org/a%20b?x=1&amp;y=2">外部</a>。</p>"##;
        let out = print_body(html, &links("https://hb.example/", &none));
        // Printed targets are readable: percent-encoding decoded, `&amp;` once.
        assert_eq!(
            out,
            r##"<h2 id="limits-处理时限">处理时限</h2><p>见<a href="https://hb.example/standards/complaints/#%E5%A4%84%E7%90%86" data-print="https://hb.example/standards/complaints/#处理">投诉</a>、<a href="#limits-处理时限">上文</a>与<a href="https://x.org/a%20b?x=1&amp;y=2" data-print="https://x.org/a b?x=1&amp;y=2">外部</a>。</p>"##
        );
        // Without a site address, links are made relative to the print page and print
        // the page's path in the site.
        let local = print_body(r#"<a href="../../roles/a/">A</a>"#, &links("", &none));
        assert_eq!(local, r#"<a href="../roles/a/" data-print="内部版 roles/a/">A</a>"#);
        // Images beside the page, and files of static/, load from the print page even
        // with a site address.
        let img = r#"<img src="../img/desk.png" alt="前台" /><img src="../../logo.svg" alt="" />"#;
        let local = print_body(img, &links("https://hb.example/", &none));
        assert_eq!(local, r#"<img src="../standards/img/desk.png" alt="前台" /><img src="../logo.svg" alt="" />"#);
    }

    #[test]
    fn without_a_site_address_links_to_printed_standards_stay_in_the_edition() {
        let printed: BTreeMap<String, String> =
            [("standards/complaints/".to_string(), "complaints".to_string())].into();
        let html = r#"<a href="../complaints/">投诉</a><a href="../complaints/#%E6%97%B6%E9%99%90">时限</a><a href="../../kpis/nps/">NPS</a>"#;
        assert_eq!(
            print_body(html, &links("", &printed)),
            r##"<a href="#print-complaints">投诉</a><a href="#complaints-时限">时限</a><a href="../kpis/nps/" data-print="内部版 kpis/nps/">NPS</a>"##
        );
    }

    #[test]
    fn headings_go_one_level_down_under_the_standards_title() {
        assert_eq!(
            demote_headings("<h1 id=\"a\">A</h1><h2>B <hr></h2><h5>C</h5><h6>D</h6><p>x &lt;h2> <header></header></p>"),
            "<h2 id=\"a\">A</h2><h3>B <hr></h3><h6>C</h6><h6>D</h6><p>x &lt;h2> <header></header></p>"
        );
    }

    #[test]
    fn bodies_are_spliced_where_the_template_put_them_in_any_order() {
        let m = MARK;
        let frame = format!("<a>{m}1{m}</a><b>{m}0{m}</b>{m}7{m}<c>{m}x{m}</c>");
        let out = splice(frame.as_bytes(), 2, |n| format!("正文{n}"));
        // Numbers out of range and markers that are not numbers stay as they were.
        assert_eq!(String::from_utf8(out).unwrap(), format!("<a>正文1</a><b>正文0</b>{m}7{m}<c>{m}x{m}</c>"));
    }

    #[test]
    fn sitemap_lists_current_pages_only() {
        let files = [
            "public/index.html",
            "public/standards/投诉/index.html",
            "public/2025.1/index.html",
            "public/print/index.html",
            "internal/x/index.html",
        ];
        let modified: BTreeMap<String, String> = [
            ("public/index.html".to_string(), "2026-02-03".to_string()),
            ("public/2025.1/index.html".to_string(), "2025-01-01".to_string()),
        ]
        .into();
        let out = crawl_files(files, "https://hb.example/", &["2025.1/".into()], &modified, &["internal", "managers"]);
        let xml = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(xml.contains("<url><loc>https://hb.example/</loc><lastmod>2026-02-03</lastmod></url>"), "{xml}");
        // A page without a known day has no `lastmod` (never the build's clock).
        assert!(xml.contains("<loc>https://hb.example/standards/%E6%8A%95%E8%AF%89/</loc></url>"));
        assert!(!xml.contains("2025.1") && !xml.contains("print") && !xml.contains("/x/"));
        assert_eq!(
            String::from_utf8(out[1].bytes.clone()).unwrap(),
            "User-agent: *\nAllow: /\nSitemap: https://hb.example/sitemap.xml\n"
        );
        assert!(String::from_utf8(out[2].bytes.clone()).unwrap().contains("Disallow: /"));
    }
}
