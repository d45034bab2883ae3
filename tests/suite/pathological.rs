//! Pathological markdown: 10,000-deep lists and block quotes, 50,000 brackets, the same
//! heading 10,000 times, 10,000-deep and 20,000-wide raw HTML. Outline and rendering run on a thread
//! with a 256 KiB stack, so any recursion that grows with the input (in our code or in
//! the parsers) overflows and fails the test; the output is checked for what the input
//! means. Times are not asserted here: `examples/bench-hostile.rs` prints them for n
//! and 2n (the project's rule: speed is measured by benchmark binaries).

use crate::common::*;

use charter::markdown::{self, Hooks, Outline};

const SMALL_STACK: usize = 256 * 1024;

/// Outline and render `body` (raw HTML sanitised) on a thread with a small stack.
fn render_small_stack(body: String) -> (Outline, String) {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            let outline = markdown::outline(&body, &Hooks::none());
            let html = markdown::to_html(&body, &outline, &[], &|_| (String::new(), false));
            (outline, html)
        })
        .unwrap()
        .join()
        .expect("outline or render failed (stack overflow aborts the process instead)")
}

#[test]
fn ten_thousand_nested_lists() {
    let (_, html) = render_small_stack(format!("{}深\n", "- ".repeat(10_000)));
    assert_eq!(html.matches("<ul>").count(), 10_000);
    assert_eq!(html.matches("</ul>").count(), 10_000);
    assert!(html.contains("<li>深</li>"), "{}", &html[html.len() - 200..]);
    let (_, html) = render_small_stack(format!("{}深\n", "1. ".repeat(10_000)));
    assert_eq!(html.matches("<ol>").count(), 10_000);
}

#[test]
fn ten_thousand_nested_block_quotes() {
    let (_, html) = render_small_stack(format!("{}深\n", "> ".repeat(10_000)));
    assert_eq!(html.matches("<blockquote>").count(), 10_000);
    assert_eq!(html.matches("</blockquote>").count(), 10_000);
    assert!(html.contains("<p>深</p>"));
}

#[test]
fn fifty_thousand_brackets() {
    let (o, html) = render_small_stack(format!("{}\n", "[".repeat(50_000)));
    assert!(o.links.is_empty());
    assert_eq!(html, format!("<p>{}</p>\n", "[".repeat(50_000)));
    let (o, html) = render_small_stack(format!("{}\n", "[](".repeat(50_000)));
    // `[](` opens links whose destinations never close: all text, no link.
    assert!(o.links.is_empty(), "{} links", o.links.len());
    assert_eq!(html.matches("[](").count(), 50_000);
    let (o, html) = render_small_stack(format!("{}x{}\n", "[".repeat(50_000), "](y)".repeat(50_000)));
    // Links do not nest: only the innermost `[x](y)` is one.
    assert_eq!(o.links.len(), 1);
    assert_eq!(html.matches("<a href=\"y\">").count(), 1);
}

#[test]
fn fifty_thousand_unfilled_blanks() {
    // Each `[X]` is its own text event: the blank's offset is found among 150,000
    // merged pieces by binary search.
    let (o, html) = render_small_stack(format!("{}\n", "[X]".repeat(50_000)));
    assert_eq!(o.blanks.len(), 50_000);
    assert_eq!(o.blanks[49_999], 3 * 49_999);
    assert_eq!(html.matches("[X]").count(), 50_000);
}

#[test]
fn the_same_heading_ten_thousand_times() {
    let (o, html) = render_small_stack("## 标题\n\n".repeat(10_000));
    assert_eq!(o.headings.len(), 10_000);
    assert_eq!(o.headings[0].anchor, "标题");
    assert_eq!(o.headings[1].anchor, "标题-1");
    assert_eq!(o.headings[9_999].anchor, "标题-9999");
    let unique: std::collections::BTreeSet<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(unique.len(), 10_000);
    assert!(html.contains("<h2 id=\"标题-9999\">标题</h2>"));
    // A heading that looks like a generated anchor does not collide with one.
    let (o, _) = render_small_stack("## 标题\n\n## 标题-1\n\n## 标题\n\n## 标题\n".into());
    let anchors: Vec<&str> = o.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["标题", "标题-1", "标题-2", "标题-3"]);
}

#[test]
fn ten_thousand_nested_raw_html_elements_are_shown_as_text() {
    let body = format!("<div>{}<script>x</script>深{}</div>\n", "<div><b>".repeat(10_000), "</b></div>".repeat(10_000));
    let (_, html) = render_small_stack(body);
    // Deeper than `MAX_RAW_DEPTH`: the raw HTML is text, so nothing of it runs.
    assert!(!html.contains("<script") && !html.contains("<div"));
    assert!(html.contains("&lt;div&gt;&lt;b&gt;") && html.contains('深'));
    // Wide rather than deep, raw HTML goes through the sanitiser.
    let (_, html) = render_small_stack("<kbd>k</kbd><script>x</script>".repeat(20_000));
    assert_eq!(html.matches("<kbd>k</kbd>").count(), 20_000);
    assert!(!html.contains("script"));
}

/// The whole pipeline (outline, links, search extraction, print edition) on a site
/// with every pathological page: the build succeeds.
#[test]
fn a_site_of_pathological_pages_builds() {
    let site = site_with(&[]);
    let dir = site.path().join("content/standards");
    let pages = [
        ("lists", format!("{}深\n", "- ".repeat(10_000))),
        ("quotes", format!("{}深\n", "> ".repeat(10_000))),
        ("brackets", format!("{}\n\n{}\n", "[".repeat(50_000), "[](".repeat(50_000))),
        ("headings", "## 标题\n\n正文。\n\n".repeat(10_000)),
        ("html", format!("{}深{}\n", "<div>".repeat(10_000), "</div>".repeat(10_000))),
        // 10,000 links to anchors of the 10,000-heading page: each anchor is looked up
        // and each link located in one pass over the page.
        ("links", (1..=10_000).map(|i| format!("[{i}](headings.md#标题-{})\n", 1 + i % 9_999)).collect()),
    ];
    for (name, body) in pages {
        let text = format!("---\ntitle: {name}\naudience: public\nowner: front-desk\n---\n\n{body}");
        std::fs::write(dir.join(format!("{name}.md")), text).unwrap();
    }
    build_ok(site.path());
    let html = read(&site.path().join("site/public/standards/headings/index.html"));
    assert!(html.contains("id=\"标题-9999\""));
}

/// A template that includes itself stops the build with the cycle named, exit code 1,
/// and the previous output stays as it was.
#[test]
fn a_template_cycle_fails_cleanly_and_keeps_the_previous_output() {
    let site = site_with(&[]);
    build_ok(site.path());
    let before = tree(&site.path().join("site"));
    copy_tree(&fixtures().join("invalid/template-include-cycle"), site.path());
    let o = charter(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/page.html:6:3: error: template `page.html` includes itself"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&site.path().join("site")), before);
}
