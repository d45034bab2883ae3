//! Redlines: what changed in a standard between two versions, inline.
//!
//! Pure functions: texts in, HTML out. Lines are matched first; within a changed line
//! the diff runs on tokens — one token per Chinese (or other wide) character, one per
//! Latin word or number, one per space or punctuation run — so Chinese is diffed by
//! character and English by word. Insertions are `<ins>`, deletions `<del>`; long
//! unchanged stretches are folded into `<details>` so the changes stand out without
//! JavaScript. Everything is HTML-escaped.

use similar::{ChangeTag, DiffTag, TextDiff};

/// Splits text into diff tokens: each wide character alone, words and numbers whole,
/// runs of spaces whole, every other character alone.
fn tokens(text: &str) -> Vec<&str> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    let mut start: Option<(usize, u8)> = None; // (byte start, class)
    let class = |c: char| -> u8 {
        if c.width().unwrap_or(1) >= 2 {
            0 // wide: always alone
        } else if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3 // punctuation: alone
        }
    };
    for (i, c) in text.char_indices() {
        let k = class(c);
        match start {
            Some((_, sk)) if sk == k && (k == 1 || k == 2) => {}
            Some((s, _)) => {
                out.push(&text[s..i]);
                start = Some((i, k));
            }
            None => start = Some((i, k)),
        }
    }
    if let Some((s, _)) = start {
        out.push(&text[s..]);
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A changed line pair as inline HTML: unchanged tokens plain, removed ones in `<del>`,
/// added ones in `<ins>`.
fn inline(old: &str, new: &str) -> String {
    let a = tokens(old);
    let b = tokens(new);
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut html = String::new();
    for op in diff {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_text: String = a[old_range].concat();
        let new_text: String = b[new_range].concat();
        match tag {
            DiffTag::Equal => html.push_str(&escape(&old_text)),
            DiffTag::Delete => html.push_str(&format!("<del>{}</del>", escape(&old_text))),
            DiffTag::Insert => html.push_str(&format!("<ins>{}</ins>", escape(&new_text))),
            DiffTag::Replace => {
                html.push_str(&format!("<del>{}</del><ins>{}</ins>", escape(&old_text), escape(&new_text)))
            }
        }
    }
    html
}

/// Whether two texts differ at all.
#[cfg(test)]
pub(crate) fn differs(old: &str, new: &str) -> bool {
    old != new
}

/// How many unchanged lines are kept visible around a change.
const CONTEXT: usize = 2;

/// Which text of a redline a line comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Old,
    New,
}

/// What a redline shows under a line besides its text (the images it holds), as HTML:
/// `figures(side, line)`; empty for none.
pub(crate) type Figures<'a> = dyn Fn(Side, &str) -> String + 'a;

/// The redline of a whole text: one `<div class="rl-line …">` per line, changed lines
/// diffed inline, unchanged stretches longer than the context folded into a
/// `<details>` whose summary says how many lines it holds (`{n}` in `folded_label`).
#[cfg(test)]
pub(crate) fn redline(old: &str, new: &str, folded_label: &str) -> String {
    redline_with(old, new, folded_label, &|_, _| String::new())
}

/// [`redline`] with what `figures` shows under each line: an unchanged line's figures
/// from the new text; a changed line's old figures struck out and new ones inserted,
/// when they differ.
pub(crate) fn redline_with(old: &str, new: &str, folded_label: &str, figures: &Figures) -> String {
    let diff = TextDiff::from_lines(old, new);
    // Pair deletions with insertions line by line so a changed line reads inline.
    enum Row {
        Same(String),
        Changed(String),
    }
    let mut rows: Vec<Row> = Vec::new();
    for group in diff.ops() {
        let changes: Vec<_> = diff.iter_changes(group).collect();
        let dels: Vec<String> = changes
            .iter()
            .filter(|c| c.tag() == ChangeTag::Delete)
            .map(|c| c.value().trim_end_matches(['\n', '\r']).to_string())
            .collect();
        let inss: Vec<String> = changes
            .iter()
            .filter(|c| c.tag() == ChangeTag::Insert)
            .map(|c| c.value().trim_end_matches(['\n', '\r']).to_string())
            .collect();
        if dels.is_empty() && inss.is_empty() {
            rows.extend(changes.iter().map(|c| {
                let line = c.value().trim_end_matches(['\n', '\r']);
                Row::Same(format!("{}{}", escape(line), figures(Side::New, line)))
            }));
            continue;
        }
        let n = dels.len().max(inss.len());
        for i in 0..n {
            let (o, nw) = (dels.get(i), inss.get(i));
            let mut html = match (o, nw) {
                (Some(o), Some(nw)) => inline(o, nw),
                (Some(o), None) => format!("<del>{}</del>", escape(o)),
                (None, Some(nw)) => format!("<ins>{}</ins>", escape(nw)),
                (None, None) => String::new(),
            };
            let was = o.map_or_else(String::new, |o| figures(Side::Old, o));
            let now = nw.map_or_else(String::new, |n| figures(Side::New, n));
            if was == now {
                html.push_str(&now);
            } else {
                if !was.is_empty() {
                    html.push_str(&format!("<del class=\"rl-figure\">{was}</del>"));
                }
                if !now.is_empty() {
                    html.push_str(&format!("<ins class=\"rl-figure\">{now}</ins>"));
                }
            }
            rows.push(Row::Changed(html));
        }
    }
    let mut html = String::from("<div class=\"redline\">\n");
    let mut i = 0;
    while i < rows.len() {
        match &rows[i] {
            Row::Changed(h) => {
                html.push_str(&format!("<div class=\"rl-line rl-changed\">{h}</div>\n"));
                i += 1;
            }
            Row::Same(_) => {
                let start = i;
                while i < rows.len() && matches!(rows[i], Row::Same(_)) {
                    i += 1;
                }
                let run: Vec<&String> = rows[start..i]
                    .iter()
                    .map(|r| match r {
                        Row::Same(s) | Row::Changed(s) => s,
                    })
                    .collect();
                let keep_head = if start == 0 { 0 } else { CONTEXT };
                let keep_tail = if i == rows.len() { 0 } else { CONTEXT };
                if run.len() <= keep_head + keep_tail + 1 {
                    for s in run {
                        html.push_str(&format!("<div class=\"rl-line\">{s}</div>\n"));
                    }
                } else {
                    for s in &run[..keep_head] {
                        html.push_str(&format!("<div class=\"rl-line\">{s}</div>\n"));
                    }
                    let folded = &run[keep_head..run.len() - keep_tail];
                    html.push_str(&format!(
                        "<details class=\"rl-fold\"><summary>{}</summary>\n",
                        escape(&folded_label.replace("{n}", &folded.len().to_string()))
                    ));
                    for s in folded {
                        html.push_str(&format!("<div class=\"rl-line\">{s}</div>\n"));
                    }
                    html.push_str("</details>\n");
                    for s in &run[run.len() - keep_tail..] {
                        html.push_str(&format!("<div class=\"rl-line\">{s}</div>\n"));
                    }
                }
            }
        }
    }
    html.push_str("</div>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_chinese_by_character_and_latin_by_word() {
        assert_eq!(
            tokens("投诉48小时 within 2 days."),
            vec!["投", "诉", "48", "小", "时", " ", "within", " ", "2", " ", "days", "."]
        );
        assert_eq!(tokens("服务，态度"), vec!["服", "务", "，", "态", "度"]);
    }

    #[test]
    fn chinese_is_diffed_by_character() {
        assert_eq!(
            inline("产品质量类投诉 48 小时内处理", "产品质量类投诉 36 小时内处理完毕"),
            "产品质量类投诉 <del>48</del><ins>36</ins> 小时内处理<ins>完毕</ins>"
        );
        // 顾客 → 客户 keeps the shared 客.
        assert_eq!(inline("向顾客道歉", "向客户道歉"), "向<del>顾</del>客<ins>户</ins>道歉");
    }

    #[test]
    fn english_is_diffed_by_word() {
        assert_eq!(
            inline("Reply within five minutes.", "Reply within three minutes."),
            "Reply within <del>five</del><ins>three</ins> minutes."
        );
        assert_eq!(inline("a <b> & c", "a <b> & d"), "a &lt;b&gt; &amp; <del>c</del><ins>d</ins>");
    }

    #[test]
    fn redline_marks_lines_and_folds_unchanged_stretches() {
        let old: String = (1..=12).map(|i| format!("第{i}条\n")).collect();
        let new = old.replace("第6条", "第六条").replace("第12条\n", "第12条\n新增一条\n");
        let html = redline(&old, &new, "{n} 行未改动");
        assert!(html.contains("<div class=\"rl-line rl-changed\">第<del>6</del><ins>六</ins>条</div>"), "{html}");
        assert!(html.contains("<div class=\"rl-line rl-changed\"><ins>新增一条</ins></div>"), "{html}");
        // Lines 1–3 fold (the first two lines of context are not needed at the top).
        assert!(
            html.starts_with("<div class=\"redline\">\n<details class=\"rl-fold\"><summary>3 行未改动</summary>"),
            "{html}"
        );
        // Between the changes: lines 7–12, two kept each side, 2 folded.
        assert!(html.contains("<summary>2 行未改动</summary>"), "{html}");
        assert_eq!(html.matches("<details").count(), 2);
        assert!(!differs("同", "同") && differs("同", "异"));
    }

    #[test]
    fn figures_show_under_their_lines_old_struck_and_new_inserted() {
        let figures = |side: Side, line: &str| match line.strip_prefix("![") {
            Some(rest) => format!("<img src=\"{}{}\">", if side == Side::Old { "old/" } else { "new/" }, &rest[..1]),
            None => String::new(),
        };
        let html = redline_with("![a]\n文\n![b]\n", "![a]\n字\n![c]\n", "{n}", &figures);
        assert!(html.contains("<div class=\"rl-line\">![a]<img src=\"new/a\"></div>"), "{html}");
        assert!(
            html.contains("![<del>b</del><ins>c</ins>]<del class=\"rl-figure\"><img src=\"old/b\"></del><ins class=\"rl-figure\"><img src=\"new/c\"></ins>"),
            "{html}"
        );
    }
}
