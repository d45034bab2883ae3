//! Paths a hostile or careless site can contain: file, folder and page-id names that
//! would escape or break the output (`..`, `%2e%2e`, backslashes, control characters,
//! Windows device names), symbolic links that leave the site folder, and `--out`
//! spellings of the site root. Each is refused with a diagnostic naming the file and
//! nothing is read from outside the site or written outside the output.

use crate::common::*;
use std::path::Path;

fn check(root: &Path) -> std::process::Output {
    charter(&["check", "--root", root.to_str().unwrap()])
}

/// Asserts that `err` holds every line of `expected`; `what` names the run.
fn assert_reports(err: &str, what: &str, expected: &[&str]) {
    for line in expected {
        assert!(err.contains(line), "{what}: missing\n  {line}\nin\n{err}");
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn file_and_folder_names_that_cannot_be_site_folders_are_refused_by_name() {
    let site = site_with(&[]);
    let root = site.path();
    let page = "---\ntitle: 页面\n---\n正文\n";
    for name in ["CON.md", "nul.md", "%2e%2e.md", "back\\slash.md", "trailing..md", "what?.md", "tab\tname.md"] {
        write(root, &format!("content/standards/{name}"), page);
    }
    write(root, "content/standards/rlo\u{202E}fdp.md", page);
    write(root, "content/LPT1/_index.md", "---\ntitle: 打印机\n---\n");
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"bad\xff.md");
        std::fs::write(root.join("content/standards").join(name), page).unwrap();
    }
    let o = check(root);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_reports(&err, "", &[
        "content/standards/CON.md: error: the file name `CON` cannot name a folder of the site: `CON`, a reserved device name on Windows",
        "content/standards/nul.md: error: the file name `nul`",
        "content/standards/%2e%2e.md: error: the file name `%2e%2e` cannot name a folder of the site: `%`: which URLs read as an escape (`%2e%2e` is `..`)",
        "content/standards/back\\slash.md: error: the file name `back\\slash` cannot name a folder of the site: `\\`: a path separator",
        "content/standards/trailing..md: error: the file name `trailing.` cannot name a folder of the site: a name ending in a dot",
        "content/standards/what?.md: error: the file name `what?` cannot name a folder of the site: `?`: a character that ends the path of a URL",
        "content/standards/tab\tname.md: error: the file name `tab\tname` cannot name a folder of the site: a control character (U+0009)",
        // A right-to-left override turns the name around where it is shown: the message shows it as what it is.
        "content/standards/rlo‹U+202E›fdp.md: error: the file name `rlo‹U+202E›fdp` cannot name a folder of the site: a direction-changing character U+202E RIGHT-TO-LEFT OVERRIDE",
        "content/LPT1/_index.md: error: the folder name `LPT1` cannot name a folder of the site",
        "content/standards/bad\u{FFFD}.md: error: the file name is not valid UTF-8",
    ]);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn page_ids_that_would_escape_are_refused_at_their_position() {
    let site = site_with(&[]);
    let root = site.path();
    write(root, "content/standards/a.md", "---\ntitle: 甲\nid: ../../etc\n---\n");
    write(root, "content/standards/b.md", "---\ntitle: 乙\nid: \"%2e%2e\"\n---\n");
    write(root, "content/standards/c.md", "---\ntitle: 丙\nid: aux\n---\n");
    write(root, "content/standards/d.md", "---\ntitle: 丁\nid: ..\n---\n");
    write(root, "content/standards/e.md", "---\ntitle: 戊\nid: front\u{200B}desk\n---\n");
    let err = stderr(&check(root));
    assert_reports(&err, "", &[
        "content/standards/a.md:3:5: error: page id `../../etc` must be one word",
        "content/standards/b.md:3:5: error: page id `%2e%2e` must be one word",
        "content/standards/c.md:3:5: error: page id `aux` cannot name a folder of the site: `aux`, a reserved device name on Windows",
        "content/standards/d.md:3:5: error: page id `..` must be one word",
        "content/standards/e.md:3:10: error: page id `front‹U+200B›desk` contains an invisible character U+200B ZERO WIDTH SPACE at column 10; ids may not contain invisible or direction-changing characters",
    ]);
}

#[test]
fn symbolic_links_out_of_the_site_are_refused_before_anything_is_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "password: hunter2-SECRET\n").unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: SECRET-TITLE\n---\nSECRET-BODY\n").unwrap();
    let site = site_with(&[]);
    let root = site.path();
    std::fs::create_dir_all(root.join("data")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), root.join("data/params.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path(), root.join("templates")).unwrap();
    std::os::unix::fs::symlink("loop", root.join("content/loop")).unwrap();
    std::os::unix::fs::symlink("/", root.join("content/everything")).unwrap();

    for cmd in ["check", "build"] {
        let o = charter(&[cmd, "--root", root.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{cmd}: {err}");
        assert_reports(
            &err,
            cmd,
            &[
                "data/params.yaml: error: symbolic link to `",
                "templates: error: symbolic link to `",
                "leaves the site folder; Charter reads only files inside the site",
                "content/loop: error: symbolic link to `loop` cannot be resolved",
                "content/everything: error: symbolic link to `/` leaves the site folder",
            ],
        );
        assert!(
            !err.contains("SECRET") && !stdout(&o).contains("SECRET"),
            "{cmd} read a file outside the site:\n{err}"
        );
        assert!(!root.join("site").exists(), "{cmd} wrote output");
    }
}

#[test]
fn symbolic_links_that_stay_inside_the_site_are_fine() {
    let site = site_with(&[]);
    let root = site.path();
    std::fs::create_dir_all(root.join("shared")).unwrap();
    std::fs::rename(root.join("charter.yaml"), root.join("shared/charter.yaml")).unwrap();
    std::os::unix::fs::symlink("shared/charter.yaml", root.join("charter.yaml")).unwrap();
    std::os::unix::fs::symlink("../standards/complaints.md", root.join("content/roles/alias.md")).unwrap();
    let o = check(root);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn every_spelling_of_the_site_root_is_refused_as_output() {
    let site = site_with(&[]);
    let root = site.path();
    let alias = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root, alias.path().join("root-alias")).unwrap();
    let spellings = [
        root.join("content/.."),
        root.join("not-there/.."),
        root.join("content/../content/../."),
        alias.path().join("root-alias"),
        alias.path().join("root-alias/data/.."),
        Path::new("/").to_path_buf(),
    ];
    for out in spellings {
        let o = charter(&["build", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{}: {err}", out.display());
        assert!(err.contains("is (or contains) the site root"), "{}: {err}", out.display());
    }
    // The sources are all still there.
    assert!(root.join("content/_index.md").exists() && root.join("charter.yaml").exists());
}
