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
    build_counted(dir, files).0
}

/// Builds `files` into `dir/site`; returns the bytes read back from the previous site
/// and the files written or hard-linked.
fn build_counted(dir: &Path, files: &[OutputFile]) -> (u64, u64) {
    let w = Writer::create(&dir.join("src"), &dir.join("site")).unwrap();
    w.put(files).unwrap();
    let counts = (w.bytes_read_back(), w.files_made());
    w.finish().unwrap();
    counts
}

/// Every file under `dir`, relative, with its bytes (symbolic links as `->target`).
fn files_in(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string();
            let bytes = match e.file_type().is_symlink() {
                true => format!("->{}", std::fs::read_link(e.path()).unwrap().display()).into_bytes(),
                false => std::fs::read(e.path()).unwrap(),
            };
            (rel, bytes)
        })
        .collect()
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

#[test]
fn the_site_before_is_kept_as_the_spare_and_an_unchanged_build_then_makes_no_file() {
    let (dir, out) = built();
    let spare = dir.path().join(".site.charter-spare");
    assert!(!spare.exists(), "a first build has no site before it");
    // The second build links every file and keeps the first site as the spare.
    let (_, made) = build_counted(dir.path(), &site());
    assert_eq!(made, site().len() as u64 + 1, "every page and the marker linked");
    assert!(spare.join(MARKER).is_file());
    // The third finds every file already in place in the spare: nothing created,
    // linked or removed, and the site is the same files with their times.
    let before: Vec<(u64, i64)> = site().iter().map(|f| inode(&out.join(&f.path))).collect();
    assert_eq!(build_counted(dir.path(), &site()), (0, 0));
    let after: Vec<(u64, i64)> = site().iter().map(|f| inode(&out.join(&f.path))).collect();
    assert_eq!(before, after);
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names.len(), 3, "only src, site and the spare: {names:?}");
}

#[test]
fn a_page_changed_over_a_spare_never_writes_into_the_live_site() {
    let (dir, out) = built();
    build(dir.path(), &site());
    // The spare's copy of every page is now the live site's file itself (a hard link).
    let live_page = out.join("public/standards/a/index.html");
    let old_inode = inode(&live_page);
    let mut changed = site();
    changed[1] = file("public/standards/a/index.html", "<p>标准 A（修订）</p>");
    let (_, made) = build_counted(dir.path(), &changed);
    assert_eq!(made, 1, "only the changed page is written");
    assert_eq!(std::fs::read_to_string(&live_page).unwrap(), "<p>标准 A（修订）</p>");
    assert_ne!(inode(&live_page), old_inode);
    // The site before (now the spare) still holds the page as it was.
    let spare_page = dir.path().join(".site.charter-spare/public/standards/a/index.html");
    assert_eq!(std::fs::read_to_string(spare_page).unwrap(), "<p>标准 A</p>");
}

#[test]
fn whatever_the_spare_holds_the_new_site_is_exactly_its_files() {
    let (dir, out) = built();
    build(dir.path(), &site());
    let spare = dir.path().join(".site.charter-spare");
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("keep.txt"), "mine").unwrap();
    // A link out of the spare where a folder of the site goes, a file where another
    // folder goes, a page the new site no longer has, an empty folder, an edited page.
    std::fs::remove_dir_all(spare.join("public/standards")).unwrap();
    std::os::unix::fs::symlink(&outside, spare.join("public/standards")).unwrap();
    std::fs::remove_dir_all(spare.join("internal")).unwrap();
    std::fs::write(spare.join("internal"), "a file where a folder goes").unwrap();
    std::fs::write(spare.join("public/gone.html"), "old").unwrap();
    std::fs::create_dir_all(spare.join("public/empty/deeper")).unwrap();
    std::fs::remove_file(spare.join("public/index.html")).unwrap();
    std::fs::write(spare.join("public/index.html"), "<p>改过</p>").unwrap();
    build(dir.path(), &site());
    let mut expected: std::collections::BTreeMap<String, Vec<u8>> =
        site().into_iter().map(|f| (f.path, f.bytes)).collect();
    expected.insert(MARKER.to_string(), MARKER_TEXT.as_bytes().to_vec());
    let mut got = files_in(&out);
    got.remove(MANIFEST);
    assert_eq!(got, expected);
    assert!(!out.join("public/empty").exists());
    assert_eq!(files_in(&outside).len(), 1, "nothing written through the link");
    assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "mine");
}
