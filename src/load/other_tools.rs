//! Front-matter keys of other tools (Hugo, Zola, Docusaurus, Jekyll): their names for
//! Charter keys, read as the Charter key (`description` → `summary`, …); their URL keys,
//! read as an alias; and their keys that Charter has no use for, ignored with one
//! warning per key per site that says what Charter does instead. Also the "did you
//! mean" of an unknown key, which knows all of these.
//!
//! Reads through [`Fields`]; `content` decides what a page is. Must not read files.

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::{Fields, Spanned};

/// A front-matter key of another tool that Charter does not read, with the tools that
/// write it and what Charter does instead.
struct Foreign {
    key: &'static str,
    tools: &'static str,
    instead: &'static str,
}

const fn foreign(key: &'static str, tools: &'static str, instead: &'static str) -> Foreign {
    Foreign { key, tools, instead }
}

const NAV_TITLE: &str = "navigation shows the page's `title`: set a shorter `title:` if it is long";
const LAST_UPDATED: &str =
    "each page shows when it was last updated from git history (see README, Page history); the date a standard takes effect is `effective`";
const NO_TEMPLATES: &str =
    "the template follows from the section (standards, roles, pages); a theme overrides templates in `templates/`";
const TOC: &str = "a page's table of contents lists its `##` and `###` headings";
const SIDEBAR: &str = "the sidebar is the site's sections, in `weight` order";
const NEXT_PREV: &str = "previous and next follow the section's order (`weight`, then title)";

/// Keys of Hugo, Zola and Docusaurus that have no Charter meaning: a migrated page keeps
/// building, and the site gets one warning per key saying what Charter does instead.
const FOREIGN: &[Foreign] = &[
    foreign("author", "Hugo", "the role responsible for a standard is `owner`"),
    foreign("authors", "Zola", "the role responsible for a standard is `owner`"),
    foreign("build", "Hugo", "drafts (`status: draft`) are never published"),
    foreign("cascade", "Hugo", "a section's `_index.md` sets the audience of its pages"),
    foreign("categories", "Hugo", "pages are grouped by `tags`"),
    foreign("custom_edit_url", "Docusaurus", "set `edit_url` once in charter.yaml"),
    foreign("displayed_sidebar", "Docusaurus", SIDEBAR),
    foreign("expiryDate", "Hugo", "the date by which a standard is reviewed is `review_by`"),
    foreign("headless", "Hugo", "drafts (`status: draft`) are never published"),
    foreign("hide_table_of_contents", "Docusaurus", TOC),
    foreign("hide_title", "Docusaurus", "the title is shown once: a leading `#` heading equal to it is not repeated"),
    foreign("image", "Docusaurus", "images go in the page's markdown"),
    foreign("images", "Hugo", "images go in the page's markdown"),
    foreign("in_search_index", "Zola", "every published page is in its site's search index"),
    foreign("isCJKLanguage", "Hugo", "the site's `language` in charter.yaml decides how text is searched"),
    foreign("keywords", "Hugo, Docusaurus", "pages are grouped by `tags`"),
    foreign("last_update", "Docusaurus", LAST_UPDATED),
    foreign("lastmod", "Hugo", LAST_UPDATED),
    foreign("layout", "Hugo", NO_TEMPLATES),
    foreign("linkTitle", "Hugo", NAV_TITLE),
    foreign("markup", "Hugo", "pages are CommonMark with tables, footnotes and task lists"),
    foreign("menu", "Hugo", SIDEBAR),
    foreign("outputs", "Hugo", "every page is HTML, and in the print edition"),
    foreign("pagination_label", "Docusaurus", NAV_TITLE),
    foreign("pagination_next", "Docusaurus", NEXT_PREV),
    foreign("pagination_prev", "Docusaurus", NEXT_PREV),
    foreign(
        "parse_number_prefixes",
        "Docusaurus",
        "pages are ordered by `pages:` in `_index.md`, then `weight`, then numbered file names (`01-intro.md`), then title",
    ),
    foreign("publishDate", "Hugo", "the date a standard takes effect is `effective`"),
    foreign("resources", "Hugo", "images go in the page's markdown"),
    foreign("sidebar_class_name", "Docusaurus", SIDEBAR),
    foreign("sidebar_custom_props", "Docusaurus", SIDEBAR),
    foreign("sidebar_key", "Docusaurus", SIDEBAR),
    foreign("sidebar_label", "Docusaurus", NAV_TITLE),
    foreign("sitemap", "Hugo", "the public sitemap lists every public page"),
    foreign("taxonomies", "Zola", "pages are grouped by `tags`"),
    foreign("template", "Zola", NO_TEMPLATES),
    foreign("toc", "Hugo", TOC),
    foreign("toc_max_heading_level", "Docusaurus", TOC),
    foreign("toc_min_heading_level", "Docusaurus", TOC),
    foreign("translationKey", "Hugo", "a site has one `language`"),
    foreign("type", "Hugo", NO_TEMPLATES),
    foreign("unlisted", "Docusaurus", "drafts (`status: draft`) are never published"),
    foreign("updated", "Zola", LAST_UPDATED),
];

/// What Charter does instead of another tool's `key`, when `key` is one of theirs that
/// Charter does not read: `(tools, instead)`.
pub(crate) fn foreign_key(key: &str) -> Option<(&'static str, &'static str)> {
    FOREIGN.iter().find(|f| f.key == key).map(|f| (f.tools, f.instead))
}

/// The help line of the one warning a site gets for another tool's `key`.
pub(crate) fn foreign_help(key: &str) -> Option<String> {
    foreign_key(key).map(|(tools, instead)| {
        format!("`{key}` is a {tools} key; in Charter {instead}. Delete it, or keep it for templates under `extra:`")
    })
}

/// Other tools' names for Charter keys, read as the Charter key (documented in the
/// README): `(their key, Charter key)`.
pub(crate) const SYNONYMS: &[(&str, &str)] = &[
    ("description", "summary"),
    ("sidebar_position", "weight"),
    ("date", "effective"),
    ("draft", "status"),
    ("params", "extra"),
];

/// The keys other tools use for a page's URL (Docusaurus, Hugo and Zola `slug`, Hugo
/// `url`, Zola `path`, Jekyll `permalink`): read as an alias (the old URL redirects).
pub(crate) const URL_KEYS: &[&str] = &["slug", "url", "path", "permalink"];

/// The "did you mean" of an unknown key: the nearest Charter key (`charter`), other
/// tool's synonym or other tool's key, saying what Charter makes of it.
pub(crate) fn unknown_key_hint<'a>(key: &str, charter: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let synonyms = SYNONYMS.iter().map(|(s, _)| *s);
    let others = URL_KEYS.iter().copied().chain(FOREIGN.iter().map(|f| f.key));
    let near = crate::base::diagnostics::did_you_mean(key, charter.into_iter().chain(synonyms).chain(others))?;
    let why = if let Some((_, charter)) = SYNONYMS.iter().find(|(s, _)| *s == near) {
        format!(" (read as `{charter}`)")
    } else if URL_KEYS.contains(&near) {
        " (read as an alias: the old URL redirects to the page)".to_string()
    } else if let Some((tools, _)) = foreign_key(near) {
        format!(" (a {tools} key that Charter does not read)")
    } else {
        String::new()
    };
    Some(format!("did you mean `{near}`?{why}"))
}

/// What the synonyms of one front matter said, each with the key it was written as.
#[derive(Debug, Default)]
pub(crate) struct Synonyms {
    pub(crate) summary: Option<Spanned<String>>,
    pub(crate) weight: Option<Spanned<i64>>,
    pub(crate) effective: Option<Spanned<crate::base::date::Date>>,
    /// `draft: true`.
    pub(crate) draft: bool,
    /// The URL the page had in the other tool (`slug`, Hugo's `url`, Zola's `path`),
    /// as an alias in site-path form.
    pub(crate) old_url: Option<Spanned<String>>,
}

/// Reads the synonyms of `f`. `dir` is the page's folder under `content/` (a relative
/// `slug` replaces the file name within it). A date with a time (`2024-05-01T09:00:00Z`)
/// takes effect on its day.
pub(crate) fn synonyms(f: &mut Fields, dir: &str, diags: &mut Diagnostics) -> Synonyms {
    let mut out = Synonyms {
        summary: f.string("description", diags),
        weight: f.integer("sidebar_position", diags),
        draft: f.boolean("draft", diags).is_some_and(|d| d.value),
        ..Synonyms::default()
    };
    if let Some(d) = f.string("date", diags) {
        let day = d.value.get(..10).unwrap_or(&d.value);
        match crate::base::date::Date::parse(day) {
            Ok(date) => out.effective = Some(Spanned { value: date, pos: d.pos }),
            Err(e) => diags.error(f.path(), d.pos, "bad-date", format!("`date`: {e}")),
        }
    }
    for key in URL_KEYS {
        let Some(s) = f.string(key, diags) else { continue };
        let value = s.value.trim();
        let path = if value.starts_with('/') || *key != "slug" || dir.is_empty() {
            value.trim_start_matches('/').to_string()
        } else {
            format!("{dir}/{value}")
        };
        out.old_url.get_or_insert(Spanned { value: path, pos: s.pos });
    }
    out
}

/// Reports a Charter key and its synonym both given: the Charter key wins.
pub(crate) fn both_given(f: &Fields, key: &str, synonym: &str, diags: &mut Diagnostics) {
    if let (Some(_), Some(pos)) = (f.key_pos(key), f.key_pos(synonym)) {
        diags.error(
            f.path(),
            pos,
            "duplicate-key",
            format!("`{synonym}` is read as `{key}`, which is also given: keep one of them"),
        );
    }
}

/// One warning per key of another tool found in the site's pages (`(source, keys)` in
/// file order), at its first use, with how many pages have it: a migrated site of a
/// hundred pages hears about `sidebar_label` once.
pub(crate) fn report_foreign_keys<'a>(
    pages: impl IntoIterator<Item = (&'a str, &'a [(&'static str, Pos)])>,
    diags: &mut Diagnostics,
) {
    let mut seen: std::collections::BTreeMap<&str, (&str, Pos, usize)> = std::collections::BTreeMap::new();
    for (source, keys) in pages {
        for (key, pos) in keys {
            seen.entry(key).or_insert((source, *pos, 0)).2 += 1;
        }
    }
    for (key, (source, pos, count)) in seen {
        let pages = if count == 1 { "1 page".to_string() } else { format!("{count} pages") };
        diags.warning(source, pos, "foreign-key", format!("front matter: `{key}` is not read by Charter ({pages})"));
        if let Some(help) = foreign_help(key) {
            diags.with_help(help);
        }
    }
}

/// Marks every key of another tool in `f` as read and returns them with their
/// positions, for the one warning per key that `content` gives.
pub(crate) fn foreign_keys(f: &mut Fields) -> Vec<(&'static str, Pos)> {
    let mut out = Vec::new();
    for k in FOREIGN {
        if f.node(k.key).is_some() {
            out.push((k.key, f.key_pos(k.key).unwrap_or(f.pos())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::aliases::Alias;
    use crate::load::content::test_support::one;
    use crate::load::content::Status;

    #[test]
    fn other_tools_keys_name_what_charter_does() {
        assert_eq!(
            foreign_help("sidebar_label").unwrap(),
            "`sidebar_label` is a Docusaurus key; in Charter navigation shows the page's `title`: set a shorter `title:` if it is long. Delete it, or keep it for templates under `extra:`"
        );
        assert!(foreign_help("lastmod").unwrap().contains("`effective`"));
        assert_eq!(foreign_help("titel"), None);
        let hint = |k| unknown_key_hint(k, ["title", "weight", "summary"]);
        assert_eq!(hint("titel").unwrap(), "did you mean `title`?");
        assert_eq!(hint("sidebar_positon").unwrap(), "did you mean `sidebar_position`? (read as `weight`)");
        assert_eq!(hint("descripton").unwrap(), "did you mean `description`? (read as `summary`)");
        assert_eq!(
            hint("slugs").unwrap(),
            "did you mean `slug`? (read as an alias: the old URL redirects to the page)"
        );
        assert_eq!(
            hint("sidebar_labels").unwrap(),
            "did you mean `sidebar_label`? (a Docusaurus key that Charter does not read)"
        );
        assert_eq!(hint("zzz"), None);
        // Every key of the table is listed once, and none is a Charter key or synonym.
        let mut keys: Vec<&str> = FOREIGN.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FOREIGN.len());
        assert!(keys.iter().all(|k| !SYNONYMS.iter().any(|(s, _)| s == k) && !URL_KEYS.contains(k)));
    }

    #[test]
    fn other_tools_keys_are_read_as_charter_keys() {
        let text = "---\ndescription: Short\nsidebar_position: 3\ndate: 2024-05-01T09:00:00Z\ndraft: true\nslug: old-refunds\nsidebar_label: R\nextra:\n  team: Billing\n---\n";
        let (p, d) = one("guide/refunds.md", text);
        assert!(d.is_empty(), "{d:?}");
        let p = p.unwrap();
        assert_eq!((p.summary.as_deref(), p.weight, p.status), (Some("Short"), Some(3), Status::Draft));
        assert_eq!(p.effective.unwrap().to_string(), "2024-05-01");
        assert_eq!(p.aliases, vec![Alias { path: "guide/old-refunds/".into(), pos: Pos::new(6, 7) }]);
        assert_eq!(p.foreign_keys, vec![("sidebar_label", Pos::new(7, 1))]);
        assert_eq!(p.extra, serde_json::json!({"team": "Billing"}));
        let (_, d) = one("a.md", "---\nzzz: 1\n---\n");
        assert_eq!(
            d[0].help.as_deref(),
            Some("known keys: `title`, `id`, `audience`, `owner`, `effective`, `review_by`, `status`, `weight`, `summary`, `tags`, `aliases`, `extra`, `kpis`")
        );
        let (p, d) = one("intro.md", "---\nslug: /\n---\n");
        assert!(p.unwrap().aliases.is_empty());
        assert_eq!(
            d[0].message,
            "the page's old URL cannot redirect to it: `/` is the home page; an alias names an old path of this page"
        );
        assert_eq!(d[0].severity, crate::base::diagnostics::Severity::Warning);
        let (_, d) = one("a.md", "---\nsummary: a\ndescription: b\nextra: [1]\n---\n");
        let msgs: Vec<String> = d.iter().map(|d| format!("{}:{} {}", d.pos.line, d.pos.col, d.message)).collect();
        assert_eq!(
            msgs,
            [
                "3:1 `description` is read as `summary`, which is also given: keep one of them",
                "4:8 `extra` must be a mapping of your own keys, found a list",
            ]
        );
    }
}
