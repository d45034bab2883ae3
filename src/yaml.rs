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

use std::collections::BTreeSet;

use saphyr_parser::{Event, Parser, Span};
use serde_yaml::Value;

use crate::date::Date;
use crate::diagnostics::{Diagnostics, Pos};

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
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
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
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
/// a position in the file. An empty document is `Kind::Null`.
pub fn parse(src: &str, first_line: usize) -> Result<Node, YamlError> {
    let shift = |line: usize, col: usize| Pos::new(line + first_line - 1, col);
    let value: Value = serde_yaml::from_str(src).map_err(|e| {
        let message = e.to_string();
        // serde_yaml places a duplicate key at its mapping; point at the repeated key.
        if message.contains("duplicate entry") {
            if let Some((first, second, key)) = positions(src).as_ref().and_then(find_duplicate) {
                return YamlError {
                    pos: shift(second.line, second.col),
                    message: format!("duplicate key `{key}` (first given on line {})", first.line + first_line - 1),
                };
            }
        }
        let pos = e.location().map_or(shift(1, 1), |l| shift(l.line(), l.column()));
        YamlError { pos, message: clean_message(&message) }
    })?;
    let spans = positions(src).map(|t| t.shifted(first_line - 1));
    let start = spans.as_ref().map_or(shift(1, 1), |t| t.pos());
    Ok(zip(value, spans.as_ref(), start))
}

/// Parses a whole YAML file (a leading byte-order mark is ignored); a syntax error
/// becomes a diagnostic at its position and `None`.
pub fn parse_file(text: &str, file: &str, diags: &mut Diagnostics) -> Option<Node> {
    match parse(text.strip_prefix('\u{feff}').unwrap_or(text), 1) {
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
    /// A scalar (with its text, to find duplicate keys) or an alias.
    Leaf(Pos, Option<String>),
    Seq(Pos, Vec<PosTree>),
    Map(Pos, Vec<(PosTree, PosTree)>),
}

impl PosTree {
    fn pos(&self) -> Pos {
        match self {
            PosTree::Leaf(p, _) | PosTree::Seq(p, _) | PosTree::Map(p, _) => *p,
        }
    }

    fn shifted(self, lines: usize) -> PosTree {
        let s = |p: Pos| Pos::new(p.line + lines, p.col);
        match self {
            PosTree::Leaf(p, t) => PosTree::Leaf(s(p), t),
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

/// Builds the position tree of the first document, or `None` if the event parser fails.
fn positions(src: &str) -> Option<PosTree> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<PosTree> = Vec::new();
    let mut pending_key: Vec<Option<PosTree>> = Vec::new();
    loop {
        let (event, span) = parser.next_event()?.ok()?;
        let finished = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => None,
            Event::StreamEnd | Event::DocumentEnd => return stack.pop(),
            Event::Scalar(text, ..) => Some(PosTree::Leaf(span_pos(&span), Some(text.into_owned()))),
            Event::Alias(_) => Some(PosTree::Leaf(span_pos(&span), None)),
            Event::SequenceStart(..) => {
                stack.push(PosTree::Seq(span_pos(&span), Vec::new()));
                None
            }
            Event::MappingStart(..) => {
                stack.push(PosTree::Map(span_pos(&span), Vec::new()));
                pending_key.push(None);
                None
            }
            Event::SequenceEnd => stack.pop(),
            Event::MappingEnd => {
                pending_key.pop();
                stack.pop()
            }
        };
        let Some(node) = finished else { continue };
        match stack.last_mut() {
            None => {
                stack.push(node);
                // A lone document node: the document end comes next.
            }
            Some(PosTree::Seq(_, items)) => items.push(node),
            Some(PosTree::Map(_, entries)) => {
                let slot = pending_key.last_mut()?;
                match slot.take() {
                    None => *slot = Some(node),
                    Some(key) => entries.push((key, node)),
                }
            }
            Some(PosTree::Leaf(..)) => return None,
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
                if let PosTree::Leaf(pos, Some(text)) = k {
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

fn zip(value: Value, tree: Option<&PosTree>, fallback: Pos) -> Node {
    let pos = tree.map_or(fallback, PosTree::pos);
    let kind = match value {
        Value::Null => Kind::Null,
        Value::Bool(b) => Kind::Bool(b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Kind::Int(i),
            None => Kind::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
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
    Node { pos, kind }
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
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            _ => {
                self.wrong_type(key, node, "text", diags);
                return None;
            }
        };
        Some(Spanned { value: text, pos: node.pos })
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
                None
            }
        }
    }

    /// A month field (`2026-01`).
    pub fn month(&mut self, key: &'static str, diags: &mut Diagnostics) -> Option<Spanned<crate::date::YearMonth>> {
        let s = self.string(key, diags)?;
        match crate::date::YearMonth::parse(&s.value) {
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
                Kind::Str(s) => out.push(Spanned { value: s.clone(), pos: item.pos }),
                Kind::Int(i) => out.push(Spanned { value: i.to_string(), pos: item.pos }),
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
            if let Some(h) = hint(key) {
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
}
