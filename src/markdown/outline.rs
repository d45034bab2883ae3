//! The first pass: headings with unique anchors, links and shortcodes with their byte
//! offsets, unfilled `[X]` blanks and hand-typed parameter values. Must not render HTML
//! or resolve links (the second pass is handed the results).

use std::collections::{BTreeSet, HashMap};

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::{items, shortcodes, Heading, Hooks, Item, LinkRef, Outline, ShortcodeRef, TextRun};

/// Turns heading text into an anchor that stays readable in Chinese: letters and digits
/// of every script are kept (Latin lowercased), spaces become `-`, punctuation —
/// ASCII and full-width alike — is dropped. `## 3.1 接待步骤` → `31-接待步骤`.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '_' {
            out.push(c);
        } else if (c == '-' || c.is_whitespace()) && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

pub(super) fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Unfilled blanks of template standards: `[X]`, `［X］`, `【X】` (any case, any width).
fn blanks(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, open) in text.char_indices() {
        if !matches!(open, '[' | '［' | '【') {
            continue;
        }
        let mut rest = text[i + open.len_utf8()..].chars();
        if matches!(rest.next(), Some('X' | 'x' | 'Ｘ' | 'ｘ')) && matches!(rest.next(), Some(']' | '］' | '】')) {
            out.push(i);
        }
    }
    out
}

/// Shortcodes of other tools, which Charter would show as text: Hugo's `{{< … >}}` and
/// `{{% … %}}`, mdBook's `{{#include …}}` and the like. The offset and the tool.
fn foreign_shortcodes(text: &str) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{{") {
        match text[i + 2..].chars().next() {
            Some('<' | '%') => out.push((i, "Hugo")),
            Some('#') => out.push((i, "mdBook")),
            _ => {}
        }
    }
    out
}

/// First pass: headings with unique anchors, links, shortcodes, blanks and hand-typed
/// numbers, each with its position. A heading's `{#custom-id}` is kept as written;
/// generated anchors that repeat get `-1`, `-2`, … appended.
pub fn outline(body: &str, hooks: &Hooks) -> Outline {
    outline_items(&items(body), hooks)
}

/// [`outline`] of a body's merged events (see [`items`]).
pub(super) fn outline_items(items: &[Item], hooks: &Hooks) -> Outline {
    let mut out = Outline::default();
    let mut used: BTreeSet<String> = BTreeSet::new();
    // The next suffix to try for each generated base, so that a heading repeated n
    // times costs n lookups, not n² / 2.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut current: Option<(u8, Option<String>, String)> = None;
    let mut github = super::anchors::GithubSlugger::default();
    let mut github_anchors: Vec<(String, String)> = Vec::new();
    for item in items {
        match item {
            Item::Text(run) => {
                let found = shortcodes::find_all(&run.text);
                let mut plain = String::new();
                let mut last = 0;
                for f in &found {
                    scan_text(run, last, &run.text[last..f.start], hooks, &mut out);
                    plain.push_str(&run.text[last..f.start]);
                    if let Ok(call) = &f.call {
                        plain.push_str(&(hooks.plain)(call));
                    }
                    out.shortcodes.push(ShortcodeRef { call: f.call.clone(), offset: run.body_offset(f.start) });
                    last = f.end;
                }
                scan_text(run, last, &run.text[last..], hooks, &mut out);
                plain.push_str(&run.text[last..]);
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&plain);
                }
            }
            Item::Event(event, offset) => match event {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    current = Some((level_number(*level), id.as_ref().map(|i| i.to_string()), String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, id, text)) = current.take() {
                        let text = text.trim().to_string();
                        let base = id.unwrap_or_else(|| slugify(&text));
                        let mut anchor = base.clone();
                        if used.contains(&anchor) {
                            let n = next_suffix.entry(base.clone()).or_insert(0);
                            loop {
                                *n += 1;
                                anchor = format!("{base}-{n}");
                                if !used.contains(&anchor) {
                                    break;
                                }
                            }
                        }
                        used.insert(anchor.clone());
                        github_anchors.push((github.slug(&text), anchor.clone()));
                        out.headings.push(Heading { level, text, anchor });
                    }
                }
                Event::Code(t) => {
                    if let Some((_, _, text)) = current.as_mut() {
                        text.push_str(t);
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    out.links.push(LinkRef { dest: dest_url.to_string(), offset: *offset, image: false });
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    out.links.push(LinkRef { dest: dest_url.to_string(), offset: *offset, image: true });
                }
                _ => {}
            },
        }
    }
    // GitHub's anchor of a heading is an alias unless Charter uses it for a heading.
    out.github = github_anchors.into_iter().filter(|(alias, _)| !used.contains(alias)).collect();
    out.anchors = used;
    out
}

/// Looks for blanks and typed numbers in `text`, which starts at `at` in `run`.
fn scan_text(run: &TextRun, at: usize, text: &str, hooks: &Hooks, out: &mut Outline) {
    out.blanks.extend(blanks(text).into_iter().map(|i| run.body_offset(at + i)));
    out.foreign_shortcodes.extend(foreign_shortcodes(text).into_iter().map(|(i, t)| (run.body_offset(at + i), t)));
    if let Some(spotter) = hooks.numbers {
        for (i, t, ids) in spotter.find(text) {
            out.typed_numbers.push((run.body_offset(at + i), t, ids));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::no_expand;

    use crate::markdown::to_html;

    #[test]
    fn blanks_are_found_in_text_but_not_in_code_or_task_lists() {
        let body = "线上回复 [X] 分钟，电话［X］秒，【x】天。\n\n- [x] 已完成\n\n`[X]`\n";
        let o = outline(body, &Hooks::none());
        let found: Vec<&str> =
            o.blanks.iter().map(|&i| &body[i..i + body[i..].chars().next().unwrap().len_utf8()]).collect();
        assert_eq!(found, ["[", "［", "【"]);
    }

    #[test]
    fn slugs_keep_chinese_and_drop_punctuation() {
        assert_eq!(slugify("投诉处理时限"), "投诉处理时限");
        assert_eq!(slugify("一、投诉处理时限"), "一投诉处理时限");
        assert_eq!(slugify("3.1 接待步骤"), "31-接待步骤");
        assert_eq!(slugify("Service Levels (一星/二星)"), "service-levels-一星二星");
        assert_eq!(slugify("「首问负责制」：谁接谁管"), "首问负责制谁接谁管");
        assert_eq!(slugify("？！"), "section");
    }

    #[test]
    fn repeated_headings_get_unique_anchors() {
        let o = outline("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n", &Hooks::none());
        let anchors: Vec<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["职责", "职责-1", "职责-2", "req"]);
        assert!(o.has_anchor("职责-2") && o.has_anchor("req") && !o.has_anchor("职责-3"));
        let html = to_html("## 职责\n\n## 职责\n\n### 职责\n\n## 要求 {#req}\n", &o, &[], &no_expand);
        assert!(html.contains("<h2 id=\"职责-1\">职责</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"req\">要求</h2>"), "{html}");
    }

    #[test]
    fn github_anchors_are_aliases_of_charters_own() {
        let o = outline("## 🚀 Launch\n\n## Q&A: refunds?\n\n## FAQ\n\n## FAQ\n\n## Plan {#plan-b}\n", &Hooks::none());
        let anchors: Vec<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["launch", "qa-refunds", "faq", "faq-1", "plan-b"]);
        assert_eq!(o.anchor("-launch"), Some("launch"));
        assert_eq!(o.anchor("launch"), Some("launch"));
        assert_eq!(o.anchor("qa-refunds"), Some("qa-refunds"));
        assert_eq!(o.anchor("faq-1"), Some("faq-1"));
        // GitHub ignores `{#…}` ids: the heading's GitHub anchor comes from its text.
        assert_eq!(o.anchor("plan"), Some("plan-b"));
        assert_eq!(o.anchor("-plan"), None);
    }

    #[test]
    fn images_are_links_too_in_document_order() {
        let body = "![地图](img/map.png) 见[表](forms/a.pdf)\n";
        let o = outline(body, &Hooks::none());
        let found: Vec<(&str, bool)> = o.links.iter().map(|l| (l.dest.as_str(), l.image)).collect();
        assert_eq!(found, [("img/map.png", true), ("forms/a.pdf", false)]);
        let html = to_html(body, &o, &[Some("../img/map.png".into()), Some("../forms/a.pdf".into())], &no_expand);
        assert!(html.contains(r#"<img src="../img/map.png" alt="地图" />"#), "{html}");
        assert!(html.contains(r#"<a href="../forms/a.pdf">表</a>"#), "{html}");
    }

    #[test]
    fn links_are_found_with_offsets_and_rewritten_in_order() {
        let body = "见[前台](../roles/front-desk.md#职责)与[外部](https://example.com)。\n";
        let o = outline(body, &Hooks::none());
        assert_eq!(o.links.len(), 2);
        assert_eq!(o.links[0].dest, "../roles/front-desk.md#职责");
        assert_eq!(&body[o.links[0].offset..o.links[0].offset + 1], "[");
        let html = to_html(body, &o, &[Some("../../roles/front-desk/#职责".into()), None], &no_expand);
        assert!(
            html.contains("href=\"../../roles/front-desk/#%E8%81%8C%E8%B4%A3\"")
                || html.contains("href=\"../../roles/front-desk/#职责\""),
            "{html}"
        );
        assert!(html.contains("href=\"https://example.com\""));
    }
}
