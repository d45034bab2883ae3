//! The one module that touches YAML: parses a document into a [`Node`] tree in which
//! every key and value knows its line and column, and offers [`Fields`], a reader that
//! pulls typed fields out of a mapping while collecting diagnostics.
//!
//! Values come from `serde_yaml` (the maintained `yaml_serde`), which decides what a
//! scalar means and rejects duplicate keys; positions come from the event stream of
//! `saphyr-parser`, because serde's data model carries no spans. The two trees are
//! zipped; where they ever disagree a node falls back to its parent's position, so a
//! position may be coarse but is never missing. Nothing outside this module may depend
//! on either YAML crate, and this module decides nothing about what a field means.
//!
//! Hostile input is refused before `serde_yaml` builds anything: the event pass runs
//! first and rejects a document larger than [`MAX_YAML_BYTES`], nested deeper than
//! [`MAX_DEPTH`], or whose aliases would repeat more than [`MAX_ALIAS_VALUES`] values
//! or [`MAX_ALIAS_BYTES`] bytes of text (a "billion laughs" bomb). Everything after
//! that pass (our own recursive walks included) therefore sees at most `MAX_DEPTH`
//! levels, which fits the 2 MB stacks of rayon's worker threads that parse front
//! matter. Numbers keep their spelling, so a string field given `1.10` reads `1.10`.
//!
//! Here: the [`Node`] tree, the limits and the file-level readers. `scan` is the event
//! pass (positions, depth and alias guards), `parse` the entry point that zips values
//! with positions, `errors` the wording of serde_yaml's errors, `fields` [`Fields`].

mod errors;
mod fields;
mod parse;
mod scan;

pub(crate) use self::fields::Fields;
pub use self::parse::parse;

use crate::base::diagnostics::{Diagnostics, Pos};

/// The largest YAML document parsed (10 MiB); larger files are refused unread.
pub(crate) const MAX_YAML_BYTES: usize = 10 << 20;
/// The deepest nesting of lists and mappings accepted (real data nests a handful).
pub(crate) const MAX_DEPTH: usize = 100;
/// How many values aliases (`*name`) may repeat in one document, in total.
pub(crate) const MAX_ALIAS_VALUES: u64 = 100_000;
/// How many bytes of scalar text aliases may repeat in one document, in total.
pub(crate) const MAX_ALIAS_BYTES: u64 = 10 << 20;

/// Whether `text` spells a number beyond what a float holds (`1e400`, `-1e999`,
/// `1e400%`). YAML resolves such a scalar to text, and CSV cells are text anyway, so
/// readers that expect a number ask this to say "too large" rather than "not a number".
/// Digits are required: `inf` or `Infinity` written as text stays text.
pub(crate) fn number_too_large(text: &str) -> bool {
    let t = text.trim().trim_end_matches('%');
    t.bytes().any(|b| b.is_ascii_digit()) && t.parse::<f64>().is_ok_and(f64::is_infinite)
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub(crate) pos: Pos,
    pub(crate) kind: Kind,
    /// For a number, the scalar as written (`1.10`, `0x1F`), when known: a text field
    /// given a number reads this rather than the number re-printed.
    pub(crate) raw: Option<Box<str>>,
    /// For a scalar written on one line exactly as it reads (no escapes, no folding),
    /// how many columns right of `pos` its first character stands: 0 plain, 1 quoted.
    /// [`Node::char_pos`] then points at any character inside it.
    pub(crate) verbatim: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order: (key, value).
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A short name of the node's type, for messages ("expected a string, found a list").
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(f) if f.is_nan() => "NaN (not a number)",
            Kind::Float(f) if f.is_infinite() => "an infinite number",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    /// A number as written in the file (`1.10`, `0x1F`), else as Rust prints it.
    pub(crate) fn number_text(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.to_string();
        }
        match self.kind {
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            _ => String::new(),
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Where character `index` (counted in characters) of this scalar stands in the
    /// file: exact for a scalar written verbatim on one line, else the scalar's start.
    pub(crate) fn char_pos(&self, index: usize) -> Pos {
        match self.verbatim {
            Some(inset) => Pos::new(self.pos.line, self.pos.col + usize::from(inset) + index),
            None => self.pos,
        }
    }
}

/// A YAML syntax error (or a structural one serde_yaml reports, such as a duplicate key).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

pub(crate) use crate::base::numbers::megabytes;

/// Parses a whole YAML file (a leading byte-order mark is ignored); a syntax error
/// becomes a diagnostic at its position and `None`.
pub(crate) fn parse_file(text: &str, file: &str, diags: &mut Diagnostics) -> Option<Node> {
    match parse(text, 1) {
        Ok(n) => Some(n),
        Err(e) => {
            diags.error(file, e.pos, "yaml-syntax", format!("invalid YAML: {}", e.message));
            None
        }
    }
}

/// The items of a file that is a list of `what` (an empty file is an empty list);
/// anything else is a diagnostic.
pub(crate) fn records<'a>(node: &'a Node, file: &str, what: &str, diags: &mut Diagnostics) -> &'a [Node] {
    match &node.kind {
        Kind::Seq(items) => items,
        Kind::Null => &[],
        _ => {
            diags.error(
                file,
                node.pos,
                "wrong-type",
                format!("{file} must be a list of {what}, found {}", node.type_name()),
            );
            &[]
        }
    }
}

/// A value with the position it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_too_large_are_told_from_text() {
        let too_large = number_too_large;
        assert!(too_large("1e400") && too_large(" 1e999% ") && !too_large("inf") && !too_large("1e300"));
        assert!(too_large("-1e999") && !too_large("Infinity") && !too_large("十"));
    }

    #[test]
    fn oversized_documents_are_refused_unparsed() {
        let src = "a: 1\n".repeat(MAX_YAML_BYTES / 5 + 1);
        let err = parse(&src, 1).unwrap_err();
        assert_eq!(err.message, "the document is 10.0 MB; YAML documents are limited to 10.0 MB");
        assert_eq!(megabytes(100 << 20), "100.0 MB");
    }
}

/// Helpers the YAML tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Kind, Node};

    /// The entries of a mapping node (panics on anything else).
    pub(crate) fn map_entries(n: &Node) -> &[(Node, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }
}
