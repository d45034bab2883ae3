//! Error wording: turns a serde_yaml error into a [`YamlError`] at its file position,
//! pointing a duplicate key or a second document at where it stands. It must not parse
//! values or enforce limits (that is `scan`).

use saphyr_parser::{Event, Parser};

use super::scan::{scan, span_pos, PosTree};
use super::{YamlError, MAX_DEPTH};
use crate::base::diagnostics::Pos;

/// A serde_yaml error as a [`YamlError`] at its file position, reworded where its own
/// message would puzzle a reader.
pub(super) fn serde_error(e: &serde_yaml::Error, src: &str, tree: Option<&PosTree>, first_line: usize) -> YamlError {
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

/// serde_yaml appends " at line L column C" to its messages; we print positions ourselves.
fn clean_message(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
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

#[cfg(test)]
mod tests {
    use crate::base::diagnostics::Pos;
    use crate::formats::yaml::parse;

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
    fn a_second_document_is_refused_where_it_starts() {
        let err = parse("a: 1\n---\nb: 2\n", 2).unwrap_err();
        assert_eq!(err.pos, Pos::new(3, 1));
        assert!(err.message.starts_with("a second YAML document starts here"), "{err:?}");
    }
}
