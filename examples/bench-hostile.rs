//! Pathological markdown at n and 2n: prints the time of each input and the ratio, which
//! should stay near 2 (linear) and never approach 4 (quadratic). First the markdown
//! passes alone (outline, then rendering with raw HTML sanitised) in this process,
//! then `charter check` on a small site holding the page (every step of a build but
//! writing: links, search extraction, print edition included).
//!
//!     cargo run --release --example bench-hostile [-- --runs 5]
//!
//! Inputs: n-deep nested lists (`- - - …`) and block quotes (`> > > …`), n `[` and n
//! `[](`, n unfilled `[X]` blanks, the same `## 标题` heading n times, n-deep nested raw `<div><b>` (deeper than
//! the sanitiser is given: shown as text), n raw `<kbd>` and `<script>` side by side
//! (sanitised), and n links to anchors of a page whose heading repeats n times. Each figure is the
//! median of `--runs` runs (default 3).

use std::path::Path;
use std::time::{Duration, Instant};

use charter::build::{self, BuildOptions, Mode};
use charter::markdown::{self, Hooks};

struct Case {
    name: &'static str,
    n: usize,
    /// The page's markdown for size `n`.
    body: fn(usize) -> String,
    /// Another page the site needs (the link target), for size `n`.
    other: Option<fn(usize) -> String>,
}

fn nested_lists(n: usize) -> String {
    format!("{}深\n", "- ".repeat(n))
}
fn nested_quotes(n: usize) -> String {
    format!("{}深\n", "> ".repeat(n))
}
fn open_brackets(n: usize) -> String {
    format!("{}\n", "[".repeat(n))
}
fn open_links(n: usize) -> String {
    format!("{}\n", "[](".repeat(n))
}
fn blanks(n: usize) -> String {
    format!("{}\n", "[X]".repeat(n))
}
fn same_heading(n: usize) -> String {
    "## 标题\n\n正文。\n\n".repeat(n)
}
fn nested_html(n: usize) -> String {
    format!("<div>{}<script>x</script>深{}</div>\n", "<div><b>".repeat(n), "</b></div>".repeat(n))
}
fn wide_html(n: usize) -> String {
    "<kbd>k</kbd><script>x</script>".repeat(n)
}
fn anchor_links(n: usize) -> String {
    (1..=n).map(|i| format!("[{i}](target.md#标题-{})\n", 1 + i % (n - 1))).collect()
}

const CASES: &[Case] = &[
    Case { name: "nested lists", n: 10_000, body: nested_lists, other: None },
    Case { name: "nested quotes", n: 10_000, body: nested_quotes, other: None },
    Case { name: "[ brackets", n: 50_000, body: open_brackets, other: None },
    Case { name: "[]( brackets", n: 50_000, body: open_links, other: None },
    Case { name: "[X] blanks", n: 50_000, body: blanks, other: None },
    Case { name: "same heading", n: 10_000, body: same_heading, other: None },
    Case { name: "nested raw HTML", n: 10_000, body: nested_html, other: None },
    Case { name: "wide raw HTML", n: 20_000, body: wide_html, other: None },
    Case { name: "links to anchors", n: 10_000, body: anchor_links, other: Some(same_heading) },
];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time_markdown(body: &str, runs: usize) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let o = markdown::outline(body, &Hooks::none());
                let html = markdown::to_html(body, &o, &[], &|_| (String::new(), false));
                std::hint::black_box(html);
                start.elapsed()
            })
            .collect(),
    )
}

/// A minimal site with `body` as an internal standard (and `other` as `target.md`).
fn write_site(dir: &Path, body: &str, other: Option<&str>) {
    let std_dir = dir.join("content/standards");
    std::fs::create_dir_all(&std_dir).unwrap();
    std::fs::write(dir.join("charter.yaml"), "title: 基准\nlanguage: zh-CN\n").unwrap();
    std::fs::write(dir.join("content/_index.md"), "---\ntitle: 首页\naudience: public\n---\n").unwrap();
    std::fs::write(std_dir.join("_index.md"), "---\ntitle: 标准\naudience: public\n---\n").unwrap();
    // Internal pages: a public page may not have unfilled `[X]` blanks.
    let page = |title: &str, body: &str| format!("---\ntitle: {title}\n---\n\n{body}");
    std::fs::write(std_dir.join("page.md"), page("页面", body)).unwrap();
    if let Some(o) = other {
        std::fs::write(std_dir.join("target.md"), page("目标", o)).unwrap();
    }
}

fn time_check(case: &Case, n: usize, runs: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    write_site(dir.path(), &(case.body)(n), case.other.map(|o| o(n)).as_deref());
    let opts = BuildOptions::new(dir.path(), Mode::Check);
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                let r = build::build(&opts);
                assert!(r.is_ok(), "{}: {r:?}", case.name);
                start.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|r| r.parse().ok())
        .unwrap_or(3usize)
        .max(1);
    println!("median of {runs} runs; ratio = time(2n) / time(n)\n");
    println!("{:<18} {:>7} | {:>10} {:>10} {:>6} | {:>10} {:>10} {:>6}", "", "", "markdown", "", "", "check", "", "");
    println!(
        "{:<18} {:>7} | {:>10} {:>10} {:>6} | {:>10} {:>10} {:>6}",
        "input", "n", "n (ms)", "2n (ms)", "ratio", "n (ms)", "2n (ms)", "ratio"
    );
    for case in CASES {
        let (a, b) = (time_markdown(&(case.body)(case.n), runs), time_markdown(&(case.body)(2 * case.n), runs));
        let (c, d) = (time_check(case, case.n, runs), time_check(case, 2 * case.n, runs));
        println!(
            "{:<18} {:>7} | {:>10.1} {:>10.1} {:>6.2} | {:>10.1} {:>10.1} {:>6.2}",
            case.name,
            case.n,
            ms(a),
            ms(b),
            ms(b) / ms(a),
            ms(c),
            ms(d),
            ms(d) / ms(c)
        );
    }
}
