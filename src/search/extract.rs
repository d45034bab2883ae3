//! The text a page contributes to its index: the first `<h1>`, the sub-headings, the
//! kind of its first `<article>` and the text of `<main>`
//! from rendered HTML, with navigation, charts, tables of contents and page metadata
//! left out and character references decoded. Must not split text into terms.

use super::rank::Kind;
use super::Doc;

/// Text kept per document for excerpts.
const MAX_TEXT: usize = 12_000;

/// Elements whose text is not part of a page's content.
const SKIPPED_TAGS: &[&str] = &["script", "style", "svg", "nav", "template", "noscript", "button"];
/// Classes of elements whose text is not part of a page's content.
const SKIPPED_CLASSES: &[&str] = &["toc", "prev-next", "page-meta"];
/// Elements inside a line of text; every other tag separates words.
const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "code", "del", "em", "i", "ins", "kbd", "mark", "s", "small", "span", "strong", "sub",
    "sup", "time", "u",
];

/// The title and text of a rendered page: the first `<h1>` and the text of `<main>`,
/// without scripts, styles, navigation, charts, tables of contents, page metadata or
/// anything marked `data-search-ignore`. `None` when the page has no `<main>`.
pub(crate) fn extract(html: &str) -> Option<Doc> {
    let start = html.find("<main")?;
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    let main = &html[start..end];
    let mut text = String::with_capacity(main.len() / 2);
    let mut title = String::new();
    let mut headings = String::new();
    let mut kind = None;
    // Inside `<h2>`…`<h6>`: how deep.
    let mut in_heading = 0usize;
    let mut in_title = false;
    let mut title_done = false;
    // Where each open `<bdi>` started in `text` and in `title`.
    let (mut bdi_text, mut bdi_title) = (Vec::new(), Vec::new());
    // While skipping: the tag being skipped and how deep inside it we are.
    let mut skip: Option<(&str, usize)> = None;
    let mut rest = main;
    while let Some(lt) = rest.find('<') {
        let chunk = &rest[..lt];
        if skip.is_none() && !chunk.is_empty() {
            push_text(&mut text, chunk);
            if in_title {
                push_text(&mut title, chunk);
            }
            if in_heading > 0 {
                push_text(&mut headings, chunk);
            }
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else { break };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_ascii_whitespace() || c == '/').unwrap_or(body.len());
        let name = &body[..name_end];
        let self_closing = tag.ends_with('/');
        if let Some((skipped, depth)) = skip.as_mut() {
            if name.eq_ignore_ascii_case(skipped) && !self_closing {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && !self_closing && !is_void(name) && skipped(name, &body[name_end..]) {
            skip = Some((name, 1));
            continue;
        }
        if kind.is_none() && !closing && name.eq_ignore_ascii_case("article") {
            kind = Some(Kind::of_classes(class_attr(&body[name_end..]).unwrap_or("")));
        }
        if is_subheading(name) && !self_closing {
            if closing {
                in_heading = in_heading.saturating_sub(1);
                headings.push('\n');
            } else {
                in_heading += 1;
            }
        }
        if name.eq_ignore_ascii_case("h1") && !title_done {
            in_title = !closing;
            title_done = closing;
        }
        // A name the page isolates in `<bdi>` stays isolated in titles and excerpts
        // when its direction could matter (see `bdi_isolate`).
        if name.eq_ignore_ascii_case("bdi") && !self_closing {
            bdi_isolate(&mut text, &mut bdi_text, closing);
            if in_title {
                bdi_isolate(&mut title, &mut bdi_title, closing);
            }
        }
        if !INLINE_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) && !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let text = text.trim().to_string();
    let title = title.trim().to_string();
    if text.is_empty() && title.is_empty() {
        return None;
    }
    let mut cut = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let headings = headings.trim().to_string();
    let text = text[..cut].to_string();
    Some(Doc { title, headings, slug: String::new(), text, kind: kind.unwrap_or(Kind::Other) })
}

fn is_subheading(name: &str) -> bool {
    ["h2", "h3", "h4", "h5", "h6"].iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// At `<bdi>` (`open`: where it starts) and `</bdi>`: when the text in between holds a
/// direction-changing character or right-to-left letters, it is put between U+2068
/// FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, as the page shows it;
/// other names, numbers and words need no isolates in the index.
fn bdi_isolate(out: &mut String, open: &mut Vec<usize>, closing: bool) {
    if !closing {
        open.push(out.len());
        return;
    }
    let Some(at) = open.pop() else { return };
    if crate::base::text_safety::needs_isolate(&out[at..]) {
        out.insert(at, crate::base::text_safety::FSI);
        out.push(crate::base::text_safety::PDI);
    }
}

fn is_void(name: &str) -> bool {
    ["br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area", "base", "embed", "track"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

fn skipped(name: &str, attrs: &str) -> bool {
    if SKIPPED_TAGS.iter().any(|t| name.eq_ignore_ascii_case(t)) || attrs.contains("data-search-ignore") {
        return true;
    }
    class_attr(attrs).is_some_and(|classes| classes.split_ascii_whitespace().any(|c| SKIPPED_CLASSES.contains(&c)))
}

fn class_attr(attrs: &str) -> Option<&str> {
    let at = attrs.find("class=")?;
    let value = &attrs[at + 6..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &value[1..];
    value.find(quote).map(|end| &value[..end])
}

/// Appends text from between tags, decoding character references and folding runs of
/// white space into one space.
fn push_text(out: &mut String, raw: &str) {
    let mut rest = raw;
    while !rest.is_empty() {
        let amp = rest.find('&').unwrap_or(rest.len());
        push_folded(out, &rest[..amp]);
        rest = &rest[amp..];
        if rest.is_empty() {
            break;
        }
        // Byte search: `rest` may hold multi-byte characters right after the `&`.
        let semi = rest.as_bytes()[..rest.len().min(12)].iter().position(|&b| b == b';');
        let decoded = semi.and_then(|s| decode_entity(&rest[1..s]).map(|c| (c, s + 1)));
        match decoded {
            Some((c, len)) => {
                let mut buf = [0u8; 4];
                push_folded(out, c.encode_utf8(&mut buf));
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
}

fn push_folded(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// The character of a reference (`amp`, `#39`); a no-break space reads as a space.
fn decode_entity(name: &str) -> Option<char> {
    crate::base::html::reference(name).map(|c| if c == '\u{a0}' { ' ' } else { c })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ampersand_before_chinese_text_decodes_without_splitting_a_character() {
        let mut out = String::new();
        push_text(&mut out, "&amp;时记为“预警” A&B 服务 &#39;x&quot;");
        assert_eq!(out, "&时记为“预警” A&B 服务 'x\"");
    }

    #[test]
    fn extract_keeps_the_content_and_drops_navigation_charts_and_metadata() {
        let html = r#"<html><head><title>T · Site</title></head><body><nav>菜单</nav>
<main id="main"><article><h1>投诉 &amp; 建议</h1><dl class="page-meta"><dt>负责</dt></dl>
<nav class="toc">目录</nav><p>顾客<strong>投诉</strong>须在<a href="x">24 小时</a>内处理。</p>
<figure><svg><title>图</title><g><text>99</text></g></svg><figcaption>说明</figcaption></figure>
<table><tr><td>甲</td><td>乙</td></tr></table><div data-search-ignore>隐藏</div></article></main>
<footer>页脚</footer></body></html>"#;
        let doc = extract(html).unwrap();
        assert_eq!(doc.title, "投诉 & 建议");
        assert_eq!(doc.text, "投诉 & 建议\n顾客投诉须在24 小时内处理。\n说明\n甲\n乙");
        assert_eq!(doc.kind, Kind::Other);
        let standard = "<main><article class=\"page page-standard\"><h1>T</h1><h2>时限<a href=\"#x\">#</a></h2>\
                        <p>x</p><h3>退款</h3></article></main>";
        let doc = extract(standard).unwrap();
        assert_eq!((doc.kind, doc.headings.as_str()), (Kind::Reference, "时限#\n退款"));
        assert!(extract("<p>no main</p>").is_none());
    }

    #[test]
    fn names_isolated_in_the_page_stay_isolated_in_the_index() {
        let html = "<main><h1><bdi dir=\"auto\">张\u{202E}敏</bdi></h1><p>成员 <a href=\"x\"><bdi>李强</bdi></a>、\
                    <bdi>محمد</bdi> <bdi>100</bdi></p></main>";
        let doc = extract(html).unwrap();
        assert_eq!(doc.title, "\u{2068}张\u{202E}敏\u{2069}");
        // Inline: no line breaks around names; isolates only where direction matters.
        assert_eq!(doc.text, "\u{2068}张\u{202E}敏\u{2069}\n成员 李强、\u{2068}محمد\u{2069} 100");
    }
}
