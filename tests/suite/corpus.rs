//! The bad-input corpus: hostile and malformed inputs, each with the diagnostic it must
//! produce (or proof that it is handled correctly), all run by one test.
//!
//! Every folder `tests/corpus/<NNN-name>/` is one case: its files are an overlay laid
//! over `tests/fixtures/base/` (like `tests/fixtures/invalid/`), plus `expected.txt`:
//!
//! ```text
//! exit: 1                         first line: the exit code of `charter check`, 0 or 1
//! overlays: valid/data valid/reports
//!                                 optional: fixture folders (under tests/fixtures/) laid
//!                                 over the base before the case's own files
//! generate: crlf data/params.yaml optional, repeatable: bytes the runner writes into the
//!                                 temporary site (see `generate` for the verbs)
//! # a comment
//! output: public/index.html contains 标题
//!                                 exit 0 only: after `charter build`, `site/PATH` holds TEXT
//! today: 2026-06-30               optional: the build date (`--today`) of check and build
//! data/params.yaml:3:1: error: …  every other line: the diagnostic lines (headlines and
//!                                 `= help:` lines) of `charter check`, exactly and in
//!                                 order; `CHARTER_BLESS=1` rewrites them
//! ```
//!
//! For every case the runner asserts: the exit code; no "panicked" or "overflowed" in
//! stderr; the process ends within [`TIME_LIMIT`] (it is killed after — a hang detector,
//! not a timing assertion); and, for `exit: 1`, that every error line in stderr names
//! `file:line:col` — an error without a position (`file: error: …`, for whole-file
//! problems such as a file too large) is accepted only when the case expects that exact
//! line. Each child runs with its address space capped at [`MEMORY_LIMIT`] (setrlimit
//! `RLIMIT_AS`), so an alias bomb or a huge file cannot take the machine down. All cases
//! run, and every failure is reported at the end (with the first 40 lines of stderr).
//! `CORPUS_CASE=123- cargo test --test corpus` runs only the cases whose name contains
//! the given text. Large inputs (100 MB files, 10,000-deep nesting, pipes) are
//! generated into the temporary site at test time; nothing large is committed.

use crate::common::*;

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The child is killed after this long.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The child's address space limit.
const MEMORY_LIMIT: u64 = 4 << 30;
/// The corpus must keep at least this many cases.
const MIN_CASES: usize = 60;

struct Case {
    name: String,
    exit: i32,
    overlays: Vec<String>,
    generate: Vec<Vec<String>>,
    outputs: Vec<(String, String)>,
    today: Option<String>,
    lines: Vec<String>,
}

fn parse_case(name: &str, text: &str) -> Result<Case, String> {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let exit = match first.trim() {
        "exit: 0" => 0,
        "exit: 1" => 1,
        other => return Err(format!("first line must be `exit: 0` or `exit: 1`, found `{other}`")),
    };
    let mut case = Case {
        name: name.to_string(),
        exit,
        overlays: Vec::new(),
        generate: Vec::new(),
        outputs: Vec::new(),
        today: None,
        lines: Vec::new(),
    };
    for line in lines {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("overlays:") {
            case.overlays.extend(rest.split_whitespace().map(String::from));
        } else if let Some(rest) = line.strip_prefix("generate:") {
            case.generate.push(rest.split_whitespace().map(String::from).collect());
        } else if let Some(rest) = line.strip_prefix("today:") {
            case.today = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("output:") {
            let (path, text) = rest.trim().split_once(" contains ").ok_or("`output: PATH contains TEXT`")?;
            case.outputs.push((path.trim().to_string(), text.trim().to_string()));
        } else {
            case.lines.push(line.to_string());
        }
    }
    debug_assert!(case.lines.iter().all(|l| is_diagnostic(l)));
    if case.exit == 1 && case.lines.is_empty() {
        return Err("an `exit: 1` case must list at least one expected diagnostic".into());
    }
    if case.exit == 1 && !case.outputs.is_empty() {
        return Err("`output:` checks need `exit: 0`".into());
    }
    Ok(case)
}

/// Whether a line of `expected.txt` is a diagnostic line (not a directive, a comment or
/// blank).
fn is_diagnostic(line: &str) -> bool {
    let t = line.trim();
    !(t.is_empty()
        || t.starts_with('#')
        || t.starts_with("exit:")
        || t.starts_with("overlays:")
        || t.starts_with("today:")
        || t.starts_with("generate:")
        || t.starts_with("output:"))
}

/// Writes generated bytes into the site. Verbs (paths relative to the site root):
/// - `crlf PATH`: rewrite the file with CRLF line ends
/// - `bom PATH`: put a UTF-8 byte-order mark in front of the file
/// - `bytes PATH`: replace every `\xHH` escape in the file by that raw byte
/// - `deep-flow PATH DEPTH`: `a: [[[…]]]`, DEPTH brackets
/// - `deep-maps PATH DEPTH`: `a: {b: {b: …1}}`, DEPTH braces
/// - `deep-block PATH DEPTH`: DEPTH block mappings, each indented under the last
/// - `deep-front-matter PATH DEPTH`: a page whose front matter nests `tags` DEPTH deep
/// - `big-params PATH MB`: a valid params.yaml of about MB mebibytes
/// - `big-markdown PATH MB`: a valid page of about MB mebibytes
/// - `big-complaints PATH MB`: a valid complaints.csv of about MB mebibytes (for the
///   `valid/data` + `valid/reports` fixtures) whose last row has a bad team
/// - `sparse PATH MB`: a file of MB mebibytes of zero bytes, sparse on disk
/// - `fifo PATH`: a named pipe (a read of it would wait forever)
/// - `repeat PATH N LINE…`: append N lines (the rest of the verb's words; `{i}` counts
///   from 0) to the file
/// - `split-trap PATH`: a valid complaints.csv whose row across the first 1 MiB piece
///   boundary holds a stray quote, followed by a quoted value across two lines: a cutter
///   that merely counted quotes would cut inside that value
fn generate(root: &Path, args: &[String]) -> Result<(), String> {
    let arg =
        |i: usize| args.get(i).map(String::as_str).ok_or(format!("`generate: {}`: missing argument", args.join(" ")));
    let num = |i: usize| -> Result<usize, String> { arg(i)?.parse().map_err(|e| format!("{args:?}: {e}")) };
    let path = root.join(arg(1)?);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let read = || std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()));
    let write = |bytes: &[u8]| std::fs::write(&path, bytes).map_err(|e| e.to_string());
    let mib = 1usize << 20;
    match arg(0)? {
        "crlf" => {
            let text = read()?;
            let mut out = Vec::with_capacity(text.len() + text.len() / 8);
            for &b in &text {
                if b == b'\n' && out.last() != Some(&b'\r') {
                    out.push(b'\r');
                }
                out.push(b);
            }
            write(&out)
        }
        "bom" => write(&[b"\xEF\xBB\xBF".as_slice(), &read()?].concat()),
        "bytes" => {
            let text = read()?;
            let mut out = Vec::new();
            let mut i = 0;
            while i < text.len() {
                if text[i..].starts_with(b"\\x") && i + 4 <= text.len() {
                    let hex = std::str::from_utf8(&text[i + 2..i + 4]).map_err(|e| e.to_string())?;
                    out.push(u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?);
                    i += 4;
                } else {
                    out.push(text[i]);
                    i += 1;
                }
            }
            write(&out)
        }
        "deep-flow" => {
            let d = num(2)?;
            write(format!("a: {}{}\n", "[".repeat(d), "]".repeat(d)).as_bytes())
        }
        "deep-maps" => {
            let d = num(2)?;
            write(format!("a: {}1{}\n", "{b: ".repeat(d), "}".repeat(d)).as_bytes())
        }
        "deep-block" => {
            let d = num(2)?;
            let text: String = (0..d).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
            write(text.as_bytes())
        }
        "deep-front-matter" => {
            let d = num(2)?;
            write(format!("---\ntitle: 深\ntags: {}x{}\n---\n正文\n", "[".repeat(d), "]".repeat(d)).as_bytes())
        }
        "big-params" => {
            let (target, mut out, mut i) = (num(2)? * mib, String::new(), 0);
            while out.len() < target {
                out.push_str(&format!("param_{i:08}: {{value: {i}, unit: 分钟, label: 参数 {i}}}\n"));
                i += 1;
            }
            write(out.as_bytes())
        }
        "big-markdown" => {
            let target = num(2)? * mib;
            let mut out = String::from("---\ntitle: 大文件\n---\n");
            let para = "服务标准的正文段落，重复很多次以构成一个很大的文件。\n\n";
            while out.len() < target {
                out.push_str(para);
            }
            write(out.as_bytes())
        }
        "big-complaints" => {
            let target = num(2)? * mib;
            let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| e.to_string())?);
            let mut written = 0;
            let mut i = 0;
            let mut line = String::new();
            let header = "id,type,channel,team,received_at,resolved_at\n";
            f.write_all(header.as_bytes()).map_err(|e| e.to_string())?;
            while written < target {
                line.clear();
                line.push_str(&format!("c{i:09},attitude,热线电话渠道,desk-a,2026-06-01 09:00,2026-06-01 15:00\n"));
                f.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
                written += line.len();
                i += 1;
            }
            f.write_all("last,attitude,热线,no-such-team,2026-06-01 09:00,\n".as_bytes()).map_err(|e| e.to_string())?;
            f.flush().map_err(|e| e.to_string())
        }
        "sparse" => {
            let f = std::fs::File::create(&path).map_err(|e| e.to_string())?;
            f.set_len((num(2)? * mib) as u64).map_err(|e| e.to_string())
        }
        "fifo" => {
            let _ = std::fs::remove_file(&path);
            let c = std::ffi::CString::new(path.to_str().ok_or("path")?).map_err(|e| e.to_string())?;
            // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
            if unsafe { libc::mkfifo(c.as_ptr(), 0o644) } != 0 {
                return Err(std::io::Error::last_os_error().to_string());
            }
            Ok(())
        }
        "repeat" => {
            let (n, line) = (num(2)?, args.get(3..).unwrap_or_default().join(" "));
            let mut text = std::fs::read(&path).unwrap_or_default();
            for i in 0..n {
                text.extend_from_slice(line.replace("{i}", &i.to_string()).as_bytes());
                text.push(b'\n');
            }
            write(&text)
        }
        "split-trap" => {
            let mut out = String::from("id,type,channel,team,received_at,resolved_at\n");
            let row = |i: usize| format!("c{i:07},attitude,热线,desk-a,2026-06-01 09:00,2026-06-01 15:00\n");
            let stray = "stray,attitude,热\"线,desk-a,2026-06-01 09:00,\n";
            let mut i = 0;
            while out.len() + row(i).len() <= mib - stray.len() / 2 {
                out.push_str(&row(i));
                i += 1;
            }
            out.push_str(stray);
            out.push_str("multi,attitude,\"热线\n夜间\",desk-a,2026-06-01 09:00,\n");
            for j in i..i + 1000 {
                out.push_str(&row(j));
            }
            write(out.as_bytes())
        }
        other => Err(format!("unknown generate verb `{other}`")),
    }
}

/// Runs the binary with a time and memory limit: (exit code, stderr), or an error when
/// it had to be killed.
fn run_limited(args: &[&str]) -> Result<(Option<i32>, String), String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charter"));
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: MEMORY_LIMIT as libc::rlim_t, rlim_max: MEMORY_LIMIT as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| format!("spawn: {e}"))?;
    let mut pipe = child.stderr.take().expect("stderr piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("killed after {TIME_LIMIT:?} (hang?)"));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let err = String::from_utf8_lossy(&reader.join().unwrap_or_default()).to_string();
    Ok((status.code(), err))
}

/// Whether an error line of stderr names `file:line:col` (`PATH:12:3: error: …`).
fn has_position(line: &str) -> bool {
    let Some(head) = line.split(": error: ").next() else { return false };
    let mut parts = head.rsplitn(3, ':');
    let col = parts.next().unwrap_or("");
    let ln = parts.next().unwrap_or("");
    let path = parts.next().unwrap_or("");
    !path.is_empty() && !col.is_empty() && !ln.is_empty() && col.parse::<usize>().is_ok() && ln.parse::<usize>().is_ok()
}

/// Runs one case; the problems found (empty when it passed).
fn run_case(dir: &Path, case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let site = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), site.path());
    for o in &case.overlays {
        copy_tree(&fixtures().join(o), site.path());
    }
    copy_tree(dir, site.path());
    for g in &case.generate {
        if let Err(e) = generate(site.path(), g) {
            return vec![format!("generate {g:?}: {e}")];
        }
    }
    let root = site.path().to_str().unwrap();
    let dated = |command: &'static str| {
        let mut args = vec![command, "--root", root];
        args.extend(case.today.as_deref().map(|d| ["--today", d]).into_iter().flatten());
        args
    };
    let (code, err) = match run_limited(&dated("check")) {
        Ok(x) => x,
        Err(e) => return vec![format!("check: {e}")],
    };
    if code != Some(case.exit) {
        problems.push(format!("check exited with {code:?}, expected {}", case.exit));
    }
    for bad in ["panicked", "overflowed", "RUST_BACKTRACE"] {
        if err.contains(bad) {
            problems.push(format!("stderr mentions `{bad}`"));
        }
    }
    let file = dir.join("expected.txt");
    let bless = |lines: &[String]| {
        // Directives and comments stay as written; the diagnostic lines are replaced.
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let mut kept: Vec<String> = text.lines().filter(|l| !is_diagnostic(l)).map(String::from).collect();
        while kept.last().is_some_and(|l| l.trim().is_empty()) {
            kept.pop();
        }
        kept.extend(lines.iter().cloned());
        std::fs::write(&file, kept.join("\n") + "\n").unwrap();
    };
    if let Err(e) = compare_or_bless(&case.name, &case.lines, &diagnostic_lines(&err), bless) {
        problems.push(e);
    }
    if case.exit == 1 {
        let diagnostics = err.lines().filter(|l| l.contains(": error: ") && !l.starts_with("error:"));
        let mut any = false;
        for line in diagnostics {
            any = true;
            if !has_position(line) && !case.lines.iter().any(|e| line.contains(e.as_str())) {
                problems.push(format!("error without file:line:col: {line}"));
            }
        }
        if !any {
            problems.push("no error diagnostic in stderr".into());
        }
    }
    if !case.outputs.is_empty() && problems.is_empty() {
        match run_limited(&dated("build")) {
            Ok((Some(0), _)) => {
                for (path, text) in &case.outputs {
                    let file = site.path().join("site").join(path);
                    match std::fs::read_to_string(&file) {
                        Ok(html) if html.contains(text.as_str()) => {}
                        Ok(_) => problems.push(format!("output {path} does not contain `{text}`")),
                        Err(e) => problems.push(format!("output {path}: {e}")),
                    }
                }
            }
            Ok((code, err)) => problems.push(format!("build exited with {code:?}:\n{err}")),
            Err(e) => problems.push(format!("build: {e}")),
        }
    }
    if !problems.is_empty() {
        let shown: String = err.lines().take(40).map(|l| format!("\n      | {}", truncate(l))).collect();
        problems.push(format!("stderr was:{shown}"));
    }
    problems
}

fn truncate(line: &str) -> String {
    if line.chars().count() > 200 {
        format!("{}…", line.chars().take(200).collect::<String>())
    } else {
        line.to_string()
    }
}

#[test]
fn every_corpus_case_gives_its_diagnostic_without_panic_hang_or_runaway_memory() {
    let corpus = repo_root().join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert!(names.len() >= MIN_CASES, "the corpus has {} cases, fewer than {MIN_CASES}", names.len());
    let only = std::env::var("CORPUS_CASE").ok();
    let mut failures = Vec::new();
    let started = Instant::now();
    for name in &names {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let dir = corpus.join(name);
        let case = match std::fs::read_to_string(dir.join("expected.txt")) {
            Ok(text) => parse_case(name, &text),
            Err(e) => Err(format!("expected.txt: {e}")),
        };
        let problems = match case {
            Ok(case) => {
                let t = Instant::now();
                let p = run_case(&dir, &case);
                if t.elapsed() > Duration::from_secs(5) {
                    eprintln!("corpus: {} took {:.1} s", case.name, t.elapsed().as_secs_f64());
                }
                p
            }
            Err(e) => vec![e],
        };
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  - {}", problems.join("\n  - ")));
        }
    }
    eprintln!("corpus: {} cases in {:.1} s", names.len(), started.elapsed().as_secs_f64());
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

#[test]
fn error_lines_are_recognised_with_and_without_positions() {
    assert!(has_position("data/params.yaml:3:1: error: invalid YAML: duplicate key `a`"));
    assert!(has_position("content/标准/a.md:12:30: error: x: y: z"));
    assert!(!has_position("data/params.yaml: error: data/params.yaml is 100.0 MB"));
    assert!(!has_position("data/params.yaml:3: error: x"));
    let case = parse_case("x", "exit: 0\n# c\noutput: public/index.html contains 标 题\n").unwrap();
    assert_eq!(case.outputs, vec![("public/index.html".to_string(), "标 题".to_string())]);
    assert!(parse_case("x", "exit: 1\n").is_err());
    assert!(parse_case("x", "exit: 2\nfoo\n").is_err());
}
