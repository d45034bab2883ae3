//! What the pages of one view share, worked out once per view instead of once per
//! page: the base context (site, UI strings, audience) and the site navigation, as data
//! (`nav`) and as HTML rendered once through the `site-nav.html` partial.
//!
//! Navigation links are relative to each page, so one fragment cannot serve every page.
//! The fragment for a page is a pure function of its [`NavKey`]: how many folders deep
//! the page is, how many leading folders it shares with each navigation target, and
//! which targets it is inside (`aria-current`). Pages with the same key get the same
//! bytes, so the fragment is rendered once per key — a handful per site (the home page,
//! each top-level section, each depth below) — and shared. It holds no page's own data.
//!
//! The caches fill lazily on first use, so the pipeline sets a view's flags
//! (`has_reports`, `prefix`, …) before rendering anything of it, as it does.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use serde::Serialize;

use super::view::{Inputs, NavItem, View};
use crate::base::diagnostics::Diagnostics;
use crate::load::audience::Family;
use crate::load::config::Config;
use crate::load::content::Audience;
use crate::markdown::links::relative_url;

/// A view's shared parts (see the module comment). Lives in the [`View`].
#[derive(Default)]
pub(crate) struct Shared {
    base: OnceLock<tera::Context>,
    entries: OnceLock<Vec<Entry>>,
    navs: Mutex<HashMap<NavKey, Nav>>,
    /// How many navigation fragments were rendered (once per distinct key).
    nav_renders: AtomicUsize,
    /// Why a generated page's fragment failed (its context cannot fail, so the error
    /// waits here until [`take_errors`]).
    errors: Mutex<Diagnostics>,
}

/// One item of the site navigation, before it is made relative to a page.
struct Entry {
    title: String,
    /// From the site root (`standards/`; `""` is the home page).
    url: String,
    /// Whether the URL is at the site root rather than in this view's folder (a
    /// release's pages link the root's reports and changelog).
    at_root: bool,
}

/// The site navigation for pages of one [`NavKey`]: the items (for templates that loop
/// over `nav`) and the HTML of `site-nav.html`.
#[derive(Clone)]
pub(super) struct Nav {
    pub(super) items: tera::Value,
    pub(super) html: tera::Value,
}

/// Everything the navigation of a page depends on. `relative_url(from, to)` depends on
/// the number of folders in `from` and on how many leading folders `from` and `to`
/// share; whether an item is current depends on `current` alone. So the depth of the
/// page (in the view, and with the view's folder), one shared-folder count per item and
/// one current flag per item decide every byte of the fragment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct NavKey {
    depth: usize,
    full_depth: usize,
    shared: Vec<usize>,
    current: Vec<bool>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").field("nav_renders", &self.nav_renders()).finish()
    }
}

impl Shared {
    /// How many navigation fragments this view rendered.
    pub(crate) fn nav_renders(&self) -> usize {
        self.nav_renders.load(Ordering::Relaxed)
    }
}

/// The folders of a URL (`standards/a/` → `standards`, `a`).
fn folders(url: &str) -> impl Iterator<Item = &str> {
    url.split('/').filter(|s| !s.is_empty())
}

/// How many leading folders `from` (a page) shares with the folders of `to`, counted as
/// [`relative_url`] counts them (a target's last part after `/` is a file, not a folder).
fn shared_folders(from: &str, to: &str) -> usize {
    let to_dirs = to.rfind('/').map_or("", |i| &to[..i]);
    folders(from).zip(folders(to_dirs)).take_while(|(a, b)| a == b).count()
}

/// The shared part of every page's context: site, UI strings, audience.
pub(super) fn base_context(config: &Config, audience: Audience) -> tera::Context {
    let mut ctx = tera::Context::new();
    #[derive(Serialize)]
    struct Site<'a> {
        title: &'a str,
        language: &'static str,
        /// OpenGraph's form of the language (`zh_CN`).
        locale: String,
        base_url: &'a str,
    }
    let language = config.language.tag();
    let locale = match language {
        "en" => "en_US".to_string(),
        tag => tag.replace('-', "_"),
    };
    ctx.insert("site", &Site { title: &config.title, language, locale, base_url: &config.base_url });
    ctx.insert("ui", &crate::base::i18n::strings(config.language));
    // `audience` is the kind of site (`public`, or `internal` for every tier behind
    // sign-in, so themes need not know the tiers); `tier` names this site's own tier.
    ctx.insert("audience", if audience.is_public() { "public" } else { "internal" });
    ctx.insert("tier", audience.as_str());
    ctx.insert("opensearch", &super::search_page::opensearch_home(config, audience).is_some());
    ctx
}

/// The view's base context, built on first use.
pub(super) fn base<'v>(view: &'v View, inputs: &Inputs) -> &'v tera::Context {
    view.shared.base.get_or_init(|| base_context(inputs.config, view.audience))
}

/// The site's main navigation, from the site root: home, the top-level sections, then
/// the KPI dictionary, performance and report pages where this site has them.
fn entries<'v>(view: &'v View, inputs: &Inputs) -> &'v [Entry] {
    view.shared.entries.get_or_init(|| {
        let ui = inputs.env.ui;
        let entry =
            |title: &str, url: &str, at_root: bool| Entry { title: title.to_string(), url: url.to_string(), at_root };
        let mut items = Vec::new();
        if let Some(&home) = view.sections.get("") {
            items.push(entry(ui.home, &inputs.pages[home].url, false));
        }
        for &s in view.subsections.get("").map(Vec::as_slice).unwrap_or(&[]) {
            items.push(entry(&inputs.pages[s].title, &inputs.pages[s].url, false));
        }
        if !view.kpis.is_empty() {
            items.push(entry(ui.kpi_dictionary, "kpis/", false));
        }
        if view.has_performance {
            items.push(entry(ui.performance, "performance/", true));
        }
        if view.has_changelog {
            items.push(entry(ui.changelog, "changelog/", true));
        }
        if view.has_reports {
            items.push(entry(ui.reports, "reports/", true));
        }
        if view.has_pending_changes {
            items.push(entry(ui.pending_changes, "changes/", true));
        }
        if inputs.config.reports.shown(Family::Governance, view.audience) {
            items.push(entry(ui.governance, "governance/", true));
        }
        if view.has_home() {
            items.push(entry(ui.print, "print/", false));
        }
        items
    })
}

/// Where an entry at the site's root is, from the site's root: in the view's language
/// folder (`en/changelog/`) in a language after the first.
fn at_root(view: &View, e: &Entry) -> String {
    let language = view.alternates.as_ref().map(|a| a.language_folder()).unwrap_or_default();
    format!("{language}{}", e.url)
}

fn is_current(entry: &Entry, current: &str) -> bool {
    if entry.url.is_empty() {
        current.is_empty()
    } else {
        current.starts_with(&entry.url)
    }
}

/// The key of the page at `from` whose current place is `current` (see [`NavKey`]).
fn key(view: &View, entries: &[Entry], from: &str, current: &str) -> NavKey {
    let full = format!("{}{from}", view.prefix);
    NavKey {
        depth: folders(from).count(),
        full_depth: folders(&full).count(),
        shared: entries
            .iter()
            .map(|e| if e.at_root { shared_folders(&full, &at_root(view, e)) } else { shared_folders(from, &e.url) })
            .collect(),
        current: entries.iter().map(|e| is_current(e, current)).collect(),
    }
}

/// The navigation items as seen from the page at `from`, each relative to it; the item
/// whose URL prefixes `current` is marked (home only when `current` is empty). This is
/// the per-page computation the shared fragments stand for.
pub(super) fn nav_items(view: &View, inputs: &Inputs, from: &str, current: &str) -> Vec<NavItem> {
    let full_from = format!("{}{from}", view.prefix);
    entries(view, inputs)
        .iter()
        .map(|e| {
            let href = if e.at_root { relative_url(&full_from, &at_root(view, e)) } else { relative_url(from, &e.url) };
            NavItem { title: e.title.clone(), url: href, current: is_current(e, current) }
        })
        .collect()
}

/// Renders `site-nav.html` for `items` at the page depth that `root` and `home` lead
/// back from.
pub(super) fn render_nav(
    view: &View,
    inputs: &Inputs,
    items: &[NavItem],
    (root, home): (&str, &str),
) -> Result<Nav, Diagnostics> {
    let mut ctx = base(view, inputs).clone();
    ctx.insert("nav", items);
    ctx.insert("root", root);
    ctx.insert("home", home);
    let html = inputs.theme.render("site-nav.html", &ctx)?;
    let html = String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Nav { items: tera::Value::from_serializable(items), html: tera::Value::safe_string(&html) })
}

/// The navigation of the page at `from` (current place `current`): the shared fragment
/// of its key, rendered the first time a page of that key asks.
pub(super) fn nav(view: &View, inputs: &Inputs, from: &str, current: &str) -> Result<Nav, Diagnostics> {
    let key = key(view, entries(view, inputs), from, current);
    let mut navs = view.shared.navs.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(nav) = navs.get(&key) {
        return Ok(nav.clone());
    }
    let items = nav_items(view, inputs, from, current);
    let full = format!("{}{from}", view.prefix);
    let nav = render_nav(view, inputs, &items, (&relative_url(&full, ""), &relative_url(from, "")))?;
    view.shared.nav_renders.fetch_add(1, Ordering::Relaxed);
    navs.insert(key, nav.clone());
    Ok(nav)
}

/// The navigation of the generated page at `url`; when its fragment fails to render,
/// empty HTML and the error kept for [`take_errors`].
pub(super) fn nav_or_record(view: &View, inputs: &Inputs, url: &str) -> Nav {
    nav(view, inputs, url, url).unwrap_or_else(|d| {
        view.shared.errors.lock().unwrap_or_else(|e| e.into_inner()).extend(d);
        let items = nav_items(view, inputs, url, url);
        Nav { items: tera::Value::from_serializable(&items), html: tera::Value::safe_string("") }
    })
}

/// The fragment errors kept for generated pages so far (each once: the same template
/// error repeated by many pages is one diagnostic after sorting).
pub(super) fn take_errors(view: &View) -> Diagnostics {
    std::mem::take(&mut *view.shared.errors.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Puts the navigation into a page's context: `nav` (items) and `site_nav` (HTML).
pub(super) fn insert_nav(ctx: &mut tera::Context, nav: Nav) {
    ctx.insert_value("nav", nav.items);
    ctx.insert_value("site_nav", nav.html);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::files::{OutputFile, Sink};
    use crate::load::content::Page;
    use crate::load::data::Data;

    struct Collect(Mutex<Vec<OutputFile>>);
    impl Sink for Collect {
        fn put(&self, files: Vec<OutputFile>) {
            self.0.lock().unwrap().extend(files);
        }
    }

    /// A site of `n` standards in `standards/`, `n` in `standards/sub/` and `n` roles.
    fn pages(n: usize) -> Vec<Page> {
        let mut files = vec![
            ("_index.md".to_string(), "首页".to_string()),
            ("standards/_index.md".to_string(), "服务标准".to_string()),
            ("standards/sub/_index.md".to_string(), "分项".to_string()),
            ("roles/_index.md".to_string(), "角色".to_string()),
        ];
        for i in 0..n {
            files.push((format!("standards/s{i}.md"), format!("标准 {i}")));
            files.push((format!("standards/sub/t{i}.md"), format!("分项 {i}")));
            files.push((format!("roles/r{i}.md"), format!("角色 {i}")));
        }
        let tiers = crate::load::audience::Tiers::default();
        let mut diags = Diagnostics::new();
        let mut pages: Vec<Page> = files
            .iter()
            .map(|(rel, title)| {
                let text = format!("---\ntitle: {title}\naudience: public\n---\n\n正文。\n");
                crate::load::content::parse_page(rel, &text, &tiers, &mut diags).expect("a page")
            })
            .collect();
        assert!(!diags.has_errors(), "{diags:?}");
        pages.sort_by(|a, b| a.source.cmp(&b.source));
        pages
    }

    /// Renders the public site of [`pages`]`(n)`: its files by path, and how many
    /// navigation fragments it rendered.
    fn render(n: usize) -> (std::collections::BTreeMap<String, String>, usize, Vec<Page>) {
        let pages = pages(n);
        let config = Config::default();
        let data = Data::default();
        let ui = crate::base::i18n::strings(config.language);
        let env = crate::markdown::shortcodes::Env {
            data: &data,
            today: crate::base::date::YearMonth::parse("2026-11").unwrap(),
            ui,
            language: config.language,
        };
        let mut diags = Diagnostics::new();
        let theme = crate::render::theme::load(std::path::Path::new("/nonexistent"), &mut diags).unwrap();
        let outlines = vec![crate::markdown::Outline::default(); pages.len()];
        let bodies = vec!["<p>正文。</p>".to_string(); pages.len()];
        let (citations, history) = (Default::default(), Default::default());
        let inputs = Inputs {
            config: &config,
            pages: &pages,
            outlines: &outlines,
            bodies: &bodies,
            theme: &theme,
            env: &env,
            citations: &citations,
            history: &history,
        };
        let view = View::new(&pages, &data, Audience::PUBLIC);
        let sink = Collect(Mutex::new(Vec::new()));
        let mut files = super::super::pages::site(&view, &inputs, &sink).unwrap();
        files.extend(sink.0.into_inner().unwrap());
        // Each page's navigation, rendered for that page alone, is what the page holds.
        for p in &pages {
            let full = format!("{}index.html", p.url);
            let page = files.iter().find(|f| f.path == format!("public/{full}")).expect("the page");
            let current = if p.kind == crate::load::content::PageKind::Home { "" } else { p.url.as_str() };
            let items = nav_items(&view, &inputs, &p.url, current);
            let home = relative_url(&p.url, "");
            let alone = render_nav(&view, &inputs, &items, (&home, &home)).unwrap();
            let html = String::from_utf8(page.bytes.clone()).unwrap();
            assert!(html.contains(alone.html.as_str().unwrap()), "{full} holds another navigation:\n{html}");
        }
        let renders = view.shared.nav_renders();
        let files = files.into_iter().map(|f| (f.path, String::from_utf8(f.bytes).unwrap_or_default())).collect();
        (files, renders, pages)
    }

    #[test]
    fn navigation_is_rendered_once_per_place_not_once_per_page() {
        let (files, renders, pages) = render(20);
        // Home; the sections `standards/` and `roles/`; their pages (two folders deep,
        // inside `standards` or `roles`); `standards/sub/` and its pages; the search page.
        assert_eq!(renders, 7, "fragments rendered for {} pages", pages.len());
        let nav = &files["public/standards/s3/index.html"];
        assert!(nav.contains(r#"<li><a href="../" aria-current="page">服务标准</a></li>"#), "{nav}");
        assert!(nav.contains(r#"<a href="../../roles/">角色</a>"#), "{nav}");
        // Three times the pages, the same fragments.
        let (_, renders, pages) = render(60);
        assert_eq!((renders, pages.len()), (7, 184));
    }

    #[test]
    fn shared_folders_count_as_relative_url_does() {
        assert_eq!(shared_folders("standards/a/", "standards/"), 1);
        assert_eq!(shared_folders("standards/a/", "roles/"), 0);
        assert_eq!(shared_folders("standards/a/", ""), 0);
        assert_eq!(shared_folders("", "standards/"), 0);
        assert_eq!(shared_folders("2026.1/standards/a/", "2026.1/kpis/x/"), 1);
        // The last part of a target without a trailing `/` is a file, not a folder.
        assert_eq!(shared_folders("standards/a/", "standards"), 0);
        assert_eq!(shared_folders("standards/a/", "standards/a/b.css"), 2);
    }
}
