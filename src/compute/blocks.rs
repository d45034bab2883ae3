//! What a reader reads on a page, as blocks: headings, paragraphs, list items, quotes,
//! code, rules and tables (rows of cells), each holding inline runs of text (with
//! their emphasis and link), images and line breaks.
//!
//! The model only: `markdown::blocks` reads it off a page's rendered HTML (so
//! shortcodes show what they show readers, never their source), and [`super::diff`]
//! compares two pages block by block. Links and image sources are kept as the page
//! wrote them (relative to the page's URL); whoever shows them elsewhere rebases them.

/// Emphasis of a run of text, as bits.
pub(crate) mod style {
    pub(crate) const STRONG: u8 = 1;
    pub(crate) const EM: u8 = 2;
    pub(crate) const CODE: u8 = 4;
    pub(crate) const STRIKE: u8 = 8;
    pub(crate) const SUP: u8 = 16;
    pub(crate) const SUB: u8 = 32;
    /// Each style bit with its HTML element, outermost first.
    pub(crate) const TAGS: [(u8, &str); 6] =
        [(STRONG, "strong"), (EM, "em"), (STRIKE, "s"), (CODE, "code"), (SUP, "sup"), (SUB, "sub")];
}

/// A piece of a block's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Inline {
    /// Text as read (character references decoded, white space collapsed outside code
    /// blocks), with its emphasis ([`style`] bits) and the link it sits in.
    Text {
        text: String,
        style: u8,
        href: Option<String>,
    },
    Image {
        src: String,
        alt: String,
        href: Option<String>,
    },
    Break,
}

/// What kind of block readers see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    /// Level 1–6; the page title is a heading of level 1.
    Heading(u8),
    Paragraph,
    /// A list item, `depth` 0 for a top-level list.
    Item {
        depth: u8,
        ordered: bool,
    },
    Quote,
    Code,
    Rule,
    /// Its caption in `inlines`, its cells in `rows`.
    Table,
}

/// A table cell: a header cell (`<th>`) or a data cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Cell {
    pub(crate) header: bool,
    pub(crate) inlines: Vec<Inline>,
}

/// A table row; `head` for the rows of the table's head.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Row {
    pub(crate) head: bool,
    pub(crate) cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Block {
    pub(crate) kind: Kind,
    pub(crate) inlines: Vec<Inline>,
    /// Only for tables.
    pub(crate) rows: Vec<Row>,
}

impl Block {
    /// A block of one run of plain text.
    pub(crate) fn text(kind: Kind, text: &str) -> Block {
        Block { kind, inlines: vec![Inline::Text { text: text.to_string(), style: 0, href: None }], rows: Vec::new() }
    }

    /// Its text as read, cells separated by ` | `, for telling how alike two blocks are.
    pub(crate) fn plain(&self) -> String {
        let mut out = plain(&self.inlines);
        for row in &self.rows {
            for cell in &row.cells {
                out.push_str(" | ");
                out.push_str(&plain(&cell.inlines));
            }
            out.push('\n');
        }
        out
    }
}

/// The text of `inlines` (images by their alternative text).
pub(crate) fn plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text { text, .. } => out.push_str(text),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Break => out.push('\n'),
        }
    }
    out
}
