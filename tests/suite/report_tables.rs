//! Issue 19, item 3: report tables that read right and offer their numbers as CSV.
//! Over every data table of the example's output (both sites, every release): one
//! header cell per column, `scope` on every header cell, and every row as wide as the
//! header; every CSV link of a report page resolves to a file beside it that starts
//! with a UTF-8 byte-order mark and holds the table's header and rows.

use std::path::Path;
use std::sync::OnceLock;

use crate::common::*;
use crate::example_site::built_example;

/// A table of the output: its header row and body rows, cells as text with their
/// `colspan`, and whether each header cell has a `scope`.
struct HtmlTable {
    head: Vec<String>,
    head_width: usize,
    rows: Vec<Vec<String>>,
    row_widths: Vec<usize>,
    /// Whether every body row starts with a `<th scope="row">` naming it.
    rows_named: bool,
    th_without_scope: Vec<String>,
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        let Some(j) = rest[i..].find(close) else { break };
        out.push(&rest[i..i + j + close.len()]);
        rest = &rest[i + j + close.len()..];
    }
    out
}

/// The visible text of an HTML fragment: tags dropped, entities decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The cells of a row: (tag name, attributes, inner HTML).
fn cells(tr: &str) -> Vec<(&str, &str, &str)> {
    static CELL: OnceLock<regex::Regex> = OnceLock::new();
    let re = CELL.get_or_init(|| regex::Regex::new(r"(?s)<(th|td)(\s[^>]*)?>(.*?)</(?:th|td)>").unwrap());
    // Borrow from `tr` rather than the captures.
    re.captures_iter(tr)
        .map(|c| {
            let name = c.get(1).unwrap();
            let attrs = c.get(2).map_or(&tr[0..0], |m| &tr[m.range()]);
            (&tr[name.range()], attrs, &tr[c.get(3).unwrap().range()])
        })
        .collect()
}

fn colspan(attrs: &str) -> usize {
    regex::Regex::new(r#"colspan="(\d+)""#).unwrap().captures(attrs).map_or(1, |c| c[1].parse().unwrap())
}

fn parse_table(html: &str) -> HtmlTable {
    let thead = between(html, "<thead", "</thead>");
    let tbody = between(html, "<tbody", "</tbody>");
    let head_cells = thead.first().map(|h| cells(h)).unwrap_or_default();
    let mut th_without_scope = Vec::new();
    let all_rows = tbody.first().map(|b| between(b, "<tr", "</tr>")).unwrap_or_default();
    for (name, attrs, inner) in
        head_cells.iter().chain(all_rows.iter().flat_map(|r| cells(r)).collect::<Vec<_>>().iter())
    {
        if *name == "th" && !attrs.contains("scope=\"") {
            th_without_scope.push(text(inner));
        }
    }
    HtmlTable {
        head: head_cells.iter().map(|c| text(c.2)).collect(),
        head_width: head_cells.iter().map(|c| colspan(c.1)).sum(),
        rows: all_rows.iter().map(|r| cells(r).iter().map(|c| text(c.2)).collect()).collect(),
        row_widths: all_rows.iter().map(|r| cells(r).iter().map(|c| colspan(c.1)).sum()).collect(),
        rows_named: all_rows
            .iter()
            .all(|r| cells(r).first().is_some_and(|(name, attrs, _)| *name == "th" && attrs.contains("scope=\"row\""))),
        th_without_scope,
    }
}

/// Every data table (`class="data-table …"`) of every page of the built example.
fn data_tables(site: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, bytes) in tree(&site.join("site")).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(&bytes);
        for t in between(&html, "<table class=\"data-table", "</table>") {
            out.push((path.clone(), t.to_string()));
        }
    }
    out
}

#[test]
fn every_report_table_has_one_scoped_header_cell_per_column() {
    let site = built_example();
    let tables = data_tables(site.path());
    assert!(tables.len() > 150, "the example has report tables in both sites: {}", tables.len());
    let mut wrong = Vec::new();
    for (path, html) in &tables {
        let t = parse_table(html);
        if t.head_width == 0 {
            wrong.push(format!("{path}: a table without header cells"));
        }
        for (row, width) in t.rows.iter().zip(&t.row_widths) {
            if *width != t.head_width {
                wrong
                    .push(format!("{path}: {} header cells {:?} over a row of {width}: {row:?}", t.head_width, t.head));
                break;
            }
        }
        // Every report table's rows are named by their first cell (a month, team,
        // person, page, complaint or action).
        if html.contains("report-table") && !t.rows_named {
            wrong.push(format!("{path}: rows without a row header: {:?}", t.head));
        }
        if !t.th_without_scope.is_empty() {
            wrong.push(format!("{path}: header cells without scope: {:?}", t.th_without_scope));
        }
    }
    assert!(wrong.is_empty(), "{} of {} tables are mislabelled:\n{}", wrong.len(), tables.len(), wrong.join("\n"));
}

/// RFC 4180 records of `text` (CRLF line ends, `"` quoting with doubled quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the last record ends with CRLF");
    records
}

#[test]
fn every_report_table_links_a_csv_of_the_same_numbers() {
    let site = built_example();
    let root = site.path().join("site");
    let files = tree(&root);
    let mut checked = 0;
    let link = regex::Regex::new(r#"<a href="([^"]+\.csv)" download"#).unwrap();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for section in between(&html, "<section class=\"report-section", "</section>") {
            let Some(table) = between(section, "<table", "</table>").into_iter().next() else {
                assert!(!section.contains(".csv"), "{path}: a CSV link without a table");
                assert!(!section.contains("<svg"), "{path}: a chart without its table and CSV");
                continue;
            };
            let href =
                link.captures(section).unwrap_or_else(|| panic!("{path}: a table without a CSV link"))[1].to_string();
            let csv_path = Path::new(path).parent().unwrap().join(&href);
            let csv_path = csv_path.to_str().unwrap();
            let bytes = files.get(csv_path).unwrap_or_else(|| panic!("{path}: {href} does not resolve"));
            let csv = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{csv_path}: not UTF-8: {e}"));
            let body = csv.strip_prefix('\u{feff}').unwrap_or_else(|| panic!("{csv_path}: no byte-order mark"));
            let t = parse_table(table);
            let mut expected = vec![t.head.clone()];
            expected.extend(t.rows.clone());
            assert_eq!(parse_csv(body), expected, "{csv_path} differs from its table on {path}");
            checked += 1;
        }
    }
    assert!(checked > 150, "{checked} tables with CSV");
    // A CSV is as public as its page: the public site has only the performance page's.
    let public: Vec<&String> = files.keys().filter(|p| p.starts_with("public/") && p.ends_with(".csv")).collect();
    let performance = |p: &str| p.starts_with("public/performance/") || p.starts_with("public/en/performance/");
    assert!(!public.is_empty() && public.iter().all(|p| performance(p)), "{public:?}");
    // Search indexes pages, never a CSV.
    for (p, b) in files.iter().filter(|(p, _)| p.contains("search")) {
        assert!(!String::from_utf8_lossy(b).contains(".csv"), "{p} indexes a CSV");
    }
}
