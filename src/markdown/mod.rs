//! Markdown: CommonMark plus tables, footnotes, strikethrough and task lists, through
//! pulldown-cmark.
//!
//! One pure pass per page ([`parse`]): [`outline`] finds the headings (with unique
//! anchors), the links, the shortcodes, unfilled `[X]` blanks and hand-typed parameter
//! values, each with its byte offset, so that they can be checked once every page is
//! known; the same events render the HTML, with the same anchors and the shortcodes
//! expanded, leaving each link's destination as a slot that [`fill`] fills in with the
//! resolved target; and give the body's search text ([`text`]). A page with raw HTML
//! is rendered once its links are resolved ([`render`], [`to_html`]), since its HTML
//! is sanitised with them. Text inside code spans and code blocks is never
//! interpreted. This module knows nothing about other pages, files, data or
//! audiences: it is handed resolved URLs and expansion functions.
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
//!
//! Here: the types the pass shares and the merging of the parser's text events.
//! `outline` reads the outline from the events, `numbers` spots hand-typed parameter
//! values for it, `render` renders them (the pass, the slots, the later render of raw
//! HTML pages, the table of contents), `text` reads the text readers read (from HTML
//! or from the events), `sanitise` handles raw HTML
//! and dangerous URLs; `shortcodes` and `links` parse calls and link targets; `anchors`
//! gives each heading GitHub's anchor, accepted as an alias of Charter's; `blocks`
//! reads a rendered body back as the blocks readers see, for redlines; `tables` finds
//! markdown tables that render as paragraphs of pipes; `callouts` turns GitHub alerts
//! and Docusaurus admonitions into callouts.

mod anchors;
mod blocks;
mod callouts;
pub(crate) mod data_words;
pub mod links;
mod numbers;
mod outline;
mod render;
mod sanitise;
pub mod shortcodes;
mod tables;
pub(crate) mod text;

pub(crate) use self::blocks::blocks;
pub(crate) use self::numbers::NumberSpotter;
pub use self::outline::outline;
pub use self::render::to_html;
pub(crate) use self::render::{fill, parse, render, toc, Pending, TocEntry};
pub(crate) use self::tables::broken_tables;

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use self::shortcodes::Call;
use crate::base::files::BodyText;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A heading of a page with its anchor (unique within the page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub(crate) level: u8,
    pub(crate) text: String,
    pub anchor: String,
}

/// A link or image as written in the markdown, with the byte offset of its `[` (`!`
/// for an image) in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub(crate) dest: String,
    pub(crate) offset: usize,
    /// An image (`![alt](src)`) rather than a link.
    pub(crate) image: bool,
}

/// A shortcode call found outside code, with the byte offset of its `{{`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShortcodeRef {
    pub(crate) call: Result<Call, String>,
    pub(crate) offset: usize,
}

/// What the first pass learns about a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub(crate) shortcodes: Vec<ShortcodeRef>,
    /// Offsets of unfilled template blanks such as `[X]` or `【X】`.
    pub blanks: Vec<usize>,
    /// Offsets of other tools' shortcodes (Hugo's `{{< >}}`, mdBook's `{{#include}}`),
    /// with the tool's name: Charter would show them as text.
    pub(crate) foreign_shortcodes: Vec<(usize, &'static str)>,
    /// Offsets of numbers typed by hand that a parameter defines, with the ids.
    pub(crate) typed_numbers: Vec<(usize, String, Vec<String>)>,
    /// The anchors of `headings`, so that checking a link's anchor does not scan them.
    anchors: BTreeSet<String>,
    /// Whether the first heading (of level 1) is the page's title, which the theme
    /// prints: the second pass then renders only its anchor, so that the title is not
    /// shown twice (in the page, its print edition and its search text) and links to
    /// the heading still land. Set by the caller, which knows the page's title.
    pub(crate) title_heading: bool,
    /// GitHub's anchor of each heading (see `anchors.rs`) → Charter's, where they differ.
    github: std::collections::BTreeMap<String, String>,
    /// The search text of the rendered body, once it is rendered (see [`Body::text`]).
    pub(crate) text: Option<std::sync::Arc<BodyText>>,
}

impl Outline {
    #[cfg(test)]
    pub(crate) fn has_anchor(&self, anchor: &str) -> bool {
        self.anchors.contains(anchor)
    }

    /// Takes the anchors of `source`'s headings as aliases of this translation's: the
    /// headings match one for one when their levels do (a title heading aside on either
    /// side), so a link written for the source (`x.md#投诉渠道`) lands on the same
    /// heading of the translation. Nothing is taken when the levels differ.
    pub(crate) fn alias_source_anchors(&mut self, source: &Outline) {
        let body = |o: &Outline| o.headings[usize::from(o.title_heading).min(o.headings.len())..].to_vec();
        let (mine, theirs) = (body(self), body(source));
        if mine.len() != theirs.len() || mine.iter().zip(&theirs).any(|(a, b)| a.level != b.level) {
            return;
        }
        for (a, b) in mine.iter().zip(&theirs) {
            if !self.anchors.contains(&b.anchor) {
                self.github.entry(b.anchor.clone()).or_insert_with(|| a.anchor.clone());
            }
        }
        for (alias, anchor) in &source.github {
            if let Some(i) = theirs.iter().position(|h| &h.anchor == anchor) {
                if !self.anchors.contains(alias) {
                    self.github.entry(alias.clone()).or_insert_with(|| mine[i].anchor.clone());
                }
            }
        }
    }

    /// Charter's anchor for `anchor` as a link writes it: the anchor itself, or the
    /// heading whose GitHub anchor it is.
    pub(crate) fn anchor<'a>(&'a self, anchor: &'a str) -> Option<&'a str> {
        if self.anchors.contains(anchor) {
            return Some(anchor);
        }
        self.github.get(anchor).map(String::as_str)
    }
}

/// Per-page hooks into the service data for the first pass.
pub struct Hooks<'a> {
    /// The plain text a shortcode call shows (for heading text and anchors).
    pub(crate) plain: &'a (dyn Fn(&Call) -> String + Sync),
    pub(crate) numbers: Option<&'a NumberSpotter>,
}

impl Hooks<'_> {
    /// Hooks for a site without service data.
    pub fn none() -> Hooks<'static> {
        Hooks { plain: &|_| String::new(), numbers: None }
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
    #[cfg(test)]
    test_support::count_parse(body);
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

/// How the second pass renders a shortcode: its HTML and whether it is a block.
pub type Expand<'a> = dyn Fn(&Call) -> (String, bool) + Sync + 'a;

/// A page's body as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Body {
    /// Safe to publish: raw HTML of the source sanitised, dangerous URLs neutralised.
    pub(crate) html: String,
    /// The HTML with the source's raw HTML kept as written, when asked for and when the
    /// source has raw HTML (otherwise it is `html`).
    pub(crate) trusted: Option<String>,
    /// The search text of `html`, read from the events it was written from (see
    /// [`text`]); `None` for a body the search index reads from the page instead.
    pub(crate) text: Option<BodyText>,
}

/// Expansions the markdown tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use super::shortcodes::Call;

    /// Bodies with this word are counted each time the parser reads them.
    pub(crate) const PROBE: &str = "PARSE-PROBE";
    static PARSED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

    pub(super) fn count_parse(body: &str) {
        if body.contains(PROBE) {
            PARSED.lock().unwrap_or_else(|e| e.into_inner()).push(body.to_string());
        }
    }

    /// How many times the parser has read `body` (which has [`PROBE`]).
    pub(crate) fn parses(body: &str) -> usize {
        PARSED.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|b| *b == body).count()
    }

    /// Expands every shortcode to nothing.
    pub(crate) fn no_expand(_: &Call) -> (String, bool) {
        (String::new(), false)
    }

    /// `param` to an inline span, anything else to a block table.
    pub(crate) fn demo_expand(call: &Call) -> (String, bool) {
        match call.name.as_str() {
            "param" => ("<span class=\"param\">5 分钟</span>".into(), false),
            _ => ("<table><tr><td>T</td></tr></table>".into(), true),
        }
    }
}
