//! A page's rendered body read back as the blocks readers see
//! ([`crate::compute::blocks`]): the input of redlines.
//!
//! It reads the HTML this stage wrote (pulldown-cmark's, the shortcodes' and raw HTML
//! after sanitising), so a shortcode is compared as what it shows readers — a
//! scorecard's rule labels, a parameter's value — and never as its source. Charts
//! (`<svg>`), scripts, styles and forms' buttons are left out; character references are
//! decoded; white space is collapsed outside code blocks. Pure: HTML in, blocks out.

use crate::base::html::{self, attr, decode, has_attr, Piece};
use crate::compute::blocks::{style, Block, Cell, Inline, Kind, Row};

/// Elements whose content readers do not read as text.
const SKIPPED: &[&str] = &["svg", "script", "style", "template", "button", "noscript", "head"];
/// Elements that end the block before them (and start a new one after them).
const BOUNDARIES: &[&str] =
    &["div", "section", "figure", "figcaption", "dl", "dt", "dd", "details", "summary", "aside", "nav", "header"];

/// The blocks of a rendered page body.
pub(crate) fn blocks(html: &str) -> Vec<Block> {
    let mut b = Builder::default();
    for piece in html::pieces(html) {
        let (name, closing, self_closing, attrs) = match piece {
            Piece::Text(text) => {
                if b.skip.is_none() {
                    b.text(text);
                }
                continue;
            }
            Piece::Tag { name, closing, self_closing, attrs } => (name, closing, self_closing, attrs),
        };
        if let Some((skipped, depth)) = b.skip.as_mut() {
            if *skipped == name && !self_closing {
                *depth = if closing { *depth - 1 } else { *depth + 1 };
                if *depth == 0 {
                    b.skip = None;
                }
            }
            continue;
        }
        if SKIPPED.contains(&name.as_str()) && !closing && !self_closing {
            b.skip = Some((name, 1));
        } else if closing {
            b.close(&name);
        } else {
            b.open(&name, attrs);
        }
    }
    b.flush();
    b.out
}

/// A table being read.
#[derive(Default)]
struct Table {
    caption: Vec<Inline>,
    in_caption: bool,
    in_head: bool,
    rows: Vec<Row>,
    /// A cell is open (its inlines are the last cell's).
    in_cell: bool,
}

#[derive(Default)]
struct Builder {
    out: Vec<Block>,
    /// The block being read, if any.
    cur: Option<(Kind, Vec<Inline>)>,
    /// Open lists, innermost last: whether each is ordered.
    lists: Vec<bool>,
    /// Open list items.
    items: usize,
    quotes: usize,
    pre: bool,
    /// How many elements of each style bit are open.
    styles: [u8; 6],
    links: Vec<Option<String>>,
    tables: Vec<Table>,
    skip: Option<(String, usize)>,
}

impl Builder {
    fn style(&self) -> u8 {
        style::TAGS.iter().zip(self.styles).filter(|(_, n)| *n > 0).fold(0, |acc, ((bit, _), _)| acc | bit)
    }

    fn href(&self) -> Option<String> {
        self.links.last().cloned().flatten()
    }

    /// The kind a block read here has when no element says otherwise.
    fn implied(&self) -> Kind {
        if self.items > 0 {
            Kind::Item {
                depth: self.lists.len().saturating_sub(1).min(255) as u8,
                ordered: self.lists.last() == Some(&true),
            }
        } else if self.quotes > 0 {
            Kind::Quote
        } else if self.pre {
            Kind::Code
        } else {
            Kind::Paragraph
        }
    }

    /// Where inline content goes now: the open cell or caption, else the block.
    fn target(&mut self) -> &mut Vec<Inline> {
        let kind = self.implied();
        if let Some(t) = self.tables.last_mut() {
            if t.in_caption {
                return &mut t.caption;
            }
            if t.in_cell {
                if let Some(cell) = t.rows.last_mut().and_then(|r| r.cells.last_mut()) {
                    return &mut cell.inlines;
                }
            }
        }
        &mut self.cur.get_or_insert_with(|| (kind, Vec::new())).1
    }

    fn in_table_text(&self) -> bool {
        self.tables.last().is_some_and(|t| t.in_caption || t.in_cell)
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let decoded = decode(raw);
        let text = if self.pre { decoded } else { collapse(&decoded) };
        let open = self.cur.is_some() || self.in_table_text();
        if !open && (text.trim().is_empty() || !self.tables.is_empty()) {
            return; // white space between blocks, or stray text between table rows
        }
        let (style, href) = (self.style(), self.href());
        push(self.target(), Inline::Text { text, style, href });
    }

    fn inline(&mut self, inline: Inline) {
        if self.tables.last().is_some_and(|t| !t.in_caption && !t.in_cell) {
            return;
        }
        self.target().push(inline);
    }

    /// Ends the block being read, dropping it when it shows nothing.
    fn flush(&mut self) {
        let Some((kind, mut inlines)) = self.cur.take() else { return };
        trim(&mut inlines, kind == Kind::Code);
        if !inlines.is_empty() || kind == Kind::Rule {
            self.out.push(Block { kind, inlines, rows: Vec::new() });
        }
    }

    fn start(&mut self, kind: Kind) {
        self.flush();
        self.cur = Some((kind, Vec::new()));
    }

    fn open(&mut self, name: &str, attrs: &str) {
        if self.in_table_text() {
            match name {
                "p" | "li" | "div" => {
                    let t = self.target();
                    if !t.is_empty() {
                        push(t, Inline::Text { text: " ".into(), style: 0, href: None });
                    }
                    return;
                }
                _ => {}
            }
        }
        match name {
            "p" => {
                let kind = self.implied();
                self.start(kind);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.start(Kind::Heading(name.as_bytes()[1] - b'0')),
            "ul" | "ol" => {
                self.flush();
                self.lists.push(name == "ol");
            }
            "li" => {
                self.items += 1;
                let kind = self.implied();
                self.start(kind);
            }
            "blockquote" => {
                self.flush();
                self.quotes += 1;
            }
            "pre" => {
                self.pre = true;
                self.start(Kind::Code);
            }
            "hr" => {
                self.start(Kind::Rule);
                self.flush();
            }
            "table" => {
                self.flush();
                self.tables.push(Table::default());
            }
            "caption" => self.with_table(|t| t.in_caption = true),
            "thead" => self.with_table(|t| t.in_head = true),
            "tbody" | "tfoot" => self.with_table(|t| t.in_head = false),
            "tr" => self.with_table(|t| {
                t.rows.push(Row { head: t.in_head, cells: Vec::new() });
                t.in_cell = false;
            }),
            "th" | "td" => self.with_table(|t| {
                if t.rows.is_empty() {
                    t.rows.push(Row { head: t.in_head, cells: Vec::new() });
                }
                let row = t.rows.last_mut().expect("a row");
                row.cells.push(Cell { header: name == "th", inlines: Vec::new() });
                t.in_cell = true;
            }),
            "a" => self.links.push(attr(attrs, "href").filter(|h| !h.is_empty())),
            "img" => {
                let (src, alt) = (attr(attrs, "src").unwrap_or_default(), attr(attrs, "alt").unwrap_or_default());
                let href = self.href();
                self.inline(Inline::Image { src, alt, href });
            }
            "br" => self.inline(Inline::Break),
            "input" if attr(attrs, "type").as_deref() == Some("checkbox") => {
                let mark = if has_attr(attrs, "checked") { "☑ " } else { "☐ " };
                let (style, href) = (self.style(), self.href());
                push(self.target(), Inline::Text { text: mark.into(), style, href });
            }
            _ if BOUNDARIES.contains(&name) => self.flush(),
            _ => self.count_style(name, true),
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !self.in_table_text() => self.flush(),
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
            }
            "li" if !self.in_table_text() => {
                self.flush();
                self.items = self.items.saturating_sub(1);
            }
            "blockquote" => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            "pre" => {
                self.flush();
                self.pre = false;
            }
            "caption" => self.with_table(|t| t.in_caption = false),
            "thead" => self.with_table(|t| t.in_head = false),
            "th" | "td" => self.with_table(|t| t.in_cell = false),
            "table" => {
                if let Some(mut t) = self.tables.pop() {
                    trim(&mut t.caption, false);
                    for cell in t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                        trim(&mut cell.inlines, false);
                    }
                    t.rows.retain(|r| !r.cells.is_empty());
                    if !t.rows.is_empty() || !t.caption.is_empty() {
                        self.out.push(Block { kind: Kind::Table, inlines: t.caption, rows: t.rows });
                    }
                }
            }
            "a" => {
                self.links.pop();
            }
            _ if BOUNDARIES.contains(&name) && !self.in_table_text() => self.flush(),
            _ => self.count_style(name, false),
        }
    }

    fn with_table(&mut self, f: impl FnOnce(&mut Table)) {
        if let Some(t) = self.tables.last_mut() {
            f(t);
        }
    }

    fn count_style(&mut self, name: &str, open: bool) {
        let bit = match name {
            "strong" | "b" => style::STRONG,
            "em" | "i" => style::EM,
            "code" | "kbd" | "samp" if !self.pre => style::CODE,
            "del" | "s" | "strike" => style::STRIKE,
            "sup" => style::SUP,
            "sub" => style::SUB,
            _ => return,
        };
        let k = style::TAGS.iter().position(|(b, _)| *b == bit).expect("a style bit");
        self.styles[k] = if open { self.styles[k].saturating_add(1) } else { self.styles[k].saturating_sub(1) };
    }
}

/// Appends `inline`, merging text with the text before it when style and link agree.
fn push(inlines: &mut Vec<Inline>, inline: Inline) {
    if let (Some(Inline::Text { text: last, style: s1, href: h1 }), Inline::Text { text, style: s2, href: h2 }) =
        (inlines.last_mut(), &inline)
    {
        if s1 == s2 && h1 == h2 {
            if !(last.ends_with(' ') && text.starts_with(' ')) {
                last.push_str(text);
            } else {
                last.push_str(&text[1..]);
            }
            return;
        }
    }
    inlines.push(inline);
}

/// Drops white space at both ends of a block's text (and empty runs); code keeps its
/// inner lines but loses the final line break.
fn trim(inlines: &mut Vec<Inline>, code: bool) {
    if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
        if !code {
            *text = text.trim_start().to_string();
        }
    }
    if let Some(Inline::Text { text, .. }) = inlines.last_mut() {
        *text = if code { text.trim_end_matches('\n').to_string() } else { text.trim_end().to_string() };
    }
    inlines.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
}

/// Runs of white space as one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Inline {
        Inline::Text { text: text.into(), style: 0, href: None }
    }

    #[test]
    fn paragraphs_headings_items_and_links_become_blocks() {
        let html = "<div id=\"t\"></div>\n<p>见 <a href=\"../x/\">服务&amp;改进</a>。</p>\n<h2 id=\"a\">范围</h2>\n<ul>\n<li>一\n<ol><li><strong>二</strong></li></ol></li>\n</ul>\n";
        let b = blocks(html);
        assert_eq!(b.len(), 4, "{b:#?}");
        assert_eq!(
            b[0].inlines,
            vec![t("见 "), Inline::Text { text: "服务&改进".into(), style: 0, href: Some("../x/".into()) }, t("。")]
        );
        assert_eq!(b[1], Block::text(Kind::Heading(2), "范围"));
        assert_eq!(b[2], Block::text(Kind::Item { depth: 0, ordered: false }, "一"));
        assert_eq!(b[3].kind, Kind::Item { depth: 1, ordered: true });
        assert_eq!(b[3].inlines, vec![Inline::Text { text: "二".into(), style: style::STRONG, href: None }]);
    }

    #[test]
    fn shortcode_tables_are_read_as_readers_see_them() {
        let html = "<div class=\"table-wrap\" role=\"region\"><table class=\"data-table\">\n<caption>服务质量综合评分</caption>\n<thead><tr><th scope=\"col\">指标</th><th scope=\"col\">计分规则</th></tr></thead>\n<tbody>\n<tr><th scope=\"row\"><a href=\"../../kpis/s/\">客户满意度</a></th><td>按达成程度比例计分</td></tr>\n</tbody></table></div>\n<p class=\"scorecard-rules\">合格线 <span class=\"param\">60 分</span>。</p><svg><text>9</text></svg>";
        let b = blocks(html);
        assert_eq!(b.len(), 2, "{b:#?}");
        assert_eq!(b[0].kind, Kind::Table);
        assert_eq!(b[0].inlines, vec![t("服务质量综合评分")]);
        assert_eq!(b[0].rows.len(), 2);
        assert!(b[0].rows[0].head && !b[0].rows[1].head);
        assert_eq!(b[0].rows[1].cells[1], Cell { header: false, inlines: vec![t("按达成程度比例计分")] });
        assert!(b[0].rows[1].cells[0].header);
        assert_eq!(b[1], Block::text(Kind::Paragraph, "合格线 60 分。"));
    }

    #[test]
    fn images_code_and_rules_keep_their_form() {
        let html = "<p><img src=\"img/a.png\" alt=\"柜台\" title=\"t\" /></p>\n<pre><code>a  b\n</code></pre>\n<hr />\n<blockquote>\n<p>引用</p>\n</blockquote>\n";
        let b = blocks(html);
        assert_eq!(b[0].inlines, vec![Inline::Image { src: "img/a.png".into(), alt: "柜台".into(), href: None }]);
        assert_eq!(b[1], Block::text(Kind::Code, "a  b"));
        assert_eq!(b[2].kind, Kind::Rule);
        assert_eq!(b[3], Block::text(Kind::Quote, "引用"));
    }
}
