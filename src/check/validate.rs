//! Checks between pages: unique ids, owners and reporting lines that name real roles,
//! sections that publish the pages inside them (through `check::sections`), and what
//! pages show from the service data. Links are checked in `links`.
//!
//! Pure functions over the loaded pages and their outlines; they report into
//! [`Diagnostics`] and return lookup tables. Nothing here reads files or renders.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::base::diagnostics::{par_map_with, Diagnostics, Pos, Positions, Unknown};
use crate::base::i18n::Language;
use crate::base::paths;
use crate::load::content::{Audience, Page, PageKind, Status};
use crate::load::data::{Data, Form};
use crate::load::translations::PageLang;
use crate::markdown::data_words::missing_words;
use crate::markdown::shortcodes::{self, Use};
use crate::markdown::Outline;

/// Lookups from id and from source path (under `content/`) to page index.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) by_id: BTreeMap<String, usize>,
    pub(crate) by_rel: BTreeMap<String, usize>,
    /// Page address (`standards/faq/`) → page index; the first page wins.
    pub(crate) by_url: BTreeMap<String, usize>,
    /// A moved page's old address (`aliases:`, `standards/old-name/`) → page index, so
    /// that links written before the move lead to the page itself.
    pub(crate) by_alias: BTreeMap<String, usize>,
}

impl Index {
    /// The index page of the section (folder under `content/`, `""` for the root):
    /// its `_index.md`, the `README.md` or `index.md` standing for it, or the page
    /// Charter generates. A section's index is the page at the folder's address.
    pub(crate) fn section(&self, pages: &[Page], dir: &str) -> Option<usize> {
        let url = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        self.by_url.get(&url).copied().filter(|&i| pages[i].is_index())
    }
}

/// Whether `page` is published in the site for `audience`. Drafts never are; the
/// public site has public pages only.
pub(crate) fn published_in(page: &Page, audience: Audience) -> bool {
    page.status != Status::Draft && audience.reads(page.audience)
}

/// Validates ids, owners, reporting lines and sections ([`super::sections::check`]).
pub(crate) fn pages(pages: &[Page], diags: &mut Diagnostics) -> Index {
    let mut index = Index::default();
    for (i, p) in pages.iter().enumerate() {
        index.by_rel.insert(p.rel.clone(), i);
        index.by_url.entry(p.url.clone()).or_insert(i);
        for a in &p.aliases {
            index.by_alias.entry(a.path.clone()).or_insert(i);
        }
        check_id(p, diags);
        match index.by_id.get(&p.id.value) {
            Some(&first) => {
                let pos = if p.explicit_id { p.id.pos } else { Pos::new(1, 1) };
                let how = if p.explicit_id { "" } else { " (derived from the file name)" };
                diags.error(
                    &p.source,
                    pos,
                    "duplicate-id",
                    format!("duplicate page id `{}`{how}: {} already uses it", p.id.value, pages[first].source),
                );
                diags.with_help("ids must be unique across the site; set a different `id:` in the front matter");
            }
            None => {
                index.by_id.insert(p.id.value.clone(), i);
            }
        }
    }
    let roles: Vec<&str> = pages.iter().filter(|p| p.kind == PageKind::Role).map(|p| p.id.value.as_str()).collect();
    for p in pages {
        if let Some(owner) = &p.owner {
            let known = Roles { pages, index: &index, roles: &roles };
            known.check(p, RoleRef { key: "owner", value: &owner.value, pos: owner.pos, code: "unknown-owner" }, diags);
        }
        if let Some(boss) = &p.reports_to {
            if boss.value == p.id.value {
                diags.error(
                    &p.source,
                    boss.pos,
                    "reporting-cycle",
                    format!("role `{}` cannot report to itself", p.id.value),
                );
            } else {
                let known = Roles { pages, index: &index, roles: &roles };
                let r = RoleRef { key: "reports_to", value: &boss.value, pos: boss.pos, code: "unknown-role" };
                known.check(p, r, diags);
            }
        }
    }
    super::sections::check(pages, &index, diags);
    check_reporting_cycles(pages, &index, diags);
    index
}

/// Ids appear in messages, cross references and output folders; keep them to one plain
/// word. The file's own name (or, for a section index, its folder's) becomes a folder
/// of the site too; each folder is checked once, through its index page. An id derived
/// from a bad file name is reported once, as the file name.
fn check_id(p: &Page, diags: &mut Diagnostics) {
    let stem = p.rel.strip_suffix(".md").unwrap_or(&p.rel);
    let named = match stem.rsplit_once('/') {
        Some((folder, "_index")) => Some(folder.rsplit('/').next().unwrap_or(folder)),
        Some((_, file)) => Some(file),
        None if stem == "_index" => None,
        None => Some(stem),
    };
    if let Some((name, Err(why))) = named.map(|n| (n, paths::check_segment(n))) {
        let what = if stem.ends_with("_index") { "folder" } else { "file" };
        diags.error(
            &p.source,
            Pos::FILE,
            "bad-path",
            format!("the {what} name `{name}` cannot name a folder of the site: {why}"),
        );
        diags.with_help(format!("rename the {what}"));
        if !p.explicit_id {
            return;
        }
    }
    let id = &p.id.value;
    let bad = id.is_empty()
        || id.chars().any(|c| c.is_whitespace() || c.is_control() || "/\\#?%\"'<>".contains(c))
        || id.starts_with('.');
    if bad {
        diags.error(
            &p.source,
            p.id.pos,
            "bad-id",
            format!("page id `{id}` must be one word without spaces, slashes, quotes or `#?%<>`"),
        );
    } else if let Err(why) = paths::check_segment(id) {
        diags.error(&p.source, p.id.pos, "bad-id", format!("page id `{id}` cannot name a folder of the site: {why}"));
    }
}

/// The role documents a page may name, with the index that finds them.
struct Roles<'a> {
    pages: &'a [Page],
    index: &'a Index,
    roles: &'a [&'a str],
}

/// A page's reference to a role (`owner`, `reports_to`), where it stands and the
/// diagnostic code for a wrong one.
struct RoleRef<'a> {
    key: &'a str,
    value: &'a str,
    pos: Pos,
    code: &'static str,
}

impl Roles<'_> {
    /// Checks that `r`, written in page `p`, names a role document published as
    /// widely as `p` is.
    fn check(&self, p: &Page, r: RoleRef, diags: &mut Diagnostics) {
        let Roles { pages, index, roles } = *self;
        let RoleRef { key, value, pos, code } = r;
        match index.by_id.get(value) {
            Some(&i) if pages[i].kind == PageKind::Role => {
                let target = &pages[i];
                if target.status == Status::Draft && p.status != Status::Draft {
                    diags.error(
                        &p.source,
                        pos,
                        code,
                        format!("`{key}` names role `{value}`, which is a draft and never published"),
                    );
                }
            }
            Some(&i) => {
                diags.error(
                    &p.source,
                    pos,
                    code,
                    format!(
                        "`{key}` must name a role document, but `{value}` is {} (not under content/roles/)",
                        pages[i].source
                    ),
                );
            }
            None => {
                let why = Some("there is no role document with that id");
                let u = Unknown { code, what: key, id: value, field: None, why };
                if !diags.unknown(&p.source, pos, u, roles.iter().copied()) {
                    if roles.is_empty() {
                        diags.with_help("add a role document under content/roles/");
                    } else {
                        diags.with_help(format!("roles: {}", roles.join(", ")));
                    }
                }
            }
        }
    }
}

fn check_reporting_cycles(pages: &[Page], index: &Index, diags: &mut Diagnostics) {
    for p in pages.iter().filter(|p| p.kind == PageKind::Role) {
        let mut seen = vec![p.id.value.as_str()];
        let mut cur = p;
        while let Some(boss) = cur.reports_to.as_ref().and_then(|b| index.by_id.get(&b.value)).map(|&i| &pages[i]) {
            if boss.kind != PageKind::Role {
                break;
            }
            if boss.id.value == p.id.value {
                if seen.len() > 1 {
                    let chain = seen.iter().chain([&p.id.value.as_str()]).copied().collect::<Vec<_>>().join(" → ");
                    let pos = p.reports_to.as_ref().map_or(Pos::new(1, 1), |b| b.pos);
                    diags.error(&p.source, pos, "reporting-cycle", format!("reporting lines form a cycle: {chain}"));
                }
                break;
            }
            if seen.contains(&boss.id.value.as_str()) {
                break;
            }
            seen.push(boss.id.value.as_str());
            cur = boss;
        }
    }
}

/// Checks what pages show from the service data: every shortcode (name, arguments,
/// the ids it names, and that a public page shows only public KPIs and scorecards),
/// front-matter `kpis`, unfilled `[X]` blanks (an error on published public pages, a
/// warning elsewhere), tables that render as paragraphs of pipes (a warning) and
/// numbers typed by hand that a parameter defines (a warning).
/// Returns each page's checked shortcode uses, in order.
/// A translation that shows a datum without a form in its language is an error at the
/// datum ([`missing_forms`]).
pub(crate) fn data_refs(pages: &[Page], outlines: &[Outline], data: &Data, diags: &mut Diagnostics) -> Vec<Vec<Use>> {
    // Each page on its own, its diagnostics merged in page order.
    let uses = par_map_with(pages.par_iter().zip(outlines), diags, |(p, o), own| page_data_refs(p, o, data, own));
    missing_forms(pages, &uses, data, diags);
    uses
}

/// The language of the words a page is written in, whose forms of the data's words
/// its shortcodes show: a translation's language; `None` for the default language
/// (the default's pages, and pages shown untranslated in another language's site).
pub(crate) fn words_language(p: &Page) -> Option<Language> {
    match &p.lang {
        PageLang::Translated { language, .. } => Some(*language),
        PageLang::Source | PageLang::Fallback { .. } | PageLang::Elsewhere { .. } => None,
    }
}

/// Reports each field of the data that translations show but that has no form in
/// their language: one error per datum, field and language, at the field in the data
/// file, naming the first page that shows it and how many others do. (The default
/// language's form is always there: loading requires it.)
pub(crate) fn missing_forms(pages: &[Page], uses: &[Vec<Use>], data: &Data, diags: &mut Diagnostics) {
    type Key<'a> = (&'static str, Pos, String, &'static str, Language);
    // (file, field position, datum, field, language) → the field's default form and
    // the pages showing it, in page order.
    let mut missing: BTreeMap<Key, (&Form, Vec<&str>)> = BTreeMap::new();
    for (p, us) in pages.iter().zip(uses) {
        let Some(language) = words_language(p) else { continue };
        for shown in us.iter().flat_map(|u| missing_words(u, data, language)) {
            let key = (shown.file, shown.words.pos, shown.what, shown.key, language);
            let (_, pages) = missing.entry(key).or_insert((&shown.words.forms[0], Vec::new()));
            if pages.last() != Some(&p.source.as_str()) {
                pages.push(&p.source);
            }
        }
    }
    for ((file, pos, what, key, language), (default, pages)) in missing {
        let tag = language.tag();
        let shows = match pages.len() {
            1 => format!("which {} shows", pages[0]),
            2 => format!("which {} and 1 other page show", pages[0]),
            n => format!("which {} and {} other pages show", pages[0], n - 1),
        };
        diags.error(file, pos, "missing-form", format!("{what} has no `{tag}` form of `{key}`, {shows}"));
        // The default's words as they are, when short enough to copy.
        let short = default.text.chars().count() <= 20 && !default.text.contains('\n');
        let words = if short { default.text.as_str() } else { "…" };
        let was = default.language.tag();
        diags.with_help(format!("add the `{tag}` words: `{key}: {{{was}: {words}, {tag}: …}}`"));
    }
}

/// [`data_refs`] for one page.
pub(crate) fn page_data_refs(p: &Page, o: &Outline, data: &Data, diags: &mut Diagnostics) -> Vec<Use> {
    // Only what customers read is held to the public data: a draft is checked as staff
    // read it.
    let published_public = p.status != Status::Draft && p.audience.is_public();
    let audience = if published_public { Audience::PUBLIC } else { p.audience.max(Audience::INTERNAL) };
    let mut uses = Vec::new();
    let mut at = Positions::new(&p.body, p.body_line);
    for sc in &o.shortcodes {
        let pos = at.at(sc.offset);
        let checked = sc.call.as_ref().map_err(|msg| shortcodes::Problem {
            code: "shortcode-syntax",
            message: format!("malformed shortcode: {msg}"),
            help: None,
        });
        match checked.and_then(shortcodes::check) {
            Ok(u) => {
                let problems = shortcodes::validate(&u, data, audience);
                if problems.is_empty() {
                    uses.push(u);
                }
                for pr in problems {
                    diags.error(&p.source, pos, pr.code, pr.message);
                    if let Some(h) = pr.help {
                        diags.with_help(h);
                    }
                }
            }
            Err(pr) => {
                diags.error(&p.source, pos, pr.code, pr.message);
                if let Some(h) = pr.help {
                    diags.with_help(h);
                }
            }
        }
    }
    for k in &p.kpis {
        match data.kpis.get(&k.value) {
            None => {
                let why = Some("it is not defined in data/kpis.yaml");
                let u = Unknown { code: "unknown-kpi", what: "KPI", id: &k.value, field: Some("kpis"), why };
                diags.unknown(&p.source, k.pos, u, data.kpis.keys().map(String::as_str));
            }
            Some(kpi) if published_public && !kpi.public => {
                diags.error(
                    &p.source,
                    k.pos,
                    "public-shows-internal",
                    format!("public page cites KPI `{}`, which is not public", k.value),
                );
            }
            Some(_) => {}
        }
    }
    let mut at = Positions::new(&p.body, p.body_line);
    for &b in &o.blanks {
        let pos = at.at(b);
        let msg = "unfilled blank: replace it with the number, ideally a parameter: {{ param(id=\"…\") }}";
        if published_public {
            diags.error(&p.source, pos, "unfilled-blank", format!("public page has an {msg}"));
        } else {
            diags.warning(&p.source, pos, "unfilled-blank", format!("page has an {msg}"));
        }
    }
    let mut at = Positions::new(&p.body, p.body_line);
    for &(offset, tool) in &o.foreign_shortcodes {
        let what = if tool == "mdBook" { "an mdBook directive" } else { "a Hugo shortcode" };
        diags.warning(
            &p.source,
            at.at(offset),
            "foreign-shortcode",
            format!("{what} is not read by Charter: it would show as text"),
        );
        diags.with_help(
            "write it as markdown (an image as `![text](file.png)`, a note as `> [!NOTE]`, an include as a link), \
             or use a Charter shortcode `{{ name(…) }}` (see Shortcodes in the README)",
        );
    }
    let mut at = Positions::new(&p.body, p.body_line);
    for t in crate::markdown::broken_tables(&p.body) {
        diags.warning(
            &p.source,
            at.at(t.offset),
            "broken-table",
            "this table does not render as a table: readers see its pipes",
        );
        diags.with_help(t.help);
    }
    let mut at = Positions::new(&p.body, p.body_line);
    for (offset, text, ids) in &o.typed_numbers {
        let list = ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" or ");
        diags.warning(
            &p.source,
            at.at(*offset),
            "hand-typed-number",
            format!("`{text}` is typed by hand but parameter {list} defines it"),
        );
        diags.with_help(format!(
            "write {{{{ param(id=\"{}\") }}}} so the number stays in sync with data/params.yaml",
            ids[0]
        ));
    }
    uses
}

/// KPI id → indices of the pages that cite it (through shortcodes or `kpis:`), in page order.
pub(crate) fn kpi_citations(pages: &[Page], uses: &[Vec<Use>], data: &Data) -> BTreeMap<String, Vec<usize>> {
    let mut out: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (p, us)) in pages.iter().zip(uses).enumerate() {
        let cited = p.kpis.iter().map(|k| k.value.clone()).chain(us.iter().flat_map(|u| u.cited_kpis(data)));
        for k in cited {
            let list = out.entry(k).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::test_support::one;
    use crate::markdown::{outline, Hooks};

    /// Page `rel` with `body`, read in `language` (a translation) or the default.
    fn page(rel: &str, body: &str, language: Option<Language>) -> Page {
        let (p, _) = one(rel, &format!("---\ntitle: T\naudience: public\n---\n{body}"));
        let mut p = p.unwrap();
        if let Some(language) = language {
            let of = p.source.clone();
            p.source = of.replace(".md", &format!(".{}.md", language.tag()));
            p.lang = PageLang::Translated { language, of, translates: None, stale: false };
        }
        p
    }

    fn check(pages: &[Page]) -> Vec<String> {
        let data = crate::markdown::data_words::tests::two_language_data();
        let hooks = Hooks { plain: &|_| String::new(), numbers: None };
        let outlines: Vec<_> = pages.iter().map(|p| outline(&p.body, &hooks)).collect();
        let mut d = Diagnostics::new();
        data_refs(pages, &outlines, &data, &mut d);
        d.into_sorted()
            .iter()
            .map(|d| {
                let help = d.help.as_deref().map_or_else(String::new, |h| format!(" (help: {h})"));
                format!("{}:{}:{} {}{help}", d.path, d.pos.line, d.pos.col, d.message)
            })
            .collect()
    }

    #[test]
    fn a_missing_form_is_one_error_at_the_datum_naming_the_first_page() {
        let en = Some(Language::En);
        let pages = [
            // The default language's pages show the default words: nothing missing.
            page("standards/a.md", "{{ param(id=\"queue\") }} {{ kpi(id=\"hours\") }}\n", None),
            page("standards/b.md", "{{ param(id=\"queue\") }} and {{ param(id=\"queue\") }}\n", en),
            page("standards/c.md", "{{ params_table(ids=[\"queue\", \"reply\"]) }}\n", en),
            page("standards/d.md", "{{ param(id=\"queue\") }} {{ kpi_table(scorecard=\"card\") }}\n", en),
            page("standards/e.md", "{{ param(id=\"reply\") }} {{ kpi(id=\"sat\") }}\n", en),
        ];
        assert_eq!(
            check(&pages),
            [
                "data/kpis.yaml:2:21 KPI `hours` has no `en` form of `name`, which content/standards/d.en.md shows \
                 (help: add the `en` words: `name: {zh-CN: 响应时长, en: …}`)",
                "data/params.yaml:1:117 parameter `reply` has no `en` form of `description`, which \
                 content/standards/c.en.md shows (help: add the `en` words: `description: {zh-CN: 退换货, en: …}`)",
                "data/params.yaml:3:26 parameter `queue` has no `en` form of `unit`, which content/standards/b.en.md \
                 and 2 other pages show (help: add the `en` words: `unit: {zh-CN: 分钟, en: …}`)",
            ]
        );
        // Shown only by pages in the default language, nothing is missing.
        assert!(check(&pages[..1]).is_empty());
        let two = [pages[1].clone(), pages[3].clone()];
        assert!(check(&two)[1].contains("which content/standards/b.en.md and 1 other page show"), "{:?}", check(&two));
    }

    /// The example site is to read in English with no Chinese data words: every word
    /// of the data its public pages show (the English translations keep the sources'
    /// shortcodes) and its public KPIs' dictionary words have an English form.
    #[test]
    fn the_example_data_speaks_english_wherever_the_public_site_shows_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut d = Diagnostics::new();
        let config = crate::load::config::load(root, &mut d);
        assert!(config.languages.contains(&Language::En), "charter.yaml lists `en`");
        let mut content = crate::load::content::load_in(root, &config.audiences, &config.languages, &mut d);
        let day = crate::base::date::Date::parse("2026-12-01").unwrap();
        let data = crate::load::data::load_in(root, &content.role_ids(), (day, &config.languages), &mut d);
        assert!(!d.has_errors(), "{:?}", d.into_sorted());
        content.pages.retain(|p| p.audience.is_public() && p.status != Status::Draft);
        for p in &mut content.pages {
            p.lang =
                PageLang::Translated { language: Language::En, of: p.source.clone(), translates: None, stale: false };
        }
        let hooks = Hooks { plain: &|_| String::new(), numbers: None };
        let outlines: Vec<_> = content.pages.iter().map(|p| outline(&p.body, &hooks)).collect();
        let mut found = Diagnostics::new();
        let uses = data_refs(&content.pages, &outlines, &data, &mut found);
        assert!(uses.iter().flatten().count() > 50, "the public pages show data");
        let errors: Vec<_> = found.into_sorted().into_iter().filter(|d| d.code == "missing-form").collect();
        assert!(errors.is_empty(), "{errors:#?}");
        for k in data.kpis.values().filter(|k| k.public) {
            for key in ["name", "definition", "unit"] {
                assert_eq!(k.words.missing(key, Language::En), None, "KPI `{}` `{key}`", k.id);
            }
        }
        for card in data.scorecards.iter().filter(|c| c.public) {
            assert_eq!(card.words.missing("name", Language::En), None, "scorecard `{}`", card.id);
        }
    }
}
