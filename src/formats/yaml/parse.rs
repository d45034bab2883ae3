//! The parse entry point: refuses oversized documents, runs the event pass, then zips
//! serde_yaml's values with the positions that pass found. It must not read what a
//! field means; error wording lives in `errors`, the event pass in `scan`.

use serde_yaml::Value;

use super::errors::serde_error;
use super::scan::{scan, PosTree, Scan};
use super::{megabytes, Kind, Node, YamlError, MAX_DEPTH, MAX_YAML_BYTES};
use crate::base::diagnostics::Pos;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::test_support::map_entries;

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
