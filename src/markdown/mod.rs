//! Markdown: CommonMark plus tables, footnotes, strikethrough and task lists, through
//! pulldown-cmark.
//!
//! Two pure passes per page. [`outline`] finds the headings (with unique anchors), the
//! links, the shortcodes, unfilled `[X]` blanks and hand-typed parameter values, each
//! with its byte offset, so that they can be checked once every page is known;
//! [`to_html`] then renders with the resolved link targets, the same anchors and the
//! shortcodes expanded. Text inside code spans and code blocks is never interpreted.
//! This module knows nothing about other pages, files, data or audiences: it is handed
//! resolved URLs and expansion functions.
//!
//! Hostile content: every link and image whose URL has a `javascript:`, `vbscript:` or
//! `data:` scheme gets an empty destination, and heading attributes (`{key=value}`)
//! other than `lang`, `dir` and `title` are dropped, so the HTML of a page without raw
//! HTML is safe by construction. A page whose source has raw HTML is passed through an
//! allow-list sanitiser ([`sanitise`], ammonia) with the shortcodes' own (trusted) HTML
//! held out as placeholders and spliced back in afterwards; [`render`] can also give
//! the unsanitised HTML for sites that trust their authors' raw HTML. Raw HTML of a page
//! nested deeper than [`MAX_RAW_DEPTH`] is shown as text (the sanitiser's HTML parser
//! would take time quadratic in the depth).

pub mod links;
pub mod shortcodes;

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use self::shortcodes::Call;

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

/// A shortcode call found outside code, with the byte offset of its `{{`.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortcodeRef {
    pub call: Result<Call, String>,
    pub offset: usize,
}

/// What the first pass learns about a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub shortcodes: Vec<ShortcodeRef>,
    /// Offsets of unfilled template blanks such as `[X]` or `【X】`.
    pub blanks: Vec<usize>,
    /// Offsets of numbers typed by hand that a parameter defines, with the ids.
    pub typed_numbers: Vec<(usize, String, Vec<String>)>,
    /// The anchors of `headings`, so that checking a link's anchor does not scan them.
    anchors: BTreeSet<String>,
}

impl Outline {
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.anchors.contains(anchor)
    }
}

/// Finds numbers with units that parameters define (`24 小时`) in running text, so
/// that a handbook does not repeat by hand what `data/params.yaml` holds.
pub struct NumberSpotter {
    automaton: aho_corasick::AhoCorasick,
    /// Pattern index → (text, parameter ids).
    patterns: Vec<(String, Vec<String>)>,
}

impl NumberSpotter {
    /// From (typed form, parameter id) pairs; `None` when there is nothing to spot.
    pub fn new(forms: &[(String, String)]) -> Option<NumberSpotter> {
        // Grouped by text, in first-seen order, through an index (a site may define
        // tens of thousands of parameters).
        let mut patterns: Vec<(String, Vec<String>)> = Vec::new();
        let mut by_text: HashMap<&str, usize> = HashMap::new();
        for (text, id) in forms {
            match by_text.get(text.as_str()) {
                Some(&i) => patterns[i].1.push(id.clone()),
                None => {
                    by_text.insert(text, patterns.len());
                    patterns.push((text.clone(), vec![id.clone()]));
                }
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|(t, _)| t.as_str()))
            .ok()?;
        Some(NumberSpotter { automaton, patterns })
    }

    /// (byte offset in `text`, matched text, parameter ids) of each typed number. A
    /// match must not continue a longer number (`15 分钟` is not `5 分钟`).
    fn find(&self, text: &str) -> Vec<(usize, String, Vec<String>)> {
        let mut out = Vec::new();
        for m in self.automaton.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',') {
                continue;
            }
            let (t, ids) = &self.patterns[m.pattern().as_usize()];
            out.push((m.start(), t.clone(), ids.clone()));
        }
        out
    }
}

/// Per-page hooks into the service data for the first pass.
pub struct Hooks<'a> {
    /// The plain text a shortcode call shows (for heading text and anchors).
    pub plain: &'a (dyn Fn(&Call) -> String + Sync),
    pub numbers: Option<&'a NumberSpotter>,
}

impl Hooks<'_> {
    /// Hooks for a site without service data.
    pub fn none() -> Hooks<'static> {
        Hooks { plain: &|_| String::new(), numbers: None }
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

/// Consecutive text events merged into one run, remembering where each piece starts
/// in the body so positions inside the run map back to the file.
struct TextRun {
    text: String,
    /// (offset in `text`, offset in the body) of each merged piece.
    pieces: Vec<(usize, usize)>,
}

impl TextRun {
    fn body_offset(&self, i: usize) -> usize {
        let k = self.pieces.partition_point(|(at, _)| *at <= i);
        let (at, body) = if k == 0 { (0, 0) } else { self.pieces[k - 1] };
        body + (i - at)
    }
}

enum Item<'a> {
    Event(Event<'a>, usize),
    Text(TextRun),
}

/// The page's events with text outside code blocks merged into runs: shortcodes and
/// blanks may be split over several text events by the parser.
fn items(body: &str) -> Vec<Item<'_>> {
    let mut out: Vec<Item> = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Text(t) if !in_code => {
                if let Some(Item::Text(run)) = out.last_mut() {
                    run.pieces.push((run.text.len(), range.start));
                    run.text.push_str(&t);
                } else {
                    out.push(Item::Text(TextRun { text: t.to_string(), pieces: vec![(0, range.start)] }));
                }
            }
            other => {
                match &other {
                    Event::Start(Tag::CodeBlock(_)) => in_code = true,
                    Event::End(TagEnd::CodeBlock) => in_code = false,
                    _ => {}
                }
                out.push(Item::Event(other, range.start));
            }
        }
    }
    out
}

/// Unfilled blanks of template standards: `[X]`, `［X］`, `【X】` (any case, any width).
fn blanks(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, open) in text.char_indices() {
        if !matches!(open, '[' | '［' | '【') {
            continue;
        }
        let mut rest = text[i + open.len_utf8()..].chars();
        if matches!(rest.next(), Some('X' | 'x' | 'Ｘ' | 'ｘ')) && matches!(rest.next(), Some(']' | '］' | '】')) {
            out.push(i);
        }
    }
    out
}

/// First pass: headings with unique anchors, links, shortcodes, blanks and hand-typed
/// numbers, each with its position. A heading's `{#custom-id}` is kept as written;
/// generated anchors that repeat get `-1`, `-2`, … appended.
pub fn outline(body: &str, hooks: &Hooks) -> Outline {
    let mut out = Outline::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    // The next suffix to try for each generated base, so that a heading repeated n
    // times costs n lookups, not n² / 2.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    for item in items(body) {
        match item {
            Item::Text(run) => {
                let found = shortcodes::find_all(&run.text);
                let mut plain = String::new();
                let mut last = 0;
                for f in &found {
                    scan_text(&run, last, &run.text[last..f.start], hooks, &mut out);
                    plain.push_str(&run.text[last..f.start]);
                    if let Ok(call) = &f.call {
                        plain.push_str(&(hooks.plain)(call));
                    }
                    out.shortcodes.push(ShortcodeRef { call: f.call.clone(), offset: run.body_offset(f.start) });
                    last = f.end;
                }
                scan_text(&run, last, &run.text[last..], hooks, &mut out);
                plain.push_str(&run.text[last..]);
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&plain);
                }
            }
            Item::Event(event, offset) => match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    current = Some((level_number(level), id.map(|i| i.to_string()), String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, id, text)) = current.take() {
                        let text = text.trim().to_string();
                        let base = id.unwrap_or_else(|| slugify(&text));
                        let mut anchor = base.clone();
                        if used.contains(&anchor) {
                            let n = next_suffix.entry(base.clone()).or_insert(0);
                            loop {
                                *n += 1;
                                anchor = format!("{base}-{n}");
                                if !used.contains(&anchor) {
                                    break;
                                }
                            }
                        }
                        used.insert(anchor.clone());
                        out.headings.push(Heading { level, text, anchor });
                    }
                }
                Event::Code(t) => {
                    if let Some((_, _, text)) = current.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    out.links.push(LinkRef { dest: dest_url.to_string(), offset });
                }
                _ => {}
            },
        }
    }
    out.anchors = used;
    out
}

/// Looks for blanks and typed numbers in `text`, which starts at `at` in `run`.
fn scan_text(run: &TextRun, at: usize, text: &str, hooks: &Hooks, out: &mut Outline) {
    out.blanks.extend(blanks(text).into_iter().map(|i| run.body_offset(at + i)));
    if let Some(spotter) = hooks.numbers {
        for (i, t, ids) in spotter.find(text) {
            out.typed_numbers.push((run.body_offset(at + i), t, ids));
        }
    }
}

/// How the second pass renders a shortcode: its HTML and whether it is a block.
pub type Expand<'a> = dyn Fn(&Call) -> (String, bool) + Sync + 'a;

/// A page's body as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Safe to publish: raw HTML of the source sanitised, dangerous URLs neutralised.
    pub html: String,
    /// The HTML with the source's raw HTML kept as written, when asked for and when the
    /// source has raw HTML (otherwise it is `html`).
    pub trusted: Option<String>,
}

/// Second pass: HTML with the outline's anchors as heading ids, each link's destination
/// replaced by `resolved[i]` when that is `Some` (links are counted in the same order
/// as [`outline`] found them) and shortcodes expanded. A block shortcode alone in its
/// paragraph replaces the paragraph. Tables are wrapped so they scroll on their own on
/// narrow screens instead of widening the page. Raw HTML is sanitised (see [`render`]).
pub fn to_html(body: &str, outline: &Outline, resolved: &[Option<String>], expand: &Expand) -> String {
    render(body, outline, resolved, expand, false).html
}

/// Noncharacter around the number of a shortcode's placeholder while a page with raw
/// HTML is sanitised. The same character in the source becomes U+FFFD (same length in
/// UTF-8, so offsets stay valid), so every placeholder in the sanitised HTML is ours.
const MARK: char = '\u{FDD0}';

/// Replaces [`MARK`] in text that came from the source.
fn scrub(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(MARK) {
        std::borrow::Cow::Owned(s.replace(MARK, "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Like [`to_html`], and with `keep_raw` also the HTML with the source's raw HTML kept.
/// A page without raw HTML is rendered straight; a page with raw HTML is rendered with
/// a placeholder for each shortcode, sanitised with [`sanitise`], and the shortcodes'
/// HTML is spliced into the placeholders. Both renderings empty links and images with
/// [`dangerous_url`]s and drop heading attributes other than `lang`, `dir` and `title`;
/// raw HTML nested deeper than [`MAX_RAW_DEPTH`] is text in both (`trusted` is `None`).
pub fn render(body: &str, outline: &Outline, resolved: &[Option<String>], expand: &Expand, keep_raw: bool) -> Body {
    let body = scrub(body);
    let items = items(&body);
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
    let mut iter = items.into_iter().peekable();
    while let Some(item) = iter.next() {
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
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let anchor =
                    outline.headings.get(heading_ix).map(|h| CowStr::from(scrub(&h.anchor).into_owned())).or(id);
                heading_ix += 1;
                let attrs = attrs.into_iter().filter(|(name, _)| heading_attribute_allowed(name)).collect();
                events.push(Event::Start(Tag::Heading { level, id: anchor, classes, attrs }));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = match resolved.get(link_ix) {
                    Some(Some(url)) => CowStr::from(scrub(url).into_owned()),
                    _ => dest_url,
                };
                link_ix += 1;
                events.push(Event::Start(Tag::Link { link_type, dest_url: safe_url(dest), title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                events.push(Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id }));
            }
            Event::Start(Tag::Table(a)) => {
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Html(t) | Event::InlineHtml(t) if as_text => events.push(Event::Text(t)),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if !raw {
        return Body { html, trusted: None };
    }
    let trusted = keep_raw.then(|| splice(&html, &held));
    Body { html: splice(&sanitise(&html), &held), trusted }
}

/// Deepest nesting of elements a page with raw HTML may have (markdown's own elements
/// included) for its raw HTML to be kept: Chromium's HTML parser nests no deeper either.
pub const MAX_RAW_DEPTH: usize = 512;

/// How deep the elements of a page nest: markdown's own tags, and the tags of its raw
/// HTML counted as a tokenizer would (void elements and `/>` do not open one).
fn nesting_depth(items: &[Item]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for item in items {
        match item {
            Item::Event(Event::Start(_), _) => depth += 1,
            Item::Event(Event::End(_), _) => depth = depth.saturating_sub(1),
            Item::Event(Event::Html(t) | Event::InlineHtml(t), _) => {
                let b = t.as_bytes();
                for at in memchr::memchr_iter(b'<', b) {
                    match b.get(at + 1) {
                        Some(b'/') => depth = depth.saturating_sub(1),
                        Some(c) if c.is_ascii_alphabetic() => {
                            let name_len = b[at + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                            let name = &t[at + 1..at + 1 + name_len];
                            let end = memchr::memchr(b'>', &b[at..]).map(|e| at + e);
                            let closed = end.is_some_and(|e| e > at && b[e - 1] == b'/');
                            if !closed && !VOID.iter().any(|v| name.eq_ignore_ascii_case(v)) {
                                depth += 1;
                                max = max.max(depth);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        max = max.max(depth);
    }
    max
}

/// HTML elements that have no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// `html` with each placeholder `MARK n MARK` replaced by `held[n]` (stray marks dropped).
fn splice(html: &str, held: &[String]) -> String {
    if held.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + held.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(MARK) {
            if let Some(h) = after[..digits].parse::<usize>().ok().and_then(|n| held.get(n)) {
                out.push_str(h);
            }
            rest = &after[digits + MARK.len_utf8()..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Heading attributes (`## Title {key=value}`) that are kept: `lang`, `dir` and `title`.
/// Anything else (`onclick`, `style`, …) is dropped.
fn heading_attribute_allowed(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "lang" | "dir" | "title")
}

/// Schemes a link or image URL must not have: they run script (`javascript:`,
/// `vbscript:`) or carry a document of their own (`data:`).
const BLOCKED_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

/// Whether `url` has a blocked scheme as a browser reads it: leading and trailing
/// control characters and spaces stripped, tabs and newlines anywhere removed, the
/// scheme compared case-insensitively. (Entities such as `&#106;` are already decoded
/// by the markdown parser.)
pub fn dangerous_url(url: &str) -> bool {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        if c == ':' {
            return BLOCKED_SCHEMES.contains(&scheme.as_str());
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) || scheme.len() > 16 {
            return false;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    false
}

/// `url`, or an empty URL when it has a blocked scheme.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if dangerous_url(&url) {
        CowStr::Borrowed("")
    } else {
        url
    }
}

/// The allow-list sanitiser for pages with raw HTML: ammonia's defaults (common
/// formatting, structural and table tags; `http`, `https`, `mailto`, `tel` and other
/// harmless URL schemes plus relative URLs; scripts, styles, event handlers, forms,
/// frames, SVG and MathML removed) widened to keep everything the markdown renderer
/// itself emits: heading ids and classes, `div` ids and the `table-wrap` and footnote
/// classes, footnote `sup` classes, `code` language classes, task-list checkboxes (any
/// `input` becomes a disabled checkbox) and table cell alignment (`style` limited to `text-align`). Links get no `rel` added.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // A disabled checkbox whatever the source says (no text fields).
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_generic_attributes(["dir"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None)
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            ("code", "class") => {
                let kept: Vec<&str> = value.split_whitespace().filter(|c| c.starts_with("language-")).collect();
                (!kept.is_empty()).then(|| kept.join(" ").into())
            }
            ("div", "class") => matches!(value, "table-wrap" | "footnote-definition").then(|| value.into()),
            ("sup", "class") => {
                matches!(value, "footnote-reference" | "footnote-definition-label").then(|| value.into())
            }
            _ => Some(value.into()),
        });
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id", "class"]);
    }
    b
});

/// Sanitises HTML with the allow-list of [`SANITISER`].
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
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

    fn no_expand(_: &Call) -> (String, bool) {
        (String::new(), false)
    }

    fn demo_expand(call: &Call) -> (String, bool) {
        match call.name.as_str() {
            "param" => ("<span class=\"param\">5 分钟</span>".into(), false),
            _ => ("<table><tr><td>T</td></tr></table>".into(), true),
        }
    }

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
    fn blanks_are_found_in_text_but_not_in_code_or_task_lists() {
        let body = "线上回复 [X] 分钟，电话［X］秒，【x】天。\n\n- [x] 已完成\n\n`[X]`\n";
        let o = outline(body, &Hooks::none());
        let found: Vec<&str> =
            o.blanks.iter().map(|&i| &body[i..i + body[i..].chars().next().unwrap().len_utf8()]).collect();
        assert_eq!(found, ["[", "［", "【"]);
    }

    #[test]
    fn typed_numbers_are_spotted_with_word_boundaries() {
        let spotter = NumberSpotter::new(&[
            ("5 分钟".into(), "online".into()),
            ("24 小时".into(), "a".into()),
            ("24 小时".into(), "b".into()),
        ])
        .unwrap();
        let hooks = Hooks { plain: &|_| String::new(), numbers: Some(&spotter) };
        let body = "5 分钟内回复，15 分钟内到场，24 小时内处理。`5 分钟`\n";
        let o = outline(body, &hooks);
        assert_eq!(o.typed_numbers.len(), 2, "{:?}", o.typed_numbers);
        assert_eq!(o.typed_numbers[0].0, 0);
        assert_eq!(o.typed_numbers[1].2, vec!["a".to_string(), "b".to_string()]);
    }

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
        let o = outline("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n", &Hooks::none());
        let anchors: Vec<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["职责", "职责-1", "职责-2", "req"]);
        assert!(o.has_anchor("职责-2") && o.has_anchor("req") && !o.has_anchor("职责-3"));
        let html = to_html("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n", &o, &[], &no_expand);
        assert!(html.contains("<h2 id=\"职责-1\">职责</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"req\">要求</h2>"), "{html}");
    }

    #[test]
    fn links_are_found_with_offsets_and_rewritten_in_order() {
        let body = "见[前台](../roles/front-desk.md#职责)与[外部](https://example.com)。\n";
        let o = outline(body, &Hooks::none());
        assert_eq!(o.links.len(), 2);
        assert_eq!(o.links[0].dest, "../roles/front-desk.md#职责");
        assert_eq!(&body[o.links[0].offset..o.links[0].offset + 1], "[");
        let html = to_html(body, &o, &[Some("../../roles/front-desk/#职责".into()), None], &no_expand);
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
        let html = to_html(body, &outline(body, &Hooks::none()), &[], &no_expand);
        assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
        assert!(html.contains("<td>服务态度</td>"));
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("<del>旧</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn toc_nests_level_three_under_level_two() {
        let o = outline("## 甲\n### 甲一\n## 乙\n#### 深\n", &Hooks::none());
        let t = toc(&o.headings);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children[0].text, "甲一");
        assert!(t[1].children.is_empty());
    }

    fn raw(body: &str, keep_raw: bool) -> Body {
        render(body, &outline(body, &Hooks::none()), &[], &demo_expand, keep_raw)
    }

    const HOSTILE: &str = "<script>alert(1)</script>\n\n\
        段落 <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a> <kbd>Ctrl</kbd>\n\n\
        <svg><script>alert(1)</script><circle r=\"1\"/></svg>\n\n\
        <math><mi>x</mi></math>\n\n\
        <iframe src=\"https://evil.example\"></iframe>\n\n\
        <style>body{display:none}</style>\n\n\
        <form action=\"https://evil.example\"><input type=\"text\" name=\"p\"><button>b</button></form>\n\n\
        <details><summary>更多</summary>内容 <b onclick=\"x()\">粗</b></details>\n\n\
        <p style=\"position:fixed\" class=\"notice\" id=\"main\">p</p>\n\n\
        {{ param(id=\"online_reply_minutes\") }}\n";

    #[test]
    fn raw_html_is_sanitised_and_harmless_tags_and_shortcodes_stay() {
        let b = raw(HOSTILE, false);
        assert!(b.trusted.is_none());
        let html = b.html.to_ascii_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<svg",
            "<circle",
            "<math",
            "<mi",
            "<iframe",
            "<style",
            "display:none",
            "<form",
            "<button",
            "type=\"text\"",
            "position:fixed",
            "id=\"main\"",
            "class=\"notice\"",
        ] {
            assert!(!html.contains(bad), "{bad} survived:\n{}", b.html);
        }
        // A raw `<input type="text">` becomes a disabled checkbox, its name dropped.
        assert!(html.contains("<input type=\"checkbox\" disabled=\"\">b"), "{}", b.html);
        for good in ["<kbd>ctrl</kbd>", "<details><summary>更多</summary>内容 <b>粗</b></details>", "<img src=\"x\">"]
        {
            assert!(html.contains(good), "{good} missing:\n{}", b.html);
        }
        // The shortcode's own HTML is spliced back in, attributes and all.
        assert!(b.html.contains("<span class=\"param\">5 分钟</span>"), "{}", b.html);
    }

    #[test]
    fn trusted_raw_html_is_kept_as_written_when_asked_for() {
        let b = raw(HOSTILE, true);
        let trusted = b.trusted.unwrap();
        assert!(trusted.contains("<script>alert(1)</script>") && trusted.contains("<iframe"), "{trusted}");
        assert!(trusted.contains("<span class=\"param\">5 分钟</span>"), "{trusted}");
        assert!(!b.html.contains("<script"));
        // A page without raw HTML has one rendering only.
        assert_eq!(raw("纯文本 {{ param(id=\"x\") }}\n", true).trusted, None);
    }

    #[test]
    fn a_harmless_tag_changes_nothing_else_but_serialisation() {
        let body = "# 标题 {#top .big}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] 完成\n- [ ] 待办\n\n\
            注[^1] ~~旧~~ ![图](a.png \"t\") [链接](../a/ \"tt\")  \n换行\n\n---\n\n```rust\nfn x() {}\n```\n\n\
            {{ params_table(ids=[\"a\"]) }}\n\n[^1]: 脚注\n";
        let plain = raw(body, false).html;
        let with = raw(&format!("{body}\n<kbd>Ctrl</kbd>\n"), false).html;
        // html5ever writes void elements without `/` and styles without spaces.
        let normalised = plain.replace("\"/>", "\">").replace(" />", ">").replace("text-align: ", "text-align:");
        assert_eq!(with, format!("{normalised}<p><kbd>Ctrl</kbd></p>\n"));
    }

    #[test]
    fn placeholder_marks_typed_in_the_source_are_not_spliced() {
        let body = "<b title=\"\u{FDD0}0\u{FDD0}\">x</b> \u{FDD0}0\u{FDD0} {{ param(id=\"x\") }}\n";
        let b = raw(body, true);
        assert_eq!(b.html.matches("class=\"param\"").count(), 1, "{}", b.html);
        assert_eq!(b.trusted.unwrap().matches("class=\"param\"").count(), 1);
        assert!(b.html.contains("title=\"\u{FFFD}0\u{FFFD}\""), "{}", b.html);
    }

    #[test]
    fn dangerous_link_and_image_urls_are_emptied() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "java&#9;script:alert(1)",
            "&#x20;javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml;base64,PHN2Zz4=",
            "<javascript:alert(1)>",
        ] {
            for body in [format!("[x]({url})"), format!("![x]({url})"), format!("[x]\n\n[x]: {url}")] {
                let html = to_html(&body, &outline(&body, &Hooks::none()), &[], &no_expand);
                let lower = html.to_ascii_lowercase();
                assert!(!lower.contains("script:") && !lower.contains("data:"), "{body} → {html}");
            }
        }
        let autolink = "<javascript:alert(1)>\n";
        let html = to_html(autolink, &outline(autolink, &Hooks::none()), &[], &no_expand);
        assert!(html.contains("href=\"\""), "{html}");
        assert!(dangerous_url(" \u{1}java\nscript:x") && dangerous_url("\tDATA:x"));
        for ok in ["https://example.com/a:b", "mailto:a@b", "../x/#a:b", "tel:+86", "page.md", "/a?data:x"] {
            assert!(!dangerous_url(ok), "{ok}");
        }
    }

    #[test]
    fn heading_attributes_keep_only_harmless_names() {
        let body = "## 标题 {#id .c onclick=alert(1) style=color:red lang=en title=t ONMOUSEOVER=x}\n";
        let html = to_html(body, &outline(body, &Hooks::none()), &[], &no_expand);
        assert_eq!(html, "<h2 id=\"id\" class=\"c\" lang=\"en\" title=\"t\">标题</h2>\n");
    }

    #[test]
    fn code_fence_info_strings_are_escaped() {
        let body = "```\"><script>x</script>\nq\n```\n\n<kbd>k</kbd>\n";
        for html in [to_html(body, &outline(body, &Hooks::none()), &[], &no_expand), raw(body, true).trusted.unwrap()] {
            assert!(!html.contains("<script"), "{html}");
            assert!(html.contains("class=\"language-&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), "{html}");
        }
    }

    #[test]
    fn raw_html_nested_too_deep_is_shown_as_text() {
        let deep = format!("{}x{}\n", "<div>".repeat(MAX_RAW_DEPTH + 1), "</div>".repeat(MAX_RAW_DEPTH + 1));
        let b = raw(&deep, true);
        assert!(b.html.starts_with("&lt;div&gt;&lt;div&gt;") && b.trusted.is_none(), "{}", &b.html[..40]);
        // Markdown's own nesting counts; void elements and `<br/>` do not.
        let lists = format!("{}<b>x</b>\n", "- ".repeat(MAX_RAW_DEPTH));
        assert!(raw(&lists, false).html.contains("&lt;b&gt;x&lt;/b&gt;"));
        let flat = format!("<div>{}</div>\n", "<br><img src=a><hr/><kbd>k</kbd>".repeat(2 * MAX_RAW_DEPTH));
        assert!(raw(&flat, false).html.starts_with("<div><br><img src=\"a\"><hr><kbd>k</kbd>"));
        let shallow = format!("{}x{}\n", "<div>".repeat(MAX_RAW_DEPTH - 2), "</div>".repeat(MAX_RAW_DEPTH - 2));
        assert!(raw(&shallow, false).html.starts_with("<div><div>"));
    }
}
