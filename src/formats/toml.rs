//! The one module that touches TOML: parses a document (the `+++` front matter Hugo and
//! Zola write) into the same position-carrying [`Node`] tree as YAML, so that one
//! reader ([`super::yaml::Fields`]) reads both and reports at the same line and column.
//!
//! Values and spans come from the `toml` crate's span-keeping parser (`DeTable`); a
//! span becomes a file position here. Tables are mappings, arrays lists, dates and
//! times text as written (`2024-05-01`), integers and floats numbers that keep their
//! spelling. Keys come out in document order. The size limit is YAML's; TOML has no
//! aliases, and nesting is bounded by the crate's own recursion limit. Must not decide
//! what a field means (that is `load`).

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::yaml::{Kind, Node, YamlError, MAX_YAML_BYTES};
use crate::base::diagnostics::Pos;

/// Parses one TOML document; `first_line` is the file line on which `src` starts, so
/// every position is a position in the file. A syntax error is located at its start.
pub(crate) fn parse(src: &str, first_line: usize) -> Result<Node, YamlError> {
    if src.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            pos: Pos::new(first_line, 1),
            message: format!("the document is larger than {} bytes", MAX_YAML_BYTES),
        });
    }
    let at = At { src, first_line };
    match DeTable::parse(src) {
        Ok(table) => Ok(Node { pos: at.pos(0), kind: table_kind(table.get_ref(), &at), raw: None, verbatim: None }),
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            // The crate's message is one line; its own rendering adds a source excerpt
            // that our diagnostics already show.
            let message = e.message().trim().trim_end_matches('.').to_string();
            Err(YamlError { pos: at.pos(offset), message })
        }
    }
}

/// Turns byte offsets of the document into positions in the file.
struct At<'a> {
    src: &'a str,
    first_line: usize,
}

impl At<'_> {
    fn pos(&self, offset: usize) -> Pos {
        let p = Pos::of_offset(self.src, offset);
        Pos::new(p.line + self.first_line - 1, p.col)
    }
}

/// The entries of a table in document order (the crate's map is sorted by key).
fn table_kind(table: &DeTable, at: &At) -> Kind {
    let mut entries: Vec<(&Spanned<_>, &Spanned<DeValue>)> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let mut out = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let kpos = at.pos(key.span().start);
        let knode = Node { pos: kpos, kind: Kind::Str(key.get_ref().to_string()), raw: None, verbatim: None };
        out.push((knode, node(value, at)));
    }
    Kind::Map(out)
}

fn node(value: &Spanned<DeValue>, at: &At) -> Node {
    let span = value.span();
    let pos = at.pos(span.start);
    let written = at.src.get(span.clone()).unwrap_or("");
    let (kind, raw) = match value.get_ref() {
        DeValue::String(s) => (Kind::Str(s.to_string()), None),
        DeValue::Boolean(b) => (Kind::Bool(*b), None),
        DeValue::Datetime(d) => (Kind::Str(d.to_string()), None),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(&digits, i.radix()) {
                Ok(n) => (Kind::Int(n), Some(written.into())),
                Err(_) => (Kind::Float(f64::INFINITY), Some(written.into())),
            }
        }
        DeValue::Float(f) => {
            let text = f.as_str().replace('_', "");
            let value = match text.trim_start_matches(['+', '-']) {
                "nan" => f64::NAN,
                "inf" if text.starts_with('-') => f64::NEG_INFINITY,
                "inf" => f64::INFINITY,
                _ => text.parse().unwrap_or(f64::NAN),
            };
            (Kind::Float(value), Some(written.into()))
        }
        DeValue::Array(items) => (Kind::Seq(items.iter().map(|v| node(v, at)).collect()), None),
        DeValue::Table(t) => (table_kind(t, at), None),
    };
    Node { pos, kind, raw, verbatim: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::test_support::map_entries;

    #[test]
    fn values_keep_their_file_positions_and_document_order() {
        let src = "title = \"Refund policy\"\nweight = 3\ndate = 2024-05-01\ntags = [\"a\", \"b\"]\ndraft = true\n\n[extra]\nteam = \"x\"\n";
        let n = parse(src, 2).unwrap();
        let m = map_entries(&n);
        let keys: Vec<_> = m.iter().map(|(k, _)| (k.as_str().unwrap(), k.pos)).collect();
        assert_eq!(
            keys,
            [
                ("title", Pos::new(2, 1)),
                ("weight", Pos::new(3, 1)),
                ("date", Pos::new(4, 1)),
                ("tags", Pos::new(5, 1)),
                ("draft", Pos::new(6, 1)),
                ("extra", Pos::new(8, 2)),
            ]
        );
        assert_eq!(m[0].1.kind, Kind::Str("Refund policy".into()));
        assert_eq!(m[0].1.pos, Pos::new(2, 9));
        assert_eq!((m[1].1.kind.clone(), m[1].1.number_text()), (Kind::Int(3), "3".to_string()));
        assert_eq!(m[2].1.kind, Kind::Str("2024-05-01".into()));
        assert_eq!(m[3].1.pos, Pos::new(5, 8));
        assert_eq!(m[4].1.kind, Kind::Bool(true));
        let extra = map_entries(&m[5].1);
        assert_eq!((extra[0].0.pos, extra[0].1.as_str()), (Pos::new(9, 1), Some("x")));
    }

    #[test]
    fn syntax_errors_are_located_in_the_file() {
        let err = parse("title = \"x\"\nweight = \n", 2).unwrap_err();
        assert_eq!(err.pos.line, 3, "{err:?}");
        let dup = parse("title = \"a\"\ntitle = \"b\"\n", 2).unwrap_err();
        assert_eq!(dup.pos, Pos::new(3, 1), "{dup:?}");
    }
}
