//! Front matter as other tools write it, and pages without any: where the front matter
//! ends (`---` YAML or `+++` TOML, or none at all), the title a page without `title:`
//! takes (its leading `#` heading, else its file name), whether the body's first
//! heading repeats the title, and the keys of Hugo, Zola and Docusaurus — read as
//! their Charter equivalent, or ignored with one warning per key that names what
//! Charter does instead.
//!
//! Pure functions over text; `content` decides what a page is. Must not read files.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::base::diagnostics::{Diagnostics, Pos};
use crate::formats::yaml::{self, Fields, Kind, Node, Spanned};

/// How the front matter of a page is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Between `---` lines (Charter, Jekyll, Hugo, Docusaurus).
    Yaml,
    /// Between `+++` lines (Hugo, Zola).
    Toml,
}

impl Format {
    fn fence(self) -> &'static str {
        match self {
            Format::Yaml => "---",
            Format::Toml => "+++",
        }
    }
}

/// The front matter of a page, as found at its start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub(crate) format: Format,
    /// The text between the fences.
    pub(crate) text: &'a str,
    /// The byte offset at which the body starts (after the closing fence).
    pub(crate) body_start: usize,
}

/// Finds the front matter at the start of `text` (no byte-order mark): `Ok(None)` for a
/// page without any, an error message when the opening fence is never closed.
pub(crate) fn split(text: &str) -> Result<Option<Split<'_>>, String> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(None),
    };
    let mut offset = first_end;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == format.fence() {
            return Ok(Some(Split { format, text: &text[first_end..offset], body_start: end }));
        }
        offset = end;
    }
    Err(format!("front matter is not closed: add a `{}` line after the last key", format.fence()))
}

/// Parses front matter that starts on file line 2; a syntax error is reported at its
/// position and gives `None`.
pub(crate) fn parse(split: &Split, source: &str, diags: &mut Diagnostics) -> Option<Node> {
    let parsed = match split.format {
        Format::Yaml => yaml::parse(split.text, 2),
        Format::Toml => crate::formats::toml::parse(split.text, 2),
    };
    match parsed {
        Ok(n) => Some(n),
        Err(e) => {
            let what = match split.format {
                Format::Yaml => "YAML",
                Format::Toml => "TOML",
            };
            let code = if split.format == Format::Yaml { "yaml-syntax" } else { "toml-syntax" };
            diags.error(source, e.pos, code, format!("invalid {what} in front matter: {}", e.message));
            None
        }
    }
}

/// The title a page without `title:` and without a leading heading takes from its
/// file name: `-` and `_` read as spaces, runs of spaces as one, the first letter
/// capitalised (`refund-policy` → `Refund policy`, `投诉处理` stays as it is).
pub(crate) fn title_from_file_name(stem: &str) -> String {
    let words: Vec<&str> = stem.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let joined = if words.is_empty() { stem.to_string() } else { words.join(" ") };
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => joined,
    }
}

/// Whether two titles read the same: equal once runs of white space are one space
/// and the ends trimmed.
pub(crate) fn same_title(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The body's title heading: its first heading, when that is of level 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TitleHeading {
    /// Its text as a reader sees it (markup and attributes dropped).
    pub(crate) text: String,
    /// Its bytes in the body.
    pub(crate) range: Range<usize>,
}

/// The body's first heading when it is of level 1 (`# Title` or `Title` over `===`):
/// mdBook, Docusaurus and GitHub show it as the page's title. Parsed with the options
/// the renderer uses, so that both agree on which heading it is.
pub(crate) fn title_heading(body: &str) -> Option<TitleHeading> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut text = String::new();
    let mut start = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                if level != HeadingLevel::H1 {
                    return None;
                }
                start = Some(range);
            }
            Event::End(TagEnd::Heading(_)) => {
                let range = start?;
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                return (!text.is_empty()).then_some(TitleHeading { text, range });
            }
            Event::Text(t) | Event::Code(t) if start.is_some() => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if start.is_some() => text.push(' '),
            _ => {}
        }
    }
    None
}

/// A page's title and whether its body's leading heading is that title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Title {
    pub(crate) text: String,
    /// The bytes of the body's title heading, which is then not shown again.
    pub(crate) heading: Option<Range<usize>>,
}

impl Title {
    /// The title of a page: `title:` when given (a leading `#` heading that reads the
    /// same is then the title heading); else its leading `#` heading; else its file
    /// name (`name`: the file's stem, or a section's folder) by
    /// [`title_from_file_name`]. The home page has no name: its title is then empty,
    /// and the build gives it the site's title.
    pub(crate) fn of(given: Option<String>, body: &str, name: &str) -> Title {
        let heading = title_heading(body);
        match (given, heading) {
            (Some(text), Some(h)) => {
                let heading = same_title(&text, &h.text).then_some(h.range);
                Title { text, heading }
            }
            (Some(text), None) => Title { text, heading: None },
            (None, Some(h)) => Title { text: h.text, heading: Some(h.range) },
            (None, None) => Title { text: title_from_file_name(name), heading: None },
        }
    }
}

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
const LAST_UPDATED: &str = "the date a standard takes effect is `effective`";
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
    foreign("parse_number_prefixes", "Docusaurus", "pages are ordered by `weight`, then title"),
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

/// A team's own keys (`extra:`, Hugo's `params:`) as templates see them (`page.extra`):
/// a mapping of any YAML or TOML values; anything else is an error and reads as empty.
pub(crate) fn extra(f: &mut Fields, diags: &mut Diagnostics) -> serde_json::Value {
    let node = f.node("extra").or_else(|| f.node("params"));
    match node.map(|n| (n, &n.kind)) {
        None | Some((_, Kind::Null)) => serde_json::Value::Object(serde_json::Map::new()),
        Some((n, Kind::Map(_))) => to_json(n),
        Some((n, _)) => {
            diags.error(
                f.path(),
                n.pos,
                "wrong-type",
                format!("`extra` must be a mapping of your own keys, found {}", n.type_name()),
            );
            serde_json::Value::Object(serde_json::Map::new())
        }
    }
}

/// A YAML or TOML value as JSON, for templates. Numbers that JSON cannot hold (NaN,
/// infinities) become their text.
fn to_json(n: &Node) -> serde_json::Value {
    use serde_json::Value;
    match &n.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Int(i) => Value::from(*i),
        Kind::Float(f) => {
            serde_json::Number::from_f64(*f).map_or_else(|| Value::String(n.number_text()), Value::Number)
        }
        Kind::Str(s) => Value::String(s.clone()),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => {
            Value::Object(entries.iter().filter_map(|(k, v)| Some((key_text(k)?, to_json(v)))).collect())
        }
    }
}

fn key_text(k: &Node) -> Option<String> {
    match &k.kind {
        Kind::Str(s) => Some(s.clone()),
        Kind::Int(_) | Kind::Float(_) => Some(k.number_text()),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
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

    #[test]
    fn titles_from_file_names() {
        assert_eq!(title_from_file_name("refund-policy"), "Refund policy");
        assert_eq!(title_from_file_name("how_we_work"), "How we work");
        assert_eq!(title_from_file_name("faq"), "Faq");
        assert_eq!(title_from_file_name("投诉处理"), "投诉处理");
        assert_eq!(title_from_file_name("--x--y"), "X y");
        assert_eq!(title_from_file_name("2024-review"), "2024 review");
        assert_eq!(title_from_file_name("éclair"), "Éclair");
    }

    #[test]
    fn front_matter_title_wins_and_an_equal_heading_is_the_title_heading() {
        let body = "# Refund  policy\n\nText.\n";
        let given = Title::of(Some("Refund policy".into()), body, "refunds");
        assert_eq!(given, Title { text: "Refund policy".into(), heading: Some(0..17) });
        let other = Title::of(Some("Refunds".into()), body, "refunds");
        assert_eq!(other, Title { text: "Refunds".into(), heading: None });
        let from_heading = Title::of(None, body, "refunds");
        assert_eq!(from_heading, Title { text: "Refund policy".into(), heading: Some(0..17) });
        let from_name = Title::of(None, "## Scope\n", "refund-policy");
        assert_eq!(from_name, Title { text: "Refund policy".into(), heading: None });
        assert_eq!(Title::of(None, "", "").text, "");
    }

    #[test]
    fn titles_compare_without_spacing() {
        assert!(same_title("Refund  policy ", " Refund policy"));
        assert!(same_title("退款\t政策", "退款 政策"));
        assert!(!same_title("Refund policy", "Refund Policy"));
        assert!(!same_title("Refund policy", "Refunds"));
    }

    #[test]
    fn the_title_heading_is_the_first_heading_of_level_one() {
        let h = title_heading("<!-- note -->\n\n#  Refund *policy*  {#refunds}\n\nText.\n\n# Second\n").unwrap();
        assert_eq!(h.text, "Refund policy");
        assert_eq!(h.range, 15..46);
        let setext = title_heading("Refund policy\n=============\n\nText.\n").unwrap();
        assert_eq!((setext.text.as_str(), setext.range.start), ("Refund policy", 0));
        // A paragraph before it does not matter; a `##` first means there is none.
        assert_eq!(title_heading("![badge](b.svg)\n\n# Title\n").unwrap().text, "Title");
        assert_eq!(title_heading("## Scope\n\n# Late title\n"), None);
        assert_eq!(title_heading("```\n# not a heading\n```\n"), None);
        assert_eq!(title_heading("No headings.\n"), None);
    }

    #[test]
    fn front_matter_fences() {
        let s = split("+++\ntitle = \"x\"\n+++\nbody\n").unwrap().unwrap();
        assert_eq!((s.format, s.text, s.body_start), (Format::Toml, "title = \"x\"\n", 20));
        assert_eq!(split("# Title\n").unwrap(), None);
        assert_eq!(split("").unwrap(), None);
        assert_eq!(
            split("+++\ntitle = 1\n").unwrap_err(),
            "front matter is not closed: add a `+++` line after the last key"
        );
        assert!(split("---\ntitle: x\n+++\n").is_err());
    }

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
}
