//! Page contexts and the HTML of every content page of a view (home, sections,
//! standards, roles, 404, search results), rendered through the theme and handed to the sink in
//! batches. It never writes files and never looks past its view.

use rayon::prelude::*;
use serde::Serialize;

use super::kpis::kpi_page;
use super::meta;
use super::shared;
use super::view::{Inputs, Link, View};
use crate::base::diagnostics::Diagnostics;
use crate::base::files::{OutputFile, PageText, Sink};
use crate::load::content::{Audience, Page, PageKind, Status};
use crate::markdown::links::{relative_url, root_prefix};
use crate::markdown::shortcodes::scorecard_table;
use crate::markdown::{self, TocEntry};

#[derive(Serialize)]
pub(super) struct Item {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) summary: Option<String>,
    pub(super) status: &'static str,
    pub(super) is_internal: bool,
    pub(super) effective: Option<String>,
    pub(super) count: Option<String>,
}

#[derive(Serialize)]
pub(super) struct PageContext<'a> {
    pub(super) title: &'a str,
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    pub(super) is_internal: bool,
    /// The page's tier when it is above `internal` (`managers`): its readers are told
    /// not to pass it on.
    pub(super) restricted_to: Option<&'static str>,
    pub(super) effective: Option<String>,
    pub(super) review_by: Option<String>,
    pub(super) summary: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) duties: &'a [String],
    pub(super) content: &'a str,
    pub(super) toc: Vec<TocEntry>,
    pub(super) owner: Option<Link>,
    pub(super) reports_to: Option<Link>,
    /// The page's own keys (`extra:` in its front matter).
    pub(super) extra: &'a serde_json::Value,
}

pub(super) fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::Section => "section",
        PageKind::Standard => "standard",
        PageKind::Role => "role",
        PageKind::Page => "page",
    }
}

pub(super) fn template_for(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home.html",
        PageKind::Section => "section.html",
        PageKind::Role => "role.html",
        PageKind::Standard | PageKind::Page => "page.html",
    }
}

/// Pages rendered per task: each batch goes to the sink, and is dropped, as a whole.
pub(super) const BATCH: usize = 64;

/// Renders every page of `view`, plus the 404 page and the theme's assets, into files
/// under `<audience>/`. Pages render in parallel and go to `sink` in batches as they are
/// done (so a large site is never held in memory); the other files are returned, sorted
/// by path.
pub(crate) fn site(view: &View, inputs: &Inputs, sink: &dyn Sink) -> Result<Vec<OutputFile>, Diagnostics> {
    let base = shared::base(view, inputs);
    let dir = view.audience.as_str();
    let diags = std::sync::Mutex::new(Diagnostics::new());
    view.pages.par_chunks(BATCH).for_each(|batch| {
        let mut files = Vec::with_capacity(batch.len());
        for &i in batch {
            match render_page(view, inputs, base, i) {
                Ok(file) => {
                    let text = page_text(inputs, i, &file.bytes);
                    files.push((file, text));
                }
                Err(d) => diags.lock().unwrap_or_else(|e| e.into_inner()).extend(d),
            }
        }
        sink.put_pages(files);
    });
    let mut diags = diags.into_inner().unwrap_or_else(|e| e.into_inner());
    diags.extend(shared::take_errors(view));
    let mut files = Vec::new();
    if view.prefix.is_empty() {
        match not_found_page(view, inputs, base) {
            Ok(f) => files.push(f),
            Err(d) => diags.extend(d),
        }
    }
    // A site with no page has nothing to search.
    if !view.pages.is_empty() {
        match super::search_page::results_page(view, inputs) {
            Ok(f) => files.push(f),
            Err(d) => diags.extend(d),
        }
        files.extend(super::search_page::opensearch(view, inputs));
    }
    if !view.kpis.is_empty() {
        let kpi_results: Vec<Result<OutputFile, Diagnostics>> = std::iter::once(None)
            .chain(view.kpis.iter().map(|k| Some(*k)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|kpi| kpi_page(view, inputs, kpi))
            .collect();
        for r in kpi_results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => diags.extend(d),
            }
        }
    }
    diags.extend(shared::take_errors(view));
    if !diags.is_empty() {
        return Err(diags);
    }
    if view.prefix.is_empty() {
        // Each asset under its fingerprinted name, which the built-in theme links, and
        // under its plain name for templates that name it directly.
        for (name, bytes) in &inputs.theme.assets {
            files.push(OutputFile { path: format!("{dir}/{name}"), bytes: bytes.clone() });
            let fingerprinted = &inputs.theme.asset_names[name];
            files.push(OutputFile { path: format!("{dir}/{fingerprinted}"), bytes: bytes.clone() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Renders page `i` of `view` alone, exactly as [`site`] renders it (for `charter
/// serve`, which re-renders an edited page without its site).
pub(crate) fn page(view: &View, inputs: &Inputs, i: usize) -> Result<OutputFile, Diagnostics> {
    render_page(view, inputs, shared::base(view, inputs), i)
}

pub(super) fn render_page(
    view: &View,
    inputs: &Inputs,
    base: &tera::Context,
    i: usize,
) -> Result<OutputFile, Diagnostics> {
    let page = &inputs.pages[i];
    let ctx = page_context(view, inputs, base, i)?;
    let bytes = inputs.theme.render(template_for(page.kind), &ctx)?;
    Ok(OutputFile { path: format!("{}/{}{}index.html", view.audience.as_str(), view.prefix, page.url), bytes })
}

/// The search text of page `i`'s body from the markdown pass, with where the theme put
/// the body in the page's `bytes` (its first copy: the reader takes the text there in
/// place of the HTML only where that reads the same). `None` without a text, for an
/// empty body, or when the theme did not put the body's HTML in as it is.
fn page_text(inputs: &Inputs, i: usize, bytes: &[u8]) -> Option<PageText> {
    let body = inputs.outlines.get(i)?.text.as_ref()?;
    let html = inputs.bodies[i].as_bytes();
    if html.is_empty() {
        return None;
    }
    // Found by its first bytes (a long needle costs more to prepare than to compare).
    let finder = memchr::memmem::Finder::new(&html[..html.len().min(64)]);
    let at = finder.find_iter(bytes).find(|&at| bytes[at..].starts_with(html))?;
    Some(PageText { at: at..at + html.len(), body: body.clone() })
}

pub(super) fn link_to(from: &Page, to: &Page) -> Link {
    Link { title: to.title.clone(), url: relative_url(&from.url, &to.url) }
}

pub(super) fn item(view: &View, from: &Page, to: &Page, ui: &crate::base::i18n::Ui) -> Item {
    let count = to.is_index().then(|| {
        let n = view.children.get(to.section.as_str()).map_or(0, Vec::len);
        ui.pages_count.replace("{n}", &n.to_string())
    });
    Item {
        title: to.title.clone(),
        url: relative_url(&from.url, &to.url),
        summary: to.summary.clone(),
        status: to.status.as_str(),
        is_internal: !view.audience.is_public() && !to.audience.is_public(),
        effective: to.effective.map(|d| d.to_string()),
        count,
    }
}

pub(super) fn page_context(
    view: &View,
    inputs: &Inputs,
    base: &tera::Context,
    i: usize,
) -> Result<tera::Context, Diagnostics> {
    let page = &inputs.pages[i];
    let ui = inputs.env.ui;
    let mut ctx = base.clone();
    insert_chrome(&mut ctx, view, inputs, &page.url);
    let notice = inputs.env.ui.changed_notice.replace("{v}", view.newest_release.as_deref().unwrap_or(""));
    ctx.insert("changed", &view.changed.get(&i).map(|u| Link { title: notice, url: relative_url(&page.url, u) }));
    let superseded = view
        .versioning
        .as_ref()
        .filter(|v| v.this < v.newest() && page.kind == PageKind::Standard)
        .map(|v| v.dates[v.this + 1].to_string());
    ctx.insert("superseded_on", &superseded);

    let owner = page.owner.as_ref().and_then(|o| view.role(&o.value)).map(|r| link_to(page, r));
    let reports_to = page.reports_to.as_ref().and_then(|b| view.role(&b.value)).map(|r| link_to(page, r));
    ctx.insert(
        "page",
        &PageContext {
            title: &page.title,
            id: &page.id.value,
            kind: kind_name(page.kind),
            status: page.status.as_str(),
            is_internal: !view.audience.is_public() && !page.audience.is_public(),
            restricted_to: (page.audience > Audience::INTERNAL).then(|| page.audience.as_str()),
            effective: page.effective.map(|d| d.to_string()),
            review_by: page.review_by.map(|d| d.to_string()),
            summary: page.summary.as_deref(),
            tags: &page.tags,
            duties: &page.duties,
            content: &inputs.bodies[i],
            toc: markdown::toc(&inputs.outlines[i].headings),
            owner,
            reports_to,
            extra: &page.extra,
        },
    );

    let history = super::history::page_history(view, inputs, page);
    // The day it last changed: from history (git, else `effective`), else — in a
    // release — the release's day, as the chrome set it.
    if history.updated.is_some() {
        ctx.insert("modified", &history.updated);
    }
    ctx.insert("history", &history);
    ctx.insert(
        "description",
        &meta::description(page.summary.as_deref(), &inputs.bodies[i]).unwrap_or_else(|| page.title.clone()),
    );
    ctx.insert("og_type", if page.kind == PageKind::Home { "website" } else { "article" });

    let current = if page.kind == PageKind::Home { "" } else { page.url.as_str() };
    shared::insert_nav(&mut ctx, shared::nav(view, inputs, &page.url, current)?);

    // Breadcrumbs: the published sections above this page, home first.
    let mut crumbs = Vec::new();
    let mut section = page.parent_section();
    while let Some(dir) = section {
        match view.sections.get(dir.as_str()) {
            Some(&s) => {
                crumbs.push(link_to(page, &inputs.pages[s]));
                section = inputs.pages[s].parent_section();
            }
            None => break,
        }
    }
    crumbs.reverse();
    ctx.insert("breadcrumbs", &crumbs);

    // Section lists for index pages.
    let (children, subsections) = if page.is_index() {
        let c: Vec<Item> = view
            .children
            .get(page.section.as_str())
            .into_iter()
            .flatten()
            .map(|&c| item(view, page, &inputs.pages[c], ui))
            .collect();
        let s: Vec<Item> = view
            .subsections
            .get(&page.section)
            .into_iter()
            .flatten()
            .map(|&c| item(view, page, &inputs.pages[c], ui))
            .collect();
        (c, s)
    } else {
        (Vec::new(), Vec::new())
    };
    ctx.insert("children", &children);
    ctx.insert("subsections", &subsections);

    // Previous / next among the pages of the same section.
    let (mut prev, mut next) = (None, None);
    if !page.is_index() {
        if let Some(siblings) = view.children.get(page.section.as_str()) {
            if let Some(&pos) = view.sibling_pos.get(&i) {
                prev = pos.checked_sub(1).map(|p| link_to(page, &inputs.pages[siblings[p]]));
                next = siblings.get(pos + 1).map(|&n| link_to(page, &inputs.pages[n]));
            }
        }
    }
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);

    // Role pages: what the role owns and who reports to it.
    let owned: Vec<Item> = view
        .owned
        .get(page.id.value.as_str())
        .into_iter()
        .flatten()
        .map(|&o| item(view, page, &inputs.pages[o], ui))
        .collect();
    let reports: Vec<Link> = view
        .reports
        .get(page.id.value.as_str())
        .into_iter()
        .flatten()
        .map(|&r| link_to(page, &inputs.pages[r]))
        .collect();
    ctx.insert("owned", &owned);
    ctx.insert("reports", &reports);

    // Role pages: the scorecards this role is assessed by, with targets in force.
    let scorecards: Vec<ScorecardBlock> = if page.kind == PageKind::Role {
        view.scorecards
            .iter()
            .filter(|s| s.roles.iter().any(|r| r.value == page.id.value))
            .map(|s| ScorecardBlock {
                name: s.name_in(inputs.env.language).to_string(),
                html: scorecard_table(s, inputs.env, &page.url),
            })
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("scorecards", &scorecards);
    Ok(ctx)
}

#[derive(Serialize)]
pub(super) struct ScorecardBlock {
    pub(super) name: String,
    pub(super) html: String,
}

#[derive(Serialize)]
pub(super) struct SwitchItem {
    pub(super) name: String,
    pub(super) date: String,
    pub(super) url: String,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct VersionContext {
    pub(super) name: String,
    pub(super) date: String,
    pub(super) is_old: bool,
    pub(super) notice: String,
    pub(super) current_url: String,
    pub(super) list_url: String,
    pub(super) switcher: Vec<SwitchItem>,
}

/// What every page of a view needs besides its own content: the way back to the site
/// root (assets) and to this version's home, and — for a release — the version
/// switcher, the old-version banner, the canonical link and `noindex`.
fn insert_chrome(ctx: &mut tera::Context, view: &View, inputs: &Inputs, url: &str) {
    let full = format!("{}{url}", view.prefix);
    ctx.insert("root", &root_prefix(&full));
    ctx.insert("home", &relative_url(url, ""));
    let addresses = meta::addresses(inputs.config, view.audience, (&view.prefix, url), view.versioning.as_ref());
    let mut noindex = false;
    let mut version = None;
    // The public site's releases feed, for feed readers to find from any page.
    let feed = (view.audience == Audience::PUBLIC && view.has_changelog).then(|| relative_url(&full, "feed.xml"));
    ctx.insert("atom_feed", &feed);
    ctx.insert("og_url", &addresses.own);
    ctx.insert("og_type", "article");
    // Generated pages of a release changed last when it was made.
    ctx.insert("modified", &view.versioning.as_ref().map(|v| v.dates[v.this].to_string()));
    if let Some(v) = &view.versioning {
        let ui = inputs.env.ui;
        let newest = v.newest();
        let current_full = v.target(newest, url);
        noindex = !v.at_root;
        let is_old = v.this != newest;
        let notice = if is_old {
            ui.old_version_notice.replace("{v}", &v.names[v.this]).replace("{date}", &v.dates[v.this + 1].to_string())
        } else {
            String::new()
        };
        version = Some(VersionContext {
            name: v.names[v.this].clone(),
            date: v.dates[v.this].to_string(),
            is_old,
            notice,
            current_url: relative_url(&full, &current_full),
            list_url: relative_url(&full, &format!("{}versions/", v.root)),
            switcher: (0..v.names.len())
                .rev()
                .map(|j| SwitchItem {
                    name: v.names[j].clone(),
                    date: v.dates[j].to_string(),
                    url: relative_url(&full, &v.target(j, url)),
                    current: j == v.this,
                })
                .collect(),
        });
    }
    ctx.insert("canonical", &addresses.canonical);
    ctx.insert("noindex", &noindex);
    ctx.insert("version", &version);
    insert_languages(ctx, (view, view.alternates.as_ref()), inputs, url);
}

/// The language switcher and `hreflang` alternates of the page at `url`, and — for a
/// page shown untranslated — its notice, with its canonical address the original's.
fn insert_languages(
    ctx: &mut tera::Context,
    (view, a): (&View, Option<&super::Alternates>),
    inputs: &Inputs,
    url: &str,
) {
    let Some(a) = a else {
        ctx.insert("languages", &Vec::<super::languages::Switch>::new());
        ctx.insert("alternates", &Vec::<super::languages::Alternate>::new());
        ctx.insert("untranslated", &None::<super::languages::Untranslated>);
        return;
    };
    let site = inputs.config.site_url(view.audience);
    let base = if site.contains("://") { site } else { "" };
    ctx.insert("languages", &a.switcher(url));
    ctx.insert("alternates", &a.hreflang(url, base));
    let ui = inputs.env.ui;
    ctx.insert("untranslated", &a.untranslated(url, (ui.untranslated_notice, ui.stale_notice)));
    // A current page shown untranslated names its original as its address (an old
    // release's page keeps pointing at the current page in its language).
    let current = view.versioning.as_ref().is_none_or(|v| v.this == v.newest());
    if current && !base.is_empty() && a.original(url, base).is_some() {
        ctx.insert("canonical", &format!("{base}{url}"));
    }
}

/// Title and summary of a page Charter generates (reports, changelog, print, KPI
/// dictionary), as templates read them from `page`.
#[derive(Serialize)]
pub(super) struct PageTitle<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) status: &'static str,
}

/// The context of a generated page at `url`: the site's chrome, navigation and
/// breadcrumbs, and its title and summary.
pub(crate) fn generated_context(
    view: &View,
    inputs: &Inputs,
    url: &str,
    title: &str,
    summary: Option<&str>,
    crumbs: &[Link],
) -> tera::Context {
    let mut ctx = shared::base(view, inputs).clone();
    insert_chrome(&mut ctx, view, inputs, url);
    shared::insert_nav(&mut ctx, shared::nav_or_record(view, inputs, url));
    ctx.insert("breadcrumbs", crumbs);
    ctx.insert("page", &PageTitle { title, summary, status: "active" });
    let description = match summary {
        Some(s) => meta::description(Some(s), "").unwrap_or_else(|| title.to_string()),
        None => format!("{title} · {}", inputs.config.title),
    };
    ctx.insert("description", &description);
    ctx
}

/// Breadcrumbs of generated pages (KPI dictionary, reports) start at the home page.
pub(crate) fn home_crumb(view: &View, inputs: &Inputs, from: &str) -> Vec<Link> {
    view.sections
        .get("")
        .map(|&home| Link { title: inputs.pages[home].title.clone(), url: relative_url(from, &inputs.pages[home].url) })
        .into_iter()
        .collect()
}

/// The 404 page is served at any depth, so it links by the site's address (`base_url`,
/// or `internal_url` for the internal site) when that is known — which works under a
/// sub-path — and otherwise relative to the site root, where servers put it.
pub(super) fn not_found_page(view: &View, inputs: &Inputs, base: &tera::Context) -> Result<OutputFile, Diagnostics> {
    let ui = crate::base::i18n::strings(inputs.config.language);
    let site = inputs.config.site_url(view.audience);
    let root = if site.is_empty() { "./".to_string() } else { site.to_string() };
    let mut ctx = base.clone();
    ctx.insert("root", &root);
    ctx.insert("home", &root);
    ctx.insert("version", &None::<VersionContext>);
    ctx.insert("canonical", &None::<String>);
    ctx.insert("noindex", &false);
    insert_languages(&mut ctx, (view, None), inputs, "");
    ctx.insert("changed", &None::<Link>);
    ctx.insert("superseded_on", &None::<String>);
    #[derive(Serialize)]
    struct Minimal<'a> {
        title: &'a str,
        summary: Option<&'a str>,
        status: &'static str,
    }
    ctx.insert("page", &Minimal { title: ui.not_found_title, summary: None, status: Status::Active.as_str() });
    ctx.insert("description", ui.not_found_text);
    ctx.insert("og_type", "website");
    ctx.insert("og_url", &None::<String>);
    ctx.insert("modified", &None::<String>);
    ctx.insert("atom_feed", &None::<String>);
    let mut nav = shared::nav_items(view, inputs, "", "/");
    for item in &mut nav {
        item.url = format!("{root}{}", item.url.trim_start_matches("./"));
    }
    shared::insert_nav(&mut ctx, shared::render_nav(view, inputs, &nav, (&root, &root))?);
    ctx.insert("breadcrumbs", &Vec::<Link>::new());
    let html = inputs.theme.render("404.html", &ctx)?;
    Ok(OutputFile { path: format!("{}/404.html", view.audience.as_str()), bytes: html })
}
