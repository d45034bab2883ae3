//! An independent check of every report figure. The site is built with the `charter`
//! binary; a second, deliberately simple implementation (`recompute/`, exact fractions,
//! no code shared with `src/`) recomputes the figures from the README's definitions
//! for the latest month and every past month, and they are compared cell by cell with
//! the built pages: the internal overviews (tiles, alerts, rankings), people, teams,
//! KPIs, complaints, NPS and actions, the public performance page, and the build's
//! warnings about data after the build date.
//!
//! Two sites: the bundled example (the repository root, built as of 2026-11-30) and a
//! seeded generated one full of edge cases (`recompute/gen.rs`, built as of 2026-06-15).
//!
//! A disagreement is listed as page | table | row | column: expected, found, grouped by
//! the rule that explains it: the figures are recomputed with one rule (then two)
//! switched back to an older behaviour (see `model::variants`), and when that
//! reproduces the page's value the rule is named; otherwise it is UNEXPLAINED.
//!
//! `RECOMPUTE_LEGACY_SYNTAX=1` makes the generated site avoid syntax older builds
//! reject (effective-dated parameters, `top_ties`); `RECOMPUTE_KEEP=DIR` keeps the
//! built sites in `DIR/example` and `DIR/generated` for inspection.

pub mod data;
pub mod expect;
pub mod gen;
pub mod html;
pub mod model;
pub mod rational;

use self::data::{parse_date, Site};
use self::expect::{expected, Cells, Expected};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the site and returns the build's diagnostics.
fn build(root: &Path, today: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_charter"))
        .args(["build", "--root", root.to_str().unwrap(), "--today", today, "--out"])
        .arg(root.join("site"))
        .output()
        .expect("run charter");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "build failed:\n{stderr}");
    stderr
}

struct Mismatch {
    page: String,
    table: String,
    row: String,
    col: String,
    expected: Option<String>,
    found: Option<String>,
}

/// What a variant (or the specification) says about one cell; `(row)` is the row itself.
fn cell(e: &Expected, page: &str, table: &str, row: &str, col: &str) -> Option<String> {
    let r = e.rows.get(&(page.to_string(), table.to_string(), row.to_string()));
    if col == "(row)" {
        return r.filter(|r| !r.0).map(|_| "present".to_string());
    }
    r.and_then(|r| r.1.get(col).cloned())
}

fn compare(site: &Site, out: &Path, stderr: &str, spec: &Expected) -> (usize, Vec<Mismatch>) {
    let mut pages: BTreeMap<&str, html::Found> = BTreeMap::new();
    pages.insert("(build)", html::build_warnings(stderr));
    for (page, ..) in spec.rows.keys() {
        pages.entry(page.as_str()).or_insert_with(|| {
            // Report pages are read from the site behind sign-in that has them all (the
            // managers' where the site declares that tier); `public/…` pages from the
            // public site.
            let staff = if out.join("managers").is_dir() { out.join("managers") } else { out.join("internal") };
            let site_dir = if page.starts_with("public/") { out.to_path_buf() } else { staff };
            let path = site_dir.join(page).join("index.html");
            std::fs::read_to_string(&path).map(|h| html::page_figures(site, &h)).unwrap_or_default()
        });
    }
    let (mut figures, mut bad) = (0, Vec::new());
    let mut push = |page: &str, table: &str, row: &str, col: &str, expected: Option<String>, found: Option<String>| {
        let (page, table, row, col) = (page.to_string(), table.to_string(), row.to_string(), col.to_string());
        bad.push(Mismatch { page, table, row, col, expected, found });
    };
    for ((page, table, row), (optional, cells)) in &spec.rows {
        let found: Option<&Cells> = pages[page.as_str()].get(&(table.clone(), row.clone()));
        match found {
            None if *optional => {}
            None => {
                figures += cells.len().max(1);
                push(page, table, row, "(row)", Some("present".into()), None);
            }
            Some(f) => {
                for (col, v) in cells {
                    figures += 1;
                    if f.get(col) != Some(v) {
                        push(page, table, row, col, Some(v.clone()), f.get(col).cloned());
                    }
                }
            }
        }
    }
    for (page, found) in &pages {
        for ((table, row), cells) in found {
            let key = (page.to_string(), table.clone(), row.clone());
            if spec.tables.contains(&(page.to_string(), table.clone())) && !spec.rows.contains_key(&key) {
                let shown = cells.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
                push(page, table, row, "(row)", None, Some(format!("present: {shown}")));
            }
        }
    }
    (figures, bad)
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How many figures two expectations disagree on: how much of the data a rule touches.
fn differing(a: &Expected, b: &Expected) -> usize {
    let mut n = b.rows.keys().filter(|k| !a.rows.contains_key(*k)).count();
    for (k, (opt_a, cells_a)) in &a.rows {
        match b.rows.get(k) {
            None => n += 1,
            Some((opt_b, cells_b)) => {
                n += usize::from(opt_a != opt_b) + cells_a.iter().filter(|(c, v)| cells_b.get(*c) != Some(v)).count()
            }
        }
    }
    n
}

/// Builds the site at `root`, recomputes it, compares; panics with the grouped list.
/// With `cover`, every rule variant must change some figure (the data exercises it).
fn check(name: &str, root: &Path, today: &str, min_figures: usize, cover: bool) {
    let stderr = build(root, today);
    let site = data::load(root);
    let day = parse_date(today).unwrap();
    let spec_model = model::Model::new(&site, day, model::SPEC);
    let spec = expected(&spec_model);
    let months = format!(
        "months {}..{}, latest {} judged as of {today}",
        data::month_str(spec_model.first),
        data::month_str(spec_model.latest),
        data::month_str(spec_model.latest)
    );
    let singles: Vec<(String, model::Rules, Expected)> = model::variants()
        .into_iter()
        .map(|(label, rules)| (label.to_string(), rules, expected(&model::Model::new(&site, day, rules))))
        .collect();
    let coverage: Vec<(String, usize)> = singles.iter().map(|(l, _, v)| (l.clone(), differing(&spec, v))).collect();
    println!("recompute[{name}]: figures each rule decides:");
    for (label, n) in &coverage {
        println!("  {n:>6}  {label}");
    }
    let (figures, bad) = compare(&site, &root.join("site"), &stderr, &spec);
    assert!(figures > min_figures, "only {figures} figures compared: the check would pass vacuously");
    if cover {
        let idle: Vec<&String> = coverage.iter().filter(|c| c.1 == 0).map(|c| &c.0).collect();
        assert!(idle.is_empty(), "the data does not exercise: {idle:?}");
    }
    if bad.is_empty() {
        println!("recompute[{name}]: {} figures agree ({months})", thousands(figures));
        return;
    }
    // Explain each disagreement by the first single rule variant that reproduces the
    // page, then (only when some remain) by pairs of variants.
    let mut why: Vec<Option<String>> = vec![None; bad.len()];
    let explain = |label: &str, v: &Expected, why: &mut Vec<Option<String>>| {
        for (m, w) in bad.iter().zip(why.iter_mut()).filter(|(_, w)| w.is_none()) {
            let found = m.found.as_deref().map(|f| if m.col == "(row)" { "present" } else { f });
            if cell(v, &m.page, &m.table, &m.row, &m.col).as_deref() == found {
                *w = Some(label.to_string());
            }
        }
    };
    for (label, _, v) in &singles {
        explain(label, v, &mut why);
    }
    for (i, (a, ra, _)) in singles.iter().enumerate() {
        for (b, rb, _) in &singles[i + 1..] {
            if why.iter().any(Option::is_none) {
                explain(&format!("{a} + {b}"), &expected(&model::Model::new(&site, day, ra.and(*rb))), &mut why);
            }
        }
    }
    let mut groups: BTreeMap<String, Vec<&Mismatch>> = BTreeMap::new();
    for (m, w) in bad.iter().zip(why) {
        let w = w.unwrap_or_else(|| "UNEXPLAINED (no rule variant, single or paired, reproduces the page)".to_string());
        groups.entry(w).or_default().push(m);
    }
    let mut report = format!(
        "recompute[{name}]: {} of {} figures disagree ({months}); {} agree\n",
        thousands(bad.len()),
        thousands(figures),
        thousands(figures.saturating_sub(bad.len()))
    );
    for (why, list) in &groups {
        let mut tables: BTreeMap<String, usize> = BTreeMap::new();
        for m in list {
            *tables.entry(format!("{}.{}", m.table.split(':').next().unwrap(), m.col)).or_default() += 1;
        }
        let tables: Vec<String> = tables.iter().map(|(t, n)| format!("{t}×{n}")).collect();
        report.push_str(&format!("\n== {why}: {} ({})\n", list.len(), tables.join(", ")));
        let limit = if why.starts_with("UNEXPLAINED") { 80 } else { 12 };
        for m in list.iter().take(limit) {
            let e = m.expected.as_deref().unwrap_or("(absent)");
            let f = m.found.as_deref().unwrap_or("(absent)");
            report.push_str(&format!(
                "  {} | {} | {} | {}: expected {e:?}, found {f:?}\n",
                m.page, m.table, m.row, m.col
            ));
        }
        if list.len() > limit {
            report.push_str(&format!("  … and {} more\n", list.len() - limit));
        }
    }
    println!("{report}");
    panic!("recompute[{name}]: {} figures disagree with the pages (see the list above)", bad.len());
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(e.path(), dest).unwrap();
    }
}

/// A fresh folder for a site: temporary, or `$RECOMPUTE_KEEP/name` when set.
fn site_dir(name: &str) -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("RECOMPUTE_KEEP") {
        Some(keep) => {
            let dir = PathBuf::from(keep).join(name);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            (None, dir)
        }
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

#[test]
fn example_site_figures_agree_with_an_independent_recomputation() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (_tmp, dir) = site_dir("example");
    std::fs::copy(repo.join("charter.yaml"), dir.join("charter.yaml")).unwrap();
    for part in ["content", "data", "templates", "static"] {
        if repo.join(part).is_dir() {
            copy_dir(&repo.join(part), &dir.join(part));
        }
    }
    check("example", &dir, "2026-11-30", 5000, false);
}

#[test]
fn generated_site_figures_agree_with_an_independent_recomputation() {
    let legacy = std::env::var_os("RECOMPUTE_LEGACY_SYNTAX").is_some_and(|v| v == "1");
    let (_tmp, dir) = site_dir("generated");
    gen::generate(&dir, 0x5eed_c0ff_ee15_2026, legacy);
    check(if legacy { "generated, legacy syntax" } else { "generated" }, &dir, gen::BUILD_DATE, 2000, true);
}

#[test]
fn the_recomputation_reads_effective_dated_limits_and_seconds() {
    let dir = tempfile::tempdir().unwrap();
    gen::generate(dir.path(), 7, false);
    let site = data::load(dir.path());
    let m = model::Model::new(&site, parse_date(gen::BUILD_DATE).unwrap(), model::SPEC);
    let limit = |received: &str| {
        let t = data::parse_timestamp(received).unwrap();
        m.limit(site.complaints.iter().find(|c| c.ctype == "quality" && c.received == t).unwrap()).fmt_dp(2)
    };
    assert_eq!(limit("2025-11-29 00:00:00"), "48");
    assert_eq!(limit("2026-04-09 23:59:59"), "36");
    assert_eq!(limit("2026-04-10 00:00:00"), "30");
    let september = data::parse_timestamp("2025-10-01 00:00").unwrap();
    let early = site.complaints.iter().find(|c| c.ctype == "quality" && c.received < september).unwrap();
    assert_eq!(m.limit(early).fmt_dp(2), "48", "before the first dated value: that value");
    let fast = site.types.iter().find(|t| t.id == "fast").unwrap();
    assert_eq!(fast.limits[0].1, rational::Q::new(3, 2), "90 分钟 = 1.5 h");
}
