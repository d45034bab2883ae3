//! The content model: pages and sections read from `content/`.
//!
//! Owns the front-matter keys and how a file becomes a [`Page`] (id, URL, section,
//! kind). Loading walks the folder in sorted order and returns every page it could read
//! plus a diagnostic for every problem; it never stops at the first. It must not
//! resolve references between pages (that is `validate`) or render anything.

use std::collections::BTreeSet;

use rayon::prelude::*;
use std::path::Path;

use crate::base::date::Date;
use crate::base::diagnostics::{par_map_with, Diagnostics, Pos};
use crate::formats::yaml::{Fields, Spanned};
use crate::load::aliases::Alias;
use crate::load::config::Language;
use crate::load::sections::{self, SectionKeys};
use crate::load::{front_matter, other_tools, translations};

pub(crate) const CONTENT_DIR: &str = "content";
const STANDARDS_SECTION: &str = "standards";
const ROLES_SECTION: &str = "roles";
pub(crate) const INDEX_FILE: &str = "_index.md";

pub use crate::load::audience::{Audience, Tiers};

/// Lifecycle of a page: drafts are never published, retired pages stay reachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Draft,
    Active,
    Retired,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Retired => "retired",
        }
    }
}

/// What a page is, which decides its template and what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// `content/_index.md`: the site's home page.
    Home,
    /// A folder's `_index.md` (or a generated index for a folder without one).
    Section,
    /// A page under `content/standards/`.
    Standard,
    /// A role document under `content/roles/`.
    Role,
    /// Any other page.
    Page,
}

/// One page of content, as loaded. Field positions are kept for later diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path relative to the site root, e.g. `content/standards/complaints.md`.
    pub(crate) source: String,
    /// Path relative to `content/`, e.g. `standards/complaints.md`.
    pub(crate) rel: String,
    /// The section (folder relative to `content/`) this page indexes or belongs to:
    /// for `_index.md` the folder itself, otherwise the folder holding the file.
    pub(crate) section: String,
    pub(crate) kind: PageKind,
    /// True for a section index that no `_index.md` file provides.
    pub(crate) generated: bool,
    pub id: Spanned<String>,
    /// Whether `id` was written in the front matter (rather than derived).
    pub(crate) explicit_id: bool,
    pub title: String,
    pub audience: Audience,
    pub(crate) owner: Option<Spanned<String>>,
    pub(crate) effective: Option<Date>,
    pub(crate) review_by: Option<Date>,
    /// Where `review_by` is written, for the governance warning.
    pub(crate) review_by_pos: Pos,
    pub status: Status,
    /// `weight:` when set (pages with one come first in their section, see
    /// [`sections::order`]).
    pub(crate) weight: Option<i64>,
    pub(crate) summary: Option<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) reports_to: Option<Spanned<String>>,
    pub(crate) duties: Vec<String>,
    /// KPI ids the page cites in its front matter (`kpis: [...]`).
    pub(crate) kpis: Vec<Spanned<String>>,
    /// What a section's `_index.md` says about the section (defaults elsewhere).
    pub(crate) section_keys: SectionKeys,
    /// The markdown after the front matter.
    pub body: String,
    /// Byte offset of `body` in the file.
    pub(crate) body_offset: usize,
    /// The file line on which `body` starts, so body positions map to file positions.
    pub(crate) body_line: usize,
    /// Output path relative to the site root, ending in `/` (empty for the home page).
    pub url: String,
    /// The bytes of the body's leading `#` heading when it is the page's title: the
    /// theme prints the title, so the body does not show it again.
    pub(crate) title_heading: Option<std::ops::Range<usize>>,
    /// The page's old paths, each of which redirects to it.
    pub(crate) aliases: Vec<Alias>,
    /// A team's own keys (`extra:`), for templates.
    pub(crate) extra: serde_json::Value,
    /// Keys of other tools that the page has and Charter does not read.
    pub(crate) foreign_keys: Vec<(&'static str, Pos)>,
    /// The language the page is read in (see `load::translations`).
    pub(crate) lang: crate::load::translations::PageLang,
}

impl Page {
    /// Sections are the page itself for an index, otherwise its folder. The parent
    /// section of an index is the folder above it (`None` for the home page).
    pub(crate) fn parent_section(&self) -> Option<String> {
        match self.kind {
            PageKind::Home => None,
            PageKind::Section => Some(parent_dir(&self.section).to_string()),
            _ => Some(self.section.clone()),
        }
    }

    pub(crate) fn is_index(&self) -> bool {
        matches!(self.kind, PageKind::Home | PageKind::Section)
    }

    /// Number of folders in the URL: how many `../` lead back to the site root.
    #[cfg(test)]
    pub(crate) fn depth(&self) -> usize {
        self.url.matches('/').count()
    }
}

/// The folder above `dir` (`""` for a top-level folder).
pub(crate) fn parent_dir(dir: &str) -> &str {
    dir.rfind('/').map_or("", |i| &dir[..i])
}

const COMMON_KEYS: &[&str] = &[
    "title",
    "id",
    "audience",
    "owner",
    "effective",
    "review_by",
    "status",
    "weight",
    "summary",
    "tags",
    "aliases",
    "extra",
];
const ROLE_KEYS: &[&str] = &["reports_to", "duties"];

/// Everything read from `content/`, pages sorted by source path.
#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    /// The files beside the pages (images, downloads), sorted by path.
    pub(crate) files: Vec<crate::load::files::Asset>,
    /// The translations (`page.en.md`) into the languages after the first, by path.
    pub(crate) translations: Vec<crate::load::translations::Translation>,
}

impl Content {
    /// Gives the site's title to a home page that has neither `title:` nor a `#` heading,
    /// and to a generated one (no `content/_index.md`).
    pub(crate) fn name_home(&mut self, site_title: &str) {
        for p in self.pages.iter_mut().filter(|p| p.kind == PageKind::Home && (p.generated || p.title.is_empty())) {
            p.title = site_title.to_string();
        }
    }

    /// Ids of the role documents, which owners, scorecards and the organisation name.
    pub fn role_ids(&self) -> std::collections::BTreeSet<String> {
        self.pages.iter().filter(|p| p.kind == PageKind::Role).map(|p| p.id.value.clone()).collect()
    }
}

/// Loads every `.md` file under `root/content`, and lists the other files beside them. Folders without `_index.md` get a
/// generated section index so that every section has a page.
pub fn load(root: &Path, tiers: &Tiers, diags: &mut Diagnostics) -> Content {
    load_in(root, tiers, &[], diags)
}

/// [`load`] as the site's `charter.yaml` says: its tiers, and its languages, whose
/// translations (`page.en.md`) are read as such.
pub fn load_site(root: &Path, config: &crate::load::config::Config, diags: &mut Diagnostics) -> Content {
    load_in(root, &config.audiences, &config.languages, diags)
}

/// [`load`] for a site of `languages` (the default first): `page.en.md` is read as a
/// translation of `page.md` when `en` is one of them after the first.
pub(crate) fn load_in(root: &Path, tiers: &Tiers, languages: &[Language], diags: &mut Diagnostics) -> Content {
    let dir = root.join(CONTENT_DIR);
    if !dir.is_dir() {
        diags.error(CONTENT_DIR, Pos::FILE, "missing-content", "the site has no `content/` folder");
        return Content::default();
    }
    let mut pages = Vec::new();
    let mut files: Vec<(String, String, std::path::PathBuf)> = Vec::new();
    let mut folders: BTreeSet<String> = BTreeSet::new();
    let mut assets = Vec::new();
    let walker = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.error(CONTENT_DIR, Pos::FILE, "io", format!("cannot read content folder: {e}"));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        // Joined by component: on Unix a `\` is part of a name, not a separator (the
        // name is then refused by `validate`).
        let parts: Vec<_> = rel_path.components().map(|c| c.as_os_str().to_string_lossy()).collect();
        let rel = parts.join("/");
        if rel_path.to_str().is_none() {
            diags.error(
                &format!("{CONTENT_DIR}/{rel}"),
                Pos::FILE,
                "bad-path",
                "the file name is not valid UTF-8 (shown with \u{FFFD} for the bad bytes); rename it",
            );
            continue;
        }
        if rel.is_empty() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let source = format!("{CONTENT_DIR}/{rel}");
        if name.starts_with('.') {
            continue;
        }
        if entry.file_type().is_dir() {
            folders.insert(rel);
            continue;
        }
        if entry.file_type().is_symlink() {
            diags.warning(&source, Pos::FILE, "symlink-ignored", "symbolic links in content/ are not followed");
            continue;
        }
        if !name.ends_with(".md") {
            // Images and downloads are published beside their pages (`load::files`);
            // what hidden folders hold (an editor's settings) is not.
            if parts.iter().any(|p| p.starts_with('.')) {
                continue;
            }
            let origin = crate::load::files::Origin::Content { section: parent_dir(&rel).to_string() };
            assets.extend(crate::load::files::asset(&entry, &rel, origin, diags));
            continue;
        }
        files.push((rel, source, entry.into_path()));
    }
    // Translations are read on their own (`load::translations`).
    let (translated, files): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|(rel, _, _)| translations::translation_of(rel, languages).is_some());
    let translations = par_map_with(translated.par_iter(), diags, |(rel, source, path), own| {
        let text = crate::load::data::read_source(path, source, MAX_PAGE_BYTES, "content files", own)?;
        translations::parse(rel, &text, translations::translation_of(rel, languages)?, own)
    });
    let translations: Vec<_> = translations.into_iter().flatten().collect();
    // Read and parse the files in parallel, each with its own diagnostics, merged in
    // file order.
    let parsed =
        par_map_with(files.par_iter(), diags, |(rel, source, path), own| read_page(rel, source, path, tiers, own));
    pages.extend(parsed.into_iter().flatten());
    let keys = pages.iter().map(|p| (p.source.as_str(), p.foreign_keys.as_slice()));
    other_tools::report_foreign_keys(keys, diags);
    // Every folder that holds pages (and the root) is a section; give those without
    // `_index.md` one. A folder of images or downloads only is part of its section.
    let mut holding: BTreeSet<&str> = BTreeSet::new();
    for (rel, _, _) in &files {
        let mut dir = parent_dir(rel);
        while !dir.is_empty() && holding.insert(dir) {
            dir = parent_dir(dir);
        }
    }
    folders.retain(|f| holding.contains(f.as_str()));
    folders.insert(String::new());
    for asset in &mut assets {
        let crate::load::files::Origin::Content { section } = &mut asset.origin else { continue };
        while !folders.contains(section.as_str()) {
            *section = parent_dir(section).to_string();
        }
    }
    sections::adopt_readmes(&mut pages);
    let indexed: BTreeSet<&str> = pages.iter().filter(|p| p.is_index()).map(|p| p.section.as_str()).collect();
    let missing: Vec<&String> = folders.iter().filter(|f| !indexed.contains(f.as_str())).collect();
    let generated: Vec<Page> = missing.into_iter().map(|f| sections::generated_index(f, tiers.default)).collect();
    pages.extend(generated);
    pages.sort_by(|a, b| a.rel.cmp(&b.rel));
    // Ids derived from file names are made unique; role ids stay as named, since owners
    // cite them (two roles of one name are a duplicate-id error).
    let derived: Vec<usize> = (0..pages.len())
        .filter(|&i| !pages[i].explicit_id && !pages[i].is_index() && pages[i].kind != PageKind::Role)
        .collect();
    let named: Vec<(&str, &str)> =
        derived.iter().map(|&i| (pages[i].rel.as_str(), pages[i].id.value.as_str())).collect();
    for (k, id) in front_matter::unique_derived_ids(&named) {
        pages[derived[k]].id.value = id;
    }
    sections::settle_generated(&mut pages);
    Content { pages, files: assets, translations }
}

/// The largest content file read (10 MiB); a larger one is refused unread.
const MAX_PAGE_BYTES: u64 = 10 << 20;

/// Reads and parses one content file (UTF-8, at most [`MAX_PAGE_BYTES`]).
pub(crate) fn read_page(rel: &str, source: &str, path: &Path, tiers: &Tiers, diags: &mut Diagnostics) -> Option<Page> {
    let errors = diags.count(crate::base::diagnostics::Severity::Error);
    let text = crate::load::data::read_source(path, source, MAX_PAGE_BYTES, "content files", diags);
    let Some(text) = text else {
        if diags.count(crate::base::diagnostics::Severity::Error) == errors {
            // Removed between the folder walk and the read.
            diags.error(source, Pos::FILE, "io", "cannot read file: it does not exist");
        }
        return None;
    };
    parse_page(rel, &text, tiers, diags)
}

fn in_section(dir: &str, section: &str) -> bool {
    dir == section || dir.starts_with(&format!("{section}/"))
}

/// Parses one page file. `rel` is its path under `content/`.
pub fn parse_page(rel: &str, text: &str, tiers: &Tiers, diags: &mut Diagnostics) -> Option<Page> {
    let source = format!("{CONTENT_DIR}/{rel}");
    let front_matter::Read { node, bom, body_start } = front_matter::read(text, &source, diags)?;
    let text_nobom = &text[bom..];
    let mut f = Fields::new(&node, &source, "front matter", diags)?;

    let file_name = rel.rsplit('/').next().unwrap_or(rel);
    let dir = parent_dir(rel);
    let is_index = file_name == INDEX_FILE;
    let stem = file_name.trim_end_matches(".md");
    let is_role = !is_index && in_section(dir, ROLES_SECTION);

    let title = f.string("title", diags);
    if let Some(t) = title.as_ref().filter(|t| t.value.trim().is_empty()) {
        diags.error(&source, t.pos, "missing-key", "front matter: `title` must not be empty");
        diags.with_help("leave `title:` out to take the title from the page's `#` heading or its file name");
    }
    // An id with an invisible or direction-changing character is reported at it and
    // kept as it reads, so that owners and links written as it looks still resolve.
    let id = f.string("id", diags).and_then(|id| {
        let node = f.node("id");
        let value = crate::formats::deceptive::refuse(&source, node, id.pos, "page id", &id.value, diags)?;
        Some(Spanned { value, pos: id.pos })
    });
    let audience = f.choice("audience", &tiers.names(), diags).and_then(|a| tiers.named(a.value));
    let owner = f.string("owner", diags);
    let effective = f.date("effective", diags);
    let review_by = f.date("review_by", diags);
    let status = f.choice("status", &["draft", "active", "retired"], diags).map(|s| match s.value {
        "draft" => Status::Draft,
        "retired" => Status::Retired,
        _ => Status::Active,
    });
    let weight = f.integer("weight", diags);
    let summary = f.string("summary", diags);
    let synonyms = other_tools::synonyms(&mut f, dir, diags);
    for (synonym, key) in other_tools::SYNONYMS {
        other_tools::both_given(&f, key, synonym, diags);
    }
    let written_aliases = f.string_list("aliases", diags);
    let extra = front_matter::extra(&mut f, diags);
    let foreign_keys = other_tools::foreign_keys(&mut f);
    let tags = f.string_list("tags", diags);
    let kpis = f.string_list("kpis", diags);
    let (reports_to, duties) =
        if is_role { (f.string("reports_to", diags), f.string_list("duties", diags)) } else { (None, Vec::new()) };
    let section_keys = if is_index {
        SectionKeys {
            pages: f.string_list("pages", diags),
            print: f.boolean("print", diags).is_none_or(|b| b.value),
            audience_pos: f.key_pos("audience"),
            status_pos: f.key_pos("status"),
        }
    } else {
        SectionKeys::default()
    };
    if let (Some(e), Some(r)) = (&effective, &review_by) {
        if r.value < e.value {
            diags.error(
                &source,
                r.pos,
                "bad-date",
                format!("`review_by` ({}) is before `effective` ({})", r.value, e.value),
            );
        }
    }
    f.finish(diags, |key| {
        if ROLE_KEYS.contains(&key) {
            Some(format!("`{key}` is only allowed in role documents under content/{ROLES_SECTION}/"))
        } else if sections::INDEX_KEYS.contains(&key) {
            Some(format!("`{key}` is only allowed in a section's `{INDEX_FILE}`"))
        } else {
            let charter = || COMMON_KEYS.iter().chain(["kpis"].iter()).chain(if is_role { ROLE_KEYS } else { &[] });
            // Without a near key, the Charter keys (not every other tool's key that is read).
            let known = || charter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            other_tools::unknown_key_hint(key, charter().copied()).or_else(|| Some(format!("known keys: {}", known())))
        }
    });

    let (kind, url) = if is_index {
        sections::index_kind_url(dir)
    } else {
        let kind = if is_role {
            PageKind::Role
        } else if in_section(dir, STANDARDS_SECTION) {
            PageKind::Standard
        } else {
            PageKind::Page
        };
        let url = if dir.is_empty() { format!("{stem}/") } else { format!("{dir}/{stem}/") };
        (kind, url)
    };
    let explicit_id = id.is_some();
    let id = id.unwrap_or_else(|| Spanned {
        value: if is_index { sections::section_id(dir) } else { front_matter::derived_id(stem) },
        pos: Pos::new(1, 1),
    });
    let body = &text_nobom[body_start..];
    let name = if is_index { dir.rsplit('/').next().unwrap_or(dir) } else { stem };
    let title = front_matter::Title::of(title.map(|t| t.value).filter(|t| !t.trim().is_empty()), body, name);
    let status = status.or(synonyms.draft.then_some(Status::Draft));
    let aliases = crate::load::aliases::of_page(written_aliases, synonyms.old_url, &url, (&source, diags));
    Some(Page {
        source,
        rel: rel.to_string(),
        section: dir.to_string(),
        kind,
        generated: false,
        id,
        explicit_id,
        title: title.text,
        audience: audience.unwrap_or(tiers.default),
        owner,
        effective: effective.or(synonyms.effective).map(|d| d.value),
        review_by_pos: review_by.as_ref().map_or(Pos::new(1, 1), |d| d.pos),
        review_by: review_by.map(|d| d.value),
        status: status.unwrap_or(Status::Active),
        weight: weight.or(synonyms.weight).map(|w| w.value),
        summary: summary.or(synonyms.summary).map(|s| s.value),
        tags: tags.into_iter().map(|t| t.value).collect(),
        reports_to,
        duties: duties.into_iter().map(|d| d.value).collect(),
        kpis,
        section_keys,
        body: body.to_string(),
        body_offset: bom + body_start,
        body_line: text_nobom[..body_start].matches('\n').count() + 1,
        url,
        title_heading: title.heading,
        aliases,
        extra,
        foreign_keys,
        lang: Default::default(),
    })
}

/// The page parsing tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// Parses one page with the internal default audience: the page and the diagnostics.
    pub(crate) fn one(rel: &str, text: &str) -> (Option<Page>, Vec<crate::base::diagnostics::Diagnostic>) {
        let mut d = Diagnostics::new();
        let p = parse_page(rel, text, &Tiers::default(), &mut d);
        (p, d.into_sorted())
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::one;
    use super::*;

    #[test]
    fn a_standard_gets_id_url_and_defaults() {
        let (p, d) = one("standards/complaints.md", "---\ntitle: 投诉处理\nowner: front-desk\n---\n# 正文\n");
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!(p.id.value, "complaints");
        assert_eq!(p.url, "standards/complaints/");
        assert_eq!(p.kind, PageKind::Standard);
        assert_eq!(p.audience, Audience::INTERNAL);
        assert_eq!(p.status, Status::Active);
        assert_eq!(p.body, "# 正文\n");
        assert_eq!(
            Pos::of_offset("---\ntitle: 投诉处理\nowner: front-desk\n---\n# 正文\n", p.body_offset),
            Pos::new(5, 1)
        );
    }

    #[test]
    fn section_index_and_home() {
        let (p, _) = one("standards/_index.md", "---\ntitle: 服务标准\n---\n");
        let p = p.unwrap();
        assert_eq!((p.kind, p.url.as_str(), p.id.value.as_str()), (PageKind::Section, "standards/", "standards"));
        assert_eq!(p.parent_section().as_deref(), Some(""));
        let (h, _) = one("_index.md", "---\ntitle: 首页\n---\n");
        let h = h.unwrap();
        assert_eq!((h.kind, h.url.as_str(), h.depth()), (PageKind::Home, "", 0));
    }

    #[test]
    fn role_keys_only_in_role_documents() {
        let (_, d) = one("standards/a.md", "---\ntitle: A\nduties: [x]\n---\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("unknown key `duties`"));
        assert!(d[0].help.as_deref().unwrap().contains("only allowed in role documents"));
        let (p, d) = one("roles/front-desk.md", "---\ntitle: 前台\nreports_to: planning\nduties: [接待]\n---\n");
        assert!(d.is_empty());
        let p = p.unwrap();
        assert_eq!(p.kind, PageKind::Role);
        assert_eq!(p.duties, vec!["接待"]);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let (p, d) = one("a.md", "\u{feff}---\r\ntitle: 标题\r\n---\r\nbody\r\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.unwrap().title, "标题");
    }
}
