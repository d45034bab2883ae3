//! Faults during a build: the process killed at points spread over a whole build, a
//! write error (a file-size limit standing in for a full disk), and a build that died
//! between moving the previous site aside and moving the new one in. In every case the
//! previous site stays whole (or the new one is complete), the next build succeeds,
//! and no temporary folder is left behind after it.

use crate::common::*;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// The base fixture plus `n` public standards, so that a build takes long enough to
/// be interrupted in every step.
fn larger_site(n: usize) -> tempfile::TempDir {
    let site = site_with(&[]);
    for i in 0..n {
        let body = format!(
            "---\ntitle: 标准 {i}\naudience: public\nowner: front-desk\n---\n\n## 要求\n\n{}\n\n| 项目 | 时限 |\n|---|---|\n| 回复 | 第 {i} 项 |\n",
            "顾客来访时，前台人员应起立微笑问候，记录姓名、联系方式和问题。".repeat(20)
        );
        std::fs::write(site.path().join(format!("content/standards/gen-{i:03}.md")), body).unwrap();
    }
    site
}

fn build_cmd(root: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_charter"));
    cmd.args(["build", "--root", root.to_str().unwrap(), "--quiet"]).stdout(Stdio::null()).stderr(Stdio::piped());
    cmd
}

fn leftovers(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("charter-tmp") || n.contains("charter-old"))
        .collect()
}

#[test]
fn a_build_killed_at_any_point_leaves_a_whole_site_and_the_next_build_succeeds() {
    let site = larger_site(150);
    let root = site.path();
    build_ok(root);
    // A rebuild, timed: the kind of build the kills below interrupt.
    let t = Instant::now();
    build_ok(root);
    let full = t.elapsed();
    let previous = tree(&root.join("site"));

    // The next build has something to change on every page that lists standards.
    std::fs::write(
        root.join("content/standards/gen-000.md"),
        "---\ntitle: 改过的标准\naudience: public\nowner: front-desk\n---\n新的正文\n",
    )
    .unwrap();
    let mut completed = 0;
    let kills = 16;
    for i in 0..kills {
        // Points spread evenly over a whole build, from just after start to just past its end.
        let delay = full.mul_f64((i as f64 + 0.5) / kills as f64 * 1.1);
        let mut child = build_cmd(root).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        completed += finished as usize;
        let now = tree(&root.join("site"));
        let is_previous = now == previous;
        let is_new = now
            .get("public/standards/gen-000/index.html")
            .is_some_and(|b| String::from_utf8_lossy(b).contains("新的正文"))
            && now.len() == previous.len();
        assert!(
            is_previous || is_new,
            "after a kill at {delay:?} the output is neither the previous site nor the new one"
        );
    }
    // Most kills landed mid-build (the output above was the previous site or the whole
    // new one each time); the next build cleans up and succeeds.
    assert!(completed <= kills - 4, "{completed} of {kills} builds finished before their kill");
    build_ok(root);
    assert!(read(&root.join("site/public/standards/gen-000/index.html")).contains("新的正文"));
    assert!(leftovers(root).is_empty(), "temporary folders left behind: {:?}", leftovers(root));
}

#[test]
fn a_write_error_keeps_the_previous_site_and_the_next_build_succeeds() {
    let site = larger_site(20);
    let root = site.path();
    build_ok(root);
    let previous = tree(&root.join("site"));
    std::fs::write(
        root.join("content/standards/gen-000.md"),
        "---\ntitle: 改过的标准\naudience: public\nowner: front-desk\n---\n新的正文\n",
    )
    .unwrap();

    // Files may not grow past 4 KiB: the first larger page fails to write with EFBIG, as
    // a full disk fails with ENOSPC.
    let mut cmd = build_cmd(root);
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: 4096, rlim_max: 4096 };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write") && err.contains("File too large"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(previous == tree(&root.join("site")), "the previous site changed after a failed write");
    assert!(leftovers(root).is_empty(), "temporary folders left behind: {:?}", leftovers(root));

    build_ok(root);
    assert!(read(&root.join("site/public/standards/gen-000/index.html")).contains("新的正文"));
    assert!(leftovers(root).is_empty());
}

#[test]
fn a_build_that_died_between_the_two_renames_gets_its_previous_site_back() {
    let site = site_with(&[]);
    let root = site.path();
    build_ok(root);
    let previous = tree(&root.join("site"));
    // What a build killed between "move the previous site aside" and "move the new one
    // in" leaves where the atomic exchange is not available: no output, the previous
    // site aside, a complete or partial new one beside it.
    std::fs::rename(root.join("site"), root.join(".site.charter-old-4242")).unwrap();
    std::fs::create_dir_all(root.join(".site.charter-tmp-4242/public")).unwrap();
    std::fs::write(root.join(".site.charter-tmp-4242/.charter-output"), "").unwrap();

    // A build that then fails on content still hands the previous site back.
    std::fs::write(root.join("content/standards/complaints.md"), "---\ntitle: [broken\n---\n").unwrap();
    let o = charter(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(previous == tree(&root.join("site")), "the previous site was not restored");
    assert!(leftovers(root).is_empty(), "temporary folders left behind: {:?}", leftovers(root));
}

#[test]
fn a_removal_cut_short_is_finished_by_the_next_build() {
    let site = site_with(&[]);
    let root = site.path();
    build_ok(root);
    // A previous site half removed: its marker is removed last, so it is still there.
    let half = root.join(".site.charter-old-777");
    std::fs::create_dir_all(half.join("public/standards")).unwrap();
    std::fs::write(half.join(".charter-output"), "").unwrap();
    std::fs::write(half.join("public/standards/x.html"), "x").unwrap();
    build_ok(root);
    assert!(leftovers(root).is_empty(), "temporary folders left behind: {:?}", leftovers(root));
}
