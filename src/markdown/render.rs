//! The second pass: HTML with the outline's anchors, resolved link targets, expanded
//! shortcodes and wrapped tables; and the table of contents. Must not check links or
//! read data: it is handed resolved URLs and an expansion function. Raw HTML goes
//! through `sanitise`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde::Serialize;

use super::sanitise::{
    heading_attribute_allowed, nesting_depth, safe_url, sanitise, scrub, splice, MARK, MAX_RAW_DEPTH,
};
use super::{items, shortcodes, Body, Expand, Heading, Hooks, Item, Outline};
use crate::base::files::BodyText;

/// Second pass: HTML with the outline's anchors as heading ids, each link's and image's
/// destination replaced by `resolved[i]` when that is `Some` (links and images are
/// counted together, in the order [`outline`](super::outline()) found them) and shortcodes expanded. A block
/// shortcode alone in its paragraph replaces the paragraph. Tables are wrapped so they
/// scroll on their own on narrow screens instead of widening the page. Raw HTML is
/// sanitised (see [`render`]).
pub fn to_html(body: &str, outline: &Outline, resolved: &[Option<String>], expand: &Expand) -> String {
    render(body, outline, resolved, expand, false).html
}

/// Like [`to_html`], and with `keep_raw` also the HTML with the source's raw HTML kept.
/// A page without raw HTML is rendered straight; a page with raw HTML is rendered with
/// a placeholder for each shortcode, sanitised with [`sanitise`], and the shortcodes'
/// HTML is spliced into the placeholders. Both renderings empty links and images with
/// [`dangerous_url`](super::dangerous_url)s and drop heading attributes other than
/// `lang`, `dir` and `title`; raw HTML nested deeper than [`MAX_RAW_DEPTH`] is text in
/// both (`trusted` is `None`).
pub(crate) fn render(
    body: &str,
    outline: &Outline,
    resolved: &[Option<String>],
    expand: &Expand,
    keep_raw: bool,
) -> Body {
    let body = scrub(body);
    let items = items(&body);
    render_items(&body, items, outline, &mut Dests::Resolved(resolved), expand, keep_raw)
}

/// Where links and images point while a body is rendered.
enum Dests<'r> {
    /// Resolved: `resolved[i]` for the `i`th link or image, when `Some`.
    Resolved(&'r [Option<String>]),
    /// Not resolved yet: a [`SLOT`] numbered `n` in place of each destination, the
    /// `n`th entry holding the link's position and its destination as written.
    Slots(Vec<(usize, String)>),
}

impl Dests<'_> {
    fn dest<'a>(&mut self, ix: usize, written: CowStr<'a>) -> CowStr<'a> {
        match self {
            Dests::Resolved(resolved) => match resolved.get(ix) {
                Some(Some(url)) => CowStr::from(scrub(url).into_owned()),
                _ => written,
            },
            Dests::Slots(slots) => {
                let n = slots.len();
                slots.push((ix, written.into_string()));
                CowStr::from(format!("{SLOT}{n}{SLOT}"))
            }
        }
    }
}

fn render_items(
    body: &str,
    items: Vec<Item>,
    outline: &Outline,
    dests: &mut Dests,
    expand: &Expand,
    keep_raw: bool,
) -> Body {
    let raw = items.iter().any(|i| matches!(i, Item::Event(Event::Html(_) | Event::InlineHtml(_), _)));
    // The HTML parser behind the sanitiser takes time quadratic in nesting depth: raw
    // HTML of a page nested deeper than browsers build is shown as text instead.
    let as_text = raw && nesting_depth(&items) > MAX_RAW_DEPTH;
    let raw = raw && !as_text;
    // Shortcode HTML held out of sanitising (only for pages with raw HTML).
    let mut held: Vec<String> = Vec::new();
    let mut heading_ix = 0;
    let mut link_ix = 0;
    let mut events: Vec<Event> = Vec::new();
    let mut skip_paragraph_end = false;
    // The heading the text is under (for labelling tables) and where the open table's
    // wrapper is in `events`.
    let mut last_section: Option<String> = None;
    let mut table_at = 0;
    // Inside the title heading, which renders as its anchor alone.
    let mut in_title = false;
    let mut iter = items.into_iter().peekable();
    while let Some(item) = iter.next() {
        if in_title {
            match item {
                Item::Event(Event::End(TagEnd::Heading(_)), _) => in_title = false,
                // Its links and images are counted all the same: `resolved` has an
                // entry for each, in order.
                Item::Event(Event::Start(Tag::Link { .. } | Tag::Image { .. }), _) => link_ix += 1,
                _ => {}
            }
            continue;
        }
        let event = match item {
            Item::Text(run) => {
                let found = shortcodes::find_all(&run.text);
                let alone = found.len() == 1
                    && run.text[..found[0].start].trim().is_empty()
                    && run.text[found[0].end..].trim().is_empty();
                let mut last = 0;
                for f in &found {
                    if f.start > last {
                        events.push(Event::Text(CowStr::from(run.text[last..f.start].to_string())));
                    }
                    if let Ok(call) = &f.call {
                        let (html, block) = expand(call);
                        let next_ends_paragraph =
                            matches!(iter.peek(), Some(Item::Event(Event::End(TagEnd::Paragraph), _)));
                        if block
                            && alone
                            && next_ends_paragraph
                            && matches!(events.last(), Some(Event::Start(Tag::Paragraph)))
                        {
                            events.pop();
                            skip_paragraph_end = true;
                        }
                        if raw {
                            events.push(Event::Html(CowStr::from(format!("{MARK}{}{MARK}", held.len()))));
                            held.push(html);
                        } else {
                            events.push(Event::Html(CowStr::from(html)));
                        }
                    }
                    last = f.end;
                }
                if last < run.text.len() {
                    events.push(Event::Text(CowStr::from(run.text[last..].to_string())));
                }
                continue;
            }
            Item::Event(event, _) => event,
        };
        match event {
            Event::End(TagEnd::Paragraph) if skip_paragraph_end => {
                skip_paragraph_end = false;
            }
            Event::Start(Tag::Heading { .. }) if heading_ix == 0 && title_heading(outline) => {
                let anchor = scrub(&outline.headings[0].anchor).into_owned();
                let anchor = super::shortcodes::escape(&anchor);
                heading_ix += 1;
                in_title = true;
                events.push(Event::Html(CowStr::from(format!("<div id=\"{anchor}\"></div>\n"))));
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let anchor =
                    outline.headings.get(heading_ix).map(|h| CowStr::from(scrub(&h.anchor).into_owned())).or(id);
                heading_ix += 1;
                if level != pulldown_cmark::HeadingLevel::H1 {
                    last_section = anchor.as_ref().map(|a| a.to_string());
                }
                let attrs = attrs.into_iter().filter(|(name, _)| heading_attribute_allowed(name)).collect();
                events.push(Event::Start(Tag::Heading { level, id: anchor, classes, attrs }));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = dests.dest(link_ix, dest_url);
                link_ix += 1;
                events.push(Event::Start(Tag::Link { link_type, dest_url: safe_url(dest), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = dests.dest(link_ix, dest_url);
                link_ix += 1;
                events.push(Event::Start(Tag::Image { link_type, dest_url: safe_url(dest), title, id }));
            }
            Event::Start(Tag::Table(a)) => {
                table_at = events.len();
                events.push(Event::Html(CowStr::Borrowed(TABLE_REGION)));
                events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::TableHead) => {
                let head = plain_text(&events[table_at..]);
                events[table_at] = Event::Html(CowStr::from(table_region(last_section.as_deref(), &head)));
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Html(t) | Event::InlineHtml(t) if as_text => events.push(Event::Text(t)),
            other => events.push(other),
        }
    }
    let events = super::callouts::rewrite(events);
    // The search text, from the same events (raw HTML is read once sanitised, from the
    // page; so is a body whose own words could make the reader skip an element).
    let text = (!raw && !has(body, "data-search-ignore") && !has(body, "class="))
        .then(|| super::text::body_text(&events))
        .flatten();
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if !raw {
        return Body { html, trusted: None, text };
    }
    let trusted = keep_raw.then(|| splice(&html, &held));
    Body { html: splice(&sanitise(&html), &held), trusted, text: None }
}

/// Noncharacter around the number of a destination not resolved yet (see [`Dests`]);
/// the HTML writer percent-encodes it as [`SLOT_HREF`].
const SLOT: char = '\u{FDD1}';
const SLOT_HREF: &str = "%EF%B7%91";

/// A body rendered in the pass that outlines it, before the links of the site are
/// resolved: its HTML with a slot for each destination, filled in by [`fill`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pending {
    html: String,
    /// Per slot: the link's position among the page's links and its destination as written.
    slots: Vec<(usize, String)>,
    text: Option<BodyText>,
}

/// The one pass over a page's markdown: its outline (see [`outline`](super::outline()),
/// with `title_heading` set) and, unless the page has raw HTML (which is sanitised
/// after its links are resolved, so [`render`] renders it then), its HTML with each
/// link's and image's destination left as a slot for [`fill`], and its search text.
pub(crate) fn parse(body: &str, hooks: &Hooks, title_heading: bool, expand: &Expand) -> (Outline, Option<Pending>) {
    // A body with a placeholder's character (or its written form) renders later.
    if has(body, SLOT_HREF) || body.contains(SLOT) || body.contains(MARK) {
        let mut o = super::outline(body, hooks);
        o.title_heading = title_heading;
        return (o, None);
    }
    let items = items(body);
    let mut o = super::outline::outline_items(&items, hooks);
    o.title_heading = title_heading;
    if items.iter().any(|i| matches!(i, Item::Event(Event::Html(_) | Event::InlineHtml(_), _))) {
        return (o, None);
    }
    let mut dests = Dests::Slots(Vec::new());
    let rendered = render_items(body, items, &o, &mut dests, expand, false);
    let Dests::Slots(slots) = dests else { unreachable!("slots stay slots") };
    // Every slot the writer wrote, and nothing else that reads like one.
    if memchr::memmem::find_iter(rendered.html.as_bytes(), SLOT_HREF).count() != 2 * slots.len() {
        return (o, None);
    }
    (o, Some(Pending { html: rendered.html, slots, text: rendered.text }))
}

/// The HTML of a [`Pending`] body with each slot filled: the link's resolved
/// destination (`resolved[i]`, as [`render`] takes it) or the destination as written,
/// made safe and escaped as the HTML writer escapes it, except that characters beyond
/// ASCII stay as they are (see [`links::escape_href`](super::links::escape_href)).
pub(crate) fn fill(pending: Pending, resolved: &[Option<String>]) -> Body {
    let Pending { html, slots, mut text } = pending;
    if slots.is_empty() {
        return Body { html, trusted: None, text };
    }
    let mut out = String::with_capacity(html.len() + slots.len() * 24);
    let mut rest = html.as_str();
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), SLOT_HREF.as_bytes()) {
        out.push_str(&rest[..at]);
        let after = &rest[at + SLOT_HREF.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: usize = after[..digits].parse().expect("a slot number");
        let (ix, written) = &slots[n];
        let dest = match resolved.get(*ix) {
            Some(Some(url)) => {
                // A destination the reader would skip the link's text for.
                if url.contains("data-search-ignore") {
                    text = None;
                }
                scrub(url)
            }
            _ => std::borrow::Cow::Borrowed(written.as_str()),
        };
        let dest = safe_url(CowStr::from(dest.as_ref()));
        super::links::escape_href(&mut out, &dest);
        rest = &after[digits + SLOT_HREF.len()..];
    }
    out.push_str(rest);
    Body { html: out, trusted: None, text }
}

/// Whether `needle` occurs in `hay` (a vectorised search).
fn has(hay: &str, needle: &str) -> bool {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// The wrapper of a table before its label is known.
const TABLE_REGION: &str = "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\">";

/// The wrapper of a table: a scrollable region that keyboard users can focus (and so
/// scroll), named by the heading it sits under (`aria-labelledby`), or by its column
/// headings when no heading of level 2 or more comes before it.
fn table_region(section: Option<&str>, head: &str) -> String {
    let label = match section {
        Some(anchor) => format!("aria-labelledby=\"{}\"", shortcodes::escape(anchor)),
        None if !head.trim().is_empty() => format!("aria-label=\"{}\"", shortcodes::escape(head.trim())),
        None => return TABLE_REGION.to_string(),
    };
    format!("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" {label}>")
}

/// The text of the cells among `events`, cells joined by `, `.
fn plain_text(events: &[Event]) -> String {
    let mut cells: Vec<String> = Vec::new();
    for e in events {
        match e {
            Event::Start(Tag::TableCell) => cells.push(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(cell) = cells.last_mut() {
                    cell.push_str(t);
                }
            }
            _ => {}
        }
    }
    cells.retain(|c| !c.trim().is_empty());
    cells.join(", ")
}

/// Whether the outline's first heading is the page's title (see [`Outline::title_heading`]).
fn title_heading(outline: &Outline) -> bool {
    outline.title_heading && outline.headings.first().is_some_and(|h| h.level == 1)
}

/// An entry of a page's table of contents (levels 2 and 3, nested).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct TocEntry {
    pub(crate) text: String,
    pub(crate) anchor: String,
    pub(crate) children: Vec<TocEntry>,
}

/// The table of contents: level-2 headings with their level-3 headings beneath.
pub(crate) fn toc(headings: &[Heading]) -> Vec<TocEntry> {
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
    use crate::markdown::test_support::{demo_expand, no_expand};

    use crate::markdown::{outline, Hooks};

    #[test]
    fn shortcodes_expand_outside_code_only() {
        let body = "回复 {{ param(id=\"online_reply_minutes\") }} 内。\n\n`{{ param(id=\"x\") }}`\n\n```\n{{ param(id=\"y\") }}\n```\n\n{{ params_table(ids=[\"a\", \"b\"]) }}\n";
        let o = outline(body, &Hooks::none());
        assert_eq!(o.shortcodes.len(), 2, "{:?}", o.shortcodes);
        assert_eq!(&body[o.shortcodes[0].offset..o.shortcodes[0].offset + 2], "{{");
        assert_eq!(o.shortcodes[1].call.as_ref().unwrap().name, "params_table");
        let html = to_html(body, &o, &[], &demo_expand);
        assert!(html.contains("<p>回复 <span class=\"param\">5 分钟</span> 内。</p>"), "{html}");
        assert!(html.contains("<code>{{ param(id=\"x\") }}</code>"), "{html}");
        assert!(html.contains("{{ param(id=\"y\") }}\n</code></pre>"), "{html}");
        // The block shortcode replaces its paragraph.
        assert!(html.contains("<table><tr><td>T</td></tr></table>") && !html.contains("<p><table>"), "{html}");
    }

    #[test]
    fn gfm_extensions_render() {
        let body =
            "| 类型 | 时限 |\n|---|---|\n| 服务态度 | 24 小时 |\n\n- [x] 已完成\n\n~~旧~~ 注[^1]\n\n[^1]: 脚注\n";
        let html = to_html(body, &outline(body, &Hooks::none()), &[], &no_expand);
        // No heading above: the region is named by its column headings.
        assert!(
            html.contains("<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"类型, 时限\"><table>"),
            "{html}"
        );
        assert!(html.contains("<td>服务态度</td>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("<del>旧</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn a_table_region_is_named_by_the_heading_it_sits_under() {
        let body = "# Handbook\n\n## Career ladder\n\nText.\n\n| Level | Title |\n|---|---|\n| 1 | Associate |\n";
        let html = to_html(body, &outline(body, &Hooks::none()), &[], &no_expand);
        assert!(
            html.contains(
                "<h2 id=\"career-ladder\">Career ladder</h2>\n<p>Text.</p>\n<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-labelledby=\"career-ladder\"><table>"
            ),
            "{html}"
        );
    }

    #[test]
    fn the_title_heading_renders_as_its_anchor_only() {
        let body = "# Refund [policy](x.md) {#top}\n\nSee [terms](terms.md).\n\n# Other\n";
        let mut o = outline(body, &Hooks::none());
        o.title_heading = true;
        let resolved = [Some("../x/".to_string()), Some("../terms/".to_string())];
        let html = to_html(body, &o, &resolved, &no_expand);
        assert_eq!(
            html,
            "<div id=\"top\"></div>\n<p>See <a href=\"../terms/\">terms</a>.</p>\n<h1 id=\"other\">Other</h1>\n"
        );
        // An image in the title heading counts among the page's links and images too:
        // the link after it gets its own resolved address, not the image's.
        let body = "# ![Logo](logo.png) Refunds\n\nSee [terms](terms.md).\n";
        let mut o = outline(body, &Hooks::none());
        o.title_heading = true;
        let resolved = [Some("../../logo.png".to_string()), Some("../terms/".to_string())];
        let html = to_html(body, &o, &resolved, &no_expand);
        assert!(html.contains("<a href=\"../terms/\">terms</a>"), "{html}");
        // Only a first heading of level 1 is ever a title heading.
        let body = "## Scope\n";
        let mut o = outline(body, &Hooks::none());
        o.title_heading = true;
        assert_eq!(to_html(body, &o, &[], &no_expand), "<h2 id=\"scope\">Scope</h2>\n");
    }

    #[test]
    fn toc_nests_level_three_under_level_two() {
        let o = outline("## 甲\n### 甲一\n## 乙\n#### 深\n", &Hooks::none());
        let t = toc(&o.headings);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children[0].text, "甲一");
        assert!(t[1].children.is_empty());
    }
}
