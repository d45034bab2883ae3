//! What readers read is text, not markdown: no page of the example's public site — the
//! changelog's redlines included — and no internal redline of unreleased changes shows
//! markdown syntax or a scorecard's rule keys in its visible text.

use crate::common::*;
use std::path::Path;

/// Markdown (and rule keys) that must never reach a reader, with what it is.
const SYNTAX: &[(&str, &str)] = &[
    ("](", "a markdown link"),
    (".md)", "a link to a markdown file"),
    ("|---", "a table's delimiter row"),
    ("| --- |", "a table's delimiter row"),
    ("| linear |", "a scorecard rule key"),
    ("| threshold |", "a scorecard rule key"),
    ("**", "markdown emphasis"),
];

/// Elements that start a line of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "br",
    "pre",
    "dt",
    "dd",
    "summary",
    "caption",
    "blockquote",
    "title",
];

/// The text a browser shows of a page: without its scripts, styles and tags, with
/// character references decoded, line by line as the HTML has them.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let lower = after.get(..8).unwrap_or(after).to_ascii_lowercase();
        let skip_to =
            ["script", "style"].iter().find(|t| lower.starts_with(&format!("<{t}"))).map(|t| format!("</{t}>"));
        let name: String =
            after[1..].trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) {
            text.push('\n');
        }
        rest = match skip_to {
            Some(end) => after.find(&end).map_or("", |e| &after[e + end.len()..]),
            None => after.find('>').map_or("", |e| &after[e + 1..]),
        };
    }
    text.push_str(rest);
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// Each markdown syntax on a page as `page: what (line)`.
fn markdown_shown(page: &str, html: &str) -> Vec<String> {
    let text = visible_text(html);
    let mut found = Vec::new();
    for line in text.lines().map(str::trim) {
        let heading = line.starts_with('#') && line.trim_start_matches('#').starts_with(' ');
        let hits = SYNTAX.iter().filter(|(s, _)| line.contains(s)).map(|(_, what)| *what);
        for what in hits.chain(heading.then_some("a markdown heading")) {
            found.push(format!("{page}: {what}: {}", line.chars().take(120).collect::<String>()));
        }
    }
    found
}

/// Every public page, and every internal redline, of the site built at `site`.
fn scanned_pages(site: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for (audience, keep) in [("public", ""), ("internal", "changes/")] {
        for (path, bytes) in tree(&site.join(audience)) {
            if path.ends_with(".html") && path.starts_with(keep) {
                pages.push((format!("{audience}/{path}"), String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    pages
}

#[test]
fn markdown_never_reaches_readers() {
    let site = copy_of(&repo_root());
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-11-23"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = scanned_pages(&site.path().join("site"));
    assert!(pages.iter().any(|(p, _)| p.starts_with("public/changelog/2026.1/")), "the redlines are scanned");
    assert!(pages.iter().any(|(p, _)| p.starts_with("internal/changes/")), "the unreleased changes are scanned");
    let shown: Vec<String> = pages.iter().flat_map(|(p, html)| markdown_shown(p, html)).collect();
    assert!(shown.is_empty(), "markdown shown to readers:\n{}", shown.join("\n"));
}

#[test]
fn the_scan_sees_markdown_where_there_is_some() {
    let html = "<html><head><style>a::before{content:\"**\"}</style><script>x = '](';</script></head><body>\
        <div>## 考核指标</div><p>| 客户满意度 | ≥ 4 分 | 40% | linear |</p><p>见[服务改进](service-improvement.md)</p>\
        <p>C# is fine, and so is a <a href=\"a.md\">link</a>.</p></body></html>";
    let shown = markdown_shown("x.html", html);
    assert_eq!(shown.len(), 4, "{shown:#?}");
    assert!(shown[0].starts_with("x.html: a markdown heading: ## 考核指标"), "{shown:#?}");
    assert!(shown[1].starts_with("x.html: a scorecard rule key"), "{shown:#?}");
    assert!(shown[2].contains("a markdown link") && shown[3].contains("a link to a markdown file"), "{shown:#?}");
}
