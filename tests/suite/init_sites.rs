//! `charter init --language en|zh-CN`: a starter site in each language that builds
//! cleanly under `--strict`, says its language, and keeps the build output out of git.

use std::process::Command;

use crate::common::*;

#[test]
fn init_writes_a_starter_site_in_each_language_that_builds_strictly_and_ignores_its_output() {
    for (language, args, home_title, nav) in [
        ("zh-CN", &[][..], "客户服务手册", "服务标准"),
        ("zh-CN", &["--language", "zh-CN"][..], "客户服务手册", "服务标准"),
        ("en", &["--language", "en"][..], "Customer Service Handbook", "Service standards"),
    ] {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("handbook");
        // A folder holding only a fresh repository is fine to initialise.
        let g = Command::new("git").args(["init", "-q"]).arg(&dir).output().unwrap();
        assert!(g.status.success(), "{}", stderr(&g));
        let mut init = vec!["init", dir.to_str().unwrap()];
        init.extend(args);
        let o = charter(&init);
        assert!(o.status.success(), "{language}: {}", stderr(&o));
        assert!(stdout(&o).contains("(8 files)"), "{}", stdout(&o));
        assert_eq!(
            read(&dir.join(".gitignore")),
            "# Built by `charter build` (the default output folder); rebuild, do not commit.\n/site/\n/.site.charter-*/\n"
        );
        assert!(read(&dir.join("charter.yaml")).contains(&format!("language: {language}\n")));

        let b = charter(&["build", "--root", dir.to_str().unwrap(), "--strict"]);
        assert!(b.status.success(), "{language}: {}", stderr(&b));
        assert!(stderr(&b).is_empty(), "{language}: the starter site has warnings: {}", stderr(&b));
        assert!(stdout(&b).starts_with("built 6 public and 8 internal pages"), "{}", stdout(&b));
        // A rebuild keeps the site before as the spare, which git ignores too.
        let again = charter(&["build", "--root", dir.to_str().unwrap(), "--quiet"]);
        assert!(again.status.success(), "{language}: {}", stderr(&again));
        assert!(dir.join(".site.charter-spare").is_dir());
        let g = Command::new("git").arg("-C").arg(&dir).args(["status", "--porcelain", "--ignored"]).output().unwrap();
        let ignored: Vec<&str> =
            std::str::from_utf8(&g.stdout).unwrap().lines().filter(|l| l.starts_with("!!")).collect();
        assert_eq!(ignored, ["!! .site.charter-spare/", "!! site/"], "{language}");
        for audience in ["public", "internal"] {
            let home = read(&dir.join(format!("site/{audience}/index.html")));
            assert!(home.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{language}\">")), "{audience}");
            assert!(home.contains(&format!("<title>{home_title}</title>")), "{audience}: {home}");
            assert!(home.contains(&format!(">{nav}</a>")), "{audience}");
        }
        assert!(!dir.join("site/public/standards/complaint-workflow").exists(), "the internal page stays internal");
        // Git ignores the whole output, and nothing of the sources.
        let ignored = Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(["status", "--porcelain", "--untracked-files=all"])
            .output()
            .unwrap();
        let status = stdout(&ignored);
        assert!(!status.contains("site/"), "{status}");
        assert_eq!(status.lines().count(), 8, "every source is there to commit: {status}");
    }
}

#[test]
fn init_refuses_an_unknown_language_and_a_folder_with_files() {
    let parent = tempfile::tempdir().unwrap();
    let o = charter(&["init", parent.path().join("x").to_str().unwrap(), "--language", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("possible values: zh-CN, en"), "{}", stderr(&o));
    std::fs::write(parent.path().join("notes.txt"), "mine").unwrap();
    let o = charter(&["init", parent.path().to_str().unwrap(), "--language", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not empty"), "{}", stderr(&o));
    assert_eq!(read(&parent.path().join("notes.txt")), "mine");
}
