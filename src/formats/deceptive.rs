//! Refusing deceptive characters (see `base::text_safety`) in ids read from a YAML
//! scalar or a CSV cell, at the exact line and column of the character where the
//! format lets us know it.

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::base::text_safety::refuse_at;
use crate::formats::yaml::Node;

/// Reports `value` (an id, or a reference to one, read from `node` of `file`) if it
/// holds a deceptive character, at that character's line and column, and returns what
/// the reader sees (see [`refuse_at`]). Without a node, or when the node's text is not
/// written verbatim (escapes), the error is at `pos`, the value's start.
pub(crate) fn refuse(
    file: &str,
    node: Option<&Node>,
    pos: Pos,
    what: &str,
    value: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let at = |index| node.filter(|n| n.verbatim.is_some()).map(|n| n.char_pos(index));
    refuse_at(file, pos, at, what, value, diags)
}

/// [`refuse`] for a CSV cell that starts at `pos`. `verbatim`: the cell is written as
/// it reads from `pos` on (unquoted: `csv::Field::text` is borrowed), so the character
/// stands at `pos.col + index`; otherwise the error is at the cell's start.
pub(crate) fn refuse_cell(
    file: &str,
    pos: Pos,
    verbatim: bool,
    what: &str,
    value: &str,
    diags: &mut Diagnostics,
) -> Option<String> {
    let at = |index| verbatim.then(|| Pos::new(pos.line, pos.col + index));
    refuse_at(file, pos, at, what, value, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_at_the_character_and_kept_as_it_reads() {
        let src = "a: p0\u{200B}1\nb: 'x\u{202E}y'\nc: \"q\\u200Bz\"\nd: \u{200B}\n";
        let node = crate::formats::yaml::parse(src, 1).unwrap();
        let crate::formats::yaml::Kind::Map(entries) = &node.kind else { panic!() };
        let mut d = Diagnostics::new();
        let got: Vec<Option<String>> =
            entries.iter().map(|(_, v)| refuse("f.yaml", Some(v), v.pos, "id", v.as_str().unwrap(), &mut d)).collect();
        assert_eq!(got, [Some("p01".into()), Some("xy".into()), Some("qz".into()), None]);
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.pos.line, d.pos.col)).collect();
        // Plain: column of the character; quoted: one more for the quote; escaped: the
        // value's start (the message then counts characters).
        assert_eq!(at, [(1, 6), (2, 6), (3, 4), (4, 4)]);
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert!(messages[0].contains("at column 6"), "{messages:?}");
        assert!(messages[2].contains("as its character 2"), "{messages:?}");
        assert!(d.iter().all(|d| d.code == "invisible-character"));
        // A CSV cell: exact when unquoted, else at the cell.
        let mut d = Diagnostics::new();
        assert_eq!(refuse_cell("m.csv", Pos::new(2, 9), true, "subject", "p0\u{200B}1", &mut d), Some("p01".into()));
        assert_eq!(refuse_cell("m.csv", Pos::new(3, 9), false, "subject", "p\u{200B}1", &mut d), Some("p1".into()));
        let at: Vec<(usize, usize)> = d.iter().map(|d| (d.pos.line, d.pos.col)).collect();
        assert_eq!(at, [(2, 11), (3, 9)]);
    }
}
