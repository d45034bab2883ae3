//! `charter serve` end to end on loopback: the page is served with the live-reload
//! script, an edit is rebuilt and announced, templates and parameters never go stale,
//! a broken edit shows an overlay over the last good site until it is fixed, requests
//! that try to leave the site root get 404, a taken port falls back to a free one, and
//! files beside pages and in `static/` are served and follow their changes.
//! Every read has a timeout and the server is killed when a test ends.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    log: std::sync::mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path, port: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", port, "--today", "2026-06-15"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The guard exists before anything can fail, so the server is always reaped.
    let mut server = Server { child, addr: String::new(), log: rx };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line =
            server.log.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("serve did not start");
        if let Some(rest) = line.split("http://").nth(1) {
            server.addr = rest.split('/').next().unwrap().to_string();
            return server;
        }
    }
}

impl Server {
    /// Reads the server's output until a line containing `needle`; returns the lines read.
    fn wait_for_log(&self, needle: &str) -> Vec<String> {
        let mut lines = Vec::new();
        while !lines.last().is_some_and(|l: &String| l.contains(needle)) {
            lines.push(
                self.log.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("no `{needle}`: {lines:?}")),
            );
        }
        lines
    }
}

/// A raw HTTP/1.1 GET: (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

struct Events(TcpStream, String);

impl Events {
    fn open(addr: &str) -> Events {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        write!(s, "GET /__charter/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut e = Events(s, String::new());
        e.wait_for("\r\n\r\n");
        e.1.clear();
        e
    }

    /// Reads until `needle` arrives; returns what was read.
    fn wait_for(&mut self, needle: &str) -> String {
        let mut buf = [0u8; 8192];
        while !self.1.contains(needle) {
            let k = self.0.read(&mut buf).unwrap_or_else(|e| panic!("no `{needle}` event: {e}; got {}", self.1));
            assert!(k > 0, "event stream closed");
            self.1.push_str(&String::from_utf8_lossy(&buf[..k]));
        }
        let seen = std::mem::take(&mut self.1);
        let cut = seen.find(needle).unwrap() + needle.len();
        self.1 = seen[cut..].to_string();
        seen[..cut].to_string()
    }
}

impl Events {
    /// Waits for a reload event that names the page at `url` (or every page).
    fn wait_for_reload_of(&mut self, url: &str) {
        loop {
            let event = self.wait_for("\n\n");
            let Some(data) = event.split("event: reload\ndata: ").nth(1) else { continue };
            let data = data.lines().next().unwrap_or_default();
            if data == "*" || data.split(' ').any(|u| u == url) {
                return;
            }
        }
    }
}

fn edit(root: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} lacks {from}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn serve_rebuilds_reloads_shows_overlays_and_recovers() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    let server = start(root, "0");
    let (status, body) = get(&server.addr, "/standards/time-limits/");
    assert_eq!(status, 200);
    assert!(body.contains("线上人工客服在 <span class=\"param\">5 分钟</span>"));
    assert!(body.contains("new EventSource(\"/__charter/events\")"), "live-reload script injected");
    assert!(!root.join("site").exists(), "serve writes nothing");

    let mut events = Events::open(&server.addr);
    // A content edit: rebuilt, announced, served.
    edit(root, "content/standards/time-limits.md", "标题里的参数也会生成锚点。", "保存后立即可见的改动。");
    events.wait_for_reload_of("/standards/time-limits/");
    assert!(get(&server.addr, "/standards/time-limits/").1.contains("保存后立即可见的改动。"));
    // The page alone was re-rendered at once; the rest of the site follows.
    let log = server.wait_for_log("rebuilt in");
    assert!(log.iter().any(|l| l.starts_with("updated /standards/time-limits/ in")), "{log:?}");
    assert!(get(&server.addr, "/print/").1.contains("保存后立即可见的改动。"), "the print edition caught up");
    // A parameter: every page that shows it updates.
    edit(root, "data/params.yaml", "online_reply_minutes: {value: 5,", "online_reply_minutes: {value: 4,");
    events.wait_for_reload_of("/standards/time-limits/");
    assert!(get(&server.addr, "/standards/time-limits/").1.contains("<span class=\"param\">4 分钟</span>"));
    // A template: nothing stale.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/toc.html"), "<aside class=\"toc\">新目录模板</aside>").unwrap();
    events.wait_for_reload_of("/standards/time-limits/");
    assert!(get(&server.addr, "/standards/time-limits/").1.contains("新目录模板"));

    // A broken edit: the overlay, over the last good site.
    edit(root, "content/standards/time-limits.md", "owner: front-desk", "owner: nobody");
    events.wait_for("event: failed");
    let failed = events.wait_for("\n\n");
    assert!(failed.contains("unknown owner `nobody`"), "{failed}");
    let (status, body) = get(&server.addr, "/standards/time-limits/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"charter-overlay\"") && body.contains("unknown owner `nobody`"));
    assert!(body.contains("保存后立即可见的改动。"), "the last good page is still served");
    // Fixed: reload, and the overlay is gone.
    edit(root, "content/standards/time-limits.md", "owner: nobody", "owner: front-desk");
    events.wait_for_reload_of("/standards/time-limits/");
    assert!(!get(&server.addr, "/standards/time-limits/").1.contains("id=\"charter-overlay\""));
    let log: Vec<String> = server.log.try_iter().collect();
    assert!(log.iter().any(|l| l.starts_with("rebuild failed")), "{log:?}");
}

#[test]
fn requests_that_leave_the_site_root_get_404() {
    let site = site_with(&[]);
    let secret = site.path().join("charter.yaml");
    assert!(secret.exists());
    let server = start(site.path(), "0");
    for path in [
        "/../charter.yaml",
        "/../../etc/passwd",
        "/%2e%2e/charter.yaml",
        "/%2E%2E%2Fcharter.yaml",
        "/standards/..%2f..%2fcharter.yaml",
        "/..%5ccharter.yaml",
        "//etc/passwd",
        "/index.html%00.css",
    ] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("title: 测试手册"), "{path} leaked a source file");
    }
    assert_eq!(get(&server.addr, "/standards").0, 301, "folders redirect to their slash");
    assert_eq!(get(&server.addr, "/style.css").0, 200);
}

#[test]
fn a_taken_port_falls_back_to_a_free_one() {
    let site = site_with(&[]);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let server = start(site.path(), &port);
    assert!(!server.addr.ends_with(&format!(":{port}")), "{}", server.addr);
    assert_eq!(get(&server.addr, "/").0, 200);
}

#[test]
fn serve_shows_files_beside_pages_and_from_static_and_follows_their_changes() {
    let site = copy_of(&fixtures().join("valid/files"));
    let root = site.path();
    let server = start(root, "0");
    let (status, body) = get(&server.addr, "/standards/img/counter.png");
    assert_eq!(status, 200);
    assert!(body.contains("refund counter, public"), "the image's own bytes");
    assert_eq!(get(&server.addr, "/logo.svg").0, 200);
    let mut events = Events::open(&server.addr);
    // A changed image and a new static file: every tab reloads, nothing is stale.
    std::fs::write(root.join("content/standards/img/counter.png"), "a new photo").unwrap();
    events.wait_for_reload_of("*");
    assert_eq!(get(&server.addr, "/standards/img/counter.png").1, "a new photo");
    std::fs::write(root.join("static/banner.txt"), "closed on Friday").unwrap();
    events.wait_for_reload_of("*");
    assert_eq!(get(&server.addr, "/banner.txt"), (200, "closed on Friday".to_string()));
}
