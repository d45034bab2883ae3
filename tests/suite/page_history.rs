//! Page history from git: "last updated" from the last commit touching each page's
//! source (one `git log` per build), edit links from `edit_url`, the release rule, and
//! the fallbacks — a shallow clone (one note, `--strict` still passes) and a site that
//! is not in a repository (silently `effective`).

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Runs git in `dir` with a fixed identity and the given commit date for both the
/// author and the committer.
fn git(dir: &Path, args: &[&str], date: &str) {
    let o = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Tester", "-c", "user.email=tester@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

/// A repository with the English fixture in `docs/handbook/` (so paths in edit links
/// must be relative to the repository, not the site): committed on 2 January, then
/// working hours edited on 4 March late in the evening at UTC−5 (5 March in UTC).
fn repository(config_extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let site = repo.join("docs/handbook");
    copy_tree(&fixtures().join("valid/english"), &site);
    let config = site.join("charter.yaml");
    std::fs::write(&config, format!("{}{config_extra}", read(&config))).unwrap();
    git(dir.path(), &["init", "-q", "-b", "main", "repo"], "2026-01-02T10:00:00+00:00");
    git(&repo, &["add", "."], "2026-01-02T10:00:00+00:00");
    git(&repo, &["commit", "-q", "-m", "First handbook"], "2026-01-02T10:00:00+00:00");
    let hours = site.join("content/handbook/working-hours.md");
    std::fs::write(&hours, format!("{}\nCore hours are the same on public holidays' eves.\n", read(&hours))).unwrap();
    git(&repo, &["commit", "-q", "-am", "Working hours: eves"], "2026-03-04T23:30:00-05:00");
    dir
}

/// The history line of a built page (`site/AUDIENCE/PATH/index.html`).
fn history_line(site: &Path, page: &str) -> String {
    let html = read(&site.join(format!("site/{page}/index.html")));
    html.lines().map(str::trim).find(|l| l.starts_with("<p class=\"page-history\">")).unwrap_or("").to_string()
}

fn line(date: &str, edit: Option<&str>) -> String {
    let edit = edit
        .map(|path| {
            format!(
                "<a class=\"edit-link\" href=\"https://git.example.com/org/repo/edit/main/{path}\" rel=\"nofollow\">Edit this page</a>"
            )
        })
        .unwrap_or_default();
    format!("<p class=\"page-history\">Last updated <time datetime=\"{date}\">{date}</time>{edit}</p>")
}

const EDIT: &str = "edit_url: https://git.example.com/org/repo/edit/main\n";

#[test]
fn pages_show_their_last_commit_and_internal_pages_an_edit_link() {
    let dir = repository(EDIT);
    let site = dir.path().join("repo/docs/handbook");
    // An uncommitted edit does not move the date: it is the last commit's.
    let ladder = site.join("content/handbook/career-ladder.md");
    std::fs::write(&ladder, format!("{}\nDraft sentence.\n", read(&ladder))).unwrap();
    let mut seen = Vec::new();
    for today in ["2026-03-10", "2027-12-31"] {
        let o = charter(&["build", "--root", site.to_str().unwrap(), "--strict", "--today", today]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stderr(&o).is_empty(), "no note when the history is whole: {}", stderr(&o));
        let hours = "docs/handbook/content/handbook/working-hours.md";
        let ladder = "docs/handbook/content/handbook/career-ladder.md";
        // The committer's own day (4 March at UTC−5), whatever the machine's zone.
        assert_eq!(history_line(&site, "internal/handbook/working-hours"), line("2026-03-04", Some(hours)));
        assert_eq!(history_line(&site, "internal/handbook/career-ladder"), line("2026-01-02", Some(ladder)));
        // The public site shows dates but, by default, no link into the repository.
        assert_eq!(history_line(&site, "public/handbook/working-hours"), line("2026-03-04", None));
        let public = tree(&site.join("site/public"));
        assert!(public.values().all(|f| !String::from_utf8_lossy(f).contains("git.example.com")));
        seen.push(tree(&site.join("site")));
    }
    assert!(seen[0] == seen[1], "the build date changes nothing the history shows");
}

#[test]
fn edit_url_public_adds_the_links_to_the_public_site() {
    let dir = repository(&format!("{EDIT}edit_url_public: true\n"));
    let site = dir.path().join("repo/docs/handbook");
    build_ok(&site);
    let hours = "docs/handbook/content/handbook/working-hours.md";
    assert_eq!(history_line(&site, "public/handbook/working-hours"), line("2026-03-04", Some(hours)));
}

#[test]
fn a_release_page_shows_the_last_change_before_its_release() {
    let dir = repository(EDIT);
    let (repo, site) = (dir.path().join("repo"), dir.path().join("repo/docs/handbook"));
    let o = charter(&["release", "2026.1", "--root", site.to_str().unwrap(), "--date", "2026-02-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    git(&repo, &["add", "."], "2026-03-20T09:00:00+00:00");
    git(&repo, &["commit", "-q", "-m", "Release 2026.1"], "2026-03-20T09:00:00+00:00");
    build_ok(&site);
    // Frozen on 1 February: the working-hours edit of 4 March is not in it, and the
    // release's own commit (20 March) is not when the page changed. No edit link.
    assert_eq!(history_line(&site, "public/handbook/working-hours"), line("2026-01-02", None));
    assert_eq!(history_line(&site, "public/2026.1/handbook/working-hours"), line("2026-01-02", None));
    let hours = "docs/handbook/content/handbook/working-hours.md";
    assert_eq!(history_line(&site, "internal/handbook/working-hours"), line("2026-03-04", Some(hours)));
}

#[test]
fn a_shallow_clone_falls_back_to_effective_dates_and_says_so_once() {
    let dir = repository(EDIT);
    // A page with an effective date, committed later than the rest.
    let site = dir.path().join("repo/docs/handbook");
    let ladder = site.join("content/handbook/career-ladder.md");
    std::fs::write(&ladder, read(&ladder).replacen("weight: 10\n", "weight: 10\neffective: 2025-11-01\n", 1)).unwrap();
    git(&dir.path().join("repo"), &["commit", "-q", "-am", "Ladder in force"], "2026-04-01T12:00:00+00:00");
    let url = format!("file://{}", dir.path().join("repo").display());
    let o = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(dir.path().join("shallow"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let shallow = dir.path().join("shallow/docs/handbook");
    let o = charter(&["build", "--root", shallow.to_str().unwrap(), "--strict"]);
    assert!(o.status.success(), "a shallow clone passes --strict: {}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("note: ").count(), 1, "{err}");
    assert!(err.starts_with("note: page history: this is a shallow clone"), "{err}");
    let ladder = "docs/handbook/content/handbook/career-ladder.md";
    assert_eq!(history_line(&shallow, "internal/handbook/career-ladder"), line("2025-11-01", Some(ladder)));
    // No effective date: no date at all (the clone's one commit is not the page's).
    let hours = history_line(&shallow, "internal/handbook/working-hours");
    assert!(!hours.contains("Last updated") && hours.contains("edit-link"), "{hours}");
    // --quiet says nothing.
    let o = charter(&["build", "--root", shallow.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success() && stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn a_site_outside_git_uses_effective_dates_without_a_word() {
    let site = copy_of(&fixtures().join("valid/english"));
    let config = site.path().join("charter.yaml");
    std::fs::write(&config, format!("{}{EDIT}", read(&config))).unwrap();
    let ladder = site.path().join("content/handbook/career-ladder.md");
    std::fs::write(&ladder, read(&ladder).replacen("weight: 10\n", "weight: 10\neffective: 2025-11-01\n", 1)).unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    // The site root is taken as the repository's top level.
    let ladder = "content/handbook/career-ladder.md";
    assert_eq!(history_line(site.path(), "internal/handbook/career-ladder"), line("2025-11-01", Some(ladder)));
    assert_eq!(history_line(site.path(), "public/handbook/career-ladder"), line("2025-11-01", None));
}

#[test]
fn a_repository_without_the_git_program_falls_back_and_says_so_once() {
    let dir = repository(EDIT);
    let site = dir.path().join("repo/docs/handbook");
    let o = charter_env(&["build", "--root", site.to_str().unwrap(), "--strict"], &[("PATH", "/nonexistent")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("note: ").count(), 1, "{err}");
    assert!(err.contains("git cannot read this repository (`git` is not installed)"), "{err}");
    // The folder holding `.git` still places the site in the repository.
    let hours = history_line(&site, "internal/handbook/working-hours");
    let link = "edit/main/docs/handbook/content/handbook/working-hours.md\"";
    assert!(!hours.contains("Last updated") && hours.contains(link), "{hours}");
}
