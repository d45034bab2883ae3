//! Measures edit-to-reload latency of `charter serve` on the example site: starts the
//! server on a copy of the example, listens to its reload events, edits a standard N
//! times and prints the time from each save to the reload event (min, median, p90,
//! max): the reload that names the edited page. Run with a release build:
//!
//!     cargo build --release && cargo run --release --example bench-serve [-- N]
//!
//! `-- N SITE PAGE` measures another site instead (for example one the `bench` example
//! generated with `--keep`), editing `content/PAGE` by appending a line.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20);
    let bin = std::env::var("CHARTER_BIN").unwrap_or_else(|_| "target/release/charter".into());
    let other: Option<(String, String)> = std::env::args().nth(2).zip(std::env::args().nth(3));
    let site = std::env::temp_dir().join(format!("charter-bench-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    let from = other.as_ref().map_or(std::path::PathBuf::from("."), |(dir, _)| std::path::PathBuf::from(dir));
    for part in ["charter.yaml", "content", "data", "versions", "templates"] {
        copy(&from.join(part), &site.join(part));
    }
    let mut child = Command::new(&bin)
        .args(["serve", "--root", site.to_str().unwrap(), "--port", "0", "--today", "2026-11-23"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start charter serve (build it with --release first)");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            panic!("serve exited");
        }
        if let Some(rest) = line.split("http://").nth(1) {
            break rest
                .trim()
                .trim_end_matches(|c| c != '/')
                .trim_end_matches('/')
                .split(' ')
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    std::thread::spawn(move || for _ in out.lines() {});
    let mut sse = TcpStream::connect(&addr).unwrap();
    write!(sse, "GET /__charter/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    sse.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut events = Events { stream: sse, seen: String::new() };
    events.next("\r\n\r\n");
    let rel = other.as_ref().map_or("standards/service-culture.md", |(_, page)| page.as_str());
    let url = format!("/{}/", rel.trim_end_matches(".md"));
    let page = site.join("content").join(rel);
    let original = std::fs::read_to_string(&page).unwrap();
    let mut times = Vec::new();
    for i in 0..n {
        std::thread::sleep(Duration::from_millis(150));
        let t0 = Instant::now();
        let edited = format!("{original}\n编辑 {i}。\n");
        std::fs::write(&page, edited).unwrap();
        events.reload_of(&url);
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&site);
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    println!("edit-to-reload latency over {n} edits ({}, {} threads): min {:.1} ms, median {:.1} ms, p90 {:.1} ms, max {:.1} ms", other.as_ref().map_or("example site", |(d, _)| d.as_str()), std::thread::available_parallelism().map_or(1, |n| n.get()), times[0], pct(0.5), pct(0.9), times[times.len() - 1]);
}

/// The server's event stream, read as far as needed.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Reads until `needle`; returns what came before it and drops both.
    fn next(&mut self, needle: &str) -> String {
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            let k = self.stream.read(&mut buf).expect("reload event");
            assert!(k > 0, "event stream closed");
            self.seen.push_str(&String::from_utf8_lossy(&buf[..k]));
        }
        let at = self.seen.find(needle).unwrap();
        let before = self.seen[..at].to_string();
        self.seen.drain(..at + needle.len());
        before
    }

    /// Waits for a reload event that names `url` (or every page).
    fn reload_of(&mut self, url: &str) {
        loop {
            let event = self.next("\n\n");
            let Some(data) = event.split("event: reload\ndata: ").nth(1) else { continue };
            if data == "*" || data.split(' ').any(|u| u == url) {
                return;
            }
        }
    }
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    if from.is_file() {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    } else if from.is_dir() {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    }
}
