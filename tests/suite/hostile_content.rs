//! Hostile content end to end: `tests/fixtures/valid/hostile/` (over the base, data and
//! reports fixtures) puts `"><script>alert(1)</script>`, quotes and `&` into every
//! title, summary, tag, duty, role, parameter label, unit and description, KPI name,
//! unit and definition, scorecard, department, team and person name, complaint type and
//! channel, action and the site title, and a public page full of raw HTML and
//! `javascript:` links. Every produced page is tokenised as a browser would (tags,
//! attributes in any quoting, comments, raw-text elements, foreign SVG content) and
//! checked: no script but the theme's, no event handler, no script URL, texts decoded
//! back to exactly what the source said; every SVG parses as XML, every JSON file as JSON.

use crate::common::*;
use std::path::Path;

const TODAY: &str = "2026-07-15";
const EVIL: &str = "\"><script>alert(1)</script> ' onmouseover='x &amp; &";

fn hostile_site(extra_config: &str) -> tempfile::TempDir {
    let site = site_with(&["valid/data", "valid/reports", "valid/hostile"]);
    if !extra_config.is_empty() {
        let path = site.path().join("charter.yaml");
        let text = read(&path);
        std::fs::write(&path, format!("{text}{extra_config}")).unwrap();
    }
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

/// A token of an HTML page, as the HTML tokenizer of a browser sees it.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Start { name: String, attrs: Vec<(String, String)>, at: usize, end: usize },
    End { name: String, at: usize, end: usize },
    Text(String),
}

/// Tokenises `html` following the HTML standard's tokenizer states closely enough
/// for these checks: tag names and attribute names end at white space, `/`, `>` (and
/// `=` for names); values are double-quoted, single-quoted or unquoted; comments,
/// doctypes and bogus comments are skipped; `script`, `style`, `iframe`, `xmp`,
/// `noembed`, `noframes` (raw text) and `title`, `textarea` (escapable raw text) run to
/// their end tag, except inside `<svg>`/`<math>`, where the tree builder tokenises
/// their content as tags. Character references are decoded in text and values.
fn tokenize(html: &str) -> Vec<Token> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut foreign = 0usize;
    let mut text_start = 0;
    let flush = |out: &mut Vec<Token>, from: usize, to: usize| {
        if to > from {
            out.push(Token::Text(decode(&html[from..to])));
        }
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let at = i;
        if html[i..].starts_with("<!--") {
            flush(&mut out, text_start, at);
            i = html[i + 4..].find("-->").map_or(b.len(), |e| i + 4 + e + 3);
            text_start = i;
            continue;
        }
        if b.get(i + 1) == Some(&b'!') || b.get(i + 1) == Some(&b'?') {
            flush(&mut out, text_start, at);
            i = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
            text_start = i;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let name_at = if closing { i + 2 } else { i + 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        flush(&mut out, text_start, at);
        let mut j = name_at;
        while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'/' | b'>') {
            j += 1;
        }
        let name = html[name_at..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r') {
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                self_closing = b.get(j + 1) == Some(&b'>');
                j += 1;
                continue;
            }
            let a = j;
            j += 1; // A leading `=` belongs to the name.
            while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'/' | b'>' | b'=') {
                j += 1;
            }
            let attr = html[a..j].to_ascii_lowercase();
            while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r') {
                j += 1;
            }
            let mut value = String::new();
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r') {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let e = html[j + 1..].find(q as char).map_or(b.len(), |e| j + 1 + e);
                        value = decode(&html[j + 1..e]);
                        j = (e + 1).min(b.len());
                    }
                    _ => {
                        let s = j;
                        while j < b.len() && !matches!(b[j], b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'>') {
                            j += 1;
                        }
                        value = decode(&html[s..j]);
                    }
                }
            }
            attrs.push((attr, value));
        }
        if closing {
            if matches!(name.as_str(), "svg" | "math") {
                foreign = foreign.saturating_sub(1);
            }
            out.push(Token::End { name, at, end: j });
            i = j;
            text_start = i;
            continue;
        }
        out.push(Token::Start { name: name.clone(), attrs, at, end: j });
        i = j;
        text_start = i;
        if matches!(name.as_str(), "svg" | "math") && !self_closing {
            foreign += 1;
        }
        let raw = matches!(name.as_str(), "script" | "style" | "iframe" | "xmp" | "noembed" | "noframes");
        let escapable = matches!(name.as_str(), "title" | "textarea");
        if foreign == 0 && (raw || escapable) {
            let close = format!("</{name}");
            let lower = html[i..].to_ascii_lowercase();
            let e = lower.find(&close).map_or(b.len(), |e| i + e);
            let content = &html[i..e];
            out.push(Token::Text(if escapable { decode(content) } else { content.to_string() }));
            i = e;
            text_start = i;
        }
    }
    flush(&mut out, text_start, b.len());
    out
}

/// Decodes the character references the outputs use (named ones of XML and HTML's
/// `&nbsp;`, decimal and hexadecimal); others stay as written.
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest.as_bytes().iter().take(12).position(|&c| c == b';');
        let c = semi.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            n if n.starts_with("#x") || n.starts_with("#X") => {
                u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32)
            }
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (c, semi) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text between the start tag at token `k` and its end tag (nested tags ignored).
fn text_of(tokens: &[Token], k: usize) -> String {
    let Token::Start { name, .. } = &tokens[k] else { panic!("not a start tag") };
    let mut depth = 0;
    let mut out = String::new();
    for t in &tokens[k + 1..] {
        match t {
            Token::Start { name: n, .. } if n == name => depth += 1,
            Token::End { name: n, .. } if n == name => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            Token::Text(s) => out.push_str(s),
            _ => {}
        }
    }
    out
}

fn starts(tokens: &[Token], tag: &str) -> Vec<usize> {
    (0..tokens.len()).filter(|&k| matches!(&tokens[k], Token::Start { name, .. } if name == tag)).collect()
}

fn attr<'t>(tokens: &'t [Token], k: usize, name: &str) -> Option<&'t str> {
    let Token::Start { attrs, .. } = &tokens[k] else { return None };
    attrs.iter().find(|(a, _)| a == name).map(|(_, v)| v.as_str())
}

/// Whether a URL attribute would run script or load a document of its own.
fn script_url(value: &str) -> bool {
    let v: String =
        value.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let v = v.to_ascii_lowercase();
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:")
}

/// Every HTML file under `dir`: only the theme's script element, no event handler
/// attribute, no script URL, no frames, forms, styles or MathML; every inline `<svg>`
/// and every `.svg`/`.xml` file parses as XML; every `.json` file (and search document
/// group) parses as JSON, every search term shard decodes.
/// Returns how many pages were checked.
fn assert_safe_tree(dir: &Path) -> usize {
    let mut pages = 0;
    for (rel, bytes) in tree(dir) {
        // A search index's term shards are binary postings: their terms must decode.
        if rel.contains("search/terms/") && rel.ends_with(".gz") {
            charter::search::decode_shard(&bytes).unwrap_or_else(|| panic!("{rel}: not a term shard"));
            continue;
        }
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel} is not UTF-8"));
        // The search index's documents (`.gz`, inflated by `tree`) are JSON too.
        if rel.ends_with(".json") || rel.ends_with(".gz") {
            serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{rel}: bad JSON: {e}"));
        }
        if rel.ends_with(".svg") || rel.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: bad XML: {e}"));
        }
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let tokens = tokenize(&text);
        for (k, t) in tokens.iter().enumerate() {
            let Token::Start { name, attrs, .. } = t else { continue };
            if name == "script" {
                let theme_script = attrs.len() == 2
                    && attr(&tokens, k, "src").is_some_and(|s| {
                        let name = s.rsplit('/').next().unwrap_or("");
                        name.starts_with("search.") && name.ends_with(".js") && name.len() == "search..js".len() + 10
                    })
                    && attr(&tokens, k, "defer").is_some()
                    && text_of(&tokens, k).is_empty();
                assert!(theme_script, "{rel}: a script element that is not the theme's: {t:?}");
            }
            for bad in ["iframe", "object", "embed", "form", "style", "math", "base", "meta http-equiv"] {
                assert_ne!(name, bad, "{rel}: <{bad}> in output");
            }
            for (a, v) in attrs {
                assert!(!a.starts_with("on"), "{rel}: event handler attribute {a}={v:?} on <{name}>");
                if matches!(a.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href" | "poster") {
                    assert!(!script_url(v), "{rel}: script URL {a}={v:?} on <{name}>");
                }
            }
        }
        // Inline SVG (charts) must be well-formed XML.
        for k in starts(&tokens, "svg") {
            let Token::Start { at, .. } = tokens[k] else { unreachable!() };
            let end = text[at..].find("</svg>").map(|e| at + e + 6).unwrap_or_else(|| panic!("{rel}: unclosed svg"));
            roxmltree::Document::parse(&text[at..end]).unwrap_or_else(|e| panic!("{rel}: inline SVG: {e}"));
        }
    }
    pages
}

fn page(site: &Path, path: &str) -> Vec<Token> {
    tokenize(&read(&site.join("site").join(path)))
}

#[test]
fn hostile_titles_labels_and_data_are_escaped_wherever_they_land() {
    let site = hostile_site("");
    let out = site.path().join("site");
    let pages = assert_safe_tree(&out);
    assert!(pages > 30, "only {pages} pages built");
    let site_title = format!("测试{EVIL} 手册");

    // <title>, <h1>, the lead, meta description, tags: exactly the source's text.
    for root in ["public", "internal"] {
        let t = page(site.path(), &format!("{root}/standards/complaints/index.html"));
        let title = format!("投诉{EVIL}");
        assert_eq!(text_of(&t, starts(&t, "title")[0]), format!("{title} · {site_title}"));
        assert_eq!(text_of(&t, starts(&t, "h1")[0]), title);
        let meta = starts(&t, "meta").into_iter().find(|&k| attr(&t, k, "name") == Some("description")).unwrap();
        assert_eq!(attr(&t, meta, "content"), Some(format!("描述{EVIL}").as_str()));
        let tag = starts(&t, "span").into_iter().find(|&k| attr(&t, k, "class") == Some("tag")).unwrap();
        assert_eq!(text_of(&t, tag), format!("标签{EVIL}"));
        // A heading with hostile text: its text, its anchor in the table of contents.
        let h2 = starts(&t, "h2").into_iter().find(|&k| text_of(&t, k).starts_with("处理时限")).unwrap();
        // Markdown reads `<script>` in a heading as raw HTML (sanitised away) and
        // `&amp;` as a character reference; the rest is text.
        assert_eq!(text_of(&t, h2), "处理时限 \"> ' onmouseover='x & &");
        let id = attr(&t, h2, "id").unwrap().to_string();
        assert!(starts(&t, "a").into_iter().any(|k| attr(&t, k, "href") == Some(&format!("#{id}"))), "{id}");
        // Shortcodes: parameter label, unit, description; KPI name and unit.
        let texts: String =
            t.iter().filter_map(|x| if let Token::Text(s) = x { Some(s.as_str()) } else { None }).collect();
        for shown in [format!("态度{EVIL}"), format!("说明{EVIL}"), format!("满意度{EVIL}"), format!("4.2 分{EVIL}")]
        {
            assert!(texts.contains(&shown), "{root}: {shown:?} not shown as text");
        }
        // The code fence's info string stays inside its class attribute.
        let code = starts(&t, "code").into_iter().find(|&k| text_of(&t, k).contains("代码")).unwrap();
        assert_eq!(attr(&t, code, "class"), Some("language-\"><script>alert(1)</script>"));
    }

    // Role pages: title, duties, scorecard name; the home page's summary.
    let t = page(site.path(), "public/roles/front-desk/index.html");
    assert_eq!(text_of(&t, starts(&t, "h1")[0]), format!("前台{EVIL}"));
    assert!(starts(&t, "li").into_iter().any(|k| text_of(&t, k) == format!("接待{EVIL}")));
    assert!(starts(&t, "caption").into_iter().any(|k| text_of(&t, k) == format!("评分{EVIL}")));
    let t = page(site.path(), "public/index.html");
    assert_eq!(text_of(&t, starts(&t, "title")[0]), site_title);

    // KPI pages: name, unit; the definition's raw HTML and script link are gone.
    let t = page(site.path(), "internal/kpis/satisfaction/index.html");
    assert_eq!(text_of(&t, starts(&t, "h1")[0]), format!("满意度{EVIL}"));
    assert!(starts(&t, "dd").into_iter().any(|k| text_of(&t, k) == format!("分{EVIL}")));
    assert!(starts(&t, "img").into_iter().all(|k| attr(&t, k, "onerror").is_none()));

    // Charts: the KPI and team names reach SVG <title>/<desc> and bar labels as text.
    let html = read(&out.join("internal/reports/kpis/satisfaction/index.html"));
    let mut chart_texts = Vec::new();
    for (at, _) in html.match_indices("<svg") {
        let end = at + html[at..].find("</svg>").unwrap() + 6;
        let doc = roxmltree::Document::parse(&html[at..end]).unwrap();
        chart_texts.extend(doc.descendants().filter_map(|n| n.text()).map(str::to_string));
    }
    let all = chart_texts.join("\n");
    assert!(all.contains(&format!("满意度{EVIL}")), "{all}");
    assert!(all.contains(&format!("一组{EVIL}").replace('\n', "")), "{all}");

    // Search indexes hold the decoded text.
    fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (rel, bytes) in tree(&out.join("public/search")) {
        if rel.ends_with(".json") || rel.starts_with("docs/") {
            strings(&serde_json::from_slice(&bytes).unwrap(), &mut found);
        }
    }
    assert!(found.iter().any(|s| s.contains(&format!("投诉{EVIL}"))), "search lacks the title: {found:?}");
}

/// None of the raw-HTML page's hostile parts is in the `<main>` of the page at `path`.
fn assert_no_raw_hazards(site: &Path, path: &str) {
    let html = read(&site.join("site").join(path));
    let t = tokenize(&html);
    let main = starts(&t, "main")[0];
    let end = t.iter().position(|x| matches!(x, Token::End { name, .. } if name == "main")).unwrap();
    let body = &t[main..end];
    for token in body {
        let Token::Start { name, attrs, .. } = token else { continue };
        for bad in ["script", "svg", "circle", "math", "mi", "iframe", "style", "form", "button"] {
            assert_ne!(name, bad, "{path}: <{bad}> survived");
        }
        if name == "input" {
            let checkbox = attrs.iter().any(|(a, v)| a == "type" && v == "checkbox");
            assert!(checkbox && attrs.iter().any(|(a, _)| a == "disabled"), "{path}: {token:?}");
        }
        for (a, v) in attrs {
            assert!(!a.starts_with("on"), "{path}: {a} on <{name}>");
            if a == "href" || a == "src" {
                assert!(!script_url(v), "{path}: {a}={v:?}");
            }
        }
    }
    assert!(!html.contains("display: none"), "{path}: style text survived");
}

/// The raw-HTML page's hostile parts are gone and its harmless parts stay.
fn assert_raw_page_sanitised(site: &Path, path: &str) {
    assert_no_raw_hazards(site, path);
    let t = page(site, path);
    assert!(starts(&t, "kbd").into_iter().any(|k| text_of(&t, k) == "Ctrl"), "{path}: <kbd> lost");
    assert!(starts(&t, "details").into_iter().any(|k| text_of(&t, k).contains("内容")), "{path}: <details> lost");
    assert!(starts(&t, "summary").into_iter().any(|k| text_of(&t, k) == "更多"), "{path}: <summary> lost");
    // The shortcode in the same paragraph still expands (its unit is hostile text).
    let param = starts(&t, "span").into_iter().find(|&k| attr(&t, k, "class") == Some("param"));
    assert_eq!(param.map(|k| text_of(&t, k)), Some(format!("5 分钟{EVIL}")), "{path}");
    // The markdown links with script URLs are kept as links without a destination.
    for label in ["乙", "丙", "丁", "戊"] {
        let a = starts(&t, "a").into_iter().find(|&k| text_of(&t, k) == label).unwrap();
        assert_eq!(attr(&t, a, "href"), Some(""), "{path}: {label}");
    }
    // Heading attributes other than lang/dir/title are dropped.
    let h2 = starts(&t, "h2").into_iter().find(|&k| text_of(&t, k) == "小节").unwrap();
    assert!(attr(&t, h2, "onclick").is_none());
}

#[test]
fn raw_html_is_sanitised_in_both_sites_by_default() {
    let site = hostile_site("");
    assert_raw_page_sanitised(site.path(), "public/standards/raw-html/index.html");
    assert_raw_page_sanitised(site.path(), "internal/standards/raw-html/index.html");
    assert_no_raw_hazards(site.path(), "public/print/index.html");
    assert_no_raw_hazards(site.path(), "internal/print/index.html");
}

#[test]
fn trusted_raw_html_stays_in_the_internal_site_only() {
    let site = hostile_site("raw_html: trusted\n");
    let out = site.path().join("site");
    assert_safe_tree(&out.join("public"));
    assert_raw_page_sanitised(site.path(), "public/standards/raw-html/index.html");
    for path in ["internal/standards/raw-html/index.html", "internal/print/index.html"] {
        let t = page(site.path(), path);
        let scripts: Vec<String> = starts(&t, "script").into_iter().map(|k| text_of(&t, k)).collect();
        assert!(scripts.iter().any(|s| s == "alert(1)"), "{path}: {scripts:?}");
        for kept in ["iframe", "form", "math", "style", "svg"] {
            assert!(!starts(&t, kept).is_empty(), "{path}: <{kept}> not kept");
        }
        let img = starts(&t, "img").into_iter().find(|&k| attr(&t, k, "src") == Some("x")).unwrap();
        assert_eq!(attr(&t, img, "onerror"), Some("alert(1)"));
    }
    // The markdown-level rules (URL schemes, heading attributes) still apply.
    let t = page(site.path(), "internal/standards/raw-html/index.html");
    let a = starts(&t, "a").into_iter().find(|&k| text_of(&t, k) == "乙").unwrap();
    assert_eq!(attr(&t, a, "href"), Some(""));
    let h2 = starts(&t, "h2").into_iter().find(|&k| text_of(&t, k) == "小节").unwrap();
    assert!(attr(&t, h2, "onclick").is_none());
    // The other pages of the internal site are unaffected.
    assert_safe_tree(&out.join("internal/kpis"));
}

#[test]
fn the_tokenizer_sees_what_a_browser_sees() {
    let t = tokenize("<p title='a\"b' data-x=1 onclick = \"y\">x &amp; &lt;y&gt;</p><!-- <script> --><title><b>t</title><svg><title><b>s</b></title></svg><script>if (a<b) {}</script>");
    assert_eq!(
        t[0],
        Token::Start {
            name: "p".into(),
            attrs: vec![("title".into(), "a\"b".into()), ("data-x".into(), "1".into()), ("onclick".into(), "y".into())],
            at: 0,
            end: 38
        }
    );
    assert_eq!(t[1], Token::Text("x & <y>".into()));
    assert_eq!(starts(&t, "script").len(), 1);
    assert_eq!(text_of(&t, starts(&t, "title")[0]), "<b>t");
    assert_eq!(starts(&t, "b").len(), 1, "{t:?}");
    assert_eq!(text_of(&t, starts(&t, "script")[0]), "if (a<b) {}");
}

#[test]
fn hostile_releases_changelog_redlines_and_feed_are_escaped() {
    let site = site_with(&["valid/data", "valid/reports", "valid/hostile"]);
    let root = site.path();
    let release = |version: &str, date: &str| {
        let notes = format!("说明{EVIL}");
        let o = charter(&["release", version, "--root", root.to_str().unwrap(), "--date", date, "--notes", &notes]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    release("1.0", "2025-01-01");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = read(&path);
        assert!(text.contains(from), "{rel} lacks {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit("content/standards/complaints.md", "## 联系方式", &format!("改动 <b onclick=\"x\">{EVIL}</b>\n\n## 联系方式"));
    edit("data/params.yaml", "complaint_quality_hours: {value: 48,", "complaint_quality_hours: {value: 36,");
    release("2.0", "2026-01-01");
    edit("content/standards/raw-html.md", "正文。", &format!("正文 {EVIL} <script>alert(2)</script>"));
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("site");
    assert!(out.join("public/feed.xml").is_file() && out.join("public/changelog/index.html").is_file());
    assert_safe_tree(&out);
    // The feed is XML whose text is the notes as written.
    let feed = read(&out.join("public/feed.xml"));
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(texts.iter().any(|t| t.contains(&format!("说明{EVIL}"))), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains(&format!("测试{EVIL} 手册"))), "{texts:?}");
    // Changelog notes and redlines show the text, never run it.
    let t = page(root, "public/changelog/index.html");
    let notes: Vec<String> = starts(&t, "p").into_iter().map(|k| text_of(&t, k)).collect();
    assert!(notes.iter().any(|n| n.contains(&format!("说明{EVIL}"))), "{notes:?}");
}

/// `charter serve`'s fast path follows the same rules: an edit that adds raw HTML is
/// re-rendered sanitised in public and, with `raw_html: trusted`, kept internally —
/// byte for byte as a whole build renders it.
#[test]
fn served_edits_follow_the_raw_html_setting() {
    use charter::build::{build_files, BuildOptions, Cache, Mode, Patch};
    for trusted in [false, true] {
        let site = site_with(&[]);
        let root = site.path().canonicalize().unwrap();
        if trusted {
            let config = root.join("charter.yaml");
            std::fs::write(&config, format!("{}raw_html: trusted\n", read(&config))).unwrap();
        }
        let opts = BuildOptions::new(&root, Mode::Build);
        let mut cache = Cache::long_running();
        build_files(&opts, &mut cache).expect("the site builds");
        let mut live = cache.take_live().unwrap();
        for (from, to) in
            [("24 小时内处理。", "24 小时内处理。<kbd>k</kbd><script>alert(1)</script>"), ("处理。", "处理完毕。")]
        {
            let path = root.join("content/standards/complaints.md");
            std::fs::write(&path, read(&path).replace(from, to)).unwrap();
            let Patch::Pages { files, .. } = live.patch(&[path]) else { panic!("refused") };
            let (_, whole) = build_files(&opts, &mut Cache::default()).unwrap();
            assert_eq!(files.len(), 2);
            for f in files {
                let html = String::from_utf8(f.bytes.clone()).unwrap();
                assert!(html.contains("<kbd>k</kbd>"), "{}", f.path);
                let kept = trusted && f.path.starts_with("internal/");
                assert_eq!(html.contains("<script>alert(1)</script>"), kept, "{}", f.path);
                let same = whole.iter().find(|w| w.path == f.path).unwrap();
                assert!(same.bytes == f.bytes, "{} differs from a whole build", f.path);
            }
        }
    }
}
