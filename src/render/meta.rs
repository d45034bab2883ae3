//! What a page says about itself to search engines, link previews and feed readers:
//! its description (front matter `summary`, else its first paragraph's text, trimmed),
//! and its addresses (canonical and OpenGraph URL). Pure: handed the rendered body and
//! the view's addresses, it reads nothing. Each site's pages are described from that
//! site's view only, so nothing internal reaches a public page's metadata.

use crate::load::config::Config;
use crate::load::content::Audience;
use crate::render::Versioning;

/// Longest description, in columns: a character of Chinese, Japanese or Korean text
/// counts two (it is drawn twice as wide). Search results show about 160 Latin
/// characters or 80 Chinese ones, and so do link previews; what is longer is cut off
/// unseen, on every page, twice (`description` and `og:description`).
const MAX_DESCRIPTION: usize = 160;

/// The description of a page: its summary when given, else the text of the first
/// paragraph of `body` (rendered HTML) with something in it; trimmed to
/// [`MAX_DESCRIPTION`] columns.
pub(super) fn description(summary: Option<&str>, body: &str) -> Option<String> {
    let text = match summary.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => collapse(s),
        None => first_paragraph(body)?,
    };
    (!text.is_empty()).then(|| trim(&text, MAX_DESCRIPTION))
}

/// The text of the first `<p>` of `html` that holds any, tags dropped, the entities
/// the renderer writes decoded and white space collapsed.
fn first_paragraph(html: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = html[from..].find("<p").map(|i| from + i) {
        let open_end = html[at..].find('>').map(|i| at + i + 1)?;
        from = open_end;
        let tag = &html[at..open_end];
        if !(tag == "<p>" || tag.starts_with("<p ")) {
            continue;
        }
        let close = html[open_end..].find("</p>").map_or(html.len(), |i| open_end + i);
        let text = collapse(&strip_tags(&html[open_end..close]));
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}

/// The text of `html`, tags dropped and character references decoded (through
/// `base::html`, the one reader of Charter's own HTML).
fn strip_tags(html: &str) -> String {
    use crate::base::html::{decode, pieces, Piece};
    pieces(html)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Text(t) => Some(decode(t)),
            Piece::Tag { .. } => None,
        })
        .collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` cut to at most `max` columns (wide characters count two) with "…": at the
/// last space (words) or sentence punctuation (CJK) in the second half of what fits,
/// else at a character.
fn trim(text: &str, max: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let width = |c: char| c.width().unwrap_or(0);
    if text.chars().map(width).sum::<usize>() <= max {
        return text.to_string();
    }
    let mut used = 0;
    let fits: String = text
        .chars()
        .take_while(|&c| {
            used += width(c);
            used < max
        })
        .collect();
    let half = fits.len() / 2;
    let cut = fits
        .char_indices()
        .rev()
        .find(|&(i, c)| i >= half && (c == ' ' || "。，；、！？,;".contains(c)))
        .map(|(i, c)| if c == ' ' { i } else { i + c.len_utf8() })
        .unwrap_or(fits.len());
    format!("{}…", fits[..cut].trim_end_matches([' ', '，', '、', ',', ';', '；']))
}

/// A page's addresses: its own absolute URL (OpenGraph `og:url`) and its canonical
/// URL, when the site's address is known (`base_url`, or `internal_url` for the
/// internal site).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Addresses {
    pub(super) own: Option<String>,
    pub(super) canonical: Option<String>,
}

/// The addresses of the page at `url` of a view with `prefix` (its release folder).
/// A page of a release points at the same page of the current release (at the site
/// root) when that release has it, else at itself.
pub(super) fn addresses(
    config: &Config,
    audience: Audience,
    (prefix, url): (&str, &str),
    versioning: Option<&Versioning>,
) -> Addresses {
    let site = config.site_url(audience);
    if !site.contains("://") {
        return Addresses { own: None, canonical: None };
    }
    let own = format!("{site}{prefix}{url}");
    let canonical = match versioning {
        Some(v) if v.this == v.newest() || v.urls[v.newest()].contains(url) => format!("{site}{}{url}", v.root),
        _ => own.clone(),
    };
    Addresses { own: Some(own), canonical: Some(canonical) }
}

/// How a rendered page states the day it last changed (`base.html` writes it from the
/// page's history), for the sitemap's `lastmod`.
const MODIFIED: &str = "<meta property=\"article:modified_time\" content=\"";

/// The `hreflang` alternates a rendered page states in its `<head>` (`base.html`'s
/// `<link rel="alternate" hreflang>`), as (language, address), for the sitemap.
pub(crate) fn alternates(html: &[u8]) -> Vec<(String, String)> {
    let Some(head_end) = memchr::memmem::find(html, b"</head>") else { return Vec::new() };
    let Ok(head) = std::str::from_utf8(&html[..head_end]) else { return Vec::new() };
    let mut out = Vec::new();
    for piece in crate::base::html::pieces(head) {
        let crate::base::html::Piece::Tag { name, attrs, closing: false, .. } = piece else { continue };
        if name != "link" || crate::base::html::attr(attrs, "rel").as_deref() != Some("alternate") {
            continue;
        }
        if let (Some(lang), Some(href)) =
            (crate::base::html::attr(attrs, "hreflang"), crate::base::html::attr(attrs, "href"))
        {
            out.push((lang, href));
        }
    }
    out
}

/// The `YYYY-MM-DD` a rendered page says it last changed, read from its `<head>`.
pub(crate) fn modified(html: &[u8]) -> Option<String> {
    let head_end = memchr::memmem::find(html, b"</head>")?;
    let at = memchr::memmem::find(&html[..head_end], MODIFIED.as_bytes())? + MODIFIED.len();
    let date = html.get(at..at + 10)?;
    let date = std::str::from_utf8(date).ok()?;
    crate::base::date::Date::parse(date).ok().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn description_is_the_summary_else_the_first_paragraph_with_text() {
        assert_eq!(description(Some("  简介\n 一行 "), "<p>正文</p>").as_deref(), Some("简介 一行"));
        let body = "<h2 id=\"a\">标题</h2>\n<p><img src=\"x.png\" alt=\"\"></p>\n<p class=\"lead\">顾客<a href=\"x/\">投诉</a> &amp; 建议&lt;3&gt;</p><p>后文</p>";
        assert_eq!(description(None, body).as_deref(), Some("顾客投诉 & 建议<3>"));
        // `<pre>` and `<progress>` are not paragraphs.
        assert_eq!(description(None, "<pre>code</pre><progress></progress>"), None);
        assert_eq!(description(Some(""), ""), None);
    }

    #[test]
    fn the_modified_day_is_read_from_the_head_only() {
        let page = "<head><meta property=\"article:modified_time\" content=\"2026-03-04\">\n</head><body>";
        assert_eq!(modified(page.as_bytes()).as_deref(), Some("2026-03-04"));
        let in_body = "<head></head><meta property=\"article:modified_time\" content=\"2026-03-04\">";
        assert_eq!(modified(in_body.as_bytes()), None);
        assert_eq!(modified(b"<head><meta property=\"article:modified_time\" content=\"2026-3\"></head>"), None);
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word_or_sentence() {
        let words = "word ".repeat(50);
        let cut = trim(words.trim(), 160);
        assert!(cut.ends_with("word…") && cut.chars().count() <= 160, "{cut}");
        // A Chinese character is two columns: about 80 fit.
        let cjk = format!("{}。{}", "甲".repeat(60), "乙".repeat(100));
        assert_eq!(trim(&cjk, 160), format!("{}。…", "甲".repeat(60)));
        // No break in the second half: cut at a character.
        let solid = "丙".repeat(200);
        assert_eq!(trim(&solid, 160), format!("{}…", "丙".repeat(79)));
        assert_eq!(trim(&"丁".repeat(80), 160), "丁".repeat(80), "exactly 160 columns fit");
        let mixed = format!("{} {}", "服务 quality ".repeat(12), "尾".repeat(40));
        let cut = trim(&mixed, 160);
        assert!(cut.ends_with("quality…"), "{cut}");
        assert_eq!(trim("短", 160), "短");
    }

    #[test]
    fn old_releases_point_at_the_current_page_only_where_it_exists() {
        let config = Config { base_url: "https://hb.example/".into(), ..Config::default() };
        let v = |this: usize| Versioning {
            root: String::new(),
            names: vec!["1.0".into(), "2.0".into()],
            dates: vec![crate::base::date::Date::parse("2025-01-01").unwrap(); 2],
            this,
            at_root: false,
            urls: vec![["a/".to_string(), "gone/".to_string()].into(), ["a/".to_string()].into()],
        };
        let at = |prefix, url, this| addresses(&config, Audience::PUBLIC, (prefix, url), Some(&v(this))).canonical;
        assert_eq!(at("1.0/", "a/", 0).as_deref(), Some("https://hb.example/a/"));
        assert_eq!(at("1.0/", "gone/", 0).as_deref(), Some("https://hb.example/1.0/gone/"));
        // The newest release's own folder points at the root.
        assert_eq!(at("2.0/", "print/", 1).as_deref(), Some("https://hb.example/print/"));
        let plain = addresses(&config, Audience::PUBLIC, ("", "x/"), None);
        assert_eq!(plain.own.as_deref(), Some("https://hb.example/x/"));
        // The internal site has an address only when configured, never the public one.
        assert_eq!(addresses(&config, Audience::INTERNAL, ("", "x/"), None), Addresses { own: None, canonical: None });
        let config = Config { internal_url: "https://intra.example/".into(), ..config };
        let internal = addresses(&config, Audience::INTERNAL, ("", "x/"), None);
        assert_eq!(internal.canonical.as_deref(), Some("https://intra.example/x/"));
    }
}
