//! Tables that do not render as tables: lines that start with `|` but end up inside a
//! paragraph, so readers see pipes. Found by comparing the parser's paragraphs with
//! the source lines; rows split only by blank lines are one table, so one mistake gives
//! one warning. Pure: offsets and explanations, no diagnostics.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// A table in the source that renders as a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenTable {
    /// Byte offset in the body of the first `|` of its first row.
    pub(crate) offset: usize,
    /// What is wrong, for the help line.
    pub(crate) help: String,
}

/// A source line without its indentation and blockquote markers.
fn content(line: &str) -> &str {
    line.trim_start_matches([' ', '\t', '>'])
}

fn is_row(line: &str) -> bool {
    let c = content(line);
    c.starts_with('|') && c[1..].contains('|')
}

/// `|---|:--:|` (pipes, dashes, colons and spaces only, with a dash).
fn is_delimiter(line: &str) -> bool {
    let c = content(line).trim_end();
    c.contains('-') && c.contains('|') && c.chars().all(|ch| matches!(ch, '|' | '-' | ':' | ' ' | '\t'))
}

/// The cells of a row, as GFM counts them (outer pipes optional, `\|` is text).
fn cells(line: &str) -> usize {
    let c = content(line).trim_end();
    let c = c.strip_prefix('|').unwrap_or(c);
    let c = c.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(c);
    1 + c.match_indices('|').filter(|(i, _)| *i == 0 || c.as_bytes()[i - 1] != b'\\').count()
}

/// Paragraphs of `body` as byte ranges of whole lines, outside code blocks.
fn paragraphs(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) => start = Some(range.start),
            Event::End(TagEnd::Paragraph) => {
                if let Some(s) = start.take() {
                    out.push((body[..s].rfind('\n').map_or(0, |i| i + 1), range.end));
                }
            }
            _ => {}
        }
    }
    out
}

/// Every table of `body` that renders as a paragraph, in source order.
pub(crate) fn broken_tables(body: &str) -> Vec<BrokenTable> {
    if !body.lines().any(is_row) {
        return Vec::new();
    }
    // The rows in paragraphs: (offset of the line, line, start of its paragraph).
    let mut rows: Vec<(usize, &str, usize)> = Vec::new();
    for (start, end) in paragraphs(body) {
        let mut at = start;
        for line in body[start..end].split_inclusive('\n') {
            if is_row(line) {
                rows.push((at, line.trim_end_matches(['\n', '\r']), start));
            }
            at += line.len();
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        // A group: rows whose gaps in the source are blank lines only.
        let mut j = i + 1;
        while j < rows.len() && body[rows[j - 1].0 + rows[j - 1].1.len()..rows[j].0].trim().is_empty() {
            j += 1;
        }
        let group = &rows[i..j];
        let (offset, first, paragraph) = group[0];
        let pipe = offset + first.find('|').unwrap_or(0);
        let split = group.windows(2).position(|w| w[0].2 != w[1].2);
        // The rows above a blank line that rendered as a table of their own.
        let before = body[..offset].trim_end();
        let blank_above = body[before.len()..offset].matches('\n').count() >= 2;
        let help = if blank_above && is_row(before.rsplit('\n').next().unwrap_or("")) {
            "a blank line splits this table above this row: remove it so the rows stay in one table".to_string()
        } else if let Some(n) = split {
            format!("a blank line splits this table after its row {}: remove it so the rows stay together", n + 1)
        } else if let Some(&(_, delim, _)) = group.iter().find(|r| is_delimiter(r.1)) {
            if group[0].1 == delim {
                "the table has no header row: put a row of column names above the delimiter row `|---|`".to_string()
            } else if paragraph < offset {
                "a table must start after a blank line: put one above its header row".to_string()
            } else {
                format!(
                    "the delimiter row has {} cell(s) but the header row has {}: give it one `---` per column",
                    cells(delim),
                    cells(first)
                )
            }
        } else {
            "the delimiter row `|---|` is missing: put one (one `---` per column) under the header row".to_string()
        };
        out.push(BrokenTable { offset: pipe, help });
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn helps(body: &str) -> Vec<(usize, String)> {
        broken_tables(body).into_iter().map(|b| (b.offset, b.help)).collect()
    }

    #[test]
    fn tables_that_render_are_left_alone() {
        assert!(helps("| a | b |\n|---|---|\n| 1 | 2 |\n").is_empty());
        assert!(helps("text\n\n| a |\n| - |\n| 1 |\n\n> | q | r |\n> |---|---|\n").is_empty());
        assert!(helps("```\n| a | b |\n| 1 | 2 |\n```\n").is_empty());
        assert!(helps("a | b\n`|x|` and | pipes\n").is_empty());
    }

    #[test]
    fn a_blank_line_between_rows_is_one_warning_at_the_first_row() {
        let body = "intro\n\n| a | b |\n\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            helps(body),
            vec![(
                7,
                "a blank line splits this table after its row 1: remove it so the rows stay together".to_string()
            )]
        );
    }

    #[test]
    fn rows_cut_off_a_table_by_a_blank_line_are_named() {
        let body = "| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n| 5 | 6 |\n";
        assert_eq!(
            helps(body),
            vec![(
                31,
                "a blank line splits this table above this row: remove it so the rows stay in one table".to_string()
            )]
        );
    }

    #[test]
    fn a_missing_or_malformed_delimiter_row_is_named() {
        assert_eq!(
            helps("| a | b |\n| 1 | 2 |\n"),
            vec![(
                0,
                "the delimiter row `|---|` is missing: put one (one `---` per column) under the header row".to_string()
            )]
        );
        assert_eq!(
            helps("  | a | b | c |\n  |---|---|\n  | 1 | 2 | 3 |\n"),
            vec![(
                2,
                "the delimiter row has 2 cell(s) but the header row has 3: give it one `---` per column".to_string()
            )]
        );
        assert_eq!(helps("|---|---|\n| 1 | 2 |\n")[0].1.split(':').next(), Some("the table has no header row"));
        assert_eq!(helps("| a |\n| 1 |\n\n| 2 |\n| 3 |\n").len(), 1, "one table, one warning");
    }

    #[test]
    fn cells_are_counted_as_gfm_does() {
        assert_eq!(cells("| a | b |"), 2);
        assert_eq!(cells("a | b"), 2);
        assert_eq!(cells("| a \\| b | c |"), 2);
        assert_eq!(cells("|---|"), 1);
    }
}
