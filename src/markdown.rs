//! Markdown: CommonMark plus tables, footnotes, strikethrough and task lists, through
//! pulldown-cmark.
//!
//! Two pure passes per page. [`outline`] finds the headings (with unique anchors) and
//! the links (with their byte offsets) so that links between pages can be checked once
//! every page's anchors are known; [`to_html`] then renders with the resolved link
//! targets and the same anchors. This module knows nothing about other pages, files or
//! audiences: it is handed the resolved URLs.

use std::collections::BTreeSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A heading of a page with its anchor (unique within the page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub anchor: String,
}

/// A link as written in the markdown, with the byte offset of its `[` in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub dest: String,
    pub offset: usize,
}

/// What the first pass learns about a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
}

impl Outline {
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.headings.iter().any(|h| h.anchor == anchor)
    }
}

/// Turns heading text into an anchor that stays readable in Chinese: letters and digits
/// of every script are kept (Latin lowercased), spaces become `-`, punctuation —
/// ASCII and full-width alike — is dropped. `## 3.1 接待步骤` → `31-接待步骤`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '_' {
            out.push(c);
        } else if (c == '-' || c.is_whitespace()) && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// First pass: headings with unique anchors and every link with its position.
/// A heading's `{#custom-id}` is kept as written; generated anchors that repeat get
/// `-1`, `-2`, … appended.
pub fn outline(body: &str) -> Outline {
    let mut out = Outline::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((level_number(level), id.map(|i| i.to_string()), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, text)) = current.take() {
                    let text = text.trim().to_string();
                    let base = id.unwrap_or_else(|| slugify(&text));
                    let mut anchor = base.clone();
                    let mut n = 0;
                    while used.contains(&anchor) {
                        n += 1;
                        anchor = format!("{base}-{n}");
                    }
                    used.insert(anchor.clone());
                    out.headings.push(Heading { level, text, anchor });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.links.push(LinkRef { dest: dest_url.to_string(), offset: range.start });
            }
            _ => {}
        }
    }
    out
}

/// Second pass: HTML with the outline's anchors as heading ids and each link's
/// destination replaced by `resolved[i]` when that is `Some` (links are counted in the
/// same order as [`outline`] found them). Tables are wrapped so they scroll on their
/// own on narrow screens instead of widening the page.
pub fn to_html(body: &str, outline: &Outline, resolved: &[Option<String>]) -> String {
    let mut heading_ix = 0;
    let mut link_ix = 0;
    let events = Parser::new_ext(body, options()).flat_map(|event| {
        let mut before = None;
        let mut after = None;
        let event = match event {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let anchor = outline.headings.get(heading_ix).map(|h| CowStr::from(h.anchor.clone())).or(id);
                heading_ix += 1;
                Event::Start(Tag::Heading { level, id: anchor, classes, attrs })
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = match resolved.get(link_ix) {
                    Some(Some(url)) => CowStr::from(url.clone()),
                    _ => dest_url,
                };
                link_ix += 1;
                Event::Start(Tag::Link { link_type, dest_url: dest, title, id })
            }
            Event::Start(Tag::Table(a)) => {
                before = Some(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                Event::Start(Tag::Table(a))
            }
            Event::End(TagEnd::Table) => {
                after = Some(Event::Html(CowStr::Borrowed("</div>\n")));
                Event::End(TagEnd::Table)
            }
            other => other,
        };
        before.into_iter().chain(std::iter::once(event)).chain(after)
    });
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// An entry of a page's table of contents (levels 2 and 3, nested).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub text: String,
    pub anchor: String,
    pub children: Vec<TocEntry>,
}

/// The table of contents: level-2 headings with their level-3 headings beneath.
pub fn toc(headings: &[Heading]) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::new();
    for h in headings {
        let entry = TocEntry { text: h.text.clone(), anchor: h.anchor.clone(), children: Vec::new() };
        match (h.level, out.last_mut()) {
            (2, _) => out.push(entry),
            (3, Some(parent)) => parent.children.push(entry),
            (3, None) => out.push(entry),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_chinese_and_drop_punctuation() {
        assert_eq!(slugify("投诉处理时限"), "投诉处理时限");
        assert_eq!(slugify("一、投诉处理时限"), "一投诉处理时限");
        assert_eq!(slugify("3.1 接待步骤"), "31-接待步骤");
        assert_eq!(slugify("Service Levels (一星/二星)"), "service-levels-一星二星");
        assert_eq!(slugify("「首问负责制」：谁接谁管"), "首问负责制谁接谁管");
        assert_eq!(slugify("？！"), "section");
    }

    #[test]
    fn repeated_headings_get_unique_anchors() {
        let o = outline("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n");
        let anchors: Vec<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["职责", "职责-1", "职责-2", "req"]);
        let html = to_html("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n", &o, &[]);
        assert!(html.contains("<h2 id=\"职责-1\">职责</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"req\">要求</h2>"), "{html}");
    }

    #[test]
    fn links_are_found_with_offsets_and_rewritten_in_order() {
        let body = "见[前台](../roles/front-desk.md#职责)与[外部](https://example.com)。\n";
        let o = outline(body);
        assert_eq!(o.links.len(), 2);
        assert_eq!(o.links[0].dest, "../roles/front-desk.md#职责");
        assert_eq!(&body[o.links[0].offset..o.links[0].offset + 1], "[");
        let html = to_html(body, &o, &[Some("../../roles/front-desk/#职责".into()), None]);
        assert!(
            html.contains("href=\"../../roles/front-desk/#%E8%81%8C%E8%B4%A3\"")
                || html.contains("href=\"../../roles/front-desk/#职责\""),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.com\""));
    }

    #[test]
    fn gfm_extensions_render() {
        let body =
            "| 类型 | 时限 |\n|---|---|\n| 服务态度 | 24 小时 |\n\n- [x] 已完成\n\n~~旧~~ 注[^1]\n\n[^1]: 脚注\n";
        let html = to_html(body, &outline(body), &[]);
        assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
        assert!(html.contains("<td>服务态度</td>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("<del>旧</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn toc_nests_level_three_under_level_two() {
        let o = outline("## 甲\n### 甲一\n## 乙\n#### 深\n");
        let t = toc(&o.headings);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children[0].text, "甲一");
        assert!(t[1].children.is_empty());
    }
}
