//! Valid fixture sites built end to end with the `charter` binary, asserting on the
//! produced HTML: the two audiences, page relations, links and anchors, and output
//! that can be trusted (byte-identical rebuilds, failed builds keep the old site,
//! removed pages disappear).

use crate::common::*;
use std::path::Path;

fn handbook() -> tempfile::TempDir {
    let site = site_with(&["valid/handbook"]);
    build_ok(site.path());
    site
}

fn page(site: &Path, audience: &str, url: &str) -> String {
    read(&site.join("site").join(audience).join(url).join("index.html"))
}

#[test]
fn public_site_holds_only_public_published_pages() {
    let site = handbook();
    let public = tree(&site.path().join("site/public"));
    let pages: Vec<&str> = public.keys().filter(|k| k.ends_with("index.html")).map(String::as_str).collect();
    assert_eq!(
        pages,
        [
            "index.html",
            "print/index.html",
            "roles/front-desk/index.html",
            "roles/index.html",
            // The search results page (not counted as a page in summaries).
            "search/index.html",
            "standards/complaints/index.html",
            "standards/index.html",
            "standards/old-phone/index.html",
            "standards/queue/index.html",
            "standards/service-levels/index.html",
        ]
    );
    let internal = tree(&site.path().join("site/internal"));
    for p in
        ["standards/internal-rules/index.html", "standards/secret-escalation/index.html", "roles/supervisor/index.html"]
    {
        assert!(internal.contains_key(p), "internal site lacks {p}");
    }
    assert!(!internal.contains_key("standards/pilot/index.html"), "a draft was published");
    assert!(public.contains_key("404.html") && public.contains_key("style.css"));
}

/// Titles, ids, paths and text of internal and draft pages appear nowhere in public/.
#[test]
fn no_internal_text_reaches_public_output() {
    let site = handbook();
    let public = tree(&site.path().join("site/public"));
    let secrets = [
        "内部考核细则",
        "internal-rules",
        "按月考核，内部资料",
        "内部升级规则",
        "secret-escalation",
        "内部升级秘密条款",
        "值班主管甲",
        "supervisor",
        "主管职责说明",
        "草稿试点方案",
        "草稿机密文本",
        "pilot",
    ];
    for (path, bytes) in &public {
        let text = String::from_utf8_lossy(bytes);
        for s in secrets {
            assert!(!text.contains(s), "public/{path} contains internal text `{s}`");
        }
    }
}

#[test]
fn internal_site_labels_internal_pages_and_marks_retired_ones() {
    let site = handbook();
    let rules = page(site.path(), "internal", "standards/internal-rules");
    assert!(rules.contains("badge-internal") && rules.contains("内部资料：仅供员工阅读"), "{rules}");
    assert!(rules.contains("noindex"));
    let index = page(site.path(), "internal", "standards");
    assert!(index.contains("内部考核细则</a> <span class=\"badge badge-internal\">内部</span>"), "{index}");
    let old = page(site.path(), "public", "standards/old-phone");
    assert!(old.contains("notice-retired") && old.contains("本标准已废止"), "{old}");
    assert!(old.contains("status-retired\">已废止"));
    let public_complaints = page(site.path(), "public", "standards/complaints");
    assert!(!public_complaints.contains("badge-internal"));
    assert!(!public_complaints.contains("noindex"));
}

#[test]
fn links_are_rewritten_to_output_urls_with_chinese_anchors() {
    let site = handbook();
    let levels = page(site.path(), "public", "standards/service-levels");
    // `complaints.md#处理时限` → the complaints page's URL and anchor, written as UTF-8
    // (an IRI: 12 bytes, not the 36 of `%E5%A4%84…`), as the heading's own id is.
    assert!(levels.contains("href=\"../complaints/#处理时限\""), "{levels}");
    assert!(levels.contains("href=\"#说明-1\""), "{levels}");
    assert!(!levels.contains("%E"), "no percent-encoded Chinese left: {levels}");
    let complaints = page(site.path(), "public", "standards/complaints");
    assert!(complaints.contains("<h2 id=\"处理时限\">处理时限</h2>"), "{complaints}");
}

#[test]
fn headings_get_unique_anchors_and_a_table_of_contents() {
    let site = handbook();
    let levels = page(site.path(), "public", "standards/service-levels");
    assert!(levels.contains("<h3 id=\"说明\">说明</h3>") && levels.contains("<h3 id=\"说明-1\">说明</h3>"), "{levels}");
    assert!(levels.contains("<h2 id=\"service-levels-english\">"), "{levels}");
    assert!(levels.contains("class=\"toc\""));
    assert!(levels.contains("<a href=\"#service-levels-english\">Service Levels (English)</a>"));
    // Tables, task lists, strikethrough and footnotes.
    assert!(levels.contains("<td>个性化服务</td>"));
    assert!(levels.contains("type=\"checkbox\""));
    assert!(levels.contains("<del>旧等级</del>"));
    assert!(levels.contains("以会员系统记录为准"));
}

#[test]
fn standards_show_owner_dates_and_status() {
    let site = handbook();
    let levels = page(site.path(), "public", "standards/service-levels");
    assert!(levels.contains("<a href=\"../../roles/front-desk/\">前台接待部</a>"), "{levels}");
    assert!(levels.contains("<time datetime=\"2025-03-01\">2025-03-01</time>"));
    assert!(levels.contains("<time datetime=\"2027-03-01\">2027-03-01</time>"));
    assert!(levels.contains("status-active\">现行"));
    // A public standard owned by an internal role shows no owner in public…
    let queue = page(site.path(), "public", "standards/queue");
    assert!(!queue.contains("负责部门/角色"), "{queue}");
    // …and the owner, linked, in the internal site.
    let queue_internal = page(site.path(), "internal", "standards/queue");
    assert!(queue_internal.contains("<a href=\"../../roles/supervisor/\">值班主管甲</a>"));
}

#[test]
fn role_pages_list_owned_standards_and_reporting_roles_per_audience() {
    let site = handbook();
    let public = page(site.path(), "public", "roles/front-desk");
    assert!(public.contains("投诉处理标准") && public.contains("服务等级标准"));
    assert!(!public.contains("内部考核细则"), "public role page lists an internal standard");
    assert!(!public.contains("值班主管甲"), "public role page lists an internal role");
    assert!(public.contains("<li>接待顾客</li>"), "duties missing");
    let internal = page(site.path(), "internal", "roles/front-desk");
    assert!(internal.contains("内部考核细则"));
    assert!(internal.contains("<a href=\"../supervisor/\">值班主管甲</a>"), "{internal}");
    let supervisor = page(site.path(), "internal", "roles/supervisor");
    assert!(supervisor.contains("<a href=\"../front-desk/\">前台接待部</a>"), "reports_to missing");
    assert!(supervisor.contains("内部升级规则") && supervisor.contains("排队时限标准"));
}

#[test]
fn section_index_orders_by_weight_then_title_with_breadcrumbs_and_prev_next() {
    let site = handbook();
    let index = page(site.path(), "public", "standards");
    let order: Vec<usize> = ["服务等级标准", "投诉处理标准", "排队时限标准", "电话服务标准（旧）"]
        .iter()
        .map(|t| index.find(&format!(">{t}</a>")).unwrap_or_else(|| panic!("{t} not listed")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "wrong order: {order:?}");
    let complaints = page(site.path(), "public", "standards/complaints");
    assert!(
        complaints.contains("<li><a href=\"../../\">首页</a></li>\n<li><a href=\"../\">服务标准</a></li>"),
        "{complaints}"
    );
    // weight 5 (服务等级标准) precedes complaints (weight 10, title 投诉… < 排队…).
    assert!(complaints.contains("rel=\"prev\" href=\"../service-levels/\""), "{complaints}");
    assert!(complaints.contains("rel=\"next\" href=\"../queue/\""));
}

#[test]
fn theme_templates_can_be_overridden_by_file_name() {
    let site = site_with(&["valid/handbook"]);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">自定义：{{ page.title }}</p>{% endblock content %}",
    )
    .unwrap();
    build_ok(site.path());
    let levels = page(site.path(), "public", "standards/service-levels");
    assert!(levels.contains("<p class=\"custom\">自定义：服务等级标准</p>"));
    // Untouched templates still come from the built-in theme.
    assert!(page(site.path(), "public", "standards").contains("本栏目内容"));
}

#[test]
fn english_ui_strings_when_language_is_en() {
    let site = site_with(&["valid/handbook"]);
    std::fs::write(site.path().join("charter.yaml"), "title: Handbook\nlanguage: en\n").unwrap();
    build_ok(site.path());
    let html = page(site.path(), "internal", "standards/internal-rules");
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Skip to content") && html.contains("Internal: for employees only"));
    assert!(!html.contains("跳到正文"));
}

#[test]
fn rebuilds_are_byte_identical_whatever_the_thread_count_or_directory_order() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for (dir, reverse) in [(&a, false), (&b, true)] {
        copy_tree_ordered(&fixtures().join("base"), dir.path(), reverse);
        copy_tree_ordered(&fixtures().join("valid/handbook"), dir.path(), reverse);
    }
    // The nginx configuration names the output folder (its roots point into it): it
    // is compared with that path written as `SITE`.
    let run = |dir: &Path, threads: &str| {
        let o = charter_env(&["build", "--root", dir.to_str().unwrap()], &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = dir.join("site").canonicalize().unwrap();
        let mut files = tree(&out);
        for (path, bytes) in files.iter_mut().filter(|(p, _)| p.ends_with("nginx.conf")) {
            let text = String::from_utf8(bytes.clone()).unwrap();
            assert!(text.contains(&format!("root \"{}/", out.display())), "{path}:\n{text}");
            *bytes = text.replace(out.to_str().unwrap(), "SITE").into_bytes();
        }
        // The build's manifest lists each file's hash, those of the nginx files too: it
        // is compared without them (and without its checksum line).
        let manifest = files.get_mut(".charter-manifest").expect("a manifest beside the sites");
        let text = String::from_utf8(manifest.clone()).unwrap();
        *manifest =
            text.lines().skip(1).filter(|l| !l.ends_with("nginx.conf")).collect::<Vec<_>>().join("\n").into_bytes();
        files
    };
    let one = run(a.path(), "1");
    let many = run(b.path(), "8");
    assert_eq!(one.keys().collect::<Vec<_>>(), many.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(bytes == &many[path], "{path} differs between builds");
    }
    let again = run(a.path(), "3");
    assert!(one == again, "rebuild of the same folder differs");
}

#[test]
fn a_failed_build_keeps_the_previous_output_byte_for_byte() {
    let site = handbook();
    let before = tree(&site.path().join("site"));
    std::fs::write(site.path().join("content/standards/complaints.md"), "---\ntitle: [broken\n---\n").unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nothing was written"));
    assert!(before == tree(&site.path().join("site")), "output changed after a failed build");
    assert_no_temporary_folders(site.path());
}

/// No temporary or previous-site folder of a build is left beside the output.
fn assert_no_temporary_folders(root: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("charter-tmp") || n.contains("charter-old"))
        .collect();
    assert!(leftovers.is_empty(), "temporary folders left behind: {leftovers:?}");
}

#[test]
fn a_template_failing_on_one_page_keeps_the_previous_output_though_others_were_written() {
    // Pages are written as they render; a page failing after others were written must
    // still leave the previous site as it was, and no half-written folder behind.
    let site = handbook();
    let before = tree(&site.path().join("site"));
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/page.html"),
        "{% extends \"base.html\" %}{% block content %}{% if page.title == \"排队时限标准\" %}{{ no_such_value.x }}{% endif %}<p>{{ page.title }}</p>{% endblock content %}",
    )
    .unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("templates/page.html:1:"), "{}", stderr(&o));
    assert!(before == tree(&site.path().join("site")), "output changed after a failed build");
    assert_no_temporary_folders(site.path());
}

#[test]
fn a_removed_page_disappears_from_the_output() {
    let site = handbook();
    assert!(site.path().join("site/public/standards/queue/index.html").exists());
    std::fs::remove_file(site.path().join("content/standards/queue.md")).unwrap();
    build_ok(site.path());
    assert!(!site.path().join("site/public/standards/queue").exists());
    assert!(!site.path().join("site/internal/standards/queue").exists());
    assert!(!page(site.path(), "public", "standards").contains("排队时限标准"));
}

#[test]
fn check_validates_and_writes_nothing() {
    let site = site_with(&["valid/handbook"]);
    let o = charter(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("checked 9 public and 13 internal pages"), "{}", stdout(&o));
    assert!(!site.path().join("site").exists());
}

#[test]
fn build_prints_a_one_line_summary_and_verbose_step_timings() {
    let site = site_with(&["valid/handbook"]);
    let out = site.path().join("elsewhere");
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--out", out.to_str().unwrap(), "--verbose"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(line.starts_with("built 9 public and 13 internal pages into "), "{line}");
    assert!(line.trim_end().ends_with(" ms"), "{line}");
    assert_eq!(line.lines().count(), 1);
    for step in [
        "load content",
        "validate pages",
        "check links",
        "render markdown",
        "render pages",
        "search indexes",
        "swap the new site in",
    ] {
        assert!(stderr(&o).contains(step), "verbose output lacks step `{step}`");
    }
    assert!(out.join("public/index.html").exists() && out.join("internal/index.html").exists());
}

#[test]
fn output_folders_charter_did_not_create_are_never_replaced() {
    let site = site_with(&[]);
    let foreign = site.path().join("precious");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("thesis.txt"), "irreplaceable").unwrap();
    let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--out", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("was not created by Charter"));
    assert_eq!(read(&foreign.join("thesis.txt")), "irreplaceable");

    for bad in [site.path().to_path_buf(), site.path().parent().unwrap().to_path_buf()] {
        let o = charter(&["build", "--root", site.path().to_str().unwrap(), "--out", bad.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("is (or contains) the site root"), "{}", stderr(&o));
    }
    assert!(site.path().join("content/_index.md").exists());
}

#[test]
fn usage_and_io_errors_exit_with_2() {
    assert_eq!(charter(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(charter(&["frobnicate"]).status.code(), Some(2));
    let empty = tempfile::tempdir().unwrap();
    let o = charter(&["check", "--root", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "a folder without charter.yaml has content errors");
    assert!(stderr(&o).contains("charter.yaml: error: cannot read charter.yaml"), "{}", stderr(&o));
    let help = stdout(&charter(&["build", "--help"]));
    assert!(help.contains("Output folder") && help.contains("Site root"), "{help}");
}

#[test]
fn init_scaffolds_a_site_that_builds_without_warnings_and_refuses_non_empty_folders() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("new-site");
    let o = charter(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b = charter(&["build", "--root", dir.to_str().unwrap()]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(stderr(&b).is_empty(), "scaffold has warnings: {}", stderr(&b));
    assert!(stdout(&b).starts_with("built 6 public and 8 internal pages"), "{}", stdout(&b));
    assert!(dir.join("site/public/standards/complaint-handling/index.html").exists());
    assert!(!dir.join("site/public/standards/complaint-workflow").exists());
    assert!(dir.join("site/internal/standards/complaint-workflow/index.html").exists());

    let again = charter(&["init", dir.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"));
}

/// Every file's modification time under `dir`.
fn mtimes(dir: &Path) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_rebuild_with_nothing_changed_rewrites_no_file_and_an_edit_rewrites_only_what_changed() {
    let site = handbook();
    let out = site.path().join("site");
    let before = mtimes(&out);
    let bytes = tree(&out);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_ok(site.path());
    let after = mtimes(&out);
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let touched: Vec<&String> = before.iter().filter(|(k, t)| after[*k] != **t).map(|(k, _)| k).collect();
    assert!(touched.is_empty(), "an unchanged rebuild rewrote {touched:?}");
    assert!(bytes == tree(&out), "content changed");
    // One edit: that page (and what lists or prints it) is rewritten, the rest keeps its time.
    std::fs::write(
        site.path().join("content/standards/queue.md"),
        read(&site.path().join("content/standards/queue.md")).replace("十分钟", "十二分钟"),
    )
    .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_ok(site.path());
    let edited = mtimes(&out);
    assert_ne!(edited["public/standards/queue/index.html"], after["public/standards/queue/index.html"]);
    assert_eq!(edited["public/standards/complaints/index.html"], after["public/standards/complaints/index.html"]);
    assert_eq!(edited["public/style.css"], after["public/style.css"]);
}

/// Every file's inode under `dir`.
fn inodes(dir: &Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string(), e.metadata().unwrap().ino()))
        .collect()
}

#[test]
fn a_page_edited_in_the_output_or_a_damaged_manifest_never_survives_a_rebuild() {
    let site = handbook();
    let out = site.path().join("site");
    // The manifest sits beside the marker, outside the folders the servers are given.
    let manifest = read(&out.join(".charter-manifest"));
    assert!(manifest.starts_with("charter-manifest 1 xxh3-128 "));
    assert!(manifest.contains(" public/standards/complaints/index.html\n"));
    for conf in ["hosting/public/nginx.conf", "hosting/internal/nginx.conf"] {
        let text = read(&out.join(conf));
        let root = text.split("root \"").nth(1).unwrap().split('"').next().unwrap();
        assert!(root.ends_with("/public") || root.ends_with("/internal"), "{conf} serves {root}");
    }
    let bytes = tree(&out);
    let before = inodes(&out);
    // A page edited by hand (its time put back) is written anew, the others are kept.
    let edited = out.join("public/standards/complaints/index.html");
    let mtime = std::fs::metadata(&edited).unwrap().modified().unwrap();
    std::fs::write(&edited, read(&edited).replace("投诉", "抱怨")).unwrap();
    std::fs::File::options().write(true).open(&edited).unwrap().set_modified(mtime).unwrap();
    build_ok(site.path());
    assert!(bytes == tree(&out), "the edit survived the rebuild");
    let after = inodes(&out);
    let rewritten: Vec<&String> = before.keys().filter(|k| after[*k] != before[*k]).collect();
    assert_eq!(rewritten, ["public/standards/complaints/index.html"]);
    // A damaged manifest: the rebuild compares bytes, the output is the same and the
    // unchanged files are still the same files.
    std::fs::write(out.join(".charter-manifest"), &manifest[..manifest.len() / 2]).unwrap();
    build_ok(site.path());
    assert!(bytes == tree(&out), "a damaged manifest changed the output");
    let now = inodes(&out);
    let rewritten: Vec<&String> = after.keys().filter(|k| now[*k] != after[*k]).collect();
    assert_eq!(rewritten, [".charter-manifest"], "only the manifest is written anew");
}
