//! Measurements from a warehouse: DuckDB (the Python package `.ci/run` installs) runs
//! `docs/warehouse/*.sql` over the example's raw CSVs and writes Parquet; the example
//! built from those summaries, and from raw rows converted to Parquet, must be the same
//! site, byte for byte, as the example built from the raw CSVs. A second engine
//! recomputing the reports is the check: nothing here restates a number.
//!
//! Without DuckDB these tests say so and pass, except in CI (`CI` set), where DuckDB
//! is required.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// The Python that has DuckDB: `CHARTER_DUCKDB_PYTHON`, else `python3` if it has it.
fn duckdb_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHARTER_DUCKDB_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let found = Command::new("python3").args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from("python3"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "DuckDB is required in CI: .ci/run installs it into target/duckdb-venv and sets CHARTER_DUCKDB_PYTHON"
    );
    eprintln!("warehouse tests skipped: no DuckDB (set CHARTER_DUCKDB_PYTHON, or `pip install duckdb==2.0.1`)");
    None
}

/// Runs `docs/warehouse/run_duckdb.py` with `args`.
fn run_duckdb(python: &Path, args: &[&str]) {
    let script = repo_root().join("docs/warehouse/run_duckdb.py");
    let o = Command::new(python).arg(script).args(args).output().expect("run python");
    assert!(o.status.success(), "run_duckdb.py {args:?} failed:\n{}\n{}", stdout(&o), stderr(&o));
}

/// Replaces the raw complaints and surveys of the site at `root` by the summaries
/// DuckDB makes of them for a build on `today`.
fn summarise(python: &Path, root: &Path, today: &str) {
    let inputs = root.join("inputs");
    let o = charter(&["warehouse-inputs", "--root", root.to_str().unwrap(), "--out", inputs.to_str().unwrap()]);
    assert!(o.status.success(), "warehouse-inputs failed:\n{}", stderr(&o));
    let data = root.join("data");
    let (data, inputs) = (data.to_str().unwrap(), inputs.to_str().unwrap());
    run_duckdb(python, &["aggregate", "--data", data, "--inputs", inputs, "--today", today, "--out", data]);
    for raw in ["complaints.csv", "complaints.parquet", "surveys.csv", "surveys.parquet"] {
        let _ = std::fs::remove_file(root.join("data").join(raw));
    }
}

/// Replaces `data/complaints.csv` by `data/complaints.parquet`, written by the Python
/// `script` from the CSV (its arguments: the CSV's path, the Parquet file's).
fn to_parquet(python: &Path, script: &str, data: &Path) {
    let (csv, parquet) = (data.join("complaints.csv"), data.join("complaints.parquet"));
    let o =
        Command::new(python).args(["-c", script, csv.to_str().unwrap(), parquet.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_file(csv).unwrap();
}

/// Builds `root` for `today` into `root/site` and returns every file, then moves the
/// output away, so that a second build of the same root is written to the same place
/// (the generated web server configuration names it).
fn built(root: &Path, today: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", today]);
    assert!(o.status.success(), "build for {today} failed:\n{}", stderr(&o));
    let files = tree(&root.join("site"));
    std::fs::remove_dir_all(root.join("site")).unwrap();
    files
}

/// Asserts that two builds wrote the same files, byte for byte, naming those that
/// differ or are in one only.
fn assert_same_site(
    expected: &std::collections::BTreeMap<String, Vec<u8>>,
    actual: &std::collections::BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let names: std::collections::BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    let differ: Vec<&String> = names.into_iter().filter(|n| expected.get(*n) != actual.get(*n)).collect();
    assert!(differ.is_empty(), "{what}: {} of {} files differ: {differ:?}", differ.len(), expected.len());
}

#[test]
fn the_example_built_from_duckdb_summaries_is_the_site_built_from_raw_rows() {
    let Some(python) = duckdb_python() else { return };
    // The example's own build date; a day inside a month (past months are judged at
    // their ends, the newest on the day); and a month's last day.
    for today in ["2026-11-23", "2026-08-10", "2026-07-31"] {
        let site = copy_of(&repo_root());
        let expected = built(site.path(), today);
        summarise(&python, site.path(), today);
        for table in ["complaints_monthly", "complaints_open", "complaints_open_counts", "surveys_monthly"] {
            let bytes = std::fs::metadata(site.path().join(format!("data/{table}.parquet"))).unwrap().len();
            assert!(bytes > 0 && bytes < 64 * 1024, "{table}.parquet is {bytes} bytes");
        }
        let actual = built(site.path(), today);
        let reports = expected.keys().filter(|k| k.contains("/reports/")).count();
        assert!(reports > 100, "{today}: only {reports} report files to compare");
        assert_same_site(&expected, &actual, today);
    }
}

#[test]
fn raw_rows_from_parquet_build_the_site_csv_builds() {
    let Some(python) = duckdb_python() else { return };
    let today = "2026-11-23";
    let site = copy_of(&repo_root());
    let root = site.path();
    let expected = built(root, today);
    // zstd, as DuckDB and BigQuery can write, in row groups of 500 rows so that the
    // complaints span several.
    let data = root.join("data");
    let data = data.to_str().unwrap();
    run_duckdb(&python, &["raw", "--data", data, "--out", data, "--compression", "zstd", "--row-group-size", "500"]);
    for csv in ["complaints.csv", "surveys.csv", "metrics/monthly.csv"] {
        std::fs::remove_file(root.join("data").join(csv)).unwrap();
    }
    assert!(root.join("data/metrics/monthly.parquet").is_file());
    let actual = built(root, today);
    assert_same_site(&expected, &actual, "raw rows");
}

#[test]
fn a_summary_made_for_another_day_or_other_limits_is_refused_and_nothing_is_written() {
    let Some(python) = duckdb_python() else { return };
    let site = copy_of(&repo_root());
    summarise(&python, site.path(), "2026-11-23");
    let root = site.path().to_str().unwrap();
    // A day later, the newest month (October: the example has no November data) is judged
    // as of a day the summary has no rows for.
    let o = charter(&["build", "--root", root, "--today", "2026-11-24"]);
    assert_eq!(o.status.code(), Some(1));
    let lines = diagnostic_lines(&stderr(&o));
    let rerun = "rerun docs/warehouse/ with today = 2026-11-24";
    let stale: Vec<&String> = lines.iter().filter(|l| l.contains("stale-summary") || l.contains(rerun)).collect();
    assert_eq!(stale.len(), 4, "{lines:#?}");
    assert!(
        stale[0].starts_with("data/complaints_monthly.parquet:")
            && stale[0].contains("no rows for 2026-10 as of 2026-11-24")
            && stale[0].contains("(it has 2026-10-31, 2026-11-23)"),
        "{lines:#?}"
    );
    assert!(
        stale[1].starts_with("data/complaints_open.parquet:") && stale[1].contains("the list is as of 2026-11-23"),
        "{lines:#?}"
    );
    assert!(
        stale[2].starts_with("data/complaints_open_counts.parquet: ") && stale[2].contains("no count as of 2026-11-24"),
        "{lines:#?}"
    );
    assert!(
        stale[3].starts_with("data/surveys_monthly.parquet:")
            && stale[3].contains("made for a build on 2026-11-23, but the build date is 2026-11-24"),
        "{lines:#?}"
    );
    assert!(!site.path().join("site").exists(), "a refused build wrote output");
    // The same day, but a time limit changed in params.yaml after the summary was made.
    let params = site.path().join("data/params.yaml");
    let text = read(&params);
    let changed =
        text.replacen("complaint_attitude_hours:\n  value: 24\n", "complaint_attitude_hours:\n  value: 12\n", 1);
    assert_ne!(text, changed, "the example's attitude limit moved; update this test");
    std::fs::write(&params, changed).unwrap();
    let o = charter(&["build", "--root", root, "--today", "2026-11-23"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("computed with a time limit of 24 h for `attitude` complaints, but `complaint_attitude_hours` in data/params.yaml gives 12 h for when they were received"),
        "{err}"
    );
    // One error for the one cause, not one per row.
    assert_eq!(err.matches("computed with a time limit").count(), 1, "{err}");
    assert!(!site.path().join("site").exists(), "a refused build wrote output");
}

#[test]
fn a_long_list_of_overdue_complaints_shows_the_most_overdue_and_its_csv_all() {
    // 600 complaints still open at the end of June, one received every hour from
    // 06-01 00:00: the page lists the 500 received first (the most overdue), the CSV
    // all 600, in the same order.
    let site = site_with(&["valid/data", "valid/reports"]);
    let mut rows = String::from("id,type,channel,team,received_at,resolved_at\n");
    for i in 0..600 {
        rows += &format!("k{i:03},attitude,热线,desk-a,2026-06-{:02} {:02}:00,\n", 1 + i / 24, i % 24);
    }
    std::fs::write(site.path().join("data/complaints.csv"), rows).unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--today", "2026-06-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = site.path().join("site/internal/reports/complaints");
    let page = read(&dir.join("index.html"));
    let section = &page[page.find("id=\"open-past-limit\"").expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<tr><th scope=\"row\">").count(), 500);
    assert!(section.contains("此处列出逾期最久的 500 件，共 600 件；CSV 文件列出全部。"), "{section}");
    assert!(section.contains(">k000<") && section.contains(">k499<") && !section.contains(">k500<"));
    let csv = read(&dir.join("open-past-limit.csv"));
    let ids: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let expected: Vec<String> = (0..600).map(|i| format!("k{i:03}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn instants_in_parquet_are_read_in_the_organisations_time_zone() {
    let Some(python) = duckdb_python() else { return };
    let today = "2026-11-23";
    let site = copy_of(&repo_root());
    let root = site.path();
    let expected = built(root, today);
    // A warehouse that stores instants: the example's Shanghai wall-clock times as
    // TIMESTAMP WITH TIME ZONE (Parquet: adjusted to UTC).
    let script = "import duckdb, sys\n\
        con = duckdb.connect()\n\
        con.execute(\"SET TimeZone='Asia/Shanghai'\")\n\
        con.execute(\"COPY (SELECT id, type, channel, team, CAST(received_at AS TIMESTAMPTZ) AS received_at, \
        CAST(resolved_at AS TIMESTAMPTZ) AS resolved_at FROM read_csv(?, header=true, columns={'id':'VARCHAR',\
        'type':'VARCHAR','channel':'VARCHAR','team':'VARCHAR','received_at':'TIMESTAMP','resolved_at':'TIMESTAMP'})) \
        TO '\" + sys.argv[2] + \"' (FORMAT parquet)\", [sys.argv[1]])\n";
    let data = root.join("data");
    to_parquet(&python, script, &data);
    // Without the organisation's offset they are read in UTC, and it says so.
    let o = charter(&["check", "--root", root.to_str().unwrap(), "--today", today]);
    let err = stderr(&o);
    assert!(err.contains("data/complaints.parquet: warning: column `received_at` holds instants (TIMESTAMP WITH TIME ZONE), read in UTC"), "{err}");
    // With it, they are the wall-clock times the CSV held: the same site.
    let config = root.join("charter.yaml");
    std::fs::write(&config, read(&config) + "time_zone: \"+08:00\"\n").unwrap();
    let actual = built(root, today);
    assert_same_site(&expected, &actual, "raw rows");
    // And DuckDB's summaries of those instants, made with the offset
    // `charter warehouse-inputs` passes on: the same site again.
    summarise(&python, root, today);
    assert!(!data.join("complaints.parquet").exists() && data.join("complaints_monthly.parquet").exists());
    let summarised = built(root, today);
    assert_same_site(&expected, &summarised, "summaries");
}

#[test]
fn a_parquet_file_in_a_codec_charter_does_not_read_is_one_error() {
    let Some(python) = duckdb_python() else { return };
    let site = copy_of(&repo_root());
    let data = site.path().join("data");
    // Brotli, which pyarrow and DuckDB can write, in many row groups: one error, not one
    // per row group.
    let script = "import duckdb, sys\n\
        duckdb.execute(\"COPY (SELECT * FROM read_csv(?, header=true, types={'received_at':'TIMESTAMP',\
        'resolved_at':'TIMESTAMP'})) TO '\" + sys.argv[2] + \"' (FORMAT parquet, COMPRESSION brotli, ROW_GROUP_SIZE 2048)\", [sys.argv[1]])\n";
    to_parquet(&python, script, &data);
    let o = charter(&["check", "--root", site.path().to_str().unwrap(), "--today", "2026-11-23"]);
    assert_eq!(o.status.code(), Some(1));
    let errors: Vec<String> = diagnostic_lines(&stderr(&o)).into_iter().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(
        errors,
        ["data/complaints.parquet: error: data/complaints.parquet is compressed with BROTLI, which Charter does not read: write it with snappy, zstd, lz4 or gzip (DuckDB: `COMPRESSION zstd`)"]
    );
}

#[test]
fn the_runners_refuse_raw_rows_the_raw_build_refuses() {
    let Some(python) = duckdb_python() else { return };
    let site = copy_of(&repo_root());
    let root = site.path();
    // A repeated id, resolved before it was received: the raw build refuses both, so
    // the summary must not count them.
    let csv = root.join("data/complaints.csv");
    std::fs::write(&csv, read(&csv) + "C00528,attitude,客服热线,support-a,2026-10-05 09:00,2026-10-04 10:00\n")
        .unwrap();
    let inputs = root.join("inputs");
    let o = charter(&["warehouse-inputs", "--root", root.to_str().unwrap(), "--out", inputs.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let script = repo_root().join("docs/warehouse/run_duckdb.py");
    let data = root.join("data");
    let (data, inputs) = (data.to_str().unwrap(), inputs.to_str().unwrap());
    let o = Command::new(&python)
        .arg(script)
        .args(["aggregate", "--data", data, "--inputs", inputs, "--today", "2026-11-23", "--out", data])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("complaints: 1 with a repeated id (the first: C00528); 1 with resolved_at before received_at (the first: C00528)"),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("data/complaints_monthly.parquet").exists(), "a refused run wrote a summary");
}
