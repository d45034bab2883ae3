//! Redlines: what changed in a page between two versions, as readers read it.
//!
//! Pure: two pages as [`Block`]s in, HTML out. Blocks are matched first (Myers over
//! whole blocks); deleted and inserted blocks in between are paired with the most
//! alike block of the same kind, and a pair is diffed inside ([`super::diff`]).
//! Headings, paragraphs, list items, quotes and code keep their elements; tables are
//! diffed row by row and cell by cell and shown as tables. Blocks inserted or deleted
//! whole carry `rl-ins` or `rl-del` and changed ones `rl-changed`; long unchanged
//! stretches are folded into `<details>` so the changes stand out without JavaScript.

use super::blocks::{Block, Cell, Kind, Row};
use super::diff::{align, all, diff_inlines, escape, html_of, ratio, runs, Mark, Pair, Redline};

fn blocks_alike(o: &Block, n: &Block) -> Option<f64> {
    (std::mem::discriminant(&o.kind) == std::mem::discriminant(&n.kind)).then(|| ratio(&o.plain(), &n.plain()))
}

fn row_text(row: &Row) -> String {
    row.cells.iter().map(|c| super::blocks::plain(&c.inlines)).collect::<Vec<_>>().join(" | ")
}

fn rows_alike(o: &Row, n: &Row) -> Option<f64> {
    (o.head == n.head).then(|| ratio(&row_text(o), &row_text(n)))
}

/// A block of the redline as HTML, and what the page does with it: whether it is
/// unchanged (it may be folded) and whether it is a list item (kept in one list with
/// its neighbours).
struct Piece {
    html: String,
    same: bool,
    /// For a list item: whether its list is ordered.
    item: Option<bool>,
}

fn piece(step: Pair<Block>, number: Option<u32>, r: &Redline) -> Piece {
    let (block, mark, changed) = match step {
        Pair::Same(b) => (b, Mark::Same, false),
        Pair::Old(b) => (b, Mark::Del, false),
        Pair::New(b) => (b, Mark::Ins, false),
        Pair::Both(_, n) => (n, Mark::Same, true),
    };
    let class = format!("rl-block{}{}", mark.class(), if changed { " rl-changed" } else { "" });
    if block.kind == Kind::Table {
        return Piece { html: table(step, &class, r), same: !changed && mark == Mark::Same, item: None };
    }
    let text = match step {
        Pair::Both(o, n) => html_of(&diff_inlines(&o.inlines, &n.inlines), r),
        _ => html_of(&all(&block.inlines, mark), r),
    };
    let html = match block.kind {
        Kind::Heading(level) => {
            let h = level.clamp(2, 6);
            format!("<h{h} class=\"{class}\">{text}</h{h}>\n")
        }
        Kind::Paragraph => format!("<p class=\"{class}\">{text}</p>\n"),
        Kind::Item { depth, .. } => {
            let value = number.map_or_else(String::new, |n| format!(" value=\"{n}\""));
            format!("<li{value} class=\"{class} rl-depth-{}\">{text}</li>\n", depth.min(5))
        }
        Kind::Quote => format!("<blockquote class=\"{class}\"><p>{text}</p></blockquote>\n"),
        Kind::Code => format!("<pre class=\"{class}\"><code>{text}</code></pre>\n"),
        Kind::Rule => format!("<hr class=\"{class}\">\n"),
        Kind::Table => unreachable!("tables are handled above"),
    };
    let item = match block.kind {
        Kind::Item { ordered, .. } => Some(ordered),
        _ => None,
    };
    Piece { html, same: !changed && mark == Mark::Same, item }
}

/// A table of the redline: its caption and cells diffed, rows matched like blocks and
/// changed rows diffed cell by cell.
fn table(step: Pair<Block>, class: &str, r: &Redline) -> String {
    let whole = |b: &Block, mark: Mark| -> (String, Vec<(Mark, bool, Vec<String>)>) {
        let rows =
            b.rows.iter().map(|row| (mark, row.head, row.cells.iter().map(|c| cell(c, mark, r)).collect())).collect();
        (html_of(&all(&b.inlines, mark), r), rows)
    };
    let (new, (caption, rows)) = match step {
        Pair::Same(b) => (b, whole(b, Mark::Same)),
        Pair::Old(b) => (b, whole(b, Mark::Del)),
        Pair::New(b) => (b, whole(b, Mark::Ins)),
        Pair::Both(o, n) => {
            let rows = align(&o.rows, &n.rows, &rows_alike)
                .into_iter()
                .map(|p| match p {
                    Pair::Same(row) => {
                        (Mark::Same, row.head, row.cells.iter().map(|c| cell(c, Mark::Same, r)).collect())
                    }
                    Pair::Old(row) => (Mark::Del, row.head, row.cells.iter().map(|c| cell(c, Mark::Del, r)).collect()),
                    Pair::New(row) => (Mark::Ins, row.head, row.cells.iter().map(|c| cell(c, Mark::Ins, r)).collect()),
                    Pair::Both(or, nr) => (Mark::Same, nr.head, changed_cells(or, nr, r)),
                })
                .collect();
            (n, (html_of(&diff_inlines(&o.inlines, &n.inlines), r), rows))
        }
    };
    let head: Vec<String> = new
        .rows
        .iter()
        .filter(|row| row.head)
        .flat_map(|row| row.cells.iter().map(|c| super::blocks::plain(&c.inlines)))
        .collect();
    let label = match super::blocks::plain(&new.inlines) {
        c if !c.trim().is_empty() => c,
        _ => head.join(", "),
    };
    let region = if label.trim().is_empty() {
        String::new()
    } else {
        format!(" role=\"region\" tabindex=\"0\" aria-label=\"{}\"", escape(label.trim()))
    };
    let mut html = format!("<div class=\"table-wrap {class}\"{region}><table class=\"rl-table\">\n");
    if !caption.is_empty() {
        html.push_str(&format!("<caption>{caption}</caption>\n"));
    }
    for (head, open, close) in [(true, "<thead>\n", "</thead>\n"), (false, "<tbody>\n", "</tbody>\n")] {
        let part: Vec<&(Mark, bool, Vec<String>)> = rows.iter().filter(|(_, h, _)| *h == head).collect();
        if part.is_empty() {
            continue;
        }
        html.push_str(open);
        for (mark, _, cells) in part {
            let row_class = match mark {
                Mark::Same if cells.iter().any(|c| c.contains("<del>") || c.contains("<ins>")) => {
                    " class=\"rl-changed\""
                }
                Mark::Same => "",
                Mark::Del => " class=\"rl-del\"",
                Mark::Ins => " class=\"rl-ins\"",
            };
            html.push_str(&format!("<tr{row_class}>"));
            for c in cells {
                html.push_str(&if head {
                    c.replacen("<th>", "<th scope=\"col\">", 1)
                } else {
                    c.replacen("<th>", "<th scope=\"row\">", 1)
                });
            }
            html.push_str("</tr>\n");
        }
        html.push_str(close);
    }
    html.push_str("</table></div>\n");
    html
}

/// A cell with every token marked `mark`, as `<th>…</th>` or `<td>…</td>`.
fn cell(c: &Cell, mark: Mark, r: &Redline) -> String {
    let tag = if c.header { "th" } else { "td" };
    format!("<{tag}>{}</{tag}>", html_of(&all(&c.inlines, mark), r))
}

/// Two versions of a row, cell by cell; cells only one of them has are deleted or
/// inserted.
fn changed_cells(old: &Row, new: &Row, r: &Redline) -> Vec<String> {
    (0..old.cells.len().max(new.cells.len()))
        .map(|k| match (old.cells.get(k), new.cells.get(k)) {
            (Some(o), Some(n)) => {
                let tag = if n.header { "th" } else { "td" };
                format!("<{tag}>{}</{tag}>", html_of(&diff_inlines(&o.inlines, &n.inlines), r))
            }
            (Some(o), None) => cell(o, Mark::Del, r),
            (None, Some(n)) => cell(n, Mark::Ins, r),
            (None, None) => String::new(),
        })
        .collect()
}

/// How many unchanged blocks are kept visible around a change.
const CONTEXT: usize = 2;

/// The redline of a page: its blocks in order, changed ones diffed inside, deleted
/// and inserted ones marked whole; unchanged stretches longer than the context folded
/// into a `<details>` whose summary says how many blocks it holds.
pub(crate) fn redline(old: &[Block], new: &[Block], r: &Redline) -> String {
    let steps = align(old, new, &blocks_alike);
    let numbers = numbers(&steps);
    let pieces: Vec<Piece> = steps.into_iter().zip(numbers).map(|(p, n)| piece(p, n, r)).collect();
    // What shows: pieces in the open (by index) and folded stretches.
    let mut shown: Vec<Result<usize, std::ops::Range<usize>>> = Vec::new();
    for (run, same) in runs(&pieces, |p| p.same) {
        let keep_head = if run.start == 0 { 0 } else { CONTEXT };
        let keep_tail = if run.end == pieces.len() { 0 } else { CONTEXT };
        if !same || run.len() <= keep_head + keep_tail + 1 {
            shown.extend(run.map(Ok));
            continue;
        }
        shown.extend((run.start..run.start + keep_head).map(Ok));
        shown.push(Err(run.start + keep_head..run.end - keep_tail));
        shown.extend((run.end - keep_tail..run.end).map(Ok));
    }
    let mut html = String::from("<div class=\"redline\">\n");
    for (range, open) in runs(&shown, |s| s.is_ok()) {
        if open {
            let visible: Vec<&Piece> = shown[range].iter().filter_map(|s| s.clone().ok()).map(|i| &pieces[i]).collect();
            html.push_str(&listed(&visible));
            continue;
        }
        for fold in shown[range].iter().filter_map(|s| s.clone().err()) {
            let folded: Vec<&Piece> = pieces[fold].iter().collect();
            html.push_str(&format!(
                "<details class=\"rl-fold\"><summary>{}</summary>\n{}</details>\n",
                escape(&r.folded_label.replace("{n}", &folded.len().to_string())),
                listed(&folded)
            ));
        }
    }
    html.push_str("</div>\n");
    html
}

/// Pieces in order, each run of list items in one list.
fn listed(pieces: &[&Piece]) -> String {
    let mut html = String::new();
    for (range, item) in runs(pieces, |p| p.item) {
        let list = match item {
            Some(true) => "ol",
            Some(false) => "ul",
            None => "",
        };
        if !list.is_empty() {
            html.push_str(&format!("<{list} class=\"rl-list\">\n"));
        }
        pieces[range].iter().for_each(|p| html.push_str(&p.html));
        if !list.is_empty() {
            html.push_str(&format!("</{list}>\n"));
        }
    }
    html
}

/// The number each item of an ordered list shows: its place in its list on its own
/// side (the new one for unchanged and changed items), counted per depth; any other
/// block on a side ends that side's lists.
fn numbers(steps: &[Pair<Block>]) -> Vec<Option<u32>> {
    let mut counts: [Vec<u32>; 2] = [Vec::new(), Vec::new()]; // old, new
    let mut count = |side: usize, kind: Kind| -> Option<u32> {
        let c = &mut counts[side];
        match kind {
            Kind::Item { depth, ordered } => {
                let d = usize::from(depth);
                c.resize(d + 1, 0);
                c[d] += 1;
                ordered.then_some(c[d])
            }
            _ => {
                c.clear();
                None
            }
        }
    };
    steps
        .iter()
        .map(|step| match step {
            Pair::Old(b) => count(0, b.kind),
            Pair::New(b) => count(1, b.kind),
            Pair::Same(b) => {
                count(0, b.kind);
                count(1, b.kind)
            }
            Pair::Both(o, n) => {
                count(0, o.kind);
                count(1, n.kind)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::blocks::Inline;
    use crate::compute::diff::Side;

    fn t(text: &str) -> Inline {
        Inline::Text { text: text.into(), style: 0, href: None }
    }

    fn link(text: &str, href: &str) -> Inline {
        Inline::Text { text: text.into(), style: 0, href: Some(href.into()) }
    }

    fn p(inlines: Vec<Inline>) -> Block {
        Block { kind: Kind::Paragraph, inlines, rows: Vec::new() }
    }

    fn item(text: &str) -> Block {
        Block::text(Kind::Item { depth: 0, ordered: false }, text)
    }

    fn table(rows: &[(&str, &str)]) -> Block {
        let row = |head: bool, (a, b): &(&str, &str)| Row {
            head,
            cells: vec![Cell { header: head, inlines: vec![t(a)] }, Cell { header: head, inlines: vec![t(b)] }],
        };
        let mut all = vec![row(true, &("类型", "时限"))];
        all.extend(rows.iter().map(|r| row(false, r)));
        Block { kind: Kind::Table, inlines: Vec::new(), rows: all }
    }

    /// Links lead to `old/…` and `new/…`; images likewise.
    fn show(old: &[Block], new: &[Block]) -> String {
        let at = |side: Side, href: &str| Some(format!("{}/{href}", if side == Side::Old { "old" } else { "new" }));
        redline(old, new, &Redline { folded_label: "{n} 段未改动", link: &at, image: &at })
    }

    #[test]
    fn a_changed_word_in_a_paragraph_is_struck_and_inserted_in_place() {
        let html = show(&[p(vec![t("Reply within five minutes.")])], &[p(vec![t("Reply within three minutes.")])]);
        assert_eq!(
            html,
            "<div class=\"redline\">\n<p class=\"rl-block rl-changed\">Reply within <del>five</del><ins>three</ins> minutes.</p>\n</div>\n"
        );
        // Text is escaped.
        let html = show(&[p(vec![t("a <b> & c")])], &[p(vec![t("a <b> & d")])]);
        assert!(html.contains(">a &lt;b&gt; &amp; <del>c</del><ins>d</ins></p>"), "{html}");
    }

    #[test]
    fn chinese_is_diffed_by_character() {
        let html = show(&[p(vec![t("向顾客道歉")])], &[p(vec![t("向客户道歉")])]);
        // 顾客 → 客户 keeps the shared 客.
        assert!(html.contains("<p class=\"rl-block rl-changed\">向<del>顾</del>客<ins>户</ins>道歉</p>"), "{html}");
        let html =
            show(&[p(vec![t("产品质量类投诉 48 小时内处理")])], &[p(vec![t("产品质量类投诉 36 小时内处理完毕")])]);
        assert!(html.contains("产品质量类投诉 <del>48</del><ins>36</ins> 小时内处理<ins>完毕</ins>"), "{html}");
    }

    #[test]
    fn an_inserted_list_item_is_marked_whole_in_the_same_list() {
        let html = show(&[item("甲"), item("丙")], &[item("甲"), item("乙"), item("丙")]);
        assert_eq!(
            html,
            "<div class=\"redline\">\n<ul class=\"rl-list\">\n<li class=\"rl-block rl-depth-0\">甲</li>\n<li class=\"rl-block rl-ins rl-depth-0\"><ins>乙</ins></li>\n<li class=\"rl-block rl-depth-0\">丙</li>\n</ul>\n</div>\n"
        );
    }

    #[test]
    fn ordered_items_keep_their_numbers_on_their_own_side() {
        let step = |text: &str| Block::text(Kind::Item { depth: 0, ordered: true }, text);
        let html = show(&[step("登记"), step("送别")], &[step("接待"), step("登记"), step("送别")]);
        assert_eq!(
            html,
            "<div class=\"redline\">\n<ol class=\"rl-list\">\n<li value=\"1\" class=\"rl-block rl-ins rl-depth-0\"><ins>接待</ins></li>\n<li value=\"2\" class=\"rl-block rl-depth-0\">登记</li>\n<li value=\"3\" class=\"rl-block rl-depth-0\">送别</li>\n</ol>\n</div>\n"
        );
        // A deleted item shows the number it had.
        let html = show(&[step("甲"), step("乙"), step("丙")], &[step("甲"), step("丙")]);
        assert!(html.contains("<li value=\"2\" class=\"rl-block rl-del rl-depth-0\"><del>乙</del></li>\n<li value=\"2\" class=\"rl-block rl-depth-0\">丙</li>"), "{html}");
    }

    #[test]
    fn a_changed_table_cell_is_diffed_inside_its_table() {
        let old = table(&[("服务态度", "24 小时"), ("产品质量", "48 小时")]);
        let new = table(&[("服务态度", "24 小时"), ("产品质量", "36 小时"), ("物流", "72 小时")]);
        let html = show(&[old], &[new]);
        assert!(
            html.contains("<div class=\"table-wrap rl-block rl-changed\" role=\"region\" tabindex=\"0\" aria-label=\"类型, 时限\"><table class=\"rl-table\">\n<thead>\n<tr><th scope=\"col\">类型</th><th scope=\"col\">时限</th></tr>\n</thead>\n<tbody>\n<tr><td>服务态度</td><td>24 小时</td></tr>\n"),
            "{html}"
        );
        assert!(
            html.contains("<tr class=\"rl-changed\"><td>产品质量</td><td><del>48</del><ins>36</ins> 小时</td></tr>\n"),
            "{html}"
        );
        assert!(
            html.contains("<tr class=\"rl-ins\"><td><ins>物流</ins></td><td><ins>72 小时</ins></td></tr>\n</tbody>"),
            "{html}"
        );
        assert!(!html.contains('|'), "no table syntax: {html}");
    }

    #[test]
    fn a_changed_heading_stays_a_heading() {
        let html = show(&[Block::text(Kind::Heading(2), "投诉时限")], &[Block::text(Kind::Heading(2), "处理时限")]);
        assert!(html.contains("<h2 class=\"rl-block rl-changed\"><del>投诉</del><ins>处理</ins>时限</h2>"), "{html}");
        // The page title (level 1) shows below the redline page's own title.
        let html = show(&[Block::text(Kind::Heading(1), "甲")], &[Block::text(Kind::Heading(1), "甲")]);
        assert!(html.contains("<h2 class=\"rl-block\">甲</h2>"), "{html}");
    }

    #[test]
    fn links_stay_links_each_side_leading_to_its_own_version() {
        let old = p(vec![t("见"), link("服务", "../a/"), t("。")]);
        let new = p(vec![t("见"), link("服务改进", "../a/"), t("。")]);
        let html = show(std::slice::from_ref(&old), &[new]);
        assert!(html.contains(">见<a href=\"new/../a/\">服务<ins>改进</ins></a>。</p>"), "{html}");
        // A deleted link leads into the old version; one it cannot lead to is text.
        let gone = p(vec![t("见。")]);
        let html = show(std::slice::from_ref(&old), std::slice::from_ref(&gone));
        assert!(html.contains("见<a href=\"old/../a/\"><del>服务</del></a>。"), "{html}");
        let nowhere = |side: Side, href: &str| (side == Side::New).then(|| href.to_string());
        let r = Redline { folded_label: "{n}", link: &nowhere, image: &nowhere };
        let html = redline(&[old], &[gone], &r);
        assert!(html.contains("见<del>服务</del>。") && !html.contains("<a "), "{html}");
    }

    #[test]
    fn images_show_old_struck_and_new_inserted() {
        let img = |src: &str, alt: &str| p(vec![Inline::Image { src: src.into(), alt: alt.into(), href: None }]);
        let html = show(&[img("a.png", "柜台"), p(vec![t("文")])], &[img("b.png", "新柜台"), p(vec![t("文")])]);
        assert!(
            html.contains("<del><img class=\"rl-image\" src=\"old/a.png\" alt=\"柜台\" loading=\"lazy\"></del>"),
            "{html}"
        );
        assert!(
            html.contains("<ins><img class=\"rl-image\" src=\"new/b.png\" alt=\"新柜台\" loading=\"lazy\"></ins>"),
            "{html}"
        );
    }

    #[test]
    fn unchanged_stretches_fold_around_changes() {
        let old: Vec<Block> = (1..=12).map(|i| p(vec![t(&format!("第{i}条"))])).collect();
        let mut new = old.clone();
        new[5] = p(vec![t("第六条")]);
        new.push(p(vec![t("新增一条")]));
        let html = show(&old, &new);
        assert!(html.contains("<p class=\"rl-block rl-changed\">第<del>6</del><ins>六</ins>条</p>"), "{html}");
        assert!(html.contains("<p class=\"rl-block rl-ins\"><ins>新增一条</ins></p>"), "{html}");
        // Blocks 1–3 fold (no context is needed at the top); between the changes,
        // blocks 7–12 keep two each side and fold 2.
        assert!(
            html.starts_with("<div class=\"redline\">\n<details class=\"rl-fold\"><summary>3 段未改动</summary>"),
            "{html}"
        );
        assert!(html.contains("<summary>2 段未改动</summary>"), "{html}");
        assert_eq!(html.matches("<details").count(), 2);
    }

    #[test]
    fn unrelated_blocks_are_deleted_and_inserted_not_diffed() {
        let html = show(&[p(vec![t("完全不同的旧段落")])], &[p(vec![t("Entirely new text")])]);
        assert!(html.contains("<p class=\"rl-block rl-del\"><del>完全不同的旧段落</del></p>\n<p class=\"rl-block rl-ins\"><ins>Entirely new text</ins></p>"), "{html}");
    }
}
