//! The edit loop's fast path (`charter serve`): an edited paragraph is re-rendered on
//! its own, byte for byte as a whole build renders it, in every site that shows it;
//! edits that could change other pages are refused with the reason, so serve rebuilds
//! everything instead; an editor's temporary files are ignored.

use crate::common::*;
use charter::build::{build_files, BuildOptions, Cache, Live, Mode, Patch};
use std::path::{Path, PathBuf};

const TODAY: &str = "2026-06-15";

fn options(root: &Path) -> BuildOptions {
    let mut opts = BuildOptions::new(root, Mode::Build);
    opts.today = Some(charter::base::date::Date::parse(TODAY).unwrap());
    opts
}

/// What a long-running process keeps after a good build of `root`.
fn live(root: &Path) -> Live {
    let mut cache = Cache::long_running();
    build_files(&options(root), &mut cache).expect("the site builds");
    cache.take_live().expect("a good build leaves what patches need")
}

/// Every file of a one-shot whole build of `root`, by path.
fn whole_build(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let (_, files) = build_files(&options(root), &mut Cache::default()).expect("the site builds");
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn edit(root: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let path = root.canonicalize().unwrap().join(file);
    let text = read(&path);
    assert!(text.contains(from), "{file} lacks `{from}`");
    std::fs::write(&path, text.replace(from, to)).unwrap();
    path
}

/// Patches `changed` and checks each re-rendered page against a whole build; returns
/// the paths re-rendered.
fn patched_as_whole_build(live: &mut Live, root: &Path, changed: &[PathBuf]) -> Vec<String> {
    let files = match live.patch(changed) {
        Patch::Pages { files, .. } => files,
        Patch::Rebuild(why) => panic!("refused: {why}"),
    };
    let whole = whole_build(root);
    for f in &files {
        let expected = whole.get(&f.path).unwrap_or_else(|| panic!("{} is not in a whole build", f.path));
        assert!(*expected == f.bytes, "{} differs from a whole build:\n{}", f.path, String::from_utf8_lossy(&f.bytes));
    }
    files.into_iter().map(|f| f.path).collect()
}

fn refused(live: &mut Live, changed: &[PathBuf]) -> String {
    match live.patch(changed) {
        Patch::Rebuild(why) => why,
        Patch::Pages { files, .. } => {
            panic!("patched: {:?}", files.iter().map(|f| &f.path).collect::<Vec<_>>())
        }
    }
}

#[test]
fn an_edited_paragraph_is_re_rendered_in_both_sites_exactly_as_a_whole_build_renders_it() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    let mut live = live(root);
    let page = edit(root, "content/standards/time-limits.md", "标题里的参数也会生成锚点。", "保存后立即可见。");
    let paths = patched_as_whole_build(&mut live, root, std::slice::from_ref(&page));
    assert_eq!(paths, ["internal/standards/time-limits/index.html", "public/standards/time-limits/index.html"]);
    // An internal page is re-rendered in the internal site only; a second edit of the
    // same page patches on top of the first.
    let internal = edit(root, "content/standards/quality-check.md", "每日抽检", "每个工作日抽检");
    let again = edit(root, "content/standards/time-limits.md", "保存后立即可见。", "再改一次。");
    let paths = patched_as_whole_build(&mut live, root, &[internal, again]);
    assert_eq!(
        paths,
        [
            "internal/standards/quality-check/index.html",
            "internal/standards/time-limits/index.html",
            "public/standards/time-limits/index.html"
        ]
    );
}

#[test]
fn with_a_release_the_changed_since_banner_follows_the_edit() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    let o = charter(&["release", "1.0", "--root", root.to_str().unwrap(), "--date", "2026-01-01", "--notes", "首发"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut live = live(root);
    // The first unreleased change adds the "pending changes" page to every page's
    // navigation: only a whole rebuild can do that.
    let page = edit(root, "content/standards/time-limits.md", "标题里的参数也会生成锚点。", "工作稿改动。");
    assert!(refused(&mut live, std::slice::from_ref(&page)).contains("unreleased changes"));
    let mut live = self::live(root);
    let other = edit(root, "content/standards/quality-check.md", "每日抽检", "每个工作日抽检");
    let paths = patched_as_whole_build(&mut live, root, &[other]);
    assert_eq!(paths, ["internal/standards/quality-check/index.html"], "the public site is the release");
    let whole = whole_build(root);
    let html = String::from_utf8_lossy(&whole["internal/standards/quality-check/index.html"]).to_string();
    assert!(html.contains("changes/quality-check/"), "the patched page carries its redline link");
}

#[test]
fn edits_that_could_change_other_pages_are_refused_with_the_reason() {
    let site = site_with(&["valid/data"]);
    let root = site.path();
    let canonical = root.canonicalize().unwrap();
    let file = "content/standards/time-limits.md";
    let original = read(&root.join(file));
    let cases: [(&str, &str, &str); 7] = [
        ("title: 服务时限标准", "title: 服务时限", "front matter"),
        ("## 考核", "## 考核办法", "anchors"),
        ("标题里的参数也会生成锚点。", "见[投诉](complaints.md)。", "links to other pages"),
        // A link to nothing leads to no other page: it is refused for its error.
        ("标题里的参数也会生成锚点。", "见[缺失](missing.md)。", "errors"),
        ("标题里的参数也会生成锚点。", "![图](img/new.png)", "errors"),
        ("标题里的参数也会生成锚点。", "{{ param(id=\"sampling_share\") }}", "other data"),
        ("标题里的参数也会生成锚点。", "{{ param(id=\"no_such\") }}", "errors"),
    ];
    for (from, to, why) in cases {
        let mut live = live(root);
        let path = edit(root, file, from, to);
        let reason = refused(&mut live, std::slice::from_ref(&path));
        assert!(reason.contains(why), "`{to}`: {reason}");
        std::fs::write(&path, &original).unwrap();
    }
    let mut live = live(root);
    std::fs::write(root.join("content/standards/new.md"), "---\ntitle: 新\n---\n正文\n").unwrap();
    assert!(refused(&mut live, &[canonical.join("content/standards/new.md")]).contains("new file"));
    std::fs::remove_file(root.join("content/standards/new.md")).unwrap();
    std::fs::remove_file(root.join(file)).unwrap();
    assert!(refused(&mut live, &[canonical.join(file)]).contains("removed"));
    std::fs::write(root.join(file), &original).unwrap();
    assert!(refused(&mut live, &[canonical.join("data/params.yaml")]).contains("not a page"));
}

#[test]
fn an_editors_temporary_files_and_folders_change_nothing() {
    let site = site_with(&["valid/data"]);
    let root = site.path().canonicalize().unwrap();
    let mut live = live(&root);
    let gone = root.join("content/standards/sed4Xq2b");
    let hidden = root.join("content/standards/.time-limits.md.swp");
    std::fs::write(&hidden, "swap").unwrap();
    let folder = root.join("content/standards");
    match live.patch(&[gone, hidden, folder]) {
        Patch::Pages { files, warnings } => assert!(files.is_empty() && warnings.is_empty()),
        Patch::Rebuild(why) => panic!("refused: {why}"),
    }
}
