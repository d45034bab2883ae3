//! Versioned public handbook end to end: `charter release` refusals, the newest release
//! at the root and every release in its folder, the version switcher, old-version
//! banners with canonical links and `noindex`, the changelog with every kind of
//! change, redlines, the Atom feed, and the working copy kept out of public output.

use crate::common::*;
use std::path::Path;

const TODAY: &str = "2026-06-15";

fn release(root: &Path, version: &str, date: &str, notes: &str) -> std::process::Output {
    charter(&["release", version, "--root", root.to_str().unwrap(), "--date", date, "--notes", notes])
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} lacks `{from}`");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

/// Two releases with one change of every kind between them, and an unreleased edit.
fn two_releases() -> tempfile::TempDir {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    std::fs::write(
        root.join("content/standards/legacy.md"),
        "---\ntitle: 旧版排班标准\naudience: public\nowner: front-desk\n---\n\n已不再使用的排班标准。\n",
    )
    .unwrap();
    let o = release(root, "1.0", "2025-01-01", "首次发布");
    assert!(o.status.success(), "{}", stderr(&o));
    // Between 1.0 and 2.0: a changed time limit, a changed target, an added standard,
    // a retired one, a removed one and a reworded paragraph (Chinese and English).
    edit(root, "data/params.yaml", "complaint_quality_hours: {value: 48,", "complaint_quality_hours: {value: 36,");
    edit(root, "data/kpis.yaml", "    - {from: 2026-01, value: 4.2}", "    - {from: 2026-01, value: 4.3}");
    std::fs::write(root.join("content/standards/online.md"), "---\ntitle: 线上服务标准\naudience: public\nowner: front-desk\n---\n\n在线客服在 {{ param(id=\"online_reply_minutes\") }}内回复。\n").unwrap();
    edit(root, "content/standards/complaints.md", "weight: 10\n", "weight: 10\nstatus: retired\n");
    std::fs::remove_file(root.join("content/standards/legacy.md")).unwrap();
    edit(
        root,
        "content/standards/time-limits.md",
        "标题里的参数也会生成锚点。",
        "标题里的参数同样会生成锚点。Reply within five minutes.",
    );
    let o = release(root, "2.0", "2026-01-01", "产品质量投诉时限缩短");
    assert!(o.status.success(), "{}", stderr(&o));
    // An unreleased edit in the working copy.
    edit(root, "content/standards/time-limits.md", "标题里的参数同样会生成锚点。", "未发布的工作稿改动。");
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

fn page(site: &Path, path: &str) -> String {
    read(&site.join("site").join(path).join("index.html"))
}

#[test]
fn release_refuses_existing_invalid_erroneous_and_older() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    assert!(release(root, "1.0", "2025-06-01", "").status.success());
    assert!(root.join("versions/1.0/content/standards/time-limits.md").exists());
    assert!(root.join("versions/1.0/data/params.yaml").exists());
    assert!(!root.join("versions/1.0/data/org.yaml").exists(), "measurements and org are not frozen");
    let listed = read(&root.join("versions/versions.yaml"));
    assert!(listed.contains("- version: \"1.0\"\n  date: 2025-06-01"), "{listed}");

    let again = release(root, "1.0", "2025-07-01", "");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("version `1.0` already exists"));
    for bad in ["../x", "next", "1..2", "版本"] {
        let o = release(root, bad, "2025-07-01", "");
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("invalid version name"), "{bad}: {}", stderr(&o));
    }
    let older = release(root, "0.9", "2025-05-31", "");
    assert_eq!(older.status.code(), Some(2));
    assert!(stderr(&older).contains("older than the newest release 1.0 (2025-06-01)"));
    std::fs::write(root.join("content/standards/broken.md"), "---\ntitle: 坏\nowner: nobody\n---\n").unwrap();
    let broken = release(root, "2.0", "2025-07-01", "");
    assert_eq!(broken.status.code(), Some(1));
    assert!(stderr(&broken).contains("unknown owner `nobody`") && stderr(&broken).contains("nothing was released"));
    assert!(!root.join("versions/2.0").exists());
    assert_eq!(read(&root.join("versions/versions.yaml")), listed, "a refused release changes nothing");
}

#[test]
fn newest_release_at_root_every_release_in_its_folder_and_working_copy_never_public() {
    let site = two_releases();
    let public = site.path().join("site/public");
    assert!(public.join("standards/online/index.html").exists());
    assert!(public.join("2.0/standards/online/index.html").exists());
    assert!(public.join("1.0/standards/legacy/index.html").exists());
    assert!(!public.join("standards/legacy").exists(), "removed standard at the root");
    assert!(!public.join("1.0/standards/online").exists());
    for (path, bytes) in tree(&public) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("未发布的工作稿改动"),
            "public/{path} shows the unreleased working copy"
        );
    }
    assert!(page(site.path(), "internal/standards/time-limits").contains("未发布的工作稿改动"));
    // Each release shows its own parameter values.
    assert!(page(site.path(), "public/1.0/standards/time-limits").contains("<td>48 小时</td>"));
    assert!(page(site.path(), "public/standards/time-limits").contains("<td>36 小时</td>"));
}

#[test]
fn switcher_leads_to_the_same_page_or_that_versions_home() {
    let site = two_releases();
    let limits = page(site.path(), "public/standards/time-limits");
    assert!(limits.contains("<li><a href=\"./\" aria-current=\"true\">2.0</a>"), "{limits}");
    assert!(limits.contains("<li><a href=\"../../1.0/standards/time-limits/\">1.0</a>"), "{limits}");
    let online = page(site.path(), "public/standards/online");
    assert!(online.contains("<li><a href=\"../../1.0/\">1.0</a>"), "absent in 1.0: its home");
    let old = page(site.path(), "public/1.0/standards/legacy");
    assert!(old.contains("<li><a href=\"../../../\">2.0</a>"), "absent in 2.0: the current home\n{old}");
    assert!(old.contains("<li><a href=\"./\" aria-current=\"true\">1.0</a>"));
}

#[test]
fn old_versions_carry_banner_canonical_noindex_and_superseded_date() {
    let site = two_releases();
    let old = page(site.path(), "public/1.0/standards/time-limits");
    assert!(old.contains("您正在查看旧版本 1.0，它已于 2026-01-01 被新版本取代"), "{old}");
    assert!(old.contains("<a href=\"../../../standards/time-limits/\">查看现行版本</a>"));
    assert!(old.contains("<link rel=\"canonical\" href=\"https://example.com/standards/time-limits/\">"));
    assert!(old.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(old.contains("<dt>被取代日期</dt><dd><time datetime=\"2026-01-01\">2026-01-01</time></dd>"), "{old}");
    let current = page(site.path(), "public/standards/time-limits");
    assert!(!current.contains("version-banner") && !current.contains("noindex"));
    assert!(current.contains("<link rel=\"canonical\" href=\"https://example.com/standards/time-limits/\">"));
    let copy = page(site.path(), "public/2.0/standards/time-limits");
    assert!(
        copy.contains("noindex") && !copy.contains("version-banner"),
        "the current release's folder copy points to the root"
    );
    let versions = page(site.path(), "public/versions");
    assert!(
        versions.contains("2026-01-01") && versions.contains("产品质量投诉时限缩短") && versions.contains("首次发布")
    );
}

#[test]
fn changelog_lists_every_kind_of_change_with_notes() {
    let site = two_releases();
    let log = page(site.path(), "public/changelog/2.0");
    let text = log.split("<article").nth(1).unwrap().to_string();
    for expected in [
        "产品质量投诉时限缩短",
        "<h3>新增标准</h3>",
        ">线上服务标准</a>",
        "<h3>修改的标准</h3>",
        ">服务时限标准</a> · <a href=\"time-limits/\">修订对照</a>",
        "<h3>废止的标准</h3>",
        ">投诉处理标准</a>",
        "<h3>删除的标准</h3>",
        "<a href=\"../../1.0/standards/legacy/\">旧版排班标准</a>",
        "产品质量类投诉：48 小时 → 36 小时",
        "客户满意度（自 2026-01 起）：≥ 4.2 分 → ≥ 4.3 分",
    ] {
        assert!(text.contains(expected), "changelog lacks `{expected}`:\n{text}");
    }
    let all = page(site.path(), "public/changelog");
    assert!(all.find("版本 2.0").unwrap() < all.find("版本 1.0").unwrap(), "newest first");
    // The public changelog never mentions internal pages or parameters only they show.
    assert!(!all.contains("内部质检规则") && !all.contains("抽检"));
}

#[test]
fn redlines_mark_chinese_by_character_and_english_by_word() {
    let site = two_releases();
    let red = page(site.path(), "public/changelog/2.0/time-limits");
    assert!(
        red.contains("标题里的参数<del>也</del><ins>同样</ins>会生成锚点。<ins>Reply within five minutes.</ins>"),
        "{red}"
    );
    // A parameter change shows although the markdown source did not change there, in
    // the table as readers read it.
    assert!(
        red.contains("<tr class=\"rl-changed\"><th scope=\"row\">产品质量类投诉</th><td><del>48</del><ins>36</ins> 小时</td><td>退货或换货</td></tr>"),
        "{red}"
    );
    // Code stays code, without its backticks; the short unchanged stretches stay open.
    assert!(
        red.contains("<p class=\"rl-block\">模板写法 <code>{{ param(id=&quot;online_reply_minutes&quot;) }}</code> 在代码中原样保留。</p>"),
        "{red}"
    );
    assert!(!red.contains('`') && !red.contains("<details"), "{red}");
    // The working copy's pending change, internally.
    let pending = page(site.path(), "internal/changes/time-limits");
    assert!(pending.contains("<del>标题里</del><ins>未发布</ins>的<del>参数同样会生成锚点</del><ins>工作稿改动</ins>。Reply within five minutes."), "{pending}");
    let banner = page(site.path(), "internal/standards/time-limits");
    assert!(
        banner.contains(
            "本页自最新发布版 2.0 以来有改动，尚未发布。 <a href=\"../../changes/time-limits/\">修订对照</a>"
        ),
        "{banner}"
    );
    assert!(
        !page(site.path(), "internal/standards/quality-check").contains("changed-banner"),
        "unchanged pages carry no banner"
    );
}

#[test]
fn atom_feed_lists_releases_newest_first() {
    let site = two_releases();
    let feed = read(&site.path().join("site/public/feed.xml"));
    let doc = roxmltree::Document::parse(&feed).expect("well-formed feed");
    let entries: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name("entry")).collect();
    assert_eq!(entries.len(), 2);
    let first_id = entries[0].children().find(|n| n.has_tag_name("id")).unwrap().text().unwrap();
    assert_eq!(first_id, "https://example.com/changelog/2.0/");
    assert!(feed.contains("<updated>2026-01-01T00:00:00Z</updated>"));
    assert!(feed.contains("产品质量类投诉：48 小时 → 36 小时"));
}

#[test]
fn without_releases_the_working_copy_is_public() {
    let site = site_with(&["valid/data"]);
    build_ok(site.path());
    assert!(site.path().join("site/public/standards/time-limits/index.html").exists());
    assert!(!site.path().join("site/public/changelog").exists());
    assert!(!page(site.path(), "public/standards/time-limits").contains("version-switcher"));
}

/// A parameter's history written once, ahead of time: each release shows the value in
/// force on its own date, and the changelog lists the change, though `params.yaml`
/// reads the same in both releases.
#[test]
fn dated_parameter_values_follow_each_releases_date() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    edit(
        root,
        "data/params.yaml",
        "complaint_quality_hours: {value: 48,",
        "complaint_quality_hours: {values: [{from: 2024-01, value: 48}, {from: 2026-01, value: 36}],",
    );
    assert!(release(root, "1.0", "2025-01-01", "首次发布").status.success());
    let o = release(root, "2.0", "2026-01-01", "时限按计划缩短");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&root.join("versions/1.0/data/params.yaml")), read(&root.join("versions/2.0/data/params.yaml")));
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", TODAY]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(page(root, "public/1.0/standards/time-limits").contains("<td>48 小时</td>"));
    assert!(page(root, "public/standards/time-limits").contains("<td>36 小时</td>"));
    assert!(page(root, "internal/standards/time-limits").contains("<td>36 小时</td>"));
    assert!(page(root, "public/changelog/2.0").contains("产品质量类投诉：48 小时 → 36 小时"));
    // Built as of a date in 2025, the working copy shows the value then in force.
    let o = charter(&["build", "--root", root.to_str().unwrap(), "--today", "2025-06-30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(page(root, "internal/standards/time-limits").contains("<td>48 小时</td>"));
}
