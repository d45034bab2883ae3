//! A small RFC 4180 CSV reader that knows where every field starts.
//!
//! CRM exports arrive as CSV and a bad cell must be reported at its line and column,
//! which general CSV crates do not expose per field. This reader streams records from a
//! string (quoted fields, doubled quotes, embedded newlines, CRLF, a leading BOM) and
//! hands each to a callback with the position of every field. It is pure and knows
//! nothing about what the columns mean.

use std::borrow::Cow;

use crate::base::diagnostics::Pos;

/// The most fields one record may have: a line of a million commas is an error, not a
/// million-entry vector.
const MAX_FIELDS: usize = 10_000;

/// One field with the file position where it starts (its opening quote, if quoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub(crate) text: Cow<'a, str>,
    pub(crate) pos: Pos,
}

/// Calls `each` for every record of `text` (the header included), with the record's
/// line number. Stops early when `each` returns `false`. Returns an error message and
/// position for an unterminated quoted field or a record of more than [`MAX_FIELDS`].
pub(crate) fn read<'a>(text: &'a str, each: impl FnMut(usize, &[Field<'a>]) -> bool) -> Result<(), (Pos, String)> {
    read_from(text, 1, each)
}

/// [`read`] for a piece of a file that starts at a record boundary on line
/// `first_line` (see [`split`]): positions are the file's.
pub(crate) fn read_from<'a>(
    text: &'a str,
    first_line: usize,
    mut each: impl FnMut(usize, &[Field<'a>]) -> bool,
) -> Result<(), (Pos, String)> {
    let bom = first_line == 1 && text.starts_with('\u{feff}');
    let text_start = if bom { '\u{feff}'.len_utf8() } else { 0 };
    let bytes = text.as_bytes();
    let mut i = text_start;
    let mut line = first_line;
    let mut line_start = text_start;
    let mut fields: Vec<Field<'a>> = Vec::new();
    // The column of byte `at`, counted on from the last field of the same line.
    let mut counted = (text_start, 1usize);
    let mut col_of = |line_start: usize, at: usize| {
        if counted.0 < line_start || counted.0 > at {
            counted = (line_start, 1);
        }
        counted = (at, counted.1 + text[counted.0..at].chars().count());
        counted.1
    };
    while i < bytes.len() {
        let record_line = line;
        fields.clear();
        loop {
            let pos = Pos::new(line, col_of(line_start, i));
            if i < bytes.len() && bytes[i] == b'"' {
                // Quoted field: runs to the next lone quote; `""` is a literal quote.
                let mut value = String::new();
                let mut j = i + 1;
                let mut seg = j;
                loop {
                    if j >= bytes.len() {
                        return Err((pos, "quoted field is not closed".into()));
                    }
                    match bytes[j] {
                        b'"' if bytes.get(j + 1) == Some(&b'"') => {
                            value.push_str(&text[seg..=j]);
                            j += 2;
                            seg = j;
                        }
                        b'"' => {
                            value.push_str(&text[seg..j]);
                            j += 1;
                            break;
                        }
                        b'\n' => {
                            line += 1;
                            line_start = j + 1;
                            j += 1;
                        }
                        _ => j += 1,
                    }
                }
                fields.push(Field { text: Cow::Owned(value), pos });
                i = j;
                // Anything between the closing quote and the delimiter is kept out.
                while i < bytes.len() && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                    i += 1;
                }
            } else {
                let end = memchr::memchr3(b',', b'\n', b'\r', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                fields.push(Field { text: Cow::Borrowed(&text[i..end]), pos });
                i = end;
            }
            if fields.len() > MAX_FIELDS {
                return Err((pos, format!("a record has more than {MAX_FIELDS} fields")));
            }
            match bytes.get(i) {
                Some(b',') => i += 1,
                Some(b'\r') => {
                    i += 1;
                    if bytes.get(i) == Some(&b'\n') {
                        i += 1;
                    }
                    line += 1;
                    line_start = i;
                    break;
                }
                Some(b'\n') => {
                    i += 1;
                    line += 1;
                    line_start = i;
                    break;
                }
                _ => break,
            }
        }
        let blank = fields.len() == 1 && fields[0].text.trim().is_empty();
        if !blank && !each(record_line, &fields) {
            return Ok(());
        }
    }
    Ok(())
}

/// Where to cut `text` into pieces of about `size` bytes that [`read_from`] can read
/// independently (in parallel): each piece's byte offset and line number. Cuts are made
/// only after a line feed outside quotes, judged as [`read_from`] judges them: a quote
/// opens a quoted field only at the start of a field, `""` inside one is a literal
/// quote, and a stray quote inside an unquoted value is just a character. A file with
/// bare carriage returns as line ends is one piece.
pub(crate) fn split(text: &str, size: usize) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = vec![(0, 1)];
    let bare_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
    if bare_cr || size == 0 {
        return out;
    }
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let field_start = |q: usize| q == bom || matches!(bytes[q - 1], b',' | b'\n' | b'\r');
    let (mut counted, mut quoted, mut lines) = (0, false, 1usize);
    let mut target = size;
    while target < bytes.len() {
        let Some(nl) = memchr::memchr(b'\n', &bytes[target..]).map(|k| target + k) else { break };
        let mut skip = None;
        for q in memchr::memchr_iter(b'"', &bytes[counted..nl]).map(|k| counted + k) {
            if skip == Some(q) {
                continue;
            }
            if !quoted {
                quoted = field_start(q);
            } else if bytes.get(q + 1) == Some(&b'"') {
                skip = Some(q + 1);
            } else {
                quoted = false;
            }
        }
        lines += memchr::memchr_iter(b'\n', &bytes[counted..=nl]).count();
        counted = nl + 1;
        if !quoted && counted < bytes.len() {
            out.push((counted, lines));
            target = counted + size;
        } else {
            target = counted;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    type Rows = Vec<(usize, Vec<(String, usize, usize)>)>;

    fn all(text: &str) -> Rows {
        let mut out = Vec::new();
        read(text, |line, fields| {
            out.push((line, fields.iter().map(|f| (f.text.to_string(), f.pos.line, f.pos.col)).collect()));
            true
        })
        .unwrap();
        out
    }

    /// The records of `text` read piece by piece, cut by [`split`] at `size`.
    fn read_in_pieces(text: &str, size: usize) -> Rows {
        let cuts = split(text, size);
        let mut pieces: Rows = Vec::new();
        for (k, &(start, line)) in cuts.iter().enumerate() {
            let end = cuts.get(k + 1).map_or(text.len(), |c| c.0);
            read_from(&text[start..end], line, |line, fields| {
                pieces.push((line, fields.iter().map(|f| (f.text.to_string(), f.pos.line, f.pos.col)).collect()));
                true
            })
            .unwrap();
        }
        pieces
    }

    #[test]
    fn pieces_read_alone_give_the_same_records_and_positions_as_the_whole() {
        let text = "\u{feff}id,备注\na1,\"多\n行, 带逗号\"\r\na2,x\n\na3,\"\"\"\"\nlast,尾\n";
        let whole = all(text);
        for size in 1..text.len() {
            assert_eq!(read_in_pieces(text, size), whole, "size {size}, cuts {:?}", split(text, size));
        }
        // At every record but never inside the quoted field that spans lines 2 and 3.
        let lines: Vec<usize> = split(text, 1).iter().map(|&(_, line)| line).collect();
        assert_eq!(lines, vec![1, 2, 4, 5, 7]);
        // Stray quotes inside unquoted values and doubled quotes inside quoted ones do
        // not fool the cutter: it still never cuts inside the field of lines 3 and 4.
        let text = "id,x\nab\"c,1\nd,\"多\n\"\"行\"\nlast,\"\"\n";
        let whole = all(text);
        assert_eq!(whole.len(), 4);
        for size in 1..text.len() {
            assert_eq!(read_in_pieces(text, size), whole, "size {size}, cuts {:?}", split(text, size));
        }
        let lines: Vec<usize> = split(text, 1).iter().map(|&(_, line)| line).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
        // Bare carriage returns end lines too: such a file stays whole.
        assert_eq!(split("a\rb\rc\n", 1), vec![(0, 1)]);
    }

    #[test]
    fn fields_know_their_positions() {
        let rows = all("id,类型,团队\nc1,服务态度,客服一组\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 2);
        assert_eq!(rows[1].1[1], ("服务态度".into(), 2, 4));
        assert_eq!(rows[1].1[2], ("客服一组".into(), 2, 9));
    }

    #[test]
    fn quotes_crlf_bom_and_blank_lines() {
        let rows = all("\u{feff}a,b\r\n\"x, \"\"y\"\"\",\"多\n行\"\r\n\r\nlast,\n");
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].1[0], ("a".into(), 1, 1));
        assert_eq!(rows[1].1[0].0, "x, \"y\"");
        assert_eq!(rows[1].1[1], ("多\n行".into(), 2, 12));
        assert_eq!(rows[2].0, 5);
        assert_eq!(rows[2].1, vec![("last".into(), 5, 1), ("".into(), 5, 6)]);
    }

    #[test]
    fn a_record_of_too_many_fields_is_an_error_not_a_huge_vector() {
        // MAX_FIELDS - 1 commas make MAX_FIELDS fields: fine; one more is too many, and
        // the error points at the first field too many.
        assert_eq!(all(&format!("{}\n", ",".repeat(MAX_FIELDS - 1))).len(), 1);
        let err = read(&format!("a\n{}\n", ",".repeat(MAX_FIELDS)), |_, _| true).unwrap_err();
        assert_eq!(err, (Pos::new(2, MAX_FIELDS + 1), format!("a record has more than {MAX_FIELDS} fields")));
    }

    #[test]
    fn unclosed_quote_is_an_error_with_position() {
        let err = read("a,b\n1,\"open\n", |_, _| true).unwrap_err();
        assert_eq!(err.0, Pos::new(2, 3));
    }
}
