//! Page history from git: when each source file under `content/` and `versions/` was
//! last committed, read with ONE `git log` for the whole site, and where the site sits
//! in its repository (for "edit this page" links).
//!
//! Owns the two `git` invocations and the parsing of their output (`parse_log` is pure
//! and unit-tested). Dates are commit dates (`%cs`, the committer's calendar day), so
//! they depend on the repository only: not on `--today`, the clock, the time zone of the
//! machine, or uncommitted edits (a file edited but not committed keeps the date of its
//! last commit). When there is no usable history — the site is not in a repository,
//! `git` is missing or fails, or the clone is shallow (its oldest commit would claim to
//! have touched every file) — there are no dates and [`History::fallback`] says why,
//! once for the whole run; pages then show their `effective` date. It must not render.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::base::date::Date;

/// Why a site's page dates are not from git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fallback {
    /// The site is not inside a git repository (nothing to say: the normal case for a
    /// site that does not use git).
    NotARepository,
    /// A repository is there but `git` could not read it (missing, or an error).
    GitUnavailable(String),
    /// The clone is shallow: its history is cut off.
    Shallow,
}

impl Fallback {
    /// The one note a build prints about it, if any.
    pub(crate) fn note(&self) -> Option<String> {
        let tail = "pages show their `effective` date as \"last updated\"";
        match self {
            Fallback::NotARepository => None,
            Fallback::GitUnavailable(why) => Some(format!("page history: git cannot read this repository ({why}); {tail}")),
            Fallback::Shallow => Some(format!(
                "page history: this is a shallow clone, so git does not know when each page last changed; {tail} (clone with the whole history, e.g. `fetch-depth: 0` in GitHub Actions, to show commit dates)"
            )),
        }
    }
}

/// When each source file changed, by path relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct History {
    /// Path relative to the site root (`content/a.md`) → days of the commits touching it.
    dates: BTreeMap<String, BTreeSet<Date>>,
    /// The site root relative to the repository's top level (`""`, `docs/handbook/`).
    prefix: String,
    /// Why there are no dates (`None`: they come from git).
    pub(crate) fallback: Option<Fallback>,
}

impl std::hash::Hash for History {
    /// For `charter serve`'s memo of the public site: a new commit re-renders it.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for (path, days) in &self.dates {
            path.hash(state);
            days.iter().for_each(|d| d.to_string().hash(state));
        }
        self.prefix.hash(state);
        format!("{:?}", self.fallback).hash(state);
    }
}

impl History {
    /// A history without git (for sites and tests that have none).
    pub(crate) fn none(fallback: Fallback) -> History {
        History { fallback: Some(fallback), ..History::default() }
    }

    /// The day of the last commit touching `path` (relative to the site root), or of
    /// the last one on or before `until`.
    pub(crate) fn last_commit(&self, path: &str, until: Option<Date>) -> Option<Date> {
        let days = self.dates.get(path)?;
        match until {
            None => days.last().copied(),
            Some(d) => days.range(..=d).next_back().copied(),
        }
    }

    /// `path` (relative to the site root) relative to the repository's top level.
    pub(crate) fn repo_path(&self, path: &str) -> String {
        format!("{}{path}", self.prefix)
    }
}

/// Reads the history of `root`'s `content/` and `versions/` with the `git` command.
pub(crate) fn load(root: &Path) -> History {
    let where_ = match git(root, &["rev-parse", "--is-shallow-repository", "--show-prefix"]) {
        Ok(out) => out,
        Err(Run::Failed(msg)) if msg.contains("not a git repository") => {
            return History::none(Fallback::NotARepository)
        }
        Err(Run::Missing) => {
            // Without git, the folder holding `.git` still tells where the site sits.
            return match repository_prefix(root) {
                None => History::none(Fallback::NotARepository),
                Some(prefix) => History { prefix, ..History::none(Fallback::GitUnavailable(NO_GIT.into())) },
            };
        }
        Err(Run::Failed(msg)) => return History::none(Fallback::GitUnavailable(msg)),
    };
    let mut lines = where_.lines();
    let shallow = lines.next() == Some("true");
    let prefix = lines.next().unwrap_or("").to_string();
    if shallow {
        return History { prefix, ..History::none(Fallback::Shallow) };
    }
    let args = [
        "log",
        "--no-color",
        "-z",
        "--format=%x1e%cs",
        "--name-only",
        "--no-renames",
        "--relative",
        "--",
        "content",
        "versions",
    ];
    match git(root, &args) {
        Ok(log) => History { dates: parse_log(&log), prefix, fallback: None },
        Err(Run::Failed(msg)) if msg.contains("does not have any commits") => History { prefix, ..History::default() },
        Err(Run::Failed(msg)) => History { prefix, ..History::none(Fallback::GitUnavailable(msg)) },
        Err(Run::Missing) => History { prefix, ..History::none(Fallback::GitUnavailable(NO_GIT.into())) },
    }
}

enum Run {
    /// The `git` program is not there.
    Missing,
    /// It ran and failed: the first line of what it said.
    Failed(String),
}

/// Runs `git -C root ARGS` with a fixed, quiet environment and returns its output.
fn git(root: &Path, args: &[&str]) -> Result<String, Run> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotePath=false", "-c", "log.showSignature=false"])
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .map_err(
            |e| if e.kind() == std::io::ErrorKind::NotFound { Run::Missing } else { Run::Failed(e.to_string()) },
        )?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("git failed").trim();
        return Err(Run::Failed(first.trim_start_matches("fatal: ").to_string()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

const NO_GIT: &str = "`git` is not installed";

/// Where `root` sits below the nearest folder holding `.git` (`docs/handbook/`, or `""`
/// at the top), or `None` outside any repository: for when `git` cannot be run.
fn repository_prefix(root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let top = root.ancestors().find(|d| d.join(".git").exists())?;
    let rel = root.strip_prefix(top).ok()?;
    Some(rel.components().map(|c| format!("{}/", c.as_os_str().to_string_lossy())).collect())
}

/// Parses `git log -z --format=%x1e%cs --name-only`: records start with U+001E, then the
/// commit day, a NUL, and the NUL-separated paths the commit touched (a merge commit
/// lists none). Every day a path was touched is kept; a line that is not a date is
/// skipped.
pub(crate) fn parse_log(log: &str) -> BTreeMap<String, BTreeSet<Date>> {
    let mut dates: BTreeMap<String, BTreeSet<Date>> = BTreeMap::new();
    for record in log.split('\u{1e}').filter(|r| !r.is_empty()) {
        let mut fields = record.split('\0');
        let Some(Ok(day)) = fields.next().map(|d| Date::parse(d.trim())) else { continue };
        for path in fields.map(|p| p.trim_start_matches('\n')).filter(|p| !p.is_empty()) {
            dates.entry(path.to_string()).or_default().insert(day);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_log_gives_every_day_each_path_was_committed() {
        // Newest first, as git prints it; a merge commit with no paths; a Chinese name.
        let log = "\u{1e}2026-03-05\0\ncontent/a.md\0content/中文.md\0\
                   \u{1e}2026-02-01\0\
                   \u{1e}2026-01-02\0\ncontent/a.md\0versions/2026.1/content/a.md\0";
        let dates = parse_log(log);
        assert_eq!(dates.len(), 3);
        let h = History { dates, prefix: "docs/site/".into(), fallback: None };
        assert_eq!(h.last_commit("content/a.md", None), Some(d("2026-03-05")));
        assert_eq!(h.last_commit("content/中文.md", None), Some(d("2026-03-05")));
        assert_eq!(h.last_commit("content/a.md", Some(d("2026-03-04"))), Some(d("2026-01-02")));
        assert_eq!(h.last_commit("content/a.md", Some(d("2026-01-01"))), None);
        assert_eq!(h.last_commit("versions/2026.1/content/a.md", None), Some(d("2026-01-02")));
        assert_eq!(h.last_commit("content/new.md", None), None);
        assert_eq!(h.repo_path("content/a.md"), "docs/site/content/a.md");
    }

    #[test]
    fn garbage_in_the_log_is_skipped() {
        let dates = parse_log("\u{1e}not-a-date\0\ncontent/x.md\0\u{1e}\0\u{1e}2026-13-40\0content/y.md\0");
        assert!(dates.is_empty(), "{dates:?}");
    }

    #[test]
    fn only_problems_with_a_repository_are_worth_a_note() {
        assert_eq!(Fallback::NotARepository.note(), None);
        assert!(Fallback::Shallow.note().unwrap().contains("shallow clone"));
        let note = Fallback::GitUnavailable("`git` is not installed".into()).note().unwrap();
        assert!(note.contains("`git` is not installed") && note.contains("`effective`"), "{note}");
    }
}
