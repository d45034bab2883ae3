//! Files beside pages and `static/`, and links of every form: a team's handbook
//! (`tests/fixtures/valid/files/`, English, written for GitHub) with images beside its
//! pages and in `static/`, an internal section with its own image, a PDF download, and
//! links as `.md` paths, site paths, `.html`, folder URLs, bare names, files and
//! GitHub-style anchors. Every local `href` and `src` of every page built must lead to
//! a file of the output (and its anchor to an id there); copied files keep their bytes;
//! nothing internal reaches `public/`, releases carry their files, and redlines and the
//! print edition show the images.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// The site's source folder of the fixture.
fn fixture() -> std::path::PathBuf {
    fixtures().join("valid/files")
}

/// Decodes `%XX` escapes and the entities an attribute may hold.
fn decode(s: &str) -> String {
    let s = s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'");
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The values of every `href` and `src` attribute in `html`.
fn local_refs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut from = 0;
        while let Some(i) = html[from..].find(attr) {
            let start = from + i + attr.len();
            let end = start + html[start..].find('"').unwrap();
            out.push(html[start..end].to_string());
            from = end;
        }
    }
    out
}

/// Resolves `href` as a browser would from the page at `page` (a path under `site`).
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let href = href.split('?').next().unwrap();
    let path = if let Some(abs) = href.strip_prefix('/') {
        parts.clear();
        abs
    } else {
        href
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(parts.pop().is_some(), "{href} from {page} climbs out of the site");
            }
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if path.is_empty() || path.ends_with('/') || path == "." {
        p = if p.is_empty() { "index.html".into() } else { format!("{p}/index.html") };
    }
    p
}

/// Every local `href` and `src` of every HTML page of the site at `site` leads to a
/// file of that site, and each anchor to an `id` in the page it names. Returns how
/// many were checked.
pub(crate) fn assert_local_links_resolve(site: &Path) -> usize {
    let files = tree(site);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for href in local_refs(&html) {
            if href.is_empty() || href.starts_with("//") || href.contains("://") || href.starts_with("mailto:") {
                continue;
            }
            let href = decode(&href);
            let (target_path, anchor) = match href.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (href.as_str(), None),
            };
            let target = if target_path.is_empty() { path.clone() } else { resolve(path, target_path) };
            let Some(target_bytes) = files.get(&target) else {
                panic!("{path}: `{href}` leads to {target}, which the site does not have");
            };
            if let (Some(a), true) = (anchor, target.ends_with(".html")) {
                let html = String::from_utf8_lossy(target_bytes);
                assert!(html.contains(&format!("id=\"{a}\"")), "{path}: `{href}`: {target} has no id `{a}`");
            }
            checked += 1;
        }
    }
    checked
}

type Files = BTreeMap<String, Vec<u8>>;

fn built(root: &Path) -> (Files, Files) {
    let site = root.join("site");
    (tree(&site.join("public")), tree(&site.join("internal")))
}

/// The fixture built: its public and internal files.
fn build_fixture() -> (Files, Files) {
    let site = copy_of(&fixture());
    let o = build_ok(site.path());
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
    built(site.path())
}

fn page(files: &Files, path: &str) -> String {
    String::from_utf8_lossy(files.get(path).unwrap_or_else(|| panic!("no {path}"))).to_string()
}

#[test]
fn every_local_link_and_image_of_the_handbook_leads_to_a_file_of_its_site() {
    let site = copy_of(&fixture());
    let root = site.path();
    let o = build_ok(root);
    assert!(!stderr(&o).contains("error"), "{}", stderr(&o));
    // Many links, images and theme references in each site; every one resolves.
    assert!(assert_local_links_resolve(&root.join("site/public")) > 100);
    assert!(assert_local_links_resolve(&root.join("site/internal")) > 100);
}

#[test]
fn links_of_every_form_are_rewritten_to_the_page_they_name() {
    let (public, _) = build_fixture();
    let refunds = page(&public, "standards/refunds/index.html");
    for expected in [
        // `#-launch` is GitHub's anchor of "🚀 Launch"; Charter's is `launch`.
        r##"href="#launch""##,
        // `faq.html` and `../faq/` name the same page.
        r#"href="../faq/">FAQ</a>"#,
        r#"href="../faq/">FAQ as a folder</a>"#,
        // A site path with an anchor, and a GitHub anchor on another page.
        r##"href="../faq/#opening-hours""##,
        r##"href="../faq/#launch">the FAQ's launch notes"##,
        // The image beside the page, one folder up once `refunds.md` is `refunds/`.
        r#"src="../img/counter.png" alt="The refund counter" title="Counter 3""#,
        r##"href="../forms/refund-form.pdf#page=1""##,
        // `../../static/logo.svg` as an editor sees it is the site's `logo.svg`.
        r#"src="../../logo.svg""#,
    ] {
        assert!(refunds.contains(expected), "refunds page lacks {expected}:\n{refunds}");
    }
    let faq = page(&public, "standards/faq/index.html");
    for expected in [
        r#"href="../forms/returns%20label.pdf">returns label</a>"#,
        r#"href="../refunds/">refunds</a>"#,
        r#"href="../../">handbook</a>"#,
        r##"href="../refunds/#qa-refunds""##,
    ] {
        assert!(faq.contains(expected), "faq page lacks {expected}");
    }
    let home = page(&public, "index.html");
    for expected in [r#"href="standards/faq/""#, r##"href="standards/refunds/#qa-refunds""##, r#"src="logo.svg""#] {
        assert!(home.contains(expected), "home page lacks {expected}");
    }
}

#[test]
fn files_are_copied_byte_for_byte_to_the_sites_that_may_show_them() {
    let (public, internal) = build_fixture();
    let source = |p: &str| std::fs::read(fixture().join(p)).unwrap();
    for (out, src) in [
        ("standards/img/counter.png", "content/standards/img/counter.png"),
        ("standards/forms/refund-form.pdf", "content/standards/forms/refund-form.pdf"),
        ("logo.svg", "static/logo.svg"),
    ] {
        assert_eq!(public.get(out), Some(&source(src)), "public/{out}");
        assert_eq!(internal.get(out), Some(&source(src)), "internal/{out}");
    }
    assert_eq!(internal.get("playbooks/escalation-chart.png"), Some(&source("content/playbooks/escalation-chart.png")));
    assert_eq!(internal.get("rota.pdf"), Some(&source("static/internal/rota.pdf")));
    // A folder of images is part of its section, not a section of its own.
    assert!(!public.contains_key("standards/img/index.html") && !internal.contains_key("standards/forms/index.html"));
}

#[test]
fn nothing_internal_reaches_the_public_site_not_even_in_search_or_print() {
    let (public, internal) = build_fixture();
    for (path, bytes) in &public {
        assert!(!path.contains("playbooks") && !path.contains("rota") && !path.contains("escalation"), "{path}");
        let text = String::from_utf8_lossy(bytes);
        for secret in ["zzsecret", "escalation-chart", "rota.pdf", "playbooks"] {
            assert!(!text.contains(secret), "public/{path} contains `{secret}`");
        }
    }
    // The check above can fail: the internal site shows them, its print edition too.
    let print = page(&internal, "print/index.html");
    assert!(print.contains(r#"src="../playbooks/escalation-chart.png""#), "{print}");
    assert!(internal.keys().any(|p| p.starts_with("search/")) && public.keys().any(|p| p.starts_with("search/")));
}

#[test]
fn the_print_edition_shows_images_from_where_it_is() {
    let (public, _) = build_fixture();
    let print = page(&public, "print/index.html");
    // Images load from the print page even though links print the base URL.
    assert!(print.contains(r#"src="../standards/img/counter.png""#), "{print}");
    assert!(print.contains(r#"src="../logo.svg""#), "{print}");
    assert!(print.contains(r#"href="https://handbook.northwind.example/standards/forms/refund-form.pdf#page=1""#));
}

fn release(root: &Path, version: &str, date: &str) {
    let o = charter(&["release", version, "--root", root.to_str().unwrap(), "--date", date, "--notes", "n"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn releases_carry_their_files_and_redlines_show_the_images() {
    let site = copy_of(&fixture());
    let root = site.path();
    release(root, "2026.1", "2026-01-15");
    // The release froze the files beside its pages and static/.
    assert!(root.join("versions/2026.1/content/standards/img/counter.png").is_file());
    assert!(root.join("versions/2026.1/static/logo.svg").is_file());
    // A new photo for the next release; the old one stays in the old release.
    let old_photo = std::fs::read(root.join("content/standards/img/counter.png")).unwrap();
    let new_photo = [old_photo.clone(), b"new".to_vec()].concat();
    std::fs::write(root.join("content/standards/img/counter-2026.png"), &new_photo).unwrap();
    let refunds = root.join("content/standards/refunds.md");
    let text = read(&refunds).replace("(img/counter.png \"Counter 3\")", "(img/counter-2026.png \"Counter 3\")");
    std::fs::write(&refunds, text).unwrap();
    release(root, "2026.2", "2026-02-15");
    // And an unreleased edit: the internal redline shows the working copy's image.
    let text = read(&refunds).replace("The refund counter", "The new refund counter");
    std::fs::write(&refunds, text).unwrap();
    build_ok(root);
    let (public, internal) = built(root);
    assert_eq!(public.get("2026.1/standards/img/counter.png"), Some(&old_photo));
    assert_eq!(public.get("2026.2/standards/img/counter-2026.png"), Some(&new_photo));
    assert_eq!(public.get("standards/img/counter-2026.png"), Some(&new_photo));
    assert!(public.contains_key("2026.1/logo.svg") && public.contains_key("logo.svg"));
    // What only the internal site may show stays out of every release folder.
    assert!(public.keys().all(|p| !p.contains("rota") && !p.contains("escalation")), "{:?}", public.keys());
    for (path, bytes) in &public {
        assert!(!String::from_utf8_lossy(bytes).contains("zzsecret"), "public/{path} holds internal text");
    }
    let old_page = page(&public, "2026.1/standards/refunds/index.html");
    assert!(old_page.contains(r#"src="../img/counter.png""#), "{old_page}");
    let redline = page(&public, "changelog/2026.2/refunds/index.html");
    assert!(
        redline.contains(r#"<del><img class="rl-image" src="../../../2026.1/standards/img/counter.png""#),
        "{redline}"
    );
    assert!(
        redline.contains(r#"<ins><img class="rl-image" src="../../../standards/img/counter-2026.png""#),
        "{redline}"
    );
    let changes = page(&internal, "changes/refunds/index.html");
    assert!(changes.contains(r#"<img class="rl-image" src="../../standards/img/counter-2026.png""#), "{changes}");
    // Every image and link of both sites, release folders and redlines included, resolves.
    assert_local_links_resolve(&root.join("site/public"));
    assert_local_links_resolve(&root.join("site/internal"));
}

#[test]
fn a_rebuild_picks_up_changed_and_added_files() {
    use charter::build::{self, BuildOptions, Cache, Mode};
    let site = copy_of(&fixture());
    let root = site.path();
    let mut opts = BuildOptions::new(root, Mode::Build);
    opts.today = Some(charter::base::date::Date::parse("2026-03-01").unwrap());
    let mut cache = Cache::long_running();
    let (_, first) = build::build_files(&opts, &mut cache).unwrap();
    let file = |files: &[_], path: &str| {
        let files: &[charter::base::files::OutputFile] = files;
        files.iter().find(|f| f.path == path).map(|f| f.bytes.clone())
    };
    assert!(file(&first, "public/standards/img/counter.png").is_some());
    std::fs::write(root.join("content/standards/img/counter.png"), b"changed").unwrap();
    std::fs::write(root.join("static/banner.svg"), b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
    let (_, second) = build::build_files(&opts, &mut cache).unwrap();
    assert_eq!(file(&second, "public/standards/img/counter.png").as_deref(), Some(&b"changed"[..]));
    assert_eq!(file(&second, "internal/standards/img/counter.png").as_deref(), Some(&b"changed"[..]));
    assert!(file(&second, "public/banner.svg").is_some());
    // serve's fast path leaves a changed file to the rebuild.
    let mut live = cache.take_live().expect("serve keeps what a patch needs");
    let changed = root.canonicalize().unwrap().join("content/standards/img/counter.png");
    match live.patch(&[changed]) {
        build::Patch::Rebuild(why) => assert!(why.contains("file beside the pages"), "{why}"),
        other => panic!("a changed image was patched: {other:?}"),
    }
}

#[test]
fn bad_file_names_and_files_sharing_an_address_are_errors_at_the_file() {
    let site = site_with(&["invalid-files/bad-names"]);
    let o = charter(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let file = fixtures().join("invalid-files/bad-names/expected.txt");
    let expected: Vec<String> = read(&file).lines().map(String::from).collect();
    let blessed = |lines: &[String]| std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    if let Err(e) = compare_or_bless("bad-names", &expected, &diagnostic_lines(&stderr(&o)), blessed) {
        panic!("{e}\n{}", stderr(&o));
    }
}

#[test]
fn a_static_file_where_the_build_writes_its_own_is_one_error_and_nothing_is_written() {
    let site = site_with(&[]);
    let root = site.path();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/style.css"), "body { color: red; }\n").unwrap();
    let o = charter(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        diagnostic_lines(&stderr(&o)),
        [
            "static/style.css: error: two files of the built site would be written at `internal/style.css`",
            "= help: rename the file: the build writes a file of its own there",
        ]
    );
    assert!(!root.join("site").exists());
}

#[test]
fn a_release_made_before_links_were_checked_keeps_building() {
    let site = copy_of(&fixture());
    let root = site.path();
    release(root, "2026.1", "2026-01-15");
    // As a release made by an older Charter could hold: links of forms it left alone.
    let frozen = root.join("versions/2026.1/content/standards/faq.md");
    let text = read(&frozen)
        + "\nOld links: [gone](/standards/gone/), [old photo](img/old.png), [up](../../../x.png), ![d](old.svg).\n";
    std::fs::write(&frozen, text).unwrap();
    // And files it left out in silence: an SVG beside the pages, a name with `%`.
    std::fs::write(root.join("versions/2026.1/content/standards/old.svg"), "<svg/>").unwrap();
    std::fs::write(root.join("versions/2026.1/content/standards/50%.png"), "x").unwrap();
    let o = build_ok(root);
    assert!(!stderr(&o).contains("broken"), "{}", stderr(&o));
    let (public, _) = built(root);
    let faq = page(&public, "2026.1/standards/faq/index.html");
    assert!(faq.contains(r#"href="/standards/gone/""#) && faq.contains(r#"href="img/old.png""#), "{faq}");
    assert!(public.keys().all(|p| !p.ends_with("old.svg") && !p.contains('%')), "{:?}", public.keys());
    // A link that would name an internal file publicly stops the build, even there.
    let text = read(&frozen) + "\n[chart](../playbooks/escalation-chart.png)\n";
    std::fs::write(&frozen, text).unwrap();
    let o = charter(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("versions/2026.1/content/standards/faq.md:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("which only the internal site publishes"), "{}", stderr(&o));
    // The same links in the working copy are errors.
    let working = root.join("content/standards/faq.md");
    std::fs::write(&working, read(&working) + "\n[gone](/standards/gone/)\n").unwrap();
    let o = charter(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("broken link: there is no page at `/standards/gone/`"), "{}", stderr(&o));
}
