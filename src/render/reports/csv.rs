//! A report table as a CSV download: the header row and the rows exactly as the page
//! shows them (same rounding, same units), so that the file and the page never
//! disagree. UTF-8 with a byte-order mark (spreadsheet programs otherwise read Chinese
//! as the system's legacy code page), CRLF line ends and RFC 4180 quoting.
//!
//! A cell that a spreadsheet would run as a formula (`=…`, `@…`, or `+`/`-` not
//! followed by a digit) gets a leading `'`, the usual guard against CSV injection: names
//! come from data files, and opening a report must not run anything.

use crate::base::text_safety;

use super::Table;

/// The byte-order mark every CSV starts with.
pub(super) const BOM: &str = "\u{feff}";

/// The CSV text of `table`: its header cells, then one line per row, then `more`
/// (lines written by [`push_line`] of rows the page does not show).
pub(super) fn table_csv(table: &Table, more: &str) -> String {
    let mut out = String::from(BOM);
    push_line(&mut out, table.head.iter().map(String::as_str));
    for row in &table.rows {
        push_line(&mut out, row.iter().map(|c| c.text.as_str()));
    }
    out.push_str(more);
    out
}

/// Appends one CSV line of `cells` to `out`.
pub(super) fn push_line<'c>(out: &mut String, cells: impl Iterator<Item = &'c str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field(c));
    }
    out.push_str("\r\n");
}

/// One field: a name holding a direction override between isolates (as on the page,
/// where it sits in a `<bdi>`), guarded against formulas, quoted when it holds a
/// comma, quote or line break (a quote doubled inside).
fn field(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let text = text_safety::isolate_if_needed(text);
    let guarded = if formula_like(&text) { Cow::Owned(format!("'{text}")) } else { text };
    if guarded.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

fn formula_like(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.next().is_some_and(|c| c.is_ascii_digit() || c == '.'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{cell, Table};
    use super::*;

    #[test]
    fn quotes_commas_quotes_and_line_breaks_and_starts_with_a_bom() {
        let t = Table {
            caption: "c".into(),
            head: vec!["月份".into(), "数值, 分".into()],
            rows: vec![
                vec![cell("2026-10"), cell("4.31 分")],
                vec![cell("他说\"好\""), cell("一\n二")],
                vec![cell("+1.5"), cell("−0.2")],
            ],
        };
        assert_eq!(
            table_csv(&t, ""),
            "\u{feff}月份,\"数值, 分\"\r\n2026-10,4.31 分\r\n\"他说\"\"好\"\"\",\"一\n二\"\r\n+1.5,−0.2\r\n"
        );
    }

    #[test]
    fn formulas_are_neutralised_but_signed_numbers_are_not() {
        assert_eq!(field("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(field("@cmd"), "'@cmd");
        assert_eq!(field("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(field("-x"), "'-x");
        assert_eq!(field("+1.5"), "+1.5");
        assert_eq!(field("-0.3"), "-0.3");
        assert_eq!(field("+"), "'+");
        assert_eq!(field("张敏"), "张敏");
        assert_eq!(field("张\u{202E}敏"), "\u{2068}张\u{202E}敏\u{2069}");
    }
}
