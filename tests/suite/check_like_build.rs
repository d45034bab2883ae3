//! `charter check` finds every error `charter build` finds, although it does less
//! work: it renders every page to validate the templates but discards them, and so
//! skips drawing the report charts. The report fixtures, valid and invalid, and a
//! report template that fails only where a chart is drawn give the same diagnostics
//! from both commands.

use crate::common::*;
use std::path::Path;

const TODAY: &str = "2026-07-15";

/// A run's diagnostic lines and exit code.
type Outcome = (Vec<String>, Option<i32>);

/// What `charter check` and `charter build` say about `site`.
fn both(site: &Path) -> (Outcome, Outcome) {
    let root = site.to_str().unwrap();
    let run = |command: &str| {
        let o = charter(&[command, "--root", root, "--today", TODAY]);
        (diagnostic_lines(&stderr(&o)), o.status.code())
    };
    (run("check"), run("build"))
}

#[test]
fn check_reports_what_build_reports_for_the_report_fixtures() {
    let invalid = [
        "bad-measurements",
        "bad-report-tiers",
        "reporting-cycle",
        "scorecard-unknown-kpi",
        "weights-not-100",
        "kpi-target-out-of-scale",
        "public-shows-internal-kpi",
        "template-error",
    ];
    for case in invalid {
        let site = site_with(&[&format!("invalid/{case}")]);
        let (check, build) = both(site.path());
        assert_eq!(check.1, Some(1), "{case}: check fails");
        assert!(!check.0.is_empty(), "{case}: check says why");
        assert_eq!(check, build, "{case}: check and build differ");
    }
    let site = site_with(&["valid/data", "valid/reports"]);
    let (check, build) = both(site.path());
    assert_eq!((check.1, build.1), (Some(0), Some(0)));
    assert_eq!(check.0.len(), 2, "the fixture's two warnings: {:?}", check.0);
    assert_eq!(check, build);
}

/// A theme's report template that goes wrong only where a figure has its chart: check,
/// which draws none, still takes that path and says so.
#[test]
fn a_template_error_beside_a_chart_is_found_by_check() {
    let site = site_with(&["valid/data", "valid/reports"]);
    let theirs = read(&repo_root().join("templates/report.html"));
    let chart = "{{ s.figure.svg | safe }}";
    assert!(theirs.contains(chart), "the built-in template inserts the chart");
    let broken =
        theirs.replace(chart, &format!("{chart}{{% if s.figure.svg %}}{{{{ s.figure.drawn_by }}}}{{% endif %}}"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/report.html"), broken).unwrap();
    let (check, build) = both(site.path());
    assert_eq!(check.1, Some(1), "check fails: {:?}", check.0);
    assert!(
        check.0.iter().any(|l| l.starts_with("templates/report.html:") && l.contains("`drawn_by` is not defined")),
        "{:?}",
        check.0
    );
    assert_eq!(check, build);
}
