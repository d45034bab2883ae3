//! The text a page contributes to its index: the first `<h1>`, the sub-headings, the
//! kind of its first `<article>` and the text of `<main>`, with navigation, charts,
//! tables of contents and page metadata left out and character references decoded
//! (the rules are `markdown::text`'s). A page rendered from markdown brings its body's
//! text from the markdown pass: only the page's HTML around the body is read. Must not
//! split text into terms.

use super::rank::Kind;
use super::Doc;
use crate::base::files::PageText;
use crate::markdown::text::Reader;

/// Text kept per document for excerpts.
const MAX_TEXT: usize = 12_000;

/// The title and text of a rendered page: the first `<h1>` and the text of `<main>`,
/// without scripts, styles, navigation, charts, tables of contents, page metadata or
/// anything marked `data-search-ignore` (see [`crate::markdown::text`]). `None` when
/// the page has no `<main>`.
pub(crate) fn extract(html: &str) -> Option<Doc> {
    let main = main_in(html)?;
    let mut r = Reader::default();
    r.html(main, false);
    finish(r)
}

/// Like [`extract`] for a page whose body's text the markdown pass gave (`page`): the
/// body's HTML is not read, its text is taken in its place. `None` also when the body
/// is not inside `<main>` or would not read the same there (then [`extract`] reads it).
pub(crate) fn extract_with(html: &[u8], page: &PageText) -> Option<Doc> {
    let start = memchr::memmem::find(html, b"<main")?;
    let end = memchr::memmem::find(&html[start..], b"</main>").map_or(html.len(), |e| start + e);
    if page.at.start < start || page.at.end > end {
        return None;
    }
    let before = std::str::from_utf8(&html[start..page.at.start]).ok()?;
    let after = std::str::from_utf8(&html[page.at.end..end]).ok()?;
    let mut r = Reader::default();
    if !(r.html(before, true) && r.body(&page.body)) {
        return None;
    }
    r.html(after, false);
    finish(r)
}

/// The `<main>` element of a page (to its end, or the page's).
fn main_in(html: &str) -> Option<&str> {
    let start = html.find("<main")?;
    let end = html[start..].find("</main>").map_or(html.len(), |e| start + e);
    Some(&html[start..end])
}

fn finish(r: Reader) -> Option<Doc> {
    let kind = r.article.as_deref().map_or(Kind::Other, Kind::of_classes);
    let text = r.text.trim();
    let title = r.title.trim().to_string();
    if text.is_empty() && title.is_empty() {
        return None;
    }
    let mut cut = text.len().min(MAX_TEXT);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let headings = r.headings.trim().to_string();
    let text = text[..cut].to_string();
    Some(Doc { title, headings, slug: String::new(), text, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ampersand_before_chinese_text_decodes_without_splitting_a_character() {
        let doc = extract("<main><p>&amp;时记为“预警” A&B 服务 &#39;x&quot;</p></main>").unwrap();
        assert_eq!(doc.text, "&时记为“预警” A&B 服务 'x\"");
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
