//! Tests of the output step (`output.rs`): the manifest, carried-over files and the
//! system calls writing costs.

use super::*;
use std::os::unix::fs::MetadataExt;

fn file(path: &str, text: &str) -> OutputFile {
    OutputFile { path: path.to_string(), bytes: text.as_bytes().to_vec() }
}

fn site() -> Vec<OutputFile> {
    vec![
        file("public/index.html", "<p>首页</p>"),
        file("public/standards/a/index.html", "<p>标准 A</p>"),
        file("internal/index.html", "<p>内部</p>"),
    ]
}

/// Builds `files` into `dir/site`; returns the bytes read back from the previous site.
fn build(dir: &Path, files: &[OutputFile]) -> u64 {
    let w = Writer::create(&dir.join("src"), &dir.join("site")).unwrap();
    w.put(files).unwrap();
    let read = w.bytes_read_back();
    w.finish().unwrap();
    read
}

/// A folder with `src/` and [`site`] built into `site/` (nothing to compare on a
/// first build), and that output folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    assert_eq!(build(dir.path(), &site()), 0);
    let out = dir.path().join("site");
    (dir, out)
}

fn inode(path: &Path) -> (u64, i64) {
    let m = std::fs::metadata(path).unwrap();
    (m.ino(), m.mtime_nsec())
}

#[test]
fn the_manifest_lists_every_file_sorted_and_checks_itself() {
    let mut entries = vec![
        ("public/b".to_string(), Entry::of(b"bb")),
        ("public/a b".to_string(), Entry::of(b"a")),
        ("x\ny".to_string(), Entry::of(b"")),
    ];
    let text = manifest_text(&mut entries);
    let s = String::from_utf8(text.clone()).unwrap();
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 3, "{s}");
    assert!(lines[0].starts_with("charter-manifest 1 xxh3-128 "));
    assert_eq!(lines[1], format!("{:032x} 1 public/a b", xxh3_128(b"a")));
    assert!(lines[2].ends_with(" 2 public/b"));
    let parsed = parse_manifest(&text).unwrap();
    assert_eq!(parsed.len(), 2);
    assert_eq!(parsed["public/a b"], Entry::of(b"a"));
    // Any change to it, or a cut, and none of it counts.
    let mut edited = text.clone();
    let at = s.find(" 2 public").unwrap() + 1;
    edited[at] = b'3';
    assert!(parse_manifest(&edited).is_none());
    assert!(parse_manifest(&text[..text.len() - 3]).is_none());
    assert!(parse_manifest(b"garbage").is_none());
    assert!(parse_manifest(b"").is_none());
}

#[test]
fn an_unchanged_rebuild_reads_nothing_back_and_keeps_every_file() {
    let (dir, out) = built();
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(manifest.contains(" internal/index.html\n") && manifest.contains(&format!(" {MARKER}\n")));
    let before: Vec<(u64, i64)> = site().iter().map(|f| inode(&out.join(&f.path))).collect();
    assert_eq!(build(dir.path(), &site()), 0, "the manifest vouches for every file");
    let after: Vec<(u64, i64)> = site().iter().map(|f| inode(&out.join(&f.path))).collect();
    assert_eq!(before, after, "carried-over files are the same files, with their times");
    assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), manifest);
    // A changed page is written anew; the others are still carried over unread.
    let mut changed = site();
    changed[1] = file("public/standards/a/index.html", "<p>标准 A（修订）</p>");
    assert_eq!(build(dir.path(), &changed), 0);
    assert_eq!(std::fs::read_to_string(out.join("public/standards/a/index.html")).unwrap(), "<p>标准 A（修订）</p>");
    assert_ne!(inode(&out.join("public/standards/a/index.html")), after[1]);
    assert_eq!(inode(&out.join("public/index.html")), after[0]);
}

/// Builds `files` into `dir/site`; returns the system calls on the site's files.
fn calls_to_build(dir: &Path, files: &[OutputFile]) -> u64 {
    let w = Writer::create(&dir.join("src"), &dir.join("site")).unwrap();
    w.put(files).unwrap();
    let calls = w.calls.load(Ordering::Relaxed);
    w.finish().unwrap();
    calls
}

#[test]
fn each_file_costs_a_few_system_calls_and_each_folder_is_made_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    // Two pages in folders of their own, ten index files in one folder.
    let mut files = vec![file("public/a/index.html", "<p>甲</p>"), file("public/b/index.html", "<p>乙</p>")];
    files.extend((0..10).map(|n| file(&format!("public/search/{n}.gz"), &"x".repeat(n + 1))));
    // First build: 3 folders made, 13 files (the marker too) opened, written, closed.
    assert_eq!(calls_to_build(dir.path(), &files), 3 + 13 * 3);
    // Nothing changed: each file looked at and linked from the previous build.
    assert_eq!(calls_to_build(dir.path(), &files), 3 + 13 * 2);
    // One page changed: the manifest rules its old file out without a look at it.
    files[0] = file("public/a/index.html", "<p>丙</p>");
    assert_eq!(calls_to_build(dir.path(), &files), 3 + 12 * 2 + 3);
    assert_eq!(std::fs::read_to_string(dir.path().join("site/public/a/index.html")).unwrap(), "<p>丙</p>");
}

#[test]
fn a_damaged_or_missing_manifest_falls_back_to_comparing_bytes() {
    let (dir, out) = built();
    let before = inode(&out.join("public/index.html"));
    let all: u64 = site().iter().map(|f| f.bytes.len() as u64).sum::<u64>() + MARKER_TEXT.len() as u64;
    for damage in [Some("charter-manifest 1 xxh3-128 0\nnonsense\n"), None] {
        match damage {
            Some(text) => std::fs::write(out.join(MANIFEST), text).unwrap(),
            None => std::fs::remove_file(out.join(MANIFEST)).unwrap(),
        }
        assert_eq!(build(dir.path(), &site()), all, "every file compared by bytes");
        assert_eq!(inode(&out.join("public/index.html")), before, "and still carried over");
        for f in site() {
            assert_eq!(std::fs::read(out.join(&f.path)).unwrap(), f.bytes);
        }
    }
    // The manifest is whole again after the fallback.
    assert_eq!(build(dir.path(), &site()), 0);
}

#[test]
fn a_file_edited_in_the_output_between_builds_is_written_anew() {
    let (dir, out) = built();
    // The same size, an older modification time: only its status-change time tells.
    let page = out.join("public/index.html");
    let mtime = std::fs::metadata(&page).unwrap().modified().unwrap();
    let edited = "<p>手改</p>";
    assert_eq!(edited.len(), site()[0].bytes.len());
    std::fs::write(&page, edited).unwrap();
    std::fs::File::options().write(true).open(&page).unwrap().set_modified(mtime).unwrap();
    let read = build(dir.path(), &site());
    assert_eq!(read, edited.len() as u64, "only the edited file is read back");
    assert_eq!(std::fs::read(&page).unwrap(), site()[0].bytes, "no stale carry-over");
}
