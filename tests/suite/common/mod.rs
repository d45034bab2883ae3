//! Helpers shared by the integration tests: fixture sites copied into temporary
//! folders, the `charter` binary, and whole output trees for comparison.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies every file under `from` into `to`, overwriting.
pub fn copy_tree(from: &Path, to: &Path) {
    copy_tree_ordered(from, to, false);
}

/// Copies a tree, optionally creating files in reverse order (so that the directory
/// order the file system reports differs between two copies).
pub fn copy_tree_ordered(from: &Path, to: &Path, reverse: bool) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(from)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    if reverse {
        files.reverse();
    }
    for f in files {
        let rel = f.strip_prefix(from).unwrap();
        if rel.starts_with("site") || rel.starts_with("target") || rel == Path::new("expected.txt") {
            continue;
        }
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&f, &dest).unwrap();
    }
}

/// A temporary site: the base fixture with the named fixture folders laid over it.
pub fn site_with(overlays: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    for o in overlays {
        copy_tree(&fixtures().join(o), dir.path());
    }
    dir
}

/// A temporary copy of a standalone fixture site (or of the bundled example with `""`).
pub fn copy_of(site: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["charter.yaml", "content", "templates", "data", "static", "versions"] {
        let p = site.join(part);
        if p.is_file() {
            std::fs::copy(&p, dir.path().join(part)).unwrap();
        } else if p.is_dir() {
            copy_tree(&p, &dir.path().join(part));
        }
    }
    dir
}

pub fn charter(args: &[&str]) -> Output {
    charter_env(args, &[])
}

pub fn charter_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charter"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run charter")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Whether a path inside a site (`en/standards/x/index.html`, `2025.1/en/…`) is in
/// the example's second language, English.
pub fn in_english(path: &str) -> bool {
    path.starts_with("en/") || path.contains("/en/")
}

/// Builds `root` into `root/site` with the binary and asserts success.
pub fn build_ok(root: &Path) -> Output {
    let o = charter(&["build", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    o
}

/// Every file under `dir` by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(e.path()).unwrap();
            // The search bundles' files are gzipped: every test reads what they hold,
            // so that a leak test sees the text inside them.
            let bytes = if rel.ends_with(".gz") {
                charter::search::inflate(&bytes).unwrap_or_else(|| panic!("{rel}: damaged gzip"))
            } else {
                bytes
            };
            (rel, bytes)
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Whether expected outputs are being rewritten: `CHARTER_BLESS=1 cargo test --test
/// suite` makes the invalid-fixture and corpus tests write each case's `expected.txt`
/// from what Charter prints now, instead of comparing (review the diff, then commit).
pub fn blessing() -> bool {
    std::env::var_os("CHARTER_BLESS").is_some_and(|v| v == "1")
}

/// The diagnostic lines of a run's stderr, as `expected.txt` files hold them: every
/// headline (`PATH:LINE:COL: error: …`, `PATH: warning: …`) and its `= help:` line,
/// in order, without the quoted source lines, the carets and the closing count.
pub fn diagnostic_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let headline = !l.starts_with(' ')
                && !l.starts_with("error: ")
                && !l.starts_with("warning: ")
                && (l.contains(": error: ") || l.contains(": warning: "));
            let help = l.trim_start().starts_with("= help: ");
            (headline || help).then(|| l.trim().to_string())
        })
        .collect()
}

/// Compares `expected` lines with `actual` ones exactly, or rewrites them when
/// [`blessing`]: `write` receives the new lines. The message names the first lines
/// that differ.
pub fn compare_or_bless(
    what: &str,
    expected: &[String],
    actual: &[String],
    write: impl FnOnce(&[String]),
) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    if blessing() {
        write(actual);
        return Ok(());
    }
    let missing: Vec<&String> = expected.iter().filter(|l| !actual.contains(l)).collect();
    let unexpected: Vec<&String> = actual.iter().filter(|l| !expected.contains(l)).collect();
    Err(format!(
        "{what}: the diagnostics differ from expected.txt (CHARTER_BLESS=1 rewrites it)\n  missing: {missing:#?}\n  unexpected: {unexpected:#?}\n  (same lines in another order when both are empty)"
    ))
}

/// A site's bundle as read back: every term's postings and every document's address.
pub struct Bundle {
    pub terms: BTreeMap<String, Vec<u32>>,
    pub urls: Vec<String>,
}

pub fn read_bundle(dir: &Path) -> Bundle {
    let bundle = charter::search::read_bundle(&|path| std::fs::read(dir.join(path)).ok())
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    Bundle { terms: bundle.terms, urls: bundle.docs.into_iter().map(|(url, _, _)| url).collect() }
}

/// The documents of the search bundle in `dir` as their JSON text (`[url, title,
/// text]`, the text without the title that leads the page), every group together.
pub fn bundle_docs(dir: &Path) -> String {
    tree(&dir.join("docs")).into_values().map(|bytes| String::from_utf8(bytes).expect("UTF-8 JSON")).collect()
}

/// The addresses of the pages `query` finds, best first.
pub fn ranked(bundle: &Bundle, query: &str) -> Vec<String> {
    let postings: Vec<Vec<u32>> =
        charter::search::query_terms(query).iter().map(|t| bundle.terms.get(t).cloned().unwrap_or_default()).collect();
    charter::search::rank(&postings).iter().map(|h| bundle.urls[h.doc as usize].clone()).collect()
}
