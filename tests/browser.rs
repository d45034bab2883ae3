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

fn browser(width: u32, height: u32) -> Browser {
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
    for _ in 0..100 {
        if tab.get_url().ends_with(suffix) {
            let _ = tab.wait_until_navigated();
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("clicking {selector} led to {}, not …{suffix}", tab.get_url());
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
    for _ in 0..150 {
        let v = eval(tab, &script);
        let found: Vec<(String, String)> = serde_json::from_str(v.as_str().unwrap_or("[]")).unwrap_or_default();
        if !found.is_empty() {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no results for {query}");
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

#[test]
fn charts_are_drawn_with_a_size_and_screenshots_are_saved() {
    let s = served();
    let b = browser(1280, 1000);
    let tab = b.new_tab().unwrap();
    open(&tab, &format!("{}/internal/reports/kpis/satisfaction/", s.base));
    let sizes = eval(&tab, "JSON.stringify([...document.querySelectorAll('svg.chart')].map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }))");
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
    let b = browser(375, 800);
    let tab = b.new_tab().unwrap();
    for path in [
        "/public/",
        "/public/standards/complaint-handling/",
        "/public/performance/",
        "/internal/reports/",
        "/internal/reports/people/p12/",
        "/public/changelog/2026.1/service-process/",
        "/public/print/",
    ] {
        open(&tab, &format!("{}{path}", s.base));
        let widths = eval(&tab, "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
        let (scroll, inner): (f64, f64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
        assert!(scroll <= inner + 1.0, "{path} scrolls sideways: content {scroll}px in a {inner}px window");
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
        let charts =
            eval(&tab, "[...document.querySelectorAll('svg.chart')].every(e => e.getBoundingClientRect().width > 0)");
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
        let b = browser(width, 900);
        let tab = b.new_tab().unwrap();
        open(&tab, &page);
        let m = probe(&tab);
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(artifacts().join(format!("english-table-{width}.png")), &png).unwrap();
        let num = |k: &str| m[k].as_f64().unwrap();
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
        (&example.base, "/internal/reports/"),
        (&example.base, "/internal/reports/kpis/satisfaction/"),
        (&example.base, "/public/print/"),
        (&english.base, "/public/"),
        (&english.base, "/public/handbook/working-hours/"),
        (&english.base, "/public/handbook/career-ladder/"),
    ];
    for width in [375, 768, 1280, 1440] {
        let b = browser(width, 900);
        let tab = b.new_tab().unwrap();
        for (base, path) in pages {
            open(&tab, &format!("{base}{path}"));
            let widths = eval(&tab, "JSON.stringify([document.documentElement.scrollWidth, window.innerWidth])");
            let (scroll, inner): (f64, f64) = serde_json::from_str(widths.as_str().unwrap()).unwrap();
            assert!(scroll <= inner + 1.0, "{path} at {width}px scrolls sideways: {scroll}px in {inner}px");
        }
        let png = tab.capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true).unwrap();
        std::fs::write(artifacts().join(format!("layout-{width}.png")), &png).unwrap();
    }
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
