//! Reads the figures off built report pages by plain string scanning: tables (caption,
//! header, cells with their first link), alerts, KPI tiles and the page's meta list.
//! Each page's tables are keyed the way `expect` keys them.

use super::data::Site;
use super::expect::Cells;
use std::collections::BTreeMap;

pub type Found = BTreeMap<(String, String), Cells>;

/// Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed,
/// and the typographic minus read as `-`.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut tag = false;
    for c in html.chars() {
        match c {
            '<' => tag = true,
            '>' if tag => tag = false,
            c if !tag => out.push(c),
            _ => {}
        }
    }
    let mut s = String::new();
    let mut rest = out.as_str();
    while let Some(i) = rest.find('&') {
        s.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e < 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some(' '),
            ent if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16).ok().and_then(char::from_u32)
            }
            ent if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                s.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                s.push('&');
                rest = &rest[1..];
            }
        }
    }
    s.push_str(rest);
    s.replace('\u{2212}', "-").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The pieces of `html` between each `open` and the following `close`.
fn between<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let end = after.find(close).unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// The cells of a row in order, its header cell (`<th scope="row">`) and data cells
/// alike, each as [`between`] gives it (from after `<td`/`<th` to before its end tag).
pub(crate) fn row_cells(row: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(i) = rest.find("<t") {
        let after = &rest[i + 2..];
        let close = match after.as_bytes() {
            [b'd', b' ' | b'>', ..] => "</td>",
            [b'h', b' ' | b'>', ..] => "</th>",
            _ => {
                rest = after;
                continue;
            }
        };
        let after = &after[1..];
        let end = after.find(close).unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

/// The last path segment of the first link in a fragment.
fn href_id(html: &str) -> Option<String> {
    let h = between(html, "href=\"", "\"").into_iter().next()?;
    h.trim_end_matches('/').rsplit('/').next().map(str::to_string)
}

/// Drops `<svg>` elements (charts carry no table figures).
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("</svg>").map_or("", |e| &rest[i + e + 6..]);
    }
    out.push_str(rest);
    out
}

pub struct Table {
    pub caption: String,
    pub header: Vec<String>,
    /// Cells as (text, id of the first link).
    pub rows: Vec<Vec<(String, Option<String>)>>,
}

pub fn tables(html: &str) -> Vec<Table> {
    between(html, "<table", "</table>")
        .into_iter()
        .map(|t| {
            let caption =
                between(t, "<caption", "</caption>").first().map_or(String::new(), |c| text(&format!("<{c}")));
            let head = between(t, "<thead", "</thead>").first().copied().unwrap_or("");
            let header = between(head, "<th", "</th>").iter().map(|c| text(&format!("<{c}"))).collect();
            let body = between(t, "<tbody", "</tbody>").first().copied().unwrap_or("");
            let rows = between(body, "<tr", "</tr>")
                .iter()
                .map(|r| row_cells(r).iter().map(|c| (text(&format!("<{c}")), href_id(c))).collect())
                .collect();
            Table { caption, header, rows }
        })
        .collect()
}

fn put(found: &mut Found, table: &str, row: &str, cols: &[(&str, String)]) {
    let cells = found.entry((table.to_string(), row.to_string())).or_default();
    for (c, v) in cols {
        cells.insert(c.to_string(), v.clone());
    }
}

const SCORE_COLS: [&str; 6] = ["points", "result", "rank", "top", "streak", "change"];
const KPI_COLS: [&str; 4] = ["value", "target", "attainment", "status"];
const COMPLAINT_COLS: [&str; 6] = ["received", "decided", "within", "share", "median", "p90"];
const OPEN_COLS: [&str; 6] = ["type", "channel", "team", "received", "open", "over"];
const NPS_COLS: [&str; 5] = ["promoters", "passives", "detractors", "n", "nps"];
const ACTION_COLS: [&str; 6] = ["owner", "department", "due", "status", "done", "overdue"];

/// Parses an alert into the key `expect` gives it; `who` is the id its link names.
fn alert(found: &mut Found, t: &str, who: Option<String>) {
    let num = |s: &str| s.trim().trim_end_matches('%').to_string();
    if let (Some(a), Some(b)) = (t.find("在“"), t.find("”中已连续 ")) {
        let months = t[b..].trim_start_matches("”中已连续 ").trim_end_matches(" 个月不合格");
        // A team is marked as one: `二组（团队）在“…”`.
        let name = t[..a].trim().trim_end_matches("（团队）").to_string();
        let card = &t[a + "在“".len()..b];
        let who = who.unwrap_or_else(|| name.clone());
        put(found, "alerts", &format!("streak {card} / {who}"), &[("months", months.to_string()), ("name", name)]);
    } else if let Some(rest) = t.strip_prefix("改进行动“") {
        let (title, rest) = rest.split_once("”已逾期 ").unwrap_or((rest, ""));
        let (days, owner) = rest.split_once(" 天（负责：").unwrap_or((rest, ""));
        put(
            found,
            "alerts",
            &format!("overdue {title}"),
            &[("days", days.to_string()), ("owner", owner.trim_end_matches('）').to_string())],
        );
    } else if let Some((ty, rest)) = t.split_once("投诉时限内处理率为 ") {
        let (share, goal) = rest.split_once("，低于 ").unwrap_or((rest, ""));
        put(found, "alerts", &format!("share {ty}"), &[("share", num(share)), ("goal", num(goal))]);
    } else if let Some(n) = t.strip_suffix(" 件投诉已超过处理时限仍未结案") {
        put(found, "alerts", "open past limit", &[("count", n.to_string())]);
    } else {
        put(found, "alerts", &format!("other: {t}"), &[("text", t.to_string())]);
    }
}

/// Every figure of one report page, keyed (table, row) → column → text.
pub fn page_figures(site: &Site, html: &str) -> Found {
    let html = without_svg(html);
    let mut found = Found::new();
    let kpi_by_name = |n: &str| site.kpis.iter().find(|k| k.name == n).map(|k| k.id.clone());
    let card_by_name = |n: &str| site.cards.iter().find(|c| c.name == n).map(|c| c.id.clone());
    for dl in between(&html, "<dl class=\"page-meta\"", "</dl>") {
        for (dt, dd) in between(dl, "<dt>", "</dt>").iter().zip(between(dl, "<dd>", "</dd>")) {
            put(&mut found, "meta", &text(dt), &[("value", text(dd))]);
        }
    }
    for tile in between(&html, "<li class=\"tile", "</li>") {
        let Some(id) = href_id(tile) else { continue };
        let p = |class: &str| between(tile, &format!("<p class=\"{class}\">"), "</p>").first().map(|x| text(x));
        let mut cells = vec![("value", p("tile-value").unwrap_or_default())];
        if let Some(meta) = p("tile-meta") {
            let (status, target) = meta.split_once(" 目标 ").unwrap_or((&meta, ""));
            cells.push(("status", status.to_string()));
            cells.push(("target", target.to_string()));
        }
        if let Some(change) = p("tile-change") {
            cells.push(("change", change.trim_start_matches("较上月").trim().to_string()));
        }
        put(&mut found, "tiles", &id, &cells);
    }
    for a in between(&html, "<li class=\"alert", "</li>") {
        alert(&mut found, &text(&format!("<{a}")), href_id(a));
    }
    for t in tables(&html) {
        let h = |i: usize| t.header.get(i).map_or("", String::as_str);
        let cap = t.caption.as_str();
        let (table, cols): (String, Vec<String>) = match (h(0), h(1)) {
            ("人员", "得分") => {
                let name = cap.rsplit_once(" · ").map_or(cap, |x| x.0);
                (format!("card:{}", card_by_name(name).unwrap_or_else(|| format!("?{name}"))), strs(&SCORE_COLS))
            }
            ("月份", "得分") => {
                (format!("card:{}", card_by_name(cap).unwrap_or_else(|| format!("?{cap}"))), strs(&SCORE_COLS))
            }
            ("月份", "数值") if cap == "全组织趋势" => ("org".into(), strs(&KPI_COLS)),
            ("月份", "数值") => {
                (format!("kpi:{}", kpi_by_name(cap).unwrap_or_else(|| format!("?{cap}"))), strs(&KPI_COLS))
            }
            ("月份", "受理") => {
                let name = cap.trim_end_matches(" · 时限内处理率");
                let id = site.types.iter().find(|x| x.name == name).map_or(format!("?{name}"), |x| x.id.clone());
                (format!("ctype:{id}"), strs(&COMPLAINT_COLS))
            }
            ("编号", _) => ("open".into(), strs(&OPEN_COLS)),
            ("月份", "推荐者") => ("nps-org".into(), strs(&NPS_COLS)),
            ("团队", "推荐者") => ("nps-teams".into(), strs(&NPS_COLS)),
            ("团队", _) if cap.starts_with("团队 · ") => ("nps-trend".into(), t.header[1..].to_vec()),
            ("团队", _) => ("teams".into(), t.header[1..].to_vec()),
            ("行动", _) => ("actions".into(), strs(&ACTION_COLS)),
            ("月份", _) => (
                "kpis".into(),
                t.header[1..].iter().map(|n| kpi_by_name(n).unwrap_or_else(|| format!("?{n}"))).collect(),
            ),
            _ => (format!("?{cap}"), t.header.iter().skip(1).cloned().collect()),
        };
        for r in &t.rows {
            let Some((first, rest)) = r.split_first() else { continue };
            let key = first.1.clone().unwrap_or_else(|| first.0.clone());
            let cells: Vec<(&str, String)> = cols.iter().zip(rest).map(|(c, v)| (c.as_str(), v.0.clone())).collect();
            put(&mut found, &table, &key, &cells);
        }
    }
    found
}

/// The data-file warnings of a build's diagnostics (`data/FILE:line:col: warning: …`).
pub fn build_warnings(stderr: &str) -> Found {
    let mut found = Found::new();
    for l in stderr.lines().filter(|l| l.starts_with("data/")) {
        let mut parts = l.splitn(4, ':');
        let (Some(file), Some(line), Some(_col), Some(tail)) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if tail.starts_with(" warning:") && line.parse::<usize>().is_ok() {
            put(&mut found, "warnings", &format!("{file}:{line}"), &[("severity", "warning".into())]);
        }
    }
    found
}

fn strs(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}
