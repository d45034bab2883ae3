//! Diagnostics for machines and CI: `--format json` (one object per line, golden),
//! GitHub annotations under `GITHUB_ACTIONS=true`, `--strict`, `--quiet`, and the
//! governance warnings they carry.

use crate::common::*;

fn governance_site() -> tempfile::TempDir {
    site_with(&["valid/governance"])
}

#[test]
fn json_format_prints_one_object_per_diagnostic() {
    let site = governance_site();
    let o = charter(&["check", "--root", site.path().to_str().unwrap(), "--today", "2026-06-15", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        concat!(
            r#"{"code":"review-overdue","column":12,"help":"review the page, then move `review_by` to the next review date","line":5,"message":"review was due on 2026-01-01, 165 days ago","path":"content/standards/overdue.md","severity":"warning"}"#,
            "\n",
            r#"{"code":"missing-owner","column":1,"line":1,"message":"standard has no `owner`: name the role responsible for it","path":"content/standards/ownerless.md","severity":"warning"}"#,
            "\n"
        )
    );
    // The summary stays off stdout, which holds JSON only.
    assert!(stderr(&o).contains("checked 8 public and 10 internal pages: no errors, 2 warning(s)"), "{}", stderr(&o));
}

#[test]
fn github_actions_get_annotation_lines() {
    let site = governance_site();
    let o = charter_env(
        &["check", "--root", site.path().to_str().unwrap(), "--today", "2026-06-15"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert!(o.status.success());
    assert_eq!(
        stdout(&o).lines().filter(|l| l.starts_with("::")).collect::<Vec<_>>(),
        vec![
            "::warning file=content/standards/overdue.md,line=5,col=12,title=review-overdue::review was due on 2026-01-01, 165 days ago (review the page, then move `review_by` to the next review date)",
            "::warning file=content/standards/ownerless.md,line=1,col=1,title=missing-owner::standard has no `owner`: name the role responsible for it",
        ]
    );
    // People still get the readable form.
    assert!(
        stderr(&o).contains("content/standards/overdue.md:5:12: warning: review was due on 2026-01-01, 165 days ago")
    );
}

#[test]
fn strict_turns_warnings_into_errors_and_writes_nothing() {
    let site = governance_site();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-06-15", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/standards/overdue.md:5:12: error: review was due on 2026-01-01"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("2 error(s), 0 warning(s); nothing was written"));
    assert!(!site.path().join("site").exists());
    // Before the review date, no warning.
    let early =
        charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2025-12-31", "--strict", "--quiet"]);
    assert_eq!(early.status.code(), Some(1), "the ownerless standard still fails under --strict");
}

#[test]
fn quiet_prints_no_summary_and_no_progress() {
    let site = site_with(&[]);
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--quiet"]);
    assert!(o.status.success());
    assert!(stdout(&o).is_empty() && stderr(&o).is_empty(), "{} {}", stdout(&o), stderr(&o));
}

#[test]
fn governance_page_lists_overdue_and_ownerless_standards() {
    let site = governance_site();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-06-15"]);
    assert!(o.status.success());
    let gov = read(&site.path().join("site/internal/governance/index.html"));
    assert!(gov.contains(">过期标准</bdi></a>") && gov.contains("逾期 165 天"), "{gov}");
    assert!(gov.contains(">无主标准</bdi></a>") && gov.contains("还剩 16 天"), "{gov}");
    assert!(gov.contains("没有负责角色的标准"));
    assert!(!read(&site.path().join("site/public/index.html")).contains("governance/"), "governance is internal");
}

/// Output of `charter ARGS` run on a pseudo-terminal (util-linux `script`), as a
/// person at a terminal would see it; `ci` sets the CI variable.
fn on_terminal(args: &str, ci: bool) -> String {
    let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_charter"));
    let mut c = std::process::Command::new("script");
    c.args(["-qec", &cmd, "/dev/null"]).env_remove("CI").env_remove("GITHUB_ACTIONS");
    if ci {
        c.env("CI", "true");
    }
    let o = c.output().expect("util-linux `script`");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
fn progress_bar_on_a_terminal_but_not_in_ci_or_quiet() {
    let site = site_with(&["valid/data"]);
    let root = site.path().to_str().unwrap();
    let shown = on_terminal(&format!("check --root {root}"), false);
    assert!(shown.contains("steps ·"), "no progress bar on a terminal: {shown:?}");
    let ci = on_terminal(&format!("check --root {root}"), true);
    assert!(!ci.contains("steps ·"), "progress bar in CI: {ci:?}");
    let quiet = on_terminal(&format!("check --root {root} --quiet"), false);
    assert!(!quiet.contains("steps ·") && !quiet.contains("checked"), "--quiet printed: {quiet:?}");
}
