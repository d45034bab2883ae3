//! Raw HTML and hostile URLs: the allow-list sanitiser (ammonia), the placeholders that
//! hold shortcode HTML out of it, the nesting limit beyond which raw HTML is text, and
//! the URL schemes and heading attributes that are dropped. Must not parse markdown.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event};

use super::Item;

/// Noncharacter around the number of a shortcode's placeholder while a page with raw
/// HTML is sanitised. The same character in the source becomes U+FFFD (same length in
/// UTF-8, so offsets stay valid), so every placeholder in the sanitised HTML is ours.
pub(super) const MARK: char = '\u{FDD0}';

/// Replaces [`MARK`] in text that came from the source.
pub(super) fn scrub(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(MARK) {
        std::borrow::Cow::Owned(s.replace(MARK, "\u{FFFD}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Deepest nesting of elements a page with raw HTML may have (markdown's own elements
/// included) for its raw HTML to be kept: Chromium's HTML parser nests no deeper either.
pub(crate) const MAX_RAW_DEPTH: usize = 512;

/// How deep the elements of a page nest: markdown's own tags, and the tags of its raw
/// HTML counted as a tokenizer would (void elements and `/>` do not open one).
pub(super) fn nesting_depth(items: &[Item]) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for item in items {
        match item {
            Item::Event(Event::Start(_), _) => depth += 1,
            Item::Event(Event::End(_), _) => depth = depth.saturating_sub(1),
            Item::Event(Event::Html(t) | Event::InlineHtml(t), _) => {
                let b = t.as_bytes();
                for at in memchr::memchr_iter(b'<', b) {
                    match b.get(at + 1) {
                        Some(b'/') => depth = depth.saturating_sub(1),
                        Some(c) if c.is_ascii_alphabetic() => {
                            let name_len = b[at + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                            let name = &t[at + 1..at + 1 + name_len];
                            let end = memchr::memchr(b'>', &b[at..]).map(|e| at + e);
                            let closed = end.is_some_and(|e| e > at && b[e - 1] == b'/');
                            if !closed && !VOID.iter().any(|v| name.eq_ignore_ascii_case(v)) {
                                depth += 1;
                                max = max.max(depth);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        max = max.max(depth);
    }
    max
}

/// HTML elements that have no end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// `html` with each placeholder `MARK n MARK` replaced by `held[n]` (stray marks dropped).
pub(super) fn splice(html: &str, held: &[String]) -> String {
    if held.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + held.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(MARK) {
            if let Some(h) = after[..digits].parse::<usize>().ok().and_then(|n| held.get(n)) {
                out.push_str(h);
            }
            rest = &after[digits + MARK.len_utf8()..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Heading attributes (`## Title {key=value}`) that are kept: `lang`, `dir` and `title`.
/// Anything else (`onclick`, `style`, …) is dropped.
pub(super) fn heading_attribute_allowed(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "lang" | "dir" | "title")
}

/// Schemes a link or image URL must not have: they run script (`javascript:`,
/// `vbscript:`) or carry a document of their own (`data:`).
const BLOCKED_SCHEMES: &[&str] = &["javascript", "vbscript", "data"];

/// Whether `url` has a blocked scheme as a browser reads it: leading and trailing
/// control characters and spaces stripped, tabs and newlines anywhere removed, the
/// scheme compared case-insensitively. (Entities such as `&#106;` are already decoded
/// by the markdown parser.)
pub(crate) fn dangerous_url(url: &str) -> bool {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        if c == ':' {
            return BLOCKED_SCHEMES.contains(&scheme.as_str());
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) || scheme.len() > 16 {
            return false;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    false
}

/// `url`, or an empty URL when it has a blocked scheme.
pub(super) fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if dangerous_url(&url) {
        CowStr::Borrowed("")
    } else {
        url
    }
}

/// The allow-list sanitiser for pages with raw HTML: ammonia's defaults (common
/// formatting, structural and table tags; `http`, `https`, `mailto`, `tel` and other
/// harmless URL schemes plus relative URLs; scripts, styles, event handlers, forms,
/// frames, SVG and MathML removed) widened to keep everything the markdown renderer
/// itself emits: heading ids and classes, `div` ids and the `table-wrap` and footnote
/// classes, the table wrapper's `role="region"`, `tabindex="0"` and ARIA label, footnote `sup` classes, `code` language classes, task-list checkboxes (any
/// `input` becomes a disabled checkbox) and table cell alignment (`style` limited to `text-align`). Links get no `rel` added.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // A disabled checkbox whatever the source says (no text fields).
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("div", ["class", "id", "role", "tabindex", "aria-label", "aria-labelledby"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("p", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_generic_attributes(["dir"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .link_rel(None)
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            ("code", "class") => {
                let kept: Vec<&str> = value.split_whitespace().filter(|c| c.starts_with("language-")).collect();
                (!kept.is_empty()).then(|| kept.join(" ").into())
            }
            ("div", "class") => {
                let callout =
                    value.strip_prefix("callout callout-").is_some_and(|k| k.bytes().all(|b| b.is_ascii_lowercase()));
                (matches!(value, "table-wrap" | "footnote-definition") || callout).then(|| value.into())
            }
            ("p", "class") => (value == "callout-title").then(|| value.into()),
            // The table wrapper's scrollable region (never a focus trap: tabindex 0 only),
            // a callout's note.
            ("div", "role") => matches!(value, "region" | "note").then(|| value.into()),
            ("div", "tabindex") => (value == "0").then(|| value.into()),
            ("sup", "class") => {
                matches!(value, "footnote-reference" | "footnote-definition-label").then(|| value.into())
            }
            _ => Some(value.into()),
        });
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, ["id", "class"]);
    }
    b
});

/// Sanitises HTML with the allow-list of [`SANITISER`].
pub(crate) fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::test_support::{demo_expand, no_expand};

    use crate::markdown::{outline, render, to_html, Body, Hooks};

    fn raw(body: &str, keep_raw: bool) -> Body {
        render(body, &outline(body, &Hooks::none()), &[], &demo_expand, keep_raw)
    }

    const HOSTILE: &str = "<script>alert(1)</script>\n\n\
        段落 <img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\">a</a> <kbd>Ctrl</kbd>\n\n\
        <svg><script>alert(1)</script><circle r=\"1\"/></svg>\n\n\
        <math><mi>x</mi></math>\n\n\
        <iframe src=\"https://evil.example\"></iframe>\n\n\
        <style>body{display:none}</style>\n\n\
        <form action=\"https://evil.example\"><input type=\"text\" name=\"p\"><button>b</button></form>\n\n\
        <details><summary>更多</summary>内容 <b onclick=\"x()\">粗</b></details>\n\n\
        <p style=\"position:fixed\" class=\"notice\" id=\"main\">p</p>\n\n\
        {{ param(id=\"online_reply_minutes\") }}\n";

    #[test]
    fn raw_html_is_sanitised_and_harmless_tags_and_shortcodes_stay() {
        let b = raw(HOSTILE, false);
        assert!(b.trusted.is_none());
        let html = b.html.to_ascii_lowercase();
        for bad in [
            "<script",
            "onerror",
            "onclick",
            "javascript:",
            "<svg",
            "<circle",
            "<math",
            "<mi",
            "<iframe",
            "<style",
            "display:none",
            "<form",
            "<button",
            "type=\"text\"",
            "position:fixed",
            "id=\"main\"",
            "class=\"notice\"",
        ] {
            assert!(!html.contains(bad), "{bad} survived:\n{}", b.html);
        }
        // A raw `<input type="text">` becomes a disabled checkbox, its name dropped.
        assert!(html.contains("<input type=\"checkbox\" disabled=\"\">b"), "{}", b.html);
        for good in ["<kbd>ctrl</kbd>", "<details><summary>更多</summary>内容 <b>粗</b></details>", "<img src=\"x\">"]
        {
            assert!(html.contains(good), "{good} missing:\n{}", b.html);
        }
        // The shortcode's own HTML is spliced back in, attributes and all.
        assert!(b.html.contains("<span class=\"param\">5 分钟</span>"), "{}", b.html);
    }

    #[test]
    fn trusted_raw_html_is_kept_as_written_when_asked_for() {
        let b = raw(HOSTILE, true);
        let trusted = b.trusted.unwrap();
        assert!(trusted.contains("<script>alert(1)</script>") && trusted.contains("<iframe"), "{trusted}");
        assert!(trusted.contains("<span class=\"param\">5 分钟</span>"), "{trusted}");
        assert!(!b.html.contains("<script"));
        // A page without raw HTML has one rendering only.
        assert_eq!(raw("纯文本 {{ param(id=\"x\") }}\n", true).trusted, None);
    }

    #[test]
    fn a_harmless_tag_changes_nothing_else_but_serialisation() {
        let body = "# 标题 {#top .big}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] 完成\n- [ ] 待办\n\n\
            注[^1] ~~旧~~ ![图](a.png \"t\") [链接](../a/ \"tt\")  \n换行\n\n---\n\n```rust\nfn x() {}\n```\n\n\
            {{ params_table(ids=[\"a\"]) }}\n\n[^1]: 脚注\n";
        let plain = raw(body, false).html;
        let with = raw(&format!("{body}\n<kbd>Ctrl</kbd>\n"), false).html;
        // html5ever writes void elements without `/` and styles without spaces.
        let normalised = plain.replace("\"/>", "\">").replace(" />", ">").replace("text-align: ", "text-align:");
        assert_eq!(with, format!("{normalised}<p><kbd>Ctrl</kbd></p>\n"));
    }

    #[test]
    fn placeholder_marks_typed_in_the_source_are_not_spliced() {
        let body = "<b title=\"\u{FDD0}0\u{FDD0}\">x</b> \u{FDD0}0\u{FDD0} {{ param(id=\"x\") }}\n";
        let b = raw(body, true);
        assert_eq!(b.html.matches("class=\"param\"").count(), 1, "{}", b.html);
        assert_eq!(b.trusted.unwrap().matches("class=\"param\"").count(), 1);
        assert!(b.html.contains("title=\"\u{FFFD}0\u{FFFD}\""), "{}", b.html);
    }

    #[test]
    fn dangerous_link_and_image_urls_are_emptied() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "java&#9;script:alert(1)",
            "&#x20;javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>alert(1)</script>",
            "DATA:image/svg+xml;base64,PHN2Zz4=",
            "<javascript:alert(1)>",
        ] {
            for body in [format!("[x]({url})"), format!("![x]({url})"), format!("[x]\n\n[x]: {url}")] {
                let html = to_html(&body, &outline(&body, &Hooks::none()), &[], &no_expand);
                let lower = html.to_ascii_lowercase();
                assert!(!lower.contains("script:") && !lower.contains("data:"), "{body} → {html}");
            }
        }
        let autolink = "<javascript:alert(1)>\n";
        let html = to_html(autolink, &outline(autolink, &Hooks::none()), &[], &no_expand);
        assert!(html.contains("href=\"\""), "{html}");
        assert!(dangerous_url(" \u{1}java\nscript:x") && dangerous_url("\tDATA:x"));
        for ok in ["https://example.com/a:b", "mailto:a@b", "../x/#a:b", "tel:+86", "page.md", "/a?data:x"] {
            assert!(!dangerous_url(ok), "{ok}");
        }
    }

    #[test]
    fn heading_attributes_keep_only_harmless_names() {
        let body = "## 标题 {#id .c onclick=alert(1) style=color:red lang=en title=t ONMOUSEOVER=x}\n";
        let html = to_html(body, &outline(body, &Hooks::none()), &[], &no_expand);
        assert_eq!(html, "<h2 id=\"id\" class=\"c\" lang=\"en\" title=\"t\">标题</h2>\n");
    }

    #[test]
    fn code_fence_info_strings_are_escaped() {
        let body = "```\"><script>x</script>\nq\n```\n\n<kbd>k</kbd>\n";
        for html in [to_html(body, &outline(body, &Hooks::none()), &[], &no_expand), raw(body, true).trusted.unwrap()] {
            assert!(!html.contains("<script"), "{html}");
            assert!(html.contains("class=\"language-&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), "{html}");
        }
    }

    #[test]
    fn raw_html_nested_too_deep_is_shown_as_text() {
        let deep = format!("{}x{}\n", "<div>".repeat(MAX_RAW_DEPTH + 1), "</div>".repeat(MAX_RAW_DEPTH + 1));
        let b = raw(&deep, true);
        assert!(b.html.starts_with("&lt;div&gt;&lt;div&gt;") && b.trusted.is_none(), "{}", &b.html[..40]);
        // Markdown's own nesting counts; void elements and `<br/>` do not.
        let lists = format!("{}<b>x</b>\n", "- ".repeat(MAX_RAW_DEPTH));
        assert!(raw(&lists, false).html.contains("&lt;b&gt;x&lt;/b&gt;"));
        let flat = format!("<div>{}</div>\n", "<br><img src=a><hr/><kbd>k</kbd>".repeat(2 * MAX_RAW_DEPTH));
        assert!(raw(&flat, false).html.starts_with("<div><br><img src=\"a\"><hr><kbd>k</kbd>"));
        let shallow = format!("{}x{}\n", "<div>".repeat(MAX_RAW_DEPTH - 2), "</div>".repeat(MAX_RAW_DEPTH - 2));
        assert!(raw(&shallow, false).html.starts_with("<div><div>"));
    }
}
