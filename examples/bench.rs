//! The benchmark suite: generates a synthetic site from a seed (N standards of about
//! 5 KB of mixed Chinese and English markdown with tables and cross links, roles,
//! T teams × P people × M months of measurements, R complaint records, S survey
//! responses), builds it with the release binary and prints wall time, pages per
//! second, time per page and peak memory of the whole `charter build` process, and the
//! time of its steps.
//!
//!     cargo build --release
//!     cargo run --release --example bench -- --pages 1000 [--complaints 100000]
//!         [--people 20] [--teams 5] [--months 18] [--kpis 2] [--surveys 3000]
//!         [--runs 5] [--warmup 1] [--check] [--out DIR] [--hugo]
//!         [--zola PATH [--zola-layouts bare|equal]] [--keep DIR]
//!
//! - `--runs N`: N counted builds after `--warmup W` uncounted ones (default 1);
//!   medians are printed.
//! - `--kpis K`: K KPIs measured for every person every month (at least 2; the first
//!   two are the scorecard's), so people × months × K rows of `data/metrics/values.csv`.
//! - `--check`: also time `charter check` (as many runs), with its peak memory.
//! - `--out DIR`: where the builds write (for example a RAM disk, to take the disk out
//!   of the figure); default `site/` inside the generated site.
//! - `--hugo`: also export the same standards and roles as a Hugo site (with layouts
//!   doing the same per-page work) and run `hugo` (Debian's package) in turn with
//!   Charter — Charter, Hugo, Charter, Hugo… — printing Hugo's medians and the median
//!   of the per-pair ratios.
//! - `--zola PATH`: also export them as a Zola site (Zola's front matter, the same
//!   markdown; `--zola-layouts bare`, the default, gives each page alone, `equal` the
//!   same per-page work as the Hugo layouts) and run the `zola` binary at PATH in the
//!   same turns: Charter, Zola, Hugo, Charter… Each tool's medians and the median of
//!   the per-turn ratios (Charter ÷ Zola, Charter ÷ Hugo) are printed.
//! - `--keep DIR`: generate into DIR and leave it there; otherwise it is removed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;
#[path = "common/zola.rs"]
mod zola;

struct Args {
    pages: usize,
    complaints: usize,
    people: usize,
    teams: usize,
    months: i32,
    kpis: usize,
    surveys: usize,
    keep: Option<PathBuf>,
    /// Where builds write (default: `site/` inside the generated site).
    out: Option<PathBuf>,
    runs: usize,
    warmup: usize,
    check: bool,
    hugo: bool,
    /// A `zola` binary to run on the same pages.
    zola: Option<PathBuf>,
    zola_layouts: zola::Layouts,
}

fn args() -> Args {
    let mut a = Args {
        pages: 1000,
        complaints: 2000,
        people: 20,
        teams: 5,
        months: 18,
        kpis: 2,
        surveys: 3000,
        keep: None,
        out: None,
        runs: 1,
        warmup: 1,
        check: false,
        hugo: false,
        zola: None,
        zola_layouts: zola::Layouts::Bare,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        if v[i] == "--hugo" || v[i] == "--check" {
            a.hugo |= v[i] == "--hugo";
            a.check |= v[i] == "--check";
            i += 1;
            continue;
        }
        assert!(i + 1 < v.len(), "{} needs a value", v[i]);
        let n = || v[i + 1].parse::<usize>().expect("a number");
        match v[i].as_str() {
            "--pages" => a.pages = n(),
            "--complaints" => a.complaints = n(),
            "--people" => a.people = n(),
            "--teams" => a.teams = n(),
            "--months" => a.months = n() as i32,
            "--kpis" => a.kpis = n().max(2),
            "--warmup" => a.warmup = n(),
            "--surveys" => a.surveys = n(),
            "--keep" => a.keep = Some(PathBuf::from(&v[i + 1])),
            "--out" => a.out = Some(PathBuf::from(&v[i + 1])),
            "--runs" => a.runs = n().max(1),
            "--zola" => a.zola = Some(PathBuf::from(&v[i + 1])),
            "--zola-layouts" => a.zola_layouts = zola::Layouts::parse(&v[i + 1]),
            other => panic!("unknown option {other}"),
        }
        i += 2;
    }
    a
}

const ZH: &[&str] = &[
    "顾客",
    "服务",
    "投诉",
    "处理",
    "时限",
    "满意度",
    "门店",
    "前台",
    "回访",
    "记录",
    "标准",
    "流程",
    "培训",
    "考核",
    "改进",
    "质量",
    "响应",
    "解决",
    "渠道",
    "反馈",
];
const EN: &[&str] = &[
    "customer",
    "service",
    "complaint",
    "handling",
    "limit",
    "quality",
    "store",
    "desk",
    "follow-up",
    "record",
    "standard",
    "process",
];

/// Common characters, for a vocabulary as varied as real prose (a page of real Chinese
/// holds hundreds of distinct characters, which is what a search index pays for).
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车";

fn vocabulary(r: &mut Rng) -> Vec<String> {
    let chars: Vec<char> = COMMON.chars().collect();
    let mut words: Vec<String> = ZH.iter().map(|w| w.to_string()).collect();
    for _ in 0..600 {
        let a = chars[r.below(chars.len() as u64) as usize];
        let b = chars[r.below(chars.len() as u64) as usize];
        words.push([a, b].iter().collect());
    }
    words
}

fn sentence(r: &mut Rng, zh: &[String]) -> String {
    let mut s = String::new();
    for k in 0..(12 + r.below(10)) {
        if r.below(6) == 0 {
            let _ = write!(s, " {} ", EN[r.below(EN.len() as u64) as usize]);
        } else {
            s.push_str(&zh[r.below(zh.len() as u64) as usize]);
        }
        if k % 7 == 6 {
            s.push('，');
        }
    }
    s.push('。');
    s
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn generate(root: &Path, a: &Args) {
    let mut r = Rng(20_261_123);
    let zh = vocabulary(&mut r);
    write(root, "charter.yaml", "title: 基准测试手册\nlanguage: zh-CN\nbase_url: https://bench.example/\n");
    write(root, "content/_index.md", "---\ntitle: 首页\naudience: public\n---\n\n基准测试站点。\n");
    write(root, "content/standards/_index.md", "---\ntitle: 服务标准\naudience: public\n---\n");
    write(root, "content/roles/_index.md", "---\ntitle: 角色\naudience: public\n---\n");
    let roles = 20;
    for i in 0..roles {
        write(
            root,
            &format!("content/roles/role-{i}.md"),
            &format!(
                "---\ntitle: 角色 {i}\naudience: public\nduties: [接待, 记录]\n---\n\n## 职责\n\n{}\n",
                sentence(&mut r, &zh)
            ),
        );
    }
    write(root, "data/params.yaml", "limit_hours: {value: 24, unit: 小时, label: 处理时限}\nreply_minutes: {value: 5, unit: 分钟, label: 回复时限}\n");
    let mut kpis = String::from("- {id: satisfaction, name: 满意度, unit: 分, direction: higher, scale: {min: 1, max: 5}, targets: [{from: 2025-01, value: 4.0}], public: true}\n- {id: response_hours, name: 响应时长, unit: 小时, direction: lower, scale: {min: 0, max: 72}, targets: [{from: 2025-01, value: 24}], public: true}\n");
    for k in 2..a.kpis {
        let _ = writeln!(kpis, "- {{id: k{k}, name: 指标{k}, unit: 分, direction: higher, scale: {{min: 0, max: 100}}, targets: [{{from: 2025-01, value: 80}}]}}");
    }
    write(root, "data/kpis.yaml", &kpis);
    write(root, "data/scorecards.yaml", "- {id: card, name: 考核, roles: [role-0], items: [{kpi: satisfaction, weight: 60, rule: linear}, {kpi: response_hours, weight: 40}]}\n");
    let mut org = String::from("departments:\n  - {id: dept, name: 客服部}\nteams:\n");
    for t in 0..a.teams {
        let _ = writeln!(org, "  - {{id: team-{t}, name: 团队{t}, department: dept, roles: [role-0]}}");
    }
    org.push_str("people:\n");
    for p in 0..a.people {
        let _ = writeln!(org, "  - {{id: p{p}, name: 员工{p}, role: role-0, team: team-{}}}", p % a.teams.max(1));
    }
    write(root, "data/org.yaml", &org);
    write(root, "data/complaint_types.yaml", "- {id: a, name: 服务态度, limit: limit_hours}\n");
    // Standards: ~5 KB each, headings, a table, links to two other standards.
    for i in 0..a.pages {
        let mut body =
            format!("---\ntitle: 标准 {i} Standard\naudience: public\nowner: role-{}\nweight: {i}\n---\n\n", i % roles);
        for h in 0..4 {
            let _ = writeln!(body, "## 第{h}节 Section {h}\n");
            for _ in 0..5 {
                body.push_str(&sentence(&mut r, &zh));
            }
            body.push_str("\n\n| 项目 | 标准 | Notes |\n|---|---|---|\n");
            for (row, note) in EN.iter().take(3).enumerate() {
                let _ = writeln!(body, "| 项目{row} | {} 次 | {note} |", 12 + row * 12);
            }
            body.push('\n');
        }
        let _ = writeln!(body, "参见[标准 {}](s{}.md#第1节-section-1)与[标准 {}](s{}.md)，回复时限 {{{{ param(id=\"reply_minutes\") }}}}。", (i + 1) % a.pages, (i + 1) % a.pages, (i + 7) % a.pages, (i + 7) % a.pages);
        write(root, &format!("content/standards/s{i}.md"), &body);
    }
    // Measurements.
    let mut m = String::with_capacity(a.people * a.months.max(0) as usize * a.kpis * 36);
    m.push_str("period,subject,kpi,value\n");
    for p in 0..a.people {
        for mo in 0..a.months {
            let (y, mm) = (2025 + mo / 12, mo % 12 + 1);
            let _ = writeln!(m, "{y}-{mm:02},p{p},satisfaction,{:.2}", 3.5 + (r.below(150) as f64) / 100.0);
            let _ = writeln!(m, "{y}-{mm:02},p{p},response_hours,{:.1}", 8.0 + (r.below(300) as f64) / 10.0);
            for k in 2..a.kpis {
                let _ = writeln!(m, "{y}-{mm:02},p{p},k{k},{}", 60 + r.below(40));
            }
        }
    }
    write(root, "data/metrics/values.csv", &m);
    let mut c = String::with_capacity(a.complaints * 70);
    c.push_str("id,type,channel,team,received_at,resolved_at\n");
    for i in 0..a.complaints {
        let day = r.below(28) + 1;
        let mo = r.below(a.months.max(1) as u64) as i32;
        let (y, mm) = (2025 + mo / 12, mo % 12 + 1);
        let h = r.below(10) + 8;
        let _ = writeln!(
            c,
            "C{i},a,热线,team-{},{y}-{mm:02}-{day:02} {h:02}:00,{y}-{mm:02}-{day:02} {:02}:30",
            r.below(a.teams.max(1) as u64),
            (h + 3).min(23)
        );
    }
    write(root, "data/complaints.csv", &c);
    let mut s = String::from("date,team,score\n");
    for _ in 0..a.surveys {
        let mo = r.below(a.months.max(1) as u64) as i32;
        let _ = writeln!(
            s,
            "{}-{:02}-{:02},team-{},{}",
            2025 + mo / 12,
            mo % 12 + 1,
            r.below(28) + 1,
            r.below(a.teams.max(1) as u64),
            r.below(11)
        );
    }
    write(root, "data/surveys.csv", &s);
}

/// A Hugo site with the same standards and roles, and layouts that do what Charter's
/// theme does per page: navigation, breadcrumbs, table of contents, previous / next,
/// section lists.
fn export_hugo(root: &Path, hugo: &Path) {
    let _ = std::fs::remove_dir_all(hugo);
    write(hugo, "hugo.toml", "baseURL = 'https://bench.example/'\nlanguageCode = 'zh-CN'\ntitle = '基准测试手册'\ndisableKinds = ['taxonomy', 'term', 'RSS']\n[markup.goldmark.renderer]\nunsafe = true\n");
    write(
        hugo,
        "layouts/_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav></header>
<nav class="breadcrumbs"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li>{{ .Title }}</li></ol></nav>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
"#,
    );
    write(
        hugo,
        "layouts/_default/single.html",
        r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<dl><dt>负责</dt><dd>{{ .Params.owner }}</dd></dl>
<nav class="toc">{{ .TableOfContents }}</nav>
<div class="prose">{{ .Content }}</div>
<nav class="prev-next">{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>{{ end }}
"#,
    );
    write(
        hugo,
        "layouts/_default/list.html",
        r#"{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#,
    );
    for entry in zola::files(&root.join("content")) {
        let rel = entry.strip_prefix(root).unwrap();
        let text = std::fs::read_to_string(&entry).unwrap();
        write(hugo, rel.to_str().unwrap(), &text);
    }
}

/// One timed run of a command.
struct Run {
    wall: f64,
    /// Peak resident memory, MiB.
    peak: f64,
    /// CPU seconds (user and system) of the process: less sensitive than wall time to
    /// other work on a shared machine.
    cpu: f64,
    stdout: String,
    stderr: String,
}

/// Runs a command once and measures it.
// The child is reaped with `wait4` (not `Child::wait`) to read its own resource usage.
#[allow(clippy::zombie_processes)]
fn timed(cmd: &mut Command) -> Run {
    let t = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the command");
    let pid = child.id() as libc::pid_t;
    let mut out = String::new();
    let mut err = String::new();
    let (mut so, mut se) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        let mut e = String::new();
        let _ = std::io::Read::read_to_string(&mut se, &mut e);
        e
    });
    let _ = std::io::Read::read_to_string(&mut so, &mut out);
    err.push_str(&reader.join().unwrap());
    // Reap this child alone and read its own peak memory.
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed().as_secs_f64();
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "{cmd:?} failed:\n{err}");
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    Run { wall, peak: usage.ru_maxrss as f64 / 1024.0, cpu, stdout: out, stderr: err }
}

/// Another generator run on the same pages, in turn with Charter.
struct Peer {
    name: &'static str,
    command: Command,
    /// Where it writes.
    out: PathBuf,
    runs: Vec<Run>,
    /// Charter's wall time over this peer's, per turn.
    ratios: Vec<f64>,
    /// Charter's CPU time over this peer's, per turn.
    cpu_ratios: Vec<f64>,
}

impl Peer {
    fn new(name: &'static str, command: Command, out: PathBuf) -> Peer {
        Peer { name, command, out, runs: Vec::new(), ratios: Vec::new(), cpu_ratios: Vec::new() }
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let a = args();
    let bin = std::env::var("CHARTER_BIN").unwrap_or_else(|_| "target/release/charter".into());
    let root =
        a.keep.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("charter-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root);
    let t = Instant::now();
    generate(&root, &a);
    eprintln!(
        "generated {} standards, {} complaints, {} people × {} months × {} KPIs in {:.1} s",
        a.pages,
        a.complaints,
        a.people,
        a.months,
        a.kpis,
        t.elapsed().as_secs_f64()
    );
    let out_dir = a.out.clone().unwrap_or_else(|| root.join("site"));
    let charter = || {
        let mut c = Command::new(&bin);
        c.args(["build", "--root", root.to_str().unwrap(), "--today", "2026-11-23", "--verbose", "--out"])
            .arg(&out_dir)
            .env("CI", "true");
        c
    };
    // The peers run on the same pages, each writing beside Charter's output.
    let beside = |tool: &str| {
        out_dir.with_file_name(format!("{}-{tool}", out_dir.file_name().and_then(|n| n.to_str()).unwrap_or("site")))
    };
    let mut peers: Vec<Peer> = Vec::new();
    if let Some(bin) = &a.zola {
        let (src, out) = (root.join("zola-site"), beside("zola"));
        zola::export(&root, &src, a.zola_layouts);
        eprintln!("{} ({:?} layouts)", zola::version(bin), a.zola_layouts);
        let mut c = Command::new(bin);
        c.arg("--root").arg(&src).args(["build", "--force", "--output-dir"]).arg(&out);
        peers.push(Peer::new("zola", c, out));
    }
    if a.hugo {
        let (src, out) = (root.join("hugo-site"), beside("hugo"));
        export_hugo(&root, &src);
        let mut c = Command::new("hugo");
        c.args(["--quiet", "--source"]).arg(&src).arg("--destination").arg(&out);
        peers.push(Peer::new("hugo", c, out));
    }
    // A first, uncounted run of each (caches warm, output folders exist), then the
    // counted runs in turn: Charter, Zola, Hugo, Charter, Zola, Hugo…
    for _ in 0..a.warmup {
        let _ = timed(&mut charter());
        for p in &mut peers {
            let _ = timed(&mut p.command);
        }
    }
    let (mut walls, mut peaks, mut cpus) = (Vec::new(), Vec::new(), Vec::new());
    let mut last = (String::new(), String::new());
    for _ in 0..a.runs {
        let run = timed(&mut charter());
        walls.push(run.wall);
        peaks.push(run.peak);
        cpus.push(run.cpu);
        for p in &mut peers {
            let peer = timed(&mut p.command);
            p.ratios.push(run.wall / peer.wall);
            p.cpu_ratios.push(run.cpu / peer.cpu);
            p.runs.push(peer);
        }
        last = (run.stdout, run.stderr);
    }
    let (stdout, stderr) = last;
    if a.check {
        let (mut check_walls, mut check_peaks, mut check_cpus) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..a.runs {
            let run = timed(
                Command::new(&bin)
                    .args(["check", "--quiet", "--root", root.to_str().unwrap(), "--today", "2026-11-23"])
                    .env("CI", "true"),
            );
            check_walls.push(run.wall);
            check_peaks.push(run.peak);
            check_cpus.push(run.cpu);
        }
        println!(
            "check: wall {:.2} s (median of {}) · cpu {:.2} s · peak {:.0} MiB",
            median(&mut check_walls),
            a.runs,
            median(&mut check_cpus),
            median(&mut check_peaks)
        );
    }
    let step = |name: &str| {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                words.iter().position(|w| *w == "ms").and_then(|at| words.get(at.checked_sub(1)?).copied())
            })
            .unwrap_or("-")
            .to_string()
    };
    let pages: usize = stdout.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
        + stdout.split_whitespace().nth(4).and_then(|n| n.parse().ok()).unwrap_or(0);
    let wall = median(&mut walls);
    println!(
        "standards {} · pages built {} · wall {:.2} s (median of {}) · {:.0} pages/s · {:.0} µs/page · peak {:.0} MiB",
        a.pages,
        pages,
        wall,
        a.runs,
        pages as f64 / wall,
        wall * 1e6 / pages.max(1) as f64,
        median(&mut peaks),
    );
    println!(
        "steps (last run, ms): load content {} · outline {} · render markdown {} · measurements {} · reports {} · render+write pages {} · search indexes {} · swap {}",
        step("load content"),
        step("outline markdown"),
        step("render markdown"),
        step("load measurements"),
        step("compute reports"),
        step("render pages, reports and charts"),
        step("build and write search indexes"),
        step("swap the new site in"),
    );
    println!("charter: cpu {:.2} s (user + system, median)", median(&mut cpus));
    for p in &mut peers {
        let ratio = median(&mut p.ratios);
        let of = |f: fn(&Run) -> f64| p.runs.iter().map(f).collect::<Vec<f64>>();
        println!(
            "{}: wall {:.2} s (median of {}) · cpu {:.2} s · peak {:.0} MiB · Charter/{} wall ratio, median of pairs: {:.2}× ({} is {:.2}× Charter) · cpu ratio {:.2}×",
            p.name,
            median(&mut of(|r| r.wall)),
            a.runs,
            median(&mut of(|r| r.cpu)),
            median(&mut of(|r| r.peak)),
            p.name,
            ratio,
            p.name,
            1.0 / ratio,
            median(&mut p.cpu_ratios),
        );
    }
    if a.keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
        if a.out.is_some() {
            let _ = std::fs::remove_dir_all(&out_dir);
            for p in &peers {
                let _ = std::fs::remove_dir_all(&p.out);
            }
        }
    }
}
