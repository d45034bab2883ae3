//! Rendering one audience's site: which pages it holds, how they link to each other
//! (navigation, breadcrumbs, section lists, previous/next, owners and reporting lines)
//! and the HTML of every page through the theme.
//!
//! Leak-proofing lives here by construction: a [`View`] is built from the pages
//! published for its audience only, and every lookup (owner, role lists, navigation)
//! goes through the view, so the public site is computed only from public pages. This
//! module produces file contents in memory; it never writes.

pub mod charts;
pub mod i18n;
pub mod print;
pub mod release_pages;
pub mod reports;
pub mod theme;

/// The report pages' former path, which `build` still names.
pub use reports as report_pages;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::base::diagnostics::Diagnostics;
use crate::base::files::{OutputFile, Sink};
use crate::check::validate::published_in;
use crate::compute::kpi::{format_target, target_in_force};
use crate::load::config::Config;
use crate::load::content::{Audience, Page, PageKind, Status};
use crate::load::data::{format_number, with_unit, Aggregate, Data, Direction, Kpi, Scorecard};
use crate::markdown::links::{relative_url, root_prefix};
use crate::markdown::shortcodes::{kpi_url, scorecard_table};
use crate::markdown::{self, Outline, TocEntry};
use crate::render::theme::Theme;

/// Everything rendering needs, computed by the earlier build steps.
pub struct Inputs<'a> {
    pub config: &'a Config,
    pub pages: &'a [Page],
    pub outlines: &'a [Outline],
    /// Rendered markdown body of each page (same order as `pages`).
    pub bodies: &'a [String],
    pub theme: &'a Theme,
    /// Service data, build month and UI strings, as shortcodes use them.
    pub env: &'a crate::markdown::shortcodes::Env<'a>,
    /// KPI id → pages citing it.
    pub citations: &'a BTreeMap<String, Vec<usize>>,
}

/// The pages of one audience's site and their relations, all restricted to that site.
pub struct View<'a> {
    pub audience: Audience,
    /// Indices into `Inputs::pages` of the published pages, in source order.
    pages: Vec<usize>,
    all: &'a [Page],
    by_id: BTreeMap<&'a str, usize>,
    /// Section folder → regular pages in it, ordered by weight then title.
    children: BTreeMap<&'a str, Vec<usize>>,
    /// Page → its position among its section's `children` (for previous / next).
    sibling_pos: std::collections::HashMap<usize, usize>,
    /// Section folder → index pages of its direct subsections, ordered.
    subsections: BTreeMap<String, Vec<usize>>,
    /// Role id → pages it owns; role id → roles reporting to it.
    owned: BTreeMap<&'a str, Vec<usize>>,
    reports: BTreeMap<&'a str, Vec<usize>>,
    sections: BTreeMap<&'a str, usize>,
    /// KPIs and scorecards this audience may see (public ones only in `public/`).
    kpis: Vec<&'a Kpi>,
    scorecards: Vec<&'a Scorecard>,
    /// Whether this site has report pages (`reports/`, internal) or the public
    /// performance page (`performance/`); set by the pipeline before rendering.
    pub has_reports: bool,
    pub has_performance: bool,
    /// The public site's changelog and versions pages exist (a release was made).
    pub has_changelog: bool,
    /// Internal site: the working copy has changes not yet released.
    pub has_pending_changes: bool,
    /// Folder inside the audience's site this view is written to: `""` or `2025.1/`.
    pub prefix: String,
    /// Which release this view shows, with the others, for the version switcher.
    pub versioning: Option<Versioning>,
    /// Internal site: page index → URL of its redline against the newest release.
    pub changed: BTreeMap<usize, String>,
    /// Internal site: the newest release's name, for the "changed since" banner.
    pub newest_release: Option<String>,
}

/// The releases of the public handbook as a view sees them.
#[derive(Debug, Clone)]
pub struct Versioning {
    /// Oldest first.
    pub names: Vec<String>,
    pub dates: Vec<crate::base::date::Date>,
    /// The release this view shows.
    pub this: usize,
    /// Whether this view is the copy at the site root (the newest release).
    pub at_root: bool,
    /// The page URLs each release publishes, so the switcher can find "the same page".
    pub urls: Vec<std::collections::BTreeSet<String>>,
}

impl Versioning {
    fn newest(&self) -> usize {
        self.names.len() - 1
    }

    /// Where release `j` is published: the root for the newest, else its folder.
    fn folder(&self, j: usize) -> String {
        if j == self.newest() {
            String::new()
        } else {
            format!("{}/", self.names[j])
        }
    }

    /// The full URL of `url` (or of the home page when release `j` lacks it) in release `j`.
    fn target(&self, j: usize, url: &str) -> String {
        let page = if self.urls[j].contains(url) { url } else { "" };
        format!("{}{page}", self.folder(j))
    }
}

impl<'a> View<'a> {
    pub fn new(all: &'a [Page], data: &'a Data, audience: Audience) -> View<'a> {
        let pages: Vec<usize> = (0..all.len()).filter(|&i| published_in(&all[i], audience)).collect();
        let open = |public: bool| audience == Audience::Internal || public;
        let mut v = View {
            audience,
            pages: pages.clone(),
            all,
            by_id: BTreeMap::new(),
            children: BTreeMap::new(),
            sibling_pos: std::collections::HashMap::new(),
            subsections: BTreeMap::new(),
            owned: BTreeMap::new(),
            reports: BTreeMap::new(),
            sections: BTreeMap::new(),
            kpis: data.kpis.values().filter(|k| open(k.public)).collect(),
            scorecards: data.scorecards.iter().filter(|s| open(s.public)).collect(),
            has_reports: false,
            has_performance: false,
            has_changelog: false,
            has_pending_changes: false,
            prefix: String::new(),
            versioning: None,
            changed: BTreeMap::new(),
            newest_release: None,
        };
        for &i in &pages {
            let p = &all[i];
            v.by_id.entry(p.id.value.as_str()).or_insert(i);
            if p.is_index() {
                v.sections.insert(p.section.as_str(), i);
                if let Some(parent) = p.parent_section() {
                    v.subsections.entry(parent).or_default().push(i);
                }
            } else {
                v.children.entry(p.section.as_str()).or_default().push(i);
            }
        }
        for &i in &pages {
            let p = &all[i];
            if let Some(o) = &p.owner {
                if v.role(&o.value).is_some() {
                    v.owned.entry(o.value.as_str()).or_default().push(i);
                }
            }
            if let Some(b) = &p.reports_to {
                if v.role(&b.value).is_some() {
                    v.reports.entry(b.value.as_str()).or_default().push(i);
                }
            }
        }
        let order = |a: &usize, b: &usize| {
            let (pa, pb) = (&all[*a], &all[*b]);
            (pa.weight, &pa.title, &pa.rel).cmp(&(pb.weight, &pb.title, &pb.rel))
        };
        for list in v.children.values_mut().chain(v.owned.values_mut()).chain(v.reports.values_mut()) {
            list.sort_by(order);
        }
        for list in v.subsections.values_mut() {
            list.sort_by(order);
        }
        v.sibling_pos = v.children.values().flat_map(|list| list.iter().enumerate().map(|(n, &i)| (i, n))).collect();
        v
    }

    /// Number of pages in this site (KPI dictionary pages included).
    pub fn len(&self) -> usize {
        self.pages.len() + if self.kpis.is_empty() { 0 } else { self.kpis.len() + 1 }
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Indices of the pages this view publishes, in source order.
    pub fn published(&self) -> Vec<usize> {
        self.pages.clone()
    }

    /// The title of a published section's index page.
    pub fn section_title(&self, section: &str) -> Option<String> {
        self.sections.get(section).map(|&i| self.all[i].title.clone())
    }

    /// The title of a published role page.
    pub fn role_title(&self, id: &str) -> Option<String> {
        self.role(id).map(|p| p.title.clone())
    }

    /// A published role page by id.
    fn role(&self, id: &str) -> Option<&'a Page> {
        self.by_id.get(id).map(|&i| &self.all[i]).filter(|p| p.kind == PageKind::Role)
    }
}

#[derive(Serialize)]
pub(crate) struct Link {
    pub(crate) title: String,
    pub(crate) url: String,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) current: bool,
}

#[derive(Serialize)]
struct Item {
    title: String,
    url: String,
    summary: Option<String>,
    status: &'static str,
    is_internal: bool,
    effective: Option<String>,
    count: Option<String>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    id: &'a str,
    kind: &'static str,
    status: &'static str,
    is_internal: bool,
    effective: Option<String>,
    review_by: Option<String>,
    summary: Option<&'a str>,
    tags: &'a [String],
    duties: &'a [String],
    content: &'a str,
    toc: Vec<TocEntry>,
    owner: Option<Link>,
    reports_to: Option<Link>,
}

fn kind_name(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::Section => "section",
        PageKind::Standard => "standard",
        PageKind::Role => "role",
        PageKind::Page => "page",
    }
}

fn template_for(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home.html",
        PageKind::Section => "section.html",
        PageKind::Role => "role.html",
        PageKind::Standard | PageKind::Page => "page.html",
    }
}

/// The shared part of every page's context: site, UI strings, audience.
pub(crate) fn base_context(config: &Config, audience: Audience) -> tera::Context {
    let mut ctx = tera::Context::new();
    #[derive(Serialize)]
    struct Site<'a> {
        title: &'a str,
        language: &'static str,
        base_url: &'a str,
    }
    ctx.insert("site", &Site { title: &config.title, language: config.language.tag(), base_url: &config.base_url });
    ctx.insert("ui", &crate::render::i18n::strings(config.language));
    ctx.insert("audience", audience.as_str());
    ctx
}

/// Pages rendered per task: each batch goes to the sink, and is dropped, as a whole.
const BATCH: usize = 64;

/// Renders every page of `view`, plus the 404 page and the theme's assets, into files
/// under `<audience>/`. Pages render in parallel and go to `sink` in batches as they are
/// done (so a large site is never held in memory); the other files are returned, sorted
/// by path.
pub fn site(view: &View, inputs: &Inputs, sink: &dyn Sink) -> Result<Vec<OutputFile>, Diagnostics> {
    let base = base_context(inputs.config, view.audience);
    let dir = view.audience.as_str();
    let diags = std::sync::Mutex::new(Diagnostics::new());
    view.pages.par_chunks(BATCH).for_each(|batch| {
        let mut files = Vec::with_capacity(batch.len());
        for &i in batch {
            match render_page(view, inputs, &base, i) {
                Ok(file) => files.push(file),
                Err(d) => diags.lock().unwrap_or_else(|e| e.into_inner()).extend(d),
            }
        }
        sink.put(files);
    });
    let mut diags = diags.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut files = Vec::new();
    if view.prefix.is_empty() {
        match not_found_page(view, inputs, &base) {
            Ok(f) => files.push(f),
            Err(d) => diags.extend(d),
        }
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
    if !diags.is_empty() {
        return Err(diags);
    }
    if view.prefix.is_empty() {
        for (name, bytes) in &inputs.theme.assets {
            files.push(OutputFile { path: format!("{dir}/{name}"), bytes: bytes.clone() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Renders page `i` of `view` alone, exactly as [`site`] renders it (for `charter
/// serve`, which re-renders an edited page without its site).
pub fn page(view: &View, inputs: &Inputs, i: usize) -> Result<OutputFile, Diagnostics> {
    render_page(view, inputs, &base_context(inputs.config, view.audience), i)
}

fn render_page(view: &View, inputs: &Inputs, base: &tera::Context, i: usize) -> Result<OutputFile, Diagnostics> {
    let page = &inputs.pages[i];
    let ctx = page_context(view, inputs, base, i);
    let bytes = inputs.theme.render(template_for(page.kind), &ctx)?;
    Ok(OutputFile { path: format!("{}/{}{}index.html", view.audience.as_str(), view.prefix, page.url), bytes })
}

fn link_to(from: &Page, to: &Page) -> Link {
    Link { title: to.title.clone(), url: relative_url(&from.url, &to.url) }
}

fn item(view: &View, from: &Page, to: &Page, ui: &BTreeMap<&str, &str>) -> Item {
    let count = to.is_index().then(|| {
        let n = view.children.get(to.section.as_str()).map_or(0, Vec::len);
        ui["pages_count"].replace("{n}", &n.to_string())
    });
    Item {
        title: to.title.clone(),
        url: relative_url(&from.url, &to.url),
        summary: to.summary.clone(),
        status: to.status.as_str(),
        is_internal: view.audience == Audience::Internal && to.audience == Audience::Internal,
        effective: to.effective.map(|d| d.to_string()),
        count,
    }
}

fn page_context(view: &View, inputs: &Inputs, base: &tera::Context, i: usize) -> tera::Context {
    let page = &inputs.pages[i];
    let ui = inputs.env.ui;
    let mut ctx = base.clone();
    insert_chrome(&mut ctx, view, inputs, &page.url);
    let notice = inputs.env.ui["changed_notice"].replace("{v}", view.newest_release.as_deref().unwrap_or(""));
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
            is_internal: view.audience == Audience::Internal && page.audience == Audience::Internal,
            effective: page.effective.map(|d| d.to_string()),
            review_by: page.review_by.map(|d| d.to_string()),
            summary: page.summary.as_deref(),
            tags: &page.tags,
            duties: &page.duties,
            content: &inputs.bodies[i],
            toc: markdown::toc(&inputs.outlines[i].headings),
            owner,
            reports_to,
        },
    );

    let current = if page.kind == PageKind::Home { "" } else { page.url.as_str() };
    ctx.insert("nav", &site_nav(view, inputs, &page.url, current));

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
            .map(|s| ScorecardBlock { name: s.name.clone(), html: scorecard_table(s, inputs.env, &page.url) })
            .collect()
    } else {
        Vec::new()
    };
    ctx.insert("scorecards", &scorecards);
    ctx
}

#[derive(Serialize)]
struct ScorecardBlock {
    name: String,
    html: String,
}

/// The site's main navigation as seen from the page at `from`: home, the top-level
/// sections, then the KPI dictionary, performance and report pages where this site has
/// them. The item whose URL prefixes `current` is marked (home only when `current` is
/// empty).
pub(crate) fn site_nav(view: &View, inputs: &Inputs, from: &str, current: &str) -> Vec<NavItem> {
    let ui = inputs.env.ui;
    // (title, url, whether the url is at the site root rather than in this version)
    let mut items: Vec<(String, String, bool)> = Vec::new();
    if let Some(&home) = view.sections.get("") {
        items.push((ui["home"].to_string(), inputs.pages[home].url.clone(), false));
    }
    for &s in view.subsections.get("").map(Vec::as_slice).unwrap_or(&[]) {
        items.push((inputs.pages[s].title.clone(), inputs.pages[s].url.clone(), false));
    }
    if !view.kpis.is_empty() {
        items.push((ui["kpi_dictionary"].to_string(), "kpis/".to_string(), false));
    }
    if view.has_performance {
        items.push((ui["performance"].to_string(), "performance/".to_string(), true));
    }
    if view.has_changelog {
        items.push((ui["changelog"].to_string(), "changelog/".to_string(), true));
    }
    if view.has_reports {
        items.push((ui["reports"].to_string(), "reports/".to_string(), true));
    }
    if view.has_pending_changes {
        items.push((ui["pending_changes"].to_string(), "changes/".to_string(), true));
    }
    if view.audience == Audience::Internal {
        items.push((ui["governance"].to_string(), "governance/".to_string(), true));
    }
    items.push((ui["print"].to_string(), "print/".to_string(), false));
    let full_from = format!("{}{from}", view.prefix);
    items
        .into_iter()
        .map(|(title, url, at_root)| {
            let is_current = if url.is_empty() { current.is_empty() } else { current.starts_with(&url) };
            let href = if at_root { relative_url(&full_from, &url) } else { relative_url(from, &url) };
            NavItem { title, url: href, current: is_current }
        })
        .collect()
}

#[derive(Serialize)]
struct SwitchItem {
    name: String,
    date: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct VersionContext {
    name: String,
    date: String,
    is_old: bool,
    notice: String,
    current_url: String,
    list_url: String,
    switcher: Vec<SwitchItem>,
}

/// What every page of a view needs besides its own content: the way back to the site
/// root (assets) and to this version's home, and — for a release — the version
/// switcher, the old-version banner, the canonical link and `noindex`.
pub(crate) fn insert_chrome(ctx: &mut tera::Context, view: &View, inputs: &Inputs, url: &str) {
    let full = format!("{}{url}", view.prefix);
    ctx.insert("root", &root_prefix(&full));
    ctx.insert("home", &relative_url(url, ""));
    let mut canonical = None;
    let mut noindex = false;
    let mut version = None;
    if let Some(v) = &view.versioning {
        let ui = inputs.env.ui;
        let newest = v.newest();
        let current_full = v.target(newest, url);
        if !inputs.config.base_url.is_empty() && inputs.config.base_url.contains("://") {
            canonical = Some(format!("{}{current_full}", inputs.config.base_url));
        }
        noindex = !v.at_root;
        let is_old = v.this != newest;
        let notice = if is_old {
            ui["old_version_notice"]
                .replace("{v}", &v.names[v.this])
                .replace("{date}", &v.dates[v.this + 1].to_string())
        } else {
            String::new()
        };
        version = Some(VersionContext {
            name: v.names[v.this].clone(),
            date: v.dates[v.this].to_string(),
            is_old,
            notice,
            current_url: relative_url(&full, &current_full),
            list_url: relative_url(&full, "versions/"),
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
    ctx.insert("canonical", &canonical);
    ctx.insert("noindex", &noindex);
    ctx.insert("version", &version);
}

/// Title and summary of a page Charter generates (reports, changelog, print, KPI
/// dictionary), as templates read them from `page`.
#[derive(Serialize)]
struct PageTitle<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    status: &'static str,
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
    let mut ctx = base_context(inputs.config, view.audience);
    insert_chrome(&mut ctx, view, inputs, url);
    ctx.insert("nav", &site_nav(view, inputs, url, url));
    ctx.insert("breadcrumbs", crumbs);
    ctx.insert("page", &PageTitle { title, summary, status: "active" });
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

#[derive(Serialize)]
struct TargetRow {
    from: String,
    value: String,
    current: bool,
}

#[derive(Serialize)]
struct KpiUse {
    title: String,
    url: String,
    weight: String,
    rule: &'static str,
}

#[derive(Serialize)]
struct KpiContext {
    id: String,
    name: String,
    url: String,
    definition: String,
    unit: String,
    direction: &'static str,
    scale: String,
    current_target: Option<String>,
    targets: Vec<TargetRow>,
    warning: Option<String>,
    aggregate: &'static str,
    owner: Option<Link>,
    public: bool,
    scorecards: Vec<KpiUse>,
    cited_by: Vec<Item>,
}

fn kpi_context(view: &View, inputs: &Inputs, from: &str, k: &Kpi) -> KpiContext {
    let ui = inputs.env.ui;
    let today = inputs.env.today;
    let in_force = k.targets.iter().take_while(|t| t.from <= today).count();
    let targets = k
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| TargetRow {
            from: t.from.to_string(),
            value: format_target(k, t.value),
            current: i + 1 == in_force,
        })
        .collect();
    let definition = markdown::to_html(&k.definition, &Outline::default(), &[], &|_| (String::new(), false));
    let scorecards = view
        .scorecards
        .iter()
        .filter_map(|s| {
            let item = s.items.iter().find(|i| i.kpi.value == k.id)?;
            let rule =
                if item.rule == crate::load::data::Rule::Linear { ui["rule_linear"] } else { ui["rule_threshold"] };
            Some(KpiUse {
                title: s.name.clone(),
                url: String::new(),
                weight: format!("{}%", format_number(item.weight)),
                rule,
            })
        })
        .collect();
    // Only pages of this site cite a KPI here; a fake page stands in for `item`'s origin.
    let cited_by = inputs
        .citations
        .get(&k.id)
        .into_iter()
        .flatten()
        .filter(|&&i| published_in(&inputs.pages[i], view.audience))
        .map(|&i| {
            let to = &inputs.pages[i];
            Item {
                title: to.title.clone(),
                url: relative_url(from, &to.url),
                summary: to.summary.clone(),
                status: to.status.as_str(),
                is_internal: view.audience == Audience::Internal && to.audience == Audience::Internal,
                effective: to.effective.map(|d| d.to_string()),
                count: None,
            }
        })
        .collect();
    KpiContext {
        id: k.id.clone(),
        name: k.name.clone(),
        url: relative_url(from, &kpi_url(&k.id)),
        definition,
        unit: k.unit.clone(),
        direction: if k.direction == Direction::Higher { ui["direction_higher"] } else { ui["direction_lower"] },
        scale: format!("{}–{}", format_number(k.scale.0), with_unit(&format_number(k.scale.1), &k.unit)),
        current_target: target_in_force(k, today).map(|t| format_target(k, t)),
        targets,
        warning: (k.warning > 0.0)
            .then(|| ui["warning_band_text"].replace("{band}", &with_unit(&format_number(k.warning), &k.unit))),
        aggregate: match k.aggregate {
            Aggregate::Mean => ui["agg_mean"],
            Aggregate::Sum => ui["agg_sum"],
            Aggregate::Median => ui["agg_median"],
        },
        owner: k
            .owner
            .as_ref()
            .and_then(|o| view.role(&o.value))
            .map(|r| Link { title: r.title.clone(), url: relative_url(from, &r.url) }),
        public: k.public,
        scorecards,
        cited_by,
    }
}

/// The KPI dictionary's index (`kpi == None`) or one KPI's page.
fn kpi_page(view: &View, inputs: &Inputs, kpi: Option<&Kpi>) -> Result<OutputFile, Diagnostics> {
    let ui = inputs.env.ui;
    let url = kpi.map_or_else(|| "kpis/".to_string(), |k| kpi_url(&k.id));
    let mut crumbs = home_crumb(view, inputs, &url);
    let (template, ctx) = match kpi {
        None => {
            let mut ctx =
                generated_context(view, inputs, &url, ui["kpi_dictionary"], Some(ui["kpi_dictionary_intro"]), &crumbs);
            let kpis: Vec<KpiContext> = view.kpis.iter().map(|k| kpi_context(view, inputs, &url, k)).collect();
            ctx.insert("kpis", &kpis);
            ("kpis.html", ctx)
        }
        Some(k) => {
            crumbs.push(Link { title: ui["kpi_dictionary"].to_string(), url: relative_url(&url, "kpis/") });
            let mut ctx = generated_context(view, inputs, &url, &k.name, None, &crumbs);
            ctx.insert("kpi", &kpi_context(view, inputs, &url, k));
            ("kpi.html", ctx)
        }
    };
    let html = inputs.theme.render(template, &ctx)?;
    Ok(OutputFile { path: format!("{}/{}{url}index.html", view.audience.as_str(), view.prefix), bytes: html })
}

/// The 404 page links by absolute path (it is served at any depth).
fn not_found_page(view: &View, inputs: &Inputs, base: &tera::Context) -> Result<OutputFile, Diagnostics> {
    let ui = crate::render::i18n::strings(inputs.config.language);
    let root = match inputs.config.base_url.find("://") {
        Some(i) => inputs.config.base_url[i + 3..]
            .find('/')
            .map_or("/".to_string(), |j| inputs.config.base_url[i + 3 + j..].to_string()),
        None if inputs.config.base_url.starts_with('/') => inputs.config.base_url.clone(),
        None => "/".to_string(),
    };
    let mut ctx = base.clone();
    ctx.insert("root", &root);
    ctx.insert("home", &root);
    ctx.insert("version", &None::<VersionContext>);
    ctx.insert("canonical", &None::<String>);
    ctx.insert("noindex", &false);
    ctx.insert("changed", &None::<Link>);
    ctx.insert("superseded_on", &None::<String>);
    #[derive(Serialize)]
    struct Minimal<'a> {
        title: &'a str,
        summary: Option<&'a str>,
        status: &'static str,
    }
    ctx.insert("page", &Minimal { title: ui["not_found_title"], summary: None, status: Status::Active.as_str() });
    let mut nav = site_nav(view, inputs, "", "/");
    for item in &mut nav {
        item.url = format!("{root}{}", item.url.trim_start_matches("./"));
    }
    ctx.insert("nav", &nav);
    ctx.insert("breadcrumbs", &Vec::<Link>::new());
    let html = inputs.theme.render("404.html", &ctx)?;
    Ok(OutputFile { path: format!("{}/404.html", view.audience.as_str()), bytes: html })
}
