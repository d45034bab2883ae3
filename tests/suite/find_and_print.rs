//! Finding and printing, without a browser: a search index per site and per release
//! (the public ones free of anything internal), sitemap and robots rules, and the
//! printed handbook of each version. The browser suite (`tests/browser.rs`) drives
//! the same output in Chromium.

use crate::common::*;

/// Every file of the search bundle in `dir`, inflated, as text (the terms of the
/// binary shards read as they are stored, UTF-8 between length bytes).
fn bundle_text(dir: &std::path::Path) -> String {
    tree(dir).into_values().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).collect()
}

fn released_site() -> tempfile::TempDir {
    let site = site_with(&["valid/handbook", "valid/data"]);
    let root = site.path().to_str().unwrap();
    assert!(charter(&["release", "1.0", "--root", root, "--date", "2025-01-01"]).status.success());
    std::fs::write(
        site.path().join("content/standards/new-rule.md"),
        "---\ntitle: 新增标准二号\naudience: public\nowner: front-desk\n---\n\n发布后新增。\n",
    )
    .unwrap();
    assert!(charter(&["release", "2.0", "--root", root, "--date", "2026-01-01"]).status.success());
    let o = charter(&["build", "--root", root, "--today", "2026-06-15"]);
    assert!(o.status.success(), "{}", stderr(&o));
    site
}

#[test]
fn each_site_and_release_has_its_own_search_index_and_public_ones_hold_nothing_internal() {
    let site = released_site();
    let out = site.path().join("site");
    for dir in ["public/search", "public/1.0/search", "public/2.0/search", "internal/search"] {
        let meta: serde_json::Value = serde_json::from_str(&read(&out.join(dir).join("meta.json"))).expect(dir);
        assert!(meta["docs"].as_u64().unwrap() > 0, "{dir} indexes no page: {meta}");
    }
    for site in ["public", "internal"] {
        assert!(out.join(site).join("search.js").exists(), "{site} has no search script");
    }
    let internal = bundle_text(&out.join("internal/search"));
    assert!(internal.contains("内部考核细则") || internal.contains("内部"), "the internal index holds internal pages");
    for dir in ["public/search", "public/1.0/search", "public/2.0/search"] {
        let text = bundle_text(&out.join(dir));
        assert!(text.contains("服务等级标准"), "{dir} lacks public pages");
        for secret in ["内部考核细则", "内部升级规则", "值班主管甲", "内部质检规则", "草稿试点方案"]
        {
            assert!(!text.contains(secret), "{dir} indexes internal text `{secret}`");
        }
    }
    // Each release searches its own version: 1.0 predates the new standard.
    assert!(bundle_text(&out.join("public/2.0/search")).contains("新增标准二号"));
    assert!(!bundle_text(&out.join("public/1.0/search")).contains("新增标准二号"));
    // The root index is the current release's, without the release folders.
    let root = bundle_text(&out.join("public/search"));
    assert!(root.contains("[\"standards/new-rule/\",\"新增标准二号\""), "root pages are indexed by their root URL");
    assert!(!root.contains("[\"1.0/") && !root.contains("[\"2.0/"), "no release folder pages in the root index");
}

#[test]
fn sitemap_and_robots() {
    let site = released_site();
    let out = site.path().join("site");
    let sitemap = read(&out.join("public/sitemap.xml"));
    roxmltree::Document::parse(&sitemap).expect("well-formed sitemap");
    assert!(sitemap.contains("<loc>https://example.com/standards/new-rule/</loc>"));
    assert!(
        !sitemap.contains("<loc>https://example.com/1.0/") && !sitemap.contains("<loc>https://example.com/2.0/"),
        "only the current version"
    );
    assert!(!sitemap.contains("internal") && !sitemap.contains("值班"));
    assert_eq!(
        read(&out.join("public/robots.txt")),
        "User-agent: *\nAllow: /\nSitemap: https://example.com/sitemap.xml\n"
    );
    assert_eq!(read(&out.join("internal/robots.txt")), "User-agent: *\nDisallow: /\n");
    assert!(read(&out.join("internal/index.html")).contains("<meta name=\"robots\" content=\"noindex, nofollow\">"));
    assert!(read(&out.join("public/1.0/index.html")).contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[test]
fn printed_handbook_per_version_holds_every_standard_in_force_stamped() {
    let site = released_site();
    let out = site.path().join("site");
    let current = read(&out.join("public/print/index.html"));
    assert!(current.contains("版本 2.0</strong> · 发布日期 2026-01-01"), "{current}");
    assert!(current.contains("打印件为非受控文件，以网站现行版本为准。"));
    // Section order: pages with a weight first, by weight, then the others by title.
    let order: Vec<usize> = ["服务等级标准", "投诉处理标准", "排队时限标准", "服务时限标准", "新增标准二号"]
        .iter()
        .map(|t| {
            // Positions in the printed contents list.
            current.find(&format!(">{t}</a>")).unwrap_or_else(|| panic!("{t} missing"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "standards in section order: {order:?}");
    assert!(!current.contains("电话服务标准（旧）"), "retired standards are not in force");
    assert!(!current.contains("内部考核细则"), "internal standards are not printed for customers");
    // Links are absolute, so the printed target means something.
    assert!(
        current.contains("href=\"https://example.com/standards/complaints/#%E5%A4%84%E7%90%86%E6%97%B6%E9%99%90\"")
            || current.contains("href=\"https://example.com/standards/complaints/#处理时限\""),
        "{current}"
    );
    assert!(
        current.contains("break-before")
            || read(&out.join("public/style.css")).contains(".print-standard { break-before: page;")
    );
    let old = read(&out.join("public/1.0/print/index.html"));
    assert!(old.contains("版本 1.0</strong>") && !old.contains("新增标准二号"));
    let internal = read(&out.join("internal/print/index.html"));
    assert!(
        internal.contains("工作稿（未发布）")
            && internal.contains(">内部考核细则</a>")
            && internal.contains("值班主管甲")
    );
}
