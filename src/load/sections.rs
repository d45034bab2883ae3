//! Sections as the content model sees them: the keys only a section's `_index.md`
//! may set (`pages:` order, `print:` opt-out), the audience of a section Charter
//! generates for a folder without `_index.md`, and the order of the pages and
//! sub-sections inside a section.
//!
//! Pure functions over loaded pages; no I/O. Whether a `pages:` entry names a real page
//! is checked in `check` (a reference between pages); here an entry only matches or not.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use crate::base::diagnostics::Pos;
use crate::formats::yaml::Spanned;
use crate::load::content::{self, parent_dir, Audience, Page, PageKind, Status};

/// Front-matter keys that only a section's `_index.md` reads.
pub(crate) const INDEX_KEYS: &[&str] = &["pages", "print"];

/// What a section's `_index.md` says about the section itself (defaults for pages and
/// generated sections).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionKeys {
    /// `pages: [a, b]`: the pages (file stem or id) and sub-sections (folder name) to
    /// list first, in this order, as mdBook's SUMMARY does.
    pub(crate) pages: Vec<Spanned<String>>,
    /// `print: false` leaves the section, and the sections inside it, out of the print
    /// edition.
    pub(crate) print: bool,
    /// Where `audience:` (and `status:`) are written, for the section-audience error.
    pub(crate) audience_pos: Option<Pos>,
    pub(crate) status_pos: Option<Pos>,
}

impl Default for SectionKeys {
    fn default() -> Self {
        SectionKeys { pages: Vec::new(), print: true, audience_pos: None, status_pos: None }
    }
}

/// A section Charter generates (a folder without `_index.md`) is published to every
/// audience one of the pages or sections inside it, at any depth, is published to:
/// the lowest tier among them (public when one of them is public), `internal` when
/// none is published. So a public page needs no `_index.md` above it, and a folder
/// holding only internal (or only managers') pages never shows its name in a site
/// below theirs.
pub(crate) fn settle_generated(pages: &mut [Page]) {
    let widest = widest_inside(pages);
    for p in pages.iter_mut().filter(|p| p.generated) {
        p.audience = widest.get(&p.section).copied().unwrap_or(Audience::INTERNAL);
    }
}

pub(crate) fn generated_index(folder: &str, audience: Audience) -> Page {
    let rel =
        if folder.is_empty() { content::INDEX_FILE.to_string() } else { format!("{folder}/{}", content::INDEX_FILE) };
    let title = folder.rsplit('/').next().unwrap_or(folder).to_string();
    let (kind, url) = index_kind_url(folder);
    Page {
        source: format!("{}/{rel}", content::CONTENT_DIR),
        rel,
        section: folder.to_string(),
        kind,
        generated: true,
        id: Spanned { value: section_id(folder), pos: Pos::FILE },
        explicit_id: false,
        title,
        audience,
        owner: None,
        effective: None,
        review_by: None,
        review_by_pos: Pos::FILE,
        status: Status::Active,
        weight: None,
        summary: None,
        tags: Vec::new(),
        reports_to: None,
        duties: Vec::new(),
        kpis: Vec::new(),
        section_keys: SectionKeys::default(),
        body: String::new(),
        body_offset: 0,
        body_line: 1,
        url,
        title_heading: None,
        aliases: Vec::new(),
        extra: serde_json::Value::Object(serde_json::Map::new()),
        foreign_keys: Vec::new(),
        lang: Default::default(),
    }
}

pub(crate) fn index_kind_url(folder: &str) -> (PageKind, String) {
    if folder.is_empty() {
        (PageKind::Home, String::new())
    } else {
        (PageKind::Section, format!("{folder}/"))
    }
}

/// The default id of a section index: its folder path with `-` for `/`; `home` for the root.
pub(crate) fn section_id(folder: &str) -> String {
    if folder.is_empty() {
        "home".to_string()
    } else {
        folder.replace('/', "-")
    }
}

/// File names that stand for a folder's `_index.md` when it has none, best first:
/// `index.md` (Hugo's and Docusaurus' index page) and `README.md` in any case (what
/// GitHub shows for a folder, and mdBook's chapter index).
fn readme_rank(file_name: &str) -> Option<u8> {
    if file_name == "index.md" {
        Some(0)
    } else if file_name.eq_ignore_ascii_case("readme.md") {
        Some(1)
    } else {
        None
    }
}

/// A folder without `_index.md` takes its `index.md` or `README.md` as its index page,
/// as GitHub, mdBook and Docusaurus show it: the page moves to the folder's address
/// (links to the file follow it), takes the folder's id unless it sets one, and the
/// folder's name (the site's title for the home page) unless it has a title of its
/// own. A README that is not public is not adopted by a folder holding public pages:
/// it stays a page, and the folder's generated index lists what each site may see,
/// so the README's text never reaches the public site.
pub(crate) fn adopt_readmes(pages: &mut [Page]) {
    let indexed: BTreeSet<String> = pages.iter().filter(|p| p.is_index()).map(|p| p.section.clone()).collect();
    let widest = widest_inside(pages);
    let mut best: BTreeMap<&str, (u8, usize)> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let file = p.rel.rsplit('/').next().unwrap_or(&p.rel);
        let Some(rank) = readme_rank(file) else { continue };
        // A README some page of its folder's readers may not read stays a page.
        let hides_wider = widest.get(&p.section).is_some_and(|w| *w < p.audience);
        if p.is_index() || indexed.contains(&p.section) || hides_wider || p.status == Status::Draft {
            continue;
        }
        let e = best.entry(p.section.as_str()).or_insert((rank, i));
        if rank < e.0 {
            *e = (rank, i);
        }
    }
    let chosen: Vec<usize> = best.into_values().map(|(_, i)| i).collect();
    for i in chosen {
        let p = &mut pages[i];
        let stem = p.rel.rsplit('/').next().unwrap_or(&p.rel).trim_end_matches(".md").to_string();
        let (kind, url) = index_kind_url(&p.section);
        (p.kind, p.url) = (kind, url);
        if !p.explicit_id {
            p.id.value = section_id(&p.section);
        }
        if p.title_heading.is_none() && p.title == crate::load::front_matter::title_from_file_name(&stem) {
            p.title = p.section.rsplit('/').next().unwrap_or_default().to_string();
        }
    }
}

/// Each folder (and the root, `""`) above a published page, at any depth, with the
/// lowest tier of the pages below it.
fn widest_inside(pages: &[Page]) -> BTreeMap<String, Audience> {
    let mut widest: BTreeMap<String, Audience> = BTreeMap::new();
    for p in pages.iter().filter(|p| !p.generated && p.status != Status::Draft) {
        // The folders above the page (for an index, above its own folder).
        let mut dir = p.parent_section();
        while let Some(d) = dir {
            let up = (!d.is_empty()).then(|| parent_dir(&d).to_string());
            let e = widest.entry(d).or_insert(p.audience);
            if *e < p.audience {
                break;
            }
            *e = p.audience;
            dir = up;
        }
    }
    widest
}

/// The name a `pages:` entry uses for `p`: a page's file stem, a sub-section's folder.
fn entry_name(p: &Page) -> &str {
    if p.is_index() {
        p.section.rsplit('/').next().unwrap_or(&p.section)
    } else {
        let file = p.rel.rsplit('/').next().unwrap_or(&p.rel);
        file.strip_suffix(".md").unwrap_or(file)
    }
}

/// Whether the `pages:` entry `entry` names `p` (by file stem or folder name, or id).
pub(crate) fn names(entry: &str, p: &Page) -> bool {
    entry_name(p) == entry || p.id.value == entry
}

/// The names a `pages:` entry of a section could use for `p`, for "did you mean".
pub(crate) fn entry_names(p: &Page) -> [&str; 2] {
    [entry_name(p), &p.id.value]
}

/// The number a file or folder name starts with (`01-intro` → 1), which orders pages
/// that set no `weight`.
fn number_prefix(name: &str) -> Option<u64> {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &name[digits..];
    let separated = rest.is_empty() || rest.starts_with(['-', '_', '.', ' ']);
    if digits == 0 || digits > 18 || !separated {
        return None;
    }
    name[..digits].parse().ok()
}

/// Compares titles as readers expect: runs of digits by their value (`2` before `10`),
/// letters ignoring case; other characters (CJK among them) by code point.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut s = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        s.push(c);
                    }
                    s
                };
                let (m, n) = (run(&mut x), run(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let by_value = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(c), Some(d)) => {
                let by_letter = c.to_lowercase().cmp(d.to_lowercase());
                if by_letter != Ordering::Equal {
                    return by_letter;
                }
                x.next();
                y.next();
            }
        }
    }
}

/// The order of pages (or sub-sections) inside one section, whose index lists
/// `listed` (its `pages:`): the listed ones first, in that order; then those with a
/// `weight`, by weight; then those whose file name starts with a number
/// (`01-intro.md`), by it; then the rest by title ([`natural_cmp`]). The source path
/// breaks ties, so the order never depends on the file system.
pub(crate) fn order(listed: &[Spanned<String>], a: &Page, b: &Page) -> Ordering {
    let rank = |p: &Page| listed.iter().position(|e| names(&e.value, p)).unwrap_or(usize::MAX);
    let key =
        |p: &Page| (p.weight.is_none(), p.weight, number_prefix(entry_name(p)).is_none(), number_prefix(entry_name(p)));
    rank(a)
        .cmp(&rank(b))
        .then_with(|| key(a).cmp(&key(b)))
        .then_with(|| natural_cmp(&a.title, &b.title))
        .then_with(|| a.rel.cmp(&b.rel))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostics::Diagnostics;
    use crate::load::content::{parse_page, Tiers};

    fn page(rel: &str, fm: &str) -> Page {
        let mut d = Diagnostics::new();
        let p = parse_page(rel, &format!("---\n{fm}---\n"), &Tiers::default(), &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        p.unwrap()
    }

    fn text_page(rel: &str, text: &str) -> Page {
        let mut d = Diagnostics::new();
        let p = parse_page(rel, text, &Tiers::default(), &mut d);
        assert!(d.is_empty(), "{:?}", d.into_sorted());
        p.unwrap()
    }

    #[test]
    fn a_folders_readme_or_index_md_is_its_index_when_it_has_no_index_file() {
        let mut pages = vec![
            text_page("README.md", "# Staff handbook\n"),
            text_page("guide/README.md", "Read me first.\n"),
            text_page("guide/intro.md", "# Intro\n"),
            text_page("help/README.md", "# Help readme\n"),
            text_page("help/index.md", "# Help\n"),
            text_page("kept/_index.md", "---\ntitle: Kept\n---\n"),
            text_page("kept/readme.md", "# Kept readme\n"),
        ];
        adopt_readmes(&mut pages);
        let at = |rel: &str| pages.iter().find(|p| p.rel == rel).unwrap();
        // The root README is the home page, titled by its heading.
        let home = at("README.md");
        assert_eq!((home.kind, home.url.as_str(), home.id.value.as_str()), (PageKind::Home, "", "home"));
        assert_eq!(home.title, "Staff handbook");
        // Without a heading, a folder's README takes the folder's name, not "README".
        let guide = at("guide/README.md");
        assert_eq!((guide.kind, guide.url.as_str(), guide.id.value.as_str()), (PageKind::Section, "guide/", "guide"));
        assert_eq!(guide.title, "guide");
        // index.md wins over README.md, which stays a page; _index.md wins over both.
        assert_eq!((at("help/index.md").kind, at("help/index.md").url.as_str()), (PageKind::Section, "help/"));
        assert_eq!((at("help/README.md").kind, at("help/README.md").url.as_str()), (PageKind::Page, "help/README/"));
        assert_eq!((at("kept/readme.md").kind, at("kept/readme.md").url.as_str()), (PageKind::Page, "kept/readme/"));
    }

    #[test]
    fn an_internal_readme_never_becomes_the_index_of_a_folder_with_public_pages() {
        let mut pages = vec![
            text_page("faq/README.md", "# Notes for staff\n"),
            text_page("faq/refunds.md", "---\naudience: public\n---\n# Refunds\n"),
            text_page("team/README.md", "# Team notes\n"),
            text_page("team/rota.md", "# Rota\n"),
        ];
        adopt_readmes(&mut pages);
        // The public FAQ gets a generated index instead; the README stays an internal page.
        assert_eq!(pages[0].kind, PageKind::Page);
        // A folder of internal pages takes its internal README.
        assert_eq!((pages[2].kind, pages[2].url.as_str()), (PageKind::Section, "team/"));
    }

    #[test]
    fn numbers_compare_by_value_and_letters_ignore_case() {
        let mut titles = vec!["Step 10", "step 2", "Step 1", "Apple", "apple", "年假", "事假", "b"];
        titles.sort_by(|a, b| natural_cmp(a, b));
        // 事 U+4E8B sorts before 年 U+5E74 by code point.
        assert_eq!(titles, vec!["Apple", "apple", "b", "Step 1", "step 2", "Step 10", "事假", "年假"]);
        assert_eq!(number_prefix("01-intro"), Some(1));
        assert_eq!(number_prefix("2_setup"), Some(2));
        assert_eq!(number_prefix("10"), Some(10));
        assert_eq!(number_prefix("2024plan"), None);
        assert_eq!(number_prefix("intro"), None);
    }

    #[test]
    fn listed_then_weighted_then_numbered_then_by_title() {
        let pages = [
            page("g/zeta.md", "title: Zeta\n"),
            page("g/alpha.md", "title: Alpha\n"),
            page("g/heavy.md", "title: Heavy\nweight: 5\n"),
            page("g/light.md", "title: Light\nweight: -1\n"),
            page("g/02-second.md", "title: A second\n"),
            page("g/10-tenth.md", "title: A tenth\n"),
            page("g/first.md", "title: First\nid: lead\n"),
            page("g/sub/_index.md", "title: Sub\n"),
        ];
        let listed: Vec<Spanned<String>> =
            ["lead", "zeta", "sub"].iter().map(|s| Spanned { value: s.to_string(), pos: Pos::new(1, 1) }).collect();
        let mut idx: Vec<usize> = (0..pages.len()).collect();
        idx.sort_by(|&a, &b| order(&listed, &pages[a], &pages[b]));
        let stems: Vec<&str> = idx.iter().map(|&i| entry_name(&pages[i])).collect();
        assert_eq!(stems, vec!["first", "zeta", "sub", "light", "heavy", "02-second", "10-tenth", "alpha"]);
    }

    #[test]
    fn only_a_section_index_reads_pages_and_print() {
        let mut d = Diagnostics::new();
        let text = "---\ntitle: G\npages: [b, a]\nprint: false\n---\n";
        let index = parse_page("g/_index.md", text, &Tiers::default(), &mut d).unwrap();
        assert!(d.is_empty());
        let listed: Vec<&str> = index.section_keys.pages.iter().map(|e| e.value.as_str()).collect();
        assert_eq!((listed, index.section_keys.print), (vec!["b", "a"], false));
        assert_eq!(index.section_keys.pages[1].pos, Pos::new(3, 12));
        let page = parse_page("g/a.md", text, &Tiers::default(), &mut d).unwrap();
        assert_eq!(page.section_keys, SectionKeys::default());
        let all = d.into_sorted();
        let got: Vec<(usize, &str, Option<&str>)> =
            all.iter().map(|d| (d.pos.line, d.message.as_str(), d.help.as_deref())).collect();
        let help = Some("`pages` is only allowed in a section's `_index.md`");
        assert_eq!(got[0], (3, "front matter: unknown key `pages`", help));
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn generated_sections_take_the_widest_audience_inside_them() {
        let mut pages = vec![
            page("a/b/p.md", "title: P\naudience: public\n"),
            page("a/b/q.md", "title: Q\n"),
            page("c/r.md", "title: R\n"),
            page("d/s.md", "title: S\naudience: public\nstatus: draft\n"),
        ];
        for folder in ["", "a", "a/b", "c", "d"] {
            let mut g =
                page(&if folder.is_empty() { "_index.md".into() } else { format!("{folder}/_index.md") }, "title: x\n");
            g.generated = true;
            g.audience = Audience::PUBLIC;
            pages.push(g);
        }
        settle_generated(&mut pages);
        let got: Vec<(&str, Audience)> =
            pages.iter().filter(|p| p.generated).map(|p| (p.section.as_str(), p.audience)).collect();
        assert_eq!(
            got,
            vec![
                ("", Audience::PUBLIC),
                ("a", Audience::PUBLIC),
                ("a/b", Audience::PUBLIC),
                ("c", Audience::INTERNAL),
                ("d", Audience::INTERNAL),
            ]
        );
    }
}
