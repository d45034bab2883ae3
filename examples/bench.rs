//! The benchmark suite: generates a synthetic site from a seed (N standards of about
//! 5 KB of mixed Chinese and English markdown with tables and cross links, roles,
//! T teams × P people × M months of measurements, R complaint records, S survey
//! responses), builds it with the release binary and prints wall time, pages per
//! second and peak memory of the whole `charter build` process, plus the time of the
//! measurement and report steps.
//!
//!     cargo build --release
//!     cargo run --release --example bench -- --pages 1000 [--complaints 100000]
//!         [--people 20] [--teams 5] [--months 18] [--surveys 3000] [--keep DIR]
//!
//! `--keep DIR` leaves the generated site in DIR (for example to run it through
//! another generator); otherwise it is removed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Args {
    pages: usize,
    complaints: usize,
    people: usize,
    teams: usize,
    months: i32,
    surveys: usize,
    keep: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args { pages: 1000, complaints: 2000, people: 20, teams: 5, months: 18, surveys: 3000, keep: None };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i + 1 < v.len() {
        let n = || v[i + 1].parse::<usize>().expect("a number");
        match v[i].as_str() {
            "--pages" => a.pages = n(),
            "--complaints" => a.complaints = n(),
            "--people" => a.people = n(),
            "--teams" => a.teams = n(),
            "--months" => a.months = n() as i32,
            "--surveys" => a.surveys = n(),
            "--keep" => a.keep = Some(PathBuf::from(&v[i + 1])),
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

fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    for k in 0..(12 + r.below(10)) {
        if r.below(6) == 0 {
            let _ = write!(s, " {} ", EN[r.below(EN.len() as u64) as usize]);
        } else {
            s.push_str(ZH[r.below(ZH.len() as u64) as usize]);
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
                sentence(&mut r)
            ),
        );
    }
    write(root, "data/params.yaml", "limit_hours: {value: 24, unit: 小时, label: 处理时限}\nreply_minutes: {value: 5, unit: 分钟, label: 回复时限}\n");
    write(root, "data/kpis.yaml", "- {id: satisfaction, name: 满意度, unit: 分, direction: higher, scale: {min: 1, max: 5}, targets: [{from: 2025-01, value: 4.0}], public: true}\n- {id: response_hours, name: 响应时长, unit: 小时, direction: lower, scale: {min: 0, max: 72}, targets: [{from: 2025-01, value: 24}], public: true}\n");
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
            for _ in 0..4 {
                body.push_str(&sentence(&mut r));
            }
            body.push_str("\n\n| 项目 | 标准 | Notes |\n|---|---|---|\n");
            for (row, note) in EN.iter().take(3).enumerate() {
                let _ = writeln!(body, "| 项目{row} | {} 小时内 | {note} |", 12 + row * 12);
            }
            body.push('\n');
        }
        let _ = writeln!(body, "参见[标准 {}](s{}.md#第1节-section-1)与[标准 {}](s{}.md)，回复时限 {{{{ param(id=\"reply_minutes\") }}}}。", (i + 1) % a.pages, (i + 1) % a.pages, (i + 7) % a.pages, (i + 7) % a.pages);
        write(root, &format!("content/standards/s{i}.md"), &body);
    }
    // Measurements.
    let mut m = String::from("period,subject,kpi,value\n");
    for p in 0..a.people {
        for mo in 0..a.months {
            let (y, mm) = (2025 + mo / 12, mo % 12 + 1);
            let _ = writeln!(m, "{y}-{mm:02},p{p},satisfaction,{:.2}", 3.5 + (r.below(150) as f64) / 100.0);
            let _ = writeln!(m, "{y}-{mm:02},p{p},response_hours,{:.1}", 8.0 + (r.below(300) as f64) / 10.0);
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

fn main() {
    let a = args();
    let bin = std::env::var("CHARTER_BIN").unwrap_or_else(|_| "target/release/charter".into());
    let root =
        a.keep.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("charter-bench-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&root);
    let t = Instant::now();
    generate(&root, &a);
    eprintln!("generated {} standards, {} complaints in {:.1} s", a.pages, a.complaints, t.elapsed().as_secs_f64());
    let t = Instant::now();
    let out = Command::new(&bin)
        .args(["build", "--root", root.to_str().unwrap(), "--today", "2026-11-23", "--verbose"])
        .env("CI", "true")
        .output()
        .expect("run charter (cargo build --release first)");
    let wall = t.elapsed().as_secs_f64();
    // Peak resident memory of the finished child, from the kernel's accounting.
    let peak_mib = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage.ru_maxrss as f64 / 1024.0
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "build failed:\n{stderr}");
    let step = |name: &str| {
        stderr
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| l.split_whitespace().rev().nth(1))
            .unwrap_or("-")
            .to_string()
    };
    let pages: usize = stdout.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0)
        + stdout.split_whitespace().nth(4).and_then(|n| n.parse().ok()).unwrap_or(0);
    println!(
        "standards {} · pages built {} · wall {:.2} s · {:.0} pages/s · peak {:.0} MiB · measurements {} ms · reports {} ms · render {} ms · search {} ms · write {} ms",
        a.pages,
        pages,
        wall,
        pages as f64 / wall,
        peak_mib,
        step("load measurements"),
        step("compute reports"),
        step("render pages, reports and charts"),
        step("build search indexes"),
        step("write output")
    );
    if a.keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
    }
}
