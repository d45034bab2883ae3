//! The bench's Zola export (`examples/common/zola.rs`, behind `bench --zola`): the
//! same pages with Zola's front matter, so a Zola build compares like with like.

#[path = "../../examples/common/zola.rs"]
mod zola;

fn read(root: &std::path::Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_zola_export_keeps_each_page_and_moves_charters_keys_into_extra() {
    let dir = tempfile::tempdir().unwrap();
    let (src, out) = (dir.path().join("src"), dir.path().join("zola"));
    let files = [
        ("content/_index.md", "---\ntitle: 首页\naudience: public\n---\n\n站点。\n"),
        ("content/standards/_index.md", "---\ntitle: 服务标准\naudience: public\n---\n"),
        (
            "content/standards/s1.md",
            "---\ntitle: 标准 \"1\"\naudience: public\nowner: role-1\nweight: 1\n---\n\n## 第1节\n\n时限 {{ param(id=\"reply_minutes\") }}。\n",
        ),
        ("content/roles/_index.md", "---\ntitle: 角色\naudience: public\n---\n"),
        ("content/roles/role-1.md", "---\ntitle: 角色 1\naudience: public\nduties: [接待, 记录]\n---\n\n## 职责\n"),
    ];
    for (rel, text) in files {
        std::fs::create_dir_all(src.join(rel).parent().unwrap()).unwrap();
        std::fs::write(src.join(rel), text).unwrap();
    }
    zola::export(&src, &out, zola::Layouts::Bare);
    assert_eq!(
        read(&out, "content/standards/s1.md"),
        "+++\ntitle = \"标准 \\\"1\\\"\"\nweight = 1\n[extra]\naudience = \"public\"\nowner = \"role-1\"\n+++\n\n## 第1节\n\n时限 {{ param(id=\"reply_minutes\") }}。\n"
    );
    assert_eq!(
        read(&out, "content/roles/role-1.md"),
        "+++\ntitle = \"角色 1\"\n[extra]\naudience = \"public\"\nduties = [\"接待\", \"记录\"]\n+++\n\n## 职责\n"
    );
    // Sections whose pages have weights follow them; the others go by title.
    assert!(read(&out, "content/standards/_index.md").starts_with("+++\nsort_by = \"weight\"\ntitle = \"服务标准\"\n"));
    assert!(read(&out, "content/roles/_index.md").starts_with("+++\nsort_by = \"title\"\n"));
    // The shortcode the standards use has a template, and each layout set its pages.
    assert!(read(&out, "templates/shortcodes/param.html").contains("config.extra.params[id]"));
    for t in ["page.html", "section.html", "index.html"] {
        assert!(out.join("templates").join(t).is_file(), "{t}");
    }
    zola::export(&src, &out, zola::Layouts::Equal);
    assert!(read(&out, "templates/page.html").contains("page.toc"));
    assert!(read(&out, "templates/base.html").contains("get_section(path=\"_index.md\""));
}
