//! A handbook in two languages (`tests/fixtures/valid/languages/` over the base
//! fixture): every page in every language, untranslated pages with a notice or left
//! out, language switchers, `hreflang` and every link resolving to a file (and its
//! anchor), stale translations, releases holding every language, the leak guard per
//! language, and the same bytes on every run.

use std::collections::BTreeMap;
use std::path::Path;

use charter::markdown::links::percent_decode;

use crate::common::*;

fn two_languages() -> tempfile::TempDir {
    site_with(&["valid/languages"])
}

/// Every `href`/`src` of every page under `folder` of the built `tree` that stays on the
/// site leads to a file of the tree, and an anchor to an element with that id (but in
/// redlines, whose old side may name a heading the page no longer has).
fn every_link_resolves(tree: &BTreeMap<String, Vec<u8>>, folder: &str) -> usize {
    let mut checked = 0;
    for (path, bytes) in tree.iter().filter(|(p, _)| p.starts_with(folder) && p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        let dir = Path::new(path).parent().unwrap();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let link = piece.split('"').next().unwrap();
                if link.contains("://") || link.starts_with("mailto:") || link.starts_with("data:") || link.is_empty() {
                    continue;
                }
                let (target, anchor) = link.split_once('#').unwrap_or((link, ""));
                let mut file = if target.is_empty() { path.clone() } else { normalise(&dir.join(target)) };
                if target.ends_with('/') || target == "." {
                    file = format!("{}/index.html", file.trim_end_matches('/'));
                }
                let Some(found) = tree.get(&file) else {
                    panic!("{path}: `{link}` leads to {file}, which is not built")
                };
                let redline = path.contains("changes/") || path.contains("changelog/");
                if !anchor.is_empty() && file.ends_with(".html") && !redline {
                    let id = percent_decode(anchor);
                    let text = String::from_utf8_lossy(found);
                    assert!(text.contains(&format!("id=\"{id}\"")), "{path}: `{link}`: {file} has no id `{id}`");
                }
                checked += 1;
            }
        }
    }
    checked
}

fn normalise(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c.as_os_str().to_str().unwrap() {
            "." => {}
            ".." => {
                parts.pop().expect("a link leaves the site");
            }
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}

/// Whether `html` links to `href` (as written, or percent-encoded).
fn links_to(html: &str, href: &str) -> bool {
    html.split("href=\"").skip(1).any(|p| percent_decode(p.split('"').next().unwrap()) == href)
}

fn page(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(tree.get(path).unwrap_or_else(|| panic!("{path} was not built")).clone()).unwrap()
}

#[test]
fn every_page_is_in_every_language_and_every_link_switcher_and_alternate_resolves() {
    let site = two_languages();
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    // The translation, in English, with its alternates on the public site's address.
    let en = page(&built, "public/en/standards/complaints/index.html");
    assert!(en.contains("<html lang=\"en\">") && en.contains("<h1>Complaint handling standard</h1>"), "{en}");
    assert!(!en.contains("language-banner"));
    for (lang, href) in [
        ("zh-CN", "https://example.com/standards/complaints/"),
        ("en", "https://example.com/en/standards/complaints/"),
        ("x-default", "https://example.com/standards/complaints/"),
    ] {
        assert!(en.contains(&format!("<link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\">")), "{lang}");
        let file = format!("public/{}index.html", href.trim_start_matches("https://example.com/"));
        assert!(built.contains_key(&file), "{href} is not built");
    }
    // Its switcher leads to the same page in Chinese, and back.
    assert!(en.contains("<a href=\"../../../standards/complaints/\" hreflang=\"zh-CN\" lang=\"zh-CN\">中文</a>"));
    let zh = page(&built, "public/standards/complaints/index.html");
    assert!(zh.contains("<a href=\"../../en/standards/complaints/\" hreflang=\"en\" lang=\"en\">English</a>"));
    assert!(zh.contains("<html lang=\"zh-CN\">") && zh.contains("hreflang=\"x-default\""));
    // A link written for the source's heading (`#处理时限`) lands on the translation's.
    let home = page(&built, "public/en/index.html");
    assert!(links_to(&home, "standards/complaints/#time-limits"), "{home}");
    // An untranslated page is there in English too, in Chinese, saying so; its
    // canonical address is the original's and it claims no alternates.
    let role = page(&built, "public/en/roles/front-desk/index.html");
    assert!(role.contains("This page has not been translated into English yet"));
    assert!(role.contains("<main id=\"main\" tabindex=\"-1\" lang=\"zh-CN\">"));
    assert!(role.contains("<link rel=\"canonical\" href=\"https://example.com/roles/front-desk/\">"));
    assert!(!role.contains("hreflang=\"x-default\""));
    // The translation links to it with the Chinese anchor its content has.
    assert!(links_to(&en, "../../roles/front-desk/#职责"), "{en}");
    // The internal site has both languages, internal pages included.
    assert!(page(&built, "internal/en/standards/internal-rules/index.html").contains("language-banner"));
    // Every link of both languages leads to a file, and every anchor to its heading.
    for folder in ["public/", "internal/"] {
        assert!(every_link_resolves(&built, folder) > 100, "{folder}");
    }
    // The sitemap lists both languages with their alternates.
    let sitemap = page(&built, "public/sitemap.xml");
    let line = sitemap.lines().find(|l| l.contains("<loc>https://example.com/en/standards/complaints/</loc>")).unwrap();
    assert!(line.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.com/standards/complaints/\"/>"
    ));
    let line = sitemap.lines().find(|l| l.contains("<loc>https://example.com/en/roles/front-desk/</loc>")).unwrap();
    assert!(!line.contains("xhtml:link"));
    assert!(!sitemap.contains("/en/print/"));
}

#[test]
fn each_language_has_its_own_search_print_and_feed_and_keeps_internal_pages_out_of_public() {
    let site = two_languages();
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    let out = site.path().join("site");
    // English search finds the English words, Chinese search the Chinese ones.
    let en = read_bundle(&out.join("public/en/search"));
    assert_eq!(ranked(&en, "complaint").first().map(String::as_str), Some("standards/complaints/"));
    let zh = read_bundle(&out.join("public/search"));
    assert!(ranked(&zh, "complaint").is_empty());
    assert!(built.contains_key("public/en/print/index.html") && built.contains_key("internal/en/print/index.html"));
    // The public site in either language never names the internal page.
    for (path, bytes) in built.iter().filter(|(p, _)| p.starts_with("public/")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("内部考核细则") && !text.contains("internal-rules"), "{path} names an internal page");
    }
    assert!(bundle_docs(&out.join("internal/en/search")).contains("内部考核细则"));
}

#[test]
fn omit_leaves_untranslated_pages_out_and_their_links_lead_to_the_original() {
    let site = two_languages();
    let config = site.path().join("charter.yaml");
    std::fs::write(&config, read(&config) + "fallback: omit\n").unwrap();
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    assert!(!built.contains_key("public/en/roles/front-desk/index.html"));
    assert!(!built.contains_key("internal/en/standards/internal-rules/index.html"));
    // The translation's link to the page left out reaches the page in Chinese.
    let en = page(&built, "public/en/standards/complaints/index.html");
    assert!(links_to(&en, "../../../roles/front-desk/#职责"), "{en}");
    // From the Chinese page, English switches to the English home page.
    let zh = page(&built, "public/roles/front-desk/index.html");
    assert!(zh.contains("<a href=\"../../en/\" hreflang=\"en\" lang=\"en\">English</a>"), "{zh}");
    for folder in ["public/", "internal/"] {
        every_link_resolves(&built, folder);
    }
}

#[test]
fn a_translation_older_than_its_source_says_so_and_fails_strict_until_marked() {
    let site = two_languages();
    let root = site.path().to_str().unwrap();
    let translation = "content/standards/complaints.en.md";
    let marked = charter(&["translate", "--root", root, "--mark", translation]);
    assert!(marked.status.success(), "{}", stderr(&marked));
    assert!(read(&site.path().join(translation)).contains("\ntranslates: "));
    let strict = charter(&["check", "--root", root, "--strict"]);
    assert!(strict.status.success(), "{}", stderr(&strict));
    // The source changes: the translation is now older than it.
    let source = site.path().join("content/standards/complaints.md");
    std::fs::write(&source, read(&source).replace("24 小时内处理", "12 小时内处理")).unwrap();
    let strict = charter(&["check", "--root", root, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let lines = diagnostic_lines(&stderr(&strict));
    assert!(
        lines[0].starts_with(
            "content/standards/complaints.en.md:3:13: error: `content/standards/complaints.en.md` is older than the page \
             it translates: `content/standards/complaints.md` has changed since"
        ),
        "{lines:?}"
    );
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    let en = page(&built, "internal/en/standards/complaints/index.html");
    assert!(en.contains("This translation is older than the page it translates"), "{en}");
    let governance = page(&built, "internal/en/governance/index.html");
    assert!(governance.contains("Older than the original") && governance.contains("Not translated"));
    let status = stdout(&charter(&["translate", "--root", root]));
    assert!(status.contains("en     older than its original  content/standards/complaints.en.md"), "{status}");
    // Brought up to date and marked again: current.
    charter(&["translate", "--root", root, "--mark", translation]);
    assert!(charter(&["check", "--root", root, "--strict"]).status.success());
}

#[test]
fn a_release_holds_every_language_and_a_later_translation_waits_for_the_next() {
    let site = two_languages();
    let root = site.path().to_str().unwrap();
    let released = charter(&["release", "2026.1", "--root", root, "--date", "2026-01-01"]);
    assert!(released.status.success(), "{}", stderr(&released));
    assert!(site.path().join("versions/2026.1/content/standards/complaints.en.md").is_file());
    // A translation written after the release: in the internal site now, in the
    // public one from the next release.
    let later = site.path().join("content/roles/front-desk.en.md");
    std::fs::write(&later, "---\ntitle: Front desk\n---\n\n## Duties\n\nWelcoming customers.\n").unwrap();
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    assert!(page(&built, "public/en/standards/complaints/index.html").contains("Complaint handling standard"));
    assert!(page(&built, "public/2026.1/en/standards/complaints/index.html").contains("Complaint handling standard"));
    assert!(page(&built, "public/en/roles/front-desk/index.html").contains("language-banner"));
    assert!(page(&built, "internal/en/roles/front-desk/index.html").contains("<h1>Front desk</h1>"));
    let changelog = page(&built, "public/en/changelog/index.html");
    assert!(changelog.contains("<html lang=\"en\">"));
    // The unreleased changes, in English: the working copy's name has spaces, its
    // heading's id none (an id holds no whitespace).
    let changes = page(&built, "internal/en/changes/index.html");
    assert!(changes.contains("<h2 id=\"release-Next-(working-copy)\">"), "{changes}");
    for folder in ["public/", "internal/"] {
        every_link_resolves(&built, folder);
    }
}

#[test]
fn two_languages_build_the_same_bytes_on_one_thread_and_on_many() {
    let site = two_languages();
    let root = site.path().to_str().unwrap();
    let one = tempfile::tempdir().unwrap();
    let many = tempfile::tempdir().unwrap();
    for (dir, threads) in [(&one, "1"), (&many, "4")] {
        let out = dir.path().join("site");
        let o =
            charter_env(&["build", "--root", root, "--out", out.to_str().unwrap()], &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (tree(&one.path().join("site")), tree(&many.path().join("site")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        if path.ends_with("nginx.conf") || path == ".charter-manifest" {
            continue; // they name the output folder
        }
        assert!(bytes == &b[path], "{path} differs");
    }
}

#[test]
fn a_translation_appearing_is_not_a_change_and_a_redline_compares_the_readers_words() {
    let site = two_languages();
    let root = site.path().to_str().unwrap();
    let release = |v: &str, date: &str| {
        let o = charter(&["release", v, "--root", root, "--date", date]);
        assert!(o.status.success(), "{}", stderr(&o));
    };
    // 2026.1: the standard in Chinese only; 2026.2: its translation added, nothing
    // else changed; 2026.3: the standard and its translation both changed.
    let translation = site.path().join("content/standards/complaints.en.md");
    let english = read(&translation);
    std::fs::remove_file(&translation).unwrap();
    release("2026.1", "2026-01-01");
    std::fs::write(&translation, &english).unwrap();
    release("2026.2", "2026-02-01");
    let source = site.path().join("content/standards/complaints.md");
    std::fs::write(&source, read(&source).replace("24 小时内处理", "12 小时内处理")).unwrap();
    std::fs::write(&translation, english.replace("within a day", "within twelve hours")).unwrap();
    release("2026.3", "2026-03-01");
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    let text = |path: &str| {
        let html = page(&built, path);
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        main.to_string()
    };
    let (zh, en) = (text("public/changelog/2026.2/index.html"), text("public/en/changelog/2026.2/index.html"));
    assert!(!zh.contains("complaints/") && !en.contains("complaints/"), "2026.2 changed no standard:\n{en}");
    // 2026.3 changed it in both languages: the English changelog names it in English
    // and links its English redline, which compares the English words.
    let en = text("public/en/changelog/2026.3/index.html");
    assert!(en.contains("Complaint handling standard") && links_to(&en, "complaints/"), "{en}");
    let redline = text("public/en/changelog/2026.3/complaints/index.html");
    assert!(redline.contains("<ins>twelve</ins>") && redline.contains("<del>day</del>"), "{redline}");
    assert!(!redline.contains("小时内处理"), "{redline}");
}

#[test]
fn with_omit_a_release_folder_links_its_own_original_of_a_page_left_out() {
    let site = two_languages();
    let root = site.path().to_str().unwrap();
    let config = site.path().join("charter.yaml");
    std::fs::write(&config, read(&config) + "fallback: omit\n").unwrap();
    let released = charter(&["release", "2026.1", "--root", root, "--date", "2026-01-01"]);
    assert!(released.status.success(), "{}", stderr(&released));
    let o = charter(&["release", "2026.2", "--root", root, "--date", "2026-02-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    build_ok(site.path());
    let built = tree(&site.path().join("site"));
    // The older release's English copy leads to that release's page in Chinese.
    let en = page(&built, "public/2026.1/en/standards/complaints/index.html");
    assert!(links_to(&en, "../../../roles/front-desk/#职责"), "{en}");
    assert!(built.contains_key("public/2026.1/roles/front-desk/index.html"));
    assert!(!built.contains_key("public/2026.1/en/roles/front-desk/index.html"));
    every_link_resolves(&built, "public/");
}
