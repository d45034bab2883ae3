//! Browser tests: the example built and served on loopback, driven in headless
//! Chromium (Debian's `chromium`; `.ci/run` installs it). Run with
//! `cargo test --features browser-tests --test browser`.
//!
//! Covers navigation and breadcrumbs, the version switcher, Chinese search returning
//! the expected pages, charts drawn with a non-zero size, no console errors, no
//! request to another host, no horizontal scrolling on a narrow phone screen, and
//! screenshots of the home page and a report page saved to
//! `target/browser-artifacts/`. An English fixture site (`valid/english`) checks that
//! a wide table scrolls in its own focusable box with no word split over lines, that
//! English text is set in a Latin font, that a page without a table of contents gets
//! a wider column, and that no layout scrolls sideways at 375, 768, 1280 and 1440 px.
//! Report pages on an emulated 320 and 375 px phone (the headless window is never
//! narrower than 500 px) and at 1440 px: no sideways scroll, chart axis text at least
//! 11 px on screen, the full width used with charts beside their tables. The search
//! box's placeholder and "no results" message are in the page's language (English
//! fixture, Chinese example).

#[path = "suite/common/mod.rs"]
mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use headless_chrome::browser::tab::Tab;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions};

/// The example, built once, served by a small static file server on 127.0.0.1.
struct Served {
    _site: tempfile::TempDir,
    base: String,
}

fn served() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| build_and_serve(copy_of(&repo_root())))
}

/// The English fixture site (a six-column table of long words, a page with and one
/// without a table of contents), built and served like the example.
fn served_english() -> &'static Served {
    static SERVED: OnceLock<Served> = OnceLock::new();
    SERVED.get_or_init(|| build_and_serve(copy_of(&fixtures().join("valid/english"))))
}

fn build_and_serve(site: tempfile::TempDir) -> Served {
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-11-23"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let root = site.path().join("site");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || serve_one(stream, &root));
        }
    });
    Served { _site: site, base }
}

/// Answers one HTTP request from the built output (`/public/…`, `/internal/…`).
fn serve_one(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
            break;
        }
    }
    let raw = request.split(' ').nth(1).unwrap_or("/");
    let path = raw.split(['?', '#']).next().unwrap_or("/");
    let decoded = charter::markdown::links::percent_decode(path);
    let mut file: PathBuf = root.join(decoded.trim_start_matches('/'));
    if decoded.ends_with('/') {
        file.push("index.html");
    }
    let ok = !decoded.contains("..") && file.is_file();
    let (status, body) =
        if ok { ("200 OK", std::fs::read(&file).unwrap()) } else { ("404 Not Found", b"not found".to_vec()) };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
    let _ = stream.flush();
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
}

/// A new tab of `b` whose window is `width` CSS pixels wide: headless Chromium's
/// window is at least 500 px wide, so a phone is emulated (start `b` at least 500 wide).
fn tab_at(b: &Browser, width: u32) -> Arc<Tab> {
    let tab = b.new_tab().unwrap();
    if width < 500 {
        use headless_chrome::protocol::cdp::Emulation::SetDeviceMetricsOverride;
        tab.call_method(SetDeviceMetricsOverride {
            width,
            height: 800,
            device_scale_factor: 1.0,
            mobile: true,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .unwrap();
    }
    tab
}

fn browser(width: u32, height: u32) -> Browser {
    browser_with(width, height, &[])
}

/// A browser started with `extra` command-line switches beside the usual ones.
fn browser_with(width: u32, height: u32, extra: &[String]) -> Browser {
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .chain(extra.iter().map(std::ffi::OsStr::new))
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from(std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()))))
        .headless(true)
        .sandbox(false)
        .window_size(Some((width, height)))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    Browser::new(options).expect("start Chromium (apt-get install chromium)")
}

/// Console errors and uncaught exceptions of a tab.
fn watch_errors(tab: &Arc<Tab>) -> Arc<Mutex<Vec<String>>> {
    let errors = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&errors);
    tab.enable_log().unwrap().enable_runtime().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| match event {
        Event::LogEntryAdded(e) if format!("{:?}", e.params.entry.level).contains("Error") => {
            sink.lock().unwrap().push(format!("log: {} {:?}", e.params.entry.text, e.params.entry.url));
        }
        Event::RuntimeExceptionThrown(e) => {
            sink.lock().unwrap().push(format!("exception: {:?}", e.params.exception_details.text))
        }
        Event::RuntimeConsoleAPICalled(e) if format!("{:?}", e.params.Type).contains("Error") => {
            sink.lock()
                .unwrap()
                .push(format!("console.error: {:?}", e.params.args.first().and_then(|a| a.value.clone())));
        }
        _ => {}
    }))
    .unwrap();
    errors
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, true).unwrap_or_else(|e| panic!("{js}: {e}")).value.unwrap_or(serde_json::Value::Null)
}

fn open(tab: &Arc<Tab>, url: &str) {
    tab.navigate_to(url).unwrap().wait_until_navigated().unwrap();
}

/// Clicks the element and waits until the tab's URL ends with `suffix`.
fn click_to(tab: &Arc<Tab>, selector: &str, suffix: &str) {
    tab.wait_until_visible(selector).unwrap_or_else(|e| panic!("{selector}: {e}")).click().unwrap();
    wait_for_url(tab, suffix);
}

/// Every URL the page loaded (document, styles, scripts, fetches, wasm).
fn requests(tab: &Tab) -> Vec<String> {
    let v =
        eval(tab, "JSON.stringify([location.href].concat(performance.getEntriesByType('resource').map(e => e.name)))");
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

fn artifacts() -> PathBuf {
    let dir = repo_root().join("target/browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn navigation_breadcrumbs_and_no_foreign_requests_or_errors() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    open(&tab, &format!("{}/public/", s.base));
    click_to(&tab, ".site-nav a[href='standards/']", "/public/standards/");
    click_to(&tab, "main a[href='complaint-handling/']", "/public/standards/complaint-handling/");
    let crumbs = eval(&tab, "JSON.stringify([...document.querySelectorAll('.breadcrumbs a')].map(a => a.textContent))");
    assert_eq!(crumbs.as_str().unwrap(), r#"["客户服务手册","服务标准"]"#);
    click_to(&tab, ".breadcrumbs li:nth-child(2) a", "/public/standards/");
    // Internal pages too, including a report with charts.
    open(&tab, &format!("{}/internal/reports/", s.base));
    for url in requests(&tab) {
        assert!(url.starts_with(&s.base) || url.starts_with("data:"), "request to another host: {url}");
    }
    std::thread::sleep(Duration::from_millis(300));
    let errs = errors.lock().unwrap().clone();
    assert!(errs.is_empty(), "console errors: {errs:?}");
}

#[test]
fn version_switcher_leads_to_the_same_page_in_another_release() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    open(&tab, &format!("{}/public/standards/service-process/", s.base));
    tab.wait_for_element(".version-switcher summary").unwrap().click().unwrap();
    click_to(&tab, ".version-switcher a[href*='2025.1']", "/public/2025.1/standards/service-process/");
    let banner = eval(&tab, "document.querySelector('.version-banner').innerText");
    assert!(banner.as_str().unwrap().contains("2025.1"), "{banner}");
    // Back to the current version through the banner link.
    click_to(&tab, ".version-banner a", "/public/standards/service-process/");
}

/// Types a query into the search box and returns the result links as shown, once
/// the results are those of this query (the UI's message names it).
fn search(tab: &Arc<Tab>, query: &str) -> Vec<(String, String)> {
    tab.wait_for_element(".search-input").unwrap().click().unwrap();
    eval(tab, "(() => { const i = document.querySelector('.search-input'); i.value = ''; i.dispatchEvent(new Event('input')); return true; })()");
    tab.type_str(query).unwrap();
    let script = format!(
        "JSON.stringify((document.querySelector('.search-message') || {{}}).textContent?.includes({q:?}) ? [...document.querySelectorAll('.search-result')].map(r => [r.querySelector('a').href, r.innerHTML]) : [])",
        q = query
    );
    let found: Vec<(String, String)> = poll(tab, &script, |found: &Vec<_>| !found.is_empty());
    found
}

/// Evaluates `script` (which returns JSON) every 100 ms until `ready` holds of its
/// value, for up to 15 s.
fn poll<T: serde::de::DeserializeOwned + std::fmt::Debug>(tab: &Tab, script: &str, ready: impl Fn(&T) -> bool) -> T {
    let mut last = None;
    for _ in 0..150 {
        let v = eval(tab, script);
        if let Ok(value) = serde_json::from_str::<T>(v.as_str().unwrap_or("null")) {
            if ready(&value) {
                return value;
            }
            last = Some(value);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{script}: still {last:?}");
}

#[test]
fn chinese_search_finds_chinese_pages_with_highlighted_excerpts() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    open(&tab, &format!("{}/public/", s.base));
    let results = search(&tab, "投诉");
    assert!(results.iter().any(|(href, _)| href.contains("/standards/complaint-handling/")), "{results:?}");
    assert!(
        results.iter().any(|(_, html)| html.contains("<mark>投诉</mark>")),
        "excerpt highlights the match: {results:?}"
    );
    let results = search(&tab, "满意度");
    assert!(results.iter().any(|(href, _)| href.contains("/kpis/satisfaction/")), "{results:?}");
    // Mixed Chinese and Latin.
    let results = search(&tab, "NPS 推荐");
    assert!(results.iter().any(|(href, _)| href.contains("nps") || href.contains("performance")), "{results:?}");
    // The public index never answers with an internal page.
    let results = search(&tab, "考核");
    assert!(results.iter().all(|(href, _)| !href.contains("assessment-discipline")), "{results:?}");
    // An old release searches its own version.
    open(&tab, &format!("{}/public/2025.1/", s.base));
    let results = search(&tab, "投诉");
    assert!(results.iter().all(|(href, _)| href.contains("/2025.1/")), "{results:?}");
    for url in requests(&tab) {
        assert!(url.starts_with(&s.base), "request to another host: {url}");
    }
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock().unwrap());
}

/// The example in English: its own search index and words, a switcher to the same
/// page in Chinese and back, and an untranslated page that says so.
#[test]
fn the_english_site_searches_in_english_and_switches_to_the_same_page() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    open(&tab, &format!("{}/public/en/", s.base));
    assert_eq!(eval(&tab, "document.documentElement.lang").as_str(), Some("en"));
    let results = search(&tab, "complaint");
    assert!(results.iter().any(|(href, _)| href.ends_with("/public/en/standards/complaint-handling/")), "{results:?}");
    assert!(results.iter().all(|(href, _)| href.contains("/public/en/")), "English results only: {results:?}");
    assert!(results.iter().any(|(_, html)| html.to_lowercase().contains("<mark>complaint")), "{results:?}");
    // The switcher leads to the same standard in Chinese, and back.
    open(&tab, &format!("{}/public/en/standards/complaint-handling/", s.base));
    click_to(&tab, ".language-switcher a[hreflang='zh-CN']", "/public/standards/complaint-handling/");
    assert_eq!(eval(&tab, "document.documentElement.lang").as_str(), Some("zh-CN"));
    click_to(&tab, ".language-switcher a[hreflang='en']", "/public/en/standards/complaint-handling/");
    // A page not translated yet is shown in Chinese under an English notice.
    open(&tab, &format!("{}/internal/en/standards/training-drills/", s.base));
    let notice = eval(&tab, "document.querySelector('.language-banner').textContent");
    assert!(notice.as_str().unwrap().contains("has not been translated into English"), "{notice}");
    assert_eq!(eval(&tab, "document.querySelector('main').lang").as_str(), Some("zh-CN"));
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock().unwrap());
}

#[test]
fn charts_are_drawn_with_a_size_and_screenshots_are_saved() {
    let s = served();
    let b = browser(1280, 1000);
    let tab = b.new_tab().unwrap();
    open(&tab, &format!("{}/internal/reports/kpis/satisfaction/", s.base));
    // Each chart comes wide and compact; the one that fits its box shows, the other not.
    let shown = eval(&tab, "[...document.querySelectorAll('.chart-figure')].every(f => [...f.querySelectorAll('svg.chart')].filter(e => e.getBoundingClientRect().width > 0).length == 1)");
    assert_eq!(shown, serde_json::Value::Bool(true), "one drawing of each chart shows");
    let sizes = eval(&tab, "JSON.stringify([...document.querySelectorAll('svg.chart')].map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }).filter(s => s[0] > 0))");
    let sizes: Vec<(f64, f64)> = serde_json::from_str(sizes.as_str().unwrap()).unwrap();
    assert!(sizes.len() >= 2, "{sizes:?}");
    assert!(sizes.iter().all(|(w, h)| *w > 100.0 && *h > 50.0), "charts without size: {sizes:?}");
    let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    std::fs::write(artifacts().join("report-satisfaction.png"), &png).unwrap();
    open(&tab, &format!("{}/public/", s.base));
    let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    std::fs::write(artifacts().join("home.png"), &png).unwrap();
    assert!(png.len() > 10_000);
}

#[test]
fn narrow_phone_screens_never_scroll_sideways() {
    let s = served();
    let b = browser(500, 800);
    let tab = tab_at(&b, 375);
    for path in [
        "/public/",
        "/public/standards/complaint-handling/",
        "/public/performance/",
        "/managers/reports/",
        "/managers/reports/people/p12/",
        "/public/changelog/2026.1/service-process/",
        "/public/print/",
    ] {
        open(&tab, &format!("{}{path}", s.base));
        let widths = eval(&tab, "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
        let (scroll, inner): (f64, f64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
        assert!(scroll <= inner + 1.0, "{path} scrolls sideways: content {scroll}px in a {inner}px window");
        assert_eq!(inner, 375.0, "the window is {inner}px wide");
    }
    let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
    std::fs::write(artifacts().join("print-narrow.png"), &png).unwrap();
}

#[test]
fn report_and_print_pages_print_without_navigation_chrome() {
    use headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia;
    let s = served();
    let b = browser(1000, 1200);
    let tab = b.new_tab().unwrap();
    for path in ["/internal/reports/kpis/satisfaction/", "/public/print/", "/public/standards/complaint-handling/"] {
        open(&tab, &format!("{}{path}", s.base));
        tab.call_method(SetEmulatedMedia { media: Some("print".into()), features: None }).unwrap();
        let shown = eval(&tab, "JSON.stringify(['.site-header', '.site-nav', '.breadcrumbs', '.site-footer', '.toc'].map(sel => { const e = document.querySelector(sel); return e ? getComputedStyle(e).display : 'none'; }))");
        assert_eq!(
            shown.as_str().unwrap(),
            r#"["none","none","none","none","none"]"#,
            "{path} prints navigation chrome"
        );
        let charts = eval(
            &tab,
            "[...document.querySelectorAll('svg.chart-wide')].every(e => e.getBoundingClientRect().width > 0)",
        );
        assert_eq!(charts, serde_json::Value::Bool(true), "{path}: charts vanish in print");
        let pdf = tab.print_to_pdf(None).unwrap();
        assert!(pdf.starts_with(b"%PDF") && pdf.len() > 5_000, "{path}");
        if path.contains("print") {
            std::fs::write(artifacts().join("printed-handbook.pdf"), &pdf).unwrap();
        }
        tab.call_method(SetEmulatedMedia { media: Some(String::new()), features: None }).unwrap();
    }
}

/// Measures of the English career-ladder page: the table's box, the page's width, the
/// words of the cells that the browser split over lines, and the font stacks.
const TABLE_PROBE: &str = r#"JSON.stringify((() => {
  const wrap = document.querySelector('.prose .table-wrap');
  const broken = [];
  for (const cell of wrap.querySelectorAll('th, td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Words between spaces and hyphens (a line may end after a hyphen).
      for (const m of node.data.matchAll(/[^\s\-]+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].map(b => Math.round(b.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  const before = wrap.scrollLeft;
  wrap.scrollLeft = 200;
  const scrolled = wrap.scrollLeft > before;
  wrap.scrollLeft = 0;
  const family = e => getComputedStyle(e).fontFamily.split(',')[0].trim().replace(/"/g, '');
  return {
    wrap_scroll: wrap.scrollWidth, wrap_client: wrap.clientWidth, scrolled,
    page_scroll: document.documentElement.scrollWidth, viewport: window.innerWidth,
    broken,
    focusable: wrap.tabIndex === 0 && wrap.getAttribute('role') === 'region' && !!wrap.getAttribute('aria-label'),
    lang: document.documentElement.lang,
    body_font: family(document.querySelector('.prose p')),
    zh_font: family(document.querySelector('.prose span[lang="zh-CN"]')),
    main: document.querySelector('main').getBoundingClientRect().width,
  };
})())"#;

fn probe(tab: &Tab) -> serde_json::Value {
    serde_json::from_str(eval(tab, TABLE_PROBE).as_str().unwrap()).unwrap()
}

#[test]
fn an_english_page_with_a_wide_table_scrolls_the_table_not_the_page() {
    let s = served_english();
    let page = format!("{}/public/handbook/career-ladder/", s.base);
    let latin = ["-apple-system", "BlinkMacSystemFont", "Segoe UI", "Roboto", "Helvetica Neue", "Arial"];
    for width in [375, 1280] {
        let b = browser(width.max(500), 900);
        let tab = tab_at(&b, width);
        open(&tab, &page);
        let m = probe(&tab);
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(artifacts().join(format!("english-table-{width}.png")), &png).unwrap();
        let num = |k: &str| m[k].as_f64().unwrap();
        assert_eq!(num("viewport"), f64::from(width), "the window is as wide as asked: {m}");
        assert!(num("page_scroll") <= num("viewport") + 1.0, "{width}px: the page scrolls sideways: {m}");
        assert_eq!(m["broken"], serde_json::json!([]), "{width}px: words broken inside cells: {m}");
        assert_eq!(m["focusable"], true, "{width}px: the scrolling table is not a labelled, focusable region: {m}");
        assert_eq!(m["lang"], "en");
        assert!(latin.contains(&m["body_font"].as_str().unwrap()), "{width}px: English text in {m}");
        assert_eq!(m["zh_font"], "PingFang SC", "{width}px: Chinese marked lang=zh-CN keeps a CJK stack: {m}");
        if width == 375 {
            assert!(num("wrap_scroll") > num("wrap_client") + 50.0, "the table box does not overflow: {m}");
            assert_eq!(m["scrolled"], true, "the table box does not scroll: {m}");
        }
    }
}

/// The search box's placeholder and its "no results" message, once a query that
/// matches nothing has been answered, as `[placeholder, aria-label, message]`.
fn search_box_words(tab: &Arc<Tab>, query: &str) -> Vec<String> {
    tab.wait_for_element(".search-input").unwrap().click().unwrap();
    tab.type_str(query).unwrap();
    let script = "JSON.stringify((() => { const i = document.querySelector('.search-input'); \
         return [i.placeholder, i.getAttribute('aria-label'), document.querySelector('.search-message').textContent]; })())";
    poll(tab, script, |w: &Vec<String>| !w[2].is_empty())
}

/// The pages carry no search words: `search.js` holds every language's and picks the
/// page's by `<html lang>`.
#[test]
fn the_search_box_speaks_the_language_of_the_page() {
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    open(&tab, &format!("{}/public/handbook/working-hours/", served_english().base));
    assert_eq!(search_box_words(&tab, "xylophonequartz"), ["Search", "Search", "No pages found for “xylophonequartz”"]);
    open(&tab, &format!("{}/public/standards/service-process/", served().base));
    assert_eq!(
        search_box_words(&tab, "xylophonequartz"),
        ["站内搜索", "站内搜索", "没有找到与 “xylophonequartz” 相关的页面"]
    );
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock().unwrap());
}

#[test]
fn a_page_without_a_table_of_contents_uses_the_free_width() {
    let s = served_english();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let main_width = |tab: &Arc<Tab>, path: &str| {
        open(tab, &format!("{}{path}", s.base));
        let has_toc = eval(tab, "!!document.querySelector('.toc')").as_bool().unwrap();
        (eval(tab, "document.querySelector('main').getBoundingClientRect().width").as_f64().unwrap(), has_toc)
    };
    let (with_toc, toc) = main_width(&tab, "/public/handbook/working-hours/");
    assert!(toc, "the fixture's working-hours page has a table of contents");
    let (without, toc) = main_width(&tab, "/public/handbook/career-ladder/");
    assert!(!toc);
    assert!(without > with_toc + 200.0, "main column {without}px without a contents list, {with_toc}px with one");
    // The table takes the room; running text keeps the readable measure of the column.
    let table =
        eval(&tab, "document.querySelector('.prose .table-wrap').getBoundingClientRect().width").as_f64().unwrap();
    let text = eval(&tab, "document.querySelector('.prose > p').getBoundingClientRect().width").as_f64().unwrap();
    assert!(table > with_toc + 200.0 && text <= with_toc + 1.0, "table {table}px, paragraph {text}px");
}

#[test]
fn every_layout_fits_phones_tablets_and_desktops() {
    let (example, english) = (served(), served_english());
    let pages = [
        (&example.base, "/public/"),
        (&example.base, "/public/standards/"),
        (&example.base, "/public/standards/complaint-handling/"),
        (&example.base, "/public/roles/"),
        (&example.base, "/managers/reports/"),
        (&example.base, "/internal/reports/kpis/satisfaction/"),
        (&example.base, "/public/print/"),
        (&english.base, "/public/"),
        (&english.base, "/public/handbook/working-hours/"),
        (&english.base, "/public/handbook/career-ladder/"),
    ];
    for width in [375, 768, 1280, 1440] {
        let b = browser(width.max(500), 900);
        let tab = tab_at(&b, width);
        for (base, path) in pages {
            open(&tab, &format!("{base}{path}"));
            let widths = eval(&tab, "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
            let (scroll, inner): (f64, f64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
            assert!(scroll <= inner + 1.0, "{path} at {width}px scrolls sideways: {scroll}px in {inner}px");
            assert_eq!(inner, f64::from(width), "the window is {inner}px wide");
        }
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(artifacts().join(format!("layout-{width}.png")), &png).unwrap();
    }
}

/// Issue 19, item 3: the smallest on-screen size of the visible chart text of the page
/// open in `tab`, as rendered (the font size times the drawing's scale) and as the
/// height of its box, with how many texts were measured.
fn chart_text_sizes(tab: &Tab) -> (f64, f64, usize) {
    let v = eval(
        tab,
        "JSON.stringify((() => { const out = []; \
           for (const svg of document.querySelectorAll('svg.chart')) { \
             const box = svg.getBoundingClientRect(); if (!box.width) continue; \
             const scale = box.width / svg.viewBox.baseVal.width; \
             for (const t of svg.querySelectorAll('text')) { \
               if (!t.textContent.trim()) continue; \
               out.push([parseFloat(getComputedStyle(t).fontSize) * scale, t.getBoundingClientRect().height]); } } \
           return out; })())",
    );
    let sizes: Vec<(f64, f64)> = serde_json::from_str(v.as_str().unwrap()).unwrap();
    let font = sizes.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
    let height = sizes.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    (font, height, sizes.len())
}

#[test]
fn report_pages_read_on_a_phone_and_use_a_wide_screen() {
    let s = served();
    let pages = [
        "/internal/reports/kpis/satisfaction/",
        "/internal/reports/teams/support-a/",
        "/internal/reports/nps/",
        "/internal/reports/complaints/",
        "/public/performance/",
    ];
    for width in [320, 375, 1440] {
        let b = browser(width.max(500), 900);
        let tab = tab_at(&b, width);
        for path in pages {
            open(&tab, &format!("{}{path}", s.base));
            let widths = eval(&tab, "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
            let (scroll, inner): (f64, f64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
            assert!(scroll <= inner + 1.0, "{path} at {width}px scrolls sideways: {scroll}px in {inner}px");
            assert_eq!(inner, f64::from(width), "the window is {inner}px wide");
            let (font, height, n) = chart_text_sizes(&tab);
            eprintln!("{path} at {width}px (inner {inner}): {n} chart texts, smallest {font:.1}px (box {height:.1}px)");
            assert!(n >= 5, "{path} at {width}px: {n} chart texts visible");
            assert!(font >= 11.0 && height >= 11.0, "{path} at {width}px: chart text {font:.1}px (box {height:.1}px)");
            if width == 1440 {
                let used = eval(&tab, "document.querySelector('article.report').getBoundingClientRect().width");
                assert!(used.as_f64().unwrap() > 1000.0, "{path}: the report uses {used}px of 1440");
            }
        }
        if width == 1440 {
            // A chart and its month-by-month table sit side by side.
            open(&tab, &format!("{}/internal/reports/kpis/satisfaction/", s.base));
            let v = eval(
                &tab,
                "JSON.stringify((() => { const s = document.getElementById('org').closest('section'); \
                   const f = s.querySelector('.chart-figure').getBoundingClientRect(); \
                   const t = s.querySelector('.table-wrap').getBoundingClientRect(); \
                   return [f.right, t.left, f.top, t.top]; })())",
            );
            let [fig_right, table_left, fig_top, table_top]: [f64; 4] =
                serde_json::from_str(v.as_str().unwrap()).unwrap();
            assert!(fig_right <= table_left && (fig_top - table_top).abs() < 40.0, "not side by side: {v}");
        }
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(artifacts().join(format!("report-{width}.png")), &png).unwrap();
    }
}

/// The search box's state: whether its panel shows, the active option, the input's
/// value and the options' ids.
fn combobox(tab: &Tab) -> serde_json::Value {
    let v = eval(
        tab,
        "JSON.stringify((() => { const i = document.querySelector('.search-input'); \
         const p = document.querySelector('.search-panel'); \
         return { role: i.getAttribute('role'), expanded: i.getAttribute('aria-expanded'), \
           controls: i.getAttribute('aria-controls'), active: i.getAttribute('aria-activedescendant'), \
           value: i.value, visible: !!p && !p.hidden && p.getBoundingClientRect().height > 0, \
           listbox: document.getElementById(i.getAttribute('aria-controls'))?.getAttribute('role'), \
           selected: [...document.querySelectorAll('[role=option][aria-selected=true]')].map(o => o.id), \
           options: [...document.querySelectorAll('[role=option]')].map(o => o.id) }; })())",
    );
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

/// Waits until the tab's URL ends with `suffix` (after a click or a key).
fn wait_for_url(tab: &Arc<Tab>, suffix: &str) {
    for _ in 0..100 {
        if tab.get_url().ends_with(suffix) {
            let _ = tab.wait_until_navigated();
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("expected to reach …{suffix}, at {}", tab.get_url());
}

#[test]
fn the_search_box_is_a_combobox_that_overlays_the_page() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    open(&tab, &format!("{}/public/standards/service-process/", s.base));
    let heading_top = "document.querySelector('main h1').getBoundingClientRect().top";
    let before = eval(&tab, heading_top).as_f64().unwrap();
    let state = combobox(&tab);
    assert_eq!((state["role"].as_str(), state["expanded"].as_str()), (Some("combobox"), Some("false")), "{state}");
    assert_eq!(state["listbox"], "listbox", "aria-controls names the listbox: {state}");
    search(&tab, "投诉");
    let state = combobox(&tab);
    assert_eq!(state["expanded"], "true", "{state}");
    assert!(state["visible"].as_bool().unwrap() && state["options"].as_array().unwrap().len() >= 3, "{state}");
    // The suggestions lie over the page: what is below them has not moved.
    let after = eval(&tab, heading_top).as_f64().unwrap();
    assert!((after - before).abs() < 1.0, "the page moved by {} px", after - before);
    // Arrow keys move the active option, wrapping around.
    tab.press_key("ArrowDown").unwrap();
    let state = combobox(&tab);
    assert_eq!(
        (state["active"].as_str(), &state["selected"]),
        (Some("search-option-0"), &serde_json::json!(["search-option-0"]))
    );
    tab.press_key("ArrowDown").unwrap();
    assert_eq!(combobox(&tab)["active"], "search-option-1");
    tab.press_key("ArrowUp").unwrap();
    tab.press_key("ArrowUp").unwrap();
    let last = combobox(&tab)["options"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(combobox(&tab)["active"], last, "ArrowUp from the first option wraps to the last");
    // Escape closes and clears.
    tab.press_key("Escape").unwrap();
    let state = combobox(&tab);
    assert_eq!(
        (state["expanded"].as_str(), state["value"].as_str(), state["visible"].as_bool()),
        (Some("false"), Some(""), Some(false)),
        "{state}"
    );
    assert!(state["active"].is_null(), "{state}");
    // Focus leaving the box closes the suggestions.
    search(&tab, "投诉");
    eval(&tab, "document.querySelector('main').focus(); true");
    assert_eq!(combobox(&tab)["expanded"], "false");
    // Enter on an active suggestion opens it.
    search(&tab, "投诉");
    tab.press_key("ArrowDown").unwrap();
    tab.press_key("Enter").unwrap();
    wait_for_url(&tab, "/public/standards/complaint-handling/");
    // Enter with none active opens the results page for the query.
    search(&tab, "投诉时限");
    tab.press_key("Enter").unwrap();
    wait_for_url(&tab, "/public/search/?q=%E6%8A%95%E8%AF%89%E6%97%B6%E9%99%90");
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock().unwrap());
}

/// The results page's list once it shows: each result's link and excerpt HTML.
fn results_page(tab: &Arc<Tab>) -> (String, Vec<(String, String)>) {
    let script = "JSON.stringify([document.querySelector('.search-page-status')?.textContent || '', \
         [...document.querySelectorAll('.search-page-list .search-result')].map(r => [r.querySelector('a').href, r.querySelector('p').innerHTML])])";
    poll(tab, script, |(_, list): &(String, Vec<(String, String)>)| !list.is_empty())
}

#[test]
fn the_results_page_reads_the_query_from_its_address_and_shows_every_result() {
    let s = served();
    let b = browser(1280, 900);
    let tab = b.new_tab().unwrap();
    let errors = watch_errors(&tab);
    // A shared link: the query comes from the address.
    open(&tab, &format!("{}/internal/search/?q=%E6%9C%8D%E5%8A%A1", s.base));
    assert_eq!(eval(&tab, "document.querySelector('.search-input').value"), "服务");
    let (status, first) = results_page(&tab);
    assert_eq!(first.len(), 20, "a page of 20 results");
    // The browser ranks as `charter::search::rank` does on the same bundle.
    let bundle = read_bundle(&s._site.path().join("site/internal/search"));
    let expected = ranked(&bundle, "服务");
    assert!(expected.len() > 40, "{}", expected.len());
    assert!(status.contains(&expected.len().to_string()), "{status}");
    let shown: Vec<String> =
        first.iter().map(|(href, _)| href.split("/internal/").nth(1).unwrap().to_string()).collect();
    assert_eq!(shown, expected[..20]);
    // "More results" appends the next page until every result shows.
    let mut pages = 1;
    while eval(&tab, "!document.querySelector('.search-more').hidden").as_bool().unwrap() {
        let n = eval(&tab, "document.querySelectorAll('.search-page-list li').length").as_u64().unwrap();
        tab.wait_for_element(".search-more").unwrap().click().unwrap();
        for _ in 0..100 {
            if eval(&tab, "document.querySelectorAll('.search-page-list li').length").as_u64().unwrap() > n {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        pages += 1;
        assert!(pages < 20);
    }
    let all = eval(
        &tab,
        "JSON.stringify([...document.querySelectorAll('.search-page-list a')].map(a => a.href.split('/internal/')[1]))",
    );
    let all: Vec<String> = serde_json::from_str(all.as_str().unwrap()).unwrap();
    assert_eq!(all, expected, "every result, in the order Rust ranks them");
    assert_eq!(pages, expected.len().div_ceil(20));
    // Public phrases typed without spaces: each matched run highlighted, never markdown.
    for (query, marks) in
        [("投诉时限", &["投诉", "时限"][..]), ("服务态度投诉", &["服务态度", "投诉"][..]), ("退款多久", &["退款"][..])]
    {
        open(
            &tab,
            &format!("{}/public/search/?q={}", s.base, query.bytes().map(|b| format!("%{b:02X}")).collect::<String>()),
        );
        let (_, list) = results_page(&tab);
        let public = read_bundle(&s._site.path().join("site/public/search"));
        let expected = ranked(&public, query);
        let shown: Vec<&str> = list.iter().map(|(h, _)| h.split("/public/").nth(1).unwrap()).collect();
        assert_eq!(shown, expected[..expected.len().min(20)], "{query}");
        // Some excerpt shows every piece of the query where it stands in the text.
        let whole = list.iter().find(|(_, html)| marks.iter().all(|m| html.contains(&format!("<mark>{m}</mark>"))));
        assert!(whole.is_some(), "{query}: {list:?}");
        for (_, html) in &list {
            assert!(
                !html.contains("](") && !html.contains(".md") && !html.contains("##"),
                "markdown in an excerpt: {html}"
            );
        }
    }
    assert!(errors.lock().unwrap().is_empty(), "{:?}", errors.lock().unwrap());
}

/// The internal print edition as a user prints it (the browser's print dialog honours
/// the page's `@page` size): every sheet is A4, every page prints under the `internal`
/// named page whose top margin box says "内部资料 / Internal", and each standard starts
/// a new sheet.
#[test]
fn the_internal_print_edition_prints_on_a4_marked_internal() {
    use headless_chrome::types::PrintToPdfOptions;
    let s = served();
    let b = browser(1000, 1200);
    let tab = b.new_tab().unwrap();
    open(&tab, &format!("{}/internal/print/", s.base));
    tab.call_method(headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    // The stylesheet's rules as the browser parsed them: the page the body prints on and
    // the margin box of that page.
    let rules = eval(
        &tab,
        r#"JSON.stringify((() => {
  const out = [];
  const walk = rules => { for (const r of rules) { if (r.cssRules) walk(r.cssRules); if (r instanceof CSSPageRule) out.push(r.cssText); } };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  const body = getComputedStyle(document.body).page;
  return { pages: out, body, standards: document.querySelectorAll('.print-standard').length };
})())"#,
    );
    let rules: serde_json::Value = serde_json::from_str(rules.as_str().unwrap()).unwrap();
    let pages: Vec<&str> = rules["pages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(pages.iter().any(|p| p.to_lowercase().contains("size: a4")), "{pages:?}");
    assert!(
        pages
            .iter()
            .any(|p| p.starts_with("@page internal") && p.contains("@top-center") && p.contains("内部资料 / Internal")),
        "{pages:?}"
    );
    // The print page's body is on the named page on which the margin box prints.
    assert_eq!(rules["body"], "internal");
    let standards = rules["standards"].as_u64().unwrap();
    assert!(standards > 20);
    let pdf = tab
        .print_to_pdf(Some(PrintToPdfOptions { prefer_css_page_size: Some(true), ..PrintToPdfOptions::default() }))
        .unwrap();
    std::fs::write(artifacts().join("internal-print-edition.pdf"), &pdf).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    // Every sheet's box, in points: A4 is 595 × 842.
    let boxes: Vec<(f64, f64)> = text
        .split("/MediaBox [")
        .skip(1)
        .map(|b| {
            let n: Vec<f64> = b.split(']').next().unwrap().split_whitespace().map(|x| x.parse().unwrap()).collect();
            (n[2] - n[0], n[3] - n[1])
        })
        .collect();
    assert!(boxes.len() as u64 > standards, "{} sheets for {standards} standards", boxes.len());
    for (w, h) in &boxes {
        assert!((w - 595.0).abs() < 1.5 && (h - 842.0).abs() < 1.5, "a sheet of {w} × {h} pt is not A4");
    }
    // Every sheet draws the margin box's text: its content stream shows "Internal"
    // (glyph by glyph, in the font's ids for those letters, which the first sheet's
    // margin box gives) before anything else.
    let sheets = page_contents(&pdf);
    assert_eq!(sheets.len(), boxes.len(), "one content stream per sheet");
    let glyphs = |sheet: &str| -> Vec<String> {
        sheet.split(" Tj").filter_map(|s| s.rsplit('<').next().map(|g| g.trim_end_matches('>').to_string())).collect()
    };
    let first = glyphs(&sheets[0]);
    // "内部资料 / Internal": four CJK glyphs, space, slash, space, then I-n-t-e-r-n-a-l
    // (the same glyph for both n's).
    let internal: Vec<String> = first[7..15].to_vec();
    assert_eq!(internal[1], internal[5], "{first:?}");
    for (n, sheet) in sheets.iter().enumerate() {
        let g = glyphs(sheet);
        assert!(g.windows(8).any(|w| w == internal.as_slice()), "sheet {} lacks 内部资料 / Internal", n + 1);
    }
}

/// The decompressed content streams of a PDF that draw text, in file order (Chromium
/// writes one per sheet).
fn page_contents(pdf: &[u8]) -> Vec<String> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], b"stream\n").map(|i| from + i + 7) {
        let end = find(&pdf[at..], b"endstream").map_or(pdf.len(), |i| at + i);
        from = (end + b"endstream".len()).min(pdf.len());
        let mut text = Vec::new();
        if flate2::read::ZlibDecoder::new(&pdf[at..end]).read_to_end(&mut text).is_ok() {
            let text = String::from_utf8_lossy(&text).into_owned();
            if text.contains(" Tf\n") && text.contains(" Tj") {
                out.push(text);
            }
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Colours of a page as the reader sees them: the body's background and text, the
/// colour of a chart's axis labels and of its background rectangle, and the WCAG
/// contrast of the labels on the page.
const COLOUR_PROBE: &str = r#"JSON.stringify((() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = c => { const l = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2]; };
  const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const body = getComputedStyle(document.body);
  const bg = rgb(getComputedStyle(document.documentElement).backgroundColor);
  const label = document.querySelector('svg.chart text');
  const rect = document.querySelector('svg.chart rect');
  const fill = rgb(getComputedStyle(label).fill);
  return { bg: lum(bg), text: lum(rgb(body.color)), chart_bg: lum(rgb(getComputedStyle(rect).fill)),
           label_contrast: contrast(fill, bg), text_contrast: contrast(rgb(body.color), bg) };
})())"#;

#[test]
fn dark_mode_follows_the_system_setting_charts_included() {
    use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
    let s = served();
    let b = browser(1000, 1200);
    let tab = b.new_tab().unwrap();
    let scheme = |value: &str| SetEmulatedMedia {
        media: Some(String::new()),
        features: Some(vec![MediaFeature { name: "prefers-color-scheme".into(), value: value.into() }]),
    };
    for path in ["/internal/reports/kpis/satisfaction/", "/public/performance/"] {
        open(&tab, &format!("{}{path}", s.base));
        tab.call_method(scheme("light")).unwrap();
        let light: serde_json::Value = serde_json::from_str(eval(&tab, COLOUR_PROBE).as_str().unwrap()).unwrap();
        assert!(light["bg"].as_f64().unwrap() > 0.9, "{path}: light background {light}");
        tab.call_method(scheme("dark")).unwrap();
        let dark: serde_json::Value = serde_json::from_str(eval(&tab, COLOUR_PROBE).as_str().unwrap()).unwrap();
        let f = |k: &str| dark[k].as_f64().unwrap();
        assert!(f("bg") < 0.02, "{path}: the page background is dark: {dark}");
        assert!(f("text") > 0.7, "{path}: the text is light: {dark}");
        assert!(f("chart_bg") < 0.02, "{path}: the chart background follows the page: {dark}");
        assert!(f("text_contrast") >= 4.5 && f("label_contrast") >= 4.5, "{path}: contrast: {dark}");
        if path.contains("satisfaction") {
            let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
            std::fs::write(artifacts().join("report-dark.png"), &png).unwrap();
        }
        tab.call_method(scheme("light")).unwrap();
    }
}

/// Issue 20, item 3: the built example served by Debian's nginx with the configuration
/// `charter build` generated (`.ci/nginx-check` starts it on loopback, with a
/// self-signed certificate and a reader per tier behind sign-in, and runs this test —
/// it is ignored otherwise). The script says where in environment variables, which
/// must be set: `CHARTER_NGINX_URLS` (`tier=https://…/` separated by spaces, lowest
/// tier first), `CHARTER_NGINX_AUTH` (`tier=user:password` for each tier behind
/// sign-in), `CHARTER_NGINX_OUT` (the output folder, to choose pages from) and
/// `CHARTER_NGINX_RESOLVE` (Chromium host-resolver rules mapping a tier's own host
/// name to its loopback port; may be empty).
struct NginxTier {
    name: String,
    url: String,
    login: Option<(String, String)>,
}

fn nginx_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run this test through .ci/nginx-check"))
}

/// `name=value` pairs separated by spaces.
fn nginx_pairs(name: &str) -> Vec<(String, String)> {
    nginx_env(name)
        .split_whitespace()
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or_else(|| panic!("{name}: `{pair}` is not name=value"));
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn nginx_tiers() -> Vec<NginxTier> {
    let logins = nginx_pairs("CHARTER_NGINX_AUTH");
    let tiers: Vec<NginxTier> = nginx_pairs("CHARTER_NGINX_URLS")
        .into_iter()
        .map(|(name, url)| {
            let login = logins.iter().find(|(t, _)| *t == name).map(|(_, l)| {
                let (u, p) = l.split_once(':').expect("CHARTER_NGINX_AUTH: tier=user:password");
                (u.to_string(), p.to_string())
            });
            NginxTier { name, url, login }
        })
        .collect();
    assert!(tiers.len() >= 2, "CHARTER_NGINX_URLS names fewer than two tiers: {tiers:?}", tiers = tiers.len());
    assert!(tiers[1..].iter().all(|t| t.login.is_some()), "CHARTER_NGINX_AUTH lacks a tier behind sign-in");
    tiers
}

/// Every page folder of a built tier (`""` is the home page), sorted.
fn page_folders(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().parent().unwrap().strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/");
            if rel.is_empty() {
                rel
            } else {
                format!("{rel}/")
            }
        })
        .collect();
    pages.sort();
    pages
}

/// The pages of a tier a reader meets: home, a standard, a role, the search page, the
/// print edition, a page with charts, a KPI page, the first page no lower tier has and
/// a missing page (the 404 page, asked for at the site's top level: without a
/// configured URL it links to its files relative to there).
fn representative_pages(pages: &[String], lower: &[String]) -> Vec<String> {
    let first = |prefix: &str| pages.iter().find(|p| p.starts_with(prefix) && p.len() > prefix.len()).cloned();
    let mut chosen: Vec<String> = vec![String::new()];
    chosen.extend(first("standards/"));
    chosen.extend(first("roles/"));
    chosen.extend(pages.iter().find(|p| *p == "search/").cloned());
    chosen.extend(pages.iter().find(|p| *p == "print/").cloned());
    chosen.extend(first("kpis/"));
    chosen.extend(pages.iter().find(|p| !lower.contains(p)).cloned());
    chosen.push("no-such-page".to_string());
    let mut seen = std::collections::BTreeSet::new();
    chosen.retain(|p| seen.insert(p.clone()));
    chosen
}

/// What went wrong for Content-Security-Policy on a tab: `securitypolicyviolation`
/// events (recorded by a script injected before every document) are read per page;
/// the console and log entries naming the policy, and any other error, arrive here.
fn watch_csp(tab: &Arc<Tab>) -> Arc<Mutex<Vec<(String, String)>>> {
    use headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument;
    tab.call_method(AddScriptToEvaluateOnNewDocument {
        source: "window.__csp = []; document.addEventListener('securitypolicyviolation', e => \
                 window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"
            .into(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    tab.enable_log().unwrap().enable_runtime().unwrap();
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let (text, url) = match event {
            Event::LogEntryAdded(e) => {
                let entry = &e.params.entry;
                let csp =
                    entry.text.contains("Content Security Policy") || entry.text.contains("Content-Security-Policy");
                if !csp && !format!("{:?}", entry.level).contains("Error") {
                    return;
                }
                (format!("log: {}", entry.text), entry.url.clone().unwrap_or_default())
            }
            Event::RuntimeConsoleAPICalled(e) => {
                let text = format!("{:?}", e.params.args.iter().map(|a| a.value.clone()).collect::<Vec<_>>());
                if !text.contains("Content Security Policy") && !format!("{:?}", e.params.Type).contains("Error") {
                    return;
                }
                (format!("console: {text}"), String::new())
            }
            Event::RuntimeExceptionThrown(e) => (format!("exception: {:?}", e.params.exception_details), String::new()),
            _ => return,
        };
        sink.lock().unwrap().push((text, url));
    }))
    .unwrap();
    seen
}

#[test]
#[ignore = "needs nginx serving the example: .ci/nginx-check starts it and runs this test"]
fn pages_served_by_nginx_raise_no_csp_violations() {
    let tiers = nginx_tiers();
    let out = PathBuf::from(nginx_env("CHARTER_NGINX_OUT"));
    let mut extra = vec!["--ignore-certificate-errors".to_string()];
    let rules = nginx_env("CHARTER_NGINX_RESOLVE");
    if !rules.is_empty() {
        extra.push(format!("--host-resolver-rules={rules}"));
    }
    let b = browser_with(1280, 900, &extra);
    // Violations as the page's `securitypolicyviolation` events and as console messages
    // (each blocked load is usually both).
    let (mut loaded, mut events, mut messages, mut charts, mut problems) = (0, 0, 0, 0, Vec::new());
    let mut lower: Vec<String> = Vec::new();
    for tier in &tiers {
        let pages = page_folders(&out.join(&tier.name));
        assert!(!pages.is_empty(), "{}: no pages under {}", tier.name, out.display());
        let mut chosen = representative_pages(&pages, &lower);
        // Pages with charts: the first and the last that draw one (an overview with small
        // trend charts and a report or KPI page with full ones, in the example).
        let with_charts: Vec<&String> = pages
            .iter()
            .filter(|p| {
                std::fs::read_to_string(out.join(&tier.name).join(p).join("index.html"))
                    .is_ok_and(|html| html.contains("class=\"chart"))
            })
            .collect();
        for page in [with_charts.first(), with_charts.last()].into_iter().flatten() {
            if !chosen.contains(page) {
                chosen.push(page.to_string());
            }
        }
        let tab = b.new_tab().unwrap();
        if let Some((user, password)) = &tier.login {
            // The browser's own sign-in: nginx asks (401), the browser answers the challenge.
            tab.enable_fetch(None, Some(true)).unwrap();
            tab.authenticate(Some(user.clone()), Some(password.clone())).unwrap();
        }
        let seen = watch_csp(&tab);
        for page in &chosen {
            let url = format!("{}{page}", tier.url);
            open(&tab, &url);
            loaded += 1;
            std::thread::sleep(Duration::from_millis(200));
            let probe = eval(
                &tab,
                "JSON.stringify({ csp: window.__csp || null, margin: getComputedStyle(document.body).marginTop, \
                 rules: [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0), \
                 search: !!document.querySelector('.search-input'), \
                 charts: [...document.querySelectorAll('svg.chart')].map(e => e.getBoundingClientRect()).filter(r => r.width > 0).map(r => [r.width, r.height]) })",
            );
            let probe: serde_json::Value = serde_json::from_str(probe.as_str().unwrap()).unwrap();
            let csp = probe["csp"].as_array().unwrap_or_else(|| panic!("{url}: the injected listener did not run"));
            events += csp.len();
            problems.extend(csp.iter().map(|v| format!("{url}: securitypolicyviolation {v}")));
            if probe["margin"] != "0px" || probe["rules"].as_u64().unwrap_or(0) < 50 {
                problems.push(format!("{url}: the stylesheet is not applied: {probe}"));
            }
            if !probe["search"].as_bool().unwrap() {
                problems.push(format!("{url}: search.js did not build the search box"));
            }
            if with_charts.contains(&page) {
                let sizes = probe["charts"].as_array().unwrap();
                charts += sizes.len();
                let sized = |s: &serde_json::Value| s[0].as_f64().unwrap() > 100.0 && s[1].as_f64().unwrap() > 30.0;
                if sizes.is_empty() || !sizes.iter().all(sized) {
                    problems.push(format!("{url}: charts without size: {sizes:?}"));
                }
            }
            // Searching needs search.js (a missing search box is reported above).
            if page == "search/" && probe["search"].as_bool().unwrap() {
                // A query from the site's own words: the first standard's title.
                let standard = chosen.iter().find(|p| p.starts_with("standards/")).expect("a standard");
                let html = std::fs::read_to_string(out.join(&tier.name).join(standard).join("index.html")).unwrap();
                let h1 = html.split("<h1").nth(1).and_then(|h| h.split_once('>')).map(|(_, h)| h).unwrap_or("");
                let query: String =
                    h1.split('<').next().unwrap().chars().filter(|c| !c.is_whitespace()).take(4).collect();
                assert!(!query.is_empty(), "{url}: no title to search for");
                let found = search(&tab, &query);
                assert!(!found.is_empty(), "{url}: no result for {query}");
                let encoded: String = query.bytes().map(|b| format!("%{b:02X}")).collect();
                open(&tab, &format!("{url}?q={encoded}"));
                loaded += 1;
                let (_, list) = results_page(&tab);
                assert!(!list.is_empty(), "{url}?q={query}: no results shown");
                let csp = eval(&tab, "JSON.stringify(window.__csp)");
                let csp: Vec<String> = serde_json::from_str(csp.as_str().unwrap()).unwrap();
                events += csp.len();
                problems.extend(csp.iter().map(|v| format!("{url}?q={query}: securitypolicyviolation {v}")));
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        for (text, from) in seen.lock().unwrap().iter() {
            // The missing page's own 404 is the one error expected.
            if from.ends_with("/no-such-page") && text.contains("404") {
                continue;
            }
            if text.contains("Content Security Policy") || text.contains("Content-Security-Policy") {
                messages += 1;
            }
            problems.push(format!("{}: {text} ({from})", tier.name));
        }
        lower = pages;
    }
    println!(
        "nginx browser: {loaded} pages loaded over {} tiers, {charts} charts drawn; CSP violations: {events} \
         securitypolicyviolation event(s), {messages} console message(s); {} problem(s) in all",
        tiers.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(loaded >= 8 * tiers.len(), "only {loaded} pages loaded");
}
