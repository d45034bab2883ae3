//! The text a reader reads in HTML, as the search index takes it: [`Reader`] reads it
//! from HTML (a page's `<main>`, for `search`) or from the events a body's HTML is
//! written from ([`body_text`], in the pass that renders the body), with the same rules
//! either way, so that a body's search text comes out of the markdown pass instead of
//! being read back from the page. Must not split text into terms or rank anything.
//!
//! The rules: the first `<h1>` is the title; `<h2>`…`<h6>` are the sub-headings;
//! scripts, styles, navigation, charts, tables of contents, page metadata and anything
//! marked `data-search-ignore` are left out; every tag but an inline one separates
//! lines; character references are decoded and runs of white space fold into one
//! space; a name isolated in `<bdi>` stays isolated when its direction could matter.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::base::files::BodyText;

/// Elements whose text is not part of a page's content.
const SKIPPED_TAGS: &[&str] = &["script", "style", "svg", "nav", "template", "noscript", "button"];
/// Classes of elements whose text is not part of a page's content.
const SKIPPED_CLASSES: &[&str] = &["toc", "prev-next", "page-meta"];
/// Elements inside a line of text; every other tag separates words.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub",
    "sup", "time", "u",
];

/// Reads the text of HTML fed to it piece by piece (see the module's rules).
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub(crate) text: String,
    pub(crate) title: String,
    /// The sub-headings, each ended by a line break.
    pub(crate) headings: String,
    /// The `class` of the first `<article>`, once one opened.
    pub(crate) article: Option<String>,
    /// Inside `<h2>`…`<h6>`: how deep.
    in_heading: usize,
    in_title: bool,
    title_done: bool,
    /// Whether an `<h1>` was seen.
    saw_h1: bool,
    /// Where each open `<bdi>` started in `text` and in `title`.
    bdi_text: Vec<usize>,
    bdi_title: Vec<usize>,
    /// While skipping: the element being skipped and how deep inside it.
    skip: Option<(String, usize)>,
}

impl Reader {
    /// Reads `html`. With `tail`, the text after its last tag is read too (more HTML
    /// follows); without, it is left out, as at the end of `<main>`. `false` when
    /// `html` ends inside a tag, whose rest is then not read.
    pub(crate) fn html(&mut self, html: &str, tail: bool) -> bool {
        let mut rest = html;
        while let Some(lt) = rest.find('<') {
            self.raw_text(&rest[..lt]);
            let after = &rest[lt + 1..];
            let Some(gt) = after.find('>') else { return false };
            self.tag(&after[..gt]);
            rest = &after[gt + 1..];
        }
        if tail {
            self.raw_text(rest);
        }
        true
    }

    /// Text between tags as written in HTML (character references not yet decoded).
    fn raw_text(&mut self, raw: &str) {
        self.push(raw, push_text);
    }

    /// Text as a reader reads it (already decoded).
    pub(crate) fn text(&mut self, text: &str) {
        self.push(text, push_folded);
    }

    /// Adds `s` with `push` to the text, and to the title or headings when inside one.
    fn push(&mut self, s: &str, push: fn(&mut String, &str)) {
        if self.skip.is_none() && !s.is_empty() {
            push(&mut self.text, s);
            if self.in_title {
                push(&mut self.title, s);
            }
            if self.in_heading > 0 {
                push(&mut self.headings, s);
            }
        }
    }

    /// A tag: what is between `<` and `>`.
    pub(crate) fn tag(&mut self, tag: &str) {
        if tag.starts_with('!') || tag.starts_with('?') {
            return;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(body.len());
        let name = &body[..name_end];
        let self_closing = tag.ends_with('/');
        if let Some((skipped, depth)) = self.skip.as_mut() {
            if name.eq_ignore_ascii_case(skipped) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            return;
        }
        if !closing && !self_closing && !is_void(name) && skipped(name, &body[name_end..]) {
            self.skip = Some((name.to_string(), 1));
            return;
        }
        if self.article.is_none() && !closing && name.eq_ignore_ascii_case("article") {
            self.article = Some(class_attr(&body[name_end..]).unwrap_or("").to_string());
        }
        if is_subheading(name) && !self_closing {
            if closing {
                self.in_heading = self.in_heading.saturating_sub(1);
                self.headings.push('\n');
            } else {
                self.in_heading += 1;
            }
        }
        if name.eq_ignore_ascii_case("h1") {
            self.saw_h1 = true;
            if !self.title_done {
                self.in_title = !closing;
                self.title_done = closing;
            }
        }
        // A name the page isolates in `<bdi>` stays isolated in titles and excerpts
        // when its direction could matter (see `bdi_isolate`).
        if name.eq_ignore_ascii_case("bdi") && !self_closing {
            bdi_isolate(&mut self.text, &mut self.bdi_text, closing);
            if self.in_title {
                bdi_isolate(&mut self.title, &mut self.bdi_title, closing);
            }
        }
        if !INLINE_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// A tag of markdown's own that only ends a line (`p`, `li`, `td`, `img /`, …, never
    /// a heading): what [`tag`](Self::tag) does with it, without reading it.
    fn line_tag(&mut self, tag: &str) {
        if self.skip.is_some() {
            self.tag(tag);
        } else if !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// An inline tag of markdown's own (`em`, `a`, `code`, …; never `bdi`): nothing to
    /// do unless an element is being skipped.
    fn inline_tag(&mut self, tag: &str) {
        if self.skip.is_some() {
            self.tag(tag);
        }
    }

    /// Whether text read next is read the same whatever came before, as long as the
    /// text so far ends a line: nothing skipped, no heading, title or `<bdi>` open.
    fn settled(&self) -> bool {
        self.skip.is_none()
            && self.in_heading == 0
            && !self.in_title
            && self.bdi_text.is_empty()
            && self.bdi_title.is_empty()
    }

    /// Reads `body`, a body's text worked out on its own ([`body_text`]), in place of
    /// its HTML; `false` (nothing read) when this reader is where the body's text would
    /// not read the same: not at the start of a line or not [`settled`](Self::settled),
    /// or before the title while the body has an `<h1>`, or before the first
    /// `<article>` while the body has one.
    pub(crate) fn body(&mut self, body: &BodyText) -> bool {
        let fits = self.settled()
            && self.text.ends_with('\n')
            && (self.title_done || !body.has_title)
            && (self.article.is_some() || !body.has_article);
        if fits {
            self.text.push_str(&body.text);
            self.headings.push_str(&body.headings);
        }
        fits
    }
}

/// The search text of a body from the events its HTML is written from, exactly as
/// [`Reader`] would read that HTML after a line break; `None` when the body leaves an
/// element open that would change how what follows it reads.
pub(super) fn body_text(events: &[Event]) -> Option<BodyText> {
    let mut r = Reader { text: "\n".to_string(), title_done: true, ..Reader::default() };
    let mut w = Writer { r: &mut r, end_newline: true, numbers: Vec::new(), broken: false };
    let mut iter = events.iter();
    while let Some(e) = iter.next() {
        w.event(e, &mut iter);
    }
    let broken = w.broken;
    let has_article = r.article.is_some();
    if broken || !r.settled() {
        return None;
    }
    r.text.remove(0);
    // Held for every page until its pages are rendered: no spare capacity.
    r.text.shrink_to_fit();
    r.headings.shrink_to_fit();
    Some(BodyText { text: r.text, headings: r.headings, has_title: r.saw_h1, has_article })
}

/// Follows pulldown-cmark's HTML writer (`pulldown_cmark::html`, 0.13) event by event,
/// handing the reader the tags and text it would write, line breaks included.
struct Writer<'r> {
    r: &'r mut Reader,
    /// Whether the writer's output ends a line.
    end_newline: bool,
    /// Footnote names in the order the writer numbers them.
    numbers: Vec<String>,
    /// An HTML event ended inside a tag (never one this crate writes).
    broken: bool,
}

impl Writer<'_> {
    fn number(&mut self, name: &str) -> usize {
        match self.numbers.iter().position(|n| n == name) {
            Some(i) => i + 1,
            None => {
                self.numbers.push(name.to_string());
                self.numbers.len()
            }
        }
    }

    /// A block's start: on a line of its own.
    fn block(&mut self, tag: &str) {
        self.fresh_line();
        self.r.line_tag(tag);
    }

    /// What the writer writes before a block when its output does not end a line.
    fn fresh_line(&mut self) {
        if !self.end_newline {
            self.r.text("\n");
        }
    }

    /// Tags, then a line break.
    fn line(&mut self, tags: &[&str]) {
        for t in tags {
            self.r.line_tag(t);
        }
        self.r.text("\n");
        self.end_newline = true;
    }

    fn event<'e>(&mut self, e: &'e Event, rest: &mut std::slice::Iter<'e, Event>) {
        match e {
            Event::Start(tag) => self.start(tag, rest),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => {
                self.r.text(t);
                self.end_newline = t.ends_with('\n');
            }
            Event::Code(t) => {
                self.r.inline_tag("code");
                self.r.text(t);
                self.r.inline_tag("/code");
                self.end_newline = false;
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.r.inline_tag("span");
                self.r.text(t);
                self.r.inline_tag("/span");
                self.end_newline = false;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                self.broken |= !self.r.html(h, true);
                if !h.is_empty() {
                    self.end_newline = h.ends_with('\n');
                }
            }
            Event::SoftBreak => {
                self.r.text("\n");
                self.end_newline = true;
            }
            Event::HardBreak => self.line(&["br /"]),
            Event::Rule => {
                self.block("hr /");
                self.line(&[]);
            }
            Event::FootnoteReference(name) => {
                let n = self.number(name);
                self.r.inline_tag("sup");
                self.r.inline_tag("a");
                self.r.text(&n.to_string());
                self.r.inline_tag("/a");
                self.r.inline_tag("/sup");
                self.end_newline = false;
            }
            Event::TaskListMarker(_) => self.line(&["input /"]),
        }
    }

    fn start<'e>(&mut self, tag: &'e Tag, rest: &mut std::slice::Iter<'e, Event>) {
        self.end_newline = match tag {
            Tag::HtmlBlock | Tag::MetadataBlock(_) => return,
            Tag::Paragraph => {
                self.block("p");
                false
            }
            Tag::Heading { level, id, classes, .. } => {
                // The id and classes as attributes: an anchor or a class may be one
                // the reader skips (`data-search-ignore`, `toc`).
                let mut tag = HEADINGS[level_index(*level)].to_string();
                if let Some(id) = id {
                    tag.push_str(&format!(" id=\"{id}\""));
                }
                if !classes.is_empty() {
                    tag.push_str(&format!(" class=\"{}\"", classes.join(" ")));
                }
                self.fresh_line();
                self.r.tag(&tag);
                false
            }
            Tag::Table(_) => {
                self.r.line_tag("table");
                false
            }
            Tag::TableHead => {
                self.r.line_tag("thead");
                self.r.line_tag("tr");
                false
            }
            Tag::TableRow => {
                self.r.line_tag("tr");
                false
            }
            Tag::TableCell => {
                self.r.line_tag("td");
                false
            }
            Tag::BlockQuote(_) => {
                self.block("blockquote");
                self.line(&[]);
                true
            }
            Tag::CodeBlock(_) => {
                if !self.end_newline {
                    self.r.text("\n");
                }
                self.r.line_tag("pre");
                self.r.inline_tag("code");
                false
            }
            Tag::List(ordered) => {
                self.block(if ordered.is_some() { "ol" } else { "ul" });
                self.line(&[]);
                true
            }
            Tag::Item => {
                self.block("li");
                false
            }
            Tag::DefinitionList => {
                self.block("dl");
                self.line(&[]);
                true
            }
            Tag::DefinitionListTitle => {
                self.block("dt");
                false
            }
            Tag::DefinitionListDefinition => {
                self.block("dd");
                false
            }
            Tag::Subscript => inline(self.r, "sub"),
            Tag::Superscript => inline(self.r, "sup"),
            Tag::Emphasis => inline(self.r, "em"),
            Tag::Strong => inline(self.r, "strong"),
            Tag::Strikethrough => inline(self.r, "del"),
            Tag::Link { .. } => inline(self.r, "a"),
            Tag::Image { .. } => {
                // The alternative text is an attribute: only footnote numbers count.
                self.r.line_tag("img /");
                let mut nest = 0usize;
                for e in rest.by_ref() {
                    match e {
                        Event::Start(_) => nest += 1,
                        Event::End(_) if nest == 0 => break,
                        Event::End(_) => nest -= 1,
                        Event::FootnoteReference(name) => {
                            self.number(name);
                        }
                        _ => {}
                    }
                }
                false
            }
            Tag::FootnoteDefinition(name) => {
                let n = self.number(name);
                self.block("div");
                self.r.inline_tag("sup");
                self.r.text(&n.to_string());
                self.r.inline_tag("/sup");
                false
            }
        };
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) | TagEnd::Image => {}
            TagEnd::Paragraph => self.line(&["/p"]),
            TagEnd::Heading(level) => {
                self.r.tag(CLOSINGS[level_index(level)]);
                self.line(&[]);
            }
            TagEnd::Table => self.line(&["/tbody", "/table"]),
            TagEnd::TableHead => self.line(&["/tr", "/thead", "tbody"]),
            TagEnd::TableRow => self.line(&["/tr"]),
            TagEnd::BlockQuote(_) => self.line(&["/blockquote"]),
            TagEnd::CodeBlock => self.line(&["/code", "/pre"]),
            TagEnd::List(ordered) => self.line(&[if ordered { "/ol" } else { "/ul" }]),
            TagEnd::Item => self.line(&["/li"]),
            TagEnd::DefinitionList => self.line(&["/dl"]),
            TagEnd::DefinitionListTitle => self.line(&["/dt"]),
            TagEnd::DefinitionListDefinition => self.line(&["/dd"]),
            TagEnd::FootnoteDefinition => self.line(&["/div"]),
            TagEnd::TableCell => {
                self.r.line_tag("/td");
                self.end_newline = false;
            }
            TagEnd::Subscript => self.close("/sub"),
            TagEnd::Superscript => self.close("/sup"),
            TagEnd::Emphasis => self.close("/em"),
            TagEnd::Strong => self.close("/strong"),
            TagEnd::Strikethrough => self.close("/del"),
            TagEnd::Link => self.close("/a"),
        }
    }

    fn close(&mut self, tag: &str) {
        self.r.inline_tag(tag);
        self.end_newline = false;
    }
}

/// An inline element's start tag; the writer's output then does not end a line.
fn inline(r: &mut Reader, tag: &str) -> bool {
    r.inline_tag(tag);
    false
}

fn level_index(level: pulldown_cmark::HeadingLevel) -> usize {
    super::outline::level_number(level) as usize - 1
}

const HEADINGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
const CLOSINGS: [&str; 6] = ["/h1", "/h2", "/h3", "/h4", "/h5", "/h6"];

fn is_subheading(name: &str) -> bool {
    ["h2", "h3", "h4", "h5", "h6"].iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// At `<bdi>` (`open`: where it starts) and `</bdi>`: when the text in between holds a
/// direction-changing character or right-to-left letters, it is put between U+2068
/// FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, as the page shows it;
/// other names, numbers and words need no isolates in the index.
fn bdi_isolate(out: &mut String, open: &mut Vec<usize>, closing: bool) {
    if !closing {
        open.push(out.len());
        return;
    }
    let Some(at) = open.pop() else { return };
    if crate::base::text_safety::needs_isolate(&out[at..]) {
        out.insert(at, crate::base::text_safety::FSI);
        out.push(crate::base::text_safety::PDI);
    }
}

fn is_void(name: &str) -> bool {
    ["br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area", "base", "embed", "track"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

fn skipped(name: &str, attrs: &str) -> bool {
    if SKIPPED_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) || attrs.contains("data-search-ignore") {
        return true;
    }
    class_attr(attrs).is_some_and(|classes| classes.split_ascii_whitespace().any(|c| SKIPPED_CLASSES.contains(&c)))
}

fn class_attr(attrs: &str) -> Option<&str> {
    let at = attrs.find("class=")?;
    let value = &attrs[at + 6..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &value[1..];
    value.find(quote).map(|end| &value[..end])
}

/// Appends text from between tags, decoding character references and folding runs of
/// white space into one space.
fn push_text(out: &mut String, raw: &str) {
    let mut rest = raw;
    while !rest.is_empty() {
        let amp = rest.find('&').unwrap_or(rest.len());
        push_folded(out, &rest[..amp]);
        rest = &rest[amp..];
        if rest.is_empty() {
            break;
        }
        // Byte search: `rest` may hold multi-byte characters right after the `&`.
        let semi = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = semi.and_then(|s| decode_entity(&rest[1..s]).map(|c| (c, s + 1)));
        match decoded {
            Some((c, len)) => {
                let mut buf = [0u8; 4];
                push_folded(out, c.encode_utf8(&mut buf));
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
}

fn push_folded(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// The character of a reference (`amp`, `#39`); a no-break space reads as a space.
fn decode_entity(name: &str) -> Option<char> {
    crate::base::html::reference(name).map(|c| if c == '\u{a0}' { ' ' } else { c })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::demo_expand;
    use crate::markdown::{outline, render, Hooks};

    /// The text of `html` read as the search index reads a page's body after a line.
    fn read(html: &str) -> BodyText {
        let mut r = Reader { text: "\n".to_string(), title_done: true, ..Reader::default() };
        assert!(r.html(html, true));
        r.text.remove(0);
        BodyText { text: r.text, headings: r.headings, has_title: r.saw_h1, has_article: r.article.is_some() }
    }

    #[test]
    fn the_text_from_the_events_is_the_text_read_from_the_html() {
        let bodies = [
            "# 标题\n\n段落 *强调* **加粗** ~~删~~ `代码` 与 [链接](x.md \"题\")。\n软换行\n硬换行  \n末尾\n",
            "## 时限 {#limit .lead}\n\n- 一\n  - 二\n    1. 三\n- [x] 做完\n- [ ] 未做\n\n3. 从三\n4. 起\n",
            "| 类型 | 时限 |\n|:---|--:|\n| 服务 | 24 小时 |\n\n> 引用\n> 两行\n\n---\n\n```rust\nfn main() {\n    x  y\n}\n```\n\n    缩进\n",
            "注[^a]与[^b]。![图 *说明*[^c]](img/a.png \"t\")后\n\n[^b]: 乙\n[^a]: 甲\n\n文字 &amp; &lt;b&gt; &copy; &nbsp;间\n",
            "> [!WARNING]\n> 小心 **7 天**。\n\n:::tip 提示\n\n内容\n\n:::\n\n回复 {{ param(id=\"x\") }} 内。\n\n{{ params_table(ids=[\"a\"]) }}\n",
            "- 紧凑\n- 列表\n\n- 松散\n\n- 列表\n\n段落\n# H1 {#x}\n### 深\n文字\n",
            "",
            "只有文字",
        ];
        for body in bodies {
            let o = outline(body, &Hooks::none());
            let b = render(body, &o, &[], &demo_expand, false);
            let text = b.text.unwrap_or_else(|| panic!("a text for {body:?}"));
            assert_eq!(text, read(&b.html), "{body:?} → {}", b.html);
        }
    }

    #[test]
    fn raw_html_and_words_that_make_the_reader_skip_are_read_from_the_page() {
        for body in ["<b>粗</b>", "<div class=\"toc\">x</div>", "见 data-search-ignore"] {
            let o = outline(body, &Hooks::none());
            assert_eq!(render(body, &o, &[], &demo_expand, false).text, None, "{body}");
        }
    }
}
