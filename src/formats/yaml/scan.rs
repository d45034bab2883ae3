//! The event pass: builds a position for every node from saphyr-parser's events and
//! refuses documents nested deeper than `MAX_DEPTH` or whose aliases expand past the
//! limits, before serde_yaml builds anything. It must not decide what a scalar means.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::{megabytes, MAX_ALIAS_BYTES, MAX_ALIAS_VALUES, MAX_DEPTH};
use crate::base::diagnostics::Pos;

/// The shape of a document with a position for every node, from parser events.
#[derive(Debug)]
pub(super) enum PosTree {
    /// A scalar (with its text, to find duplicate keys, and
    /// [`Node::verbatim`](super::Node::verbatim)) or an alias.
    Leaf(Pos, Option<String>, Option<u8>),
    Seq(Pos, Vec<PosTree>),
    Map(Pos, Vec<(PosTree, PosTree)>),
}

impl PosTree {
    pub(super) fn pos(&self) -> Pos {
        match self {
            PosTree::Leaf(p, ..) | PosTree::Seq(p, _) | PosTree::Map(p, _) => *p,
        }
    }

    pub(super) fn shifted(self, lines: usize) -> PosTree {
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

pub(super) fn span_pos(span: &Span) -> Pos {
    Pos::new(span.start.line(), span.start.col() + 1)
}

/// Why the event pass stopped.
#[derive(Debug)]
pub(super) enum Scan {
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
pub(super) fn scan(src: &str) -> Result<Option<PosTree>, Scan> {
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

/// [`Node::verbatim`](super::Node::verbatim) of a scalar: every escape (`\u200b`,
/// `''`) and every fold makes the source longer than the text, so a span exactly as
/// long as the text (plus its quotes) holds it character for character.
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

#[cfg(test)]
mod tests {
    use crate::base::diagnostics::Pos;
    use crate::formats::yaml::test_support::map_entries;
    use crate::formats::yaml::{parse, Kind};

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
}
