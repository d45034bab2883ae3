//! What crawlers read: `sitemap.xml` of the current public site (an index of
//! sitemaps past the protocol's 50,000 URLs), each page with the day it last changed
//! and its `hreflang` alternates, both as the page states them in its `<head>` (read
//! back by the build, so a reused public site keeps them); `robots.txt` for the public
//! site and for each site behind sign-in, which no crawler may read.
//!
//! Pure: output paths and page heads in, files out.

use std::collections::BTreeMap;

use crate::base::files::OutputFile;

/// What the sitemap is made from besides the output paths.
pub(crate) struct Crawl<'a> {
    /// The public site's address (`https://…/`); without one, sitemap addresses are
    /// paths and no alternates are listed.
    pub(crate) base_url: &'a str,
    /// Release folders (`2025.1/`): not current, not listed.
    pub(crate) release_folders: &'a [String],
    /// Language folders (`en/`): their pages are listed, their print editions not.
    pub(crate) languages: &'a [String],
    /// Output path → the day the page says it last changed.
    pub(crate) modified: &'a BTreeMap<String, String>,
    /// Output path → the page's `hreflang` alternates (language, address).
    pub(crate) alternates: &'a BTreeMap<String, Vec<(String, String)>>,
    /// The folders of the sites behind sign-in.
    pub(crate) staff: &'a [&'a str],
}

/// `sitemap.xml` of the current public site (the pages at the root and in each
/// language's folder; release folders are not current) and `robots.txt` for every
/// site.
pub(crate) fn crawl_files<'a>(paths: impl IntoIterator<Item = &'a str>, crawl: &Crawl) -> Vec<OutputFile> {
    let print = |p: &str| {
        p.starts_with("print/")
            || crawl.languages.iter().any(|l| p.strip_prefix(l.as_str()).is_some_and(|r| r.starts_with("print/")))
    };
    let mut urls: Vec<&str> = paths
        .into_iter()
        .filter_map(|p| p.strip_prefix("public/"))
        .filter(|p| p.ends_with("index.html") && !crawl.release_folders.iter().any(|r| p.starts_with(r.as_str())))
        .filter(|p| !print(p))
        .map(|p| p.trim_end_matches("index.html"))
        .collect();
    urls.sort_unstable();
    let mut files = sitemaps(&urls, crawl, SITEMAP_URLS);
    let base_url = crawl.base_url;
    let sitemap_line =
        if base_url.contains("://") { format!("Sitemap: {base_url}sitemap.xml\n") } else { String::new() };
    files.push(OutputFile {
        path: "public/robots.txt".into(),
        bytes: format!("User-agent: *\nAllow: /\n{sitemap_line}").into_bytes(),
    });
    files.extend(
        crawl
            .staff
            .iter()
            .map(|t| OutputFile { path: format!("{t}/robots.txt"), bytes: b"User-agent: *\nDisallow: /\n".to_vec() }),
    );
    files
}

/// The most URLs one sitemap may list (the sitemaps protocol's limit).
const SITEMAP_URLS: usize = 50_000;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const SITEMAP_NS: &str = "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"";
const XHTML_NS: &str = "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"";

/// `sitemap.xml` listing `urls` (sorted), or — past `per_file` of them, which search
/// engines would not read — an index of `sitemap-1.xml`, `sitemap-2.xml` … of
/// `per_file` URLs each.
fn sitemaps(urls: &[&str], crawl: &Crawl, per_file: usize) -> Vec<OutputFile> {
    if urls.len() <= per_file {
        return vec![OutputFile { path: "public/sitemap.xml".into(), bytes: urlset(urls, crawl) }];
    }
    let parts: Vec<&[&str]> = urls.chunks(per_file).collect();
    let mut index = format!("{XML_HEAD}<sitemapindex {SITEMAP_NS}>\n");
    for n in 1..=parts.len() {
        index.push_str(&format!("  <sitemap><loc>{}sitemap-{n}.xml</loc></sitemap>\n", esc(crawl.base_url)));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![OutputFile { path: "public/sitemap.xml".into(), bytes: index.into_bytes() }];
    files.extend(
        parts
            .iter()
            .enumerate()
            .map(|(n, part)| OutputFile { path: format!("public/sitemap-{}.xml", n + 1), bytes: urlset(part, crawl) }),
    );
    files
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A path with its non-ASCII characters percent-encoded, as a sitemap's `<loc>` wants.
fn encoded(u: &str) -> String {
    u.chars()
        .map(
            |c| if c.is_ascii() { c.to_string() } else { c.to_string().bytes().map(|b| format!("%{b:02X}")).collect() },
        )
        .collect()
}

/// One sitemap of `urls`, each with its `lastmod` where the page states it and, when
/// the site has an address, its alternates in other languages.
fn urlset(urls: &[&str], crawl: &Crawl) -> Vec<u8> {
    let absolute = crawl.base_url.contains("://");
    let with_alternates =
        absolute && urls.iter().any(|u| crawl.alternates.contains_key(&format!("public/{u}index.html")));
    let ns = if with_alternates { format!("{SITEMAP_NS} {XHTML_NS}") } else { SITEMAP_NS.to_string() };
    let mut xml = format!("{XML_HEAD}<urlset {ns}>\n");
    for &u in urls {
        let path = format!("public/{u}index.html");
        let lastmod = crawl.modified.get(&path).map_or_else(String::new, |d| format!("<lastmod>{d}</lastmod>"));
        let mut links = String::new();
        for (lang, href) in crawl.alternates.get(&path).filter(|_| absolute).into_iter().flatten() {
            links.push_str(&format!(
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                esc(lang),
                esc(&encoded(href))
            ));
        }
        xml.push_str(&format!("  <url><loc>{}{}</loc>{lastmod}{links}</url>\n", esc(crawl.base_url), esc(&encoded(u))));
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No language folders.
    const EN: &[String] = &[];

    fn crawl<'a>(
        modified: &'a BTreeMap<String, String>,
        alternates: &'a BTreeMap<String, Vec<(String, String)>>,
        (releases, languages): (&'a [String], &'a [String]),
    ) -> Crawl<'a> {
        Crawl {
            base_url: "https://hb.example/",
            release_folders: releases,
            languages,
            modified,
            alternates,
            staff: &["internal", "managers"],
        }
    }

    #[test]
    fn sitemap_lists_current_pages_only() {
        let files = [
            "public/index.html",
            "public/standards/投诉/index.html",
            "public/2025.1/index.html",
            "public/print/index.html",
            "public/en/print/index.html",
            "internal/x/index.html",
        ];
        let modified: BTreeMap<String, String> = [
            ("public/index.html".to_string(), "2026-02-03".to_string()),
            ("public/2025.1/index.html".to_string(), "2025-01-01".to_string()),
        ]
        .into();
        let (releases, languages) = (["2025.1/".to_string()], ["en/".to_string()]);
        let out = crawl_files(files, &crawl(&modified, &BTreeMap::new(), (&releases, &languages)));
        let xml = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(xml.contains("<url><loc>https://hb.example/</loc><lastmod>2026-02-03</lastmod></url>"), "{xml}");
        // A page without a known day has no `lastmod` (never the build's clock).
        assert!(xml.contains("<loc>https://hb.example/standards/%E6%8A%95%E8%AF%89/</loc></url>"));
        assert!(!xml.contains("2025.1") && !xml.contains("print") && !xml.contains("/x/") && !xml.contains("xhtml"));
        assert_eq!(
            String::from_utf8(out[1].bytes.clone()).unwrap(),
            "User-agent: *\nAllow: /\nSitemap: https://hb.example/sitemap.xml\n"
        );
        assert!(String::from_utf8(out[2].bytes.clone()).unwrap().contains("Disallow: /"));
    }

    #[test]
    fn a_page_in_two_languages_lists_its_alternates() {
        let files = ["public/standards/a/index.html", "public/en/standards/a/index.html"];
        let both = vec![
            ("zh-CN".to_string(), "https://hb.example/standards/a/".to_string()),
            ("en".to_string(), "https://hb.example/en/standards/a/".to_string()),
            ("x-default".to_string(), "https://hb.example/standards/a/".to_string()),
        ];
        let alternates: BTreeMap<String, Vec<(String, String)>> =
            files.iter().map(|f| (f.to_string(), both.clone())).collect();
        let out = crawl_files(files, &crawl(&BTreeMap::new(), &alternates, (&[], EN)));
        let xml = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(xml.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"));
        let en =
            "  <url><loc>https://hb.example/en/standards/a/</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" \
                  href=\"https://hb.example/standards/a/\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" \
                  href=\"https://hb.example/en/standards/a/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" \
                  href=\"https://hb.example/standards/a/\"/></url>";
        assert!(xml.contains(en), "{xml}");
        assert_eq!(xml.matches("<url>").count(), 2);
    }

    #[test]
    fn past_the_protocols_limit_the_sitemap_is_an_index_of_sitemaps() {
        let urls = ["", "a/", "b/", "c/", "d/"];
        let (m, a) = (BTreeMap::new(), BTreeMap::new());
        let files = sitemaps(&urls, &crawl(&m, &a, (&[], EN)), 2);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            ["public/sitemap.xml", "public/sitemap-1.xml", "public/sitemap-2.xml", "public/sitemap-3.xml"]
        );
        let text = |n: usize| String::from_utf8(files[n].bytes.clone()).unwrap();
        assert!(text(0).contains("<sitemapindex ") && text(0).contains("<loc>https://hb.example/sitemap-3.xml</loc>"));
        assert_eq!(text(1).matches("<url>").count(), 2);
        assert!(text(3).contains("<loc>https://hb.example/d/</loc>") && text(3).matches("<url>").count() == 1);
        // Up to the limit: one sitemap, as before.
        assert_eq!(sitemaps(&urls[..2], &crawl(&m, &a, (&[], EN)), 2).len(), 1);
    }
}
