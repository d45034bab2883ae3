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

use std::collections::{BTreeSet, HashMap};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde_yaml::Value;

use crate::base::date::Date;
use crate::base::diagnostics::{Diagnostics, Pos};

/// The largest YAML document parsed (10 MiB); larger files are refused unread.
pub const MAX_YAML_BYTES: usize = 10 << 20;
/// The deepest nesting of lists and mappings accepted (real data nests a handful).
pub const MAX_DEPTH: usize = 100;
/// How many values aliases (`*name`) may repeat in one document, in total.
pub const MAX_ALIAS_VALUES: u64 = 100_000;
/// How many bytes of scalar text aliases may repeat in one document, in total.
pub const MAX_ALIAS_BYTES: u64 = 10 << 20;

/// Whether `text` spells a number beyond what a float holds (`1e400`, `-1e999`,
/// `1e400%`). YAML resolves such a scalar to text, and CSV cells are text anyway, so
/// readers that expect a number ask this to say "too large" rather than "not a number".
/// Digits are required: `inf` or `Infinity` written as text stays text.
pub fn number_too_large(text: &str) -> bool {
    let t = text.trim().trim_end_matches('%');
    t.bytes().any(|b| b.is_ascii_digit()) && t.parse::<f64>().is_ok_and(f64::is_infinite)
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
    /// For a number, the scalar as written (`1.10`, `0x1F`), when known: a text field
    /// given a number reads this rather than the number re-printed.
    pub raw: Option<Box<str>>,
    /// For a scalar written on one line exactly as it reads (no escapes, no folding),
    /// how many columns right of `pos` its first character stands: 0 plain, 1 quoted.
    /// [`Node::char_pos`] then points at any character inside it.
    pub verbatim: Option<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
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
    pub fn type_name(&self) -> &'static str {
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
    pub fn number_text(&self) -> String {
        if let Some(raw) = &self.raw {
            return raw.to_string();
        }
        match self.kind {
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            _ => String::new(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Where character `index` (counted in characters) of this scalar stands in the
    /// file: exact for a scalar written verbatim on one line, else the scalar's start.
    pub fn char_pos(&self, index: usize) -> Pos {
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

/// Parses one YAML document. `first_line` is the file line on which `src` starts (1 for
/// a whole file, 2 for front matter after its opening `---`), so that every position is
/// a position in the file. An empty document is `Kind::Null`. A leading byte-order mark
/// is ignored. Documents over the limits (size, depth, alias expansion) are errors.
pub fn parse(src: &str, first_line: usize) -> Result<Node, YamlError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let shift = |line: usize, col: usize| Pos::new(line + first_line - 1, col);
    if src.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            pos: shift(1, 1),
            message: format!(
                "the document is {}; YAML documents are limited to {}",
                megabytes(src.len() as u64),
                megabytes(MAX_YAML_BYTES as u64)
            ),
        });
    }
    // The event pass first: it refuses bombs and deep nesting before serde_yaml
    // materialises anything.
    let spans = match scan(src) {
        Ok(tree) => tree,
        Err(Scan::Limit(pos, message)) => return Err(YamlError { pos: shift(pos.line, pos.col), message }),
        Err(Scan::Syntax(pos, message)) if message == "recursion limit exceeded" => {
            // saphyr-parser's own limit on flow nesting (255 levels).
            return Err(YamlError {
                pos: shift(pos.line, pos.col),
                message: format!("lists and mappings are nested deeper than {MAX_DEPTH} levels"),
            });
        }
        Err(Scan::Syntax(pos, message)) => {
            // Prefer serde_yaml's wording (and position); skipping values follows no
            // alias, so this cannot expand anything.
            return Err(match serde_yaml::from_str::<serde::de::IgnoredAny>(src) {
                Err(e) => serde_error(&e, src, None, first_line),
                Ok(_) => YamlError { pos: shift(pos.line, pos.col), message },
            });
        }
    };
    let value: Value = serde_yaml::from_str(src).map_err(|e| serde_error(&e, src, spans.as_ref(), first_line))?;
    let spans = spans.map(|t| t.shifted(first_line - 1));
    let start = spans.as_ref().map_or(shift(1, 1), |t| t.pos());
    Ok(zip(value, spans.as_ref(), start))
}

/// A serde_yaml error as a [`YamlError`] at its file position, reworded where its own
/// message would puzzle a reader.
fn serde_error(e: &serde_yaml::Error, src: &str, tree: Option<&PosTree>, first_line: usize) -> YamlError {
    let shift = |line: usize, col: usize| Pos::new(line + first_line - 1, col);
    let message = e.to_string();
    // serde_yaml places a duplicate key at its mapping; point at the repeated key.
    if message.contains("duplicate entry") {
        let owned;
        let tree = match tree {
            Some(t) => Some(t),
            None => {
                owned = scan(src).ok().flatten();
                owned.as_ref()
            }
        };
        if let Some((first, second, key)) = tree.and_then(find_duplicate) {
            return YamlError {
                pos: shift(second.line, second.col),
                message: format!("duplicate key `{key}` (first given on line {})", first.line + first_line - 1),
            };
        }
    }
    let pos = e.location().map_or(shift(1, 1), |l| shift(l.line(), l.column()));
    let message = clean_message(&message);
    // An integer beyond 64 bits: serde_yaml says "invalid type: integer `N` as u128".
    let message = match message.find("integer `").map(|i| &message[i + 9..]) {
        Some(rest) if message.contains(" as u128") || message.contains(" as i128") => {
            let n = rest.split('`').next().unwrap_or(rest);
            let n: String = n.chars().take(40).collect();
            format!("the number `{n}` is too large (whole numbers must lie between -9223372036854775808 and 18446744073709551615)")
        }
        _ if message.contains("recursion limit exceeded") => {
            format!("values are nested (through aliases) deeper than {} levels", MAX_DEPTH)
        }
        _ if message.contains("more than one document") => {
            if let Some(p) = second_document(src) {
                return YamlError {
                    pos: shift(p.line, p.col),
                    message: "a second YAML document starts here; the file must hold one (remove this `---` line)"
                        .into(),
                };
            }
            message
        }
        _ if message.contains("repetition limit exceeded") => {
            "aliases (`*name`) repeat too much of the document (a YAML alias bomb?)".to_string()
        }
        _ => message,
    };
    YamlError { pos, message }
}

/// Where the second document of a stream starts, if it has one.
fn second_document(src: &str) -> Option<Pos> {
    let mut parser = Parser::new_from_str(src);
    let mut starts = 0;
    while let Some(Ok((event, span))) = parser.next_event() {
        if let Event::DocumentStart(_) = event {
            starts += 1;
            if starts == 2 {
                return Some(span_pos(&span));
            }
        }
    }
    None
}

/// `12.3 MB`, for size limits (1 MB = 2^20 bytes).
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
}

/// Parses a whole YAML file (a leading byte-order mark is ignored); a syntax error
/// becomes a diagnostic at its position and `None`.
pub fn parse_file(text: &str, file: &str, diags: &mut Diagnostics) -> Option<Node> {
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
pub fn records<'a>(node: &'a Node, file: &str, what: &str, diags: &mut Diagnostics) -> &'a [Node] {
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

/// serde_yaml appends " at line L column C" to its messages; we print positions ourselves.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// The shape of a document with a position for every node, from parser events.
#[derive(Debug)]
enum PosTree {
    /// A scalar (with its text, to find duplicate keys, and [`Node::verbatim`]) or an alias.
    Leaf(Pos, Option<String>, Option<u8>),
    Seq(Pos, Vec<PosTree>),
    Map(Pos, Vec<(PosTree, PosTree)>),
}

impl PosTree {
    fn pos(&self) -> Pos {
        match self {
            PosTree::Leaf(p, ..) | PosTree::Seq(p, _) | PosTree::Map(p, _) => *p,
        }
    }

    fn shifted(self, lines: usize) -> PosTree {
        let s = |p: Pos| Pos::new(p.line + lines, p.col);
        match self {
            PosTree::Leaf(p, t, v) => PosTree::Leaf(s(p), t, v),
            PosTree::Seq(p, items) => PosTree::Seq(s(p), items.into_iter().map(|i| i.shifted(lines)).collect()),
            PosTree::Map(p, entries) => {
                PosTree::Map(s(p), entries.into_iter().map(|(k, v)| (k.shifted(lines), v.shifted(lines))).collect())
            }
        }
    }
}

fn span_pos(span: &Span) -> Pos {
    Pos::new(span.start.line(), span.start.col() + 1)
}

/// Why the event pass stopped.
#[derive(Debug)]
enum Scan {
    /// A syntax error saphyr-parser found (position, message).
    Syntax(Pos, String),
    /// The document is over a limit (depth, alias expansion): refused outright.
    Limit(Pos, String),
}

/// A mapping or list being built by [`scan`], with the expansion counters at its start.
struct Open {
    tree: PosTree,
    anchor: usize,
    values: u64,
    bytes: u64,
}

/// Builds the position tree of the first document (`None` for an empty stream) while
/// enforcing [`MAX_DEPTH`] and the alias limits. Iterative: any depth is safe here.
fn scan(src: &str) -> Result<Option<PosTree>, Scan> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Open> = Vec::new();
    let mut pending_key: Vec<Option<PosTree>> = Vec::new();
    // Values and scalar bytes of the document with every alias expanded; what aliases
    // alone add; and each anchor's expanded size.
    let (mut values, mut bytes) = (0u64, 0u64);
    let (mut alias_values, mut alias_bytes) = (0u64, 0u64);
    let mut anchors: HashMap<usize, (u64, u64)> = HashMap::new();
    let mut root: Option<PosTree> = None;
    loop {
        let (event, span) = match parser.next_event() {
            None => return Ok(root),
            Some(Err(e)) => {
                let m = e.marker();
                return Err(Scan::Syntax(Pos::new(m.line(), m.col() + 1), e.info().to_string()));
            }
            Some(Ok(x)) => x,
        };
        let pos = span_pos(&span);
        let finished = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => None,
            Event::StreamEnd | Event::DocumentEnd => return Ok(root),
            Event::Scalar(text, style, anchor, _) => {
                values += 1;
                bytes += text.len() as u64;
                if anchor > 0 {
                    anchors.insert(anchor, (1, text.len() as u64));
                }
                let inset = verbatim_inset(&text, style, &span);
                Some(PosTree::Leaf(pos, Some(text.into_owned()), inset))
            }
            Event::Alias(id) => {
                let (v, b) = anchors.get(&id).copied().unwrap_or((1, 0));
                values = values.saturating_add(v);
                bytes = bytes.saturating_add(b);
                alias_values = alias_values.saturating_add(v);
                alias_bytes = alias_bytes.saturating_add(b);
                if alias_values > MAX_ALIAS_VALUES || alias_bytes > MAX_ALIAS_BYTES {
                    return Err(Scan::Limit(
                        pos,
                        format!(
                            "aliases (`*name`) would repeat more than {MAX_ALIAS_VALUES} values or {} of text \
                             (a YAML alias bomb?); write the repeated values out instead",
                            megabytes(MAX_ALIAS_BYTES)
                        ),
                    ));
                }
                Some(PosTree::Leaf(pos, None, None))
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(Scan::Limit(
                        pos,
                        format!("lists and mappings are nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                values += 1;
                let tree = if matches!(event, Event::MappingStart(..)) {
                    pending_key.push(None);
                    PosTree::Map(pos, Vec::new())
                } else {
                    PosTree::Seq(pos, Vec::new())
                };
                stack.push(Open { tree, anchor, values: values - 1, bytes });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if matches!(event, Event::MappingEnd) {
                    pending_key.pop();
                }
                let Some(open) = stack.pop() else { return Err(Scan::Syntax(pos, "unexpected end".into())) };
                if open.anchor > 0 {
                    anchors.insert(open.anchor, (values - open.values, bytes - open.bytes));
                }
                Some(open.tree)
            }
        };
        let Some(node) = finished else { continue };
        match stack.last_mut().map(|o| &mut o.tree) {
            None => root = Some(node),
            Some(PosTree::Seq(_, items)) => items.push(node),
            Some(PosTree::Map(_, entries)) => {
                let Some(slot) = pending_key.last_mut() else { return Ok(None) };
                match slot.take() {
                    None => *slot = Some(node),
                    Some(key) => entries.push((key, node)),
                }
            }
            Some(PosTree::Leaf(..)) => return Ok(None),
        }
    }
}

/// The first key given twice in one mapping: (first position, second position, key).
fn find_duplicate(tree: &PosTree) -> Option<(Pos, Pos, String)> {
    match tree {
        PosTree::Leaf(..) => None,
        PosTree::Seq(_, items) => items.iter().find_map(find_duplicate),
        PosTree::Map(_, entries) => {
            let mut seen: Vec<(&str, Pos)> = Vec::new();
            for (k, _) in entries {
                if let PosTree::Leaf(pos, Some(text), _) = k {
                    if let Some((_, first)) = seen.iter().find(|(t, _)| *t == text) {
                        return Some((*first, *pos, text.clone()));
                    }
                    seen.push((text, *pos));
                }
            }
            entries.iter().find_map(|(_, v)| find_duplicate(v))
        }
    }
}

/// Pairs serde_yaml's values with the positions of the event pass. Recursion is
/// bounded: serde_yaml stops at 128 levels (aliases included) and `scan` at `MAX_DEPTH`.
fn zip(value: Value, tree: Option<&PosTree>, fallback: Pos) -> Node {
    let pos = tree.map_or(fallback, PosTree::pos);
    let mut raw = None;
    let verbatim = match tree {
        Some(PosTree::Leaf(_, _, v)) => *v,
        _ => None,
    };
    let kind = match value {
        Value::Null => Kind::Null,
        Value::Bool(b) => Kind::Bool(b),
        Value::Number(n) => {
            if let Some(PosTree::Leaf(_, Some(text), _)) = tree {
                raw = Some(text.as_str().into());
            }
            match n.as_i64() {
                Some(i) => Kind::Int(i),
                None => Kind::Float(n.as_f64().unwrap_or(f64::NAN)),
            }
        }
        Value::String(s) => Kind::Str(s),
        Value::Sequence(items) => {
            let sub = match tree {
                Some(PosTree::Seq(_, s)) => Some(s),
                _ => None,
            };
            Kind::Seq(items.into_iter().enumerate().map(|(i, v)| zip(v, sub.and_then(|s| s.get(i)), pos)).collect())
        }
        Value::Mapping(map) => {
            let sub = match tree {
                Some(PosTree::Map(_, s)) => Some(s),
                _ => None,
            };
            Kind::Map(
                map.into_iter()
                    .enumerate()
                    .map(|(i, (k, v))| {
                        let entry = sub.and_then(|s| s.get(i));
                        (zip(k, entry.map(|e| &e.0), pos), zip(v, entry.map(|e| &e.1), pos))
                    })
                    .collect(),
            )
        }
        Value::Tagged(tagged) => return zip(tagged.value, tree, fallback),
    };
    Node { pos, kind, raw, verbatim }
}

/// [`Node::verbatim`] of a scalar: every escape (`\u200b`, `''`) and every fold makes
/// the source longer than the text, so a span exactly as long as the text (plus its
/// quotes) holds it character for character.
fn verbatim_inset(text: &str, style: ScalarStyle, span: &Span) -> Option<u8> {
    if span.start.line() != span.end.line() {
        return None;
    }
    let width = span.end.col().checked_sub(span.start.col())?;
    let chars = text.chars().count();
    match style {
        ScalarStyle::Plain if width == chars => Some(0),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if width == chars + 2 => Some(1),
        _ => None,
    }
}

/// Reads the fields of one YAML mapping, reporting every problem into `diags` under
/// `path`. Ask for each field by name; [`Fields::finish`] then reports the keys nobody
/// asked for as unknown, with a "did you mean" hint.
pub struct Fields<'a> {
    path: &'a str,
    what: &'a str,
    pos: Pos,
    entries: Vec<(&'a str, &'a Node, &'a Node)>,
    asked: BTreeSet<&'static str>,
}

impl<'a> Fields<'a> {
    /// `what` names the thing for messages ("front matter", "charter.yaml"). A null
    /// node reads as an empty mapping; anything else that is not a mapping is an error
    /// and yields `None`.
    pub fn new(node: &'a Node, path: &'a str, what: &'a str, diags: &mut Diagnostics) -> Option<Fields<'a>> {
        let mut entries = Vec::new();
        match &node.kind {
            Kind::Null => {}
            Kind::Map(map) => {
                for (k, v) in map {
                    match &k.kind {
                        Kind::Str(s) => entries.push((s.as_str(), k, v)),
                        _ => diags.error(
                            path,
                            k.pos,
                            "bad-key",
                            format!("{what}: keys must be names, found {}", k.type_name()),
                        ),
                    }
                }
            }
            _ => {
                diags.error(
                    path,
                    node.pos,
                    "wrong-type",
                    format!("{what} must be a mapping of `key: value` lines, found {}", node.type_name()),
                );
                return None;
            }
        }
        Some(Fields { path, what, pos: node.pos, entries, asked: BTreeSet::new() })
    }

    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Where the mapping starts (for "missing key" errors).
    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// The raw node of `key`, marking the key as known.
    pub fn node(&mut self, key: &'static str) -> Option<&'a Node> {
        self.asked.insert(key);
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, _, v)| *v)
    }

    /// The position of `key` itself, if present.
    pub fn key_pos(&self, key: &str) -> Option<Pos> {
        self.entries.iter().find(|(k, _, _)| *k == key).map(|(_, k, _)| k.pos)
    }

    /// A string field. Numbers are accepted and read as text (`title: 2025`); null is absent.
    pub fn string(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let node = self.node(key)?;
        let text = match &node.kind {
            Kind::Null => return None,
            Kind::Str(s) => s.clone(),
            Kind::Int(_) | Kind::Float(_) => node.number_text(),
            _ => {
                self.wrong_type(key, node, "text", diags);
                return None;
            }
        };
        if !self.printable(key, &text, node.pos, diags) {
            return None;
        }
        Some(Spanned { value: text, pos: node.pos })
    }

    /// Whether `text` (the value of `key`) is free of control characters other than
    /// tab and line ends; reports the first one otherwise. HTML shows them as U+FFFD and
    /// XML (the feed, the charts) cannot hold them at all; only YAML's `"\0"`-style
    /// escapes can produce them.
    fn printable(&self, key: &str, text: &str, pos: Pos, diags: &mut Diagnostics) -> bool {
        match text.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            None => true,
            Some(c) => {
                diags.error(
                    self.path,
                    pos,
                    "bad-value",
                    format!(
                        "`{key}` contains the control character U+{:04X}, which pages and feeds cannot show",
                        c as u32
                    ),
                );
                false
            }
        }
    }

    /// A required string field: reports a missing or empty value.
    pub fn required_string(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<String>> {
        let present = self.entries.iter().any(|(k, _, _)| *k == key);
        match self.string(key, diags) {
            Some(s) if !s.value.trim().is_empty() => Some(s),
            Some(s) => {
                diags.error(self.path, s.pos, "missing-key", format!("{}: `{key}` must not be empty", self.what));
                None
            }
            None => {
                if !present || matches!(self.node(key).map(|n| &n.kind), Some(Kind::Null)) {
                    let pos = self.key_pos(key).unwrap_or(self.pos);
                    diags.error(self.path, pos, "missing-key", format!("{}: missing required key `{key}`", self.what));
                }
                None
            }
        }
    }

    /// One of a fixed set of words (`audience: public`).
    pub fn choice(
        &mut self,
        key: &'static str,
        allowed: &[&'static str],
        diags: &mut Diagnostics,
    ) -> Option<Spanned<&'static str>> {
        let s = self.string(key, diags)?;
        match allowed.iter().find(|a| **a == s.value) {
            Some(a) => Some(Spanned { value: *a, pos: s.pos }),
            None => {
                let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
                diags.error(
                    self.path,
                    s.pos,
                    "bad-value",
                    format!("`{key}` must be one of {list}, found `{}`", s.value),
                );
                diags.suggest(&s.value, allowed.iter().copied());
                None
            }
        }
    }

    /// An integer field.
    pub fn integer(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<i64>> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Null => None,
            Kind::Int(i) => Some(Spanned { value: i, pos: node.pos }),
            Kind::Float(f) if f.is_finite() && f.fract() == 0.0 => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}`: `{}` is too large for a whole number", node.number_text()),
                );
                None
            }
            _ => {
                self.wrong_type(key, node, "a whole number", diags);
                None
            }
        }
    }

    /// A number field (integer or decimal); NaN and infinities are refused.
    pub fn number(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<f64>> {
        let node = self.node(key)?;
        let value = match node.kind {
            Kind::Null => return None,
            Kind::Int(i) => i as f64,
            Kind::Float(f) if f.is_finite() => f,
            Kind::Float(_) => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}` must be a finite number, found `{}`", node.number_text()),
                );
                return None;
            }
            Kind::Str(ref s) if number_too_large(s) => {
                diags.error(
                    self.path,
                    node.pos,
                    "bad-number",
                    format!("`{key}`: `{}` is too large for a number", s.trim()),
                );
                return None;
            }
            _ => {
                self.wrong_type(key, node, "a number", diags);
                return None;
            }
        };
        Some(Spanned { value, pos: node.pos })
    }

    /// A `true`/`false` field.
    pub fn boolean(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<bool>> {
        let node = self.node(key)?;
        match node.kind {
            Kind::Null => None,
            Kind::Bool(b) => Some(Spanned { value: b, pos: node.pos }),
            _ => {
                self.wrong_type(key, node, "true or false", diags);
                let word = node.as_str().unwrap_or("").to_ascii_lowercase();
                if ["yes", "no", "on", "off", "y", "n"].contains(&word.as_str()) {
                    diags.with_help(format!(
                        "YAML 1.2 reads `{}` as text, not a boolean: write `true` or `false`",
                        node.as_str().unwrap_or("")
                    ));
                }
                None
            }
        }
    }

    /// A month field (`2026-01`).
    pub fn month(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics,
    ) -> Option<Spanned<crate::base::date::YearMonth>> {
        let s = self.string(key, diags)?;
        match crate::base::date::YearMonth::parse(&s.value) {
            Ok(m) => Some(Spanned { value: m, pos: s.pos }),
            Err(e) => {
                diags.error(self.path, s.pos, "bad-date", format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// The items of a list field (an absent field is an empty list).
    pub fn list(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<&'a Node> {
        let Some(node) = self.node(key) else { return Vec::new() };
        match &node.kind {
            Kind::Null => Vec::new(),
            Kind::Seq(items) => items.iter().collect(),
            _ => {
                self.wrong_type(key, node, "a list", diags);
                Vec::new()
            }
        }
    }

    /// An ISO date field (`2025-01-01`).
    pub fn date(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<Date>> {
        let s = self.string(key, diags)?;
        match Date::parse(&s.value) {
            Ok(d) => Some(Spanned { value: d, pos: s.pos }),
            Err(e) => {
                diags.error(self.path, s.pos, "bad-date", format!("`{key}`: {e}"));
                None
            }
        }
    }

    /// A list of strings; a single string is accepted as a list of one.
    pub fn string_list(&mut self, key: &'static str, diags: &mut Diagnostics) -> Vec<Spanned<String>> {
        let Some(node) = self.node(key) else { return Vec::new() };
        let items: Vec<&Node> = match &node.kind {
            Kind::Null => return Vec::new(),
            Kind::Seq(items) => items.iter().collect(),
            Kind::Str(_) => vec![node],
            _ => {
                self.wrong_type(key, node, "a list", diags);
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            match &item.kind {
                Kind::Str(s) if self.printable(key, s, item.pos, diags) => {
                    out.push(Spanned { value: s.clone(), pos: item.pos })
                }
                Kind::Str(_) => {}
                Kind::Int(_) => out.push(Spanned { value: item.number_text(), pos: item.pos }),
                _ => diags.error(
                    self.path,
                    item.pos,
                    "wrong-type",
                    format!("items of `{key}` must be text, found {}", item.type_name()),
                ),
            }
        }
        out
    }

    /// Reports every key that was not asked for. `hint` explains keys that exist but
    /// are not allowed here (e.g. `duties` outside role documents).
    pub fn finish(self, diags: &mut Diagnostics, hint: impl Fn(&str) -> Option<String>) {
        for (key, knode, _) in &self.entries {
            if self.asked.contains(key) {
                continue;
            }
            diags.error(self.path, knode.pos, "unknown-key", format!("{}: unknown key `{key}`", self.what));
            if *key == "<<" {
                diags.with_help("YAML merge keys (`<<: *name`) are not supported: write the keys out");
            } else if let Some(h) = hint(key) {
                diags.with_help(h);
            } else if !diags.suggest(key, self.asked.iter().copied()) {
                let known = self.asked.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
                diags.with_help(format!("known keys: {known}"));
            }
        }
    }
}

impl Fields<'_> {
    fn wrong_type(&self, key: &str, node: &Node, expected: &str, diags: &mut Diagnostics) {
        diags.error(
            self.path,
            node.pos,
            "wrong-type",
            format!("`{key}` must be {expected}, found {}", node.type_name()),
        );
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

    fn map_entries(n: &Node) -> &[(Node, Node)] {
        match &n.kind {
            Kind::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn keys_and_values_know_their_file_position() {
        let src = "title: 服务标准\nowner: front-desk\ntags:\n  - 投诉\n  - 时限\n";
        let node = parse(src, 2).unwrap();
        let m = map_entries(&node);
        assert_eq!(m[0].0.pos, Pos::new(2, 1));
        assert_eq!(m[0].1.pos, Pos::new(2, 8));
        assert_eq!(m[1].1.pos, Pos::new(3, 8));
        let Kind::Seq(tags) = &m[2].1.kind else { panic!() };
        assert_eq!(tags[1].pos, Pos::new(6, 5));
        assert_eq!(tags[1].kind, Kind::Str("时限".into()));
    }

    #[test]
    fn scalars_resolve_like_yaml_1_2() {
        let node = parse("a: 5\nb: 4.5\nc: true\nd: NO\ne: 2025-01-01\nf:\n", 1).unwrap();
        let kinds: Vec<&Kind> = map_entries(&node).iter().map(|(_, v)| &v.kind).collect();
        assert_eq!(kinds[0], &Kind::Int(5));
        assert_eq!(kinds[1], &Kind::Float(4.5));
        assert_eq!(kinds[2], &Kind::Bool(true));
        assert_eq!(kinds[3], &Kind::Str("NO".into()));
        assert_eq!(kinds[4], &Kind::Str("2025-01-01".into()));
        assert_eq!(kinds[5], &Kind::Null);
    }

    #[test]
    fn syntax_errors_and_duplicate_keys_have_positions() {
        let err = parse("title: a\ntitle: b\n", 2).unwrap_err();
        assert_eq!(err.message, "duplicate key `title` (first given on line 2)");
        assert_eq!(err.pos, Pos::new(3, 1));
        let err = parse("roles:\n  a: 1\n  b: 2\n  a: 3\n", 1).unwrap_err();
        assert_eq!(err.message, "duplicate key `a` (first given on line 2)");
        assert_eq!(err.pos, Pos::new(4, 3));
        let err = parse("title: [unclosed\nowner: x\n", 2).unwrap_err();
        assert!(err.pos.line >= 2, "{err:?}");
    }

    #[test]
    fn fields_reports_every_problem_of_a_mapping() {
        let src = "titel: x\nweight: heavy\neffective: 2025-02-30\n";
        let node = parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let mut f = Fields::new(&node, "a.md", "front matter", &mut d).unwrap();
        assert!(f.required_string("title", &mut d).is_none());
        assert!(f.integer("weight", &mut d).is_none());
        assert!(f.date("effective", &mut d).is_none());
        f.finish(&mut d, |_| None);
        let all = d.into_sorted();
        let msgs: Vec<String> = all.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(all.len(), 4, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("1:1 front matter: unknown key `titel`")));
        assert!(all.iter().any(|d| d.help.as_deref() == Some("did you mean `title`?")));
        assert!(msgs.iter().any(|m| m.starts_with("2:9 `weight` must be a whole number")));
        assert!(msgs.iter().any(|m| m.starts_with("3:12 `effective`: `2025-02-30` has day 30")));
        assert!(msgs.iter().any(|m| m.contains("missing required key `title`")));
    }

    #[test]
    fn deep_nesting_is_refused_at_its_position_even_on_a_small_stack() {
        // rayon's workers (which parse front matter) have 2 MB stacks.
        let run = |src: String| {
            std::thread::Builder::new().stack_size(2 << 20).spawn(move || parse(&src, 1)).unwrap().join().unwrap()
        };
        let flow = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let err = run(flow).unwrap_err();
        // saphyr-parser's scanner reads flow brackets ahead and stops at its own limit,
        // level 256 (column 4 + 255), before the parser reports level 101.
        assert_eq!(err.pos, Pos::new(1, 259), "{err:?}");
        assert_eq!(err.message, "lists and mappings are nested deeper than 100 levels");
        // Deeper than saphyr-parser's own flow limit (255): the same message.
        let err = run(format!("a: {}{}\n", "[".repeat(300), "]".repeat(300))).unwrap_err();
        assert_eq!(err.message, "lists and mappings are nested deeper than 100 levels");
        let block: String = (0..150).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
        assert_eq!(run(block).unwrap_err().pos, Pos::new(101, 201));
        let maps = format!("a: {}1{}\n", "{b: ".repeat(10_000), "}".repeat(10_000));
        assert_eq!(run(maps).unwrap_err().message, "lists and mappings are nested deeper than 100 levels");
        // Between 101 and 255 levels our own limit speaks, at the 101st level: the root
        // mapping is the first, so the 100th bracket.
        let err = run(format!("a: {}{}\n", "[".repeat(120), "]".repeat(120))).unwrap_err();
        assert_eq!(err.pos, Pos::new(1, 4 + 99), "{err:?}");
        // Exactly the limit is fine.
        let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&ok, 1).is_ok());
    }

    #[test]
    fn alias_bombs_are_refused_before_expansion() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let prev = (b'a' + level - 1) as char;
            let name = (b'a' + level) as char;
            src.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
        }
        let err = parse(&src, 1).unwrap_err();
        assert!(err.message.starts_with("aliases (`*name`) would repeat more than 100000 values"), "{err:?}");
        // Aliases repeat 10 × 11 values in `b`, 10 × 111 in `c`, 10 × 1111 in `d` (12,330
        // in all), then 11,111 each in `e`: the 8th alias of `e` passes 100,000.
        assert_eq!(err.pos, Pos::new(5, 8 + 7 * 4), "{err:?}");
        // Few aliases of a long string: the byte limit.
        let long = "y".repeat(1 << 20);
        let src = format!("a: &a {long}\nb: [{}]\n", ["*a"; 11].join(", "));
        let err = parse(&src, 1).unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 5 + 10 * 4), "{err:?}");
        // Ordinary aliases still work.
        let node = parse("base: &t {from: 2025-01, value: 4}\nother: *t\n", 1).unwrap();
        let Kind::Map(other) = &map_entries(&node)[1].1.kind else { panic!() };
        assert_eq!(other[1].1.kind, Kind::Int(4));
    }

    #[test]
    fn oversized_documents_are_refused_unparsed() {
        let src = "a: 1\n".repeat(MAX_YAML_BYTES / 5 + 1);
        let err = parse(&src, 1).unwrap_err();
        assert_eq!(err.message, "the document is 10.0 MB; YAML documents are limited to 10.0 MB");
        assert_eq!(megabytes(100 << 20), "100.0 MB");
    }

    #[test]
    fn numbers_keep_their_spelling_as_text_and_bad_numbers_are_named() {
        let src = "a: 012\nb: 1.10\nc: 0x1F\nd: 1e400\ne: .nan\nf: -.inf\ng: 10000000000000000000\nh: yes\ni: NO\n";
        let node = parse(src, 1).unwrap();
        let mut d = Diagnostics::new();
        let mut f = Fields::new(&node, "x.yaml", "x", &mut d).unwrap();
        let text = |f: &mut Fields, k, d: &mut Diagnostics| f.string(k, d).unwrap().value;
        assert_eq!(text(&mut f, "a", &mut d), "012");
        assert_eq!(text(&mut f, "b", &mut d), "1.10");
        assert_eq!(text(&mut f, "c", &mut d), "0x1F");
        assert_eq!(text(&mut f, "i", &mut d), "NO");
        assert!(f.number("d", &mut d).is_none());
        assert!(f.number("e", &mut d).is_none());
        assert!(f.number("f", &mut d).is_none());
        assert!(f.integer("g", &mut d).is_none());
        assert!(f.boolean("h", &mut d).is_none());
        assert_eq!(f.number("c", &mut d).unwrap().value, 31.0);
        let all = d.into_sorted();
        let msgs: Vec<String> = all.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(
            msgs,
            [
                "4:4 `d`: `1e400` is too large for a number",
                "5:4 `e` must be a finite number, found `.nan`",
                "6:4 `f` must be a finite number, found `-.inf`",
                "7:4 `g`: `10000000000000000000` is too large for a whole number",
                "8:4 `h` must be true or false, found a string",
            ]
        );
        assert_eq!(
            all[4].help.as_deref(),
            Some("YAML 1.2 reads `yes` as text, not a boolean: write `true` or `false`")
        );
        let err = parse("a: 1\nb: 123456789012345678901234567890\n", 1).unwrap_err();
        assert_eq!(err.pos, Pos::new(2, 4));
        assert_eq!(
            err.message,
            "the number `123456789012345678901234567890` is too large (whole numbers must lie between -9223372036854775808 and 18446744073709551615)"
        );
    }

    #[test]
    fn a_second_document_is_refused_where_it_starts() {
        let err = parse("a: 1\n---\nb: 2\n", 2).unwrap_err();
        assert_eq!(err.pos, Pos::new(3, 1));
        assert!(err.message.starts_with("a second YAML document starts here"), "{err:?}");
    }

    #[test]
    fn bom_and_crlf_keep_positions() {
        let node = parse("\u{feff}a: 1\r\nb:\r\n  - x\r\n", 1).unwrap();
        let m = map_entries(&node);
        assert_eq!(m[0].0.pos, Pos::new(1, 1));
        let Kind::Seq(items) = &m[1].1.kind else { panic!() };
        assert_eq!(items[0].pos, Pos::new(3, 5));
        let err = parse("a: 1\r\na: 2\r\n", 1).unwrap_err();
        assert_eq!((err.pos, err.message.as_str()), (Pos::new(2, 1), "duplicate key `a` (first given on line 1)"));
    }
}
